/// <reference types="node" />
/**
 * Real logins through a connection's identity provider, judged the way a production service
 * provider judges them: the portal's test logins, and users signing in (home-realm discovery).
 *
 * Routes:
 * - `GET  /sso/start/:key`: where a login begins (the test popup opens it): redirects to the IdP
 *   (SAML HTTP-Redirect binding, OIDC) or posts the AuthnRequest (SAML HTTP-POST binding).
 * - `POST /saml/:orgId/:connectionId/acs`: the ACS. SP-initiated answers find their login by
 *   RelayState; an unsolicited answer completes the connection's pending IdP-initiated test (or
 *   signs a user in on an active connection).
 * - `GET  /oidc/:orgId/:connectionId/callback`: the OIDC redirect URI.
 * - `GET  /sso/sign-in/:orgId/:connectionId?login_hint=&returnTo=`: a user's sign-in through an
 *   active connection. `login_hint` (the email the user typed) goes to the IdP so its login page
 *   can prefill it: OIDC's `login_hint` parameter; for SAML a `login_hint` parameter beside
 *   SAMLRequest (query of the HTTP-Redirect binding, form field of HTTP-POST), as Microsoft Entra
 *   ID reads it; IdPs that do not know it ignore it. (Not a `<Subject>` in the AuthnRequest: that
 *   would oblige the IdP to sign in exactly that user, and the hint is only a convenience.)
 * - `POST /api/sso/discover {email}`: which organization and connection sign this email in.
 *
 * A test's result is stored as its `TestResult`; the result page tells the portal that opened
 * it (`postMessage` to that page's origin only) and closes. Nothing secret reaches a page: no
 * tokens, no raw signatures, no client secret.
 *
 * Nothing of a login lives in this process: logins in flight (`pending-logins.ts`), the SAML
 * replay cache (`../saml/replay-cache.ts`) and users' sessions (`sign-in-sessions.ts`) are in the
 * database, so a login started on one instance completes on another, and after a restart.
 */
import { Hono, type Context } from 'hono';
import { PortalError } from '../../core/errors.js';
import { normalizeDomain } from '../../core/domains.js';
import type { Connection, Protocol, SamlConfig, ServiceProvider, TestError, TestResult } from '../../core/model.js';
import { detailRows, testFailureTitle } from '../../core/test-diagnosis.js';
import { TEST_FAILURES, TEST_WARNINGS, type TestFailureCode } from '../../core/test-failures.js';
import { REST } from '../../core/rest-contract.js';
import type { Database } from '../db/database.js';
import { systemActor } from '../events.js';
import { recordSignIn } from '../sso-state.js';
import type { Env, OrganizationServices } from '../server-types.js';
import { route } from '../contract-routes.js';
import { str } from '@lit/localize/internal/str-tag.js';
import { formFields, html, htmlDocument, localTime, type SafeHtml } from '../html.js';
import { codeLine, pageMsg, strong, whatToDo } from '../page-text.js';
import { providerName } from '../../core/providers/names.js';
import { recordCertificateUsage } from '../certificate-usage.js';
import { completeOidcLogin, startOidcLogin, type FetchJson } from '../oidc/relying-party.js';
import { serviceProviderFor, type OrganizationService } from '../organization-service.js';
import { ReplayCache } from '../saml/replay-cache.js';
import { buildLoginRequest, validateSamlResponse, type SamlDecryption } from '../saml/service-provider.js';
import type { SpKeys } from '../saml/sp-keys.js';
import { directoryStanding } from './directory-standing.js';
import { routeEmail } from './routing.js';
import { isTestUser, routingSummary } from '../../core/routing.js';
import { pageSecurityHeaders } from '../security-headers.js';
import type { Store } from '../store/store.js';
import type { OrganizationRecord } from '../types.js';
import { PendingLogins, type LoginStart, type PendingLogin } from './pending-logins.js';
import { TraceRecorder, type TraceMessage } from '../../core/login-trace.js';
import { oidcRequestMessage, oidcResponseMessage, samlRequestMessage, samlResponseMessage } from './login-attempts.js';
import { SignInSessions, type SignedInUser } from './sign-in-sessions.js';

export type { SignedInUser } from './sign-in-sessions.js';

export interface LoginFlowsOptions {
  services: OrganizationServices;
  store: Store;
  /** Where logins in flight, the SAML replay cache and sign-in sessions are kept. */
  database: Database;
  publicBaseUrl: string;
  now: () => Date;
  /** Clock difference accepted on assertion validity (default 2 minutes). */
  skewMs?: number;
  /** OIDC issuers over plain http (loopback development IdPs such as the simulator). */
  allowHttpIssuers?: boolean;
  /** Reads OIDC discovery documents (the SSRF-guarded fetcher); default openid-client's own fetch. */
  fetchJson?: FetchJson;
  /** Where a signed-in user lands when the sign-in named no page (default `/sso/signed-in`). */
  signedInPath?: string;
  /** Our per-connection SP keys that sign AuthnRequests for IdPs that want them signed. */
  spKeys: SpKeys;
}

