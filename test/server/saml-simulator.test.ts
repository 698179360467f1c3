/// <reference types="node" />
// Database: none. It never opens one, so the PostgreSQL pass of the server suite leaves it out (scripts/server-tests.mjs).
/** The SAML IdP simulator: keys, metadata, every scenario's response, AuthnRequest reading, the routes (no network). */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { SAML } from '@node-saml/node-saml';
import { Hono } from 'hono';
import { SignedXml } from 'xml-crypto';
import { parseSamlMetadata } from '../../src/core/saml-metadata.js';
import { TEST_FAILURES } from '../../src/core/test-failures.js';
import { loadOrCreateKeyPair } from '../../src/server/simulator/keys.js';
import { OTHER_AUDIENCE, SAML_URNS, SamlIdpSimulator, SamlRequestError, type BuildResponseOptions } from '../../src/server/simulator/saml-idp.js';
import { registerSamlSimulatorRoutes } from '../../src/server/simulator/saml-routes.js';
import { SAML_SCENARIOS, type SamlScenario } from '../../src/server/simulator/saml-scenarios.js';

// samlify's XSD validator (xmllint compiled to WebAssembly) has no type declarations.
const { validate: validateSamlSchema } = createRequire(import.meta.url)('@authenio/samlify-xmllint-wasm') as { validate: (xml: string) => Promise<boolean> };

const BASE = 'http://127.0.0.1:4400';
const SP = `${BASE}/saml/org_1/conn_1`;
const ACS = `${SP}/acs`;
const NOW = new Date('2026-11-29T12:00:00.000Z');
const USER = { email: 'ada@megacorp.example', firstName: 'Ada', lastName: 'Lovelace', groups: ['Engineering', 'Admins'] };
const A = SAML_URNS.assertion;
const P = SAML_URNS.protocol;
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';

const parse = (xml: string): Document => new DOMParser().parseFromString(xml, 'text/xml');
const children = (parent: Element, ns: string, name: string): Element[] =>
  Array.from(parent.childNodes).filter((n): n is Element => n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === name);
const all = (doc: Document, ns: string, name: string): Element[] => Array.from(doc.getElementsByTagNameNS(ns, name));
const one = (doc: Document, ns: string, name: string): Element => {
  const found = all(doc, ns, name);
  assert.equal(found.length, 1, `exactly one ${name}`);
  return found[0]!;
};
const text = (doc: Document, ns: string, name: string) => one(doc, ns, name).textContent;
const attributes = (doc: Document): Record<string, string[]> =>
  Object.fromEntries(all(doc, A, 'Attribute').map((a) => [a.getAttribute('Name'), children(a, A, 'AttributeValue').map((v) => v.textContent)]));
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000).toISOString();
const body = (pem: string) => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');

/** The enveloped signature directly under the Response or the Assertion, checked with xml-crypto against `certificatePem`. */
function verify(xml: string, where: 'Response' | 'Assertion', certificatePem: string): { valid: boolean; error?: string } {
  const doc = parse(xml);
  const parent = where === 'Response' ? doc.documentElement! : one(doc, A, 'Assertion');
  const signature = children(parent, DSIG, 'Signature')[0];
  if (!signature) return { valid: false, error: 'unsigned' };
  const signed = new SignedXml({ publicCert: certificatePem });
  signed.loadSignature(signature as unknown as Node);
  try {
    const valid = signed.checkSignature(xml);
    return { valid, ...(valid ? {} : { error: signed.getReferences().find((r) => r.validationError)?.validationError?.message ?? 'invalid' }) };
  } catch (error) {
    return { valid: false, error: (error as Error).message };
  }
}

