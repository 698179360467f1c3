// `sso-admin-portal/react` as a React host gets it from the built package (npm run build): its
// file loads the element from the same chunk as the main entry (one class, registered once,
// whichever entry the host imports first) and leaves React and @lit/react to the host's bundler;
// its declarations check a host's .tsx (test/types/react/host.tsx) with its misuses refused.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const lib = join(root, 'dist/lib');

/** The specifiers a built file imports statically. */
async function importsOf(file) {
  const code = await readFile(join(lib, file), 'utf8');
  return [...code.matchAll(/^import\s*(?:[^'"]*?\sfrom\s*)?["']([^"']+)["'];?$/gm)].map((m) => m[1]);
}

describe('sso-admin-portal/react', () => {
  it('has an onSso… prop for every public event the manifest lists, and for nothing else', async () => {
    // The wrapper names its events by hand (src/react/index.ts); the manifest is the public list.
    const manifest = JSON.parse(await readFile(join(root, 'custom-elements.json'), 'utf8'));
    const shell = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'sso-admin-portal');
    const prop = (name) => `on${name.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join('')}`;
    const expected = shell.events.map((e) => `${prop(e.name)}: portalEvent('${e.name}')`).sort();
    const source = await readFile(join(root, 'src/react/index.ts'), 'utf8');
    const listed = [...source.matchAll(/^ {2}(onSso\w+: portalEvent\('[\w-]+'\)),$/gm)].map((m) => m[1]).sort();
    assert.deepEqual(listed, expected);
  });

  it('is built apart, on the main entry’s element chunk, with react and @lit/react external', async () => {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
    assert.deepEqual(pkg.exports['./react'], { types: './dist/types/react/index.d.ts', default: './dist/lib/react.js' });
    const react = await importsOf('react.js');
    assert.deepEqual(react.filter((s) => !s.startsWith('./')).sort(), ['@lit/react', 'react']);
    const element = react.find((s) => /^\.\/sso-admin-portal-[\w-]+\.js$/.test(s));
    assert.ok(element, `react.js imports ${react.join(', ')}`);
    assert.ok((await importsOf('index.js')).includes(element), 'index.js loads another copy of the element');
  });

  it('its types check a React host’s file, and refuse each misuse marked @ts-expect-error', async () => {
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    const { code, output } = await new Promise((resolve) => {
      execFile(process.execPath, [tsc, '-p', 'test/types/react/tsconfig.json'], { cwd: root }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }));
    });
    assert.equal(code, 0, output);
  });
});
