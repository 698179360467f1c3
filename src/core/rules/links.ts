/**
 * Portal link rules: how long a new link lives, whether a link still opens the portal, and when
 * an ended link is forgotten.
 *
 * - A new link lives `lifetimeHours` (default {@link DEFAULT_LINK_HOURS}, more than 0, at most
 *   {@link MAX_LINK_HOURS}) from its creation.
 * - A link is `revoked` once it has a `revokedAt` (revocation wins over expiry), `expired` from
 *   its `expiresAt` on (that instant included), else `active`. Every request with a link that is
 *   not active gets `session_expired`, whichever way it ended: it is checked on every request,
 *   so a revocation stops an open session at once.
 * - An ended link stays listed {@link LINK_RETENTION_DAYS} days after it ended, then it is forgotten.
 */
import { PortalError } from '../errors.js';
import type { Outcome } from './state.js';

/** How long a new link lives when the request does not say. */
export const DEFAULT_LINK_HOURS = 168;
/** The longest a link may live: one (leap) year. */
export const MAX_LINK_HOURS = 24 * 366;
/** How long an expired or revoked link stays listed (for the record) before it is forgotten. */
export const LINK_RETENTION_DAYS = 7;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The times of a link that its rules read. */
export interface LinkTimes {
  expiresAt: string;
  revokedAt: string | null;
}

export type LinkStatus = 'active' | 'expired' | 'revoked';

/** Whether a link opens the portal at `at`. */
export function linkStatus(link: LinkTimes, at: Date): LinkStatus {
  if (link.revokedAt) return 'revoked';
  return Date.parse(link.expiresAt) <= at.getTime() ? 'expired' : 'active';
}

/** The error a request with this link (undefined: no such link) gets at `at`; null when it may go on. */
export function linkError(link: LinkTimes | undefined, at: Date): PortalError | null {
  return link && linkStatus(link, at) === 'active' ? null : new PortalError('session_expired');
}

/** When a link stopped (or will stop) opening the portal: its revocation if earlier than its expiry. */
export function linkEndedAt(link: LinkTimes): string {
  return link.revokedAt && link.revokedAt < link.expiresAt ? link.revokedAt : link.expiresAt;
}

/** Links that ended before this time are forgotten (see {@link LINK_RETENTION_DAYS}). */
export function linkForgetBefore(at: Date): string {
  return new Date(at.getTime() - LINK_RETENTION_DAYS * DAY).toISOString();
}

/** Whether an ended link is past its retention at `at` and may be forgotten. */
export function linkForgotten(link: LinkTimes, at: Date): boolean {
  return linkEndedAt(link) < linkForgetBefore(at);
}

/**
 * The times of a link created at `at` that lives `lifetimeHours` (default {@link DEFAULT_LINK_HOURS});
 * `validation_failed` for a lifetime that is not a number above 0 and at most {@link MAX_LINK_HOURS}.
 */
export function newLinkTimes(at: Date, lifetimeHours?: number): Outcome<{ createdAt: string; expiresAt: string; revokedAt: null }> {
  const hours = lifetimeHours ?? DEFAULT_LINK_HOURS;
  if (typeof hours !== 'number' || !Number.isFinite(hours) || hours <= 0 || hours > MAX_LINK_HOURS) {
    const message =
      typeof hours !== 'number' || Number.isNaN(hours) ? 'must be a number' : hours > MAX_LINK_HOURS ? `must be at most ${MAX_LINK_HOURS} (one year)` : 'must be more than 0';
    return {
      ok: false,
      error: new PortalError('validation_failed', {
        message: `Link is not valid: lifetimeHours: ${message}`,
        details: { issues: [{ path: 'lifetimeHours', message }] },
      }),
    };
  }
  return { ok: true, value: { createdAt: at.toISOString(), expiresAt: new Date(at.getTime() + hours * HOUR).toISOString(), revokedAt: null } };
}

/** A revoked copy of a link at `at`; a link revoked before keeps its first revocation time. */
export function revokedLink<T extends LinkTimes>(link: T, at: Date): T {
  return link.revokedAt ? link : { ...link, revokedAt: at.toISOString() };
}
