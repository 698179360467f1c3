/**
 * The SAML metadata and certificate reader behind `saml-metadata.ts`, which loads it on first
 * use (dynamic import) so that neither this code nor its libraries weigh on the first bundle.
 * Internal to core: use `parseSamlMetadata` / `parseCertificate` from `saml-metadata.ts`.
 *
 * Order of the checks, so that hostile input never reaches the XML parser: type and size,
 * encoding sniffing (bytes), BOM and leading whitespace, HTML, one linear scan (`xml-limits.ts`:
 * DOCTYPE/ENTITY, nesting depth, elements, attributes, nodes, names), not-XML kinds (JSON,
 * certificate, text), then the XML parser stopping at the first error (`xml-dom.ts`: the
 * browser's native DOMParser, `@xmldom/xmldom` in Node), then the SAML checks on namespace URI
 * + local name. Certificates: `x509.ts` (DER reader, SHA-256 by `@noble/hashes`), each distinct one
 * once, synchronously: after the parse, nothing is awaited.
 */
import { isSecureOrLoopback, parseHttpUrl } from './loopback.js';
import { displayLanguage } from './format.js';
import { englishOnly, msg } from './text.js';
import { plural, str } from './text-forms.js';
import { bestSigningCertificates } from './certificate-limit.js';
import { MAX_SIGNING_CERTIFICATES } from './model.js';
import { decodeCertificateDer, type CertificateDecodeError } from './x509.js';
import { XmlParseError, parseXmlDocument, type XmlDocument, type XmlElement as Element, type XmlProblemKind } from './xml-dom.js';
import { SAML_METADATA_XML_LIMITS, checkXmlLimits, type XmlLimitsResult } from './xml-limits.js';
import {
  CERTIFICATE_ERRORS,
  CERTIFICATE_EXPIRY_WARNING_DAYS,
  CERTIFICATE_MAX_BYTES,
  METADATA_ERRORS,
  METADATA_WARNINGS,
  SAML_BINDING_URNS,
  SAML_METADATA_MAX_BYTES,
  SAML_NAMESPACES,
  type CertificateError,
  type CertificateErrorCode,
  type CertificateResult,
  type MetadataInputKind,
  type MetadataEntityChoice,
  type MetadataError,
  type MetadataErrorCode,
  type MetadataResult,
  type MetadataWarning,
  type MetadataWarningCode,
  type ParseCertificateOptions,
  type ParseMetadataOptions,
  type SamlCertificate,
  type SamlIdpMetadata,
  type SamlSsoService,
} from './saml-metadata.js';

interface CodeInfo {
  readonly message: string;
  readonly remedy: string;
}
// ---------------------------------------------------------------------------------------
// Results

// A refusal is how the reader answers, not a fault: thrown to unwind to `readSamlMetadata` /
// `readCertificate`, which turn it into `{ ok: false, error }`. Not an Error: an Error captures
// a stack trace, which cost a third of the time of refusing a small file (bench-parse-browser).
class MetadataRefusal {
  constructor(readonly error: MetadataError) {}
}

function refuse(code: MetadataErrorCode, extra: Partial<Omit<MetadataError, 'code' | 'remedy'>> = {}): never {
  const info: CodeInfo = METADATA_ERRORS[code];
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- a refusal, caught in this module (above)
  throw new MetadataRefusal({ code, message: extra.message ?? info.message, remedy: info.remedy, ...withoutMessage(extra) });
}

function withoutMessage<T extends { message?: string }>(extra: T): Omit<T, 'message'> {
  const rest: Partial<T> = { ...extra };
  delete rest.message;
  return rest as Omit<T, 'message'>;
}

class CertificateRefusal {
  constructor(readonly error: CertificateError) {}
}

function refuseCertificate(code: CertificateErrorCode, extra: Partial<Omit<CertificateError, 'code' | 'remedy'>> = {}): never {
  const info: CodeInfo = CERTIFICATE_ERRORS[code];
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- a refusal, caught in this module (MetadataRefusal)
  throw new CertificateRefusal({ code, message: extra.message ?? info.message, remedy: info.remedy, ...withoutMessage(extra) });
}

function warning(code: MetadataWarningCode, message?: string, fingerprintSha256?: string): MetadataWarning {
  const w: MetadataWarning = { code, message: message ?? METADATA_WARNINGS[code].message };
  if (fingerprintSha256) w.fingerprintSha256 = fingerprintSha256;
  return w;
}

// ---------------------------------------------------------------------------------------
// Text handling

/** Runs of characters outside ASCII. */
const NON_ASCII = /[\u0080-\uffff]+/g;

/**
 * UTF-8 length of a string (a lone surrogate counts 3 bytes, as TextEncoder writes U+FFFD),
 * without encoding it: one byte per character, plus what the runs of non-ASCII characters add,
 * found by a regular expression (a loop over every character of 1.3 MB cost 5 ms in Chromium).
 */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (const [run] of text.matchAll(NON_ASCII)) {
    for (let i = 0; i < run.length; i++) {
      const c = run.charCodeAt(i);
      if (c < 0x800) bytes += 1;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < run.length) {
        const next = run.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          bytes += 2; // four bytes for two UTF-16 units
          i++;
        } else bytes += 2;
      } else bytes += 2;
    }
  }
  return bytes;
}

function decodeUtf16(bytes: Uint8Array, bigEndian: boolean): string {
  const units = new Uint16Array(Math.floor(bytes.length / 2));
  for (let i = 0; i < units.length; i++) {
    const a = bytes[2 * i]!;
    const b = bytes[2 * i + 1]!;
    units[i] = bigEndian ? (a << 8) | b : (b << 8) | a;
  }
  let text = '';
  for (let i = 0; i < units.length; i += 0x8000) text += String.fromCharCode.apply(null, units.subarray(i, i + 0x8000) as unknown as number[]);
  return text;
}

/**
 * Bytes to text the way XML processors sniff it (XML 1.0 appendix F): byte-order marks, UTF-16
 * without a BOM, then the encoding declared in the XML declaration; UTF-8 otherwise.
 */
export function decodeXmlBytes(bytes: Uint8Array): string {
  const [b0, b1, b2, b3] = [bytes[0], bytes[1], bytes[2], bytes[3]];
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (b0 === 0xfe && b1 === 0xff) return decodeUtf16(bytes.subarray(2), true);
  if (b0 === 0xff && b1 === 0xfe) return decodeUtf16(bytes.subarray(2), false);
  if (b0 === 0x00 && b1 !== 0x00 && b2 === 0x00) return decodeUtf16(bytes, true);
  if (b0 !== 0x00 && b1 === 0x00 && b3 === 0x00) return decodeUtf16(bytes, false);
  let head = '';
  for (let i = 0; i < Math.min(bytes.length, 256); i++) head += String.fromCharCode(bytes[i]!);
  const declared = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head)?.[1];
  if (declared) {
    try {
      return new TextDecoder(declared).decode(bytes);
    } catch {
      // An encoding this runtime does not know: read it as UTF-8.
    }
  }
  return new TextDecoder('utf-8').decode(bytes);
}

