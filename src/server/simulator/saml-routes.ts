/// <reference types="node" />
/**
 * The SAML IdP simulator's routes (development server only: it signs a login for whoever asks,
 * so mount it only where that is wanted):
 *
 * - `GET /simulator/saml/metadata`: the IdP metadata (`application/samlmetadata+xml`).
 * - `GET|POST /simulator/saml/sso`: reads an AuthnRequest (HTTP-Redirect or HTTP-POST) and shows
 *   the login page: which user, which outcome (scenario), "Sign in" or "Deny access". The user
 *   offered is the one the service provider hinted with a `login_hint` parameter beside
 *   SAMLRequest (query or form field, as Microsoft Entra ID reads it), else one at the
 *   organization's verified domain (`userDomainFor`), else the default user.
 * - `GET /simulator/saml/idp-initiated?acs=&audience=&relayState=` (or `?connection=<org>/<id>`):
 *   the same page without a request, with the ACS URL and audience editable (unsolicited
 *   response).
 * - `POST /simulator/saml/login`: builds the response and answers a page whose form posts it
 *   (SAMLResponse, RelayState) to the ACS URL, submitted by `/assets/autopost.js` or by hand.
 *
 * Only ACS URLs on the server's own origin are answered. The pages carry the server's page
 * headers (CSP with nothing inline, `form-action` limited to that origin), every value is
 * HTML-escaped, and nothing secret is shown. They speak the browser's language (page-language.ts,
 * `pageMsg`); what the SAML messages carry does not change with it.
 */
import { Hono, type Context, type Env } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { str } from '@lit/localize/internal/str-tag.js';
import { formFields, html, htmlDocument, SafeHtml } from '../html.js';
import { pageMsg } from '../page-text.js';
import { API_SECURITY_HEADERS, pageSecurityHeaders } from '../security-headers.js';
import { SamlRequestError, type SamlIdpSimulator, type SimulatedAttributeNames, type SimulatedAuthnRequest } from './saml-idp.js';
import { SAML_SCENARIOS, isSamlScenario, samlScenario, type SamlScenario } from './saml-scenarios.js';
import { DEFAULT_SIMULATED_USER, groupsFromText, simulatedEmail } from './simulated-user.js';

export interface SamlSimulatorRouteOptions {
  /** Where browsers reach the server; only ACS URLs on its origin are answered. */
  publicBaseUrl: string;
  /**
   * The attribute names a service provider expects (its connection's mapping), looked up by its
   * entity ID; default the simple names email, firstName, lastName, groups.
   */
  attributeNamesFor?: (spEntityId: string) => SimulatedAttributeNames | undefined | Promise<SimulatedAttributeNames | undefined>;
  /**
   * The verified domain of the organization a service provider (entity ID) belongs to: the
   * login page then offers a user at that domain.
   */
  userDomainFor?: (spEntityId: string) => string | undefined | Promise<string | undefined>;
  /** The clock (tests). */
  now?: () => Date;
}


const MAX_BODY_BYTES = 256 * 1024;
const MAX_FIELD = 512;
const MAX_RELAY_STATE = 2048;
const ID_SHAPE = /^[A-Za-z0-9_-]{1,100}$/;
const REQUEST_ID_SHAPE = /^[A-Za-z_][\w.-]{0,255}$/;

/** What the login page shows and posts back. */
interface LoginForm {
  /** 'sp': answering an AuthnRequest; 'idp': an unsolicited response. */
  mode: 'sp' | 'idp';
  requestId: string;
  acsUrl: string;
  spEntityId: string;
  relayState: string;
  email: string;
  firstName: string;
  lastName: string;
  groups: string;
  scenario: SamlScenario;
  /** A problem with what was posted, shown above the form (in the page's language). */
  error?: { text: SafeHtml; field?: 'email' | 'acsUrl' | 'spEntityId' | 'relayState' };
}

/** Where the SAML IdP simulator answers. */
export const SAML_SIMULATOR_PATH = '/simulator/saml';

/** Mounts the SAML IdP simulator's sub-app ({@link createSamlSimulatorApp}) at {@link SAML_SIMULATOR_PATH}. */
export function registerSamlSimulatorRoutes<E extends Env>(app: Hono<E>, simulator: SamlIdpSimulator, o: SamlSimulatorRouteOptions): void {
  app.route(SAML_SIMULATOR_PATH, createSamlSimulatorApp<E>(simulator, o));
}

