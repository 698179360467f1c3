/**
 * Directory sync (SCIM 2.0), state by state: the section on a MemoryAdapter inside
 * `<sso-context-host>` (the portal's contexts); setup states start the flow at their step
 * (`startSetup`), and requests "arrive" with `MemoryAdapter.receiveScimRequests`.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { MemoryAdapter, scimScenario, type MemoryAdapterOptions } from '../src/adapters/memory-adapter.js';
import type { Directory, DirectoryProviderId } from '../src/core/directory-model.js';
import type { SsoDirectorySection } from '../src/portal/directory/sso-directory-section.js';
import type { SetupStart } from '../src/portal/directory/sso-directory-setup.js';
import '../src/portal/directory/sso-directory-section.js';
import '../src/portal/directory/sso-directory-setup.js';
import { defineContextHost } from '../test/support/sso-context-host.js';
import { find, press, themeControls } from './story-helpers.js';
import { msg } from '../src/portal/localize/msg.js';


defineContextHost();

interface Args {
  theme: 'light' | 'dark' | 'auto';
  width: string;
}

const NOW = new Date();
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();

function directory(overrides: Partial<Directory> = {}): Directory {
  return {
    id: 'dir_okta',
    provider: 'okta',
    name: 'Okta (employees)',
    status: 'enabled',
    scimBaseUrl: 'https://sso.acme.test/scim/v2/dir_okta',
    tokenHint: 'scim_7Hq2',
    tokenCreatedAt: minutesAgo(3 * 24 * 60),
    createdAt: minutesAgo(3 * 24 * 60),
    enabledAt: minutesAgo(3 * 24 * 60 - 30),
    lastRequestAt: minutesAgo(12),
    lastSyncAt: minutesAgo(12),
    counts: { users: 248, activeUsers: 241, groups: 17 },
    recentErrors: 0,
    version: 3,
    ...overrides,
  };
}

/** The section on its own MemoryAdapter; `arrange` runs on the adapter first, `start` opens the setup at a step. */
function section(args: Args, options: MemoryAdapterOptions = {}, arrange?: (adapter: MemoryAdapter) => void) {
  const adapter = new MemoryAdapter({ ...options });
  arrange?.(adapter);
  return html`<div style="max-width:${args.width}">
    <sso-context-host theme=${args.theme} .adapter=${adapter}>
      <sso-directory-section></sso-directory-section>
    </sso-context-host>
  </div>`;
}

async function startAt(canvas: HTMLElement, start: SetupStart | ((adapter: MemoryAdapter) => Promise<SetupStart>)): Promise<void> {
  const el = await find<SsoDirectorySection>(canvas, ['sso-directory-section']);
  await find(canvas, ['sso-directory-section', '[part="empty-state"], [part="directory"]']);
  const adapter = canvas.querySelector('sso-context-host')!.adapter as MemoryAdapter;
  await el.startSetup(typeof start === 'function' ? await start(adapter) : start);
}

const meta: Meta<Args> = {
  title: 'Portal/Directory sync',
  ...themeControls('860px'),
};
export default meta;
type Story = StoryObj<Args>;

/** No directory yet: what directory sync does, and the button that starts it. */
export const NoDirectory: Story = { render: (args) => section(args) };

/** The first step: where the users come from (the Directory Simulator in development sessions). */
export const ProviderChoice: Story = { render: (args) => section(args), play: ({ canvasElement }) => startAt(canvasElement, {}) };

/** A provider's guide with the SCIM base URL and the token to copy. */
function guideStory(provider: DirectoryProviderId): Story {
  return {
    render: (args) => section(args),
    play: ({ canvasElement }) => startAt(canvasElement, async (adapter) => ({ ...(await adapter.createDirectory({ provider })), step: 'connect' })),
  };
}

export const GuideOkta = guideStory('okta');
export const GuideEntraId = guideStory('entra-id');
export const GuideOneLogin = guideStory('onelogin');
export const GuideJumpCloud = guideStory('jumpcloud');
export const GuidePing = guideStory('ping');
export const GuideGenericScim = guideStory('generic-scim');
export const GuideDirectorySimulator = guideStory('directory-simulator');
/** Google Workspace cannot push to a custom app: the guide says so, and what to do instead. */
export const GuideGoogleWorkspace: Story = { render: (args) => section(args), play: ({ canvasElement }) => startAt(canvasElement, { provider: 'google-workspace', step: 'connect' }) };

/** Just created: the token, shown once, with "you will not see it again". */
export const TokenShown: Story = {
  render: (args) => section(args),
  play: ({ canvasElement }) => startAt(canvasElement, async (adapter) => ({ ...(await adapter.createDirectory({ provider: 'okta', name: 'Okta (employees)' })), step: 'connect' })),
};

/** Waiting for the first request: nothing has arrived yet. */
export const Waiting: Story = {
  render: (args) => section(args),
  play: ({ canvasElement }) => startAt(canvasElement, async (adapter) => ({ directory: (await adapter.createDirectory({ provider: 'entra-id' })).directory, step: 'wait' })),
};

/** Requests arrived: users and groups counted, the last requests, refused ones with what to change. */
export const RequestsArrived: Story = {
  render: (args) => section(args),
  play: ({ canvasElement }) =>
    startAt(canvasElement, async (adapter) => {
      const { directory: created } = await adapter.createDirectory({ provider: 'okta', name: 'Okta (employees)' });
      adapter.receiveScimRequests(created.id, [...scimScenario('first-sync'), ...scimScenario('with-errors').slice(2)]);
      return { directory: await adapter.getDirectory(created.id), step: 'wait' };
    }),
};

/** Enabled, in the overview: status, last sync, counts. */
export const Enabled: Story = { render: (args) => section(args, { seed: { directories: [directory()] } }) };

/** Enabled with refused requests in the last 24 hours, beside a directory still in setup. */
export const EnabledWithErrors: Story = {
  render: (args) =>
    section(args, { seed: { directories: [directory({ recentErrors: 4 }), directory({ id: 'dir_entra', provider: 'entra-id', name: 'Entra ID <contractors> & "partners"', status: 'setup', enabledAt: null, lastRequestAt: null, lastSyncAt: null, counts: { users: 0, activeUsers: 0, groups: 0 }, version: 1 })] } }),
};

/** Disabled: SCIM requests are refused; the synced data is kept. */
export const Disabled: Story = { render: (args) => section(args, { seed: { directories: [directory({ status: 'disabled' })] } }) };

/** The directories could not be loaded: the reason and Try again. */
export const ErrorLoading: Story = { render: (args) => section(args, {}, (adapter) => adapter.setFault('listDirectories', { code: 'server_error' })) };

/** Enabling a directory changed elsewhere meanwhile: a conflict, with a way to load the latest version. */
export const Conflict: Story = {
  render: (args) => section(args, { seed: { directories: [directory({ status: 'setup', enabledAt: null, version: 2 })] } }),
  play: async ({ canvasElement }) => {
    await startAt(canvasElement, (adapter) => {
      adapter.setFault('getDirectory', { code: 'network' });
      return Promise.resolve({ directory: directory({ status: 'setup', enabledAt: null, version: 1 }), step: 'wait' });
    });
    await press(canvasElement, ['sso-directory-section', 'sso-directory-setup'], msg('Enable directory sync'));
  },
};
