/// <reference types="node" />
/**
 * Issue 13, the host's side: the event log (recorded in the same transaction as each change,
 * with its actor; the audit log of the admin API), an organization's SSO state, and webhooks
 * (endpoints, Standard Webhooks signatures checked with the `standardwebhooks` package, retries
 * on the injected clock, timeouts, oversized answers, 410, giving up, a restart, two instances).
 *
 * Receivers run on 127.0.0.1 only; the URLs refused are refused before any packet is sent.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { REST, restPath } from '../../src/core/rest-contract.js';
import { validate } from '../../src/core/model.js';
import { createPortalApp } from '../../src/server/app.js';
import { openDatabase, type Database } from '../../src/server/db/database.js';
import { recordCertificateExpiries } from '../../src/server/events.js';
import { startMetadataRefresh } from '../../src/server/metadata-refresh.js';
import { OrganizationServices } from '../../src/server/server-types.js';
import type { SqlStore } from '../../src/server/store/sql-store.js';
import { RETRY_SCHEDULE_MS, startDeliveryWorker } from '../../src/server/webhooks/delivery-worker.js';
import { createSigningKey, idpMetadataXml } from '../support/saml-test-idp.js';
import { createPostgresDatabase, openTestDatabase, POSTGRES_ONLY } from '../support/test-database.js';
import { ADMIN_KEY, OIDC_INPUT, startHarness, testSecretBox, type Answer, type Harness } from './helpers.js';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on 127.0.0.1: `answer` decides each reply (`hang`: never answers). */
async function startReceiver(answer: (n: number, request: Received) => { status: number; body?: string } | 'hang' = () => ({ status: 204 })) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(request);
      const reply = answer(received.length, request);
      if (reply === 'hang') return;
      res.writeHead(reply.status, { 'content-type': 'text/plain' });
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const conforms = (route: { status: number; response?: unknown; id: string }, answer: Answer) => {
  assert.equal(answer.status, route.status, `${route.id}: ${answer.text}`);
  if (route.response) {
    const result = validate(route.response as never, answer.body);
    assert.ok(result.ok, `${route.id}: ${JSON.stringify(result.ok ? '' : result.issues)}`);
  }
};

async function events(h: Harness, query = ''): Promise<any[]> {
  const answer = await h.admin('GET', `/api/admin/events${query}`);
  conforms(REST.listEvents, answer);
  return answer.body.data as any[];
}

/** A connection that can be activated: created, tested (simulated, instant), then enabled. */
async function activeConnection(h: Harness, token: string): Promise<any> {
  const created = await h.portal(token, 'POST', '/api/portal/connections', OIDC_INPUT);
  assert.equal(created.status, 201, created.text);
  const test = await h.portal(token, 'POST', `/api/portal/connections/${created.body.id}/tests`, { mode: 'sp' });
  assert.equal(test.status, 201, test.text);
  assert.equal((await h.portal(token, 'GET', `/api/portal/tests/${test.body.testId}`)).body.status, 'success');
  const current = await h.portal(token, 'GET', `/api/portal/connections/${created.body.id}`);
  const enabled = await h.portal(token, 'PUT', `/api/portal/connections/${created.body.id}/enabled`, { version: current.body.version, enabled: true });
  assert.equal(enabled.status, 200, enabled.text);
  return enabled.body;
}

