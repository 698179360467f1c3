/// <reference types="node" />
/**
 * The REST contract (src/core/rest-contract.ts) against the server: the Hono app serves exactly
 * the contract's routes under /api, with the contract's auth, and answers what the contract's
 * response schemas describe; the OpenAPI document is built from the same table.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { toJsonSchema } from '@valibot/to-json-schema';
import { validate } from '../../src/core/model.js';
import { REST, REST_ROUTES, restPath, type RestRoute } from '../../src/core/rest-contract.js';
import { createApp } from '../../src/server/app.js';
import { buildOpenApi, openApiPath } from '../../src/server/openapi.js';
import { openTestDatabase } from '../support/test-database.js';
import { ADMIN_KEY, startHarness, testSecretBox, type Answer, type Harness } from './helpers.js';

const key = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

/** Parses an answer with the route's response schema, naming the route on failure. */
function conforms(route: RestRoute, answer: Answer): void {
  assert.equal(answer.status, route.status, `${route.id}: ${answer.text}`);
  if (!route.response) {
    assert.equal(answer.text, '', `${route.id} answers no content`);
    return;
  }
  const result = validate(route.response, answer.body);
  assert.ok(result.ok, `${route.id}: the answer does not fit the contract: ${result.ok ? '' : JSON.stringify(result.issues)}`);
}

describe('REST contract', () => {
  test('the app registers exactly the contract’s routes under /api, and no others', async (t) => {
    const database = await openTestDatabase();
    t.after(() => database.close());
    const app = createApp({ database, secrets: testSecretBox(), adminKey: ADMIN_KEY, publicBaseUrl: 'http://127.0.0.1:1', logins: {} });
    const registered = new Set(
      app.routes
        .filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL')
        .map((r) => key(r.method, r.path)),
    );
    const contract = new Set(REST_ROUTES.map((r) => key(r.method, r.path)));
    assert.deepEqual([...registered].sort(), [...contract].sort());
    assert.equal(contract.size, REST_ROUTES.length, 'no route is in the contract twice');
  });

  test('each route’s id is its key, its path names its area, and every path parameter has a schema', () => {
    for (const [id, route] of Object.entries(REST) as [string, RestRoute][]) {
      assert.equal(route.id, id);
      const area = route.path.startsWith('/api/portal/') ? 'portal' : route.path.startsWith('/api/admin/') ? 'admin' : 'public';
      assert.equal(route.auth, area, `${id}: ${route.path}`);
      const names = [...route.path.matchAll(/:(\w+)/g)].map(([, name]) => name);
      const shape = route.request?.params?.entries ?? {};
      assert.deepEqual(Object.keys(shape).sort(), names.sort(), `${id}: path parameters`);
      if (route.request?.body) assert.ok(route.request.what, `${id}: names its body for validation messages`);
      assert.equal(route.status === 204, route.response === undefined, `${id}: a JSON answer unless 204`);
    }
  });

  test('the OpenAPI document has one operation per route, with the route’s own schemas', () => {
    const doc = buildOpenApi() as { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, unknown> } };
    const operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));
    assert.deepEqual(
      operations.map((o) => `${o.op.operationId as string} ${key(o.method, o.path)}`).sort(),
      REST_ROUTES.map((r) => `${r.id} ${key(r.method, openApiPath(r.path))}`).sort(),
    );
    // The request bodies are the schemas the server validates with (the drift of `lifetimeHours`:
    // the server took fractions up to a year, the document said whole hours, unbounded).
    for (const route of REST_ROUTES) {
      const body = route.request?.body;
      if (!body) continue;
      const op = doc.paths[openApiPath(route.path)]![route.method.toLowerCase()];
      const ref = op.requestBody.content['application/json'].schema.$ref as string;
      const component = doc.components.schemas[ref.replace('#/components/schemas/', '')] as Record<string, unknown>;
      const generated = toJsonSchema(body, { target: 'draft-2020-12', typeMode: 'output', errorMode: 'ignore' }) as Record<string, unknown>;
      delete generated.$schema;
      // Nested components are `$ref`s in the document: the property names must be the same.
      assert.deepEqual(Object.keys(component.properties as object), Object.keys(generated.properties as object), route.id);
    }
    const lifetime = (doc.components.schemas.LinkInput as any).properties.lifetimeHours;
    assert.deepEqual(lifetime, { type: 'number', exclusiveMinimum: 0, maximum: 8784 });
    assert.equal(doc.paths['/api/admin/organizations/{orgId}/links']!.post.requestBody.required, false, 'the link body may be empty');
  });

  test('the `wait` query is read as a number: empty is 0, and only a finite number from 0 to 25 passes, with one message', () => {
    const query = REST.getTestResult.request.query;
    assert.deepEqual(validate(query, { wait: '' }), { ok: true, value: { wait: 0 } });
    assert.deepEqual(validate(query, { wait: '2.5' }), { ok: true, value: { wait: 2.5 } });
    assert.deepEqual(validate(query, {}), { ok: true, value: {} });
    const issues = (wait: string) => {
      const result = validate(query, { wait });
      return result.ok ? [] : result.issues;
    };
    assert.deepEqual(issues('abc'), [{ path: 'wait', message: 'must be a number' }]);
    assert.deepEqual(issues('Infinity'), [{ path: 'wait', message: 'must be a number' }]);
    assert.deepEqual(issues('30'), [{ path: 'wait', message: 'must be at most 25' }]);
    assert.deepEqual(issues('-1'), [{ path: 'wait', message: 'must be at least 0' }]);
  });

  test('restPath fills in and encodes the parameters, and refuses a missing one', () => {
    assert.equal(restPath(REST.verifyDomain, { name: 'a b/c' }), '/api/portal/domains/a%20b%2Fc/verify');
    assert.throws(() => restPath(REST.getConnection), /id is missing/);
  });
});

