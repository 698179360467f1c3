/// <reference types="node" />
/**
 * Directory sync's storage (SCIM 2.0, issue 14; tables of migration 0006): directories, their
 * users and groups (documents plus the columns queries use), memberships and the request log.
 *
 * Every SCIM write is one transaction: it locks the directory's row (the same update that sets
 * `last_sync_at`, so a directory disabled meanwhile refuses it), writes the resource and records
 * its events (`../events.ts`) with the directory as actor. `directory.user.*` and
 * `directory.group.*` are recorded only while the directory is `enabled` (in `setup` the
 * requests are stored and logged, but the host is not told yet); `directory.created`,
 * `.enabled`, `.disabled`, `.token_regenerated` and `.deleted` always.
 *
 * Resources are stored WITHOUT `id` and `meta` (the routes add them), a user without its
 * `groups` (read from the memberships) and a group without its `members` (kept in
 * `directory_group_members`). Nothing here speaks SCIM's wire format: failures are
 * {@link DirectoryWriteError}s the routes turn into SCIM errors.
 */
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { PortalError } from '../../core/errors.js';
import type { DirectoryProviderId, DirectoryRequestFacts, DirectoryStatus, DirectorySummaryValues } from '../../core/directory-model.js';
import { isUniqueViolation } from '../db/errors.js';
import { CONSTRAINTS, type DatabaseSchema, type DirectoriesTable, type DirectoryRequestsTable } from '../db/schema.js';
import { recordEvents, type Actor, type NewEvent } from '../events.js';
import { groupSummary, isPlainObject, userSummary } from '../scim/scim-resources.js';

type Db = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;
type Doc = Record<string, unknown>;

/** How many requests each directory keeps in its log. */
export const DIRECTORY_REQUEST_LOG_SIZE = 50;

export const newDirectoryId = (prefix: 'dir' | 'usr' | 'grp' | 'dreq') => `${prefix}_${randomBytes(12).toString('base64url').replace(/[^A-Za-z0-9]/g, 'x')}`;

/** The directory as an actor of the event log (its SCIM requests). */
export const directoryActor = (directoryId: string): Actor => ({ kind: 'directory', id: directoryId });

export interface DirectoryRecord {
  id: string;
  organizationId: string;
  provider: DirectoryProviderId;
  name: string;
  status: DirectoryStatus;
  tokenHash: string;
  tokenHint: string;
  tokenCreatedAt: string;
  createdAt: string;
  enabledAt: string | null;
  updatedAt: string;
  lastRequestAt: string | null;
  lastSyncAt: string | null;
  version: number;
}

export interface DirectoryStats {
  users: number;
  activeUsers: number;
  groups: number;
  /** Refused requests since the time asked for (among the ones kept in the log). */
  recentErrors: number;
}

export interface DirectoryRequestEntry {
  at: string;
  method: string;
  path: string;
  summary: string;
  /** What `summary` is worded from (`core/directory-request-text.ts`), for the portal's language. */
  summaryCode?: string;
  summaryValues?: DirectorySummaryValues;
  status: number;
  /** `facts`: what `remedy` is worded from, with the directory's provider. */
  error?: { scimType?: string; detail: string; remedy: string; facts?: DirectoryRequestFacts };
}

export interface DirectoryRequestRecord extends DirectoryRequestEntry {
  id: string;
}

/** A reference to another resource (a user's group, a group's member). */
export interface ResourceRef {
  value: string;
  display: string | null;
}

/** A stored user: its document (no `id`, `meta`, `groups`) and what the store keeps beside it. */
export interface StoredUser {
  id: string;
  directoryId: string;
  doc: Doc;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** The groups it is a member of. */
  groups: ResourceRef[];
}

/** A stored group: its document (no `id`, `meta`, `members`) and its members. */
export interface StoredGroup {
  id: string;
  directoryId: string;
  doc: Doc;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Its members; empty when read without them (`withMembers` false). */
  members: ResourceRef[];
  memberCount: number;
}

export type DirectoryWriteFailure =
  /** No such directory (deleted meanwhile). */
  | 'directory_not_found'
  /** The directory was disabled meanwhile: SCIM requests are refused. */
  | 'disabled'
  | 'not_found'
  /** `If-Match` named another version. */
  | 'precondition_failed'
  /** Another user of the directory has this userName. */
  | 'uniqueness'
  /** A group member that is not a user of this directory. */
  | 'unknown_member';

export class DirectoryWriteError extends Error {
  readonly reason: DirectoryWriteFailure;
  readonly details: Record<string, unknown>;
  constructor(reason: DirectoryWriteFailure, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'DirectoryWriteError';
    this.reason = reason;
    this.details = details;
  }
}

