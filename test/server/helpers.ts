/// <reference types="node" />
/** Starts the real app on a free loopback port, with a controllable clock. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { randomBytes } from 'node:crypto';
import { MemoryAdapter } from '../../src/adapters/memory-adapter.js';
import type { ConnectionInput } from '../../src/core/model.js';
import { createPortalApp, type AppOptions } from '../../src/server/app.js';
import type { Database } from '../../src/server/db/database.js';
import { listen, type Listening } from '../../src/server/listen.js';
import type { DeliveryWorker } from '../../src/server/webhooks/delivery-worker.js';
import { createSecretBox, type SecretBox } from '../../src/server/secret-box.js';
import { JsonFileStore } from '../../src/server/store/json-file-store.js';
import type { Store } from '../../src/server/store/store.js';
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
  database: Database;
  secrets: SecretBox;
  clock: { now: Date; advance(ms: number): void };
  request(method: string, path: string, init?: { token?: string; body?: unknown; rawBody?: string }): Promise<Answer>;
  admin(method: string, path: string, body?: unknown): Promise<Answer>;
  portal(token: string, method: string, path: string, body?: unknown): Promise<Answer>;
  /** Creates an organization and a link; returns their ids and the token. */
  organization(name: string, lifetimeHours?: number): Promise<{ orgId: string; linkId: string; token: string }>;
  /** Stops the server; closes the database when the harness opened it. */
  close(): Promise<void>;
  server: Listening;
  /** The app's webhook delivery worker, when `webhooks.worker` was given. */
  webhookWorker?: DeliveryWorker;
}

/** A SecretBox with a random key (tests). */
export const testSecretBox = (): SecretBox => createSecretBox(randomBytes(32));

/**
 * The app on a free loopback port. Without `database`, a fresh test database (`openTestDatabase`:
 * PGlite in memory, or PostgreSQL with `SSO_PORTAL_TEST_DATABASE=postgres`), closed by `close()`.
 */
export async function startHarness(options: Partial<AppOptions> = {}): Promise<Harness> {
  const ownDatabase = options.database === undefined;
  const database = options.database ?? (await openTestDatabase());
  const secrets = options.secrets ?? testSecretBox();
  const clock = {
    now: new Date('2026-03-01T10:00:00.000Z'),
    advance(ms: number) {
      this.now = new Date(this.now.getTime() + ms);
    },
  };
  const { app, store, webhookWorker } = createPortalApp({ adminKey: ADMIN_KEY, publicBaseUrl: 'http://127.0.0.1:1', now: () => clock.now, ...options, database, secrets });
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
    database,
    secrets,
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
      await webhookWorker?.stop();
      if (ownDatabase) await database.close();
    },
    server,
    ...(webhookWorker ? { webhookWorker } : {}),
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

/**
 * A data folder of an earlier version: its `store.json` holds one organization with one OIDC
 * connection (its client secret encrypted with the folder's `secrets.key`), closed.
 */
export async function storeWithOneClientSecret(dir: string): Promise<{ orgId: string }> {
  const store = await JsonFileStore.open(dir);
  const orgId = 'org_megacorp';
  const connection = await new MemoryAdapter().createConnection(OIDC_INPUT as ConnectionInput);
  await store.putOrganization({ id: orgId, name: 'Megacorp', branding: { name: 'Acme' }, createdAt: '2026-03-01T10:00:00.000Z' });
  await store.putOrganizationData(orgId, { connections: [connection], domains: [], tests: [], secrets: { [connection.id]: OIDC_INPUT.oidc.clientSecret } });
  await store.close();
  return { orgId };
}
