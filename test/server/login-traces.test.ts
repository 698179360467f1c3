/// <reference types="node" />
/**
 * Login traces and diagnostic reports (issue 15, points 4 and 5), through the real server and
 * the IdP simulators: every scenario of both simulators leaves an attempt whose trace ends at
 * the check that refused it (with the failure code the simulator promises), or passes every
 * check; the decoded messages keep no signature value, certificate, code, state or token; the
 * store keeps the last 50 per connection; the admin API builds the report, whose files carry no
 * secret (the test greps them for the values the IdP really sent) and which opens in Chromium
 * with no script and no request, axe-clean.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import AxeBuilder from '@axe-core/playwright';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import { LOGIN_ATTEMPTS_KEPT, type LoginAttempt } from '../../src/core/login-trace.js';
import { SAML_SCENARIOS } from '../../src/server/simulator/saml-scenarios.js';
import { OIDC_SCENARIOS } from '../../src/server/simulator/oidc-scenarios.js';
import { SIMULATOR_OIDC_CLIENT } from '../../src/server/simulator/oidc-idp.js';
import { FormBrowser, formsOf, type Page } from '../support/form-browser.js';
import { startLoginServer, type LoginServer } from './login-harness.js';

let s: LoginServer;
before(async () => {
  s = await startLoginServer({ rateLimits: { limits: { public: { capacity: 100_000, windowMs: 60_000 } } } });
});
after(() => s.close());

const MAPPING = { email: 'email', firstName: 'firstName', lastName: 'lastName', groups: 'groups' };

async function samlConnection(token: string): Promise<string> {
  const { parseSamlMetadata } = await import('../../src/core/saml-metadata.js');
  const parsed = await parseSamlMetadata(await (await fetch(s.saml.metadataUrl)).text());
  assert.ok(parsed.ok);
  const m = parsed.metadata;
  const created = await s.portal(token, 'POST', '/api/portal/connections', {
    protocol: 'saml',
    providerId: 'simulator',
    saml: { idpEntityId: m.entityId, ssoUrl: m.ssoServices.find((x) => x.binding.endsWith('HTTP-Redirect'))!.location, ssoBinding: 'redirect', signingCertificates: m.signingCertificates.map((c) => c.pem) },
    attributeMapping: MAPPING,
  });
  assert.equal(created.status, 201, created.text);
  return created.body.id as string;
}

async function startTest(token: string, connectionId: string): Promise<{ testId: string; loginUrl: string }> {
  const started = await s.portal(token, 'POST', `/api/portal/connections/${connectionId}/tests`, { mode: 'sp' });
  assert.equal(started.status, 201, started.text);
  return started.body;
}

async function attempts(token: string, connectionId: string): Promise<LoginAttempt[]> {
  const answer = await s.portal(token, 'GET', `/api/portal/connections/${connectionId}/login-attempts`);
  assert.equal(answer.status, 200, answer.text);
  return answer.body;
}

/** The secrets a SAML answer carried: its signature values, digests and certificates (base64 runs). */
function samlSecrets(samlResponse: string): string[] {
  const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
  const found = [...xml.matchAll(/<(?:\w+:)?(SignatureValue|DigestValue|X509Certificate)[^>]*>([^<]+)</g)].map((m) => m[2]!.replace(/\s+/g, ''));
  return found.filter((v) => v.length >= 20);
}

/** A SAML test login with a scenario; returns the secrets its answer carried. */
async function samlLogin(loginUrl: string, scenario: string): Promise<string[]> {
  const browser = new FormBrowser();
  const loginPage = await browser.go(loginUrl);
  const deny = scenario === 'user_denies';
  const posted = await browser.submit(loginPage, { scenario: deny ? 'success' : scenario }, { button: deny ? 'deny' : 'sign-in' });
  const [form] = formsOf(posted);
  assert.ok(form && 'SAMLResponse' in form.fields);
  const done = await browser.submit(posted);
  assert.equal(done.status, 200, done.text.slice(0, 300));
  return samlSecrets(form.fields.SAMLResponse);
}

function assertTraceEnds(attempt: LoginAttempt, expectedCode: string | null): void {
  assert.ok(attempt.steps.length > 0, 'the trace has steps');
  if (expectedCode === null) {
    assert.equal(attempt.outcome, 'success', JSON.stringify(attempt.error));
    assert.ok(attempt.steps.every((step) => step.status === 'passed'), JSON.stringify(attempt.steps));
  } else {
    assert.equal(attempt.outcome, 'failure');
    assert.equal(attempt.error?.code, expectedCode);
    const failed = attempt.steps.filter((step) => step.status === 'failed');
    assert.equal(failed.length, 1, `exactly one failed step: ${JSON.stringify(attempt.steps)}`);
    assert.equal(attempt.steps.at(-1), failed[0], 'the trace ends at the check that refused');
  }
}

