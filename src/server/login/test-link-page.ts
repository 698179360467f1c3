/**
 * The colleague's side of a test link (core/test-link-model.ts, issue 15): the page the link opens
 * and the button that starts the test login.
 *
 * - `GET  /test-link/:token`: what will happen ("<Org>'s IT administrator asked you to test
 *   signing in with <Provider>"), who sees what, until when the link works, and a "Sign in with
 *   <Provider>" button (a form: no script). Opening the page uses nothing, so a chat app's link
 *   preview does not spend the link.
 * - `POST /test-link/:token`: uses the link (once: one conditional `UPDATE`, see
 *   `../store/test-link-store.ts`), starts an SP-initiated test of its connection that names the
 *   link (`TestResult.testLinkId`), and sends the browser to the login's start page; the IdP's
 *   answer is judged at the ACS or callback like the admin's own test, and the portal, which
 *   polls, shows it.
 *
 * A link used, expired, revoked or unknown (or whose connection is gone) is a plain page with its
 * stable code (`test_link_used`, ...), never an error trace. The token is never logged or echoed.
 */
import { Hono, type Context } from 'hono';
import type { Connection } from '../../core/model.js';
import { providerName } from '../../core/providers/names.js';
import { str } from '@lit/localize/internal/str-tag.js';
import { codeLine, pageMsg, strong } from '../page-text.js';
import { TEST_LINK_REFUSALS, testLinkRefusal, testLinkStatus, type TestLinkRefusal } from '../../core/test-link-model.js';
import { systemActor } from '../events.js';
import { html, htmlDocument, localTime, type SafeHtml } from '../html.js';
import { pageSecurityHeaders } from '../security-headers.js';
import { hashToken, type Env, type OrganizationServices } from '../server-types.js';
import type { Store } from '../store/store.js';
import type { TestLinkRecord } from '../store/test-link-store.js';
import type { OrganizationRecord } from '../types.js';
import type { LoginFlows } from './login-flows.js';

export interface TestLinkPageOptions {
  store: Store;
  services: OrganizationServices;
  loginFlows: LoginFlows;
  now: () => Date;
}

const TOKEN_SHAPE = /^tl_[A-Za-z0-9_-]{43}$/;

interface Found {
  link: TestLinkRecord;
  organization: OrganizationRecord;
  connection: Connection;
}

/** The routes, to mount at the root behind the app's middleware (rate limits, headers). */
export function testLinkRoutes(options: TestLinkPageOptions): Hono<Env> {
  const { store, services, loginFlows, now } = options;
  const app = new Hono<Env>();
  const actor = systemActor('test_link');

  /** The link of a token with its organization and connection, or why it does not work. */
  const find = async (token: string): Promise<Found | TestLinkRefusal> => {
    const link = TOKEN_SHAPE.test(token) ? await store.testLinks.findByTokenHash(hashToken(token)) : undefined;
    const refusal = testLinkRefusal(link && testLinkStatus(link, now()));
    if (refusal || !link) return refusal ?? 'test_link_not_found';
    const organization = await store.getOrganization(link.organizationId);
    const connection = organization && (await services.serviceFor(organization, actor).getConnection(link.connectionId).catch(() => undefined));
    return organization && connection ? { link, organization, connection } : 'test_link_not_found';
  };

  app.get('/test-link/:token', async (c) => {
    const found = await find(c.req.param('token'));
    if (typeof found === 'string') return refused(c, found);
    const { link, organization, connection } = found;
    const provider = connection.name ?? providerName(connection.providerId);
    return page(
      c,
      200,
      pageMsg(str`Test single sign-on for ${organization.name}`),
      html`<p>${pageMsg(str`The IT administrator of ${organization.name} is setting up single sign-on with ${strong(provider)} and asked you to try it before everyone uses it.`)}</p>
        <p>${pageMsg(str`When you press the button, ${provider} asks you to sign in as usual. This is only a test: it does not change your account or sign you in to the application.`)}</p>
        <p>${pageMsg(str`The administrator sees whether it worked and what ${provider} sent about you: your name, your email address and the other attributes of your profile.`)}</p>
        <p class="hint">${pageMsg(str`This link works once, until ${localTime(link.expiresAt)}.`)}</p>
        <form method="post" action="/test-link/${c.req.param('token')}">
          <button type="submit">${pageMsg(str`Sign in with ${provider}`)}</button>
        </form>`,
      idpOrigins(connection),
    );
  });

  app.post('/test-link/:token', async (c) => {
    const found = await find(c.req.param('token'));
    if (typeof found === 'string') return refused(c, found);
    const { organization, connection } = found;
    // Once: a second press, or another tab, finds it used.
    const used = await store.testLinks.use(organization.id, found.link.id, actor);
    if (!used) {
      const again = await store.testLinks.findByTokenHash(found.link.tokenHash);
      return refused(c, testLinkRefusal(again && testLinkStatus(again, now())) ?? 'test_link_used');
    }
    const service = services.serviceFor(organization, actor);
    let testId: string;
    try {
      ({ testId } = await service.startTest(connection.id, 'sp', used.id));
    } catch {
      // The connection changed since the page was shown (its configuration was removed).
      return page(c, 409, pageMsg('The test could not start'), html`<p>${pageMsg('The single sign-on connection is not ready to test any more. Tell the person who sent the link; they can send a new one.')}</p>${codeLine('test_link_not_ready')}`);
    }
    await store.testLinks.setTest(organization.id, used.id, testId);
    return c.redirect(await loginFlows.startTest(organization.id, connection, testId, undefined), 303);
  });

  return app;
}

/** The identity provider's origin, where the button's login goes after our redirects (CSP `form-action` covers redirects). */
function idpOrigins(connection: Connection): string[] {
  const url = connection.protocol === 'saml' ? connection.saml?.ssoUrl : connection.oidc?.issuer;
  try {
    return url ? [new URL(url).origin] : [];
  } catch {
    return [];
  }
}

function refused(c: Context, code: TestLinkRefusal): Response {
  const { title, message } = TEST_LINK_REFUSALS[code];
  return page(c, code === 'test_link_not_found' ? 404 : 410, title, html`<p>${message}</p>${codeLine(code)}`);
}

function page(c: Context, status: 200 | 404 | 409 | 410, title: string | SafeHtml, content: SafeHtml, formAction: string[] = []): Response {
  c.header('cache-control', 'no-store');
  for (const [name, value] of Object.entries(pageSecurityHeaders({ frameAncestors: [], frameSelf: false, formAction }))) c.header(name, value);
  return c.html(htmlDocument({ title, body: html`<main class="message"><h1>${title}</h1>${content}</main>`, scripts: ['local-time.js'] }), status);
}
