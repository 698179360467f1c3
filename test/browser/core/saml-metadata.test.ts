// The SAML metadata parser in Chromium: same results as in Node (test/node/saml-metadata.test.mjs)
// on fixtures fetched from the test server, with Chromium's own Web Crypto and TextDecoder.
import { expect } from '@open-wc/testing';
import { parseCertificate, parseSamlMetadata, type MetadataResult } from '../../../src/core/saml-metadata.js';

const NOW = new Date('2026-11-29T12:00:00Z');

async function fixture(path: string): Promise<Response> {
  const response = await fetch(`/test/fixtures/idp-corpus/${path}`);
  expect(response.ok, path).to.equal(true);
  return response;
}

function success(result: MetadataResult) {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result;
}

describe('saml-metadata in Chromium', () => {
  before(async function () {
    // The first parse loads the reader, @xmldom/xmldom (converted from CommonJS by the test
    // server) and the ASN.1 decoder: on a cold test server that alone can take seconds.
    this.timeout(60_000);
    const result = await parseSamlMetadata(await (await fixture('saml-metadata/ssoready-ssoready__okta__metadata.xml')).text());
    expect(result.ok).to.equal(true);
  });

  it('reads Okta metadata: entity ID, SSO URLs, certificate and its SHA-256 fingerprint', async () => {
    const xml = await (await fixture('saml-metadata/ssoready-ssoready__okta__metadata.xml')).text();
    const { metadata, warnings } = success(await parseSamlMetadata(xml, { now: NOW }));
    expect(metadata.entityId).to.equal('http://www.okta.com/exkdoocxa1VmjpXmX697');
    expect(metadata.ssoServices.map((s) => s.binding)).to.deep.equal([
      'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
      'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
    ]);
    expect(metadata.signingCertificates).to.have.length(1);
    const cert = metadata.signingCertificates[0]!;
    expect(cert.fingerprintSha256).to.equal('21:D5:E6:FF:D3:60:7D:88:BD:8E:EE:5F:97:9F:CB:E9:C3:A3:08:BF:E8:E4:42:A4:41:36:AB:60:B9:21:6B:CF');
    expect(cert.subject).to.equal('E=info@okta.com, CN=trial-1022863, OU=SSOProvider, O=Okta, L=San Francisco, ST=California, C=US');
    expect(cert.notAfter).to.equal('2034-04-25T20:31:02.000Z');
    expect([cert.keyAlgorithm, cert.keySize, cert.signatureAlgorithm]).to.deep.equal(['RSA', 2048, 'sha256WithRSAEncryption']);
    expect(warnings).to.deep.equal([]);

    // The manual path gives the same certificate from its PEM.
    const manual = await parseCertificate(cert.pem, { now: NOW });
    expect(manual.ok && manual.certificate.fingerprintSha256).to.equal(cert.fingerprintSha256);
  });

  it('reads an ADFS file from its bytes, with the same warnings as in Node', async () => {
    const bytes = new Uint8Array(await (await fixture('saml-metadata/SAML-Toolkits-php-saml__FederationMetadata.xml')).arrayBuffer());
    const { metadata, warnings } = success(await parseSamlMetadata(bytes, { now: NOW }));
    expect(metadata.entityId).to.equal('http://idp.adfs.example.com/adfs/services/trust');
    expect(metadata.ssoServices.some((s) => s.location === 'https://idp.adfs.example.com/adfs/ls/')).to.equal(true);
    expect([metadata.signingCertificates.length, metadata.encryptionCertificates.length]).to.deep.equal([1, 1]);
    expect(warnings.map((w) => w.code)).to.deep.equal(['certificate_expired', 'certificate_weak_key']);
  });

  it('asks to choose in an aggregate, then reads the chosen identity provider', async () => {
    const xml = await (await fixture('saml-aggregate/SAML-Toolkits-php-saml__shib_metadata.xml')).text();
    const choice = await parseSamlMetadata(xml, { now: NOW });
    expect(choice.ok).to.equal(false);
    if (choice.ok) return;
    expect(choice.error.code).to.equal('metadata_entity_choice_required');
    expect(choice.error.entities).to.deep.equal([
      { entityId: 'https://si-saai.ualg.pt/idp/shibboleth', displayName: 'University of Algarve' },
      { entityId: 'https://idp.fccn.pt/idp/shibboleth', displayName: 'FCT|FCCN' },
    ]);
    const { metadata } = success(await parseSamlMetadata(xml, { entityId: 'https://idp.fccn.pt/idp/shibboleth', now: NOW }));
    expect(metadata.ssoServices.some((s) => s.location === 'https://idp.fccn.pt/idp/profile/SAML2/Redirect/SSO')).to.equal(true);
  });

  it('refuses 100,000 nested elements (700 kB) before parsing, saying how deep', async () => {
    const xml = `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</md:EntitiesDescriptor>`;
    const result = await parseSamlMetadata(xml);
    expect(result.ok).to.equal(false);
    if (result.ok) return;
    expect(result.error.code).to.equal('metadata_not_saml');
    expect(result.error.message).to.match(/more than 64 levels deep/);
  });

  it('refuses a UTF-16 DTD attack (bytes) before parsing', async () => {
    const bytes = new Uint8Array(await (await fixture('saml-malicious/SAML-Toolkits-php-saml__UtilsTest.php__attackXEEutf16.xml')).arrayBuffer());
    const result = await parseSamlMetadata(bytes);
    expect(result.ok).to.equal(false);
    if (!result.ok) expect(result.error.code).to.equal('metadata_doctype_forbidden');
  });
});
