/// <reference types="node" />
// Database: none. It never opens one, so the PostgreSQL pass of the server suite leaves it out (scripts/server-tests.mjs).
// Real OIDC test logins: the relying party (src/server/oidc/relying-party.ts) against the OIDC
// simulator (src/server/simulator/oidc-idp.ts) mounted in a Hono app on 127.0.0.1, every
// scenario driven end to end like a browser (redirects by hand, cookies, the sign-in form).
// Run: node --import tsx --test test/server/oidc-login.test.ts
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import { listen, type Listening } from '../../src/server/listen.js';
import {
  assertReachableHost,
  completeOidcLogin,
  startOidcLogin,
  type OidcClientConfig,
  type OidcPending,
  type OidcValidation,
} from '../../src/server/oidc/relying-party.js';
import { pinnedNodeFetch, type PinnedFetch } from '../../src/server/safe-fetch.js';
import { OIDC_SCENARIOS, SIMULATOR_OIDC_CLIENT, createOidcSimulator, type OidcScenario } from '../../src/server/simulator/oidc-idp.js';

const MAPPING = { email: 'email', firstName: 'given_name', lastName: 'family_name', groups: 'groups' };

let server: Listening;
let origin: string;
let issuer: string;
let dataDir: string;
let closeSimulator: () => Promise<void>;
const callbacks: string[] = [];

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'oidc-login-'));
  // Listen first: the public URL (and so the issuer) needs the port.
  const ready: { app?: Hono } = {};
  server = await listen((request: Request, env: unknown) => (ready.app ? ready.app.fetch(request, env) : new Response('Starting', { status: 503 })), {
    hostname: '127.0.0.1',
    port: 0,
  });
  origin = server.origin;
  const simulator = await createOidcSimulator({ publicBaseUrl: origin, dataDir });
  issuer = simulator.issuer;
  closeSimulator = () => simulator.close();
  const app = new Hono();
  simulator.mount(app);
  // Keys with the simulator's key IDs but other key material (for the bad-signature test).
  app.get('/test/forged-jwks', async (c) => {
    const published = (await (await fetch(`${issuer}/jwks`)).json()) as { keys: { kid: string }[] };
    const forged = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' });
    return c.json({ keys: published.keys.map((k) => ({ ...forged, kid: k.kid, alg: 'RS256', use: 'sig' })) });
  });
  app.get('/oidc/:orgId/:connectionId/callback', (c) => {
    callbacks.push(c.req.url);
    return c.text('callback received');
  });
  ready.app = app;
});

after(async () => {
  await closeSimulator();
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

function rpClient(overrides: Partial<OidcClientConfig> = {}): OidcClientConfig {
  return {
    issuer,
    clientId: SIMULATOR_OIDC_CLIENT.clientId,
    clientSecret: SIMULATOR_OIDC_CLIENT.clientSecret,
    redirectUri: `${origin}/oidc/org_megacorp/conn_1/callback`,
    scopes: ['openid', 'email', 'profile', 'groups'],
    ...overrides,
  };
}

/** A browser's cookies, by name (paths ignored: every cookie here is for 127.0.0.1). */
class Jar {
  readonly cookies = new Map<string, string>();
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1] ?? '') < Date.now()));
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

interface Hop {
  status: number;
  url: string;
  text: string;
  headers: Headers;
}

/** Follows redirects by hand, carrying cookies, and stops at the relying party's callback (not fetched) or a page. */
async function browse(jar: Jar, url: string, stopAt: string, init: { method?: string; body?: URLSearchParams } = {}): Promise<Hop & { callback?: string }> {
  let next = url;
  let method = init.method ?? 'GET';
  let body: URLSearchParams | undefined = init.body;
  for (let hops = 0; hops < 10; hops++) {
    const response = await fetch(next, { method, body, redirect: 'manual', headers: { cookie: jar.header() } });
    jar.take(response);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      next = new URL(location, next).href;
      method = 'GET';
      body = undefined;
      await response.arrayBuffer();
      if (next.startsWith(stopAt)) return { status: response.status, url: next, text: '', headers: response.headers, callback: next };
      continue;
    }
    return { status: response.status, url: next, text: await response.text(), headers: response.headers };
  }
  throw new Error('too many redirects');
}

