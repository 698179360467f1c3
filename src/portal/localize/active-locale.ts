/** The language the portal shows now: English until another catalogue has loaded (`switch-locale.ts`). */
export interface ActiveLocale {
  /** The catalogue: `en`, `de`, ... (`en-XA`: the test pseudo-locale). */
  text: string;
  /** For dates and numbers (`de-CH`); unset: the browser's. */
  format?: string;
  /** The `lang` the portal's root carries. */
  lang: string;
  dir: 'ltr' | 'rtl';
}

export let activeLocale: ActiveLocale = { text: 'en', lang: 'en', dir: 'ltr' };

export function setActiveLocale(locale: ActiveLocale): void {
  activeLocale = locale;
}
