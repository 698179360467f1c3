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
 *   revoke a link). The browser never sees the admin key: it calls `/demo/api/*`, which runs
 *   the admin API in-process with the key, server-side.
 * - `GET /settings/:orgId`: Acme's settings page embedding the element with a fresh link token
 *   minted server-side for that organization.
 * - `GET|POST /demo/login`: Acme's login page, "Sign in with SSO": the email's domain picks the
 *   organization and its active connection (home-realm discovery), the user signs in at the IdP
 *   and lands back here, signed in (with `loginFlows`).
 * Demo routes answer only for the server's own Host (DNS rebinding) and take writes only from
 * its own Origin with a JSON body (cross-site requests), since they act as the admin.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context, Hono } from 'hono';
import { hashToken, type Env } from './app.js';
import { escapeHtml, formFields, html, htmlDocument, localTime, type SafeHtml } from './html.js';
import type { LoginFlows } from './login/login-flows.js';
import { pageSecurityHeaders } from './security-headers.js';
import type { Store } from './store/store.js';
import type { OrganizationRecord } from './types.js';

export interface PagesOptions {
  store: Store;
  adminKey: string;
  /** Where browsers reach the server, e.g. `http://127.0.0.1:4400`: the portal's `api-base`. */
  publicBaseUrl: string;
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
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const pagesDir = fileURLToPath(new URL('./pages/', import.meta.url));
const DEMO_LINK_HOURS = 168;

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export { escapeHtml };

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
function page(c: Context, headers: Record<string, string>, html: string, status: 200 | 401 | 403 | 404 = 200): Response {
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
const ID_SHAPE = /^[A-Za-z0-9_-]{1,100}$/;

export function registerPages(app: Hono<Env>, options: PagesOptions): void {
  const { store, adminKey } = options;
  const publicBaseUrl = options.publicBaseUrl.replace(/\/+$/, '');
  const cdnDir = resolve(options.cdnDir ?? `${repoRoot}dist/cdn`);
  const assetsDir = resolve(pagesDir, 'assets');
  const templates = {
    portal: readFileSync(`${pagesDir}portal.html`, 'utf8'),
    dashboard: readFileSync(`${pagesDir}dashboard.html`, 'utf8'),
    settings: readFileSync(`${pagesDir}settings.html`, 'utf8'),
  };

  const headers = pageSecurityHeaders({ frameAncestors: options.frameAncestors ?? [] });
  const messagePage = (c: Context, status: 401 | 403 | 404, title: string, text: string) =>
    page(c, headers, htmlDocument({ title, body: html`<main class="message"><h1>${title}</h1><p>${text}</p></main>` }), status);

  const cdnRoute = (c: Context) => serveFile(c, cdnDir, c.req.path.slice('/cdn/'.length), 'no-cache');
  app.get('/cdn/*', cdnRoute);
  app.get('/assets/*', (c) => serveFile(c, assetsDir, c.req.path.slice('/assets/'.length), 'no-cache'));

  // The hosted portal of a setup link.
  app.get('/portal/:token', (c) => {
    const token = c.req.param('token');
    const link = TOKEN_SHAPE.test(token) ? store.findLinkByTokenHash(hashToken(token)) : undefined;
    const organization = link && store.getOrganization(link.organizationId);
    if (!link || !organization || link.revokedAt || Date.parse(link.expiresAt) <= Date.now()) {
      return messagePage(
        c,
        404,
        'This setup link does not work any more',
        'It has expired, was revoked, or was never issued. Ask the person who sent it for a new link.',
      );
    }
    return page(c, headers, render(templates.portal, { ...brandingValues(organization), apiBase: publicBaseUrl, token }));
  });

  if (!options.demo) return;

  // ---------------------------------------------------------------------------------------
  // Demo host application "Acme"

  const allowedHosts = new Set([new URL(publicBaseUrl).host, ...(options.allowedHosts ?? [])].map((h) => h.toLowerCase()));
  const sameSite = (c: { req: { raw: Request } }): boolean => allowedHosts.has((c.req.raw.headers.get('host') ?? '').toLowerCase());

  /** The admin API, in-process, with the key added here (never sent to a browser). */
  const admin = (c: Context, method: string, path: string, body?: unknown): Promise<Response> =>
    Promise.resolve(
      app.request(
        path,
        {
          method,
          headers: { authorization: `Bearer ${adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        },
        c.env,
      ),
    );

  const forbidden = (c: Context) => messagePage(c, 403, 'Not here', 'The demo pages answer only at the address the server printed.');

  app.use('/demo/api/*', async (c, next) => {
    if (!sameSite(c)) return c.json({ title: 'Forbidden', code: 'forbidden', status: 403 }, 403);
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const origin = c.req.header('origin');
      // Other methods need a CORS preflight (which /demo/api never grants); POST needs JSON to.
      const json = c.req.method !== 'POST' || (c.req.header('content-type') ?? '').startsWith('application/json');
      if (!origin || !allowedHosts.has(hostOf(origin)) || !json) {
        return c.json({ title: 'Forbidden', code: 'forbidden', status: 403, detail: 'Same-origin JSON requests only.' }, 403);
      }
    }
    c.header('cache-control', 'no-store');
    c.header('x-content-type-options', 'nosniff');
    await next();
  });

  app.get('/', (c) => (sameSite(c) ? page(c, headers, templates.dashboard) : forbidden(c)));

  app.get('/settings/:orgId', async (c) => {
    if (!sameSite(c)) return forbidden(c);
    const orgId = c.req.param('orgId');
    const organization = ID_SHAPE.test(orgId) ? store.getOrganization(orgId) : undefined;
    if (!organization) return messagePage(c, 404, 'No such organization', 'Go back to the dashboard and pick one.');
    const answer = await admin(c, 'POST', `/api/admin/organizations/${organization.id}/links`, { lifetimeHours: options.settingsLinkHours ?? 8 });
    if (!answer.ok) throw new Error(`settings page: link for ${organization.id}: ${answer.status}`);
    const { token } = (await answer.json()) as { token: string };
    return page(c, headers, render(templates.settings, { ...brandingValues(organization), apiBase: publicBaseUrl, token, orgId: organization.id }));
  });

  /** Organizations with their links (never tokens: those are shown once, when created) and domains. */
  app.get('/demo/api/organizations', async (c) => {
    const organizations = (await (await admin(c, 'GET', '/api/admin/organizations')).json()) as OrganizationRecord[];
    const withLinks = await Promise.all(
      organizations.map(async (o) => ({
        ...o,
        links: (await (await admin(c, 'GET', `/api/admin/organizations/${o.id}/links`)).json()) as unknown,
        domains: store.getOrganizationData(o.id).domains.map((d) => ({ name: d.name, status: d.status, method: d.method })),
      })),
    );
    return c.json(withLinks);
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

  app.post('/demo/api/organizations/:orgId/links', (c) =>
    admin(c, 'POST', `/api/admin/organizations/${encodeURIComponent(c.req.param('orgId'))}/links`, { lifetimeHours: DEMO_LINK_HOURS }),
  );

  app.delete('/demo/api/links/:linkId', (c) => admin(c, 'DELETE', `/api/admin/links/${encodeURIComponent(c.req.param('linkId'))}`));

  const flows = options.loginFlows;
  if (!flows) return;

  // A plain form: no script needed, works with the keyboard alone.
  const loginPage = (c: Context, o: { email?: string; error?: string } = {}, status: 200 | 400 | 404 = 200) => {
    const user = flows.signedInUser(c);
    let content: SafeHtml;
    if (user) {
      const p = user.profile;
      const name = [p.firstName, p.lastName].filter(Boolean).join(' ');
      content = html`<h1>Welcome${name ? `, ${name}` : ''}</h1>
        <p>You are signed in to Acme through ${user.organization.name}’s identity provider.</p>
        <dl class="profile">
          <dt>Email</dt><dd>${p.email ?? '(none)'}</dd>
          ${name ? html`<dt>Name</dt><dd>${name}</dd>` : ''}
          ${p.groups?.length ? html`<dt>Groups</dt><dd>${p.groups.join(', ')}</dd>` : ''}
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
  app.post('/demo/logout', (c) => {
    if (!sameOriginPost(c)) return forbidden(c);
    c.header('set-cookie', flows.signOut(c));
    return c.redirect('/demo/login', 303);
  });
}

function hostOf(origin: string): string {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return '';
  }
}

function brandingValues(organization: OrganizationRecord): Record<string, string> {
  return {
    organization: organization.name,
    appName: organization.branding.name,
    accent: organization.branding.accentColor ?? '',
  };
}
