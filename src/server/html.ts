/**
 * Small HTML helpers for the server's pages: every value is escaped, nothing runs inline (the
 * pages' CSP allows scripts and stylesheets from this server only).
 */
import { pageLanguage } from './page-language.js';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML content and quoted attribute values. */
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);

/** A template literal tag that escapes every interpolated value, except parts already made with it. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += toHtml(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Markup made by {@link html}: inserted as is. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

function toHtml(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(toHtml).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(typeof value === 'string' ? value : JSON.stringify(value));
}

/** A whole page: stylesheets and scripts from /assets (default stylesheet: pages.css), and a body. */
export function htmlDocument(o: { title: string | SafeHtml; body: SafeHtml; stylesheets?: string[]; scripts?: string[]; bodyData?: Record<string, string> }): string {
  // Attribute names from our own code only (never from input).
  // eslint-disable-next-line lit/binding-positions
  const data = Object.entries(o.bodyData ?? {}).map(([name, value]) => html` data-${name}="${value}"`);
  const { lang, dir } = pageLanguage();
  return html`<!doctype html>
<html lang="${lang}" dir="${dir}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    <link rel="icon" href="data:," />
    <title>${o.title}</title>
    ${(o.stylesheets ?? ['pages.css']).map((href) => html`<link rel="stylesheet" href="/assets/${href}" />`)}
    ${(o.scripts ?? []).map((src) => html`<script type="module" src="/assets/${src}"></script>`)}
  </head>
  <body${data}>
    ${o.body}
  </body>
</html>
`.value;
}

const UTC_TIME = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });

/**
 * A moment for people: `<time>` with the ISO value, reading e.g. "4 December 2026 at 22:11 UTC";
 * `/assets/local-time.js` (add it to the page's scripts) shows it in the browser's locale and time zone.
 */
export function localTime(iso: string): SafeHtml {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return html`${iso}`;
  return html`<time datetime="${date.toISOString()}" data-local-time>${UTC_TIME.format(date)} UTC</time>`;
}

/** The string fields of a posted form (urlencoded or multipart; files ignored); empty when unreadable. */
export async function formFields(c: { req: { parseBody(): Promise<Record<string, unknown>> } }): Promise<Record<string, string>> {
  let parsed: Record<string, unknown>;
  try {
    parsed = await c.req.parseBody();
  } catch {
    return {};
  }
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed)) if (typeof value === 'string') out[name] = value;
  return out;
}
