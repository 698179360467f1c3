// Starting and stopping the product the way a new user does (`npm start`, i.e. scripts/start.mjs)
// for the e2e scripts: on a free port (PORT=0), with the data folder given, in its own process
// group, reading the URLs it prints. No sleeps: the start waits on output, the stop on the exit.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const STARTUP_MS = 120_000;

/**
 * Runs `node scripts/start.mjs` in its own process group; resolves once the URLs are printed:
 * `{ child, exited, output, dashboard, portal, settings, login, adminKey, origin }` (`login`, the
 * demo login page, is undefined when the server does not print it).
 */
export async function startProduct(dataDir) {
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SSO_PORTAL_DATA_DIR: dataDir, SSO_PORTAL_ADMIN_KEY: '', SSO_PORTAL_PUBLIC_URL: '', SSO_PORTAL_DEMO: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const output = { stdout: '', stderr: '' };
  child.stderr.setEncoding('utf8').on('data', (chunk) => (output.stderr += chunk));
  child.stdout.setEncoding('utf8');
  const exited = once(child, 'exit');
  const printed = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`start.mjs printed no URLs in ${STARTUP_MS} ms:\n${output.stdout}\n${output.stderr}`)), STARTUP_MS);
    const onData = (chunk) => {
      output.stdout += chunk;
      const dashboard = /^\s*Dashboard:\s+(http:\/\/127\.0\.0\.1:\d+\/)\s*$/m.exec(output.stdout)?.[1];
      const portal = /^\s*Portal link:\s+(http:\/\/127\.0\.0\.1:\d+\/portal\/[A-Za-z0-9_-]+)\s*$/m.exec(output.stdout)?.[1];
      const settings = /^\s*Settings page:\s+(http:\/\/127\.0\.0\.1:\d+\/settings\/\S+)\s*$/m.exec(output.stdout)?.[1];
      const login = /^\s*Login page:\s+(http:\/\/127\.0\.0\.1:\d+\/\S*)\s*$/m.exec(output.stdout)?.[1];
      const adminKey = /^\s*Admin key:\s+(\S+)\s*$/m.exec(output.stdout)?.[1];
      if (dashboard && portal && settings && adminKey) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        child.stdout.on('data', (more) => (output.stdout += more));
        resolve({ dashboard, portal, settings, login, adminKey, origin: new URL(dashboard).origin });
      }
    };
    child.stdout.on('data', onData);
    void exited.then(([code, signal]) => {
      clearTimeout(timer);
      reject(new Error(`start.mjs exited (${signal ?? code}) before printing the URLs:\n${output.stdout}\n${output.stderr}`));
    });
  });
  try {
    return { child, exited, output, ...(await printed) };
  } catch (error) {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
    throw error;
  }
}

/**
 * Stops what `startProduct` started (SIGTERM to its process group) and checks that it ended
 * cleanly (exit code 0) and that the server no longer answers. Does nothing when it already ended.
 */
export async function stopProduct(server) {
  if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
  process.kill(-server.child.pid, 'SIGTERM');
  const [code, signal] = await server.exited;
  assert.equal(code, 0, `start.mjs ended with ${signal ?? code}:\n${server.output.stdout}\n${server.output.stderr}`);
  // The server (its own process group, behind start.mjs) is gone too.
  await assert.rejects(fetch(server.dashboard), 'the server still answers after start.mjs ended');
}
