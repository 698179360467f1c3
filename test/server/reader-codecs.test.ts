// Database: none. It never opens one, so the PostgreSQL pass of the server suite leaves it out (scripts/server-tests.mjs).
// The codecs of the metadata reader, against references: the base64 decoder of certificate
// texts (src/core/saml-metadata-reader.ts; Node has no Uint8Array.fromBase64, so its own loop)
// against what it replaced (white space removed, padding completed, atob); utf8Length against
// TextEncoder; readTimeIso (src/core/der.ts) against readTime(...).toISOString().
// Run: node --import tsx --test test/server/reader-codecs.test.ts
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { base64ToBytes, utf8Length } from '../../src/core/saml-metadata-reader.js';
import { readNode, readTime, readTimeIso } from '../../src/core/der.js';
import { referenceBase64 } from '../support/reference-base64.js';

const same = (text: string) => {
  const expected = referenceBase64(text);
  const actual = base64ToBytes(text);
  return expected === null ? actual === null : actual !== null && Buffer.from(actual).equals(Buffer.from(expected));
};

describe('base64ToBytes: what atob accepted, decoded the same', () => {
  test('padding, lengths, white space (Unicode too) and stray characters', () => {
    const cases = ['', ' ', '=', '==', 'Q', 'QQ', 'QQ=', 'QQ==', 'QQ===', 'QQQ', 'QQQ=', 'QQQ==', 'QQQQ', 'QQQQ=', 'QQQQQ', 'QQQQQ=', 'QQQQQQ', 'QR==', 'QR', 'QUJD', 'QUJDRA', 'QUJDRA==', 'Q Q = =', 'QQ=Q', 'QQ==\n', '\u00a0QUJD\u2028', '\u200bQUJD', 'QU\u0000JD', 'QUJD-', 'QUJD_', '\uFEFFQUJD', 'QUJD\u3000RA', 'Q\u0085UJD', 'MIIB\r\n\tAA=='];
    for (const text of cases) assert.ok(same(text), JSON.stringify(text));
  });

  test('the certificates of the corpus, as written (with their line breaks)', () => {
    let count = 0;
    for (const folder of ['saml-metadata', 'saml-aggregate', 'saml-malicious', 'saml-responses']) {
      const dir = new URL(`../fixtures/idp-corpus/${folder}/`, import.meta.url);
      for (const name of readdirSync(dir)) {
        for (const m of readFileSync(new URL(name, dir), 'utf8').matchAll(/X509Certificate>([^<]*)</g)) {
          assert.ok(same(m[1]!), `${folder}/${name}`);
          count++;
        }
      }
    }
    assert.ok(count > 100, `${count} certificates`);
  });

  test('random strings of base64 digits, padding, white space and other characters (fast-check)', () => {
    const alphabet = fc.constantFrom(...'ABCXYZabcxyz0189+/=== \n\t\r\u00a0\u2028\ufeff-_.\u0000é'.split(''));
    fc.assert(fc.property(fc.array(alphabet, { maxLength: 40 }).map((chars) => chars.join('')), same), { numRuns: 5000 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(3), (bytes, cut) => same(Buffer.from(bytes).toString('base64').slice(0, Math.max(0, Buffer.from(bytes).toString('base64').length - cut)))), { numRuns: 2000 });
  });
});

describe('utf8Length: the bytes TextEncoder writes', () => {
  test('ASCII, two-, three- and four-byte characters, lone surrogates', () => {
    for (const text of ['', 'abc', 'é', 'Universität Zürich', '€', '日本語', '😀', 'a😀b', '\ud83d', '\ude00', '\ud83d\ud83d\ude00', 'x\udbffy', '\u0080\u07ff\u0800\uffff']) {
      assert.equal(utf8Length(text), new TextEncoder().encode(text).length, JSON.stringify(text));
    }
  });

  test('random strings of any UTF-16 units (fast-check)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 60 }), (a, b) => {
        const text = a + b;
        return utf8Length(text) === new TextEncoder().encode(text).length;
      }),
      { numRuns: 3000 },
    );
  });
});

describe('readTimeIso: what readTime(...).toISOString() gives, or null', () => {
  /** A DER time element of this tag around this text. */
  const time = (tag: number, text: string) => {
    const bytes = Uint8Array.from([tag, text.length, ...Array.from(text, (c) => c.charCodeAt(0) & 0xff)]);
    return { bytes, node: readNode(bytes, 0) };
  };
  const check = (tag: number, text: string) => {
    const { bytes, node } = time(tag, text);
    const iso = readTimeIso(bytes, node);
    const date = readTime(bytes, node);
    if (iso !== null) assert.equal(iso, date.toISOString(), `${tag} ${text}`);
    return iso;
  };

  test('UTCTime and GeneralizedTime, leap days, the ends of months and of centuries', () => {
    assert.equal(check(0x17, '491231235959Z'), '2049-12-31T23:59:59.000Z');
    assert.equal(check(0x17, '500101000000Z'), '1950-01-01T00:00:00.000Z');
    assert.equal(check(0x18, '00000101000000Z'), '0000-01-01T00:00:00.000Z');
    assert.equal(check(0x18, '99991231235959Z'), '9999-12-31T23:59:59.000Z');
    assert.equal(check(0x18, '20000229120000Z'), '2000-02-29T12:00:00.000Z');
    assert.equal(check(0x18, '21000229120000Z'), null); // not a leap year: left to the Date
    assert.equal(check(0x17, '240230000000Z'), null);
    assert.equal(check(0x17, '240431000000Z'), null);
    assert.equal(check(0x18, '20240101000000.5Z'), null); // fractions: left to the Date
    assert.equal(check(0x17, '2401010000Z'), null);
    assert.equal(check(0x17, '240101000000+0100'), null);
    assert.equal(check(0x17, '241301000000Z'), null);
    assert.equal(check(0x17, '240101240000Z'), null);
  });

  test('random times, valid or not (fast-check)', () => {
    const digit = fc.constantFrom(...'0123456789');
    const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));
    fc.assert(
      fc.property(fc.boolean(), digits(4), digits(2), digits(2), digits(2), digits(2), digits(2), (utc, year, month, day, hour, minute, second) => {
        const text = `${utc ? year.slice(2) : year}${month}${day}${hour}${minute}${second}Z`;
        check(utc ? 0x17 : 0x18, text);
        check(utc ? 0x17 : 0x18, `${text.slice(0, -1)}${utc ? '' : '.25'}Z`);
        return true;
      }),
      { numRuns: 5000 },
    );
  });
});
