/**
 * Test users first (staged activation) and the routing preview, below the domains panel, state
 * by state: a panel on a fresh MemoryAdapter inside `<sso-context-host>`; where a state needs
 * input, its `play` function types and submits as an admin would.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { MemoryAdapter, demoConnections, demoDomains } from '../src/adapters/index.js';
import type { Connection } from '../src/core/model.js';
import { providerName } from '../src/core/providers/names.js';
import '../src/portal/domains/sso-domains-panel.js';
import '../src/portal/rollout/sso-rollout-section.js';
import { defineContextHost } from '../test/support/sso-context-host.js';
import { themeControls } from './story-helpers.js';

defineContextHost();

interface Args {
  theme: 'light' | 'dark' | 'auto';
  width: string;
}

const NOW = new Date();

/** Okta, tested and configured; `staged`: active for these test users. */
function okta(staged?: Connection['staged']): Connection[] {
  const [first, ...rest] = demoConnections(NOW);
  return [{ ...first!, status: 'configured', ...(staged ? { staged } : {}) }, ...rest];
}

const STAGED = { testUsers: ['tess@megacorp.example', 'grace@megacorp.example', 'linus@megacorp.example'], signedIn: ['tess@megacorp.example'] };

/** The domains panel with the rollout section, on its own MemoryAdapter. */
function panel(args: Args, connections: Connection[], setup?: (adapter: MemoryAdapter) => void) {
  const adapter = new MemoryAdapter({ providerName, seed: { domains: demoDomains(NOW), connections } });
  setup?.(adapter);
  return html`<div style="max-width:${args.width}">
    <sso-context-host theme=${args.theme} .adapter=${adapter}>
      <sso-domains-panel .connections=${connections}></sso-domains-panel>
    </sso-context-host>
  </div>`;
}

/** The rollout section's shadow root, once it rendered. */
async function section(canvas: HTMLElement): Promise<ShadowRoot> {
  const started = Date.now();
  for (;;) {
    const root = canvas.querySelector('sso-domains-panel')?.shadowRoot?.querySelector('sso-rollout-section')?.shadowRoot;
    if (root?.querySelector('[part="preview"]')) return root;
    if (Date.now() - started > 5000) throw new Error('the rollout section did not load');
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
}

function type(field: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

/** Types an email in the routing preview and submits it. */
async function preview(canvas: HTMLElement, email: string) {
  const root = await section(canvas);
  type(root.querySelector<HTMLInputElement>('#routing-email')!, email);
  await new Promise((resolve) => requestAnimationFrame(resolve));
  root.querySelector<HTMLFormElement>('[part="preview"] form')!.requestSubmit();
}

/** Opens the test users' editor of the first connection; with `emails`, types them and saves. */
async function editTestUsers(canvas: HTMLElement, emails?: string) {
  const root = await section(canvas);
  root.querySelector<HTMLButtonElement>('[part="rollout"] .actions button')!.click();
  if (emails === undefined) return;
  await new Promise((resolve) => requestAnimationFrame(resolve));
  type(root.querySelector<HTMLTextAreaElement>('textarea')!, emails);
  await new Promise((resolve) => requestAnimationFrame(resolve));
  root.querySelector<HTMLFormElement>('[part="editor"]')!.requestSubmit();
}

const meta: Meta<Args> = {
  title: 'Portal/Rollout',
  ...themeControls('860px'),
};
export default meta;
type Story = StoryObj<Args>;

/** Okta is tested but not active: "Activate for test users…". */
export const ReadyForTestUsers: Story = { render: (args) => panel(args, okta()) };

/** Active for 3 test users, one of whom signed in: edit, promote to everyone, turn off. */
export const ActiveForTestUsers: Story = { render: (args) => panel(args, okta(STAGED)) };

/** The test users' editor, open. */
export const EditingTestUsers: Story = { render: (args) => panel(args, okta()), play: ({ canvasElement }) => editTestUsers(canvasElement) };

/** An email outside the verified domains is refused, with the reason at the field. */
export const OutsideVerifiedDomains: Story = {
  render: (args) => panel(args, okta()),
  play: ({ canvasElement }) => editTestUsers(canvasElement, 'tess@megacorp.example\neve@elsewhere.example'),
};

/** The preview for a test user: single sign-on with Okta, and why. */
export const PreviewTestUser: Story = { render: (args) => panel(args, okta(STAGED)), play: ({ canvasElement }) => preview(canvasElement, 'tess@megacorp.example') };

/** The preview for someone who is not a test user: password sign-in, and why. */
export const PreviewNotATestUser: Story = { render: (args) => panel(args, okta(STAGED)), play: ({ canvasElement }) => preview(canvasElement, 'ada@megacorp.example') };

/** The preview for a domain the organization has not verified. */
export const PreviewOtherDomain: Story = { render: (args) => panel(args, okta(STAGED)), play: ({ canvasElement }) => preview(canvasElement, 'ada@elsewhere.example') };

/** The preview could not be asked (network). */
export const PreviewFailed: Story = {
  render: (args) => panel(args, okta(STAGED), (adapter) => adapter.setFault('previewRouting', { code: 'network' })),
  play: ({ canvasElement }) => preview(canvasElement, 'ada@megacorp.example'),
};

/** Dark, on a phone. */
export const DarkNarrow: Story = { args: { theme: 'dark', width: '320px' }, render: (args) => panel(args, okta(STAGED)) };
