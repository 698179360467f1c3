import { expect } from '@open-wc/testing';
import { MemoryAdapter, defaultSession, type MemoryAdapterOptions } from '../../../src/adapters/memory-adapter.js';
import type { PortalAdapter, PortalAdapterMethod, RequestOptions } from '../../../src/adapters/portal-adapter.js';
import type { Directory } from '../../../src/core/directory-model.js';
import { PortalError, type PortalErrorCode } from '../../../src/core/errors.js';
import {
  ConnectionSchema,
  DomainSchema,
  PortalSessionSchema,
  TestResultSchema,
  TestStartSchema,
  formatIssues,
  validate,
  type Connection,
  type ConnectionInput,
  type Domain,
  type SamlConfig,
  type TestResult,
} from '../../../src/core/model.js';
import { TEST_FAILURES, TEST_FAILURE_CODES } from '../../../src/core/test-failures.js';

// ---------------------------------------------------------------------------------------
// Helpers

const START = '2030-01-01T00:00:00.000Z';
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUJ\n-----END CERTIFICATE-----';
const SECRET = 'oidc-client-secret-7f3a9c';

/** A clock the test moves by hand. */
function manualClock(start = START) {
  let time = Date.parse(start);
  return {
    now: () => new Date(time),
    advance(ms: number) {
      time += ms;
    },
    iso: () => new Date(time).toISOString(),
  };
}

/** Random numbers from a fixed list, for deterministic fault rates. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => {
    const value = values[i++];
    if (value === undefined) throw new Error('random() called more often than the test expected');
    return value;
  };
}

function setup(options: MemoryAdapterOptions = {}) {
  const clock = manualClock();
  const adapter = new MemoryAdapter({ now: clock.now, ...options });
  return { adapter, clock };
}

function samlConfig(overrides: Partial<SamlConfig> = {}): SamlConfig {
  return {
    idpEntityId: 'http://www.okta.com/exk1',
    ssoUrl: 'https://megacorp.okta.test/app/sso/saml',
    ssoBinding: 'redirect',
    signingCertificates: [PEM],
    ...overrides,
  };
}

function samlInput(overrides: Partial<ConnectionInput> = {}): ConnectionInput {
  return { protocol: 'saml', providerId: 'okta', saml: samlConfig(), ...overrides };
}

function oidcInput(clientSecret: string | null = SECRET): ConnectionInput {
  return {
    protocol: 'oidc',
    providerId: 'generic-oidc',
    oidc: { issuer: 'https://idp.megacorp.test', clientId: 'portal-client', ...(clientSecret ? { clientSecret } : {}) },
  };
}

function seededSamlConnection(overrides: Partial<Connection> = {}): Connection {
  return {
    id: 'conn_seed',
    protocol: 'saml',
    providerId: 'okta',
    name: 'Seeded',
    status: 'configured',
    saml: samlConfig(),
    oidc: null,
    attributeMapping: { email: 'email' },
    lastTest: null,
    version: 4,
    createdAt: START,
    updatedAt: START,
    ...overrides,
  };
}

/** A metadata change waiting for review, as a backend's refresh records it. */
const PENDING_REFRESH: NonNullable<Connection['metadataRefresh']> = {
  checkedAt: START,
  status: 'pending',
  pending: {
    foundAt: START,
    changes: [{ field: 'ssoUrl', from: 'https://megacorp.okta.test/app/sso/saml', to: 'https://megacorp.okta.test/app/sso2' }],
    saml: { idpEntityId: 'http://www.okta.com/exk1', ssoUrl: 'https://megacorp.okta.test/app/sso2', ssoBinding: 'redirect', signingCertificates: [PEM], metadataRefreshMode: 'review' },
  },
};

function seededOidcConnection(overrides: Partial<Connection> = {}): Connection {
  return {
    id: 'conn_oidc_seed',
    protocol: 'oidc',
    providerId: 'okta',
    status: 'configured',
    saml: null,
    oidc: { issuer: 'https://idp.megacorp.test', clientId: 'portal-client', clientSecretSet: true, scopes: ['openid', 'email'] },
    attributeMapping: { email: 'email' },
    lastTest: null,
    version: 2,
    createdAt: START,
    updatedAt: START,
    ...overrides,
  };
}

function seededDomain(overrides: Partial<Domain> = {}): Domain {
  return {
    name: 'seed.example',
    status: 'pending',
    txtRecord: { name: '_sso-verification.seed.example', value: 'sso-verification=seed' },
    method: 'dns_txt',
    verifiedAt: null,
    lastCheckedAt: null,
    ...overrides,
  };
}

function seededTest(overrides: Partial<TestResult> = {}): TestResult {
  return {
    id: 'test_seed',
    connectionId: 'conn_seed',
    mode: 'sp',
    status: 'success',
    profile: { email: 'grace@megacorp.example' },
    rawAttributes: { email: ['grace@megacorp.example'] },
    error: null,
    startedAt: '2029-12-31T00:00:00.000Z',
    completedAt: '2029-12-31T00:00:01.000Z',
    ...overrides,
  };
}

/** Awaits a promise that must reject with a PortalError, and returns that error. */
async function rejection(promise: Promise<unknown>): Promise<PortalError> {
  let settled: unknown;
  try {
    settled = await promise;
  } catch (error) {
    expect(error, String(error)).to.be.instanceOf(PortalError);
    return error as PortalError;
  }
  throw new Error(`expected a rejection, got ${JSON.stringify(settled)}`);
}

async function expectCode(promise: Promise<unknown>, code: PortalErrorCode): Promise<PortalError> {
  const error = await rejection(promise);
  expect(error.code, error.message).to.equal(code);
  return error;
}

function expectSchema(schema: Parameters<typeof validate>[0], value: unknown): void {
  const result = validate(schema, value);
  expect(result.ok, result.ok ? '' : formatIssues(result.issues)).to.equal(true);
}

/** Runs a test of the connection to the end with `outcome`; returns the connection after it. */
async function runTest(adapter: MemoryAdapter, id: string, outcome: 'success' | (typeof TEST_FAILURE_CODES)[number] = 'success') {
  const { testId } = await adapter.startTest(id, { mode: 'sp' });
  await adapter.completeTest(testId, outcome);
  return adapter.getConnection(id);
}

/** Every PortalAdapter method, called with arguments that would succeed on the seed below. */
const EVERY_METHOD: [PortalAdapterMethod, (a: PortalAdapter, o?: RequestOptions) => Promise<unknown>][] = [
  ['getSession', (a, o) => a.getSession(o)],
  ['listConnections', (a, o) => a.listConnections(o)],
  ['getConnection', (a, o) => a.getConnection('conn_seed', o)],
  ['createConnection', (a, o) => a.createConnection(samlInput(), o)],
  ['updateConnection', (a, o) => a.updateConnection('conn_seed', { name: 'x' }, { version: 4 }, o)],
  ['deleteConnection', (a, o) => a.deleteConnection('conn_seed', o)],
  ['setConnectionEnabled', (a, o) => a.setConnectionEnabled('conn_seed', false, { version: 4 }, o)],
  ['approveMetadataChange', (a, o) => a.approveMetadataChange!('conn_seed', { version: 4 }, o)],
  ['dismissMetadataChange', (a, o) => a.dismissMetadataChange!('conn_seed', o)],
  ['fetchMetadata', (a, o) => a.fetchMetadata('https://idp.megacorp.test/metadata', o)],
  ['fetchOidcDiscovery', (a, o) => a.fetchOidcDiscovery('https://idp.megacorp.test', o)],
  ['startTest', (a, o) => a.startTest('conn_seed', { mode: 'sp' }, o)],
  ['getTestResult', (a, o) => a.getTestResult('test_seed', o)],
  ['listTestResults', (a, o) => a.listTestResults('conn_seed', o)],
  ['listDomains', (a, o) => a.listDomains(o)],
  ['addDomain', (a, o) => a.addDomain('new.example', o)],
  ['verifyDomain', (a, o) => a.verifyDomain('seed.example', o)],
  ['removeDomain', (a, o) => a.removeDomain('seed.example', o)],
  ['listDirectories', (a, o) => a.listDirectories!(o)],
  ['getDirectory', (a, o) => a.getDirectory!('dir_seed', o)],
  ['createDirectory', (a, o) => a.createDirectory!({ provider: 'okta' }, o)],
  ['regenerateDirectoryToken', (a, o) => a.regenerateDirectoryToken!('dir_seed', { version: 1 }, o)],
  ['setDirectoryEnabled', (a, o) => a.setDirectoryEnabled!('dir_seed', true, { version: 1 }, o)],
  ['deleteDirectory', (a, o) => a.deleteDirectory!('dir_seed', o)],
  ['listDirectoryRequests', (a, o) => a.listDirectoryRequests!('dir_seed', o)],
  ['stageConnection', (a, o) => a.stageConnection!('conn_seed', ['grace@seed.example'], { version: 4 }, o)],
  ['previewRouting', (a, o) => a.previewRouting!('grace@seed.example', o)],
  ['listLoginAttempts', (a, o) => a.listLoginAttempts!('conn_seed', o)],
  ['listTestLinks', (a, o) => a.listTestLinks!('conn_seed', o)],
  ['createTestLink', (a, o) => a.createTestLink!('conn_seed', { label: 'Grace' }, o)],
  // A link made first (without the options), then withdrawn with them.
  ['revokeTestLink', async (a, o) => a.revokeTestLink!((await a.createTestLink!('conn_seed', {})).id, o)],
];

