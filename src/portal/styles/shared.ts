/** Styles every portal element adopts: box model, focus ring, buttons, visually-hidden text. */
import { css } from 'lit';

export const shared = css`
  :host {
    box-sizing: border-box;
  }

  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  :host([hidden]) {
    display: none !important;
  }

  h2,
  h3,
  h4,
  h5,
  p {
    margin: 0;
  }

  :focus-visible {
    outline: 2px solid var(--sso-color-focus);
    outline-offset: 2px;
  }

  [tabindex='-1']:focus {
    outline: none;
  }

  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }

  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: var(--sso-space-2);
    min-height: 2.5rem;
    min-width: 2.5rem;
    padding: var(--sso-space-2) var(--sso-space-4);
    border: 1px solid var(--sso-color-border);
    border-radius: var(--sso-radius-md);
    background: var(--sso-color-surface-raised);
    color: var(--sso-color-text);
    font: inherit;
    font-weight: var(--sso-font-weight-strong);
    cursor: pointer;
    transition: background-color var(--sso-transition), border-color var(--sso-transition);
  }

  .button:hover {
    border-color: var(--sso-color-text-muted);
  }

  /* A button that changes role in place (Read metadata / Cancel): its colours switch at once,
     never through a half-way state with too little contrast. */
  .button--switch {
    transition: none;
  }

  .button--primary {
    border-color: var(--sso-color-accent);
    background: var(--sso-color-accent);
    color: var(--sso-color-on-accent);
  }

  .button--primary:hover {
    border-color: var(--sso-color-text);
  }

  .button[disabled],
  .button[aria-disabled='true'] {
    cursor: not-allowed;
    opacity: 0.6;
  }

  .muted {
    color: var(--sso-color-text-muted);
  }

  /* Codes and values keep their order inside right-to-left text (and do not reorder it). */
  code {
    direction: ltr;
    unicode-bidi: isolate;
  }

  /* A busy indicator; always next to text that says what is going on. */
  .spinner {
    display: inline-block;
    width: 1.25rem;
    height: 1.25rem;
    flex: none;
    border: 2px solid var(--sso-color-border);
    border-top-color: var(--sso-color-accent);
    border-radius: 50%;
    vertical-align: middle;
    animation: sso-spin 0.8s linear infinite;
  }

  @keyframes sso-spin {
    to {
      transform: rotate(360deg);
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation-duration: 2.4s;
    }
  }

  /* A raised box of related details (a certificate, a remedy). */
  .card {
    display: grid;
    gap: var(--sso-space-2);
    padding: var(--sso-space-3);
    border: 1px solid var(--sso-color-border);
    border-radius: var(--sso-radius-md);
    background: var(--sso-color-surface-raised);
  }

  /* A radio or checkbox choice shown as a card: <label class="option"><input>…</label>. */
  .option {
    display: flex;
    align-items: center;
    gap: var(--sso-space-2) var(--sso-space-3);
    padding: var(--sso-space-2) var(--sso-space-3);
    border: 1px solid var(--sso-color-border);
    border-radius: var(--sso-radius-md);
    background: var(--sso-color-surface-raised);
    font-weight: normal;
    cursor: pointer;
  }
  .option:has(input:checked) {
    border-color: var(--sso-color-accent);
    box-shadow: inset 0 0 0 1px var(--sso-color-accent);
  }
  .option:has(input:focus-visible) {
    outline: 2px solid var(--sso-color-focus);
    outline-offset: 2px;
  }
  .option input {
    margin: 0;
    accent-color: var(--sso-color-accent);
  }
  .option small {
    display: block;
    color: var(--sso-color-text-muted);
  }

  @media (forced-colors: active) {
    .option:has(input:checked) {
      border: 2px solid Highlight;
    }
    .spinner {
      border-color: CanvasText;
      border-top-color: Highlight;
    }
    .button {
      border-color: ButtonText;
    }
    .button--primary {
      background: ButtonText;
      color: ButtonFace;
      forced-color-adjust: none;
    }
  }
`;

/** A top-level view of the portal (overview, wizard): its header row with the h2 and actions. */
export const viewStyles = css`
  :host {
    display: block;
  }
  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--sso-space-3);
    margin-block-end: var(--sso-space-4);
  }
  h2 {
    font-size: var(--sso-font-size-lg);
  }
`;

/** A labelled control element (copy field, file drop): block host, label over the control. */
export const controlStyles = css`
  :host {
    display: block;
    min-width: 0;
  }
  .field {
    display: grid;
    gap: var(--sso-space-1);
    min-width: 0;
  }
  .label {
    font-weight: var(--sso-font-weight-strong);
    font-size: var(--sso-font-size-sm);
    overflow-wrap: anywhere;
  }
`;
