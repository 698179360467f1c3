/** OneLogin's own remedies for failed test logins, by protocol and code (loaded with a test result: `../test-remedies.ts`). */
import { msg } from '../../../portal/localize/msg.js';
import type { ProviderTestRemedies } from '../types.js';

export const testRemedies = (): ProviderTestRemedies => ({
  saml: {
    certificate_mismatch:
      msg('In OneLogin, on the app’s **SSO** tab, check which **X.509 Certificate** the app uses (**Change** switches it). If it changed, read the **Issuer URL** again in the configure step, or download the XML with **More Actions** > **SAML Metadata**.'),
    response_unsigned:
      msg('In OneLogin, on the app’s **Configuration** tab, set **SAML signature element** to **Both** (or **Assertion**) and click **Save**.'),
    audience_mismatch:
      msg('In OneLogin, on the app’s **Configuration** tab, set **Audience (EntityID)** to exactly our Entity ID and click **Save**.'),
    destination_mismatch:
      msg('In OneLogin, on the app’s **Configuration** tab, set **Recipient** and **ACS (Consumer) URL** to exactly our ACS URL, make sure **ACS (Consumer) URL Validator** matches it, and click **Save**.'),
    assertion_not_yet_valid:
      msg('OneLogin’s clocks are synchronised, so a difference of minutes comes from the clock of the server that received the response. Test again; if it persists, tell the application’s support.'),
    issuer_mismatch:
      msg('OneLogin issues responses as the app’s **Issuer URL** (on the **SSO** tab): read it again in the configure step, since the configured one may belong to another app.'),
    missing_email:
      msg('In OneLogin, on the app’s **Parameters** tab, click **+**, enter the name from the attributes step, check **Include in SAML assertion**, choose the value **Email**, and click **Save**.'),
    user_denied:
      msg('In OneLogin, on the app’s **Access** tab, check a role the test user has and click **Save** (or assign the app on the user’s **Applications** tab).'),
    idp_error:
      msg('In the OneLogin admin portal, open **Activity** > **Events** and find the failed sign-in: the event says why OneLogin refused.'),
  },
  oidc: {
    oidc_invalid_client:
      msg('In OneLogin, on the app’s **SSO** tab, copy the **Client ID**, click **Show client secret** to copy the **Client Secret**, and check that **Token Endpoint** > **Authentication Method** is **Basic** (or **POST**); save both in the configure step.'),
    oidc_issuer_mismatch:
      msg('Copy the **Issuer URL** from the app’s **SSO** tab, such as https://acme.onelogin.com/oidc/2: the /oidc/2 path is part of it.'),
    missing_email:
      msg('OneLogin sends **email** for the **email** scope: check that the test user has an email address in OneLogin.'),
    user_denied:
      msg('In OneLogin, on the app’s **Access** tab, check a role the test user has and click **Save** (or assign the app on the user’s **Applications** tab).'),
    idp_error:
      msg('In the OneLogin admin portal, open **Activity** > **Events** and find the failed sign-in: the event says why OneLogin refused.'),
  },
});
