/// <reference types="node" />
/**
 * The SCIM request log's structured form (issue 16, point 1): beside the English `summary` and
 * `remedy` of the REST contract (unchanged), each entry keeps the summary's code and values and a
 * refusal's facts, so the portal words them in the admin's language; the English is written from
 * the same words (`core/directory-request-text.ts`) whatever language the provider asks for.
 * Older rows (no code) read back without the fields. PGlite, or PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness } from './helpers.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

let h: Harness;
before(async () => {
  h = await startHarness({ testDurationMs: 0 });
});
after(() => h.close());

async function scim(token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${h.origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/scim+json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.text()) || undefined };
}

describe('SCIM request log: code, values and facts beside the English text', () => {
  test('an accepted and a refused request store their structured form and the same English as before, in English whatever the provider asks for', async () => {
    const org = await h.organization('Log Corp');
    const created = await h.portal(org.token, 'POST', '/api/portal/directories', { provider: 'entra-id' });
    assert.equal(created.status, 201, created.text);
    const { id } = created.body.directory;
    const token = created.body.token as string;
    const base = `/scim/v2/${id}`;
    const german = { 'accept-language': 'de-DE, de;q=0.9' };

    const ada = await scim(token, 'POST', `${base}/Users`, { schemas: [USER], userName: 'ada@log.example', emails: [{ value: 'ada@log.example' }] }, german);
    assert.equal(ada.status, 201, ada.body);
    assert.equal((await scim(token, 'GET', `${base}/Users?filter=${encodeURIComponent('userName eq "nobody@log.example"')}`, undefined, german)).status, 200);
    const group = await scim(token, 'POST', `${base}/Groups`, { schemas: [GROUP], displayName: 'Sales', members: [{ value: JSON.parse(ada.body!).id }] });
    assert.equal(group.status, 201);
    // Entra's non-compliant PATCH (no `op` casing SCIM knows): refused, with its own remedy.
    assert.equal((await scim(token, 'PATCH', `${base}/Users/${JSON.parse(ada.body!).id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Frobnicate', path: 'active', value: false }] }, german)).status, 400);
    assert.equal((await scim('scim_wrong', 'GET', `${base}/Users`, undefined, german)).status, 401);

    const log = await h.portal(org.token, 'GET', `/api/portal/directories/${id}/requests`);
    assert.equal(log.status, 200, log.text);
    const [wrongToken, patch, groupCreated, lookup, userCreated] = log.body;
    assert.deepEqual(userCreated, { ...userCreated, summary: 'Created user ada@log.example', summaryCode: 'user_created', summaryValues: { user: 'ada@log.example' }, status: 201 });
    assert.equal(userCreated.error, undefined);
    assert.deepEqual([lookup.summary, lookup.summaryCode, lookup.summaryValues], ['Looked up users by userName (0 found)', 'users_looked_up', { attributes: ['userName'], found: 0 }]);
    assert.deepEqual([groupCreated.summary, groupCreated.summaryCode, groupCreated.summaryValues], ['Created group Sales with 1 member', 'group_created', { group: 'Sales', members: 1 }]);

    assert.equal(patch.summaryCode, 'request_refused');
    assert.deepEqual(patch.summaryValues, { method: 'PATCH', resource: 'Users', id: JSON.parse(ada.body!).id });
    assert.equal(patch.summary, `Refused: Update user ${JSON.parse(ada.body!).id}`);
    assert.deepEqual(patch.error.facts, { status: 400, method: 'PATCH', resource: 'Users', ...(patch.error.scimType ? { scimType: patch.error.scimType } : {}) });
    assert.match(patch.error.remedy, /^Entra ID's default PATCH requests do not follow SCIM 2\.0\. Add \?aadOptscim062020 to the Tenant URL/);

    assert.deepEqual(wrongToken.summaryValues, { method: 'GET', resource: 'Users' });
    assert.equal(wrongToken.summary, 'Refused: List users');
    assert.deepEqual(wrongToken.error.facts, { status: 401, method: 'GET', resource: 'Users', tokenProblem: 'wrong' });
    assert.equal(
      wrongToken.error.remedy,
      "Copy the token again from the portal into Entra's Secret Token field (the enterprise application's Provisioning, Admin Credentials). A token stops working as soon as a new one is generated; generate one in the portal if it was lost.",
    );

    // Stored in their columns.
    const rows = await h.database.db.selectFrom('directory_requests').select(['summary_code', 'summary_values', 'remedy_facts']).where('directory_id', '=', id).orderBy('seq', 'desc').execute();
    assert.deepEqual(rows[0], { summary_code: 'request_refused', summary_values: { method: 'GET', resource: 'Users' }, remedy_facts: { status: 401, method: 'GET', resource: 'Users', tokenProblem: 'wrong' } });
    assert.equal(rows[4]!.remedy_facts, null);
  });

  test('a row written before the codes (no summary_code) reads back with its English text only', async () => {
    const org = await h.organization('Old Rows Corp');
    const created = await h.portal(org.token, 'POST', '/api/portal/directories', { provider: 'okta' });
    const { id } = created.body.directory;
    await h.database.db
      .insertInto('directory_requests')
      .values({ id: 'dreq_old', directory_id: id, at: h.clock.now.toISOString(), method: 'POST', path: '/Users', summary: 'Created user old@log.example', status: 400, scim_type: null, detail: 'Old detail.', remedy: 'Old remedy.', summary_code: null, summary_values: null, remedy_facts: null })
      .execute();
    const log = await h.portal(org.token, 'GET', `/api/portal/directories/${id}/requests`);
    assert.deepEqual(log.body[0], { id: 'dreq_old', at: h.clock.now.toISOString(), method: 'POST', path: '/Users', summary: 'Created user old@log.example', status: 400, error: { detail: 'Old detail.', remedy: 'Old remedy.' } });
  });
});
