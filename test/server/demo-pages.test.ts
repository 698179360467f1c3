/// <reference types="node" />
/**
 * The demo host pages (`pages.ts`, demo mode) against a real server on 127.0.0.1, with a
 * controllable clock: the dashboard's API (`/demo/api/*`) reads the store without spending the
 * admin API's rate-limit budget and only for same-origin requests; the settings page reuses
 * its link instead of minting one per load; a rate-limited admin API never turns into a 500;
 * the dashboard learns the URLs of the links made in this server process; an ended link's page
 * carries the organization's branding and says whom to ask.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { createPortalApp } from '../../src/server/app.js';
import { listen, type Listening } from '../../src/server/listen.js';
import { registerPages, type DemoPages } from '../../src/server/pages.js';
import { Hono } from 'hono';
import { list, plural } from '../../src/core/text-forms.js';
import { englishAnswer, negotiateLanguage, pageLanguages } from '../../src/server/page-language.js';
import type { RateLimits } from '../../src/server/rate-limit.js';
import type { Database } from '../../src/server/db/database.js';
import type { Store } from '../../src/server/store/store.js';
import { openTestDatabase } from '../support/test-database.js';
import { ADMIN_KEY, testSecretBox } from './helpers.js';

const HOUR = 3_600_000;

interface DemoServer {
  origin: string;
  store: Store;
  clock: { now: number };
  pages: DemoPages;
  /** A request with the given headers (none added but what `fetch` adds). */
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  /** What the dashboard's own script sends: same-origin. */
  dashboard(method: string, path: string, body?: unknown): Promise<Response>;
  admin(method: string, path: string, body?: unknown): Promise<Response>;
  addOrganization(name: string, branding?: { name: string; accentColor?: string }): Promise<string>;
  close(): Promise<void>;
}

const open: Listening[] = [];
const databases: Database[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  await Promise.all(databases.splice(0).map((d) => d.close()));
});

async function startDemo(limits: Partial<RateLimits> = {}, cdnDir?: string, withHost = false): Promise<DemoServer> {
  const database = await openTestDatabase();
  databases.push(database);
  const clock = { now: Date.parse('2026-03-01T10:00:00.000Z') };
  const ready: { fetch?: (request: Request, env: unknown) => Response | Promise<Response> } = {};
  const server = await listen((request: Request, env: unknown) => ready.fetch!(request, env));
  open.push(server);
  const { app, allowedOrigins, store, services, webhookStore, firstAnswers } = createPortalApp({
    database,
    secrets: testSecretBox(),
    adminKey: ADMIN_KEY,
    publicBaseUrl: server.origin,
    now: () => new Date(clock.now),
    rateLimits: { limits, now: () => clock.now },
  });
  const host = withHost ? { host: { services, db: database.db, webhooks: webhookStore } } : {};
  const pages = registerPages(app, { store, adminKey: ADMIN_KEY, publicBaseUrl: server.origin, firstAnswers, demo: true, frameAncestors: allowedOrigins, now: () => clock.now, cdnDir, ...host });
  ready.fetch = (request, env) => app.fetch(request, env);
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.origin}${path}`, { headers });
  const withBody = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
    fetch(`${server.origin}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    origin: server.origin,
    store,
    clock,
    pages,
    get,
    dashboard: (method, path, body) => withBody(method, path, { 'sec-fetch-site': 'same-origin', ...(method === 'GET' ? {} : { origin: server.origin }) }, body),
    admin: (method, path, body) => withBody(method, path, { authorization: `Bearer ${ADMIN_KEY}` }, body),
    async addOrganization(name, branding = { name: 'Acme' }) {
      const id = `org_${name.toLowerCase().replace(/[^a-z0-9]/g, '')}`;
      await store.putOrganization({ id, name, branding, createdAt: new Date(clock.now).toISOString() });
      return id;
    },
    close: () => server.close(),
  };
}

