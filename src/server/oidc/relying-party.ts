/// <reference types="node" />
/**
 * The server as OpenID Connect relying party for real test logins: authorization code flow with
 * PKCE (S256), `state` and `nonce` ({@link startOidcLogin}), then the callback, the code
 * exchange, the ID token checks and userinfo ({@link completeOidcLogin}), with every failure
 * turned into a `TestError` an admin can act on (codes of `core/test-failures.ts`, detail keys
 * of `core/test-diagnosis.ts`).
 *
 * Built on openid-client 6. Plain http is accepted only when `allowHttp` is set AND the issuer
 * is a loopback host (the IdP simulator, a local Keycloak). Tokens, codes, the client secret
 * and the PKCE code verifier never appear in a result.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import * as client from 'openid-client';
import { PortalError } from '../../core/errors.js';
import type { ReceivedProfile, TestError } from '../../core/model.js';
import { isLoopbackHostname } from '../../core/loopback.js';
import { discoveryUrlFor } from '../../core/oidc-discovery.js';
import { isForbiddenAddress } from '../address-policy.js';
import { pinnedNodeFetch, type PinnedFetch, type ResolvedAddress } from '../safe-fetch.js';
import { TEST_FAILURES, type TestFailureCode } from '../../core/test-failures.js';
import type { TraceCheck, TraceRecorder } from '../../core/login-trace.js';

export interface OidcClientConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scopes: string[];
}

/** What the server keeps between the start of a login and its callback (never sent to the browser). */
export interface OidcPending {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/**
 * Reads a JSON document from a URL, e.g. the server's SSRF-guarded fetcher:
 * `(url, signal) => fetchDocument(url, 'oidc-discovery', signal).then(JSON.parse)`.
 */
export type FetchJson = (url: string, signal?: AbortSignal) => Promise<unknown>;

export interface OidcDiscoveryOptions {
  client: OidcClientConfig;
  /** Accept a plain-http issuer, and only on a loopback host (development). */
  allowHttp?: boolean;
  /** Reads the discovery document (default: openid-client's own fetch). */
  fetchJson?: FetchJson;
  /** Seconds for each request to the IdP (default 10). */
  timeoutSeconds?: number;
  /** The addresses a host name resolves to (default `node:dns` lookup): the SSRF guard checks each. */
  resolveHost?: ResolveHost;
  /** Connects to the vetted addresses (default `pinnedNodeFetch` of `safe-fetch.ts`; tests spy on it). */
  connect?: PinnedFetch;
}

/** A host name's addresses, for the SSRF guard. */
export type ResolveHost = (hostname: string) => Promise<string[]>;

const systemResolve: ResolveHost = async (hostname) => (await lookup(hostname, { all: true })).map((a) => a.address);

/**
 * The addresses of a back-channel host (token, JWKS, userinfo, discovery), each checked: refuses
 * private, link-local, metadata and other special ranges; loopback only with `allowLoopback`
 * (development). The endpoints come from a discovery document an admin pointed us to. The
 * request then connects to these addresses only ({@link pinnedWebFetch}).
 */
async function vettedAddresses(hostname: string, o: { allowLoopback: boolean; resolveHost?: ResolveHost }): Promise<ResolvedAddress[]> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(bare) ? [bare] : await (o.resolveHost ?? systemResolve)(bare);
  if (addresses.length === 0) throw new TypeError(`${hostname} has no address.`);
  for (const address of addresses) {
    const verdict = isForbiddenAddress(address, { allowLoopback: o.allowLoopback });
    if (verdict.forbidden) throw new TypeError(`Refusing to connect to ${hostname} (${address}): ${verdict.reason ?? 'special'} address.`);
  }
  return addresses.map((address) => ({ address, family: isIP(address) === 6 ? 6 : 4 }));
}

/** Throws (TypeError) when a back-channel host resolves to an address the server must not reach. */
export async function assertReachableHost(hostname: string, o: { allowLoopback: boolean; resolveHost?: ResolveHost }): Promise<void> {
  await vettedAddresses(hostname, o);
}

/** The most a back-channel answer (token, JWKS, userinfo, discovery) may weigh. */
const MAX_BACKCHANNEL_BYTES = 1024 * 1024;
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * A `fetch` for openid-client that connects to `addresses` (vetted) and nowhere else: the host
 * name is not resolved a second time, so a DNS answer that changes after the check (rebinding)
 * is never used. No redirects are followed (openid-client asks for `redirect: 'manual'`).
 */
