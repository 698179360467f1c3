/// <reference types="node" />
/**
 * The SCIM 2.0 server of directory sync (issue 14, RFC 7643/7644) against the real app on
 * 127.0.0.1: each operation on users and groups, membership, ETags, the SCIM errors (401, 403,
 * 404, 409, 412, 413, 429), the request log, and hostile bodies (SCIM errors, no 500, nothing
 * stored). PGlite, or PostgreSQL with `SSO_PORTAL_TEST_DATABASE=postgres`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness } from './helpers.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

interface ScimAnswer {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

let h: Harness;
before(async () => {
  h = await startHarness({ testDurationMs: 0, rateLimits: { limits: { authFailures: { capacity: 1000, windowMs: 60_000 } } } });
});
after(() => h.close());

/** A directory of a new organization: its id, SCIM base path, token and the portal token. */
async function directory(provider = 'okta', name = 'Scim Corp') {
  const org = await h.organization(name);
  const created = await h.portal(org.token, 'POST', '/api/portal/directories', { provider });
  assert.equal(created.status, 201, created.text);
  const id = created.body.directory.id as string;
  return { ...org, id, base: `/scim/v2/${id}`, scimToken: created.body.token as string, directory: created.body.directory };
}

async function scim(token: string | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ScimAnswer> {
  const response = await fetch(`${h.origin}${path}`, {
    method,
    headers: {
      ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/scim+json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/** A SCIM error answer: the error schema, the status as a string, the content type. */
function isScimError(answer: ScimAnswer, status: number, scimType?: string) {
  assert.equal(answer.status, status, answer.text);
  assert.match(answer.headers.get('content-type') ?? '', /^application\/scim\+json/);
  assert.deepEqual(answer.body.schemas, [ERROR]);
  assert.equal(answer.body.status, String(status));
  assert.equal(answer.body.scimType, scimType);
  assert.equal(typeof answer.body.detail, 'string');
}

const ada = (extra: Record<string, unknown> = {}) => ({
  schemas: [USER, ENTERPRISE],
  userName: 'ada@acme.example',
  externalId: '00u-ada',
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  displayName: 'Ada Lovelace',
  emails: [{ value: 'ada@acme.example', type: 'work', primary: true }],
  active: true,
  [ENTERPRISE]: { department: 'Engineering' },
  ...extra,
});

async function requests(d: { token: string; id: string }): Promise<any[]> {
  const answer = await h.portal(d.token, 'GET', `/api/portal/directories/${d.id}/requests`);
  assert.equal(answer.status, 200, answer.text);
  return answer.body;
}

describe('SCIM users', () => {
  test('create, get (ETag, meta), list, filter, paginate, PUT, DELETE', async () => {
    const d = await directory();
    const created = await scim(d.scimToken, 'POST', `${d.base}/Users`, ada());
    assert.equal(created.status, 201, created.text);
    assert.match(created.headers.get('content-type') ?? '', /^application\/scim\+json/);
    const user = created.body;
    assert.match(user.id, /^usr_/);
    assert.equal(user.userName, 'ada@acme.example');
    assert.equal(user[ENTERPRISE].department, 'Engineering');
    assert.deepEqual(user.meta, {
      resourceType: 'User',
      created: h.clock.now.toISOString(),
      lastModified: h.clock.now.toISOString(),
      location: `http://127.0.0.1:1${d.base}/Users/${user.id}`,
      version: 'W/"1"',
    });
    assert.equal(created.headers.get('etag'), 'W/"1"');
    assert.equal(created.headers.get('location'), user.meta.location);

    const got = await scim(d.scimToken, 'GET', `${d.base}/Users/${user.id}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, user);
    assert.equal(got.headers.get('etag'), 'W/"1"');

    // Stored without id and meta.
    const row = await h.database.db.selectFrom('directory_users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow();
    assert.equal(row.doc.id, undefined);
    assert.equal(row.doc.meta, undefined);

    for (let i = 0; i < 4; i++) {
      const answer = await scim(d.scimToken, 'POST', `${d.base}/Users`, { schemas: [USER], userName: `user${i}@acme.example`, emails: [{ value: `user${i}@acme.example` }] });
      assert.equal(answer.status, 201, answer.text);
    }
    const all = await scim(d.scimToken, 'GET', `${d.base}/Users`);
    assert.deepEqual(all.body.schemas, [LIST]);
    assert.equal(all.body.totalResults, 5);
    assert.equal(all.body.itemsPerPage, 5);
    assert.equal(all.body.startIndex, 1);
    const page = await scim(d.scimToken, 'GET', `${d.base}/Users?startIndex=2&count=2`);
    assert.deepEqual(
      [page.body.totalResults, page.body.itemsPerPage, page.body.startIndex, page.body.Resources.map((u: any) => u.userName)],
      [5, 2, 2, ['user0@acme.example', 'user1@acme.example']],
    );
    const none = await scim(d.scimToken, 'GET', `${d.base}/Users?count=0`);
    assert.deepEqual([none.body.totalResults, none.body.Resources], [5, []]);

    // Okta's lookup, case-insensitive on userName; Entra's externalId; emails; and / or.
    const byName = await scim(d.scimToken, 'GET', `${d.base}/Users?filter=${encodeURIComponent('userName eq "ADA@acme.example"')}`);
    assert.deepEqual(byName.body.Resources.map((u: any) => u.id), [user.id]);
    const byExternal = await scim(d.scimToken, 'GET', `${d.base}/Users?filter=${encodeURIComponent('externalId eq "00u-ada"')}`);
    assert.equal(byExternal.body.totalResults, 1);
    const byEmail = await scim(d.scimToken, 'GET', `${d.base}/Users?filter=${encodeURIComponent('emails.value eq "user2@acme.example" or emails[type eq "work"].value eq "ada@acme.example"')}`);
    assert.deepEqual(byEmail.body.Resources.map((u: any) => u.userName).sort(), ['ada@acme.example', 'user2@acme.example']);
    const both = await scim(d.scimToken, 'GET', `${d.base}/Users?filter=${encodeURIComponent('userName eq "ada@acme.example" and displayName eq "Nobody"')}`);
    assert.deepEqual([both.status, both.body.totalResults], [200, 0]);
    const projected = await scim(d.scimToken, 'GET', `${d.base}/Users?filter=${encodeURIComponent('userName eq "ada@acme.example"')}&attributes=userName`);
    assert.deepEqual(Object.keys(projected.body.Resources[0]).sort(), ['id', 'meta', 'schemas', 'userName']);
    const excluded = await scim(d.scimToken, 'GET', `${d.base}/Users/${user.id}?excludedAttributes=emails,name`);
    assert.equal(excluded.body.emails, undefined);
    assert.equal(excluded.body.userName, 'ada@acme.example');

    // PUT replaces; the same document again changes nothing (no new version).
    const replaced = await scim(d.scimToken, 'PUT', `${d.base}/Users/${user.id}`, ada({ displayName: 'Countess Lovelace' }));
    assert.equal(replaced.status, 200, replaced.text);
    assert.equal(replaced.body.displayName, 'Countess Lovelace');
    assert.equal(replaced.body.meta.version, 'W/"2"');
    const again = await scim(d.scimToken, 'PUT', `${d.base}/Users/${user.id}`, ada({ displayName: 'Countess Lovelace' }));
    assert.equal(again.body.meta.version, 'W/"2"');

    // If-Match: a stale version is 412, the current one passes.
    isScimError(await scim(d.scimToken, 'PUT', `${d.base}/Users/${user.id}`, ada(), { 'if-match': 'W/"1"' }), 412);
    const matched = await scim(d.scimToken, 'PUT', `${d.base}/Users/${user.id}`, ada({ active: false }), { 'if-match': 'W/"2"' });
    assert.equal(matched.status, 200, matched.text);
    assert.equal(matched.body.active, false);

    const deleted = await scim(d.scimToken, 'DELETE', `${d.base}/Users/${user.id}`);
    assert.equal(deleted.status, 204);
    isScimError(await scim(d.scimToken, 'GET', `${d.base}/Users/${user.id}`), 404);
    isScimError(await scim(d.scimToken, 'DELETE', `${d.base}/Users/${user.id}`), 404);
    isScimError(await scim(d.scimToken, 'PUT', `${d.base}/Users/${user.id}`, ada()), 404);
  });

  test('a userName is unique per directory, whatever its case: 409 uniqueness; another directory may have it', async () => {
    const d = await directory();
    assert.equal((await scim(d.scimToken, 'POST', `${d.base}/Users`, ada())).status, 201);
    isScimError(await scim(d.scimToken, 'POST', `${d.base}/Users`, ada({ userName: 'ADA@ACME.EXAMPLE' })), 409, 'uniqueness');
    const bob = await scim(d.scimToken, 'POST', `${d.base}/Users`, { schemas: [USER], userName: 'bob@acme.example' });
    isScimError(await scim(d.scimToken, 'PUT', `${d.base}/Users/${bob.body.id}`, { schemas: [USER], userName: 'Ada@acme.example' }), 409, 'uniqueness');
    const other = await directory('entra-id', 'Other Scim Corp');
    assert.equal((await scim(other.scimToken, 'POST', `${other.base}/Users`, ada())).status, 201);
    const log = await requests(d);
    const refused = log.find((r) => r.status === 409);
    assert.equal(refused.error.scimType, 'uniqueness');
    assert.match(refused.error.remedy, /Okta/);
  });
});

describe('SCIM requests as providers send them', () => {
  test('application/json is accepted like application/scim+json; racing creates of one userName: one 201, one 409', async () => {
    const d = await directory('generic-scim', 'Json Corp');
    const plain = await scim(d.scimToken, 'POST', `${d.base}/Users`, undefined, {});
    isScimError(plain, 400, 'invalidSyntax');
    const json = await fetch(`${h.origin}${d.base}/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${d.scimToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ schemas: [USER], userName: 'json@acme.example' }),
    });
    assert.equal(json.status, 201);
    const racing = await Promise.all([0, 1].map(() => scim(d.scimToken, 'POST', `${d.base}/Users`, { schemas: [USER], userName: 'race@acme.example' })));
    assert.deepEqual(racing.map((a) => a.status).sort(), [201, 409]);
    const listed = await scim(d.scimToken, 'GET', `${d.base}/Users?filter=${encodeURIComponent('userName eq "race@acme.example"')}`);
    assert.equal(listed.body.totalResults, 1);
    // Entra's flag on the base URL is a query parameter the endpoints ignore.
    const flagged = await scim(d.scimToken, 'GET', `${d.base}/Users?aadOptscim062020&filter=${encodeURIComponent('userName eq "json@acme.example"')}`);
    assert.equal(flagged.body.totalResults, 1);
  });
});

describe('SCIM groups and membership', () => {
  test('create with members, a user’s groups, add and remove members with PUT, members.value filter, excludedAttributes=members, DELETE', async () => {
    const d = await directory();
    const ids: string[] = [];
    for (const name of ['ada', 'bob', 'cy']) {
      const answer = await scim(d.scimToken, 'POST', `${d.base}/Users`, { schemas: [USER], userName: `${name}@acme.example`, displayName: name });
      ids.push(answer.body.id);
    }
    const created = await scim(d.scimToken, 'POST', `${d.base}/Groups`, { schemas: [GROUP], displayName: 'Engineering', externalId: 'g-eng', members: [{ value: ids[0] }, { value: ids[1] }] });
    assert.equal(created.status, 201, created.text);
    const group = created.body;
    assert.match(group.id, /^grp_/);
    assert.deepEqual(group.members.map((m: any) => [m.value, m.display, m.type]), [
      [ids[0], 'ada', 'User'],
      [ids[1], 'bob', 'User'],
    ]);
    assert.equal(group.meta.resourceType, 'Group');
    assert.equal(created.headers.get('etag'), 'W/"1"');

    const user = await scim(d.scimToken, 'GET', `${d.base}/Users/${ids[0]}`);
    assert.deepEqual(user.body.groups.map((g: any) => [g.value, g.display]), [[group.id, 'Engineering']]);

    const byMember = await scim(d.scimToken, 'GET', `${d.base}/Groups?filter=${encodeURIComponent(`members.value eq "${ids[1]}"`)}`);
    assert.deepEqual(byMember.body.Resources.map((g: any) => g.id), [group.id]);
    const byName = await scim(d.scimToken, 'GET', `${d.base}/Groups?filter=${encodeURIComponent('displayName eq "engineering"')}&excludedAttributes=members`);
    assert.equal(byName.body.totalResults, 1);
    assert.equal(byName.body.Resources[0].members, undefined);

    const replaced = await scim(d.scimToken, 'PUT', `${d.base}/Groups/${group.id}`, { schemas: [GROUP], displayName: 'Engineering', members: [{ value: ids[1] }, { value: ids[2] }] });
    assert.equal(replaced.status, 200, replaced.text);
    assert.deepEqual(replaced.body.members.map((m: any) => m.value), [ids[1], ids[2]]);
    assert.equal(replaced.body.meta.version, 'W/"2"');
    assert.equal((await scim(d.scimToken, 'GET', `${d.base}/Users/${ids[0]}`)).body.groups, undefined);

    // A member that is not a user of this directory: 400 invalidValue, nothing changed.
    const other = await directory('okta', 'Members Elsewhere');
    const stranger = await scim(other.scimToken, 'POST', `${other.base}/Users`, { schemas: [USER], userName: 'x@elsewhere.example' });
    isScimError(await scim(d.scimToken, 'PUT', `${d.base}/Groups/${group.id}`, { schemas: [GROUP], displayName: 'Engineering', members: [{ value: stranger.body.id }] }), 400, 'invalidValue');
    assert.equal((await scim(d.scimToken, 'GET', `${d.base}/Groups/${group.id}`)).body.members.length, 2);

    // Deleting a user takes it out of its groups.
    assert.equal((await scim(d.scimToken, 'DELETE', `${d.base}/Users/${ids[2]}`)).status, 204);
    assert.deepEqual((await scim(d.scimToken, 'GET', `${d.base}/Groups/${group.id}`)).body.members.map((m: any) => m.value), [ids[1]]);

    assert.equal((await scim(d.scimToken, 'DELETE', `${d.base}/Groups/${group.id}`)).status, 204);
    isScimError(await scim(d.scimToken, 'GET', `${d.base}/Groups/${group.id}`), 404);
    assert.equal((await scim(d.scimToken, 'GET', `${d.base}/Users/${ids[1]}`)).body.groups, undefined);
  });
});

const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH], Operations });

