/// <reference types="node" />
/**
 * Real test logins through the server, driven like a browser would: the portal API starts a
 * test, the login page sends the browser to the IdP simulator, the simulator's page signs the
 * user in with a chosen scenario, its answer reaches our ACS (SAML) or callback (OIDC), and the
 * result is stored as the test's `TestResult`. Then activation, a verified domain, home-realm
 * discovery and a user's sign-in through the demo login page.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTestDatabase } from '../support/test-database.js';
import { after, before, describe, test } from 'node:test';
import { SAML_SCENARIOS } from '../../src/server/simulator/saml-scenarios.js';
import { OIDC_SCENARIOS } from '../../src/server/simulator/oidc-scenarios.js';
import { SIMULATOR_OIDC_CLIENT } from '../../src/server/simulator/oidc-idp.js';
import { TEST_WARNINGS } from '../../src/core/test-failures.js';
import { FormBrowser, formsOf, type Page } from '../support/form-browser.js';
import { startHarness, testSecretBox } from './helpers.js';
import { sharedTestDatabase, startLoginServer, type LoginServer } from './login-harness.js';

const SIMPLE_MAPPING = { email: 'email', firstName: 'firstName', lastName: 'lastName', groups: 'groups' };

let s: LoginServer;
before(async () => {
  // Many logins from one address in a minute: more than the public rate limit lets through (its own tests are elsewhere).
  s = await startLoginServer({ rateLimits: { limits: { public: { capacity: 100_000, windowMs: 60_000 } } } });
});
after(() => s.close());

/** A SAML connection to the simulator, configured as the wizard does (metadata parsed by the portal). */
async function samlConnection(token: string, on: LoginServer = s): Promise<string> {
  const { parseSamlMetadata } = await import('../../src/core/saml-metadata.js');
  const xml = await (await fetch(on.saml.metadataUrl)).text();
  const parsed = await parseSamlMetadata(xml);
  assert.ok(parsed.ok, 'the simulator metadata parses');
  const m = parsed.metadata;
  const redirect = m.ssoServices.find((x) => x.binding.endsWith('HTTP-Redirect'))!;
  const created = await on.portal(token, 'POST', '/api/portal/connections', {
    protocol: 'saml',
    providerId: 'simulator',
    saml: {
      idpEntityId: m.entityId,
      ssoUrl: redirect.location,
      ssoBinding: 'redirect',
      signingCertificates: m.signingCertificates.map((c) => c.pem),
      metadataUrl: on.saml.metadataUrl,
    },
    attributeMapping: SIMPLE_MAPPING,
  });
  assert.equal(created.status, 201, created.text);
  return created.body.id as string;
}

async function oidcConnection(token: string, clientSecret: string = SIMULATOR_OIDC_CLIENT.clientSecret, on: LoginServer = s): Promise<string> {
  const created = await on.portal(token, 'POST', '/api/portal/connections', {
    protocol: 'oidc',
    providerId: 'simulator',
    oidc: { issuer: on.oidc.issuer, clientId: SIMULATOR_OIDC_CLIENT.clientId, clientSecret },
    attributeMapping: { email: 'email', firstName: 'given_name', lastName: 'family_name', groups: 'groups' },
  });
  assert.equal(created.status, 201, created.text);
  return created.body.id as string;
}

async function startTest(token: string, connectionId: string, mode: 'sp' | 'idp' = 'sp', on: LoginServer = s) {
  const started = await on.portal(token, 'POST', `/api/portal/connections/${connectionId}/tests`, { mode });
  assert.equal(started.status, 201, started.text);
  return started.body as { testId: string; loginUrl?: string };
}

async function result(token: string, testId: string, on: LoginServer = s) {
  const answer = await on.portal(token, 'GET', `/api/portal/tests/${testId}`);
  assert.equal(answer.status, 200, answer.text);
  return answer.body as { status: string; error: { code: string; remedy: string; details?: Record<string, unknown> } | null; profile: any; rawAttributes: Record<string, string[]> };
}

/** Opens the login page, picks the scenario on the simulator's page, and posts its answer to us. */
async function samlLogin(browser: FormBrowser, loginUrl: string, scenario: string, user: Record<string, string> = {}): Promise<Page> {
  const loginPage = await browser.go(loginUrl);
  assert.equal(loginPage.status, 200, loginPage.text.slice(0, 500));
  assert.match(loginPage.url, /\/simulator\/saml\/sso\?SAMLRequest=/);
  const deny = scenario === 'user_denies';
  const posted = await browser.submit(loginPage, { scenario: deny ? 'success' : scenario, ...user }, { button: deny ? 'deny' : 'sign-in' });
  assert.equal(posted.status, 200, posted.text.slice(0, 500));
  const [form] = formsOf(posted);
  assert.ok(form && 'SAMLResponse' in form.fields, 'the simulator answers with an auto-posting form');
  return browser.submit(posted);
}

