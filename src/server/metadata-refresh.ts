/// <reference types="node" />
/**
 * Periodic re-read of IdP metadata (certificate rotation). For every SAML connection whose
 * `saml.metadataUrl` is set: fetch it through the SSRF-guarded fetcher, parse it with
 * `parseSamlMetadata` (the connection's entity ID picks the entity from an aggregate), and when
 * the signing certificates differ from the stored ones, update the connection through the
 * organization's service (the adapter's update path: `certificateExpiresAt` recomputed, version
 * bumped, a stale-version race is a `conflict`, never an overwrite).
 *
 * What happened to each connection is recorded in the store (setting
 * `metadata-refresh:<orgId>`, see {@link readRefreshRecords}) and shown on the connection as
 * `metadataRefresh` by the app. Failures are recorded, never thrown; the timer keeps going.
 *
 * `main.ts`: `startMetadataRefresh({ services, fetchDocument, intervalMs:
 * metadataRefreshIntervalFromEnv(process.env.SSO_PORTAL_METADATA_REFRESH_MS) })`, and `stop()`
 * on shutdown.
 */
import { PortalError, toPortalError } from '../core/errors.js';
import type { Connection, MetadataRefresh as MetadataRefreshState, SamlConfig } from '../core/model.js';
import { parseSamlMetadata } from '../core/saml-metadata.js';
import type { OrganizationServices } from './server-types.js';
import type { Store } from './store/store.js';
import type { FetchDocument } from './types.js';
import { certificateBody } from './saml/sp-metadata-keys.js';

/** Default period: every 6 hours. */
export const DEFAULT_METADATA_REFRESH_MS = 6 * 3_600_000;
/** Shortest period accepted from the environment (one minute), so a typo cannot hammer IdPs. */
export const MIN_METADATA_REFRESH_MS = 60_000;

export type RefreshStatus = 'unchanged' | 'updated' | 'failed';

/** The latest refresh of one connection, as recorded and shown on the connection (`Connection.metadataRefresh`). */
export type MetadataRefreshRecord = MetadataRefreshState;

export interface RefreshResult {
  organizationId: string;
  connectionId: string;
  status: RefreshStatus;
  note?: string;
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


function describeChange(before: readonly string[], after: readonly string[]): string {
  const old = new Set(before.map(certificateBody));
  const next = new Set(after.map(certificateBody));
  const added = [...next].filter((k) => !old.has(k)).length;
  const removed = [...old].filter((k) => !next.has(k)).length;
  const parts = [added ? `${added} added` : '', removed ? `${removed} removed` : ''].filter(Boolean);
  return `Signing certificates changed in the IdP metadata: ${parts.join(', ') || 'reordered'}.`;
}

function sameCertificates(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a.map(certificateBody));
  const y = new Set(b.map(certificateBody));
  return x.size === y.size && [...x].every((k) => y.has(k));
}

export function startMetadataRefresh(options: MetadataRefreshOptions): MetadataRefresh {
  const { services, fetchDocument } = options;
  const store = services.store;
  const now = options.now ?? (() => new Date());
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const controller = new AbortController();
  let running: Promise<RefreshSummary> | undefined;
  let stopped = false;

  async function refreshOne(organizationId: string, connection: Connection & { saml: SamlConfig }, url: string): Promise<RefreshResult> {
    const base = { organizationId, connectionId: connection.id };
    const organization = await store.getOrganization(organizationId);
    if (!organization) return { ...base, status: 'failed', errorCode: 'not_found', error: 'The organization no longer exists.' };
    const service = services.serviceFor(organization);
    try {
      const xml = await fetchDocument(url, 'saml-metadata', controller.signal);
      const parsed = await parseSamlMetadata(xml, { entityId: connection.saml.idpEntityId, now: now() });
      if (!parsed.ok) return { ...base, status: 'failed', errorCode: parsed.error.code, error: parsed.error.message };
      const { metadata } = parsed;
      if (metadata.entityId !== connection.saml.idpEntityId) {
        return { ...base, status: 'failed', errorCode: 'metadata_entity_changed', error: `The metadata now describes ${metadata.entityId}, not ${connection.saml.idpEntityId}; nothing was changed.` };
      }
      const certificates = metadata.signingCertificates.map((c) => c.pem);
      if (certificates.length === 0) {
        return { ...base, status: 'failed', errorCode: 'metadata_no_signing_certificate', error: 'The metadata has no signing certificate; the stored ones were kept.' };
      }
      if (sameCertificates(certificates, connection.saml.signingCertificates)) return { ...base, status: 'unchanged' };
      const note = describeChange(connection.saml.signingCertificates, certificates);
      const updated = await service.updateConnection(connection.id, connection.version, {
        saml: { ...connection.saml, signingCertificates: certificates },
      });
      return { ...base, status: 'updated', note, version: updated.version };
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
      for (const connection of connections) {
        const url = connection.protocol === 'saml' ? connection.saml?.metadataUrl : undefined;
        if (!url || !connection.saml) continue;
        const saml = connection.saml;
        jobs.push(() => refreshOne(organization.id, { ...connection, saml }, url));
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
        } else if (before?.changedAt) {
          record.changedAt = before.changedAt;
          record.note = before.note;
        }
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
