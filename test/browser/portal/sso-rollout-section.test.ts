/**
 * Test users first and the routing preview (issue 15) in the domains panel, on a MemoryAdapter,
 * with the keyboard: activate for test users (an email outside the verified domains refused at
 * the field), the preview's answer for a test user and another user, promotion to everyone in a
 * confirmed step, and the connection change the overview hears of.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { MemoryAdapter, demoConnections, demoDomains } from '../../../src/adapters/index.js';
import type { Connection } from '../../../src/core/model.js';
import { providerName } from '../../../src/core/providers/names.js';
import type { SsoConnectionChangeEvent } from '../../../src/portal/internal-events.js';
import { defineContextHost, type SsoContextHost } from '../../support/sso-context-host.js';
import '../../../src/portal/domains/sso-domains-panel.js';
import { switchLocale } from '../../../src/portal/localize/switch-locale.js';

defineContextHost();

const NOW = new Date('2026-11-29T12:00:00Z');

async function setup() {
  const [okta] = demoConnections(NOW);
  const connections: Connection[] = [{ ...okta!, status: 'configured' }];
  const adapter = new MemoryAdapter({ now: () => NOW, providerName, seed: { connections, domains: demoDomains(NOW) } });
  const session = await adapter.getSession();
  const host = await fixture<SsoContextHost>(html`<sso-context-host .adapter=${adapter} .session=${session}>
    <sso-domains-panel .connections=${connections} .now=${NOW}></sso-domains-panel>
  </sso-context-host>`);
  const panel = host.querySelector('sso-domains-panel')!;
  await waitUntil(() => panel.shadowRoot!.querySelector('sso-rollout-section')?.shadowRoot?.querySelector('[part="preview"]'), 'the rollout section did not load');
  const section = panel.shadowRoot!.querySelector('sso-rollout-section')!;
  const changes: Connection[] = [];
  host.addEventListener('sso-connection-change', (e: SsoConnectionChangeEvent) => {
    if (e.connection) {
      changes.push(e.connection);
      section.connections = [e.connection];
    }
  });
  return { adapter, section, root: section.shadowRoot!, changes };
}

const button = (root: ShadowRoot, name: RegExp) => [...root.querySelectorAll('button')].find((b) => name.test(b.textContent ?? ''))!;

describe('sso-rollout-section', () => {
  it('activates for test users (refusing an email outside the verified domains), previews, promotes', async () => {
    const { adapter, section, root, changes } = await setup();
    button(root, /Activate for test users/).focus();
    await sendKeys({ press: 'Enter' });
    await section.updateComplete;
    const field = root.querySelector('textarea')!;
    await waitUntil(() => root.activeElement === field || section.shadowRoot!.activeElement === field, 'focus goes to the field');
    await sendKeys({ type: 'tess@megacorp.example, eve@elsewhere.example' });
    root.querySelector<HTMLFormElement>('[part="editor"]')!.requestSubmit();
    await waitUntil(() => root.querySelector('[part="editor"] .error'), 'the refusal is shown at the field');
    expect(root.querySelector('[part="editor"] .error')!.textContent).to.contain('eve@elsewhere.example is not at a verified domain');
    // Worded by the portal from the refusal's reason and values (so it translates), not the server's English.
    expect(root.querySelector('[part="editor"] .error')!.textContent).to.match(/Your verified domains: [a-z.]+\./);
    // A language switch with the refusal on screen words it again, in German, with the same values.
    await switchLocale('de');
    await section.updateComplete;
    expect(root.querySelector('[part="editor"] .error')!.textContent).to.match(/eve@elsewhere\.example gehört zu keiner verifizierten Domain: .* [a-z]+\.example/);
    await switchLocale('en');
    await section.updateComplete;
    expect(root.querySelector('[part="editor"] .error')!.textContent).to.contain('eve@elsewhere.example is not at a verified domain');
    expect(field.getAttribute('aria-invalid')).to.equal('true');

    field.value = 'tess@megacorp.example';
    field.dispatchEvent(new Event('input'));
    root.querySelector<HTMLFormElement>('[part="editor"]')!.requestSubmit();
    await waitUntil(() => changes.length === 1, 'the overview is told');
    expect(changes[0]!.staged).to.deep.equal({ testUsers: ['tess@megacorp.example'], signedIn: [] });
    await section.updateComplete;
    expect(root.querySelector('[part="rollout"]')!.textContent).to.contain('Active for 1 test user, 0 signed in');

    // The preview: what discovery would do, with the reasons.
    const email = root.querySelector<HTMLInputElement>('#routing-email')!;
    email.focus();
    await sendKeys({ type: 'ada@megacorp.example' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => root.querySelector('.answer'), 'the answer is shown');
    expect(root.querySelector('.answer')!.textContent).to.contain('password sign-in');
    expect(root.querySelector('.answer')!.textContent).to.contain('Okta (employees) is active for test users only; ada@ is not one of them');
    email.select();
    await sendKeys({ type: 'tess@megacorp.example' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => root.querySelector('.answer')?.textContent?.includes('single sign-on with'), 'the test user is routed');

    // Promote: one confirmed step.
    button(root, /Promote to everyone/).click();
    const dialog = root.querySelector('sso-confirm-dialog')!;
    await waitUntil(() => dialog.shadowRoot?.querySelector('dialog')?.open, 'the confirmation opens');
    [...dialog.shadowRoot!.querySelectorAll('button')].find((b) => /Activate for everyone/.test(b.textContent ?? ''))!.click();
    await waitUntil(() => changes.length === 2, 'promoted');
    expect(changes[1]!.status).to.equal('active');
    expect(changes[1]!.staged).to.equal(undefined);
    expect((await adapter.getConnection(changes[1]!.id)).status).to.equal('active');
    await expect(section).to.be.accessible();
  });
});
