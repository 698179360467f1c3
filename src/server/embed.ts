/**
 * Embedding the portal by iframe (docs/rest-api.md, "Embed links"):
 *
 * - The admin API makes an embed link for an organization ({@link createEmbedLink}): single-use,
 *   to be opened within {@link EMBED_OPEN_SECONDS} seconds, naming the origin of the page that
 *   will frame it, which must be one of the server's allowed origins (`SSO_PORTAL_ALLOWED_ORIGINS`,
 *   `security-headers.ts`). Only a SHA-256 hash of its token is stored.
 * - Opening `/portal/<token>?embed=1` ({@link openEmbedLink}) consumes it (one statement: one
 *   opening wins, on any instance) and starts a session: a portal link of its own (the portal
 *   API authenticates it like any link; it shows in the organization's links and revoking it
 *   ends the session) that lasts the embed link's `sessionMinutes` (default 6 hours).
 * - The session is renewed while the admin is active: every portal API request but
 *   `GET /api/portal/session` (which only reads the session) moves its expiry to
 *   `sessionMinutes` from then ({@link renewedSessionExpiry}), at most
 *   {@link EMBED_SESSION_MAX_HOURS} hours after it started.
 */
import { randomBytes } from 'node:crypto';
import { PortalError } from '../core/errors.js';
import { hashToken } from './server-types.js';
import { systemActor } from './events.js';
import type { Store } from './store/store.js';
import type { EmbedLinkRecord, LinkRecord } from './types.js';

/** How long an embed link may wait to be opened. */
export const EMBED_OPEN_SECONDS = 60;
/** How long an embed session lasts after the admin's last request, when the link does not say. */
export const DEFAULT_EMBED_SESSION_MINUTES = 360;
/** The longest session an embed link may ask for, and the most an embed session lives in all (renewals included). */
export const EMBED_SESSION_MAX_HOURS = 24;
/** Embed links are forgotten this long after they were made (used or not). */
const EMBED_LINK_RETENTION_MS = 7 * 24 * 3_600_000;

/** Why an embed link did not open: each is a page with this stable code. */
export type EmbedRefusal = 'embed_link_unknown' | 'embed_link_used' | 'embed_link_expired' | 'embed_origin_mismatch' | 'embed_not_framed';

const randomId = (prefix: string) => `${prefix}_${randomBytes(9).toString('base64url').replace(/[^A-Za-z0-9]/g, 'x')}`;

/** What the admin API answers for a new embed link (the token is shown once, in `url`). */
export interface EmbedLinkCreated {
  id: string;
  url: string;
  token: string;
  expiresAt: string;
  parentOrigin: string;
  sessionMinutes: number;
}

/**
 * Makes an embed link. `parentOrigin` must be exactly `scheme://host[:port]` and one of
 * `allowedOrigins`; otherwise `validation_failed` naming `parentOrigin`.
 */
export async function createEmbedLink(
  store: Store,
  input: { organizationId: string; parentOrigin: string; sessionMinutes?: number },
  o: { now: Date; publicBaseUrl: string; allowedOrigins: ReadonlySet<string> },
): Promise<EmbedLinkCreated> {
  const parentOrigin = input.parentOrigin;
  if (!o.allowedOrigins.has(parentOrigin)) {
    const message = `${JSON.stringify(parentOrigin)} is not a registered origin: the page that frames the portal must be one of the server's allowed origins (SSO_PORTAL_ALLOWED_ORIGINS), given exactly as scheme://host[:port]`;
    throw new PortalError('validation_failed', { message: `Embed link is not valid: parentOrigin: ${message}.`, details: { issues: [{ path: 'parentOrigin', message }] } });
  }
  const sessionMinutes = input.sessionMinutes ?? DEFAULT_EMBED_SESSION_MINUTES;
  const token = randomBytes(32).toString('base64url');
  const link: EmbedLinkRecord = {
    id: randomId('embed'),
    organizationId: input.organizationId,
    tokenHash: hashToken(token),
    parentOrigin,
    sessionSeconds: Math.max(1, Math.round(sessionMinutes * 60)),
    createdAt: o.now.toISOString(),
    expiresAt: new Date(o.now.getTime() + EMBED_OPEN_SECONDS * 1000).toISOString(),
    consumedAt: null,
  };
  await store.putEmbedLink(link);
  await store.pruneEmbedLinks(new Date(o.now.getTime() - EMBED_LINK_RETENTION_MS).toISOString());
  return { id: link.id, url: `${o.publicBaseUrl}/portal/${token}?embed=1`, token, expiresAt: link.expiresAt, parentOrigin, sessionMinutes };
}

