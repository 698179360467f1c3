// `npm run bench`: prints the figures we watch (sizes now; timings as they are added).
// Figures only, never a pass/fail: the size budget is enforced by `npm run size` in CI.
import { existsSync, readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const files = [
  ['CDN bundle, ES module', 'dist/cdn/sso-admin-portal.js'],
  ['CDN bundle, IIFE', 'dist/cdn/sso-admin-portal.iife.js'],
  ['npm library, index (lit/zod external)', 'dist/lib/index.js'],
  ['npm library, core', 'dist/lib/core.js'],
];

const kB = (n) => `${(n / 1000).toFixed(2)} kB`.padStart(10);

if (!existsSync(files[0][1])) {
  console.error('No build found: run `npm run build` first.');
  process.exit(1);
}

console.log(`${'file'.padEnd(44)}${'raw'.padStart(10)}${'gzip'.padStart(10)}${'brotli'.padStart(10)}`);
for (const [label, path] of files) {
  if (!existsSync(path)) continue;
  const data = readFileSync(path);
  const gzip = gzipSync(data, { level: 9 }).length;
  const brotli = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  console.log(`${label.padEnd(44)}${kB(data.length)}${kB(gzip)}${kB(brotli)}`);
}
console.log('\nBudget: CDN ES module under 45 kB gzip (npm run size).');
