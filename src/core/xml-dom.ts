/**
 * XML text to a DOM for the metadata reader, with the platform's parser where there is one:
 * the browser's native `DOMParser`, else (Node) `@xmldom/xmldom`, loaded on first use by a
 * dynamic import that a browser never runs (so it never downloads it).
 *
 * Both stop at the first well-formedness error and report it the same way, as an
 * {@link XmlParseError} (the parser's own words, line and column when known): xmldom throws from
 * its error handler; the native parser never throws but returns a document holding a
 * `parsererror` element (XHTML namespace in Chromium and WebKit, Mozilla's in Firefox), which is
 * read and turned into the same error. Callers run their pre-checks (`xml-limits.ts`: DOCTYPE,
 * sizes, depth) BEFORE calling this: neither parser must see hostile text.
 *
 * The reader uses only the few DOM members typed below, which both parsers provide.
 * Internal to core.
 */

/** The DOM members the reader uses (a subset of the standard DOM, met by both parsers). */
export interface XmlNode {
  readonly nodeType: number;
  readonly nodeValue: string | null;
  readonly firstChild: XmlNode | null;
  readonly nextSibling: XmlNode | null;
}

export interface XmlElement extends XmlNode {
  readonly localName: string | null;
  readonly namespaceURI: string | null;
  readonly tagName: string;
  hasAttribute(name: string): boolean;
  getAttribute(name: string): string | null;
  getAttributeNS(namespace: string | null, localName: string): string | null;
}

export interface XmlDocument {
  readonly documentElement: XmlElement | null;
}

export type XmlProblemKind = 'late_declaration' | 'second_root' | 'unclosed' | 'other';

/** Why the text is not well-formed XML: the parser's message, and where it stopped (1-based). */
export class XmlParseError extends Error {
  override readonly name = 'XmlParseError';
  /**
   * What kind of problem, when the parser's words tell (the native parser's, read here); the
   * caller reads xmldom's words itself.
   */
  kind: XmlProblemKind | undefined;
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}

const PARSER_ERROR_NAMESPACES = ['http://www.w3.org/1999/xhtml', 'http://www.mozilla.org/newlayout/xml/parsererror.xml'];

interface NativeDocument {
  readonly documentElement: (XmlElement & NativeElement) | null;
}

interface NativeParser {
  parseFromString(text: string, type: 'application/xml'): NativeDocument;
}

type NativeParserConstructor = new () => NativeParser;

/** The browser's DOMParser, when this runtime has one. */
function nativeParser(): NativeParserConstructor | undefined {
  return (globalThis as { DOMParser?: NativeParserConstructor }).DOMParser;
}

/**
 * The native parser's error document, read: Chromium says "error on line 2 at column 6:
 * XML declaration allowed only at the start of the document"; Firefox "XML Parsing Error: …
 * Line Number 2, Column 6:".
 */
function nativeProblem(text: string): XmlParseError {
  const chromium = /error on line (\d+) at column (\d+):\s*([\s\S]*?)\s*(?:Below is a rendering of the page up to the first error\.?)?$/.exec(text);
  if (chromium) return new XmlParseError(chromium[3]!.replace(/\s+/g, ' '), Number(chromium[1]), Number(chromium[2]));
  const firefox = /XML Parsing Error:\s*([^\n]*)[\s\S]*?Line Number (\d+), Column (\d+)/.exec(text);
  if (firefox) return new XmlParseError(firefox[1]!.trim(), Number(firefox[2]), Number(firefox[3]));
  return new XmlParseError(text.replace(/\s+/g, ' ').trim() || 'unknown error');
}

interface NativeElement {
  readonly localName: string | null;
  readonly namespaceURI: string | null;
  readonly textContent: string | null;
  readonly firstElementChild: NativeElement | null;
}

/**
 * The text of the error element the native parser put in the document, or null. Where it puts
 * it: Chromium and WebKit as the first child of the root element (or html > body > parsererror
 * when there is no root), Firefox as the root itself. Looked up there, in constant time: a
 * search of the whole document (getElementsByTagNameNS) cost a fifth of the parse.
 */