describe('the event log (audit log)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ testDurationMs: 0 });
  });
  after(() => h.close());

  test('every change is recorded with its actor and target, newest first, and nothing secret', async () => {
    const { orgId, linkId, token } = await h.organization('Audit Corp');
    const connection = await activeConnection(h, token);
    assert.equal((await h.portal(token, 'POST', '/api/portal/domains', { name: 'audit.example' })).status, 201);
    assert.equal((await h.portal(token, 'POST', '/api/portal/domains/audit.example/verify')).status, 200);
    assert.equal((await h.admin('DELETE', `/api/admin/links/${linkId}`)).status, 204);

    const log = await events(h, `?organizationId=${orgId}`);
    assert.deepEqual(
      log.map((e) => e.type).reverse(),
      [
        'organization.created',
        'portal_link.created',
        'connection.created',
        'connection.test_succeeded',
        'connection.activated',
        'domain.added',
        'domain.verified',
        'portal_link.revoked',
      ],
    );
    const byType = Object.fromEntries(log.map((e) => [e.type, e]));
    const adminKeyId = byType['organization.created'].actor.id as string;
    assert.match(adminKeyId, /^key_[0-9a-f]{16}$/);
    assert.deepEqual(byType['organization.created'].actor, { kind: 'admin_key', id: adminKeyId });
    assert.deepEqual(byType['connection.created'].actor, { kind: 'portal_link', id: linkId });
    assert.deepEqual(byType['connection.created'].target, { kind: 'connection', id: connection.id });
    assert.deepEqual(byType['domain.verified'].target, { kind: 'domain', id: 'audit.example' });
    assert.equal(byType['domain.verified'].data.domain.method, 'dns_txt');
    assert.deepEqual(byType['portal_link.revoked'].target, { kind: 'portal_link', id: linkId });
    assert.equal(byType['connection.activated'].data.connection.status, 'active');
    for (const e of log) assert.equal(e.organizationId, orgId);

    const text = JSON.stringify(log);
    assert.doesNotMatch(text, /TOP-SECRET-VALUE-42/, 'no client secret');
    assert.doesNotMatch(text, new RegExp(ADMIN_KEY), 'no admin key');
    assert.doesNotMatch(text, new RegExp(token), 'no portal token');
  });

  test('a change that fails records nothing; a secret change is named, never shown', async () => {
    const { orgId, token } = await h.organization('Conflicts');
    const created = await h.portal(token, 'POST', '/api/portal/connections', OIDC_INPUT);
    const before = await events(h, `?organizationId=${orgId}`);
    const stale = await h.portal(token, 'PATCH', `/api/portal/connections/${created.body.id}`, { version: 99, changes: { name: 'Renamed' } });
    assert.equal(stale.status, 409);
    assert.deepEqual(await events(h, `?organizationId=${orgId}`), before);

    const secret = await h.portal(token, 'PATCH', `/api/portal/connections/${created.body.id}`, {
      version: created.body.version,
      changes: { oidc: { ...OIDC_INPUT.oidc, clientSecret: 'ANOTHER-SECRET-77' } },
    });
    assert.equal(secret.status, 200, secret.text);
    const [updated] = await events(h, `?organizationId=${orgId}&type=connection.updated`);
    assert.deepEqual(updated.data.changes, ['oidc.clientSecret']);
    assert.doesNotMatch(JSON.stringify(updated), /ANOTHER-SECRET-77/);

    assert.equal((await h.portal(token, 'DELETE', `/api/portal/connections/${created.body.id}`)).status, 204);
    assert.equal((await events(h, `?organizationId=${orgId}`))[0].type, 'connection.deleted');
  });

  test('a listener told of recorded events that throws does not fail the write, which committed', async () => {
    const stop = (h.store as SqlStore).onEventsRecorded(() => {
      throw new Error('listener broke');
    });
    try {
      const created = await h.admin('POST', '/api/admin/organizations', { name: 'Listened' });
      assert.equal(created.status, 201, created.text);
      assert.equal((await events(h, `?organizationId=${created.body.id}`))[0].type, 'organization.created');
    } finally {
      stop();
    }
  });

  test('pages with before / after, filters by type, and refuses unknown types, cursors and organizations', async () => {
    const { orgId } = await h.organization('Pages');
    await h.admin('POST', `/api/admin/organizations/${orgId}/links`, {});
    await h.admin('POST', `/api/admin/organizations/${orgId}/links`, {});
    const all = await events(h, `?organizationId=${orgId}`);
    assert.equal(all.length, 4);
    const first = await h.admin('GET', `/api/admin/events?organizationId=${orgId}&limit=3`);
    assert.equal(first.body.data.length, 3);
    assert.equal(first.body.hasMore, true);
    const next = await h.admin('GET', `/api/admin/events?organizationId=${orgId}&limit=3&before=${first.body.data[2].id}`);
    assert.deepEqual(next.body.data.map((e: any) => e.id), [all[3].id]);
    assert.equal(next.body.hasMore, false);
    const feed = await events(h, `?organizationId=${orgId}&after=${all[3].id}`);
    assert.deepEqual(feed.map((e) => e.id), all.slice(0, 3).map((e) => e.id).reverse(), 'after: oldest first');
    assert.equal((await events(h, `?organizationId=${orgId}&type=portal_link.created,organization.created`)).length, 4);

    const badType = await h.admin('GET', '/api/admin/events?type=connection.exploded');
    assert.equal(badType.status, 422);
    assert.match(badType.body.detail, /type: must be event types/);
    assert.equal((await h.admin('GET', '/api/admin/events?limit=0')).status, 422);
    assert.equal((await h.admin('GET', '/api/admin/events?limit=500')).status, 422);
    assert.equal((await h.admin('GET', '/api/admin/events?after=evt_nope')).body.code, 'not_found');
    assert.equal((await h.admin('GET', '/api/admin/events?organizationId=org_nope')).status, 404);
  });

  test('GET /organizations/:id/sso: connections, domains and how verified, last sign-in, recent events', async () => {
    const { orgId, token } = await h.organization('Sso State');
    const empty = await h.admin('GET', restPath(REST.getOrganizationSso, { orgId }));
    conforms(REST.getOrganizationSso, empty);
    assert.equal(empty.body.status, 'none');
    const connection = await activeConnection(h, token);
    assert.equal((await h.admin('POST', `/api/admin/organizations/${orgId}/domains/sso.example/verify`)).status, 200);
    const state = await h.admin('GET', restPath(REST.getOrganizationSso, { orgId }));
    conforms(REST.getOrganizationSso, state);
    assert.equal(state.body.status, 'active');
    assert.equal(state.body.organization.name, 'Sso State');
    assert.equal(state.body.connections[0].id, connection.id);
    assert.equal(state.body.connections[0].providerId, 'okta');
    assert.equal(state.body.connections[0].lastTest.status, 'success');
    assert.deepEqual(state.body.domains.map((d: any) => [d.name, d.status, d.method]), [['sso.example', 'verified', 'manual']]);
    assert.equal(state.body.lastSignInAt, null);
    assert.equal(state.body.recentEvents[0].type, 'domain.verified');
    assert.equal((await h.admin('GET', restPath(REST.getOrganizationSso, { orgId: 'org_nope' }))).status, 404);
  });

  test('a new signing certificate on a SAML connection is connection.certificate_rotated; expiry warnings are recorded once per threshold', async () => {
    const { orgId, token } = await h.organization('Certificates');
    const first = await createSigningKey('First');
    const second = await createSigningKey('Second');
    const saml = { idpEntityId: 'https://idp.certs.example', ssoUrl: 'https://idp.certs.example/sso', ssoBinding: 'redirect', signingCertificates: [first.certPem] };
    const created = await h.portal(token, 'POST', '/api/portal/connections', { protocol: 'saml', providerId: 'okta', saml });
    assert.equal(created.status, 201, created.text);
    const updated = await h.portal(token, 'PATCH', `/api/portal/connections/${created.body.id}`, {
      version: created.body.version,
      changes: { saml: { ...saml, signingCertificates: [first.certPem, second.certPem] } },
    });
    assert.equal(updated.status, 200, updated.text);
    const [rotated] = await events(h, `?organizationId=${orgId}&type=connection.certificate_rotated`);
    assert.deepEqual(rotated.data.added, [second.fingerprint]);
    assert.deepEqual(rotated.data.removed, []);
    assert.doesNotMatch(JSON.stringify(rotated), /BEGIN CERTIFICATE/);

    // Both certificates end 2029-01-01 (createSigningKey: three years after 2026-01-01).
    const service = (await h.store.getOrganization(orgId))!;
    const read = async (id: string) => (id === orgId ? (await h.store.getOrganizationData(id)).connections : []);
    const notAfter = Date.parse('2029-01-01T00:00:00Z');
    const day = 86_400_000;
    assert.equal(await recordCertificateExpiries(h.database.db, read, new Date(notAfter - 40 * day)), 0);
    assert.equal(await recordCertificateExpiries(h.database.db, read, new Date(notAfter - 20 * day)), 2);
    // Again, as another instance would: nothing new.
    assert.equal(await recordCertificateExpiries(h.database.db, read, new Date(notAfter - 19 * day)), 0);
    assert.equal(await recordCertificateExpiries(h.database.db, read, new Date(notAfter - 6 * day)), 2);
    assert.equal(await recordCertificateExpiries(h.database.db, read, new Date(notAfter + day)), 0, 'expired: no more warnings');
    const expiring = await events(h, `?organizationId=${service.id}&type=connection.certificate_expiring`);
    assert.deepEqual(expiring.map((e) => e.data.daysBefore).sort(), [30, 30, 7, 7]);
    assert.deepEqual(expiring[0].actor, { kind: 'system', id: 'certificate-expiry' });
  });
});

