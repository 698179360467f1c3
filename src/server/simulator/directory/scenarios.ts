/**
 * The Directory Simulator's scenarios (issue 14, point 3): the SCIM 2.0 requests Okta and
 * Microsoft Entra ID send when they provision, as data per dialect. `runner.ts` sends them.
 *
 * Written from the providers' public documentation:
 * - Okta, "SCIM 2.0 protocol reference" (developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20)
 *   and "Build a SCIM provisioning integration" (developer.okta.com/docs/guides/scim-provisioning-integration-prepare/):
 *   before creating a user Okta looks it up with `GET /Users?filter=userName eq "…"&startIndex=1&count=100`,
 *   creates it with `POST /Users` (its app profile: name, work email, locale, Okta's user id as
 *   `externalId`, the password when password sync is on), updates it with `PUT /Users/{id}` (the
 *   whole user, after a `GET /Users/{id}`), deactivates and reactivates it with a path-less
 *   `PATCH` `{"op":"replace","value":{"active":false}}`, and never deletes a user; group push is
 *   `POST /Groups` (sent here with the group's members at once), membership changes are `PATCH /Groups/{id}` with
 *   `{"op":"add","path":"members",…}` and `{"op":"remove","path":"members[value eq \"…\"]"}`,
 *   and unpushing a group is `DELETE /Groups/{id}`.
 * - Microsoft, "Tutorial: Develop and plan provisioning for a SCIM endpoint in Microsoft Entra ID"
 *   (learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups):
 *   `GET /Users?filter=userName eq "…"` (no paging parameters) then `POST /Users` (core and
 *   enterprise schemas, `meta.resourceType`, `roles: []`, Entra's object id as `externalId`);
 *   `GET /Groups?excludedAttributes=members&filter=displayName eq "…"` then `POST /Groups` (with
 *   the Microsoft `…/ADSCIM/2.0/Group` schema URN beside the core one) and the members added by a
 *   later `PATCH` (`"op":"Add"`, values `{"$ref":null,"value":"…"}`); updates are `PATCH` with
 *   capitalised `"Replace"` operations and value-filter paths (`emails[type eq "work"].value`);
 *   deprovisioning is `DELETE /Users/{id}` (204).
 * - Microsoft, "Known issues and resolutions with SCIM 2.0 protocol compliance of the Microsoft
 *   Entra user provisioning service" (learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility):
 *   without the `?aadOptscim062020` flag on the tenant URL Entra sends booleans as strings
 *   (`"value":"False"`) and removes a member with `"op":"Remove","path":"members"` and a value
 *   array; with the flag, lower-case ops, real booleans, `members[value eq "…"]` removals and
 *   path-less `replace` with attribute paths as keys.
 *
 * The user agents are the simulator's own (named after the provider it imitates): the providers'
 * documentation does not publish theirs.
 */
import { createHash } from 'node:crypto';
import { msg, str } from '../../../portal/localize/msg.js';
import { plural } from '../../../portal/localize/plural.js';

export const DIRECTORY_DIALECTS = ['okta', 'entra'] as const;
export type DirectoryDialect = (typeof DIRECTORY_DIALECTS)[number];

export const DIRECTORY_SCENARIOS = ['initial-import', 'create', 'update', 'deactivate', 'reactivate', 'group-push', 'membership-change', 'deprovision'] as const;
export type DirectoryScenario = (typeof DIRECTORY_SCENARIOS)[number];

export const isDirectoryDialect = (value: unknown): value is DirectoryDialect => (DIRECTORY_DIALECTS as readonly unknown[]).includes(value);
export const isDirectoryScenario = (value: unknown): value is DirectoryScenario => (DIRECTORY_SCENARIOS as readonly unknown[]).includes(value);

export const DIALECT_INFO: Readonly<Record<DirectoryDialect, { label: string; userAgent: string }>> = Object.freeze({
  okta: { label: 'Okta', userAgent: 'Okta SCIM Client 1.0.0 (sso-admin-portal Directory Simulator)' },
  entra: { label: 'Microsoft Entra ID', userAgent: 'Microsoft Entra provisioning (sso-admin-portal Directory Simulator)' },
});

