import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { MemoryAdapter, demoSeed, type MemoryAdapterOptions } from '../src/adapters/index.js';
import type { PortalErrorCode } from '../src/core/errors.js';
import '../src/index.js';

interface Args {
  theme: 'light' | 'dark' | 'auto';
  width: string;
  dir: 'ltr' | 'rtl';
}

/** A fresh adapter for each render, so stories never share state. */
function portal(args: Args, makeAdapter: () => MemoryAdapter | undefined, attrs: { apiBase?: string; token?: string } = {}) {
  return html`<div dir=${args.dir} style="max-width:${args.width}">
    <sso-admin-portal
      .adapter=${makeAdapter()}
      theme=${args.theme}
      api-base=${attrs.apiBase ?? ''}
      token=${attrs.token ?? ''}
    ></sso-admin-portal>
  </div>`;
}

const withData = (options: MemoryAdapterOptions = {}) => () => new MemoryAdapter({ seed: demoSeed(), ...options });

function failing(code: PortalErrorCode) {
  return () => {
    const adapter = new MemoryAdapter({ seed: demoSeed() });
    adapter.setFault('getSession', { code });
    return adapter;
  };
}

const meta: Meta<Args> = {
  title: 'Portal/Shell',
  component: 'sso-admin-portal',
  args: { theme: 'light', width: '960px', dir: 'ltr' },
  argTypes: {
    theme: { control: 'inline-radio', options: ['light', 'dark', 'auto'] },
    width: { control: 'inline-radio', options: ['320px', '480px', '960px'] },
    dir: { control: 'inline-radio', options: ['ltr', 'rtl'] },
  },
};
export default meta;

type Story = StoryObj<Args>;

export const Connections: Story = { render: (args) => portal(args, withData()) };

/** A connection active for test users only: the overview says for how many, and how many signed in. */
export const ActiveForTestUsers: Story = {
  render: (args) =>
    portal(args, () => {
      const seed = demoSeed();
      const [okta, ...rest] = seed.connections!;
      return new MemoryAdapter({ seed: { ...seed, connections: [{ ...okta!, status: 'configured', staged: { testUsers: ['tess@megacorp.example', 'grace@megacorp.example', 'linus@megacorp.example'], signedIn: ['tess@megacorp.example'] } }, ...rest] } });
    }),
};

export const Empty: Story = { render: (args) => portal(args, () => new MemoryAdapter()) };

export const Loading: Story = { render: (args) => portal(args, withData({ latency: 1_000_000_000 })) };

export const SlowNetwork: Story = { render: (args) => portal(args, withData({ latency: 2500 })) };

export const ServerError: Story = { render: (args) => portal(args, failing('server_error')) };

export const NetworkError: Story = { render: (args) => portal(args, failing('network')) };

export const ErrorThenRecovers: Story = {
  render: (args) =>
    portal(args, () => {
      const adapter = new MemoryAdapter({ seed: demoSeed() });
      adapter.failNext('getSession', 'request_timeout');
      return adapter;
    }),
};

export const ExpiredLink: Story = {
  render: (args) =>
    portal(args, () => {
      const adapter = new MemoryAdapter();
      adapter.expireSession();
      return adapter;
    }),
};

/** The session ends in 4 minutes: the banner of `sso-session-expiring` (session-warning.ts) shows above the content. */
export const SessionEndingSoon: Story = {
  render: (args) => portal(args, () => new MemoryAdapter({ seed: { ...demoSeed(), session: { expiresAt: new Date(Date.now() + 4 * 60_000).toISOString() } } })),
};

export const NotConfigured: Story = { render: (args) => portal(args, () => undefined) };

export const BackendUnreachable: Story = {
  render: (args) => portal(args, () => undefined, { apiBase: 'http://127.0.0.1:9/api/portal', token: 'demo' }),
};

export const Dark: Story = { args: { theme: 'dark' }, render: (args) => portal(args, withData()) };

export const Narrow: Story = { args: { width: '320px' }, render: (args) => portal(args, withData()) };

export const RightToLeft: Story = { args: { dir: 'rtl' }, render: (args) => portal(args, withData()) };

export const HostileStrings: Story = {
  render: (args) =>
    portal(args, () => {
      const hostile = '<img src=x onerror=alert(1)> "Megacorp" & Co.';
      const seed = demoSeed();
      return new MemoryAdapter({
        seed: {
          ...seed,
          session: { organization: { id: 'org_x', name: hostile } },
          connections: seed.connections!.map((c) => ({ ...c, name: hostile })),
        },
      });
    }),
};

export const CustomTheme: Story = {
  render: (args) => html`<style>
      .branded sso-admin-portal {
        /* A brand colour with a lighter shade for the dark scheme, as the hosted page makes one: one colour for both fails contrast in one of them. */
        --sso-color-accent: light-dark(#0a6b3a, #86efac);
        --sso-radius-lg: 2px;
        --sso-radius-md: 2px;
        --sso-font-family: Georgia, serif;
      }
    </style>
    <div class="branded">${portal(args, () => new MemoryAdapter())}</div>`,
};

/** The demo data with the backend's latest metadata re-reads: one applied, one waiting for review, one failed. */
function withMetadataRefreshes() {
  const seed = demoSeed();
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
  const okta = seed.connections!.find((c) => c.protocol === 'saml')!;
  const pending = {
    ...okta,
    id: 'conn_okta_review',
    name: 'Okta (contractors)',
    metadataRefresh: {
      checkedAt: hoursAgo(2),
      status: 'pending' as const,
      pending: { foundAt: hoursAgo(2), changes: [{ field: 'ssoUrl' as const, from: okta.saml!.ssoUrl, to: `${okta.saml!.ssoUrl}2` }], saml: { ...okta.saml!, ssoUrl: `${okta.saml!.ssoUrl}2` } },
    },
  };
  const failed = { ...okta, id: 'conn_okta_failed', name: 'Okta (partners)', metadataRefresh: { checkedAt: hoursAgo(1), status: 'failed' as const, errorCode: 'metadata_fetch_failed', error: 'The metadata URL answered 503.' } };
  const updated = { ...okta, metadataRefresh: { checkedAt: hoursAgo(5), status: 'updated' as const, changedAt: hoursAgo(30), note: 'Signing certificates changed in the IdP metadata: 1 added.' } };
  return () => new MemoryAdapter({ seed: { ...seed, connections: [updated, pending, failed, ...seed.connections!.filter((c) => c.id !== okta.id)] } });
}

export const MetadataRefreshStates: Story = { render: (args) => portal(args, withMetadataRefreshes()) };
