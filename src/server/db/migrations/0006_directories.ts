/**
 * Directory sync (SCIM 2.0, issue 14; `../../scim/`, `../../store/directory-store.ts`):
 *
 * - `directories`: one per provisioning source of an organization. Only a SHA-256 hash of the
 *   bearer token is stored (unique), with its first characters (`token_hint`) to tell tokens
 *   apart. `version` guards the admin's writes (`conflict`).
 * - `directory_users`, `directory_groups`: the SCIM resources as documents (`doc`, without `id`,
 *   `meta`, a user's `groups` or a group's `members`), with the attributes queries filter and
 *   constrain on as columns (written from the document by the store). `version` is the ETag
 *   (`W/"<version>"`). `seq` orders them for the admin API's cursor. A userName is unique per
 *   directory, case-insensitively (`directory_users_user_name_key`: SCIM 409 `uniqueness`).
 * - `directory_group_members`: which users are members of which groups (a user's `groups`
 *   attribute is read from it); deleting a user or a group deletes its memberships.
 * - `directory_requests`: the last SCIM requests of each directory (the store keeps 50), what
 *   the portal shows: never a body or a token.
 * - `events.actor_kind` gains `directory`: SCIM changes are made by the directory.
 *
 * Deleting an organization deletes its directories; deleting a directory deletes the rest.
 */
import { sql, type Kysely, type Migration } from 'kysely';

const now = sql`now()`;

export const directories: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('directories')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('setup', 'enabled', 'disabled')`))
      .addColumn('token_hash', 'text', (c) => c.notNull())
      .addColumn('token_hint', 'text', (c) => c.notNull())
      .addColumn('token_created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .addColumn('enabled_at', 'timestamptz')
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .addColumn('last_request_at', 'timestamptz')
      .addColumn('last_sync_at', 'timestamptz')
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1).check(sql`version >= 1`))
      .addUniqueConstraint('directories_token_hash_key', ['token_hash'])
      .execute();
    await db.schema.createIndex('directories_organization_idx').on('directories').columns(['organization_id', 'created_at']).execute();

    await db.schema
      .createTable('directory_users')
      .addColumn('seq', 'integer', (c) => c.generatedAlwaysAsIdentity().unique())
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('directory_id', 'text', (c) => c.notNull().references('directories.id').onDelete('cascade'))
      .addColumn('external_id', 'text')
      .addColumn('user_name', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text')
      .addColumn('email', 'text')
      .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
      .addColumn('doc', 'jsonb', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .execute();
    await sql`create unique index directory_users_user_name_key on directory_users (directory_id, lower(user_name))`.execute(db);
    await db.schema.createIndex('directory_users_external_id_idx').on('directory_users').columns(['directory_id', 'external_id']).execute();
    await db.schema.createIndex('directory_users_directory_idx').on('directory_users').columns(['directory_id', 'seq']).execute();

    await db.schema
      .createTable('directory_groups')
      .addColumn('seq', 'integer', (c) => c.generatedAlwaysAsIdentity().unique())
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('directory_id', 'text', (c) => c.notNull().references('directories.id').onDelete('cascade'))
      .addColumn('external_id', 'text')
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('doc', 'jsonb', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .execute();
    await db.schema.createIndex('directory_groups_directory_idx').on('directory_groups').columns(['directory_id', 'seq']).execute();
    await sql`create index directory_groups_display_name_idx on directory_groups (directory_id, lower(display_name))`.execute(db);

    await db.schema
      .createTable('directory_group_members')
      .addColumn('group_id', 'text', (c) => c.notNull().references('directory_groups.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('directory_users.id').onDelete('cascade'))
      .addColumn('directory_id', 'text', (c) => c.notNull().references('directories.id').onDelete('cascade'))
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .addPrimaryKeyConstraint('directory_group_members_pkey', ['group_id', 'user_id'])
      .execute();
    await db.schema.createIndex('directory_group_members_user_idx').on('directory_group_members').columns(['user_id']).execute();

    await db.schema
      .createTable('directory_requests')
      .addColumn('seq', 'integer', (c) => c.generatedAlwaysAsIdentity().primaryKey())
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('directory_id', 'text', (c) => c.notNull().references('directories.id').onDelete('cascade'))
      .addColumn('at', 'timestamptz', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('scim_type', 'text')
      .addColumn('detail', 'text')
      .addColumn('remedy', 'text')
      .execute();
    await db.schema.createIndex('directory_requests_directory_idx').on('directory_requests').columns(['directory_id', 'seq']).execute();

    // SCIM changes are recorded with the directory as their actor.
    await sql`alter table events drop constraint events_actor_kind_check`.execute(db);
    await sql`alter table events add constraint events_actor_kind_check check (actor_kind in ('portal_link', 'admin_key', 'system', 'directory'))`.execute(db);
  },
};
