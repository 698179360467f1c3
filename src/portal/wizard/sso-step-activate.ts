import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { activationGate } from '../../core/activation.js';
import { describeError, toPortalError, type PortalError } from '../../core/errors.js';
import { formatRelativeTime } from '../../core/format.js';
import type { Connection, Domain } from '../../core/model.js';
import type { ProviderDefinition } from '../../core/providers/types.js';
import { defineElement } from '../define.js';
import { SsoConnectionActivatedEvent, SsoConnectionDeactivatedEvent, SsoErrorEvent, SsoSessionExpiredEvent } from '../events.js';
import { SsoConnectionChangeEvent, SsoNavigateEvent } from '../internal-events.js';
import type { SsoConfirmDialog } from '../ui/sso-confirm-dialog.js';
import { domainText } from '../ui/domain-text.js';
import '../ui/sso-confirm-dialog.js';
import '../ui/sso-status-badge.js';
import { SsoStepElement, errorNotice } from './step-element.js';
import { msg, str } from '../localize/msg.js';

type GateReason = 'unconfigured' | 'untested' | 'failed' | 'stale';

/** Why activation waits, in the language shown now. */
function gateText(reason: GateReason): string {
  switch (reason) {
    case 'unconfigured':
      return msg('Finish the configuration, then test it.');
    case 'untested':
      return msg('Run a successful test login first: activating an untested connection could lock your users out.');
    case 'failed':
      return msg('The last test failed. Fix the problem it showed, test again, then activate.');
    case 'stale':
      return msg('The configuration changed after the last test. Test again, then activate.');
  }
}

const keepsSessions = () => msg('Users already signed in stay signed in. You can turn it off at any time.');

/**
 * Step 6: turn the connection on (after a successful test of the current configuration), or
 * off again, each confirmed with what changes for the organization's users.
 *
 * @tagname sso-step-activate
 * @summary Activate the connection.
 */
export class SsoStepActivate extends SsoStepElement {
  @property({ attribute: false }) provider?: ProviderDefinition;




