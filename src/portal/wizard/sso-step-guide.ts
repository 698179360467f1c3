import { css, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { AttributeMapping, Protocol } from '../../core/model.js';
import type { GuideField, GuideStep, ProviderDefinition, SpValueKey } from '../../core/providers/types.js';
import { defineElement } from '../define.js';
import { richText } from '../ui/field.js';
import { msg, str } from '../localize/msg.js';
import '../ui/sso-copy-field.js';
import { SsoStepElement } from './step-element.js';

/** Shown in place of an attribute name the admin has not chosen yet. */
const attributeLabel = (key: keyof AttributeMapping) =>
  key === 'email' ? msg('Email address') : key === 'firstName' ? msg('First name') : key === 'lastName' ? msg('Last name') : msg('Groups');

/**
 * Step 2: numbered instructions for creating the app in the IdP's console, with our values
 * to paste right where they are needed.
 *
 * @tagname sso-step-guide
 * @summary The provider's setup guide.
 */
export class SsoStepGuide extends SsoStepElement {
  static override styles = [
    ...SsoStepElement.styles,
    css`
      ol.guide {
        display: grid;
        gap: var(--sso-space-4);
        margin: 0;
        padding-inline-start: var(--sso-space-5);
      }
      ol.guide > li > div {
        display: grid;
        gap: var(--sso-space-2);
      }
      ol.guide > li::marker {
        font-weight: var(--sso-font-weight-strong);
      }
      .fields {
        display: grid;
        gap: var(--sso-space-2);
      }
      .note {
        font-size: var(--sso-font-size-sm);
        color: var(--sso-color-text-muted);
      }
      .links {
        display: flex;
        flex-wrap: wrap;
        gap: var(--sso-space-2) var(--sso-space-4);
        margin: 0;
        padding: 0;
        list-style: none;
      }
      a {
        color: var(--sso-color-accent);
      }
    `,
  ];

  @property({ attribute: false }) provider?: ProviderDefinition;


  override render() {
    const provider = this.provider;
    const protocol = this.draft.protocol;
    if (!provider || !protocol) return html`<h3 id="step-heading" tabindex="-1">${msg('Create the app')}</h3><p>${msg('Choose an identity provider first.')}</p>`;
    // Read on every render: a provider's guides are a getter that writes them in the language shown now.
    const steps = provider.guides[protocol] ?? [];
    return html`
      <h3 id="step-heading" tabindex="-1">${msg(str`Create the app in ${provider.name}`)}</h3>
      <p class="lead">
        ${provider.guideLead
          ? richText(provider.guideLead)
          : msg(html`Open the ${provider.name} admin console in another tab and follow these steps. Copy each value with its <strong>Copy</strong> button; nothing changes for your users until you activate the connection at the end.`)}
      </p>
      <ol class="guide">
        ${steps.map((step) => this.renderStep(step, protocol))}
      </ol>
      ${provider.helpLinks.length
        ? html`<div>
            <h4 class="visually-hidden">${msg('Documentation')}</h4>
            <ul class="links">
              ${provider.helpLinks.filter((link) => !link.protocol || link.protocol === protocol).map(
                (link) => html`<li><a href=${link.url} hreflang="en" target="_blank" rel="noopener noreferrer">${link.label}<span class="visually-hidden"> ${msg('(opens in a new tab)')}</span></a></li>`,
              )}
            </ul>
          </div>`
        : nothing}
    `;
  }

  private renderStep(step: GuideStep, protocol: Protocol) {
    return html`<li><div>
      <p>${richText(step.text)}</p>
      ${step.fields?.length ? html`<div class="fields">${step.fields.map((f) => this.renderField(f))}</div>` : nothing}
      ${step.offerSpMetadata && protocol === 'saml' ? this.renderMetadataDownload() : nothing}
      ${step.offerSpCertificate ? this.renderCertificateDownload(step.offerSpCertificate) : nothing}
      ${step.note ? html`<p class="note">${richText(step.note)}</p>` : nothing}
    </div></li>`;
  }

  private renderField(field: GuideField) {
    const value = this.fieldValue(field);
    if (!value) return nothing;
    // The label is the IdP console's own field name, in English as the console shows it (docs/i18n.md).
    return html`<sso-copy-field .label=${field.label} label-lang="en" .value=${value}></sso-copy-field>`;
  }

  private fieldValue(field: GuideField): string {
    if (field.value.startsWith('attribute:')) {
      const key = field.value.slice('attribute:'.length) as keyof AttributeMapping;
      return this.draft.attributeMapping[key] || attributeLabel(key);
    }
    const sp = this.serviceProvider;
    return sp?.[field.value as SpValueKey] ?? '';
  }

  private renderMetadataDownload() {
    return html`<p>
      <button class="button" type="button" @click=${this.downloadSpMetadata}>${msg('Download our SAML metadata (XML)')}</button>
    </p>`;
  }

  /** A backend's certificate file (it answers as an attachment, so the link downloads it even from another origin). */
  private renderCertificateDownload(use: 'signing' | 'encryption') {
    const url = this.serviceProvider?.[`${use}CertificateUrl`];
    return url ? html`<p><a class="button" href=${url} download>${use === 'signing' ? msg('Download our signing certificate (.cer)') : msg('Download our encryption certificate (.cer)')}</a></p>` : nothing;
  }

  /**
   * Our SP metadata: a backend with certificates serves it with them (the copy to import);
   * otherwise, or when it cannot be reached, it is built from the session's values.
   */
  async spMetadataDocument(): Promise<string> {
    const sp = this.serviceProvider!;
    if (sp.signingCertificateUrl || sp.encryptionCertificateUrl) {
      try {
        const response = await fetch(sp.metadataUrl);
        if (response.ok) return await response.text();
      } catch {
        // Offline or refused: the copy built here (no certificates) still configures the IdP.
      }
    }
    // Built on the first download only (most admins import by URL).
    const { spMetadataXml } = await import('../../core/sp-metadata.js');
    return spMetadataXml(sp);
  }

  /** Saves our SP metadata as a file. */
  async downloadSpMetadata(): Promise<void> {
    if (!this.serviceProvider) return;
    const xml = await this.spMetadataDocument();
    const blob = new Blob([xml], { type: 'application/samlmetadata+xml' });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = 'sp-metadata.xml';
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}

defineElement('sso-step-guide', SsoStepGuide);

declare global {
  interface HTMLElementTagNameMap {
    'sso-step-guide': SsoStepGuide;
  }
}