function bytesToLatin1(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000) as unknown as number[]);
  return text;
}

const HTML_TAG = /^<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])/i;

/**
 * Where the first markup starts after the XML declaration, comments and white space: one pass
 * with indexOf. (A regular expression that skipped comments backtracked exponentially on a
 * few hundred bytes of `<!---->`.)
 */
function afterProlog(text: string): number {
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && text.charCodeAt(i) <= 0x20) i++;
  };
  skipSpace();
  if (text.slice(i, i + 5).toLowerCase() === '<?xml') {
    const end = text.indexOf('>', i);
    if (end === -1) return text.length;
    i = end + 1;
  }
  for (;;) {
    skipSpace();
    if (!text.startsWith('<!--', i)) return i;
    const end = text.indexOf('-->', i + 4);
    if (end === -1) return text.length;
    i = end + 3;
  }
}

function looksLikeHtml(text: string): boolean {
  // Not anchored: HTML pages often start with a comment or a script. Metadata that merely
  // mentions <html> (in a description) declares the metadata namespace, so it is not caught.
  const start = afterProlog(text);
  return HTML_TAG.test(text.slice(start, start + 1024)) || (/<html[\s>]/i.test(text.slice(0, 4096)) && !text.includes(SAML_NAMESPACES.metadata));
}

function notXml(kind: MetadataInputKind, text: string): never {
  switch (kind) {
    case 'empty':
      return refuse('metadata_not_xml', { kind, message: msg('The file or text is empty.') });
    case 'html':
      return refuse('metadata_not_xml', {
        kind,
        message: msg(
          'This is a web page (HTML), not SAML metadata: the metadata URL probably showed a login page or an error page instead of the XML. Open the metadata URL in a private browser window: if it asks you to sign in, use the public metadata URL from the identity provider’s console, or download the metadata file and upload it here.',
        ),
      });
    case 'json': {
      let oidc = false;
      try {
        const value: unknown = JSON.parse(text);
        oidc = typeof value === 'object' && value !== null && 'issuer' in value && 'authorization_endpoint' in value;
      } catch {
        // Not even valid JSON: still not XML.
      }
      return refuse('metadata_not_xml', {
        kind,
        message: oidc
          ? msg('This is an OpenID Connect configuration (JSON), not SAML metadata. Set this connection up with OpenID Connect instead.')
          : msg('This is JSON, not SAML metadata (XML).'),
      });
    }
    case 'certificate':
      return refuse('metadata_not_xml', {
        kind,
        message: msg('This is a certificate, not the metadata XML. To use a certificate, enter the values manually; otherwise download the metadata XML.'),
      });
    default:
      return refuse('metadata_not_xml', { kind: 'text' });
  }
}

/** The checks made on the text before any XML parser sees it. */
function precheck(text: string): void {
  if (text.length === 0) notXml('empty', text);
  // A NUL never occurs in XML; UTF-16 read as 8-bit text has one between every ASCII letter.
  const scan = text.includes('\u0000') ? text.split('\u0000').join('') : text;
  if (looksLikeHtml(scan)) notXml('html', text);
  // One linear scan: DOCTYPE/ENTITY (NULs skipped), then the limits of metadata (depth,
  // elements, attributes, nodes, names), so that hostile XML never builds a DOM.
  const limits = checkXmlLimits(text, SAML_METADATA_XML_LIMITS);
  if (!limits.ok && limits.code === 'xml_dtd') refuse('metadata_doctype_forbidden');
  const first = text[0];
  if (first === '{' || first === '[') notXml('json', text);
  if (text.startsWith('-----BEGIN') || /^MII[A-Za-z0-9+/=\s]{40,}$/.test(text.slice(0, 4096))) notXml('certificate', text);
  if (first !== '<') notXml('text', text);
  if (!limits.ok) refuseOverLimits(limits);
}

/**
 * Metadata past the XML limits. Too many elements or nodes: a federation's whole list rather
 * than one identity provider (`metadata_too_large`). Too deep, too many attributes on one
 * element, overlong names: no SAML metadata looks like that (`metadata_not_saml`).
 */
function refuseOverLimits({ code, limit }: Extract<XmlLimitsResult, { ok: false }>): never {
  // Whole sentences here (xml-limits.ts words the server's checks of SAML messages, in English).
  const n = limit.toLocaleString(englishOnly() ? 'en-US' : displayLanguage());
  if (code === 'xml_too_many_elements' || code === 'xml_too_many_nodes' || code === 'xml_too_long') {
    refuse('metadata_too_large', {
      message:
        code === 'xml_too_long'
          ? msg(str`The XML is longer than ${n} characters. That is far more than the metadata of one identity provider, so it was not read.`)
          : code === 'xml_too_many_elements'
            ? msg(str`The XML has more than ${n} elements. That is far more than the metadata of one identity provider, so it was not read.`)
            : msg(
                str`The XML has more than ${n} parts (elements, attributes, text runs, references, comments). That is far more than the metadata of one identity provider, so it was not read.`,
              ),
    });
  }
  refuse('metadata_not_saml', {
    kind: 'other_xml',
    message:
      code === 'xml_too_deep'
        ? msg(str`The XML nests elements more than ${n} levels deep. SAML metadata never comes near that, so it was not read.`)
        : code === 'xml_too_many_attributes'
          ? msg(str`An XML element has more than ${n} attributes. SAML metadata never comes near that, so it was not read.`)
          : msg(str`An XML element or attribute name is longer than ${n} characters. SAML metadata never comes near that, so it was not read.`),
  });
}

/** What the parser's problem means, in plain words (one whole sentence each). */
function plainParseMessage(kind: XmlProblemKind): string {
  switch (kind) {
    case 'late_declaration':
      return msg('The XML declaration (<?xml …?>) must be the very first thing in the file, but something comes before it.');
    case 'second_root':
      return msg('The XML has more than one top-level element; metadata has exactly one (EntityDescriptor or EntitiesDescriptor).');
    case 'unclosed':
      return msg('The XML is cut off or has an unclosed or mismatched element.');
    default:
      return msg('The XML is not well-formed.');
  }
}

