/** Styles shared by the directory section and its setup flow. */
import { css } from 'lit';

export const directoryStyles = css`
  .notice {
    display: grid;
    gap: var(--sso-space-2);
    justify-items: start;
    padding: var(--sso-space-3);
    border-inline-start: 4px solid var(--sso-color-warning);
    border-radius: var(--sso-radius-sm);
    background: var(--sso-color-warning-bg);
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
  .notice p {
    margin: 0;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--sso-space-2);
    align-items: center;
  }
  .stack {
    display: grid;
    gap: var(--sso-space-3);
  }
  .counts {
    display: flex;
    flex-wrap: wrap;
    gap: var(--sso-space-1) var(--sso-space-4);
    margin: 0;
    font-size: var(--sso-font-size-sm);
  }
  .counts div {
    display: flex;
    gap: var(--sso-space-1);
  }
  .counts dt {
    color: var(--sso-color-text-muted);
  }
  .counts dd {
    margin: 0;
  }
  .errors {
    color: var(--sso-color-danger);
  }
  code {
    font-family: var(--sso-font-family-mono);
    font-size: 0.95em;
    overflow-wrap: anywhere;
  }
  h4,
  h5 {
    margin: 0;
    font-size: var(--sso-font-size-md);
  }
`;
