/// <reference types="node" />
/**
 * Issue 11 point 7: the secrets' key from SSO_PORTAL_SECRET_KEY or the data folder's key file,
 * a wrong key refused at start, and the rotation that re-seals every secret in one transaction.
 */
import assert from 'node:assert/strict';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Database } from '../../src/server/db/database.js';
import { createSecretBox, type SecretBox } from '../../src/server/secret-box.js';
import {
  checkSecretKey,
  loadSecretKey,
  parseSecretKey,
  PREVIOUS_SECRETS_KEY_FILE,
  rotateSecretKey,
  rotateSecretKeyFile,
  SECRET_KEY_CHECK_SETTING,
  SECRETS_KEY_FILE,
  secretKeyring,
  SecretKeyError,
} from '../../src/server/secret-key.js';
import { WebhookStore } from '../../src/server/webhooks/webhook-store.js';
import { testDatabases, testDatabaseKind } from '../support/test-database.js';
import { temporaryFolders } from './helpers.js';

const folder = temporaryFolders('secret-key');
const KEY = Buffer.alloc(32, 1);
const OTHER = Buffer.alloc(32, 2);

describe('parseSecretKey', () => {
  test('32 bytes as base64url or base64 (with "="), surrounding spaces ignored', () => {
    const key = Buffer.from(Array.from({ length: 32 }, (_, i) => 250 - i));
    assert.deepEqual(parseSecretKey(key.toString('base64url'), 'X'), key);
    assert.deepEqual(parseSecretKey(` ${key.toString('base64')}\n`, 'X'), key);
    assert.match(key.toString('base64'), /[+/]/, 'the fixture uses the characters that differ');
  });

  test('anything else: an error naming the variable and the expected form, never the value', () => {
    for (const bad of ['', 'short', Buffer.alloc(16).toString('base64'), Buffer.alloc(33).toString('base64url'), `${'a'.repeat(42)}*`, Buffer.alloc(32).toString('hex')]) {
      assert.throws(
        () => parseSecretKey(bad, 'SSO_PORTAL_SECRET_KEY'),
        (error: unknown) => {
          assert.ok(error instanceof SecretKeyError);
          assert.match(error.message, /^SSO_PORTAL_SECRET_KEY must be a 32-byte key in base64url \(43 characters\) or base64 \(44 characters ending in "="\), e\.g\. the output of `openssl rand -base64 32`; it (is empty|is not one \(\d+ characters\))\.$/);
          if (bad.length > 3) assert.ok(!error.message.includes(bad));
          return true;
        },
      );
    }
  });
});

describe('loadSecretKey', () => {
  test('SSO_PORTAL_SECRET_KEY wins and no file is made; a bad value stops with the variable named', async () => {
    const dir = await folder();
    const loaded = await loadSecretKey(dir, { SSO_PORTAL_SECRET_KEY: KEY.toString('base64') });
    assert.equal(loaded.secrets.keyId, createSecretBox(KEY).keyId);
    assert.deepEqual(loaded.source, { kind: 'env', variable: 'SSO_PORTAL_SECRET_KEY' });
    assert.deepEqual(await readdir(dir), []);
    await assert.rejects(loadSecretKey(dir, { SSO_PORTAL_SECRET_KEY: 'nope' }), /^SecretKeyError: SSO_PORTAL_SECRET_KEY must be a 32-byte key/);
    await assert.rejects(loadSecretKey(dir, { SSO_PORTAL_PREVIOUS_SECRET_KEY: KEY.toString('base64') }), /SSO_PORTAL_PREVIOUS_SECRET_KEY is set but SSO_PORTAL_SECRET_KEY is not/);
    await assert.rejects(
      loadSecretKey(dir, { SSO_PORTAL_SECRET_KEY: KEY.toString('base64'), SSO_PORTAL_PREVIOUS_SECRET_KEY: 'x' }),
      /SSO_PORTAL_PREVIOUS_SECRET_KEY must be a 32-byte key/,
    );
  });

  test('without it: secrets.key is made once (mode 0600) and reused, the one the JSON store used', async () => {
    const dir = await folder();
    const [a, b] = await Promise.all([loadSecretKey(dir, {}), loadSecretKey(dir, {})]);
    assert.equal(a.secrets.keyId, b.secrets.keyId);
    assert.deepEqual(a.source, { kind: 'file', file: join(dir, SECRETS_KEY_FILE) });
    assert.equal((await stat(join(dir, SECRETS_KEY_FILE))).mode & 0o777, 0o600);
    assert.equal((await loadSecretKey(dir, {})).secrets.keyId, a.secrets.keyId);
    assert.deepEqual(await readdir(dir), [SECRETS_KEY_FILE]);
  });

  test('a damaged key file or previous key file is a clear error', async () => {
    const dir = await folder();
    await writeFile(join(dir, SECRETS_KEY_FILE), 'garbage\n');
    await assert.rejects(loadSecretKey(dir, {}), /secrets\.key is damaged \(it must hold one 32-byte key, base64url, on one line\)\. Restore it from a backup: it is the key of the secrets saved in the database/);
    await writeFile(join(dir, SECRETS_KEY_FILE), `${KEY.toString('base64url')}\n`);
    await writeFile(join(dir, PREVIOUS_SECRETS_KEY_FILE), 'x');
    await assert.rejects(loadSecretKey(dir, {}), /secrets\.key\.previous must be a 32-byte key/);
  });
});

