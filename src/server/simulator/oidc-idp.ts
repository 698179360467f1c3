/// <reference types="node" />
/**
 * The OpenID Connect simulator: a real OpenID Provider (oidc-provider 9) mounted in the mock
 * server under `/simulator/oidc`, so a test login can run end to end without an outside IdP.
 *
 * - Issuer `${publicBaseUrl}/simulator/oidc`; discovery, JWKS, authorization, token and
 *   userinfo endpoints below it. One client, {@link SIMULATOR_OIDC_CLIENT}, that accepts every
 *   redirect URI of the form `${publicBaseUrl}/oidc/<orgId>/<connectionId>/callback` and
 *   `${publicBaseUrl}/demo/login/callback`; PKCE required; `client_secret_basic` or `_post`.
 * - Every authorization request shows the sign-in page `/simulator/oidc/interaction/<uid>`:
 *   email, names, groups and a scenario ({@link OIDC_SCENARIOS}); "Sign in" or "Deny access".
 *   Each sign-in is a new simulated user (a fresh `sub`), kept in memory.
 * - Signing key: RSA, in the database's `keys` table when `keys` is given (sealed), else in
 *   `<dataDir>/simulator/oidc-jwks.json` (mode 0600), or in memory when `dataDir` is null. Cookie keys are random per process; grants and tokens live in memory.
 *
 * The Hono app must run on `@hono/node-server` (the simulator answers through `c.env.incoming`
 * and `c.env.outgoing`), and nothing before the mount may read the body of requests under
 * `/simulator/oidc` (oidc-provider reads it from the Node request).
 */
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono, type Context, type Env } from 'hono';
import { removeTempFiles, writeFileAtomically } from '../atomic-file.js';
import { str } from '@lit/localize/internal/str-tag.js';
import { escapeHtml, html as safeHtml, type SafeHtml } from '../html.js';
import { pageLanguage } from '../page-language.js';
import { pageMsg } from '../page-text.js';
import { pageSecurityHeaders } from '../security-headers.js';
import { PAGES_DIR } from '../server-files.js';
import {
  DEFAULT_SIMULATED_USER,
  OIDC_SCENARIOS,
  isOidcScenario,
  simulatedClaims,
  simulatedUserFromForm,
  type OidcScenario,
  type SimulatedUser,
} from './oidc-scenarios.js';
import { loadOrCreateStoredKey, type KeyPairDatabase } from './keys.js';
import { simulatedEmail } from './simulated-user.js';

export { OIDC_SCENARIOS, isOidcScenario, type OidcScenario, type OidcScenarioInfo } from './oidc-scenarios.js';

/**
 * The simulator's one client. The secret is a PUBLIC development value, printed in docs and
 * tests: it protects nothing (the simulator signs in anyone who asks).
 */
export const SIMULATOR_OIDC_CLIENT: { readonly clientId: 'sso-portal-simulator'; readonly clientSecret: string } = Object.freeze({
  clientId: 'sso-portal-simulator',
  clientSecret: 'simulator-public-dev-secret-not-a-secret',
});

/** Where the simulator lives on this server (its issuer is the public base URL plus this). */
export const OIDC_SIMULATOR_PATH = '/simulator/oidc';

export interface OidcSimulator {
  /** `${publicBaseUrl}/simulator/oidc`. */
  issuer: string;
  /**
   * Registers the routes under `/simulator/oidc` (call before any catch-all route).
   * `userDomainFor(redirectUri)`: the verified domain of the organization a redirect URI belongs
   * to; the sign-in page then offers a user at that domain when the request has no `login_hint`.
   */
  mount<E extends Env>(app: Hono<E>, o?: { userDomainFor?: (redirectUri: string) => string | undefined | Promise<string | undefined> }): void;
  close(): Promise<void>;
  /** Where the signing keys are kept, or null (in memory). */
  jwksFile: string | null;
}

// ---------------------------------------------------------------------------------------
// The parts of oidc-provider used here (it ships no type declarations).

