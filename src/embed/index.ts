/**
 * `sso-admin-portal/embed`: the host page's side of embedding the portal by iframe (an embed
 * link of the admin API, `/portal/<token>?embed=1`). Tiny and framework-free (no Lit).
 *
 * ```ts
 * import { mountPortalFrame } from 'sso-admin-portal/embed';
 * const { destroy } = mountPortalFrame(document.querySelector('#sso')!, {
 *   url: embedLinkUrl, // from your backend: POST /api/admin/organizations/:orgId/embed-links
 *   onEvent: (event) => { if (event.type === 'connection.activated') showSsoActive(event.payload.connection); },
 * });
 * ```
 *
 * Messages are taken only from the iframe's own window and from the URL's origin; the portal
 * sends them only to the origin the embed link names (`parentOrigin`).
 */

/** What the portal in the frame tells its page; `payload` as its events carry (src/portal/events.ts). */
export type PortalFrameEvent =
  | { type: 'portal.loaded'; payload: Record<string, never> }
  | { type: 'portal.load_failed'; payload: { code: string } }
  | { type: 'portal.resized'; payload: { height: number } }
  | { type: 'session.expiring'; payload: { expiresAt: string } }
  | { type: 'session.expired'; payload: Record<string, never> }
  | { type: 'connection.saved'; payload: { connection: PortalFrameRecord; created: boolean } }
  | { type: 'connection.activated'; payload: { connection: PortalFrameRecord } }
  | { type: 'connection.deactivated'; payload: { connection: PortalFrameRecord } }
  | { type: 'test.completed'; payload: { result: PortalFrameRecord } }
  | { type: 'domain.verified'; payload: { domain: PortalFrameRecord } };

/**
 * A connection, test result or domain as the portal API answers it (the types of
 * `sso-admin-portal/core`: `Connection`, `TestResult`, `Domain`), as JSON.
 */
export type PortalFrameRecord = { id?: string; name?: string; status?: string } & Record<string, unknown>;

export type PortalFrameEventType = PortalFrameEvent['type'];

export interface PortalFrameOptions {
  /** The embed link's `url` (`https://…/portal/<token>?embed=1`): single-use, open it within its minute. */
  url: string;
  /** Called for each message of the portal (resizes included, after the frame took the height). */
  onEvent?: (event: PortalFrameEvent) => void;
  /** The frame's accessible name (default "Single sign-on settings"). */
  title?: string;
}

export interface PortalFrame {
  frame: HTMLIFrameElement;
  /** Stops listening and removes the frame. */
  destroy(): void;
}

const TYPES = new Set<string>([
  'portal.loaded',
  'portal.load_failed',
  'portal.resized',
  'session.expiring',
  'session.expired',
  'connection.saved',
  'connection.activated',
  'connection.deactivated',
  'test.completed',
  'domain.verified',
]);

/** Creates the portal's iframe in `el`, passes its messages to `onEvent`, and keeps its height that of the content. */
export function mountPortalFrame(el: HTMLElement, options: PortalFrameOptions): PortalFrame {
  const origin = new URL(options.url, location.href).origin;
  const frame = document.createElement('iframe');
  frame.title = options.title ?? 'Single sign-on settings';
  // The portal's server checks the framing page's origin from the Referer: send at least the origin.
  frame.referrerPolicy = 'strict-origin';
  frame.style.border = '0';
  frame.style.width = '100%';
  frame.style.display = 'block';
  const onMessage = (message: MessageEvent) => {
    if (message.source !== frame.contentWindow || message.origin !== origin) return;
    const data = message.data as { source?: unknown; type?: unknown; payload?: unknown } | null;
    if (!data || data.source !== 'sso-admin-portal' || typeof data.type !== 'string' || !TYPES.has(data.type)) return;
    const event = { type: data.type, payload: typeof data.payload === 'object' && data.payload !== null ? data.payload : {} } as PortalFrameEvent;
    if (event.type === 'portal.resized' && Number.isFinite(event.payload.height)) frame.style.height = `${Math.max(0, Math.ceil(event.payload.height))}px`;
    options.onEvent?.(event);
  };
  window.addEventListener('message', onMessage);
  frame.src = options.url;
  el.append(frame);
  return {
    frame,
    destroy() {
      window.removeEventListener('message', onMessage);
      frame.remove();
    },
  };
}
