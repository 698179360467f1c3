import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { txtRecordHelp } from '../../core/domain-txt-record.js';
import { PortalError, describeError, toPortalError } from '../../core/errors.js';
import { formatRelativeTime } from '../../core/format.js';
import { activeLocale } from '../localize/active-locale.js';
import { msg, str } from '../localize/msg.js';
import type { Connection, Domain, DomainCheck } from '../../core/model.js';
import { providerName } from '../../core/providers/names.js';
import { defineElement } from '../define.js';
import { exportParts } from '../parts.js';
import { SsoPortalElement } from '../portal-element.js';
import { SsoDomainVerifiedEvent, SsoErrorEvent, SsoSessionExpiredEvent } from '../events.js';
import { shared } from '../styles/shared.js';
import { fieldStyles, textField } from '../ui/field.js';
import { fullDateTooltip } from '../ui/date-tooltip.js';
import { domainText } from '../ui/domain-text.js';
import '../ui/sso-copy-field.js';
import '../ui/sso-status-badge.js';
import { domainsPanelStyles } from './sso-domains-panel.styles.js';

/** Test users first and the routing preview (issue 15): their own chunk (the panel itself loads after the overview painted). */
const loadRollout = () => void import('../rollout/sso-rollout-section.js');

/**
 * The domain input's rules (`normalizeDomain` and the public email providers' list): their own
 * chunk, fetched as the admin starts typing a domain, so the overview does not carry it (issue 12).
 */
const loadDomainRules = () => import('../../core/domains.js');

type ListState = { status: 'loading' } | { status: 'ready' } | { status: 'error'; error: PortalError };

/** What the panel reports in `sso-error`'s `operation`. */
export type DomainOperation = 'load-domains' | 'add-domain' | 'verify-domain' | 'remove-domain';

/** A failure of an action on one domain, shown in its entry. */
interface RowProblem {
  operation: 'verify' | 'remove';
  error: PortalError;
}

const methodLabel = (method: Domain['method']) => (method === 'manual' ? msg('Verified by support') : msg('DNS TXT record'));

/** What the last DNS check found, in the portal's language by its result (the backend's English message for a result this version does not know). */
function checkText(check: DomainCheck, record: { name: string; value: string }): string {
  const { name, value } = record;
  switch (check.result) {
    case 'missing':
      return msg(str`We found no TXT record at ${name}. Add it at your DNS provider; changes can take a few minutes to appear.`);
    case 'nxdomain':
      return msg(str`We found no TXT record at ${name}: the name does not exist in DNS yet. Add a TXT record with this name at your DNS provider; changes can take a few minutes to appear.`);
    case 'wrong_value':
      return msg(str`We found a TXT record at ${name}, but not with the expected value. Set its value to exactly ${value} at your DNS provider; changes can take a few minutes to appear.`);
    case 'timeout':
    case 'error':
      return msg(str`The DNS lookup of ${name} did not succeed, so we could not check the record yet. Try again in a few minutes.`);
    default:
      return check.message;
  }
}

/** Retrying cannot help: the link expired, or it does not allow this. */
const FINAL_CODES = new Set(['session_expired', 'forbidden', 'not_available', 'not_configured']);

/**
 * The organization's email domains: users whose address is at a verified domain sign in with
 * SSO once a connection is active. The admin adds a domain, creates the DNS TXT record it
 * shows, verifies it, and can remove it (after confirming in a dialog).
 *
 * Rendered by the overview below the connections; needs the portal's contexts (adapter,
 * session, announcer). Announces outcomes through the portal's live region.
 *
 * @tagname sso-domains-panel
 * @summary Email domains: add, verify with a DNS TXT record, remove; shows where users are routed.
 *
 * @fires sso-domain-verified - A domain was verified (`domain`).
 * @fires sso-error - Loading, adding, verifying or removing failed (`error`, `operation`: `load-domains`, `add-domain`, `verify-domain`, `remove-domain`); already shown in the panel.
 * @fires sso-session-expired - The portal link expired while working with domains.
 *
 * @csspart heading - The "Domains" heading.
 * @csspart loading - Shown while the domains load.
 * @csspart list-error - The list could not be loaded; with a retry button when retrying can help.
 * @csspart empty-state - Shown when there is no domain yet.
 * @csspart domain - One domain in the list.
 * @csspart routing - Where the domain's users sign in.
 * @csspart txt-record - The DNS TXT record to create, with the Verify button.
 * @csspart verify-failed - The record was not found at the last check.
 * @csspart row-error - An action on one domain failed.
 * @csspart add-form - The form that adds a domain.
 * @csspart add-error - Adding failed for a reason other than the domain itself (network, server...).
 * @csspart remove-dialog - The dialog that confirms a removal.
 */