interface ProviderContext {
  oidc?: { route?: string; params?: Record<string, unknown> };
  status: number;
  type: string;
  body: unknown;
  response: { get(field: string): string; set(field: string, value: string): void };
}
type Middleware = (ctx: ProviderContext, next: () => Promise<void>) => Promise<void>;
interface InteractionDetails {
  uid: string;
  prompt: { name: string; details: Record<string, unknown> };
  params: Record<string, unknown>;
}
interface ProviderGrant {
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  save(): Promise<string>;
}
interface ClientPrototype {
  clientId: string;
  tokenEndpointAuthMethod: string;
  redirectUriAllowed(value: string): boolean;
  compareClientSecret(actual: string): boolean | Promise<boolean>;
}
interface ProviderInstance {
  proxy: boolean;
  callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  use(fn: Middleware): unknown;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
  interactionResult(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<string>;
  Client: { prototype: ClientPrototype };
  Grant: new (o: { accountId: string; clientId: string }) => ProviderGrant;
  AuthorizationCode: { find(code: string, options?: { ignoreExpiration?: boolean }): Promise<{ accountId?: string } | undefined> };
}
interface ProviderClass {
  new (issuer: string, configuration: Record<string, unknown>): ProviderInstance;
  readonly ctx: ProviderContext | undefined;
}
interface CheckClass {
  new (reason: string, description: string, check: (ctx: ProviderContext & { oidc: { result?: Record<string, unknown> } }) => boolean): unknown;
  REQUEST_PROMPT: boolean;
  NO_NEED_TO_PROMPT: boolean;
}
interface PromptList {
  get(name: string): { checks: { add(check: unknown): void } } | undefined;
}
interface OidcProviderModule {
  default: ProviderClass;
  interactionPolicy: { base(): PromptList; Check: CheckClass };
}

// The module specifier is a variable so that TypeScript uses the interfaces above.
const OIDC_PROVIDER_MODULE: string = 'oidc-provider';

/**
 * Loads oidc-provider. On Node.js 20 it prints "Unsupported runtime. Use Node.js v22.x LTS" when
 * it loads: it asks for 22 LTS as the oldest release its authors test, while everything the
 * simulator uses works on 20 (our tests run the simulator on Node 20 in CI). That one line is
 * noise at every start and test of a development-only simulator, so it alone is dropped; every
 * other warning goes through.
 */
async function importOidcProvider(): Promise<OidcProviderModule> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].includes('oidc-provider WARNING: Unsupported runtime')) return;
    warn(...args);
  };
  try {
    return (await import(OIDC_PROVIDER_MODULE)) as OidcProviderModule;
  } finally {
    console.warn = warn;
  }
}

// ---------------------------------------------------------------------------------------
// Signing keys

type Jwk = Record<string, unknown> & { kid: string };

function generateSigningKey(): Jwk {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...(privateKey.export({ format: 'jwk' }) as Record<string, unknown>), kid: `sim-${randomBytes(8).toString('hex')}`, alg: 'RS256', use: 'sig' };
}

/** The signing keys: read from `file`, or generated (and written there atomically, mode 0600). */
/** The signing keys in `file`; undefined when there is none. A damaged file is an error that says what to do. */
async function readJwksFile(file: string): Promise<Jwk[] | undefined> {
  await removeTempFiles(file);
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text === undefined) return undefined;
  const keys = parseJwks(text);
  if (keys) return keys;
  throw new Error(
    `${file} ${text.trim() === '' ? 'is empty' : 'is damaged (it holds no signing keys)'}: delete it to generate new signing keys ` +
      '(nothing else is lost: relying parties fetch the new keys from the simulator).',
  );
}

function parseJwks(text: string): Jwk[] | undefined {
  let stored: { keys?: unknown } | undefined;
  try {
    stored = JSON.parse(text) as { keys?: unknown };
  } catch {
    stored = undefined;
  }
  const keys = stored?.keys;
  return Array.isArray(keys) && keys.length && keys.every((k) => k && typeof k === 'object' && typeof (k as Jwk).kid === 'string') ? (keys as Jwk[]) : undefined;
}

/** The key of the signing keys in the database's `keys` table (its public part is unused: the JWKS endpoint derives it). */
export const OIDC_SIGNING_KEYS_NAME = 'oidc-idp-jwks';

