/**
 * A PortalAdapter for a REST backend (docs/rest-api.md): `Authorization: Bearer <token>` on
 * every call, every answer validated with the core schemas, every failure a PortalError.
 *
 * Transport rules:
 * - each attempt has its own timeout (`timeoutMs`, plus the long-poll wait for
 *   `getTestResult`); the caller's `signal` aborts at once with `aborted`;
 * - reads (GET) are retried on network failures, timeouts and 5xx with exponential backoff
 *   and jitter; any call is retried on 429 and 503 (the server did not act), after the
 *   server's `Retry-After` (seconds or an HTTP date, capped) when it gives one;
 * - writes are never retried on a timeout or a network failure: the server may have acted.
 */
import { PortalError } from '../core/errors.js';
import {
  ConnectionPatchSchema,
  parseOrThrow,
  type Connection,
  type ConnectionInput,
  type ConnectionPatch,
  type Domain,
  type PortalSession,
  type TestResult,
  type TestStart,
} from '../core/model.js';
import { MAX_TEST_WAIT_SECONDS, PORTAL_REST, restPath, type RestRoute } from '../core/rest-contract.js';
import { answerOf, fetchFailure, problemError } from '../core/rest-client.js';
import type * as v from 'valibot';
import { httpAdapterEvaluated } from './http-adapter-loader.js';
import type { PortalAdapter, RequestOptions, SamlMetadataSource, StartTestOptions, VersionGuard } from './portal-adapter.js';
import type { MetadataResult } from '../core/saml-metadata.js';
import type { Directory, DirectoryInput, DirectoryRequest, DirectoryWithToken } from '../core/directory-model.js';
import type { TestLink, TestLinkInput, TestLinkWithUrl } from '../core/test-link-model.js';
import type { DirectoryMethod } from './http-directory.js';
import type { RoutingDecision } from '../core/routing.js';
import type { LoginAttempt } from '../core/login-trace.js';

export interface HttpAdapterOptions {
  /**
   * Where the portal API lives, an http(s) URL: either the API itself
   * (`https://sso.acme.example/api/portal`) or the server it is mounted on
   * (`https://sso.acme.example`, `https://acme.example/sso`), to which `/api/portal` is added.
   */
  baseUrl: string;
  /** The portal token from the setup link. */
  token: string;
  /** The fetch to use (default: the global one). Tests inject a fake. */
  fetch?: typeof fetch;
  /** Timeout of one attempt in milliseconds (default 30 000). */
  timeoutMs?: number;
  /** How many times a failed call may be tried again (default 2). */
  retries?: number;
  /** The clock, to read `Retry-After` given as an HTTP date. */
  now?: () => Date;
  /** Waits between attempts; rejects when `signal` aborts. Tests inject one that resolves at once. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Random numbers in [0, 1), for the backoff jitter. */
  random?: () => number;
  /** Makes the timeout signal of one attempt (default `AbortSignal.timeout`). Tests inject one they fire by hand. */
  timeoutSignal?: (ms: number) => AbortSignal;
  /** First backoff delay in milliseconds (default 500); doubles on each retry. */
  backoffMs?: number;
  /** The longest wait between attempts, for backoff and `Retry-After` alike (default 30 000). */
  maxDelayMs?: number;
  /**
   * The portal API's first answers, when the page already has them (a server-rendered page
   * embeds them, saving a round trip before the first paint): `session` as `GET /session`
   * returns it, `connections` as `GET /connections` does. Each is validated like an answer and
   * serves the first `getSession()` / `listConnections()` once; a part missing or not valid is
   * fetched as usual.
   */
  initial?: { session?: unknown; connections?: unknown };
}

/** How long the server may hold `GET /tests/:id` open (seconds; the contract's maximum). */
export const TEST_RESULT_WAIT_SECONDS = MAX_TEST_WAIT_SECONDS;

/** The adapter's methods whose routes load on first call (PortalAdapter's optional ones): directory sync, staged activation and the routing preview, test links, login traces. */
const DIRECTORY_METHODS = 'listDirectories getDirectory createDirectory regenerateDirectoryToken setDirectoryEnabled deleteDirectory listDirectoryRequests stageConnection previewRouting listTestLinks createTestLink revokeTestLink listLoginAttempts'.split(' ') as DirectoryMethod[];

let directoryCalls: Promise<typeof import('./http-directory.js')> | undefined;

/** The directory routes' module, once; a chunk that did not load (offline) is `network`, and is tried again on the next call. */
function loadDirectoryCalls(): Promise<typeof import('./http-directory.js')> {
  return (directoryCalls ??= import('./http-directory.js').catch((cause: unknown) => {
    directoryCalls = undefined;
    throw new PortalError('network', { cause });
  }));
}