describe('SAML test logins through the IdP simulator', () => {
  let token: string;
  let connectionId: string;
  before(async () => {
    ({ token } = await s.organization('Megacorp'));
    connectionId = await samlConnection(token);
  });

  test('success: the profile and every attribute are stored; the result page tells only the opener’s origin', async () => {
    const { testId, loginUrl } = await startTest(token, connectionId);
    assert.ok(loginUrl?.startsWith(`${s.origin}/sso/start/`));
    const browser = new FormBrowser();
    const page = await samlLogin(browser, loginUrl!, 'success', { email: 'grace@megacorp.example', firstName: 'Grace', lastName: 'Hopper', groups: 'Navy, Admins' });
    assert.equal(page.status, 200);
    assert.match(page.text, /Test login succeeded/);
    assert.match(page.text, new RegExp(`data-opener-origin="${s.origin}"`));
    assert.match(page.text, new RegExp(`data-test-id="${testId}"`));
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.doesNotMatch(page.text, /<script>/, 'no inline script');
    const r = await result(token, testId);
    assert.equal(r.status, 'success', JSON.stringify(r.error));
    assert.deepEqual(r.profile, { email: 'grace@megacorp.example', firstName: 'Grace', lastName: 'Hopper', groups: ['Navy', 'Admins'], subject: 'grace@megacorp.example' });
    assert.deepEqual(r.rawAttributes.groups, ['Navy', 'Admins']);
    assert.doesNotMatch(JSON.stringify(r), /SignatureValue|BEGIN CERTIFICATE|<saml/i, 'no raw signature or XML in the result');
  });

  for (const scenario of SAML_SCENARIOS.filter((x) => x.expectedCode !== null)) {
    test(`scenario ${scenario.id} ends as ${scenario.expectedCode}, with a remedy`, async () => {
      const { testId, loginUrl } = await startTest(token, connectionId);
      const page = await samlLogin(new FormBrowser(), loginUrl!, scenario.id);
      assert.match(page.text, /Test login failed/);
      const r = await result(token, testId);
      assert.equal(r.status, 'failure');
      assert.equal(r.error?.code, scenario.expectedCode, JSON.stringify(r.error));
      assert.ok(r.error.remedy.length > 20);
    });
  }

  test('a replayed response is refused and does not change the result', async () => {
    const { testId, loginUrl } = await startTest(token, connectionId);
    const browser = new FormBrowser();
    const loginPage = await browser.go(loginUrl!);
    const posted = await browser.submit(loginPage, {}, { button: 'sign-in' });
    const first = await browser.submit(posted);
    assert.match(first.text, /Test login succeeded/);
    const again = await browser.submit(posted);
    assert.equal(again.status, 409);
    assert.match(again.text, /response_replayed/);
    assert.equal((await result(token, testId)).status, 'success');
  });

  test('an SP-initiated answer to another request is refused (request_mismatch)', async () => {
    const one = await startTest(token, connectionId);
    const two = await startTest(token, connectionId);
    const browser = new FormBrowser();
    // The simulator answers test one's request, but the answer carries test two's RelayState.
    const pageOne = await browser.go(one.loginUrl!);
    const pageTwo = await browser.go(two.loginUrl!);
    const relayStateTwo = formsOf(pageTwo)[0]!.fields.relayState!;
    const posted = await browser.submit(pageOne, { relayState: relayStateTwo }, { button: 'sign-in' });
    await browser.submit(posted);
    const r = await result(token, two.testId);
    assert.equal(r.error?.code, 'request_mismatch', JSON.stringify(r.error));
  });

  test('IdP-initiated: an unsolicited response completes the pending IdP-mode test', async () => {
    const { testId, loginUrl } = await startTest(token, connectionId, 'idp');
    assert.ok(loginUrl?.includes('/simulator/saml/idp-initiated?connection='), 'the simulator’s launch page is offered');
    const browser = new FormBrowser();
    const launch = await browser.go(loginUrl!);
    assert.equal(launch.status, 200);
    const posted = await browser.submit(launch, {}, { button: 'sign-in' });
    const page = await browser.submit(posted);
    assert.match(page.text, /Test login succeeded/);
    assert.equal((await result(token, testId)).status, 'success');
  });

  test('an unsolicited response with no IdP-mode test waiting is refused', async () => {
    const browser = new FormBrowser();
    const launch = await browser.go(`${s.origin}/simulator/saml/idp-initiated?connection=${encodeURIComponent(`${(await s.admin('GET', '/api/admin/organizations')).body[0].id}/${connectionId}`)}`);
    const posted = await browser.submit(launch, {}, { button: 'sign-in' });
    const page = await browser.submit(posted);
    assert.equal(page.status, 409);
    assert.match(page.text, /request_mismatch/);
  });

  test('a login link works until it is used; a made-up one is refused', async () => {
    const browser = new FormBrowser();
    const unknown = await browser.go(`${s.origin}/sso/start/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`);
    assert.equal(unknown.status, 404);
    const acs = await browser.request(`${s.origin}/saml/nope/nope/acs`, { form: { SAMLResponse: 'x' } });
    assert.equal(acs.status, 404);
  });
});

