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

  @media (forced-colors: active) {
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
