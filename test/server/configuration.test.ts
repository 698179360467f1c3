/// <reference types="node" />
// Configuration that can be configured (issue 10, point 9): the host-origin allow-list from
// SSO_PORTAL_ALLOWED_ORIGINS (the demo origin only in demo mode), branding logos (schema and
// img-src), and OIDC issuers with a query.
// Run: node --import tsx --test test/server/configuration.test.ts
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_DIR } from '../../src/server/db/database.js';
import { completeOidcLogin } from '../../src/server/oidc/relying-party.js';
import { createMockServer } from '../../src/server/mock-server.js';
import { openTestDatabase } from '../support/test-database.js';
import { DEMO_ORIGIN, logoImageSources, parseOriginList } from '../../src/server/security-headers.js';
import { ADMIN_KEY, startHarness, temporaryFolders, testSecretBox } from './helpers.js';
import { startLoginServer } from './login-harness.js';
import { runServer } from './server-process.js';

const tempDir = temporaryFolders('config');

describe('host-origin allow-list (CORS, frame-ancestors)', () => {
  test('parseOriginList: exact origins only; a bad entry names SSO_PORTAL_ALLOWED_ORIGINS and the entry', () => {
    assert.deepEqual(parseOriginList(' https://app.example.com, http://localhost:5173/ '), ['https://app.example.com', 'http://localhost:5173']);
    assert.equal(parseOriginList(' '), undefined);
    for (const bad of ['*', 'app.example.com', 'https://app.example.com/settings', 'https://app.example.com?x=1', 'ftp://files.example', 'https://user@app.example.com']) {
      assert.throws(() => parseOriginList(bad), (error: Error) => error.message.startsWith('SSO_PORTAL_ALLOWED_ORIGINS:') && error.message.includes(JSON.stringify(bad)), bad);
    }
  });

  test('the demo origin is allowed only in demo mode', async () => {
    const database = await openTestDatabase();
    const base = { database, secrets: testSecretBox(), adminKey: ADMIN_KEY, publicBaseUrl: 'http://127.0.0.1:4999', dataDir: null };
    const plain = await createMockServer({ ...base, demo: false });
    const demo = await createMockServer({ ...base, demo: true });
    try {
      assert.deepEqual(plain.allowedOrigins, ['http://127.0.0.1:4999']);
      assert.deepEqual(demo.allowedOrigins, ['http://127.0.0.1:4999', DEMO_ORIGIN]);
    } finally {
      await plain.close();
      await demo.close();
      await database.close();
    }
  });

  test('npm run server: SSO_PORTAL_ALLOWED_ORIGINS is allowed for CORS and frame-ancestors; the demo origin is not outside demo mode', async () => {
    const result = await runServer(await tempDir(), { SSO_PORTAL_ALLOWED_ORIGINS: 'https://app.example.com,http://localhost:5173' }, async (origin) => {
      const ask = async (from: string) => {
        const response = await fetch(`${origin}/api/portal/session`, { headers: { origin: from, authorization: 'Bearer nope' } });
        await response.arrayBuffer();
        return response.headers.get('access-control-allow-origin');
      };
      assert.equal(await ask('https://app.example.com'), 'https://app.example.com');
      assert.equal(await ask('http://localhost:5173'), 'http://localhost:5173');
      assert.equal(await ask('https://evil.example'), null);
      if (origin !== DEMO_ORIGIN) assert.equal(await ask(DEMO_ORIGIN), null, 'the demo origin only in demo mode');
      const page = await fetch(`${origin}/portal/not-a-token`);
      await page.arrayBuffer();
      assert.match(page.headers.get('content-security-policy') ?? '', /frame-ancestors 'self' http:\/\/127\.0\.0\.1:\d+ https:\/\/app\.example\.com http:\/\/localhost:5173/);
    });
    assert.equal(result.error, undefined, String(result.error));
    assert.match(result.output, /^\s*Server:\s+http:/m);
  });

  test('npm run server: a bad SSO_PORTAL_ALLOWED_ORIGINS is a clear start error', async () => {
    const { code, output } = await runServer(await tempDir(), { SSO_PORTAL_ALLOWED_ORIGINS: 'https://app.example.com/settings' });
    assert.equal(code, 1);
    assert.match(output, /SSO_PORTAL_ALLOWED_ORIGINS: "https:\/\/app\.example\.com\/settings" is not an origin/);
  });

  test('npm run server: a migration that fails stops the start, saying which one and why (no stack)', async () => {
    const dir = await tempDir();
    // A database in the way: a table the first migration creates already exists.
    const pglite = await PGlite.create({ dataDir: join(dir, PGLITE_DIR) });
    await pglite.exec('create table connections (id integer)');
    await pglite.close();
    const { code, output } = await runServer(dir, { DATABASE_URL: '' });
    assert.equal(code, 1, output);
    assert.match(output, /Database migration 0001_initial failed: .*"connections" already exists/);
    assert.doesNotMatch(output, /\bat\s|\.ts:\d+/, 'the message, not a stack');
    assert.doesNotMatch(output, /Server:/, 'nothing started');
  });
});

