/** What the shell provides to the elements inside it (`@lit/context`), instead of passing it down by hand. */
import { createContext } from '@lit/context';
import type { PortalSession } from '../core/model.js';
import type { PortalAdapter } from '../adapters/portal-adapter.js';

export const adapterContext = createContext<PortalAdapter | undefined>(Symbol('sso-adapter'));
export const sessionContext = createContext<PortalSession | undefined>(Symbol('sso-session'));

/** Speaks through the portal's single live region. */
export interface Announcer {
  announce(message: string): void;
}
export const announcerContext = createContext<Announcer | undefined>(Symbol('sso-announcer'));
