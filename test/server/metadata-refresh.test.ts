/// <reference types="node" />
/** The periodic IdP metadata refresh, against a local 127.0.0.1 server whose metadata changes between runs. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
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
