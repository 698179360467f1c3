// parseSamlMetadata and parseCertificate in plain Node 20, through the package's exports map
// (the build in dist/: `npm run build:lib` first), on the IdP corpus in test/fixtures/idp-corpus
// (see its INDEX.md). Expected values were read from the files themselves; certificate facts are
// cross-checked against node:crypto's own X.509 parser.
import assert from 'node:assert/strict';
import { X509Certificate, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import {
  CERTIFICATE_ERRORS,
  CERTIFICATE_ERROR_CODES,
  METADATA_ERRORS,
  METADATA_ERROR_CODES,
  METADATA_WARNINGS,
  METADATA_WARNING_CODES,
  SAML_BINDING_URNS,
  SAML_METADATA_MAX_BYTES,
  parseCertificate,
  parseSamlMetadata,
} from 'sso-admin-portal/core';

const bytes = (path) => readFileSync(new URL(`../fixtures/idp-corpus/${path}`, import.meta.url));
const text = (path) => bytes(path).toString('utf8');

/** A fixed clock, so that expiry warnings do not change with the date the tests run. */
const NOW = new Date('2026-11-29T12:00:00Z');
const { redirect: REDIRECT, post: POST, soap: SOAP } = SAML_BINDING_URNS;

function codes(warnings) {
  return warnings.map((w) => w.code);
}

/** The two shapes every result must have, checked in depth. */
function assertMetadataShape(result) {
  assert.equal(typeof result, 'object');
  if (result.ok === true) {
    const m = result.metadata;
    assert.equal(typeof m.entityId, 'string');
    assert.ok(m.entityId.length > 0);
    assert.ok(Array.isArray(m.ssoServices) && m.ssoServices.length > 0);
    for (const s of m.ssoServices) assert.match(s.location, /^https?:\/\//);
    assert.ok(m.signingCertificates.length > 0);
    for (const c of [...m.signingCertificates, ...m.encryptionCertificates]) assertCertificateShape(c);
    assert.ok(Array.isArray(m.nameIdFormats));
    assert.ok(m.validUntil === null || !Number.isNaN(Date.parse(m.validUntil)));
    assert.ok(m.wantAuthnRequestsSigned === null || typeof m.wantAuthnRequestsSigned === 'boolean');
    for (const w of result.warnings) assertWarningShape(w);
  } else {
    assert.equal(result.ok, false);
    assert.ok(METADATA_ERROR_CODES.includes(result.error.code), `unknown code ${result.error.code}`);
    assert.equal(typeof result.error.message, 'string');
    assert.ok(result.error.message.length > 0);
    assert.equal(result.error.remedy, METADATA_ERRORS[result.error.code].remedy);
  }
}

function assertCertificateShape(c) {
  assert.match(c.pem, /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+\n-----END CERTIFICATE-----$/);
  assert.match(c.fingerprintSha256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  assert.ok(!Number.isNaN(Date.parse(c.notBefore)) && !Number.isNaN(Date.parse(c.notAfter)));
  assert.equal(typeof c.subject, 'string');
  assert.equal(typeof c.issuer, 'string');
  assert.equal(typeof c.keyAlgorithm, 'string');
  assert.ok(c.keySize === null || Number.isInteger(c.keySize));
  assert.equal(typeof c.signatureAlgorithm, 'string');
}

function assertWarningShape(w) {
  assert.ok(METADATA_WARNING_CODES.includes(w.code), `unknown warning ${w.code}`);
  assert.equal(typeof w.message, 'string');
  assert.ok(w.message.length > 0);
}

function assertCertificateResultShape(result) {
  if (result.ok === true) {
    assertCertificateShape(result.certificate);
    for (const w of result.warnings) assertWarningShape(w);
  } else {
    assert.equal(result.ok, false);
    assert.ok(CERTIFICATE_ERROR_CODES.includes(result.error.code), `unknown code ${result.error.code}`);
    assert.ok(result.error.message.length > 0);
    assert.equal(result.error.remedy, CERTIFICATE_ERRORS[result.error.code].remedy);
  }
}

async function ok(input, options = {}) {
  const result = await parseSamlMetadata(input, { now: NOW, ...options });
  assertMetadataShape(result);
  assert.equal(result.ok, true, result.ok ? '' : `${result.error.code}: ${result.error.message}`);
  return result;
}

async function refused(input, code, options = {}) {
  const result = await parseSamlMetadata(input, { now: NOW, ...options });
  assertMetadataShape(result);
  assert.equal(result.ok, false, `expected ${code}, got metadata for ${result.metadata?.entityId}`);
  assert.equal(result.error.code, code, result.error.message);
  return result.error;
}

before(async () => {
  // Load the lazily imported reader, XML parser and ASN.1 decoder once, so that the timings
  // below measure the parsing, not the first module load.
  await ok(text('saml-metadata/ssoready-ssoready__okta__metadata.xml'));
});

// ---------------------------------------------------------------------------------------
// Real identity providers

/**
 * Every real IdP metadata file: entity ID, one SSO endpoint that must be listed, the number of
 * distinct SSO endpoints, signing and encryption certificates. Read from the files.
 */
const REAL_IDPS = [
  ['saml-metadata/AzureAD-azure-activedirectory-identitymodel-extensions-for-dotnet__adfs-v2-metadata.xml', 'http://fs.msidlab7.com/adfs/services/trust', REDIRECT, 'https://fs.msidlab7.com/adfs/ls/', 2, 1, 1],
  ['saml-metadata/AzureAD-azure-activedirectory-identitymodel-extensions-for-dotnet__adfs-v3-metadata.xml', 'http://fs.msidlab2.com/adfs/services/trust', POST, 'https://fs.msidlab2.com/adfs/ls/', 2, 1, 1],
  ['saml-metadata/AzureAD-azure-activedirectory-identitymodel-extensions-for-dotnet__idp-metadata.xml', 'https://idp.msidlab13.com/idp/shibboleth', REDIRECT, 'https://idp.msidlab13.com/idp/profile/SAML2/Redirect/SSO', 4, 1, 1],
  ['saml-metadata/IdentityPython-pysaml2__metadata_example.xml', 'http://xenosmilus.umdc.umu.se/simplesaml/saml2/idp/metadata.php', REDIRECT, 'http://xenosmilus.umdc.umu.se/simplesaml/saml2/idp/metadata.php', 1, 1, 1],
  ['saml-metadata/SAML-Toolkits-php-saml__FederationMetadata.xml', 'http://idp.adfs.example.com/adfs/services/trust', REDIRECT, 'https://idp.adfs.example.com/adfs/ls/', 2, 1, 1],
  ['saml-metadata/SAML-Toolkits-php-saml__idp_metadata2.xml', 'urn:example:idp', REDIRECT, 'http://idp.example.com', 1, 1, 0],
  ['saml-metadata/SAML-Toolkits-php-saml__idp_metadata_different_sign_and_encrypt_cert.xml', 'https://app.onelogin.com/saml/metadata/383123', REDIRECT, 'https://app.onelogin.com/trust/saml2/http-post/sso/383123', 3, 1, 1],
  ['saml-metadata/SAML-Toolkits-php-saml__onelogin_metadata.xml', 'https://app.onelogin.com/saml/metadata/645460', REDIRECT, 'https://example.onelogin.com/trust/saml2/http-redirect/sso/645460', 3, 1, 0],
  ['saml-metadata/SAML-Toolkits-ruby-saml__idp_descriptor.xml', 'https://hello.example.com/access/saml/idp.xml', REDIRECT, 'https://hello.example.com/access/saml/login', 1, 1, 1],
  ['saml-metadata/SAML-Toolkits-ruby-saml__idp_descriptor_5.xml', 'https://hello.example.com/access/saml/idp.xml', REDIRECT, 'https://hello.example.com/access/saml/login', 1, 1, 1],
  ['saml-metadata/Sustainsys-Saml2__ReadEntityDescriptor_ADFS.xml', 'http://adfs.server.url/adfs/services/trust', POST, 'https://adfs.server.url/adfs/ls/', 2, 1, 1],
  ['saml-metadata/Sustainsys-Saml2__ReadIDPSSODescriptor_Large.xml', 'https://stubidp.sustainsys.com/Metadata', POST, 'https://stubidp.sustainsys.com/', 2, 1, 1],
  ['saml-metadata/boxyhq-jackson__boxyhq.xml', 'https://accounts.google.com/o/saml2', REDIRECT, 'https://accounts.google.com/o/saml2', 2, 1, 0],
  ['saml-metadata/boxyhq-jackson__example.xml', 'urn:dev-tyj7qyzz.auth0.com', POST, 'https://dev-tyj7qyzz.auth0.com/samlp/AX3jRN4ECnojiEepVjvM7yVCEcpVX6w6', 2, 1, 0],
  ['saml-metadata/crewjam-saml__SP_IDPMetadata', 'https://idp.testshib.org/idp/shibboleth', REDIRECT, 'https://idp.testshib.org/idp/profile/SAML2/Redirect/SSO', 4, 1, 1],
  ['saml-metadata/crewjam-saml__TestGetArtifactBindingLocation_IDPMetadata', 'https://samltest.id/saml/idp', REDIRECT, 'https://samltest.id/idp/profile/SAML2/Redirect/SSO', 5, 2, 1],
  ['saml-metadata/crewjam-saml__TestSPCanHandleOneloginResponse_IDPMetadata', 'https://app.onelogin.com/saml/metadata/503983', POST, 'https://app.onelogin.com/trust/saml2/http-post/sso/503983', 2, 1, 0],
  ['saml-metadata/crewjam-saml__TestSPCanHandlePlaintextResponse_IDPMetadata', 'https://accounts.google.com/o/saml2?idpid=C02dfl1r1', POST, 'https://accounts.google.com/o/saml2/idp?idpid=C02dfl1r1', 1, 1, 0],
  ['saml-metadata/crewjam-saml__TestServiceProviderCanHandleSignedAssertionsResponse_IDPMetadata', 'http://idp.example.com/metadata.php', REDIRECT, 'https://app.onelogin.com/trust/saml2/http-post/sso/503983', 3, 1, 0],
  ['saml-metadata/goauthentik-authentik__idp_metadata.xml', 'https://saml.company/idp', REDIRECT, 'https://saml.company/login/saml/', 2, 1, 0],
  ['saml-metadata/simplesamlphp-saml2__valid-metadata-selfsigned.xml', 'https://idp.example.org/saml2/idp/metadata.php', REDIRECT, 'https://idp.example.org/saml2/idp/SSOService.php', 1, 1, 1],
  ['saml-metadata/ssoready-ssoready__google__metadata.xml', 'https://accounts.google.com/o/saml2?idpid=C029op2ga', REDIRECT, 'https://accounts.google.com/o/saml2/idp?idpid=C029op2ga', 2, 1, 0],
  ['saml-metadata/ssoready-ssoready__jumpcloud__metadata.xml', 'IdP Entity ID', POST, 'https://sso.jumpcloud.com/saml2/ucariontest', 1, 1, 0],
  ['saml-metadata/ssoready-ssoready__keycloak__metadata.xml', 'http://localhost:8085/realms/master', REDIRECT, 'http://localhost:8085/realms/master/protocol/saml', 4, 1, 0],
  ['saml-metadata/ssoready-ssoready__okta__metadata.xml', 'http://www.okta.com/exkdoocxa1VmjpXmX697', REDIRECT, 'https://trial-1022863.okta.com/app/trial-1022863_oktalocalhostbis_1/exkdoocxa1VmjpXmX697/sso/saml', 2, 1, 0],
  ['saml-metadata/tngan-samlify__idpmeta_nosign.xml', 'https://idp.example.com/metadata', POST, 'https://idp.example.org/sso/SingleSignOnService', 3, 1, 0],
  // Aggregates holding a single SAML 2.0 identity provider: it is picked.
  ['saml-aggregate/IdentityPython-pysaml2__urn-mace-swami.se-swamid-test-1.0-metadata.xml', 'https://idp.umu.se/saml2/idp/metadata.php', REDIRECT, 'https://idp.umu.se/saml2/idp/SSOService.php', 1, 1, 1],
  ['saml-aggregate/SAML-Toolkits-java-saml__metadata_entities.xml', 'https://testidp.funet.fi/idp/shibboleth', REDIRECT, 'https://testidp.funet.fi/idp/profile/SAML2/Redirect/SSO', 2, 1, 1],
  ['saml-aggregate/Sustainsys-Saml2__SingleIdpInEntitiesDescriptor.xml', 'http://idp.federation.example.com/metadata', REDIRECT, 'http://idp.federation.example.com/ssoService', 1, 1, 1],
  ['saml-aggregate/crewjam-saml__testshib_metadata.xml', 'https://idp.testshib.org/idp/shibboleth', POST, 'https://idp.testshib.org/idp/profile/SAML2/POST/SSO', 4, 1, 1],
];

describe('parseSamlMetadata: real identity provider metadata', () => {
  for (const [file, entityId, binding, location, ssoCount, signing, encryption] of REAL_IDPS) {
    it(`${file.split('/')[1]}: ${entityId}, ${ssoCount} SSO endpoint(s), ${signing} signing / ${encryption} encryption certificate(s)`, async () => {
      const { metadata } = await ok(text(file));
      assert.equal(metadata.entityId, entityId);
      assert.ok(
        metadata.ssoServices.some((s) => s.binding === binding && s.location === location),
        `missing ${binding} ${location} in ${JSON.stringify(metadata.ssoServices)}`,
      );
      assert.equal(metadata.ssoServices.length, ssoCount);
      assert.equal(metadata.signingCertificates.length, signing);
      assert.equal(metadata.encryptionCertificates.length, encryption);
    });
  }

  it('reads the same metadata from a file’s bytes (Uint8Array or ArrayBuffer) as from its text', async () => {
    for (const [file, entityId] of REAL_IDPS.slice(0, 8)) {
      const { metadata } = await ok(bytes(file));
      assert.equal(metadata.entityId, entityId);
      const copy = new Uint8Array(bytes(file)).buffer;
      assert.equal((await ok(copy)).metadata.entityId, entityId);
    }
  });

  it('matches node:crypto on every certificate: fingerprint, validity, key size, subject', async () => {
    let checked = 0;
    for (const [file] of REAL_IDPS) {
      const { metadata } = await ok(text(file));
      for (const cert of [...metadata.signingCertificates, ...metadata.encryptionCertificates]) {
        const reference = new X509Certificate(cert.pem);
        assert.equal(cert.fingerprintSha256, reference.fingerprint256, file);
        assert.equal(cert.notAfter, new Date(reference.validTo).toISOString(), file);
        assert.equal(cert.notBefore, new Date(reference.validFrom).toISOString(), file);
        if (cert.keyAlgorithm === 'RSA') assert.equal(cert.keySize, reference.publicKey.asymmetricKeyDetails.modulusLength, file);
        // node:crypto prints one attribute a line, in certificate order; ours is RFC 4514 (reversed).
        const cn = /^CN=(.*)$/m.exec(reference.subject)?.[1];
        if (cn) assert.ok(cert.subject.includes(`CN=${cn.replace(/([,+"\\<>;=])/g, '\\$1')}`), `${cert.subject} vs ${cn}`);
        checked++;
      }
    }
    assert.ok(checked >= 40, `only ${checked} certificates checked`);
  });

  it('fingerprints the exact bytes of the X509Certificate element', async () => {
    const xml = text('saml-metadata/ssoready-ssoready__okta__metadata.xml');
    const base64 = /<ds:X509Certificate>([\s\S]*?)<\/ds:X509Certificate>/.exec(xml)[1].replace(/\s+/g, '');
    const expected = createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex').toUpperCase().match(/../g).join(':');
    const { metadata } = await ok(xml);
    assert.equal(metadata.signingCertificates[0].fingerprintSha256, expected);
    assert.equal(expected, '21:D5:E6:FF:D3:60:7D:88:BD:8E:EE:5F:97:9F:CB:E9:C3:A3:08:BF:E8:E4:42:A4:41:36:AB:60:B9:21:6B:CF');
  });

  it('describes a certificate the way an admin checks it', async () => {
    const { metadata } = await ok(text('saml-metadata/ssoready-ssoready__okta__metadata.xml'));
    const cert = metadata.signingCertificates[0];
    assert.equal(cert.subject, 'E=info@okta.com, CN=trial-1022863, OU=SSOProvider, O=Okta, L=San Francisco, ST=California, C=US');
    assert.equal(cert.issuer, cert.subject);
    assert.equal(cert.selfSigned, true);
    assert.equal(cert.notBefore, '2024-04-25T20:30:02.000Z');
    assert.equal(cert.notAfter, '2034-04-25T20:31:02.000Z');
    assert.equal(cert.keyAlgorithm, 'RSA');
    assert.equal(cert.keySize, 2048);
    assert.equal(cert.signatureAlgorithm, 'sha256WithRSAEncryption');
    assert.equal(metadata.nameIdFormats[0], 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress');
    assert.equal(metadata.wantAuthnRequestsSigned, false);
    assert.equal(metadata.validUntil, null);
  });

  it('keeps every signing certificate of a rollover, and separates signing from encryption', async () => {
    const { metadata } = await ok(text('saml-metadata/crewjam-saml__TestGetArtifactBindingLocation_IDPMetadata'));
    const [a, b] = metadata.signingCertificates;
    assert.notEqual(a.fingerprintSha256, b.fingerprintSha256);
    assert.ok(!metadata.encryptionCertificates.some((c) => c.fingerprintSha256 === a.fingerprintSha256 || c.fingerprintSha256 === b.fingerprintSha256));
    const split = await ok(text('saml-metadata/SAML-Toolkits-php-saml__idp_metadata_different_sign_and_encrypt_cert.xml'));
    assert.notEqual(split.metadata.signingCertificates[0].fingerprintSha256, split.metadata.encryptionCertificates[0].fingerprintSha256);
  });

  it('counts a KeyDescriptor without `use` as signing and encryption', async () => {
    const { metadata } = await ok(text('saml-aggregate/Sustainsys-Saml2__SingleIdpInEntitiesDescriptor.xml'));
    assert.equal(metadata.signingCertificates[0].fingerprintSha256, metadata.encryptionCertificates[0].fingerprintSha256);
  });

  it('reads WantAuthnRequestsSigned, validUntil and the NameID formats', async () => {
    const keycloak = await ok(text('saml-metadata/ssoready-ssoready__keycloak__metadata.xml'));
    assert.equal(keycloak.metadata.wantAuthnRequestsSigned, true);
    assert.equal(keycloak.metadata.nameIdFormats.length, 4);
    const samlify = await ok(text('saml-metadata/tngan-samlify__idpmeta_nosign.xml'));
    assert.equal(samlify.metadata.wantAuthnRequestsSigned, null);
    assert.equal(samlify.metadata.nameIdFormats.length, 8);
    const google = await ok(text('saml-metadata/ssoready-ssoready__google__metadata.xml'));
    assert.equal(google.metadata.validUntil, '2028-07-19T17:28:34.000Z');
  });

  it('removes duplicate SSO endpoints (same binding and location)', async () => {
    const { metadata } = await ok(text('saml-metadata/crewjam-saml__TestSPCanHandlePlaintextResponse_IDPMetadata'));
    assert.deepEqual(metadata.ssoServices, [{ binding: POST, location: 'https://accounts.google.com/o/saml2/idp?idpid=C02dfl1r1' }]);
  });
});

// ---------------------------------------------------------------------------------------
// What real IdPs export: BOMs, whitespace, prefixes, odd encodings

describe('parseSamlMetadata: input as IdPs export it', () => {
  const okta = () => text('saml-metadata/ssoready-ssoready__okta__metadata.xml');
  const OKTA_ID = 'http://www.okta.com/exkdoocxa1VmjpXmX697';

  it('skips a BOM and leading whitespace, in text and in bytes', async () => {
    assert.equal((await ok(`\uFEFF\r\n\n   \t${okta()}`)).metadata.entityId, OKTA_ID);
    assert.equal((await ok(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`\n  ${okta()}`)]))).metadata.entityId, OKTA_ID);
    assert.equal((await ok(text('saml-aggregate/Sustainsys-Saml2__SingleIdpInEntitiesDescriptor.xml'))).metadata.entityId, 'http://idp.federation.example.com/metadata');
  });

  it('sniffs UTF-16 files, with or without a BOM', async () => {
    const xml = okta().replace('encoding="UTF-8"', 'encoding="UTF-16"');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
    assert.equal((await ok(le)).metadata.entityId, OKTA_ID);
    const be = Buffer.from(xml, 'utf16le').swap16();
    assert.equal((await ok(be)).metadata.entityId, OKTA_ID);
  });

  it('matches namespace URIs, never prefixes', async () => {
    const xml = okta();
    assert.match(xml, /<md:EntityDescriptor/);
    // Any prefix bound to the metadata namespace works.
    const renamed = xml.replaceAll('md:', 'saml2md:').replace('xmlns:md=', 'xmlns:saml2md=');
    assert.equal((await ok(renamed)).metadata.entityId, OKTA_ID);
    // The default namespace works (most ADFS and Shibboleth files).
    const unprefixed = xml.replaceAll('<md:', '<').replaceAll('</md:', '</').replace('xmlns:md=', 'xmlns=');
    assert.equal((await ok(unprefixed)).metadata.entityId, OKTA_ID);
    // The usual prefix bound to another namespace is not SAML metadata.
    const wrong = xml.replace('xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"', 'xmlns:md="urn:example:not-saml"');
    const error = await refused(wrong, 'metadata_not_saml');
    assert.equal(error.kind, 'wrong_namespace');
  });

  it('reads base64 with line breaks and indentation inside X509Certificate', async () => {
    const google = await ok(text('saml-metadata/ssoready-ssoready__google__metadata.xml'));
    const flat = text('saml-metadata/ssoready-ssoready__google__metadata.xml').replace(/<ds:X509Certificate>([\s\S]*?)<\/ds:X509Certificate>/, (_, b64) => `<ds:X509Certificate>${b64.replace(/\s+/g, '')}</ds:X509Certificate>`);
    assert.equal((await ok(flat)).metadata.signingCertificates[0].fingerprintSha256, google.metadata.signingCertificates[0].fingerprintSha256);
  });

  it('unwraps a certificate given as base64 of a PEM file, and says so', async () => {
    const { metadata, warnings } = await ok(text('saml-metadata/SAML-Toolkits-ruby-saml__idp_descriptor.xml'));
    assert.ok(codes(warnings).includes('certificate_double_encoded'));
    assert.equal(metadata.signingCertificates[0].keySize, 1024);
  });

  it('accepts a certificate outside the xmldsig namespace, with a warning', async () => {
    const { warnings } = await ok(text('saml-metadata/tngan-samlify__idpmeta_nosign.xml'));
    assert.ok(codes(warnings).includes('metadata_certificate_namespace'));
    const clean = await ok(text('saml-metadata/ssoready-ssoready__okta__metadata.xml'));
    assert.ok(!codes(clean.warnings).includes('metadata_certificate_namespace'));
  });

  it('ignores what is commented out (TestShib’s old signing key)', async () => {
    const xml = text('saml-aggregate/crewjam-saml__testshib_metadata.xml');
    assert.match(xml, /<!-- old signing key/);
    const { metadata } = await ok(xml);
    assert.equal(metadata.signingCertificates.length, 1);
    assert.equal(metadata.displayName, 'TestShib Test IdP');
  });
});

// ---------------------------------------------------------------------------------------
// Aggregates (EntitiesDescriptor)

describe('parseSamlMetadata: aggregates', () => {
  it('asks to choose when several identity providers are listed, with their names', async () => {
    const error = await refused(text('saml-aggregate/SAML-Toolkits-php-saml__shib_metadata.xml'), 'metadata_entity_choice_required');
    assert.deepEqual(error.entities, [
      { entityId: 'https://si-saai.ualg.pt/idp/shibboleth', displayName: 'University of Algarve' },
      { entityId: 'https://idp.fccn.pt/idp/shibboleth', displayName: 'FCT|FCCN' },
    ]);
  });

  it('picks the chosen entity', async () => {
    const xml = text('saml-aggregate/SAML-Toolkits-php-saml__shib_metadata.xml');
    const { metadata } = await ok(xml, { entityId: 'https://idp.fccn.pt/idp/shibboleth' });
    assert.equal(metadata.entityId, 'https://idp.fccn.pt/idp/shibboleth');
    assert.equal(metadata.displayName, 'FCT|FCCN');
    assert.ok(metadata.ssoServices.some((s) => s.location === 'https://idp.fccn.pt/idp/profile/SAML2/Redirect/SSO'));
    const other = await ok(xml, { entityId: '  https://si-saai.ualg.pt/idp/shibboleth ' });
    assert.equal(other.metadata.entityId, 'https://si-saai.ualg.pt/idp/shibboleth');
  });

  it('skips the SP listed first and lists only identity providers (ruby-saml)', async () => {
    const error = await refused(text('saml-aggregate/SAML-Toolkits-ruby-saml__idp_multiple_descriptors.xml'), 'metadata_entity_choice_required');
    assert.deepEqual(error.entities.map((e) => e.entityId), ['https://foo.example.com/access/saml/idp.xml', 'https://bar.example.com/access/saml/idp.xml']);
  });

  it('lists the 8 Sambi identity providers and the 32 SAML 2.0 ones of the 1.3 MB SWITCHaai file', async () => {
    const sambi = await refused(text('saml-aggregate/Sustainsys-Saml2__SambiMetadata.xml'), 'metadata_entity_choice_required');
    assert.equal(sambi.entities.length, 8);
    assert.ok(sambi.entities.some((e) => e.entityId === 'test.broker.service.tieto.com' && e.displayName === 'Tieto IAMaaS Test Broker'));
    const started = performance.now();
    const switchaai = await refused(text('saml-aggregate/IdentityPython-pysaml2__metadata.aaitest.xml'), 'metadata_entity_choice_required');
    assert.ok(performance.now() - started < 3000, 'a 1.3 MB aggregate is read in well under 3 s');
    assert.equal(switchaai.entities.length, 32);
    // Display names are one line, whatever the file's indentation.
    assert.ok(switchaai.entities.some((e) => e.displayName === 'Université de Fribourg Test Home Organization'));
  });

  it('reads one identity provider out of the 1.3 MB SWITCHaai file', async () => {
    const { metadata } = await ok(text('saml-aggregate/IdentityPython-pysaml2__metadata.aaitest.xml'), { entityId: 'https://aai-demo-idp.switch.ch/idp/shibboleth' });
    assert.equal(metadata.entityId, 'https://aai-demo-idp.switch.ch/idp/shibboleth');
    assert.ok(metadata.signingCertificates.length >= 1);
  });

  it('says which entities exist when the chosen one is not there', async () => {
    const error = await refused(text('saml-aggregate/SAML-Toolkits-php-saml__shib_metadata.xml'), 'metadata_entity_not_found', { entityId: 'https://idp.example.org/nope' });
    assert.equal(error.entityId, 'https://idp.example.org/nope');
    assert.equal(error.entities.length, 2);
    assert.match(error.message, /https:\/\/idp\.fccn\.pt\/idp\/shibboleth/);
    // A single EntityDescriptor is checked against the chosen entity ID too.
    await refused(text('saml-metadata/ssoready-ssoready__okta__metadata.xml'), 'metadata_entity_not_found', { entityId: 'http://www.okta.com/other' });
  });

  it('refuses a chosen entity that is an SP, or a SAML 1.x-only IdP', async () => {
    const xml = text('saml-aggregate/IdentityPython-pysaml2__metadata.aaitest.xml');
    await refused(xml, 'metadata_sp_metadata', { entityId: 'https://e5demo.onthehub.com' });
    await refused(xml, 'metadata_saml2_unsupported', { entityId: 'urn:mace:switch.ch:eduport.co.uk' });
  });

  it('reads validUntil from the enclosing EntitiesDescriptor', async () => {
    const { metadata, warnings } = await ok(text('saml-aggregate/SAML-Toolkits-java-saml__metadata_entities.xml'));
    assert.equal(metadata.validUntil, '2018-05-22T10:06:17.000Z');
    assert.ok(codes(warnings).includes('metadata_expired'));
    assert.ok(codes(warnings).includes('metadata_entity_picked'));
  });

  it('refuses an aggregate with no identity provider, or one without certificates', async () => {
    await refused(text('saml-aggregate/IdentityPython-pysaml2__extended.xml'), 'metadata_no_idp');
    await refused(text('saml-aggregate/simplesamlphp-saml2__md_EntitiesDescriptor.xml'), 'metadata_no_signing_certificate');
  });
});

// ---------------------------------------------------------------------------------------
// Refusals: hostile, broken and wrong input

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="&lol9;"/>`;

/** Refused quickly: nothing expanded, nothing fetched. Generous bound for a loaded CI machine. */
async function refusedFast(input, code, options) {
  const started = performance.now();
  const error = await refused(input, code, options);
  const elapsed = performance.now() - started;
  assert.ok(elapsed < 250, `took ${elapsed.toFixed(0)} ms`);
  return error;
}

describe('parseSamlMetadata: hostile input is refused before parsing', () => {
  it('billion laughs', async () => {
    await refusedFast(BILLION_LAUGHS, 'metadata_doctype_forbidden');
  });

  it('external entities (file:// and https://), from the corpus', async () => {
    await refusedFast(text('saml-malicious/SAML-Toolkits-php-saml__UtilsTest.php__attackXXE.xml'), 'metadata_doctype_forbidden');
    await refusedFast(text('saml-malicious/Sustainsys-Saml2__XmlHelperTests.cs__xxe-https-entity.xml'), 'metadata_doctype_forbidden');
  });

  it('a DTD in UTF-16 without a BOM, as bytes and as mis-decoded text', async () => {
    const file = 'saml-malicious/SAML-Toolkits-php-saml__UtilsTest.php__attackXEEutf16.xml';
    await refusedFast(bytes(file), 'metadata_doctype_forbidden');
    await refusedFast(text(file), 'metadata_doctype_forbidden');
  });

  it('a DOCTYPE anywhere, before any well-formedness check (the parser never sees it)', async () => {
    // Damaged XML after the DOCTYPE: had it been parsed, this would be metadata_malformed.
    await refusedFast('<!DOCTYPE x [<!ENTITY a "b">]><md:EntityDescriptor <<<', 'metadata_doctype_forbidden');
    // A DOCTYPE deep inside a large document, and an ENTITY declaration without DOCTYPE.
    const okta = text('saml-metadata/ssoready-ssoready__okta__metadata.xml');
    const deep = okta.replace('</md:EntityDescriptor>', `${'<!-- padding -->\n'.repeat(50_000)}<!DOCTYPE x></md:EntityDescriptor>`);
    assert.ok(deep.length > 800_000);
    await refusedFast(deep, 'metadata_doctype_forbidden');
    await refusedFast(okta.replace('<md:IDPSSODescriptor', '<!ENTITY x SYSTEM "file:///etc/passwd"><md:IDPSSODescriptor'), 'metadata_doctype_forbidden');
  });

  it(`input over SAML_METADATA_MAX_BYTES (${SAML_METADATA_MAX_BYTES} bytes), counted in UTF-8 bytes`, async () => {
    assert.equal(SAML_METADATA_MAX_BYTES, 2 * 1024 * 1024);
    const huge = `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">${' '.repeat(SAML_METADATA_MAX_BYTES)}</md:EntityDescriptor>`;
    const error = await refusedFast(huge, 'metadata_too_large');
    assert.equal(error.limitBytes, SAML_METADATA_MAX_BYTES);
    assert.ok(error.sizeBytes > SAML_METADATA_MAX_BYTES);
    await refusedFast(Buffer.alloc(SAML_METADATA_MAX_BYTES + 1, 0x20), 'metadata_too_large');
    // 800,000 characters of 3 bytes each: fewer characters than the limit, more bytes.
    await refusedFast(`<x>${'€'.repeat(800_000)}</x>`, 'metadata_too_large');
    // 100 MB never gets near the parser either.
    await refusedFast('<'.repeat(100 * 1024 * 1024), 'metadata_too_large');
  });

  it('every SAML message in the malicious corpus (XSW, comment injection, spoofing) is not metadata', async () => {
    const files = [
      'IdentityPython-pysaml2__signed-assertion-random-embedded-cert.xml',
      'IdentityPython-pysaml2__signed-xsw-assertion-wrapper.xml',
      'IdentityPython-pysaml2__signed-xsw-response-in-response-first-sig.xml',
      'SAML-Toolkits-java-saml__response_with_spoofed_response_signature.xml',
      'SAML-Toolkits-ruby-saml__response_with_concealed_signed_assertion.xml',
      'SAML-Toolkits-ruby-saml__response_with_doubled_signed_assertion.xml',
      'dexidp-dex__tampered-resp.xml',
      'simplesamlphp-saml2__signedAssertionReferencedEmbeddedAssertion.xml',
      'ssoready-ssoready__bad-signature-algorithm__assertion.xml',
    ];
    for (const file of files) {
      const error = await refusedFast(text(`saml-malicious/${file}`), 'metadata_not_saml');
      assert.equal(error.kind, 'saml_message', file);
    }
  });

  it('base64-encoded SAML messages, a NUL byte, and two root elements', async () => {
    for (const file of [
      'SAML-Toolkits-ruby-saml__encrypted_new_attack.xml.base64',
      'SAML-Toolkits-ruby-saml__response_node_text_attack.xml.base64',
      'SAML-Toolkits-ruby-saml__signature_wrapping_attack.xml.base64',
      'crewjam-saml__TestSPRejectsInjectedComment_response',
      'crewjam-saml__TestXswPermutationFourIsRejected_response',
      'crewjam-saml__TestXswPermutationOneIsRejected_response',
      'ssoready-ssoready__bad-assertion-utf8__assertion.xml',
    ]) {
      await refusedFast(bytes(`saml-malicious/${file}`), 'metadata_not_xml');
    }
    for (const file of ['node-saml-node-saml__response.root-signed.multiple-root-elements.xml', 'tngan-samlify__attack_response_signed.xml']) {
      const error = await refusedFast(text(`saml-malicious/${file}`), 'metadata_malformed');
      assert.match(error.message, /more than one top-level element/);
      assert.ok(error.line >= 1);
    }
  });

  it('deeply nested elements do not overflow anything', async () => {
    const depth = 50_000;
    const nested = `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">${'<md:EntitiesDescriptor>'.repeat(depth)}${'</md:EntitiesDescriptor>'.repeat(depth)}</md:EntitiesDescriptor>`;
    const result = await parseSamlMetadata(nested, { now: NOW });
    assertMetadataShape(result);
    assert.equal(result.ok, false);
    assert.notEqual(result.error.code, 'metadata_unreadable');
  });
});

