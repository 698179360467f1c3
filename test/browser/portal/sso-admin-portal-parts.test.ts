// A host page styles the inner views through the shell's exported parts (`<view>-<part>`), from
// its own light-DOM stylesheet; the computed style inside the shadow roots shows what reached.
import { expect, waitUntil } from '@open-wc/testing';
import { demoSeed } from '../../../src/adapters/index.js';
import type { SsoAdminPortal } from '../../../src/portal/sso-admin-portal.js';
import { portal, startWizard, wizardOf } from './wizard-helpers.js';

/** A distinct `text-indent` per part name: nothing in the portal's own styles sets one. */
const HOST_CSS = `
  sso-admin-portal::part(overview-heading) { text-indent: 11px; }
  sso-admin-portal::part(domains-heading) { text-indent: 12px; }
  sso-admin-portal::part(rollout-preview) { text-indent: 13px; }
  sso-admin-portal::part(wizard-step) { text-indent: 14px; }
  sso-admin-portal::part(stepper-list) { text-indent: 15px; }
  sso-admin-portal::part(heading) { text-indent: 99px; }
`;

const indent = (el: Element | null | undefined) => (el ? getComputedStyle(el).textIndent : 'missing');
const inner = (host: Element | null | undefined, selector: string) => host?.shadowRoot?.querySelector(selector);

describe('<sso-admin-portal> exported parts', () => {
  let style: HTMLStyleElement;
  beforeEach(() => {
    style = document.head.appendChild(document.createElement('style'));
    style.textContent = HOST_CSS;
  });
  afterEach(() => style.remove());

  it('lets the host style the overview, the domains panel (two levels down) and the rollout (three) by prefixed names', async () => {
    const { el } = await portal({ seed: demoSeed() });
    const overview = el.shadowRoot!.querySelector('sso-connections-overview');
    const domains = () => inner(overview, 'sso-domains-panel');
    const rollout = () => inner(domains(), 'sso-rollout-section');
    await waitUntil(() => inner(rollout(), '[part~="preview"]'), 'the rollout section did not render', { timeout: 5000 }); // its chunk loads on demand
    await waitUntil(() => inner(domains(), '[part~="heading"]'), 'the domains panel did not render', { timeout: 5000 });
    expect(indent(inner(overview, '[part~="heading"]')), 'overview-heading').to.equal('11px');
    expect(indent(inner(domains(), '[part~="heading"]')), 'domains-heading').to.equal('12px');
    expect(indent(inner(rollout(), '[part~="preview"]')), 'rollout-preview').to.equal('13px');
  });

  it('lets the host style the wizard and its stepper (two levels down)', async () => {
    const { el } = await portal();
    await startWizard(el);
    const wizard = wizardOf(el)!;
    expect(indent(inner(wizard, '[part~="step"]')), 'wizard-step').to.equal('14px');
    expect(indent(inner(inner(wizard, 'sso-stepper'), '[part~="list"]')), 'stepper-list').to.equal('15px');
  });

  it('exports inner parts only under their prefixed names, never their own', async () => {
    const { el }: { el: SsoAdminPortal } = await portal({ seed: demoSeed() });
    const overview = el.shadowRoot!.querySelector('sso-connections-overview');
    await waitUntil(() => inner(overview, '[part~="heading"]'), 'the overview did not render');
    expect(indent(inner(overview, '[part~="heading"]'))).to.equal('11px');
    expect(overview!.getAttribute('exportparts')).to.contain('heading:overview-heading');
  });
});

