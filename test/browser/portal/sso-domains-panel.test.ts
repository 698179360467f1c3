import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { MemoryAdapter, demoConnections, type MemoryAdapterOptions } from '../../../src/adapters/index.js';
import type { Connection, Domain } from '../../../src/core/model.js';
import type { SsoDomainsPanel } from '../../../src/portal/domains/sso-domains-panel.js';
import type { SsoErrorEvent } from '../../../src/portal/events.js';
import { defineContextHost, type SsoContextHost } from '../../support/sso-context-host.js';
import { buttonNamed, deepActiveElement, nextEvent, tabTo } from '../helpers.js';
import '../../../src/portal/domains/sso-domains-panel.js';

defineContextHost();

const NOW = new Date('2026-11-29T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();

function seeded(name: string, overrides: Partial<Domain> = {}): Domain {
  return {
    name,
    status: 'pending',
    txtRecord: { name: `_sso-verification.${name}`, value: `sso-verification=dv_${name.length}` },
    method: 'dns_txt',
    verifiedAt: null,
    lastCheckedAt: null,
    ...overrides,
  };
}

interface Setup {
  options?: MemoryAdapterOptions;
  connections?: Connection[];
  /** Runs before the panel first loads (fault injection). */
  arrange?: (adapter: MemoryAdapter) => void;
  theme?: 'light' | 'dark';
  width?: string;
}

/** A domains panel inside a host that provides the portal's contexts, once its list has settled. */
async function panel({ options = {}, connections = [], arrange, theme = 'light', width }: Setup = {}) {
  const adapter = new MemoryAdapter({ now: () => NOW, ...options });
  const session = await adapter.getSession();
  arrange?.(adapter);
  const host = await fixture<SsoContextHost>(html`<sso-context-host .adapter=${adapter} .session=${session} theme=${theme} style=${width ? `width:${width}` : ''}>
    <sso-domains-panel .connections=${connections} .now=${NOW}></sso-domains-panel>
  </sso-context-host>`);
  const el = host.querySelector('sso-domains-panel')!;
  await waitUntil(() => el.shadowRoot!.querySelector('[part="domain"], [part="empty-state"], [part="list-error"]'), 'the list did not settle');
  await el.updateComplete;
  return { host, el, adapter, root: el.shadowRoot! };
}

const errors = (host: HTMLElement) => {
  const seen: SsoErrorEvent[] = [];
  host.addEventListener('sso-error', (e) => seen.push(e));
  return seen;
};

function item(root: ShadowRoot, name: string): HTMLElement {
  const found = [...root.querySelectorAll<HTMLElement>('[part="domain"]')].find((li) => li.querySelector('h4')!.textContent === name);
  if (!found) throw new Error(`no domain ${name}`);
  return found;
}

const input = (root: ShadowRoot) => root.querySelector<HTMLInputElement>('#domain-input')!;

/** Types into the Domain field and presses Enter, as an admin would. */
async function typeAndEnter(el: SsoDomainsPanel, text: string) {
  const field = input(el.shadowRoot!);
  field.focus();
  field.select();
  await sendKeys({ type: text });
  await sendKeys({ press: 'Enter' });
  // Add first awaits the domain rules (a dynamic import, however loaded): wait for its answer
  // (an error on the field, the busy button, a failed add, or the cleared field of an added domain).
  const root = el.shadowRoot!;
  await waitUntil(
    () => root.querySelector('#domain-input-error, [part="add-error"]') || /Adding…/.test(root.querySelector('button[type="submit"]')?.textContent ?? '') || input(root).value === '',
    'Add did not answer',
  );
  await el.updateComplete;
}

async function press(button: HTMLElement, key: 'Enter' | 'Space' = 'Enter') {
  button.focus();
  await sendKeys({ press: key });
}

const announced = (host: SsoContextHost, text: string | RegExp) =>
  waitUntil(() => host.announcements.some((a) => (typeof text === 'string' ? a.includes(text) : text.test(a))), `not announced: ${String(text)}`);

describe('<sso-domains-panel>: states', () => {
  it('shows a busy loading state, then an accessible empty state with the form', async () => {
    const adapter = new MemoryAdapter({ latency: 60_000 });
    const host = await fixture<SsoContextHost>(html`<sso-context-host .adapter=${adapter}><sso-domains-panel></sso-domains-panel></sso-context-host>`);
    const el = host.querySelector('sso-domains-panel')!;
    await el.updateComplete;
    const loading = el.shadowRoot!.querySelector('[part="loading"]')!;
    expect(loading.textContent).to.contain('Loading your domains');
    expect(loading.closest('[aria-busy]')!.getAttribute('aria-busy')).to.equal('true');
    await expect(host).to.be.accessible();

    const { host: ready, root } = await panel();
    expect(root.querySelector('h3')!.textContent).to.equal('Domains');
    expect(root.querySelector('h3')!.getAttribute('tabindex')).to.equal('-1');
    expect(root.querySelector('.lead')!.textContent).to.match(/verified domain sign in to Acme with single sign-on/);
    expect(root.querySelector('[part="empty-state"]')!.textContent).to.contain('No domains yet');
    expect(root.querySelector('[aria-busy]')!.getAttribute('aria-busy')).to.equal('false');
    expect(input(root).labels![0]!.textContent).to.contain('Domain');
    await expect(ready).to.be.accessible();
  });

  it('lists each domain with its status, method, times, TXT record and routing', async () => {
    const { host, root } = await panel({
      connections: demoConnections(NOW),
      options: {
        seed: {
          domains: [
            seeded('megacorp.example', { status: 'verified', verifiedAt: minutesAgo(3 * 24 * 60), lastCheckedAt: minutesAgo(3 * 24 * 60) }),
            seeded('pending.example'),
            seeded('failed.example', { status: 'failed', lastCheckedAt: minutesAgo(2) }),
          ],
        },
      },
    });
    await expect(host).to.be.accessible();
    const verified = item(root, 'megacorp.example');
    expect(verified.querySelector('sso-status-badge')!.getAttribute('status')).to.equal('verified');
    expect(verified.textContent).to.contain('DNS TXT record');
    expect(verified.textContent).to.contain('Verified 3 days ago');
    expect(verified.querySelector('[part="routing"]')!.textContent).to.equal('Users at megacorp.example sign in with Okta (employees).');
    expect(verified.querySelector('[part="txt-record"]'), 'nothing to do for a verified domain').to.equal(null);

    const pending = item(root, 'pending.example');
    expect(pending.textContent).to.contain('Not checked yet');
    expect(pending.querySelector('[part="routing"]')!.textContent).to.contain('Once it is verified, users at pending.example will sign in with Okta (employees)');
    const fields = [...pending.querySelectorAll('sso-copy-field')];
    expect(fields.map((f) => f.label)).to.deep.equal(['Name (host)', 'Value']);
    expect(fields.map((f) => f.value)).to.deep.equal(['_sso-verification.pending.example', 'sso-verification=dv_15']);
    expect(fields[0]!.hint).to.contain('enter only _sso-verification');
    expect(pending.textContent).to.match(/DNS changes usually take a few minutes/);
    expect(buttonNamed(pending, /Verify now/)).to.exist;

    const failed = item(root, 'failed.example');
    expect(failed.textContent).to.contain('Checked 2 minutes ago');
    expect(failed.querySelector('[part="verify-failed"]')!.textContent).to.contain('The DNS record was not found yet');
    expect(buttonNamed(failed, /Verify again/)).to.exist;
  });

  it('says users keep signing in as before when no connection is active', async () => {
    const inactive = demoConnections(NOW).map((c) => ({ ...c, status: 'configured' as const }));
    const { root } = await panel({ connections: inactive, options: { seed: { domains: [seeded('megacorp.example', { status: 'verified', verifiedAt: minutesAgo(5) })] } } });
    expect(item(root, 'megacorp.example').querySelector('[part="routing"]')!.textContent).to.equal(
      'No active connection yet: users of this domain keep signing in as before.',
    );
  });

  it('says only the test users sign in with a connection active for test users only', async () => {
    const [first, ...rest] = demoConnections(NOW).map((c) => ({ ...c, status: 'configured' as const }));
    const staged = { ...first!, staged: { testUsers: ['tess@megacorp.example'], signedIn: [] } };
    const { root } = await panel({ connections: [staged, ...rest], options: { seed: { domains: [seeded('megacorp.example', { status: 'verified', verifiedAt: minutesAgo(5) })] } } });
    expect(item(root, 'megacorp.example').querySelector('[part="routing"]')!.textContent).to.equal(
      `Only the test users of ${staged.name} sign in with it; everyone else keeps signing in as before.`,
    );
  });

  it('renders hostile domain strings as text', async () => {
    const name = '<img src=x onerror="window.__pwned=1">.example';
    const value = '"><script>window.__pwned=1</script>';
    const { host, root } = await panel({ options: { seed: { domains: [seeded(name, { txtRecord: { name: `_sso.${name}`, value } })] } } });
    expect(root.querySelector('img'), 'no element from the name').to.equal(null);
    expect(root.querySelector('script')).to.equal(null);
    const li = item(root, name);
    expect(li.querySelector('h4')!.textContent).to.equal(name);
    const copy = li.querySelectorAll('sso-copy-field')[1]!;
    expect(copy.shadowRoot!.querySelector('#value')!.textContent).to.equal(value);
    expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
    await expect(host).to.be.accessible();
  });

  it('does not overflow 320 px in the dark theme, with a long domain', async () => {
    const long = `${'very-long-subdomain-label'.repeat(2)}.${'another-long-label-here'.repeat(2)}.example`;
    const { host, el } = await panel({ theme: 'dark', width: '320px', options: { seed: { domains: [seeded(long)] } } });
    expect(host.scrollWidth).to.be.at.most(host.clientWidth);
    expect(el.scrollWidth).to.be.at.most(el.clientWidth);
    await expect(host).to.be.accessible();
  });

  it('renders nothing when the session does not offer domains', async () => {
    const adapter = new MemoryAdapter({ seed: { session: { features: { saml: true, oidc: true, domains: false, idpInitiatedTest: true } } } });
    const session = await adapter.getSession();
    const host = await fixture<SsoContextHost>(html`<sso-context-host .adapter=${adapter} .session=${session}><sso-domains-panel></sso-domains-panel></sso-context-host>`);
    const el = host.querySelector('sso-domains-panel')!;
    await el.updateComplete;
    expect(el.shadowRoot!.children).to.have.length(0);
  });
});

describe('<sso-domains-panel>: adding', () => {
  it('adds a domain typed with the keyboard and Enter, clears the field and announces the next step', async () => {
    const { host, el, adapter, root } = await panel();
    await typeAndEnter(el, 'MegaCorp.Example.');
    await waitUntil(() => root.querySelector('[part="domain"]'), 'domain not listed');
    expect(adapter.calls.filter((c) => c.method === 'addDomain').map((c) => c.args)).to.deep.equal([['megacorp.example']]);
    expect(item(root, 'megacorp.example').querySelector('sso-status-badge')!.getAttribute('status')).to.equal('pending');
    expect(input(root).value).to.equal('');
    await announced(host, 'megacorp.example added. Create its DNS TXT record, then choose Verify now.');
    expect(deepActiveElement()).to.equal(input(root));
    await expect(host).to.be.accessible();
  });

  it('adds an internationalised domain in its DNS form (punycode) and says so', async () => {
    const { host, el, root } = await panel();
    await typeAndEnter(el, 'bücher.example');
    await waitUntil(() => root.querySelector('[part="domain"]'), 'domain not listed');
    expect(item(root, 'xn--bcher-kva.example')).to.exist;
    await announced(host, 'bücher.example (written xn--bcher-kva.example in DNS) added');
  });

  for (const [typed, message] of [
    ['https://megacorp.example/path', /Remove “https:\/\/” and the path/],
    ['user@megacorp.example', /looks like an email address: enter only the part after @/],
    ['*.megacorp.example', /Wildcards are not supported/],
    ['localhost', /not a full domain name/],
    ['10.1.2.3', /IP address/],
    ['gmail.com', /gmail\.com is a public email provider: anyone can get an address there/],
  ] as const) {
    it(`refuses ${typed} before calling the adapter: error tied to the field, focused, announced, input kept`, async () => {
      const { host, el, adapter, root } = await panel();
      await typeAndEnter(el, typed);
      const error = root.querySelector('#domain-input-error')!;
      expect(error.textContent).to.match(message);
      const field = input(root);
      expect(field.getAttribute('aria-invalid')).to.equal('true');
      expect(field.getAttribute('aria-describedby')).to.contain('domain-input-error');
      expect(field.value).to.equal(typed);
      expect(deepActiveElement()).to.equal(field);
      expect(adapter.calls.some((c) => c.method === 'addDomain')).to.equal(false);
      await announced(host, message);
      await expect(host).to.be.accessible();
      // Typing again clears the error.
      await sendKeys({ type: 'x' });
      await el.updateComplete;
      expect(root.querySelector('#domain-input-error')).to.equal(null);
    });
  }

  it('refuses a domain already in the list without calling the adapter', async () => {
    const { el, adapter, root } = await panel({ options: { seed: { domains: [seeded('megacorp.example')] } } });
    await typeAndEnter(el, 'MEGACORP.example');
    expect(root.querySelector('#domain-input-error')!.textContent).to.contain('megacorp.example is already in your list');
    expect(adapter.calls.some((c) => c.method === 'addDomain')).to.equal(false);
  });

  it('shows domain_taken at the field, keeps the input, and reports sso-error', async () => {
    const { host, el, root } = await panel({ options: { takenDomains: ['initech.example'] } });
    const seen = errors(host);
    await typeAndEnter(el, 'initech.example');
    await waitUntil(() => root.querySelector('#domain-input-error'), 'no field error');
    expect(root.querySelector('#domain-input-error')!.textContent).to.contain('This domain is already in use');
    expect(root.querySelector('#domain-input-error')!.textContent).to.contain('Another organization has verified this domain');
    expect(input(root).value).to.equal('initech.example');
    expect(input(root).getAttribute('aria-invalid')).to.equal('true');
    expect(seen.map((e) => [e.error.code, e.operation])).to.deep.equal([['domain_taken', 'add-domain']]);
    expect(root.querySelector('[part="domain"]')).to.equal(null);
    await expect(host).to.be.accessible();
  });

  it('shows a network failure with a retry that works, keeping the input', async () => {
    const { host, el, adapter, root } = await panel();
    const seen = errors(host);
    adapter.failNext('addDomain', 'network');
    await typeAndEnter(el, 'megacorp.example');
    await waitUntil(() => root.querySelector('[part="add-error"]'), 'no add error');
    const notice = root.querySelector('[part="add-error"]')!;
    expect(notice.textContent).to.contain('Could not reach the server');
    expect(notice.textContent).to.contain('Check your connection, then try again');
    expect(input(root).value).to.equal('megacorp.example');
    expect(seen.map((e) => e.error.code)).to.deep.equal(['network']);
    await announced(host, 'The domain could not be added. Could not reach the server.');
    await expect(host).to.be.accessible();

    await tabTo(buttonNamed(notice, /Try again/));
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => root.querySelector('[part="domain"]'), 'retry did not add the domain');
    expect(root.querySelector('[part="add-error"]')).to.equal(null);
    expect(input(root).value).to.equal('');
  });

  it('offers no retry when retrying cannot help (conflict from another tab reloads the list)', async () => {
    const { el, adapter, root } = await panel();
    await adapter.addDomain('megacorp.example'); // "another tab"
    await typeAndEnter(el, 'megacorp.example');
    await waitUntil(() => root.querySelector('[part="domain"]'), 'list not reloaded');
    expect(root.querySelector('#domain-input-error')!.textContent).to.contain('already added, maybe in another tab');
    expect(root.querySelector('[part="add-error"]')).to.equal(null);
  });

  it('shows the busy state while adding and ignores a second Enter', async () => {
    const { el, adapter, root } = await panel();
    adapter.setLatency(300);
    await typeAndEnter(el, 'megacorp.example');
    const submit = buttonNamed(root, /Adding…/);
    expect(submit.getAttribute('aria-disabled')).to.equal('true');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => root.querySelector('[part="domain"]'), 'not added');
    expect(adapter.calls.filter((c) => c.method === 'addDomain')).to.have.length(1);
    expect(buttonNamed(root, /Add domain/).getAttribute('aria-disabled')).to.equal('false');
  });
});

