/** Pieces the server's pages share, in the page's language (page-language.ts). */
import { str } from '@lit/localize/internal/str-tag.js';
import { html, type SafeHtml } from './html.js';
import { pageMsg } from './page-language.js';

/** A value the sentence stresses (an email address): `<strong>`, escaped. */
export const strong = (value: string): SafeHtml => html`<strong>${value}</strong>`;

/** "What to do: …", the remedy after a failure. */
export const whatToDo = (remedy: string | SafeHtml): SafeHtml => html`<strong>${pageMsg('What to do:')}</strong> ${remedy}`;

/** "Code: `test_link_not_ready`", for the admin to quote. */
export const codeLine = (code: string): SafeHtml => html`<p>${pageMsg(str`Code: ${html`<code>${code}</code>`}`)}</p>`;
