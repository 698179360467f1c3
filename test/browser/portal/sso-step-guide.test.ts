// The guide's downloads: our SP metadata (the backend's copy with its certificates, when it has
// one) and our certificates as files, at the steps of the IdPs that ask for them.
import { expect, fixture, html } from '@open-wc/testing';
import type { Connection, ServiceProvider } from '../../../src/core/model.js';
import { emptyDraft } from '../../../src/core/wizard.js';
import { adfs } from '../../../src/core/providers/adfs.js';
import { okta } from '../../../src/core/providers/okta.js';
import type { ProviderDefinition } from '../../../src/core/providers/types.js';
import type { SsoStepGuide } from '../../../src/portal/wizard/sso-step-guide.js';
import '../../../src/portal/wizard/sso-step-guide.js';

const here = location.origin;
const BASE: ServiceProvider = {
  entityId: 'https://sp.test/saml/org_1/conn_1',
  acsUrl: 'https://sp.test/saml/org_1/conn_1/acs',
  metadataUrl: `${here}/test/fixtures/sp/metadata-with-keys.xml`,
  oidcRedirectUri: 'https://sp.test/oidc/org_1/conn_1/callback',
};
const WITH_KEYS: ServiceProvider = {
  ...BASE,
  signingCertificateUrl: `${here}/test/fixtures/sp/signing.cer`,
  encryptionCertificateUrl: `${here}/test/fixtures/sp/encryption.cer`,
};

async function guide(provider: ProviderDefinition, serviceProvider: ServiceProvider): Promise<SsoStepGuide> {
  const connection = { id: 'conn_1', protocol: 'saml', serviceProvider } as Connection;
  const el = await fixture<SsoStepGuide>(html`<sso-step-guide .provider=${provider} .draft=${{ ...emptyDraft(), providerId: provider.id, protocol: 'saml' }} .connection=${connection}></sso-step-guide>`);
  await el.updateComplete;
  return el;
}

const certificateLinks = (el: SsoStepGuide) => [...el.shadowRoot!.querySelectorAll<HTMLAnchorElement>('a[download]')];

describe('<sso-step-guide>: our certificates and metadata as files', () => {
  it('links to our encryption certificate at the step where Okta asks for it, and is accessible', async () => {
    const el = await guide(okta, WITH_KEYS);
    const links = certificateLinks(el);
    expect(links.map((a) => a.href)).to.deep.equal([WITH_KEYS.encryptionCertificateUrl]);
    expect(links[0]!.textContent).to.equal('Download our encryption certificate (.cer)');
    expect(links[0]!.closest('li')!.textContent).to.contain('Assertion Encryption');
    await expect(el).to.be.accessible();
  });

  it('offers no certificate when the backend has none (the in-browser demo)', async () => {
    const el = await guide(adfs, BASE);
    expect(certificateLinks(el)).to.have.length(0);
    // The step still reads well without the link: the certificate is optional.
    expect(el.shadowRoot!.textContent).to.contain('Configure Certificate');
  });

  it('downloads the backend’s metadata, with its certificates, when the backend has keys', async () => {
    const el = await guide(adfs, WITH_KEYS);
    const xml = await el.spMetadataDocument();
    expect(xml).to.contain("a backend's copy, with its certificates");
  });

  it('builds the metadata here when the backend has no keys, without asking it', async () => {
    const el = await guide(adfs, { ...BASE, metadataUrl: `${here}/test/fixtures/sp/absent-must-not-be-fetched.xml` });
    const fetched: string[] = [];
    const original = window.fetch;
    window.fetch = (input, init) => (fetched.push(String(input)), original(input, init));
    try {
      const xml = await el.spMetadataDocument();
      expect(xml).to.contain(`entityID="${BASE.entityId}"`);
      expect(xml).to.not.contain('KeyDescriptor');
      expect(fetched).to.deep.equal([]);
    } finally {
      window.fetch = original;
    }
  });

  it('falls back to the copy built here when the backend’s metadata cannot be read', async () => {
    const el = await guide(adfs, { ...WITH_KEYS, metadataUrl: `${here}/test/fixtures/sp/missing.xml` });
    const xml = await el.spMetadataDocument();
    expect(xml).to.contain(`entityID="${BASE.entityId}"`);
    expect(xml).to.contain(`Location="${BASE.acsUrl}"`);
  });
});
