/** JumpCloud's own remedies for failed test logins, by protocol and code (loaded with a test result: `../test-remedies.ts`). */
import { msg } from '../../../portal/localize/msg.js';
import type { ProviderTestRemedies } from '../types.js';

export const testRemedies = (): ProviderTestRemedies => ({
  saml: {
    certificate_mismatch:
      msg('In JumpCloud, on the app’s **SSO** tab, check the **IDP Certificate**: if it was replaced, click **Copy Metadata URL** (or **Export Metadata**) and read it again in the configure step.'),
    response_unsigned:
      msg('In JumpCloud, on the app’s **SSO** tab, set **Sign** to **Assertion** (or **Response**) and click **save**.'),
    audience_mismatch:
      msg('In JumpCloud, on the app’s **SSO** tab, set **SP Entity ID** to exactly our Entity ID and click **save**.'),
    destination_mismatch:
      msg('In JumpCloud, on the app’s **SSO** tab, set the default URL under **ACS URLs** to exactly our ACS URL and click **save**.'),
    assertion_not_yet_valid:
      msg('JumpCloud’s clocks are synchronised, so a difference of minutes comes from the clock of the server that received the response. Test again; if it persists, tell the application’s support.'),
    issuer_mismatch:
      msg('JumpCloud issues responses with the **IdP Entity ID** typed on the app’s **SSO** tab: make the two match, or read the app’s metadata again with **Copy Metadata URL**.'),
    missing_email:
      msg('In JumpCloud, on the app’s **SSO** tab, under **Attributes**, click **add attribute**, enter the name from the attributes step as **Service Provider Attribute Name**, choose **email** as **JumpCloud Attribute Name**, and click **save**.'),
    user_denied:
      msg('In JumpCloud, on the app’s **User Groups** tab, check a group that contains the test user (such as **All Users**) and click **save**.'),
    idp_error:
      msg('In the JumpCloud Admin Portal, open **Directory Insights** and look for the failed SSO sign-in of the test user: the event says why JumpCloud refused.'),
  },
  oidc: {
    oidc_invalid_client:
      msg('JumpCloud shows a client secret only once: on the app’s **SSO** tab, generate a new secret, copy the **Client ID** and **Client Secret**, check that **Client Authentication Type** is **Client Secret Basic**, and save both in the configure step.'),
    oidc_issuer_mismatch:
      msg('JumpCloud’s issuer is exactly https://oauth.id.jumpcloud.com/ with the trailing slash.'),
    missing_email:
      msg('In JumpCloud, on the app’s **SSO** tab, check the **Email** standard scope under **Attribute Mapping** and click **save**.'),
    user_denied:
      msg('In JumpCloud, on the app’s **User Groups** tab, check a group that contains the test user (such as **All Users**) and click **save**.'),
    idp_error:
      msg('In the JumpCloud Admin Portal, open **Directory Insights** and look for the failed SSO sign-in of the test user: the event says why JumpCloud refused.'),
  },
});