describe('demo API reads (GET /demo/api/organizations)', () => {
  test('do not spend the admin API budget: many reads of many organizations, and the admin API still answers', async () => {
    const s = await startDemo({ admin: { capacity: 30, windowMs: 60_000 } });
    for (let i = 0; i < 20; i++) await s.addOrganization(`Customer ${i}`);
    for (let i = 0; i < 12; i++) {
      const answer = await s.dashboard('GET', '/demo/api/organizations');
      assert.equal(answer.status, 200, `read ${i + 1}: ${await answer.clone().text()}`);
      assert.equal(((await answer.json()) as unknown[]).length, 20);
    }
    assert.equal((await s.admin('GET', '/api/admin/organizations')).status, 200, 'the admin API is not locked out by demo reads');
  });

  test('answer only same-origin requests: cross-site, foreign Origin and unmarked requests get 403 and read nothing', async () => {
    const s = await startDemo();
    await s.addOrganization('Megacorp');
    const refused: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'cross-site', origin: s.origin },
      { origin: 'http://evil.example' },
      { origin: 'null' },
      {},
    ];
    for (const headers of refused) {
      const answer = await s.get('/demo/api/organizations', headers);
      assert.equal(answer.status, 403, JSON.stringify(headers));
      const problem = (await answer.json()) as { code: string; detail: string };
      assert.equal(problem.code, 'forbidden');
      assert.match(problem.detail, /same-origin/i);
    }
    // An <img> or a cross-site fetch: no organization data, whatever it asks.
    for (const headers of [{ 'sec-fetch-site': 'same-origin' }, { origin: s.origin }, { 'sec-fetch-site': 'none' }] as Record<string, string>[]) {
      assert.equal((await s.get('/demo/api/organizations', headers)).status, 200, JSON.stringify(headers));
    }
  });

  test('a rate-limited admin API is a 429 with Retry-After for demo writes, never a 500', async () => {
    const s = await startDemo({ admin: { capacity: 3, windowMs: 60_000 } });
    const orgId = await s.addOrganization('Megacorp');
    for (let i = 0; i < 3; i++) assert.equal((await s.admin('GET', '/api/admin/organizations')).status, 200);
    const write = await s.dashboard('POST', `/demo/api/organizations/${orgId}/links`, {});
    assert.equal(write.status, 429);
    assert.equal(((await write.json()) as { code: string }).code, 'rate_limited');
    assert.ok(Number(write.headers.get('retry-after')) >= 1);
    assert.equal((await s.dashboard('GET', '/demo/api/organizations')).status, 200, 'reads still work');
  });

  test('list the URL of each link made in this server process (dashboard or remembered), never of older ones', async () => {
    const s = await startDemo();
    const orgId = await s.addOrganization('Megacorp');
    // A link made before this process (or by another admin client): its token is stored hashed.
    const older = (await (await s.admin('POST', `/api/admin/organizations/${orgId}/links`, {})).json()) as { id: string; url: string };
    // The seeded link `main.ts` makes at start, remembered.
    const seeded = (await (await s.admin('POST', `/api/admin/organizations/${orgId}/links`, {})).json()) as { id: string; url: string };
    s.pages.rememberLink(seeded);
    const created = (await (await s.dashboard('POST', `/demo/api/organizations/${orgId}/links`, {})).json()) as { id: string; url: string };
    const [organization] = (await (await s.dashboard('GET', '/demo/api/organizations')).json()) as { links: { id: string; url?: string; purpose: string }[] }[];
    const byId = new Map(organization!.links.map((l) => [l.id, l]));
    assert.equal(byId.get(created.id)?.url, created.url);
    assert.equal(byId.get(seeded.id)?.url, seeded.url);
    assert.equal(byId.get(older.id)?.url, undefined);
    assert.ok(organization!.links.every((l) => l.purpose === 'portal'));
    // Revoked: its URL is not offered any more.
    assert.equal((await s.dashboard('DELETE', `/demo/api/links/${created.id}`)).status, 204);
    const after = (await (await s.dashboard('GET', '/demo/api/organizations')).json()) as { links: { id: string; url?: string }[] }[];
    assert.equal(after[0]!.links.find((l) => l.id === created.id)?.url, undefined);
  });
});

