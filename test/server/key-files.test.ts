/// <reference types="node" />
// Key files in the data folder (admin-key, secrets.key, the simulators' keys) are written
// atomically, and an empty or damaged one is a clear error that says what to do (issue 10, point 8).
// Run: node --import tsx --test test/server/key-files.test.ts
import assert from 'node:assert/strict';
import { mkdir, readFile, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ADMIN_KEY_FILE, loadOrCreateAdminKey } from '../../src/server/admin-key.js';
import { createFileAtomically, removeTempFiles, writeFileAtomically } from '../../src/server/atomic-file.js';
import { loadOrCreateKeyPair } from '../../src/server/simulator/keys.js';
import { createOidcSimulator } from '../../src/server/simulator/oidc-idp.js';
import { JsonFileStore, SECRETS_KEY_FILE, STORE_FILE } from '../../src/server/store/json-file-store.js';
import { storeWithOneClientSecret, temporaryFolders } from './helpers.js';
import { runServer } from './server-process.js';

const tempDir = temporaryFolders('keys');
/** Above Linux's PID_MAX_LIMIT (2^22): no process has it. */
const NO_SUCH_PID = 2 ** 22 + 1;

describe('atomic writes', () => {
  test('writeFileAtomically replaces the content with the given mode and leaves no temporary file', async () => {
    const dir = await tempDir();
    const file = join(dir, 'thing');
    await writeFileAtomically(file, 'one\n', 0o600);
    await writeFileAtomically(file, 'two\n', 0o600);
    assert.equal(await readFile(file, 'utf8'), 'two\n');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(dir), ['thing']);
  });

  test('createFileAtomically creates once: concurrent creators agree on one content', async () => {
    const dir = await tempDir();
    const file = join(dir, 'once');
    const created = await Promise.all(Array.from({ length: 8 }, (_, i) => createFileAtomically(file, `content ${i}\n`)));
    assert.equal(created.filter(Boolean).length, 1);
    assert.match(await readFile(file, 'utf8'), /^content \d\n$/);
    assert.deepEqual(await readdir(dir), ['once']);
  });

  test('removeTempFiles removes the leftovers of a process that is gone and stale ones, never a live writer\'s', async () => {
    const dir = await tempDir();
    const file = join(dir, 'thing');
    const live = `thing.${process.pid}.aaaaaa.tmp`;
    const dead = `thing.${NO_SUCH_PID}.bbbbbb.tmp`;
    const stale = `thing.${process.pid}.cccccc.tmp`;
    const unnamed = 'thing.tmp';
    const other = `other.${NO_SUCH_PID}.dddddd.tmp`;
    for (const name of [live, dead, stale, unnamed, other]) await writeFile(join(dir, name), '');
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(join(dir, stale), twoHoursAgo, twoHoursAgo);
    await removeTempFiles(file);
    assert.deepEqual((await readdir(dir)).sort(), [live, other].sort());
  });
});

describe('admin-key', () => {
  test('made once (mode 0600), then read back; concurrent starts get the same key; leftover temporary files go', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, `${ADMIN_KEY_FILE}.${NO_SUCH_PID}.abcdef.tmp`), '');
    // Eight starts at once: each sweeps leftovers while the others write theirs (CI once caught
    // a sweep removing a live writer's temporary file).
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateAdminKey(dir, {})));
    const a = keys[0]!;
    assert.equal(new Set(keys.map((k) => k.key)).size, 1);
    assert.match(a.key, /^sk_admin_/);
    assert.equal((await stat(join(dir, ADMIN_KEY_FILE))).mode & 0o777, 0o600);
    assert.equal((await loadOrCreateAdminKey(dir, {})).key, a.key);
    assert.deepEqual(await readdir(dir), [ADMIN_KEY_FILE]);
    assert.deepEqual(await loadOrCreateAdminKey(dir, { SSO_PORTAL_ADMIN_KEY: ' from-env-0123456789 ' }), { key: 'from-env-0123456789', source: 'SSO_PORTAL_ADMIN_KEY' });
  });

  test('a first start makes the data folder (mode 0700) that does not exist yet, as on a fresh clone', async () => {
    const dataDir = join(await tempDir(), 'fresh', '.data');
    const { key, source } = await loadOrCreateAdminKey(dataDir, {});
    assert.match(key, /^sk_admin_/);
    assert.equal(source, `${join(dataDir, ADMIN_KEY_FILE)} (new)`);
    assert.equal((await stat(dataDir)).mode & 0o777, 0o700);
    assert.deepEqual(await readdir(dataDir), [ADMIN_KEY_FILE]);
  });

  test('an empty or damaged admin-key is a clear error that says what to do', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, ADMIN_KEY_FILE), '');
    await assert.rejects(loadOrCreateAdminKey(dir, {}), /admin-key is empty\. Delete it and start again to make a new admin key.*SSO_PORTAL_ADMIN_KEY/);
    await writeFile(join(dir, ADMIN_KEY_FILE), 'two words\n');
    await assert.rejects(loadOrCreateAdminKey(dir, {}), /admin-key is damaged .*Delete it/);
  });

  test('npm run server with an empty admin-key (a crash between create and write) stops with that advice, not EEXIST', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, ADMIN_KEY_FILE), '');
    const { code, output } = await runServer(dir);
    assert.doesNotMatch(output, /EEXIST/);
    assert.match(output, /admin-key is empty\. Delete it and start again/);
    assert.equal(code, 1);
  });
});

