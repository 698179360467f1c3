/// <reference types="node" />
// The SAML service-provider engine: AuthnRequests and every coded outcome of response
// validation, with responses signed by the test IdP (test/support/saml-test-idp.ts).
// Run: node --import tsx --test test/server/saml-service-provider.test.ts
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { SignedXml } from 'xml-crypto';
import { TEST_FAILURES } from '../../src/core/test-failures.js';
import { ReplayCache } from '../../src/server/saml/replay-cache.js';
import { buildLoginRequest, validateSamlResponse, type SamlIdpConfig, type SamlValidation, type ValidateSamlOptions } from '../../src/server/saml/service-provider.js';
import { openTestDatabase } from '../support/test-database.js';
import { buildResponseXml, createSigningKey, signResponse, toFormValue, type ResponseTemplate, type SignOptions, type TestIdpKey } from '../support/saml-test-idp.js';

const NOW = new Date('2026-11-29T12:00:00.000Z');
const SP = { entityId: 'https://app.example.com/saml/megacorp', acsUrl: 'https://app.example.com/saml/acs/conn_1' };
const IDP_ENTITY = 'http://www.okta.com/exk1demo';
const REQUEST_ID = '_request-0001';
const MAPPING = { email: 'email', firstName: 'firstName', lastName: 'lastName', groups: 'groups' };
const ATTRIBUTES = { email: ['ada@megacorp.example'], firstName: ['Ada'], lastName: ['Lovelace'], groups: ['admins', 'engineering'] };
const FINGERPRINT = /^[0-9A-F]{2}(?::[0-9A-F]{2}){31}$/;

let keyA: TestIdpKey;
let keyB: TestIdpKey;
let attacker: TestIdpKey;
let idp: SamlIdpConfig;

before(async () => {
  [keyA, keyB, attacker] = await Promise.all([createSigningKey('Megacorp IdP A'), createSigningKey('Megacorp IdP B'), createSigningKey('Attacker')]);
  idp = { entityId: IDP_ENTITY, ssoUrl: 'https://megacorp.okta.example/app/sso/saml', ssoBinding: 'post', signingCertificates: [keyA.certPem] };
});

function template(overrides: Partial<ResponseTemplate> = {}): ResponseTemplate {
  return { now: NOW, issuer: IDP_ENTITY, acsUrl: SP.acsUrl, audience: SP.entityId, inResponseTo: REQUEST_ID, nameId: 'ada-0001', attributes: ATTRIBUTES, ...overrides };
}

/** A signed response as the XML text. */
function signedXml(overrides: Partial<ResponseTemplate> = {}, sign: Partial<SignOptions> = {}): string {
  return signResponse(buildResponseXml(template(overrides)), { key: keyA, sign: 'assertion', ...sign });
}

function validate(xmlOrForm: string, options: Partial<ValidateSamlOptions> = {}): Promise<SamlValidation> {
  const samlResponse = xmlOrForm.startsWith('<') ? toFormValue(xmlOrForm) : xmlOrForm;
  return validateSamlResponse({ samlResponse, sp: SP, idp, attributeMapping: MAPPING, expectedRequestId: REQUEST_ID, now: NOW, ...options });
}

/** Asserts a refusal with this code, its catalogue message, and no raw XML in the details. */
function refused(result: SamlValidation, code: keyof typeof TEST_FAILURES): Record<string, unknown> {
  assert.equal(result.ok, false, `expected ${code}, got ok`);
  if (result.ok) throw new Error('unreachable');
  assert.equal(result.error.code, code, JSON.stringify(result.error.details));
  assert.equal(result.error.message, TEST_FAILURES[code].message);
  assert.equal(result.error.remedy, TEST_FAILURES[code].remedy);
  const details = result.error.details ?? {};
  const text = JSON.stringify(details);
  assert.ok(!text.includes('<'), `details must carry no XML: ${text}`);
  assert.ok(!/[A-Za-z0-9+/]{60,}/.test(text), `details must carry no signature value or certificate: ${text}`);
  return details;
}

