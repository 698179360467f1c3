import { html, type TemplateResult } from 'lit';

/**
 * Text with domain names in it (a heading, a sentence), made to wrap after a domain's dots
 * rather than inside one of its labels: a `<wbr>` follows every dot that sits between two
 * letters or digits, so "sub.megacorp.example" may wrap as "sub.megacorp." / "example", while
 * the text, its copy and what screen readers say stay the same. The text is rendered as text.
 * Pair it with `overflow-wrap: break-word`, which breaks a label only when it alone is wider
 * than the line (the last resort).
 */
export function domainText(text: string): (string | TemplateResult)[] {
  return text.split(/(?<=[\p{L}\p{N}]\.)(?=[\p{L}\p{N}])/u).map((part, i) => (i === 0 ? part : html`<wbr />${part}`));
}
