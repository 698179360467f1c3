/**
 * Limits on XML text from outside (SAML responses, metadata, AuthnRequests), checked in one
 * linear pass over the text before any XML parser builds a DOM from it. A DOM parser spends
 * microseconds on every element, attribute, text run, comment or reference it meets, and far
 * more on deep nesting: 100,000 nested elements in 700 kB cost over a second of CPU. This scan
 * reads each character once (a `charCodeAt` loop and `indexOf`, no backtracking regular
 * expression), keeps only counters, and stops at the first limit passed, so refusing hostile
 * input costs what reading it costs.
 *
 * It is not a validator: text it does not understand (an unclosed tag, a stray `<`) is left
 * for the parser, which stops at the first error. It counts conservatively: whatever a parser
 * would build from well-formed XML is counted at least once.
 *
 * Pure: no DOM, no Node APIs; the same in browsers and Node. Never throws. Internal to core
 * (the metadata reader) and to the server (ACS, simulator); not exported from the package.
 */

/** The limits of one kind of document. */
export interface XmlLimits {
  /** Longest text, in UTF-16 code units (`string.length`). */
  readonly maxLength: number;
  /** Deepest nesting of elements (the root is depth 1). */
  readonly maxDepth: number;
  /** Elements in the whole document. */
  readonly maxElements: number;
  /** Attributes on one element, namespace declarations included. */
  readonly maxAttributesPerElement: number;
  /**
   * Every node a DOM would hold, in the whole document: elements, attributes (namespace
   * declarations included), text runs, entity and character references, comments, processing
   * instructions and CDATA sections. This bounds the parser's work.
   */
  readonly maxNodes: number;
  /** Longest element or attribute name (prefix included). */
  readonly maxNameLength: number;
}

/** Why a document was refused. Stable codes; each site maps them onto its own error codes. */
export type XmlLimitCode =
  | 'xml_dtd'
  | 'xml_too_long'
  | 'xml_too_deep'
  | 'xml_too_many_elements'
  | 'xml_too_many_attributes'
  | 'xml_too_many_nodes'
  | 'xml_name_too_long';

/** What the scan counted (up to where it stopped). */
export interface XmlCounts {
  elements: number;
  nodes: number;
  maxDepth: number;
}

export type XmlLimitsResult =
  | { ok: true; counts: XmlCounts }
  | {
      ok: false;
      code: XmlLimitCode;
      /** Plain words, naming the limit ("more than 64 levels deep"). */
      message: string;
      /** The limit passed (0 for `xml_dtd`). */
      limit: number;
      /** Where in the text the limit was passed (UTF-16 offset). */
      offset: number;
      counts: XmlCounts;
    };

/**
 * A SAML response (and any SAML protocol message posted to us). Real ones hold tens of
 * elements, a few hundred with many groups, nest under 12 levels and carry under 16 attributes
 * per element (the IdP corpus: at most 54 elements and 139 nodes, depth 8, 8 attributes); 5,000
 * nodes still hold some 800 pretty-printed group values. The budget keeps the worst response
 * that passes (parsed, surveyed, its signature checked) under 50 ms of CPU: `npm run bench`.
 */
export const SAML_RESPONSE_XML_LIMITS: XmlLimits = {
  maxLength: 1024 * 1024,
  maxDepth: 32,
  maxElements: 2_500,
  maxAttributesPerElement: 64,
  maxNodes: 5_000,
  maxNameLength: 256,
};

/** An AuthnRequest sent to the IdP simulator: a handful of elements. */
export const SAML_REQUEST_XML_LIMITS: XmlLimits = {
  maxLength: 64 * 1024,
  maxDepth: 16,
  maxElements: 200,
  maxAttributesPerElement: 64,
  maxNodes: 1_000,
  maxNameLength: 256,
};

/**
 * SAML metadata, up to a federation aggregate (the IdP corpus: 1.3 MB, 6,020 elements,
 * depth 8, 15 attributes per element). The counts leave room for an aggregate of 2 MB.
 */
export const SAML_METADATA_XML_LIMITS: XmlLimits = {
  maxLength: 2 * 1024 * 1024,
  maxDepth: 64,
  maxElements: 12_000,
  maxAttributesPerElement: 128,
  maxNodes: 50_000,
  maxNameLength: 256,
};

