/// <reference types="node" />
/**
 * Encrypted assertions (issue 17 point 3), on our side: responses whose assertion the test IdP
 * encrypts with xml-encryption (every content and key-transport algorithm), decrypted with the
 * connection's keys and then validated as any other (signature over the decrypted assertion or
 * over the response with the ciphertext); the wrong key, refused algorithms, a key rollover with
 * both keys, `encryption_required`; the keys in the database and our SP metadata. The IdPs' own
 * encryption is in interop-encrypted.test.ts.
 * Run: node --import tsx --test test/server/saml-encrypted-assertions.test.ts
 */
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import xmlenc from 'xml-encryption';
import { spMetadataXml } from '../../src/core/sp-metadata.js';
import { ACCEPTED_CONTENT_ENCRYPTION, encryptionKeyDescriptorsXml } from '../../src/server/saml/sp-metadata-keys.js';
import { TEST_FAILURES } from '../../src/core/test-failures.js';
import type { DecryptionKey } from '../../src/server/saml/assertion-decryption.js';
import { validateSamlResponse, type SamlIdpConfig, type SamlValidation, type ValidateSamlOptions } from '../../src/server/saml/service-provider.js';
import { SpKeys, spKeyName } from '../../src/server/saml/sp-keys.js';
import { generateKeyPair } from '../../src/server/simulator/keys.js';
import { openTestDatabase } from '../support/test-database.js';
import { buildResponseXml, createSigningKey, signResponse, toFormValue, type ResponseTemplate, type TestIdpKey } from '../support/saml-test-idp.js';
import { startHarness, testSecretBox } from './helpers.js';

const NOW = new Date('2026-11-29T12:00:00.000Z');
const SP = { entityId: 'https://app.example.com/saml/org_1/conn_1', acsUrl: 'https://app.example.com/saml/org_1/conn_1/acs' };
const IDP_ENTITY = 'https://idp.example.com/metadata';
const REQUEST_ID = '_request-0001';
const MAPPING = { email: 'email' };
const ASSERTION_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';
const XMLENC = 'http://www.w3.org/2001/04/xmlenc#';
const OAEP = `${XMLENC}rsa-oaep-mgf1p`;

let idpKey: TestIdpKey;
let idp: SamlIdpConfig;
let ours: DecryptionKey;
let next: DecryptionKey;
let stranger: DecryptionKey;

before(async () => {
  [idpKey, ours, next, stranger] = await Promise.all([
    createSigningKey('Encrypting IdP'),
    generateKeyPair('CN=SP encryption', NOW, 'encryption'),
    generateKeyPair('CN=SP encryption next', NOW, 'encryption'),
    generateKeyPair('CN=Another SP', NOW, 'encryption'),
  ]);
  idp = { entityId: IDP_ENTITY, ssoUrl: 'https://idp.example.com/sso', ssoBinding: 'post', signingCertificates: [idpKey.certPem] };
});

function template(overrides: Partial<ResponseTemplate> = {}): ResponseTemplate {
  return { now: NOW, issuer: IDP_ENTITY, acsUrl: SP.acsUrl, audience: SP.entityId, inResponseTo: REQUEST_ID, nameId: 'ada-1', attributes: { email: ['ada@megacorp.example'] }, ...overrides };
}

interface Encryption {
  to?: DecryptionKey;
  content?: string;
  transport?: string;
  digest?: 'sha1' | 'sha256';
  /** Keep the certificate in the EncryptedKey's KeyInfo (default true). */
  namesCertificate?: boolean;
}

function encrypt(content: string, e: Encryption): Promise<string> {
  const to = e.to ?? ours;
  return new Promise((resolve, reject) => {
    xmlenc.encrypt(
      content,
      {
        rsa_pub: new X509Certificate(to.certificatePem).publicKey.export({ type: 'spki', format: 'pem' }),
        pem: to.certificatePem,
        encryptionAlgorithm: e.content ?? ACCEPTED_CONTENT_ENCRYPTION[0],
        keyEncryptionAlgorithm: e.transport ?? OAEP,
        keyEncryptionDigest: e.digest ?? 'sha1',
        warnInsecureAlgorithm: false,
      },
      (error, result) => (error || !result ? reject(error ?? new Error('no result')) : resolve(result)),
    );
  });
}

