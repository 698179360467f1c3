/** Microsoft Entra ID's own remedies for failed test logins, by protocol and code (loaded with a test result: `../test-remedies.ts`). */
import { msg } from '../../../portal/localize/msg.js';
import type { ProviderTestRemedies } from '../types.js';

export const testRemedies = (): ProviderTestRemedies => ({
  saml: {
    certificate_mismatch:
      msg('In Entra, on the app’s **Single sign-on** page, see which certificate is **Active** under **SAML Certificates**. If a new one was made active, read the **App Federation Metadata Url** again in the configure step; or click **Edit** next to **Token signing certificate** and choose **Make certificate active** on the certificate this connection knows.'),
    response_unsigned:
      msg('In Entra, on the app’s **Single sign-on** page, click **Edit** next to **Token signing certificate** (under **SAML Certificates**) and set **Signing Option** to **Sign SAML response and assertion**.'),
    audience_mismatch:
      msg('In Entra, on the app’s **Single sign-on** page, click **Edit** in **Basic SAML Configuration**, set **Identifier (Entity ID)** to exactly our Entity ID, check **Default** next to it if several are listed, and click **Save**.'),
    destination_mismatch:
      msg('In Entra, on the app’s **Single sign-on** page, click **Edit** in **Basic SAML Configuration**, set **Reply URL (Assertion Consumer Service URL)** to exactly our ACS URL, check **Default** next to it if several are listed, and click **Save**.'),
    assertion_not_yet_valid:
      msg('Entra’s clocks are synchronised, so a difference of minutes comes from the clock of the server that received the response. Test again; if it persists, tell the application’s support.'),
    issuer_mismatch:
      msg('Entra issues responses as https://sts.windows.net/ followed by your tenant ID and a slash (the **Microsoft Entra Identifier** in the app’s **Set up** section). If the configured one differs, it came from another tenant: read this app’s **App Federation Metadata Url** again.'),
    missing_email:
      msg('In Entra, on the app’s **Single sign-on** page, click **Edit** in **Attributes & Claims** and check the email claim. Its **Source attribute** **user.mail** is empty for users without a mailbox: choose **user.userprincipalname** if your user principal names are email addresses.'),
    user_denied:
      msg('In Entra, open the app’s **Users and groups** page, click **Add user/group**, and assign the test user. Error AADSTS50105 means the user is not assigned while **Assignment required?** is **Yes** (under **Properties**).'),
    idp_error:
      msg('Entra shows an AADSTS error code on its sign-in page. Open the app’s **Sign-in logs** (under **Activity**) and select the failed sign-in: **Failure reason** says what to fix.'),
  },
  oidc: {
    oidc_invalid_client:
      msg('In Entra, on the app registration’s **Certificates & secrets** page, check the secret’s **Expires** date. Click **New client secret** if needed and copy its **Value** (not the **Secret ID**), then save it with the **Application (client) ID** from **Overview**.'),
    oidc_issuer_mismatch:
      msg('Use https://login.microsoftonline.com/ followed by the **Directory (tenant) ID** from the app registration’s **Overview** and /v2.0: not common or organizations, and not the older https://sts.windows.net/ form.'),
    missing_email:
      msg('On the app registration’s **Token configuration** page, click **Add optional claim**, choose **ID**, check **email**, and click **Add**. Entra sends it only for users whose **Email** is set.'),
    user_denied:
      msg('Entra refused the user (AADSTS50105) or consent was declined: assign the user under **Enterprise apps** > your app > **Users and groups**, or click **Grant admin consent** on the app registration’s **API permissions** page.'),
    idp_error:
      msg('Entra shows an AADSTS error code on its sign-in page. Open **Sign-in logs** for the app (in **Enterprise apps**, under **Activity**) and select the failed sign-in: **Failure reason** says what to fix.'),
  },
});
