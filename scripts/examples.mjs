// `npm run test:examples` (CI's "example hosts" step): installs the example hosts' dependencies
// (examples/, one lockfile for all, `npm ci` when node_modules is missing or older than it),
// builds each example, then drives each in Chromium (test/e2e/examples.e2e.mjs). The examples
// link this package (`file:../..`), so it builds the package first when dist/ is missing.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const examples = fileURLToPath(new URL('../examples/', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command, args, cwd) {
  const started = Date.now();
  const { status } = spawnSync(command, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' });
  if (status !== 0) process.exit(status ?? 1);
  console.log(`(${command} ${args.join(' ')}: ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

const installed = `${examples}node_modules/.package-lock.json`;
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(`${examples}package-lock.json`).mtimeMs) {
  run(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], examples);
}
if (!existsSync(`${root}dist/lib/react.js`) || !existsSync(`${root}dist/cdn/sso-admin-portal.js`)) run(npm, ['run', 'build', '--silent'], root);
run(npm, ['run', 'build', '--silent'], examples);
run(process.execPath, ['--test', '--test-reporter=spec', 'test/e2e/examples.e2e.mjs'], root);
