/// <reference types="node" />
/** The periodic IdP metadata refresh, against a local 127.0.0.1 server whose metadata changes between runs. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ConnectionSchema, parseOrThrow } from '../../src/core/model.js';
import { parseSamlMetadata } from '../../src/core/saml-metadata.js';
import { createPortalApp, type PortalApp } from '../../src/server/app.js';
import type { Database } from '../../src/server/db/database.js';
import {
  DEFAULT_METADATA_REFRESH_MS,
  metadataRefreshIntervalFromEnv,
  readRefreshRecords,
  startMetadataRefresh,
  type RefreshSummary,
} from '../../src/server/metadata-refresh.js';
import { createSafeFetcher } from '../../src/server/safe-fetch.js';
import { createSigningKey, idpMetadataXml, type TestIdpKey } from '../support/saml-test-idp.js';
import { openTestDatabase } from '../support/test-database.js';
import { ADMIN_KEY, OIDC_INPUT, testSecretBox } from './helpers.js';

const corpus = (name: string) => readFileSync(new URL(`../fixtures/idp-corpus/saml-metadata/${name}`, import.meta.url), 'utf8');
const OKTA = corpus('ssoready-ssoready__okta__metadata.xml');
const GOOGLE = corpus('ssoready-ssoready__google__metadata.xml');
const certificateOf = (xml: string) => /<ds:X509Certificate>([\s\S]*?)<\/ds:X509Certificate>/.exec(xml)?.[1] ?? '';
/** Okta's metadata after a (simulated) rotation: Google's certificate in place of Okta's. */
const OKTA_ROTATED = OKTA.replace(certificateOf(OKTA), certificateOf(GOOGLE));

