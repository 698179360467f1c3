/// <reference types="node" />
/**
 * The simulators' key pairs in the database's `keys` table (issue 11 point 5): sealed private
 * keys, one pair for every instance on one database, and the one-time import of the pairs a
 * data folder already holds.
 */
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { openDatabase } from '../../src/server/db/database.js';
import { createSecretBox } from '../../src/server/secret-box.js';
import { rotateSecretKey } from '../../src/server/secret-key.js';
import { loadOrCreateKeyPair, type KeyPair } from '../../src/server/simulator/keys.js';
import { createOidcSimulator, OIDC_SIGNING_KEYS_NAME } from '../../src/server/simulator/oidc-idp.js';
import { SamlIdpSimulator } from '../../src/server/simulator/saml-idp.js';
import { createPostgresDatabase, POSTGRES_ONLY, testDatabases, testDatabaseKind } from '../support/test-database.js';
import { temporaryFolders } from './helpers.js';

const folder = temporaryFolders('simulator-keys');
const SUBJECT = 'CN=Test key';
const box = createSecretBox(Buffer.alloc(32, 5));

const belongTogether = (pair: KeyPair) => new X509Certificate(pair.certificatePem).checkPrivateKey(createPrivateKey(pair.privateKeyPem));

// Each pass of the server suite (`npm test`: PGlite, then PostgreSQL) tests its own database.
for (const kind of [testDatabaseKind()]) {
  describe(`key pairs in the keys table (${kind})`, () => {
    const database = testDatabases(kind);

    test('generated once, the private key sealed; later and concurrent calls read the same pair; the SAML simulator uses it', async () => {
      const d = await database();
      const storage = { database: d, secrets: box, importFrom: null };
      const [a, b] = await Promise.all([loadOrCreateKeyPair(storage, 'saml-idp', SUBJECT), loadOrCreateKeyPair(storage, 'saml-idp', SUBJECT)]);
      assert.deepEqual(a, b);
      assert.ok(belongTogether(a));
      const rows = await d.db.selectFrom('keys').selectAll().execute();
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.key_id, box.keyId);
      assert.equal(rows[0]?.certificate_pem, a.certificatePem);
      assert.ok(!rows[0]?.private_key_ciphertext.includes('PRIVATE KEY'), 'sealed, not PEM');
      assert.deepEqual(await loadOrCreateKeyPair(storage, 'saml-idp', SUBJECT), a);

      const simulator = await SamlIdpSimulator.open({ publicBaseUrl: 'http://127.0.0.1:1', dataDir: null, keys: storage });
      assert.equal(simulator.certificatePem, a.certificatePem);
      assert.deepEqual((await d.db.selectFrom('keys').select('name').orderBy('name').execute()).map((r) => r.name), ['saml-idp', 'saml-idp-other']);
    });

    test('the pairs of a data folder are imported (the files stay); damaged files are a clear error and nothing is saved', async () => {
      const dir = await folder();
      const fromFiles = await loadOrCreateKeyPair(dir, 'saml-idp', SUBJECT);
      const keyFile = join(dir, 'simulator', 'saml-idp.key.pem');
      const d = await database();
      const storage = { database: d, secrets: box, importFrom: dir };
      assert.deepEqual(await loadOrCreateKeyPair(storage, 'saml-idp', SUBJECT), fromFiles);
      assert.equal(await readFile(keyFile, 'utf8'), fromFiles.privateKeyPem);
      await rm(join(dir, 'simulator'), { recursive: true });
      assert.deepEqual(await loadOrCreateKeyPair(storage, 'saml-idp', SUBJECT), fromFiles, 'the database holds it now');

      const damaged = await folder();
      await loadOrCreateKeyPair(damaged, 'other', SUBJECT);
      await writeFile(join(damaged, 'simulator', 'other.key.pem'), '');
      await assert.rejects(
        loadOrCreateKeyPair({ database: d, secrets: box, importFrom: damaged }, 'other', SUBJECT),
        /other\.key\.pem is empty: delete both to generate a new key pair/,
      );
      assert.equal((await d.db.selectFrom('keys').select('name').where('name', '=', 'other').execute()).length, 0);
    });

    test('the OIDC simulator: its signing keys sealed in the table, shared by a second simulator; an oidc-jwks.json is imported', async () => {
      const d = await database();
      const jwksOf = async () => {
        const rows = await d.db.selectFrom('keys').selectAll().where('name', '=', OIDC_SIGNING_KEYS_NAME).execute();
        assert.equal(rows.length, 1);
        assert.ok(!rows[0]!.private_key_ciphertext.includes('"d"'), 'sealed');
        return (JSON.parse(box.open(rows[0]!.private_key_ciphertext)) as { keys: { kid: string; d?: string }[] }).keys;
      };
      const first = await createOidcSimulator({ publicBaseUrl: 'http://127.0.0.1:1', dataDir: null, keys: { database: d, secrets: box, importFrom: null } });
      assert.equal(first.jwksFile, null);
      await first.close();
      const keys = await jwksOf();
      assert.ok(keys[0]?.d, 'the private key');
      const second = await createOidcSimulator({ publicBaseUrl: 'http://127.0.0.1:1', dataDir: null, keys: { database: d, secrets: box, importFrom: null } });
      await second.close();
      assert.deepEqual(await jwksOf(), keys);

      const dir = await folder();
      const fromFile = await createOidcSimulator({ publicBaseUrl: 'http://127.0.0.1:1', dataDir: dir });
      await fromFile.close();
      const file = JSON.parse(await readFile(join(dir, 'simulator', 'oidc-jwks.json'), 'utf8')) as { keys: unknown[] };
      const other = await database();
      const imported = await createOidcSimulator({ publicBaseUrl: 'http://127.0.0.1:1', dataDir: null, keys: { database: other, secrets: box, importFrom: dir } });
      await imported.close();
      const row = await other.db.selectFrom('keys').select('private_key_ciphertext').where('name', '=', OIDC_SIGNING_KEYS_NAME).executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(box.open(row.private_key_ciphertext)), file);
    });

    test('after a key rotation the pair reads with the new key; the wrong key is a clear error', async () => {
      const d = await database();
      const pair = await loadOrCreateKeyPair({ database: d, secrets: box, importFrom: null }, 'sp', SUBJECT);
      const next = createSecretBox(Buffer.alloc(32, 6));
      await rotateSecretKey(d, box, next);
      assert.deepEqual(await loadOrCreateKeyPair({ database: d, secrets: next, importFrom: null }, 'sp', SUBJECT), pair);
      await assert.rejects(
        loadOrCreateKeyPair({ database: d, secrets: box, importFrom: null }, 'sp', SUBJECT),
        new RegExp(`The private key sp in the database cannot be opened with the secret key in use \\(${box.keyId}\\)`),
      );
    });
  });
}

describe('two instances on one PostgreSQL', POSTGRES_ONLY, () => {
  test('starting together, they generate one pair and both use it', async () => {
    const url = await createPostgresDatabase();
    const [one, two] = await Promise.all([openDatabase({ kind: 'postgres', url, maxConnections: 2 }), openDatabase({ kind: 'postgres', url, maxConnections: 2 })]);
    try {
      const [a, b] = await Promise.all([
        loadOrCreateKeyPair({ database: one, secrets: box, importFrom: null }, 'saml-idp', SUBJECT),
        loadOrCreateKeyPair({ database: two, secrets: box, importFrom: null }, 'saml-idp', SUBJECT),
      ]);
      assert.deepEqual(a, b);
      assert.equal((await one.db.selectFrom('keys').selectAll().execute()).length, 1);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});
