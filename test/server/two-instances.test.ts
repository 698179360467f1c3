/// <reference types="node" />
/**
 * Two server processes (`src/server/main.ts`) on one PostgreSQL database, behind a round-robin
 * proxy on 127.0.0.1 whose origin is their public URL: each request of a client lands on the
 * other instance than the one before. Nothing that matters may live in one process:
 *
 * - a SAML and an OIDC test login complete although the login starts on one instance and the
 *   IdP's answer reaches the other (the IdP simulator plays the customer's IdP: its paths are
 *   pinned to instance 0, as an outside IdP would be one party);
 * - two instances racing to verify one domain for two organizations: exactly one wins, the other
 *   gets `domain_taken`;
 * - two admins saving one connection at the same version, one on each instance: one `conflict`;
 * - a link revoked on one instance is refused by both at once.
 *
 * PGlite serves one process only, so this file always uses PostgreSQL: the run's cluster in the
 * PostgreSQL pass (`npm run test:server:postgres`), else one it starts itself.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { SIMULATOR_OIDC_CLIENT } from '../../src/server/simulator/oidc-idp.js';
import { FormBrowser, formsOf } from '../support/form-browser.js';
import { startRoundRobinProxy, type RoundRobinProxy } from '../support/round-robin-proxy.js';
import { createPostgresDatabase, POSTGRES_ONLY } from '../support/test-database.js';
import { ADMIN_KEY, temporaryFolders } from './helpers.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

const tempDir = temporaryFolders('two');
const MAPPING = { email: 'email', firstName: 'firstName', lastName: 'lastName', groups: 'groups' };

let proxy: RoundRobinProxy;
let servers: ServerProcess[] = [];

interface Answer {
  status: number;
  body: any;
  text: string;
}

async function call(origin: string, token: string, method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: response.status, body: parsed, text };
}

async function organization(name: string, origin = proxy.origin): Promise<{ orgId: string; linkId: string; token: string }> {
  const org = await call(origin, ADMIN_KEY, 'POST', '/api/admin/organizations', { name });
  assert.equal(org.status, 201, org.text);
  const link = await call(origin, ADMIN_KEY, 'POST', `/api/admin/organizations/${org.body.id}/links`, {});
  assert.equal(link.status, 201, link.text);
  return { orgId: org.body.id, linkId: link.body.id, token: link.body.token };
}

/** The instance that answered the last request to `path` (a path prefix) through the proxy. */
const instanceOf = (method: string, path: string): number | undefined => proxy.log.findLast((l) => l.method === method && l.path.startsWith(path))?.upstream;

