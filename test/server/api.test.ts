/// <reference types="node" />
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PortalError } from '../../src/core/errors.js';
import { OIDC_INPUT, startHarness, type Harness } from './helpers.js';

const PROBLEM = 'application/problem+json';

describe('admin API', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test('a missing or wrong admin key is 401', async () => {
    for (const token of [undefined, 'wrong-key', '']) {
      const answer = await h.request('GET', '/api/admin/organizations', { token });
      assert.equal(answer.status, 401);
      assert.equal(answer.contentType, PROBLEM);
      assert.equal(answer.body.status, 401);
      assert.equal(answer.body.type, 'about:blank');
    }
  });

  test('a portal token is not an admin key', async () => {
    const { token } = await h.organization('Initech');
    assert.equal((await h.request('GET', '/api/admin/organizations', { token })).status, 401);
  });

  test('organizations: create, list, get, validation naming the field', async () => {
    const created = await h.admin('POST', '/api/admin/organizations', { name: 'Globex', branding: { name: 'Acme', accentColor: '#4f46e5' } });
    assert.equal(created.status, 201);
    assert.equal(created.body.name, 'Globex');
    assert.deepEqual(created.body.branding, { name: 'Acme', accentColor: '#4f46e5' });
    const list = await h.admin('GET', '/api/admin/organizations');
    assert.ok(list.body.some((o: { id: string }) => o.id === created.body.id));
    assert.equal((await h.admin('GET', `/api/admin/organizations/${created.body.id}`)).body.name, 'Globex');
    assert.equal((await h.admin('GET', '/api/admin/organizations/org_nope')).body.code, 'not_found');

    const bad = await h.admin('POST', '/api/admin/organizations', { name: '', branding: { name: 'Acme', accentColor: 'red' } });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.code, 'validation_failed');
    assert.match(bad.body.detail, /name: must not be empty/);
    assert.match(bad.body.detail, /branding\.accentColor/);
    assert.deepEqual(
      bad.body.details.issues.map((i: { path: string }) => i.path),
      ['name', 'branding.accentColor'],
    );
  });

  test('links: list never shows the token; revoke is idempotent; unknown link is 404', async () => {
    const { orgId, linkId, token } = await h.organization('Hooli');
    const links = await h.admin('GET', `/api/admin/organizations/${orgId}/links`);
    assert.equal(links.status, 200);
    assert.deepEqual(Object.keys(links.body[0]).sort(), ['createdAt', 'expiresAt', 'id', 'revokedAt']);
    assert.ok(!links.text.includes(token));
    assert.equal((await h.admin('DELETE', `/api/admin/links/${linkId}`)).status, 204);
    assert.equal((await h.admin('DELETE', `/api/admin/links/${linkId}`)).status, 204);
    assert.ok((await h.admin('GET', `/api/admin/organizations/${orgId}/links`)).body[0].revokedAt);
    assert.equal((await h.admin('DELETE', '/api/admin/links/link_nope')).status, 404);
  });

  test('links that ended more than 7 days ago are forgotten when a new link is made; recent ones stay listed', async () => {
    const { orgId, linkId: oldLink } = await h.organization('Pruned', 1);
    const revoked = (await h.admin('POST', `/api/admin/organizations/${orgId}/links`, { lifetimeHours: 168 })).body.id as string;
    await h.admin('DELETE', `/api/admin/links/${revoked}`);
    h.clock.advance(3 * 86_400_000);
    const recent = (await h.admin('POST', `/api/admin/organizations/${orgId}/links`, { lifetimeHours: 1 })).body.id as string;
    const ids = async () => (await h.admin('GET', `/api/admin/organizations/${orgId}/links`)).body.map((l: { id: string }) => l.id) as string[];
    assert.deepEqual((await ids()).sort(), [oldLink, revoked, recent].sort(), 'ended 3 days ago: still listed');
    h.clock.advance(5 * 86_400_000);
    const fresh = (await h.admin('POST', `/api/admin/organizations/${orgId}/links`, {})).body.id as string;
    // oldLink and revoked ended 8 days ago; recent ended 5 days ago.
    assert.deepEqual((await ids()).sort(), [recent, fresh].sort());
  });

  test('link lifetime is validated', async () => {
    const { orgId } = await h.organization('Umbrella');
    const bad = await h.admin('POST', `/api/admin/organizations/${orgId}/links`, { lifetimeHours: -1 });
    assert.equal(bad.status, 422);
    assert.match(bad.body.detail, /lifetimeHours/);
  });
});

