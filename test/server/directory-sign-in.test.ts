/// <reference types="node" />
/**
 * Sign-in and directory together (issue 14, point 5), through the whole mock server: an
 * organization with a verified domain and an active SAML connection to the IdP simulator, and a
 * directory provisioned by the Directory Simulator. A user the enabled directory deactivated
 * (matched by email, case-insensitively) cannot finish a sign-in on the demo login page; the
 * signed-in page shows the user's groups from the directory. A directory that is not enabled
 * says nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseSamlMetadata } from '../../src/core/saml-metadata.js';
import { directoryStanding } from '../../src/server/login/directory-standing.js';
import type { DirectoryStore } from '../../src/server/store/store.js';
import { runDirectoryScenario } from '../../src/server/simulator/directory/runner.js';
import type { DirectoryScenario } from '../../src/server/simulator/directory/scenarios.js';
import { FormBrowser, formsOf, type Page } from '../support/form-browser.js';
import { startLoginServer, type LoginServer } from './login-harness.js';

const DOMAIN = 'directory-sign-in.example';
const HIRE = `dorothy.vaughan@${DOMAIN}`;

let s: LoginServer;
let portalToken: string;
let directory: { id: string; scimBaseUrl: string; version: number };
let scimToken: string;

/** Runs a Directory Simulator scenario (Okta) against the organization's directory; it must pass. */
async function provision(scenario: DirectoryScenario) {
  const report = await runDirectoryScenario({ scimBaseUrl: directory.scimBaseUrl, token: scimToken, dialect: 'okta', scenario, serverOrigin: s.origin, users: 3, domain: DOMAIN });
  assert.equal(report.ok, true, `${scenario}: ${JSON.stringify(report.steps.filter((step) => step.outcome === 'fail'))}`);
}

async function setEnabled(enabled: boolean) {
  const answer = await s.portal(portalToken, 'PUT', `/api/portal/directories/${directory.id}/enabled`, { enabled, version: directory.version });
  assert.equal(answer.status, 200, answer.text);
  directory = answer.body;
}

/** A sign-in from the demo login page: types `email`; the SAML IdP simulator signs in that user. */
async function demoSignIn(email: string): Promise<Page> {
  const browser = new FormBrowser();
  const idpPage = await browser.submit(await browser.go(`${s.origin}/demo/login`), { email });
  assert.equal(idpPage.status, 200, idpPage.text.slice(0, 300));
  assert.match(idpPage.url, /\/simulator\/saml\/sso/);
  const posted = await browser.submit(idpPage, { email }, { button: 'sign-in' });
  return browser.submit(posted);
}

before(async () => {
  s = await startLoginServer({ rateLimits: { limits: { public: { capacity: 100_000, windowMs: 60_000 } } } });
  const org = await s.organization('Directory Sign-in Corp');
  portalToken = org.token;
  assert.equal((await s.admin('POST', `/api/admin/organizations/${org.orgId}/domains/${DOMAIN}/verify`)).status, 200);

  // A SAML connection to the simulator, tested and activated (as login-flows.test.ts does).
  const parsed = await parseSamlMetadata(await (await fetch(s.saml.metadataUrl)).text());
  assert.ok(parsed.ok);
  const redirect = parsed.metadata.ssoServices.find((x) => x.binding.endsWith('HTTP-Redirect'))!;
  const created = await s.portal(portalToken, 'POST', '/api/portal/connections', {
    protocol: 'saml',
    providerId: 'simulator',
    saml: { idpEntityId: parsed.metadata.entityId, ssoUrl: redirect.location, ssoBinding: 'redirect', signingCertificates: parsed.metadata.signingCertificates.map((c) => c.pem) },
    attributeMapping: { email: 'email', firstName: 'firstName', lastName: 'lastName', groups: 'groups' },
  });
  assert.equal(created.status, 201, created.text);
  const connectionId = created.body.id as string;
  const started = await s.portal(portalToken, 'POST', `/api/portal/connections/${connectionId}/tests`, { mode: 'sp' });
  const browser = new FormBrowser();
  const posted = await browser.submit(await browser.go(started.body.loginUrl), { scenario: 'success', email: `tester@${DOMAIN}` }, { button: 'sign-in' });
  assert.ok(formsOf(posted)[0]?.fields.SAMLResponse);
  await browser.submit(posted);
  assert.equal((await s.portal(portalToken, 'GET', `/api/portal/tests/${started.body.testId}`)).body.status, 'success');
  const connection = (await s.portal(portalToken, 'GET', `/api/portal/connections/${connectionId}`)).body;
  assert.equal((await s.portal(portalToken, 'PUT', `/api/portal/connections/${connectionId}/enabled`, { enabled: true, version: connection.version })).status, 200);

  // The directory, provisioned: three users, the group Engineering with them, the new hire (not in it).
  const made = await s.portal(portalToken, 'POST', '/api/portal/directories', { provider: 'okta' });
  assert.equal(made.status, 201, made.text);
  ({ directory, token: scimToken } = made.body);
  await setEnabled(true);
  for (const scenario of ['initial-import', 'group-push', 'create'] as const) await provision(scenario);
});
after(() => s.close());