describe('SAML login traces', () => {
  let token: string;
  let connectionId: string;
  const secrets: string[] = [];
  before(async () => {
    ({ token } = await s.organization('Megacorp'));
    connectionId = await samlConnection(token);
  });

  // The check each failure must be recorded at (the trace names what ran, in order).
  const FAILED_AT: Record<string, string> = {
    wrong_audience: 'audience',
    wrong_destination: 'destination',
    wrong_issuer: 'issuer',
    expired: 'times',
    not_yet_valid: 'times',
    other_key: 'certificate',
    unsigned: 'signature',
    tampered: 'signature',
    missing_email: 'email',
    idp_error: 'status',
    other_request: 'request',
    malformed: 'input',
    user_denies: 'status',
  };

  for (const scenario of SAML_SCENARIOS) {
    test(`scenario ${scenario.id}: an attempt with its trace, ${scenario.expectedCode ?? 'every check passed'}`, async () => {
      const { testId, loginUrl } = await startTest(token, connectionId);
      secrets.push(...(await samlLogin(loginUrl, scenario.id)));
      const attempt = (await attempts(token, connectionId)).find((a) => a.testId === testId);
      assert.ok(attempt, 'the test login is among the attempts');
      assert.equal(attempt.purpose, 'test');
      assert.equal(attempt.protocol, 'saml');
      assertTraceEnds(attempt, scenario.expectedCode);
      if (scenario.expectedCode) assert.equal(attempt.steps.at(-1)!.check, FAILED_AT[scenario.id]);
      assert.equal(attempt.request?.format, 'xml');
      assert.match(attempt.request.body, /AuthnRequest/);
      assert.equal(attempt.response?.format, 'xml');
      if (scenario.id !== 'malformed') assert.match(attempt.response.body, /Response/);
    });
  }

  test('a success is traced through every check, in the order they ran', async () => {
    const { testId, loginUrl } = await startTest(token, connectionId);
    await samlLogin(loginUrl, 'success');
    const attempt = (await attempts(token, connectionId)).find((a) => a.testId === testId)!;
    assert.deepEqual(
      attempt.steps.map((x) => x.check),
      ['input', 'structure', 'status', 'signature', 'certificate', 'issuer', 'destination', 'audience', 'request', 'times', 'second_check', 'email', 'replay', 'email_domain'],
    );
    assert.match(attempt.steps.find((x) => x.check === 'times')!.detail!, /allowed skew 120 s/);
    assert.equal(attempt.user, 'ada@megacorp.example');
  });

  test('no signature value, digest or certificate of any answer is stored', async () => {
    assert.ok(secrets.length > 10, 'the answers were signed');
    const stored = JSON.stringify(await attempts(token, connectionId));
    for (const secret of secrets) assert.ok(!stored.includes(secret), `stored: ${secret.slice(0, 20)}…`);
    assert.match(stored, /\[redacted: certificate SHA-256 [0-9A-F:]{95}\]/);
  });

  test('the admin API lists them; the report holds none of the secrets and opens in Chromium, axe-clean, without script or request', async (t) => {
    const orgs = await s.admin('GET', '/api/admin/organizations');
    const orgId = orgs.body.find((o: { name: string }) => o.name === 'Megacorp').id;
    const listed = await s.admin('GET', `/api/admin/organizations/${orgId}/connections/${connectionId}/login-attempts`);
    assert.equal(listed.status, 200, listed.text);
    const failedAttempt = listed.body.find((a: LoginAttempt) => a.error?.code === 'signature_invalid');
    const reports = [];
    for (const attempt of [failedAttempt, listed.body[0]]) {
      const report = await s.admin('GET', `/api/admin/organizations/${orgId}/connections/${connectionId}/login-attempts/${attempt.id}/report`);
      assert.equal(report.status, 200, report.text);
      reports.push(report.body);
    }
    for (const report of reports) {
      for (const file of [report.html, report.json]) {
        for (const secret of secrets) assert.ok(!file.includes(secret), `a signature value or certificate in the report: ${secret.slice(0, 20)}…`);
        assert.doesNotMatch(file, /BEGIN CERTIFICATE|PRIVATE KEY/);
        assert.doesNotMatch(file, /eyJ[A-Za-z0-9_-]{10,}\./, 'no token');
        assert.doesNotMatch(file, /Lovelace/, 'no personal data beyond the email');
      }
      assert.ok(report.redactions.some((r: string) => /Signature values/.test(r)));
      assert.ok(report.redactions.some((r: string) => /Personal data/.test(r)));
      assert.equal(JSON.parse(report.json).report, 'sso-login-diagnostic');
    }
    assert.match(reports[0].html, /signature_invalid/);
    assert.match(reports[0].html, /What to do:/);

    const other = await s.admin('GET', `/api/admin/organizations/${orgId}/connections/${connectionId}/login-attempts/la_nothing/report`);
    assert.equal(other.status, 404);

    if (!existsSync(chromiumPath)) return t.skip('needs Chromium');
    const dir = await mkdtemp(join(tmpdir(), 'sso-report-'));
    const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
    try {
      const file = join(dir, `${reports[0].fileName}.html`);
      await writeFile(file, reports[0].html);
      const page = await (await browser.newContext()).newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(file).href);
      assert.deepEqual(requests, [pathToFileURL(file).href], 'the report loads nothing else');
      assert.equal(await page.locator('script').count(), 0, 'no script');
      assert.match(await page.locator('h1').innerText(), /failed \(signature_invalid\)/);
      const result = await new AxeBuilder({ page }).analyze();
      assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.help}`), []);
    } finally {
      await browser.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('another organization reads none of them', async () => {
    const { token: other } = await s.organization('Initrode');
    const answer = await s.portal(other, 'GET', `/api/portal/connections/${connectionId}/login-attempts`);
    assert.equal(answer.status, 404);
  });
});

describe('OIDC login traces', () => {
  let token: string;
  let connectionId: string;
  before(async () => {
    ({ token } = await s.organization('Initech'));
    const created = await s.portal(token, 'POST', '/api/portal/connections', {
      protocol: 'oidc',
      providerId: 'simulator',
      oidc: { issuer: s.oidc.issuer, clientId: SIMULATOR_OIDC_CLIENT.clientId, clientSecret: SIMULATOR_OIDC_CLIENT.clientSecret },
      attributeMapping: { email: 'email', firstName: 'given_name', lastName: 'family_name', groups: 'groups' },
    });
    assert.equal(created.status, 201, created.text);
    connectionId = created.body.id;
  });

  const FAILED_AT: Record<string, string> = {
    access_denied: 'idp_answer',
    wrong_client_secret: 'token',
    issuer_mismatch: 'issuer',
    missing_email: 'email',
    email_unverified: 'email_verified',
  };

  for (const scenario of OIDC_SCENARIOS) {
    test(`scenario ${scenario.id}: an attempt with its trace, ${scenario.expectedCode ?? 'every check passed'}`, async () => {
      const { testId, loginUrl } = await startTest(token, connectionId);
      const browser = new FormBrowser();
      const interaction: Page = await browser.go(loginUrl);
      const done = await browser.submit(interaction, { scenario: scenario.id }, { button: scenario.id === 'access_denied' ? 'deny' : 'signin' });
      assert.equal(done.status, 200, done.text.slice(0, 300));
      const attempt = (await attempts(token, connectionId)).find((a) => a.testId === testId);
      assert.ok(attempt);
      assertTraceEnds(attempt, scenario.expectedCode);
      if (scenario.expectedCode) assert.equal(attempt.steps.at(-1)!.check, FAILED_AT[scenario.id]);
      else {
        const checks = attempt.steps.map((x) => x.check);
        for (const check of ['issuer', 'request', 'token', 'audience', 'nonce', 'signature', 'expiry', 'userinfo', 'email', 'email_verified', 'email_domain'] as const) assert.ok(checks.includes(check), check);
      }
      const stored = JSON.stringify(attempt);
      assert.ok(!stored.includes(SIMULATOR_OIDC_CLIENT.clientSecret), 'no client secret');
      assert.doesNotMatch(stored, /eyJ[A-Za-z0-9_-]{10,}\./, 'no token');
      const request = JSON.parse(attempt.request!.body);
      assert.equal(request.parameters.state, '[redacted]');
      assert.equal(request.parameters.nonce, '[redacted]');
      assert.equal(request.parameters.code_challenge, '[redacted]');
      const response = JSON.parse(attempt.response!.body);
      if (response.callback.code) assert.equal(response.callback.code, '[redacted]');
      assert.equal(response.callback.state, '[redacted]');
    });
  }
});

describe('the store keeps the last 50 attempts of each connection', () => {
  test('the oldest are dropped, other connections keep theirs', async () => {
    const { token } = await s.organization('Hooli');
    const first = await samlConnection(token);
    const second = await samlConnection(token);
    const orgs = await s.admin('GET', '/api/admin/organizations');
    const orgId = orgs.body.find((o: { name: string }) => o.name === 'Hooli').id;
    const at = (i: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
    const base = { protocol: 'saml' as const, purpose: 'sign-in' as const, outcome: 'success' as const, error: null, steps: [] };
    await s.store.loginAttempts.record(orgId, { ...base, connectionId: second, at: at(0), user: 'keep@hooli.example' });
    for (let i = 0; i < LOGIN_ATTEMPTS_KEPT + 5; i++) await s.store.loginAttempts.record(orgId, { ...base, connectionId: first, at: at(i), user: `u${i}@hooli.example` });
    const kept = await attempts(token, first);
    assert.equal(kept.length, LOGIN_ATTEMPTS_KEPT);
    assert.equal(kept[0]!.user, `u${LOGIN_ATTEMPTS_KEPT + 4}@hooli.example`, 'newest first');
    assert.equal(kept.at(-1)!.user, 'u5@hooli.example');
    assert.deepEqual((await attempts(token, second)).map((a) => a.user), ['keep@hooli.example']);
    assert.equal(await s.store.loginAttempts.record('org_other', { ...base, connectionId: first, at: at(0) }), undefined, 'not for a connection of another organization');
  });
});
