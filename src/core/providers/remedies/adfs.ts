/** AD FS's own remedies for failed test logins, by protocol and code (loaded with a test result: `../test-remedies.ts`). */
import { msg } from '../../../portal/localize/msg.js';
import type { ProviderTestRemedies } from '../types.js';

export const testRemedies = (): ProviderTestRemedies => ({
  saml: {
    certificate_mismatch:
      msg('AD FS renews its token-signing certificate by itself. In **AD FS Management**, under **Service** > **Certificates**, see which **Token-signing** certificate is **Primary**, then read your FederationMetadata.xml URL again in the configure step (or upload the saved file).'),
    response_unsigned:
      msg('AD FS signs the assertion by default. To sign the response as well, run in PowerShell on the AD FS server: Set-AdfsRelyingPartyTrust -TargetName "your trust name" -SamlResponseSignature MessageAndAssertion.'),
    audience_mismatch:
      msg('In **AD FS Management**, under **Relying Party Trusts**, right-click the trust, choose **Properties**, and on the **Identifiers** tab add our Entity ID exactly as **Relying party identifier**.'),
    destination_mismatch:
      msg('In **AD FS Management**, open the trust’s **Properties** and, on the **Endpoints** tab, edit the **SAML Assertion Consumer Endpoints** entry: **Binding** **POST**, **Trusted URL** exactly our ACS URL, and **Set the trusted URL as default** checked.'),
    assertion_expired:
      msg('Check the AD FS server’s clock (w32tm /query /status) and resync it with your domain’s time source (w32tm /resync), then finish the login promptly.'),
    assertion_not_yet_valid:
      msg('The AD FS server’s clock is ahead: resync it with your domain’s time source (w32tm /resync). Until it is fixed, Set-AdfsRelyingPartyTrust -TargetName "your trust name" -NotBeforeSkew 2 dates assertions 2 minutes earlier.'),
    issuer_mismatch:
      msg('AD FS issues responses as its **Federation Service identifier** (**Service** > **Edit Federation Service Properties...**), usually http://your-adfs-host/adfs/services/trust: http, not https. Read your federation metadata again so the configured IdP entity ID matches.'),
    missing_email:
      msg('In **AD FS Management**, right-click the trust, choose **Edit Claim Issuance Policy...**, and add a **Send LDAP Attributes as Claims** rule mapping **E-Mail-Addresses** to **E-Mail Address**. The test user needs the mail attribute set in Active Directory.'),
    user_denied:
      msg('In **AD FS Management**, right-click the trust, choose **Edit Access Control Policy...**, and permit a group the test user belongs to (or **Permit everyone**).'),
    idp_error:
      msg('AD FS logs the reason on the AD FS server: in Event Viewer, open **Applications and Services Logs** > **AD FS** > **Admin** and find event 364 with the Activity ID shown on the error page.'),
  },
});
