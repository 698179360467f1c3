/**
 * Values, plurals and lists in core's messages (`text.ts`): `msg(str`Add ${domain}.`)`,
 * `plural(n, { one: () => msg(str`${n} group`), other: () => msg(str`${n} groups`) })`. Apart
 * from `msg`, so the overview's first paint, which names a test's failure, carries none of it.
 */
import { displayLanguage } from './format.js';
import { englishOnly, type StrResult } from './text.js';

let shownLanguage = displayLanguage;

/** @internal The server: plurals and lists in the language of the request a page is built for (server/page-language.ts). */
export function setTextFormsLanguage(read: () => string): void {
  shownLanguage = read;
}

/** The language of plurals and lists: English inside `inEnglish` (the report), else the one shown. */
const language = () => (englishOnly() ? 'en' : shownLanguage());

/** Values in a message. The brand (a type only) is what extraction looks for. */
export const str: { (strings: TemplateStringsArray, ...values: unknown[]): StrResult; _LIT_LOCALIZE_STR_?: never } = (strings, ...values) => ({
  strTag: true,
  strings,
  values,
  // English: what `msg` (`String`) makes of it before the portal's runtime is in.
  toString: () => strings.reduce((text, part, i) => `${text}${String(values[i - 1])}${part}`),
});

/** The form of `count` the language shown needs (see `portal/localize/plural.ts`); a form not given falls back to `other`. */
export function plural<T = string>(count: number, forms: Partial<Record<Intl.LDMLPluralRule, () => T>> & { other: () => T }): T {
  return (forms[new Intl.PluralRules(language()).select(count)] ?? forms.other)();
}

/** "a, b, c" in the language shown. */
export function list(items: string[]): string {
  return new Intl.ListFormat(language(), { type: 'unit' }).format(items);
}
