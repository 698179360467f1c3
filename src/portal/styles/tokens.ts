/**
 * Design tokens. Every colour, space, radius and font the portal uses is a `--sso-*` custom
 * property with a default on `:host`; hosts theme the portal by setting them on the element
 * (`sso-admin-portal { --sso-color-accent: #0a7d32 }`). Colours use `light-dark()`, so the
 * `theme` attribute only switches `color-scheme`.
 */
import { css } from 'lit';

export const tokens = css`
  :host {
    color-scheme: light;

    --sso-color-bg: light-dark(#ffffff, #111318);
    --sso-color-surface: light-dark(#f6f7f9, #1a1d24);
    --sso-color-surface-raised: light-dark(#ffffff, #20242d);
    --sso-color-text: light-dark(#1b1e24, #e9ebf0);
    --sso-color-text-muted: light-dark(#555b69, #a9afbd);
    --sso-color-border: light-dark(#cfd3db, #3a404c);
    --sso-color-accent: light-dark(#4338ca, #a5b4fc);
    --sso-color-on-accent: light-dark(#ffffff, #14161c);
    --sso-color-focus: light-dark(#1d4ed8, #93c5fd);
    --sso-color-success: light-dark(#166534, #86efac);
    --sso-color-success-bg: light-dark(#dcfce7, #0c2e1a);
    --sso-color-warning: light-dark(#8a3b0b, #fcd34d);
    --sso-color-warning-bg: light-dark(#fef3c7, #33270a);
    --sso-color-danger: light-dark(#b42318, #fca5a5);
    --sso-color-danger-bg: light-dark(#fee4e2, #3a1313);
    --sso-color-neutral: light-dark(#3f4451, #d0d4dc);
    --sso-color-neutral-bg: light-dark(#eceef2, #2a2e38);

    --sso-space-1: 0.25rem;
    --sso-space-2: 0.5rem;
    --sso-space-3: 0.75rem;
    --sso-space-4: 1rem;
    --sso-space-5: 1.5rem;
    --sso-space-6: 2rem;

    --sso-radius-sm: 4px;
    --sso-radius-md: 8px;
    --sso-radius-lg: 12px;
    --sso-radius-pill: 999px;

    --sso-font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
    --sso-font-family-mono: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
    --sso-font-size-sm: 0.875rem;
    --sso-font-size-md: 1rem;
    --sso-font-size-lg: 1.25rem;
    --sso-font-size-xl: 1.5rem;
    --sso-font-weight-strong: 600;
    --sso-line-height: 1.5;

    --sso-shadow: 0 1px 2px light-dark(rgb(16 24 40 / 8%), rgb(0 0 0 / 40%));
    --sso-transition: 120ms ease-out;
  }

  :host([theme='dark']) {
    color-scheme: dark;
  }

  :host([theme='auto']) {
    color-scheme: light dark;
  }

  @media (prefers-reduced-motion: reduce) {
    :host {
      --sso-transition: 0s;
    }
  }
`;