const unescape = (value: string) => value.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

interface Login {
  authUrl: URL;
  pending: OidcPending;
  page: Hop;
  callbackUrl: string;
  client: OidcClientConfig;
}

/** One login through the simulator's sign-in page, up to the callback URL the browser is sent to. */
async function login(
  scenario: OidcScenario,
  o: { client?: OidcClientConfig; jar?: Jar; action?: 'signin' | 'deny'; fields?: Record<string, string>; extraParams?: Record<string, string> } = {},
): Promise<Login> {
  const client = o.client ?? rpClient();
  const jar = o.jar ?? new Jar();
  const started = await startOidcLogin({ client, allowHttp: true });
  const authUrl = new URL(started.url);
  for (const [k, v] of Object.entries(o.extraParams ?? {})) authUrl.searchParams.set(k, v);
  const page = await browse(jar, authUrl.href, client.redirectUri);
  assert.equal(page.status, 200, page.text);
  assert.match(page.url, /\/simulator\/oidc\/interaction\/[A-Za-z0-9_-]+$/);
  const action = /<form method="post" action="([^"]+)"/.exec(page.text)?.[1];
  assert.ok(action, 'the sign-in form');
  const form = new URLSearchParams({
    email: 'ada@megacorp.example',
    given_name: 'Ada',
    family_name: 'Lovelace',
    groups: 'engineering, sso-admins',
    ...o.fields,
    scenario,
    action: o.action ?? 'signin',
  });
  const done = await browse(jar, new URL(unescape(action), origin).href, client.redirectUri, { method: 'POST', body: form });
  assert.ok(done.callback, `redirected to the callback (got ${done.status} ${done.text.slice(0, 300)})`);
  // The browser lands on the callback route.
  const landed = await fetch(done.callback, { redirect: 'manual' });
  assert.equal(landed.status, 200);
  assert.equal(await landed.text(), 'callback received');
  return { authUrl, pending: started.pending, page, callbackUrl: done.callback, client };
}

function complete(l: Login, overrides: Partial<Parameters<typeof completeOidcLogin>[0]> = {}): Promise<OidcValidation> {
  return completeOidcLogin({ client: l.client, callbackUrl: l.callbackUrl, pending: l.pending, attributeMapping: MAPPING, allowHttp: true, ...overrides });
}

/** Nothing secret in what would be stored and shown: no client secret, code, code verifier, state, nonce, or JWT. */
function assertNoSecrets(result: OidcValidation, l: Login, extra: string[] = []): void {
  const json = JSON.stringify(result);
  const code = new URL(l.callbackUrl).searchParams.get('code');
  for (const secret of [SIMULATOR_OIDC_CLIENT.clientSecret, l.pending.codeVerifier, l.pending.nonce, l.pending.state, ...(code ? [code] : []), ...extra]) {
    assert.ok(!json.includes(secret), `the result leaks ${secret.slice(0, 6)}…`);
  }
  assert.doesNotMatch(json, /eyJ[A-Za-z0-9_-]{10,}/, 'no JWT in the result');
}

function failure(result: OidcValidation): Extract<OidcValidation, { ok: false }> {
  if (result.ok) assert.fail(`expected a failure, got ${JSON.stringify(result)}`);
  return result;
}