/** What home-realm discovery answers for an email address. */
export interface Discovery {
  organization: { id: string; name: string };
  connection: { id: string; protocol: Connection['protocol']; providerId: string };
  /** Where to send the user's browser to sign in. */
  loginUrl: string;
}

type Outcome = Pick<TestResult, 'status' | 'profile' | 'rawAttributes' | 'error' | 'warnings'>;

/** A login's trace so far (the checks that ran) and its messages, decoded and redacted. */
interface Traced {
  trace: TraceRecorder;
  request?: TraceMessage;
  response?: TraceMessage;
}

const SESSION_COOKIE = 'sso_demo_session';
const SESSION_HOURS = 8;
const KEY_SHAPE = /^[A-Za-z0-9_-]{16,100}$/;
const ID_SHAPE = /^[A-Za-z0-9_-]{1,100}$/;
const EMAIL = /^[^\s@]{1,64}@([^\s@]{1,253})$/;

const failure = (code: TestFailureCode, details?: Record<string, unknown>): TestError => ({
  code,
  ...TEST_FAILURES[code],
  ...(details ? { details } : {}),
});

const failed = (error: TestError): Outcome => ({ status: 'failure', profile: null, rawAttributes: {}, error });

/** An answer that reached another connection's ACS or callback than its login's. */
const elsewhere = (reason: string): TestError => ({
  ...failure('request_mismatch', { reason }),
  remedy: 'Check that the identity provider sends its answers to this connection’s own ACS URL (SAML) or redirect URI (OpenID Connect), as the portal shows them, then sign in again.',
});

/**
 * A SAML answer signed with SHA-1 is still accepted (many IdPs in service sign that way), but
 * the test says so (`weak_signature_algorithm`), with where to switch to RSA-SHA256.
 */
function signatureWarnings(signatureAlgorithm: string | undefined): Pick<Outcome, 'warnings'> {
  if (signatureAlgorithm !== 'rsa-sha1') return {};
  return { warnings: [{ code: 'weak_signature_algorithm', ...TEST_WARNINGS.weak_signature_algorithm, details: { signatureAlgorithm } }] };
}

export class LoginFlows {
  readonly logins: PendingLogins;
  #options: LoginFlowsOptions;
  #base: string;
  #replays: ReplayCache;
  #sessions: SignInSessions;

  constructor(options: LoginFlowsOptions) {
    this.#options = options;
    this.#base = options.publicBaseUrl.replace(/\/+$/, '');
    this.logins = new PendingLogins(options.database, { now: options.now });
    // A response accepted before a restart, or by another instance, is still refused.
    this.#replays = new ReplayCache(options.database, { now: options.now });
    this.#sessions = new SignInSessions(options.database, { now: options.now, lifetimeMs: SESSION_HOURS * 3_600_000 });
  }

