// `npm start` end to end: runs scripts/start.mjs on a free port with a fresh data folder, opens
// the printed portal link in Chromium (Debian's, see scripts/chromium.mjs), then the demo
// dashboard, and stops the server through its process group (start and stop: ./product.mjs).
// No sleeps: every wait is on output, a page event or an element.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import { startProduct as start, stopProduct } from './product.mjs';

/** The CSP directives of a header value, by name. */
function directives(csp) {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name.toLowerCase(), values]),
  );
}

function assertStrictCsp(headers, what) {
  const csp = headers['content-security-policy'];
  assert.ok(csp, `${what}: no Content-Security-Policy header`);
  const d = directives(csp);
  assert.deepEqual(d.get('default-src'), ["'self'"], `${what}: default-src`);
  assert.deepEqual(d.get('script-src'), ["'self'"], `${what}: script-src must be 'self' only (no inline, no eval): ${csp}`);
  assert.doesNotMatch(csp, /unsafe-eval|\*/, `${what}: ${csp}`);
  assert.ok(d.has('frame-ancestors'), `${what}: frame-ancestors`);
  for (const value of d.get('img-src') ?? []) assert.ok(["'self'", 'data:'].includes(value), `${what}: img-src ${value}`);
  assert.equal(headers['x-content-type-options'], 'nosniff', `${what}: nosniff`);
  assert.equal(headers['referrer-policy'], 'no-referrer', `${what}: Referrer-Policy`);
}

describe('npm start (scripts/start.mjs) in Chromium', () => {
  let dataDir;
  let server;
  let browser;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sso-portal-e2e-'));
    server = await start(dataDir);
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  });

  after(async () => {
    await browser?.close();
    await stopProduct(server);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** A fresh tab that records console errors, page errors, CSP violations and foreign requests. */
  async function tab() {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = [];
    const bodies = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(`${server.origin}/`) && !url.startsWith('data:')) problems.push(`request left 127.0.0.1: ${url}`);
    });
    page.on('response', (response) => bodies.push(response.text().catch(() => '')));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`));
    });
    return { context, page, problems, bodies };
  }

  it('prints a working portal link: the element renders the overview under a strict CSP', async () => {
    const { context, page, problems } = await tab();
    try {
      const response = await page.goto(server.portal);
      assert.equal(response.status(), 200);
      assertStrictCsp(response.headers(), 'portal page');
      assert.equal(response.headers()['cache-control'], 'no-store');
      const heading = page.locator('sso-connections-overview h2');
      await heading.waitFor();
      assert.match(await heading.innerText(), /Megacorp/);
      assert.match(await page.title(), /Megacorp/);
      // The organization's accent colour reaches the element (set through the CSSOM).
      const accent = await page.locator('sso-admin-portal').evaluate((el) => getComputedStyle(el).getPropertyValue('--sso-color-accent').trim());
      assert.equal(accent, '#0a6b3a');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('the dashboard creates an organization and a 7-day link, which opens the portal; revoking it closes it', async () => {
    const { context, page, problems, bodies } = await tab();
    try {
      const response = await page.goto(server.dashboard);
      assertStrictCsp(response.headers(), 'dashboard');
      await page.locator('li.organization[data-name="Megacorp"]').waitFor();

      await page.getByLabel('Name').fill('Initech');
      await page.getByRole('button', { name: 'Create organization' }).click();
      const organization = page.locator('li.organization[data-name="Initech"]');
      await organization.waitFor();

      await organization.getByRole('button', { name: 'Create portal link (7 days)' }).click();
      const url = await organization.locator('a.portal-url').getAttribute('href');
      assert.match(url, new RegExp(`^${server.origin}/portal/[A-Za-z0-9_-]{20,}$`));
      const row = organization.locator('tr[data-state="active"]');
      await row.waitFor();
      const expires = Date.parse(await row.getAttribute('data-expires-at'));
      assert.ok(Math.abs(expires - Date.now() - 7 * 24 * 3_600_000) < 600_000, `the link lasts 7 days (expires ${new Date(expires).toISOString()})`);

      // The admin key never reaches the browser.
      const texts = await Promise.all(bodies);
      assert.ok(!texts.some((text) => text.includes(server.adminKey)), 'a response to the dashboard contains the admin key');

      // The new link opens Initech's portal.
      const portal = await context.newPage();
      portal.on('console', (message) => message.type() === 'error' && problems.push(`portal console error: ${message.text()}`));
      await portal.goto(url);
      await portal.locator('sso-connections-overview h2').waitFor();
      assert.match(await portal.locator('sso-connections-overview h2').innerText(), /Initech/);
      await portal.close();

      // Revoked: the link stops working at once.
      await organization.getByRole('button', { name: /^Revoke link / }).click();
      await organization.locator('tr[data-state="revoked"]').waitFor();
      const revoked = await context.request.get(url);
      assert.equal(revoked.status(), 404);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('the settings page embeds the element with a token minted server-side', async () => {
    const { context, page, problems } = await tab();
    try {
      const response = await page.goto(server.settings);
      assert.equal(response.status(), 200);
      assertStrictCsp(response.headers(), 'settings page');
      await page.locator('sso-connections-overview h2').waitFor();
      assert.match(await page.locator('sso-connections-overview h2').innerText(), /Megacorp/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('the demo API refuses cross-site writes and foreign Host headers', async () => {
    const crossSite = await fetch(`${server.origin}/demo/api/organizations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
      body: JSON.stringify({ name: 'Evil' }),
    });
    assert.equal(crossSite.status, 403);
    const form = await fetch(`${server.origin}/demo/api/organizations`, { method: 'POST', headers: { origin: server.origin }, body: 'name=Evil' });
    assert.equal(form.status, 403);
    // DNS rebinding: a page on another name that resolves to 127.0.0.1 gets nothing.
    const { port } = new URL(server.origin);
    const status = await new Promise((resolve, reject) => {
      const request = get({ host: '127.0.0.1', port, path: '/demo/api/organizations', headers: { host: `rebind.example:${port}` } }, (answer) => {
        answer.resume();
        resolve(answer.statusCode);
      });
      request.once('error', reject);
    });
    assert.equal(status, 403);
  });
});
