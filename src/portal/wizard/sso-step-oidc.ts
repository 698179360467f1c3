import { css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { toPortalError, describeError } from '../../core/errors.js';
import { checkOidcDiscovery, discoveryUrlFor } from '../../core/oidc-discovery.js';
import type { ProviderDefinition } from '../../core/providers/types.js';
import { defineElement } from '../define.js';
import { richText, switchButton, textField } from '../ui/field.js';
import '../ui/sso-copy-field.js';
import { SsoStepElement } from './step-element.js';
import { msg, str } from '../localize/msg.js';

type Discovery = Extract<ReturnType<typeof checkOidcDiscovery>, { ok: true }>;

type CheckState =
  | { status: 'idle' }
  | { status: 'checking'; issuer: string }
  // `result` and `message` are read at each render, so a language switch words them again.
  | { status: 'ok'; issuer: string; result: () => Discovery }
  | { status: 'error'; issuer: string; message: () => string; code: string };

/**
 * Step 3 for OpenID Connect: the issuer (checked through its discovery document), the client
 * ID and the write-only client secret, the scopes, and our redirect URI to register.
 *
 * @tagname sso-step-oidc
 * @summary OpenID Connect configuration.
 */
export class SsoStepOidc extends SsoStepElement {
  static override styles = [
    ...SsoStepElement.styles,
    css`
      dl {
        font-size: var(--sso-font-size-sm);
      }
    `,
  ];

  @property({ attribute: false }) provider?: ProviderDefinition;




  @state() private check: CheckState = { status: 'idle' };
  @state() private replacingSecret = false;
  private abort?: AbortController;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
  }

  override render() {
    const oidc = this.draft.oidc;
    const name = this.provider?.name;
    const example = this.provider?.configureHints?.oidc?.issuerExample;
    const hints = this.provider?.configureHints?.oidc;
    const set = (key: 'clientId' | 'clientSecret' | 'scopes') => (value: string) => this.change((d) => ({ ...d, oidc: { ...d.oidc, [key]: value } }));
    return html`
      <h3 id="step-heading" tabindex="-1">${name ? msg(str`Connect ${name} with OpenID Connect`) : msg('Connect your identity provider with OpenID Connect')}</h3>
      ${this.serviceProvider
        ? html`<sso-copy-field label=${name ? msg(str`Redirect URI (register it in ${name})`) : msg('Redirect URI (register it in your identity provider)')} .value=${this.serviceProvider.oidcRedirectUri}></sso-copy-field>`
        : nothing}
      <div class="row">
        ${textField({
          id: 'oidc-issuer',
          label: msg('Issuer URL'),
          type: 'url',
          required: true,
          mono: true,
          value: oidc.issuer,
          placeholder: hints?.issuerExample,
          hint: example
            ? msg(html`The address of the identity provider’s OpenID configuration, such as <code>${example}</code>. A <code>/.well-known/openid-configuration</code> URL works too.`)
            : msg(html`The address of the identity provider’s OpenID configuration. A <code>/.well-known/openid-configuration</code> URL works too.`),
          error: this.issueFor('oidc.issuer') ?? (this.check.status === 'error' ? this.check.message() : undefined),
          onInput: (value) => this.change((d) => ({ ...d, oidc: { ...d.oidc, issuer: value, discoveryChecked: false } })),
        })}
        ${switchButton({ busy: this.check.status === 'checking', label: msg('Check issuer'), busyLabel: msg('Cancel'), onStart: this.checkIssuer, onCancel: this.cancelCheck })}
      </div>
      ${this.renderCheck()}
      ${textField({
        id: 'oidc-client-id',
        label: msg('Client ID'),
        required: true,
        mono: true,
        value: oidc.clientId,
        hint: hints?.clientLocation ? richText(hints.clientLocation) : undefined,
        error: this.issueFor('oidc.clientId'),
        autocomplete: 'off',
        onInput: set('clientId'),
      })}
      ${oidc.clientSecretSet && !this.replacingSecret
        ? html`<div class="field">
            <span class="label-like"><strong>${msg('Client secret')}</strong></span>
            <p>${msg('A client secret is saved. For your security it is never shown again.')}</p>
            <p><button class="button" type="button" @click=${this.replaceSecret}>${msg('Replace client secret')}</button></p>
          </div>`
        : textField({
            id: 'oidc-client-secret',
            label: msg('Client secret'),
            type: 'password',
            required: !oidc.clientSecretSet,
            value: oidc.clientSecret,
            autocomplete: 'new-password',
            hint: oidc.clientSecretSet
              ? msg('The new secret replaces the saved one when you save. Leave empty to keep the saved one.')
              : msg('Sent once to the server when you save. It is never shown again, and never kept in this browser.'),
            error: this.issueFor('oidc.clientSecret'),
            onInput: set('clientSecret'),
          })}
      ${textField({
        id: 'oidc-scopes',
        label: msg('Scopes'),
        mono: true,
        value: oidc.scopes,
        hint: msg(html`Separated by spaces. <code>openid</code> is always included; <code>email</code> and <code>profile</code> bring the user’s email and name.`),
        onInput: set('scopes'),
      })}
    `;
  }

  private renderCheck() {
    const check = this.check;
    if (check.status === 'checking') return html`<p class="panel" aria-busy="true">${msg(html`Reading the OpenID configuration of <code>${check.issuer}</code>…`)}</p>`;
    if (check.status === 'ok' && this.draft.oidc.discoveryChecked) {
      const { discovery: d, warnings } = check.result();
      return html`<div class="panel notice--success">
        <p><strong>${this.provider ? msg(str`Found ${this.provider.name}’s OpenID configuration.`) : msg('Found the provider’s OpenID configuration.')}</strong></p>
        <dl>
          <dt>${msg('Issuer')}</dt><dd><code>${d.issuer}</code></dd>
          <dt>${msg('Authorization endpoint')}</dt><dd><code>${d.authorizationEndpoint}</code></dd>
          <dt>${msg('Token endpoint')}</dt><dd><code>${d.tokenEndpoint}</code></dd>
          <dt>${msg('Signing keys (JWKS)')}</dt><dd><code>${d.jwksUri}</code></dd>
          <dt>PKCE</dt><dd>${d.pkceS256 ? msg('Supported (S256)') : msg('Not advertised')}</dd>
        </dl>
        ${warnings.map((w) => html`<p class="notice">⚠ ${w.message}</p>`)}
      </div>`;
    }
    return nothing;
  }

  /** Continuing with an issuer that is filled in but not checked yet checks it first; only a failed check stops. */
  override async beforeContinue(): Promise<boolean> {
    const oidc = this.draft.oidc;
    if (!oidc.issuer.trim() || oidc.discoveryChecked || this.check.status === 'checking') return true;
    return this.checkIssuer();
  }

  /** Fetches the discovery document through the adapter and checks it; true when it works. */
  async checkIssuer(): Promise<boolean> {
    const input = this.draft.oidc.issuer.trim();
    const target = discoveryUrlFor(input);
    if (!target.ok) {
      this.check = { status: 'error', issuer: input, code: target.error.code, message: () => (discoveryUrlFor(input) as typeof target).error.message };
      this.announcer?.announce(target.error.message);
      return false;
    }
    const issuer = target.issuer;
    if (issuer !== input) this.change((d) => ({ ...d, oidc: { ...d.oidc, issuer } }));
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    this.check = { status: 'checking', issuer };
    this.announcer?.announce(msg('Checking the issuer…'));
    try {
      const doc = await this.adapter!.fetchOidcDiscovery(issuer, { signal: abort.signal });
      const result = checkOidcDiscovery(doc, issuer);
      if (abort.signal.aborted) return false;
      if (result.ok) {
        this.check = { status: 'ok', issuer, result: () => checkOidcDiscovery(doc, issuer) as Discovery };
        this.change((d) => ({ ...d, oidc: { ...d.oidc, discoveryChecked: true } }));
        this.announcer?.announce(msg('The issuer works.'));
        return true;
      }
      this.check = { status: 'error', issuer, code: result.error.code, message: () => (checkOidcDiscovery(doc, issuer) as typeof result).error.message };
      this.announcer?.announce(result.error.message);
      return false;
    } catch (error) {
      const e = toPortalError(error);
      if (e.code === 'aborted') return false;
      this.check = {
        status: 'error',
        issuer,
        code: e.code,
        message: () => {
          const { title, action } = describeError(e);
          return msg(str`${title}. ${action}`);
        },
      };
      this.announcer?.announce(describeError(e).title);
      return false;
    }
  }

  private cancelCheck(): void {
    this.abort?.abort();
    this.check = { status: 'idle' };
    this.announcer?.announce(msg('Check cancelled.'));
  }

  private async replaceSecret(): Promise<void> {
    this.replacingSecret = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('#oidc-client-secret')?.focus();
  }
}

defineElement('sso-step-oidc', SsoStepOidc);

declare global {
  interface HTMLElementTagNameMap {
    'sso-step-oidc': SsoStepOidc;
  }
}
