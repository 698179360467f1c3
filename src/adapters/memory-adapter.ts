/**
 * A complete in-browser PortalAdapter. Stories, tests and demos use it; hosts can use it to
 * prototype. State lives in memory (seedable), and every behaviour of a real backend that the
 * element must handle can be simulated: latency, failures per method, test outcomes, expiry.
 *
 * The domain rules (versions, the activation gate, write-only secrets, domains, the test
 * lifecycle) are core's pure rules (`src/core/rules/`), the same the server applies over its
 * database; this class adds only what makes it a demo: latency, faults, simulated outcomes and
 * their durations, the call log.
 */
import { PortalError, type PortalErrorCode } from '../core/errors.js';
import { noPendingChange } from '../core/metadata-review.js';
import { msg } from '../core/text.js';
import {
  ConnectionInputSchema,
  ConnectionPatchSchema,
  parseOrThrow,
  type Connection,
  type ConnectionInput,
  type ConnectionPatch,
  type Domain,
  type DomainCheck,
  type PortalSession,
  type TestResult,
  type TestStart,
} from '../core/model.js';
import { findConnection, isConfigured, unwrap, type OrganizationState, type RuleContext, type RuleResult } from '../core/rules/state.js';
import { connectionTests, finishTest, startTest, type TestOutcomeFields } from '../core/rules/tests.js';
import { TEST_FAILURES } from '../core/test-failures.js';
import type {
  PortalAdapter,
  PortalAdapterMethod,
  RequestOptions,
  StartTestOptions,
  VersionGuard,
} from './portal-adapter.js';
import type { TestOutcome } from './simulated-tests.js';
import type { Directory, DirectoryInput, DirectoryRequest, DirectoryWithToken } from '../core/directory-model.js';
import type { RoutingDecision } from '../core/routing.js';
import { MemoryDirectories, type SimulatedScimRequest } from './memory-directories.js';
import { TEST_LINK_HOURS, TestLinkInputSchema, testLinkStatus, type TestLink, type TestLinkInput, type TestLinkWithUrl } from '../core/test-link-model.js';
import type { LoginAttempt } from '../core/login-trace.js';

export type { SimulatedOutcome, TestOutcome } from './simulated-tests.js';
export { scimScenario, type SimulatedScimRequest } from './memory-directories.js';

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
  /** Directories (directory sync); each gets a fresh random token nobody knows. */
  directories?: Directory[];
  /** The last SCIM requests of seeded directories, newest first, by directory id. */
  directoryRequests?: Record<string, DirectoryRequest[]>;
  /** Test links for a colleague; a used one names its test (one of `tests`) by `testId`. */
  testLinks?: MemoryTestLink[];
  /** Login attempts with their traces, newest first, by connection id (`listLoginAttempts`). */
  loginAttempts?: Record<string, LoginAttempt[]>;
}

/** A test link as the MemoryAdapter keeps it (a backend keeps a hash of its token; here there is none). */
export type MemoryTestLink = Omit<TestLink, 'status' | 'result'> & { testId: string | null };

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
  /**
   * Directory sync (default true): false leaves out the directory methods, as a backend without
   * directory sync does (the portal then shows SSO alone).
   */
  directorySync?: boolean;
  /**
   * Provider display names for the routing preview's reasons (`providerName` of
   * core/providers/names.ts; default: the provider id). An option, not an import: the demo
   * entry importing the names would move them out of the element's entry into a shared file.
   */
  providerName?: (providerId: string) => string;
  /** Test links for a colleague (default true): false leaves out their methods (the test step then offers none). */
  testLinks?: boolean;
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

/** The connection rules, loaded on first write (the portal needs them only with this adapter). */
function connectionRules() {
  return import('../core/rules/connections.js');
}

/** The domain rules, loaded on first use (they carry a list of public email providers). */
function domainRules() {
  return import('../core/rules/domains.js');
}