function parserError(doc: NativeDocument): string | null {
  const root = doc.documentElement;
  for (const el of [root, root?.firstElementChild, root?.firstElementChild?.firstElementChild]) {
    if (el?.localName === 'parsererror' && PARSER_ERROR_NAMESPACES.includes(el.namespaceURI ?? '')) return el.textContent ?? '';
  }
  return null;
}

/** UTF-16 offset of a 1-based line and column. */
function offsetOf(text: string, line: number, column: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', at);
    if (next === -1) return -1;
    at = next + 1;
  }
  return at + column - 1;
}

/** One parser for every parse (it keeps no state between parses). */
let nativeInstance: { Parser: NativeParserConstructor; parser: NativeParser } | undefined;

function parseNative(Parser: NativeParserConstructor, text: string): XmlDocument {
  if (nativeInstance?.Parser !== Parser) nativeInstance = { Parser, parser: new Parser() };
  const doc = nativeInstance.parser.parseFromString(text, 'application/xml');
  const error = parserError(doc);
  if (error === null) return doc;
  const problem = nativeProblem(error);
  problem.kind = /^Invalid processing instruction: <\?xml/.test(problem.message)
    ? 'late_declaration'
    : /^Unexpected (?:end of stream|closing tag)/.test(problem.message)
      ? 'unclosed'
      : 'other';
  // "Unexpected token: <" where the text before it is a whole document: a second root element.
  if (problem.line && problem.column && /^Unexpected token: </.test(problem.message)) {
    const at = offsetOf(text, problem.line, problem.column);
    if (at > 0 && text[at] === '<' && parserError(nativeInstance.parser.parseFromString(text.slice(0, at), 'application/xml')) === null) problem.kind = 'second_root';
  }
  throw problem;
}

type XmldomModule = typeof import('@xmldom/xmldom');
let xmldomPromise: Promise<XmldomModule> | undefined;

function loadXmldom(): Promise<XmldomModule> {
  xmldomPromise ??= import('@xmldom/xmldom')
    // CommonJS interop: named exports in Node and bundlers, `default` in some loaders.
    .then((mod) => ((mod as Partial<XmldomModule>).DOMParser ? mod : (mod as unknown as { default: XmldomModule }).default))
    .catch((error: unknown) => {
      xmldomPromise = undefined; // a failed load may succeed later
      throw error;
    });
  return xmldomPromise;
}

type XmldomParser = InstanceType<XmldomModule['DOMParser']>;

/** A parser that throws at the first error, noting it with its position. */
function xmldomParser(module: XmldomModule, found: { problem?: XmlParseError }): XmldomParser {
  return new module.DOMParser({
    locator: true,
    // Parameters typed here: the server's SAML libraries bring xmldom 0.8, whose types differ.
    onError(level: string, raw?: string, context?: unknown) {
      if (level === 'warning') return;
      const message: string = raw ?? '';
      if (!found.problem) {
        const position = (context as { locator?: { lineNumber?: number; columnNumber?: number } } | undefined)?.locator;
        found.problem = new XmlParseError(message, position?.lineNumber, position?.columnNumber);
      }
      // Stop at the first error: never build a DOM from damaged XML.
      throw new Error(message);
    },
  });
}

async function parseXmldom(text: string): Promise<XmlDocument> {
  const module = await loadXmldom();
  const found: { problem?: XmlParseError } = {};
  try {
    return xmldomParser(module, found).parseFromString(text, 'text/xml');
  } catch (error) {
    throw found.problem ?? new XmlParseError(error instanceof Error ? error.message : 'unknown error');
  }
}

/**
 * Parses XML text (already pre-checked by the caller). Rejects with {@link XmlParseError} when
 * it is not well-formed; the document may still lack a root element (check `documentElement`).
 */
export function parseXmlDocument(text: string): Promise<XmlDocument> {
  const Parser = nativeParser();
  if (Parser) {
    try {
      return Promise.resolve(parseNative(Parser, text));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new XmlParseError(String(error)));
    }
  }
  return parseXmldom(text);
}