describe('secrets.key', () => {
  test('made once (mode 0600, atomically), then reused', async () => {
    const dir = await tempDir();
    const store = await JsonFileStore.open(dir);
    await store.close();
    const key = await readFile(join(dir, SECRETS_KEY_FILE), 'utf8');
    assert.match(key, /^[A-Za-z0-9_-]{43}\n$/);
    assert.equal((await stat(join(dir, SECRETS_KEY_FILE))).mode & 0o777, 0o600);
    await (await JsonFileStore.open(dir)).close();
    assert.equal(await readFile(join(dir, SECRETS_KEY_FILE), 'utf8'), key);
  });

  test('npm run server with an empty secrets.key stops with advice: nothing is lost when no secret is encrypted with it', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, SECRETS_KEY_FILE), '');
    const { code, output } = await runServer(dir);
    assert.match(output, /secrets\.key is empty\. Delete it and start again: a new key is made, and nothing is lost/);
    assert.equal(code, 1);
  });

  test('a damaged secrets.key that encrypts saved client secrets: restore it from a backup', async () => {
    const dir = await tempDir();
    await storeWithOneClientSecret(dir);
    await writeFile(join(dir, SECRETS_KEY_FILE), 'not-a-key\n');
    await assert.rejects(JsonFileStore.open(dir), /secrets\.key is damaged .*Restore it from a backup: it is the key of the 1 OIDC client secret saved in store\.json/);
    assert.ok((await readFile(join(dir, STORE_FILE), 'utf8')).includes('enc:v1:'), 'the store is untouched');
  });
});

describe('the simulators’ keys', () => {
  test('an empty oidc-jwks.json is a clear error: delete it to generate new signing keys', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'simulator'));
    await writeFile(join(dir, 'simulator', 'oidc-jwks.json'), '');
    await assert.rejects(
      createOidcSimulator({ publicBaseUrl: 'http://127.0.0.1:1', dataDir: dir }),
      /oidc-jwks\.json is empty: delete it to generate new signing keys/,
    );
  });

  test('oidc-jwks.json is written atomically (mode 0600, no temporary file left)', async () => {
    const dir = await tempDir();
    const simulator = await createOidcSimulator({ publicBaseUrl: 'http://127.0.0.1:1', dataDir: dir });
    await simulator.close();
    assert.deepEqual(await readdir(join(dir, 'simulator')), ['oidc-jwks.json']);
    assert.equal((await stat(join(dir, 'simulator', 'oidc-jwks.json'))).mode & 0o777, 0o600);
  });

  test('an empty SAML simulator key file is a clear error: delete both to generate a new pair', async () => {
    const dir = await tempDir();
    await loadOrCreateKeyPair(dir, 'test-idp', 'CN=Test');
    assert.deepEqual((await readdir(join(dir, 'simulator'))).sort(), ['test-idp.crt.pem', 'test-idp.key.pem']);
    await writeFile(join(dir, 'simulator', 'test-idp.key.pem'), '');
    await assert.rejects(loadOrCreateKeyPair(dir, 'test-idp', 'CN=Test'), /test-idp\.key\.pem is empty: delete both to generate a new key pair/);
  });
});