// ---------------------------------------------------------------------------------------
// What the columns and the events take from a document

/** The columns a user document gives (the engine's summary of it: `../scim/scim-resources.ts`). */
function userColumns(doc: Doc) {
  const summary = userSummary(doc);
  const name = isPlainObject(doc.name) ? doc.name : {};
  const formatted = typeof name.formatted === 'string' ? name.formatted : null;
  const fallback = [summary.givenName, summary.familyName].filter(Boolean).join(' ') || null;
  return {
    user_name: summary.userName,
    external_id: summary.externalId,
    // What the host's search looks in: the display name, else the full name.
    display_name: summary.displayName ?? formatted ?? fallback,
    email: summary.email,
    active: summary.active,
  };
}

const groupColumns = (doc: Doc) => {
  const summary = groupSummary(doc);
  return { display_name: summary.displayName, external_id: summary.externalId };
};

/** A user as events show it: ids and names, never the whole document. */
export const userEventSummary = (id: string, doc: Doc) => {
  const summary = userSummary(doc);
  return { id, externalId: summary.externalId, userName: summary.userName, email: summary.email, displayName: summary.displayName, active: summary.active };
};

export const groupEventSummary = (id: string, doc: Doc, memberCount: number) => {
  const summary = groupSummary(doc);
  return { id, externalId: summary.externalId, displayName: summary.displayName, memberCount };
};

/** The top-level attributes that differ (names only). */
export function changedAttributes(before: Doc, after: Doc): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => !isDeepStrictEqual(before[name], after[name])).sort();
}

const directoryFromRow = (r: Selectable<DirectoriesTable>): DirectoryRecord => ({
  id: r.id,
  organizationId: r.organization_id,
  provider: r.provider,
  name: r.name,
  status: r.status,
  tokenHash: r.token_hash,
  tokenHint: r.token_hint,
  tokenCreatedAt: r.token_created_at.toISOString(),
  createdAt: r.created_at.toISOString(),
  enabledAt: r.enabled_at ? r.enabled_at.toISOString() : null,
  updatedAt: r.updated_at.toISOString(),
  lastRequestAt: r.last_request_at ? r.last_request_at.toISOString() : null,
  lastSyncAt: r.last_sync_at ? r.last_sync_at.toISOString() : null,
  version: r.version,
});

const requestFromRow = (r: Selectable<DirectoryRequestsTable>): DirectoryRequestRecord => ({
  id: r.id,
  at: r.at.toISOString(),
  method: r.method,
  path: r.path,
  summary: r.summary,
  status: r.status,
  ...(r.summary_code !== null ? { summaryCode: r.summary_code, summaryValues: r.summary_values ?? {} } : {}),
  ...(r.detail !== null ? { error: { ...(r.scim_type ? { scimType: r.scim_type } : {}), detail: r.detail, remedy: r.remedy ?? '', ...(r.remedy_facts ? { facts: r.remedy_facts } : {}) } } : {}),
});

/** A summary's values within the contract's lengths (names from a request can be long). */
const cappedValues = (values: DirectorySummaryValues): DirectorySummaryValues =>
  Object.fromEntries(Object.entries(values).map(([key, value]) => [key, typeof value === 'string' ? value.slice(0, 300) : Array.isArray(value) ? value.slice(0, 10).map((v) => v.slice(0, 200)) : value]));

const directorySummary = (d: DirectoryRecord) => ({ id: d.id, provider: d.provider, name: d.name, status: d.status, version: d.version });

