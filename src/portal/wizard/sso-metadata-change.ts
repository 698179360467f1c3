import { css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { describeError, toPortalError, type PortalError } from '../../core/errors.js';
import { formatDateTime } from '../../core/format.js';
import { NO_PENDING_CHANGE, noPendingChange } from '../../core/metadata-review.js';
import { SAML_BINDING_NAMES, type Connection, type MetadataChange, type SamlBinding } from '../../core/model.js';
import { defineElement } from '../define.js';
import { backendMessage } from '../../core/text.js';
import { msg } from '../localize/msg.js';
import { SsoConnectionChangeEvent } from '../internal-events.js';
import { SsoPortalElement } from '../portal-element.js';
import { shared } from '../styles/shared.js';
import { stepStyles } from './step-element.js';


/** The connection after the admin applied a metadata change: the SAML step takes its configuration. */
export class SsoMetadataChangeAppliedEvent extends Event {
  static readonly eventName = 'sso-metadata-change-applied';
  constructor(readonly connection: Connection) {
    super(SsoMetadataChangeAppliedEvent.eventName, { bubbles: true, composed: false });
  }
}

/**
 * A change the backend found in the IdP's metadata and keeps for the admin's review (the
 * connection's `saml.metadataRefreshMode` is `review`): what would change, field by field, and
 * Apply or Dismiss. Loaded only when a saved connection has one.
 *
 * @tagname sso-metadata-change
 * @summary A metadata change waiting for review.
 * @fires sso-metadata-change-applied - The change was applied (the connection is attached).
 */
export class SsoMetadataChange extends SsoPortalElement {
  static override styles = [
    shared,
    stepStyles,
    css`
      :host {
        display: block;
      }
      section {
        display: grid;
        gap: var(--sso-space-2);
      }
      h4,
      p,
      ul {
        margin: 0;
      }
      ul {
        display: grid;
        gap: var(--sso-space-1);
        padding-inline-start: var(--sso-space-5);
      }
    `,
  ];

  @property({ attribute: false }) connection?: Connection;
  @state() private busy?: 'approve' | 'dismiss';
  @state() private error?: PortalError;

  /**
   * The failure's own message: "no change is waiting" in the language shown (its reason is
   * stable); any other only in English, the backend's language (the code's title and action say it otherwise).
   */
  private errorMessage(): string {
    const e = this.error!;
    if (e.details?.reason === NO_PENDING_CHANGE) return noPendingChange().message;
    return backendMessage(e.message) ?? '';
  }

  override render() {
    const refresh = this.connection?.metadataRefresh;
    const pending = refresh?.pending;
    if (!pending) return nothing;
    const dismissed = refresh.status === 'dismissed';
    const url = this.connection?.saml?.metadataUrl;
    const error = this.error && describeError(this.error);
    return html`<section class="notice" part="metadata-change" aria-labelledby="metadata-change-heading">
      <h4 id="metadata-change-heading" tabindex="-1">${msg('Your identity provider’s metadata changed')}</h4>
      <p>${this.foundText(url, pending.foundAt, dismissed ? pending.dismissedAt : undefined)}</p>
      <ul>
        ${pending.changes.map((change) => this.renderChange(change))}
      </ul>
      ${error
        ? html`<p class="notice notice--danger" part="metadata-change-error" role="alert"><strong>${error.title}.</strong> ${this.errorMessage()} ${error.action}</p>`
        : nothing}
      <div class="row">
        <button class="button button--primary" type="button" ?disabled=${!!this.busy} @click=${() => this.decide('approve')}>
          ${this.busy === 'approve' ? msg('Applying…') : msg('Apply these changes')}
        </button>
        ${dismissed
          ? nothing
          : html`<button class="button" type="button" ?disabled=${!!this.busy} @click=${() => this.decide('dismiss')}>${this.busy === 'dismiss' ? msg('Dismissing…') : msg('Dismiss')}</button>`}
      </div>
    </section>`;
  }

  /** Where and when the change was found, and whether the admin dismissed it: whole sentences per case. */
  private foundText(url: string | undefined, foundAt: string, dismissedAt: string | undefined) {
    const found = html`<time datetime=${foundAt}>${formatDateTime(foundAt)}</time>`;
    const source = url ? html`<code>${url}</code>` : undefined;
    if (dismissedAt) {
      const dismissed = html`<time datetime=${dismissedAt}>${formatDateTime(dismissedAt)}</time>`;
      return source
        ? msg(html`We found these differences in ${source} on ${found}. Nothing changes until you apply them; you dismissed them on ${dismissed}.`)
        : msg(html`We found these differences in its metadata on ${found}. Nothing changes until you apply them; you dismissed them on ${dismissed}.`);
    }
    return source
      ? msg(html`We found these differences in ${source} on ${found}. Nothing changes until you apply them.`)
      : msg(html`We found these differences in its metadata on ${found}. Nothing changes until you apply them.`);
  }

  private renderChange(change: MetadataChange) {
    const value = (v: unknown) => html`<code>${change.field === 'ssoBinding' ? (SAML_BINDING_NAMES[v as SamlBinding] ?? String(v)) : String(v)}</code>`;
    switch (change.field) {
      case 'signingCertificates':
        return html`${(change.added ?? []).map((f) => html`<li>${msg(html`New signing certificate <code>${f}</code>`)}</li>`)}
        ${(change.removed ?? []).map((f) => html`<li>${msg(html`Signing certificate no longer listed <code>${f}</code>`)}</li>`)}`;
      case 'wantAuthnRequestsSigned':
        return html`<li>${change.to ? msg('Signed login requests: now required') : msg('Signed login requests: no longer required')}</li>`;
      default:
        return html`<li>${change.field === 'ssoUrl' ? msg(html`Single sign-on URL: ${value(change.from)} → ${value(change.to)}`) : msg(html`Binding: ${value(change.from)} → ${value(change.to)}`)}</li>`;
    }
  }

  private async decide(decision: 'approve' | 'dismiss'): Promise<void> {
    const adapter = this.adapter;
    const connection = this.connection;
    if (!adapter || !connection || this.busy) return;
    this.busy = decision;
    this.error = undefined;
    try {
      if (decision === 'approve') {
        if (!adapter.approveMetadataChange) throw new Error('This backend does not review metadata changes.');
        const updated = await adapter.approveMetadataChange(connection.id, { version: connection.version });
        this.dispatchEvent(new SsoMetadataChangeAppliedEvent(updated));
        this.dispatchEvent(new SsoConnectionChangeEvent(updated));
        this.announcer?.announce(msg('The metadata changes were applied. Test the connection to check them.'));
      } else {
        if (!adapter.dismissMetadataChange) throw new Error('This backend does not review metadata changes.');
        const updated = await adapter.dismissMetadataChange(connection.id);
        this.dispatchEvent(new SsoConnectionChangeEvent(updated));
        this.announcer?.announce(msg('The metadata changes were dismissed. You can still apply them later.'));
      }
    } catch (error) {
      this.error = toPortalError(error);
      this.announcer?.announce(describeError(this.error).title);
    } finally {
      this.busy = undefined;
    }
  }
}

defineElement('sso-metadata-change', SsoMetadataChange);

declare global {
  interface HTMLElementTagNameMap {
    'sso-metadata-change': SsoMetadataChange;
  }
  interface GlobalEventHandlersEventMap {
    'sso-metadata-change-applied': SsoMetadataChangeAppliedEvent;
  }
}
