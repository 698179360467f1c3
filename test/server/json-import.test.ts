/// <reference types="node" />
/**
 * Issue 11 "Migrations: from an empty database, and from a JSON data folder of the current
 * version": a data folder written by the current JsonFileStore is imported once into a fresh
 * migrated database (PGlite and PostgreSQL), and every row reads back as it was.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Connection, Domain, TestResult } from '../../src/core/model.js';
import type { Database } from '../../src/server/db/database.js';
import { describeJsonImport, importJsonStore, JSON_IMPORT_SETTING, JsonImportError } from '../../src/server/db/json-import.js';
import { connectionFromRow, domainFromRow, linkFromRow, organizationFromRow, testResultFromRow } from '../../src/server/db/rows.js';
import type { DatabaseSchema } from '../../src/server/db/schema.js';
import { createSecretBox, type SecretBox } from '../../src/server/secret-box.js';
import { JsonFileStore, STORE_FILE } from '../../src/server/store/json-file-store.js';
import type { LinkRecord, OrganizationRecord } from '../../src/server/types.js';
import { testDatabases, testDatabaseKind } from '../support/test-database.js';
import { createSigningKey } from '../support/saml-test-idp.js';
import { temporaryFolders } from './helpers.js';

const folder = temporaryFolders('json-import');
const NOW = new Date('2026-03-01T10:00:00.000Z');
const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const CLIENT_SECRET = 'the-client-secret-\u00e9\u2603';

const ORGS: OrganizationRecord[] = [
  { id: 'org_a', name: 'Megacorp', branding: { name: 'Acme', accentColor: '#4f46e5', logoUrl: 'https://acme.example/logo.svg' }, createdAt: '2026-01-01T00:00:00.000Z' },
  { id: 'org_b', name: 'Initech', branding: { name: 'Acme' }, createdAt: '2026-01-02T00:00:00.000Z' },
];

const LINKS: LinkRecord[] = [
  { id: 'lnk_1', organizationId: 'org_a', tokenHash: 'hash-1', createdAt: '2026-02-01T00:00:00.000Z', expiresAt: '2026-03-08T00:00:00.000Z', revokedAt: null },
  { id: 'lnk_2', organizationId: 'org_a', tokenHash: 'hash-2', createdAt: '2026-02-02T00:00:00.000Z', expiresAt: '2026-03-09T00:00:00.000Z', revokedAt: '2026-02-03T00:00:00.000Z' },
  { id: 'lnk_3', organizationId: 'org_b', tokenHash: 'hash-3', createdAt: '2026-02-04T00:00:00.000Z', expiresAt: '2026-03-10T00:00:00.000Z', revokedAt: null },
];

const SAML: Connection = {
  id: 'con_saml',
  protocol: 'saml',
  providerId: 'okta',
  name: 'Okta (production)',
  status: 'active',
  saml: { idpEntityId: 'http://www.okta.com/exk1', ssoUrl: 'https://megacorp.okta.com/app/sso/saml', ssoBinding: 'post', signingCertificates: [CERT], metadataUrl: 'https://megacorp.okta.com/app/metadata' },
  oidc: null,
  attributeMapping: { email: 'email', firstName: 'firstName', groups: 'groups' },
  lastTest: { id: 'tst_1', mode: 'sp', status: 'success', at: '2026-02-10T00:00:01.000Z', stale: false },
  certificateExpiresAt: '2030-01-01T00:00:00.000Z',
  metadataRefresh: { checkedAt: '2026-02-20T00:00:00.000Z', status: 'unchanged' },
  version: 7,
  createdAt: '2026-02-05T00:00:00.000Z',
  updatedAt: '2026-02-10T00:00:00.000Z',
};

const OIDC: Connection = {
  id: 'con_oidc',
  protocol: 'oidc',
  providerId: 'entra-id',
  status: 'configured',
  saml: null,
  oidc: { issuer: 'https://login.microsoftonline.com/tenant/v2.0', clientId: 'client-123', clientSecretSet: true, scopes: ['openid', 'email', 'profile'] },
  attributeMapping: { email: 'email' },
  lastTest: null,
  version: 1,
  createdAt: '2026-02-06T00:00:00.000Z',
  updatedAt: '2026-02-06T00:00:00.000Z',
};

const TESTS: TestResult[] = [
  {
    id: 'tst_1',
    connectionId: 'con_saml',
    mode: 'sp',
    status: 'success',
    profile: { email: 'ada@megacorp.example', firstName: 'Ada', groups: ['admins'], subject: 'ada' },
    rawAttributes: { email: ['ada@megacorp.example'], groups: ['admins'] },
    error: null,
    warnings: [{ code: 'domain_not_verified', message: 'No verified domain.', remedy: 'Verify one.' }],
    startedAt: '2026-02-10T00:00:00.000Z',
    completedAt: '2026-02-10T00:00:01.000Z',
  },
  {
    id: 'tst_2',
    connectionId: 'con_oidc',
    mode: 'sp',
    status: 'failure',
    profile: null,
    rawAttributes: {},
    error: { code: 'oidc_invalid_client', message: 'The IdP refused the client.', remedy: 'Check the secret.', details: { status: 401 } },
    startedAt: '2026-02-11T00:00:00.000Z',
    completedAt: '2026-02-11T00:00:02.000Z',
  },
  { id: 'tst_3', connectionId: 'con_oidc', mode: 'idp', status: 'pending', profile: null, rawAttributes: {}, error: null, startedAt: '2026-02-12T00:00:00.000Z', completedAt: null },
];

const DOMAINS: Domain[] = [
  {
    name: 'megacorp.example',
    status: 'verified',
    txtRecord: { name: '_sso-portal.megacorp.example', value: 'sso-portal-verification=abc' },
    method: 'dns_txt',
    verifiedAt: '2026-02-15T00:00:00.000Z',
    lastCheckedAt: '2026-02-15T00:00:00.000Z',
    lastCheck: { result: 'verified', message: 'Found.', found: ['sso-portal-verification=abc'] },
  },
  { name: 'megacorp.test', status: 'pending', txtRecord: { name: '_sso-portal.megacorp.test', value: 'sso-portal-verification=def' }, method: 'dns_txt', verifiedAt: null, lastCheckedAt: null },
];

const SETTINGS = { 'settings-links': '["lnk_1"]', 'metadata-refresh:org_a': '{"con_saml":{"etag":"x"}}' };

/** A data folder of the current version, written by the JsonFileStore itself. */
async function jsonDataFolder(): Promise<string> {
  const dir = await folder();
  const store = await JsonFileStore.open(dir);
  for (const o of ORGS) await store.putOrganization(o);
  for (const l of LINKS) await store.putLink(l);
  await store.putOrganizationData('org_a', { connections: [SAML, OIDC], domains: DOMAINS, tests: TESTS, secrets: { con_oidc: CLIENT_SECRET } });
  for (const [name, value] of Object.entries(SETTINGS)) await store.putSetting(name, value);
  await store.putAcceptedAssertions({ expired: NOW.getTime() - 1000, live: NOW.getTime() + 60_000 });
  await store.close();
  const written = await readFile(join(dir, STORE_FILE), 'utf8');
  assert.ok(written.includes('enc:v1:') && !written.includes(CLIENT_SECRET), 'the JSON store encrypted the secret');
  return dir;
}