async function pinnedWebFetch(connect: PinnedFetch, url: URL, addresses: ResolvedAddress[], init: client.CustomFetchOptions): Promise<Response> {
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, name) => (headers[name] = value));
  let body: string | Uint8Array | undefined;
  if (init.body instanceof URLSearchParams) {
    body = init.body.toString();
    headers['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8';
  } else if (typeof init.body === 'string' || init.body instanceof Uint8Array) {
    body = init.body;
  } else if (init.body instanceof ArrayBuffer) {
    body = new Uint8Array(init.body);
  } else if (init.body !== undefined && init.body !== null) {
    throw new TypeError('A streamed request body is not supported here.');
  }
  headers.host = url.host;
  if (body !== undefined) headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
  const signal = init.signal ?? AbortSignal.timeout(DEFAULT_TIMEOUT_SECONDS * 1000);
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const answer = await connect({ url, hostname, addresses, headers, signal, method: init.method, body });
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of answer.body) {
      total += chunk.byteLength;
      if (total > MAX_BACKCHANNEL_BYTES) throw new TypeError(`The answer of ${url.origin} is larger than ${MAX_BACKCHANNEL_BYTES} bytes.`);
      chunks.push(chunk);
    }
  } catch (error) {
    answer.discard();
    throw error;
  }
  const responseHeaders = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) responseHeaders.append(name, item);
  }
  return new Response(NULL_BODY_STATUSES.has(answer.status) ? null : Buffer.concat(chunks), { status: answer.status, headers: responseHeaders });
}

export type OidcValidation =
  | { ok: true; profile: ReceivedProfile; rawAttributes: Record<string, string[]> }
  | { ok: false; error: TestError; profile: ReceivedProfile | null; rawAttributes: Record<string, string[]> };

export interface OidcAttributeMapping {
  email: string;
  firstName?: string;
  lastName?: string;
  groups?: string;
}

const DEFAULT_TIMEOUT_SECONDS = 10;

/** ID token claims about the protocol that carry (hashes of) tokens or one-time values: never reported. */
const HIDDEN_CLAIMS = new Set(['nonce', 'at_hash', 'c_hash', 's_hash', 'rt_hash', 'sid']);

function testError(code: TestFailureCode, details?: Record<string, unknown>): TestError {
  const { message, remedy } = TEST_FAILURES[code];
  return details ? { code, message, remedy, details } : { code, message, remedy };
}

