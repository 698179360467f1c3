// <sso-admin-portal> server-rendered with @lit-labs/ssr (its shell, loading state, as declarative
// shadow DOM) hydrates in Chromium with @lit-labs/ssr-client's support: no mismatch, the loading
// state stays, then the portal renders normally on a MemoryAdapter. Runs against the npm build
// (npm run build); hydration support is the host's to load, never part of the CDN entry.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { render } from '@lit-labs/ssr';
import { collectResult } from '@lit-labs/ssr/lib/render-result.js';
import { html } from 'lit';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import { startStaticServer } from './static-server.mjs';
import 'sso-admin-portal';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const nm = (path) => `/node_modules/${path}`;
const IMPORTS = {
  lit: nm('lit/index.js'),
  'lit/': nm('lit/'),
  'lit-html': nm('lit-html/lit-html.js'),
  'lit-html/': nm('lit-html/'),
  'lit-element/': nm('lit-element/'),
  '@lit/reactive-element': nm('@lit/reactive-element/reactive-element.js'),
  '@lit/reactive-element/': nm('@lit/reactive-element/'),
  '@lit-labs/ssr-client/': nm('@lit-labs/ssr-client/'),
  '@lit/localize/': nm('@lit/localize/'),
  valibot: nm('valibot/dist/index.mjs'),
};

describe('<sso-admin-portal> rendered by @lit-labs/ssr', () => {
  let browser;
  let server;
  let origin;
  let dir;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ssr-'));
    const shell = await collectResult(render(html`<sso-admin-portal></sso-admin-portal>`));
    writeFileSync(
      join(dir, 'index.html'),
      `<!doctype html><html lang="en"><head><title>SSR</title><link rel="icon" href="data:,"><script type="importmap">${JSON.stringify({ imports: IMPORTS })}</script>
<script type="module" src="/page/hydrate.js"></script></head><body>${shell}</body></html>`,
    );
    // The hydrate support first, then the element, as a host's page would load them.
    writeFileSync(
      join(dir, 'hydrate.js'),
      `import '@lit-labs/ssr-client/lit-element-hydrate-support.js';
const served = document.querySelector('sso-admin-portal').shadowRoot?.querySelector('[part="loading"]');
window.ssrBefore = served?.textContent.trim();
const { MemoryAdapter, demoSeed } = await import('/dist/lib/index.js');
const portal = document.querySelector('sso-admin-portal');
await portal.updateComplete;
// Hydrated, not rendered again: the server's nodes are the ones Lit now updates.
window.hydratedLoading = portal.shadowRoot.querySelector('[part="loading"]') === served;
portal.adapter = new MemoryAdapter({ seed: demoSeed() });
`,
    );
    ({ server, origin } = await startStaticServer({ '/page': dir, '/dist': join(ROOT, 'dist'), '/node_modules': join(ROOT, 'node_modules') }, { csp: false }));
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  });
  after(async () => {
    await browser?.close();
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders the loading state as declarative shadow DOM', async () => {
    const shell = await collectResult(render(html`<sso-admin-portal></sso-admin-portal>`));
    assert.match(shell, /<sso-admin-portal[^>]*><template shadowroot="open" shadowrootmode="open"><style>/);
    assert.match(shell, /part="loading" aria-busy="true"/);
  });

  it('hydrates without a mismatch, keeps the loading state, then shows the overview', async () => {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    page.on('response', (response) => response.status() >= 400 && errors.push(`${response.status()} ${response.url()}`));
    await page.goto(`${origin}/page/index.html`);
    await page.waitForFunction(() => window.hydratedLoading !== undefined, null, { timeout: 10_000 }).catch((error) => assert.fail(`${error.message}: ${errors.join('; ')}`));
    assert.equal(await page.evaluate(() => window.ssrBefore), 'Loading your SSO settings…', 'the server-rendered shadow root was there before any script');
    assert.equal(await page.evaluate(() => window.hydratedLoading), true, 'the server-rendered loading state, hydrated in place');
    await page.locator('sso-admin-portal sso-connections-overview [part="connection"]').first().waitFor();
    assert.equal(await page.locator('sso-admin-portal sso-connections-overview [part="connection"]').count(), 2);
    assert.deepEqual(errors, []);
  });
});
