import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { defineElement } from '../define.js';
import { shared } from '../styles/shared.js';
import { msg } from '../localize/msg.js';

export interface ActionMenuItem {
  /** What `SsoMenuSelectEvent.item` carries. */
  id: string;
  label: string;
  /** `danger`: an action that removes or stops something, shown as such. */
  tone?: 'danger';
}

/** The admin chose an item of an `<sso-action-menu>`. Fired on the element; does not bubble. */
export class SsoMenuSelectEvent extends Event {
  static readonly eventName = 'sso-menu-select';
  constructor(readonly item: string) {
    super(SsoMenuSelectEvent.eventName);
  }
}

declare global {
  interface HTMLElementEventMap {
    'sso-menu-select': SsoMenuSelectEvent;
  }
}

/**
 * A button that opens a short menu of secondary actions (the WAI-ARIA menu button pattern):
 * the button has `aria-haspopup="menu"` and `aria-expanded`; Enter, Space or Arrow Down open
 * the menu on its first item, Arrow Up on its last; in the menu, the arrows, Home and End move,
 * Enter or Space choose, Escape closes and returns focus to the button, Tab closes and moves on.
 * A click outside closes it. Choosing an item returns focus to the button, then fires
 * `sso-menu-select` (so a confirmation dialog it opens returns focus to the button too).
 *
 * @tagname sso-action-menu
 * @summary A menu of secondary actions.
 * @fires sso-menu-select - The admin chose an item: `event.item` is its id.
 * @csspart button - The button that opens the menu.
 * @csspart menu - The menu.
 */
export class SsoActionMenu extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        position: relative;
        display: inline-block;
      }
      [role='menu'] {
        position: absolute;
        inset-block-start: calc(100% + var(--sso-space-1));
        inset-inline-end: 0;
        z-index: 10;
        display: grid;
        min-width: 11rem;
        margin: 0;
        padding: var(--sso-space-1);
        border: 1px solid var(--sso-color-border);
        border-radius: var(--sso-radius-md);
        background: var(--sso-color-surface-raised);
        box-shadow: var(--sso-shadow);
        list-style: none;
      }
      [role='menu'][hidden] {
        display: none;
      }
      [role='menuitem'] {
        display: block;
        width: 100%;
        padding: var(--sso-space-2) var(--sso-space-3);
        border: 0;
        border-radius: var(--sso-radius-sm);
        background: transparent;
        color: var(--sso-color-text);
        font: inherit;
        text-align: start;
        white-space: nowrap;
        cursor: pointer;
      }
      [role='menuitem']:hover,
      [role='menuitem']:focus-visible {
        background: var(--sso-color-neutral-bg);
      }
      [role='menuitem'].danger {
        color: var(--sso-color-danger);
      }
      .caret {
        margin-inline-start: var(--sso-space-1);
        font-size: 0.75em;
      }
      @media (forced-colors: active) {
        [role='menu'] {
          border-color: CanvasText;
        }
        [role='menuitem']:focus-visible {
          outline: 2px solid Highlight;
        }
      }
    `,
  ];

  /** The button's visible text (unset: "More", named "More actions for …"). */
  @property() label?: string;

  /** Added to the button's and items' accessible names (e.g. the connection's name), not shown. */
  @property() context = '';

  @property({ attribute: false }) items: ActionMenuItem[] = [];

  @state() private open = false;

  /** Which item to focus once the menu is rendered open. */
  private focusOnOpen: 'first' | 'last' | null = null;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('pointerdown', this.onOutsidePointer, true);
  }

  override render() {
    const context = this.context ? html`<span class="visually-hidden"> ${this.context}</span>` : nothing;
    return html`<button
        class="button"
        part="button"
        id="menu-button"
        type="button"
        aria-haspopup="menu"
        aria-expanded=${this.open ? 'true' : 'false'}
        aria-controls="menu"
        @click=${this.toggle}
        @keydown=${this.onButtonKey}
      >
        ${this.label ? html`${this.label}${context}` : this.context ? msg(html`More<span class="visually-hidden"> actions for ${this.context}</span>`) : msg(html`More<span class="visually-hidden"> actions</span>`)}<span class="caret" aria-hidden="true">▾</span>
      </button>
      <ul id="menu" part="menu" role="menu" aria-labelledby="menu-button" ?hidden=${!this.open} @keydown=${this.onMenuKey} @focusout=${this.onFocusOut}>
        ${this.items.map(
          (item) => html`<li role="none">
            <button role="menuitem" type="button" tabindex="-1" class=${item.tone === 'danger' ? 'danger' : ''} data-item=${item.id} @click=${() => this.choose(item)}>
              ${item.label}${context}
            </button>
          </li>`,
        )}
      </ul>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('open' as keyof SsoActionMenu)) {
      if (this.open) document.addEventListener('pointerdown', this.onOutsidePointer, true);
      else document.removeEventListener('pointerdown', this.onOutsidePointer, true);
    }
    if (this.open && this.focusOnOpen) {
      const items = this.menuItems();
      (this.focusOnOpen === 'first' ? items[0] : items.at(-1))?.focus();
      this.focusOnOpen = null;
    }
  }

  private menuItems(): HTMLButtonElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLButtonElement>('[role="menuitem"]')];
  }

  private get button(): HTMLButtonElement | null {
    return this.renderRoot.querySelector('#menu-button');
  }

  /** Opens the menu with focus on its first (or last) item. */
  show(focus: 'first' | 'last' = 'first'): void {
    this.focusOnOpen = focus;
    this.open = true;
  }

  /** Closes the menu; `returnFocus` puts focus back on the button. */
  close(returnFocus = false): void {
    if (!this.open) return;
    this.open = false;
    if (returnFocus) this.button?.focus();
  }

  private toggle(): void {
    if (this.open) this.close(true);
    else this.show('first');
  }

  private onButtonKey(event: KeyboardEvent): void {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      this.show(event.key === 'ArrowDown' ? 'first' : 'last');
    }
  }

  private onMenuKey(event: KeyboardEvent): void {
    const items = this.menuItems();
    const index = items.indexOf((this.renderRoot as ShadowRoot).activeElement as HTMLButtonElement);
    const move = (to: number) => {
      event.preventDefault();
      items[(to + items.length) % items.length]?.focus();
    };
    switch (event.key) {
      case 'ArrowDown':
        return move(index + 1);
      case 'ArrowUp':
        return move(index - 1);
      case 'Home':
        return move(0);
      case 'End':
        return move(items.length - 1);
      case 'Escape':
        event.preventDefault();
        event.stopPropagation();
        return this.close(true);
      case 'Tab':
        // Back on the button first: the Tab then moves on from there, as if the menu were not there.
        return this.close(true);
    }
  }

  private onFocusOut = (event: FocusEvent): void => {
    const next = event.relatedTarget as Node | null;
    if (next && this.renderRoot.contains(next)) return;
    if (next === null) return; // focus went nowhere (a click on the menu's padding): stay open
    this.close(false);
  };

  private onOutsidePointer = (event: PointerEvent): void => {
    if (!event.composedPath().includes(this)) this.close(false);
  };

  private choose(item: ActionMenuItem): void {
    this.close(true);
    this.dispatchEvent(new SsoMenuSelectEvent(item.id));
  }
}

defineElement('sso-action-menu', SsoActionMenu);

declare global {
  interface HTMLElementTagNameMap {
    'sso-action-menu': SsoActionMenu;
  }
}
