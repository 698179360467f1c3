// What core says about SAML metadata, certificates and OIDC discovery, in another language (issue
// 16): the codes' messages and remedies, the reader's precise messages with their values, and a
// backend's English result worded by code. German is German (not the English), and the
// pseudo-locale leaves no English word outside the values.
import { expect } from '@open-wc/testing';
import { MemoryAdapter } from '../../../src/adapters/memory-adapter.js';
import type { PortalAdapter } from '../../../src/adapters/portal-adapter.js';
import { readSamlMetadataWith } from '../../../src/adapters/read-metadata.js';
import { checkOidcDiscovery, discoveryUrlFor } from '../../../src/core/oidc-discovery.js';
import { CERTIFICATE_ERRORS, METADATA_ERRORS, METADATA_WARNINGS, inShownLanguage, parseSamlMetadata, type MetadataResult } from '../../../src/core/saml-metadata.js';
import { switchLocale } from '../../../src/portal/localize/switch-locale.js';

const NOW = new Date('2040-01-01T00:00:00Z');
const NOT_SAML = '<config><x/></config>';
const MALFORMED = '<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example">\n  <a>\n</EntityDescriptor>';
const CODES = ['metadata_too_large', 'metadata_not_xml', 'metadata_malformed', 'metadata_not_saml', 'metadata_sp_metadata', 'metadata_no_signing_certificate'] as const;

let okta = '';

