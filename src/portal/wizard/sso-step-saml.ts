import { css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { describeError, toPortalError } from '../../core/errors.js';
import { SAML_BINDING_NAMES, type SamlConfig } from '../../core/model.js';
import type { ProviderDefinition } from '../../core/providers/types.js';
import type { MetadataResult } from '../../core/saml-metadata.js';
import type { SamlMetadataSource } from '../../adapters/portal-adapter.js';
import { readSamlMetadataWith } from '../../adapters/read-metadata.js';
import { draftFromConnection, type SamlDraft, type SamlSource } from '../../core/wizard.js';
import { defineElement } from '../define.js';
import { richText, switchButton, textField } from '../ui/field.js';
import type { SsoFileSelectedEvent } from '../ui/sso-file-drop.js';
import type { ManualHost, Words } from './saml-manual.js';
import type { SsoCertificatesChangeEvent } from './sso-saml-rollover.js';
import type { SsoMetadataChangeAppliedEvent } from './sso-metadata-change.js';
import { certificateCard, certificateCardStyles, type CertificateInfo, type Warning } from './saml-certificate-card.js';
import { SsoStepElement, errorNotice } from './step-element.js';
import { inLanguageShown } from './reader-words.js';
import { msg, str } from '../localize/msg.js';
import { backendMessage } from '../../core/text.js';
import { plural } from '../localize/plural.js';

/**
 * The reader is loaded on first use, for a certificate entered by hand (metadata is read through
 * `readSamlMetadataWith`, on the adapter's backend when it can): it is the heaviest part of the portal.
 */
const loadParser = () => import('../../core/saml-metadata.js');
const loadManual = () => import('./saml-manual.js');
type ManualModule = Awaited<ReturnType<typeof loadManual>>;

const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

/** The ways to give the configuration, in the language shown when rendered. */
const sources = (): Record<SamlSource, { label: string; hint: string }> => ({
  url: { label: msg('Metadata URL'), hint: msg('Recommended: certificate changes are picked up automatically.') },
  file: { label: msg('Upload metadata file'), hint: msg('The XML file you downloaded from the console.') },
  xml: { label: msg('Paste metadata XML'), hint: msg('Copy the whole XML document.') },
  manual: { label: msg('Enter manually'), hint: msg('SSO URL, entity ID and signing certificate.') },
});

/** What the review shows: the saved configuration plus the certificates' details. */
export interface SamlReview {
  config: SamlConfig;
  certificates: CertificateInfo[];
  warnings: Warning[];
}

type Work =
  | { status: 'idle' }
  | { status: 'busy'; message: string }
  // Worded at each render (`Words`), so a language switch words it again.
  | { status: 'error'; path: string; words: Words; code: string };

/**
 * Step 3 for SAML: the IdP's configuration four ways (metadata URL, file, pasted XML, manual),
 * then a review of what was understood, certificates included, before saving.
 *
 * @tagname sso-step-saml
 * @summary SAML configuration.
 */
export class SsoStepSaml extends SsoStepElement implements ManualHost {
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
  @state() private review?: SamlReview;
  /** A saved configuration's certificates are edited with `<sso-saml-rollover>`, loaded on demand. */
  @state() private rolloverLoaded = false;
  /**
   * The step was opened on a configuration saved earlier (editing): only then is there a rollover
   * to manage. Not after this visit's own first save, on the way to the next step.
   */
  private editingSaved = false;
  /** A metadata change waiting for review is shown by `<sso-metadata-change>`, loaded when there is one. */
  @state() private changeLoaded = false;
  /** The manual source's module (`saml-manual.ts`), once loaded. */
  @state() private manual?: ManualModule;
  @state() private manualRequested: boolean | 'failed' = false;
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
    // The file picker and the manual fields load when their source is chosen.
    if (this.draft.saml.source === 'file') void import('../ui/sso-file-drop.js');
    if (this.draft.saml.source === 'manual' && !this.manual && !this.manualRequested) this.loadManualFields();
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
    const name = this.provider?.name;
    const options = sources();
    return html`
      <h3 id="step-heading" tabindex="-1">${name ? msg(str`Connect ${name} with SAML`) : msg('Connect your identity provider with SAML')}</h3>
      ${this.changeLoaded && this.connection?.metadataRefresh?.pending
        ? html`<sso-metadata-change .connection=${this.connection} @sso-metadata-change-applied=${this.onMetadataApplied}></sso-metadata-change>`
        : nothing}
      <fieldset>
        <legend>${name ? msg(str`How would you like to give us ${name}’s configuration?`) : msg('How would you like to give us your identity provider’s configuration?')}</legend>
        <div class="sources">
          ${(Object.keys(options) as SamlSource[]).map(
            (source) => html`<label class="option" for="source-${source}">
              <input
                type="radio"
                name="source"
                id="source-${source}"
                .checked=${saml.source === source}
                @change=${() => this.chooseSource(source)}
              />
              <span>${options[source].label}<small>${options[source].hint}</small></span>
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
    const errorAt = (path: string) => this.issueFor(path) ?? (this.work.status === 'error' && this.work.path === path ? this.work.words()[1] : undefined);
    switch (source) {
      case 'url':
        return html`${textField({
            id: 'saml-metadata-url',
            label: msg('Metadata URL'),
            type: 'url',
            mono: true,
            required: true,
            value: saml.metadataUrl,
            placeholder: hints?.metadataUrlExample,
            hint: hints?.metadataLocation ? richText(hints.metadataLocation) : msg('The https:// address of the IdP metadata.'),
            error: errorAt('saml.metadataUrl'),
            onInput: (v) => this.edit({ metadataUrl: v }),
          })}
          <div class="row">
            ${switchButton({ busy, label: msg('Read metadata'), busyLabel: msg('Cancel'), onStart: this.readUrl, onCancel: this.cancel, primary: true })}
          </div>`;
      case 'file':
        return html`<sso-file-drop
            label=${msg('Metadata file')}
            accept=".xml,text/xml,application/xml,application/samlmetadata+xml"
            hint=${saml.fileName ? msg(str`Read from ${saml.fileName}.`) : msg('The XML file from your identity provider’s console.')}
            @sso-file-selected=${this.readFile}
          ></sso-file-drop>
          ${errorAt('saml.metadataXml') ? html`<p class="error" id="file-error">⚠ ${errorAt('saml.metadataXml')}</p>` : nothing}`;
      case 'xml':
        return html`${textField({
            id: 'saml-metadata-xml',
            label: msg('Metadata XML'),
            multiline: true,
            rows: 8,
            required: true,
            value: saml.metadataXml,
            placeholder: '<md:EntityDescriptor …>',
            error: errorAt('saml.metadataXml'),
            onInput: (v) => this.edit({ metadataXml: v, fileName: '' }),
          })}
          <div class="row"><button class="button button--primary" type="button" ?disabled=${busy} @click=${this.readXml}>${msg('Read XML')}</button></div>`;
      case 'manual':
        return this.manual
          ? this.manual.renderManual(this, errorAt)
          : this.manualRequested === 'failed'
            ? html`<div class="row"><button class="button" type="button" @click=${this.loadManualFields}>${msg('Load the fields again')}</button></div>`
            : html`<p aria-busy="true">${msg('Loading the fields…')}</p>`;
    }
  }

  private renderWork() {
    const work = this.work;
    if (work.status === 'busy') return html`<p class="panel" aria-busy="true">${work.message}</p>`;
    if (work.status === 'error') {
      // The message itself is shown under the field it concerns; this says what to do.
      const [title, , remedy] = work.words();
      return errorNotice('parse-error', title, remedy, work.code);
    }
    return nothing;
  }

  private renderEntities() {
    const entities = this.entities;
    if (!entities) return nothing;
    return html`<fieldset class="panel">
      <legend>${msg('This file describes several identity providers. Which one is yours?')}</legend>
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
    const count = review.certificates.length;
    const warnings = review.warnings.map((w) => inLanguageShown(w, this));
    return html`<section class="panel" part="review" aria-labelledby="review-heading">
      <h4 id="review-heading">${msg('What we understood')}</h4>
      <p class="lead">${this.provider ? msg(str`Check that these match ${this.provider.name}, then save.`) : msg('Check that these match your identity provider, then save.')}</p>
      <dl>
        <dt>${msg('IdP entity ID')}</dt><dd><code>${c.idpEntityId}</code></dd>
        <dt>${msg('Single sign-on URL')}</dt><dd><code>${c.ssoUrl}</code> (${SAML_BINDING_NAMES[c.ssoBinding]})</dd>
        ${c.metadataUrl ? html`<dt>${msg('Metadata URL')}</dt><dd><code>${c.metadataUrl}</code></dd>` : nothing}
      </dl>
      ${warnings.filter((w) => !('fingerprintSha256' in w && w.fingerprintSha256)).map((w) => html`<p class="notice">⚠ ${w.message}</p>`)}
      <h5>${count > 1 ? msg(str`Signing certificates (${count}, for a rollover)`) : msg('Signing certificate')}</h5>
      ${this.rolloverLoaded && this.editingSaved && this.connection
        ? html`<sso-saml-rollover
            .certificates=${review.certificates}
            .warnings=${review.warnings}
            .fromMetadataUrl=${!!review.config.metadataUrl}
            .usage=${this.connection.signingCertificateUsage}
            @sso-certificates-change=${this.onCertificatesChange}
          ></sso-saml-rollover>`
        : review.certificates.map((cert, i) => certificateCard(cert, i, warnings))}
      ${this.renderSettings(this.draft.saml.understood)}
    </section>`;
  }

  /** The connection's SAML settings, each where it applies (saved with the configuration). */
  private renderSettings(c: SamlConfig) {
    const settings = [
      this.serviceProvider?.encryptionCertificateUrl && {
        id: 'require-encryption',
        label: msg('Refuse unencrypted assertions'),
        hint: msg('Only once your identity provider encrypts them with our certificate (see the guide).'),
        on: c.requireEncryptedAssertions === true,
        set: (on: boolean): Partial<SamlConfig> => ({ requireEncryptedAssertions: on }),
      },
      // Backends that re-read the metadata URL and keep changes for review.
      c.metadataUrl &&
        this.adapter?.approveMetadataChange && {
          id: 'review-metadata-changes',
          label: msg('Ask me before applying metadata changes'),
          hint: msg('Changes we find when re-reading your metadata URL wait here for you to apply them (otherwise they apply at once).'),
          on: c.metadataRefreshMode === 'review',
          set: (on: boolean): Partial<SamlConfig> => ({ metadataRefreshMode: on ? 'review' : 'apply' }),
        },
    ].filter((s) => !!s);
    return settings.length
      ? html`<fieldset class="settings">
          <legend>${msg('Settings')}</legend>
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
    this.announcer?.announce(msg('Download cancelled.'));
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
    if (saml.source === 'manual' && saml.manual.ssoUrl.trim()) return (await loadManual()).checkManual(this);
    return true; // nothing entered: the wizard's check says what is missing
  }

  /** Downloads the metadata through the adapter (server-side, SSRF-guarded) and reads it; true when understood. */
  async readUrl(): Promise<boolean> {
    const url = this.draft.saml.metadataUrl.trim();
    if (!/^https?:\/\//i.test(url)) {
      this.fail('saml.metadataUrl', () => [msg('This is not a web address'), msg('Enter the full metadata URL, starting with https://.')], 'metadata_url_refused');
      return false;
    }
    return this.read({ url }, 'saml.metadataUrl', msg('Downloading the metadata…'));
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
  private async read(source: SamlMetadataSource, path: string, progress = msg('Reading the metadata…')): Promise<boolean> {
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
      // The backend's own message is English: with another language, our words for the code alone.
      this.fail(
        path,
        () => {
          const { title, action } = describeError(e);
          const own = backendMessage(e.message);
          return [title, own && own !== title ? `${own} ${action}` : action];
        },
        e.code,
      );
      return false;
    }
    if (abort.signal.aborted) return false;
    const metadataUrl = source.url;
    if (!result.ok) {
      const error = result.error;
      if (error.entities?.length) {
        this.entities = error.entities;
        this.work = { status: 'idle' };
        this.announcer?.announce(msg('This file describes several identity providers. Choose yours.'));
        return false;
      }
      this.fail(
        path,
        () => {
          const said = inLanguageShown(error, this);
          return [msg('We could not use this metadata'), said.message, said.remedy];
        },
        error.code,
      );
      return false;
    }
    const m = result.metadata;
    const redirect = m.ssoServices.find((s) => s.binding === REDIRECT);
    const post = m.ssoServices.find((s) => s.binding === POST);
    const sso = redirect ?? post;
    if (!sso) {
      this.fail(path, () => [msg('We could not use this metadata'), msg('The identity provider offers no HTTP-Redirect or HTTP-POST single sign-on endpoint.')], 'metadata_no_sso_service');
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

  /** Loads the manual source's fields; says so when they cannot be loaded (offline). */
  private loadManualFields(): void {
    this.manualRequested = true;
    loadManual().then(
      (manual) => (this.manual = manual),
      () => {
        this.manualRequested = 'failed';
        this.fail('saml.manual', () => [msg('The fields could not be loaded'), msg('Check your connection, then load them again.')], 'network');
      },
    );
  }

  /** @internal The manual source's values (`saml-manual.ts`). */
  get manualValues(): SamlDraft['manual'] {
    return this.draft.saml.manual;
  }

  /** @internal */
  setManual(patch: Partial<SamlDraft['manual']>): void {
    this.edit({ manual: { ...this.draft.saml.manual, ...patch } });
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

  /** @internal The configuration was read (the manual source's check ends here too). */
  understood(review: SamlReview): void {
    this.entities = this.entities && this.draft.saml.aggregateEntityId ? this.entities : undefined;
    this.work = { status: 'idle' };
    this.review = review;
    this.change((d) => ({ ...d, saml: { ...d.saml, understood: review.config } }));
    const n = review.warnings.length;
    this.announcer?.announce(n ? plural(n, { one: () => msg('Configuration read. Review it below; 1 warning.'), other: () => msg(str`Configuration read. Review it below; ${n} warnings.`) }) : msg('Configuration read. Review it below.'));
  }

  /** @internal */
  busy(message: string): void {
    this.work = { status: 'busy', message };
    this.announcer?.announce(message);
  }

  /** @internal */
  fail(path: string, words: Words, code: string): void {
    this.work = { status: 'error', path, words, code };
    this.review = undefined;
    const [title, message] = words();
    this.announcer?.announce(`${title}. ${message}`); // two sentences, each in the language shown
  }
}

defineElement('sso-step-saml', SsoStepSaml);

declare global {
  interface HTMLElementTagNameMap {
    'sso-step-saml': SsoStepSaml;
  }
}