describe('OIDC simulator: discovery and pages', () => {
  it('advertises its endpoints under the public URL, and both client authentication methods', async () => {
    const response = await fetch(`${issuer}/.well-known/openid-configuration`);
    assert.equal(response.status, 200);
    const discovery = (await response.json()) as Record<string, unknown>;
    assert.equal(discovery.issuer, `${origin}/simulator/oidc`);
    for (const key of ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'jwks_uri']) {
      assert.ok(String(discovery[key]).startsWith(`${origin}/simulator/oidc/`), `${key}: ${String(discovery[key])}`);
    }
    assert.equal(discovery.authorization_response_iss_parameter_supported, true);
    assert.deepEqual(discovery.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(discovery.token_endpoint_auth_methods_supported, ['client_secret_basic', 'client_secret_post']);
    for (const claim of ['email', 'email_verified', 'given_name', 'family_name', 'groups']) assert.ok((discovery.claims_supported as string[]).includes(claim), claim);
  });

  it('shows a labelled sign-in page with every scenario, under the CSP, values escaped', async () => {
    const jar = new Jar();
    const started = await startOidcLogin({ client: rpClient(), allowHttp: true });
    const url = new URL(started.url);
    url.searchParams.set('login_hint', '"><script>alert(1)</script>@megacorp.example');
    const page = await browse(jar, url.href, rpClient().redirectUri);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.ok(!page.text.includes('<script>'), 'the login hint is escaped');
    assert.ok(page.text.includes('&lt;script&gt;'));
    assert.doesNotMatch(page.text, /<script|<style|style=/, 'nothing inline');
    for (const name of ['email', 'given_name', 'family_name', 'groups']) assert.match(page.text, new RegExp(`<label for="${name}">[^<]+</label>\\s*<input id="${name}" name="${name}"`));
    assert.match(page.text, /<fieldset class="sim-scenarios">\s*<legend>Scenario<\/legend>/);
    for (const scenario of OIDC_SCENARIOS) {
      assert.match(page.text, new RegExp(`<input type="radio" name="scenario" id="scenario-${scenario.id}" value="${scenario.id}" aria-describedby="scenario-${scenario.id}-hint"`));
      assert.match(page.text, new RegExp(`<label for="scenario-${scenario.id}">`));
    }
    assert.match(page.text, /<button type="submit" name="action" value="signin">Sign in<\/button>/);
    assert.match(page.text, /<button type="submit" name="action" value="deny"[^>]*>Deny access<\/button>/);
    const css = await fetch(new URL(/<link rel="stylesheet" href="([^"]+)"/.exec(page.text)![1]!, origin));
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
  });

  it('refuses a redirect URI that is not a connection callback of this server', async () => {
    const client = rpClient({ redirectUri: `${origin}/elsewhere/callback` });
    const started = await startOidcLogin({ client, allowHttp: true });
    const response = await browse(new Jar(), started.url, client.redirectUri);
    assert.equal(response.callback, undefined);
    assert.equal(response.status, 400);
    assert.match(response.text, /redirect_uri/);
  });

  it('answers an unknown or finished interaction with a plain page', async () => {
    const response = await fetch(`${issuer}/interaction/nope`);
    assert.equal(response.status, 400);
    assert.match(await response.text(), /This sign-in is over/);
  });

  /** The headers every simulator answer carries: nothing inline runs, nothing is sniffed, no other site frames it. */
  const assertGuarded = (headers: Headers, what: string) => {
    const csp = headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/, `${what}: CSP`);
    assert.match(csp, /frame-ancestors 'self'(;|$)/, `${what}: frame-ancestors`);
    assert.match(csp, /object-src 'none'/, `${what}: object-src`);
    assert.equal(headers.get('x-content-type-options'), 'nosniff', `${what}: nosniff`);
  };

  it('oidc-provider’s own answers carry the CSP (frame-ancestors) and nosniff: discovery, JWKS, error pages', async () => {
    for (const path of ['/.well-known/openid-configuration', '/jwks']) {
      const response = await fetch(`${issuer}${path}`);
      await response.arrayBuffer();
      assert.equal(response.status, 200);
      assertGuarded(response.headers, path);
    }
    // oidc-provider's error page (renderError): an unknown client.
    const error = await fetch(`${issuer}/auth?client_id=nobody&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(`${origin}/x`)}`);
    assert.equal(error.status, 400);
    assert.match(error.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await error.text(), /The simulator could not go on/);
    assertGuarded(error.headers, 'error page');
  });

  it('response_mode=form_post still works under the CSP: oidc-provider adds its script’s hash to script-src', async () => {
    const jar = new Jar();
    const client = rpClient();
    const started = await startOidcLogin({ client, allowHttp: true });
    const url = new URL(started.url);
    url.searchParams.set('response_mode', 'form_post');
    const page = await browse(jar, url.href, client.redirectUri);
    assert.equal(page.status, 200, page.text);
    const action = /<form method="post" action="([^"]+)"/.exec(page.text)?.[1];
    assert.ok(action);
    const form = new URLSearchParams({ email: 'ada@megacorp.example', given_name: 'Ada', family_name: 'Lovelace', groups: '', scenario: 'success', action: 'signin' });
    const posted = await browse(jar, new URL(unescape(action), origin).href, client.redirectUri, { method: 'POST', body: form });
    assert.equal(posted.status, 200, posted.text.slice(0, 300));
    assert.match(posted.text, new RegExp(`<form method="post" action="${client.redirectUri.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}"`));
    assert.match(posted.text, /name="code"/);
    assertGuarded(posted.headers, 'form_post page');
    const scriptSrc = /script-src ([^;]+)/.exec(posted.headers.get('content-security-policy') ?? '')?.[1] ?? '';
    assert.match(scriptSrc, /'self'/);
    assert.match(scriptSrc, /'sha256-[A-Za-z0-9+/=]+'/, 'the auto-submit script is allowed by its hash, nothing else inline');
    assert.doesNotMatch(scriptSrc, /unsafe-inline/);
  });
});

