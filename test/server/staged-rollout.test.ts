/// <reference types="node" />
/**
 * Staged activation and the routing preview (issue 15), through the real server: a connection
 * active for test users only, seen by home-realm discovery, the demo login page, the sign-in
 * itself, events and the host's view; promotion to everyone; turning it off. Then a table of
 * emails for which the routing preview (admin API and portal API) must say what discovery does.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { routingSummary } from '../../src/core/routing.js';
import { FormBrowser } from '../support/form-browser.js';
import { startLoginServer, type LoginServer } from './login-harness.js';

let s: LoginServer;
before(async () => {
  s = await startLoginServer({ rateLimits: { limits: { public: { capacity: 100_000, windowMs: 60_000 } } } });
});
after(() => s.close());

const MAPPING = { email: 'email', firstName: 'firstName', lastName: 'lastName' };

/** A SAML connection to the simulator with a passing test (ready to activate). */
async function testedConnection(token: string, name?: string): Promise<string> {
  const { parseSamlMetadata } = await import('../../src/core/saml-metadata.js');
  const parsed = await parseSamlMetadata(await (await fetch(s.saml.metadataUrl)).text());
  assert.ok(parsed.ok);
  const m = parsed.metadata;
  const created = await s.portal(token, 'POST', '/api/portal/connections', {
    protocol: 'saml',
    providerId: 'simulator',
    ...(name ? { name } : {}),
    saml: { idpEntityId: m.entityId, ssoUrl: m.ssoServices.find((x) => x.binding.endsWith('HTTP-Redirect'))!.location, ssoBinding: 'redirect', signingCertificates: m.signingCertificates.map((c) => c.pem) },
    attributeMapping: MAPPING,
  });
  assert.equal(created.status, 201, created.text);
  const id = created.body.id as string;
  const started = await s.portal(token, 'POST', `/api/portal/connections/${id}/tests`, { mode: 'sp' });
  const browser = new FormBrowser();
  const posted = await browser.submit(await browser.go(started.body.loginUrl), { scenario: 'success' }, { button: 'sign-in' });
  assert.match((await browser.submit(posted)).text, /Test login succeeded/);
  return id;
}

async function organizationWith(name: string, domain: string) {
  const org = await s.organization(name);
  assert.equal((await s.admin('POST', `/api/admin/organizations/${org.orgId}/domains/${domain}/verify`)).status, 200);
  return org;
}

const connectionOf = async (token: string, id: string) => (await s.portal(token, 'GET', `/api/portal/connections/${id}`)).body;

const stage = async (token: string, id: string, testUsers: unknown) =>
  s.portal(token, 'PUT', `/api/portal/connections/${id}/test-users`, { version: (await connectionOf(token, id)).version, testUsers });

const setEnabled = async (token: string, id: string, enabled: boolean) => {
  const answer = await s.portal(token, 'PUT', `/api/portal/connections/${id}/enabled`, { version: (await connectionOf(token, id)).version, enabled });
  assert.equal(answer.status, 200, answer.text);
  return answer.body;
};

const discover = (email: string) =>
  fetch(`${s.origin}/api/sso/discover`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) }).then(async (r) => ({ status: r.status, body: await r.json() }));

const eventsOf = async (orgId: string) => (await s.admin('GET', `/api/admin/events?organizationId=${orgId}&limit=200`)).body.data as { type: string; data: any }[];

/** Signs in on the demo login page as `typed`, answering at the simulator as `asserted`. */
async function demoSignIn(typed: string, asserted = typed) {
  const browser = new FormBrowser();
  const page = await browser.submit(await browser.go(`${s.origin}/demo/login`), { email: typed });
  if (!/\/simulator\/saml\/sso\?/.test(page.url)) return { routed: false as const, page };
  const posted = await browser.submit(page, { email: asserted, firstName: 'Test', lastName: 'User' }, { button: 'sign-in' });
  return { routed: true as const, page: await browser.submit(posted) };
}

