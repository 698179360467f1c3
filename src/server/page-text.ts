/** The server's pages' text, in the page's language (page-language.ts): `pageMsg`, and the pieces the pages share. */
import { generateMsgId } from '@lit/localize/internal/id-generation.js';
import { str, type StrResult } from '@lit/localize/internal/str-tag.js';
import { SafeHtml, escapeHtml, html } from './html.js';
import { CATALOGUES, pageLanguage } from './page-language.js';

type PageMsg = ((template: string | StrResult) => SafeHtml) & {
  /** What lit-localize's extraction recognises `msg` by: `pageMsg` calls are messages too. */
  _LIT_LOCALIZE_MSG_?: never;
};

const isStr = (template: string | StrResult): template is StrResult => typeof template !== 'string';

/**
 * `msg` for the server's pages: the text in the page's language, as HTML. The words are escaped;
 * the values go in as the `html` tag puts them (escaped, or as they are when made with `html`),
 * so a sentence may carry markup: pageMsg(str`Signed in as ${html`<strong>${email}</strong>`}.`).
 */
export const pageMsg: PageMsg = (template) => {
  const catalogue = CATALOGUES[pageLanguage().text];
  const id = generateMsgId(isStr(template) ? template.strings : template, false);
  const translated = catalogue?.[id];
  if (!isStr(template)) return new SafeHtml(escapeHtml(typeof translated === 'string' ? translated : template));
  // A translation of a `str` message: its own strings, and the order it puts the values in.
  const { strings, order } =
    translated && typeof translated !== 'string' && 'strTag' in translated
      ? { strings: translated.strings, order: translated.values as number[] }
      : { strings: template.strings, order: template.values.map((_, i) => i) };
  let out = escapeHtml(strings[0] ?? '');
  for (let i = 1; i < strings.length; i++) out += html`${template.values[order[i - 1]!]}`.value + escapeHtml(strings[i] ?? '');
  return new SafeHtml(out);
};

/** A value the sentence stresses (an email address): `<strong>`, escaped. */
export const strong = (value: string): SafeHtml => html`<strong>${value}</strong>`;

/** "What to do: …", the remedy after a failure. */
export const whatToDo = (remedy: string | SafeHtml): SafeHtml => html`<strong>${pageMsg('What to do:')}</strong> ${remedy}`;

/** "Code: `test_link_not_ready`", for the admin to quote. */
export const codeLine = (code: string): SafeHtml => html`<p>${pageMsg(str`Code: ${html`<code>${code}</code>`}`)}</p>`;
