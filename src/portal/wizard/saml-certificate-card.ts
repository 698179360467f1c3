/**
 * One IdP signing certificate as the SAML review shows it (subject, issuer, validity,
 * fingerprint, key, its own warnings), shared by the SAML step and the rollover editor.
 */
import { css, html, nothing } from 'lit';
import { formatDateTime } from '../../core/format.js';
import { msg, str } from '../localize/msg.js';
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
    <h5>${msg(str`Certificate ${index + 1}`)}</h5>
    <dl>
      <dt>${msg('Subject')}</dt><dd>${cert.subject}</dd>
      <dt>${msg('Issuer')}</dt><dd>${cert.issuer}</dd>
      <dt>${msg('Valid from')}</dt><dd><time datetime=${cert.notBefore}>${formatDateTime(cert.notBefore)}</time></dd>
      <dt>${msg('Valid until')}</dt><dd><time datetime=${cert.notAfter}>${formatDateTime(cert.notAfter)}</time></dd>
      <dt>${msg('SHA-256 fingerprint')}</dt><dd><code>${cert.fingerprintSha256}</code></dd>
      <dt>${msg('Key')}</dt><dd>${cert.keySize ? msg(str`${cert.keyAlgorithm} ${cert.keySize} bits`) : cert.keyAlgorithm}</dd>
    </dl>
    ${warningsOf(cert, warnings).map((w) => html`<p class="notice">⚠ ${w.message}</p>`)} ${extra}
  </div>`;
}
