/// <reference types="node" />
/** Rate limits, CORS allow-list, security headers, SP metadata, and slow requests not blocking others. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../../src/server/app.js';
import { DEFAULT_RATE_LIMITS, TokenBucketLimiter, parseTrustedProxies } from '../../src/server/rate-limit.js';
import type { Database } from '../../src/server/db/database.js';
import { DEMO_ORIGIN, contentSecurityPolicy, pageSecurityHeaders, parseOriginList, resolveAllowedOrigins } from '../../src/server/security-headers.js';
import { parseSamlMetadata } from '../../src/core/saml-metadata.js';
import { openTestDatabase } from '../support/test-database.js';
import { ADMIN_KEY, OIDC_INPUT, startHarness, testSecretBox } from './helpers.js';

/** For the apps built here without a harness. */
let database: Database;
before(async () => {
  database = await openTestDatabase();
});
after(() => database.close());

const PROBLEM = 'application/problem+json';

describe('TokenBucketLimiter', () => {
  test('a burst of capacity, then one token per windowMs/capacity; a clock going back refills nothing', () => {
    let ms = 1_000_000;
    const limiter = new TokenBucketLimiter({ capacity: 3, windowMs: 3000 }, () => ms);
    assert.deepEqual([1, 2, 3].map(() => limiter.take('a').allowed), [true, true, true]);
    const refused = limiter.take('a');
    assert.equal(refused.allowed, false);
    assert.equal(!refused.allowed && refused.retryAfterMs, 1000);
    assert.equal(limiter.take('b').allowed, true, 'buckets are per key');
    ms += 999;
    assert.equal(limiter.take('a').allowed, false);
    ms += 1;
    assert.equal(limiter.take('a').allowed, true);
    ms -= 60_000;
    assert.equal(limiter.take('a').allowed, false);
    ms += 600_000;
    assert.equal(limiter.check('a').allowed, true);
    const full = limiter.check('a');
    assert.ok(full.allowed && full.remaining === 3, 'never more than capacity');
  });

  test('keeps at most maxKeys buckets', () => {
    const limiter = new TokenBucketLimiter({ capacity: 2, windowMs: 1000 }, () => 0, 100);
    for (let i = 0; i < 500; i++) limiter.take(`k${i}`);
    assert.ok(limiter.size <= 100);
  });
});

