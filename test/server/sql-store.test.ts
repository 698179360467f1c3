/// <reference types="node" />
/**
 * `SqlStore` (`src/server/store/sql-store.ts`) on the run's database (PGlite by default,
 * PostgreSQL with `SSO_PORTAL_TEST_DATABASE=postgres`): rows, order, sealing, revocation,
 * pruning, and one transaction per change of an organization's state.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { PortalError } from '../../src/core/errors.js';
import type { Connection, Domain, TestResult } from '../../src/core/model.js';
import type { Database } from '../../src/server/db/database.js';
import { SqlStore } from '../../src/server/store/sql-store.js';
import type { OrganizationData } from '../../src/server/types.js';
import { openTestDatabase } from '../support/test-database.js';
import { testSecretBox } from './helpers.js';

const AT = '2026-03-01T10:00:00.000Z';
const secrets = testSecretBox();
let database: Database;
let store: SqlStore;

before(async () => {
  database = await openTestDatabase();
  store = new SqlStore(database, secrets);
});
after(() => database.close());

const connection = (id: string, extra: Partial<Connection> = {}): Connection => ({
  id,
  protocol: 'oidc',
  providerId: 'okta',
  name: `Connection ${id}`,
  status: 'draft',
  saml: null,
  oidc: { issuer: 'https://idp.example', clientId: 'client', clientSecretSet: true, scopes: ['openid', 'email'] },
  attributeMapping: { email: 'email' },
  lastTest: null,
  version: 1,
  createdAt: AT,
  updatedAt: AT,
  ...extra,
});

const pendingTest = (id: string, connectionId: string): TestResult => ({
  id,
  connectionId,
  mode: 'sp',
  status: 'pending',
  profile: null,
  rawAttributes: {},
  error: null,
  startedAt: AT,
  completedAt: null,
});

const domain = (name: string, status: Domain['status'] = 'pending'): Domain => ({
  name,
  status,
  txtRecord: { name: `_sso.${name}`, value: `sso-verification=${name}` },
  method: 'dns_txt',
  verifiedAt: status === 'verified' ? AT : null,
  lastCheckedAt: status === 'verified' ? AT : null,
});

/** A copy with every object's keys in reverse order. */
const reversedKeys = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(reversedKeys)
    : typeof value === 'object' && value !== null
      ? Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversedKeys(v)]))
      : value;

let organizations = 0;
async function organization(): Promise<string> {
  const id = `org_store${++organizations}`;
  await store.putOrganization({ id, name: `Org ${organizations}`, branding: { name: 'Acme' }, createdAt: AT });
  return id;
}

/** Replaces the state with `data` (one transaction). */
const put = (orgId: string, change: (data: OrganizationData) => OrganizationData) =>
  store.updateOrganizationData(orgId, (data) => Promise.resolve({ data: change(data), result: undefined }));

