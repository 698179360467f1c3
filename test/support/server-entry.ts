/// <reference types="node" />
/**
 * The server's entry points (`src/server/main.ts`, `src/server/cli.ts`) bundled by esbuild, for
 * the tests that start them as processes: the crash test alone starts the server 130 times, and
 * the CLI tests run the CLI dozens of times. Each start then loads one file instead of some 400
 * modules through tsx's loader: about a second of CPU less, on two cores. The code is the same;
 * its packages stay imports. Only `server-files.ts` reads its own URL (to find the pages and the
 * CDN build): the bundle is given that module's URL. Built once per test process into
 * `node_modules/.cache/` (so the packages resolve), removed when the process exits. `npm start`
 * and its tests (test/e2e) run the server through tsx, as a developer does.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export type ServerEntry = 'main' | 'cli';

/**
 * Node's flags for a bundled entry's process. `--liftoff-only`: V8 compiles PGlite's 8 MB of
 * WebAssembly with its baseline compiler only, without the optimising tier's background
 * compilation. Such a process lives for a few requests, so that compilation is wasted: the crash
 * test's hundred starts took half again as much CPU with it. The same code runs; only how fast its
 * WebAssembly runs differs, which no test here measures (the benches start the server through tsx).
 */
export const BUNDLED_ENTRY_FLAGS: readonly string[] = ['--liftoff-only'];

const built = new Map<ServerEntry, Promise<string>>();
const root = process.cwd();
const dir = join(root, 'node_modules', '.cache', 'sso-admin-portal', `server-${process.pid}`);

/** The bundled `src/server/<entry>.ts` (run it with `node <file>`). */
export function bundledEntry(entry: ServerEntry): Promise<string> {
  let file = built.get(entry);
  if (!file) {
    if (built.size === 0) process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const outfile = join(dir, `${entry}.mjs`);
    file = build({
      entryPoints: [join(root, 'src', 'server', `${entry}.ts`)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      define: { 'import.meta.url': JSON.stringify(pathToFileURL(join(root, 'src', 'server', 'server-files.ts')).href) },
      logLevel: 'warning',
    }).then(() => outfile);
    built.set(entry, file);
  }
  return file;
}

/** Runs the admin CLI (`npm run portal -- …`) with `args` and exactly `env` as its environment. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  const cli = await bundledEntry('cli');
  return new Promise((resolve) => {
    execFile(process.execPath, [...BUNDLED_ENTRY_FLAGS, cli, ...args], { env }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });
}
