/**
 * The element's public events. Each is an Event subclass with a typed `detail`-like payload
 * as own properties, `bubbles` and `composed` so that it leaves the shadow root, and is
 * registered in `GlobalEventHandlersEventMap` so `addEventListener('sso-...')` is typed.
 *
 * They fire for user actions and async results only, never because the host set a property.
 */
import type { PortalError } from '../core/errors.js';
import type { Connection, Domain, TestResult } from '../core/model.js';
import type { PortalView } from '../core/views.js';
import type { SsoSessionExpiringEvent } from './session-warning.js';

/** The session ends in 5 minutes or less (`expiresAt`); the element shows a banner. Its class loads with the warning. */
export type { SsoSessionExpiringEvent };

const init = { bubbles: true, composed: true } as const;

/** Before the admin moves to another step or view. Cancelable: `preventDefault()` keeps them where they are. */
export class SsoStepChangeEvent extends Event {
  static readonly eventName = 'sso-step-change';
  constructor(
    readonly from: PortalView,
    readonly to: PortalView,
  ) {
    super(SsoStepChangeEvent.eventName, { ...init, cancelable: true });
  }
}

/** A connection was created or its configuration saved. */
export class SsoConnectionSavedEvent extends Event {
  static readonly eventName = 'sso-connection-saved';
  constructor(
    readonly connection: Connection,
    readonly created: boolean,
  ) {
    super(SsoConnectionSavedEvent.eventName, init);
  }
}

/** A test login finished, successfully or not. */
export class SsoTestCompletedEvent extends Event {
  static readonly eventName = 'sso-test-completed';
  constructor(readonly result: TestResult) {
    super(SsoTestCompletedEvent.eventName, init);
  }
}

/** A connection was turned on: users of verified domains now sign in through it. */
export class SsoConnectionActivatedEvent extends Event {
  static readonly eventName = 'sso-connection-activated';
  constructor(readonly connection: Connection) {
    super(SsoConnectionActivatedEvent.eventName, init);
  }
}

/** A connection was turned off. */
export class SsoConnectionDeactivatedEvent extends Event {
  static readonly eventName = 'sso-connection-deactivated';
  constructor(readonly connection: Connection) {
    super(SsoConnectionDeactivatedEvent.eventName, init);
  }
}

/** A domain's ownership was verified. */
export class SsoDomainVerifiedEvent extends Event {
  static readonly eventName = 'sso-domain-verified';
  constructor(readonly domain: Domain) {
    super(SsoDomainVerifiedEvent.eventName, init);
  }
}

/** The portal session (link) expired: the host may offer a new link. */
export class SsoSessionExpiredEvent extends Event {
  static readonly eventName = 'sso-session-expired';
  constructor() {
    super(SsoSessionExpiredEvent.eventName, init);
  }
}

/** An operation failed. The element already shows the error; hosts may log or report it. */
export class SsoErrorEvent extends Event {
  static readonly eventName = 'sso-error';
  constructor(
    readonly error: PortalError,
    /** What was being done, e.g. `load`, `save`, `test`. */
    readonly operation: string,
  ) {
    super(SsoErrorEvent.eventName, init);
  }
}

/** The name of every public event, e.g. for a host that logs them all. */
export const PORTAL_EVENT_NAMES = [
  SsoStepChangeEvent.eventName,
  SsoConnectionSavedEvent.eventName,
  SsoTestCompletedEvent.eventName,
  SsoConnectionActivatedEvent.eventName,
  SsoConnectionDeactivatedEvent.eventName,
  SsoDomainVerifiedEvent.eventName,
  'sso-session-expiring',
  SsoSessionExpiredEvent.eventName,
  SsoErrorEvent.eventName,
] as const;

declare global {
  interface GlobalEventHandlersEventMap {
    'sso-step-change': SsoStepChangeEvent;
    'sso-connection-saved': SsoConnectionSavedEvent;
    'sso-test-completed': SsoTestCompletedEvent;
    'sso-connection-activated': SsoConnectionActivatedEvent;
    'sso-connection-deactivated': SsoConnectionDeactivatedEvent;
    'sso-domain-verified': SsoDomainVerifiedEvent;
    'sso-session-expiring': SsoSessionExpiringEvent;
    'sso-session-expired': SsoSessionExpiredEvent;
    'sso-error': SsoErrorEvent;
  }
}
