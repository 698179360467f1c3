/**
 * "Test link for a colleague" in the test step (issue 15): each state a person can meet, on a
 * fresh MemoryAdapter with the demo data: the button, the empty panel, a link just made (its URL
 * shown once), every status of a link (not used yet, signing in, passed with the colleague's
 * profile, failed, expired, withdrawn), and a refused creation.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ref } from 'lit/directives/ref.js';
import { MemoryAdapter, demoSeed, type MemoryAdapterOptions, type MemoryTestLink } from '../src/adapters/index.js';
import type { TestResult } from '../src/core/model.js';
import type { SsoAdminPortal } from '../src/portal/sso-admin-portal.js';
import '../src/index.js';
import { find, press, themeControls, type ThemeArgs } from './story-helpers.js';
import { msg } from '../src/portal/localize/msg.js';


const NOW = new Date();
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();
const inHours = (hours: number) => new Date(NOW.getTime() + hours * 3_600_000).toISOString();

const TEST_STEP = ['sso-wizard', 'sso-step-test'];
const LINKS = [...TEST_STEP, 'sso-test-links'];

/** The demo portal at the Okta connection's test step, with `links` (and their tests); `then` acts after it rendered. */
function portal(args: ThemeArgs, o: { links?: MemoryTestLink[]; tests?: TestResult[]; adapter?: MemoryAdapterOptions; then?: (el: SsoAdminPortal, adapter: MemoryAdapter) => unknown } = {}) {
  sessionStorage.clear();
  const seed = demoSeed(NOW);
  const okta = seed.connections![0]!;
  const adapter = new MemoryAdapter({ testDuration: 1_000_000_000, ...o.adapter, seed: { ...seed, tests: [...(seed.tests ?? []), ...(o.tests ?? [])], testLinks: o.links ?? [] } });
  const ready = (el?: Element) => {
    if (!el) return;
    const portalEl = el as SsoAdminPortal;
    portalEl.show({ view: 'wizard', step: 'test', connectionId: okta.id });
    if (o.then) void o.then(portalEl, adapter);
  };
  return html`<div style="max-width:${args.width}">
    <sso-admin-portal theme=${args.theme} .adapter=${adapter} ${ref(ready)}></sso-admin-portal>
  </div>`;
}

/** Presses "Test link for a colleague" (the step's button, inside the not yet loaded element). */
async function openPanel(el: SsoAdminPortal): Promise<void> {
  const links = await find<HTMLElement>(el, LINKS);
  links.querySelector('button')!.click();
}

const OKTA = 'conn_okta';
const link = (id: string, label: string, extra: Partial<MemoryTestLink> = {}): MemoryTestLink => ({
  id,
  connectionId: OKTA,
  label,
  createdAt: ago(90),
  expiresAt: inHours(22),
  usedAt: null,
  revokedAt: null,
  testId: null,
  ...extra,
});
const test = (id: string, linkId: string, outcome: Partial<TestResult>): TestResult => ({
  id,
  connectionId: OKTA,
  mode: 'sp',
  status: 'success',
  profile: { email: 'ada@megacorp.example', firstName: 'Ada', lastName: 'Lovelace', groups: ['Finance'], subject: 'ada@megacorp.example' },
  rawAttributes: { email: ['ada@megacorp.example'], firstName: ['Ada'], lastName: ['Lovelace'], groups: ['Finance'] },
  error: null,
  startedAt: ago(30),
  completedAt: ago(29),
  testLinkId: linkId,
  ...outcome,
});

/** One link in each state (newest first once listed). */
const EVERY_STATE = {
  links: [
    link('tl_withdrawn', 'Grace (left the team)', { createdAt: ago(600), revokedAt: ago(500) }),
    link('tl_expired', 'Linus', { createdAt: ago(60 * 30), expiresAt: ago(60 * 6) }),
    link('tl_failed', 'Bob <b>Sales</b>', { createdAt: ago(240), usedAt: ago(200), testId: 'test_link_failed' }),
    link('tl_passed', 'Ada, Finance', { createdAt: ago(120), usedAt: ago(30), testId: 'test_link_passed' }),
    link('tl_signing_in', 'Margaret', { createdAt: ago(20), usedAt: ago(1), testId: 'test_link_pending' }),
    link('tl_pending', 'Alan', { createdAt: ago(5) }),
  ],
  tests: [
    test('test_link_failed', 'tl_failed', {
      status: 'failure',
      profile: null,
      rawAttributes: {},
      error: {
        code: 'audience_mismatch',
        message: 'The assertion is for another service provider (its audience is not our entity ID).',
        remedy: 'In Okta, set the Audience URI (SP Entity ID) to the value the portal shows, then test again.',
        details: { received: ['https://other.example/sp'], expected: ['https://sso.example/saml/org/conn'] },
      },
      startedAt: ago(200),
      completedAt: ago(199),
    }),
    test('test_link_passed', 'tl_passed', {}),
    test('test_link_pending', 'tl_signing_in', { status: 'pending', profile: null, rawAttributes: {}, startedAt: ago(1), completedAt: null }),
  ],
};

const meta: Meta<ThemeArgs> = {
  title: 'Portal/Test links',
  ...themeControls('860px'),
};
export default meta;
type Story = StoryObj<ThemeArgs>;

export const LinkButton: Story = { render: (args) => portal(args) };
export const PanelEmpty: Story = { render: (args) => portal(args, { then: openPanel }) };
export const LinkCreated: Story = {
  render: (args) =>
    portal(args, {
      then: async (el) => {
        await openPanel(el);
        await find(el, [...LINKS, 'h4']);
        await press(el, LINKS, msg('Create test link'));
      },
    }),
};
export const EveryState: Story = { render: (args) => portal(args, { ...EVERY_STATE, then: openPanel }) };
export const EveryStateDarkNarrow: Story = { args: { theme: 'dark', width: '320px' }, render: (args) => portal(args, { ...EVERY_STATE, then: openPanel }) };
export const CreateRefused: Story = {
  render: (args) =>
    portal(args, {
      then: async (el, adapter) => {
        adapter.setFault('createTestLink', { code: 'rate_limited' });
        await openPanel(el);
        await find(el, [...LINKS, 'h4']);
        await press(el, LINKS, msg('Create test link'));
      },
    }),
};
