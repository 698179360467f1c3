/**
 * The base of every element inside the portal that talks to the backend or the admin: the
 * adapter, the session and the announcer (the portal's one live region), from context.
 */
import { consume } from '@lit/context';
import { LitElement } from 'lit';
import { state } from 'lit/decorators.js';
import type { PortalSession } from '../core/model.js';
import type { PortalAdapter } from '../adapters/portal-adapter.js';
import { adapterContext, announcerContext, sessionContext, type Announcer } from './context.js';

export class SsoPortalElement extends LitElement {
  @consume({ context: adapterContext, subscribe: true })
  @state()
  protected adapter?: PortalAdapter;

  @consume({ context: sessionContext, subscribe: true })
  @state()
  protected session?: PortalSession;

  @consume({ context: announcerContext, subscribe: true })
  @state()
  protected announcer?: Announcer;
}