export class SsoDomainsPanel extends SsoPortalElement {
  static override styles = [shared, fieldStyles, domainsPanelStyles];

  /** The organization's connections: a verified domain's users sign in with the active one. */
  @property({ attribute: false }) connections: Connection[] = [];

  /** The clock, for stable stories and tests. */
  @property({ attribute: false }) now?: Date;




  @state() private list: ListState = { status: 'loading' };
  @state() private domains: Domain[] = [];
  @state() private input = '';
  /** Why the typed domain was refused, worded at each render (a language switch words it again). */
  @state() private inputError?: () => string;
  @state() private adding = false;
  @state() private addError?: PortalError;
  @state() private busy = new Map<string, 'verify' | 'remove'>();
  @state() private problems = new Map<string, RowProblem>();
  /** A panel-wide note, e.g. when a domain disappeared in another tab. */
  @state() private notice?: string;
  /** The domain the removal dialog asks about. */
  @state() private removing?: Domain;

  private listAbort?: AbortController;
  private readonly running = new Set<AbortController>();
  private expiredNotified = false;

  /** Moves focus to the "Domains" heading. */
  focusHeading(): void {
    this.renderRoot.querySelector<HTMLElement>('h3')?.focus();
  }

  /** Loads the domains again (after an error, or when the host knows they changed). */
  async reload(): Promise<void> {
    const adapter = this.adapter;
    if (!adapter) return;
    this.listAbort?.abort();
    const abort = (this.listAbort = new AbortController());
    this.list = { status: 'loading' };
    try {
      const domains = await adapter.listDomains({ signal: abort.signal });
      if (abort.signal.aborted) return;
      this.domains = domains;
      this.list = { status: 'ready' };
    } catch (error) {
      const e = toPortalError(error);
      if (e.code === 'aborted' || abort.signal.aborted) return;
      this.list = { status: 'error', error: e };
      this.report(e, 'load-domains');
      this.announce(msg(str`Domains: ${describeError(e).title}`));
    }
  }