describe('OIDC test logins through the simulator', () => {
  it('success: profile and claims, with PKCE (S256), state and nonce', async () => {
    const l = await login('success');
    assert.equal(l.authUrl.searchParams.get('response_type'), 'code');
    assert.equal(l.authUrl.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(l.authUrl.searchParams.get('code_challenge'), createHash('sha256').update(l.pending.codeVerifier).digest('base64url'));
    assert.equal(l.authUrl.searchParams.get('state'), l.pending.state);
    assert.equal(l.authUrl.searchParams.get('nonce'), l.pending.nonce);
    assert.equal(l.authUrl.searchParams.get('redirect_uri'), l.client.redirectUri);
    assert.equal(new URL(l.callbackUrl).searchParams.get('iss'), issuer);

    const result = await complete(l);
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(result.profile?.email, 'ada@megacorp.example');
    assert.equal(result.profile?.firstName, 'Ada');
    assert.equal(result.profile?.lastName, 'Lovelace');
    assert.deepEqual(result.profile?.groups, ['engineering', 'sso-admins']);
    assert.match(result.profile?.subject ?? '', /^sim_/);
    assert.deepEqual(result.rawAttributes.email, ['ada@megacorp.example']);
    assert.deepEqual(result.rawAttributes.email_verified, ['true']);
    assert.deepEqual(result.rawAttributes.groups, ['engineering', 'sso-admins']);
    assert.deepEqual(result.rawAttributes.iss, [issuer]);
    assert.deepEqual(result.rawAttributes.aud, [SIMULATOR_OIDC_CLIENT.clientId]);
    assert.equal(result.rawAttributes.nonce, undefined);
    assert.equal(result.rawAttributes.at_hash, undefined);
    assertNoSecrets(result, l);
  });

  it('calls the userinfo endpoint with the access token after the code exchange', async () => {
    const l = await login('success');
    const asked: string[] = [];
    const connect: PinnedFetch = (request) => {
      asked.push(request.url.pathname);
      return pinnedNodeFetch(request);
    };
    assert.equal((await complete(l, { connect })).ok, true);
    const path = new URL(issuer).pathname;
    assert.ok(asked.includes(`${path}/token`), asked.join(', '));
    assert.ok(asked.includes(`${path}/me`), `userinfo was not called: ${asked.join(', ')}`);
    assert.ok(asked.indexOf(`${path}/token`) < asked.indexOf(`${path}/me`));
  });

  it('takes the values typed on the sign-in page, and asks again on the next login in the same browser', async () => {
    const jar = new Jar();
    await login('success', { jar });
    const l = await login('success', { jar, fields: { email: 'grace@megacorp.example', given_name: 'Grace', family_name: 'Hopper', groups: '' } });
    const result = await complete(l);
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.deepEqual(result.profile && { email: result.profile.email, firstName: result.profile.firstName, lastName: result.profile.lastName, groups: result.profile.groups }, {
      email: 'grace@megacorp.example',
      firstName: 'Grace',
      lastName: 'Hopper',
      groups: undefined,
    });
  });

  it('sends login_hint when given, and the sign-in page prefills that email', async () => {
    const started = await startOidcLogin({ client: rpClient(), allowHttp: true, loginHint: 'zoe@alpha.example' });
    assert.equal(new URL(started.url).searchParams.get('login_hint'), 'zoe@alpha.example');
    const page = await browse(new Jar(), started.url, rpClient().redirectUri);
    assert.match(page.text, /<input id="email" name="email" type="email" value="zoe@alpha\.example"/);
    const plain = await startOidcLogin({ client: rpClient(), allowHttp: true });
    assert.equal(new URL(plain.url).searchParams.has('login_hint'), false);
  });

  it('access_denied scenario -> user_denied', async () => {
    const l = await login('access_denied');
    const result = failure(await complete(l));
    assert.equal(result.error.code, 'user_denied');
    assert.equal(result.error.details?.oidcError, 'access_denied');
    assert.ok(result.error.message && result.error.remedy);
    assert.equal(result.profile, null);
    assertNoSecrets(result, l);
  });

  it('"Deny access" -> user_denied', async () => {
    const l = await login('success', { action: 'deny' });
    assert.equal(failure(await complete(l)).error.code, 'user_denied');
  });

  it('wrong_client_secret scenario -> oidc_invalid_client (401 at the token endpoint)', async () => {
    const l = await login('wrong_client_secret');
    const result = failure(await complete(l));
    assert.equal(result.error.code, 'oidc_invalid_client');
    assert.deepEqual(
      { clientId: result.error.details?.clientId, tokenEndpoint: result.error.details?.tokenEndpoint, oidcError: result.error.details?.oidcError },
      { clientId: SIMULATOR_OIDC_CLIENT.clientId, tokenEndpoint: `${issuer}/token`, oidcError: 'invalid_client' },
    );
    assertNoSecrets(result, l);
  });

  it('a really wrong client secret on the relying party -> oidc_invalid_client', async () => {
    const wrongSecret = 'wrong-secret-0123456789abcdef';
    const l = await login('success', { client: rpClient({ clientSecret: wrongSecret }) });
    const result = failure(await complete(l));
    assert.equal(result.error.code, 'oidc_invalid_client');
    assert.equal(result.error.details?.clientId, SIMULATOR_OIDC_CLIENT.clientId);
    assertNoSecrets(result, l, [wrongSecret]);
  });

  it('issuer_mismatch scenario -> oidc_issuer_mismatch', async () => {
    const l = await login('issuer_mismatch');
    const result = failure(await complete(l));
    assert.equal(result.error.code, 'oidc_issuer_mismatch');
    assert.equal(result.error.details?.expectedIssuer, issuer);
    assert.equal(result.error.details?.receivedIssuer, `${origin}/simulator/other-oidc`);
    assertNoSecrets(result, l);
  });

  it('missing_email scenario -> missing_email, with the profile and claims that did arrive', async () => {
    const l = await login('missing_email');
    const result = failure(await complete(l));
    assert.equal(result.error.code, 'missing_email');
    assert.equal(result.error.details?.expectedAttribute, 'email');
    const names = result.error.details?.receivedAttributeNames as string[];
    assert.ok(names.includes('given_name') && names.includes('sub'));
    assert.ok(!names.includes('email') && !names.includes('email_verified'));
    assert.equal(result.profile?.firstName, 'Ada');
    assert.equal(result.profile?.email, undefined);
    assert.deepEqual(result.rawAttributes.family_name, ['Lovelace']);
    assertNoSecrets(result, l);
  });

  it('email_unverified scenario -> email_unverified (claim absent)', async () => {
    const l = await login('email_unverified');
    const result = failure(await complete(l));
    assert.equal(result.error.code, 'email_unverified');
    assert.equal(result.error.details?.emailVerified, 'absent');
    assert.equal(result.profile?.email, 'ada@megacorp.example');
    assert.equal(result.rawAttributes.email_verified, undefined);
  });

  it('a tampered state -> request_mismatch', async () => {
    const l = await login('success');
    const tampered = new URL(l.callbackUrl);
    tampered.searchParams.set('state', 'not-the-state');
    const result = failure(await complete(l, { callbackUrl: tampered.href }));
    assert.equal(result.error.code, 'request_mismatch');
    assertNoSecrets(result, l);
  });

  it('checks the nonce (another login’s nonce -> request_mismatch) and PKCE (another verifier -> refused)', async () => {
    const a = await login('success');
    const wrongNonce = failure(await complete(a, { pending: { ...a.pending, nonce: 'another-nonce-0123456789' } }));
    assert.equal(wrongNonce.error.code, 'request_mismatch');
    const b = await login('success');
    const wrongVerifier = failure(await complete(b, { pending: { ...b.pending, codeVerifier: 'x'.repeat(43) } }));
    assert.equal(wrongVerifier.error.code, 'idp_error');
    assert.equal(wrongVerifier.error.details?.oidcError, 'invalid_grant');
    assertNoSecrets(wrongVerifier, b, ['x'.repeat(43)]);
  });

  it('an ID token that expired before it arrived -> assertion_expired', async () => {
    const l = await login('success');
    const result = failure(await complete(l, { now: new Date(Date.now() + 3 * 3600_000) }));
    assert.equal(result.error.code, 'assertion_expired');
    assert.ok(typeof result.error.details?.notOnOrAfter === 'string');
    assert.ok(typeof result.error.details?.serverTime === 'string');
  });

  it('an ID token signed with a key the issuer does not publish -> signature_invalid', async () => {
    const l = await login('success');
    // Discovery as served, but the JWKS is another key under the same key ID.
    const fetchJson = async (url: string) => ({ ...((await (await fetch(url)).json()) as object), jwks_uri: `${origin}/test/forged-jwks` });
    const result = failure(await complete(l, { fetchJson }));
    assert.equal(result.error.code, 'signature_invalid');
    assertNoSecrets(result, l);
  });

  it('the simulator also accepts client_secret_post at its token endpoint', async () => {
    const l = await login('success');
    const response = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: new URL(l.callbackUrl).searchParams.get('code')!,
        redirect_uri: l.client.redirectUri,
        code_verifier: l.pending.codeVerifier,
        client_id: SIMULATOR_OIDC_CLIENT.clientId,
        client_secret: SIMULATOR_OIDC_CLIENT.clientSecret,
      }),
    });
    assert.equal(response.status, 200, await response.clone().text());
    const tokens = (await response.json()) as Record<string, unknown>;
    assert.equal(typeof tokens.id_token, 'string');
    assert.equal(tokens.token_type, 'Bearer');
  });

  it('an error other than access_denied -> idp_error with the OAuth error', async () => {
    const l = await login('success');
    const url = new URL(l.client.redirectUri);
    url.search = new URLSearchParams({ error: 'server_error', error_description: 'Boom', state: l.pending.state, iss: issuer }).toString();
    const result = failure(await complete(l, { callbackUrl: url.href }));
    assert.equal(result.error.code, 'idp_error');
    assert.deepEqual(result.error.details, { oidcError: 'server_error', oidcErrorDescription: 'Boom' });
  });

  it('discovers through fetchJson when given', async () => {
    const asked: string[] = [];
    const fetchJson = async (url: string) => {
      asked.push(url);
      return (await fetch(url)).json();
    };
    const started = await startOidcLogin({ client: rpClient(), allowHttp: true, fetchJson });
    assert.deepEqual(asked, [`${issuer}/.well-known/openid-configuration`]);
    assert.ok(started.url.startsWith(`${issuer}/auth?`));
  });

  it('refuses a plain-http issuer unless allowHttp is set', async () => {
    await assert.rejects(startOidcLogin({ client: rpClient() }), /https/);
    const l = await login('success');
    const result = failure(await completeOidcLogin({ client: l.client, callbackUrl: l.callbackUrl, pending: l.pending, attributeMapping: MAPPING }));
    assert.equal(result.error.code, 'idp_error');
  });

  it('every scenario has a distinct expected code', () => {
    assert.deepEqual(
      OIDC_SCENARIOS.map((s) => [s.id, s.expectedCode]),
      [
        ['success', null],
        ['access_denied', 'user_denied'],
        ['wrong_client_secret', 'oidc_invalid_client'],
        ['issuer_mismatch', 'oidc_issuer_mismatch'],
        ['missing_email', 'missing_email'],
        ['email_unverified', 'email_unverified'],
      ],
    );
  });
});