describe('OIDC test logins through the IdP simulator', () => {
  let token: string;
  let connectionId: string;
  before(async () => {
    ({ token } = await s.organization('Initech'));
    connectionId = await oidcConnection(token);
  });

  async function oidcLogin(loginUrl: string, scenario: string): Promise<Page> {
    const browser = new FormBrowser();
    const interaction = await browser.go(loginUrl);
    assert.equal(interaction.status, 200, interaction.text.slice(0, 300));
    assert.match(interaction.url, /\/simulator\/oidc\/interaction\//);
    const deny = scenario === 'access_denied';
    return browser.submit(interaction, { scenario }, { button: deny ? 'deny' : 'signin' });
  }

  for (const scenario of OIDC_SCENARIOS) {
    test(`scenario ${scenario.id} ends as ${scenario.expectedCode ?? 'success'}`, async () => {
      const { testId, loginUrl } = await startTest(token, connectionId);
      const page = await oidcLogin(loginUrl!, scenario.id);
      assert.equal(page.status, 200, page.text.slice(0, 500));
      const r = await result(token, testId);
      if (scenario.expectedCode === null) {
        assert.equal(r.status, 'success', JSON.stringify(r.error));
        assert.equal(r.profile.email, 'ada@megacorp.example');
      } else {
        assert.equal(r.error?.code, scenario.expectedCode, JSON.stringify(r.error));
      }
      const serialized = JSON.stringify(r);
      assert.doesNotMatch(serialized, new RegExp(SIMULATOR_OIDC_CLIENT.clientSecret), 'no client secret');
      assert.doesNotMatch(serialized, /eyJ[A-Za-z0-9_-]{10,}\./, 'no token');
    });
  }

  test('a wrong client secret saved in the connection is oidc_invalid_client', async () => {
    const wrong = await oidcConnection(token, 'not-the-simulator-secret');
    const { testId, loginUrl } = await startTest(token, wrong);
    await oidcLogin(loginUrl!, 'success');
    assert.equal((await result(token, testId)).error?.code, 'oidc_invalid_client');
  });

  test('a callback whose state was already used is refused as a replay', async () => {
    const { loginUrl } = await startTest(token, connectionId);
    const browser = new FormBrowser();
    const interaction = await browser.go(loginUrl!);
    const done = await browser.submit(interaction, { scenario: 'success' }, { button: 'signin' });
    const callback = browser.visited.find((u) => u.includes('/callback?'));
    assert.ok(callback, 'went through our callback');
    assert.match(done.text, /Test login succeeded/);
    const again = await browser.go(callback);
    assert.equal(again.status, 409);
    assert.match(again.text, /response_replayed/);
  });
});

describe('activation, domains and sign-in by email domain (home-realm discovery)', () => {
  test('discovery finds only verified domains with an active connection; the demo login page signs the user in', async () => {
    const { orgId, token } = await s.organization('Umbrella');
    const connectionId = await samlConnection(token);
    const discover = (email: string) =>
      fetch(`${s.origin}/api/sso/discover`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) }).then(async (r) => ({ status: r.status, body: (await r.json()) }));

    // Not verified yet: nothing is found.
    await s.portal(token, 'POST', '/api/portal/domains', { name: 'umbrella.example' });
    let found = await discover('alice@umbrella.example');
    assert.equal(found.status, 404);
    assert.equal(found.body.details.reason, 'no_verified_domain');

    // Verified (manual path, by the host's admin) but no active connection.
    assert.equal((await s.admin('POST', `/api/admin/organizations/${orgId}/domains/umbrella.example/verify`)).status, 200);
    found = await discover('alice@umbrella.example');
    assert.equal(found.status, 404);
    assert.equal(found.body.details.reason, 'no_active_connection');

    // A successful test, then activation.
    const { loginUrl } = await startTest(token, connectionId);
    await samlLogin(new FormBrowser(), loginUrl!, 'success');
    const connection = (await s.portal(token, 'GET', `/api/portal/connections/${connectionId}`)).body;
    const activated = await s.portal(token, 'PUT', `/api/portal/connections/${connectionId}/enabled`, { enabled: true, version: connection.version });
    assert.equal(activated.status, 200, activated.text);

    found = await discover('Alice@Umbrella.example');
    assert.equal(found.status, 200);
    assert.deepEqual(found.body.organization, { id: orgId, name: 'Umbrella' });
    assert.equal(found.body.connection.id, connectionId);
    assert.equal(found.body.loginUrl, `${s.origin}/sso/sign-in/${orgId}/${connectionId}`);
    assert.equal((await discover('not-an-email')).status, 422);
    assert.equal((await discover('bob@elsewhere.example')).status, 404);

    // The demo host app's login page: email -> IdP -> back, signed in.
    const browser = new FormBrowser();
    const loginPage = await browser.go(`${s.origin}/demo/login`);
    assert.match(loginPage.text, /Sign in with SSO/);
    const unknown = await browser.submit(loginPage, { email: 'bob@elsewhere.example' });
    assert.equal(unknown.status, 400);
    assert.match(unknown.text, /role="alert"/);
    assert.match(unknown.text, /value="bob@elsewhere.example"/, 'what was typed is kept');
    const idp = await browser.submit(loginPage, { email: 'alice@umbrella.example' });
    assert.match(idp.url, /\/simulator\/saml\/sso\?/);
    const posted = await browser.submit(idp, { email: 'alice@umbrella.example', firstName: 'Alice', lastName: 'Abernathy' }, { button: 'sign-in' });
    const signedIn = await browser.submit(posted);
    assert.equal(signedIn.status, 200);
    assert.match(signedIn.url, /\/demo\/login$/);
    assert.match(signedIn.text, /Welcome, Alice Abernathy/);
    assert.match(signedIn.text, /alice@umbrella\.example/);

    // A failed sign-in (wrong audience) shows the code and does not sign in.
    const other = new FormBrowser();
    const page = await other.submit(await other.go(`${s.origin}/demo/login`), { email: 'eve@umbrella.example' });
    const bad = await other.submit(page, { scenario: 'wrong_audience' }, { button: 'sign-in' });
    const refused = await other.submit(bad);
    assert.equal(refused.status, 403);
    assert.match(refused.text, /audience_mismatch/);

    // Sign out.
    const out = await browser.submit(signedIn);
    assert.match(out.text, /Sign in with SSO/);

    // Deactivated: discovery stops routing.
    const current = (await s.portal(token, 'GET', `/api/portal/connections/${connectionId}`)).body;
    await s.portal(token, 'PUT', `/api/portal/connections/${connectionId}/enabled`, { enabled: false, version: current.version });
    assert.equal((await discover('alice@umbrella.example')).body.details.reason, 'no_active_connection');
  });
});