function normalizeIssuer(issuer: string): URL {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new TypeError(`The issuer is not a URL: ${issuer}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`The issuer must be an https URL: ${issuer}`);
  // OpenID Connect Discovery: an issuer has no query or fragment (its discovery URL would be inside them).
  if (url.search || url.hash || issuer.includes('?') || issuer.includes('#')) {
    throw new TypeError(`The issuer must not have a query (?…) or a fragment (#…): ${issuer}. Enter the issuer alone, as the identity provider publishes it.`);
  }
  return url;
}

/** Whether plain http may be used for this issuer: only when allowed, and only on loopback. */
function insecureAllowed(issuer: URL, allowHttp: boolean | undefined): boolean {
  if (issuer.protocol === 'https:') return false;
  if (allowHttp && isLoopbackHostname(issuer.hostname)) return true;
  throw new TypeError(`The issuer must use https (plain http only for a loopback issuer in development): ${issuer.href}`);
}

/** Client authentication per discovery: `client_secret_basic` unless only `_post` is offered. */
function clientAuthFor(metadata: client.ServerMetadata, secret: string): client.ClientAuth {
  const methods = metadata.token_endpoint_auth_methods_supported;
  if (Array.isArray(methods) && !methods.includes('client_secret_basic') && methods.includes('client_secret_post')) {
    return client.ClientSecretPost(secret);
  }
  return client.ClientSecretBasic(secret);
}

/** Discovers the issuer and builds the openid-client configuration (ID token signatures checked against the JWKS). */
async function configure(o: OidcDiscoveryOptions & { now?: Date }): Promise<client.Configuration> {
  const issuer = normalizeIssuer(o.client.issuer);
  const insecure = insecureAllowed(issuer, o.allowHttp);
  const timeout = o.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  // Every request to the IdP (discovery without fetchJson, token, JWKS, userinfo) goes where the
  // discovery document says: plain http stays on loopback, no endpoint may lead to a private or
  // special address, and the connection goes to the addresses that were checked (no rebinding).
  const guardedFetch: client.CustomFetch = async (url, options) => {
    const target = new URL(url);
    if (target.protocol !== 'https:' && !(insecure && isLoopbackHostname(target.hostname))) {
      throw new TypeError(`Refusing plain http to a host that is not loopback: ${target.origin}`);
    }
    const addresses = await vettedAddresses(target.hostname, { allowLoopback: insecure, resolveHost: o.resolveHost });
    return pinnedWebFetch(o.connect ?? pinnedNodeFetch, target, addresses, options);
  };
  const clientMetadata: Partial<client.ClientMetadata> = {};
  // openid-client adds the skew to its clock: this is how `now` is injected.
  if (o.now) clientMetadata[client.clockSkew] = Math.round((o.now.getTime() - Date.now()) / 1000);
  let config: client.Configuration;
  if (o.fetchJson) {
    const target = discoveryUrlFor(o.client.issuer);
    if (!target.ok) throw new TypeError(target.error.message);
    const wellKnown = target.discoveryUrl;
    const document = await o.fetchJson(wellKnown, AbortSignal.timeout(timeout * 1000));
    if (!document || typeof document !== 'object' || Array.isArray(document)) throw new TypeError('The discovery document is not a JSON object.');
    const metadata = document as client.ServerMetadata;
    if (metadata.issuer !== o.client.issuer) {
      throw new TypeError(`The discovery document names the issuer ${String(metadata.issuer)}, not ${o.client.issuer}.`);
    }
    config = new client.Configuration(metadata, o.client.clientId, clientMetadata, clientAuthFor(metadata, o.client.clientSecret));
    config.timeout = timeout;
  } else {
    const discovered = await client.discovery(issuer, o.client.clientId, undefined, undefined, {
      execute: insecure ? [client.allowInsecureRequests] : [],
      timeout,
      [client.customFetch]: guardedFetch,
    });
    const metadata = discovered.serverMetadata();
    config = new client.Configuration(metadata, o.client.clientId, clientMetadata, clientAuthFor(metadata, o.client.clientSecret));
    config.timeout = timeout;
  }
  if (insecure) client.allowInsecureRequests(config);
  config[client.customFetch] = guardedFetch;
  client.enableNonRepudiationChecks(config);
  return config;
}

/**
 * Discovers the issuer (through `fetchJson` when given, so the server's SSRF-guarded fetcher
 * can be used; http allowed only for loopback issuers) and builds the authorization URL: code
 * flow, PKCE S256, state, nonce. Throws when the issuer cannot be discovered.
 */
export async function startOidcLogin(
  o: OidcDiscoveryOptions & {
    /** The `state` to send (default: random). It must be unguessable, e.g. the pending login's random key. */
    state?: string;
    /** The email the user already typed (sent as `login_hint`, so the IdP can prefill it). */
    loginHint?: string;
  },
): Promise<{ url: string; pending: OidcPending }> {
  const config = await configure(o);
  const pending: OidcPending = { state: o.state ?? client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier() };
  const url = client.buildAuthorizationUrl(config, {
    response_type: 'code',
    redirect_uri: o.client.redirectUri,
    scope: [...new Set(['openid', ...o.client.scopes])].join(' '),
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
    code_challenge_method: 'S256',
    ...(o.loginHint ? { login_hint: o.loginHint } : {}),
  });
  return { url: url.href, pending };
}

// ---------------------------------------------------------------------------------------
// Claims

/** Claims as lists of strings (the `rawAttributes` of a test result), protocol one-time values left out. */
function claimsAsStrings(claims: Record<string, unknown>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (HIDDEN_CLAIMS.has(name) || value === undefined || value === null) continue;
    const values = Array.isArray(value) ? value : [value];
    out[name] = values
      .filter((v) => v !== undefined && v !== null)
      .map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v as string | number | boolean)));
  }
  return out;
}

function first(raw: Record<string, string[]>, name: string | undefined): string | undefined {
  if (!name) return undefined;
  const value = raw[name]?.[0]?.trim();
  return value ? value : undefined;
}

