/// <reference types="node" />
/**
 * Certificate rollover (issue 17 point 5): at most five IdP signing certificates per connection
 * (metadata that lists more keeps the best five, with a warning).
 * Run: node --import tsx --test test/server/certificate-rollover.test.ts
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { MAX_SIGNING_CERTIFICATES, parseSamlMetadata } from '../../src/core/saml-metadata.js';
import { createSigningKey, type TestIdpKey } from '../support/saml-test-idp.js';

const NOW = new Date('2026-11-29T12:00:00.000Z');
const YEAR = 365 * 86_400_000;
const IDP_ENTITY = 'https://idp.example.com/metadata';

/** IdP metadata with these signing certificates, in this order. */
export function metadataWith(keys: readonly TestIdpKey[], o: { ssoUrl?: string; binding?: 'redirect' | 'post'; wantSigned?: boolean } = {}): string {
  const binding = `urn:oasis:names:tc:SAML:2.0:bindings:HTTP-${o.binding === 'post' ? 'POST' : 'Redirect'}`;
  const descriptors = keys
    .map((k) => `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${k.certBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`)
    .join('');
  const wants = o.wantSigned === undefined ? '' : ` WantAuthnRequestsSigned="${o.wantSigned}"`;
  return (
    `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${IDP_ENTITY}">` +
    `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"${wants}>${descriptors}` +
    `<md:SingleSignOnService Binding="${binding}" Location="${o.ssoUrl ?? 'https://idp.example.com/sso'}"/>` +
    `</md:IDPSSODescriptor></md:EntityDescriptor>`
  );
}

describe('at most five signing certificates', () => {
  // createSigningKey(name, t): valid from t - 1 year to t + 3 years.
  const ages = [-6, -5, 0.5, -4.5, 0, 1, 0.25]; // years from NOW
  let keys: TestIdpKey[];
  before(async () => {
    keys = await Promise.all(ages.map((years, i) => createSigningKey(`Rollover ${i}`, new Date(NOW.getTime() + years * YEAR))));
  });

  test('the limit is five', () => assert.equal(MAX_SIGNING_CERTIFICATES, 5));

  test('metadata with seven keeps the five valid now with the latest expiry, in document order, and says which were left out', async () => {
    const result = await parseSamlMetadata(metadataWith(keys), { now: NOW });
    assert.ok(result.ok, JSON.stringify(!result.ok && result.error));
    // Valid now: 2, 4, 5, 6; expired: 3 (1.5 years ago, the latest of them, kept), 1 (2 years), 0 (3 years).
    assert.deepEqual(
      result.metadata.signingCertificates.map((c) => c.fingerprintSha256),
      [keys[2], keys[3], keys[4], keys[5], keys[6]].map((k) => k!.fingerprint),
    );
    const limited = result.warnings.filter((w) => w.code === 'metadata_signing_certificates_limited');
    assert.equal(limited.length, 1);
    assert.match(limited[0]!.message, /lists 7 signing certificates; a connection holds at most 5/);
    assert.match(limited[0]!.message, /Left out: “Rollover 0”, “Rollover 1”\./);
  });

  test('when fewer than five are valid now, the expired ones with the latest expiry fill the rest', async () => {
    const expired = await Promise.all([-9, -8, -7, -6, -5, -4.5].map((years, i) => createSigningKey(`Old ${i}`, new Date(NOW.getTime() + years * YEAR))));
    const result = await parseSamlMetadata(metadataWith([...expired, keys[4]!]), { now: NOW });
    assert.ok(result.ok);
    assert.deepEqual(
      result.metadata.signingCertificates.map((c) => c.fingerprintSha256),
      [expired[2], expired[3], expired[4], expired[5], keys[4]].map((k) => k!.fingerprint),
    );
    assert.match(result.warnings.find((w) => w.code === 'metadata_signing_certificates_limited')!.message, /Left out: “Old 0”, “Old 1”\./);
  });

  test('five or fewer: all kept, no warning', async () => {
    const result = await parseSamlMetadata(metadataWith(keys.slice(2)), { now: NOW });
    assert.ok(result.ok);
    assert.equal(result.metadata.signingCertificates.length, 5);
    assert.ok(!result.warnings.some((w) => w.code === 'metadata_signing_certificates_limited'));
  });
});
