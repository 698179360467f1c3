import { LitElement, css, html } from 'lit';
import { property } from 'lit/decorators.js';
import type { ConnectionStatus, DomainStatus, TestStatus } from '../../core/model.js';
import { defineElement } from '../define.js';
import { shared } from '../styles/shared.js';
import { msg } from '../localize/msg.js';

export type BadgeStatus = ConnectionStatus | DomainStatus | TestStatus;

type Tone = 'success' | 'warning' | 'danger' | 'neutral' | 'info';

/** Built at render time: the labels are in the language shown then. */
const BADGES = (): Record<BadgeStatus, { label: string; tone: Tone }> => ({
  draft: { label: msg('Draft'), tone: 'neutral' },
  configured: { label: msg('Not active'), tone: 'warning' },
  active: { label: msg('Active'), tone: 'success' },
  inactive: { label: msg('Turned off'), tone: 'neutral' },
  pending: { label: msg('Pending'), tone: 'info' },
  verified: { label: msg('Verified'), tone: 'success' },
  failed: { label: msg('Not verified'), tone: 'danger' },
  success: { label: msg('Passed'), tone: 'success' },
  failure: { label: msg('Failed'), tone: 'danger' },
});

/**
 * A status shown as text with a coloured dot; the text carries the meaning, never the colour alone.
 *
 * @tagname sso-status-badge
 * @summary Status of a connection, domain or test.
 * @csspart badge - The badge.
 */
export class SsoStatusBadge extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: inline-flex;
      }
      .badge {
        display: inline-flex;
        align-items: center;
        gap: var(--sso-space-1);
        padding: 0.125rem var(--sso-space-2);
        border-radius: var(--sso-radius-pill);
        font-size: var(--sso-font-size-sm);
        font-weight: var(--sso-font-weight-strong);
        line-height: 1.4;
        white-space: nowrap;
        color: var(--_fg);
        background: var(--_bg);
      }
      .dot {
        width: 0.5rem;
        height: 0.5rem;
        border-radius: 50%;
        background: currentColor;
      }
      .badge--success {
        --_fg: var(--sso-color-success);
        --_bg: var(--sso-color-success-bg);
      }
      .badge--warning {
        --_fg: var(--sso-color-warning);
        --_bg: var(--sso-color-warning-bg);
      }
      .badge--danger {
        --_fg: var(--sso-color-danger);
        --_bg: var(--sso-color-danger-bg);
      }
      .badge--neutral,
      .badge--info {
        --_fg: var(--sso-color-neutral);
        --_bg: var(--sso-color-neutral-bg);
      }
      .badge--info .dot {
        background: transparent;
        border: 2px solid currentColor;
      }
      @media (forced-colors: active) {
        .badge {
          border: 1px solid CanvasText;
        }
      }
    `,
  ];

  /** The status to show. */
  @property({ reflect: true }) status: BadgeStatus = 'draft';

  /** Overrides the default label of the status. */
  @property() label?: string;

  override render() {
    const badges = BADGES();
    const badge = badges[this.status] ?? badges.draft;
    return html`<span part="badge" class="badge badge--${badge.tone}"
      ><span class="dot" aria-hidden="true"></span>${this.label ?? badge.label}</span
    >`;
  }
}

defineElement('sso-status-badge', SsoStatusBadge);

declare global {
  interface HTMLElementTagNameMap {
    'sso-status-badge': SsoStatusBadge;
  }
}
