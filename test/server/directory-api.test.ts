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
import { DirectorySchema, DirectoryWithTokenSchema } from '../../src/core/directory-model.js';
import { validate } from '../../src/core/model.js';
import { hashToken } from '../../src/server/server-types.js';
import { startHarness, type Answer, type Harness } from './helpers.js';

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

export { events, scim };