/** What a browser's request for the embed page says about where it comes from. */
export interface EmbedRequest {
  /** `Sec-Fetch-Dest`: `iframe` when framed; absent from older browsers and other clients. */
  fetchDest?: string;
  /** The `Referer` header: the framing page's origin at least (`mountPortalFrame` asks for it). */
  referer?: string;
}

export type EmbedOpening =
  | { ok: true; link: EmbedLinkRecord; session: LinkRecord; sessionToken: string }
  | { ok: false; code: EmbedRefusal; link?: EmbedLinkRecord };

/**
 * Opens an embed link: refused when unknown, already opened, past its minute, opened outside a
 * frame (`Sec-Fetch-Dest` other than `iframe`) or from another origin than its parent's (by the
 * `Referer`, when the browser sends one; `frame-ancestors` refuses the rest). A refused link that
 * was not opened stays unused. Opened: the session's link is stored and its token returned.
 */
export async function openEmbedLink(store: Store, token: string, request: EmbedRequest, now: Date): Promise<EmbedOpening> {
  const link = await store.findEmbedLinkByTokenHash(hashToken(token));
  if (!link) return { ok: false, code: 'embed_link_unknown' };
  if (link.consumedAt !== null) return { ok: false, code: 'embed_link_used', link };
  if (Date.parse(link.expiresAt) <= now.getTime()) return { ok: false, code: 'embed_link_expired', link };
  if (request.fetchDest !== undefined && request.fetchDest !== 'iframe') return { ok: false, code: 'embed_not_framed', link };
  if (request.referer !== undefined && originOf(request.referer) !== link.parentOrigin) return { ok: false, code: 'embed_origin_mismatch', link };
  if (!(await store.consumeEmbedLink(link.id, now.toISOString()))) {
    // Another request opened it first, or its minute ended meanwhile.
    const again = await store.findEmbedLinkByTokenHash(link.tokenHash);
    return { ok: false, code: again?.consumedAt ? 'embed_link_used' : 'embed_link_expired', link };
  }
  const sessionToken = randomBytes(32).toString('base64url');
  const session: LinkRecord = {
    id: randomId('link'),
    organizationId: link.organizationId,
    tokenHash: hashToken(sessionToken),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + link.sessionSeconds * 1000).toISOString(),
    revokedAt: null,
    sessionSeconds: link.sessionSeconds,
  };
  await store.putLink(session, systemActor('embed-link'));
  return { ok: true, link: { ...link, consumedAt: now.toISOString() }, session, sessionToken };
}

/**
 * The new expiry of an embed session after a request of its admin at `now`, or undefined when
 * nothing is to be written: not an embed session, or the expiry would move by less than a
 * minute (a quarter of the session when shorter). Never past {@link EMBED_SESSION_MAX_HOURS}
 * after the session started.
 */
export function renewedSessionExpiry(link: LinkRecord, now: Date): string | undefined {
  if (!link.sessionSeconds) return undefined;
  const sessionMs = link.sessionSeconds * 1000;
  const cap = Date.parse(link.createdAt) + Math.max(EMBED_SESSION_MAX_HOURS * 3_600_000, sessionMs);
  const next = Math.min(now.getTime() + sessionMs, cap);
  return next - Date.parse(link.expiresAt) >= Math.min(60_000, sessionMs / 4) ? new Date(next).toISOString() : undefined;
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
