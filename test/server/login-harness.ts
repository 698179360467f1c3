/// <reference types="node" />
/**
 * The whole mock server as `main.ts` builds it (`createMockServer`), on a free 127.0.0.1 port
 * with the real clock: real test logins (SAML SP, OIDC RP), the IdP simulators, the demo pages.
 * Simulator keys in memory (the same for every app of the process). Logins in flight, the replay
 * cache and sessions in `database` (default: a fresh test database, closed with the server).
 *
 * `addInstance()` builds a second app on the same address, store and database (two instances
 * behind one load balancer); `routeTo` picks which one answers a request.
 */
import { openDatabase, type Database } from '../../src/server/db/database.js';
import type { PortalApp } from '../../src/server/app.js';
import { listen, type Listening } from '../../src/server/listen.js';
import { createMockServer, type MockServer, type MockServerOptions } from '../../src/server/mock-server.js';
import { createSafeFetcher } from '../../src/server/safe-fetch.js';
import type { Store } from '../../src/server/store/store.js';
import { createPostgresDatabase, openTestDatabase, testDatabaseKind } from '../support/test-database.js';
import { ADMIN_KEY, testSecretBox } from './helpers.js';

export interface LoginServer {
  origin: string;
  app: PortalApp['app'];
  saml: MockServer['saml'];
  oidc: MockServer['oidc'];
  server: Listening;
  store: Store;
  database: Database;
  /** Another app on the same address and database (closed with this server). */
  addInstance(options?: { database?: Database }): Promise<MockServer>;
  /** Which app answers a request (undefined: the first one). */
  routeTo(pick: ((url: URL) => MockServer | undefined) | undefined): void;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; text: string }>;
  portal(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any; text: string }>;
  organization(name: string): Promise<{ orgId: string; token: string }>;
  close(): Promise<void>;
}

/** `port`: listen there (a restart on the same address), default a free one. */
export async function startLoginServer(options: Partial<MockServerOptions> & { port?: number } = {}): Promise<LoginServer> {
  const { port = 0, ...mockOptions } = options;
  const ready: { app?: PortalApp['app']; pick?: (url: URL) => MockServer | undefined } = {};
  const server = await listen(
    (request: Request, env: unknown) => {
      const app = ready.pick?.(new URL(request.url))?.app ?? ready.app;
      return app ? app.fetch(request, env) : new Response('Starting', { status: 503 });
    },
    { port },
  );
  const publicBaseUrl = server.origin;
  const database = mockOptions.database ?? (await openTestDatabase());
  const ownDatabase = mockOptions.database ? undefined : database;
  const secrets = mockOptions.secrets ?? testSecretBox();
  // As main.ts builds it; documents (OIDC discovery too) through the SSRF guard, loopback allowed in dev mode.
  const build = (extra: Partial<MockServerOptions> = {}) =>
    createMockServer({
      adminKey: ADMIN_KEY,
      publicBaseUrl,
      fetchDocument: createSafeFetcher({ devMode: true }).fetchDocument,
      dataDir: null,
      demo: true,
      ...mockOptions,
      database,
      secrets,
      ...extra,
    });
  const mock = await build();
  const { app, saml, oidc, store } = mock;
  ready.app = app;
  const instances: MockServer[] = [];

  const call = async (method: string, path: string, token: string | undefined, body?: unknown) => {
    const response = await fetch(`${publicBaseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        origin: publicBaseUrl,
        // No kept-alive socket outlives a restart on the same port (see FormBrowser).
        connection: 'close',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: response.status, body: parsed as any, text };
  };
  const admin = (method: string, path: string, body?: unknown) => call(method, path, ADMIN_KEY, body);
  return {
    origin: publicBaseUrl,
    app,
    saml,
    oidc,
    server,
    store,
    database,
    async addInstance(extra = {}) {
      const instance = await build(extra);
      instances.push(instance);
      return instance;
    },
    routeTo(pick) {
      ready.pick = pick;
    },
    admin,
    portal: (token, method, path, body) => call(method, path, token, body),
    async organization(name) {
      const org = await admin('POST', '/api/admin/organizations', { name });
      const link = await admin('POST', `/api/admin/organizations/${org.body.id}/links`, {});
      return { orgId: org.body.id as string, token: link.body.token as string };
    },
    async close() {
      await server.close();
      await mock.close();
      for (const instance of instances) await instance.close();
      await ownDatabase?.close();
    },
  };
}

/**
 * One test database for several apps, as several processes would share it: on PostgreSQL each
 * `connect()` is a new pool on the same database; PGlite (one process per database) gives the same
 * instance every time. `close()` closes them all.
 */
export async function sharedTestDatabase(): Promise<{ connect(): Promise<Database>; close(): Promise<void> }> {
  const opened: Database[] = [];
  if (testDatabaseKind() === 'postgres') {
    const url = await createPostgresDatabase();
    return {
      async connect() {
        const database = await openDatabase({ kind: 'postgres', url, maxConnections: 5 });
        opened.push(database);
        return database;
      },
      close: async () => void (await Promise.all(opened.map((d) => d.close()))),
    };
  }
  const database = await openTestDatabase('pglite');
  return { connect: () => Promise.resolve(database), close: () => database.close() };
}
