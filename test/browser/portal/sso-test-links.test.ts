import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { MemoryAdapter, demoSeed, type MemoryAdapterOptions } from '../../../src/adapters/index.js';
import type { SsoAdminPortal } from '../../../src/portal/sso-admin-portal.js';
import type { SsoStepElement } from '../../../src/portal/wizard/step-element.js';
import { buttonNamed, deepActiveElement, tabTo } from '../helpers.js';
import '../../../src/index.js';

/** "Test link for a colleague" in the test step, with the MemoryAdapter (the server's side: test/server/test-links.test.ts, test-link-browser.test.ts). */

const NOW = new Date();

before(async function () {
  this.timeout(60_000);
  await import('../../../src/portal/wizard/sso-wizard.js');
  await import('../../../src/portal/wizard/sso-step-test.js');
  await import('../../../src/portal/test/sso-test-result.js');
});

async function testStep(options: MemoryAdapterOptions = {}) {
  sessionStorage.clear();
  const seed = demoSeed(NOW);
  const okta = seed.connections![0]!;
  const adapter = new MemoryAdapter({ testDuration: 0, ...options, seed: { ...seed, connections: [okta, seed.connections![1]!] } });
  const el = await fixture<SsoAdminPortal>(html`<sso-admin-portal .adapter=${adapter}></sso-admin-portal>`);
  await waitUntil(() => el.shadowRoot!.querySelector('sso-connections-overview'));
  el.show({ view: 'wizard', step: 'test', connectionId: okta.id });
  await waitUntil(() => el.shadowRoot!.querySelector('sso-wizard')?.shadowRoot?.querySelector('sso-step-test'), 'no test step', { timeout: 4000 });
  const step = el.shadowRoot!.querySelector('sso-wizard')!.shadowRoot!.querySelector('sso-step-test') as SsoStepElement;
  await step.updateComplete;
  return { el, adapter, step, connection: okta };
}

/** Opens the panel with the keyboard; its chunk loads on the press. */
async function openPanel(step: SsoStepElement) {
  await tabTo(buttonNamed(step.shadowRoot!, /^Test link for a colleague$/));
  await sendKeys({ press: 'Enter' });
  await waitUntil(() => step.shadowRoot!.querySelector('sso-test-links')?.shadowRoot?.querySelector('h4'), 'the panel did not open', { timeout: 4000 });
  const panel = step.shadowRoot!.querySelector('sso-test-links')!;
  await panel.updateComplete;
  return panel;
}

describe('test links for a colleague', () => {
  it('opens with the keyboard, focus on its heading; makes a link (URL shown once), lists it pending; axe-clean', async () => {
    const { el, adapter, step, connection } = await testStep();
    const panel = await openPanel(step);
    expect(deepActiveElement()?.id).to.equal('links-heading');
    const input = panel.shadowRoot!.querySelector<HTMLInputElement>('#link-label')!;
    input.focus();
    await sendKeys({ type: 'Ada <b>Finance</b>' });
    await tabTo(buttonNamed(panel.shadowRoot!, /^Create test link$/));
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => panel.shadowRoot!.querySelector('sso-copy-field'), 'no URL shown');
    const copy = panel.shadowRoot!.querySelector('sso-copy-field')!;
    expect(copy.value).to.match(/\/test-link\/tl_[A-Za-z0-9_-]{43}$/);
    await waitUntil(() => panel.shadowRoot!.querySelector('li'), 'not listed');
    const item = panel.shadowRoot!.querySelector('li')!;
    expect(item.querySelector('.who')!.textContent).to.equal('Ada <b>Finance</b>'); // as text
    expect(item.querySelector('sso-status-badge')!.getAttribute('label')).to.equal('Not used yet');
    const [listed] = await adapter.listTestLinks(connection.id);
    expect(listed!.status).to.equal('pending');
    await expect(el).to.be.accessible();
  });

  it('a colleague uses it: the panel polls, then shows the result in the test step’s own result view', async () => {
    const { el, adapter, step, connection } = await testStep();
    const panel = await openPanel(step);
    panel.pollInterval = 20;
    await tabTo(buttonNamed(panel.shadowRoot!, /^Create test link$/));
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => panel.shadowRoot!.querySelector('li'), 'not listed');
    const [made] = await adapter.listTestLinks(connection.id);
    adapter.useTestLink(made!.id, 'success');
    await waitUntil(() => panel.shadowRoot!.querySelector('sso-test-result'), 'no result view', { timeout: 4000 });
    const view = panel.shadowRoot!.querySelector('sso-test-result')!;
    await view.updateComplete;
    expect(panel.shadowRoot!.querySelector('sso-status-badge')!.getAttribute('label')).to.equal('Passed');
    expect(view.result!.testLinkId).to.equal(made!.id);
    expect(view.shadowRoot!.textContent).to.contain(view.result!.profile!.email!);
    expect(panel.shadowRoot!.querySelector('details')!.open).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('a failed colleague test shows its failure; withdrawing a pending link with the keyboard; a second withdrawal is a conflict', async () => {
    const { step, adapter, connection } = await testStep();
    const failed = await adapter.createTestLink(connection.id, { label: 'Failing' });
    adapter.useTestLink(failed.id, 'audience_mismatch');
    const pending = await adapter.createTestLink(connection.id, { label: 'Bob' });
    const panel = await openPanel(step);
    await waitUntil(() => panel.shadowRoot!.querySelectorAll('li').length === 2 && panel.shadowRoot!.querySelector('sso-test-result'), 'not listed', { timeout: 4000 });
    expect([...panel.shadowRoot!.querySelectorAll('sso-status-badge')].map((b) => b.getAttribute('label'))).to.deep.equal(['Not used yet', 'Failed']);
    await tabTo(buttonNamed(panel.shadowRoot!, /^Withdraw$/));
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => panel.shadowRoot!.querySelector('sso-status-badge[label="Withdrawn"]'), 'not withdrawn');
    expect(deepActiveElement()?.id).to.equal('links-heading');
    expect((await adapter.listTestLinks(connection.id)).find((l) => l.id === pending.id)!.status).to.equal('revoked');
    let refused = '';
    await adapter.revokeTestLink(pending.id).catch((e: { code: string }) => (refused = e.code));
    expect(refused).to.equal('conflict');
  });

  it('an adapter without test links: the panel says so instead of failing', async () => {
    const { step } = await testStep({ testLinks: false });
    const button = buttonNamed(step.shadowRoot!, /^Test link for a colleague$/);
    button.click();
    await waitUntil(() => step.shadowRoot!.querySelector('sso-test-links')?.shadowRoot?.textContent?.includes('does not offer test links'), 'no note', { timeout: 4000 });
  });
});