/** A directory in setup, for the directory methods of EVERY_METHOD. */
const SEEDED_DIRECTORY: Directory = {
  id: 'dir_seed',
  provider: 'okta',
  name: 'Okta',
  status: 'setup',
  scimBaseUrl: 'https://sso.acme.test/scim/v2/dir_seed',
  tokenHint: 'scim_seed',
  tokenCreatedAt: '2026-01-01T00:00:00.000Z',
  createdAt: '2026-01-01T00:00:00.000Z',
  enabledAt: null,
  lastRequestAt: null,
  lastSyncAt: null,
  counts: { users: 0, activeUsers: 0, groups: 0 },
  recentErrors: 0,
  version: 1,
};

function seededSetup(options: MemoryAdapterOptions = {}) {
  return setup({
    seed: { connections: [seededSamlConnection({ metadataRefresh: PENDING_REFRESH })], domains: [seededDomain()], tests: [seededTest()], directories: [SEEDED_DIRECTORY] },
    ...options,
  });
}

// ---------------------------------------------------------------------------------------

describe('MemoryAdapter: contract coverage', () => {
  it('the EVERY_METHOD table covers every PortalAdapter method the adapter implements', () => {
    const proto = MemoryAdapter.prototype as unknown as Record<string, unknown>;
    const implemented = Object.getOwnPropertyNames(MemoryAdapter.prototype).filter(
      (name) =>
        name !== 'constructor' &&
        typeof proto[name] === 'function' &&
        !['setFault', 'failNext', 'clearFaults', 'setTestOutcome', 'completeTest', 'finishTest', 'expireSession', 'setLatency', 'receiveScimRequests', 'useTestLink'].includes(name),
    );
    expect(EVERY_METHOD.map(([name]) => name)).to.have.members(implemented);
  });

  it('every method but fetchMetadata (which always refuses) and stageConnection succeeds on the seed with its EVERY_METHOD arguments', async () => {
    for (const [method, call] of EVERY_METHOD) {
      // stageConnection needs a passing test of the current configuration and a verified domain,
      // which the seed has not: its success is shown by sso-rollout-section.test.ts and staged-rollout.test.ts.
      if (method === 'fetchMetadata' || method === 'stageConnection') continue;
      const { adapter } = seededSetup();
      try {
        await call(adapter);
      } catch (error) {
        throw new Error(`${method} failed: ${String(error)}`, { cause: error });
      }
    }
  });

  it('records every call, in order, with its arguments', async () => {
    const { adapter } = seededSetup();
    await adapter.getSession();
    await adapter.getConnection('conn_seed');
    await adapter.addDomain('calls.example');
    expect(adapter.calls).to.deep.equal([
      { method: 'getSession', args: [] },
      { method: 'getConnection', args: ['conn_seed'] },
      { method: 'addDomain', args: ['calls.example'] },
    ]);
  });
});

describe('MemoryAdapter: a metadata change waiting for review', () => {
  it('is applied at the version read (a stale one is conflict) and recorded as updated; then there is none', async () => {
    const { adapter, clock } = seededSetup();
    await expectCode(adapter.approveMetadataChange('conn_seed', { version: 3 }), 'conflict');
    clock.advance(60_000);
    const approved = await adapter.approveMetadataChange('conn_seed', { version: 4 });
    expectSchema(ConnectionSchema, approved);
    expect(approved.version).to.equal(5);
    expect(approved.saml?.ssoUrl).to.equal('https://megacorp.okta.test/app/sso2');
    expect(approved.metadataRefresh).to.deep.equal({ checkedAt: START, status: 'updated', changedAt: clock.now().toISOString(), changes: PENDING_REFRESH.pending!.changes });
    expect(await adapter.getConnection('conn_seed')).to.deep.equal(approved);
    expect((await expectCode(adapter.approveMetadataChange('conn_seed', { version: 5 }), 'conflict')).details).to.deep.equal({ reason: 'metadata_change_not_pending' });
    expect((await expectCode(adapter.dismissMetadataChange('conn_seed'), 'conflict')).details).to.deep.equal({ reason: 'metadata_change_not_pending' });
    await expectCode(adapter.approveMetadataChange('conn_nope', { version: 1 }), 'not_found');
  });

  it('is dismissed: the connection stays as it is', async () => {
    const { adapter } = seededSetup();
    const dismissed = await adapter.dismissMetadataChange('conn_seed');
    expectSchema(ConnectionSchema, dismissed);
    expect(dismissed.version).to.equal(4);
    expect(dismissed.saml).to.deep.equal(samlConfig());
    expect(dismissed.metadataRefresh).to.deep.equal({ ...PENDING_REFRESH, status: 'dismissed', pending: { ...PENDING_REFRESH.pending!, dismissedAt: START } });
    // Dismissed, it can still be approved.
    expect((await adapter.approveMetadataChange('conn_seed', { version: 4 })).saml?.ssoUrl).to.equal('https://megacorp.okta.test/app/sso2');
    expect((await expectCode(adapter.dismissMetadataChange('conn_seed'), 'conflict')).details).to.deep.equal({ reason: 'metadata_change_not_pending' });
  });
});

describe('MemoryAdapter: session', () => {
  it('returns a valid default session that expires 7 days after the injected now', async () => {
    const { adapter } = setup();
    const session = await adapter.getSession();
    expectSchema(PortalSessionSchema, session);
    expect(session.expiresAt).to.equal('2030-01-08T00:00:00.000Z');
    expect(session).to.deep.equal(defaultSession(new Date(START)));
  });

  it('merges the seeded session over the default one', async () => {
    const { adapter } = setup({
      seed: {
        session: {
          organization: { id: 'org_x', name: 'Initech' },
          features: { saml: true, oidc: false, domains: false, idpInitiatedTest: false },
          devMode: false,
        },
      },
    });
    const session = await adapter.getSession();
    expectSchema(PortalSessionSchema, session);
    expect(session.organization).to.deep.equal({ id: 'org_x', name: 'Initech' });
    expect(session.features.oidc).to.equal(false);
    expect(session.devMode).to.equal(false);
    expect(session.branding.name).to.equal('Acme');
  });

  it('returns copies: mutating the returned session does not change the next one', async () => {
    const { adapter } = setup();
    const first = await adapter.getSession();
    first.organization.name = 'Hacked';
    first.features.saml = false;
    const second = await adapter.getSession();
    expect(second.organization.name).to.equal('Megacorp');
    expect(second.features.saml).to.equal(true);
  });

  it('does not keep a reference to the seed: mutating the seed later changes nothing', async () => {
    const connection = seededSamlConnection();
    const domain = seededDomain();
    const session = { organization: { id: 'org_x', name: 'Initech' } };
    const { adapter } = setup({ seed: { connections: [connection], domains: [domain], session } });
    connection.name = 'Mutated';
    connection.saml!.ssoUrl = 'https://evil.test';
    domain.status = 'verified';
    session.organization.name = 'Mutated';
    expect((await adapter.getConnection('conn_seed')).name).to.equal('Seeded');
    expect((await adapter.getConnection('conn_seed')).saml!.ssoUrl).to.equal('https://megacorp.okta.test/app/sso/saml');
    expect((await adapter.listDomains())[0]!.status).to.equal('pending');
    expect((await adapter.getSession()).organization.name).to.equal('Initech');
  });
});

describe('MemoryAdapter: session expiry', () => {
  for (const [method, call] of EVERY_METHOD) {
    it(`${method} rejects session_expired after expireSession()`, async () => {
      const { adapter } = seededSetup();
      adapter.expireSession();
      const error = await expectCode(call(adapter), 'session_expired');
      expect(error.retryable).to.equal(false);
      expect(error.status).to.equal(401);
    });
  }

  it('writes rejected for expiry change nothing in the store', async () => {
    const { adapter, clock } = seededSetup();
    const before = JSON.stringify([await adapter.listConnections(), await adapter.listDomains(), await adapter.listTestResults('conn_seed')]);
    const eightDays = 8 * 24 * 60 * 60 * 1000;
    clock.advance(eightDays);
    await expectCode(adapter.deleteConnection('conn_seed'), 'session_expired');
    await expectCode(adapter.updateConnection('conn_seed', { name: 'x' }, { version: 4 }), 'session_expired');
    await expectCode(adapter.createConnection(samlInput()), 'session_expired');
    await expectCode(adapter.startTest('conn_seed', { mode: 'sp' }), 'session_expired');
    await expectCode(adapter.removeDomain('seed.example'), 'session_expired');
    await expectCode(adapter.addDomain('late.example'), 'session_expired');
    // Turn the clock back to before the expiry to look at the store again.
    clock.advance(-eightDays);
    const after = JSON.stringify([await adapter.listConnections(), await adapter.listDomains(), await adapter.listTestResults('conn_seed')]);
    expect(after).to.equal(before);
  });

  it('the session expires by itself when the clock passes expiresAt', async () => {
    const { adapter, clock } = setup();
    clock.advance(7 * 24 * 60 * 60 * 1000 - 1);
    await adapter.getSession();
    clock.advance(1);
    await expectCode(adapter.getSession(), 'session_expired');
    await expectCode(adapter.listConnections(), 'session_expired');
  });

  it('a session seeded with a past expiresAt is expired from the start', async () => {
    const { adapter } = setup({ seed: { session: { expiresAt: '2029-12-31T23:59:59.000Z' } } });
    await expectCode(adapter.getSession(), 'session_expired');
  });

  it('session_expired takes precedence over an injected fault', async () => {
    const { adapter } = setup();
    adapter.setFault('getSession', { code: 'server_error' });
    adapter.expireSession();
    await expectCode(adapter.getSession(), 'session_expired');
  });
});