describe('OIDC simulator signing keys', () => {
  it('are kept in <dataDir>/simulator/oidc-jwks.json (mode 0600) and reused by the next instance', async () => {
    const file = join(dataDir, 'simulator', 'oidc-jwks.json');
    const info = await stat(file);
    assert.equal(info.mode & 0o777, 0o600);
    const before = await readFile(file, 'utf8');
    const stored = JSON.parse(before) as { keys: { kid: string; d?: string }[] };
    assert.ok(stored.keys[0]?.d, 'the private key');
    // The running instance publishes the stored key (public part only).
    const jwks = (await (await fetch(`${issuer}/jwks`)).json()) as { keys: { kid: string; d?: string }[] };
    assert.deepEqual(jwks.keys.map((k) => k.kid), stored.keys.map((k) => k.kid));
    assert.ok(jwks.keys.every((k) => k.d === undefined));

    const second = await createOidcSimulator({ publicBaseUrl: origin, dataDir });
    assert.equal(second.jwksFile, file);
    assert.equal(await readFile(file, 'utf8'), before);
    await second.close();

    const memory = await createOidcSimulator({ publicBaseUrl: origin, dataDir: null });
    assert.equal(memory.jwksFile, null);
    await memory.close();
  });
});

describe('OIDC relying party: the SSRF guard on back-channel requests', () => {
  it('refuses private, link-local and (outside development) loopback addresses; checks every address of a name', async () => {
    const refused = async (hostname: string, allowLoopback: boolean, addresses?: string[]) => {
      const resolveHost = addresses ? () => Promise.resolve(addresses) : undefined;
      await assert.rejects(assertReachableHost(hostname, { allowLoopback, resolveHost }), /Refusing to connect/);
    };
    await refused('10.0.0.5', false);
    await refused('[::1]', false);
    await refused('idp.internal.test', false, ['169.254.169.254']);
    await refused('idp.mixed.test', false, ['93.184.216.34', '192.168.1.10']);
    // A name that really resolves to loopback (no packet leaves the machine).
    await refused('localhost', false);
    await assertReachableHost('localhost', { allowLoopback: true });
    await assertReachableHost('idp.public.test', { allowLoopback: false, resolveHost: () => Promise.resolve(['93.184.216.34']) });
  });

  it('token, JWKS and userinfo requests connect to the addresses the guard checked, and resolve each name once (no DNS rebinding)', async () => {
    const l = await login('success');
    // The simulator's endpoints under a host name ("localhost", which resolves to loopback; the
    // resolver below answers for it, so no DNS query is made).
    const document = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    const named = Object.fromEntries(
      Object.entries(document).map(([k, v]) => [k, k !== 'issuer' && typeof v === 'string' ? v.replace(origin, origin.replace('127.0.0.1', 'localhost')) : v]),
    );
    const resolved: string[] = [];
    const connected: { hostname: string; addresses: string[]; path: string; method: string }[] = [];
    const result = await complete(l, {
      fetchJson: () => Promise.resolve(named),
      resolveHost: (hostname) => {
        resolved.push(hostname);
        return Promise.resolve(['127.0.0.1']);
      },
      connect: (request) => {
        connected.push({ hostname: request.hostname, addresses: request.addresses.map((a) => a.address), path: request.url.pathname, method: request.method ?? 'GET' });
        return pinnedNodeFetch(request);
      },
    });
    assert.equal(result.ok, true, JSON.stringify(!result.ok && result.error));
    const path = new URL(issuer).pathname;
    assert.deepEqual(
      connected.map((r) => `${r.method} ${r.path}`).sort(),
      [`POST ${path}/token`, `GET ${path}/jwks`, `GET ${path}/me`].sort(),
    );
    for (const request of connected) {
      assert.equal(request.hostname, 'localhost');
      assert.deepEqual(request.addresses, ['127.0.0.1'], 'connected to the vetted address');
    }
    assert.deepEqual(resolved, connected.map(() => 'localhost'), 'one lookup per request, the one the guard checked');
  });

  it('a name whose answer changes to a private address after the first check is refused before connecting there', async () => {
    const l = await login('success');
    const document = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    const named = Object.fromEntries(
      Object.entries(document).map(([k, v]) => [k, k !== 'issuer' && typeof v === 'string' ? v.replace(origin, origin.replace('127.0.0.1', 'localhost')) : v]),
    );
    let lookups = 0;
    const connected: string[][] = [];
    const result = await complete(l, {
      fetchJson: () => Promise.resolve(named),
      // Rebinding: loopback for the first lookup, a private address afterwards.
      resolveHost: () => Promise.resolve(++lookups === 1 ? ['127.0.0.1'] : ['10.0.0.1']),
      connect: (request) => {
        connected.push(request.addresses.map((a) => a.address));
        return pinnedNodeFetch(request);
      },
    });
    assert.equal(result.ok, false);
    assert.deepEqual(connected, [['127.0.0.1']], 'only the vetted address was ever connected to');
  });

  it('a discovery document pointing the token endpoint at a private address fails the login before any connection', async () => {
    const issuer = 'https://idp.example.test';
    const asked: string[] = [];
    const result = await completeOidcLogin({
      client: { issuer, clientId: 'client', clientSecret: 'secret', redirectUri: 'https://sp.example.test/callback', scopes: ['openid', 'email'] },
      callbackUrl: 'https://sp.example.test/callback?code=abc&state=state-1',
      pending: { state: 'state-1', nonce: 'nonce-1', codeVerifier: 'verifier-verifier-verifier-verifier-verifier-1' },
      attributeMapping: { email: 'email' },
      fetchJson: () =>
        Promise.resolve({
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: 'https://metadata.internal.test/token',
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
        }),
      resolveHost: (hostname) => {
        asked.push(hostname);
        return Promise.resolve(['169.254.169.254']);
      },
    });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.code, 'idp_error');
    assert.deepEqual(asked, ['metadata.internal.test'], 'the guard ran, and nothing was fetched');
  });
});