async function signingKeys(file: string | null, stored?: KeyPairDatabase): Promise<Jwk[]> {
  if (stored) {
    const { importFrom } = stored;
    const key = await loadOrCreateStoredKey(stored, OIDC_SIGNING_KEYS_NAME, async () => {
      const keys = (importFrom === null ? undefined : await readJwksFile(join(importFrom, 'simulator', 'oidc-jwks.json'))) ?? [generateSigningKey()];
      return { secret: JSON.stringify({ keys }), public: '' };
    });
    const keys = parseJwks(key.secret);
    if (!keys) throw new Error(`The ${OIDC_SIGNING_KEYS_NAME} key in the database holds no signing keys.`);
    return keys;
  }
  if (!file) return [generateSigningKey()];
  const existing = await readJwksFile(file);
  if (existing) return existing;
  const keys = [generateSigningKey()];
  await mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
  await writeFileAtomically(file, `${JSON.stringify({ keys }, null, 2)}\n`, 0o600);
  return keys;
}

// ---------------------------------------------------------------------------------------
// Pages


const BRIDGE_HEADERS = pageSecurityHeaders({ frameAncestors: [] });
const PAGE_HEADERS = { ...BRIDGE_HEADERS, 'cache-control': 'no-store' };
const CSS_FILE = join(PAGES_DIR, 'assets', 'oidc-simulator.css');

/** A page in the request's language (`lang`, `dir` from page-language.ts); `title` and `body` are HTML. */
function pageHtml(base: string, title: SafeHtml, body: string): string {
  const { lang, dir } = pageLanguage();
  return `<!doctype html>
<html lang="${escapeHtml(lang)}" dir="${escapeHtml(dir)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${title.value}</title>
<link rel="stylesheet" href="${escapeHtml(base)}/assets/oidc-simulator.css">
</head>
<body>
<main class="sim">
${body}
</main>
</body>
</html>
`;
}

const code = (value: string): SafeHtml => safeHtml`<code>${value}</code>`;

function interactionPage(base: string, details: InteractionDetails, user: SimulatedUser): string {
  const uid = escapeHtml(details.uid);
  const clientId = typeof details.params.client_id === 'string' ? details.params.client_id : '';
  const redirectUri = typeof details.params.redirect_uri === 'string' ? details.params.redirect_uri : '';
  const scenarios = OIDC_SCENARIOS.map((s, i) => {
    const id = `scenario-${s.id}`;
    return `<div class="sim-choice">
<input type="radio" name="scenario" id="${id}" value="${escapeHtml(s.id)}" aria-describedby="${id}-hint"${i === 0 ? ' checked' : ''}>
<label for="${id}">${escapeHtml(s.label)}</label>
<p class="sim-hint" id="${id}-hint">${escapeHtml(s.hint)}${s.expectedCode ? ` ${pageMsg(str`Expected result: ${code(s.expectedCode)}.`).value}` : ''}</p>
</div>`;
  }).join('\n');
  const text = (name: string, label: SafeHtml, value: string, type = 'text', extra = '') =>
    `<div class="sim-field">
<label for="${name}">${label.value}</label>
<input id="${name}" name="${name}" type="${type}" value="${escapeHtml(value)}" maxlength="256"${extra}>
</div>`;
  return pageHtml(
    base,
    pageMsg('Sign in — OIDC simulator'),
    `<h1>${pageMsg('Sign in to the OIDC simulator').value}</h1>
<p class="sim-intro">${pageMsg('This is the mock server’s built-in OpenID Provider, standing in for your identity provider. Nothing here is checked: choose who signs in and how the login should end.').value}</p>
<dl class="sim-context">
<dt>${pageMsg('Application (client ID)').value}</dt><dd><code>${escapeHtml(clientId)}</code></dd>
<dt>${pageMsg('Returns to').value}</dt><dd><code>${escapeHtml(redirectUri)}</code></dd>
</dl>
<form method="post" action="${escapeHtml(base)}/interaction/${uid}">
${text('email', pageMsg('Email address'), user.email, 'email', ' autocomplete="email" dir="ltr"')}
${text('given_name', pageMsg('Given name'), user.firstName ?? '', 'text', ' autocomplete="given-name" dir="auto"')}
${text('family_name', pageMsg('Family name'), user.lastName ?? '', 'text', ' autocomplete="family-name" dir="auto"')}
${text('groups', pageMsg('Groups (comma separated)'), (user.groups ?? []).join(', '), 'text', ' dir="auto"')}
<fieldset class="sim-scenarios">
<legend>${pageMsg('Scenario').value}</legend>
${scenarios}
</fieldset>
<div class="sim-actions">
<button type="submit" name="action" value="signin">${pageMsg('Sign in').value}</button>
<button type="submit" name="action" value="deny" formnovalidate class="sim-secondary">${pageMsg('Deny access').value}</button>
</div>
</form>`,
  );
}

