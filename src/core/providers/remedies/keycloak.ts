/** Keycloak's own remedies for failed test logins, by protocol and code (loaded with a test result: `../test-remedies.ts`). */
import { msg } from '../../../portal/localize/msg.js';
import type { ProviderTestRemedies } from '../types.js';

export const testRemedies = (): ProviderTestRemedies => ({
  saml: {
    certificate_mismatch:
      msg('Keycloak signs with the realm’s active RSA key (**Realm settings** > **Keys**). After a key was added or rotated, read the realm’s SAML descriptor URL again in the configure step.'),
    response_unsigned:
      msg('On the client’s **Settings** tab, under **Signature and Encryption**, turn on **Sign documents** and **Sign assertions**, and click **Save**.'),
    audience_mismatch:
      msg('Keycloak uses the SAML client’s **Client ID** as the audience: set the **Client ID** on the client’s **Settings** tab to exactly our Entity ID (or import our metadata as a new client).'),
    destination_mismatch:
      msg('On the client’s **Settings** tab, set **Master SAML Processing URL** to exactly our ACS URL; on the **Advanced** tab, correct or clear **Assertion Consumer Service POST Binding URL**. Click **Save**.'),
    assertion_expired:
      msg('Check the Keycloak server’s clock (NTP), and the **Assertion Lifespan** on the client’s **Advanced** tab if one is set; then finish the login promptly.'),
    assertion_not_yet_valid:
      msg('The Keycloak server’s clock is ahead of ours: sync it with NTP, then test again.'),
    issuer_mismatch:
      msg('Keycloak issues responses as https://your-keycloak-host/realms/your-realm (versions before 17 add /auth). A different host or realm means the metadata came from another realm, or the server’s hostname setting changed: read the realm’s descriptor URL again.'),
    missing_email:
      msg('On the client’s **Client scopes** tab, open the **-dedicated** scope and add a **User Property** mapper with **Property** **email** and the **SAML Attribute Name** from the attributes step. The test user needs an **Email** under **Users**.'),
    user_denied:
      msg('Keycloak stopped the login: check that the test user is **Enabled** under **Users** and passes the realm’s authentication flow (such as a required role), and that the login was not cancelled.'),
    idp_error:
      msg('Turn on **Save events** under **Realm settings** > **Events** (**User events settings**), test again, and open **Events**: the LOGIN_ERROR event names the reason.'),
  },
  oidc: {
    oidc_invalid_client:
      msg('On the client’s **Credentials** tab, check that **Client Authenticator** is **Client Id and Secret**, copy the **Client Secret** (or click **Regenerate**), and save it in the configure step. **Client authentication** must be on in the client’s **Settings**.'),
    oidc_issuer_mismatch:
      msg('Use the issuer exactly as Keycloak publishes it in /.well-known/openid-configuration: https://your-keycloak-host/realms/your-realm (versions before 17 add /auth); a **Frontend URL** or hostname setting changes the host.'),
    missing_email:
      msg('Keycloak sends **email** for the **email** client scope: on the client’s **Client scopes** tab, check that **email** is assigned as **Default**, and that the test user has an **Email**.'),
    user_denied:
      msg('Keycloak stopped the login: check that the test user is **Enabled** under **Users** and passes the realm’s authentication flow (such as a required role), and that the login was not cancelled.'),
    idp_error:
      msg('Turn on **Save events** under **Realm settings** > **Events** (**User events settings**), test again, and open **Events**: the LOGIN_ERROR or CODE_TO_TOKEN_ERROR event names the reason.'),
  },
});