describe('MemoryAdapter: connections', () => {
  it('starts with no connections', async () => {
    const { adapter } = setup();
    expect(await adapter.listConnections()).to.deep.equal([]);
  });

  it('lists and gets seeded connections, schema-valid', async () => {
    const { adapter } = setup({ seed: { connections: [seededSamlConnection(), seededOidcConnection()] } });
    const list = await adapter.listConnections();
    expect(list.map((c) => c.id)).to.deep.equal(['conn_seed', 'conn_oidc_seed']);
    for (const c of list) expectSchema(ConnectionSchema, c);
    expect(await adapter.getConnection('conn_oidc_seed')).to.deep.equal(seededOidcConnection());
  });

  it('getConnection rejects not_found for an unknown id', async () => {
    const { adapter } = setup();
    const error = await expectCode(adapter.getConnection('conn_nope'), 'not_found');
    expect(error.details).to.deep.equal({ id: 'conn_nope' });
  });

  it('createConnection with a SAML configuration returns a configured, schema-valid connection at version 1', async () => {
    const { adapter, clock } = setup();
    const created = await adapter.createConnection(samlInput({ name: 'Staff' }));
    expectSchema(ConnectionSchema, created);
    expect(created).to.deep.include({
      protocol: 'saml',
      providerId: 'okta',
      name: 'Staff',
      status: 'configured',
      oidc: null,
      lastTest: null,
      version: 1,
      createdAt: clock.iso(),
      updatedAt: clock.iso(),
    });
    expect(created.saml).to.deep.equal(samlConfig());
    expect(created.attributeMapping).to.deep.equal({ email: 'email' });
    expect(await adapter.getConnection(created.id)).to.deep.equal(created);
    expect(await adapter.listConnections()).to.deep.equal([created]);
  });

  it('createConnection without an IdP configuration returns a draft with no name key', async () => {
    const { adapter } = setup();
    const created = await adapter.createConnection({ protocol: 'saml', providerId: 'adfs' });
    expectSchema(ConnectionSchema, created);
    expect(created.status).to.equal('draft');
    expect(created.saml).to.equal(null);
    expect(created).to.not.have.property('name');
  });

  it('createConnection keeps a given attribute mapping', async () => {
    const { adapter } = setup();
    const mapping = { email: 'mail', firstName: 'givenName', groups: 'memberOf' };
    const created = await adapter.createConnection(samlInput({ attributeMapping: mapping }));
    expect(created.attributeMapping).to.deep.equal(mapping);
  });

  it('createConnection gives each connection a distinct id', async () => {
    const { adapter } = setup();
    const a = await adapter.createConnection(samlInput());
    const b = await adapter.createConnection(samlInput());
    expect(a.id).to.not.equal(b.id);
    expect((await adapter.listConnections()).length).to.equal(2);
  });

  it('createConnection never overwrites a seeded connection whose id looks generated', async () => {
    const seeded = seededSamlConnection({ id: 'conn_0001', name: 'Seeded first' });
    const { adapter } = setup({ seed: { connections: [seeded] } });
    const created = await adapter.createConnection(samlInput({ name: 'Created' }));
    expect(created.id).to.not.equal('conn_0001');
    expect((await adapter.getConnection('conn_0001')).name).to.equal('Seeded first');
    expect((await adapter.listConnections()).length).to.equal(2);
  });

  it('createConnection rejects invalid input with validation_failed naming the field, and creates nothing', async () => {
    const { adapter } = setup();
    const error = await expectCode(
      adapter.createConnection(samlInput({ saml: samlConfig({ ssoUrl: 'javascript:alert(1)' }) })),
      'validation_failed',
    );
    expect(error.message).to.contain('saml.ssoUrl');
    expect(error.details).to.deep.equal({ issues: [{ path: 'saml.ssoUrl', message: 'must be an http(s) URL' }] });
    await expectCode(adapter.createConnection({ protocol: 'ldap', providerId: 'okta' } as unknown as ConnectionInput), 'validation_failed');
    expect(await adapter.listConnections()).to.deep.equal([]);
  });

  it('createConnection rejects a configuration for the other protocol, and creates nothing', async () => {
    const { adapter } = setup();
    const samlWithOidc = { ...oidcInput(), protocol: 'saml' } as ConnectionInput;
    const error = await expectCode(adapter.createConnection(samlWithOidc), 'validation_failed');
    expect(error.message).to.contain('oidc');
    const oidcWithSaml: ConnectionInput = { protocol: 'oidc', providerId: 'okta', saml: samlConfig() };
    expect((await expectCode(adapter.createConnection(oidcWithSaml), 'validation_failed')).message).to.contain('saml');
    expect(await adapter.listConnections()).to.deep.equal([]);
    // null for the other protocol is fine.
    const ok = await adapter.createConnection({ ...samlInput(), oidc: null });
    expect(ok.oidc).to.equal(null);
  });

  it('createConnection rejects not_available when the session does not offer the protocol', async () => {
    const { adapter } = setup({ seed: { session: { features: { saml: true, oidc: false, domains: true, idpInitiatedTest: true } } } });
    await expectCode(adapter.createConnection(oidcInput()), 'not_available');
    expect(await adapter.listConnections()).to.deep.equal([]);
    await adapter.createConnection(samlInput());
  });

  it('updateConnection applies a patch, bumps version and updatedAt, and keeps createdAt', async () => {
    const { adapter, clock } = setup();
    const created = await adapter.createConnection(samlInput());
    clock.advance(60_000);
    const updated = await adapter.updateConnection(created.id, { name: 'Renamed', providerId: 'keycloak' }, { version: 1 });
    expectSchema(ConnectionSchema, updated);
    expect(updated.name).to.equal('Renamed');
    expect(updated.providerId).to.equal('keycloak');
    expect(updated.version).to.equal(2);
    expect(updated.createdAt).to.equal(START);
    expect(updated.updatedAt).to.equal(clock.iso());
    expect(await adapter.getConnection(created.id)).to.deep.equal(updated);
  });

  it('updateConnection with a stale version rejects conflict and changes nothing', async () => {
    const { adapter, clock } = setup();
    const created = await adapter.createConnection(samlInput({ name: 'Original' }));
    await adapter.updateConnection(created.id, { name: 'Second' }, { version: 1 });
    const before = await adapter.getConnection(created.id);
    clock.advance(1000);
    const error = await expectCode(
      adapter.updateConnection(created.id, { name: 'Stale write', saml: null }, { version: 1 }),
      'conflict',
    );
    expect(error.details).to.deep.equal({ expectedVersion: 1, currentVersion: 2 });
    expect(await adapter.getConnection(created.id)).to.deep.equal(before);
    await expectCode(adapter.updateConnection(created.id, { name: 'Future' }, { version: 3 }), 'conflict');
    expect(await adapter.getConnection(created.id)).to.deep.equal(before);
  });

  it('updateConnection rejects not_found for an unknown id', async () => {
    const { adapter } = setup();
    await expectCode(adapter.updateConnection('conn_nope', { name: 'x' }, { version: 1 }), 'not_found');
  });

  it('updateConnection rejects an invalid patch with validation_failed naming the field, and changes nothing', async () => {
    const { adapter } = setup();
    const created = await adapter.createConnection(samlInput());
    const error = await expectCode(
      adapter.updateConnection(created.id, { saml: samlConfig({ ssoUrl: 'ftp://x.test' }) }, { version: 1 }),
      'validation_failed',
    );
    expect(error.message).to.contain('saml.ssoUrl');
    expect(await adapter.getConnection(created.id)).to.deep.equal(created);
  });

  it('updateConnection refuses a configuration for the other protocol, and changes nothing', async () => {
    const { adapter } = setup();
    const saml = await adapter.createConnection(samlInput());
    const error = await expectCode(
      adapter.updateConnection(saml.id, { oidc: { issuer: 'https://idp.test.example', clientId: 'c', clientSecret: 's' } }, { version: 1 }),
      'validation_failed',
    );
    expect(error.details).to.deep.equal({ issues: [{ path: 'oidc', message: "does not match the connection's protocol" }] });
    expect(await adapter.getConnection(saml.id)).to.deep.equal(saml);
    const oidc = await adapter.createConnection(oidcInput());
    await expectCode(adapter.updateConnection(oidc.id, { saml: samlConfig() }, { version: 1 }), 'validation_failed');
    expect(await adapter.getConnection(oidc.id)).to.deep.equal(oidc);
  });

  it('updateConnection ignores an attempt to change the protocol', async () => {
    const { adapter } = setup();
    const created = await adapter.createConnection(samlInput());
    const updated = await adapter.updateConnection(created.id, { protocol: 'oidc' } as never, { version: 1 });
    expect(updated.protocol).to.equal('saml');
  });

  it('removing the SAML configuration of a configured connection makes it a draft again', async () => {
    const { adapter } = setup();
    const created = await adapter.createConnection(samlInput());
    const updated = await adapter.updateConnection(created.id, { saml: null }, { version: 1 });
    expect(updated.saml).to.equal(null);
    expect(updated.status).to.equal('draft');
    const restored = await adapter.updateConnection(created.id, { saml: samlConfig() }, { version: 2 });
    expect(restored.status).to.equal('configured');
  });

  it('deleteConnection removes the connection and its tests; a second delete rejects not_found', async () => {
    const { adapter } = setup();
    const created = await adapter.createConnection(samlInput());
    const { testId } = await adapter.startTest(created.id, { mode: 'sp' });
    const kept = await adapter.createConnection(samlInput());
    const { testId: keptTest } = await adapter.startTest(kept.id, { mode: 'sp' });
    expect(await adapter.deleteConnection(created.id)).to.equal(undefined);
    await expectCode(adapter.getConnection(created.id), 'not_found');
    await expectCode(adapter.getTestResult(testId), 'test_not_found');
    await expectCode(adapter.listTestResults(created.id), 'not_found');
    expect((await adapter.listConnections()).map((c) => c.id)).to.deep.equal([kept.id]);
    expect((await adapter.getTestResult(keptTest)).id).to.equal(keptTest);
    await expectCode(adapter.deleteConnection(created.id), 'not_found');
  });

  it('returns copies: mutating a returned connection does not change the store', async () => {
    const { adapter } = setup();
    const created = await adapter.createConnection(samlInput());
    created.name = 'Mutated';
    created.saml!.signingCertificates.push('evil');
    created.version = 99;
    const listed = await adapter.listConnections();
    listed[0]!.status = 'active';
    listed[0]!.attributeMapping.email = 'hacked';
    const fresh = await adapter.getConnection(created.id);
    expect(fresh).to.not.have.property('name');
    expect(fresh.saml!.signingCertificates).to.deep.equal([PEM]);
    expect(fresh.version).to.equal(1);
    expect(fresh.status).to.equal('configured');
    expect(fresh.attributeMapping.email).to.equal('email');
  });

  it('does not keep a reference to the created input', async () => {
    const { adapter } = setup();
    const input = samlInput();
    const created = await adapter.createConnection(input);
    input.saml!.ssoUrl = 'https://changed.example.com';
    input.saml!.signingCertificates.push('x');
    expect((await adapter.getConnection(created.id)).saml).to.deep.equal(samlConfig());
  });
});

