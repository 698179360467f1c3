import { css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { describeError, toPortalError } from '../../core/errors.js';
import type { SamlBinding, SamlConfig } from '../../core/model.js';
import type { ProviderDefinition } from '../../core/providers/types.js';
import type { MetadataResult } from '../../core/saml-metadata.js';
import type { SamlMetadataSource } from '../../adapters/portal-adapter.js';
import { readSamlMetadataWith } from '../../adapters/read-metadata.js';
import { draftFromConnection, type SamlSource } from '../../core/wizard.js';
import { defineElement } from '../define.js';
import { richText, switchButton, textField } from '../ui/field.js';
import type { SsoFileSelectedEvent } from '../ui/sso-file-drop.js';
import type { SsoCertificatesChangeEvent } from './sso-saml-rollover.js';
import type { SsoMetadataChangeAppliedEvent } from './sso-metadata-change.js';
import { certificateCard, certificateCardStyles, type CertificateInfo, type Warning } from './saml-certificate-card.js';
import { SsoStepElement, errorNotice } from './step-element.js';

/**
 * The reader is loaded on first use, for a certificate entered by hand (metadata is read through
 * `readSamlMetadataWith`, on the adapter's backend when it can): it is the heaviest part of the portal.
 */
const loadParser = () => import('../../core/saml-metadata.js');

const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const BINDING_LABELS: Record<SamlBinding, string> = { redirect: 'HTTP-Redirect', post: 'HTTP-POST' };

const SOURCES: Record<SamlSource, { label: string; hint: string }> = {
  url: { label: 'Metadata URL', hint: 'Recommended: certificate changes are picked up automatically.' },
  file: { label: 'Upload metadata file', hint: 'The XML file you downloaded from the console.' },
  xml: { label: 'Paste metadata XML', hint: 'Copy the whole XML document.' },
  manual: { label: 'Enter manually', hint: 'SSO URL, entity ID and signing certificate.' },
};

/** What the review shows: the saved configuration plus the certificates' details. */
interface Review {
  config: SamlConfig;
  certificates: CertificateInfo[];
  warnings: Warning[];
}

type Work =
  | { status: 'idle' }
  | { status: 'busy'; message: string }
  | { status: 'error'; path: string; title: string; message: string; code: string; remedy?: string };

/**
 * Step 3 for SAML: the IdP's configuration four ways (metadata URL, file, pasted XML, manual),
 * then a review of what was understood, certificates included, before saving.
 *
 * @tagname sso-step-saml
 * @summary SAML configuration.
 */
export class SsoStepSaml extends SsoStepElement {
  static override styles = [
    ...SsoStepElement.styles,
    certificateCardStyles,
    css`
      .sources {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr));
        gap: var(--sso-space-2);
      }
      legend {
        margin-block-end: var(--sso-space-2);
      }
      .settings {
        display: grid;
        gap: var(--sso-space-2);
      }
      ul.entities {
        display: grid;
        gap: var(--sso-space-1);
        margin: 0;
        padding: 0;
        list-style: none;
      }
    `,
  ];

  @property({ attribute: false }) provider?: ProviderDefinition;



  @state() private work: Work = { status: 'idle' };
  @state() private review?: Review;
  /** A saved configuration's certificates are edited with `<sso-saml-rollover>`, loaded on demand. */
  @state() private rolloverLoaded = false;
  /**
   * The step was opened on a configuration saved earlier (editing): only then is there a rollover
   * to manage. Not after this visit's own first save, on the way to the next step.
   */
  private editingSaved = false;
  /** A metadata change waiting for review is shown by `<sso-metadata-change>`, loaded when there is one. */
  @state() private changeLoaded = false;
  /** IdP entities of an aggregate, when the admin must pick one. */
  @state() private entities?: { entityId: string; displayName?: string }[];
  private abort?: AbortController;

  override connectedCallback(): void {
    super.connectedCallback();
    this.editingSaved = !!this.connection?.saml;
    if (this.draft.saml.understood && !this.review) void this.describeSaved(this.draft.saml.understood);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    // The file picker is used by two sources only: its code loads when one of them is chosen.
    if (this.draft.saml.source === 'file' || this.draft.saml.source === 'manual') void import('../ui/sso-file-drop.js');
    if (this.connection?.metadataRefresh?.pending && !this.changeLoaded) {
      import('./sso-metadata-change.js').then(
        () => (this.changeLoaded = true),
        () => undefined, // offline: the overview still says a change waits
      );
    }
    // Not on a first setup: only once a configuration was saved is there a rollover to manage.
    if (this.editingSaved && !this.rolloverLoaded) {
      import('./sso-saml-rollover.js').then(
        () => (this.rolloverLoaded = true),
        () => undefined, // offline: the certificates stay listed read-only, as on a first setup
      );
    }
  }

  override render() {
    const saml = this.draft.saml;
    const name = this.provider?.name ?? 'your identity provider';
    return html`
      <h3 id="step-heading" tabindex="-1">Connect ${name} with SAML</h3>
      ${this.changeLoaded && this.connection?.metadataRefresh?.pending
        ? html`<sso-metadata-change .connection=${this.connection} @sso-metadata-change-applied=${this.onMetadataApplied}></sso-metadata-change>`
        : nothing}
      <fieldset>
        <legend>How would you like to give us ${name}’s configuration?</legend>
        <div class="sources">
          ${(Object.keys(SOURCES) as SamlSource[]).map(
            (source) => html`<label class="option" for="source-${source}">
              <input
                type="radio"
                name="source"
                id="source-${source}"
                .checked=${saml.source === source}
                @change=${() => this.chooseSource(source)}
              />
              <span>${SOURCES[source].label}<small>${SOURCES[source].hint}</small></span>
            </label>`,
          )}
        </div>
      </fieldset>
      <div class="panel">${this.renderSource(saml.source)}</div>
      ${this.renderWork()} ${this.renderEntities()} ${this.renderReview()}
    `;
  }

  private renderSource(source: SamlSource) {
    const saml = this.draft.saml;
    const hints = this.provider?.configureHints?.saml;
    const busy = this.work.status === 'busy';
    const errorAt = (path: string) => this.issueFor(path) ?? (this.work.status === 'error' && this.work.path === path ? this.work.message : undefined);
    switch (source) {
      case 'url':
        return html`${textField({
            id: 'saml-metadata-url',
            label: 'Metadata URL',
            type: 'url',
            mono: true,
            required: true,
            value: saml.metadataUrl,
            placeholder: hints?.metadataUrlExample,
            hint: hints?.metadataLocation ? richText(hints.metadataLocation) : 'The https:// address of the IdP metadata.',
            error: errorAt('saml.metadataUrl'),
            onInput: (v) => this.edit({ metadataUrl: v }),
          })}
          <div class="row">
            ${switchButton({ busy, label: 'Read metadata', busyLabel: 'Cancel', onStart: this.readUrl, onCancel: this.cancel, primary: true })}
          </div>`;
      case 'file':
        return html`<sso-file-drop
            label="Metadata file"
            accept=".xml,text/xml,application/xml,application/samlmetadata+xml"
            hint=${saml.fileName ? `Read from ${saml.fileName}.` : 'The XML file from your identity provider’s console.'}
            @sso-file-selected=${this.readFile}
          ></sso-file-drop>
          ${errorAt('saml.metadataXml') ? html`<p class="error" id="file-error">⚠ ${errorAt('saml.metadataXml')}</p>` : nothing}`;
      case 'xml':
        return html`${textField({
            id: 'saml-metadata-xml',
            label: 'Metadata XML',
            multiline: true,
            rows: 8,
            required: true,
            value: saml.metadataXml,
            placeholder: '<md:EntityDescriptor …>',
            error: errorAt('saml.metadataXml'),
            onInput: (v) => this.edit({ metadataXml: v, fileName: '' }),
          })}
          <div class="row"><button class="button button--primary" type="button" ?disabled=${busy} @click=${this.readXml}>Read XML</button></div>`;
      case 'manual':
        return this.renderManual(errorAt);
    }
  }

  private renderManual(errorAt: (path: string) => string | undefined) {
    const m = this.draft.saml.manual;
    const setManual = (patch: Partial<typeof m>) => this.edit({ manual: { ...this.draft.saml.manual, ...patch } });
    return html`
      ${textField({ id: 'saml-sso-url', label: 'Single sign-on URL', type: 'url', mono: true, required: true, value: m.ssoUrl, hint: 'Where we send users to log in (also called SAML 2.0 Endpoint or Login URL).', error: errorAt('saml.manual.ssoUrl'), onInput: (v) => setManual({ ssoUrl: v }) })}
      ${textField({ id: 'saml-entity-id', label: 'IdP entity ID (Issuer)', mono: true, required: true, value: m.idpEntityId, error: errorAt('saml.manual.idpEntityId'), onInput: (v) => setManual({ idpEntityId: v }) })}
      <fieldset>
        <legend>Binding of the single sign-on URL</legend>
        <div class="row">
          ${(['redirect', 'post'] as SamlBinding[]).map(
            (b) => html`<label class="option" for="binding-${b}"><input type="radio" name="binding" id="binding-${b}" .checked=${m.ssoBinding === b} @change=${() => setManual({ ssoBinding: b })} /><span>${BINDING_LABELS[b]}</span></label>`,
          )}
        </div>
      </fieldset>
      ${textField({
        id: 'saml-certificate',
        label: 'Signing certificate',
        multiline: true,
        rows: 6,
        required: true,
        value: m.certificates[0] ?? '',
        placeholder: '-----BEGIN CERTIFICATE-----',
        hint: 'Paste the certificate (PEM or base64), or choose the .cer, .pem or .crt file below.',
        error: errorAt('saml.manual.certificates'),
        onInput: (v) => setManual({ certificates: [v, ...m.certificates.slice(1)] }),
      })}
      <sso-file-drop label="Certificate file" accept=".cer,.pem,.crt,.der" max-bytes="65536" @sso-file-selected=${this.readCertificateFile}></sso-file-drop>
      <div class="row"><button class="button button--primary" type="button" @click=${this.checkManual}>Check these values</button></div>
    `;
  }

  private renderWork() {
    const work = this.work;
    if (work.status === 'busy') return html`<p class="panel" aria-busy="true">${work.message}</p>`;
    if (work.status === 'error') {
      // The message itself is shown under the field it concerns; this says what to do.
      return errorNotice('parse-error', work.title, work.remedy, work.code);
    }
    return nothing;
  }

  private renderEntities() {
    const entities = this.entities;
    if (!entities) return nothing;
    return html`<fieldset class="panel">
      <legend>This file describes several identity providers. Which one is yours?</legend>
      <ul class="entities">
        ${entities.map(
          (e, i) => html`<li>
            <label class="option" for="entity-${i}">
              <input type="radio" name="entity" id="entity-${i}" .checked=${this.draft.saml.aggregateEntityId === e.entityId} @change=${() => this.chooseEntity(e.entityId)} />
              <span>${e.displayName ?? e.entityId}${e.displayName ? html`<small><code>${e.entityId}</code></small>` : nothing}</span>
            </label>
          </li>`,
        )}
      </ul>
    </fieldset>`;
  }

  private renderReview() {
    const review = this.review;
    if (!review || !this.draft.saml.understood) return nothing;
    const c = review.config;
    return html`<section class="panel" part="review" aria-labelledby="review-heading">
      <h4 id="review-heading">What we understood</h4>
      <p class="lead">Check that these match ${this.provider?.name ?? 'your identity provider'}, then save.</p>
      <dl>
        <dt>IdP entity ID</dt><dd><code>${c.idpEntityId}</code></dd>
        <dt>Single sign-on URL</dt><dd><code>${c.ssoUrl}</code> (${BINDING_LABELS[c.ssoBinding]})</dd>
        ${c.metadataUrl ? html`<dt>Metadata URL</dt><dd><code>${c.metadataUrl}</code></dd>` : nothing}
      </dl>
      ${review.warnings.filter((w) => !('fingerprintSha256' in w && w.fingerprintSha256)).map((w) => html`<p class="notice">⚠ ${w.message}</p>`)}
      <h5>Signing certificate${review.certificates.length > 1 ? `s (${review.certificates.length}, for a rollover)` : ''}</h5>
      ${this.rolloverLoaded && this.editingSaved && this.connection
        ? html`<sso-saml-rollover
            .certificates=${review.certificates}
            .warnings=${review.warnings}
            .fromMetadataUrl=${!!review.config.metadataUrl}
            .usage=${this.connection.signingCertificateUsage}
            @sso-certificates-change=${this.onCertificatesChange}
          ></sso-saml-rollover>`
        : review.certificates.map((cert, i) => certificateCard(cert, i, review.warnings))}
      ${this.renderSettings(this.draft.saml.understood)}
    </section>`;
  }

  /** The connection's SAML settings, each where it applies (saved with the configuration). */
  private renderSettings(c: SamlConfig) {
    const settings = [
      this.serviceProvider?.encryptionCertificateUrl && {
        id: 'require-encryption',
        label: 'Refuse unencrypted assertions',
        hint: 'Only once your identity provider encrypts them with our certificate (see the guide).',
        on: c.requireEncryptedAssertions === true,
        set: (on: boolean): Partial<SamlConfig> => ({ requireEncryptedAssertions: on }),
      },
      // Backends that re-read the metadata URL and keep changes for review.
      c.metadataUrl &&
        this.adapter?.approveMetadataChange && {
          id: 'review-metadata-changes',
          label: 'Ask me before applying metadata changes',
          hint: 'Changes we find when re-reading your metadata URL wait here for you to apply them (otherwise they apply at once).',
          on: c.metadataRefreshMode === 'review',
          set: (on: boolean): Partial<SamlConfig> => ({ metadataRefreshMode: on ? 'review' : 'apply' }),
        },
    ].filter((s) => !!s);
    return settings.length
      ? html`<fieldset class="settings">
          <legend>Settings</legend>
          ${settings.map(
            (s) => html`<label class="option" for=${s.id}>
              <input type="checkbox" id=${s.id} .checked=${s.on} @change=${(e: Event) => this.setUnderstood(s.set((e.target as HTMLInputElement).checked))} />
              <span>${s.label}<small>${s.hint}</small></span>
            </label>`,
          )}
        </fieldset>`
      : nothing;
  }

  /** The admin applied the metadata change: the saved configuration is now the connection's. */
  private onMetadataApplied(event: SsoMetadataChangeAppliedEvent): void {
    const connection = event.connection;
    this.change((d) => ({ ...d, version: connection.version, saml: draftFromConnection(connection).saml }));
    if (connection.saml) void this.describeSaved(connection.saml);
    this.focusHeading();
  }

  private onCertificatesChange(event: SsoCertificatesChangeEvent): void {
    this.review = { ...this.review!, certificates: event.certificates, warnings: event.warnings };
    this.setUnderstood({ signingCertificates: event.certificates.map((c) => c.pem) });
  }

  /** Changes a setting of what was understood, keeping the review (nothing to read again). */
  private setUnderstood(patch: Partial<SamlConfig>): void {
    this.change((d) => ({ ...d, saml: { ...d.saml, understood: d.saml.understood && { ...d.saml.understood, ...patch } } }));
  }

  // -------------------------------------------------------------------------------------

  private edit(patch: Partial<typeof this.draft.saml>): void {
    this.change((d) => ({ ...d, saml: { ...d.saml, ...patch, understood: null } }));
    this.review = undefined;
    if (this.work.status === 'error') this.work = { status: 'idle' };
  }

  private chooseSource(source: SamlSource): void {
    this.abort?.abort();
    this.entities = undefined;
    this.work = { status: 'idle' };
    this.edit({ source });
  }

  private cancel(): void {
    this.abort?.abort();
    this.work = { status: 'idle' };
    this.announcer?.announce('Download cancelled.');
  }

  /**
   * Continuing with a configuration that was entered but not read yet reads it first (with the
   * same progress and errors as the Read button): a metadata URL, pasted XML, manual values.
   */
  override async beforeContinue(): Promise<boolean> {
    const saml = this.draft.saml;
    if (saml.understood || this.work.status === 'busy') return true;
    if (saml.source === 'url' && saml.metadataUrl.trim()) return this.readUrl();
    if (saml.source === 'xml' && saml.metadataXml.trim()) return this.readXml();
    if (saml.source === 'manual' && saml.manual.ssoUrl.trim()) return this.checkManual();
    return true; // nothing entered: the wizard's check says what is missing
  }

  /** Downloads the metadata through the adapter (server-side, SSRF-guarded) and reads it; true when understood. */
  async readUrl(): Promise<boolean> {
    const url = this.draft.saml.metadataUrl.trim();
    if (!/^https?:\/\//i.test(url)) {
      this.fail('saml.metadataUrl', 'This is not a web address', 'Enter the full metadata URL, starting with https://.', 'metadata_url_refused');
      return false;
    }
    return this.read({ url }, 'saml.metadataUrl', 'Downloading the metadata…');
  }

  private async readFile(event: SsoFileSelectedEvent): Promise<void> {
    this.edit({ metadataXml: event.text, fileName: event.file.name });
    await this.read({ xml: event.text }, 'saml.metadataXml');
  }

  private async readXml(): Promise<boolean> {
    return this.read({ xml: this.draft.saml.metadataXml }, 'saml.metadataXml');
  }

  private async chooseEntity(entityId: string): Promise<void> {
    this.change((d) => ({ ...d, saml: { ...d.saml, aggregateEntityId: entityId } }));
    const source = this.draft.saml.source === 'url' ? 'saml.metadataUrl' : 'saml.metadataXml';
    if (this.lastSource) await this.read({ ...this.lastSource, entityId }, source);
  }

  /** What was read last (XML or URL), to read again with the entity the admin picks from an aggregate. */
  private lastSource?: SamlMetadataSource;

  /** Reads metadata; true when it was understood (false: an error, or an aggregate to choose from). */
  private async read(source: SamlMetadataSource, path: string, progress = 'Reading the metadata…'): Promise<boolean> {
    const entityId = source.entityId ?? (this.draft.saml.aggregateEntityId || undefined);
    const request: SamlMetadataSource = entityId ? { ...source, entityId } : source;
    this.lastSource = source.url === undefined ? { xml: source.xml } : { url: source.url };
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    this.busy(progress);
    let result: MetadataResult;
    try {
      result = await readSamlMetadataWith(this.adapter!, request, { signal: abort.signal });
    } catch (error) {
      const e = toPortalError(error);
      if (e.code === 'aborted' || abort.signal.aborted) return false;
      const { title, action } = describeError(e);
      this.fail(path, title, e.message && e.message !== title ? `${e.message} ${action}` : action, e.code);
      return false;
    }
    if (abort.signal.aborted) return false;
    const metadataUrl = source.url;
    if (!result.ok) {
      const error = result.error;
      if (error.entities?.length) {
        this.entities = error.entities;
        this.work = { status: 'idle' };
        this.announcer?.announce('This file describes several identity providers. Choose yours.');
        return false;
      }
      this.fail(path, 'We could not use this metadata', error.message, error.code, error.remedy);
      return false;
    }
    const m = result.metadata;
    const redirect = m.ssoServices.find((s) => s.binding === REDIRECT);
    const post = m.ssoServices.find((s) => s.binding === POST);
    const sso = redirect ?? post;
    if (!sso) {
      this.fail(path, 'We could not use this metadata', 'The identity provider offers no HTTP-Redirect or HTTP-POST single sign-on endpoint.', 'metadata_no_sso_service');
      return false;
    }
    const config: SamlConfig = {
      idpEntityId: m.entityId,
      ssoUrl: sso.location,
      ssoBinding: sso === redirect ? 'redirect' : 'post',
      signingCertificates: m.signingCertificates.map((c) => c.pem),
    };
    if (metadataUrl) config.metadataUrl = metadataUrl;
    if (m.nameIdFormats[0]) config.nameIdFormat = m.nameIdFormats[0];
    if (typeof m.wantAuthnRequestsSigned === 'boolean') config.wantAuthnRequestsSigned = m.wantAuthnRequestsSigned;
    this.understood({ config, certificates: m.signingCertificates, warnings: result.warnings });
    return true;
  }

  private async readCertificateFile(event: SsoFileSelectedEvent): Promise<void> {
    const { parseCertificate } = await loadParser();
    const result = await parseCertificate(event.bytes);
    if (!result.ok) {
      this.fail('saml.manual.certificates', 'We could not read this certificate', result.error.message, result.error.code, result.error.remedy);
      return;
    }
    const m = this.draft.saml.manual;
    this.edit({ manual: { ...m, certificates: [result.certificate.pem, ...m.certificates.slice(1)] } });
  }

  private async checkManual(): Promise<boolean> {
    const m = this.draft.saml.manual;
    if (!/^https?:\/\/\S+$/i.test(m.ssoUrl.trim())) {
      this.fail('saml.manual.ssoUrl', 'Check the single sign-on URL', 'Enter the full URL, starting with https://.', 'validation_failed');
      return false;
    }
    if (!m.idpEntityId.trim()) {
      this.fail('saml.manual.idpEntityId', 'Enter the IdP entity ID', 'It is shown next to the SSO URL in your identity provider’s console, often as Issuer.', 'validation_failed');
      return false;
    }
    this.busy('Reading the certificate…');
    const { parseCertificate } = await loadParser();
    const certificates: CertificateInfo[] = [];
    const warnings: Warning[] = [];
    for (const text of m.certificates.filter((c) => c.trim())) {
      const result = await parseCertificate(text);
      if (!result.ok) {
        this.fail('saml.manual.certificates', 'We could not read this certificate', result.error.message, result.error.code, result.error.remedy);
        return false;
      }
      certificates.push(result.certificate);
      warnings.push(...result.warnings);
    }
    if (!certificates.length) {
      this.fail('saml.manual.certificates', 'Add the signing certificate', 'Without it we cannot check that logins really come from your identity provider.', 'metadata_no_signing_certificate');
      return false;
    }
    this.understood({
      config: { idpEntityId: m.idpEntityId.trim(), ssoUrl: m.ssoUrl.trim(), ssoBinding: m.ssoBinding, signingCertificates: certificates.map((c) => c.pem) },
      certificates,
      warnings,
    });
    return true;
  }

  /** Shows the review of a configuration saved earlier (editing). */
  private async describeSaved(config: SamlConfig): Promise<void> {
    const { parseCertificate } = await loadParser();
    const certificates: CertificateInfo[] = [];
    const warnings: Warning[] = [];
    for (const pem of config.signingCertificates) {
      const result = await parseCertificate(pem);
      if (result.ok) {
        certificates.push(result.certificate);
        warnings.push(...result.warnings);
      }
    }
    this.review = { config, certificates, warnings };
  }

  private understood(review: Review): void {
    this.entities = this.entities && this.draft.saml.aggregateEntityId ? this.entities : undefined;
    this.work = { status: 'idle' };
    this.review = review;
    this.change((d) => ({ ...d, saml: { ...d.saml, understood: review.config } }));
    const n = review.warnings.length;
    this.announcer?.announce(`Configuration read. Review it below${n ? `; ${n} warning${n > 1 ? 's' : ''}` : ''}.`);
  }

  private busy(message: string): void {
    this.work = { status: 'busy', message };
    this.announcer?.announce(message);
  }

  private fail(path: string, title: string, message: string, code: string, remedy?: string): void {
    this.work = { status: 'error', path, title, message, code, remedy };
    this.review = undefined;
    this.announcer?.announce(`${title}. ${message}`);
  }
}

defineElement('sso-step-saml', SsoStepSaml);

declare global {
  interface HTMLElementTagNameMap {
    'sso-step-saml': SsoStepSaml;
  }
}
