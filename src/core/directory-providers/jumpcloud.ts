import type { DirectoryGuide } from './types.js';
import { msg } from '../../portal/localize/msg.js';

/** From JumpCloud's "Configure Identity Management (SCIM) for a custom application". */
export const guide: DirectoryGuide = {
  id: 'jumpcloud',
  name: 'JumpCloud',
  canPush: true,
  get steps() {
    return [
      msg('In the JumpCloud Admin Portal, open **SSO Applications** and the app you use for single sign-on to this application (or **Add New Application** > **Custom Application**, with **Export users to this app (Identity Management)** selected).'),
      msg('Open its **Identity Management** tab and choose **SCIM 2.0** as the API type.'),
      msg('Paste the SCIM base URL below into **Base URL** and the token into **Token Key**; keep **Authorization: Bearer** as the header. Click **Test Connection**, then **Activate**.'),
      msg('Turn on **Group Management** to send the groups bound to the app.'),
      msg('On the **User Groups** tab, bind the groups whose members should get the app, and **Save**.'),
    ];
  },
  options: ['Identity Management: SCIM 2.0', 'Group Management'],
  get mapping() {
    return [
      msg('JumpCloud sends `userName` (the user\u2019s email), `name.givenName`, `name.familyName` and `emails`. A user unbound from the app, or suspended, is sent `active: false`.'),
    ];
  },
  urlLabel: 'Base URL',
  tokenLabel: 'Token Key',
  get help() {
    return { label: msg('JumpCloud: Configure Identity Management for a custom application'), url: 'https://jumpcloud.com/support/scim-custom-application' };
  },
};
