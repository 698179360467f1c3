/**
 * A small reader of DER (ASN.1 Distinguished Encoding Rules), for exactly what `x509.ts` reads
 * out of a certificate: walking SEQUENCEs and SETs, and reading INTEGERs, OBJECT IDENTIFIERs,
 * BIT STRINGs, strings and times. Not a general ASN.1 library: no schemas, no BER (indefinite
 * lengths are refused), no encoding.
 *
 * Safe on untrusted bytes: every length is checked against the bytes that hold it before
 * anything is read, lengths are at most 4 bytes long, and nothing recurses: the caller walks
 * only the few levels it knows. Errors are {@link DerError}; nothing else is thrown.
 *
 * Pure: no DOM, no Node APIs; the same in browsers and Node. Internal to core.
 */

/** Why bytes are not the DER expected. */
export class DerError extends Error {
  override readonly name = 'DerError';
}

/** Universal tags used here (class and constructed bits included). */
export const DER_TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  teletexString: 0x14,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  universalString: 0x1c,
  bmpString: 0x1e,
  sequence: 0x30,
  set: 0x31,
} as const;

/** One element: its tag byte and where its header and content lie in the bytes. */
export interface DerNode {
  /** The identifier octet (class, constructed bit and tag number below 31). */
  readonly tag: number;
  /** Offset of the identifier octet. */
  readonly start: number;
  /** Offset of the first content byte. */
  readonly contentStart: number;
  /** Offset just past the content (and the element). */
  readonly end: number;
}

/** The element starting at `offset`, which must end by `limit`. */
export function readNode(bytes: Uint8Array, offset: number, limit: number = bytes.length): DerNode {
  if (offset + 2 > limit) throw new DerError('The data ends in the middle of an element.');
  const tag = bytes[offset]!;
  // High tag numbers (a 0x1f low part) never occur in what we read.
  if ((tag & 0x1f) === 0x1f) throw new DerError('An element has a tag number this reader does not handle.');
  const first = bytes[offset + 1]!;
  let length: number;
  let contentStart: number;
  if (first < 0x80) {
    length = first;
    contentStart = offset + 2;
  } else {
    const count = first & 0x7f;
    if (count === 0) throw new DerError('An element has an indefinite length, which DER does not allow.');
    if (count > 4) throw new DerError('An element declares a length too large to be real.');
    if (offset + 2 + count > limit) throw new DerError('The data ends in the middle of an element.');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[offset + 2 + i]!;
    contentStart = offset + 2 + count;
  }
  const end = contentStart + length;
  if (end > limit) throw new DerError('An element is longer than the data that holds it.');
  return { tag, start: offset, contentStart, end };
}

/** The elements inside a constructed element, in order. */
export function childrenOf(bytes: Uint8Array, parent: DerNode): DerNode[] {
  if ((parent.tag & 0x20) === 0) throw new DerError('A constructed element was expected.');
  const out: DerNode[] = [];
  for (let at = parent.contentStart; at < parent.end; ) {
    const node = readNode(bytes, at, parent.end);
    out.push(node);
    at = node.end;
  }
  return out;
}

/** The element must have this tag. */
export function expectTag(node: DerNode | undefined, tag: number, what: string): DerNode {
  if (!node || node.tag !== tag) throw new DerError(`The ${what} is missing or of the wrong type.`);
  return node;
}

export function contentOf(bytes: Uint8Array, node: DerNode): Uint8Array {
  return bytes.subarray(node.contentStart, node.end);
}

/** Dotted decimal; arcs too large for a safe integer are refused. */
export function readOid(bytes: Uint8Array, node: DerNode): string {
  expectTag(node, DER_TAG.oid, 'object identifier');
  if (node.end === node.contentStart) throw new DerError('An object identifier is empty.');
  let text = '';
  let value = 0;
  for (let i = node.contentStart; i < node.end; i++) {
    const b = bytes[i]!;
    value = value * 128 + (b & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw new DerError('An object identifier has an arc too large.');
    if ((b & 0x80) === 0) {
      if (text === '') {
        const first = value < 40 ? 0 : value < 80 ? 1 : 2;
        text = `${first}.${value - first * 40}`;
      } else text += `.${value}`;
      value = 0;
    } else if (i === node.end - 1) {
      throw new DerError('An object identifier is cut off.');
    }
  }
  return text;
}

/** BIT STRING content without its unused-bits octet. */
export function readBitString(bytes: Uint8Array, node: DerNode): Uint8Array {
  expectTag(node, DER_TAG.bitString, 'bit string');
  if (node.end === node.contentStart) throw new DerError('A bit string is empty.');
  return bytes.subarray(node.contentStart + 1, node.end);
}

/** Bytes as the characters U+0000–U+00FF, one each. */
function latin1(bytes: Uint8Array): string {
  let text = '';
  // Short strings (names, times) one by one: `apply` on a typed array costs more than it saves.
  if (bytes.length < 64) {
    for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]!);
    return text;
  }
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000) as unknown as number[]);
  return text;
}

