// `npm run example:<name>` (root package.json): builds that example (examples/README.md) and
// serves it on 127.0.0.1 with the strict CSP of the package's tests, until Ctrl-C.
import { execFileSync } from 'node:child_process';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from '../test/node/static-server.mjs';
import { hosts } from './hosts.mjs';

const name = process.argv[2];
const host = hosts[name];
if (!host) {
  console.error(`Which example? One of: ${Object.keys(hosts).join(', ')}`);
  process.exit(1);
}
if (host.workspace) execFileSync('npm', ['run', 'build', '--workspace', host.workspace], { cwd: fileURLToPath(new URL('.', import.meta.url)), stdio: 'inherit' });
const { origin } = await startStaticServer(host.mounts);
console.log(`\n  The ${name} example: ${origin}/index.html\n\nPress Ctrl-C to stop.`);