describe('the settings page (GET /settings/:orgId)', () => {
  const tokenOf = async (answer: Response) => /token="([^"]+)"/.exec(await answer.text())?.[1];

  test('reuses one link per organization while it has more than an hour left, listed as the settings page’s', async () => {
    const s = await startDemo();
    const orgId = await s.addOrganization('Megacorp');
    const tokens = new Set<string | undefined>();
    for (let i = 0; i < 20; i++) {
      const answer = await s.get(`/settings/${orgId}`, { 'sec-fetch-site': i % 2 ? 'same-origin' : 'none' });
      assert.equal(answer.status, 200);
      tokens.add(await tokenOf(answer));
    }
    assert.equal(tokens.size, 1, 'one token for twenty loads');
    assert.equal((await s.store.listLinks(orgId)).length, 1, 'one link for twenty loads');
    const [listed] = (await (await s.dashboard('GET', '/demo/api/organizations')).json()) as { links: { purpose: string; url?: string }[] }[];
    assert.deepEqual(listed!.links.map((l) => [l.purpose, l.url]), [['settings', undefined]]);

    // Less than an hour left: a new one. Revoked: a new one.
    s.clock.now += 7 * HOUR + 1;
    const later = await tokenOf(await s.get(`/settings/${orgId}`, { 'sec-fetch-site': 'none' }));
    assert.ok(later && !tokens.has(later));
    assert.equal((await s.store.listLinks(orgId)).length, 2);
    const current = (await s.store.listLinks(orgId)).at(-1)!;
    assert.equal((await s.dashboard('DELETE', `/demo/api/links/${current.id}`)).status, 204);
    const third = await tokenOf(await s.get(`/settings/${orgId}`, { 'sec-fetch-site': 'none' }));
    assert.ok(third && third !== later);
  });

  test('cross-site loads mint nothing: the page asks to continue from here', async () => {
    const s = await startDemo();
    const orgId = await s.addOrganization('Megacorp');
    for (let i = 0; i < 20; i++) {
      const answer = await s.get(`/settings/${orgId}`, { 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': i % 2 ? 'image' : 'document' });
      assert.equal(answer.status, 403);
      const text = await answer.text();
      assert.doesNotMatch(text, /token=/);
      assert.match(text, new RegExp(`href="/settings/${orgId}"`));
    }
    assert.equal((await s.store.listLinks(orgId)).length, 0);
  });

  test('a rate-limited admin API answers 429 with Retry-After and a page saying when to retry, not a 500', async () => {
    const s = await startDemo({ admin: { capacity: 2, windowMs: 60_000 } });
    const orgId = await s.addOrganization('Megacorp');
    for (let i = 0; i < 2; i++) assert.equal((await s.admin('GET', '/api/admin/organizations')).status, 200);
    const answer = await s.get(`/settings/${orgId}`, { 'sec-fetch-site': 'none' });
    assert.equal(answer.status, 429);
    assert.ok(Number(answer.headers.get('retry-after')) >= 1);
    assert.match(answer.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await answer.text(), /Try again in \d+ seconds?/);
  });
});

