// The SAML step reads metadata on the adapter's backend when the adapter can
// (`PortalAdapter.readSamlMetadata`): the reader then never loads in the browser. A backend without
// that route (`not_found`) or an adapter without the method falls back to reading here.
// Its own file (page): nothing here imports the reader, so whether the page requested it is telling.
import { expect, waitUntil } from '@open-wc/testing';
import { MemoryAdapter, demoDocuments, DEMO_METADATA_URL } from '../../../src/adapters/index.js';
import type { SamlMetadataSource } from '../../../src/adapters/portal-adapter.js';
import { PortalError } from '../../../src/core/errors.js';
import type { MetadataResult } from '../../../src/core/saml-metadata.js';
import { buttonNamed } from '../helpers.js';
import { chooseSource, fixtureText, paste, portalWith, toConfigure, typeInto } from './wizard-helpers.js';

const CERTIFICATE = {
  pem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
  subject: 'CN=Backend IdP',
  issuer: 'CN=Backend IdP',
  serialNumber: '01',
  notBefore: '2026-01-01T00:00:00.000Z',
  notAfter: '2036-01-01T00:00:00.000Z',
  fingerprintSha256: Array.from({ length: 32 }, () => 'AB').join(':'),
  keyAlgorithm: 'RSA',
  keySize: 2048,
  signatureAlgorithm: 'sha256WithRSAEncryption',
  selfSigned: true,
};

/** What the backend answers: a result the browser's reader could not have made from the input. */
function backendResult(entityId: string): MetadataResult {
  return {
    ok: true,
    metadata: {
      entityId,
      ssoServices: [{ binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', location: 'https://backend.example/sso' }],
      signingCertificates: [CERTIFICATE],
      encryptionCertificates: [],
      nameIdFormats: [],
      validUntil: null,
      wantAuthnRequestsSigned: null,
    },
    warnings: [],
  };
}

/** A MemoryAdapter whose backend reads metadata with `read`; every source it was given is kept. */
function readingAdapter(read: (source: SamlMetadataSource) => Promise<MetadataResult>) {
  const adapter = new MemoryAdapter({ documents: demoDocuments() }) as MemoryAdapter & { readSamlMetadata: (source: SamlMetadataSource) => Promise<MetadataResult>; reads: SamlMetadataSource[] };
  adapter.reads = [];
  adapter.readSamlMetadata = (source) => {
    adapter.reads.push(source);
    return read(source);
  };
  return adapter;
}

const requestedReader = () => performance.getEntriesByType('resource').some((entry) => /saml-metadata(-reader)?\.ts|xml-dom\.ts|x509\.ts/.test(entry.name));
const review = (saml: Element) => saml.shadowRoot!.querySelector('[part="review"]');

describe('<sso-step-saml>: metadata read on the adapter’s backend', () => {
  it('pasted XML goes to the backend; the review shows its answer; the reader never loads here', async () => {
    const adapter = readingAdapter((source) => Promise.resolve(backendResult(`read-by-backend:${source.xml!.length}`)));
    const { el } = await portalWith(adapter);
    const saml = await toConfigure(el, 'okta', 'saml');
    await chooseSource(el, saml, 'xml');
    await paste(el, saml, '#saml-metadata-xml', '<EntityDescriptor/>');
    buttonNamed(saml.shadowRoot!, /Read XML/).click();
    await waitUntil(() => review(saml), 'no review');
    expect(review(saml)!.textContent).to.contain('read-by-backend:19');
    expect(review(saml)!.textContent).to.contain('CN=Backend IdP');
    expect(adapter.reads).to.deep.equal([{ xml: '<EntityDescriptor/>' }]);
    expect(requestedReader(), 'the browser requested the metadata reader').to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('a URL is read by the backend in one call (no download to the browser), and an aggregate’s choice goes back with the entity', async () => {
    const entities = [{ entityId: 'https://one.example/idp' }, { entityId: 'https://two.example/idp', displayName: 'Two' }];
    const adapter = readingAdapter((source) =>
      Promise.resolve(
        source.entityId
          ? backendResult(source.entityId)
          : { ok: false, error: { code: 'metadata_entity_choice_required', message: 'Several identity providers.', remedy: 'Choose yours.', entities } },
      ),
    );
    const { el } = await portalWith(adapter);
    const saml = await toConfigure(el, 'generic-saml', 'saml');
    await typeInto(saml, '#saml-metadata-url', 'https://federation.example/metadata');
    buttonNamed(saml.shadowRoot!, /Read metadata/).click();
    await waitUntil(() => saml.shadowRoot!.querySelectorAll('input[name="entity"]').length === 2, 'no chooser');
    saml.shadowRoot!.querySelectorAll<HTMLInputElement>('input[name="entity"]')[1]!.click();
    await waitUntil(() => review(saml), 'no review');
    expect(review(saml)!.textContent).to.contain('https://two.example/idp');
    expect(adapter.reads).to.deep.equal([{ url: 'https://federation.example/metadata' }, { url: 'https://federation.example/metadata', entityId: 'https://two.example/idp' }]);
    expect(adapter.calls.filter((c) => c.method === 'fetchMetadata')).to.have.length(0);
  });

  it('a failed request is said at the field with its code, and what was pasted is kept', async () => {
    const adapter = readingAdapter(() => Promise.reject(new PortalError('network')));
    const { el } = await portalWith(adapter);
    const saml = await toConfigure(el, 'okta', 'saml');
    await chooseSource(el, saml, 'xml');
    const area = await paste(el, saml, '#saml-metadata-xml', '<EntityDescriptor entityID="kept"/>');
    buttonNamed(saml.shadowRoot!, /Read XML/).click();
    await waitUntil(() => saml.shadowRoot!.querySelector('[part="parse-error"]'), 'no error');
    expect(saml.shadowRoot!.querySelector('[part="parse-error"]')!.textContent).to.contain('network');
    expect(area.getAttribute('aria-invalid')).to.equal('true');
    expect(area.value).to.equal('<EntityDescriptor entityID="kept"/>');
  });

  // Last in this file: it loads the reader.
  it('a backend without the route (not_found) is asked once; the metadata is then read here', async () => {
    const adapter = readingAdapter(() => Promise.reject(new PortalError('not_found')));
    const { el } = await portalWith(adapter);
    const saml = await toConfigure(el, 'okta', 'saml');
    await typeInto(saml, '#saml-metadata-url', DEMO_METADATA_URL);
    buttonNamed(saml.shadowRoot!, /Read metadata/).click();
    await waitUntil(() => review(saml), 'no review', { timeout: 20_000 });
    expect(review(saml)!.textContent).to.contain('http://www.okta.com/exk1demo');
    expect(adapter.calls.filter((c) => c.method === 'fetchMetadata')).to.have.length(1);
    await chooseSource(el, saml, 'xml');
    await paste(el, saml, '#saml-metadata-xml', await fixtureText('saml-metadata/ssoready-ssoready__okta__metadata.xml'));
    buttonNamed(saml.shadowRoot!, /Read XML/).click();
    await waitUntil(() => review(saml)?.textContent?.includes('exkdoocxa1VmjpXmX697'), 'no review of the pasted XML', { timeout: 20_000 });
    expect(adapter.reads, 'asked once, then no more').to.have.length(1);
    expect(requestedReader()).to.equal(true);
  });
});
