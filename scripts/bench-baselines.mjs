// The baseline pages of `npm run bench` (sources in bench/): bundled with esbuild (production,
// minified, ES modules) into a temporary folder, which the bench serves on 127.0.0.1 with the
// tests' static server (test/node/static-server.mjs: no compression; the bench computes the gzip
// size of what was requested itself, as it does for the portal).
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const esbuildBin = join(root, 'node_modules/.bin/esbuild');

/** The baselines: where their sources are (index.html and the module to bundle), by the name of their folder in the served tree. */
export const BASELINES = {
  lit: { dir: 'bench/lit-form', entry: 'lit-form.js' },
  react: { dir: 'bench/react-peer', entry: 'react-peer.jsx' },
};

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? code}):\n${stderr}`))));
  });
}

/**
 * Bundles every baseline into `<tmp>/<name>/` (its index.html and the bundle: `<entry>.js`, and
 * `<entry>.css` when it imports CSS). Resolves with `{ dir, remove() }`.
 */
export async function buildBaselines() {
  const dir = await mkdtemp(join(tmpdir(), 'sso-portal-bench-pages-'));
  try {
    for (const [name, baseline] of Object.entries(BASELINES)) {
      const out = join(dir, name);
      await mkdir(out);
      await copyFile(join(root, baseline.dir, 'index.html'), join(out, 'index.html'));
      await run(esbuildBin, [
        join(root, baseline.dir, baseline.entry),
        '--bundle',
        '--format=esm',
        '--minify',
        '--target=es2022',
        '--jsx=automatic',
        '--define:process.env.NODE_ENV="production"',
        '--log-level=warning',
        `--outdir=${out}`,
      ]);
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
