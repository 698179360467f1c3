/**
 * The Directory Simulator's page (development server only, demo mode; issue 14 point 3):
 *
 * - `GET /simulator/directory`: a form: the directory's SCIM base URL and bearer token (from the
 *   portal's directory sync step), the provider to imitate (Okta or Microsoft Entra ID), a
 *   scenario, the number of users and their email domain. `?scimBaseUrl=` prefills the URL.
 * - `POST /simulator/directory`: runs the scenario server-side (`runner.ts`) and shows the report
 *   as a table, with the form again (the token is never written back into the page: paste it for
 *   each run).
 *
 * The requests go to this server's own app in-process, never over the network, and only to a
 * base URL on its public origin. The page answers only at the server's own Host (DNS rebinding),
 * runs posts only from its own pages (`Origin` / `Sec-Fetch-Site`), carries the server's page
 * headers (CSP with nothing inline, `form-action` this origin) and escapes every value. It speaks
 * the browser's language (page-language.ts): the runner words its report in the request's language.
 */
import { Hono, type Context, type Env } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { str } from '@lit/localize/internal/str-tag.js';
import { plural } from '../../../portal/localize/plural.js';
import { formFields, html, htmlDocument, SafeHtml } from '../../html.js';
import { pageMsg } from '../../page-text.js';
import { pageSecurityHeaders } from '../../security-headers.js';
import { DirectorySimulatorError, runDirectoryScenario, type DirectorySimulatorReport, type DirectorySimulatorStep } from './runner.js';
import {
  DEFAULT_USER_COUNT,
  DEFAULT_USER_DOMAIN,
  DIALECT_INFO,
  DIRECTORY_DIALECTS,
  DIRECTORY_SCENARIOS,
  MAX_USER_COUNT,
  SCENARIO_INFO,
  isDirectoryDialect,
  isDirectoryScenario,
  type DirectoryDialect,
  type DirectoryScenario,
} from './scenarios.js';

/** Where the Directory Simulator's page answers (the portal's guide for the "Directory Simulator" provider links here). */
export const DIRECTORY_SIMULATOR_PATH = '/simulator/directory';

export interface DirectorySimulatorRouteOptions {
  /** Where browsers reach the server: the only origin the simulator sends to. */
  publicBaseUrl: string;
  /** More `host:port` values the page answers for, besides the public URL's host. */
  allowedHosts?: string[];
}

const MAX_BODY_BYTES = 16 * 1024;

interface SimulatorForm {
  scimBaseUrl: string;
  dialect: DirectoryDialect;
  scenario: DirectoryScenario;
  users: string;
  domain: string;
  error?: { text: string; field?: DirectorySimulatorError['field'] };
}

/**
 * Mounts the page at {@link DIRECTORY_SIMULATOR_PATH}; its runs call `app` itself in-process (the
 * SCIM routes must be on `app`).
 */
export function registerDirectorySimulatorRoutes<E extends Env>(app: Hono<E>, o: DirectorySimulatorRouteOptions): void {
  app.route(DIRECTORY_SIMULATOR_PATH, createDirectorySimulatorApp<E>((request, env) => app.fetch(request, env), o));
}