describe('MemoryAdapter: OIDC client secrets', () => {
  it('creating with a clientSecret reports clientSecretSet and never returns the secret', async () => {
    const { adapter } = setup();
    const created = await adapter.createConnection(oidcInput());
    expectSchema(ConnectionSchema, created);
    expect(created.oidc).to.deep.equal({
      issuer: 'https://idp.megacorp.test',
      clientId: 'portal-client',
      clientSecretSet: true,
      scopes: ['openid', 'email', 'profile'],
    });
    expect(created.status).to.equal('configured');
    expect(JSON.stringify(created)).to.not.contain(SECRET);
    expect(JSON.stringify(await adapter.getConnection(created.id))).to.not.contain(SECRET);
    expect(JSON.stringify(await adapter.listConnections())).to.not.contain(SECRET);
    expect(JSON.stringify(await adapter.getSession())).to.not.contain(SECRET);
  });

  it('creating without a clientSecret reports clientSecretSet false and stays a draft', async () => {
    const { adapter } = setup();
    const created = await adapter.createConnection(oidcInput(null));
    expect(created.oidc!.clientSecretSet).to.equal(false);
    expect(created.status).to.equal('draft');
    await expectCode(adapter.startTest(created.id, { mode: 'sp' }), 'validation_failed');
  });

  it('updating the OIDC configuration without a clientSecret (same issuer and client ID) keeps the stored secret and scopes', async () => {
    const { adapter } = setup();
    const created = await adapter.createConnection({
      ...oidcInput(),
      oidc: { issuer: 'https://idp.megacorp.test', clientId: 'a', clientSecret: SECRET, scopes: ['openid', 'groups'] },
    });
    const updated = await adapter.updateConnection(created.id, { oidc: { issuer: 'https://idp.megacorp.test', clientId: 'a' } }, { version: 1 });
    expectSchema(ConnectionSchema, updated);
    expect(updated.oidc).to.deep.equal({
      issuer: 'https://idp.megacorp.test',
      clientId: 'a',
      clientSecretSet: true,
      scopes: ['openid', 'groups'],
    });
    expect(updated.status).to.equal('configured');
    expect(JSON.stringify(updated)).to.not.contain(SECRET);
  });

  for (const [what, oidc] of [
    ['issuer', { issuer: 'https://attacker.megacorp.test', clientId: 'a' }],
    ['client ID', { issuer: 'https://idp.megacorp.test', clientId: 'b' }],
    ['issuer and client ID', { issuer: 'https://attacker.megacorp.test', clientId: 'b' }],
  ] as const) {
    it(`changing the ${what} without a clientSecret drops the stored secret (it is never sent to another server)`, async () => {
      const { adapter } = setup();
      const created = await adapter.createConnection({ ...oidcInput(), oidc: { issuer: 'https://idp.megacorp.test', clientId: 'a', clientSecret: SECRET } });
      const updated = await adapter.updateConnection(created.id, { oidc }, { version: 1 });
      expect(updated.oidc!.clientSecretSet).to.equal(false);
      expect(updated.status).to.equal('draft');
      await expectCode(adapter.startTest(created.id, { mode: 'sp' }), 'validation_failed');
      // Going back to the old issuer does not bring the secret back either.
      const back = await adapter.updateConnection(created.id, { oidc: { issuer: 'https://idp.megacorp.test', clientId: 'a' } }, { version: 2 });
      expect(back.oidc!.clientSecretSet).to.equal(false);
    });
  }

  it('changing the issuer with a new clientSecret stores the new one', async () => {
    const { adapter } = setup();
    const created = await adapter.createConnection(oidcInput());
    const updated = await adapter.updateConnection(
      created.id,
      { oidc: { issuer: 'https://new-idp.megacorp.test', clientId: 'b', clientSecret: 'new-idp-secret' } },
      { version: 1 },
    );
    expect(updated.oidc!.clientSecretSet).to.equal(true);
    expect(updated.status).to.equal('configured');
  });

  it('updating with a new clientSecret keeps it set and never returns either secret', async () => {
    const { adapter } = setup();
    const created = await adapter.createConnection(oidcInput());
    const updated = await adapter.updateConnection(
      created.id,
      { oidc: { issuer: 'https://idp.megacorp.test', clientId: 'portal-client', clientSecret: 'rotated-secret-99' } },
      { version: 1 },
    );
    expect(updated.oidc!.clientSecretSet).to.equal(true);
    const json = JSON.stringify(await adapter.listConnections());
    expect(json).to.not.contain(SECRET);
    expect(json).to.not.contain('rotated-secret-99');
  });

  it('removing the OIDC configuration forgets the secret', async () => {
    const { adapter } = setup();
    const created = await adapter.createConnection(oidcInput());
    const cleared = await adapter.updateConnection(created.id, { oidc: null }, { version: 1 });
    expect(cleared.oidc).to.equal(null);
    expect(cleared.status).to.equal('draft');
    const again = await adapter.updateConnection(
      created.id,
      { oidc: { issuer: 'https://idp.megacorp.test', clientId: 'portal-client' } },
      { version: 2 },
    );
    expect(again.oidc!.clientSecretSet).to.equal(false);
    expect(again.status).to.equal('draft');
  });

  it('a secret given in seed.clientSecrets survives an update without clientSecret', async () => {
    const { adapter } = setup({ seed: { connections: [seededOidcConnection()], clientSecrets: { conn_oidc_seed: SECRET } } });
    const updated = await adapter.updateConnection(
      'conn_oidc_seed',
      { oidc: { issuer: 'https://idp.megacorp.test', clientId: 'portal-client', scopes: ['openid'] } },
      { version: 2 },
    );
    expect(updated.oidc!.clientSecretSet).to.equal(true);
    expect(JSON.stringify(updated)).to.not.contain(SECRET);
  });

  it('a seeded connection reporting clientSecretSet keeps it through an update without clientSecret', async () => {
    const { adapter } = setup({ seed: { connections: [seededOidcConnection()] } });
    const updated = await adapter.updateConnection(
      'conn_oidc_seed',
      { oidc: { issuer: 'https://idp.megacorp.test', clientId: 'portal-client', scopes: ['openid'] } },
      { version: 2 },
    );
    expect(updated.oidc!.clientSecretSet).to.equal(true);
    expect(updated.status).to.equal('configured');
  });

  it('a seeded OIDC connection with a stray clientSecret never returns it', async () => {
    const leaky = seededOidcConnection();
    (leaky.oidc as Record<string, unknown>).clientSecret = SECRET;
    const { adapter } = setup({ seed: { connections: [leaky] } });
    // The adapter trusts its seed; the schema is what strips a stray secret.
    const parsed = validate(ConnectionSchema, await adapter.getConnection('conn_oidc_seed'));
    expect(parsed.ok).to.equal(true);
    expect(JSON.stringify(parsed.ok && parsed.value)).to.not.contain(SECRET);
  });
});

