import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { HttpAdapter, TEST_RESULT_WAIT_SECONDS, type HttpAdapterOptions } from '../../../src/adapters/http-adapter.js';
import { PortalError, type PortalErrorCode } from '../../../src/core/errors.js';
import type { Connection, Domain, PortalSession, TestResult } from '../../../src/core/model.js';
import type { Directory, DirectoryRequest } from '../../../src/core/directory-model.js';
import { SERVER_ERROR_CODES, buildOpenApi } from '../../../src/server/openapi.js';
import type { SsoAdminPortal } from '../../../src/portal/sso-admin-portal.js';
import '../../../src/index.js';

// ---------------------------------------------------------------------------------------
// Helpers: a fake fetch that records every request and answers from a script. No network.

const BASE = 'https://sso.acme.test';
const API = `${BASE}/api/portal`;
const TOKEN = 'portal-token-abc123';
const SECRET = 'oidc-client-secret-7f3a9c';
const AT = '2030-01-01T00:00:00.000Z';

interface Recorded {
  url: string;
  method: string;
  headers: Headers;
  body: unknown;
  signal: AbortSignal | undefined;
}

/** What the fake server does for one request: answer, or fail the way fetch fails. */
type Reply = Response | Error | ((request: Recorded) => Response | Promise<Response>);

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

function problem(status: number, code: string, detail: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ type: 'about:blank', title: 'Error', status, code, detail, ...extra }), {
    status,
    headers: { 'Content-Type': 'application/problem+json', ...headers },
  });
}

const noContent = () => new Response(null, { status: 204 });

/** A fetch that never answers until its signal aborts, like a server that hangs. */
function hang(request: Recorded): Promise<Response> {
  return new Promise((_, reject) => {
    request.signal?.addEventListener('abort', () => reject(request.signal!.reason as Error), { once: true });
  });
}

function setup(replies: Reply[], options: Partial<HttpAdapterOptions> = {}) {
  const requests: Recorded[] = [];
  const delays: number[] = [];
  const timeouts: { ms: number; controller: AbortController }[] = [];
  const queue = [...replies];
  const fakeFetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : init.body;
    const request: Recorded = { url: String(input), method: init.method ?? 'GET', headers: new Headers(init.headers), body, signal: init.signal ?? undefined };
    requests.push(request);
    const reply = queue.shift();
    if (reply === undefined) throw new Error(`unexpected request ${request.method} ${request.url}`);
    if (reply instanceof Error) throw reply;
    return typeof reply === 'function' ? reply(request) : reply;
  };
  const adapter = new HttpAdapter({
    baseUrl: BASE,
    token: TOKEN,
    fetch: fakeFetch,
    // Never waits: records the delay the adapter asked for.
    sleep: (ms) => {
      delays.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    // Timeouts fire only when the test says so.
    timeoutSignal: (ms) => {
      const controller = new AbortController();
      timeouts.push({ ms, controller });
      return controller.signal;
    },
    now: () => new Date(AT),
    ...options,
  });
  /** Fires the timeout of the latest attempt, as AbortSignal.timeout does. */
  const fireTimeout = () => timeouts.at(-1)!.controller.abort(new DOMException('signal timed out', 'TimeoutError'));
  return { adapter, requests, delays, timeouts, fireTimeout };
}

async function rejection(promise: Promise<unknown>): Promise<PortalError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(PortalError);
    return error as PortalError;
  }
  throw new Error('expected a rejection');
}

async function expectCode(promise: Promise<unknown>, code: PortalErrorCode): Promise<PortalError> {
  const error = await rejection(promise);
  expect(error.code, error.message).to.equal(code);
  return error;
}

/** Lets pending promise callbacks run (no timers involved). */
async function flush(times = 10): Promise<void> {
  for (let i = 0; i < times; i++) await Promise.resolve();
}

function session(): PortalSession {
  return {
    organization: { id: 'org_1', name: 'Megacorp' },
    serviceProvider: {
      entityId: 'https://sso.acme.test/saml/org_1',
      acsUrl: 'https://sso.acme.test/saml/org_1/acs',
      metadataUrl: 'https://sso.acme.test/saml/org_1/metadata',
      oidcRedirectUri: 'https://sso.acme.test/oidc/org_1/callback',
    },
    branding: { name: 'Acme' },
    features: { saml: true, oidc: true, domains: true, idpInitiatedTest: true },
    devMode: false,
    expiresAt: AT,
  };
}

function connection(overrides: Partial<Connection> = {}): Connection {
  return {
    id: 'conn_1',
    protocol: 'oidc',
    providerId: 'okta',
    status: 'configured',
    saml: null,
    oidc: { issuer: 'https://idp.megacorp.test', clientId: 'portal-client', clientSecretSet: true, scopes: ['openid'] },
    attributeMapping: { email: 'email' },
    lastTest: null,
    version: 3,
    createdAt: AT,
    updatedAt: AT,
    ...overrides,
  };
}

