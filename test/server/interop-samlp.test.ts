/// <reference types="node" />
// Database: any. It opens one, but what it tests is SAML with an IdP nobody here wrote, the same on either: the PostgreSQL pass of the server suite leaves it out (scripts/server-tests.mjs).
/**
 * Interoperability with Auth0's `samlp` (npm), the library behind Auth0's SAML2 Web App add-on:
 * its own templates, xml-crypto 2 and @auth0/xmldom (`test/support/idps/samlp-idp.ts`). The flow
 * goes through the portal over HTTP on 127.0.0.1 as in interop-pysaml2 (test/support/interop-flow.ts):
 * the connection created from samlp's metadata URL with the Auth0 provider's default attribute
 * names (the WS-Federation claim types samlp sends), SP-initiated tests on both bindings and an
 * IdP-initiated one, activation, a user's sign-in on the demo login page; samlp signing the
 * assertion (its default), the response or both, with rsa-sha256 (its default) or rsa-sha1. The
 * negative cases: a byte changed in the signed assertion, a key its metadata does not advertise,
 * samlp's own default Destination (the audience, not our ACS URL) and a user without email. `xmlsec1 --verify` gives a
 * second opinion on each signature verdict where it is installed.
 *
 * samlp is a devDependency: nothing to skip. The xmlsec1 checks skip, printing why, only where
 * xmlsec1 is missing outside CI (in CI, where it must be installed, that is a failure).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestResult } from '../../src/core/model.js';
import { defaultAttributeMapping, findProvider } from '../../src/core/providers/catalog.js';
import { loadTestRemedies } from '../../src/core/providers/test-remedies.js';
import { diagnoseTest } from '../../src/core/test-diagnosis.js';
import { FormBrowser } from '../support/form-browser.js';
import { InteropFlow, samlResponseOf, type Connection } from '../support/interop-flow.js';
import { assertXmlsec1Verdict, xmlsec1Availability } from '../support/idps/pysaml2.js';
import { DEFAULT_SAMLP_USER, startSamlpIdp, type SamlpIdp } from '../support/idps/samlp-idp.js';
import { startLoginServer, type LoginServer } from './login-harness.js';

const USER = DEFAULT_SAMLP_USER.emails[0]!.value;
const xmlsec1 = xmlsec1Availability();
if (!xmlsec1.available) console.log(`# skipped: ${xmlsec1.reason}`);

/** As the wizard prefills it for Auth0. */
const AUTH0_MAPPING = defaultAttributeMapping('auth0', 'saml');
const CLAIMS = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims';
/** What the admin reads on the result view: the Auth0 guide's own remedy for the code. */
const auth0Remedy = (r: unknown) => diagnoseTest(r as TestResult, { provider: findProvider('auth0'), protocol: 'saml', mapping: AUTH0_MAPPING });

// The Auth0 guide's own remedies load apart from its definition, as the result view loads them.
before(() => loadTestRemedies('auth0'));