describe('staged activation', () => {
  test('only test users are routed; promotion and turning off; events and the host’s view follow', async () => {
    const { orgId, token } = await organizationWith('Stagecorp', 'stagecorp.example');
    const id = await testedConnection(token, 'employees');

    // Bad lists: a stable reason, a plain message, the email named.
    const outside = await stage(token, id, ['tess@stagecorp.example', 'ada@elsewhere.example']);
    assert.equal(outside.status, 422);
    assert.equal(outside.body.details.reason, 'outside_verified_domains');
    assert.deepEqual(outside.body.details.issues.map((i: { path: string }) => i.path), ['testUsers.1']);
    assert.equal(outside.body.detail, 'ada@elsewhere.example is not at a verified domain: only your organization’s own users can be test users. Your verified domains: stagecorp.example.');
    assert.deepEqual(outside.body.details.emails, ['ada@elsewhere.example']);
    assert.deepEqual(outside.body.details.verifiedDomains, ['stagecorp.example']);
    // Typos first: with an invalid email in the list, the refusal names it (the other is in `issues`).
    const both = await stage(token, id, ['ada@elsewhere.example', 'not an email']);
    assert.equal(both.body.details.reason, 'invalid_email');
    assert.deepEqual(both.body.details.emails, ['not an email']);
    assert.deepEqual(both.body.details.issues.map((i: { path: string }) => i.path), ['testUsers.0', 'testUsers.1']);
    // The API answers in English whatever the browser's language.
    const german = await fetch(`${s.server.origin}/api/portal/connections/${id}/test-users`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'accept-language': 'de' },
      body: JSON.stringify({ version: (await connectionOf(token, id)).version, testUsers: [] }),
    });
    assert.equal(((await german.json()) as { detail: string }).detail, 'Add at least one test user: the email address of a colleague who will try single sign-on first.');
    assert.equal((await stage(token, id, ['not an email'])).body.details.reason, 'invalid_email');
    assert.equal((await stage(token, id, [])).body.details.reason, 'no_test_users');
    assert.equal((await stage(token, id, Array.from({ length: 51 }, (_, i) => `u${i}@stagecorp.example`))).body.details.reason, 'too_many_test_users');

    // Active for one test user (from `configured`).
    const staged = await stage(token, id, [' Tess@Stagecorp.example ', 'tess@stagecorp.example']);
    assert.equal(staged.status, 200, staged.text);
    assert.equal(staged.body.status, 'configured');
    assert.deepEqual(staged.body.staged, { testUsers: ['tess@stagecorp.example'], signedIn: [] });

    // Discovery: the test user is routed, another user is not (and is told why).
    const tess = await discover('tess@stagecorp.example');
    assert.equal(tess.status, 200);
    assert.equal(tess.body.connection.id, id);
    const ada = await discover('ada@stagecorp.example');
    assert.equal(ada.status, 404);
    assert.equal(ada.body.details.reason, 'not_a_test_user');
    assert.match(ada.body.detail, /Simulator \(employees\) is active for test users only; ada@ is not one of them: password sign-in/);

    // The demo login page: Ada stays on it with that reason; Tess signs in through the IdP.
    const refused = await demoSignIn('ada@stagecorp.example');
    assert.equal(refused.routed, false);
    assert.equal(refused.page.status, 400);
    assert.match(refused.page.text, /ada@ is not one of them: password sign-in/);
    const signedIn = await demoSignIn('tess@stagecorp.example');
    assert.ok(signedIn.routed);
    assert.match(signedIn.page.text, /tess@stagecorp\.example/);
    assert.deepEqual((await connectionOf(token, id)).staged.signedIn, ['tess@stagecorp.example']);

    // Not through the back door: the sign-in URL with another email, or the IdP asserting another user.
    const direct = await new FormBrowser().go(`${s.origin}/sso/sign-in/${orgId}/${id}?login_hint=ada%40stagecorp.example`);
    assert.equal(direct.status, 404);
    const swapped = await demoSignIn('tess@stagecorp.example', 'ada@stagecorp.example');
    assert.equal(swapped.page.status, 403);
    assert.match(swapped.page.text, /not on for you yet/);

    // The host's view and the events.
    let sso = (await s.admin('GET', `/api/admin/organizations/${orgId}/sso`)).body;
    assert.equal(sso.status, 'staged');
    assert.deepEqual(sso.connections[0].staged, { testUsers: ['tess@stagecorp.example'], signedIn: ['tess@stagecorp.example'] });
    const stagedEvent = (await eventsOf(orgId)).find((e) => e.type === 'connection.staged');
    assert.deepEqual(stagedEvent?.data.testUsers, ['tess@stagecorp.example']);
    assert.equal(stagedEvent?.data.connection.stage, 'test_users');
    assert.equal((await eventsOf(orgId)).filter((e) => e.type === 'connection.updated').length, 0, 'a sign-in counted is not an edit');

    // Turning it off returns to the state before (configured): nobody is routed.
    const off = await setEnabled(token, id, false);
    assert.equal(off.status, 'configured');
    assert.equal(off.staged, undefined);
    assert.equal((await discover('tess@stagecorp.example')).body.details.reason, 'no_active_connection');
    const deactivated = (await eventsOf(orgId)).find((e) => e.type === 'connection.deactivated');
    assert.equal(deactivated?.data.from, 'test_users');

    // Again, then promoted to everyone in one step.
    assert.equal((await stage(token, id, ['tess@stagecorp.example'])).status, 200);
    const promoted = await setEnabled(token, id, true);
    assert.equal(promoted.status, 'active');
    assert.equal(promoted.staged, undefined);
    assert.equal((await discover('ada@stagecorp.example')).status, 200);
    assert.ok((await demoSignIn('ada@stagecorp.example')).routed);
    assert.equal((await eventsOf(orgId)).find((e) => e.type === 'connection.activated')?.data.from, 'test_users');
    sso = (await s.admin('GET', `/api/admin/organizations/${orgId}/sso`)).body;
    assert.equal(sso.status, 'active');
    assert.equal(sso.connections[0].staged, null);

    // Active for everyone: not staged again without turning it off first.
    assert.equal((await stage(token, id, ['tess@stagecorp.example'])).body.details.reason, 'already_active');
    // From `inactive`: turned off, staged, turned off again, back to `inactive`.
    assert.equal((await setEnabled(token, id, false)).status, 'inactive');
    assert.equal((await stage(token, id, ['tess@stagecorp.example'])).body.status, 'inactive');
    assert.equal((await discover('tess@stagecorp.example')).status, 200);
    assert.equal((await setEnabled(token, id, false)).status, 'inactive');
    assert.equal((await discover('tess@stagecorp.example')).status, 404);
  });

  test('a connection without a passing test cannot be staged (test_required)', async () => {
    const { token } = await organizationWith('Untested', 'untested.example');
    const created = await s.portal(token, 'POST', '/api/portal/connections', { protocol: 'oidc', providerId: 'simulator', oidc: { issuer: s.oidc.issuer, clientId: 'x', clientSecret: 'y' } });
    const answer = await stage(token, created.body.id, ['tess@untested.example']);
    assert.equal(answer.status, 409);
    assert.equal(answer.body.code, 'test_required');
  });
});

