/**
 * The portal's "Directory sync" section on a MemoryAdapter: the whole setup with the keyboard
 * alone (provider, guide with the URL and the token shown once, regenerate with confirmation,
 * waiting, requests arriving, enable), disable with confirmation, the public events, axe in
 * each state. Requests "arrive" with `MemoryAdapter.receiveScimRequests` (no SCIM server here).
 */
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { MemoryAdapter, scimScenario } from '../../../src/adapters/memory-adapter.js';
import type { SsoDirectorySection } from '../../../src/portal/directory/sso-directory-section.js';
import type { SsoCopyField } from '../../../src/portal/ui/sso-copy-field.js';
import { buttonNamed, deepActiveElement, nextEvent, portalOverview, tabTo } from '../helpers.js';
import { switchTo } from '../localize-helpers.js';
import type { SsoAdminPortal } from '../../../src/portal/sso-admin-portal.js';
import '../../../src/portal/sso-admin-portal.js';

const NOW = new Date('2026-12-05T12:00:00Z');

async function section(adapter: MemoryAdapter) {
  const overview = await portalOverview(adapter);
  await waitUntil(() => overview.shadowRoot!.querySelector('sso-directory-section')?.shadowRoot?.querySelector('[part="empty-state"], [part="directory"], [part="load-error"]'), 'the section did not load', { timeout: 5000 });
  const el = overview.shadowRoot!.querySelector<SsoDirectorySection>('sso-directory-section')!;
  el.pollInterval = 10;
  return { overview, el, root: el.shadowRoot! };
}

const setupOf = (root: ShadowRoot) => root.querySelector('sso-directory-setup')!;
const focusedText = () => deepActiveElement()?.textContent?.trim() ?? '';

async function press(button: Element): Promise<void> {
  await tabTo(button);
  await sendKeys({ press: 'Enter' });
}

/** Confirms the open confirmation dialog with the keyboard (Cancel has focus first). */
async function confirmDialog(host: ShadowRoot): Promise<string> {
  const dialog = host.querySelector('sso-confirm-dialog')!;
  await waitUntil(() => dialog.shadowRoot!.querySelector('dialog[open]'), 'no dialog opened');
  const text = dialog.shadowRoot!.querySelector('dialog')!.textContent ?? '';
  expect(focusedText()).to.match(/cancel/i);
  await press(dialog.shadowRoot!.querySelector('[part="confirm"]')!);
  return text;
}

