// The server's pages an IT admin meets, from `npm start` (scripts/start.mjs), checked the way the
// story sweep checks the element (test/stories/stories.test.mjs): each page at 320 CSS px, in forced
// colours, with reduced motion; axe with its default rules and `target-size` (WCAG 2.5.8); no
// sideways scroll (1.4.10); Tab through the page and every stop shows an outline at least 1 px
// wide at 3:1 against the forced Canvas (2.4.7); no transition or animation (2.2.2).
// The pages: the hosted portal (the printed portal link), the IdP Simulator's SAML login page
// (its IdP-initiated form: the same page and outcomes as a test login's), the message page of our
// login routes (the template of the test's result popup, here "This login link does not work any
// more"), the demo login page, before and after an email no organization has, and the Directory
// Simulator. The OIDC simulator's page needs an OIDC login under way: sso-flow.e2e.mjs audits it.
import AxeBuilder from '@axe-core/playwright';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import { findings, motion, tabThrough } from '../stories/wcag-probes.mjs';
import { startProduct, stopProduct } from './product.mjs';

const WIDTH = 320;
const MAX_TABS = 80;

describe('The server\'s pages at 320 px, in forced colours, with reduced motion (WCAG 2.2 beyond axe\'s defaults)', { timeout: 300_000 }, () => {
  let dataDir;
  let server;
  let browser;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sso-portal-pages-'));
    server = await startProduct(dataDir);
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  });

  after(async () => {
    await browser?.close();
    await stopProduct(server);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /**
   * Opens `url` at 320 px in forced colours with reduced motion, runs `ready` (waits, or keys to
   * press), then every check. `controls: false` for a page with nothing to Tab to; `locale`: the
   * browser's language (its Accept-Language), which the server's pages follow.
   */
  async function sweep(url, ready, { controls = true, locale } = {}) {
    const context = await browser.newContext({ viewport: { width: WIDTH, height: 800 }, forcedColors: 'active', reducedMotion: 'reduce', ...(locale ? { locale } : {}) });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    try {
      await page.goto(url);
      await ready(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `the page scrolls ${overflow} px sideways at ${WIDTH} px`);
      const axe = await new AxeBuilder({ page }).options({ rules: { 'target-size': { enabled: true } } }).analyze();
      assert.deepEqual(findings(axe), []);
      assert.deepEqual(await page.evaluate(motion, 'body'), []);
      await page.evaluate(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));
      const { seen, unseen } = await tabThrough(page, MAX_TABS);
      assert.ok(controls ? seen.length > 0 : seen.length === 0, `Tab stops: ${seen.join(', ') || 'none'}`);
      assert.deepEqual(unseen, [], `focus not visible in forced colours (stops: ${seen.join(', ')})`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }

  it('the hosted portal (the printed portal link): the overview', async () => {
    await sweep(server.portal, (page) => page.locator('sso-admin-portal sso-connections-overview h2').first().waitFor());
  });

  it('the IdP Simulator\'s SAML login page (user, outcome, Sign in, Deny access)', async () => {
    await sweep(`${server.origin}/simulator/saml/idp-initiated`, (page) => page.locator('input[name="scenario"]').first().waitFor());
  });

  it('the message page of the login routes (the result popup\'s template): a login link that does not work any more', async () => {
    await sweep(`${server.origin}/sso/start/no-such-login`, (page) => page.getByRole('heading', { level: 1, name: 'This login link does not work any more' }).waitFor(), { controls: false });
  });

  it('the demo login page, and its error for an email no organization has', async () => {
    await sweep(server.login, (page) => page.locator('#email').waitFor());
    await sweep(server.login, async (page) => {
      await page.locator('#email').focus();
      await page.keyboard.type('ada@nobody-has-this.example');
      await page.keyboard.press('Enter');
      await page.locator('#login-error').waitFor();
    });
  });

  it('the Directory Simulator', async () => {
    await sweep(`${server.origin}/simulator/directory`, (page) => page.getByRole('heading', { level: 1 }).waitFor());
  });

  // Right to left: the simulators' pages in Arabic (the browser's language) reflow at 320 px too.
  it('the IdP Simulator\'s SAML login page and the Directory Simulator in Arabic, right to left', async () => {
    const rightToLeft = (page) => page.locator('html[lang="ar"][dir="rtl"] input[name="scenario"]').first().waitFor();
    await sweep(`${server.origin}/simulator/saml/idp-initiated`, rightToLeft, { locale: 'ar' });
    await sweep(`${server.origin}/simulator/directory`, rightToLeft, { locale: 'ar' });
  });
});
