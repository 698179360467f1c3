/// <reference types="node" />
/**
 * The event log (issue 13): what changed in an organization, by whom, recorded in the same
 * transaction as the change. It is the audit log (`GET /api/admin/events`, the dashboard) and
 * the outbox of the webhooks (`webhooks/`): recording an event also makes one delivery per
 * enabled endpoint subscribed to its type.
 *
 * The store derives an organization's events from its state before and after a change
 * ({@link organizationEvents}), so every write path (portal, admin API, metadata refresh, login
 * flows) records them without doing anything; links and organizations record theirs where they
 * are written. The certificate expiry job ({@link recordCertificateExpiries}) records
 * `connection.certificate_expiring` once per certificate and threshold (`dedupe_key`).
 *
 * Nothing secret goes into a payload: no client secrets, tokens, private keys or certificates'
 * PEM (fingerprints and expiry only).
 */
import { X509Certificate, createHash, randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { ActorKind, EventType, TargetKind } from '../core/event-types.js';
import type { Connection, Domain, TestResult } from '../core/model.js';
import type { DatabaseSchema, EventsTable } from './db/schema.js';
import { certificateBody } from './saml/sp-metadata-keys.js';
import type { LinkRecord, OrganizationData, OrganizationRecord } from './types.js';

export { EVENT_TYPES, type EventType } from '../core/event-types.js';

/** Who made a change: a portal link (the IT admin), the host's admin key (its fingerprint), or a job of the server. */
export interface Actor {
  kind: ActorKind;
  id: string;
}

/** A job of the server as an actor (`metadata-refresh`, `certificate-expiry`, `login`...). */
export const systemActor = (job: string): Actor => ({ kind: 'system', id: job });
export const linkActor = (linkId: string): Actor => ({ kind: 'portal_link', id: linkId });
/** The admin key as an actor: a fingerprint (`key_` + 16 hex digits of SHA-256), never the key. */
export const adminKeyActor = (adminKey: string): Actor => ({ kind: 'admin_key', id: adminKeyId(adminKey) });
export const adminKeyId = (adminKey: string): string => `key_${createHash('sha256').update('sso-portal-admin-key:').update(adminKey).digest('hex').slice(0, 16)}`;

export interface EventTarget {
  kind: TargetKind;
  id: string;
}

/** An event to record (the store adds its id, organization, actor and time). */
export interface NewEvent {
  type: EventType;
  target: EventTarget;
  payload: Record<string, unknown>;
  /** Recorded once only, whoever records it first (periodic jobs on several instances). */
  dedupeKey?: string;
}

/** An event as the API answers it. */
export interface PortalEvent {
  id: string;
  type: string;
  organizationId: string;
  actor: Actor;
  target: EventTarget | null;
  data: Record<string, unknown>;
  createdAt: string;
}

export const eventFromRow = (row: Selectable<EventsTable>): PortalEvent => ({
  id: row.id,
  type: row.type,
  organizationId: row.organization_id,
  actor: { kind: row.actor_kind, id: row.actor_id },
  target: row.target_kind && row.target_id ? { kind: row.target_kind as EventTarget['kind'], id: row.target_id } : null,
  data: row.payload,
  createdAt: row.created_at.toISOString(),
});

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url').replace(/[^A-Za-z0-9]/g, 'x')}`;

// ---------------------------------------------------------------------------------------
// What an event says (no secrets)

/** SHA-256 fingerprint (colon hex) and expiry of a PEM certificate; null when it cannot be read. */
export function certificateFacts(pem: string): { fingerprint: string; notAfter: string } | null {
  try {
    const body = certificateBody(pem);
    const lines = body.match(/.{1,64}/g)?.join('\n') ?? '';
    const certificate = new X509Certificate(`-----BEGIN CERTIFICATE-----\n${lines}\n-----END CERTIFICATE-----\n`);
    return { fingerprint: certificate.fingerprint256, notAfter: new Date(certificate.validTo).toISOString() };
  } catch {
    return null;
  }
}

/** A connection as events show it: what it is and its state, never its secrets or certificates. */
export function connectionSummary(c: Connection) {
  return {
    id: c.id,
    protocol: c.protocol,
    providerId: c.providerId,
    ...(c.name ? { name: c.name } : {}),
    status: c.status,
    /** Who SSO is on for: `everyone` (active), `test_users` (staged activation) or `nobody`. */
    stage: c.status === 'active' ? 'everyone' : c.staged ? 'test_users' : 'nobody',
    version: c.version,
    certificateExpiresAt: c.certificateExpiresAt ?? null,
  };
}

const domainSummary = (d: Domain) => ({
  name: d.name,
  status: d.status,
  method: d.method,
  verifiedAt: d.verifiedAt,
  ...(d.lastCheck ? { lastCheck: { result: d.lastCheck.result, message: d.lastCheck.message } } : {}),
});

const testSummary = (t: TestResult) => ({
  id: t.id,
  mode: t.mode,
  status: t.status,
  ...(t.error ? { errorCode: t.error.code, message: t.error.message } : {}),
  completedAt: t.completedAt,
  // Run by a colleague through a test link (who ran it): the link's id.
  ...(t.testLinkId ? { ranBy: 'test_link', testLinkId: t.testLinkId } : {}),
});

export const linkSummary = (l: LinkRecord) => ({ id: l.id, expiresAt: l.expiresAt, revokedAt: l.revokedAt, createdAt: l.createdAt });

/** The fields of a connection an admin edits (not its state, version or what the server records beside it). */
const NOT_EDITED = new Set(['status', 'version', 'updatedAt', 'lastTest', 'metadataRefresh', 'signingCertificateUsage', 'certificateExpiresAt', 'staged']);
function editable(c: Connection): unknown {
  // As stored (JSON): key order and undefined properties do not count.
  return JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(c).filter(([key]) => !NOT_EDITED.has(key)))));
}

