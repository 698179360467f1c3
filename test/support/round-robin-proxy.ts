/// <reference types="node" />
/**
 * A small load balancer for tests and the server bench: an HTTP server on 127.0.0.1 that sends
 * each request to the next of its upstreams in turn (round robin, per request, not per
 * connection), so consecutive requests of one browser or client land on different instances
 * (paths can be pinned to one upstream instead).
 * Requests and answers pass through unchanged (redirects are not followed); the client's
 * address goes to the upstream as `X-Forwarded-For`. An upstream that cannot be reached answers
 * 502. Upstreams must be loopback origins.
 */
import { request as httpRequest, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoundRobinProxy {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** How many requests went to each upstream, in the order given. */
  counts: number[];
  /** Every request: its method and path, and the index of the upstream that got it. */
  log: { method: string; path: string; upstream: number }[];
  /**
   * Sets the upstreams (`http://127.0.0.1:<port>` origins); until then requests answer 503.
   * For servers that must know the proxy's origin (their public URL) before they start.
   */
  setUpstreams(origins: readonly string[]): void;
  close(): Promise<void>;
}

export interface RoundRobinProxyOptions {
  /**
   * Requests whose path this returns an upstream index for always go there and do not take a
   * turn (e.g. an IdP mounted on the same servers, which plays another party in a test).
   */
  pin?: (path: string) => number | undefined;
}

export async function startRoundRobinProxy(upstreams: readonly string[] = [], options: RoundRobinProxyOptions = {}): Promise<RoundRobinProxy> {
  let targets: URL[] = [];
  const counts: number[] = [];
  const log: RoundRobinProxy['log'] = [];
  const setUpstreams = (origins: readonly string[]) => {
    targets = origins.map((origin) => {
      const url = new URL(origin);
      if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') throw new Error(`Upstreams must be on the loopback, not ${origin}.`);
      return url;
    });
    counts.length = 0;
    counts.push(...targets.map(() => 0));
  };
  setUpstreams(upstreams);
  let next = 0;

  const forward = (incoming: IncomingMessage, outgoing: ServerResponse) => {
    if (targets.length === 0) {
      outgoing.writeHead(503, { 'content-type': 'text/plain' }).end('No upstream yet');
      return;
    }
    const path = incoming.url ?? '/';
    const pinned = options.pin?.(new URL(path, 'http://proxy').pathname);
    let index: number;
    if (pinned !== undefined && pinned < targets.length) {
      index = pinned;
    } else {
      index = next % targets.length;
      next = (index + 1) % targets.length;
    }
    counts[index]! += 1;
    log.push({ method: incoming.method ?? 'GET', path, upstream: index });
    const target = targets[index]!;
    const forwardedFor = [incoming.headers['x-forwarded-for'], incoming.socket.remoteAddress].filter(Boolean).join(', ');
    const upstream = httpRequest(
      {
        hostname: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, 'x-forwarded-for': forwardedFor },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
        answer.pipe(outgoing);
      },
    );
    upstream.once('error', () => {
      if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'text/plain' });
      outgoing.end('Bad gateway');
    });
    incoming.pipe(upstream);
  };

  const server = createServer(forward);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    counts,
    log,
    setUpstreams,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