describe('secretKeyring', () => {
  test('seals with the current key, opens values of either key', () => {
    const current = createSecretBox(KEY);
    const previous = createSecretBox(OTHER);
    const ring = secretKeyring(current, previous);
    assert.deepEqual(ring.keyIds, [current.keyId, previous.keyId]);
    assert.equal(current.open(ring.seal('a')), 'a');
    assert.equal(ring.open(previous.seal('b')), 'b');
    assert.throws(() => ring.open(createSecretBox(Buffer.alloc(32, 9)).seal('c')), /cannot be decrypted with this key/);
  });
});

async function seed(database: Database, box: SecretBox, secrets: Record<string, string>, keys: Record<string, string> = {}) {
  const db = database.db;
  await db.insertInto('organizations').values({ id: 'org_a', name: 'Megacorp', branding: { name: 'Acme' } }).onConflict((oc) => oc.doNothing()).execute();
  for (const [id, plain] of Object.entries(secrets)) {
    await db
      .insertInto('connections')
      .values({ id, organization_id: 'org_a', protocol: 'oidc', provider_id: 'okta', name: null, status: 'configured', config: {} as never, updated_at: new Date() })
      .execute();
    await db.insertInto('client_secrets').values({ connection_id: id, organization_id: 'org_a', ciphertext: box.seal(plain), key_id: box.keyId, updated_at: new Date() }).execute();
  }
  for (const [name, plain] of Object.entries(keys)) {
    await db.insertInto('keys').values({ name, private_key_ciphertext: box.seal(plain), key_id: box.keyId, certificate_pem: `cert of ${name}` }).execute();
  }
}

async function readAll(database: Database, box: SecretBox) {
  const secrets = await database.db.selectFrom('client_secrets').select(['connection_id', 'ciphertext', 'key_id']).orderBy('connection_id').execute();
  const keys = await database.db.selectFrom('keys').select(['name', 'private_key_ciphertext', 'key_id']).orderBy('name').execute();
  assert.ok([...secrets, ...keys].every((r) => r.key_id === box.keyId), 'every row names the key that sealed it');
  return {
    secrets: Object.fromEntries(secrets.map((r) => [r.connection_id, box.open(r.ciphertext)])),
    keys: Object.fromEntries(keys.map((r) => [r.name, box.open(r.private_key_ciphertext)])),
  };
}

const SECRETS = { con_1: 'secret one', con_2: 'secret two', con_3: 'secret three' };
const KEYS = { 'saml-idp': '-----BEGIN PRIVATE KEY-----\nAAA\n-----END PRIVATE KEY-----\n' };

