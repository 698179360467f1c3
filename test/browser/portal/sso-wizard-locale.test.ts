/**
 * The wizard in other languages (issue 16): a live switch re-renders the steps' text, Arabic
 * included, and in the pseudo-locale no English word is left outside values. The runtime is one
 * per page: each test ends in English.
 */
import { expect } from '@open-wc/testing';
import type { SsoStepProvider } from '../../../src/portal/wizard/sso-step-provider.js';
import { switchTo, untranslatedText } from '../localize-helpers.js';
import { chooseProvider, portal, startWizard, wizardOf } from './wizard-helpers.js';

describe('sso-wizard: languages', () => {
  afterEach(async () => {
    const el = document.querySelector('sso-admin-portal');
    if (el) await switchTo(el, 'en');
  });

  it('switches the steps, the buttons and the step region’s name live, to German and to Arabic', async () => {
    const { el } = await portal();
    const step = await startWizard(el);
    const wizard = wizardOf(el)!;
    const heading = () => step.shadowRoot!.querySelector('h3')!.textContent.trim();
    const region = () => wizard.shadowRoot!.querySelector('[part="step"]')!.getAttribute('aria-label');
    expect(heading()).to.equal('Which identity provider do you use?');

    await switchTo(el, 'de');
    expect(heading()).to.equal('Welchen Identitätsanbieter verwenden Sie?');
    expect(region()).to.equal('Schritt 1 von 6: Identitätsanbieter');
    expect(wizard.shadowRoot!.querySelector('.header button')!.textContent).to.equal('Zurück zu den Verbindungen');

    await switchTo(el, 'ar');
    expect(heading()).to.equal('ما موفّر الهوية الذي تستخدمه؟');
    expect(region()).to.equal('الخطوة 1 من 6: موفر الهوية');

    await switchTo(el, 'en');
    expect(heading()).to.equal('Which identity provider do you use?');
  });

  it('leaves no English word outside values in the pseudo-locale', async () => {
    const { el } = await portal();
    const step = (await chooseProvider(el, 'okta')) as SsoStepProvider;
    await switchTo(el, 'en-XA');
    // Values: provider names and the protocols' own names.
    const allow = [...step.providers.map((p) => p.name), 'SAML 2.0', 'OpenID Connect', 'SAML', 'OpenID'];
    expect(untranslatedText(step, allow)).to.deep.equal([]);
    // The wizard's own frame; the stepper and the copy fields belong to the UI parts' tests.
    expect(untranslatedText(wizardOf(el)!, allow, ['sso-stepper', 'sso-step-provider'])).to.deep.equal([]);
  });
});
