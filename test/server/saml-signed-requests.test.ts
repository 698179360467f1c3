/// <reference types="node" />
/**
 * Signed AuthnRequests (issue 17 point 4), on our side: the HTTP-Redirect query-string signature
 * checked with node:crypto against our certificate, the HTTP-POST enveloped signature checked by
 * xml-crypto and by `xmlsec1 --verify` (the C library), the per-connection SP keys in the
 * database (sealed), and our SP metadata publishing the certificate. The IdPs' own verdicts are
 * in interop-signed-requests.test.ts.
 */
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, verify } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { describe, test } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { spMetadataXml } from '../../src/core/sp-metadata.js';
import { keyDescriptorXml } from '../../src/server/saml/sp-metadata-keys.js';
import { buildLoginRequest, REQUEST_SIGNATURE_ALGORITHM, type SamlIdpConfig, type SamlSpConfig, type SpSigningKey } from '../../src/server/saml/service-provider.js';
import { SpKeys, spKeyName } from '../../src/server/saml/sp-keys.js';
import { generateKeyPair } from '../../src/server/simulator/keys.js';
import { openTestDatabase } from '../support/test-database.js';
import { verifyWithXmlsec1, xmlsec1Availability } from '../support/idps/pysaml2.js';
import { startHarness, testSecretBox, type Harness } from './helpers.js';

const sp: SamlSpConfig = { entityId: 'https://sp.example/saml/org_1/conn_1', acsUrl: 'https://sp.example/saml/org_1/conn_1/acs' };
const idp = (ssoBinding: 'redirect' | 'post', ssoUrl = 'https://idp.example/sso?tenant=a b'): SamlIdpConfig => ({ entityId: 'https://idp.example', ssoUrl, ssoBinding, signingCertificates: [] });
const NOW = new Date('2026-03-01T10:00:00.000Z');
// A RelayState with characters that encode differently in other URL encoders.
const RELAY = 'k3y_~*!-x y';
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';

let keyPromise: Promise<SpSigningKey> | undefined;
const key = () => (keyPromise ??= generateKeyPair('CN=Test SP'));
let otherPromise: Promise<SpSigningKey> | undefined;
const otherKey = () => (otherPromise ??= generateKeyPair('CN=Another SP'));

/** The raw `name=value` pairs of a URL's query, as sent (no decoding). */
const rawPairs = (url: string) => new URL(url).search.slice(1).split('&');
const rawValue = (url: string, name: string) => rawPairs(url).find((p) => p.startsWith(`${name}=`));

/** SAML bindings §3.4.4.1: the signature over `SAMLRequest=…&RelayState=…&SigAlg=…` exactly as the URL carries them. */
function redirectSignatureHolds(url: string, certificatePem: string): boolean {
  const signed = ['SAMLRequest', 'RelayState', 'SigAlg'].map((n) => rawValue(url, n)).filter((p): p is string => p !== undefined).join('&');
  const signature = new URL(url).searchParams.get('Signature');
  assert.ok(signature, 'a Signature parameter');
  return verify('sha256', Buffer.from(signed, 'utf8'), new X509Certificate(certificatePem).publicKey, Buffer.from(signature, 'base64'));
}

function postSignatureHolds(xml: string, certificatePem: string): boolean {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const signature = doc.getElementsByTagNameNS(DSIG, 'Signature')[0];
  assert.ok(signature, 'a Signature element');
  const sig = new SignedXml({ publicCert: certificatePem, getCertFromKeyInfo: () => null });
  sig.loadSignature(signature as unknown as Node);
  try {
    return sig.checkSignature(xml);
  } catch {
    return false;
  }
}

