/// <reference types="node" />
/**
 * The mock server's pages (no inline scripts or styles anywhere: they run under a strict CSP).
 *
 * Always:
 * - `GET /portal/:token`: the hosted portal of a setup link, the element full-page with the
 *   organization's branding; `Referrer-Policy: no-referrer` and `Cache-Control: no-store`, so
 *   the token stays out of Referer headers and caches (nothing here logs URLs).
 * - `GET /cdn/*`: the CDN bundle from `dist/cdn/` (`npm run build:cdn`).
 * - `GET /assets/*`: the pages' own scripts and stylesheet (`src/server/pages/assets/`).
 *
 * Demo mode only (`demo: true`; `npm start` turns it on), the host application "Acme":
 * - `GET /`: the dashboard (organizations, their links; create an organization, a 7-day link,
 *   revoke a link; with `host`: each organization's SSO state and recent events, and the webhook
 *   endpoints with their latest deliveries: add one (its secret shown once), enable, resend). The browser never sees the admin key: it calls `/demo/api/*`, whose writes
 *   run the admin API in-process with the key, server-side, and whose reads come from the store
 *   (they spend nothing of the admin API's rate-limit budget). The URLs of the links made in
 *   this server process are kept in memory and listed (tokens are stored hashed: older links'
 *   URLs are unknown).
 * - `GET /settings/:orgId`: Acme's settings page embedding the element with a link token minted
 *   server-side for that organization: one link per organization, reused while it has more
 *   than an hour left, and listed on the dashboard as the settings page's.
 * - `GET /settings/:orgId/embedded`: the same page with the portal in an iframe: an embed link
 *   (`embed.ts`) minted for each load, framed by this page's origin, mounted with
 *   `mountPortalFrame` (`/cdn/embed.js`); its events are logged on the page.
 * - `GET|POST /demo/login`: Acme's login page, "Sign in with SSO": the email's domain picks the
 *   organization and its active connection (home-realm discovery), the user signs in at the IdP
 *   and lands back here, signed in (with `loginFlows`).
 * Demo routes answer only for the server's own Host (DNS rebinding); `/demo/api` answers only
 * same-origin requests (`Origin` or `Sec-Fetch-Site`: an <img> on another site reads nothing)
 * and takes writes only from its own Origin with a JSON body, since it acts as the admin. The
 * settings page mints a link only for a same-origin or typed-in navigation.
 */
import { str } from '@lit/localize/internal/str-tag.js';
import { msg } from '../portal/localize/msg.js';
import { pageLanguage } from './page-language.js';
import { pageMsg } from './page-text.js';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { PAGES_DIR, REPO_ROOT } from './server-files.js';
import { Hono, type Context } from 'hono';
import { DEFAULT_LINK_HOURS, linkStatus } from '../core/rules/links.js';
import { hostedPageModules, languageModules } from './cdn-preloads.js';
import { targetLocales } from '../portal/localize/generated/locale-codes.js';
import { openEmbedLink, type EmbedRefusal } from './embed.js';
import { hashToken, type Env, type OrganizationServices } from './server-types.js';
import { escapeHtml, formFields, html, htmlDocument, localTime, type SafeHtml } from './html.js';
import { directoryStanding } from './login/directory-standing.js';
import type { LoginFlows } from './login/login-flows.js';
import { PortalError, problemResponse } from './problem.js';
import { logoImageSources, pageSecurityHeaders } from './security-headers.js';
import type { Store } from './store/store.js';
import type { DatabaseSchema } from './db/schema.js';
import { ssoState } from './sso-state.js';
import { directoryGroupView, directoryUserView } from './api/admin-directory-api.js';
import { directoryViews } from './api/portal-directory-api.js';
import type { WebhookStore } from './webhooks/webhook-store.js';
import type { Kysely } from 'kysely';
import type { LinkRecord, OrganizationRecord } from './types.js';
import type { PortalFirstAnswers } from './api/portal-api.js';
import { createLogger, errorFields, type Logger } from './log.js';
import type { PortalShadowRenderer } from './portal-ssr.js';

export interface PagesOptions {
  store: Store;
  adminKey: string;
  /** Where browsers reach the server, e.g. `http://127.0.0.1:4400`: the portal's `api-base`. */
  publicBaseUrl: string;
  /** The portal API's first answers for a link, which the hosted page carries (`PortalApp.firstAnswers`). */
  firstAnswers: PortalFirstAnswers;
  /** Where the pages log what went wrong (the app's `PortalApp.logger`); default: errors to stderr. */
  logger?: Logger;
  /**
   * Renders the hosted page's overview on the server as declarative shadow DOM, so the browser
   * paints it before any script runs (portal-ssr.ts). Default true.
   */
  serverRender?: boolean;
  /** Serve the demo host app (`/`, `/settings/:orgId`, `/demo/api/*`). Default false. */
  demo?: boolean;
  /** The CDN bundle's folder (default `<repo>/dist/cdn`). */
  cdnDir?: string;
  /** More `host:port` values the demo routes answer for, besides the public URL's host. */
  allowedHosts?: string[];
  /** Lifetime of the links minted for the settings page, in hours (default 8). */
  settingsLinkHours?: number;
  /** Origins that may frame the pages besides their own (the app's `allowedOrigins`). */
  frameAncestors?: readonly string[];
  /** Real logins: with them, the demo app has a login page routing by email domain (`/demo/login`). */
  loginFlows?: LoginFlows;
  /**
   * The host's view (issue 13): with it, the dashboard shows each organization's SSO state and
   * recent events, and the webhook endpoints with their deliveries (read here, from the store).
   */
  host?: { services: OrganizationServices; db: Kysely<DatabaseSchema>; webhooks: WebhookStore };
  /** The clock in milliseconds (link reuse, ended links); default `Date.now`. */
  now?: () => number;
}