describe('Auth0’s samlp as the IdP', () => {
  let s: LoginServer;
  let flow: InteropFlow;
  let orgId: string;
  /** The IdP of most tests (samlp's defaults, Destination set to our ACS as Auth0 does); then variants. */
  let idp: SamlpIdp;
  let sha1Idp: SamlpIdp;
  let rogueIdp: SamlpIdp;
  let responseSignedIdp: SamlpIdp;
  let bothSignedIdp: SamlpIdp;
  let defaultDestinationIdp: SamlpIdp;
  /** Its user has no email (an Auth0 username-only user). */
  let noEmailIdp: SamlpIdp;
  before(async () => {
    const idps = Promise.all([
      startSamlpIdp(),
      startSamlpIdp({ signatureAlgorithm: 'rsa-sha1', digestAlgorithm: 'sha1' }),
      startSamlpIdp({ untrustedSigningKey: true }),
      startSamlpIdp({ signAssertion: false, signResponse: true }),
      startSamlpIdp({ signResponse: true }),
      startSamlpIdp({ destination: 'samlp-default' }),
      startSamlpIdp({ user: { ...DEFAULT_SAMLP_USER, emails: [] } }),
    ]);
    [s, [idp, sha1Idp, rogueIdp, responseSignedIdp, bothSignedIdp, defaultDestinationIdp, noEmailIdp]] = await Promise.all([startLoginServer(), idps]);
    const { orgId: id, token } = await s.organization('Megacorp');
    orgId = id;
    flow = new InteropFlow(s, token);
  });
  after(async () => {
    await Promise.all([idp, sha1Idp, rogueIdp, responseSignedIdp, bothSignedIdp, defaultDestinationIdp, noEmailIdp].map((i) => i?.stop()));
    await s?.close();
  });

  const connect = (from: SamlpIdp, binding: 'redirect' | 'post' = 'redirect') => flow.connectTo(from, { binding, providerId: 'auth0', attributeMapping: AUTH0_MAPPING });

  let connection: Connection;
  test('SP-initiated on HTTP-Redirect: samlp’s signed assertion is accepted, the email from its emailaddress claim', async () => {
    assert.deepEqual(AUTH0_MAPPING, { email: `${CLAIMS}/emailaddress`, firstName: `${CLAIMS}/givenname`, lastName: `${CLAIMS}/surname`, groups: 'http://schemas.xmlsoap.org/claims/Group' });
    connection = await connect(idp);
    const { result: r, xml, page } = await flow.testLogin(connection, idp);
    // It is samlp's own output: its prefixes, a signed assertion in an unsigned response, the user id as NameID.
    assert.match(xml, /^<samlp:Response [^>]*Destination="([^"]+)"/);
    assert.equal(/^<samlp:Response [^>]*Destination="([^"]+)"/.exec(xml)?.[1], connection.serviceProvider.acsUrl);
    assert.equal((xml.match(/<Signature\b/g) ?? []).length, 1, 'one signature');
    assert.match(xml, /<saml:Assertion [^>]*>[\s\S]*<Signature\b[\s\S]*<\/saml:Assertion>/, 'the signature is in the assertion');
    assert.match(xml, /SignatureMethod Algorithm="http:\/\/www\.w3\.org\/2001\/04\/xmldsig-more#rsa-sha256"/);
    assert.match(xml, /DigestMethod Algorithm="http:\/\/www\.w3\.org\/2001\/04\/xmlenc#sha256"/);
    assert.match(xml, /<saml:NameID Format="urn:oasis:names:tc:SAML:1\.1:nameid-format:unspecified">auth0\|ada<\/saml:NameID>/);
    await assertXmlsec1Verdict(xml, connection.saml.signingCertificates[0]!, 'good');
    assert.match(page.text, /Test login succeeded/);
    assert.equal(r.status, 'success', JSON.stringify(r.error));
    assert.deepEqual(r.profile, { email: USER, firstName: 'Ada', lastName: 'Lovelace', subject: 'auth0|ada' });
    assert.deepEqual(r.rawAttributes[`${CLAIMS}/emailaddress`], [USER]);
    assert.deepEqual(r.rawAttributes[`${CLAIMS}/nameidentifier`], ['auth0|ada']);
  });

  test('a byte changed in the signed assertion is refused (signature_invalid), and the test ends as a failure', async () => {
    const r = await flow.tamperedTest(connection, idp, USER, (tampered) => assertXmlsec1Verdict(tampered, connection.saml.signingCertificates[0]!, 'tampered'));
    assert.equal(r.error?.code, 'signature_invalid', JSON.stringify(r.error));
  });

  test('SP-initiated on HTTP-POST: our form posts the AuthnRequest to samlp; accepted', async () => {
    const post = await connect(idp, 'post');
    const { result: r } = await flow.testLogin(post, idp, 'post');
    assert.equal(r.status, 'success', JSON.stringify(r.error));
    assert.equal(r.profile?.email, USER);
  });

  test('IdP-initiated: samlp’s unsolicited response completes the pending IdP-mode test', async () => {
    const { result: r } = await flow.idpInitiatedTest(connection, idp);
    assert.equal(r.status, 'success', JSON.stringify(r.error));
    assert.equal(r.profile?.email, USER);
  });

  test('samlp with rsa-sha1 and a sha1 digest is accepted, with the warning weak_signature_algorithm after the domain warning (no domain verified yet)', async () => {
    const other = await connect(sha1Idp);
    const { result: r, xml } = await flow.testLogin(other, sha1Idp);
    assert.match(xml, /SignatureMethod Algorithm="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#rsa-sha1"/);
    assert.match(xml, /DigestMethod Algorithm="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#sha1"/);
    assert.equal(r.status, 'success', JSON.stringify(r.error));
    assert.equal(r.profile?.email, USER);
    assert.deepEqual(r.warnings?.map((w) => [w.code, w.details]), [
      ['domain_not_verified', { emailDomain: 'megacorp.test' }],
      ['weak_signature_algorithm', { signatureAlgorithm: 'rsa-sha1' }],
    ]);
  });

  test('activated, with megacorp.test verified: the user signs in on the demo login page through samlp', async () => {
    await flow.activate(orgId, 'megacorp.test', connection);
    const signedIn = await flow.signInOnDemo(idp, USER);
    assert.match(signedIn.text, /Welcome, Ada Lovelace/);
    assert.match(signedIn.text, /ada@megacorp\.test/);
  });

  for (const [sign, from] of [['response', () => responseSignedIdp], ['both', () => bothSignedIdp]] as const) {
    test(`samlp signing ${sign === 'both' ? 'both the response and the assertion' : 'the response only'}: accepted`, async () => {
      const other = await connect(from());
      const { result: r, xml } = await flow.testLogin(other, from());
      const responseId = /<samlp:Response [^>]*\bID="([^"]+)"/.exec(xml)?.[1];
      const assertionId = /<saml:Assertion [^>]*\bID="([^"]+)"/.exec(xml)?.[1];
      const references = [...xml.matchAll(/<Reference URI="#([^"]+)"/g)].map((m) => m[1]);
      assert.deepEqual(references.sort(), (sign === 'both' ? [responseId, assertionId] : [responseId]).sort());
      await assertXmlsec1Verdict(xml, other.saml.signingCertificates[0]!, 'good');
      assert.equal(r.status, 'success', JSON.stringify(r.error));
      assert.equal(r.profile?.email, USER);
    });
  }

  test('samlp signing with a key its metadata does not advertise is refused (certificate_mismatch)', async () => {
    const other = await connect(rogueIdp);
    const { testId, loginUrl } = await flow.startTest(other.id);
    const browser = new FormBrowser();
    const idpPage = await flow.toIdp(browser, loginUrl!, rogueIdp);
    await assertXmlsec1Verdict(samlResponseOf(idpPage), other.saml.signingCertificates[0]!, 'wrong key');
    const r = await flow.refusedWith(testId, browser, idpPage, samlResponseOf(idpPage));
    assert.equal(r.error?.code, 'certificate_mismatch', JSON.stringify(r.error));
  });

  test('samlp’s own default Destination (the audience, our entity ID) is refused (destination_mismatch), with the Auth0 guide’s remedy', async () => {
    const other = await connect(defaultDestinationIdp);
    const { result: r, xml, page } = await flow.testLogin(other, defaultDestinationIdp);
    assert.equal(/^<samlp:Response [^>]*Destination="([^"]+)"/.exec(xml)?.[1], other.serviceProvider.entityId);
    assert.match(page.text, /Test login failed/);
    assert.equal(r.status, 'failure');
    assert.equal(r.error?.code, 'destination_mismatch', JSON.stringify(r.error));
    const shown = auth0Remedy(r);
    assert.equal(shown.remedySource, 'provider');
    assert.match(shown.remedy, /Application Callback URL/);
  });

  test('a user without email (samlp sends no emailaddress claim) ends as missing_email, naming the attribute expected and those received, with the Auth0 guide’s remedy', async () => {
    const other = await connect(noEmailIdp);
    const { result: r, xml } = await flow.testLogin(other, noEmailIdp);
    assert.doesNotMatch(xml, /emailaddress/);
    assert.equal(r.status, 'failure');
    assert.equal(r.error?.code, 'missing_email', JSON.stringify(r.error));
    const details = (r.error as { details?: { expectedAttribute?: string; receivedAttributeNames?: string[] } }).details;
    assert.equal(details?.expectedAttribute, `${CLAIMS}/emailaddress`);
    assert.deepEqual(details?.receivedAttributeNames?.sort(), [`${CLAIMS}/givenname`, `${CLAIMS}/name`, `${CLAIMS}/nameidentifier`, `${CLAIMS}/surname`]);
    const shown = auth0Remedy(r);
    assert.equal(shown.remedySource, 'provider');
    assert.match(shown.remedy, /usernames without email/);
  });
});
