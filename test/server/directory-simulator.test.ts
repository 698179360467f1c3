/// <reference types="node" />
/**
 * The Directory Simulator (issue 14, point 3): its request sequences per dialect (against a small
 * in-memory SCIM recorder given as its `fetch`: nothing goes over the network), its refusal of any
 * base URL off this server, and its page in the demo server.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { DirectorySimulatorError, checkScimBaseUrl, runDirectoryScenario, type DirectorySimulatorReport } from '../../src/server/simulator/directory/runner.js';
import { DIRECTORY_SCENARIOS, SCIM_SCHEMAS, type DirectoryDialect, type DirectoryScenario } from '../../src/server/simulator/directory/scenarios.js';
import { startLoginServer, type LoginServer } from './login-harness.js';

const ORIGIN = 'http://127.0.0.1:4400';
const BASE = `${ORIGIN}/scim/v2/dir_recorder`;
const TOKEN = 'scim-token-0123456789abcdef';

interface Recorded {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: any;
}

/**
 * A small SCIM service provider in memory: enough of RFC 7644 for the simulator's requests
 * (`eq` filters on userName and displayName, PATCH of active, names, the work email, title and
 * members in both Entra forms), recording every request.
 */
function scimRecorder() {
  const requests: Recorded[] = [];
  const users = new Map<string, any>();
  const groups = new Map<string, any>();
  let next = 1;
  const json = (status: number, body?: unknown) =>
    new Response(body === undefined ? null : JSON.stringify(body), { status, headers: body === undefined ? {} : { 'content-type': 'application/scim+json' } });
  const error = (status: number, detail: string, scimType?: string) => json(status, { schemas: [SCIM_SCHEMAS.error], status: String(status), detail, ...(scimType ? { scimType } : {}) });
  const bool = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() === 'true' : v === true);
  const applyUser = (user: any, path: string | undefined, value: any) => {
    if (path === undefined) {
      for (const [k, v] of Object.entries(value)) applyUser(user, k, v);
    } else if (path === 'active') user.active = bool(value);
    else if (path === 'name.familyName') user.name = { ...user.name, familyName: value };
    else if (path === 'emails[type eq "work"].value') user.emails = user.emails.map((e: any) => (e.type === 'work' ? { ...e, value } : e));
    else user[path] = value;
  };

  // eslint-disable-next-line @typescript-eslint/require-await -- a fetch: async like the real one
  const fetch = async (url: string, init: RequestInit): Promise<Response> => {
    const u = new URL(url);
    assert.ok(u.pathname.startsWith('/scim/v2/dir_recorder/'), u.pathname);
    const path = u.pathname.slice('/scim/v2/dir_recorder'.length);
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    requests.push({ method: init.method!, path: `${path}${u.search ? `?${decodeURIComponent(u.search.slice(1))}` : ''}`, headers: init.headers as Record<string, string>, body });
    const [, kind, id] = path.split('/') as [string, 'Users' | 'Groups', string | undefined];
    const store = kind === 'Users' ? users : groups;
    const out = (r: any) => ({ ...r, password: undefined });
    if (init.method === 'GET' && !id) {
      const filter = u.searchParams.get('filter');
      const m = filter ? /^(userName|displayName) eq "(.*)"$/.exec(filter) : null;
      const found = [...store.values()].filter((r) => !m || String(r[m[1]!]).toLowerCase() === m[2]!.toLowerCase());
      return json(200, { schemas: [SCIM_SCHEMAS.listResponse], totalResults: found.length, startIndex: 1, itemsPerPage: found.length, Resources: found.map(out) });
    }
    if (init.method === 'POST') {
      const created = { ...structuredClone(body), id: `id${next++}`, ...(kind === 'Groups' ? { members: structuredClone(body.members ?? []) } : {}) };
      store.set(created.id, created);
      return json(201, out(created));
    }
    const resource = id ? store.get(id) : undefined;
    if (!resource) return error(404, 'Resource not found');
    switch (init.method) {
      case 'GET':
        return json(200, out(resource));
      case 'PUT':
        store.set(id!, { ...body, id });
        return json(200, out(store.get(id!)));
      case 'DELETE':
        store.delete(id!);
        return json(204);
      case 'PATCH':
        for (const op of body.Operations) {
          const name = String(op.op).toLowerCase();
          if (kind === 'Users') applyUser(resource, op.path, op.value);
          else if (name === 'add') resource.members.push(...op.value.map((m: any) => ({ value: m.value })));
          else if (name === 'remove') {
            const gone = op.value ? op.value.map((m: any) => m.value) : [/^members\[value eq "(.*)"\]$/.exec(op.path)![1]];
            resource.members = resource.members.filter((m: any) => !gone.includes(m.value));
          }
        }
        return kind === 'Users' ? json(200, out(resource)) : json(204);
    }
    return error(405, 'Method not allowed');
  };
  return { requests, users, groups, fetch };
}

