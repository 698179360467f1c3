// The SAML step in German with a backend that reads metadata and words it in English (the
// server): the step shows its own words for the codes it knows, not the backend's English.
import { expect, waitUntil } from '@open-wc/testing';
import { MemoryAdapter, demoDocuments } from '../../../src/adapters/index.js';
import type { SamlMetadataSource } from '../../../src/adapters/portal-adapter.js';
import { PortalError } from '../../../src/core/errors.js';
import type { MetadataResult } from '../../../src/core/saml-metadata.js';
import { switchTo } from '../localize-helpers.js';
import { buttonNamed } from '../helpers.js';
import { chooseSource, fixtureText, paste, portalWith, toConfigure } from './wizard-helpers.js';

/** A MemoryAdapter whose backend answers every read with `read`. */
function readingAdapter(read: () => Promise<MetadataResult>) {
  const adapter = new MemoryAdapter({ documents: demoDocuments() }) as MemoryAdapter & { readSamlMetadata: (source: SamlMetadataSource) => Promise<MetadataResult> };
  adapter.readSamlMetadata = read;
  return adapter;
}

const REFUSED: MetadataResult = {
  ok: false,
  error: {
    code: 'metadata_not_saml',
    kind: 'other_xml',
    message: 'This XML is not SAML metadata: its top element is <config>, not EntityDescriptor or EntitiesDescriptor.',
    remedy: 'Download the IdP metadata XML for this application from your identity provider’s console (often called “IdP metadata”, “SAML metadata” or “Federation metadata”) and try again.',
  },
};

async function readIn(adapter: MemoryAdapter, locale: string) {
  const { el } = await portalWith(adapter);
  const saml = await toConfigure(el, 'okta', 'saml');
  await chooseSource(el, saml, 'xml');
  await paste(el, saml, '#saml-metadata-xml', '<config/>');
  const read = buttonNamed(saml.shadowRoot!, /Read XML/);
  await switchTo(el, locale);
  read.click();
  await waitUntil(() => saml.shadowRoot!.querySelector('[part="parse-error"]'), 'no error');
  return { el, text: saml.shadowRoot!.textContent ?? '' };
}

describe('<sso-step-saml> in German, with a backend that reads metadata in English', () => {
  it('a refusal: our message and remedy for its code', async () => {
    const { el, text } = await readIn(
      readingAdapter(() => Promise.resolve(structuredClone(REFUSED))),
      'de',
    );
    expect(text).to.contain('Dieses XML enthält keine SAML-Metadaten.');
    expect(text).to.contain('Laden Sie das IdP-Metadaten-XML für diese Anwendung');
    expect(text).not.to.contain('This XML is not SAML metadata');
    expect(text).not.to.contain('Download the IdP metadata');
    await switchTo(el, 'en');
  });

  it('an error on screen is worded again when the language changes', async () => {
    const { el } = await portalWith(readingAdapter(() => Promise.resolve(structuredClone(REFUSED))));
    const saml = await toConfigure(el, 'okta', 'saml');
    await chooseSource(el, saml, 'url');
    await paste(el, saml, '#saml-metadata-url', 'not a url');
    buttonNamed(saml.shadowRoot!, /Read metadata/).click();
    await waitUntil(() => saml.shadowRoot!.textContent.includes('This is not a web address'), 'the English error');
    try {
      await switchTo(el, 'de');
      await waitUntil(() => saml.shadowRoot!.textContent.includes('Dies ist keine Webadresse'), 'the same error, in German');
      expect(saml.shadowRoot!.textContent).not.to.contain('This is not a web address');
    } finally {
      await switchTo(el, 'en');
    }
  });

  it('a failed download: our words for its code, without the server’s English message', async () => {
    const { el, text } = await readIn(
      readingAdapter(() => Promise.reject(new PortalError('metadata_fetch_failed', { message: 'The server at the metadata URL did not answer within 10 seconds.' }))),
      'de',
    );
    expect(text).to.contain('Prüfen Sie, ob die Metadata URL stimmt');
    expect(text).not.to.contain('did not answer');
    await switchTo(el, 'en');
  });
});

describe('<sso-step-saml>: what the reader said, worded again when the language changes', () => {
  it('a backend’s refusal read in English: its code’s words in German, its own precise words back in English', async () => {
    const { el } = await portalWith(readingAdapter(() => Promise.resolve(structuredClone(REFUSED))));
    const saml = await toConfigure(el, 'okta', 'saml');
    await chooseSource(el, saml, 'xml');
    await paste(el, saml, '#saml-metadata-xml', '<config/>');
    buttonNamed(saml.shadowRoot!, /Read XML/).click();
    const shown = () => saml.shadowRoot!.textContent ?? '';
    await waitUntil(() => shown().includes('its top element is <config>'), 'the backend’s English words');
    try {
      await switchTo(el, 'de');
      // The reader's tables load on this first switch (nothing had loaded them), then it renders again.
      await waitUntil(() => shown().includes('Dieses XML enthält keine SAML-Metadaten.'), 'the code’s words in German');
      expect(shown()).to.contain('Laden Sie das IdP-Metadaten-XML für diese Anwendung');
      expect(shown()).not.to.contain('This XML is not SAML metadata');
      await switchTo(el, 'en');
      await waitUntil(() => shown().includes('its top element is <config>'), 'the precise English words again');
    } finally {
      await switchTo(el, 'en');
    }
  });

  it('the review’s certificate warnings, read in English, are worded in German after a switch', async () => {
    const { el } = await portalWith(new MemoryAdapter({ documents: demoDocuments() }));
    const saml = await toConfigure(el, 'okta', 'saml');
    await chooseSource(el, saml, 'xml');
    await paste(el, saml, '#saml-metadata-xml', await fixtureText(`saml-metadata/SAML-Toolkits-php-saml__FederationMetadata.xml`));
    buttonNamed(saml.shadowRoot!, /Read XML/).click();
    await waitUntil(() => saml.shadowRoot!.querySelector('[part="certificate"] .notice'), 'the certificate’s warnings');
    const warnings = () => [...saml.shadowRoot!.querySelectorAll('[part="certificate"] .notice')].map((p) => p.textContent.trim());
    const english = warnings();
    expect(english, 'the expired certificate’s warning').to.have.length(1);
    try {
      await switchTo(el, 'de');
      await waitUntil(() => warnings().join() !== english.join(), 'the warnings worded again');
      expect(warnings()).to.have.length(1);
      for (const text of warnings()) expect(english).not.to.include(text);
      expect(warnings()[0]).to.match(/Zertifikat/);
      await switchTo(el, 'en');
      await waitUntil(() => warnings().join() === english.join(), 'the English warnings as read');
    } finally {
      await switchTo(el, 'en');
    }
  });
});