describe('MemoryAdapter: activation', () => {
  it('enabling a draft rejects validation_failed', async () => {
    const { adapter } = setup();
    const draft = await adapter.createConnection({ protocol: 'saml', providerId: 'okta' });
    await expectCode(adapter.setConnectionEnabled(draft.id, true, { version: 1 }), 'validation_failed');
    expect((await adapter.getConnection(draft.id)).status).to.equal('draft');
  });

  it('enabling a configured but untested connection rejects test_required', async () => {
    const { adapter } = setup();
    const created = await adapter.createConnection(samlInput());
    const error = await expectCode(adapter.setConnectionEnabled(created.id, true, { version: 1 }), 'test_required');
    expect(error.status).to.equal(409);
    expect(await adapter.getConnection(created.id)).to.deep.equal(created);
  });

  it('enabling while the only test is still pending rejects test_required', async () => {
    const { adapter } = setup();
    const created = await adapter.createConnection(samlInput());
    await adapter.startTest(created.id, { mode: 'sp' });
    await expectCode(adapter.setConnectionEnabled(created.id, true, { version: 1 }), 'test_required');
  });

  it('enabling after a failed test rejects test_required', async () => {
    const { adapter } = setup();
    const created = await adapter.createConnection(samlInput());
    const tested = await runTest(adapter, created.id, 'audience_mismatch');
    expect(tested.lastTest!.status).to.equal('failure');
    await expectCode(adapter.setConnectionEnabled(created.id, true, { version: tested.version }), 'test_required');
  });

  it('enabling after a successful test of the current configuration activates it and bumps the version', async () => {
    const { adapter, clock } = setup();
    const created = await adapter.createConnection(samlInput());
    const tested = await runTest(adapter, created.id);
    expect(tested.version).to.equal(1);
    clock.advance(5000);
    const active = await adapter.setConnectionEnabled(created.id, true, { version: 1 });
    expectSchema(ConnectionSchema, active);
    expect(active.status).to.equal('active');
    expect(active.lastTest).to.deep.equal(tested.lastTest);
    expect(active.version).to.equal(2);
    expect(active.updatedAt).to.equal(clock.iso());
    expect(await adapter.getConnection(created.id)).to.deep.equal(active);
  });

  it('a configuration change after a successful test makes the test stale and activation rejects test_required', async () => {
    const { adapter } = setup();
    const created = await adapter.createConnection(samlInput());
    await runTest(adapter, created.id);
    const changed = await adapter.updateConnection(
      created.id,
      { saml: samlConfig({ ssoUrl: 'https://megacorp.okta.test/other' }) },
      { version: 1 },
    );
    expect(changed.lastTest!.status).to.equal('success');
    expect(changed.lastTest!.stale).to.equal(true);
    await expectCode(adapter.setConnectionEnabled(created.id, true, { version: 2 }), 'test_required');
    const retested = await runTest(adapter, created.id);
    expect(retested.lastTest!.stale).to.equal(false);
    expect((await adapter.setConnectionEnabled(created.id, true, { version: 2 })).status).to.equal('active');
  });

  it('an attribute mapping change also makes the last test stale, but a rename does not', async () => {
    const { adapter } = setup();
    const created = await adapter.createConnection(samlInput());
    await runTest(adapter, created.id);
    const renamed = await adapter.updateConnection(created.id, { name: 'New name', providerId: 'generic-saml' }, { version: 1 });
    expect(renamed.lastTest!.stale).to.equal(false);
    const remapped = await adapter.updateConnection(created.id, { attributeMapping: { email: 'mail' } }, { version: 2 });
    expect(remapped.lastTest!.stale).to.equal(true);
  });

  it('a test that was pending while the configuration changed settles as stale', async () => {
    const { adapter, clock } = setup({ testDuration: 1000 });
    const created = await adapter.createConnection(samlInput());
    const { testId } = await adapter.startTest(created.id, { mode: 'sp' });
    await adapter.updateConnection(created.id, { saml: samlConfig({ idpEntityId: 'urn:changed' }) }, { version: 1 });
    clock.advance(1000);
    expect((await adapter.getTestResult(testId)).status).to.equal('success');
    const connection = await adapter.getConnection(created.id);
    expect(connection.lastTest).to.deep.include({ id: testId, status: 'success', stale: true });
    await expectCode(adapter.setConnectionEnabled(created.id, true, { version: 2 }), 'test_required');
  });

  it('enabling with a stale version rejects conflict and changes nothing', async () => {
    const { adapter } = setup();
    const created = await adapter.createConnection(samlInput());
    await adapter.updateConnection(created.id, { name: 'v2' }, { version: 1 });
    const tested = await runTest(adapter, created.id);
    await expectCode(adapter.setConnectionEnabled(created.id, true, { version: 1 }), 'conflict');
    expect(await adapter.getConnection(created.id)).to.deep.equal(tested);
  });

  it('disabling an active connection makes it inactive; disabling a draft keeps it a draft', async () => {
    const { adapter } = setup();
    const created = await adapter.createConnection(samlInput());
    await runTest(adapter, created.id);
    await adapter.setConnectionEnabled(created.id, true, { version: 1 });
    const inactive = await adapter.setConnectionEnabled(created.id, false, { version: 2 });
    expect(inactive.status).to.equal('inactive');
    expect(inactive.version).to.equal(3);
    const draft = await adapter.createConnection({ protocol: 'saml', providerId: 'okta' });
    expect((await adapter.setConnectionEnabled(draft.id, false, { version: 1 })).status).to.equal('draft');
  });

  it('setConnectionEnabled rejects not_found for an unknown id', async () => {
    const { adapter } = setup();
    await expectCode(adapter.setConnectionEnabled('conn_nope', true, { version: 1 }), 'not_found');
  });
});

describe('MemoryAdapter: metadata and discovery', () => {
  it('fetchMetadata rejects metadata_fetch_failed (retryable) for a URL it has no document for, naming the URL', async () => {
    const { adapter } = setup();
    const error = await expectCode(adapter.fetchMetadata('https://idp.megacorp.test/metadata'), 'metadata_fetch_failed');
    expect(error.retryable).to.equal(true);
    expect(error.details).to.deep.equal({ url: 'https://idp.megacorp.test/metadata' });
  });

  it('fetchMetadata serves the metadata documents it was given', async () => {
    const { adapter } = setup({ documents: { 'https://idp.megacorp.test/metadata': '<md:EntityDescriptor/>' } });
    expect(await adapter.fetchMetadata('https://idp.megacorp.test/metadata')).to.equal('<md:EntityDescriptor/>');
  });

  it('fetchOidcDiscovery serves a given discovery document (a copy) for the issuer', async () => {
    const doc = { issuer: 'https://other.example', authorization_endpoint: 'https://other.example/a' };
    const { adapter } = setup({ documents: { 'https://idp.megacorp.test/.well-known/openid-configuration': doc } });
    const got = await adapter.fetchOidcDiscovery('https://idp.megacorp.test/');
    expect(got).to.deep.equal(doc);
    got.issuer = 'changed';
    expect(doc.issuer).to.equal('https://other.example');
  });

  it('fetchOidcDiscovery returns a discovery document rooted at the issuer without trailing slashes', async () => {
    const { adapter } = setup();
    const doc = await adapter.fetchOidcDiscovery('https://idp.megacorp.test/tenant//');
    expect(doc.issuer).to.equal('https://idp.megacorp.test/tenant');
    expect(doc.authorization_endpoint).to.equal('https://idp.megacorp.test/tenant/authorize');
    expect(doc.token_endpoint).to.equal('https://idp.megacorp.test/tenant/token');
    expect(doc.jwks_uri).to.equal('https://idp.megacorp.test/tenant/jwks');
    expect(doc.scopes_supported).to.include('openid');
  });

  it('fetchOidcDiscovery rejects validation_failed for an issuer that is not a URL', async () => {
    const { adapter } = setup();
    const error = await expectCode(adapter.fetchOidcDiscovery('idp.megacorp.test'), 'validation_failed');
    expect(error.details).to.deep.equal({ issuer: 'idp.megacorp.test' });
  });
});

describe('MemoryAdapter: test login warnings', () => {
  const verified = (name: string) => ({ name, status: 'verified' as const, txtRecord: { name: `_sso.${name}`, value: 'v' }, method: 'manual' as const, verifiedAt: START, lastCheckedAt: START });

  it('warns domain_not_verified on a success while the organization has no verified domain', async () => {
    const { adapter } = setup();
    const created = await adapter.createConnection(samlInput());
    const { testId } = await adapter.startTest(created.id, { mode: 'sp' });
    const result = await adapter.completeTest(testId, 'success');
    expectSchema(TestResultSchema, result);
    expect(result.status).to.equal('success');
    expect(result.warnings?.map((w) => w.code)).to.deep.equal(['domain_not_verified']);
    expect(result.warnings![0]!.details).to.deep.equal({ emailDomain: 'megacorp.example' });
    expect((await adapter.getTestResult(testId)).warnings?.[0]?.code).to.equal('domain_not_verified');
  });

  it('does not warn once a domain is verified, nor on a failure, nor without the domains feature', async () => {
    const withDomain = setup({ seed: { domains: [verified('megacorp.example')] } }).adapter;
    const a = await withDomain.createConnection(samlInput());
    const ok = await withDomain.completeTest((await withDomain.startTest(a.id, { mode: 'sp' })).testId, 'success');
    expect(ok.warnings).to.equal(undefined);
    const failed = await withDomain.completeTest((await withDomain.startTest(a.id, { mode: 'sp' })).testId, 'user_denied');
    expect(failed.warnings).to.equal(undefined);
    const noFeature = setup({ seed: { session: { features: { saml: true, oidc: true, domains: false, idpInitiatedTest: true } } } }).adapter;
    const b = await noFeature.createConnection(samlInput());
    expect((await noFeature.completeTest((await noFeature.startTest(b.id, { mode: 'sp' })).testId, 'success')).warnings).to.equal(undefined);
  });
});

