import type { Decorator, Preview } from '@storybook/web-components-vite';
import { html } from 'lit';
import { activeLocale } from '../src/portal/localize/active-locale.js';
import { PSEUDO_LOCALE, resolveLocale } from '../src/portal/localize/resolve-locale.js';

/** The languages of the toolbar: every shipped one, and the test pseudo-locale (accented, 30 % longer). */
const LANGUAGES = [
  { value: 'en', title: 'English' },
  { value: 'de', title: 'Deutsch' },
  { value: 'fr', title: 'Français' },
  { value: 'es', title: 'Español' },
  { value: 'ja', title: '日本語' },
  { value: 'ar', title: 'العربية (right to left)' },
  { value: PSEUDO_LOCALE, title: 'Pseudo-locale (en-XA)' },
];

let switcher: Promise<typeof import('../src/portal/localize/switch-locale.js')> | undefined;

/** Loads `locale`'s catalogue into the runtime (English, the first time: nothing to load). */
async function switchTo(locale: string): Promise<void> {
  if (resolveLocale(locale).text === activeLocale.text && !switcher) return;
  switcher ??= import('../src/portal/localize/switch-locale.js');
  await (await switcher).switchLocale(locale);
}

/**
 * Before a story renders, its language's catalogue is loaded (`?globals=locale:de` in the URL, or
 * the toolbar): its first render, and what its `play` function does (buttons found by their `msg`
 * label), are in that language.
 */
const localeOf = (globals: Record<string, unknown>): string => (typeof globals.locale === 'string' ? globals.locale : 'en');
const loadLanguage = ({ globals }: { globals: Record<string, unknown> }) => switchTo(localeOf(globals));

/** Wraps every story in its language: `lang` (a portal takes it) and `dir` (stories of a part alone take it). */
const withLocale: Decorator = (story, context) => {
  const locale = localeOf(context.globals);
  return html`<div data-story-locale=${locale} lang=${locale} dir=${resolveLocale(locale).dir}>${story()}</div>`;
};

/**
 * Shows the story, as it is, in another language: the wrapper's `lang` and `dir`, the runtime's
 * catalogue; resolves once every element has rendered in it. The story sweep (test/stories/)
 * calls it as `window.storyLocale(...)` to go through the languages without loading the story again.
 */
async function showIn(locale: string): Promise<void> {
  for (const wrapper of document.querySelectorAll<HTMLElement>('[data-story-locale]')) {
    wrapper.lang = locale;
    wrapper.dir = resolveLocale(locale).dir;
    wrapper.dataset.storyLocale = locale;
  }
  await switchTo(locale);
  // switchLocale asked every element to render again: wait for those renders, through shadow roots.
  await new Promise((resolve) => setTimeout(resolve));
  const pending: Promise<unknown>[] = [];
  const visit = (root: Document | ShadowRoot) => {
    for (const element of root.querySelectorAll('*')) {
      if ('updateComplete' in element) pending.push((element as unknown as { updateComplete: Promise<unknown> }).updateComplete);
      if (element.shadowRoot) visit(element.shadowRoot);
    }
  };
  visit(document);
  await Promise.all(pending);
}

declare global {
  interface Window {
    storyLocale?: (locale: string) => Promise<void>;
  }
}
window.storyLocale = showIn;

const preview: Preview = {
  parameters: {
    layout: 'padded',
    controls: { expanded: true },
  },
  globalTypes: {
    locale: {
      description: 'The portal’s language',
      toolbar: { title: 'Language', icon: 'globe', items: LANGUAGES, dynamicTitle: true },
    },
  },
  initialGlobals: { locale: 'en' },
  loaders: [loadLanguage],
  decorators: [withLocale],
};

export default preview;
