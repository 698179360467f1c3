import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { buttonNamed, deepActiveElement, nextEvent, tabTo } from '../helpers.js';
import { switchTo } from '../localize-helpers.js';
import { MemoryAdapter, demoSeed } from '../../../src/adapters/index.js';
import { PortalError } from '../../../src/core/errors.js';
import { defineElement } from '../../../src/portal/define.js';
import { SsoErrorEvent, SsoSessionExpiredEvent } from '../../../src/portal/events.js';
import { SsoAdminPortal } from '../../../src/portal/sso-admin-portal.js';
import { testFailureTitle } from '../../../src/core/test-titles.js';
import '../../../src/index.js';

const NOW = new Date('2026-11-29T12:00:00Z');

function shadow(el: Element): ShadowRoot {
  return el.shadowRoot!;
}

/** The overview or wizard inside the portal, once rendered. */
async function view<T extends 'sso-connections-overview' | 'sso-wizard'>(el: SsoAdminPortal, tag: T) {
  await waitUntil(() => shadow(el).querySelector(tag), `${tag} did not render`);
  await customElements.whenDefined(tag); // the wizard's code loads lazily
  const child = shadow(el).querySelector(tag)!;
  await child.updateComplete;
  return child;
}

async function portalWith(adapter: MemoryAdapter | undefined, attrs: Partial<Record<'theme' | 'api-base' | 'token', string>> = {}) {
  const el = await fixture<SsoAdminPortal>(html`<sso-admin-portal
    .adapter=${adapter}
    theme=${attrs.theme ?? 'light'}
    api-base=${attrs['api-base'] ?? ''}
    token=${attrs.token ?? ''}
  ></sso-admin-portal>`);
  return el;
}

async function settled(el: SsoAdminPortal, selector: string) {
  await waitUntil(() => shadow(el).querySelector(selector), `${selector} did not render`);
  await el.updateComplete;
  return shadow(el).querySelector<HTMLElement>(selector)!;
}

