/// <reference types="node" />
// Database: none. It never opens one, so the PostgreSQL pass of the server suite leaves it out (scripts/server-tests.mjs).
// SAML responses recorded from real identity providers (test/fixtures/idp-corpus/saml-responses,
// see its INDEX.md and SOURCES.tsv) through the SP's own validation, validateSamlResponse, as
// the ACS calls it: the clock pinned to the response's IssueInstant, our entity ID, ACS URL and
// request ID taken from the response itself (its Audience, Recipient and InResponseTo), the IdP's
// certificate from the IdP's metadata in the corpus, or, where the corpus has none for that IdP,
// from the response's own KeyInfo (each such case says so in its name). Every verdict is
// checked against a second implementation, `xmlsec1 --verify` (the C library), with the same key.
//
// Then each accepted response altered three ways (a byte of the signed assertion, our audience,
// our clock), and an IdP that sends the email only as the NameID, in each NameID format that
// IdPs use for it, with responses signed here.
//
// Run: node --import tsx --test --test-reporter=spec test/server/recorded-responses.test.ts
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';
import type { ReceivedProfile } from '../../src/core/model.js';
import { parseSamlMetadata } from '../../src/core/saml-metadata.js';
import { TEST_FAILURES, type TestFailureCode } from '../../src/core/test-failures.js';
import { validateSamlResponse, type AttributeMapping, type SamlValidation } from '../../src/server/saml/service-provider.js';
import { assertXmlsec1Verdict, xmlsec1Availability, type Xmlsec1Verdict } from '../support/idps/pysaml2.js';
import { buildResponseXml, createSigningKey, signResponse, toFormValue, type TestIdpKey } from '../support/saml-test-idp.js';

const CORPUS = fileURLToPath(new URL('../fixtures/idp-corpus/', import.meta.url));
const SKEW_MS = 120_000;

const xmlsec1 = xmlsec1Availability();
if (!xmlsec1.available) console.log(`# no second opinion on signatures: ${xmlsec1.reason}`);

// ---------------------------------------------------------------------------------------
// Reading a sample and the connection it was made for

interface Recorded {
  file: string;
  /** The decoded XML text. */
  xml: string;
  /** The base64 form value the IdP posted. */
  form: string;
}

function loadResponse(file: string): Recorded {
  const bytes = readFileSync(`${CORPUS}saml-responses/${file}`);
  const text = bytes.toString('latin1').trim();
  // Some samples are stored as they were posted: base64.
  if (!text.startsWith('<') && /^[A-Za-z0-9+/=\s]+$/.test(text)) return { file, form: text.replace(/\s+/g, ''), xml: Buffer.from(text, 'base64').toString('utf8') };
  return { file, form: toFormValue(bytes), xml: bytes.toString('utf8') };
}

const first = (xml: string, re: RegExp): string | undefined => re.exec(xml)?.[1]?.trim();

/** What the response says about the login it answers: our values, its clock, its issuer. */
function readFacts(xml: string) {
  const issueInstant = first(xml, /^\s*(?:<\?xml[^>]*\?>\s*)?<[^>]*?\sIssueInstant\s*=\s*"([^"]+)"/);
  assert.ok(issueInstant, 'the root element has an IssueInstant');
  return {
    now: new Date(issueInstant),
    audience: first(xml, /<(?:\w+:)?Audience>([^<]+)</) ?? '',
    acsUrl: first(xml, /\sRecipient="([^"]+)"/) ?? first(xml, /\sDestination="([^"]+)"/) ?? '',
    inResponseTo: first(xml, /\sInResponseTo="([^"]+)"/) ?? null,
    issuer: first(xml, /<(?:\w+:)?Issuer\b[^>]*>([^<]+)</) ?? '',
    /** Every NotOnOrAfter (Conditions and SubjectConfirmationData), earliest first. */
    notOnOrAfter: [...xml.matchAll(/\sNotOnOrAfter="([^"]+)"/g)].map((m) => Date.parse(m[1]!)).sort((a, b) => a - b),
  };
}

/** The first certificate of the response's own KeyInfo, as it stands (it may be a dummy). */
function keyInfoCertificate(xml: string): string | undefined {
  return first(xml, /<(?:\w+:)?X509Certificate>([^<]*)</)?.replace(/\s+/g, '');
}