describe('the settings page with the portal in an iframe (GET /settings/:orgId/embedded)', () => {
  const embedUrlOf = (page: string) => /<div id="sso-frame" data-url="([^"]+)"><\/div>/.exec(page)?.[1]?.replace(/&amp;/g, '&');

  test('mints a single-use embed link framed by its own origin for each load, mounted by /cdn/embed.js', async () => {
    const s = await startDemo();
    const orgId = await s.addOrganization('Megacorp');
    const answer = await s.get(`/settings/${orgId}/embedded`, { 'sec-fetch-site': 'none' });
    assert.equal(answer.status, 200);
    const page = await answer.text();
    assert.match(page, /<script type="module" src="\/assets\/settings-embedded\.js"><\/script>/);
    assert.doesNotMatch(page, /<sso-admin-portal/);
    const url = embedUrlOf(page);
    assert.ok(url, 'the page has the embed link');
    assert.ok(url.startsWith(`${s.origin}/portal/`) && url.endsWith('?embed=1'), url);
    // Framed by this page (what mountPortalFrame's iframe sends): the portal, framed by this origin only.
    const framed = await fetch(url, { headers: { 'sec-fetch-dest': 'iframe', 'sec-fetch-site': 'same-origin', referer: `${s.origin}/` } });
    assert.equal(framed.status, 200);
    assert.match(framed.headers.get('content-security-policy') ?? '', new RegExp(`frame-ancestors ${s.origin.replace(/\./g, '\\.')}(;|$)`));
    assert.match(await framed.text(), /<sso-admin-portal /);
    // The dashboard names the session it opened as such, and its event as the embed link's.
    const [listed] = (await (await s.dashboard('GET', '/demo/api/organizations')).json()) as { links: { purpose: string }[] }[];
    assert.deepEqual(listed!.links.map((l) => l.purpose).sort(), ['embed']);
    const events = (await (await s.admin('GET', `/api/admin/events?organizationId=${orgId}&type=portal_link.created`)).json()) as { data: { actor: unknown }[] };
    assert.deepEqual(events.data.map((e) => e.actor), [{ kind: 'system', id: 'embed-link' }]);
    // Another load: another link.
    assert.notEqual(embedUrlOf(await (await s.get(`/settings/${orgId}/embedded`, { 'sec-fetch-site': 'none' })).text()), url);
    const helper = await s.get('/assets/settings-embedded.js');
    assert.equal(helper.status, 200);
    assert.match(await helper.text(), /import \{ mountPortalFrame \} from '\/cdn\/embed\.js'/);
  });

  test('cross-site loads mint nothing', async () => {
    const s = await startDemo();
    const orgId = await s.addOrganization('Megacorp');
    const answer = await s.get(`/settings/${orgId}/embedded`, { 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'document' });
    assert.equal(answer.status, 403);
    const text = await answer.text();
    assert.doesNotMatch(text, /data-url/);
    assert.match(text, new RegExp(`href="/settings/${orgId}/embedded"`));
  });
});

describe('the hosted portal page preloads what its first paint needs', () => {
  test('modulepreload links for the entry and what it and the HttpAdapter import, the HttpAdapter run first, from the CDN manifest; none without a build', async () => {
    const cdnDir = await mkdtemp(join(tmpdir(), 'sso-cdn-'));
    try {
      const manifest = {
        'src/element.ts': { file: 'sso-admin-portal.js', isEntry: true, imports: ['_errors-A.js'], dynamicImports: ['_wizard-W.js', '_http-adapter-H.js'] },
        '_errors-A.js': { file: 'chunks/errors-A.js', name: 'errors' },
        '_http-adapter-H.js': { file: 'chunks/http-adapter-H.js', name: 'http-adapter', imports: ['_runtime-R.js', '_errors-A.js'] },
        '_runtime-R.js': { file: 'chunks/runtime-R.js', name: 'rolldown-runtime' },
        '_wizard-W.js': { file: 'chunks/wizard-W.js', name: 'wizard', imports: ['src/element.ts'] },
      };
      await writeFile(join(cdnDir, 'manifest.json'), JSON.stringify(manifest));
      const s = await startDemo({}, cdnDir);
      const orgId = await s.addOrganization('Megacorp');
      const link = (await (await s.admin('POST', `/api/admin/organizations/${orgId}/links`, {})).json()) as { token: string };
      const page = await (await s.get(`/portal/${link.token}`)).text();
      const preloads = [...page.matchAll(/<link rel="modulepreload" href="([^"]+)" \/>/g)].map((m) => m[1]);
      assert.deepEqual(preloads, ['/cdn/sso-admin-portal.js', '/cdn/chunks/errors-A.js', '/cdn/chunks/runtime-R.js']);
      // The HttpAdapter's chunk runs before the element's entry: the element then builds its adapter at once.
      const scripts = [...page.matchAll(/<script type="module" src="([^"]+)"><\/script>/g)].map((m) => m[1]);
      assert.deepEqual(scripts.slice(0, 2), ['/cdn/chunks/http-adapter-H.js', '/cdn/sso-admin-portal.js']);

      const bare = await startDemo({}, join(cdnDir, 'missing'));
      const bareOrg = await bare.addOrganization('Megacorp');
      const bareLink = (await (await bare.admin('POST', `/api/admin/organizations/${bareOrg}/links`, {})).json()) as { token: string };
      const barePage = await (await bare.get(`/portal/${bareLink.token}`)).text();
      assert.doesNotMatch(barePage, /modulepreload|<!--preloads-->/);
      assert.match(barePage, /<script type="module" src="\/cdn\/sso-admin-portal.js"><\/script>/);
    } finally {
      await rm(cdnDir, { recursive: true, force: true });
    }
  });
});