describe('rate limits', () => {
  const fetched = () => Promise.resolve('<EntityDescriptor/>');

  test('POST /api/portal/metadata and /oidc-discovery: 10 a minute per token by default, then 429 rate_limited with Retry-After', async (t) => {
    let ms = 0;
    const h = await startHarness({
      fetchDocument: (_url, kind) => (kind === 'oidc-discovery' ? Promise.resolve('{"issuer":"https://idp.example"}') : fetched()),
      rateLimits: { now: () => ms },
    });
    t.after(() => h.close());
    assert.equal(DEFAULT_RATE_LIMITS.documentFetch.capacity, 10);
    const a = await h.organization('Limited A');
    const b = await h.organization('Limited B');
    for (let i = 0; i < 5; i++) {
      assert.equal((await h.portal(a.token, 'POST', '/api/portal/metadata', { url: 'https://idp.example/md' })).status, 200);
      assert.equal((await h.portal(a.token, 'POST', '/api/portal/oidc-discovery', { issuer: 'https://idp.example' })).status, 200);
    }
    const response = await fetch(`${h.origin}/api/portal/metadata`, {
      method: 'POST',
      headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/json', origin: 'http://127.0.0.1:1' },
      body: JSON.stringify({ url: 'https://idp.example/md' }),
    });
    const problem = (await response.json()) as { code: string; status: number; retryable: boolean; details: { retryAfterSeconds: number } };
    assert.equal(response.status, 429);
    assert.equal(response.headers.get('content-type'), PROBLEM);
    assert.equal(problem.code, 'rate_limited');
    assert.equal(problem.retryable, true);
    assert.equal(response.headers.get('retry-after'), '6');
    assert.equal(problem.details.retryAfterSeconds, 6);
    // A host page can read the 429 and its Retry-After.
    assert.equal(response.headers.get('access-control-allow-origin'), 'http://127.0.0.1:1');
    assert.match(response.headers.get('access-control-expose-headers') ?? '', /retry-after/i);
    assert.equal((await h.portal(a.token, 'POST', '/api/portal/oidc-discovery', { issuer: 'https://idp.example' })).body.code, 'rate_limited');
    // Other routes of the same token, and other tokens, are not limited by it.
    assert.equal((await h.portal(a.token, 'GET', '/api/portal/connections')).status, 200);
    assert.equal((await h.portal(b.token, 'POST', '/api/portal/metadata', { url: 'https://idp.example/md' })).status, 200);
    // One token comes back every 6 seconds.
    ms += 5_999;
    assert.equal((await h.portal(a.token, 'POST', '/api/portal/metadata', { url: 'https://idp.example/md' })).status, 429);
    ms += 1;
    assert.equal((await h.portal(a.token, 'POST', '/api/portal/metadata', { url: 'https://idp.example/md' })).status, 200);
    assert.equal((await h.portal(a.token, 'POST', '/api/portal/metadata', { url: 'https://idp.example/md' })).status, 429);
  });

  test('every portal call counts per token; the admin API per admin key', async (t) => {
    const ms = 0;
    const h = await startHarness({ rateLimits: { now: () => ms, limits: { portal: { capacity: 5, windowMs: 60_000 }, admin: { capacity: 8, windowMs: 60_000 } } } });
    t.after(() => h.close());
    const { token } = await h.organization('Busy'); // 2 admin calls
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await h.portal(token, 'GET', '/api/portal/session')).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
    const admin = [];
    for (let i = 0; i < 7; i++) admin.push((await h.admin('GET', '/api/admin/organizations')).status);
    assert.deepEqual(admin, [200, 200, 200, 200, 200, 200, 429]);
  });

  test('wrong tokens and keys count per client; past the limit they get 429, but the right token and admin key still pass', async (t) => {
    let ms = 0;
    const h = await startHarness({ rateLimits: { now: () => ms, limits: { authFailures: { capacity: 3, windowMs: 30_000 } } } });
    t.after(() => h.close());
    const { token } = await h.organization('Guessing');
    assert.equal((await h.portal('guess-1', 'GET', '/api/portal/session')).status, 401);
    assert.equal((await h.request('GET', '/api/admin/organizations', { token: 'wrong' })).status, 401);
    assert.equal((await h.portal('guess-2', 'GET', '/api/portal/session')).status, 401);
    const limited = await h.portal('guess-3', 'GET', '/api/portal/session');
    assert.equal(limited.status, 429);
    assert.equal(limited.body.code, 'rate_limited');
    assert.equal((await h.request('GET', '/api/admin/organizations', { token: 'wrong-again' })).status, 429);
    assert.equal((await h.request('GET', '/api/portal/session')).status, 429, 'no token at all: a failure too');
    // Someone else's failures (same address) never refuse a valid credential.
    assert.equal((await h.portal(token, 'GET', '/api/portal/session')).status, 200);
    assert.equal((await h.admin('GET', '/api/admin/organizations')).status, 200);
    for (let i = 0; i < 5; i++) assert.equal((await h.portal(token, 'GET', '/api/portal/session')).status, 200);
    ms += 10_000;
    assert.equal((await h.portal('guess-4', 'GET', '/api/portal/session')).status, 401, 'one failure back every 10 s');
    assert.equal((await h.portal('guess-5', 'GET', '/api/portal/session')).status, 429);
  });

  test('the same wrong token again (a page left open on an expired link) costs its own budget, not the client’s', async (t) => {
    const ms = 0;
    const h = await startHarness({ rateLimits: { now: () => ms, limits: { authFailures: { capacity: 3, windowMs: 30_000 } } } });
    t.after(() => h.close());
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await h.portal('expired-link-token', 'GET', '/api/portal/session')).status);
    assert.deepEqual(statuses, [401, 401, 401, 429, 429, 429]);
    // The client spent one failure on it: two new ones are still answered 401.
    assert.equal((await h.portal('other-1', 'GET', '/api/portal/session')).status, 401);
    assert.equal((await h.portal('other-2', 'GET', '/api/portal/session')).status, 401);
    assert.equal((await h.portal('other-3', 'GET', '/api/portal/session')).status, 429);
  });

  /** A request as a reverse proxy on 127.0.0.1 forwards it, with the X-Forwarded-For it writes. */
  const viaProxy = async (origin: string, path: string, token: string, forwardedFor?: string) =>
    (await fetch(`${origin}${path}`, { headers: { authorization: `Bearer ${token}`, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) } })).status;

  test('behind a trusted proxy (trustedProxies), failures count per forwarded client: one client does not lock out the others', async (t) => {
    const ms = 0;
    const h = await startHarness({ trustedProxies: ['127.0.0.0/8'], rateLimits: { now: () => ms, limits: { authFailures: { capacity: 2, windowMs: 30_000 } } } });
    t.after(() => h.close());
    // Addresses in X-Forwarded-For are only text here: no packet goes anywhere but 127.0.0.1.
    const [a, b] = ['192.0.2.10', '192.0.2.20'];
    assert.deepEqual(
      [await viaProxy(h.origin, '/api/portal/session', 'a-1', a), await viaProxy(h.origin, '/api/portal/session', 'a-2', a), await viaProxy(h.origin, '/api/portal/session', 'a-3', a)],
      [401, 401, 429],
    );
    assert.equal(await viaProxy(h.origin, '/api/portal/session', 'b-1', b), 401, 'another client behind the same proxy is not limited');
    // Entries left of the proxy's own are written by the client: a forged one changes nothing.
    assert.equal(await viaProxy(h.origin, '/api/portal/session', 'a-4', `${b}, ${a}`), 429);
    // The proxy's own hops (trusted) are skipped: the client is the right-most untrusted entry.
    assert.equal(await viaProxy(h.origin, '/api/portal/session', 'a-5', `${a}, 127.0.0.2`), 429);
    // Without the header the proxy itself is the client.
    assert.equal(await viaProxy(h.origin, '/api/portal/session', 'p-1'), 401);
  });

  test('without trusted proxies X-Forwarded-For is ignored: the TCP peer is the client', async (t) => {
    const ms = 0;
    const h = await startHarness({ rateLimits: { now: () => ms, limits: { authFailures: { capacity: 2, windowMs: 30_000 } } } });
    t.after(() => h.close());
    assert.equal(await viaProxy(h.origin, '/api/portal/session', 'x-1', '192.0.2.10'), 401);
    assert.equal(await viaProxy(h.origin, '/api/portal/session', 'x-2', '192.0.2.20'), 401);
    assert.equal(await viaProxy(h.origin, '/api/portal/session', 'x-3', '192.0.2.30'), 429);
  });

  test('parseTrustedProxies: addresses and CIDR ranges (IPv4, IPv6, IPv4-mapped); a bad entry is a clear error', () => {
    const trusted = parseTrustedProxies(' 127.0.0.1, 10.0.0.0/8 ,::1,fd00::/8');
    assert.deepEqual(trusted.entries, ['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8']);
    for (const yes of ['127.0.0.1', '::ffff:127.0.0.1', '10.1.2.3', '::1', 'fd12::1']) assert.equal(trusted.has(yes), true, yes);
    for (const no of ['127.0.0.2', '11.0.0.1', 'fe80::1', 'not-an-ip', '']) assert.equal(trusted.has(no), false, no);
    assert.equal(parseTrustedProxies(undefined).has('127.0.0.1'), false, 'nobody by default');
    for (const bad of ['proxy.internal', '10.0.0.0/33', '::1/129', '10.0.0.0/8/1', '10.0.0.0/x', '300.1.1.1']) {
      assert.throws(() => parseTrustedProxies(bad), (error: Error) => error.message.includes(JSON.stringify(bad)) && /CIDR/.test(error.message), bad);
    }
    assert.throws(() => createApp({ database, secrets: testSecretBox(), adminKey: ADMIN_KEY, publicBaseUrl: 'http://127.0.0.1:1', trustedProxies: ['nope'] }), /"nope"/);
  });

  test('rateLimits: false turns them off', async (t) => {
    const h = await startHarness({ fetchDocument: fetched, rateLimits: false });
    t.after(() => h.close());
    const { token } = await h.organization('Unlimited');
    for (let i = 0; i < 15; i++) assert.equal((await h.portal(token, 'POST', '/api/portal/metadata', { url: 'https://idp.example/md' })).status, 200);
  });
});

