/**
 * A complete in-browser PortalAdapter. Stories, tests and demos use it; hosts can use it to
 * prototype. State lives in memory (seedable), and every behaviour of a real backend that the
 * element must handle can be simulated: latency, failures per method, test outcomes, expiry.
 */
import { PortalError, type PortalErrorCode } from '../core/errors.js';
import {
  ConnectionInputSchema,
  ConnectionPatchSchema,
  clientSecretChange,
  parseOrThrow,
  type Connection,
  type ConnectionInput,
  type ConnectionPatch,
  type Domain,
  type DomainCheck,
  type OidcConfig,
  type PortalSession,
  type TestResult,
  type TestStart,
} from '../core/model.js';
import { connectionServiceProvider } from '../core/sp-metadata.js';
import { TEST_FAILURES, type TestFailureCode } from '../core/test-failures.js';
import type {
  PortalAdapter,
  PortalAdapterMethod,
  RequestOptions,
  StartTestOptions,
  VersionGuard,
} from './portal-adapter.js';

/** How a simulated test login ends. */
export type TestOutcome = 'success' | TestFailureCode;

/** A fault injected into one method. */
export interface FaultRule {
  code: PortalErrorCode;
  /** Probability of failing each call, 0..1 (default 1: every call fails). */
  rate?: number;
  /** Fail only this many calls, then clear the rule. */
  times?: number;
  message?: string;
}

export interface MemorySeed {
  session?: Partial<PortalSession>;
  connections?: Connection[];
  domains?: Domain[];
  tests?: TestResult[];
  /** Stored client secrets by connection id (never returned, only reported as set). */
  clientSecrets?: Record<string, string>;
}

export interface MemoryAdapterOptions {
  seed?: MemorySeed;
  /** Delay of every call in milliseconds: a number, or a range picked at random. */
  latency?: number | { min: number; max: number };
  /** How simulated test logins end (default `success`). */
  testOutcome?: TestOutcome;
  /** How long a test stays pending before its outcome, in milliseconds (default 1500). */
  testDuration?: number;
  /**
   * Whether a domain passes DNS verification (default: all): true/false, or what a real DNS
   * lookup of its TXT record found (kept as the domain's `lastCheck`).
   */
  verifyDomain?: (name: string, txtRecord: Domain['txtRecord']) => boolean | DomainCheck | Promise<boolean | DomainCheck>;
  /** Domains another organization already verified: adding one rejects with `domain_taken`. */
  takenDomains?: string[];
  /**
   * New ids (`conn_…`, `test_…`, …): a counter by default; a backend that keeps data across
   * restarts passes random ids, so an id is never given twice (a deleted connection's ACS URL).
   */
  newId?: (prefix: string) => string;
  /** The clock, for deterministic tests. */
  now?: () => Date;
  /** Random numbers in [0, 1), for deterministic fault rates and latency. */
  random?: () => number;
  /**
   * Documents "on the network" for `fetchMetadata` and `fetchOidcDiscovery`, by URL: metadata
   * XML as a string, a discovery document as an object. An issuer without an entry gets a
   * well-formed synthetic discovery document; a metadata URL without one fails as unreachable.
   */
  documents?: Record<string, string | Record<string, unknown>>;
}

const DAY = 24 * 60 * 60 * 1000;

/** A realistic default session, as a backend for "Acme" would return it. */
export function defaultSession(now: Date): PortalSession {
  return {
    organization: { id: 'org_demo', name: 'Megacorp' },
    serviceProvider: {
      entityId: 'https://sso.acme.test/saml/org_demo',
      acsUrl: 'https://sso.acme.test/saml/org_demo/acs',
      metadataUrl: 'https://sso.acme.test/saml/org_demo/metadata',
      oidcRedirectUri: 'https://sso.acme.test/oidc/org_demo/callback',
    },
    branding: { name: 'Acme' },
    features: { saml: true, oidc: true, domains: true, idpInitiatedTest: true },
    devMode: true,
    expiresAt: new Date(now.getTime() + 7 * DAY).toISOString(),
  };
}

const clone = <T>(value: T): T => structuredClone(value);

/** The domain rules, loaded on first use (they carry a list of public email providers). */
async function domainChecker() {
  return (await import('../core/domains.js')).normalizeDomain;
}

