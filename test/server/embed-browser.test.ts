/// <reference types="node" />
// Database: any. It opens one, but what it tests is the browser’s framing and CORS rules, the same on either: the PostgreSQL pass of the server suite leaves it out (scripts/server-tests.mjs).
/**
 * Embedding by iframe in real Chromium (playwright-core), against real servers on 127.0.0.1: the
 * portal (the app and its pages, the CDN build of `npm run build:cdn`) on one port, and two host
 * pages on two others, so three origins. The registered host frames an embed link with
 * `mountPortalFrame` (the built `dist/cdn/embed.js`) and receives each event, resizes included;
 * the link cannot be opened twice; an origin that is not registered cannot frame it (by
 * `frame-ancestors`, even when it sends no Referer) and gets no message; a short session warns,
 * then ends. Every wait is on an event (a message, a console line), never a sleep.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import { createPortalApp } from '../../src/server/app.js';
import type { Database } from '../../src/server/db/database.js';
import { listen, type Listening } from '../../src/server/listen.js';
import { registerPages } from '../../src/server/pages.js';
import { openTestDatabase } from '../support/test-database.js';
import { ADMIN_KEY, testSecretBox } from './helpers.js';

const EMBED_JS = fileURLToPath(new URL('../../dist/cdn/embed.js', import.meta.url));
const WAIT_MS = 20_000;

/**
 * A host page on its own origin: `/` loads `/host.js`, which mounts the URL in the page's hash
 * with `mountPortalFrame` (`#mount=<url>`), or a bare iframe without a Referer (`#bare=<url>`),
 * and records in `window.hostEvents` what `onEvent` got, and in `window.anyMessages` every message
 * the page received from anywhere.
 */
const HOST_PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title><script type="module" src="/host.js"></script></head><body><h1>Host settings</h1><div id="sso"></div></body></html>';
const HOST_JS = `
import { mountPortalFrame } from '/embed.js';
window.hostEvents = [];
window.anyMessages = [];
window.addEventListener('message', (event) => window.anyMessages.push(event.data));
const [, how, url] = /^#([a-z]+)=(.*)$/.exec(location.hash).map(decodeURIComponent);
const el = document.getElementById('sso');
if (how === 'mount') window.mounted = mountPortalFrame(el, { url, onEvent: (event) => window.hostEvents.push(event) });
else {
  const frame = document.createElement('iframe');
  frame.referrerPolicy = 'no-referrer';
  frame.src = url;
  el.append(frame);
}`;