describe('CORS allow-list and security headers', () => {
  test('default allow-list: the server’s own origin, and the demo origin only in demo mode', () => {
    assert.deepEqual(resolveAllowedOrigins('http://127.0.0.1:1/'), ['http://127.0.0.1:1']);
    assert.deepEqual(resolveAllowedOrigins('http://127.0.0.1:1/', undefined, { demo: true }), ['http://127.0.0.1:1', DEMO_ORIGIN]);
    assert.deepEqual(resolveAllowedOrigins('https://sso.example/base', ['https://app.example/settings', 'https://app.example']), ['https://app.example']);
    assert.throws(() => resolveAllowedOrigins('http://x', ['*']), /origin/);
    assert.throws(() => resolveAllowedOrigins('http://x', ['ftp://files.example']), /origin/);
    assert.deepEqual(parseOriginList(' https://a.example, https://b.example:8443 '), ['https://a.example', 'https://b.example:8443']);
    assert.equal(parseOriginList(''), undefined);
  });

  test('only listed origins get Access-Control-Allow-Origin; unlisted preflights are refused', async (t) => {
    const h = await startHarness({ allowedOrigins: ['https://app.example'] });
    t.after(() => h.close());
    const { token } = await h.organization('Cors');
    const preflight = (origin: string) =>
      fetch(`${h.origin}/api/portal/connections`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
    const ok = await preflight('https://app.example');
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.match(ok.headers.get('access-control-allow-methods') ?? '', /PATCH/);
    assert.match(ok.headers.get('access-control-allow-headers') ?? '', /authorization/);
    assert.equal(ok.headers.get('access-control-allow-credentials'), null);
    const refused = await preflight('https://evil.example');
    await refused.text();
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.get('access-control-allow-origin'), null);

    for (const [origin, expected] of [
      ['https://app.example', 'https://app.example'],
      ['https://evil.example', null],
      ['https://app.example.evil.example', null],
      ['null', null],
      [DEMO_ORIGIN, null], // an explicit list replaces the default
    ] as const) {
      const answer = await fetch(`${h.origin}/api/portal/session`, { headers: { origin, authorization: `Bearer ${token}` } });
      await answer.text();
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get('access-control-allow-origin'), expected, origin);
      assert.match(answer.headers.get('vary') ?? '', /origin/i);
    }
    // Errors too, for listed origins.
    const denied = await fetch(`${h.origin}/api/portal/session`, { headers: { origin: 'https://app.example', authorization: 'Bearer nope' } });
    await denied.text();
    assert.equal(denied.status, 401);
    assert.equal(denied.headers.get('access-control-allow-origin'), 'https://app.example');
    // The admin API is not for browsers.
    const admin = await fetch(`${h.origin}/api/admin/organizations`, { headers: { origin: 'https://app.example', authorization: `Bearer ${ADMIN_KEY}` } });
    await admin.text();
    assert.equal(admin.headers.get('access-control-allow-origin'), null);
  });

  test('API answers: nosniff, no referrer, nothing runs or frames them', async (t) => {
    const h = await startHarness();
    t.after(() => h.close());
    for (const path of ['/api/admin/organizations', '/api/portal/session', '/api/nothing']) {
      const answer = await fetch(`${h.origin}${path}`);
      await answer.text();
      assert.equal(answer.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(answer.headers.get('referrer-policy'), 'no-referrer', path);
      assert.match(answer.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, path);
    }
  });

  test('API and SP answers carry exactly the API security headers, and keep a header a handler set itself', async () => {
    const app = createApp({ database, secrets: testSecretBox(), adminKey: ADMIN_KEY, publicBaseUrl: 'http://127.0.0.1:1', rateLimits: false });
    // Registered after the app's middleware, as every route of the app is: the middleware wraps it.
    app.get('/api/own-policy', (c) => c.body('{}', 200, { 'content-security-policy': "default-src 'self'", 'content-type': 'application/json' }));
    const org = await app.request('/api/admin/organizations', { method: 'POST', headers: { authorization: `Bearer ${ADMIN_KEY}` }, body: JSON.stringify({ name: 'Acme' }) });
    const { id } = (await org.json()) as { id: string };
    const others = ['x-frame-options', 'strict-transport-security', 'cross-origin-opener-policy', 'cross-origin-resource-policy', 'origin-agent-cluster', 'x-xss-protection', 'x-dns-prefetch-control', 'x-download-options', 'x-permitted-cross-domain-policies', 'permissions-policy'];
    for (const path of ['/api/admin/organizations', '/api/portal/session', '/api/nothing', `/saml/${id}/metadata`, '/saml/nothing']) {
      const answer = await app.request(path, { headers: path.startsWith('/api/admin') ? { authorization: `Bearer ${ADMIN_KEY}` } : {} });
      assert.equal(answer.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'", path);
      assert.equal(answer.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(answer.headers.get('referrer-policy'), 'no-referrer', path);
      for (const name of others) assert.equal(answer.headers.get(name), null, `${path}: ${name}`);
    }
    const own = await app.request('/api/own-policy');
    assert.equal(own.headers.get('content-security-policy'), "default-src 'self'");
    assert.equal(own.headers.get('x-content-type-options'), 'nosniff');
  });

  test('page headers: CSP with frame-ancestors from the allow-list, nosniff, no referrer', () => {
    const origins = resolveAllowedOrigins('http://127.0.0.1:4500', ['http://127.0.0.1:4500', 'https://app.example']);
    const headers = pageSecurityHeaders({ frameAncestors: origins, connectSrc: ['https://api.example'] });
    assert.equal(headers['x-content-type-options'], 'nosniff');
    assert.equal(headers['referrer-policy'], 'no-referrer');
    const csp = headers['content-security-policy'] ?? '';
    assert.match(csp, /frame-ancestors 'self' http:\/\/127\.0\.0\.1:4500 https:\/\/app\.example(;|$)/);
    assert.match(csp, /connect-src 'self' https:\/\/api\.example/);
    assert.match(csp, /object-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-eval/);
    assert.throws(() => contentSecurityPolicy({ frameAncestors: ["'none'; script-src *"] }));
  });
});

describe('SP metadata', () => {
  test('GET /saml/:orgId/metadata is the SP metadata XML; unknown organizations are 404', async (t) => {
    const h = await startHarness({ publicBaseUrl: 'https://sso.example' });
    t.after(() => h.close());
    const { orgId } = await h.organization('Megacorp');
    const response = await fetch(`${h.origin}/saml/${orgId}/metadata`);
    const xml = await response.text();
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type')?.split(';')[0], 'application/samlmetadata+xml');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.match(xml, new RegExp(`entityID="https://sso.example/saml/${orgId}"`));
    assert.match(xml, new RegExp(`Location="https://sso.example/saml/${orgId}/acs"`));
    // The same values as the session's, and our own parser recognises it as SP metadata.
    const parsed = await parseSamlMetadata(xml, { spEntityId: `https://sso.example/saml/${orgId}` });
    assert.equal(parsed.ok, false);
    assert.equal(!parsed.ok && parsed.error.code, 'metadata_sp_metadata');

    for (const path of ['/saml/org_nope/metadata', '/saml/bad%20id/metadata']) {
      const missing = await h.request('GET', path);
      assert.equal(missing.status, 404, path);
      assert.equal(missing.contentType, PROBLEM);
      assert.equal(missing.body.code, 'not_found');
    }
  });

  test('public, so limited per client address', async (t) => {
    const h = await startHarness({ rateLimits: { now: () => 0, limits: { public: { capacity: 2, windowMs: 60_000 } } } });
    t.after(() => h.close());
    const { orgId } = await h.organization('Popular');
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await h.request('GET', `/saml/${orgId}/metadata`)).status);
    assert.deepEqual(statuses, [200, 200, 429]);
  });
});