describe('a test login nobody finishes', () => {
  test('ends as timeout after the configured time, with how long we waited', async () => {
    const h = await startHarness({ logins: { testTimeoutMs: 60_000 } });
    try {
      const { token } = await h.organization('Sleepy');
      const created = await h.portal(token, 'POST', '/api/portal/connections', {
        protocol: 'saml',
        providerId: 'okta',
        saml: { idpEntityId: 'http://www.okta.com/x', ssoUrl: 'https://megacorp.okta.example/sso', ssoBinding: 'redirect', signingCertificates: [s.saml.certificatePem] },
        attributeMapping: SIMPLE_MAPPING,
      });
      assert.equal(created.status, 201, created.text);
      const started = await h.portal(token, 'POST', `/api/portal/connections/${created.body.id}/tests`, { mode: 'sp' });
      assert.match(started.body.loginUrl, /\/sso\/start\//);
      h.clock.advance(59_000);
      assert.equal((await h.portal(token, 'GET', `/api/portal/tests/${started.body.testId}`)).body.status, 'pending');
      h.clock.advance(2_000);
      const done = await h.portal(token, 'GET', `/api/portal/tests/${started.body.testId}`);
      assert.equal(done.body.status, 'failure');
      assert.equal(done.body.error.code, 'timeout');
    } finally {
      await h.close();
    }
  });
});

describe('the ACS against hostile responses (idp-corpus/saml-malicious)', () => {
  test('every sample posted to a connection’s ACS is refused with a coded failure; none signs anyone in', async () => {
    const { token } = await s.organization('Hostile Inc');
    const connectionId = await samlConnection(token);
    const orgId = (await s.portal(token, 'GET', '/api/portal/session')).body.organization.id as string;
    const dir = new URL('../fixtures/idp-corpus/saml-malicious/', import.meta.url);
    const files = readdirSync(dir).sort();
    assert.ok(files.length >= 15, 'the corpus is there');
    for (const file of files) {
      const text = readFileSync(new URL(file, dir), 'utf8').trim();
      const form = /^[A-Za-z0-9+/=\s]+$/.test(text) ? text.replace(/\s+/g, '') : Buffer.from(text, 'utf8').toString('base64');
      const { testId } = await startTest(token, connectionId, 'idp');
      const page = await new FormBrowser().request(`${s.origin}/saml/${orgId}/${connectionId}/acs`, { form: { SAMLResponse: form } });
      assert.equal(page.status, 200, `${file}: ${page.text.slice(0, 200)}`);
      assert.match(page.text, /Test login failed/, file);
      const r = await result(token, testId);
      assert.equal(r.status, 'failure', file);
      assert.ok(
        ['signature_invalid', 'certificate_mismatch', 'response_malformed', 'response_unsigned', 'issuer_mismatch', 'destination_mismatch', 'audience_mismatch', 'assertion_expired', 'request_mismatch'].includes(r.error!.code),
        `${file}: ${r.error!.code}`,
      );
    }
  });
});

describe('the demo login form', () => {
  test('is accepted from its own page (Origin: null + Sec-Fetch-Site: same-origin, as our no-referrer pages post) and refused cross-site', async () => {
    const post = (headers: Record<string, string>) =>
      new FormBrowser().request(`${s.origin}/demo/login`, { form: { email: 'nobody@unknown.example' }, headers });
    // Accepted: the form is handled (an unknown domain answers the form again, 400, with the message).
    assert.equal((await post({ origin: 'null', 'sec-fetch-site': 'same-origin' })).status, 400);
    assert.equal((await post({ origin: s.origin })).status, 400);
    // Refused before any work.
    assert.equal((await post({ origin: 'null', 'sec-fetch-site': 'cross-site' })).status, 403);
    assert.equal((await post({ origin: 'http://evil.example' })).status, 403);
    assert.equal((await post({})).status, 403);
  });
});

// ---------------------------------------------------------------------------------------
// Issue 10

/** An organization with `domain` verified and a tested, active connection of `protocol`. */
async function activeOrganization(name: string, domain: string, protocol: 'saml' | 'oidc') {
  const { orgId, token } = await s.organization(name);
  assert.equal((await s.admin('POST', `/api/admin/organizations/${orgId}/domains/${domain}/verify`)).status, 200);
  const connectionId = protocol === 'saml' ? await samlConnection(token) : await oidcConnection(token);
  const { testId, loginUrl } = await startTest(token, connectionId);
  const browser = new FormBrowser();
  if (protocol === 'saml') await samlLogin(browser, loginUrl!, 'success', { email: `tester@${domain}` });
  else await browser.submit(await browser.go(loginUrl!), { scenario: 'success', email: `tester@${domain}` }, { button: 'signin' });
  assert.equal((await result(token, testId)).status, 'success');
  const connection = (await s.portal(token, 'GET', `/api/portal/connections/${connectionId}`)).body;
  const on = await s.portal(token, 'PUT', `/api/portal/connections/${connectionId}/enabled`, { enabled: true, version: connection.version });
  assert.equal(on.status, 200, on.text);
  return { orgId, token, connectionId };
}

/** A user's sign-in from the demo login page: types `typed`, and the IdP simulator signs in `idpUser`. */
async function demoSignIn(typed: string, protocol: 'saml' | 'oidc', idpUser: Record<string, string> = {}): Promise<{ idpPage: Page; page: Page }> {
  const browser = new FormBrowser();
  const idpPage = await browser.submit(await browser.go(`${s.origin}/demo/login`), { email: typed });
  assert.equal(idpPage.status, 200, idpPage.text.slice(0, 300));
  if (protocol === 'oidc') return { idpPage, page: await browser.submit(idpPage, { scenario: 'success', ...idpUser }, { button: 'signin' }) };
  const posted = await browser.submit(idpPage, idpUser, { button: 'sign-in' });
  return { idpPage, page: await browser.submit(posted) };
}

describe('sign-ins only for emails at the organization’s verified domains (email_outside_domains)', () => {
  let alpha: { orgId: string; token: string; connectionId: string };
  let beta: { orgId: string; token: string; connectionId: string };
  before(async () => {
    alpha = await activeOrganization('Alpha', 'alpha.example', 'saml');
    beta = await activeOrganization('Beta', 'beta.example', 'oidc');
    // Another organization verified victim-corp.example.
    const victim = await s.organization('Victim Corp');
    assert.equal((await s.admin('POST', `/api/admin/organizations/${victim.orgId}/domains/victim-corp.example/verify`)).status, 200);
  });

  for (const protocol of ['saml', 'oidc'] as const) {
    test(`${protocol}: a user at the verified domain signs in; an email changed at the IdP to another domain is refused`, async () => {
      const domain = protocol === 'saml' ? 'alpha.example' : 'beta.example';
      const ok = await demoSignIn(`Alice@${domain.toUpperCase()}`, protocol, { email: `Alice@${domain.toUpperCase()}` });
      assert.equal(ok.page.status, 200, ok.page.text.slice(0, 500));
      assert.match(ok.page.text, /Welcome/);

      for (const email of ['mallory@victim-corp.example', 'mallory@elsewhere.example', `mallory@sub.${domain}`]) {
        const { page } = await demoSignIn(`u@${domain}`, protocol, { email });
        assert.equal(page.status, 403, `${email}: ${page.text.slice(0, 500)}`);
        assert.match(page.text, /email_outside_domains/);
        assert.match(page.text, new RegExp(email.split('@')[1]!.replace(/\./g, '\\.')), 'names the email’s domain');
        assert.match(page.text, new RegExp(domain.replace(/\./g, '\\.')), 'names the organization’s domains');
        assert.doesNotMatch(page.text, /Welcome/);
      }
    });
  }

  test('saml: an IdP-initiated sign-in for another domain is refused too', async () => {
    const browser = new FormBrowser();
    const launch = await browser.go(`${s.origin}/simulator/saml/idp-initiated?connection=${alpha.orgId}/${alpha.connectionId}`);
    const posted = await browser.submit(launch, { email: 'mallory@victim-corp.example' }, { button: 'sign-in' });
    const page = await browser.submit(posted);
    assert.equal(page.status, 403, page.text.slice(0, 500));
    assert.match(page.text, /email_outside_domains/);
    const good = await browser.submit(await browser.go(`${s.origin}/simulator/saml/idp-initiated?connection=${alpha.orgId}/${alpha.connectionId}`), { email: 'bob@alpha.example' }, { button: 'sign-in' });
    const signedIn = await browser.submit(good);
    assert.equal(signedIn.status, 200, signedIn.text.slice(0, 500));
  });

  test('a test login with an email outside the verified domains fails with email_outside_domains, profile kept', async () => {
    for (const [org, protocol] of [[alpha, 'saml'], [beta, 'oidc']] as const) {
      const { testId, loginUrl } = await startTest(org.token, org.connectionId);
      const browser = new FormBrowser();
      if (protocol === 'saml') await samlLogin(browser, loginUrl!, 'success', { email: 'grace@victim-corp.example' });
      else await browser.submit(await browser.go(loginUrl!), { scenario: 'success', email: 'grace@victim-corp.example' }, { button: 'signin' });
      const r = await result(org.token, testId);
      assert.equal(r.status, 'failure', protocol);
      assert.equal(r.error?.code, 'email_outside_domains', protocol);
      assert.deepEqual(r.error?.details, { emailDomain: 'victim-corp.example', allowedDomains: [protocol === 'saml' ? 'alpha.example' : 'beta.example'] });
      assert.equal(r.profile.email, 'grace@victim-corp.example', 'the profile that arrived is shown');
    }
  });

  test('a test login before any domain is verified succeeds with the warning domain_not_verified', async () => {
    const { token } = await s.organization('Setup Co');
    for (const protocol of ['saml', 'oidc'] as const) {
      const connectionId = protocol === 'saml' ? await samlConnection(token) : await oidcConnection(token);
      const { testId, loginUrl } = await startTest(token, connectionId);
      const browser = new FormBrowser();
      if (protocol === 'saml') await samlLogin(browser, loginUrl!, 'success', { email: 'ann@setup.example' });
      else await browser.submit(await browser.go(loginUrl!), { scenario: 'success', email: 'ann@setup.example' }, { button: 'signin' });
      const r = (await result(token, testId)) as Awaited<ReturnType<typeof result>> & { warnings?: unknown };
      assert.equal(r.status, 'success', JSON.stringify(r.error));
      assert.deepEqual(r.warnings, [{ code: 'domain_not_verified', ...TEST_WARNINGS.domain_not_verified, details: { emailDomain: 'setup.example' } }]);
      // Stored with the test: the list of tests has it too.
      const listed = (await s.portal(token, 'GET', `/api/portal/connections/${connectionId}/tests`)).body as { id: string; warnings?: unknown }[];
      assert.deepEqual(listed.find((t) => t.id === testId)?.warnings, r.warnings);
    }
    // With the domain verified, a test login at that domain has no warning.
    const { testId, loginUrl } = await startTest(alpha.token, alpha.connectionId);
    await samlLogin(new FormBrowser(), loginUrl!, 'success', { email: 'ann@alpha.example' });
    const r = (await result(alpha.token, testId)) as Awaited<ReturnType<typeof result>> & { warnings?: unknown };
    assert.equal(r.status, 'success', JSON.stringify(r.error));
    assert.equal(r.warnings, undefined);
  });
});

describe('the IdP simulator prefills the user: the email typed on the login page, else one at the organization’s verified domain', () => {
  const emailValue = (page: Page) => /<input id="email" name="email" type="email"(?: required)? value="([^"]*)"/.exec(page.text)?.[1];
  let alpha: { orgId: string; token: string; connectionId: string };
  let beta: { orgId: string; token: string; connectionId: string };
  before(async () => {
    alpha = await activeOrganization('Prefill SAML', 'prefill-saml.example', 'saml');
    beta = await activeOrganization('Prefill OIDC', 'prefill-oidc.example', 'oidc');
  });

  test('a sign-in: the email typed on the demo login page (login_hint), SAML and OIDC', async () => {
    const saml = await demoSignIn('Zoe@prefill-saml.example', 'saml');
    assert.match(saml.idpPage.url, /[?&]login_hint=Zoe%40prefill-saml\.example(&|$)/);
    assert.equal(emailValue(saml.idpPage), 'Zoe@prefill-saml.example');
    assert.match(saml.page.text, /Welcome/);
    const oidc = await demoSignIn('max@prefill-oidc.example', 'oidc');
    assert.equal(emailValue(oidc.idpPage), 'max@prefill-oidc.example');
    assert.match(oidc.page.text, /Welcome/);
  });

  test('a test login: a user at the organization’s first verified domain; with none verified, the default user', async () => {
    for (const [org, protocol] of [[alpha, 'saml'], [beta, 'oidc']] as const) {
      const { loginUrl } = await startTest(org.token, org.connectionId);
      const page = await new FormBrowser().go(loginUrl!);
      assert.equal(emailValue(page), `ada@prefill-${protocol}.example`, protocol);
    }
    const { token } = await s.organization('No Domain Yet');
    const connectionId = await samlConnection(token);
    const { loginUrl } = await startTest(token, connectionId);
    assert.equal(emailValue(await new FormBrowser().go(loginUrl!)), 'ada@megacorp.example');
    const idp = await new FormBrowser().go(`${s.origin}/simulator/saml/idp-initiated?connection=${alpha.orgId}/${alpha.connectionId}`);
    assert.equal(emailValue(idp), 'ada@prefill-saml.example', 'the IdP-initiated page too');
  });
});

