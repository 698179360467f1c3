import type { DirectoryGuide } from './types.js';
import { msg } from '../../portal/localize/msg.js';

/** From Okta's "Add SCIM provisioning to app integrations" (App Integration Wizard). */
export const guide: DirectoryGuide = {
  id: 'okta',
  name: 'Okta',
  canPush: true,
  get steps() {
    return [
      msg('In the Okta Admin Console, open **Applications** > **Applications** and the SAML app you use for single sign-on to this application (SCIM provisioning needs a SAML or SWA app: Okta does not offer it on OpenID Connect apps).'),
      msg('On its **General** tab, under **App Settings**, click **Edit**, set **Provisioning** to **SCIM** and **Save**.'),
      msg('On the new **Provisioning** tab, under **Settings** > **Integration**, click **Edit**. Paste the SCIM base URL below into **SCIM connector base URL** and enter `userName` as **Unique identifier field for users**.'),
      msg('Under **Supported provisioning actions**, select **Import New Users and Profile Updates**, **Push New Users**, **Push Profile Updates** and **Push Groups**.'),
      msg('Set **Authentication Mode** to **HTTP Header** and paste the token below as the **Bearer** token. Click **Test Connector Configuration**, then **Save**.'),
      msg('Under **Provisioning** > **To App**, click **Edit** and enable **Create Users**, **Update User Attributes** and **Deactivate Users**; **Save**.'),
      msg('Assign people or groups on the **Assignments** tab; to send groups, add them on the **Push Groups** tab.'),
    ];
  },
  options: ['Create Users', 'Update User Attributes', 'Deactivate Users', 'Push Groups'],
  get mapping() {
    return [
      msg('Okta sends `userName` (the Okta username, usually the email), `name.givenName`, `name.familyName` and `emails` with the primary work email: keep these mappings under **To App** > **Attribute Mappings**.'),
      msg('A user who leaves is deactivated (`active: false`), not deleted: they can no longer sign in here, and their history is kept.'),
    ];
  },
  urlLabel: 'SCIM connector base URL',
  tokenLabel: 'Bearer token (HTTP Header)',
  get help() {
    return { label: msg('Okta: Add SCIM provisioning to app integrations'), url: 'https://help.okta.com/oie/en-us/Content/Topics/Apps/Apps_App_Integration_Wizard_SCIM.htm' };
  },
};