/** What the server keeps for the dashboard. */
export interface DemoPages {
  /**
   * Remembers the URL of a link made in this process (e.g. the one `main.ts` prints), so the
   * dashboard can show it: the store keeps only a hash of its token.
   */
  rememberLink(link: { id: string; url: string }): void;
}

/** A link as the dashboard lists it: its URL when this process made it, and what it is for. */
export interface DemoLink {
  id: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  /** `settings`: the settings page's own link (reused, not for sending). */
  /** `embed`: the session of a portal opened in an iframe (an embed link, `embed.ts`). */
  purpose: 'portal' | 'settings' | 'embed';
  url?: string;
}

/** A settings-page link is reused while it has more than this left. */
const SETTINGS_LINK_MIN_LEFT_MS = 3_600_000;
/** The store setting listing the settings pages' link ids (so they stay labelled after a restart). */
const SETTINGS_LINKS_SETTING = 'demo.settingsPageLinks';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export { escapeHtml };

/**
 * A `<script type="application/json">` data block the portal reads (`initial-data`): never run
 * (not JavaScript, so the page's CSP is untouched), and its JSON escaped so that no text in it
 * can end the element or open another (`<`, `>`, `&`, and the line separators as \u escapes).
 */
function initialDataBlock(data: Record<string, unknown>): string {
  const json = JSON.stringify(data).replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `<script type="application/json" id="sso-portal-initial">${json}</script>`;
}

/** Fills `{{name}}` slots with HTML-escaped values; an unknown slot is a bug, so it throws. */
function render(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`page template: no value for {{${name}}}`);
    return escapeHtml(value);
  });
}

/**
 * An HTML page with the server's page headers (`security-headers.ts`: CSP with nothing inline
 * for scripts and nothing from elsewhere, nosniff, `Referrer-Policy: no-referrer`), never cached
 * (the portal page holds a token).
 */
function page(c: Context, headers: Record<string, string>, html: string, status: 200 | 401 | 403 | 404 | 410 | 429 | 503 = 200): Response {
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  c.header('cache-control', 'no-store');
  return c.html(html, status);
}