function domain(overrides: Partial<Domain> = {}): Domain {
  return {
    name: 'megacorp.example',
    status: 'pending',
    txtRecord: { name: '_sso.megacorp.example', value: 'sso-verification=1' },
    method: 'dns_txt',
    verifiedAt: null,
    lastCheckedAt: null,
    ...overrides,
  };
}

function testResult(overrides: Partial<TestResult> = {}): TestResult {
  return {
    id: 'test_1',
    connectionId: 'conn_1',
    mode: 'sp',
    status: 'pending',
    profile: null,
    rawAttributes: {},
    error: null,
    startedAt: AT,
    completedAt: null,
    ...overrides,
  };
}

function directory(overrides: Partial<Directory> = {}): Directory {
  return {
    id: 'dir_1',
    provider: 'okta',
    name: 'Okta',
    status: 'setup',
    scimBaseUrl: 'https://sso.acme.test/scim/v2/dir_1',
    tokenHint: 'scim_ab12',
    tokenCreatedAt: AT,
    createdAt: AT,
    enabledAt: null,
    lastRequestAt: null,
    lastSyncAt: null,
    counts: { users: 0, activeUsers: 0, groups: 0 },
    recentErrors: 0,
    version: 1,
    ...overrides,
  };
}

const scimRequest: DirectoryRequest = { id: 'req_1', at: AT, method: 'POST', path: '/Users', summary: 'Created user ada@megacorp.example', status: 201 };

describe('HttpAdapter directory methods (directory sync)', () => {
  it('sends each to its DIRECTORY_REST route with the bearer token and the version it read', async () => {
    const { adapter, requests } = setup([
      json([directory()]),
      json({ directory: directory(), token: 'scim_secret_1' }, 201),
      json(directory()),
      json({ directory: directory({ version: 2, tokenHint: 'scim_cd34' }), token: 'scim_secret_2' }),
      json(directory({ status: 'enabled', version: 3 })),
      json([scimRequest]),
      noContent(),
    ]);
    expect(await adapter.listDirectories()).to.have.length(1);
    expect((await adapter.createDirectory({ provider: 'okta', name: 'Okta' })).token).to.equal('scim_secret_1');
    expect((await adapter.getDirectory('dir_1')).id).to.equal('dir_1');
    expect((await adapter.regenerateDirectoryToken('dir_1', { version: 1 })).token).to.equal('scim_secret_2');
    expect((await adapter.setDirectoryEnabled('dir_1', true, { version: 2 })).status).to.equal('enabled');
    expect(await adapter.listDirectoryRequests('dir_1')).to.deep.equal([scimRequest]);
    expect(await adapter.deleteDirectory('dir_1')).to.equal(undefined);
    expect(requests.map((r) => `${r.method} ${r.url.slice(API.length)} ${JSON.stringify(r.body ?? null)}`)).to.deep.equal([
      'GET /directories null',
      'POST /directories {"provider":"okta","name":"Okta"}',
      'GET /directories/dir_1 null',
      'POST /directories/dir_1/token {"version":1}',
      'PUT /directories/dir_1/enabled {"version":2,"enabled":true}',
      'GET /directories/dir_1/requests null',
      'DELETE /directories/dir_1 null',
    ]);
    for (const r of requests) expect(r.headers.get('Authorization')).to.equal(`Bearer ${TOKEN}`);
  });

  it('refuses a directory input the contract refuses, without a request (validation_failed)', async () => {
    const { adapter, requests } = setup([]);
    const error = await expectCode(adapter.createDirectory({ provider: 'active-directory' as never }), 'validation_failed');
    expect(error.message).to.contain('provider');
    expect(requests).to.have.length(0);
  });

  it('checks the answers: a directory that is not the contract’s is server_error', async () => {
    const { adapter } = setup([json([{ ...directory(), counts: { users: -1, activeUsers: 0, groups: 0 } }])]);
    await expectCode(adapter.listDirectories(), 'server_error');
  });

  it('follows the transport rules: reads retried after 503, a write not retried after a network failure, errors mapped', async () => {
    const { adapter, requests } = setup([
      problem(503, 'unavailable', 'Down', {}, { 'Retry-After': '1' }),
      json([directory()]),
      new TypeError('Failed to fetch'),
      problem(409, 'conflict', 'Changed meanwhile'),
      problem(404, 'not_found', 'No such directory'),
    ]);
    expect(await adapter.listDirectories()).to.have.length(1);
    await expectCode(adapter.setDirectoryEnabled('dir_1', true, { version: 1 }), 'network');
    await expectCode(adapter.regenerateDirectoryToken('dir_1', { version: 1 }), 'conflict');
    await expectCode(adapter.getDirectory('dir_x'), 'not_found');
    expect(requests).to.have.length(5);
  });

  it('is a PortalAdapter with directory sync: every optional directory method is there before the first call', () => {
    const { adapter } = setup([]);
    for (const name of ['listDirectories', 'getDirectory', 'createDirectory', 'regenerateDirectoryToken', 'setDirectoryEnabled', 'deleteDirectory', 'listDirectoryRequests'] as const) {
      expect(adapter[name], name).to.be.a('function');
    }
  });
});

