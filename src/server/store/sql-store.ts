/// <reference types="node" />
/**
 * The `Store` over the SQL layer (`../db/`): PGlite or PostgreSQL, shared by any number of
 * server instances.
 *
 * Organizations and portal links are one row each (revoking a link is a row update, seen at once
 * by every instance). An organization's state is spread over `connections` (columns plus the
 * rest in `config`), `client_secrets` (sealed with the SecretBox, `key_id` its fingerprint),
 * `test_results` (`stale`: the pending tests of core's `staleTests`) and `domains`. `updateOrganizationData` changes it in one transaction: the
 * organization row is locked (`SELECT ... FOR UPDATE`), the state read, the change applied, and
 * only what changed written: a connection by `updateConnectionIfVersion` (the conditional update
 * on the version it was read at), a newly verified domain by `markDomainVerified` (the partial
 * unique index answers `domain_taken`, also between instances racing).
 *
 * Every write records its events (`../events.ts`: the audit log and the webhooks' outbox) in its
 * own transaction, with the actor the caller names; `onEventsRecorded` listeners (the webhook
 * worker's `wake`) are told after the commit.
 */
import { isDeepStrictEqual } from 'node:util';
import { sql, type Kysely, type Transaction } from 'kysely';
import { PortalError } from '../../core/errors.js';
import type { Database } from '../db/database.js';
import { MIGRATIONS } from '../db/migrations/index.js';
import { markDomainVerified, updateConnectionIfVersion } from '../db/queries.js';
import { connectionConfig, connectionFromRow, domainFromRow, linkFromRow, organizationFromRow, testResultDetails, testResultFromRow } from '../db/rows.js';
import type { DatabaseSchema } from '../db/schema.js';
import { linkEvent, organizationCreatedEvent, organizationEvents, recordEvents, systemActor, type Actor, type NewEvent } from '../events.js';
import type { SecretBox } from '../secret-box.js';
import type { EmbedLinkRecord, LinkRecord, OrganizationData, OrganizationRecord } from '../types.js';
import { SqlDirectoryStore } from './directory-store.js';
import { SqlTestLinkStore } from './test-link-store.js';
import { SqlLoginAttemptStore } from './login-attempt-store.js';
import type { OrganizationDataChange, Store } from './store.js';

type Db = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;

const iso = (date: Date): string => date.toISOString();

/**
 * A model time (ms precision) with `offset` microseconds added: rows written in one clock
 * millisecond keep the order they were made in (`ORDER BY created_at`), and read back as the
 * same millisecond.
 */
function ordered(at: string, offset: number): string {
  const ms = Date.parse(at);
  if (!Number.isFinite(ms) || offset <= 0) return at;
  return `${new Date(ms).toISOString().slice(0, 23)}${String(Math.min(offset, 999)).padStart(3, '0')}Z`;
}

/** Equal as stored (JSON: key order and undefined properties do not count). */
const same = (a: unknown, b: unknown): boolean => isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));

/** The microseconds (below the millisecond) of a row's `created_at` / `started_at`: its place among rows of the same millisecond. */
const micros = (column: 'created_at' | 'started_at') => sql<number>`(extract(microseconds from ${sql.ref(column)})::integer % 1000)`.as('micros');

/**
 * Hands out the offsets of new rows (see `ordered`): after every stored row of the same
 * millisecond (`stored`: row time -> the largest offset in use), in the order they are asked for.
 */
function offsets(stored: Iterable<[string, number]>): (at: string) => number {
  const largest = new Map<string, number>();
  for (const [at, offset] of stored) largest.set(at, Math.max(offset, largest.get(at) ?? -1));
  return (at) => {
    const next = (largest.get(at) ?? -1) + 1;
    largest.set(at, next);
    return next;
  };
}

/** An organization's state as read, with the offsets in use (to order new rows after them). */
interface ReadState {
  data: OrganizationData;
  connectionMicros: [string, number][];
  testMicros: [string, number][];
}

export interface SqlStoreOptions {
  /** The clock of the events' times (default: the system clock). */
  now?: () => Date;
}

/** Who changed something when the caller did not say. */
const UNKNOWN_ACTOR = systemActor('server');

export class SqlStore implements Store {
  readonly database: Database;
  #db: Kysely<DatabaseSchema>;
  #box: SecretBox;
  #now: () => Date;
  #listeners = new Set<() => void>();
  readonly directories: SqlDirectoryStore;
  readonly testLinks: SqlTestLinkStore;
  readonly loginAttempts: SqlLoginAttemptStore;

