/// <reference types="node" />
/**
 * The hosted portal page's server-rendered overview (src/server/portal-ssr.ts, issue 12): the
 * page's HTML carries `<sso-admin-portal>`'s shadow root as declarative shadow DOM, its names
 * escaped; the browser (Chromium, the CDN build of `npm run build:cdn`) shows the overview
 * before the element's script has run, then the element renders the same overview in its place
 * (same text, same boxes, never a loading frame) and works by keyboard, axe-clean, with no
 * console error or CSP violation. When rendering fails the page is served without it, one line
 * is logged, and the portal still shows the overview.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page, type Route } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import { createPortalApp } from '../../src/server/app.js';
import type { Database } from '../../src/server/db/database.js';
import { listen, type Listening } from '../../src/server/listen.js';
import { createLogger } from '../../src/server/log.js';
import { registerPages, type PagesOptions } from '../../src/server/pages.js';
import { openTestDatabase } from '../support/test-database.js';
import { ADMIN_KEY, testSecretBox } from './helpers.js';

const CDN_ENTRY = fileURLToPath(new URL('../../dist/cdn/sso-admin-portal.js', import.meta.url));
const WAIT_MS = 20_000;
/** Names that would run script or break out of an attribute if they were not escaped (`$'` too: a replacement pattern). */
const HOSTILE_ORG = `Megacorp <script>alert(1)</script>"><img src=x onerror=alert(2)> $' $&`;
const HOSTILE_CONNECTION = `Okta "><img src=x onerror=alert(3)><script>alert(4)</script>`;

interface Served {
  origin: string;
  token: string;
  logLines: string[];
  close(): Promise<void>;
}

/** The app and its pages on 127.0.0.1, an organization with a hostile name, its link, and a connection with a hostile name. */
async function serve(database: Database, firstAnswersOf = (answers: PagesOptions['firstAnswers']) => answers): Promise<Served> {
  const logLines: string[] = [];
  const ready: { fetch?: (request: Request, env: unknown) => Response | Promise<Response> } = {};
  const listening: Listening = await listen((request: Request, env: unknown) => ready.fetch!(request, env));
  const { app, allowedOrigins, store, firstAnswers } = createPortalApp({
    database,
    secrets: testSecretBox(),
    adminKey: ADMIN_KEY,
    publicBaseUrl: listening.origin,
    rateLimits: false,
  });
  const logger = createLogger({ level: 'error', format: 'text', write: (line) => void logLines.push(line) });
  registerPages(app, { store, adminKey: ADMIN_KEY, publicBaseUrl: listening.origin, firstAnswers: firstAnswersOf(firstAnswers), frameAncestors: allowedOrigins, logger });
  ready.fetch = (request, env) => app.fetch(request, env);
  const id = `org_${Math.random().toString(36).slice(2)}`;
  await store.putOrganization({ id, name: HOSTILE_ORG, branding: { name: 'Acme' }, createdAt: new Date().toISOString() });
  const link = await fetch(`${listening.origin}/api/admin/organizations/${id}/links`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: '{}',
  });
  assert.equal(link.status, 201);
  const { token } = (await link.json()) as { token: string };
  const created = await fetch(`${listening.origin}/api/portal/connections`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ protocol: 'saml', providerId: 'okta', name: HOSTILE_CONNECTION }),
  });
  assert.equal(created.status, 201, await created.text());
  return { origin: listening.origin, token, logLines, close: () => listening.close() };
}

/** The shadow root the page's HTML gives the element, or undefined. */
const declarativeShadow = (page: string) => /<sso-admin-portal [^>]*><template [^>]*shadowrootmode="open"[^>]*>([\s\S]*)<\/template><\/sso-admin-portal>/.exec(page)?.[1];

