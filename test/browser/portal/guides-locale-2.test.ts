/**
 * Provider guides in another language (issue 16): the Keycloak SAML guide in the wizard and
 * the OneLogin directory-sync guide switch live to German and Arabic, with the console's bold
 * labels and the fields' IdP labels kept in English; in the pseudo-locale no English word is
 * left in the guides' sentences. The runtime is one per page: each test ends in English.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { LOCALE_STATUS_EVENT } from '@lit/localize/internal/locale-status-event.js';
import { MemoryAdapter } from '../../../src/adapters/memory-adapter.js';
import { keycloak } from '../../../src/core/providers/keycloak.js';
import type { SsoAdminPortal } from '../../../src/portal/sso-admin-portal.js';
import type { SsoCopyField } from '../../../src/portal/ui/sso-copy-field.js';
import { buttonNamed, portalOverview } from '../helpers.js';
import { chooseProvider, currentStep, portal, pressNext } from './wizard-helpers.js';
import { builtInTestRemedies, loadTestRemedies } from '../../../src/core/providers/test-remedies.js';
import { PROVIDERS as ALL_PROVIDERS } from '../../../src/core/providers/catalog.js';
import type { ProviderDefinition } from '../../../src/core/providers/types.js';

/** A provider's own remedies: a built-in one's are loaded apart from its definition (core/providers/test-remedies.ts). */
const remediesOf = (provider: ProviderDefinition | undefined) => (provider ? (builtInTestRemedies(provider.id) ?? provider.testRemedies) : undefined);
before(() => Promise.all(ALL_PROVIDERS.map((p) => loadTestRemedies(p.id))));


/** Sets the portal's `locale` and resolves when the runtime has rendered `text` (the catalogue). */
function switchTo(el: SsoAdminPortal, locale: string, text = locale): Promise<void> {
  const ready = new Promise<void>((resolve) => {
    const listener = (event: Event) => {
      const detail = (event as CustomEvent<{ status: string; readyLocale?: string }>).detail;
      if (detail.status === 'ready' && detail.readyLocale === text) {
        window.removeEventListener(LOCALE_STATUS_EVENT, listener);
        resolve();
      }
    };
    window.addEventListener(LOCALE_STATUS_EVENT, listener);
  });
  el.locale = locale;
  return ready;
}

const bold = (root: Element) => [...root.querySelectorAll('strong')].map((s) => s.textContent);

/**
 * The words of the guide's own sentences still in plain English: text outside the console's
 * labels (`strong`), values (`code`, copy fields) and the controls of the step around them.
 */
function englishWords(root: Element): string[] {
  const words: string[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement!.closest('strong, code, button, a, sso-copy-field')) continue;
    words.push(...(node.textContent!.match(/\b[A-Za-z]{3,}\b/g) ?? []));
  }
  return words;
}

async function keycloakSamlGuide() {
  const { el } = await portal();
  await chooseProvider(el, 'keycloak', 'saml');
  await pressNext(el);
  const step = await currentStep(el, 'sso-step-guide');
  const guide = () => step.shadowRoot!.querySelector('ol.guide')!;
  return { el, guide };
}

async function oneLoginDirectoryGuide() {
  sessionStorage.clear();
  const overview = await portalOverview(new MemoryAdapter());
  const el = (overview.getRootNode() as ShadowRoot).host as SsoAdminPortal;
  await waitUntil(() => overview.shadowRoot!.querySelector('sso-directory-section')?.shadowRoot?.querySelector('[part="empty-state"]'), 'the section did not load');
  const section = overview.shadowRoot!.querySelector('sso-directory-section')!.shadowRoot!;
  buttonNamed(section, /Set up directory sync/).click();
  await waitUntil(() => section.querySelector('sso-directory-setup')?.shadowRoot?.querySelector('input[value="onelogin"]'), 'no provider choice');
  const setup = section.querySelector('sso-directory-setup')!.shadowRoot!;
  setup.querySelector<HTMLInputElement>('input[value="onelogin"]')!.click();
  buttonNamed(setup, /Continue/).click();
  await waitUntil(() => setup.querySelector('ol.guide'), 'the guide did not open');
  return { el, setup };
}

