/// <reference types="node" />
/** `npm run server` (src/server/main.ts, bundled: test/support/server-entry.ts) as a child process on 127.0.0.1 with PORT=0, for start-up tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { BUNDLED_ENTRY_FLAGS, bundledEntry } from '../support/server-entry.js';
import { createPostgresDatabase, testDatabaseKind } from '../support/test-database.js';

export interface ServerRun {
  /** The exit code (null when it was stopped by a signal). */
  code: number | null;
  /** Everything it printed (stdout and stderr). */
  output: string;
}

/** The running server, for tests that stop it themselves (`whileRunning`'s second argument). */
export interface RunningServer {
  child: ChildProcess;
  /** What it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves once its output matches `pattern`. */
  printed(pattern: RegExp): Promise<void>;
  /** Resolves with its exit code once it exited. */
  exited: Promise<number | null>;
}

/**
 * Starts the server with `env` on a data folder. If it starts, `whileRunning(origin)` runs and
 * then the server is stopped (SIGTERM, unless it already exited); if it stops by itself first (a
 * start error), that is the result. Its database: PGlite in the data folder, or with
 * `SSO_PORTAL_TEST_DATABASE=postgres` a new database of the run's PostgreSQL (`DATABASE_URL`),
 * unless `env` sets `DATABASE_URL` (empty: PGlite).
 */
export async function runServer(
  dataDir: string,
  env: NodeJS.ProcessEnv = {},
  whileRunning?: (origin: string, running: RunningServer) => Promise<void>,
): Promise<ServerRun & { error?: unknown }> {
  const databaseUrl = 'DATABASE_URL' in env ? env.DATABASE_URL : testDatabaseKind() === 'postgres' ? await createPostgresDatabase() : '';
  const main = await bundledEntry('main');
  return new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, SSO_PORTAL_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ...env, DATABASE_URL: databaseUrl };
    for (const name of ['SSO_PORTAL_ADMIN_KEY', 'SSO_PORTAL_ALLOWED_ORIGINS', 'SSO_PORTAL_TRUSTED_PROXIES', 'SSO_PORTAL_PUBLIC_URL', 'SSO_PORTAL_DEMO']) {
      if (!(name in env)) delete childEnv[name];
    }
    const child = spawn(process.execPath, [...BUNDLED_ENTRY_FLAGS, main], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let started = false;
    let error: unknown;
    const waiting = new Set<{ pattern: RegExp; resolve: () => void }>();
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const running: RunningServer = {
      child,
      output: () => output,
      printed: (pattern) =>
        pattern.test(output)
          ? Promise.resolve()
          : new Promise<void>((done, fail) => {
              waiting.add({ pattern, resolve: done });
              void exited.then(() => fail(new Error(`The server exited without printing ${pattern}:\n${output}`)));
            }),
      exited,
    };
    const append = (chunk: Buffer) => {
      output += chunk.toString();
      for (const wait of waiting) {
        if (wait.pattern.test(output)) {
          waiting.delete(wait);
          wait.resolve();
        }
      }
    };
    child.stdout.on('data', (chunk: Buffer) => {
      append(chunk);
      const origin = /^\s*Server:\s+(http:\/\/127\.0\.0\.1:\d+)/m.exec(output)?.[1];
      if (origin && !started) {
        started = true;
        void (whileRunning ?? (() => Promise.resolve()))(origin, running)
          .catch((e: unknown) => (error = e))
          .finally(() => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          });
      }
    });
    child.stderr.on('data', append);
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output, error }));
  });
}

export { startServerProcess, type ServerProcess } from '../support/server-process.js';
