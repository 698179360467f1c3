/**
 * What the shell gives the elements inside it (the adapter, the session, the announcer), instead
 * of passing it down by hand. An element asks with a composed event when it connects; the nearest
 * provider (the shell) answers at once and again on every change, until the element leaves.
 *
 * Two small functions rather than `@lit/context`: the portal needs one provider and one kind of
 * request, and the general library was 1 kB gzip of the first load (issue 12's budget).
 */
import type { ReactiveControllerHost } from 'lit';
import type { PortalSession } from '../core/model.js';
import type { PortalAdapter } from '../adapters/portal-adapter.js';

/** Speaks through the portal's single live region. */
export interface Announcer {
  announce(message: string): void;
}

export interface PortalContext {
  adapter?: PortalAdapter;
  session?: PortalSession;
  announcer?: Announcer;
}

type Receiver = (context: PortalContext) => void;

const REQUEST = 'sso-context-request';

/** An element inside a portal asks for the context. */
class ContextRequest extends Event {
  /** Set by the provider that answered: stops the updates. */
  leave?: () => void;
  constructor(readonly receive: Receiver) {
    super(REQUEST, { bubbles: true, composed: true });
  }
}

/**
 * Makes `host` answer the requests of the elements inside it with `context`; the returned
 * function changes the context and tells every element that asked.
 */
export function provideContext(host: EventTarget, context: PortalContext): (change: PortalContext) => void {
  const receivers = new Set<Receiver>();
  host.addEventListener(REQUEST, (event) => {
    const { receive } = event as ContextRequest;
    event.stopPropagation();
    receivers.add(receive);
    (event as ContextRequest).leave = () => receivers.delete(receive);
    receive(context);
  });
  return (change) => {
    Object.assign(context, change);
    for (const receive of receivers) receive(context);
  };
}

/** Asks the nearest provider above `element` for the context; returns what stops the updates (none answered: nothing). */
export function requestContext(element: Element, receive: Receiver): (() => void) | undefined {
  const request = new ContextRequest(receive);
  element.dispatchEvent(request);
  return request.leave;
}

/** For the parts that only speak (not `SsoPortalElement`s): keeps `host.announcer` from the context while connected. */
export function consumeAnnouncer(host: ReactiveControllerHost & Element & { announcer?: Announcer }): void {
  let leave: (() => void) | undefined;
  host.addController({
    hostConnected: () => (leave = requestContext(host, ({ announcer }) => (host.announcer = announcer ?? host.announcer))),
    hostDisconnected: () => leave?.(),
  });
}