describe('<sso-domains-panel>: verifying', () => {
  it('verifies with the keyboard: busy state, sso-domain-verified with the domain, announced, focus on the domain', async () => {
    const { host, adapter, root } = await panel({
      connections: demoConnections(NOW),
      options: { seed: { domains: [seeded('megacorp.example')] } },
    });
    adapter.setLatency(200);
    const verified = nextEvent(host, 'sso-domain-verified');
    const button = buttonNamed(item(root, 'megacorp.example'), /Verify now/);
    await tabTo(button);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => button.textContent.includes('Verifying…'), 'no busy state');
    expect(button.getAttribute('aria-disabled')).to.equal('true');
    await announced(host, 'Looking for the TXT record of megacorp.example');
    const event = await verified;
    expect(event.domain.name).to.equal('megacorp.example');
    expect(event.domain.status).to.equal('verified');
    expect(event.bubbles && event.composed).to.equal(true);
    await waitUntil(() => item(root, 'megacorp.example').querySelector('sso-status-badge')!.getAttribute('status') === 'verified');
    await announced(host, 'megacorp.example is verified. Users at megacorp.example sign in with Okta (employees).');
    await waitUntil(() => deepActiveElement() === item(root, 'megacorp.example').querySelector('h4'), 'focus did not move to the domain');
    expect(item(root, 'megacorp.example').querySelector('[part="txt-record"]')).to.equal(null);
    expect(adapter.calls.filter((c) => c.method === 'verifyDomain').map((c) => c.args)).to.deep.equal([['megacorp.example']]);
    await expect(host).to.be.accessible();
  });

  it('explains a failed check, keeps focus on the button, and fires no event', async () => {
    const { host, root } = await panel({ options: { verifyDomain: () => false, seed: { domains: [seeded('megacorp.example')] } } });
    const seen = errors(host);
    let verifiedEvents = 0;
    host.addEventListener('sso-domain-verified', () => verifiedEvents++);
    const button = buttonNamed(item(root, 'megacorp.example'), /Verify now/);
    await press(button, 'Space');
    await waitUntil(() => item(root, 'megacorp.example').querySelector('[part="verify-failed"]'), 'no failure shown');
    const li = item(root, 'megacorp.example');
    expect(li.querySelector('sso-status-badge')!.getAttribute('status')).to.equal('failed');
    expect(li.querySelector('[part="verify-failed"]')!.textContent).to.contain('Changes can take a few minutes to spread');
    expect(li.textContent).to.contain('Checked just now');
    await announced(host, 'megacorp.example: The DNS record was not found yet. Check the TXT record’s name and value');
    expect(deepActiveElement(), 'the same button, now "Verify again"').to.equal(button);
    expect(button.textContent).to.contain('Verify again');
    expect(verifiedEvents).to.equal(0);
    expect(seen).to.deep.equal([]);
    await expect(host).to.be.accessible();
  });

  it('shows what the DNS lookup found: the backend’s message and the values at the name', async () => {
    const { host, root } = await panel({
      options: {
        verifyDomain: () => ({
          result: 'wrong_value',
          message: 'We found a TXT record at _sso-verification.megacorp.example, but not with the expected value.',
          found: ['sso-verification=old-value', '<img src=x onerror=alert(1)>'],
        }),
        seed: { domains: [seeded('megacorp.example')] },
      },
    });
    await press(buttonNamed(item(root, 'megacorp.example'), /Verify now/));
    await waitUntil(() => item(root, 'megacorp.example').querySelector('[part="verify-failed"]'), 'no failure shown');
    const failed = item(root, 'megacorp.example').querySelector('[part="verify-failed"]')!;
    expect(failed.textContent).to.contain('but not with the expected value');
    expect([...failed.querySelectorAll('.found code')].map((c) => c.textContent)).to.deep.equal(['sso-verification=old-value', '<img src=x onerror=alert(1)>']);
    expect(failed.querySelector('img'), 'hostile values are text').to.equal(null);
    await expect(host).to.be.accessible();
  });

  it('shows a network failure in the domain’s entry and reports sso-error; verifying again works', async () => {
    const { host, adapter, root } = await panel({ options: { seed: { domains: [seeded('megacorp.example')] } } });
    const seen = errors(host);
    adapter.failNext('verifyDomain', 'network');
    const button = buttonNamed(item(root, 'megacorp.example'), /Verify now/);
    await press(button);
    await waitUntil(() => item(root, 'megacorp.example').querySelector('[part="row-error"]'), 'no row error');
    expect(item(root, 'megacorp.example').querySelector('[part="row-error"]')!.textContent).to.contain('megacorp.example could not be checked. Could not reach the server.');
    expect(seen.map((e) => [e.error.code, e.operation])).to.deep.equal([['network', 'verify-domain']]);
    await expect(host).to.be.accessible();
    const verified = nextEvent(host, 'sso-domain-verified');
    await press(button);
    expect((await verified).domain.name).to.equal('megacorp.example');
    await waitUntil(() => !item(root, 'megacorp.example').querySelector('[part="row-error"]'));
  });

  it('fires sso-session-expired once when the link expired, and shows it', async () => {
    const { host, adapter, root } = await panel({ options: { seed: { domains: [seeded('a.example'), seeded('b.example')] } } });
    const seen = errors(host);
    let expired = 0;
    host.addEventListener('sso-session-expired', () => expired++);
    adapter.expireSession();
    await press(buttonNamed(item(root, 'a.example'), /Verify now/));
    await waitUntil(() => item(root, 'a.example').querySelector('[part="row-error"]'), 'no row error');
    expect(item(root, 'a.example').querySelector('[part="row-error"]')!.textContent).to.contain('This setup link has expired');
    await press(buttonNamed(item(root, 'b.example'), /Verify now/));
    await waitUntil(() => item(root, 'b.example').querySelector('[part="row-error"]'), 'no row error');
    expect(expired).to.equal(1);
    expect(seen).to.deep.equal([]);
    await expect(host).to.be.accessible();
  });
});

