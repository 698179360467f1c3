/**
 * The concurrency primitives of the SQL store, as single statements the database decides:
 * a connection write that only lands on the version it read, a domain verification that a
 * constraint keeps unique across organizations, and a replay-cache entry inserted only if absent.
 * They hold across any number of server instances sharing one PostgreSQL.
 */
import { sql, type Kysely, type Updateable } from 'kysely';
import { PortalError } from '../../core/errors.js';
import { isUniqueViolation } from './errors.js';
import { CONSTRAINTS, type ConnectionRow, type ConnectionsTable, type DatabaseSchema } from './schema.js';

export type ConnectionWrite = Omit<Updateable<ConnectionsTable>, 'id' | 'organization_id' | 'version' | 'created_at'>;

/**
 * `UPDATE connections SET ..., version = version + 1 WHERE id = ? AND version = <expected>`:
 * the updated row, or `conflict` when someone else wrote first (the version moved on), or
 * `not_found` when the organization has no such connection.
 */
export async function updateConnectionIfVersion(
  db: Kysely<DatabaseSchema>,
  target: { organizationId: string; id: string; expectedVersion: number },
  changes: ConnectionWrite,
): Promise<ConnectionRow | 'conflict' | 'not_found'> {
  const updated = await db
    .updateTable('connections')
    .set({ ...changes, version: sql<number>`version + 1` })
    .where('organization_id', '=', target.organizationId)
    .where('id', '=', target.id)
    .where('version', '=', target.expectedVersion)
    .returningAll()
    .executeTakeFirst();
  if (updated) return updated;
  const exists = await db
    .selectFrom('connections')
    .select('id')
    .where('organization_id', '=', target.organizationId)
    .where('id', '=', target.id)
    .executeTakeFirst();
  return exists ? 'conflict' : 'not_found';
}

/**
 * Marks an organization's domain verified. Throws `domain_taken` when another organization
 * verified the same name (the partial unique index decides, also between instances racing);
 * returns false when the organization has no such domain.
 */
export async function markDomainVerified(db: Kysely<DatabaseSchema>, organizationId: string, name: string, at: Date): Promise<boolean> {
  try {
    const result = await db
      .updateTable('domains')
      .set({ status: 'verified', verified_at: at, last_checked_at: at })
      .where('organization_id', '=', organizationId)
      .where('name', '=', name)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  } catch (error) {
    if (isUniqueViolation(error, CONSTRAINTS.verifiedDomain)) throw new PortalError('domain_taken', { cause: error });
    throw error;
  }
}

/**
 * Remembers an accepted SAML assertion until `expiresAt`: true the first time, false for a
 * replay (the same assertion for the same connection while its entry has not expired). One
 * statement, `INSERT ... ON CONFLICT DO UPDATE ... WHERE expired`: of concurrent callers with
 * the same assertion, exactly one gets true.
 */
export async function rememberAssertion(
  db: Kysely<DatabaseSchema>,
  entry: { connectionId: string; assertionIdHash: string; expiresAt: Date; now: Date },
): Promise<boolean> {
  const written = await db
    .insertInto('replay_cache')
    .values({ connection_id: entry.connectionId, assertion_id_hash: entry.assertionIdHash, expires_at: entry.expiresAt })
    .onConflict((oc) =>
      oc
        .columns(['connection_id', 'assertion_id_hash'])
        .doUpdateSet({ expires_at: (eb) => eb.ref('excluded.expires_at') })
        .where('replay_cache.expires_at', '<=', entry.now),
    )
    .returning('connection_id')
    .executeTakeFirst();
  return written !== undefined;
}
