/**
 * Internal events: children ask the wizard or the shell to do something. Not composed, so they
 * never leave the portal; the shell turns navigation into the public, cancelable
 * `sso-step-change`.
 */
import type { PortalView, WizardDraft } from '../core/wizard.js';

/** Go to another view or step. */
export class SsoNavigateEvent extends Event {
  static readonly eventName = 'sso-navigate';
  constructor(readonly to: PortalView) {
    super(SsoNavigateEvent.eventName, { bubbles: true, composed: false });
  }
}

/** The admin changed the draft: `update` returns the new draft from the current one. */
export class SsoDraftChangeEvent extends Event {
  static readonly eventName = 'sso-draft-change';
  constructor(readonly update: (draft: WizardDraft) => WizardDraft) {
    super(SsoDraftChangeEvent.eventName, { bubbles: true, composed: false });
  }
}

declare global {
  interface HTMLElementEventMap {
    'sso-navigate': SsoNavigateEvent;
    'sso-draft-change': SsoDraftChangeEvent;
  }
}