/** Which top-level fields differ (names only: the values may be long or sensitive). */
function changedFields(a: Connection, b: Connection): string[] {
  const fields = new Set<string>();
  const sections = ['saml', 'oidc', 'attributeMapping'] as const;
  for (const key of ['name', 'providerId'] as const) if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) fields.add(key);
  for (const section of sections) {
    const x = (a[section] ?? {}) as Record<string, unknown>;
    const y = (b[section] ?? {}) as Record<string, unknown>;
    for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) if (JSON.stringify(x[key]) !== JSON.stringify(y[key])) fields.add(`${section}.${key}`);
  }
  return [...fields].sort();
}

const fingerprints = (pems: readonly string[] | undefined) => new Set((pems ?? []).map((pem) => certificateFacts(pem)?.fingerprint ?? certificateBody(pem).slice(0, 24)));

/** The events of one organization's change, from its state before and after. */
export function organizationEvents(before: OrganizationData, after: OrganizationData, clientSecretChanged: (connectionId: string) => boolean = () => false): NewEvent[] {
  const events: NewEvent[] = [];
  const target = (id: string): EventTarget => ({ kind: 'connection', id });

  const old = new Map(before.connections.map((c) => [c.id, c]));
  const kept = new Set(after.connections.map((c) => c.id));
  for (const c of after.connections) {
    const previous = old.get(c.id);
    const connection = connectionSummary(c);
    if (!previous) {
      events.push({ type: 'connection.created', target: target(c.id), payload: { connection } });
      if (c.status === 'active') events.push({ type: 'connection.activated', target: target(c.id), payload: { connection } });
      continue;
    }
    const secret = clientSecretChanged(c.id);
    if (!isDeepStrictEqual(editable(previous), editable(c)) || secret) {
      const changes = changedFields(previous, c);
      if (secret && !changes.includes('oidc.clientSecret')) changes.push('oidc.clientSecret');
      events.push({ type: 'connection.updated', target: target(c.id), payload: { connection, changes } });
      const was = fingerprints(previous.saml?.signingCertificates);
      const now = fingerprints(c.saml?.signingCertificates);
      const added = [...now].filter((f) => !was.has(f)).sort();
      const removed = [...was].filter((f) => !now.has(f)).sort();
      if (added.length && was.size) events.push({ type: 'connection.certificate_rotated', target: target(c.id), payload: { connection, added, removed } });
    }
    // Staged activation (rules/staging.ts): a new list of test users is `connection.staged`;
    // promotion is `connection.activated` and turning it off `connection.deactivated`, each
    // saying it came from the test users (`from`).
    const from = previous.staged ? { from: 'test_users' } : {};
    if (c.staged && !isDeepStrictEqual(previous.staged?.testUsers, c.staged.testUsers)) {
      events.push({ type: 'connection.staged', target: target(c.id), payload: { connection, testUsers: c.staged.testUsers } });
    }
    if (previous.status !== 'active' && c.status === 'active') events.push({ type: 'connection.activated', target: target(c.id), payload: { connection, ...from } });
    if ((previous.status === 'active' && c.status !== 'active') || (previous.staged && !c.staged && c.status !== 'active')) {
      events.push({ type: 'connection.deactivated', target: target(c.id), payload: { connection, ...from } });
    }
  }
  for (const c of before.connections) {
    if (!kept.has(c.id)) events.push({ type: 'connection.deleted', target: target(c.id), payload: { connection: connectionSummary(c) } });
  }

  // Tests that ended in this change.
  const oldTests = new Map(before.tests.map((t) => [t.id, t]));
  const connections = new Map(after.connections.map((c) => [c.id, c]));
  for (const t of after.tests) {
    const previous = oldTests.get(t.id);
    const connection = connections.get(t.connectionId);
    if (!connection || t.status === 'pending' || (previous && previous.status !== 'pending')) continue;
    const type = t.status === 'failure' ? 'connection.test_failed' : 'connection.test_succeeded';
    events.push({ type, target: target(connection.id), payload: { connection: connectionSummary(connection), test: testSummary(t) } });
  }

  const oldDomains = new Map(before.domains.map((d) => [d.name, d]));
  const keptDomains = new Set(after.domains.map((d) => d.name));
  for (const d of after.domains) {
    const previous = oldDomains.get(d.name);
    const domainTarget: EventTarget = { kind: 'domain', id: d.name };
    if (!previous) events.push({ type: 'domain.added', target: domainTarget, payload: { domain: domainSummary(d) } });
    if (d.status === 'verified' && previous?.status !== 'verified') {
      events.push({ type: 'domain.verified', target: domainTarget, payload: { domain: domainSummary(d) } });
    } else if (d.status !== 'verified' && d.lastCheckedAt && d.lastCheckedAt !== previous?.lastCheckedAt) {
      events.push({ type: 'domain.verification_failed', target: domainTarget, payload: { domain: domainSummary(d) } });
    }
  }
  for (const d of before.domains) {
    if (!keptDomains.has(d.name)) events.push({ type: 'domain.removed', target: { kind: 'domain', id: d.name }, payload: { domain: domainSummary(d) } });
  }
  return events;
}

