/// <reference types="node" />
/**
 * Upgrading: a data folder written by the JSON store of the previous version (`store.json` +
 * `secrets.key`), then the server of this version started on it (`src/server/main.ts`, on the
 * run's database). Everything the admin set up is there through the API (the OIDC client secret
 * still set: decrypted with the old key file, sealed again in the database), the old file is
 * left as it was, and a second start imports nothing.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Connection } from '../../src/core/model.js';
import { hashToken } from '../../src/server/server-types.js';
import { JsonFileStore, STORE_FILE } from '../../src/server/store/json-file-store.js';
import { createPostgresDatabase, testDatabaseKind } from '../support/test-database.js';
import { ADMIN_KEY, temporaryFolders } from './helpers.js';
import { runServer } from './server-process.js';

const tempDir = temporaryFolders('upgrade');
const TOKEN = 'upgrade-token-0123456789abcdefghijklmnop';

test('a JSON data folder of the previous version is imported at the first start, once, and kept as a backup', async () => {
  const dir = await tempDir();
  const now = Date.now();
  const at = (ms: number) => new Date(now + ms).toISOString();
  const connection: Connection = {
    id: 'con_upgraded',
    protocol: 'oidc',
    providerId: 'okta',
    name: 'Okta from before',
    status: 'configured',
    saml: null,
    oidc: { issuer: 'https://megacorp.okta.example', clientId: 'client-before', clientSecretSet: true, scopes: ['openid', 'email', 'profile'] },
    attributeMapping: { email: 'email' },
    lastTest: null,
    version: 3,
    createdAt: at(-86_400_000),
    updatedAt: at(-3_600_000),
  };
  const old = await JsonFileStore.open(dir);
  await old.putOrganization({ id: 'org_upgraded', name: 'Upgraded Corp', branding: { name: 'Acme' }, createdAt: at(-86_400_000) });
  await old.putLink({ id: 'lnk_upgraded', organizationId: 'org_upgraded', tokenHash: hashToken(TOKEN), createdAt: at(-3_600_000), expiresAt: at(86_400_000), revokedAt: null });
  await old.putOrganizationData('org_upgraded', {
    connections: [connection],
    domains: [],
    tests: [],
    secrets: { con_upgraded: 'the-secret-from-before' },
  });
  await old.close();
  const before = await readFile(join(dir, STORE_FILE), 'utf8');
  assert.doesNotMatch(before, /the-secret-from-before/, 'the old store kept it encrypted');

  // Both starts on one database: PGlite in the folder, or one database of the run's PostgreSQL.
  const env = { SSO_PORTAL_ADMIN_KEY: ADMIN_KEY, DATABASE_URL: testDatabaseKind() === 'postgres' ? await createPostgresDatabase() : '' };
  const portal = (origin: string, path: string) => fetch(`${origin}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const first = await runServer(dir, env, async (origin) => {
    const listed = (await (await portal(origin, '/api/portal/connections')).json()) as Connection[];
    assert.deepEqual(
      listed.map((c) => [c.id, c.name, c.version, c.oidc?.clientSecretSet]),
      [['con_upgraded', 'Okta from before', 3, true]],
    );
    const session = (await (await portal(origin, '/api/portal/session')).json()) as { organization: { name: string } };
    assert.equal(session.organization.name, 'Upgraded Corp');
  });
  assert.equal(first.error, undefined, String(first.error));
  assert.match(first.output, /Imported .*store\.json into the database: 1 organization, 1 link, 1 connection \(1 client secret\)/);
  assert.equal(await readFile(join(dir, STORE_FILE), 'utf8'), before, 'store.json is left as it was');

  const second = await runServer(dir, env, async (origin) => {
    assert.equal(((await (await portal(origin, '/api/portal/connections')).json()) as Connection[]).length, 1);
  });
  assert.equal(second.error, undefined, String(second.error));
  assert.doesNotMatch(second.output, /Imported/, 'imported once');
});
