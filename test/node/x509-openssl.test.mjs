// The certificate reader (src/core/x509.ts on src/core/der.ts, through the built package) against
// OpenSSL (node:crypto's X509Certificate) on EVERY certificate of the IdP corpus: the
// X509Certificate elements of every SAML file (metadata, aggregates, responses, malicious files;
// base64-wrapped files unwrapped; base64 of a PEM unwrapped), given as PEM text and as DER bytes.
// Then hostile DER: refused with certificate_invalid, never a throw, never a hang.
//
// Names are compared in a normalised form: the list of RDNs, least specific first (as encoded),
// each RDN a list of "TYPE=value" with the value unescaped (RFC 4514 / OpenSSL's RFC 2253
// backslash escapes removed) and TYPE mapped to one short name (OpenSSL's emailAddress is our E,
// street is STREET; types we show as an OID, such as businessCategory, to that OID). Ours is "most specific first, joined by ', '", OpenSSL's is one RDN a line.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CERTIFICATE_ERROR_CODES, parseCertificate, parseSamlMetadata } from 'sso-admin-portal/core';

const CORPUS = new URL('../fixtures/idp-corpus/', import.meta.url);
const FOLDERS = ['saml-metadata', 'saml-aggregate', 'saml-malicious', 'saml-responses'];

function base64Bytes(text) {
  const clean = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+=*$/.test(clean)) return null;
  return new Uint8Array(Buffer.from(clean, 'base64'));
}

/** Every distinct certificate (DER) in the SAML corpus, with where it was found. */
function corpusCertificates() {
  const found = new Map();
  const scan = (text, where) => {
    for (const m of text.matchAll(/<(?:[\w-]+:)?X509Certificate(?:\s[^>]*)?>([^<]*)</g)) {
      let der = base64Bytes(m[1]);
      if (!der || der.length < 100) continue; // placeholders ("...") are not certificates
      const inner = Buffer.from(der).toString('latin1');
      if (inner.startsWith('-----BEGIN')) der = base64Bytes(inner.replace(/-----[A-Z ]+-----/g, ''));
      if (der[0] !== 0x30) continue;
      const key = Buffer.from(der).toString('base64');
      if (!found.has(key)) found.set(key, { der, where });
    }
  };
  for (const folder of FOLDERS) {
    for (const name of readdirSync(new URL(`${folder}/`, CORPUS))) {
      const raw = readFileSync(new URL(`${folder}/${name}`, CORPUS));
      const text = raw.toString('utf8');
      scan(text, `${folder}/${name}`);
      // Base64-wrapped SAML messages (*.base64, *.b64, crewjam's responses).
      const unwrapped = base64Bytes(text);
      if (unwrapped) scan(Buffer.from(unwrapped).toString('utf8'), `${folder}/${name} (base64)`);
    }
  }
  return [...found.values()];
}

/** OpenSSL's names for the types we show differently (we show types without a short name as their OID). */
const OPENSSL_NAMES = {
  emailAddress: 'E',
  street: 'STREET',
  businessCategory: '2.5.4.15',
  jurisdictionC: '1.3.6.1.4.1.311.60.2.1.3',
  jurisdictionST: '1.3.6.1.4.1.311.60.2.1.2',
  jurisdictionL: '1.3.6.1.4.1.311.60.2.1.1',
};

function unescapeDn(value) {
  return value.replace(/\\([0-9A-Fa-f]{2}|.)/g, (_, c) => (c.length === 2 ? String.fromCharCode(parseInt(c, 16)) : c));
}

/** Split on a separator not escaped by a backslash. */
function splitUnescaped(text, separator) {
  const parts = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') {
      current += text[i] + (text[i + 1] ?? '');
      i++;
    } else if (text.startsWith(separator, i)) {
      parts.push(current);
      current = '';
      i += separator.length - 1;
    } else current += text[i];
  }
  parts.push(current);
  return parts;
}

function normaliseAttribute(attribute) {
  const at = attribute.indexOf('=');
  const type = attribute.slice(0, at);
  return `${(OPENSSL_NAMES[type] ?? type).toUpperCase()}=${unescapeDn(attribute.slice(at + 1))}`;
}

/** Ours: "CN=a, O=b+OU=c" (most specific first). */
function normaliseOurs(name) {
  if (name === '') return [];
  return splitUnescaped(name, ', ')
    .reverse()
    .map((rdn) => splitUnescaped(rdn, '+').map(normaliseAttribute));
}

/** OpenSSL's multiline form: one RDN a line, multi-valued RDNs joined by " + ". */
function normaliseOpenssl(name) {
  if (!name) return [];
  return name.split('\n').map((rdn) => splitUnescaped(rdn, ' + ').map(normaliseAttribute));
}

const OPENSSL_KEY_TYPES = { rsa: 'RSA', 'rsa-pss': 'RSA-PSS', ec: 'EC', dsa: 'DSA', ed25519: 'Ed25519', ed448: 'Ed448' };
const OPENSSL_CURVES = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521', secp224r1: 'P-224', prime192v1: 'P-192', secp256k1: 'secp256k1' };

