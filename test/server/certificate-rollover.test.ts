/// <reference types="node" />
/**
 * Certificate rollover (issue 17 point 5): at most five IdP signing certificates per connection
 * (metadata that lists more keeps the best five, with a warning); which certificate accepted
 * logins were signed with (`Connection.signingCertificateUsage`), over real logins posted to the
 * ACS of a server on 127.0.0.1.
 * Run: node --import tsx --test test/server/certificate-rollover.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { certificateUsage } from '../../src/core/certificate-usage.js';
import { MAX_SIGNING_CERTIFICATES } from '../../src/core/model.js';
import { parseSamlMetadata } from '../../src/core/saml-metadata.js';
import { readCertificateUsage } from '../../src/server/certificate-usage.js';
import { FormBrowser } from '../support/form-browser.js';
import { buildResponseXml, createSigningKey, idpMetadataXml, signResponse, toFormValue, type TestIdpKey } from '../support/saml-test-idp.js';
import { startLoginServer, type LoginServer } from './login-harness.js';

const NOW = new Date('2026-11-29T12:00:00.000Z');
const YEAR = 365 * 86_400_000;
const IDP_ENTITY = 'https://idp.example.com/metadata';

describe('at most five signing certificates', () => {
  // createSigningKey(name, t): valid from t - 1 year to t + 3 years.
  const ages = [-6, -5, 0.5, -4.5, 0, 1, 0.25]; // years from NOW
  let keys: TestIdpKey[];
  before(async () => {
    keys = await Promise.all(ages.map((years, i) => createSigningKey(`Rollover ${i}`, new Date(NOW.getTime() + years * YEAR))));
  });

  test('the limit is five', () => assert.equal(MAX_SIGNING_CERTIFICATES, 5));

  test('metadata with seven keeps the five valid now with the latest expiry, in document order, and says which were left out', async () => {
    const result = await parseSamlMetadata(idpMetadataXml(IDP_ENTITY, keys), { now: NOW });
    assert.ok(result.ok, JSON.stringify(!result.ok && result.error));
    // Valid now: 2, 4, 5, 6; expired: 3 (1.5 years ago, the latest of them, kept), 1 (2 years), 0 (3 years).
    assert.deepEqual(
      result.metadata.signingCertificates.map((c) => c.fingerprintSha256),
      [keys[2], keys[3], keys[4], keys[5], keys[6]].map((k) => k!.fingerprint),
    );
    const limited = result.warnings.filter((w) => w.code === 'metadata_signing_certificates_limited');
    assert.equal(limited.length, 1);
    assert.match(limited[0]!.message, /lists 7 signing certificates; a connection holds at most 5/);
    assert.match(limited[0]!.message, /Left out: “Rollover 0”, “Rollover 1”\./);
  });

  test('when fewer than five are valid now, the expired ones with the latest expiry fill the rest', async () => {
    const expired = await Promise.all([-9, -8, -7, -6, -5, -4.5].map((years, i) => createSigningKey(`Old ${i}`, new Date(NOW.getTime() + years * YEAR))));
    const result = await parseSamlMetadata(idpMetadataXml(IDP_ENTITY, [...expired, keys[4]!]), { now: NOW });
    assert.ok(result.ok);
    assert.deepEqual(
      result.metadata.signingCertificates.map((c) => c.fingerprintSha256),
      [expired[2], expired[3], expired[4], expired[5], keys[4]].map((k) => k!.fingerprint),
    );
    assert.match(result.warnings.find((w) => w.code === 'metadata_signing_certificates_limited')!.message, /Left out: “Old 0”, “Old 1”\./);
  });

  test('five or fewer: all kept, no warning', async () => {
    const result = await parseSamlMetadata(idpMetadataXml(IDP_ENTITY, keys.slice(2)), { now: NOW });
    assert.ok(result.ok);
    assert.equal(result.metadata.signingCertificates.length, 5);
    assert.ok(!result.warnings.some((w) => w.code === 'metadata_signing_certificates_limited'));
  });
});

describe('which certificate signs the logins', () => {
  let s: LoginServer;
  let oldKey: TestIdpKey;
  let newKey: TestIdpKey;
  let stranger: TestIdpKey;
  let token = '';
  let orgId = '';
  let connection: { id: string; version: number; serviceProvider: { entityId: string; acsUrl: string } };
  before(async () => {
    [s, oldKey, newKey, stranger] = await Promise.all([startLoginServer(), createSigningKey('Old IdP key'), createSigningKey('Next IdP key'), createSigningKey('Someone else')]);
    ({ orgId, token } = await s.organization('Rolling Inc'));
    const created = await s.portal(token, 'POST', '/api/portal/connections', {
      protocol: 'saml',
      providerId: 'generic-saml',
      saml: { idpEntityId: IDP_ENTITY, ssoUrl: 'https://idp.example.com/sso', ssoBinding: 'post', signingCertificates: [oldKey.certPem, newKey.certPem] },
      attributeMapping: { email: 'email' },
    });
    assert.equal(created.status, 201, created.text);
    connection = created.body;
  });
  after(() => s.close());

  /** An IdP-initiated test login signed with `key`, posted to the ACS; the test's outcome. */
  async function login(key: TestIdpKey, overrides: { audience?: string } = {}): Promise<string> {
    const started = await s.portal(token, 'POST', `/api/portal/connections/${connection.id}/tests`, { mode: 'idp' });
    assert.equal(started.status, 201, started.text);
    const xml = buildResponseXml({
      now: new Date(),
      issuer: IDP_ENTITY,
      acsUrl: connection.serviceProvider.acsUrl,
      audience: overrides.audience ?? connection.serviceProvider.entityId,
      inResponseTo: null,
      attributes: { email: ['ada@rolling.example'] },
    });
    const page = await new FormBrowser().request(connection.serviceProvider.acsUrl, { form: { SAMLResponse: toFormValue(signResponse(xml, { key, sign: 'assertion' })) } });
    assert.equal(page.status, 200, page.text.slice(0, 300));
    return (await s.portal(token, 'GET', `/api/portal/tests/${started.body.testId}`)).body.status;
  }
  const shown = async () => (await s.portal(token, 'GET', `/api/portal/connections/${connection.id}`)).body;

  test('none before any login', async () => {
    assert.equal((await shown()).signingCertificateUsage, undefined);
  });

  test('an accepted login records the certificate that verified it; the list and the single connection show it', async () => {
    const before = Date.now();
    assert.equal(await login(oldKey), 'success');
    const usage = (await shown()).signingCertificateUsage;
    assert.equal(usage.length, 1);
    assert.equal(usage[0].fingerprint, oldKey.fingerprint);
    assert.match(usage[0].fingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    assert.ok(Date.parse(usage[0].lastUsedAt) >= before - 1000 && Date.parse(usage[0].lastUsedAt) <= Date.now());
    const listed = (await s.portal(token, 'GET', '/api/portal/connections')).body.find((c: { id: string }) => c.id === connection.id);
    assert.deepEqual(listed.signingCertificateUsage, usage);
  });

  test('the IdP switches to the next certificate: both listed, newest first; core says which one signs now', async () => {
    assert.equal(await login(newKey), 'success');
    const c = await shown();
    assert.deepEqual(
      c.signingCertificateUsage.map((u: { fingerprint: string }) => u.fingerprint),
      [newKey.fingerprint, oldKey.fingerprint],
    );
    const uses = certificateUsage(c, [oldKey.fingerprint.toLowerCase(), newKey.fingerprint, stranger.fingerprint]);
    assert.deepEqual(
      uses.map((u) => [u.fingerprint, u.lastUsedAt !== null, u.latest]),
      [
        [oldKey.fingerprint.toLowerCase(), true, false],
        [newKey.fingerprint, true, true],
        [stranger.fingerprint, false, false],
      ],
    );
  });

  test('a refused login records nothing, even when its signature verified', async () => {
    const before = await readCertificateUsage(s.store, orgId);
    assert.equal(await login(stranger), 'failure');
    assert.equal(await login(oldKey, { audience: 'https://someone-else.example' }), 'failure');
    assert.deepEqual(await readCertificateUsage(s.store, orgId), before);
  });

  test('a certificate removed from the connection is no longer shown, nor kept at the next write', async () => {
    const current = await shown();
    const updated = await s.portal(token, 'PATCH', `/api/portal/connections/${connection.id}`, {
      version: current.version,
      changes: { saml: { ...current.saml, signingCertificates: [newKey.certPem] } },
    });
    assert.equal(updated.status, 200, updated.text);
    assert.deepEqual(
      updated.body.signingCertificateUsage.map((u: { fingerprint: string }) => u.fingerprint),
      [newKey.fingerprint],
    );
    assert.ok((await readCertificateUsage(s.store, orgId))[connection.id]![oldKey.fingerprint], 'still stored until the next write');
    // The next login writes, and drops the removed certificate.
    const stored = await readCertificateUsage(s.store, orgId);
    const last = Date.parse(stored[connection.id]![newKey.fingerprint]!);
    // Within a minute of the last write nothing is rewritten; make the record older than that.
    await s.store.putSetting(`certificate-usage:${orgId}`, JSON.stringify({ [connection.id]: { ...stored[connection.id], [newKey.fingerprint]: new Date(last - 120_000).toISOString() } }));
    assert.equal(await login(newKey), 'success');
    assert.deepEqual(Object.keys((await readCertificateUsage(s.store, orgId))[connection.id]!), [newKey.fingerprint]);
  });

  test('records of a deleted connection are dropped at the next write', async () => {
    const other = await s.portal(token, 'POST', '/api/portal/connections', {
      protocol: 'saml',
      providerId: 'generic-saml',
      saml: { idpEntityId: IDP_ENTITY, ssoUrl: 'https://idp.example.com/sso', ssoBinding: 'post', signingCertificates: [oldKey.certPem] },
    });
    const usage = await readCertificateUsage(s.store, orgId);
    await s.store.putSetting(`certificate-usage:${orgId}`, JSON.stringify({ ...usage, [other.body.id]: { [oldKey.fingerprint]: '2026-01-01T00:00:00.000Z' }, conn_gone: { [oldKey.fingerprint]: '2026-01-01T00:00:00.000Z' } }));
    assert.equal((await s.portal(token, 'DELETE', `/api/portal/connections/${other.body.id}`)).status, 204);
    await s.store.putSetting(`certificate-usage:${orgId}`, JSON.stringify({ ...(await readCertificateUsage(s.store, orgId)), [connection.id]: {} }));
    assert.equal(await login(newKey), 'success');
    assert.deepEqual(Object.keys(await readCertificateUsage(s.store, orgId)), [connection.id]);
  });
});
