/// <reference types="node" />
/**
 * Operations: the probes (`/healthz`, `/readyz`), request logs with a request id and no
 * secrets, unexpected errors (500 without a stack, one error line), and the graceful shutdown
 * of `npm run server` (requests in flight finish, then exit 0).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { parseSamlMetadata } from '../../src/core/saml-metadata.js';
import { listen } from '../../src/server/listen.js';
import { createLogger, logSettingsFromEnv, loggablePath, type LogLevel } from '../../src/server/log.js';
import { startingResponse } from '../../src/server/operations.js';
import { SIMULATOR_OIDC_CLIENT } from '../../src/server/simulator/oidc-idp.js';
import { sql } from 'kysely';
import type { Database } from '../../src/server/db/database.js';
import { openTestDatabase } from '../support/test-database.js';
import { FormBrowser, formsOf } from '../support/form-browser.js';
import { ADMIN_KEY, startHarness, temporaryFolders } from './helpers.js';
import { startLoginServer } from './login-harness.js';
import { runServer } from './server-process.js';

const PROBLEM = 'application/problem+json';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const tempDir = temporaryFolders('operations');

interface LogEntry {
  time: string;
  level: string;
  msg: string;
  [field: string]: unknown;
}

/** A logger whose JSON lines are kept. */
function captured(level: LogLevel = 'info') {
  const lines: string[] = [];
  const logger = createLogger({ level, format: 'json', write: (line) => lines.push(line) });
  return { logger, lines, entries: () => lines.map((line) => JSON.parse(line) as LogEntry) };
}

/** A test database whose every use throws once `armed` (nothing may touch it); closed after the test. */
async function trapDatabase(t: { after(fn: () => Promise<void>): void }): Promise<{ database: Database; arm(): void }> {
  let armed = false;
  const target = await openTestDatabase();
  t.after(() => target.close());
  const db = new Proxy(target.db, {
    get(object, property, receiver) {
      if (armed) throw new Error(`kaboom: database.${String(property)} used`);
      const value: unknown = Reflect.get(object, property, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(object) : value;
    },
  });
  return { database: { ...target, db, close: () => target.close() }, arm: () => (armed = true) };
}

describe('GET /healthz', () => {
  test('200 {status: ok}, no authentication, not cached, and no database access', async (t) => {
    const { database, arm } = await trapDatabase(t);
    const h = await startHarness({ database, logger: captured('off').logger });
    t.after(() => h.close());
    arm();
    const response = await fetch(`${h.origin}/healthz`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await response.json(), { status: 'ok' });
    // The trap works: what does use the database fails.
    assert.equal((await h.admin('GET', '/api/admin/organizations')).status, 500);
  });
});

describe('GET /readyz', () => {
  test('200 {status: ready, checks: {store: ok}} while the database answers', async (t) => {
    const h = await startHarness();
    t.after(() => h.close());
    const response = await fetch(`${h.origin}/readyz`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await response.json(), { status: 'ready', checks: { store: 'ok' } });
  });

  test('a closed database: 503 unavailable with Retry-After; the reason only in the log', async (t) => {
    const logs = captured('error');
    const database = await openTestDatabase();
    const h = await startHarness({ database, logger: logs.logger });
    t.after(() => h.close());
    await database.close();
    const response = await fetch(`${h.origin}/readyz`);
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('content-type'), PROBLEM);
    assert.equal(response.headers.get('retry-after'), '5');
    const problem = (await response.json()) as { code: string; retryable: boolean; details: unknown };
    assert.equal(problem.code, 'unavailable');
    assert.equal(problem.retryable, true);
    assert.deepEqual(problem.details, { checks: { store: 'failed' } });
    assert.doesNotMatch(JSON.stringify(problem), /closed/);
    const [line] = logs.entries();
    assert.equal(line?.msg, 'not ready');
    assert.match(String(line?.error), /destroyed|closed/i);
    assert.equal(line?.requestId, response.headers.get('x-request-id'));
  });

  test('not ready while a migration of this version is not applied, ready once it is', async (t) => {
    const logs = captured('error');
    const h = await startHarness({ logger: logs.logger });
    t.after(() => h.close());
    assert.equal((await fetch(`${h.origin}/readyz`)).status, 200);
    // As if the database were an older one (another instance rolled back to it).
    await sql`update kysely_migration set name = 'renamed' where name = '0001_initial'`.execute(h.database.db);
    assert.equal((await fetch(`${h.origin}/readyz`)).status, 503);
    assert.match(String(logs.entries()[0]?.error), /Database migrations not applied: 0001_initial/);
    await sql`update kysely_migration set name = '0001_initial' where name = 'renamed'`.execute(h.database.db);
    assert.equal((await fetch(`${h.origin}/readyz`)).status, 200);
  });

  test('503 once the server is shutting down (`stopping`)', async (t) => {
    let stopping = false;
    const h = await startHarness({ stopping: () => stopping });
    t.after(() => h.close());
    assert.equal((await fetch(`${h.origin}/readyz`)).status, 200);
    stopping = true;
    const response = await fetch(`${h.origin}/readyz`);
    assert.equal(response.status, 503);
    assert.ok(response.headers.get('retry-after'));
    assert.deepEqual(((await response.json()) as { details: unknown }).details, { checks: { store: 'ok', server: 'stopping' } });
  });

  test('probes are not rate-limited (a load balancer asks often, from one address)', async (t) => {
    const h = await startHarness({ rateLimits: { limits: { public: { capacity: 2, windowMs: 60_000 } } } });
    t.after(() => h.close());
    for (let i = 0; i < 10; i++) {
      assert.equal((await fetch(`${h.origin}/healthz`)).status, 200);
      assert.equal((await fetch(`${h.origin}/readyz`)).status, 200);
    }
    // The public limit itself is on: a public route is refused past 2.
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${h.origin}/sso/nothing`)).status);
    assert.equal(statuses.at(-1), 429);
  });
});

describe('while the server starts', () => {
  test('/healthz answers 200, everything else 503 unavailable with Retry-After', async () => {
    const health = startingResponse(new Request('http://127.0.0.1:1/healthz'));
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    for (const path of ['/readyz', '/api/portal/session', '/']) {
      const response = startingResponse(new Request(`http://127.0.0.1:1${path}`));
      assert.equal(response.status, 503);
      assert.equal(response.headers.get('content-type'), PROBLEM);
      assert.equal(response.headers.get('retry-after'), '1');
      assert.equal(((await response.json()) as { code: string }).code, 'unavailable');
    }
  });
});

