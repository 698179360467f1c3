// `npm run bench`: prints the figures we watch: bundle sizes, then the CPU time of hostile XML
// at the entry points that read XML from outside (scripts/bench-xml.ts, run with tsx), then
// parsing in Chromium (scripts/bench-parse-browser.mjs, when present), then the page figures of
// issue 12 beside their baselines in the same run (scripts/bench-pages.mjs): the table
// what | now | baseline | ratio | target. Writes every figure, with the machine, to
// `.bench/bench-<date>.json` and `.bench/latest.json` (git-ignored).
//
//   npm run bench                          everything
//   npm run bench -- pages                 the page figures only (also BENCH_ONLY=pages)
//   npm run bench -- --compare <file>      an earlier run's figures beside the new ones (also BENCH_COMPARE)
//   BENCH_LOADS=15 BENCH_ROUNDS=4 BENCH_FLOWS=15   fresh loads per page per round, rounds, portal flows per round
//
// Figures only, never a pass/fail on a target: the size budget is enforced by `npm run size`
// in CI. The exit code is 1 only when something broke (no build, a page that did not load...).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { inspect } from 'node:util';
import { flowGraph, loadGraph, measure } from './bundle-sizes.mjs';
import { benchPages, pageOptionsFromEnv } from './bench-pages.mjs';
import { machine, parseBenchArgs, printFiles, printPageTable, readRun, writeRun } from './bench-report.mjs';

const kB = (n) => `${(n / 1000).toFixed(2)} kB`.padStart(11);
const row = (label, s) => console.log(`${label.padEnd(52)}${kB(s.raw)}${kB(s.gzip)}${kB(s.brotli)}`);

/** The bundle sizes from the build's files (scripts/bundle-sizes.mjs); undefined without a build. */
function bundleSizes() {
  let graph;
  try {
    graph = loadGraph();
  } catch (error) {
    // No build: the sizes are missing, the XML figures can still be measured.
    console.error(error.message);
    process.exitCode = 1;
    return undefined;
  }
  const sizes = { initial: { files: graph.initial, ...graph.initialSize }, lazy: { files: graph.lazy, ...graph.lazySize }, other: {} };
  console.log(`${'what'.padEnd(52)}${'raw'.padStart(11)}${'gzip'.padStart(11)}${'brotli'.padStart(11)}`);
  row('CDN, initial load (entry + static imports)', graph.initialSize);
  for (const file of graph.initial) row(`  ${file}`, measure(file));
  const flow = flowGraph();
  sizes.flow = { files: flow.files, ...flow.size };
  row(`CDN, whole admin flow (${flow.files.length} files, static: ADMIN_FLOW)`, flow.size);
  row('CDN, lazy chunks (all, each when its feature is used)', graph.lazySize);
  for (const file of graph.lazy) row(`  ${file}`, measure(file));
  for (const [label, path] of [
    ['CDN, IIFE (one file, everything)', 'dist/cdn/sso-admin-portal.iife.js'],
    ['npm library, index (lit/valibot external)', 'dist/lib/index.js'],
    ['npm library, core', 'dist/lib/core.js'],
  ]) {
    if (!existsSync(path)) continue;
    sizes.other[path] = measure(path);
    row(label, sizes.other[path]);
  }
  console.log('\nBudget: `npm run size` (scripts/size-budget.mjs) enforces it.');
  return sizes;
}

/** scripts/bench-xml.ts with tsx; its output is shown as it comes and kept for the JSON file. */
function benchXml() {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench-xml.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.once('error', (error) => resolve({ ok: false, output, error: error.message }));
    child.once('exit', (code, signal) => resolve({ ok: code === 0, output, ...(code === 0 ? {} : { error: `exit ${signal ?? code}` }) }));
  });
}

let args, previous, options;
try {
  args = parseBenchArgs(process.argv.slice(2), process.env);
  previous = args.compare ? readRun(args.compare) : undefined;
  options = pageOptionsFromEnv();
} catch (error) {
  console.error(error.message);
  process.exit(2);
}
const run = { machine: undefined, options: { pagesOnly: args.pagesOnly }, errors: [] };

if (!args.pagesOnly) {
  run.sizes = bundleSizes();
  if (!run.sizes) run.errors.push('bundle sizes: no build');
  run.xml = await benchXml();
  if (!run.xml.ok) {
    run.errors.push(`scripts/bench-xml.ts: ${run.xml.error}`);
    process.exitCode = 1;
  }
  // Parsing in Chromium against the native DOMParser, when that bench is there.
  if (existsSync(new URL('./bench-parse-browser.mjs', import.meta.url))) {
    console.log('\nParsing in Chromium (scripts/bench-parse-browser.mjs)');
    try {
      const { benchParseInBrowser } = await import('./bench-parse-browser.mjs');
      run.parseInBrowser = await benchParseInBrowser();
      if (run.parseInBrowser !== undefined) console.log(inspect(run.parseInBrowser, { depth: 4, breakLength: 120 }));
    } catch (error) {
      console.error(`scripts/bench-parse-browser.mjs failed: ${error.stack ?? error}`);
      run.errors.push(`scripts/bench-parse-browser.mjs: ${error.message}`);
      process.exitCode = 1;
    }
  }
}

console.log(
  `\nPages, side by side in one run: headless Chromium, medians of ${options.loads} fresh loads x ${options.rounds} rounds` +
    ` (portal flow: ${options.flows} x ${options.rounds}); BENCH_LOADS, BENCH_ROUNDS, BENCH_FLOWS change them.`,
);
try {
  run.pages = await benchPages(options, (line) => console.log(`  ${line}`));
  console.log('');
  printPageTable(run.pages, previous, run.sizes);
  if (previous) console.log(`\n"previous run": ${args.compare} (${previous.machine.date}, ${previous.machine.git?.commit?.slice(0, 10) ?? 'no commit'}).`);
  printFiles(run.pages);
} catch (error) {
  console.error(`\nThe page bench broke: ${error.stack ?? error}`);
  run.errors.push(`pages: ${error.message}`);
  process.exitCode = 1;
}

run.machine = machine(run.pages?.options.chromium);
const file = writeRun(run);
console.log(`\nFigures written to ${file} (and .bench/latest.json); compare two runs with \`npm run bench -- --compare ${file}\`.`);
