// What a new user sees in the terminal after `npm start`: one block of URLs, printed once and
// last, with nothing on stderr (no build chatter, no dependency warnings such as oidc-provider's
// "Unsupported runtime" on Node 20). No sleeps: the wait is on output.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startProduct, stopProduct } from './product.mjs';

const LAST_LINE = 'Press Ctrl-C to stop.';
const LABELS = ['Server', 'Data', 'Dashboard', 'Portal link', 'Link expires', 'Settings page', 'Login page', 'IdP simulator', 'SCIM simulator', 'Admin key'];

describe('npm start: the terminal', () => {
  let tempDir;
  let server;

  before(async () => {
    tempDir = await mkdtemp(join(tmpdir(), 'sso-portal-first-run-'));
    // As on a fresh clone: the data folder does not exist yet.
    server = await startProduct(join(tempDir, '.data'));
    if (!server.output.stdout.includes(LAST_LINE)) {
      await new Promise((resolve) => {
        const onData = () => {
          if (!server.output.stdout.includes(LAST_LINE)) return;
          server.child.stdout.off('data', onData);
          resolve();
        };
        server.child.stdout.on('data', onData);
      });
    }
  });

  after(async () => {
    await stopProduct(server);
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  });

  it('prints each URL and the admin key once, as the last block', () => {
    const out = server.output.stdout;
    for (const label of LABELS) {
      const count = out.split('\n').filter((line) => line.trimStart().startsWith(`${label}:`)).length;
      assert.equal(count, 1, `"${label}:" printed ${count} times:\n${out}`);
    }
    assert.equal(out.trimEnd().split('\n').at(-1), LAST_LINE, `the block is not last:\n${out}`);
    const block = out.slice(out.indexOf('  Server:'));
    assert.ok(block.indexOf('Dashboard:') < block.indexOf('Admin key:'), out);
    assert.equal(out.match(new RegExp(server.adminKey, 'g'))?.length, 1, 'the admin key is printed once');
    assert.equal(out.match(new RegExp(server.portal, 'g'))?.length, 1, 'the portal link is printed once');
  });

  it('prints at most one line before the block (the bundle build, when it runs) and nothing on stderr', () => {
    const out = server.output.stdout;
    const before = out.slice(0, out.indexOf('  Server:')).split('\n').filter((line) => line.trim() !== '' && !line.startsWith('>'));
    assert.ok(before.length <= 1, `printed before the URLs:\n${before.join('\n')}`);
    if (before.length) assert.match(before[0], /^Building the portal bundle .*done in [\d.]+ s\.$/);
    assert.equal(server.output.stderr.trim(), '', `stderr:\n${server.output.stderr}`);
  });
});

describe('npm start: stopped as soon as it printed its URLs', () => {
  it('closes cleanly (exit 0) every time: the server listens for the signal before it prints', async () => {
    // A signal that came before the server's handlers killed it without closing the database
    // (start.mjs then ended with 1): about every other time on this machine.
    const tempDir = await mkdtemp(join(tmpdir(), 'sso-portal-stop-early-'));
    try {
      for (let i = 0; i < 4; i++) {
        const server = await startProduct(join(tempDir, '.data'));
        await stopProduct(server); // asserts start.mjs ended with 0
      }
    } finally {
      await rm(tempDir, { recursive: true, force: true });
    }
  });
});
