/// <reference types="node" />
// Database: none. It never opens one, so the PostgreSQL pass of the server suite leaves it out (scripts/server-tests.mjs).
/**
 * Domain verification by DNS TXT record, through real DNS packets: node:dns's Resolver asks the
 * local responder on 127.0.0.1 and nothing else.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { after, before, describe, test } from 'node:test';
import { decode, encode, RECURSION_DESIRED, type DecodedPacket } from 'dns-packet';
import { createTxtChecker, dnsServersFromEnv, type TxtCheck } from '../../src/server/domains/dns-txt-check.js';
import { startDnsResponder, type DnsResponder } from '../support/dns-responder.js';

const NAME = '_sso-verification.megacorp.example';
const VALUE = 'sso-verification=dv_0123456789abcdef';
const NOW = new Date('2026-03-01T12:00:00.000Z');

/** One TXT query over UDP to 127.0.0.1:port, with the name exactly as given. */
async function rawQuery(port: number, name: string): Promise<DecodedPacket & { rcode?: string }> {
  const socket = createSocket('udp4');
  try {
    const reply = new Promise<Buffer>((resolve) => socket.once('message', resolve));
    socket.send(encode({ type: 'query', id: 4242, flags: RECURSION_DESIRED, questions: [{ type: 'TXT', name }] }), port, '127.0.0.1');
    return decode(await reply);
  } finally {
    socket.close();
  }
}

