// `npm test`: makes sure Chromium and PostgreSQL are there, builds the package, then runs the three suites one
// after the other with their own output: the browser tests (@web/test-runner, real Chromium),
// the Node tests (core in plain Node, the CDN bundle under a strict CSP), each with a coverage
// summary (wtr --coverage, c8), and the server's Node tests (real servers on 127.0.0.1, two files
// at a time: scripts/server-tests.mjs), twice: on PGlite (the embedded default) and on a real
// PostgreSQL cluster started for the run (`test/support/with-test-postgres.ts`). It reads each suite's own summary and ends with one line
// for all of them, `Total: N passed, N failed` (exit code 1 when a suite failed or counted
// nothing).
import { spawn } from 'node:child_process';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

/** Runs a command with its output shown as it comes; resolves with the exit code and what it printed. */
function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], shell: process.platform === 'win32' });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

// eslint-disable-next-line no-control-regex
const plain = (text) => text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');

/** @web/test-runner ends with "... | N passed, N failed" (the last such line is the total). */
function browserCounts(output) {
  const all = [...plain(output).matchAll(/(\d+) passed, (\d+) failed/g)];
  const last = all.at(-1);
  return last ? { passed: Number(last[1]), failed: Number(last[2]) } : undefined;
}

/** The Node test runner's spec reporter ends with "ℹ pass N" and "ℹ fail N". */
function nodeCounts(output) {
  const text = plain(output);
  const pass = [...text.matchAll(/^\S* ?pass (\d+)$/gm)].at(-1);
  const fail = [...text.matchAll(/^\S* ?fail (\d+)$/gm)].at(-1);
  return pass && fail ? { passed: Number(pass[1]), failed: Number(fail[1]) } : undefined;
}

const steps = [
  { name: 'Chromium, PostgreSQL, pysaml2', command: [process.execPath, ['scripts/ensure-test-tools.mjs']] },
  { name: 'build', command: [npm, ['run', 'build', '--silent']] },
  // Both print a coverage summary as part of their one run (measured: the browser tests take about
  // 13% longer with --coverage, the Node tests under c8 about 4%).
  { name: 'browser tests', command: [npm, ['run', 'test:browser', '--silent', '--', '--coverage']], counts: browserCounts },
  { name: 'Node tests', command: [npx, ['c8', '--reporter=text-summary', '--reports-dir=coverage/node', '--include=src/**', '--include=dist/lib/**', npm, 'run', 'test:node', '--silent']], counts: nodeCounts },
  { name: 'server tests (PGlite)', command: [npm, ['run', 'test:server', '--silent']], counts: nodeCounts },
  { name: 'server tests (PostgreSQL)', command: [npm, ['run', 'test:server:postgres', '--silent']], counts: nodeCounts },
];

const totals = { passed: 0, failed: 0 };
const lines = [];
let broken = false;
for (const step of steps) {
  const { code, output } = await run(...step.command);
  if (!step.counts) {
    if (code !== 0) {
      console.error(`\nnpm test: ${step.name} failed (exit code ${code}); no tests ran.`);
      process.exit(1);
    }
    continue;
  }
  const counts = step.counts(output);
  if (!counts) {
    broken = true;
    lines.push(`${step.name}: no summary found (exit code ${code})`);
    continue;
  }
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  if (code !== 0 && counts.failed === 0) broken = true;
  lines.push(`${step.name}: ${counts.passed} passed, ${counts.failed} failed${code !== 0 && counts.failed === 0 ? ` (exit code ${code})` : ''}`);
}

console.log(`\n${lines.join('\n')}`);
console.log(`Total: ${totals.passed} passed, ${totals.failed} failed`);
process.exitCode = totals.failed > 0 || broken || totals.passed === 0 ? 1 : 0;