describe('metadata refresh', () => {
  let served: { status: number; type: string; body: string } = { status: 200, type: 'application/samlmetadata+xml', body: OKTA };
  let hits = 0;
  let server: http.Server;
  let metadataUrl = '';
  const clock = { now: new Date('2026-11-29T12:00:00.000Z') };
  let database: Database;
  let portal: PortalApp;
  const { fetchDocument } = createSafeFetcher({ devMode: true, timeoutMs: 5000 });
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const response = await portal.app.request(path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  let token = '';
  let orgId = '';
  let connectionId = '';
  let oktaPem = '';
  let googlePem = '';
  let googleNotAfter = '';
  let rotation: unknown[] = [];

  before(async () => {
    database = await openTestDatabase();
    portal = createPortalApp({ database, secrets: testSecretBox(), adminKey: ADMIN_KEY, publicBaseUrl: 'http://127.0.0.1:1', now: () => clock.now, rateLimits: false });
    server = http.createServer((_req, res) => {
      hits++;
      res.writeHead(served.status, { 'content-type': served.type });
      res.end(served.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    metadataUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/app/metadata`;

    const okta = await parseSamlMetadata(OKTA, { now: clock.now });
    const google = await parseSamlMetadata(GOOGLE, { now: clock.now });
    assert.ok(okta.ok && google.ok);
    oktaPem = okta.metadata.signingCertificates[0]!.pem;
    googlePem = google.metadata.signingCertificates[0]!.pem;
    googleNotAfter = google.metadata.signingCertificates[0]!.notAfter;
    assert.notEqual(oktaPem, googlePem);
    rotation = [{ field: 'signingCertificates', added: [google.metadata.signingCertificates[0]!.fingerprintSha256], removed: [okta.metadata.signingCertificates[0]!.fingerprintSha256] }];

    orgId = (await call('POST', '/api/admin/organizations', ADMIN_KEY, { name: 'Rotating' })).body.id;
    token = (await call('POST', `/api/admin/organizations/${orgId}/links`, ADMIN_KEY, {})).body.token;
    const created = await call('POST', '/api/portal/connections', token, {
      protocol: 'saml',
      providerId: 'okta',
      saml: {
        idpEntityId: okta.metadata.entityId,
        ssoUrl: okta.metadata.ssoServices[0]!.location,
        ssoBinding: 'redirect',
        // As an admin might have pasted it: bare base64 with other line breaks.
        signingCertificates: [oktaPem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '')],
        metadataUrl,
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    connectionId = created.body.id;
    // Connections without a metadata URL are left alone.
    assert.equal((await call('POST', '/api/portal/connections', token, OIDC_INPUT)).status, 201);
    assert.equal(
      (
        await call('POST', '/api/portal/connections', token, {
          protocol: 'saml',
          providerId: 'okta',
          saml: { idpEntityId: 'urn:manual', ssoUrl: 'https://idp.example/sso', ssoBinding: 'post', signingCertificates: [googlePem] },
        })
      ).status,
      201,
    );
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await database.close();
  });

  const refresher = () => startMetadataRefresh({ services: portal.services, fetchDocument, intervalMs: 0, now: () => clock.now });

  test('unchanged metadata: nothing written but the record', async () => {
    const before = (await call('GET', `/api/portal/connections/${connectionId}`, token)).body;
    const summary = await refresher().runOnce();
    assert.equal(hits, 1, 'only the connection with a metadata URL is fetched');
    assert.deepEqual([summary.checked, summary.unchanged, summary.updated, summary.failed], [1, 1, 0, 0]);
    const after = (await call('GET', `/api/portal/connections/${connectionId}`, token)).body;
    assert.equal(after.version, before.version);
    assert.deepEqual(after.saml, before.saml);
    assert.deepEqual(after.metadataRefresh, { checkedAt: clock.now.toISOString(), status: 'unchanged' });
  });

  test('rotated certificates: the connection is updated (certificates, expiry, version) and the change recorded', async () => {
    served = { status: 200, type: 'application/xml', body: OKTA_ROTATED };
    clock.now = new Date('2026-11-29T18:00:00.000Z');
    const before = (await call('GET', `/api/portal/connections/${connectionId}`, token)).body;
    const summary = await refresher().runOnce();
    assert.deepEqual([summary.checked, summary.updated], [1, 1]);
    assert.deepEqual(summary.results[0], {
      organizationId: orgId,
      connectionId,
      status: 'updated',
      note: 'Signing certificates changed in the IdP metadata: 1 added, 1 removed.',
      changes: rotation,
      version: before.version + 1,
    });
    const after = (await call('GET', `/api/portal/connections/${connectionId}`, token)).body;
    assert.equal(after.version, before.version + 1);
    assert.deepEqual(after.saml.signingCertificates, [googlePem]);
    assert.equal(after.saml.metadataUrl, metadataUrl);
    assert.equal(after.saml.idpEntityId, before.saml.idpEntityId);
    assert.equal(after.certificateExpiresAt, googleNotAfter);
    assert.notEqual(after.certificateExpiresAt, before.certificateExpiresAt);
    assert.deepEqual(after.metadataRefresh, {
      checkedAt: '2026-11-29T18:00:00.000Z',
      status: 'updated',
      changedAt: '2026-11-29T18:00:00.000Z',
      note: 'Signing certificates changed in the IdP metadata: 1 added, 1 removed.',
      changes: rotation,
    });
    // Stored: the store holds the new certificates and the record.
    assert.deepEqual((await portal.store.getOrganizationData(orgId)).connections.find((c) => c.id === connectionId)?.saml?.signingCertificates, [googlePem]);
    assert.equal((await readRefreshRecords(portal.store, orgId))[connectionId]?.status, 'updated');
    // The list shows the record too.
    const listed = (await call('GET', '/api/portal/connections', token)).body.find((c: { id: string }) => c.id === connectionId);
    assert.equal(listed.metadataRefresh.status, 'updated');

    // The next run finds nothing new, and keeps when it last changed.
    clock.now = new Date('2026-11-30T00:00:00.000Z');
    const again = await refresher().runOnce();
    assert.equal(again.unchanged, 1);
    assert.deepEqual((await call('GET', `/api/portal/connections/${connectionId}`, token)).body.metadataRefresh, {
      checkedAt: '2026-11-30T00:00:00.000Z',
      status: 'unchanged',
      changedAt: '2026-11-29T18:00:00.000Z',
      note: 'Signing certificates changed in the IdP metadata: 1 added, 1 removed.',
      changes: rotation,
    });
  });

  test('failures are recorded, not thrown, and change nothing', async () => {
    const before = (await call('GET', `/api/portal/connections/${connectionId}`, token)).body;
    const cases: [typeof served, string][] = [
      [{ status: 500, type: 'text/plain', body: 'oops' }, 'metadata_fetch_failed'],
      [{ status: 200, type: 'text/html', body: '<!doctype html><html><body>Sign in</body></html>' }, 'metadata_fetch_failed'],
      [{ status: 200, type: 'application/xml', body: '<md:EntityDescriptor' }, 'metadata_malformed'],
      // Hostile metadata is refused by the XML limits before any DOM is built.
      [{ status: 200, type: 'application/xml', body: `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</md:EntityDescriptor>` }, 'metadata_not_saml'],
      [{ status: 200, type: 'application/xml', body: `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">${'<a/>'.repeat(300_000)}</md:EntityDescriptor>` }, 'metadata_too_large'],
      // Another IdP's metadata at the same URL: refused (the entity ID no longer matches).
      [{ status: 200, type: 'application/xml', body: GOOGLE }, 'metadata_entity_not_found'],
    ];
    for (const [response, code] of cases) {
      served = response;
      const summary = await refresher().runOnce();
      assert.equal(summary.failed, 1, code);
      assert.equal(summary.results[0]?.errorCode, code, JSON.stringify(summary.results[0]));
      const now = (await call('GET', `/api/portal/connections/${connectionId}`, token)).body;
      assert.equal(now.version, before.version);
      assert.deepEqual(now.saml, before.saml);
      assert.equal(now.metadataRefresh.status, 'failed');
      assert.equal(now.metadataRefresh.errorCode, code);
      assert.ok(now.metadataRefresh.error.length > 0);
      assert.equal(now.metadataRefresh.changedAt, '2026-11-29T18:00:00.000Z', 'the last change is kept');
    }
  });

  test('an address the SSRF guard refuses is a recorded failure', async () => {
    const guarded = createSafeFetcher({ devMode: false });
    const summary = await startMetadataRefresh({ services: portal.services, fetchDocument: guarded.fetchDocument, intervalMs: 0, now: () => clock.now }).runOnce();
    assert.equal(summary.results[0]?.errorCode, 'metadata_url_refused');
  });

  test('an admin edit between read and write wins: the refresh gets a conflict and retries next time', async () => {
    served = { status: 200, type: 'application/xml', body: OKTA };
    let edited = false;
    const racing = startMetadataRefresh({
      services: portal.services,
      intervalMs: 0,
      now: () => clock.now,
      fetchDocument: async (url, kind, signal) => {
        const text = await fetchDocument(url, kind, signal);
        if (!edited) {
          edited = true;
          const current = (await call('GET', `/api/portal/connections/${connectionId}`, token)).body;
          assert.equal((await call('PATCH', `/api/portal/connections/${connectionId}`, token, { version: current.version, changes: { name: 'Edited meanwhile' } })).status, 200);
        }
        return text;
      },
    });
    const first = await racing.runOnce();
    assert.equal(first.results[0]?.errorCode, 'conflict');
    const kept = (await call('GET', `/api/portal/connections/${connectionId}`, token)).body;
    assert.equal(kept.name, 'Edited meanwhile');
    assert.deepEqual(kept.saml.signingCertificates, [googlePem]);
    const second = await racing.runOnce();
    assert.equal(second.updated, 1);
    const done = (await call('GET', `/api/portal/connections/${connectionId}`, token)).body;
    assert.equal(done.name, 'Edited meanwhile');
    assert.deepEqual(done.saml.signingCertificates, [oktaPem]);
  });

  test('runOnce during a run joins it; each tick of the timer runs a pass, a tick during a pass is skipped, none after stop()', async () => {
    const r = refresher();
    const [a, b] = [r.runOnce(), r.runOnce()];
    assert.equal(a, b);
    await a;

    // The timer's ticks are ours to give.
    let tick: (() => void) | undefined;
    let cancelled = false;
    const timer = {
      start(fn: () => void, ms: number) {
        assert.equal(ms, 30);
        tick = fn;
        return () => void (cancelled = true);
      },
    };
    const runs: RefreshSummary[] = [];
    let reported: () => void = () => {};
    const timed = startMetadataRefresh({
      services: portal.services,
      fetchDocument,
      intervalMs: 30,
      now: () => clock.now,
      timer,
      onRun: (s) => {
        runs.push(s);
        reported();
      },
    });
    assert.ok(tick, 'the timer was started');
    const nextReport = () => new Promise<void>((resolve) => (reported = resolve));

    const hitsBefore = hits;
    let report = nextReport();
    tick();
    tick(); // during the pass: skipped, not a second pass nor a second report
    await report;
    assert.equal(runs.length, 1);
    assert.equal(hits, hitsBefore + 1, 'one fetch for one pass');

    report = nextReport();
    tick();
    await report;
    assert.equal(runs.length, 2);

    tick();
    const last = timed.runOnce(); // the pass that tick started, joined
    timed.stop();
    assert.ok(cancelled, 'stop() cancels the timer');
    await last.catch(() => undefined);
    tick();
    assert.equal(runs.length, 2, 'a pass that ends after stop() reports nothing, and no tick after stop() runs one');
  });

  test('records of deleted connections are dropped', async () => {
    assert.ok((await readRefreshRecords(portal.store, orgId))[connectionId]);
    assert.equal((await call('DELETE', `/api/portal/connections/${connectionId}`, token)).status, 204);
    const summary = await refresher().runOnce();
    assert.equal(summary.checked, 0);
    assert.deepEqual(await readRefreshRecords(portal.store, orgId), {});
  });

  test('SSO_PORTAL_METADATA_REFRESH_MS', () => {
    assert.equal(metadataRefreshIntervalFromEnv(undefined), DEFAULT_METADATA_REFRESH_MS);
    assert.equal(metadataRefreshIntervalFromEnv(''), DEFAULT_METADATA_REFRESH_MS);
    assert.equal(metadataRefreshIntervalFromEnv('0'), 0);
    assert.equal(metadataRefreshIntervalFromEnv('900000'), 900_000);
    for (const bad of ['-1', 'soon', '500']) assert.throws(() => metadataRefreshIntervalFromEnv(bad), /SSO_PORTAL_METADATA_REFRESH_MS/);
  });
});

describe('metadata refresh: endpoints, and review before applying', () => {
  const IDP = 'https://idp.rolling.example/metadata';
  const SSO = 'https://idp.rolling.example/sso';
  let served = '';
  let server: http.Server;
  let metadataUrl = '';
  const clock = { now: new Date('2026-11-29T12:00:00.000Z') };
  let database: Database;
  let portal: PortalApp;
  const { fetchDocument } = createSafeFetcher({ devMode: true, timeoutMs: 5000 });
  let token = '';
  let orgId = '';
  let a: TestIdpKey;
  let b: TestIdpKey;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await portal.app.request(path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const get = async (id: string) => (await call('GET', `/api/portal/connections/${id}`)).body;
  const refresh = () => startMetadataRefresh({ services: portal.services, fetchDocument, intervalMs: 0, now: () => clock.now }).runOnce();
  const tick = () => (clock.now = new Date(clock.now.getTime() + 3_600_000));
  const body = (pem: string) => pem.replace(/-----[A-Z ]+-----|\s+/g, '');

  before(async () => {
    [a, b] = await Promise.all([createSigningKey('Rolling A', clock.now), createSigningKey('Rolling B', clock.now)]);
    database = await openTestDatabase();
    portal = createPortalApp({ database, secrets: testSecretBox(), adminKey: ADMIN_KEY, publicBaseUrl: 'http://127.0.0.1:1', now: () => clock.now, rateLimits: false });
    server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' });
      res.end(served);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    metadataUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/idp/metadata`;
    const admin = async (path: string, body: unknown) =>
      (await portal.app.request(path, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
    orgId = (await admin('/api/admin/organizations', { name: 'Reviewing' })).id;
    token = (await admin(`/api/admin/organizations/${orgId}/links`, {})).token;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await database.close();
  });

  async function connection(mode?: 'apply' | 'review'): Promise<any> {
    served = idpMetadataXml(IDP, [a], { sso: [{ binding: 'post', url: SSO }, { binding: 'redirect', url: SSO }] });
    const created = await call('POST', '/api/portal/connections', {
      protocol: 'saml',
      providerId: 'generic-saml',
      saml: { idpEntityId: IDP, ssoUrl: SSO, ssoBinding: 'post', signingCertificates: [a.certPem], metadataUrl, ...(mode ? { metadataRefreshMode: mode } : {}) },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body;
  }

  test('apply (the default): a new SSO URL, binding and WantAuthnRequestsSigned are applied, each change named', async () => {
    const c = await connection();
    const unchanged = await refresh();
    assert.equal(unchanged.results.find((r) => r.connectionId === c.id)?.status, 'unchanged', 'POST is still offered: the stored binding is kept');
    // The IdP drops HTTP-POST, moves its endpoint and starts wanting signed requests.
    served = idpMetadataXml(IDP, [a], { sso: [{ binding: 'redirect', url: 'https://idp.rolling.example/sso2' }], wantSigned: true });
    tick();
    const summary = await refresh();
    const result = summary.results.find((r) => r.connectionId === c.id)!;
    assert.equal(result.status, 'updated');
    const after = await get(c.id);
    assert.equal(after.version, c.version + 1);
    assert.deepEqual(
      { ssoUrl: after.saml.ssoUrl, ssoBinding: after.saml.ssoBinding, wantAuthnRequestsSigned: after.saml.wantAuthnRequestsSigned },
      { ssoUrl: 'https://idp.rolling.example/sso2', ssoBinding: 'redirect', wantAuthnRequestsSigned: true },
    );
    assert.deepEqual(after.metadataRefresh.changes, [
      { field: 'ssoUrl', from: SSO, to: 'https://idp.rolling.example/sso2' },
      { field: 'ssoBinding', from: 'post', to: 'redirect' },
      { field: 'wantAuthnRequestsSigned', from: false, to: true },
    ]);
    assert.equal(
      after.metadataRefresh.note,
      `Single sign-on URL changed from ${SSO} to https://idp.rolling.example/sso2. Single sign-on binding changed from HTTP-POST to HTTP-Redirect. The IdP now wants signed AuthnRequests.`,
    );
    // No browser endpoint at all: a recorded failure, nothing changed.
    served = idpMetadataXml(IDP, [a], { sso: [] }).replace('</md:IDPSSODescriptor>', '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:SOAP" Location="https://idp.rolling.example/soap"/></md:IDPSSODescriptor>');
    tick();
    await refresh();
    const failed = await get(c.id);
    assert.equal(failed.version, after.version);
    assert.equal(failed.metadataRefresh.errorCode, 'metadata_no_sso_service');
    assert.equal((await call('DELETE', `/api/portal/connections/${c.id}`)).status, 204);
  });

  test('review: the setting survives a SAML update that omits it; a change is proposed, not applied, and kept while the IdP keeps it', async () => {
    const c = await connection('review');
    // The wizard sends what it read from metadata, which never carries the setting.
    const reread = await call('PATCH', `/api/portal/connections/${c.id}`, { version: c.version, changes: { saml: { ...c.saml, metadataRefreshMode: undefined, nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress' } } });
    assert.equal(reread.status, 200, JSON.stringify(reread.body));
    assert.equal(reread.body.saml.metadataRefreshMode, 'review');

    served = idpMetadataXml(IDP, [a, b], { sso: [{ binding: 'post', url: 'https://idp.rolling.example/sso2' }] });
    tick();
    const found = clock.now.toISOString();
    const summary = await refresh();
    assert.equal(summary.results.find((r) => r.connectionId === c.id)?.status, 'pending');
    assert.equal(summary.pending, 1);
    const shown = await get(c.id);
    assert.equal(shown.version, reread.body.version, 'nothing changed');
    assert.deepEqual(shown.saml, reread.body.saml);
    assert.equal(shown.metadataRefresh.status, 'pending');
    const changes = [
      { field: 'signingCertificates', added: [b.fingerprint], removed: [] },
      { field: 'ssoUrl', from: SSO, to: 'https://idp.rolling.example/sso2' },
    ];
    assert.deepEqual(shown.metadataRefresh.pending.changes, changes);
    assert.equal(shown.metadataRefresh.pending.foundAt, found);
    const { signingCertificates: proposed, ...rest } = shown.metadataRefresh.pending.saml;
    assert.deepEqual({ ...rest, signingCertificates: reread.body.saml.signingCertificates }, { ...reread.body.saml, ssoUrl: 'https://idp.rolling.example/sso2', wantAuthnRequestsSigned: false });
    assert.equal(proposed[0], a.certPem, 'a certificate already stored keeps its text');
    assert.equal(body(proposed[1]), b.certBase64);
    // The list shows it too, and the answer is a valid Connection for the adapters.
    const listed = (await call('GET', '/api/portal/connections')).body.find((x: { id: string }) => x.id === c.id);
    assert.deepEqual(listed.metadataRefresh, shown.metadataRefresh);
    parseOrThrow(ConnectionSchema, listed, 'Connection');

    // Found again: kept, with when it was first found.
    tick();
    await refresh();
    const again = await get(c.id);
    assert.equal(again.metadataRefresh.status, 'pending');
    assert.equal(again.metadataRefresh.pending.foundAt, found);
    assert.equal(again.metadataRefresh.checkedAt, clock.now.toISOString());

    // A failed fetch keeps it.
    const good = served;
    served = 'not metadata';
    tick();
    await refresh();
    assert.equal((await get(c.id)).metadataRefresh.status, 'failed');
    assert.deepEqual((await get(c.id)).metadataRefresh.pending.changes, changes);

    // The IdP back to the stored values: cleared.
    served = idpMetadataXml(IDP, [a], { sso: [{ binding: 'post', url: SSO }] });
    tick();
    await refresh();
    const back = await get(c.id);
    assert.equal(back.metadataRefresh.status, 'unchanged');
    assert.equal(back.metadataRefresh.pending, undefined);
    served = good;
  });

  test('approve: applied at the version the admin read (a stale one is conflict), recorded as updated; nothing left to approve after', async () => {
    const c = await connection('review');
    served = idpMetadataXml(IDP, [b], { sso: [{ binding: 'post', url: SSO }] });
    tick();
    await refresh();
    const pending = await get(c.id);
    assert.equal(pending.metadataRefresh.status, 'pending');
    const approve = (version: number) => call('POST', `/api/portal/connections/${c.id}/metadata-change/approve`, { version });

    const stale = await approve(pending.version + 1);
    assert.equal(stale.status, 409);
    assert.equal(stale.body.code, 'conflict');
    assert.equal((await get(c.id)).metadataRefresh.status, 'pending', 'a refused approval keeps the change');
    const invalid = await call('POST', `/api/portal/connections/${c.id}/metadata-change/approve`, {});
    assert.equal(invalid.status, 422);

    const approved = await approve(pending.version);
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal(approved.body.version, pending.version + 1);
    assert.deepEqual(approved.body.saml.signingCertificates.map(body), [b.certBase64]);
    assert.equal(approved.body.saml.metadataRefreshMode, 'review');
    assert.equal(approved.body.metadataRefresh.status, 'updated');
    assert.equal(approved.body.metadataRefresh.changedAt, clock.now.toISOString());
    assert.deepEqual(approved.body.metadataRefresh.changes, [{ field: 'signingCertificates', added: [b.fingerprint], removed: [a.fingerprint] }]);
    assert.equal(approved.body.metadataRefresh.pending, undefined);
    assert.deepEqual(await get(c.id), approved.body);

    const twice = await approve(approved.body.version);
    assert.equal(twice.status, 409);
    assert.equal(twice.body.code, 'conflict');
    assert.equal(twice.body.details.reason, 'metadata_change_not_pending');
    assert.ok(twice.body.detail.length > 10);
    tick();
    assert.equal((await refresh()).results.find((r) => r.connectionId === c.id)?.status, 'unchanged');
  });

  test('dismiss: the connection stays; the same change is not proposed again (it can still be approved), another one is', async () => {
    const c = await connection('review');
    const dismiss = () => call('POST', `/api/portal/connections/${c.id}/metadata-change/dismiss`);
    const nothing = await dismiss();
    assert.equal(nothing.status, 409);
    assert.equal(nothing.body.code, 'conflict');
    assert.equal(nothing.body.details.reason, 'metadata_change_not_pending');

    served = idpMetadataXml(IDP, [a, b], { sso: [{ binding: 'post', url: SSO }] });
    tick();
    const found = clock.now.toISOString();
    await refresh();
    tick();
    const dismissed = await dismiss();
    assert.equal(dismissed.status, 200, JSON.stringify(dismissed.body));
    assert.equal(dismissed.body.version, c.version);
    assert.deepEqual(dismissed.body.saml, c.saml);
    assert.equal(dismissed.body.metadataRefresh.status, 'dismissed');
    const addB = [{ field: 'signingCertificates', added: [b.fingerprint], removed: [] }];
    assert.deepEqual(
      { ...dismissed.body.metadataRefresh.pending, saml: undefined },
      { foundAt: found, dismissedAt: clock.now.toISOString(), changes: addB, saml: undefined },
    );
    const dismissedAt = clock.now.toISOString();
    assert.equal((await dismiss()).body.metadataRefresh.pending.dismissedAt, dismissedAt, 'dismissing again changes nothing');

    tick();
    await refresh();
    const still = await get(c.id);
    assert.equal(still.metadataRefresh.status, 'dismissed');
    assert.deepEqual([still.metadataRefresh.pending.foundAt, still.metadataRefresh.pending.dismissedAt], [found, dismissedAt]);

    served = idpMetadataXml(IDP, [b], { sso: [{ binding: 'post', url: SSO }] });
    tick();
    await refresh();
    const other = await get(c.id);
    assert.equal(other.metadataRefresh.status, 'pending');
    assert.equal(other.metadataRefresh.pending.dismissedAt, undefined);
    assert.equal(other.metadataRefresh.pending.foundAt, clock.now.toISOString());
    assert.deepEqual(other.metadataRefresh.pending.changes, [{ field: 'signingCertificates', added: [b.fingerprint], removed: [a.fingerprint] }]);

    // Dismissed, then approved after all.
    assert.equal((await dismiss()).status, 200);
    const approved = await call('POST', `/api/portal/connections/${c.id}/metadata-change/approve`, { version: c.version });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.deepEqual(approved.body.saml.signingCertificates.map(body), [b.certBase64]);
    assert.equal(approved.body.metadataRefresh.status, 'updated');
  });

  test('an unknown connection is not_found', async () => {
    const approve = await call('POST', '/api/portal/connections/conn_nope/metadata-change/approve', { version: 1 });
    assert.equal(approve.status, 404);
    assert.equal((await call('POST', '/api/portal/connections/conn_nope/metadata-change/dismiss')).status, 404);
  });
});