/** What each scenario does, for the page and the report: getters, in the language of the page being built (page-language.ts). */
export const SCENARIO_INFO: Readonly<Record<DirectoryScenario, { label: string; hint: string }>> = Object.freeze({
  'initial-import': { get label() { return msg('Initial import'); }, get hint() { return msg('The first cycle: each assigned user looked up by userName, then created (Entra ID also creates the group and adds the members).'); } },
  create: { get label() { return msg('Create a user'); }, get hint() { return msg('A new hire assigned to the app: looked up, then created.'); } },
  update: { get label() { return msg('Update a user'); }, get hint() { return msg('The new hire’s name, title and email change (Okta: PUT of the whole user; Entra ID: PATCH "Replace").'); } },
  deactivate: { get label() { return msg('Deactivate a user'); }, get hint() { return msg('The new hire is unassigned or leaves: active set to false (Entra ID sends the string "False").'); } },
  reactivate: { get label() { return msg('Reactivate a user'); }, get hint() { return msg('The new hire is assigned again: active set back to true.'); } },
  'group-push': { get label() { return msg('Push a group'); }, get hint() { return msg('A group created with the imported users as its members.'); } },
  'membership-change': { get label() { return msg('Change group membership'); }, get hint() { return msg('The new hire joins the group and the last imported user leaves it.'); } },
  deprovision: { get label() { return msg('Deprovision'); }, get hint() { return msg('Okta deactivates the new hire and deletes the pushed group; Entra ID deletes the new hire.'); } },
});

export const SCIM_SCHEMAS = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  /** Sent by Entra ID on group creation (Microsoft's tutorial, "Create Group"). */
  entraGroup: 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
} as const;

// ---------------------------------------------------------------------------------------
// The simulated people

export interface SimulatedDirectoryUser {
  userName: string;
  givenName: string;
  familyName: string;
  email: string;
  /** The provider's own id of the user (Okta `00u…`, Entra an object id GUID). */
  externalId: string;
}

const PEOPLE: readonly (readonly [string, string])[] = [
  ['Ada', 'Lovelace'],
  ['Grace', 'Hopper'],
  ['Alan', 'Turing'],
  ['Katherine', 'Johnson'],
  ['Edsger', 'Dijkstra'],
  ['Barbara', 'Liskov'],
  ['Donald', 'Knuth'],
  ['Margaret', 'Hamilton'],
  ['Radia', 'Perlman'],
  ['Frances', 'Allen'],
];
const NEW_HIRE: readonly [string, string] = ['Dorothy', 'Vaughan'];
export const DEFAULT_USER_COUNT = 3;
export const MAX_USER_COUNT = 50;
export const DEFAULT_USER_DOMAIN = 'megacorp.example';
/** The group the scenarios push and change. */
export const SIMULATED_GROUP = 'Engineering';

