// `npm start`: builds the CDN bundle when it is missing or older than the sources, then runs the
// mock server (src/server/main.ts, through tsx) in demo mode: the dashboard of the demo host app
// at http://127.0.0.1:4400/, the hosted portal at /portal/<token>, the settings page with the
// element embedded, and the seeded organization "Megacorp". The server prints the URLs and the
// admin key. Environment: as `npm run server` (HOST, PORT, SSO_PORTAL_DATA_DIR, ...);
// SSO_PORTAL_DEMO=0 turns the demo pages off.
//
// The server runs in its own process group, so Ctrl-C reaches it once (forwarded from here),
// and it stops by itself when this process goes away (its IPC channel closes).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const bundle = join(root, 'dist/cdn/sso-admin-portal.js');

/** Newest modification time under `dir` (skipping `skip`), in ms. */
function newest(dir, skip = new Set()) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (skip.has(path)) continue;
    if (entry.isDirectory()) latest = Math.max(latest, newest(path, skip));
    else if (entry.isFile()) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

function bundleIsStale() {
  if (!existsSync(bundle)) return 'missing';
  // src/server is not part of the bundle.
  const sources = Math.max(newest(join(root, 'src'), new Set([join(root, 'src/server')])), statSync(join(root, 'vite.config.ts')).mtimeMs);
  return sources > statSync(bundle).mtimeMs ? 'older than src/' : undefined;
}

function run(command, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], ...options });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

const stale = bundleIsStale();
if (stale) {
  // Quietly: Vite's file list would push the URLs off the screen. Its warnings and errors still show.
  process.stdout.write(`Building the portal bundle (dist/cdn is ${stale})... `);
  const started = Date.now();
  // What `npm run build:cdn` runs, each build with --logLevel warn (npm would pass it to the last one only).
  const vite = join(root, 'node_modules/vite/bin/vite.js');
  for (const mode of ['cdn', 'cdn-iife']) {
    const { code, signal } = await run(process.execPath, [vite, 'build', '--mode', mode, '--logLevel', 'warn']);
    if (code !== 0) {
      console.error(`\nThe portal bundle's build (vite build --mode ${mode}) failed (${signal ?? `exit code ${code}`}).`);
      process.exit(code ?? 1);
    }
  }
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

const env = { ...process.env, SSO_PORTAL_DEMO: process.env.SSO_PORTAL_DEMO || '1' };
const server = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
  cwd: root,
  env,
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  detached: true,
});

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (server.exitCode === null && server.signalCode === null) server.kill(signal);
  });
}

server.on('error', (error) => {
  console.error(`${server.pid === undefined ? 'Could not start the server' : 'Server process'}: ${error.message}`);
  if (server.pid === undefined) process.exit(1);
});
server.once('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
