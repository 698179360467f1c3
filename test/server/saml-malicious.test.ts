/// <reference types="node" />
// Hostile and real-world SAML responses from the IdP corpus (test/fixtures/idp-corpus, see its
// INDEX.md) through validateSamlResponse: every malicious sample is refused with the code we
// expect, never accepted. The real responses of the corpus: recorded-responses.test.ts.
// Run: node --import tsx --test test/server/saml-malicious.test.ts
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import { TEST_FAILURES, type TestFailureCode } from '../../src/core/test-failures.js';
import { validateSamlResponse, type SamlIdpConfig, type SamlSpConfig, type SamlValidation } from '../../src/server/saml/service-provider.js';
import { SAML_RESPONSE_XML_LIMITS } from '../../src/core/xml-limits.js';
import { FormBrowser } from '../support/form-browser.js';
import { createSigningKey, toFormValue, type TestIdpKey } from '../support/saml-test-idp.js';
import { startLoginServer } from './login-harness.js';

const CORPUS = fileURLToPath(new URL('../fixtures/idp-corpus/', import.meta.url));
const NOW = new Date('2026-11-29T12:00:00.000Z');

interface Sample {
  file: string;
  /** The base64 form value an IdP would post. */
  form: string;
  /** The decoded XML text (empty when it is not text). */
  xml: string;
}

function load(dir: string, file: string): Sample {
  const bytes = readFileSync(`${CORPUS}${dir}/${file}`);
  const text = bytes.toString('latin1').trim();
  // Some samples are stored base64-encoded, as they were posted.
  if (text.length > 16 && /^[A-Za-z0-9+/=\s]+$/.test(text)) return { file, form: text.replace(/\s+/g, ''), xml: Buffer.from(text, 'base64').toString('utf8') };
  return { file, form: toFormValue(bytes), xml: bytes.toString('utf8') };
}

/** The connection a sample was made for, read from the sample itself, so only the attack can fail it. */
function configFrom(xml: string): { sp: SamlSpConfig; idp: SamlIdpConfig; expectedRequestId: string | null; now: Date; certificate?: string } {
  const pick = (re: RegExp) => re.exec(xml)?.[1]?.trim();
  const certificate = pick(/X509Certificate>\s*([A-Za-z0-9+/=\s]{100,}?)\s*</);
  const issueInstant = pick(/IssueInstant="([^"]+)"/);
  return {
    sp: { entityId: pick(/Audience>([^<]+)</) ?? 'https://sp.example.com', acsUrl: pick(/Recipient="([^"]+)"/) ?? pick(/Destination="([^"]+)"/) ?? 'https://sp.example.com/acs' },
    idp: { entityId: pick(/Issuer[^>]*>([^<]+)</) ?? 'https://idp.example.com', ssoUrl: 'https://idp.example.com/sso', ssoBinding: 'post', signingCertificates: certificate ? [certificate] : [] },
    expectedRequestId: pick(/InResponseTo="([^"]+)"/) ?? null,
    now: issueInstant && !Number.isNaN(Date.parse(issueInstant)) ? new Date(issueInstant) : NOW,
    ...(certificate ? { certificate } : {}),
  };
}

async function run(sample: Sample, overrides: { form?: string; signingCertificates?: string[]; now?: Date } = {}): Promise<SamlValidation> {
  const config = configFrom(sample.xml);
  return validateSamlResponse({
    samlResponse: overrides.form ?? sample.form,
    sp: config.sp,
    idp: { ...config.idp, ...(overrides.signingCertificates ? { signingCertificates: overrides.signingCertificates } : {}) },
    attributeMapping: { email: 'email' },
    expectedRequestId: config.expectedRequestId,
    now: overrides.now ?? config.now,
  });
}

function code(result: SamlValidation): TestFailureCode | 'ok' {
  return result.ok ? 'ok' : result.error.code;
}

/** Counts XML parses (xmldom), to prove that some input never reaches a parser. */
const parses = { count: 0 };
const originalParse = DOMParser.prototype.parseFromString;

before(() => {
  DOMParser.prototype.parseFromString = function (this: DOMParser, ...args: Parameters<typeof originalParse>) {
    parses.count++;
    return originalParse.apply(this, args);
  };
});
after(() => {
  DOMParser.prototype.parseFromString = originalParse;
});

// ---------------------------------------------------------------------------------------