describe('two instances behind a round-robin proxy, one PostgreSQL', POSTGRES_ONLY, () => {
  before(async () => {
    const url = await createPostgresDatabase();
    proxy = await startRoundRobinProxy([], { pin: (path) => (path.startsWith('/simulator/') ? 0 : undefined) });
    // Shared by both instances, as an operator sets them: the database, the public URL, the admin and secret keys.
    const env = {
      DATABASE_URL: url,
      SSO_PORTAL_PUBLIC_URL: proxy.origin,
      SSO_PORTAL_ADMIN_KEY: ADMIN_KEY,
      SSO_PORTAL_SECRET_KEY: randomBytes(32).toString('base64url'),
      SSO_PORTAL_DEMO: '',
    };
    // Started together: they migrate the empty database once between them.
    servers = await Promise.all([0, 1].map(async () => startServerProcess({ ...env, SSO_PORTAL_DATA_DIR: await tempDir() })));
    proxy.setUpstreams(servers.map((s) => s.origin));
  });

  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await proxy?.close();
  });

  test('a SAML test login started on one instance completes on the other', async () => {
    const { token } = await organization('Two SAML');
    const { parseSamlMetadata } = await import('../../src/core/saml-metadata.js');
    const metadataUrl = `${proxy.origin}/simulator/saml/metadata`;
    const parsed = await parseSamlMetadata(await (await fetch(metadataUrl)).text());
    assert.ok(parsed.ok);
    const redirect = parsed.metadata.ssoServices.find((x) => x.binding.endsWith('HTTP-Redirect'))!;
    const created = await call(proxy.origin, token, 'POST', '/api/portal/connections', {
      protocol: 'saml',
      providerId: 'simulator',
      saml: { idpEntityId: parsed.metadata.entityId, ssoUrl: redirect.location, ssoBinding: 'redirect', signingCertificates: parsed.metadata.signingCertificates.map((c) => c.pem), metadataUrl },
      attributeMapping: MAPPING,
    });
    assert.equal(created.status, 201, created.text);
    const started = await call(proxy.origin, token, 'POST', `/api/portal/connections/${created.body.id}/tests`, { mode: 'sp' });
    assert.equal(started.status, 201, started.text);
    const startedOn = instanceOf('POST', `/api/portal/connections/${created.body.id}/tests`);

    const browser = new FormBrowser();
    const idpPage = await browser.go(started.body.loginUrl);
    assert.match(idpPage.url, /\/simulator\/saml\/sso\?SAMLRequest=/, idpPage.text.slice(0, 300));
    const posted = await browser.submit(idpPage, { scenario: 'success', email: 'grace@two-saml.example' }, { button: 'sign-in' });
    assert.ok('SAMLResponse' in (formsOf(posted)[0]?.fields ?? {}), 'the simulator answers with an auto-posting form');
    const page = await browser.submit(posted);
    assert.equal(page.status, 200, page.text.slice(0, 500));
    assert.match(page.text, /Test login succeeded/);
    // The test was made on one instance, its start page (the AuthnRequest) on the other, and the
    // IdP's answer reached the one that did not build the request.
    const startPageOn = instanceOf('GET', '/sso/start/');
    assert.notEqual(startPageOn, startedOn);
    assert.notEqual(instanceOf('POST', '/saml/'), startPageOn, 'the IdP’s answer reached the other instance');

    const result = await call(proxy.origin, token, 'GET', `/api/portal/tests/${started.body.testId}`);
    assert.equal(result.body.status, 'success', result.text);
    assert.equal(result.body.profile.email, 'grace@two-saml.example');
  });

  test('an OIDC test login started on one instance completes on the other', async () => {
    const { token } = await organization('Two OIDC');
    const created = await call(proxy.origin, token, 'POST', '/api/portal/connections', {
      protocol: 'oidc',
      providerId: 'simulator',
      oidc: { issuer: `${proxy.origin}/simulator/oidc`, clientId: SIMULATOR_OIDC_CLIENT.clientId, clientSecret: SIMULATOR_OIDC_CLIENT.clientSecret },
      attributeMapping: { email: 'email', firstName: 'given_name', lastName: 'family_name', groups: 'groups' },
    });
    assert.equal(created.status, 201, created.text);
    const started = await call(proxy.origin, token, 'POST', `/api/portal/connections/${created.body.id}/tests`, { mode: 'sp' });
    assert.equal(started.status, 201, started.text);
    const startedOn = instanceOf('POST', `/api/portal/connections/${created.body.id}/tests`);

    const browser = new FormBrowser();
    const interaction = await browser.go(started.body.loginUrl);
    assert.match(interaction.url, /\/simulator\/oidc\/interaction\//, interaction.text.slice(0, 300));
    const page = await browser.submit(interaction, { scenario: 'success' }, { button: 'signin' });
    assert.equal(page.status, 200, page.text.slice(0, 500));
    assert.match(page.text, /Test login succeeded/);
    const startPageOn = instanceOf('GET', '/sso/start/');
    assert.notEqual(startPageOn, startedOn);
    assert.notEqual(instanceOf('GET', '/oidc/'), startPageOn, 'the callback reached the other instance');

    const result = await call(proxy.origin, token, 'GET', `/api/portal/tests/${started.body.testId}`);
    assert.equal(result.body.status, 'success', result.text);
  });

  test('two instances racing to verify one domain for two organizations: exactly one wins, the other gets domain_taken', async () => {
    const one = await organization('Racer one');
    const two = await organization('Racer two');
    for (let round = 0; round < 5; round++) {
      const domain = `race-${round}-${randomBytes(3).toString('hex')}.example`;
      const answers = await Promise.all([
        call(servers[0]!.origin, ADMIN_KEY, 'POST', `/api/admin/organizations/${one.orgId}/domains/${domain}/verify`),
        call(servers[1]!.origin, ADMIN_KEY, 'POST', `/api/admin/organizations/${two.orgId}/domains/${domain}/verify`),
      ]);
      const statuses = answers.map((a) => a.status).sort();
      assert.deepEqual(statuses, [200, 409], answers.map((a) => a.text).join('\n'));
      assert.equal(answers.find((a) => a.status === 409)!.body.code, 'domain_taken');
    }
  });

  test('two admins saving one connection at the same version, on two instances: one conflict', async () => {
    const { token } = await organization('Two admins');
    const created = await call(servers[0]!.origin, token, 'POST', '/api/portal/connections', { protocol: 'saml', providerId: 'okta', name: 'Shared' });
    assert.equal(created.status, 201, created.text);
    for (let round = 0; round < 5; round++) {
      const current = await call(servers[round % 2]!.origin, token, 'GET', `/api/portal/connections/${created.body.id}`);
      const answers = await Promise.all(
        servers.map((s, i) => call(s.origin, token, 'PATCH', `/api/portal/connections/${created.body.id}`, { version: current.body.version, changes: { name: `Admin ${i} round ${round}` } })),
      );
      assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409], answers.map((a) => a.text).join('\n'));
      assert.equal(answers.find((a) => a.status === 409)!.body.code, 'conflict');
    }
  });

  test('a link revoked on one instance is refused by both at once', async () => {
    const { linkId, token } = await organization('Revoked');
    for (const s of servers) assert.equal((await call(s.origin, token, 'GET', '/api/portal/session')).status, 200);
    assert.equal((await call(servers[0]!.origin, ADMIN_KEY, 'DELETE', `/api/admin/links/${linkId}`)).status, 204);
    for (const s of servers) {
      const refused = await call(s.origin, token, 'GET', '/api/portal/session');
      assert.equal(refused.status, 401, refused.text);
      assert.equal(refused.body.code, 'session_expired');
    }
  });
});