describe('the hosted page server-renders the overview', () => {
  let database: Database;
  let served: Served;
  before(async () => {
    database = await openTestDatabase();
    served = await serve(database);
  });
  after(async () => {
    await served?.close();
    await database?.close();
  });

  test('in the browser’s language: the server renders the overview in German for Accept-Language: de', async () => {
    const page = await (await fetch(`${served.origin}/portal/${served.token}`, { headers: { 'accept-language': 'de-DE,de;q=0.9' } })).text();
    const shadow = declarativeShadow(page);
    assert.ok(shadow, 'a declarative shadow root');
    assert.match(shadow, /<h2 part="heading" tabindex="-1">Single Sign-on für <bdi>Megacorp/);
    assert.match(page, /<sso-admin-portal [^>]*locale="de-DE"/);
  });

  test('its HTML carries the overview as declarative shadow DOM, the names escaped', async () => {
    const answer = await fetch(`${served.origin}/portal/${served.token}`);
    assert.equal(answer.status, 200);
    const page = await answer.text();
    const shadow = declarativeShadow(page);
    assert.ok(shadow, 'a declarative shadow root inside <sso-admin-portal>');
    // The connection's name in its heading and the organization's in the overview's, as text.
    const escapedConnection = 'Okta &quot;&gt;&lt;img src=x onerror=alert(3)&gt;&lt;script&gt;alert(4)&lt;/script&gt;';
    assert.match(shadow, new RegExp(`<h3 id="connection-[^"]+"><bdi>${escapedConnection.replace(/[$()]/g, '\\$&')}</bdi></h3>`));
    assert.match(shadow, /<h2 part="heading" tabindex="-1">Single sign-on for <bdi>Megacorp &lt;script&gt;alert\(1\)&lt;\/script&gt;&quot;&gt;&lt;img src=x onerror=alert\(2\)&gt; \$&#39; \$&amp;<\/bdi><\/h2>/);
    assert.match(shadow, /<sso-connections-overview [^>]*exportparts="heading:overview-heading,[^"]*"[^>]*><template [^>]*shadowrootmode="open"/);
    // Nothing hostile comes through as markup, anywhere in the page; no script inline; no hydration markers.
    assert.doesNotMatch(page, /<script>alert|<img src=x/);
    assert.equal(page.match(/<script(?![^>]*(?:type="module" src="|type="application\/json"))/g), null, 'only module scripts by URL and the JSON data block');
    assert.doesNotMatch(shadow, /<!--\/?lit-/);
    assert.match(shadow, /^<style>[\s\S]*?<\/style><div class="portal" part="base" inert/, 'inert until the element takes over');
    // The page's data block and the rest of the page are whole (a `$'` in a name is no replacement pattern).
    assert.equal(page.match(/<\/html>/g)?.length, 1);
    const csp = answer.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'(;|$)/, 'no inline script allowed');
    assert.deepEqual(served.logLines, []);
  });

  describe('in Chromium', { skip: !existsSync(CDN_ENTRY) || !existsSync(chromiumPath) ? 'needs `npm run build:cdn` and Chromium' : false }, () => {
    let browser: Browser;
    before(async () => {
      browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
    });
    after(() => browser?.close());

    /**
     * Runs in the page before anything else: on every animation frame, what the overview shows
     * (how many overviews, and the first one's text through nested shadow roots, but the sections
     * it loads later; `loading` when the shell shows its loading state),
     * and every CSP violation. A string: tsx would name the functions with a helper the page lacks.
     */
    const RECORD_FRAMES = `
      // The sections the overview loads after its first frame, with or without the server's render.
      const LATER = new Set(['style', 'sso-domains-panel', 'sso-directory-section', 'sso-confirm-dialog']);
      const deepText = (node) => {
        let text = '';
        for (const child of (node instanceof Element && node.shadowRoot ? node.shadowRoot : node).childNodes) {
          if (child.nodeType === Node.TEXT_NODE) text += child.textContent;
          else if (child instanceof Element && !LATER.has(child.localName)) text += deepText(child);
        }
        return text.replace(/\\s+/g, ' ').trim();
      };
      window.frames_ = [];
      window.violations = [];
      addEventListener('securitypolicyviolation', (e) => window.violations.push(e.violatedDirective + ' ' + e.blockedURI));
      const tick = () => {
        const shell = document.querySelector('sso-admin-portal')?.shadowRoot;
        const overviews = shell ? shell.querySelectorAll('sso-connections-overview') : [];
        window.frames_.push(shell?.querySelector('[part="loading"]') ? 'loading' : overviews.length ? overviews.length + ' ' + deepText(overviews[0]) : '');
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);`;

    /** The overview's text and the boxes of its heading and connections, through open (declarative too) shadow roots. */
    const overviewSnapshot = (page: Page) =>
      page.evaluate(() => {
        const overview = document.querySelector('sso-admin-portal')!.shadowRoot!.querySelector('sso-connections-overview')!;
        const root = overview.shadowRoot!;
        return {
          heading: root.querySelector('h2')!.textContent,
          connections: [...root.querySelectorAll('li[part="connection"] h3')].map((h) => h.textContent),
          buttons: [...root.querySelectorAll('button')].map((b) => b.textContent.replace(/\s+/g, ' ').trim()),
          boxes: [root.querySelector('h2')!, ...root.querySelectorAll('li[part="connection"]')].map((el) => {
            const r = el.getBoundingClientRect();
            return [r.x, r.y, r.width, r.height].map(Math.round).join(',');
          }),
        };
      });

    /** Opens the hosted page with the element's script held back until `release()`; collects errors and dialogs. */
    async function openHeld(origin: string, token: string) {
      // A context of its own (axe asks for one): `close()` closes it.
      const context = await browser.newContext();
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
      page.on('dialog', (dialog) => {
        problems.push(`dialog: ${dialog.message()}`);
        void dialog.dismiss();
      });
      await page.addInitScript(RECORD_FRAMES);
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      await page.route('**/cdn/sso-admin-portal.js', async (route: Route) => {
        await released;
        await route.continue();
      });
      await page.goto(`${origin}/portal/${token}`, { waitUntil: 'commit' });
      return { page, problems, release, close: () => context.close() };
    }

    test('shows the overview before the element runs, then the same overview, working by keyboard', async () => {
      const { page, problems, release, close } = await openHeld(served.origin, served.token);
      const heading = page.locator('sso-connections-overview h2[part="heading"]');
      await heading.waitFor({ timeout: WAIT_MS });
      assert.equal(await page.evaluate(() => customElements.get('sso-admin-portal')), undefined, 'the element is not defined yet');
      const before = await overviewSnapshot(page);
      assert.equal(before.heading, `Single sign-on for ${HOSTILE_ORG}`);
      assert.deepEqual(before.connections, [HOSTILE_CONNECTION]);
      await page.evaluate(() => ((window as unknown as { served: Element }).served = document.querySelector('sso-admin-portal')!.shadowRoot!.querySelector('sso-connections-overview')!));
      // Inert until the element takes over: Tab does not go in, so no focus can be lost.
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.localName), 'body');
      const axeBefore = await new AxeBuilder({ page }).analyze();
      assert.deepEqual(axeBefore.violations.map((v) => `${v.id}: ${v.help}`), [], 'axe, server-rendered');

      release();
      // Upgraded, and the overview the element rendered itself (not the server's node) has updated.
      await page.waitForFunction(
        () => {
          const portal = document.querySelector('sso-admin-portal') as (HTMLElement & { hasUpdated?: boolean }) | null;
          const overview = portal?.shadowRoot?.querySelector('sso-connections-overview') as (HTMLElement & { hasUpdated?: boolean }) | null;
          return customElements.get('sso-admin-portal') && portal?.hasUpdated && overview?.hasUpdated && overview.shadowRoot?.querySelector('li[part="connection"]');
        },
        null,
        { timeout: WAIT_MS },
      );
      // Rendered anew, not after the server's nodes: one portal, one overview, not the server's.
      assert.deepEqual(
        await page.evaluate(() => {
          const shell = document.querySelector('sso-admin-portal')!.shadowRoot!;
          const served = (window as unknown as { served: Element }).served;
          return [shell.querySelectorAll('.portal').length, shell.querySelectorAll('sso-connections-overview').length, served.isConnected, shell.querySelectorAll('[inert]').length];
        }),
        [1, 1, false, 0],
      );
      const afterUpgrade = await overviewSnapshot(page);
      assert.deepEqual(afterUpgrade, before, 'the same text, buttons and boxes as the server rendered');
      // Every frame from the first that showed the overview showed it whole, and never the loading state.
      const frames = await page.evaluate(() => (window as unknown as { frames_: string[] }).frames_);
      const first = frames.findIndex((f) => f !== '');
      assert.ok(first >= 0);
      assert.deepEqual([...new Set(frames.slice(first))], [frames[first]], `frames: ${[...new Set(frames)].join(' | ')}`);
      assert.ok(frames[first]!.startsWith('1 ') && frames[first]!.includes(HOSTILE_CONNECTION), frames[first]);

      const axeAfter = await new AxeBuilder({ page }).analyze();
      assert.deepEqual(axeAfter.violations.map((v) => `${v.id}: ${v.help} ${JSON.stringify(v.nodes.map((n) => n.target))}`), [], "axe, upgraded");
      // Keyboard: from the page's start, the first Tab reaches "Add connection", Enter opens the wizard, whose heading gets focus.
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.querySelector('sso-admin-portal')!.shadowRoot!.querySelector('sso-connections-overview')!.shadowRoot!.activeElement?.textContent?.trim()), 'Add connection');
      await page.keyboard.press('Enter');
      await page.locator('sso-step-provider #step-heading').waitFor({ timeout: WAIT_MS });
      await page.waitForFunction(() => {
        let el: Element | null = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        return el?.id === 'step-heading';
      });
      assert.deepEqual(await page.evaluate(() => (window as unknown as { violations: string[] }).violations), [], 'no CSP violation');
      assert.deepEqual(problems, []);
      await close();
    });

    test('when rendering fails: one log line, the page without it, and the portal still shows the overview', async () => {
      // First answers the renderer cannot render (a staged rollout without its lists), which the
      // element refuses as invalid, and asks the API instead.
      const second = await openTestDatabase();
      const failing = await serve(second, (answers) => async (link, organization) => {
        const first = await answers(link, organization);
        return { ...first, connections: first.connections.map((c) => ({ ...c, staged: {} as (typeof c)['staged'] })) };
      });
      try {
        const answer = await fetch(`${failing.origin}/portal/${failing.token}`);
        assert.equal(answer.status, 200);
        const page = await answer.text();
        assert.equal(declarativeShadow(page), undefined);
        assert.match(page, /<sso-admin-portal [^>]*><\/sso-admin-portal>/, 'the element, empty');
        assert.equal(failing.logLines.length, 1, failing.logLines.join('\n'));
        assert.match(failing.logLines[0]!, /ERROR hosted page: server rendering failed, page served without it error="TypeError: /);
        assert.doesNotMatch(failing.logLines[0]!, /\n/);

        const { page: browserPage, problems, release, close } = await openHeld(failing.origin, failing.token);
        release();
        await browserPage.locator('sso-connections-overview li[part="connection"] h3', { hasText: 'Okta' }).waitFor({ timeout: WAIT_MS });
        assert.deepEqual(problems, []);
        await close();
      } finally {
        await failing.close();
        await second.close();
      }
    });
  });
});