describe('REST contract against the server', () => {
  let h: Harness;
  before(async () => {
    // Every route is called once without credentials: more failed authentications than the default 30 a minute.
    h = await startHarness({ testDurationMs: 0, logins: {}, rateLimits: { limits: { authFailures: { capacity: 100, windowMs: 60_000 } } } });
  });
  after(() => h.close());

  test('portal and admin routes refuse a request without credentials; the public ones do not ask for any', async () => {
    for (const route of REST_ROUTES) {
      const params = Object.fromEntries([...route.path.matchAll(/:(\w+)/g)].map(([, name]) => [name!, 'x']));
      const answer = await h.request(route.method, restPath(route, params), route.request?.body ? { body: {} } : {});
      if (route.auth === 'public') assert.notEqual(answer.status, 401, `${route.id}: ${answer.text}`);
      else {
        assert.equal(answer.status, 401, `${route.id}: ${answer.text}`);
        assert.equal(answer.body.code, route.auth === 'portal' ? 'session_expired' : 'forbidden', route.id);
      }
    }
  });

  test('the admin and public routes answer what their response schemas describe', async () => {
    const call = (route: RestRoute, params?: Record<string, string>, body?: unknown) => h.request(route.method, restPath(route, params), { token: ADMIN_KEY, body });
    const created = await call(REST.createOrganization, {}, { name: 'Megacorp' });
    conforms(REST.createOrganization, created);
    const orgId = created.body.id as string;
    conforms(REST.listOrganizations, await call(REST.listOrganizations));
    conforms(REST.getOrganization, await call(REST.getOrganization, { orgId }));
    // Fractions of an hour: the settings page mints links of a few minutes.
    const link = await call(REST.createLink, { orgId }, { lifetimeHours: 0.25 });
    conforms(REST.createLink, link);
    conforms(REST.createLink, await h.request('POST', restPath(REST.createLink, { orgId }), { token: ADMIN_KEY, rawBody: '' }));
    conforms(REST.listLinks, await call(REST.listLinks, { orgId }));
    conforms(REST.verifyDomainManually, await call(REST.verifyDomainManually, { orgId, name: 'megacorp.example' }));
    conforms(REST.revokeLink, await call(REST.revokeLink, { linkId: link.body.id as string }));
    conforms(REST.getOpenApi, await h.request('GET', REST.getOpenApi.path));
    const unknown = await h.request('POST', REST.discoverSso.path, { body: { email: 'ada@elsewhere.example' } });
    assert.equal(unknown.status, 404);
  });

  test('request validation follows the contract: the same 422 problems as before, and path ids that cannot exist are 404', async () => {
    const { orgId } = await h.organization('Validation');
    const bad = await h.admin('POST', `/api/admin/organizations/${orgId}/links`, { lifetimeHours: 9000 });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.code, 'validation_failed');
    assert.equal(bad.body.detail, 'Link is not valid: lifetimeHours: must be at most 8784 (one year)');
    assert.deepEqual(bad.body.details, { issues: [{ path: 'lifetimeHours', message: 'must be at most 8784 (one year)' }] });

    const notJson = await h.request('POST', '/api/admin/organizations', { token: ADMIN_KEY, rawBody: '{nope' });
    assert.equal(notJson.status, 422);
    assert.equal(notJson.body.detail, 'Organization is not valid: the body must be JSON');

    const badId = await h.admin('GET', '/api/admin/organizations/bad%20id');
    assert.equal(badId.status, 404);
    assert.deepEqual(badId.body.details, { orgId: 'bad id' });

    const email = await h.request('POST', REST.discoverSso.path, { body: { email: 42 } });
    assert.equal(email.status, 422);
    assert.equal(email.body.detail, 'Sign-in lookup is not valid: email: must be text');
  });

  test('the long-poll wait is validated by the contract: fractions pass, negative or non-numbers are 422', async () => {
    const { token } = await h.organization('Waits');
    for (const wait of ['-1', 'soon', '26']) {
      const answer = await h.portal(token, 'GET', `/api/portal/tests/test_nope?wait=${wait}`);
      assert.equal(answer.status, 422, wait);
      assert.match(answer.body.detail, /^The query is not valid: wait: /);
    }
    assert.equal((await h.portal(token, 'GET', '/api/portal/tests/test_nope?wait=0.1')).body.code, 'test_not_found');
  });
});