describe('MemoryAdapter: test logins', () => {
  it('startTest returns a schema-valid TestStart and a pending result until testDuration elapses, then success', async () => {
    const { adapter, clock } = setup({ testDuration: 2000 });
    const created = await adapter.createConnection(samlInput());
    const start = await adapter.startTest(created.id, { mode: 'sp' });
    expectSchema(TestStartSchema, start);
    const pending = await adapter.getTestResult(start.testId);
    expectSchema(TestResultSchema, pending);
    expect(pending).to.deep.include({
      id: start.testId,
      connectionId: created.id,
      mode: 'sp',
      status: 'pending',
      profile: null,
      error: null,
      startedAt: START,
      completedAt: null,
    });
    clock.advance(1999);
    expect((await adapter.getTestResult(start.testId)).status).to.equal('pending');
    expect((await adapter.getConnection(created.id)).lastTest).to.equal(null);
    clock.advance(1);
    const done = await adapter.getTestResult(start.testId);
    expectSchema(TestResultSchema, done);
    expect(done.status).to.equal('success');
    expect(done.error).to.equal(null);
    expect(done.completedAt).to.equal(clock.iso());
    expect(done.profile!.email).to.be.a('string');
    expect(done.rawAttributes.email).to.deep.equal([done.profile!.email]);
    const connection = await adapter.getConnection(created.id);
    expectSchema(ConnectionSchema, connection);
    expect(connection.lastTest).to.deep.equal({ id: start.testId, mode: 'sp', status: 'success', at: clock.iso(), stale: false });
  });

  it('a test stays pending for 1500 ms by default', async () => {
    const { adapter, clock } = setup();
    const created = await adapter.createConnection(samlInput());
    const { testId } = await adapter.startTest(created.id, { mode: 'sp' });
    clock.advance(1499);
    expect((await adapter.getTestResult(testId)).status).to.equal('pending');
    clock.advance(1);
    expect((await adapter.getTestResult(testId)).status).to.equal('success');
  });

  for (const code of TEST_FAILURE_CODES) {
    it(`setTestOutcome('${code}') ends the next test as a failure with that code and its catalogue text`, async () => {
      const { adapter, clock } = setup();
      const created = await adapter.createConnection(samlInput());
      adapter.setTestOutcome(code);
      const { testId } = await adapter.startTest(created.id, { mode: 'sp' });
      clock.advance(1500);
      const result = await adapter.getTestResult(testId);
      expectSchema(TestResultSchema, result);
      expect(result.status).to.equal('failure');
      expect(result.error).to.deep.include({ code, message: TEST_FAILURES[code].message, remedy: TEST_FAILURES[code].remedy });
      const connection = await adapter.getConnection(created.id);
      expectSchema(ConnectionSchema, connection);
      expect(connection.lastTest).to.deep.include({ id: testId, status: 'failure', errorCode: code, stale: false });
      await expectCode(adapter.setConnectionEnabled(created.id, true, { version: 1 }), 'test_required');
    });

    it(`the testOutcome option '${code}' ends tests as a failure with that code`, async () => {
      const { adapter, clock } = setup({ testOutcome: code, testDuration: 10 });
      const created = await adapter.createConnection(oidcInput());
      const { testId } = await adapter.startTest(created.id, { mode: 'sp' });
      clock.advance(10);
      const result = await adapter.getTestResult(testId);
      expectSchema(TestResultSchema, result);
      expect(result.status).to.equal('failure');
      expect(result.error!.code).to.equal(code);
    });
  }

  it('a missing_email failure carries a profile without an email', async () => {
    const { adapter } = setup();
    const created = await adapter.createConnection(samlInput());
    const { testId } = await adapter.startTest(created.id, { mode: 'sp' });
    const result = await adapter.completeTest(testId, 'missing_email');
    expect(result.profile).to.not.equal(null);
    expect(result.profile).to.not.have.property('email');
    expect(result.rawAttributes).to.not.have.property('email');
  });

  it("setTestOutcome('success') after a failure outcome makes later tests succeed", async () => {
    const { adapter, clock } = setup({ testOutcome: 'timeout' });
    const created = await adapter.createConnection(samlInput());
    adapter.setTestOutcome('success');
    const { testId } = await adapter.startTest(created.id, { mode: 'sp' });
    clock.advance(1500);
    expect((await adapter.getTestResult(testId)).status).to.equal('success');
  });

  it('a per-connection outcome overrides the global one for that connection only', async () => {
    const { adapter, clock } = setup();
    const a = await adapter.createConnection(samlInput());
    const b = await adapter.createConnection(samlInput());
    adapter.setTestOutcome('signature_invalid');
    adapter.setTestOutcome('success', a.id);
    const testA = await adapter.startTest(a.id, { mode: 'sp' });
    const testB = await adapter.startTest(b.id, { mode: 'sp' });
    clock.advance(1500);
    expect((await adapter.getTestResult(testA.testId)).status).to.equal('success');
    expect((await adapter.getTestResult(testB.testId)).error!.code).to.equal('signature_invalid');
  });

  it('the outcome is fixed when the test starts, not when it settles', async () => {
    const { adapter, clock } = setup();
    const created = await adapter.createConnection(samlInput());
    const { testId } = await adapter.startTest(created.id, { mode: 'sp' });
    adapter.setTestOutcome('user_denied');
    clock.advance(1500);
    expect((await adapter.getTestResult(testId)).status).to.equal('success');
  });

  it('completeTest ends a pending test now, with the outcome it started with or an override', async () => {
    const { adapter, clock } = setup({ testOutcome: 'idp_error' });
    const created = await adapter.createConnection(samlInput());
    const first = await adapter.startTest(created.id, { mode: 'sp' });
    clock.advance(10);
    const completed = await adapter.completeTest(first.testId);
    expectSchema(TestResultSchema, completed);
    expect(completed.status).to.equal('failure');
    expect(completed.error!.code).to.equal('idp_error');
    expect(completed.completedAt).to.equal(clock.iso());
    expect(await adapter.getTestResult(first.testId)).to.deep.equal(completed);

    const second = await adapter.startTest(created.id, { mode: 'idp' });
    const overridden = await adapter.completeTest(second.testId, 'success');
    expect(overridden.status).to.equal('success');
    expect(overridden.mode).to.equal('idp');
    expect((await adapter.getConnection(created.id)).lastTest).to.deep.include({ id: second.testId, mode: 'idp', status: 'success' });
  });

  it('finishTest records a result judged elsewhere (a real login), once; the connection’s lastTest follows', async () => {
    const { adapter, clock } = setup({ testOutcome: 'timeout', testDuration: 60_000 });
    const created = await adapter.createConnection(samlInput());
    const { testId } = await adapter.startTest(created.id, { mode: 'sp' });
    clock.advance(5_000);
    const profile = { email: 'grace@megacorp.example', subject: 'grace@megacorp.example' };
    const finished = adapter.finishTest(testId, { status: 'success', profile, rawAttributes: { email: ['grace@megacorp.example'] }, error: null });
    expectSchema(TestResultSchema, finished);
    expect(finished).to.deep.include({ status: 'success', profile, completedAt: clock.iso() });
    expect((await adapter.getConnection(created.id)).lastTest).to.deep.include({ id: testId, status: 'success', stale: false });
    // A second answer does not change a finished test.
    const again = adapter.finishTest(testId, { status: 'failure', profile: null, rawAttributes: {}, error: { code: 'response_replayed', ...TEST_FAILURES.response_replayed } });
    expect(again).to.deep.equal(finished);
    clock.advance(120_000);
    expect(await adapter.getTestResult(testId)).to.deep.equal(finished);
    expect(() => adapter.finishTest('test_nope', finished)).to.throw(PortalError);
  });

  it('completeTest rejects test_not_found for an unknown test', async () => {
    const { adapter } = setup();
    let caught: unknown;
    try {
      await adapter.completeTest('test_nope');
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(PortalError);
    expect((caught as PortalError).code).to.equal('test_not_found');
  });

  it('getTestResult rejects test_not_found for an unknown test', async () => {
    const { adapter } = setup();
    const error = await expectCode(adapter.getTestResult('test_nope'), 'test_not_found');
    expect(error.details).to.deep.equal({ testId: 'test_nope' });
  });

  it('startTest rejects not_found for an unknown connection and validation_failed for a draft', async () => {
    const { adapter } = setup();
    await expectCode(adapter.startTest('conn_nope', { mode: 'sp' }), 'not_found');
    const draft = await adapter.createConnection({ protocol: 'saml', providerId: 'okta' });
    await expectCode(adapter.startTest(draft.id, { mode: 'sp' }), 'validation_failed');
    expect(await adapter.listTestResults(draft.id)).to.deep.equal([]);
  });

  it('startTest in idp mode rejects not_available when the session does not allow IdP-initiated tests', async () => {
    const { adapter } = setup({ seed: { session: { features: { saml: true, oidc: true, domains: true, idpInitiatedTest: false } } } });
    const created = await adapter.createConnection(samlInput());
    await expectCode(adapter.startTest(created.id, { mode: 'idp' }), 'not_available');
    expect((await adapter.startTest(created.id, { mode: 'sp' })).testId).to.be.a('string');
  });

  it('listTestResults returns the tests of one connection, newest first, schema-valid', async () => {
    const { adapter, clock } = setup();
    const a = await adapter.createConnection(samlInput());
    const b = await adapter.createConnection(samlInput());
    const first = await adapter.startTest(a.id, { mode: 'sp' });
    clock.advance(1000);
    await adapter.startTest(b.id, { mode: 'sp' });
    clock.advance(1000);
    const second = await adapter.startTest(a.id, { mode: 'idp' });
    clock.advance(1000);
    const third = await adapter.startTest(a.id, { mode: 'sp' });
    const results = await adapter.listTestResults(a.id);
    for (const r of results) expectSchema(TestResultSchema, r);
    expect(results.map((r) => r.id)).to.deep.equal([third.testId, second.testId, first.testId]);
    expect(results.every((r) => r.connectionId === a.id)).to.equal(true);
  });

  it('listTestResults puts the later of two tests started in the same millisecond first', async () => {
    const { adapter } = setup();
    const created = await adapter.createConnection(samlInput());
    const first = await adapter.startTest(created.id, { mode: 'sp' });
    const second = await adapter.startTest(created.id, { mode: 'sp' });
    const results = await adapter.listTestResults(created.id);
    expect(results.map((r) => r.id)).to.deep.equal([second.testId, first.testId]);
  });

  it('listTestResults includes seeded tests in startedAt order', async () => {
    const older = seededTest({ id: 'test_old', startedAt: '2029-01-01T00:00:00.000Z' });
    const newer = seededTest({ id: 'test_new', startedAt: '2029-06-01T00:00:00.000Z' });
    const { adapter } = setup({ seed: { connections: [seededSamlConnection()], tests: [older, newer] } });
    const { testId } = await adapter.startTest('conn_seed', { mode: 'sp' });
    expect((await adapter.listTestResults('conn_seed')).map((r) => r.id)).to.deep.equal([testId, 'test_new', 'test_old']);
    expect(await adapter.getTestResult('test_old')).to.deep.equal(older);
  });

  it('listTestResults rejects not_found for an unknown connection', async () => {
    const { adapter } = setup();
    await expectCode(adapter.listTestResults('conn_nope'), 'not_found');
  });

  it('returns copies: mutating a returned test result does not change the store', async () => {
    const { adapter } = setup();
    const created = await adapter.createConnection(samlInput());
    const { testId } = await adapter.startTest(created.id, { mode: 'sp' });
    const completed = await adapter.completeTest(testId, 'success');
    completed.status = 'failure';
    completed.profile!.email = 'mallory@evil.example';
    const listed = await adapter.listTestResults(created.id);
    listed[0]!.rawAttributes.email = ['mallory@evil.example'];
    const polled = await adapter.getTestResult(testId);
    polled.mode = 'idp';
    const fresh = await adapter.getTestResult(testId);
    expect(fresh.status).to.equal('success');
    expect(fresh.mode).to.equal('sp');
    expect(fresh.profile!.email).to.equal('ada@megacorp.example');
    expect(fresh.rawAttributes.email).to.deep.equal(['ada@megacorp.example']);
  });
});

describe('MemoryAdapter: domains', () => {
  it('starts with no domains and lists seeded ones', async () => {
    expect(await setup().adapter.listDomains()).to.deep.equal([]);
    const { adapter } = setup({ seed: { domains: [seededDomain()] } });
    expect(await adapter.listDomains()).to.deep.equal([seededDomain()]);
  });

  it('addDomain normalises case, whitespace and a trailing dot, and returns a pending, schema-valid domain', async () => {
    const { adapter } = setup();
    const domain = await adapter.addDomain('  MegaCorp.Example.  ');
    expectSchema(DomainSchema, domain);
    expect(domain).to.deep.include({
      name: 'megacorp.example',
      status: 'pending',
      method: 'dns_txt',
      verifiedAt: null,
      lastCheckedAt: null,
    });
    expect(domain.txtRecord.name).to.equal('_sso-verification.megacorp.example');
    expect(domain.txtRecord.value).to.match(/^sso-verification=\S+$/);
    expect(await adapter.listDomains()).to.deep.equal([domain]);
  });

  it('addDomain gives each domain its own TXT record value', async () => {
    const { adapter } = setup();
    const a = await adapter.addDomain('a.example');
    const b = await adapter.addDomain('b.example');
    expect(a.txtRecord.value).to.not.equal(b.txtRecord.value);
  });

  for (const bad of ['https://megacorp.example', 'megacorp.example/path', 'localhost', '', 'mega corp.example', '-megacorp.example', 'megacorp-.example', 'a..example', `${'a'.repeat(64)}.example`, 'user@megacorp.example', '*.megacorp.example']) {
    it(`addDomain rejects domain_invalid for ${JSON.stringify(bad)} and adds nothing`, async () => {
      const { adapter } = setup();
      const error = await expectCode(adapter.addDomain(bad), 'domain_invalid');
      expect(error.details).to.deep.equal({ name: bad });
      expect(await adapter.listDomains()).to.deep.equal([]);
    });
  }

  it('addDomain validates with normalizeDomain: its plain-language message, IDN stored as punycode', async () => {
    const { adapter } = setup();
    const error = await expectCode(adapter.addDomain('https://megacorp.example/login'), 'domain_invalid');
    expect(error.message).to.contain('Remove “https://” and the path');
    const idn = await adapter.addDomain('Bücher.example');
    expect(idn.name).to.equal('xn--bcher-kva.example');
    expect(idn.txtRecord.name).to.equal('_sso-verification.xn--bcher-kva.example');
    expect((await adapter.verifyDomain('bücher.example')).status, 'found by its Unicode form too').to.equal('verified');
    await adapter.removeDomain('BÜCHER.example.');
    expect(await adapter.listDomains()).to.deep.equal([]);
  });

  it('addDomain refuses a public email provider with domain_invalid, explaining why', async () => {
    const { adapter } = setup();
    const error = await expectCode(adapter.addDomain('GMail.com'), 'domain_invalid');
    expect(error.message).to.contain('anyone can get an address there');
    expect(error.details).to.deep.equal({ name: 'GMail.com', reason: 'domain_public_email' });
    expect(await adapter.listDomains()).to.deep.equal([]);
  });

  it('addDomain rejects domain_taken for a domain another organization verified (takenDomains option)', async () => {
    const { adapter } = setup({ takenDomains: ['Initech.example.'] });
    const error = await expectCode(adapter.addDomain('initech.example'), 'domain_taken');
    expect(error.details).to.deep.equal({ name: 'initech.example' });
    expect(await adapter.listDomains()).to.deep.equal([]);
    expect((await adapter.addDomain('megacorp.example')).status).to.equal('pending');
  });

  it('addDomain rejects a duplicate, even in another case, with conflict', async () => {
    const { adapter } = setup();
    const first = await adapter.addDomain('megacorp.example');
    const error = await expectCode(adapter.addDomain('MEGACORP.example'), 'conflict');
    expect(error.message).to.contain('megacorp.example');
    expect(await adapter.listDomains()).to.deep.equal([first]);
  });

  it('verifyDomain marks the domain verified when the DNS check passes', async () => {
    const { adapter, clock } = setup();
    await adapter.addDomain('megacorp.example');
    clock.advance(30_000);
    const verified = await adapter.verifyDomain('megacorp.example');
    expectSchema(DomainSchema, verified);
    expect(verified.status).to.equal('verified');
    expect(verified.verifiedAt).to.equal(clock.iso());
    expect(verified.lastCheckedAt).to.equal(clock.iso());
    expect(await adapter.listDomains()).to.deep.equal([verified]);
  });

  it('verifyDomain marks the domain failed when the verifyDomain option says the record is missing', async () => {
    const checked: string[] = [];
    const { adapter, clock } = setup({
      verifyDomain: (name) => {
        checked.push(name);
        return name !== 'megacorp.example';
      },
    });
    await adapter.addDomain('megacorp.example');
    await adapter.addDomain('other.example');
    clock.advance(1000);
    const failed = await adapter.verifyDomain('megacorp.example');
    expectSchema(DomainSchema, failed);
    expect(failed).to.deep.include({ status: 'failed', verifiedAt: null, lastCheckedAt: clock.iso() });
    expect((await adapter.verifyDomain('other.example')).status).to.equal('verified');
    expect(checked).to.deep.equal(['megacorp.example', 'other.example']);
  });

  it('a failed re-check does not un-verify a verified domain but records the check', async () => {
    let passes = true;
    const { adapter, clock } = setup({ verifyDomain: () => passes });
    await adapter.addDomain('megacorp.example');
    const verified = await adapter.verifyDomain('megacorp.example');
    passes = false;
    clock.advance(60_000);
    const rechecked = await adapter.verifyDomain('megacorp.example');
    expect(rechecked.status).to.equal('verified');
    expect(rechecked.verifiedAt).to.equal(verified.verifiedAt);
    expect(rechecked.lastCheckedAt).to.equal(clock.iso());
  });

  it('a failed domain can be verified later', async () => {
    let passes = false;
    const { adapter } = setup({ verifyDomain: () => passes });
    await adapter.addDomain('megacorp.example');
    expect((await adapter.verifyDomain('megacorp.example')).status).to.equal('failed');
    passes = true;
    expect((await adapter.verifyDomain('megacorp.example')).status).to.equal('verified');
  });

  it('verifyDomain and removeDomain reject not_found for an unknown domain', async () => {
    const { adapter } = setup();
    await expectCode(adapter.verifyDomain('nope.example'), 'not_found');
    await expectCode(adapter.removeDomain('nope.example'), 'not_found');
  });

  it('removeDomain removes the domain; removing it again rejects not_found', async () => {
    const { adapter } = setup({ seed: { domains: [seededDomain()] } });
    await adapter.addDomain('kept.example');
    expect(await adapter.removeDomain('seed.example')).to.equal(undefined);
    expect((await adapter.listDomains()).map((d) => d.name)).to.deep.equal(['kept.example']);
    await expectCode(adapter.removeDomain('seed.example'), 'not_found');
    await expectCode(adapter.verifyDomain('seed.example'), 'not_found');
  });

  it('returns copies: mutating a returned domain does not change the store', async () => {
    const { adapter } = setup();
    const added = await adapter.addDomain('megacorp.example');
    added.status = 'verified';
    added.txtRecord.value = 'forged';
    const listed = await adapter.listDomains();
    listed[0]!.name = 'evil.example';
    const verified = await adapter.verifyDomain('megacorp.example');
    verified.status = 'failed';
    const [fresh] = await adapter.listDomains();
    expect(fresh!.name).to.equal('megacorp.example');
    expect(fresh!.status).to.equal('verified');
    expect(fresh!.txtRecord.value).to.not.equal('forged');
  });
});

describe('MemoryAdapter: fault injection', () => {
  it('setFault makes every call of that method fail with the code, and only that method', async () => {
    const { adapter } = setup();
    adapter.setFault('listConnections', { code: 'rate_limited' });
    for (let i = 0; i < 3; i++) {
      const error = await expectCode(adapter.listConnections(), 'rate_limited');
      expect(error.retryable).to.equal(true);
      expect(error.details).to.deep.equal({ simulated: true, method: 'listConnections' });
    }
    await adapter.getSession();
    await adapter.listDomains();
  });

  it('setFault uses the given message', async () => {
    const { adapter } = setup();
    adapter.setFault('getSession', { code: 'forbidden', message: 'Token lacks scope portal:read' });
    const error = await expectCode(adapter.getSession(), 'forbidden');
    expect(error.message).to.equal('Token lacks scope portal:read');
  });

  for (const [method, call] of EVERY_METHOD) {
    it(`a fault on ${method} rejects it with the injected code`, async () => {
      const { adapter } = seededSetup();
      adapter.setFault(method, { code: 'server_error' });
      await expectCode(call(adapter), 'server_error');
    });
  }

  it('a faulted write changes nothing', async () => {
    const { adapter } = seededSetup();
    adapter.setFault('createConnection', { code: 'server_error' });
    adapter.setFault('updateConnection', { code: 'server_error' });
    adapter.setFault('deleteConnection', { code: 'server_error' });
    adapter.setFault('addDomain', { code: 'server_error' });
    adapter.setFault('removeDomain', { code: 'server_error' });
    await expectCode(adapter.createConnection(samlInput()), 'server_error');
    await expectCode(adapter.updateConnection('conn_seed', { name: 'x' }, { version: 4 }), 'server_error');
    await expectCode(adapter.deleteConnection('conn_seed'), 'server_error');
    await expectCode(adapter.addDomain('new.example'), 'server_error');
    await expectCode(adapter.removeDomain('seed.example'), 'server_error');
    expect(await adapter.listConnections()).to.deep.equal([seededSamlConnection({ metadataRefresh: PENDING_REFRESH })]);
    expect(await adapter.listDomains()).to.deep.equal([seededDomain()]);
  });

  it('a fault rate fails exactly the calls whose injected random number is below the rate', async () => {
    const { adapter } = setup({ random: sequence(0.49, 0.5, 0.99, 0, 0.25) });
    adapter.setFault('getSession', { code: 'server_error', rate: 0.5 });
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i++) {
      try {
        await adapter.getSession();
        outcomes.push('ok');
      } catch (error) {
        outcomes.push((error as PortalError).code);
      }
    }
    expect(outcomes).to.deep.equal(['server_error', 'ok', 'ok', 'server_error', 'server_error']);
  });

  it('a fault rate of 0 never fails', async () => {
    const { adapter } = setup({ random: sequence(0, 0, 0) });
    adapter.setFault('getSession', { code: 'server_error', rate: 0 });
    for (let i = 0; i < 3; i++) await adapter.getSession();
  });

  it('times fails that many calls, then the method works again', async () => {
    const { adapter } = setup();
    adapter.setFault('listDomains', { code: 'network', times: 2 });
    await expectCode(adapter.listDomains(), 'network');
    await expectCode(adapter.listDomains(), 'network');
    expect(await adapter.listDomains()).to.deep.equal([]);
    expect(await adapter.listDomains()).to.deep.equal([]);
  });

  it('times counts only calls that actually failed under a rate', async () => {
    const { adapter } = setup({ random: sequence(0.9, 0.1, 0.1) });
    adapter.setFault('getSession', { code: 'server_error', rate: 0.5, times: 1 });
    await adapter.getSession();
    await expectCode(adapter.getSession(), 'server_error');
    await adapter.getSession();
  });

  it('failNext fails only the next call of that method, with server_error by default', async () => {
    const { adapter } = setup();
    adapter.failNext('getSession');
    await adapter.listConnections();
    await expectCode(adapter.getSession(), 'server_error');
    await adapter.getSession();
    await adapter.getSession();
  });

  it('failNext uses the given code', async () => {
    const { adapter } = setup();
    adapter.failNext('addDomain', 'domain_taken');
    await expectCode(adapter.addDomain('taken.example'), 'domain_taken');
    expect((await adapter.addDomain('taken.example')).name).to.equal('taken.example');
  });

  it('clearFaults removes every injected fault', async () => {
    const { adapter } = setup();
    adapter.setFault('getSession', { code: 'server_error' });
    adapter.setFault('listDomains', { code: 'network' });
    adapter.failNext('listConnections');
    adapter.clearFaults();
    await adapter.getSession();
    await adapter.listDomains();
    await adapter.listConnections();
  });

  it('a later setFault on the same method replaces the earlier rule', async () => {
    const { adapter } = setup();
    adapter.setFault('getSession', { code: 'server_error' });
    adapter.setFault('getSession', { code: 'forbidden' });
    await expectCode(adapter.getSession(), 'forbidden');
  });

  it('the rule object passed to setFault is copied, so times is not consumed from the caller’s object', async () => {
    const { adapter } = setup();
    const rule = { code: 'server_error' as const, times: 1 };
    adapter.setFault('getSession', rule);
    await expectCode(adapter.getSession(), 'server_error');
    expect(rule.times).to.equal(1);
  });
});