/** The kind of problem: told by the native parser's reading (xml-dom.ts), else from @xmldom/xmldom's words. */
function parseProblemKind(error: XmlParseError): XmlProblemKind {
  if (error.kind) return error.kind;
  const raw = error.message;
  if (/only at the start of the document|xml declaration/i.test(raw)) return 'late_declaration';
  if (/Only one element can be added|only one root|more than one root/i.test(raw)) return 'second_root';
  // "Opening and ending tag mismatch" too (it fell through to "not well-formed" before).
  if (/unclosed|not closed|end tag|closing tag|tag mismatch|missing root|expected/i.test(raw)) return 'unclosed';
  return 'other';
}

async function parseXml(text: string): Promise<XmlDocument> {
  let doc: XmlDocument;
  try {
    doc = await parseXmlDocument(text);
  } catch (error) {
    if (!(error instanceof XmlParseError)) throw error;
    // The parser's own words stay as they are (English): its evidence, after "Details:".
    const plain = plainParseMessage(parseProblemKind(error));
    const details = error.message.slice(0, 300);
    const { line, column } = error;
    refuse('metadata_malformed', {
      message: !line
        ? msg(str`${plain} Details: ${details}`)
        : column
          ? msg(str`${plain} (line ${line}, column ${column}) Details: ${details}`)
          : msg(str`${plain} (line ${line}) Details: ${details}`),
      ...(error.line ? { line: error.line } : {}),
      ...(error.column ? { column: error.column } : {}),
    });
  }
  if (!doc.documentElement) refuse('metadata_malformed', { message: msg('The XML has no root element.') });
  return doc;
}

// ---------------------------------------------------------------------------------------
// DOM helpers (namespace URI + local name, never prefixes)

const MD = SAML_NAMESPACES.metadata;
const ELEMENT_NODE = 1;

function childElements(parent: Element, namespace: string | null, localName: string): Element[] {
  const out: Element[] = [];
  // firstChild/nextSibling: no NodeList built (in browsers, childNodes costs more than the walk).
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType !== ELEMENT_NODE) continue;
    const el = node as Element;
    if (el.localName === localName && (namespace === null || el.namespaceURI === namespace)) out.push(el);
  }
  return out;
}

/** Descendants with this local name in any namespace, breadth-first, iteratively (no deep recursion). */
function descendantsByLocalName(root: Element, localName: string, limit = 100): Element[] {
  const out: Element[] = [];
  const queue: Element[] = [root];
  let visited = 0;
  while (queue.length > 0 && out.length < limit && visited < 10_000) {
    const el = queue.shift()!;
    visited++;
    for (let node = el.firstChild; node; node = node.nextSibling) {
      if (node.nodeType !== ELEMENT_NODE) continue;
      const child = node as Element;
      if (child.localName === localName) out.push(child);
      else queue.push(child);
    }
  }
  return out;
}

/** Text of a leaf element (concatenated text and CDATA children). */
function textOf(el: Element): string {
  let text = '';
  for (let node = el.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 3 || node.nodeType === 4) text += node.nodeValue ?? '';
  }
  return text;
}

/** An attribute's value, null when absent (both parsers return null then: one DOM call, not two). */
function attr(el: Element, name: string): string | null {
  return el.getAttribute(name);
}

function parseDate(value: string | null): Date | null {
  if (!value) return null;
  const date = new Date(value.trim());
  return Number.isNaN(date.getTime()) ? null : date;
}

function localizedText(elements: Element[]): string | undefined {
  const xmlNs = 'http://www.w3.org/XML/1998/namespace';
  const texts = elements
    .map((el) => ({ lang: (el.getAttributeNS(xmlNs, 'lang') ?? '').toLowerCase(), text: textOf(el).replace(/\s+/g, ' ').trim() }))
    .filter((t) => t.text);
  const english = texts.find((t) => t.lang === 'en' || t.lang.startsWith('en-'));
  return (english ?? texts[0])?.text;
}

// ---------------------------------------------------------------------------------------
// Entities

interface EntityInfo {
  element: Element;
  entityId: string;
  /** The first IDPSSODescriptor that supports SAML 2.0. */
  idp: Element | null;
  /** Has any IDPSSODescriptor (maybe SAML 1.x only). */
  hasIdpRole: boolean;
  hasSpRole: boolean;
  /** validUntil of enclosing EntitiesDescriptors and of the entity. */
  validUntil: Date[];
  /** The display name, once asked for ({@link displayNameOf}); null when there is none. */
  displayName?: string | null;
}

function supportsSaml2(role: Element): boolean {
  const protocols = (attr(role, 'protocolSupportEnumeration') ?? '').split(/\s+/);
  return protocols.includes(SAML_NAMESPACES.protocol);
}

function describeEntity(element: Element, inherited: Date[]): EntityInfo {
  const idpRoles = childElements(element, MD, 'IDPSSODescriptor');
  const idp = idpRoles.find(supportsSaml2) ?? null;
  const validUntil = [...inherited];
  const own = parseDate(attr(element, 'validUntil'));
  if (own) validUntil.push(own);
  const info: EntityInfo = {
    element,
    entityId: (attr(element, 'entityID') ?? '').trim(),
    idp,
    hasIdpRole: idpRoles.length > 0,
    hasSpRole: childElements(element, MD, 'SPSSODescriptor').length > 0,
    validUntil,
  };
  return info;
}

/**
 * The entity's display name, read when first asked for: of an aggregate's hundreds of entities,
 * only the one read and the lists of choices need theirs.
 */
function displayNameOf(entity: EntityInfo): string | undefined {
  entity.displayName ??= entityDisplayName(entity.element, entity.idp) ?? null;
  return entity.displayName ?? undefined;
}

function entityDisplayName(entity: Element, idp: Element | null): string | undefined {
  if (idp) {
    for (const extensions of childElements(idp, MD, 'Extensions')) {
      for (const uiInfo of childElements(extensions, SAML_NAMESPACES.mdui, 'UIInfo')) {
        const name = localizedText(childElements(uiInfo, SAML_NAMESPACES.mdui, 'DisplayName'));
        if (name) return name;
      }
    }
  }
  for (const org of childElements(entity, MD, 'Organization')) {
    const name = localizedText(childElements(org, MD, 'OrganizationDisplayName')) ?? localizedText(childElements(org, MD, 'OrganizationName'));
    if (name) return name;
  }
  return undefined;
}

/** Every EntityDescriptor, through nested EntitiesDescriptors (iteratively). */
function collectEntities(root: Element): EntityInfo[] {
  if (root.localName === 'EntityDescriptor') return [describeEntity(root, [])];
  const entities: EntityInfo[] = [];
  const stack: { el: Element; inherited: Date[] }[] = [{ el: root, inherited: [] }];
  while (stack.length > 0) {
    const { el, inherited } = stack.pop()!;
    const own = parseDate(attr(el, 'validUntil'));
    const dates = own ? [...inherited, own] : inherited;
    const nested: { el: Element; inherited: Date[] }[] = [];
    for (let node = el.firstChild; node; node = node.nextSibling) {
      if (node.nodeType !== ELEMENT_NODE) continue;
      const child = node as Element;
      if (child.namespaceURI !== MD) continue;
      if (child.localName === 'EntityDescriptor') entities.push(describeEntity(child, dates));
      else if (child.localName === 'EntitiesDescriptor') nested.push({ el: child, inherited: dates });
    }
    // Keep document order: nested groups are visited after this level, first group first.
    stack.push(...nested.reverse());
  }
  return entities;
}

