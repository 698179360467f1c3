import type { DirectoryGuide } from './types.js';
import { msg } from '../../portal/localize/msg.js';

/** From PingOne's SCIM outbound provisioning and PingFederate's SCIM connector documentation. */
export const guide: DirectoryGuide = {
  id: 'ping',
  name: 'PingFederate / PingOne',
  canPush: true,
  get steps() {
    return [
      msg('PingOne: open **Integrations** > **Provisioning**, click **+** > **New Connection** and pick **Identity Store** > **SCIM Outbound**.'),
      msg('Under **Configure Authentication**, paste the SCIM base URL below into **SCIM BASE URL**, set **Authentication Method** to **OAuth 2 Bearer Token** and paste the token into **Oauth Access Token**. Click **Test Connection**, then **Next**.'),
      msg('Under **Configure Preferences**, set **User Identifier** to `userName`, and enable **Allow Users to be Created**, **Allow Users to be Updated** and **Allow Users to be Disabled**; **Save** and turn the connection on.'),
      msg('Add a **New Rule** for the connection, choose which users and groups it sends, review its attribute mapping and turn it on.'),
      msg('PingFederate instead: in the SP connection of this application, enable **Outbound Provisioning** with the **SCIM Connector**, and enter the same URL and token as a bearer token.'),
    ];
  },
  get options() {
    return ['Allow Users to be Created', 'Allow Users to be Updated', 'Allow Users to be Disabled', msg('Group provisioning in the rule')];
  },
  get mapping() {
    return [
      msg('Map **Username** (or **Email Address**) to `userName`, **Given Name** to `name.givenName`, **Family Name** to `name.familyName` and **Email Address** to `emails[type eq "work"].value`.'),
    ];
  },
  urlLabel: 'SCIM BASE URL',
  tokenLabel: 'Oauth Access Token',
  get help() {
    return { label: msg('PingOne: SCIM outbound provisioning'), url: 'https://docs.pingidentity.com/pingone/integrations/p1_create_a_scim_outbound_connection.html' };
  },
};
