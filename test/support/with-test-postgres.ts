/// <reference types="node" />
/**
 * `node --import tsx test/support/with-test-postgres.ts <command> [args...]`: starts one throw-away
 * PostgreSQL cluster (`postgres-cluster.ts`), runs the command with
 * `SSO_PORTAL_TEST_DATABASE=postgres` and `SSO_PORTAL_TEST_POSTGRES_URL=<the cluster>` (every test
 * database of the run is made in it, see `test-database.ts`), then stops and removes the cluster
 * and exits with the command's exit code. `npm run test:server:postgres` runs the server suite so.
 */
import { spawn } from 'node:child_process';
import process from 'node:process';
import { startPostgresCluster } from './postgres-cluster.js';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('Usage: with-test-postgres.ts <command> [args...]');
  process.exit(2);
}

const cluster = await startPostgresCluster();
let code: number;
try {
  code = await new Promise<number>((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: 'inherit',
      env: { ...process.env, SSO_PORTAL_TEST_DATABASE: 'postgres', SSO_PORTAL_TEST_POSTGRES_URL: cluster.url },
    });
    child.once('error', reject);
    child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
  });
} finally {
  await cluster.stop();
}
process.exit(code);