describe('the metadata refresh', () => {
  test('a new signing certificate in the IdP metadata is connection.updated and connection.certificate_rotated, by the system', async (t) => {
    const h = await startHarness({ testDurationMs: 0 });
    t.after(() => h.close());
    const { orgId, token } = await h.organization('Rotation');
    const [first, second] = [await createSigningKey('First'), await createSigningKey('Second')];
    const entityId = 'https://idp.rotation.example';
    const metadataUrl = 'https://idp.rotation.example/metadata';
    let served = idpMetadataXml(entityId, [first]);
    const saml = { idpEntityId: entityId, ssoUrl: 'https://idp.example.com/sso', ssoBinding: 'redirect', signingCertificates: [first.certPem], metadataUrl, wantAuthnRequestsSigned: false };
    assert.equal((await h.portal(token, 'POST', '/api/portal/connections', { protocol: 'saml', providerId: 'okta', saml })).status, 201);
    // The fetcher is a stand-in: no request leaves the process.
    const refresh = startMetadataRefresh({ services: new OrganizationServices(h.store, { publicBaseUrl: 'http://127.0.0.1:1', now: () => h.clock.now }), fetchDocument: () => Promise.resolve(served), intervalMs: 0, now: () => h.clock.now });
    assert.equal((await refresh.runOnce()).unchanged, 1);
    served = idpMetadataXml(entityId, [first, second]);
    assert.equal((await refresh.runOnce()).updated, 1);
    const log = await events(h, `?organizationId=${orgId}&type=connection.updated,connection.certificate_rotated`);
    assert.deepEqual(log.map((e) => e.type), ['connection.certificate_rotated', 'connection.updated']);
    assert.deepEqual(log[0].actor, { kind: 'system', id: 'metadata-refresh' });
    assert.deepEqual(log[0].data.added, [second.fingerprint]);
    assert.deepEqual(log[1].data.changes, ['saml.signingCertificates']);
  });
});