function choices(entities: EntityInfo[]): MetadataEntityChoice[] {
  return entities
    .filter((e) => e.idp && e.entityId)
    .map((e) => {
      const displayName = displayNameOf(e);
      return displayName ? { entityId: e.entityId, displayName } : { entityId: e.entityId };
    });
}

function refuseNonIdp(entity: EntityInfo, spEntityId: string | undefined): never {
  if (entity.hasIdpRole) refuse('metadata_saml2_unsupported');
  if (entity.hasSpRole) {
    if (typeof spEntityId === 'string' && spEntityId.trim() && entity.entityId === spEntityId.trim()) {
      refuse('metadata_sp_metadata', {
        message: msg(
          str`This is this application’s own metadata (entity ID ${entity.entityId}), pasted back. It belongs in your identity provider; here, use your identity provider’s metadata.`,
        ),
      });
    }
    refuse('metadata_sp_metadata', {
      message: entity.entityId
        ? msg(
            str`This is service provider metadata (entity ${entity.entityId}), not your identity provider’s. If you copied our own metadata, it goes into your identity provider; here, use the identity provider’s metadata.`,
          )
        : msg(
            'This is service provider metadata (entity without an entity ID), not your identity provider’s. If you copied our own metadata, it goes into your identity provider; here, use the identity provider’s metadata.',
          ),
    });
  }
  refuse('metadata_no_idp');
}

function pickEntity(root: Element, entities: EntityInfo[], options: ParseMetadataOptions, warnings: MetadataWarning[]): EntityInfo {
  if (entities.length === 0) refuse('metadata_no_idp', { message: msg('This metadata lists no entities at all.') });
  const wanted = typeof options.entityId === 'string' ? options.entityId.trim() : undefined;
  if (wanted) {
    const found = entities.find((e) => e.entityId === wanted);
    if (!found) {
      const list = choices(entities);
      const listed = `${list.map((c) => c.entityId).slice(0, 5).join(', ')}${list.length > 5 ? ', …' : ''}`;
      refuse('metadata_entity_not_found', {
        message:
          list.length > 0
            ? msg(str`The entity ID ${wanted} is not in this metadata. It lists: ${listed}.`)
            : msg(str`The entity ID ${wanted} is not in this metadata.`),
        entityId: wanted,
        entities: list,
      });
    }
    return found;
  }
  if (root.localName === 'EntityDescriptor') return entities[0]!;
  const idps = entities.filter((e) => e.idp);
  if (idps.length === 1) {
    if (entities.length > 1) {
      warnings.push(
        warning(
          'metadata_entity_picked',
          idps[0]!.entityId
            ? msg(str`This metadata lists ${entities.length} entities; the only identity provider among them (${idps[0]!.entityId}) was used.`)
            : msg(str`This metadata lists ${entities.length} entities; the only identity provider among them (no entity ID) was used.`),
        ),
      );
    }
    return idps[0]!;
  }
  if (idps.length > 1) {
    const list = choices(idps);
    refuse('metadata_entity_choice_required', {
      message: msg(str`This metadata lists ${list.length} identity providers. Choose yours.`),
      entities: list,
    });
  }
  // No SAML 2.0 identity provider at all: say what is there instead.
  if (entities.some((e) => e.hasIdpRole)) refuse('metadata_saml2_unsupported');
  if (entities.length === 1) refuseNonIdp(entities[0]!, options.spEntityId);
  if (entities.every((e) => e.hasSpRole)) {
    refuse('metadata_sp_metadata', {
      message: msg(str`This metadata lists ${entities.length} entities, all of them service providers: no identity provider.`),
    });
  }
  refuse('metadata_no_idp', { message: msg(str`This metadata lists ${entities.length} entities, none of them a SAML identity provider.`) });
}

// ---------------------------------------------------------------------------------------
// Certificates

type CertificateBytes = { der: Uint8Array; doubleEncoded: boolean; count: number };

const PEM_LABEL = /^[A-Z0-9 ]+$/;

/**
 * The PEM blocks of a text, in order: `-----BEGIN label-----` up to the first matching
 * `-----END label-----`. Linear: each marker is read once and ends are looked up by label. (The
 * regular expression this replaces rescanned the rest of the text for every BEGIN line without
 * an END: quadratic, minutes for 2 MB of metadata.)
 */
function pemBlocks(text: string): { label: string; body: string }[] {
  const ends = new Map<string, number[]>();
  for (let at = text.indexOf('-----END '); at !== -1; at = text.indexOf('-----END ', at + 1)) {
    const close = text.indexOf('-----', at + 9);
    if (close === -1) break;
    const label = text.slice(at + 9, close);
    if (!PEM_LABEL.test(label)) continue;
    const list = ends.get(label);
    if (list) list.push(at);
    else ends.set(label, [at]);
  }
  const next = new Map<string, number>(); // per label, the first END not yet passed
  const blocks: { label: string; body: string }[] = [];
  let from = 0;
  for (let at = text.indexOf('-----BEGIN ', from); at !== -1; at = text.indexOf('-----BEGIN ', from)) {
    from = at + 1;
    const close = text.indexOf('-----', at + 11);
    if (close === -1) break;
    const label = text.slice(at + 11, close);
    const list = ends.get(label);
    if (!list || !PEM_LABEL.test(label)) continue;
    const bodyStart = close + 5;
    let k = next.get(label) ?? 0;
    while (k < list.length && list[k]! < bodyStart) k++;
    next.set(label, k);
    if (k === list.length) continue;
    const end = list[k]!;
    blocks.push({ label, body: text.slice(bodyStart, end) });
    from = end + 9 + label.length + 5;
  }
  return blocks;
}
const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);

const BASE64_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** The value of each base64 digit, by character code (below 128); -1 for the other characters. */
const BASE64_VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) BASE64_VALUES[BASE64_DIGITS.charCodeAt(i)] = i;

/** `Uint8Array.fromBase64`, where the runtime has it (recent browsers). */
const nativeFromBase64 = (Uint8Array as unknown as { fromBase64?: (text: string) => Uint8Array }).fromBase64;