/** The page as a sub-app; `appFetch` answers the SCIM requests (the whole app's `fetch`). */
export function createDirectorySimulatorApp<E extends Env>(
  appFetch: (request: Request, env: E['Bindings']) => Response | Promise<Response>,
  o: DirectorySimulatorRouteOptions,
): Hono<E> {
  const app = new Hono<E>();
  const base = o.publicBaseUrl.replace(/\/+$/, '');
  const origin = new URL(base).origin;
  const allowedHosts = new Set([new URL(base).host, ...(o.allowedHosts ?? [])].map((h) => h.toLowerCase()));
  const headers = pageSecurityHeaders({ frameAncestors: [], formAction: [origin] });

  const send = (c: Context<E>, body: SafeHtml, status: 200 | 400 | 403 = 200): Response => {
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
    c.header('cache-control', 'no-store');
    return c.html(body.value, status);
  };
  const sameHost = (c: Context<E>) => allowedHosts.has((c.req.header('host') ?? '').toLowerCase());
  const notHere = (c: Context<E>) =>
    send(c, layout(pageMsg('Not here'), html`<h1>${pageMsg('Not here')}</h1><p>${pageMsg('The Directory Simulator answers only at the address the server printed.')}</p>`), 403);

  app.use(bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.text('Request body too large.', 413) }));

  app.get('/', (c) => {
    if (!sameHost(c)) return notHere(c);
    const prefill = c.req.query('scimBaseUrl') ?? '';
    return send(c, page({ ...defaultForm(), scimBaseUrl: prefill.slice(0, 2048) }));
  });

  app.post('/', async (c) => {
    if (!sameHost(c)) return notHere(c);
    // A page of another site may not run scenarios here: our own form posts only.
    const postOrigin = c.req.header('origin');
    const fromHere = postOrigin && postOrigin !== 'null' ? allowedHosts.has(hostOf(postOrigin)) : c.req.header('sec-fetch-site') === 'same-origin';
    if (!fromHere) {
      return send(
        c,
        layout(pageMsg('Not from another site'), html`<h1>${pageMsg('Not from another site')}</h1><p>${pageMsg('The Directory Simulator runs scenarios only from its own page.')}</p>`),
        403,
      );
    }
    const fields = await formFields(c);
    const field = (name: string) => (fields[name] ?? '').trim();
    const dialect = field('dialect');
    const scenario = field('scenario');
    const form: SimulatorForm = {
      scimBaseUrl: field('scimBaseUrl').slice(0, 2048),
      dialect: isDirectoryDialect(dialect) ? dialect : 'okta',
      scenario: isDirectoryScenario(scenario) ? scenario : 'initial-import',
      users: field('users').slice(0, 10) || String(DEFAULT_USER_COUNT),
      domain: field('domain').slice(0, 253) || DEFAULT_USER_DOMAIN,
    };
    const users = /^\d{1,3}$/.test(form.users) ? Number(form.users) : Number.NaN;
    try {
      const report = await runDirectoryScenario({
        scimBaseUrl: form.scimBaseUrl,
        token: field('token'),
        dialect: (isDirectoryDialect(dialect) ? dialect : '') as DirectoryDialect,
        scenario: (isDirectoryScenario(scenario) ? scenario : '') as DirectoryScenario,
        users,
        domain: form.domain,
        serverOrigin: origin,
        fetch: (url, init) => Promise.resolve(appFetch(new Request(url, init), c.env)),
      });
      return send(c, page(form, report));
    } catch (error) {
      if (!(error instanceof DirectorySimulatorError)) throw error;
      return send(c, page({ ...form, error: { text: error.message, ...(error.field ? { field: error.field } : {}) } }), 400);
    }
  });

  return app;
}

function hostOf(value: string): string {
  try {
    return new URL(value).host.toLowerCase();
  } catch {
    return '';
  }
}

function defaultForm(): SimulatorForm {
  return { scimBaseUrl: '', dialect: 'okta', scenario: 'initial-import', users: String(DEFAULT_USER_COUNT), domain: DEFAULT_USER_DOMAIN };
}

// ---------------------------------------------------------------------------------------
// HTML (every interpolated value is escaped unless it is SafeHtml)

function layout(title: SafeHtml, body: SafeHtml): SafeHtml {
  return new SafeHtml(
    htmlDocument({
      title: pageMsg(str`${title} · Directory Simulator`),
      stylesheets: ['simulator.css'],
      body: html`<header class="sim-header"><span class="sim-brand">${pageMsg('Directory Simulator')}</span> <span class="sim-tag">${pageMsg('SCIM 2.0 · development only')}</span></header>
        <main class="sim-main sim-wide">${body}</main>`,
    }),
  );
}

/** "Passed: Initial import" (the page's title), or "Failed: …". */
const reportTitle = (report: DirectorySimulatorReport): SafeHtml =>
  report.ok ? pageMsg(str`Passed: ${SCENARIO_INFO[report.scenario].label}`) : pageMsg(str`Failed: ${SCENARIO_INFO[report.scenario].label}`);