/** When the first of these certificates expires (the parser loads lazily); null when none can be read. */
async function certificateExpiry(pems: string[]): Promise<string | null> {
  const { firstCertificateExpiry } = await import('../core/saml-metadata.js');
  return firstCertificateExpiry(pems);
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

/** How a simulated test ends, and when. */
interface Simulation {
  outcome: TestOutcome;
  settlesAt: number;
}

export class MemoryAdapter implements PortalAdapter {
  #session: PortalSession;
  /** The organization's state: replaced (never changed) by each rule that succeeds. */
  #state: OrganizationState;
  /** How each simulated test ends, and when, by test id. */
  #simulations = new Map<string, Simulation>();
  #faults = new Map<PortalAdapterMethod, FaultRule>();
  #testOutcomes = new Map<string, TestOutcome>();
  #nextId = 1;
  #options: MemoryAdapterOptions;
  #directories: MemoryDirectories;
  #testLinks: MemoryTestLink[];
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
    const connections = new Map((seed.connections ?? []).map((c) => [c.id, clone(c)]));
    const domains = new Map((seed.domains ?? []).map((d) => [d.name, clone(d)]));
    const tests = new Map((seed.tests ?? []).map((t) => [t.id, clone(t)]));
    for (const t of tests.values()) this.#simulations.set(t.id, { outcome: t.error ? t.error.code : 'success', settlesAt: 0 });
    const secrets: Record<string, string> = { ...seed.clientSecrets };
    // A seeded connection that reports a stored secret has one, even if the seed does not give it.
    for (const c of connections.values()) if (c.oidc?.clientSecretSet && !Object.hasOwn(secrets, c.id)) secrets[c.id] = '';
    this.#state = { connections: [...connections.values()], domains: [...domains.values()], tests: [...tests.values()], secrets };
    this.#directories = new MemoryDirectories(seed.directories, seed.directoryRequests);
    this.#testLinks = (seed.testLinks ?? []).map(clone);
    if (options.testLinks === false) {
      for (const method of ['listTestLinks', 'createTestLink', 'revokeTestLink']) Object.defineProperty(this, method, { value: undefined });
    }
    if (options.directorySync === false) {
      for (const method of ['listDirectories', 'getDirectory', 'createDirectory', 'regenerateDirectoryToken', 'setDirectoryEnabled', 'deleteDirectory', 'listDirectoryRequests']) {
        Object.defineProperty(this, method, { value: undefined });
      }
    }
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
    const test = this.#test(testId);
    if (!test) throw new PortalError('test_not_found');
    if (test.status !== 'pending') return clone(test);
    const simulation = this.#simulation(testId);
    if (outcome) simulation.outcome = outcome;
    simulation.settlesAt = this.#now().getTime();
    await this.#settle(testId);
    return clone(this.#test(testId) ?? test);
  }

  /**
   * Ends a pending test with a result judged elsewhere (a backend that ran a real login). A
   * finished test is left as it is; the returned result says which happened.
   */
  finishTest(testId: string, outcome: TestOutcomeFields): TestResult {
    return clone(this.#apply(finishTest(this.#state, this.#ctx(), testId, outcome)));
  }

  /** Makes every later call reject with `session_expired`, as when a portal link expires. */
  expireSession(): void {
    this.#session.expiresAt = new Date(this.#now().getTime() - 1000).toISOString();
  }

  setLatency(latency: MemoryAdapterOptions['latency']): void {
    this.#options.latency = latency;
  }

  /**
   * SCIM requests "arrive" at a directory, as from its provider (see `memory-directories.ts`):
   * recorded for `listDirectoryRequests`, counted in the directory. With `token`, a token that is
   * not the directory's current one is refused (401), as after "Regenerate token".
   */
  receiveScimRequests(directoryId: string, requests: SimulatedScimRequest[], options: { token?: string } = {}): Directory {
    return this.#directories.receive(directoryId, requests, this.#ctx(), options.token);
  }

  /**
   * A colleague opens a pending test link and presses "Sign in": the link is used and runs a
   * simulated SP-initiated test naming it, which ends as `outcome` (default: the connection's)
   * after the usual test duration. `test_link_*` codes as the link's page would say them.
   */
  useTestLink(linkId: string, outcome?: TestOutcome): TestResult {
    const link = this.#testLinks.find((l) => l.id === linkId);
    const status = link && testLinkStatus(link, this.#now());
    if (!link || status !== 'pending') throw new PortalError('not_found', { message: `test_link_${status ?? 'not_found'}`, details: { linkId } });
    const ctx = this.#ctx();
    const test = this.#apply(startTest(this.#state, ctx, this.#session, link.connectionId, 'sp', link.id));
    this.#simulations.set(test.id, {
      outcome: outcome ?? this.#testOutcomes.get(link.connectionId) ?? this.#options.testOutcome ?? 'success',
      settlesAt: ctx.now.getTime() + (this.#options.testDuration ?? 1500),
    });
    Object.assign(link, { usedAt: ctx.now.toISOString(), testId: test.id });
    return clone(test);
  }

  // -------------------------------------------------------------------------------------
  // PortalAdapter

  async getSession(options?: RequestOptions): Promise<PortalSession> {
    await this.#enter('getSession', [], options);
    return clone(this.#session);
  }

  async listConnections(options?: RequestOptions): Promise<Connection[]> {
    await this.#enter('listConnections', [], options);
    return this.#state.connections.map((c) => this.#view(c));
  }

  async getConnection(id: string, options?: RequestOptions): Promise<Connection> {
    await this.#enter('getConnection', [id], options);
    return this.#view(unwrap(findConnection(this.#state, id)).value);
  }

  async createConnection(input: ConnectionInput, options?: RequestOptions): Promise<Connection> {
    await this.#enter('createConnection', [input], options);
    const valid = parseOrThrow(ConnectionInputSchema, input, 'Connection');
    const expiry = valid.saml ? await certificateExpiry(valid.saml.signingCertificates) : null;
    const { createConnection } = await connectionRules();
    return this.#view(this.#apply(createConnection(this.#state, this.#ctx(), this.#session, valid, { certificateExpiresAt: expiry })));
  }

  async updateConnection(id: string, patch: ConnectionPatch, guard: VersionGuard, options?: RequestOptions): Promise<Connection> {
    await this.#enter('updateConnection', [id, patch, guard], options);
    unwrap(findConnection(this.#state, id));
    const valid = parseOrThrow(ConnectionPatchSchema, patch, 'Connection update');
    const expiry = valid.saml ? await certificateExpiry(valid.saml.signingCertificates) : null;
    const { updateConnection } = await connectionRules();
    // The rule checks the version against the state as it is now, after the awaits.
    return this.#view(this.#apply(updateConnection(this.#state, this.#ctx(), id, guard.version, valid, { certificateExpiresAt: expiry })));
  }

  async deleteConnection(id: string, options?: RequestOptions): Promise<void> {
    await this.#enter('deleteConnection', [id], options);
    const { deleteConnection } = await connectionRules();
    this.#apply(deleteConnection(this.#state, id));
    for (const testId of this.#simulations.keys()) if (!this.#test(testId)) this.#simulations.delete(testId);
  }

  async setConnectionEnabled(id: string, enabled: boolean, guard: VersionGuard, options?: RequestOptions): Promise<Connection> {
    await this.#enter('setConnectionEnabled', [id, enabled, guard], options);
    const { setConnectionEnabled } = await connectionRules();
    return this.#view(this.#apply(setConnectionEnabled(this.#state, this.#ctx(), id, guard.version, enabled)));
  }

  async stageConnection(id: string, testUsers: string[], guard: VersionGuard, options?: RequestOptions): Promise<Connection> {
    await this.#enter('stageConnection', [id, testUsers, guard], options);
    const { stageConnection } = await import('../core/rules/staging.js');
    return this.#view(this.#apply(stageConnection(this.#state, this.#ctx(), id, guard.version, testUsers)));
  }

  /** Discovery's decision (core/routing.ts) over this organization: the only one here, the owner of its verified domains. */
  async previewRouting(email: string, options?: RequestOptions): Promise<RoutingDecision> {
    await this.#enter('previewRouting', [email], options);
    const { emailDomain, explainRouting } = await import('../core/routing.js');
    const { id, name } = this.#session.organization;
    const domain = emailDomain(email);
    const owned = this.#state.domains.some((d) => d.name === domain && d.status === 'verified');
    return explainRouting(email, { owner: owned ? { id, name, connections: this.#state.connections } : null, viewer: { id, name }, providerName: this.#options.providerName ?? ((providerId) => providerId) });
  }

  /** No refresh runs here: only a seeded `metadataRefresh.pending` can be approved. */
  async approveMetadataChange(id: string, guard: VersionGuard, options?: RequestOptions): Promise<Connection> {
    await this.#enter('approveMetadataChange', [id, guard], options);
    const current = unwrap(findConnection(this.#state, id)).value;
    const refresh = current.metadataRefresh;
    if (!refresh?.pending || !current.saml) throw noPendingChange();
    const { signingCertificates, ssoUrl, ssoBinding, wantAuthnRequestsSigned } = refresh.pending.saml;
    const saml = { ...current.saml, signingCertificates, ssoUrl, ssoBinding, wantAuthnRequestsSigned };
    const expiry = await certificateExpiry(signingCertificates);
    const { updateConnection } = await connectionRules();
    const updated = this.#apply(updateConnection(this.#state, this.#ctx(), id, guard.version, { saml }, { certificateExpiresAt: expiry }));
    const at = this.#now().toISOString();
    return this.#view(this.#replaceRefresh(updated, { checkedAt: refresh.checkedAt, status: 'updated', changedAt: at, changes: refresh.pending.changes }));
  }

  async dismissMetadataChange(id: string, options?: RequestOptions): Promise<Connection> {
    await this.#enter('dismissMetadataChange', [id], options);
    const current = unwrap(findConnection(this.#state, id)).value;
    const refresh = current.metadataRefresh;
    if (!refresh?.pending) throw noPendingChange();
    return this.#view(this.#replaceRefresh(current, { ...refresh, status: 'dismissed', pending: { dismissedAt: this.#now().toISOString(), ...refresh.pending } }));
  }

  /** The connection with another `metadataRefresh` (backend-side state: no version change). */
  #replaceRefresh(connection: Connection, metadataRefresh: NonNullable<Connection['metadataRefresh']>): Connection {
    const next = { ...connection, metadataRefresh };
    this.#state = { ...this.#state, connections: this.#state.connections.map((c) => (c.id === next.id ? next : c)) };
    return next;
  }

  async fetchMetadata(url: string, options?: RequestOptions): Promise<string> {
    await this.#enter('fetchMetadata', [url], options);
    const document = this.#options.documents?.[url];
    if (typeof document === 'string') return document;
    throw new PortalError('metadata_fetch_failed', {
      message: msg('Nothing answered at this URL.'),
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
    const ctx = this.#ctx();
    const started = this.#apply(startTest(this.#state, ctx, this.#session, connectionId, test.mode));
    this.#simulations.set(started.id, {
      outcome: this.#testOutcomes.get(connectionId) ?? this.#options.testOutcome ?? 'success',
      settlesAt: ctx.now.getTime() + (this.#options.testDuration ?? 1500),
    });
    return { testId: started.id };
  }

  async getTestResult(testId: string, options?: RequestOptions): Promise<TestResult> {
    await this.#enter('getTestResult', [testId], options);
    const test = this.#test(testId);
    if (!test) throw new PortalError('test_not_found', { details: { testId } });
    if (test.status === 'pending' && this.#now().getTime() >= this.#simulation(testId).settlesAt) await this.#settle(testId);
    return clone(this.#test(testId) ?? test);
  }

  async listTestResults(connectionId: string, options?: RequestOptions): Promise<TestResult[]> {
    await this.#enter('listTestResults', [connectionId], options);
    unwrap(findConnection(this.#state, connectionId));
    return connectionTests(this.#state, connectionId).map(clone);
  }

  async listDomains(options?: RequestOptions): Promise<Domain[]> {
    await this.#enter('listDomains', [], options);
    return this.#state.domains.map(clone);
  }

  async addDomain(name: string, options?: RequestOptions): Promise<Domain> {
    await this.#enter('addDomain', [name], options);
    const rules = await domainRules();
    return clone(this.#apply(rules.addDomain(this.#state, this.#ctx(), name, { takenDomains: this.#options.takenDomains })));
  }

  async verifyDomain(name: string, options?: RequestOptions): Promise<Domain> {
    await this.#enter('verifyDomain', [name], options);
    const rules = await domainRules();
    const domain = unwrap(rules.findDomain(this.#state, name)).value;
    const answer = (await this.#options.verifyDomain?.(domain.name, clone(domain.txtRecord))) ?? true;
    return clone(this.#apply(rules.applyDomainCheck(this.#state, this.#ctx(), domain.name, answer)));
  }

  async removeDomain(name: string, options?: RequestOptions): Promise<void> {
    await this.#enter('removeDomain', [name], options);
    const rules = await domainRules();
    this.#apply(rules.removeDomain(this.#state, name));
  }

  // Directory sync

  async listDirectories(options?: RequestOptions): Promise<Directory[]> {
    await this.#enter('listDirectories', [], options);
    return this.#directories.list();
  }

  async getDirectory(id: string, options?: RequestOptions): Promise<Directory> {
    await this.#enter('getDirectory', [id], options);
    return this.#directories.get(id);
  }

  async createDirectory(input: DirectoryInput, options?: RequestOptions): Promise<DirectoryWithToken> {
    await this.#enter('createDirectory', [input], options);
    return this.#directories.create(input, this.#ctx(), new URL(this.#session.serviceProvider.entityId).origin, this.#session.devMode);
  }

  async regenerateDirectoryToken(id: string, guard: VersionGuard, options?: RequestOptions): Promise<DirectoryWithToken> {
    await this.#enter('regenerateDirectoryToken', [id, guard], options);
    return this.#directories.regenerateToken(id, guard.version, this.#ctx());
  }

  async setDirectoryEnabled(id: string, enabled: boolean, guard: VersionGuard, options?: RequestOptions): Promise<Directory> {
    await this.#enter('setDirectoryEnabled', [id, enabled, guard], options);
    return this.#directories.setEnabled(id, enabled, guard.version, this.#ctx());
  }

  async deleteDirectory(id: string, options?: RequestOptions): Promise<void> {
    await this.#enter('deleteDirectory', [id], options);
    this.#directories.delete(id);
  }

  async listDirectoryRequests(id: string, options?: RequestOptions): Promise<DirectoryRequest[]> {
    await this.#enter('listDirectoryRequests', [id], options);
    return this.#directories.requests(id);
  }

  // Login traces (seeded: the in-browser adapter runs no real login to trace)

  async listLoginAttempts(connectionId: string, options?: RequestOptions): Promise<LoginAttempt[]> {
    await this.#enter('listLoginAttempts', [connectionId], options);
    unwrap(findConnection(this.#state, connectionId));
    return clone(this.#options.seed?.loginAttempts?.[connectionId] ?? []);
  }

  // -------------------------------------------------------------------------------------
  // Test links for a colleague

  async listTestLinks(connectionId: string, options?: RequestOptions): Promise<TestLink[]> {
    await this.#enter('listTestLinks', [connectionId], options);
    unwrap(findConnection(this.#state, connectionId));
    const links = this.#testLinks.filter((l) => l.connectionId === connectionId).reverse();
    // A used link's test settles as `getTestResult` would settle it.
    for (const l of links) if (l.testId) await this.getTestResult(l.testId).catch(() => undefined);
    return links.map((l) => this.#testLinkView(l));
  }

  async createTestLink(connectionId: string, input: TestLinkInput, options?: RequestOptions): Promise<TestLinkWithUrl> {
    await this.#enter('createTestLink', [connectionId, input], options);
    const valid = parseOrThrow(TestLinkInputSchema, input, 'Test link');
    if (!isConfigured(unwrap(findConnection(this.#state, connectionId)).value)) {
      throw new PortalError('validation_failed', { message: 'Finish the configuration before testing.' });
    }
    const ctx = this.#ctx();
    const link: MemoryTestLink = {
      id: ctx.newId('tl'),
      connectionId,
      ...(valid.label ? { label: valid.label } : {}),
      createdAt: ctx.now.toISOString(),
      expiresAt: new Date(ctx.now.getTime() + TEST_LINK_HOURS * 3_600_000).toISOString(),
      usedAt: null,
      revokedAt: null,
      testId: null,
    };
    this.#testLinks.push(link);
    const token = Array.from({ length: 43 }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[Math.floor(this.#random() * 64)]).join('');
    return { ...this.#testLinkView(link), url: `${new URL(this.#session.serviceProvider.entityId).origin}/test-link/tl_${token}` };
  }

  async revokeTestLink(linkId: string, options?: RequestOptions): Promise<TestLink> {
    await this.#enter('revokeTestLink', [linkId], options);
    const link = this.#testLinks.find((l) => l.id === linkId);
    if (!link) throw new PortalError('not_found', { message: 'This test link does not exist.', details: { id: linkId } });
    const status = testLinkStatus(link, this.#now());
    if (status !== 'pending') throw new PortalError('conflict', { message: `This test link is ${status}: there is nothing to withdraw.`, details: { id: linkId, status } });
    link.revokedAt = this.#now().toISOString();
    return this.#testLinkView(link);
  }

  #testLinkView({ testId, ...link }: MemoryTestLink): TestLink {
    const test = testId ? this.#test(testId) : undefined;
    return clone({ ...link, status: testLinkStatus(link, this.#now()), result: test ?? null });
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

  /** The time and the id source the rules get: `options.newId`, or a counter (`conn_0001`). */
  #ctx(): RuleContext {
    return {
      now: this.#now(),
      newId: (prefix) => this.#options.newId?.(prefix) ?? `${prefix}_${(this.#nextId++).toString(36).padStart(4, '0')}`,
    };
  }

  /** Keeps the new state of a rule that succeeded and returns its value; throws its error otherwise. */
  #apply<T>(result: RuleResult<T>): T {
    const { state, value } = unwrap(result);
    this.#state = state;
    return value;
  }

  #test(testId: string): TestResult | undefined {
    return this.#state.tests.find((t) => t.id === testId);
  }

  #simulation(testId: string): Simulation {
    let simulation = this.#simulations.get(testId);
    if (!simulation) this.#simulations.set(testId, (simulation = { outcome: 'success', settlesAt: 0 }));
    return simulation;
  }

  /** What a client sees: a copy, never a secret. */
  #view(connection: Connection): Connection {
    return clone(connection);
  }

  /** Ends a pending simulated test with its simulated outcome (the rule records it on its connection). */
  async #settle(testId: string): Promise<void> {
    // Loaded on the first result: realistic results are not needed to show the portal.
    const { simulatedResult } = await import('./simulated-tests.js');
    const test = this.#test(testId);
    if (!test || test.status !== 'pending') return; // settled by a concurrent read meanwhile
    const { outcome } = this.#simulation(testId);
    const ctx = this.#ctx();
    const now = ctx.now;
    const connection = this.#state.connections.find((c) => c.id === test.connectionId);
    let result: TestOutcomeFields;
    if (connection) {
      // Sign-ins need a verified domain (where the backend has domains): a success without one warns.
      const verifiedDomains = this.#session.features.domains ? this.#state.domains.filter((d) => d.status === 'verified').map((d) => d.name) : undefined;
      result = simulatedResult(outcome, { connection, session: this.#session, now, user: { email: 'ada@megacorp.example' }, verifiedDomains });
    } else if (outcome === 'success') {
      // The connection was deleted meanwhile: a minimal result.
      result = {
        status: 'success',
        profile: { email: 'ada@megacorp.example', subject: 'ada@megacorp.example' },
        rawAttributes: { email: ['ada@megacorp.example'] },
        error: null,
      };
    } else {
      result = { status: 'failure', profile: null, rawAttributes: {}, error: { code: outcome, ...TEST_FAILURES[outcome] } };
    }
    this.#apply(finishTest(this.#state, ctx, testId, result));
    this.#simulations.delete(testId);
  }
}
