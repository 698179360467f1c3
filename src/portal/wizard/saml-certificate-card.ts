/**
 * One IdP signing certificate as the SAML review shows it (subject, issuer, validity,
 * fingerprint, key, its own warnings), shared by the SAML step and the rollover editor.
 */
import { css, html, nothing } from 'lit';
import { formatDateTime } from '../../core/format.js';
import type { MetadataResult } from '../../core/saml-metadata.js';

type MetadataSuccess = Extract<MetadataResult, { ok: true }>;
export type CertificateInfo = MetadataSuccess['metadata']['signingCertificates'][number];
export type Warning = MetadataSuccess['warnings'][number];

export const certificateCardStyles = css`
  .cert {
    font-size: var(--sso-font-size-sm);
  }
  .cert h5 {
    margin: 0;
    font-size: var(--sso-font-size-sm);
  }
`;

/** The warnings about one certificate (expired, weak key...): those naming its fingerprint. */
const warningsOf = (cert: CertificateInfo, warnings: readonly Warning[]) => warnings.filter((w) => 'fingerprintSha256' in w && w.fingerprintSha256 === cert.fingerprintSha256);

/** The card of certificate `index` (0-based); `extra` goes at its end (usage, actions). */
export function certificateCard(cert: CertificateInfo, index: number, warnings: readonly Warning[], extra: unknown = nothing) {
  return html`<div class="card cert" part="certificate">
    <h5>Certificate ${index + 1}</h5>
    <dl>
      <dt>Subject</dt><dd>${cert.subject}</dd>
      <dt>Issuer</dt><dd>${cert.issuer}</dd>
      <dt>Valid from</dt><dd><time datetime=${cert.notBefore}>${formatDateTime(cert.notBefore)}</time></dd>
      <dt>Valid until</dt><dd><time datetime=${cert.notAfter}>${formatDateTime(cert.notAfter)}</time></dd>
      <dt>SHA-256 fingerprint</dt><dd><code>${cert.fingerprintSha256}</code></dd>
      <dt>Key</dt><dd>${cert.keyAlgorithm}${cert.keySize ? ` ${cert.keySize} bits` : ''}</dd>
    </dl>
    ${warningsOf(cert, warnings).map((w) => html`<p class="notice">⚠ ${w.message}</p>`)} ${extra}
  </div>`;
}
