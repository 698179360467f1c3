/// <reference types="node" />
/**
 * The domain layer of one organization: the MemoryAdapter's rules (versions and conflicts,
 * `test_required`, write-only secrets, domain rules, simulated tests) applied to the state in
 * the store (until the rules move to `src/core/rules/`).
 *
 * Nothing is kept between calls: a read hydrates a MemoryAdapter from the state read now; a
 * write does so inside the store's transaction for that organization (row locked), applies the
 * rule, and the store writes only what changed (`Store.updateOrganizationData`). So any number of
 * server instances can serve the same organization. Slow outside work (the DNS lookup of a
 * domain check) happens before the transaction. Client secrets are tracked here from the
 * validated input, because the adapter never gives them back.
 */
import { randomBytes } from 'node:crypto';
import { PortalError } from '../core/errors.js';
import { normalizeDomain } from '../core/domains.js';
import { clientSecretChange, type ConnectionInput, type ConnectionPatch, type Domain, type DomainCheck, type PortalSession, type ServiceProvider, type TestResult } from '../core/model.js';
import { MemoryAdapter, type TestOutcome } from '../adapters/memory-adapter.js';
import type { Store } from './store/store.js';
import type { OrganizationData, OrganizationRecord } from './types.js';

export interface OrganizationServiceOptions {
  publicBaseUrl: string;
  now: () => Date;
  /**
   * Real test logins: a test stays pending until the IdP's answer is judged (`finishTest`), or
   * ends as `timeout` after `timeoutMs` (default 5 minutes, as the portal waits). Without it, tests are simulated.
   */
  realLogins?: { timeoutMs?: number };
  /** How simulated test logins end (default `success`). */
  testOutcome?: TestOutcome;
  /** How long a simulated test stays pending, in milliseconds (default 1500). */
  testDurationMs?: number;
  /** Looks up a domain's TXT record (real DNS); its answer is kept as the domain's `lastCheck`. */
  checkDns?: (recordName: string, expectedValue: string) => Promise<DomainCheck>;
  /** Without `checkDns`: whether a domain's TXT record "is found" (no DNS is queried; default: always). */
  verifyDns?: (domain: string) => boolean;
  devMode?: boolean;
  /** The IdP simulator's values, for the wizard to prefill (development servers). */
  simulator?: PortalSession['simulator'];
}

/** How long a real test login may take before it ends as `timeout`. */
export const DEFAULT_TEST_TIMEOUT_MS = 5 * 60 * 1000;

/** Our SP values for an organization. */
export function serviceProviderFor(publicBaseUrl: string, organizationId: string): ServiceProvider {
  const base = publicBaseUrl.replace(/\/+$/, '');
  return {
    entityId: `${base}/saml/${organizationId}`,
    acsUrl: `${base}/saml/${organizationId}/acs`,
    metadataUrl: `${base}/saml/${organizationId}/metadata`,
    oidcRedirectUri: `${base}/oidc/${organizationId}/callback`,
  };
}

/** The organization that verified `domain` (normalized), if any; `exceptId` is left out. One query. */
export function verifiedOwnerOf(store: Store, domain: string, exceptId?: string): Promise<OrganizationRecord | undefined> {
  return store.verifiedOwnerOf(domain, exceptId);
}

/** The adapter's own session never expires: links expire, and the app checks them. */
const NEVER = '9999-12-31T23:59:59.000Z';

/** One call's MemoryAdapter and what the service tracks beside it. */
interface Hydrated {
  adapter: MemoryAdapter;
  secrets: Map<string, string>;
  manualDomains: Set<string>;
  /** TXT record values by domain: random per organization (the adapter's are a counter). */
  txtValues: Map<string, string>;
  forcePass: Set<string>;
  /** DNS answers looked up before the transaction, by domain. */
  checks: Map<string, DomainCheck>;
}

export class OrganizationService {
  readonly organization: OrganizationRecord;
  #store: Store;
  #options: OrganizationServiceOptions;

  constructor(store: Store, organization: OrganizationRecord, options: OrganizationServiceOptions) {
    this.organization = organization;
    this.#store = store;
    this.#options = options;
  }

