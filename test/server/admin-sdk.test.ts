/// <reference types="node" />
/**
 * The admin SDK (`sso-admin-portal/admin`, issue 13 point 2): every method against the real
 * server (the app on a loopback port), its answers and its errors as the server's PortalError
 * codes; transport failures against loopback servers that misbehave on purpose.
 *
 * Run: node --import tsx --test --test-reporter=spec test/server/admin-sdk.test.ts
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ADMIN_CLIENT_ROUTES, createAdminClient, PortalError, verifyWebhook, type AdminClient, type AdminRouteId } from '../../src/admin/index.js';
import { createContractClient } from '../../src/admin/contract-client.js';
import { REST, REST_ROUTES } from '../../src/core/rest-contract.js';
import { createSigningKey } from '../support/saml-test-idp.js';
import { ADMIN_KEY, OIDC_INPUT, startHarness, type Harness } from './helpers.js';

/** Asserts that `promise` rejects with a PortalError of `code` (and `status`), and returns it. */
async function rejectsWith(promise: Promise<unknown>, code: string, status?: number): Promise<PortalError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof PortalError, `not a PortalError: ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (status !== undefined) assert.equal(error.status, status);
    return error;
  }
  assert.fail(`resolved; expected a rejection with ${code}`);
}

/** A loopback HTTP server answering with `handler`; closed after the file. */
async function loopbackServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('admin SDK against the server', () => {
  let h: Harness;
  let admin: AdminClient;
  /** The contract routes the SDK's requests reached, by id. */
  const called = new Set<string>();
  const routeOf = (method: string, pathname: string) =>
    REST_ROUTES.find((route) => route.method === method && new RegExp(`^${route.path.replace(/:\w+/g, '[^/]+')}$`).test(pathname))?.id;

  before(async () => {
    // Webhooks to this machine (the test's receiver), delivered by the harness's worker.
    h = await startHarness({ webhooks: { allowLoopback: true, worker: { pollMs: 0 } } });
    admin = createAdminClient({
      baseUrl: h.origin,
      adminKey: ADMIN_KEY,
      fetch: (input, init) => {
        const id = routeOf(init?.method ?? 'GET', new URL(input instanceof Request ? input.url : input).pathname);
        if (id) called.add(id);
        return fetch(input, init);
      },
    });
  });
  after(() => h.close());

  test('has a method for each admin route of the contract (a new route needs its id in ADMIN_CLIENT_ROUTES)', () => {
    const adminRoutes = REST_ROUTES.filter((route) => route.auth === 'admin').map((route) => route.id);
    assert.deepEqual([...ADMIN_CLIENT_ROUTES].sort(), adminRoutes.sort());
    for (const id of ADMIN_CLIENT_ROUTES) assert.equal(typeof admin[id], 'function', id);
  });

  test('organizations: create, list, get; a missing one is not_found, a bad body validation_failed', async () => {
    const created = await admin.createOrganization({ name: 'Globex', branding: { name: 'Acme', accentColor: '#4f46e5' } });
    assert.match(created.id, /^org_/);
    assert.equal(created.name, 'Globex');
    assert.deepEqual(created.branding, { name: 'Acme', accentColor: '#4f46e5' });
    assert.equal(created.createdAt, h.clock.now.toISOString());
    assert.ok((await admin.listOrganizations()).some((o) => o.id === created.id));
    assert.deepEqual(await admin.getOrganization(created.id), created);

    const missing = await rejectsWith(admin.getOrganization('org_nope'), 'not_found', 404);
    assert.equal(missing.retryable, false);
    // An id that cannot exist is not found too (the server's rule), and is sent encoded.
    await rejectsWith(admin.getOrganization('../organizations'), 'not_found', 404);
    const invalid = await rejectsWith(admin.createOrganization({ name: '' }), 'validation_failed', 422);
    assert.match(invalid.message, /^Organization is not valid: name/);
    assert.deepEqual((invalid.details?.issues as { path: string }[]).map((issue) => issue.path), ['name']);
  });

  test('portal links: create (default and given lifetime), list, revoke; the link works until revoked', async () => {
    const org = await admin.createOrganization({ name: 'Initech' });
    const week = await admin.createLink(org.id);
    assert.equal(week.expiresAt, new Date(h.clock.now.getTime() + 168 * 3_600_000).toISOString());
    const link = await admin.createLink(org.id, { lifetimeHours: 2 });
    assert.equal(link.expiresAt, new Date(h.clock.now.getTime() + 2 * 3_600_000).toISOString());
    assert.equal(link.url, `http://127.0.0.1:1/portal/${link.token}`);
    assert.equal((await h.portal(link.token, 'GET', '/api/portal/session')).status, 200);

    const links = await admin.listLinks(org.id);
    assert.deepEqual(links.map((l) => l.id).sort(), [week.id, link.id].sort());
    assert.ok(links.every((l) => l.revokedAt === null && !('token' in l)));

    assert.equal(await admin.revokeLink(link.id), undefined);
    assert.equal((await h.portal(link.token, 'GET', '/api/portal/session')).status, 401);
    assert.equal((await admin.listLinks(org.id)).find((l) => l.id === link.id)?.revokedAt, h.clock.now.toISOString());

    await rejectsWith(admin.revokeLink('link_nope'), 'not_found', 404);

    // An embed link (the portal in the host's iframe): single-use, for one of the allowed origins.
    const embed = await admin.createEmbedLink(org.id, { parentOrigin: 'http://127.0.0.1:1' });
    assert.match(embed.url, /^http:\/\/127\.0\.0\.1:1\/portal\/[^/?]+\?embed=1$/);
    assert.equal(embed.parentOrigin, 'http://127.0.0.1:1');
    assert.equal(embed.sessionMinutes, 360);
    const foreign = await rejectsWith(admin.createEmbedLink(org.id, { parentOrigin: 'https://evil.example' }), 'validation_failed', 422);
    assert.match(foreign.message, /parentOrigin/);
    await rejectsWith(admin.createLink('org_nope'), 'not_found', 404);
    await rejectsWith(admin.listLinks('org_nope'), 'not_found', 404);
    const invalid = await rejectsWith(admin.createLink(org.id, { lifetimeHours: 0 }), 'validation_failed', 422);
    assert.match(invalid.message, /lifetimeHours: must be more than 0/);
  });

  test('domains: verified manually; a bad name is domain_invalid, one verified by another organization domain_taken', async () => {
    const a = await admin.createOrganization({ name: 'Megacorp' });
    const b = await admin.createOrganization({ name: 'Umbrella' });
    const domain = await admin.verifyDomainManually(a.id, 'Megacorp.Example');
    assert.deepEqual([domain.name, domain.status, domain.method], ['megacorp.example', 'verified', 'manual']);
    await rejectsWith(admin.verifyDomainManually(b.id, 'megacorp.example'), 'domain_taken', 409);
    await rejectsWith(admin.verifyDomainManually(a.id, 'not a domain'), 'domain_invalid', 422);
    await rejectsWith(admin.verifyDomainManually('org_nope', 'nope.example'), 'not_found', 404);
  });

  test("connections: a SAML connection's encryption keys, a rollover started and finished; conflict and validation errors", async () => {
    const org = await admin.createOrganization({ name: 'Rollover Inc' });
    const { token } = await admin.createLink(org.id);
    const saml = { idpEntityId: 'https://idp.example/entity', ssoUrl: 'https://idp.example/sso', ssoBinding: 'post', signingCertificates: [(await createSigningKey()).certPem] };
    const created = await h.portal(token, 'POST', '/api/portal/connections', { protocol: 'saml', providerId: 'adfs', saml, attributeMapping: { email: 'email' } });
    assert.equal(created.status, 201, created.text);
    const connectionId = (created.body as { id: string }).id;

    const shown = await admin.getEncryptionKeys(org.id, connectionId);
    assert.equal(shown.next, null);
    assert.match(shown.current.certificatePem, /^-----BEGIN CERTIFICATE-----/);
    assert.doesNotMatch(JSON.stringify(shown), /PRIVATE KEY/);
    const started = await admin.startEncryptionRollover(org.id, connectionId);
    assert.equal(started.current.fingerprint, shown.current.fingerprint);
    assert.notEqual(started.next?.fingerprint, shown.current.fingerprint);
    const finished = await admin.finishEncryptionRollover(org.id, connectionId);
    assert.deepEqual([finished.current.fingerprint, finished.next], [started.next?.fingerprint, null]);
    const again = await rejectsWith(admin.finishEncryptionRollover(org.id, connectionId), 'conflict', 409);
    assert.match(again.message, /No encryption key rollover is in progress/);

    const oidc = await h.portal(token, 'POST', '/api/portal/connections', { protocol: 'oidc', providerId: 'okta', attributeMapping: { email: 'email' } });
    const notSaml = await rejectsWith(admin.getEncryptionKeys(org.id, (oidc.body as { id: string }).id), 'validation_failed', 422);
    assert.match(notSaml.message, /Encryption keys belong to SAML connections/);
    await rejectsWith(admin.getEncryptionKeys(org.id, 'conn_nope'), 'not_found', 404);
  });

  test("a wrong admin key is the server's 401 forbidden, with its message", async () => {
    const wrong = createAdminClient({ baseUrl: h.origin, adminKey: 'wrong-key' });
    const error = await rejectsWith(wrong.listOrganizations(), 'forbidden', 401);
    assert.equal(error.message, 'The admin API needs the admin key as a Bearer token.');
    // A portal token is not an admin key either.
    const { token } = await admin.createLink((await admin.createOrganization({ name: 'Hooli' })).id);
    await rejectsWith(createAdminClient({ baseUrl: h.origin, adminKey: token }).listOrganizations(), 'forbidden', 401);
  });

  test('baseUrl: with a trailing slash, or the admin API itself, reaches the same routes', async () => {
    const org = await admin.createOrganization({ name: 'Slash Inc' });
    for (const baseUrl of [`${h.origin}/`, `${h.origin}/api/admin`, `${h.origin}/api/admin/`]) {
      assert.equal((await createAdminClient({ baseUrl, adminKey: ADMIN_KEY }).getOrganization(org.id)).name, 'Slash Inc', baseUrl);
    }
  });

  test('a missing path parameter is refused before any request (an empty id would name another route)', async () => {
    const before = called.size;
    const error = await rejectsWith(admin.getOrganization(''), 'validation_failed');
    assert.match(error.message, /getOrganization: `orgId` must be a non-empty string/);
    await rejectsWith((admin.createLink as (...args: unknown[]) => Promise<unknown>)(), 'validation_failed');
    assert.equal(called.size, before);
  });

  test('a portal route with a query through the same client: the query is sent, and checked by the server', async () => {
    // The same client over portal routes, with a portal token: `getTestResult` takes `?wait=`.
    const { token } = await admin.createLink((await admin.createOrganization({ name: 'Query Inc' })).id);
    const portal = createContractClient(['createConnection', 'startTest', 'getTestResult'], { base: h.origin, credential: token });
    const connection = await portal.createConnection(OIDC_INPUT as Parameters<typeof portal.createConnection>[0]);
    const { testId } = await portal.startTest(connection.id, { mode: 'sp' });
    assert.equal((await portal.getTestResult(testId, { wait: 0 })).status, 'pending');
    const invalid = await rejectsWith(portal.getTestResult(testId, { wait: 26 }), 'validation_failed', 422);
    assert.match(invalid.message, /^The query is not valid: wait: must be at most 25/);
    await rejectsWith(portal.getTestResult('test_nope', {}), 'test_not_found', 404);
  });

  test('webhooks, the event log and the SSO state: an endpoint (its secret once), a signed delivery verifyWebhook accepts, resend, disable, delete', async () => {
    const received: { headers: Record<string, string>; body: string }[] = [];
    const receiver = await loopbackServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(204).end();
      });
    });
    try {
      const endpoint = await admin.createWebhookEndpoint({ url: `${receiver.origin}/hooks`, eventTypes: ['organization.created'] });
      assert.match(endpoint.secret, /^whsec_/);
      const listed = await admin.listWebhookEndpoints();
      assert.ok(listed.some((e) => e.id === endpoint.id));
      assert.ok(listed.every((e) => !('secret' in e)), 'the secret is shown once');
      assert.equal((await admin.getWebhookEndpoint(endpoint.id)).url, `${receiver.origin}/hooks`);

      const org = await admin.createOrganization({ name: 'Hooked' });
      await h.webhookWorker!.idle();
      assert.equal(received.length, 1);
      const event = (await verifyWebhook(received[0]!.body, received[0]!.headers, endpoint.secret, { now: h.clock.now })) as { type: string; organizationId: string };
      assert.equal(event.type, 'organization.created');
      assert.equal(event.organizationId, org.id);

      const [delivery] = await admin.listWebhookDeliveries(endpoint.id, {});
      assert.equal(delivery?.status, 'delivered');
      assert.equal((await admin.resendWebhookDelivery(delivery.id)).id, delivery.id);
      await h.webhookWorker!.idle();
      assert.equal(received.length, 2);
      assert.equal(received[1]!.headers['webhook-id'], received[0]!.headers['webhook-id'], 'a resend keeps the event id');

      const events = await admin.listEvents({ organizationId: org.id });
      assert.deepEqual(events.data.map((e) => e.type), ['organization.created']);
      assert.equal(events.data[0]!.actor.kind, 'admin_key');
      const sso = await admin.getOrganizationSso(org.id);
      assert.deepEqual([sso.status, sso.connections, sso.domains, sso.lastSignInAt], ['none', [], [], null]);
      const routing = await admin.previewHostRouting({ email: 'ada@nobody.example' });
      assert.deepEqual([routing.route, routing.reasons.map((r) => r.code)], ['password', ['no_verified_domain']]);
      await rejectsWith(admin.listEvents({ limit: 0 }), 'validation_failed', 422);

      assert.equal((await admin.updateWebhookEndpoint(endpoint.id, { enabled: false })).enabled, false);
      await admin.createOrganization({ name: 'Not Sent' });
      await h.webhookWorker!.idle();
      assert.equal(received.length, 2, 'a disabled endpoint is sent nothing');
      assert.equal(await admin.deleteWebhookEndpoint(endpoint.id), undefined);
      await rejectsWith(admin.getWebhookEndpoint(endpoint.id), 'not_found', 404);
      await rejectsWith(admin.createWebhookEndpoint({ url: 'http://hooks.example/x' }), 'validation_failed', 422);
    } finally {
      await receiver.close();
    }
  });

  test('test links, the host’s view: an organization’s list (made and used in test-links.test.ts), not_found for another id', async () => {
    const org = await admin.createOrganization({ name: 'Linked Inc' });
    assert.deepEqual(await admin.listOrganizationTestLinks(org.id), []);
    await rejectsWith(admin.listOrganizationTestLinks('org_nope'), 'not_found', 404);
  });

  test('directory sync, the host’s view: an organization’s directories, their users (search, active, group, pages) and groups', async () => {
    const org = await admin.createOrganization({ name: 'Synced Inc' });
    const { token } = await admin.createLink(org.id);
    const created = await h.portal(token, 'POST', '/api/portal/directories', { provider: 'okta' });
    const { directory, token: scimToken } = created.body as { directory: { id: string }; token: string };
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${h.origin}/scim/v2/${directory.id}/${path}`, { method: 'POST', headers: { authorization: `Bearer ${scimToken}`, 'content-type': 'application/scim+json' }, body: JSON.stringify(body) });
      assert.equal(response.status, 201);
      return (await response.json()) as { id: string };
    };
    const users = [];
    for (const name of ['ada', 'bob', 'cy']) {
      users.push(await post('Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `${name}@synced.example`, active: name !== 'cy', name: { givenName: name } }));
    }
    const group = await post('Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Admins', members: [{ value: users[0]!.id }] });

    const [listed] = await admin.listOrganizationDirectories(org.id);
    assert.deepEqual([listed!.id, listed!.counts], [directory.id, { users: 3, activeUsers: 2, groups: 1 }]);
    assert.ok(!JSON.stringify(listed).includes(scimToken));
    const first = await admin.listDirectoryUsers(directory.id, { limit: 2 });
    assert.deepEqual([first.data.map((u) => u.userName), first.hasMore], [['ada@synced.example', 'bob@synced.example'], true]);
    assert.deepEqual(first.data[0]!.groups, [{ id: group.id, displayName: 'Admins' }]);
    assert.equal(first.data[0]!.givenName, 'ada');
    const next = await admin.listDirectoryUsers(directory.id, { limit: 2, after: first.data[1]!.id });
    assert.deepEqual([next.data.map((u) => u.userName), next.hasMore], [['cy@synced.example'], false]);
    assert.deepEqual((await admin.listDirectoryUsers(directory.id, { active: 'false' })).data.map((u) => u.userName), ['cy@synced.example']);
    assert.deepEqual((await admin.listDirectoryUsers(directory.id, { groupId: group.id })).data.map((u) => u.userName), ['ada@synced.example']);
    assert.deepEqual((await admin.listDirectoryUsers(directory.id, { search: 'BOB' })).data.map((u) => u.userName), ['bob@synced.example']);
    const groups = await admin.listDirectoryGroups(directory.id, {});
    assert.deepEqual([groups.data.map((g) => [g.displayName, g.memberCount]), groups.hasMore], [[['Admins', 1]], false]);
    await rejectsWith(admin.listDirectoryUsers('dir_nope', {}), 'not_found', 404);
    await rejectsWith(admin.listDirectoryGroups(directory.id, { limit: 500 }), 'validation_failed', 422);
  });

  test('login traces, the host’s view: a connection’s attempts and an attempt’s report (what it leaves out listed)', async () => {
    const org = await admin.createOrganization({ name: 'Traced Inc' });
    const { token } = await admin.createLink(org.id);
    const created = await h.portal(token, 'POST', '/api/portal/connections', { protocol: 'oidc', providerId: 'okta', oidc: { issuer: 'https://idp.example', clientId: 'client', clientSecret: 'the-client-secret-1234' }, attributeMapping: { email: 'email' } });
    const connectionId = (created.body as { id: string }).id;
    assert.deepEqual(await admin.listConnectionLoginAttempts(org.id, connectionId), []);
    await h.store.loginAttempts.record(org.id, {
      connectionId,
      protocol: 'oidc',
      at: '2026-12-01T10:00:00Z',
      purpose: 'sign-in',
      user: 'ada@traced.example',
      outcome: 'failure',
      error: { code: 'email_unverified', message: 'Not verified.', remedy: 'Verify it.' },
      steps: [{ check: 'email_verified', status: 'failed', detail: 'email_verified is absent.' }],
      response: { format: 'json', body: JSON.stringify({ callback: { code: '[redacted]' }, claims: { email: ['ada@traced.example'], given_name: ['Ada'] } }) },
    });
    const [attempt] = await admin.listConnectionLoginAttempts(org.id, connectionId);
    assert.deepEqual([attempt!.user, attempt!.error?.code, attempt!.steps[0]!.check], ['ada@traced.example', 'email_unverified', 'email_verified']);
    const report = await admin.getLoginAttemptReport(org.id, connectionId, attempt!.id);
    assert.match(report.fileName, new RegExp(`^sso-report-${connectionId}-`));
    assert.ok(report.redactions.some((r) => /client secret/.test(r)));
    assert.ok(report.redactions.some((r) => /given_name/.test(r)), report.redactions.join('\n'));
    for (const file of [report.html, report.json]) {
      assert.ok(!file.includes('the-client-secret-1234'));
      assert.ok(!file.includes('Ada"') && !file.includes('>Ada<'), 'the given name is redacted');
      assert.ok(file.includes('ada@traced.example'), 'the email is kept');
    }
    await rejectsWith(admin.getLoginAttemptReport(org.id, connectionId, 'la_nope'), 'not_found', 404);
    await rejectsWith(admin.listConnectionLoginAttempts(org.id, 'conn_nope'), 'not_found', 404);
  });

  test('every method was called against the server', () => {
    assert.deepEqual(ADMIN_CLIENT_ROUTES.filter((id: AdminRouteId) => !called.has(id)), []);
    assert.ok(ADMIN_CLIENT_ROUTES.every((id) => REST[id].auth === 'admin'));
  });
});

describe('admin SDK: configuration and transport failures', () => {
  const servers: { close(): Promise<void> }[] = [];
  after(() => Promise.all(servers.map((server) => server.close())));
  const serve = async (handler: (req: IncomingMessage, res: ServerResponse) => void) => {
    const server = await loopbackServer(handler);
    servers.push(server);
    return server;
  };

  test('a base URL that is not http(s) or an empty key is not_configured, said plainly', () => {
    for (const baseUrl of ['sso.example.com', 'ftp://sso.example.com', '']) {
      assert.throws(
        () => createAdminClient({ baseUrl, adminKey: 'k' }),
        (error: unknown) => error instanceof PortalError && error.code === 'not_configured' && /baseUrl/.test(error.message),
        baseUrl,
      );
    }
    for (const adminKey of ['', '  ']) {
      assert.throws(
        () => createAdminClient({ baseUrl: 'http://127.0.0.1:1', adminKey }),
        (error: unknown) => error instanceof PortalError && error.code === 'not_configured' && /admin key/.test(error.message),
      );
    }
  });

  test('no server listening: network', async () => {
    const gone = await loopbackServer(() => undefined);
    await gone.close();
    await rejectsWith(createAdminClient({ baseUrl: gone.origin, adminKey: 'k' }).listOrganizations(), 'network');
  });

  test('an answer that is not JSON: a 200 is server_error, an error status decides the code', async () => {
    const html = await serve((req, res) => {
      res.writeHead(req.method === 'GET' ? 200 : 502, { 'content-type': 'text/html' });
      res.end('<html>proxy page</html>');
    });
    const client = createAdminClient({ baseUrl: html.origin, adminKey: 'k' });
    const notJson = await rejectsWith(client.listOrganizations(), 'server_error', 200);
    assert.equal(notJson.message, "GET /api/admin/organizations: the server's answer is not JSON.");
    assert.equal(notJson.retryable, false);
    const badGateway = await rejectsWith(client.createOrganization({ name: 'x' }), 'server_error', 502);
    assert.equal(badGateway.retryable, true);
  });

  test("an answer that breaks the contract is server_error naming the field; an unknown problem code keeps the server's", async () => {
    const odd = await serve((req, res) => {
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify([{ id: 'org_1', name: 'x' }]));
        return;
      }
      res.writeHead(418, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ type: 'about:blank', status: 418, code: 'teapot', detail: 'I am a teapot.', retryable: false }));
    });
    const client = createAdminClient({ baseUrl: odd.origin, adminKey: 'k' });
    const invalid = await rejectsWith(client.listOrganizations(), 'server_error');
    assert.match(invalid.message, /^The server's answer is not valid\. .*branding/);
    const teapot = await rejectsWith(client.revokeLink('link_1'), 'unknown', 418);
    assert.equal(teapot.message, 'I am a teapot.');
    assert.equal(teapot.details?.serverCode, 'teapot');
  });

  test('a server that never answers: request_timeout after timeoutMs; the caller aborting: aborted', async () => {
    const arrived: (() => void)[] = [];
    const silent = await serve(() => arrived.shift()?.());
    await rejectsWith(createAdminClient({ baseUrl: silent.origin, adminKey: 'k', timeoutMs: 50 }).listOrganizations(), 'request_timeout');

    const client = createAdminClient({ baseUrl: silent.origin, adminKey: 'k' });
    const controller = new AbortController();
    const received = new Promise<void>((resolve) => arrived.push(resolve));
    const call = client.getOrganization('org_1', { signal: controller.signal });
    await received;
    controller.abort();
    await rejectsWith(call, 'aborted');
    await rejectsWith(client.listOrganizations({ signal: AbortSignal.abort() }), 'aborted');
  });
});