describe('branding logo', () => {
  test('logoUrl: https (http only on loopback), no quotes, spaces or < >', async (t) => {
    const h = await startHarness();
    t.after(() => h.close());
    const create = (logoUrl: string) => h.admin('POST', '/api/admin/organizations', { name: 'Logo', branding: { name: 'Acme', logoUrl } });
    for (const good of ['https://cdn.example.com/brand/logo.svg', 'https://cdn.example.com:8443/logo.png?v=2', 'http://127.0.0.1:4400/assets/logo.svg', 'http://localhost:5173/logo.svg']) {
      assert.equal((await create(good)).status, 201, good);
    }
    for (const bad of [
      'https://cdn.example.com/logo.png"onerror="alert(1)',
      "https://cdn.example.com/logo.png'",
      'https://cdn.example.com/a b.png',
      'https://cdn.example.com/<svg>',
      'https://cdn.example.com/x;script-src',
      'http://cdn.example.com/logo.png',
      'javascript:alert(1)',
    ]) {
      const answer = await create(bad);
      assert.equal(answer.status, 422, bad);
      assert.equal(answer.body.code, 'validation_failed');
      assert.ok(answer.body.details.issues.some((i: { path: string }) => i.path === 'branding.logoUrl'), bad);
    }
  });

  test('logoImageSources: the logo’s origin, or nothing for a URL the schema refuses', () => {
    assert.deepEqual(logoImageSources('https://cdn.example.com/brand/logo.svg'), ['https://cdn.example.com']);
    assert.deepEqual(logoImageSources(undefined), []);
    assert.deepEqual(logoImageSources("https://cdn.example.com/x'y"), []);
    assert.deepEqual(logoImageSources('http://cdn.example.com/logo.png'), []);
  });

  test('the hosted portal page allows images from the organization’s logo origin only', async () => {
    const s = await startLoginServer();
    try {
      const withLogo = await s.admin('POST', '/api/admin/organizations', { name: 'Logo', branding: { name: 'Acme', logoUrl: 'https://cdn.example.com/brand/logo.svg' } });
      const without = await s.admin('POST', '/api/admin/organizations', { name: 'No logo', branding: { name: 'Acme' } });
      const imgSrc = async (orgId: string) => {
        const link = await s.admin('POST', `/api/admin/organizations/${orgId}/links`, {});
        const page = await fetch(link.body.url as string);
        await page.arrayBuffer();
        assert.equal(page.status, 200);
        return /img-src ([^;]+)/.exec(page.headers.get('content-security-policy') ?? '')?.[1];
      };
      assert.equal(await imgSrc(withLogo.body.id as string), "'self' data: https://cdn.example.com");
      assert.equal(await imgSrc(without.body.id as string), "'self' data:");
    } finally {
      await s.close();
    }
  });
});

describe('OIDC issuers have no query or fragment', () => {
  test('POST /api/portal/oidc-discovery: an issuer with a query is refused before any fetch; a discovery URL keeps its query', async (t) => {
    const fetched: string[] = [];
    const h = await startHarness({
      fetchDocument: (url) => {
        fetched.push(url);
        return Promise.resolve('{"issuer":"https://idp.example.com/tenant"}');
      },
    });
    t.after(() => h.close());
    const { token } = await h.organization('Issuers');
    const refused = await h.portal(token, 'POST', '/api/portal/oidc-discovery', { issuer: 'https://idp.example.com/tenant?p=B2C_1_signin' });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, 'validation_failed');
    assert.equal(refused.body.details.reason, 'oidc_discovery_url_invalid');
    assert.match(refused.body.details.issues[0].message, /no query/);
    assert.deepEqual(fetched, [], 'nothing was fetched');

    assert.equal((await h.portal(token, 'POST', '/api/portal/oidc-discovery', { issuer: 'https://idp.example.com/tenant/' })).status, 200);
    const discoveryUrl = 'https://idp.example.com/tenant/.well-known/openid-configuration?p=B2C_1_signin';
    assert.equal((await h.portal(token, 'POST', '/api/portal/oidc-discovery', { issuer: discoveryUrl })).status, 200);
    assert.deepEqual(fetched, ['https://idp.example.com/tenant/.well-known/openid-configuration', discoveryUrl]);
  });

  test('a connection’s issuer with a query or a fragment is refused (validation_failed on oidc.issuer)', async (t) => {
    const h = await startHarness();
    t.after(() => h.close());
    const { token } = await h.organization('Issuers');
    for (const issuer of ['https://idp.example.com/tenant?p=1', 'https://idp.example.com/tenant#x']) {
      const answer = await h.portal(token, 'POST', '/api/portal/connections', { protocol: 'oidc', providerId: 'okta', oidc: { issuer, clientId: 'c', clientSecret: 's' } });
      assert.equal(answer.status, 422, issuer);
      assert.ok(answer.body.details.issues.some((i: { path: string; message: string }) => i.path === 'oidc.issuer' && /query/.test(i.message)), issuer);
    }
  });

  test('the relying party refuses a stored issuer with a query before fetching anything', async () => {
    const asked: string[] = [];
    const result = await completeOidcLogin({
      client: { issuer: 'https://idp.example.com/tenant?p=1', clientId: 'c', clientSecret: 's', redirectUri: 'https://sp.example.com/cb', scopes: ['openid'] },
      callbackUrl: 'https://sp.example.com/cb?code=abc&state=st',
      pending: { state: 'st', nonce: 'n', codeVerifier: 'verifier-verifier-verifier-verifier-verifier-1' },
      attributeMapping: { email: 'email' },
      fetchJson: (url) => {
        asked.push(url);
        return Promise.reject(new Error('no fetch expected'));
      },
    });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.code, 'idp_error');
    assert.match(String(!result.ok && result.error.details?.reason), /must not have a query/);
    assert.deepEqual(asked, []);
  });
});
