import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { MemoryAdapter, defaultSession, demoSeed, type MemoryAdapterOptions } from '../../../src/adapters/index.js';
import { connectionServiceProvider } from '../../../src/core/sp-metadata.js';
import type { Connection } from '../../../src/core/model.js';
import { TEST_FAILURE_CODES } from '../../../src/core/test-failures.js';
import { testFailureTitle } from '../../../src/core/test-diagnosis.js';
import type { SsoAdminPortal } from '../../../src/portal/sso-admin-portal.js';
import type { SsoWizard } from '../../../src/portal/wizard/sso-wizard.js';
import type { SsoStepElement } from '../../../src/portal/wizard/step-element.js';
import { buttonNamed, deepActiveElement, nextEvent, tabTo } from '../helpers.js';
import '../../../src/index.js';

const NOW = new Date();

before(async function () {
  this.timeout(60_000);
  await import('../../../src/portal/wizard/sso-wizard.js');
  // Pages load the step and the result view on demand (sso-wizard-loading.test.ts); these tests read their content.
  await import('../../../src/portal/wizard/sso-step-test.js');
  await import('../../../src/portal/test/sso-test-result.js');
  const { parseCertificate } = await import('../../../src/core/saml-metadata.js');
  await parseCertificate('x');
});

/** A portal with the demo data, opened at `step` of the Okta connection. */
async function portalAt(step: 'test' | 'activate', options: MemoryAdapterOptions = {}, connection?: Partial<Connection>) {
  sessionStorage.clear();
  const seed = demoSeed(NOW);
  const okta = { ...seed.connections![0]!, ...connection };
  const adapter = new MemoryAdapter({ testDuration: 0, ...options, seed: { ...seed, connections: [okta, seed.connections![1]!] } });
  const el = await fixture<SsoAdminPortal>(html`<sso-admin-portal .adapter=${adapter}></sso-admin-portal>`);
  await waitUntil(() => el.shadowRoot!.querySelector('sso-connections-overview'));
  el.show({ view: 'wizard', step, connectionId: okta.id });
  const tag = step === 'test' ? 'sso-step-test' : 'sso-step-activate';
  await waitUntil(() => el.shadowRoot!.querySelector('sso-wizard')?.shadowRoot?.querySelector(tag), `${tag} did not render`, { timeout: 4000 });
  const wizard = el.shadowRoot!.querySelector('sso-wizard')!;
  const stepEl = wizard.shadowRoot!.querySelector(tag) as SsoStepElement;
  await stepEl.updateComplete;
  return { el, adapter, wizard, step: stepEl, connection: okta };
}

async function pressButton(root: ShadowRoot, name: RegExp) {
  const button = buttonNamed(root, name);
  await tabTo(button);
  await sendKeys({ press: 'Enter' });
}