describe('SCIM PATCH', () => {
  test('users: Okta’s active false, Entra’s "Replace" with boolean strings and value-filter paths, If-Match; a failed PATCH changes nothing', async () => {
    const d = await directory('entra-id', 'Patch Corp');
    const user = (await scim(d.scimToken, 'POST', `${d.base}/Users`, ada())).body;

    const renamed = await scim(d.scimToken, 'PATCH', `${d.base}/Users/${user.id}`, patch({ op: 'Replace', path: 'emails[type eq "work"].value', value: 'ada@new.example' }, { op: 'Replace', path: 'name.givenName', value: 'Augusta' }));
    assert.equal(renamed.status, 200, renamed.text);
    assert.equal(renamed.body.emails[0].value, 'ada@new.example');
    assert.equal(renamed.body.name.givenName, 'Augusta');
    assert.equal(renamed.body.meta.version, 'W/"2"');
    assert.equal(renamed.headers.get('etag'), 'W/"2"');

    const entraOff = await scim(d.scimToken, 'PATCH', `${d.base}/Users/${user.id}`, patch({ op: 'Replace', path: 'active', value: 'False' }));
    assert.equal(entraOff.body.active, false);
    const on = await scim(d.scimToken, 'PATCH', `${d.base}/Users/${user.id}`, patch({ op: 'replace', value: { active: true } }));
    assert.equal(on.body.active, true);
    const oktaOff = await scim(d.scimToken, 'PATCH', `${d.base}/Users/${user.id}`, patch({ op: 'replace', value: { active: false } }), { 'if-match': on.body.meta.version });
    assert.equal(oktaOff.status, 200, oktaOff.text);
    assert.equal(oktaOff.body.active, false);

    isScimError(await scim(d.scimToken, 'PATCH', `${d.base}/Users/${user.id}`, patch({ op: 'replace', path: 'displayName', value: 'x' }), { 'if-match': 'W/"1"' }), 412);
    const noTarget = await scim(d.scimToken, 'PATCH', `${d.base}/Users/${user.id}`, patch({ op: 'replace', path: 'displayName', value: 'Kept?' }, { op: 'remove', path: 'phoneNumbers[type eq "fax"]' }));
    assert.ok(noTarget.status === 400, noTarget.text);
    const after = await scim(d.scimToken, 'GET', `${d.base}/Users/${user.id}`);
    assert.equal(after.body.displayName, 'Ada Lovelace', 'the whole PATCH was refused');
    isScimError(await scim(d.scimToken, 'PATCH', `${d.base}/Users/${user.id}`, patch({ op: 'replace', path: 'id', value: 'usr_mine' })), 400, 'mutability');
    isScimError(await scim(d.scimToken, 'PATCH', `${d.base}/Users/${user.id}`, { Operations: 'nope' }), 400, 'invalidSyntax');
    isScimError(await scim(d.scimToken, 'PATCH', `${d.base}/Users/usr_missing`, patch({ op: 'replace', path: 'active', value: false })), 404);

    const log = await requests(d);
    const refusedPatch = log.find((r) => r.method === 'PATCH' && r.status === 400);
    assert.match(refusedPatch.error.remedy, /aadOptscim062020/);
    assert.ok(log.some((r) => r.summary === 'Deactivated user ada@new.example'), JSON.stringify(log.map((r) => r.summary)));
  });

  test('groups: add members (Okta), remove one by filter path, remove a list (Entra), rename; the members’ groups follow', async () => {
    const d = await directory('okta', 'Group Patch Corp');
    const ids: string[] = [];
    for (const name of ['ada', 'bob', 'cy']) ids.push((await scim(d.scimToken, 'POST', `${d.base}/Users`, { schemas: [USER], userName: `${name}@acme.example` })).body.id);
    const group = (await scim(d.scimToken, 'POST', `${d.base}/Groups`, { schemas: [GROUP], displayName: 'Sales' })).body;

    const added = await scim(d.scimToken, 'PATCH', `${d.base}/Groups/${group.id}`, patch({ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }));
    assert.equal(added.status, 200, added.text);
    assert.deepEqual(added.body.members.map((m: any) => m.value), ids);
    const removedOne = await scim(d.scimToken, 'PATCH', `${d.base}/Groups/${group.id}`, patch({ op: 'remove', path: `members[value eq "${ids[0]}"]` }));
    assert.deepEqual(removedOne.body.members.map((m: any) => m.value), [ids[1], ids[2]]);
    const entraRemove = await scim(d.scimToken, 'PATCH', `${d.base}/Groups/${group.id}`, patch({ op: 'Remove', path: 'members', value: [{ value: ids[1] }] }));
    assert.deepEqual(entraRemove.body.members.map((m: any) => m.value), [ids[2]]);
    const renamed = await scim(d.scimToken, 'PATCH', `${d.base}/Groups/${group.id}`, patch({ op: 'replace', value: { id: group.id, displayName: 'Sales EMEA' } }));
    assert.equal(renamed.body.displayName, 'Sales EMEA');
    assert.deepEqual((await scim(d.scimToken, 'GET', `${d.base}/Users/${ids[2]}`)).body.groups.map((g: any) => g.display), ['Sales EMEA']);
    assert.equal((await scim(d.scimToken, 'GET', `${d.base}/Users/${ids[0]}`)).body.groups, undefined);
    isScimError(await scim(d.scimToken, 'PATCH', `${d.base}/Groups/${group.id}`, patch({ op: 'add', path: 'members', value: [{ value: 'usr_nobody' }] })), 400, 'invalidValue');
    const log = await requests(d);
    assert.deepEqual(log.filter((r) => r.method === 'PATCH' && r.status === 200).map((r) => r.summary).reverse(), ['Updated group Sales (3 members added)', 'Updated group Sales (1 member removed)', 'Updated group Sales (1 member removed)', 'Updated group Sales EMEA']);
  });
});

