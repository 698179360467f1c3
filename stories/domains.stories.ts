/**
 * The domains panel, state by state. Each story is a panel on a fresh MemoryAdapter inside
 * `<sso-context-host>`, which stands in for the portal (tokens, theme, adapter, session and
 * announcer contexts); where a state needs input, its `play` function types and submits as an
 * admin would.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { MemoryAdapter, demoConnections, type MemoryAdapterOptions } from '../src/adapters/index.js';
import type { Connection, Domain } from '../src/core/model.js';
import type { SsoDomainsPanel } from '../src/portal/domains/sso-domains-panel.js';
import '../src/portal/domains/sso-domains-panel.js';
import { defineContextHost } from '../test/support/sso-context-host.js';
import { themeControls } from './story-helpers.js';

defineContextHost();

interface Args {
  theme: 'light' | 'dark' | 'auto';
  width: string;
}

const NOW = new Date();
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();

function domain(name: string, overrides: Partial<Domain> = {}): Domain {
  return {
    name,
    status: 'pending',
    txtRecord: { name: `_sso-verification.${name}`, value: 'sso-verification=dv_7Hq2xK9mPz4R' },
    method: 'dns_txt',
    verifiedAt: null,
    lastCheckedAt: null,
    ...overrides,
  };
}

const verified = (name: string) => domain(name, { status: 'verified', verifiedAt: minutesAgo(26 * 60), lastCheckedAt: minutesAgo(26 * 60) });

/** A panel on its own MemoryAdapter, inside a host that provides the portal's contexts. */
function domainsPanel(args: Args, options: { domains?: Domain[]; connections?: Connection[]; adapter?: MemoryAdapterOptions } = {}) {
  const adapter = new MemoryAdapter({ ...options.adapter, seed: { domains: options.domains ?? [], ...options.adapter?.seed } });
  return html`<div style="max-width:${args.width}">
    <sso-context-host theme=${args.theme} .adapter=${adapter}>
      <sso-domains-panel .connections=${options.connections ?? demoConnections(NOW)}></sso-domains-panel>
    </sso-context-host>
  </div>`;
}

async function loadedPanel(canvas: HTMLElement): Promise<SsoDomainsPanel> {
  const started = Date.now();
  for (;;) {
    const panel = canvas.querySelector('sso-domains-panel');
    if (panel?.shadowRoot?.querySelector('[part="empty-state"], [part="domain"]')) return panel;
    if (Date.now() - started > 5000) throw new Error('the domains panel did not load');
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
}

/** Waits until the panel has loaded its list, then types `value` in the Domain field and submits (Enter). */
async function addDomain(canvas: HTMLElement, value: string) {
  const panel = await loadedPanel(canvas);
  const input = panel.shadowRoot!.querySelector<HTMLInputElement>('#domain-input')!;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await panel.updateComplete;
  input.form!.requestSubmit();
}

const meta: Meta<Args> = {
  title: 'Portal/Domains',
  ...themeControls('860px'),
};
export default meta;
type Story = StoryObj<Args>;

/** No domain yet: the explanation, the empty state and the form. */
export const Empty: Story = { render: (args) => domainsPanel(args) };

/** Just added: the TXT record to create, with copy fields, and Verify now. */
export const PendingWithTxtRecord: Story = {
  render: (args) => domainsPanel(args, { domains: [domain('megacorp.example')] }),
};

/** Verified, with an active connection: its users sign in with Okta (employees). */
export const VerifiedWithRouting: Story = {
  render: (args) => domainsPanel(args, { domains: [verified('megacorp.example')] }),
};

/** The record was not found at the last check (and will not be: Verify again fails too). */
export const FailedVerification: Story = {
  render: (args) =>
    domainsPanel(args, {
      domains: [domain('megacorp.example', { status: 'failed', lastCheckedAt: minutesAgo(2) })],
      adapter: { verifyDomain: () => false },
    }),
};

/** A real DNS check found another value at the record name: the panel shows what is there. */
export const WrongTxtValue: Story = {
  render: (args) =>
    domainsPanel(args, {
      domains: [
        domain('megacorp.example', {
          status: 'failed',
          lastCheckedAt: minutesAgo(1),
          lastCheck: {
            result: 'wrong_value',
            message: 'We found a TXT record at _sso-verification.megacorp.example, but not with the expected value. Replace its value with the one shown here.',
            found: ['sso-verification=an-older-value'],
          },
        }),
      ],
      adapter: { verifyDomain: () => false },
    }),
};

/** A URL typed instead of a domain: the field explains what to remove. */
export const InvalidInput: Story = {
  render: (args) => domainsPanel(args),
  play: ({ canvasElement }) => addDomain(canvasElement, 'https://megacorp.example/login'),
};

/** A public email provider: refused, with the reason. */
export const PublicEmailProvider: Story = {
  render: (args) => domainsPanel(args),
  play: ({ canvasElement }) => addDomain(canvasElement, 'gmail.com'),
};

/** Another organization verified this domain already (`domain_taken` from the adapter). */
export const Taken: Story = {
  render: (args) => domainsPanel(args, { adapter: { takenDomains: ['initech.example'] } }),
  play: ({ canvasElement }) => addDomain(canvasElement, 'initech.example'),
};

/** 320 px, dark: a verified domain routed to SSO and a pending one with its record, no active connection. */
export const DarkNarrow: Story = {
  args: { theme: 'dark', width: '320px' },
  render: (args) =>
    domainsPanel(args, {
      domains: [verified('megacorp.example'), domain('eu.megacorp-international-holdings.example')],
      connections: demoConnections(NOW).map((c) => ({ ...c, status: c.status === 'active' ? ('inactive' as const) : c.status })),
    }),
};