describe('MemoryAdapter: latency and abort', () => {
  it('aborting during a long latency rejects aborted promptly', async () => {
    const { adapter } = setup({ latency: 10_000 });
    const controller = new AbortController();
    const started = performance.now();
    const pending = adapter.getSession({ signal: controller.signal });
    controller.abort();
    const error = await expectCode(pending, 'aborted');
    expect(error.retryable).to.equal(true);
    expect(error.cause).to.equal(controller.signal.reason);
    expect(performance.now() - started).to.be.below(1000);
  });

  it('the abort reason is kept as the cause', async () => {
    const { adapter } = setup({ latency: 10_000 });
    const controller = new AbortController();
    const pending = adapter.listConnections({ signal: controller.signal });
    const reason = new Error('user navigated away');
    controller.abort(reason);
    expect((await expectCode(pending, 'aborted')).cause).to.equal(reason);
  });

  it('aborting a write during its latency changes nothing', async () => {
    const { adapter } = seededSetup({ latency: 10_000 });
    const controller = new AbortController();
    const create = adapter.createConnection(samlInput(), { signal: controller.signal });
    const remove = adapter.deleteConnection('conn_seed', { signal: controller.signal });
    const domain = adapter.addDomain('aborted.example', { signal: controller.signal });
    controller.abort();
    await expectCode(create, 'aborted');
    await expectCode(remove, 'aborted');
    await expectCode(domain, 'aborted');
    adapter.setLatency(0);
    expect(await adapter.listConnections()).to.deep.equal([seededSamlConnection({ metadataRefresh: PENDING_REFRESH })]);
    expect(await adapter.listDomains()).to.deep.equal([seededDomain()]);
  });

  it('aborting one request leaves others with other signals running', async () => {
    const { adapter } = setup({ latency: 10_000 });
    const aborted = new AbortController();
    const other = new AbortController();
    const first = adapter.getSession({ signal: aborted.signal });
    const second = adapter.getSession({ signal: other.signal });
    aborted.abort();
    await expectCode(first, 'aborted');
    let secondSettled = false;
    void second.then(
      () => (secondSettled = true),
      () => (secondSettled = true),
    );
    await Promise.resolve();
    expect(secondSettled).to.equal(false);
    other.abort();
    await expectCode(second, 'aborted');
  });

  it('a latency range is abortable too', async () => {
    const { adapter } = setup({ latency: { min: 10_000, max: 20_000 }, random: () => 0.5 });
    const controller = new AbortController();
    const pending = adapter.listDomains({ signal: controller.signal });
    controller.abort();
    await expectCode(pending, 'aborted');
  });

  it('setLatency changes the delay of later calls', async () => {
    const { adapter } = setup();
    adapter.setLatency(10_000);
    const controller = new AbortController();
    const pending = adapter.getSession({ signal: controller.signal });
    controller.abort();
    await expectCode(pending, 'aborted');
  });

  for (const [method, call] of EVERY_METHOD) {
    it(`${method} rejects aborted at once when its signal is already aborted, and changes nothing`, async () => {
      const { adapter } = seededSetup();
      const before = JSON.stringify([await adapter.listConnections(), await adapter.listDomains()]);
      await expectCode(call(adapter, { signal: AbortSignal.abort() }), 'aborted');
      expect(JSON.stringify([await adapter.listConnections(), await adapter.listDomains()])).to.equal(before);
    });
  }

  it('an already-aborted signal wins over an injected fault and over expiry', async () => {
    const { adapter } = setup();
    adapter.setFault('getSession', { code: 'server_error' });
    await expectCode(adapter.getSession({ signal: AbortSignal.abort() }), 'aborted');
    adapter.expireSession();
    await expectCode(adapter.getSession({ signal: AbortSignal.abort() }), 'aborted');
  });

  it('a signal that is never aborted does not disturb a call without latency', async () => {
    const { adapter } = setup();
    const controller = new AbortController();
    expect((await adapter.getSession({ signal: controller.signal })).organization.id).to.equal('org_demo');
  });
});

