import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { unsafeSVG } from 'lit/directives/unsafe-svg.js';
import type { Protocol } from '../../core/model.js';
import { enabledProtocols, preferredProtocol, searchProviders } from '../../core/providers/choose.js';
import type { ProviderSummary } from '../../core/providers/types.js';
import { withSimulatorValues } from '../../core/wizard.js';
import { defineElement } from '../define.js';
import { textField } from '../ui/field.js';
import { SsoStepElement } from './step-element.js';
import { css } from 'lit';
import { msg, str } from '../localize/msg.js';

const PROTOCOL_LABELS: Record<Protocol, string> = { saml: 'SAML 2.0', oidc: 'OpenID Connect' };

const protocolHint = (protocol: Protocol) =>
  protocol === 'saml' ? msg('The most widely supported. You will exchange metadata with your identity provider.') : msg('A modern protocol. You will enter an issuer URL, a client ID and a secret.');

/**
 * Step 1: which identity provider, and (when it offers both) which protocol.
 *
 * @tagname sso-step-provider
 * @summary Choose the identity provider.
 */
export class SsoStepProvider extends SsoStepElement {
  static override styles = [
    ...SsoStepElement.styles,
    css`
      .providers {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr));
        gap: var(--sso-space-2);
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .name > span:first-child {
        font-weight: var(--sso-font-weight-strong);
      }
      .logo {
        display: inline-flex;
        width: 2rem;
        height: 2rem;
        flex: none;
      }
      .logo svg {
        width: 100%;
        height: 100%;
      }
      .name {
        display: grid;
      }
      .protocols {
        font-weight: normal;
        font-size: var(--sso-font-size-sm);
        color: var(--sso-color-text-muted);
      }
      legend {
        margin-block-end: var(--sso-space-2);
      }
      .protocol-options {
        display: grid;
        gap: var(--sso-space-2);
      }
    `,
  ];

  /** The providers this session may use, in display order. */
  @property({ attribute: false }) providers: ProviderSummary[] = [];

  @state() private query = '';

  override render() {
    const shown = searchProviders(this.providers, this.query);
    const selected = this.providers.find((p) => p.id === this.draft.providerId);
    const providerError = this.issueFor('providerId');
    return html`
      <h3 id="step-heading" tabindex="-1">${msg('Which identity provider do you use?')}</h3>
      <p class="lead">${msg('Pick the service your company signs in with. If it is not listed, choose a generic SAML or OpenID Connect provider.')}</p>
      ${this.providers.length > 6
        ? textField({
            id: 'provider-search',
            label: msg('Search providers'),
            type: 'search',
            value: this.query,
            onInput: (v) => (this.query = v),
            autocomplete: 'off',
          })
        : nothing}
      <fieldset aria-describedby=${providerError ? 'provider-error' : nothing}>
        <legend class="visually-hidden">${msg('Identity provider')}</legend>
        ${shown.length
          ? html`<ul class="providers" role="list">
              ${shown.map((p) => this.renderProvider(p, !!providerError))}
            </ul>`
          : html`<p role="note">${msg(str`No provider matches “${this.query}”. Try “SAML” or “OpenID” for the generic options.`)}</p>`}
        ${providerError ? html`<p class="error" id="provider-error">⚠ ${providerError}</p>` : nothing}
      </fieldset>
      ${selected && this.protocolsOf(selected).length > 1 ? this.renderProtocols(selected) : nothing}
    `;
  }

  private renderProvider(provider: ProviderSummary, invalid: boolean) {
    const id = `provider-${provider.id}`;
    return html`<li>
      <label class="option" for=${id}>
        <input
          type="radio"
          name="provider"
          id=${id}
          .value=${provider.id}
          .checked=${this.draft.providerId === provider.id}
          aria-invalid=${invalid ? 'true' : 'false'}
          @change=${() => this.chooseProvider(provider)}
        />
        <span class="logo" aria-hidden="true">${unsafeSVG(provider.logo)}</span>
        <span class="name">
          <span>${provider.name}</span>
          <span class="protocols">${provider.protocols.map((p) => PROTOCOL_LABELS[p]).join(' · ')}</span>
        </span>
      </label>
    </li>`;
  }

  private renderProtocols(provider: ProviderSummary) {
    const error = this.issueFor('protocol');
    const recommended = preferredProtocol(provider, this.enabled);
    return html`<fieldset class="panel" aria-describedby=${error ? 'protocol-error' : nothing}>
      <legend>${msg(str`Which protocol should ${provider.name} use?`)}</legend>
      <div class="protocol-options">
        ${this.protocolsOf(provider).map(
          (p) => html`<label class="option" for="protocol-${p}">
            <input
              type="radio"
              name="protocol"
              id="protocol-${p}"
              .checked=${this.draft.protocol === p}
              aria-invalid=${error ? 'true' : 'false'}
              @change=${() => this.change((d) => ({ ...d, protocol: p }))}
            />
            <span class="name"
              ><span>${p === recommended ? msg(str`${PROTOCOL_LABELS[p]} (recommended)`) : PROTOCOL_LABELS[p]}</span><span class="protocols">${protocolHint(p)}</span></span
            >
          </label>`,
        )}
      </div>
      ${error ? html`<p class="error" id="protocol-error">⚠ ${error}</p>` : nothing}
    </fieldset>`;
  }

  /** The protocols this session allows (`PortalSession.features`). */
  private get enabled() {
    const features = this.session?.features;
    return { saml: features?.saml ?? true, oidc: features?.oidc ?? true };
  }

  private protocolsOf(provider: ProviderSummary) {
    return enabledProtocols(provider, this.enabled);
  }

  /** Picks the provider and preselects the protocol its guide recommends (kept if the admin chose one it offers). */
  private chooseProvider(provider: ProviderSummary): void {
    this.change((d) => {
      const keep = d.protocol && this.protocolsOf(provider).includes(d.protocol) ? d.protocol : null;
      const protocol = keep ?? preferredProtocol(provider, this.enabled) ?? null;
      return withSimulatorValues({ ...d, providerId: provider.id, protocol }, this.session);
    });
  }
}

defineElement('sso-step-provider', SsoStepProvider);

declare global {
  interface HTMLElementTagNameMap {
    'sso-step-provider': SsoStepProvider;
  }
}