/** `%`, `_` and `\` of a search text, escaped for `LIKE`. */
const likePattern = (search: string) => `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

// ---------------------------------------------------------------------------------------

export interface DirectoryChange {
  status?: DirectoryStatus;
  token?: { hash: string; hint: string };
}

export interface PageQuery {
  /** Rows after this one (its id), in the order they were made. */
  after?: string;
  limit: number;
}

export interface UserPageQuery extends PageQuery {
  search?: string;
  active?: boolean;
  groupId?: string;
}

/** A change of a user (PUT or PATCH): the new document from the current user (or the same one). */
export type UserChange = (current: StoredUser) => Doc | Promise<Doc>;
/** A change of a group: its new document and member ids. */
export type GroupChange = (current: StoredGroup) => { doc: Doc; members: string[] } | Promise<{ doc: Doc; members: string[] }>;

export interface WriteResult<T> {
  resource: T;
  /** Whether anything changed (a PUT of the same document changes nothing, and records nothing). */
  changed: boolean;
}

/** The resource a SCIM write read: `not_found` when there is none, `precondition_failed` when `If-Match` named another version. */
function found<T extends { version: number }>(current: T | undefined, kind: 'user' | 'group', id: string, ifVersion: number | undefined): T {
  if (!current) throw new DirectoryWriteError('not_found', `There is no ${kind} with this id in this directory.`, { id });
  if (ifVersion !== undefined && ifVersion !== current.version) {
    throw new DirectoryWriteError('precondition_failed', `The ${kind} changed since this version was read.`, { version: current.version });
  }
  return current;
}

export class SqlDirectoryStore {
  #db: Kysely<DatabaseSchema>;
  #now: () => Date;
  #committed: (recorded: readonly string[]) => void;

  /** `committed`: told the events recorded after each commit (the webhook worker's wake). */
  constructor(db: Kysely<DatabaseSchema>, now: () => Date, committed: (recorded: readonly string[]) => void = () => {}) {
    this.#db = db;
    this.#now = now;
    this.#committed = committed;
  }

  async #withEvents<T>(write: (trx: Transaction<DatabaseSchema>, record: (organizationId: string, actor: Actor, events: NewEvent[]) => Promise<void>) => Promise<T>): Promise<T> {
    const recorded: string[] = [];
    const result = await this.#db.transaction().execute((trx) =>
      write(trx, async (organizationId, actor, events) => {
        if (events.length) recorded.push(...(await recordEvents(trx, organizationId, actor, events, this.#now())));
      }),
    );
    if (recorded.length) this.#committed(recorded);
    return result;
  }

  // -------------------------------------------------------------------------------------
  // Directories (the portal's writes)

  async listDirectories(organizationId: string): Promise<DirectoryRecord[]> {
    const rows = await this.#db.selectFrom('directories').selectAll().where('organization_id', '=', organizationId).orderBy('created_at').orderBy('id').execute();
    return rows.map(directoryFromRow);
  }

  async getDirectory(id: string): Promise<DirectoryRecord | undefined> {
    const row = await this.#db.selectFrom('directories').selectAll().where('id', '=', id).executeTakeFirst();
    return row && directoryFromRow(row);
  }

  /** Users (all, active), groups, and refused requests since `since` of each directory. */
  async directoryStats(ids: readonly string[], since: string): Promise<Map<string, DirectoryStats>> {
    const stats = new Map<string, DirectoryStats>(ids.map((id) => [id, { users: 0, activeUsers: 0, groups: 0, recentErrors: 0 }]));
    if (!ids.length) return stats;
    const [users, groups, errors] = await Promise.all([
      this.#db
        .selectFrom('directory_users')
        .select(['directory_id', sql<number>`count(*)::integer`.as('users'), sql<number>`(count(*) filter (where active))::integer`.as('active')])
        .where('directory_id', 'in', [...ids])
        .groupBy('directory_id')
        .execute(),
      this.#db.selectFrom('directory_groups').select(['directory_id', sql<number>`count(*)::integer`.as('groups')]).where('directory_id', 'in', [...ids]).groupBy('directory_id').execute(),
      this.#db
        .selectFrom('directory_requests')
        .select(['directory_id', sql<number>`count(*)::integer`.as('errors')])
        .where('directory_id', 'in', [...ids])
        .where('status', '>=', 400)
        .where('at', '>=', new Date(since))
        .groupBy('directory_id')
        .execute(),
    ]);
    for (const r of users) Object.assign(stats.get(r.directory_id)!, { users: Number(r.users), activeUsers: Number(r.active) });
    for (const r of groups) stats.get(r.directory_id)!.groups = Number(r.groups);
    for (const r of errors) stats.get(r.directory_id)!.recentErrors = Number(r.errors);
    return stats;
  }

  /** Stores a new directory (status `setup`) and records `directory.created`. */
  async createDirectory(directory: DirectoryRecord, actor: Actor): Promise<DirectoryRecord> {
    return this.#withEvents(async (trx, record) => {
      const row = await trx
        .insertInto('directories')
        .values({
          id: directory.id,
          organization_id: directory.organizationId,
          provider: directory.provider,
          name: directory.name,
          status: directory.status,
          token_hash: directory.tokenHash,
          token_hint: directory.tokenHint,
          token_created_at: directory.tokenCreatedAt,
          created_at: directory.createdAt,
          enabled_at: directory.enabledAt,
          updated_at: directory.updatedAt,
          version: directory.version,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const created = directoryFromRow(row);
      await record(created.organizationId, actor, [{ type: 'directory.created', target: { kind: 'directory', id: created.id }, payload: { directory: directorySummary(created) } }]);
      return created;
    });
  }

  /**
   * Changes a directory's status or token if it is still at `expectedVersion` (`conflict`
   * otherwise; `not_found` when it is not the organization's), and records what changed.
   */
  async updateDirectory(organizationId: string, id: string, expectedVersion: number, change: DirectoryChange, actor: Actor): Promise<DirectoryRecord> {
    return this.#withEvents(async (trx, record) => {
      const row = await trx.selectFrom('directories').selectAll().where('id', '=', id).where('organization_id', '=', organizationId).forUpdate().executeTakeFirst();
      if (!row) throw new PortalError('not_found', { message: 'This directory does not exist.', details: { id } });
      const before = directoryFromRow(row);
      if (before.version !== expectedVersion) throw new PortalError('conflict', { details: { expectedVersion, currentVersion: before.version } });
      const at = this.#now();
      const status = change.status ?? before.status;
      const statusChanged = status !== before.status;
      if (!statusChanged && !change.token) return before;
      const updated = await trx
        .updateTable('directories')
        .set({
          status,
          ...(statusChanged && status === 'enabled' ? { enabled_at: at } : {}),
          ...(change.token ? { token_hash: change.token.hash, token_hint: change.token.hint, token_created_at: at } : {}),
          updated_at: at,
          version: before.version + 1,
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const after = directoryFromRow(updated);
      const target = { kind: 'directory', id } as const;
      const events: NewEvent[] = [];
      if (statusChanged && status === 'enabled') events.push({ type: 'directory.enabled', target, payload: { directory: directorySummary(after) } });
      if (statusChanged && status === 'disabled') events.push({ type: 'directory.disabled', target, payload: { directory: directorySummary(after) } });
      if (change.token) events.push({ type: 'directory.token_regenerated', target, payload: { directory: directorySummary(after), tokenHint: after.tokenHint } });
      await record(organizationId, actor, events);
      return after;
    });
  }

  /** Deletes a directory with its users, groups and log; `not_found` when it is not the organization's. */
  async deleteDirectory(organizationId: string, id: string, actor: Actor): Promise<void> {
    await this.#withEvents(async (trx, record) => {
      const row = await trx.deleteFrom('directories').where('id', '=', id).where('organization_id', '=', organizationId).returningAll().executeTakeFirst();
      if (!row) throw new PortalError('not_found', { message: 'This directory does not exist.', details: { id } });
      await record(organizationId, actor, [{ type: 'directory.deleted', target: { kind: 'directory', id }, payload: { directory: directorySummary(directoryFromRow(row)) } }]);
    });
  }

  // -------------------------------------------------------------------------------------
  // The request log

  /** Records one SCIM request, keeps the latest {@link DIRECTORY_REQUEST_LOG_SIZE}, and sets `last_request_at`. */
  async recordRequest(directoryId: string, entry: DirectoryRequestEntry): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      const found = await trx
        .updateTable('directories')
        .set({ last_request_at: sql<Date>`greatest(coalesce(last_request_at, ${entry.at}::timestamptz), ${entry.at}::timestamptz)` })
        .where('id', '=', directoryId)
        .returning('id')
        .executeTakeFirst();
      if (!found) return; // deleted meanwhile
      await trx
        .insertInto('directory_requests')
        .values({
          id: newDirectoryId('dreq'),
          directory_id: directoryId,
          at: entry.at,
          method: entry.method,
          path: entry.path.slice(0, 2048),
          summary: entry.summary.slice(0, 300) || `${entry.method} request`,
          status: entry.status,
          scim_type: entry.error?.scimType?.slice(0, 64) ?? null,
          detail: entry.error ? entry.error.detail.slice(0, 1000) : null,
          remedy: entry.error ? entry.error.remedy.slice(0, 1000) : null,
          summary_code: entry.summaryCode?.slice(0, 64) ?? null,
          summary_values: entry.summaryCode ? cappedValues(entry.summaryValues ?? {}) : null,
          remedy_facts: entry.error?.facts ? { ...entry.error.facts, ...(entry.error.facts.resource ? { resource: entry.error.facts.resource.slice(0, 200) } : {}) } : null,
        })
        .execute();
      await sql`
        delete from directory_requests
        where directory_id = ${directoryId}
          and seq < (select min(seq) from (select seq from directory_requests where directory_id = ${directoryId} order by seq desc limit ${DIRECTORY_REQUEST_LOG_SIZE}) kept)
      `.execute(trx);
    });
  }

  /** The directory's latest requests, newest first. */
  async listRequests(directoryId: string, limit = DIRECTORY_REQUEST_LOG_SIZE): Promise<DirectoryRequestRecord[]> {
    const rows = await this.#db.selectFrom('directory_requests').selectAll().where('directory_id', '=', directoryId).orderBy('seq', 'desc').limit(limit).execute();
    return rows.map(requestFromRow);
  }

  // -------------------------------------------------------------------------------------
  // SCIM writes: one transaction each, with their events

  /**
   * Runs a SCIM write: locks the directory's row (setting `last_sync_at`), refuses it when the
   * directory is gone or disabled, and records `events(...)` only while it is enabled.
   */
  async #scimWrite<T>(
    directoryId: string,
    write: (trx: Transaction<DatabaseSchema>, at: Date, record: (events: NewEvent[]) => Promise<void>) => Promise<{ result: T; synced: boolean }>,
  ): Promise<T> {
    return this.#withEvents(async (trx, record) => {
      const at = this.#now();
      const directory = await trx.selectFrom('directories').select(['organization_id', 'status']).where('id', '=', directoryId).forUpdate().executeTakeFirst();
      if (!directory) throw new DirectoryWriteError('directory_not_found', 'This directory does not exist.');
      if (directory.status === 'disabled') throw new DirectoryWriteError('disabled', 'This directory is disabled.');
      const { result, synced } = await write(trx, at, async (events) => {
        if (directory.status === 'enabled') await record(directory.organization_id, directoryActor(directoryId), events);
      });
      if (synced) await trx.updateTable('directories').set({ last_sync_at: at }).where('id', '=', directoryId).execute();
      return result;
    });
  }

  async createUser(directoryId: string, doc: Doc): Promise<StoredUser> {
    return this.#scimWrite(directoryId, async (trx, at, record) => {
      const id = newDirectoryId('usr');
      await insertOrUniqueness(() =>
        trx
          .insertInto('directory_users')
          .values({ id, directory_id: directoryId, ...userColumns(doc), doc, version: 1, created_at: at, updated_at: at })
          .execute(),
      );
      await record([{ type: 'directory.user.created', target: { kind: 'directory_user', id }, payload: { directoryId, user: userEventSummary(id, doc) } }]);
      return { result: { id, directoryId, doc, version: 1, createdAt: at.toISOString(), updatedAt: at.toISOString(), groups: [] }, synced: true };
    });
  }

  /**
   * Replaces a user's document with what `change` makes of it (PUT, PATCH), if it is still at
   * `ifVersion` (when given). An unchanged document is not written (no new version, no event).
   */
  async updateUser(directoryId: string, id: string, change: UserChange, ifVersion?: number): Promise<WriteResult<StoredUser>> {
    return this.#scimWrite<WriteResult<StoredUser>>(directoryId, async (trx, at, record) => {
      const current = found(await readUser(trx, directoryId, id, true), 'user', id, ifVersion);
      const doc = await change(structuredClone(current));
      const changes = changedAttributes(current.doc, doc);
      if (!changes.length) return { result: { resource: current, changed: false }, synced: false };
      await insertOrUniqueness(() =>
        trx
          .updateTable('directory_users')
          .set({ ...userColumns(doc), doc, version: current.version + 1, updated_at: at })
          .where('id', '=', id)
          .execute(),
      );
      const user = userEventSummary(id, doc);
      const target = { kind: 'directory_user', id } as const;
      const events: NewEvent[] = [{ type: 'directory.user.updated', target, payload: { directoryId, user, changes } }];
      if (userSummary(current.doc).active && !user.active) events.push({ type: 'directory.user.deactivated', target, payload: { directoryId, user } });
      await record(events);
      return { result: { resource: { ...current, doc, version: current.version + 1, updatedAt: at.toISOString() }, changed: true }, synced: true };
    });
  }

  async deleteUser(directoryId: string, id: string, ifVersion?: number): Promise<void> {
    await this.#scimWrite(directoryId, async (trx, _at, record) => {
      const current = found(await readUser(trx, directoryId, id, true), 'user', id, ifVersion);
      await trx.deleteFrom('directory_users').where('id', '=', id).execute();
      await record([{ type: 'directory.user.deleted', target: { kind: 'directory_user', id }, payload: { directoryId, user: userEventSummary(id, current.doc) } }]);
      return { result: undefined, synced: true };
    });
  }

  async createGroup(directoryId: string, doc: Doc, memberIds: readonly string[]): Promise<StoredGroup> {
    return this.#scimWrite(directoryId, async (trx, at, record) => {
      const id = newDirectoryId('grp');
      await trx
        .insertInto('directory_groups')
        .values({ id, directory_id: directoryId, ...groupColumns(doc), doc, version: 1, created_at: at, updated_at: at })
        .execute();
      const members = await setMembers(trx, directoryId, id, [], memberIds, at);
      await record([
        { type: 'directory.group.created', target: { kind: 'directory_group', id }, payload: { directoryId, group: groupEventSummary(id, doc, members.length), addedMembers: members.map((m) => m.value).slice(0, 100) } },
      ]);
      return { result: { id, directoryId, doc, version: 1, createdAt: at.toISOString(), updatedAt: at.toISOString(), members, memberCount: members.length }, synced: true };
    });
  }

  async updateGroup(directoryId: string, id: string, change: GroupChange, ifVersion?: number): Promise<WriteResult<StoredGroup>> {
    return this.#scimWrite<WriteResult<StoredGroup>>(directoryId, async (trx, at, record) => {
      const current = found(await readGroup(trx, directoryId, id, true), 'group', id, ifVersion);
      const { doc, members: memberIds } = await change(structuredClone(current));
      const was = new Set(current.members.map((m) => m.value));
      const wanted = new Set(memberIds);
      const added = [...wanted].filter((m) => !was.has(m));
      const removed = [...was].filter((m) => !wanted.has(m));
      const changes = changedAttributes(current.doc, doc);
      if (added.length || removed.length) changes.push('members');
      if (!changes.length) return { result: { resource: current, changed: false }, synced: false };
      const members = await setMembers(trx, directoryId, id, current.members, [...wanted], at);
      await trx
        .updateTable('directory_groups')
        .set({ ...groupColumns(doc), doc, version: current.version + 1, updated_at: at })
        .where('id', '=', id)
        .execute();
      await record([
        {
          type: 'directory.group.updated',
          target: { kind: 'directory_group', id },
          payload: { directoryId, group: groupEventSummary(id, doc, members.length), changes: changes.sort(), addedMembers: added.slice(0, 100), removedMembers: removed.slice(0, 100) },
        },
      ]);
      return { result: { resource: { ...current, doc, members, memberCount: members.length, version: current.version + 1, updatedAt: at.toISOString() }, changed: true }, synced: true };
    });
  }

  async deleteGroup(directoryId: string, id: string, ifVersion?: number): Promise<void> {
    await this.#scimWrite(directoryId, async (trx, _at, record) => {
      const current = found(await readGroup(trx, directoryId, id, true), 'group', id, ifVersion);
      await trx.deleteFrom('directory_groups').where('id', '=', id).execute();
      await record([{ type: 'directory.group.deleted', target: { kind: 'directory_group', id }, payload: { directoryId, group: groupEventSummary(id, current.doc, current.members.length) } }]);
      return { result: undefined, synced: true };
    });
  }

  // -------------------------------------------------------------------------------------
  // SCIM reads

  getUser(directoryId: string, id: string): Promise<StoredUser | undefined> {
    return readUser(this.#db, directoryId, id, false);
  }

  getGroup(directoryId: string, id: string): Promise<StoredGroup | undefined> {
    return readGroup(this.#db, directoryId, id, false);
  }

  /** Every user of the directory, in the order they were made (filters the store cannot run are applied to these). */
  async allUsers(directoryId: string): Promise<StoredUser[]> {
    const rows = await this.#db.selectFrom('directory_users').selectAll().where('directory_id', '=', directoryId).orderBy('seq').execute();
    return withUserGroups(this.#db, rows);
  }

  async allGroups(directoryId: string, withMembers = true): Promise<StoredGroup[]> {
    const rows = await this.#db.selectFrom('directory_groups').selectAll().where('directory_id', '=', directoryId).orderBy('seq').execute();
    return withGroupMembers(this.#db, rows, withMembers);
  }

  /** Users whose column equals `value` (`userName` case-insensitively, as SCIM's caseExact false says). */
  async findUsers(directoryId: string, column: 'user_name' | 'external_id' | 'id', value: string): Promise<StoredUser[]> {
    let q = this.#db.selectFrom('directory_users').selectAll().where('directory_id', '=', directoryId);
    q = column === 'user_name' ? q.where(sql<string>`lower(user_name)`, '=', value.toLowerCase()) : q.where(column, '=', value);
    return withUserGroups(this.#db, await q.orderBy('seq').execute());
  }

  async findGroups(directoryId: string, column: 'display_name' | 'external_id' | 'id', value: string, withMembers = true): Promise<StoredGroup[]> {
    let q = this.#db.selectFrom('directory_groups').selectAll().where('directory_id', '=', directoryId);
    q = column === 'display_name' ? q.where(sql<string>`lower(display_name)`, '=', value.toLowerCase()) : q.where(column, '=', value);
    return withGroupMembers(this.#db, await q.orderBy('seq').execute(), withMembers);
  }

  /** A page of users (offset pagination, SCIM's `startIndex`/`count`) and how many there are. */
  async pageUsers(directoryId: string, offset: number, limit: number): Promise<{ total: number; users: StoredUser[] }> {
    const [count, rows] = await Promise.all([
      this.#db.selectFrom('directory_users').select(sql<number>`count(*)::integer`.as('n')).where('directory_id', '=', directoryId).executeTakeFirstOrThrow(),
      limit > 0 ? this.#db.selectFrom('directory_users').selectAll().where('directory_id', '=', directoryId).orderBy('seq').offset(offset).limit(limit).execute() : Promise.resolve([]),
    ]);
    return { total: Number(count.n), users: await withUserGroups(this.#db, rows) };
  }

  async pageGroups(directoryId: string, offset: number, limit: number, withMembers = true): Promise<{ total: number; groups: StoredGroup[] }> {
    const [count, rows] = await Promise.all([
      this.#db.selectFrom('directory_groups').select(sql<number>`count(*)::integer`.as('n')).where('directory_id', '=', directoryId).executeTakeFirstOrThrow(),
      limit > 0 ? this.#db.selectFrom('directory_groups').selectAll().where('directory_id', '=', directoryId).orderBy('seq').offset(offset).limit(limit).execute() : Promise.resolve([]),
    ]);
    return { total: Number(count.n), groups: await withGroupMembers(this.#db, rows, withMembers) };
  }

  // -------------------------------------------------------------------------------------
  // The host's view (admin API): cursor pages

  /** Users in the order they were made, after the user `after` (null when `after` or `groupId` is not one of the directory's). */
  async listUsersPage(directoryId: string, query: UserPageQuery): Promise<{ users: StoredUser[]; more: boolean } | null> {
    let q = this.#db.selectFrom('directory_users').selectAll('directory_users').where('directory_users.directory_id', '=', directoryId);
    if (query.after !== undefined) {
      const cursor = await this.#db.selectFrom('directory_users').select('seq').where('id', '=', query.after).where('directory_id', '=', directoryId).executeTakeFirst();
      if (!cursor) return null;
      q = q.where('directory_users.seq', '>', cursor.seq);
    }
    if (query.groupId !== undefined) {
      const group = await this.#db.selectFrom('directory_groups').select('id').where('id', '=', query.groupId).where('directory_id', '=', directoryId).executeTakeFirst();
      if (!group) return null;
      q = q.innerJoin('directory_group_members as m', 'm.user_id', 'directory_users.id').where('m.group_id', '=', query.groupId);
    }
    if (query.active !== undefined) q = q.where('directory_users.active', '=', query.active);
    if (query.search) {
      const pattern = likePattern(query.search);
      q = q.where((eb) =>
        eb.or([
          eb(sql`directory_users.user_name`, 'ilike', pattern),
          eb(sql`directory_users.email`, 'ilike', pattern),
          eb(sql`directory_users.display_name`, 'ilike', pattern),
        ]),
      );
    }
    const rows = await q.orderBy('directory_users.seq').limit(query.limit + 1).execute();
    return { users: await withUserGroups(this.#db, rows.slice(0, query.limit)), more: rows.length > query.limit };
  }

  async listGroupsPage(directoryId: string, query: PageQuery & { search?: string }): Promise<{ groups: StoredGroup[]; more: boolean } | null> {
    let q = this.#db.selectFrom('directory_groups').selectAll().where('directory_id', '=', directoryId);
    if (query.after !== undefined) {
      const cursor = await this.#db.selectFrom('directory_groups').select('seq').where('id', '=', query.after).where('directory_id', '=', directoryId).executeTakeFirst();
      if (!cursor) return null;
      q = q.where('seq', '>', cursor.seq);
    }
    if (query.search) q = q.where(sql`display_name`, 'ilike', likePattern(query.search));
    const rows = await q.orderBy('seq').limit(query.limit + 1).execute();
    return { groups: await withGroupMembers(this.#db, rows.slice(0, query.limit), true), more: rows.length > query.limit };
  }
}

// ---------------------------------------------------------------------------------------

async function insertOrUniqueness(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (isUniqueViolation(error, CONSTRAINTS.directoryUserName)) throw new DirectoryWriteError('uniqueness', 'Another user of this directory has this userName.');
    throw error;
  }
}

type UserRow = Selectable<DatabaseSchema['directory_users']>;
type GroupRow = Selectable<DatabaseSchema['directory_groups']>;

async function readUser(db: Db, directoryId: string, id: string, lock: boolean): Promise<StoredUser | undefined> {
  let q = db.selectFrom('directory_users').selectAll().where('id', '=', id).where('directory_id', '=', directoryId);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row && (await withUserGroups(db, [row]))[0];
}

async function readGroup(db: Db, directoryId: string, id: string, lock: boolean): Promise<StoredGroup | undefined> {
  let q = db.selectFrom('directory_groups').selectAll().where('id', '=', id).where('directory_id', '=', directoryId);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row && (await withGroupMembers(db, [row], true))[0];
}

async function withUserGroups(db: Db, rows: UserRow[]): Promise<StoredUser[]> {
  const groups = new Map<string, ResourceRef[]>();
  if (rows.length) {
    const found = await db
      .selectFrom('directory_group_members as m')
      .innerJoin('directory_groups as g', 'g.id', 'm.group_id')
      .select(['m.user_id', 'g.id', 'g.display_name'])
      .where('m.user_id', 'in', rows.map((r) => r.id))
      .orderBy('g.seq')
      .execute();
    for (const m of found) {
      const list = groups.get(m.user_id) ?? [];
      list.push({ value: m.id, display: m.display_name });
      groups.set(m.user_id, list);
    }
  }
  return rows.map((r) => ({
    id: r.id,
    directoryId: r.directory_id,
    doc: r.doc,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    groups: groups.get(r.id) ?? [],
  }));
}

async function withGroupMembers(db: Db, rows: GroupRow[], withMembers: boolean): Promise<StoredGroup[]> {
  const members = new Map<string, ResourceRef[]>();
  const counts = new Map<string, number>();
  if (rows.length) {
    if (withMembers) {
      const found = await db
        .selectFrom('directory_group_members as m')
        .innerJoin('directory_users as u', 'u.id', 'm.user_id')
        .select(['m.group_id', 'u.id', 'u.user_name', 'u.display_name'])
        .where('m.group_id', 'in', rows.map((r) => r.id))
        .orderBy('u.seq')
        .execute();
      for (const m of found) {
        const list = members.get(m.group_id) ?? [];
        list.push({ value: m.id, display: m.display_name ?? m.user_name });
        members.set(m.group_id, list);
      }
    }
    const found = await db
      .selectFrom('directory_group_members')
      .select(['group_id', sql<number>`count(*)::integer`.as('n')])
      .where('group_id', 'in', rows.map((r) => r.id))
      .groupBy('group_id')
      .execute();
    for (const c of found) counts.set(c.group_id, Number(c.n));
  }
  return rows.map((r) => ({
    id: r.id,
    directoryId: r.directory_id,
    doc: r.doc,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    members: members.get(r.id) ?? [],
    memberCount: counts.get(r.id) ?? 0,
  }));
}

/** Makes the group's members `wanted` (user ids of the directory; `unknown_member` otherwise); returns them. */
async function setMembers(trx: Transaction<DatabaseSchema>, directoryId: string, groupId: string, current: readonly ResourceRef[], wanted: readonly string[], at: Date): Promise<ResourceRef[]> {
  const want = [...new Set(wanted)];
  const was = new Set(current.map((m) => m.value));
  const added = want.filter((id) => !was.has(id));
  const keep = new Set(want);
  const removed = [...was].filter((id) => !keep.has(id));
  if (added.length) {
    const found = new Set(
      (await trx.selectFrom('directory_users').select('id').where('directory_id', '=', directoryId).where('id', 'in', added).execute()).map((r) => r.id),
    );
    const unknown = added.filter((id) => !found.has(id));
    if (unknown.length) throw new DirectoryWriteError('unknown_member', `No user of this directory has the id ${unknown.slice(0, 3).join(', ')}.`, { members: unknown.slice(0, 20) });
    await trx
      .insertInto('directory_group_members')
      .values(added.map((userId) => ({ group_id: groupId, user_id: userId, directory_id: directoryId, created_at: at })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  if (removed.length) await trx.deleteFrom('directory_group_members').where('group_id', '=', groupId).where('user_id', 'in', removed).execute();
  if (!want.length) return [];
  const rows = await trx
    .selectFrom('directory_group_members as m')
    .innerJoin('directory_users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.user_name', 'u.display_name'])
    .where('m.group_id', '=', groupId)
    .orderBy('u.seq')
    .execute();
  return rows.map((r) => ({ value: r.id, display: r.display_name ?? r.user_name }));
}