function profileFrom(raw: Record<string, string[]>, mapping: OidcAttributeMapping): ReceivedProfile {
  const profile: ReceivedProfile = {};
  const email = first(raw, mapping.email);
  if (email) profile.email = email;
  const firstName = first(raw, mapping.firstName);
  if (firstName) profile.firstName = firstName;
  const lastName = first(raw, mapping.lastName);
  if (lastName) profile.lastName = lastName;
  const groups = mapping.groups ? raw[mapping.groups]?.map((g) => g.trim()).filter(Boolean) : undefined;
  if (groups?.length) profile.groups = groups;
  const subject = first(raw, 'sub');
  if (subject) profile.subject = subject;
  return profile;
}

// ---------------------------------------------------------------------------------------
// Errors from openid-client

const iso = (seconds: unknown): string | undefined =>
  typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : undefined;

function stringOrList(value: unknown): string | string[] | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return undefined;
}

function withoutUndefined(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined));
}

interface ErrorContext {
  config: OidcClientConfig;
  tokenEndpoint: string | undefined;
  stage: 'token' | 'userinfo';
}

/** Turns an openid-client failure into a TestError; nothing secret is copied. */
function classify(error: unknown, ctx: ErrorContext): TestError {
  const invalidClient = (oidcError: string | undefined, oidcErrorDescription: string | undefined) =>
    testError('oidc_invalid_client', withoutUndefined({ clientId: ctx.config.clientId, tokenEndpoint: ctx.tokenEndpoint, oidcError, oidcErrorDescription }));

  if (error instanceof client.WWWAuthenticateChallengeError) {
    const parameters = error.cause[0]?.parameters;
    if (ctx.stage === 'token' && (error.status === 401 || parameters?.error === 'invalid_client')) {
      return invalidClient(parameters?.error ?? 'invalid_client', parameters?.error_description);
    }
    return testError('idp_error', withoutUndefined({ oidcError: parameters?.error, oidcErrorDescription: parameters?.error_description, reason: `The ${ctx.stage} endpoint answered HTTP ${error.status}.` }));
  }
  if (error instanceof client.ResponseBodyError) {
    if (ctx.stage === 'token' && (error.status === 401 || error.error === 'invalid_client')) return invalidClient(error.error, error.error_description);
    return testError('idp_error', withoutUndefined({ oidcError: error.error, oidcErrorDescription: error.error_description, reason: `The ${ctx.stage} endpoint answered HTTP ${error.status}.` }));
  }
  if (error instanceof client.AuthorizationResponseError) {
    return testError(error.error === 'access_denied' ? 'user_denied' : 'idp_error', withoutUndefined({ oidcError: error.error, oidcErrorDescription: error.error_description }));
  }
  if (error instanceof client.ClientError || (error instanceof Error && typeof (error as { code?: unknown }).code === 'string')) {
    const code = (error as { code?: string }).code;
    // openid-client wraps oauth4webapi's error, which carries the details (claims, claim, now, tolerance).
    const inner = error.cause instanceof Error ? error.cause : undefined;
    const cause = ((inner ? inner.cause : error.cause) ?? {}) as Record<string, unknown>;
    const detail = inner?.message ?? error.message;
    const claims = (cause.claims ?? {}) as Record<string, unknown>;
    if (code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED') {
      const now = typeof cause.now === 'number' ? cause.now : undefined;
      const times = withoutUndefined({ issueInstant: iso(claims.iat), notBefore: iso(claims.nbf), notOnOrAfter: iso(claims.exp), serverTime: iso(now), allowedSkewSeconds: cause.tolerance });
      return testError(cause.claim === 'nbf' ? 'assertion_not_yet_valid' : 'assertion_expired', times);
    }
    if (code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED') {
      if (cause.claim === 'iss') return testError('oidc_issuer_mismatch', withoutUndefined({ expectedIssuer: ctx.config.issuer, receivedIssuer: stringOrList(claims.iss) }));
      if (cause.claim === 'aud' || cause.claim === 'azp') {
        return testError('audience_mismatch', withoutUndefined({ expectedAudience: ctx.config.clientId, receivedAudience: stringOrList(claims.aud) }));
      }
      if (cause.claim === 'nonce') return testError('request_mismatch', { reason: 'The ID token’s nonce does not match the one this test login sent.' });
      return testError('idp_error', { reason: `The ID token’s "${String(cause.claim)}" claim did not match.` });
    }
    if (detail.includes('signature verification failed')) {
      return testError('signature_invalid', { reason: 'The ID token’s signature did not verify with the keys the issuer publishes (jwks_uri).' });
    }
    if (code === 'OAUTH_KEY_SELECTION_FAILED') {
      const header = (cause.header ?? {}) as Record<string, unknown>;
      const kid = typeof header.kid === 'string' ? header.kid : undefined;
      if (Array.isArray(cause.candidates) && cause.candidates.length > 1) {
        return testError('signature_invalid', withoutUndefined({ reason: 'Several published keys fit the ID token and it names none of them (no kid).', receivedKeyId: kid }));
      }
      return testError('certificate_mismatch', withoutUndefined({ reason: 'None of the keys the issuer publishes (jwks_uri) is the one that signed the ID token.', receivedKeyId: kid }));
    }
    if (code === 'OAUTH_TIMEOUT' || code === 'OAUTH_ABORT') {
      return testError('idp_error', { reason: `The identity provider’s ${ctx.stage} endpoint did not answer in time.` });
    }
    return testError('idp_error', { reason: `The identity provider’s ${ctx.stage} answer was not accepted: ${detail}` });
  }
  return testError('idp_error', { reason: `The ${ctx.stage} endpoint could not be reached.` });
}

