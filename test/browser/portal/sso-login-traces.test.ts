/**
 * Login traces and the diagnostic report in the portal (issue 15, points 4 and 5), on a
 * MemoryAdapter seeded with attempts as the server records them, with the keyboard alone: a test
 * result's "Download report" lists what the files leave out and offers them (the HTML read back:
 * no signature value, no personal data beyond the email, hostile text escaped); "Login attempts"
 * opens the dialog, an attempt opens to its checks, Escape closes it and focus returns. Axe in
 * each state.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { MemoryAdapter } from '../../../src/adapters/memory-adapter.js';
import type { TestResult } from '../../../src/core/model.js';
import type { SsoLoginAttempts } from '../../../src/portal/traces/sso-login-attempts.js';
import type { SsoTestResult } from '../../../src/portal/test/sso-test-result.js';
import type { SsoAdminPortal } from '../../../src/portal/sso-admin-portal.js';
import '../../../src/portal/test/sso-test-result.js';
import '../../../src/index.js';
import { defineContextHost } from '../../support/sso-context-host.js';
import { TRACED_CONNECTION_ID, loginAttempts, tracedConnection } from '../../support/login-attempts.js';
import { buttonNamed, deepActiveElement, tabTo } from '../helpers.js';

defineContextHost();

const NOW = new Date('2026-12-05T12:00:00Z');

const TEST: TestResult = {
  id: 'test_tampered',
  connectionId: TRACED_CONNECTION_ID,
  mode: 'sp',
  status: 'failure',
  profile: { email: 'mallory@megacorp.example', firstName: 'Mallory' },
  rawAttributes: { email: ['mallory@megacorp.example'], firstName: ['Mallory'] },
  error: loginAttempts(NOW)[1]!.error,
  startedAt: '2026-12-05T11:50:00Z',
  completedAt: '2026-12-05T11:51:00Z',
};

async function resultView(adapter = new MemoryAdapter({ now: () => NOW, seed: { connections: [tracedConnection(NOW)], loginAttempts: { [TRACED_CONNECTION_ID]: loginAttempts(NOW) } } })) {
  const host = await fixture(html`<sso-context-host .adapter=${adapter}><sso-test-result .result=${TEST} protocol="saml"></sso-test-result></sso-context-host>`);
  const view = host.querySelector<SsoTestResult>('sso-test-result')!;
  await view.updateComplete;
  return { view, root: view.shadowRoot!, adapter };
}

async function press(button: Element): Promise<void> {
  await tabTo(button);
  await sendKeys({ press: 'Enter' });
}

describe('diagnostic report and login attempts', () => {
  it('Download report: says what is left out, then offers the HTML and JSON files, made with the test’s trace', async () => {
    const { view, root } = await resultView();
    await expect(view).to.be.accessible();
    await press(root.querySelector('[part="report"]')!);
    await waitUntil(() => root.querySelector('sso-report-download')?.shadowRoot?.querySelector('[part="redactions"]'), 'the report panel did not open');
    const panel = root.querySelector('sso-report-download')!;
    const p = panel.shadowRoot!;
    const redactions = [...p.querySelectorAll('[part="redactions"] li')].map((li) => li.textContent);
    expect(redactions.join('\n')).to.match(/Signature values/).and.match(/Personal data beyond the email address/).and.match(/fingerprint/);
    const htmlLink = p.querySelector<HTMLAnchorElement>('[part="download-html"]')!;
    expect(htmlLink.download).to.match(/^sso-report-conn_okta-2026-.*\.html$/);
    expect(p.querySelector<HTMLAnchorElement>('[part="download-json"]')!.download).to.match(/\.json$/);
    const file = await (await fetch(htmlLink.href)).text();
    expect(file).to.contain('signature_invalid');
    expect(file).to.contain('Checks, in the order they ran');
    expect(file).to.contain('mallory@megacorp.example');
    expect(file).not.to.contain('>Ada<');
    expect(file).not.to.contain('Mallory<');
    expect(file).not.to.contain('<script');
    expect(file).not.to.contain('BEGIN CERTIFICATE');
    const json = JSON.parse(await (await fetch(p.querySelector<HTMLAnchorElement>('[part="download-json"]')!.href)).text());
    expect(json.login.steps.at(-1)).to.include({ check: 'signature', status: 'failed' });
    expect(json.decoded.attributes.firstName).to.deep.equal(['[redacted]']);
    await expect(panel).to.be.accessible();
  });

  it('Login attempts: a dialog of the connection’s attempts; one opens to its checks; Escape closes and focus returns', async () => {
    const { root } = await resultView();
    const opener = buttonNamed(root, /Login attempts/);
    await press(opener);
    await waitUntil(() => root.querySelector('sso-login-attempts')?.shadowRoot?.querySelector('ol.attempts'), 'the attempts did not load');
    const dialogHost = root.querySelector<SsoLoginAttempts>('sso-login-attempts')!;
    const d = dialogHost.shadowRoot!;
    expect(d.querySelector('dialog')!.open).to.equal(true);
    expect(d.querySelector('h2')!.textContent).to.contain('Okta (employees)');
    const items = d.querySelectorAll('ol.attempts > li');
    expect(items.length).to.equal(4);
    expect(items[2]!.textContent).to.contain('<script>alert(1)</script>@megacorp.example');
    expect(d.querySelector('script')).to.equal(null);
    await expect(dialogHost).to.be.accessible();

    const summary = items[1]!.querySelector('summary')!;
    await tabTo(summary);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => items[1]!.querySelector('details')!.open);
    const steps = [...items[1]!.querySelectorAll('ol.steps li')].map((li) => li.textContent.replace(/\s+/g, ' ').trim());
    expect(steps.at(-1)).to.match(/^✗ Failed: Signature\. Response signature: The content was changed/);
    expect(steps[0]).to.match(/^✓ Passed: Response received and parsed/);
    // The decoded messages scroll in their boxes: each box is focusable and named.
    for (const inner of items[1]!.querySelectorAll('details details')) (inner as HTMLDetailsElement).open = true;
    const answer = items[1]!.querySelector<HTMLElement>('pre[aria-label="What the identity provider answered"]')!;
    expect(answer.textContent).to.contain('<ds:SignatureValue>[redacted]</ds:SignatureValue>');
    expect(answer.tabIndex).to.equal(0);
    await expect(dialogHost).to.be.accessible();

    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !root.querySelector('sso-login-attempts'), 'the dialog did not close');
    expect(deepActiveElement()).to.equal(opener);
  });

  it('Login attempts from the overview: the connection’s menu opens the same dialog; none offered where the backend keeps no traces', async () => {
    sessionStorage.clear();
    const adapter = new MemoryAdapter({ now: () => NOW, seed: { connections: [tracedConnection(NOW)], loginAttempts: { [TRACED_CONNECTION_ID]: loginAttempts(NOW) } } });
    const el = await fixture<SsoAdminPortal>(html`<sso-admin-portal .adapter=${adapter}></sso-admin-portal>`);
    await waitUntil(() => el.shadowRoot!.querySelector('sso-connections-overview')?.shadowRoot?.querySelector('sso-action-menu'), 'no overview');
    const view = el.shadowRoot!.querySelector('sso-connections-overview')!;
    const menu = view.shadowRoot!.querySelector('sso-action-menu')!;
    expect(menu.items.map((i) => i.label)).to.include('Login attempts');
    await press(menu.shadowRoot!.querySelector('[part="button"]')!);
    await menu.updateComplete;
    // The menu's items are reached with the arrow keys (roving focus).
    for (let i = 0; i < 5 && (deepActiveElement() as HTMLElement | null)?.dataset.item !== 'attempts'; i++) await sendKeys({ press: 'ArrowDown' });
    expect((deepActiveElement() as HTMLElement).dataset.item).to.equal('attempts');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => view.shadowRoot!.querySelector('sso-login-attempts')?.shadowRoot?.querySelectorAll('ol.attempts > li').length === 4, 'the attempts did not show');
    expect(view.shadowRoot!.querySelector('sso-login-attempts')!.shadowRoot!.querySelector('dialog')!.open).to.equal(true);
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !view.shadowRoot!.querySelector('sso-login-attempts'), 'the dialog did not close');

    Object.defineProperty(adapter, 'listLoginAttempts', { value: undefined });
    el.adapter = adapter;
    view.requestUpdate();
    await view.updateComplete;
    expect(view.shadowRoot!.querySelector('sso-action-menu')!.items.map((i) => i.label)).not.to.include('Login attempts');
  });

  it('says so when the backend keeps no traces, and when there is none yet', async () => {
    const bare = new MemoryAdapter({ now: () => NOW, seed: { connections: [tracedConnection(NOW)] } });
    const { root } = await resultView(bare);
    await press(buttonNamed(root, /Login attempts/));
    await waitUntil(() => root.querySelector('sso-login-attempts')?.shadowRoot?.textContent?.includes('No login attempts yet'));
    await expect(root.querySelector('sso-login-attempts')!).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !root.querySelector('sso-login-attempts'));

    Object.defineProperty(bare, 'listLoginAttempts', { value: undefined });
    await press(buttonNamed(root, /Login attempts/));
    await waitUntil(() => root.querySelector('sso-login-attempts')?.shadowRoot?.textContent?.includes('keeps no login traces'));
  });

  it('a failed load says why, and Try again reads them again', async () => {
    const adapter = new MemoryAdapter({ now: () => NOW, seed: { connections: [tracedConnection(NOW)], loginAttempts: { [TRACED_CONNECTION_ID]: loginAttempts(NOW) } } });
    adapter.setFault('listLoginAttempts', { code: 'server_error', times: 1 });
    const { root } = await resultView(adapter);
    await press(buttonNamed(root, /Login attempts/));
    await waitUntil(() => root.querySelector('sso-login-attempts')?.shadowRoot?.querySelector('[role="alert"]'), 'no error shown');
    const d = root.querySelector('sso-login-attempts')!.shadowRoot!;
    expect(d.querySelector('[role="alert"] code')!.textContent).to.equal('server_error');
    await expect(root.querySelector('sso-login-attempts')!).to.be.accessible();
    await press(buttonNamed(d, /Try again/));
    await waitUntil(() => d.querySelectorAll('ol.attempts > li').length === 4, 'not read again');
  });
});
