/// <reference types="node" />
// Database: any. It opens one, but what it tests is SAML with an IdP nobody here wrote, the same on either: the PostgreSQL pass of the server suite leaves it out (scripts/server-tests.mjs).
/**
 * Interoperability with SimpleSAMLphp (Debian's `simplesamlphp` 1.19 under `php -S`,
 * test/support/idps/simplesamlphp.ts): PHP's stack end to end (its SAML2 library, xmlseclibs
 * signing with PHP's openssl), configured from our SP metadata through its own metadata parser.
 * The flow goes through the portal over HTTP on 127.0.0.1 as in interop-pysaml2
 * (test/support/interop-flow.ts): the connection created from its metadata URL, SP-initiated tests
 * on both bindings and an IdP-initiated one, activation, a user's sign-in on the demo login page;
 * its own default transient NameID (the email then only in the mail attribute); a byte changed in
 * the signed assertion is refused. `xmlsec1 --verify` gives a second opinion on the signatures
 * where it is installed.
 *
 * Skips with the reason printed when the packages are missing, except in CI (`CI` set), where
 * that is a failure.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { InteropFlow, type Binding, type Connection } from '../support/interop-flow.js';
import { assertXmlsec1Verdict, xmlsec1Availability } from '../support/idps/pysaml2.js';
import { DEFAULT_SIMPLESAMLPHP_USER, simpleSamlPhpAvailability, startSimpleSamlPhpIdp, type SimpleSamlPhpIdp } from '../support/idps/simplesamlphp.js';
import { startLoginServer, type LoginServer } from './login-harness.js';

const USER = DEFAULT_SIMPLESAMLPHP_USER.mail;
const availability = simpleSamlPhpAvailability();
if (!availability.available) console.log(`# skipped: ${availability.reason}`);
else console.log(`# ${availability.versions}`);
const xmlsec1 = availability.available ? xmlsec1Availability() : undefined;
if (xmlsec1 && !xmlsec1.available) console.log(`# skipped: ${xmlsec1.reason}`);

describe('SimpleSAMLphp as the IdP', { skip: availability.available ? false : availability.reason }, () => {
  let s: LoginServer;
  let flow: InteropFlow;
  let orgId: string;
  let idp: SimpleSamlPhpIdp;
  /** One sending its own default NameID (transient) instead of the email our SP metadata asks for. */
  let transientIdp: SimpleSamlPhpIdp;
  before(async () => {
    [s, idp, transientIdp] = await Promise.all([startLoginServer(), startSimpleSamlPhpIdp(), startSimpleSamlPhpIdp({ nameId: 'transient' })]);
    const { orgId: id, token } = await s.organization('Megacorp');
    orgId = id;
    flow = new InteropFlow(s, token);
  });
  after(async () => {
    await Promise.all([idp?.stop(), transientIdp?.stop()]);
    await s?.close();
  });

  /** SimpleSAMLphp releases the attributes under their names as the auth source has them (basic NameFormat). */
  const connect = (binding: Binding = 'redirect', from = idp) => flow.connectTo(from, { binding, attributeMapping: { email: 'mail', firstName: 'givenName', lastName: 'sn' } });

  let connection: Connection;
  test('SP-initiated on HTTP-Redirect: SimpleSAMLphp’s signed response is accepted, with the user’s email', async () => {
    connection = await connect();
    const { result: r, xml, page } = await flow.testLogin(connection, idp);
    // SimpleSAMLphp's own output: its prefixes, the response and the assertion both signed, rsa-sha256.
    assert.match(xml, /^<samlp:Response [^>]*Destination="([^"]+)"/);
    assert.equal((xml.match(/<ds:Signature\b/g) ?? []).length, 2, 'two signatures');
    assert.match(xml, /<saml:Assertion [^>]*>[\s\S]*<ds:Signature\b[\s\S]*<\/saml:Assertion>/, 'one in the assertion');
    assert.match(xml, /SignatureMethod Algorithm="http:\/\/www\.w3\.org\/2001\/04\/xmldsig-more#rsa-sha256"/);
    assert.match(xml, new RegExp(`<saml:NameID [^>]*Format="urn:oasis:names:tc:SAML:1\\.1:nameid-format:emailAddress"[^>]*>${USER.replace(/\./g, '\\.')}<`));
    await assertXmlsec1Verdict(xml, connection.saml.signingCertificates[0]!, 'good');
    assert.match(page.text, /Test login succeeded/);
    assert.equal(r.status, 'success', JSON.stringify(r.error));
    assert.deepEqual(r.profile, { email: USER, firstName: 'Ada', lastName: 'Lovelace', subject: USER });
    assert.deepEqual(r.rawAttributes, { uid: ['ada'], mail: [USER], givenName: ['Ada'], sn: ['Lovelace'] });
  });

  test('a byte changed in the signed assertion is refused (signature_invalid), and the test ends as a failure', async () => {
    const r = await flow.tamperedTest(connection, idp, USER, (tampered) => assertXmlsec1Verdict(tampered, connection.saml.signingCertificates[0]!, 'tampered'));
    assert.equal(r.error?.code, 'signature_invalid', JSON.stringify(r.error));
  });

  test('SP-initiated on HTTP-POST: our form posts the AuthnRequest to SimpleSAMLphp; accepted', async () => {
    const post = await connect('post');
    const { result: r, page } = await flow.testLogin(post, idp, 'post');
    assert.match(page.text, /Test login succeeded/);
    assert.equal(r.status, 'success', JSON.stringify(r.error));
    assert.equal(r.profile?.email, USER);
  });

  test('IdP-initiated: SimpleSAMLphp’s unsolicited response completes the pending IdP-mode test', async () => {
    const { result: r } = await flow.idpInitiatedTest(connection, idp);
    assert.equal(r.status, 'success', JSON.stringify(r.error));
    assert.equal(r.profile?.email, USER);
  });

  test('activated, with megacorp.test verified: the user signs in on the demo login page through SimpleSAMLphp', async () => {
    await flow.activate(orgId, 'megacorp.test', connection);
    const signedIn = await flow.signInOnDemo(idp, USER);
    assert.match(signedIn.text, /Welcome, Ada Lovelace/);
    assert.match(signedIn.text, /ada@megacorp\.test/);
  });

  test('SimpleSAMLphp’s default transient NameID: accepted, the email from the mail attribute, the subject that login’s transient ID', async () => {
    const other = await connect('redirect', transientIdp);
    const { result: r, xml } = await flow.testLogin(other, transientIdp);
    const nameId = /<saml:NameID [^>]*Format="urn:oasis:names:tc:SAML:2\.0:nameid-format:transient"[^>]*>(_[0-9a-f]+)<\/saml:NameID>/.exec(xml)?.[1];
    assert.ok(nameId, 'a transient NameID');
    assert.equal(r.status, 'success', JSON.stringify(r.error));
    assert.deepEqual(r.profile, { email: USER, firstName: 'Ada', lastName: 'Lovelace', subject: nameId });
  });
});
