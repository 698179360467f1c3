/// <reference types="node" />
// Database: any. It opens one, but what it tests is SAML with IdPs nobody here wrote, the same on either: the PostgreSQL pass of the server suite leaves it out (scripts/server-tests.mjs).
/**
 * Encrypted assertions from IdPs nobody here wrote (issue 17 point 3): Auth0's `samlp` (its
 * `encryptionCert` / `encryptionPublicKey` / `encryptionAlgorithm` settings, xml-encryption 4
 * inside its `saml` library) and SimpleSAMLphp (`assertion.encryption` in its SP entry, xmlseclibs:
 * AES-128-CBC, RSA-OAEP). Each takes our encryption certificate from the connection's SP metadata,
 * as an admin imports it; the flow goes through the portal over HTTP on 127.0.0.1
 * (test/support/interop-flow.ts). The decryption is real: an IdP encrypting for another
 * certificate ends as `decryption_failed`, and a connection that requires encryption refuses an
 * IdP that does not encrypt (`encryption_required`).
 *
 * samlp is a devDependency; the SimpleSAMLphp part skips, printing why, only where it is not
 * installed outside CI (in CI that is a failure).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { defaultAttributeMapping } from '../../src/core/providers/catalog.js';
import { generateKeyPair } from '../../src/server/simulator/keys.js';
import { InteropFlow, type Connection } from '../support/interop-flow.js';
import { DEFAULT_SAMLP_USER, startSamlpIdp, type SamlpIdp } from '../support/idps/samlp-idp.js';
import { DEFAULT_SIMPLESAMLPHP_USER, simpleSamlPhpAvailability, startSimpleSamlPhpIdp, type SimpleSamlPhpIdp } from '../support/idps/simplesamlphp.js';
import { startLoginServer, type LoginServer } from './login-harness.js';

const AUTH0_MAPPING = defaultAttributeMapping('auth0', 'saml');
const availability = simpleSamlPhpAvailability();
if (!availability.available) console.log(`# skipped: ${availability.reason}`);

/** The response carries an EncryptedAssertion and no readable assertion. */
function assertEncrypted(xml: string, contentAlgorithm: string): void {
  assert.match(xml, /<(?:\w+:)?EncryptedAssertion[\s>]/);
  assert.doesNotMatch(xml, /<(?:\w+:)?Assertion[\s>]/, 'no plain assertion');
  assert.ok(xml.includes(`Algorithm="${contentAlgorithm}"`), `content encrypted with ${contentAlgorithm}`);
  assert.ok(xml.includes('Algorithm="http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p"'), 'RSA-OAEP key transport');
}

