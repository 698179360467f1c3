/**
 * X.509 certificate decoding for the SAML metadata parser: DER in, the facts an IT admin
 * checks out (subject, issuer, validity, SHA-256 fingerprint, key, signature algorithm).
 *
 * Internal to core, used by `saml-metadata-reader.ts` (loaded on first use). Reads the DER with
 * the small reader in `./der.ts`, exactly the fields shown (no general ASN.1 library), and
 * hashes with `@noble/hashes` (sha256), synchronously (no Web Crypto call to wait for). `test/node/x509-openssl.test.mjs`
 * compares every certificate of the IdP corpus with OpenSSL's reading (node:crypto).
 */
import { DER_TAG, DerError, childrenOf, contentOf, expectTag, readBitString, readNode, readOid, readString, readTime, readTimeIso, type DerNode } from './der.js';
import type { SamlCertificate } from './saml-metadata.js';
import { sha256 } from '@noble/hashes/sha2.js';

/** Why a DER blob is not a certificate we can read. */
export class CertificateDecodeError extends Error {
  override readonly name = 'CertificateDecodeError';
}

// RFC 4514 short names (and the usual ones OpenSSL prints for the rest).
const NAME_ATTRIBUTES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.13': 'description',
  '2.5.4.17': 'postalCode',
  '2.5.4.42': 'GN',
  '2.5.4.43': 'initials',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.65': 'pseudonym',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'E',
};

const SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.3.14.3.2.29': 'sha1WithRSA',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.840.10040.4.3': 'dsaWithSHA1',
  '2.16.840.1.101.3.4.3.2': 'dsaWithSHA256',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
};

const KEY_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.1': 'RSA',
  '1.2.840.113549.1.1.10': 'RSA-PSS',
  '1.2.840.10045.2.1': 'EC',
  '1.2.840.10040.4.1': 'DSA',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
};

const CURVES: Record<string, { name: string; bits: number }> = {
  '1.2.840.10045.3.1.1': { name: 'P-192', bits: 192 },
  '1.3.132.0.33': { name: 'P-224', bits: 224 },
  '1.2.840.10045.3.1.7': { name: 'P-256', bits: 256 },
  '1.3.132.0.34': { name: 'P-384', bits: 384 },
  '1.3.132.0.35': { name: 'P-521', bits: 521 },
  '1.3.132.0.10': { name: 'secp256k1', bits: 256 },
  '1.3.36.3.3.2.8.1.1.7': { name: 'brainpoolP256r1', bits: 256 },
  '1.3.36.3.3.2.8.1.1.11': { name: 'brainpoolP384r1', bits: 384 },
  '1.3.36.3.3.2.8.1.1.13': { name: 'brainpoolP512r1', bits: 512 },
};

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0').toUpperCase());

function hex(bytes: Uint8Array, separator = ''): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += (i > 0 ? separator : '') + HEX[bytes[i]!]!;
  return out;
}

