// The API reference in docs/api is what `npm run docs:api` generates from the public entry
// points now, and TypeDoc has nothing to warn about (scripts/docs-api.mjs --check). After
// changing an exported type or its doc comment, run `npm run docs:api` and commit docs/api.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import process from 'node:process';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

it('docs/api is up to date with the public entry points (run `npm run docs:api`)', () => {
  const run = spawnSync(process.execPath, ['scripts/docs-api.mjs', '--check'], { cwd: root, encoding: 'utf8' });
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, /docs\/api is up to date\./);
});