/** The response XML with its Assertion replaced by an EncryptedAssertion (as an IdP does after signing the assertion). */
async function encryptAssertionOf(xml: string, e: Encryption = {}): Promise<string> {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const assertion = doc.getElementsByTagNameNS(ASSERTION_NS, 'Assertion')[0]!;
  // Serialized on its own: xmldom declares the saml prefix on it.
  const plain = new XMLSerializer().serializeToString(assertion);
  let encrypted = await encrypt(plain, e);
  if (e.namesCertificate === false) encrypted = encrypted.replace(/<KeyInfo>\s*<X509Data>.*?<\/X509Data>\s*<\/KeyInfo>/s, '');
  const start = xml.indexOf('<saml:Assertion ');
  const end = xml.indexOf('</saml:Assertion>') + '</saml:Assertion>'.length;
  return `${xml.slice(0, start)}<saml:EncryptedAssertion>${encrypted}</saml:EncryptedAssertion>${xml.slice(end)}`;
}

/** A response with a signed assertion, then encrypted. */
async function encryptedResponse(e: Encryption = {}, overrides: Partial<ResponseTemplate> = {}): Promise<string> {
  return encryptAssertionOf(signResponse(buildResponseXml(template(overrides)), { key: idpKey, sign: 'assertion' }), e);
}

function validate(xml: string, options: Partial<ValidateSamlOptions> = {}): Promise<SamlValidation> {
  return validateSamlResponse({ samlResponse: toFormValue(xml), sp: SP, idp, attributeMapping: MAPPING, expectedRequestId: REQUEST_ID, now: NOW, decryption: { keys: [ours] }, ...options });
}

function accepted(result: SamlValidation): Extract<SamlValidation, { ok: true }> {
  if (!result.ok) assert.fail(`${result.error.code}: ${JSON.stringify(result.error.details)}`);
  assert.equal(result.profile.email, 'ada@megacorp.example');
  return result;
}

function refused(result: SamlValidation, code: keyof typeof TEST_FAILURES): string {
  if (result.ok) assert.fail(`expected ${code}, got ok`);
  assert.equal(result.error.code, code, JSON.stringify(result.error.details));
  assert.equal(result.error.message, TEST_FAILURES[code].message);
  assert.equal(result.error.remedy, TEST_FAILURES[code].remedy);
  const details = JSON.stringify(result.error.details ?? {});
  assert.ok(!details.includes('<') && !/[A-Za-z0-9+/]{60,}/.test(details), `no XML or key material in the details: ${details}`);
  return String(result.error.details?.reason ?? '');
}

describe('encrypted assertions: each algorithm round-trips', () => {
  for (const content of ACCEPTED_CONTENT_ENCRYPTION) {
    test(`${content.split('#')[1]} content, RSA-OAEP (SHA-1) key transport, signed assertion inside`, async () => {
      const result = accepted(await validate(await encryptedResponse({ content })));
      assert.equal(result.signatureAlgorithm, 'rsa-sha256');
    });
  }

  test('RSA-OAEP with SHA-256 (xml-encryption’s and Auth0’s form: SHA-256 digest and MGF1)', async () => {
    accepted(await validate(await encryptedResponse({ digest: 'sha256' })));
  });

  test('an EncryptedKey without the certificate in KeyInfo: our key is tried', async () => {
    accepted(await validate(await encryptedResponse({ namesCertificate: false })));
  });

  test('only the response is signed: its signature covers the ciphertext; a changed ciphertext is refused', async () => {
    const encrypted = await encryptAssertionOf(buildResponseXml(template()));
    const xml = signResponse(encrypted, { key: idpKey, sign: 'response' });
    const result = accepted(await validate(xml));
    assert.ok(result.signatureAlgorithm);
    // The content's CipherValue (the last one; the first is the encrypted key's).
    const cipher = [...xml.matchAll(/(<xenc:CipherValue>)([^<]+)(<)/g)].at(-1)!;
    const flipped = cipher[2]!.startsWith('A') ? `B${cipher[2]!.slice(1)}` : `A${cipher[2]!.slice(1)}`;
    refused(await validate(xml.replace(cipher[0], `${cipher[1]}${flipped}<`)), 'signature_invalid');
  });

  test('nothing signed, inside or outside the encryption: response_unsigned', async () => {
    refused(await validate(await encryptAssertionOf(buildResponseXml(template()))), 'response_unsigned');
  });

  test('an assertion changed after signing, then encrypted: signature_invalid', async () => {
    const signed = signResponse(buildResponseXml(template()), { key: idpKey, sign: 'assertion' });
    refused(await validate(await encryptAssertionOf(signed.replace('ada@megacorp.example', 'eve@megacorp.example'))), 'signature_invalid');
  });

  test('the decrypted assertion is checked as any other: audience, issuer', async () => {
    refused(await validate(await encryptedResponse({}, { audience: 'https://other.example' })), 'audience_mismatch');
    refused(await validate(await encryptedResponse({}, { issuer: 'https://evil.example' })), 'issuer_mismatch');
  });
});

