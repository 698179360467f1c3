import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { formatDateTime, formatRelativeTime, humanizeCode } from '../../core/format.js';
import type { Connection, LastTest, PortalSession } from '../../core/model.js';
import { providerName } from '../../core/providers/names.js';
import { wizardEntry } from '../../core/wizard.js';
import { sessionContext } from '../context.js';
import { defineElement } from '../define.js';
import { SsoNavigateEvent } from '../internal-events.js';
import { shared, viewStyles } from '../styles/shared.js';
import '../ui/sso-status-badge.js';

const PROTOCOL_LABELS = { saml: 'SAML 2.0', oidc: 'OpenID Connect' } as const;

/**
 * The organization's SSO connections, or an empty state that starts the setup.
 *
 * @tagname sso-connections-overview
 * @summary Connections overview.
 * @csspart heading - The overview's heading.
 * @csspart empty-state - Shown when there is no connection yet.
 * @csspart connection - One connection in the list.
 */
export class SsoConnectionsOverview extends LitElement {
  static override styles = [
    shared,
    viewStyles,
    css`
      .empty {
        display: grid;
        justify-items: start;
        gap: var(--sso-space-3);
        padding: var(--sso-space-5);
        border: 1px dashed var(--sso-color-border);
        border-radius: var(--sso-radius-lg);
        background: var(--sso-color-surface);
      }
      .empty h3 {
        font-size: var(--sso-font-size-md);
      }
      .empty ol {
        margin: 0;
        padding-inline-start: var(--sso-space-5);
      }
      ul {
        display: grid;
        gap: var(--sso-space-3);
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .connection {
        display: grid;
        grid-template-columns: 1fr auto;
        gap: var(--sso-space-2) var(--sso-space-4);
        align-items: center;
        padding: var(--sso-space-4);
        border: 1px solid var(--sso-color-border);
        border-radius: var(--sso-radius-lg);
        background: var(--sso-color-surface-raised);
        box-shadow: var(--sso-shadow);
      }
      .title {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--sso-space-2);
      }
      .title h3 {
        font-size: var(--sso-font-size-md);
        overflow-wrap: anywhere;
      }
      .meta {
        display: flex;
        flex-wrap: wrap;
        gap: var(--sso-space-1) var(--sso-space-4);
        margin: 0;
        font-size: var(--sso-font-size-sm);
      }
      .meta div {
        display: flex;
        gap: var(--sso-space-1);
      }
      .meta dt {
        color: var(--sso-color-text-muted);
      }
      .meta dd {
        margin: 0;
      }
      .test--failure {
        color: var(--sso-color-danger);
      }
      .test--stale {
        color: var(--sso-color-warning);
      }
      @media (max-width: 30rem) {
        .connection {
          grid-template-columns: 1fr;
        }
      }
    `,
  ];

  /** The connections to list. */
  @property({ attribute: false }) connections: Connection[] = [];

  /** The clock, for stable stories and tests. */
  @property({ attribute: false }) now?: Date;

  @consume({ context: sessionContext, subscribe: true })
  @property({ attribute: false })
  session?: PortalSession;

  /** Moves focus to the overview's heading (after navigation). */
  focusHeading(): void {
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  override render() {
    const org = this.session?.organization.name;
    const hasConnections = this.connections.length > 0;
    return html`
      <div class="header">
        <h2 part="heading" tabindex="-1">Single sign-on${org ? html` for ${org}` : nothing}</h2>
        ${hasConnections
          ? html`<button class="button" type="button" @click=${this.startSetup}>Add connection</button>`
          : nothing}
      </div>
      ${hasConnections ? this.renderList() : this.renderEmpty()}
    `;
  }

  private renderEmpty() {
    const appName = this.session?.branding.name ?? 'this application';
    return html`
      <div class="empty" part="empty-state">
        <h3>Let your team sign in to ${appName} with your identity provider</h3>
        <p class="muted">
          Works with Okta, Microsoft Entra ID, Google Workspace and any SAML 2.0 or OpenID Connect provider.
          It takes about 10 minutes, and nothing changes for your users until you activate it.
        </p>
        <ol>
          <li>Choose your identity provider and follow its guide.</li>
          <li>Enter the values it gives you.</li>
          <li>Test a real login, then activate.</li>
        </ol>
        <button class="button button--primary" type="button" @click=${this.startSetup}>Set up SSO</button>
      </div>
    `;
  }

  private renderList() {
    return html`<ul aria-label="SSO connections">
      ${this.connections.map((c) => this.renderConnection(c))}
    </ul>`;
  }

  private renderConnection(connection: Connection) {
    const provider = providerName(connection.providerId);
    const title = connection.name ?? provider;
    const headingId = `connection-${connection.id}`;
    return html`<li class="connection" part="connection" aria-labelledby=${headingId}>
      <div>
        <div class="title">
          <h3 id=${headingId}>${title}</h3>
          <sso-status-badge status=${connection.status}></sso-status-badge>
        </div>
        <dl class="meta">
          ${connection.name ? html`<div><dt>Provider</dt><dd>${provider}</dd></div>` : nothing}
          <div><dt>Protocol</dt><dd>${PROTOCOL_LABELS[connection.protocol]}</dd></div>
          <div><dt>Last test</dt><dd>${this.renderLastTest(connection.lastTest)}</dd></div>
        </dl>
      </div>
      <button class="button" type="button" @click=${() => this.editConnection(connection.id)}>
        Edit<span class="visually-hidden"> ${title}</span>
      </button>
    </li>`;
  }

  private renderLastTest(test: LastTest | null) {
    if (!test) return html`<span>Never tested</span>`;
    const when = html`<time datetime=${test.at} title=${formatDateTime(test.at)}>${formatRelativeTime(test.at, this.now)}</time>`;
    if (test.status === 'pending') return html`<span>In progress, started ${when}</span>`;
    if (test.stale) {
      return html`<span class="test--stale">Configuration changed since the last test (${when}): test again</span>`;
    }
    if (test.status === 'success') return html`<span>Passed ${when}</span>`;
    return html`<span class="test--failure">Failed ${when}${test.errorCode ? `: ${humanizeCode(test.errorCode)}` : ''}</span>`;
  }

  private startSetup(): void {
    this.dispatchEvent(new SsoNavigateEvent(wizardEntry()));
  }

  private editConnection(id: string): void {
    this.dispatchEvent(new SsoNavigateEvent(wizardEntry(id)));
  }
}

defineElement('sso-connections-overview', SsoConnectionsOverview);

declare global {
  interface HTMLElementTagNameMap {
    'sso-connections-overview': SsoConnectionsOverview;
  }
}