describe('SAML IdP simulator', () => {
  let sim: SamlIdpSimulator;
  let dataDir: string;
  const build = (scenario: SamlScenario, extra: Partial<BuildResponseOptions> = {}) =>
    sim.buildResponseXml({ scenario, user: USER, spEntityId: SP, acsUrl: ACS, inResponseTo: '_request-1', now: NOW, ...extra });

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'saml-sim-'));
    sim = await SamlIdpSimulator.open({ publicBaseUrl: `${BASE}/`, dataDir });
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  describe('keys', () => {
    test('are generated once into <dataDir>/simulator and read back by the next open()', async () => {
      const keyFile = join(dataDir, 'simulator', 'saml-idp.key.pem');
      const certFile = join(dataDir, 'simulator', 'saml-idp.crt.pem');
      const [keyStat, certStat] = await Promise.all([stat(keyFile), stat(certFile)]);
      assert.equal(keyStat.mode & 0o777, 0o600);
      assert.ok(certStat.isFile());
      assert.equal(await readFile(certFile, 'utf8'), sim.certificatePem);

      const again = await SamlIdpSimulator.open({ publicBaseUrl: BASE, dataDir });
      assert.equal(again.certificatePem, sim.certificatePem);
      assert.equal(again.otherCertificatePem, sim.otherCertificatePem);
      assert.notEqual(sim.otherCertificatePem, sim.certificatePem);
      // Not rewritten: same inode and modification time.
      const keyStat2 = await stat(keyFile);
      assert.equal(keyStat2.ino, keyStat.ino);
      assert.equal(keyStat2.mtimeMs, keyStat.mtimeMs);
      assert.equal((await stat(join(dataDir, 'simulator', 'saml-idp-other.key.pem'))).mode & 0o777, 0o600);
    });

    test('a key and a certificate that do not belong together are refused, not replaced', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'saml-sim-keys-'));
      try {
        const a = await loadOrCreateKeyPair(dir, 'a', 'CN=A');
        const b = await loadOrCreateKeyPair(dir, 'b', 'CN=B');
        await writeFile(join(dir, 'simulator', 'a.crt.pem'), b.certificatePem);
        await assert.rejects(loadOrCreateKeyPair(dir, 'a', 'CN=A'), /do not belong together/);
        assert.match(a.privateKeyPem, /^-----BEGIN PRIVATE KEY-----/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    test('null dataDir keeps the keys in memory', async () => {
      const memory = await SamlIdpSimulator.open({ publicBaseUrl: BASE, dataDir: null });
      assert.match(memory.certificatePem, /^-----BEGIN CERTIFICATE-----/);
      assert.notEqual(memory.certificatePem, sim.certificatePem);
    });
  });

  test('URLs', () => {
    assert.equal(sim.entityId, `${BASE}/simulator/saml`);
    assert.equal(sim.metadataUrl, `${BASE}/simulator/saml/metadata`);
    assert.equal(sim.ssoUrl, `${BASE}/simulator/saml/sso`);
  });

  test('metadata parses with parseSamlMetadata: entity ID, SSO URL for both bindings, the signing certificate', async () => {
    const result = await parseSamlMetadata(sim.metadataXml());
    assert.ok(result.ok, JSON.stringify(result));
    const { metadata } = result;
    assert.equal(metadata.entityId, sim.entityId);
    assert.deepEqual(
      metadata.ssoServices.map((s) => [s.binding, s.location]),
      [
        [SAML_URNS.httpRedirect, sim.ssoUrl],
        [SAML_URNS.httpPost, sim.ssoUrl],
      ],
    );
    assert.equal(metadata.signingCertificates.length, 1);
    assert.equal(body(metadata.signingCertificates[0]!.pem), body(sim.certificatePem));
    assert.equal(metadata.wantAuthnRequestsSigned, false);
    assert.ok(!sim.metadataXml().includes('PRIVATE'));
  });

  describe('responses', () => {
    test('every scenario maps to a test failure code and is schema-valid SAML 2.0', async () => {
      const expected: Record<SamlScenario, string | null> = {
        success: null,
        wrong_audience: 'audience_mismatch',
        wrong_destination: 'destination_mismatch',
        wrong_issuer: 'issuer_mismatch',
        expired: 'assertion_expired',
        not_yet_valid: 'assertion_not_yet_valid',
        other_key: 'certificate_mismatch',
        unsigned: 'response_unsigned',
        tampered: 'signature_invalid',
        missing_email: 'missing_email',
        idp_error: 'idp_error',
        other_request: 'request_mismatch',
        malformed: 'response_malformed',
        user_denies: 'user_denied',
      };
      assert.deepEqual(Object.fromEntries(SAML_SCENARIOS.map((s) => [s.id, s.expectedCode])), expected);
      for (const s of SAML_SCENARIOS) {
        if (s.expectedCode) assert.ok(Object.hasOwn(TEST_FAILURES, s.expectedCode), s.expectedCode);
        assert.ok(s.label && s.hint);
        // The malformed one is meant to be refused before any parse: it is not schema-valid.
        if (s.id !== 'malformed') assert.equal(await validateSamlSchema(build(s.id)), true, s.id);
      }
      assert.match(build('malformed'), /^<\?xml version="1\.0"\?>\n<!DOCTYPE r \[<!ENTITY xxe SYSTEM/);
      assert.notEqual(parse(build('other_request')).documentElement!.getAttribute('InResponseTo'), '_request-1');
      // Unsolicited (no InResponseTo attribute at all, not an empty one), with and without an assertion.
      for (const id of ['success', 'user_denies'] as const) assert.equal(await validateSamlSchema(build(id, { inResponseTo: undefined })), true, `${id} (unsolicited)`);
    });

    test('success: signed response and assertion, the right values, attributes, 5 minutes of validity', () => {
      const xml = build('success');
      const doc = parse(xml);
      const response = doc.documentElement!;
      assert.equal(response.getAttribute('Destination'), ACS);
      assert.equal(response.getAttribute('InResponseTo'), '_request-1');
      assert.equal(one(doc, P, 'StatusCode').getAttribute('Value'), SAML_URNS.success);
      assert.deepEqual(all(doc, A, 'Issuer').map((i) => i.textContent), [sim.entityId, sim.entityId]);
      assert.equal(text(doc, A, 'Audience'), SP);
      const confirmation = one(doc, A, 'SubjectConfirmationData');
      assert.equal(confirmation.getAttribute('Recipient'), ACS);
      assert.equal(confirmation.getAttribute('InResponseTo'), '_request-1');
      assert.equal(confirmation.getAttribute('NotOnOrAfter'), minutes(5));
      const conditions = one(doc, A, 'Conditions');
      assert.equal(conditions.getAttribute('NotBefore'), minutes(0));
      assert.equal(conditions.getAttribute('NotOnOrAfter'), minutes(5));
      const nameId = one(doc, A, 'NameID');
      assert.equal(nameId.textContent, USER.email);
      assert.equal(nameId.getAttribute('Format'), SAML_URNS.emailAddress);
      assert.deepEqual(attributes(doc), { email: [USER.email], firstName: ['Ada'], lastName: ['Lovelace'], groups: ['Engineering', 'Admins'] });
      assert.deepEqual(verify(xml, 'Response', sim.certificatePem), { valid: true });
      assert.deepEqual(verify(xml, 'Assertion', sim.certificatePem), { valid: true });
      const method = all(doc, DSIG, 'SignatureMethod').map((m) => m.getAttribute('Algorithm'));
      assert.deepEqual(method, [SAML_URNS.rsaSha256, SAML_URNS.rsaSha256]);
      assert.ok(all(doc, DSIG, 'CanonicalizationMethod').every((m) => m.getAttribute('Algorithm') === 'http://www.w3.org/2001/10/xml-exc-c14n#'));
    });

    test('IdP-initiated: no InResponseTo at all; mapped attribute names; values are escaped, never re-substituted', () => {
      const names = { email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress', groups: 'memberOf' };
      const xml = build('success', {
        inResponseTo: undefined,
        attributeNames: names,
        user: { email: 'ada@megacorp.example', firstName: '{Issuer} <b>&amp;', groups: ['R&D'] },
      });
      assert.ok(!xml.includes('InResponseTo'));
      const doc = parse(xml);
      assert.deepEqual(attributes(doc), { [names.email]: ['ada@megacorp.example'], firstName: ['{Issuer} <b>&amp;'], memberOf: ['R&D'] });
      const email = all(doc, A, 'Attribute').find((a) => a.getAttribute('Name') === names.email)!;
      assert.equal(email.getAttribute('NameFormat'), SAML_URNS.uri);
      assert.equal(verify(xml, 'Response', sim.certificatePem).valid, true);
    });

    test('wrong_audience, wrong_destination, wrong_issuer change only that value (still validly signed)', () => {
      let doc = parse(build('wrong_audience'));
      assert.equal(text(doc, A, 'Audience'), OTHER_AUDIENCE);
      assert.notEqual(OTHER_AUDIENCE, SP);

      const destination = build('wrong_destination');
      doc = parse(destination);
      assert.equal(doc.documentElement!.getAttribute('Destination'), `${ACS}/wrong`);
      assert.equal(one(doc, A, 'SubjectConfirmationData').getAttribute('Recipient'), `${ACS}/wrong`);
      assert.equal(new URL(`${ACS}/wrong`).origin, BASE);
      assert.equal(text(doc, A, 'Audience'), SP);
      assert.equal(verify(destination, 'Assertion', sim.certificatePem).valid, true);

      const issuer = build('wrong_issuer');
      doc = parse(issuer);
      const issuers = all(doc, A, 'Issuer').map((i) => i.textContent);
      assert.equal(issuers.length, 2);
      assert.ok(issuers.every((i) => i && i !== sim.entityId));
      assert.equal(verify(issuer, 'Response', sim.certificatePem).valid, true);
    });

    test('expired: NotOnOrAfter 10 minutes ago; not_yet_valid: NotBefore in 10 minutes', () => {
      let doc = parse(build('expired'));
      assert.equal(one(doc, A, 'Conditions').getAttribute('NotOnOrAfter'), minutes(-10));
      assert.equal(one(doc, A, 'SubjectConfirmationData').getAttribute('NotOnOrAfter'), minutes(-10));
      assert.ok(Date.parse(one(doc, A, 'Conditions').getAttribute('NotBefore')!) < NOW.getTime());

      doc = parse(build('not_yet_valid'));
      assert.equal(one(doc, A, 'Conditions').getAttribute('NotBefore'), minutes(10));
      assert.ok(Date.parse(one(doc, A, 'Conditions').getAttribute('NotOnOrAfter')!) > Date.parse(minutes(10)));
    });

    test('other_key verifies only against the other certificate, which is not in the metadata', () => {
      const xml = build('other_key');
      assert.equal(verify(xml, 'Response', sim.certificatePem).valid, false);
      assert.equal(verify(xml, 'Assertion', sim.certificatePem).valid, false);
      assert.deepEqual(verify(xml, 'Response', sim.otherCertificatePem), { valid: true });
      assert.deepEqual(verify(xml, 'Assertion', sim.otherCertificatePem), { valid: true });
      assert.ok(!sim.metadataXml().includes(body(sim.otherCertificatePem)));
      // KeyInfo carries the other certificate (what an SP sees: a certificate it does not trust).
      assert.deepEqual(all(parse(xml), DSIG, 'X509Certificate').map((c) => c.textContent), [body(sim.otherCertificatePem), body(sim.otherCertificatePem)]);
    });

    test('unsigned has no signature; tampered fails the digest check after the email was changed', () => {
      const unsigned = build('unsigned');
      assert.equal(all(parse(unsigned), DSIG, 'Signature').length, 0);
      assert.equal(attributes(parse(unsigned)).email?.[0], USER.email);

      const tampered = build('tampered');
      const doc = parse(tampered);
      assert.equal(all(doc, DSIG, 'Signature').length, 2);
      assert.notEqual(text(doc, A, 'NameID'), USER.email);
      assert.notEqual(attributes(doc).email?.[0], USER.email);
      for (const where of ['Response', 'Assertion'] as const) {
        const result = verify(tampered, where, sim.certificatePem);
        assert.equal(result.valid, false);
        assert.match(result.error ?? '', /calculated digest/);
      }
    });

    test('missing_email: no email attribute, a persistent NameID that is not an email', () => {
      const doc = parse(build('missing_email'));
      const attrs = attributes(doc);
      assert.equal(attrs.email, undefined);
      assert.deepEqual(attrs.groups, USER.groups);
      const nameId = one(doc, A, 'NameID');
      assert.equal(nameId.getAttribute('Format'), SAML_URNS.persistent);
      assert.ok(!nameId.textContent?.includes('@'));
      assert.ok(!build('missing_email').includes(USER.email));
    });

    test('idp_error and user_denies: Responder status, a message, no assertion, signed response', () => {
      let xml = build('idp_error');
      let doc = parse(xml);
      assert.deepEqual(all(doc, P, 'StatusCode').map((s) => s.getAttribute('Value')), [SAML_URNS.responder]);
      assert.ok(text(doc, P, 'StatusMessage'));
      assert.equal(all(doc, A, 'Assertion').length, 0);
      assert.equal(verify(xml, 'Response', sim.certificatePem).valid, true);

      xml = build('user_denies');
      doc = parse(xml);
      assert.deepEqual(all(doc, P, 'StatusCode').map((s) => s.getAttribute('Value')), [SAML_URNS.responder, SAML_URNS.requestDenied]);
      assert.equal(all(doc, A, 'Assertion').length, 0);
      assert.equal(doc.documentElement!.getAttribute('InResponseTo'), '_request-1');
    });

    test('node-saml (the service-provider library) accepts success and rejects the scenarios it can detect', async () => {
      const sp = new SAML({ idpCert: sim.certificatePem, issuer: SP, callbackUrl: ACS, audience: SP, wantAssertionsSigned: true, wantAuthnResponseSigned: true });
      const respond = (scenario: SamlScenario, inResponseTo?: string) =>
        sp.validatePostResponseAsync({ SAMLResponse: sim.buildResponse({ scenario, user: USER, spEntityId: SP, acsUrl: ACS, ...(inResponseTo ? { inResponseTo } : {}) }) });
      const { profile } = await respond('success');
      assert.equal(profile?.nameID, USER.email);
      assert.deepEqual([profile?.email, profile?.groups], [USER.email, USER.groups]);
      await assert.rejects(respond('wrong_audience'), /audience mismatch/);
      await assert.rejects(respond('expired'), /expired/);
      await assert.rejects(respond('not_yet_valid'), /not yet valid/);
      for (const scenario of ['other_key', 'unsigned', 'tampered'] as const) await assert.rejects(respond(scenario), /signature/i, scenario);
      await assert.rejects(respond('user_denies'), /Responder/);
    });

    test('buildResponse is the base64 of the XML', () => {
      const encoded = sim.buildResponse({ scenario: 'success', user: USER, spEntityId: SP, acsUrl: ACS, now: NOW });
      const doc = parse(Buffer.from(encoded, 'base64').toString('utf8'));
      assert.equal(doc.documentElement!.localName, 'Response');
    });
  });

  describe('readAuthnRequest', () => {
    const authnRequest = (o: { id?: string; acs?: string; extra?: string } = {}) =>
      `<samlp:AuthnRequest xmlns:samlp="${P}" xmlns:saml="${A}" ID="${o.id ?? '_req-42'}" Version="2.0" IssueInstant="${NOW.toISOString()}" ` +
      `Destination="${BASE}/simulator/saml/sso" ProtocolBinding="${SAML_URNS.httpPost}"${o.acs === '' ? '' : ` AssertionConsumerServiceURL="${o.acs ?? ACS}"`}>` +
      `<saml:Issuer>${SP}</saml:Issuer>${o.extra ?? ''}</samlp:AuthnRequest>`;
    const redirect = (xml: string) => deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64');

    test('round-trips an HTTP-Redirect request (deflated base64) and a POST one', () => {
      assert.deepEqual(sim.readAuthnRequest({ SAMLRequest: redirect(authnRequest()), RelayState: 'state-1' }, 'redirect'), {
        id: '_req-42',
        issuer: SP,
        acsUrl: ACS,
        relayState: 'state-1',
      });
      assert.deepEqual(sim.readAuthnRequest({ SAMLRequest: Buffer.from(authnRequest()).toString('base64') }, 'post'), { id: '_req-42', issuer: SP, acsUrl: ACS });
    });

    test('refuses what it cannot answer, with a SamlRequestError', () => {
      const refused = (params: { SAMLRequest: string }, binding: 'redirect' | 'post', pattern: RegExp) =>
        assert.throws(() => sim.readAuthnRequest(params, binding), (e: unknown) => e instanceof SamlRequestError && pattern.test(e.message));
      refused({ SAMLRequest: '' }, 'redirect', /no SAMLRequest/);
      refused({ SAMLRequest: '%%%' }, 'redirect', /not base64/);
      refused({ SAMLRequest: Buffer.from(authnRequest()).toString('base64') }, 'redirect', /DEFLATE/);
      refused({ SAMLRequest: redirect(`<!DOCTYPE x [<!ENTITY e "x">]>${authnRequest()}`) }, 'redirect', /DOCTYPE/);
      refused({ SAMLRequest: redirect('<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>') }, 'redirect', /not a SAML 2.0 AuthnRequest/);
      refused({ SAMLRequest: redirect(authnRequest({ acs: '' })) }, 'redirect', /AssertionConsumerServiceURL/);
      refused({ SAMLRequest: redirect('<samlp:AuthnRequest') }, 'redirect', /not well-formed/);
    });

    test('refuses a request past the limits of an AuthnRequest before parsing it (a few hundred bytes of DEFLATE can hold 250 kB of nesting)', () => {
      const refused = (xml: string, pattern: RegExp) =>
        assert.throws(
          () => sim.readAuthnRequest({ SAMLRequest: redirect(xml) }, 'redirect'),
          (e: unknown) => e instanceof SamlRequestError && /refused before parsing/.test(e.message) && pattern.test(e.message),
        );
      const nested = (depth: number) => `${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`;
      assert.ok(redirect(authnRequest({ extra: nested(30_000) })).length < 2000);
      refused(authnRequest({ extra: nested(30_000) }), /longer than/);
      refused(authnRequest({ extra: nested(20) }), /levels deep/);
      refused(authnRequest({ extra: '<a/>'.repeat(500) }), /elements/);
      refused(authnRequest({ extra: `<a ${Array.from({ length: 100 }, (_, i) => `a${i}=""`).join(' ')}/>` }), /attributes/);
      // A real request with a few extensions still reads.
      assert.equal(sim.readAuthnRequest({ SAMLRequest: redirect(authnRequest({ extra: nested(10) })) }, 'redirect').id, '_req-42');
    });
  });

  describe('routes', () => {
    const app = new Hono();
    before(() => registerSamlSimulatorRoutes(app, sim, { publicBaseUrl: BASE, now: () => NOW }));
    const authnRedirect = (acs: string, relayState?: string) => {
      const xml =
        `<samlp:AuthnRequest xmlns:samlp="${P}" xmlns:saml="${A}" ID="_req-7" Version="2.0" IssueInstant="${NOW.toISOString()}" ` +
        `AssertionConsumerServiceURL="${acs}"><saml:Issuer>${SP}</saml:Issuer></samlp:AuthnRequest>`;
      const query = new URLSearchParams({ SAMLRequest: deflateRawSync(Buffer.from(xml)).toString('base64'), ...(relayState ? { RelayState: relayState } : {}) });
      return `/simulator/saml/sso?${query.toString()}`;
    };
    const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
      app.request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString() });
    const input = (html: string, name: string) => new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`).exec(html)?.[1];
    const unescape = (value: string) => value.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    const noInlineScript = (html: string) => {
      assert.ok(!/<script(?![^>]*\bsrc=)[^>]*>/i.test(html), 'no inline <script>');
      assert.ok(!/\son[a-z]+\s*=/i.test(html), 'no inline event handler');
      assert.ok(!/\sstyle\s*=/i.test(html), 'no style attribute');
    };
    const signIn = (extra: Record<string, string> = {}) => ({
      mode: 'sp',
      requestId: '_req-7',
      acsUrl: ACS,
      spEntityId: SP,
      relayState: 'rs-1',
      email: 'ada@megacorp.example',
      firstName: 'Ada',
      lastName: 'Lovelace',
      groups: 'Engineering, Admins',
      scenario: 'success',
      action: 'sign-in',
      ...extra,
    });

    test('the login page prefills the user the service provider hinted (login_hint with either binding), else the default user', async () => {
      const emailValue = (html: string) => /<input id="email" name="email" type="email" required value="([^"]*)"/.exec(html)?.[1];
      const hinted = await (await app.request(`${authnRedirect(ACS)}&login_hint=${encodeURIComponent('zoe@alpha.example')}`)).text();
      assert.equal(emailValue(hinted), 'zoe@alpha.example');
      const samlRequest = new URL(authnRedirect(ACS), BASE).searchParams.get('SAMLRequest')!;
      const xml = inflateRawSync(Buffer.from(samlRequest, 'base64'));
      const posted = await (await post('/simulator/saml/sso', { SAMLRequest: xml.toString('base64'), login_hint: 'max@alpha.example' })).text();
      assert.equal(emailValue(posted), 'max@alpha.example');
      // Not an email address: the default user.
      for (const hint of ['not an email', `${'x'.repeat(600)}@a.example`]) {
        const page = await (await app.request(`${authnRedirect(ACS)}&login_hint=${encodeURIComponent(hint)}`)).text();
        assert.equal(emailValue(page), 'ada@megacorp.example', hint.slice(0, 20));
      }
    });

    test('without a hint, the user is at the organization’s verified domain (userDomainFor the service provider)', async () => {
      const other = new Hono();
      const asked: string[] = [];
      registerSamlSimulatorRoutes(other, sim, { publicBaseUrl: BASE, now: () => NOW, userDomainFor: (sp) => (asked.push(sp), 'alpha.example') });
      const emailValue = (html: string) => /<input id="email" name="email" type="email" required value="([^"]*)"/.exec(html)?.[1];
      assert.equal(emailValue(await (await other.request(authnRedirect(ACS))).text()), 'ada@alpha.example');
      assert.equal(emailValue(await (await other.request('/simulator/saml/idp-initiated?connection=org_1/conn_1')).text()), 'ada@alpha.example');
      assert.deepEqual(asked, [SP, SP]);
      // A hint wins over the domain.
      assert.equal(emailValue(await (await other.request(`${authnRedirect(ACS)}&login_hint=zoe%40beta.example`)).text()), 'zoe@beta.example');
    });

    test('GET metadata: the XML as application/samlmetadata+xml', async () => {
      const response = await app.request('/simulator/saml/metadata');
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^application\/samlmetadata\+xml/);
      assert.equal(await response.text(), sim.metadataXml());
    });

    test('GET sso: the login page, values escaped, page security headers, form-action allows the ACS origin', async () => {
      const response = await app.request(authnRedirect(ACS, '<script>alert(1)</script>"x'));
      assert.equal(response.status, 200);
      const html = await response.text();
      assert.ok(!html.includes('<script>alert(1)'));
      assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;&quot;x'));
      noInlineScript(html);
      const csp = response.headers.get('content-security-policy') ?? '';
      assert.match(csp, new RegExp(`form-action 'self' ${BASE.replace(/[.]/g, '\\.')}`));
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
      // The form: email (required, default), names, groups, every scenario but the deny one as a radio, hidden request values, both buttons.
      assert.match(html, /<input id="email" name="email" type="email" required value="ada@megacorp\.example"/);
      for (const id of ['firstName', 'lastName', 'groups']) assert.match(html, new RegExp(`<label for="${id}">`));
      assert.match(html, /<fieldset class="sim-card">\s*<legend>Outcome<\/legend>/);
      for (const s of SAML_SCENARIOS.filter((x) => x.id !== 'user_denies')) {
        assert.match(html, new RegExp(`<input type="radio" id="scenario-${s.id}" name="scenario" value="${s.id}" aria-describedby="scenario-${s.id}-hint"`));
        assert.match(html, new RegExp(`<label for="scenario-${s.id}">`));
      }
      assert.match(html, /value="success" aria-describedby="scenario-success-hint" checked/);
      assert.equal(input(html, 'requestId'), '_req-7');
      assert.equal(input(html, 'acsUrl'), ACS);
      assert.equal(input(html, 'spEntityId'), SP);
      assert.equal(unescape(input(html, 'relayState') ?? ''), '<script>alert(1)</script>"x');
      assert.match(html, /<button type="submit" name="action" value="sign-in" class="sim-primary">Sign in<\/button>/);
      assert.match(html, /<button type="submit" name="action" value="deny" formnovalidate[^>]*>Deny access<\/button>/);
      assert.ok(!html.includes('PRIVATE KEY'));
      // The IdP-initiated way to the same service provider.
      const idp = /<a href="(\/simulator\/saml\/idp-initiated\?[^"]+)"/.exec(html)?.[1];
      assert.ok(idp, 'a link to send an unsolicited response instead');
      const url = new URL(unescape(idp), BASE);
      assert.equal(url.searchParams.get('acs'), ACS);
      assert.equal(url.searchParams.get('audience'), SP);
    });

    test('POST sso (HTTP-POST binding) shows the same page', async () => {
      const xml = `<samlp:AuthnRequest xmlns:samlp="${P}" xmlns:saml="${A}" ID="_req-8" Version="2.0" IssueInstant="${NOW.toISOString()}" AssertionConsumerServiceURL="${ACS}"><saml:Issuer>${SP}</saml:Issuer></samlp:AuthnRequest>`;
      const response = await post('/simulator/saml/sso', { SAMLRequest: Buffer.from(xml).toString('base64'), RelayState: 'r' });
      assert.equal(response.status, 200);
      assert.equal(input(await response.text(), 'requestId'), '_req-8');
    });

    test('a foreign ACS URL, a missing or broken request: a clear 400 page', async () => {
      let response = await app.request(authnRedirect('https://evil.example/acs'));
      assert.equal(response.status, 400);
      let html = await response.text();
      assert.match(html, /not on this server/);
      assert.ok(html.includes('https://evil.example/acs'));
      noInlineScript(html);

      response = await app.request(authnRedirect('http://127.0.0.1:9999/saml/o/c/acs'));
      assert.equal(response.status, 400);

      response = await app.request('/simulator/saml/sso');
      assert.equal(response.status, 400);
      assert.match(await response.text(), /No login request/);

      response = await app.request('/simulator/saml/sso?SAMLRequest=bm90IGRlZmxhdGVk');
      assert.equal(response.status, 400);
      html = await response.text();
      assert.match(html, /DEFLATE/);
    });

    test('POST login: the auto-post form to the ACS URL with SAMLResponse and RelayState, and a Continue button', async () => {
      const response = await post('/simulator/saml/login', signIn({ relayState: '<script>x</script>' }));
      assert.equal(response.status, 200);
      const html = await response.text();
      noInlineScript(html);
      assert.match(html, new RegExp(`<form method="post" action="${ACS.replace(/[.]/g, '\\.')}" data-autosubmit`));
      assert.match(html, /<script type="module" src="\/assets\/autopost\.js"><\/script>/);
      assert.match(html, /<button type="submit" class="sim-primary">Continue<\/button>/);
      assert.equal(unescape(input(html, 'RelayState') ?? ''), '<script>x</script>');
      assert.ok(!html.includes('<script>x'));
      const xml = Buffer.from(input(html, 'SAMLResponse') ?? '', 'base64').toString('utf8');
      const doc = parse(xml);
      assert.equal(doc.documentElement!.getAttribute('InResponseTo'), '_req-7');
      assert.equal(text(doc, A, 'Audience'), SP);
      assert.deepEqual(attributes(doc).groups, ['Engineering', 'Admins']);
      assert.equal(verify(xml, 'Assertion', sim.certificatePem).valid, true);
      assert.match(response.headers.get('content-security-policy') ?? '', /form-action 'self' http:\/\/127\.0\.0\.1:4400/);
    });

    test('POST login: a chosen scenario, Deny access, and what it refuses', async () => {
      let html = await (await post('/simulator/saml/login', signIn({ scenario: 'wrong_destination' }))).text();
      let doc = parse(Buffer.from(input(html, 'SAMLResponse') ?? '', 'base64').toString('utf8'));
      assert.equal(doc.documentElement!.getAttribute('Destination'), `${ACS}/wrong`);
      assert.match(html, new RegExp(`action="${ACS.replace(/[.]/g, '\\.')}"`));

      // Deny works even without an email (the button has formnovalidate).
      html = await (await post('/simulator/saml/login', signIn({ action: 'deny', email: '' }))).text();
      doc = parse(Buffer.from(input(html, 'SAMLResponse') ?? '', 'base64').toString('utf8'));
      assert.equal(all(doc, P, 'StatusCode')[1]?.getAttribute('Value'), SAML_URNS.requestDenied);

      let response = await post('/simulator/saml/login', signIn({ acsUrl: 'https://evil.example/acs' }));
      assert.equal(response.status, 400);
      assert.match(await response.text(), /not on this server/);

      response = await post('/simulator/saml/login', signIn({ email: 'not an email' }));
      assert.equal(response.status, 400);
      html = await response.text();
      assert.match(html, /role="alert"/);
      assert.match(html, /id="email" name="email" type="email" required value="not an email"[^>]*aria-invalid="true" aria-describedby="form-error"/);

      response = await post('/simulator/saml/login', signIn({ scenario: 'nope' }));
      assert.equal(response.status, 400);

      response = await post('/simulator/saml/login', signIn(), { 'sec-fetch-site': 'cross-site' });
      assert.equal(response.status, 403);
    });

    test('IdP-initiated: the page with editable ACS URL and audience; the response has no InResponseTo', async () => {
      let response = await app.request('/simulator/saml/idp-initiated?connection=org_1/conn_1&relayState=%3Cb%3E');
      assert.equal(response.status, 200);
      let html = await response.text();
      noInlineScript(html);
      assert.match(html, new RegExp(`<input id="acsUrl" name="acsUrl" type="url" required value="${ACS.replace(/[.]/g, '\\.')}"`));
      assert.match(html, new RegExp(`<input id="spEntityId" name="spEntityId" type="text" required value="${SP.replace(/[.]/g, '\\.')}"`));
      assert.match(html, /<input id="relayState" name="relayState" type="text" value="&lt;b&gt;"/);

      response = await app.request(`/simulator/saml/idp-initiated?acs=${encodeURIComponent(ACS)}`);
      html = await response.text();
      assert.match(html, new RegExp(`name="spEntityId" type="text" required value="${SP.replace(/[.]/g, '\\.')}"`), 'audience derived from the ACS URL');

      response = await app.request(`/simulator/saml/idp-initiated?acs=${encodeURIComponent(ACS)}&audience=urn:custom`);
      assert.match(await response.text(), /name="spEntityId" type="text" required value="urn:custom"/);

      response = await app.request('/simulator/saml/idp-initiated?acs=https%3A%2F%2Fevil.example%2Facs');
      assert.equal(response.status, 400);
      response = await app.request('/simulator/saml/idp-initiated?connection=..%2F..');
      assert.equal(response.status, 400);

      response = await post('/simulator/saml/login', signIn({ mode: 'idp', requestId: '', relayState: '' }));
      assert.equal(response.status, 200);
      html = await response.text();
      assert.equal(input(html, 'RelayState'), undefined);
      const xml = Buffer.from(input(html, 'SAMLResponse') ?? '', 'base64').toString('utf8');
      assert.ok(!xml.includes('InResponseTo'));
      assert.equal(text(parse(xml), A, 'Audience'), SP);
    });

    test('the auto-submit script and the stylesheet exist', async () => {
      const script = await readFile(new URL('../../src/server/pages/assets/autopost.js', import.meta.url), 'utf8');
      assert.match(script, /form\[data-autosubmit\]/);
      assert.match(script, /\.submit\(\)/);
      await stat(new URL('../../src/server/pages/assets/simulator.css', import.meta.url));
    });
  });
});
