/**
 * Internal events: children ask the wizard or the shell to do something. Not composed, so they
 * never leave the portal; the shell turns navigation into the public, cancelable
 * `sso-step-change`.
 */
import type { Connection } from '../core/model.js';
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

/**
 * A connection changed (or was deleted) outside a save of the wizard: keep lists in step.
 * Composed, to leave the wizard's shadow root; the shell stops it there.
 */
export class SsoConnectionChangeEvent extends Event {
  static readonly eventName = 'sso-connection-change';
  constructor(
    readonly connection: Connection | null,
    readonly deletedId?: string,
  ) {
    super(SsoConnectionChangeEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'sso-connection-change': SsoConnectionChangeEvent;
  }
}