  /**
   * The page a test login starts from (SP-initiated), for the portal to open in its popup.
   * `openerOrigin` is the origin of the page that asked: the only one the result is told.
   */
  async startTest(organizationId: string, connection: Connection, testId: string, openerOrigin: string | undefined): Promise<string> {
    const login = await this.logins.add({
      purpose: 'test',
      organizationId,
      connectionId: connection.id,
      protocol: connection.protocol,
      testId,
      openerOrigin: openerOrigin ?? new URL(this.#base).origin,
    });
    return `${this.#base}/sso/start/${login.key}`;
  }

  /**
   * Home-realm discovery: the organization that verified the email's domain, and the connection
   * that signs the email in (active for everyone, or for test users only and the email is one),
   * decided by `routeEmail` (routing.ts), the routing preview's code path too.
   */
  async discover(email: string): Promise<Discovery> {
    const decision = await routeEmail(this.#options.store, email);
    if (decision.route === 'invalid') {
      throw new PortalError('validation_failed', { message: routingSummary(decision), details: { email: 'must be an email address' } });
    }
    const { organization, connection } = decision;
    if (decision.route !== 'sso' || !organization || !connection) {
      const reason = organization ? (decision.reasons.some((r) => r.code === 'not_a_test_user') ? 'not_a_test_user' : 'no_active_connection') : 'no_verified_domain';
      throw new PortalError('not_found', { message: routingSummary(decision), details: { domain: decision.domain, reason } });
    }
    return {
      organization,
      connection: { id: connection.id, protocol: connection.protocol, providerId: connection.providerId },
      loginUrl: `${this.#base}/sso/sign-in/${organization.id}/${connection.id}`,
    };
  }

  /**
   * The attribute names a connection expects, by its SP entity ID (`<base>/saml/<org>/<connection>`):
   * the IdP simulator sends the attributes under the names the admin mapped.
   */
  async attributeNamesFor(spEntityId: string): Promise<Connection['attributeMapping'] | undefined> {
    const prefix = `${this.#base}/saml/`;
    if (!spEntityId.startsWith(prefix)) return undefined;
    const [orgId = '', connectionId = '', ...rest] = spEntityId.slice(prefix.length).split('/');
    const found = rest.length === 0 ? await this.#find(orgId, connectionId) : undefined;
    const connection = found && (await found.service.getConnection(connectionId).catch(() => undefined));
    return connection?.attributeMapping;
  }

  /**
   * The first verified domain of the organization an SP entity ID (`<base>/saml/<org>/<connection>`)
   * or OIDC redirect URI (`<base>/oidc/<org>/<connection>/callback`) belongs to: the IdP
   * simulator offers a user at that domain.
   */
  async userDomainFor(spUrl: string): Promise<string | undefined> {
    const match = /^\/(saml|oidc)\/([A-Za-z0-9_-]{1,100})\/([A-Za-z0-9_-]{1,100})(\/callback)?$/.exec(spUrl.startsWith(`${this.#base}/`) ? spUrl.slice(this.#base.length) : '');
    if (!match || (match[1] === 'oidc') !== (match[4] !== undefined)) return undefined;
    return (await verifiedDomainsOf(this.#options.store, match[2]!))[0];
  }

  /** The signed-in user of a request (its session cookie), if any. */
  async signedInUser(c: Context): Promise<SignedInUser | undefined> {
    const sid = cookieOf(c, SESSION_COOKIE);
    return sid && KEY_SHAPE.test(sid) ? this.#sessions.get(sid) : undefined;
  }

  /** Ends the request's session (deletes it); returns the header that clears its cookie. */
  async signOut(c: Context): Promise<string> {
    const sid = cookieOf(c, SESSION_COOKIE);
    if (sid && KEY_SHAPE.test(sid)) await this.#sessions.delete(sid);
    return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
  }

  /**
   * The logins' routes as a Hono sub-app, to mount at the root (`app.route('/', …)`): they span
   * `/sso/*`, the ACS `/saml/:org/:conn/acs`, the callback `/oidc/:org/:conn/callback` and
   * `/api/sso/discover`, behind the app's own middleware (rate limits, body limits, headers).
   */
  routes(): Hono<Env> {
    const app = new Hono<Env>();
    app.get('/sso/start/:key', (c) => this.#start(c));
    app.post('/saml/:orgId/:connectionId/acs', (c) => this.#acs(c));
    app.get('/oidc/:orgId/:connectionId/callback', (c) => this.#oidcCallback(c));
    app.get('/sso/sign-in/:orgId/:connectionId', (c) => this.#signIn(c));
    app.get('/sso/signed-in', (c) => this.#signedInPage(c));
    route(app, REST.discoverSso, async (c, { body }) => c.json(await this.discover(body.email)));
    return app;
  }

  // -------------------------------------------------------------------------------------
  // Routes

  async #start(c: Context): Promise<Response> {
    const key = c.req.param('key') ?? '';
    let login = KEY_SHAPE.test(key) ? await this.logins.get(key) : undefined;
    if (!login) return this.#gone(c);
    const found = await this.#find(login.organizationId, login.connectionId);
    const connection = found && (await found.service.getConnection(login.connectionId).catch(() => undefined));
    if (!found || !connection) return this.#page(c, 404, pageMsg('This connection does not exist any more'), html`<p>${pageMsg('Start again from the portal.')}</p>`);
    if (!login.start) {
      let start: LoginStart;
      try {
        start = await this.#buildStart(login, connection, found.service);
      } catch (error) {
        // The IdP could not even be asked (unreadable configuration, discovery failed).
        const reason = error instanceof Error ? error.message : String(error);
        const outcome = failed(failure('idp_error', { reason: `The login could not start: ${reason}` }));
        const taken = await this.logins.take(login.key, login);
        if (!('found' in taken)) return this.#gone(c);
        const trace = new TraceRecorder();
        trace.fail(outcome.error!.details!.reason as string, 'start');
        return this.#finish(c, login, found, outcome, { trace });
      }
      // Saved for a reload (on any instance); when another request saved one first, that one is used.
      login = await this.logins.saveStart(login.key, start);
      if (!login?.start) return this.#gone(c);
    }
    if (login.start.redirectUrl) return c.redirect(login.start.redirectUrl, 302);
    const form = login.start.form!;
    c.header('cache-control', 'no-store');
    for (const [name, value] of Object.entries(pageSecurityHeaders({ frameAncestors: [], formAction: [new URL(form.action).origin] }))) c.header(name, value);
    return c.html(
      htmlDocument({
        title: pageMsg('Signing in…'),
        scripts: ['autopost.js'],
        body: html`<main class="message">
          <h1>${pageMsg('Signing in…')}</h1>
          <form method="post" action="${form.action}" data-autosubmit>
            ${Object.entries(form.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`)}
            <p>${pageMsg('Taking you to your identity provider. If nothing happens, press Continue.')}</p>
            <button type="submit">${pageMsg('Continue')}</button>
          </form>
        </main>`,
      }),
    );
  }

  /** What the start page sends the browser to, with what the answer is checked against. */
  async #buildStart(login: PendingLogin, connection: Connection, service: OrganizationService): Promise<LoginStart> {
    const sp = this.#sp(login.organizationId, connection);
    if (connection.protocol === 'saml') {
      if (!connection.saml) throw new Error('the SAML configuration is missing');
      // Signed when the IdP's metadata said WantAuthnRequestsSigned="true" (the wizard keeps it).
      const signingKey = connection.saml.wantAuthnRequestsSigned ? await this.#options.spKeys.forConnection(login.organizationId, connection.id) : undefined;
      const request = await buildLoginRequest({ sp, idp: idpOf(connection.saml), relayState: login.key, now: this.#options.now(), ...(signingKey ? { signingKey } : {}) });
      const samlRequestId = request.requestId;
      const hint = login.loginHint;
      if (hint && request.redirectUrl) {
        const url = new URL(request.redirectUrl);
        url.searchParams.append('login_hint', hint);
        return { start: { redirectUrl: url.href }, samlRequestId };
      }
      return {
        start: { redirectUrl: request.redirectUrl, form: request.form && (hint ? { ...request.form, fields: { ...request.form.fields, login_hint: hint } } : request.form) },
        samlRequestId,
      };
    }
    if (!connection.oidc) throw new Error('the OpenID Connect configuration is missing');
    const started = await startOidcLogin({
      client: {
        issuer: connection.oidc.issuer,
        clientId: connection.oidc.clientId,
        clientSecret: (await service.clientSecretOf(connection.id)) ?? '',
        redirectUri: sp.oidcRedirectUri,
        scopes: connection.oidc.scopes,
      },
      state: login.key,
      ...(login.loginHint ? { loginHint: login.loginHint } : {}),
      allowHttp: this.#options.allowHttpIssuers,
      ...(this.#options.fetchJson ? { fetchJson: this.#options.fetchJson } : {}),
    });
    return { start: { redirectUrl: started.url }, oidc: started.pending };
  }

  async #acs(c: Context): Promise<Response> {
    const orgId = c.req.param('orgId') ?? '';
    const connectionId = c.req.param('connectionId') ?? '';
    const form = await formFields(c);
    const samlResponse = form.SAMLResponse ?? '';
    const relayState = form.RelayState ?? '';
    const found = await this.#find(orgId, connectionId);
    const connection = found && (await found.service.getConnection(connectionId).catch(() => undefined));
    if (!found || !connection) return this.#unknownConnection(c);
    if (!samlResponse) {
      return this.#page(c, 400, pageMsg('No SAML response'), html`<p>${pageMsg('This address expects a SAMLResponse posted by your identity provider (HTTP-POST binding).')}</p>`);
    }

    let login: PendingLogin | undefined;
    if (KEY_SHAPE.test(relayState)) {
      const taken = await this.logins.take(relayState, { organizationId: orgId, connectionId, protocol: 'saml' });
      if ('replayed' in taken) return this.#refused(c, failure('response_replayed', { reason: 'The login this response answers was already completed.' }));
      if ('elsewhere' in taken) return this.#refused(c, elsewhere('The RelayState belongs to a login through another connection: this response was not used, and that login goes on.'), 400);
      if ('found' in taken) login = taken.found;
    }
    if (!login) {
      // Unsolicited (IdP-initiated): the connection's pending IdP-initiated test, or a user's sign-in.
      const test = await found.service.pendingIdpTest(connectionId);
      if (test) {
        login = { key: '', purpose: 'test', organizationId: orgId, connectionId, protocol: 'saml', testId: test.id, expiresAt: 0 };
      } else if (connection.status === 'active' || connection.staged) {
        // A staged connection's answer counts only for a test user (#finish checks).
        login = { key: '', purpose: 'sign-in', organizationId: orgId, connectionId, protocol: 'saml', expiresAt: 0 };
      } else {
        return this.#refused(c, failure('request_mismatch', { reason: 'No test of this connection is waiting for an IdP-initiated response: start one from the portal first.' }), 409);
      }
    }
    if (!connection.saml) return this.#finish(c, login, found, failed(failure('idp_error', { reason: 'This connection has no SAML configuration.' })));

    const skewMs = this.#options.skewMs ?? 120_000;
    const traced: Traced = { trace: new TraceRecorder(), request: samlRequestMessage(login), response: samlResponseMessage(samlResponse) };
    const validation = await validateSamlResponse({
      trace: traced.trace,
      samlResponse,
      sp: this.#sp(orgId, connection),
      idp: idpOf(connection.saml),
      attributeMapping: connection.attributeMapping,
      // An SP-initiated login whose request was never built cannot be answered.
      expectedRequestId: login.key ? (login.samlRequestId ?? '') : null,
      now: this.#options.now(),
      skewMs,
      decryption: await this.#decryption(orgId, connection.id, connection.saml.requireEncryptedAssertions === true),
    });
    let outcome: Outcome = validation.ok
      ? { status: 'success', profile: validation.profile, rawAttributes: validation.rawAttributes, error: null, ...signatureWarnings(validation.signatureAlgorithm) }
      : { status: 'failure', profile: validation.profile, rawAttributes: validation.rawAttributes, error: validation.error };
    if (validation.ok) {
      const until = new Date((validation.notOnOrAfter ? Date.parse(validation.notOnOrAfter) : this.#options.now().getTime() + 5 * 60_000) + skewMs);
      traced.trace.start('replay');
      if (!(await this.#replays.remember(connectionId, `${validation.issuer}\n${validation.assertionId}`, until))) {
        outcome = failed(failure('response_replayed', { reason: 'An assertion with this ID was accepted before.' }));
        traced.trace.fail('An assertion with this ID was accepted before.', 'replay');
      } else {
        traced.trace.pass(`Assertion ${validation.assertionId.slice(0, 100)} of ${validation.issuer.slice(0, 300)} was not accepted before (kept until ${until.toISOString()}).`);
        if (validation.signingFingerprint) await this.#recordCertificateUsage(orgId, found.service, connection, validation.signingFingerprint);
      }
    }
    return this.#finish(c, login, found, outcome, traced);
  }

  /** Which certificate signed an accepted login (certificate-usage.ts); a failure to record never fails the login. */
  async #recordCertificateUsage(orgId: string, service: OrganizationService, connection: Connection, fingerprint: string): Promise<void> {
    try {
      await recordCertificateUsage(this.#options.store, orgId, connection, fingerprint, this.#options.now(), await service.listConnections());
    } catch (error) {
      console.warn('[sso-portal] could not record which certificate signed a login:', error instanceof Error ? error.message : error);
    }
  }

  async #oidcCallback(c: Context): Promise<Response> {
    const orgId = c.req.param('orgId') ?? '';
    const connectionId = c.req.param('connectionId') ?? '';
    const state = c.req.query('state') ?? '';
    const found = await this.#find(orgId, connectionId);
    const connection = found && (await found.service.getConnection(connectionId).catch(() => undefined));
    if (!found || !connection) return this.#unknownConnection(c);
    const taken = KEY_SHAPE.test(state) ? await this.logins.take(state, { organizationId: orgId, connectionId, protocol: 'oidc' }) : ({ unknown: true } as const);
    if ('replayed' in taken) return this.#refused(c, failure('response_replayed', { reason: 'This sign-in answer was already used.' }));
    if ('elsewhere' in taken) {
      return this.#refused(c, elsewhere('The state belongs to a login through another connection: this answer was not used, and that login goes on.'), 400, 'oidc');
    }
    if (!('found' in taken)) {
      return this.#refused(c, failure('request_mismatch', { reason: 'The state parameter does not belong to a login in progress: start again from the portal.' }), 400);
    }
    const login = taken.found;
    if (!login.oidc || !connection.oidc) {
      return this.#finish(c, login, found, failed(failure('idp_error', { reason: 'This connection has no OpenID Connect configuration.' })));
    }
    const sp = this.#sp(orgId, connection);
    const trace = new TraceRecorder();
    const callbackUrl = `${sp.oidcRedirectUri}${new URL(c.req.url).search}`;
    const validation = await completeOidcLogin({
      trace,
      client: {
        issuer: connection.oidc.issuer,
        clientId: connection.oidc.clientId,
        clientSecret: (await found.service.clientSecretOf(connectionId)) ?? '',
        redirectUri: sp.oidcRedirectUri,
        scopes: connection.oidc.scopes,
      },
      callbackUrl,
      pending: login.oidc,
      attributeMapping: connection.attributeMapping,
      allowHttp: this.#options.allowHttpIssuers,
      now: this.#options.now(),
    });
    const outcome: Outcome = validation.ok
      ? { status: 'success', profile: validation.profile, rawAttributes: validation.rawAttributes, error: null }
      : { status: 'failure', profile: validation.profile, rawAttributes: validation.rawAttributes, error: validation.error };
    return this.#finish(c, login, found, outcome, { trace, request: oidcRequestMessage(login), response: oidcResponseMessage(callbackUrl, validation.rawAttributes) });
  }

  async #signIn(c: Context): Promise<Response> {
    const orgId = c.req.param('orgId') ?? '';
    const connectionId = c.req.param('connectionId') ?? '';
    const found = await this.#find(orgId, connectionId);
    const connection = found && (await found.service.getConnection(connectionId).catch(() => undefined));
    const hint = emailHint(c.req.query('login_hint'));
    // Active for everyone, or for test users only and the email typed is one (#finish checks the email the IdP asserts).
    if (!found || !connection || (connection.status !== 'active' && !isTestUser(connection, hint))) {
      return this.#page(c, 404, pageMsg('Single sign-on is not available here'), html`<p>${pageMsg('This connection does not exist or is not active. Ask your IT administrator.')}</p>`);
    }
    const login = await this.logins.add({
      purpose: 'sign-in',
      organizationId: orgId,
      connectionId,
      protocol: connection.protocol,
      returnTo: localPath(c.req.query('returnTo')),
      loginHint: hint,
    });
    return c.redirect(`${this.#base}/sso/start/${login.key}`, 303);
  }

  async #signedInPage(c: Context): Promise<Response> {
    const user = await this.signedInUser(c);
    if (!user) return this.#page(c, 401, pageMsg('Not signed in'), html`<p>${pageMsg('No SSO session in this browser.')}</p>`);
    return this.#page(
      c,
      200,
      pageMsg('Signed in'),
      html`<p>${pageMsg(str`Signed in as ${strong(user.profile.email ?? user.profile.subject ?? '')} through the identity provider of ${user.organization.name} (${user.connection.name}), at ${localTime(user.signedInAt)}.`)}</p>`,
      { scripts: ['local-time.js'] },
    );
  }

  // -------------------------------------------------------------------------------------
  // Results

  /** Records the outcome (a test result, or a user's session) and answers the browser. */
  async #finish(c: Context, login: PendingLogin, found: Found, judged: Outcome, traced: Traced = { trace: new TraceRecorder() }): Promise<Response> {
    const outcome = await this.#domainPolicy(login, judged, traced.trace);
    await this.#recordAttempt(login, outcome, traced);
    if (login.purpose === 'test' && login.testId) {
      const result = await found.service.finishTest(login.testId, outcome);
      return this.#testResultPage(c, result, login.openerOrigin, login.protocol);
    }
    if (outcome.status !== 'success' || !outcome.profile) return this.#refused(c, outcome.error ?? failure('idp_error'), 403, login.protocol);
    // A user the organization's directory deactivated does not sign in, whatever the IdP says (issue 14).
    const standing = await directoryStanding(this.#options.store.directories, found.organization.id, outcome.profile.email);
    if (standing?.deactivatedBy) {
      return this.#page(
        c,
        403,
        pageMsg('Sign-in refused: your account is deactivated'),
        html`<p>${pageMsg(str`The user directory of ${found.organization.name} (${standing.deactivatedBy.name}) has deactivated ${strong(outcome.profile.email ?? '')}, so this sign-in cannot finish.`)}</p>
          <p>${whatToDo(pageMsg(str`If you should have access, ask your IT administrator to reactivate your account (or assign you to this application again) in ${standing.deactivatedBy.name}.`))}</p>`,
      );
    }
    const connection = await found.service.getConnection(login.connectionId);
    if (connection.status !== 'active') {
      // Staged activation: only its test users sign in through it (discovery sends no one else here).
      if (!isTestUser(connection, outcome.profile.email)) return this.#notRolledOut(c, found.organization.name, outcome.profile.email);
      await found.service.recordTestUserSignIn(connection.id, outcome.profile.email!);
    }
    const signedInAt = this.#options.now().toISOString();
    const sid = await this.#sessions.create({
      organization: { id: found.organization.id, name: found.organization.name },
      connection: { id: connection.id, protocol: connection.protocol, providerId: connection.providerId, name: connection.name ?? providerName(connection.providerId) },
      profile: outcome.profile,
      signedInAt,
    });
    // The organization's latest sign-in, for the host's view of its SSO state.
    await recordSignIn(this.#options.store, found.organization.id, connection.id, signedInAt);
    const secure = this.#base.startsWith('https:') ? '; Secure' : '';
    c.header('set-cookie', `${SESSION_COOKIE}=${sid}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_HOURS * 3600}${secure}`);
    return c.redirect(login.returnTo ?? this.#options.signedInPath ?? '/sso/signed-in', 303);
  }

  /**
   * An organization's identity provider speaks only for the organization's own users: a
   * sign-in is refused (`email_outside_domains`) unless the email's domain is one of the
   * organization's verified domains (exactly, after normalization: no subdomains), whatever
   * the IdP asserts, so that no customer's IdP can sign in another customer's users. A test
   * login fails the same way once the organization has verified a domain; before that (during
   * setup) it succeeds with the warning `domain_not_verified`. There is no per-connection
   * setting to allow other domains.
   */
  async #domainPolicy(login: PendingLogin, outcome: Outcome, trace: TraceRecorder): Promise<Outcome> {
    if (outcome.status !== 'success' || !outcome.profile) return outcome;
    trace.start('email_domain');
    const allowedDomains = await verifiedDomainsOf(this.#options.store, login.organizationId);
    const emailDomain = emailDomainOf(outcome.profile.email);
    if (allowedDomains.includes(emailDomain)) {
      trace.pass(`${emailDomain} is a verified domain of the organization.`);
      return outcome;
    }
    if (login.purpose === 'test' && allowedDomains.length === 0) {
      trace.pass(`No domain is verified yet: a test passes with a warning (${emailDomain || 'no domain'}).`);
      return { ...outcome, warnings: [{ code: 'domain_not_verified', ...TEST_WARNINGS.domain_not_verified, details: { emailDomain } }, ...(outcome.warnings ?? [])] };
    }
    trace.fail(`${emailDomain || 'The email'} is not among the verified domains (${allowedDomains.join(', ')}).`, 'email_domain');
    return { ...outcome, status: 'failure', error: failure('email_outside_domains', { emailDomain, allowedDomains }) };
  }

  /** Keeps the attempt and its trace for the connection (the last 50); a failure to record never fails the login. */
  async #recordAttempt(login: PendingLogin, outcome: Outcome, traced: Traced): Promise<void> {
    try {
      const { trace, request, response } = traced;
      const user = outcome.profile?.email ?? login.loginHint;
      await this.#options.store.loginAttempts.record(login.organizationId, {
        connectionId: login.connectionId,
        protocol: login.protocol,
        at: this.#options.now().toISOString(),
        purpose: login.purpose,
        ...(login.testId ? { testId: login.testId } : {}),
        ...(user ? { user } : {}),
        outcome: outcome.status === 'success' ? 'success' : 'failure',
        error: outcome.error ?? null,
        ...(outcome.warnings?.length ? { warnings: outcome.warnings } : {}),
        steps: trace.steps,
        ...(request ? { request } : {}),
        ...(response ? { response } : {}),
      });
    } catch (error) {
      console.warn('[sso-portal] could not record a login attempt:', error instanceof Error ? error.message : error);
    }
  }

  /** The test popup's last page: what happened, then it tells the portal and closes. */
  #testResultPage(c: Context, result: TestResult, openerOrigin: string | undefined, protocol: Protocol): Response {
    const ok = result.status === 'success';
    const code = result.error?.code;
    const title = ok ? pageMsg('Test login succeeded') : pageMsg(str`Test login failed: ${code ? testFailureTitle(code) : 'unknown_error'}`);
    const who = result.profile?.email ?? result.profile?.subject;
    const body = html`${ok
        ? html`<p>${who ? pageMsg(str`Signed in as ${strong(who)}.`) : pageMsg('Signed in as a user without an email address.')}</p>`
        : result.error && failureHtml(result.error, protocol)}
      <p>${result.testLinkId ? pageMsg('Thank you: the person who sent you the link sees the result. You can close this window.') : pageMsg('You can close this window: the portal shows the details.')}</p>`;
    return this.#page(c, 200, title, body, {
      scripts: ['login-result.js'],
      bodyData: { 'opener-origin': openerOrigin ?? '', 'test-id': result.id, status: result.status },
    });
  }

  /** An answer refused before it could count for any login. */
  #refused(c: Context, error: TestError, status: 400 | 403 | 409 = 409, protocol: Protocol = 'saml'): Response {
    const code = error.code;
    return this.#page(
      c,
      status,
      pageMsg(str`Sign-in refused: ${testFailureTitle(code)}`),
      failureHtml(error, protocol),
    );
  }

  /** A sign-in through a connection that is not (or no longer) on for this user: turned off, or active for test users only. */
  #notRolledOut(c: Context, organizationName: string, email: string | undefined): Response {
    return this.#page(
      c,
      403,
      pageMsg('Sign-in refused: single sign-on is not on for you yet'),
      html`<p>${email
          ? pageMsg(str`Single sign-on of ${organizationName} through this connection is not active, or is active only for a few test users, and ${strong(email)} is not one of them.`)
          : pageMsg(str`Single sign-on of ${organizationName} through this connection is not active, or is active only for a few test users, and this account is not one of them.`)}</p>
        <p>${whatToDo(pageMsg('Sign in as you did before (with your password), or ask your IT administrator.'))}</p>`,
    );
  }

  /** A start link whose login is used up, expired or unknown. */
  #gone(c: Context): Response {
    return this.#page(c, 404, pageMsg('This login link does not work any more'), html`<p>${pageMsg('It was already used or has expired. Start the test again from the portal.')}</p>`);
  }

  /** An IdP answered at an address no connection has: usually a stale or mistyped URL in its settings. */
  #unknownConnection(c: Context): Response {
    return this.#page(
      c,
      404,
      pageMsg('Unknown connection'),
      html`<p>${pageMsg('No SSO connection answers at this address: it was deleted, or the address was copied wrong.')}</p>
        <p>${whatToDo(pageMsg('In your identity provider, set the ACS URL (SAML) or redirect URI (OpenID Connect) to the one the portal shows for this connection, then test again.'))}</p>`,
    );
  }

  #page(
    c: Context,
    status: 200 | 400 | 401 | 403 | 404 | 409,
    title: SafeHtml,
    content: SafeHtml,
    extra: { scripts?: string[]; bodyData?: Record<string, string> } = {},
  ): Response {
    c.header('cache-control', 'no-store');
    for (const [name, value] of Object.entries(pageSecurityHeaders({ frameAncestors: [] }))) c.header(name, value);
    return c.html(htmlDocument({ title, body: html`<main class="message"><h1>${title}</h1>${content}</main>`, ...extra }), status);
  }

  // -------------------------------------------------------------------------------------

  async #find(orgId: string, connectionId: string): Promise<Found | undefined> {
    if (!ID_SHAPE.test(orgId) || !ID_SHAPE.test(connectionId)) return undefined;
    const organization = await this.#options.store.getOrganization(orgId);
    return organization ? { organization, service: this.#service(organization) } : undefined;
  }

  #service(organization: OrganizationRecord): OrganizationService {
    return this.#options.services.serviceFor(organization, systemActor('login'));
  }

  #sp(organizationId: string, connection: Connection): ServiceProvider {
    return connection.serviceProvider ?? serviceProviderFor(this.#base, organizationId);
  }

  /** The connection's decryption keys (current, then the next one of a rollover) and whether encryption is required. */
  async #decryption(organizationId: string, connectionId: string, required: boolean): Promise<SamlDecryption> {
    const { current, next } = await this.#options.spKeys.encryptionKeys(organizationId, connectionId);
    return { keys: next ? [current, next] : [current], required };
  }
}