describe('portal API', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test('session: organization, SP values from the public URL, link expiry', async () => {
    const { orgId, token } = await h.organization('Megacorp', 24);
    const session = await h.portal(token, 'GET', '/api/portal/session');
    assert.equal(session.status, 200);
    assert.deepEqual(session.body.organization, { id: orgId, name: 'Megacorp' });
    assert.deepEqual(session.body.serviceProvider, {
      entityId: `http://127.0.0.1:1/saml/${orgId}`,
      acsUrl: `http://127.0.0.1:1/saml/${orgId}/acs`,
      metadataUrl: `http://127.0.0.1:1/saml/${orgId}/metadata`,
      oidcRedirectUri: `http://127.0.0.1:1/oidc/${orgId}/callback`,
    });
    assert.equal(session.body.expiresAt, new Date(h.clock.now.getTime() + 24 * 3_600_000).toISOString());
  });

  test('no token or an unknown token is 401 session_expired', async () => {
    for (const token of [undefined, 'not-a-token']) {
      const answer = await h.request('GET', '/api/portal/connections', { token });
      assert.equal(answer.status, 401);
      assert.equal(answer.body.code, 'session_expired');
    }
  });

  test("another organization's connection, tests and domains are 404", async () => {
    const a = await h.organization('Org A');
    const b = await h.organization('Org B');
    const created = await h.portal(a.token, 'POST', '/api/portal/connections', OIDC_INPUT);
    assert.equal(created.status, 201);
    const id = created.body.id as string;
    const test = await h.portal(a.token, 'POST', `/api/portal/connections/${id}/tests`, { mode: 'sp' });
    await h.portal(a.token, 'POST', '/api/portal/domains', { name: 'org-a.example' });

    assert.equal((await h.portal(b.token, 'GET', `/api/portal/connections/${id}`)).body.code, 'not_found');
    assert.equal((await h.portal(b.token, 'GET', `/api/portal/connections/${id}`)).status, 404);
    assert.equal((await h.portal(b.token, 'PATCH', `/api/portal/connections/${id}`, { version: 1, changes: { name: 'x' } })).status, 404);
    assert.equal((await h.portal(b.token, 'DELETE', `/api/portal/connections/${id}`)).status, 404);
    assert.equal((await h.portal(b.token, 'GET', `/api/portal/connections/${id}/tests`)).status, 404);
    assert.equal((await h.portal(b.token, 'GET', `/api/portal/tests/${test.body.testId}`)).status, 404);
    assert.equal((await h.portal(b.token, 'POST', '/api/portal/domains/org-a.example/verify')).status, 404);
    assert.deepEqual((await h.portal(b.token, 'GET', '/api/portal/connections')).body, []);
    assert.deepEqual((await h.portal(b.token, 'GET', '/api/portal/domains')).body, []);
    // ...and A still sees its own.
    assert.equal((await h.portal(a.token, 'GET', `/api/portal/connections/${id}`)).body.name, 'Okta OIDC');
  });

  test('an expired link is 401 session_expired, also for a session already open', async () => {
    const { token } = await h.organization('Expiring', 1);
    assert.equal((await h.portal(token, 'GET', '/api/portal/session')).status, 200);
    h.clock.advance(3_600_000 - 1);
    assert.equal((await h.portal(token, 'GET', '/api/portal/connections')).status, 200);
    h.clock.advance(1);
    const answer = await h.portal(token, 'GET', '/api/portal/connections');
    assert.equal(answer.status, 401);
    assert.equal(answer.body.code, 'session_expired');
    assert.equal((await h.portal(token, 'POST', '/api/portal/connections', OIDC_INPUT)).status, 401);
  });

  test('a revoked link stops an open session at once', async () => {
    const { linkId, token } = await h.organization('Revoked');
    assert.equal((await h.portal(token, 'GET', '/api/portal/session')).status, 200);
    assert.equal((await h.admin('DELETE', `/api/admin/links/${linkId}`)).status, 204);
    const answer = await h.portal(token, 'GET', '/api/portal/session');
    assert.equal(answer.status, 401);
    assert.equal(answer.body.code, 'session_expired');
  });

  test('validation errors name the field', async () => {
    const { token } = await h.organization('Validation');
    const bad = await h.portal(token, 'POST', '/api/portal/connections', {
      protocol: 'saml',
      providerId: 'okta',
      saml: { idpEntityId: 'x', ssoUrl: 'ftp://nope', ssoBinding: 'post', signingCertificates: [] },
    });
    assert.equal(bad.status, 422);
    assert.equal(bad.contentType, PROBLEM);
    assert.equal(bad.body.code, 'validation_failed');
    assert.match(bad.body.detail, /saml\.ssoUrl: must be an http\(s\) URL/);
    assert.match(bad.body.detail, /saml\.signingCertificates/);

    const created = await h.portal(token, 'POST', '/api/portal/connections', OIDC_INPUT);
    const patch = await h.portal(token, 'PATCH', `/api/portal/connections/${created.body.id}`, { version: 0, changes: { name: '' } });
    assert.equal(patch.status, 422);
    assert.deepEqual(
      patch.body.details.issues.map((i: { path: string }) => i.path).sort(),
      ['changes.name', 'version'],
    );
    const mode = await h.portal(token, 'POST', `/api/portal/connections/${created.body.id}/tests`, { mode: 'both' });
    assert.match(mode.body.detail, /mode: must be "sp" or "idp"/);
    const json = await h.request('POST', '/api/portal/connections', { token, rawBody: '{not json' });
    assert.equal(json.status, 422);
    assert.match(json.body.detail, /JSON/);
    const url = await h.portal(token, 'POST', '/api/portal/metadata', { url: 'file:///etc/passwd' });
    assert.equal(url.status, 422);
    assert.match(url.body.detail, /^Metadata request is not valid: url:/);
  });

  test('an oversized body is 413 validation_failed', async () => {
    const { token } = await h.organization('Big');
    const answer = await h.request('POST', '/api/portal/connections', {
      token,
      body: { ...OIDC_INPUT, name: 'x'.repeat(300 * 1024) },
    });
    assert.equal(answer.status, 413);
    assert.equal(answer.contentType, PROBLEM);
    assert.equal(answer.body.code, 'validation_failed');
    assert.equal(answer.body.status, 413);
    assert.deepEqual((await h.portal(token, 'GET', '/api/portal/connections')).body, []);
  });

  test('a stale version is 409 conflict and changes nothing', async () => {
    const { token } = await h.organization('Conflicts');
    const created = await h.portal(token, 'POST', '/api/portal/connections', OIDC_INPUT);
    const id = created.body.id as string;
    const first = await h.portal(token, 'PATCH', `/api/portal/connections/${id}`, { version: 1, changes: { name: 'Tab one' } });
    assert.equal(first.status, 200);
    assert.equal(first.body.version, 2);
    const stale = await h.portal(token, 'PATCH', `/api/portal/connections/${id}`, { version: 1, changes: { name: 'Tab two' } });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.code, 'conflict');
    assert.deepEqual(stale.body.details, { expectedVersion: 1, currentVersion: 2 });
    const enable = await h.portal(token, 'PUT', `/api/portal/connections/${id}/enabled`, { version: 1, enabled: false });
    assert.equal(enable.status, 409);
    assert.equal(enable.body.code, 'conflict');
    const current = await h.portal(token, 'GET', `/api/portal/connections/${id}`);
    assert.equal(current.body.name, 'Tab one');
    assert.equal(current.body.version, 2);
  });

  test('concurrent writes with the same version: exactly one wins', async () => {
    const { token } = await h.organization('Race');
    const created = await h.portal(token, 'POST', '/api/portal/connections', OIDC_INPUT);
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        h.portal(token, 'PATCH', `/api/portal/connections/${created.body.id}`, { version: 1, changes: { name: `Writer ${i}` } }),
      ),
    );
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409, 409, 409, 409, 409, 409, 409]);
    const winner = answers.find((a) => a.status === 200)!;
    assert.equal((await h.portal(token, 'GET', `/api/portal/connections/${created.body.id}`)).body.name, winner.body.name);
  });

  test('the client secret is stored, reported as set, and never echoed', async () => {
    const { token } = await h.organization('Secrets');
    const created = await h.portal(token, 'POST', '/api/portal/connections', OIDC_INPUT);
    assert.equal(created.body.oidc.clientSecretSet, true);
    const id = created.body.id as string;
    const patched = await h.portal(token, 'PATCH', `/api/portal/connections/${id}`, {
      version: 1,
      changes: { oidc: { issuer: 'https://megacorp.okta.example', clientId: 'client-123', clientSecret: 'ROTATED-SECRET-77' } },
    });
    assert.equal(patched.status, 200);
    const answers = [
      created,
      patched,
      await h.portal(token, 'GET', `/api/portal/connections/${id}`),
      await h.portal(token, 'GET', '/api/portal/connections'),
      await h.portal(token, 'POST', `/api/portal/connections/${id}/tests`, { mode: 'sp' }),
    ];
    h.clock.advance(2000);
    answers.push(await h.portal(token, 'GET', `/api/portal/connections/${id}/tests`));
    for (const answer of answers) {
      assert.ok(!answer.text.includes('TOP-SECRET-VALUE-42'), answer.text);
      assert.ok(!answer.text.includes('ROTATED-SECRET-77'), answer.text);
      assert.ok(!answer.text.includes('clientSecret"'), answer.text);
    }
  });

  test('test, long-poll, activation needs a fresh successful test', async () => {
    const { token } = await h.organization('Testing');
    const created = await h.portal(token, 'POST', '/api/portal/connections', OIDC_INPUT);
    const id = created.body.id as string;
    const early = await h.portal(token, 'PUT', `/api/portal/connections/${id}/enabled`, { version: 1, enabled: true });
    assert.equal(early.status, 409);
    assert.equal(early.body.code, 'test_required');

    const started = await h.portal(token, 'POST', `/api/portal/connections/${id}/tests`, { mode: 'sp' });
    assert.equal(started.status, 201);
    const testId = started.body.testId as string;
    assert.equal((await h.portal(token, 'GET', `/api/portal/tests/${testId}`)).body.status, 'pending');
    // A long-poll that runs out answers with the pending result.
    assert.equal((await h.portal(token, 'GET', `/api/portal/tests/${testId}?wait=0.3`)).body.status, 'pending');
    // Long-poll: answers as soon as the test settles (the clock moves while the request waits).
    const polled = h.portal(token, 'GET', `/api/portal/tests/${testId}?wait=20`);
    h.clock.advance(2000);
    const result = await polled;
    assert.equal(result.status, 200);
    assert.equal(result.body.status, 'success');
    const history = await h.portal(token, 'GET', `/api/portal/connections/${id}/tests`);
    assert.deepEqual(history.body.map((t: { id: string }) => t.id), [testId]);

    const tested = await h.portal(token, 'GET', `/api/portal/connections/${id}`);
    assert.equal(tested.body.lastTest.status, 'success');
    const on = await h.portal(token, 'PUT', `/api/portal/connections/${id}/enabled`, { version: tested.body.version, enabled: true });
    assert.equal(on.status, 200);
    assert.equal(on.body.status, 'active');
    // A configuration change makes the test stale: activation needs a new test.
    const off = await h.portal(token, 'PUT', `/api/portal/connections/${id}/enabled`, { version: on.body.version, enabled: false });
    const changed = await h.portal(token, 'PATCH', `/api/portal/connections/${id}`, {
      version: off.body.version,
      changes: { attributeMapping: { email: 'mail' } },
    });
    assert.equal(changed.body.lastTest.stale, true);
    const again = await h.portal(token, 'PUT', `/api/portal/connections/${id}/enabled`, { version: changed.body.version, enabled: true });
    assert.equal(again.body.code, 'test_required');
    assert.equal((await h.portal(token, 'GET', '/api/portal/tests/test_nope')).body.code, 'test_not_found');
    assert.equal((await h.portal(token, 'DELETE', `/api/portal/connections/${id}`)).status, 204);
    assert.equal((await h.portal(token, 'GET', `/api/portal/connections/${id}`)).status, 404);
  });

  test('a test running while the configuration changes ends stale: activation still needs a new test', async () => {
    const { token } = await h.organization('Stale tests');
    const created = await h.portal(token, 'POST', '/api/portal/connections', OIDC_INPUT);
    const id = created.body.id as string;
    const started = await h.portal(token, 'POST', `/api/portal/connections/${id}/tests`, { mode: 'sp' });
    const testId = started.body.testId as string;
    // The configuration changes while the test is pending (a new request: the state is read again).
    const changed = await h.portal(token, 'PATCH', `/api/portal/connections/${id}`, {
      version: created.body.version,
      changes: { attributeMapping: { email: 'mail' } },
    });
    assert.equal(changed.status, 200);
    h.clock.advance(2000);
    const result = await h.portal(token, 'GET', `/api/portal/tests/${testId}`);
    assert.equal(result.body.status, 'success');
    const connection = await h.portal(token, 'GET', `/api/portal/connections/${id}`);
    assert.equal(connection.body.lastTest.id, testId);
    assert.equal(connection.body.lastTest.status, 'success');
    assert.equal(connection.body.lastTest.stale, true);
    const on = await h.portal(token, 'PUT', `/api/portal/connections/${id}/enabled`, { version: connection.body.version, enabled: true });
    assert.equal(on.status, 409);
    assert.equal(on.body.code, 'test_required');
  });

  test('domains: add, verify, remove; public email domains refused; taken by another organization; manual verification', async () => {
    const a = await h.organization('Domains A');
    const b = await h.organization('Domains B');
    const added = await h.portal(a.token, 'POST', '/api/portal/domains', { name: 'Megacorp.Example' });
    assert.equal(added.status, 201);
    assert.equal(added.body.name, 'megacorp.example');
    assert.equal((await h.portal(a.token, 'POST', '/api/portal/domains', { name: 'megacorp.example' })).body.code, 'conflict');
    assert.equal((await h.portal(a.token, 'POST', '/api/portal/domains', { name: 'gmail.com' })).body.code, 'domain_invalid');
    const verified = await h.portal(a.token, 'POST', '/api/portal/domains/megacorp.example/verify');
    assert.equal(verified.body.status, 'verified');
    assert.equal((await h.portal(b.token, 'POST', '/api/portal/domains', { name: 'megacorp.example' })).body.code, 'domain_taken');
    assert.equal((await h.admin('POST', `/api/admin/organizations/${b.orgId}/domains/megacorp.example/verify`)).body.code, 'domain_taken');

    const manual = await h.admin('POST', `/api/admin/organizations/${b.orgId}/domains/b-corp.example/verify`);
    assert.equal(manual.status, 200);
    assert.equal(manual.body.method, 'manual');
    assert.equal(manual.body.status, 'verified');
    assert.deepEqual(
      (await h.portal(b.token, 'GET', '/api/portal/domains')).body.map((d: { name: string; method: string }) => [d.name, d.method]),
      [['b-corp.example', 'manual']],
    );
    // Two organizations may both claim a domain until one verifies it; each gets its own TXT value.
    const sharedA = await h.portal(a.token, 'POST', '/api/portal/domains', { name: 'shared.example' });
    const sharedB = await h.portal(b.token, 'POST', '/api/portal/domains', { name: 'shared.example' });
    assert.equal(sharedB.status, 201);
    assert.notEqual(sharedA.body.txtRecord.value, sharedB.body.txtRecord.value);
    assert.match(sharedA.body.txtRecord.value, /^sso-verification=[A-Za-z0-9_-]{24}$/);
    const listed = (await h.portal(a.token, 'GET', '/api/portal/domains')).body.find((d: { name: string }) => d.name === 'shared.example');
    assert.equal(listed.txtRecord.value, sharedA.body.txtRecord.value);
    assert.equal((await h.portal(b.token, 'POST', '/api/portal/domains/shared.example/verify')).body.status, 'verified');
    const second = await h.portal(a.token, 'POST', '/api/portal/domains/shared.example/verify');
    assert.equal(second.status, 409);
    assert.equal(second.body.code, 'domain_taken');
    // Verifying at the same moment: one organization gets the domain, the other is told it is taken.
    await h.portal(a.token, 'POST', '/api/portal/domains', { name: 'race.example' });
    await h.portal(b.token, 'POST', '/api/portal/domains', { name: 'race.example' });
    const race = await Promise.all([
      h.portal(a.token, 'POST', '/api/portal/domains/race.example/verify'),
      h.portal(b.token, 'POST', '/api/portal/domains/race.example/verify'),
    ]);
    assert.deepEqual(race.map((r) => r.status).sort(), [200, 409]);
    assert.equal((await h.portal(a.token, 'DELETE', '/api/portal/domains/megacorp.example')).status, 204);
    assert.equal((await h.portal(a.token, 'DELETE', '/api/portal/domains/megacorp.example')).status, 404);
  });

  test('metadata and discovery go through the injected fetcher; the default refuses', async () => {
    const { token } = await h.organization('Fetching');
    const refused = await h.portal(token, 'POST', '/api/portal/metadata', { url: 'https://idp.example/metadata' });
    assert.equal(refused.status, 502);
    assert.equal(refused.body.code, 'metadata_fetch_failed');
    const discovery = await h.portal(token, 'POST', '/api/portal/oidc-discovery', { issuer: 'https://idp.example' });
    assert.equal(discovery.body.code, 'oidc_discovery_failed');

    const seen: string[] = [];
    const other = await startHarness({
      fetchDocument: (url, kind) => {
        seen.push(`${kind} ${url}`);
        if (url.includes('broken')) return Promise.reject(new PortalError('metadata_url_refused'));
        return Promise.resolve(kind === 'saml-metadata' ? '<EntityDescriptor/>' : JSON.stringify({ issuer: 'https://idp.example' }));
      },
    });
    try {
      const o = await other.organization('Fetching');
      assert.deepEqual((await other.portal(o.token, 'POST', '/api/portal/metadata', { url: 'https://idp.example/md' })).body, { xml: '<EntityDescriptor/>' });
      assert.deepEqual((await other.portal(o.token, 'POST', '/api/portal/oidc-discovery', { issuer: 'https://idp.example/' })).body, {
        document: { issuer: 'https://idp.example' },
      });
      assert.equal((await other.portal(o.token, 'POST', '/api/portal/metadata', { url: 'https://broken.example/md' })).body.code, 'metadata_url_refused');
      assert.deepEqual(seen, [
        'saml-metadata https://idp.example/md',
        'oidc-discovery https://idp.example/.well-known/openid-configuration',
        'saml-metadata https://broken.example/md',
      ]);
    } finally {
      await other.close();
    }
  });

  test('CORS: a host page on an allowed origin may call the portal API with a bearer token', async (t) => {
    const h = await startHarness({ allowedOrigins: ['http://localhost:5173'] });
    t.after(() => h.close());
    const response = await fetch(`${h.origin}/api/portal/connections`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization,content-type' },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    assert.match(response.headers.get('access-control-allow-headers') ?? '', /authorization/i);
    assert.match(response.headers.get('access-control-allow-methods') ?? '', /PATCH/);
    // Errors too, or the page could not read them (it would see a network error instead).
    const { token } = await h.organization('Cors');
    const cases: [string | undefined, string, string | undefined][] = [
      ['not-a-token', 'GET', undefined],
      [token, 'POST', JSON.stringify({ protocol: 'x' })],
      [token, 'POST', JSON.stringify({ ...OIDC_INPUT, name: 'x'.repeat(300 * 1024) })],
    ];
    const statuses: number[] = [];
    for (const [bearer, method, body] of cases) {
      const answer = await fetch(`${h.origin}/api/portal/connections`, {
        method,
        body,
        headers: { origin: 'http://localhost:5173', authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      });
      await answer.text();
      statuses.push(answer.status);
      assert.equal(answer.headers.get('access-control-allow-origin'), 'http://localhost:5173', `status ${answer.status}`);
    }
    assert.deepEqual(statuses, [401, 422, 413]);
  });

  test('unknown routes are problem+json 404', async () => {
    const answer = await h.request('GET', '/api/nothing');
    assert.equal(answer.status, 404);
    assert.equal(answer.contentType, PROBLEM);
    assert.equal(answer.body.code, 'not_found');
  });
});
