/**
 * Plurals. `msg` has no plural syntax, so each form is its own message and the language's rules
 * (`Intl.PluralRules`) pick one: `plural(n, { one: () => msg(str`${n} domain`), other: () => msg(str`${n} domains`) })`.
 * English needs `one` and `other`; give `zero`, `two`, `few` or `many` where a language needs more
 * (Arabic uses all six): a form not given falls back to `other`. One implementation for core and
 * the portal: core's (`core/text-forms.ts`), in the language shown.
 */
export { plural } from '../../core/text-forms.js';
