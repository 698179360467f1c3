// The example hosts (examples/), each built and served on 127.0.0.1 with a strict CSP, driven in
// Chromium as an IT admin would: the portal renders on the app's MemoryAdapter, the admin creates
// a connection in the wizard, the app shows the `sso-connection-saved` event it received its own
// way, and the app's language select sets the element's `locale`. Run after `npm run build` and
// the examples' build (scripts/examples.mjs does both). No sleeps: every wait is on an element or
// a condition in the page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import { hosts } from '../../examples/hosts.mjs';
import { startStaticServer } from '../node/static-server.mjs';

/**
 * Runs in the page: whether every custom element (a dash in the name) in the portal's shadow
 * trees is defined, or with `list`, the names of those that are not.
 */
function innerElementsDefined(list) {
  const missing = new Set();
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.localName.includes('-') && !customElements.get(el.localName)) missing.add(el.localName);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document.querySelector('sso-admin-portal').shadowRoot);
  return list ? [...missing] : missing.size === 0;
}

/** The React examples name the React that runs them in their heading: React 18's is the React 19 app built with React 18. */
const reactMajor = { 'react-19': 19, 'react-18': 18 };

describe('example hosts', () => {
  let browser;
  before(async () => {
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  });
  after(() => browser?.close());

  for (const [name, host] of Object.entries(hosts)) {
    it(`${name}: renders the portal, creates a connection, receives sso-connection-saved, switches locale`, async (t) => {
      const { server, origin } = await startStaticServer(host.mounts);
      t.after(() => server.close());
      const page = await browser.newPage();
      t.after(() => page.close());
      page.setDefaultTimeout(10_000);
      // Errors in the page (a CSP violation, an exception in the app or the element) fail the test.
      const errors = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => message.type() === 'error' && !message.location().url.endsWith('/favicon.ico') && errors.push(message.text()));

      await page.goto(`${origin}/index.html`);
      if (reactMajor[name]) {
        const heading = await page.locator('h1').textContent();
        assert.ok(heading.includes(`(React ${reactMajor[name]}.`), `another React runs: ${heading}`);
      }
      // The admin starts the wizard, chooses the IdP Simulator and continues: that creates the connection.
      await page.getByRole('button', { name: 'Set up SSO' }).click();
      await page.getByRole('radio', { name: /IdP Simulator/ }).check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.locator('sso-step-guide').waitFor();
      await page.waitForFunction(() => document.getElementById('saved')?.textContent?.trim() === 'Saved: simulator', undefined, { timeout: 5000 }).catch(async () => {
        assert.fail(`the app did not show the saved connection: ${JSON.stringify(await page.locator('#saved').textContent())}`);
      });
      // Every inner element the wizard rendered gets defined (some load on demand); a bundler that
      // dropped a module registering one (the package's `sideEffects`) leaves it blank for good.
      await page.waitForFunction(innerElementsDefined, false, { timeout: 5000 }).catch(async () => {
        assert.fail(`never defined: ${(await page.evaluate(innerElementsDefined, true)).join(', ')}`);
      });

      // The app's select drives the element's `locale` property on the same element (no remount: the wizard stays where it was).
      const portal = await page.evaluateHandle(() => document.querySelector('sso-admin-portal'));
      assert.equal(await portal.evaluate((el) => el.locale ?? 'en'), 'en');
      await page.locator('main > label select').selectOption('de');
      await page.waitForFunction((el) => el.locale === 'de', portal, { timeout: 5000 });
      assert.equal(await portal.evaluate((el) => el.isConnected && el.shadowRoot.querySelector('sso-wizard') !== null), true);
      await page.locator('main > label select').selectOption('ar');
      await page.waitForFunction((el) => el.locale === 'ar', portal, { timeout: 5000 });

      assert.deepEqual(errors, []);
    });
  }
});