const run = (rec: ReturnType<typeof scimRecorder>, dialect: DirectoryDialect, scenario: DirectoryScenario, extra: { scimBaseUrl?: string; users?: number } = {}) =>
  runDirectoryScenario({ scimBaseUrl: BASE, token: TOKEN, dialect, scenario, serverOrigin: ORIGIN, users: 2, fetch: rec.fetch, ...extra });

const sent = (report: DirectorySimulatorReport) => report.steps.filter((s) => s.outcome !== 'skipped').map((s) => `${s.method} ${s.path}`);

describe('Directory Simulator: the requests of each dialect', () => {
  test('Okta: import, create, update, deactivate, reactivate, group push, membership change, deprovision', async () => {
    const rec = scimRecorder();
    const reports: DirectorySimulatorReport[] = [];
    for (const scenario of DIRECTORY_SCENARIOS) {
      const report = await run(rec, 'okta', scenario);
      reports.push(report);
      assert.equal(report.ok, true, `${scenario}: ${JSON.stringify(report.steps.filter((s) => s.outcome === 'fail'))}`);
    }
    const [imported, created, updated, deactivated, reactivated, pushed, changed, deprovisioned] = reports;
    assert.deepEqual(sent(imported!), [
      'GET /Users?startIndex=1&count=100',
      'GET /Users?filter=userName eq "ada.lovelace@megacorp.example"&startIndex=1&count=100',
      'POST /Users',
      'GET /Users?filter=userName eq "grace.hopper@megacorp.example"&startIndex=1&count=100',
      'POST /Users',
    ]);
    assert.deepEqual(sent(created!), ['GET /Users?filter=userName eq "dorothy.vaughan@megacorp.example"&startIndex=1&count=100', 'POST /Users']);
    const hire = [...rec.users.values()].find((u) => u.userName === 'dorothy.vaughan@megacorp.example');
    assert.deepEqual(sent(updated!).map((s) => s.split(' ')[0]), ['GET', 'GET', 'PUT']);
    assert.deepEqual(sent(deactivated!).slice(1), [`PATCH /Users/${hire.id}`, `GET /Users/${hire.id}`]);
    assert.deepEqual(sent(reactivated!).slice(1), [`PATCH /Users/${hire.id}`, `GET /Users/${hire.id}`]);
    assert.deepEqual(sent(pushed!).slice(-2).map((s) => s.split(' ')[0]), ['POST', 'GET']);
    assert.deepEqual(sent(changed!).slice(-3).map((s) => s.split(' ')[0]), ['PATCH', 'PATCH', 'GET']);
    assert.deepEqual(sent(deprovisioned!).map((s) => s.split(' ')[0]), ['GET', 'PATCH', 'GET', 'GET', 'DELETE', 'GET']);

    // The bodies as Okta's SCIM 2.0 reference shows them.
    const create = rec.requests.find((r) => r.method === 'POST' && r.path === '/Users')!;
    assert.deepEqual(create.body.schemas, [SCIM_SCHEMAS.user]);
    assert.equal(create.body.userName, 'ada.lovelace@megacorp.example');
    assert.deepEqual(create.body.emails, [{ primary: true, value: 'ada.lovelace@megacorp.example', type: 'work' }]);
    assert.match(create.body.externalId, /^00u[0-9a-z]{17}$/);
    assert.equal(typeof create.body.password, 'string', 'Okta syncs a password');
    assert.equal(create.body.active, true);
    const put = rec.requests.find((r) => r.method === 'PUT')!;
    assert.equal(put.body.id, hire.id);
    assert.equal(put.body.name.familyName, 'Vaughan-Mitchell');
    const patches = rec.requests.filter((r) => r.method === 'PATCH' && r.path.startsWith('/Users/'));
    assert.deepEqual(patches[0]!.body, { schemas: [SCIM_SCHEMAS.patchOp], Operations: [{ op: 'replace', value: { active: false } }] });
    assert.deepEqual(patches[1]!.body.Operations, [{ op: 'replace', value: { active: true } }]);
    const groupPost = rec.requests.find((r) => r.method === 'POST' && r.path === '/Groups')!;
    assert.deepEqual(groupPost.body.members.map((m: any) => m.display), ['ada.lovelace@megacorp.example', 'grace.hopper@megacorp.example']);
    const groupPatches = rec.requests.filter((r) => r.method === 'PATCH' && r.path.startsWith('/Groups/'));
    assert.deepEqual(groupPatches[0]!.body.Operations, [{ op: 'add', path: 'members', value: [{ value: hire.id, display: hire.userName }] }]);
    const grace = [...rec.users.values()].find((u) => u.userName === 'grace.hopper@megacorp.example');
    assert.deepEqual(groupPatches[1]!.body.Operations, [{ op: 'remove', path: `members[value eq "${grace.id}"]` }]);
    // Okta never deletes a user: the new hire is kept, inactive; the group is gone.
    assert.equal(rec.users.get(hire.id).active, false);
    assert.equal(rec.groups.size, 0);
    for (const r of rec.requests) {
      assert.equal(r.headers.authorization, `Bearer ${TOKEN}`);
      assert.equal(r.headers.accept, 'application/scim+json');
      assert.match(r.headers['user-agent']!, /^Okta SCIM Client/);
      if (r.body !== undefined) assert.equal(r.headers['content-type'], 'application/scim+json; charset=utf-8');
    }
    // The report hides the password.
    assert.ok(!JSON.stringify(reports).includes(create.body.password));
  });

  test('Entra ID: capitalised ops, "False", Remove with a value array; DELETE deprovisions', async () => {
    const rec = scimRecorder();
    const reports: DirectorySimulatorReport[] = [];
    for (const scenario of DIRECTORY_SCENARIOS) {
      const report = await run(rec, 'entra', scenario);
      reports.push(report);
      assert.equal(report.ok, true, `${scenario}: ${JSON.stringify(report.steps.filter((s) => s.outcome === 'fail'))}`);
    }
    const [imported, , , , , pushed, , deprovisioned] = reports;
    assert.deepEqual(sent(imported!), [
      'GET /Users?filter=userName eq "ada.lovelace@megacorp.example"',
      'POST /Users',
      'GET /Users?filter=userName eq "grace.hopper@megacorp.example"',
      'POST /Users',
      'GET /Groups?excludedAttributes=members&filter=displayName eq "Engineering"',
      'POST /Groups',
      `PATCH /Groups/${[...rec.groups.keys()][0]}`,
      `GET /Groups/${[...rec.groups.keys()][0]}`,
    ]);
    // The group exists: the push finds it and skips the POST, as Entra ID matches it.
    assert.equal(pushed!.steps.find((s) => s.method === 'POST')!.outcome, 'skipped');
    const create = rec.requests.find((r) => r.method === 'POST' && r.path === '/Users')!;
    assert.deepEqual(create.body.schemas, [SCIM_SCHEMAS.user, SCIM_SCHEMAS.enterpriseUser]);
    assert.deepEqual(create.body.meta, { resourceType: 'User' });
    assert.deepEqual(create.body.roles, []);
    assert.match(create.body.externalId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    const groupPost = rec.requests.find((r) => r.method === 'POST' && r.path === '/Groups')!;
    assert.deepEqual(groupPost.body.schemas, [SCIM_SCHEMAS.group, SCIM_SCHEMAS.entraGroup]);
    const ops = rec.requests.filter((r) => r.method === 'PATCH').flatMap((r) => r.body.Operations);
    assert.ok(ops.every((op: any) => /^[A-Z]/.test(op.op)), 'capitalised ops');
    assert.ok(ops.some((op: any) => op.op === 'Replace' && op.path === 'active' && op.value === 'False'));
    assert.ok(ops.some((op: any) => op.op === 'Replace' && op.path === 'active' && op.value === 'True'));
    assert.ok(ops.some((op: any) => op.op === 'Replace' && op.path === 'emails[type eq "work"].value'));
    assert.ok(ops.some((op: any) => op.op === 'Remove' && op.path === 'members' && Array.isArray(op.value) && op.value[0].$ref === null));
    assert.deepEqual(sent(deprovisioned!).map((s) => s.split(' ')[0]), ['GET', 'DELETE', 'GET']);
    assert.equal(deprovisioned!.steps.at(-1)!.status, 404);
    assert.equal([...rec.users.values()].some((u) => u.userName === 'dorothy.vaughan@megacorp.example'), false);
    for (const r of rec.requests) assert.match(r.headers['user-agent']!, /^Microsoft Entra/);
  });

  test('Entra ID with ?aadOptscim062020: lower-case ops, booleans, members[value eq] removal', async () => {
    const rec = scimRecorder();
    for (const scenario of ['initial-import', 'create', 'update', 'deactivate', 'membership-change'] as const) {
      const report = await run(rec, 'entra', scenario, { scimBaseUrl: `${BASE}?aadOptscim062020` });
      assert.equal(report.ok, true, `${scenario}: ${JSON.stringify(report.steps.filter((s) => s.outcome === 'fail'))}`);
      assert.equal(report.entraFlag, true);
    }
    assert.ok(rec.requests.every((r) => !r.path.includes('aadOpt')), 'the flag is not sent on');
    const ops = rec.requests.filter((r) => r.method === 'PATCH').flatMap((r) => r.body.Operations);
    assert.ok(ops.every((op: any) => /^[a-z]/.test(op.op)));
    assert.ok(ops.some((op: any) => op.op === 'replace' && op.path === 'active' && op.value === false));
    assert.ok(ops.some((op: any) => op.op === 'replace' && op.path === undefined && op.value['name.familyName'] === 'Vaughan-Mitchell'));
    assert.ok(ops.some((op: any) => op.op === 'remove' && /^members\[value eq "id\d+"\]$/.test(op.path)));
  });
});

describe('Directory Simulator: what the runner reports', () => {
  test('a step the server gets wrong fails with what was expected; later steps are not sent', async () => {
    const rec = scimRecorder();
    const broken = async (url: string, init: RequestInit) => (init.method === 'POST' ? new Response('{"id":"x"}', { status: 200, headers: { 'content-type': 'application/json' } }) : rec.fetch(url, init));
    const report = await runDirectoryScenario({ scimBaseUrl: BASE, token: TOKEN, dialect: 'okta', scenario: 'initial-import', serverOrigin: ORIGIN, fetch: broken });
    assert.equal(report.ok, false);
    const failed = report.steps.find((s) => s.outcome === 'fail')!;
    assert.equal(failed.method, 'POST');
    assert.equal(failed.expected, '201 with an id');
    assert.match(failed.problem!, /Expected 201 with an id, got 200/);
    assert.ok(report.steps.slice(failed.n).every((s) => s.outcome === 'skipped' && s.status === null));
    assert.equal(rec.requests.length, failed.n - 1, 'nothing sent after the failure');
  });

  test('a SCIM error is reported with its scimType and detail; a lookup ignoring the filter fails', async () => {
    const scimError = () =>
      Promise.resolve( new Response(JSON.stringify({ schemas: [SCIM_SCHEMAS.error], status: '401', detail: 'Bad token' }), { status: 401, headers: { 'content-type': 'application/scim+json' } }),
      );
    const refused = await runDirectoryScenario({ scimBaseUrl: BASE, token: TOKEN, dialect: 'entra', scenario: 'create', serverOrigin: ORIGIN, fetch: scimError });
    assert.deepEqual(refused.steps[0]!.scimError, { detail: 'Bad token' });
    assert.equal(refused.steps[0]!.status, 401);
    const everyone = () =>
      Promise.resolve(
        new Response(JSON.stringify({ schemas: [SCIM_SCHEMAS.listResponse], totalResults: 1, Resources: [{ id: 'u1', userName: 'someone.else@megacorp.example' }] }), {
        status: 200,
          headers: { 'content-type': 'application/scim+json' },
        }),
      );
    const unfiltered = await runDirectoryScenario({ scimBaseUrl: BASE, token: TOKEN, dialect: 'entra', scenario: 'create', serverOrigin: ORIGIN, fetch: everyone });
    assert.match(unfiltered.steps[0]!.problem!, /filter userName eq "dorothy.vaughan@megacorp.example" answered "someone.else@megacorp.example"/);
  });

  test('update before create: the missing user is said in plain words, nothing more is sent', async () => {
    const rec = scimRecorder();
    const report = await run(rec, 'entra', 'update');
    assert.equal(report.ok, false);
    assert.match(report.steps[0]!.problem!, /Expected 1 match, found 0: run the scenario that creates it first/);
    assert.equal(rec.requests.length, 1);
    // The steps not sent show where they would have gone.
    assert.equal(report.steps[1]!.path, '/Users/{id of user:dorothy.vaughan@megacorp.example}');
    assert.equal(report.steps[1]!.outcome, 'skipped');
  });

  test('an answer that echoes the bearer token fails', async () => {
    const leaky = () => Promise.resolve(new Response(JSON.stringify({ schemas: [SCIM_SCHEMAS.listResponse], totalResults: 0, Resources: [], note: TOKEN }), { status: 200, headers: { 'content-type': 'application/scim+json' } }));
    const report = await runDirectoryScenario({ scimBaseUrl: BASE, token: TOKEN, dialect: 'okta', scenario: 'create', serverOrigin: ORIGIN, fetch: leaky });
    assert.equal(report.steps[0]!.problem, 'The answer contains the bearer token.');
  });
});

describe('Directory Simulator: only this server (no SSRF)', () => {
  const refusedBases: [string, string][] = [
    ['http://10.0.0.1/scim/v2/dir_1', 'simulator_foreign_url'],
    ['http://169.254.169.254/scim/v2/dir_1', 'simulator_foreign_url'],
    ['http://127.0.0.1:4401/scim/v2/dir_1', 'simulator_foreign_url'],
    ['https://127.0.0.1:4400/scim/v2/dir_1', 'simulator_foreign_url'],
    ['http://localhost:4400/scim/v2/dir_1', 'simulator_foreign_url'],
    ['http://evil.example@127.0.0.1:4400/scim/v2/dir_1', 'simulator_invalid_url'],
    ['http://127.0.0.1:4400/api/admin/organizations', 'simulator_invalid_url'],
    ['http://127.0.0.1:4400/scim/v2/dir_1/../../api/admin', 'simulator_invalid_url'],
    ['http://127.0.0.1:4400/scim/v2/dir_1?next=http://10.0.0.1', 'simulator_invalid_url'],
    ['file:///etc/passwd', 'simulator_invalid_url'],
    ['not a url', 'simulator_invalid_url'],
  ];
  for (const [base, code] of refusedBases) {
    test(`refuses ${base} before sending anything (${code})`, async () => {
      let calls = 0;
      await assert.rejects(
        runDirectoryScenario({ scimBaseUrl: base, token: TOKEN, dialect: 'okta', scenario: 'create', serverOrigin: ORIGIN, fetch: () => (calls++, Promise.resolve(new Response(null, { status: 500 }))) }),
        (error: unknown) => error instanceof DirectorySimulatorError && error.code === code && error.field === 'scimBaseUrl',
      );
      assert.equal(calls, 0);
    });
  }

  test('accepts the server’s own SCIM base URL, with or without a trailing slash or Entra’s flag', () => {
    assert.deepEqual(checkScimBaseUrl(`${BASE}/`, ORIGIN), { base: BASE, entraFlag: false });
    assert.deepEqual(checkScimBaseUrl(`${BASE}?aadOptSCIM062020=true`, `${ORIGIN}/`), { base: BASE, entraFlag: true });
  });

  test('bad options are refused with a field and a plain message', async () => {
    const attempt = (extra: Record<string, unknown>) =>
      runDirectoryScenario({ scimBaseUrl: BASE, token: TOKEN, dialect: 'okta', scenario: 'create', serverOrigin: ORIGIN, fetch: () => assert.fail('nothing is sent'), ...extra } as never);
    await assert.rejects(attempt({ token: '' }), { code: 'simulator_invalid_token', field: 'token' });
    await assert.rejects(attempt({ token: 'has space' }), { code: 'simulator_invalid_token' });
    await assert.rejects(attempt({ users: 0 }), { code: 'simulator_invalid_options', field: 'users' });
    await assert.rejects(attempt({ users: 51 }), { field: 'users' });
    await assert.rejects(attempt({ domain: 'not a domain' }), { field: 'domain' });
    await assert.rejects(attempt({ dialect: 'onelogin' }), { field: 'dialect' });
    await assert.rejects(attempt({ scenario: 'rm -rf' }), { field: 'scenario' });
  });
});

describe('Directory Simulator: the page (demo server)', () => {
  let server: LoginServer;
  before(async () => {
    server = await startLoginServer();
  });
  after(() => server.close());

  const post = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${server.origin}/simulator/directory`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.origin, 'sec-fetch-site': 'same-origin', ...headers },
      body: new URLSearchParams(fields).toString(),
    });

  test('GET shows the form: labelled fields, both dialects, every scenario, page headers, no inline script', async () => {
    const response = await fetch(`${server.origin}/simulator/directory?scimBaseUrl=${encodeURIComponent('"><script>alert(1)</script>')}`);
    assert.equal(response.status, 200);
    const csp = response.headers.get('content-security-policy')!;
    assert.match(csp, /(^|; )script-src 'self'(;|$)/, 'scripts from this server only, nothing inline');
    assert.match(csp, /form-action 'self'/);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const page = await response.text();
    for (const id of ['scimBaseUrl', 'token', 'users', 'domain', 'dialect-okta', 'dialect-entra', ...DIRECTORY_SCENARIOS.map((s) => `scenario-${s}`)]) {
      assert.match(page, new RegExp(`<label for="${id}">`), id);
      assert.match(page, new RegExp(`id="${id}"`), id);
    }
    assert.doesNotMatch(page, /<script>alert/);
    assert.match(page, /value="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
    assert.doesNotMatch(page, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
  });

  test('a foreign base URL is refused in text, with the field marked, and nothing runs', async () => {
    const response = await post({ scimBaseUrl: 'http://169.254.169.254/scim/v2/dir_1', token: TOKEN, dialect: 'okta', scenario: 'create', users: '2', domain: 'megacorp.example' });
    assert.equal(response.status, 400);
    const page = await response.text();
    assert.match(page, /role="alert"><p>The Directory Simulator sends requests only to this server/);
    assert.match(page, /id="scimBaseUrl"[^>]*aria-invalid="true" aria-describedby="form-error"/);
    assert.doesNotMatch(page, /<table>/);
    assert.ok(!page.includes(TOKEN), 'the token is never written back');
  });

  test('a run shows its report as a table (a failing one too), hostile values escaped, the token not echoed', async () => {
    // No directory by this id: the server answers the first request with an error, the report says so.
    const response = await post({ scimBaseUrl: `${server.origin}/scim/v2/dir_nothere`, token: TOKEN, dialect: 'entra', scenario: 'create', users: '2', domain: 'megacorp.example' });
    assert.equal(response.status, 200);
    const page = await response.text();
    assert.match(page, /<caption id="report-caption">Requests in the order they were sent<\/caption>/);
    assert.match(page, /<th scope="col">Status<\/th>/);
    assert.match(page, /<h2 id="report-title">Failed: Create a user as Microsoft Entra ID<\/h2>/);
    assert.match(page, /GET \/Users\?filter=userName eq &quot;dorothy\.vaughan@megacorp\.example&quot;/);
    assert.ok(!page.includes(TOKEN));
    assert.match(page, /id="dialect-entra" name="dialect" value="entra" checked/);
  });

  test('posts from another site, or at another Host, are refused', async () => {
    const cross = await post({ scimBaseUrl: `${server.origin}/scim/v2/dir_1`, token: TOKEN, dialect: 'okta', scenario: 'create' }, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    assert.equal(cross.status, 403);
    assert.match(await cross.text(), /only from its own page/);
    const noOrigin = await fetch(`${server.origin}/simulator/directory`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'dialect=okta' });
    assert.equal(noOrigin.status, 403);
    // DNS rebinding: another name for this address gets nothing.
    const rebound = await new Promise<number>((resolve, reject) => {
      const { hostname, port } = new URL(server.origin);
      request({ hostname, port, path: '/simulator/directory', headers: { host: 'attacker.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      })
        .on('error', reject)
        .end();
    });
    assert.equal(rebound, 403);
  });
});

describe('Directory Simulator against the real SCIM server', () => {
  let server: LoginServer;
  before(async () => {
    server = await startLoginServer();
  });
  after(() => server.close());

  /** An organization with a portal link and a directory for `provider`, enabled; its SCIM base URL and token. */
  async function directoryFor(name: string, provider: 'okta' | 'entra-id') {
    const { token: portalToken } = await server.organization(name);
    const created = await server.portal(portalToken, 'POST', '/api/portal/directories', { provider });
    assert.equal(created.status, 201, created.text);
    const { directory, token } = created.body as { directory: { id: string; scimBaseUrl: string; version: number }; token: string };
    assert.equal(directory.scimBaseUrl, `${server.origin}/scim/v2/${directory.id}`);
    const enabled = await server.portal(portalToken, 'PUT', `/api/portal/directories/${directory.id}/enabled`, { enabled: true, version: directory.version });
    assert.equal(enabled.status, 200, enabled.text);
    const scim = async (path: string) => {
      const response = await fetch(`${directory.scimBaseUrl}${path}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/scim+json' } });
      return { status: response.status, body: await response.json() };
    };
    const portal = async () => (await server.portal(portalToken, 'GET', `/api/portal/directories/${directory.id}`)).body as { counts: { users: number; activeUsers: number; groups: number }; lastSyncAt: string | null };
    return { directory, token, scim, portal, portalToken };
  }

  /** The directory's users as the host's admin API lists them. */
  const adminUsers = async (directoryId: string, query = '') => {
    const answer = await server.admin('GET', `/api/admin/directories/${directoryId}/users?limit=200${query}`);
    assert.equal(answer.status, 200, answer.text);
    return answer.body.data as { userName: string; active: boolean; groups: { displayName: string }[] }[];
  };

  const userNamed = async (scim: (path: string) => Promise<{ status: number; body: any }>, userName: string) => {
    const answer = await scim(`/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`);
    assert.equal(answer.status, 200);
    return answer.body.Resources[0];
  };

  for (const [dialect, provider, flag] of [
    ['okta', 'okta', ''],
    ['entra', 'entra-id', ''],
    ['entra', 'entra-id', '?aadOptscim062020'],
  ] as const) {
    test(`${dialect}${flag ? ` with ${flag}` : ''}: every scenario from the initial import to deprovisioning`, async () => {
      const { directory, token, scim, portal } = await directoryFor(`Provisioned by ${dialect}${flag}`, provider);
      const runScenario = async (scenario: DirectoryScenario) => {
        const report = await runDirectoryScenario({ scimBaseUrl: `${directory.scimBaseUrl}${flag}`, token, dialect, scenario, serverOrigin: server.origin, users: 3 });
        assert.equal(report.ok, true, `${scenario}: ${JSON.stringify(report.steps.filter((s) => s.outcome !== 'pass'), null, 1)}`);
        return report;
      };
      const hire = 'dorothy.vaughan@megacorp.example';

      await runScenario('initial-import');
      assert.equal((await scim('/Users')).body.totalResults, 3);
      assert.deepEqual((await portal()).counts, { users: 3, activeUsers: 3, groups: dialect === 'entra' ? 1 : 0 });

      await runScenario('create');
      const created = await userNamed(scim, hire);
      assert.equal(created.active, true);
      assert.equal(created.password, undefined, 'the password is never returned');

      await runScenario('update');
      const updated = await userNamed(scim, hire);
      assert.equal(updated.name.familyName, 'Vaughan-Mitchell');
      assert.equal(updated.title, 'Staff Mathematician');

      await runScenario('deactivate');
      assert.equal((await userNamed(scim, hire)).active, false);
      assert.equal((await portal()).counts.activeUsers, 3);
      await runScenario('reactivate');
      assert.equal((await userNamed(scim, hire)).active, true);
      assert.equal((await portal()).counts.activeUsers, 4);

      await runScenario('group-push');
      await runScenario('membership-change');
      const groups = (await scim(`/Groups?filter=${encodeURIComponent('displayName eq "Engineering"')}`)).body;
      assert.equal(groups.totalResults, 1);
      const members = ((await scim(`/Groups/${groups.Resources[0].id}`)).body.members as { value: string }[]).map((m) => m.value).sort();
      const ids = async (...userNames: string[]) => Promise.all(userNames.map(async (u) => (await userNamed(scim, u)).id as string));
      assert.deepEqual(members, (await ids('ada.lovelace@megacorp.example', 'grace.hopper@megacorp.example', hire)).sort(), 'Alan Turing left, the new hire joined');
      // The host's view (admin API) says the same.
      const groupsOf = (users: any[], userName: string) => users.find((u) => u.userName === userName)?.groups.map((g: { displayName: string }) => g.displayName);
      const listed = await adminUsers(directory.id);
      assert.deepEqual(groupsOf(listed, hire), ['Engineering']);
      assert.deepEqual(groupsOf(listed, 'alan.turing@megacorp.example'), []);

      await runScenario('deprovision');
      const adminGroups = await server.admin('GET', `/api/admin/directories/${directory.id}/groups?limit=200`);
      assert.equal(adminGroups.status, 200, adminGroups.text);
      if (dialect === 'okta') {
        assert.equal((await userNamed(scim, hire)).active, false, 'Okta deactivates, never deletes');
        assert.equal((await scim(`/Groups/${groups.Resources[0].id}`)).status, 404, 'the unpushed group is deleted');
        assert.deepEqual((await portal()).counts, { users: 4, activeUsers: 3, groups: 0 });
        assert.deepEqual((await adminUsers(directory.id, '&active=false')).map((u) => u.userName), [hire]);
        assert.deepEqual(adminGroups.body.data, []);
      } else {
        assert.equal(await userNamed(scim, hire), undefined, 'Entra ID deletes the user');
        assert.deepEqual((await portal()).counts, { users: 3, activeUsers: 3, groups: 1 });
        assert.deepEqual((await adminUsers(directory.id, '&active=false')).map((u) => u.userName), []);
        assert.deepEqual(adminGroups.body.data.map((g: { displayName: string; memberCount: number }) => [g.displayName, g.memberCount]), [['Engineering', 2]]);
      }
      assert.notEqual((await portal()).lastSyncAt, null);
    });
  }

  test('the page runs a scenario against a real directory and shows it passed', async () => {
    const { directory, token, scim } = await directoryFor('Paged Corp', 'okta');
    const response = await fetch(`${server.origin}/simulator/directory`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.origin, 'sec-fetch-site': 'same-origin' },
      body: new URLSearchParams({ scimBaseUrl: directory.scimBaseUrl, token, dialect: 'okta', scenario: 'initial-import', users: '2', domain: 'paged.example' }).toString(),
    });
    assert.equal(response.status, 200);
    const page = await response.text();
    assert.match(page, /<h2 id="report-title">Passed: Initial import as Okta<\/h2>/);
    assert.match(page, /Every answer is what Okta expects: 5 steps passed\./);
    assert.ok(!page.includes(token));
    assert.equal((await scim('/Users')).body.totalResults, 2);
  });

  test('a wrong token: the report shows the SCIM error and stops at the first request', async () => {
    const { directory } = await directoryFor('Wrong Token Corp', 'entra-id');
    const report = await runDirectoryScenario({ scimBaseUrl: directory.scimBaseUrl, token: 'scim_not-the-token', dialect: 'entra', scenario: 'initial-import', serverOrigin: server.origin });
    assert.equal(report.ok, false);
    assert.equal(report.steps[0]!.status, 401);
    assert.ok(report.steps.slice(1).every((s) => s.outcome === 'skipped'));
  });
});
