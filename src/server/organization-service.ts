/// <reference types="node" />
/**
 * The domain layer of one organization: core's rules (`src/core/rules/`: versions and
 * conflicts, `test_required`, write-only secrets, domains, the test lifecycle) applied to the
 * organization's state in the store, plus the simulated test logins of a development server.
 *
 * Nothing is kept between calls: a read reads the state now; a write runs inside the store's
 * transaction for that organization (`Store.updateOrganizationData`: row locked), applies the
 * rule to the state read there, and the store writes only what changed. So any number of server
 * instances can serve the same organization. Slow outside work (reading certificates, the DNS
 * lookup of a domain check) happens before the transaction.
 */
import { randomBytes } from 'node:crypto';
import { PortalError } from '../core/errors.js';
import { normalizeDomain } from '../core/domains.js';
import { ConnectionInputSchema, ConnectionPatchSchema, validate, type ConnectionInput, type ConnectionPatch, type DomainCheck, type PortalSession, type ServiceProvider, type TestResult, type TestStart } from '../core/model.js';
import { firstCertificateExpiry } from '../core/saml-metadata.js';
import {
  DEFAULT_TEST_TIMEOUT_MS,
  addDomain,
  applyDomainCheck,
  connectionTests,
  createConnection,
  deleteConnection,
  findConnection,
  findDomain,
  finishTest,
  recordTestUserSignIn,
  removeDomain,
  setConnectionEnabled,
  stageConnection,
  settleExpiredTests,
  startTest,
  unwrap,
  updateConnection,
  verifyDomainManually,
  type ConnectionFacts,
  type OrganizationSettings,
  type OrganizationState,
  type RuleContext,
  type RuleResult,
  type TestOutcomeFields,
} from '../core/rules/index.js';
import { simulatedResult, type TestOutcome } from '../adapters/simulated-tests.js';
import type { Actor } from './events.js';
import type { Store } from './store/store.js';
import type { OrganizationRecord } from './types.js';

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

/** How long a real test login may take before it ends as `timeout` (core's rule). */
export { DEFAULT_TEST_TIMEOUT_MS };

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

/** The user a simulated test login signs in as. */
const SIMULATED_USER = { email: 'ada@megacorp.example' };

/** A new TXT record value: random, so that no one can guess another organization's. */
const newTxtValue = (): string => `sso-verification=${randomBytes(18).toString('base64url')}`;

/** What the SAML section of a create or update needs from outside the rule: its certificates' expiry (a valid input only; the rule answers the rest). */
async function connectionFacts(input: ConnectionInput | ConnectionPatch, create: boolean): Promise<ConnectionFacts> {
  const valid = create ? validate(ConnectionInputSchema, input) : validate(ConnectionPatchSchema, input);
  return valid.ok && valid.value.saml ? { certificateExpiresAt: await firstCertificateExpiry(valid.value.saml.signingCertificates) } : {};
}

export class OrganizationService {
  readonly organization: OrganizationRecord;
  /** Who this service writes for (the event log's actor); unset: the store's default (`system`). */
  readonly actor: Actor | undefined;
  #store: Store;
  #options: OrganizationServiceOptions;