  /** The portal session of a link to this organization that expires at `expiresAt`. */
  session(expiresAt: string): PortalSession {
    return {
      organization: { id: this.organization.id, name: this.organization.name },
      serviceProvider: serviceProviderFor(this.#options.publicBaseUrl, this.organization.id),
      branding: this.organization.branding,
      features: { saml: true, oidc: true, domains: true, idpInitiatedTest: true },
      devMode: this.#options.devMode ?? true,
      ...(this.#options.simulator && (this.#options.devMode ?? true) ? { simulator: this.#options.simulator } : {}),
      expiresAt,
    };
  }

  // -------------------------------------------------------------------------------------
  // Reads

  listConnections() {
    return this.#read((a) => a.listConnections());
  }

  getConnection(id: string) {
    return this.#read((a) => a.getConnection(id));
  }

  listTestResults(connectionId: string) {
    return this.#read((a) => a.listTestResults(connectionId));
  }

  listDomains() {
    return this.#read(async (a, h) => (await a.listDomains()).map((d) => this.#domainView(d, h)));
  }

  /** A test result; a pending test past its time is settled now (a write). */
  async getTestResult(testId: string): Promise<TestResult> {
    const data = await this.#store.getOrganizationData(this.organization.id);
    const stored = data.tests.find((t) => t.id === testId);
    if (!stored) throw new PortalError('test_not_found', { details: { testId } });
    if (stored.status !== 'pending' || this.#options.now().getTime() < this.#settlesAt(stored)) return stored;
    return this.#write(async (a) => {
      const current = await a.listTestResults(stored.connectionId).then(
        (tests) => tests.find((t) => t.id === testId),
        () => undefined,
      );
      if (current && current.status !== 'pending') return current;
      return a.completeTest(testId, this.#options.realLogins ? 'timeout' : (this.#options.testOutcome ?? 'success'));
    });
  }

  /** When a pending test ends by itself: simulated after its duration, real ones time out. */
  #settlesAt(test: TestResult): number {
    const duration = this.#options.realLogins ? (this.#options.realLogins.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS) : (this.#options.testDurationMs ?? 1500);
    return Date.parse(test.startedAt) + duration;
  }

  /** The stored client secret of an OIDC connection (server-side only: the RP needs it). */
  async clientSecretOf(connectionId: string): Promise<string | undefined> {
    return (await this.#store.getOrganizationData(this.organization.id)).secrets[connectionId];
  }

  /** The newest IdP-initiated test of a connection still waiting for its response (one past its time ends as `timeout` here). */
  async pendingIdpTest(connectionId: string) {
    const newest = await this.#read(async (a) => (await a.listTestResults(connectionId)).find((t) => t.mode === 'idp' && t.status === 'pending'));
    const current = newest && (await this.getTestResult(newest.id));
    return current?.status === 'pending' ? current : undefined;
  }

  // -------------------------------------------------------------------------------------
  // Writes

  /** Ends a pending test with the judged outcome of a real login (a finished test stays as it is). */
  finishTest(testId: string, outcome: Pick<TestResult, 'status' | 'profile' | 'rawAttributes' | 'error' | 'warnings'>) {
    return this.#write((a) => Promise.resolve(a.finishTest(testId, outcome)));
  }

  createConnection(input: ConnectionInput) {
    return this.#write(async (a, h) => {
      const connection = await a.createConnection(input);
      if (input.oidc?.clientSecret !== undefined) h.secrets.set(connection.id, input.oidc.clientSecret);
      return connection;
    });
  }

