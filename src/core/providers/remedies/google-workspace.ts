/** Google Workspace's own remedies for failed test logins, by protocol and code (loaded with a test result: `../test-remedies.ts`). */
import { msg } from '../../../portal/localize/msg.js';
import type { ProviderTestRemedies } from '../types.js';

export const testRemedies = (): ProviderTestRemedies => ({
  saml: {
    certificate_mismatch:
      msg('In the Admin console, open **Apps** > **Web and mobile apps** > your app, click **Download metadata**, and upload the new file in the configure step: Google signs with the certificate in that file.'),
    response_unsigned:
      msg('In the Admin console, open your app’s **Service provider details**, check **Signed response**, and click **Save**.'),
    audience_mismatch:
      msg('In the Admin console, open your app’s **Service provider details**, set **Entity ID** to exactly our Entity ID (it is case-sensitive), and click **Save**.'),
    destination_mismatch:
      msg('In the Admin console, open your app’s **Service provider details**, set **ACS URL** to exactly our ACS URL, and click **Save**.'),
    assertion_not_yet_valid:
      msg('Google’s clocks are synchronised, so a difference of minutes comes from the clock of the server that received the response. Test again; if it persists, tell the application’s support.'),
    issuer_mismatch:
      msg('Google issues responses with the **Entity ID** shown in the app’s **Google Identity Provider details** (https://accounts.google.com/o/saml2?idpid= and your ID). Upload this app’s metadata file again in the configure step.'),
    missing_email:
      msg('In the Admin console, open your app’s **SAML attribute mapping**, click **Add mapping**, choose **Basic Information** > **Primary email**, type the name from the attributes step as the app attribute, and click **Save**.'),
    user_denied:
      msg('In the Admin console, open your app’s **User access**, set **Service status** to **ON for everyone** (or on for the test user’s organizational unit or group), and click **Save**. Until it applies (up to 24 hours) Google answers 403 app_not_enabled_for_user.'),
    idp_error:
      msg('Google names the problem on its error page: 403 app_not_configured_for_user means the **Entity ID** in **Service provider details** does not match ours; 403 app_not_enabled_for_user means the app is off for the user under **User access**.'),
  },
});
