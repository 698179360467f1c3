import { css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { describeError, toPortalError, type PortalError } from '../../core/errors.js';
import { formatDateTime, formatRelativeTime } from '../../core/format.js';
import { TRACE_CHECK_LABELS, type LoginAttempt } from '../../core/login-trace.js';
import type { Connection } from '../../core/model.js';
import { providerName } from '../../core/providers/names.js';
import { TEST_FAILURES, isTestFailureCode } from '../../core/test-failures.js';
import { testFailureTitle } from '../../core/test-titles.js';
import { msg, str } from '../localize/msg.js';
import { plural } from '../localize/plural.js';
import { defineElement } from '../define.js';
import { SsoPortalElement } from '../portal-element.js';
import { shared } from '../styles/shared.js';
import { dialogStyles } from '../styles/dialog.js';

/**
 * A connection's login attempts (issue 15, point 4): the last 50 tests and sign-ins, newest
 * first, each opened to the checks the service provider ran (passed, and the one that refused),
 * the decoded request and answer (redacted on the server), and its diagnostic report
 * (`sso-report-download`, loaded when asked for). A modal dialog ({@link showLoginAttempts})
 * that a test result opens ("Login attempts"); lazy, outside the admin flow's bytes (the
 * overview, in the initial load, has no byte to spare for a menu entry: issue 12's budget).
 *
 * @tagname sso-login-attempts
 * @summary A connection's last login attempts with their traces.
 * @csspart dialog - The dialog box.
 */
export class SsoLoginAttempts extends SsoPortalElement {
  static override styles = [
    shared,
    dialogStyles,
    css`
      dialog {
        width: min(52rem, calc(100vw - 2rem));
        max-height: calc(100vh - 2rem);
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        align-items: baseline;
        gap: var(--sso-space-2);
      }
      h2 {
        font-size: var(--sso-font-size-lg);
        margin: 0;
      }
      h3 {
        font-size: var(--sso-font-size-md);
        margin: var(--sso-space-3) 0 var(--sso-space-1);
      }
      ol.attempts {
        list-style: none;
        padding: 0;
        margin: var(--sso-space-3) 0 0;
        display: grid;
        gap: var(--sso-space-2);
      }
      .attempt {
        border: 1px solid var(--sso-color-border);
        border-radius: var(--sso-radius-md);
        padding: var(--sso-space-2) var(--sso-space-3);
      }
      summary {
        cursor: pointer;
        overflow-wrap: anywhere;
      }
      .failure {
        color: var(--sso-color-danger);
        font-weight: 600;
      }
      .success {
        color: var(--sso-color-success);
        font-weight: 600;
      }
      ol.steps {
        margin: 0;
        padding-inline-start: var(--sso-space-5);
      }
      ol.steps li {
        margin-block: var(--sso-space-1);
        overflow-wrap: anywhere;
      }
      pre {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        max-height: 20rem;
        overflow: auto;
        padding: var(--sso-space-2);
        border: 1px solid var(--sso-color-border);
        border-radius: var(--sso-radius-sm);
        font-size: var(--sso-font-size-sm);
      }
      .muted {
        color: var(--sso-color-text-muted);
      }
      p {
        margin: var(--sso-space-1) 0;
      }
    `,
  ];

  /** The connection whose attempts are shown (read through the adapter when only its id is given). */
  @property({ attribute: false }) connection?: Connection;
  @property({ attribute: 'connection-id' }) connectionId?: string;
  /** The clock, for stable stories and tests. */
  @property({ attribute: false }) now?: Date;

  @state() private attempts?: LoginAttempt[];
  @state() private error?: PortalError;
  /** The attempt whose report is being prepared. */
  @state() private reportFor?: string;
  #abort?: AbortController;
  #opener?: HTMLElement;

  /** Opens the dialog and reads the attempts; focus returns where it was when it closes. */
  async open(): Promise<void> {
    this.#opener = deepActiveElement();
    await this.updateComplete;
    this.renderRoot.querySelector('dialog')?.showModal();
    await this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#abort?.abort();
  }

  /** Reads the connection's attempts (again). */
  async load(): Promise<void> {
    const id = this.connection?.id ?? this.connectionId;
    if (!id) return;
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    this.error = undefined;
    this.attempts = undefined;
    try {
      this.connection ??= await this.adapter?.getConnection(id, { signal: abort.signal });
      const list = this.adapter?.listLoginAttempts ? await this.adapter.listLoginAttempts(id, { signal: abort.signal }) : [];
      if (abort.signal.aborted) return;
      this.attempts = list;
      const n = list.length;
      this.announcer?.announce(plural(n, { one: () => msg(str`${n} login attempt.`), other: () => msg(str`${n} login attempts.`) }));
    } catch (cause) {
      if (abort.signal.aborted) return;
      this.error = toPortalError(cause);
    }
  }

  override render() {
    const connection = this.connection;
    const name = connection ? (connection.name ?? providerName(connection.providerId)) : '';
    return html`<dialog part="dialog" aria-labelledby="attempts-title" @close=${this.onClose}>
      <div class="head">
        <h2 id="attempts-title">${name ? msg(str`Login attempts: ${name}`) : msg('Login attempts')}</h2>
        <button class="button" type="button" @click=${this.close}>${msg('Close')}</button>
      </div>
      <p class="muted">${msg('The last 50 tests and sign-ins through this connection, newest first, with every check we ran.')}</p>
      ${this.renderBody()}
    </dialog>`;
  }

  private renderBody() {
    if (this.error) {
      const { title, action } = describeError(this.error);
      return html`<div role="alert">
        <p class="failure">${title} <code>${this.error.code}</code></p>
        <p>${action}</p>
        <button class="button" type="button" @click=${() => void this.load()}>${msg('Try again')}</button>
      </div>`;
    }
    if (!this.attempts) return html`<p aria-busy="true">${msg('Loading login attempts…')}</p>`;
    if (!this.adapter?.listLoginAttempts) return html`<p>${msg('This backend keeps no login traces.')}</p>`;
    if (!this.attempts.length) return html`<p>${msg('No login attempts yet. Test the connection, or sign in through it, and each attempt appears here.')}</p>`;
    return html`<ol class="attempts" aria-label=${msg('Login attempts')}>
      ${this.attempts.map((a) => this.renderAttempt(a))}
    </ol>`;
  }

  private renderAttempt(a: LoginAttempt) {
    const title = testFailureTitle(a.error?.code);
    const outcome = a.outcome === 'success' ? html`<span class="success">${msg('Succeeded')}</span>` : html`<span class="failure">${msg(str`Failed: ${title}`)}</span>`;
    // Our words for a code we know, in the language shown; the server's (English) for others.
    const code = a.error?.code ?? '';
    const known = isTestFailureCode(code) ? TEST_FAILURES[code] : undefined;
    return html`<li class="attempt">
      <details>
        <summary>
          ${outcome} · ${a.purpose === 'test' ? msg('Test') : msg('Sign-in')}${a.user ? html` · <span class="value">${a.user}</span>` : nothing} ·
          <time datetime=${a.at} title=${formatDateTime(a.at)}>${formatRelativeTime(a.at, this.now)}</time>
        </summary>
        ${a.error
          ? html`<p>${known?.message ?? a.error.message} <code>${a.error.code}</code></p>
              <p><strong>${msg('What to do:')}</strong> ${known?.remedy ?? a.error.remedy}</p>`
          : nothing}
        <h3>${msg('Checks, in the order they ran')}</h3>
        ${a.steps.length
          ? html`<ol class="steps">
              ${a.steps.map(
                (s) => html`<li>
                  <span class=${s.status === 'passed' ? 'success' : 'failure'}>${s.status === 'passed' ? msg('✓ Passed:') : msg('✗ Failed:')}</span>
                  ${TRACE_CHECK_LABELS[s.check]}${s.detail ? html`. <span class="value" lang="en" dir="auto">${s.detail}</span>` : nothing}
                </li>`,
              )}
            </ol>`
          : html`<p>${msg('No check ran: the login stopped before the answer could be judged.')}</p>`}
        ${a.request ? this.renderMessage(msg('What we sent'), a.request) : nothing}
        ${a.response ? this.renderMessage(msg('What the identity provider answered'), a.response) : nothing}
        <p>
          ${this.reportFor === a.id
            ? html`<sso-report-download .attempt=${a} .connection=${this.connection} .now=${this.now}></sso-report-download>`
            : html`<button class="button" type="button" @click=${() => this.prepareReport(a.id)}>${msg(html`Download report<span class="visually-hidden"> of this attempt</span>`)}</button>`}
        </p>
      </details>
    </li>`;
  }

  /** A decoded message in a box that scrolls: focusable and named, so the keyboard can scroll it. */
  private renderMessage(what: string, message: NonNullable<LoginAttempt['request']>) {
    return html`<details>
      <summary>${what} (${message.format.toUpperCase()})</summary>
      <pre tabindex="0" role="region" aria-label=${what}>${message.body}</pre>
    </details>`;
  }

  private async prepareReport(id: string): Promise<void> {
    await import('./sso-report-download.js');
    this.reportFor = id;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('sso-report-download')?.focus();
  }

  close(): void {
    this.renderRoot.querySelector('dialog')?.close();
  }

  private onClose(): void {
    this.#abort?.abort();
    this.remove();
    this.#opener?.focus();
  }
}

/** The focused element, through shadow roots. */
function deepActiveElement(): HTMLElement | undefined {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : undefined;
}

/** Opens a connection's login attempts in a modal dialog inside `root` (a shadow root inside the portal, for its contexts). */
export function showLoginAttempts(root: Node, connection: Connection | string, now?: Date): SsoLoginAttempts {
  const view = document.createElement('sso-login-attempts');
  if (typeof connection === 'string') view.connectionId = connection;
  else view.connection = connection;
  if (now) view.now = now;
  root.appendChild(view);
  void view.open();
  return view;
}

defineElement('sso-login-attempts', SsoLoginAttempts);

declare global {
  interface HTMLElementTagNameMap {
    'sso-login-attempts': SsoLoginAttempts;
  }
}