/** A file under `root` named by an untrusted URL path, or undefined. */
function fileUnder(root: string, urlPath: string): string | undefined {
  let relative: string;
  try {
    relative = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (!relative || relative.includes('\0') || relative.includes('\\') || relative.split('/').some((s) => s === '..' || s === '.')) return undefined;
  const file = resolve(root, relative);
  return file.startsWith(root.endsWith(sep) ? root : `${root}${sep}`) ? file : undefined;
}

async function serveFile(c: Context, root: string, urlPath: string, cacheControl: string): Promise<Response> {
  const file = fileUnder(root, urlPath);
  const type = file ? TYPES[extname(file)] : undefined;
  if (!file || !type) return c.notFound();
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch {
    return c.notFound();
  }
  c.header('content-type', type);
  c.header('x-content-type-options', 'nosniff');
  c.header('cache-control', cacheControl);
  return c.body(new Uint8Array(content));
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,200}$/;

/** The page of each refused embed link: status, title, what to do. */
const EMBED_REFUSALS: Record<EmbedRefusal, [403 | 404 | 410, string, string]> = {
  embed_link_unknown: [404, 'This embedded link does not work', 'It was never issued, or it ended a while ago. Reload the page that shows it to get a new one.'],
  embed_link_used: [410, 'This embedded link was already used', 'Each embedded link opens once. Reload the page that shows it to get a new one.'],
  embed_link_expired: [410, 'This embedded link has expired', 'An embedded link must be opened within a minute of being made. Reload the page that shows it to get a new one.'],
  embed_origin_mismatch: [403, 'This embedded link belongs to another site', 'It opens only inside the page of the site it was made for.'],
  embed_not_framed: [403, 'This link opens inside another page', 'It is made to be shown inside the settings page of the site it was made for, not on its own.'],
};
const ID_SHAPE = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * Mounts the pages' sub-app at the root (`app.route('/', …)`): the hosted portal, the CDN bundle
 * and assets, and in demo mode the demo host app. Returns the pages' memory of link URLs.
 */
export function registerPages(app: Hono<Env>, options: PagesOptions): DemoPages {
  const pages = new Hono<Env>();
  const demoPages = addPages(pages, app, options);
  app.route('/', pages);
  return demoPages;
}

/** Registers the pages on `app`; `parent` is the whole app (the demo's admin actions go through its admin API). */
function addPages(app: Hono<Env>, parent: Hono<Env>, options: PagesOptions): DemoPages {
  const { store, adminKey, host } = options;
  const now = options.now ?? Date.now;
  const publicBaseUrl = options.publicBaseUrl.replace(/\/+$/, '');
  const directoryContext = { store, now: () => new Date(now()), publicBaseUrl };
  const cdnDir = resolve(options.cdnDir ?? `${REPO_ROOT}dist/cdn`);
  const assetsDir = resolve(PAGES_DIR, 'assets');
  // The files are known once the build is: the hosted page lists them for the browser to fetch at
  // once, and runs the HttpAdapter's chunk before the element's entry (cdn-preloads.ts).
  const firstModules = hostedPageModules(cdnDir);
  const preloads = firstModules.files
    .map((file) => (file === firstModules.httpAdapter ? `<script type="module" src="/cdn/${escapeHtml(file)}"></script>` : `<link rel="modulepreload" href="/cdn/${escapeHtml(file)}" />`))
    .join('\n    ');
  // A page in another language also fetches the language switch and its catalogue at once.
  const languagePreloads: Record<string, string> = Object.fromEntries(
    Object.entries(languageModules(cdnDir, targetLocales, firstModules.files)).map(([locale, files]) => [locale, files.map((file) => `<link rel="modulepreload" href="/cdn/${escapeHtml(file)}" />`).join('\n    ')]),
  );
  const templates = {
    portal: readFileSync(`${PAGES_DIR}portal.html`, 'utf8').replace('<!--preloads-->', preloads),
    dashboard: readFileSync(`${PAGES_DIR}dashboard.html`, 'utf8'),
    settings: readFileSync(`${PAGES_DIR}settings.html`, 'utf8'),
    embed: readFileSync(`${PAGES_DIR}embed.html`, 'utf8').replace('<!--preloads-->', preloads),
    settingsEmbedded: readFileSync(`${PAGES_DIR}settings-embedded.html`, 'utf8'),
  };

  const logger = options.logger ?? createLogger({ level: 'error', format: 'text' });
  // Loaded with the first hosted page (Lit's server renderer and the element's modules): servers
  // and tests that never serve one never pay for it.
  let shadowRenderer: Promise<PortalShadowRenderer | undefined> | undefined;
  const loadShadowRenderer = () =>
    (shadowRenderer ??= import('./portal-ssr.js')
      .then((m) => m.loadPortalShadowRenderer())
      .catch((error: unknown) => {
        logger.error('hosted page: server rendering unavailable, pages are served without it', { ...errorFields(error), stack: undefined });
        return undefined;
      }));
  /**
   * The element's overview as declarative shadow DOM for the page's first answers, or nothing
   * (rendering off, no first answers, or rendering failed: one log line, and the element renders
   * in the browser as it would without it).
   */
  const portalShadow = async (initial: Record<string, unknown>): Promise<string> => {
    if (options.serverRender === false || !initial.session || !Array.isArray(initial.connections)) return '';
    const render = await loadShadowRenderer();
    try {
      return render ? render(initial as Parameters<PortalShadowRenderer>[0]) : '';
    } catch (error) {
      logger.error('hosted page: server rendering failed, page served without it', { ...errorFields(error), stack: undefined });
      return '';
    }
  };

  /** URLs of the links made in this process, by link id (the store has only their tokens' hashes). */
  const linkUrls = new Map<string, string>();
  const demoPages: DemoPages = { rememberLink: (link) => void linkUrls.set(link.id, link.url) };

  const headers = pageSecurityHeaders({ frameAncestors: options.frameAncestors ?? [] });
  // An organization's pages show its logo: images from the logo's origin only.
  const headersFor = (organization: OrganizationRecord) =>
    pageSecurityHeaders({ frameAncestors: options.frameAncestors ?? [], imgSrc: logoImageSources(organization.branding.logoUrl) });
  const messagePage = (c: Context, status: 401 | 403 | 404 | 429 | 503, title: string | SafeHtml, text: string | SafeHtml) =>
    page(c, headers, htmlDocument({ title, body: html`<main class="message"><h1>${title}</h1><p>${text}</p></main>` }), status);

  const cdnRoute = (c: Context) => serveFile(c, cdnDir, c.req.path.slice('/cdn/'.length), 'no-cache');
  app.get('/cdn/*', cdnRoute);
  app.get('/assets/*', (c) => serveFile(c, assetsDir, c.req.path.slice('/assets/'.length), 'no-cache'));

  /**
   * The page of a link that does not work: with its organization's branding, when it ended and
   * whom to ask when the link is known; a plain page when it is not (never issued, or forgotten).
   */
  const endedLinkPage = (c: Context, link: LinkRecord | undefined, organization: OrganizationRecord | undefined) => {
    if (!link || !organization) {
      return messagePage(c, 404, pageMsg('This setup link does not work'), pageMsg('It was never issued, or it ended a while ago. Ask the person who sent it for a new link.'));
    }
    const { name: appName } = organization.branding;
    const revoked = link.revokedAt !== null;
    const endedAt = revoked ? link.revokedAt! : link.expiresAt;
    const title = revoked ? pageMsg('This setup link was revoked') : pageMsg('This setup link has expired');
    const when = localTime(endedAt);
    return page(
      c,
      headers,
      htmlDocument({
        title: html`${title} · ${organization.name}`,
        scripts: ['branding.js', 'local-time.js'],
        body: html`<header class="app-header" data-accent="${organization.branding.accentColor ?? ''}">
            <span class="app-name">${appName}</span>
            <span class="app-subtitle">${pageMsg(str`Single sign-on setup for ${organization.name}`)}</span>
          </header>
          <main class="message">
            <h1>${title}</h1>
            <p>${revoked
              ? pageMsg(str`This link to set up single sign-on for ${organization.name} was revoked on ${when}.`)
              : pageMsg(str`This link to set up single sign-on for ${organization.name} expired on ${when}.`)}</p>
            <p>${pageMsg(str`Ask the person at ${appName} who sent it to you, or the support of ${appName}, for a new link. What is already set up for ${organization.name} is kept: the new link opens it again.`)}</p>
          </main>`,
      }),
      404,
    );
  };

  /** A request to this server's own API, in-process (never over the network), with `credential` as its Bearer token. */
  const inProcess = (c: Context, method: string, path: string, credential: string, body?: unknown): Promise<Response> =>
    Promise.resolve(
      parent.request(
        path,
        {
          method,
          headers: { authorization: `Bearer ${credential}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        },
        c.env,
      ),
    );

  /**
   * The portal API's first answers for this link (`GET /session`, `GET /connections`, made as the
   * API makes them: api/portal-api.ts `portalFirstAnswers`), so the page carries them and the portal
   * paints without a round trip. If they fail, the page carries none: the browser asks.
   */
  const firstAnswers = async (link: LinkRecord, organization: OrganizationRecord): Promise<Record<string, unknown>> => {
    try {
      return await options.firstAnswers(link, organization);
    } catch {
      return {};
    }
  };

  /**
   * An embed link that did not open (embed.ts): a plain page with its stable code, framed only
   * by the link's parent (the server's allowed origins when the link is unknown), which it tells
   * by `portal.load_failed` (`embed-frame.js`). Never the portal.
   */
  const refusedEmbedPage = (c: Context, code: EmbedRefusal, parentOrigin: string | undefined) => {
    const [status, title, text] = EMBED_REFUSALS[code];
    const security = parentOrigin ? pageSecurityHeaders({ frameAncestors: [parentOrigin], frameSelf: false }) : headers;
    return page(
      c,
      security,
      htmlDocument({
        title,
        scripts: ['embed-frame.js'],
        bodyData: { 'embed-error': code, ...(parentOrigin ? { 'parent-origin': parentOrigin } : {}) },
        body: html`<main class="embedded-main message" aria-labelledby="embedded-heading"><h1 id="embedded-heading">${title}</h1><p>${text}</p><p>Error code: <code>${code}</code></p></main>`,
      }),
      status,
    );
  };

  /** `/portal/<token>?embed=1`: opens a single-use embed link in its parent's iframe, chromeless. */
  const embeddedPortal = async (c: Context, token: string) => {
    if (!TOKEN_SHAPE.test(token)) return refusedEmbedPage(c, 'embed_link_unknown', undefined);
    const opened = await openEmbedLink(store, token, { fetchDest: c.req.header('sec-fetch-dest'), referer: c.req.header('referer') }, new Date(now()));
    if (!opened.ok) return refusedEmbedPage(c, opened.code, opened.link?.parentOrigin);
    const organization = await store.getOrganization(opened.link.organizationId);
    if (!organization) return refusedEmbedPage(c, 'embed_link_unknown', undefined);
    const initial = await firstAnswers(opened.session, organization);
    const body = render(templates.embed, {
      ...brandingValues(organization),
      apiBase: publicBaseUrl,
      token: opened.sessionToken,
      parentOrigin: opened.link.parentOrigin,
    }).replace('<!--initial-data-->', () => initialDataBlock(initial));
    return page(c, pageSecurityHeaders({ frameAncestors: [opened.link.parentOrigin], frameSelf: false, imgSrc: logoImageSources(organization.branding.logoUrl) }), body);
  };

  // The hosted portal of a setup link (`?embed=1`: of an embed link, in its parent's iframe).
  app.get('/portal/:token', async (c) => {
    const token = c.req.param('token');
    if (c.req.query('embed') === '1') return embeddedPortal(c, token);
    const link = TOKEN_SHAPE.test(token) ? await store.findLinkByTokenHash(hashToken(token)) : undefined;
    const organization = link && (await store.getOrganization(link.organizationId));
    if (!link || !organization || linkStatus(link, new Date(now())) !== 'active') return endedLinkPage(c, link, organization);
    const initial = await firstAnswers(link, organization);
    const shadow = await portalShadow(initial);
    const body = render(templates.portal, { ...brandingValues(organization), ...hostedPageLanguage(organization), apiBase: publicBaseUrl, token })
      .replace('<!--language-preloads-->', () => languagePreloads[pageLanguage().text] ?? '')
      .replace('<!--initial-data-->', () => initialDataBlock(initial))
      .replace('<!--shadow-->', () => shadow);
    return page(c, headersFor(organization), body);
  });

  if (!options.demo) return demoPages;

  // ---------------------------------------------------------------------------------------
  // Demo host application "Acme"

  const allowedHosts = new Set([new URL(publicBaseUrl).host, ...(options.allowedHosts ?? [])].map((h) => h.toLowerCase()));
  const sameSite = (c: { req: { raw: Request } }): boolean => allowedHosts.has((c.req.raw.headers.get('host') ?? '').toLowerCase());
  const from = (c: RequestHeaders) => requestSource(c, allowedHosts);

  /** The admin API, in-process, with the key added here (never sent to a browser). */
  const admin = (c: Context, method: string, path: string, body?: unknown): Promise<Response> => inProcess(c, method, path, adminKey, body);

  const forbidden = (c: Context) => messagePage(c, 403, 'Not here', 'The demo pages answer only at the address the server printed.');
  const refused = (detail: string) => problemResponse(new PortalError('forbidden', { message: detail }));

  app.use('/demo/api/*', async (c, next) => {
    if (!sameSite(c)) return refused('The demo API answers only at the address the server printed.');
    const source = from(c);
    if (c.req.method === 'GET' || c.req.method === 'HEAD') {
      // Reads: from the dashboard (same-origin) or typed in; never for another site's page.
      if (source !== 'same-origin' && source !== 'none') return refused('Same-origin requests only (Origin or Sec-Fetch-Site: same-origin).');
    } else {
      const origin = c.req.header('origin');
      // Other methods need a CORS preflight (which /demo/api never grants); POST needs JSON to.
      const json = c.req.method !== 'POST' || (c.req.header('content-type') ?? '').startsWith('application/json');
      if (!origin || !allowedHosts.has(hostOf(origin)) || source !== 'same-origin' || !json) {
        return refused('Same-origin JSON requests only.');
      }
    }
    c.header('cache-control', 'no-store');
    c.header('x-content-type-options', 'nosniff');
    await next();
  });

  app.get('/', (c) => (sameSite(c) ? page(c, headers, templates.dashboard) : forbidden(c)));

  // The settings pages' links: one per organization, its token kept in memory to be reused;
  // their ids in the store, so the dashboard labels them after a restart too.
  const settingsLinkMs = (options.settingsLinkHours ?? 8) * 3_600_000;
  const settingsLinks = new Map<string, { id: string; token: string }>();
  const minting = new Map<string, Promise<SettingsToken>>();
  const settingsLinkIds = async (): Promise<Set<string>> => {
    const raw = await store.getSetting(SETTINGS_LINKS_SETTING);
    try {
      const ids = JSON.parse(raw ?? '[]') as unknown;
      return new Set(Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : []);
    } catch {
      return new Set();
    }
  };
  const liveSettingsToken = async (organizationId: string): Promise<string | undefined> => {
    const known = settingsLinks.get(organizationId);
    const link = known && (await store.getLink(known.id));
    const left = link ? Date.parse(link.expiresAt) - now() : 0;
    return known && link && linkStatus(link, new Date(now())) === 'active' && left > Math.min(SETTINGS_LINK_MIN_LEFT_MS, settingsLinkMs / 2) ? known.token : undefined;
  };
  const mintSettingsLink = async (c: Context, organizationId: string): Promise<SettingsToken> => {
    const answer = await admin(c, 'POST', `/api/admin/organizations/${organizationId}/links`, { lifetimeHours: settingsLinkMs / 3_600_000 });
    if (answer.status !== 201) {
      const problem = (await answer.json().catch(() => ({}))) as { detail?: unknown };
      return { status: answer.status, retryAfter: answer.headers.get('retry-after') ?? undefined, detail: typeof problem.detail === 'string' ? problem.detail : '' };
    }
    const { id, token } = (await answer.json()) as { id: string; token: string };
    settingsLinks.set(organizationId, { id, token });
    const ids = [...(await settingsLinkIds()), id];
    const existing = await Promise.all(ids.map(async (known) => ((await store.getLink(known)) ? known : undefined)));
    await store.putSetting(SETTINGS_LINKS_SETTING, JSON.stringify(existing.filter((known) => known !== undefined)));
    return { token };
  };
  /** The settings page's live token for the organization, minting one (once, however many loads wait) when needed. */
  const settingsToken = async (c: Context, organizationId: string): Promise<SettingsToken> => {
    const live = await liveSettingsToken(organizationId);
    if (live) return { token: live };
    let pending = minting.get(organizationId);
    if (!pending) {
      pending = mintSettingsLink(c, organizationId).finally(() => minting.delete(organizationId));
      minting.set(organizationId, pending);
    }
    return pending;
  };

  /** The organization of a settings page, or the page that says why there is none (another site's request mints nothing). */
  const settingsOrganization = async (c: Context, path: string): Promise<OrganizationRecord | Response> => {
    if (!sameSite(c)) return forbidden(c);
    const orgId = c.req.param('orgId') ?? '';
    const organization = ID_SHAPE.test(orgId) ? await store.getOrganization(orgId) : undefined;
    if (!organization) return messagePage(c, 404, 'No such organization', 'Go back to the dashboard and pick one.');
    // Another site's page (a link, an <img>): no link is used for it; one step to go on from here.
    if (from(c) === 'other') {
      return messagePage(
        c,
        403,
        `Settings for ${organization.name}`,
        html`This page was opened from another site. <a href="/settings/${organization.id}${path}">Open the settings page of ${organization.name}</a>.`,
      );
    }
    return organization;
  };

  /** The admin API's refusal to mint a link, as the settings page says it. */
  const mintFailedPage = (c: Context, minted: { status: number; retryAfter?: string; detail: string }) => {
    if (minted.status === 429) {
      if (minted.retryAfter) c.header('retry-after', minted.retryAfter);
      return messagePage(c, 429, 'Too many requests', `${minted.detail || 'The admin API is busy.'} Reload the page then.`);
    }
    return messagePage(c, 503, 'The settings page could not get a portal link', minted.detail || `The admin API answered ${minted.status}.`);
  };

  // The same settings page with the portal in an iframe (embed.ts): a new single-use embed link
  // for each load, framed by this page's origin, through `sso-admin-portal/embed` (`/cdn/embed.js`).
  app.get('/settings/:orgId/embedded', async (c) => {
    const organization = await settingsOrganization(c, '/embedded');
    if (organization instanceof Response) return organization;
    const parentOrigin = `${new URL(publicBaseUrl).protocol}//${c.req.header('host') ?? ''}`;
    const answer = await admin(c, 'POST', `/api/admin/organizations/${organization.id}/embed-links`, { parentOrigin });
    if (answer.status !== 201) {
      const problem = (await answer.json().catch(() => ({}))) as { detail?: unknown };
      return mintFailedPage(c, { status: answer.status, retryAfter: answer.headers.get('retry-after') ?? undefined, detail: typeof problem.detail === 'string' ? problem.detail : '' });
    }
    const { url } = (await answer.json()) as { url: string };
    return page(c, headersFor(organization), render(templates.settingsEmbedded, { ...brandingValues(organization), embedUrl: url, orgId: organization.id }));
  });

  app.get('/settings/:orgId', async (c) => {
    const organization = await settingsOrganization(c, '');
    if (organization instanceof Response) return organization;
    const minted = await settingsToken(c, organization.id);
    if ('token' in minted) {
      return page(c, headersFor(organization), render(templates.settings, { ...brandingValues(organization), apiBase: publicBaseUrl, token: minted.token, orgId: organization.id }));
    }
    return mintFailedPage(c, minted);
  });

  /** Organizations with their links (their URL when made in this process; never tokens) and domains, from the store. */
  app.get('/demo/api/organizations', async (c) => {
    const at = now();
    const settingsIds = await settingsLinkIds();
    const organizations = [];
    for (const o of await store.listOrganizations()) {
      const [links, data] = await Promise.all([store.listLinks(o.id), store.getOrganizationData(o.id)]);
      organizations.push({
      ...o,
      links: links.map(({ id, createdAt, expiresAt, revokedAt, sessionSeconds }): DemoLink => {
        const live = linkStatus({ expiresAt, revokedAt }, new Date(at)) === 'active';
        if (!live) linkUrls.delete(id);
        const url = live ? linkUrls.get(id) : undefined;
        const purpose = settingsIds.has(id) ? 'settings' : sessionSeconds ? 'embed' : 'portal';
        return { id, createdAt, expiresAt, revokedAt, purpose, ...(url ? { url } : {}) };
      }),
      domains: data.domains.map((d) => ({ name: d.name, status: d.status, method: d.method })),
      ...(host ? { sso: await ssoState(store, host.db, host.services.serviceFor(o)) } : {}),
      ...(host ? { directories: await directoryViews(directoryContext, await store.directories.listDirectories(o.id)) } : {}),
      });
    }
    return c.json(organizations);
  });

  if (host) {
    /**
     * A directory's users (25 a page, `after` the last id of the page before, `search` in userName,
     * email and name) and its groups (the first 100), from the store, as the admin API lists them.
     */
    app.get('/demo/api/directories/:id/users', async (c) => {
      const search = (c.req.query('search') ?? '').trim().slice(0, 200) || undefined;
      const after = c.req.query('after') || undefined;
      const page = await store.directories.listUsersPage(c.req.param('id'), { limit: 25, after, search });
      if (!page) return problemResponse(new PortalError('not_found', { message: 'This page of users no longer exists: reload the list.' }));
      return c.json({ data: page.users.map(directoryUserView), hasMore: page.more });
    });
    // Login traces (issue 15): a connection's attempts and an attempt's report, from the admin API.
    const tracesPath = (c: Context) => `/api/admin/organizations/${encodeURIComponent(c.req.param('orgId') ?? '')}/connections/${encodeURIComponent(c.req.param('connectionId') ?? '')}/login-attempts`;
    app.get('/demo/api/organizations/:orgId/connections/:connectionId/login-attempts', (c) => admin(c, 'GET', tracesPath(c)));
    app.get('/demo/api/organizations/:orgId/connections/:connectionId/login-attempts/:attemptId/report', (c) => admin(c, 'GET', `${tracesPath(c)}/${encodeURIComponent(c.req.param('attemptId') ?? '')}/report`));
    app.get('/demo/api/directories/:id/groups', async (c) => {
      const page = await store.directories.listGroupsPage(c.req.param('id'), { limit: 100 });
      return c.json({ data: (page?.groups ?? []).map(directoryGroupView), hasMore: page?.more ?? false });
    });

    /** The webhook endpoints (never their secrets), each with its 10 latest deliveries and their answers. */
    app.get('/demo/api/webhooks', async (c) => {
      const endpoints = await host.webhooks.list();
      return c.json(await Promise.all(endpoints.map(async (endpoint) => ({ ...endpoint, deliveries: await host.webhooks.deliveries(endpoint.id, 10) }))));
    });
    // Its answer carries the signing secret: the dashboard shows it once.
    app.post('/demo/api/webhooks', async (c) => {
      const input = (await c.req.json().catch(() => ({}))) as { url?: unknown; eventTypes?: unknown };
      return admin(c, 'POST', '/api/admin/webhook-endpoints', { url: input.url, ...(Array.isArray(input.eventTypes) && input.eventTypes.length ? { eventTypes: input.eventTypes } : {}) });
    });
    app.post('/demo/api/webhooks/:id/enable', (c) => admin(c, 'PATCH', `/api/admin/webhook-endpoints/${encodeURIComponent(c.req.param('id'))}`, { enabled: true }));
    app.delete('/demo/api/webhooks/:id', (c) => admin(c, 'DELETE', `/api/admin/webhook-endpoints/${encodeURIComponent(c.req.param('id'))}`));
    app.post('/demo/api/webhook-deliveries/:id/resend', (c) => admin(c, 'POST', `/api/admin/webhook-deliveries/${encodeURIComponent(c.req.param('id'))}/resend`));
  }

  // The routing preview: where an email signs in, and why (discovery's own decision, admin API).
  app.post('/demo/api/routing-preview', async (c) => {
    const input = (await c.req.json().catch(() => ({}))) as { email?: unknown };
    return admin(c, 'POST', '/api/admin/routing-preview', { email: input.email });
  });

  // The host's admin vouches for a domain (manual verification, no DNS).
  app.post('/demo/api/organizations/:orgId/domains/:name/verify', (c) =>
    admin(c, 'POST', `/api/admin/organizations/${encodeURIComponent(c.req.param('orgId'))}/domains/${encodeURIComponent(c.req.param('name'))}/verify`),
  );

  app.post('/demo/api/organizations', async (c) => {
    const input = (await c.req.json().catch(() => ({}))) as { name?: unknown; accentColor?: unknown };
    const branding: Record<string, unknown> = { name: 'Acme' };
    if (typeof input.accentColor === 'string' && input.accentColor !== '') branding.accentColor = input.accentColor;
    return admin(c, 'POST', '/api/admin/organizations', { name: input.name, branding });
  });

  // A 7-day link; its URL is kept in memory so the dashboard lists it (the answer never has the token alone).
  app.post('/demo/api/organizations/:orgId/links', async (c) => {
    const answer = await admin(c, 'POST', `/api/admin/organizations/${encodeURIComponent(c.req.param('orgId'))}/links`, { lifetimeHours: DEFAULT_LINK_HOURS });
    if (answer.status !== 201) return answer;
    const { id, url, expiresAt } = (await answer.json()) as { id: string; url: string; expiresAt: string };
    demoPages.rememberLink({ id, url });
    return c.json({ id, url, expiresAt }, 201);
  });

  app.delete('/demo/api/links/:linkId', (c) => admin(c, 'DELETE', `/api/admin/links/${encodeURIComponent(c.req.param('linkId'))}`));

  const flows = options.loginFlows;
  if (!flows) return demoPages;

  // A plain form: no script needed, works with the keyboard alone.
  const loginPage = async (c: Context, o: { email?: string; error?: string } = {}, status: 200 | 400 | 404 = 200) => {
    const user = await flows.signedInUser(c);
    let content: SafeHtml;
    if (user) {
      const p = user.profile;
      const name = [p.firstName, p.lastName].filter(Boolean).join(' ');
      // The user's groups in the organization's enabled directories (directory sync), read now.
      const directoryGroups = (await directoryStanding(store.directories, user.organization.id, p.email))?.groups ?? [];
      content = html`<h1>Welcome${name ? `, ${name}` : ''}</h1>
        <p>You are signed in to Acme through ${user.organization.name}’s identity provider.</p>
        <dl class="profile">
          <dt>Email</dt><dd>${p.email ?? '(none)'}</dd>
          ${name ? html`<dt>Name</dt><dd>${name}</dd>` : ''}
          ${p.groups?.length ? html`<dt>Groups</dt><dd>${p.groups.join(', ')}</dd>` : ''}
          ${directoryGroups.length ? html`<dt>Groups in the directory</dt><dd>${directoryGroups.join(', ')}</dd>` : ''}
          <dt>Subject</dt><dd><code>${p.subject ?? ''}</code></dd>
          <dt>Connection</dt><dd>${user.connection.name} (${user.connection.protocol === 'saml' ? 'SAML' : 'OpenID Connect'})</dd>
          <dt>Signed in at</dt><dd>${localTime(user.signedInAt)}</dd>
        </dl>
        <form method="post" action="/demo/logout"><button type="submit">Sign out</button></form>`;
    } else {
      content = html`<h1>Sign in to Acme</h1>
        <form method="post" action="/demo/login" class="login-form" novalidate>
          <label for="email">Work email</label>
          <input id="email" name="email" type="email" autocomplete="username" required value="${o.email ?? ''}"
            ${o.error ? html`aria-invalid="true" aria-describedby="login-error"` : ''} />
          ${o.error ? html`<p id="login-error" class="status error" role="alert">${o.error}</p>` : ''}
          <button type="submit">Sign in with SSO</button>
        </form>
        <p class="hint">Your company’s identity provider is found from your email domain, once your IT admin has verified the domain and activated a connection in the SSO portal.</p>`;
    }
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
    c.header('cache-control', 'no-store');
    return c.html(
      htmlDocument({
        title: user ? 'Signed in · Acme' : 'Sign in · Acme',
        scripts: user ? ['local-time.js'] : [],
        body: html`<header class="app-header"><a class="app-name" href="/">Acme</a><nav aria-label="Main"><a href="/">Dashboard</a><a href="/demo/login" aria-current="page">Login</a></nav></header>
          <main class="login-main">${content}</main>`,
      }),
      status,
    );
  };
  // A form post from our own page. Our pages send no referrer, so Chromium sends `Origin: null`
  // for their form posts; `Sec-Fetch-Site: same-origin` then says where the post came from.
  const sameOriginPost = (c: Context): boolean => {
    const origin = c.req.header('origin');
    if (!sameSite(c)) return false;
    if (origin && origin !== 'null') return allowedHosts.has(hostOf(origin));
    return c.req.header('sec-fetch-site') === 'same-origin';
  };

  app.get('/demo/login', (c) => (sameSite(c) ? loginPage(c) : forbidden(c)));
  app.post('/demo/login', async (c) => {
    if (!sameOriginPost(c)) return forbidden(c);
    const form = await formFields(c);
    const email = (form.email ?? '').slice(0, 320);
    try {
      const found = await flows.discover(email);
      // The email typed goes on to the IdP as a login hint.
      return c.redirect(`${found.loginUrl}?${new URLSearchParams({ returnTo: '/demo/login', login_hint: email.trim() }).toString()}`, 303);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return loginPage(c, { email, error: message }, 400);
    }
  });
  app.post('/demo/logout', async (c) => {
    if (!sameOriginPost(c)) return forbidden(c);
    c.header('set-cookie', await flows.signOut(c));
    return c.redirect('/demo/login', 303);
  });
  return demoPages;
}

type SettingsToken = { token: string } | { status: number; retryAfter?: string; detail: string };

/**
 * Where a browser request comes from, by `Origin` and `Sec-Fetch-Site`: this server's own pages
 * (`same-origin`), the user (`none`: typed in, a bookmark), another site (`other`), or nothing
 * says (`unknown`: not a browser, or a very old one).
 */
type RequestHeaders = { req: { header(name: string): string | undefined } };

function requestSource(c: RequestHeaders, allowedHosts: ReadonlySet<string>): 'same-origin' | 'none' | 'other' | 'unknown' {
  const site = c.req.header('sec-fetch-site');
  const origin = c.req.header('origin');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return 'other';
  if (origin !== undefined && (origin === 'null' || !allowedHosts.has(hostOf(origin)))) return 'other';
  if (site === 'none') return origin === undefined ? 'none' : 'other';
  return site === 'same-origin' || origin !== undefined ? 'same-origin' : 'unknown';
}

function hostOf(origin: string): string {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return '';
  }
}

/**
 * The hosted page in the browser's language (page-language.ts): its `lang` and `dir`, its title
 * and heading, and the portal's `locale`, so the element speaks the page's language.
 */
function hostedPageLanguage(organization: OrganizationRecord): Record<string, string> {
  const { lang, dir } = pageLanguage();
  return {
    lang,
    dir,
    locale: lang,
    pageTitle: msg(str`Single sign-on for ${organization.name} · ${organization.branding.name}`),
    heading: msg(str`Single sign-on setup for ${organization.name}`),
  };
}

function brandingValues(organization: OrganizationRecord): Record<string, string> {
  return {
    organization: organization.name,
    appName: organization.branding.name,
    accent: organization.branding.accentColor ?? '',
  };
}