/** Our serial is the two's complement bytes as encoded; OpenSSL prints the signed value. */
function signedSerial(hex) {
  const value = BigInt(`0x${hex}`);
  return parseInt(hex.slice(0, 2), 16) >= 0x80 ? value - (1n << BigInt(hex.length * 4)) : value;
}

function assertSameAsOpenssl(ours, der, where) {
  const x = new X509Certificate(der);
  const label = `${where}: ${x.subject.replace(/\n/g, ', ')}`;
  assert.equal(ours.fingerprintSha256, x.fingerprint256, label);
  assert.deepEqual(normaliseOurs(ours.subject), normaliseOpenssl(x.subject), label);
  assert.deepEqual(normaliseOurs(ours.issuer), normaliseOpenssl(x.issuer), label);
  assert.equal(Date.parse(ours.notBefore), Date.parse(x.validFrom), label);
  assert.equal(Date.parse(ours.notAfter), Date.parse(x.validTo), label);
  assert.equal(signedSerial(ours.serialNumber), (x.serialNumber.startsWith('-') ? -1n : 1n) * BigInt(`0x${x.serialNumber.replace(/^-/, '')}`), label);
  assert.equal(ours.keyAlgorithm, OPENSSL_KEY_TYPES[x.publicKey.asymmetricKeyType], label);
  const details = x.publicKey.asymmetricKeyDetails ?? {};
  if (details.modulusLength !== undefined) assert.equal(ours.keySize, details.modulusLength, label);
  if (details.namedCurve !== undefined) assert.equal(ours.curve, OPENSSL_CURVES[details.namedCurve] ?? details.namedCurve, label);
  assert.equal(ours.selfSigned, x.subject === x.issuer, label);
  assert.equal(ours.pem.trim(), x.toString().trim(), label);
}

describe('x509: every certificate of the corpus reads as OpenSSL reads it', () => {
  const certificates = corpusCertificates();

  it('finds the corpus certificates (RSA of several sizes)', () => {
    assert.ok(certificates.length >= 60, `${certificates.length} certificates`);
  });

  it('subject, issuer, validity, serial, key type and size, fingerprint, PEM: from PEM text and from DER bytes', async () => {
    let compared = 0;
    for (const { der, where } of certificates) {
      const pem = `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64')}\n-----END CERTIFICATE-----`;
      let readable = true;
      try {
        new X509Certificate(der);
      } catch {
        readable = false;
      }
      for (const input of [pem, der]) {
        const result = await parseCertificate(input);
        if (!readable) {
          // Cut by the attack's markup inside the element: OpenSSL refuses it too.
          assert.equal(result.ok ? 'read' : result.error.code, 'certificate_invalid', where);
          continue;
        }
        assert.ok(result.ok, `${where}: ${result.ok ? '' : result.error.message}`);
        assertSameAsOpenssl(result.certificate, der, where);
        compared++;
      }
    }
    assert.ok(compared >= 2 * 60, `${compared / 2} certificates compared`);
  });
});

/** A real certificate to damage. */
const SAMPLE = (() => {
  const text = readFileSync(new URL('saml-metadata/ssoready-ssoready__okta__metadata.xml', CORPUS), 'utf8');
  return base64Bytes(/X509Certificate>([^<]+)</.exec(text)[1]);
})();

async function refusedDer(bytes) {
  const result = await parseCertificate(bytes);
  assert.equal(result.ok, false, 'refused');
  assert.ok(CERTIFICATE_ERROR_CODES.includes(result.error.code), result.error.code);
  assert.equal(result.error.code, 'certificate_invalid', result.error.message);
  assert.match(result.error.message, /^This certificate could not be read: /);
  return result.error;
}

/** DER header of a SEQUENCE of `length` content bytes. */
function sequenceHeader(length) {
  if (length < 0x80) return [0x30, length];
  const bytes = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return [0x30, 0x80 | bytes.length, ...bytes];
}

