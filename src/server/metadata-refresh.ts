/// <reference types="node" />
/**
 * Periodic re-read of IdP metadata (certificate rotation). For every SAML connection whose
 * `saml.metadataUrl` is set: fetch it through the SSRF-guarded fetcher, parse it with
 * `parseSamlMetadata` (the connection's entity ID picks the entity from an aggregate), and
 * compare what the metadata says with the stored signing certificates, `ssoUrl`, `ssoBinding`
 * (the stored binding while the IdP still offers it, else HTTP-Redirect, else HTTP-POST) and
 * `wantAuthnRequestsSigned` (absent counts as false). When they differ, by the connection's
 * `saml.metadataRefreshMode`:
 *
 * - `apply` (default): update the connection through the organization's service (the adapter's
 *   update path: `certificateExpiresAt` recomputed, version bumped, a stale-version race is a
 *   `conflict`, never an overwrite); the record says `updated`, with `changes` and a `note`.
 * - `review`: change nothing; the record says `pending`, with `pending: { foundAt, changes, saml }`
 *   (the configuration approving would make). A later refresh that finds the same change keeps
 *   it (and its `foundAt`); one that finds the IdP back to the stored values clears it. The admin
 *   approves ({@link approveMetadataChange}: applied at the version the admin read) or dismisses
 *   it ({@link dismissMetadataChange}: status `dismissed`, not proposed again while the metadata
 *   differs by exactly that change).
 *
 * What happened to each connection is recorded in the store (setting
 * `metadata-refresh:<orgId>`, see {@link readRefreshRecords}) and shown on the connection as
 * `metadataRefresh` by the app. Failures are recorded, never thrown (a pending change is kept);
 * the timer keeps going.
 *
 * `main.ts`: `startMetadataRefresh({ services, fetchDocument, intervalMs:
 * metadataRefreshIntervalFromEnv(process.env.SSO_PORTAL_METADATA_REFRESH_MS) })`, and `stop()`
 * on shutdown.
 */
import { PortalError, toPortalError } from '../core/errors.js';
import { noPendingChange } from '../core/metadata-review.js';
import { SAML_BINDING_NAMES, SamlConfigSchema, parseOrThrow, type Connection, type MetadataChange, type MetadataRefresh as MetadataRefreshState, type SamlBinding, type SamlConfig } from '../core/model.js';
import { SAML_BINDING_URNS, parseSamlMetadata, type SamlIdpMetadata } from '../core/saml-metadata.js';
import { systemActor } from './events.js';
import type { OrganizationService } from './organization-service.js';
import { readTrustedCertificates } from './saml/signature-check.js';
import type { OrganizationServices } from './server-types.js';
import type { Store } from './store/store.js';
import type { FetchDocument } from './types.js';
import { certificateBody } from './saml/sp-metadata-keys.js';

/** Default period: every 6 hours. */
export const DEFAULT_METADATA_REFRESH_MS = 6 * 3_600_000;
/** Shortest period accepted from the environment (one minute), so a typo cannot hammer IdPs. */
export const MIN_METADATA_REFRESH_MS = 60_000;

export type RefreshStatus = MetadataRefreshState['status'];

/** The latest refresh of one connection, as recorded and shown on the connection (`Connection.metadataRefresh`). */
export type MetadataRefreshRecord = MetadataRefreshState;

export interface RefreshResult {
  organizationId: string;
  connectionId: string;
  status: RefreshStatus;
  note?: string;
  /** `updated`, `pending`, `dismissed`: what differs. */
  changes?: MetadataChange[];
  /** `pending`: the configuration approving would make. */
  proposed?: SamlConfig;
  errorCode?: string;
  error?: string;
  /** The new version, when updated. */
  version?: number;
}

export interface RefreshSummary {
  startedAt: string;
  finishedAt: string;
  checked: number;
  updated: number;
  unchanged: number;
  /** Changes found in `review` mode, left for the admin (`pending` and `dismissed`). */
  pending: number;
  failed: number;
  results: RefreshResult[];
}

