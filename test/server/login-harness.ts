/// <reference types="node" />
/**
 * The whole mock server as `main.ts` builds it (`createMockServer`), on a free 127.0.0.1 port
 * with the real clock: real test logins (SAML SP, OIDC RP), the IdP simulators, the demo pages.
 * Simulator keys in memory.
 */
import type { PortalApp } from '../../src/server/app.js';
import { listen, type Listening } from '../../src/server/listen.js';
import { createMockServer, type MockServer, type MockServerOptions } from '../../src/server/mock-server.js';
import { createSafeFetcher } from '../../src/server/safe-fetch.js';
import { MemoryStore } from '../../src/server/store/store.js';
import { ADMIN_KEY } from './helpers.js';

export interface LoginServer {
  origin: string;
  app: PortalApp['app'];
  saml: MockServer['saml'];
  oidc: MockServer['oidc'];
  server: Listening;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; text: string }>;
  portal(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any; text: string }>;
  organization(name: string): Promise<{ orgId: string; token: string }>;
  close(): Promise<void>;
}

export async function startLoginServer(options: Partial<MockServerOptions> = {}): Promise<LoginServer> {
  const ready: { app?: PortalApp['app'] } = {};
  const server = await listen((request: Request, env: unknown) => (ready.app ? ready.app.fetch(request, env) : new Response('Starting', { status: 503 })));
  const publicBaseUrl = server.origin;
  // As main.ts builds it; documents (OIDC discovery too) through the SSRF guard, loopback allowed in dev mode.
  const mock = await createMockServer({
    store: new MemoryStore(),
    adminKey: ADMIN_KEY,
    publicBaseUrl,
    fetchDocument: createSafeFetcher({ devMode: true }).fetchDocument,
    dataDir: null,
    demo: true,
    ...options,
  });
  const { app, saml, oidc } = mock;
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
    },
  };
}
