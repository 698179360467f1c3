/**
 * Login traces (issue 15, point 4; `../../store/login-attempt-store.ts`): `login_attempts`, the
 * last login attempts of each connection (the store keeps 50), tests and real sign-ins: when,
 * who, the outcome, and the trace (`core/login-trace.ts`: the checks the service provider ran,
 * the decoded request and answer, redacted before they are written) as `trace` jsonb.
 *
 * Deleting a connection (or its organization) deletes its attempts.
 */
import { sql, type Kysely, type Migration } from 'kysely';

export const loginAttempts: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('login_attempts')
      .addColumn('seq', 'integer', (c) => c.generatedAlwaysAsIdentity().primaryKey())
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id').onDelete('cascade'))
      .addColumn('at', 'timestamptz', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('test', 'sign-in')`))
      .addColumn('test_id', 'text')
      .addColumn('user_email', 'text')
      .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('success', 'failure')`))
      .addColumn('error_code', 'text')
      .addColumn('trace', 'jsonb', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('login_attempts_connection_idx').on('login_attempts').columns(['connection_id', 'seq']).execute();
  },
};