/** An error page: its title and text in the page's language; `detail` (oidc-provider's error, for developers) stays English. */
function messagePage(base: string, title: SafeHtml, text: SafeHtml, detail?: string): string {
  return pageHtml(
    base,
    pageMsg(str`${title} — OIDC simulator`),
    `<h1>${title.value}</h1>\n<p>${text.value}</p>${detail ? `\n<p><code>${escapeHtml(detail)}</code></p>` : ''}`,
  );
}

// ---------------------------------------------------------------------------------------
// The simulator

interface SimulatedAccount {
  scenario: OidcScenario;
  claims: Record<string, string | boolean | string[]>;
}

/** How many simulated users are remembered (oldest dropped first); tokens outlive none of them in practice. */
const MAX_ACCOUNTS = 2000;
const UID_SHAPE = /^[A-Za-z0-9_-]{1,100}$/;

const escapeRegExp = (value: string): string => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type NodeBindings = { incoming?: IncomingMessage & { originalUrl?: string }; outgoing?: ServerResponse };

function nodeBindings(c: Context): { req: IncomingMessage & { originalUrl?: string }; res: ServerResponse } | null {
  const env = c.env as NodeBindings | undefined;
  return env?.incoming && env.outgoing ? { req: env.incoming, res: env.outgoing } : null;
}

/**
 * oidc-provider's storage (grants, codes, tokens, sessions, interactions), in memory: a simulated
 * login lasts minutes, and a restart only ends the logins in progress.
 */
class MemoryStorage {
  readonly #entries = new Map<string, { payload: Record<string, unknown>; expiresAt: number }>();
  #writes = 0;