describe('provider guides in another language', () => {
  it('Keycloak SAML: German and Arabic sentences, English console labels', async () => {
    const { el, guide } = await keycloakSamlGuide();
    expect(guide().textContent).to.contain('In the Keycloak admin console, pick the realm');
    const labelsInEnglish = bold(guide());
    expect(labelsInEnglish).to.include.members(['Clients', 'Import client', 'Valid redirect URIs', 'Force name ID format']);

    await switchTo(el, 'de');
    await waitUntil(() => guide().textContent.includes('Wählen Sie in der Keycloak-Admin-Konsole aus der Realm-Liste'), 'German guide');
    expect(guide().textContent).to.contain('Keycloak-Versionen vor 17 fügen /auth nach dem Host ein.');
    expect(guide().textContent).not.to.contain('In the Keycloak admin console');
    expect(bold(guide())).to.have.members(labelsInEnglish);
    const labels = [...guide().querySelectorAll<SsoCopyField>('sso-copy-field')].map((f) => f.label);
    expect(labels).to.include.members(['Client ID', 'Valid redirect URIs', 'Master SAML Processing URL', 'SAML Attribute Name (Property email)']);
    // Each read builds the texts in the language shown now: remedies and hints too.
    expect(remediesOf(keycloak)!.saml!.response_unsigned).to.contain('Aktivieren Sie auf dem Tab **Settings** des Clients');
    expect(keycloak.attributeHints!.oidc!.firstName).to.equal('Keycloak sendet **given_name** für den Client-Scope **profile**.');
    expect(keycloak.configureHints!.saml!.metadataUrlExample).to.equal('https://sso.acme.com/realms/acme/protocol/saml/descriptor');

    await switchTo(el, 'ar');
    await waitUntil(() => guide().textContent.includes('في وحدة تحكم إدارة Keycloak'), 'Arabic guide');
    expect(bold(guide())).to.have.members(labelsInEnglish);

    await switchTo(el, 'en');
    await waitUntil(() => guide().textContent.includes('In the Keycloak admin console, pick the realm'), 'back to English');
    expect(keycloak.attributeHints!.oidc!.firstName).to.equal('Keycloak sends **given_name** for the **profile** client scope.');
  });

  it('OneLogin directory sync: German and Arabic steps and mapping, English console labels', async () => {
    const { el, setup } = await oneLoginDirectoryGuide();
    const text = () => setup.textContent;
    expect(text()).to.contain('paste the SCIM base URL below into');
    const labelsInEnglish = bold(setup.querySelector('ol.guide')!);
    expect(labelsInEnglish).to.include.members(['SCIM Base URL', 'SCIM Bearer Token', 'Enable provisioning']);

    await switchTo(el, 'de');
    await waitUntil(() => text().includes('Fügen Sie auf dem Tab'), 'German guide');
    expect(text()).to.contain('Das Standard-SCIM JSON Template sendet');
    expect(text()).to.contain('Create user, Delete user und Update user ohne Freigabe durch einen Administrator');
    expect(bold(setup.querySelector('ol.guide')!)).to.have.members(labelsInEnglish);
    expect([...setup.querySelectorAll<SsoCopyField>('sso-copy-field')].map((f) => f.label)).to.deep.equal(['SCIM Base URL', 'SCIM Bearer Token']);

    await switchTo(el, 'ar');
    await waitUntil(() => text().includes('في علامة التبويب'), 'Arabic guide');
    expect(bold(setup.querySelector('ol.guide')!)).to.have.members(labelsInEnglish);

    await switchTo(el, 'en');
    await waitUntil(() => text().includes('paste the SCIM base URL below into'), 'back to English');
  });

  it('the pseudo-locale leaves no English word in the guides’ sentences', async () => {
    const { el, guide } = await keycloakSamlGuide();
    expect(englishWords(guide()).length, 'the walker sees the English guide').to.be.above(20);
    await switchTo(el, 'en-XA');
    await waitUntil(() => guide().querySelector('p')!.textContent.startsWith('['), 'pseudo guide');
    expect(englishWords(guide())).to.deep.equal([]);
    await switchTo(el, 'en');
    await waitUntil(() => guide().textContent.includes('In the Keycloak admin console'), 'back to English');

    const directory = await oneLoginDirectoryGuide();
    const parts = () => [directory.setup.querySelector('ol.guide')!, ...directory.setup.querySelectorAll('ul.plain')];
    await switchTo(directory.el, 'en-XA');
    await waitUntil(() => directory.setup.querySelector('ol.guide li')!.textContent.startsWith('['), 'pseudo directory guide');
    // "Enable provisioning" and "Groups: Include in User Provisioning" are OneLogin's own option names.
    const english = parts().flatMap(englishWords);
    expect(english.filter((w) => !['Enable', 'provisioning', 'Groups', 'Include', 'User', 'Provisioning'].includes(w))).to.deep.equal([]);
    await switchTo(directory.el, 'en');
    await waitUntil(() => directory.setup.textContent.includes('paste the SCIM base URL below into'), 'back to English');
  });
});