interface Found {
  organization: OrganizationRecord;
  service: OrganizationService;
}

const idpOf = (saml: SamlConfig) => ({
  entityId: saml.idpEntityId,
  ssoUrl: saml.ssoUrl,
  ssoBinding: saml.ssoBinding,
  signingCertificates: saml.signingCertificates,
});

/** What went wrong, the values that differed, what to do, and the code to quote (the remedy is for the IT admin). */
function failureHtml(error: TestError, protocol: Protocol): SafeHtml {
  const rows = detailRows(error.details, protocol);
  const list = (values: string[] | undefined) => (values?.length ? values.join(', ') : pageMsg('(none)'));
  return html`<p>${error.message}</p>
    ${rows.length
      ? html`<dl class="profile">${rows.map((row) =>
          row.expected
            ? html`<dt>${row.label}</dt><dd>${pageMsg(str`Received: ${list(row.received)}`)}</dd><dd>${pageMsg(str`Expected: ${list(row.expected)}`)}</dd>`
            : html`<dt>${row.label}</dt><dd>${list(row.received)}</dd>`,
        )}</dl>`
      : ''}
    <p>${whatToDo(error.remedy)}</p>${codeLine(error.code)}`;
}

/** The organization's verified domains (normalized names), in the order they were added. */
async function verifiedDomainsOf(store: Store, organizationId: string): Promise<string[]> {
  return (await store.getOrganizationData(organizationId)).domains
    .filter((d) => d.status === 'verified')
    .map((d) => d.name);
}

/** The domain of an email address, normalized as domains are (`''` when there is none). */
function emailDomainOf(email: string | undefined): string {
  const raw = (email ?? '').slice((email ?? '').lastIndexOf('@') + 1).trim();
  if (!email?.includes('@') || !raw) return '';
  const normalized = normalizeDomain(raw);
  return normalized.ok ? normalized.domain : raw.toLowerCase().slice(0, 253);
}

/** An email address to pass on as a login hint, or undefined. */
function emailHint(value: string | undefined): string | undefined {
  const email = value?.trim() ?? '';
  return email.length <= 320 && EMAIL.test(email) ? email : undefined;
}

/** A path on this server (`/x`, never `//host` or a URL), or undefined. */
function localPath(value: string | undefined): string | undefined {
  return value && /^\/(?![/\\])[\x21-\x7e]*$/.test(value) ? value : undefined;
}

function cookieOf(c: Context, name: string): string | undefined {
  for (const part of (c.req.header('cookie') ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
