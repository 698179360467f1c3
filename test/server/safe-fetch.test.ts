/// <reference types="node" />
// Database: none. It never opens one, so the PostgreSQL pass of the server suite leaves it out (scripts/server-tests.mjs).
// The SSRF-guarded fetch and its address policy. Run: node --test --import tsx test/server/
//
// Every connection these tests make goes to 127.0.0.1 or 127.0.0.2. Host names that stand for
// other addresses go through an injected resolver, and every test that could reach such an
// address injects a connector that records the request and refuses it (it never opens a socket).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { PortalError } from '../../src/core/errors.js';
import { classifyAddress, isForbiddenAddress, type AddressKind } from '../../src/server/address-policy.js';
import {
  createSafeFetcher,
  pinnedNodeFetch,
  type PinnedFetch,
  type PinnedRequest,
  type ResolvedAddress,
  type Resolver,
} from '../../src/server/safe-fetch.js';

// ---------------------------------------------------------------------------------------
// Address policy

describe('isForbiddenAddress', () => {
  const table: [string, AddressKind | null][] = [
    // IPv4: public
    ['8.8.8.8', null],
    ['1.1.1.1', null],
    ['93.184.215.14', null],
    ['100.63.255.255', null],
    ['100.128.0.0', null],
    ['172.15.255.255', null],
    ['172.32.0.0', null],
    ['192.167.255.255', null],
    ['192.169.0.0', null],
    ['198.17.255.255', null],
    ['198.20.0.0', null],
    ['223.255.255.255', null],
    // IPv4: unspecified / this network
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    // loopback
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    // private
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private'],
    ['192.168.255.255', 'private'],
    // link-local and metadata services
    ['169.254.0.1', 'link-local'],
    ['169.254.255.255', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['169.254.170.2', 'metadata'],
    ['100.100.100.200', 'metadata'],
    // carrier-grade NAT
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    // multicast, broadcast, class E
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    // documentation and benchmarking
    ['192.0.2.1', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.99', 'documentation'],
    ['198.18.0.1', 'benchmark'],
    ['198.19.255.255', 'benchmark'],
    ['192.0.0.8', 'reserved'],
    ['192.88.99.1', 'reserved'],
    // IPv6: public
    ['2606:4700:4700::1111', null],
    ['2a00:1450:4001:80b::200e', null],
    ['2001:4860:4860::8888', null],
    // IPv6 special
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['fc00::1', 'private'],
    ['fd12:3456:789a::1', 'private'],
    ['fd00:ec2::254', 'metadata'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['ff05::1:3', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['3fff::1', 'documentation'],
    ['2001:2::1', 'benchmark'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved'], // Teredo
    ['100::1', 'reserved'], // discard-only
    ['::2', 'unspecified'], // IPv4-compatible 0.0.0.2
    ['4000::1', 'reserved'], // outside 2000::/3
    // IPv4-mapped: the embedded address decides
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:a00:1', 'private'],
    ['::FFFF:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:100.64.1.1', 'cgnat'],
    ['::ffff:0.0.0.0', 'unspecified'],
    ['::ffff:8.8.8.8', null],
    ['0:0:0:0:0:ffff:192.168.1.1', 'private'],
    ['::ffff:0:10.1.2.3', 'private'], // SIIT translated
    // IPv4-compatible (deprecated)
    ['::10.0.0.1', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['::169.254.169.254', 'metadata'],
    // NAT64 embeds an IPv4 address
    ['64:ff9b::10.0.0.1', 'private'],
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b::808:808', null],
    ['64:ff9b:1::1', 'private'], // local-use NAT64
    // 6to4 embeds an IPv4 address in bits 16-47
    ['2002:c0a8:101::1', 'private'],
    ['2002:a9fe:a9fe::1', 'metadata'],
    ['2002:808:808::1', null],
    // not addresses
    ['', 'invalid'],
    ['localhost', 'invalid'],
    ['10.0.0', 'invalid'],
    ['256.1.1.1', 'invalid'],
    ['1:2:3:4:5:6:7:8:9', 'invalid'],
    ['::ffff:10.0.0.256', 'invalid'],
  ];

  for (const [ip, kind] of table) {
    it(`${JSON.stringify(ip)} is ${kind ?? 'public'}`, () => {
      assert.equal(classifyAddress(ip), kind);
      const verdict = isForbiddenAddress(ip, { allowLoopback: false });
      assert.deepEqual(verdict, { forbidden: kind !== null, reason: kind });
    });
  }

  it('allows loopback only when asked to', () => {
    for (const ip of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) {
      assert.deepEqual(isForbiddenAddress(ip, { allowLoopback: false }), { forbidden: true, reason: 'loopback' });
      assert.deepEqual(isForbiddenAddress(ip, { allowLoopback: true }), { forbidden: false, reason: 'loopback' });
    }
    // Loopback allowance never opens anything else.
    for (const ip of ['10.0.0.1', '169.254.169.254', '::', '0.0.0.0', 'fe80::1', '::ffff:192.168.0.1']) {
      assert.equal(isForbiddenAddress(ip, { allowLoopback: true }).forbidden, true, ip);
    }
  });

  it('gives a mapped address the same verdict as the IPv4 address it carries', () => {
    for (const v4 of ['10.0.0.1', '172.20.1.1', '192.168.9.9', '127.0.0.1', '169.254.169.254', '100.100.100.200', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '192.0.2.1', '198.18.0.1', '8.8.8.8']) {
      const expected = isForbiddenAddress(v4, { allowLoopback: false });
      for (const form of [`::ffff:${v4}`, `::${v4}`, `64:ff9b::${v4}`]) {
        if (form === '::0.0.0.0') continue; // that is "::", the unspecified address
        assert.deepEqual(isForbiddenAddress(form, { allowLoopback: false }), expected, form);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------
// The fetcher

const METADATA = '<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.test/"/>';
const DISCOVERY = JSON.stringify({ issuer: 'https://idp.test', authorization_endpoint: 'https://idp.test/authorize' });

interface Served {
  url: string;
  host: string | undefined;
}

/** A local server on 127.0.0.1 (or another loopback address) with the routes the tests need. */
async function startServer(address = '127.0.0.1'): Promise<{ origin: string; port: number; served: Served[]; hung: http.ServerResponse[]; onHang: (cb: () => void) => void; close: () => void }> {
  const served: Served[] = [];
  const hung: http.ServerResponse[] = [];
  let hangListener: (() => void) | undefined;
  const server = http.createServer((req, res) => {
    res.on('error', () => undefined);
    const url = req.url ?? '/';
    served.push({ url, host: req.headers.host });
    const redirect = /^\/r\/(\d+)$/.exec(url);
    if (redirect) {
      const n = Number(redirect[1]);
      res.writeHead(302, { location: n > 1 ? `/r/${n - 1}` : '/ok' }).end();
      return;
    }
    if (url.startsWith('/to?')) {
      res.writeHead(307, { location: decodeURIComponent(url.slice(4)) }).end();
      return;
    }
    switch (url) {
      case '/ok':
        res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(METADATA);
        return;
      case '/plain':
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(METADATA);
        return;
      case '/discovery':
        res.writeHead(200, { 'content-type': 'application/json' }).end(DISCOVERY);
        return;
      case '/html':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><html><body>Sign in</body></html>');
        return;
      case '/html-as-xml':
        res.writeHead(200, { 'content-type': 'text/xml' }).end('\n<!DOCTYPE html>\n<html lang="en"><head><title>Login</title></head></html>');
        return;
      case '/image':
        res.writeHead(200, { 'content-type': 'image/png' }).end('png');
        return;
      case '/gzip':
        res.writeHead(200, { 'content-type': 'application/xml', 'content-encoding': 'gzip' }).end('not really gzip');
        return;
      case '/missing':
        res.writeHead(404, { 'content-type': 'text/plain' }).end('no');
        return;
      case '/broken':
        res.writeHead(503).end();
        return;
      case '/redirect-nowhere':
        res.writeHead(302).end();
        return;
      case '/big': {
        // 64 KiB in 1 KiB chunks, no content-length: the client must cut it off while streaming.
        res.writeHead(200, { 'content-type': 'application/xml' });
        for (let i = 0; i < 64 && !res.destroyed; i++) res.write('x'.repeat(1024));
        res.end();
        return;
      }
      case '/big-declared':
        res.writeHead(200, { 'content-type': 'application/xml', 'content-length': String(64 * 1024) }).end('y'.repeat(64 * 1024));
        return;
      case '/hang':
        hung.push(res);
        hangListener?.();
        return; // never answers
      case '/stall':
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.write('<?xml version="1.0"?><md:EntityDescriptor');
        hung.push(res);
        return; // never finishes
      default:
        res.writeHead(404).end();
    }
  });
  server.listen(0, address);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${address}:${port}`,
    port,
    served,
    hung,
    onHang: (cb) => (hangListener = cb),
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** Host names for the tests; anything else is "not found". Never consults real DNS. */
function fakeResolver(table: Record<string, string[]>, calls: string[] = []): Resolver {
  return (hostname) => {
    calls.push(hostname);
    const addresses = table[hostname];
    if (!addresses) return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
    return Promise.resolve(addresses.map((address): ResolvedAddress => ({ address, family: address.includes(':') ? 6 : 4 })));
  };
}

const NAMES: Record<string, string[]> = {
  localhost: ['127.0.0.1'],
  'internal.test': ['10.0.0.5'],
  'meta.test': ['169.254.169.254'],
  'mapped.test': ['::ffff:192.168.1.10'],
  'nat64.test': ['64:ff9b::a00:5'],
  'v6-private.test': ['fd00::5'],
  'public.test': ['93.184.215.14', '2606:4700::6810:84e5'],
  'mixed.test': ['93.184.215.14', '192.168.1.1'],
  'empty.test': [],
};

/** Records requests and refuses them without opening any socket. */
function tripwire(): { fetchImpl: PinnedFetch; calls: PinnedRequest[] } {
  const calls: PinnedRequest[] = [];
  return {
    calls,
    fetchImpl: (request) => {
      calls.push(request);
      return Promise.reject(Object.assign(new Error('tripwire: no connection in this test'), { code: 'ECONNREFUSED' }));
    },
  };
}

/** The real connector, recording each request; only for URLs that lead to 127.0.0.1. */
function spyOnRealConnector(): { fetchImpl: PinnedFetch; calls: PinnedRequest[] } {
  const calls: PinnedRequest[] = [];
  return {
    calls,
    fetchImpl: (request) => {
      calls.push(request);
      for (const { address } of request.addresses) assert.ok(address.startsWith('127.'), `test would connect to ${address}`);
      return pinnedNodeFetch(request);
    },
  };
}

async function refusal(promise: Promise<unknown>, code: string, reason?: string): Promise<PortalError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof PortalError, `expected a PortalError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (reason !== undefined) assert.equal(error.details?.reason, reason, error.message);
    return error;
  }
  assert.fail(`expected ${code}, but the fetch succeeded`);
}

describe('createSafeFetcher, dev mode, against 127.0.0.1', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const dev = (extra: Partial<Parameters<typeof createSafeFetcher>[0]> = {}) => {
    const spy = spyOnRealConnector();
    const resolverCalls: string[] = [];
    const { fetchDocument } = createSafeFetcher({ devMode: true, resolve: fakeResolver(NAMES, resolverCalls), fetchImpl: spy.fetchImpl, ...extra });
    return { fetchDocument, calls: spy.calls, resolverCalls };
  };

  it('downloads SAML metadata over http from a loopback address', async () => {
    const { fetchDocument, calls } = dev();
    assert.equal(await fetchDocument(`${server.origin}/ok`, 'saml-metadata'), METADATA);
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0]!.addresses, [{ address: '127.0.0.1', family: 4 }]);
  });

  it('accepts text/plain metadata and JSON discovery', async () => {
    const { fetchDocument } = dev();
    assert.equal(await fetchDocument(`${server.origin}/plain`, 'saml-metadata'), METADATA);
    assert.equal(await fetchDocument(`${server.origin}/discovery`, 'oidc-discovery'), DISCOVERY);
  });

  it('resolves localhost through the resolver and sends the URL host as Host', async () => {
    const { fetchDocument, resolverCalls } = dev();
    assert.equal(await fetchDocument(`http://localhost:${server.port}/ok`, 'saml-metadata'), METADATA);
    assert.deepEqual(resolverCalls, ['localhost']);
    assert.equal(server.served.at(-1)!.host, `localhost:${server.port}`);
  });

  it('follows up to 3 redirects, checking every hop', async () => {
    const { fetchDocument, calls } = dev();
    assert.equal(await fetchDocument(`${server.origin}/r/3`, 'saml-metadata'), METADATA);
    assert.deepEqual(
      calls.map((c) => c.url.pathname),
      ['/r/3', '/r/2', '/r/1', '/ok'],
    );
  });

  it('refuses a 4th redirect without following it', async () => {
    const { fetchDocument, calls } = dev();
    const error = await refusal(fetchDocument(`${server.origin}/r/4`, 'saml-metadata'), 'metadata_url_refused', 'too_many_redirects');
    assert.match(error.message, /redirected more than 3 times/);
    assert.deepEqual(
      calls.map((c) => c.url.pathname),
      ['/r/4', '/r/3', '/r/2', '/r/1'],
    );
  });

  it('honours a smaller maxRedirects', async () => {
    const { fetchDocument } = dev({ maxRedirects: 0 });
    await refusal(fetchDocument(`${server.origin}/r/1`, 'saml-metadata'), 'metadata_url_refused', 'too_many_redirects');
  });

  it('refuses a redirect to a name that resolves to a private address before connecting to it', async () => {
    const { fetchDocument, calls, resolverCalls } = dev();
    const target = encodeURIComponent('https://internal.test/metadata');
    const error = await refusal(fetchDocument(`${server.origin}/to?${target}`, 'saml-metadata'), 'metadata_url_refused', 'private');
    assert.equal(calls.length, 1, 'only the first hop connected');
    assert.equal(calls[0]!.url.hostname, '127.0.0.1');
    assert.deepEqual(resolverCalls, ['internal.test']);
    assert.match(error.message, /private network/);
    assert.doesNotMatch(error.message, /10\.0\.0\.5/, 'the internal address is not revealed');
  });

  it('refuses redirects to metadata services, mapped and NAT64 forms, by name or literal', async () => {
    const cases: [string, string][] = [
      ['https://meta.test/latest/meta-data/', 'metadata'],
      ['https://169.254.169.254/latest/meta-data/', 'metadata'],
      ['https://[fd00:ec2::254]/latest/meta-data/', 'metadata'],
      ['https://[::ffff:a9fe:a9fe]/', 'metadata'],
      ['https://mapped.test/', 'private'],
      ['https://nat64.test/', 'private'],
      ['https://v6-private.test/', 'private'],
      ['https://[::ffff:10.0.0.1]/', 'private'],
      ['https://mixed.test/', 'private'],
    ];
    for (const [target, reason] of cases) {
      const { fetchDocument, calls } = dev();
      await refusal(fetchDocument(`${server.origin}/to?${encodeURIComponent(target)}`, 'saml-metadata'), 'metadata_url_refused', reason);
      assert.equal(calls.length, 1, target);
    }
  });

  it('refuses a redirect to plain http on another host, even in dev mode', async () => {
    const { fetchDocument, calls, resolverCalls } = dev();
    const target = encodeURIComponent('http://public.test/metadata');
    await refusal(fetchDocument(`${server.origin}/to?${target}`, 'saml-metadata'), 'metadata_url_refused', 'scheme');
    assert.equal(calls.length, 1);
    assert.deepEqual(resolverCalls, []);
    for (const other of ['file:///etc/passwd', 'ftp://127.0.0.1/x', 'gopher://127.0.0.1:6379/_INFO']) {
      await refusal(dev().fetchDocument(`${server.origin}/to?${encodeURIComponent(other)}`, 'saml-metadata'), 'metadata_url_refused', 'scheme');
    }
  });

  it('refuses a redirect without a location', async () => {
    const error = await refusal(dev().fetchDocument(`${server.origin}/redirect-nowhere`, 'saml-metadata'), 'metadata_fetch_failed');
    assert.equal(error.details?.status, 302);
  });

  it('refuses http to a name that only looks like loopback but resolves elsewhere', async () => {
    const { fetchDocument } = createSafeFetcher({ devMode: true, resolve: fakeResolver({ localhost: ['93.184.215.14'] }), fetchImpl: tripwire().fetchImpl });
    await refusal(fetchDocument('http://localhost/x', 'saml-metadata'), 'metadata_url_refused', 'scheme');
  });

  it('cuts off a streamed body past maxBytes', async () => {
    const error = await refusal(dev({ maxBytes: 4096 }).fetchDocument(`${server.origin}/big`, 'saml-metadata'), 'metadata_too_large');
    assert.equal(error.details?.limitBytes, 4096);
    assert.match(error.message, /larger than 4 kB/);
  });

  it('refuses a declared content-length past maxBytes', async () => {
    await refusal(dev({ maxBytes: 4096 }).fetchDocument(`${server.origin}/big-declared`, 'saml-metadata'), 'metadata_too_large');
  });

  it('times out when the server never answers', async () => {
    const error = await refusal(dev({ timeoutMs: 100 }).fetchDocument(`${server.origin}/hang`, 'saml-metadata'), 'request_timeout');
    assert.match(error.message, /did not answer within 100 ms/);
  });

  it('times out when the body stalls', async () => {
    await refusal(dev({ timeoutMs: 100 }).fetchDocument(`${server.origin}/stall`, 'saml-metadata'), 'request_timeout');
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    server.onHang(() => controller.abort());
    try {
      await refusal(dev().fetchDocument(`${server.origin}/hang`, 'saml-metadata', controller.signal), 'aborted');
    } finally {
      server.onHang(() => undefined);
    }
    const already = AbortSignal.abort();
    const { fetchDocument, calls } = dev();
    await refusal(fetchDocument(`${server.origin}/ok`, 'saml-metadata', already), 'aborted');
    assert.equal(calls.length, 0);
  });

  it('reports non-2xx answers with their status, per kind', async () => {
    let error = await refusal(dev().fetchDocument(`${server.origin}/missing`, 'saml-metadata'), 'metadata_fetch_failed');
    assert.match(error.message, /HTTP 404 \(Not Found\)/);
    assert.equal(error.details?.status, 404);
    assert.equal(error.retryable, false);
    error = await refusal(dev().fetchDocument(`${server.origin}/broken`, 'oidc-discovery'), 'oidc_discovery_failed');
    assert.match(error.message, /HTTP 503/);
    assert.equal(error.retryable, true);
  });

  it('refuses web pages and the wrong content types', async () => {
    await refusal(dev().fetchDocument(`${server.origin}/html`, 'saml-metadata'), 'metadata_fetch_failed');
    const sniffed = await refusal(dev().fetchDocument(`${server.origin}/html-as-xml`, 'saml-metadata'), 'metadata_fetch_failed');
    assert.match(sniffed.message, /web page/);
    await refusal(dev().fetchDocument(`${server.origin}/image`, 'saml-metadata'), 'metadata_fetch_failed');
    await refusal(dev().fetchDocument(`${server.origin}/ok`, 'oidc-discovery'), 'oidc_discovery_failed');
    await refusal(dev().fetchDocument(`${server.origin}/html`, 'oidc-discovery'), 'oidc_discovery_failed');
    await refusal(dev().fetchDocument(`${server.origin}/gzip`, 'saml-metadata'), 'metadata_fetch_failed');
  });

  it('maps connection refused and TLS failures to fetch errors', async () => {
    const closed = http.createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as AddressInfo;
    closed.close();
    await once(closed, 'close');
    const refused = await refusal(dev().fetchDocument(`http://127.0.0.1:${port}/ok`, 'saml-metadata'), 'metadata_fetch_failed');
    assert.match(refused.message, /refused the connection/);
    // https to a plain-http port: the TLS handshake fails.
    const tls = await refusal(dev().fetchDocument(`https://127.0.0.1:${server.port}/ok`, 'oidc-discovery'), 'oidc_discovery_failed');
    assert.match(tls.message, /secure \(TLS\) connection/);
  });

  it('reports names that do not resolve', async () => {
    const { fetchDocument } = createSafeFetcher({ devMode: true, resolve: fakeResolver(NAMES), fetchImpl: tripwire().fetchImpl });
    const error = await refusal(fetchDocument('https://nowhere.test/metadata', 'saml-metadata'), 'metadata_fetch_failed');
    assert.match(error.message, /nowhere\.test could not be found/);
    await refusal(fetchDocument('https://empty.test/', 'oidc-discovery'), 'oidc_discovery_failed');
  });
});

describe('createSafeFetcher pins the connection to the vetted address', () => {
  it('connects to the address the resolver returned, not to what the system resolves', async () => {
    // The server listens on 127.0.0.2 only. The system resolves "localhost" to 127.0.0.1 or ::1,
    // where nothing listens on this port: the fetch succeeds only if the vetted address is used.
    const server = await startServer('127.0.0.2');
    try {
      let lookups = 0;
      const resolve: Resolver = () => {
        lookups++;
        return Promise.resolve(lookups === 1 ? [{ address: '127.0.0.2', family: 4 }] : [{ address: '10.0.0.1', family: 4 }]);
      };
      const { fetchDocument } = createSafeFetcher({ devMode: true, resolve });
      assert.equal(await fetchDocument(`http://localhost:${server.port}/ok`, 'saml-metadata'), METADATA);
      assert.equal(lookups, 1, 'resolved once: no second lookup at connect time');
      assert.equal(server.served.at(-1)!.host, `localhost:${server.port}`);
    } finally {
      server.close();
    }
  });
});

describe('createSafeFetcher, production mode', () => {
  const prod = () => {
    const wire = tripwire();
    const resolverCalls: string[] = [];
    const { fetchDocument } = createSafeFetcher({ devMode: false, resolve: fakeResolver(NAMES, resolverCalls), fetchImpl: wire.fetchImpl });
    return { fetchDocument, calls: wire.calls, resolverCalls };
  };

  it('refuses plain http, even to loopback', async () => {
    for (const url of ['http://127.0.0.1:8080/ok', 'http://localhost/ok', 'http://[::1]/ok', 'http://public.test/metadata']) {
      const { fetchDocument, calls, resolverCalls } = prod();
      const error = await refusal(fetchDocument(url, 'saml-metadata'), 'metadata_url_refused', 'scheme');
      assert.match(error.message, /https:\/\//);
      assert.equal(calls.length, 0, url);
      assert.deepEqual(resolverCalls, [], url);
    }
  });

  it('refuses loopback over https', async () => {
    for (const url of ['https://127.0.0.1/ok', 'https://127.1/ok', 'https://[::1]/ok', 'https://localhost/ok', 'https://[::ffff:127.0.0.1]/']) {
      const { fetchDocument, calls } = prod();
      const error = await refusal(fetchDocument(url, 'saml-metadata'), 'metadata_url_refused', 'loopback');
      assert.match(error.message, /loopback/);
      assert.equal(calls.length, 0, url);
    }
  });

  it('refuses names when any resolved address is forbidden, before connecting', async () => {
    const cases: [string, string][] = [
      ['https://internal.test/m', 'private'],
      ['https://meta.test/m', 'metadata'],
      ['https://mapped.test/m', 'private'],
      ['https://nat64.test/m', 'private'],
      ['https://mixed.test/m', 'private'],
      ['https://10.1.2.3/m', 'private'],
      ['https://0x0a.1.2.3/m', 'private'],
      ['https://[fe80::1]/m', 'link-local'],
      ['https://100.64.0.1/m', 'cgnat'],
      ['https://100.100.100.200/m', 'metadata'],
      ['https://0.0.0.0/m', 'unspecified'],
      ['https://[::]/m', 'unspecified'],
      ['https://224.0.0.1/m', 'multicast'],
      ['https://255.255.255.255/m', 'broadcast'],
      ['https://192.0.2.10/m', 'documentation'],
      ['https://198.18.0.1/m', 'benchmark'],
    ];
    for (const [url, reason] of cases) {
      const { fetchDocument, calls } = prod();
      await refusal(fetchDocument(url, 'oidc-discovery'), 'metadata_url_refused', reason);
      assert.equal(calls.length, 0, url);
    }
  });

  it('passes every vetted address, and only those, to the connector', async () => {
    const { fetchDocument, calls } = prod();
    // The tripwire refuses the connection, so nothing leaves this machine.
    await refusal(fetchDocument('https://public.test:8443/saml/metadata?x=1', 'saml-metadata'), 'metadata_fetch_failed');
    assert.equal(calls.length, 1);
    const request = calls[0]!;
    assert.deepEqual(request.addresses, [
      { address: '93.184.215.14', family: 4 },
      { address: '2606:4700::6810:84e5', family: 6 },
    ]);
    assert.equal(request.hostname, 'public.test');
    assert.equal(request.headers.host, 'public.test:8443');
    assert.equal(request.url.href, 'https://public.test:8443/saml/metadata?x=1');
  });

  it('requires https and refuses credentials and malformed URLs', async () => {
    for (const url of ['ftp://public.test/m', 'file:///etc/passwd', 'data:text/xml,<x/>', 'javascript:alert(1)', 'ws://public.test/']) {
      await refusal(prod().fetchDocument(url, 'saml-metadata'), 'metadata_url_refused', 'scheme');
    }
    await refusal(prod().fetchDocument('https://admin:secret@public.test/m', 'saml-metadata'), 'metadata_url_refused', 'credentials');
    await refusal(prod().fetchDocument('https://user@public.test/m', 'saml-metadata'), 'metadata_url_refused', 'credentials');
    await refusal(prod().fetchDocument('not a url', 'saml-metadata'), 'metadata_url_refused', 'invalid_url');
    await refusal(prod().fetchDocument('', 'oidc-discovery'), 'metadata_url_refused', 'invalid_url');
  });
});
