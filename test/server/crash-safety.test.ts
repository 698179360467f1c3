/// <reference types="node" />
/**
 * Crash safety of the real server process (`src/server/main.ts`) on the run's database (PGlite in
 * a data folder, or PostgreSQL with `SSO_PORTAL_TEST_DATABASE=postgres`): in each iteration
 * (see below for how many), clients write concurrently (create connections, update them with the version
 * they know) and the server is killed with SIGKILL after a random number of answered writes,
 * with writes still in flight; then it is started again. It must start every time, and every
 * write answered 2xx must be there (a write that was in flight may or may not have landed).
 *
 * SSO_PORTAL_CRASH_ITERATIONS sets the number of iterations: default 100 on PGlite (the embedded
 * default, whose files our process writes itself) and 30 on PostgreSQL (a separate server whose
 * durability is its own; what is ours, answering only after the commit, is the same code on
 * both), which keeps CI's two passes of the server suite in its time budget. The server is started
 * from its bundle (test/support/server-entry.ts): the same code, loaded faster.
 */
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { test } from 'node:test';
import { createPostgresDatabase, testDatabaseKind } from '../support/test-database.js';
import { ADMIN_KEY, temporaryFolders } from './helpers.js';
import { bundledEntry } from '../support/server-entry.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

const ITERATIONS = Number(process.env.SSO_PORTAL_CRASH_ITERATIONS || (testDatabaseKind() === 'postgres' ? 30 : 100));
const WRITERS = 6;
const tempDir = temporaryFolders('crash');

async function call(origin: string, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

test(`${ITERATIONS} times SIGKILL during concurrent writes: the server starts again and every answered write is there`, { timeout: 60 * 60 * 1000 }, async () => {
  const env: NodeJS.ProcessEnv = { SSO_PORTAL_DATA_DIR: await tempDir(), SSO_PORTAL_ADMIN_KEY: ADMIN_KEY, SSO_PORTAL_DEMO: '' };
  if (testDatabaseKind() === 'postgres') env.DATABASE_URL = await createPostgresDatabase();
  // Bundled once: a hundred starts through tsx's loader would cost a hundred seconds of CPU.
  const start = async () => startServerProcess(env, { bundled: await bundledEntry('main') });

  // The organization and its link, once.
  let server: ServerProcess = await start();
  const org = await call(server.origin, ADMIN_KEY, 'POST', '/api/admin/organizations', { name: 'Crash test' });
  assert.equal(org.status, 201, JSON.stringify(org.json));
  const link = await call(server.origin, ADMIN_KEY, 'POST', `/api/admin/organizations/${String(org.json.id)}/links`, {});
  assert.equal(link.status, 201, JSON.stringify(link.json));
  const token = String(link.json.token);

  /** Connection id -> the version of its last answered write. */
  const answered = new Map<string, number>();
  let answeredWrites = 0;

  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    if (iteration > 0) server = await start();
    const { origin, child, exited } = server;

    // Every answered write is there (in-flight ones may have landed too: versions only grow).
    const listed = await call(origin, token, 'GET', '/api/portal/connections');
    assert.equal(listed.status, 200, JSON.stringify(listed.json));
    const versions = new Map((listed.json as unknown as { id: string; version: number }[]).map((c) => [c.id, c.version]));
    for (const [id, version] of answered) {
      const found = versions.get(id);
      assert.ok(found !== undefined, `iteration ${iteration}: connection ${id} (answered 2xx) is missing after the restart`);
      assert.ok(found >= version, `iteration ${iteration}: connection ${id} is at version ${found}, but version ${version} was answered`);
      answered.set(id, found);
    }

    // Writes until SIGKILL, which comes after a random number of answered writes.
    const killAfter = randomInt(1, 16);
    let answeredHere = 0;
    let killed = false;
    const kill = () => {
      if (!killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    const writer = async (w: number) => {
      for (let k = 0; !killed; k++) {
        const known = [...answered.keys()];
        try {
          if (known.length < 20 || k % 2 === 0) {
            const created = await call(origin, token, 'POST', '/api/portal/connections', { protocol: 'saml', providerId: 'okta', name: `c${iteration}-${w}-${k}` });
            if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.json)}`);
            answered.set(String(created.json.id), Number(created.json.version));
          } else {
            const id = known[randomInt(known.length)]!;
            const version = answered.get(id)!;
            const updated = await call(origin, token, 'PATCH', `/api/portal/connections/${id}`, { version, changes: { name: `u${iteration}-${w}-${k}` } });
            // Another writer updated it first: not an answered write of ours.
            if (updated.status === 409) continue;
            if (updated.status !== 200) throw new Error(`update: ${updated.status} ${JSON.stringify(updated.json)}`);
            answered.set(id, Math.max(Number(updated.json.version), answered.get(id) ?? 0));
          }
        } catch (error) {
          if (killed) return; // the request died with the server
          throw error;
        }
        answeredWrites += 1;
        if (++answeredHere >= killAfter) kill();
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    await exited;
  }
  assert.ok(answeredWrites >= ITERATIONS, `only ${answeredWrites} writes were answered`);
});