describe('parseSamlMetadata: documents past the XML limits are refused before parsing', () => {
  const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
  const entities = (inner) => `<md:EntitiesDescriptor xmlns:md="${MD}">${inner}</md:EntitiesDescriptor>`;
  const nested = (depth) => `${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`;

  it('100,000 nested elements (700 kB): not SAML metadata, saying how deep', async () => {
    const error = await refused(entities(nested(100_000)), 'metadata_not_saml');
    assert.equal(error.kind, 'other_xml');
    assert.match(error.message, /more than 64 levels deep/);
  });

  it('nesting at the limit reaches the parser; one level more does not', async () => {
    // The root counts as a level.
    const atLimit = await refused(entities(nested(63)), 'metadata_no_idp');
    assert.match(atLimit.message, /no entities/);
    assert.match((await refused(entities(nested(64)), 'metadata_not_saml')).message, /levels deep/);
  });

  it('400,000 sibling elements, or floods of comments and references: too large, counted in elements and parts', async () => {
    assert.match((await refused(entities('<a/>'.repeat(400_000)), 'metadata_too_large')).message, /more than 12,000 elements/);
    assert.match((await refused(entities('<!---->'.repeat(250_000)), 'metadata_too_large')).message, /more than 50,000 parts/);
    assert.match((await refused(entities(`<a>${'&amp;'.repeat(300_000)}</a>`), 'metadata_too_large')).message, /parts/);
  });

  it('an attribute flood and overlong names: not SAML metadata', async () => {
    const flood = Array.from({ length: 100_000 }, (_, i) => `a${i}=""`).join(' ');
    assert.match((await refused(entities(`<a ${flood}/>`), 'metadata_not_saml')).message, /more than 128 attributes/);
    assert.match((await refused(entities(`<${'n'.repeat(1_000_000)}/>`), 'metadata_not_saml')).message, /name is longer than 256/);
  });

  it('the 1.3 MB federation aggregate still reads', async () => {
    const { metadata } = await ok(text('saml-aggregate/IdentityPython-pysaml2__metadata.aaitest.xml'), { entityId: 'https://aai-demo-idp.switch.ch/idp/shibboleth' });
    assert.equal(metadata.entityId, 'https://aai-demo-idp.switch.ch/idp/shibboleth');
  });

  it('empty comments before the root do not make the HTML check backtrack (exponential before: 40 of them took hours)', async () => {
    await refused(`${'<!---->'.repeat(40)}x`, 'metadata_malformed');
    const html = await refused(`${'<!---->'.repeat(40)}<html><body>Sign in</body></html>`, 'metadata_not_xml');
    assert.equal(html.kind, 'html');
  });

  it('a certificate of unclosed BEGIN lines is read in one pass (quadratic before: 2 MB took minutes)', async () => {
    const okta = text('saml-metadata/ssoready-ssoready__okta__metadata.xml');
    const lines = '-----BEGIN A-----'.repeat(110_000);
    const xml = okta.replace(/(<ds:X509Certificate>)[^<]*/, `$1${lines}`);
    assert.ok(xml.length > 1_800_000 && xml.length < SAML_METADATA_MAX_BYTES);
    const error = await refused(xml, 'metadata_certificate_invalid');
    assert.match(error.message, /could not be read/);
    // PEM blocks are still found among them.
    const pem = `-----BEGIN CERTIFICATE-----\n${okta.match(/<ds:X509Certificate>([^<]*)</)[1].trim()}\n-----END CERTIFICATE-----`;
    await ok(okta.replace(/(<ds:X509Certificate>)[^<]*/, `$1${'-----BEGIN A-----'.repeat(1000)}${pem}`));
  });
});