export interface MetadataRefreshOptions {
  /** The app's services (`createPortalApp(...).services`): writes must go through them. */
  services: OrganizationServices;
  /** The SSRF-guarded fetcher (`createSafeFetcher(...).fetchDocument`). */
  fetchDocument: FetchDocument;
  /** Period between runs; 0 (or less, or not finite): no timer, `runOnce()` only. */
  intervalMs: number;
  /** The clock for timestamps and certificate checks. */
  now?: () => Date;
  /** Connections fetched at the same time (default 4). */
  concurrency?: number;
  /** Called after each timed run (default: logs changes and failures to the console). */
  onRun?: (summary: RefreshSummary) => void;
  /** The timer (default `setInterval` / `clearInterval`, unref'd); tests drive the ticks themselves. */
  timer?: { start(tick: () => void, ms: number): () => void };
}

export interface MetadataRefresh {
  /** One pass over every connection; a pass already running is joined, not doubled. */
  runOnce(): Promise<RefreshSummary>;
  /** Stops the timer and aborts fetches in flight. */
  stop(): void;
}

const settingName = (organizationId: string) => `metadata-refresh:${organizationId}`;

/** The refresh records of an organization's connections, by connection id. */
export async function readRefreshRecords(store: Store, organizationId: string): Promise<Record<string, MetadataRefreshRecord>> {
  const raw = await store.getSetting(settingName(organizationId));
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, MetadataRefreshRecord>) : {};
  } catch {
    return {};
  }
}

/** `SSO_PORTAL_METADATA_REFRESH_MS`: unset or empty: the default; `0`: off; else at least one minute. */
export function metadataRefreshIntervalFromEnv(value: string | undefined): number {
  const text = (value ?? '').trim();
  if (text === '') return DEFAULT_METADATA_REFRESH_MS;
  const ms = Number(text);
  if (!Number.isFinite(ms) || ms < 0 || (ms > 0 && ms < MIN_METADATA_REFRESH_MS)) {
    throw new Error(`SSO_PORTAL_METADATA_REFRESH_MS must be 0 (off) or at least ${MIN_METADATA_REFRESH_MS} (milliseconds), not ${JSON.stringify(value)}.`);
  }
  return ms;
}


/** The values a refresh compares and changes. */
type Refreshed = Pick<SamlConfig, 'signingCertificates' | 'ssoUrl' | 'ssoBinding' | 'wantAuthnRequestsSigned'>;

/** What the metadata says for the compared fields; null when it offers no browser endpoint. */
function refreshedValues(saml: SamlConfig, metadata: SamlIdpMetadata): Refreshed | null {
  const locations = (binding: SamlConfig['ssoBinding']) => metadata.ssoServices.filter((s) => s.binding === SAML_BINDING_URNS[binding]).map((s) => s.location);
  const ssoBinding = locations(saml.ssoBinding).length ? saml.ssoBinding : locations('redirect').length ? 'redirect' : 'post';
  const offered = locations(ssoBinding);
  if (!offered.length) return null;
  return {
    // A certificate already stored keeps its stored text.
    signingCertificates: metadata.signingCertificates.map((c) => saml.signingCertificates.find((pem) => certificateBody(pem) === certificateBody(c.pem)) ?? c.pem),
    ssoUrl: offered.includes(saml.ssoUrl) ? saml.ssoUrl : offered[0]!,
    ssoBinding,
    wantAuthnRequestsSigned: metadata.wantAuthnRequestsSigned === true,
  };
}

const fingerprintOf = (pem: string) => readTrustedCertificates([pem])[0]?.fingerprint ?? certificateBody(pem).slice(0, 24);

