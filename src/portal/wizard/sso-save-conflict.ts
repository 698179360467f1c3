import { css, html } from 'lit';
import { property } from 'lit/decorators.js';
import type { Conflict } from '../../core/wizard-conflict.js';
import { defineElement } from '../define.js';
import { msg } from '../localize/msg.js';
import { SsoPortalElement } from '../portal-element.js';
import { shared } from '../styles/shared.js';

export { conflictingFields } from '../../core/wizard-conflict.js';

/** The admin chose a version: `mine` (save over theirs) or `theirs` (load the saved one). */
export class SsoConflictChoiceEvent extends Event {
  static readonly eventName = 'sso-conflict-choice';
  constructor(readonly choice: 'mine' | 'theirs') {
    super(SsoConflictChoiceEvent.eventName, { bubbles: true, composed: false });
  }
}

/** A field's name (`core/wizard-conflict.ts` keeps them in English). */
function fieldName(english: string): string {
  switch (english) {
    case 'IdP entity ID':
      return msg('IdP entity ID');
    case 'SSO URL':
      return msg('SSO URL');
    case 'Signing certificates':
      return msg('Signing certificates');
    case 'Metadata URL':
      return msg('Metadata URL');
    case 'Issuer':
      return msg('Issuer');
    case 'Client ID':
      return msg('Client ID');
    case 'Scopes':
      return msg('Scopes');
    case 'Email attribute':
      return msg('Email attribute');
    case 'First name attribute':
      return msg('First name attribute');
    case 'Last name attribute':
      return msg('Last name attribute');
    case 'Groups attribute':
      return msg('Groups attribute');
    default:
      return english;
  }
}

/**
 * A save conflict in the wizard (another tab or a colleague saved the connection first): what
 * differs, and which version to keep. Loaded with the first conflict: most admins never see it.
 *
 * @tagname sso-save-conflict
 * @summary The wizard's save conflict.
 * @fires sso-conflict-choice - The admin chose a version.
 */
export class SsoSaveConflict extends SsoPortalElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        gap: var(--sso-space-2);
        padding: var(--sso-space-4);
        border: 1px solid var(--sso-color-danger);
        border-inline-start-width: 4px;
        border-radius: var(--sso-radius-md);
        background: var(--sso-color-danger-bg);
      }
      h3 {
        font-size: var(--sso-font-size-md);
      }
      table {
        border-collapse: collapse;
        font-size: var(--sso-font-size-sm);
      }
      th,
      td {
        padding: var(--sso-space-1) var(--sso-space-2);
        border: 1px solid var(--sso-color-border);
        text-align: start;
        overflow-wrap: anywhere;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: var(--sso-space-2);
      }
    `,
  ];

  @property({ attribute: false }) conflict?: Conflict;

  override render() {
    const rows = this.conflict?.rows ?? [];
    const empty = msg('(empty)');
    return html`<h3 part="conflict">${msg('Someone else saved this connection meanwhile')}</h3>
      <p>${msg('Another tab or a colleague changed it after you opened it. Choose which version to keep.')}</p>
      ${rows.length
        ? html`<table>
            <thead><tr><th scope="col">${msg('Field')}</th><th scope="col">${msg('Your version')}</th><th scope="col">${msg('Saved version')}</th></tr></thead>
            <tbody>
              ${rows.map((r) => html`<tr><th scope="row">${fieldName(r.field)}</th><td>${r.mine || empty}</td><td>${r.theirs || empty}</td></tr>`)}
            </tbody>
          </table>`
        : html`<p>${msg('The differences are in fields of other steps.')}</p>`}
      <div class="row">
        <button class="button button--primary" type="button" @click=${() => this.dispatchEvent(new SsoConflictChoiceEvent('mine'))}>${msg('Keep my version')}</button>
        <button class="button" type="button" @click=${() => this.dispatchEvent(new SsoConflictChoiceEvent('theirs'))}>${msg('Use the saved version')}</button>
      </div>`;
  }
}

defineElement('sso-save-conflict', SsoSaveConflict);

declare global {
  interface HTMLElementTagNameMap {
    'sso-save-conflict': SsoSaveConflict;
  }
  interface GlobalEventHandlersEventMap {
    'sso-conflict-choice': SsoConflictChoiceEvent;
  }
}