  updateConnection(id: string, version: number, changes: ConnectionPatch) {
    return this.#write(async (a, h) => {
      const before = (await a.getConnection(id)).oidc;
      const connection = await a.updateConnection(id, changes, { version });
      // The adapter's rule (core `clientSecretChange`): a new issuer or client ID drops the secret.
      if (changes.oidc === null || (changes.oidc && clientSecretChange(before, changes.oidc) === 'drop')) h.secrets.delete(id);
      else if (changes.oidc?.clientSecret !== undefined) h.secrets.set(id, changes.oidc.clientSecret);
      return connection;
    });
  }

  deleteConnection(id: string) {
    return this.#write(async (a, h) => {
      await a.deleteConnection(id);
      h.secrets.delete(id);
    });
  }

  setConnectionEnabled(id: string, version: number, enabled: boolean) {
    return this.#write((a) => a.setConnectionEnabled(id, enabled, { version }));
  }

  startTest(connectionId: string, mode: 'sp' | 'idp') {
    return this.#write((a) => a.startTest(connectionId, { mode }));
  }

  addDomain(name: string) {
    return this.#write(async (a, h) => this.#domainView(await a.addDomain(name), h));
  }

  /** Looks the TXT record up first (outside the transaction), then records the answer. */
  async verifyDomain(name: string) {
    const checks = new Map<string, DomainCheck>();
    const checkDns = this.#options.checkDns;
    const normalized = normalizeDomain(name);
    if (checkDns && normalized.ok) {
      const domain = (await this.#store.getOrganizationData(this.organization.id)).domains.find((d) => d.name === normalized.domain);
      if (domain) checks.set(domain.name, await checkDns(domain.txtRecord.name, domain.txtRecord.value));
    }
    return this.#write(async (a, h) => this.#domainView(await a.verifyDomain(name), h), checks);
  }

  removeDomain(name: string) {
    return this.#write(async (a) => {
      await a.removeDomain(name);
    });
  }

  /** The host's admin vouches for a domain: added if needed, verified with method `manual`. */
  verifyDomainManually(normalizedName: string) {
    return this.#write(async (a, h) => {
      if (!(await a.listDomains()).some((d) => d.name === normalizedName)) await a.addDomain(normalizedName);
      h.forcePass.add(normalizedName);
      try {
        await a.verifyDomain(normalizedName);
      } finally {
        h.forcePass.delete(normalizedName);
      }
      h.manualDomains.add(normalizedName);
      const domain = (await a.listDomains()).find((d) => d.name === normalizedName);
      if (!domain) throw new PortalError('not_found');
      return this.#domainView(domain, h);
    });
  }

  // -------------------------------------------------------------------------------------

  /** A MemoryAdapter over `data`, for one call. */
  #hydrate(data: OrganizationData, checks: Map<string, DomainCheck> = new Map()): Hydrated {
    const options = this.#options;
    const h: Hydrated = {
      adapter: undefined as unknown as MemoryAdapter,
      secrets: new Map(Object.entries(data.secrets)),
      manualDomains: new Set(data.domains.filter((d) => d.method === 'manual').map((d) => d.name)),
      txtValues: new Map(data.domains.map((d) => [d.name, d.txtRecord.value])),
      forcePass: new Set(),
      checks,
    };
    h.adapter = new MemoryAdapter({
      seed: {
        session: this.session(NEVER),
        connections: data.connections,
        domains: data.domains,
        tests: data.tests,
        clientSecrets: data.secrets,
      },
      now: options.now,
      // Random ids: ids are never reused, even after a restart (ACS URLs carry connection ids).
      newId: (prefix) => `${prefix}_${randomBytes(12).toString('base64url').replace(/[^A-Za-z0-9]/g, 'x')}`,
      testOutcome: options.realLogins ? 'timeout' : options.testOutcome,
      testDuration: options.realLogins ? (options.realLogins.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS) : options.testDurationMs,
      verifyDomain: (name, record) => {
        if (h.forcePass.has(name)) return true;
        const checked = h.checks.get(name);
        if (checked) return checked;
        if (options.checkDns) return options.checkDns(record.name, h.txtValues.get(name) ?? record.value);
        return options.verifyDns?.(name) ?? true;
      },
    });
    return h;
  }

  /** The organization's state as stored (tests of every connection, secrets included). */
  async #snapshot(h: Hydrated): Promise<OrganizationData> {
    const a = h.adapter;
    const connections = await a.listConnections();
    const tests = (await Promise.all(connections.map((c) => a.listTestResults(c.id)))).flat();
    const domains = (await a.listDomains()).map((d) => this.#domainView(d, h));
    const ids = new Set(connections.map((c) => c.id));
    const secrets = Object.fromEntries([...h.secrets].filter(([id]) => ids.has(id)));
    return { connections, domains, tests, secrets };
  }

  #domainView(domain: Domain, h: Hydrated): Domain {
    let value = h.txtValues.get(domain.name);
    if (!value) {
      value = `sso-verification=${randomBytes(18).toString('base64url')}`;
      h.txtValues.set(domain.name, value);
    }
    return {
      ...domain,
      txtRecord: { ...domain.txtRecord, value },
      method: h.manualDomains.has(domain.name) ? 'manual' : domain.method,
    };
  }

  async #read<T>(operation: (adapter: MemoryAdapter, h: Hydrated) => Promise<T>): Promise<T> {
    const h = this.#hydrate(await this.#store.getOrganizationData(this.organization.id));
    return operation(h.adapter, h);
  }

  #write<T>(operation: (adapter: MemoryAdapter, h: Hydrated) => Promise<T>, checks?: Map<string, DomainCheck>): Promise<T> {
    return this.#store.updateOrganizationData(this.organization.id, async (data) => {
      const h = this.#hydrate(data, checks);
      const result = await operation(h.adapter, h);
      return { data: await this.#snapshot(h), result };
    });
  }
}
