/**
 * Typed errors of the SQL layer. Both drivers (PGlite and `pg`) report a failed statement with
 * the PostgreSQL SQLSTATE in `code` and, for a constraint, its name in `constraint`; the drivers
 * of `database.ts` turn the ones callers act on into these classes, so no caller reads SQLSTATEs.
 */

/** A UNIQUE constraint or unique index refused a row (SQLSTATE 23505). */
export class UniqueViolationError extends Error {
  override readonly name = 'UniqueViolationError';
  /** The constraint or index name, e.g. `domains_verified_name_key` (empty when the driver did not say). */
  readonly constraint: string;
  readonly table: string;

  constructor(constraint: string, table: string, cause: unknown) {
    super(`A row with the same key already exists (${constraint || 'unique constraint'}${table ? ` on ${table}` : ''}).`, { cause });
    this.constraint = constraint;
    this.table = table;
  }
}

/** A migration failed; the database is left as it was before the batch (PostgreSQL DDL is transactional). */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  /** The migration that failed, e.g. `0002_add_column`; empty when none had started (e.g. the lock). */
  readonly migration: string;

  constructor(migration: string, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(migration ? `Database migration ${migration} failed: ${why}` : `Database migrations could not run: ${why}`, { cause });
    this.migration = migration;
  }
}

const KYSELY_ABORTED_TRANSACTION = Symbol.for('kysely.AbortedTransactionError');

/**
 * COMMIT answered ROLLBACK: a statement of the transaction had failed (and its error was caught).
 * Marked as Kysely marks its own, so Kysely treats it as its `AbortedTransactionError` (which
 * its PostgreSQL driver throws, and which it does not export).
 */
export class AbortedTransactionError extends Error {
  override readonly name = 'AbortedTransactionError';
  constructor() {
    super('Transaction was rolled back instead of committed');
    Object.defineProperty(this, KYSELY_ABORTED_TRANSACTION, { value: true });
  }
}

interface DriverError {
  code?: unknown;
  constraint?: unknown;
  table?: unknown;
}

/** The typed error for a driver's error, or the error itself when it is not one of them. */
export function mapDatabaseError(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return error;
  const e = error as DriverError;
  if (e.code === '23505') return new UniqueViolationError(typeof e.constraint === 'string' ? e.constraint : '', typeof e.table === 'string' ? e.table : '', error);
  return error;
}

/** Whether `error` is a unique violation (of `constraint`, when given). */
export function isUniqueViolation(error: unknown, constraint?: string): error is UniqueViolationError {
  return error instanceof UniqueViolationError && (constraint === undefined || error.constraint === constraint);
}
