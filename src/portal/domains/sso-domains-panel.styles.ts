import { css } from 'lit';

export const domainsPanelStyles = css`
  :host {
    display: grid;
    gap: var(--sso-space-4);
    min-width: 0;
    container-type: inline-size;
  }
  h3 {
    font-size: var(--sso-font-size-md);
  }
  h4 {
    margin: 0;
    font-size: var(--sso-font-size-md);
    /* Domain names wrap after their dots (domainText); a label breaks only if it alone is too wide. */
    overflow-wrap: break-word;
    min-width: 0;
  }
  .lead {
    color: var(--sso-color-text-muted);
  }
  code {
    font-family: var(--sso-font-family-mono);
    font-size: var(--sso-font-size-sm);
    overflow-wrap: anywhere;
  }
  ul.domains {
    display: grid;
    gap: var(--sso-space-3);
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .domain {
    display: grid;
    gap: var(--sso-space-3);
    min-width: 0;
    padding: var(--sso-space-4);
    border: 1px solid var(--sso-color-border);
    border-radius: var(--sso-radius-lg);
    background: var(--sso-color-surface-raised);
    box-shadow: var(--sso-shadow);
  }
  .domain-head {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--sso-space-2) var(--sso-space-4);
  }
  .title {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--sso-space-2);
    min-width: 0;
  }
  .meta {
    display: flex;
    flex-wrap: wrap;
    gap: var(--sso-space-1) var(--sso-space-4);
    margin: 0;
    padding: 0;
    list-style: none;
    font-size: var(--sso-font-size-sm);
    color: var(--sso-color-text-muted);
  }
  .routing {
    font-size: var(--sso-font-size-sm);
  }
  .routing--active {
    font-weight: var(--sso-font-weight-strong);
  }
  .record {
    display: grid;
    gap: var(--sso-space-3);
    min-width: 0;
    padding: var(--sso-space-4);
    border: 1px solid var(--sso-color-border);
    border-radius: var(--sso-radius-md);
    background: var(--sso-color-surface);
  }
  .record-type {
    font-size: var(--sso-font-size-sm);
  }
  .hint {
    font-size: var(--sso-font-size-sm);
    color: var(--sso-color-text-muted);
  }
  .notice {
    display: grid;
    gap: var(--sso-space-2);
    justify-items: start;
    padding: var(--sso-space-3);
    border-inline-start: 4px solid var(--sso-color-warning);
    border-radius: var(--sso-radius-sm);
    background: var(--sso-color-warning-bg);
    /* anywhere, not break-word: a long DNS name in a message must not set the grid's minimum width. */
    overflow-wrap: anywhere;
  }
  .notice--danger {
    border-color: var(--sso-color-danger);
    background: var(--sso-color-danger-bg);
  }
  .notice--info {
    border-color: var(--sso-color-neutral);
    background: var(--sso-color-neutral-bg);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--sso-space-2);
  }
  .state {
    display: flex;
    align-items: center;
    gap: var(--sso-space-3);
    padding: var(--sso-space-4);
    border: 1px dashed var(--sso-color-border);
    border-radius: var(--sso-radius-lg);
    background: var(--sso-color-surface);
  }
  .empty {
    display: grid;
    gap: var(--sso-space-2);
  }
  form {
    display: grid;
    gap: var(--sso-space-3);
  }
  .add-row {
    display: flex;
    flex-wrap: wrap;
    gap: var(--sso-space-2);
    align-items: end;
  }
  .add-row > .field {
    flex: 1 1 16rem;
    min-width: 0;
  }
  .button--danger {
    border-color: var(--sso-color-danger);
    background: var(--sso-color-danger);
    color: var(--sso-color-bg);
  }
  .button--danger:hover {
    border-color: var(--sso-color-text);
  }
  dialog {
    width: min(32rem, calc(100vw - 2 * var(--sso-space-4)));
    max-width: none;
    padding: var(--sso-space-5);
    border: 1px solid var(--sso-color-border);
    border-radius: var(--sso-radius-lg);
    background: var(--sso-color-surface-raised);
    color: var(--sso-color-text);
    font-family: var(--sso-font-family);
    line-height: var(--sso-line-height);
    box-shadow: var(--sso-shadow);
  }
  dialog::backdrop {
    /* Fades the page in both themes (the backdrop inherits the tokens from the dialog). */
    background: color-mix(in srgb, var(--sso-color-bg, Canvas) 75%, transparent);
  }
  dialog form {
    gap: var(--sso-space-4);
  }
  dialog h4 {
    font-size: var(--sso-font-size-lg);
  }
  .dialog-body {
    display: grid;
    gap: var(--sso-space-2);
  }
  @container (max-width: 30rem) {
    .domain {
      padding: var(--sso-space-3);
    }
    .record {
      padding: var(--sso-space-3);
    }
    .add-row > .button,
    .actions > .button {
      flex: 1 1 auto;
    }
  }
  @media (forced-colors: active) {
    .domain,
    .record,
    .state,
    dialog {
      border-color: CanvasText;
    }
    .notice {
      border: 1px solid CanvasText;
      border-inline-start-width: 4px;
    }
    .button--danger {
      background: ButtonText;
      color: ButtonFace;
      forced-color-adjust: none;
    }
  }
`;
