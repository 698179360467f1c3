/**
 * The element warns before its session ends (portal/session-warning.ts, loaded when due): the
 * `sso-session-expiring` event and a banner (role="alert", axe-clean, dismissed with the
 * keyboard), then at the end its expired state and `sso-session-expired`; a session the server
 * renewed meanwhile warns nothing. Sessions of a second or two: every wait is on an event or a
 * condition.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { MemoryAdapter, demoSeed } from '../../../src/adapters/index.js';
import type { PortalSession } from '../../../src/core/model.js';
import type { SsoAdminPortal } from '../../../src/portal/sso-admin-portal.js';
import { buttonNamed, deepActiveElement, nextEvent, tabTo } from '../helpers.js';
import '../../../src/index.js';

const endingIn = (ms: number) => new Date(Date.now() + ms).toISOString();

async function portal(adapter: MemoryAdapter) {
  const el = await fixture<SsoAdminPortal>(html`<sso-admin-portal .adapter=${adapter}></sso-admin-portal>`);
  return el;
}

describe('<sso-admin-portal> session warning', () => {
  it('warns 5 minutes before the session ends (event and banner), then shows the expired state', async () => {
    const expiresAt = endingIn(2000);
    const adapter = new MemoryAdapter({ seed: { ...demoSeed(), session: { expiresAt } } });
    const el = document.createElement('sso-admin-portal');
    const expiring = nextEvent(el, 'sso-session-expiring');
    const expired = nextEvent(el, 'sso-session-expired');
    el.adapter = adapter;
    document.body.append(el);
    try {
      const event = await expiring;
      expect(event.expiresAt).to.equal(expiresAt);
      expect(event.bubbles && event.composed).to.equal(true);
      await waitUntil(() => el.shadowRoot!.querySelector('sso-session-banner'), 'no banner');
    const banner = el.shadowRoot!.querySelector('sso-session-banner')!;
      await banner.updateComplete;
      const alert = banner.shadowRoot!.querySelector('[role="alert"]')!;
      expect(alert.textContent).to.match(/Your session ends soon, at .+\./);
      await expect(el).to.be.accessible();

      await expired;
      await waitUntil(() => el.shadowRoot!.querySelector('[part="expired"]'), 'no expired state');
      expect(el.shadowRoot!.querySelector('sso-session-banner')).to.equal(null, 'the banner goes with the session');
    } finally {
      el.remove();
    }
  });

  it('the banner is dismissed with the keyboard', async () => {
    const adapter = new MemoryAdapter({ seed: { ...demoSeed(), session: { expiresAt: endingIn(240_000) } } });
    const el = await portal(adapter);
    await waitUntil(() => el.shadowRoot!.querySelector('sso-session-banner'), 'no banner');
    const banner = el.shadowRoot!.querySelector('sso-session-banner')!;
    await banner.updateComplete;
    const dismiss = buttonNamed(banner.shadowRoot!, /Dismiss/);
    await tabTo(dismiss);
    expect(deepActiveElement()).to.equal(dismiss);
    await sendKeys({ press: 'Enter' });
    await banner.updateComplete;
    expect(banner.shadowRoot!.querySelector('[role="alert"]')).to.equal(null);
  });

  it('an element moved in the page still warns (its timer starts again)', async () => {
    // Due in a second and a half: after the move, which stops the first timer.
    const expiresAt = endingIn(300_000 + 1500);
    const adapter = new MemoryAdapter({ seed: { ...demoSeed(), session: { expiresAt } } });
    const el = document.createElement('sso-admin-portal');
    el.adapter = adapter;
    document.body.append(el);
    const other = document.createElement('div');
    document.body.append(other);
    try {
      await waitUntil(() => el.shadowRoot?.querySelector('sso-connections-overview'), 'no overview');
      const expiring = nextEvent(el, 'sso-session-expiring');
      other.append(el); // disconnected, then connected again
      expect((await expiring).expiresAt).to.equal(expiresAt);
    } finally {
      other.remove();
    }
  });

  it('a session renewed meanwhile warns nothing: only the timer moves', async () => {
    class Renewing extends MemoryAdapter {
      sessionReads = 0;
      override async getSession(options?: { signal?: AbortSignal }): Promise<PortalSession> {
        const session = await super.getSession(options);
        this.sessionReads++;
        // The first answer (the element's load) ends in a minute: the warning is due at once.
        return { ...session, expiresAt: endingIn(this.sessionReads === 1 ? 60_000 : 3_600_000) };
      }
    }
    const adapter = new Renewing({ seed: demoSeed() });
    const el = document.createElement('sso-admin-portal');
    const warnings: Event[] = [];
    el.addEventListener('sso-session-expiring', (e) => warnings.push(e));
    el.adapter = adapter;
    document.body.append(el);
    try {
      await waitUntil(() => adapter.sessionReads === 2, 'the warning did not ask for the session again');
      await el.updateComplete;
      expect(warnings).to.deep.equal([]);
      expect(el.shadowRoot!.querySelector('sso-session-banner')).to.equal(null);
    } finally {
      el.remove();
    }
  });
});
