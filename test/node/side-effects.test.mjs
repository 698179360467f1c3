// The package's `sideEffects` list against the built npm files (npm run build): every file of
// dist/lib that registers an element matches it. Bundlers that honour the list (Vite, esbuild,
// webpack) drop an unlisted module whose exports go unused, and with it its registration:
// `<sso-admin-portal>` itself when a host imports only the MemoryAdapter, or `<sso-copy-field>`
// (imported for its effect alone) in every host. The list stays narrow so that pure modules, the
// contract and the providers, can still be dropped.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const lib = join(root, 'dist/lib');

/** A `sideEffects` glob as a RegExp on paths from the package's folder (`**` any folders, `*` within one). */
function globRegExp(glob) {
  const escaped = glob.replace(/^\.\//, '').replace(/[.+^${}()|[\]\\]/g, '\\$&');
  // `**/` and `**` are set aside (as `§/` and `§§`) while `*` becomes "within one folder".
  const source = escaped.replace(/\*\*\//g, '§/').replace(/\*\*/g, '§§').replace(/\*/g, '[^/]*').replace(/§§/g, '.*').replace(/§\//g, '(?:.*/)?');
  return new RegExp(`^${source}$`);
}

describe('package.json sideEffects', () => {
  it('lists every built file that registers an element, and not the pure ones', async () => {
    const { sideEffects } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
    const listed = (file) => sideEffects.some((glob) => globRegExp(glob).test(`dist/lib/${file}`));
    const files = (await readdir(lib)).filter((file) => file.endsWith('.js'));
    const registering = [];
    for (const file of files) {
      if (/\bdefineElement\("[\w-]+"|customElements\.define\(/.test(await readFile(join(lib, file), 'utf8'))) registering.push(file);
    }
    assert.ok(registering.some((file) => file.startsWith('sso-admin-portal-')), `no file registers the shell: ${registering.join(', ')}`);
    assert.deepEqual(registering.filter((file) => !listed(file)), [], 'files that register an element but are not in sideEffects');
    assert.equal(listed('index.js'), true);
    for (const pure of ['core.js', 'admin.js', 'adapters.js']) assert.equal(listed(pure), false, `${pure} is listed`);
    assert.deepEqual(files.filter((file) => /^(model|okta|errors)-/.test(file) && listed(file)), []);
  });
});