/** When the first of these certificates expires (the parser loads lazily); null when none can be read. */
async function certificateExpiry(pems: string[]): Promise<string | null> {
  const { parseCertificate } = await import('../core/saml-metadata.js');
  const ends: string[] = [];
  for (const pem of pems) {
    const result = await parseCertificate(pem);
    if (result.ok) ends.push(result.certificate.notAfter);
  }
  return ends.sort()[0] ?? null;
}

function normalizeDomain(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

/** A deep copy of call arguments with secrets masked, for the `calls` log. */
function redactSecrets(args: unknown[]): unknown[] {
  return JSON.parse(
    JSON.stringify(args, (key, value: unknown) => (key === 'clientSecret' && value !== undefined ? '[redacted]' : value)) ?? '[]',
  ) as unknown[];
}

function abortError(signal: AbortSignal): PortalError {
  return new PortalError('aborted', { cause: signal.reason });
}

interface StoredTest {
  result: TestResult;
  outcome: TestOutcome;
  settlesAt: number;
  configRevision: number;
}

export class MemoryAdapter implements PortalAdapter {
  #session: PortalSession;
  #connections = new Map<string, Connection>();
  #configRevisions = new Map<string, number>();
  #secrets = new Map<string, string>();
  #domains = new Map<string, Domain>();
  #tests = new Map<string, StoredTest>();
  #faults = new Map<PortalAdapterMethod, FaultRule>();
  #testOutcomes = new Map<string, TestOutcome>();
  #nextId = 1;
  #options: MemoryAdapterOptions;
  #now: () => Date;
  #random: () => number;

  /** Every call made, in order, for assertions in tests. */
  readonly calls: { method: PortalAdapterMethod; args: unknown[] }[] = [];

  constructor(options: MemoryAdapterOptions = {}) {
    this.#options = { ...options };
    this.#now = options.now ?? (() => new Date());
    this.#random = options.random ?? Math.random;
    const seed = options.seed ?? {};
    this.#session = { ...defaultSession(this.#now()), ...clone(seed.session ?? {}) };
    for (const c of seed.connections ?? []) {
      this.#connections.set(c.id, clone(c));
      this.#configRevisions.set(c.id, 1);
    }
    for (const d of seed.domains ?? []) this.#domains.set(d.name, clone(d));
    for (const t of seed.tests ?? []) {
      this.#tests.set(t.id, { result: clone(t), outcome: t.error ? (t.error.code as TestFailureCode) : 'success', settlesAt: 0, configRevision: 1 });
    }
    for (const [id, secret] of Object.entries(seed.clientSecrets ?? {})) this.#secrets.set(id, secret);
    // A seeded connection that reports a stored secret has one, even if the seed does not give it.
    for (const c of this.#connections.values()) if (c.oidc?.clientSecretSet && !this.#secrets.has(c.id)) this.#secrets.set(c.id, '');
  }

  // -------------------------------------------------------------------------------------
  // Simulation controls

  /** Makes `method` fail with `code`, on every call, at a rate, or a number of times. */
  setFault(method: PortalAdapterMethod, rule: FaultRule): void {
    this.#faults.set(method, { ...rule });
  }

  /** Makes only the next call of `method` fail with `code`. */
  failNext(method: PortalAdapterMethod, code: PortalErrorCode = 'server_error'): void {
    this.setFault(method, { code, times: 1 });
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  /** Sets the outcome of tests started from now on (for one connection, or for all). */
  setTestOutcome(outcome: TestOutcome, connectionId?: string): void {
    if (connectionId) this.#testOutcomes.set(connectionId, outcome);
    else this.#options.testOutcome = outcome;
  }

  /** Ends a pending test now, with the given outcome or the one it was started with. A finished test is left as it is. */
  async completeTest(testId: string, outcome?: TestOutcome): Promise<TestResult> {
    const stored = this.#tests.get(testId);
    if (!stored) throw new PortalError('test_not_found');
    if (stored.result.status !== 'pending') return clone(stored.result);
    if (outcome) stored.outcome = outcome;
    stored.settlesAt = this.#now().getTime();
    await this.#settle(stored);
    return clone(stored.result);
  }

  /**
   * Ends a pending test with a result judged elsewhere (a backend that ran a real login). A
   * finished test is left as it is; the returned result says which happened.
   */
  finishTest(testId: string, outcome: Pick<TestResult, 'status' | 'profile' | 'rawAttributes' | 'error' | 'warnings'>): TestResult {
    const stored = this.#tests.get(testId);
    if (!stored) throw new PortalError('test_not_found', { details: { testId } });
    if (stored.result.status !== 'pending') return clone(stored.result);
    Object.assign(stored.result, clone(outcome), { completedAt: this.#now().toISOString() });
    this.#recordLastTest(stored);
    return clone(stored.result);
  }

  /** Makes every later call reject with `session_expired`, as when a portal link expires. */
  expireSession(): void {
    this.#session.expiresAt = new Date(this.#now().getTime() - 1000).toISOString();
  }

  setLatency(latency: MemoryAdapterOptions['latency']): void {
    this.#options.latency = latency;
  }

  // -------------------------------------------------------------------------------------
  // PortalAdapter

  async getSession(options?: RequestOptions): Promise<PortalSession> {
    await this.#enter('getSession', [], options);
    return clone(this.#session);
  }

  async listConnections(options?: RequestOptions): Promise<Connection[]> {
    await this.#enter('listConnections', [], options);
    return [...this.#connections.values()].map((c) => this.#view(c));
  }

  async getConnection(id: string, options?: RequestOptions): Promise<Connection> {
    await this.#enter('getConnection', [id], options);
    return this.#view(this.#connection(id));
  }

  async createConnection(input: ConnectionInput, options?: RequestOptions): Promise<Connection> {
    await this.#enter('createConnection', [input], options);
    const valid = parseOrThrow(ConnectionInputSchema, input, 'Connection');
    this.#checkProtocolEnabled(valid.protocol);
    if (valid.protocol !== 'saml' && valid.saml) throw this.#protocolMismatch('saml', 'Connection');
    if (valid.protocol !== 'oidc' && valid.oidc) throw this.#protocolMismatch('oidc', 'Connection');
    const expiry = valid.saml ? await certificateExpiry(valid.saml.signingCertificates) : null;
    const now = this.#now().toISOString();
    const id = this.#id('conn');
    const connection: Connection = {
      id,
      protocol: valid.protocol,
      providerId: valid.providerId,
      status: 'draft',
      saml: valid.saml ?? null,
      oidc: null,
      attributeMapping: valid.attributeMapping ?? { email: 'email' },
      lastTest: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    if (valid.name !== undefined) connection.name = valid.name;
    connection.serviceProvider = connectionServiceProvider(this.#session.serviceProvider, id);
    if (valid.saml) connection.certificateExpiresAt = expiry;
    if (valid.oidc) connection.oidc = this.#storeOidc(id, valid.oidc, null);
    connection.status = this.#isConfigured(connection) ? 'configured' : 'draft';
    this.#connections.set(id, connection);
    this.#configRevisions.set(id, 1);
    return this.#view(connection);
  }

  async updateConnection(id: string, patch: ConnectionPatch, guard: VersionGuard, options?: RequestOptions): Promise<Connection> {
    await this.#enter('updateConnection', [id, patch, guard], options);
    this.#connection(id);
    const valid = parseOrThrow(ConnectionPatchSchema, patch, 'Connection update');
    const expiry = valid.saml ? await certificateExpiry(valid.saml.signingCertificates) : null;
    // Nothing awaits from here on, so no other write can slip in between check and store.
    const current = this.#connection(id);
    this.#checkVersion(current, guard);
    const next: Connection = clone(current);
    let configChanged = false;
    if (valid.name !== undefined) next.name = valid.name;
    if (valid.providerId !== undefined) next.providerId = valid.providerId;
    if (valid.attributeMapping !== undefined) {
      next.attributeMapping = valid.attributeMapping;
      configChanged = true;
    }
    if (valid.saml !== undefined) {
      if (next.protocol !== 'saml' && valid.saml !== null) throw this.#protocolMismatch('saml');
      next.saml = valid.saml;
      next.certificateExpiresAt = expiry;
      configChanged = true;
    }
    if (valid.oidc !== undefined) {
      if (next.protocol !== 'oidc' && valid.oidc !== null) throw this.#protocolMismatch('oidc');
      next.oidc = valid.oidc ? this.#storeOidc(id, valid.oidc, current.oidc) : null;
      if (!valid.oidc) this.#secrets.delete(id);
      configChanged = true;
    }
    if (configChanged) {
      this.#configRevisions.set(id, (this.#configRevisions.get(id) ?? 1) + 1);
      if (next.lastTest) next.lastTest.stale = true;
    }
    if (next.status === 'draft' || next.status === 'configured') {
      next.status = this.#isConfigured(next) ? 'configured' : 'draft';
    }
    next.version = current.version + 1;
    next.updatedAt = this.#now().toISOString();
    this.#connections.set(id, next);
    return this.#view(next);
  }

  async deleteConnection(id: string, options?: RequestOptions): Promise<void> {
    await this.#enter('deleteConnection', [id], options);
    this.#connection(id);
    this.#connections.delete(id);
    this.#configRevisions.delete(id);
    this.#secrets.delete(id);
    for (const [testId, t] of this.#tests) if (t.result.connectionId === id) this.#tests.delete(testId);
  }

  async setConnectionEnabled(id: string, enabled: boolean, guard: VersionGuard, options?: RequestOptions): Promise<Connection> {
    await this.#enter('setConnectionEnabled', [id, enabled, guard], options);
    const current = this.#connection(id);
    this.#checkVersion(current, guard);
    const next = clone(current);
    if (enabled) {
      if (!this.#isConfigured(current)) {
        throw new PortalError('validation_failed', { message: 'Connection is not fully configured yet.' });
      }
      if (!current.lastTest || current.lastTest.status !== 'success' || current.lastTest.stale) {
        throw new PortalError('test_required');
      }
      next.status = 'active';
    } else {
      // Turning off what is not on changes nothing but the version.
      if (current.status === 'active') next.status = 'inactive';
    }
    next.version = current.version + 1;
    next.updatedAt = this.#now().toISOString();
    this.#connections.set(id, next);
    return this.#view(next);
  }

  async fetchMetadata(url: string, options?: RequestOptions): Promise<string> {
    await this.#enter('fetchMetadata', [url], options);
    const document = this.#options.documents?.[url];
    if (typeof document === 'string') return document;
    throw new PortalError('metadata_fetch_failed', {
      message: 'Nothing answered at this URL.',
      details: { url },
    });
  }

  async fetchOidcDiscovery(issuer: string, options?: RequestOptions): Promise<Record<string, unknown>> {
    await this.#enter('fetchOidcDiscovery', [issuer], options);
    const stored = this.#options.documents?.[`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`];
    if (stored && typeof stored === 'object') return clone(stored);
    try {
      new URL(issuer);
    } catch {
      throw new PortalError('validation_failed', { message: 'The issuer must be a URL.', details: { issuer } });
    }
    const root = issuer.replace(/\/+$/, '');
    return {
      issuer: root,
      authorization_endpoint: `${root}/authorize`,
      token_endpoint: `${root}/token`,
      jwks_uri: `${root}/jwks`,
      userinfo_endpoint: `${root}/userinfo`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
      scopes_supported: ['openid', 'email', 'profile'],
    };
  }

  async startTest(connectionId: string, test: StartTestOptions, options?: RequestOptions): Promise<TestStart> {
    await this.#enter('startTest', [connectionId, test], options);
    const connection = this.#connection(connectionId);
    if (!this.#isConfigured(connection)) {
      throw new PortalError('validation_failed', { message: 'Finish the configuration before testing.' });
    }
    if (test.mode === 'idp' && !this.#session.features.idpInitiatedTest) {
      throw new PortalError('not_available', { message: 'IdP-initiated tests are not enabled for this organization.' });
    }
    const now = this.#now();
    const id = this.#id('test');
    const outcome = this.#testOutcomes.get(connectionId) ?? this.#options.testOutcome ?? 'success';
    const result: TestResult = {
      id,
      connectionId,
      mode: test.mode,
      status: 'pending',
      profile: null,
      rawAttributes: {},
      error: null,
      startedAt: now.toISOString(),
      completedAt: null,
    };
    this.#tests.set(id, {
      result,
      outcome,
      settlesAt: now.getTime() + (this.#options.testDuration ?? 1500),
      configRevision: this.#configRevisions.get(connectionId) ?? 1,
    });
    return { testId: id };
  }

  async getTestResult(testId: string, options?: RequestOptions): Promise<TestResult> {
    await this.#enter('getTestResult', [testId], options);
    const stored = this.#tests.get(testId);
    if (!stored) throw new PortalError('test_not_found', { details: { testId } });
    if (stored.result.status === 'pending' && this.#now().getTime() >= stored.settlesAt) await this.#settle(stored);
    return clone(stored.result);
  }

  async listTestResults(connectionId: string, options?: RequestOptions): Promise<TestResult[]> {
    await this.#enter('listTestResults', [connectionId], options);
    this.#connection(connectionId);
    return [...this.#tests.values()]
      .filter((t) => t.result.connectionId === connectionId)
      .reverse() // the stable sort below keeps later-started tests first when startedAt ties
      .map((t) => clone(t.result))
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  async listDomains(options?: RequestOptions): Promise<Domain[]> {
    await this.#enter('listDomains', [], options);
    return [...this.#domains.values()].map(clone);
  }

  async addDomain(name: string, options?: RequestOptions): Promise<Domain> {
    await this.#enter('addDomain', [name], options);
    const checkDomain = await domainChecker();
    const checked = checkDomain(name);
    if (!checked.ok) {
      // A public email provider is a domain no one can own: `domain_invalid`, with the reason.
      throw new PortalError('domain_invalid', {
        message: checked.error.message,
        details: checked.error.code === 'domain_public_email' ? { name, reason: 'domain_public_email' } : { name },
      });
    }
    const normalized = checked.domain;
    if (this.#domains.has(normalized)) {
      throw new PortalError('conflict', { message: `${normalized} is already added.`, details: { name: normalized } });
    }
    const taken = (this.#options.takenDomains ?? []).map((other) => {
      const checkedOther = checkDomain(other);
      return checkedOther.ok ? checkedOther.domain : normalizeDomain(other);
    });
    if (taken.includes(normalized)) {
      throw new PortalError('domain_taken', { details: { name: normalized } });
    }
    const domain: Domain = {
      name: normalized,
      status: 'pending',
      txtRecord: { name: `_sso-verification.${normalized}`, value: `sso-verification=${this.#id('dv')}` },
      method: 'dns_txt',
      verifiedAt: null,
      lastCheckedAt: null,
    };
    this.#domains.set(normalized, domain);
    return clone(domain);
  }

  async verifyDomain(name: string, options?: RequestOptions): Promise<Domain> {
    await this.#enter('verifyDomain', [name], options);
    const checkDomain = await domainChecker();
    const checked = checkDomain(name);
    const domain = this.#domains.get(checked.ok ? checked.domain : normalizeDomain(name));
    if (!domain) throw new PortalError('not_found', { message: `No domain ${name}.` });
    const answer = (await this.#options.verifyDomain?.(domain.name, clone(domain.txtRecord))) ?? true;
    const passes = typeof answer === 'boolean' ? answer : answer.result === 'verified';
    if (typeof answer !== 'boolean') domain.lastCheck = clone(answer);
    const now = this.#now().toISOString();
    domain.lastCheckedAt = now;
    if (passes) {
      domain.status = 'verified';
      domain.verifiedAt = now;
    } else if (domain.status !== 'verified') {
      domain.status = 'failed';
    }
    return clone(domain);
  }

  async removeDomain(name: string, options?: RequestOptions): Promise<void> {
    await this.#enter('removeDomain', [name], options);
    const checkDomain = await domainChecker();
    const checked = checkDomain(name);
    if (!this.#domains.delete(checked.ok ? checked.domain : normalizeDomain(name))) throw new PortalError('not_found', { message: `No domain ${name}.` });
  }

  // -------------------------------------------------------------------------------------
  // Internals

  /** Records the call, waits the latency (abortably), checks expiry, applies faults. */
  async #enter(method: PortalAdapterMethod, args: unknown[], options: RequestOptions | undefined): Promise<void> {
    this.calls.push({ method, args: redactSecrets(args) });
    const signal = options?.signal;
    if (signal?.aborted) throw abortError(signal);
    await this.#delay(signal);
    if (Date.parse(this.#session.expiresAt) <= this.#now().getTime()) throw new PortalError('session_expired');
    const rule = this.#faults.get(method);
    if (rule && this.#random() < (rule.rate ?? 1)) {
      if (rule.times !== undefined && --rule.times <= 0) this.#faults.delete(method);
      throw new PortalError(rule.code, { message: rule.message, details: { simulated: true, method } });
    }
  }

  #delay(signal: AbortSignal | undefined): Promise<void> {
    const latency = this.#options.latency ?? 0;
    const ms = typeof latency === 'number' ? latency : latency.min + this.#random() * (latency.max - latency.min);
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortError(signal!));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  #id(prefix: string): string {
    let id: string;
    do {
      id = this.#options.newId?.(prefix) ?? `${prefix}_${(this.#nextId++).toString(36).padStart(4, '0')}`;
    } while (this.#connections.has(id) || this.#tests.has(id));
    return id;
  }

  #connection(id: string): Connection {
    const c = this.#connections.get(id);
    if (!c) throw new PortalError('not_found', { message: 'This connection does not exist (any more).', details: { id } });
    return c;
  }

  /** What a client sees: a copy, never a secret. */
  #view(connection: Connection): Connection {
    return clone(connection);
  }

  #checkVersion(current: Connection, guard: VersionGuard): void {
    if (guard.version !== current.version) {
      throw new PortalError('conflict', { details: { expectedVersion: guard.version, currentVersion: current.version } });
    }
  }

  #checkProtocolEnabled(protocol: 'saml' | 'oidc'): void {
    if (!this.#session.features[protocol]) {
      throw new PortalError('not_available', { message: `${protocol.toUpperCase()} connections are not enabled for this organization.` });
    }
  }

  #protocolMismatch(section: string, what = 'Connection update'): PortalError {
    return new PortalError('validation_failed', {
      message: `${what} is not valid: ${section}: does not match the connection's protocol`,
      details: { issues: [{ path: section, message: "does not match the connection's protocol" }] },
    });
  }

  #storeOidc(id: string, input: NonNullable<ConnectionInput['oidc']>, previous: OidcConfig | null): OidcConfig {
    // A new issuer or client ID drops the stored secret: it is never sent to another server.
    if (clientSecretChange(previous, input) === 'drop') this.#secrets.delete(id);
    else if (input.clientSecret !== undefined) this.#secrets.set(id, input.clientSecret);
    return {
      issuer: input.issuer,
      clientId: input.clientId,
      clientSecretSet: this.#secrets.has(id),
      scopes: input.scopes ?? previous?.scopes ?? ['openid', 'email', 'profile'],
    };
  }

  #isConfigured(c: Connection): boolean {
    return c.protocol === 'saml' ? c.saml !== null : c.oidc !== null && c.oidc.clientSecretSet;
  }

  async #settle(stored: StoredTest): Promise<void> {
    const { result, outcome } = stored;
    // Loaded on the first result: realistic results are not needed to show the portal.
    const { simulatedResult } = await import('./simulated-tests.js');
    if (result.status !== 'pending') return; // settled by a concurrent read meanwhile
    const connection = this.#connections.get(result.connectionId);
    result.completedAt = this.#now().toISOString();
    if (connection) {
      // Sign-ins need a verified domain (where the backend has domains): a success without one warns.
      const verifiedDomains = this.#session.features.domains ? [...this.#domains.values()].filter((d) => d.status === 'verified').map((d) => d.name) : undefined;
      Object.assign(result, simulatedResult(outcome, { connection, session: this.#session, now: this.#now(), user: { email: 'ada@megacorp.example' }, verifiedDomains }));
    } else if (outcome === 'success') {
      // The connection was deleted meanwhile: a minimal result.
      result.status = 'success';
      result.profile = { email: 'ada@megacorp.example', subject: 'ada@megacorp.example' };
      result.rawAttributes = { email: ['ada@megacorp.example'] };
    } else {
      result.status = 'failure';
      result.error = { code: outcome, ...TEST_FAILURES[outcome] };
    }
    this.#recordLastTest(stored);
  }

  /** A finished test becomes its connection's `lastTest`, unless a newer test is there. */
  #recordLastTest(stored: StoredTest): void {
    const { result } = stored;
    const connection = this.#connections.get(result.connectionId);
    if (!result.completedAt) return;
    // A test started earlier but read later does not replace a newer one.
    const newer = connection?.lastTest && this.#tests.get(connection.lastTest.id)?.result.startedAt;
    if (connection && !(newer && newer > result.startedAt)) {
      connection.lastTest = {
        id: result.id,
        mode: result.mode,
        status: result.status,
        ...(result.error ? { errorCode: result.error.code } : {}),
        at: result.completedAt,
        stale: stored.configRevision !== (this.#configRevisions.get(connection.id) ?? 1),
      };
    }
  }
}
