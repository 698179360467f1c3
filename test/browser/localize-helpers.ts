/**
 * Helpers of the translation tests (issue 16): switch the page's language and wait for it, and
 * find text that escaped `msg` in a rendered shadow tree.
 */
import { LOCALE_STATUS_EVENT } from '@lit/localize/internal/locale-status-event.js';
import { activeLocale } from '../../src/portal/localize/active-locale.js';
import { resolveLocale } from '../../src/portal/localize/resolve-locale.js';

/** Resolves when the runtime says the catalogue `text` is ready. */
function ready(text: string): Promise<void> {
  return new Promise((resolve) => {
    const listener = (event: Event) => {
      const detail = (event as CustomEvent<{ status: string; readyLocale?: string }>).detail;
      if (detail.status === 'ready' && detail.readyLocale === text) {
        window.removeEventListener(LOCALE_STATUS_EVENT, listener);
        resolve();
      }
    };
    window.addEventListener(LOCALE_STATUS_EVENT, listener);
  });
}

/** Every element of `root`'s tree that has an update cycle, through open shadow roots. */
function* litElements(root: Element | ShadowRoot): Generator<{ updateComplete: Promise<unknown> }> {
  if ('updateComplete' in root) yield root as unknown as { updateComplete: Promise<unknown> };
  const tree = root instanceof Element ? root.shadowRoot : root;
  for (const element of tree?.querySelectorAll('*') ?? []) {
    if (element.shadowRoot) yield* litElements(element);
  }
}

/**
 * Sets `el.locale` (a portal) and resolves once the runtime has that catalogue ready and the
 * elements under `el` have rendered in it. The runtime is one per page: end each test in `en`.
 */
export async function switchTo(el: HTMLElement & { locale?: string }, locale: string): Promise<void> {
  const { text } = resolveLocale(locale);
  const switched = text === activeLocale.text ? undefined : ready(text);
  el.locale = locale;
  if (switched) {
    await switched;
    // The portal renders every element again once the runtime's promise settles, a few
    // microtasks after its 'ready' event: one task later, those renders are requested.
    await new Promise((resolve) => setTimeout(resolve));
  }
  await Promise.all([...litElements(el)].map((element) => element.updateComplete));
}

const ATTRIBUTES = ['aria-label', 'title', 'placeholder', 'alt'];
/** An English word: three unaccented ASCII letters in a row (the pseudo-locale accents every letter it translates). */
const ENGLISH_WORD = /[A-Za-z]{3,}/;

/**
 * The text nodes and the attributes an admin reads (aria-label, title, placeholder, alt) under
 * `root`, through nested open shadow roots, that still hold an English word once every `allow`
 * (values: provider and connection names, domains, URLs, codes) is taken out. `<style>`,
 * `<script>`, logos (`<svg>`) and anything inside `translate="no"` are not text; nor are the elements named in
 * `skip` (another area's, checked by its own tests).
 */
export function untranslatedText(root: Element | ShadowRoot, allow: readonly (string | RegExp)[] = [], skip: readonly string[] = []): string[] {
  const found: string[] = [];
  const check = (value: string | null) => {
    if (!value?.trim()) return;
    let rest = value;
    for (const value of allow) rest = typeof value === 'string' ? rest.split(value).join(' ') : rest.replace(new RegExp(value.source, value.flags.includes('g') ? value.flags : `${value.flags}g`), ' ');
    if (ENGLISH_WORD.test(rest)) found.push(value.trim());
  };
  const visit = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE) return check(node.textContent);
    if (node instanceof Element) {
      if (node.localName === 'style' || node.localName === 'script' || node.localName === 'svg' || node.getAttribute('translate') === 'no' || skip.includes(node.localName)) return;
      for (const name of ATTRIBUTES) check(node.getAttribute(name));
      if (node.shadowRoot) visit(node.shadowRoot);
    }
    for (const child of node.childNodes) visit(child);
  };
  visit(root instanceof Element && root.shadowRoot ? root.shadowRoot : root);
  return found;
}