// ---------------------------------------------------------------------------------------

describe('HttpAdapter', () => {
  describe('configuration', () => {
    it('takes its origin from baseUrl and adds /api/portal unless baseUrl already ends with it', async () => {
      for (const [baseUrl, expected] of [
        ['https://sso.acme.test', 'https://sso.acme.test/api/portal/session'],
        ['https://sso.acme.test/', 'https://sso.acme.test/api/portal/session'],
        ['https://acme.test/sso', 'https://acme.test/sso/api/portal/session'],
        ['http://127.0.0.1:8787/api/portal/', 'http://127.0.0.1:8787/api/portal/session'],
      ] as const) {
        const { adapter, requests } = setup([json(session())], { baseUrl });
        expect(adapter.origin).to.equal(new URL(baseUrl).origin);
        await adapter.getSession();
        expect(requests[0]!.url).to.equal(expected);
      }
    });

    it('refuses a baseUrl that is not http(s) and an empty token with not_configured', () => {
      for (const options of [{ baseUrl: 'not a url', token: TOKEN }, { baseUrl: 'ftp://x.test', token: TOKEN }, { baseUrl: BASE, token: '' }]) {
        let error: unknown;
        try {
          new HttpAdapter(options);
        } catch (e) {
          error = e;
        }
        expect(error).to.be.instanceOf(PortalError);
        expect((error as PortalError).code).to.equal('not_configured');
      }
    });
  });

  describe('requests', () => {
    it('sends every method to its route with the bearer token and a JSON body', async () => {
      const { adapter, requests } = setup([
        json(session()),
        json([connection()]),
        json(connection()),
        json(connection({ version: 1 }), 201),
        json(connection({ version: 4 })),
        noContent(),
        json(connection({ status: 'active', version: 4 })),
        json({ xml: '<EntityDescriptor/>' }),
        json({ document: { issuer: 'https://idp.megacorp.test' } }),
        json({ testId: 'test_1', loginUrl: 'https://sso.acme.test/test/test_1/login' }, 201),
        json(testResult()),
        json([testResult()]),
        json([domain()]),
        json(domain(), 201),
        json(domain({ status: 'verified', verifiedAt: AT, lastCheckedAt: AT })),
        noContent(),
      ]);
      expect((await adapter.getSession()).organization.name).to.equal('Megacorp');
      expect(await adapter.listConnections()).to.have.length(1);
      expect((await adapter.getConnection('conn_1')).id).to.equal('conn_1');
      await adapter.createConnection({ protocol: 'oidc', providerId: 'okta', oidc: { issuer: 'https://idp.megacorp.test', clientId: 'c', clientSecret: SECRET } });
      await adapter.updateConnection('conn_1', { name: 'Okta' }, { version: 3 });
      expect(await adapter.deleteConnection('conn_1')).to.equal(undefined);
      await adapter.setConnectionEnabled('conn_1', true, { version: 3 });
      expect(await adapter.fetchMetadata('https://idp.test/metadata')).to.equal('<EntityDescriptor/>');
      expect(await adapter.fetchOidcDiscovery('https://idp.megacorp.test')).to.deep.equal({ issuer: 'https://idp.megacorp.test' });
      expect(await adapter.startTest('conn_1', { mode: 'sp' })).to.deep.equal({ testId: 'test_1', loginUrl: 'https://sso.acme.test/test/test_1/login' });
      expect((await adapter.getTestResult('test_1')).status).to.equal('pending');
      expect(await adapter.listTestResults('conn_1')).to.have.length(1);
      expect(await adapter.listDomains()).to.have.length(1);
      await adapter.addDomain('megacorp.example');
      expect((await adapter.verifyDomain('megacorp.example')).status).to.equal('verified');
      expect(await adapter.removeDomain('megacorp.example')).to.equal(undefined);

      expect(requests.map((r) => `${r.method} ${r.url.slice(API.length)}`)).to.deep.equal([
        'GET /session',
        'GET /connections',
        'GET /connections/conn_1',
        'POST /connections',
        'PATCH /connections/conn_1',
        'DELETE /connections/conn_1',
        'PUT /connections/conn_1/enabled',
        'POST /metadata',
        'POST /oidc-discovery',
        'POST /connections/conn_1/tests',
        `GET /tests/test_1?wait=${TEST_RESULT_WAIT_SECONDS}`,
        'GET /connections/conn_1/tests',
        'GET /domains',
        'POST /domains',
        'POST /domains/megacorp.example/verify',
        'DELETE /domains/megacorp.example',
      ]);
      expect(requests.map((r) => r.body)).to.deep.equal([
        undefined,
        undefined,
        undefined,
        { protocol: 'oidc', providerId: 'okta', oidc: { issuer: 'https://idp.megacorp.test', clientId: 'c', clientSecret: SECRET } },
        { version: 3, changes: { name: 'Okta' } },
        undefined,
        { version: 3, enabled: true },
        { url: 'https://idp.test/metadata' },
        { issuer: 'https://idp.megacorp.test' },
        { mode: 'sp' },
        undefined,
        undefined,
        undefined,
        { name: 'megacorp.example' },
        undefined,
        undefined,
      ]);
      for (const r of requests) {
        expect(r.headers.get('Authorization'), r.url).to.equal(`Bearer ${TOKEN}`);
        expect(r.headers.get('Accept'), r.url).to.equal('application/json');
        expect(r.headers.get('Content-Type'), r.url).to.equal(r.body === undefined ? null : 'application/json');
      }
    });

    it('approves or dismisses a metadata change waiting for review (POST, the version read for approval)', async () => {
      const { adapter, requests } = setup([json(connection({ version: 4 })), json(connection({ version: 3 }))]);
      expect((await adapter.approveMetadataChange('conn_1', { version: 3 })).version).to.equal(4);
      expect((await adapter.dismissMetadataChange('conn_1')).version).to.equal(3);
      expect(requests.map((r) => [`${r.method} ${r.url.slice(API.length)}`, r.body])).to.deep.equal([
        ['POST /connections/conn_1/metadata-change/approve', { version: 3 }],
        ['POST /connections/conn_1/metadata-change/dismiss', undefined],
      ]);
    });

    it('encodes path segments', async () => {
      const { adapter, requests } = setup([json(connection()), noContent()]);
      await adapter.getConnection('a:b.c');
      await adapter.removeDomain('bücher.example/../x');
      expect(requests[0]!.url).to.equal(`${API}/connections/a%3Ab.c`);
      expect(requests[1]!.url).to.equal(`${API}/domains/b%C3%BCcher.example%2F..%2Fx`);
    });

    it('validates inputs before sending: an invalid connection is validation_failed with no request', async () => {
      const { adapter, requests } = setup([]);
      const error = await expectCode(adapter.createConnection({ protocol: 'saml', providerId: 'okta', saml: { idpEntityId: 'x', ssoUrl: 'ftp://x', ssoBinding: 'post', signingCertificates: ['pem'] } }), 'validation_failed');
      expect(error.message).to.contain('saml.ssoUrl');
      await expectCode(adapter.updateConnection('conn_1', { name: '' }, { version: 1 }), 'validation_failed');
      expect(requests).to.have.length(0);
    });

    it('gives the long-poll call its wait on top of the timeout', async () => {
      const { adapter, timeouts } = setup([json(session()), json(testResult())], { timeoutMs: 10_000 });
      await adapter.getSession();
      await adapter.getTestResult('test_1');
      expect(timeouts.map((t) => t.ms)).to.deep.equal([10_000, 10_000 + TEST_RESULT_WAIT_SECONDS * 1000]);
    });
  });

  describe('answers', () => {
    it('never returns a secret, even when the server sends one', async () => {
      const leaky = { ...connection(), clientSecret: SECRET, oidc: { ...connection().oidc, clientSecret: SECRET } };
      const { adapter } = setup([json(leaky), json([leaky])]);
      const one = await adapter.getConnection('conn_1');
      const list = await adapter.listConnections();
      expect(JSON.stringify(one)).not.to.contain(SECRET);
      expect(JSON.stringify(list)).not.to.contain(SECRET);
      expect(one.oidc?.clientSecretSet).to.equal(true);
      // The type says so too (tsc checks this line): a Connection has no client secret to read.
      // @ts-expect-error clientSecret is write-only: not part of OidcConfig
      expect(one.oidc?.clientSecret).to.equal(undefined);
    });

    it('rejects a malformed answer as server_error (not validation_failed), naming the field, without retrying', async () => {
      const { adapter, requests } = setup([json({ ...connection(), version: 0 }), json({ ...session(), organization: null })]);
      const error = await expectCode(adapter.getConnection('conn_1'), 'server_error');
      expect(error.message).to.contain('version');
      expect(error.retryable).to.equal(false);
      expect(error.details?.issues).to.be.an('array');
      await expectCode(adapter.getSession(), 'server_error');
      expect(requests).to.have.length(2);
    });

    it('rejects an answer that is not JSON as server_error', async () => {
      const { adapter } = setup([new Response('<html>proxy</html>', { status: 200 })]);
      await expectCode(adapter.listDomains(), 'server_error');
    });
  });

  describe('errors', () => {
    it('maps problem+json to a PortalError with the code, detail, status and details', async () => {
      const { adapter } = setup([problem(409, 'conflict', 'Version 3 is stale; the current version is 5.', { retryable: false, details: { currentVersion: 5 } })]);
      const error = await expectCode(adapter.updateConnection('conn_1', { name: 'x' }, { version: 3 }), 'conflict');
      expect(error.message).to.equal('Version 3 is stale; the current version is 5.');
      expect(error.status).to.equal(409);
      expect(error.retryable).to.equal(false);
      expect(error.details).to.deep.equal({ currentVersion: 5 });
    });

    it('maps each documented code through', async () => {
      for (const [status, code] of [
        [409, 'test_required'],
        [404, 'not_found'],
        [422, 'domain_invalid'],
        [409, 'domain_taken'],
        [502, 'metadata_fetch_failed'],
        [403, 'forbidden'],
      ] as const) {
        const { adapter } = setup([problem(status, code, 'why')]);
        const error = await expectCode(adapter.addDomain('x.example'), code);
        expect(error.status).to.equal(status);
      }
    });

    it('maps an unknown code or a body without one by status: 4xx unknown, 5xx server_error, and the well-known statuses', async () => {
      for (const [reply, code] of [
        [problem(418, 'teapot_mode', 'no'), 'unknown'],
        [problem(500, 'db_down', 'no'), 'server_error'],
        [new Response('<html>Bad gateway</html>', { status: 502 }), 'server_error'],
        [new Response('', { status: 404 }), 'not_found'],
        [new Response('', { status: 400 }), 'unknown'],
      ] as const) {
        const { adapter } = setup([reply]);
        const error = await expectCode(adapter.addDomain('x.example'), code);
        if (code === 'unknown' && error.status === 418) expect(error.details).to.deep.equal({ serverCode: 'teapot_mode' });
      }
    });

    it('maps 401 to session_expired whatever the body says', async () => {
      for (const reply of [problem(401, 'forbidden', 'Link revoked'), new Response('', { status: 401 })]) {
        const { adapter } = setup([reply]);
        const error = await expectCode(adapter.getSession(), 'session_expired');
        expect(error.status).to.equal(401);
      }
    });

    it('maps a failed fetch to network', async () => {
      const { adapter } = setup([new TypeError('Failed to fetch')], { retries: 0 });
      await expectCode(adapter.getSession(), 'network');
    });

    it('maps a timeout to request_timeout', async () => {
      const { adapter, fireTimeout } = setup([hang], { retries: 0 });
      const pending = adapter.getSession();
      await flush();
      fireTimeout();
      await expectCode(pending, 'request_timeout');
    });

    it("maps the caller's abort to aborted, before or during the request", async () => {
      const { adapter, requests } = setup([hang]);
      const before = new AbortController();
      before.abort();
      await expectCode(adapter.getSession({ signal: before.signal }), 'aborted');
      expect(requests).to.have.length(0);

      const during = new AbortController();
      const pending = adapter.getSession({ signal: during.signal });
      await flush();
      during.abort();
      await expectCode(pending, 'aborted');
      expect(requests).to.have.length(1);
    });

    it("aborts the wait between retries with the caller's signal", async () => {
      const controller = new AbortController();
      const { adapter, requests } = setup([problem(503, 'server_error', 'busy')], {
        sleep: (_ms, signal) => {
          controller.abort();
          return Promise.reject(new PortalError('aborted', { cause: signal?.reason }));
        },
      });
      await expectCode(adapter.getSession({ signal: controller.signal }), 'aborted');
      expect(requests).to.have.length(1);
    });
  });

  describe('retries', () => {
    it('retries a GET on 503 after Retry-After in seconds, then succeeds', async () => {
      const { adapter, requests, delays } = setup([problem(503, 'server_error', 'busy', {}, { 'Retry-After': '7' }), json(session())]);
      expect((await adapter.getSession()).organization.id).to.equal('org_1');
      expect(requests).to.have.length(2);
      expect(delays).to.deep.equal([7000]);
    });

    it('honours Retry-After as an HTTP date and caps it', async () => {
      const in12s = new Date(Date.parse(AT) + 12_000).toUTCString();
      const { adapter, delays } = setup(
        [
          problem(429, 'rate_limited', 'slow down', {}, { 'Retry-After': in12s }),
          problem(429, 'rate_limited', 'slow down', {}, { 'Retry-After': '3600' }),
          json([domain()]),
        ],
        { maxDelayMs: 20_000 },
      );
      await adapter.listDomains();
      expect(delays).to.deep.equal([12_000, 20_000]);
    });

    it('retries any call, writes included, on 429 and 503: the server did not act', async () => {
      const { adapter, requests } = setup([problem(429, 'rate_limited', 'slow down'), json(domain(), 201)]);
      await adapter.addDomain('megacorp.example');
      expect(requests.map((r) => r.method)).to.deep.equal(['POST', 'POST']);
    });

    it('retries a GET on network failures and 5xx with exponential backoff and jitter, up to `retries`', async () => {
      const { adapter, requests, delays } = setup(
        [new TypeError('Failed to fetch'), problem(500, 'server_error', 'oops'), new Response('', { status: 502 }), json(session())],
        { retries: 3, backoffMs: 100, random: () => 0.5 },
      );
      await adapter.getSession();
      expect(requests).to.have.length(4);
      // backoff/2 + random * backoff/2 with backoff 100, 200, 400.
      expect(delays).to.deep.equal([75, 150, 300]);
    });

    it('gives up after `retries` with the last error', async () => {
      const { adapter, requests } = setup([problem(503, 'server_error', 'a'), problem(503, 'server_error', 'b'), problem(503, 'server_error', 'c')], { retries: 2 });
      const error = await expectCode(adapter.listConnections(), 'server_error');
      expect(error.message).to.equal('c');
      expect(requests).to.have.length(3);
    });

    it('retries a GET on a timeout', async () => {
      const { adapter, requests, fireTimeout } = setup([hang, json(session())]);
      const pending = adapter.getSession();
      await flush();
      fireTimeout();
      await pending;
      expect(requests).to.have.length(2);
    });

    it('never retries a POST on a timeout, a network failure or a 500', async () => {
      const timedOut = setup([hang, json({ testId: 't' }, 201)]);
      const pending = timedOut.adapter.startTest('conn_1', { mode: 'sp' });
      await flush();
      timedOut.fireTimeout();
      await expectCode(pending, 'request_timeout');
      expect(timedOut.requests).to.have.length(1);

      const offline = setup([new TypeError('Failed to fetch'), json(domain(), 201)]);
      await expectCode(offline.adapter.addDomain('x.example'), 'network');
      expect(offline.requests).to.have.length(1);

      const broken = setup([problem(500, 'server_error', 'oops'), json(connection())]);
      await expectCode(broken.adapter.setConnectionEnabled('conn_1', true, { version: 1 }), 'server_error');
      expect(broken.requests).to.have.length(1);
      expect(broken.delays).to.deep.equal([]);
    });

    it('does not retry 4xx answers', async () => {
      const { adapter, requests } = setup([problem(404, 'not_found', 'gone'), json(connection())]);
      await expectCode(adapter.getConnection('conn_1'), 'not_found');
      expect(requests).to.have.length(1);
    });
  });
});

