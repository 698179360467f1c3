/**
 * Login traces and diagnostic reports (issue 15, points 4 and 5), state by state, on a
 * MemoryAdapter seeded with attempts as the server records them (`test/support/login-attempts.ts`)
 * inside `<sso-context-host>`: the attempts dialog (list, an attempt opened to its checks and
 * messages, its report ready to download, none yet, a backend without traces, a failed load), and
 * the test result's report panel.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { MemoryAdapter, type MemoryAdapterOptions } from '../src/adapters/memory-adapter.js';
import type { TestResult } from '../src/core/model.js';
import { showLoginAttempts } from '../src/portal/traces/sso-login-attempts.js';
import '../src/portal/traces/sso-report-download.js';
import '../src/portal/test/sso-test-result.js';
import { defineContextHost, type SsoContextHost } from '../test/support/sso-context-host.js';
import { TRACED_CONNECTION_ID, loginAttempts, tracedConnection } from '../test/support/login-attempts.js';
import { find, themeControls } from './story-helpers.js';


defineContextHost();

interface Args {
  theme: 'light' | 'dark' | 'auto';
  width: string;
}

const NOW = new Date('2026-12-05T12:00:00Z');

function adapterWith(options: MemoryAdapterOptions = {}): MemoryAdapter {
  return new MemoryAdapter({ now: () => NOW, seed: { connections: [tracedConnection(NOW)], loginAttempts: { [TRACED_CONNECTION_ID]: loginAttempts(NOW) } }, ...options });
}

function host(args: Args, adapter: MemoryAdapter) {
  return html`<div style="max-width:${args.width}">
    <sso-context-host theme=${args.theme} .adapter=${adapter}><div id="stage"></div></sso-context-host>
  </div>`;
}

/** Opens the dialog inside the context host (as a test result opens it), once the host has its session. */
async function openDialog(canvas: HTMLElement) {
  const contextHost = await find<SsoContextHost>(canvas, ['sso-context-host']);
  await contextHost.updateComplete;
  const view = showLoginAttempts(canvas.querySelector('#stage')!, tracedConnection(NOW), NOW);
  await find(canvas, ['sso-login-attempts', 'ol.attempts, [role="alert"], p']);
  return view;
}

const meta: Meta<Args> = {
  title: 'Portal/Login traces',
  ...themeControls('860px'),
};
export default meta;
type Story = StoryObj<Args>;

/** The last attempts, newest first: a success, a tampered response, a certificate mismatch, a sign-in outside the domains. */
export const Attempts: Story = {
  render: (args) => host(args, adapterWith()),
  play: async ({ canvasElement }) => {
    await openDialog(canvasElement);
    await find(canvasElement, ['sso-login-attempts', 'ol.attempts']);
  },
};

/** An attempt opened: the checks in the order they ran (the one that refused marked), the decoded request and answer. */
export const AttemptOpened: Story = {
  render: (args) => host(args, adapterWith()),
  play: async ({ canvasElement }) => {
    const view = await openDialog(canvasElement);
    const details = await find<HTMLDetailsElement>(canvasElement, ['sso-login-attempts', 'ol.attempts li:nth-child(2) details']);
    details.open = true;
    for (const inner of details.querySelectorAll('details')) inner.open = true;
    await view.updateComplete;
  },
};

/** "Download report" pressed on an attempt: what the files leave out, and the two downloads. */
export const AttemptReport: Story = {
  render: (args) => host(args, adapterWith()),
  play: async ({ canvasElement }) => {
    await openDialog(canvasElement);
    const details = await find<HTMLDetailsElement>(canvasElement, ['sso-login-attempts', 'ol.attempts li:nth-child(2) details']);
    details.open = true;
    // Its only button: "Download report" (with a hidden "of this attempt"), in any language.
    details.querySelector<HTMLButtonElement>(':scope > p > button')!.click();
    await find(canvasElement, ['sso-login-attempts', 'sso-report-download', '[part="redactions"]']);
  },
};

/** No attempt yet (never tested, nobody signed in). */
export const NoAttempts: Story = {
  render: (args) => host(args, new MemoryAdapter({ now: () => NOW, seed: { connections: [tracedConnection(NOW)] } })),
  play: async ({ canvasElement }) => void (await openDialog(canvasElement)),
};

/** A backend that keeps no login traces (an adapter without `listLoginAttempts`). */
export const NoTracesKept: Story = {
  render: (args) => {
    const adapter = adapterWith();
    Object.defineProperty(adapter, 'listLoginAttempts', { value: undefined });
    return host(args, adapter);
  },
  play: async ({ canvasElement }) => void (await openDialog(canvasElement)),
};

/** The attempts could not be read: the reason, and Try again. */
export const LoadFailed: Story = {
  render: (args) => {
    const adapter = adapterWith();
    adapter.setFault('listLoginAttempts', { code: 'server_error' });
    return host(args, adapter);
  },
  play: async ({ canvasElement }) => void (await openDialog(canvasElement)),
};

const FAILED_TEST: TestResult = {
  id: 'test_tampered',
  connectionId: TRACED_CONNECTION_ID,
  mode: 'sp',
  status: 'failure',
  profile: { email: 'mallory@megacorp.example', firstName: 'Mallory' },
  rawAttributes: { email: ['mallory@megacorp.example'], firstName: ['Mallory'] },
  error: loginAttempts(NOW)[1]!.error,
  startedAt: new Date(NOW.getTime() - 600_000).toISOString(),
  completedAt: new Date(NOW.getTime() - 540_000).toISOString(),
};

function testResultView(args: Args) {
  return html`<div style="max-width:${args.width}">
    <sso-context-host theme=${args.theme} .adapter=${adapterWith()}>
      <sso-test-result .result=${FAILED_TEST} protocol="saml" .mapping=${tracedConnection(NOW).attributeMapping}></sso-test-result>
    </sso-context-host>
  </div>`;
}

/** A failed test's result with its two new buttons: Download report, Login attempts. */
export const TestResultButtons: Story = { render: (args) => testResultView(args) };

/** The test result's report panel: made with the test's trace, what is left out, the downloads. */
export const TestResultReport: Story = {
  render: (args) => testResultView(args),
  play: async ({ canvasElement }) => {
    const button = await find<HTMLButtonElement>(canvasElement, ['sso-test-result', '[part="report"]']);
    button.click();
    await find(canvasElement, ['sso-test-result', 'sso-report-download', '[part="redactions"]']);
  },
};
