/// <reference types="node" />
/**
 * Directory sync (issue 14), the portal's and the host's side: the portal routes of
 * `DIRECTORY_REST` (scoped to the session's organization, version guards, the token shown once),
 * the events (`directory.*`, the SCIM ones only while the directory is enabled), the request log
 * with its remedies, and the admin API / SDK / CLI listing a directory's users and groups.
 * Against the real app on 127.0.0.1 (PGlite, or PostgreSQL with `SSO_PORTAL_TEST_DATABASE=postgres`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { REST } from '../../src/core/rest-contract.js';
import { DirectoryRequestSchema, DirectorySchema, DirectoryWithTokenSchema } from '../../src/core/directory-model.js';
import { validate } from '../../src/core/model.js';
import { hashToken } from '../../src/server/server-types.js';
import { ADMIN_KEY, startHarness, type Answer, type Harness } from './helpers.js';
import { runCli } from '../support/server-entry.js';

let h: Harness;
before(async () => {
  h = await startHarness({ testDurationMs: 0 });
});
after(() => h.close());

const conforms = (schema: Parameters<typeof validate>[0], answer: Answer) => {
  const result = validate(schema, answer.body);
  assert.ok(result.ok, `${answer.text}: ${result.ok ? '' : JSON.stringify(result.issues)}`);
};

async function events(orgId: string, type?: string): Promise<any[]> {
  const answer = await h.admin('GET', `/api/admin/events?organizationId=${orgId}${type ? `&type=${type}` : ''}&limit=200`);
  assert.equal(answer.status, 200, answer.text);
  return answer.body.data;
}

/** A SCIM request with the directory's token. */
function scim(token: string, method: string, path: string, body?: unknown) {
  return fetch(`${h.origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe('portal directory routes', () => {
  test('create returns the token once; list, get, enable, disable, regenerate and delete are scoped to the organization and guarded by version', async () => {
    const { orgId, token, linkId } = await h.organization('Dirs Corp');
    assert.deepEqual((await h.portal(token, 'GET', '/api/portal/directories')).body, []);

    const created = await h.portal(token, 'POST', '/api/portal/directories', { provider: 'okta' });
    assert.equal(created.status, 201, created.text);
    conforms(DirectoryWithTokenSchema, created);
    const directory = created.body.directory;
    assert.equal(directory.name, 'Okta');
    assert.equal(directory.status, 'setup');
    assert.equal(directory.scimBaseUrl, `http://127.0.0.1:1/scim/v2/${directory.id}`);
    assert.match(created.body.token, /^scim_[A-Za-z0-9_-]{43}$/);
    assert.equal(directory.tokenHint, created.body.token.slice(0, 9));
    assert.deepEqual(directory.counts, { users: 0, activeUsers: 0, groups: 0 });
    assert.equal(directory.recentErrors, 0);
    assert.equal(directory.lastRequestAt, null);

    // The token is stored as its hash only, and never answered again.
    const row = await h.database.db.selectFrom('directories').selectAll().where('id', '=', directory.id).executeTakeFirstOrThrow();
    assert.equal(row.token_hash, hashToken(created.body.token));
    const listed = await h.portal(token, 'GET', '/api/portal/directories');
    assert.equal(listed.body.length, 1);
    conforms(DirectorySchema, { ...listed, body: listed.body[0] });
    assert.doesNotMatch(listed.text, new RegExp(created.body.token));
    const got = await h.portal(token, 'GET', `/api/portal/directories/${directory.id}`);
    assert.deepEqual(got.body, directory);

    // Another organization sees nothing of it.
    const other = await h.organization('Other Corp');
    for (const [method, path, body] of [
      ['GET', `/api/portal/directories/${directory.id}`],
      ['GET', `/api/portal/directories/${directory.id}/requests`],
      ['POST', `/api/portal/directories/${directory.id}/token`, { version: 1 }],
      ['PUT', `/api/portal/directories/${directory.id}/enabled`, { version: 1, enabled: true }],
      ['DELETE', `/api/portal/directories/${directory.id}`],
    ] as const) {
      const answer = await h.portal(other.token, method, path, body);
      assert.equal(answer.status, 404, `${method} ${path}: ${answer.text}`);
      assert.equal(answer.body.code, 'not_found');
    }
    assert.deepEqual((await h.portal(other.token, 'GET', '/api/portal/directories')).body, []);

    // Enable with a stale version: conflict; with the current one: enabled.
    const stale = await h.portal(token, 'PUT', `/api/portal/directories/${directory.id}/enabled`, { version: 7, enabled: true });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.code, 'conflict');
    const enabled = await h.portal(token, 'PUT', `/api/portal/directories/${directory.id}/enabled`, { version: 1, enabled: true });
    assert.equal(enabled.status, 200, enabled.text);
    assert.equal(enabled.body.status, 'enabled');
    assert.equal(enabled.body.version, 2);
    assert.equal(enabled.body.enabledAt, h.clock.now.toISOString());

    const regenerated = await h.portal(token, 'POST', `/api/portal/directories/${directory.id}/token`, { version: 2 });
    assert.equal(regenerated.status, 200, regenerated.text);
    conforms(DirectoryWithTokenSchema, regenerated);
    assert.notEqual(regenerated.body.token, created.body.token);
    assert.equal(regenerated.body.directory.version, 3);
    assert.equal((await h.portal(token, 'POST', `/api/portal/directories/${directory.id}/token`, { version: 2 })).body.code, 'conflict');

    const disabled = await h.portal(token, 'PUT', `/api/portal/directories/${directory.id}/enabled`, { version: 3, enabled: false });
    assert.equal(disabled.body.status, 'disabled');

    const deleted = await h.portal(token, 'DELETE', `/api/portal/directories/${directory.id}`);
    assert.equal(deleted.status, 204);
    assert.equal((await h.portal(token, 'GET', `/api/portal/directories/${directory.id}`)).status, 404);

    const log = await events(orgId);
    const directoryEvents = log.filter((e) => e.type.startsWith('directory.')).reverse();
    assert.deepEqual(
      directoryEvents.map((e) => e.type),
      ['directory.created', 'directory.enabled', 'directory.token_regenerated', 'directory.disabled', 'directory.deleted'],
    );
    for (const e of directoryEvents) {
      assert.deepEqual(e.actor, { kind: 'portal_link', id: linkId });
      assert.deepEqual(e.target, { kind: 'directory', id: directory.id });
    }
    assert.doesNotMatch(JSON.stringify(log), /scim_[A-Za-z0-9_-]{20}/, 'no token in any event');
  });

  test('bad input: unknown provider, long name, missing version are validation errors; the simulator needs a development server', async () => {
    const { token } = await h.organization('Bad Input Corp');
    const unknown = await h.portal(token, 'POST', '/api/portal/directories', { provider: 'ldap' });
    assert.equal(unknown.status, 422);
    assert.match(unknown.body.detail, /^Directory is not valid: provider: must be one of okta/);
    assert.equal((await h.portal(token, 'POST', '/api/portal/directories', { provider: 'okta', name: 'x'.repeat(201) })).status, 422);
    const named = await h.portal(token, 'POST', '/api/portal/directories', { provider: 'entra-id', name: 'Entra (staff)' });
    assert.equal(named.body.directory.name, 'Entra (staff)');
    const noVersion = await h.portal(token, 'PUT', `/api/portal/directories/${named.body.directory.id}/enabled`, { enabled: true });
    assert.equal(noVersion.status, 422);

    const production = await startHarness({ testDurationMs: 0, devMode: false });
    try {
      const org = await production.organization('Prod Corp');
      const refused = await production.portal(org.token, 'POST', '/api/portal/directories', { provider: 'directory-simulator' });
      assert.equal(refused.status, 501, refused.text);
      assert.equal(refused.body.code, 'not_available');
    } finally {
      await production.close();
    }
  });
});


