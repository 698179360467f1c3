import type { DirectoryGuide } from './types.js';
import { msg } from '../../portal/localize/msg.js';

/** From Google's "Automated user provisioning" help: only the apps of Google's own catalog. */
export const guide: DirectoryGuide = {
  id: 'google-workspace',
  name: 'Google Workspace',
  canPush: false,
  get steps() {
    return [
      msg('Google Workspace cannot send users to this application: its automated user provisioning works only for the apps in Google\u2019s own catalog, and a custom SAML app cannot be given a SCIM URL and token.'),
      msg('Your users can still sign in with Google through single sign-on (set it up under Single sign-on above): their accounts are then created when they first sign in, but nothing tells this application when someone leaves.'),
      msg('To have people added and removed automatically, provision from a directory that can send SCIM (Okta, Microsoft Entra ID, OneLogin, JumpCloud, PingOne) if yours syncs its users from Google Workspace, and choose that provider here instead.'),
    ];
  },
  options: [],
  mapping: [],
  urlLabel: 'SCIM base URL',
  tokenLabel: 'Bearer token',
  get help() {
    return { label: msg('Google: Automated user provisioning'), url: 'https://support.google.com/a/answer/7365072' };
  },
};
