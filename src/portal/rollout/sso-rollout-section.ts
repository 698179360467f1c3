import { css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { hasCurrentPassingTest } from '../../core/activation.js';
import { describeError, toPortalError, type PortalError } from '../../core/errors.js';
import type { Connection } from '../../core/model.js';
import { connectionLabel, emailDomain, type RoutingDecision } from '../../core/routing.js';
import { testUsersRefusalText } from '../../core/test-users-refusal.js';
import { defineElement } from '../define.js';
import { msg, str } from '../localize/msg.js';
import { plural } from '../localize/plural.js';
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
  if (connection.status === 'active') return msg('Active for everyone');
  const staged = connection.staged;
  if (!staged) return connection.status === 'inactive' ? msg('Turned off') : msg('Not active');
  const n = staged.testUsers.length;
  const signedIn = staged.signedIn.length;
  return plural(n, { one: () => msg(str`Active for ${n} test user, ${signedIn} signed in`), other: () => msg(str`Active for ${n} test users, ${signedIn} signed in`) });
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
  /** What is wrong with the list, worded at each render (so a language switch re-words it). */
  @state() private draftError?: () => string;
  @state() private busy?: string;
  @state() private problem?: { connectionId: string; error: PortalError };
  @state() private email = '';
  @state() private emailError?: () => string;
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
        ? html`<h3>${msg('Test users first')}</h3>
            <p class="muted">${msg('Turn a connection on for a few colleagues before everyone: only they are sent to your identity provider; everyone else keeps signing in as before.')}</p>
            <ul class="rollout" part="rollout" aria-label=${msg('Connections and who they are active for')}>
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
        ? html`<ul class="users" aria-label=${msg(str`Test users of ${label}`)}>
            ${c.staged.testUsers.map((u) => html`<li>${c.staged!.signedIn.includes(u) ? msg(str`${u} (signed in)`) : u}</li>`)}
          </ul>`
        : nothing}
      ${this.editing === c.id ? this.renderEditor(c) : this.renderActions(c, label, busy)}
      ${problem && !this.draftError ? html`<p class="error" role="alert">⚠ ${msg(str`${problem.title}. ${problem.action}`)}</p>` : nothing}
    </li>`;
  }

  private renderActions(c: Connection, label: string, busy: boolean) {
    if (c.status === 'active') return nothing;
    const hidden = html`<span class="visually-hidden"> ${label}</span>`;
    if (!c.staged) {
      return hasCurrentPassingTest(c)
        ? html`<div class="actions"><button class="button" type="button" @click=${() => this.edit(c)}>${msg('Activate for test users…')}${hidden}</button></div>`
        : html`<p class="hint">${msg('Test it successfully to activate it for test users.')}</p>`;
    }
    return html`<div class="actions">
      <button class="button" type="button" @click=${() => this.edit(c)}>${msg('Edit test users')}${hidden}</button>
      <button class="button button--primary" type="button" aria-disabled=${busy ? 'true' : 'false'} @click=${() => this.promote(c)}>${msg('Promote to everyone')}${hidden}</button>
      <button class="button" type="button" aria-disabled=${busy ? 'true' : 'false'} @click=${() => this.turnOff(c)}>${msg('Turn off')}${hidden}</button>
    </div>`;
  }

  private renderEditor(c: Connection) {
    return html`<form part="editor" novalidate aria-label=${msg(str`Test users of ${this.label(c)}`)} @submit=${(e: Event) => (e.preventDefault(), void this.save(c))}>
      ${textField({
        id: `test-users-${c.id}`,
        label: msg('Test users’ email addresses'),
        hint: msg('One per line (or separated by commas), at your verified domains. Only they will sign in with this connection.'),
        value: this.draft,
        error: this.draftError?.(),
        multiline: true,
        rows: 4,
        spellcheck: false,
        onInput: (value) => {
          this.draft = value;
          this.draftError = undefined;
        },
      })}
      <div class="actions">
        <button class="button button--primary" type="submit" aria-disabled=${this.busy === c.id ? 'true' : 'false'}>${this.busy === c.id ? msg('Saving…') : c.staged ? msg('Save test users') : msg('Activate for these test users')}</button>
        <button class="button" type="button" @click=${() => this.closeEditor(c)}>${msg('Cancel')}</button>
      </div>
    </form>`;
  }

  private renderPreview() {
    const d = this.decision;
    const error = this.previewError && describeError(this.previewError);
    return html`<div part="preview">
      <h3>${msg('Routing preview')}</h3>
      <p class="muted">${msg('Type a user’s email address to see what happens when they sign in, and why: the same decision the sign-in makes.')}</p>
      <form novalidate aria-label=${msg('Routing preview')} @submit=${(e: Event) => (e.preventDefault(), void this.preview())}>
        <div class="preview-row">
          ${textField({
            id: 'routing-email',
            label: msg('Email address'),
            type: 'email',
            value: this.email,
            error: this.emailError?.(),
            autocomplete: 'off',
            spellcheck: false,
            onInput: (value) => {
              this.email = value;
              this.emailError = undefined;
            },
          })}
          <button class="button" type="submit" aria-disabled=${this.previewing ? 'true' : 'false'}>${this.previewing ? msg('Checking…') : msg('Preview sign-in')}</button>
        </div>
      </form>
      <div role="status">
        ${d
          ? html`<div class="answer">
              <p><strong>${d.route === 'sso' ? msg(str`${d.email}: single sign-on with ${d.connection!.name}`) : msg(str`${d.email}: password sign-in (as before)`)}</strong></p>
              <ol>${this.reasons(d).map((text) => html`<li>${text}</li>`)}</ol>
            </div>`
          : nothing}
        ${error ? html`<p class="error">⚠ ${msg(str`${error.title}. ${error.action}`)}</p>` : nothing}
      </div>
    </div>`;
  }

  /**
   * The decision's reasons in the portal's language, by their codes (the server's English
   * `message` only for a code this version does not know). A staged connection a user is not a
   * test user of is not named in the decision: the organization's staged connections, in the
   * server's order, name them when their count matches.
   */
  private reasons(d: RoutingDecision): string[] {
    const domain = d.domain ?? '';
    const local = d.email.slice(0, d.email.lastIndexOf('@') + 1);
    const via = d.connection?.name ?? '';
    const owner = d.organization?.name ?? '';
    const staged = this.connections.filter((c) => c.staged && c.status !== 'active').map((c) => this.label(c));
    const notIn = d.reasons.filter((r) => r.code === 'not_a_test_user');
    const active = d.reasons.some((r) => r.code === 'active_for_everyone');
    return d.reasons.map((r) => {
      switch (r.code) {
        case 'invalid_email':
          return msg('Enter a work email address such as ada@megacorp.example.');
        case 'not_verified_here': {
          const viewer = this.session?.organization.name ?? '';
          return msg(str`${domain} is not a verified domain of ${viewer}, so its users are not sent to ${viewer}’s identity provider.`);
        }
        case 'no_verified_domain':
          return msg(str`No organization has verified ${domain}: password sign-in.`);
        case 'domain_verified':
          return msg(str`${domain} is verified by ${owner}.`);
        case 'test_user':
          return msg(str`${via} is active for test users only; ${local} is one of them: single sign-on with ${via}.`);
        case 'not_a_test_user': {
          const label = staged.length === notIn.length ? staged[notIn.indexOf(r)] : undefined;
          if (label === undefined) return r.message;
          return active
            ? msg(str`${label} is active for test users only; ${local} is not one of them.`)
            : msg(str`${label} is active for test users only; ${local} is not one of them: password sign-in.`);
        }
        case 'active_for_everyone':
          return msg(str`${via} is active for everyone: single sign-on with ${via}.`);
        case 'no_active_connection':
          return msg(str`${owner} has no active SSO connection yet: password sign-in.`);
        default:
          return r.message;
      }
    });
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
    if (!testUsers.length) return this.invalid(() => msg('Enter at least one email address.'));
    if (wrong) return this.invalid(() => msg(str`${wrong} is not an email address.`));
    await this.act(c, 'stage-connection', async (adapter) => {
      let updated: Connection;
      try {
        updated = await adapter.stageConnection!(c.id, testUsers, { version: c.version });
      } catch (error) {
        // The list itself (an email outside the verified domains...): said at the field.
        const e = toPortalError(error);
        if (e.code === 'validation_failed') this.invalid(() => testUsersRefusalText(e.details) ?? e.message);
        throw e;
      }
      this.editing = undefined;
      const label = this.label(c);
      const n = updated.staged?.testUsers.length ?? 0;
      this.announcer?.announce(plural(n, { one: () => msg(str`${label} is active for ${n} test user.`), other: () => msg(str`${label} is active for ${n} test users.`) }));
      return updated;
    });
  }

  private invalid(message: () => string): void {
    this.draftError = message;
    this.renderRoot.querySelector<HTMLTextAreaElement>('textarea')?.focus();
  }

  private async promote(c: Connection): Promise<void> {
    const label = this.label(c);
    const ok = await this.dialog().ask({
      title: msg(str`Activate ${label} for everyone?`),
      body: [msg(str`Everyone at your verified domains will sign in with ${label}, not only your test users.`), msg('You can turn it off again later.')],
      confirmLabel: msg('Activate for everyone'),
    });
    if (!ok) return;
    await this.act(c, 'promote-connection', async (adapter) => {
      const updated = await adapter.setConnectionEnabled(c.id, true, { version: c.version });
      this.announcer?.announce(msg(str`${label} is active for everyone.`));
      return updated;
    });
  }

  private async turnOff(c: Connection): Promise<void> {
    const label = this.label(c);
    const ok = await this.dialog().ask({
      title: msg(str`Turn off ${label} for test users?`),
      body: [msg('Your test users go back to signing in as before. The configuration is kept.')],
      confirmLabel: msg('Turn off'),
      tone: 'danger',
    });
    if (!ok) return;
    await this.act(c, 'unstage-connection', async (adapter) => {
      const updated = await adapter.setConnectionEnabled(c.id, false, { version: c.version });
      this.announcer?.announce(msg(str`${label} is turned off.`));
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
      this.emailError = () => msg('Enter an email address such as ada@example.com.');
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