describe('<sso-admin-portal api-base token>', () => {
  const realFetch = window.fetch;
  afterEach(() => {
    window.fetch = realFetch;
  });

  it('builds an HttpAdapter from the attributes and loads session and connections with the token', async () => {
    const seen: { url: string; auth: string | null }[] = [];
    window.fetch = (input: RequestInfo | URL, init: RequestInit = {}) => {
      const url = String(input);
      seen.push({ url, auth: new Headers(init.headers).get('Authorization') });
      if (url.endsWith('/api/portal/session')) return Promise.resolve(json(session()));
      if (url.endsWith('/api/portal/connections')) return Promise.resolve(json([connection()]));
      return Promise.resolve(problem(404, 'not_found', 'no such route'));
    };
    const el = await fixture<SsoAdminPortal>(html`<sso-admin-portal api-base="https://sso.acme.test/api/portal" token=${TOKEN}></sso-admin-portal>`);
    await waitUntil(() => el.shadowRoot!.querySelector('sso-connections-overview'), 'the overview did not render');
    expect(el.shadowRoot!.querySelector('[part="error"]')).to.equal(null);
    expect(seen.slice(0, 2).map((r) => r.url).sort()).to.deep.equal([`${API}/connections`, `${API}/session`]);
    for (const r of seen) expect(r.auth).to.equal(`Bearer ${TOKEN}`);
  });

  it('paints from the page’s embedded first answers (initial-data) without a request, then asks the server', async () => {
    const seen: string[] = [];
    window.fetch = (input: RequestInfo | URL) => {
      seen.push(String(input));
      return Promise.resolve(String(input).endsWith('/domains') ? json([]) : problem(404, 'not_found', 'no such route'));
    };
    const data = document.createElement('script');
    data.type = 'application/json';
    data.id = 'portal-initial-test';
    data.textContent = JSON.stringify({ session: session(), connections: [connection({ name: 'Embedded Okta' })] });
    document.body.append(data);
    try {
      const el = await fixture<SsoAdminPortal>(html`<sso-admin-portal api-base=${BASE} token=${TOKEN} initial-data="portal-initial-test"></sso-admin-portal>`);
      await waitUntil(() => el.shadowRoot!.querySelector('sso-connections-overview')?.shadowRoot?.textContent?.includes('Embedded Okta'), 'the overview did not show the embedded connection');
      expect(seen.filter((url) => url.endsWith('/session') || url.endsWith('/connections'))).to.deep.equal([]);
    } finally {
      data.remove();
    }
  });

  it('renders the overview from the embedded answers before any task runs when the page already ran the HttpAdapter (no "Loading" frame)', async () => {
    // This file imports http-adapter.ts, as the hosted page runs its chunk before the element's.
    window.fetch = (input: RequestInfo | URL) => Promise.resolve(String(input).endsWith('/domains') ? json([]) : problem(404, 'not_found', 'no such route'));
    const data = document.createElement('script');
    data.type = 'application/json';
    data.id = 'portal-initial-test';
    data.textContent = JSON.stringify({ session: session(), connections: [connection({ name: 'First Frame Okta' })] });
    document.body.append(data);
    const el = document.createElement('sso-admin-portal');
    try {
      let taskRan = false;
      setTimeout(() => (taskRan = true), 0);
      el.setAttribute('api-base', BASE);
      el.setAttribute('token', TOKEN);
      el.setAttribute('initial-data', 'portal-initial-test');
      document.body.append(el);
      // Only microtasks from here: each await is one update of the element.
      for (let i = 0; i < 10 && !el.shadowRoot?.querySelector('sso-connections-overview'); i++) await el.updateComplete;
      const overview = el.shadowRoot?.querySelector('sso-connections-overview');
      await overview?.updateComplete;
      expect(Boolean(overview?.shadowRoot?.textContent?.includes('First Frame Okta')), 'the overview was not rendered from the embedded answers').to.equal(true);
      expect(taskRan, 'a task ran before the overview was rendered: a frame could have shown "Loading"').to.equal(false);
    } finally {
      el.remove();
      data.remove();
    }
  });

  it('reads the embedded answers for the first load only: a reload ("Try again") asks the server', async () => {
    const seen: string[] = [];
    window.fetch = (input: RequestInfo | URL) => {
      const url = String(input);
      seen.push(url);
      if (url.endsWith('/api/portal/session')) return Promise.resolve(json(session()));
      if (url.endsWith('/api/portal/connections')) return Promise.resolve(json([connection({ name: 'Fresh Okta' })]));
      return Promise.resolve(json([]));
    };
    const data = document.createElement('script');
    data.type = 'application/json';
    data.id = 'portal-initial-test';
    data.textContent = JSON.stringify({ session: session(), connections: [connection({ name: 'Stale Okta' })] });
    document.body.append(data);
    try {
      const el = await fixture<SsoAdminPortal>(html`<sso-admin-portal api-base=${BASE} token=${TOKEN} initial-data="portal-initial-test"></sso-admin-portal>`);
      const overviewText = () => el.shadowRoot!.querySelector('sso-connections-overview')?.shadowRoot?.textContent ?? '';
      await waitUntil(() => overviewText().includes('Stale Okta'), 'the first load did not use the embedded answers');
      expect(seen.filter((url) => /\/(session|connections)$/.test(url))).to.deep.equal([]);
      await el.reload();
      await waitUntil(() => overviewText().includes('Fresh Okta'), 'the reload showed the embedded answers again');
      expect(seen.filter((url) => /\/(session|connections)$/.test(url)).map((url) => url.replace(/^.*\//, '')).sort()).to.deep.equal(['connections', 'session']);
    } finally {
      data.remove();
    }
  });

  it('asks the server for what the embedded answers lack or get wrong, and ignores a data block that is not JSON', async () => {
    const seen: string[] = [];
    window.fetch = (input: RequestInfo | URL) => {
      const url = String(input);
      seen.push(url);
      if (url.endsWith('/api/portal/session')) return Promise.resolve(json(session()));
      if (url.endsWith('/api/portal/connections')) return Promise.resolve(json([connection()]));
      return Promise.resolve(json([]));
    };
    for (const [text, fetched] of [
      [JSON.stringify({ session: { ...session(), organization: null } }), ['connections', 'session']],
      [JSON.stringify({ connections: [connection()] }), ['session']],
      ['{ not json', ['connections', 'session']],
      [JSON.stringify([session()]), ['connections', 'session']],
    ] as const) {
      seen.length = 0;
      const data = document.createElement('script');
      data.type = 'application/json';
      data.id = 'portal-initial-test';
      data.textContent = text;
      document.body.append(data);
      try {
        const el = await fixture<SsoAdminPortal>(html`<sso-admin-portal api-base=${BASE} token=${TOKEN} initial-data="portal-initial-test"></sso-admin-portal>`);
        await waitUntil(() => el.shadowRoot!.querySelector('sso-connections-overview'), `the overview did not render for ${text}`);
        expect(el.shadowRoot!.querySelector('[part="error"]'), text).to.equal(null);
        const asked = seen.filter((url) => /\/(session|connections)$/.test(url)).map((url) => url.replace(/^.*\//, '')).sort();
        expect(asked, text).to.deep.equal([...fetched]);
      } finally {
        data.remove();
      }
    }
  });

  it('shows session_expired when the server answers 401', async () => {
    window.fetch = () => Promise.resolve(problem(401, 'session_expired', 'This link was revoked.'));
    const el = await fixture<SsoAdminPortal>(html`<sso-admin-portal api-base="https://sso.acme.test" token=${TOKEN}></sso-admin-portal>`);
    await waitUntil(() => el.shadowRoot!.querySelector('[part="expired"]'), 'the expired state did not render');
  });
});

// ---------------------------------------------------------------------------------------
// The OpenAPI document the HttpAdapter's contract is published as (src/server/openapi.ts).

describe('OpenAPI document', () => {
  /** Files from the repository, served by the test runner (same origin). */
  async function repoFile(path: string): Promise<string> {
    const response = await fetch(`/${path}`);
    expect(response.ok, `${path}: ${response.status}`).to.equal(true);
    return response.text();
  }

  it('docs/openapi.json is what `npm run openapi` generates now (run it after changing a schema or a route)', async () => {
    const { version } = JSON.parse(await repoFile('package.json')) as { version: string };
    const committed = JSON.parse(await repoFile('docs/openapi.json'));
    expect(committed, 'docs/openapi.json is out of date: run `npm run openapi`').to.deep.equal(JSON.parse(JSON.stringify(buildOpenApi({ version }))));
  });

  it('is OpenAPI 3.1 where every operation has responses, problem+json errors, and every $ref resolves', () => {
    const doc = buildOpenApi() as any;
    expect(doc.openapi).to.match(/^3\.1\.\d+$/);
    expect(doc.info.title).to.be.a('string');
    const operations = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));
    expect(operations).to.have.length.greaterThan(0);
    for (const { path, method, op } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      const statuses = Object.keys(op.responses ?? {});
      expect(statuses.some((s) => s.startsWith('2')), where).to.equal(true);
      const isPublic = op.security.length === 0;
      if (!isPublic) expect(statuses, where).to.include('401');
      for (const status of statuses.filter((s) => !s.startsWith('2'))) {
        expect(op.responses[status].content['application/problem+json'].schema, `${where} ${status}`).to.deep.equal({ $ref: '#/components/schemas/Problem' });
      }
      for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
        expect(op.parameters.some((p: any) => p.in === 'path' && p.name === name && p.required === true), `${where} {${name}}`).to.equal(true);
      }
      if (isPublic) expect(op.tags, `${where}: only the sign-in routing and this document are public`).to.deep.equal(path === '/api/openapi.json' ? ['contract'] : ['sso']);
      else expect(Object.keys(doc.components.securitySchemes)).to.include(Object.keys(op.security[0])[0]);
    }
    expect(new Set(operations.map((o) => o.op.operationId)).size, 'operationIds are unique').to.equal(operations.length);

    const refs: string[] = [];
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') {
        for (const [key, child] of Object.entries(value)) {
          if (key === '$ref') refs.push(child as string);
          else walk(child);
        }
      }
    };
    walk(doc);
    expect(refs.length).to.be.greaterThan(10);
    for (const target of new Set(refs)) {
      expect(target, target).to.match(/^#\//);
      let node: any = doc;
      for (const part of target.slice(2).split('/')) node = node?.[part.replaceAll('~1', '/').replaceAll('~0', '~')];
      expect(node, `${target} resolves`).to.be.an('object');
    }
  });

  it('has every route of docs/rest-api.md, and no other', async () => {
    const markdown = await repoFile('docs/rest-api.md');
    const documented = [...markdown.matchAll(/^\|\s*(GET|POST|PATCH|PUT|DELETE)\s*\|\s*(\/api\/[^\s|?]+)/gm)]
      .map(([, method, path]) => `${method} ${path!.replace(/:(\w+)/g, '{$1}')}`)
      .sort();
    const doc = buildOpenApi() as any;
    const generated = Object.entries(doc.paths as Record<string, object>)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(documented).to.have.length.greaterThan(15);
    expect(generated).to.deep.equal(documented);
  });

  it('describes errors with the server-side code enum and the long-poll wait', () => {
    const doc = buildOpenApi() as any;
    expect(doc.components.schemas.Problem.properties.code.enum).to.deep.equal(SERVER_ERROR_CODES);
    expect(SERVER_ERROR_CODES).to.include.members(['session_expired', 'conflict', 'validation_failed', 'test_required']);
    expect(SERVER_ERROR_CODES).not.to.include.members(['network', 'aborted']);
    const wait = doc.paths['/api/portal/tests/{testId}'].get.parameters.find((p: any) => p.name === 'wait');
    expect(wait).to.deep.include({ in: 'query', required: false });
    expect(wait.schema.maximum).to.equal(25);
  });

  it('never lets a secret into a response schema: OIDC answers carry clientSecretSet only', () => {
    const { schemas } = (buildOpenApi() as any).components;
    expect(Object.keys(schemas.OidcConfig.properties)).to.include('clientSecretSet').and.not.include('clientSecret');
    expect(Object.keys(schemas.OidcConfigInput.properties)).to.include('clientSecret');
    expect(schemas.Connection.properties.oidc.anyOf[0]).to.deep.equal({ $ref: '#/components/schemas/OidcConfig' });
    expect(Object.keys(schemas.Link.properties)).not.to.include('token');
  });
});
