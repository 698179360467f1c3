/// <reference types="node" />
/**
 * The SQL layer: a typed Kysely instance over PGlite (embedded, the default: nothing to install)
 * or PostgreSQL through `pg` (`DATABASE_URL`), with the migrations of `migrations/` applied
 * when it opens. Both drivers report the errors callers act on as the classes of `errors.ts`.
 *
 * The server's store (`../store/sql-store.ts`) keeps everything here.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, type DatabaseConnection, type Dialect, type Driver, type Migration, type QueryResult } from 'kysely';
import pg from 'pg';
import { defaultDataDir } from '../store/json-file-store.js';
import { MigrationError, mapDatabaseError } from './errors.js';
import { MIGRATIONS } from './migrations/index.js';
import { PGliteDialect } from './pglite-dialect.js';
import type { DatabaseSchema } from './schema.js';

export type DatabaseOptions =
  /**
   * Embedded PostgreSQL; `dataDir` null keeps everything in memory (tests). `from` starts it
   * from a dump of another instance (`dumpDatabase`): tests migrate once and start each
   * database from that, several times faster than a fresh one.
   */
  | { kind: 'pglite'; dataDir: string | null; from?: Blob }
  /** A PostgreSQL server, e.g. `postgres://user:password@host:5432/sso_portal`. */
  | { kind: 'postgres'; url: string; maxConnections?: number; connectionTimeoutMs?: number };

export interface OpenDatabaseOptions {
  /** The migrations to apply, by name in order (tests only; default: the repository's). */
  migrations?: Readonly<Record<string, Migration>>;
}

export interface Database {
  readonly kind: DatabaseOptions['kind'];
  readonly db: Kysely<DatabaseSchema>;
  /** Closes the PGlite instance or ends the connection pool. */
  close(): Promise<void>;
  /** The embedded instance (kind `pglite`). */
  readonly pglite?: PGlite;
}

/** The PGlite folder inside a data folder. */
export const PGLITE_DIR = 'pglite';

/**
 * Where the data is: `DATABASE_URL` when set (PostgreSQL), else PGlite under the data folder
 * (`SSO_PORTAL_DATA_DIR`, default `.data/`), in `<dataDir>/pglite`.
 */
export function databaseOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseOptions {
  const url = env.DATABASE_URL?.trim();
  if (url) return { kind: 'postgres', url };
  return { kind: 'pglite', dataDir: join(defaultDataDir(env), PGLITE_DIR) };
}

/**
 * Opens the database and applies the migrations it lacks. A failed migration closes it again
 * and throws a {@link MigrationError} naming the migration and the cause.
 */
export async function openDatabase(options: DatabaseOptions, open: OpenDatabaseOptions = {}): Promise<Database> {
  const { dialect, pglite } = await createDialect(options);
  const db = new Kysely<DatabaseSchema>({ dialect: mapErrors(dialect) });
  try {
    await migrate(db, open.migrations ?? MIGRATIONS);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { kind: options.kind, db, close: () => db.destroy(), ...(pglite ? { pglite } : {}) };
}

/** Applies the migrations `db` lacks, in order, in one transaction. */
export async function migrate(db: Kysely<DatabaseSchema>, migrations: Readonly<Record<string, Migration>>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve({ ...migrations }) } });
  const { error, results } = await migrator.migrateToLatest();
  if (error === undefined) return;
  const failed = results?.find((r) => r.status === 'Error');
  throw new MigrationError(failed?.migrationName ?? '', error);
}

async function createDialect(options: DatabaseOptions): Promise<{ dialect: Dialect; pglite?: PGlite }> {
  if (options.kind === 'postgres') {
    // A database that does not answer a connection attempt in time is unavailable (503), not a hang.
    const pool = new pg.Pool({ connectionString: options.url, max: options.maxConnections ?? 10, connectionTimeoutMillis: options.connectionTimeoutMs ?? 5000 });
    // An idle connection that breaks (server restarted) is dropped by the pool; without a
    // listener its 'error' event would end the process.
    pool.on('error', () => undefined);
    return { dialect: new PostgresDialect({ pool }) };
  }
  if (options.dataDir !== null) await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const pglite = await PGlite.create({ ...(options.dataDir === null ? {} : { dataDir: options.dataDir }), ...(options.from ? { loadDataDir: options.from } : {}) });
  return { dialect: new PGliteDialect({ pglite }), pglite };
}

/** A PGlite database's data folder as one file (uncompressed tar), to start others from (`from`). */
export async function dumpDatabase(database: Database): Promise<Blob> {
  const pglite = database.pglite;
  if (!pglite) throw new Error('Only a PGlite database can be dumped.');
  return pglite.dumpDataDir('none');
}

/** `dialect` whose queries, commits and rollbacks throw the typed errors of `errors.ts`. */
function mapErrors(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createDriver: () => new ErrorMappingDriver(dialect.createDriver()),
  };
}

const mapped = async <T>(run: () => Promise<T>): Promise<T> => {
  try {
    return await run();
  } catch (error) {
    throw mapDatabaseError(error);
  }
};

class ErrorMappingConnection implements DatabaseConnection {
  readonly inner: DatabaseConnection;

  constructor(inner: DatabaseConnection) {
    this.inner = inner;
  }

  executeQuery<R>(query: Parameters<DatabaseConnection['executeQuery']>[0]): Promise<QueryResult<R>> {
    return mapped(() => this.inner.executeQuery<R>(query));
  }

  streamQuery<R>(query: Parameters<DatabaseConnection['streamQuery']>[0], chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

/** Delegates to the dialect's driver, with each connection wrapped (and unwrapped on the way back). */
class ErrorMappingDriver implements Driver {
  readonly #inner: Driver;
  readonly #wrapped = new WeakMap<DatabaseConnection, ErrorMappingConnection>();

  constructor(inner: Driver) {
    this.#inner = inner;
  }

  init(): Promise<void> {
    return mapped(() => this.#inner.init());
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await mapped(() => this.#inner.acquireConnection());
    let wrapped = this.#wrapped.get(connection);
    if (!wrapped) this.#wrapped.set(connection, (wrapped = new ErrorMappingConnection(connection)));
    return wrapped;
  }

  beginTransaction(connection: DatabaseConnection, settings: Parameters<Driver['beginTransaction']>[1]): Promise<void> {
    return mapped(() => this.#inner.beginTransaction(unwrap(connection), settings));
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return mapped(() => this.#inner.commitTransaction(unwrap(connection)));
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return mapped(() => this.#inner.rollbackTransaction(unwrap(connection)));
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: Parameters<NonNullable<Driver['savepoint']>>[2]): Promise<void> {
    await mapped(() => this.#inner.savepoint!(unwrap(connection), name, compile));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: Parameters<NonNullable<Driver['savepoint']>>[2]): Promise<void> {
    await mapped(() => this.#inner.rollbackToSavepoint!(unwrap(connection), name, compile));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compile: Parameters<NonNullable<Driver['savepoint']>>[2]): Promise<void> {
    await mapped(() => this.#inner.releaseSavepoint!(unwrap(connection), name, compile));
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.#inner.releaseConnection(unwrap(connection));
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }
}

const unwrap = (connection: DatabaseConnection): DatabaseConnection => (connection instanceof ErrorMappingConnection ? connection.inner : connection);