describe('webhook endpoints', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ testDurationMs: 0, webhooks: { allowLoopback: false } });
  });
  after(() => h.close());

  test('create shows the secret once; list and get never do; patch and delete', async () => {
    const created = await h.admin('POST', '/api/admin/webhook-endpoints', { url: 'https://hooks.example/sso', eventTypes: ['connection.activated', 'domain.verified'], description: 'Ours' });
    conforms(REST.createWebhookEndpoint, created);
    assert.match(created.body.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(Buffer.from(created.body.secret.slice(6), 'base64').length, 32);
    const id = created.body.id as string;
    const listed = await h.admin('GET', '/api/admin/webhook-endpoints');
    conforms(REST.listWebhookEndpoints, listed);
    const got = await h.admin('GET', `/api/admin/webhook-endpoints/${id}`);
    conforms(REST.getWebhookEndpoint, got);
    for (const text of [listed.text, got.text]) assert.doesNotMatch(text, /whsec_|secret/);
    assert.deepEqual(got.body.eventTypes, ['connection.activated', 'domain.verified']);

    const disabled = await h.admin('PATCH', `/api/admin/webhook-endpoints/${id}`, { enabled: false });
    conforms(REST.updateWebhookEndpoint, disabled);
    assert.equal(disabled.body.enabled, false);
    assert.equal(disabled.body.disabledReason, 'Disabled by the host.');
    const enabled = await h.admin('PATCH', `/api/admin/webhook-endpoints/${id}`, { enabled: true, eventTypes: null });
    assert.deepEqual([enabled.body.enabled, enabled.body.disabledReason, enabled.body.eventTypes], [true, null, null]);
    conforms(REST.listWebhookDeliveries, await h.admin('GET', `/api/admin/webhook-endpoints/${id}/deliveries`));
    conforms(REST.deleteWebhookEndpoint, await h.admin('DELETE', `/api/admin/webhook-endpoints/${id}`));
    assert.equal((await h.admin('GET', `/api/admin/webhook-endpoints/${id}`)).status, 404);
    assert.equal((await h.admin('DELETE', `/api/admin/webhook-endpoints/${id}`)).status, 404);
  });

  test('bad URLs are refused with a reason, before any request', async () => {
    const cases: [string, string][] = [
      ['not a url', 'invalid_url'],
      ['ftp://hooks.example/x', 'scheme'],
      ['http://hooks.example/x', 'scheme'],
      ['https://user:pw@hooks.example/x', 'credentials'],
      ['https://hooks.example/x#frag', 'fragment'],
      ['https://10.0.0.1/x', 'private'],
      ['https://169.254.169.254/latest', 'metadata'],
      ['https://169.254.10.1/x', 'link-local'],
      ['https://[::ffff:192.168.1.1]/x', 'private'],
      ['https://127.0.0.1:9/x', 'loopback'],
      ['https://localhost/x', 'loopback'],
      ['http://localhost:9/x', 'scheme'],
    ];
    for (const [url, reason] of cases) {
      const answer = await h.admin('POST', '/api/admin/webhook-endpoints', { url });
      assert.equal(answer.status, 422, `${url}: ${answer.text}`);
      assert.equal(answer.body.code, 'validation_failed', url);
      assert.equal(answer.body.details.reason, reason, `${url}: ${answer.text}`);
      assert.equal(answer.body.details.issues[0].path, 'url');
      assert.match(answer.body.detail, /^Webhook endpoint is not valid: url: /);
    }
    const badType = await h.admin('POST', '/api/admin/webhook-endpoints', { url: 'https://hooks.example/x', eventTypes: ['connection.exploded'] });
    assert.equal(badType.status, 422);
    assert.match(badType.body.detail, /eventTypes/);
    const { body } = await h.admin('POST', '/api/admin/webhook-endpoints', { url: 'https://hooks.example/x' });
    const patched = await h.admin('PATCH', `/api/admin/webhook-endpoints/${body.id}`, { url: 'http://hooks.example/x' });
    assert.equal(patched.body.details.reason, 'scheme');
    assert.equal((await h.admin('GET', '/api/admin/webhook-endpoints')).body.length, 1, 'nothing was stored for the refused ones');
  });
});