describe('SqlStore', () => {
  test('an organization state round-trips: connections (columns + config), tests, domains, secrets sealed with the key id', async () => {
    const orgId = await organization();
    const data: OrganizationData = {
      connections: [connection('conn_a')],
      domains: [domain('megacorp.example')],
      tests: [pendingTest('test_a', 'conn_a')],
      secrets: { conn_a: 'TOP-SECRET' },
    };
    await put(orgId, () => data);
    assert.deepEqual(await store.getOrganizationData(orgId), data);
    const row = await database.db.selectFrom('client_secrets').selectAll().where('connection_id', '=', 'conn_a').executeTakeFirstOrThrow();
    assert.match(row.ciphertext, /^enc:v1:/);
    assert.equal(row.key_id, secrets.keyId);
    assert.equal(secrets.open(row.ciphertext), 'TOP-SECRET');
    const columns = await database.db.selectFrom('connections').selectAll().where('id', '=', 'conn_a').executeTakeFirstOrThrow();
    assert.equal(columns.provider_id, 'okta');
    assert.equal((columns.config as { oidc?: unknown }).oidc !== undefined, true);
    assert.equal('id' in columns.config, false, 'columns are not repeated in config');
  });

  test('a change writes only what changed (other rows keep the transaction that last wrote them)', async () => {
    const orgId = await organization();
    await put(orgId, () => ({ connections: [connection('conn_w')], domains: [domain('w.example')], tests: [pendingTest('test_w', 'conn_w')], secrets: { conn_w: 's' } }));
    const writers = async () => {
      const read = async (table: 'connections' | 'domains' | 'test_results' | 'client_secrets') =>
        (await sql<{ xmin: string }>`select xmin::text as xmin from ${sql.table(table)} where organization_id = ${orgId}`.execute(database.db)).rows.map((r) => r.xmin);
      return { connections: await read('connections'), domains: await read('domains'), tests: await read('test_results'), secrets: await read('client_secrets') };
    };
    const before = await writers();
    // The same state as read, with its objects rebuilt in another key order: nothing to write.
    await put(orgId, (data) => reversedKeys(data) as OrganizationData);
    await put(orgId, (data) => ({ ...data, domains: [...data.domains, domain('other.example')] }));
    const after = await writers();
    assert.deepEqual([after.connections, after.tests, after.secrets], [before.connections, before.tests, before.secrets]);
    assert.equal(after.domains.length, 2);
    assert.ok(after.domains.includes(before.domains[0]!), 'the domain that did not change was not written');
  });

  test('rows made in the same clock millisecond keep the order they were made in (connections, tests), also after a deletion', async () => {
    const orgId = await organization();
    const ids = ['conn_z', 'conn_y', 'conn_m', 'conn_b'];
    for (const id of ids) await put(orgId, (data) => ({ ...data, connections: [...data.connections, connection(id)] }));
    assert.deepEqual((await store.getOrganizationData(orgId)).connections.map((c) => c.id), ids);
    // One deleted, one more added: still after the others.
    await put(orgId, (data) => ({ ...data, connections: data.connections.filter((c) => c.id !== 'conn_y') }));
    await put(orgId, (data) => ({ ...data, connections: [...data.connections, connection('conn_0')] }));
    assert.deepEqual((await store.getOrganizationData(orgId)).connections.map((c) => c.id), ['conn_z', 'conn_m', 'conn_b', 'conn_0']);
    for (const id of ['test_z', 'test_y', 'test_m']) await put(orgId, (data) => ({ ...data, tests: [pendingTest(id, 'conn_z'), ...data.tests] }));
    assert.deepEqual((await store.getOrganizationData(orgId)).tests.map((t) => t.id), ['test_z', 'test_y', 'test_m'], 'stored oldest first');
  });

  test('a version bump goes through the conditional update; a change without one keeps the version', async () => {
    const orgId = await organization();
    await put(orgId, () => ({ connections: [connection('conn_v')], domains: [], tests: [], secrets: {} }));
    await put(orgId, (data) => ({ ...data, connections: [{ ...data.connections[0]!, name: 'Renamed', version: 2 }] }));
    assert.equal((await store.getOrganizationData(orgId)).connections[0]!.version, 2);
    const lastTest = { id: 'test_v', mode: 'sp' as const, status: 'success' as const, at: AT, stale: false };
    await put(orgId, (data) => ({ ...data, connections: [{ ...data.connections[0]!, lastTest }] }));
    const stored = (await store.getOrganizationData(orgId)).connections[0]!;
    assert.deepEqual([stored.name, stored.version, stored.lastTest], ['Renamed', 2, lastTest]);
    // A state whose version moved by more than one write is refused (another write came between).
    await assert.rejects(
      put(orgId, (data) => ({ ...data, connections: [{ ...data.connections[0]!, name: 'Skipped', version: 4 }] })),
      (error: unknown) => error instanceof PortalError && error.code === 'conflict',
    );
    assert.equal((await store.getOrganizationData(orgId)).connections[0]!.name, 'Renamed');
  });

  test('a domain verified by another organization: domain_taken, decided by the unique index', async () => {
    const one = await organization();
    const two = await organization();
    await put(one, (data) => ({ ...data, domains: [domain('taken.example', 'verified')] }));
    assert.equal((await store.verifiedOwnerOf('taken.example'))?.id, one);
    assert.equal(await store.verifiedOwnerOf('taken.example', one), undefined);
    await put(two, (data) => ({ ...data, connections: [connection('conn_two')], domains: [domain('taken.example')] }));
    await assert.rejects(
      put(two, (data) => ({ ...data, connections: [{ ...data.connections[0]!, name: 'Renamed', version: 2 }], domains: [domain('taken.example', 'verified')], secrets: { conn_two: 'x' } })),
      (error: unknown) => error instanceof PortalError && error.code === 'domain_taken' && (error.details as { name?: string }).name === 'taken.example',
    );
    const after = await store.getOrganizationData(two);
    assert.equal(after.domains[0]!.status, 'pending');
    assert.deepEqual([after.connections[0]!.name, after.secrets], ['Connection conn_two', {}], 'nothing of the change was written (one transaction)');
  });

  test('an unknown organization: not_found, nothing written', async () => {
    await assert.rejects(
      put('org_nobody', (data) => ({ ...data, connections: [connection('conn_orphan')] })),
      (error: unknown) => error instanceof PortalError && error.code === 'not_found',
    );
  });

  test('links: revocation is one row update (kept at the first time), pruning forgets links that ended before the cut-off', async () => {
    const orgId = await organization();
    const link = (id: string, expiresAt: string, revokedAt: string | null = null) => ({ id, organizationId: orgId, tokenHash: `hash_${id}`, createdAt: AT, expiresAt, revokedAt });
    await store.putLink(link('link_live', '2026-03-10T00:00:00.000Z'));
    await store.putLink(link('link_old', '2026-03-02T00:00:00.000Z'));
    await store.putLink(link('link_revoked', '2026-03-10T00:00:00.000Z', '2026-03-01T12:00:00.000Z'));
    assert.equal(await store.revokeLink('link_live', '2026-03-05T00:00:00.000Z'), true);
    assert.equal(await store.revokeLink('link_live', '2026-03-06T00:00:00.000Z'), true);
    assert.equal((await store.getLink('link_live'))?.revokedAt, '2026-03-05T00:00:00.000Z');
    assert.equal(await store.revokeLink('link_nothing', AT), false);
    assert.equal((await store.findLinkByTokenHash('hash_link_old'))?.id, 'link_old');
    await store.pruneLinks('2026-03-03T00:00:00.000Z');
    assert.deepEqual((await store.listLinks(orgId)).map((l) => l.id), ['link_live']);
  });

  test('settings, and ready() while every migration is applied', async () => {
    assert.equal(await store.getSetting('nothing'), undefined);
    await store.putSetting('a', '1');
    await store.putSetting('a', '2');
    assert.equal(await store.getSetting('a'), '2');
    await store.ready();
  });
});
