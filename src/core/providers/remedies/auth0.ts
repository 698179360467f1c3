/** Auth0's own remedies for failed test logins, by protocol and code (loaded with a test result: `../test-remedies.ts`). */
import { msg } from '../../../portal/localize/msg.js';
import type { ProviderTestRemedies } from '../types.js';

export const testRemedies = (): ProviderTestRemedies => ({
  saml: {
    certificate_mismatch:
      msg('Auth0 signs with your tenant’s signing key. If it was rotated (**Settings** > **Signing Keys**), copy the **Identity Provider Metadata** link on the add-on’s **Usage** tab again and read it in the configure step.'),
    response_unsigned:
      msg('In the **SAML2 Web App** add-on’s **Settings** JSON, add "signResponse": true and click **Save** (Auth0 signs the assertion by default).'),
    audience_mismatch:
      msg('In the **SAML2 Web App** add-on’s **Settings** JSON, set "audience" to exactly our Entity ID and click **Save**.'),
    destination_mismatch:
      msg('On the **SAML2 Web App** add-on’s **Settings** tab, set **Application Callback URL** to exactly our ACS URL, remove any "recipient" or "destination" key with another address from the JSON, and click **Save**.'),
    assertion_not_yet_valid:
      msg('Auth0’s clocks are synchronised, so a difference of minutes comes from the clock of the server that received the response. Test again; if it persists, tell the application’s support.'),
    issuer_mismatch:
      msg('Auth0 issues SAML responses as urn: followed by your tenant domain (such as urn:acme.us.auth0.com) unless the "issuer" key of the add-on’s **Settings** JSON says otherwise: read the **Identity Provider Metadata** again.'),
    missing_email:
      msg('Keep the email entry in "mappings" of the add-on’s **Settings** JSON, and check that the test user has an email: some connections (usernames without email) have none.'),
    user_denied:
      msg('On the application’s **Connections** tab, enable the connection the test user signs in with, and check **Actions** > **Triggers** > **post-login** for an Action that denies access.'),
    idp_error:
      msg('In the Auth0 Dashboard, open **Monitoring** > **Logs** and find the failed login: the entry says why Auth0 refused.'),
  },
  oidc: {
    oidc_invalid_client:
      msg('Copy the **Client ID** and **Client Secret** again from the application’s **Settings** tab (**Credentials** in newer dashboards; a rotated secret replaces the old one), and check that the **Authentication Method** is **Client Secret (Basic)** or **Client Secret (Post)**, not **None**.'),
    oidc_issuer_mismatch:
      msg('Auth0’s issuer is https:// followed by the application’s **Domain** and a trailing slash, such as https://acme.us.auth0.com/. With a custom domain, tokens carry the custom domain instead.'),
    missing_email:
      msg('Auth0 sends **email** for the **email** scope only when the user’s profile has one: check the test user under **User Management** > **Users**.'),
    user_denied:
      msg('On the application’s **Connections** tab, enable the connection the test user signs in with, and check **Actions** > **Triggers** > **post-login** for an Action that denies access.'),
    idp_error:
      msg('In the Auth0 Dashboard, open **Monitoring** > **Logs** and find the failed login: the entry says why Auth0 refused.'),
  },
});