describe('<sso-domains-panel>: removing', () => {
  it('confirms in a modal dialog: Escape cancels and returns focus; Enter on Remove domain removes', async () => {
    const { host, adapter, root } = await panel({
      connections: demoConnections(NOW),
      options: { seed: { domains: [seeded('megacorp.example', { status: 'verified', verifiedAt: minutesAgo(60) }), seeded('other.example')] } },
    });
    const dialog = root.querySelector('dialog')!;
    const remove = buttonNamed(item(root, 'megacorp.example'), /Remove/);
    await tabTo(remove);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => dialog.open, 'dialog did not open');
    expect(dialog.matches(':modal')).to.equal(true);
    await waitUntil(() => deepActiveElement() === root.querySelector('#remove-cancel'), 'focus is not on Cancel');
    expect(root.querySelector('#remove-title')!.textContent).to.equal('Remove megacorp.example?');
    expect(dialog.textContent).to.contain('Users at megacorp.example will no longer sign in with Okta (employees)');
    await expect(host).to.be.accessible();

    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialog.open, 'Escape did not close the dialog');
    await waitUntil(() => deepActiveElement() === remove, 'focus did not return to Remove');
    expect(adapter.calls.some((c) => c.method === 'removeDomain')).to.equal(false);
    expect(item(root, 'megacorp.example')).to.exist;

    // Cancel with the keyboard does the same.
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => dialog.open && deepActiveElement() === root.querySelector('#remove-cancel'));
    await sendKeys({ press: 'Space' });
    await waitUntil(() => !dialog.open, 'Cancel did not close the dialog');
    await waitUntil(() => deepActiveElement() === remove, 'focus did not return to Remove');
    expect(adapter.calls.some((c) => c.method === 'removeDomain')).to.equal(false);

    await sendKeys({ press: 'Enter' });
    await waitUntil(() => dialog.open && deepActiveElement() === root.querySelector('#remove-cancel'));
    await sendKeys({ press: 'Tab' });
    expect(deepActiveElement()).to.equal(root.querySelector('#remove-confirm'));
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => !root.querySelector('h4') || [...root.querySelectorAll('h4')].every((h) => h.textContent !== 'megacorp.example'), 'not removed');
    expect(dialog.open).to.equal(false);
    expect(adapter.calls.filter((c) => c.method === 'removeDomain').map((c) => c.args)).to.deep.equal([['megacorp.example']]);
    expect((await adapter.listDomains()).map((d) => d.name)).to.deep.equal(['other.example']);
    await announced(host, 'megacorp.example removed.');
    await waitUntil(() => deepActiveElement() === root.querySelector('h3'), 'focus did not go to the heading');
    await expect(host).to.be.accessible();
  });

  it('Space on Remove domain removes too; a failure is shown in the entry with focus back on Remove', async () => {
    const { host, adapter, root } = await panel({ options: { seed: { domains: [seeded('megacorp.example')] } } });
    const seen = errors(host);
    adapter.failNext('removeDomain', 'server_error');
    const dialog = root.querySelector('dialog')!;
    const remove = buttonNamed(item(root, 'megacorp.example'), /Remove/);
    await press(remove);
    await waitUntil(() => dialog.open);
    expect(dialog.textContent).to.contain('Its verification stops');
    root.querySelector<HTMLButtonElement>('#remove-confirm')!.focus();
    await sendKeys({ press: 'Space' });
    await waitUntil(() => item(root, 'megacorp.example').querySelector('[part="row-error"]'), 'no row error');
    expect(item(root, 'megacorp.example').querySelector('[part="row-error"]')!.textContent).to.contain('megacorp.example could not be removed. Something went wrong on the server.');
    expect(seen.map((e) => [e.error.code, e.operation])).to.deep.equal([['server_error', 'remove-domain']]);
    expect(deepActiveElement()).to.equal(remove);
    await expect(host).to.be.accessible();

    await sendKeys({ press: 'Enter' });
    await waitUntil(() => dialog.open);
    root.querySelector<HTMLButtonElement>('#remove-confirm')!.focus();
    await sendKeys({ press: 'Space' });
    await waitUntil(() => root.querySelector('[part="empty-state"]'), 'not removed');
  });

  it('treats a domain already removed elsewhere as removed', async () => {
    const { host, adapter, root } = await panel({ options: { seed: { domains: [seeded('megacorp.example')] } } });
    await adapter.removeDomain('megacorp.example'); // "another tab"
    await press(buttonNamed(item(root, 'megacorp.example'), /Remove/));
    await waitUntil(() => root.querySelector('dialog')!.open);
    root.querySelector<HTMLButtonElement>('#remove-confirm')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => root.querySelector('[part="empty-state"]'), 'not removed');
    await announced(host, 'megacorp.example was already removed.');
  });
});

