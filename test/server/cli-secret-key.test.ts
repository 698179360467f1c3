/// <reference types="node" />
/**
 * `npm run portal -- rotate-secret-key` (issue 11 point 7): the key file on the embedded
 * database, and a key given in SSO_PORTAL_SECRET_KEY on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { openDatabase, type Database, type DatabaseOptions } from '../../src/server/db/database.js';
import { createSecretBox, type SecretBox } from '../../src/server/secret-box.js';
import { checkSecretKey, loadSecretKey, SECRETS_KEY_FILE, secretKeyring, type SecretKeyring } from '../../src/server/secret-key.js';
import { createPostgresDatabase, POSTGRES_ONLY } from '../support/test-database.js';
import { temporaryFolders } from './helpers.js';
import { runCli } from '../support/server-entry.js';

const folder = temporaryFolders('cli-secret-key');
const KEY = Buffer.alloc(32, 1);
const NEW = Buffer.alloc(32, 2);

/** The CLI with only these variables of ours (none inherited from the test's environment). */
const cli = (args: string[], env: Record<string, string>) => {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('SSO_PORTAL_') && name !== 'DATABASE_URL'));
  return runCli(args, { ...inherited, ...env });
};

async function withDatabase<T>(options: DatabaseOptions, use: (d: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase(options);
  try {
    return await use(database);
  } finally {
    await database.close();
  }
}

/** The check row and one client secret, sealed with `secrets`. */
async function seed(d: Database, secrets: SecretKeyring) {
  await checkSecretKey(d, secrets);
  await d.db.insertInto('organizations').values({ id: 'org_a', name: 'Megacorp', branding: { name: 'Acme' } }).execute();
  await d.db.insertInto('connections').values({ id: 'con_1', organization_id: 'org_a', protocol: 'oidc', provider_id: 'okta', name: null, status: 'configured', config: {} as never, updated_at: new Date() }).execute();
  await d.db.insertInto('client_secrets').values({ connection_id: 'con_1', organization_id: 'org_a', ciphertext: secrets.seal('the secret'), key_id: secrets.keyId, updated_at: new Date() }).execute();
}

async function secretOf(d: Database, box: SecretBox) {
  const row = await d.db.selectFrom('client_secrets').select(['ciphertext', 'key_id']).executeTakeFirstOrThrow();
  assert.equal(row.key_id, box.keyId);
  return box.open(row.ciphertext);
}

describe('npm run portal -- rotate-secret-key', () => {
  test('the key file, embedded database: a new secrets.key, every secret re-encrypted, the old key refused', async () => {
    const dir = await folder();
    const options: DatabaseOptions = { kind: 'pglite', dataDir: join(dir, 'pglite') };
    const before = await loadSecretKey(dir, {});
    await withDatabase(options, (d) => seed(d, before.secrets));

    const run = await cli(['rotate-secret-key'], { SSO_PORTAL_DATA_DIR: dir });
    assert.equal(run.code, 0, run.stderr);
    const after = await loadSecretKey(dir, {});
    assert.notEqual(after.secrets.keyId, before.secrets.keyId);
    assert.equal(
      run.stdout,
      `Re-encrypted 1 client secret and 0 private keys with a new key (id ${after.secrets.keyId}, was ${before.secrets.keyId}), now in ${join(dir, SECRETS_KEY_FILE)}.\n` +
        `Next: start the server again. Every instance that shares this database must use this key: copy ${join(dir, SECRETS_KEY_FILE)} to each (mode 0600) or set SSO_PORTAL_SECRET_KEY to its content. Back up the new key; the old one no longer opens anything.\n`,
    );
    assert.ok(!run.stdout.includes((await readFile(join(dir, SECRETS_KEY_FILE), 'utf8')).trim()), 'the key is not printed');
    assert.deepEqual((await readdir(dir)).sort(), ['pglite', SECRETS_KEY_FILE]);
    await withDatabase(options, async (d) => {
      assert.equal(await secretOf(d, after.secrets), 'the secret');
      await checkSecretKey(d, after.secrets);
      await assert.rejects(checkSecretKey(d, before.secrets), /Wrong secret key/);
    });
  });

  test('SSO_PORTAL_SECRET_KEY on PostgreSQL: the new key from SSO_PORTAL_NEW_SECRET_KEY; bad input is refused before anything changes', POSTGRES_ONLY, async () => {
    const url = await createPostgresDatabase();
    const options: DatabaseOptions = { kind: 'postgres', url };
    const old = secretKeyring(createSecretBox(KEY));
    await withDatabase(options, (d) => seed(d, old));
    const env = { DATABASE_URL: url, SSO_PORTAL_DATA_DIR: await folder(), SSO_PORTAL_SECRET_KEY: KEY.toString('base64') };

    const missing = await cli(['rotate-secret-key'], env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^Set SSO_PORTAL_NEW_SECRET_KEY to the new key \(32 bytes, base64url or base64/);
    const bad = await cli(['rotate-secret-key'], { ...env, SSO_PORTAL_NEW_SECRET_KEY: 'short' });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^SSO_PORTAL_NEW_SECRET_KEY must be a 32-byte key/);
    const wrong = await cli(['rotate-secret-key'], { ...env, SSO_PORTAL_SECRET_KEY: Buffer.alloc(32, 9).toString('base64'), SSO_PORTAL_NEW_SECRET_KEY: NEW.toString('base64') });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, new RegExp(`^Wrong secret key: the database's secrets are sealed with the key whose id is ${old.keyId}`));
    await withDatabase(options, async (d) => assert.equal(await secretOf(d, old), 'the secret'));

    const run = await cli(['rotate-secret-key'], { ...env, SSO_PORTAL_NEW_SECRET_KEY: NEW.toString('base64url') });
    assert.equal(run.code, 0, run.stderr);
    const next = secretKeyring(createSecretBox(NEW));
    assert.match(run.stdout, new RegExp(`^Re-encrypted 1 client secret and 0 private keys with the key ${next.keyId}\\.\\nNext: set SSO_PORTAL_SECRET_KEY to the new key \\(the value of SSO_PORTAL_NEW_SECRET_KEY\\) in the environment of every instance`));
    assert.ok(!run.stdout.includes(NEW.toString('base64url')) && !run.stdout.includes(KEY.toString('base64')), 'no key is printed');
    await withDatabase(options, async (d) => {
      assert.equal(await secretOf(d, next), 'the secret');
      await checkSecretKey(d, next);
      await assert.rejects(checkSecretKey(d, old), /Wrong secret key/);
    });

    // The rolling way: instances already run with the new key and the old one as previous; the command finishes.
    const third = Buffer.alloc(32, 3);
    await withDatabase(options, async (d) => {
      await d.db.updateTable('client_secrets').set({ ciphertext: next.seal('the secret'), key_id: next.keyId }).execute();
    });
    const finish = await cli(['rotate-secret-key'], { ...env, SSO_PORTAL_SECRET_KEY: third.toString('base64url'), SSO_PORTAL_PREVIOUS_SECRET_KEY: NEW.toString('base64') });
    assert.equal(finish.code, 0, finish.stderr);
    assert.match(finish.stdout, /\nNext: remove SSO_PORTAL_PREVIOUS_SECRET_KEY from the environment of every instance/);
    await withDatabase(options, async (d) => {
      const box = secretKeyring(createSecretBox(third));
      assert.equal(await secretOf(d, box), 'the secret');
      await checkSecretKey(d, box);
    });
  });
});