/** Field by field, in a fixed order (certificates by fingerprint, sorted): equal lists are the same change. */
function changesBetween(saml: SamlConfig, next: Refreshed): MetadataChange[] {
  const changes: MetadataChange[] = [];
  const old = new Map(saml.signingCertificates.map((pem) => [certificateBody(pem), pem]));
  const now = new Map(next.signingCertificates.map((pem) => [certificateBody(pem), pem]));
  const added = [...now].filter(([k]) => !old.has(k)).map(([, pem]) => fingerprintOf(pem)).sort();
  const removed = [...old].filter(([k]) => !now.has(k)).map(([, pem]) => fingerprintOf(pem)).sort();
  if (added.length || removed.length) changes.push({ field: 'signingCertificates', added, removed });
  if (next.ssoUrl !== saml.ssoUrl) changes.push({ field: 'ssoUrl', from: saml.ssoUrl, to: next.ssoUrl });
  if (next.ssoBinding !== saml.ssoBinding) changes.push({ field: 'ssoBinding', from: saml.ssoBinding, to: next.ssoBinding });
  const wanted = saml.wantAuthnRequestsSigned === true;
  if (next.wantAuthnRequestsSigned !== wanted) changes.push({ field: 'wantAuthnRequestsSigned', from: wanted, to: next.wantAuthnRequestsSigned });
  return changes;
}

const sameChanges = (a: readonly MetadataChange[] | undefined, b: readonly MetadataChange[]) => a !== undefined && JSON.stringify(a) === JSON.stringify(b);


/** One sentence per change, for the record's `note` and the log. */
export function describeChanges(changes: readonly MetadataChange[]): string {
  return changes
    .map((c) => {
      if (c.field === 'signingCertificates') {
        const parts = [c.added?.length ? `${c.added.length} added` : '', c.removed?.length ? `${c.removed.length} removed` : ''].filter(Boolean);
        return `Signing certificates changed in the IdP metadata: ${parts.join(', ')}.`;
      }
      if (c.field === 'ssoUrl') return `Single sign-on URL changed from ${String(c.from)} to ${String(c.to)}.`;
      if (c.field === 'ssoBinding') return `Single sign-on binding changed from ${SAML_BINDING_NAMES[c.from as SamlBinding]} to ${SAML_BINDING_NAMES[c.to as SamlBinding]}.`;
      return c.to ? 'The IdP now wants signed AuthnRequests.' : 'The IdP no longer wants signed AuthnRequests.';
    })
    .join(' ');
}

const settingsOf = (store: Store, organizationId: string) => ({
  read: () => readRefreshRecords(store, organizationId),
  write: (records: Record<string, MetadataRefreshRecord>) => store.putSetting(settingName(organizationId), JSON.stringify(records)),
});

/**
 * Applies the change waiting for review to the connection the admin read at `version`
 * (`conflict` otherwise; `conflict` with `details.reason` `metadata_change_not_pending` when there is none), through the
 * organization's update path, and records it as `updated`.
 */
export async function approveMetadataChange(store: Store, service: OrganizationService, organizationId: string, connectionId: string, version: number, now: Date): Promise<Connection> {
  const current = await service.getConnection(connectionId);
  const settings = settingsOf(store, organizationId);
  const pending = (await settings.read())[connectionId]?.pending;
  if (!pending || !current.saml) throw noPendingChange();
  const { signingCertificates, ssoUrl, ssoBinding, wantAuthnRequestsSigned } = pending.saml;
  const updated = await service.updateConnection(connectionId, version, { saml: { ...current.saml, signingCertificates, ssoUrl, ssoBinding, wantAuthnRequestsSigned } });
  const records = await settings.read();
  const before = records[connectionId];
  const at = now.toISOString();
  records[connectionId] = { checkedAt: before?.checkedAt ?? at, status: 'updated', changedAt: at, note: describeChanges(pending.changes).slice(0, 1000), changes: pending.changes };
  await settings.write(records);
  return updated;
}

/**
 * Dismisses the change found in review mode (`conflict`, `details.reason` `metadata_change_not_pending`, when there is none):
 * status `dismissed`, `pending.dismissedAt` set; the connection is not changed.
 */
export async function dismissMetadataChange(store: Store, service: OrganizationService, organizationId: string, connectionId: string, now: Date): Promise<Connection> {
  const current = await service.getConnection(connectionId);
  const settings = settingsOf(store, organizationId);
  const records = await settings.read();
  const before = records[connectionId];
  if (!before?.pending) throw noPendingChange();
  records[connectionId] = { ...before, status: 'dismissed', pending: { dismissedAt: now.toISOString(), ...before.pending } };
  await settings.write(records);
  return current;
}