/** bytes[start, end) as Latin-1 text, without a view on them (a view costs more than a short string). */
function latin1Range(bytes: Uint8Array, start: number, end: number): string {
  if (end - start >= 64) return latin1(bytes.subarray(start, end));
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}

function isAscii(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}

let utf8Decoder: TextDecoder | undefined;

/**
 * The text of a string element, the way asn1js (which this replaces) reads it: UTF8String as
 * UTF-8 (as Latin-1 when it is not valid UTF-8), BMPString as UTF-16BE, UniversalString as
 * UTF-32BE (code units), the others byte by byte. Null when the tag is not a string type.
 */
export function readString(bytes: Uint8Array, node: DerNode): string | null {
  const { contentStart: start, end } = node;
  switch (node.tag) {
    case DER_TAG.printableString:
    case DER_TAG.teletexString:
    case DER_TAG.ia5String:
      return latin1Range(bytes, start, end);
    case DER_TAG.utf8String:
      // ASCII (nearly every name) needs no decoder: a TextDecoder call costs microseconds in browsers.
      if (isAscii(bytes, start, end)) return latin1Range(bytes, start, end);
      break;
    case DER_TAG.bmpString:
    case DER_TAG.universalString:
      break;
    default:
      return null;
  }
  const content = contentOf(bytes, node);
  switch (node.tag) {
    case DER_TAG.utf8String:
      try {
        utf8Decoder ??= new TextDecoder('utf-8', { fatal: true });
        return utf8Decoder.decode(content);
      } catch {
        return latin1(content);
      }
    case DER_TAG.bmpString: {
      let text = '';
      for (let i = 0; i + 1 < content.length; i += 2) text += String.fromCharCode((content[i]! << 8) | content[i + 1]!);
      return text;
    }
    case DER_TAG.universalString: {
      if (content.length % 4 !== 0) throw new DerError('A UniversalString has a length that is not a multiple of 4.');
      let text = '';
      for (let i = 0; i < content.length; i += 4) text += String.fromCharCode((content[i + 2]! << 8) | content[i + 3]!);
      return text;
    }
    default:
      return null;
  }
}

function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    value = value * 10 + c;
  }
  return value;
}

/**
 * UTCTime (YYMMDDHHMMSSZ; years 50–99 are 19xx) or GeneralizedTime (YYYYMMDDHHMMSS[.fff]Z),
 * as RFC 5280 requires them. Other forms give an invalid date (NaN), for the caller to refuse.
 */
export function readTime(bytes: Uint8Array, node: DerNode): Date {
  const text = latin1Range(bytes, node.contentStart, node.end);
  if (node.tag === DER_TAG.utcTime) {
    if (text.length !== 13 || text[12] !== 'Z') return new Date(NaN);
    const yy = digits(text, 0, 2);
    return utc(yy >= 50 ? 1900 + yy : 2000 + yy, text, 2, 0);
  }
  if (node.tag === DER_TAG.generalizedTime) {
    const m = /^(\d{14})(?:\.(\d{1,9}))?Z$/.exec(text);
    if (!m) return new Date(NaN);
    const ms = m[2] ? Math.floor(Number(`0.${m[2]}`) * 1000) : 0;
    return utc(digits(text, 0, 4), text, 4, ms);
  }
  throw new DerError('A validity date is neither a UTCTime nor a GeneralizedTime.');
}

function utc(year: number, text: string, at: number, ms: number): Date {
  const month = digits(text, at, 2);
  const day = digits(text, at + 2, 2);
  const hour = digits(text, at + 4, 2);
  const minute = digits(text, at + 6, 2);
  const second = digits(text, at + 8, 2);
  if (Number.isNaN(year + month + day + hour + minute + second) || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    return new Date(NaN);
  }
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
  // Date.UTC maps 0–99 to 1900–1999: set the year itself.
  date.setUTCFullYear(year);
  return date;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A validity time as `readTime(...).toISOString()` writes it, without the Date: for a UTCTime,
 * or a GeneralizedTime without fraction of a second, that names a real moment (the date exists).
 * Null for anything else, which `readTime` then reads (and refuses, or rolls over as Date does).
 */
export function readTimeIso(bytes: Uint8Array, node: DerNode): string | null {
  const text = latin1Range(bytes, node.contentStart, node.end);
  let year: number;
  let at: number;
  if (node.tag === DER_TAG.utcTime && text.length === 13 && text[12] === 'Z') {
    const yy = digits(text, 0, 2);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
    at = 2;
  } else if (node.tag === DER_TAG.generalizedTime && text.length === 15 && text[14] === 'Z') {
    year = digits(text, 0, 4);
    at = 4;
  } else return null;
  const month = digits(text, at, 2);
  const day = digits(text, at + 2, 2);
  const hour = digits(text, at + 4, 2);
  const minute = digits(text, at + 6, 2);
  const second = digits(text, at + 8, 2);
  if (Number.isNaN(year + month + day + hour + minute + second) || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!)) return null;
  const two = (k: number) => text.slice(at + k, at + k + 2);
  return `${String(year).padStart(4, '0')}-${two(0)}-${two(2)}T${two(4)}:${two(6)}:${two(8)}.000Z`;
}
