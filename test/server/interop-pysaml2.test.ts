/// <reference types="node" />
// Database: any. It opens one, but what it tests is SAML with an IdP nobody here wrote, the same on either: the PostgreSQL pass of the server suite leaves it out (scripts/server-tests.mjs).
/**
 * Interoperability with an IdP nobody here wrote: pysaml2 (Debian's python3-pysaml2), which
 * builds its messages itself and signs them with the xmlsec1 C library
 * (`test/support/idps/pysaml2_idp.py`). Everything goes through the portal (test/support/interop-flow.ts)'s flow over HTTP on
 * 127.0.0.1: the IdP metadata read through the portal API from its URL, the connection created
 * from it, our SP metadata imported by the IdP from our URL, SP-initiated test logins on both
 * bindings and an IdP-initiated one, activation, and a user's sign-in on the demo login page;
 * pysaml2 signing the assertion, the response or both, with rsa-sha256 or its default rsa-sha1.
 * The negative cases show the checks still bite: a byte changed in the signed assertion, and an
 * IdP signing with a key its metadata does not advertise. `xmlsec1 --verify` gives a second
 * opinion on each signature verdict.
 *
 * Skips with the reason printed when the packages are missing, except in CI (`CI` set), where
 * that is a failure.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FormBrowser, formsOf } from '../support/form-browser.js';
import { InteropFlow, samlResponseOf as decoded, type Binding, type Connection } from '../support/interop-flow.js';
import { assertXmlsec1Verdict, pysaml2Availability, startPysaml2Idp, type Pysaml2Idp } from '../support/idps/pysaml2.js';
import { startLoginServer, type LoginServer } from './login-harness.js';

const USER = 'ada@megacorp.test';
const availability = pysaml2Availability();
if (!availability.available) console.log(`# skipped: ${availability.reason}`);
else console.log(`# ${availability.versions}`);

describe('pysaml2 (xmlsec1) as the IdP', { skip: availability.available ? false : availability.reason }, () => {
  let s: LoginServer;
  /** The IdP of most tests; one signing with pysaml2's default algorithms; one signing with a key its metadata does not advertise. */
  let idp: Pysaml2Idp;
  let sha1Idp: Pysaml2Idp;
  let rogueIdp: Pysaml2Idp;
  let responseSignedIdp: Pysaml2Idp;
  let bothSignedIdp: Pysaml2Idp;
  let orgId: string;
  let flow: InteropFlow;
  before(async () => {
    // All at once: each IdP takes a few seconds to import pysaml2 and make its keys.
    const idps = Promise.all([startPysaml2Idp({ user: USER }), startPysaml2Idp({ user: USER, sha1: true }), startPysaml2Idp({ user: USER, untrustedSigningKey: true }), startPysaml2Idp({ user: USER, sign: 'response' }), startPysaml2Idp({ user: USER, sign: 'both' })]);
    const server = startLoginServer();
    [s, [idp, sha1Idp, rogueIdp, responseSignedIdp, bothSignedIdp]] = await Promise.all([server, idps]);
    const { orgId: id, token } = await s.organization('Megacorp');
    orgId = id;
    flow = new InteropFlow(s, token);
  });
  after(async () => {
    await Promise.all([idp, sha1Idp, rogueIdp, responseSignedIdp, bothSignedIdp].map((i) => i?.stop()));
    await s?.close();
  });

  /** pysaml2 names attributes by OID (urn:oid:…) with the usual name as FriendlyName: mapped by the latter. */
  const connectTo = (from: Pysaml2Idp, binding: Binding = 'redirect') => flow.connectTo(from, { binding, attributeMapping: { email: 'email', firstName: 'givenName', lastName: 'sn' } });
  const startTest = (connectionId: string, mode: 'sp' | 'idp' = 'sp') => flow.startTest(connectionId, mode);
  const result = (testId: string) => flow.result(testId);
  const toIdp = (browser: FormBrowser, loginUrl: string, from: Pysaml2Idp, binding: Binding = 'redirect') => flow.toIdp(browser, loginUrl, from, binding);

  let connection: Connection;
  test('SP-initiated on HTTP-Redirect: pysaml2’s signed assertion is accepted, with the user’s email', async () => {
    connection = await connectTo(idp);
    const { testId, loginUrl } = await startTest(connection.id);
    assert.ok(loginUrl?.startsWith(`${s.origin}/sso/start/`));
    const browser = new FormBrowser();
    const idpPage = await toIdp(browser, loginUrl!, idp);
    const xml = decoded(idpPage);
    // It is pysaml2's own output: its namespace prefixes, a signed assertion and an unsigned response.
    assert.match(xml, /^<\?xml[^>]*>\s*<ns\d:Response /);
    assert.equal((xml.match(/<ns\d:Signature\b/g) ?? []).length, 1, 'one signature');
    assert.match(xml, /<ns\d:Assertion [^>]*>[\s\S]*<ns\d:Signature\b/, 'the signature is in the assertion');
    assert.match(xml, /Algorithm="http:\/\/www\.w3\.org\/2001\/04\/xmldsig-more#rsa-sha256"/);
    assert.match(xml, new RegExp(`Format="urn:oasis:names:tc:SAML:1\\.1:nameid-format:emailAddress"[^>]*>${USER.replace(/\./g, '\\.')}<`));
    assert.equal(formsOf(idpPage)[0]!.action, connection.serviceProvider.acsUrl, 'posted to the connection’s ACS');
    await assertXmlsec1Verdict(xml, connection.saml.signingCertificates[0]!, 'good');

    const page = await browser.submit(idpPage);
    assert.equal(page.status, 200, page.text.slice(0, 500));
    assert.match(page.text, /Test login succeeded/);
    const r = await result(testId);
    assert.equal(r.status, 'success', JSON.stringify(r.error));
    assert.deepEqual(r.profile, { email: USER, firstName: 'Ada', lastName: 'Lovelace', subject: USER }, 'attributes found by their FriendlyName');
    assert.deepEqual(r.rawAttributes, { 'urn:oid:1.2.840.113549.1.9.1.1': [USER], 'urn:oid:2.5.4.42': ['Ada'], 'urn:oid:2.5.4.4': ['Lovelace'] });
    assert.deepEqual(r.warnings?.map((w) => w.code), ['domain_not_verified'], 'rsa-sha256: no signature warning');
  });

  test('a byte changed in the signed assertion is refused (signature_invalid), and the test ends as a failure', async () => {
    const r = await flow.tamperedTest(connection, idp, USER, (tampered) => assertXmlsec1Verdict(tampered, connection.saml.signingCertificates[0]!, 'tampered'));
    assert.equal(r.error?.code, 'signature_invalid', JSON.stringify(r.error));
  });

  test('SP-initiated on HTTP-POST: our form posts the AuthnRequest to pysaml2; accepted', async () => {
    const post = await connectTo(idp, 'post');
    const { result: r, page } = await flow.testLogin(post, idp, 'post');
    assert.match(page.text, /Test login succeeded/);
    assert.equal(r.status, 'success', JSON.stringify(r.error));
    assert.equal(r.profile?.email, USER);
  });

  test('IdP-initiated: pysaml2’s unsolicited response completes the pending IdP-mode test', async () => {
    const { result: r } = await flow.idpInitiatedTest(connection, idp);
    assert.equal(r.status, 'success', JSON.stringify(r.error));
    assert.equal(r.profile?.email, USER);
  });

  test('activated, with megacorp.test verified: the user signs in on the demo login page through pysaml2', async () => {
    await flow.activate(orgId, 'megacorp.test', connection);
    const signedIn = await flow.signInOnDemo(idp, USER);
    assert.match(signedIn.text, /Welcome, Ada Lovelace/);
    assert.match(signedIn.text, /ada@megacorp\.test/);
  });

  test('pysaml2’s own default algorithms (rsa-sha1, sha1 digest) are accepted, with the warning weak_signature_algorithm', async () => {
    const other = await connectTo(sha1Idp);
    const { result: r, xml, page } = await flow.testLogin(other, sha1Idp);
    assert.match(xml, /SignatureMethod Algorithm="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#rsa-sha1"/);
    assert.match(xml, /DigestMethod Algorithm="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#sha1"/);
    assert.match(page.text, /Test login succeeded/);
    assert.equal(r.status, 'success', JSON.stringify(r.error));
    assert.equal(r.profile?.email, USER);
    const weak = r.warnings?.find((w) => w.code === 'weak_signature_algorithm');
    assert.deepEqual(weak?.details, { signatureAlgorithm: 'rsa-sha1' });
    assert.match(weak?.remedy ?? '', /RSA-SHA256/);
    assert.deepEqual(r.warnings?.map((w) => w.code), ['weak_signature_algorithm'], 'megacorp.test is verified by now: no domain warning');
  });

  for (const [sign, from] of [['response', () => responseSignedIdp], ['both', () => bothSignedIdp]] as const) {
    test(`pysaml2 signing ${sign === 'both' ? 'both the response and the assertion' : 'the response only'}: accepted`, async () => {
      const other = await connectTo(from());
      const { result: r, xml, page } = await flow.testLogin(other, from());
      const responseId = /<ns\d:Response [^>]*\bID="([^"]+)"/.exec(xml)?.[1];
      const assertionId = /<ns\d:Assertion [^>]*\bID="([^"]+)"/.exec(xml)?.[1];
      const references = [...xml.matchAll(/<ns\d:Reference URI="#([^"]+)"/g)].map((m) => m[1]);
      assert.deepEqual(references, sign === 'both' ? [responseId, assertionId] : [responseId]);
      await assertXmlsec1Verdict(xml, other.saml.signingCertificates[0]!, 'good');
      assert.match(page.text, /Test login succeeded/);
      assert.equal(r.status, 'success', JSON.stringify(r.error));
      assert.equal(r.profile?.email, USER);
    });
  }

  test('an IdP signing with a key its metadata does not advertise is refused (certificate_mismatch)', async () => {
    const other = await connectTo(rogueIdp);
    const { testId, loginUrl } = await startTest(other.id);
    const browser = new FormBrowser();
    const idpPage = await toIdp(browser, loginUrl!, rogueIdp);
    await assertXmlsec1Verdict(decoded(idpPage), other.saml.signingCertificates[0]!, 'wrong key');
    const page = await browser.submit(idpPage);
    assert.match(page.text, /Test login failed/);
    const r = await result(testId);
    assert.equal(r.status, 'failure');
    assert.equal(r.error?.code, 'certificate_mismatch', JSON.stringify(r.error));
  });
});
