/**
 * Which of a SAML connection's signing certificates the IdP signs with (certificate rollover),
 * from the backend's `Connection.signingCertificateUsage`. Pure and small: safe in browsers.
 */
import type { Connection } from './model.js';

export interface CertificateUse {
  /** As given (SHA-256, colon hex: `parseCertificate(pem)` gives `fingerprintSha256`). */
  fingerprint: string;
  /** When it last verified an accepted login; null: never, as far as the backend knows. */
  lastUsedAt: string | null;
  /** It verified the most recent login: the certificate the IdP signs with now. */
  latest: boolean;
}

const bare = (fingerprint: string) => fingerprint.replace(/[^0-9a-f]/gi, '').toUpperCase();

/** For each certificate (by fingerprint, in the order given): whether and when it was last used. */
export function certificateUsage(connection: Pick<Connection, 'signingCertificateUsage'>, fingerprints: readonly string[]): CertificateUse[] {
  const used = connection.signingCertificateUsage ?? [];
  let newest = '';
  for (const u of used) if (u.lastUsedAt > newest) newest = u.lastUsedAt;
  return fingerprints.map((fingerprint) => {
    const lastUsedAt = used.find((u) => bare(u.fingerprint) === bare(fingerprint))?.lastUsedAt ?? null;
    return { fingerprint, lastUsedAt, latest: lastUsedAt !== null && lastUsedAt === newest };
  });
}
