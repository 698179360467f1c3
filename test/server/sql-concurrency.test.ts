/// <reference types="node" />
/**
 * Issue 11 point 6, concurrency in the database: two server instances (two apps, each with its
 * own connection pool) on one PostgreSQL. Two organizations racing to verify the same domain:
 * exactly one wins, the other gets `domain_taken`; two saves of one connection at the same
 * version: one `conflict`; a link revoked through one instance is refused by the other at once.
 * Always on a real PostgreSQL (PGlite is one process: it cannot be shared by two instances).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PortalError } from '../../src/core/errors.js';
import { openDatabase, type Database } from '../../src/server/db/database.js';
import { OrganizationService } from '../../src/server/organization-service.js';
import { createSqlStore } from '../../src/server/store/sql-store.js';
import { createPostgresDatabase, POSTGRES_ONLY } from '../support/test-database.js';
import { OIDC_INPUT, startHarness, testSecretBox, type Harness } from './helpers.js';

const secrets = testSecretBox();
let url: string;
let databases: [Database, Database];
let one: Harness;
let two: Harness;

describe('two instances on one PostgreSQL', POSTGRES_ONLY, () => {
  before(async () => {
    url = await createPostgresDatabase();
    databases = [await openDatabase({ kind: 'postgres', url, maxConnections: 5 }), await openDatabase({ kind: 'postgres', url, maxConnections: 5 })];
    one = await startHarness({ database: databases[0], secrets });
    two = await startHarness({ database: databases[1], secrets, rateLimits: false });
    two.clock.now = one.clock.now;
  });
  after(async () => {
    await one?.close();
    await two?.close();
    await Promise.all(databases?.map((d) => d.close()) ?? []);
  });

  /** The rejection's code, or `ok`. */
  const outcome = (settled: PromiseSettledResult<unknown>): string =>
    settled.status === 'fulfilled' ? 'ok' : settled.reason instanceof PortalError ? settled.reason.code : String(settled.reason);

  test('two organizations racing to verify the same domain through two services: exactly one wins, the other gets domain_taken', async () => {
    for (let round = 0; round < 5; round++) {
      const domain = `race${round}.megacorp.example`;
      const a = await one.organization(`A${round}`);
      const b = await one.organization(`B${round}`);
      // Both add it (adding is allowed while nobody verified it).
      assert.equal((await one.portal(a.token, 'POST', '/api/portal/domains', { name: domain })).status, 201);
      assert.equal((await two.portal(b.token, 'POST', '/api/portal/domains', { name: domain })).status, 201);
      // The services themselves (no early check in front): only the unique index can decide.
      const options = { publicBaseUrl: 'http://127.0.0.1:1', now: () => one.clock.now };
      const storeOne = createSqlStore(databases[0], secrets);
      const storeTwo = createSqlStore(databases[1], secrets);
      const serviceA = new OrganizationService(storeOne, (await storeOne.getOrganization(a.orgId))!, options);
      const serviceB = new OrganizationService(storeTwo, (await storeTwo.getOrganization(b.orgId))!, options);
      const results = await Promise.allSettled([serviceA.verifyDomain(domain), serviceB.verifyDomain(domain)]);
      assert.deepEqual(results.map(outcome).sort(), ['domain_taken', 'ok'], JSON.stringify(results.map(outcome)));
      const winner = results[0].status === 'fulfilled' ? a : b;
      const loser = winner === a ? b : a;
      assert.equal((await storeOne.verifiedOwnerOf(domain))?.id, winner.orgId);
      const loserDomain = (await storeTwo.getOrganizationData(loser.orgId)).domains.find((d) => d.name === domain);
      assert.notEqual(loserDomain?.status, 'verified', 'the losing transaction wrote nothing');
    }
  });

  test('the same race through the two apps: one 200 verified, one 409 domain_taken', async () => {
    const domain = 'apps.megacorp.example';
    const a = await one.organization('Apps A');
    const b = await one.organization('Apps B');
    await one.portal(a.token, 'POST', '/api/portal/domains', { name: domain });
    await two.portal(b.token, 'POST', '/api/portal/domains', { name: domain });
    const answers = await Promise.all([
      one.portal(a.token, 'POST', `/api/portal/domains/${domain}/verify`),
      two.portal(b.token, 'POST', `/api/portal/domains/${domain}/verify`),
    ]);
    assert.deepEqual(answers.map((r) => (r.status === 200 ? r.body.status : r.body.code)).sort(), ['domain_taken', 'verified']);
    assert.deepEqual(answers.map((r) => r.status).sort(), [200, 409]);
  });

  test('two admins saving the same connection at the same version on two instances: one saves, the other gets conflict', async () => {
    const { token } = await one.organization('Savers');
    const created = await one.portal(token, 'POST', '/api/portal/connections', OIDC_INPUT);
    const { id, version } = created.body as { id: string; version: number };
    for (let round = 0; round < 5; round++) {
      const current = (await two.portal(token, 'GET', `/api/portal/connections/${id}`)).body.version as number;
      assert.equal(current, version + round);
      const answers = await Promise.all([
        one.portal(token, 'PATCH', `/api/portal/connections/${id}`, { version: current, changes: { name: `One ${round}` } }),
        two.portal(token, 'PATCH', `/api/portal/connections/${id}`, { version: current, changes: { name: `Two ${round}` } }),
      ]);
      assert.deepEqual(answers.map((r) => r.status).sort(), [200, 409], answers.map((r) => r.text).join('\n'));
      const saved = answers.find((r) => r.status === 200)!;
      assert.equal(saved.body.version, current + 1);
      assert.equal(answers.find((r) => r.status === 409)!.body.code, 'conflict');
      assert.equal((await one.portal(token, 'GET', `/api/portal/connections/${id}`)).body.name, saved.body.name, 'the winner’s save is what is stored');
    }
  });

  test('a link revoked through one instance is refused by the other at once', async () => {
    const { token, linkId } = await one.organization('Revoked');
    assert.equal((await two.portal(token, 'GET', '/api/portal/session')).status, 200);
    assert.equal((await one.admin('DELETE', `/api/admin/links/${linkId}`)).status, 204);
    const refused = await two.portal(token, 'GET', '/api/portal/session');
    assert.equal(refused.status, 401);
    assert.equal(refused.body.code, 'session_expired');
    assert.equal((await one.portal(token, 'GET', '/api/portal/session')).status, 401);
  });
});
