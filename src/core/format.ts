/** Formatting shared by the element and the server. Pure, locale-aware through Intl. */

type Unit = 'year' | 'month' | 'week' | 'day' | 'hour' | 'minute' | 'second';

const UNITS: [Unit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

// Intl formatters are slow to create (the first one loads locale data: tens of milliseconds) and
// cheap to reuse: each is created when first needed, once per locale.
const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** The portal's language for dates and numbers when a call names none (set by the portal's `locale`). */
let displayLocale: string | undefined;

/** @internal The portal's language switch sets it (portal/localize/switch-locale.ts). */
export function setDisplayLocale(locale: string | undefined): void {
  displayLocale = locale;
}

/** The language of core's plurals and lists (`text-forms.ts`): English until the portal says. */
export const displayLanguage = () => displayLocale ?? 'en';

function relativeFormat(locale: string | undefined): Intl.RelativeTimeFormat {
  const key = locale ?? '';
  let format = relativeFormats.get(key);
  if (!format) relativeFormats.set(key, (format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })));
  return format;
}

function dateTimeFormat(locale: string | undefined): Intl.DateTimeFormat {
  const key = locale ?? '';
  let format = dateTimeFormats.get(key);
  if (!format) dateTimeFormats.set(key, (format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })));
  return format;
}

/** Whether `locale` (or, unset, the browser's language) is English: relative times need no locale data then. */
function english(locale: string | undefined): boolean {
  const tag = locale ?? (typeof navigator === 'undefined' ? undefined : navigator.language);
  return !!tag && /^en(?:-|$)/i.test(tag);
}

/**
 * What `Intl.RelativeTimeFormat('en', { numeric: 'auto' })` says, for whole numbers under 1000:
 * the overview's first paint shows relative times, and creating that formatter first costs tens
 * of milliseconds (its locale data). Other languages, and larger numbers, go through Intl.
 */
export const englishRelativeTime = {
  format(value: number, unit: Unit): string {
    const n = Math.abs(value);
    if (n === 0) return unit === 'second' ? 'now' : unit === 'day' ? 'today' : `this ${unit}`;
    if (n === 1 && unit === 'day') return value < 0 ? 'yesterday' : 'tomorrow';
    if (n === 1 && unit !== 'hour' && unit !== 'minute' && unit !== 'second') return `${value < 0 ? 'last' : 'next'} ${unit}`;
    const words = `${n} ${unit}${n === 1 ? '' : 's'}`;
    return value < 0 ? `${words} ago` : `in ${words}`;
  },
};

/** "3 hours ago", "in 2 days", "just now". */
export function formatRelativeTime(when: string | Date, now: Date = new Date(), locale = displayLocale): string {
  const seconds = (new Date(when).getTime() - now.getTime()) / 1000;
  if (!Number.isFinite(seconds)) return '';
  const rtf = english(locale) && Math.abs(seconds) < 1000 * 365 * 24 * 3600 ? englishRelativeTime : relativeFormat(locale);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
  }
  return rtf.format(0, 'second') === 'now' ? 'just now' : rtf.format(0, 'second');
}

/** "29 Nov 2026, 15:47" in the admin's locale. */
export function formatDateTime(when: string | Date, locale = displayLocale): string {
  const date = new Date(when);
  if (Number.isNaN(date.getTime())) return '';
  return dateTimeFormat(locale).format(date);
}

/** `audience_mismatch` -> "Audience mismatch". */
export function humanizeCode(code: string): string {
  const words = code.replace(/^oidc_/, 'OIDC ').replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
