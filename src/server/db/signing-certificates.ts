/// <reference types="node" />
/**
 * Data written before a SAML connection held at most 5 IdP signing certificates (it was 10):
 * the best 5 of a stored list (`bestSigningCertificates`: valid now first, then the latest to
 * expire, in their order), read with `node:crypto`. A certificate that cannot be read ranks last.
 * Used by the migration `0003_five_signing_certificates` and by the import of a JSON store.
 */
import { X509Certificate } from 'node:crypto';
import { bestSigningCertificates } from '../../core/certificate-limit.js';

function withValidity(pem: string): { pem: string; notBefore: string; notAfter: string } {
  try {
    const certificate = new X509Certificate(pem);
    return { pem, notBefore: new Date(certificate.validFrom).toISOString(), notAfter: new Date(certificate.validTo).toISOString() };
  } catch {
    return { pem, notBefore: '', notAfter: '' };
  }
}

/** The certificates a connection keeps (the same list when it is within the limit). */
export function withinCertificateLimit(pems: readonly string[], now: Date): string[] {
  return bestSigningCertificates(pems.map(withValidity), now).map((c) => c.pem);
}
