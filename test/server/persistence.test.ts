/// <reference types="node" />
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, test } from 'node:test';
import { openDatabase, type Database } from '../../src/server/db/database.js';
import { JsonFileStore, SECRETS_KEY_FILE, STORE_FILE } from '../../src/server/store/json-file-store.js';
import { createPostgresDatabase, testDatabaseKind } from '../support/test-database.js';
import { OIDC_INPUT, startHarness, storeWithOneClientSecret, temporaryFolders, testSecretBox } from './helpers.js';

const tempDir = temporaryFolders('store');

/**
 * A database that outlives one server: PGlite in a data folder on disk (default), or a database
 * in the run's PostgreSQL (`SSO_PORTAL_TEST_DATABASE=postgres`). `open()` opens it again.
 */
async function durableDatabase(): Promise<{ open(): Promise<Database>; where: string }> {
  if (testDatabaseKind() === 'postgres') {
    const url = await createPostgresDatabase();
    return { open: () => openDatabase({ kind: 'postgres', url, maxConnections: 5 }), where: 'the same PostgreSQL database' };
  }
  const dataDir = join(await tempDir(), 'pglite');
  return { open: () => openDatabase({ kind: 'pglite', dataDir }), where: 'the same PGlite data folder' };
}

describe('the SQL store', () => {
  test('state survives a restart: organizations, links, connections, secrets (sealed), tests, domains', async () => {
    const durable = await durableDatabase();
    const secrets = testSecretBox();
    let database = await durable.open();
    const first = await startHarness({ database, secrets });
    const { orgId, token } = await first.organization('Megacorp');
    const created = await first.portal(token, 'POST', '/api/portal/connections', OIDC_INPUT);
    const id = created.body.id as string;
    const started = await first.portal(token, 'POST', `/api/portal/connections/${id}/tests`, { mode: 'sp' });
    first.clock.advance(2000);
    assert.equal((await first.portal(token, 'GET', `/api/portal/tests/${started.body.testId}`)).body.status, 'success');
    await first.portal(token, 'POST', '/api/portal/domains', { name: 'megacorp.example' });
    await first.admin('POST', `/api/admin/organizations/${orgId}/domains/megacorp.example/verify`);
    const before = await first.portal(token, 'GET', `/api/portal/connections/${id}`);
    const domainsBefore = await first.portal(token, 'GET', '/api/portal/domains');
    await first.close();

    // At rest: the token only as its hash, the client secret sealed with the key's fingerprint.
    const links = await database.db.selectFrom('portal_links').select('token_hash').execute();
    assert.ok(links.length === 1 && !links[0]!.token_hash.includes(token), 'the token itself is never stored');
    const sealed = await database.db.selectFrom('client_secrets').selectAll().execute();
    assert.equal(sealed.length, 1);
    assert.match(sealed[0]!.ciphertext, /^enc:v1:[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    assert.ok(!sealed[0]!.ciphertext.includes(OIDC_INPUT.oidc.clientSecret));
    assert.equal(sealed[0]!.key_id, secrets.keyId);
    await database.close();

    database = await durable.open();
    const second = await startHarness({ database, secrets });
    try {
      second.clock.now = first.clock.now;
      const after = await second.portal(token, 'GET', `/api/portal/connections/${id}`);
      assert.equal(after.status, 200, durable.where);
      assert.deepEqual(after.body, before.body);
      assert.equal(after.body.oidc.clientSecretSet, true);
      assert.equal(after.body.lastTest.status, 'success');
      assert.equal((await second.store.getOrganizationData(orgId)).secrets[id], OIDC_INPUT.oidc.clientSecret);
      // The stored secret still counts: the tested connection can be activated after the restart.
      const on = await second.portal(token, 'PUT', `/api/portal/connections/${id}/enabled`, { version: after.body.version, enabled: true });
      assert.equal(on.body.status, 'active');
      const tests = await second.portal(token, 'GET', `/api/portal/connections/${id}/tests`);
      assert.deepEqual(tests.body.map((t: { id: string }) => t.id), [started.body.testId]);
      const domains = await second.portal(token, 'GET', '/api/portal/domains');
      assert.deepEqual(domains.body, domainsBefore.body);
      assert.deepEqual(domains.body.map((d: { name: string; method: string; status: string }) => [d.name, d.method, d.status]), [
        ['megacorp.example', 'manual', 'verified'],
      ]);
      // New ids do not collide with stored ones.
      const another = await second.portal(token, 'POST', '/api/portal/connections', OIDC_INPUT);
      assert.notEqual(another.body.id, id);
    } finally {
      await second.close();
      await database.close();
    }
  });

  test('the id of a deleted connection is never given again, even after a restart (its ACS URL stays dead)', async () => {
    const durable = await durableDatabase();
    let database = await durable.open();
    const first = await startHarness({ database });
    const { token } = await first.organization('Megacorp');
    const deleted = (await first.portal(token, 'POST', '/api/portal/connections', OIDC_INPUT)).body.id as string;
    assert.match(deleted, /^conn_[A-Za-z0-9]{16}$/, 'random, not a counter');
    assert.equal((await first.portal(token, 'DELETE', `/api/portal/connections/${deleted}`)).status, 204);
    await first.close();
    await database.close();
    database = await durable.open();
    const second = await startHarness({ database });
    try {
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push((await second.portal(token, 'POST', '/api/portal/connections', OIDC_INPUT)).body.id as string);
      assert.ok(!ids.includes(deleted));
      assert.equal(new Set(ids).size, 5);
    } finally {
      await second.close();
      await database.close();
    }
  });
});

/** The reader of data folders written by earlier versions (for the one-time import). */
describe('JsonFileStore', () => {
  test('a client secret stored in plain text by an older version is read, and encrypted by the next write', async () => {
    const dir = await tempDir();
    const { orgId } = await storeWithOneClientSecret(dir);
    const document = JSON.parse(await readFile(join(dir, STORE_FILE), 'utf8'));
    const id = Object.keys(document.data[orgId].secrets)[0]!;
    document.data[orgId].secrets[id] = 'plain-old-secret';
    await writeFile(join(dir, STORE_FILE), JSON.stringify(document));
    const store = await JsonFileStore.open(dir);
    assert.equal(store.getOrganizationData(orgId).secrets[id], 'plain-old-secret');
    await store.putSetting('touch', '1');
    await store.close();
    assert.ok(!(await readFile(join(dir, STORE_FILE), 'utf8')).includes('plain-old-secret'));
    const reopened = await JsonFileStore.open(dir);
    assert.equal(reopened.getOrganizationData(orgId).secrets[id], 'plain-old-secret');
    await reopened.close();
  });

  test('a store whose secrets key was replaced says so at open instead of losing the secrets', async () => {
    const dir = await tempDir();
    await storeWithOneClientSecret(dir);
    await writeFile(join(dir, SECRETS_KEY_FILE), `${Buffer.alloc(32, 7).toString('base64url')}\n`);
    await assert.rejects(JsonFileStore.open(dir), /cannot be decrypted with secrets\.key/);
  });

  test('writes are serialised and applied in order', async () => {
    const dir = await tempDir();
    const store = await JsonFileStore.open(dir);
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.putSetting('counter', String(i))));
    await store.close();
    const document = JSON.parse(await readFile(join(dir, STORE_FILE), 'utf8'));
    assert.equal(document.settings.counter, '49');
    assert.deepEqual((await readdir(dir)).sort(), [SECRETS_KEY_FILE, STORE_FILE].sort());
    await assert.rejects(store.putSetting('late', 'x'));
  });

  test('a SIGKILL during writes leaves a parseable file holding a consistent prefix', async () => {
    const dir = await tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'store-writer.ts'), dir], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    let acknowledged = 0;
    for await (const line of createInterface({ input: child.stdout })) {
      acknowledged = Number(line);
      if (acknowledged >= 25) {
        child.kill('SIGKILL');
        break;
      }
    }
    assert.equal(await exited, 'SIGKILL');

    const document = JSON.parse(await readFile(join(dir, STORE_FILE), 'utf8'));
    const numbers = Object.keys(document.organizations)
      .map((id) => Number(id.slice('org_'.length)))
      .sort((a, b) => a - b);
    assert.ok(numbers.length >= acknowledged, `every acknowledged write is there (${numbers.length} >= ${acknowledged})`);
    assert.deepEqual(numbers, Array.from({ length: numbers.length }, (_, i) => i + 1), 'a prefix with no gaps');
    assert.equal(document.settings.padding.length, 512 * 1024);

    // Reopening works and cleans up a temporary file the kill may have left.
    const reopened = await JsonFileStore.open(dir);
    assert.equal(reopened.listOrganizations().length, numbers.length);
    await reopened.close();
    assert.deepEqual((await readdir(dir)).sort(), [SECRETS_KEY_FILE, STORE_FILE].sort());
  });
});