function startHost(): Promise<{ origin: string; server: Server }> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/') response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(HOST_PAGE);
    else if (path === '/host.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(HOST_JS);
    else if (path === '/embed.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(EMBED_JS));
    else response.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}

interface HostEvent {
  type: string;
  payload: Record<string, unknown>;
}

const skip = !existsSync(EMBED_JS) || !existsSync(chromiumPath) ? 'needs `npm run build:cdn` and Chromium' : false;

describe('the portal in an iframe of another origin (Chromium)', { skip }, () => {
  let browser: Browser;
  let portal: Listening;
  let database: Database;
  const hosts: Server[] = [];
  let registered: string;
  let stranger: string;
  let embedLink: (sessionMinutes?: number) => Promise<string>;

  before(async () => {
    const [a, b] = await Promise.all([startHost(), startHost()]);
    hosts.push(a.server, b.server);
    registered = a.origin;
    stranger = b.origin;
    database = await openTestDatabase();
    const ready: { fetch?: (request: Request, env: unknown) => Response | Promise<Response> } = {};
    portal = await listen((request: Request, env: unknown) => ready.fetch!(request, env));
    const { app, allowedOrigins, store, firstAnswers } = createPortalApp({
      database,
      secrets: testSecretBox(),
      adminKey: ADMIN_KEY,
      publicBaseUrl: portal.origin,
      allowedOrigins: [portal.origin, registered],
      rateLimits: false,
    });
    registerPages(app, { store, adminKey: ADMIN_KEY, publicBaseUrl: portal.origin, firstAnswers, frameAncestors: allowedOrigins });
    ready.fetch = (request, env) => app.fetch(request, env);
    await store.putOrganization({ id: 'org_megacorp', name: 'Megacorp', branding: { name: 'Acme' }, createdAt: new Date().toISOString() });
    embedLink = async (sessionMinutes?: number) => {
      const answer = await fetch(`${portal.origin}/api/admin/organizations/org_megacorp/embed-links`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ parentOrigin: registered, ...(sessionMinutes === undefined ? {} : { sessionMinutes }) }),
      });
      assert.equal(answer.status, 201);
      return ((await answer.json()) as { url: string }).url;
    };
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
  });

  after(async () => {
    assert.deepEqual(pageErrors, [], 'no page errors');
    await browser?.close();
    await portal?.close();
    await Promise.all(hosts.map((h) => new Promise((resolve) => h.close(resolve))));
    await database?.close();
  });

  /** Errors thrown in any page (host or portal frame): none expected. */
  const pageErrors: string[] = [];
  const openHost = async (origin: string, how: 'mount' | 'bare', url: string): Promise<Page> => {
    const page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${origin}/#${how}=${encodeURIComponent(url)}`);
    return page;
  };
  const nextEvent = (page: Page, type: string, after = 0) =>
    page
      .waitForFunction(([t, n]) => (window as unknown as { hostEvents: HostEvent[] }).hostEvents.slice(n).find((e) => e.type === t), [type, after] as const, { timeout: WAIT_MS })
      .then((handle) => handle.jsonValue() as Promise<HostEvent>);
  const events = (page: Page) => page.evaluate(() => (window as unknown as { hostEvents: HostEvent[] }).hostEvents);

  test('the registered host receives loaded, resized and each of the element’s events, with their payloads', async () => {
    const page = await openHost(registered, 'mount', await embedLink());
    await nextEvent(page, 'portal.loaded');
    const resized = await nextEvent(page, 'portal.resized');
    assert.ok(typeof resized.payload.height === 'number' && resized.payload.height > 100, JSON.stringify(resized));
    // The frame takes the content's height: the last one reported. The content grows after the
    // first paint (the Directory sync section loads then), so this waits for the two to agree
    // (a frame that never follows its reports fails here) rather than reading them once.
    await page.waitForFunction(
      () => {
        const w = window as unknown as { hostEvents: HostEvent[]; mounted: { frame: HTMLIFrameElement } };
        const last = w.hostEvents.filter((e) => e.type === 'portal.resized').at(-1);
        return last !== undefined && w.mounted.frame.style.height === `${String(last.payload.height)}px`;
      },
      undefined,
      { timeout: WAIT_MS },
    );

    // The element's events, dispatched in the frame the way the element does (bubbling, composed,
    // payload as own properties) from inside its shadow root: each reaches the host as it was.
    const frame = page.frames().find((f) => f.url().startsWith(portal.origin));
    assert.ok(frame, 'the portal frame');
    const connection = { id: 'conn_1', name: 'Okta', status: 'active', protocol: 'saml' };
    const cases: [string, string, Record<string, unknown>][] = [
      ['sso-connection-saved', 'connection.saved', { connection, created: true }],
      ['sso-connection-activated', 'connection.activated', { connection }],
      ['sso-connection-deactivated', 'connection.deactivated', { connection: { ...connection, status: 'inactive' } }],
      ['sso-test-completed', 'test.completed', { result: { testId: 'test_1', status: 'success' } }],
      ['sso-domain-verified', 'domain.verified', { domain: { name: 'megacorp.example', status: 'verified' } }],
    ];
    for (const [name, type, payload] of cases) {
      const seen = (await events(page)).length;
      await frame.evaluate(
        ([n, p]) => {
          const inside = document.querySelector('sso-admin-portal')!.shadowRoot!.firstElementChild!;
          inside.dispatchEvent(Object.assign(new Event(n, { bubbles: true, composed: true }), p));
        },
        [name, payload] as const,
      );
      const got = await nextEvent(page, type, seen);
      assert.deepEqual(got.payload, payload, type);
    }
    assert.ok(!(await events(page)).some((e) => e.type === 'portal.load_failed'));
    await page.close();
  });

  test('the single-use link cannot be opened twice: the second frame is a clear page that says why', async () => {
    const url = await embedLink();
    const first = await openHost(registered, 'mount', url);
    await nextEvent(first, 'portal.loaded');
    const second = await openHost(registered, 'mount', url);
    const failed = await nextEvent(second, 'portal.load_failed');
    assert.deepEqual(failed.payload, { code: 'embed_link_used' });
    const frame = second.frames().find((f) => f.url().startsWith(portal.origin))!;
    assert.match(await frame.locator('main').innerText(), /already used[\s\S]*embed_link_used/);
    assert.equal(await frame.locator('sso-admin-portal').count(), 0);
    assert.ok(!(await events(second)).some((e) => e.type === 'portal.loaded'));
    await Promise.all([first.close(), second.close()]);
  });

  test('a short session: the host hears session.expiring, then session.expired, and the frame shows the expired state', async () => {
    const page = await openHost(registered, 'mount', await embedLink(0.05)); // 3 seconds
    await nextEvent(page, 'portal.loaded');
    const expiring = await nextEvent(page, 'session.expiring');
    assert.ok(Number.isFinite(Date.parse(String(expiring.payload.expiresAt))), JSON.stringify(expiring));
    const frame = page.frames().find((f) => f.url().startsWith(portal.origin))!;
    await frame.locator('sso-session-banner [role="alert"]').waitFor({ timeout: WAIT_MS });
    await nextEvent(page, 'session.expired');
    await frame.locator('sso-admin-portal [part="expired"]').waitFor({ timeout: WAIT_MS });
    const types = (await events(page)).map((e) => e.type);
    assert.ok(types.indexOf('session.expiring') < types.indexOf('session.expired'), types.join(', '));
    await page.close();
  });

  for (const how of ['mount', 'bare'] as const) {
    test(`an origin that is not registered cannot frame it and gets no message (${how === 'mount' ? 'mountPortalFrame' : 'an iframe without Referer'})`, async () => {
      const url = await embedLink();
      const page = await browser.newPage();
      const blocked = page.waitForEvent('console', { predicate: (m) => /frame-ancestors/.test(m.text()), timeout: WAIT_MS });
      await page.goto(`${stranger}/#${how}=${encodeURIComponent(url)}`);
      await blocked;
      // The frame load ends (on Chromium's error page) and the host heard nothing at all.
      await page.waitForFunction(() => document.querySelector('iframe') !== null);
      const frame = page.frames().find((f) => f !== page.mainFrame());
      assert.ok(!frame || !frame.url().startsWith(portal.origin) || (await frame.locator('sso-admin-portal').count()) === 0, 'no portal in the frame');
      assert.deepEqual(await page.evaluate(() => (window as unknown as { anyMessages: unknown[] }).anyMessages), []);
      await page.close();
    });
  }
});
