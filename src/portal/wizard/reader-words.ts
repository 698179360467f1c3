/**
 * What the SAML reader said (a metadata or certificate error, a warning) in the language shown
 * now. The reader words its message as it reads, in the language shown then, and more precisely
 * than its code's words (the line, the entity, the date). After a language switch, the words for
 * its code in the new language, from the reader's tables: loaded here on the first switch if
 * nothing has loaded them yet (a backend read in English), and the element renders again.
 */
import { activeLocale } from '../localize/active-locale.js';

interface Said {
  code: string;
  message: string;
  remedy?: string;
}

/** The language each item was first shown in: the one it was read in, as it is shown once read. */
const readIn = new WeakMap<Said, string>();
/** Elements waiting for the tables, to render again once they load. */
const waiting = new Set<{ requestUpdate(): void }>();
let inWordsOfCode: typeof import('../../core/saml-metadata.js').inWordsOfCode | undefined;

/** `said` as `host` shows it now: as read in the language it was read in, else in its code's words. */
export function inLanguageShown<T extends Said>(said: T, host: { requestUpdate(): void }): T {
  const language = readIn.get(said) ?? (readIn.set(said, activeLocale.text), activeLocale.text);
  if (language === activeLocale.text) return said;
  if (!inWordsOfCode) {
    if (!waiting.size) {
      import('../../core/saml-metadata.js')
        .then(
          (reader) => (inWordsOfCode = reader.inWordsOfCode),
          () => undefined, // offline: it stays as read, in the language it was read in, until a later render tries again
        )
        .finally(() => {
          for (const element of waiting) element.requestUpdate();
          waiting.clear();
        });
    }
    waiting.add(host);
    return said;
  }
  return inWordsOfCode(said);
}
