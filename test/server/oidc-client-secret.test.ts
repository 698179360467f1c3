/// <reference types="node" />
// The write-only OIDC client secret stays with the issuer and client it was given for: a PATCH
// that changes the issuer or the client ID without a new secret drops the stored one, and the
// next test login sends nothing to the new issuer's token endpoint (issue 10, point 3).
// Run: node --import tsx --test test/server/oidc-client-secret.test.ts
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Hono } from 'hono';
import { listen, type Listening } from '../../src/server/listen.js';
import type { Store } from '../../src/server/store/store.js';
import { SIMULATOR_OIDC_CLIENT } from '../../src/server/simulator/oidc-idp.js';
import { startLoginServer, type LoginServer } from './login-harness.js';

const STORED_SECRET = 'the-real-idp-secret-0123456789';

/** Another OpenID provider on 127.0.0.1 ("a server the attacker controls"): it records what reaches its token endpoint. */
async function startRecordingIssuer(): Promise<{ issuer: string; tokenRequests: string[]; server: Listening }> {
  const tokenRequests: string[] = [];
  const app = new Hono();
  const server = await listen(app.fetch, { hostname: '127.0.0.1', port: 0 });
  const issuer = server.origin;
  app.get('/.well-known/openid-configuration', (c) =>
    c.json({
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    }),
  );
  // Signs anybody in at once: straight back to the relying party with a code.
  app.get('/authorize', (c) => {
    const back = new URL(c.req.query('redirect_uri') ?? '');
    back.searchParams.set('code', 'attacker-code');
    back.searchParams.set('state', c.req.query('state') ?? '');
    back.searchParams.set('iss', issuer);
    return c.redirect(back.href, 302);
  });
  app.post('/token', async (c) => {
    const basic = c.req.header('authorization') ?? '';
    const decoded = basic.startsWith('Basic ') ? Buffer.from(basic.slice(6), 'base64').toString('utf8') : '';
    // client_secret_basic form-encodes the id and secret (RFC 6749 §2.3.1); both ways are recorded decoded.
    tokenRequests.push(decodeURIComponent(`${decoded} ${await c.req.text()}`.replace(/\+/g, ' ')));
    return c.json({ error: 'invalid_grant' }, 400);
  });
  app.get('/jwks', (c) => c.json({ keys: [] }));
  return { issuer, tokenRequests, server };
}

let s: LoginServer;
let store: Store;
let other: Awaited<ReturnType<typeof startRecordingIssuer>>;
before(async () => {
  s = await startLoginServer();
  store = s.store;
  other = await startRecordingIssuer();
});
after(async () => {
  await other.server.close();
  await s.close();
});

async function connectionWithSecret(token: string): Promise<{ id: string; version: number }> {
  const created = await s.portal(token, 'POST', '/api/portal/connections', {
    protocol: 'oidc',
    providerId: 'okta',
    oidc: { issuer: s.oidc.issuer, clientId: SIMULATOR_OIDC_CLIENT.clientId, clientSecret: STORED_SECRET },
  });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.body.oidc.clientSecretSet, true);
  return { id: created.body.id as string, version: created.body.version as number };
}

/** Starts a test login and, when one starts, follows it like a browser: start page, the IdP, our callback. */
async function tryTestLogin(token: string, id: string): Promise<{ status: number; body: any }> {
  const started = await s.portal(token, 'POST', `/api/portal/connections/${id}/tests`, { mode: 'sp' });
  if (started.status !== 201 || !started.body.loginUrl) return started;
  let next: string | null = started.body.loginUrl as string;
  for (let hops = 0; next && hops < 6; hops++) {
    const response: Response = await fetch(next, { redirect: 'manual' });
    await response.arrayBuffer();
    const location = response.headers.get('location');
    next = location ? new URL(location, next).href : null;
  }
  return started;
}

describe('OIDC client secret: bound to its issuer and client ID', () => {
  for (const [what, change] of [
    ['issuer', () => ({ issuer: other.issuer, clientId: SIMULATOR_OIDC_CLIENT.clientId })],
    ['issuer and client ID', () => ({ issuer: other.issuer, clientId: 'attacker-client' })],
  ] as const) {
    test(`a PATCH changing the ${what} without clientSecret drops the secret; the next test login sends it nowhere`, async () => {
      other.tokenRequests.length = 0;
      const { token, orgId } = await s.organization(`Secret ${what}`);
      const { id, version } = await connectionWithSecret(token);
      const patched = await s.portal(token, 'PATCH', `/api/portal/connections/${id}`, { version, changes: { oidc: change() } });
      assert.equal(patched.status, 200, patched.text);

      const login = await tryTestLogin(token, id);
      assert.ok(!other.tokenRequests.some((r) => r.includes(STORED_SECRET)), `the stored secret reached the other issuer: ${other.tokenRequests.join(' | ')}`);
      assert.deepEqual(other.tokenRequests, [], 'nothing reached the other issuer’s token endpoint');
      assert.equal(login.status, 422, 'no test login without a client secret');
      assert.equal(login.body.code, 'validation_failed');

      assert.equal(patched.body.oidc.clientSecretSet, false);
      assert.equal(patched.body.status, 'draft');
      assert.equal((await s.portal(token, 'GET', `/api/portal/connections/${id}`)).body.oidc.clientSecretSet, false);
      assert.equal((await store.getOrganizationData(orgId)).secrets[id], undefined, 'the stored secret is gone from the store');
    });
  }

  test('the same issuer and client ID (scopes changed) keep the secret', async () => {
    const { token, orgId } = await s.organization('Secret kept');
    const { id, version } = await connectionWithSecret(token);
    const patched = await s.portal(token, 'PATCH', `/api/portal/connections/${id}`, {
      version,
      changes: { oidc: { issuer: s.oidc.issuer, clientId: SIMULATOR_OIDC_CLIENT.clientId, scopes: ['openid', 'email'] } },
    });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.oidc.clientSecretSet, true);
    assert.equal((await store.getOrganizationData(orgId)).secrets[id], STORED_SECRET);
  });

  test('a new issuer with a new secret: the token endpoint gets the new secret, never the old one', async () => {
    other.tokenRequests.length = 0;
    const { token } = await s.organization('Secret replaced');
    const { id, version } = await connectionWithSecret(token);
    const patched = await s.portal(token, 'PATCH', `/api/portal/connections/${id}`, {
      version,
      changes: { oidc: { issuer: other.issuer, clientId: 'new-client', clientSecret: 'the-new-idp-secret' } },
    });
    assert.equal(patched.body.oidc.clientSecretSet, true);
    const login = await tryTestLogin(token, id);
    assert.equal(login.status, 201);
    assert.equal(other.tokenRequests.length, 1, 'the login reached the new issuer’s token endpoint');
    assert.ok(other.tokenRequests[0]!.includes('the-new-idp-secret'));
    assert.ok(!other.tokenRequests[0]!.includes(STORED_SECRET));
  });
});
