import { css } from 'lit';

/**
 * A modal `<dialog>` of the portal (`sso-confirm-dialog`, `sso-login-attempts`): its frame, colours
 * and backdrop. An element that needs a wider dialog sets `width` after these.
 */
export const dialogStyles = css`
  dialog {
    width: min(32rem, calc(100vw - 2rem));
    padding: var(--sso-space-5);
    border: 1px solid var(--sso-color-border);
    border-radius: var(--sso-radius-lg);
    background: var(--sso-color-bg);
    color: var(--sso-color-text);
    font-family: var(--sso-font-family);
    line-height: var(--sso-line-height);
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 45%);
  }
`;
