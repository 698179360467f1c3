import { LitElement, css, html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { domainText } from './domain-text.js';
import { defineElement } from '../define.js';
import { shared } from '../styles/shared.js';
import { dialogStyles } from '../styles/dialog.js';
import { msg } from '../localize/msg.js';

export interface ConfirmOptions {
  title: string;
  /** One or more paragraphs, plain text. */
  body: string[];
  confirmLabel: string;
  cancelLabel?: string;
  /** `danger` for deletions and turning things off. */
  tone?: 'default' | 'danger';
}

/**
 * A modal question with a confirm and a cancel button (native `<dialog>`: focus is trapped,
 * Escape cancels, focus returns to what opened it). Cancel has focus first, so Enter never
 * confirms by accident.
 *
 * @tagname sso-confirm-dialog
 * @summary Confirmation dialog.
 * @csspart dialog - The dialog box.
 * @csspart confirm - The confirm button.
 */
export class SsoConfirmDialog extends LitElement {
  static override styles = [
    shared,
    dialogStyles,
    css`
      h2 {
        font-size: var(--sso-font-size-lg);
        margin-block-end: var(--sso-space-3);
      }
      p + p {
        margin-block-start: var(--sso-space-2);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        justify-content: flex-end;
        gap: var(--sso-space-2);
        margin-block-start: var(--sso-space-5);
      }
      .button--danger {
        border-color: var(--sso-color-danger);
        background: var(--sso-color-danger);
        color: var(--sso-color-bg);
      }
    `,
  ];

  @state() private options?: ConfirmOptions;
  private resolve?: (confirmed: boolean) => void;

  /** Asks; resolves true when the admin confirms, false when they cancel or press Escape. */
  async ask(options: ConfirmOptions): Promise<boolean> {
    this.resolve?.(false);
    this.options = options;
    await this.updateComplete;
    const dialog = this.renderRoot.querySelector('dialog')!;
    dialog.showModal();
    this.renderRoot.querySelector<HTMLButtonElement>('.cancel')?.focus();
    return new Promise((resolve) => (this.resolve = resolve));
  }

  override render() {
    const o = this.options;
    return html`<dialog part="dialog" aria-labelledby="confirm-title" @close=${this.onClose}>
      ${o
        ? html`<h2 id="confirm-title">${o.title}</h2>
            ${o.body.map((p) => html`<p>${domainText(p)}</p>`)}
            <div class="actions">
              <button class="button cancel" type="button" @click=${() => this.finish(false)}>${o.cancelLabel ?? msg('Cancel')}</button>
              <button part="confirm" class="button ${o.tone === 'danger' ? 'button--danger' : 'button--primary'}" type="button" @click=${() => this.finish(true)}>
                ${o.confirmLabel}
              </button>
            </div>`
        : nothing}
    </dialog>`;
  }

  private finish(confirmed: boolean): void {
    const resolve = this.resolve;
    this.resolve = undefined;
    this.renderRoot.querySelector('dialog')?.close();
    resolve?.(confirmed);
  }

  private onClose(): void {
    this.finish(false);
  }
}

defineElement('sso-confirm-dialog', SsoConfirmDialog);

declare global {
  interface HTMLElementTagNameMap {
    'sso-confirm-dialog': SsoConfirmDialog;
  }
}