describe('parseSamlMetadata: what is not IdP metadata', () => {
  it('an HTML login page, and says so', async () => {
    const page = `<!DOCTYPE html>\n<html lang="en"><head><title>Sign in</title></head><body><form method="post"><input name="username"></form></body></html>`;
    const error = await refused(page, 'metadata_not_xml');
    assert.equal(error.kind, 'html');
    assert.match(error.message, /web page \(HTML\)/);
    assert.match(error.message, /login page/);
    assert.equal((await refused('<html><body>Please log in</body></html>', 'metadata_not_xml')).kind, 'html');
    assert.equal((await refused('<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', 'metadata_not_xml')).kind, 'html');
  });

  it('is not fooled by metadata that mentions <html>', async () => {
    const okta = text('saml-metadata/ssoready-ssoready__okta__metadata.xml');
    await ok(okta.replace('?>', '?><!-- exported from the <html> console -->'));
  });

  it('JSON (an OpenID configuration is recognised), a certificate, plain text, nothing', async () => {
    const oidc = await refused(text('oidc-discovery/panva-wellknown__google.mjs.json'), 'metadata_not_xml');
    assert.equal(oidc.kind, 'json');
    assert.match(oidc.message, /OpenID Connect/);
    assert.equal((await refused('[1, 2, 3]', 'metadata_not_xml')).kind, 'json');
    const okta = await ok(text('saml-metadata/ssoready-ssoready__okta__metadata.xml'));
    assert.equal((await refused(okta.metadata.signingCertificates[0].pem, 'metadata_not_xml')).kind, 'certificate');
    assert.equal((await refused('https://idp.example.com/metadata', 'metadata_not_xml')).kind, 'text');
    assert.equal((await refused('', 'metadata_not_xml')).kind, 'empty');
    assert.equal((await refused(' \n\t\uFEFF ', 'metadata_not_xml')).kind, 'empty');
    assert.equal((await refused(new Uint8Array(), 'metadata_not_xml')).kind, 'empty');
  });

  it('malformed XML: the corrupted corpus file, a cut-off file, a declaration not at the start', async () => {
    await refused(text('saml-metadata/simplesamlphp-saml2__corrupted-metadata-selfsigned.xml'), 'metadata_malformed');
    const okta = text('saml-metadata/ssoready-ssoready__okta__metadata.xml');
    const cut = await refused(okta.slice(0, Math.floor(okta.length / 2)), 'metadata_malformed');
    assert.match(cut.message, /not well-formed|cut off|unclosed/);
    const late = await refused(text('saml-metadata/boxyhq-jackson__boxyhq-nobinding.xml'), 'metadata_malformed');
    assert.match(late.message, /XML declaration/);
    assert.equal(late.line, 2);
  });

  it('XML that is not SAML metadata: SAML responses and assertions, other XML, no namespace', async () => {
    for (const file of [
      'AzureAD-azure-activedirectory-identitymodel-extensions-for-dotnet__Saml2TokenFromAAD.xml',
      'AzureAD-azure-activedirectory-identitymodel-extensions-for-dotnet__SamlpMessage.xml',
      'keycloak-keycloak__KEYCLOAK-3971-8859-2-in-header-authnresponse.xml',
      'ssoready-ssoready__google__assertion.xml',
      'dexidp-dex__okta-resp.xml',
      'crewjam-saml__TestSPRealWorldKeyInfoHasRSAPublicKeyNotX509Cert_response',
    ]) {
      assert.equal((await refused(bytes(`saml-responses/${file}`), 'metadata_not_saml')).kind, 'saml_message', file);
    }
    await refused(bytes('saml-responses/russellhaering-gosaml2__adfs_response.b64'), 'metadata_not_xml');
    assert.equal((await refused('<config><value>1</value></config>', 'metadata_not_saml')).kind, 'other_xml');
    const bare = await refused('<EntityDescriptor entityID="x"><IDPSSODescriptor/></EntityDescriptor>', 'metadata_not_saml');
    assert.equal(bare.kind, 'wrong_namespace');
    assert.match(bare.message, /xmlns="urn:oasis:names:tc:SAML:2\.0:metadata" is missing/);
  });

  it('SP metadata, and our own pasted back', async () => {
    const xml = text('saml-metadata/boxyhq-jackson__invalidssodescriptor.xml');
    const error = await refused(xml, 'metadata_sp_metadata');
    assert.match(error.message, /service provider metadata/);
    const own = await refused(xml, 'metadata_sp_metadata', { spEntityId: 'https://accounts.google.com/o/saml1' });
    assert.match(own.message, /this application’s own metadata/);
  });

  it('missing entityID, no SSO service, no signing certificate, an unreadable certificate', async () => {
    const okta = text('saml-metadata/ssoready-ssoready__okta__metadata.xml');
    await refused(okta.replace(/entityID="[^"]*"/, ''), 'metadata_entity_id_missing');
    await refused(okta.replace(/entityID="[^"]*"/, 'entityID="  "'), 'metadata_entity_id_missing');
    // boxyhq-nobinding, once its two hand-editing mistakes are fixed, has no SingleSignOnService.
    const nobinding = text('saml-metadata/boxyhq-jackson__boxyhq-nobinding.xml')
      .replace('<!-- Without POST/Redirect bindings -->\n', '')
      .replace('xmlns:md=', 'xmlns=');
    const nosso = await refused(nobinding, 'metadata_no_sso_service');
    assert.equal(nosso.message, METADATA_ERRORS.metadata_no_sso_service.message);
    const badLocation = await refused(okta.replaceAll(/Location="[^"]*"/g, 'Location="javascript:alert(1)"'), 'metadata_no_sso_service');
    assert.match(badLocation.message, /none with a Binding and an absolute http\(s\) Location/);
    await refused(okta.replace(/<md:KeyDescriptor[\s\S]*<\/md:KeyDescriptor>/, ''), 'metadata_no_signing_certificate');
    const encryptionOnly = await refused(okta.replace('use="signing"', 'use="encryption"'), 'metadata_no_signing_certificate');
    assert.match(encryptionOnly.message, /only an encryption certificate/);
    const invalid = await refused(text('saml-metadata/keycloak-keycloak__KEYCLOAK-4809-IdPMetadata_test.xml'), 'metadata_certificate_invalid');
    assert.ok(invalid.reason);
    await refused(okta.replace(/<ds:X509Certificate>MII/, '<ds:X509Certificate>MIX'), 'metadata_certificate_invalid');
  });

  it('an IdP that supports only SAML 1.1', async () => {
    const okta = text('saml-metadata/ssoready-ssoready__okta__metadata.xml');
    await refused(okta.replace('urn:oasis:names:tc:SAML:2.0:protocol', 'urn:oasis:names:tc:SAML:1.1:protocol'), 'metadata_saml2_unsupported');
  });
});

// ---------------------------------------------------------------------------------------
// Warnings

describe('parseSamlMetadata: warnings', () => {
  const boxyhq = () => text('saml-metadata/boxyhq-jackson__boxyhq.xml');

  it('expired certificate and metadata, with the certificate’s fingerprint', async () => {
    const { metadata, warnings } = await ok(boxyhq());
    const expired = warnings.find((w) => w.code === 'certificate_expired');
    assert.ok(expired);
    assert.equal(expired.fingerprintSha256, metadata.signingCertificates[0].fingerprintSha256);
    assert.match(expired.message, /expired on 2026-06-22/);
    assert.ok(codes(warnings).includes('metadata_expired'));
  });

  it('a certificate expiring within 30 days, or not valid yet', async () => {
    const soon = await ok(boxyhq(), { now: new Date('2026-06-01T00:00:00Z') });
    const warning = soon.warnings.find((w) => w.code === 'certificate_expiring_soon');
    assert.ok(warning);
    assert.match(warning.message, /in 21 days/);
    assert.ok(!codes(soon.warnings).includes('certificate_expired'));
    const early = await ok(text('saml-metadata/ssoready-ssoready__okta__metadata.xml'), { now: new Date('2020-01-01T00:00:00Z') });
    assert.ok(codes(early.warnings).includes('certificate_not_yet_valid'));
  });

  it('a SHA-1 signed certificate and a weak key', async () => {
    const sha1 = await ok(text('saml-metadata/SAML-Toolkits-php-saml__onelogin_metadata.xml'));
    const weak = sha1.warnings.find((w) => w.code === 'certificate_weak_signature');
    assert.ok(weak);
    assert.match(weak.message, /SHA-1 \(sha1WithRSAEncryption\)/);
    const rsa1024 = await ok(text('saml-metadata/IdentityPython-pysaml2__metadata_example.xml'));
    assert.ok(rsa1024.warnings.some((w) => w.code === 'certificate_weak_key' && /1024-bit RSA/.test(w.message)));
    const adfs = await ok(bytes('saml-metadata/SAML-Toolkits-php-saml__FederationMetadata.xml'));
    assert.deepEqual(codes(adfs.warnings), ['certificate_expired', 'certificate_weak_key']); // as in Chromium
    const strong = await ok(text('saml-metadata/ssoready-ssoready__google__metadata.xml'));
    assert.deepEqual(strong.warnings, []);
  });

  it('no HTTP-Redirect or HTTP-POST endpoint, plain http SSO (but not on localhost)', async () => {
    const okta = text('saml-metadata/ssoready-ssoready__okta__metadata.xml');
    const soapOnly = await ok(okta.replaceAll(POST, SOAP).replaceAll(REDIRECT, SOAP));
    assert.ok(codes(soapOnly.warnings).includes('metadata_no_browser_binding'));
    const http = await ok(text('saml-metadata/SAML-Toolkits-php-saml__idp_metadata2.xml'));
    assert.ok(codes(http.warnings).includes('metadata_sso_not_https'));
    const localhost = await ok(text('saml-metadata/ssoready-ssoready__keycloak__metadata.xml'));
    assert.ok(!codes(localhost.warnings).includes('metadata_sso_not_https'));
  });

  it('an entity ID that looks like a placeholder (JumpCloud’s default)', async () => {
    const { warnings } = await ok(text('saml-metadata/ssoready-ssoready__jumpcloud__metadata.xml'));
    assert.ok(warnings.some((w) => w.code === 'metadata_entity_id_unusual' && w.message.includes('“IdP Entity ID”')));
  });

  it('exports a message and a remedy for every code', () => {
    for (const list of [METADATA_ERRORS, CERTIFICATE_ERRORS, METADATA_WARNINGS]) {
      for (const [code, info] of Object.entries(list)) {
        assert.ok(info.message.length > 20 && info.remedy.length > 20, code);
      }
    }
    assert.deepEqual(METADATA_ERROR_CODES, Object.keys(METADATA_ERRORS));
  });
});

// ---------------------------------------------------------------------------------------
// parseCertificate (the manual path)

describe('parseCertificate', () => {
  let pem;
  let der;
  let fingerprint;
  before(async () => {
    const { metadata } = await ok(text('saml-metadata/ssoready-ssoready__okta__metadata.xml'));
    pem = metadata.signingCertificates[0].pem;
    der = new X509Certificate(pem).raw;
    fingerprint = new X509Certificate(pem).fingerprint256;
  });

  async function cert(input, options) {
    const result = await parseCertificate(input, options);
    assertCertificateResultShape(result);
    return result;
  }

  it('reads PEM, bare base64 with line breaks and spaces, DER bytes, and PEM bytes', async () => {
    const base64 = pem.split('\n').slice(1, -1).join('');
    const inputs = [
      pem,
      `\uFEFF\r\n${pem.replaceAll('\n', '\r\n')}\r\n`,
      base64,
      `  ${base64.match(/.{1,76}/g).join('\n   ')}\n`,
      new Uint8Array(der),
      new Uint8Array(der).buffer,
      Buffer.from(pem),
      Buffer.concat([der, Buffer.from([0, 0])]), // trailing bytes after the certificate
    ];
    for (const input of inputs) {
      const result = await cert(input, { now: NOW });
      assert.equal(result.ok, true, result.ok ? '' : result.error.message);
      assert.equal(result.certificate.fingerprintSha256, fingerprint);
      assert.deepEqual(result.warnings, []);
    }
  });

  it('unwraps base64 of a PEM file, and takes the first of several certificates', async () => {
    const wrapped = await cert(Buffer.from(pem).toString('base64'));
    assert.equal(wrapped.certificate.fingerprintSha256, fingerprint);
    assert.deepEqual(codes(wrapped.warnings), ['certificate_double_encoded']);
    const bundle = await cert(`${pem}\n${pem}\n`, { now: NOW });
    assert.equal(bundle.certificate.fingerprintSha256, fingerprint);
    assert.deepEqual(codes(bundle.warnings), ['certificate_bundle']);
  });

  it('warns about an expired, weak certificate', async () => {
    const { metadata } = await ok(text('saml-metadata/IdentityPython-pysaml2__metadata_example.xml'));
    const result = await cert(metadata.signingCertificates[0].pem, { now: NOW });
    assert.deepEqual(codes(result.warnings).sort(), ['certificate_expired', 'certificate_weak_key', 'certificate_weak_signature']);
    assert.ok(result.warnings.every((w) => w.fingerprintSha256 === result.certificate.fingerprintSha256));
  });

  it('refuses a private key, and never echoes it', async () => {
    const key = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';
    for (const input of [key, `${pem}\n${key}`, key.replace(/PRIVATE KEY/g, 'RSA PRIVATE KEY'), Buffer.from(key)]) {
      const result = await cert(input);
      assert.equal(result.ok, false);
      assert.equal(result.error.code, 'certificate_private_key');
      assert.ok(!JSON.stringify(result).includes('MIIEvQIBADAN'));
    }
  });

  it('refuses what is not a certificate, saying what it is', async () => {
    const cases = [
      ['', 'certificate_empty', undefined],
      [new Uint8Array(), 'certificate_empty', undefined],
      ['-----BEGIN PUBLIC KEY-----\nMIIBIjAN\n-----END PUBLIC KEY-----', 'certificate_not_certificate', 'public_key'],
      ['-----BEGIN CERTIFICATE REQUEST-----\nMIIBIjAN\n-----END CERTIFICATE REQUEST-----', 'certificate_not_certificate', 'certificate_request'],
      [text('saml-metadata/ssoready-ssoready__okta__metadata.xml'), 'certificate_not_certificate', 'xml'],
      ['{"keys": []}', 'certificate_not_certificate', 'json'],
      ['hello world', 'certificate_invalid', undefined],
      ['-----BEGIN CERTIFICATE-----\nMIIDqjCC', 'certificate_invalid', undefined],
      [new Uint8Array(der.subarray(0, 200)), 'certificate_invalid', undefined],
      [Buffer.from('MIIBAAAAAAAAAAAA', 'base64').toString('base64'), 'certificate_invalid', undefined],
      ['x'.repeat(70 * 1024), 'certificate_too_large', undefined],
    ];
    for (const [input, code, kind] of cases) {
      const result = await cert(input);
      assert.equal(result.ok, false, String(input).slice(0, 40));
      assert.equal(result.error.code, code, `${String(input).slice(0, 40)}: ${result.error.message}`);
      assert.equal(result.error.kind, kind);
    }
  });
});

// ---------------------------------------------------------------------------------------
// Properties: never throws, always one of the two shapes

describe('properties', () => {
  const runs = { numRuns: 300 };
  const okta = text('saml-metadata/ssoready-ssoready__okta__metadata.xml');

  const XML_TOKENS = [
    '<', '>', '/>', '</', '<?xml version="1.0"?>', '<!--', '-->', '<![CDATA[', ']]>', '&amp;', '&lol;', '&#x0;', '"', "'", '=', ' ', '\n',
    '<md:EntityDescriptor', '</md:EntityDescriptor>', '<EntitiesDescriptor', '</EntitiesDescriptor>', '<md:EntitiesDescriptor', 'xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"',
    'xmlns="urn:oasis:names:tc:SAML:2.0:metadata"', 'xmlns:ds="http://www.w3.org/2000/09/xmldsig#"', 'entityID="https://idp.example.com"', 'entityID=""',
    '<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">', '</md:IDPSSODescriptor>', '<IDPSSODescriptor>', '<SPSSODescriptor/>',
    `<md:SingleSignOnService Binding="${REDIRECT}" Location="https://idp.example.com/sso"/>`, '<md:KeyDescriptor use="signing">', '<md:KeyDescriptor>', '</md:KeyDescriptor>',
    '<ds:KeyInfo><ds:X509Data><ds:X509Certificate>', '</ds:X509Certificate></ds:X509Data></ds:KeyInfo>', 'MIIB', 'AAAA', 'validUntil="2001-01-01T00:00:00Z"',
    'WantAuthnRequestsSigned="maybe"', '<md:NameIDFormat>', '</md:NameIDFormat>', '<html>', '{', '\uFEFF', '\u0000',
  ];
  const xmlish = fc.array(fc.constantFrom(...XML_TOKENS), { maxLength: 60 }).map((parts) => parts.join(''));

  async function neverThrows(input) {
    const result = await parseSamlMetadata(input, { now: NOW });
    assertMetadataShape(result);
    // metadata_unreadable means an unexpected exception inside: a bug.
    if (!result.ok) assert.notEqual(result.error.code, 'metadata_unreadable', `unexpected failure for ${JSON.stringify(input).slice(0, 200)}`);
  }

  it('parseSamlMetadata on arbitrary strings', async () => {
    await fc.assert(fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), neverThrows), runs);
  });

  it('parseSamlMetadata on XML-ish strings', async () => {
    await fc.assert(fc.asyncProperty(xmlish, neverThrows), runs);
  });

  it('parseSamlMetadata on real metadata with random damage', async () => {
    const damaged = fc
      .tuple(fc.nat(okta.length), fc.nat(40), fc.string({ maxLength: 20 }))
      .map(([at, remove, insert]) => okta.slice(0, at) + insert + okta.slice(at + remove));
    await fc.assert(fc.asyncProperty(damaged, neverThrows), runs);
  });

  it('parseSamlMetadata on arbitrary bytes and on values that are not strings', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), neverThrows), runs);
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (value) => {
        const result = await parseSamlMetadata(value, value);
        assertMetadataShape(result);
      }),
      { numRuns: 100 },
    );
  });

  it('parseCertificate on arbitrary strings, base64, bytes and damaged DER', async () => {
    const { metadata } = await ok(okta);
    const der = new X509Certificate(metadata.signingCertificates[0].pem).raw;
    const check = async (input) => {
      const result = await parseCertificate(input, { now: NOW });
      assertCertificateResultShape(result);
      if (!result.ok) assert.notEqual(result.error.code, 'certificate_unreadable', `unexpected failure for ${String(input).slice(0, 100)}`);
    };
    await fc.assert(fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), check), runs);
    await fc.assert(fc.asyncProperty(fc.base64String({ maxLength: 400 }), check), runs);
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), check), runs);
    const damagedDer = fc
      .array(fc.tuple(fc.nat(der.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })
      .map((edits) => {
        const copy = new Uint8Array(der);
        for (const [at, value] of edits) copy[at] = value;
        return copy;
      });
    await fc.assert(fc.asyncProperty(damagedDer, check), runs);
  });
});
