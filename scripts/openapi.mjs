// `npm run openapi`: writes docs/openapi.json from the valibot schemas (src/server/openapi.ts, from the route table of src/core/rest-contract.ts).
// `npm run openapi -- --check`: exits 1 when docs/openapi.json is not what the generator
// makes (CI; the browser test http-adapter.test.ts checks the same).
//
// Runs under tsx (`node --import tsx`), which loads the TypeScript source: no build needed.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildOpenApi } from '../src/server/openapi.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const target = `${root}docs/openapi.json`;
const check = process.argv.includes('--check');

const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const text = `${JSON.stringify(buildOpenApi({ version }), null, 2)}\n`;

if (check) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing counts as out of date
  }
  if (current !== text) {
    console.error('docs/openapi.json is out of date: run `npm run openapi`.');
    process.exit(1);
  }
  console.log('docs/openapi.json is up to date.');
} else {
  writeFileSync(target, text);
  const paths = Object.keys(JSON.parse(text).paths).length;
  console.log(`Wrote docs/openapi.json (${paths} paths).`);
}