describe('<sso-directory-section> in the portal', function () {
  // Whole setups with the keyboard, each step loading its part lazily: beyond mocha's 5 s when the
  // suite runs two files at once on a busy machine.
  this.timeout(20_000);
  it('is not shown when the adapter has no directory sync', async () => {
    const overview = await portalOverview(new MemoryAdapter({ directorySync: false }));
    await overview.updateComplete;
    expect(overview.shadowRoot!.querySelector('sso-directory-section')).to.equal(null);
  });

  it('sets up a directory with the keyboard alone: token shown once, regenerated, requests arrive, enabled, then disabled', async () => {
    const adapter = new MemoryAdapter({ now: () => NOW });
    const { el, root } = await section(adapter);
    await expect(el).to.be.accessible();

    await press(buttonNamed(root, /Set up directory sync/));
    await waitUntil(() => setupOf(root)?.shadowRoot?.querySelector('h4') && focusedText() === 'Choose your directory', 'focus did not move to the first step');
    const setup = setupOf(root);
    const s = setup.shadowRoot!;
    await expect(setup).to.be.accessible();

    // Continue without a choice: said, and focus goes to the choice.
    await press(buttonNamed(s, /Continue/));
    await waitUntil(() => s.querySelector('#choice-error'));
    expect((deepActiveElement() as HTMLInputElement).value).to.equal('okta');
    await sendKeys({ press: 'Space' });
    await tabTo(s.querySelector('input[type="text"]')!);
    await sendKeys({ type: 'Okta (employees)' });
    await press(buttonNamed(s, /Continue/));
    await waitUntil(() => focusedText() === 'Connect Okta', 'the guide did not open');
    const [url, tokenField] = [...s.querySelectorAll<SsoCopyField>('sso-copy-field')];
    const [directory] = await adapter.listDirectories();
    expect(directory!.name).to.equal('Okta (employees)');
    expect(url!.value).to.equal(directory!.scimBaseUrl);
    const firstToken = tokenField!.value;
    expect(firstToken).to.match(/^scim_/);
    expect(s.textContent).to.contain('you will not see it again');
    expect(s.querySelector('ol.guide')!.textContent).to.contain('SCIM connector base URL');
    await expect(setup).to.be.accessible();

    // Regenerate, confirmed: a new token, and the old one stops at once.
    await press(buttonNamed(s, /Regenerate token/));
    expect(await confirmDialog(s)).to.contain('stops working at once');
    await waitUntil(() => s.querySelectorAll<SsoCopyField>('sso-copy-field')[1]?.value !== firstToken, 'no new token');
    const token = s.querySelectorAll<SsoCopyField>('sso-copy-field')[1]!.value;
    adapter.receiveScimRequests(directory!.id, scimScenario('first-sync').slice(0, 1), { token: firstToken });
    expect((await adapter.listDirectoryRequests(directory!.id))[0]!.status).to.equal(401);

    await press(buttonNamed(s, /wait for the first request/));
    await waitUntil(() => focusedText() === 'Requests from Okta (employees)' || focusedText() === 'Waiting for the first request', 'the waiting step did not open');
    await expect(setup).to.be.accessible();

    adapter.receiveScimRequests(directory!.id, scimScenario('with-errors'), { token });
    await waitUntil(() => s.querySelector('[role="status"]')?.textContent?.includes('1 user and 0 groups arrived'), 'the arrivals were not announced');
    expect(s.querySelector('[role="status"]')!.textContent).to.contain('requests were refused');
    // Worded from the refusal's facts for Okta, as the server words it.
    expect(s.textContent).to.contain("Check the application's Provisioning tab, To App attribute mappings: the attribute named in the error is missing or has the wrong type.");
    expect(s.querySelectorAll('.request--refused').length).to.equal(3);
    await expect(setup).to.be.accessible();

    const enabled = nextEvent(el, 'sso-directory-enabled');
    await press(buttonNamed(s, /Enable directory sync/));
    const event = await enabled;
    expect(event.directory).to.include({ id: directory!.id, provider: 'okta', status: 'enabled' });
    expect(event.composed && event.bubbles).to.equal(true);
    await waitUntil(() => root.querySelector('[part="directory"]') && focusedText() === 'Directory sync', 'the summary did not come back');
    const summary = root.querySelector('[part="directory"]')!;
    expect(summary.querySelector('sso-status-badge')!.getAttribute('status')).to.equal('active');
    expect(summary.textContent).to.contain('1 (1 active)');
    await expect(el).to.be.accessible();

    const disabled = nextEvent(el, 'sso-directory-disabled');
    await press(buttonNamed(root, /^\s*Disable/));
    expect(await confirmDialog(root)).to.contain('refused');
    expect((await disabled).directory.status).to.equal('disabled');
    await waitUntil(() => root.querySelector('[part="directory"] sso-status-badge')?.getAttribute('status') === 'inactive');
  });

  it('deletes a directory from its action menu with the keyboard, after a confirmation that says what stops', async () => {
    const adapter = new MemoryAdapter({ now: () => NOW });
    await adapter.createDirectory({ provider: 'jumpcloud', name: 'JumpCloud <b>staff</b>' });
    const { el, root } = await section(adapter);
    const summary = root.querySelector('[part="directory"]')!;
    expect(summary.querySelector('h4')!.textContent).to.equal('JumpCloud <b>staff</b>');
    expect(summary.querySelector('b')).to.equal(null);
    const menu = summary.querySelector('sso-action-menu')!;
    await press(menu.shadowRoot!.querySelector('button')!);
    await waitUntil(() => focusedText().startsWith('Regenerate token'), 'the menu did not open on its first item', { timeout: 5000 });
    await sendKeys({ press: 'ArrowDown' });
    expect(focusedText()).to.match(/^Delete/);
    await sendKeys({ press: 'Enter' });
    expect(await confirmDialog(root)).to.contain('stops working at once');
    await waitUntil(() => root.querySelector('[part="empty-state"]'), 'the directory is still listed');
    expect(await adapter.listDirectories()).to.deep.equal([]);
    await waitUntil(() => focusedText() === 'Directory sync');
    await expect(el).to.be.accessible();
  });

  it('Google Workspace: the guide says plainly it cannot push, and no directory is created', async () => {
    const adapter = new MemoryAdapter({ now: () => NOW });
    const { el, root } = await section(adapter);
    await el.startSetup({ provider: 'google-workspace' });
    const s = setupOf(root).shadowRoot!;
    s.querySelector<HTMLInputElement>('input[value="google-workspace"]')!.click();
    await press(buttonNamed(s, /Continue/));
    await waitUntil(() => focusedText() === 'Google Workspace cannot send users here');
    expect(s.textContent).to.contain('only for the apps in Google');
    expect(await adapter.listDirectories()).to.deep.equal([]);
    await expect(setupOf(root)).to.be.accessible();
  });

  it('shows a load error with Try again, and a failed creation keeps the choice and the name', async () => {
    const adapter = new MemoryAdapter({ now: () => NOW });
    adapter.failNext('listDirectories', 'network');
    const { el, root } = await section(adapter);
    expect(root.querySelector('[part="load-error"]')!.textContent).to.contain('Could not reach the server');
    await expect(el).to.be.accessible();
    await press(buttonNamed(root, /Try again/));
    await waitUntil(() => root.querySelector('[part="empty-state"]'));

    await el.startSetup();
    const s = setupOf(root).shadowRoot!;
    s.querySelector<HTMLInputElement>('input[value="entra-id"]')!.click();
    const name = s.querySelector<HTMLInputElement>('input[type="text"]')!;
    name.value = 'Entra (staff)';
    name.dispatchEvent(new Event('input'));
    adapter.failNext('createDirectory', 'server_error');
    await press(buttonNamed(s, /Continue/));
    await waitUntil(() => s.querySelector('[part="error"]'));
    expect(s.querySelector('[part="error"]')!.textContent).to.contain('Something went wrong on the server');
    expect(s.querySelector<HTMLInputElement>('input[value="entra-id"]')!.checked).to.equal(true);
    expect(s.querySelector<HTMLInputElement>('input[type="text"]')!.value).to.equal('Entra (staff)');
    await press(buttonNamed(s, /Continue/));
    await waitUntil(() => focusedText() === 'Connect Microsoft Entra ID');
    expect(s.querySelector<SsoCopyField>('sso-copy-field')!.value).to.match(/\/scim\/v2\/[^?]+\?aadOptscim062020$/);
  });

  it('a stale version is a conflict with a way to load the latest', async () => {
    const adapter = new MemoryAdapter({ now: () => NOW });
    const { directory } = await adapter.createDirectory({ provider: 'okta' });
    const { el, root } = await section(adapter);
    await el.startSetup({ directory, step: 'wait' });
    const s = setupOf(root).shadowRoot!;
    await adapter.regenerateDirectoryToken(directory.id, { version: 1 }); // elsewhere: version 2
    adapter.receiveScimRequests(directory.id, scimScenario('first-sync'));
    await waitUntil(() => !buttonNamed(s, /Enable directory sync/).disabled);
    // The poll brought version 2; polls fail from now on, so the page keeps it while another tab moves on.
    adapter.setFault('getDirectory', { code: 'network' });
    await adapter.regenerateDirectoryToken(directory.id, { version: 2 });
    await press(buttonNamed(s, /Enable directory sync/));
    await waitUntil(() => s.querySelector('[part="error"]')?.textContent?.includes('Changed somewhere else'));
    await expect(setupOf(root)).to.be.accessible();
    adapter.clearFaults();
    await press(buttonNamed(s, /Load the latest version/));
    await waitUntil(() => !s.querySelector('[part="error"]'));
    await press(buttonNamed(s, /Enable directory sync/));
    await waitUntil(() => root.querySelector('[part="directory"] sso-status-badge')?.getAttribute('status') === 'active');
  });
  it('shows the request log in the admin’s language, worded from the codes; an entry without them stays English, marked lang="en"', async () => {
    const adapter = new MemoryAdapter({ now: () => NOW });
    const { directory } = await adapter.createDirectory({ provider: 'okta', name: 'Okta (staff)' });
    // As an older server or another backend records them: English text only.
    adapter.receiveScimRequests(directory.id, [
      { method: 'POST', path: '/Users', summary: 'Created user old@megacorp.example', status: 201 },
      { method: 'PATCH', path: '/Users/usr_old', summary: 'Refused an old update', status: 400, error: { detail: 'Old detail.', remedy: 'Fix the old mapping.' } },
    ]);
    adapter.receiveScimRequests(directory.id, scimScenario('with-errors'));
    const { overview, el, root } = await section(adapter);
    const portal = (overview.getRootNode() as ShadowRoot).host as SsoAdminPortal;
    await el.startSetup({ directory, step: 'wait' });
    const s = setupOf(root).shadowRoot!;
    await waitUntil(() => s.querySelectorAll('li.request').length === 6, 'the requests were not shown');
    const item = (summary: RegExp) => [...s.querySelectorAll('li.request')].find((li) => summary.test(li.querySelector('strong')!.textContent))!;
    try {
      await switchTo(portal, 'de');
      const created = item(/ada@megacorp\.example/);
      expect(created.querySelector('strong')!.textContent).to.equal('Benutzer \u2068ada@megacorp.example\u2069 angelegt');
      expect(created.querySelector('strong')!.hasAttribute('lang')).to.equal(false);
      const refused = item(/^Abgelehnt: Benutzer erstellen$/);
      expect(refused.textContent).to.contain('Prüfen Sie die Attributzuordnungen unter „To App“ (Registerkarte „Provisioning“ der Anwendung): Das im Fehler genannte Attribut fehlt');
      expect(refused.querySelector('[lang="en"]')!.textContent, 'the detail is what the provider was answered').to.equal('userName is required and was missing from the request.');
      expect(item(/^Abgelehnt: Benutzer \u2068usr_ada\u2069 aktualisieren$/), 'ids isolated in a translated sentence').to.exist;

      const old = item(/Refused an old update/);
      expect(old.querySelector('strong')!.getAttribute('lang')).to.equal('en');
      expect([...old.querySelectorAll('[lang="en"]')].map((e) => e.textContent)).to.deep.equal(['Refused an old update', 'Old detail.', 'Fix the old mapping.']);
      expect(old.textContent).to.contain('Was zu ändern ist:');
      expect(item(/old@megacorp/).querySelector('strong')!.getAttribute('lang')).to.equal('en');
      await expect(setupOf(root)).to.be.accessible();
    } finally {
      await switchTo(portal, 'en');
    }
    // In English too, the names are isolated: a right-to-left name keeps its place in the sentence.
    expect(item(/ada@megacorp/).querySelector('strong')!.textContent, 'in English, the name isolated too').to.equal('Created user \u2068ada@megacorp.example\u2069');
  });
});
