/// <reference types="node" />
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createSigningKey } from '../support/saml-test-idp.js';
import { ADMIN_KEY, startHarness, type Harness } from './helpers.js';
import { runCli } from '../support/server-entry.js';


describe('portal CLI', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  const cli = (args: string[], key = ADMIN_KEY) => runCli(args, { ...process.env, SSO_PORTAL_URL: h.origin, SSO_PORTAL_ADMIN_KEY: key });

  test('org create/list, link create/list/revoke, domain verify', async () => {
    const org = await cli(['org', 'create', 'Megacorp', 'Inc']);
    assert.equal(org.code, 0, org.stderr);
    const created = JSON.parse(org.stdout);
    assert.equal(created.name, 'Megacorp Inc');
    assert.ok(JSON.parse((await cli(['org', 'list'])).stdout).some((o: { id: string }) => o.id === created.id));

    const link = JSON.parse((await cli(['link', 'create', created.id, '--hours', '2'])).stdout);
    assert.match(link.url, /\/portal\//);
    assert.equal(link.expiresAt, new Date(h.clock.now.getTime() + 2 * 3_600_000).toISOString());
    assert.equal((await h.portal(link.token, 'GET', '/api/portal/session')).status, 200);
    assert.equal(JSON.parse((await cli(['link', 'list', created.id])).stdout).length, 1);
    assert.equal((await cli(['link', 'revoke', link.id])).code, 0);
    assert.equal((await h.portal(link.token, 'GET', '/api/portal/session')).status, 401);

    const domain = JSON.parse((await cli(['domain', 'verify', created.id, 'megacorp.example'])).stdout);
    assert.deepEqual([domain.name, domain.status, domain.method], ['megacorp.example', 'verified', 'manual']);
  });

  test('encryption-key show, rollover, finish: the next key is published beside the current one, then replaces it', async () => {
    const { orgId, token } = await h.organization('Rollover Inc');
    const saml = { idpEntityId: 'https://idp.example/entity', ssoUrl: 'https://idp.example/sso', ssoBinding: 'post', signingCertificates: [(await createSigningKey()).certPem] };
    const created = await h.portal(token, 'POST', '/api/portal/connections', { protocol: 'saml', providerId: 'adfs', saml, attributeMapping: { email: 'email' } });
    assert.equal(created.status, 201, created.text);
    const { id, serviceProvider } = created.body as { id: string; serviceProvider: { metadataUrl: string } };
    const published = async () => [...(await h.request('GET', new URL(serviceProvider.metadataUrl).pathname)).text.matchAll(/use="encryption">\s*<ds:KeyInfo[^>]*>\s*<ds:X509Data>\s*<ds:X509Certificate>([^<]+)/g)].map((m) => new X509Certificate(Buffer.from(m[1]!, 'base64')).fingerprint256);
    const run = async (action: string) => {
      const answer = await cli(['encryption-key', action, orgId, id]);
      assert.equal(answer.code, 0, answer.stderr);
      assert.doesNotMatch(answer.stdout, /PRIVATE KEY/);
      return JSON.parse(answer.stdout) as { current: { fingerprint: string; notAfter: string }; next: { fingerprint: string } | null };
    };
    const shown = await run('show');
    assert.equal(shown.next, null);
    assert.ok(Date.parse(shown.current.notAfter) > h.clock.now.getTime());
    assert.deepEqual(await published(), [shown.current.fingerprint]);
    const started = await run('rollover');
    assert.equal(started.current.fingerprint, shown.current.fingerprint);
    assert.notEqual(started.next!.fingerprint, shown.current.fingerprint);
    assert.deepEqual(await published(), [shown.current.fingerprint, started.next!.fingerprint]);
    // Starting again is harmless: the same next key.
    assert.equal((await run('rollover')).next!.fingerprint, started.next!.fingerprint);
    const finished = await run('finish');
    assert.deepEqual([finished.current.fingerprint, finished.next], [started.next!.fingerprint, null]);
    assert.deepEqual(await published(), [started.next!.fingerprint]);
    // Nothing to finish now: a conflict, said plainly.
    const again = await cli(['encryption-key', 'finish', orgId, id]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /409 conflict: No encryption key rollover is in progress/);
    // OIDC connections have no encryption keys; a missing connection is not found.
    const oidc = await h.portal(token, 'POST', '/api/portal/connections', { protocol: 'oidc', providerId: 'okta', attributeMapping: { email: 'email' } });
    assert.match((await cli(['encryption-key', 'show', orgId, (oidc.body as { id: string }).id])).stderr, /422 validation_failed: Encryption keys belong to SAML connections/);
    assert.match((await cli(['encryption-key', 'show', orgId, 'conn_nope'])).stderr, /404 not_found/);
    assert.equal((await cli(['encryption-key', 'show', orgId])).code, 2);
  });

  test('webhook create/list/deliveries/resend/disable/enable/delete, events, sso', async () => {
    const json = async (args: string[]) => {
      const answer = await cli(args);
      assert.equal(answer.code, 0, answer.stderr);
      return JSON.parse(answer.stdout);
    };
    const endpoint = await json(['webhook', 'create', 'https://hooks.example/cli', '--events', 'organization.created,portal_link.created', '--description', 'CLI hooks']);
    assert.match(endpoint.secret, /^whsec_/);
    assert.deepEqual([endpoint.eventTypes, endpoint.description], [['organization.created', 'portal_link.created'], 'CLI hooks']);
    const listed = await cli(['webhook', 'list']);
    assert.ok(JSON.parse(listed.stdout).some((e: { id: string }) => e.id === endpoint.id));
    assert.doesNotMatch(listed.stdout, /whsec_/);

    const org = await json(['org', 'create', 'Hooked']);
    const deliveries = await json(['webhook', 'deliveries', endpoint.id]);
    assert.deepEqual(deliveries.map((d: { eventType: string; status: string }) => [d.eventType, d.status]), [['organization.created', 'pending']]);
    assert.equal((await json(['webhook', 'resend', deliveries[0].id])).status, 'pending');
    assert.equal((await json(['webhook', 'disable', endpoint.id])).enabled, false);
    assert.equal((await json(['webhook', 'enable', endpoint.id])).enabled, true);

    const events = await json(['events', '--org', org.id, '--type', 'organization.created', '--limit', '5']);
    assert.deepEqual(events.data.map((e: { type: string }) => e.type), ['organization.created']);
    assert.equal(events.data[0].actor.kind, 'admin_key');
    const state = await json(['sso', org.id]);
    assert.deepEqual([state.organization.id, state.status, state.recentEvents.length], [org.id, 'none', 1]);

    assert.deepEqual(await json(['webhook', 'delete', endpoint.id]), { deleted: endpoint.id });
    const refused = await cli(['webhook', 'create', 'http://hooks.example/x']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /422 validation_failed: Webhook endpoint is not valid: url: must start with https:\/\//);
    assert.equal((await cli(['webhook', 'create'])).code, 2);
    assert.equal((await cli(['events', 'extra'])).code, 2);
    assert.equal((await cli(['sso'])).code, 2);
  });

  test('errors: usage (exit 2), API problems and a wrong key (exit 1)', async () => {
    const usage = await cli(['org', 'frobnicate']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /Usage: npm run portal/);
    const missing = await cli(['link', 'create', 'org_nope']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /404 not_found/);
    const denied = await cli(['org', 'list'], 'wrong');
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /401/);
  });
});