const count = async (database: Database, table: keyof DatabaseSchema) =>
  Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

const CONTENT_TABLES: (keyof DatabaseSchema)[] = ['organizations', 'portal_links', 'connections', 'client_secrets', 'test_results', 'domains', 'settings'];

// Each pass of the server suite (`npm test`: PGlite, then PostgreSQL) tests its own database.
for (const kind of [testDatabaseKind()]) {
  describe(`JSON data folder import (${kind})`, () => {
    const database = testDatabases(kind);
    const box: SecretBox = createSecretBox(Buffer.alloc(32, 3));

    test('from an empty database: nothing to import without store.json, and the schema is there', async () => {
      const d = await database();
      assert.equal(await importJsonStore(d, box, await folder(), NOW), null);
      for (const table of CONTENT_TABLES) assert.equal(await count(d, table), 0, table);
    });

    test('every record reads back as it was; secrets sealed with the new box; store.json kept; a second import does nothing', async () => {
      const dir = await jsonDataFolder();
      const before = await readFile(join(dir, STORE_FILE), 'utf8');
      const d = await database();
      const summary = await importJsonStore(d, box, dir, NOW);
      assert.deepEqual(summary, {
        file: join(dir, STORE_FILE),
        organizations: 2,
        links: 3,
        connections: 2,
        clientSecrets: 1,
        tests: 3,
        domains: 2,
        settings: 2,
        droppedAssertions: 1,
      });
      assert.match(describeJsonImport(summary), /^Imported .*store\.json into the database: 2 organizations, 3 links, 2 connections \(1 client secret\), 3 tests, 2 domains, 2 settings; 1 accepted SAML assertion not carried over\. The file is kept as a backup\.$/);

      const db = d.db;
      assert.deepEqual((await db.selectFrom('organizations').selectAll().orderBy('id').execute()).map(organizationFromRow), ORGS);
      assert.deepEqual((await db.selectFrom('portal_links').selectAll().orderBy('id').execute()).map(linkFromRow), LINKS);
      const connections = await db.selectFrom('connections').selectAll().orderBy('id').execute();
      assert.deepEqual(connections.map(connectionFromRow), [OIDC, SAML]);
      assert.deepEqual(connections.map((c) => c.organization_id), ['org_a', 'org_a']);
      assert.deepEqual(connections.find((c) => c.id === 'con_saml')?.config, {
        saml: SAML.saml,
        oidc: null,
        attributeMapping: SAML.attributeMapping,
        lastTest: SAML.lastTest,
        certificateExpiresAt: SAML.certificateExpiresAt,
        metadataRefresh: SAML.metadataRefresh,
      });
      const [secret, ...more] = await db.selectFrom('client_secrets').selectAll().execute();
      assert.equal(more.length, 0);
      assert.equal(secret?.connection_id, 'con_oidc');
      assert.equal(secret?.organization_id, 'org_a');
      assert.equal(secret?.key_id, box.keyId);
      assert.ok(!secret?.ciphertext.includes(CLIENT_SECRET));
      assert.equal(box.open(secret.ciphertext), CLIENT_SECRET);
      const tests = await db.selectFrom('test_results').selectAll().orderBy('id').execute();
      assert.deepEqual(tests.map(testResultFromRow), TESTS);
      assert.ok(tests.every((t) => t.organization_id === 'org_a'));
      assert.deepEqual((await db.selectFrom('domains').selectAll().orderBy('name').execute()).map(domainFromRow), DOMAINS);
      const settings = Object.fromEntries((await db.selectFrom('settings').selectAll().execute()).map((s) => [s.name, s.value]));
      assert.deepEqual(Object.keys(settings).sort(), [JSON_IMPORT_SETTING, ...Object.keys(SETTINGS)].sort());
      for (const [name, value] of Object.entries(SETTINGS)) assert.equal(settings[name], value);
      assert.equal(await count(d, 'replay_cache'), 0);

      assert.equal(await readFile(join(dir, STORE_FILE), 'utf8'), before, 'store.json is kept as it was');
      assert.equal(await importJsonStore(d, box, dir, NOW), null, 'a second import does nothing');
      assert.equal(await count(d, 'organizations'), 2);
    });

    test('two imports at once: one imports, the other does nothing', async () => {
      const dir = await jsonDataFolder();
      const d = await database();
      const results = await Promise.all([importJsonStore(d, box, dir, NOW), importJsonStore(d, box, dir, NOW)]);
      assert.equal(results.filter((r) => r !== null).length, 1);
      assert.equal(await count(d, 'connections'), 2);
    });

    test('a damaged store.json is a clear error that names the file; the database is not changed', async () => {
      const dir = await folder();
      await writeFile(join(dir, STORE_FILE), '{"format": 1, "organizations": {');
      const d = await database();
      await assert.rejects(importJsonStore(d, box, dir, NOW), (error: unknown) => {
        assert.ok(error instanceof JsonImportError);
        assert.match(error.message, new RegExp(`^Cannot import ${join(dir, STORE_FILE).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} into the database: it is not valid JSON .*Fix or restore the file`));
        return true;
      });
      await writeFile(join(dir, STORE_FILE), '{"format": 2}');
      await assert.rejects(importJsonStore(d, box, dir, NOW), /Cannot import .*store\.json into the database: .*store\.json is not an SSO portal store/);
      for (const table of CONTENT_TABLES) assert.equal(await count(d, table), 0, table);
    });

    test('an import that fails half-way leaves the database empty (one transaction)', async () => {
      const dir = await jsonDataFolder();
      const d = await database();
      // The domains go in after the organizations, links, connections, secrets and tests: make them fail
      // (megacorp.example is already verified by another organization).
      await d.db.insertInto('organizations').values({ id: 'org_x', name: 'X', branding: { name: 'X' } }).execute();
      await d.db.insertInto('domains').values({ organization_id: 'org_x', name: 'megacorp.example', status: 'verified', method: 'manual', txt_record_name: 'n', txt_record_value: 'v' }).execute();
      await assert.rejects(importJsonStore(d, box, dir, NOW), (error: unknown) => {
        assert.ok(error instanceof JsonImportError);
        assert.match(error.message, /^Cannot import .*store\.json into the database: .*domains_verified_name_key.*\. The database was not changed \(one transaction\); .*store\.json is kept as it is\.$/);
        return true;
      });
      assert.deepEqual(await d.db.selectFrom('organizations').select('id').execute(), [{ id: 'org_x' }]);
      for (const table of ['portal_links', 'connections', 'client_secrets', 'test_results', 'settings'] as const) assert.equal(await count(d, table), 0, table);
      assert.equal(await count(d, 'domains'), 1);
    });

    test('a connection written with more than 5 signing certificates (the old limit was 10) comes in with the best 5', async () => {
      const dir = await folder();
      // Two expired (made in 2020, valid 3 years), then five valid now, in this order.
      const made = await Promise.all([...[1, 2].map((m) => createSigningKey(`old ${m}`, new Date(`2020-0${m}-01T00:00:00Z`))), ...[1, 2, 3, 4, 5].map((m) => createSigningKey(`current ${m}`, new Date(`2026-0${m}-01T00:00:00Z`)))]);
      const stored = [made[2]!, made[0]!, made[3]!, made[4]!, made[1]!, made[5]!, made[6]!].map((k) => k.certPem);
      const store = await JsonFileStore.open(dir);
      await store.putOrganization(ORGS[0]!);
      await store.putOrganizationData('org_a', { connections: [{ ...SAML, saml: { ...SAML.saml!, signingCertificates: stored } }], domains: [], tests: [], secrets: {} });
      await store.close();
      const d = await database();
      await importJsonStore(d, box, dir, NOW);
      const row = await d.db.selectFrom('connections').select('config').where('id', '=', SAML.id).executeTakeFirstOrThrow();
      const kept = (row.config as unknown as { saml: { signingCertificates: string[] } }).saml.signingCertificates;
      assert.deepEqual(kept, [made[2]!, made[3]!, made[4]!, made[5]!, made[6]!].map((k) => k.certPem));
    });
  });
}
