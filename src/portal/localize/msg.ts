/**
 * What the portal's text goes through: `msg` and `str` of `@lit/localize`, and the controller
 * that re-renders an element when the language changes.
 *
 * Imported from their own modules, not the package's index: the index also brings the runtime
 * that loads catalogues, which only a page in another language than English needs
 * (`switch-locale.ts` loads it then). `lit-localize extract` still finds every `msg` call: it
 * recognises the function by its type, not by the import path.
 */
export { msg } from '@lit/localize/init/install.js';
export { str } from '@lit/localize/internal/str-tag.js';
export { updateWhenLocaleChanges } from '@lit/localize/internal/localized-controller.js';