describe('request logs', () => {
  test('one JSON line per request: time, level, msg, requestId, method, path, status, durationMs; the id is echoed', async (t) => {
    const logs = captured();
    const h = await startHarness({ logger: logs.logger });
    t.after(() => h.close());
    const response = await fetch(`${h.origin}/api/admin/organizations`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    assert.equal(response.status, 200);
    const id = response.headers.get('x-request-id') ?? '';
    assert.match(id, UUID);
    assert.equal(logs.lines.length, 1);
    const entry = logs.entries()[0]!;
    assert.deepEqual(Object.keys(entry), ['time', 'level', 'msg', 'requestId', 'method', 'path', 'status', 'durationMs']);
    assert.ok(!Number.isNaN(Date.parse(entry.time)));
    assert.deepEqual({ ...entry, time: 0, durationMs: 0 }, { time: 0, level: 'info', msg: 'request', requestId: id, method: 'GET', path: '/api/admin/organizations', status: 200, durationMs: 0 });
    assert.equal(typeof entry.durationMs, 'number');
  });

  test('a well-formed X-Request-Id is kept; anything else is replaced', async (t) => {
    const logs = captured();
    const h = await startHarness({ logger: logs.logger });
    t.after(() => h.close());
    const given = 'Root=1-67891233-abcdef012345678912345678';
    const kept = await fetch(`${h.origin}/api/admin/organizations`, { headers: { 'x-request-id': given } });
    assert.equal(kept.status, 401);
    assert.equal(kept.headers.get('x-request-id'), given);
    for (const bad of ['two words', 'x'.repeat(129), '{"json":1}', '']) {
      const replaced = await fetch(`${h.origin}/nothing-here`, { headers: { 'x-request-id': bad } });
      assert.equal(replaced.status, 404);
      assert.match(replaced.headers.get('x-request-id') ?? '', UUID, bad);
    }
    const entries = logs.entries();
    assert.equal(entries[0]?.requestId, given);
    assert.equal(entries[0]?.status, 401);
    assert.ok(entries.slice(1).every((e) => UUID.test(String(e.requestId))));
  });

  test('every answer carries its request id: middleware refusals, probes, pages', async (t) => {
    const h = await startHarness({ logger: captured('off').logger });
    t.after(() => h.close());
    const refusedPreflight = await fetch(`${h.origin}/api/portal/session`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    assert.equal(refusedPreflight.status, 403);
    const tooLarge = await fetch(`${h.origin}/api/admin/organizations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(300 * 1024) }),
    });
    assert.equal(tooLarge.status, 413);
    for (const response of [refusedPreflight, tooLarge, await fetch(`${h.origin}/healthz`)]) {
      assert.match(response.headers.get('x-request-id') ?? '', UUID);
    }
  });

  test('successful probes are not logged, failing ones are', async (t) => {
    const logs = captured();
    const h = await startHarness({ logger: logs.logger });
    t.after(() => h.close());
    await fetch(`${h.origin}/healthz`);
    await fetch(`${h.origin}/readyz`);
    assert.deepEqual(logs.lines, []);
    await h.database.close();
    await fetch(`${h.origin}/readyz`);
    assert.deepEqual(
      logs.entries().map((e) => [e.msg, e.path, e.status]),
      [
        ['not ready', undefined, undefined],
        ['request', '/readyz', 503],
      ],
    );
  });

  test('levels: `error` writes no request lines, `off` nothing at all', async (t) => {
    for (const level of ['error', 'off'] as const) {
      const { database, arm } = await trapDatabase(t);
      const logs = captured(level);
      const h = await startHarness({ database, logger: logs.logger });
      t.after(() => h.close());
      await h.request('GET', '/nothing-here');
      arm();
      await h.admin('GET', '/api/admin/organizations');
      assert.deepEqual(
        logs.entries().map((e) => e.msg),
        level === 'error' ? ['unexpected error'] : [],
        level,
      );
    }
  });

  test('the text format: one readable line', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', format: 'text', write: (line) => lines.push(line), now: () => new Date('2026-03-01T10:00:00.000Z') });
    logger.info('request', { requestId: 'r-1', method: 'GET', path: '/a b', status: 200, durationMs: 1.5 });
    assert.deepEqual(lines, ['2026-03-01T10:00:00.000Z INFO  request requestId=r-1 method=GET path="/a b" status=200 durationMs=1.5']);
  });

  test('loggablePath: no query string; credentials in a path are named, not shown', () => {
    const token = 'Zx9_kQ2m-Lp0aB3cD4eF5gH6iJ7kL8mN9oP0qR1sT2u';
    assert.equal(loggablePath(`/portal/${token}`), '/portal/:token');
    assert.equal(loggablePath('/portal/short'), '/portal/:token');
    assert.equal(loggablePath('/sso/start/abcdefghijklmnop'), '/sso/start/:key');
    assert.equal(loggablePath('/simulator/oidc/interaction/V1StGXR8_Z5jdHi6B-myT'), '/simulator/oidc/interaction/:uid');
    assert.equal(loggablePath('/simulator/oidc/auth/V1StGXR8_Z5jdHi6B-myT'), '/simulator/oidc/auth/:uid');
    assert.equal(loggablePath(`/some/future/${token}/route`), '/some/future/:redacted/route');
    assert.equal(loggablePath('/oidc/org_abc123/conn_0001/callback?code=c&state=s'), '/oidc/org_abc123/conn_0001/callback');
    assert.equal(loggablePath('/cdn/sso-admin-portal.js'), '/cdn/sso-admin-portal.js');
    assert.equal(loggablePath(`/${'a/'.repeat(400)}`).length, 301);
  });

  test('logSettingsFromEnv: defaults (quiet in demo mode), values, and a clear error for a bad one', () => {
    assert.deepEqual(logSettingsFromEnv({}, { demo: false }), { level: 'info', format: 'json' });
    assert.deepEqual(logSettingsFromEnv({}, { demo: true }), { level: 'error', format: 'json' });
    assert.deepEqual(logSettingsFromEnv({ SSO_PORTAL_LOG: 'INFO', SSO_PORTAL_LOG_FORMAT: 'text' }, { demo: true }), { level: 'info', format: 'text' });
    assert.deepEqual(logSettingsFromEnv({ SSO_PORTAL_LOG: 'off', SSO_PORTAL_LOG_FORMAT: '' }, { demo: false }), { level: 'off', format: 'json' });
    assert.throws(() => logSettingsFromEnv({ SSO_PORTAL_LOG: 'verbose' }, { demo: false }), /SSO_PORTAL_LOG must be one of info, error, off, not "verbose"/);
    assert.throws(() => logSettingsFromEnv({ SSO_PORTAL_LOG_FORMAT: 'xml' }, { demo: false }), /SSO_PORTAL_LOG_FORMAT must be one of json, text/);
  });
});

describe('no secrets in the logs', () => {
  test('portal tokens, the admin key, cookies, login keys, SAMLResponse, RelayState, OIDC code and state never appear', async (t) => {
    const logs = captured();
    const s = await startLoginServer({ logger: logs.logger });
    t.after(() => s.close());
    const secrets: Record<string, string> = { adminKey: ADMIN_KEY };
    const { orgId, token } = await s.organization('Megacorp');
    secrets.token = token;

    // The hosted portal page (its token in the path) and the portal API (its token as a bearer).
    assert.equal((await fetch(`${s.origin}/portal/${token}`)).status, 200);
    assert.equal((await s.portal(token, 'GET', '/api/portal/session')).status, 200);
    secrets.cookie = 'COOKIE-VALUE-7f3a9c';
    await fetch(`${s.origin}/demo/login`, { headers: { cookie: `sso_portal_session=${secrets.cookie}` } });

    // A SAML test login through the simulator.
    const xml = await (await fetch(s.saml.metadataUrl)).text();
    const parsed = await parseSamlMetadata(xml);
    assert.ok(parsed.ok);
    const redirect = parsed.metadata.ssoServices.find((x) => x.binding.endsWith('HTTP-Redirect'))!;
    const saml = await s.portal(token, 'POST', '/api/portal/connections', {
      protocol: 'saml',
      providerId: 'simulator',
      saml: {
        idpEntityId: parsed.metadata.entityId,
        ssoUrl: redirect.location,
        ssoBinding: 'redirect',
        signingCertificates: parsed.metadata.signingCertificates.map((c) => c.pem),
        metadataUrl: s.saml.metadataUrl,
      },
      attributeMapping: { email: 'email', firstName: 'firstName', lastName: 'lastName', groups: 'groups' },
    });
    assert.equal(saml.status, 201, saml.text);
    const samlTest = await s.portal(token, 'POST', `/api/portal/connections/${saml.body.id}/tests`, { mode: 'sp' });
    const samlLoginUrl = String(samlTest.body.loginUrl);
    secrets.samlLoginKey = samlLoginUrl.split('/').at(-1)!;
    const browser = new FormBrowser();
    const idpPage = await browser.go(samlLoginUrl);
    const posted = await browser.submit(idpPage, { scenario: 'success' }, { button: 'sign-in' });
    const [form] = formsOf(posted);
    assert.ok(form?.fields.SAMLResponse && form.fields.RelayState);
    secrets.samlResponse = form.fields.SAMLResponse.slice(0, 40);
    secrets.relayState = form.fields.RelayState;
    const acs = await browser.submit(posted);
    assert.match(acs.text, /Test login succeeded/);
    assert.equal((await s.portal(token, 'GET', `/api/portal/tests/${samlTest.body.testId}?wait=0`)).body.status, 'success');

    // An OIDC test login through the simulator.
    const oidc = await s.portal(token, 'POST', '/api/portal/connections', {
      protocol: 'oidc',
      providerId: 'simulator',
      oidc: { issuer: s.oidc.issuer, clientId: SIMULATOR_OIDC_CLIENT.clientId, clientSecret: SIMULATOR_OIDC_CLIENT.clientSecret },
      attributeMapping: { email: 'email', firstName: 'given_name', lastName: 'family_name', groups: 'groups' },
    });
    assert.equal(oidc.status, 201, oidc.text);
    const oidcTest = await s.portal(token, 'POST', `/api/portal/connections/${oidc.body.id}/tests`, { mode: 'sp' });
    const oidcBrowser = new FormBrowser();
    const interaction = await oidcBrowser.go(String(oidcTest.body.loginUrl));
    secrets.oidcLoginKey = String(oidcTest.body.loginUrl).split('/').at(-1)!;
    secrets.interaction = new URL(interaction.url).pathname.split('/').at(-1)!;
    const done = await oidcBrowser.submit(interaction, { scenario: 'success' }, { button: 'signin' });
    assert.match(done.text, /Test login succeeded/);
    const callback = new URL(oidcBrowser.visited.find((u) => u.includes('/callback?'))!);
    secrets.code = callback.searchParams.get('code')!;
    secrets.state = callback.searchParams.get('state')!;
    assert.ok(secrets.code && secrets.state);

    const text = logs.lines.join('\n');
    for (const [what, value] of Object.entries(secrets)) {
      assert.ok(value.length >= 8, `${what} is a real value`);
      assert.ok(!text.includes(value), `the log shows the ${what}`);
    }
    assert.doesNotMatch(text, /\?|SAMLResponse|RelayState|authorization|cookie/i);
    // The requests are there, by name.
    const paths = logs.entries().map((e) => `${String(e.method)} ${String(e.path)} ${String(e.status)}`);
    for (const expected of [
      'GET /portal/:token 200',
      'GET /sso/start/:key 302',
      `POST /saml/${orgId}/${saml.body.id}/acs 200`,
      `GET /oidc/${orgId}/${oidc.body.id}/callback 200`,
      'GET /simulator/oidc/interaction/:uid 200',
    ]) {
      assert.ok(paths.includes(expected), `${expected} in:\n${paths.join('\n')}`);
    }
    // Answers oidc-provider writes itself (straight to Node's response) are logged with their status and carry the id too.
    assert.ok(paths.some((p) => /^GET \/simulator\/oidc\/auth 30\d$/.test(p)), paths.join('\n'));
    const discovery = await fetch(`${s.oidc.issuer}/.well-known/openid-configuration`);
    assert.equal(discovery.status, 200);
    assert.match(discovery.headers.get('x-request-id') ?? '', UUID);
  });
});

describe('unexpected errors', () => {
  test('500 problem+json without the message or a stack; one error line with the request id, message and stack', async (t) => {
    const { database, arm } = await trapDatabase(t);
    const logs = captured();
    const h = await startHarness({ database, logger: logs.logger });
    t.after(() => h.close());
    arm();
    const response = await fetch(`${h.origin}/api/admin/organizations`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    const text = await response.text();
    assert.equal(response.status, 500);
    assert.equal(response.headers.get('content-type'), PROBLEM);
    const id = response.headers.get('x-request-id');
    const problem = JSON.parse(text) as { code: string; details: { requestId: string } };
    assert.equal(problem.code, 'unknown');
    assert.equal(problem.details.requestId, id, 'the answer names the request id to quote');
    assert.doesNotMatch(text, /kaboom|\bat\s|\.ts:\d+|Error:/);
    const entries = logs.entries();
    const errors = entries.filter((e) => e.level === 'error');
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.msg, 'unexpected error');
    assert.equal(errors[0]!.requestId, id);
    assert.equal(errors[0]!.path, '/api/admin/organizations');
    assert.match(String(errors[0]!.error), /kaboom: database\.selectFrom used/);
    assert.match(String(errors[0]!.stack), /kaboom[\s\S]*\bat\s/);
    assert.deepEqual(
      entries.filter((e) => e.msg === 'request').map((e) => [e.requestId, e.status]),
      [[id, 500]],
    );
  });
});

// ---------------------------------------------------------------------------------------
// Shutdown

/** An HTTP server on 127.0.0.1 that holds each request until `release()`. */
/** A portal request that stays in flight while the upstream holds the metadata it fetches. */
function metadataRequest(origin: string, token: string, url: string): Promise<Response> {
  return fetch(`${origin}/api/portal/metadata`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url }),
  });
}

async function heldUpstream() {
  const held: ServerResponse[] = [];
  let arrived: () => void = () => {};
  const first = new Promise<void>((resolve) => (arrived = resolve));
  const server = createServer((_request: IncomingMessage, response: ServerResponse) => {
    held.push(response);
    arrived();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metadata.xml`;
  return {
    url,
    arrived: first,
    release(body: string) {
      for (const response of held.splice(0)) response.end(body);
    },
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}

describe('listen(): close', () => {
  test('stops accepting, lets a request in flight finish (its keep-alive connection closes after it), then resolves', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered: () => void = () => {};
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    const server = await listen(async () => {
      entered();
      await gate;
      return new Response('done');
    });
    const answer = fetch(`${server.origin}/slow`);
    await inHandler;
    let closed = false;
    const closing = server.close({ graceMs: 60_000 }).then(() => (closed = true));
    await assert.rejects(fetch(`${server.origin}/other`), 'no new connections');
    assert.equal(closed, false, 'waits for the request in flight');
    release();
    const response = await answer;
    assert.equal(await response.text(), 'done');
    assert.equal(response.headers.get('connection'), 'close');
    await closing;
  });

  test('after the grace period, requests still running are cut', async () => {
    const server = await listen(() => new Promise<Response>(() => {}));
    let entered = false;
    server.server.on('request', () => (entered = true));
    const answer = fetch(`${server.origin}/forever`);
    while (!entered) await once(server.server, 'request');
    const cut: number[] = [];
    await server.close({ graceMs: 20, onCut: (n) => cut.push(n) });
    await assert.rejects(answer);
    assert.deepEqual(cut, [1]);
  });
});

describe('npm run server: graceful shutdown', () => {
  const ENV = { SSO_PORTAL_ADMIN_KEY: ADMIN_KEY, SSO_PORTAL_LOG: 'info' };

  /** An organization's portal token, through the admin API. */
  async function portalToken(origin: string): Promise<string> {
    const headers = { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' };
    const org = (await (await fetch(`${origin}/api/admin/organizations`, { method: 'POST', headers, body: '{"name":"Shutdown"}' })).json()) as { id: string };
    const link = (await (await fetch(`${origin}/api/admin/organizations/${org.id}/links`, { method: 'POST', headers, body: '{}' })).json()) as { token: string };
    return link.token;
  }

  test('SIGTERM: no new connections, the request in flight finishes, the database closes, exit code 0', async (t) => {
    const upstream = await heldUpstream();
    t.after(() => upstream.close());
    let answered: { status: number; body: unknown } | undefined;
    const run = await runServer(await tempDir(), ENV, async (origin, running) => {
      const token = await portalToken(origin);
      // A slow request: the server fetches metadata from an upstream that holds it.
      const inFlight = metadataRequest(origin, token, upstream.url);
      await upstream.arrived;
      running.child.kill('SIGTERM');
      await running.printed(/SIGTERM: shutting down/);
      await assert.rejects(fetch(`${origin}/healthz`), 'no new connections once the shutdown began');
      upstream.release('<EntityDescriptor/>');
      const response = await inFlight;
      answered = { status: response.status, body: await response.json() };
      await running.printed(/"method":"POST","path":"\/api\/portal\/metadata","status":200/);
      await running.exited;
    });
    assert.equal(run.error, undefined, String(run.error));
    assert.deepEqual(answered, { status: 200, body: { xml: '<EntityDescriptor/>' } });
    assert.equal(run.code, 0, run.output);
  });

  test('SIGTERM: a request still running after SSO_PORTAL_SHUTDOWN_GRACE_MS is cut, and the server still exits 0', async (t) => {
    const upstream = await heldUpstream();
    t.after(() => upstream.close());
    let failed: unknown;
    const run = await runServer(await tempDir(), { ...ENV, SSO_PORTAL_SHUTDOWN_GRACE_MS: '50' }, async (origin, running) => {
      const token = await portalToken(origin);
      const inFlight = metadataRequest(origin, token, upstream.url);
      await upstream.arrived;
      running.child.kill('SIGTERM');
      failed = await inFlight.then(
        () => undefined,
        (error: unknown) => error,
      );
      await running.printed(/"level":"error","msg":"shutdown: requests still running after the grace period were cut","requests":1,"graceMs":50/);
      await running.exited;
    });
    assert.equal(run.error, undefined, String(run.error));
    assert.ok(failed, 'the request was cut');
    assert.equal(run.code, 0, run.output);
  });

  test('a bad SSO_PORTAL_LOG or SSO_PORTAL_SHUTDOWN_GRACE_MS stops the start with a clear message', async () => {
    const log = await runServer(await tempDir(), { SSO_PORTAL_LOG: 'loud' });
    assert.equal(log.code, 1);
    assert.match(log.output, /SSO_PORTAL_LOG must be one of info, error, off, not "loud"/);
    const grace = await runServer(await tempDir(), { SSO_PORTAL_SHUTDOWN_GRACE_MS: '10s' });
    assert.equal(grace.code, 1);
    assert.match(grace.output, /SSO_PORTAL_SHUTDOWN_GRACE_MS must be a number of milliseconds/);
  });
});