function page(form: SimulatorForm, report?: DirectorySimulatorReport): SafeHtml {
  const error = form.error;
  const invalid = (name: NonNullable<SimulatorForm['error']>['field']) =>
    error?.field === name ? html` aria-invalid="true" aria-describedby="form-error"` : html``;
  const dialects = DIRECTORY_DIALECTS.map(
    (d) => html`<div class="sim-choice">
      <input type="radio" id="dialect-${d}" name="dialect" value="${d}" ${form.dialect === d ? html`checked` : ''} />
      <label for="dialect-${d}">${DIALECT_INFO[d].label}</label>
    </div>`,
  );
  const scenarios = DIRECTORY_SCENARIOS.map(
    (s) => html`<div class="sim-choice">
      <input type="radio" id="scenario-${s}" name="scenario" value="${s}" aria-describedby="scenario-${s}-hint" ${form.scenario === s ? html`checked` : ''} />
      <label for="scenario-${s}">${SCENARIO_INFO[s].label}</label>
      <p id="scenario-${s}-hint" class="sim-hint">${SCENARIO_INFO[s].hint}</p>
    </div>`,
  );
  return layout(
    report ? reportTitle(report) : pageMsg('Run a provisioning scenario'),
    html`<h1>${pageMsg('Directory Simulator')}</h1>
      <p class="sim-lead">${pageMsg('Sends the SCIM requests Okta or Microsoft Entra ID send when they provision users and groups, to a directory of this server, and checks each answer as the provider would.')}</p>
      ${report ? reportSection(report) : ''}
      ${error ? html`<div class="sim-error" id="form-error" role="alert"><p>${error.text}</p></div>` : ''}
      <form method="post" action="/simulator/directory" class="sim-form">
        <fieldset class="sim-card">
          <legend>${pageMsg('Directory')}</legend>
          <div class="sim-field">
            <label for="scimBaseUrl">${pageMsg('SCIM base URL')}</label>
            <input id="scimBaseUrl" name="scimBaseUrl" type="url" required value="${form.scimBaseUrl}" spellcheck="false" autocomplete="off" dir="ltr" aria-describedby="scimBaseUrl-hint" ${invalid('scimBaseUrl')} />
            <p id="scimBaseUrl-hint" class="sim-hint">${pageMsg(
              str`From the portal’s directory sync step, e.g. ${html`<code>…/scim/v2/dir_…</code>`}. Add ${html`<code>?aadOptscim062020</code>`} to send Entra ID’s compliant requests.`,
            )}</p>
          </div>
          <div class="sim-field">
            <label for="token">${pageMsg('Bearer token')}</label>
            <input id="token" name="token" type="password" required value="" spellcheck="false" autocomplete="off" dir="ltr" aria-describedby="token-hint" ${invalid('token')} />
            <p id="token-hint" class="sim-hint">${pageMsg('Shown once in the portal. It is not kept or shown here: paste it for each run.')}</p>
          </div>
        </fieldset>
        <fieldset class="sim-card">
          <legend>${pageMsg('Provider')}</legend>
          ${dialects}
        </fieldset>
        <fieldset class="sim-card">
          <legend>${pageMsg('Scenario')}</legend>
          ${scenarios}
        </fieldset>
        <fieldset class="sim-card">
          <legend>${pageMsg('Users')}</legend>
          <div class="sim-row">
            <div class="sim-field">
              <label for="users">${pageMsg('Number of users')}</label>
              <input id="users" name="users" type="number" min="1" max="${MAX_USER_COUNT}" step="1" required value="${form.users}" aria-describedby="users-hint" ${invalid('users')} />
              <p id="users-hint" class="sim-hint">${pageMsg(str`Imported and pushed as group members (1 to ${MAX_USER_COUNT}).`)}</p>
            </div>
            <div class="sim-field">
              <label for="domain">${pageMsg('Email domain')}</label>
              <input id="domain" name="domain" type="text" required value="${form.domain}" spellcheck="false" autocomplete="off" dir="ltr" aria-describedby="domain-hint" ${invalid('domain')} />
              <p id="domain-hint" class="sim-hint">${pageMsg('The organization’s verified domain, so the users can sign in with SSO.')}</p>
            </div>
          </div>
        </fieldset>
        <div class="sim-actions"><button type="submit" class="sim-primary">${pageMsg('Run the scenario')}</button></div>
      </form>`,
  );
}

/** A step's result, in the page's language. */
const outcomeText = (outcome: DirectorySimulatorStep['outcome']): SafeHtml =>
  outcome === 'pass' ? pageMsg('Passed') : outcome === 'fail' ? pageMsg('Failed') : pageMsg('Skipped');

/** What kind of step it is, when it is not a request the provider itself sends. */
const roleText = (role: DirectorySimulatorStep['role']): SafeHtml | undefined =>
  role === 'resolve' ? pageMsg('Lookup by the simulator (the provider remembers the id)') : role === 'check' ? pageMsg('Check by the simulator') : undefined;