/** Okta's metadata with a plain-http SSO URL; its certificate has expired by NOW. */
const insecureOkta = () => okta.replace(/Location="https:/g, 'Location="http:');

async function refusal(xml: string) {
  const result = await parseSamlMetadata(xml, { now: NOW });
  if (result.ok) throw new Error('expected a refusal');
  return result.error;
}

async function warnings(xml: string) {
  const result = await parseSamlMetadata(xml, { now: NOW });
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.warnings;
}

/** What is left of `text` once the values are taken out, when it still holds an unaccented word of three letters. */
function english(text: string, values: readonly string[]): string | undefined {
  let rest = text;
  for (const value of values) rest = rest.split(value).join(' ');
  return /[A-Za-z]{3,}/.test(rest) ? text : undefined;
}

describe('metadata, certificate and discovery texts in other languages', () => {
  before(async function () {
    // The first parse loads the reader (on a cold test server, seconds).
    this.timeout(60_000);
    okta = await (await fetch('/test/fixtures/idp-corpus/saml-metadata/ssoready-ssoready__okta__metadata.xml')).text();
    await parseSamlMetadata(okta);
  });

  afterEach(async () => {
    await switchLocale('en');
  });

  it('in German: each code’s message and remedy, and the precise messages with their values', async () => {
    const englishTexts = CODES.map((code) => [METADATA_ERRORS[code].message, METADATA_ERRORS[code].remedy]);
    const notSaml = await refusal(NOT_SAML);
    expect(notSaml.message).to.equal('This XML is not SAML metadata: its top element is <config>, not EntityDescriptor or EntitiesDescriptor.');
    const expired = (await warnings(insecureOkta())).find((w) => w.code === 'certificate_expired')!;

    await switchLocale('de');
    CODES.forEach((code, i) => {
      expect(METADATA_ERRORS[code].message, code).not.to.equal(englishTexts[i]![0]);
      expect(METADATA_ERRORS[code].remedy, code).not.to.equal(englishTexts[i]![1]);
    });
    expect(METADATA_ERRORS.metadata_too_large.message).to.equal('Die Metadaten sind größer als 2 MB und wurden daher nicht gelesen.');
    expect(METADATA_ERRORS.metadata_not_xml.remedy).to.match(/^Laden Sie das IdP-Metadaten-XML für diese Anwendung/);
    expect(CERTIFICATE_ERRORS.certificate_private_key.message).to.equal('Dies enthält einen PRIVATE KEY. Geben Sie einen privaten Schlüssel niemals weiter: Er wurde weder gelesen noch gespeichert.');

    const german = await refusal(NOT_SAML);
    expect(german.code).to.equal('metadata_not_saml');
    expect(german.message).to.equal('Dieses XML enthält keine SAML-Metadaten: Sein oberstes Element ist <config>, nicht EntityDescriptor oder EntitiesDescriptor.');
    expect(german.remedy).to.equal(METADATA_ERRORS.metadata_not_saml.remedy);
    expect((await refusal('{"issuer": 1}')).message).to.equal('Dies ist JSON, keine SAML-Metadaten (XML).');
    const malformed = await refusal(MALFORMED);
    expect(malformed.code).to.equal('metadata_malformed');
    expect(malformed.message).to.match(/^Das XML .+ \(Zeile \d+(, Spalte \d+)?\) Details: /);

    const germanWarnings = await warnings(insecureOkta());
    expect(germanWarnings.find((w) => w.code === 'metadata_sso_not_https')!.message).to.match(/^Die Single-Sign-on-URL http:\/\/\S+ verwendet unverschlüsseltes http:\/\/, nicht https:\/\/\.$/);
    const germanExpired = germanWarnings.find((w) => w.code === 'certificate_expired')!;
    expect(germanExpired.fingerprintSha256).to.equal(expired.fingerprintSha256);
    expect(germanExpired.message).to.match(/^Das Zertifikat .+ ist am \d{4}-\d\d-\d\d abgelaufen\.$/);
    expect(METADATA_WARNINGS.certificate_expired.remedy).to.match(/^Viele Identitätsanbieter/);

    const mismatch = checkOidcDiscovery({ issuer: 'https://other.example', authorization_endpoint: 'https://a.example/a', token_endpoint: 'https://a.example/t', jwks_uri: 'https://a.example/k' }, 'https://idp.example');
    expect(mismatch.ok).to.equal(false);
    if (!mismatch.ok) expect(mismatch.error.message).to.match(/^Laut Anbieter lautet sein Issuer https:\/\/other\.example, nicht https:\/\/idp\.example\./);
    const spaces = discoveryUrlFor('https://idp.example/a b');
    if (!spaces.ok) expect(spaces.error.message).to.equal('Die Issuer-URL darf keine Leerzeichen enthalten.');

    const download = await new MemoryAdapter().fetchMetadata('https://idp.example/metadata').catch((error: Error) => error);
    expect((download as Error).message).to.equal('Unter dieser URL hat nichts geantwortet.');
  });

  it('a backend’s English result: our words by code in German, its own precise words in English', async () => {
    // As a backend (the server) sends them: in English.
    const refused = await parseSamlMetadata(NOT_SAML, { now: NOW });
    const warned = await parseSamlMetadata(insecureOkta(), { now: NOW });
    expect(inShownLanguage(refused)).to.deep.equal(refused);

    await switchLocale('de');
    const shown = inShownLanguage(refused);
    if (shown.ok || refused.ok) throw new Error('expected a refusal');
    expect(shown.error).to.deep.equal({ ...refused.error, message: 'Dieses XML enthält keine SAML-Metadaten.', remedy: METADATA_ERRORS.metadata_not_saml.remedy });
    expect(shown.error.remedy).to.match(/^Laden Sie/);
    const shownWarnings = inShownLanguage(warned);
    if (!shownWarnings.ok || !warned.ok) throw new Error('expected metadata');
    expect(shownWarnings.warnings.map((w) => w.code)).to.deep.equal(warned.warnings.map((w) => w.code));
    expect(shownWarnings.warnings.find((w) => w.code === 'certificate_expired')).to.deep.include({ message: 'Ein Zertifikat ist abgelaufen.' });
    expect(shownWarnings.warnings.find((w) => w.code === 'certificate_expired')!.fingerprintSha256).to.be.a('string');
    // A code this portal does not know keeps the backend's words.
    const unknown = { ok: false, error: { code: 'metadata_from_the_future', message: 'Something new.', remedy: 'Do something.' } } as unknown as MetadataResult;
    expect(inShownLanguage(unknown)).to.deep.equal(unknown);
    // Through an adapter whose backend reads metadata (the HttpAdapter's server): the same.
    const backend = { readSamlMetadata: () => Promise.resolve(structuredClone(refused)) } as unknown as PortalAdapter;
    expect(await readSamlMetadataWith(backend, { xml: NOT_SAML })).to.deep.equal(shown);
  });

  it('in the pseudo-locale: no English word outside the values', async () => {
    // The values: the parser's own words (its evidence, in English), the metadata's URLs and certificate.
    const details = (await refusal(MALFORMED)).message.split(' Details: ')[1]!;
    const read = await parseSamlMetadata(insecureOkta(), { now: NOW });
    if (!read.ok) throw new Error(read.error.message);
    const cert = read.metadata.signingCertificates[0]!;
    const values = [...read.metadata.ssoServices.map((s) => s.location), /CN=([^,]+)/.exec(cert.subject)?.[1] ?? '', cert.signatureAlgorithm, cert.keyAlgorithm];
    await switchLocale('en-XA');
    const found: (string | undefined)[] = [];
    for (const table of [METADATA_ERRORS, CERTIFICATE_ERRORS, METADATA_WARNINGS] as Record<string, { message: string; remedy: string }>[]) {
      for (const info of Object.values(table)) found.push(english(info.message, ['30']), english(info.remedy, []));
    }
    const notSaml = await refusal(NOT_SAML);
    found.push(english(notSaml.message, ['config']));
    const malformed = await refusal(MALFORMED);
    expect(malformed.message).to.include(details);
    found.push(english(malformed.message, [details]));
    found.push(english((await refusal('{"issuer": 1}')).message, []));
    const pseudoWarnings = await warnings(insecureOkta());
    expect(pseudoWarnings.map((w) => w.code)).to.include.members(['metadata_sso_not_https', 'certificate_expired']);
    for (const w of pseudoWarnings) found.push(english(w.message, values));
    const mismatch = checkOidcDiscovery({ issuer: 'https://other.example' }, 'https://idp.example');
    if (!mismatch.ok) found.push(english(mismatch.error.message, ['https://other.example', 'https://idp.example']));
    expect(found.filter(Boolean)).to.deep.equal([]);
  });
});