describe('a login is settled only at its own connection’s ACS or callback', () => {
  test('saml: a post to another organization’s ACS with a pending RelayState neither ends nor spends that login', async () => {
    const y = await s.organization('Org Y');
    const yConnection = await samlConnection(y.token);
    const h = await s.organization('Org H');
    const hConnection = await samlConnection(h.token);
    const { testId, loginUrl } = await startTest(y.token, yConnection);
    const browser = new FormBrowser();
    const idpPage = await browser.go(loginUrl!);
    const relayState = formsOf(idpPage)[0]!.fields.relayState!;
    assert.ok(relayState);

    // Junk, then Y's own genuine response, at H's ACS with Y's RelayState.
    const hAcs = `${s.origin}/saml/${h.orgId}/${hConnection}/acs`;
    const junk = await new FormBrowser().request(hAcs, { form: { SAMLResponse: 'PGp1bmsvPg==', RelayState: relayState } });
    assert.equal(junk.status, 400, junk.text.slice(0, 300));
    assert.match(junk.text, /request_mismatch/);
    const posted = await browser.submit(idpPage, {}, { button: 'sign-in' });
    const genuine = formsOf(posted)[0]!.fields;
    const elsewhere = await new FormBrowser().request(hAcs, { form: genuine });
    assert.equal(elsewhere.status, 400);
    assert.equal((await result(y.token, testId)).status, 'pending', 'Y’s test is still waiting');

    // Y's response at Y's ACS still completes Y's test.
    const page = await browser.submit(posted);
    assert.match(page.text, /Test login succeeded/);
    assert.equal((await result(y.token, testId)).status, 'success');
  });

  test('oidc: a callback of another connection with a pending state neither ends nor spends that login', async () => {
    const { orgId, token } = await s.organization('Org O');
    const a = await oidcConnection(token);
    const b = await oidcConnection(token);
    const { testId, loginUrl } = await startTest(token, a);
    const browser = new FormBrowser();
    const interaction = await browser.go(loginUrl!);
    const authorization = browser.visited.find((u) => u.includes('/simulator/oidc/auth'));
    assert.ok(authorization, browser.visited.join('\n'));
    const state = new URL(authorization).searchParams.get('state')!;
    const other = await new FormBrowser().go(`${s.origin}/oidc/${orgId}/${b}/callback?code=junk&state=${encodeURIComponent(state)}`);
    assert.equal(other.status, 400, other.text.slice(0, 300));
    assert.match(other.text, /request_mismatch/);
    assert.equal((await result(token, testId)).status, 'pending');
    const done = await browser.submit(interaction, { scenario: 'success' }, { button: 'signin' });
    assert.match(done.text, /Test login succeeded/);
    assert.equal((await result(token, testId)).status, 'success');
  });
});

