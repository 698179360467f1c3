/**
 * The language of the server's pages (hosted portal, login and test pages, the IdP simulator):
 * the browser's `Accept-Language`, resolved against the portal's catalogues (docs/i18n.md) the
 * way the element resolves its `locale`. Each request keeps its language in an
 * AsyncLocalStorage, so a page's text is in the language of the request that builds it, across
 * awaits and concurrent requests.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { MiddlewareHandler } from 'hono';
import { _installMsgImplementation } from '@lit/localize/init/install.js';
import { runtimeMsg } from '@lit/localize/internal/runtime-msg.js';
import type { MsgFn, TemplateMap } from '@lit/localize/internal/types.js';
import { setCoreText } from '../core/text.js';
import { setTextFormsLanguage } from '../core/text-forms.js';
import type { ActiveLocale } from '../portal/localize/active-locale.js';
import { templates as ar } from '../portal/localize/generated/ar.js';
import { templates as de } from '../portal/localize/generated/de.js';
import { templates as pseudo } from '../portal/localize/generated/en-XA.js';
import { templates as es } from '../portal/localize/generated/es.js';
import { templates as fr } from '../portal/localize/generated/fr.js';
import { templates as ja } from '../portal/localize/generated/ja.js';
import { resolveLocale } from '../portal/localize/resolve-locale.js';

import { templates as serverAr } from './localize/generated/ar.js';
import { templates as serverDe } from './localize/generated/de.js';
import { templates as serverPseudo } from './localize/generated/en-XA.js';
import { templates as serverEs } from './localize/generated/es.js';
import { templates as serverFr } from './localize/generated/fr.js';
import { templates as serverJa } from './localize/generated/ja.js';

/**
 * The catalogues by language (`pageMsg` in page-text.ts reads them too): the portal's, and the
 * messages only the server's pages use, which `npm run i18n` keeps apart so a browser does not
 * download them.
 */
export const CATALOGUES: Record<string, TemplateMap> = {
  ar: { ...ar, ...serverAr },
  de: { ...de, ...serverDe },
  'en-XA': { ...pseudo, ...serverPseudo },
  es: { ...es, ...serverEs },
  fr: { ...fr, ...serverFr },
  ja: { ...ja, ...serverJa },
};

const ENGLISH = resolveLocale('en');

/**
 * The first language in `Accept-Language` (by quality) that the portal speaks; English when none.
 * Malformed headers and tags are skipped, never an error.
 */
export function negotiateLanguage(header: string | undefined): ActiveLocale {
  const wanted = (header ?? '')
    .split(',')
    .map((part, order) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(params.map((p) => p.trim()).find((p) => p.startsWith('q='))?.slice(2) ?? 1);
      return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, order };
    })
    .filter(({ tag, q }) => tag && tag !== '*' && q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  for (const { tag } of wanted) {
    const locale = resolveLocale(tag);
    // English is chosen only when asked for: `pt-BR, de` is German, not the fallback.
    if (locale.text !== 'en' || /^en(-|$)/i.test(tag)) return locale;
  }
  return ENGLISH;
}

const requestLanguage = new AsyncLocalStorage<ActiveLocale>();

/** The language of the page being built (English outside a request). */
export const pageLanguage = (): ActiveLocale => requestLanguage.getStore() ?? ENGLISH;

/**
 * Runs `answer` in English whatever the request's language: what the API itself reports (a
 * metadata read's refusal, an issuer's problem) stays English for developers; the element shows
 * its own words for each code.
 */
export const englishAnswer = <T>(answer: () => T): T => requestLanguage.run(ENGLISH, answer);

/** Middleware: the rest of the request runs in the browser's language. */
export function pageLanguages(): MiddlewareHandler {
  return (c, next) => requestLanguage.run(negotiateLanguage(c.req.header('accept-language')), next);
}

// `msg` on the server answers in the language of the request it runs in: text from core (failure
// titles, refusals) on a page, and server-rendered elements, follow the page. Outside a request, English.
const serverMsg = ((template, options) => runtimeMsg(CATALOGUES[pageLanguage().text], template, options)) as MsgFn;
_installMsgImplementation(serverMsg);
// Core's own texts (core/text.ts: failure titles, diagnoses) too.
setCoreText(serverMsg as Parameters<typeof setCoreText>[0]);
// And core's plurals and lists: "2 users" in Arabic has its own form (`two`).
setTextFormsLanguage(() => pageLanguage().lang);
