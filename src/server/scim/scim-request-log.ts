/**
 * What the portal shows of each SCIM request (`directory_requests`, `DirectoryRequest` of
 * `core/directory-model.ts`): a summary in a few words and, for a refused request, what to change
 * in the provider's console, in plain words. Pure.
 */
import type { DirectoryProviderId } from '../../core/directory-model.js';

/** Where each provider's console keeps the bearer token, and what it calls provisioning. */
const CONSOLES: Record<DirectoryProviderId, { name: string; tokenField: string; mappings: string }> = {
  okta: { name: 'Okta', tokenField: "Okta's API Token field (the application's Provisioning tab, Integration)", mappings: "the application's Provisioning tab, To App attribute mappings" },
  'entra-id': {
    name: 'Microsoft Entra ID',
    tokenField: "Entra's Secret Token field (the enterprise application's Provisioning, Admin Credentials)",
    mappings: "the enterprise application's Provisioning, Mappings",
  },
  onelogin: { name: 'OneLogin', tokenField: "OneLogin's SCIM Bearer Token field (the application's Configuration tab)", mappings: "the application's Provisioning and Parameters tabs" },
  jumpcloud: { name: 'JumpCloud', tokenField: "JumpCloud's Token Key field (the application's Identity Management tab)", mappings: "the application's Identity Management attribute mappings" },
  ping: { name: 'PingFederate / PingOne', tokenField: 'the access token (bearer) field of the SCIM provisioning connection', mappings: 'the provisioning connection’s attribute mappings' },
  'google-workspace': { name: 'Google Workspace', tokenField: "the app's access token field (Admin console, Apps, auto-provisioning)", mappings: "the app's auto-provisioning attribute mappings" },
  'generic-scim': { name: 'your SCIM client', tokenField: "your SCIM client's bearer token setting", mappings: "your SCIM client's attribute mappings" },
  'directory-simulator': { name: 'the Directory Simulator', tokenField: "the Directory Simulator's token field", mappings: "the Directory Simulator's scenario" },
};

export interface RefusalFacts {
  status: number;
  scimType?: string;
  method: string;
  /** The resource path (`Users`, `Groups`...), when known. */
  resource?: string;
  /** Why the token was refused, for a 401. */
  tokenProblem?: 'missing' | 'wrong';
}

/** What to change, in plain words, for a refused request from `provider`. */
export function remedyFor(provider: DirectoryProviderId, facts: RefusalFacts): string {
  const c = CONSOLES[provider];
  const what = facts.resource === 'Groups' ? 'group' : 'user';
  switch (facts.status) {
    case 401:
      return facts.tokenProblem === 'missing'
        ? `The request had no bearer token. In ${c.name}, choose the bearer token (HTTP header) authentication and copy the token from the portal into ${c.tokenField}.`
        : `Copy the token again from the portal into ${c.tokenField}. A token stops working as soon as a new one is generated; generate one in the portal if it was lost.`;
    case 403:
      return `This directory is disabled in the portal. Enable it in the portal's Directory sync section, or turn provisioning off in ${c.name}.`;
    case 404:
      return facts.resource === 'Users' || facts.resource === 'Groups'
        ? `The ${what} does not exist here (it was deleted, or created before this directory was). In ${c.name}, push the ${what} again (for Okta: unassign and assign it again; for Entra ID: restart provisioning) so it is created.`
        : `This address is not a SCIM endpoint. In ${c.name}, set the base URL to the portal's SCIM base URL exactly, ending with the directory id (no /Users or /v2 added).`;
    case 409:
      return `Another user of this directory already has this userName. In ${c.name}, remove the duplicate account or match users on userName (${c.mappings}), then retry.`;
    case 412:
      return `The ${what} changed since ${c.name} read it; it reads it again and retries. Nothing to change unless it keeps happening.`;
    case 413:
      return `The request is larger than this server accepts (1 MB). In ${c.name}, push groups with fewer members at a time, or check ${c.mappings} for very large attributes.`;
    case 429:
      return `Too many requests; ${c.name} retries after the time the answer gave. If it keeps happening, lower the provisioning rate in ${c.name}.`;
    case 501:
      return `${c.name} asked for a SCIM feature this server does not offer (bulk, sorting, passwords). Turn it off in ${c.name}'s provisioning options.`;
    default:
      break;
  }
  if (facts.status >= 500) return `A fault on this server, not in ${c.name}. ${c.name} retries by itself; if it persists, contact the application's support with the time of the request.`;
  if (provider === 'entra-id' && facts.method === 'PATCH') {
    return `Entra ID's default PATCH requests do not follow SCIM 2.0. Add ?aadOptscim062020 to the Tenant URL in Entra's Admin Credentials (after the SCIM base URL), save, and restart provisioning. Otherwise check ${c.mappings}.`;
  }
  if (facts.scimType === 'invalidFilter') {
    return `${c.name} sent a filter this server does not support. Filters on userName, externalId, emails.value, displayName and members.value with eq, and, or are supported; check the matching attribute in ${c.mappings}.`;
  }
  return `Check ${c.mappings}: the attribute named in the error is missing or has the wrong type.`;
}

/** A refused request's summary when the handler did not say what it was doing. */
export function defaultSummary(method: string, resource: string | undefined, id: string | undefined): string {
  const kind = resource === 'Groups' ? 'group' : resource === 'Users' ? 'user' : undefined;
  if (!kind) return `${method} ${resource ? `/${resource}` : 'request'}`;
  switch (method) {
    case 'POST':
      return `Create a ${kind}`;
    case 'PUT':
      return `Replace ${kind} ${id ?? ''}`.trim();
    case 'PATCH':
      return `Update ${kind} ${id ?? ''}`.trim();
    case 'DELETE':
      return `Delete ${kind} ${id ?? ''}`.trim();
    default:
      return id ? `Read ${kind} ${id}` : `List ${kind}s`;
  }
}