describe('the hosted portal page carries the portal API’s first answers', () => {
  test('session and connections as the API gives them, in a JSON data block no organization name can break out of', async () => {
    const s = await startDemo();
    const hostile = '</script><script>alert(1)</script><!-- & \u2028';
    const orgId = await s.addOrganization(hostile);
    const link = (await (await s.admin('POST', `/api/admin/organizations/${orgId}/links`, {})).json()) as { token: string };
    const auth = { authorization: `Bearer ${link.token}` };
    // A SAML connection: its answer carries our certificates' URLs, as the API adds them.
    const created = await fetch(`${s.origin}/api/portal/connections`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ protocol: 'saml', providerId: 'okta', name: 'Okta' }) });
    assert.equal(created.status, 201, await created.text());
    const page = await (await s.get(`/portal/${link.token}`)).text();
    const block = /<script type="application\/json" id="sso-portal-initial">([^<]*)<\/script>/.exec(page);
    assert.ok(block, 'no data block');
    assert.doesNotMatch(block[1]!, /[<>&\u2028]/);
    assert.equal(page.match(/<script>alert/g), null);
    assert.match(page, /<sso-admin-portal [^>]*initial-data="sso-portal-initial"/);
    const data = JSON.parse(block[1]!) as { session: { organization: { name: string } }; connections: unknown[] };
    assert.deepEqual(data.session, await (await s.get('/api/portal/session', auth)).json());
    assert.deepEqual(data.connections, await (await s.get('/api/portal/connections', auth)).json());
    assert.equal(data.session.organization.name, hostile);
    assert.equal(data.connections.length, 1);
  });
});

describe('the page of a setup link that no longer works', () => {
  test('an expired or revoked link: the organization’s branding, when it ended, and whom to ask', async () => {
    const s = await startDemo();
    const orgId = await s.addOrganization('Megacorp <Intl>', { name: 'Acme & Co', accentColor: '#0a6b3a' });
    const link = (await (await s.admin('POST', `/api/admin/organizations/${orgId}/links`, { lifetimeHours: 1 })).json()) as { id: string; token: string; expiresAt: string };
    s.clock.now += 2 * HOUR;
    const expired = await s.get(`/portal/${link.token}`);
    assert.equal(expired.status, 404);
    const text = await expired.text();
    assert.match(text, /data-accent="#0a6b3a"/);
    assert.match(text, /Megacorp &lt;Intl&gt;/, 'the organization, escaped');
    assert.doesNotMatch(text, /Megacorp <Intl>/);
    assert.match(text, /Acme &amp; Co/);
    assert.match(text, new RegExp(`<time[^>]*datetime="${link.expiresAt}"`));
    assert.match(text, /This setup link has expired/);
    assert.match(text, /Ask the person at Acme &amp; Co who sent it to you, or the support of Acme &amp; Co, for a new link/);
    assert.match(text, /<script type="module" src="\/assets\/local-time.js">/);

    const second = (await (await s.admin('POST', `/api/admin/organizations/${orgId}/links`, {})).json()) as { id: string; token: string };
    await s.admin('DELETE', `/api/admin/links/${second.id}`);
    const revoked = await (await s.get(`/portal/${second.token}`)).text();
    assert.match(revoked, /This setup link was revoked/);

    const unknown = await s.get(`/portal/${'x'.repeat(43)}`);
    assert.equal(unknown.status, 404);
    assert.match(await unknown.text(), /Ask the person who sent it for a new link/);
  });
});

