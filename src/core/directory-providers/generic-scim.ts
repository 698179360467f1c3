import { DIRECTORY_PROVIDER_NAMES } from './names.js';
import type { DirectoryGuide } from './types.js';
import { msg } from '../../portal/localize/msg.js';

/** Any SCIM 2.0 client (RFC 7643 and 7644). */
export const guide: DirectoryGuide = {
  id: 'generic-scim',
  get name() {
    return DIRECTORY_PROVIDER_NAMES['generic-scim'];
  },
  canPush: true,
  get steps() {
    return [
      msg('In your identity provider, open the provisioning (or \u201cSCIM\u201d, \u201cuser sync\u201d) settings of the app you use for single sign-on to this application.'),
      msg('Paste the SCIM base URL below as the SCIM endpoint or base URL: it serves `/Users`, `/Groups`, `/ServiceProviderConfig`, `/ResourceTypes` and `/Schemas`.'),
      msg('Choose bearer-token authentication (`Authorization: Bearer`) and paste the token below.'),
      msg('Turn on creating, updating and deactivating users, and sending groups, then start provisioning.'),
    ];
  },
  get options() {
    return [msg('Create users'), msg('Update users'), msg('Deactivate users (active: false)'), msg('Send groups and their members')];
  },
  get mapping() {
    return [
      msg('Send `userName` (unique; usually the email), `name.givenName`, `name.familyName`, `emails` with a primary address, `active` and `externalId`; enterprise attributes (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`) are kept.'),
      msg('Filters supported: `eq`, `and`, `or` on `userName`, `externalId`, `emails.value`, `displayName` and `members.value`.'),
    ];
  },
  urlLabel: 'SCIM base URL',
  tokenLabel: 'Bearer token',
};
