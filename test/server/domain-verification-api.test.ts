/// <reference types="node" />
/**
 * Domain verification through the portal API with real DNS: the server's TXT checker asks a DNS
 * responder on 127.0.0.1 (real packets). Results and check times are stored, checks are
 * rate-limited, and a domain verified by one organization cannot be verified by another.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTxtChecker, domainCheckOf } from '../../src/server/domains/dns-txt-check.js';
import { startDnsResponder, type DnsResponder } from '../support/dns-responder.js';
import { startHarness, type Harness } from './helpers.js';

describe('domain verification by DNS TXT record (portal API)', () => {
  let dns: DnsResponder;
  let h: Harness;

  before(async () => {
    dns = await startDnsResponder({});
    const checkTxt = createTxtChecker({ servers: [dns.server], timeoutMs: 400, tries: 1 });
    h = await startHarness({
      checkDns: async (name, expected) => domainCheckOf(await checkTxt(name, expected)),
      rateLimits: { limits: { dnsCheck: { capacity: 4, windowMs: 60_000 } } },
    });
  });
  after(async () => {
    await h.close();
    await dns.close();
  });

  test('missing, wrong value, NXDOMAIN and timeout are stored as failed checks; the right value verifies', async () => {
    const { token } = await h.organization('Megacorp');
    const added = await h.portal(token, 'POST', '/api/portal/domains', { name: 'megacorp.example' });
    assert.equal(added.status, 201);
    const record = added.body.txtRecord as { name: string; value: string };
    assert.equal(record.name, '_sso-verification.megacorp.example');
    assert.match(record.value, /^sso-verification=[A-Za-z0-9_-]{20,}$/);

    const verify = async () => {
      const answer = await h.portal(token, 'POST', '/api/portal/domains/megacorp.example/verify');
      assert.equal(answer.status, 200, answer.text);
      return answer.body as { status: string; lastCheckedAt: string | null; verifiedAt: string | null; lastCheck?: { result: string; message: string; found?: string[] } };
    };

    dns.set(record.name, 'nxdomain');
    let domain = await verify();
    assert.equal(domain.status, 'failed');
    assert.equal(domain.lastCheck?.result, 'nxdomain');
    assert.ok(domain.lastCheckedAt);

    dns.set(record.name, []);
    domain = await verify();
    assert.equal(domain.lastCheck?.result, 'missing');
    assert.match(domain.lastCheck.message, /_sso-verification\.megacorp\.example/);

    dns.set(record.name, ['sso-verification=someone-else']);
    domain = await verify();
    assert.equal(domain.status, 'failed');
    assert.equal(domain.lastCheck?.result, 'wrong_value');
    assert.deepEqual(domain.lastCheck?.found, ['sso-verification=someone-else']);

    dns.set(record.name, [record.value]);
    domain = await verify();
    assert.equal(domain.status, 'verified');
    assert.equal(domain.lastCheck?.result, 'verified');
    assert.ok(domain.verifiedAt);

    // Stored: a later read shows the same.
    const listed = await h.portal(token, 'GET', '/api/portal/domains');
    assert.equal(listed.body[0].status, 'verified');
    assert.equal(listed.body[0].lastCheck.result, 'verified');
  });

  test('a resolver that never answers gives a timeout result, not a hang', async () => {
    const { token } = await h.organization('Slowcorp');
    const added = await h.portal(token, 'POST', '/api/portal/domains', { name: 'slow.example' });
    dns.set(added.body.txtRecord.name, 'timeout');
    const answer = await h.portal(token, 'POST', '/api/portal/domains/slow.example/verify');
    assert.equal(answer.status, 200);
    assert.equal(answer.body.status, 'failed');
    assert.equal(answer.body.lastCheck.result, 'timeout');
  });

  test('a domain verified by one organization cannot be added or verified by another', async () => {
    const first = await h.organization('First');
    const second = await h.organization('Second');
    const a = await h.portal(first.token, 'POST', '/api/portal/domains', { name: 'shared.example' });
    const b = await h.portal(second.token, 'POST', '/api/portal/domains', { name: 'shared.example' });
    assert.equal(b.status, 201, 'both may add it while no one has verified it');
    // Both publish their value; the first to verify gets the domain.
    dns.set(a.body.txtRecord.name, [a.body.txtRecord.value, b.body.txtRecord.value]);
    assert.equal((await h.portal(first.token, 'POST', '/api/portal/domains/shared.example/verify')).body.status, 'verified');
    const refused = await h.portal(second.token, 'POST', '/api/portal/domains/shared.example/verify');
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'domain_taken');
    const third = await h.organization('Third');
    const added = await h.portal(third.token, 'POST', '/api/portal/domains', { name: 'shared.example' });
    assert.equal(added.body.code, 'domain_taken');
  });

  test('checks are rate-limited per organization', async () => {
    const { token } = await h.organization('Eager');
    const added = await h.portal(token, 'POST', '/api/portal/domains', { name: 'eager.example' });
    dns.set(added.body.txtRecord.name, []);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await h.portal(token, 'POST', '/api/portal/domains/eager.example/verify')).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 429]);
    const other = await h.organization('Calm');
    await h.portal(other.token, 'POST', '/api/portal/domains', { name: 'calm.example' });
    assert.equal((await h.portal(other.token, 'POST', '/api/portal/domains/calm.example/verify')).status, 200, 'another organization has its own budget');
  });
});