export const organizationCreatedEvent = (o: OrganizationRecord): NewEvent => ({
  type: 'organization.created',
  target: { kind: 'organization', id: o.id },
  payload: { organization: { id: o.id, name: o.name, createdAt: o.createdAt } },
});

export const linkEvent = (type: 'portal_link.created' | 'portal_link.revoked', link: LinkRecord): NewEvent => ({
  type,
  target: { kind: 'portal_link', id: link.id },
  payload: { link: linkSummary(link) },
});

// ---------------------------------------------------------------------------------------
// Recording

type Db = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;

/**
 * Records `events` (inside the caller's transaction) and, for each, one pending delivery per
 * enabled webhook endpoint subscribed to its type. An event with a `dedupeKey` already recorded
 * is skipped. Returns the ids of the events recorded.
 */
export async function recordEvents(db: Db, organizationId: string, actor: Actor, events: readonly NewEvent[], at: Date): Promise<string[]> {
  const recorded: string[] = [];
  // Events of one change share its time; `seq` keeps their order.
  for (const event of events) {
    const id = newId('evt');
    const row = await db
      .insertInto('events')
      .values({
        id,
        organization_id: organizationId,
        type: event.type,
        actor_kind: actor.kind,
        actor_id: actor.id.slice(0, 200),
        target_kind: event.target.kind,
        target_id: event.target.id,
        payload: event.payload,
        dedupe_key: event.dedupeKey ?? null,
        created_at: at,
      })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) continue;
    recorded.push(id);
    await sql`
      insert into webhook_deliveries (id, event_id, endpoint_id, status, attempts, next_attempt_at, created_at)
      select 'dlv_' || replace(gen_random_uuid()::text, '-', ''), ${id}, e.id, 'pending', 0, ${at}::timestamptz, ${at}::timestamptz
      from webhook_endpoints e
      where e.enabled and (e.event_types is null or e.event_types ? ${event.type})
    `.execute(db);
  }
  return recorded;
}