describe('sign-in and directory together', () => {
  test('an active directory user signs in; the signed-in page shows its groups from the directory', async () => {
    const page = await demoSignIn(`ada.lovelace@${DOMAIN}`);
    assert.equal(page.status, 200, page.text.slice(0, 500));
    assert.match(page.text, /<dt>Groups in the directory<\/dt><dd>Engineering<\/dd>/);
    // The new hire is in no group: no row.
    const hire = await demoSignIn(HIRE);
    assert.equal(hire.status, 200);
    assert.doesNotMatch(hire.text, /Groups in the directory/);
  });

  test('a user the directory deactivated cannot finish the sign-in, whatever the case of the email; reactivated, it can', async () => {
    await provision('deactivate');
    for (const email of [HIRE, HIRE.toUpperCase().replace(DOMAIN.toUpperCase(), DOMAIN)]) {
      const page = await demoSignIn(email);
      assert.equal(page.status, 403, page.text.slice(0, 500));
      assert.match(page.text, /<h1>Sign-in refused: your account is deactivated<\/h1>/);
      assert.match(page.text, /The user directory of Directory Sign-in Corp \(Okta\) has deactivated <strong>/);
      assert.match(page.text, /If you should have access, ask your IT administrator to reactivate your account/);
      assert.doesNotMatch(page.text, /sso_demo_session|Sign out/);
    }
    await provision('reactivate');
    assert.equal((await demoSignIn(HIRE)).status, 200);
  });

  test('a directory that is not enabled says nothing: its deactivated user signs in', async () => {
    await provision('deactivate');
    await setEnabled(false);
    try {
      const page = await demoSignIn(HIRE);
      assert.equal(page.status, 200, page.text.slice(0, 300));
      assert.doesNotMatch(page.text, /Groups in the directory/);
    } finally {
      await setEnabled(true);
    }
    assert.equal((await demoSignIn(HIRE)).status, 403);
  });
});

describe('directoryStanding (what the enabled directories say of an email)', () => {
  /** A directory store with `users` per directory, paged as the SQL store pages a search (substring, case-insensitive). */
  function fakeStore(directories: { id: string; status: string; users: { id: string; doc: Record<string, unknown>; groups?: string[] }[] }[]) {
    const reads: string[] = [];
    const store = {
      listDirectories: (organizationId: string) => Promise.resolve(organizationId === 'org_1' ? directories.map((d) => ({ id: d.id, name: `Directory ${d.id}`, status: d.status })) : []),
      listUsersPage: (directoryId: string, q: { search: string; limit: number; after?: string }) => {
        reads.push(`${directoryId}:${q.after ?? ''}`);
        const all = directories.find((d) => d.id === directoryId)!.users.filter((u) => JSON.stringify(u.doc).toLowerCase().includes(q.search));
        const start = q.after ? all.findIndex((u) => u.id === q.after) + 1 : 0;
        const users = all.slice(start, start + q.limit).map((u) => ({ id: u.id, doc: u.doc, groups: (u.groups ?? []).map((g) => ({ value: g, display: g })) }));
        return Promise.resolve({ users, more: start + q.limit < all.length });
      },
    };
    return { store: store as unknown as DirectoryStore, reads };
  }
  const user = (id: string, userName: string, o: { active?: boolean; email?: string; groups?: string[] } = {}) => ({
    id,
    doc: { userName, active: o.active ?? true, ...(o.email ? { emails: [{ value: o.email, primary: true }] } : {}) },
    groups: o.groups ?? [],
  });

  test('matched by userName or primary email, case-insensitively, on any page of the search', async () => {
    const near = Array.from({ length: 150 }, (_, i) => user(`u${i}`, `x${i}ada@acme.example`));
    const { store, reads } = fakeStore([{ id: 'd1', status: 'enabled', users: [...near, user('ada', 'ADA@Acme.example', { active: false })] }]);
    assert.deepEqual(await directoryStanding(store, 'org_1', ' ada@acme.EXAMPLE '), { deactivatedBy: { id: 'd1', name: 'Directory d1' }, groups: [] });
    assert.deepEqual(reads, ['d1:', 'd1:u99'], 'the second page read too');
    const byEmail = fakeStore([{ id: 'd1', status: 'enabled', users: [user('g', 'grace', { email: 'Grace@Acme.example', groups: ['Ops', 'Admins'] })] }]);
    assert.deepEqual(await directoryStanding(byEmail.store, 'org_1', 'grace@acme.example'), { groups: ['Ops', 'Admins'] });
  });

  test('only enabled directories count; groups only where the user is active; nobody found is undefined', async () => {
    const { store } = fakeStore([
      { id: 'setup', status: 'setup', users: [user('a', 'ada@acme.example', { active: false })] },
      { id: 'off', status: 'disabled', users: [user('b', 'ada@acme.example', { active: false })] },
      { id: 'on', status: 'enabled', users: [user('c', 'ada@acme.example', { groups: ['Engineering'] })] },
      { id: 'on2', status: 'enabled', users: [user('d', 'ada@acme.example', { groups: ['Engineering', 'Research'] })] },
    ]);
    assert.deepEqual(await directoryStanding(store, 'org_1', 'ada@acme.example'), { groups: ['Engineering', 'Research'] });
    assert.equal(await directoryStanding(store, 'org_1', 'nobody@acme.example'), undefined);
    assert.equal(await directoryStanding(store, 'org_1', null), undefined);
    assert.equal(await directoryStanding(store, 'org_2', 'ada@acme.example'), undefined);
  });
});
