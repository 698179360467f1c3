/**
 * INTERIM, until the SQL store (issue 11, `store/`) writes organizations and connections to the
 * database: copies the organization and connection a login or a sign-in session belongs to from
 * the JSON/memory store into the `organizations` and `connections` tables (`ON CONFLICT DO
 * NOTHING`, only the columns the foreign keys of `login_transactions` and `sign_in_sessions`
 * need), so those rows can refer to them.
 *
 * DELETE this file and its three calls in `login-flows.ts` when merging the SQL store: there the
 * rows exist already, and this copy could bring back a connection deleted meanwhile.
 */
import type { Connection } from '../../core/model.js';
import type { Database } from '../db/database.js';
import type { ConnectionConfig } from '../db/schema.js';
import type { OrganizationRecord } from '../types.js';

export async function ensureOwnerRows(database: Database, organization: OrganizationRecord, connection?: Connection): Promise<void> {
  await database.db
    .insertInto('organizations')
    .values({ id: organization.id, name: organization.name, branding: organization.branding, created_at: organization.createdAt })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  if (!connection) return;
  await database.db
    .insertInto('connections')
    .values({
      id: connection.id,
      organization_id: organization.id,
      protocol: connection.protocol,
      provider_id: connection.providerId,
      name: connection.name ?? null,
      status: connection.status,
      // Not read by anything: the JSON store keeps the connection.
      config: {} as ConnectionConfig,
      created_at: connection.createdAt,
      updated_at: connection.updatedAt,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}
