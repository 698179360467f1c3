/**
 * Login traces' storage (issue 15, point 4): `login_attempts` (migration 0008), the last
 * {@link LOGIN_ATTEMPTS_KEPT} attempts of each connection, newest first. Each write is one
 * transaction that inserts the attempt and deletes what falls beyond the last 50 of its
 * connection (the same statement on PGlite and PostgreSQL). What is written is already redacted
 * (`core/login-trace.ts`); nothing here reads or keeps a secret.
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { LOGIN_ATTEMPTS_KEPT, type LoginAttempt } from '../../core/login-trace.js';
import type { DatabaseSchema } from '../db/schema.js';

/** An attempt to record: everything but its id. */
export type NewLoginAttempt = Omit<LoginAttempt, 'id'>;

type Row = {
  id: string;
  connection_id: string;
  at: Date | string;
  purpose: 'test' | 'sign-in';
  test_id: string | null;
  user_email: string | null;
  outcome: 'success' | 'failure';
  trace: Pick<LoginAttempt, 'error' | 'warnings' | 'steps' | 'request' | 'response' | 'protocol'>;
};

function attemptFromRow(row: Row): LoginAttempt {
  const { error, warnings, steps, request, response, protocol } = row.trace;
  return {
    id: row.id,
    connectionId: row.connection_id,
    protocol,
    at: new Date(row.at).toISOString(),
    purpose: row.purpose,
    ...(row.test_id ? { testId: row.test_id } : {}),
    ...(row.user_email ? { user: row.user_email } : {}),
    outcome: row.outcome,
    error,
    ...(warnings?.length ? { warnings } : {}),
    steps,
    ...(request ? { request } : {}),
    ...(response ? { response } : {}),
  };
}

export class SqlLoginAttemptStore {
  #db: Kysely<DatabaseSchema>;

  constructor(db: Kysely<DatabaseSchema>) {
    this.#db = db;
  }

  /** Records an attempt of the organization's connection and forgets its connection's attempts beyond the last 50; nothing when the connection is gone. */
  async record(organizationId: string, attempt: NewLoginAttempt): Promise<LoginAttempt | undefined> {
    const id = `la_${randomBytes(12).toString('base64url').replace(/[^A-Za-z0-9]/g, 'x')}`;
    const { connectionId } = attempt;
    return this.#db.transaction().execute(async (trx) => {
      const connection = await trx.selectFrom('connections').select('id').where('id', '=', connectionId).where('organization_id', '=', organizationId).executeTakeFirst();
      if (!connection) return undefined; // deleted meanwhile
      await trx
        .insertInto('login_attempts')
        .values({
          id,
          organization_id: organizationId,
          connection_id: connectionId,
          at: new Date(attempt.at),
          purpose: attempt.purpose,
          test_id: attempt.testId ?? null,
          user_email: attempt.user?.slice(0, 512) ?? null,
          outcome: attempt.outcome,
          error_code: attempt.error?.code ?? null,
          trace: {
            protocol: attempt.protocol,
            error: attempt.error,
            steps: attempt.steps,
            ...(attempt.warnings?.length ? { warnings: attempt.warnings } : {}),
            ...(attempt.request ? { request: attempt.request } : {}),
            ...(attempt.response ? { response: attempt.response } : {}),
          },
        })
        .execute();
      await sql`
        delete from login_attempts
        where connection_id = ${connectionId}
          and seq < (select min(seq) from (select seq from login_attempts where connection_id = ${connectionId} order by seq desc limit ${LOGIN_ATTEMPTS_KEPT}) kept)
      `.execute(trx);
      return { ...attempt, id };
    });
  }

  /** The connection's attempts, newest first (at most 50); empty for a connection of another organization. */
  async list(organizationId: string, connectionId: string): Promise<LoginAttempt[]> {
    const rows = await this.#db
      .selectFrom('login_attempts')
      .select(['id', 'connection_id', 'at', 'purpose', 'test_id', 'user_email', 'outcome', 'trace'])
      .where('organization_id', '=', organizationId)
      .where('connection_id', '=', connectionId)
      .orderBy('seq', 'desc')
      .limit(LOGIN_ATTEMPTS_KEPT)
      .execute();
    return rows.map(attemptFromRow);
  }
}
