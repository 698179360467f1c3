// `npm run bench`: prints the figures we watch: bundle sizes, then the CPU time of hostile XML
// at the entry points that read XML from outside (scripts/bench-xml.ts, run with tsx).
// Figures only, never a pass/fail: the size budget is enforced by `npm run size` in CI.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadGraph, measure } from './bundle-sizes.mjs';

const kB = (n) => `${(n / 1000).toFixed(2)} kB`.padStart(11);
const row = (label, s) => console.log(`${label.padEnd(52)}${kB(s.raw)}${kB(s.gzip)}${kB(s.brotli)}`);

let graph;
try {
  graph = loadGraph();
} catch (error) {
  // No build: the sizes are missing, the XML figures can still be measured.
  console.error(error.message);
  process.exitCode = 1;
}

if (graph) {
  console.log(`${'what'.padEnd(52)}${'raw'.padStart(11)}${'gzip'.padStart(11)}${'brotli'.padStart(11)}`);
  row('CDN, initial load (entry + static imports)', graph.initialSize);
  for (const file of graph.initial) row(`  ${file}`, measure(file));
  row('CDN, lazy chunks (wizard, parsers)', graph.lazySize);
  for (const file of graph.lazy) row(`  ${file}`, measure(file));
  for (const [label, path] of [
    ['CDN, IIFE (one file, everything)', 'dist/cdn/sso-admin-portal.iife.js'],
    ['npm library, index (lit/zod external)', 'dist/lib/index.js'],
    ['npm library, core', 'dist/lib/core.js'],
  ]) {
    if (existsSync(path)) row(label, measure(path));
  }
  console.log('\nBudget: CDN initial load under 45 kB gzip (npm run size).');
}

const xml = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/bench-xml.ts'], { stdio: 'inherit' });
if (xml.status !== 0) process.exitCode = 1;