/** The SAML IdP simulator's pages and metadata, a sub-app to mount at {@link SAML_SIMULATOR_PATH}. */
export function createSamlSimulatorApp<E extends Env>(simulator: SamlIdpSimulator, o: SamlSimulatorRouteOptions): Hono<E> {
  const app = new Hono<E>();
  const base = o.publicBaseUrl.replace(/\/+$/, '');
  const origin = new URL(base).origin;
  const headers = pageSecurityHeaders({ frameAncestors: [], formAction: [origin] });
  const now = o.now ?? (() => new Date());

  /** An http(s) URL on the server's origin, or undefined. */
  const ownUrl = (value: string): string | undefined => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === origin && !url.username && !url.password ? url.href : undefined;
    } catch {
      return undefined;
    }
  };

  const send = (c: Context<E>, html: SafeHtml, status: 200 | 400 | 403 = 200): Response => {
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
    c.header('cache-control', 'no-store');
    return c.html(html.value, status);
  };

  // The title and text in the page's language (pageMsg); a reason from saml-idp.ts stays English, marked lang="en".
  const errorPage = (c: Context<E>, title: SafeHtml, text: SafeHtml, status: 400 | 403 = 400): Response =>
    send(
      c,
      layout(
        title,
        html`<h1>${title}</h1>
          <p>${text}</p>
          <p>${pageMsg(str`To send a response without a request, open the ${html`<a href="/simulator/saml/idp-initiated">${pageMsg('IdP-initiated login')}</a>`}.`)}</p>`,
      ),
      status,
    );

  const foreignAcs = (c: Context<E>, acsUrl: string): Response =>
    errorPage(
      c,
      pageMsg('This ACS URL is not on this server'),
      pageMsg(
        str`The IdP Simulator answers only the service provider of this development server (${value(origin)}); the request asks for a response at ${value(acsUrl)}.`,
      ),
    );

  app.use(bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.text('Request body too large.', 413) }));

  app.get('/metadata', (c) => {
    for (const [name, value] of Object.entries(API_SECURITY_HEADERS)) c.header(name, value);
    c.header('content-type', 'application/samlmetadata+xml; charset=utf-8');
    c.header('cache-control', 'no-cache');
    return c.body(simulator.metadataXml());
  });

  const answerRequest = async (c: Context<E>, params: { SAMLRequest?: string; RelayState?: string; login_hint?: string }, binding: 'redirect' | 'post'): Promise<Response> => {
    if (!params.SAMLRequest) {
      return errorPage(
        c,
        pageMsg('No login request'),
        pageMsg('This address expects a SAML AuthnRequest: start the test login from the service provider (the portal’s test step).'),
      );
    }
    let request: SimulatedAuthnRequest;
    try {
      request = simulator.readAuthnRequest({ SAMLRequest: params.SAMLRequest, ...(params.RelayState ? { RelayState: params.RelayState } : {}) }, binding);
    } catch (error) {
      // The reason is the XML parser's or signature check's detail, for developers: English, marked so.
      if (error instanceof SamlRequestError) {
        return errorPage(c, pageMsg('The login request cannot be answered'), html`<span lang="en">${error.message}</span>`);
      }
      throw error;
    }
    const acsUrl = ownUrl(request.acsUrl);
    if (!acsUrl) return foreignAcs(c, request.acsUrl);
    return send(
      c,
      loginPage({
        ...defaultForm(),
        mode: 'sp',
        requestId: request.id,
        acsUrl,
        spEntityId: request.issuer,
        relayState: request.relayState ?? '',
        email: simulatedEmail({ loginHint: params.login_hint, domain: await o.userDomainFor?.(request.issuer) }),
      }),
    );
  };

  app.get('/sso', (c) =>
    answerRequest(c, { SAMLRequest: c.req.query('SAMLRequest'), RelayState: c.req.query('RelayState'), login_hint: c.req.query('login_hint') }, 'redirect'),
  );

  app.post('/sso', async (c) => {
    const body = await formFields(c);
    return answerRequest(c, { SAMLRequest: body.SAMLRequest, RelayState: body.RelayState, login_hint: body.login_hint }, 'post');
  });

  app.get('/idp-initiated', async (c) => {
    const form: LoginForm = { ...defaultForm(), mode: 'idp', relayState: c.req.query('relayState') ?? c.req.query('RelayState') ?? '' };
    const connection = c.req.query('connection');
    if (connection) {
      const [orgId = '', connectionId = '', ...rest] = connection.split('/');
      if (!ID_SHAPE.test(orgId) || !ID_SHAPE.test(connectionId) || rest.length > 0) {
        return errorPage(c, pageMsg('Not a connection'), pageMsg(str`The connection parameter is ${html`<code>${'<organization ID>/<connection ID>'}</code>`}.`));
      }
      form.spEntityId = `${base}/saml/${orgId}/${connectionId}`;
      form.acsUrl = `${form.spEntityId}/acs`;
    }
    const acs = c.req.query('acs');
    if (acs) {
      const acsUrl = ownUrl(acs);
      if (!acsUrl) return foreignAcs(c, acs);
      form.acsUrl = acsUrl;
      form.spEntityId = spEntityIdOfAcs(acsUrl, origin) ?? form.spEntityId;
    }
    form.spEntityId = c.req.query('audience') || form.spEntityId;
    form.email = simulatedEmail({ loginHint: c.req.query('login_hint'), domain: form.spEntityId ? await o.userDomainFor?.(form.spEntityId) : undefined });
    if (form.relayState.length > MAX_RELAY_STATE) return errorPage(c, pageMsg('RelayState too long'), relayStateTooLong());
    return send(c, loginPage(form));
  });

  app.post('/login', async (c) => {
    // A page of another site may not make the simulator sign a login for it.
    if (c.req.header('sec-fetch-site') === 'cross-site') {
      return errorPage(c, pageMsg('Not from another site'), pageMsg('The IdP Simulator accepts logins only from its own login page.'), 403);
    }
    const body = await formFields(c);
    const field = (name: string) => (body[name] ?? '').trim();
    const deny = field('action') === 'deny';
    const chosen = field('scenario');
    const form: LoginForm = {
      mode: field('mode') === 'idp' ? 'idp' : 'sp',
      requestId: field('requestId'),
      acsUrl: field('acsUrl'),
      spEntityId: field('spEntityId'),
      relayState: body.relayState ?? '',
      email: field('email'),
      firstName: field('firstName'),
      lastName: field('lastName'),
      groups: field('groups'),
      scenario: deny ? 'user_denies' : isSamlScenario(chosen) ? chosen : 'success',
    };
    if (!deny && !isSamlScenario(chosen)) return errorPage(c, pageMsg('Unknown outcome'), pageMsg('Choose one of the outcomes on the login page.'));
    if (form.mode === 'sp' && !REQUEST_ID_SHAPE.test(form.requestId)) {
      return errorPage(c, pageMsg('The login request is missing'), pageMsg('Start the test login again from the service provider.'));
    }
    const acsUrl = ownUrl(form.acsUrl);
    if (form.mode === 'sp' && !acsUrl) return foreignAcs(c, form.acsUrl);
    const problem = formProblem(form, acsUrl !== undefined, deny, origin);
    if (problem) return send(c, loginPage({ ...form, error: problem }), 400);

    const attributeNames = await o.attributeNamesFor?.(form.spEntityId);
    const samlResponse = simulator.buildResponse({
      scenario: form.scenario,
      user: {
        email: form.email,
        ...(form.firstName ? { firstName: form.firstName } : {}),
        ...(form.lastName ? { lastName: form.lastName } : {}),
        groups: groupsFromText(form.groups),
      },
      spEntityId: form.spEntityId,
      acsUrl: acsUrl!,
      ...(form.mode === 'sp' ? { inResponseTo: form.requestId } : {}),
      now: now(),
      ...(attributeNames ? { attributeNames } : {}),
    });
    return send(c, postPage(acsUrl!, samlResponse, form.relayState, form.scenario));
  });

  return app;
}