describe('routing preview', () => {
  const ids: Record<string, string> = {};
  let tokenA = '';
  before(async () => {
    // A: one connection active for everyone, a new one staged for Tess (an IdP migration).
    const a = await organizationWith('Alpha', 'alpha.example');
    tokenA = a.token;
    ids.alpha = a.orgId;
    ids.alphaOld = await testedConnection(a.token, 'old');
    await setEnabled(a.token, ids.alphaOld, true);
    ids.alphaNew = await testedConnection(a.token, 'new');
    assert.equal((await stage(a.token, ids.alphaNew, ['tess@alpha.example'])).status, 200);
    // B: staged only.
    const b = await organizationWith('Beta', 'beta.example');
    ids.beta = b.orgId;
    ids.betaConn = await testedConnection(b.token);
    assert.equal((await stage(b.token, ids.betaConn, ['tess@beta.example'])).status, 200);
    // C: a verified domain, nothing active.
    const c = await organizationWith('Gamma', 'gamma.example');
    ids.gamma = c.orgId;
    await testedConnection(c.token);
  });

  const CASES: { email: string; route: 'sso' | 'password' | 'invalid'; connection?: string; reason: string }[] = [
    { email: 'not-an-email', route: 'invalid', reason: 'invalid_email' },
    { email: 'ada@unverified.example', route: 'password', reason: 'no_verified_domain' },
    { email: 'ada@gamma.example', route: 'password', reason: 'no_active_connection' },
    { email: 'tess@beta.example', route: 'sso', connection: 'betaConn', reason: 'test_user' },
    { email: 'Tess@Beta.example', route: 'sso', connection: 'betaConn', reason: 'test_user' },
    { email: 'ada@beta.example', route: 'password', reason: 'not_a_test_user' },
    { email: 'tess@alpha.example', route: 'sso', connection: 'alphaNew', reason: 'test_user' },
    { email: 'ada@alpha.example', route: 'sso', connection: 'alphaOld', reason: 'active_for_everyone' },
  ];

  for (const c of CASES) {
    test(`${c.email}: the preview says what discovery does (${c.route}, ${c.reason})`, async () => {
      const preview = await s.admin('POST', '/api/admin/routing-preview', { email: c.email });
      assert.equal(preview.status, 200, preview.text);
      const decision = preview.body;
      assert.equal(decision.route, c.route);
      assert.equal(decision.reasons.at(-1).code, c.reason);
      const found = await discover(c.email);
      if (decision.route === 'sso') {
        assert.equal(found.status, 200);
        assert.equal(found.body.connection.id, ids[c.connection!]);
        assert.equal(decision.connection.id, found.body.connection.id);
        assert.deepEqual(decision.organization, found.body.organization);
        assert.equal(decision.connection.stage, c.reason === 'test_user' ? 'test_users' : 'everyone');
      } else {
        assert.equal(found.status, decision.route === 'invalid' ? 422 : 404);
        assert.equal(found.body.detail, routingSummary(decision), 'discovery’s message is the preview’s reasons');
        if (decision.route === 'password') assert.equal(found.body.details.reason, c.reason === 'not_a_test_user' ? 'not_a_test_user' : c.reason);
      }
    });
  }

  test('the portal’s preview: its own domains as the host sees them, another organization’s not explained', async () => {
    for (const email of ['tess@alpha.example', 'ada@alpha.example', 'not-an-email']) {
      const portal = await s.portal(tokenA, 'POST', '/api/portal/routing-preview', { email });
      assert.equal(portal.status, 200, portal.text);
      assert.deepEqual(portal.body, (await s.admin('POST', '/api/admin/routing-preview', { email })).body);
    }
    for (const email of ['tess@beta.example', 'ada@unverified.example']) {
      const portal = await s.portal(tokenA, 'POST', '/api/portal/routing-preview', { email });
      assert.equal(portal.body.route, 'password');
      assert.equal(portal.body.organization, undefined);
      assert.deepEqual(portal.body.reasons.map((r: { code: string }) => r.code), ['not_verified_here']);
      assert.doesNotMatch(JSON.stringify(portal.body), /Beta/);
    }
    const noToken = await fetch(`${s.origin}/api/portal/routing-preview`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":"a@alpha.example"}' });
    assert.equal(noToken.status, 401);
    assert.equal((await s.admin('POST', '/api/admin/routing-preview', { email: '' })).status, 422);
  });
});

