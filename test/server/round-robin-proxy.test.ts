/// <reference types="node" />
// Database: none. It never opens one, so the PostgreSQL pass of the server suite leaves it out (scripts/server-tests.mjs).
/** The test load balancer itself: each request goes to the next upstream, bodies and statuses pass through. */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { startRoundRobinProxy } from '../support/round-robin-proxy.js';

async function upstream(name: string): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      res.writeHead(req.url === '/redirect' ? 302 : 200, { 'content-type': 'application/json', ...(req.url === '/redirect' ? { location: '/elsewhere' } : {}) });
      res.end(JSON.stringify({ name, method: req.method, url: req.url, body, forwardedFor: req.headers['x-forwarded-for'] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

test('requests alternate between the upstreams and pass through unchanged', async () => {
  const a = await upstream('a');
  const b = await upstream('b');
  const proxy = await startRoundRobinProxy([a.origin, b.origin]);
  after(async () => {
    await proxy.close();
    a.server.close();
    b.server.close();
  });
  const names: string[] = [];
  for (let i = 0; i < 4; i++) {
    const answer = await fetch(`${proxy.origin}/echo?i=${i}`, { method: 'POST', body: `body ${i}` });
    const json = (await answer.json()) as { name: string; method: string; url: string; body: string; forwardedFor: string };
    assert.equal(json.method, 'POST');
    assert.equal(json.url, `/echo?i=${i}`);
    assert.equal(json.body, `body ${i}`);
    assert.equal(json.forwardedFor, '127.0.0.1');
    names.push(json.name);
  }
  assert.deepEqual(names, ['a', 'b', 'a', 'b']);
  assert.deepEqual(proxy.counts, [2, 2]);
  const redirect = await fetch(`${proxy.origin}/redirect`, { redirect: 'manual' });
  assert.equal(redirect.status, 302);
  assert.equal(redirect.headers.get('location'), '/elsewhere');
});

test('pinned paths always go to their upstream and do not take a turn; no upstream yet answers 503', async () => {
  const a = await upstream('a');
  const b = await upstream('b');
  const proxy = await startRoundRobinProxy([], { pin: (path) => (path.startsWith('/idp/') ? 1 : undefined) });
  after(async () => {
    await proxy.close();
    a.server.close();
    b.server.close();
  });
  assert.equal((await fetch(`${proxy.origin}/x`)).status, 503);
  proxy.setUpstreams([a.origin, b.origin]);
  const names: string[] = [];
  for (const path of ['/one', '/idp/login', '/two', '/idp/x?y', '/three']) names.push(((await (await fetch(`${proxy.origin}${path}`)).json()) as { name: string }).name);
  assert.deepEqual(names, ['a', 'b', 'b', 'b', 'a']);
  assert.deepEqual(
    proxy.log.map((l) => `${l.path}@${l.upstream}`),
    ['/one@0', '/idp/login@1', '/two@1', '/idp/x?y@1', '/three@0'],
  );
});

test('an upstream that is down answers 502', async () => {
  const a = await upstream('a');
  const downOrigin = a.origin;
  await new Promise<void>((resolve) => a.server.close(() => resolve()));
  const proxy = await startRoundRobinProxy([downOrigin]);
  after(() => proxy.close());
  const answer = await fetch(`${proxy.origin}/`);
  assert.equal(answer.status, 502);
});

test('only loopback upstreams are accepted', async () => {
  await assert.rejects(startRoundRobinProxy(['http://example.com:80']), /loopback/);
});
