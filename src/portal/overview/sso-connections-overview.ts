import { css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { describeError, toPortalError, type PortalError } from '../../core/errors.js';
import { formatRelativeTime } from '../../core/format.js';
import { testFailureTitle } from '../../core/test-titles.js';
import type { Connection, LastTest } from '../../core/model.js';
import { providerName } from '../../core/providers/names.js';
import { wizardEntry } from '../../core/views.js';
import type { PortalAdapter } from '../../adapters/portal-adapter.js';
import { defineElement } from '../define.js';
import { exportParts } from '../parts.js';
import { SsoPortalElement } from '../portal-element.js';
import { SsoConnectionDeactivatedEvent, SsoErrorEvent, SsoSessionExpiredEvent } from '../events.js';
import { SsoConnectionChangeEvent, SsoNavigateEvent } from '../internal-events.js';
import type { SsoConfirmDialog } from '../ui/sso-confirm-dialog.js';
import { clearDraft, draftKey } from '../wizard/draft-keys.js';
import { afterNextFrame, afterPaint } from '../idle.js';
import { fullDateTooltip } from '../ui/date-tooltip.js';
import { msg, str } from '../localize/msg.js';

/** The wizard and its first step, fetched ahead of a click (a failure waits for the real load). */
/** The directory section, after the overview painted, when the adapter has directory sync. */
const loadDirectorySection = () => void import('../directory/sso-directory-section.js');

function prefetchWizard(): void {
  Promise.all([import('../wizard/sso-wizard.js'), import('../wizard/sso-step-provider.js')]).catch(() => undefined);
}
import { shared, viewStyles } from '../styles/shared.js';
import '../ui/sso-status-badge.js';
import type { ActionMenuItem, SsoMenuSelectEvent } from '../ui/sso-action-menu.js';
import '../ui/sso-action-menu.js';

const PROTOCOL_LABELS = { saml: 'SAML 2.0', oidc: 'OpenID Connect' } as const;

/** A failed action's title and what to do, in the language shown. */
const problemText = (e: PortalError) => {
  const { title, action } = describeError(e);
  return msg(str`${title}. ${action}`);
};

/**
 * The organization's SSO connections, or an empty state that starts the setup.
 *
 * @tagname sso-connections-overview
 * @summary Connections overview.
 * @csspart heading - The overview's heading.
 * @csspart empty-state - Shown when there is no connection yet.
 * @csspart connection - One connection in the list.
 */
export class SsoConnectionsOverview extends SsoPortalElement {
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
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--sso-space-2);
        justify-content: flex-end;
      }
      sso-domains-panel {
        margin-block-start: var(--sso-space-6);
      }
      .action-error {
        margin-block-start: var(--sso-space-2);
        color: var(--sso-color-danger);
        font-size: var(--sso-font-size-sm);
      }
      .test--failure {
        color: var(--sso-color-danger);
      }
      .test--stale {
        color: var(--sso-color-warning);
      }
      /* The portal is a size container: a narrow portal in a wide window stacks too. */
      @container (max-width: 30rem) {
        .connection {
          grid-template-columns: 1fr;
        }
        .actions {
          justify-content: flex-start;
        }
      }
    `,
  ];

  /** The connections to list. */
  @property({ attribute: false }) connections: Connection[] = [];

  /** The clock, for stable stories and tests. */
  @property({ attribute: false }) now?: Date;




  /** A failed action, shown on its connection. */
  /** The last action's failure, worded at each render (a language switch re-words it). */
  @state() private actionError?: { connectionId: string; error: PortalError };

  protected override firstUpdated(): void {
    // The domains panel loads once the overview has painted: its code must not hold up the first frame.
    afterNextFrame(() => void import('../domains/sso-domains-panel.js'));
    this.addEventListener('pointerover', fullDateTooltip);
    // Setting up is what an admin with no active connection came for: fetch the wizard while they
    // read. Others get it when they reach for a button.
    if (!this.connections.some((c) => c.status === 'active')) afterPaint(prefetchWizard, 2000);
    else for (const type of ['pointerover', 'focusin']) this.addEventListener(type, prefetchWizard, { once: true });
  }

  /** Moves focus to the overview's heading (after navigation). */
  focusHeading(): void {
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  /** Moves focus to the domains panel's heading (a test result asked to verify a domain). */
  async focusDomains(): Promise<void> {
    await import('../domains/sso-domains-panel.js');
    const panel = this.renderRoot.querySelector('sso-domains-panel');
    if (!panel) return this.focusHeading();
    await panel.updateComplete;
    panel.focusHeading();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    exportParts(this, 'overview', 'heading empty-state connection');
  }

  override render() {
    const org = this.session?.organization.name;
    const hasConnections = this.connections.length > 0;
    return html`
      <div class="header">
        <h2 part="heading" tabindex="-1">${org ? msg(html`Single sign-on for <bdi>${org}</bdi>`) : msg('Single sign-on')}</h2>
        ${hasConnections
          ? html`<button class="button" type="button" @click=${this.startSetup}>${msg('Add connection')}</button>`
          : nothing}
      </div>
      ${hasConnections ? this.renderList() : this.renderEmpty()}
      ${this.session?.features.domains ? html`<sso-domains-panel .connections=${this.connections} .now=${this.now}></sso-domains-panel>` : nothing}
      ${this.adapter?.listDirectories ? (afterNextFrame(loadDirectorySection), html`<sso-directory-section .now=${this.now}></sso-directory-section>`) : nothing}
      <sso-confirm-dialog></sso-confirm-dialog>
    `;
  }

  private renderEmpty() {
    const appName = this.session?.branding.name;
    return html`
      <div class="empty" part="empty-state">
        <h3>${appName ? msg(html`Let your team sign in to <bdi>${appName}</bdi> with your identity provider`) : msg('Let your team sign in to this application with your identity provider')}</h3>
        <p class="muted">
          ${msg('Works with Okta, Microsoft Entra ID, Google Workspace and any SAML 2.0 or OpenID Connect provider. It takes about 10 minutes, and nothing changes for your users until you activate it.')}
        </p>
        <ol>
          <li>${msg('Choose your identity provider and follow its guide.')}</li>
          <li>${msg('Enter the values it gives you.')}</li>
          <li>${msg('Test a real login, then activate.')}</li>
        </ol>
        <button class="button button--primary" type="button" @click=${this.startSetup}>${msg('Set up SSO')}</button>
      </div>
    `;
  }

  private renderList() {
    return html`<ul aria-label=${msg('SSO connections')}>
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
          <h3 id=${headingId}><bdi>${title}</bdi></h3>
          <sso-status-badge status=${connection.status}></sso-status-badge>
        </div>
        <dl class="meta">
          ${connection.name ? html`<div><dt>${msg('Provider')}</dt><dd>${provider}</dd></div>` : nothing}
          <div><dt>${msg('Protocol')}</dt><dd>${PROTOCOL_LABELS[connection.protocol]}</dd></div>
          ${connection.staged ? html`<div><dt>${msg('Rollout')}</dt><dd>${msg(html`Active for test users: ${connection.staged.testUsers.length}, signed in: ${connection.staged.signedIn.length}`)}</dd></div>` : nothing}
          <div><dt>${msg('Last test')}</dt><dd>${this.renderLastTest(connection.lastTest)}</dd></div>
          ${this.renderCertificate(connection)} ${this.renderRefresh(connection)}
        </dl>
        ${this.actionError?.connectionId === connection.id
          ? html`<p class="action-error">⚠ ${problemText(this.actionError.error)} <code>${this.actionError.error.code}</code></p>`
          : nothing}
      </div>
      <div class="actions">
        <button class="button" type="button" @click=${() => this.editConnection(connection.id)}>
          ${connection.status === 'draft' ? msg(html`Continue setup<span class="visually-hidden"> ${title}</span>`) : connection.metadataRefresh?.status === 'pending' ? msg(html`Review changes<span class="visually-hidden"> ${title}</span>`) : msg(html`Edit<span class="visually-hidden"> ${title}</span>`)}
        </button>
        ${connection.status !== 'draft'
          ? html`<button class="button" type="button" @click=${() => this.goTo(connection.id, 'test')}>${msg(html`Test<span class="visually-hidden"> ${title}</span>`)}</button>`
          : nothing}
        <sso-action-menu context=${title} .items=${this.secondaryActions(connection)} @sso-menu-select=${(e: SsoMenuSelectEvent) => this.onAction(connection, e.item)}></sso-action-menu>
      </div>
    </li>`;
  }

  /** The actions after Edit and Test, in a menu so a connection's buttons fit on one line on a phone. */
  private secondaryActions(connection: Connection): ActionMenuItem[] {
    const items: ActionMenuItem[] = [];
    if (connection.status === 'active') items.push({ id: 'deactivate', label: msg('Turn off'), tone: 'danger' });
    else if (connection.status !== 'draft') items.push({ id: 'activate', label: msg('Activate') });
    // Tests and sign-ins with their checks (backends that keep login traces); the dialog is its own chunk.
    if (connection.status !== 'draft' && this.adapter?.listLoginAttempts) items.push({ id: 'attempts', label: msg('Login attempts') });
    items.push({ id: 'delete', label: msg('Delete'), tone: 'danger' });
    return items;
  }

  private onAction(connection: Connection, action: string): void {
    if (action === 'deactivate') void this.deactivate(connection);
    else if (action === 'activate') this.goTo(connection.id, 'activate');
    else if (action === 'delete') void this.deleteConnection(connection);
    else if (action === 'attempts') void import('../traces/sso-login-attempts.js').then((m) => m.showLoginAttempts(this.renderRoot, connection));
  }

  /** Certificate expiry: a warning from 30 days before, an error once expired. */
  private renderCertificate(connection: Connection) {
    const expires = connection.certificateExpiresAt;
    if (connection.protocol !== 'saml' || !expires) return nothing;
    const now = this.now ?? new Date();
    const days = (Date.parse(expires) - now.getTime()) / 86_400_000;
    const when = html`<time datetime=${expires}>${formatRelativeTime(expires, now)}</time>`;
    const [tone, text] =
      days < 0 ? ['test--failure', msg(html`⚠ Expired ${when}: logins fail until you upload the new one`)] : days <= 30 ? ['test--stale', msg(html`⚠ Expires ${when}: update it before then`)] : ['', msg(html`Valid, expires ${when}`)];
    return html`<div><dt>${msg('Certificate')}</dt><dd class=${tone}>${text}</dd></div>`;
  }

  /** The backend's latest re-read of the IdP metadata URL: a change applied, one waiting for review, or a failure. */
  private renderRefresh({ metadataRefresh: r }: Connection) {
    if (!r || r.status === 'unchanged' || r.status === 'dismissed') return nothing;
    const at = r.status === 'pending' ? r.pending!.foundAt : r.status === 'updated' ? (r.changedAt ?? r.checkedAt) : r.checkedAt;
    const when = html`<time datetime=${at}>${formatRelativeTime(at, this.now)}</time>`;
    return html`<div><dt>${msg('Metadata')}</dt><dd class=${r.status === 'updated' ? '' : 'test--stale'}>${
      r.status === 'updated' ? msg(html`Updated from your IdP ${when}`) : r.status === 'pending' ? msg(html`⚠ Changed ${when}: waiting for your review`) : msg(html`⚠ Could not be read again ${when}: ${r.error ?? r.errorCode} The saved settings still apply; if the URL moved, enter the new one under Edit.`)
    }</dd></div>`;
  }

  private renderLastTest(test: LastTest | null) {
    if (!test) return html`<span>${msg('Never tested')}</span>`;
    const when = html`<time datetime=${test.at}>${formatRelativeTime(test.at, this.now)}</time>`;
    if (test.status === 'pending') return html`<span>${msg(html`In progress, started ${when}`)}</span>`;
    if (test.stale) {
      return html`<span class="test--stale">${msg(html`Configuration changed since the last test (${when}): test again`)}</span>`;
    }
    if (test.status === 'success') return html`<span>${msg(html`Passed ${when}`)}</span>`;
    return html`<span class="test--failure">${test.errorCode ? msg(html`Failed ${when}: ${testFailureTitle(test.errorCode)}`) : msg(html`Failed ${when}`)}</span>`;
  }

  private goTo(connectionId: string, step: 'test' | 'activate'): void {
    this.dispatchEvent(new SsoNavigateEvent({ view: 'wizard', step, connectionId }));
  }

  /** The confirmation dialog, loaded the first time one is needed. */
  private async dialog(): Promise<SsoConfirmDialog> {
    await import('../ui/sso-confirm-dialog.js');
    const dialog = this.renderRoot.querySelector('sso-confirm-dialog')!;
    await dialog.updateComplete;
    return dialog;
  }

  private async deactivate(connection: Connection): Promise<void> {
    const name = connection.name ?? providerName(connection.providerId);
    const question = (await import('./connection-questions.js')).turnOffQuestion(name);
    const ok = await (await this.dialog()).ask(question);
    if (!ok) return;
    await this.act(connection, 'deactivate', async (adapter) => {
      const updated = await adapter.setConnectionEnabled(connection.id, false, { version: connection.version });
      this.dispatchEvent(new SsoConnectionChangeEvent(updated));
      this.dispatchEvent(new SsoConnectionDeactivatedEvent(updated));
      this.announcer?.announce(question.done);
    });
  }

  private async deleteConnection(connection: Connection): Promise<void> {
    const name = connection.name ?? providerName(connection.providerId);
    const question = (await import('./connection-questions.js')).deleteQuestion(name, connection.status === 'active');
    const ok = await (await this.dialog()).ask(question);
    if (!ok) return;
    await this.act(connection, 'delete', async (adapter) => {
      await adapter.deleteConnection(connection.id);
      clearDraft(draftKey(this.session?.organization.id ?? 'unknown', connection.id));
      this.dispatchEvent(new SsoConnectionChangeEvent(null, connection.id));
      this.announcer?.announce(question.done);
      await this.updateComplete;
      this.focusHeading();
    });
  }

  /** Runs an action on a connection; a failure is shown on that connection and reported. */
  private async act(connection: Connection, operation: string, action: (adapter: PortalAdapter) => Promise<void>): Promise<void> {
    if (!this.adapter) return;
    this.actionError = undefined;
    try {
      await action(this.adapter);
    } catch (error) {
      const e = toPortalError(error);
      this.actionError = { connectionId: connection.id, error: e };
      this.announcer?.announce(describeError(e).title);
      if (e.code === 'session_expired') this.dispatchEvent(new SsoSessionExpiredEvent());
      else this.dispatchEvent(new SsoErrorEvent(e, operation));
    }
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
