// The baseline pages of `npm run bench` (sources in bench/): bundled with esbuild (production,
// minified, ES modules) into a temporary folder, and a static file server on 127.0.0.1 for them.
// The server sends no compression and `Cache-Control: no-store`; the bench computes the gzip
// size of what was requested itself, as it does for the portal.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
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

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/**
 * Serves the files under `dir` on 127.0.0.1 (a free port), uncompressed, never cached; `/x/`
 * is `/x/index.html`. Resolves with `{ origin, close() }`.
 */
export async function serveStatic(dir) {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path));
    const type = TYPES[extname(file)];
    if (!file.startsWith(`${dir}${sep}`) || !type || request.method !== 'GET') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store', 'content-length': body.length }).end(body);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