describe('webhook deliveries', () => {
  test('signed per Standard Webhooks; only the subscribed types; the answer is recorded', async (t) => {
    const receiver = await startReceiver();
    t.after(() => receiver.close());
    // The real clock: receivers refuse a `webhook-timestamp` far from their own time.
    const h = await startHarness({ testDurationMs: 0, now: () => new Date(), webhooks: { allowLoopback: true, worker: { pollMs: 0 } } });
    t.after(() => h.close());
    const endpoint = await h.admin('POST', '/api/admin/webhook-endpoints', { url: receiver.url, eventTypes: ['connection.created', 'connection.activated'] });
    assert.equal(endpoint.status, 201, endpoint.text);
    const { token, orgId } = await h.organization('Signed');
    const connection = await activeConnection(h, token);
    await h.webhookWorker!.idle();

    assert.equal(receiver.received.length, 2);
    const wh = new Webhook(endpoint.body.secret);
    const bodies = receiver.received.map((r) => wh.verify(r.body, r.headers as Record<string, string>) as any);
    assert.deepEqual(bodies.map((b) => b.type), ['connection.created', 'connection.activated']);
    assert.equal(bodies[1].organizationId, orgId);
    assert.equal(bodies[1].data.connection.id, connection.id);
    assert.equal(receiver.received[0]!.headers['webhook-id'], bodies[0].id);
    assert.equal(receiver.received[0]!.headers['content-type'], 'application/json');
    // Another secret, or a changed body, does not verify.
    assert.throws(() => new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(receiver.received[0]!.body, receiver.received[0]!.headers as Record<string, string>));
    assert.throws(() => wh.verify(receiver.received[0]!.body.replace('connection', 'c0nnection'), receiver.received[0]!.headers as Record<string, string>));

    const deliveries = await h.admin('GET', `/api/admin/webhook-endpoints/${endpoint.body.id}/deliveries`);
    conforms(REST.listWebhookDeliveries, deliveries);
    assert.deepEqual(deliveries.body.map((d: any) => [d.eventType, d.status, d.attempts, d.lastAnswer.status]), [
      ['connection.activated', 'delivered', 1, 204],
      ['connection.created', 'delivered', 1, 204],
    ]);
    assert.ok((await h.admin('GET', `/api/admin/webhook-endpoints/${endpoint.body.id}`)).body.lastSuccessAt);

    const resent = await h.admin('POST', `/api/admin/webhook-deliveries/${deliveries.body[1].id}/resend`);
    conforms(REST.resendWebhookDelivery, resent);
    await h.webhookWorker!.idle();
    assert.equal(receiver.received.length, 3);
    assert.equal(receiver.received[2]!.headers['webhook-id'], bodies[0].id, 'a resend keeps the event id');
    assert.equal((await h.admin('POST', '/api/admin/webhook-deliveries/dlv_nope/resend')).status, 404);
  });

  test('retries on the schedule until the receiver answers 2xx', async (t) => {
    const receiver = await startReceiver((n) => (n <= 3 ? { status: 503, body: 'busy' } : { status: 200, body: 'ok' }));
    t.after(() => receiver.close());
    const h = await startHarness({ testDurationMs: 0, webhooks: { allowLoopback: true, worker: { pollMs: 0 } } });
    t.after(() => h.close());
    const endpoint = await h.admin('POST', '/api/admin/webhook-endpoints', { url: receiver.url, eventTypes: ['organization.created'] });
    await h.admin('POST', '/api/admin/organizations', { name: 'Retry' });
    await h.webhookWorker!.idle();
    assert.equal(receiver.received.length, 1);
    const delivery = async () => (await h.admin('GET', `/api/admin/webhook-endpoints/${endpoint.body.id}/deliveries`)).body[0];
    let d = await delivery();
    assert.deepEqual([d.status, d.attempts, d.lastAnswer.status, d.lastAnswer.excerpt, d.lastAnswer.errorCode], ['pending', 1, 503, 'busy', 'http_status']);
    assert.equal(Date.parse(d.nextAttemptAt) - h.clock.now.getTime(), RETRY_SCHEDULE_MS[0]);

    // Not due yet: nothing is sent.
    h.clock.advance(RETRY_SCHEDULE_MS[0]! - 1);
    assert.equal(await h.webhookWorker!.runOnce(), 0);
    h.clock.advance(1);
    assert.equal(await h.webhookWorker!.runOnce(), 1);
    h.clock.advance(RETRY_SCHEDULE_MS[1]!);
    assert.equal(await h.webhookWorker!.runOnce(), 1);
    h.clock.advance(RETRY_SCHEDULE_MS[2]!);
    assert.equal(await h.webhookWorker!.runOnce(), 1);
    d = await delivery();
    assert.deepEqual([d.status, d.attempts, d.lastAnswer.status, d.nextAttemptAt], ['delivered', 4, 200, null]);
    assert.equal(receiver.received.length, 4);
    assert.equal(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size, 1, 'every attempt carries the same webhook-id');
    h.clock.advance(RETRY_SCHEDULE_MS[3]!);
    assert.equal(await h.webhookWorker!.runOnce(), 0);
  });

  test('directory sync: SCIM changes of an enabled directory reach an endpoint subscribed to directory.* types, signed; nothing while in setup', async (t) => {
    const receiver = await startReceiver();
    t.after(() => receiver.close());
    // The real clock: receivers refuse a `webhook-timestamp` far from their own time.
    const h = await startHarness({ testDurationMs: 0, now: () => new Date(), webhooks: { allowLoopback: true, worker: { pollMs: 0 } } });
    t.after(() => h.close());
    const types = ['directory.enabled', 'directory.user.created', 'directory.user.deactivated', 'directory.group.created'];
    const endpoint = await h.admin('POST', '/api/admin/webhook-endpoints', { url: receiver.url, eventTypes: types });
    assert.equal(endpoint.status, 201, endpoint.text);
    const { token } = await h.organization('Directory Hooks');
    const created = await h.portal(token, 'POST', '/api/portal/directories', { provider: 'okta' });
    const { directory, token: scimToken } = created.body;
    const scim = (method: string, path: string, body: unknown) =>
      h.request(method, `/scim/v2/${directory.id}${path}`, { token: scimToken, body });
    const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
    assert.equal((await scim('POST', '/Users', { schemas: [USER], userName: 'early@acme.example' })).status, 201);
    await h.webhookWorker!.idle();
    assert.equal(receiver.received.length, 0, 'in setup the host is not told');

    assert.equal((await h.portal(token, 'PUT', `/api/portal/directories/${directory.id}/enabled`, { version: directory.version, enabled: true })).status, 200);
    const ada = await scim('POST', '/Users', { schemas: [USER], userName: 'ada@acme.example', emails: [{ value: 'ada@acme.example', primary: true }] });
    assert.equal(ada.status, 201, ada.text);
    const off = await scim('PATCH', `/Users/${(ada.body as { id: string }).id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: false } }] });
    assert.equal(off.status, 200, off.text);
    assert.equal((await scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Engineering' })).status, 201);
    await h.webhookWorker!.idle();

    const wh = new Webhook(endpoint.body.secret);
    const payloads = receiver.received.map((r) => wh.verify(r.body, r.headers as Record<string, string>) as { type: string; data: any });
    assert.deepEqual(payloads.map((p) => p.type).sort(), [...types].sort());
    const user = payloads.find((p) => p.type === 'directory.user.created')!;
    assert.deepEqual([user.data.directoryId, user.data.user.userName, user.data.user.email], [directory.id, 'ada@acme.example', 'ada@acme.example']);
    assert.doesNotMatch(receiver.received.map((r) => r.body).join('\n'), new RegExp(scimToken), 'no SCIM token in a delivery');
  });

  test('a receiver that does not answer in time, or answers too much, is cut off', async (t) => {
    const big = 'x'.repeat(1024 * 1024);
    const receiver = await startReceiver((n) => (n === 1 ? 'hang' : { status: 200, body: big }));
    t.after(() => receiver.close());
    const h = await startHarness({ testDurationMs: 0, webhooks: { allowLoopback: true, worker: { pollMs: 0, timeoutMs: 300 } } });
    t.after(() => h.close());
    const endpoint = await h.admin('POST', '/api/admin/webhook-endpoints', { url: receiver.url });
    await h.admin('POST', '/api/admin/organizations', { name: 'Slow' });
    await h.webhookWorker!.idle();
    const [slow] = (await h.admin('GET', `/api/admin/webhook-endpoints/${endpoint.body.id}/deliveries`)).body;
    assert.deepEqual([slow.status, slow.lastAnswer.status, slow.lastAnswer.errorCode], ['pending', null, 'timeout']);
    h.clock.advance(RETRY_SCHEDULE_MS[0]!);
    await h.webhookWorker!.runOnce();
    const [cut] = (await h.admin('GET', `/api/admin/webhook-endpoints/${endpoint.body.id}/deliveries`)).body;
    assert.equal(cut.status, 'delivered');
    assert.equal(cut.lastAnswer.errorCode, 'answer_cut');
    assert.ok(cut.lastAnswer.excerpt.length <= 300);
  });

  test('410 Gone disables the endpoint at once; later events are not sent to it; resend needs it enabled', async (t) => {
    const receiver = await startReceiver(() => ({ status: 410 }));
    t.after(() => receiver.close());
    const h = await startHarness({ testDurationMs: 0, webhooks: { allowLoopback: true, worker: { pollMs: 0 } } });
    t.after(() => h.close());
    const endpoint = await h.admin('POST', '/api/admin/webhook-endpoints', { url: receiver.url });
    await h.admin('POST', '/api/admin/organizations', { name: 'Gone' });
    await h.webhookWorker!.idle();
    const state = (await h.admin('GET', `/api/admin/webhook-endpoints/${endpoint.body.id}`)).body;
    assert.equal(state.enabled, false);
    assert.match(state.disabledReason, /410/);
    assert.equal(state.disabledAt, h.clock.now.toISOString());
    const [delivery] = (await h.admin('GET', `/api/admin/webhook-endpoints/${endpoint.body.id}/deliveries`)).body;
    assert.equal(delivery.status, 'failed');
    await h.admin('POST', '/api/admin/organizations', { name: 'Gone 2' });
    await h.webhookWorker!.idle();
    assert.equal(receiver.received.length, 1);
    assert.equal((await h.admin('GET', `/api/admin/webhook-endpoints/${endpoint.body.id}/deliveries`)).body.length, 1);
    const resend = await h.admin('POST', `/api/admin/webhook-deliveries/${delivery.id}/resend`);
    assert.equal(resend.status, 409);
    assert.equal(resend.body.details.reason, 'endpoint_disabled');
  });

  test('an endpoint that fails every retry is disabled with the reason', async (t) => {
    const receiver = await startReceiver(() => ({ status: 500, body: 'boom' }));
    t.after(() => receiver.close());
    const h = await startHarness({ testDurationMs: 0, webhooks: { allowLoopback: true, worker: { pollMs: 0 } } });
    t.after(() => h.close());
    const endpoint = await h.admin('POST', '/api/admin/webhook-endpoints', { url: receiver.url });
    await h.admin('POST', '/api/admin/organizations', { name: 'Failing' });
    await h.webhookWorker!.idle();
    for (const wait of RETRY_SCHEDULE_MS) {
      assert.equal((await h.admin('GET', `/api/admin/webhook-endpoints/${endpoint.body.id}`)).body.enabled, true);
      h.clock.advance(wait);
      assert.equal(await h.webhookWorker!.runOnce(), 1);
    }
    assert.equal(receiver.received.length, RETRY_SCHEDULE_MS.length + 1);
    const state = (await h.admin('GET', `/api/admin/webhook-endpoints/${endpoint.body.id}`)).body;
    assert.equal(state.enabled, false);
    assert.match(state.disabledReason, /^Deliveries kept failing: 8 attempts over about 28 hours; the last answer: HTTP 500\.$/);
    const [delivery] = (await h.admin('GET', `/api/admin/webhook-endpoints/${endpoint.body.id}/deliveries`)).body;
    assert.deepEqual([delivery.status, delivery.attempts, delivery.nextAttemptAt], ['failed', 8, null]);
  });

  test('an endpoint on loopback is not contacted where loopback is not allowed', async (t) => {
    const receiver = await startReceiver();
    t.after(() => receiver.close());
    const database = await openTestDatabase();
    t.after(() => database.close());
    const secrets = testSecretBox();
    const lenient = createPortalApp({ database, secrets, adminKey: ADMIN_KEY, publicBaseUrl: 'http://127.0.0.1:1', webhooks: { allowLoopback: true } });
    const created = await lenient.app.request('/api/admin/webhook-endpoints', { method: 'POST', headers: { authorization: `Bearer ${ADMIN_KEY}` }, body: JSON.stringify({ url: receiver.url }) });
    assert.equal(created.status, 201);
    await lenient.app.request('/api/admin/organizations', { method: 'POST', headers: { authorization: `Bearer ${ADMIN_KEY}` }, body: JSON.stringify({ name: 'Strict' }) });
    const strict = startDeliveryWorker({ database, secrets, allowLoopback: false, pollMs: 0 });
    t.after(() => strict.stop());
    assert.equal(await strict.runOnce(), 1);
    assert.equal(receiver.received.length, 0);
    const [delivery] = await lenient.webhookStore.deliveries(((await created.json()) as { id: string }).id, 10);
    assert.equal(delivery!.lastAnswer!.errorCode, 'refused');
    assert.equal(delivery!.lastAnswer!.error, 'The webhook URL must start with https://, not http://.');
  });

  test('events recorded before a restart are delivered after it', async (t) => {
    const receiver = await startReceiver();
    t.after(() => receiver.close());
    const dir = await mkdtemp(join(tmpdir(), 'sso-portal-webhooks-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const secrets = testSecretBox();
    let database: Database = await openDatabase({ kind: 'pglite', dataDir: dir });
    // The first instance records events but sends nothing (it stops before its worker runs).
    const first = await startHarness({ database, secrets, now: () => new Date(), webhooks: { allowLoopback: true } });
    const endpoint = await first.admin('POST', '/api/admin/webhook-endpoints', { url: receiver.url });
    const { orgId } = await first.organization('Restarted');
    await first.close();
    await database.close();
    assert.equal(receiver.received.length, 0);

    database = await openDatabase({ kind: 'pglite', dataDir: dir });
    t.after(() => database.close());
    const second = await startHarness({ database, secrets, now: () => new Date(), webhooks: { allowLoopback: true, worker: { pollMs: 0 } } });
    t.after(() => second.close());
    assert.equal(await second.webhookWorker!.runOnce(), 2);
    const wh = new Webhook(endpoint.body.secret);
    const types = receiver.received.map((r) => (wh.verify(r.body, r.headers as Record<string, string>) as any).type);
    assert.deepEqual(types.sort(), ['organization.created', 'portal_link.created']);
    assert.equal((await second.admin('GET', `/api/admin/events?organizationId=${orgId}`)).body.data.length, 2);
  });
});

describe('webhook deliveries with two instances on one PostgreSQL', POSTGRES_ONLY, () => {
  test('each delivery is sent once, whichever instance takes it', async (t) => {
    const receiver = await startReceiver();
    t.after(() => receiver.close());
    const url = await createPostgresDatabase();
    const databases = [await openDatabase({ kind: 'postgres', url, maxConnections: 4 }), await openDatabase({ kind: 'postgres', url, maxConnections: 4 })];
    t.after(() => Promise.all(databases.map((d) => d.close())));
    const secrets = testSecretBox();
    const apps = databases.map((database) => createPortalApp({ database, secrets, adminKey: ADMIN_KEY, publicBaseUrl: 'http://127.0.0.1:1', webhooks: { allowLoopback: true } }));
    const call = (i: number, path: string, body: unknown) =>
      apps[i]!.app.request(path, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const verifiers: Webhook[] = [];
    for (const i of [0, 1]) {
      const created = await call(i, '/api/admin/webhook-endpoints', { url: receiver.url });
      assert.equal(created.status, 201);
      verifiers.push(new Webhook(((await created.json()) as { secret: string }).secret));
    }
    for (let i = 0; i < 10; i++) assert.equal((await call(i % 2, '/api/admin/organizations', { name: `Org ${i}` })).status, 201);

    // Small batches, so that the two workers interleave.
    const workers = databases.map((database) => startDeliveryWorker({ database, secrets, allowLoopback: true, pollMs: 0, batchSize: 2 }));
    t.after(() => Promise.all(workers.map((w) => w.stop())));
    const counts = await Promise.all(workers.map((w) => w.runOnce()));
    assert.equal(counts[0]! + counts[1]!, 20, `sent by each: ${counts.join(', ')}`);
    // Each (event, endpoint) once: the endpoint is the one whose secret verifies the message.
    const sent = receiver.received.map((r) => {
      const endpoint = verifiers.findIndex((wh) => {
        try {
          wh.verify(r.body, r.headers as Record<string, string>);
          return true;
        } catch {
          return false;
        }
      });
      assert.notEqual(endpoint, -1);
      return `${String(r.headers['webhook-id'])} ${endpoint}`;
    });
    assert.equal(sent.length, 20);
    assert.equal(new Set(sent).size, 20, 'no delivery was sent twice');
    assert.equal(await workers[0]!.runOnce(), 0);
    assert.equal(await workers[1]!.runOnce(), 0);
  });
});
