import { LitElement, css, html } from 'lit';
import { property } from 'lit/decorators.js';
import { defineElement } from '../define.js';
import { shared } from '../styles/shared.js';

export interface StepperStep {
  id: string;
  label: string;
}

/**
 * Where the admin is in a sequence of steps. The current step carries `aria-current="step"`;
 * done steps say so in text, not only with a check mark.
 *
 * @tagname sso-stepper
 * @summary Progress through the setup steps.
 * @csspart list - The ordered list of steps.
 * @csspart step - One step.
 */
export class SsoStepper extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
      }
      ol {
        display: flex;
        flex-wrap: wrap;
        gap: var(--sso-space-2) var(--sso-space-4);
        margin: 0;
        padding: 0;
        list-style: none;
        counter-reset: step;
        font-size: var(--sso-font-size-sm);
      }
      li {
        display: flex;
        align-items: center;
        gap: var(--sso-space-2);
        color: var(--sso-color-text-muted);
        counter-increment: step;
      }
      li::before {
        content: counter(step);
        display: inline-grid;
        place-items: center;
        width: 1.5rem;
        height: 1.5rem;
        border: 1px solid currentColor;
        border-radius: 50%;
        font-size: 0.75rem;
      }
      li.done::before {
        content: '✓';
      }
      li[aria-current='step'] {
        color: var(--sso-color-text);
        font-weight: var(--sso-font-weight-strong);
      }
      li[aria-current='step']::before {
        border-color: var(--sso-color-accent);
        background: var(--sso-color-accent);
        color: var(--sso-color-on-accent);
      }
      @media (forced-colors: active) {
        li[aria-current='step']::before {
          forced-color-adjust: none;
          background: Highlight;
          color: HighlightText;
        }
      }
    `,
  ];

  @property({ attribute: false }) steps: StepperStep[] = [];

  /** The id of the current step. */
  @property() current = '';

  /** Accessible name of the list. */
  @property() label = 'Setup steps';

  override render() {
    const currentIndex = this.steps.findIndex((s) => s.id === this.current);
    return html`<ol part="list" aria-label=${this.label}>
      ${this.steps.map((step, i) => {
        const done = i < currentIndex;
        return html`<li part="step" class=${done ? 'done' : ''} aria-current=${i === currentIndex ? 'step' : 'false'}>
          ${step.label}${done ? html`<span class="visually-hidden"> (done)</span>` : ''}
        </li>`;
      })}
    </ol>`;
  }
}

defineElement('sso-stepper', SsoStepper);

declare global {
  interface HTMLElementTagNameMap {
    'sso-stepper': SsoStepper;
  }
}