const DN_SPECIAL = /[\\,+"<>;=]|^[# ]| $/;

/** RFC 4514 escaping of one attribute value. */
function escapeDnValue(value: string): string {
  if (!DN_SPECIAL.test(value)) return value;
  let out = value.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`);
  if (out.startsWith('#') || out.startsWith(' ')) out = `\\${out}`;
  // A value of one space is escaped once, as a leading space.
  if (value.endsWith(' ') && value.length > 1) out = `${out.slice(0, -1)}\\ `;
  return out;
}

/** The value of one attribute: its text, or `#` and the hex of the whole element for other types (RFC 4514). */
function attributeValue(der: Uint8Array, node: DerNode): string {
  const text = readString(der, node);
  if (text === null) return `#${hex(der.subarray(node.start, node.end)).toLowerCase()}`;
  return escapeDnValue(text);
}

/** The names of the X.520 attribute types 2.5.4.0 to 2.5.4.127 (encoded 55 04 nn), as readOid writes them. */
const X520_TYPES = Array.from({ length: 128 }, (_, n) => `2.5.4.${n}`);

/** An attribute type's OID; the X.520 ones (nearly all) without decoding arcs. */
function attributeType(der: Uint8Array, node: DerNode): string {
  const at = node.contentStart;
  if (node.end - at === 3 && der[at] === 0x55 && der[at + 1] === 0x04 && der[at + 2]! < 0x80) return X520_TYPES[der[at + 2]!]!;
  return readOid(der, node);
}

/** "CN=Okta, OU=SSOProvider, O=Okta, C=US": most specific first, as RFC 4514 and most tools show it. */
function nameToString(der: Uint8Array, name: DerNode): string {
  expectTag(name, DER_TAG.sequence, 'name');
  let out = '';
  // Walked with readNode (no arrays of children): names are most of a certificate's elements.
  for (let at = name.contentStart; at < name.end; ) {
    const rdn = expectTag(readNode(der, at, name.end), DER_TAG.set, 'relative distinguished name');
    at = rdn.end;
    let text = '';
    for (let next = rdn.contentStart; next < rdn.end; ) {
      const atv = expectTag(readNode(der, next, rdn.end), DER_TAG.sequence, 'name attribute');
      next = atv.end;
      const [type, value] = childrenOf(der, atv);
      const oid = attributeType(der, expectTag(type, DER_TAG.oid, 'attribute type'));
      if (!value) throw new DerError('A name attribute has no value.');
      text += `${text ? '+' : ''}${NAME_ATTRIBUTES[oid] ?? oid}=${attributeValue(der, value)}`;
    }
    // Encoded least specific first: each RDN goes before the ones already read.
    out = out ? `${text}, ${out}` : text;
  }
  return out;
}

function bitLength(unsignedBigEndian: Uint8Array): number {
  let i = 0;
  while (i < unsignedBigEndian.length && unsignedBigEndian[i] === 0) i++;
  if (i === unsignedBigEndian.length) return 0;
  return (unsignedBigEndian.length - i - 1) * 8 + (32 - Math.clz32(unsignedBigEndian[i]!));
}

interface PublicKeyInfo {
  oid: string;
  /** The algorithm's parameters element, when present. */
  parameters: DerNode | undefined;
  /** The BIT STRING's bits (whole bytes). */
  key: Uint8Array;
}

function readPublicKeyInfo(der: Uint8Array, spki: DerNode): PublicKeyInfo {
  const [algorithm, key] = childrenOf(der, expectTag(spki, DER_TAG.sequence, 'public key'));
  const [oid, parameters] = childrenOf(der, expectTag(algorithm, DER_TAG.sequence, 'key algorithm'));
  return { oid: readOid(der, expectTag(oid, DER_TAG.oid, 'key algorithm')), parameters, key: readBitString(der, expectTag(key, DER_TAG.bitString, 'public key')) };
}

function describeKey(der: Uint8Array, spki: PublicKeyInfo): { keyAlgorithm: string; keySize: number | null; curve?: string } {
  const keyAlgorithm = KEY_ALGORITHMS[spki.oid] ?? spki.oid;
  try {
    switch (keyAlgorithm) {
      case 'RSA':
      case 'RSA-PSS': {
        // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
        const sequence = readNode(spki.key, 0);
        if (sequence.end !== spki.key.length) return { keyAlgorithm, keySize: null };
        const [modulus, exponent] = childrenOf(spki.key, expectTag(sequence, DER_TAG.sequence, 'RSA key'));
        expectTag(exponent, DER_TAG.integer, 'RSA exponent');
        return { keyAlgorithm, keySize: bitLength(contentOf(spki.key, expectTag(modulus, DER_TAG.integer, 'RSA modulus'))) };
      }
      case 'EC': {
        // ECParameters: a named curve (OID), or implicit (NULL) or specified curve parameters.
        const named = spki.parameters?.tag === DER_TAG.oid ? readOid(der, spki.parameters) : undefined;
        const curve = named ? CURVES[named] : undefined;
        if (curve) return { keyAlgorithm, keySize: curve.bits, curve: curve.name };
        // Unknown curve: an uncompressed point is 04 || X || Y.
        const point = spki.key;
        const keySize = point[0] === 4 && point.length > 1 ? ((point.length - 1) / 2) * 8 : null;
        return named ? { keyAlgorithm, keySize, curve: named } : { keyAlgorithm, keySize };
      }
      case 'Ed25519':
        return { keyAlgorithm, keySize: 256 };
      case 'Ed448':
        return { keyAlgorithm, keySize: 456 };
      default:
        return { keyAlgorithm, keySize: null };
    }
  } catch {
    // The certificate parsed but its key did not: report what we know.
    return { keyAlgorithm, keySize: null };
  }
}

function toIso(date: Date): string {
  const time = date.getTime();
  if (Number.isNaN(time)) throw new CertificateDecodeError('The certificate has an invalid validity date.');
  return date.toISOString();
}

/** Length of the outer DER element, so trailing bytes are not fingerprinted. */
function outerLength(der: Uint8Array): number | null {
  if (der.length < 2 || der[0] !== 0x30) return null;
  const first = der[1]!;
  if (first < 0x80) return 2 + first;
  const count = first & 0x7f;
  if (count === 0 || count > 4 || der.length < 2 + count) return null;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + der[2 + i]!;
  return 2 + count + length;
}


const BASE64_CODES = new TextEncoder().encode('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
let asciiDecoder: TextDecoder | undefined;
/** `Uint8Array.prototype.toBase64`, where the runtime has it (recent browsers). */
const nativeToBase64 = (Uint8Array.prototype as { toBase64?: (this: Uint8Array) => string }).toBase64;
/** Where toPem writes (reused: it is synchronous), grown for a larger certificate. */
let pemBytes = new Uint8Array(2048);

/**
 * PEM: base64 in lines of 64 characters (48 bytes), between the BEGIN and END lines. With the
 * platform's `toBase64` where there is one; else the characters are written as bytes and made
 * a string by one decoder call (a little faster than concatenating hundreds of short strings,
 * or `btoa` of a byte string).
 */
function toPem(der: Uint8Array): string {
  if (nativeToBase64) {
    const base64 = nativeToBase64.call(der);
    let out = '-----BEGIN CERTIFICATE-----';
    for (let i = 0; i < base64.length; i += 64) out += `\n${base64.slice(i, i + 64)}`;
    return `${out}\n-----END CERTIFICATE-----`;
  }
  const size = Math.ceil(der.length / 3) * 4 + Math.ceil(der.length / 48);
  if (pemBytes.length < size) pemBytes = new Uint8Array(size);
  const out = pemBytes;
  let n = 0;
  for (let i = 0; i < der.length; i += 3) {
    if (i > 0 && i % 48 === 0) out[n++] = 0x0a;
    const a = der[i]!;
    const b = i + 1 < der.length ? der[i + 1]! : 0;
    const c = i + 2 < der.length ? der[i + 2]! : 0;
    out[n++] = BASE64_CODES[a >> 2]!;
    out[n++] = BASE64_CODES[((a & 3) << 4) | (b >> 4)]!;
    out[n++] = i + 1 < der.length ? BASE64_CODES[((b & 15) << 2) | (c >> 6)]! : 0x3d;
    out[n++] = i + 2 < der.length ? BASE64_CODES[c & 63]! : 0x3d;
  }
  asciiDecoder ??= new TextDecoder();
  return `-----BEGIN CERTIFICATE-----\n${asciiDecoder.decode(out.subarray(0, n))}\n-----END CERTIFICATE-----`;
}

/**
 * Decodes one DER certificate. Throws {@link CertificateDecodeError} (plain-language reason)
 * when it is not an X.509 certificate.
 */
export function decodeCertificateDer(input: Uint8Array): SamlCertificate {
  const total = outerLength(input);
  if (total === null) throw new CertificateDecodeError('The data does not start like a DER-encoded certificate.');
  if (total > input.length) throw new CertificateDecodeError('The certificate is cut off: its data ends too early.');
  const der = input.subarray(0, total);
  let certificate: SamlCertificate;
  try {
    certificate = describeCertificate(der);
  } catch (error) {
    if (error instanceof CertificateDecodeError) throw error;
    // A corrupted certificate can trip the decoder anywhere: it is unreadable, not a bug here.
    throw new CertificateDecodeError('The data is not a readable X.509 certificate.');
  }
  certificate.fingerprintSha256 = hex(sha256(der), ':');
  return certificate;
}

/**
 * Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
 * TBSCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber, signature, issuer, validity,
 *   subject, subjectPublicKeyInfo, ... }
 */
/** The fields, with an empty fingerprint for the caller to fill in (the key keeps its place). */
function describeCertificate(der: Uint8Array): SamlCertificate {
  let result: SamlCertificate;
  try {
    const certificate = readNode(der, 0);
    const [tbsNode, signatureAlgorithm, signatureValue] = childrenOf(der, expectTag(certificate, DER_TAG.sequence, 'certificate'));
    expectTag(signatureValue, DER_TAG.bitString, 'signature');
    const tbs = childrenOf(der, expectTag(tbsNode, DER_TAG.sequence, 'certificate body'));
    const fields = tbs[0]?.tag === 0xa0 ? tbs.slice(1) : tbs;
    const [serial, , issuer, validity, subject, spki] = fields;
    expectTag(fields[1], DER_TAG.sequence, 'signature algorithm');
    const [notBefore, notAfter] = childrenOf(der, expectTag(validity, DER_TAG.sequence, 'validity'));
    if (!notBefore || !notAfter) throw new DerError('The validity is incomplete.');
    const [sigOidNode] = childrenOf(der, expectTag(signatureAlgorithm, DER_TAG.sequence, 'signature algorithm'));
    const sigOid = readOid(der, expectTag(sigOidNode, DER_TAG.oid, 'signature algorithm'));
    const publicKey = readPublicKeyInfo(der, expectTag(spki, DER_TAG.sequence, 'public key'));
    const subjectText = nameToString(der, expectTag(subject, DER_TAG.sequence, 'subject'));
    const issuerText = nameToString(der, expectTag(issuer, DER_TAG.sequence, 'issuer'));
    const serialNumber = hex(contentOf(der, expectTag(serial, DER_TAG.integer, 'serial number')));
    // The usual times written directly; the others through a Date (refused or rolled over there).
    const notBeforeIso = readTimeIso(der, notBefore);
    const notAfterIso = readTimeIso(der, notAfter);
    const notBeforeDate = notBeforeIso === null ? readTime(der, notBefore) : undefined;
    const notAfterDate = notAfterIso === null ? readTime(der, notAfter) : undefined;
    const { keyAlgorithm, keySize, curve } = describeKey(der, publicKey);
    result = {
      pem: toPem(der),
      subject: subjectText,
      issuer: issuerText,
      serialNumber,
      notBefore: notBeforeIso ?? toIso(notBeforeDate!),
      notAfter: notAfterIso ?? toIso(notAfterDate!),
      fingerprintSha256: '',
      keyAlgorithm,
      keySize,
      signatureAlgorithm: SIGNATURE_ALGORITHMS[sigOid] ?? sigOid,
      selfSigned: subjectText === issuerText,
    };
    if (curve) result.curve = curve;
  } catch (error) {
    if (error instanceof DerError) throw new CertificateDecodeError('The data is not an X.509 certificate.');
    throw error;
  }
  return result;
}