describe('slow requests do not block others', () => {
  test('a long-poll GET /tests/:id?wait=25 in flight while other requests answer', async (t) => {
    const h = await startHarness({ testDurationMs: 3_600_000 });
    t.after(() => h.close());
    const a = await h.organization('Polling');
    const b = await h.organization('Other');
    const created = await h.portal(a.token, 'POST', '/api/portal/connections', OIDC_INPUT);
    const started = await h.portal(a.token, 'POST', `/api/portal/connections/${created.body.id}/tests`, { mode: 'sp' });
    assert.equal(started.status, 201);

    const controller = new AbortController();
    let settled = false;
    const poll = fetch(`${h.origin}/api/portal/tests/${started.body.testId}?wait=25`, {
      headers: { authorization: `Bearer ${a.token}` },
      signal: controller.signal,
    }).then(
      (r) => {
        settled = true;
        return r.status;
      },
      () => 'aborted',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const begin = Date.now();
    const answers = await Promise.all([
      h.portal(a.token, 'GET', `/api/portal/connections/${created.body.id}`),
      h.portal(a.token, 'PATCH', `/api/portal/connections/${created.body.id}`, { version: created.body.version, changes: { name: 'Renamed' } }),
      h.portal(a.token, 'GET', `/api/portal/tests/${started.body.testId}`),
      h.portal(b.token, 'GET', '/api/portal/connections'),
      h.admin('GET', '/api/admin/organizations'),
    ]);
    assert.deepEqual(
      answers.map((x) => x.status),
      [200, 200, 200, 200, 200],
    );
    assert.equal(answers[2]?.body.status, 'pending');
    assert.ok(Date.now() - begin < 2000, `answered in ${Date.now() - begin} ms`);
    assert.equal(settled, false, 'the long-poll is still waiting');
    controller.abort();
    assert.equal(await poll, 'aborted');
  });

  test('a slow metadata download does not hold up other requests', async (t) => {
    let release: (xml: string) => void = () => undefined;
    const h = await startHarness({ fetchDocument: () => new Promise<string>((resolve) => (release = resolve)) });
    t.after(() => h.close());
    const { token } = await h.organization('Slow IdP');
    const slow = h.portal(token, 'POST', '/api/portal/metadata', { url: 'https://slow.example/md' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const begin = Date.now();
    assert.equal((await h.portal(token, 'POST', '/api/portal/connections', OIDC_INPUT)).status, 201);
    assert.equal((await h.portal(token, 'GET', '/api/portal/connections')).body.length, 1);
    assert.ok(Date.now() - begin < 2000);
    release('<EntityDescriptor/>');
    assert.deepEqual((await slow).body, { xml: '<EntityDescriptor/>' });
  });
});

describe('OpenAPI document', () => {
  test('GET /api/openapi.json serves the contract, pointing at this server', async (t) => {
    const h = await startHarness({ publicBaseUrl: 'https://sso.example' });
    t.after(() => h.close());
    const response = await fetch(`${h.origin}/api/openapi.json`);
    assert.equal(response.status, 200);
    const doc = (await response.json()) as { openapi: string; servers: { url: string }[]; paths: Record<string, unknown> };
    assert.match(doc.openapi, /^3\.1/);
    assert.deepEqual(doc.servers, [{ url: 'https://sso.example' }]);
    assert.ok(doc.paths['/api/portal/session'], 'portal routes are described');
  });
});

describe('SP values per connection', () => {
  test('each connection gets its own entity ID, ACS URL, metadata and redirect URI, and its metadata is served', async (t) => {
    const h = await startHarness({ publicBaseUrl: 'https://sso.example' });
    t.after(() => h.close());
    const { orgId, token } = await h.organization('Megacorp');
    const created = await fetch(`${h.origin}/api/portal/connections`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ protocol: 'saml', providerId: 'okta' }),
    });
    assert.equal(created.status, 201);
    const connection = (await created.json()) as { id: string; serviceProvider: Record<string, string> };
    assert.deepEqual(connection.serviceProvider, {
      entityId: `https://sso.example/saml/${orgId}/${connection.id}`,
      acsUrl: `https://sso.example/saml/${orgId}/${connection.id}/acs`,
      metadataUrl: `https://sso.example/saml/${orgId}/${connection.id}/metadata`,
      oidcRedirectUri: `https://sso.example/oidc/${orgId}/${connection.id}/callback`,
      signingCertificateUrl: `https://sso.example/saml/${orgId}/${connection.id}/signing-certificate.cer`,
      encryptionCertificateUrl: `https://sso.example/saml/${orgId}/${connection.id}/encryption-certificate.cer`,
    });
    const metadata = await fetch(`${h.origin}/saml/${orgId}/${connection.id}/metadata`);
    assert.equal(metadata.status, 200);
    assert.match(await metadata.text(), new RegExp(`Location="https://sso.example/saml/${orgId}/${connection.id}/acs"`));
    assert.equal((await fetch(`${h.origin}/saml/${orgId}/conn_nope/metadata`)).status, 404);
  });
});
