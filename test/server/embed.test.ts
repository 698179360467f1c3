/// <reference types="node" />
/**
 * Embed links (server/embed.ts, `POST /api/admin/organizations/:orgId/embed-links`) against a real
 * server on 127.0.0.1 with a controllable clock: the admin API makes them for registered origins
 * only; `/portal/<token>?embed=1` opens one once, in an iframe of its parent only (its
 * `frame-ancestors`), chromeless, with a session the portal API renews while the admin is active;
 * a replayed, expired, unframed, wrong-origin or unknown link gets a clear page with a stable
 * code, never the portal.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { createPortalApp } from '../../src/server/app.js';
import type { Database } from '../../src/server/db/database.js';
import { EMBED_SESSION_MAX_HOURS } from '../../src/server/embed.js';
import { listen, type Listening } from '../../src/server/listen.js';
import { loggablePath } from '../../src/server/log.js';
import { registerPages } from '../../src/server/pages.js';
import { openTestDatabase } from '../support/test-database.js';
import { ADMIN_KEY, testSecretBox } from './helpers.js';

const HOST = 'http://127.0.0.1:4510';
const OTHER = 'http://127.0.0.1:4520';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const open: Listening[] = [];
const databases: Database[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  await Promise.all(databases.splice(0).map((d) => d.close()));
});

async function start() {
  const database = await openTestDatabase();
  databases.push(database);
  const clock = { now: Date.parse('2026-03-01T10:00:00.000Z') };
  const ready: { fetch?: (request: Request, env: unknown) => Response | Promise<Response> } = {};
  const server = await listen((request: Request, env: unknown) => ready.fetch!(request, env));
  open.push(server);
  const { app, allowedOrigins, store, firstAnswers } = createPortalApp({
    database,
    secrets: testSecretBox(),
    adminKey: ADMIN_KEY,
    publicBaseUrl: server.origin,
    allowedOrigins: [server.origin, HOST],
    now: () => new Date(clock.now),
    rateLimits: false,
  });
  registerPages(app, { store, adminKey: ADMIN_KEY, publicBaseUrl: server.origin, firstAnswers, frameAncestors: allowedOrigins, now: () => clock.now });
  ready.fetch = (request, env) => app.fetch(request, env);
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${server.origin}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  await store.putOrganization({ id: 'org_megacorp', name: 'Megacorp', branding: { name: 'Acme', accentColor: '#0b5fff' }, createdAt: new Date(clock.now).toISOString() });
  /** An embed link's answer (201 asserted). */
  const embedLink = async (body: Record<string, unknown> = { parentOrigin: HOST }) => {
    const answer = await admin('POST', '/api/admin/organizations/org_megacorp/embed-links', body);
    assert.equal(answer.status, 201, await answer.clone().text());
    return (await answer.json()) as { id: string; url: string; token: string; expiresAt: string; parentOrigin: string; sessionMinutes: number };
  };
  /** What Chromium sends for an iframe of `parent` (the Referer `mountPortalFrame` asks for). */
  const framed = (url: string, parent = HOST, extra: Record<string, string> = {}) =>
    fetch(url, { headers: { 'sec-fetch-dest': 'iframe', 'sec-fetch-site': 'cross-site', referer: `${parent}/`, ...extra } });
  const portal = (token: string, path: string, method = 'GET') => fetch(`${server.origin}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
  return { server, store, clock, admin, embedLink, framed, portal };
}

/** The session token the embedded page hands to the element. */
function sessionTokenOf(page: string): string {
  const token = /<sso-admin-portal [^>]*token="([^"]+)"/.exec(page)?.[1];
  assert.ok(token, 'the page has the element with a token');
  return token;
}

function assertRefused(status: number, page: string, code: string) {
  assert.ok(status === 403 || status === 404 || status === 410, `status ${status}`);
  assert.match(page, new RegExp(`Error code: <code>${code}</code>`));
  assert.match(page, new RegExp(`data-embed-error="${code}"`));
  assert.doesNotMatch(page, /<sso-admin-portal/, 'never the portal');
}

describe('POST /api/admin/organizations/:orgId/embed-links', () => {
  test('makes a single-use link of about a minute for a registered origin; its token is not a portal link', async () => {
    const s = await start();
    const link = await s.embedLink();
    assert.equal(link.url, `${s.server.origin}/portal/${link.token}?embed=1`);
    assert.equal(link.parentOrigin, HOST);
    assert.equal(link.sessionMinutes, 360);
    assert.equal(Date.parse(link.expiresAt) - s.clock.now, MINUTE);
    assert.match(link.id, /^embed_/);
    // Not a portal link: the portal API refuses its token, the organization's links do not list it.
    assert.equal((await s.portal(link.token, '/api/portal/session')).status, 401);
    assert.deepEqual(await (await s.admin('GET', '/api/admin/organizations/org_megacorp/links')).json(), []);
    // Stored hashed: the token appears nowhere in the database.
    assert.equal((await s.store.findEmbedLinkByTokenHash(link.token)), undefined);
  });

  test('bad input: unregistered or malformed origins, bad session lengths, unknown organizations, no key', async () => {
    const s = await start();
    for (const parentOrigin of [OTHER, `${HOST}/settings`, 'https://127.0.0.1:4510', '*', 'null', '', 42]) {
      const answer = await s.admin('POST', '/api/admin/organizations/org_megacorp/embed-links', { parentOrigin });
      assert.equal(answer.status, 422, JSON.stringify(parentOrigin));
      const problem = (await answer.json()) as { code: string; detail: string; issues?: unknown; details?: { issues: { path: string }[] } };
      assert.equal(problem.code, 'validation_failed');
      assert.match(problem.detail, /parentOrigin/);
    }
    for (const sessionMinutes of [0, -5, 1441, 'six hours', null]) {
      const answer = await s.admin('POST', '/api/admin/organizations/org_megacorp/embed-links', { parentOrigin: HOST, sessionMinutes });
      assert.equal(answer.status, 422, JSON.stringify(sessionMinutes));
      assert.match(((await answer.json()) as { detail: string }).detail, /sessionMinutes/);
    }
    const missing = await s.admin('POST', '/api/admin/organizations/org_megacorp/embed-links', {});
    assert.equal(missing.status, 422);
    const unknown = await s.admin('POST', '/api/admin/organizations/org_nobody/embed-links', { parentOrigin: HOST });
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { code: string }).code, 'not_found');
    const anonymous = await fetch(`${s.server.origin}/api/admin/organizations/org_megacorp/embed-links`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ parentOrigin: HOST }),
    });
    assert.equal(anonymous.status, 401);
  });
});

describe('GET /portal/<token>?embed=1', () => {
  test('opens once, chromeless, framed by its parent only, with a session of its own', async () => {
    const s = await start();
    const link = await s.embedLink();
    const answer = await s.framed(link.url);
    const page = await answer.text();
    assert.equal(answer.status, 200, page);
    const csp = answer.headers.get('content-security-policy') ?? '';
    assert.match(csp, new RegExp(`frame-ancestors ${HOST.replace(/\./g, '\\.')}(;|$)`), 'its parent alone, not even the server itself');
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    assert.equal(answer.headers.get('referrer-policy'), 'no-referrer');
    assert.match(page, /<body class="embedded" data-parent-origin="http:\/\/127\.0\.0\.1:4510">/);
    assert.match(page, /<script type="module" src="\/assets\/embed-frame\.js"><\/script>/);
    assert.doesNotMatch(page, /app-header/, 'chromeless: no header');
    assert.doesNotMatch(page, /<script>|<script type="module">/, 'no inline script');
    const token = sessionTokenOf(page);
    assert.notEqual(token, link.token);
    assert.ok(!page.includes(link.token), 'the embed token is not in the page');
    // The session: a portal link of 6 hours.
    const session = await s.portal(token, '/api/portal/session');
    assert.equal(session.status, 200);
    assert.equal(((await session.json()) as { expiresAt: string }).expiresAt, new Date(s.clock.now + 6 * HOUR).toISOString());

    // Replayed: a clear page, never the portal.
    const replay = await s.framed(link.url);
    assertRefused(replay.status, await replay.text(), 'embed_link_used');
    assert.equal(replay.status, 410);
  });

  test('two openings at once: exactly one gets the portal', async () => {
    const s = await start();
    const link = await s.embedLink();
    const answers = await Promise.all([s.framed(link.url), s.framed(link.url), s.framed(link.url)]);
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 410, 410]);
  });

  test('expired (past its minute), unknown, opened on its own, or framed by another origin: a clear page', async () => {
    const s = await start();
    const late = await s.embedLink();
    s.clock.now += MINUTE;
    const expired = await s.framed(late.url);
    assertRefused(expired.status, await expired.text(), 'embed_link_expired');
    assert.match(expired.headers.get('content-security-policy') ?? '', new RegExp(`frame-ancestors ${HOST.replace(/\./g, '\\.')}(;|$)`));

    const unknown = await s.framed(`${s.server.origin}/portal/${'x'.repeat(43)}?embed=1`);
    assertRefused(unknown.status, await unknown.text(), 'embed_link_unknown');
    assert.equal(unknown.status, 404);
    const malformed = await s.framed(`${s.server.origin}/portal/short?embed=1`);
    assertRefused(malformed.status, await malformed.text(), 'embed_link_unknown');

    const link = await s.embedLink();
    const topLevel = await fetch(link.url, { headers: { 'sec-fetch-dest': 'document', 'sec-fetch-site': 'none' } });
    assertRefused(topLevel.status, await topLevel.text(), 'embed_not_framed');
    const elsewhere = await s.framed(link.url, OTHER);
    assertRefused(elsewhere.status, await elsewhere.text(), 'embed_origin_mismatch');
    assert.equal(elsewhere.status, 403);
    // Neither used it up: its parent still opens it.
    assert.equal((await s.framed(link.url)).status, 200);
  });

  test('the session is renewed by the admin’s requests (not by reading the session), ends when idle, and with its link', async () => {
    const s = await start();
    const link = await s.embedLink({ parentOrigin: HOST, sessionMinutes: 30 });
    const token = sessionTokenOf(await (await s.framed(link.url)).text());
    const expiresAt = async () => ((await (await s.portal(token, '/api/portal/session')).json()) as { expiresAt: string }).expiresAt;
    const started = s.clock.now;
    assert.equal(await expiresAt(), new Date(started + 30 * MINUTE).toISOString());
    s.clock.now += 20 * MINUTE;
    assert.equal(await expiresAt(), new Date(started + 30 * MINUTE).toISOString(), 'reading the session does not renew it');
    assert.equal((await s.portal(token, '/api/portal/connections')).status, 200);
    assert.equal(await expiresAt(), new Date(s.clock.now + 30 * MINUTE).toISOString(), 'a request of the admin renews it');
    s.clock.now += 30 * MINUTE;
    const ended = await s.portal(token, '/api/portal/connections');
    assert.equal(ended.status, 401);
    assert.equal(((await ended.json()) as { code: string }).code, 'session_expired');

    // Revoking the session's link (it is listed with the organization's links) ends it at once.
    const other = await s.embedLink();
    const otherToken = sessionTokenOf(await (await s.framed(other.url)).text());
    const links = (await (await s.admin('GET', '/api/admin/organizations/org_megacorp/links')).json()) as { id: string; revokedAt: string | null }[];
    const live = links.filter((l) => l.revokedAt === null);
    assert.equal((await s.admin('DELETE', `/api/admin/links/${live.at(-1)!.id}`)).status, 204);
    assert.equal((await s.portal(otherToken, '/api/portal/connections')).status, 401);
  });

  test('renewals stop 24 hours after the session started', async () => {
    const s = await start();
    const link = await s.embedLink({ parentOrigin: HOST, sessionMinutes: 600 });
    const token = sessionTokenOf(await (await s.framed(link.url)).text());
    const started = s.clock.now;
    for (let hour = 5; hour <= 30; hour += 5) {
      s.clock.now = started + hour * HOUR;
      const answer = await s.portal(token, '/api/portal/connections');
      assert.equal(answer.status, hour < EMBED_SESSION_MAX_HOURS ? 200 : 401, `after ${hour} hours`);
    }
  });

  test('the request log never shows the token', () => {
    assert.equal(loggablePath(`/portal/${'a'.repeat(43)}?embed=1`), '/portal/:token');
  });
});