describe('SCIM discovery', () => {
  test('ServiceProviderConfig, ResourceTypes and Schemas answer with the directory’s base URL', async () => {
    const d = await directory();
    const config = await scim(d.scimToken, 'GET', `${d.base}/ServiceProviderConfig`);
    assert.equal(config.status, 200);
    assert.equal(config.body.patch.supported, true);
    assert.equal(config.body.etag.supported, true);
    const types = await scim(d.scimToken, 'GET', `${d.base}/ResourceTypes`);
    assert.deepEqual(types.body.Resources.map((r: any) => r.id), ['User', 'Group']);
    assert.equal((await scim(d.scimToken, 'GET', `${d.base}/ResourceTypes/User`)).body.endpoint, '/Users');
    const schemas = await scim(d.scimToken, 'GET', `${d.base}/Schemas`);
    assert.deepEqual(schemas.body.Resources.map((r: any) => r.id), [USER, ENTERPRISE, GROUP]);
    assert.equal((await scim(d.scimToken, 'GET', `${d.base}/Schemas/${USER}`)).body.name, 'User');
    isScimError(await scim(d.scimToken, 'GET', `${d.base}/Schemas/urn:nope`), 404);
  });
});

describe('SCIM errors and the request log', () => {
  test('401 without or with a wrong token (WWW-Authenticate: Bearer), 404 for an unknown directory (not logged), 403 when disabled', async () => {
    const d = await directory();
    const missing = await scim(undefined, 'GET', `${d.base}/Users`);
    isScimError(missing, 401);
    assert.match(missing.headers.get('www-authenticate') ?? '', /^Bearer/);
    const wrong = await scim('scim_wrong', 'GET', `${d.base}/Users`);
    isScimError(wrong, 401);
    assert.match(wrong.headers.get('www-authenticate') ?? '', /^Bearer/);
    // Another directory's token is a wrong token here.
    const other = await directory('okta', 'Token Elsewhere');
    isScimError(await scim(other.scimToken, 'GET', `${d.base}/Users`), 401);

    isScimError(await scim(d.scimToken, 'GET', '/scim/v2/dir_unknown/Users'), 404);
    isScimError(await scim(d.scimToken, 'GET', '/scim/v2/bad%20id/Users'), 404);
    isScimError(await scim(d.scimToken, 'GET', '/scim/v2/'), 404);
    isScimError(await scim(d.scimToken, 'GET', `${d.base}/Nope`), 404);
    isScimError(await scim(d.scimToken, 'POST', `${d.base}/Bulk`, {}), 501);

    const log = await requests(d);
    assert.deepEqual(
      log.map((r) => [r.method, r.path, r.status]),
      [
        ['POST', '/Bulk', 501],
        ['GET', '/Nope', 404],
        ['GET', '/Users', 401],
        ['GET', '/Users', 401],
        ['GET', '/Users', 401],
      ],
    );
    assert.match(log[2].error.remedy, /Copy the token again from the portal into Okta's API Token field/);
    assert.match(log[4].error.remedy, /no bearer token/);
    assert.doesNotMatch(JSON.stringify(log), /scim_wrong|Bearer scim/);
    assert.equal((await h.portal(d.token, 'GET', `/api/portal/directories/${d.id}`)).body.recentErrors, 5);

    // Disabled: every request refused with 403, the data kept.
    const enabled = await h.portal(d.token, 'PUT', `/api/portal/directories/${d.id}/enabled`, { version: 1, enabled: false });
    assert.equal(enabled.body.status, 'disabled');
    isScimError(await scim(d.scimToken, 'GET', `${d.base}/Users`), 403);
    isScimError(await scim(d.scimToken, 'POST', `${d.base}/Users`, ada()), 403);
    assert.equal((await requests(d))[0].status, 403);
    assert.match((await requests(d))[0].error.remedy, /disabled in the portal/);
  });

  test('a regenerated token: the old one stops at once, the new one works', async () => {
    const d = await directory();
    assert.equal((await scim(d.scimToken, 'GET', `${d.base}/Users`)).status, 200);
    const regenerated = await h.portal(d.token, 'POST', `/api/portal/directories/${d.id}/token`, { version: 1 });
    isScimError(await scim(d.scimToken, 'GET', `${d.base}/Users`), 401);
    assert.equal((await scim(regenerated.body.token, 'GET', `${d.base}/Users`)).status, 200);
  });

  test('413 for a body over 1 MB, 400 for hostile bodies: nothing stored, never a 500', async () => {
    const d = await directory();
    const huge = await scim(d.scimToken, 'POST', `${d.base}/Users`, { schemas: [USER], userName: 'big@acme.example', displayName: 'x'.repeat(1024 * 1024) });
    isScimError(huge, 413);
    const hostile: [string, unknown, string][] = [
      ['not JSON', '{"schemas": [', 'invalidSyntax'],
      ['an array', [ada()], 'invalidSyntax'],
      ['null', 'null', 'invalidSyntax'],
      ['no schemas', { userName: 'x@acme.example' }, 'invalidSyntax'],
      ['an unknown schema', { schemas: ['urn:evil'], userName: 'x@acme.example' }, 'invalidValue'],
      ['a number userName', { schemas: [USER], userName: 42 }, 'invalidValue'],
      ['no userName', { schemas: [USER], displayName: 'Nobody' }, 'invalidValue'],
      ['deeply nested', `{"schemas":["${USER}"],"userName":"deep@acme.example","name":${'['.repeat(5000)}${']'.repeat(5000)}}`, 'invalidValue'],
    ];
    for (const [what, body, scimType] of hostile) {
      const answer = await scim(d.scimToken, 'POST', `${d.base}/Users`, body);
      assert.ok(answer.status < 500, `${what}: ${answer.text}`);
      isScimError(answer, 400, scimType);
    }
    // An attribute no schema defines (here `__proto__`) is ignored, not merged into anything.
    const proto = await scim(d.scimToken, 'POST', `${d.base}/Users`, `{"schemas":["${USER}"],"userName":"proto@acme.example","__proto__":{"admin":true}}`);
    assert.equal(proto.status, 201, proto.text);
    assert.equal(proto.body.admin, undefined);
    const empty = await scim(d.scimToken, 'POST', `${d.base}/Users`, '');
    isScimError(empty, 400, 'invalidSyntax');
    for (const filter of ['userName eq', 'userName eq "a" or', '((((((((((((userName eq "a"))))))))))))', 'password eq "x"', `userName eq "${'\\'.repeat(3000)}"`, 'userName eq "a") or (1 eq 1', "userName eq 'x' or '1'='1'"]) {
      const answer = await scim(d.scimToken, 'GET', `${d.base}/Users?filter=${encodeURIComponent(filter)}`);
      isScimError(answer, 400, 'invalidFilter');
    }
    isScimError(await scim(d.scimToken, 'GET', `${d.base}/Users?count=many`), 400, 'invalidValue');
    // Nothing of the refused bodies was stored.
    const rows = await h.database.db.selectFrom('directory_users').selectAll().where('directory_id', '=', d.id).execute();
    assert.deepEqual(rows.map((r) => r.user_name), ['proto@acme.example']);
    assert.ok(!('admin' in rows[0]!.doc) && !Object.hasOwn(rows[0]!.doc, '__proto__'));
    const log = await requests(d);
    assert.ok(log.some((r) => r.status === 413 && /larger than/.test(r.error.detail) && /1 MB/.test(r.error.remedy)));
  });

  test('429 with Retry-After past the directory’s limit, and past the failed attempts of a client', async () => {
    const limited = await startHarness({ testDurationMs: 0, rateLimits: { limits: { scim: { capacity: 3, windowMs: 60_000 }, authFailures: { capacity: 3, windowMs: 60_000 } } } });
    try {
      const org = await limited.organization('Limited Corp');
      const created = await limited.portal(org.token, 'POST', '/api/portal/directories', { provider: 'entra-id' });
      const base = `${limited.origin}/scim/v2/${created.body.directory.id}`;
      const get = (token: string) => fetch(`${base}/Users`, { headers: { authorization: `Bearer ${token}` } });
      for (let i = 0; i < 3; i++) assert.equal((await get(created.body.token)).status, 200);
      const refused = await get(created.body.token);
      assert.equal(refused.status, 429);
      assert.match(refused.headers.get('retry-after') ?? '', /^\d+$/);
      assert.equal((await refused.json()).status, '429');
      for (let i = 0; i < 3; i++) assert.equal((await get(`scim_guess${i}`)).status, 401);
      const guessing = await get('scim_guess9');
      assert.equal(guessing.status, 429);
      assert.ok(guessing.headers.get('retry-after'));
    } finally {
      await limited.close();
    }
  });
});

describe('SCIM request log: code, values and facts beside the English text', () => {
  test('an accepted and a refused request store their structured form and the same English as before, in English whatever the provider asks for', async () => {
    const org = await h.organization('Log Corp');
    const created = await h.portal(org.token, 'POST', '/api/portal/directories', { provider: 'entra-id' });
    assert.equal(created.status, 201, created.text);
    const { id } = created.body.directory;
    const token = created.body.token as string;
    const base = `/scim/v2/${id}`;
    const german = { 'accept-language': 'de-DE, de;q=0.9' };

    const ada = await scim(token, 'POST', `${base}/Users`, { schemas: [USER], userName: 'ada@log.example', emails: [{ value: 'ada@log.example' }] }, german);
    assert.equal(ada.status, 201, ada.text);
    assert.equal((await scim(token, 'GET', `${base}/Users?filter=${encodeURIComponent('userName eq "nobody@log.example"')}`, undefined, german)).status, 200);
    const group = await scim(token, 'POST', `${base}/Groups`, { schemas: [GROUP], displayName: 'Sales', members: [{ value: ada.body.id }] });
    assert.equal(group.status, 201);
    // Entra's non-compliant PATCH (no `op` casing SCIM knows): refused, with its own remedy.
    assert.equal((await scim(token, 'PATCH', `${base}/Users/${ada.body.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Frobnicate', path: 'active', value: false }] }, german)).status, 400);
    assert.equal((await scim('scim_wrong', 'GET', `${base}/Users`, undefined, german)).status, 401);

    const log = await h.portal(org.token, 'GET', `/api/portal/directories/${id}/requests`);
    assert.equal(log.status, 200, log.text);
    const [wrongToken, patch, groupCreated, lookup, userCreated] = log.body;
    assert.deepEqual(userCreated, { ...userCreated, summary: 'Created user ada@log.example', summaryCode: 'user_created', summaryValues: { user: 'ada@log.example' }, status: 201 });
    assert.equal(userCreated.error, undefined);
    assert.deepEqual([lookup.summary, lookup.summaryCode, lookup.summaryValues], ['Looked up users by userName (0 found)', 'users_looked_up', { attributes: ['userName'], found: 0 }]);
    assert.deepEqual([groupCreated.summary, groupCreated.summaryCode, groupCreated.summaryValues], ['Created group Sales with 1 member', 'group_created', { group: 'Sales', members: 1 }]);

    assert.equal(patch.summaryCode, 'request_refused');
    assert.deepEqual(patch.summaryValues, { method: 'PATCH', resource: 'Users', id: ada.body.id });
    assert.equal(patch.summary, `Refused: Update user ${ada.body.id}`);
    assert.deepEqual(patch.error.facts, { status: 400, method: 'PATCH', resource: 'Users', ...(patch.error.scimType ? { scimType: patch.error.scimType } : {}) });
    assert.match(patch.error.remedy, /^Entra ID's default PATCH requests do not follow SCIM 2\.0\. Add \?aadOptscim062020 to the Tenant URL/);

    assert.deepEqual(wrongToken.summaryValues, { method: 'GET', resource: 'Users' });
    assert.equal(wrongToken.summary, 'Refused: List users');
    assert.deepEqual(wrongToken.error.facts, { status: 401, method: 'GET', resource: 'Users', tokenProblem: 'wrong' });
    assert.equal(
      wrongToken.error.remedy,
      "Copy the token again from the portal into Entra's Secret Token field (the enterprise application's Provisioning, Admin Credentials). A token stops working as soon as a new one is generated; generate one in the portal if it was lost.",
    );

    // Stored in their columns.
    const rows = await h.database.db.selectFrom('directory_requests').select(['summary_code', 'summary_values', 'remedy_facts']).where('directory_id', '=', id).orderBy('seq', 'desc').execute();
    assert.deepEqual(rows[0], { summary_code: 'request_refused', summary_values: { method: 'GET', resource: 'Users' }, remedy_facts: { status: 401, method: 'GET', resource: 'Users', tokenProblem: 'wrong' } });
    assert.equal(rows[4]!.remedy_facts, null);
  });

  test('a row written before the codes (no summary_code) reads back with its English text only', async () => {
    const org = await h.organization('Old Rows Corp');
    const created = await h.portal(org.token, 'POST', '/api/portal/directories', { provider: 'okta' });
    const { id } = created.body.directory;
    await h.database.db
      .insertInto('directory_requests')
      .values({ id: 'dreq_old', directory_id: id, at: h.clock.now.toISOString(), method: 'POST', path: '/Users', summary: 'Created user old@log.example', status: 400, scim_type: null, detail: 'Old detail.', remedy: 'Old remedy.', summary_code: null, summary_values: null, remedy_facts: null })
      .execute();
    const log = await h.portal(org.token, 'GET', `/api/portal/directories/${id}/requests`);
    assert.deepEqual(log.body[0], { id: 'dreq_old', at: h.clock.now.toISOString(), method: 'POST', path: '/Users', summary: 'Created user old@log.example', status: 400, error: { detail: 'Old detail.', remedy: 'Old remedy.' } });
  });
});