  @state() private busy = false;
  @state() private error?: PortalError;
  @state() private domains: Domain[] = [];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.adapter?.listDomains().then(
      (domains) => (this.domains = domains),
      () => undefined,
    );
  }

  override render() {
    const c = this.connection;
    const name = this.provider?.name ?? msg('your identity provider');
    if (!c) return html`<h3 id="step-heading" tabindex="-1">${msg('Activate')}</h3><p aria-busy="true">${msg('Loading the connection…')}</p>`;
    const gate = activationGate(c);
    const active = c.status === 'active';
    return html`
      <h3 id="step-heading" tabindex="-1">${active ? msg('The connection is active') : msg(str`Turn on sign-in with ${name}`)}</h3>
      <p>${msg('Status:')} <sso-status-badge status=${c.status}></sso-status-badge></p>
      ${c.lastTest ? html`<p class="muted">${this.lastTest(c.lastTest)}</p>` : nothing}
      ${active ? this.renderActive(name) : gate.ok ? this.renderReady(name) : this.renderGate(gate.reason)}
      ${this.error ? this.renderError(this.error) : nothing}
      <sso-confirm-dialog></sso-confirm-dialog>
    `;
  }

  private renderReady(name: string) {
    return html`<div class="panel notice--success">
        <p>${domainText(this.impact(name))}</p>
        <p>${keepsSessions()}</p>
      </div>
      <div class="row">
        <button class="button button--primary" type="button" aria-disabled=${this.busy ? 'true' : 'false'} @click=${this.activate}>${msg('Activate')}</button>
      </div>`;
  }

  private renderActive(name: string) {
    return html`<p>${domainText(this.impact(name, true))}</p>
      <div class="row">
        <button class="button" type="button" aria-disabled=${this.busy ? 'true' : 'false'} @click=${this.deactivate}>${msg('Turn off')}</button>
      </div>`;
  }

  /** The last test's outcome and when, as one sentence. */
  private lastTest(test: NonNullable<Connection['lastTest']>) {
    const when = formatRelativeTime(test.at);
    if (test.status === 'success') return test.stale ? msg(str`Last test: passed ${when} (before the last change).`) : msg(str`Last test: passed ${when}.`);
    return test.stale ? msg(str`Last test: failed ${when} (before the last change).`) : msg(str`Last test: failed ${when}.`);
  }

  private renderGate(reason: GateReason) {
    return html`<div class="notice">${gateText(reason)}</div>
      <div class="row">
        <button class="button button--primary" type="button" @click=${this.goToTest}>${reason === 'unconfigured' ? msg('Back to configuration') : msg('Go to the test')}</button>
      </div>`;
  }

  private renderError(error: PortalError) {
    const { title, action } = describeError(error);
    return errorNotice('error', title, action, error.code);
  }

  /** What activation means for the organization's users, in one sentence. */
  private impact(name: string, already = false): string {
    const verified = this.domains.filter((d) => d.status === 'verified').map((d) => d.name);
    const domains = verified.join(', ');
    if (verified.length) return already ? msg(str`Users with email addresses at ${domains} sign in through ${name}.`) : msg(str`Users with email addresses at ${domains} will sign in through ${name}.`);
    return already
      ? msg(str`Users of your verified domains sign in through ${name} (you have none yet: verify a domain in the overview).`)
      : msg(str`Users of your verified domains will sign in through ${name} (you have none yet: verify a domain in the overview).`);
  }

  private async activate(): Promise<void> {
    const name = this.provider?.name ?? msg('your identity provider');
    const confirmed = await this.dialog().ask({
      title: msg(str`Activate sign-in with ${name}?`),
      body: [this.impact(name), keepsSessions()],
      confirmLabel: msg('Activate'),
    });
    if (confirmed) await this.setEnabled(true);
  }

  private async deactivate(): Promise<void> {
    const name = this.provider?.name ?? msg('your identity provider');
    const confirmed = await this.dialog().ask({
      title: msg(str`Turn off sign-in with ${name}?`),
      body: [msg('Your users will no longer be able to sign in with SSO, and go back to how they signed in before.'), msg('The configuration is kept: you can turn it on again later.')],
      confirmLabel: msg('Turn off'),
      tone: 'danger',
    });
    if (confirmed) await this.setEnabled(false);
  }

  private async setEnabled(enabled: boolean): Promise<void> {
    const c = this.connection;
    if (!c || !this.adapter || this.busy) return;
    this.busy = true;
    this.error = undefined;
    try {
      const updated = await this.adapter.setConnectionEnabled(c.id, enabled, { version: c.version });
      this.dispatchEvent(new SsoConnectionChangeEvent(updated));
      this.dispatchEvent(enabled ? new SsoConnectionActivatedEvent(updated) : new SsoConnectionDeactivatedEvent(updated));
      this.announcer?.announce(enabled ? msg('The connection is active.') : msg('The connection is turned off.'));
      // The button pressed is replaced (Activate becomes Turn off): focus goes to the new heading.
      void this.updateComplete.then(() => this.focusHeading());
    } catch (error) {
      const e = toPortalError(error);
      this.error = e;
      this.announcer?.announce(describeError(e).title);
      if (e.code === 'session_expired') this.dispatchEvent(new SsoSessionExpiredEvent());
      else this.dispatchEvent(new SsoErrorEvent(e, enabled ? 'activate' : 'deactivate'));
      if (e.code === 'conflict') await this.reload();
    } finally {
      this.busy = false;
    }
  }

  private async reload(): Promise<void> {
    const c = this.connection;
    if (!c || !this.adapter) return;
    try {
      this.dispatchEvent(new SsoConnectionChangeEvent(await this.adapter.getConnection(c.id)));
    } catch {
      // keep what we have
    }
  }

  private goToTest(): void {
    const c = this.connection;
    const step = c?.status === 'draft' ? 'configure' : 'test';
    this.dispatchEvent(new SsoNavigateEvent({ view: 'wizard', step, connectionId: c?.id }));
  }

  private dialog(): SsoConfirmDialog {
    return this.renderRoot.querySelector('sso-confirm-dialog')!;
  }
}

defineElement('sso-step-activate', SsoStepActivate);

declare global {
  interface HTMLElementTagNameMap {
    'sso-step-activate': SsoStepActivate;
  }
}
