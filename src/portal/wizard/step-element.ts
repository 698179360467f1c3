/** What every wizard step shares: the draft it edits, the problems to show, focus handling. */
import { css, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { Connection, FieldIssue, ServiceProvider } from '../../core/model.js';
import type { WizardDraft } from '../../core/wizard.js';
import { emptyDraft } from '../../core/wizard.js';
import { SsoDraftChangeEvent } from '../internal-events.js';
import { SsoPortalElement } from '../portal-element.js';
import { fieldStyles } from '../ui/field.js';
import { shared } from '../styles/shared.js';
import { msg } from '../localize/msg.js';

/** A failure shown in a step: its headline, what to do (when there is something to say), and the stable code. */
export function errorNotice(part: string, title: string, text: unknown, code: string) {
  return html`<div class="notice notice--danger" part=${part}>
    <p><strong>${title}</strong></p>
    ${text ? html`<p>${text}</p>` : nothing}
    <p class="muted">${msg(html`Error code: <code>${code}</code>`)}</p>
  </div>`;
}

export const stepStyles = css`
  :host {
    display: grid;
    gap: var(--sso-space-4);
  }
  h3 {
    font-size: var(--sso-font-size-md);
  }
  .lead {
    color: var(--sso-color-text-muted);
  }
  .panel {
    display: grid;
    gap: var(--sso-space-3);
    padding: var(--sso-space-4);
    border: 1px solid var(--sso-color-border);
    border-radius: var(--sso-radius-md);
    background: var(--sso-color-surface);
  }
  .notice {
    padding: var(--sso-space-3);
    border-inline-start: 4px solid var(--sso-color-warning);
    border-radius: var(--sso-radius-sm);
    background: var(--sso-color-warning-bg);
  }
  .notice--danger {
    border-color: var(--sso-color-danger);
    background: var(--sso-color-danger-bg);
  }
  .notice--success {
    border-color: var(--sso-color-success);
    background: var(--sso-color-success-bg);
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: var(--sso-space-2);
    align-items: end;
  }
  .row > .field {
    flex: 1 1 16rem;
  }
  /* Label/value pairs (review of a configuration, discovery results). */
  dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: var(--sso-space-1) var(--sso-space-3);
    margin: 0;
  }
  dt {
    color: var(--sso-color-text-muted);
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  @media (max-width: 30rem) {
    dl {
      grid-template-columns: 1fr;
    }
  }
  code {
    font-family: var(--sso-font-family-mono);
    font-size: var(--sso-font-size-sm);
    overflow-wrap: anywhere;
  }
`;

export class SsoStepElement extends SsoPortalElement {
  static override styles = [shared, fieldStyles, stepStyles];

  /** The wizard's draft. Steps never change it directly: they send an update. */
  @property({ attribute: false }) draft: WizardDraft = emptyDraft();

  /** The saved connection, once there is one (the wizard keeps it current). */
  @property({ attribute: false }) connection?: Connection;

  /** Our SP values for this connection: its own when the backend gives them, else the organization's. */
  protected get serviceProvider(): ServiceProvider | undefined {
    return this.connection?.serviceProvider ?? this.session?.serviceProvider;
  }

  /** Problems to show next to their fields (from the step's guard or the backend). */
  @property({ attribute: false }) issues: FieldIssue[] = [];

  protected issueFor(path: string): string | undefined {
    return this.issues.find((i) => i.path === path)?.message;
  }

  protected change(update: (draft: WizardDraft) => WizardDraft): void {
    this.dispatchEvent(new SsoDraftChangeEvent(update));
  }

  /**
   * Called by the wizard when the admin continues, before it checks the step: finishes work the
   * admin left for us (the SAML step reads a metadata URL that is filled in but not read yet).
   * Resolves false when that work failed and the step now shows why: the wizard stays.
   */
  beforeContinue(): Promise<boolean> {
    return Promise.resolve(true);
  }

  focusHeading(): void {
    this.renderRoot.querySelector<HTMLElement>('h3')?.focus();
  }

  /** Moves focus to the first field with a problem; false when there is none. */
  focusFirstInvalid(): boolean {
    const field = this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]');
    field?.focus();
    return !!field;
  }
}
