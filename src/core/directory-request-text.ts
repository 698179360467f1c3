/**
 * The words of the SCIM request log (`DirectoryRequest` of `directory-model.ts`): a request's
 * summary from its code and values, and, for a refused one, what to change in the provider's
 * console from the refusal's facts. One wording for both sides: the server writes the log's
 * English text with it (`englishAnswer`, for the REST contract), and the directory section shows
 * it in the admin's language from the structured fields the server stores beside that text.
 *
 * Imported only by the directory section, the MemoryAdapter's directories and the server, so the
 * overview and the wizard carry none of it. The IdP consoles' own labels ("API Token",
 * "Provisioning tab", "Admin Credentials"...) stay in English in every language (docs/i18n.md).
 */
import type { DirectoryProviderId, DirectoryRequestFacts, DirectorySummaryValues } from './directory-model.js';
import { DIRECTORY_PROVIDER_NAMES } from './directory-providers/names.js';
import { msg } from './text.js';
import { list, plural, str } from './text-forms.js';

/** The summaries the server writes (`DirectoryRequest.summaryCode`). */
export const DIRECTORY_SUMMARY_CODES = [
  'config_read',
  'resource_types_read',
  'resource_type_read',
  'schemas_read',
  'schema_read',
  'users_listed',
  'groups_listed',
  'users_looked_up',
  'groups_looked_up',
  'user_read',
  'group_read',
  'user_create_refused',
  'user_created',
  'user_replace_refused',
  'user_replaced',
  'user_replaced_deactivated',
  'user_replaced_unchanged',
  'user_updated',
  'user_deactivated',
  'user_updated_unchanged',
  'user_deleted',
  'group_create_refused',
  'group_created',
  'group_replace_refused',
  'group_replaced',
  'group_replaced_unchanged',
  'group_updated',
  'group_updated_unchanged',
  'group_deleted',
  'request',
  'request_refused',
] as const;
export type DirectorySummaryCode = (typeof DIRECTORY_SUMMARY_CODES)[number];

/** A summary as the server records it: the code and its values. */
export interface DirectorySummary {
  code: DirectorySummaryCode;
  values: DirectorySummaryValues;
}

/**
 * The summary of a request a handler did not describe (refused before it knew what it did):
 * "Create a user", "Update group grp_1", "GET /Bulk". Values: `method`, `resource`, `id`.
 */
function defaultSummary(method: string, resource: string, id: string): string {
  const group = resource === 'Groups';
  if (!group && resource !== 'Users') return resource ? `${method} /${resource}` : msg(str`${method} request`);
  switch (method) {
    case 'POST':
      return group ? msg('Create a group') : msg('Create a user');
    case 'PUT':
      return id ? (group ? msg(str`Replace group ${id}`) : msg(str`Replace user ${id}`)) : group ? msg('Replace group') : msg('Replace user');
    case 'PATCH':
      return id ? (group ? msg(str`Update group ${id}`) : msg(str`Update user ${id}`)) : group ? msg('Update group') : msg('Update user');
    case 'DELETE':
      return id ? (group ? msg(str`Delete group ${id}`) : msg(str`Delete user ${id}`)) : group ? msg('Delete group') : msg('Delete user');
    default:
      return id ? (group ? msg(str`Read group ${id}`) : msg(str`Read user ${id}`)) : group ? msg('List groups') : msg('List users');
  }
}