/**
 * Base64 (white space anywhere, `=` padding optional) to bytes; null when it is not base64.
 * Accepts exactly what `atob` accepts once the white space (`\s`) is removed and the padding
 * completed, and decodes it the same way (the spare bits of the last digit are ignored):
 * `test/server/reader-codecs.test.ts` (this decoder) and `test/browser/core/base64.test.ts`
 * (with the platform's) compare them. The white space goes first, by the regular expression
 * engine: a loop of charCodeAt on a string from the DOM costs several times more.
 */
export function base64ToBytes(text: string): Uint8Array | null {
  const clean = text.replace(/\s+/g, '');
  if (clean.length === 0) return null;
  if (nativeFromBase64) {
    try {
      // It accepts a subset of what atob accepts (not "QQ=", for one): what it refuses is decided below.
      return nativeFromBase64.call(Uint8Array, clean);
    } catch {
      // Decided by the rules of atob below.
    }
  }
  return decodeBase64(clean);
}

/** Base64 without white space to bytes, by atob's rules; null when it is not base64. */
export function decodeBase64(clean: string): Uint8Array | null {
  const bytes = new Uint8Array(Math.ceil((clean.length * 3) / 4));
  let length = 0;
  let digits = 0;
  let padding = 0;
  let bits = 0;
  for (let i = 0; i < clean.length; i++) {
    const c = clean.charCodeAt(i);
    const value = c < 128 ? BASE64_VALUES[c]! : -1;
    if (value >= 0) {
      if (padding > 0) return null; // a digit after `=`
      bits = (bits << 6) | value;
      if ((++digits & 3) === 0) {
        bytes[length++] = bits >> 16;
        bytes[length++] = (bits >> 8) & 0xff;
        bytes[length++] = bits & 0xff;
        bits = 0;
      }
    } else if (c !== 0x3d || ++padding > 2) {
      return null;
    }
  }
  // atob's rules on the text padded to a multiple of 4 with `=`: at most two `=` in all, and
  // never one digit alone in the last group.
  const written = digits + padding;
  if (digits === 0 || written % 4 === 1 || padding + ((4 - (written % 4)) % 4) > 2) return null;
  if ((digits & 3) === 2) bytes[length++] = (bits >> 4) & 0xff;
  else if ((digits & 3) === 3) {
    bytes[length++] = (bits >> 10) & 0xff;
    bytes[length++] = (bits >> 2) & 0xff;
  }
  return bytes.subarray(0, length);
}

function startsWithAscii(bytes: Uint8Array, prefix: string): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix.charCodeAt(i)) return false;
  return true;
}

/**
 * Text (PEM, or bare base64 with any whitespace) to DER. Accepts base64 of a whole PEM file
 * (seen in the wild: "LS0tLS1CRUdJTi…"), once. Throws CertificateRefusal.
 */
function certificateTextToDer(raw: string, depth = 0): CertificateBytes {
  const text = raw.replace(/^\uFEFF/, '').trim();
  if (!text) refuseCertificate('certificate_empty');
  if (text.includes('-----BEGIN')) {
    const blocks = pemBlocks(text);
    if (blocks.some((b) => b.label.includes('PRIVATE KEY')) || /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
      refuseCertificate('certificate_private_key');
    }
    const certificates = blocks.filter((b) => CERTIFICATE_LABELS.has(b.label));
    if (certificates.length === 0) {
      const label = blocks[0]?.label;
      if (!label) {
        refuseCertificate('certificate_invalid', {
          reason: msg('The PEM text is cut off: its END line is missing.'),
          message: msg('This certificate is cut off: its “-----END CERTIFICATE-----” line is missing.'),
        });
      }
      if (label === 'PUBLIC KEY' || label === 'RSA PUBLIC KEY') {
        refuseCertificate('certificate_not_certificate', { kind: 'public_key', message: msg('This is a public key, not a certificate. Download the certificate (.cer, .crt or .pem) instead.') });
      }
      if (label.includes('CERTIFICATE REQUEST')) {
        refuseCertificate('certificate_not_certificate', { kind: 'certificate_request', message: msg('This is a certificate signing request (CSR), not a certificate.') });
      }
      if (label === 'PKCS7') {
        refuseCertificate('certificate_not_certificate', { kind: 'pkcs7', message: msg('This is a PKCS#7 bundle. Export the signing certificate alone as .cer or .pem.') });
      }
      refuseCertificate('certificate_not_certificate', { kind: 'other_pem', message: msg(str`This is a “${label}” PEM block, not a certificate.`) });
    }
    const der = base64ToBytes(certificates[0]!.body);
    if (!der) refuseCertificate('certificate_invalid', { reason: msg('The text between the BEGIN and END lines is not valid base64.') });
    return { der, doubleEncoded: depth > 0, count: certificates.length };
  }
  if (text.startsWith('<')) {
    refuseCertificate('certificate_not_certificate', { kind: 'xml', message: msg('This looks like XML (perhaps the metadata), not a certificate. Upload it as metadata instead.') });
  }
  if (text.startsWith('{')) {
    refuseCertificate('certificate_not_certificate', { kind: 'json', message: msg('This is JSON, not a certificate.') });
  }
  const bytes = base64ToBytes(text);
  if (!bytes) {
    refuseCertificate('certificate_invalid', {
      reason: msg('The text is neither PEM nor base64.'),
      message: msg('This text is not a certificate: it is neither PEM (“-----BEGIN CERTIFICATE-----”) nor base64.'),
    });
  }
  if (depth === 0 && startsWithAscii(bytes, '-----BEGIN')) {
    const inner = certificateTextToDer(bytesToLatin1(bytes), depth + 1);
    return { ...inner, doubleEncoded: true };
  }
  // A DER certificate starts with a SEQUENCE (0x30); other base64 (a word, a hash) is not one.
  if (bytes[0] !== 0x30) {
    refuseCertificate('certificate_invalid', {
      reason: msg('The base64 text does not decode to a certificate.'),
      message: msg('This text is not a certificate: it is neither PEM (“-----BEGIN CERTIFICATE-----”) nor the base64 of one.'),
    });
  }
  return { der: bytes, doubleEncoded: depth > 0, count: 1 };
}

const DAY_MS = 24 * 3600 * 1000;
const WEAK_SIGNATURE = /^(?:md2|md4|md5|sha1)With|^sha1WithRSA$|SHA1$|^dsaWithSHA1$/i;

/** The certificate's common name, unescaped; undefined when its subject has none. */
function commonName(cert: SamlCertificate): string | undefined {
  return /(?:^|, )CN=((?:\\.|[^,\\])+)/.exec(cert.subject)?.[1]?.replace(/\\(.)/g, '$1');
}

/** The start of the fingerprint, which names a certificate without a common name. */
const shortFingerprint = (cert: SamlCertificate) => cert.fingerprintSha256.slice(0, 23);

