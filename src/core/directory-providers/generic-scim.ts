import type { DirectoryGuide } from './types.js';

/** Any SCIM 2.0 client (RFC 7643 and 7644). */
export const guide: DirectoryGuide = {
  id: 'generic-scim',
  name: 'Another SCIM 2.0 provider',
  canPush: true,
  steps: [
    'In your identity provider, open the provisioning (or \u201cSCIM\u201d, \u201cuser sync\u201d) settings of the app you use for single sign-on to this application.',
    'Paste the SCIM base URL below as the SCIM endpoint or base URL: it serves `/Users`, `/Groups`, `/ServiceProviderConfig`, `/ResourceTypes` and `/Schemas`.',
    'Choose bearer-token authentication (`Authorization: Bearer`) and paste the token below.',
    'Turn on creating, updating and deactivating users, and sending groups, then start provisioning.',
  ],
  options: ['Create users', 'Update users', 'Deactivate users (active: false)', 'Send groups and their members'],
  mapping: [
    'Send `userName` (unique; usually the email), `name.givenName`, `name.familyName`, `emails` with a primary address, `active` and `externalId`; enterprise attributes (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`) are kept.',
    'Filters supported: `eq`, `and`, `or` on `userName`, `externalId`, `emails.value`, `displayName` and `members.value`.',
  ],
  urlLabel: 'SCIM base URL',
  tokenLabel: 'Bearer token',
};
