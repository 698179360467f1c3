// Database: none. It never opens one, so the PostgreSQL pass of the server suite leaves it out (scripts/server-tests.mjs).
/**
 * `route()` of contract-routes.ts on a sub-app: mounted with `app.route(mountedAt, subApp)`, a
 * contract route answers at the contract's full path, validated; a route outside the mount point
 * is a programming error at start, not a route that silently never answers.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Hono } from 'hono';
import { REST } from '../../src/core/rest-contract.js';
import { route } from '../../src/server/contract-routes.js';

describe('contract routes on a mounted sub-app', () => {
  test('answers at the contract’s full path, with the contract’s validation', async () => {
    const sub = new Hono();
    route(sub, REST.getOrganization, (c, { params }) => c.json({ id: params.orgId }), '/api/admin');
    const app = new Hono().route('/api/admin', sub);
    app.onError((error, c) => c.json({ error: (error as { code?: string }).code }, 500));

    assert.deepEqual(
      [...new Set(app.routes.filter((r) => r.method === 'GET').map((r) => r.path))],
      ['/api/admin/organizations/:orgId'],
    );
    const found = await app.request('/api/admin/organizations/org_1');
    assert.equal(found.status, 200);
    assert.deepEqual(await found.json(), { id: 'org_1' });
    // An id outside the id alphabet: the contract's validation ran (not found).
    const refused = await app.request('/api/admin/organizations/no%20such');
    assert.deepEqual(await refused.json(), { error: 'not_found' });
    // Not at the path relative to nothing.
    assert.equal((await app.request('/organizations/org_1')).status, 404);
  });

  test('refuses a route that is not under the mount point', () => {
    assert.throws(() => route(new Hono(), REST.getSession, (c) => c.body(null), '/api/admin'), /\/api\/portal\/session is not under \/api\/admin/);
    // A mount point is whole path segments: `/api/admin/…` is not under `/api/adm`.
    assert.throws(() => route(new Hono(), REST.getOrganization, (c) => c.body(null), '/api/adm'), /is not under \/api\/adm\./);
  });
});