/** A certificate in a list: “its name”, or with fingerprint AB:CD…. */
function certificateLabel(cert: SamlCertificate): string {
  const cn = commonName(cert);
  const fp = shortFingerprint(cert);
  return cn ? `“${cn}”` : msg(str`with fingerprint ${fp}…`);
}

/** Warnings about one certificate; each sentence twice: naming it by its common name, or by its fingerprint. */
function certificateWarnings(cert: SamlCertificate, now: Date): MetadataWarning[] {
  const out: MetadataWarning[] = [];
  let name: string | undefined;
  // Read when a warning needs it (most certificates have none).
  const cn = () => (name ??= commonName(cert) ?? '');
  const fp = cert.fingerprintSha256;
  const short = shortFingerprint(cert);
  const notAfter = new Date(cert.notAfter).getTime();
  const notBefore = new Date(cert.notBefore).getTime();
  const end = cert.notAfter.slice(0, 10);
  if (notAfter < now.getTime()) {
    out.push(warning('certificate_expired', cn() ? msg(str`The certificate “${cn()}” expired on ${end}.`) : msg(str`The certificate with fingerprint ${short}… expired on ${end}.`), fp));
  } else if (notAfter - now.getTime() < CERTIFICATE_EXPIRY_WARNING_DAYS * DAY_MS) {
    const days = Math.max(0, Math.floor((notAfter - now.getTime()) / DAY_MS));
    const message = cn()
      ? plural(days, {
          one: () => msg(str`The certificate “${cn()}” expires on ${end} (in ${days} day).`),
          other: () => msg(str`The certificate “${cn()}” expires on ${end} (in ${days} days).`),
        })
      : plural(days, {
          one: () => msg(str`The certificate with fingerprint ${short}… expires on ${end} (in ${days} day).`),
          other: () => msg(str`The certificate with fingerprint ${short}… expires on ${end} (in ${days} days).`),
        });
    out.push(warning('certificate_expiring_soon', message, fp));
  }
  if (notBefore > now.getTime()) {
    const start = cert.notBefore.slice(0, 10);
    out.push(
      warning('certificate_not_yet_valid', cn() ? msg(str`The certificate “${cn()}” is valid only from ${start}.`) : msg(str`The certificate with fingerprint ${short}… is valid only from ${start}.`), fp),
    );
  }
  const algorithm = cert.signatureAlgorithm;
  if (WEAK_SIGNATURE.test(algorithm)) {
    const what = /md[245]/i.test(algorithm) ? 'MD5' : 'SHA-1';
    out.push(
      warning(
        'certificate_weak_signature',
        cn() ? msg(str`The certificate “${cn()}” is signed with ${what} (${algorithm}).`) : msg(str`The certificate with fingerprint ${short}… is signed with ${what} (${algorithm}).`),
        fp,
      ),
    );
  }
  const size = cert.keySize;
  if (size !== null) {
    const key = cert.keyAlgorithm;
    const rsaLike = key === 'RSA' || key === 'RSA-PSS' || key === 'DSA';
    if ((rsaLike && size < 2048) || (key === 'EC' && size < 256)) {
      out.push(
        warning('certificate_weak_key', cn() ? msg(str`The certificate “${cn()}” has a weak ${size}-bit ${key} key.`) : msg(str`The certificate with fingerprint ${short}… has a weak ${size}-bit ${key} key.`), fp),
      );
    }
  }
  return out;
}

/** The text of an X509Certificate element to a certificate. Throws CertificateRefusal or CertificateDecodeError. */
function decodeCertificateText(text: string): { certificate: SamlCertificate; doubleEncoded: boolean } {
  const bytes = certificateTextToDer(text);
  return { certificate: decodeCertificateDer(bytes.der), doubleEncoded: bytes.doubleEncoded };
}

function isDecodeError(error: unknown): error is CertificateDecodeError {
  return error instanceof Error && error.name === 'CertificateDecodeError';
}

// ---------------------------------------------------------------------------------------
// The identity provider

interface KeyCertificates {
  signing: SamlCertificate[];
  encryption: SamlCertificate[];
}

/**
 * The certificates of the role's KeyDescriptors, in document order. A certificate listed for
 * signing and for encryption (or twice) is decoded once: same text, same result.
 */
function readKeyDescriptors(idp: Element, warnings: MetadataWarning[]): KeyCertificates & { keyValueOnly: boolean; encryptionOnly: boolean } {
  const descriptors = childElements(idp, MD, 'KeyDescriptor');
  const decodedByText = new Map<string, { certificate: SamlCertificate; doubleEncoded: boolean } | { failure: unknown }>();
  const signing = new Map<string, SamlCertificate>();
  const encryption = new Map<string, SamlCertificate>();
  let keyValueOnly = false;
  let sawCertificate = false;
  let wrongNamespace = false;
  let doubleEncoded = false;
  let encryptionOnly = descriptors.length > 0;
  for (const [index, descriptor] of descriptors.entries()) {
    const use = (attr(descriptor, 'use') ?? '').trim();
    const forSigning = use !== 'encryption';
    const forEncryption = use !== 'signing';
    if (forSigning) encryptionOnly = false;
    const certificates = descendantsByLocalName(descriptor, 'X509Certificate');
    if (certificates.length === 0 && descendantsByLocalName(descriptor, 'KeyValue').length > 0) keyValueOnly = true;
    for (const element of certificates) {
      sawCertificate = true;
      if (element.namespaceURI !== SAML_NAMESPACES.xmldsig) wrongNamespace = true;
      const text = textOf(element);
      let read = decodedByText.get(text);
      if (!read) {
        try {
          read = decodeCertificateText(text);
        } catch (failure) {
          read = { failure };
        }
        decodedByText.set(text, read);
      }
      let cert: SamlCertificate;
      if ('certificate' in read) {
        if (read.doubleEncoded) doubleEncoded = true;
        cert = read.certificate;
      } else {
        const error = read.failure;
        const reason = error instanceof CertificateRefusal ? (error.error.reason ?? error.error.message) : error instanceof Error ? error.message : msg('unknown problem');
        if (!forSigning) {
          const n = index + 1;
          warnings.push(warning('metadata_encryption_certificate_skipped', msg(str`The encryption certificate in KeyDescriptor ${n} could not be read and was left out: ${reason}`)));
          continue;
        }
        const n = index + 1;
        refuse('metadata_certificate_invalid', {
          message:
            use === 'signing'
              ? msg(str`The signing certificate in KeyDescriptor ${n} could not be read: ${reason}`)
              : msg(str`The signing/encryption certificate in KeyDescriptor ${n} could not be read: ${reason}`),
          reason,
        });
      }
      if (forSigning && !signing.has(cert.fingerprintSha256)) signing.set(cert.fingerprintSha256, cert);
      if (forEncryption && !encryption.has(cert.fingerprintSha256)) encryption.set(cert.fingerprintSha256, cert);
    }
  }
  if (wrongNamespace) warnings.push(warning('metadata_certificate_namespace'));
  if (doubleEncoded) warnings.push(warning('certificate_double_encoded'));
  return {
    signing: [...signing.values()],
    encryption: [...encryption.values()],
    keyValueOnly: keyValueOnly && !sawCertificate,
    encryptionOnly,
  };
}

