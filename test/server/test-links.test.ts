/// <reference types="node" />
/**
 * Test links for a colleague (issue 15, point 2), through the real server: the admin makes a
 * link in the portal API, the colleague opens its page (which uses nothing), presses "Sign in
 * with <provider>", signs in at the IdP simulator, and the portal lists the link as used with the
 * same `TestResult` as the admin's own test (`testLinkId` names the link). Used, expired, revoked
 * and unknown links answer a plain page with a stable code; links are scoped to one organization;
 * making them is rate-limited. On PGlite and PostgreSQL (`SSO_PORTAL_TEST_DATABASE`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseSamlMetadata } from '../../src/core/saml-metadata.js';
import { FormBrowser, formsOf, type Page } from '../support/form-browser.js';
import { OIDC_INPUT, startHarness } from './helpers.js';
import { startLoginServer, type LoginServer } from './login-harness.js';

let s: LoginServer;
before(async () => {
  s = await startLoginServer({ rateLimits: { limits: { public: { capacity: 100_000, windowMs: 60_000 }, testLinks: { capacity: 8, windowMs: 3_600_000 } } } });
});
after(() => s.close());

async function samlConnection(token: string): Promise<string> {
  const parsed = await parseSamlMetadata(await (await fetch(s.saml.metadataUrl)).text());
  assert.ok(parsed.ok);
  const redirect = parsed.metadata.ssoServices.find((x) => x.binding.endsWith('HTTP-Redirect'))!;
  const created = await s.portal(token, 'POST', '/api/portal/connections', {
    protocol: 'saml',
    providerId: 'simulator',
    name: 'Okta <b>employees</b>',
    saml: { idpEntityId: parsed.metadata.entityId, ssoUrl: redirect.location, ssoBinding: 'redirect', signingCertificates: parsed.metadata.signingCertificates.map((c) => c.pem), metadataUrl: s.saml.metadataUrl },
    attributeMapping: { email: 'email', firstName: 'firstName', lastName: 'lastName', groups: 'groups' },
  });
  assert.equal(created.status, 201, created.text);
  return created.body.id as string;
}

async function makeLink(token: string, connectionId: string, body: unknown = {}) {
  const made = await s.portal(token, 'POST', `/api/portal/connections/${connectionId}/test-links`, body);
  assert.equal(made.status, 201, made.text);
  return made.body as { id: string; url: string; status: string; expiresAt: string; createdAt: string; label?: string };
}

async function links(token: string, connectionId: string) {
  const listed = await s.portal(token, 'GET', `/api/portal/connections/${connectionId}/test-links`);
  assert.equal(listed.status, 200, listed.text);
  return listed.body as any[];
}

/** The colleague: the link's page, its button, the simulator's sign-in with `scenario`, our answer. */
async function colleagueSignsIn(browser: FormBrowser, url: string, scenario: string, user: Record<string, string> = {}): Promise<Page> {
  const page = await browser.go(url);
  assert.equal(page.status, 200, page.text.slice(0, 400));
  const atIdp = await browser.submit(page);
  assert.match(atIdp.url, /\/simulator\/saml\/sso\?SAMLRequest=/);
  const posted = await browser.submit(atIdp, { scenario, ...user }, { button: 'sign-in' });
  assert.ok('SAMLResponse' in formsOf(posted)[0]!.fields);
  return browser.submit(posted);
}

const codeOf = (page: Page) => /<code>([a-z_]+)<\/code>/.exec(page.text)?.[1];