describe('test step: SP-initiated', () => {
  it('runs a successful test with the keyboard, shows the profile and every attribute, fires sso-test-completed', async () => {
    const { el, step } = await portalAt('test');
    await expect(el).to.be.accessible();
    const completed = nextEvent(el, 'sso-test-completed');
    await pressButton(step.shadowRoot!, /Test connection/);
    const { result } = await completed;
    expect(result.status).to.equal('success');
    await waitUntil(() => step.shadowRoot!.querySelector('sso-test-result'), 'no result view');
    const view = step.shadowRoot!.querySelector('sso-test-result')!;
    await view.updateComplete;
    expect(view.shadowRoot!.textContent).to.contain(result.profile!.email!);
    for (const name of Object.keys(result.rawAttributes)) expect(view.shadowRoot!.textContent).to.contain(name);
    await expect(el).to.be.accessible();
    await waitUntil(() => el.shadowRoot!.querySelector('[role="status"]')!.textContent.includes('worked'));
  });

  for (const code of TEST_FAILURE_CODES) {
    it(`explains ${code} with its meaning and what to change`, async () => {
      const { el, adapter, step } = await portalAt('test');
      adapter.setTestOutcome(code);
      const completed = nextEvent(el, 'sso-test-completed');
      buttonNamed(step.shadowRoot!, /Test connection/).click();
      expect((await completed).result.error!.code).to.equal(code);
      await waitUntil(() => step.shadowRoot!.querySelector('sso-test-result'), 'no result view');
      const view = step.shadowRoot!.querySelector('sso-test-result')!;
      await view.updateComplete;
      expect(view.shadowRoot!.textContent).to.contain(code);
      await expect(el).to.be.accessible();
    });
  }

  it('gives Okta’s own remedy: the result view loads the provider’s remedies itself (the guide does not carry them)', async () => {
    const { el, adapter, step } = await portalAt('test');
    adapter.setTestOutcome('user_denied');
    const completed = nextEvent(el, 'sso-test-completed');
    buttonNamed(step.shadowRoot!, /Test connection/).click();
    await completed;
    await waitUntil(() => step.shadowRoot!.querySelector('sso-test-result'), 'no result view');
    const view = step.shadowRoot!.querySelector('sso-test-result')!;
    await view.updateComplete;
    expect(view.shadowRoot!.querySelector('[part="remedy"]')!.textContent).to.contain('In Okta, on the app’s Assignments tab');
  });

  it('offers the connection’s own Entity ID and ACS URL to paste, the values the guide and the check use', async () => {
    const own = connectionServiceProvider(defaultSession(NOW).serviceProvider, 'conn_okta');
    const { adapter, step } = await portalAt('test', {}, { serviceProvider: own });
    for (const [code, value] of [['audience_mismatch', own.entityId], ['destination_mismatch', own.acsUrl]] as const) {
      adapter.setTestOutcome(code);
      const completed = nextEvent(step, 'sso-test-completed');
      buttonNamed(step.shadowRoot!, /Test connection|Test again/).click();
      await completed;
      const view = step.shadowRoot!.querySelector('sso-test-result')!;
      await waitUntil(() => view.result?.error?.code === code);
      await view.updateComplete;
      const copy = view.shadowRoot!.querySelector('[part="remedy"] sso-copy-field') as unknown as { value: string };
      expect(copy.value, code).to.equal(value);
      expect(view.result!.error!.details!.expectedAudience ?? view.result!.error!.details!.expectedDestination, code).to.equal(value);
    }
  });

  it('shows and announces that sign-ins need a verified domain when the test worked without one', async () => {
    sessionStorage.clear();
    const seed = demoSeed(NOW);
    const adapter = new MemoryAdapter({ testDuration: 0, seed: { ...seed, domains: [] } });
    const el = await fixture<SsoAdminPortal>(html`<sso-admin-portal .adapter=${adapter}></sso-admin-portal>`);
    await waitUntil(() => el.shadowRoot!.querySelector('sso-connections-overview'));
    el.show({ view: 'wizard', step: 'test', connectionId: seed.connections![0]!.id });
    await waitUntil(() => el.shadowRoot!.querySelector('sso-wizard')?.shadowRoot?.querySelector('sso-step-test'), 'no test step', { timeout: 4000 });
    const step = el.shadowRoot!.querySelector('sso-wizard')!.shadowRoot!.querySelector('sso-step-test')!;
    await step.updateComplete;
    buttonNamed(step.shadowRoot!, /Test connection/).click();
    await waitUntil(() => step.shadowRoot!.querySelector('sso-test-result'), 'no result view');
    const view = step.shadowRoot!.querySelector('sso-test-result')!;
    await waitUntil(() => view.shadowRoot!.querySelector('[part="warnings"]'), 'no warning shown');
    expect(view.shadowRoot!.querySelector('[part="warnings"]')!.textContent).to.contain('Add and verify the email domain');
    await waitUntil(() => el.shadowRoot!.querySelector('[role="status"]')!.textContent.includes('Domain not verified'), 'the warning is not announced');
    await expect(el).to.be.accessible();
    // A way to the domains, where the admin verifies one: focus lands on the Domains heading.
    await tabTo(buttonNamed(step.shadowRoot!, /Go to Domains/));
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => deepActiveElement()?.textContent === 'Domains', 'focus is not on the Domains heading', { timeout: 4000 });
    expect(el.shadowRoot!.querySelector('sso-wizard')).to.equal(null);
  });

  it('waits with elapsed time and Cancel, and can be cancelled', async () => {
    const { adapter, step } = await portalAt('test', { testDuration: 60 * 60_000 });
    buttonNamed(step.shadowRoot!, /Test connection/).click();
    await waitUntil(() => step.shadowRoot!.querySelector('[part="waiting"]')?.textContent?.includes('Waiting for the login'));
    await pressButton(step.shadowRoot!, /Cancel test/);
    await waitUntil(() => !step.shadowRoot!.querySelector('[part="waiting"]'));
    expect(buttonNamed(step.shadowRoot!, /Test connection/)).to.exist;
    const polls = adapter.calls.filter((c) => c.method === 'getTestResult').length;
    expect(polls).to.be.greaterThan(0);
  });

  it('gives up with `timeout` and a next step when no login arrives in time', async () => {
    const { wizard, step } = await portalAt('test', { testDuration: 60 * 60_000 });
    (wizard).pollInterval = 10;
    (wizard).testTimeout = 50;
    await wizard.updateComplete;
    buttonNamed(step.shadowRoot!, /Test connection/).click();
    await waitUntil(() => step.shadowRoot!.querySelector('sso-test-result'), 'no timeout result', { timeout: 4000 });
    const view = step.shadowRoot!.querySelector('sso-test-result')!;
    await view.updateComplete;
    expect(view.shadowRoot!.textContent).to.contain('timeout');
  });

  it('keeps keyboard focus on the test button while it waits (it becomes Cancel test), then gives it to the result', async () => {
    const { step, adapter } = await portalAt('test', { testDuration: 60 * 60_000 });
    await pressButton(step.shadowRoot!, /Test connection/);
    await waitUntil(() => step.shadowRoot!.querySelector('[part="waiting"]'), 'not waiting');
    expect(deepActiveElement()!.textContent.trim()).to.equal('Cancel test');
    const testId = adapter.calls.find((c) => c.method === 'getTestResult')!.args[0] as string;
    await adapter.completeTest(testId, 'audience_mismatch');
    await waitUntil(() => deepActiveElement()?.id === 'headline', 'the result did not take the focus', { timeout: 4000 });
    expect(deepActiveElement()!.textContent).to.contain('failed');
  });

  it('gives up on time even while the backend holds a long poll open (the poll is cancelled)', async () => {
    const { wizard, step, adapter } = await portalAt('test', { testDuration: 60 * 60_000 });
    let cancelled = 0;
    // A backend that answers a poll only when the test ends: here, never.
    adapter.getTestResult = (_id, options) =>
      new Promise((_resolve, reject) => {
        options?.signal?.addEventListener('abort', () => {
          cancelled++;
          reject(new DOMException('aborted', 'AbortError'));
        });
      });
    wizard.testTimeout = 50;
    await wizard.updateComplete;
    buttonNamed(step.shadowRoot!, /Test connection/).click();
    await waitUntil(() => step.shadowRoot!.querySelector('sso-test-result'), 'no timeout result', { timeout: 4000 });
    const view = step.shadowRoot!.querySelector('sso-test-result')!;
    await view.updateComplete;
    expect(view.shadowRoot!.textContent).to.contain('timeout');
    expect(cancelled, 'the open poll was cancelled').to.equal(1);
  });

  it('learns the result from the popup’s postMessage at once, but only from the backend’s origin', async () => {
    class OriginAdapter extends MemoryAdapter {
      readonly origin = location.origin;
      override async startTest(...args: Parameters<MemoryAdapter['startTest']>) {
        return { ...(await super.startTest(...args)), loginUrl: `${location.origin}/sso/login` };
      }
    }
    sessionStorage.clear();
    const seed = demoSeed(NOW);
    const adapter = new OriginAdapter({ seed, testDuration: 60 * 60_000 });
    const el = await fixture<SsoAdminPortal>(html`<sso-admin-portal .adapter=${adapter}></sso-admin-portal>`);
    await waitUntil(() => el.shadowRoot!.querySelector('sso-connections-overview'));
    el.show({ view: 'wizard', step: 'test', connectionId: 'conn_okta' });
    await waitUntil(() => el.shadowRoot!.querySelector('sso-wizard')?.shadowRoot?.querySelector('sso-step-test'), 'no step', { timeout: 4000 });
    const wizard = el.shadowRoot!.querySelector('sso-wizard')!;
    wizard.pollInterval = 60 * 60_000; // only the message can bring the result quickly
    await wizard.updateComplete;
    const step = wizard.shadowRoot!.querySelector('sso-step-test')!;
    const opened: string[] = [];
    const realOpen = window.open;
    window.open = ((url?: string) => {
      opened.push(String(url));
      return null; // blocked
    }) as typeof window.open;
    try {
      buttonNamed(step.shadowRoot!, /Test connection/).click();
      await waitUntil(() => step.shadowRoot!.querySelector('[part="waiting"]')?.textContent?.includes('blocked'), 'blocked popup not explained');
      expect(opened).to.have.length(1);
      const testId = (await adapter.listTestResults('conn_okta'))[0]!.id;
      await adapter.completeTest(testId, 'success');
      // A message from another origin (a sandboxed frame has origin "null") changes nothing.
      const frame = document.createElement('iframe');
      frame.setAttribute('sandbox', 'allow-scripts');
      frame.srcdoc = `<script>parent.postMessage({ type: 'sso-admin-portal:test-result', testId: '${testId}' }, '*')</script>`;
      const foreign = new Promise((resolve) => window.addEventListener('message', resolve, { once: true }));
      document.body.append(frame);
      await foreign;
      await step.updateComplete;
      expect(step.shadowRoot!.querySelector('sso-test-result')).to.equal(null);
      frame.remove();
      window.postMessage({ type: 'sso-admin-portal:test-result', testId }, location.origin);
      await waitUntil(() => step.shadowRoot!.querySelector('sso-test-result'), 'the message did not bring the result');
    } finally {
      window.open = realOpen;
    }
  });

  it('keeps a history of tests, newest first', async () => {
    const { adapter, step } = await portalAt('test');
    adapter.setTestOutcome('audience_mismatch');
    buttonNamed(step.shadowRoot!, /Test connection/).click();
    await waitUntil(() => step.shadowRoot!.querySelector('[part="history"]'), 'no history');
    adapter.setTestOutcome('success');
    buttonNamed(step.shadowRoot!, /Test again/).click();
    await waitUntil(() => step.shadowRoot!.querySelectorAll('[part="history"] li').length === 2, 'history not updated');
    const items = [...step.shadowRoot!.querySelectorAll('[part="history"] li sso-status-badge')].map((b) => b.getAttribute('status'));
    expect(items).to.deep.equal(['success', 'failure']);
  });

  it('calls a failure by one name in the result, the earlier tests, the announcement and the overview', async () => {
    const { el, adapter, wizard, step } = await portalAt('test');
    const title = testFailureTitle('certificate_mismatch');
    adapter.setTestOutcome('certificate_mismatch');
    buttonNamed(step.shadowRoot!, /Test connection/).click();
    await waitUntil(() => step.shadowRoot!.querySelector('[part="history"]'), 'no history');
    const view = step.shadowRoot!.querySelector('sso-test-result')!;
    await view.updateComplete;
    expect(view.shadowRoot!.querySelector('[part="code"]')!.textContent).to.contain(title);
    expect(step.shadowRoot!.querySelector('[part="history"] li')!.textContent).to.contain(title);
    await waitUntil(() => el.shadowRoot!.querySelector('[role="status"]')!.textContent.includes(title), 'announcement uses another name');
    buttonNamed(wizard.shadowRoot!, /Back to connections/).click();
    await waitUntil(() => el.shadowRoot!.querySelector('sso-connections-overview')?.shadowRoot?.querySelector('[part="connection"]'), 'no overview');
    const overview = el.shadowRoot!.querySelector('sso-connections-overview')!;
    await waitUntil(() => overview.shadowRoot!.querySelector('[part="connection"]')!.textContent.includes(title), 'the overview uses another name');
    expect(overview.shadowRoot!.textContent).to.not.contain('Certificate mismatch');
  });

  it('says so when the session expires mid-test, and fires sso-session-expired', async () => {
    const { el, adapter, step } = await portalAt('test', { testDuration: 60 * 60_000 });
    const expired = nextEvent(el, 'sso-session-expired');
    buttonNamed(step.shadowRoot!, /Test connection/).click();
    await waitUntil(() => step.shadowRoot!.querySelector('[part="waiting"]'));
    adapter.expireSession();
    (el.shadowRoot!.querySelector('sso-wizard') as SsoWizard).pollInterval = 10;
    await expired;
    await waitUntil(() => step.shadowRoot!.querySelector('[part="error"]')?.textContent?.includes('expired'));
  });
});