describe('MemoryAdapter: review fixes', () => {
  it('never logs a client secret in `calls`', async () => {
    const { adapter } = setup();
    await adapter.createConnection(oidcInput());
    expect(JSON.stringify(adapter.calls)).not.to.contain(SECRET);
    expect(JSON.stringify(adapter.calls)).to.contain('[redacted]');
  });

  it('leaves a finished test as it is when completeTest is called again', async () => {
    const { adapter } = setup();
    const created = await adapter.createConnection(samlInput());
    const { testId } = await adapter.startTest(created.id, { mode: 'sp' });
    await adapter.completeTest(testId, 'audience_mismatch');
    const again = await adapter.completeTest(testId, 'success');
    expect(again.status).to.equal('failure');
    expect(again.error!.code).to.equal('audience_mismatch');
  });

  it('keeps a never-activated connection "configured" when it is turned off', async () => {
    const { adapter } = setup();
    const created = await adapter.createConnection(samlInput());
    expect(created.status).to.equal('configured');
    const off = await adapter.setConnectionEnabled(created.id, false, { version: created.version });
    expect(off.status).to.equal('configured');
  });

  it('finds domains whatever their case when verifying and removing', async () => {
    const { adapter } = setup();
    await adapter.addDomain('Example.COM');
    expect((await adapter.verifyDomain('EXAMPLE.com')).status).to.equal('verified');
    await adapter.removeDomain('Example.com.');
    expect(await adapter.listDomains()).to.deep.equal([]);
  });

  it('does not let an older test read late replace the newer last test', async () => {
    const { adapter, clock } = setup({ testDuration: 1000 });
    const created = await adapter.createConnection(samlInput());
    const older = await adapter.startTest(created.id, { mode: 'sp' });
    clock.advance(10);
    const newer = await adapter.startTest(created.id, { mode: 'sp' });
    await adapter.completeTest(newer.testId, 'success');
    await adapter.completeTest(older.testId, 'audience_mismatch');
    const after = await adapter.getConnection(created.id);
    expect(after.lastTest!.id).to.equal(newer.testId);
    expect(after.lastTest!.status).to.equal('success');
  });
});
