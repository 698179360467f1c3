/**
 * Testing a login, activating, and managing connections from the overview: each state a
 * person can meet, on a fresh MemoryAdapter with the demo data.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ref } from 'lit/directives/ref.js';
import { MemoryAdapter, demoSeed, type MemoryAdapterOptions, type TestOutcome } from '../src/adapters/index.js';
import type { Connection } from '../src/core/model.js';
import type { WizardStep } from '../src/core/wizard.js';
import type { SsoAdminPortal } from '../src/portal/sso-admin-portal.js';
import '../src/index.js';
import { find, press, themeControls } from './story-helpers.js';
import { msg } from '../src/portal/localize/msg.js';


interface Args {
  theme: 'light' | 'dark' | 'auto';
  width: string;
}

const NOW = new Date();

/** The demo portal; `at` opens a wizard step of the Okta connection; `then` acts after it rendered. */
function portal(
  args: Args,
  options: { at?: WizardStep; okta?: Partial<Connection>; adapter?: MemoryAdapterOptions; noVerifiedDomain?: boolean; then?: (el: SsoAdminPortal, adapter: MemoryAdapter) => unknown } = {},
) {
  sessionStorage.clear();
  const seed = { ...demoSeed(NOW), ...(options.noVerifiedDomain ? { domains: [] } : {}) };
  const okta = { ...seed.connections![0]!, ...options.okta };
  const adapter = new MemoryAdapter({ testDuration: 1500, ...options.adapter, seed: { ...seed, connections: [okta, seed.connections![1]!] } });
  const ready = (el?: Element) => {
    if (!el) return;
    const portalEl = el as SsoAdminPortal;
    if (options.at) portalEl.show({ view: 'wizard', step: options.at, connectionId: okta.id });
    if (options.then) void options.then(portalEl, adapter);
  };
  return html`<div style="max-width:${args.width}">
    <sso-admin-portal theme=${args.theme} .adapter=${adapter} ${ref(ready)}></sso-admin-portal>
  </div>`;
}



const TEST_STEP = ['sso-wizard', 'sso-step-test'];
const ACTIVATE_STEP = ['sso-wizard', 'sso-step-activate'];

/** Runs a test that ends with `outcome`. */
function tested(outcome: TestOutcome) {
  return (el: SsoAdminPortal, adapter: MemoryAdapter) => {
    adapter.setTestOutcome(outcome);
    return press(el, TEST_STEP, msg('Test connection'));
  };
}

const meta: Meta<Args> = {
  title: 'Portal/Test and activate',
  ...themeControls('860px'),
};
export default meta;
type Story = StoryObj<Args>;

export const TestReady: Story = { render: (args) => portal(args, { at: 'test' }) };
export const TestWaiting: Story = { render: (args) => portal(args, { at: 'test', adapter: { testDuration: 1_000_000_000 }, then: tested('success') }) };
export const TestIdpInitiated: Story = {
  render: (args) =>
    portal(args, {
      at: 'test',
      then: async (el) => (await find<HTMLInputElement>(el, [...TEST_STEP, '#mode-idp'])).click(),
    }),
};
export const TestSuccess: Story = { render: (args) => portal(args, { at: 'test', adapter: { testDuration: 0 }, then: tested('success') }) };
/** The test worked, but no domain is verified yet: the result warns that sign-ins need one. */
export const TestSuccessDomainNotVerified: Story = {
  render: (args) => portal(args, { at: 'test', adapter: { testDuration: 0 }, noVerifiedDomain: true, then: tested('success') }),
};
export const TestAudienceMismatch: Story = { render: (args) => portal(args, { at: 'test', adapter: { testDuration: 0 }, then: tested('audience_mismatch') }) };
export const TestSignatureInvalid: Story = { render: (args) => portal(args, { at: 'test', adapter: { testDuration: 0 }, then: tested('signature_invalid') }) };
export const TestMissingEmail: Story = { render: (args) => portal(args, { at: 'test', adapter: { testDuration: 0 }, then: tested('missing_email') }) };
export const TestClockSkew: Story = { render: (args) => portal(args, { at: 'test', adapter: { testDuration: 0 }, then: tested('assertion_not_yet_valid') }) };
export const TestSuccessDarkNarrow: Story = { args: { theme: 'dark', width: '320px' }, render: (args) => portal(args, { at: 'test', adapter: { testDuration: 0 }, then: tested('success') }) };

export const ActivateReady: Story = { render: (args) => portal(args, { at: 'activate', okta: { status: 'configured' } }) };
export const ActivateConfirm: Story = {
  render: (args) => portal(args, { at: 'activate', okta: { status: 'configured' }, then: (el) => press(el, ACTIVATE_STEP, msg('Activate')) }),
};
export const ActivateNeedsTest: Story = { render: (args) => portal(args, { at: 'activate', okta: { status: 'configured', lastTest: null } }) };
export const ActivateStaleTest: Story = {
  render: (args) => portal(args, { at: 'activate', okta: { status: 'configured', lastTest: { id: 't1', mode: 'sp', status: 'success', at: NOW.toISOString(), stale: true } } }),
};
export const ActiveConnection: Story = { render: (args) => portal(args, { at: 'activate' }) };

export const OverviewCertificateExpiring: Story = {
  render: (args) => portal(args, { okta: { certificateExpiresAt: new Date(NOW.getTime() + 12 * 86_400_000).toISOString() } }),
};
export const OverviewCertificateExpired: Story = {
  render: (args) => portal(args, { okta: { certificateExpiresAt: new Date(NOW.getTime() - 3 * 86_400_000).toISOString() } }),
};
export const OverviewDeleteActive: Story = {
  render: (args) =>
    portal(args, {
      then: async (el) => {
        const menu = await find<HTMLElement>(el, ['sso-connections-overview', 'sso-action-menu']);
        (await find<HTMLButtonElement>(menu, ['#menu-button'])).click();
        (await find<HTMLButtonElement>(menu, ['[data-item="delete"]'])).click();
      },
    }),
};