describe('the pages in the browser’s language', () => {
  test('Accept-Language picks the first language the portal speaks, by quality; anything else is English', () => {
    const pick = (header: string | undefined) => negotiateLanguage(header);
    assert.deepEqual(pick('pt-BR, de-CH;q=0.9, en;q=0.5'), { text: 'de', format: 'de-CH', lang: 'de-CH', dir: 'ltr' });
    assert.equal(pick('en;q=0.4, fr;q=0.8').text, 'fr');
    assert.equal(pick('ar-EG').dir, 'rtl');
    assert.equal(pick('en-GB, de').lang, 'en-GB');
    for (const header of [undefined, '', '*', 'xx-YY', 'de;q=0', ';;,,', 'de;q=abc', 'de_DE']) assert.equal(pick(header).text, 'en', String(header));
  });

  test('core’s plurals and lists follow the request’s language (Arabic has a form for two); the API stays English', async () => {
    const app = new Hono();
    app.use(pageLanguages());
    const forms = { one: () => 'one', two: () => 'two', few: () => 'few', other: () => 'other' };
    app.get('/page', (c) => c.text(`${plural(2, forms)} ${plural(3, forms)} ${list(['a', 'b'])}`));
    app.get('/api', (c) => c.text(englishAnswer(() => plural(2, forms))));
    const get = async (path: string, language: string) => (await app.request(path, { headers: { 'accept-language': language } })).text();
    assert.equal(await get('/page', 'ar'), 'two few a وb');
    assert.equal(await get('/page', 'en'), 'other other a, b');
    assert.equal(await get('/api', 'ar'), 'other');
  });

  test('the hosted portal and an ended link’s page follow it: lang, dir, title, heading and the portal’s locale', async () => {
    const s = await startDemo();
    const orgId = await s.addOrganization('Megacorp', { name: 'Acme' });
    const link = (await (await s.admin('POST', `/api/admin/organizations/${orgId}/links`, { lifetimeHours: 1 })).json()) as { token: string };
    const de = await (await s.get(`/portal/${link.token}`, { 'accept-language': 'pt-BR, de-CH;q=0.9, en;q=0.5' })).text();
    assert.match(de, /<html lang="de-CH" dir="ltr">/);
    assert.match(de, /<title>Single Sign-On für Megacorp · Acme<\/title>/);
    assert.match(de, /<h1 class="app-subtitle">Single-Sign-On-Einrichtung für Megacorp<\/h1>/);
    assert.match(de, /<sso-admin-portal [^>]*locale="de-CH"/);
    const ar = await (await s.get(`/portal/${link.token}`, { 'accept-language': 'ar' })).text();
    assert.match(ar, /<html lang="ar" dir="rtl">/);
    assert.match(ar, /<sso-admin-portal [^>]*locale="ar"/);
    const other = await (await s.get(`/portal/${link.token}`, { 'accept-language': 'xx-YY, *;q=0.1' })).text();
    assert.match(other, /<html lang="en" dir="ltr">/);
    assert.match(other, /Single sign-on setup for Megacorp/);

    s.clock.now += 2 * HOUR;
    const ended = await (await s.get(`/portal/${link.token}`, { 'accept-language': 'fr' })).text();
    assert.match(ended, /<html lang="fr" dir="ltr">/);
    assert.match(ended, /Ce lien de configuration a expiré/);
    assert.match(ended, /Demandez un nouveau lien à la personne de Acme/);
  });
});

