import { LitElement, css, html } from 'lit';
import { property } from 'lit/decorators.js';
import type { Connection } from '../../core/model.js';
import { providerName } from '../../core/providers/catalog.js';
import { OVERVIEW, WIZARD_STEP_LABELS, WIZARD_STEPS, type WizardStep } from '../../core/wizard.js';
import { defineElement } from '../define.js';
import { SsoNavigateEvent } from '../navigate-event.js';
import { shared, viewStyles } from '../styles/shared.js';
import '../ui/sso-stepper.js';

const STEPPER_STEPS = WIZARD_STEPS.map((id) => ({ id, label: WIZARD_STEP_LABELS[id] }));

/**
 * The setup wizard's frame: heading, progress, the current step, and the way back to the
 * overview. Each step is its own element, rendered by `renderStep`.
 *
 * @tagname sso-wizard
 * @summary Setup wizard.
 * @csspart heading - The wizard's heading.
 * @csspart stepper - The progress through the steps.
 * @csspart step - The current step's content.
 */
export class SsoWizard extends LitElement {
  static override styles = [
    shared,
    viewStyles,
    css`
      sso-stepper {
        margin-block-end: var(--sso-space-5);
      }
      .step {
        display: grid;
        gap: var(--sso-space-3);
        padding: var(--sso-space-5);
        border: 1px solid var(--sso-color-border);
        border-radius: var(--sso-radius-lg);
        background: var(--sso-color-surface-raised);
      }
      h3 {
        font-size: var(--sso-font-size-md);
      }
    `,
  ];

  @property() step: WizardStep = 'provider';

  /** The connection being edited; unset for a new one. */
  @property({ attribute: false }) connection?: Connection;

  focusHeading(): void {
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  override render() {
    const heading = this.connection
      ? `Edit ${this.connection.name ?? providerName(this.connection.providerId)} connection`
      : 'Set up a new SSO connection';
    return html`
      <div class="header">
        <h2 part="heading" tabindex="-1">${heading}</h2>
        <button class="button" type="button" @click=${this.backToOverview}>Back to connections</button>
      </div>
      <sso-stepper part="stepper" .steps=${STEPPER_STEPS} current=${this.step}></sso-stepper>
      <section class="step" part="step" aria-labelledby="step-heading">${this.renderStep()}</section>
    `;
  }

  /** The current step's content. Step elements plug in here. */
  protected renderStep() {
    return html`<h3 id="step-heading">${WIZARD_STEP_LABELS[this.step]}</h3>
      <p class="muted">This step is not available in this version of the portal.</p>`;
  }

  private backToOverview(): void {
    this.dispatchEvent(new SsoNavigateEvent(OVERVIEW));
  }
}

defineElement('sso-wizard', SsoWizard);

declare global {
  interface HTMLElementTagNameMap {
    'sso-wizard': SsoWizard;
  }
}
