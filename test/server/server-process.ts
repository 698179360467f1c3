/// <reference types="node" />
/** `npm run server` (src/server/main.ts) as a child process on 127.0.0.1 with PORT=0, for start-up tests. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface ServerRun {
  /** The exit code (null when it was stopped by a signal). */
  code: number | null;
  /** Everything it printed (stdout and stderr). */
  output: string;
}

/**
 * Starts the server with `env` on a data folder. If it starts, `whileRunning(origin)` runs and
 * then the server is stopped; if it stops by itself first (a start error), that is the result.
 */
export function runServer(dataDir: string, env: NodeJS.ProcessEnv = {}, whileRunning?: (origin: string) => Promise<void>): Promise<ServerRun & { error?: unknown }> {
  return new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, SSO_PORTAL_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ...env };
    for (const name of ['SSO_PORTAL_ADMIN_KEY', 'SSO_PORTAL_ALLOWED_ORIGINS', 'SSO_PORTAL_TRUSTED_PROXIES', 'SSO_PORTAL_PUBLIC_URL', 'SSO_PORTAL_DEMO']) {
      if (!(name in env)) delete childEnv[name];
    }
    const child = spawn(process.execPath, ['--import', 'tsx', join(process.cwd(), 'src/server/main.ts')], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let started = false;
    let error: unknown;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const origin = /^\s*Server:\s+(http:\/\/127\.0\.0\.1:\d+)/m.exec(output)?.[1];
      if (origin && !started) {
        started = true;
        void (whileRunning ?? (() => Promise.resolve()))(origin)
          .catch((e: unknown) => (error = e))
          .finally(() => child.kill('SIGTERM'));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output, error }));
  });
}