describe('x509: hostile DER is refused with certificate_invalid, never a throw or a hang', () => {
  it('truncated at every length', async () => {
    for (let n = 1; n < SAMPLE.length; n += n < 64 ? 1 : 37) {
      const error = await refusedDer(SAMPLE.subarray(0, n));
      assert.match(error.reason, /cut off|does not start like|not an X\.509/);
    }
  });

  it('wrong lengths: inner elements longer or shorter than what holds them', async () => {
    // Outer SEQUENCE header 30 82 xx xx, then the TBS SEQUENCE 30 82 yy yy at offset 4.
    for (const delta of [-3, -1, 1, 2, 300]) {
      const bytes = SAMPLE.slice();
      const tbsLength = (bytes[6] << 8) | bytes[7];
      bytes[6] = ((tbsLength + delta) >> 8) & 0xff;
      bytes[7] = (tbsLength + delta) & 0xff;
      await refusedDer(bytes);
    }
  });

  it('huge and indefinite lengths', async () => {
    await refusedDer(Uint8Array.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x30, 0x00]));
    await refusedDer(Uint8Array.from([0x30, 0x88, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    const inner = Uint8Array.from([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x02, 0x01, 0x01]);
    await refusedDer(Uint8Array.from([...sequenceHeader(inner.length), ...inner]));
    const indefinite = Uint8Array.from([0x30, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00]);
    await refusedDer(Uint8Array.from([...sequenceHeader(indefinite.length), ...indefinite]));
    await refusedDer(Uint8Array.from([0x30, 0x80, 0x30, 0x80, 0x00, 0x00, 0x00, 0x00]));
  });

  it('deep nesting (15,000 SEQUENCEs inside one another, 60 kB)', async () => {
    // Built from the inside out: each level a SEQUENCE holding the previous one.
    const headers = [];
    let length = 0;
    for (let i = 0; i < 15_000; i++) {
      const header = sequenceHeader(length);
      headers.push(header);
      length += header.length;
    }
    const bytes = new Uint8Array(length);
    let at = 0;
    for (let i = headers.length - 1; i >= 0; i--) {
      bytes.set(headers[i], at);
      at += headers[i].length;
    }
    assert.ok(bytes.length > 50_000 && bytes.length <= 64 * 1024, `${bytes.length} bytes`);
    await refusedDer(bytes);
  });

  it('a certificate whose fields have the wrong types, or an empty one', async () => {
    await refusedDer(Uint8Array.from([0x30, 0x00]));
    await refusedDer(Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x01]));
    await refusedDer(Uint8Array.from([0x30, 0x06, 0x30, 0x04, 0x06, 0x02, 0x2a, 0x03]));
    // The TBS's tag changed from SEQUENCE to SET.
    const bytes = SAMPLE.slice();
    bytes[4] = 0x31;
    await refusedDer(bytes);
  });

  it('random damage anywhere: a result with a known code, never a throw (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(SAMPLE.length - 1), fc.nat(255)), { minLength: 1, maxLength: 8 }), fc.nat(SAMPLE.length), async (changes, cut) => {
        const bytes = SAMPLE.slice(0, Math.max(1, cut));
        for (const [at, value] of changes) if (at < bytes.length) bytes[at] = value;
        const result = await parseCertificate(bytes);
        if (!result.ok) assert.ok(CERTIFICATE_ERROR_CODES.includes(result.error.code), result.error.code);
        else assert.equal(typeof result.certificate.subject, 'string');
      }),
      { numRuns: 400 },
    );
  });

  it('in metadata: a damaged signing certificate is metadata_certificate_invalid, with the reason', async () => {
    const okta = readFileSync(new URL('saml-metadata/ssoready-ssoready__okta__metadata.xml', CORPUS), 'utf8');
    const damaged = SAMPLE.slice(0, 200);
    const xml = okta.replace(/(X509Certificate>)[^<]+/, `$1${Buffer.from(damaged).toString('base64')}`);
    const result = await parseSamlMetadata(xml);
    assert.equal(result.ok, false);
    assert.equal(result.error.code, 'metadata_certificate_invalid');
    assert.match(result.error.reason, /cut off/);
  });
});

describe('x509: each distinct certificate is decoded once per parse', () => {
  it('a certificate listed for signing and for encryption is decoded once: one object in both lists', async () => {
    const okta = readFileSync(new URL('saml-metadata/ssoready-ssoready__okta__metadata.xml', CORPUS), 'utf8');
    const descriptor = /<md:KeyDescriptor[\s\S]*?<\/md:KeyDescriptor>/.exec(okta)[0];
    const xml = okta.replace(descriptor, `${descriptor}${descriptor.replace('use="signing"', 'use="encryption"')}${descriptor}`);
    const result = await parseSamlMetadata(xml, { now: new Date('2026-11-29T12:00:00Z') });
    assert.ok(result.ok);
    assert.equal(result.metadata.signingCertificates.length, 1);
    assert.equal(result.metadata.encryptionCertificates.length, 1);
    assert.equal(result.metadata.signingCertificates[0], result.metadata.encryptionCertificates[0]);
  });
});

describe('x509: fingerprints without Web Crypto', () => {
  // SHA-256 is computed synchronously (@noble/hashes): no asynchronous crypto.subtle call
  // to wait for, and certificates read on pages where Web Crypto is missing (plain http://).
  it('parseSamlMetadata and parseCertificate give the fingerprint when globalThis.crypto is missing', async () => {
    const okta = readFileSync(new URL('saml-metadata/ssoready-ssoready__okta__metadata.xml', CORPUS), 'utf8');
    const base64 = /X509Certificate>([^<]+)</.exec(okta)[1];
    const expected = new X509Certificate(Buffer.from(base64.replace(/\s+/g, ''), 'base64')).fingerprint256;
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
    Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true });
    let metadata, certificate;
    try {
      metadata = await parseSamlMetadata(okta, { now: new Date('2026-11-29T12:00:00Z') });
      certificate = await parseCertificate(base64);
    } finally {
      Object.defineProperty(globalThis, 'crypto', descriptor);
    }
    assert.ok(metadata.ok, JSON.stringify(metadata));
    assert.equal(metadata.metadata.signingCertificates[0].fingerprintSha256, expected);
    assert.ok(certificate.ok, JSON.stringify(certificate));
    assert.equal(certificate.certificate.fingerprintSha256, expected);
  });
});