  constructor(database: Database, secrets: SecretBox, options: SqlStoreOptions = {}) {
    this.database = database;
    this.#db = database.db;
    this.#box = secrets;
    this.#now = options.now ?? (() => new Date());
    this.directories = new SqlDirectoryStore(this.#db, this.#now, (recorded) => this.#committed(undefined, recorded));
    this.testLinks = new SqlTestLinkStore(this.#db, this.#now, (recorded) => this.#committed(undefined, recorded));
    this.loginAttempts = new SqlLoginAttemptStore(this.#db);
  }

  /** Called after a transaction that recorded events committed (the webhook worker's `wake`). Returns the unsubscribe. */
  onEventsRecorded(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Tells the listeners, after the commit, when events were recorded. */
  #committed<T>(result: T, recorded: readonly string[]): T {
    if (!recorded.length) return result;
    for (const listener of this.#listeners) {
      try {
        listener();
      } catch {
        // a listener's failure is not the write's: it committed
      }
    }
    return result;
  }

  /** Runs `write` in a transaction with `record(events)` recording in it; listeners are told after the commit. */
  async #withEvents<T>(organizationId: string, actor: Actor, write: (trx: Transaction<DatabaseSchema>, record: (events: NewEvent[]) => Promise<void>) => Promise<T>): Promise<T> {
    const recorded: string[] = [];
    const result = await this.#db.transaction().execute((trx) =>
      write(trx, async (events) => {
        if (events.length) recorded.push(...(await recordEvents(trx, organizationId, actor, events, this.#now())));
      }),
    );
    return this.#committed(result, recorded);
  }

  // -------------------------------------------------------------------------------------
  // Organizations and links

  async listOrganizations(): Promise<OrganizationRecord[]> {
    const rows = await this.#db.selectFrom('organizations').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(organizationFromRow);
  }

  async getOrganization(id: string): Promise<OrganizationRecord | undefined> {
    const row = await this.#db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
    return row && organizationFromRow(row);
  }

  async putOrganization(organization: OrganizationRecord, actor: Actor = UNKNOWN_ACTOR): Promise<void> {
    await this.#withEvents(organization.id, actor, async (trx, record) => {
      // `xmax = 0`: the row was inserted, not updated.
      const row = await trx
        .insertInto('organizations')
        .values({ id: organization.id, name: organization.name, branding: organization.branding, created_at: organization.createdAt })
        .onConflict((oc) => oc.column('id').doUpdateSet({ name: organization.name, branding: organization.branding }))
        .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
        .executeTakeFirstOrThrow();
      if (row.inserted) await record([organizationCreatedEvent(organization)]);
    });
  }

  async listLinks(organizationId: string): Promise<LinkRecord[]> {
    const rows = await this.#db.selectFrom('portal_links').selectAll().where('organization_id', '=', organizationId).orderBy('created_at').orderBy('id').execute();
    return rows.map(linkFromRow);
  }

  async getLink(id: string): Promise<LinkRecord | undefined> {
    const row = await this.#db.selectFrom('portal_links').selectAll().where('id', '=', id).executeTakeFirst();
    return row && linkFromRow(row);
  }

  async findLinkByTokenHash(tokenHash: string): Promise<LinkRecord | undefined> {
    const row = await this.#db.selectFrom('portal_links').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return row && linkFromRow(row);
  }

  async putLink(link: LinkRecord, actor: Actor = UNKNOWN_ACTOR): Promise<void> {
    const values = { expires_at: link.expiresAt, revoked_at: link.revokedAt };
    await this.#withEvents(link.organizationId, actor, async (trx, record) => {
      const row = await trx
        .insertInto('portal_links')
        .values({ id: link.id, organization_id: link.organizationId, token_hash: link.tokenHash, created_at: link.createdAt, session_seconds: link.sessionSeconds ?? null, ...values })
        .onConflict((oc) => oc.column('id').doUpdateSet(values))
        .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
        .executeTakeFirstOrThrow();
      if (row.inserted) await record([linkEvent('portal_link.created', link)]);
    });
  }

