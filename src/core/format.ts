/** Formatting shared by the element and the server. Pure, locale-aware through Intl. */

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
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

/** "3 hours ago", "in 2 days", "just now". */
export function formatRelativeTime(when: string | Date, now: Date = new Date(), locale?: string): string {
  const seconds = (new Date(when).getTime() - now.getTime()) / 1000;
  if (!Number.isFinite(seconds)) return '';
  const rtf = relativeFormat(locale);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
  }
  return rtf.format(0, 'second') === 'now' ? 'just now' : rtf.format(0, 'second');
}

/** "29 Nov 2026, 15:47" in the admin's locale. */
export function formatDateTime(when: string | Date, locale?: string): string {
  const date = new Date(when);
  if (Number.isNaN(date.getTime())) return '';
  return dateTimeFormat(locale).format(date);
}

/** `audience_mismatch` -> "Audience mismatch". */
export function humanizeCode(code: string): string {
  const words = code.replace(/^oidc_/, 'OIDC ').replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
