// Certificate base64 in Chromium, where the reader decodes with the platform's
// Uint8Array.fromBase64 (and writes PEM with toBase64): the same acceptance and bytes as the
// decoder it replaced (white space removed, padding completed, atob). Node, without those
// methods, runs the reader's own decoder: test/server/reader-codecs.test.ts.
import { expect } from '@open-wc/testing';
import { base64ToBytes, decodeBase64 } from '../../../src/core/saml-metadata-reader.js';
import { referenceBase64 } from '../../support/reference-base64.js';

const show = (bytes: Uint8Array | null) => (bytes ? Array.from(bytes).join(',') : 'null');

describe('base64ToBytes in Chromium: what atob accepted, decoded the same', () => {
  it('uses the platform decoder here (else this file tests nothing new)', () => {
    expect(typeof (Uint8Array as unknown as { fromBase64?: unknown }).fromBase64).to.equal('function');
  });

  it('padding, lengths, white space (Unicode too) and stray characters', () => {
    const cases = ['', ' ', '=', '==', 'Q', 'QQ', 'QQ=', 'QQ==', 'QQ===', 'QQQ', 'QQQ=', 'QQQ==', 'QQQQ', 'QQQQ=', 'QQQQQ', 'QQQQQ=', 'QQQQQQ', 'QR==', 'QR', 'QR=', 'QUJD', 'QUJDRA', 'QUJDRA==', 'QUJDRB', 'Q Q = =', 'QQ=Q', 'QQ==\n', '\u00a0QUJD\u2028', '\u200bQUJD', 'QU\u0000JD', 'QUJD-', 'QUJD_', '\uFEFFQUJD', 'Q\u0085UJD', 'MIIB\r\n\tAA=='];
    for (const text of cases) {
      expect(show(base64ToBytes(text)), JSON.stringify(text)).to.equal(show(referenceBase64(text)));
      expect(show(decodeBase64(text.replace(/\s+/g, '')) ?? null), `own decoder ${JSON.stringify(text)}`).to.equal(text.replace(/\s+/g, '') ? show(referenceBase64(text)) : 'null');
    }
  });

  it('random strings of base64 digits, padding, white space and other characters', () => {
    const alphabet = 'ABCXYZabcxyz0189+/=== \n\t\r\u00a0\u2028\ufeff-_.\u0000é';
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 20000; n++) {
      const length = Math.floor(next() * 24);
      let text = '';
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(next() * alphabet.length)];
      expect(show(base64ToBytes(text)), JSON.stringify(text)).to.equal(show(referenceBase64(text)));
    }
  });
});