function accepted(result: SamlValidation): Extract<SamlValidation, { ok: true }> {
  if (!result.ok) assert.fail(`${result.error.code}: ${JSON.stringify(result.error.details)}`);
  return result;
}

// ---------------------------------------------------------------------------------------

describe('buildLoginRequest', () => {
  it('builds an HTTP-Redirect URL with a deflated AuthnRequest and a fresh ID each time', async () => {
    const redirectIdp = { ...idp, ssoBinding: 'redirect' as const, ssoUrl: 'https://idp.example.com/sso?tenant=7' };
    const first = await buildLoginRequest({ sp: SP, idp: redirectIdp, relayState: 'test_123', now: NOW });
    const second = await buildLoginRequest({ sp: SP, idp: redirectIdp, relayState: 'test_123', now: NOW });
    assert.notEqual(first.requestId, second.requestId);
    assert.equal(first.form, undefined);
    const url = new URL(first.redirectUrl!);
    assert.equal(url.origin + url.pathname, 'https://idp.example.com/sso');
    assert.equal(url.searchParams.get('tenant'), '7');
    assert.equal(url.searchParams.get('RelayState'), 'test_123');
    const xml = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
    assert.match(xml, new RegExp(`ID="${first.requestId}"`));
    assert.match(xml, /IssueInstant="2026-11-29T12:00:00.000Z"/);
    assert.match(xml, new RegExp(`AssertionConsumerServiceURL="${SP.acsUrl}"`));
    assert.match(xml, new RegExp(`>${SP.entityId}</saml:Issuer>`));
    assert.doesNotMatch(xml, /RequestedAuthnContext|Signature/);
  });

  it('builds an auto-post form for the HTTP-POST binding', async () => {
    const request = await buildLoginRequest({ sp: SP, idp, relayState: 'rs-1' });
    assert.equal(request.redirectUrl, undefined);
    assert.equal(request.form!.action, idp.ssoUrl);
    assert.equal(request.form!.fields.RelayState, 'rs-1');
    const xml = Buffer.from(request.form!.fields.SAMLRequest!, 'base64').toString('utf8');
    assert.match(xml, /^<\?xml[^>]*\?><samlp:AuthnRequest /);
    assert.match(xml, new RegExp(`ID="${request.requestId}"`));
    assert.match(xml, new RegExp(`Destination="${idp.ssoUrl}"`));
  });
});