describe('<sso-domains-panel>: loading the list', () => {
  it('shows a network failure with a retry that recovers, and reports sso-error', async () => {
    const seen: SsoErrorEvent[] = [];
    const onError = (e: SsoErrorEvent) => seen.push(e);
    document.addEventListener('sso-error', onError);
    try {
      const { host, el, root } = await panel({
        options: { seed: { domains: [seeded('megacorp.example')] } },
        arrange: (adapter) => adapter.failNext('listDomains', 'network'),
      });
      const error = root.querySelector('[part="list-error"]')!;
      expect(error.textContent).to.contain('Your domains could not be loaded. Could not reach the server.');
      expect(seen.map((e) => [e.error.code, e.operation])).to.deep.equal([['network', 'load-domains']]);
      await expect(host).to.be.accessible();
      await tabTo(buttonNamed(error, /Try again/));
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => root.querySelector('[part="domain"]'), 'retry did not load');
      expect(deepActiveElement()).to.equal(root.querySelector('h3'));
      await el.updateComplete;
    } finally {
      document.removeEventListener('sso-error', onError);
    }
  });

  it('fires sso-session-expired (not sso-error) and offers no retry when the link expired', async () => {
    const expired: Event[] = [];
    const seen: Event[] = [];
    const onExpired = (e: Event) => expired.push(e);
    const onError = (e: Event) => seen.push(e);
    document.addEventListener('sso-session-expired', onExpired);
    document.addEventListener('sso-error', onError);
    try {
      const { host, root } = await panel({ arrange: (adapter) => adapter.expireSession() });
      const error = root.querySelector('[part="list-error"]')!;
      expect(error.textContent).to.contain('This setup link has expired');
      expect(error.querySelector('button')).to.equal(null);
      expect(expired).to.have.length(1);
      expect(seen).to.deep.equal([]);
      await expect(host).to.be.accessible();
    } finally {
      document.removeEventListener('sso-session-expired', onExpired);
      document.removeEventListener('sso-error', onError);
    }
  });
});

