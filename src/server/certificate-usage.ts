/**
 * Which IdP signing certificate a SAML connection's logins are actually signed with (certificate
 * rollover: the admin adds the next certificate, sees when the IdP starts using it, then removes
 * the old one).
 *
 * Every accepted SAML login (test or sign-in) records the SHA-256 fingerprint of the trusted
 * certificate that verified its signature, with the time, in the store (setting
 * `certificate-usage:<orgId>`: `{ [connectionId]: { [fingerprint]: lastUsedAt } }`). Only
 * accepted logins count: a refused response (a replay, an expired one) may be an old captured
 * one and would make a retired certificate look in use. Written at most once a minute per
 * certificate (`lastUsedAt` is precise to the minute); only certificates still on the
 * connection, and only connections that still exist, are kept. Two logins of one organization
 * at the same moment may each write: the later write wins (the same certificate, as a rule).
 *
 * Shown on the connection as `signingCertificateUsage` (portal API, read-only), newest first,
 * for the certificates the connection holds now.
 */
import type { Connection } from '../core/model.js';
import { readTrustedCertificates } from './saml/signature-check.js';
import type { Store } from './store/store.js';

/** When a certificate last signed an accepted login, by fingerprint; by connection id. */
export type CertificateUsageRecords = Record<string, Record<string, string>>;

/** How often one certificate's `lastUsedAt` is rewritten at most. */
const WRITE_EVERY_MS = 60_000;

const settingName = (organizationId: string) => `certificate-usage:${organizationId}`;

export async function readCertificateUsage(store: Store, organizationId: string): Promise<CertificateUsageRecords> {
  const raw = await store.getSetting(settingName(organizationId));
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as CertificateUsageRecords) : {};
  } catch {
    return {};
  }
}

/** The fingerprints of a connection's signing certificates that can be read (colon hex, as signature checks give them). */
function fingerprintsOf(connection: Connection): Set<string> {
  return new Set(readTrustedCertificates(connection.saml?.signingCertificates ?? []).map((t) => t.fingerprint));
}

/**
 * Records that `fingerprint` verified an accepted login of `connection` at `at`. `connections`
 * are the organization's connections now (records of the others are dropped).
 */
export async function recordCertificateUsage(store: Store, organizationId: string, connection: Connection, fingerprint: string, at: Date, connections: readonly Connection[]): Promise<void> {
  const records = await readCertificateUsage(store, organizationId);
  const previous = records[connection.id]?.[fingerprint];
  if (previous && at.getTime() - Date.parse(previous) < WRITE_EVERY_MS && at.getTime() >= Date.parse(previous)) return;
  const next: CertificateUsageRecords = {};
  for (const c of connections) {
    if (c.id === connection.id || !records[c.id]) continue;
    next[c.id] = records[c.id]!;
  }
  const current = fingerprintsOf(connection);
  const kept: Record<string, string> = {};
  for (const [fp, when] of Object.entries(records[connection.id] ?? {})) if (current.has(fp)) kept[fp] = when;
  if (current.has(fingerprint)) kept[fingerprint] = at.toISOString();
  next[connection.id] = kept;
  await store.putSetting(settingName(organizationId), JSON.stringify(next));
}

/** `Connection.signingCertificateUsage`: the certificates the connection holds now that signed a login, newest first. */
export function usageOf(records: CertificateUsageRecords, connection: Connection): Connection['signingCertificateUsage'] {
  const used = records[connection.id];
  if (!used || connection.protocol !== 'saml') return undefined;
  const current = fingerprintsOf(connection);
  const list = Object.entries(used)
    .filter(([fp]) => current.has(fp))
    .map(([fingerprint, lastUsedAt]) => ({ fingerprint, lastUsedAt }))
    .sort((a, b) => b.lastUsedAt.localeCompare(a.lastUsedAt));
  return list.length ? list : undefined;
}

/** The connection with its `signingCertificateUsage`, when a login recorded one. */
export function withCertificateUsage(records: CertificateUsageRecords, connection: Connection): Connection {
  const usage = usageOf(records, connection);
  return usage ? { ...connection, signingCertificateUsage: usage } : connection;
}