/** http(s)://host..., as written (the URL parser alone would also accept "https:&//host"), parsed; else null. */
function absoluteHttpUrl(location: string): URL | null {
  return /^https?:\/\/[^\s/?#@]+/i.test(location) && !/\s/.test(location) ? parseHttpUrl(location) : null;
}

/** The usable endpoints, and the first of them that is neither https nor loopback (each Location parsed once). */
function readSsoServices(idp: Element, warnings: MetadataWarning[]): { services: SamlSsoService[]; firstInsecure: string | undefined } {
  const services: SamlSsoService[] = [];
  const seen = new Set<string>();
  let ignored = 0;
  let firstInsecure: string | undefined;
  for (const el of childElements(idp, MD, 'SingleSignOnService')) {
    const binding = (attr(el, 'Binding') ?? '').trim();
    const location = (attr(el, 'Location') ?? '').trim();
    const url = binding ? absoluteHttpUrl(location) : null;
    if (!url) {
      ignored++;
      continue;
    }
    const key = `${binding} ${location}`;
    if (seen.has(key)) continue;
    seen.add(key);
    services.push({ binding, location });
    if (firstInsecure === undefined && !isSecureOrLoopback(url)) firstInsecure = location;
  }
  if (ignored > 0 && services.length > 0) {
    warnings.push(
      warning(
        'metadata_sso_service_ignored',
        plural(ignored, {
          one: () => msg(str`${ignored} single sign-on endpoint was ignored: no Binding, or a Location that is not an absolute http(s) URL.`),
          other: () => msg(str`${ignored} single sign-on endpoints were ignored: no Binding, or a Location that is not an absolute http(s) URL.`),
        }),
      ),
    );
  }
  return { services, firstInsecure };
}

/**
 * At most {@link MAX_SIGNING_CERTIFICATES} signing certificates (what a connection holds): those
 * valid now first, then the latest expiry; kept in document order. More is a warning, not a
 * refusal: an aggregate or a long-lived IdP may list many, and the admin should not be stuck.
 */
function keepBestSigningCertificates(all: SamlCertificate[], now: Date, warnings: MetadataWarning[]): SamlCertificate[] {
  if (all.length <= MAX_SIGNING_CERTIFICATES) return all;
  const kept = new Set(bestSigningCertificates(all, now));
  const left = all.filter((c) => !kept.has(c));
  const count = all.length;
  const max = MAX_SIGNING_CERTIFICATES;
  const named = left.slice(0, 5).map(certificateLabel).join(', ');
  const more = left.length - 5;
  warnings.push(
    warning(
      'metadata_signing_certificates_limited',
      more > 0
        ? msg(
            str`The metadata lists ${count} signing certificates; a connection holds at most ${max}, so ${max} were kept (those valid now first, then the latest to expire). Left out: ${named} and ${more} more.`,
          )
        : msg(
            str`The metadata lists ${count} signing certificates; a connection holds at most ${max}, so ${max} were kept (those valid now first, then the latest to expire). Left out: ${named}.`,
          ),
    ),
  );
  return all.filter((c) => kept.has(c));
}

function readIdp(entity: EntityInfo, now: Date, warnings: MetadataWarning[]): SamlIdpMetadata {
  const idp = entity.idp!;
  const { services: ssoServices, firstInsecure } = readSsoServices(idp, warnings);
  if (ssoServices.length === 0) {
    const declared = childElements(idp, MD, 'SingleSignOnService').length;
    refuse('metadata_no_sso_service', {
      message:
        declared > 0
          ? plural(declared, {
              one: () => msg(str`The identity provider lists ${declared} single sign-on endpoint, but none with a Binding and an absolute http(s) Location.`),
              other: () => msg(str`The identity provider lists ${declared} single sign-on endpoints, but none with a Binding and an absolute http(s) Location.`),
            })
          : METADATA_ERRORS.metadata_no_sso_service.message,
    });
  }
  const browser = ssoServices.some((s) => s.binding === SAML_BINDING_URNS.redirect || s.binding === SAML_BINDING_URNS.post);
  if (!browser) warnings.push(warning('metadata_no_browser_binding'));
  if (firstInsecure !== undefined) {
    warnings.push(warning('metadata_sso_not_https', msg(str`The single sign-on URL ${firstInsecure} uses plain http://, not https://.`)));
  }

  const keys = readKeyDescriptors(idp, warnings);
  if (keys.signing.length === 0) {
    refuse('metadata_no_signing_certificate', {
      message: keys.keyValueOnly
        ? msg('The identity provider publishes a bare key (KeyValue) but no signing certificate (X509Certificate).')
        : keys.encryptionOnly
          ? msg('The identity provider publishes only an encryption certificate, no signing certificate.')
          : METADATA_ERRORS.metadata_no_signing_certificate.message,
    });
  }
  const signing = keepBestSigningCertificates(keys.signing, now, warnings);
  const warned = new Set<string>();
  for (const cert of [...signing, ...keys.encryption]) {
    if (warned.has(cert.fingerprintSha256)) continue;
    warned.add(cert.fingerprintSha256);
    warnings.push(...certificateWarnings(cert, now));
  }

  const nameIdFormats = [...new Set(childElements(idp, MD, 'NameIDFormat').map((el) => textOf(el).trim()).filter(Boolean))];
  const dates = [...entity.validUntil];
  const roleValidUntil = parseDate(attr(idp, 'validUntil'));
  if (roleValidUntil) dates.push(roleValidUntil);
  const earliest = dates.length > 0 ? new Date(Math.min(...dates.map((d) => d.getTime()))) : null;
  if (earliest && earliest.getTime() < now.getTime()) {
    const date = earliest.toISOString().slice(0, 10);
    warnings.push(warning('metadata_expired', msg(str`The metadata was valid until ${date}; that date has passed.`)));
  }
  const wants = (attr(idp, 'WantAuthnRequestsSigned') ?? '').trim();
  if (/\s/.test(entity.entityId) || !entity.entityId.includes(':')) {
    warnings.push(
      warning(
        'metadata_entity_id_unusual',
        msg(
          str`The entity ID “${entity.entityId}” does not look like a URL or URN; it may be a placeholder left in the identity provider’s settings. It must match exactly what the identity provider sends as Issuer.`,
        ),
      ),
    );
  }
  const metadata: SamlIdpMetadata = {
    entityId: entity.entityId,
    ssoServices,
    signingCertificates: signing,
    encryptionCertificates: keys.encryption,
    nameIdFormats,
    validUntil: earliest ? earliest.toISOString() : null,
    wantAuthnRequestsSigned: wants === 'true' || wants === '1' ? true : wants === 'false' || wants === '0' ? false : null,
  };
  const displayName = displayNameOf(entity);
  if (displayName) metadata.displayName = displayName;
  return metadata;
}

function checkRoot(root: Element): void {
  const name = root.localName;
  const ns = root.namespaceURI;
  if (name === 'html' || ns === 'http://www.w3.org/1999/xhtml') notXml('html', '');
  if (ns === MD && (name === 'EntityDescriptor' || name === 'EntitiesDescriptor')) return;
  if (ns === SAML_NAMESPACES.protocol || ns === SAML_NAMESPACES.assertion) {
    refuse('metadata_not_saml', {
      kind: 'saml_message',
      message:
        name === 'Assertion'
          ? msg(str`This is a SAML assertion (${name}), such as a login response, not metadata.`)
          : msg(str`This is a SAML message (${name}), such as a login response, not metadata.`),
    });
  }
  if (name === 'EntityDescriptor' || name === 'EntitiesDescriptor') {
    refuse('metadata_not_saml', {
      kind: 'wrong_namespace',
      message: ns
        ? msg(str`The ${name} element is in the namespace ${ns}, not the SAML 2.0 metadata namespace (urn:oasis:names:tc:SAML:2.0:metadata). The file was probably edited by hand.`)
        : msg(str`The ${name} element has no namespace: the declaration xmlns="urn:oasis:names:tc:SAML:2.0:metadata" is missing. The file was probably edited by hand.`),
    });
  }
  refuse('metadata_not_saml', {
    kind: 'other_xml',
    message: msg(str`This XML is not SAML metadata: its top element is <${root.tagName}>, not EntityDescriptor or EntitiesDescriptor.`),
  });
}

async function parseMetadataOrRefuse(input: unknown, options: ParseMetadataOptions): Promise<MetadataResult> {
  const now = options.now instanceof Date && !Number.isNaN(options.now.getTime()) ? options.now : new Date();
  let text: string;
  if (typeof input === 'string') {
    if (input.length > SAML_METADATA_MAX_BYTES || (input.length * 3 > SAML_METADATA_MAX_BYTES && utf8Length(input) > SAML_METADATA_MAX_BYTES)) {
      refuse('metadata_too_large', { sizeBytes: input.length > SAML_METADATA_MAX_BYTES ? input.length : utf8Length(input), limitBytes: SAML_METADATA_MAX_BYTES });
    }
    text = input;
  } else if (input instanceof Uint8Array || input instanceof ArrayBuffer) {
    const data = input instanceof Uint8Array ? input : new Uint8Array(input);
    if (data.length > SAML_METADATA_MAX_BYTES) refuse('metadata_too_large', { sizeBytes: data.length, limitBytes: SAML_METADATA_MAX_BYTES });
    text = decodeXmlBytes(data);
  } else {
    return refuse('metadata_not_xml', { kind: 'empty', message: msg('Nothing readable was given: expected the metadata XML as text or as the bytes of a file.') });
  }
  // BOMs and leading whitespace (trimStart removes U+FEFF too).
  text = text.trimStart();
  precheck(text);
  const doc = await parseXml(text);
  const root = doc.documentElement!;
  checkRoot(root);
  const warnings: MetadataWarning[] = [];
  const entities = collectEntities(root);
  const entity = pickEntity(root, entities, options, warnings);
  if (!entity.idp) refuseNonIdp(entity, options.spEntityId);
  if (!entity.entityId) refuse('metadata_entity_id_missing');
  const metadata = readIdp(entity, now, warnings);
  return { ok: true, metadata, warnings };
}

// ---------------------------------------------------------------------------------------
// Entry points (called by saml-metadata.ts)

/** See `parseSamlMetadata`. Never rejects. */
export async function readSamlMetadata(xml: unknown, options: ParseMetadataOptions): Promise<MetadataResult> {
  try {
    return await parseMetadataOrRefuse(xml, options ?? {});
  } catch (error) {
    if (error instanceof MetadataRefusal) return { ok: false, error: error.error };
    const info = METADATA_ERRORS.metadata_unreadable;
    return { ok: false, error: { code: 'metadata_unreadable', message: info.message, remedy: info.remedy } };
  }
}

function parseCertificateOrRefuse(input: unknown, options: ParseCertificateOptions): CertificateResult {
  const now = options.now instanceof Date && !Number.isNaN(options.now.getTime()) ? options.now : new Date();
  let bytes: CertificateBytes;
  if (input instanceof Uint8Array || input instanceof ArrayBuffer) {
    const data = input instanceof Uint8Array ? input : new Uint8Array(input);
    if (data.length === 0) refuseCertificate('certificate_empty');
    if (data.length > CERTIFICATE_MAX_BYTES) refuseCertificate('certificate_too_large');
    // DER starts with a SEQUENCE tag; anything else is text (PEM or base64) in some encoding.
    bytes = data[0] === 0x30 ? { der: data, doubleEncoded: false, count: 1 } : certificateTextToDer(decodeXmlBytes(data));
  } else if (typeof input === 'string') {
    if (input.length > CERTIFICATE_MAX_BYTES) refuseCertificate('certificate_too_large');
    bytes = certificateTextToDer(input);
  } else {
    refuseCertificate('certificate_empty');
  }
  let certificate: SamlCertificate;
  try {
    certificate = decodeCertificateDer(bytes.der);
  } catch (error) {
    if (isDecodeError(error)) refuseCertificate('certificate_invalid', { reason: error.message, message: msg(str`This certificate could not be read: ${error.message}`) });
    throw error;
  }
  const warnings: MetadataWarning[] = [];
  const count = bytes.count;
  if (count > 1) warnings.push(warning('certificate_bundle', msg(str`The file holds ${count} certificates; the first one was used.`)));
  if (bytes.doubleEncoded) warnings.push(warning('certificate_double_encoded'));
  warnings.push(...certificateWarnings(certificate, now));
  return { ok: true, certificate, warnings };
}

/** See `parseCertificate`. Never throws. */
export function readCertificate(input: unknown, options: ParseCertificateOptions): CertificateResult {
  try {
    return parseCertificateOrRefuse(input, options ?? {});
  } catch (error) {
    if (error instanceof CertificateRefusal) return { ok: false, error: error.error };
    const info = CERTIFICATE_ERRORS.certificate_unreadable;
    return { ok: false, error: { code: 'certificate_unreadable', message: info.message, remedy: info.remedy } };
  }
}