/**
 * What each malicious sample must give, configured from the sample itself (its issuer, ACS URL,
 * audience, request ID and clock, trusting the certificate it embeds) unless `trust` says
 * otherwise. `reason` is matched against details.reason.
 */
const MALICIOUS: Record<string, { code: TestFailureCode; reason?: RegExp; trust?: 'test-idp'; unparsed?: true }> = {
  // KeyInfo carries certificates that did not make the signature: never trusted; trusting our own
  // certificate, the value verifies with none of them.
  'IdentityPython-pysaml2__signed-assertion-random-embedded-cert.xml': { code: 'signature_invalid', reason: /signature value does not verify/, trust: 'test-idp' },
  'IdentityPython-pysaml2__signed-xsw-assertion-wrapper.xml': { code: 'signature_invalid', reason: /wrapping/ },
  'IdentityPython-pysaml2__signed-xsw-response-in-response-first-sig.xml': { code: 'signature_invalid', reason: /wrapping/ },
  'SAML-Toolkits-java-saml__response_with_spoofed_response_signature.xml': { code: 'signature_invalid', reason: /unexpected place/ },
  'SAML-Toolkits-php-saml__UtilsTest.php__attackXEEutf16.xml': { code: 'response_malformed', reason: /DOCTYPE/, unparsed: true },
  'SAML-Toolkits-php-saml__UtilsTest.php__attackXXE.xml': { code: 'response_malformed', reason: /DOCTYPE/, unparsed: true },
  // A signed LogoutResponse hidden in StatusDetail beside an EncryptedAssertion.
  'SAML-Toolkits-ruby-saml__encrypted_new_attack.xml.base64': { code: 'signature_invalid', reason: /wrapping/ },
  'SAML-Toolkits-ruby-saml__response_node_text_attack.xml.base64': { code: 'signature_invalid', reason: /comment/ },
  'SAML-Toolkits-ruby-saml__response_with_concealed_signed_assertion.xml': { code: 'signature_invalid', reason: /wrapping/ },
  'SAML-Toolkits-ruby-saml__response_with_doubled_signed_assertion.xml': { code: 'signature_invalid', reason: /wrapping/ },
  'SAML-Toolkits-ruby-saml__signature_wrapping_attack.xml.base64': { code: 'signature_invalid', reason: /wrapping/ },
  'Sustainsys-Saml2__XmlHelperTests.cs__xxe-https-entity.xml': { code: 'response_malformed', reason: /DOCTYPE/, unparsed: true },
  // The stored file is the untampered Google response (crewjam injects the comment in its test,
  // as the test below does): at its own clock it is valid, so it is judged at ours.
  'crewjam-saml__TestSPRejectsInjectedComment_response': { code: 'assertion_expired' },
  'crewjam-saml__TestXswPermutationFourIsRejected_response': { code: 'signature_invalid', reason: /wrapping/ },
  'crewjam-saml__TestXswPermutationOneIsRejected_response': { code: 'signature_invalid', reason: /wrapping/ },
  'dexidp-dex__tampered-resp.xml': { code: 'signature_invalid', reason: /comment/ },
  'node-saml-node-saml__response.root-signed.multiple-root-elements.xml': { code: 'response_malformed', reason: /more than one top-level/ },
  // A bare Assertion (no Response): refused as such; wrapped in a Response below.
  'simplesamlphp-saml2__signedAssertionReferencedEmbeddedAssertion.xml': { code: 'response_malformed', reason: /bare Assertion/ },
  'ssoready-ssoready__bad-assertion-utf8__assertion.xml': { code: 'response_malformed', reason: /not XML/ },
  'ssoready-ssoready__bad-signature-algorithm__assertion.xml': { code: 'signature_invalid', reason: /BAD_SIGNATURE_ALGORITHM/ },
  'tngan-samlify__attack_response_signed.xml': { code: 'response_malformed', reason: /more than one top-level/ },
};

