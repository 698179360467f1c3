/**
 * Test links for a colleague (issue 15, `../../store/test-link-store.ts`): `test_links`, one row
 * per link, scoped to an organization and a connection (deleted with either). Only a SHA-256 hash
 * of the token is stored (unique). `used_at` is set once, by one conditional `UPDATE`, when the
 * colleague starts the login; `test_id` names the test it ran (no foreign key: tests are pruned
 * on their own terms, and a link without its test still says it was used).
 */
import { sql, type Kysely, type Migration } from 'kysely';

export const testLinks: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('test_links')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id').onDelete('cascade'))
      .addColumn('token_hash', 'text', (c) => c.notNull())
      .addColumn('label', 'text')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
      .addColumn('used_at', 'timestamptz')
      .addColumn('revoked_at', 'timestamptz')
      .addColumn('test_id', 'text')
      .addUniqueConstraint('test_links_token_hash_key', ['token_hash'])
      .execute();
    await db.schema.createIndex('test_links_connection_idx').on('test_links').columns(['organization_id', 'connection_id', 'created_at']).execute();
  },
};
