/// <reference types="node" />
/**
 * A fresh, migrated database for one test (or one test server), on the engine the run asks for:
 *
 * - default, or `SSO_PORTAL_TEST_DATABASE=pglite`: PGlite in memory. The first call migrates one
 *   instance and dumps it; every call starts a new instance from that dump (about 0.4 s instead
 *   of 1.7 s for a fresh one).
 * - `SSO_PORTAL_TEST_DATABASE=postgres`: a new database in a real PostgreSQL. The cluster is
 *   `SSO_PORTAL_TEST_POSTGRES_URL` when set (`scripts/test.mjs` starts one for the whole run), else
 *   one this process starts (`postgres-cluster.ts`) and stops when its tests end.
 *
 * The caller closes what it gets (`database.close()`).
 */
import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import pg from 'pg';
import { dumpDatabase, openDatabase, type Database } from '../../src/server/db/database.js';
import { startPostgresCluster, type PostgresCluster } from './postgres-cluster.js';

export type TestDatabaseKind = 'pglite' | 'postgres';

export function testDatabaseKind(env: NodeJS.ProcessEnv = process.env): TestDatabaseKind {
  const kind = (env.SSO_PORTAL_TEST_DATABASE || 'pglite').trim();
  if (kind !== 'pglite' && kind !== 'postgres') throw new Error(`SSO_PORTAL_TEST_DATABASE must be "pglite" or "postgres", not ${JSON.stringify(kind)}.`);
  return kind;
}

let template: Promise<Blob> | undefined;
let ownCluster: Promise<PostgresCluster> | undefined;
// Registered when this module loads, so on the file's root: the cluster outlives every test of the file.
after(async () => {
  const cluster = await ownCluster?.catch(() => undefined);
  await cluster?.stop();
});

async function pgliteTemplate(): Promise<Blob> {
  const database = await openDatabase({ kind: 'pglite', dataDir: null });
  try {
    return await dumpDatabase(database);
  } finally {
    await database.close();
  }
}

/** The URL of an empty new database in the run's PostgreSQL cluster. */
export async function createPostgresDatabase(): Promise<string> {
  let adminUrl = process.env.SSO_PORTAL_TEST_POSTGRES_URL?.trim();
  if (!adminUrl) {
    ownCluster ??= startPostgresCluster();
    adminUrl = (await ownCluster).url;
  }
  // Random names: several test processes share one cluster.
  const name = `sso_test_${randomBytes(8).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A fresh migrated database on the run's engine (see the module comment). */
export async function openTestDatabase(kind: TestDatabaseKind = testDatabaseKind()): Promise<Database> {
  if (kind === 'postgres') return openDatabase({ kind: 'postgres', url: await createPostgresDatabase(), maxConnections: 5 });
  template ??= pgliteTemplate();
  return openDatabase({ kind: 'pglite', dataDir: null, from: await template });
}

/**
 * Call in a `describe` (or at a file's top): a maker of fresh test databases of `kind`, each
 * closed after the tests of that block.
 */
export function testDatabases(kind: TestDatabaseKind = testDatabaseKind()): () => Promise<Database> {
  const open: Database[] = [];
  after(() => Promise.all(open.map((d) => d.close())));
  return async () => {
    const database = await openTestDatabase(kind);
    open.push(database);
    return database;
  };
}

/**
 * Options for a describe() or test() of what only PostgreSQL does (several instances on one
 * database, the database stopping): it runs in the server suite's PostgreSQL pass (`npm run
 * test:server:postgres`, part of `npm test`) and is skipped, saying so, in its PGlite pass, where
 * it would only repeat that pass's work on a cluster of its own.
 */
export const POSTGRES_ONLY = {
  skip: testDatabaseKind() === 'postgres' ? false : 'PostgreSQL only: it runs in the PostgreSQL pass of the server suite (npm test)',
} as const;
