/// <reference types="node" />
/**
 * The database down or unreachable: requests answer 503 `unavailable` with `Retry-After` (no
 * stack, no driver message), `/readyz` answers 503, and the server recovers by itself when the
 * database is back. Against a real PostgreSQL (`postgres-cluster.ts`) stopped and started again
 * on the same port; the error mapping itself by unit tests.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openDatabase, type Database } from '../../src/server/db/database.js';
import { DatabaseUnavailableError, UniqueViolationError, mapDatabaseError } from '../../src/server/db/errors.js';
import { createLogger } from '../../src/server/log.js';
import { startPostgresCluster, type PostgresCluster } from '../support/postgres-cluster.js';
import { POSTGRES_ONLY } from '../support/test-database.js';
import { startHarness, type Harness } from './helpers.js';

const PROBLEM = 'application/problem+json';

describe('mapDatabaseError: what means "the database is unavailable"', () => {
  test('refused and dropped connections, SQLSTATE class 08, 57P01-57P03, pool timeouts, a closed PGlite', () => {
    const withCode = (code: string) => Object.assign(new Error(`driver says ${code}`), { code });
    for (const error of [
      withCode('ECONNREFUSED'),
      withCode('ECONNRESET'),
      withCode('ETIMEDOUT'),
      withCode('08006'),
      withCode('08001'),
      withCode('57P01'),
      withCode('57P02'),
      withCode('57P03'),
      new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], 'connect failed'),
      new Error('timeout exceeded when trying to connect'),
      new Error('Connection terminated unexpectedly'),
      new Error('Connection terminated due to connection timeout'),
      new Error('PGlite is closed'),
    ]) {
      const mapped = mapDatabaseError(error);
      assert.ok(mapped instanceof DatabaseUnavailableError, `${error.message}: ${String(mapped)}`);
      assert.equal(mapped.cause, error);
    }
  });

  test('other failures stay what they are', () => {
    const unique = Object.assign(new Error('duplicate key'), { code: '23505', constraint: 'x_key', table: 'x' });
    assert.ok(mapDatabaseError(unique) instanceof UniqueViolationError);
    for (const error of [Object.assign(new Error('syntax'), { code: '42601' }), Object.assign(new Error('serialization'), { code: '40001' }), new Error('kaboom')]) {
      assert.equal(mapDatabaseError(error), error);
    }
  });
});

describe('PostgreSQL stopped and started again', POSTGRES_ONLY, () => {
  let cluster: PostgresCluster;
  let database: Database;
  let h: Harness;
  const logLines: string[] = [];

  before(async () => {
    cluster = await startPostgresCluster();
    // A short connection timeout: a database that does not answer is a quick 503, not a hang.
    database = await openDatabase({ kind: 'postgres', url: await cluster.createDatabase('down_test'), maxConnections: 3, connectionTimeoutMs: 2000 });
    h = await startHarness({ database, logger: createLogger({ level: 'error', format: 'json', write: (line) => logLines.push(line) }) });
  });
  after(async () => {
    await h?.close();
    await database?.close();
    await cluster?.stop();
  });

  test('503 unavailable with Retry-After while it is down (readyz too); answers again once it is back', async () => {
    const { token } = await h.organization('Megacorp');
    assert.equal((await h.portal(token, 'GET', '/api/portal/session')).status, 200);
    assert.equal((await fetch(`${h.origin}/readyz`)).status, 200);

    await cluster.pause();
    logLines.length = 0;
    for (const [method, path, init] of [
      ['GET', '/api/portal/session', { token }],
      ['GET', '/api/portal/connections', { token }],
      ['POST', '/api/admin/organizations', { token: 'test-admin-key-0123456789', body: { name: 'Other' } }],
    ] as const) {
      const response = await fetch(`${h.origin}${path}`, {
        method,
        headers: { authorization: `Bearer ${init.token}`, 'content-type': 'application/json' },
        body: 'body' in init ? JSON.stringify(init.body) : undefined,
      });
      const text = await response.text();
      assert.equal(response.status, 503, `${method} ${path}: ${text}`);
      assert.equal(response.headers.get('content-type'), PROBLEM);
      assert.equal(response.headers.get('retry-after'), '5');
      const problem = JSON.parse(text) as { code: string; retryable: boolean };
      assert.equal(problem.code, 'unavailable');
      assert.equal(problem.retryable, true);
      assert.doesNotMatch(text, /ECONNREFUSED|\bat\s|\.ts:\d+|Error:|127\.0\.0\.1|postgres/i, 'no stack, no driver message, no address');
    }
    // The reason goes to the log (one line per request, with its id), not to the caller.
    const logged = logLines.map((line) => JSON.parse(line) as { msg: string; error?: string; requestId?: string });
    assert.deepEqual(logged.map((e) => e.msg), ['database unavailable', 'database unavailable', 'database unavailable']);
    assert.ok(logged.every((e) => /DatabaseUnavailableError: The database is unavailable \(/.test(String(e.error)) && e.requestId));
    const ready = await fetch(`${h.origin}/readyz`);
    assert.equal(ready.status, 503);
    assert.ok(ready.headers.get('retry-after'));
    await ready.arrayBuffer();

    await cluster.resume();
    assert.equal((await h.portal(token, 'GET', '/api/portal/session')).status, 200, 'the pool reconnects by itself');
    assert.equal((await fetch(`${h.origin}/readyz`)).status, 200);
    const created = await h.admin('POST', '/api/admin/organizations', { name: 'After' });
    assert.equal(created.status, 201);
  });

  test('the SCIM endpoint answers a SCIM 503 with Retry-After while it is down (never a 500 or a problem document)', async () => {
    const { token } = await h.organization('Scim Down Corp');
    const created = await h.portal(token, 'POST', '/api/portal/directories', { provider: 'okta' });
    assert.equal(created.status, 201, created.text);
    const users = `${h.origin}/scim/v2/${created.body.directory.id as string}/Users`;
    const headers = { authorization: `Bearer ${created.body.token as string}` };
    assert.equal((await fetch(users, { headers })).status, 200);
    await cluster.pause();
    try {
      const response = await fetch(users, { headers });
      const text = await response.text();
      assert.equal(response.status, 503, text);
      assert.match(response.headers.get('content-type') ?? '', /^application\/scim\+json/);
      assert.equal(response.headers.get('retry-after'), '5');
      assert.deepEqual(JSON.parse(text).schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);
      assert.doesNotMatch(text, /ECONNREFUSED|\bat\s|\.ts:\d+|127\.0\.0\.1|postgres/i);
    } finally {
      await cluster.resume();
    }
    assert.equal((await fetch(users, { headers })).status, 200);
  });
});

describe('PostgreSQL too busy to give a connection in time', POSTGRES_ONLY, () => {
  test('a request that waits longer than the pool timeout: 503 with Retry-After; served again once a connection is free', async (t) => {
    const cluster = await startPostgresCluster();
    t.after(() => cluster.stop());
    const database = await openDatabase({ kind: 'postgres', url: await cluster.createDatabase('busy_test'), maxConnections: 1, connectionTimeoutMs: 300 });
    t.after(() => database.close());
    const h = await startHarness({ database, logger: createLogger({ level: 'off' }) });
    t.after(() => h.close());
    const { token } = await h.organization('Megacorp');

    // Another piece of work holds the only connection (a long transaction) until released.
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding: () => void = () => {};
    const held = new Promise<void>((resolve) => (holding = resolve));
    const busy = database.db.transaction().execute(async (trx) => {
      await trx.selectFrom('organizations').select('id').execute();
      holding();
      await released;
    });
    await held;
    const waited = await fetch(`${h.origin}/api/portal/session`, { headers: { authorization: `Bearer ${token}` } });
    const text = await waited.text();
    assert.equal(waited.status, 503, text);
    assert.equal(waited.headers.get('retry-after'), '5');
    assert.equal((JSON.parse(text) as { code: string }).code, 'unavailable');
    release();
    await busy;
    assert.equal((await h.portal(token, 'GET', '/api/portal/session')).status, 200);
  });
});
