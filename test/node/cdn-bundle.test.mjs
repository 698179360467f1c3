// The CDN files render the portal in a plain HTML page (no bundler, no import map), under a
// strict Content-Security-Policy, in real Chromium. Needs `npm run build` first.
import AxeBuilder from '@axe-core/playwright';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import { startStaticServer } from './static-server.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cdnDir = `${root}dist/cdn`;

describe('CDN bundle in a plain page', () => {
  let browser;
  let server;
  let origin;

  before(async () => {
    assert.ok(existsSync(`${cdnDir}/sso-admin-portal.js`), 'run `npm run build` first');
    ({ server, origin } = await startStaticServer({ '/cdn': cdnDir, '/fixtures': `${root}test/fixtures/cdn` }));
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  });

  after(async () => {
    await browser?.close();
    server?.close();
  });

  async function open(page) {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const problems = [];
    tab.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    tab.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`${msg.type()}: ${msg.text()}`);
    });
    tab.on('request', (request) => {
      if (!request.url().startsWith(origin)) problems.push(`request left the test server: ${request.url()}`);
    });
    await tab.goto(`${origin}/fixtures/${page}`);
    // The overview's heading, inside two shadow roots (Playwright's CSS pierces them).
    await tab.locator('sso-connections-overview h2').waitFor();
    return { tab, context, problems };
  }

  for (const page of ['esm.html', 'iife.html']) {
    it(`${page}: renders the overview on a MemoryAdapter, with no error, no CSP violation and no axe violation`, async () => {
      const { tab, context, problems } = await open(page);
      try {
        assert.match(await tab.locator('sso-connections-overview h2').innerText(), /Single sign-on for Megacorp/);
        assert.equal(await tab.locator('sso-connections-overview [part="connection"]').count(), 2);
        const axe = await new AxeBuilder({ page: tab }).include('sso-admin-portal').analyze();
        assert.deepEqual(axe.violations.map((v) => `${v.id}: ${v.help}`), []);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }

  it('a German page: the first render waits for the catalogue, at most 3 s (no English frame), then English, then German once it comes', async () => {
    const context = await browser.newContext();
    // Fake time, stopped: the 3 s pass when the test says so, without waiting for them.
    const start = Date.now();
    await context.clock.install({ time: start });
    await context.clock.pauseAt(start + 1_000);
    const tab = await context.newPage();
    const base = tab.locator('sso-admin-portal [part="base"]');
    try {
      await tab.route(`${origin}/fixtures/esm.html`, async (route) => {
        const response = await route.fetch();
        await route.fulfill({ response, body: (await response.text()).replace('<html lang="en">', '<html lang="de">') });
      });
      // The German catalogue's chunk is held until the test lets it through.
      let asked;
      const catalogueAsked = new Promise((resolve) => (asked = resolve));
      let release;
      const released = new Promise((resolve) => (release = resolve));
      await tab.route(/\/cdn\/chunks\/de-[\w-]+\.js$/, async (route) => {
        asked();
        await released;
        await route.continue();
      });
      await tab.goto(`${origin}/fixtures/esm.html`);
      await catalogueAsked;
      const rendered = () => tab.locator('sso-admin-portal').evaluate((el) => el.hasUpdated);
      await tab.clock.runFor(2_900);
      assert.equal(await rendered(), false, 'rendered before the 3 s were over');
      await tab.clock.runFor(100);
      await base.waitFor();
      assert.equal(await base.getAttribute('lang'), 'en', 'after 3 s: English');
      release();
      await tab.clock.resume();
      await tab.waitForFunction(() => document.querySelector('sso-admin-portal')?.shadowRoot?.querySelector('[part="base"]')?.getAttribute('lang') === 'de');
      await tab.locator('sso-connections-overview h2').waitFor();
      assert.doesNotMatch(await tab.locator('sso-connections-overview').innerText(), /Single sign-on for/, 'the overview in German');
    } finally {
      await context.close();
    }
  });

  it('a German page whose catalogue cannot load: English at once, a console warning, nothing said to the admin', async () => {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const warnings = [];
    const errors = [];
    tab.on('console', (message) => message.type() === 'warning' && warnings.push(message.text()));
    tab.on('pageerror', (error) => errors.push(error.message));
    try {
      await tab.route(`${origin}/fixtures/esm.html`, async (route) => {
        const response = await route.fetch();
        await route.fulfill({ response, body: (await response.text()).replace('<html lang="en">', '<html lang="de">') });
      });
      await tab.route(/\/cdn\/chunks\/de-[\w-]+\.js$/, (route) => route.abort('failed'));
      await tab.goto(`${origin}/fixtures/esm.html`);
      await tab.locator('sso-connections-overview h2').waitFor();
      assert.match(await tab.locator('sso-connections-overview h2').innerText(), /Single sign-on for Megacorp/);
      assert.equal(await tab.locator('sso-admin-portal [part="base"]').getAttribute('lang'), 'en');
      const ours = warnings.filter((w) => w.startsWith('sso-admin-portal:'));
      assert.equal(ours.length, 1, ours.join('\n'));
      assert.ok(ours[0].startsWith('sso-admin-portal: the "de" catalogue could not load, so the portal stays in "en".'), ours[0]);
      assert.equal(await tab.locator('sso-admin-portal [part="error"]').count(), 0, 'no error shown to the admin');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('is a production build: minified, no Lit dev mode, no eval', () => {
    const code = readFileSync(`${cdnDir}/sso-admin-portal.js`, 'utf8');
    assert.doesNotMatch(code, /Lit is in dev mode/);
    assert.doesNotMatch(code, /\beval\(|new Function\(/);
    assert.doesNotMatch(code, /\/\*\*\s/, 'ES bundle is not minified (doc comments left in)');
    assert.doesNotMatch(code, /^import /m, 'ES bundle must be self-contained (no bare imports)');
  });

  it('has the manifest the hosted page preloads from: the element entry and the http-adapter chunk, each file there', () => {
    // src/server/cdn-preloads.ts finds the HttpAdapter by its chunk's name (CDN_CHUNKS in vite.config.ts).
    const manifest = JSON.parse(readFileSync(`${cdnDir}/manifest.json`, 'utf8'));
    const entry = manifest['src/element.ts'];
    assert.equal(entry?.file, 'sso-admin-portal.js');
    assert.equal(entry.isEntry, true);
    const adapter = Object.values(manifest).find((chunk) => chunk.name === 'http-adapter');
    assert.ok(adapter, 'no chunk named http-adapter');
    for (const key of [...(entry.imports ?? []), ...(adapter.imports ?? [])]) assert.ok(existsSync(`${cdnDir}/${manifest[key].file}`), key);
    assert.ok(existsSync(`${cdnDir}/${adapter.file}`));
    assert.match(readFileSync(`${cdnDir}/${adapter.file}`, 'utf8'), /\/api\/portal/);
  });
});
