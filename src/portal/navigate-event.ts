/**
 * Internal: a child element asks the shell to go somewhere. Not composed, so it never leaves
 * the portal; the shell turns it into the public, cancelable `sso-step-change`.
 */
import type { PortalView } from '../core/wizard.js';

export class SsoNavigateEvent extends Event {
  static readonly eventName = 'sso-navigate';
  constructor(readonly to: PortalView) {
    super(SsoNavigateEvent.eventName, { bubbles: true, composed: false });
  }
}

declare global {
  interface HTMLElementEventMap {
    'sso-navigate': SsoNavigateEvent;
  }
}
