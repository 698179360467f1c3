/**
 * Text that core writes for admins (test titles, failure texts, diagnoses), through the portal's
 * localization when there is one. Core is pure TypeScript and imports nothing of Lit or the
 * portal, so this is its own `msg` (values: `str` in `text-forms.ts`, which the overview's first
 * paint does not carry): English (the server's language, and the portal's until another is asked
 * for) until the portal's language switch hands its runtime in ({@link setCoreText}, from
 * `portal/localize/switch-locale.ts`). `lit-localize extract` finds the calls by their types'
 * brands, as it finds the portal's (docs/i18n.md).
 */

/** A `str`-tagged template: the shape `@lit/localize`'s runtime reads; in English, its `toString()`. */
export interface StrResult {
  strTag: true;
  strings: TemplateStringsArray;
  values: unknown[];
  toString(): string;
}

type Msg = { (template: string | StrResult): string; _LIT_LOCALIZE_MSG_?: never };

const english: Msg = String;

/** The message in the language shown. */
export let msg = english;

/** The portal's language switch hands its `msg` (the localization runtime) in. */
export function setCoreText(portalMsg: Msg): void {
  msg = portalMsg;
}

/** Whether messages are English now: before the portal's switch, and inside {@link inEnglish}. */
export const englishOnly = () => msg === english;

/**
 * A backend's own message, which is English (backends word theirs so): shown while messages are
 * English, where it is more precise than the words for its code; in another language, undefined,
 * and the caller shows its own words for the code.
 */
export const backendMessage = (message: string | undefined): string | undefined => (englishOnly() ? message : undefined);

/**
 * What `read` says in English, whatever the portal shows: the server's words for a code (to
 * compare with what it sent), and the diagnostic report, which goes to support teams in English.
 */
export function inEnglish<T>(read: () => T): T {
  const shown = msg;
  msg = english;
  try {
    return read();
  } finally {
    msg = shown;
  }
}