function reportSummary(report: DirectorySimulatorReport): SafeHtml {
  const { passed, skipped } = report.counts;
  const provider = DIALECT_INFO[report.dialect].label;
  if (!report.ok) {
    const firstFailure = report.steps.find((s) => s.outcome === 'fail');
    const failed = pageMsg(str`Step ${firstFailure?.n ?? '?'} failed: ${firstFailure?.problem ?? ''}`);
    // The directory's own words, as they came (English or not): a value.
    const detail = firstFailure?.scimError?.detail;
    return detail ? html`${failed} ${pageMsg(str`The directory answered: ${html`<span class="value">${detail}</span>`}`)}` : failed;
  }
  if (skipped) {
    return plural(passed, {
      one: () => pageMsg(str`Every answer is what ${provider} expects: ${passed} step passed, ${skipped} skipped.`),
      other: () => pageMsg(str`Every answer is what ${provider} expects: ${passed} steps passed, ${skipped} skipped.`),
    });
  }
  return plural(passed, {
    one: () => pageMsg(str`Every answer is what ${provider} expects: ${passed} step passed.`),
    other: () => pageMsg(str`Every answer is what ${provider} expects: ${passed} steps passed.`),
  });
}

function reportSection(report: DirectorySimulatorReport): SafeHtml {
  const rows = report.steps.map((s) => {
    const role = roleText(s.role);
    return html`<tr class="sim-step-${s.outcome}">
      <th scope="row">${s.n}</th>
      <td>${s.title}${role ? html`<br /><span class="sim-hint">${role}</span>` : ''}</td>
      <td><code>${s.method} ${s.path}</code>${s.body ? html`<details class="sim-body"><summary>${pageMsg('Body')}</summary><code>${s.body}</code></details>` : ''}</td>
      <td>${s.status ?? '—'}</td>
      <td>${s.expected}</td>
      <td><strong>${outcomeText(s.outcome)}</strong>${s.problem ? html`<br />${s.problem}` : ''}${
        s.scimError
          ? html`<br /><span class="sim-hint"
              >${s.scimError.scimType ? pageMsg(str`SCIM error ${html`<code>${s.scimError.scimType}</code>`}`) : pageMsg('SCIM error')}${
                s.scimError.detail ? html`: <span class="value">${s.scimError.detail}</span>` : ''
              }</span
            >`
          : ''
      }</td>
    </tr>`;
  });
  const provider = DIALECT_INFO[report.dialect].label;
  const scenario = SCENARIO_INFO[report.scenario].label;
  const target = html`<span class="sim-url value">${report.scimBaseUrl}</span>`;
  const users = report.users;
  return html`<section class="sim-card sim-report" aria-labelledby="report-title">
    <h2 id="report-title">${report.ok ? pageMsg(str`Passed: ${scenario} as ${provider}`) : pageMsg(str`Failed: ${scenario} as ${provider}`)}</h2>
    <p class="${report.ok ? 'sim-pass' : 'sim-fail'}">${reportSummary(report)}</p>
    <p class="sim-hint">
      ${report.entraFlag
        ? plural(users, {
            one: () => pageMsg(str`To ${target} with ${html`<code>?aadOptscim062020</code>`} (compliant PATCH forms); ${users} user.`),
            other: () => pageMsg(str`To ${target} with ${html`<code>?aadOptscim062020</code>`} (compliant PATCH forms); ${users} users.`),
          })
        : plural(users, { one: () => pageMsg(str`To ${target}; ${users} user.`), other: () => pageMsg(str`To ${target}; ${users} users.`) })}
    </p>
    <div class="sim-table-wrap" tabindex="0" role="region" aria-labelledby="report-caption">
      <table>
        <caption id="report-caption">${pageMsg('Requests in the order they were sent')}</caption>
        <colgroup><col class="sim-col-n" /><col class="sim-col-step" /><col class="sim-col-request" /><col class="sim-col-status" /><col class="sim-col-expected" /><col class="sim-col-result" /></colgroup>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">${pageMsg('Step')}</th>
            <th scope="col">${pageMsg('Request')}</th>
            <th scope="col">${pageMsg('Status')}</th>
            <th scope="col">${pageMsg('Expected')}</th>
            <th scope="col">${pageMsg('Result')}</th>
          </tr>
        </thead>
        <tbody>${rows}</tbody>
      </table>
    </div>
  </section>`;
}
