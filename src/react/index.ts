/**
 * `sso-admin-portal/react`: `<SsoAdminPortal>`, the element as a React component (React 18 and
 * 19), made with `@lit/react`. Importing it registers `<sso-admin-portal>` (once). Props set the
 * element's properties (`adapter`, `apiBase`, `theme`, ...), `onSso...` props listen to its public
 * events, and a `ref` is the element itself (for `show()` and `reload()`).
 *
 * React 18 sets unknown props on a custom element as attributes, so an object like `adapter`
 * would never reach it, and does not wire `onX` props to custom events: the wrapper does both.
 */
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import type {} from '../portal/directory/directory-events.js';
import type {} from '../portal/events.js';
import type {} from '../portal/session-warning.js';
import { SsoAdminPortal as SsoAdminPortalElement } from '../portal/sso-admin-portal.js';

/** An event's name, typed with its class from `GlobalEventHandlersEventMap` (events.ts and its siblings register them). */
const portalEvent = <K extends keyof GlobalEventHandlersEventMap>(name: K) => name as EventName<GlobalEventHandlersEventMap[K]>;

/** Every public event of the element, by the React prop that listens to it. The internal ones (`sso-navigate`, `sso-draft-change`, ...) are not here. */
const events = {
  onSsoStepChange: portalEvent('sso-step-change'),
  onSsoConnectionSaved: portalEvent('sso-connection-saved'),
  onSsoTestCompleted: portalEvent('sso-test-completed'),
  onSsoConnectionActivated: portalEvent('sso-connection-activated'),
  onSsoConnectionDeactivated: portalEvent('sso-connection-deactivated'),
  onSsoDomainVerified: portalEvent('sso-domain-verified'),
  onSsoDirectoryEnabled: portalEvent('sso-directory-enabled'),
  onSsoDirectoryDisabled: portalEvent('sso-directory-disabled'),
  onSsoSessionExpiring: portalEvent('sso-session-expiring'),
  onSsoSessionExpired: portalEvent('sso-session-expired'),
  onSsoError: portalEvent('sso-error'),
};

type PortalEvents = typeof events;

/** The `onSso...` props, each called with its event's class (`event.connection`, `event.result`, ...). */
export type SsoAdminPortalEventProps = { [K in keyof PortalEvents]?: (event: PortalEvents[K]['__eventType']) => void };

/**
 * The element's public properties (the README's "Attributes and properties"). Named here rather
 * than taken from the class, so that its methods and Lit's own members are not props.
 */
export type SsoAdminPortalElementProps = Partial<Pick<SsoAdminPortalElement, 'adapter' | 'apiBase' | 'token' | 'initialData' | 'providers' | 'theme' | 'locale'>>;

/** The props of `<SsoAdminPortal>`: the element's properties, its events, and the usual HTML attributes (`className`, `style`, `id`, ...). */
export type SsoAdminPortalProps = Omit<React.HTMLAttributes<SsoAdminPortalElement>, keyof SsoAdminPortalElementProps | keyof SsoAdminPortalEventProps> &
  SsoAdminPortalElementProps &
  SsoAdminPortalEventProps &
  React.RefAttributes<SsoAdminPortalElement>;

/** `<sso-admin-portal>` for React. */
export const SsoAdminPortal: React.ForwardRefExoticComponent<SsoAdminPortalProps> = createComponent({
  react: React,
  tagName: 'sso-admin-portal',
  elementClass: SsoAdminPortalElement,
  events,
  displayName: 'SsoAdminPortal',
});

export type { SsoAdminPortalElement };