describe('directory events', () => {
  const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
  const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
  const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

  test('SCIM changes are recorded only while the directory is enabled, by the directory, with ids, names and changed attributes (never tokens)', async () => {
    const { orgId, token } = await h.organization('Events Corp');
    const created = await h.portal(token, 'POST', '/api/portal/directories', { provider: 'okta' });
    const { directory, token: scimToken } = created.body;
    const base = `/scim/v2/${directory.id}`;
    const json = async (response: Response): Promise<any> => response.json();

    // In setup: stored and logged, the host not told.
    const early = await json(await scim(scimToken, 'POST', `${base}/Users`, { schemas: [USER], userName: 'early@acme.example' }));
    assert.match(early.id, /^usr_/);
    assert.deepEqual((await events(orgId)).filter((e) => e.type.startsWith('directory.user')), []);
    const setup = await h.portal(token, 'GET', `/api/portal/directories/${directory.id}`);
    assert.deepEqual(setup.body.counts, { users: 1, activeUsers: 1, groups: 0 });
    assert.equal(setup.body.lastSyncAt, h.clock.now.toISOString());
    assert.equal(setup.body.lastRequestAt, h.clock.now.toISOString());

    await h.portal(token, 'PUT', `/api/portal/directories/${directory.id}/enabled`, { version: 1, enabled: true });
    const ada = await json(
      await scim(scimToken, 'POST', `${base}/Users`, { schemas: [USER], userName: 'ada@acme.example', externalId: '00u1', displayName: 'Ada', emails: [{ value: 'ada@acme.example', primary: true }] }),
    );
    await scim(scimToken, 'PATCH', `${base}/Users/${ada.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'Ada L.' }] });
    const group = await json(await scim(scimToken, 'POST', `${base}/Groups`, { schemas: [GROUP], displayName: 'Eng', members: [{ value: ada.id }] }));
    await scim(scimToken, 'PATCH', `${base}/Groups/${group.id}`, { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: early.id }] }] });
    await scim(scimToken, 'PATCH', `${base}/Users/${ada.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', value: { active: false } }] });
    await scim(scimToken, 'DELETE', `${base}/Groups/${group.id}`);
    await scim(scimToken, 'DELETE', `${base}/Users/${ada.id}`);

    const log = (await events(orgId)).filter((e) => /^directory\.(user|group)\./.test(e.type)).reverse();
    assert.deepEqual(
      log.map((e) => e.type),
      [
        'directory.user.created',
        'directory.user.updated',
        'directory.group.created',
        'directory.group.updated',
        'directory.user.updated',
        'directory.user.deactivated',
        'directory.group.deleted',
        'directory.user.deleted',
      ],
    );
    for (const e of log) assert.deepEqual(e.actor, { kind: 'directory', id: directory.id });
    assert.deepEqual(log[0].target, { kind: 'directory_user', id: ada.id });
    assert.deepEqual(log[0].data, {
      directoryId: directory.id,
      user: { id: ada.id, externalId: '00u1', userName: 'ada@acme.example', email: 'ada@acme.example', displayName: 'Ada', active: true },
    });
    assert.deepEqual(log[1].data.changes, ['displayName']);
    assert.deepEqual(log[2].data.group, { id: group.id, externalId: null, displayName: 'Eng', memberCount: 1 });
    assert.deepEqual([log[3].data.changes, log[3].data.addedMembers, log[3].data.removedMembers], [['members'], [early.id], []]);
    assert.deepEqual(log[4].data.changes, ['active']);
    assert.equal(log[5].data.user.active, false);
    assert.deepEqual(log[6].target, { kind: 'directory_group', id: group.id });
    assert.doesNotMatch(JSON.stringify(await events(orgId)), new RegExp(scimToken));

    // Disabled: refused, nothing recorded.
    const current = await h.portal(token, 'GET', `/api/portal/directories/${directory.id}`);
    await h.portal(token, 'PUT', `/api/portal/directories/${directory.id}/enabled`, { version: current.body.version, enabled: false });
    assert.equal((await scim(scimToken, 'POST', `${base}/Users`, { schemas: [USER], userName: 'late@acme.example' })).status, 403);
    assert.equal((await events(orgId))[0].type, 'directory.disabled');
  });

  test('the request log keeps the last 50, newest first, each fitting the contract', async () => {
    const { token } = await h.organization('Log Corp');
    const created = await h.portal(token, 'POST', '/api/portal/directories', { provider: 'generic-scim' });
    const { directory, token: scimToken } = created.body;
    for (let i = 0; i < 53; i++) await scim(scimToken, 'GET', `/scim/v2/${directory.id}/Users?filter=${encodeURIComponent(`userName eq "u${i}@acme.example"`)}`);
    const log = await h.portal(token, 'GET', `/api/portal/directories/${directory.id}/requests`);
    assert.equal(log.body.length, 50);
    for (const entry of log.body) conforms(DirectoryRequestSchema, { ...log, body: entry });
    assert.equal(log.body[0].path, '/Users?filter=userName eq "u52@acme.example"', 'the query as the admin reads it, decoded');
    assert.equal(log.body[0].summary, 'Looked up users by userName (0 found)');
    assert.equal(log.body[49].path, '/Users?filter=userName eq "u3@acme.example"');
    const rows = await h.database.db.selectFrom('directory_requests').select('id').where('directory_id', '=', directory.id).execute();
    assert.equal(rows.length, 50, 'pruned on insert');
  });
});

describe('admin API and CLI: the host’s view', () => {
  const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
  const cli = (args: string[]) => runCli(args, { ...process.env, SSO_PORTAL_URL: h.origin, SSO_PORTAL_ADMIN_KEY: ADMIN_KEY });

  test('directories of an organization, users (search, active, groupId, cursor) and groups, in the contract’s shapes; the CLI prints them', async () => {
    const { orgId, token } = await h.organization('Host View Corp');
    const created = await h.portal(token, 'POST', '/api/portal/directories', { provider: 'jumpcloud' });
    const { directory, token: scimToken } = created.body;
    const base = `/scim/v2/${directory.id}`;
    const ids: string[] = [];
    for (const [name, active] of [['Ada Lovelace', true], ['Bob_100% Smith', true], ['Cy Young', false]] as const) {
      const userName = `${name.split(' ')[0]!.toLowerCase()}@host.example`;
      const response = await scim(scimToken, 'POST', `${base}/Users`, { schemas: [USER], userName, displayName: name, active, emails: [{ value: userName.replace('@', '.work@'), primary: true }] });
      ids.push(((await response.json()) as { id: string }).id);
    }
    const group = (await (await scim(scimToken, 'POST', `${base}/Groups`, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Engineering', members: [{ value: ids[0] }, { value: ids[2] }] })).json()) as { id: string };
    await scim(scimToken, 'POST', `${base}/Groups`, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Sales' });

    const listed = await h.admin('GET', `/api/admin/organizations/${orgId}/directories`);
    conforms(REST.listOrganizationDirectories.response, listed);
    assert.deepEqual(listed.body[0].counts, { users: 3, activeUsers: 2, groups: 2 });
    assert.equal((await h.admin('GET', '/api/admin/organizations/org_nope/directories')).status, 404);

    const users = await h.admin('GET', `/api/admin/directories/${directory.id}/users`);
    conforms(REST.listDirectoryUsers.response, users);
    assert.equal(users.body.hasMore, false);
    const ada = users.body.data[0];
    assert.deepEqual(
      [ada.userName, ada.displayName, ada.email, ada.active, ada.groups, ada.raw.userName, ada.raw.id],
      ['ada@host.example', 'Ada Lovelace', 'ada.work@host.example', true, [{ id: group.id, displayName: 'Engineering' }], 'ada@host.example', undefined],
    );
    const names = async (query: string) => {
      const answer = await h.admin('GET', `/api/admin/directories/${directory.id}/users${query}`);
      assert.equal(answer.status, 200, answer.text);
      return [answer.body.data.map((u: { userName: string }) => u.userName), answer.body.hasMore];
    };
    assert.deepEqual(await names('?limit=1'), [['ada@host.example'], true]);
    assert.deepEqual(await names(`?limit=1&after=${ids[0]}`), [['bob_100%@host.example'], true]);
    assert.deepEqual(await names(`?after=${ids[1]}`), [['cy@host.example'], false]);
    assert.deepEqual(await names('?active=false'), [['cy@host.example'], false]);
    assert.deepEqual(await names('?active=true&search=WORK@'), [['ada@host.example', 'bob_100%@host.example'], false]);
    // LIKE wildcards in the search are text.
    assert.deepEqual(await names(`?search=${encodeURIComponent('100%')}`), [['bob_100%@host.example'], false]);
    assert.deepEqual(await names('?search=_'), [['bob_100%@host.example'], false]);
    assert.deepEqual(await names('?search=young'), [['cy@host.example'], false]);
    assert.deepEqual(await names(`?groupId=${group.id}&active=true`), [['ada@host.example'], false]);
    for (const query of ['?limit=0', '?limit=201', '?active=yes', '?limit=x']) assert.equal((await h.admin('GET', `/api/admin/directories/${directory.id}/users${query}`)).status, 422, query);
    assert.equal((await h.admin('GET', `/api/admin/directories/${directory.id}/users?after=usr_nope`)).status, 404);
    assert.equal((await h.admin('GET', `/api/admin/directories/${directory.id}/users?groupId=grp_nope`)).status, 404);
    assert.equal((await h.admin('GET', '/api/admin/directories/dir_nope/users')).status, 404);

    const groups = await h.admin('GET', `/api/admin/directories/${directory.id}/groups?search=eng`);
    conforms(REST.listDirectoryGroups.response, groups);
    assert.deepEqual(groups.body.data.map((g: { displayName: string; memberCount: number }) => [g.displayName, g.memberCount]), [['Engineering', 2]]);
    const paged = await h.admin('GET', `/api/admin/directories/${directory.id}/groups?limit=1`);
    assert.deepEqual([paged.body.data.length, paged.body.hasMore], [1, true]);
    assert.equal((await h.request('GET', `/api/admin/directories/${directory.id}/groups`)).status, 401);

    const cliList = await cli(['directory', 'list', orgId]);
    assert.equal(cliList.code, 0, cliList.stderr);
    assert.equal(JSON.parse(cliList.stdout)[0].id, directory.id);
    const cliUsers = await cli(['directory', 'users', directory.id, '--active', 'false']);
    assert.equal(cliUsers.code, 0, cliUsers.stderr);
    assert.deepEqual(JSON.parse(cliUsers.stdout).data.map((u: { userName: string }) => u.userName), ['cy@host.example']);
    const cliGroups = await cli(['directory', 'groups', directory.id, '--search', 'sal']);
    assert.deepEqual(JSON.parse(cliGroups.stdout).data.map((g: { displayName: string }) => g.displayName), ['Sales']);
    assert.equal((await cli(['directory', 'users'])).code, 2);
    assert.match((await cli(['directory', 'users', 'dir_nope'])).stderr, /404 not_found/);
  });
});
