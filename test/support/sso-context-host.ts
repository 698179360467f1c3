/**
 * Stands in for `<sso-admin-portal>` around one of its inner elements, for stories and tests:
 * the `--sso-*` tokens and the `theme` attribute, and the three contexts the shell provides
 * (adapter, session, announcer), with a live region and a record of every announcement.
 *
 * ```html
 * <sso-context-host .adapter=${adapter}><sso-domains-panel></sso-domains-panel></sso-context-host>
 * ```
 * Without a `session`, it reads one from the adapter once.
 */
import { ContextProvider } from '@lit/context';
import { LitElement, css, html, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { PortalAdapter } from '../../src/adapters/portal-adapter.js';
import type { PortalSession } from '../../src/core/model.js';
import { adapterContext, announcerContext, sessionContext, type Announcer } from '../../src/portal/context.js';
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

  private readonly adapterProvider = new ContextProvider(this, { context: adapterContext });
  private readonly sessionProvider = new ContextProvider(this, { context: sessionContext });
  /** Never changes: announcements go to the live region below and to `announcements`. */
  protected readonly announcerProvider = new ContextProvider(this, {
    context: announcerContext,
    initialValue: { announce: (message: string) => this.announce(message) } satisfies Announcer,
  });

  announce(message: string): void {
    this.announcements.push(message);
    this.announcement = '';
    void this.updateComplete.then(() => (this.announcement = message));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('adapter')) {
      this.adapterProvider.setValue(this.adapter);
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
    if (changed.has('session')) this.sessionProvider.setValue(this.session);
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