describe('Auth0’s samlp encrypting the assertion', () => {
  let s: LoginServer;
  let flow: InteropFlow;
  let token: string;
  let gcm: SamlpIdp;
  let cbc128: SamlpIdp;
  let responseSigned: SamlpIdp;
  let otherCertificate: SamlpIdp;
  let plain: SamlpIdp;
  before(async () => {
    const stranger = await generateKeyPair('CN=Another SP', new Date(), 'encryption');
    const idps = Promise.all([
      startSamlpIdp({ encrypt: {} }),
      startSamlpIdp({ encrypt: { algorithm: 'http://www.w3.org/2001/04/xmlenc#aes128-cbc' } }),
      startSamlpIdp({ encrypt: { algorithm: 'http://www.w3.org/2001/04/xmlenc#aes256-cbc' }, signAssertion: false, signResponse: true }),
      startSamlpIdp({ encrypt: { certificatePem: stranger.certificatePem } }),
      startSamlpIdp(),
    ]);
    [s, [gcm, cbc128, responseSigned, otherCertificate, plain]] = await Promise.all([startLoginServer(), idps]);
    ({ token } = await s.organization('Megacorp'));
    flow = new InteropFlow(s, token);
  });
  after(async () => {
    await Promise.all([gcm, cbc128, responseSigned, otherCertificate, plain].map((i) => i?.stop()));
    await s?.close();
  });

  const connect = (idp: SamlpIdp) => flow.connectTo(idp, { providerId: 'auth0', attributeMapping: AUTH0_MAPPING });

  test('samlp’s default (AES-256-GCM, RSA-OAEP) for our certificate: decrypted, the signed assertion inside verified', async () => {
    const connection = await connect(gcm);
    const { result, xml, page } = await flow.testLogin(connection, gcm);
    assertEncrypted(xml, 'http://www.w3.org/2009/xmlenc11#aes256-gcm');
    assert.match(page.text, /Test login succeeded/);
    assert.equal(result.status, 'success', JSON.stringify(result.error));
    assert.equal(result.profile?.email, DEFAULT_SAMLP_USER.emails[0]!.value);
  });

  test('AES-128-CBC content, HTTP-POST binding', async () => {
    const connection = await flow.connectTo(cbc128, { binding: 'post', providerId: 'auth0', attributeMapping: AUTH0_MAPPING });
    const { result, xml } = await flow.testLogin(connection, cbc128, 'post');
    assertEncrypted(xml, 'http://www.w3.org/2001/04/xmlenc#aes128-cbc');
    assert.equal(result.status, 'success', JSON.stringify(result.error));
  });

  test('AES-256-CBC with only the response signed (over the ciphertext); IdP-initiated too', async () => {
    const connection = await connect(responseSigned);
    const { result, xml } = await flow.testLogin(connection, responseSigned);
    assertEncrypted(xml, 'http://www.w3.org/2001/04/xmlenc#aes256-cbc');
    assert.match(xml, /^<samlp:Response [^>]*>[\s\S]*<Signature\b|^<samlp:Response [^>]*>[\s\S]*<ds:Signature\b/, 'the response is signed');
    assert.equal(result.status, 'success', JSON.stringify(result.error));
    const unsolicited = await flow.idpInitiatedTest(connection, responseSigned);
    assertEncrypted(unsolicited.xml, 'http://www.w3.org/2001/04/xmlenc#aes256-cbc');
    assert.equal(unsolicited.result.status, 'success', JSON.stringify(unsolicited.result.error));
  });

  test('encrypted for another SP’s certificate: decryption_failed, saying so', async () => {
    const connection = await connect(otherCertificate);
    const { result, xml, page } = await flow.testLogin(connection, otherCertificate);
    assertEncrypted(xml, 'http://www.w3.org/2009/xmlenc11#aes256-gcm');
    assert.match(page.text, /Test login failed/);
    assert.equal(result.status, 'failure');
    assert.equal(result.error?.code, 'decryption_failed', JSON.stringify(result.error));
    assert.match(String((result.error as { details?: { reason?: string } }).details?.reason), /another certificate/);
  });

  test('a connection that requires encryption refuses samlp’s unencrypted assertion (encryption_required), accepts it once off', async () => {
    const connection: Connection = await connect(plain);
    const patched = await s.portal(token, 'PATCH', `/api/portal/connections/${connection.id}`, { version: connection.version, changes: { saml: { ...connection.saml, requireEncryptedAssertions: true } } });
    assert.equal(patched.status, 200, patched.text);
    assert.equal((patched.body as { saml: { requireEncryptedAssertions?: boolean } }).saml.requireEncryptedAssertions, true);
    const { result } = await flow.testLogin(connection, plain);
    assert.equal(result.error?.code, 'encryption_required', JSON.stringify(result.error));
    const off = await s.portal(token, 'PATCH', `/api/portal/connections/${connection.id}`, {
      version: (patched.body as Connection).version,
      changes: { saml: { ...connection.saml, requireEncryptedAssertions: false } },
    });
    assert.equal(off.status, 200, off.text);
    assert.equal((await flow.testLogin(connection, plain)).result.status, 'success');
  });
});

describe('SimpleSAMLphp encrypting the assertion', { skip: availability.available ? false : availability.reason }, () => {
  let s: LoginServer;
  let flow: InteropFlow;
  let idp: SimpleSamlPhpIdp;
  before(async () => {
    [s, idp] = await Promise.all([startLoginServer(), startSimpleSamlPhpIdp({ encryptAssertions: true })]);
    const { token } = await s.organization('Megacorp');
    flow = new InteropFlow(s, token);
  });
  after(async () => {
    await idp?.stop();
    await s?.close();
  });

  test('assertion.encryption (AES-128-CBC, RSA-OAEP) for our certificate: SP- and IdP-initiated logins succeed', async () => {
    const connection = await flow.connectTo(idp, { attributeMapping: { email: 'mail', firstName: 'givenName', lastName: 'sn' } });
    const { result, xml, page } = await flow.testLogin(connection, idp);
    assertEncrypted(xml, 'http://www.w3.org/2001/04/xmlenc#aes128-cbc');
    assert.match(page.text, /Test login succeeded/);
    assert.equal(result.status, 'success', JSON.stringify(result.error));
    assert.equal(result.profile?.email, DEFAULT_SIMPLESAMLPHP_USER.mail);
    const unsolicited = await flow.idpInitiatedTest(connection, idp);
    assertEncrypted(unsolicited.xml, 'http://www.w3.org/2001/04/xmlenc#aes128-cbc');
    assert.equal(unsolicited.result.status, 'success', JSON.stringify(unsolicited.result.error));
  });
});
