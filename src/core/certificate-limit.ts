/**
 * Which signing certificates a SAML connection keeps when it is given more than it holds
 * ({@link MAX_SIGNING_CERTIFICATES}): those valid now first, then the latest to expire, kept in
 * their original order. The metadata reader and the server's migration of older data share it.
 */
import { MAX_SIGNING_CERTIFICATES } from './model.js';

/** The certificates kept, in their original order (all of them when there are few enough). Unreadable times rank last. */
export function bestSigningCertificates<C extends { notBefore: string; notAfter: string }>(all: readonly C[], now: Date): C[] {
  if (all.length <= MAX_SIGNING_CERTIFICATES) return [...all];
  const t = now.getTime();
  const time = (iso: string) => {
    const ms = Date.parse(iso);
    return Number.isNaN(ms) ? -Infinity : ms;
  };
  const validNow = (c: C) => time(c.notBefore) <= t && t <= time(c.notAfter);
  const ranked = [...all].sort((a, b) => Number(validNow(b)) - Number(validNow(a)) || time(b.notAfter) - time(a.notAfter));
  const kept = new Set(ranked.slice(0, MAX_SIGNING_CERTIFICATES));
  return all.filter((c) => kept.has(c));
}
