/// <reference types="node" />
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ADMIN_KEY, startHarness, type Harness } from './helpers.js';

const CLI = join(import.meta.dirname, '..', '..', 'src', 'server', 'cli.ts');

describe('portal CLI', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  const cli = (args: string[], key = ADMIN_KEY) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', CLI, ...args],
        { env: { ...process.env, SSO_PORTAL_URL: h.origin, SSO_PORTAL_ADMIN_KEY: key } },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });

  test('org create/list, link create/list/revoke, domain verify', async () => {
    const org = await cli(['org', 'create', 'Megacorp', 'Inc']);
    assert.equal(org.code, 0, org.stderr);
    const created = JSON.parse(org.stdout);
    assert.equal(created.name, 'Megacorp Inc');
    assert.ok(JSON.parse((await cli(['org', 'list'])).stdout).some((o: { id: string }) => o.id === created.id));

    const link = JSON.parse((await cli(['link', 'create', created.id, '--hours', '2'])).stdout);
    assert.match(link.url, /\/portal\//);
    assert.equal(link.expiresAt, new Date(h.clock.now.getTime() + 2 * 3_600_000).toISOString());
    assert.equal((await h.portal(link.token, 'GET', '/api/portal/session')).status, 200);
    assert.equal(JSON.parse((await cli(['link', 'list', created.id])).stdout).length, 1);
    assert.equal((await cli(['link', 'revoke', link.id])).code, 0);
    assert.equal((await h.portal(link.token, 'GET', '/api/portal/session')).status, 401);

    const domain = JSON.parse((await cli(['domain', 'verify', created.id, 'megacorp.example'])).stdout);
    assert.deepEqual([domain.name, domain.status, domain.method], ['megacorp.example', 'verified', 'manual']);
  });

  test('errors: usage (exit 2), API problems and a wrong key (exit 1)', async () => {
    const usage = await cli(['org', 'frobnicate']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /Usage: npm run portal/);
    const missing = await cli(['link', 'create', 'org_nope']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /404 not_found/);
    const denied = await cli(['org', 'list'], 'wrong');
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /401/);
  });
});
