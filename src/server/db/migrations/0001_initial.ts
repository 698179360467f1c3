/**
 * The first schema: every table of `../schema.ts`. Deleting an organization deletes what is
 * its own (links, connections, secrets, tests, domains, logins in flight, sessions).
 */
import { sql, type Kysely, type Migration } from 'kysely';

const now = sql`now()`;

export const initial: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('organizations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('branding', 'jsonb', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .execute();

    await db.schema
      .createTable('portal_links')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('token_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
      .addColumn('revoked_at', 'timestamptz')
      .addUniqueConstraint('portal_links_token_hash_key', ['token_hash'])
      .execute();
    await db.schema.createIndex('portal_links_organization_idx').on('portal_links').columns(['organization_id', 'created_at']).execute();

    await db.schema
      .createTable('connections')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('protocol', 'text', (c) => c.notNull().check(sql`protocol in ('saml', 'oidc')`))
      .addColumn('provider_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'configured', 'active', 'inactive')`))
      .addColumn('config', 'jsonb', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1).check(sql`version >= 1`))
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('connections_organization_idx').on('connections').columns(['organization_id', 'created_at']).execute();

    await db.schema
      .createTable('client_secrets')
      .addColumn('connection_id', 'text', (c) => c.primaryKey().references('connections.id').onDelete('cascade'))
      .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('ciphertext', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('client_secrets_key_idx').on('client_secrets').column('key_id').execute();

    await db.schema
      .createTable('test_results')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id').onDelete('cascade'))
      .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('sp', 'idp')`))
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'success', 'failure')`))
      .addColumn('result', 'jsonb', (c) => c.notNull())
      .addColumn('started_at', 'timestamptz', (c) => c.notNull())
      .addColumn('completed_at', 'timestamptz')
      .execute();
    await db.schema.createIndex('test_results_connection_idx').on('test_results').columns(['connection_id', 'started_at']).execute();

    await db.schema
      .createTable('domains')
      .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'verified', 'failed')`))
      .addColumn('method', 'text', (c) => c.notNull().check(sql`method in ('dns_txt', 'manual')`))
      .addColumn('txt_record_name', 'text', (c) => c.notNull())
      .addColumn('txt_record_value', 'text', (c) => c.notNull())
      .addColumn('verified_at', 'timestamptz')
      .addColumn('last_checked_at', 'timestamptz')
      .addColumn('last_check', 'jsonb')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .addPrimaryKeyConstraint('domains_pkey', ['organization_id', 'name'])
      .execute();
    // A verified domain belongs to one organization: two instances racing to verify it, one wins.
    await sql`create unique index domains_verified_name_key on domains (lower(name)) where status = 'verified'`.execute(db);

    await db.schema
      .createTable('login_transactions')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('test', 'sign-in')`))
      .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id').onDelete('cascade'))
      .addColumn('protocol', 'text', (c) => c.notNull().check(sql`protocol in ('saml', 'oidc')`))
      .addColumn('payload', 'jsonb', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
      .addColumn('used_at', 'timestamptz')
      .execute();
    await db.schema.createIndex('login_transactions_expires_idx').on('login_transactions').column('expires_at').execute();

    await db.schema
      .createTable('replay_cache')
      .addColumn('connection_id', 'text', (c) => c.notNull())
      .addColumn('assertion_id_hash', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('replay_cache_pkey', ['connection_id', 'assertion_id_hash'])
      .execute();
    await db.schema.createIndex('replay_cache_expires_idx').on('replay_cache').column('expires_at').execute();

    await db.schema
      .createTable('sign_in_sessions')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('connection_id', 'text', (c) => c.notNull())
      .addColumn('user', 'jsonb', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sign_in_sessions_expires_idx').on('sign_in_sessions').column('expires_at').execute();

    await db.schema
      .createTable('keys')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('private_key_ciphertext', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('certificate_pem', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .execute();

    await db.schema
      .createTable('rate_limit_buckets')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('tokens', 'double precision', (c) => c.notNull())
      .addColumn('refilled_at', 'timestamptz', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('settings')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
  },
};
