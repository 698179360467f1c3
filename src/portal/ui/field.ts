/**
 * Form fields as templates, not elements: label, control, hint and error live in the same
 * shadow root as the step that renders them, so `aria-describedby` and `for` work.
 */
import { css, html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { msg } from '../localize/msg.js';

export interface TextFieldOptions {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  hint?: unknown;
  /** Shown under the field and tied to it; the control gets `aria-invalid`. */
  error?: string;
  type?: 'text' | 'url' | 'password' | 'search' | 'email';
  multiline?: boolean;
  rows?: number;
  required?: boolean;
  /** The autofill tokens the portal's fields use (lit-analyzer checks them against HTML's list). */
  autocomplete?: 'off' | 'on' | 'new-password' | 'current-password' | 'username' | 'email' | 'url';
  placeholder?: string;
  spellcheck?: boolean;
  mono?: boolean;
}

export function textField(o: TextFieldOptions) {
  const hintId = o.hint ? `${o.id}-hint` : '';
  const errorId = o.error ? `${o.id}-error` : '';
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  const onInput = (e: Event) => o.onInput((e.target as HTMLInputElement | HTMLTextAreaElement).value);
  const classes = `control${o.mono ? ' control--mono' : ''}`;
  return html`<div class="field ${o.error ? 'field--invalid' : ''}">
    <label for=${o.id}>${o.label}${o.required ? html`<span class="required"> ${msg('(required)')}</span>` : nothing}</label>
    ${o.hint ? html`<div class="hint" id=${hintId}>${o.hint}</div>` : nothing}
    ${o.multiline
      ? html`<textarea
          id=${o.id}
          class=${classes}
          rows=${o.rows ?? 6}
          .value=${live(o.value)}
          aria-describedby=${ifDefined(describedBy)}
          aria-invalid=${o.error ? 'true' : 'false'}
          ?required=${o.required}
          spellcheck=${o.spellcheck ? 'true' : 'false'}
          placeholder=${ifDefined(o.placeholder)}
          @input=${onInput}
        ></textarea>`
      : html`<input
          id=${o.id}
          class=${classes}
          type=${o.type ?? 'text'}
          .value=${live(o.value)}
          aria-describedby=${ifDefined(describedBy)}
          aria-invalid=${o.error ? 'true' : 'false'}
          ?required=${o.required}
          autocomplete=${ifDefined(o.autocomplete)}
          spellcheck=${o.spellcheck ? 'true' : 'false'}
          placeholder=${ifDefined(o.placeholder)}
          @input=${onInput}
        />`}
    ${o.error ? html`<p class="error" id=${errorId}><span aria-hidden="true">⚠ </span>${o.error}</p>` : nothing}
  </div>`;
}

/**
 * A button that changes role while its work runs (Read metadata → Cancel): one element, so
 * keyboard focus stays on it; its colours switch without a transition (`.button--switch`).
 */
export function switchButton(o: { busy: boolean; label: string; busyLabel: string; onStart: () => unknown; onCancel: () => unknown; primary?: boolean }) {
  const classes = o.primary && !o.busy ? 'button button--primary button--switch' : 'button button--switch';
  return html`<button class=${classes} type="button" @click=${o.busy ? o.onCancel : o.onStart}>${o.busy ? o.busyLabel : o.label}</button>`;
}

/** Renders `text` with `**UI labels**` in bold; never interprets HTML. */
export function richText(text: string) {
  return text.split(/(\*\*[^*]+\*\*)/g).map((part) => (part.startsWith('**') && part.endsWith('**') && part.length > 4 ? html`<strong>${part.slice(2, -2)}</strong>` : part));
}

export const fieldStyles = css`
  .field {
    display: grid;
    gap: var(--sso-space-1);
  }
  label,
  legend {
    font-weight: var(--sso-font-weight-strong);
  }
  .required {
    font-weight: normal;
    color: var(--sso-color-text-muted);
  }
  .hint {
    font-size: var(--sso-font-size-sm);
    color: var(--sso-color-text-muted);
  }
  .control {
    width: 100%;
    min-height: 2.5rem;
    padding: var(--sso-space-2) var(--sso-space-3);
    border: 1px solid var(--sso-color-border);
    border-radius: var(--sso-radius-md);
    background: var(--sso-color-bg);
    color: var(--sso-color-text);
    font: inherit;
  }
  .control--mono,
  textarea.control {
    font-family: var(--sso-font-family-mono);
    font-size: var(--sso-font-size-sm);
  }
  /* Values (URLs, IDs, XML, certificates) read left to right in a right-to-left page too. */
  .control--mono,
  textarea.control,
  [type='url'],
  [type='email'] {
    direction: ltr;
  }
  .control:hover {
    border-color: var(--sso-color-text-muted);
  }
  .field--invalid .control {
    border-color: var(--sso-color-danger);
    border-width: 2px;
  }
  .error {
    margin: 0;
    font-size: var(--sso-font-size-sm);
    color: var(--sso-color-danger);
  }
  fieldset {
    margin: 0;
    padding: 0;
    border: 0;
    min-width: 0;
  }
  @media (forced-colors: active) {
    .field--invalid .control {
      border-color: Mark;
    }
  }
`;