// ---------------------------------------------------------------------------------------
// Reading

export interface EventQuery {
  organizationId?: string;
  types?: readonly string[];
  /** Events recorded after this one, oldest first (a feed). */
  after?: string;
  /** Events recorded before this one, newest first (paging back). */
  before?: string;
  limit: number;
}

/**
 * Events, newest first (or, with `after`, oldest first after that event). `limit + 1` are read
 * so the caller knows whether there are more. An unknown `after`/`before` id answers null.
 */
export async function listEvents(db: Db, query: EventQuery): Promise<{ events: PortalEvent[]; more: boolean } | null> {
  const cursorOf = async (id: string) => (await db.selectFrom('events').select('seq').where('id', '=', id).executeTakeFirst())?.seq;
  let q = db.selectFrom('events').selectAll();
  if (query.organizationId) q = q.where('organization_id', '=', query.organizationId);
  if (query.types?.length) q = q.where('type', 'in', [...query.types]);
  if (query.after !== undefined) {
    const seq = await cursorOf(query.after);
    if (seq === undefined) return null;
    q = q.where('seq', '>', seq).orderBy('seq', 'asc');
  } else {
    if (query.before !== undefined) {
      const seq = await cursorOf(query.before);
      if (seq === undefined) return null;
      q = q.where('seq', '<', seq);
    }
    q = q.orderBy('seq', 'desc');
  }
  const rows = await q.limit(query.limit + 1).execute();
  return { events: rows.slice(0, query.limit).map(eventFromRow), more: rows.length > query.limit };
}

// ---------------------------------------------------------------------------------------
// Certificate expiry (a periodic system job)

/** Days before a signing certificate's `notAfter` when `connection.certificate_expiring` is sent. */
export const CERTIFICATE_EXPIRY_THRESHOLDS_DAYS = [30, 7] as const;
const DAY_MS = 86_400_000;

/**
 * For every SAML connection of every organization: each signing certificate within a threshold
 * of its expiry (and not expired yet) gets `connection.certificate_expiring` once per threshold
 * (the nearest one passed; a certificate first seen 5 days before gets the 7-day one only).
 * Safe to run on every instance at once: the `dedupe_key` records each once. Returns how many
 * events were recorded by this call.
 */
export async function recordCertificateExpiries(
  db: Kysely<DatabaseSchema>,
  readConnections: (organizationId: string) => Promise<Connection[]>,
  now: Date,
  onRecorded?: () => void,
): Promise<number> {
  let count = 0;
  const organizations = await db.selectFrom('organizations').select('id').orderBy('created_at').execute();
  for (const { id: organizationId } of organizations) {
    const events: NewEvent[] = [];
    for (const c of await readConnections(organizationId)) {
      for (const pem of c.saml?.signingCertificates ?? []) {
        const facts = certificateFacts(pem);
        if (!facts) continue;
        const left = Date.parse(facts.notAfter) - now.getTime();
        if (left <= 0) continue;
        const threshold = [...CERTIFICATE_EXPIRY_THRESHOLDS_DAYS].sort((a, b) => a - b).find((days) => left <= days * DAY_MS);
        if (threshold === undefined) continue;
        events.push({
          type: 'connection.certificate_expiring',
          target: { kind: 'connection', id: c.id },
          payload: { connection: connectionSummary(c), certificate: facts, daysBefore: threshold, daysLeft: Math.floor(left / DAY_MS) },
          dedupeKey: `certificate_expiring:${c.id}:${facts.fingerprint}:${threshold}`,
        });
      }
    }
    if (!events.length) continue;
    const recorded = await db.transaction().execute((trx) => recordEvents(trx, organizationId, systemActor('certificate-expiry'), events, now));
    count += recorded.length;
  }
  if (count) onRecorded?.();
  return count;
}
