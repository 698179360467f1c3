// Provider guides in other languages (issue 16): the sentences translate, the IdP console's own
// labels (in bold) stay in English, and a live switch changes the guide on screen, because each
// read of a provider's `guides` (and hints, remedies, link labels) builds them in the language
// shown. The runtime is one per page, so each test ends back in English.
import { expect, fixture, html } from '@open-wc/testing';
import type { Connection, ServiceProvider } from '../../../src/core/model.js';
import { emptyDraft } from '../../../src/core/wizard.js';
import { adfs } from '../../../src/core/providers/adfs.js';
import { auth0 } from '../../../src/core/providers/auth0.js';
import { entraId } from '../../../src/core/providers/entra-id.js';
import { googleWorkspace } from '../../../src/core/providers/google-workspace.js';
import { okta } from '../../../src/core/providers/okta.js';
import { simulator } from '../../../src/core/providers/simulator.js';
import type { ProviderDefinition } from '../../../src/core/providers/types.js';
import { switchLocale } from '../../../src/portal/localize/switch-locale.js';
import type { SsoStepGuide } from '../../../src/portal/wizard/sso-step-guide.js';
import '../../../src/portal/wizard/sso-step-guide.js';
import { builtInTestRemedies, loadTestRemedies } from '../../../src/core/providers/test-remedies.js';
import { PROVIDERS as ALL_PROVIDERS } from '../../../src/core/providers/catalog.js';

/** A provider's own remedies: a built-in one's are loaded apart from its definition (core/providers/test-remedies.ts). */
const remediesOf = (provider: ProviderDefinition | undefined) => (provider ? (builtInTestRemedies(provider.id) ?? provider.testRemedies) : undefined);
before(() => Promise.all(ALL_PROVIDERS.map((p) => loadTestRemedies(p.id))));


const SP: ServiceProvider = {
  entityId: 'https://sp.test/saml/org_1/conn_1',
  acsUrl: 'https://sp.test/saml/org_1/conn_1/acs',
  metadataUrl: 'https://sp.test/saml/org_1/conn_1/metadata',
  oidcRedirectUri: 'https://sp.test/oidc/org_1/conn_1/callback',
};

async function guide(provider: ProviderDefinition, protocol: 'saml' | 'oidc' = 'saml'): Promise<SsoStepGuide> {
  const connection = { id: 'conn_1', protocol, serviceProvider: SP } as Connection;
  const el = await fixture<SsoStepGuide>(html`<sso-step-guide .provider=${provider} .draft=${{ ...emptyDraft(), providerId: provider.id, protocol }} .connection=${connection}></sso-step-guide>`);
  await el.updateComplete;
  return el;
}

/** The provider's own text in the guide: each step's instruction and note (not the wizard's buttons and links). */
const stepTexts = (el: SsoStepGuide) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('ol.guide li > div > p:first-child, ol.guide p.note')];
const firstStep = (el: SsoStepGuide) => stepTexts(el)[0]!;
const bold = (p: HTMLElement) => [...p.querySelectorAll('strong')].map((s) => s.textContent);
/** Each help link's label: its own text, without the wizard's hidden "(opens in a new tab)". */
const linkLabels = (el: SsoStepGuide) =>
  [...el.shadowRoot!.querySelectorAll('ul.links a')].map((a) => [...a.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join(''));

async function inLocale(el: SsoStepGuide, locale: string) {
  await switchLocale(locale);
  await el.updateComplete;
}

describe('<sso-step-guide> in other languages', () => {
  afterEach(() => switchLocale('en'));

  it('translates Okta’s SAML guide to German and Arabic live, keeping the console’s labels in English', async () => {
    const el = await guide(okta);
    expect(firstStep(el).textContent).to.equal('In the Okta Admin Console, go to Applications > Applications and click Create App Integration.');
    const labels = bold(firstStep(el));
    expect(labels).to.deep.equal(['Applications', 'Applications', 'Create App Integration']);

    await inLocale(el, 'de');
    expect(firstStep(el).textContent).to.equal('Gehen Sie in der Okta Admin Console zu Applications > Applications und klicken Sie auf Create App Integration.');
    expect(bold(firstStep(el))).to.deep.equal(labels);
    expect(stepTexts(el)[1]!.textContent).to.contain('Sie benötigen die Rolle Super Administrator');
    expect(linkLabels(el)).to.include('Okta: SAML-App-Integrationen erstellen');
    // Values and field labels (the IdP's own field names) stay as they are.
    const fields = [...el.shadowRoot!.querySelectorAll('sso-copy-field')] as unknown as { label: string; value: string }[];
    expect(fields.slice(0, 2).map((f) => [f.label, f.value])).to.deep.equal([
      ['Single sign-on URL', SP.acsUrl],
      ['Audience URI (SP Entity ID)', SP.entityId],
    ]);

    await inLocale(el, 'ar');
    expect(firstStep(el).textContent).to.equal('في Okta Admin Console، انتقل إلى Applications > Applications وانقر على Create App Integration.');
    expect(bold(firstStep(el))).to.deep.equal(labels);
    await expect(el).to.be.accessible();

    await inLocale(el, 'en');
    expect(firstStep(el).textContent).to.contain('In the Okta Admin Console');
  });

  it('reads hints, remedies and the IdP-initiated test in the language shown, on each read', async () => {
    await switchLocale('de');
    expect(remediesOf(okta)?.saml?.user_denied).to.match(/^Klicken Sie in Okta auf der Registerkarte \*\*Assignments\*\* der App/);
    expect(okta.configureHints?.saml?.metadataLocation).to.equal('In Okta auf der Registerkarte **Sign On** der App unter **SAML 2.0**: **Metadata URL**.');
    expect(okta.configureHints?.saml?.metadataUrlExample).to.equal('https://acme.okta.com/app/exk1a2b3c4d5e6f7g8h9/sso/saml/metadata');
    expect(entraId.attributeHints?.oidc?.firstName).to.equal('Fügen Sie unter **Token configuration** den optionalen Claim **given_name** hinzu (Token **ID**).');
    await switchLocale('ja');
    expect(entraId.idpInitiatedTest?.oidc).to.contain('Entra には IdP 起点の OpenID Connect ログインがありません');
    await switchLocale('en');
    expect(remediesOf(okta)?.saml?.user_denied).to.match(/^In Okta, on the app’s \*\*Assignments\*\* tab/);
  });

  it('leaves no unaccented English in the guides, hints and remedies in the pseudo-locale', async () => {
    const english = (text: string | undefined) => text?.match(/\b[A-Za-z]{3,}\b/g) ?? [];
    for (const provider of [okta, entraId, googleWorkspace, adfs, auth0, simulator]) {
      for (const protocol of provider.protocols) {
        const el = await guide(provider, protocol);
        await inLocale(el, 'en-XA');
        const found: string[] = [];
        for (const p of stepTexts(el)) {
          const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) found.push(...english(node.textContent!));
        }
        expect(firstStep(el).textContent).to.match(/^\[/);
        // What the other steps show: the configure step's hints, the test's remedies and hints.
        const hints = provider.configureHints?.[protocol];
        const texts = [provider.guideLead, hints?.metadataLocation, hints?.clientLocation, provider.idpInitiatedTest?.[protocol]];
        texts.push(...Object.values(remediesOf(provider)?.[protocol] ?? {}), ...Object.values(provider.attributeHints?.[protocol] ?? {}));
        texts.push(...provider.helpLinks.map((link) => link.label));
        for (const text of texts) found.push(...english(text));
        expect(found, `${provider.id} ${protocol}`).to.deep.equal([]);
        await switchLocale('en');
      }
    }
  });
});