describe('encrypted assertions: refusals', () => {
  test('encrypted for another certificate (named in KeyInfo): decryption_failed says so', async () => {
    const reason = refused(await validate(await encryptedResponse({ to: stranger })), 'decryption_failed');
    assert.match(reason, /another certificate/);
  });

  test('encrypted for another key, no certificate named: decryption_failed (the key does not open it)', async () => {
    const reason = refused(await validate(await encryptedResponse({ to: stranger, namesCertificate: false })), 'decryption_failed');
    assert.match(reason, /could not be decrypted/);
  });

  test('RSA-1.5 key transport: decryption_failed naming RSA-1.5', async () => {
    const reason = refused(await validate(await encryptedResponse({ transport: `${XMLENC}rsa-1_5` })), 'decryption_failed');
    assert.match(reason, /RSA-1\.5/);
  });

  test('Triple DES content: decryption_failed naming the algorithm', async () => {
    const reason = refused(await validate(await encryptedResponse({ content: `${XMLENC}tripledes-cbc` })), 'decryption_failed');
    assert.match(reason, /tripledes-cbc.*not supported/);
  });

  test('the standard xmlenc#sha256 OAEP digest (MGF1-SHA-1): decryption_failed naming the digest', async () => {
    const xml = (await encryptedResponse()).replace('http://www.w3.org/2000/09/xmldsig#sha1', `${XMLENC}sha256`);
    const reason = refused(await validate(xml), 'decryption_failed');
    assert.match(reason, /xmlenc#sha256/);
  });

  test('no decryption key: decryption_failed', async () => {
    refused(await validate(await encryptedResponse(), { decryption: { keys: [] } }), 'decryption_failed');
    refused(await validate(await encryptedResponse(), { decryption: undefined }), 'decryption_failed');
  });

  test('an EncryptedAssertion beside an Assertion: signature wrapping', async () => {
    const plain = signResponse(buildResponseXml(template()), { key: idpKey, sign: 'assertion' });
    const encrypted = await encryptAssertionOf(plain);
    const assertion = /<saml:Assertion .*<\/saml:Assertion>/s.exec(plain)![0];
    refused(await validate(encrypted.replace('<saml:EncryptedAssertion>', `${assertion}<saml:EncryptedAssertion>`)), 'signature_invalid');
  });

  test('what decrypts to anything but a well-formed Assertion gets the same answer as a wrong key (no padding or parser oracle)', async () => {
    const xml = buildResponseXml(template());
    const start = xml.indexOf('<saml:Assertion ');
    const end = xml.indexOf('</saml:Assertion>') + '</saml:Assertion>'.length;
    const holding = async (content: string, e: Encryption = {}) =>
      refused(await validate(`${xml.slice(0, start)}<saml:EncryptedAssertion>${await encrypt(content, e)}</saml:EncryptedAssertion>${xml.slice(end)}`), 'decryption_failed');
    const wrongKey = refused(await validate(await encryptedResponse({ to: stranger, namesCertificate: false })), 'decryption_failed');
    assert.match(wrongKey, /could not be decrypted/);
    for (const content of ['<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">x</saml:Issuer>', '<saml:Assertion', 'not xml \u0001']) {
      assert.equal(await holding(content), wrongKey, content);
      assert.equal(await holding(content, { content: 'http://www.w3.org/2001/04/xmlenc#aes128-cbc' }), wrongKey, content);
    }
    // A changed CBC ciphertext (bad padding or garbage plaintext) under an assertion-only signature: the same answer.
    const good = await encryptedResponse({ content: 'http://www.w3.org/2001/04/xmlenc#aes128-cbc' });
    const cipher = [...good.matchAll(/(<xenc:CipherValue>)([^<]+)(<)/g)].at(-1)!;
    const bytes = Buffer.from(cipher[2]!, 'base64');
    for (const at of [bytes.length - 17, bytes.length - 1, 20]) {
      const changed = Buffer.from(bytes);
      changed[at]! ^= 0x5a;
      assert.equal(refused(await validate(good.replace(cipher[0], `${cipher[1]}${changed.toString('base64')}<`)), 'decryption_failed'), wrongKey, `byte ${at}`);
    }
  });

  test('encryption_required: an unencrypted assertion is refused, an encrypted one accepted; off by default', async () => {
    const plain = signResponse(buildResponseXml(template()), { key: idpKey, sign: 'assertion' });
    refused(await validate(plain, { decryption: { keys: [ours], required: true } }), 'encryption_required');
    accepted(await validate(plain));
    accepted(await validate(await encryptedResponse(), { decryption: { keys: [ours], required: true } }));
  });
});

describe('encryption key rollover', () => {
  test('during the overlap both keys decrypt; the old key alone cannot open what was encrypted for the next one', async () => {
    accepted(await validate(await encryptedResponse({ to: ours }), { decryption: { keys: [ours, next] } }));
    accepted(await validate(await encryptedResponse({ to: next }), { decryption: { keys: [ours, next] } }));
    accepted(await validate(await encryptedResponse({ to: next, namesCertificate: false }), { decryption: { keys: [ours, next] } }));
    refused(await validate(await encryptedResponse({ to: next })), 'decryption_failed');
  });

  test('SpKeys: an encryption pair per connection (sealed), a next key during a rollover, then the next becomes current', async () => {
    const database = await openTestDatabase();
    try {
      const secrets = testSecretBox();
      const keys = new SpKeys({ database, secrets, importFrom: null });
      const first = await keys.encryptionKeys('org_1', 'conn_1');
      assert.equal(first.next, undefined);
      assert.ok(new X509Certificate(first.current.certificatePem).checkPrivateKey(createPrivateKey(first.current.privateKeyPem)));
      assert.notEqual(first.current.certificatePem, (await keys.forConnection('org_1', 'conn_1')).certificatePem, 'not the signing key');
      assert.notEqual(first.current.certificatePem, (await keys.encryptionKeys('org_1', 'conn_2')).current.certificatePem, 'each connection its own');
      const row = await database.db.selectFrom('keys').selectAll().where('name', '=', spKeyName('encryption', 'org_1', 'conn_1')).executeTakeFirstOrThrow();
      assert.ok(!row.private_key_ciphertext.includes('PRIVATE KEY'), 'sealed');
      assert.equal(await keys.finishEncryptionRollover('org_1', 'conn_1'), false, 'no rollover in progress');

      const upcoming = await keys.startEncryptionRollover('org_1', 'conn_1');
      assert.deepEqual(await keys.startEncryptionRollover('org_1', 'conn_1'), upcoming, 'starting twice keeps one next key');
      const overlap = await keys.encryptionKeys('org_1', 'conn_1');
      assert.deepEqual(overlap, { current: first.current, next: upcoming });

      assert.equal(await keys.finishEncryptionRollover('org_1', 'conn_1'), true);
      assert.deepEqual(await keys.encryptionKeys('org_1', 'conn_1'), { current: upcoming });
      assert.deepEqual(await new SpKeys({ database, secrets, importFrom: null }).encryptionKeys('org_1', 'conn_1'), { current: upcoming }, 'kept across instances');
    } finally {
      await database.close();
    }
  });
});

describe('our SP metadata: encryption certificates', () => {
  test('spMetadataXml with encryptionKeyDescriptorsXml: each encryption certificate as KeyDescriptor use="encryption" with the algorithms we accept', () => {
    const values = { entityId: SP.entityId, acsUrl: SP.acsUrl, metadataUrl: 'https://sp.example/m', oidcRedirectUri: 'https://sp.example/cb' };
    const xml = spMetadataXml(values, { keyDescriptorsXml: encryptionKeyDescriptorsXml([ours.certificatePem, next.certificatePem]) });
    const doc = new DOMParser().parseFromString(xml, 'text/xml');
    const descriptors = Array.from(doc.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:metadata', 'KeyDescriptor'));
    assert.deepEqual(
      descriptors.map((d) => d.getAttribute('use')),
      ['encryption', 'encryption'],
    );
    const fingerprints = descriptors.map((d) => new X509Certificate(Buffer.from(d.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'X509Certificate')[0]!.textContent!, 'base64')).fingerprint256);
    assert.deepEqual(fingerprints, [ours, next].map((k) => new X509Certificate(k.certificatePem).fingerprint256));
    const methods = Array.from(descriptors[0]!.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:metadata', 'EncryptionMethod')).map((m) => m.getAttribute('Algorithm'));
    assert.deepEqual(methods, [...ACCEPTED_CONTENT_ENCRYPTION, OAEP]);
    assert.ok(!methods.includes(`${XMLENC}rsa-1_5`));
  });

  test('a SAML connection’s metadata URL publishes its encryption certificate, and the next one during a rollover', async () => {
    const h = await startHarness();
    try {
      const { orgId, token } = await h.organization('Megacorp');
      const saml = { idpEntityId: IDP_ENTITY, ssoUrl: 'https://idp.example/sso', ssoBinding: 'post', signingCertificates: [idpKey.certPem] };
      const created = await h.portal(token, 'POST', '/api/portal/connections', { protocol: 'saml', providerId: 'generic-saml', saml, attributeMapping: MAPPING });
      assert.equal(created.status, 201, created.text);
      const connection = created.body as { id: string; serviceProvider: { metadataUrl: string } };
      const metadata = async () => {
        const answer = await h.request('GET', new URL(connection.serviceProvider.metadataUrl).pathname);
        assert.equal(answer.status, 200, answer.text);
        return [...answer.text.matchAll(/<md:KeyDescriptor use="encryption">\s*<ds:KeyInfo[^>]*>\s*<ds:X509Data>\s*<ds:X509Certificate>([^<]+)</g)].map((m) => new X509Certificate(Buffer.from(m[1]!, 'base64')).fingerprint256);
      };
      const keys = new SpKeys({ database: h.database, secrets: h.secrets, importFrom: null });
      const before = await metadata();
      const { current } = await keys.encryptionKeys(orgId, connection.id);
      assert.deepEqual(before, [new X509Certificate(current.certificatePem).fingerprint256]);
      const upcoming = await keys.startEncryptionRollover(orgId, connection.id);
      assert.deepEqual(await metadata(), [current, upcoming].map((k) => new X509Certificate(k.certificatePem).fingerprint256));
      await keys.finishEncryptionRollover(orgId, connection.id);
      assert.deepEqual(await metadata(), [new X509Certificate(upcoming.certificatePem).fingerprint256]);
    } finally {
      await h.close();
    }
  });

  test('our certificates as files: a SAML connection names their URLs; each answers as a PEM attachment (the next encryption one during a rollover); OIDC has none', async () => {
    const h = await startHarness();
    try {
      const { orgId, token } = await h.organization('Megacorp');
      const saml = { idpEntityId: IDP_ENTITY, ssoUrl: 'https://idp.example/sso', ssoBinding: 'post', signingCertificates: [idpKey.certPem] };
      const created = await h.portal(token, 'POST', '/api/portal/connections', { protocol: 'saml', providerId: 'okta', saml, attributeMapping: MAPPING });
      assert.equal(created.status, 201, created.text);
      type Sp = { signingCertificateUrl?: string; encryptionCertificateUrl?: string };
      const connection = created.body as { id: string; serviceProvider: Sp };
      const sp = connection.serviceProvider;
      assert.ok(sp.signingCertificateUrl && sp.encryptionCertificateUrl, JSON.stringify(sp));
      // The same URLs on every answer that carries the connection.
      const listed = await h.portal(token, 'GET', '/api/portal/connections');
      assert.deepEqual((listed.body as { id: string; serviceProvider: Sp }[]).find((c) => c.id === connection.id)!.serviceProvider, sp);
      const file = async (url: string) => {
        const answer = await fetch(`${h.origin}${new URL(url).pathname}`);
        const text = await answer.text();
        assert.equal(answer.status, 200, text);
        assert.match(answer.headers.get('content-disposition') ?? '', /^attachment; filename="sp-(signing|encryption)-[^"]+\.cer"$/);
        assert.equal(answer.headers.get('access-control-allow-origin'), '*');
        assert.doesNotMatch(text, /PRIVATE/);
        return new X509Certificate(text).fingerprint256;
      };
      const keys = new SpKeys({ database: h.database, secrets: h.secrets, importFrom: null });
      const signing = await keys.forConnection(orgId, connection.id);
      assert.equal(await file(sp.signingCertificateUrl), new X509Certificate(signing.certificatePem).fingerprint256);
      const { current } = await keys.encryptionKeys(orgId, connection.id);
      assert.equal(await file(sp.encryptionCertificateUrl), new X509Certificate(current.certificatePem).fingerprint256);
      const upcoming = await keys.startEncryptionRollover(orgId, connection.id);
      assert.equal(await file(sp.encryptionCertificateUrl), new X509Certificate(upcoming.certificatePem).fingerprint256);

      const oidc = await h.portal(token, 'POST', '/api/portal/connections', { protocol: 'oidc', providerId: 'okta', attributeMapping: { email: 'email' } });
      assert.equal(oidc.status, 201, oidc.text);
      const oidcSp = (oidc.body as { serviceProvider: Sp }).serviceProvider;
      assert.equal(oidcSp.signingCertificateUrl, undefined);
      assert.equal(oidcSp.encryptionCertificateUrl, undefined);
      const refused = await h.request('GET', new URL(sp.signingCertificateUrl.replace(connection.id, (oidc.body as { id: string }).id)).pathname);
      assert.equal(refused.status, 404);
    } finally {
      await h.close();
    }
  });
});