describe('malicious SAML responses (idp-corpus/saml-malicious)', () => {
  let ours: TestIdpKey;
  before(async () => {
    ours = await createSigningKey('Megacorp IdP');
  });

  const files = readdirSync(`${CORPUS}saml-malicious`).sort();

  it('has an expectation for every file', () => {
    assert.deepEqual(files, Object.keys(MALICIOUS).sort());
  });

  for (const file of files) {
    const expected = MALICIOUS[file];
    it(`${file}: ${expected?.code ?? '?'}`, async () => {
      assert.ok(expected, `no expectation for ${file}`);
      const sample = load('saml-malicious', file);
      const before = parses.count;
      const isRawCrewjam = file === 'crewjam-saml__TestSPRejectsInjectedComment_response';
      const result = await run(sample, { ...(expected.trust ? { signingCertificates: [ours.certPem] } : {}), ...(isRawCrewjam ? { now: NOW } : {}) });
      assert.equal(code(result), expected.code, JSON.stringify(result.ok ? result.profile : result.error.details));
      if (!result.ok && expected.reason) assert.match(String(result.error.details?.reason), expected.reason);
      if (expected.unparsed) assert.equal(parses.count, before, 'refused before any XML parser saw it');
      if (!result.ok) assert.equal(result.error.message, TEST_FAILURES[result.error.code].message);
      // Whatever the configuration and clock, never accepted.
      for (const now of [NOW, configFrom(sample.xml).now]) {
        for (const certs of [[ours.certPem], configFrom(sample.xml).certificate ? [configFrom(sample.xml).certificate!] : []]) {
          if (isRawCrewjam && now !== NOW) continue;
          assert.equal((await run(sample, { now, signingCertificates: certs })).ok, false);
        }
      }
    });
  }

  it('a comment injected into the NameID of the signed Google response is refused (crewjam)', async () => {
    const sample = load('saml-malicious', 'crewjam-saml__TestSPRejectsInjectedComment_response');
    const injected = sample.xml.replace('>ross@octolabs.io<', '>ross@octolabs.io<!-- -->.evil.com<');
    assert.notEqual(injected, sample.xml);
    const result = await run(sample, { form: toFormValue(injected) });
    assert.equal(code(result), 'signature_invalid');
    assert.match(String(!result.ok && result.error.details?.reason), /comment/);
    // Untouched, at its own clock and with its own certificate, the response is valid: the
    // refusal above is the comment, not the configuration.
    assert.equal(code(await run(sample)), 'ok');
  });

  it('an assertion whose signature references an embedded assertion is wrapping, once inside a Response', async () => {
    const sample = load('saml-malicious', 'simplesamlphp-saml2__signedAssertionReferencedEmbeddedAssertion.xml');
    const assertion = sample.xml.replace(/^<\?xml[^>]*>\s*/, '');
    const response =
      '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_wrapper" Version="2.0" IssueInstant="2020-01-01T00:00:00Z">' +
      '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>' +
      `${assertion}</samlp:Response>`;
    const result = await run({ ...sample, xml: response }, { form: toFormValue(response) });
    assert.equal(code(result), 'signature_invalid');
    assert.match(String(!result.ok && result.error.details?.reason), /wrapping/);
  });

  it('a billion-laughs document is refused before parsing, with nothing expanded', async () => {
    const lol = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&lol2;</samlp:Response>';
    const before = parses.count;
    const result = await validateSamlResponse({
      samlResponse: toFormValue(lol),
      sp: { entityId: 'sp', acsUrl: 'https://sp.example.com/acs' },
      idp: { entityId: 'idp', ssoUrl: 'https://idp.example.com', ssoBinding: 'post', signingCertificates: [] },
      attributeMapping: { email: 'email' },
      expectedRequestId: null,
      now: NOW,
    });
    assert.equal(code(result), 'response_malformed');
    assert.equal(parses.count, before);
    assert.ok(!JSON.stringify(result).includes('lollol'));
  });
});

// ---------------------------------------------------------------------------------------

