// The activation step's code is fetched when the step can be reached (a successful test), not
// ahead of the test step like other steps. Its own file: a page loads a step's code once.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { MemoryAdapter, demoDocuments, demoSeed } from '../../../src/adapters/index.js';
import type { SsoAdminPortal } from '../../../src/portal/sso-admin-portal.js';
import { SsoTestCompletedEvent } from '../../../src/portal/events.js';
import { STEP_MODULES } from '../../../src/portal/wizard/sso-wizard.js';
import '../../../src/element.js';

const wizard = (el: SsoAdminPortal) => el.shadowRoot!.querySelector('sso-wizard');

describe('sso-wizard: the activation step is fetched when it can be reached', () => {
  it('not while a test has not succeeded; as soon as one does', async () => {
    sessionStorage.clear();
    // conn_entra: configured, its latest test failed.
    const adapter = new MemoryAdapter({ seed: demoSeed(), documents: demoDocuments() });
    const el = await fixture<SsoAdminPortal>(html`<sso-admin-portal .adapter=${adapter}></sso-admin-portal>`);
    await waitUntil(() => el.shadowRoot!.querySelector('sso-connections-overview'), 'overview did not render');
    const real = STEP_MODULES.activate;
    let requested = 0;
    STEP_MODULES.activate = () => (requested++, real());
    try {
      el.show({ view: 'wizard', step: 'test', connectionId: 'conn_entra' });
      await waitUntil(() => wizard(el)?.shadowRoot?.querySelector('sso-step-test'), 'test step did not render');
      const step = wizard(el)!.shadowRoot!.querySelector('sso-step-test')!;
      // The wizard fetches ahead in idle time: two idle periods later, it would have.
      for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => requestIdleCallback(() => resolve()));
      expect(requested, 'fetched before any test succeeded').to.equal(0);
      const result = (await adapter.listTestResults('conn_entra'))[0]!;
      step.dispatchEvent(new SsoTestCompletedEvent({ ...result, status: 'success', error: null }));
      await waitUntil(() => requested === 1, 'not fetched after a successful test');
    } finally {
      STEP_MODULES.activate = real;
    }
  });
});