describe('a test link for a colleague', () => {
  let orgId: string;
  let token: string;
  let connectionId: string;
  before(async () => {
    ({ orgId, token } = await s.organization('Megacorp <script>'));
    connectionId = await samlConnection(token);
  });

  test('made, opened, used once: the portal lists it used, with the colleague’s profile and attributes in the same TestResult', async () => {
    const link = await makeLink(token, connectionId, { label: 'Ada <img src=x>' });
    assert.match(link.url, new RegExp(`^${s.origin}/test-link/tl_[A-Za-z0-9_-]{43}$`));
    assert.equal(link.status, 'pending');
    assert.equal(Date.parse(link.expiresAt) - Date.parse(link.createdAt), 24 * 3_600_000);
    const [listed] = await links(token, connectionId);
    assert.equal(listed.id, link.id);
    assert.equal(listed.status, 'pending');
    assert.equal(listed.result, null);
    assert.equal(listed.url, undefined, 'the URL is shown once');
    assert.doesNotMatch(JSON.stringify(await links(token, connectionId)), /tl_[A-Za-z0-9_-]{43}|token/i, 'no token or hash listed');

    const browser = new FormBrowser();
    const page = await browser.go(link.url);
    assert.equal(page.status, 200);
    assert.match(page.text, /The IT administrator of Megacorp &lt;script&gt; is setting up/, 'hostile names as text');
    assert.match(page.text, /Sign in with Okta &lt;b&gt;employees&lt;\/b&gt;/);
    assert.doesNotMatch(page.text, /<script>(?!<)/, 'no inline script');
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(formsOf(page)[0]!.method, 'POST');
    assert.equal((await links(token, connectionId))[0].status, 'pending', 'opening the page uses nothing (link previews)');

    const atIdp = await browser.submit(page);
    assert.match(atIdp.url, /\/simulator\/saml\/sso\?SAMLRequest=/);
    const afterPress = (await links(token, connectionId))[0];
    assert.equal(afterPress.status, 'used');
    assert.equal(afterPress.result.status, 'pending', 'pending until the IdP answers');
    const posted = await browser.submit(atIdp, { email: 'ada@megacorp.example', firstName: 'Ada', lastName: 'Lovelace', groups: 'Engineering' }, { button: 'sign-in' });
    const done = await browser.submit(posted);
    assert.match(done.text, /Test login succeeded/);
    assert.match(done.text, /the person who sent you the link sees the result/);

    const used = (await links(token, connectionId))[0];
    assert.equal(used.status, 'used');
    assert.equal(used.label, 'Ada <img src=x>');
    assert.equal(used.result.status, 'success', JSON.stringify(used.result.error));
    assert.equal(used.result.testLinkId, link.id);
    assert.equal(used.result.mode, 'sp');
    assert.deepEqual(used.result.profile, { email: 'ada@megacorp.example', firstName: 'Ada', lastName: 'Lovelace', groups: ['Engineering'], subject: 'ada@megacorp.example' });
    assert.deepEqual(used.result.rawAttributes.groups, ['Engineering']);
    // The same test in the connection's history and its own route, and the connection's lastTest.
    const history = await s.portal(token, 'GET', `/api/portal/connections/${connectionId}/tests`);
    assert.equal(history.body.find((t: any) => t.id === used.result.id)?.testLinkId, link.id);
    const connection = await s.portal(token, 'GET', `/api/portal/connections/${connectionId}`);
    assert.equal(connection.body.lastTest.id, used.result.id);

    // Once only.
    const again = await new FormBrowser().go(link.url);
    assert.equal(again.status, 410);
    assert.equal(codeOf(again), 'test_link_used');
    assert.match(again.text, /already used/);
    const pressAgain = await browser.submit(page);
    assert.equal(pressAgain.status, 410);
    assert.equal(codeOf(pressAgain), 'test_link_used');

    // Events and the host's view.
    const log = await s.admin('GET', `/api/admin/events?organizationId=${orgId}`);
    const types = (log.body.data as any[]).map((e) => e.type);
    for (const type of ['test_link.created', 'test_link.used']) assert.ok(types.includes(type), `${type} in ${types.join(', ')}`);
    const succeeded = (log.body.data as any[]).find((e) => e.type === 'connection.test_succeeded' && e.data.test.id === used.result.id);
    assert.equal(succeeded?.data.test.testLinkId, link.id);
    assert.equal(succeeded?.data.test.ranBy, 'test_link');
    assert.doesNotMatch(JSON.stringify(log.body), /tl_[A-Za-z0-9_-]{43}/, 'no token in events');
    const host = await s.admin('GET', `/api/admin/organizations/${orgId}/test-links`);
    assert.equal(host.status, 200, host.text);
    assert.equal(host.body.find((l: any) => l.id === link.id)?.result.profile.email, 'ada@megacorp.example');
  });

  test('a failed login through a link: the result has the failure code and its remedy', async () => {
    const link = await makeLink(token, connectionId);
    const done = await colleagueSignsIn(new FormBrowser(), link.url, 'wrong_audience');
    assert.match(done.text, /Test login failed/);
    const listed = (await links(token, connectionId)).find((l) => l.id === link.id);
    assert.equal(listed.status, 'used');
    assert.equal(listed.result.status, 'failure');
    assert.equal(listed.result.error.code, 'audience_mismatch');
    assert.ok(listed.result.error.remedy.length > 20);
  });

  test('revoked: the page says so (test_link_revoked); a second revoke is a conflict; the event is recorded', async () => {
    const link = await makeLink(token, connectionId);
    const revoked = await s.portal(token, 'DELETE', `/api/portal/test-links/${link.id}`);
    assert.equal(revoked.status, 200, revoked.text);
    assert.equal(revoked.body.status, 'revoked');
    const page = await new FormBrowser().go(link.url);
    assert.equal(page.status, 410);
    assert.equal(codeOf(page), 'test_link_revoked');
    const post = await new FormBrowser().request(link.url, { method: 'POST', form: {} });
    assert.equal(post.status, 410);
    const again = await s.portal(token, 'DELETE', `/api/portal/test-links/${link.id}`);
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'conflict');
    const log = await s.admin('GET', `/api/admin/events?organizationId=${orgId}&type=test_link.revoked`);
    assert.ok((log.body.data as any[]).some((e) => e.target.id === link.id));
  });

  test('expired after 24 hours: test_link_expired, and nothing to revoke', async () => {
    const link = await makeLink(token, connectionId);
    await s.database.db.updateTable('test_links').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', link.id).execute();
    const page = await new FormBrowser().go(link.url);
    assert.equal(page.status, 410);
    assert.equal(codeOf(page), 'test_link_expired');
    assert.match(page.text, /24 hours/);
    assert.equal((await links(token, connectionId)).find((l) => l.id === link.id)?.status, 'expired');
    assert.equal((await s.portal(token, 'DELETE', `/api/portal/test-links/${link.id}`)).status, 409);
  });

  test('an unknown or malformed token: test_link_not_found, a plain page', async () => {
    for (const path of [`/test-link/tl_${'A'.repeat(43)}`, '/test-link/nope', `/test-link/${encodeURIComponent('<script>')}`]) {
      const page = await new FormBrowser().go(`${s.origin}${path}`);
      assert.equal(page.status, 404, path);
      assert.equal(codeOf(page), 'test_link_not_found');
      assert.doesNotMatch(page.text, /<script>/);
    }
  });

  test('scoped to one organization: another organization’s portal cannot list, revoke or make links of this connection', async () => {
    const link = await makeLink(token, connectionId);
    const other = await s.organization('Globex');
    assert.equal((await s.portal(other.token, 'GET', `/api/portal/connections/${connectionId}/test-links`)).status, 404);
    assert.equal((await s.portal(other.token, 'POST', `/api/portal/connections/${connectionId}/test-links`, {})).status, 404);
    assert.equal((await s.portal(other.token, 'DELETE', `/api/portal/test-links/${link.id}`)).status, 404);
    const globex = await s.admin('GET', `/api/admin/organizations/${other.orgId}/test-links`);
    assert.deepEqual(globex.body, []);
  });

  test('bad input: a connection not configured yet, a label too long', async () => {
    const draft = await s.portal(token, 'POST', '/api/portal/connections', { protocol: 'saml', providerId: 'okta' });
    assert.equal(draft.status, 201, draft.text);
    const refused = await s.portal(token, 'POST', `/api/portal/connections/${draft.body.id}/test-links`, {});
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, 'validation_failed');
    const long = await s.portal(token, 'POST', `/api/portal/connections/${connectionId}/test-links`, { label: 'x'.repeat(101) });
    assert.equal(long.status, 422);
    assert.match(JSON.stringify(long.body), /label/, long.text);
  });
});

test('making links is rate-limited per organization (rate_limited)', async () => {
  const { token } = await s.organization('Initech');
  const connectionId = await samlConnection(token);
  const make = () => s.portal(token, 'POST', `/api/portal/connections/${connectionId}/test-links`, {});
  let last = await make();
  assert.equal(last.status, 201, last.text);
  for (let i = 0; i < 8; i++) last = await make();
  assert.equal(last.status, 429, last.text);
  assert.equal(last.body.code, 'rate_limited');
});

test('a server without real test logins: not_available (no colleague could run the test)', async () => {
  const h = await startHarness();
  try {
    const org = await h.admin('POST', '/api/admin/organizations', { name: 'Megacorp' });
    const portalLink = await h.admin('POST', `/api/admin/organizations/${org.body.id}/links`, {});
    const created = await h.portal(portalLink.body.token, 'POST', '/api/portal/connections', OIDC_INPUT);
    assert.equal(created.status, 201, created.text);
    const made = await h.portal(portalLink.body.token, 'POST', `/api/portal/connections/${created.body.id}/test-links`, {});
    assert.equal(made.status, 501, made.text);
    assert.equal(made.body.code, 'not_available');
  } finally {
    await h.close();
  }
});
