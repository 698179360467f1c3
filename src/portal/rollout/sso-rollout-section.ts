import { css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { hasCurrentPassingTest } from '../../core/activation.js';
import { describeError, toPortalError, type PortalError } from '../../core/errors.js';
import type { Connection } from '../../core/model.js';
import { connectionLabel, emailDomain, type RoutingDecision } from '../../core/routing.js';
import { defineElement } from '../define.js';
import { exportParts } from '../parts.js';
import { SsoErrorEvent, SsoSessionExpiredEvent } from '../events.js';
import { SsoConnectionChangeEvent } from '../internal-events.js';
import { SsoPortalElement } from '../portal-element.js';
import { shared } from '../styles/shared.js';
import { fieldStyles, textField } from '../ui/field.js';
import '../ui/sso-confirm-dialog.js';
import type { SsoConfirmDialog } from '../ui/sso-confirm-dialog.js';

/** What the section reports in `sso-error`'s `operation`. */
export type RolloutOperation = 'stage-connection' | 'promote-connection' | 'unstage-connection' | 'preview-routing';

/** "Active for 3 test users, 1 signed in" (the overview says the same in fewer bytes). */
export function stageText(connection: Connection): string {
  if (connection.status === 'active') return 'Active for everyone';
  const staged = connection.staged;
  if (!staged) return connection.status === 'inactive' ? 'Turned off' : 'Not active';
  const n = staged.testUsers.length;
  return `Active for ${n} test user${n === 1 ? '' : 's'}, ${staged.signedIn.length} signed in`;
}

/**
 * Staged activation and the routing preview (issue 15), below the domains: a connection can be
 * turned on for a few test users first (their emails, at verified domains), then promoted to
 * everyone in one confirmed step, or turned off (back to where it was). And "type an email, see
 * where it signs in and why", answered by the backend with discovery's own code.
 *
 * Loaded by the domains panel after it painted (a lazy chunk, outside the admin flow's bytes),
 * only with an adapter that has `previewRouting` and `stageConnection`.
 *
 * @tagname sso-rollout-section
 * @summary Test users first (staged activation) and the routing preview.
 *
 * @fires sso-error - Staging, promoting, turning off or previewing failed (`operation`); already shown in the section.
 * @fires sso-session-expired - The portal link expired.
 *
 * @csspart rollout - The list of connections with their stage.
 * @csspart editor - The test users' editor.
 * @csspart preview - The routing preview's form and answer.
 */
export class SsoRolloutSection extends SsoPortalElement {
  static override styles = [
    shared,
    fieldStyles,
    css`
      :host {
        display: block;
        margin-top: var(--sso-space-5);
      }
      h3 {
        margin: var(--sso-space-5) 0 var(--sso-space-2);
        font-size: var(--sso-font-size-md);
      }
      ul.rollout {
        list-style: none;
        margin: var(--sso-space-3) 0;
        padding: 0;
        display: grid;
        gap: var(--sso-space-3);
      }
      .row {
        display: grid;
        gap: var(--sso-space-2);
        padding: var(--sso-space-3) var(--sso-space-4);
        border: 1px solid var(--sso-color-border);
        border-radius: var(--sso-radius-lg);
        background: var(--sso-color-surface);
      }
      .row h4 {
        margin: 0;
        font-size: var(--sso-font-size-md);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--sso-space-2);
      }
      .users {
        margin: 0;
        padding-inline-start: var(--sso-space-4);
        overflow-wrap: anywhere;
      }
      .answer {
        margin-top: var(--sso-space-3);
        padding: var(--sso-space-3) var(--sso-space-4);
        border-radius: var(--sso-radius-lg);
        border: 1px solid var(--sso-color-border);
        overflow-wrap: anywhere;
      }
      .answer ol {
        margin: var(--sso-space-2) 0 0;
        padding-inline-start: var(--sso-space-5);
      }
      .preview-row {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: var(--sso-space-3);
      }
      .preview-row .field {
        flex: 1 1 16rem;
      }
    `,
  ];

  /** The organization's connections (the overview's list). */
  @property({ attribute: false }) connections: Connection[] = [];

  /**
   * A provider's display name: `providerName` of core/providers/names.ts, given by the domains
   * panel, so that this chunk is not one more importer of the names (the bundler would move them
   * out of the element's entry into a file of their own).
   */
  @property({ attribute: false }) providerName: (providerId: string) => string = (id) => id;

  private label(c: Connection): string {
    return connectionLabel(c, this.providerName);
  }

  /** The connection whose test users are being edited, and the text typed. */
  @state() private editing?: string;
  @state() private draft = '';
  @state() private draftError?: string;
  @state() private busy?: string;
  @state() private problem?: { connectionId: string; error: PortalError };
  @state() private email = '';
  @state() private emailError?: string;
  @state() private decision?: RoutingDecision;
  @state() private previewing = false;
  @state() private previewError?: PortalError;

  override connectedCallback(): void {
    super.connectedCallback();
    exportParts(this, 'rollout', 'rollout editor preview');
  }

  override render() {
    if (!this.adapter?.previewRouting) return nothing;
    const shown = this.connections.filter((c) => c.status !== 'draft');
    return html`
      ${shown.length && this.adapter.stageConnection
        ? html`<h3>Test users first</h3>
            <p class="muted">Turn a connection on for a few colleagues before everyone: only they are sent to your identity provider; everyone else keeps signing in as before.</p>
            <ul class="rollout" part="rollout" aria-label="Connections and who they are active for">
              ${shown.map((c) => this.renderConnection(c))}
            </ul>`
        : nothing}
      ${this.renderPreview()}
      <sso-confirm-dialog></sso-confirm-dialog>
    `;
  }

  private renderConnection(c: Connection) {
    const label = this.label(c);
    const busy = this.busy === c.id;
    const problem = this.problem?.connectionId === c.id ? describeError(this.problem.error) : undefined;
    return html`<li class="row" aria-labelledby="stage-${c.id}">
      <h4 id="stage-${c.id}">${label}</h4>
      <p>${stageText(c)}</p>
      ${c.staged
        ? html`<ul class="users" aria-label="Test users of ${label}">
            ${c.staged.testUsers.map((u) => html`<li>${u}${c.staged!.signedIn.includes(u) ? ' (signed in)' : ''}</li>`)}
          </ul>`
        : nothing}
      ${this.editing === c.id ? this.renderEditor(c) : this.renderActions(c, label, busy)}
      ${problem && !this.draftError ? html`<p class="error" role="alert">⚠ ${problem.title}. ${problem.action}</p>` : nothing}
    </li>`;
  }

  private renderActions(c: Connection, label: string, busy: boolean) {
    if (c.status === 'active') return nothing;
    const hidden = html`<span class="visually-hidden"> ${label}</span>`;
    if (!c.staged) {
      return hasCurrentPassingTest(c)
        ? html`<div class="actions"><button class="button" type="button" @click=${() => this.edit(c)}>Activate for test users…${hidden}</button></div>`
        : html`<p class="hint">Test it successfully to activate it for test users.</p>`;
    }
    return html`<div class="actions">
      <button class="button" type="button" @click=${() => this.edit(c)}>Edit test users${hidden}</button>
      <button class="button button--primary" type="button" aria-disabled=${busy ? 'true' : 'false'} @click=${() => this.promote(c)}>Promote to everyone${hidden}</button>
      <button class="button" type="button" aria-disabled=${busy ? 'true' : 'false'} @click=${() => this.turnOff(c)}>Turn off${hidden}</button>
    </div>`;
  }

  private renderEditor(c: Connection) {
    return html`<form part="editor" novalidate aria-label="Test users of ${this.label(c)}" @submit=${(e: Event) => (e.preventDefault(), void this.save(c))}>
      ${textField({
        id: `test-users-${c.id}`,
        label: 'Test users’ email addresses',
        hint: 'One per line (or separated by commas), at your verified domains. Only they will sign in with this connection.',
        value: this.draft,
        error: this.draftError,
        multiline: true,
        rows: 4,
        spellcheck: false,
        onInput: (value) => {
          this.draft = value;
          this.draftError = undefined;
        },
      })}
      <div class="actions">
        <button class="button button--primary" type="submit" aria-disabled=${this.busy === c.id ? 'true' : 'false'}>${this.busy === c.id ? 'Saving…' : c.staged ? 'Save test users' : 'Activate for these test users'}</button>
        <button class="button" type="button" @click=${() => this.closeEditor(c)}>Cancel</button>
      </div>
    </form>`;
  }

  private renderPreview() {
    const d = this.decision;
    const error = this.previewError && describeError(this.previewError);
    return html`<div part="preview">
      <h3>Routing preview</h3>
      <p class="muted">Type a user’s email address to see what happens when they sign in, and why: the same decision the sign-in makes.</p>
      <form novalidate aria-label="Routing preview" @submit=${(e: Event) => (e.preventDefault(), void this.preview())}>
        <div class="preview-row">
          ${textField({
            id: 'routing-email',
            label: 'Email address',
            type: 'email',
            value: this.email,
            error: this.emailError,
            autocomplete: 'off',
            spellcheck: false,
            onInput: (value) => {
              this.email = value;
              this.emailError = undefined;
            },
          })}
          <button class="button" type="submit" aria-disabled=${this.previewing ? 'true' : 'false'}>${this.previewing ? 'Checking…' : 'Preview sign-in'}</button>
        </div>
      </form>
      <div role="status">
        ${d
          ? html`<div class="answer">
              <p><strong>${d.route === 'sso' ? `${d.email}: single sign-on with ${d.connection!.name}` : `${d.email}: password sign-in (as before)`}</strong></p>
              <ol>${d.reasons.map((r) => html`<li>${r.message}</li>`)}</ol>
            </div>`
          : nothing}
        ${error ? html`<p class="error">⚠ ${error.title}. ${error.action}</p>` : nothing}
      </div>
    </div>`;
  }

  // -------------------------------------------------------------------------------------

  private edit(c: Connection): void {
    this.editing = c.id;
    this.draft = c.staged?.testUsers.join('\n') ?? '';
    this.draftError = undefined;
    this.problem = undefined;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLTextAreaElement>(`#test-users-${c.id}`)?.focus());
  }

  private closeEditor(c: Connection): void {
    this.editing = undefined;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#stage-${c.id} ~ .actions button`)?.focus());
  }

  private async save(c: Connection): Promise<void> {
    const testUsers = this.draft.split(/[\s,;]+/).filter(Boolean);
    const wrong = testUsers.find((u) => !emailDomain(u));
    if (!testUsers.length) return this.invalid('Enter at least one email address.');
    if (wrong) return this.invalid(`${wrong} is not an email address.`);
    await this.act(c, 'stage-connection', async (adapter) => {
      let updated: Connection;
      try {
        updated = await adapter.stageConnection!(c.id, testUsers, { version: c.version });
      } catch (error) {
        // The list itself (an email outside the verified domains...): said at the field.
        const e = toPortalError(error);
        if (e.code === 'validation_failed') this.invalid(e.message);
        throw e;
      }
      this.editing = undefined;
      this.announcer?.announce(`${this.label(c)} is active for ${updated.staged?.testUsers.length ?? 0} test users.`);
      return updated;
    });
  }

  private invalid(message: string): void {
    this.draftError = message;
    this.renderRoot.querySelector<HTMLTextAreaElement>('textarea')?.focus();
  }

  private async promote(c: Connection): Promise<void> {
    const label = this.label(c);
    const ok = await this.dialog().ask({
      title: `Activate ${label} for everyone?`,
      body: [`Everyone at your verified domains will sign in with ${label}, not only your ${c.staged?.testUsers.length ?? 0} test users.`, 'You can turn it off again later.'],
      confirmLabel: 'Activate for everyone',
    });
    if (!ok) return;
    await this.act(c, 'promote-connection', async (adapter) => {
      const updated = await adapter.setConnectionEnabled(c.id, true, { version: c.version });
      this.announcer?.announce(`${label} is active for everyone.`);
      return updated;
    });
  }

  private async turnOff(c: Connection): Promise<void> {
    const label = this.label(c);
    const ok = await this.dialog().ask({
      title: `Turn off ${label} for test users?`,
      body: ['Your test users go back to signing in as before. The configuration is kept.'],
      confirmLabel: 'Turn off',
      tone: 'danger',
    });
    if (!ok) return;
    await this.act(c, 'unstage-connection', async (adapter) => {
      const updated = await adapter.setConnectionEnabled(c.id, false, { version: c.version });
      this.announcer?.announce(`${label} is turned off.`);
      return updated;
    });
  }

  private dialog(): SsoConfirmDialog {
    return this.renderRoot.querySelector('sso-confirm-dialog')!;
  }

  /** Runs a change of a connection; the new connection goes to the overview, a failure is shown on the connection. */
  private async act(c: Connection, operation: RolloutOperation, action: (adapter: NonNullable<typeof this.adapter>) => Promise<Connection>): Promise<void> {
    if (!this.adapter || this.busy) return;
    this.busy = c.id;
    this.problem = undefined;
    try {
      this.dispatchEvent(new SsoConnectionChangeEvent(await action(this.adapter)));
    } catch (error) {
      this.fail(operation, (this.problem = { connectionId: c.id, error: toPortalError(error) }).error);
    } finally {
      this.busy = undefined;
    }
  }

  private async preview(): Promise<void> {
    if (!emailDomain(this.email)) {
      this.emailError = 'Enter an email address such as ada@example.com.';
      this.renderRoot.querySelector<HTMLInputElement>('#routing-email')?.focus();
      return;
    }
    if (this.previewing) return;
    this.previewing = true;
    this.previewError = undefined;
    try {
      this.decision = await this.adapter!.previewRouting!(this.email.trim());
    } catch (error) {
      this.decision = undefined;
      this.fail('preview-routing', (this.previewError = toPortalError(error)));
    } finally {
      this.previewing = false;
    }
  }

  private fail(operation: RolloutOperation, e: PortalError): void {
    this.announcer?.announce(describeError(e).title);
    if (e.code === 'session_expired') this.dispatchEvent(new SsoSessionExpiredEvent());
    else this.dispatchEvent(new SsoErrorEvent(e, operation));
  }
}

defineElement('sso-rollout-section', SsoRolloutSection);

declare global {
  interface HTMLElementTagNameMap {
    'sso-rollout-section': SsoRolloutSection;
  }
}
