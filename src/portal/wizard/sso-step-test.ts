import { css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { describeError, toPortalError, type PortalError } from '../../core/errors.js';
import { formatRelativeTime } from '../../core/format.js';
import { testFailureTitle, testWarningTitle } from '../../core/test-titles.js';
import type { TestMode, TestResult } from '../../core/model.js';
import type { ProviderDefinition } from '../../core/providers/types.js';
import { defineElement } from '../define.js';
import { exportParts } from '../parts.js';
import { SsoErrorEvent, SsoSessionExpiredEvent, SsoTestCompletedEvent } from '../events.js';
import { SsoConnectionChangeEvent, SsoNavigateEvent } from '../internal-events.js';
import { richText, switchButton } from '../ui/field.js';
import '../ui/sso-status-badge.js';

/** A result's diagnosis loads while the admin signs in (it is shown only when a test ends). */
const loadResultView = () => import('../test/sso-test-result.js');
import { fullDateTooltip } from '../ui/date-tooltip.js';
import { SsoStepElement, errorNotice } from './step-element.js';
import { msg, str } from '../localize/msg.js';
import { plural } from '../localize/plural.js';

/** What the popup page posts to its opener when the login finished. */
export interface TestResultMessage {
  type: 'sso-admin-portal:test-result';
  testId: string;
}

type Run =
  | { status: 'idle' }
  | { status: 'starting'; mode: TestMode }
  | { status: 'waiting'; mode: TestMode; testId: string; startedAt: number; loginUrl?: string; popupBlocked: boolean }
  | { status: 'done'; result: TestResult }
  | { status: 'error'; error: PortalError };

/**
 * Step 5: test a real login, started from this page (SP-initiated, in a popup) or from the
 * identity provider's dashboard (IdP-initiated), and show what arrived or what to fix.
 *
 * @tagname sso-step-test
 * @summary Test the connection.
 * @csspart waiting - The panel shown while the login is under way.
 * @csspart history - Earlier tests of this connection.
 */
export class SsoStepTest extends SsoStepElement {
  static override styles = [
    ...SsoStepElement.styles,
    css`
      .modes {
        display: grid;
        gap: var(--sso-space-2);
      }
      ul.history {
        display: grid;
        gap: var(--sso-space-1);
        margin: 0;
        padding: 0;
        list-style: none;
        font-size: var(--sso-font-size-sm);
      }
      ul.history li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--sso-space-2);
      }
      a {
        color: var(--sso-color-accent);
      }
    `,
  ];

  @property({ attribute: false }) provider?: ProviderDefinition;


  /** How often to ask for the result while waiting, in ms. */
  @property({ type: Number }) pollInterval = 1000;

  /** How long to wait for a login before giving up with `timeout`, in ms. */
  @property({ type: Number }) timeout = 5 * 60_000;




  @state() private mode: TestMode = 'sp';
  @state() private run: Run = { status: 'idle' };
  @state() private history: TestResult[] = [];
  @state() private now = Date.now();
  private abort?: AbortController;
  private popup?: Window | null;
  private clock?: ReturnType<typeof setInterval>;
  private wake?: () => void;

  override connectedCallback(): void {
    super.connectedCallback();
    exportParts(this, 'test', 'waiting history');
    this.addEventListener('pointerover', fullDateTooltip);
    window.addEventListener('message', this.onMessage);
    void this.loadHistory();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('message', this.onMessage);
    this.stop();
  }

  override render() {
    // A provider the catalog does not know has no name of its own: the sentences name it generically.
    const name = this.provider?.name ?? msg('your identity provider');
    const idpAllowed = this.session?.features.idpInitiatedTest ?? false;
    const running = this.run.status === 'starting' || this.run.status === 'waiting';
    return html`
      <h3 id="step-heading" tabindex="-1">${msg('Test a real login')}</h3>
      <p class="lead">${msg(str`Sign in as a user assigned to the app in ${name}. Nothing changes for your users: the connection stays off until you activate it.`)}</p>
      ${idpAllowed
        ? html`<fieldset ?disabled=${running}>
            <legend>${msg('Where should the login start?')}</legend>
            <div class="modes">
              ${this.renderMode('sp', msg('From this page'), msg(str`Recommended. A window opens on ${name}’s sign-in page.`))}
              ${this.renderMode('idp', msg(str`From ${name}’s dashboard`), msg(str`IdP-initiated: you open the app from ${name}, as many users do.`))}
            </div>
          </fieldset>`
        : nothing}
      ${this.mode === 'idp' ? this.renderIdpInstructions(name) : nothing}
      <div class="row">
        ${switchButton({
          busy: running,
          label: this.run.status === 'done' ? msg('Test again') : msg('Test connection'),
          busyLabel: msg('Cancel test'),
          onStart: this.start,
          onCancel: this.cancel,
          primary: true,
        })}
      </div>
      ${this.renderRun(name)} ${this.renderHistory()}
      <sso-test-links
        ><button class="button" type="button" @click=${() => import('../test/sso-test-links.js')}>${msg('Test link for a colleague')}</button></sso-test-links
      >
    `;
  }

  private renderMode(mode: TestMode, label: string, hint: string) {
    return html`<label class="option" for="mode-${mode}">
      <input type="radio" name="mode" id="mode-${mode}" .checked=${this.mode === mode} @change=${() => (this.mode = mode)} />
      <span>${label}<small>${hint}</small></span>
    </label>`;
  }

  private renderIdpInstructions(name: string) {
    const protocol = this.draft.protocol ?? 'saml';
    const hint = this.provider?.idpInitiatedTest?.[protocol];
    return html`<div class="panel">
      <p><strong>${msg(str`How to start the login from ${name}`)}</strong></p>
      <p>${hint ? richText(hint) : msg(str`Open ${name}’s user dashboard and click the app’s tile.`)}</p>
      <p class="muted">${msg('Press Test connection first, then start the login there: we wait for it.')}</p>
    </div>`;
  }

  private renderRun(name: string) {
    const run = this.run;
    switch (run.status) {
      case 'starting':
        return html`<p class="panel" part="waiting" aria-busy="true"><span class="spinner" aria-hidden="true"></span> ${msg('Starting the test…')}</p>`;
      case 'waiting': {
        const seconds = Math.max(0, Math.round((this.now - run.startedAt) / 1000));
        return html`<div class="panel" part="waiting" aria-busy="true">
          <p><span class="spinner" aria-hidden="true"></span> ${msg(html`Waiting for the login… <span class="muted">(${seconds} s)</span>`)}</p>
          ${run.mode === 'sp' && run.popupBlocked && run.loginUrl
            ? html`<p class="notice">${msg(html`Your browser blocked the login window. <a href=${run.loginUrl} target="_blank" rel="opener">Open the sign-in page</a> to continue.`)}</p>`
            : nothing}
          ${run.mode === 'sp' && !run.loginUrl
            ? html`<p class="muted">${msg('This demo backend has no sign-in page: the result arrives by itself.')}</p>`
            : nothing}
          ${run.mode === 'idp' && run.loginUrl
            ? html`<p>${msg(html`<a href=${run.loginUrl} target="_blank">Open ${name} to start the login</a> (opens a new tab).`)}</p>`
            : nothing}
          ${run.mode === 'idp' && !run.loginUrl ? html`<p class="muted">${msg(str`Start the login from ${name} now.`)}</p>` : nothing}
        </div>`;
      }
      case 'done':
        return html`${this.renderResult(run.result)}${this.renderDomainsLink(run.result)}`;
      case 'error': {
        const { title, action } = describeError(run.error);
        return errorNotice('error', title, action, run.error.code);
      }
      default:
        return nothing;
    }
  }

  /** A result in the view of this connection (`sso-test-links`, inside this step, shows its colleagues' results with it). */
  renderResult(result: TestResult) {
    void loadResultView();
    return html`<sso-test-result
      .result=${result}
      .provider=${this.provider}
      .protocol=${this.draft.protocol ?? 'saml'}
      .mapping=${this.connection?.attributeMapping ?? { email: this.draft.attributeMapping.email }}
      .serviceProvider=${this.serviceProvider}
    ></sso-test-result>`;
  }

  /** A success that warns about an unverified domain: a way to the domains, where it is verified. */
  private renderDomainsLink(result: TestResult) {
    if (!this.session?.features.domains || !result.warnings?.some((w) => w.code === 'domain_not_verified')) return nothing;
    return html`<div class="row">
      <button class="button" type="button" @click=${this.goToDomains}>${msg('Go to Domains')}</button>
    </div>`;
  }

  private goToDomains(): void {
    this.dispatchEvent(new SsoNavigateEvent({ view: 'overview', section: 'domains' }));
  }

  private renderHistory() {
    if (!this.history.length) return nothing;
    return html`<section part="history" aria-labelledby="history-heading">
      <h4 id="history-heading">${msg('Earlier tests')}</h4>
      <ul class="history">
        ${this.history.slice(0, 10).map(
          (t) => html`<li>
            <sso-status-badge status=${t.status}></sso-status-badge>
            <time datetime=${t.startedAt}>${formatRelativeTime(t.startedAt)}</time>
            <span>${t.mode === 'idp' ? msg('IdP-initiated') : msg('From this page')}</span>
            ${t.error ? html`<span>${testFailureTitle(t.error.code)}</span>` : nothing}
          </li>`,
        )}
      </ul>
    </section>`;
  }

  /** Starts a test. Runs in the click handler, so the login window is not blocked. */
  async start(): Promise<void> {
    const adapter = this.adapter;
    const id = this.draft.connectionId;
    if (!adapter || !id) return;
    this.stop();
    const mode = this.mode;
    // Open the window now, while the click still counts as the admin's gesture.
    const popup = mode === 'sp' && adapter.origin ? window.open('', 'sso-admin-portal-test', 'popup,width=520,height=680') : undefined;
    this.popup = popup;
    const abort = (this.abort = new AbortController());
    this.run = { status: 'starting', mode };
    this.announcer?.announce(msg('Starting the test…'));
    try {
      const started = await adapter.startTest(id, { mode }, { signal: abort.signal });
      const popupBlocked = mode === 'sp' && !!adapter.origin && !popup;
      if (popup && started.loginUrl) popup.location.href = started.loginUrl;
      else popup?.close();
      this.run = { status: 'waiting', mode, testId: started.testId, startedAt: Date.now(), loginUrl: started.loginUrl, popupBlocked };
      loadResultView().catch(() => undefined); // fetched while the admin signs in
      this.announcer?.announce(popupBlocked ? msg('The login window was blocked. Use the link to open the sign-in page.') : msg('Waiting for the login.'));
      this.clock = setInterval(() => (this.now = Date.now()), 1000);
      await this.poll(started.testId, abort.signal);
    } catch (error) {
      this.fail(toPortalError(error));
    }
  }

  private async poll(testId: string, signal: AbortSignal): Promise<void> {
    const adapter = this.adapter!;
    // The deadline fires on time, even while a backend holds a long poll open.
    const expired = new Promise<'expired'>((resolve) => {
      const timer = setTimeout(() => resolve('expired'), this.timeout);
      signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
    });
    let last: TestResult | undefined;
    for (;;) {
      const answer = await Promise.race([adapter.getTestResult(testId, { signal }), expired]);
      if (signal.aborted) return;
      if (answer !== 'expired' && answer.status !== 'pending') return this.finish(answer);
      if (answer === 'expired') {
        const { TEST_FAILURES } = await import('../../core/test-failures.js');
        return this.finish({
          ...(last ?? this.pendingResult(testId)),
          status: 'failure',
          error: { code: 'timeout', ...TEST_FAILURES.timeout },
          completedAt: new Date().toISOString(),
        });
      }
      last = answer;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.pollInterval);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
        signal.addEventListener('abort', () => this.wake?.(), { once: true });
      });
    }
  }

  /** What is known of a test before the backend answered about it. */
  private pendingResult(testId: string): TestResult {
    const mode = this.run.status === 'waiting' ? this.run.mode : this.mode;
    const startedAt = new Date(this.run.status === 'waiting' ? this.run.startedAt : Date.now()).toISOString();
    return { id: testId, connectionId: this.draft.connectionId ?? '', mode, status: 'pending', profile: null, rawAttributes: {}, error: null, startedAt, completedAt: null };
  }

  /** The popup tells us the login finished: ask for the result now instead of at the next poll. */
  private onMessage = (event: MessageEvent): void => {
    const origin = this.adapter?.origin;
    if (!origin || event.origin !== origin) return; // pinned: only our backend's pages
    const data = event.data as Partial<TestResultMessage> | null;
    if (data?.type !== 'sso-admin-portal:test-result' || this.run.status !== 'waiting' || data.testId !== this.run.testId) return;
    this.wake?.();
  };

  private finish(result: TestResult): void {
    this.stop(false);
    // Where the admin's focus was (this step, or nowhere after the login window closed), the result takes it.
    const focusHere = isFocusWithin(this) || document.activeElement === document.body || document.activeElement === null;
    this.run = { status: 'done', result };
    if (focusHere) {
      void this.updateComplete.then(async () => {
        await loadResultView().catch(() => undefined);
        const view = this.renderRoot.querySelector('sso-test-result');
        if (!view?.isConnected || !('focusHeading' in view)) return; // gone meanwhile, or its code failed to load
        await view.updateComplete; // its own first render, after ours
        view.focusHeading();
      });
    }
    const ok = result.status === 'success';
    const count = result.warnings?.length ?? 0;
    const titles = result.warnings?.map((w) => testWarningTitle(w.code)).join(', ');
    const failure = testFailureTitle(result.error?.code);
    this.announcer?.announce(
      !ok
        ? msg(str`The test login failed: ${failure}.`)
        : count
          ? plural(count, { one: () => msg(str`The test login worked. One warning: ${titles}.`), other: () => msg(str`The test login worked. ${count} warnings: ${titles}.`) })
          : msg('The test login worked.'),
    );
    this.dispatchEvent(new SsoTestCompletedEvent(result));
    void this.refreshConnection();
    void this.loadHistory();
  }

  private fail(error: PortalError): void {
    this.stop(false);
    if (error.code === 'aborted') return;
    this.run = { status: 'error', error };
    this.announcer?.announce(describeError(error).title);
    if (error.code === 'session_expired') this.dispatchEvent(new SsoSessionExpiredEvent());
    else this.dispatchEvent(new SsoErrorEvent(error, 'test'));
  }

  private cancel(): void {
    this.stop();
    this.run = { status: 'idle' };
    this.announcer?.announce(msg('Test cancelled.'));
  }

  /** Stops waiting: polling, the clock, and (unless the result is in) the login window. */
  private stop(closePopup = true): void {
    this.abort?.abort();
    this.abort = undefined;
    if (this.clock) clearInterval(this.clock);
    this.clock = undefined;
    if (closePopup && this.popup && !this.popup.closed) this.popup.close();
    this.popup = undefined;
  }

  private async loadHistory(): Promise<void> {
    const id = this.draft.connectionId;
    if (!this.adapter || !id) return;
    try {
      this.history = await this.adapter.listTestResults(id);
    } catch {
      // History is a convenience: the test itself reports its own errors.
    }
  }

  /** The connection's `lastTest` changed: tell the wizard and the overview. */
  private async refreshConnection(): Promise<void> {
    const id = this.draft.connectionId;
    if (!this.adapter || !id) return;
    try {
      this.dispatchEvent(new SsoConnectionChangeEvent(await this.adapter.getConnection(id)));
    } catch {
      // The overview refreshes on its own next time.
    }
  }
}

defineElement('sso-step-test', SsoStepTest);

declare global {
  interface HTMLElementTagNameMap {
    'sso-step-test': SsoStepTest;
  }
}

/** Whether focus is on `host` or inside its shadow tree. */
function isFocusWithin(host: Element): boolean {
  let active: Element | null = document.activeElement;
  while (active) {
    if (active === host) return true;
    active = active.shadowRoot?.activeElement ?? null;
  }
  return false;
}
