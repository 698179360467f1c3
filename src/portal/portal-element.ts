/**
 * The base of every element inside the portal that talks to the backend or the admin: the
 * adapter, the session and the announcer (the portal's one live region), from the shell's context.
 */
import { LitElement } from 'lit';
import { state } from 'lit/decorators.js';
import type { PortalSession } from '../core/model.js';
import type { PortalAdapter } from '../adapters/portal-adapter.js';
import { requestContext, type Announcer } from './context.js';

export class SsoPortalElement extends LitElement {
  @state() protected adapter?: PortalAdapter;
  @state() protected session?: PortalSession;
  @state() protected announcer?: Announcer;
  private leaveContext?: () => void;

  override connectedCallback(): void {
    super.connectedCallback();
    this.leaveContext = requestContext(this, ({ adapter, session, announcer }) => {
      this.adapter = adapter;
      this.session = session;
      this.announcer = announcer;
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.leaveContext?.();
  }
}
