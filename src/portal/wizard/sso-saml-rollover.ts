import { css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { formatDateTime } from '../../core/format.js';
import { certificateUsage } from '../../core/certificate-usage.js';
import { MAX_SIGNING_CERTIFICATES, type Connection } from '../../core/model.js';
import { defineElement } from '../define.js';
import { msg, str } from '../localize/msg.js';
import { SsoPortalElement } from '../portal-element.js';
import { shared } from '../styles/shared.js';
import { fieldStyles, textField } from '../ui/field.js';
import type { SsoFileSelectedEvent } from '../ui/sso-file-drop.js';
import '../ui/sso-file-drop.js';
import { certificateCard, certificateCardStyles, type CertificateInfo, type Warning } from './saml-certificate-card.js';
import { stepStyles } from './step-element.js';
import { inLanguageShown } from './reader-words.js';

/** The certificates after an edit (added or removed); saved with the configuration. */
export class SsoCertificatesChangeEvent extends Event {
  static readonly eventName = 'sso-certificates-change';
  constructor(
    readonly certificates: CertificateInfo[],
    readonly warnings: Warning[],
  ) {
    super(SsoCertificatesChangeEvent.eventName, { bubbles: true, composed: false });
  }
}

/**
 * The signing certificates of a saved SAML connection, for a certificate rollover: which one the
 * IdP signs with (from recent logins), the next one added before the cutover, the old one removed
 * after. Loaded only when a saved configuration is reviewed (not on a first setup).
 *
 * @tagname sso-saml-rollover
 * @summary Signing certificates of a saved SAML connection: usage, add, remove.
 * @fires sso-certificates-change - The list changed (the SAML step saves it with the configuration).
 */
export class SsoSamlRollover extends SsoPortalElement {
  static override styles = [
    shared,
    fieldStyles,
    stepStyles,
    certificateCardStyles,
    css`
      :host {
        gap: var(--sso-space-3);
      }
    `,
  ];

  @property({ attribute: false }) certificates: CertificateInfo[] = [];
  @property({ attribute: false }) warnings: Warning[] = [];
  /** The configuration comes from a metadata URL, which the backend re-reads (new certificates arrive by themselves). */
  @property({ type: Boolean, attribute: false }) fromMetadataUrl = false;
  /** When each certificate last verified a login (the backend's `signingCertificateUsage`); absent: not known. */
  @property({ attribute: false }) usage?: Connection['signingCertificateUsage'];

  /** The certificate being added (undefined: the form is closed). */
  @state() private adding?: string;
  /** Why the certificate being added was refused, worded at each render (a language switch words it again). */
  @state() private error?: () => string;
  /** A certificate removed although it signed the latest login: offered back. */
  @state() private removedSigning?: CertificateInfo;

  /** Whether and when each listed certificate verified a login; `latest`: the one the IdP signs with now. */
  private get uses() {
    return certificateUsage({ signingCertificateUsage: this.usage }, this.certificates.map((c) => c.fingerprintSha256));
  }

  override render() {
    const uses = this.uses;
    const warnings = this.warnings.map((w) => inLanguageShown(w, this));
    return html`
      ${this.removedSigning
        ? html`<div class="notice" part="removed-signing">
            <p>${msg(html`You removed the certificate that signed the latest login (<code>${this.removedSigning.fingerprintSha256}</code>). Until your identity provider signs with one of those left, its logins will be refused.`)}</p>
            <div class="row"><button class="button" type="button" @click=${this.undoRemove}>${msg('Keep it')}</button></div>
          </div>`
        : nothing}
      ${this.certificates.map((cert, i) => {
        const use = uses[i]!;
        return certificateCard(
          cert,
          i,
          warnings,
          html`${this.usage
            ? html`<p part="usage">
                ${use.lastUsedAt
                  ? html`${use.latest ? html`<strong>${msg('Signing now.')}</strong> ` : nothing}${msg(html`Last verified a login on <time datetime=${use.lastUsedAt}>${formatDateTime(use.lastUsedAt)}</time>.`)}`
                  : msg('Not seen in a recent login.')}
              </p>`
            : nothing}
          ${this.certificates.length > 1 ? html`<div class="row"><button class="button" type="button" @click=${() => this.removeAt(i)}>${msg(str`Remove certificate ${i + 1}`)}</button></div>` : nothing}`,
        );
      })}
      ${this.fromMetadataUrl
        ? html`<p class="hint">${msg('We re-read your metadata URL regularly: when your identity provider publishes its next certificate there, it is added here (at once, or for you to apply if you chose to review changes). Add one by hand only if it is not published.')}</p>`
        : nothing}
      ${this.renderAdd()}
    `;
  }

  private renderAdd() {
    if (this.certificates.length >= MAX_SIGNING_CERTIFICATES) {
      return html`<p class="hint">${msg(str`A connection holds at most ${MAX_SIGNING_CERTIFICATES} signing certificates: remove one to add another.`)}</p>`;
    }
    if (this.adding === undefined) {
      return html`<div class="row"><button class="button" type="button" id="add-open" @click=${this.openAdd}>${msg('Add a certificate')}</button></div>`;
    }
    return html`<div class="panel" part="add-certificate">
      ${textField({
        id: 'add-certificate',
        label: msg('New signing certificate'),
        multiline: true,
        rows: 6,
        mono: true,
        value: this.adding,
        placeholder: '-----BEGIN CERTIFICATE-----',
        hint: msg('Before your identity provider switches to a new certificate, add it here and save: logins signed with either one are accepted. Remove the old one once the new one signs.'),
        error: this.error?.(),
        onInput: (v) => {
          this.adding = v;
          this.error = undefined;
        },
      })}
      <sso-file-drop label=${msg('Certificate file')} accept=".cer,.pem,.crt,.der" max-bytes="65536" @sso-file-selected=${(e: SsoFileSelectedEvent) => this.add(e.bytes)}></sso-file-drop>
      <div class="row">
        <button class="button button--primary" type="button" @click=${() => this.add(this.adding ?? '')}>${msg('Add certificate')}</button>
        <button class="button" type="button" @click=${this.closeAdd}>${msg('Cancel')}</button>
      </div>
    </div>`;
  }

  private async openAdd(): Promise<void> {
    this.adding = '';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#add-certificate')?.focus();
  }

  private async closeAdd(): Promise<void> {
    this.adding = this.error = undefined;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#add-open')?.focus();
  }

  private async add(input: string | Uint8Array): Promise<void> {
    const { parseCertificate } = await import('../../core/saml-metadata.js');
    const result = await parseCertificate(input);
    if (!result.ok) {
      const refused = result.error;
      this.error = () => {
        const said = inLanguageShown(refused, this);
        return `${said.message} ${said.remedy ?? ''}`.trim();
      };
      const reason = refused.message;
      this.announcer?.announce(msg(str`We could not read this certificate. ${reason}`));
      return;
    }
    const cert = result.certificate;
    if (this.certificates.some((c) => c.fingerprintSha256 === cert.fingerprintSha256)) {
      this.error = () => msg('This certificate is already on the connection.');
      this.announcer?.announce(this.error());
      return;
    }
    this.adding = this.error = undefined;
    this.emit([...this.certificates, cert], [...this.warnings, ...result.warnings]);
    const n = this.certificates.length + 1;
    this.announcer?.announce(msg(str`Certificate ${n} added. Save to keep it.`));
  }

  private removeAt(index: number): void {
    const removed = this.certificates[index]!;
    if (this.uses[index]!.latest) this.removedSigning = removed;
    this.emit(this.certificates.filter((_, i) => i !== index), this.warnings);
    const n = index + 1;
    this.announcer?.announce(msg(str`Certificate ${n} removed. Save to apply.`));
  }

  private undoRemove(): void {
    const cert = this.removedSigning;
    this.removedSigning = undefined;
    if (cert && this.certificates.length < MAX_SIGNING_CERTIFICATES) this.emit([...this.certificates, cert], this.warnings);
  }

  private emit(certificates: CertificateInfo[], warnings: Warning[]): void {
    this.dispatchEvent(new SsoCertificatesChangeEvent(certificates, warnings));
  }
}

defineElement('sso-saml-rollover', SsoSamlRollover);

declare global {
  interface HTMLElementTagNameMap {
    'sso-saml-rollover': SsoSamlRollover;
  }
  interface GlobalEventHandlersEventMap {
    'sso-certificates-change': SsoCertificatesChangeEvent;
  }
}
