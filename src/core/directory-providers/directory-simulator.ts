import { DIRECTORY_PROVIDER_NAMES } from './names.js';
import type { DirectoryGuide } from './types.js';
import { msg } from '../../portal/localize/msg.js';

/** The development server's Directory Simulator: it provisions as Okta and Entra ID do. */
export const guide: DirectoryGuide = {
  id: 'directory-simulator',
  get name() {
    return DIRECTORY_PROVIDER_NAMES['directory-simulator'];
  },
  canPush: true,
  get steps() {
    return [
      msg('Open the Directory Simulator page of this development server: **{origin}/simulator/directory** (a link is below).'),
      msg('Paste the SCIM base URL below into its **SCIM base URL** field and the token into its **Bearer token** field.'),
      msg('Pick a scenario (**Okta** or **Microsoft Entra ID**: initial import, create, update, deactivate, reactivate, group push) and run it: its requests appear here as they arrive.'),
    ];
  },
  options: [],
  get mapping() {
    return [msg('The simulator sends the same requests as Okta or Entra ID would, dialect included (Entra\u2019s `"Replace"` operations and boolean strings, Okta\u2019s `active: false`).')];
  },
  urlLabel: 'SCIM base URL',
  tokenLabel: 'Bearer token',
};
