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

/**
 * The database cannot be reached or is going away: refused or dropped connections, SQLSTATE
 * class 08 (connection exception), 57P01-57P03 (shutdown, crash, not accepting connections yet),
 * a pool that could not get a connection in time, a closed PGlite. Requests answer 503
 * `unavailable` with `Retry-After`; the pool reconnects by itself once the database is back.
 */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
  /** The driver's code (`ECONNREFUSED`, `57P01`...) or a short reason. */
  readonly reason: string;

  constructor(reason: string, cause: unknown) {
    super(`The database is unavailable (${reason}).`, { cause });
    this.reason = reason;
  }
}

const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03']);
/** Messages of `pg` (pool and client) and PGlite when there is no usable connection. */
const UNAVAILABLE_MESSAGES = [
  /^timeout exceeded when trying to connect$/i,
  /^Connection terminated/i,
  /^Client has encountered a connection error and is not queryable$/i,
  /^Client was closed and is not queryable$/i,
  /^Cannot use a pool after calling end on the pool$/i,
  /^PGlite is closed$/i,
];

/** The reason `error` means the database is unreachable, or undefined when it is another failure. */
function unavailableReason(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as DriverError).code;
  if (typeof code === 'string' && (UNAVAILABLE_NODE_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return code;
  // Node's connect errors to several addresses (localhost: ::1 and 127.0.0.1).
  if (error instanceof AggregateError) return error.errors.map(unavailableReason).find((r) => r !== undefined);
  const message = error instanceof Error ? error.message : '';
  if (UNAVAILABLE_MESSAGES.some((m) => m.test(message))) return message.replace(/\.$/, '');
  return undefined;
}

/** Whether `error` says the database is unreachable (see {@link DatabaseUnavailableError}). */
export function isDatabaseUnavailable(error: unknown): error is DatabaseUnavailableError {
  return error instanceof DatabaseUnavailableError;
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
  if (error instanceof DatabaseUnavailableError) return error;
  const reason = unavailableReason(error);
  if (reason !== undefined) return new DatabaseUnavailableError(reason, error);
  return error;
}

/** Whether `error` is a unique violation (of `constraint`, when given). */
export function isUniqueViolation(error: unknown, constraint?: string): error is UniqueViolationError {
  return error instanceof UniqueViolationError && (constraint === undefined || error.constraint === constraint);
}