describe('validateSamlResponse: accepted logins', () => {
  for (const sign of ['assertion', 'response', 'both'] as const) {
    it(`accepts a response with the ${sign} signed and maps the profile`, async () => {
      const result = accepted(await validate(signedXml({ assertionId: `_a-${sign}` }, { sign })));
      assert.deepEqual(result.profile, { email: 'ada@megacorp.example', firstName: 'Ada', lastName: 'Lovelace', groups: ['admins', 'engineering'], subject: 'ada-0001' });
      assert.deepEqual(result.rawAttributes, ATTRIBUTES);
      assert.equal(result.assertionId, `_a-${sign}`);
      assert.equal(result.issuer, IDP_ENTITY);
      assert.equal(result.notOnOrAfter, '2026-11-29T12:05:00.000Z');
      assert.equal(result.signatureAlgorithm, 'rsa-sha256');
    });
  }

  it('accepts any configured certificate (rollover), PEM or bare base64', async () => {
    const rollover = { ...idp, signingCertificates: [keyA.certPem, keyB.certBase64] };
    accepted(await validate(signedXml({}, { key: keyB }), { idp: rollover }));
    accepted(await validate(signedXml({}, { key: keyA }), { idp: rollover }));
    // Without B configured the same response is refused.
    refused(await validate(signedXml({}, { key: keyB })), 'certificate_mismatch');
  });

  it('accepts an IdP-initiated response when no request was started', async () => {
    const result = accepted(await validate(signedXml({ inResponseTo: null }), { expectedRequestId: null }));
    assert.equal(result.profile.email, 'ada@megacorp.example');
  });

  it('accepts rsa-sha1 and reports it', async () => {
    const result = accepted(await validate(signedXml({}, { signatureAlgorithm: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1', digestAlgorithm: 'http://www.w3.org/2000/09/xmldsig#sha1' })));
    assert.equal(result.signatureAlgorithm, 'rsa-sha1');
  });

  it('falls back to an email-format NameID when the email attribute is missing', async () => {
    const xml = signedXml({ attributes: { firstName: ['Ada'] }, nameId: 'ada@megacorp.example', nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress' });
    const result = accepted(await validate(xml));
    assert.equal(result.profile.email, 'ada@megacorp.example');
    assert.equal(result.profile.subject, 'ada@megacorp.example');
  });

  it('reads the assertion from the signed XML, not from a comment-split text', async () => {
    // A comment inside a signed value is refused rather than read either way.
    const xml = signedXml().replace('>ada@megacorp.example<', '>ada@megacorp.example<!---->.evil.example<');
    const details = refused(await validate(xml), 'signature_invalid');
    assert.match(String(details.reason), /comment/);
  });
});

describe('validateSamlResponse: signature failures', () => {
  it('response_unsigned when neither the response nor the assertion is signed', async () => {
    refused(await validate(signedXml({}, { sign: 'none' })), 'response_unsigned');
  });

  it('certificate_mismatch with both fingerprints when another certificate signed', async () => {
    const details = refused(await validate(signedXml({}, { key: attacker })), 'certificate_mismatch');
    assert.deepEqual(details.expectedFingerprints, [keyA.fingerprint]);
    assert.equal(details.receivedFingerprint, attacker.fingerprint);
    assert.match(String(details.receivedFingerprint), FINGERPRINT);
    assert.equal(details.signatureAlgorithm, 'rsa-sha256');
  });

  it('never trusts the certificate in KeyInfo (key confusion), with or without one', async () => {
    refused(await validate(signedXml({}, { key: attacker, keyInfo: attacker, sign: 'both' })), 'certificate_mismatch');
    const bare = refused(await validate(signedXml({}, { key: attacker, keyInfo: null })), 'certificate_mismatch');
    assert.equal(bare.receivedFingerprint, undefined);
    // The attacker names the trusted certificate in KeyInfo but signs with its own key.
    const named = refused(await validate(signedXml({}, { key: attacker, keyInfo: keyA })), 'signature_invalid');
    assert.match(String(named.reason), /signature value/);
  });

  describe('the whole signature check (references, XPath over the document) runs once, with a key that verifies', () => {
    const checks = { count: 0 };
    const original = SignedXml.prototype.checkSignature;
    before(() => {
      SignedXml.prototype.checkSignature = function (this: SignedXml, ...args: Parameters<typeof original>) {
        checks.count++;
        return original.apply(this, args);
      } as typeof original;
    });
    after(() => {
      SignedXml.prototype.checkSignature = original;
    });

    it('a response signed by another key and naming five certificates: none (it was once per configured and per named certificate)', async () => {
      const others = await Promise.all([1, 2, 3, 4].map((i) => createSigningKey(`Other ${i}`)));
      const named = others.map((k) => `<ds:X509Certificate>${k.certBase64}</ds:X509Certificate>`).join('');
      const xml = signedXml({}, { key: attacker, sign: 'response' }).replace('<ds:X509Certificate>', `${named}<ds:X509Certificate>`);
      checks.count = 0;
      const details = refused(await validate(xml, { idp: { ...idp, signingCertificates: [keyB.certPem, keyA.certPem] } }), 'certificate_mismatch');
      assert.equal(details.receivedFingerprint, attacker.fingerprint);
      assert.equal(checks.count, 0);
    });

    it('a valid response, during a rollover (the second certificate signed): once per signature', async () => {
      checks.count = 0;
      accepted(await validate(signedXml({}, { sign: 'both' })));
      const single = checks.count;
      checks.count = 0;
      accepted(await validate(signedXml({}, { sign: 'both' }), { idp: { ...idp, signingCertificates: [keyB.certPem, keyA.certPem] } }));
      // node-saml's second opinion (after ours) tries the certificates in order: one more check.
      // Ours add none (before: one more per signature).
      assert.equal(checks.count - single, 1);
    });
  });

  it('signature_invalid (digest) when the content changed after signing', async () => {
    for (const sign of ['assertion', 'response'] as const) {
      const xml = signedXml({}, { sign }).replace('>ada@megacorp.example<', '>eve@megacorp.example<');
      const details = refused(await validate(xml), 'signature_invalid');
      assert.match(String(details.reason), /digest/);
    }
  });

  it('signature_invalid (value) when the signature value was altered', async () => {
    // One character of the value changed (swapping two could change nothing when they are equal).
    const genuine = signedXml();
    const xml = genuine.replace(/<ds:SignatureValue>(.)/, (_m, a: string) => `<ds:SignatureValue>${a === 'A' ? 'B' : 'A'}`);
    assert.notEqual(xml, genuine);
    const details = refused(await validate(xml), 'signature_invalid');
    assert.match(String(details.reason), /signature value does not verify/);
  });

  it('signature_invalid for HMAC or unknown algorithms, naming the algorithm', async () => {
    const hmac = signedXml().replace('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', 'http://www.w3.org/2000/09/xmldsig#hmac-sha1');
    const details = refused(await validate(hmac), 'signature_invalid');
    assert.equal(details.signatureAlgorithm, 'http://www.w3.org/2000/09/xmldsig#hmac-sha1');
    const md5 = signedXml().replace('http://www.w3.org/2001/04/xmlenc#sha256', 'http://www.w3.org/2001/04/xmldsig-more#md5');
    refused(await validate(md5), 'signature_invalid');
  });

  it('signature_invalid when a signed assertion is wrapped beside an evil one', async () => {
    const xml = signedXml();
    const evil = buildResponseXml(template({ assertionId: '_evil', nameId: 'eve' })).replace(/^.*?(<saml:Assertion .*<\/saml:Assertion>).*$/s, '$1');
    const wrapped = xml.replace('<saml:Assertion ', `${evil}<saml:Assertion `);
    const details = refused(await validate(wrapped), 'signature_invalid');
    assert.match(String(details.reason), /wrapping/);
    // The signed assertion hidden in Extensions, an unsigned one used: also wrapping.
    const signedAssertion = /<saml:Assertion .*<\/saml:Assertion>/s.exec(xml)![0];
    const hidden = xml.replace(signedAssertion, `<samlp:Extensions>${signedAssertion}</samlp:Extensions>${evil}`);
    refused(await validate(hidden), 'signature_invalid');
  });

  it('signature_invalid when the reference points at another element', async () => {
    const xml = signedXml({ assertionId: '_signed' });
    const moved = xml.replace('URI="#_signed"', 'URI="#_other"').replace('<saml:AuthnStatement ', '<saml:AuthnStatement ID="_other" ');
    const details = refused(await validate(moved), 'signature_invalid');
    assert.match(String(details.reason), /wrapping/);
  });
});

describe('validateSamlResponse: content checks', () => {
  it('issuer_mismatch for the response or the assertion Issuer', async () => {
    const response = refused(await validate(signedXml({ responseIssuer: 'https://evil.example/idp' }, { sign: 'both' })), 'issuer_mismatch');
    assert.deepEqual([response.expectedIssuer, response.receivedIssuer], [IDP_ENTITY, 'https://evil.example/idp']);
    const assertion = refused(await validate(signedXml({ assertionIssuer: 'https://other.example/idp' })), 'issuer_mismatch');
    assert.equal(assertion.receivedIssuer, 'https://other.example/idp');
  });

  it('destination_mismatch for a wrong Destination or Recipient; an absent Destination is fine', async () => {
    const destination = refused(await validate(signedXml({ destination: 'https://other.example/acs' }, { sign: 'response' })), 'destination_mismatch');
    assert.deepEqual([destination.expectedDestination, destination.receivedDestination], [SP.acsUrl, 'https://other.example/acs']);
    const recipient = refused(await validate(signedXml({ recipient: 'https://other.example/acs' })), 'destination_mismatch');
    assert.deepEqual([recipient.expectedRecipient, recipient.receivedRecipient], [SP.acsUrl, 'https://other.example/acs']);
    accepted(await validate(signedXml({ destination: null })));
  });

  it('audience_mismatch for another audience or none', async () => {
    const details = refused(await validate(signedXml({ audiences: ['https://other.example/sp', 'urn:other'] })), 'audience_mismatch');
    assert.equal(details.expectedAudience, SP.entityId);
    assert.deepEqual(details.receivedAudience, ['https://other.example/sp', 'urn:other']);
    refused(await validate(signedXml({ audiences: null })), 'audience_mismatch');
    accepted(await validate(signedXml({ audiences: ['urn:other', SP.entityId] })));
  });

  it('request_mismatch for another, a missing or an unexpected InResponseTo', async () => {
    const other = refused(await validate(signedXml({ inResponseTo: '_request-0002' })), 'request_mismatch');
    assert.deepEqual([other.expectedInResponseTo, other.receivedInResponseTo], [REQUEST_ID, '_request-0002']);
    const missing = refused(await validate(signedXml({ inResponseTo: null })), 'request_mismatch');
    assert.equal(missing.receivedInResponseTo, undefined);
    const unsolicited = refused(await validate(signedXml(), { expectedRequestId: null }), 'request_mismatch');
    assert.equal(unsolicited.receivedInResponseTo, REQUEST_ID);
  });

  it('assertion_expired just outside the 2-minute skew, accepted just inside', async () => {
    const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
    const times = (noa: number) => ({ issueInstant: at(noa - 300), notBefore: at(noa - 300), notOnOrAfter: at(noa) });
    accepted(await validate(signedXml(times(-119))));
    const details = refused(await validate(signedXml(times(-121))), 'assertion_expired');
    assert.equal(details.notOnOrAfter, at(-121).toISOString());
    assert.equal(details.serverTime, NOW.toISOString());
    assert.equal(details.allowedSkewSeconds, 120);
    assert.equal(details.issueInstant, at(-421).toISOString());
    assert.equal(details.skewSeconds, -421);
    // Exactly at the boundary: NotOnOrAfter means "not on".
    refused(await validate(signedXml(times(-120))), 'assertion_expired');
    refused(await validate(signedXml(times(-1)), { skewMs: 0 }), 'assertion_expired');
  });

  it('assertion_not_yet_valid just outside the skew, accepted just inside', async () => {
    const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
    const times = (nb: number) => ({ issueInstant: at(nb), notBefore: at(nb), notOnOrAfter: at(nb + 300) });
    accepted(await validate(signedXml(times(119))));
    const details = refused(await validate(signedXml(times(121))), 'assertion_not_yet_valid');
    assert.equal(details.notBefore, at(121).toISOString());
    assert.equal(details.skewSeconds, 121);
    assert.equal(details.allowedSkewSeconds, 120);
  });

  it('user_denied and idp_error from a non-success status, signed or not', async () => {
    const denied = signedXml({ status: { code: 'urn:oasis:names:tc:SAML:2.0:status:Responder', subCode: 'urn:oasis:names:tc:SAML:2.0:status:AuthnFailed', message: 'User cancelled' } }, { sign: 'response' });
    const d = refused(await validate(denied), 'user_denied');
    assert.deepEqual([d.idpStatus, d.idpSubStatus, d.idpStatusMessage], ['urn:oasis:names:tc:SAML:2.0:status:Responder', 'urn:oasis:names:tc:SAML:2.0:status:AuthnFailed', 'User cancelled']);
    const requestDenied = buildResponseXml(template({ status: { code: 'urn:oasis:names:tc:SAML:2.0:status:Responder', subCode: 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied' } }));
    refused(await validate(requestDenied), 'user_denied');
    const error = buildResponseXml(template({ status: { code: 'urn:oasis:names:tc:SAML:2.0:status:Requester', subCode: 'urn:oasis:names:tc:SAML:2.0:status:InvalidNameIDPolicy', message: 'Unsupported NameID format' } }));
    const e = refused(await validate(error), 'idp_error');
    assert.deepEqual([e.idpStatus, e.idpSubStatus, e.idpStatusMessage], ['urn:oasis:names:tc:SAML:2.0:status:Requester', 'urn:oasis:names:tc:SAML:2.0:status:InvalidNameIDPolicy', 'Unsupported NameID format']);
  });

  it('missing_email still returns the profile and every attribute', async () => {
    const result = await validate(signedXml({ attributes: { firstName: ['Ada'], mail_address: ['ada@megacorp.example'] } }));
    const details = refused(result, 'missing_email');
    assert.equal(details.expectedAttribute, 'email');
    assert.deepEqual(details.receivedAttributeNames, ['firstName', 'mail_address']);
    assert.deepEqual(result.profile, { firstName: 'Ada', subject: 'ada-0001' });
    assert.deepEqual(result.rawAttributes, { firstName: ['Ada'], mail_address: ['ada@megacorp.example'] });
    assert.ok(!result.ok && result.assertionId);
  });

  it('response_replayed the second time an assertion arrives (with a replay cache)', async () => {
    // The cache is in the database (its own tests: login-state.test.ts).
    const database = await openTestDatabase();
    try {
      const cache = new ReplayCache(database, { now: () => NOW }).forConnection('conn-1');
      const xml = signedXml();
      accepted(await validate(xml, { replayCache: cache }));
      refused(await validate(xml, { replayCache: cache }), 'response_replayed');
      accepted(await validate(signedXml(), { replayCache: cache }));
    } finally {
      await database.close();
    }
  });

  it('node-saml runs as a second line of defence and its refusals are coded', async () => {
    // Two Conditions: our checks read the first one; node-saml refuses the assertion.
    const xml = buildResponseXml(template()).replace(/(<saml:Conditions [^>]*>.*?<\/saml:Conditions>)/, '$1$1');
    const details = refused(await validate(signResponse(xml, { key: keyA, sign: 'assertion' })), 'response_malformed');
    assert.match(String(details.reason), /node-saml/);
  });
});

describe('validateSamlResponse: malformed input', () => {
  const malformed: [string, () => string][] = [
    ['an empty value', () => ''],
    ['not base64', () => 'this is not base64!'],
    ['base64 of text that is not XML', () => Buffer.from('hello world').toString('base64')],
    ['a DOCTYPE', () => toFormValue(`<!DOCTYPE r [<!ENTITY a "aaaa">]>${signedXml()}`)],
    ['two root elements', () => toFormValue(`${signedXml()}<x/>`)],
    ['another root element', () => toFormValue('<foo xmlns="urn:oasis:names:tc:SAML:2.0:protocol"/>')],
    ['a bare assertion', () => toFormValue(/<saml:Assertion .*<\/saml:Assertion>/s.exec(signedXml())![0].replace('<saml:Assertion ', '<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '))],
    ['duplicated IDs', () => toFormValue(signedXml({ assertionId: '_dup' }).replace('<saml:AuthnStatement ', '<saml:AuthnStatement ID="_dup" '))],
    ['an undeclared prefix', () => toFormValue(signedXml().replace('<saml:Subject>', '<saml:Subject><x:y/>'))],
    ['more than 1 MiB', () => Buffer.alloc(1024 * 1024 + 10, 0x20).toString('base64')],
  ];
  for (const [name, form] of malformed) {
    it(`response_malformed for ${name}`, async () => {
      const result = await validate(form());
      refused(result, 'response_malformed');
      assert.equal(result.profile, null);
    });
  }

  it('never throws, whatever arrives', async () => {
    for (const value of [undefined, null, 42, {}, '====', 'PHg+', '\u0000'] as unknown[]) {
      const result = await validateSamlResponse({ samlResponse: value as string, sp: SP, idp, attributeMapping: MAPPING, expectedRequestId: null, now: NOW });
      assert.equal(result.ok, false);
    }
  });
});
