// The SAML review's settings of a connection: what a backend with keys offers (assertion
// encryption), saved with the configuration.
import { expect, waitUntil } from '@open-wc/testing';
import { MemoryAdapter, demoDocuments, DEMO_METADATA_URL } from '../../../src/adapters/index.js';
import type { Connection } from '../../../src/core/model.js';
import { buttonNamed, nextEvent, tabTo } from '../helpers.js';
import { sendKeys } from '@web/test-runner-commands';
import { currentStep, portal, portalWith, pressNext, toConfigure, typeInto } from './wizard-helpers.js';

/** A MemoryAdapter answering like a server that holds SAML keys: connections name our certificate files. */
class KeyedAdapter extends MemoryAdapter {
  static withUrls(connection: Connection): Connection {
    if (connection.protocol !== 'saml' || !connection.serviceProvider) return connection;
    const base = connection.serviceProvider.metadataUrl.replace(/\/metadata$/, '');
    return { ...connection, serviceProvider: { ...connection.serviceProvider, signingCertificateUrl: `${base}/signing-certificate.cer`, encryptionCertificateUrl: `${base}/encryption-certificate.cer` } };
  }
  override async createConnection(...args: Parameters<MemoryAdapter['createConnection']>) {
    return KeyedAdapter.withUrls(await super.createConnection(...args));
  }
  override async updateConnection(...args: Parameters<MemoryAdapter['updateConnection']>) {
    return KeyedAdapter.withUrls(await super.updateConnection(...args));
  }
  override async getConnection(...args: Parameters<MemoryAdapter['getConnection']>) {
    return KeyedAdapter.withUrls(await super.getConnection(...args));
  }
  override async listConnections(...args: Parameters<MemoryAdapter['listConnections']>) {
    return (await super.listConnections(...args)).map(KeyedAdapter.withUrls);
  }
}

async function reviewed(el: Parameters<typeof toConfigure>[0]) {
  const saml = await toConfigure(el, 'okta', 'saml');
  await typeInto(saml, '#saml-metadata-url', DEMO_METADATA_URL);
  buttonNamed(saml.shadowRoot!, /Read metadata/).click();
  await waitUntil(() => saml.shadowRoot!.querySelector('[part="review"]'), 'no review', { timeout: 4000 });
  return saml;
}

describe('<sso-step-saml>: settings in the review', () => {
  it('offers "Refuse unencrypted assertions" when the backend decrypts; off by default; checked with the keyboard, it is saved', async () => {
    const { el, adapter } = await portalWith(new KeyedAdapter({ documents: demoDocuments() }));
    const saml = await reviewed(el);
    const box = saml.shadowRoot!.querySelector<HTMLInputElement>('#require-encryption');
    expect(box, 'no encryption setting').to.not.equal(null);
    expect(box!.checked).to.equal(false);
    expect(box!.closest('fieldset')!.querySelector('legend')!.textContent).to.equal('Settings');
    await expect(el).to.be.accessible();
    await tabTo(box!);
    await sendKeys({ press: 'Space' });
    expect(box!.checked).to.equal(true);
    const saved = nextEvent(el, 'sso-connection-saved');
    await pressNext(el);
    const { connection } = await saved;
    expect(connection.saml!.requireEncryptedAssertions).to.equal(true);
    expect((await adapter.getConnection(connection.id)).saml!.requireEncryptedAssertions).to.equal(true);
    await currentStep(el, 'sso-step-attributes');
    // A first setup never loads the rollover editor (nor its file picker): it is for saved configurations.
    expect(customElements.get('sso-saml-rollover')).to.equal(undefined);
  });

  it('offers no encryption setting where the backend has no keys (the in-browser demo); the review of metadata changes is there', async () => {
    const { el } = await portal();
    const saml = await reviewed(el);
    const settings = [...saml.shadowRoot!.querySelectorAll('fieldset.settings input')].map((i) => i.id);
    expect(settings).to.deep.equal(['review-metadata-changes']);
  });

  it('saves "Ask me before applying metadata changes" (saml.metadataRefreshMode) for a configuration read from a URL', async () => {
    const { el, adapter } = await portal();
    const saml = await reviewed(el);
    const box = saml.shadowRoot!.querySelector<HTMLInputElement>('#review-metadata-changes')!;
    expect(box.checked).to.equal(false);
    await tabTo(box);
    await sendKeys({ press: 'Space' });
    const saved = nextEvent(el, 'sso-connection-saved');
    await pressNext(el);
    const { connection } = await saved;
    expect(connection.saml!.metadataRefreshMode).to.equal('review');
    expect((await adapter.getConnection(connection.id)).saml!.metadataRefreshMode).to.equal('review');
  });

  it('offers neither setting to a backend without keys or metadata review', async () => {
    const adapter = new MemoryAdapter({ documents: demoDocuments() });
    // A host's adapter without the optional review calls.
    Object.defineProperty(adapter, 'approveMetadataChange', { value: undefined });
    const { el } = await portalWith(adapter);
    const saml = await reviewed(el);
    expect(saml.shadowRoot!.querySelectorAll('fieldset.settings').length).to.equal(0);
  });
});
