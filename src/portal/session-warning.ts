/**
 * The warning before the portal's session ends, loaded by the element only when it is due
 * ({@link SESSION_WARNING_MS} before the session's `expiresAt`; the element holds just the timer):
 *
 * - It asks the adapter for the session again first: a session the server renewed meanwhile (an
 *   embedded portal's, renewed by the admin's requests) only moves the timer, and warns nothing.
 * - Due: the element fires `sso-session-expiring` (`expiresAt`) once and shows a banner
 *   (`role="alert"`, a "Dismiss" button) above its content, saying when the session ends.
 * - At `expiresAt`, it asks again: renewed, the banner goes and the timer moves; ended, the
 *   element loads again, which shows its expired state and fires `sso-session-expired`.
 */
import { LitElement, css, html, nothing } from 'lit';
import { activeLocale } from './localize/active-locale.js';
import { msg } from './localize/msg.js';
import { property } from 'lit/decorators.js';
import type { PortalAdapter } from '../adapters/portal-adapter.js';
import { toPortalError } from '../core/errors.js';
import type { PortalSession } from '../core/model.js';
import { defineElement } from './define.js';
import { shared } from './styles/shared.js';

/** How long before the session ends the element warns (5 minutes). */
export const SESSION_WARNING_MS = 300_000;

/** The session ends in {@link SESSION_WARNING_MS} or less; the element shows a banner. */
export class SsoSessionExpiringEvent extends Event {
  static readonly eventName = 'sso-session-expiring';
  constructor(readonly expiresAt: string) {
    super(SsoSessionExpiringEvent.eventName, { bubbles: true, composed: true });
  }
}

/** What this module uses of `<sso-admin-portal>` (its internals, so not its public type). */
interface PortalHost extends HTMLElement {
  activeAdapter?: PortalAdapter;
  session?: PortalSession;
  sessionNotice?: unknown;
  watchExpiry(expiresAt: string): void;
  reload(): Promise<void>;
}

/** The banner: when the session ends, and a button to put it away (the alert was announced). */
export class SsoSessionBanner extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
      }
      .banner {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--sso-space-3);
        padding: var(--sso-space-3) var(--sso-space-4);
        border: 1px solid currentColor;
        border-radius: var(--sso-radius-md);
        color: var(--sso-color-warning);
        background: var(--sso-color-warning-bg);
      }
      p {
        margin: 0;
        flex: 1 1 16rem;
      }
    `,
  ];

  /** When the session ends (ISO time). */
  @property() expiresAt = '';
  @property({ type: Boolean }) dismissed = false;

  override render() {
    if (this.dismissed) return nothing;
    const time = new Date(this.expiresAt);
    const at = Number.isNaN(time.getTime()) ? '' : new Intl.DateTimeFormat(activeLocale.format, { timeStyle: 'short' }).format(time);
    return html`<div class="banner" part="session-banner" role="alert">
      <p><strong>${at ? msg(html`Your session ends soon, at <time datetime=${this.expiresAt}>${at}</time>.`) : msg('Your session ends soon.')}</strong>
        ${msg('Save what you are working on; after that, the portal asks for a new link.')}</p>
      <button class="button" type="button" @click=${this.dismiss}>${msg('Dismiss')}</button>
    </div>`;
  }

  private dismiss(): void {
    this.dismissed = true;
  }
}

defineElement('sso-session-banner', SsoSessionBanner);

/** The session as the server has it now; undefined when it ended. Other errors: the one the element knows. */
async function currentSession(host: PortalHost): Promise<PortalSession | undefined> {
  try {
    return await host.activeAdapter!.getSession();
  } catch (error) {
    return toPortalError(error).code === 'session_expired' ? undefined : host.session;
  }
}

const warned = new WeakMap<PortalHost, string>();

/** Called by the element when its session's warning is due (or its timer's longest wait ran out). */
export async function sessionWarning(host: PortalHost): Promise<void> {
  const session = await currentSession(host);
  if (!session) {
    host.sessionNotice = undefined;
    await host.reload(); // from the server: the page's first answers are read only by the first load
    return;
  }
  const left = Date.parse(session.expiresAt) - Date.now();
  if (left > SESSION_WARNING_MS) {
    // Renewed, or not due yet: nothing to say.
    host.sessionNotice = undefined;
    host.watchExpiry(session.expiresAt);
    return;
  }
  if (warned.get(host) !== session.expiresAt) {
    warned.set(host, session.expiresAt);
    host.sessionNotice = html`<sso-session-banner .expiresAt=${session.expiresAt}></sso-session-banner>`;
    host.dispatchEvent(new SsoSessionExpiringEvent(session.expiresAt));
  }
  // At the end, ask again. Past it and still live: the server's clock is behind this one; ask every half minute.
  setTimeout(() => void sessionWarning(host), left > 0 ? left + 250 : 30_000);
}

declare global {
  interface HTMLElementTagNameMap {
    'sso-session-banner': SsoSessionBanner;
  }
}
