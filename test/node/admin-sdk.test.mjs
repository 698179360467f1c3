// `sso-admin-portal/admin` as a host's backend gets it: through the exports map of the built
// package (npm run build), in plain Node; its built files import nothing but valibot (no Lit, no
// browser or UI module, no Node module: it runs on the edge); its types checked by `tsc` on a
// host's file (test/types/admin-sdk-host.ts), which must fail without its `@ts-expect-error`s.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Webhook } from 'standardwebhooks';

const root = fileURLToPath(new URL('../../', import.meta.url));
const lib = join(root, 'dist/lib');
const tsc = join(root, 'node_modules/typescript/bin/tsc');

/** Every module the file loads, following relative imports: the bare specifiers and the files. */
async function importGraph(entry) {
  const files = new Set();
  const bare = new Set();
  const visit = async (file) => {
    if (files.has(file)) return;
    files.add(file);
    const code = await readFile(join(lib, file), 'utf8');
    for (const match of code.matchAll(/(?:^|[;\n])\s*(?:import|export)\s*(?:[^'"]*?\sfrom\s*)?["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g)) {
      const specifier = match[1] ?? match[2];
      if (specifier.startsWith('./')) await visit(specifier.slice(2));
      else bare.add(specifier);
    }
  };
  await visit(entry);
  return { files: [...files], bare: [...bare].sort() };
}

/** Runs tsc with `args`; resolves with its exit code and output. */
const runTsc = (args, cwd = root) =>
  new Promise((resolve) => {
    execFile(process.execPath, [tsc, ...args], { cwd }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }));
  });

describe('sso-admin-portal/admin', () => {
  it('imports through the exports map in plain Node and verifies a webhook signed by standardwebhooks', async () => {
    assert.equal(typeof globalThis.document, 'undefined');
    const sdk = await import('sso-admin-portal/admin');
    assert.equal(typeof sdk.createAdminClient, 'function');
    const client = sdk.createAdminClient({ baseUrl: 'http://127.0.0.1:1', adminKey: 'k' });
    assert.deepEqual(Object.keys(client).sort(), [...sdk.ADMIN_CLIENT_ROUTES].sort());
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const payload = JSON.stringify({ type: 'connection.activated' });
    const now = new Date();
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign('msg_1', now, payload) };
    assert.deepEqual(await sdk.verifyWebhook(payload, headers, secret), { type: 'connection.activated' });
    await assert.rejects(sdk.verifyWebhook(payload, headers, 'whsec_AAAA'), (error) => error instanceof sdk.PortalError && error.code === 'webhook_signature_invalid');
  });

  it('its built files import valibot only: no Lit, no UI or browser module, no Node module', async () => {
    const { files, bare } = await importGraph('admin.js');
    assert.deepEqual(bare, ['valibot'], `admin.js loads ${files.join(', ')}`);
    for (const file of files) {
      const code = await readFile(join(lib, file), 'utf8');
      assert.doesNotMatch(code, /customElements|HTMLElement|\bdocument\.|LitElement/, file);
    }
  });

  it('its types check a host file with tsc, and refuse each misuse marked @ts-expect-error', async () => {
    const good = await runTsc(['-p', 'test/types/tsconfig.json']);
    assert.equal(good.code, 0, good.output);

    // The same file without its @ts-expect-error lines, in a host project of its own (the package in its node_modules).
    const host = await mkdtemp(join(tmpdir(), 'sso-portal-admin-host-'));
    try {
      await mkdir(join(host, 'node_modules'));
      await symlink(root, join(host, 'node_modules/sso-admin-portal'), 'dir');
      await symlink(join(root, 'node_modules/@types'), join(host, 'node_modules/@types'), 'dir');
      const source = await readFile(join(root, 'test/types/admin-sdk-host.ts'), 'utf8');
      const lines = source.split('\n');
      const misuses = lines.flatMap((line, i) => (/^\s*\/\/ @ts-expect-error/.test(line) ? [i + 1] : []));
      assert.ok(misuses.length >= 5, 'the host file marks its misuses');
      // Blank lines keep the numbering: each misuse is then the line after its mark.
      await writeFile(join(host, 'host.ts'), lines.map((line) => (/^\s*\/\/ @ts-expect-error/.test(line) ? '' : line)).join('\n'));
      const config = JSON.parse((await readFile(join(root, 'test/types/tsconfig.json'), 'utf8')).replace(/^\s*\/\/.*$/gm, ''));
      // Only the host file's errors matter here (the run above checked the declarations too).
      await writeFile(join(host, 'tsconfig.json'), JSON.stringify({ ...config, compilerOptions: { ...config.compilerOptions, skipLibCheck: true }, files: ['host.ts'] }));
      await writeFile(join(host, 'package.json'), JSON.stringify({ name: 'host', type: 'module', private: true }));
      const bad = await runTsc(['-p', 'tsconfig.json'], host);
      assert.notEqual(bad.code, 0);
      const errorLines = [...bad.output.matchAll(/^host\.ts\((\d+),\d+\): error/gm)].map((m) => Number(m[1]));
      assert.deepEqual([...new Set(errorLines)], misuses.map((line) => line + 1), bad.output);
    } finally {
      await rm(host, { recursive: true, force: true });
    }
  });
});
