/// <reference types="node" />
/**
 * The domain layer of one organization: the MemoryAdapter's rules (versions and conflicts,
 * `test_required`, write-only secrets, domain rules, simulated tests) running over the store.
 *
 * One MemoryAdapter per organization is hydrated from the store on first use and kept; every
 * call goes through a per-organization queue, and after each write the organization's state
 * (connections, domains, tests, secrets) is put back into the store in one write, before the
 * caller gets its answer. Client secrets are tracked here from the validated input, because
 * the adapter never gives them back.
 */
import { randomBytes } from 'node:crypto';
import { PortalError } from '../core/errors.js';
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

/** The organization that verified `domain` (normalized), if any; `exceptId` is left out. */
export function verifiedOwnerOf(store: Store, domain: string, exceptId?: string): OrganizationRecord | undefined {
  return store
    .listOrganizations()
    .find((o) => o.id !== exceptId && store.getOrganizationData(o.id).domains.some((d) => d.name === domain && d.status === 'verified'));
}

/** The adapter's own session never expires: links expire, and the app checks them. */
const NEVER = '9999-12-31T23:59:59.000Z';

export class OrganizationService {
  readonly organization: OrganizationRecord;
  #store: Store;
  #options: OrganizationServiceOptions;
  #adapter: MemoryAdapter;
  #secrets: Map<string, string>;
  #manualDomains: Set<string>;
  /** TXT record values by domain: random per organization (the adapter's are a counter). */
  #txtValues: Map<string, string>;
  #forcePass = new Set<string>();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(store: Store, organization: OrganizationRecord, options: OrganizationServiceOptions) {
    this.organization = organization;
    this.#store = store;
    this.#options = options;
    const data = store.getOrganizationData(organization.id);
    this.#secrets = new Map(Object.entries(data.secrets));
    this.#manualDomains = new Set(data.domains.filter((d) => d.method === 'manual').map((d) => d.name));
    this.#txtValues = new Map(data.domains.map((d) => [d.name, d.txtRecord.value]));
    this.#adapter = new MemoryAdapter({
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
        if (this.#forcePass.has(name)) return true;
        if (options.checkDns) return options.checkDns(record.name, this.#txtValues.get(name) ?? record.value);
        return options.verifyDns?.(name) ?? true;
      },
    });
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
    return this.#run((a) => a.listConnections());
  }

  getConnection(id: string) {
    return this.#run((a) => a.getConnection(id));
  }

  listTestResults(connectionId: string) {
    return this.#run((a) => a.listTestResults(connectionId));
  }

  listDomains() {
    return this.#run(async (a) => (await a.listDomains()).map((d) => this.#domainView(d)));
  }

  /** A test result; settling a finished simulated test is a write. */
  getTestResult(testId: string) {
    return this.#run(async (a) => {
      const result = await a.getTestResult(testId);
      const before = this.#store.getOrganizationData(this.organization.id).tests.find((t) => t.id === testId);
      if (result.status !== 'pending' && before?.status === 'pending') await this.#persist();
      return result;
    });
  }

  /** The stored client secret of an OIDC connection (server-side only: the RP needs it). */
  clientSecretOf(connectionId: string): string | undefined {
    return this.#secrets.get(connectionId);
  }

  /** The newest IdP-initiated test of a connection still waiting for its response (one past its time ends as `timeout` here). */
  async pendingIdpTest(connectionId: string) {
    const newest = await this.#run(async (a) => (await a.listTestResults(connectionId)).find((t) => t.mode === 'idp' && t.status === 'pending'));
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
    return this.#write(async (a) => {
      const connection = await a.createConnection(input);
      if (input.oidc?.clientSecret !== undefined) this.#secrets.set(connection.id, input.oidc.clientSecret);
      return connection;
    });
  }

  updateConnection(id: string, version: number, changes: ConnectionPatch) {
    return this.#write(async (a) => {
      const before = (await a.getConnection(id)).oidc;
      const connection = await a.updateConnection(id, changes, { version });
      // The adapter's rule (core `clientSecretChange`): a new issuer or client ID drops the secret.
      if (changes.oidc === null || (changes.oidc && clientSecretChange(before, changes.oidc) === 'drop')) this.#secrets.delete(id);
      else if (changes.oidc?.clientSecret !== undefined) this.#secrets.set(id, changes.oidc.clientSecret);
      return connection;
    });
  }

  deleteConnection(id: string) {
    return this.#write(async (a) => {
      await a.deleteConnection(id);
      this.#secrets.delete(id);
    });
  }

  setConnectionEnabled(id: string, version: number, enabled: boolean) {
    return this.#write((a) => a.setConnectionEnabled(id, enabled, { version }));
  }

  startTest(connectionId: string, mode: 'sp' | 'idp') {
    return this.#write((a) => a.startTest(connectionId, { mode }));
  }

  addDomain(name: string) {
    return this.#write(async (a) => this.#domainView(await a.addDomain(name)));
  }

  verifyDomain(name: string) {
    return this.#write(async (a) => this.#domainView(await a.verifyDomain(name)));
  }

  removeDomain(name: string) {
    return this.#write(async (a) => {
      await a.removeDomain(name);
      const known = new Set((await a.listDomains()).map((d) => d.name));
      for (const domain of [...this.#txtValues.keys()]) if (!known.has(domain)) this.#txtValues.delete(domain);
      for (const domain of [...this.#manualDomains]) if (!known.has(domain)) this.#manualDomains.delete(domain);
    });
  }

  /** The host's admin vouches for a domain: added if needed, verified with method `manual`. */
  verifyDomainManually(normalizedName: string) {
    return this.#write(async (a) => {
      if (!(await a.listDomains()).some((d) => d.name === normalizedName)) await a.addDomain(normalizedName);
      this.#forcePass.add(normalizedName);
      try {
        await a.verifyDomain(normalizedName);
      } finally {
        this.#forcePass.delete(normalizedName);
      }
      this.#manualDomains.add(normalizedName);
      const domain = (await a.listDomains()).find((d) => d.name === normalizedName);
      if (!domain) throw new PortalError('not_found');
      return this.#domainView(domain);
    });
  }

  /** The organization's state as stored (tests of every connection, secrets included). */
  async #snapshot(): Promise<OrganizationData> {
    const a = this.#adapter;
    const connections = await a.listConnections();
    const tests = (await Promise.all(connections.map((c) => a.listTestResults(c.id)))).flat();
    const domains = (await a.listDomains()).map((d) => this.#domainView(d));
    const ids = new Set(connections.map((c) => c.id));
    const secrets = Object.fromEntries([...this.#secrets].filter(([id]) => ids.has(id)));
    return { connections, domains, tests, secrets };
  }

  async #persist(): Promise<void> {
    const data = await this.#snapshot();
    this.#adapter.calls.length = 0; // the call log would grow forever in a long-lived server
    await this.#store.putOrganizationData(this.organization.id, data);
  }

  #domainView(domain: Domain): Domain {
    let value = this.#txtValues.get(domain.name);
    if (!value) {
      value = `sso-verification=${randomBytes(18).toString('base64url')}`;
      this.#txtValues.set(domain.name, value);
    }
    return {
      ...domain,
      txtRecord: { ...domain.txtRecord, value },
      method: this.#manualDomains.has(domain.name) ? 'manual' : domain.method,
    };
  }

  #run<T>(operation: (adapter: MemoryAdapter) => Promise<T>): Promise<T> {
    const result = this.#queue.then(() => operation(this.#adapter));
    this.#queue = result.catch(() => undefined);
    return result.finally(() => {
      this.#adapter.calls.length = 0;
    });
  }

  #write<T>(operation: (adapter: MemoryAdapter) => Promise<T>): Promise<T> {
    return this.#run(async (a) => {
      const result = await operation(a);
      await this.#persist();
      return result;
    });
  }
}