/** The portal API's path on its server (docs/rest-api.md); every route the adapter calls is under it. */
const PORTAL_API = '/api/portal';

/** The answer of a contract route: what its response schema gives; nothing for 204. */
type AnswerOf<R extends RestRoute> = R['response'] extends v.GenericSchema ? v.InferOutput<R['response']> : void;

/** One call of a contract route (`core/rest-contract.ts`). */
export interface Call<R extends RestRoute> {
  route: R;
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** Names the answer in validation messages ("Connection"). */
  what: string;
  signal?: AbortSignal;
  /** Extra time for this call's timeout (long-poll). */
  extraTimeoutMs?: number;
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new PortalError('aborted', { cause: signal.reason }));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new PortalError('aborted', { cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Thrown inside one attempt: the error, and whether a retry may help (and after how long). */
class AttemptFailure extends Error {
  constructor(
    readonly error: PortalError,
    readonly retry: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(error.message);
  }
}

export class HttpAdapter implements PortalAdapter {
  readonly origin: string;
  readonly #base: string;
  readonly #token: string;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #now: () => Date;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #random: () => number;
  readonly #timeoutSignal: (ms: number) => AbortSignal;
  readonly #backoffMs: number;
  readonly #maxDelayMs: number;
  readonly #initial: { session?: unknown; connections?: unknown };

  constructor(options: HttpAdapterOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new PortalError('not_configured', { message: '`api-base` must be an absolute http(s) URL.' });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new PortalError('not_configured', { message: '`api-base` must be an absolute http(s) URL.' });
    }
    if (!options.token) throw new PortalError('not_configured', { message: 'The portal `token` is missing.' });
    this.origin = url.origin;
    const path = url.pathname.replace(/\/+$/, '');
    this.#base = `${url.origin}${path.endsWith(PORTAL_API) ? path : `${path}${PORTAL_API}`}`;
    this.#token = options.token;
    // Called unbound, `window.fetch` throws "Illegal invocation".
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#retries = Math.max(0, options.retries ?? 2);
    this.#now = options.now ?? (() => new Date());
    this.#sleep = options.sleep ?? defaultSleep;
    this.#random = options.random ?? Math.random;
    this.#timeoutSignal = options.timeoutSignal ?? ((ms) => AbortSignal.timeout(ms));
    this.#backoffMs = options.backoffMs ?? 500;
    this.#maxDelayMs = options.maxDelayMs ?? 30_000;
    this.#initial = { ...options.initial };
  }

  /** The page's answer for `part`, once, when it is valid for `route`; else undefined (fetch it). */
  #takeInitial<R extends RestRoute>(part: 'session' | 'connections', route: R): AnswerOf<R> | undefined {
    if (!(part in this.#initial)) return undefined;
    const value = this.#initial[part];
    delete this.#initial[part];
    try {
      return parseOrThrow(route.response!, value, part) as AnswerOf<R>;
    } catch {
      return undefined; // the page's copy is not usable: ask the server
    }
  }

  // -------------------------------------------------------------------------------------
  // PortalAdapter

  getSession(options?: RequestOptions): Promise<PortalSession> {
    const initial = this.#takeInitial('session', PORTAL_REST.getSession);
    if (initial) return Promise.resolve(initial);
    return this.#call({ route: PORTAL_REST.getSession, what: 'Session', signal: options?.signal });
  }

  listConnections(options?: RequestOptions): Promise<Connection[]> {
    const initial = this.#takeInitial('connections', PORTAL_REST.listConnections);
    if (initial) return Promise.resolve(initial);
    return this.#call({ route: PORTAL_REST.listConnections, what: 'Connections', signal: options?.signal });
  }

  getConnection(id: string, options?: RequestOptions): Promise<Connection> {
    return this.#call({ route: PORTAL_REST.getConnection, params: { id }, what: 'Connection', signal: options?.signal });
  }

  async createConnection(input: ConnectionInput, options?: RequestOptions): Promise<Connection> {
    const route = PORTAL_REST.createConnection;
    const body = parseOrThrow(route.request.body, input, route.request.what);
    return this.#call({ route, body, what: 'Connection', signal: options?.signal });
  }

  async updateConnection(id: string, patch: ConnectionPatch, guard: VersionGuard, options?: RequestOptions): Promise<Connection> {
    // The changes alone first, so that the admin's fields are named without the envelope's `changes.`.
    const changes = parseOrThrow(ConnectionPatchSchema, patch, 'Connection update');
    return this.#call({ route: PORTAL_REST.updateConnection, params: { id }, body: { version: guard.version, changes }, what: 'Connection', signal: options?.signal });
  }

  async deleteConnection(id: string, options?: RequestOptions): Promise<void> {
    await this.#call({ route: PORTAL_REST.deleteConnection, params: { id }, what: 'Deletion', signal: options?.signal });
  }

  setConnectionEnabled(id: string, enabled: boolean, guard: VersionGuard, options?: RequestOptions): Promise<Connection> {
    return this.#call({ route: PORTAL_REST.setConnectionEnabled, params: { id }, body: { version: guard.version, enabled }, what: 'Connection', signal: options?.signal });
  }

  approveMetadataChange(id: string, guard: VersionGuard, options?: RequestOptions): Promise<Connection> {
    return this.#call({ route: PORTAL_REST.approveMetadataChange, params: { id }, body: { version: guard.version }, what: 'Connection', signal: options?.signal });
  }

  dismissMetadataChange(id: string, options?: RequestOptions): Promise<Connection> {
    return this.#call({ route: PORTAL_REST.dismissMetadataChange, params: { id }, what: 'Connection', signal: options?.signal });
  }

  async fetchMetadata(url: string, options?: RequestOptions): Promise<string> {
    const answer = await this.#call({ route: PORTAL_REST.fetchMetadata, body: { url }, what: 'Metadata', signal: options?.signal });
    return answer.xml;
  }

  readSamlMetadata(source: SamlMetadataSource, options?: RequestOptions): Promise<MetadataResult> {
    const body = source.xml !== undefined ? { xml: source.xml, entityId: source.entityId } : { url: source.url, entityId: source.entityId };
    return this.#call({ route: PORTAL_REST.readSamlMetadata, body, what: 'Metadata', signal: options?.signal });
  }

  async fetchOidcDiscovery(issuer: string, options?: RequestOptions): Promise<Record<string, unknown>> {
    const answer = await this.#call({ route: PORTAL_REST.fetchOidcDiscovery, body: { issuer }, what: 'OpenID configuration', signal: options?.signal });
    return answer.document;
  }

  startTest(connectionId: string, test: StartTestOptions, options?: RequestOptions): Promise<TestStart> {
    return this.#call({ route: PORTAL_REST.startTest, params: { id: connectionId }, body: { mode: test.mode }, what: 'Test', signal: options?.signal });
  }

  getTestResult(testId: string, options?: RequestOptions): Promise<TestResult> {
    return this.#call({
      route: PORTAL_REST.getTestResult,
      params: { testId },
      query: { wait: String(TEST_RESULT_WAIT_SECONDS) },
      what: 'Test result',
      signal: options?.signal,
      extraTimeoutMs: TEST_RESULT_WAIT_SECONDS * 1000,
    });
  }

  listTestResults(connectionId: string, options?: RequestOptions): Promise<TestResult[]> {
    return this.#call({ route: PORTAL_REST.listTestResults, params: { id: connectionId }, what: 'Test results', signal: options?.signal });
  }

  listDomains(options?: RequestOptions): Promise<Domain[]> {
    return this.#call({ route: PORTAL_REST.listDomains, what: 'Domains', signal: options?.signal });
  }

  addDomain(name: string, options?: RequestOptions): Promise<Domain> {
    return this.#call({ route: PORTAL_REST.addDomain, body: { name }, what: 'Domain', signal: options?.signal });
  }

  verifyDomain(name: string, options?: RequestOptions): Promise<Domain> {
    return this.#call({ route: PORTAL_REST.verifyDomain, params: { name }, what: 'Domain', signal: options?.signal });
  }

  async removeDomain(name: string, options?: RequestOptions): Promise<void> {
    await this.#call({ route: PORTAL_REST.removeDomain, params: { name }, what: 'Domain removal', signal: options?.signal });
  }

  // Directory sync: installed below from DIRECTORY_METHODS; each loads `http-directory.ts`
  // (the routes and their schemas) on its first call, so this chunk carries only their names.
  declare listDirectories: (options?: RequestOptions) => Promise<Directory[]>;
  declare getDirectory: (id: string, options?: RequestOptions) => Promise<Directory>;
  declare createDirectory: (input: DirectoryInput, options?: RequestOptions) => Promise<DirectoryWithToken>;
  declare regenerateDirectoryToken: (id: string, guard: VersionGuard, options?: RequestOptions) => Promise<DirectoryWithToken>;
  declare setDirectoryEnabled: (id: string, enabled: boolean, guard: VersionGuard, options?: RequestOptions) => Promise<Directory>;
  declare deleteDirectory: (id: string, options?: RequestOptions) => Promise<void>;
  declare listDirectoryRequests: (id: string, options?: RequestOptions) => Promise<DirectoryRequest[]>;
  // Staged activation and the routing preview, the same way (their routes: `core/rollout-rest.ts`).
  declare stageConnection: (id: string, testUsers: string[], guard: VersionGuard, options?: RequestOptions) => Promise<Connection>;
  declare previewRouting: (email: string, options?: RequestOptions) => Promise<RoutingDecision>;
  // Test links for a colleague: the same way, from the same module.
  declare listTestLinks: (connectionId: string, options?: RequestOptions) => Promise<TestLink[]>;
  declare createTestLink: (connectionId: string, input: TestLinkInput, options?: RequestOptions) => Promise<TestLinkWithUrl>;
  declare revokeTestLink: (linkId: string, options?: RequestOptions) => Promise<TestLink>;
  // Login traces, the same way.
  declare listLoginAttempts: (connectionId: string, options?: RequestOptions) => Promise<LoginAttempt[]>;

  static {
    for (const name of DIRECTORY_METHODS) {
      Object.defineProperty(HttpAdapter.prototype, name, {
        configurable: true,
        writable: true,
        async value(this: HttpAdapter, ...args: unknown[]) {
          return this.#call((await loadDirectoryCalls()).directoryCall(name, args));
        },
      });
    }
  }

  // -------------------------------------------------------------------------------------
  // Transport

  async #call<R extends RestRoute>(call: Call<R>): Promise<AnswerOf<R>> {
    const { signal } = call;
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw new PortalError('aborted', { cause: signal.reason });
      try {
        return await this.#attempt(call);
      } catch (thrown) {
        if (!(thrown instanceof AttemptFailure)) throw thrown;
        if (!thrown.retry || attempt >= this.#retries) throw thrown.error;
        const backoff = this.#backoffMs * 2 ** attempt;
        // Equal jitter: half fixed, half random, so concurrent clients spread out.
        const delay = thrown.retryAfterMs ?? backoff / 2 + this.#random() * (backoff / 2);
        await this.#sleep(Math.min(Math.max(0, delay), this.#maxDelayMs), signal);
      }
    }
  }

  /** One request. Resolves with the validated answer or throws an AttemptFailure. */
  async #attempt<R extends RestRoute>(call: Call<R>): Promise<AnswerOf<R>> {
    const { method, response: schema } = call.route;
    const idempotent = method === 'GET';
    const timeout = this.#timeoutSignal(this.#timeoutMs + (call.extraTimeoutMs ?? 0));
    const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${this.#token}` };
    const init: RequestInit = { method, headers, signal, credentials: 'omit', cache: 'no-store' };
    if (call.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(call.body);
    }

    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(this.#url(call), init);
      text = await response.text();
    } catch (error) {
      const failure = fetchFailure(error, call.signal, timeout);
      throw new AttemptFailure(failure, failure.code !== 'aborted' && idempotent);
    }

    if (!response.ok) throw this.#failure(response, text, idempotent);
    if (!schema) return undefined;
    try {
      return answerOf(schema, text, response.status, call.what) as AnswerOf<R>;
    } catch (error) {
      throw new AttemptFailure(error as PortalError, false);
    }
  }

  /** Where a call goes: the route's path (under the portal API) with its parameters, on this adapter's base. */
  #url(call: Call<RestRoute>): string {
    const path = restPath(call.route, call.params);
    if (!path.startsWith(`${PORTAL_API}/`)) throw new Error(`${call.route.id} is not a portal API route.`);
    const query = call.query ? `?${new URLSearchParams(call.query).toString()}` : '';
    return `${this.#base}${path.slice(PORTAL_API.length)}${query}`;
  }

  /** Maps an error answer (problem+json or anything else) to a PortalError and a retry decision. */
  #failure(response: Response, text: string, idempotent: boolean): AttemptFailure {
    const { status } = response;
    // 401 is always an expired or revoked link, whatever the body says.
    const error = problemError(status, text, { unauthorizedCode: 'session_expired' });
    if (status === 429 || status === 503) return new AttemptFailure(error, true, this.#retryAfter(response));
    return new AttemptFailure(error, idempotent && status >= 500 && status !== 501);
  }

  /** `Retry-After` in milliseconds (seconds or an HTTP date), or undefined to use the backoff. */
  #retryAfter(response: Response): number | undefined {
    const value = response.headers.get('Retry-After')?.trim();
    if (!value) return undefined;
    if (/^\d+$/.test(value)) return Number(value) * 1000;
    const date = Date.parse(value);
    if (Number.isNaN(date)) return undefined;
    return Math.max(0, date - this.#now().getTime());
  }
}

httpAdapterEvaluated(HttpAdapter);