// ---------------------------------------------------------------------------------------
// Completing a login

/**
 * Completes the login from the callback URL (full URL with query): checks state, exchanges the
 * code (client_secret_basic or _post per discovery), checks the ID token (iss, aud, nonce, exp,
 * signature via JWKS), calls userinfo. Never throws.
 */
export async function completeOidcLogin(o: {
  client: OidcClientConfig;
  callbackUrl: string;
  pending: OidcPending;
  attributeMapping: OidcAttributeMapping;
  allowHttp?: boolean;
  now?: Date;
  fetchJson?: FetchJson;
  timeoutSeconds?: number;
  resolveHost?: ResolveHost;
  connect?: PinnedFetch;
  /** Told each check as it runs and passes, and the one that refused (the connection's login trace). */
  trace?: TraceRecorder;
}): Promise<OidcValidation> {
  const t = o.trace;
  const fail = (error: TestError, raw: Record<string, string[]> = {}, profile: ReceivedProfile | null = null): OidcValidation => {
    const reason = error.details?.reason;
    t?.fail(typeof reason === 'string' ? reason : error.message, 'idp_answer');
    return { ok: false, error, profile, rawAttributes: raw };
  };

  let callback: URL;
  try {
    callback = new URL(o.callbackUrl);
  } catch {
    return fail(testError('idp_error', { reason: 'The callback URL could not be read.' }));
  }
  const params = callback.searchParams;
  const state = params.get('state');
  const error = params.get('error');

  // The authorization response: state (when present), the RFC 9207 issuer, errors, then the code.
  t?.start('request');
  if (state !== null && state !== o.pending.state) {
    return fail(testError('request_mismatch', { reason: 'The state parameter does not match the one this test login sent.' }));
  }
  const iss = params.get('iss');
  t?.start('issuer');
  if (iss !== null && iss !== o.client.issuer) {
    return fail(testError('oidc_issuer_mismatch', { expectedIssuer: o.client.issuer, receivedIssuer: iss }));
  }
  t?.pass(iss === null ? 'The answer names no issuer (iss); the ID token’s is checked below.' : `The answer’s iss is the configured issuer ${iss}.`);
  t?.start('idp_answer');
  if (error !== null) {
    const details = withoutUndefined({ oidcError: error, oidcErrorDescription: params.get('error_description') ?? undefined });
    return fail(testError(error === 'access_denied' ? 'user_denied' : 'idp_error', details));
  }
  t?.start('request');
  if (state === null) {
    return fail(testError('request_mismatch', { reason: 'The answer carries no state parameter, so it cannot be matched to this test login.' }));
  }
  t?.pass('The state parameter is the one this login sent.');
  t?.start('idp_answer');
  if (!params.get('code')) return fail(testError('idp_error', { reason: 'The answer carries neither a code nor an error.' }));
  t?.pass('An authorization code arrived, no error.');

  let config: client.Configuration;
  t?.start('token');
  try {
    config = await configure(o);
  } catch (cause) {
    // Our own messages (TypeError) and the safe fetcher's (PortalError) are plain language; others are not shown.
    const reason = cause instanceof TypeError || cause instanceof PortalError ? cause.message : 'The issuer’s discovery document could not be read.';
    return fail(testError('idp_error', { reason }));
  }
  const tokenEndpoint = config.serverMetadata().token_endpoint;

  let claims: Record<string, unknown>;
  let accessToken: string;
  try {
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: o.pending.codeVerifier,
      expectedState: o.pending.state,
      expectedNonce: o.pending.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims();
    if (!idClaims) return fail(testError('idp_error', { reason: 'The token endpoint returned no ID token.' }));
    claims = { ...idClaims };
    accessToken = tokens.access_token;
    if (t) traceIdToken(t, tokenEndpoint, idClaims, tokens.id_token);
  } catch (cause) {
    const refusal = classify(cause, { config: o.client, tokenEndpoint, stage: 'token' });
    t?.start(ID_TOKEN_CHECKS[refusal.code] ?? 'token');
    return fail(refusal);
  }

  if (config.serverMetadata().userinfo_endpoint) {
    t?.start('userinfo');
    try {
      const userinfo = await client.fetchUserInfo(config, accessToken, String(claims.sub));
      // The ID token's protocol claims win over userinfo's.
      claims = { ...userinfo, ...claims };
      t?.pass(`The userinfo endpoint answered for the same subject (${Object.keys(userinfo).length} claims).`);
    } catch (cause) {
      const raw = claimsAsStrings(claims);
      return fail(classify(cause, { config: o.client, tokenEndpoint, stage: 'userinfo' }), raw, profileFrom(raw, o.attributeMapping));
    }
  }

  const raw = claimsAsStrings(claims);
  const profile = profileFrom(raw, o.attributeMapping);
  t?.start('email');
  if (!profile.email) {
    return fail(testError('missing_email', { expectedAttribute: o.attributeMapping.email, receivedAttributeNames: Object.keys(raw).sort() }), raw, profile);
  }
  t?.pass(`${profile.email}, from the claim ${o.attributeMapping.email}.`);
  t?.start('email_verified');
  const verified = claims.email_verified;
  if (verified !== true && verified !== 'true') {
    return fail(testError('email_unverified', { emailVerified: verified === undefined || verified === null ? 'absent' : 'false' }), raw, profile);
  }
  t?.pass('email_verified is true.');
  return { ok: true, profile, rawAttributes: raw };
}