// ---------------------------------------------------------------------------------------
// Form handling

function defaultForm(): LoginForm {
  return {
    mode: 'sp',
    requestId: '',
    acsUrl: '',
    spEntityId: '',
    relayState: '',
    email: DEFAULT_SIMULATED_USER.email,
    firstName: DEFAULT_SIMULATED_USER.firstName,
    lastName: DEFAULT_SIMULATED_USER.lastName,
    groups: DEFAULT_SIMULATED_USER.groups.join(', '),
    scenario: 'success',
  };
}

/** What is wrong with a posted login form, or undefined. */
function formProblem(form: LoginForm, acsOk: boolean, deny: boolean, origin: string): LoginForm['error'] {
  if (!acsOk) return { field: 'acsUrl', text: pageMsg(str`Enter the service provider’s ACS URL on this server (${value(`${origin}/saml/<organization>/<connection>/acs`)}).`) };
  if (!form.spEntityId || form.spEntityId.length > MAX_FIELD) return { field: 'spEntityId', text: pageMsg('Enter the audience: the service provider’s entity ID.') };
  if (form.relayState.length > MAX_RELAY_STATE) return { field: 'relayState', text: relayStateTooLong() };
  if (deny) return undefined;
  if (!/^[^\s@]+@[^\s@]+$/.test(form.email) || form.email.length > MAX_FIELD) return { field: 'email', text: pageMsg('Enter the email address of the user to sign in.') };
  if ([form.firstName, form.lastName, form.groups].some((v) => v.length > MAX_FIELD)) return { text: pageMsg(str`Names and groups may have at most ${MAX_FIELD} characters.`) };
  return undefined;
}