// Character codes.
const LT = 0x3c; // <
const GT = 0x3e; // >
const SLASH = 0x2f; // /
const BANG = 0x21; // !
const QUESTION = 0x3f; // ?
const EQUALS = 0x3d; // =
const QUOTE = 0x22; // "
const APOSTROPHE = 0x27; // '

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** Ends a name: white space, `/`, `>`, `<`, `=`, a quote (or the end of the text: NaN). */
function endsName(c: number): boolean {
  return isSpace(c) || c === SLASH || c === GT || c === LT || c === EQUALS || c === QUOTE || c === APOSTROPHE || Number.isNaN(c);
}

/**
 * Whether the text declares a document type or an entity (`<!DOCTYPE`, `<!ENTITY`, any case,
 * white space allowed after `<!`), anywhere, comments included: SAML forbids both, and they
 * carry XXE and entity-expansion attacks. NULs are skipped, so UTF-16 read as 8-bit text
 * (a NUL between every ASCII letter) is caught too. One linear pass.
 */
export function declaresDtd(text: string): boolean {
  for (let i = text.indexOf('<'); i !== -1; i = text.indexOf('<', i + 1)) {
    let k = i + 1;
    while (text.charCodeAt(k) === 0) k++;
    if (text.charCodeAt(k) !== BANG) continue;
    k++;
    // White space and NULs (all control characters, as the regular expression \s would be wider).
    while (text.charCodeAt(k) <= 0x20) k++;
    if (matchesSkippingNul(text, k, 'DOCTYPE') || matchesSkippingNul(text, k, 'ENTITY')) return true;
  }
  return false;
}

function matchesSkippingNul(text: string, at: number, word: string): boolean {
  let k = at;
  for (let w = 0; w < word.length; w++) {
    while (text.charCodeAt(k) === 0) k++;
    if ((text.charCodeAt(k) & ~0x20) !== word.charCodeAt(w)) return false;
    k++;
  }
  return true;
}

const MESSAGES: Record<Exclude<XmlLimitCode, 'xml_dtd'>, (limit: number) => string> = {
  xml_too_long: (limit) => `The XML is longer than ${limit.toLocaleString('en-US')} characters.`,
  xml_too_deep: (limit) => `The XML nests elements more than ${limit} levels deep.`,
  xml_too_many_elements: (limit) => `The XML has more than ${limit.toLocaleString('en-US')} elements.`,
  xml_too_many_attributes: (limit) => `An XML element has more than ${limit} attributes.`,
  xml_too_many_nodes: (limit) =>
    `The XML has more than ${limit.toLocaleString('en-US')} parts (elements, attributes, text runs, references, comments).`,
  xml_name_too_long: (limit) => `An XML element or attribute name is longer than ${limit} characters.`,
};

/**
 * Checks XML text against `limits` without building anything. `{ ok: true }` when no limit is
 * passed (the text may still be malformed: the parser says so), else the first limit passed.
 * Never throws; costs one pass over at most the text.
 */
