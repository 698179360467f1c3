// `npm start` end to end: runs scripts/start.mjs on a free port with a fresh data folder, opens
// the printed portal link in Chromium (Debian's, see scripts/chromium.mjs), then the demo
// dashboard (driven with the keyboard: focus stays at the item acted on, results are said
// there, Copy copies, Revoke asks first; axe-clean in light and dark; its webhooks section with a
// receiver on 127.0.0.1: a failed delivery and its answer, Resend), the settings page (one
// link however many loads), a link that no longer works, and another site's page trying the
// demo routes; then stops the server through its process group (start and stop: ./product.mjs).
// No sleeps: every wait is on output, a page event, an element or the focus.
import AxeBuilder from '@axe-core/playwright';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, get } from 'node:http';
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

/** axe violations of the page, as readable lines (none: []). */
async function axeViolations(page, what) {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations.map((v) => `${what}: ${v.id} (${v.impact}): ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Runs in the page: the focused element, described (its text includes visually hidden parts). */
function focused() {
  const el = document.activeElement;
  return {
    tag: el?.localName ?? null,
    id: el?.id || null,
    text: (el?.textContent ?? '').replace(/\s+/g, ' ').trim(),
    linkId: el?.closest?.('[data-link-id]')?.getAttribute('data-link-id') ?? null,
    organization: el?.closest?.('[data-organization-id]')?.getAttribute('data-name') ?? null,
    inDialog: Boolean(el?.closest?.('dialog')),
    body: !el || el === document.body,
  };
}

/** Presses Tab (or Shift+Tab) until `matches(focused())`; fails listing what it visited. */
async function tabTo(page, what, matches, { key = 'Tab', max = 80 } = {}) {
  const visited = [];
  let now = await page.evaluate(focused);
  for (let i = 0; !matches(now); i++) {
    if (i >= max) throw new Error(`${key} never reached ${what} in ${max} presses; visited:\n  ${visited.join('\n  ')}`);
    await page.keyboard.press(key);
    now = await page.evaluate(focused);
    visited.push(`<${now.tag}> ${now.text.slice(0, 80)}`);
  }
  return now;
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
  async function tab(options = {}) {
    const context = await browser.newContext(options);
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
      // The organization's accent colour reaches the element (set through the CSSOM), with a
      // lighter shade for the dark scheme; the element follows the operating system.
      const accent = await page.locator('sso-admin-portal').evaluate((el) => getComputedStyle(el).getPropertyValue('--sso-color-accent').trim());
      assert.match(accent, /^light-dark\(#0a6b3a, #[0-9a-f]{6}\)$/);
      assert.equal(await page.locator('sso-admin-portal').getAttribute('theme'), 'auto');
      await page.emulateMedia({ colorScheme: 'dark' });
      const dark = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
      assert.equal(dark, 'rgb(17, 19, 24)', 'the page follows the dark setting');
      assert.deepEqual(await axeViolations(page, 'portal, dark'), []);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('the dashboard shows the printed link with its URL and local times', async () => {
    const { context, page, problems } = await tab({ locale: 'de-DE', timezoneId: 'Asia/Tokyo' });
    try {
      await page.goto(server.dashboard);
      const megacorp = page.locator('li.organization[data-name="Megacorp"]');
      await megacorp.waitFor();
      // The link printed at start is listed with its URL (this process made it).
      const printed = megacorp.locator('li.link', { has: page.locator(`a.portal-url[href="${server.portal}"]`) });
      await printed.waitFor();
      // Its expiry in the browser's language and time zone.
      const expiry = printed.locator('time').nth(1);
      const iso = await expiry.getAttribute('datetime');
      const local = new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' }).format(new Date(iso));
      assert.equal(await expiry.innerText(), local);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('the dashboard, keyboard only: create an organization and a link, copy it, revoke it after confirming; focus stays at the item, results are said there', async () => {
    const { context, page, problems, bodies } = await tab();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    const axe = [];
    try {
      const response = await page.goto(server.dashboard);
      assertStrictCsp(response.headers(), 'dashboard');
      await page.locator('li.organization[data-name="Megacorp"]').waitFor();
      axe.push(...(await axeViolations(page, 'dashboard')));

      await tabTo(page, 'the Name field', (f) => f.tag === 'input' && f.organization === null);
      await page.keyboard.type('Initech');
      await page.keyboard.press('Enter');
      const organization = page.locator('li.organization[data-name="Initech"]');
      await organization.waitFor();
      await page.locator('#status', { hasText: 'Organization Initech created' }).waitFor();

      // Every button of the item carries the organization's name.
      const names = await organization.getByRole('button').evaluateAll((buttons) => buttons.map((b) => b.textContent.replace(/\s+/g, ' ').trim()));
      assert.ok(names.length >= 2 && names.every((name) => name.includes('Initech')), names.join(' | '));

      // Create a link: the focus stays on the button; the result is said right below it.
      await tabTo(page, 'Create portal link for Initech', (f) => f.tag === 'button' && f.text === 'Create portal link for Initech (7 days)');
      await page.keyboard.press('Enter');
      const linksStatus = organization.locator('[role="status"]').first();
      await linksStatus.filter({ hasText: 'New portal link for Initech' }).waitFor();
      assert.equal((await page.evaluate(focused)).text, 'Create portal link for Initech (7 days)', 'the focus stays on Create portal link');
      const entry = organization.locator('li.link[data-state="active"]').first();
      const url = await entry.locator('a.portal-url').getAttribute('href');
      assert.match(url, new RegExp(`^${server.origin}/portal/[A-Za-z0-9_-]{20,}$`));
      const expires = Date.parse(await entry.getAttribute('data-expires-at'));
      assert.ok(Math.abs(expires - Date.now() - 7 * 24 * 3_600_000) < 600_000, `the link lasts 7 days (expires ${new Date(expires).toISOString()})`);
      const linkId = await entry.getAttribute('data-link-id');
      // The status sits next to the button, on screen with it.
      const [buttonBox, statusBox] = [await organization.getByRole('button', { name: /^Create portal link/ }).boundingBox(), await linksStatus.boundingBox()];
      assert.ok(statusBox.y - (buttonBox.y + buttonBox.height) < 80, 'the result is said next to the button');

      // Copy: the clipboard has the URL; the focus stays on Copy.
      await tabTo(page, 'Copy link', (f) => f.tag === 'button' && f.text === `Copy link ${linkId} of Initech`);
      await page.keyboard.press('Enter');
      await linksStatus.filter({ hasText: `Copied the link ${linkId} of Initech` }).waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), url);
      assert.equal((await page.evaluate(focused)).text, `Copy link ${linkId} of Initech`);

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

      // Revoke asks first: Escape keeps the link, and the focus returns to Revoke.
      const revokeName = `Revoke link ${linkId} of Initech`;
      await tabTo(page, revokeName, (f) => f.tag === 'button' && f.text === revokeName);
      await page.keyboard.press('Enter');
      const dialog = page.locator('dialog#revoke-dialog[open]');
      await dialog.waitFor();
      assert.match(await dialog.innerText(), new RegExp(`${linkId} of Initech stops working at once`));
      assert.deepEqual(await page.evaluate(focused).then((f) => [f.inDialog, f.text]), [true, 'Keep the link'], 'the safe choice has the focus');
      axe.push(...(await axeViolations(page, 'dashboard, revoke dialog')));
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      assert.equal((await page.evaluate(focused)).text, revokeName, 'the focus is back on Revoke');
      assert.equal(await entry.getAttribute('data-state'), 'active');
      assert.equal((await context.request.get(url)).status(), 200, 'cancelled: the link still works');

      // Confirmed: revoked; the focus stays on the link's entry, the result is said by the list.
      await page.keyboard.press('Enter');
      await dialog.waitFor();
      await tabTo(page, 'the dialog\'s Revoke link', (f) => f.inDialog && f.text === 'Revoke link');
      await page.keyboard.press('Enter');
      await linksStatus.filter({ hasText: `Link ${linkId} of Initech revoked` }).waitFor();
      await organization.locator(`li.link[data-link-id="${linkId}"][data-state="revoked"]`).waitFor();
      await page.waitForFunction((id) => document.activeElement?.getAttribute('data-link-id') === id, linkId);
      const revoked = await context.request.get(url);
      assert.equal(revoked.status(), 404);

      // Mark verified: the focus stays in the form; the result is said under it.
      await tabTo(page, 'the domain field of Initech', (f) => f.tag === 'input' && f.organization === 'Initech');
      await page.keyboard.type('initech.example');
      await page.keyboard.press('Enter');
      await organization.locator('[role="status"]', { hasText: 'initech.example is verified for Initech' }).waitFor();
      assert.deepEqual(await page.evaluate(focused).then((f) => [f.tag, f.organization]), ['input', 'Initech']);
      await organization.locator('.domain-names', { hasText: 'initech.example (verified, manual)' }).waitFor();

      axe.push(...(await axeViolations(page, 'dashboard after the actions')));
      await page.emulateMedia({ colorScheme: 'dark' });
      axe.push(...(await axeViolations(page, 'dashboard, dark')));
      assert.deepEqual(axe, []);
      assert.deepEqual(problems, []);

      // The page of the revoked link: the organization's branding and whom to ask.
      const ended = await context.newPage();
      assert.equal((await ended.goto(url)).status(), 404);
      assert.equal(await ended.locator('h1').innerText(), 'This setup link was revoked');
      assert.match(await ended.locator('main').innerText(), /Ask the person at Acme who sent it to you, or the support of Acme, for a new link/);
      assert.equal(await ended.locator('.app-subtitle').innerText(), 'Single sign-on setup for Initech');
      assert.deepEqual(await axeViolations(ended, 'revoked link page'), []);
      await ended.emulateMedia({ colorScheme: 'dark' });
      assert.deepEqual(await axeViolations(ended, 'revoked link page, dark'), []);
    } finally {
      await context.close();
    }
  });

  it('the dashboard, keyboard only: add a webhook endpoint (a receiver on 127.0.0.1), its secret shown once, a failed delivery with its answer, Resend; axe-clean', async () => {
    // The receiver answers 503 while `failing`, then 200; each request it gets resolves the next waiter.
    const waiters = [];
    const got = [];
    let failing = true;
    const receiver = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        got.push(request.headers['webhook-id']);
        response.writeHead(failing ? 503 : 200, { 'content-type': 'text/plain' }).end(failing ? '<b>busy</b>' : 'ok');
        waiters.shift()?.();
      });
    });
    await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const received = () => new Promise((resolve) => waiters.push(resolve));
    const hookUrl = `http://127.0.0.1:${receiver.address().port}/hooks`;
    const { page, problems } = await tab();
    const axe = [];
    try {
      await page.goto(server.dashboard);
      await page.locator('#webhooks-section:not([hidden])').waitFor();
      await tabTo(page, 'the endpoint URL field', (f) => f.id === 'webhook-url');
      await page.keyboard.type(hookUrl);
      await tabTo(page, 'the event types field', (f) => f.id === 'webhook-event-types');
      await page.keyboard.type('organization.created');
      await page.keyboard.press('Enter');
      await page.locator('#webhooks-status', { hasText: `Endpoint ${hookUrl} added` }).waitFor();
      assert.match(await page.locator('#webhook-secret-value').innerText(), /^whsec_[A-Za-z0-9+/]{43}=$/);
      assert.equal((await page.evaluate(focused)).id, 'webhook-event-types', 'the focus stays in the form');

      // An event: the receiver answers 503; Refresh shows the delivery pending with that answer.
      const first = received();
      const created = await page.request.post(`${server.origin}/api/admin/organizations`, { headers: { authorization: `Bearer ${server.adminKey}` }, data: { name: 'Hooli' } });
      assert.equal(created.status(), 201);
      await first;
      const row = page.locator('.delivery-table tbody tr').first();
      /** The deliveries as shown now (no waiting for an element). */
      const shown = () => page.locator('#webhooks').evaluate((list) => list.textContent ?? '');
      await tabTo(page, 'Refresh deliveries', (f) => f.id === 'refresh-webhooks');
      for (let i = 0; !(await shown()).includes('HTTP 503'); i++) {
        assert.ok(i < 50, `the failed delivery shows up: ${await shown()}`);
        await page.keyboard.press('Enter');
        await page.locator('#webhooks-status', { hasText: 'Deliveries as of' }).waitFor();
      }
      assert.match(await row.innerText(), /organization\.created[\s\S]*pending[\s\S]*HTTP 503/);
      assert.equal(await row.locator('.excerpt').innerText(), '<b>busy</b>', 'the answer is shown as text');
      axe.push(...(await axeViolations(page, 'dashboard, webhooks')));

      // Resend: sent again at once; the focus stays on a Resend button; the result is said.
      failing = false;
      const second = received();
      await tabTo(page, 'Resend', (f) => f.tag === 'button' && f.text.startsWith('Resend organization.created'));
      await page.keyboard.press('Enter');
      await page.locator('#webhooks-status', { hasText: 'is sent again now' }).waitFor();
      await second;
      assert.equal(got.at(-1), got[0], 'the same webhook-id');
      await tabTo(page, 'Refresh deliveries', (f) => f.id === 'refresh-webhooks', { key: 'Shift+Tab' });
      for (let i = 0; !(await shown()).includes('delivered'); i++) {
        assert.ok(i < 50, 'the delivery shows as delivered');
        await page.keyboard.press('Enter');
        await page.locator('#webhooks-status', { hasText: 'Deliveries as of' }).waitFor();
      }
      axe.push(...(await axeViolations(page, 'dashboard, webhooks delivered')));
      await page.emulateMedia({ colorScheme: 'dark' });
      axe.push(...(await axeViolations(page, 'dashboard, webhooks, dark')));
      assert.deepEqual(axe, []);
      assert.deepEqual(problems, []);
    } finally {
      await page.context().close();
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('the settings page embeds the element with a token minted server-side, the same one on every load', async () => {
    const { context, page, problems } = await tab();
    try {
      const response = await page.goto(server.settings);
      assert.equal(response.status(), 200);
      assertStrictCsp(response.headers(), 'settings page');
      await page.locator('sso-connections-overview h2').waitFor();
      assert.match(await page.locator('sso-connections-overview h2').innerText(), /Megacorp/);
      const token = await page.locator('sso-admin-portal').getAttribute('token');
      await page.reload();
      await page.locator('sso-connections-overview h2').waitFor();
      assert.equal(await page.locator('sso-admin-portal').getAttribute('token'), token, 'a reload reuses the link');
      // The dashboard lists it once, as the settings page's.
      await page.goto(server.dashboard);
      const megacorp = page.locator('li.organization[data-name="Megacorp"]');
      await megacorp.waitFor();
      assert.equal(await megacorp.locator('li.link[data-purpose="settings"]').count(), 1);
      assert.match(await megacorp.locator('li.link[data-purpose="settings"]').innerText(), /Settings page link/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('the settings page in an iframe: the portal framed from a single-use embed link, sized to its content, its messages logged', async () => {
    const { context, page, problems } = await tab();
    try {
      const response = await page.goto(`${server.settings}/embedded`);
      assert.equal(response.status(), 200);
      assertStrictCsp(response.headers(), 'settings page (iframe)');
      const frame = page.frameLocator('#sso-frame iframe');
      await frame.locator('sso-connections-overview h2').waitFor();
      assert.match(await frame.locator('sso-connections-overview h2').innerText(), /Megacorp/);
      await page.locator('#event-log li', { hasText: 'portal.loaded' }).waitFor();
      // The frame takes the height of the portal's content (mountPortalFrame, portal.resized).
      await page.waitForFunction(() => {
        const iframe = document.querySelector('#sso-frame iframe');
        const body = iframe?.contentDocument?.body;
        return body && iframe.style.height === `${Math.ceil(body.getBoundingClientRect().height)}px`;
      });
      assert.deepEqual(await axeViolations(page, 'settings page (iframe)'), []);
      // The embed link was used by the frame: opened again, a clear page, not the portal.
      const url = await page.locator('#sso-frame').getAttribute('data-url');
      const again = await fetch(url, { headers: { 'sec-fetch-dest': 'iframe', referer: `${server.origin}/` } });
      assert.equal(again.status, 410);
      assert.match(await again.text(), /embed_link_used/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('another site\'s page cannot read the demo API or make settings-page links (<img>s)', async () => {
    const megacorpId = new URL(server.settings).pathname.split('/').pop();
    const count = async () => {
      const answer = await fetch(`${server.origin}/api/admin/organizations/${megacorpId}/links`, { headers: { authorization: `Bearer ${server.adminKey}` } });
      assert.equal(answer.status, 200);
      return (await answer.json()).length;
    };
    const before = await count();
    // Another origin on 127.0.0.1 (nothing leaves the machine).
    const evil = createServer((request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(`<!doctype html><title>other site</title>
        <img src="${server.origin}/demo/api/organizations" alt="">
        ${Array.from({ length: 5 }, (_, i) => `<img src="${server.settings}?${i}" alt="">`).join('')}`);
    });
    await new Promise((resolve) => evil.listen(0, '127.0.0.1', resolve));
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      // Chromium's opaque-response blocking hides the answers from the page (and from the
      // 'response' event): what counts is that the requests were made and changed nothing.
      const asked = [];
      page.on('request', (request) => request.url().startsWith(server.origin) && asked.push(request.headers()));
      await page.goto(`http://127.0.0.1:${evil.address().port}/`, { waitUntil: 'load' });
      assert.equal(asked.length, 6, 'the browser asked for the six images');
      assert.equal(await count(), before, 'no link made for another site');
      // The admin API still answers (demo reads spend nothing of its budget).
      const admin = await fetch(`${server.origin}/api/admin/organizations`, { headers: { authorization: `Bearer ${server.adminKey}` } });
      assert.equal(admin.status, 200);
    } finally {
      await context.close();
      await new Promise((resolve) => evil.close(resolve));
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
