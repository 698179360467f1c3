/// <reference types="node" />
/**
 * The whole mock server as `main.ts` builds it (`createMockServer`), on a free 127.0.0.1 port
 * with the real clock: real test logins (SAML SP, OIDC RP), the IdP simulators, the demo pages.
 * Simulator keys in memory. Without `database`, a fresh test database, closed by `close()`.
 */
import type { PortalApp } from '../../src/server/app.js';
import { listen, type Listening } from '../../src/server/listen.js';
import { createMockServer, type MockServer, type MockServerOptions } from '../../src/server/mock-server.js';
import { createSafeFetcher } from '../../src/server/safe-fetch.js';
import type { Store } from '../../src/server/store/store.js';
import { openTestDatabase } from '../support/test-database.js';
import { ADMIN_KEY, testSecretBox } from './helpers.js';

export interface LoginServer {
  origin: string;
  app: PortalApp['app'];
  saml: MockServer['saml'];
  oidc: MockServer['oidc'];
  server: Listening;
  store: Store;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; text: string }>;
  portal(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any; text: string }>;
  organization(name: string): Promise<{ orgId: string; token: string }>;
  close(): Promise<void>;
}

/** `port`: listen there (a restart on the same address), default a free one. */
export async function startLoginServer(options: Partial<MockServerOptions> & { port?: number } = {}): Promise<LoginServer> {
  const { port = 0, ...mockOptions } = options;
  const ready: { app?: PortalApp['app'] } = {};
  const server = await listen((request: Request, env: unknown) => (ready.app ? ready.app.fetch(request, env) : new Response('Starting', { status: 503 })), { port });
  const publicBaseUrl = server.origin;
  const ownDatabase = mockOptions.database === undefined;
  const database = mockOptions.database ?? (await openTestDatabase());
  // As main.ts builds it; documents (OIDC discovery too) through the SSRF guard, loopback allowed in dev mode.
  const mock = await createMockServer({
    adminKey: ADMIN_KEY,
    publicBaseUrl,
    fetchDocument: createSafeFetcher({ devMode: true }).fetchDocument,
    dataDir: null,
    demo: true,
    ...mockOptions,
    database,
    secrets: mockOptions.secrets ?? testSecretBox(),
  });
  const { app, saml, oidc, store } = mock;
  ready.app = app;

  const call = async (method: string, path: string, token: string | undefined, body?: unknown) => {
    const response = await fetch(`${publicBaseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        origin: publicBaseUrl,
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
      if (ownDatabase) await database.close();
    },
  };
}
