// The wizard loads each step's code and the picked provider's guide on demand: what a page shows
// while they load, after a failed load, and that the next step is fetched ahead.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { MemoryAdapter, demoDocuments, demoSeed } from '../../../src/adapters/index.js';
import { loadedProvider } from '../../../src/core/providers/load.js';
import type { SsoAdminPortal } from '../../../src/portal/sso-admin-portal.js';
import { STEP_MODULES } from '../../../src/portal/wizard/sso-wizard.js';
import { buttonNamed, deepActiveElement } from '../helpers.js';
import '../../../src/element.js';

async function portal() {
  sessionStorage.clear();
  const adapter = new MemoryAdapter({ documents: demoDocuments() });
  const el = await fixture<SsoAdminPortal>(html`<sso-admin-portal .adapter=${adapter}></sso-admin-portal>`);
  await waitUntil(() => el.shadowRoot!.querySelector('sso-connections-overview'), 'overview did not render');
  return { el, adapter };
}

const wizard = (el: SsoAdminPortal) => el.shadowRoot!.querySelector('sso-wizard');

describe('sso-wizard: steps and guides load on demand', () => {
  it('shows a retry when a step cannot load, keeps the draft, and shows the step once it loads', async () => {
    const { el } = await portal();
    const real = STEP_MODULES.provider;
    let fail = true;
    STEP_MODULES.provider = () => (fail ? Promise.reject(new TypeError('Failed to fetch dynamically imported module')) : real());
    try {
      const overview = el.shadowRoot!.querySelector('sso-connections-overview')!;
      await overview.updateComplete;
      buttonNamed(overview.shadowRoot!, /Set up SSO|Add connection/).click();
      await waitUntil(() => wizard(el)?.shadowRoot?.querySelector('[part="step-error"]'), 'no load error shown');
      const problem = wizard(el)!.shadowRoot!.querySelector('[part="step-error"]')!;
      expect(problem.textContent).to.include('This step could not be loaded.');
      expect(problem.textContent).to.include('network');
      expect(wizard(el)!.shadowRoot!.querySelector('sso-step-provider')).to.equal(null);
      await expect(wizard(el)).to.be.accessible();

      fail = false;
      buttonNamed(problem, /Try again/).click();
      await waitUntil(() => wizard(el)!.shadowRoot!.querySelector('sso-step-provider'), 'the step did not render after retry');
      const step = wizard(el)!.shadowRoot!.querySelector('sso-step-provider')!;
      await step.updateComplete;
      await waitUntil(() => deepActiveElement() === step.shadowRoot!.querySelector('#step-heading'), 'focus did not move to the step heading');
      expect(wizard(el)!.shadowRoot!.querySelector('[part="step-error"]')).to.equal(null);
    } finally {
      STEP_MODULES.provider = real;
    }
  });

  // Runs after the first: modules load once per page, and the guide's was loaded there.
  it('fetches the next step and the picked provider while the admin reads the current step', async () => {
    const { el } = await portal();
    const requested: string[] = [];
    const real = STEP_MODULES.saml;
    STEP_MODULES.saml = () => (requested.push('saml'), real());
    try {
      const overview = el.shadowRoot!.querySelector('sso-connections-overview')!;
      await overview.updateComplete;
      buttonNamed(overview.shadowRoot!, /Set up SSO|Add connection/).click();
      await waitUntil(() => wizard(el)?.shadowRoot?.querySelector('sso-step-provider'), 'provider step did not render');
      const step = wizard(el)!.shadowRoot!.querySelector('sso-step-provider')!;
      await step.updateComplete;
      step.shadowRoot!.querySelector<HTMLInputElement>('input[value="keycloak"]')!.click();
      // Picking is enough: the provider's guide is on its way before Continue.
      await waitUntil(() => loadedProvider('keycloak'), 'the picked provider’s guide was not fetched');
      expect(customElements.get('sso-step-saml'), 'the SAML step loads only after the guide shows').to.equal(undefined);
      buttonNamed(wizard(el)!.shadowRoot!, /Save and continue/).click();
      await waitUntil(() => wizard(el)!.shadowRoot!.querySelector('sso-step-guide'), 'guide step did not render');
      // Nothing more was clicked, but the next step's code is on its way.
      await waitUntil(() => requested.includes('saml') && customElements.get('sso-step-saml'), 'the SAML step was not fetched ahead');
    } finally {
      STEP_MODULES.saml = real;
    }
  });

  it('Next on a step that could not load tries the load again (it saves nothing meanwhile)', async () => {
    sessionStorage.clear();
    const el = await fixture<SsoAdminPortal>(html`<sso-admin-portal .adapter=${new MemoryAdapter({ seed: demoSeed(), documents: demoDocuments() })}></sso-admin-portal>`);
    await waitUntil(() => el.shadowRoot!.querySelector('sso-connections-overview'), 'overview did not render');
    const real = STEP_MODULES.test;
    let attempts = 0;
    STEP_MODULES.test = () => (++attempts === 1 ? Promise.reject(new TypeError('Failed to fetch dynamically imported module')) : real());
    try {
      el.show({ view: 'wizard', step: 'test', connectionId: 'conn_okta' });
      await waitUntil(() => wizard(el)?.shadowRoot?.querySelector('[part="step-error"]'), 'no load error shown');
      buttonNamed(wizard(el)!.shadowRoot!.querySelector<HTMLElement>('[part="actions"]')!, /^Continue$/).click();
      await waitUntil(() => wizard(el)!.shadowRoot!.querySelector('sso-step-test'), 'Next did not load the step again');
      expect(wizard(el)!.step).to.equal('test');
      expect(attempts).to.equal(2);
    } finally {
      STEP_MODULES.test = real;
    }
  });
});
