// `npm run test:server` and `npm run test:server:postgres`: the server's Node tests
// (test/server/*.test.ts), two files at a time, with the spec reporter. The database is the
// environment's (`SSO_PORTAL_TEST_DATABASE`, see test/support/test-database.ts): PGlite, or the
// run's PostgreSQL under test/support/with-test-postgres.ts. A file that never opens a database
// (parsers, the SCIM engine, address checks) says so in its first lines (`// Database: none.`),
// and the PostgreSQL pass leaves it out: it cannot behave differently there. So does a file
// whose first lines say `// Database: any.`, with why: it opens a database, but what it tests (a
// browser's rules, SAML with an independent IdP) does not depend on which. Files given as
// arguments run instead of all (`npm run test:server -- test/server/api.test.ts`). Exits with the
// test runner's code.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import process from 'node:process';

const dir = 'test/server';
const postgres = (process.env.SSO_PORTAL_TEST_DATABASE ?? '').trim() === 'postgres';
const sameOnEveryDatabase = (file) => /^\/\/ Database: (none|any)\./m.test(readFileSync(`${dir}/${file}`, 'utf8').slice(0, 400));
const chosen = process.argv.slice(2).map((path) => path.replace(/^(\.\/)?test\/server\//, ''));
const files = (chosen.length ? chosen : readdirSync(dir).filter((file) => file.endsWith('.test.ts')))
  .filter((file) => !(postgres && sameOnEveryDatabase(file)))
  .sort()
  .map((file) => `${dir}/${file}`);

// With no file, the test runner would look for tests everywhere: say so and stop instead.
if (files.length === 0) {
  console.log('No server test file to run in this pass (each one given never opens a database).');
  process.exit(0);
}

const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files], { stdio: 'inherit' });
child.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
