/** Okta's own remedies for failed test logins, by protocol and code (loaded with a test result: `../test-remedies.ts`). */
import { msg } from '../../../portal/localize/msg.js';
import type { ProviderTestRemedies } from '../types.js';

export const testRemedies = (): ProviderTestRemedies => ({
  saml: {
    certificate_mismatch:
      msg('In Okta, on the app’s **Sign On** tab, see which certificate is **Active** under **SAML Signing Certificates**. If a new one was generated or activated, read the app’s **Metadata URL** again in the configure step (or activate the certificate this connection knows, from its **Actions** menu).'),
    response_unsigned:
      msg('In Okta, on the app’s **General** tab, click **Edit** in **SAML Settings**, click **Next**, then **Show Advanced Settings**, and set **Response** and **Assertion Signature** to **Signed**.'),
    audience_mismatch:
      msg('In Okta, on the app’s **General** tab, click **Edit** in **SAML Settings**, click **Next**, and set **Audience URI (SP Entity ID)** to exactly our Entity ID.'),
    destination_mismatch:
      msg('In Okta, on the app’s **General** tab, click **Edit** in **SAML Settings**, click **Next**, set **Single sign-on URL** to exactly our ACS URL, and keep **Use this for Recipient URL and Destination URL** checked.'),
    assertion_not_yet_valid:
      msg('Okta’s clocks are synchronised, so a difference of minutes comes from the clock of the server that received the response. Test again; if it persists, tell the application’s support.'),
    issuer_mismatch:
      msg('Okta issues responses as http://www.okta.com/ followed by the app’s ID (**Identity Provider Issuer** under **View SAML setup instructions** on the **Sign On** tab). Read this app’s **Metadata URL** again in the configure step: the one configured may belong to another app.'),
    missing_email:
      msg('In Okta, on the app’s **General** tab, click **Edit** in **SAML Settings**, click **Next**, and under **Attribute Statements** add a row with the name from the attributes step and the value **user.email**.'),
    user_denied:
      msg('In Okta, on the app’s **Assignments** tab, click **Assign** > **Assign to People** (or **Assign to Groups**), assign the test user, and click **Done**.'),
    idp_error:
      msg('In the Okta Admin Console, open **Reports** > **System Log** and search for the app’s name: the failed event says why Okta refused.'),
  },
  oidc: {
    oidc_invalid_client:
      msg('In Okta, on the app’s **General** tab, copy the **Client ID** under **Client Credentials**; under **Client Secrets**, click **Generate new secret** if you no longer have the secret, and save both in the configure step. **Client authentication** must be **Client secret**.'),
    oidc_issuer_mismatch:
      msg('Use your Okta domain as the issuer, such as https://acme.okta.com (not the -admin address). With a custom authorization server, copy its **Issuer URI** from **Security** > **API** > **Authorization Servers**, such as https://acme.okta.com/oauth2/default.'),
    missing_email:
      msg('Okta sends **email** for the **email** scope: keep email in the connection’s scopes, and check that the test user has a primary email in Okta.'),
    user_denied:
      msg('In Okta, on the app’s **Assignments** tab, click **Assign** > **Assign to People** (or **Assign to Groups**) and assign the test user: Okta answers “User is not assigned to the client application” otherwise.'),
    idp_error:
      msg('In the Okta Admin Console, open **Reports** > **System Log** and search for the app’s name: the failed event says why Okta refused.'),
  },
});