export function checkXmlLimits(text: string, limits: XmlLimits): XmlLimitsResult {
  const counts: XmlCounts = { elements: 0, nodes: 0, maxDepth: 0 };
  const refuse = (code: XmlLimitCode, limit: number, offset: number): XmlLimitsResult => ({
    ok: false,
    code,
    message: code === 'xml_dtd' ? 'The XML contains a DOCTYPE or ENTITY declaration.' : MESSAGES[code](limit),
    limit,
    offset,
    counts,
  });
  if (typeof text !== 'string') return { ok: true, counts };
  const n = text.length;
  if (n > limits.maxLength) return refuse('xml_too_long', limits.maxLength, limits.maxLength);
  if (declaresDtd(text)) return refuse('xml_dtd', 0, Math.max(0, text.indexOf('<!')));

  let depth = 0;
  let i = 0;
  /** The next `&` at or after the last position asked for (n when none is left): each `&` is found once. */
  let amp = -1;
  /** Counts one node; false when the node budget is spent. */
  const node = (): boolean => ++counts.nodes <= limits.maxNodes;
  /** Counts the references (`&...;`) in text[from, to); false when the node budget is spent. */
  const references = (from: number, to: number): boolean => {
    for (;;) {
      if (amp < from) {
        amp = text.indexOf('&', from);
        if (amp === -1) amp = n;
      }
      if (amp >= to) return true;
      if (!node()) return false;
      from = amp + 1;
    }
  };

  while (i < n) {
    const lt = text.indexOf('<', i);
    const textEnd = lt === -1 ? n : lt;
    if (textEnd > i) {
      // A text run (white space too: parsers keep it as a text node), and its references.
      if (!node() || !references(i, textEnd)) return refuse('xml_too_many_nodes', limits.maxNodes, i);
    }
    if (lt === -1) break;
    const next = text.charCodeAt(lt + 1);

    if (next === QUESTION) {
      // Processing instruction (the XML declaration too).
      if (!node()) return refuse('xml_too_many_nodes', limits.maxNodes, lt);
      const end = text.indexOf('?>', lt + 2);
      if (end === -1) break; // unclosed: the rest is inside it for any parser
      i = end + 2;
      continue;
    }

    if (next === BANG) {
      if (text.startsWith('<!--', lt)) {
        if (!node()) return refuse('xml_too_many_nodes', limits.maxNodes, lt);
        const end = text.indexOf('-->', lt + 4);
        if (end === -1) break;
        i = end + 3;
        continue;
      }
      if (text.startsWith('<![CDATA[', lt)) {
        if (!node()) return refuse('xml_too_many_nodes', limits.maxNodes, lt);
        const end = text.indexOf(']]>', lt + 9);
        if (end === -1) break;
        i = end + 3;
        continue;
      }
      // Any other markup declaration (<!DOCTYPE, <!ENTITY, <!ELEMENT, <!ATTLIST ...).
      return refuse('xml_dtd', 0, lt);
    }

    if (next === SLASH) {
      // End tag.
      let k = lt + 2;
      while (!endsName(text.charCodeAt(k))) k++;
      if (k - (lt + 2) > limits.maxNameLength) return refuse('xml_name_too_long', limits.maxNameLength, lt);
      if (depth > 0) depth--;
      const end = text.indexOf('>', k);
      if (end === -1) break;
      i = end + 1;
      continue;
    }

    // Start tag: name, attributes, then `>` (opens an element) or `/>` (empty element).
    let k = lt + 1;
    while (!endsName(text.charCodeAt(k))) k++;
    if (k - (lt + 1) > limits.maxNameLength) return refuse('xml_name_too_long', limits.maxNameLength, lt);
    counts.elements++;
    if (counts.elements > limits.maxElements) return refuse('xml_too_many_elements', limits.maxElements, lt);
    if (!node()) return refuse('xml_too_many_nodes', limits.maxNodes, lt);
    let attributes = 0;
    let opens = true;
    let unterminated = false;
    for (;;) {
      while (isSpace(text.charCodeAt(k))) k++;
      if (k >= n) {
        unterminated = true;
        break;
      }
      const c = text.charCodeAt(k);
      if (c === GT) {
        k++;
        break;
      }
      if (c === SLASH && text.charCodeAt(k + 1) === GT) {
        opens = false;
        k += 2;
        break;
      }
      if (c === LT) break; // a stray `<`: the parser stops here; counted as an open element
      if (c === QUOTE || c === APOSTROPHE) {
        // A value (after `=`, or stray): up to the same quote; `>` inside does not end the tag.
        const close = text.indexOf(c === QUOTE ? '"' : "'", k + 1);
        if (close === -1) {
          unterminated = true;
          break;
        }
        if (!references(k + 1, close)) return refuse('xml_too_many_nodes', limits.maxNodes, k);
        k = close + 1;
        continue;
      }
      if (c === EQUALS || c === SLASH) {
        k++;
        continue;
      }
      // An attribute name.
      const start = k;
      while (!endsName(text.charCodeAt(k))) k++;
      if (k - start > limits.maxNameLength) return refuse('xml_name_too_long', limits.maxNameLength, start);
      attributes++;
      if (attributes > limits.maxAttributesPerElement) return refuse('xml_too_many_attributes', limits.maxAttributesPerElement, start);
      if (!node()) return refuse('xml_too_many_nodes', limits.maxNodes, start);
    }
    // An empty element (`<a/>`) sits one level down too, but holds nothing.
    const level = depth + 1;
    if (level > counts.maxDepth) counts.maxDepth = level;
    if (level > limits.maxDepth) return refuse('xml_too_deep', limits.maxDepth, lt);
    if (opens) depth = level;
    if (unterminated) break;
    i = k;
  }
  return { ok: true, counts };
}