describe('signed AuthnRequests: HTTP-Redirect', () => {
  test('SigAlg rsa-sha256 and a Signature over SAMLRequest, RelayState and SigAlg as sent, verified with our certificate', async () => {
    const k = await key();
    const { redirectUrl, requestId } = await buildLoginRequest({ sp, idp: idp('redirect'), relayState: RELAY, now: NOW, signingKey: k });
    assert.ok(redirectUrl);
    const params = new URL(redirectUrl).searchParams;
    assert.equal(params.get('SigAlg'), REQUEST_SIGNATURE_ALGORITHM);
    assert.equal(REQUEST_SIGNATURE_ALGORITHM, 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    assert.equal(params.get('tenant'), 'a b', 'the IdP’s own query is kept');
    assert.equal(params.get('RelayState'), RELAY);
    assert.deepEqual(
      rawPairs(redirectUrl).map((p) => p.split('=')[0]),
      ['tenant', 'SAMLRequest', 'RelayState', 'SigAlg', 'Signature'],
      'the signed parameters in the order of the binding, the signature last',
    );
    assert.ok(redirectSignatureHolds(redirectUrl, k.certificatePem), 'the signature verifies with our certificate');
    assert.equal(redirectSignatureHolds(redirectUrl, (await otherKey()).certificatePem), false, 'and not with another one');
    // The request itself carries no XML signature on this binding.
    const xml = inflateRawSync(Buffer.from(params.get('SAMLRequest')!, 'base64')).toString('utf8');
    assert.match(xml, new RegExp(`ID="${requestId}"`));
    assert.match(xml, /IssueInstant="2026-03-01T10:00:00.000Z"/);
    assert.doesNotMatch(xml, /Signature/);
  });

  test('a changed RelayState or SAMLRequest no longer verifies', async () => {
    const k = await key();
    const { redirectUrl } = await buildLoginRequest({ sp, idp: idp('redirect'), relayState: RELAY, now: NOW, signingKey: k });
    const relay = rawValue(redirectUrl!, 'RelayState')!;
    assert.equal(redirectSignatureHolds(redirectUrl!.replace(relay, 'RelayState=other'), k.certificatePem), false);
    const request = rawValue(redirectUrl!, 'SAMLRequest')!;
    const flipped = `${request.slice(0, -3)}${request.at(-3) === 'A' ? 'B' : 'A'}${request.slice(-2)}`;
    assert.equal(redirectSignatureHolds(redirectUrl!.replace(request, flipped), k.certificatePem), false);
  });

  test('without a key (the IdP does not want signed requests) no SigAlg and no Signature', async () => {
    const { redirectUrl } = await buildLoginRequest({ sp, idp: idp('redirect'), relayState: RELAY, now: NOW });
    const params = new URL(redirectUrl!).searchParams;
    assert.equal(params.get('SigAlg'), null);
    assert.equal(params.get('Signature'), null);
  });
});

describe('signed AuthnRequests: HTTP-POST', () => {
  const xmlsec1 = xmlsec1Availability();
  if (!xmlsec1.available) console.log(`# xmlsec1 second opinion skipped: ${xmlsec1.reason}`);

  test('an enveloped rsa-sha256 signature after the Issuer, over the whole request (its IssueInstant too), verified by xml-crypto and xmlsec1', async () => {
    const k = await key();
    const { form, requestId } = await buildLoginRequest({ sp, idp: idp('post', 'https://idp.example/sso'), relayState: RELAY, now: NOW, signingKey: k });
    assert.ok(form);
    assert.equal(form.fields.RelayState, RELAY);
    assert.equal(form.fields.SigAlg, undefined, 'no query-string signature on POST');
    const xml = Buffer.from(form.fields.SAMLRequest!, 'base64').toString('utf8');
    const doc = new DOMParser().parseFromString(xml, 'text/xml');
    const root = doc.documentElement!;
    assert.equal(root.localName, 'AuthnRequest');
    assert.equal(root.getAttribute('ID'), requestId);
    assert.equal(root.getAttribute('IssueInstant'), '2026-03-01T10:00:00.000Z');
    const elements = [...Array.from(root.childNodes)].filter((n) => n.nodeType === 1).map((n) => (n as unknown as Element).localName);
    assert.deepEqual(elements.slice(0, 2), ['Issuer', 'Signature'], 'the signature right after the Issuer (the schema’s place)');
    assert.match(xml, /SignatureMethod Algorithm="http:\/\/www\.w3\.org\/2001\/04\/xmldsig-more#rsa-sha256"/);
    assert.match(xml, /DigestMethod Algorithm="http:\/\/www\.w3\.org\/2001\/04\/xmlenc#sha256"/);
    assert.match(xml, new RegExp(`<Reference URI="#${requestId}"`), 'the reference is the request itself');
    assert.ok(xml.includes(k.certificatePem.replace(/-----[^-]+-----|\s/g, '').slice(0, 60)), 'our certificate in KeyInfo');
    assert.ok(postSignatureHolds(xml, k.certificatePem), 'xml-crypto verifies it with our certificate');
    assert.equal(postSignatureHolds(xml, (await otherKey()).certificatePem), false, 'and not with another one');
    const changed = xml.replace('IssueInstant="2026-03-01T10:00:00.000Z"', 'IssueInstant="2026-03-01T10:00:01.000Z"');
    assert.notEqual(changed, xml);
    assert.equal(postSignatureHolds(changed, k.certificatePem), false, 'a changed IssueInstant breaks it');
    if (xmlsec1.available) {
      const ids = ['urn:oasis:names:tc:SAML:2.0:protocol:AuthnRequest'];
      const good = await verifyWithXmlsec1(xml, k.certificatePem, ids);
      assert.ok(good.ok && /^OK$/m.test(good.output), `xmlsec1 --verify accepts it: ${good.output}`);
      const bad = await verifyWithXmlsec1(changed, k.certificatePem, ids);
      assert.ok(!bad.ok && /data and digest do not match/.test(bad.output), `xmlsec1 --verify refuses the changed copy: ${bad.output}`);
    }
  });

  test('without a key no signature', async () => {
    const { form } = await buildLoginRequest({ sp, idp: idp('post', 'https://idp.example/sso'), relayState: RELAY, now: NOW });
    assert.doesNotMatch(Buffer.from(form!.fields.SAMLRequest!, 'base64').toString('utf8'), /Signature/);
  });
});

describe('per-connection SP signing keys', () => {
  test('one pair per organization and connection, made once, the private key sealed in the keys table', async () => {
    const database = await openTestDatabase();
    try {
      const secrets = testSecretBox();
      const keys = new SpKeys({ database, secrets, importFrom: null });
      const [a, again] = await Promise.all([keys.forConnection('org_1', 'conn_1'), keys.forConnection('org_1', 'conn_1')]);
      assert.deepEqual(a, again);
      assert.ok(new X509Certificate(a.certificatePem).checkPrivateKey(createPrivateKey(a.privateKeyPem)));
      const b = await keys.forConnection('org_2', 'conn_1');
      const c = await keys.forConnection('org_1', 'conn_2');
      assert.equal(new Set([a, b, c].map((p) => p.certificatePem)).size, 3, 'the same connection id in another organization has its own key');
      const rows = await database.db.selectFrom('keys').selectAll().orderBy('name').execute();
      assert.equal(rows.length, 3);
      const row = rows.find((r) => r.name === spKeyName('signing', 'org_1', 'conn_1'));
      assert.ok(row);
      assert.equal(row.certificate_pem, a.certificatePem);
      assert.equal(row.key_id, secrets.keyId);
      assert.ok(!row.private_key_ciphertext.includes('PRIVATE KEY'), 'sealed, not PEM');
      assert.equal(secrets.open(row.private_key_ciphertext), a.privateKeyPem);
      assert.deepEqual(await new SpKeys({ database, secrets, importFrom: null }).forConnection('org_1', 'conn_1'), a, 'kept across instances');
    } finally {
      await database.close();
    }
  });
});

/** A generic SAML connection made through the portal API (an IdP key of its own; request signing as asked). */
async function createSamlConnection(h: Harness, token: string, wantAuthnRequestsSigned?: boolean): Promise<{ id: string; serviceProvider: { metadataUrl: string } }> {
  const idpKey = await otherKey();
  const saml = { idpEntityId: 'https://idp.example', ssoUrl: 'https://idp.example/sso', ssoBinding: 'redirect', signingCertificates: [idpKey.certificatePem], ...(wantAuthnRequestsSigned === undefined ? {} : { wantAuthnRequestsSigned }) };
  const created = await h.portal(token, 'POST', '/api/portal/connections', { protocol: 'saml', providerId: 'generic-saml', saml, attributeMapping: { email: 'email' } });
  assert.equal(created.status, 201, created.text);
  return created.body as { id: string; serviceProvider: { metadataUrl: string } };
}

describe('our SP metadata', () => {
  test('spMetadataXml with keyDescriptorXml: the signing certificate as KeyDescriptor use="signing" before the NameIDFormat, AuthnRequestsSigned as asked', async () => {
    const k = await key();
    const values = { entityId: sp.entityId, acsUrl: sp.acsUrl, metadataUrl: 'https://sp.example/m', oidcRedirectUri: 'https://sp.example/cb' };
    const xml = spMetadataXml(values, { keyDescriptorsXml: keyDescriptorXml('signing', k.certificatePem), authnRequestsSigned: true });
    const doc = new DOMParser().parseFromString(xml, 'text/xml');
    const descriptor = doc.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:metadata', 'SPSSODescriptor')[0]!;
    assert.equal(descriptor.getAttribute('AuthnRequestsSigned'), 'true');
    const first = Array.from(descriptor.childNodes).find((n) => n.nodeType === 1) as unknown as Element;
    assert.equal(first.localName, 'KeyDescriptor');
    assert.equal(first.getAttribute('use'), 'signing');
    const body = doc.getElementsByTagNameNS(DSIG, 'X509Certificate')[0]!.textContent!;
    assert.equal(new X509Certificate(Buffer.from(body, 'base64')).fingerprint256, new X509Certificate(k.certificatePem).fingerprint256);
    const plain = spMetadataXml(values);
    assert.match(plain, /AuthnRequestsSigned="false"/);
    assert.doesNotMatch(plain, /KeyDescriptor/);
  });

  test('a SAML connection’s metadata URL publishes the certificate its requests are signed with; AuthnRequestsSigned follows the IdP’s WantAuthnRequestsSigned', async () => {
    const h = await startHarness();
    try {
      const { orgId, token } = await h.organization('Megacorp');
      const create = (wantAuthnRequestsSigned?: boolean) => createSamlConnection(h, token, wantAuthnRequestsSigned);
      const metadataOf = async (connection: { serviceProvider: { metadataUrl: string } }) => {
        const answer = await h.request('GET', new URL(connection.serviceProvider.metadataUrl).pathname);
        assert.equal(answer.status, 200, answer.text);
        return answer.text;
      };
      const signed = await create(true);
      const xml = await metadataOf(signed);
      assert.match(xml, /AuthnRequestsSigned="true"/);
      const stored = await new SpKeys({ database: h.database, secrets: h.secrets, importFrom: null }).forConnection(orgId, signed.id);
      const body = /<ds:X509Certificate>([^<]+)</.exec(xml)?.[1];
      assert.ok(body);
      assert.equal(new X509Certificate(Buffer.from(body, 'base64')).fingerprint256, new X509Certificate(stored.certificatePem).fingerprint256);
      assert.equal(await metadataOf(signed), xml, 'the same certificate on every read');

      const unsigned = await create();
      const other = await metadataOf(unsigned);
      assert.match(other, /AuthnRequestsSigned="false"/);
      assert.match(other, /<md:KeyDescriptor use="signing">/, 'published before the IdP asks for signed requests');
      assert.notEqual(/<ds:X509Certificate>([^<]+)</.exec(other)?.[1], body, 'each connection its own certificate');
    } finally {
      await h.close();
    }
  });

  test('deleting a connection deletes its SP keys (signing, encryption, a rollover’s next); other connections keep theirs', async () => {
    const h = await startHarness();
    try {
      const { orgId, token } = await h.organization('Megacorp');
      const create = async () => {
        const connection = await createSamlConnection(h, token);
        assert.equal((await h.request('GET', new URL(connection.serviceProvider.metadataUrl).pathname)).status, 200, 'its metadata makes its keys');
        return connection;
      };
      const keys = new SpKeys({ database: h.database, secrets: h.secrets, importFrom: null });
      const gone = await create();
      const kept = await create();
      await keys.startEncryptionRollover(orgId, gone.id);
      const names = (id: string) => (['signing', 'encryption', 'encryption-next'] as const).map((purpose) => spKeyName(purpose, orgId, id));
      const stored = async (id: string) => (await h.database.db.selectFrom('keys').select('name').where('name', 'in', names(id)).execute()).map((r) => r.name).sort();
      assert.equal((await stored(gone.id)).length, 3);
      assert.equal((await stored(kept.id)).length, 2);

      const deleted = await h.portal(token, 'DELETE', `/api/portal/connections/${gone.id}`);
      assert.equal(deleted.status, 204, deleted.text);
      assert.deepEqual(await stored(gone.id), []);
      assert.equal((await stored(kept.id)).length, 2);
      assert.equal((await h.request('GET', new URL(gone.serviceProvider.metadataUrl).pathname)).status, 404, 'no metadata (nor new keys) for a deleted connection');
      assert.deepEqual(await stored(gone.id), []);
    } finally {
      await h.close();
    }
  });
});