describe('the host view on the dashboard (SSO state, events, webhooks)', () => {
  test('each organization carries its SSO state and recent events; webhooks: the secret once, deliveries with their answer, resend; same-origin only', async () => {
    const demo = await startDemo({}, undefined, true);
    const created = await demo.dashboard('POST', '/demo/api/webhooks', { url: 'https://hooks.example/acme', eventTypes: ['organization.created'] });
    assert.equal(created.status, 201);
    const endpoint = (await created.json()) as { id: string; secret: string };
    assert.match(endpoint.secret, /^whsec_/);
    const hostile = '<img src=x onerror=alert(1)>';
    assert.equal((await demo.dashboard('POST', '/demo/api/organizations', { name: hostile })).status, 201);

    const organizations = (await (await demo.dashboard('GET', '/demo/api/organizations')).json()) as any[];
    const [organization] = organizations;
    assert.equal(organization.name, hostile);
    assert.deepEqual([organization.sso.status, organization.sso.connections, organization.sso.lastSignInAt], ['none', [], null]);
    assert.deepEqual(organization.sso.recentEvents.map((e: any) => [e.type, e.actor.kind]), [['organization.created', 'admin_key']]);

    const listed = await demo.dashboard('GET', '/demo/api/webhooks');
    const text = await listed.text();
    assert.doesNotMatch(text, /whsec_/, 'the secret is shown once only');
    const [shown] = JSON.parse(text) as any[];
    assert.equal(shown.id, endpoint.id);
    assert.deepEqual(shown.deliveries.map((d: any) => [d.eventType, d.status, d.lastAnswer]), [['organization.created', 'pending', null]]);
    const resent = await demo.dashboard('POST', `/demo/api/webhook-deliveries/${shown.deliveries[0].id}/resend`, {});
    assert.equal(resent.status, 200);

    // Another site's page reads and changes nothing.
    assert.equal((await demo.get('/demo/api/webhooks', { 'sec-fetch-site': 'cross-site' })).status, 403);
    const forged = await fetch(`${demo.origin}/demo/api/webhooks`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
      body: JSON.stringify({ url: 'https://evil.example/hook' }),
    });
    assert.equal(forged.status, 403);
    assert.equal(((await (await demo.dashboard('GET', '/demo/api/webhooks')).json()) as unknown[]).length, 1);
  });
});

