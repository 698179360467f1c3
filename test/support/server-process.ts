/// <reference types="node" />
/**
 * `src/server/main.ts` as a child process on 127.0.0.1, for tests and the server bench. Imports
 * nothing of `node:test` (the bench is not a test file).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { BUNDLED_ENTRY_FLAGS } from './server-entry.js';

/** A server process started by {@link startServerProcess}. */
export interface ServerProcess {
  origin: string;
  child: ChildProcess;
  /** What it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves once it exited. */
  exited: Promise<void>;
  /** SIGTERM (a graceful stop), then waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Starts `src/server/main.ts` on 127.0.0.1 with PORT=0 and `env` (on top of this process's
 * environment), and resolves once it printed its `Server:` line; rejects with its output when
 * it exits first. For tests and benches that run several servers, kill them, or start them again.
 * `bundled`: the server's bundle (`bundledEntry('main')`, server-entry.ts) run by plain node.
 */
export function startServerProcess(env: NodeJS.ProcessEnv, { bundled }: { bundled?: string } = {}): Promise<ServerProcess> {
  const args = bundled ? [...BUNDLED_ENTRY_FLAGS, bundled] : ['--import', 'tsx', join(process.cwd(), 'src/server/main.ts')];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', SSO_PORTAL_LOG: 'error', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const origin = /^ {2}Server: +(http:\/\/127\.0\.0\.1:\d+)/m.exec(output)?.[1];
      if (origin) {
        resolve({
          origin,
          child,
          output: () => output,
          exited,
          async stop() {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => reject(new Error(`The server did not start (exit code ${child.exitCode}, signal ${child.signalCode}):\n${output}`)));
  });
}
