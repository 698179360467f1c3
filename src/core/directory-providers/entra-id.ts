import type { DirectoryGuide } from './types.js';
import { msg } from '../../portal/localize/msg.js';

/** From Microsoft's "Tutorial: Develop and plan provisioning for a SCIM endpoint in Microsoft Entra ID". */
export const guide: DirectoryGuide = {
  id: 'entra-id',
  name: 'Microsoft Entra ID',
  canPush: true,
  get steps() {
    return [
      msg('In the Microsoft Entra admin center, open **Identity** > **Applications** > **Enterprise applications** and the app you use for single sign-on to this application (or **New application** > **Create your own application** > **Integrate any other application you don\u2019t find in the gallery (Non-gallery)**).'),
      msg('Open **Provisioning** (**Get started**) and set **Provisioning Mode** to **Automatic**.'),
      msg('Under **Admin Credentials**, paste the SCIM base URL below into **Tenant URL** (it ends with `?aadOptscim062020`, which makes Entra ID follow SCIM 2.0 for PATCH requests; keep it) and the token into **Secret Token**. Click **Test Connection**, then **Save**.'),
      msg('Under **Mappings**, keep **Provision Microsoft Entra ID Users** and **Provision Microsoft Entra ID Groups** enabled.'),
      msg('Under **Settings** > **Scope**, choose **Sync only assigned users and groups**, then assign them under **Users and groups**.'),
      msg('Set **Provisioning Status** to **On** and **Save**. The first cycle can take up to 40 minutes; **Provision on demand** sends one user at once.'),
    ];
  },
  options: ['Provisioning Mode: Automatic', 'Provision Microsoft Entra ID Users', 'Provision Microsoft Entra ID Groups', 'Provisioning Status: On'],
  get mapping() {
    return [
      msg('Entra ID maps **userPrincipalName** to `userName` and **mail** to `emails[type eq "work"].value`; if your users\u2019 UPN is not their email, map `userName` to **mail** instead.'),
      msg('It first looks a user up (`GET /Users?filter=userName eq "\u2026"`) before creating them, and turns a user off with `active: false` when they are unassigned or disabled.'),
    ];
  },
  urlLabel: 'Tenant URL',
  tokenLabel: 'Secret Token',
  urlSuffix: '?aadOptscim062020',
  get help() {
    return { label: msg('Microsoft: Develop and plan provisioning for a SCIM endpoint'), url: 'https://learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups' };
  },
};