  /**
   * Core `revokedLink` (a link revoked before keeps its first time), so that racing revocations
   * agree: the row is locked, and only the revocation that sets `revoked_at` records the event.
   */
  async revokeLink(id: string, at: string, actor: Actor = UNKNOWN_ACTOR): Promise<boolean> {
    const found = await this.#db.selectFrom('portal_links').select('organization_id').where('id', '=', id).executeTakeFirst();
    if (!found) return false;
    return this.#withEvents(found.organization_id, actor, async (trx, record) => {
      const before = await trx.selectFrom('portal_links').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!before) return false;
      const row = await trx
        .updateTable('portal_links')
        .set({ revoked_at: sql<Date>`coalesce(revoked_at, ${at}::timestamptz)` })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (before.revoked_at === null) await record([linkEvent('portal_link.revoked', linkFromRow(row))]);
      return true;
    });
  }

  /** Moves a live link's expiry later (never earlier), in one statement; a revoked link stays as it is. */
  async renewLink(id: string, expiresAt: string): Promise<void> {
    await this.#db
      .updateTable('portal_links')
      .set({ expires_at: sql<Date>`greatest(expires_at, ${expiresAt}::timestamptz)` })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
  }

  async putEmbedLink(link: EmbedLinkRecord): Promise<void> {
    await this.#db
      .insertInto('embed_links')
      .values({
        id: link.id,
        organization_id: link.organizationId,
        token_hash: link.tokenHash,
        parent_origin: link.parentOrigin,
        session_seconds: link.sessionSeconds,
        created_at: link.createdAt,
        expires_at: link.expiresAt,
        consumed_at: link.consumedAt,
      })
      .execute();
  }

  async findEmbedLinkByTokenHash(tokenHash: string): Promise<EmbedLinkRecord | undefined> {
    const r = await this.#db.selectFrom('embed_links').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return (
      r && {
        id: r.id,
        organizationId: r.organization_id,
        tokenHash: r.token_hash,
        parentOrigin: r.parent_origin,
        sessionSeconds: r.session_seconds,
        createdAt: r.created_at.toISOString(),
        expiresAt: r.expires_at.toISOString(),
        consumedAt: r.consumed_at ? r.consumed_at.toISOString() : null,
      }
    );
  }

  /** One statement: only the first of racing openings (on any instance) of an unused, unexpired link gets true. */
  async consumeEmbedLink(id: string, at: string): Promise<boolean> {
    const row = await this.#db
      .updateTable('embed_links')
      .set({ consumed_at: at })
      .where('id', '=', id)
      .where('consumed_at', 'is', null)
      .where('expires_at', '>', new Date(at))
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }

  async pruneEmbedLinks(createdBefore: string): Promise<void> {
    await this.#db.deleteFrom('embed_links').where('created_at', '<', new Date(createdBefore)).execute();
  }

  /** Forgets the links that ended (core `linkEndedAt`: revocation if earlier than expiry) before `endedBefore` (core `linkForgetBefore`). */
  async pruneLinks(endedBefore: string): Promise<void> {
    await this.#db
      .deleteFrom('portal_links')
      .where(sql<boolean>`least(coalesce(revoked_at, expires_at), expires_at) < ${endedBefore}::timestamptz`)
      .execute();
  }

  // -------------------------------------------------------------------------------------
  // One organization's state

  async getOrganizationData(organizationId: string): Promise<OrganizationData> {
    return (await this.#readState(this.#db, organizationId)).data;
  }

  async updateOrganizationData<T>(organizationId: string, change: OrganizationDataChange<T>, actor: Actor = UNKNOWN_ACTOR): Promise<T> {
    return this.#withEvents(organizationId, actor, async (trx, record) => {
      const locked = await trx.selectFrom('organizations').select('id').where('id', '=', organizationId).forUpdate().executeTakeFirst();
      if (!locked) throw new PortalError('not_found', { message: 'This organization does not exist.', details: { id: organizationId } });
      const state = await this.#readState(trx, organizationId);
      const { data, result } = await change(structuredClone(state.data));
      await this.#writeChanges(trx, organizationId, state, data);
      // What changed, recorded with the change (the audit log and the webhooks' outbox).
      await record(organizationEvents(state.data, data, (id) => Object.hasOwn(data.secrets, id) && state.data.secrets[id] !== data.secrets[id]));
      return result;
    });
  }

  async verifiedOwnerOf(domain: string, exceptId?: string): Promise<OrganizationRecord | undefined> {
    let query = this.#db
      .selectFrom('domains')
      .innerJoin('organizations', 'organizations.id', 'domains.organization_id')
      .select(['organizations.id', 'organizations.name', 'organizations.branding', 'organizations.created_at'])
      .where(sql<string>`lower(domains.name)`, '=', domain.toLowerCase())
      .where('domains.status', '=', 'verified');
    if (exceptId !== undefined) query = query.where('organizations.id', '!=', exceptId);
    const row = await query.executeTakeFirst();
    return row && organizationFromRow(row);
  }

  async #readState(db: Db, organizationId: string): Promise<ReadState> {
    const [connectionRows, domains, testRows, secrets] = await Promise.all([
      db.selectFrom('connections').selectAll().select(micros('created_at')).where('organization_id', '=', organizationId).orderBy('created_at').orderBy('id').execute(),
      db.selectFrom('domains').selectAll().where('organization_id', '=', organizationId).orderBy('created_at').orderBy('name').execute(),
      db.selectFrom('test_results').selectAll().select(micros('started_at')).where('organization_id', '=', organizationId).orderBy('started_at').orderBy('id').execute(),
      db.selectFrom('client_secrets').select(['connection_id', 'ciphertext']).where('organization_id', '=', organizationId).execute(),
    ]);
    const connections = connectionRows.map(connectionFromRow);
    const tests = testRows.map(testResultFromRow);
    const staleTests = testRows.filter((t) => t.stale && t.status === 'pending').map((t) => t.id);
    return {
      data: {
        connections,
        domains: domains.map(domainFromRow),
        tests,
        secrets: Object.fromEntries(secrets.map((s) => [s.connection_id, this.#box.open(s.ciphertext)])),
        ...(staleTests.length ? { staleTests } : {}),
      },
      connectionMicros: connections.map((c, i) => [c.createdAt, Number(connectionRows[i]!.micros)]),
      testMicros: tests.map((t, i) => [t.startedAt, Number(testRows[i]!.micros)]),
    };
  }

  /** Writes what differs between `before` and `after` (one organization, inside its transaction). */
  async #writeChanges(trx: Transaction<DatabaseSchema>, organizationId: string, state: ReadState, after: OrganizationData): Promise<void> {
    const before = state.data;
    const now = new Date();

    // Connections (first: secrets and tests refer to them).
    const oldConnections = new Map(before.connections.map((c) => [c.id, c]));
    const keptConnections = new Set(after.connections.map((c) => c.id));
    const removed = before.connections.filter((c) => !keptConnections.has(c.id)).map((c) => c.id);
    if (removed.length) await trx.deleteFrom('connections').where('organization_id', '=', organizationId).where('id', 'in', removed).execute();
    const connectionFromRowfset = offsets(state.connectionMicros);
    for (const connection of after.connections) {
      const old = oldConnections.get(connection.id);
      const columns = { protocol: connection.protocol, provider_id: connection.providerId, name: connection.name ?? null, status: connection.status, config: connectionConfig(connection) };
      if (!old) {
        await trx
          .insertInto('connections')
          .values({
            id: connection.id,
            organization_id: organizationId,
            ...columns,
            version: connection.version,
            created_at: ordered(connection.createdAt, connectionFromRowfset(connection.createdAt)),
            updated_at: connection.updatedAt,
          })
          .execute();
        continue;
      }
      if (same(old, connection)) continue;
      if (connection.version === old.version) {
        // What the server records beside the admin's edits (the latest test): no new version.
        await trx.updateTable('connections').set({ ...columns, updated_at: connection.updatedAt }).where('id', '=', connection.id).where('version', '=', old.version).execute();
        continue;
      }
      const updated = await updateConnectionIfVersion(trx, { organizationId, id: connection.id, expectedVersion: old.version }, { ...columns, updated_at: connection.updatedAt });
      if (updated === 'not_found') throw new PortalError('not_found', { message: 'This connection does not exist (any more).', details: { id: connection.id } });
      if (updated === 'conflict' || updated.version !== connection.version) {
        throw new PortalError('conflict', { details: { expectedVersion: old.version, currentVersion: updated === 'conflict' ? undefined : updated.version } });
      }
    }

    // Client secrets, sealed.
    for (const [connectionId, secret] of Object.entries(after.secrets)) {
      if (!keptConnections.has(connectionId) || before.secrets[connectionId] === secret) continue;
      const values = { ciphertext: this.#box.seal(secret), key_id: this.#box.keyId, updated_at: now };
      await trx
        .insertInto('client_secrets')
        .values({ connection_id: connectionId, organization_id: organizationId, ...values })
        .onConflict((oc) => oc.column('connection_id').doUpdateSet(values))
        .execute();
    }
    const dropped = Object.keys(before.secrets).filter((id) => keptConnections.has(id) && !Object.hasOwn(after.secrets, id));
    if (dropped.length) await trx.deleteFrom('client_secrets').where('connection_id', 'in', dropped).execute();

    // Test results (those of deleted connections went with them).
    const oldTests = new Map(before.tests.map((t) => [t.id, t]));
    const keptTests = new Set(after.tests.map((t) => t.id));
    const removedTests = before.tests.filter((t) => !keptTests.has(t.id) && keptConnections.has(t.connectionId)).map((t) => t.id);
    if (removedTests.length) await trx.deleteFrom('test_results').where('id', 'in', removedTests).execute();
    const testResultFromRowfset = offsets(state.testMicros);
    const staleBefore = new Set(before.staleTests);
    const staleAfter = new Set(after.staleTests);
    // Oldest first, so that tests started in the same millisecond keep the order they were started in.
    for (const test of [...after.tests].reverse()) {
      if (!keptConnections.has(test.connectionId)) continue;
      const old = oldTests.get(test.id);
      const stale = staleAfter.has(test.id);
      if (old && same(old, test) && staleBefore.has(test.id) === stale) continue;
      const values = { status: test.status, result: testResultDetails(test), completed_at: test.completedAt, stale };
      if (old) {
        await trx.updateTable('test_results').set(values).where('id', '=', test.id).execute();
      } else {
        await trx
          .insertInto('test_results')
          .values({ id: test.id, organization_id: organizationId, connection_id: test.connectionId, mode: test.mode, started_at: ordered(test.startedAt, testResultFromRowfset(test.startedAt)), ...values })
          .execute();
      }
    }

    // Domains; a newly verified one last, under the unique index (`domain_taken`).
    const oldDomains = new Map(before.domains.map((d) => [d.name, d]));
    const keptDomains = new Set(after.domains.map((d) => d.name));
    const removedDomains = before.domains.filter((d) => !keptDomains.has(d.name)).map((d) => d.name);
    if (removedDomains.length) await trx.deleteFrom('domains').where('organization_id', '=', organizationId).where('name', 'in', removedDomains).execute();
    for (const domain of after.domains) {
      const old = oldDomains.get(domain.name);
      if (old && same(old, domain)) continue;
      const newlyVerified = domain.status === 'verified' && old?.status !== 'verified';
      const values = {
        status: newlyVerified ? (old?.status ?? 'pending') : domain.status,
        method: domain.method,
        txt_record_name: domain.txtRecord.name,
        txt_record_value: domain.txtRecord.value,
        verified_at: newlyVerified ? (old?.verifiedAt ?? null) : domain.verifiedAt,
        last_checked_at: domain.lastCheckedAt,
        last_check: domain.lastCheck ?? null,
      };
      if (old) {
        await trx.updateTable('domains').set(values).where('organization_id', '=', organizationId).where('name', '=', domain.name).execute();
      } else {
        await trx.insertInto('domains').values({ organization_id: organizationId, name: domain.name, ...values }).execute();
      }
      if (newlyVerified) {
        const at = new Date(domain.verifiedAt ?? domain.lastCheckedAt ?? now.toISOString());
        try {
          await markDomainVerified(trx, organizationId, domain.name, at);
        } catch (error) {
          if (error instanceof PortalError && error.code === 'domain_taken') throw new PortalError('domain_taken', { details: { name: domain.name }, cause: error.cause });
          throw error;
        }
        if (domain.lastCheckedAt !== iso(at)) {
          await trx.updateTable('domains').set({ last_checked_at: domain.lastCheckedAt }).where('organization_id', '=', organizationId).where('name', '=', domain.name).execute();
        }
      }
    }
  }

  // -------------------------------------------------------------------------------------
  // Settings

  async getSetting(name: string): Promise<string | undefined> {
    const row = await this.#db.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirst();
    return row?.value;
  }

  async putSetting(name: string, value: string): Promise<void> {
    await this.#db
      .insertInto('settings')
      .values({ name, value })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value }))
      .execute();
  }

  /** The database answers and every migration of this version is applied. */
  async ready(): Promise<void> {
    const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(this.#db);
    const names = new Set(applied.rows.map((r) => r.name));
    const pending = Object.keys(MIGRATIONS).filter((name) => !names.has(name));
    if (pending.length) throw new Error(`Database migrations not applied: ${pending.join(', ')}.`);
  }
}

/** The store over `database`; client secrets sealed with `secrets`. */
export function createSqlStore(database: Database, secrets: SecretBox, options: SqlStoreOptions = {}): SqlStore {
  return new SqlStore(database, secrets, options);
}