/** Oversized, too deep, too many: refused by the linear pre-check, before any DOM is built. */
describe('documents past the XML limits are refused before any parser sees them', () => {
  const PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
  const response = (inner: string) => `<samlp:Response xmlns:samlp="${PROTOCOL}" ID="_r1" Version="2.0" IssueInstant="2026-11-29T12:00:00Z">${inner}</samlp:Response>`;
  const nested = (depth: number) => `${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`;
  const attributes = (n: number) => Array.from({ length: n }, (_, i) => `a${i}=""`).join(' ');

  async function post(xml: string): Promise<SamlValidation> {
    return validateSamlResponse({
      samlResponse: toFormValue(xml),
      sp: { entityId: 'https://sp.example.com', acsUrl: 'https://sp.example.com/acs' },
      idp: { entityId: 'https://idp.example.com', ssoUrl: 'https://idp.example.com/sso', ssoBinding: 'post', signingCertificates: [] },
      attributeMapping: { email: 'email' },
      expectedRequestId: null,
      now: NOW,
    });
  }

  const cases: [string, string, RegExp][] = [
    ['100,000 nested elements (700 kB)', response(nested(100_000)), /more than 32 levels deep/],
    ['200,000 sibling elements', response('<a/>'.repeat(200_000)), /more than 2,500 elements/],
    ['100,000 attributes on one element', response(`<a ${attributes(100_000)}/>`), /more than 64 attributes/],
    ['60 attributes on each of 2,000 elements', response(`<a ${attributes(60)}/>`.repeat(2_000)), /more than 5,000 parts/],
    ['140,000 comments', response('<!---->'.repeat(140_000)), /more than 5,000 parts/],
    ['an element name of 500,000 characters', response(`<${'a'.repeat(500_000)}/>`), /name is longer than 256/],
  ];
  for (const [label, xml, reason] of cases) {
    it(`${label}: response_malformed, nothing parsed`, async () => {
      const before = parses.count;
      const result = await post(xml);
      assert.equal(code(result), 'response_malformed');
      assert.match(String(!result.ok && result.error.details?.reason), reason);
      assert.match(String(!result.ok && result.error.details?.reason), /refused before parsing/);
      assert.equal(parses.count, before, 'refused before any XML parser saw it');
    });
  }

  it('nesting at the limit reaches the parser (and fails later, unsigned); one level more does not', async () => {
    const depth = SAML_RESPONSE_XML_LIMITS.maxDepth;
    const status = `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>`;
    let before = parses.count;
    const atLimit = await post(response(`${status}<samlp:Extensions>${nested(depth - 2)}</samlp:Extensions>`));
    assert.ok(parses.count > before, 'parsed');
    assert.equal(code(atLimit), 'response_malformed');
    assert.match(String(!atLimit.ok && atLimit.error.details?.reason), /no assertion/);
    before = parses.count;
    const over = await post(response(`${status}<samlp:Extensions>${nested(depth - 1)}</samlp:Extensions>`));
    assert.match(String(!over.ok && over.error.details?.reason), /more than 32 levels deep/);
    assert.equal(parses.count, before);
  });

  it('posted to a real ACS, the 700 kB nested response ends the test as response_malformed, saying why', async () => {
    const s = await startLoginServer();
    try {
      const { token } = await s.organization('Hostile Depth');
      const orgId = (await s.portal(token, 'GET', '/api/portal/session')).body.organization.id as string;
      const created = await s.portal(token, 'POST', '/api/portal/connections', {
        protocol: 'saml',
        providerId: 'simulator',
        saml: { idpEntityId: s.saml.entityId, ssoUrl: s.saml.ssoUrl, ssoBinding: 'redirect', signingCertificates: [s.saml.certificatePem] },
        attributeMapping: { email: 'email' },
      });
      assert.equal(created.status, 201, created.text);
      const connectionId = created.body.id as string;
      const started = await s.portal(token, 'POST', `/api/portal/connections/${connectionId}/tests`, { mode: 'idp' });
      assert.equal(started.status, 201, started.text);
      // One space in the root tag aligns the base64 so that the form (with %2B for '+') stays
      // under the ACS's 1 MiB body limit, as an attacker would arrange it.
      const xml = response(nested(100_000)).replace('Z">', 'Z" >');
      assert.ok(xml.length >= 700_000);
      assert.ok(new URLSearchParams({ SAMLResponse: toFormValue(xml) }).toString().length <= 1024 * 1024);
      const before = parses.count;
      const page = await new FormBrowser().request(`${s.origin}/saml/${orgId}/${connectionId}/acs`, { form: { SAMLResponse: toFormValue(xml) } });
      assert.equal(page.status, 200, page.text.slice(0, 300));
      assert.match(page.text, /Test login failed/);
      assert.equal(parses.count, before, 'the ACS built no DOM');
      const result = (await s.portal(token, 'GET', `/api/portal/tests/${started.body.testId}`)).body;
      assert.equal(result.status, 'failure');
      assert.equal(result.error.code, 'response_malformed');
      assert.match(String(result.error.details?.reason), /more than 32 levels deep/);
    } finally {
      await s.close();
    }
  });
});