/** The characters after which `element`'s text wraps to a new line. */
function lineBreaksIn(element: Element): string[] {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const breaks: string[] = [];
  let previous: { char: string; top: number } | undefined;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent ?? '';
    for (let i = 0; i < text.length; i++) {
      if (/\s/.test(text[i]!)) continue;
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (!rect) continue;
      if (previous && rect.top > previous.top + 2) breaks.push(previous.char + (/\s/.test(text[i - 1] ?? ' ') ? ' ' : ''));
      previous = { char: text[i]!, top: rect.top };
    }
  }
  return breaks;
}

describe('<sso-domains-panel>: long domain names at 360 px', () => {
  it('wraps a domain name after its dots, never inside a label', async () => {
    const name = 'subsidiaryengineering.megacorpinternational.example';
    const [okta] = demoConnections(NOW);
    const { root } = await panel({ options: { seed: { domains: [seeded(name)] } }, connections: [{ ...okta!, status: 'active' }], width: '330px' });
    const li = item(root, name);
    const heading = li.querySelector('h4')!;
    const where = [heading, li.querySelector('[part="routing"]')!, li.querySelector('[part="txt-record"] p')!];
    for (const element of where) {
      const breaks = lineBreaksIn(element);
      for (const after of breaks) expect(after, `${element.tagName} "${element.textContent.trim().slice(0, 40)}…" breaks after “${after}”`).to.match(/^\.$|\s$/);
    }
    expect(lineBreaksIn(heading).length, 'the heading does wrap at this width').to.be.greaterThan(0);
    expect(heading.textContent).to.equal(name);
  });
});
