/// <reference types="node" />
/**
 * `npm run bench:server`: the server's throughput, measured, never asserted. For each setup —
 * PGlite (the embedded default), PostgreSQL with one instance, PostgreSQL with two instances
 * behind a round-robin proxy — it starts `src/server/main.ts` as real processes on 127.0.0.1
 * (PostgreSQL: a throw-away cluster, `test/support/postgres-cluster.ts`), makes one organization,
 * portal link and OIDC connection per client, and then has CONCURRENCY clients (default 50)
 * send portal reads (`GET /api/portal/connections`) and then connection updates (`PATCH` with
 * the version read), each client on its own connection. Prints requests/s, p50 and p99
 * latency, errors, and each server's resident memory (RSS) before and after.
 *
 * Options (environment): BENCH_CONCURRENCY (50), BENCH_READS (2000), BENCH_UPDATES (1000),
 * BENCH_SETUPS (comma list of `pglite`, `postgres`, `postgres-2`; default all).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { startPostgresCluster, type PostgresCluster } from '../test/support/postgres-cluster.js';
import { startRoundRobinProxy } from '../test/support/round-robin-proxy.js';
import { startServerProcess, type ServerProcess } from '../test/support/server-process.js';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 50);
const READS = Number(process.env.BENCH_READS || 2000);
const UPDATES = Number(process.env.BENCH_UPDATES || 1000);
const SETUPS = (process.env.BENCH_SETUPS || 'pglite,postgres,postgres-2').split(',').map((s) => s.trim());
const ADMIN_KEY = `bench-${randomBytes(16).toString('hex')}`;
const SECRET_KEY = randomBytes(32).toString('base64url');

function rssMb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

async function startServer(env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sso-portal-bench-'));
  const server = await startServerProcess({ SSO_PORTAL_DATA_DIR: dataDir, SSO_PORTAL_ADMIN_KEY: ADMIN_KEY, SSO_PORTAL_SECRET_KEY: SECRET_KEY, SSO_PORTAL_DEMO: '', ...env });
  return {
    ...server,
    async stop() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The fields of the answers the bench reads. */
interface Answer {
  id: string;
  token: string;
  version: number;
}

async function call(origin: string, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Answer }> {
  const response = await fetch(`${origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : {}) as Answer };
}

interface Client {
  token: string;
  connectionId: string;
  version: number;
}

async function setUpClients(origin: string, count: number): Promise<Client[]> {
  const clients: Client[] = [];
  for (let i = 0; i < count; i++) {
    const org = await call(origin, ADMIN_KEY, 'POST', '/api/admin/organizations', { name: `Bench ${i}` });
    if (org.status !== 201) throw new Error(`organization: ${org.status} ${JSON.stringify(org.json)}`);
    const link = await call(origin, ADMIN_KEY, 'POST', `/api/admin/organizations/${org.json.id}/links`, {});
    if (link.status !== 201) throw new Error(`link: ${link.status} ${JSON.stringify(link.json)}`);
    const connection = await call(origin, link.json.token, 'POST', '/api/portal/connections', {
      protocol: 'oidc',
      providerId: 'okta',
      name: `Bench ${i}`,
      oidc: { issuer: `https://bench-${i}.okta.example`, clientId: `client-${i}`, clientSecret: `secret-${i}` },
    });
    if (connection.status !== 201) throw new Error(`connection: ${connection.status} ${JSON.stringify(connection.json)}`);
    clients.push({ token: link.json.token, connectionId: connection.json.id, version: connection.json.version });
  }
  return clients;
}

interface Figures {
  requests: number;
  errors: number;
  seconds: number;
  p50: number;
  p99: number;
}

/** `total` requests spread over the clients, each client one request at a time. */
async function load(clients: Client[], total: number, one: (client: Client, i: number) => Promise<boolean>): Promise<Figures> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      while (next < total) {
        const i = next++;
        const t = performance.now();
        const ok = await one(client, i).catch(() => false);
        latencies.push(performance.now() - t);
        if (!ok) errors += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return { requests: latencies.length, errors, seconds, p50: at(0.5), p99: at(0.99) };
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

function row(setup: string, what: string, f: Figures, rss: string): void {
  console.log(
    `${setup.padEnd(26)}${what.padEnd(20)}${fmt(f.requests / f.seconds, 0).padStart(8)}${fmt(f.p50).padStart(9)}${fmt(f.p99).padStart(9)}${String(f.errors).padStart(8)}  ${rss}`,
  );
}

async function benchSetup(name: string, servers: ServerProcess[], origin: string): Promise<void> {
  const rssBefore = servers.map((s) => fmt(rssMb(s.child.pid), 0)).join(' + ');
  const clients = await setUpClients(origin, CONCURRENCY);
  const reads = await load(clients, READS, async (client) => (await call(origin, client.token, 'GET', '/api/portal/connections')).status === 200);
  const updates = await load(clients, UPDATES, async (client, i) => {
    const answer = await call(origin, client.token, 'PATCH', `/api/portal/connections/${client.connectionId}`, { version: client.version, changes: { name: `Bench update ${i}` } });
    if (answer.status === 200) client.version = answer.json.version;
    return answer.status === 200;
  });
  const rssAfter = servers.map((s) => fmt(rssMb(s.child.pid), 0)).join(' + ');
  row(name, 'portal reads', reads, `RSS ${rssBefore} MB before`);
  row(name, 'connection updates', updates, `RSS ${rssAfter} MB after`);
}

console.log(`Concurrency ${CONCURRENCY}: ${READS} reads, then ${UPDATES} updates (one organization, link and connection per client).\n`);
console.log(`${'setup'.padEnd(26)}${'requests'.padEnd(20)}${'req/s'.padStart(8)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'errors'.padStart(8)}  memory`);

let cluster: PostgresCluster | undefined;
try {
  for (const setup of SETUPS) {
    if (setup === 'pglite') {
      const server = await startServer({});
      try {
        await benchSetup('PGlite, 1 instance', [server], server.origin);
      } finally {
        await server.stop();
      }
    } else if (setup === 'postgres' || setup === 'postgres-2') {
      cluster ??= await startPostgresCluster();
      const url = await cluster.createDatabase(`bench_${setup.replace('-', '_')}`);
      const count = setup === 'postgres' ? 1 : 2;
      const servers: ServerProcess[] = [];
      try {
        for (let i = 0; i < count; i++) servers.push(await startServer({ DATABASE_URL: url }));
        const proxy = count > 1 ? await startRoundRobinProxy(servers.map((s) => s.origin)) : undefined;
        try {
          await benchSetup(`PostgreSQL, ${count} instance${count > 1 ? 's' : ''}`, servers, proxy?.origin ?? servers[0]!.origin);
        } finally {
          await proxy?.close();
        }
      } finally {
        await Promise.all(servers.map((s) => s.stop()));
      }
    } else {
      throw new Error(`BENCH_SETUPS: unknown setup ${JSON.stringify(setup)} (pglite, postgres, postgres-2).`);
    }
  }
} finally {
  await cluster?.stop();
}