export function startMetadataRefresh(options: MetadataRefreshOptions): MetadataRefresh {
  const { services, fetchDocument } = options;
  const store = services.store;
  const now = options.now ?? (() => new Date());
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const controller = new AbortController();
  let running: Promise<RefreshSummary> | undefined;
  let stopped = false;

  async function refreshOne(organizationId: string, connection: Connection & { saml: SamlConfig }, url: string, previous: MetadataRefreshRecord | undefined): Promise<RefreshResult> {
    const base = { organizationId, connectionId: connection.id };
    const organization = await store.getOrganization(organizationId);
    if (!organization) return { ...base, status: 'failed', errorCode: 'not_found', error: 'The organization no longer exists.' };
    const service = services.serviceFor(organization, systemActor('metadata-refresh'));
    try {
      const xml = await fetchDocument(url, 'saml-metadata', controller.signal);
      const parsed = await parseSamlMetadata(xml, { entityId: connection.saml.idpEntityId, now: now() });
      if (!parsed.ok) return { ...base, status: 'failed', errorCode: parsed.error.code, error: parsed.error.message };
      const { metadata } = parsed;
      if (metadata.entityId !== connection.saml.idpEntityId) {
        return { ...base, status: 'failed', errorCode: 'metadata_entity_changed', error: `The metadata now describes ${metadata.entityId}, not ${connection.saml.idpEntityId}; nothing was changed.` };
      }
      if (metadata.signingCertificates.length === 0) {
        return { ...base, status: 'failed', errorCode: 'metadata_no_signing_certificate', error: 'The metadata has no signing certificate; the stored ones were kept.' };
      }
      const values = refreshedValues(connection.saml, metadata);
      if (!values) {
        return { ...base, status: 'failed', errorCode: 'metadata_no_sso_service', error: 'The metadata has no HTTP-Redirect or HTTP-POST single sign-on endpoint; the stored one was kept.' };
      }
      const changes = changesBetween(connection.saml, values);
      if (changes.length === 0) return { ...base, status: 'unchanged' };
      const note = describeChanges(changes);
      const proposed: SamlConfig = { ...connection.saml, ...values };
      if (connection.saml.metadataRefreshMode === 'review') {
        const dismissed = previous?.pending?.dismissedAt !== undefined && sameChanges(previous.pending.changes, changes);
        // What is shown on the connection must be a valid configuration (the adapters check answers).
        return { ...base, status: dismissed ? 'dismissed' : 'pending', note, changes, proposed: parseOrThrow(SamlConfigSchema, proposed, 'The configuration in the metadata') };
      }
      const updated = await service.updateConnection(connection.id, connection.version, { saml: proposed });
      return { ...base, status: 'updated', note, changes, version: updated.version };
    } catch (error) {
      const e = error instanceof PortalError ? error : toPortalError(error);
      return { ...base, status: 'failed', errorCode: e.code, error: e.message };
    }
  }

  async function pass(): Promise<RefreshSummary> {
    const startedAt = now().toISOString();
    const jobs: (() => Promise<RefreshResult>)[] = [];
    const connectionIds = new Map<string, Set<string>>();
    let organizations: Awaited<ReturnType<Store['listOrganizations']>>;
    try {
      organizations = await store.listOrganizations();
    } catch {
      organizations = []; // the database is unreachable: the next pass tries again
    }
    for (const organization of organizations) {
      let connections: Connection[];
      try {
        connections = await services.serviceFor(organization).listConnections();
      } catch {
        continue;
      }
      connectionIds.set(organization.id, new Set(connections.map((c) => c.id)));
      const records = await readRefreshRecords(store, organization.id).catch((): Record<string, MetadataRefreshRecord> => ({}));
      for (const connection of connections) {
        const url = connection.protocol === 'saml' ? connection.saml?.metadataUrl : undefined;
        if (!url || !connection.saml) continue;
        const saml = connection.saml;
        jobs.push(() => refreshOne(organization.id, { ...connection, saml }, url, records[connection.id]));
      }
    }

    const results: RefreshResult[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < jobs.length && !controller.signal.aborted) {
        const job = jobs[next++];
        if (job) results.push(await job());
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));

    // Record, per organization, in one write each; records of deleted connections are dropped.
    const checkedAt = now().toISOString();
    for (const [organizationId, ids] of connectionIds) {
      const previous = await readRefreshRecords(store, organizationId);
      const records: Record<string, MetadataRefreshRecord> = {};
      for (const [id, record] of Object.entries(previous)) if (ids.has(id)) records[id] = record;
      let changed = Object.keys(records).length !== Object.keys(previous).length;
      for (const result of results.filter((r) => r.organizationId === organizationId)) {
        const before = records[result.connectionId];
        const record: MetadataRefreshRecord = { checkedAt, status: result.status };
        if (result.status === 'updated') {
          record.changedAt = checkedAt;
          record.note = result.note?.slice(0, 1000);
          record.changes = result.changes;
        } else if (before?.changedAt) {
          record.changedAt = before.changedAt;
          record.note = before.note;
          if (before.changes) record.changes = before.changes;
        }
        if ((result.status === 'pending' || result.status === 'dismissed') && result.proposed && result.changes) {
          // The same change found again keeps when it was first found (and dismissed).
          const same = before?.pending && sameChanges(before.pending.changes, result.changes) ? before.pending : undefined;
          record.pending = { foundAt: same?.foundAt ?? checkedAt, changes: result.changes, saml: result.proposed };
          if (result.status === 'dismissed' && same?.dismissedAt) record.pending.dismissedAt = same.dismissedAt;
        }
        if (result.status === 'failed' && before?.pending) record.pending = before.pending;
        if (result.status === 'failed') {
          // Within the model's limits (Connection.metadataRefresh), or the whole connection would not validate.
          record.errorCode = (result.errorCode ?? 'server_error').slice(0, 64);
          record.error = (result.error || 'The metadata could not be refreshed.').slice(0, 2000);
        }
        records[result.connectionId] = record;
        changed = true;
      }
      if (changed) await store.putSetting(settingName(organizationId), JSON.stringify(records));
    }

    const count = (status: RefreshStatus) => results.filter((r) => r.status === status).length;
    return {
      startedAt,
      finishedAt: now().toISOString(),
      checked: results.length,
      updated: count('updated'),
      unchanged: count('unchanged'),
      pending: count('pending') + count('dismissed'),
      failed: count('failed'),
      results,
    };
  }

  const runOnce = (): Promise<RefreshSummary> => {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  };

  const onRun =
    options.onRun ??
    ((summary: RefreshSummary) => {
      for (const r of summary.results) {
        if (r.status === 'updated') console.log(`[sso-portal] metadata refresh: ${r.connectionId} (${r.organizationId}): ${r.note}`);
        if (r.status === 'pending') console.log(`[sso-portal] metadata refresh: ${r.connectionId} (${r.organizationId}), waiting for review: ${r.note}`);
        if (r.status === 'failed') console.warn(`[sso-portal] metadata refresh: ${r.connectionId} (${r.organizationId}) failed: ${r.errorCode}: ${r.error}`);
      }
    });

  // A tick while a pass runs is skipped (the next tick starts the next pass), and a pass that
  // ends after stop() reports nothing.
  const tick = () => {
    if (stopped || running) return;
    runOnce().then(
      (summary) => stopped || onRun(summary),
      (error: unknown) => stopped || console.error('[sso-portal] metadata refresh:', error),
    );
  };
  const startTimer =
    options.timer?.start ??
    ((fn: () => void, ms: number) => {
      const handle = setInterval(fn, ms);
      handle.unref();
      return () => clearInterval(handle);
    });
  const stopTimer = Number.isFinite(options.intervalMs) && options.intervalMs > 0 ? startTimer(tick, options.intervalMs) : undefined;

  return {
    runOnce,
    stop() {
      stopped = true;
      stopTimer?.();
      controller.abort(new PortalError('aborted', { message: 'The metadata refresh stopped.' }));
    },
  };
}