/**
 * The ID token check a failure of the code exchange belongs to (openid-client checks them all in
 * one call, and `classify` names the one that refused); others are the exchange itself.
 */
const ID_TOKEN_CHECKS: Partial<Record<TestFailureCode, TraceCheck>> = {
  oidc_issuer_mismatch: 'issuer',
  audience_mismatch: 'audience',
  request_mismatch: 'nonce',
  signature_invalid: 'signature',
  certificate_mismatch: 'signature',
  assertion_expired: 'expiry',
  assertion_not_yet_valid: 'expiry',
};

/** The checks openid-client ran on the ID token, passed (it throws on the first that fails), with the values they compared. */
function traceIdToken(t: TraceRecorder, tokenEndpoint: string | undefined, claims: Record<string, unknown>, idToken: string | undefined): void {
  t.pass(`The client authenticated at ${tokenEndpoint ?? 'the token endpoint'} and exchanged the code (PKCE) for an ID token.`, 'token');
  t.pass(`The ID token’s iss is the configured issuer ${String(claims.iss)}.`, 'issuer');
  t.pass(`The ID token’s aud is our client ID ${[claims.aud].flat().map(String).join(', ')}.`, 'audience');
  t.pass('The ID token’s nonce is the one this login sent.', 'nonce');
  let header: Record<string, unknown> = {};
  try {
    header = JSON.parse(Buffer.from(idToken?.split('.')[0] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    // An unreadable header would not have verified; the values are for the trace only.
  }
  t.pass(`Signed with ${typeof header.alg === 'string' ? header.alg : 'an accepted algorithm'}${typeof header.kid === 'string' ? ` by the key ${header.kid}` : ''} the issuer publishes (jwks_uri); it verifies.`, 'signature');
  t.pass(`Issued ${iso(claims.iat) ?? '(no iat)'}, expires ${iso(claims.exp) ?? '(no exp)'}.`, 'expiry');
}
