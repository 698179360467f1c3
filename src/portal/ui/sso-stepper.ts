import { LitElement, css, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { defineElement } from '../define.js';
import { exportParts } from '../parts.js';
import { shared } from '../styles/shared.js';
import { msg } from '../localize/msg.js';

export interface StepperStep {
  id: string;
  label: string;
}

/**
 * Where the admin is in a sequence of steps. The current step carries `aria-current="step"`;
 * done steps say so in text, not only with a check mark.
 *
 * It is a size container: where the steps do not fit on one line (below 50rem, e.g. a phone or a narrow column),
 * it shows "Step 3 of 6 · Configure" with a progress bar instead of the list.
 *
 * @tagname sso-stepper
 * @summary Progress through the setup steps.
 * @csspart list - The ordered list of steps.
 * @csspart step - One step.
 * @csspart compact - The narrow form: "Step 3 of 6 · Configure" and a progress bar.
 */
export class SsoStepper extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
        container-type: inline-size;
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
      li.done[aria-current='step']::before {
        border-color: var(--sso-color-success);
        background: var(--sso-color-success);
      }
      .compact {
        display: none;
        gap: var(--sso-space-2);
        font-size: var(--sso-font-size-sm);
      }
      .compact p {
        margin: 0;
      }
      .compact strong {
        font-weight: var(--sso-font-weight-strong);
      }
      progress {
        display: block;
        width: 100%;
        height: 0.5rem;
        border: 1px solid var(--sso-color-border);
        border-radius: 999px;
        overflow: hidden;
        appearance: none;
        background: var(--sso-color-neutral-bg);
        color: var(--sso-color-accent);
      }
      progress::-webkit-progress-bar {
        background: var(--sso-color-neutral-bg);
      }
      progress::-webkit-progress-value {
        background: var(--sso-color-accent);
      }
      progress::-moz-progress-bar {
        background: var(--sso-color-accent);
      }
      /* Six steps do not fit on one line: one line of text and a bar instead of ragged rows. */
      @container (max-width: 50rem) {
        ol {
          display: none;
        }
        .compact {
          display: grid;
        }
      }
      @media (forced-colors: active) {
        li[aria-current='step']::before {
          forced-color-adjust: none;
          background: Highlight;
          color: HighlightText;
        }
        progress {
          border-color: CanvasText;
        }
      }
    `,
  ];

  @property({ attribute: false }) steps: StepperStep[] = [];

  /** The id of the current step. */
  @property() current = '';

  /** Every step is done, the current one included (the last step was completed). */
  @property({ type: Boolean }) complete = false;

  /** Accessible name of the list (unset: "Setup steps"). */
  @property() label?: string;

  override connectedCallback(): void {
    super.connectedCallback();
    exportParts(this, 'stepper', 'list step compact');
  }

  override render() {
    const currentIndex = this.steps.findIndex((s) => s.id === this.current);
    const isDone = (i: number) => i < currentIndex || (this.complete && i === currentIndex);
    const current = this.steps[currentIndex];
    return html`<ol part="list" aria-label=${this.label ?? msg('Setup steps')}>
        ${this.steps.map((step, i) => {
          const done = isDone(i);
          return html`<li part="step" class=${done ? 'done' : ''} aria-current=${i === currentIndex ? 'step' : 'false'}>
            ${step.label}${done ? html`<span class="visually-hidden"> ${msg('(done)')}</span>` : ''}
          </li>`;
        })}
      </ol>
      ${current
        ? html`<div class="compact" part="compact">
            <p>
              ${msg(html`Step ${currentIndex + 1} of ${this.steps.length} · <strong>${current.label}</strong>`)}${this.complete ? html` <span>${msg('(done)')}</span>` : nothing}
            </p>
            <progress max=${this.steps.length} .value=${currentIndex + (this.complete ? 1 : 0.5)} aria-hidden="true"></progress>
          </div>`
        : nothing}`;
  }
}

defineElement('sso-stepper', SsoStepper);

declare global {
  interface HTMLElementTagNameMap {
    'sso-stepper': SsoStepper;
  }
}
