/** PingFederate / PingOne's own remedies for failed test logins, by protocol and code (loaded with a test result: `../test-remedies.ts`). */
import { msg } from '../../../portal/localize/msg.js';
import type { ProviderTestRemedies } from '../types.js';

export const testRemedies = (): ProviderTestRemedies => ({
  saml: {
    certificate_mismatch:
      msg('In PingOne, on the application’s **Configuration** tab, check the **Signing Key**: if it changed, copy the **IDP Metadata URL** again (or click **Download Metadata**) and read it in the configure step. PingFederate: check the SP connection’s signing certificate under **Credentials**.'),
    response_unsigned:
      msg('In PingOne, on the application’s **Configuration** tab, click the pencil icon and choose to sign the assertion and the response (**Sign Assertion & Response**), then click **Save**. PingFederate: in the SP connection’s **Protocol Settings**, choose **Always sign the SAML Assertion** under **Signature Policy**.'),
    audience_mismatch:
      msg('In PingOne, on the application’s **Configuration** tab, click the pencil icon, set **Entity ID** to exactly our Entity ID, and click **Save**. PingFederate: the SP connection’s **Partner’s Entity ID (Connection ID)**.'),
    destination_mismatch:
      msg('In PingOne, on the application’s **Configuration** tab, click the pencil icon, set **ACS URLs** to exactly our ACS URL, and click **Save**. PingFederate: the **Assertion Consumer Service URL** in the SP connection’s **Protocol Settings**.'),
    assertion_not_yet_valid:
      msg('PingOne’s clocks are synchronised, so a difference of minutes comes from the clock of the server that received the response. PingFederate: sync its server’s clock with NTP.'),
    issuer_mismatch:
      msg('Read the application’s **IDP Metadata URL** again in the configure step so the issuer matches PingOne’s (https://auth.pingone.com/ and your environment ID). PingFederate issues as its **SAML 2.0 Entity ID** under **System** > **Protocol Settings** > **Federation Info**.'),
    missing_email:
      msg('In PingOne, on the application’s **Attribute Mappings** tab, click the pencil icon, click **+ Add**, enter the name from the attributes step mapped to **Email Address**, and click **Save**.'),
    user_denied:
      msg('In PingOne, on the application’s **Access** tab, add a group that contains the test user, and check that the application’s toggle is on (a disabled application refuses everyone).'),
    idp_error:
      msg('In PingOne, open **Monitoring** > **Audit** and find the failed sign-on: it says why PingOne refused. PingFederate: look in its server.log.'),
  },
  oidc: {
    oidc_invalid_client:
      msg('In PingOne, on the application’s **Configuration** tab, copy the **Client ID** and **Client Secret** again (or generate a new secret there) and check that **Token Endpoint Authentication Method** is **Client Secret Basic**. PingFederate: the OAuth client’s **Client Authentication**.'),
    oidc_issuer_mismatch:
      msg('In PingOne, copy the **Issuer** under **URLs** on the application’s **Configuration** tab: it ends in /as, and its domain depends on your region (auth.pingone.com, .eu, .ca or .asia).'),
    missing_email:
      msg('In PingOne, on the application’s **Resources** tab, click the pencil icon, add the **email** scope, and click **Save**.'),
    user_denied:
      msg('In PingOne, on the application’s **Access** tab, add a group that contains the test user, and check that the application’s toggle is on (a disabled application refuses everyone).'),
    idp_error:
      msg('In PingOne, open **Monitoring** > **Audit** and find the failed sign-on: it says why PingOne refused. PingFederate: look in its server.log.'),
  },
});