const relayStateTooLong = (): SafeHtml => pageMsg(str`The RelayState may have at most ${MAX_RELAY_STATE} characters.`);

/** A value inside a sentence (an address, an ID): `<code>`, so it is read, and laid out, as it is. */
const value = (text: string): SafeHtml => html`<code>${text}</code>`;

/** `<base>/saml/<org>/<connection>` for an ACS URL `<base>/saml/<org>/<connection>/acs`. */
function spEntityIdOfAcs(acsUrl: string, origin: string): string | undefined {
  const url = new URL(acsUrl);
  const match = /^(.*\/saml\/[A-Za-z0-9_-]{1,100}\/[A-Za-z0-9_-]{1,100})\/acs$/.exec(url.pathname);
  return match && !url.search ? `${origin}${match[1]}` : undefined;
}

// ---------------------------------------------------------------------------------------
// HTML (every interpolated value is escaped unless it is SafeHtml)

function layout(title: SafeHtml, body: SafeHtml, script = false): SafeHtml {
  return new SafeHtml(
    htmlDocument({
      title: pageMsg(str`${title} · IdP Simulator`),
      stylesheets: ['simulator.css'],
      scripts: script ? ['autopost.js'] : [],
      body: html`<header class="sim-header"><span class="sim-brand">${pageMsg('IdP Simulator')}</span> <span class="sim-tag">${pageMsg('SAML · development only')}</span></header>
        <main class="sim-main">${body}</main>`,
    }),
  );
}

/** "Expected result: `code`." (or success), after a scenario's hint. */
const expectedResult = (code: string | null): SafeHtml => (code ? pageMsg(str`Expected result: ${value(code)}.`) : pageMsg('Expected result: success.'));

