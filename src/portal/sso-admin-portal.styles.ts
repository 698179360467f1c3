import { css } from 'lit';

export const portalStyles = css`
  :host {
    display: block;
    container-type: inline-size;
    min-width: 0;
    font-family: var(--sso-font-family);
    font-size: var(--sso-font-size-md);
    line-height: var(--sso-line-height);
    color: var(--sso-color-text);
    background: var(--sso-color-bg);
  }

  .portal {
    display: grid;
    gap: var(--sso-space-4);
    padding: var(--sso-space-5);
  }

  @container (max-width: 30rem) {
    .portal {
      padding: var(--sso-space-3);
    }
  }

  .brand {
    display: flex;
    align-items: center;
    gap: var(--sso-space-3);
  }

  .brand img {
    max-height: 2rem;
    max-width: 10rem;
    object-fit: contain;
  }

  .state {
    display: grid;
    justify-items: start;
    gap: var(--sso-space-3);
    padding: var(--sso-space-5);
    border: 1px solid var(--sso-color-border);
    border-radius: var(--sso-radius-lg);
    background: var(--sso-color-surface);
  }

  .state h2 {
    font-size: var(--sso-font-size-lg);
  }

  .state--error {
    border-color: var(--sso-color-danger);
    border-inline-start-width: 4px;
  }

  .state--expired {
    border-color: var(--sso-color-warning);
    border-inline-start-width: 4px;
  }

  .state--loading {
    grid-auto-flow: column;
    justify-content: start;
    align-items: center;
  }




  code {
    font-family: var(--sso-font-family-mono);
    font-size: var(--sso-font-size-sm);
  }
`;
