/// <reference types="node" />
/** Starts a Hono app on Node (used by `main.ts` and the tests). */
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';

type FetchHandler = (request: Request, env: never) => Response | Promise<Response>;

export interface Listening {
  server: ServerType;
  port: number;
  /** `http://host:port`. */
  origin: string;
  /**
   * Stops accepting connections, ends idle ones, lets requests in flight finish (their
   * connections close after the answer), and resolves once the server is closed. With
   * `graceMs`, requests still running after that long are cut (`onCut` is told how many).
   */
  close(options?: { graceMs?: number; onCut?: (requests: number) => void }): Promise<void>;
}

/** Default of `SSO_PORTAL_SHUTDOWN_GRACE_MS`: how long requests in flight may take to finish at shutdown. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/** `SSO_PORTAL_SHUTDOWN_GRACE_MS` (milliseconds, a whole number); a bad value is a start error. */
export function shutdownGraceFromEnv(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_SHUTDOWN_GRACE_MS;
  const ms = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(ms)) {
    throw new Error(`SSO_PORTAL_SHUTDOWN_GRACE_MS must be a number of milliseconds (0 or more), not "${value}".`);
  }
  return ms;
}

export function listen(fetch: FetchHandler, { hostname = '127.0.0.1', port = 0 } = {}): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const inFlight = new Set<ServerResponse>();
    let closing = false;
    const server = serve({ fetch: fetch as Parameters<typeof serve>[0]['fetch'], hostname, port }, (info: AddressInfo) => {
      server.off('error', reject);
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        server,
        port: info.port,
        origin: `http://${host}:${info.port}`,
        close: ({ graceMs, onCut } = {}) =>
          new Promise<void>((done, fail) => {
            closing = true;
            // Answers still to come close their connection: a keep-alive client does not hold the server open.
            for (const response of inFlight) if (!response.headersSent) response.setHeader('connection', 'close');
            const timer =
              graceMs === undefined
                ? undefined
                : setTimeout(() => {
                    if (inFlight.size > 0) onCut?.(inFlight.size);
                    if ('closeAllConnections' in server) server.closeAllConnections();
                  }, graceMs);
            server.close((error) => {
              clearTimeout(timer);
              if (error) fail(error);
              else done();
            });
            if ('closeIdleConnections' in server) server.closeIdleConnections();
          }),
      });
    });
    server.on('request', (_request, response: ServerResponse) => {
      // A request on a kept-alive connection after the close began: its connection ends with it.
      if (closing) response.setHeader('connection', 'close');
      inFlight.add(response);
      response.once('close', () => inFlight.delete(response));
    });
    server.once('error', reject);
  });
}