  /** The adapter for one model (`AuthorizationCode`, `Session`, ...), as oidc-provider's `adapter` option wants it. */
  adapter = (model: string) => {
    const key = (id: string) => `${model}:${id}`;
    const find = (id: string) => this.#read(key(id));
    return {
      upsert: (id: string, payload: Record<string, unknown>, expiresIn?: number) => {
        this.#write(key(id), payload, expiresIn);
        return Promise.resolve();
      },
      find: (id: string) => Promise.resolve(find(id)),
      findByUid: (uid: string) => Promise.resolve(this.#findBy(model, 'uid', uid)),
      findByUserCode: (userCode: string) => Promise.resolve(this.#findBy(model, 'userCode', userCode)),
      consume: (id: string) => {
        const entry = find(id);
        if (entry) entry.consumed = Math.floor(Date.now() / 1000);
        return Promise.resolve();
      },
      destroy: (id: string) => {
        this.#entries.delete(key(id));
        return Promise.resolve();
      },
      revokeByGrantId: (grantId: string) => {
        for (const [k, entry] of this.#entries) if (entry.payload.grantId === grantId) this.#entries.delete(k);
        return Promise.resolve();
      },
    };
  };

  clear(): void {
    this.#entries.clear();
  }

  #read(key: string): Record<string, unknown> | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  #write(key: string, payload: Record<string, unknown>, expiresIn: number | undefined): void {
    this.#entries.set(key, { payload: { ...payload }, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY });
    if (++this.#writes % 200 === 0) {
      const now = Date.now();
      for (const [k, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(k);
    }
  }

  #findBy(model: string, field: string, value: string): Record<string, unknown> | undefined {
    for (const [k] of this.#entries) {
      if (!k.startsWith(`${model}:`)) continue;
      const payload = this.#read(k);
      if (payload?.[field] === value) return payload;
    }
    return undefined;
  }
}

/** Removes oidc-provider's session cookies (`_session`, `_session.sig`, ...) from a request. */
function dropSessionCookies(req: IncomingMessage): void {
  const header = req.headers.cookie;
  if (!header) return;
  const kept = header.split(';').filter((pair) => !/^\s*_session(\.|=)/.test(pair));
  if (kept.length) req.headers.cookie = kept.join(';');
  else delete req.headers.cookie;
}

/**
 * Creates the simulator for a server whose public URL is `publicBaseUrl`; `mount(app)` adds
 * its routes. Keys persist in `<dataDir>/simulator/oidc-jwks.json` (null: in memory), or with
 * `keys` in the database's `keys` table (`oidc-idp-jwks`, sealed; an `oidc-jwks.json` of
 * `keys.importFrom` is imported once).
 */
export async function createOidcSimulator(o: { publicBaseUrl: string; dataDir: string | null; keys?: KeyPairDatabase }): Promise<OidcSimulator> {
  const publicBaseUrl = o.publicBaseUrl.replace(/\/+$/, '');
  const publicUrl = new URL(publicBaseUrl);
  const issuer = `${publicBaseUrl}${OIDC_SIMULATOR_PATH}`;
  const issuerPath = new URL(issuer).pathname;
  const jwksFile = o.keys !== undefined || o.dataDir === null ? null : join(o.dataDir, 'simulator', 'oidc-jwks.json');
  const keys = await signingKeys(jwksFile, o.keys);

  const { default: Provider, interactionPolicy } = await importOidcProvider();

  const accounts = new Map<string, SimulatedAccount>();
  const remember = (accountId: string, account: SimulatedAccount) => {
    accounts.set(accountId, account);
    while (accounts.size > MAX_ACCOUNTS) {
      const oldest = accounts.keys().next().value;
      if (oldest === undefined) break;
      accounts.delete(oldest);
    }
  };

  // Every authorization request asks who signs in and how (a scenario per login), even with a session.
  const policy = interactionPolicy.base();
  const { Check } = interactionPolicy;
  policy.get('login')?.checks.add(
    new Check('simulator_every_login', 'The simulator asks for a user and a scenario on every login', (ctx) =>
      ctx.oidc.result?.login ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT,
    ),
  );

  const demoCallback = `${publicBaseUrl}/demo/login/callback`;
  const connectionCallback = new RegExp(`^${escapeRegExp(publicBaseUrl)}/oidc/[A-Za-z0-9_-]{1,100}/[A-Za-z0-9_-]{1,100}/callback$`);

  const storage = new MemoryStorage();
  const provider = new Provider(issuer, {
    adapter: storage.adapter,
    clients: [
      {
        client_id: SIMULATOR_OIDC_CLIENT.clientId,
        client_secret: SIMULATOR_OIDC_CLIENT.clientSecret,
        client_name: 'SSO portal (simulator)',
        redirect_uris: [demoCallback],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    responseTypes: ['code'],
    scopes: ['openid', 'email', 'profile', 'groups'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['given_name', 'family_name', 'groups'],
      groups: ['groups'],
    },
    pkce: { required: () => true },
    jwks: { keys },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      userinfo: { enabled: true },
    },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `${issuerPath}/interaction/${interaction.uid}`,
      policy,
    },
    findAccount: (_ctx: unknown, id: string) => {
      const account = accounts.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: () => ({ sub: id, ...account.claims }) };
    },
    clientBasedCORS: () => false,
    ttl: { AccessToken: 600, AuthorizationCode: 120, IdToken: 3600, Interaction: 1800, Session: 3600, Grant: 3600 },
    renderError: (ctx: ProviderContext, out: Record<string, unknown>) => {
      ctx.type = 'html';
      // oidc-provider's error code and description are protocol values for developers: shown as they are, in <code>.
      const text = [out.error, out.error_description].filter((v) => typeof v === 'string').join(': ');
      ctx.body = messagePage(issuerPath, pageMsg('The simulator could not go on'), text ? pageMsg('The OpenID Provider answered with this error:') : pageMsg('Something went wrong.'), text || undefined);
    },
  });
  // Endpoints are advertised under the public URL whatever the Host header says (see the bridge).
  provider.proxy = true;

  const scenarioOfCode = async (code: unknown): Promise<OidcScenario | undefined> => {
    if (typeof code !== 'string' || !code) return undefined;
    const stored = await provider.AuthorizationCode.find(code, { ignoreExpiration: true });
    return stored?.accountId ? accounts.get(stored.accountId)?.scenario : undefined;
  };

  // The client registers client_secret_basic; a client_secret in the body (client_secret_post) is accepted too.
  const clientProto = provider.Client.prototype;
  Object.defineProperty(clientProto, 'clientAuthMethod', {
    configurable: true,
    get(this: ClientPrototype) {
      const params = Provider.ctx?.oidc?.params;
      if (this.clientId === SIMULATOR_OIDC_CLIENT.clientId && typeof params?.client_secret === 'string') return 'client_secret_post';
      return this.tokenEndpointAuthMethod;
    },
  });
  // Redirect URIs: every connection's callback under the public URL, and the demo login's.
  const redirectUriAllowed = clientProto.redirectUriAllowed;
  clientProto.redirectUriAllowed = function (this: ClientPrototype, value: string) {
    if (this.clientId === SIMULATOR_OIDC_CLIENT.clientId && typeof value === 'string' && (value === demoCallback || connectionCallback.test(value))) return true;
    return redirectUriAllowed.call(this, value);
  };
  // wrong_client_secret: the token request for that login's code fails client authentication (401 invalid_client).
  const compareClientSecret = clientProto.compareClientSecret;
  clientProto.compareClientSecret = async function (this: ClientPrototype, actual: string) {
    const params = Provider.ctx?.oidc?.params;
    if (params?.grant_type === 'authorization_code' && (await scenarioOfCode(params.code)) === 'wrong_client_secret') return false;
    return compareClientSecret.call(this, actual);
  };
  // issuer_mismatch: the authorization response names another issuer (RFC 9207 `iss`).
  const wrongIssuer = `${publicBaseUrl}/simulator/other-oidc`;
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.status !== 302 && ctx.status !== 303) return;
    const location = ctx.response.get('location');
    if (!location || !location.includes('code=')) return;
    let url: URL;
    try {
      url = new URL(location);
    } catch {
      return;
    }
    if ((await scenarioOfCode(url.searchParams.get('code'))) !== 'issuer_mismatch') return;
    url.searchParams.set('iss', wrongIssuer);
    ctx.response.set('location', url.href);
  });
  const handle = provider.callback();

  /** Hands a request under /simulator/oidc to oidc-provider (Node req/res), prefix stripped, mount path kept in `originalUrl`. */
  const bridge = (c: Context): Response | Promise<Response> => {
    const node = nodeBindings(c);
    if (!node) return c.text('The OIDC simulator needs @hono/node-server.', 501);
    const { req, res } = node;
    const raw = req.url ?? '/';
    const query = raw.includes('?') ? raw.slice(raw.indexOf('?')) : '';
    const rest = c.req.path.slice(OIDC_SIMULATOR_PATH.length) || '/';
    // No login session carries over from one simulated login to the next: every login is a new
    // user, and oidc-provider would otherwise log the previous one out first (a scripted page).
    if (rest === '/auth' || rest.startsWith('/auth/')) dropSessionCookies(req);
    req.originalUrl = `${issuerPath}${rest}${query}`;
    req.url = `${rest}${query}`;
    req.headers['x-forwarded-proto'] = publicUrl.protocol.slice(0, -1);
    req.headers['x-forwarded-host'] = publicUrl.host;
    // oidc-provider's own answers (discovery, JWKS, error and form_post pages) get the pages'
    // CSP (frame-ancestors included) and nosniff; for form_post it adds its script's hash to script-src.
    for (const [name, value] of Object.entries(BRIDGE_HEADERS)) res.setHeader(name, value);
    return new Promise<Response>((resolve) => {
      const done = () => resolve(RESPONSE_ALREADY_SENT);
      res.once('finish', done);
      res.once('close', done);
      handle(req, res).catch(() => {
        if (!res.headersSent) {
          res.statusCode = 500;
          res.end();
        }
        done();
      });
    });
  };

  const html = (c: Context, body: string, status: 200 | 400 | 404 = 200) => {
    for (const [name, value] of Object.entries(PAGE_HEADERS)) c.header(name, value);
    return c.html(body, status);
  };

  const details = async (c: Context): Promise<{ details: InteractionDetails; req: IncomingMessage; res: ServerResponse } | Response> => {
    const node = nodeBindings(c);
    if (!node) return c.text('The OIDC simulator needs @hono/node-server.', 501);
    const uid = c.req.param('uid') ?? '';
    try {
      if (!UID_SHAPE.test(uid)) throw new Error('bad uid');
      const found = await provider.interactionDetails(node.req, node.res);
      if (found.uid !== uid) throw new Error('another interaction');
      return { details: found, req: node.req, res: node.res };
    } catch {
      return html(c, messagePage(issuerPath, pageMsg('This sign-in is over'), pageMsg('It expired, was already finished, or was started in another browser. Start a new test login.')), 400);
    }
  };

  let closed = false;
  return {
    issuer,
    jwksFile,
    mount<E extends Env>(app: Hono<E>, o: { userDomainFor?: (redirectUri: string) => string | undefined | Promise<string | undefined> } = {}) {
      // A sub-app mounted at OIDC_SIMULATOR_PATH (oidc-provider reads the request's own URL, unchanged by the mount).
      const simulator = new Hono<E>();
      simulator.get('/assets/oidc-simulator.css', async (c) => {
        c.header('content-type', 'text/css; charset=utf-8');
        c.header('x-content-type-options', 'nosniff');
        c.header('cache-control', 'no-cache');
        return c.body(await readFile(CSS_FILE, 'utf8'));
      });
      simulator.get('/interaction/:uid', async (c) => {
        const found = await details(c);
        if (found instanceof Response) return found;
        const { login_hint: loginHint, redirect_uri: redirectUri } = found.details.params;
        const domain = typeof redirectUri === 'string' ? await o.userDomainFor?.(redirectUri) : undefined;
        const user = { ...DEFAULT_SIMULATED_USER, email: simulatedEmail({ loginHint, domain }) };
        return html(c, interactionPage(issuerPath, found.details, user));
      });
      simulator.post('/interaction/:uid', async (c) => {
        const found = await details(c);
        if (found instanceof Response) return found;
        const form = await c.req.parseBody();
        const scenario = isOidcScenario(form.scenario) ? form.scenario : 'success';
        let result: Record<string, unknown>;
        if (form.action === 'deny' || scenario === 'access_denied') {
          result = { error: 'access_denied', error_description: 'The user denied access (OIDC simulator).' };
        } else {
          const accountId = `sim_${randomUUID().replaceAll('-', '')}`;
          remember(accountId, { scenario, claims: simulatedClaims(scenario, simulatedUserFromForm(form)) });
          const { params } = found.details;
          const grant = new provider.Grant({ accountId, clientId: String(params.client_id) });
          grant.addOIDCScope(typeof params.scope === 'string' ? params.scope : 'openid');
          const missingClaims = found.details.prompt.details.missingOIDCClaims;
          if (Array.isArray(missingClaims)) grant.addOIDCClaims(missingClaims.filter((v): v is string => typeof v === 'string'));
          result = { login: { accountId }, consent: { grantId: await grant.save() } };
        }
        const returnTo = await provider.interactionResult(found.req, found.res, result, { mergeWithLastSubmission: false });
        c.header('cache-control', 'no-store');
        return c.redirect(returnTo, 303);
      });
      simulator.all('/', bridge);
      simulator.all('/*', bridge);
      app.route(OIDC_SIMULATOR_PATH, simulator);
    },
    close() {
      if (!closed) {
        closed = true;
        accounts.clear();
        storage.clear();
      }
      return Promise.resolve();
    },
  };
}
