import type { DirectoryGuide } from './types.js';
import { msg } from '../../portal/localize/msg.js';

/** From OneLogin's SCIM provisioner app documentation. */
export const guide: DirectoryGuide = {
  id: 'onelogin',
  name: 'OneLogin',
  canPush: true,
  get steps() {
    return [
      msg('In OneLogin\u2019s administration, open **Applications** > **Applications** > **Add App** and pick **SCIM Provisioner with SAML (SCIM v2 Enterprise)** (or open the app you already use for single sign-on to this application, if it is one).'),
      msg('On its **Configuration** tab, paste the SCIM base URL below into **SCIM Base URL** and the token into **SCIM Bearer Token**. Keep the default **SCIM JSON Template**, then click **Enable** under **API Status** and **Save**.'),
      msg('On the **Provisioning** tab, check **Enable provisioning**. Under **Require admin approval before this action is performed**, uncheck **Create user**, **Delete user** and **Update user** so changes are sent at once, and set **When users are deleted in OneLogin** to **Suspend**. **Save**.'),
      msg('On the **Parameters** tab, open **Groups**, check **Include in User Provisioning**, then add a rule under **Rules** to send the groups you want.'),
      msg('Give users the app (**Users** > a user > **Applications**, or through a role).'),
    ];
  },
  get options() {
    return ['Enable provisioning', msg('Create user, Delete user and Update user without admin approval'), 'Groups: Include in User Provisioning'];
  },
  get mapping() {
    return [
      msg('The default SCIM JSON Template sends `userName` (the OneLogin username or email), `name.givenName`, `name.familyName` and `emails`: keep it, and make sure each user has an email.'),
    ];
  },
  urlLabel: 'SCIM Base URL',
  tokenLabel: 'SCIM Bearer Token',
  get help() {
    return { label: msg('OneLogin: SCIM provisioning'), url: 'https://onelogin.service-now.com/support?id=kb_article&sys_id=8abb9c6b87ba3d10695f0f66cebb35ef' };
  },
};