describe('<sso-admin-portal>', () => {
  describe('states', () => {
    it('shows a loading state while the session loads, accessible and busy', async () => {
      const el = await portalWith(new MemoryAdapter({ latency: 60_000 }));
      const loading = await settled(el, '[part="loading"]');
      expect(loading.getAttribute('aria-busy')).to.equal('true');
      expect(loading.textContent).to.contain('Loading your SSO settings');
      await expect(el).to.be.accessible();
    });

    it('shows the connections overview with provider, protocol, status and last test', async () => {
      const el = await portalWith(new MemoryAdapter({ seed: demoSeed(NOW), now: () => NOW }));
      const overview = await view(el, 'sso-connections-overview');
      await expect(el).to.be.accessible();
      const items = shadow(overview).querySelectorAll('[part="connection"]');
      expect(items).to.have.length(2);
      const okta = items[0]!;
      expect(okta.textContent).to.contain('Okta (employees)');
      expect(okta.textContent).to.contain('SAML 2.0');
      expect(okta.querySelector('sso-status-badge')!.getAttribute('status')).to.equal('active');
      expect(okta.textContent).to.match(/Passed/);
      const entra = items[1]!;
      expect(entra.textContent).to.contain('Microsoft Entra ID');
      expect(entra.textContent).to.contain('OpenID Connect');
      expect(entra.textContent).to.contain('Failed');
      expect(entra.textContent).to.contain(testFailureTitle('oidc_invalid_client'));
      expect(shadow(overview).querySelector('h2')!.textContent).to.contain('Megacorp');
    });

    it('shows an empty state that invites the admin to set up SSO', async () => {
      const el = await portalWith(new MemoryAdapter());
      const overview = await view(el, 'sso-connections-overview');
      await expect(el).to.be.accessible();
      const empty = shadow(overview).querySelector('[part="empty-state"]')!;
      expect(empty.textContent).to.contain('Let your team sign in to Acme');
      expect(buttonNamed(shadow(overview), /Set up SSO/)).to.exist;
    });

    it('shows a failed load with a retry that recovers, and reports it with sso-error', async () => {
      const adapter = new MemoryAdapter({ seed: demoSeed(NOW) });
      adapter.failNext('listConnections', 'server_error');
      const el = document.createElement('sso-admin-portal');
      const errorEvent = nextEvent(el, 'sso-error');
      el.adapter = adapter;
      document.body.append(el);
      try {
        const event = await errorEvent;
        expect(event).to.be.instanceOf(SsoErrorEvent);
        expect(event.error.code).to.equal('server_error');
        expect(event.operation).to.equal('load');
        const panel = await settled(el, '[part="error"]');
        await expect(el).to.be.accessible();
        expect(panel.textContent).to.contain('Something went wrong on the server');
        expect(panel.textContent).to.contain('server_error');
        expect(shadow(el).querySelector('[role="status"]')!.textContent).to.contain('Something went wrong on the server');
        // A language switch: the panel is worded again, and the live region's English words go.
        try {
          await switchTo(el, 'de');
          expect(shadow(el).querySelector('[role="status"]')!.textContent.trim()).to.equal('');
          expect(panel.textContent).not.to.contain('Something went wrong on the server');
        } finally {
          await switchTo(el, 'en');
        }

        const retry = buttonNamed(shadow(el), /Try again/);
        await tabTo(retry);
        await sendKeys({ press: 'Enter' });
        const overview = await view(el, 'sso-connections-overview');
        await waitUntil(() => deepActiveElement() === shadow(overview).querySelector('h2'), 'focus did not move to the heading');
      } finally {
        el.remove();
      }
    });

    it('shows the expired-link state without retry and fires sso-session-expired once', async () => {
      const adapter = new MemoryAdapter();
      adapter.expireSession();
      const el = document.createElement('sso-admin-portal');
      const events: Event[] = [];
      el.addEventListener('sso-session-expired', (e) => events.push(e));
      el.addEventListener('sso-error', (e) => events.push(e));
      el.adapter = adapter;
      document.body.append(el);
      try {
        const panel = await settled(el, '[part="expired"]');
        await expect(el).to.be.accessible();
        expect(panel.textContent).to.contain('This setup link has expired');
        expect(panel.textContent).to.contain('Ask the person who sent you this link');
        expect(panel.querySelector('button')).to.equal(null);
        await el.reload();
        await el.updateComplete;
        expect(events).to.have.length(1);
        expect(events[0]).to.be.instanceOf(SsoSessionExpiredEvent);
      } finally {
        el.remove();
      }
    });

    it('explains a missing adapter to the host developer instead of crashing', async () => {
      const el = await portalWith(undefined);
      const panel = await settled(el, '[part="error"]');
      await expect(el).to.be.accessible();
      expect(panel.textContent).to.contain('not configured');
      expect(panel.textContent).to.contain('not_configured');
      expect(panel.querySelector('button')).to.equal(null);
    });

    it('explains an api-base without a token as a configuration problem, not a crash', async () => {
      const el = await portalWith(undefined, { 'api-base': 'http://127.0.0.1:9/api/portal' });
      const panel = await settled(el, '[part="error"]');
      expect(panel.textContent).to.contain('not_configured');
      expect(panel.querySelector('button')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('maps every error code to plain text, never a raw exception', async () => {
      const adapter = new MemoryAdapter();
      adapter.setFault('getSession', { code: 'rate_limited', message: 'TypeError: x is undefined at line 3' });
      const el = await portalWith(adapter);
      const panel = await settled(el, '[part="error"]');
      expect(panel.textContent).to.contain('Too many requests');
      expect(panel.textContent).not.to.contain('TypeError');
    });
  });

  describe('navigation', () => {
    it('starts the wizard from the empty state with the keyboard, firing a cancelable sso-step-change', async () => {
      const el = await portalWith(new MemoryAdapter());
      const overview = await view(el, 'sso-connections-overview');
      const setUp = buttonNamed(shadow(overview), /Set up SSO/);
      const change = nextEvent(el, 'sso-step-change');
      await tabTo(setUp);
      await sendKeys({ press: 'Enter' });
      const event = await change;
      expect(event.cancelable).to.equal(true);
      expect(event.composed).to.equal(true);
      expect(event.from).to.deep.equal({ view: 'overview' });
      expect(event.to).to.deep.equal({ view: 'wizard', step: 'provider' });
      const wizard = await view(el, 'sso-wizard');
      await expect(el).to.be.accessible();
      const current = shadow(shadow(wizard).querySelector('sso-stepper')!).querySelector('[aria-current="step"]')!;
      expect(current.textContent).to.contain('Identity provider');
      await waitUntil(
        () => deepActiveElement() === shadow(wizard).querySelector('sso-step-provider')?.shadowRoot?.querySelector('#step-heading'),
        'focus did not move to the first step’s heading',
      );
    });

    it('lets the host veto a step change', async () => {
      const el = await portalWith(new MemoryAdapter());
      const overview = await view(el, 'sso-connections-overview');
      el.addEventListener('sso-step-change', (e) => e.preventDefault(), { once: true });
      buttonNamed(shadow(overview), /Set up SSO/).click();
      await el.updateComplete;
      expect(shadow(el).querySelector('sso-wizard')).to.equal(null);
      expect(shadow(el).querySelector('sso-connections-overview')).to.exist;
    });

    it('opens an existing connection for editing and comes back to the overview', async () => {
      const el = await portalWith(new MemoryAdapter({ seed: demoSeed(NOW) }));
      const overview = await view(el, 'sso-connections-overview');
      const edit = buttonNamed(shadow(overview), /Edit\s+Okta \(employees\)/);
      const change = nextEvent(el, 'sso-step-change');
      edit.click();
      expect((await change).to).to.deep.equal({ view: 'wizard', step: 'configure', connectionId: 'conn_okta' });
      const wizard = await view(el, 'sso-wizard');
      expect(shadow(wizard).querySelector('h2')!.textContent).to.contain('Edit Okta (employees) connection');
      buttonNamed(shadow(wizard), /Back to connections/).click();
      const back = await view(el, 'sso-connections-overview');
      await waitUntil(() => deepActiveElement() === shadow(back).querySelector('h2'), 'focus did not return to the overview heading');
    });

    it('fires no event when the host sets properties', async () => {
      const el = await portalWith(new MemoryAdapter({ seed: demoSeed(NOW) }));
      await view(el, 'sso-connections-overview');
      const fired: string[] = [];
      for (const name of ['sso-step-change', 'sso-error', 'sso-session-expired'] as const) {
        el.addEventListener(name, () => fired.push(name));
      }
      el.theme = 'dark';
      el.providers = 'okta';
      el.adapter = new MemoryAdapter();
      await el.updateComplete;
      await view(el, 'sso-connections-overview');
      await el.updateComplete;
      expect(fired).to.deep.equal([]);
    });
  });

  describe('embedding', () => {
    it('has exactly one live region', async () => {
      const el = await portalWith(new MemoryAdapter({ seed: demoSeed(NOW) }));
      const overview = await view(el, 'sso-connections-overview');
      expect(shadow(el).querySelectorAll('[role="status"], [aria-live], [role="alert"]')).to.have.length(1);
      expect(shadow(overview).querySelectorAll('[role="status"], [aria-live], [role="alert"]')).to.have.length(0);
    });

    it('renders hostile strings from the backend as text', async () => {
      const hostile = '<img src=x onerror="window.__pwned=1">';
      const el = await portalWith(
        new MemoryAdapter({ seed: { session: { organization: { id: 'org_x', name: hostile } }, connections: demoSeed(NOW).connections!.map((c) => ({ ...c, name: hostile })) } }),
      );
      const overview = await view(el, 'sso-connections-overview');
      expect(shadow(overview).querySelector('img')).to.equal(null);
      expect(shadow(overview).querySelector('h2')!.textContent).to.contain(hostile);
      expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    });

    it('switches to the dark scheme with the theme attribute, axe-clean', async () => {
      const el = await portalWith(new MemoryAdapter({ seed: demoSeed(NOW) }), { theme: 'dark' });
      await view(el, 'sso-connections-overview');
      expect(getComputedStyle(el).colorScheme).to.equal('dark');
      const darkBg = getComputedStyle(el).backgroundColor;
      el.theme = 'light';
      await el.updateComplete;
      expect(getComputedStyle(el).colorScheme).to.equal('light');
      expect(getComputedStyle(el).backgroundColor).not.to.equal(darkBg);
      el.theme = 'dark';
      await el.updateComplete;
      await expect(el).to.be.accessible();
    });

    it('lets the host override design tokens', async () => {
      const el = await portalWith(new MemoryAdapter());
      el.style.setProperty('--sso-color-bg', 'rgb(1, 2, 3)');
      await view(el, 'sso-connections-overview');
      expect(getComputedStyle(el).backgroundColor).to.equal('rgb(1, 2, 3)');
    });

    it('registers once: a second define is a no-op', () => {
      expect(() => defineElement('sso-admin-portal', class extends HTMLElement {})).not.to.throw();
      expect(customElements.get('sso-admin-portal')).to.equal(SsoAdminPortal);
    });

    it('shows the error of a rejected adapter call that is not a PortalError as "unknown"', async () => {
      const adapter = new MemoryAdapter();
      adapter.getSession = () => Promise.reject(new Error('secret internal detail'));
      const el = await portalWith(adapter);
      const panel = await settled(el, '[part="error"]');
      expect(panel.textContent).to.contain('unknown');
      expect(panel.textContent).not.to.contain('secret internal detail');
      expect(new PortalError('unknown').retryable).to.equal(true);
    });
  });
});