/** What a request did, in a few words, in the language shown; `undefined` for a code this version does not know. */
export function directorySummaryText(code: string, values: DirectorySummaryValues = {}): string | undefined {
  const text = (key: string) => String(values[key] ?? '');
  const count = (key: string) => Number(values[key] ?? 0);
  const names = (key: string) => {
    const value = values[key];
    return Array.isArray(value) ? value : [];
  };
  const [user, group, name] = [text('user'), text('group'), text('name')];
  const [found, shown, total, members] = [count('found'), count('count'), count('total'), count('members')];
  const by = names('attributes');
  switch (code) {
    case 'config_read':
      return msg('Read the server’s configuration');
    case 'resource_types_read':
      return msg('Read the resource types');
    case 'resource_type_read':
      return msg(str`Read the resource type ${name}`);
    case 'schemas_read':
      return msg('Read the schemas');
    case 'schema_read':
      return msg(str`Read the schema ${name}`);
    case 'users_listed':
      return msg(str`Listed users (${shown} of ${total})`);
    case 'groups_listed':
      return msg(str`Listed groups (${shown} of ${total})`);
    case 'users_looked_up':
      return by.length ? msg(str`Looked up users by ${list(by)} (${found} found)`) : msg(str`Looked up users by a filter (${found} found)`);
    case 'groups_looked_up':
      return by.length ? msg(str`Looked up groups by ${list(by)} (${found} found)`) : msg(str`Looked up groups by a filter (${found} found)`);
    case 'user_read':
      return msg(str`Read user ${user}`);
    case 'group_read':
      return msg(str`Read group ${group}`);
    case 'user_create_refused':
      return msg(str`Refused to create user ${user}`);
    case 'user_created':
      return msg(str`Created user ${user}`);
    case 'user_replace_refused':
      return msg(str`Refused to replace user ${user}`);
    case 'user_replaced':
      return msg(str`Replaced user ${user}`);
    case 'user_replaced_deactivated':
      return msg(str`Replaced user ${user} (deactivated)`);
    case 'user_replaced_unchanged':
      return msg(str`Replaced user ${user} (no change)`);
    case 'user_updated':
      return by.length ? msg(str`Updated user ${user} (${list(by)})`) : msg(str`Updated user ${user}`);
    case 'user_deactivated':
      return msg(str`Deactivated user ${user}`);
    case 'user_updated_unchanged':
      return msg(str`Updated user ${user} (no change)`);
    case 'user_deleted':
      return msg(str`Deleted user ${user}`);
    case 'group_create_refused':
      return msg(str`Refused to create group ${group}`);
    case 'group_created':
      return members
        ? plural(members, { one: () => msg(str`Created group ${group} with ${members} member`), other: () => msg(str`Created group ${group} with ${members} members`) })
        : msg(str`Created group ${group}`);
    case 'group_replace_refused':
      return msg(str`Refused to replace group ${group}`);
    case 'group_replaced':
      return msg(str`Replaced group ${group}`);
    case 'group_replaced_unchanged':
      return msg(str`Replaced group ${group} (no change)`);
    case 'group_updated': {
      const [added, removed] = [count('added'), count('removed')];
      if (added) return plural(added, { one: () => msg(str`Updated group ${group} (${added} member added)`), other: () => msg(str`Updated group ${group} (${added} members added)`) });
      if (removed) return plural(removed, { one: () => msg(str`Updated group ${group} (${removed} member removed)`), other: () => msg(str`Updated group ${group} (${removed} members removed)`) });
      return msg(str`Updated group ${group}`);
    }
    case 'group_updated_unchanged':
      return msg(str`Updated group ${group} (no change)`);
    case 'group_deleted':
      return msg(str`Deleted group ${group}`);
    case 'request':
      return defaultSummary(text('method'), text('resource'), text('id'));
    case 'request_refused': {
      const what = defaultSummary(text('method'), text('resource'), text('id'));
      return msg(str`Refused: ${what}`);
    }
    default:
      return undefined;
  }
}

/** Where each provider's console keeps the bearer token, and what it calls provisioning; brands by their names (`DIRECTORY_PROVIDER_NAMES`). */
function consoleOf(provider: DirectoryProviderId): { name: string; tokenField: string; mappings: string } {
  const branded = (tokenField: string, mappings: string) => ({ name: DIRECTORY_PROVIDER_NAMES[provider], tokenField, mappings });
  switch (provider) {
    case 'okta':
      return branded(msg("Okta's API Token field (the application's Provisioning tab, Integration)"), msg("the application's Provisioning tab, To App attribute mappings"));
    case 'entra-id':
      return branded(msg("Entra's Secret Token field (the enterprise application's Provisioning, Admin Credentials)"), msg("the enterprise application's Provisioning, Mappings"));
    case 'onelogin':
      return branded(msg("OneLogin's SCIM Bearer Token field (the application's Configuration tab)"), msg("the application's Provisioning and Parameters tabs"));
    case 'jumpcloud':
      return branded(msg("JumpCloud's Token Key field (the application's Identity Management tab)"), msg("the application's Identity Management attribute mappings"));
    case 'ping':
      return branded(msg('the access token (bearer) field of the SCIM provisioning connection'), msg('the provisioning connection’s attribute mappings'));
    case 'google-workspace':
      return branded(msg("the app's access token field (Admin console, Apps, auto-provisioning)"), msg("the app's auto-provisioning attribute mappings"));
    // Not brands: named as a sentence needs them ("in the Directory Simulator", "in your SCIM client").
    case 'directory-simulator':
      return { name: msg('the Directory Simulator'), tokenField: msg("the Directory Simulator's token field"), mappings: msg("the Directory Simulator's scenario") };
    default:
      return { name: msg('your SCIM client'), tokenField: msg("your SCIM client's bearer token setting"), mappings: msg("your SCIM client's attribute mappings") };
  }
}

