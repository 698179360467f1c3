/**
 * Plurals. `msg` has no plural syntax, so each form is its own message and the language's rules
 * (`Intl.PluralRules`) pick one: `plural(n, { one: () => msg(str`${n} domain`), other: () => msg(str`${n} domains`) })`.
 * English needs `one` and `other`; give `zero`, `two`, `few` or `many` where a language needs more
 * (Arabic uses all six): a form not given falls back to `other`.
 */
import { activeLocale } from './active-locale.js';

type Forms<T> = Partial<Record<Intl.LDMLPluralRule, () => T>> & { other: () => T };

const rules = new Map<string, Intl.PluralRules>();

export function plural<T>(count: number, forms: Forms<T>): T {
  const locale = activeLocale.format || activeLocale.lang; // unset: the catalogue's language ('' is no language tag)
  let rule = rules.get(locale);
  // English before any switch has no format locale: English rules ('' is not a locale to Intl, it throws).
  if (!rule) rules.set(locale, (rule = new Intl.PluralRules(locale || 'en')));
  return (forms[rule.select(count)] ?? forms.other)();
}
