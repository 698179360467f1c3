/**
 * Which catalogue a `locale` (BCP 47) gets: the shipped locale of that tag, else of its language,
 * else English. Malformed tags are English too, without an error (issue 16).
 */
import { allLocales, sourceLocale } from './generated/locale-codes.js';
import type { ActiveLocale } from './active-locale.js';

export type PortalLocale = (typeof allLocales)[number];

/** The test-only pseudo-locale (accented, longer text): chosen by its exact tag only. */
export const PSEUDO_LOCALE = 'en-XA';

const RIGHT_TO_LEFT = new Set<string>(['ar']);

const shipped = (tag: string): tag is PortalLocale => (allLocales as readonly string[]).includes(tag);

/** `de-AT` → German text, Austrian dates; `pt-BR`, `english`, `de_DE` → English. */
export function resolveLocale(requested: string | null | undefined): ActiveLocale & { text: PortalLocale } {
  let tag: string | undefined;
  try {
    tag = requested?.trim() ? Intl.getCanonicalLocales(requested.trim())[0] : undefined;
  } catch {
    // Not BCP 47: English.
  }
  const language = tag?.split('-')[0];
  if (tag === PSEUDO_LOCALE) return { text: PSEUDO_LOCALE, format: sourceLocale, lang: sourceLocale, dir: 'ltr' };
  const text = tag && shipped(tag) ? tag : language && shipped(language) ? language : sourceLocale;
  const format = tag && (language === text || tag === text) ? tag : text;
  return { text, format, lang: format, dir: RIGHT_TO_LEFT.has(text) ? 'rtl' : 'ltr' };
}