/** What to change, in plain words and the language shown, for a request `provider` sent and this server refused. */
export function directoryRemedyText(provider: DirectoryProviderId, facts: DirectoryRequestFacts): string {
  const { name, tokenField, mappings } = consoleOf(provider);
  const groups = facts.resource === 'Groups';
  switch (facts.status) {
    case 401:
      return facts.tokenProblem === 'missing'
        ? msg(str`The request had no bearer token. In ${name}, choose the bearer token (HTTP header) authentication and copy the token from the portal into ${tokenField}.`)
        : msg(str`Copy the token again from the portal into ${tokenField}. A token stops working as soon as a new one is generated; generate one in the portal if it was lost.`);
    case 403:
      return msg(str`This directory is disabled in the portal. Enable it in the portal's Directory sync section, or turn provisioning off in ${name}.`);
    case 404:
      if (groups)
        return msg(
          str`The group does not exist here (it was deleted, or created before this directory was). In ${name}, push the group again (for Okta: unassign and assign it again; for Entra ID: restart provisioning) so it is created.`,
        );
      if (facts.resource === 'Users')
        return msg(
          str`The user does not exist here (it was deleted, or created before this directory was). In ${name}, push the user again (for Okta: unassign and assign it again; for Entra ID: restart provisioning) so it is created.`,
        );
      return msg(str`This address is not a SCIM endpoint. In ${name}, set the base URL to the portal's SCIM base URL exactly, ending with the directory id (no /Users or /v2 added).`);
    case 409:
      return msg(str`Another user of this directory already has this userName. In ${name}, remove the duplicate account or match users on userName (${mappings}), then retry.`);
    case 412:
      return groups
        ? msg(str`The group changed since ${name} read it; it reads it again and retries. Nothing to change unless it keeps happening.`)
        : msg(str`The user changed since ${name} read it; it reads it again and retries. Nothing to change unless it keeps happening.`);
    case 413:
      return msg(str`The request is larger than this server accepts (1 MB). In ${name}, push groups with fewer members at a time, or check ${mappings} for very large attributes.`);
    case 429:
      return msg(str`Too many requests; ${name} retries after the time the answer gave. If it keeps happening, lower the provisioning rate in ${name}.`);
    case 501:
      return msg(str`${name} asked for a SCIM feature this server does not offer (bulk, sorting, passwords). Turn it off in ${name}'s provisioning options.`);
    default:
      break;
  }
  if (facts.status >= 500) return msg(str`A fault on this server, not in ${name}. ${name} retries by itself; if it persists, contact the application's support with the time of the request.`);
  if (provider === 'entra-id' && facts.method === 'PATCH') {
    return msg(
      str`Entra ID's default PATCH requests do not follow SCIM 2.0. Add ?aadOptscim062020 to the Tenant URL in Entra's Admin Credentials (after the SCIM base URL), save, and restart provisioning. Otherwise check ${mappings}.`,
    );
  }
  if (facts.scimType === 'invalidFilter') {
    return msg(
      str`${name} sent a filter this server does not support. Filters on userName, externalId, emails.value, displayName and members.value with eq, and, or are supported; check the matching attribute in ${mappings}.`,
    );
  }
  return msg(str`Check ${mappings}: the attribute named in the error is missing or has the wrong type.`);
}