  constructor(store: Store, organization: OrganizationRecord, options: OrganizationServiceOptions, actor?: Actor) {
    this.organization = organization;
    this.actor = actor;
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

  async listConnections() {
    return (await this.#state()).connections;
  }

  async getConnection(id: string) {
    return unwrap(findConnection(await this.#state(), id)).value;
  }

  async listTestResults(connectionId: string) {
    const state = await this.#state();
    unwrap(findConnection(state, connectionId));
    return connectionTests(state, connectionId);
  }

  async listDomains() {
    return (await this.#state()).domains;
  }

  /** A test result; a pending test past its time is settled now (a write). */
  async getTestResult(testId: string): Promise<TestResult> {
    const stored = (await this.#state()).tests.find((t) => t.id === testId);
    if (!stored) throw new PortalError('test_not_found', { details: { testId } });
    if (stored.status !== 'pending' || this.#options.now().getTime() < Date.parse(stored.startedAt) + this.#testDuration()) return stored;
    return this.#write((state, ctx) => this.#settle(state, ctx, testId));
  }

  /** How long a pending test lasts: a simulated one its duration, a real one until it times out. */
  #testDuration(): number {
    return this.#options.realLogins ? (this.#options.realLogins.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS) : (this.#options.testDurationMs ?? 1500);
  }

  /**
   * Ends a pending test past its time: a real login as `timeout` (core `settleExpiredTests`), a
   * simulated one with its simulated outcome. The value is the test as stored after.
   */
  #settle(state: OrganizationState, ctx: RuleContext, testId: string): RuleResult<TestResult> {
    const test = state.tests.find((t) => t.id === testId);
    if (!test) return { ok: false, error: new PortalError('test_not_found', { details: { testId } }) };
    if (test.status !== 'pending' || ctx.now.getTime() < Date.parse(test.startedAt) + this.#testDuration()) return { ok: true, state, value: test };
    if (this.#options.realLogins) {
      const settled = settleExpiredTests(state, ctx, this.#testDuration(), [testId]);
      if (!settled.ok) return settled;
      return { ok: true, state: settled.state, value: settled.state.tests.find((t) => t.id === testId) ?? test };
    }
    return finishTest(state, ctx, testId, this.#simulatedOutcome(state, ctx, test));
  }

  /** What a simulated test login of `test`'s connection found (the connection is there: its tests go with it). */
  #simulatedOutcome(state: OrganizationState, ctx: RuleContext, test: TestResult): TestOutcomeFields {
    const connection = unwrap(findConnection(state, test.connectionId)).value;
    const session = this.session(ctx.now.toISOString());
    // Sign-ins need a verified domain: a success without one warns.
    const verifiedDomains = state.domains.filter((d) => d.status === 'verified').map((d) => d.name);
    return simulatedResult(this.#options.testOutcome ?? 'success', { connection, session, now: ctx.now, user: SIMULATED_USER, verifiedDomains });
  }

  /** The stored client secret of an OIDC connection (server-side only: the RP needs it). */
  async clientSecretOf(connectionId: string): Promise<string | undefined> {
    return (await this.#state()).secrets[connectionId];
  }

  /** The newest IdP-initiated test of a connection still waiting for its response (one past its time ends as `timeout` here). */
  async pendingIdpTest(connectionId: string) {
    const newest = (await this.listTestResults(connectionId)).find((t) => t.mode === 'idp' && t.status === 'pending');
    const current = newest && (await this.getTestResult(newest.id));
    return current?.status === 'pending' ? current : undefined;
  }

  // -------------------------------------------------------------------------------------
  // Writes

  /** Ends a pending test with the judged outcome of a real login (a finished test stays as it is). */
  finishTest(testId: string, outcome: TestOutcomeFields) {
    return this.#write((state, ctx) => finishTest(state, ctx, testId, outcome));
  }

  async createConnection(input: ConnectionInput) {
    const facts = await connectionFacts(input, true);
    return this.#write((state, ctx) => createConnection(state, ctx, this.#settings(), input, facts));
  }

  async updateConnection(id: string, version: number, changes: ConnectionPatch) {
    const facts = await connectionFacts(changes, false);
    return this.#write((state, ctx) => updateConnection(state, ctx, id, version, changes, facts));
  }

  async deleteConnection(id: string): Promise<void> {
    await this.#write((state) => deleteConnection(state, id));
  }

  setConnectionEnabled(id: string, version: number, enabled: boolean) {
    return this.#write((state, ctx) => setConnectionEnabled(state, ctx, id, version, enabled));
  }

  /** Activates the connection for these test users only, or changes the list (rules/staging.ts). */
  stageConnection(id: string, version: number, testUsers: unknown) {
    return this.#write((state, ctx) => stageConnection(state, ctx, id, version, testUsers));
  }

  /** A test user signed in through a staged connection: counted once (no new version, no event). */
  async recordTestUserSignIn(connectionId: string, email: string): Promise<void> {
    await this.#write((state) => recordTestUserSignIn(state, connectionId, email));
  }

  async startTest(connectionId: string, mode: 'sp' | 'idp', testLinkId?: string): Promise<TestStart> {
    const test = await this.#write((state, ctx) => startTest(state, ctx, this.#settings(), connectionId, mode, testLinkId));
    return { testId: test.id };
  }

  addDomain(name: string) {
    return this.#write((state, ctx) => addDomain(state, ctx, name, { txtValue: newTxtValue() }));
  }

  /** Looks the TXT record up first (outside the transaction), then records the answer. */
  async verifyDomain(name: string) {
    const checkDns = this.#options.checkDns;
    let checked: { name: string; value: string; check: DomainCheck } | undefined;
    const normalized = normalizeDomain(name);
    if (checkDns && normalized.ok) {
      const domain = (await this.#state()).domains.find((d) => d.name === normalized.domain);
      if (domain) checked = { ...domain.txtRecord, check: await checkDns(domain.txtRecord.name, domain.txtRecord.value) };
    }
    return this.#writeAsync(async (state, ctx) => {
      const found = findDomain(state, name);
      if (!found.ok) return found;
      const { txtRecord } = found.value;
      let answer: boolean | DomainCheck;
      // The answer looked up before, if the record is still the one looked up (else, rarely, now).
      if (checked && checked.name === txtRecord.name && checked.value === txtRecord.value) answer = checked.check;
      else if (checkDns) answer = await checkDns(txtRecord.name, txtRecord.value);
      else answer = this.#options.verifyDns?.(found.value.name) ?? true;
      return applyDomainCheck(state, ctx, found.value.name, answer);
    });
  }

  async removeDomain(name: string): Promise<void> {
    await this.#write((state) => removeDomain(state, name));
  }

  /** The host's admin vouches for a domain: added if needed, verified with method `manual`. */
  verifyDomainManually(normalizedName: string) {
    return this.#write((state, ctx) => verifyDomainManually(state, ctx, normalizedName, { txtValue: newTxtValue() }));
  }

  // -------------------------------------------------------------------------------------

  /** The organization's state as stored now. */
  #state(): Promise<OrganizationState> {
    return this.#store.getOrganizationData(this.organization.id);
  }

  /** What the organization may use, and our SP values for it. */
  #settings(): OrganizationSettings {
    const { features, serviceProvider } = this.session(new Date(0).toISOString());
    return { features, serviceProvider };
  }

  /** The time and ids a rule gets: random ids, never reused even after a restart (ACS URLs carry connection ids). */
  #ctx(): RuleContext {
    return {
      now: this.#options.now(),
      newId: (prefix) => `${prefix}_${randomBytes(12).toString('base64url').replace(/[^A-Za-z0-9]/g, 'x')}`,
    };
  }

  /** Applies a rule to the state inside the organization's transaction; the store writes what it changed. */
  #write<T>(rule: (state: OrganizationState, ctx: RuleContext) => RuleResult<T>): Promise<T> {
    return this.#writeAsync((state, ctx) => Promise.resolve(rule(state, ctx)));
  }

  #writeAsync<T>(rule: (state: OrganizationState, ctx: RuleContext) => Promise<RuleResult<T>>): Promise<T> {
    return this.#store.updateOrganizationData(
      this.organization.id,
      async (data) => {
        const { state, value } = unwrap(await rule(data, this.#ctx()));
        return { data: state, result: value };
      },
      this.actor,
    );
  }
}