// Each pass of the server suite (`npm test`: PGlite, then PostgreSQL) tests its own database.
for (const kind of [testDatabaseKind()]) {
  describe(`checkSecretKey and rotation (${kind})`, () => {
    const database = testDatabases(kind);
    const key = secretKeyring(createSecretBox(KEY));
    const other = secretKeyring(createSecretBox(OTHER));

    test('the first start writes the check row; the same key passes; another key is refused naming the expected key id', async () => {
      const d = await database();
      await checkSecretKey(d, key, 'SSO_PORTAL_SECRET_KEY');
      const row = await d.db.selectFrom('settings').select('value').where('name', '=', SECRET_KEY_CHECK_SETTING).executeTakeFirstOrThrow();
      assert.equal(JSON.parse(row.value).keyId, key.keyId);
      assert.ok(!row.value.includes(KEY.toString('base64url')));
      await checkSecretKey(d, key, 'SSO_PORTAL_SECRET_KEY');
      await assert.rejects(checkSecretKey(d, other, 'SSO_PORTAL_SECRET_KEY'), (error: unknown) => {
        assert.ok(error instanceof SecretKeyError);
        assert.equal(
          error.message,
          `Wrong secret key: the database's secrets are sealed with the key whose id is ${key.keyId}, but SSO_PORTAL_SECRET_KEY holds the key ${other.keyId}. ` +
            `Start with the key whose id is ${key.keyId} (set SSO_PORTAL_SECRET_KEY to it); if you were rotating the key, set the new key and the one it replaced (SSO_PORTAL_PREVIOUS_SECRET_KEY) and run \`npm run portal -- rotate-secret-key\` again.`,
        );
        return true;
      });
      await assert.rejects(checkSecretKey(d, other, '/data/secrets.key'), /holds the key .* \(restore \/data\/secrets\.key from a backup, or set SSO_PORTAL_SECRET_KEY\)/);
      // The new key with the old one as the previous key: accepted (a rotation in progress).
      await checkSecretKey(d, secretKeyring(createSecretBox(OTHER), createSecretBox(KEY)));
    });

    test('concurrent first starts agree on one check row', async () => {
      const d = await database();
      await Promise.all([checkSecretKey(d, key), checkSecretKey(d, key), checkSecretKey(d, key)]);
      assert.equal((await d.db.selectFrom('settings').selectAll().execute()).length, 1);
    });

    test('a row sealed with a key that is neither the current nor the previous one is refused at start', async () => {
      const d = await database();
      await checkSecretKey(d, key);
      await seed(d, createSecretBox(OTHER), { con_1: 'x' });
      await assert.rejects(checkSecretKey(d, key), new RegExp(`some of the database's secrets are sealed with the key ${other.keyId}, which SSO_PORTAL_SECRET_KEY \\(key ${key.keyId}\\) cannot open`));
    });

    test('secrets saved before the check row existed: a wrong key is refused without writing the check row; the right key then starts', async () => {
      const d = await database();
      await seed(d, key, { con_1: 'x' });
      await assert.rejects(checkSecretKey(d, other), new RegExp(`sealed with the key ${key.keyId}, which SSO_PORTAL_SECRET_KEY \\(key ${other.keyId}\\) cannot open`));
      assert.equal((await d.db.selectFrom('settings').selectAll().execute()).length, 0);
      await checkSecretKey(d, key);
    });

    test('rotate: every secret and private key re-sealed with the new key; the old key is then refused; rotating twice', async () => {
      const d = await database();
      await checkSecretKey(d, key);
      await seed(d, key, SECRETS, KEYS);
      // A webhook endpoint's signing secret is sealed the same way.
      const webhooks = new WebhookStore(d.db, key);
      const endpoint = await webhooks.create({ url: 'https://hooks.example/sso' }, false);
      const webhookSecret = async (box: SecretBox) => {
        const row = await d.db.selectFrom('webhook_endpoints').select(['secret_ciphertext', 'key_id']).executeTakeFirstOrThrow();
        assert.equal(row.key_id, box.keyId);
        return box.open(row.secret_ciphertext);
      };
      assert.deepEqual(await rotateSecretKey(d, key, other), { clientSecrets: 3, keys: 1, webhookSecrets: 1 });
      assert.deepEqual(await readAll(d, other), { secrets: SECRETS, keys: KEYS });
      assert.equal(await webhookSecret(other), endpoint.secret);
      await checkSecretKey(d, other);
      await assert.rejects(checkSecretKey(d, key), /Wrong secret key: the database's secrets are sealed with the key whose id is/);

      const third = createSecretBox(Buffer.alloc(32, 3));
      assert.deepEqual(await rotateSecretKey(d, other, third), { clientSecrets: 3, keys: 1, webhookSecrets: 1 });
      assert.deepEqual(await readAll(d, third), { secrets: SECRETS, keys: KEYS });
      assert.equal(await webhookSecret(third), endpoint.secret);
      await checkSecretKey(d, secretKeyring(third));
      await assert.rejects(checkSecretKey(d, other), SecretKeyError);
    });

    test('a failure in the middle (a value the key cannot open) leaves every row as it was', async () => {
      const d = await database();
      await checkSecretKey(d, key);
      await seed(d, key, { con_1: 'one' });
      await seed(d, other, { con_2: 'two' });
      await seed(d, key, { con_3: 'three' });
      const before = await d.db.selectFrom('client_secrets').selectAll().orderBy('connection_id').execute();
      const checkBefore = await d.db.selectFrom('settings').selectAll().execute();
      await assert.rejects(
        rotateSecretKey(d, key, createSecretBox(Buffer.alloc(32, 3))),
        /^SecretKeyError: Cannot rotate: the client secret of connection con_2 cannot be opened with the current key \(.*\) or the previous one\. Nothing was changed\.$/,
      );
      assert.deepEqual(await d.db.selectFrom('client_secrets').selectAll().orderBy('connection_id').execute(), before);
      assert.deepEqual(await d.db.selectFrom('settings').selectAll().execute(), checkBefore);
    });

    test('the key file: rotated in place, secrets.key.previous only while it runs; an interrupted rotation still starts and is finished by the next', async () => {
      const d = await database();
      const dir = await folder();
      const first = await loadSecretKey(dir, {});
      await checkSecretKey(d, first.secrets, first.describe);
      await seed(d, first.secrets, SECRETS, KEYS);

      const rotated = await rotateSecretKeyFile(d, dir);
      assert.equal(rotated.previousKeyId, first.secrets.keyId);
      assert.deepEqual([rotated.clientSecrets, rotated.keys], [3, 1]);
      assert.deepEqual(await readdir(dir), [SECRETS_KEY_FILE]);
      assert.equal((await stat(join(dir, SECRETS_KEY_FILE))).mode & 0o777, 0o600);
      const second = await loadSecretKey(dir, {});
      assert.equal(second.secrets.keyId, rotated.keyId);
      assert.notEqual(rotated.keyId, first.secrets.keyId);
      await checkSecretKey(d, second.secrets, second.describe);
      assert.deepEqual(await readAll(d, second.secrets), { secrets: SECRETS, keys: KEYS });

      // A crash after the new key was written, before the transaction: the old key is secrets.key.previous.
      const secondKey = await readFile(join(dir, SECRETS_KEY_FILE), 'utf8');
      await writeFile(join(dir, PREVIOUS_SECRETS_KEY_FILE), secondKey, { mode: 0o600 });
      await writeFile(join(dir, SECRETS_KEY_FILE), `${Buffer.alloc(32, 4).toString('base64url')}\n`, { mode: 0o600 });
      const interrupted = await loadSecretKey(dir, {});
      await checkSecretKey(d, interrupted.secrets, interrupted.describe);
      const third = await rotateSecretKeyFile(d, dir);
      assert.deepEqual(await readdir(dir), [SECRETS_KEY_FILE]);
      const last = await loadSecretKey(dir, {});
      assert.equal(last.secrets.keyId, third.keyId);
      assert.deepEqual(last.secrets.keyIds, [third.keyId]);
      await checkSecretKey(d, last.secrets, last.describe);
      assert.deepEqual(await readAll(d, last.secrets), { secrets: SECRETS, keys: KEYS });
    });
  });
}
