import { LitElement, css, html, nothing, svg, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { consumeAnnouncer, type Announcer } from '../context.js';
import { defineElement } from '../define.js';
import { controlStyles, shared } from '../styles/shared.js';
import { copyShortcut, copyText, type ClipboardLike } from './clipboard.js';
import { msg, str } from '../localize/msg.js';

/**
 * Where a copy stands: `idle`; `copying` (the clipboard has not answered yet); `copied` (for
 * `copiedDuration` ms after a copy); `manual` (the clipboard refused: the value is selected and
 * the admin is asked to press Ctrl+C / ⌘C).
 */
export type CopyState = 'idle' | 'copying' | 'copied' | 'manual';

/**
 * Internal: the admin copied a value, or tried to. Bubbles, but is not composed: it stays in
 * the shadow root of the element that renders the copy field.
 */
export class SsoCopyEvent extends Event {
  static readonly eventName = 'sso-copy';
  constructor(
    /** The text that was copied (or selected for a manual copy). */
    readonly value: string,
    /** The field's label. */
    readonly label: string,
    /** `true` when the clipboard took the value; `false` when the admin was asked to copy by hand. */
    readonly ok: boolean,
  ) {
    super(SsoCopyEvent.eventName, { bubbles: true, composed: false });
  }
}

const copyIcon = svg`<svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
  <rect x="5.5" y="5.5" width="8" height="9" rx="1.5" />
  <path d="M10.5 3.5v-1a1 1 0 0 0-1-1h-6a1 1 0 0 0-1 1v8a1 1 0 0 0 1 1h1" />
</svg>`;

const checkIcon = svg`<svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
  <path d="M3 8.5l3.2 3L13 4.5" />
</svg>`;

/**
 * A value the IT admin copies into their identity provider's console (ACS URL, Entity ID,
 * metadata XML): shown in a read-only, selectable, monospace box with a Copy button.
 *
 * Copying goes through `navigator.clipboard`; when it is missing or refuses, the value is
 * selected and the admin is told to press Ctrl+C (⌘C on Apple devices). Outcomes are spoken
 * through the portal's announcer (context.ts); the field has no live region of its own.
 *
 * The host element matches `:state(copied)` while "Copied" shows and `:state(manual-copy)`
 * while the value waits to be copied by hand.
 *
 * @tagname sso-copy-field
 * @summary A labelled value with a Copy button.
 * @fires sso-copy - Internal (not composed): after a copy attempt; `value`, `label`, `ok`.
 * @csspart label - The visible label.
 * @csspart value - The read-only box that shows the value.
 * @csspart copy-button - The Copy button.
 * @csspart hint - The hint under the value.
 */
export class SsoCopyField extends LitElement {
  static override styles = [
    shared,
    controlStyles,
    css`
      .row {
        display: flex;
        flex-wrap: wrap;
        align-items: flex-start;
        gap: var(--sso-space-2);
        min-width: 0;
      }
      .value {
        flex: 1 1 14rem;
        min-width: 0;
        min-height: 2.5rem;
        margin: 0;
        padding: var(--sso-space-2) var(--sso-space-3);
        border: 1px solid;
        border-color: var(--sso-color-border);
        border-radius: var(--sso-radius-md);
        background: var(--sso-color-surface);
        color: var(--sso-color-text);
        font-family: var(--sso-font-family-mono, monospace);
        font-size: var(--sso-font-size-sm);
        line-height: var(--sso-line-height);
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        user-select: text;
        cursor: text;
      }
      .value--multiline {
        flex-basis: 100%;
        max-block-size: 16rem;
        overflow: auto;
      }
      .copy {
        flex: none;
      }
      .copy--copied {
        border-color: var(--sso-color-success);
        color: var(--sso-color-success);
      }
      .icon {
        width: 1rem;
        height: 1rem;
        fill: none;
        stroke: currentColor;
        stroke-width: 1.5;
        stroke-linecap: round;
        stroke-linejoin: round;
      }
      .hint,
      .manual {
        font-size: var(--sso-font-size-sm);
        overflow-wrap: anywhere;
      }
      .manual {
        color: var(--sso-color-text);
        font-weight: var(--sso-font-weight-strong);
      }
      @media (forced-colors: active) {
        .value {
          border-color: CanvasText;
        }
        .copy--copied {
          border-color: Highlight;
        }
      }
    `,
  ];

  /** The visible label: the name of the field in the IdP's console, e.g. "Single sign-on URL". */
  @property() label = '';

  /** The label's language when it is not the page's: a console's field name quoted in English (`en`). */
  @property({ attribute: 'label-lang' }) labelLang?: string;

  /** The value to copy. */
  @property() value = '';

  /** Help under the value, e.g. where it goes in the IdP's console. */
  @property() hint?: string;

  /** Shows the value in a taller, scrollable box that keeps line breaks (certificates, XML). */
  @property({ type: Boolean, reflect: true }) multiline = false;

  /** The clipboard to write to; defaults to `navigator.clipboard`. Tests pass a fake. */
  @property({ attribute: false }) clipboard?: ClipboardLike | null;

  /** How long "Copied" shows after a copy, in milliseconds. */
  @property({ attribute: false }) copiedDuration = 2000;

  /** Speaks messages through the portal's live region; the portal provides it (context.ts). */
  @property({ attribute: false })
  announcer?: Announcer;

  constructor() {
    super();
    consumeAnnouncer(this);
  }

  @state() private current: CopyState = 'idle';

  private readonly internals = this.attachInternals();
  private resetTimer?: ReturnType<typeof setTimeout>;
  private copyRun = 0;

  /** Where the last copy stands (see `CopyState`). */
  get copyState(): CopyState {
    return this.current;
  }

  /** Copies the value, as the Copy button does. Resolves with `true` when the clipboard took it. */
  async copy(): Promise<boolean> {
    const run = ++this.copyRun;
    const { value, label } = this;
    this.setCopyState('copying');
    const result = await copyText(value, this.clipboard === undefined ? {} : { clipboard: this.clipboard });
    if (run !== this.copyRun) return result.ok;
    if (result.ok) {
      this.showCopied();
      this.announce(label ? msg(str`Copied ${label}`) : msg('Copied'));
    } else {
      this.setCopyState('manual');
      await this.updateComplete;
      this.selectValue();
      this.announce(msg(str`Press ${copyShortcut()} to copy`));
    }
    this.dispatchEvent(new SsoCopyEvent(value, label, result.ok));
    return result.ok;
  }

  /** Focuses the value and selects its text, so that Ctrl+C / ⌘C copies it. */
  selectValue(): void {
    const box = this.renderRoot.querySelector<HTMLElement>('#value');
    if (!box) return;
    box.focus();
    const selection = getSelection();
    if (!selection) return;
    const range = document.createRange();
    range.selectNodeContents(box);
    selection.removeAllRanges();
    selection.addRange(range);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.resetTimer);
    if (this.current !== 'idle') this.setCopyState('idle');
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // "Copied" is about the value that was copied, not a new one.
    if (changed.has('value') && changed.get('value') !== undefined && this.current !== 'idle') {
      this.copyRun++;
      this.setCopyState('idle');
    }
  }

  override render() {
    const copied = this.current === 'copied';
    const manual = this.current === 'manual';
    const describedBy = [this.hint ? 'hint' : '', manual ? 'manual' : ''].filter(Boolean).join(' ');
    return html`<div class="field">
      <span class="label" id="label" part="label" lang=${this.labelLang ?? nothing} dir="auto">${this.label}</span>
      <div class="row">
        <div
          id="value"
          part="value"
          class=${this.multiline ? 'value value--multiline' : 'value'}
          role="textbox"
          aria-readonly="true"
          aria-multiline=${this.multiline ? 'true' : 'false'}
          aria-labelledby="label"
          aria-describedby=${describedBy || nothing}
          tabindex="0"
          dir="ltr"
          translate="no"
          @copy=${this.onNativeCopy}
        >${this.value}</div>
        <button
          part="copy-button"
          class=${copied ? 'button copy copy--copied' : 'button copy'}
          type="button"
          ?disabled=${!this.value}
          aria-labelledby="action label"
          @click=${this.onCopyClick}
        >
          ${copied ? checkIcon : copyIcon}<span id="action">${copied ? msg('Copied') : msg('Copy')}</span>
        </button>
      </div>
      ${this.hint ? html`<p id="hint" part="hint" class="hint muted">${this.hint}</p>` : nothing}
      ${manual ? html`<p id="manual" class="manual">${msg(str`Selected: press ${copyShortcut()} to copy.`)}</p>` : nothing}
    </div>`;
  }

  private onCopyClick(): void {
    void this.copy();
  }

  /** The admin copied the selected value by hand after the clipboard refused. */
  private onNativeCopy(): void {
    if (this.current !== 'manual') return;
    this.showCopied();
    this.announce(this.label ? msg(str`Copied ${this.label}`) : msg('Copied'));
  }

  private showCopied(): void {
    this.setCopyState('copied');
    this.resetTimer = setTimeout(() => {
      if (this.current === 'copied') this.setCopyState('idle');
    }, this.copiedDuration);
  }

  private setCopyState(next: CopyState): void {
    clearTimeout(this.resetTimer);
    this.current = next;
    setCustomState(this.internals, 'copied', next === 'copied');
    setCustomState(this.internals, 'manual-copy', next === 'manual');
  }

  private announce(message: string): void {
    this.announcer?.announce(message);
  }
}

/** Adds or removes a custom state (`:state(name)`); a no-op where CustomStateSet is missing. */
function setCustomState(internals: ElementInternals, name: string, on: boolean): void {
  try {
    if (on) internals.states.add(name);
    else internals.states.delete(name);
  } catch {
    // Older browsers: no CustomStateSet, or only `--name` states. The `copyState` property still tells.
  }
}

defineElement('sso-copy-field', SsoCopyField);

declare global {
  interface HTMLElementTagNameMap {
    'sso-copy-field': SsoCopyField;
  }
  interface HTMLElementEventMap {
    'sso-copy': SsoCopyEvent;
  }
}
