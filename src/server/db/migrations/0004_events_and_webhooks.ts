/**
 * The event log and the webhooks (issue 13):
 *
 * - `events`: append-only, written in the same transaction as the change it records (the audit
 *   log and the webhooks' outbox). `seq` orders it (identity, never reused); `dedupe_key`, when
 *   set, is unique: an event a periodic job may find on several instances (a certificate about
 *   to expire) is recorded once.
 * - `webhook_endpoints`: where the host wants events; the signing secret sealed like client
 *   secrets (`key_id`).
 * - `webhook_deliveries`: one row per (event, endpoint), made with the event for the endpoints
 *   subscribed then; claimed by one instance at a time (`FOR UPDATE SKIP LOCKED`, then a lease
 *   in `next_attempt_at`).
 *
 * Deleting an organization deletes its events (and their deliveries); deleting an endpoint
 * deletes its deliveries.
 */
import { sql, type Kysely, type Migration } from 'kysely';

const now = sql`now()`;

export const eventsAndWebhooks: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('events')
      .addColumn('seq', 'integer', (c) => c.generatedAlwaysAsIdentity().primaryKey())
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('actor_kind', 'text', (c) => c.notNull().check(sql`actor_kind in ('portal_link', 'admin_key', 'system')`))
      .addColumn('actor_id', 'text', (c) => c.notNull())
      .addColumn('target_kind', 'text')
      .addColumn('target_id', 'text')
      .addColumn('payload', 'jsonb', (c) => c.notNull())
      .addColumn('dedupe_key', 'text', (c) => c.unique())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .execute();
    await db.schema.createIndex('events_organization_idx').on('events').columns(['organization_id', 'seq']).execute();
    await db.schema.createIndex('events_type_idx').on('events').columns(['type', 'seq']).execute();

    await db.schema
      .createTable('webhook_endpoints')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      /** Event types, or null for every type. */
      .addColumn('event_types', 'jsonb')
      .addColumn('secret_ciphertext', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
      .addColumn('disabled_reason', 'text')
      .addColumn('disabled_at', 'timestamptz')
      .addColumn('last_success_at', 'timestamptz')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .execute();

    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
      .addColumn('endpoint_id', 'text', (c) => c.notNull().references('webhook_endpoints.id').onDelete('cascade'))
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'delivered', 'failed')`))
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'timestamptz')
      .addColumn('last_attempt_at', 'timestamptz')
      /** The latest answer: status code, excerpt, duration, error code and message. */
      .addColumn('last_answer', 'jsonb')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .addUniqueConstraint('webhook_deliveries_event_endpoint_key', ['event_id', 'endpoint_id'])
      .execute();
    await db.schema.createIndex('webhook_deliveries_due_idx').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
    await db.schema.createIndex('webhook_deliveries_endpoint_idx').on('webhook_deliveries').columns(['endpoint_id', 'created_at']).execute();
  },
};