/** PEM for xmlsec1: a bare base64 DER certificate wrapped; base64 of a PEM (double-encoded) unwrapped. */
function certificatePem(certificate: string): string {
  const b64 = certificate.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  const inner = Buffer.from(b64, 'base64').toString('latin1');
  if (inner.startsWith('-----BEGIN CERTIFICATE-----')) return inner;
  return `-----BEGIN CERTIFICATE-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----\n`;
}

/** The RSA public key a KeyInfo carries as RSAKeyValue, as PEM. */
function keyValuePem(xml: string): string {
  const modulus = first(xml, /<(?:\w+:)?Modulus>([^<]+)</)!.replace(/\s+/g, '');
  const exponent = first(xml, /<(?:\w+:)?Exponent>([^<]+)</)!.replace(/\s+/g, '');
  const b64url = (b64: string) => Buffer.from(b64, 'base64').toString('base64url');
  return createPublicKey({ key: { kty: 'RSA', n: b64url(modulus), e: b64url(exponent) }, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
}

// ---------------------------------------------------------------------------------------
// The corpus and what each sample must give

type CertificateSource =
  /** The IdP's metadata in the corpus (saml-metadata/<file>); `sameEntity`: its entity ID is the response's Issuer. */
  | { metadata: string; sameEntity: boolean }
  /** The corpus has no metadata for this IdP: the certificate in the response's own KeyInfo. */
  | 'keyinfo'
  /** None: the response names no certificate (none, or only an RSAKeyValue). */
  | 'none';

interface Expectation {
  vendor: string;
  certificate: CertificateSource;
  /** The attribute mapping an admin would set for this IdP (default: email only). */
  mapping?: AttributeMapping;
  verdict: 'ok' | TestFailureCode;
  /** Matched against details.reason of a refusal. */
  reason?: RegExp;
  /** The whole profile of an accepted login. */
  profile?: ReceivedProfile;
  /** The received attribute names of an accepted login. */
  attributes?: string[];
  /** xmlsec1's verdict with the same key ('none' / RSAKeyValue: see {@link secondOpinionKey}). */
  xmlsec1: Xmlsec1Verdict;
  /** Why: from the corpus notes (INDEX.md), or what both implementations found. */
  why: string;
}

const CLAIMS = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/';

const SAMPLES: Record<string, Expectation> = {
  // --- Intact: accepted with the profile the IdP sent.
  'crewjam-saml__TestSPCanHandleOneloginResponse_response': {
    vendor: 'OneLogin',
    certificate: { metadata: 'crewjam-saml__TestSPCanHandleOneloginResponse_IDPMetadata', sameEntity: true },
    mapping: { email: 'User.email', firstName: 'User.FirstName', lastName: 'User.LastName', groups: 'memberOf' },
    verdict: 'ok',
    // memberOf arrives empty: no groups.
    profile: { email: 'ross@kndr.org', firstName: 'Ross', lastName: 'Kinder', subject: 'ross@kndr.org' },
    attributes: ['PersonImmutableID', 'User.FirstName', 'User.LastName', 'User.email', 'memberOf'],
    xmlsec1: 'good',
    why: 'response and assertion signed (rsa-sha1)',
  },
  'dexidp-dex__okta-resp.xml': {
    vendor: 'Okta',
    certificate: 'keyinfo',
    mapping: { email: 'email', firstName: 'Name', groups: 'groups' },
    verdict: 'ok',
    profile: { email: 'eric.chiang+okta@coreos.com', firstName: 'Eric', groups: ['Everyone', 'Admins'], subject: 'eric.chiang+okta@coreos.com' },
    attributes: ['Name', 'email', 'groups'],
    xmlsec1: 'good',
    why: 'rsa-sha256; persistent NameID, email attribute',
  },
  'russellhaering-gosaml2__adfs_response.b64': {
    vendor: 'Microsoft ADFS',
    certificate: 'keyinfo',
    // ADFS's usual claim for the email; this one sends it only as the NameID.
    mapping: { email: `${CLAIMS}emailaddress`, firstName: `${CLAIMS}givenname`, lastName: `${CLAIMS}surname` },
    verdict: 'ok',
    profile: { email: 'paul@spstest2.com', firstName: 'paul', lastName: 'fraley', subject: 'paul@spstest2.com' },
    attributes: [`${CLAIMS}givenname`, `${CLAIMS}surname`],
    xmlsec1: 'good',
    why: 'assertion signed (rsa-sha256); email only as an emailAddress NameID',
  },
  'russellhaering-gosaml2__response_0': {
    vendor: 'saml.oktadev.com',
    // The same test certificate as php-saml's idp_metadata2.xml (another entity ID): the
    // certificate is that metadata's, the issuer the response's.
    certificate: { metadata: 'SAML-Toolkits-php-saml__idp_metadata2.xml', sameEntity: false },
    mapping: { email: 'Email', firstName: 'FirstName', lastName: 'LastName' },
    verdict: 'ok',
    profile: { email: 'jane.doe@example.com', firstName: 'Jane', lastName: 'Doe', subject: 'jane.doe@example.com' },
    attributes: ['Email', 'FirstName', 'LastName', 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'],
    xmlsec1: 'good',
    why: 'IdP-initiated (no InResponseTo), response signed (rsa-sha1)',
  },
  'ssoready-ssoready__adfs__assertion.xml': {
    vendor: 'Microsoft Entra ID',
    certificate: 'keyinfo',
    mapping: { email: `${CLAIMS}emailaddress`, firstName: `${CLAIMS}givenname`, lastName: `${CLAIMS}surname` },
    verdict: 'ok',
    // A guest: the NameID is the #EXT# UPN, the email claim the real address.
    profile: {
      email: 'ulysse.carion@codomaindata.com',
      firstName: 'Ulysse',
      lastName: 'Carion',
      subject: 'ulysse.carion_codomaindata.com#EXT#@ulyssecarioncodomaindata.onmicrosoft.com',
    },
    attributes: [
      'http://schemas.microsoft.com/claims/authnmethodsreferences',
      'http://schemas.microsoft.com/identity/claims/displayname',
      'http://schemas.microsoft.com/identity/claims/identityprovider',
      'http://schemas.microsoft.com/identity/claims/objectidentifier',
      'http://schemas.microsoft.com/identity/claims/tenantid',
      `${CLAIMS}emailaddress`,
      `${CLAIMS}givenname`,
      `${CLAIMS}name`,
      `${CLAIMS}surname`,
    ],
    xmlsec1: 'good',
    why: 'IdP-initiated, assertion signed (rsa-sha256)',
  },
  'ssoready-ssoready__google__assertion.xml': {
    vendor: 'Google Workspace',
    certificate: { metadata: 'ssoready-ssoready__google__metadata.xml', sameEntity: true },
    verdict: 'ok',
    profile: { email: 'ulysse.carion@codomaindata.com', subject: 'ulysse.carion@codomaindata.com' },
    attributes: [],
    xmlsec1: 'good',
    why: 'IdP-initiated; no attributes: the email is the SAML 1.1 unspecified NameID',
  },
  'ssoready-ssoready__keycloak__assertion.xml': {
    vendor: 'Keycloak',
    certificate: { metadata: 'ssoready-ssoready__keycloak__metadata.xml', sameEntity: true },
    mapping: { email: 'email', groups: 'Role' },
    verdict: 'ok',
    profile: {
      email: 'ulysse.carion@ssoready.com',
      groups: ['view-profile', 'manage-account-links', 'default-roles-master', 'manage-account', 'uma_authorization', 'offline_access'],
      subject: 'ulysse.carion@ssoready.com',
    },
    attributes: ['Role'],
    xmlsec1: 'good',
    why: 'response and assertion signed; six Role attributes of one value each',
  },

  // --- Signed and intact, but no email.
  'AzureAD-azure-activedirectory-identitymodel-extensions-for-dotnet__SamlpMessage.xml': {
    vendor: 'NIA eidentita.cz',
    certificate: 'keyinfo',
    verdict: 'missing_email',
    reason: /NameID \(format urn:oasis:names:tc:SAML:2\.0:nameid-format:persistent\) is not an email address/,
    xmlsec1: 'good',
    why: 'no attributes, a persistent NameID',
  },
  'ssoready-ssoready__ping__assertion.xml': {
    vendor: 'PingOne',
    certificate: 'keyinfo',
    verdict: 'missing_email',
    reason: /NameID \(no Format attribute\) is not an email address/,
    xmlsec1: 'good',
    why: 'NameID without Format is an opaque ID; the one attribute (saml_subject) repeats it',
  },

  // --- Signed and intact, but not a usable login.
  'SAML-Toolkits-ruby-saml__starfield_response.xml.base64': {
    vendor: 'Beeline (Starfield)',
    certificate: 'keyinfo',
    verdict: 'response_malformed',
    reason: /no bearer SubjectConfirmation with SubjectConfirmationData/,
    xmlsec1: 'good',
    why: 'the signature verifies, but the bearer confirmation has no Recipient or expiry and there is no Audience',
  },
  'russellhaering-gosaml2__oktaenc_response.b64': {
    vendor: 'Okta',
    certificate: 'keyinfo',
    verdict: 'decryption_failed',
    reason: /encrypted, and this connection has no decryption key/,
    xmlsec1: 'good',
    why: 'EncryptedAssertion for another service provider, validated here without our keys (the Response signature itself verifies)',
  },
  'russellhaering-gosaml2__olgn09_response_08.b64': {
    vendor: 'OneLogin',
    certificate: 'keyinfo',
    verdict: 'decryption_failed',
    reason: /encrypted, and this connection has no decryption key/,
    xmlsec1: 'good',
    why: 'EncryptedAssertion for another service provider, validated here without our keys (the Response signature itself verifies)',
  },
  'AzureAD-azure-activedirectory-identitymodel-extensions-for-dotnet__Saml2TokenFromAAD.xml': {
    vendor: 'Microsoft Entra ID',
    certificate: 'keyinfo',
    verdict: 'response_malformed',
    reason: /bare Assertion/,
    xmlsec1: 'tampered',
    why: 'a bare Assertion, re-spaced after signing (ID = "…"): both find its digest broken (see the test that wraps it)',
  },

  // --- Changed after signing: found by both implementations (the corpus notes do not say so).
  'IdentityPython-pysaml2__simplesamlphp_authnresponse.xml': {
    vendor: 'Feide OpenIdP (SimpleSAMLphp)',
    certificate: 'keyinfo',
    verdict: 'signature_invalid',
    reason: /not even with the key the response names/,
    xmlsec1: 'tampered',
    why: 'the assertion changed after signing',
  },
  'SAML-Toolkits-java-saml__response_long_cert.xml': {
    vendor: 'OneLogin',
    certificate: 'keyinfo',
    verdict: 'signature_invalid',
    reason: /changed after it was signed/,
    xmlsec1: 'tampered',
    why: 'the assertion changed after signing',
  },
  'SAML-Toolkits-ruby-saml__response_with_ampersands.xml': {
    vendor: 'PingFederate',
    certificate: 'keyinfo',
    verdict: 'signature_invalid',
    reason: /not even with the key the response names/,
    xmlsec1: 'tampered',
    why: 'the assertion changed after signing',
  },
  'boxyhq-jackson__saml_response': {
    vendor: 'Google Workspace',
    certificate: { metadata: 'boxyhq-jackson__boxyhq.xml', sameEntity: true },
    verdict: 'signature_invalid',
    reason: /not even with the key the response names/,
    xmlsec1: 'tampered',
    why: 'the response changed after signing',
  },
  'SAML-Toolkits-ruby-saml__adfs_response_sha1.xml': {
    vendor: 'Microsoft ADFS',
    certificate: 'keyinfo',
    verdict: 'signature_invalid',
    reason: /xmldsig-more#rsa-sha1 is not accepted/,
    xmlsec1: 'unknown algorithm',
    why: 'edited: SignatureMethod xmldsig-more#rsa-sha1 and DigestMethod xmlenc#sha1 are URIs no standard defines',
  },

  // --- Dummy certificates, no certificate, unsigned.
  'IdentityPython-pysaml2__eidas_response.xml': {
    vendor: 'eIDAS node',
    certificate: 'keyinfo',
    verdict: 'certificate_mismatch',
    reason: /No configured signing certificate could be read/,
    xmlsec1: 'unknown algorithm',
    why: 'KeyInfo certificate is a dummy ("fQ=="); RSASSA-PSS, which xmlsec1 1.2 does not know',
  },
  'SAML-Toolkits-ruby-saml__open_saml_response.xml': {
    vendor: 'Oracle Identity Manager',
    certificate: 'keyinfo',
    verdict: 'certificate_mismatch',
    reason: /No configured signing certificate could be read/,
    xmlsec1: 'no key',
    why: 'KeyInfo certificate is a dummy ("dfghjkl")',
  },
  'SAML-Toolkits-ruby-saml__simple_saml_php.xml': {
    vendor: 'SimpleSAMLphp',
    certificate: 'keyinfo',
    verdict: 'certificate_mismatch',
    reason: /No configured signing certificate could be read/,
    xmlsec1: 'no key',
    why: 'KeyInfo certificates are truncated dummies',
  },
  'russellhaering-gosaml2__oam_response.xml': {
    vendor: 'Oracle Access Manager',
    certificate: 'none',
    verdict: 'certificate_mismatch',
    reason: /No configured signing certificate could be read/,
    xmlsec1: 'no key',
    why: 'signed, but names no key and the corpus has no metadata for it',
  },
  'crewjam-saml__TestSPRealWorldKeyInfoHasRSAPublicKeyNotX509Cert_response': {
    vendor: 'Dell SecureWorks',
    certificate: 'none',
    verdict: 'certificate_mismatch',
    reason: /signed with a key that is not among the configured signing certificates/,
    // With the RSAKeyValue it carries, the signature verifies: it is the key that is not trusted.
    xmlsec1: 'good',
    why: 'KeyInfo carries an RSAKeyValue, no certificate to configure',
  },
  'SAML-Toolkits-java-saml__redacted_azure_b2c.xml.base64': {
    vendor: 'Azure AD B2C',
    certificate: 'none',
    verdict: 'response_unsigned',
    xmlsec1: 'unsigned',
    why: 'no ds:Signature left after redaction',
  },
  'keycloak-keycloak__KEYCLOAK-3971-8859-2-in-header-authnresponse.xml': {
    vendor: 'Keycloak',
    certificate: 'none',
    verdict: 'response_unsigned',
    xmlsec1: 'unsigned',
    why: 'unsigned (ISO-8859-2)',
  },
};

// ---------------------------------------------------------------------------------------
// Running one

interface Connection {
  /** What the connection trusts (PEM or base64, as metadata or KeyInfo carry it). */
  certificates: string[];
  issuer: string;
}

async function connectionFor(sample: Recorded, source: CertificateSource): Promise<Connection> {
  const facts = readFacts(sample.xml);
  if (source === 'none') return { certificates: [], issuer: facts.issuer };
  if (source === 'keyinfo') {
    const certificate = keyInfoCertificate(sample.xml);
    assert.ok(certificate, 'the response carries a certificate');
    return { certificates: [certificate], issuer: facts.issuer };
  }
  const parsed = await parseSamlMetadata(readFileSync(`${CORPUS}saml-metadata/${source.metadata}`), { now: facts.now });
  assert.ok(parsed.ok, `metadata ${source.metadata}: ${parsed.ok ? '' : parsed.error.code}`);
  if (source.sameEntity) assert.equal(parsed.metadata.entityId, facts.issuer, 'the metadata is this IdP’s');
  else assert.notEqual(parsed.metadata.entityId, facts.issuer);
  assert.ok(parsed.metadata.signingCertificates.length > 0);
  return { certificates: parsed.metadata.signingCertificates.map((c) => c.pem), issuer: facts.issuer };
}

async function validate(
  sample: Recorded,
  connection: Connection,
  mapping: AttributeMapping = { email: 'email' },
  overrides: { form?: string; entityId?: string; now?: Date } = {},
): Promise<SamlValidation> {
  const facts = readFacts(sample.xml);
  return validateSamlResponse({
    samlResponse: overrides.form ?? sample.form,
    sp: { entityId: overrides.entityId ?? facts.audience, acsUrl: facts.acsUrl },
    idp: { entityId: connection.issuer, ssoUrl: 'https://idp.example.com/sso', ssoBinding: 'post', signingCertificates: connection.certificates },
    attributeMapping: mapping,
    expectedRequestId: facts.inResponseTo,
    now: overrides.now ?? facts.now,
    skewMs: SKEW_MS,
  });
}

/** The key xmlsec1 is given: the connection's certificate, the RSAKeyValue the response carries, or none. */
function secondOpinionKey(sample: Recorded, connection: Connection): string | null {
  // Dummy certificates ("fQ==", "dfghjkl", truncated ones) are not given: xmlsec1 could not load them.
  const readable = connection.certificates.find((c) => Buffer.from(c.replace(/-----[A-Z ]+-----|\s+/g, ''), 'base64').length > 100);
  if (readable) return certificatePem(readable);
  if (/<(?:\w+:)?RSAKeyValue>/.test(sample.xml)) return keyValuePem(sample.xml);
  return null;
}

const describeResult = (r: SamlValidation): string => JSON.stringify(r.ok ? r.profile : r.error.details);

/** One byte of the NameID's text inside the signed assertion, changed. */
function flipNameIdByte(xml: string): string {
  const match = /(<(?:\w+:)?NameID\b[^>]*>\s*)([^<])/.exec(xml);
  assert.ok(match, 'a NameID with text');
  const at = match.index + match[1]!.length;
  const original = xml[at]!;
  const flipped = original === 'x' ? 'y' : 'x';
  return `${xml.slice(0, at)}${flipped}${xml.slice(at + 1)}`;
}

// ---------------------------------------------------------------------------------------

describe('recorded SAML responses from real IdPs (idp-corpus/saml-responses)', () => {
  const files = readdirSync(`${CORPUS}saml-responses`).sort();

  it('has an expectation for every recorded response', () => {
    assert.deepEqual(files, Object.keys(SAMPLES).sort());
  });

  for (const file of files) {
    const expected = SAMPLES[file]!;
    const source = expected.certificate;
    const trust = source === 'keyinfo' ? 'certificate from its own KeyInfo (no metadata in the corpus)' : source === 'none' ? 'no certificate' : `certificate from ${source.metadata}`;
    it(`${expected.vendor}, ${file}: ${expected.verdict} (${expected.why}; ${trust}); xmlsec1: ${expected.xmlsec1}`, async () => {
      const sample = loadResponse(file);
      const connection = await connectionFor(sample, source);
      const result = await validate(sample, connection, expected.mapping);
      assert.equal(result.ok ? 'ok' : result.error.code, expected.verdict, describeResult(result));
      if (result.ok) {
        assert.deepEqual(result.profile, expected.profile);
        assert.deepEqual(Object.keys(result.rawAttributes).sort(), expected.attributes);
        assert.equal(result.issuer, connection.issuer);
      } else {
        assert.equal(result.error.message, TEST_FAILURES[result.error.code].message);
        if (expected.reason) assert.match(String(result.error.details?.reason), expected.reason);
      }
      await assertXmlsec1Verdict(sample.xml, secondOpinionKey(sample, connection), expected.xmlsec1);
      // With a connection it was not made for (another SP and IdP, another clock): a coded refusal, never a throw.
      const other = await validateSamlResponse({
        samlResponse: sample.form,
        sp: { entityId: 'https://app.example.com/saml', acsUrl: 'https://app.example.com/acs' },
        idp: { entityId: 'https://idp.example.com', ssoUrl: 'https://idp.example.com/sso', ssoBinding: 'redirect', signingCertificates: connection.certificates },
        attributeMapping: { email: 'email' },
        expectedRequestId: null,
        now: new Date('2026-11-29T12:00:00.000Z'),
      });
      assert.ok(!other.ok && Object.hasOwn(TEST_FAILURES, other.error.code), describeResult(other));
    });
  }

  // xmlsec1 reports the first failure it meets, the reference digest; ours checks the signature
  // over SignedInfo first (cheap, with every key): both refuse it as broken.
  it('the Entra ID assertion that arrived bare, wrapped in a Response: signature_invalid (xmlsec1: digest mismatch)', async () => {
    const sample = loadResponse('AzureAD-azure-activedirectory-identitymodel-extensions-for-dotnet__Saml2TokenFromAAD.xml');
    const facts = readFacts(sample.xml);
    const wrapped =
      `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_wrapper" Version="2.0" IssueInstant="${facts.now.toISOString()}">` +
      '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>' +
      `${sample.xml.replace(/^\s*<\?xml[^>]*\?>\s*/, '')}</samlp:Response>`;
    const result = await validate({ ...sample, xml: wrapped }, await connectionFor(sample, 'keyinfo'), { email: 'email' }, { form: toFormValue(wrapped) });
    assert.equal(result.ok ? 'ok' : result.error.code, 'signature_invalid', describeResult(result));
    assert.match(String(!result.ok && result.error.details?.reason), /not even with the key the response names/);
  });

  it('a response signed only by an RSAKeyValue is refused whatever certificate is configured', async () => {
    const sample = loadResponse('crewjam-saml__TestSPRealWorldKeyInfoHasRSAPublicKeyNotX509Cert_response');
    const other = await createSigningKey('Another IdP');
    const result = await validate(sample, { certificates: [other.certPem], issuer: readFacts(sample.xml).issuer });
    assert.equal(result.ok ? 'ok' : result.error.code, 'certificate_mismatch', describeResult(result));
  });
});

describe('each accepted recorded response, altered', () => {
  const accepted = Object.entries(SAMPLES).filter(([, e]) => e.verdict === 'ok');

  it('covers OneLogin, Okta, ADFS, Entra ID, Google and Keycloak', () => {
    assert.deepEqual(
      [...new Set(accepted.map(([, e]) => e.vendor))].sort(),
      ['Google Workspace', 'Keycloak', 'Microsoft ADFS', 'Microsoft Entra ID', 'Okta', 'OneLogin', 'saml.oktadev.com'],
    );
  });

  for (const [file, expected] of accepted) {
    describe(`${expected.vendor}, ${file}`, () => {
      let sample: Recorded;
      let connection: Connection;
      before(async () => {
        sample = loadResponse(file);
        connection = await connectionFor(sample, expected.certificate);
      });

      it('a byte of the NameID in the signed assertion changed: signature_invalid (xmlsec1: tampered)', async () => {
        const tampered = flipNameIdByte(sample.xml);
        assert.notEqual(tampered, sample.xml);
        const result = await validate(sample, connection, expected.mapping, { form: toFormValue(tampered) });
        assert.equal(result.ok ? 'ok' : result.error.code, 'signature_invalid', describeResult(result));
        assert.match(String(!result.ok && result.error.details?.reason), /changed after it was signed/);
        await assertXmlsec1Verdict(tampered, secondOpinionKey(sample, connection), 'tampered');
      });

      it('our entity ID is not its audience: audience_mismatch, naming the audience received', async () => {
        const facts = readFacts(sample.xml);
        const result = await validate(sample, connection, expected.mapping, { entityId: 'https://another-sp.example/saml/metadata' });
        assert.equal(result.ok ? 'ok' : result.error.code, 'audience_mismatch', describeResult(result));
        assert.deepEqual(!result.ok && result.error.details?.receivedAudience, [facts.audience]);
      });

      it('our clock past its NotOnOrAfter (and the allowed skew): assertion_expired', async () => {
        const facts = readFacts(sample.xml);
        const earliest = facts.notOnOrAfter[0];
        assert.ok(earliest !== undefined, 'the assertion has a NotOnOrAfter');
        // At the last moment it is still valid; one second later it is not.
        const lastMoment = await validate(sample, connection, expected.mapping, { now: new Date(earliest + SKEW_MS - 1000) });
        assert.equal(lastMoment.ok, true, describeResult(lastMoment));
        const result = await validate(sample, connection, expected.mapping, { now: new Date(earliest + SKEW_MS) });
        assert.equal(result.ok ? 'ok' : result.error.code, 'assertion_expired', describeResult(result));
        assert.equal(!result.ok && Date.parse(String(result.error.details?.notOnOrAfter)), earliest);
      });
    });
  }
});

// ---------------------------------------------------------------------------------------

describe('an IdP that sends the email only as the NameID (responses signed here)', () => {
  const SP = { entityId: 'https://sso.example.test/saml/metadata', acsUrl: 'https://sso.example.test/saml/acs' };
  const IDP = 'https://idp.example.test/metadata';
  const NOW = new Date('2026-11-29T12:00:00.000Z');
  let key: TestIdpKey;
  before(async () => {
    key = await createSigningKey('NameID IdP');
  });

  /** A response signed by `key` whose NameID is `nameId` with `format` (null: no Format attribute), and no attributes. */
  function signed(nameId: string, format: string | null, attributes: Record<string, string[]> = {}): string {
    let xml = buildResponseXml({ now: NOW, issuer: IDP, acsUrl: SP.acsUrl, audience: SP.entityId, inResponseTo: '_req1', nameId, nameIdFormat: format ?? 'none', attributes });
    if (format === null) xml = xml.replace(' Format="none"', '');
    return signResponse(xml, { key, sign: 'assertion' });
  }

  function run(xml: string): Promise<SamlValidation> {
    return validateSamlResponse({
      samlResponse: toFormValue(xml),
      sp: SP,
      idp: { entityId: IDP, ssoUrl: 'https://idp.example.test/sso', ssoBinding: 'post', signingCertificates: [key.certBase64] },
      attributeMapping: { email: 'email' },
      expectedRequestId: '_req1',
      now: NOW,
    });
  }

  const EMAIL_FORMATS: [string, string | null][] = [
    ['emailAddress (SAML 1.1)', 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'],
    ['unspecified (SAML 1.1)', 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified'],
    ['unspecified (SAML 1.0 URN, sent by some IdPs)', 'urn:oasis:names:tc:SAML:1.0:nameid-format:unspecified'],
    ['no Format attribute', null],
  ];
  for (const [label, format] of EMAIL_FORMATS) {
    it(`NameID ${label}: accepted, the email is the NameID`, async () => {
      const xml = signed('ada.lovelace@megacorp.test', format);
      assert.equal(format === null, !/<saml:NameID Format=/.test(xml));
      const result = await run(xml);
      assert.equal(result.ok ? 'ok' : result.error.code, 'ok', describeResult(result));
      assert.deepEqual(result.profile, { email: 'ada.lovelace@megacorp.test', subject: 'ada.lovelace@megacorp.test' });
      await assertXmlsec1Verdict(xml, key.certPem, 'good');
    });
  }

  it('an email attribute, when mapped and sent, wins over an email-shaped NameID', async () => {
    const result = await run(signed('ada.lovelace@megacorp.test', 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified', { email: ['ada@megacorp.test'] }));
    assert.deepEqual(result.ok && result.profile, { email: 'ada@megacorp.test', subject: 'ada.lovelace@megacorp.test' });
  });

  const NOT_EMAIL: [string, string, string | null, RegExp][] = [
    ['a persistent opaque ID', 'a1b2c3d4-e5f6-4711-8899-aabbccddeeff', 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent', /NameID \(format urn:oasis:names:tc:SAML:2\.0:nameid-format:persistent\) is not an email address/],
    ['a transient ID', '_0f1e2d3c4b5a', 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient', /NameID \(format urn:oasis:names:tc:SAML:2\.0:nameid-format:transient\) is not an email address/],
    ['a user name, SAML 1.1 unspecified', 'alovelace', 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified', /NameID \(format urn:oasis:names:tc:SAML:1\.1:nameid-format:unspecified\) is not an email address/],
    ['a user name, SAML 1.0 unspecified', 'alovelace', 'urn:oasis:names:tc:SAML:1.0:nameid-format:unspecified', /NameID \(format urn:oasis:names:tc:SAML:1\.0:nameid-format:unspecified\) is not an email address/],
    ['a user name, no Format', 'alovelace', null, /NameID \(no Format attribute\) is not an email address/],
    ['an email in a persistent NameID', 'ada.lovelace@megacorp.test', 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent', /looks like an email address, but its format is urn:oasis:names:tc:SAML:2\.0:nameid-format:persistent/],
  ];
  for (const [label, nameId, format, reason] of NOT_EMAIL) {
    it(`NameID ${label}, no email attribute: missing_email, naming the NameID format received`, async () => {
      const result = await run(signed(nameId, format));
      assert.equal(result.ok ? 'ok' : result.error.code, 'missing_email', describeResult(result));
      assert.ok(!result.ok);
      assert.equal(result.error.message, TEST_FAILURES.missing_email.message);
      assert.match(String(result.error.details?.reason), reason);
      assert.equal(result.error.details?.receivedNameIdFormat, format ?? undefined);
      assert.equal(result.error.details?.expectedAttribute, 'email');
      // The profile still shows who logged in.
      assert.equal(result.profile?.subject, nameId);
    });
  }
});