describe('createTxtChecker against a local DNS responder', () => {
  let dns: DnsResponder;
  let check: (recordName: string, expected: string) => Promise<TxtCheck>;

  before(async () => {
    dns = await startDnsResponder({
      [NAME]: [VALUE],
      '_sso-verification.several.example': ['v=spf1 -all', 'google-site-verification=abc', VALUE],
      '_sso-verification.split.example': [['sso-verification=', 'dv_0123456789', 'abcdef']],
      '_sso-verification.empty.example': [],
      '_sso-verification.wrong.example': ['sso-verification=dv_old'],
      '_sso-verification.quoted.example': [`"${VALUE}"`],
      '_sso-verification.spaced.example': [`  ${VALUE} `],
      '_sso-verification.gone.example': 'nxdomain',
      '_sso-verification.slow.example': 'timeout',
      '_sso-verification.broken.example': 'servfail',
      '_SSO-Verification.MixedCase.Example': [VALUE],
      '_sso-verification.many.example': Array.from({ length: 25 }, (_, i) => `other-${i}`),
      '_sso-verification.long.example': ['x'.repeat(600)],
    });
    check = createTxtChecker({ servers: [dns.server], timeoutMs: 300, tries: 1, now: () => NOW });
  });
  after(() => dns.close());

  test('verified: the expected value is the only TXT record', async () => {
    const result = await check(NAME, VALUE);
    assert.equal(result.result, 'verified');
    assert.equal(result.recordName, NAME);
    assert.equal(result.expected, VALUE);
    assert.deepEqual(result.found, [VALUE]);
    assert.equal(result.checkedAt, NOW.toISOString());
    assert.match(result.message, /expected value/);
    assert.equal(result.waitHint, undefined);
    assert.ok(dns.queries.includes(NAME), 'the query reached the local responder');
  });

  test('verified: the expected value among several TXT records', async () => {
    const result = await check('_sso-verification.several.example', VALUE);
    assert.equal(result.result, 'verified');
    assert.deepEqual(result.found, ['v=spf1 -all', 'google-site-verification=abc', VALUE]);
  });

  test('verified: a multi-string TXT record is joined', async () => {
    const result = await check('_sso-verification.split.example', VALUE);
    assert.equal(result.result, 'verified');
    assert.deepEqual(result.found, [VALUE]);
  });

  test('verified: a value longer than 255 bytes, sent as several strings, is joined', async () => {
    const long = `sso-verification=${'a'.repeat(300)}`;
    dns.set('_sso-verification.longvalue.example', [long]);
    assert.equal((await check('_sso-verification.longvalue.example', long)).result, 'verified');
  });

  test('verified: surrounding spaces in the record, the expected value and the name are trimmed', async () => {
    assert.equal((await check('_sso-verification.spaced.example', VALUE)).result, 'verified');
    const result = await check(` ${NAME}. `, ` ${VALUE}\n`);
    assert.equal(result.result, 'verified');
    assert.equal(result.recordName, NAME);
    assert.equal(result.expected, VALUE);
  });

  test('missing: NOERROR with no TXT record', async () => {
    const result = await check('_sso-verification.empty.example', VALUE);
    assert.equal(result.result, 'missing');
    assert.deepEqual(result.found, []);
    assert.equal(result.errorCode, 'ENODATA');
    assert.equal(
      result.message,
      'We found no TXT record at _sso-verification.empty.example. Add it at your DNS provider; changes can take a few minutes to appear.',
    );
    assert.match(result.waitHint ?? '', /few minutes/);
  });

  test('wrong_value: other TXT values are listed, with what to set', async () => {
    const result = await check('_sso-verification.wrong.example', VALUE);
    assert.equal(result.result, 'wrong_value');
    assert.deepEqual(result.found, ['sso-verification=dv_old']);
    assert.match(result.message, /not the current one/);
    assert.ok(result.message.includes(VALUE), 'says which value to set');
    assert.ok(result.waitHint);
  });

  test('wrong_value: quotation marks typed into the value are pointed out', async () => {
    const result = await check('_sso-verification.quoted.example', VALUE);
    assert.equal(result.result, 'wrong_value');
    assert.deepEqual(result.found, [`"${VALUE}"`]);
    assert.match(result.message, /Remove the quotation marks/);
  });

  test('wrong_value: another sso-verification value is called out as not the current one', async () => {
    const result = await check('_sso-verification.several.example', 'sso-verification=dv_other');
    assert.equal(result.result, 'wrong_value');
    assert.equal(result.found.length, 3);
    assert.match(result.message, /not the current one/);
  });

  test('wrong_value: unrelated records only', async () => {
    dns.set('_sso-verification.unrelated.example', ['v=spf1 -all', 'google-site-verification=abc']);
    const result = await check('_sso-verification.unrelated.example', VALUE);
    assert.equal(result.result, 'wrong_value');
    assert.deepEqual(result.found, ['v=spf1 -all', 'google-site-verification=abc']);
    assert.match(result.message, /2 TXT records .* none has the expected value/);
  });

  test('nxdomain: the name does not exist', async () => {
    for (const name of ['_sso-verification.gone.example', '_sso-verification.unknown.example']) {
      const result = await check(name, VALUE);
      assert.equal(result.result, 'nxdomain', name);
      assert.equal(result.errorCode, 'ENOTFOUND');
      assert.deepEqual(result.found, []);
      assert.match(result.message, /does not exist in DNS yet/);
    }
  });

  test('timeout: the responder never answers (configured 300 ms, one try)', async () => {
    const started = Date.now();
    const result = await check('_sso-verification.slow.example', VALUE);
    assert.equal(result.result, 'timeout');
    assert.equal(result.errorCode, 'ETIMEOUT');
    assert.match(result.message, /did not get an answer in time/);
    assert.match(result.waitHint ?? '', /try again/);
    assert.ok(Date.now() - started < 3000, 'returns soon after the configured timeout');
  });

  test('timeout: nothing listens at the resolver address (connection refused)', async () => {
    const closed = await startDnsResponder({});
    const server = closed.server;
    await closed.close();
    const result = await createTxtChecker({ servers: [server], timeoutMs: 300, tries: 1 })(NAME, VALUE);
    assert.equal(result.result, 'timeout');
    assert.ok(['ECONNREFUSED', 'ETIMEOUT'].includes(result.errorCode ?? ''), result.errorCode);
  });

  test('error: SERVFAIL is an error with a retry hint', async () => {
    const result = await check('_sso-verification.broken.example', VALUE);
    assert.equal(result.result, 'error');
    assert.equal(result.errorCode, 'ESERVFAIL');
    assert.match(result.message, /server failure/);
    assert.ok(result.waitHint);
  });

  test('names are case-insensitive, both ways', async () => {
    assert.equal((await check('_SSO-VERIFICATION.MEGACORP.EXAMPLE', VALUE)).result, 'verified');
    assert.equal((await check('_sso-verification.mixedcase.example', VALUE)).result, 'verified');
    // c-ares lower-cases names before sending them, so ask the responder directly in mixed case.
    const response = await rawQuery(dns.port, '_SSO-Verification.MegaCorp.Example');
    assert.equal(response.rcode, 'NOERROR');
    assert.equal(response.questions?.[0]?.name, '_SSO-Verification.MegaCorp.Example', 'the question is echoed as asked');
    assert.deepEqual(
      response.answers?.map((answer) => (answer.type === 'TXT' ? [answer.data].flat().join('') : '')),
      [VALUE],
    );
  });

  test('the value is compared exactly, case included', async () => {
    assert.equal((await check(NAME, VALUE.toUpperCase())).result, 'wrong_value');
  });

  test('found is clipped: at most 20 values, each at most 512 characters', async () => {
    const many = await check('_sso-verification.many.example', VALUE);
    assert.equal(many.result, 'wrong_value');
    assert.deepEqual(many.found, Array.from({ length: 20 }, (_, i) => `other-${i}`));
    assert.match(many.message, /25 TXT records/);
    const asked = dns.queries.filter((name) => name === '_sso-verification.many.example').length;
    assert.equal(asked, 2, 'too large for UDP: truncated, then asked again over TCP');

    const long = await check('_sso-verification.long.example', VALUE);
    assert.equal(long.result, 'wrong_value');
    assert.deepEqual(long.found, ['x'.repeat(512)]);
  });

  test('the expected value is found even past the 20 reported', async () => {
    dns.set('_sso-verification.late.example', [...Array.from({ length: 24 }, (_, i) => `other-${i}`), VALUE]);
    const result = await check('_sso-verification.late.example', VALUE);
    assert.equal(result.result, 'verified');
    assert.equal(result.found.length, 20);
  });

  test('a record added after a failed check is found by the next check (no stale cache)', async () => {
    const name = '_sso-verification.later.example';
    assert.equal((await check(name, VALUE)).result, 'nxdomain');
    dns.set(name, []);
    assert.equal((await check(name, VALUE)).result, 'missing');
    dns.set(name, [VALUE]);
    assert.equal((await check(name, VALUE)).result, 'verified');
  });

  test('never throws: a bad name or an empty expected value is an error without a query', async () => {
    const before = dns.queries.length;
    for (const [name, expected] of [
      ['', VALUE],
      ['not a name.example', VALUE],
      ['localhost', VALUE],
      [`${'a'.repeat(64)}.example`, VALUE],
      [NAME, '   '],
      [undefined as unknown as string, VALUE],
    ] as const) {
      const result = await check(name, expected);
      assert.equal(result.result, 'error', String(name));
      assert.ok(result.message.length > 0);
    }
    assert.equal(dns.queries.length, before);
  });
});