const digest = (text: string) => createHash('sha256').update(text).digest('hex');
/** A GUID made from a name (stable across runs, as the provider's object ids are). */
const guidOf = (text: string) => {
  const h = digest(text);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
/** An Okta user id (`00u` and 17 letters and digits) made from a name. */
const oktaIdOf = (text: string) => `00u${BigInt(`0x${digest(text).slice(0, 24)}`).toString(36).padStart(17, '0').slice(0, 17)}`;

function person(first: string, last: string, suffix: string, domain: string, dialect: DirectoryDialect): SimulatedDirectoryUser {
  const local = `${first}.${last}${suffix}`.toLowerCase().replace(/[^a-z0-9.-]/g, '');
  const userName = `${local}@${domain}`;
  return { userName, givenName: first, familyName: last, email: userName, externalId: dialect === 'okta' ? oktaIdOf(userName) : guidOf(userName) };
}

/** The users an initial import provisions: `count` people at `domain` (names repeat with a number after the tenth). */
export function simulatedUsers(count: number, domain: string, dialect: DirectoryDialect): SimulatedDirectoryUser[] {
  return Array.from({ length: count }, (_, i) => {
    const [first, last] = PEOPLE[i % PEOPLE.length]!;
    const round = Math.floor(i / PEOPLE.length);
    return person(first, last, round === 0 ? '' : String(round + 1), domain, dialect);
  });
}

/** The user the create, update, deactivate, reactivate and deprovision scenarios act on. */
export const simulatedNewHire = (domain: string, dialect: DirectoryDialect): SimulatedDirectoryUser => person(NEW_HIRE[0], NEW_HIRE[1], '', domain, dialect);

// ---------------------------------------------------------------------------------------
// Steps

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What the scenario knows while it runs: its people, the ids learnt from earlier answers. */
export interface ScenarioContext {
  dialect: DirectoryDialect;
  users: SimulatedDirectoryUser[];
  newHire: SimulatedDirectoryUser;
  group: { displayName: string; externalId: string };
  /** Entra ID's `?aadOptscim062020` flag was on the base URL: the compliant PATCH forms. */
  entraFlag: boolean;
  /** A password Okta would sync (random per run; the server must never return it). */
  password: string;
  /** Ids from earlier answers: `user:<userName>`, `group:<displayName>`. */
  ids: Map<string, string>;
  /** The id learnt under `key`; throws {@link MissingIdError} when no earlier answer gave it. */
  id(key: string): string;
}

export class MissingIdError extends Error {
  constructor(readonly key: string) {
    super(`no id for ${key}`);
  }
}

/**
 * What the real provider expects of the answer:
 * - `list`: 200 with a ListResponse (`schemas`, `totalResults`, `Resources`); `found` when a
 *   number of results is required;
 * - `created`: 201 with the resource and its `id`;
 * - `resource`: 200 with the resource and its `id`;
 * - `updated`: 200 with the resource, or 204;
 * - `deleted`: 204;
 * - `not-found`: 404 with a SCIM error.
 */
export type Expectation =
  | { kind: 'list'; found?: number }
  | { kind: 'created' }
  | { kind: 'resource' }
  | { kind: 'updated' }
  | { kind: 'deleted' }
  | { kind: 'not-found' };

export interface StepSpec {
  /** What the step does, in a few words ("Look up ada.lovelace@… by userName"). */
  title: string;
  /**
   * `request`: what the provider sends; `resolve`: a lookup the simulator adds because it keeps no
   * ids between runs (the provider remembers them); `check`: the simulator reads back what the
   * scenario changed.
   */
  role: 'request' | 'resolve' | 'check';
  method: HttpMethod;
  /** Below the SCIM base URL, with the query (`/Users?filter=…`). */
  path(ctx: ScenarioContext): string;
  body?(ctx: ScenarioContext): unknown;
  expect: Expectation;
  /** Sent only when this holds (e.g. create only when the lookup found nobody); else skipped with `skipReason`. */
  when?(ctx: ScenarioContext): boolean;
  skipReason?: string;
  /** Remember the id of the answer's resource (or of a list's first result) under this key. */
  capture?(ctx: ScenarioContext): string;
  /** More checks of a passing answer's body: a problem in plain words, or undefined. */
  verify?(body: unknown, ctx: ScenarioContext): string | undefined;
}

const q = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const query = (params: [string, string][]) => params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
const userKey = (u: SimulatedDirectoryUser) => `user:${u.userName}`;
const groupKey = (ctx: ScenarioContext) => `group:${ctx.group.displayName}`;
const patchOp = (...operations: unknown[]) => ({ schemas: [SCIM_SCHEMAS.patchOp], Operations: operations });
const displayName = (u: SimulatedDirectoryUser) => `${u.givenName} ${u.familyName}`;

/** The new hire after the update scenario: a new family name, title and email. */
export const UPDATED_FAMILY_NAME = 'Vaughan-Mitchell';
export const UPDATED_TITLE = 'Staff Mathematician';
const updatedEmail = (u: SimulatedDirectoryUser) => u.email.replace('@', '.work@');

// ---- answer checks

type Resource = Record<string, unknown>;
const asResource = (body: unknown): Resource => (body && typeof body === 'object' && !Array.isArray(body) ? (body as Resource) : {});
const membersOf = (body: unknown): string[] => {
  const members = asResource(body).members;
  return Array.isArray(members) ? members.map((m) => asResource(m).value).filter((v): v is string => typeof v === 'string') : [];
};
/** A filtered list holds only what the filter asked for (a server ignoring the filter would answer everyone). */
const onlyMatches = (body: unknown, attribute: 'userName' | 'displayName', value: string): string | undefined => {
  const resources = asResource(body).Resources;
  const other = Array.isArray(resources)
    ? resources.map(asResource).find((r) => typeof r[attribute] !== 'string' || r[attribute].toLowerCase() !== value.toLowerCase())
    : undefined;
  return other ? msg(str`The filter ${`${attribute} eq "${value}"`} answered ${JSON.stringify(other[attribute] ?? null)} too.`) : undefined;
};
const activeOf = (body: unknown): unknown => asResource(body).active;
const noPassword = (body: unknown): string | undefined =>
  'password' in asResource(body) ? msg('The answer returns the password: SCIM never returns it (RFC 7643, "returned": "never").') : undefined;

const expectActive = (wanted: boolean) => (body: unknown) =>
  activeOf(body) === wanted ? undefined : msg(str`${'active'} is ${JSON.stringify(activeOf(body))}, expected ${wanted}.`);

const expectMembers = (ctx: ScenarioContext, present: SimulatedDirectoryUser[], absent: SimulatedDirectoryUser[], body: unknown): string | undefined => {
  const members = membersOf(body);
  const missing = present.filter((u) => !members.includes(ctx.id(userKey(u))));
  const extra = absent.filter((u) => members.includes(ctx.id(userKey(u))));
  if (missing.length) return msg(str`Members miss ${missing.map((u) => u.userName).join(', ')}.`);
  if (extra.length) return msg(str`${extra.map((u) => u.userName).join(', ')} should no longer be a member.`);
  return undefined;
};

// ---- steps shared by both dialects (paths and checks), bodies per dialect

function lookupUser(u: SimulatedDirectoryUser, dialect: DirectoryDialect, role: StepSpec['role'] = 'request', found?: number): StepSpec {
  return {
    title: msg(str`Look up ${u.userName} by userName`),
    role,
    method: 'GET',
    // Okta pages every query (startIndex=1&count=100); Entra ID sends the filter alone.
    path: () => `/Users?${query([['filter', `userName eq ${q(u.userName)}`], ...(dialect === 'okta' ? ([['startIndex', '1'], ['count', '100']] as [string, string][]) : [])])}`,
    expect: found === undefined ? { kind: 'list' } : { kind: 'list', found },
    capture: () => userKey(u),
    verify: (body) => onlyMatches(body, 'userName', u.userName),
  };
}

function lookupGroup(dialect: DirectoryDialect, role: StepSpec['role'] = 'request', found?: number): StepSpec {
  return {
    title: msg(str`Look up the group ${SIMULATED_GROUP} by displayName`),
    role,
    method: 'GET',
    path: (ctx) =>
      dialect === 'entra'
        ? `/Groups?${query([['excludedAttributes', 'members'], ['filter', `displayName eq ${q(ctx.group.displayName)}`]])}`
        : `/Groups?${query([['filter', `displayName eq ${q(ctx.group.displayName)}`], ['startIndex', '1'], ['count', '100']])}`,
    expect: found === undefined ? { kind: 'list' } : { kind: 'list', found },
    capture: (ctx) => groupKey(ctx),
    verify: (body, ctx) => onlyMatches(body, 'displayName', ctx.group.displayName),
  };
}

const getUser = (u: SimulatedDirectoryUser, role: StepSpec['role'], verify?: StepSpec['verify']): StepSpec => ({
  title: msg(str`Read ${u.userName}`),
  role,
  method: 'GET',
  path: (ctx) => `/Users/${encodeURIComponent(ctx.id(userKey(u)))}`,
  expect: { kind: 'resource' },
  ...(verify ? { verify } : {}),
});

const getGroup = (role: StepSpec['role'], verify?: StepSpec['verify']): StepSpec => ({
  title: msg(str`Read the group ${SIMULATED_GROUP}`),
  role,
  method: 'GET',
  path: (ctx) => `/Groups/${encodeURIComponent(ctx.id(groupKey(ctx)))}`,
  expect: { kind: 'resource' },
  ...(verify ? { verify } : {}),
});

// ---- Okta

function oktaUser(u: SimulatedDirectoryUser, ctx: ScenarioContext) {
  return {
    schemas: [SCIM_SCHEMAS.user],
    userName: u.userName,
    name: { givenName: u.givenName, familyName: u.familyName },
    emails: [{ primary: true, value: u.email, type: 'work' }],
    displayName: displayName(u),
    locale: 'en-US',
    externalId: u.externalId,
    groups: [],
    password: ctx.password,
    active: true,
  };
}

function oktaCreate(u: SimulatedDirectoryUser): StepSpec[] {
  return [
    lookupUser(u, 'okta'),
    {
      title: msg(str`Create ${u.userName}`),
      role: 'request',
      method: 'POST',
      path: () => '/Users',
      body: (ctx) => oktaUser(u, ctx),
      expect: { kind: 'created' },
      when: (ctx) => !ctx.ids.has(userKey(u)),
      skipReason: msg('The lookup found the user: Okta links it instead of creating it.'),
      capture: () => userKey(u),
      verify: noPassword,
    },
  ];
}

const oktaActive = (u: SimulatedDirectoryUser, active: boolean): StepSpec => ({
  title: active ? msg(str`Reactivate ${u.userName}`) : msg(str`Deactivate ${u.userName}`),
  role: 'request',
  method: 'PATCH',
  path: (ctx) => `/Users/${encodeURIComponent(ctx.id(userKey(u)))}`,
  body: () => patchOp({ op: 'replace', value: { active } }),
  expect: { kind: 'updated' },
});

const oktaMember = (u: SimulatedDirectoryUser, ctx: ScenarioContext) => ({ value: ctx.id(userKey(u)), display: u.userName });

function okta(scenario: DirectoryScenario, ctx: ScenarioContext): StepSpec[] {
  const { users, newHire: hire } = ctx;
  const last = users[users.length - 1]!;
  switch (scenario) {
    case 'initial-import':
      return [
        // Okta's "Import Users" reads the app's users page by page.
        { title: msg('List the users (import)'), role: 'request', method: 'GET', path: () => '/Users?startIndex=1&count=100', expect: { kind: 'list' } },
        ...users.flatMap(oktaCreate),
      ];
    case 'create':
      return oktaCreate(hire);
    case 'update':
      return [
        lookupUser(hire, 'okta', 'resolve', 1),
        getUser(hire, 'request'),
        {
          title: msg(str`Replace ${hire.userName} (new family name, title and email)`),
          role: 'request',
          method: 'PUT',
          path: (c) => `/Users/${encodeURIComponent(c.id(userKey(hire)))}`,
          // The whole user again (Okta sends no password on an update).
          body: (c) => ({ ...oktaUser({ ...hire, familyName: UPDATED_FAMILY_NAME, email: updatedEmail(hire) }, c), password: undefined, id: c.id(userKey(hire)), title: UPDATED_TITLE }),
          expect: { kind: 'resource' },
          verify: (body) => {
            const name = asResource(asResource(body).name);
            return name.familyName === UPDATED_FAMILY_NAME ? noPassword(body) : msg(str`${'name.familyName'} is ${JSON.stringify(name.familyName)}, expected ${UPDATED_FAMILY_NAME}.`);
          },
        },
      ];
    case 'deactivate':
    case 'reactivate': {
      const active = scenario === 'reactivate';
      return [lookupUser(hire, 'okta', 'resolve', 1), oktaActive(hire, active), getUser(hire, 'check', expectActive(active))];
    }
    case 'group-push':
      return [
        ...users.map((u) => lookupUser(u, 'okta', 'resolve', 1)),
        {
          title: plural(users.length, { one: () => msg(str`Create the group ${SIMULATED_GROUP} with ${users.length} member`), other: () => msg(str`Create the group ${SIMULATED_GROUP} with ${users.length} members`) }),
          role: 'request',
          method: 'POST',
          path: () => '/Groups',
          body: (c) => ({ schemas: [SCIM_SCHEMAS.group], displayName: c.group.displayName, members: users.map((u) => oktaMember(u, c)) }),
          expect: { kind: 'created' },
          capture: (c) => groupKey(c),
        },
        getGroup('request', (body, c) => expectMembers(c, users, [], body)),
      ];
    case 'membership-change':
      return [
        lookupGroup('okta', 'resolve', 1),
        lookupUser(hire, 'okta', 'resolve', 1),
        lookupUser(last, 'okta', 'resolve', 1),
        {
          title: msg(str`Add ${hire.userName} to ${SIMULATED_GROUP}`),
          role: 'request',
          method: 'PATCH',
          path: (c) => `/Groups/${encodeURIComponent(c.id(groupKey(c)))}`,
          body: (c) => patchOp({ op: 'add', path: 'members', value: [oktaMember(hire, c)] }),
          expect: { kind: 'updated' },
        },
        {
          title: msg(str`Remove ${last.userName} from ${SIMULATED_GROUP}`),
          role: 'request',
          method: 'PATCH',
          path: (c) => `/Groups/${encodeURIComponent(c.id(groupKey(c)))}`,
          body: (c) => patchOp({ op: 'remove', path: `members[value eq ${q(c.id(userKey(last)))}]` }),
          expect: { kind: 'updated' },
        },
        getGroup('check', (body, c) => expectMembers(c, [hire], [last], body)),
      ];
    case 'deprovision':
      // Okta never deletes a user: unassigning deactivates it; unpushing a group deletes it.
      return [
        lookupUser(hire, 'okta', 'resolve', 1),
        oktaActive(hire, false),
        getUser(hire, 'check', expectActive(false)),
        lookupGroup('okta', 'resolve', 1),
        { title: msg(str`Delete the group ${SIMULATED_GROUP} (unpush)`), role: 'request', method: 'DELETE', path: (c) => `/Groups/${encodeURIComponent(c.id(groupKey(c)))}`, expect: { kind: 'deleted' } },
        { ...getGroup('check'), title: msg(str`Read the deleted group ${SIMULATED_GROUP}`), expect: { kind: 'not-found' } },
      ];
  }
}

// ---- Microsoft Entra ID

function entraUser(u: SimulatedDirectoryUser) {
  return {
    schemas: [SCIM_SCHEMAS.user, SCIM_SCHEMAS.enterpriseUser],
    externalId: u.externalId,
    userName: u.userName,
    active: true,
    emails: [{ primary: true, type: 'work', value: u.email }],
    meta: { resourceType: 'User' },
    name: { formatted: displayName(u), familyName: u.familyName, givenName: u.givenName },
    roles: [],
  };
}

function entraCreate(u: SimulatedDirectoryUser): StepSpec[] {
  return [
    lookupUser(u, 'entra'),
    {
      title: msg(str`Create ${u.userName}`),
      role: 'request',
      method: 'POST',
      path: () => '/Users',
      body: () => entraUser(u),
      expect: { kind: 'created' },
      when: (ctx) => !ctx.ids.has(userKey(u)),
      skipReason: msg('The lookup found the user: Entra ID matches it instead of creating it.'),
      capture: () => userKey(u),
    },
  ];
}

/** Entra ID's op names: capitalised without the flag ("Replace"), lower-case with it. */
const entraOp = (ctx: ScenarioContext, op: 'add' | 'replace' | 'remove') => (ctx.entraFlag ? op : `${op[0]!.toUpperCase()}${op.slice(1)}`);

const entraActive = (u: SimulatedDirectoryUser, active: boolean): StepSpec => ({
  title: active ? msg(str`Reactivate ${u.userName}`) : msg(str`Deactivate ${u.userName}`),
  role: 'request',
  method: 'PATCH',
  path: (ctx) => `/Users/${encodeURIComponent(ctx.id(userKey(u)))}`,
  // Without the flag the boolean is a string ("False"), as the compliance page shows.
  body: (ctx) => patchOp({ op: entraOp(ctx, 'replace'), path: 'active', value: ctx.entraFlag ? active : active ? 'True' : 'False' }),
  expect: { kind: 'updated' },
});

function entraGroupPush(members: SimulatedDirectoryUser[]): StepSpec[] {
  return [
    lookupGroup('entra'),
    {
      title: msg(str`Create the group ${SIMULATED_GROUP}`),
      role: 'request',
      method: 'POST',
      path: () => '/Groups',
      body: (ctx) => ({ schemas: [SCIM_SCHEMAS.group, SCIM_SCHEMAS.entraGroup], externalId: ctx.group.externalId, displayName: ctx.group.displayName, meta: { resourceType: 'Group' } }),
      expect: { kind: 'created' },
      when: (ctx) => !ctx.ids.has(groupKey(ctx)),
      skipReason: msg('The lookup found the group: Entra ID matches it instead of creating it.'),
      capture: (ctx) => groupKey(ctx),
    },
    {
      title: plural(members.length, { one: () => msg(str`Add ${members.length} member to ${SIMULATED_GROUP}`), other: () => msg(str`Add ${members.length} members to ${SIMULATED_GROUP}`) }),
      role: 'request',
      method: 'PATCH',
      path: (ctx) => `/Groups/${encodeURIComponent(ctx.id(groupKey(ctx)))}`,
      body: (ctx) => patchOp({ op: entraOp(ctx, 'add'), path: 'members', value: members.map((u) => ({ $ref: null, value: ctx.id(userKey(u)) })) }),
      expect: { kind: 'updated' },
    },
    getGroup('check', (body, ctx) => expectMembers(ctx, members, [], body)),
  ];
}

function entra(scenario: DirectoryScenario, ctx: ScenarioContext): StepSpec[] {
  const { users, newHire: hire } = ctx;
  const last = users[users.length - 1]!;
  switch (scenario) {
    case 'initial-import':
      return [...users.flatMap(entraCreate), ...entraGroupPush(users)];
    case 'create':
      return entraCreate(hire);
    case 'update':
      return [
        lookupUser(hire, 'entra', 'request', 1),
        {
          title: msg(str`Update ${hire.userName} (new family name, title and work email)`),
          role: 'request',
          method: 'PATCH',
          path: (c) => `/Users/${encodeURIComponent(c.id(userKey(hire)))}`,
          body: (c) =>
            c.entraFlag
              ? // With the flag: one path-less replace, attribute paths as keys.
                patchOp({ op: 'replace', value: { 'name.familyName': UPDATED_FAMILY_NAME, 'emails[type eq "work"].value': updatedEmail(hire), title: UPDATED_TITLE } })
              : patchOp(
                  { op: 'Replace', path: 'emails[type eq "work"].value', value: updatedEmail(hire) },
                  { op: 'Replace', path: 'name.familyName', value: UPDATED_FAMILY_NAME },
                  { op: 'Add', path: 'title', value: UPDATED_TITLE },
                ),
          expect: { kind: 'updated' },
        },
        getUser(hire, 'check', (body) => {
          const user = asResource(body);
          const familyName = asResource(user.name).familyName;
          const emails = Array.isArray(user.emails) ? user.emails.map(asResource) : [];
          const work = emails.find((e) => e.type === 'work')?.value;
          if (familyName !== UPDATED_FAMILY_NAME) return msg(str`${'name.familyName'} is ${JSON.stringify(familyName)}, expected ${UPDATED_FAMILY_NAME}.`);
          if (work !== updatedEmail(hire)) return msg(str`The work email is ${JSON.stringify(work)}, expected ${updatedEmail(hire)}.`);
          if (user.title !== UPDATED_TITLE) return msg(str`${'title'} is ${JSON.stringify(user.title)}, expected ${UPDATED_TITLE}.`);
          return undefined;
        }),
      ];
    case 'deactivate':
    case 'reactivate': {
      const active = scenario === 'reactivate';
      return [lookupUser(hire, 'entra', 'request', 1), entraActive(hire, active), getUser(hire, 'check', expectActive(active))];
    }
    case 'group-push':
      return [...users.map((u) => lookupUser(u, 'entra', 'resolve', 1)), ...entraGroupPush(users)];
    case 'membership-change':
      return [
        lookupGroup('entra', 'request', 1),
        lookupUser(hire, 'entra', 'resolve', 1),
        lookupUser(last, 'entra', 'resolve', 1),
        {
          title: msg(str`Add ${hire.userName} to ${SIMULATED_GROUP}`),
          role: 'request',
          method: 'PATCH',
          path: (c) => `/Groups/${encodeURIComponent(c.id(groupKey(c)))}`,
          body: (c) => patchOp({ op: entraOp(c, 'add'), path: 'members', value: [{ $ref: null, value: c.id(userKey(hire)) }] }),
          expect: { kind: 'updated' },
        },
        {
          title: msg(str`Remove ${last.userName} from ${SIMULATED_GROUP}`),
          role: 'request',
          method: 'PATCH',
          path: (c) => `/Groups/${encodeURIComponent(c.id(groupKey(c)))}`,
          // Without the flag: "Remove" with path "members" and the member in a value array.
          body: (c) =>
            c.entraFlag
              ? patchOp({ op: 'remove', path: `members[value eq ${q(c.id(userKey(last)))}]` })
              : patchOp({ op: 'Remove', path: 'members', value: [{ $ref: null, value: c.id(userKey(last)) }] }),
          expect: { kind: 'updated' },
        },
        getGroup('check', (body, c) => expectMembers(c, [hire], [last], body)),
      ];
    case 'deprovision':
      return [
        lookupUser(hire, 'entra', 'request', 1),
        { title: msg(str`Delete ${hire.userName}`), role: 'request', method: 'DELETE', path: (c) => `/Users/${encodeURIComponent(c.id(userKey(hire)))}`, expect: { kind: 'deleted' } },
        { ...getUser(hire, 'check'), title: msg(str`Read the deleted user ${hire.userName}`), expect: { kind: 'not-found' } },
      ];
  }
}

/** The steps of a scenario in a dialect, in the order they are sent. */
export function scenarioSteps(dialect: DirectoryDialect, scenario: DirectoryScenario, ctx: ScenarioContext): StepSpec[] {
  return dialect === 'okta' ? okta(scenario, ctx) : entra(scenario, ctx);
}

/** The context of a run (ids empty). */
export function scenarioContext(o: { dialect: DirectoryDialect; users: number; domain: string; entraFlag: boolean; password: string }): ScenarioContext {
  const ids = new Map<string, string>();
  return {
    dialect: o.dialect,
    users: simulatedUsers(o.users, o.domain, o.dialect),
    newHire: simulatedNewHire(o.domain, o.dialect),
    group: { displayName: SIMULATED_GROUP, externalId: guidOf(`group:${SIMULATED_GROUP}`) },
    entraFlag: o.entraFlag,
    password: o.password,
    ids,
    id(key) {
      const id = ids.get(key);
      if (id === undefined) throw new MissingIdError(key);
      return id;
    },
  };
}
