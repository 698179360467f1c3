/// <reference types="node" />
/** Starts a Hono app on Node (used by `main.ts` and the tests). */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';

type FetchHandler = (request: Request, env: never) => Response | Promise<Response>;

export interface Listening {
  server: ServerType;
  port: number;
  /** `http://host:port`. */
  origin: string;
  /** Stops accepting connections, ends idle ones, and resolves once the server is closed. */
  close(): Promise<void>;
}

export function listen(fetch: FetchHandler, { hostname = '127.0.0.1', port = 0 } = {}): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: fetch as Parameters<typeof serve>[0]['fetch'], hostname, port }, (info: AddressInfo) => {
      server.off('error', reject);
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        server,
        port: info.port,
        origin: `http://${host}:${info.port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            if ('closeIdleConnections' in server) server.closeIdleConnections();
          }),
      });
    });
    server.once('error', reject);
  });
}