  override connectedCallback(): void {
    super.connectedCallback();
    exportParts(this, 'domains', 'heading loading list-error empty-state domain routing txt-record verify-failed row-error add-form add-error remove-dialog');
    this.addEventListener('pointerover', fullDateTooltip);
    // Moved in the page after a load was cut short: load again.
    if (this.hasUpdated && this.adapter && this.list.status === 'loading') void this.reload();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.listAbort?.abort();
    for (const abort of this.running) abort.abort();
    this.running.clear();
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('adapter') && this.adapter) void this.reload();
  }

  override render() {
    if (this.session?.features.domains === false) return nothing;
    const appName = this.session?.branding.name;
    return html`
      <h3 part="heading" tabindex="-1">${msg('Domains')}</h3>
      <p class="lead">
        ${appName
          ? msg(str`People whose email address is at a verified domain sign in to ${appName} with single sign-on.`)
          : msg('People whose email address is at a verified domain sign in with single sign-on.')}
        ${msg('Verifying a domain proves that your organization owns it: you add a DNS record, we check it.')}
      </p>
      ${this.notice ? html`<p class="notice notice--info">${this.notice}</p>` : nothing}
      <div class="list" aria-busy=${this.list.status === 'loading' ? 'true' : 'false'}>${this.renderList()}</div>
      ${this.renderAddForm()} ${this.renderDialog()}
      ${this.adapter?.previewRouting ? (loadRollout(), html`<sso-rollout-section .connections=${this.connections} .providerName=${providerName}></sso-rollout-section>`) : nothing}
    `;
  }

  // -------------------------------------------------------------------------------------
  // The list

  private renderList() {
    const list = this.list;
    if (list.status === 'loading') {
      return html`<div class="state" part="loading">
        <span class="spinner" aria-hidden="true"></span>
        <p>${msg('Loading your domains…')}</p>
      </div>`;
    }
    if (list.status === 'error') {
      const { title, action } = describeError(list.error);
      return html`<div class="notice notice--danger" part="list-error">
        <p><strong>${msg(str`Your domains could not be loaded. ${title}.`)}</strong></p>
        <p>${action}</p>
        ${FINAL_CODES.has(list.error.code)
          ? nothing
          : html`<button class="button" type="button" @click=${this.retryLoad}>${msg('Try again')}</button>`}
      </div>`;
    }
    if (this.domains.length === 0) {
      return html`<div class="state empty" part="empty-state">
        <p><strong>${msg('No domains yet.')}</strong></p>
        <p class="muted">${msg('Add the domain of your users’ email addresses: for ada@example.com, that is example.com.')}</p>
      </div>`;
    }
    return html`<ul class="domains" aria-label=${msg('Domains')}>
      ${repeat(
        this.domains,
        (d) => d.name,
        (d, index) => this.renderDomain(d, index),
      )}
    </ul>`;
  }

  private renderDomain(domain: Domain, index: number) {
    const headingId = `domain-${index}`;
    const busy = this.busy.get(domain.name);
    const problem = this.problems.get(domain.name);
    const active = this.activeConnections();
    return html`<li class="domain" part="domain" data-status=${domain.status} aria-labelledby=${headingId}>
      <div class="domain-head">
        <div class="title">
          <h4 id=${headingId} tabindex="-1">${domainText(domain.name)}</h4>
          <sso-status-badge status=${domain.status}></sso-status-badge>
        </div>
        <button
          class="button"
          type="button"
          data-remove=${domain.name}
          aria-disabled=${busy ? 'true' : 'false'}
          @click=${() => this.askRemove(domain)}
        >
          ${busy === 'remove' ? msg('Removing…') : msg('Remove')}<span class="visually-hidden"> ${domain.name}</span>
        </button>
      </div>
      <ul class="meta">
        <li>${methodLabel(domain.method)}</li>
        ${domain.verifiedAt ? html`<li>${msg(html`Verified ${this.when(domain.verifiedAt)}`)}</li>` : nothing}
        ${domain.lastCheckedAt && domain.lastCheckedAt !== domain.verifiedAt
          ? html`<li>${msg(html`Checked ${this.when(domain.lastCheckedAt)}`)}</li>`
          : nothing}
        ${!domain.lastCheckedAt && domain.status !== 'verified' ? html`<li>${msg('Not checked yet')}</li>` : nothing}
      </ul>
      <p class="routing ${domain.status === 'verified' && active.length ? 'routing--active' : ''}" part="routing">${domainText(this.routing(domain))}</p>
      ${domain.status === 'verified' ? nothing : this.renderVerification(domain, busy === 'verify')}
      ${problem ? this.renderProblem(domain, problem) : nothing}
    </li>`;
  }

  private renderVerification(domain: Domain, verifying: boolean) {
    if (domain.method === 'manual') {
      return html`<p class="hint">${msg('Support verifies this domain for you: there is nothing to do here.')}</p>`;
    }
    const record = txtRecordHelp(domain);
    const failure = describeError(new PortalError('domain_verification_failed'));
    return html`<div class="record" part="txt-record">
      <p>${msg(html`To prove that your organization owns <strong>${domainText(domain.name)}</strong>, create this TXT record where its DNS is managed (your DNS provider or registrar):`)}</p>
      <p class="record-type">${msg(html`Type: <code>TXT</code>`)}</p>
      <sso-copy-field
        label=${msg('Name (host)')}
        .value=${record.name}
        hint=${record.host !== record.name ? msg(str`If your DNS provider adds ${domain.name} by itself, enter only ${record.host}.`) : ''}
      ></sso-copy-field>
      <sso-copy-field label=${msg('Value')} .value=${record.value}></sso-copy-field>
      ${domain.status === 'failed'
        ? html`<div class="notice notice--danger" part="verify-failed">
            <p><strong>${failure.title}.</strong></p>
            <p>${domain.lastCheck ? checkText(domain.lastCheck, record) : failure.action}</p>
            ${domain.lastCheck?.found?.length
              ? html`<p>${msg('Found instead:')}</p>
                  <ul class="found">
                    ${domain.lastCheck.found.map((value) => html`<li><code>${value}</code></li>`)}
                  </ul>`
              : nothing}
          </div>`
        : html`<p class="hint">${msg('DNS changes usually take a few minutes to spread, sometimes a few hours. Verify once the record is in place.')}</p>`}
      <div class="actions">
        <button
          class="button button--primary"
          type="button"
          data-verify=${domain.name}
          aria-disabled=${verifying ? 'true' : 'false'}
          @click=${() => this.verify(domain)}
        >
          ${verifying ? msg('Verifying…') : domain.status === 'failed' ? msg('Verify again') : msg('Verify now')}<span class="visually-hidden"> ${domain.name}</span>
        </button>
      </div>
    </div>`;
  }

  private renderProblem(domain: Domain, problem: RowProblem) {
    const { title, action } = describeError(problem.error);
    const name = domainText(domain.name);
    return html`<div class="notice notice--danger" part="row-error">
      <p><strong>${problem.operation === 'verify' ? msg(html`${name} could not be checked. ${title}.`) : msg(html`${name} could not be removed. ${title}.`)}</strong></p>
      <p>${action}</p>
    </div>`;
  }

  // -------------------------------------------------------------------------------------
  // Adding

  private renderAddForm() {
    const error = this.addError;
    const described = error ? describeError(error) : undefined;
    return html`<form part="add-form" novalidate aria-label=${msg('Add a domain')} @submit=${this.onSubmit}>
      <div class="add-row">
        ${textField({
          id: 'domain-input',
          label: msg('Domain'),
          value: this.input,
          hint: msg('The part after @ in your users’ email addresses, such as example.com.'),
          error: this.inputError?.(),
          autocomplete: 'off',
          spellcheck: false,
          onInput: (value) => {
            this.input = value;
            this.inputError = undefined;
            loadDomainRules().catch(() => {}); // ready by the time Add is pressed; a failure shows then
          },
        })}
        <button class="button button--primary" type="submit" aria-disabled=${this.adding ? 'true' : 'false'}>
          ${this.adding ? msg('Adding…') : msg('Add domain')}
        </button>
      </div>
      ${error && described
        ? html`<div class="notice notice--danger" part="add-error">
            <p><strong>${msg(str`The domain could not be added. ${described.title}.`)}</strong></p>
            <p>${described.action}</p>
            ${error.retryable ? html`<button class="button" type="button" @click=${this.retryAdd}>${msg('Try again')}</button>` : nothing}
          </div>`
        : nothing}
    </form>`;
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    void this.submit();
  }

  /** Checks the input, then adds the domain through the adapter. */
  private async submit(): Promise<void> {
    if (this.adding) return;
    const typed = this.input;
    let rules: Awaited<ReturnType<typeof loadDomainRules>>;
    try {
      rules = await loadDomainRules();
    } catch (error) {
      // Offline, or the chunk is blocked: the same notice as a failed request, with its retry.
      this.addError = new PortalError('network', { cause: error });
      this.announce(msg(str`The domain could not be added. ${describeError(this.addError).title}.`));
      return;
    }
    if (this.adding) return; // pressed twice while the rules loaded
    const checked = rules.normalizeDomain(typed);
    if (!checked.ok) return this.showInputError(() => (rules.normalizeDomain(typed) as typeof checked).error.message);
    const name = checked.domain;
    if (this.domains.some((d) => d.name === name)) return this.showInputError(() => msg(str`${name} is already in your list.`));
    const adapter = this.adapter;
    if (!adapter) return;
    this.adding = true;
    this.addError = undefined;
    this.inputError = undefined;
    this.notice = undefined;
    this.announce(msg(str`Adding ${name}…`));
    const abort = this.track();
    try {
      const domain = await adapter.addDomain(name, { signal: abort.signal });
      this.domains = [...this.domains.filter((d) => d.name !== domain.name), domain];
      if (this.input === typed) this.input = '';
      const plain = typed.trim().toLowerCase().replace(/\.$/, '');
      this.announce(
        plain !== domain.name
          ? msg(str`${plain} (written ${domain.name} in DNS) added. Create its DNS TXT record, then choose Verify now.`)
          : msg(str`${plain} added. Create its DNS TXT record, then choose Verify now.`),
      );
    } catch (error) {
      const e = toPortalError(error);
      if (e.code === 'aborted') return;
      this.report(e, 'add-domain');
      if (e.code === 'domain_invalid' || e.code === 'domain_taken') {
        this.showInputError(() => {
          const { title, action } = describeError(e);
          return msg(str`${title}. ${action}`);
        });
      } else if (e.code === 'conflict') {
        this.showInputError(() => msg(str`${name} is already added, maybe in another tab or by a colleague.`));
        void this.reload();
      } else {
        this.addError = e;
        const { title } = describeError(e);
        this.announce(msg(str`The domain could not be added. ${title}.`));
      }
    } finally {
      this.running.delete(abort);
      this.adding = false;
    }
  }

  private retryAdd(): void {
    this.renderRoot.querySelector<HTMLInputElement>('#domain-input')?.focus();
    void this.submit();
  }

  private showInputError(words: () => string): void {
    this.inputError = words;
    this.announce(words());
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#domain-input')?.focus());
  }

  // -------------------------------------------------------------------------------------
  // Verifying

  private async verify(domain: Domain): Promise<void> {
    const name = domain.name;
    const adapter = this.adapter;
    if (!adapter || this.busy.has(name)) return;
    this.setBusy(name, 'verify');
    this.setProblem(name, undefined);
    this.announce(msg(str`Looking for the TXT record of ${name}…`));
    const abort = this.track();
    try {
      const result = await adapter.verifyDomain(name, { signal: abort.signal });
      this.replace(result);
      if (result.status === 'verified') {
        this.announce(`${msg(str`${result.name} is verified.`)} ${this.routing(result)}`);
        this.dispatchEvent(new SsoDomainVerifiedEvent(result));
        await this.updateComplete;
        // The Verify button is gone: keep the admin's place at the domain's name.
        this.headingOf(result.name)?.focus();
      } else {
        this.announceNotFound(result.name);
      }
    } catch (error) {
      const e = toPortalError(error);
      if (e.code === 'aborted') return;
      if (e.code === 'domain_verification_failed') {
        // A backend may answer a failed check with an error rather than a failed domain.
        const at = (this.now ?? new Date()).toISOString();
        this.replace({ ...domain, status: domain.status === 'verified' ? 'verified' : 'failed', lastCheckedAt: at });
        this.announceNotFound(name);
        return;
      }
      this.report(e, 'verify-domain');
      if (e.code === 'not_found') {
        this.notice = msg(str`${name} is no longer in your list: it was removed in another tab or by a colleague.`);
        this.announce(this.notice);
        void this.reload().then(() => this.focusHeading());
        return;
      }
      this.setProblem(name, { operation: 'verify', error: e });
      this.announce(msg(str`${name} could not be checked. ${describeError(e).title}.`));
    } finally {
      this.running.delete(abort);
      this.setBusy(name, undefined);
    }
  }

  private announceNotFound(name: string): void {
    const { title, action } = describeError(new PortalError('domain_verification_failed'));
    this.announce(msg(str`${name}: ${title}. ${action}`));
  }

  // -------------------------------------------------------------------------------------
  // Removing

  private renderDialog() {
    const domain = this.removing;
    const active = this.activeConnections();
    let consequence = '';
    if (domain?.status === 'verified' && active.length) {
      consequence = msg(str`Users at ${domain.name} will no longer sign in with ${this.via(active)}: they go back to signing in as before.`);
    } else if (domain?.status === 'verified') {
      consequence = msg(str`${domain.name} will no longer be verified.`);
    } else if (domain) {
      consequence = msg('Its verification stops. You can also delete its TXT record at your DNS provider.');
    }
    return html`<dialog
      part="remove-dialog"
      aria-labelledby="remove-title"
      aria-describedby="remove-description"
      @close=${this.onDialogClose}
    >
      <form method="dialog">
        <h4 id="remove-title">${domain ? msg(str`Remove ${domain.name}?`) : msg('Remove this domain?')}</h4>
        <div class="dialog-body" id="remove-description">
          <p>${consequence}</p>
          <p class="hint">${msg('To use it again later, you add it and verify it again.')}</p>
        </div>
        <div class="actions">
          <button class="button" id="remove-cancel" value="cancel" autofocus>${msg('Cancel')}</button>
          <button class="button button--danger" id="remove-confirm" value="remove">${msg('Remove domain')}</button>
        </div>
      </form>
    </dialog>`;
  }

  private async askRemove(domain: Domain): Promise<void> {
    if (this.busy.has(domain.name)) return;
    this.removing = domain;
    await this.updateComplete;
    const dialog = this.renderRoot.querySelector('dialog');
    if (!dialog || dialog.open) return;
    dialog.returnValue = '';
    dialog.showModal();
    this.renderRoot.querySelector<HTMLButtonElement>('#remove-cancel')?.focus();
  }

  /** Escape, Cancel or Remove domain closed the dialog. */
  private onDialogClose(event: Event): void {
    const dialog = event.currentTarget as HTMLDialogElement;
    const domain = this.removing;
    this.removing = undefined;
    if (!domain) return;
    if (dialog.returnValue === 'remove') {
      void this.removeConfirmed(domain);
    } else {
      this.removeButtonOf(domain.name)?.focus();
    }
  }

  private async removeConfirmed(domain: Domain): Promise<void> {
    const name = domain.name;
    const adapter = this.adapter;
    if (!adapter || this.busy.has(name)) return;
    this.setBusy(name, 'remove');
    this.setProblem(name, undefined);
    this.removeButtonOf(name)?.focus();
    this.announce(msg(str`Removing ${name}…`));
    const abort = this.track();
    try {
      await adapter.removeDomain(name, { signal: abort.signal });
      this.forget(name, msg(str`${name} removed.`));
    } catch (error) {
      const e = toPortalError(error);
      if (e.code === 'aborted') return;
      if (e.code === 'not_found') {
        // Already gone (another tab, a colleague): what the admin wanted.
        this.forget(name, msg(str`${name} was already removed.`));
        return;
      }
      this.report(e, 'remove-domain');
      this.setProblem(name, { operation: 'remove', error: e });
      this.announce(msg(str`${name} could not be removed. ${describeError(e).title}.`));
    } finally {
      this.running.delete(abort);
      this.setBusy(name, undefined);
    }
  }

  private forget(name: string, message: string): void {
    this.domains = this.domains.filter((d) => d.name !== name);
    this.setProblem(name, undefined);
    this.announce(message);
    void this.updateComplete.then(() => this.focusHeading());
  }

  // -------------------------------------------------------------------------------------
  // Helpers

  private activeConnections(): Connection[] {
    return this.connections.filter((c) => c.status === 'active');
  }

  /** "Okta (employees)", or "Okta (employees) or Microsoft Entra ID". */
  private via(connections: Connection[]): string {
    const names = connections.map((c) => c.name ?? providerName(c.providerId));
    return new Intl.ListFormat(activeLocale.format, { type: 'disjunction' }).format(names);
  }

  /** Where the domain's users sign in. */
  private routing(domain: Domain): string {
    const active = this.activeConnections();
    const staged = this.connections.filter((c) => c.staged);
    if (active.length === 0 && staged.length) return msg(str`Only the test users of ${this.via(staged)} sign in with it; everyone else keeps signing in as before.`);
    if (active.length === 0) return msg('No active connection yet: users of this domain keep signing in as before.');
    if (domain.status === 'verified') return msg(str`Users at ${domain.name} sign in with ${this.via(active)}.`);
    return msg(str`Once it is verified, users at ${domain.name} will sign in with ${this.via(active)}.`);
  }

  private when(at: string) {
    return html`<time datetime=${at}>${formatRelativeTime(at, this.now)}</time>`;
  }

  private replace(domain: Domain): void {
    this.domains = this.domains.map((d) => (d.name === domain.name ? domain : d));
  }

  private setBusy(name: string, what: 'verify' | 'remove' | undefined): void {
    const next = new Map(this.busy);
    if (what) next.set(name, what);
    else next.delete(name);
    this.busy = next;
  }

  private setProblem(name: string, problem: RowProblem | undefined): void {
    if (!problem && !this.problems.has(name)) return;
    const next = new Map(this.problems);
    if (problem) next.set(name, problem);
    else next.delete(name);
    this.problems = next;
  }

  private headingOf(name: string): HTMLElement | undefined {
    const item = [...this.renderRoot.querySelectorAll<HTMLElement>('li.domain')].find((li) => li.querySelector('h4')?.textContent === name);
    return item?.querySelector<HTMLElement>('h4') ?? undefined;
  }

  private removeButtonOf(name: string): HTMLButtonElement | undefined {
    return [...this.renderRoot.querySelectorAll<HTMLButtonElement>('button[data-remove]')].find((b) => b.dataset.remove === name);
  }

  private track(): AbortController {
    const abort = new AbortController();
    this.running.add(abort);
    return abort;
  }

  private retryLoad(): void {
    this.focusHeading();
    void this.reload();
  }

  private announce(message: string): void {
    this.announcer?.announce(message);
  }

  /** Tells the host: the link expired (once), or an operation failed. */
  private report(error: PortalError, operation: DomainOperation): void {
    if (error.code === 'session_expired') {
      if (!this.expiredNotified) {
        this.expiredNotified = true;
        this.dispatchEvent(new SsoSessionExpiredEvent());
      }
      return;
    }
    this.dispatchEvent(new SsoErrorEvent(error, operation));
  }
}

defineElement('sso-domains-panel', SsoDomainsPanel);

declare global {
  interface HTMLElementTagNameMap {
    'sso-domains-panel': SsoDomainsPanel;
  }
}
