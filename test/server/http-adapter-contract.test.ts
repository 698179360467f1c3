/// <reference types="node" />
/**
 * The contract from both ends: the element's HttpAdapter against the real server, so a
 * drift between docs/rest-api.md's two implementations shows up here.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { HttpAdapter } from '../../src/adapters/http-adapter.js';
import { isPortalError, type PortalErrorCode } from '../../src/core/errors.js';
import { REST_ROUTES, type RestRoute } from '../../src/core/rest-contract.js';
import { startHarness, type Harness } from './helpers.js';

const OKTA_METADATA = readFileSync(new URL('../fixtures/idp-corpus/saml-metadata/ssoready-ssoready__okta__metadata.xml', import.meta.url), 'utf8');

async function rejectsWith(promise: Promise<unknown>, code: PortalErrorCode): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isPortalError(error), String(error));
    assert.equal(error.code, code, error.message);
    return true;
  });
}

describe('HttpAdapter against the server', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ testDurationMs: 0 });
  });
  after(() => h.close());

  /** Every request the adapters made, as the contract route it matched (or why it matched none). */
  const calls: { method: string; path: string; route?: RestRoute }[] = [];
  const routeOf = (method: string, path: string): RestRoute | undefined =>
    REST_ROUTES.find((r) => r.method === method && new RegExp(`^${r.path.replace(/:(\w+)/g, '[^/]+')}$`).test(path));
  const recordingFetch: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? 'GET';
    calls.push({ method, path: url.pathname, route: routeOf(method, url.pathname) });
    return fetch(input, init);
  };
  const adapterFor = (token: string) => new HttpAdapter({ baseUrl: h.origin, token, retries: 0, fetch: recordingFetch });

  test('the whole setup: session, connection, conflict, test, activation, domains', async () => {
    const { orgId, token } = await h.organization('Megacorp');
    const adapter = adapterFor(token);
    const session = await adapter.getSession();
    assert.equal(session.organization.id, orgId);

    const created = await adapter.createConnection({
      protocol: 'oidc',
      providerId: 'okta',
      oidc: { issuer: 'https://megacorp.okta.example', clientId: 'client-1', clientSecret: 'shh' },
    });
    assert.equal(created.oidc?.clientSecretSet, true);
    const renamed = await adapter.updateConnection(created.id, { name: 'Okta' }, { version: created.version });
    await rejectsWith(adapter.updateConnection(created.id, { name: 'Stale' }, { version: created.version }), 'conflict');
    await rejectsWith(adapter.setConnectionEnabled(created.id, true, { version: renamed.version }), 'test_required');
    await rejectsWith(adapter.createConnection({ protocol: 'oidc', providerId: 'okta', oidc: { issuer: 'nope', clientId: 'x' } }), 'validation_failed');

    const { testId } = await adapter.startTest(created.id, { mode: 'sp' });
    const result = await adapter.getTestResult(testId);
    assert.equal(result.status, 'success');
    assert.deepEqual((await adapter.listTestResults(created.id)).map((t) => t.id), [testId]);
    const current = await adapter.getConnection(created.id);
    // Staged activation and the routing preview (their routes load with their first call).
    await rejectsWith(adapter.stageConnection(created.id, ['ada@megacorp.example'], { version: current.version }), 'validation_failed');
    assert.equal((await adapter.previewRouting('ada@megacorp.example')).reasons[0]?.code, 'not_verified_here');
    const active = await adapter.setConnectionEnabled(created.id, true, { version: current.version });
    assert.equal(active.status, 'active');

    const domain = await adapter.addDomain('megacorp.example');
    assert.equal(domain.status, 'pending');
    assert.equal((await adapter.verifyDomain('megacorp.example')).status, 'verified');
    assert.equal((await adapter.listDomains()).length, 1);
    await adapter.removeDomain('megacorp.example');
    await rejectsWith(adapter.fetchMetadata('https://idp.example/metadata'), 'metadata_fetch_failed');
    // Read on the server: the reader's result (its answer schema checked by the adapter), refusals included.
    const read = await adapter.readSamlMetadata({ xml: OKTA_METADATA });
    assert.ok(read.ok);
    assert.equal(read.metadata.signingCertificates.length, 1);
    const refused = await adapter.readSamlMetadata({ xml: '<html><body>Sign in</body></html>' });
    assert.ok(!refused.ok);
    assert.equal(refused.error.code, 'metadata_not_xml');
    await rejectsWith(adapter.readSamlMetadata({ url: 'https://idp.example/metadata' }), 'metadata_fetch_failed');
    await rejectsWith(adapter.fetchOidcDiscovery('https://idp.example'), 'oidc_discovery_failed');

    await adapter.deleteConnection(created.id);
    await rejectsWith(adapter.getConnection(created.id), 'not_found');
    assert.deepEqual(await adapter.listConnections(), []);
  });

  test('a metadata change waiting for review: approved, dismissed, or none (metadata_change_not_pending)', async () => {
    const { orgId, token } = await h.organization('Reviewing');
    const adapter = adapterFor(token);
    const read = await adapter.readSamlMetadata({ xml: OKTA_METADATA });
    assert.ok(read.ok);
    const created = await adapter.createConnection({
      protocol: 'saml',
      providerId: 'okta',
      saml: {
        idpEntityId: read.metadata.entityId,
        ssoUrl: read.metadata.ssoServices[0]!.location,
        ssoBinding: 'post',
        signingCertificates: [read.metadata.signingCertificates[0]!.pem],
        metadataRefreshMode: 'review',
      },
    });
    const none = (error: unknown) => isPortalError(error) && error.code === 'conflict' && error.details?.reason === 'metadata_change_not_pending';
    await assert.rejects(adapter.approveMetadataChange(created.id, { version: created.version }), none);
    await assert.rejects(adapter.dismissMetadataChange(created.id), none);
    // As a refresh in review mode records it (metadata-refresh.ts).
    const changes = [{ field: 'ssoUrl' as const, from: created.saml!.ssoUrl, to: 'https://megacorp.okta.example/sso2' }];
    const seed = () =>
      h.store.putSetting(
        `metadata-refresh:${orgId}`,
        JSON.stringify({ [created.id]: { checkedAt: '2026-03-01T10:00:00.000Z', status: 'pending', pending: { foundAt: '2026-03-01T10:00:00.000Z', changes, saml: { ...created.saml, ssoUrl: 'https://megacorp.okta.example/sso2' } } } }),
      );
    await seed();
    const listed = (await adapter.listConnections()).find((c) => c.id === created.id);
    assert.equal(listed?.metadataRefresh?.pending?.saml.ssoUrl, 'https://megacorp.okta.example/sso2');
    const dismissed = await adapter.dismissMetadataChange(created.id);
    assert.equal(dismissed.metadataRefresh?.status, 'dismissed');
    assert.ok(dismissed.metadataRefresh?.pending?.dismissedAt);
    await seed();
    await rejectsWith(adapter.approveMetadataChange(created.id, { version: created.version + 1 }), 'conflict');
    const approved = await adapter.approveMetadataChange(created.id, { version: created.version });
    assert.equal(approved.saml?.ssoUrl, 'https://megacorp.okta.example/sso2');
    assert.equal(approved.metadataRefresh?.status, 'updated');
    assert.deepEqual(approved.metadataRefresh?.changes, changes);
  });

  test('directory sync: create (token once), regenerate, enable, disable, requests, conflict, delete', async () => {
    const { token } = await h.organization('Directories');
    const adapter = adapterFor(token);
    assert.deepEqual(await adapter.listDirectories(), []);
    const created = await adapter.createDirectory({ provider: 'okta', name: 'Okta (employees)' });
    assert.equal(created.directory.status, 'setup');
    assert.ok(created.token.length >= 20);
    assert.ok(!JSON.stringify(await adapter.getDirectory(created.directory.id)).includes(created.token), 'the token is in the creation answer only');
    const regenerated = await adapter.regenerateDirectoryToken(created.directory.id, { version: created.directory.version });
    assert.notEqual(regenerated.token, created.token);
    await rejectsWith(adapter.regenerateDirectoryToken(created.directory.id, { version: created.directory.version }), 'conflict');
    const enabled = await adapter.setDirectoryEnabled(created.directory.id, true, { version: regenerated.directory.version });
    assert.equal(enabled.status, 'enabled');
    const disabled = await adapter.setDirectoryEnabled(created.directory.id, false, { version: enabled.version });
    assert.equal(disabled.status, 'disabled');
    assert.ok(Array.isArray(await adapter.listDirectoryRequests(created.directory.id)));
    assert.deepEqual((await adapter.listDirectories()).map((d) => d.id), [created.directory.id]);
    await adapter.deleteDirectory(created.directory.id);
    await rejectsWith(adapter.getDirectory(created.directory.id), 'not_found');
  });

  test('test links: listed, made (not_available without real logins: test-links.test.ts runs them), withdrawn (not_found for an unknown one)', async () => {
    const { token } = await h.organization('Test links');
    const adapter = adapterFor(token);
    const connection = await adapter.createConnection({ protocol: 'oidc', providerId: 'okta', oidc: { issuer: 'https://megacorp.okta.example', clientId: 'client-1', clientSecret: 'secret-1' } });
    assert.deepEqual(await adapter.listTestLinks(connection.id), []);
    await rejectsWith(adapter.createTestLink(connection.id, { label: 'Ada' }), 'not_available');
    await rejectsWith(adapter.createTestLink(connection.id, { label: '' }), 'validation_failed');
    await rejectsWith(adapter.revokeTestLink('tl_unknown'), 'not_found');
  });

  test('login traces: a connection’s attempts, as the server stored them; another organization’s connection is not_found', async () => {
    const { token, orgId } = await h.organization('Traced');
    const adapter = adapterFor(token);
    const connection = await adapter.createConnection({ protocol: 'oidc', providerId: 'okta', attributeMapping: { email: 'email' } });
    assert.deepEqual(await adapter.listLoginAttempts(connection.id), []);
    const base = { connectionId: connection.id, protocol: 'oidc' as const, purpose: 'test' as const, outcome: 'failure' as const, steps: [{ check: 'token' as const, status: 'failed' as const }] };
    await h.store.loginAttempts.record(orgId, { ...base, at: '2026-12-01T10:00:00Z', error: { code: 'oidc_invalid_client', message: 'Refused.', remedy: 'Copy the secret again.' } });
    const [attempt] = await adapter.listLoginAttempts(connection.id);
    assert.deepEqual([attempt!.error?.code, attempt!.steps], ['oidc_invalid_client', base.steps]);
    const { token: other } = await h.organization('Elsewhere');
    await rejectsWith(adapterFor(other).listLoginAttempts(connection.id), 'not_found');
  });

  test('a revoked link reaches the adapter as session_expired', async () => {
    const { linkId, token } = await h.organization('Revoked');
    const adapter = adapterFor(token);
    await adapter.getSession();
    await h.admin('DELETE', `/api/admin/links/${linkId}`);
    await rejectsWith(adapter.listConnections(), 'session_expired');
  });

  test('every request of the adapter is a portal route of the contract, and it calls every one of them', () => {
    assert.ok(calls.length > 0);
    for (const call of calls) assert.equal(call.route?.auth, 'portal', `${call.method} ${call.path} is no portal route of the contract`);
    const called = new Set(calls.map((c) => c.route?.id));
    const portalRoutes = REST_ROUTES.filter((r) => r.auth === 'portal').map((r) => r.id);
    assert.deepEqual(portalRoutes.filter((id) => !called.has(id)), [], 'portal routes the adapter never calls');
  });
});
