/**
 * Embedding the portal by iframe (`embed.ts`):
 * - `embed_links`: single-use links a host frames in its page. Only a SHA-256 hash of the token
 *   is stored (unique); the origin of the page that frames it; how long the session it opens
 *   lasts; when it must be opened by (about a minute); when it was opened (`consumed_at`: once).
 * - `portal_links.session_seconds`: set on the link an embed link opens (its session): each of
 *   the admin's requests renews it to that many seconds from then (null: a fixed-lifetime link).
 */
import { sql, type Kysely, type Migration } from 'kysely';

export const embed: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('embed_links')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('token_hash', 'text', (c) => c.notNull())
      .addColumn('parent_origin', 'text', (c) => c.notNull())
      .addColumn('session_seconds', 'integer', (c) => c.notNull().check(sql`session_seconds > 0`))
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
      .addColumn('consumed_at', 'timestamptz')
      .addUniqueConstraint('embed_links_token_hash_key', ['token_hash'])
      .execute();
    await db.schema.createIndex('embed_links_organization_idx').on('embed_links').columns(['organization_id', 'created_at']).execute();
    await db.schema.alterTable('portal_links').addColumn('session_seconds', 'integer').execute();
  },
};
