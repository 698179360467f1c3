/// <reference types="node" />
/** Starts the real app on a free loopback port, with a controllable clock. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { createApp, type AppOptions } from '../../src/server/app.js';
import { listen, type Listening } from '../../src/server/listen.js';
import { JsonFileStore } from '../../src/server/store/json-file-store.js';
import { MemoryStore, type Store } from '../../src/server/store/store.js';
import { openTestDatabase } from '../support/test-database.js';

export const ADMIN_KEY = 'test-admin-key-0123456789';

export interface Answer {
  status: number;
  contentType: string | null;
  body: any;
  text: string;
}

export interface Harness {
  origin: string;
  store: Store;
  clock: { now: Date; advance(ms: number): void };
  request(method: string, path: string, init?: { token?: string; body?: unknown; rawBody?: string }): Promise<Answer>;
  admin(method: string, path: string, body?: unknown): Promise<Answer>;
  portal(token: string, method: string, path: string, body?: unknown): Promise<Answer>;
  /** Creates an organization and a link; returns their ids and the token. */
  organization(name: string, lifetimeHours?: number): Promise<{ orgId: string; linkId: string; token: string }>;
  close(): Promise<void>;
  server: Listening;
}

export async function startHarness(options: Partial<AppOptions> = {}): Promise<Harness> {
  const store = options.store ?? new MemoryStore();
  // Real logins keep their state in a database: a fresh one when none is given, closed with the harness.
  const ownDatabase = options.logins && !options.database ? await openTestDatabase() : undefined;
  const clock = {
    now: new Date('2026-03-01T10:00:00.000Z'),
    advance(ms: number) {
      this.now = new Date(this.now.getTime() + ms);
    },
  };
  const app = createApp({ adminKey: ADMIN_KEY, publicBaseUrl: 'http://127.0.0.1:1', now: () => clock.now, ...options, store, database: options.database ?? ownDatabase });
  const server = await listen(app.fetch, { hostname: '127.0.0.1', port: 0 });

  const request: Harness['request'] = async (method, path, init = {}) => {
    const headers: Record<string, string> = {};
    if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
    let body: string | undefined = init.rawBody;
    if (init.body !== undefined) body = JSON.stringify(init.body);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${server.origin}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: `text` has it
    }
    return { status: response.status, contentType: response.headers.get('content-type'), body: parsed, text };
  };
  const admin: Harness['admin'] = (method, path, body) => request(method, path, { token: ADMIN_KEY, body });
  const portal: Harness['portal'] = (token, method, path, body) => request(method, path, { token, body });

  return {
    origin: server.origin,
    store,
    clock,
    request,
    admin,
    portal,
    async organization(name, lifetimeHours) {
      const org = await admin('POST', '/api/admin/organizations', { name });
      if (org.status !== 201) throw new Error(`organization: ${org.text}`);
      const link = await admin('POST', `/api/admin/organizations/${org.body.id}/links`, lifetimeHours === undefined ? {} : { lifetimeHours });
      if (link.status !== 201) throw new Error(`link: ${link.text}`);
      return { orgId: org.body.id as string, linkId: link.body.id as string, token: link.body.token as string };
    },
    async close() {
      await server.close();
      await ownDatabase?.close();
    },
    server,
  };
}

export const OIDC_INPUT = {
  protocol: 'oidc',
  providerId: 'okta',
  name: 'Okta OIDC',
  oidc: { issuer: 'https://megacorp.okta.example', clientId: 'client-123', clientSecret: 'TOP-SECRET-VALUE-42' },
};

/**
 * A maker of temporary folders named `sso-portal-<prefix>-…`, all removed after the test file
 * (node:test `after`). Call it at the top of a test file.
 */
export function temporaryFolders(prefix: string): () => Promise<string> {
  const dirs: string[] = [];
  after(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), `sso-portal-${prefix}-`));
    dirs.push(dir);
    return dir;
  };
}

/** A data folder whose `store.json` holds one organization with one OIDC connection (its client secret encrypted), closed. */
export async function storeWithOneClientSecret(dir: string): Promise<{ orgId: string }> {
  const first = await startHarness({ store: await JsonFileStore.open(dir) });
  const { orgId, token } = await first.organization('Megacorp');
  await first.portal(token, 'POST', '/api/portal/connections', OIDC_INPUT);
  await first.close();
  await first.store.close();
  return { orgId };
}