function loginPage(form: LoginForm): SafeHtml {
  const error = form.error;
  const invalid = (field: NonNullable<LoginForm['error']>['field']) =>
    error?.field === field ? html` aria-invalid="true" aria-describedby="form-error"` : html``;
  const hidden = (name: string, value: string) => html`<input type="hidden" name="${name}" value="${value}" />`;

  const request =
    form.mode === 'sp'
      ? html`<section class="sim-card" aria-labelledby="request-title">
          <h2 id="request-title">${pageMsg('Login request')}</h2>
          <dl class="sim-values">
            <dt>${pageMsg('Service provider (audience)')}</dt>
            <dd class="value">${form.spEntityId}</dd>
            <dt lang="en">ACS URL</dt>
            <dd class="value">${form.acsUrl}</dd>
            <dt>${pageMsg('Request ID')}</dt>
            <dd class="value">${form.requestId}</dd>
            ${form.relayState ? html`<dt lang="en">RelayState</dt><dd class="value">${form.relayState}</dd>` : ''}
          </dl>
          ${hidden('mode', 'sp')} ${hidden('requestId', form.requestId)} ${hidden('acsUrl', form.acsUrl)} ${hidden('spEntityId', form.spEntityId)}
          ${hidden('relayState', form.relayState)}
          <p class="sim-note">
            ${pageMsg(
              str`${html`<a href="/simulator/saml/idp-initiated?acs=${encodeURIComponent(form.acsUrl)}&amp;audience=${encodeURIComponent(form.spEntityId)}">${pageMsg('Send an unsolicited response instead (IdP-initiated)')}</a>`}: the same service provider, without this request.`,
            )}
          </p>
        </section>`
      : html`<fieldset class="sim-card">
          <legend>${pageMsg('Unsolicited response (IdP-initiated)')}</legend>
          <p class="sim-note">${pageMsg('There is no login request: the response carries no InResponseTo.')}</p>
          ${hidden('mode', 'idp')}
          <div class="sim-field">
            <label for="acsUrl" lang="en">ACS URL</label>
            <input id="acsUrl" name="acsUrl" type="url" required value="${form.acsUrl}" spellcheck="false" autocomplete="off" dir="ltr" ${invalid('acsUrl')} />
          </div>
          <div class="sim-field">
            <label for="spEntityId">${pageMsg('Audience (service provider entity ID)')}</label>
            <input id="spEntityId" name="spEntityId" type="text" required value="${form.spEntityId}" spellcheck="false" autocomplete="off" dir="ltr" ${invalid('spEntityId')} />
          </div>
          <div class="sim-field">
            <label for="relayState"><span lang="en">RelayState</span> <span class="sim-optional">${pageMsg('(optional)')}</span></label>
            <input id="relayState" name="relayState" type="text" value="${form.relayState}" spellcheck="false" autocomplete="off" dir="auto" ${invalid('relayState')} />
          </div>
        </fieldset>`;

  const scenarios = SAML_SCENARIOS.filter((s) => s.id !== 'user_denies').map(
    (s) => html`<div class="sim-choice">
      <input type="radio" id="scenario-${s.id}" name="scenario" value="${s.id}" aria-describedby="scenario-${s.id}-hint" ${form.scenario === s.id ? html`checked` : ''} />
      <label for="scenario-${s.id}">${s.label}</label>
      <p id="scenario-${s.id}-hint" class="sim-hint">${s.hint} ${expectedResult(s.expectedCode)}</p>
    </div>`,
  );

  return layout(
    pageMsg('Sign in'),
    html`<h1>${pageMsg('Sign in to the IdP Simulator')}</h1>
      <p class="sim-lead">${pageMsg('No password: choose who signs in and what the identity provider answers.')}</p>
      ${error ? html`<div class="sim-error" id="form-error" role="alert"><p>${error.text}</p></div>` : ''}
      <form method="post" action="/simulator/saml/login" class="sim-form">
        ${request}
        <fieldset class="sim-card">
          <legend>${pageMsg('User')}</legend>
          <div class="sim-field">
            <label for="email">${pageMsg('Email')}</label>
            <input id="email" name="email" type="email" required value="${form.email}" autocomplete="off" spellcheck="false" dir="ltr" ${invalid('email')} />
          </div>
          <div class="sim-row">
            <div class="sim-field">
              <label for="firstName">${pageMsg('First name')}</label>
              <input id="firstName" name="firstName" type="text" value="${form.firstName}" autocomplete="off" dir="auto" />
            </div>
            <div class="sim-field">
              <label for="lastName">${pageMsg('Last name')}</label>
              <input id="lastName" name="lastName" type="text" value="${form.lastName}" autocomplete="off" dir="auto" />
            </div>
          </div>
          <div class="sim-field">
            <label for="groups">${pageMsg('Groups')}</label>
            <input id="groups" name="groups" type="text" value="${form.groups}" aria-describedby="groups-hint" autocomplete="off" dir="auto" />
            <p id="groups-hint" class="sim-hint">${pageMsg('Comma-separated; sent as one multi-valued attribute.')}</p>
          </div>
        </fieldset>
        <fieldset class="sim-card">
          <legend>${pageMsg('Outcome')}</legend>
          ${scenarios}
        </fieldset>
        <div class="sim-actions">
          <button type="submit" name="action" value="sign-in" class="sim-primary">${pageMsg('Sign in')}</button>
          <button type="submit" name="action" value="deny" formnovalidate aria-describedby="deny-hint">${pageMsg('Deny access')}</button>
          <p id="deny-hint" class="sim-hint">${pageMsg(str`Deny access answers Responder / RequestDenied (expected result: ${value('user_denied')}).`)}</p>
        </div>
      </form>`,
  );
}

function postPage(acsUrl: string, samlResponse: string, relayState: string, scenario: SamlScenario): SafeHtml {
  const info = samlScenario(scenario);
  const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
  return layout(
    pageMsg('Sending the response'),
    html`<h1>${pageMsg('Sending the SAML response')}</h1>
      <p>
        ${info.expectedCode
          ? pageMsg(str`Outcome: ${html`<strong>${info.label}</strong>`} (expected result: ${value(info.expectedCode)}).`)
          : pageMsg(str`Outcome: ${html`<strong>${info.label}</strong>`} (expected result: success).`)}
      </p>
      <form method="post" action="${acsUrl}" data-autosubmit class="sim-form">
        <input type="hidden" name="SAMLResponse" value="${samlResponse}" />
        ${relayState ? html`<input type="hidden" name="RelayState" value="${relayState}" />` : ''}
        <p>${pageMsg(str`To ${html`<span class="sim-url value">${acsUrl}</span>`}. If nothing happens, continue by hand:`)}</p>
        <div class="sim-actions"><button type="submit" class="sim-primary">${pageMsg('Continue')}</button></div>
      </form>
      <details class="sim-card">
        <summary>${pageMsg('The response XML')}</summary>
        <pre class="sim-xml">${xml}</pre>
      </details>`,
    true,
  );
}
