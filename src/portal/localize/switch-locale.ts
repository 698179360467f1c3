/**
 * Switches the portal's language: resolves the `locale`, configures `@lit/localize`'s runtime on
 * first use, loads the catalogue's chunk, and renders the portal again. Loaded only when a page
 * asks for another language than English, so English pages carry none of this.
 *
 * The runtime is global to the page: two portals in different languages on one page both show
 * the one set last (docs/i18n.md).
 */
import { configureLocalization } from '@lit/localize/init/runtime.js';
import type { LocaleModule } from '@lit/localize/internal/types.js';
import { setDisplayLocale } from '../../core/format.js';
import { setCoreText } from '../../core/text.js';
import { activeLocale, setActiveLocale, type ActiveLocale } from './active-locale.js';
import { sourceLocale, targetLocales } from './generated/locale-codes.js';
import { msg } from './msg.js';
import { resolveLocale } from './resolve-locale.js';

type TargetLocale = (typeof targetLocales)[number];

/** Each catalogue is its own chunk. */
const catalogues: Record<TargetLocale, () => Promise<LocaleModule>> = {
  ar: () => import('./generated/ar.js'),
  de: () => import('./generated/de.js'),
  'en-XA': () => import('./generated/en-XA.js'),
  es: () => import('./generated/es.js'),
  fr: () => import('./generated/fr.js'),
  ja: () => import('./generated/ja.js'),
};

let wanted: ActiveLocale | undefined;

function apply(locale: ActiveLocale): void {
  setActiveLocale(locale);
  setDisplayLocale(locale.format);
  // Core's text (test titles, diagnoses) through the runtime too: core imports nothing of Lit.
  // Back in English, core's own English again, so `englishOnly()` is true as before any switch.
  setCoreText(locale.text === sourceLocale ? String : (msg as Parameters<typeof setCoreText>[0]));
}

/**
 * Every element of every portal on the page renders again (`msg` now answers in the new
 * language). Portals may sit in other components' shadow roots, so the walk enters open ones.
 */
function renderAgain(root: Document | ShadowRoot): void {
  for (const element of root.querySelectorAll('*')) {
    if (element.localName.startsWith('sso-') && 'requestUpdate' in element) (element as unknown as { requestUpdate(): void }).requestUpdate();
    if (element.shadowRoot) renderAgain(element.shadowRoot);
  }
}

const { setLocale } = configureLocalization({
  sourceLocale,
  targetLocales,
  // The new catalogue applies with its dates and numbers, as its chunk arrives.
  loadLocale: async (locale) => {
    const catalogue = await catalogues[locale as TargetLocale]();
    if (wanted?.text === locale) apply(wanted);
    return catalogue;
  },
});

/** Shows every portal in `requested`. A catalogue that cannot load keeps the current language; the console says why. */
export async function switchLocale(requested: string | null | undefined): Promise<void> {
  const locale = resolveLocale(requested);
  const before = activeLocale;
  const current = wanted ?? before;
  if (locale.text === current.text && locale.format === current.format) return;
  wanted = locale;
  // English, or the catalogue shown now: nothing to load, so dates and numbers change at once.
  if (locale.text === sourceLocale || locale.text === before.text) apply(locale);
  try {
    await setLocale(locale.text);
  } catch (error) {
    if (wanted === locale) console.warn(`sso-admin-portal: the "${locale.text}" catalogue could not load, so the portal stays in "${before.text}".`, error);
    return;
  }
  if (wanted === locale) renderAgain(document);
}