describe('test step: IdP-initiated', () => {
  it('shows how to start from the IdP’s dashboard, then waits for the unsolicited response', async () => {
    const { el, adapter, step } = await portalAt('test');
    step.shadowRoot!.querySelector<HTMLInputElement>('#mode-idp')!.click();
    await step.updateComplete;
    expect(step.shadowRoot!.textContent).to.contain('How to start the login from Okta');
    await expect(el).to.be.accessible();
    const completed = nextEvent(el, 'sso-test-completed');
    buttonNamed(step.shadowRoot!, /Test connection/).click();
    const { result } = await completed;
    expect(result.mode).to.equal('idp');
    expect(adapter.calls.find((c) => c.method === 'startTest')!.args[1]).to.deep.equal({ mode: 'idp' });
  });
});

describe('activate step', () => {
  it('refuses until a successful test of the current configuration, and says why', async () => {
    const { el, step } = await portalAt('activate', {}, { status: 'configured', lastTest: { id: 't', mode: 'sp', status: 'success', at: NOW.toISOString(), stale: true } });
    expect(step.shadowRoot!.textContent).to.contain('The configuration changed after the last test');
    expect([...step.shadowRoot!.querySelectorAll('button')].some((b) => b.textContent.trim() === 'Activate')).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('activates after confirmation that says what changes, with the keyboard', async () => {
    const { el, step } = await portalAt('activate', {}, { status: 'configured' });
    const activate = buttonNamed(step.shadowRoot!, /^\s*Activate\s*$/);
    await tabTo(activate);
    await sendKeys({ press: 'Enter' });
    const dialog = step.shadowRoot!.querySelector('sso-confirm-dialog')!;
    await waitUntil(() => dialog.shadowRoot!.querySelector('dialog')?.open, 'no confirmation');
    expect(dialog.shadowRoot!.textContent).to.contain('megacorp.example');
    await expect(el).to.be.accessible();
    expect(deepActiveElement()!.textContent.trim()).to.equal('Cancel');
    const activated = nextEvent(el, 'sso-connection-activated');
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Enter' });
    expect((await activated).connection.status).to.equal('active');
    await waitUntil(() => step.shadowRoot!.textContent.includes('The connection is active'));
    // The pressed button is gone (Activate became Turn off): focus is on the new heading, not lost.
    await waitUntil(() => deepActiveElement()?.id === 'step-heading', 'focus did not move to the heading');
    expect(deepActiveElement()!.textContent).to.contain('The connection is active');
  });

  it('marks Activate done in the stepper once the connection is active, and names the step region', async () => {
    const { wizard, step } = await portalAt('activate', {}, { status: 'configured' });
    const stepper = wizard.shadowRoot!.querySelector('sso-stepper')!;
    const last = () => [...stepper.shadowRoot!.querySelectorAll('li')].at(-1)!;
    expect(last().classList.contains('done'), 'not done before activation').to.equal(false);
    const region = wizard.shadowRoot!.querySelector('[part="step"]')!;
    // aria-labelledby cannot reach the heading in the step's own shadow root: the region carries its name.
    expect(region.hasAttribute('aria-labelledby')).to.equal(false);
    expect(region.getAttribute('aria-label')).to.equal('Step 6 of 6: Activate');
    buttonNamed(step.shadowRoot!, /^\s*Activate\s*$/).click();
    const dialog = step.shadowRoot!.querySelector('sso-confirm-dialog')!;
    await waitUntil(() => dialog.shadowRoot!.querySelector('dialog')?.open, 'no confirmation');
    buttonNamed(dialog.shadowRoot!, /^\s*Activate/).click();
    await waitUntil(() => last().classList.contains('done'), 'Activate is not marked done after activation');
    expect(last().textContent).to.contain('(done)');
    expect(last().getAttribute('aria-current')).to.equal('step');
  });

  it('cancels with Escape and changes nothing', async () => {
    const { adapter, step } = await portalAt('activate', {}, { status: 'configured' });
    buttonNamed(step.shadowRoot!, /^\s*Activate\s*$/).click();
    const dialog = step.shadowRoot!.querySelector('sso-confirm-dialog')!;
    await waitUntil(() => dialog.shadowRoot!.querySelector('dialog')?.open);
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialog.shadowRoot!.querySelector('dialog')!.open);
    expect((await adapter.getConnection('conn_okta')).status).to.equal('configured');
  });

  it('turns an active connection off after confirmation', async () => {
    const { el, step } = await portalAt('activate');
    buttonNamed(step.shadowRoot!, /Turn off/).click();
    const dialog = step.shadowRoot!.querySelector('sso-confirm-dialog')!;
    await waitUntil(() => dialog.shadowRoot!.querySelector('dialog')?.open);
    const off = nextEvent(el, 'sso-connection-deactivated');
    buttonNamed(dialog.shadowRoot!, /Turn off/).click();
    expect((await off).connection.status).to.equal('inactive');
  });

  it('shows a conflict when the connection changed elsewhere, then offers the fresh state', async () => {
    const { adapter, step } = await portalAt('activate', {}, { status: 'configured' });
    await adapter.updateConnection('conn_okta', { name: 'Renamed elsewhere' }, { version: 4 });
    buttonNamed(step.shadowRoot!, /^\s*Activate\s*$/).click();
    const dialog = step.shadowRoot!.querySelector('sso-confirm-dialog')!;
    await waitUntil(() => dialog.shadowRoot!.querySelector('dialog')?.open);
    buttonNamed(dialog.shadowRoot!, /^\s*Activate\s*$/).click();
    await waitUntil(() => step.shadowRoot!.textContent.includes('conflict'));
  });
});

describe('overview actions', () => {
  async function overview(options: MemoryAdapterOptions = {}, connections?: Connection[]) {
    sessionStorage.clear();
    const seed = demoSeed(NOW);
    const adapter = new MemoryAdapter({ ...options, seed: { ...seed, connections: connections ?? seed.connections } });
    const el = await fixture<SsoAdminPortal>(html`<sso-admin-portal .adapter=${adapter}></sso-admin-portal>`);
    await waitUntil(() => el.shadowRoot!.querySelector('sso-connections-overview'));
    const view = el.shadowRoot!.querySelector('sso-connections-overview')!;
    await view.updateComplete;
    return { el, adapter, view };
  }

  /** Opens the connection's menu of secondary actions and chooses `item`. */
  async function chooseAction(view: Element, title: string, item: string) {
    const menu = [...view.shadowRoot!.querySelectorAll('sso-action-menu')].find((m) => m.context === title);
    if (!menu) throw new Error(`no menu for ${title}`);
    menu.shadowRoot!.querySelector<HTMLButtonElement>('[part="button"]')!.click();
    await menu.updateComplete;
    menu.shadowRoot!.querySelector<HTMLButtonElement>(`[data-item="${item}"]`)!.click();
  }

  it('keeps each connection’s actions on one line at 360 px: Edit and Test, the others in a menu', async () => {
    sessionStorage.clear();
    const adapter = new MemoryAdapter({ seed: demoSeed(NOW) });
    const wrapper = await fixture<HTMLDivElement>(html`<div style="width:360px"><sso-admin-portal .adapter=${adapter}></sso-admin-portal></div>`);
    const el = wrapper.querySelector('sso-admin-portal')!;
    await waitUntil(() => el.shadowRoot!.querySelector('sso-connections-overview')?.shadowRoot?.querySelector('[part="connection"]'), 'no overview');
    const view = el.shadowRoot!.querySelector('sso-connections-overview')!;
    for (const item of view.shadowRoot!.querySelectorAll('[part="connection"]')) {
      const actions = [...item.querySelectorAll('.actions > *')];
      const tops = new Set(actions.map((a) => Math.round(a.getBoundingClientRect().top)));
      expect(tops.size, `${item.querySelector('h3')!.textContent}: actions on one line`).to.equal(1);
      expect(item.querySelector('.actions sso-action-menu'), 'a menu of the other actions').to.not.equal(null);
    }
    const menu = view.shadowRoot!.querySelector('sso-action-menu')!;
    expect(menu.items.map((i) => i.label)).to.deep.equal(['Turn off', 'Login attempts', 'Delete']);
    menu.shadowRoot!.querySelector<HTMLButtonElement>('[part="button"]')!.click();
    await menu.updateComplete;
    const list = menu.shadowRoot!.querySelector('[role="menu"]')!.getBoundingClientRect();
    expect(list.left, 'the open menu stays on screen').to.be.at.least(0);
    await expect(el).to.be.accessible();
  });

  it('warns about a certificate expiring within 30 days, and errs on an expired one', async () => {
    const [okta, entra] = demoSeed(NOW).connections!;
    const soon = new Date(NOW.getTime() + 12 * 86_400_000).toISOString();
    const past = new Date(NOW.getTime() - 86_400_000).toISOString();
    const { el, view } = await overview({}, [{ ...okta!, certificateExpiresAt: soon }, { ...okta!, id: 'conn_old', name: 'Old Okta', certificateExpiresAt: past }, entra!]);
    const items = view.shadowRoot!.querySelectorAll('[part="connection"]');
    expect(items[0]!.textContent).to.match(/Expires in 12 days/);
    expect(items[1]!.textContent).to.contain('Expired');
    await expect(el).to.be.accessible();
  });

  it('deletes an active connection only after a confirmation that says it is active', async () => {
    const { el, adapter, view } = await overview();
    await chooseAction(view, 'Okta (employees)', 'delete');
    const dialog = view.shadowRoot!.querySelector('sso-confirm-dialog')!;
    await waitUntil(() => dialog.shadowRoot!.querySelector('dialog')?.open);
    expect(dialog.shadowRoot!.textContent).to.contain('This connection is active');
    await expect(el).to.be.accessible();
    buttonNamed(dialog.shadowRoot!, /Delete active connection/).click();
    await waitUntil(() => view.shadowRoot!.querySelectorAll('[part="connection"]').length === 1, 'not removed from the list');
    expect((await adapter.listConnections()).map((c) => c.id)).to.deep.equal(['conn_entra']);
  });

  it('keeps the connection and shows the error with its code when a delete fails', async () => {
    const { adapter, view } = await overview();
    adapter.failNext('deleteConnection', 'network');
    await chooseAction(view, 'Microsoft Entra ID', 'delete');
    const dialog = view.shadowRoot!.querySelector('sso-confirm-dialog')!;
    await waitUntil(() => dialog.shadowRoot!.querySelector('dialog')?.open);
    buttonNamed(dialog.shadowRoot!, /^\s*Delete\s*$/).click();
    await waitUntil(() => view.shadowRoot!.querySelector('.action-error'), 'no error shown');
    expect(view.shadowRoot!.querySelector('.action-error')!.textContent).to.contain('network');
    expect(view.shadowRoot!.querySelectorAll('[part="connection"]')).to.have.length(2);
  });

  it('turns a connection off from the overview', async () => {
    const { el, view } = await overview();
    await chooseAction(view, 'Okta (employees)', 'deactivate');
    const dialog = view.shadowRoot!.querySelector('sso-confirm-dialog')!;
    await waitUntil(() => dialog.shadowRoot!.querySelector('dialog')?.open);
    const off = nextEvent(el, 'sso-connection-deactivated');
    buttonNamed(dialog.shadowRoot!, /Turn off/).click();
    await off;
    await waitUntil(() => view.shadowRoot!.querySelector('[part="connection"] sso-status-badge')!.getAttribute('status') === 'inactive');
  });

  it('opens the test step of a connection', async () => {
    const { el, view } = await overview();
    buttonNamed(view.shadowRoot!, /Test\s+Okta \(employees\)/).click();
    await waitUntil(() => el.shadowRoot!.querySelector('sso-wizard')?.shadowRoot?.querySelector('sso-step-test'), 'test step not shown', { timeout: 4000 });
  });
});
