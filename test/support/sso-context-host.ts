/**
 * Stands in for `<sso-admin-portal>` around one of its inner elements, for stories and tests:
 * the `--sso-*` tokens and the `theme` attribute, and the three contexts the shell provides
 * (context.ts: adapter, session, announcer), with a live region and a record of every announcement.
 *
 * ```html
 * <sso-context-host .adapter=${adapter}><sso-domains-panel></sso-domains-panel></sso-context-host>
 * ```
 * Without a `session`, it reads one from the adapter once.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { PortalAdapter } from '../../src/adapters/portal-adapter.js';
import type { PortalSession } from '../../src/core/model.js';
import { provideContext } from '../../src/portal/context.js';
import { activeLocale } from '../../src/portal/localize/active-locale.js';
import { defineElement } from '../../src/portal/define.js';
import { shared } from '../../src/portal/styles/shared.js';
import { tokens } from '../../src/portal/styles/tokens.js';

export class SsoContextHost extends LitElement {
  static override styles = [
    tokens,
    shared,
    css`
      :host {
        display: block;
        min-width: 0;
        padding: var(--sso-space-4);
        font-family: var(--sso-font-family);
        font-size: var(--sso-font-size-md);
        line-height: var(--sso-line-height);
        color: var(--sso-color-text);
        background: var(--sso-color-bg);
      }
    `,
  ];

  @property({ attribute: false }) adapter?: PortalAdapter;
  @property({ attribute: false }) session?: PortalSession;
  @property({ reflect: true }) theme: 'light' | 'dark' | 'auto' = 'light';

  /** Everything announced, in order (tests assert on it). */
  readonly announcements: string[] = [];

  @state() private announcement = '';
  /** As the portal's: after a language switch, the live region's last words go. */
  private announcedIn = activeLocale;

  /** The announcer never changes: announcements go to the live region below and to `announcements`. */
  private readonly setContext = provideContext(this, { announcer: { announce: (message: string) => this.announce(message) } });

  announce(message: string): void {
    this.announcements.push(message);
    this.announcement = '';
    void this.updateComplete.then(() => {
      this.announcedIn = activeLocale;
      this.announcement = message;
    });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (this.announcedIn !== activeLocale) this.announcement = '';
    if (changed.has('adapter') || changed.has('session')) this.setContext({ adapter: this.adapter, session: this.session });
    if (changed.has('adapter')) {
      if (this.adapter && !this.session) {
        const adapter = this.adapter;
        adapter.getSession().then(
          (session) => {
            if (this.adapter === adapter && !this.session) this.session = session;
          },
          () => undefined,
        );
      }
    }
  }

  override render() {
    return html`<slot></slot>
      <div class="visually-hidden" role="status">${this.announcement}</div>`;
  }
}

/**
 * Registers `<sso-context-host>` (once). Call it from the story or test that uses it: the
 * package's `sideEffects` list does not cover `stories/`, so a bare import could be dropped.
 */
export function defineContextHost(): void {
  defineElement('sso-context-host', SsoContextHost);
}
defineContextHost();

declare global {
  interface HTMLElementTagNameMap {
    'sso-context-host': SsoContextHost;
  }
}