describe('createTxtChecker options', () => {
  test('invalid options throw a TypeError at creation', () => {
    assert.throws(() => createTxtChecker({ servers: ['dns.example'] }), TypeError);
    assert.throws(() => createTxtChecker({ servers: [] }), TypeError);
    assert.throws(() => createTxtChecker({ timeoutMs: 0 }), TypeError);
    assert.throws(() => createTxtChecker({ tries: 1.5 }), TypeError);
  });
});

describe('dnsServersFromEnv', () => {
  test('unset or blank: the system resolvers', () => {
    assert.equal(dnsServersFromEnv(undefined), undefined);
    assert.equal(dnsServersFromEnv(''), undefined);
    assert.equal(dnsServersFromEnv('  '), undefined);
  });

  test('IPv4 and IPv6 addresses, with or without a port', () => {
    assert.deepEqual(dnsServersFromEnv('127.0.0.1:5353'), ['127.0.0.1:5353']);
    assert.deepEqual(dnsServersFromEnv('::1'), ['::1']);
    assert.deepEqual(dnsServersFromEnv(' 127.0.0.1:5353 , ::1, [::1]:53, [2001:db8::1], 10.0.0.53 ,'), [
      '127.0.0.1:5353',
      '::1',
      '[::1]:53',
      '2001:db8::1',
      '10.0.0.53',
    ]);
  });

  test('refuses anything else with a clear Error', () => {
    for (const value of ['dns.example', '127.0.0.1:0', '127.0.0.1:65536', '127.0.0.1:port', '256.1.1.1', '::1:53:x', '[127.0.0.1]:53', 'http://127.0.0.1', ',', '127.0.0.1 ::1']) {
      assert.throws(
        () => dnsServersFromEnv(value),
        (error: unknown) => error instanceof Error && /SSO_PORTAL_DNS_SERVERS: .* is not a DNS server address|names no DNS server/.test(error.message),
        value,
      );
    }
  });

  test('what it returns is accepted by the checker', async () => {
    const dns = await startDnsResponder({ [NAME]: [VALUE] });
    try {
      const servers = dnsServersFromEnv(dns.server);
      assert.deepEqual(servers, [dns.server]);
      const result = await createTxtChecker({ servers, timeoutMs: 300, tries: 1 })(NAME, VALUE);
      assert.equal(result.result, 'verified');
    } finally {
      await dns.close();
    }
  });
});
