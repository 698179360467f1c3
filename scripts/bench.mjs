// `npm run bench`: prints the figures we watch (sizes now; timings as they are added).
// Figures only, never a pass/fail: the size budget is enforced by `npm run size` in CI.
import { existsSync } from 'node:fs';
import { loadGraph, measure } from './bundle-sizes.mjs';

const kB = (n) => `${(n / 1000).toFixed(2)} kB`.padStart(11);
const row = (label, s) => console.log(`${label.padEnd(52)}${kB(s.raw)}${kB(s.gzip)}${kB(s.brotli)}`);

let graph;
try {
  graph = loadGraph();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}

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