/** Signs in successfully on the simulator's page and checks our result page says so. */
async function signInOnSimulator(browser: FormBrowser, idpPage: Page, protocol: 'saml' | 'oidc'): Promise<void> {
  const done =
    protocol === 'saml'
      ? await browser.submit(await browser.submit(idpPage, { scenario: 'success' }, { button: 'sign-in' }))
      : await browser.submit(idpPage, { scenario: 'success' }, { button: 'signin' });
  assert.match(done.text, /Test login succeeded/, done.text.slice(0, 800));
}

describe('logins in the database: a restart or another instance loses nothing', () => {
  test('a SAML response accepted before a restart is refused after it (response_replayed)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sso-replay-'));
    try {
      // One database for both servers (a restart), the simulators' keys in the same folder.
      const database = await openTestDatabase();
      const secrets = testSecretBox();
      const first = await startLoginServer({ database, secrets, dataDir: dir });
      const { orgId, token } = await first.organization('Restarted');
      const connectionId = await samlConnection(token, first);
      const one = await startTest(token, connectionId, 'idp', first);
      const browser = new FormBrowser();
      const posted = await browser.submit(await browser.go(one.loginUrl!), {}, { button: 'sign-in' });
      const genuine = formsOf(posted)[0]!;
      assert.match(genuine.action, new RegExp(`/saml/${orgId}/${connectionId}/acs$`));
      assert.match((await browser.submit(posted)).text, /Test login succeeded/);
      const { port } = first.server;
      await first.close();

      // The same database and folder, the same address: a new process would see exactly this.
      const second = await startLoginServer({ database, secrets, dataDir: dir, port });
      try {
        const two = await startTest(token, connectionId, 'idp', second);
        const page = await new FormBrowser().request(genuine.action, { form: genuine.fields });
        assert.match(page.text, /Test login failed/);
        const r = await result(token, two.testId, second);
        assert.equal(r.error?.code, 'response_replayed', JSON.stringify(r.error));
      } finally {
        await second.close();
        await database.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  for (const protocol of ['saml', 'oidc'] as const) {
    test(`${protocol}: a test login started on one instance completes on another (same database and store, behind one address)`, async () => {
      const shared = await sharedTestDatabase();
      const lb = await startLoginServer({ database: await shared.connect() });
      try {
        const other = await lb.addInstance({ database: await shared.connect() });
        const { token } = await lb.organization(`Two instances ${protocol}`);
        const connectionId = protocol === 'saml' ? await samlConnection(token, lb) : await oidcConnection(token, undefined, lb);
        const { testId, loginUrl } = await startTest(token, connectionId, 'sp', lb);
        const browser = new FormBrowser();
        // The first instance answers the start page: it builds the request and saves it with the login.
        const idpPage = await browser.go(loginUrl!);
        assert.equal(idpPage.status, 200, idpPage.text.slice(0, 300));
        assert.match(idpPage.url, protocol === 'saml' ? /\/simulator\/saml\/sso\?SAMLRequest=/ : /\/simulator\/oidc\/interaction\//);
        // From here on the other instance answers everything but the IdP (another service).
        lb.routeTo((url) => (url.pathname.startsWith('/simulator/') ? undefined : other));
        await signInOnSimulator(browser, idpPage, protocol);
        assert.equal((await result(token, testId, lb)).status, 'success');
        // The login is used up for both instances.
        lb.routeTo(undefined);
        assert.equal((await browser.go(loginUrl!)).status, 404);
      } finally {
        await lb.close();
        await shared.close();
      }
    });

    test(`${protocol}: a test login started before a restart completes after it, and a reload of its start page goes to the same request`, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'sso-restart-'));
      const shared = await sharedTestDatabase();
      const secrets = testSecretBox();
      try {
        const first = await startLoginServer({ secrets, dataDir: dir, database: await shared.connect() });
        const { token } = await first.organization(`Restarted ${protocol}`);
        const connectionId = protocol === 'saml' ? await samlConnection(token, first) : await oidcConnection(token, undefined, first);
        const { testId, loginUrl } = await startTest(token, connectionId, 'sp', first);
        const browser = new FormBrowser();
        // The start page answers before the restart (the request is built then); the IdP after it.
        const started = await browser.request(loginUrl!);
        assert.equal(started.status, 302, started.text.slice(0, 300));
        const idpUrl = started.headers.get('location')!;
        const { port } = first.server;
        await first.close();

        const second = await startLoginServer({ secrets, dataDir: dir, port, database: await shared.connect() });
        try {
          const reloaded = await browser.request(loginUrl!);
          assert.equal(reloaded.headers.get('location'), idpUrl, 'the saved start, not a new request');
          const idpPage = await browser.go(idpUrl);
          assert.equal(idpPage.status, 200, idpPage.text.slice(0, 300));
          await signInOnSimulator(browser, idpPage, protocol);
          assert.equal((await result(token, testId, second)).status, 'success');
        } finally {
          await second.close();
        }
      } finally {
        await shared.close();
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('sign-in sessions in the database', () => {
  test('another instance knows a signed-in user; signing out there deletes the session (only a hash of the cookie is stored)', async () => {
    const org = await activeOrganization('Session Co', 'session.example', 'saml');
    const browser = new FormBrowser();
    const idpPage = await browser.submit(await browser.go(`${s.origin}/demo/login`), { email: 'sam@session.example' });
    const welcome = await browser.submit(await browser.submit(idpPage, { email: 'sam@session.example' }, { button: 'sign-in' }));
    assert.match(welcome.text, /Welcome/, welcome.text.slice(0, 500));
    const sessions = () => s.database.db.selectFrom('sign_in_sessions').selectAll().where('organization_id', '=', org.orgId).execute();
    const [row] = await sessions();
    assert.equal(row?.connection_id, org.connectionId);
    assert.match(row.id_hash, /^[A-Za-z0-9_-]{43}$/, 'a SHA-256 hash');

    const other = await s.addInstance();
    s.routeTo((url) => (url.pathname.startsWith('/simulator/') ? undefined : other));
    try {
      assert.match((await browser.go(`${s.origin}/sso/signed-in`)).text, /Signed in as <strong>sam@session\.example<\/strong>/);
      const out = await browser.submit(await browser.go(`${s.origin}/demo/login`));
      assert.match(out.text, /Sign in to Acme/);
      assert.deepEqual(await sessions(), [], 'signing out deleted the row');
    } finally {
      s.routeTo(undefined);
    }
    assert.equal((await browser.go(`${s.origin}/sso/signed-in`)).status, 401);
  });
});

describe('the signed-in page', () => {
  test('names the connection (its name, else the provider’s) and shows the time in the browser’s locale, UTC without script', async () => {
    const org = await activeOrganization('Signed In Co', 'signed-in.example', 'saml');
    const first = await demoSignIn('amy@signed-in.example', 'saml');
    assert.equal(first.page.status, 200);
    assert.match(first.page.text, /<dt>Connection<\/dt><dd>IdP Simulator \(SAML\)<\/dd>/);
    assert.doesNotMatch(first.page.text, /simulator \(SAML\)/);
    const time = /<time datetime="([^"]+)" data-local-time>([^<]+)<\/time>/.exec(first.page.text);
    assert.ok(time, 'a <time> element');
    assert.ok(Date.parse(time[1]!) <= Date.now() && Date.parse(time[1]!) > Date.now() - 60_000, time[1]);
    assert.match(time[2]!, /^\d{1,2} [A-Z][a-z]+ \d{4}(,| at) \d{2}:\d{2} UTC$/, 'a readable UTC time until the script formats it');
    assert.match(first.page.text, /<script type="module" src="\/assets\/local-time\.js"><\/script>/);
    assert.doesNotMatch(first.page.text, /<script>/, 'no inline script');
    assert.match(first.page.headers.get('content-security-policy') ?? '', /script-src 'self'(;|$)/);
    const script = await fetch(`${s.origin}/assets/local-time.js`);
    assert.equal(script.status, 200);
    assert.match(await script.text(), /querySelectorAll\('time\[datetime\]'\)/);

    const connection = (await s.portal(org.token, 'GET', `/api/portal/connections/${org.connectionId}`)).body;
    const renamed = await s.portal(org.token, 'PATCH', `/api/portal/connections/${org.connectionId}`, { version: connection.version, changes: { name: 'Workforce <SSO>' } });
    assert.equal(renamed.status, 200, renamed.text);
    assert.equal(renamed.body.status, 'active');
    const second = await demoSignIn('amy@signed-in.example', 'saml');
    assert.match(second.page.text, /<dt>Connection<\/dt><dd>Workforce &lt;SSO&gt; \(SAML\)<\/dd>/);
  });
});