describe('the host view on the dashboard: directory sync', () => {
  test('the routing preview and a connection’s login attempts with their report come from the admin API (issue 15); same-origin only', async () => {
    const demo = await startDemo({}, undefined, true);
    const orgId = await demo.addOrganization('Megacorp');
    const preview = (await (await demo.dashboard('POST', '/demo/api/routing-preview', { email: 'ada@nobody.example' })).json()) as { route: string; reasons: { code: string }[] };
    assert.equal(preview.route, 'password');
    assert.deepEqual(preview.reasons.map((r) => r.code), ['no_verified_domain']);
    assert.equal((await demo.get('/demo/api/routing-preview', { 'sec-fetch-site': 'cross-site' })).status, 403);

    const link = (await (await demo.admin('POST', `/api/admin/organizations/${orgId}/links`, {})).json()) as { token: string };
    const created = await fetch(`${demo.origin}/api/portal/connections`, {
      method: 'POST',
      headers: { authorization: `Bearer ${link.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ protocol: 'oidc', providerId: 'okta', oidc: { issuer: 'https://megacorp.okta.example', clientId: 'client-1', clientSecret: 'secret-1' } }),
    });
    const connection = (await created.json()) as { id: string };
    const attempt = await demo.store.loginAttempts.record(orgId, {
      connectionId: connection.id,
      protocol: 'oidc',
      purpose: 'test',
      outcome: 'failure',
      at: '2026-03-01T09:59:00.000Z',
      steps: [{ check: 'token', status: 'failed' }],
      error: { code: 'oidc_invalid_client', message: 'The identity provider refused our client secret.', remedy: 'Copy the client secret again.' },
    });
    const base = `/demo/api/organizations/${orgId}/connections/${connection.id}/login-attempts`;
    const listed = (await (await demo.dashboard('GET', base)).json()) as { id: string; error?: { code: string } }[];
    assert.deepEqual(listed.map((a) => [a.id, a.error?.code]), [[attempt!.id, 'oidc_invalid_client']]);
    const report = (await (await demo.dashboard('GET', `${base}/${attempt!.id}/report`)).json()) as { html: string; json: string; redactions: string[] };
    assert.match(report.html, /oidc_invalid_client/);
    assert.ok(report.redactions.length > 0, 'the dashboard shows what the report leaves out');
    assert.ok(!report.html.includes('secret-1') && !report.json.includes('secret-1'), 'no client secret in the report');
    assert.equal((await demo.get(base, { 'sec-fetch-site': 'cross-site' })).status, 403);
  });

  test('each organization lists its directories with counts; a directory’s users (searched, paged) and groups come from the store; same-origin only', async () => {
    const demo = await startDemo({}, undefined, true);
    const orgId = await demo.addOrganization('Megacorp');
    const link = (await (await demo.admin('POST', `/api/admin/organizations/${orgId}/links`, {})).json()) as { token: string };
    const portal = (method: string, path: string, body?: unknown) =>
      fetch(`${demo.origin}${path}`, { method, headers: { authorization: `Bearer ${link.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
    const empty = (await (await demo.dashboard('GET', '/demo/api/organizations')).json()) as any[];
    assert.deepEqual(empty[0].directories, []);

    const created = (await (await portal('POST', '/api/portal/directories', { provider: 'okta', name: 'Okta <employees>' })).json()) as { directory: { id: string }; token: string };
    const scim = (method: string, path: string, body: unknown) =>
      fetch(`${demo.origin}/scim/v2/${created.directory.id}${path}`, { method, headers: { authorization: `Bearer ${created.token}`, 'content-type': 'application/scim+json' }, body: JSON.stringify(body) });
    const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
    const ids: string[] = [];
    for (let i = 0; i < 27; i++) {
      const user = (await (await scim('POST', '/Users', { schemas: [USER], userName: `user${String(i).padStart(2, '0')}@megacorp.example`, name: { givenName: 'Ada', familyName: `L${i}` }, emails: [{ value: `user${i}@megacorp.example`, primary: true }], active: i !== 3 })).json()) as { id: string };
      ids.push(user.id);
    }
    const group = await scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Engineering', members: [{ value: ids[0] }, { value: ids[1] }] });
    assert.equal(group.status, 201);

    const [organization] = (await (await demo.dashboard('GET', '/demo/api/organizations')).json()) as any[];
    assert.equal(organization.directories.length, 1);
    assert.deepEqual([organization.directories[0].name, organization.directories[0].status, organization.directories[0].counts], ['Okta <employees>', 'setup', { users: 27, activeUsers: 26, groups: 1 }]);
    const text = JSON.stringify(organization);
    assert.ok(!text.includes(created.token), 'no SCIM token on the dashboard');

    const first = (await (await demo.dashboard('GET', `/demo/api/directories/${created.directory.id}/users`)).json());
    assert.equal(first.data.length, 25);
    assert.equal(first.hasMore, true);
    assert.deepEqual(first.data[0].groups.map((g: any) => g.displayName), ['Engineering']);
    const second = (await (await demo.dashboard('GET', `/demo/api/directories/${created.directory.id}/users?after=${first.data.at(-1).id}`)).json());
    assert.deepEqual([second.data.length, second.hasMore], [2, false]);
    const found = (await (await demo.dashboard('GET', `/demo/api/directories/${created.directory.id}/users?search=USER03`)).json());
    assert.deepEqual(found.data.map((u: any) => [u.userName, u.active]), [['user03@megacorp.example', false]]);
    const groups = (await (await demo.dashboard('GET', `/demo/api/directories/${created.directory.id}/groups`)).json());
    assert.deepEqual(groups.data.map((g: any) => [g.displayName, g.memberCount]), [['Engineering', 2]]);
    const stale = await demo.dashboard('GET', `/demo/api/directories/${created.directory.id}/users?after=usr_gone`);
    assert.equal(stale.status, 404);

    assert.equal((await demo.get(`/demo/api/directories/${created.directory.id}/users`, { 'sec-fetch-site': 'cross-site' })).status, 403);
  });
});
