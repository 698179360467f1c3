/// <reference types="node" />
/**
 * What the login flows keep in the database (issue 11 point 5): logins in flight
 * (`login_transactions`), the SAML replay cache (`replay_cache`) and the demo app's sign-in
 * sessions (`sign_in_sessions`). On the run's database (`SSO_PORTAL_TEST_DATABASE`: PGlite by
 * default, or a real PostgreSQL, where concurrent callers really run at once on several connections).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../src/server/db/database.js';
import { PendingLogins, type PendingLogin } from '../../src/server/login/pending-logins.js';
import { SignInSessions, type SignedInUser } from '../../src/server/login/sign-in-sessions.js';
import { ReplayCache } from '../../src/server/saml/replay-cache.js';
import { openTestDatabase } from '../support/test-database.js';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const MINUTE = 60_000;

/** A clock the test moves. */
function clock() {
  const c = { now: T0, advance: (ms: number) => (c.now = new Date(c.now.getTime() + ms)), read: () => c.now };
  return c;
}

/** The organization and connections the rows refer to (the SQL store writes them in the server). */
async function seed(database: Database) {
  await database.db.insertInto('organizations').values({ id: 'org-a', name: 'A', branding: { name: 'A', accentColor: '#4f46e5' } }).execute();
  await database.db
    .insertInto('connections')
    .values(
      (['conn-1', 'conn-2'] as const).map((id) => ({
        id,
        organization_id: 'org-a',
        protocol: 'saml' as const,
        provider_id: 'okta',
        name: null,
        status: 'draft' as const,
        config: { saml: null, oidc: null, attributeMapping: { email: 'email' }, lastTest: null },
        updated_at: T0,
      })),
    )
    .execute();
}

const OWNER = { organizationId: 'org-a', connectionId: 'conn-1', protocol: 'saml' } as const;
const testLogin = (): Omit<PendingLogin, 'key' | 'expiresAt'> => ({ purpose: 'test', ...OWNER, testId: 'test-1', openerOrigin: 'https://host.example' });

let database: Database;
before(async () => {
  database = await openTestDatabase();
  await seed(database);
});
after(() => database.close());

describe('PendingLogins (login_transactions)', () => {
  test('a login is kept with its payload, read back while in flight, and taken once', async () => {
    const time = clock();
    const logins = new PendingLogins(database, { now: time.read });
    const login = await logins.add(testLogin());
    assert.match(login.key, /^[A-Za-z0-9_-]{32}$/);
    assert.equal(login.expiresAt, T0.getTime() + 15 * MINUTE, '15 minutes by default');
    assert.deepEqual(await logins.get(login.key), login);

    const taken = await logins.take(login.key, OWNER);
    assert.ok('found' in taken);
    assert.deepEqual(taken.found, login);
    assert.equal(await logins.get(login.key), undefined, 'used up: no longer in flight');
    assert.deepEqual(await logins.take(login.key, OWNER), { replayed: true });
    assert.deepEqual(await logins.take('no-such-key-0123456789', OWNER), { unknown: true });
  });

  test('another instance (another PendingLogins on the same database) finds and takes it', async () => {
    const first = new PendingLogins(database);
    const second = new PendingLogins(database);
    const login = await first.add(testLogin());
    assert.equal((await second.get(login.key))?.testId, 'test-1');
    assert.ok('found' in (await second.take(login.key, OWNER)));
    assert.deepEqual(await first.take(login.key, OWNER), { replayed: true });
  });

  test('of concurrent takes of one key, exactly one wins; the others are told replayed', async () => {
    const instances = Array.from({ length: 4 }, () => new PendingLogins(database));
    const login = await instances[0]!.add(testLogin());
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => instances[i % 4]!.take(login.key, OWNER)));
    assert.equal(results.filter((r) => 'found' in r).length, 1, JSON.stringify(results));
    assert.equal(results.filter((r) => 'replayed' in r).length, 11, JSON.stringify(results));
  });

  test('an answer for another connection, organization or protocol leaves the login untouched and usable (elsewhere)', async () => {
    const logins = new PendingLogins(database);
    const login = await logins.add(testLogin());
    assert.deepEqual(await logins.take(login.key, { ...OWNER, connectionId: 'conn-2' }), { elsewhere: true });
    assert.deepEqual(await logins.take(login.key, { ...OWNER, organizationId: 'org-b' }), { elsewhere: true });
    assert.deepEqual(await logins.take(login.key, { ...OWNER, protocol: 'oidc' }), { elsewhere: true });
    assert.ok(await logins.get(login.key), 'still in flight');
    assert.ok('found' in (await logins.take(login.key, OWNER)));
  });

  test('an expired login is neither read nor taken (unknown), used or not, and expired rows are deleted by later adds', async () => {
    const time = clock();
    const logins = new PendingLogins(database, { now: time.read, lifetimeMs: 10 * MINUTE });
    const unused = await logins.add(testLogin());
    const used = await logins.add(testLogin());
    assert.ok('found' in (await logins.take(used.key, OWNER)));
    time.advance(10 * MINUTE - 1);
    assert.ok(await logins.get(unused.key), 'in flight until its expiry');
    assert.deepEqual(await logins.take(used.key, OWNER), { replayed: true });
    time.advance(1);
    assert.equal(await logins.get(unused.key), undefined);
    assert.deepEqual(await logins.take(unused.key, OWNER), { unknown: true });
    assert.deepEqual(await logins.take(used.key, OWNER), { unknown: true });

    const rows = () => database.db.selectFrom('login_transactions').select('key').where('key', 'in', [unused.key, used.key]).execute();
    assert.equal((await rows()).length, 2, 'kept until a sweep');
    await logins.add(testLogin());
    assert.deepEqual(await rows(), [], 'the next add deleted them');
  });

  test('the sweep is bounded: one add deletes at most sweepLimit expired rows', async () => {
    const time = clock();
    const logins = new PendingLogins(database, { now: time.read, lifetimeMs: MINUTE, sweepLimit: 2 });
    await database.db.deleteFrom('login_transactions').execute();
    for (let i = 0; i < 5; i++) await logins.add(testLogin());
    time.advance(MINUTE);
    const count = async () => (await database.db.selectFrom('login_transactions').select('key').execute()).length;
    await logins.add(testLogin());
    assert.equal(await count(), 4, '5 expired - 2 deleted + 1 new');
    await logins.add(testLogin());
    await logins.add(testLogin());
    assert.equal(await count(), 3, 'all expired ones gone, the 3 new ones left');
  });

  test('the start is saved once: a second save keeps the first, and a login no longer in flight saves nothing', async () => {
    const logins = new PendingLogins(database);
    const login = await logins.add(testLogin());
    const first = { start: { redirectUrl: 'https://idp.example/sso?SAMLRequest=one' }, samlRequestId: '_one' };
    const saved = await logins.saveStart(login.key, first);
    assert.deepEqual(saved, { ...login, ...first });
    const again = await logins.saveStart(login.key, { start: { redirectUrl: 'https://idp.example/sso?SAMLRequest=two' }, samlRequestId: '_two' });
    assert.deepEqual(again, saved, 'the first build wins: every reload goes to the same request');
    assert.deepEqual(await logins.get(login.key), saved);
    const taken = await logins.take(login.key, OWNER);
    assert.ok('found' in taken && taken.found.samlRequestId === '_one');
    assert.equal(await logins.saveStart(login.key, first), undefined);
  });

  test('deleting the connection deletes its logins in flight', async () => {
    const logins = new PendingLogins(database);
    await database.db
      .insertInto('connections')
      .values({ id: 'conn-gone', organization_id: 'org-a', protocol: 'oidc', provider_id: 'okta', name: null, status: 'draft', config: { saml: null, oidc: null, attributeMapping: { email: 'email' }, lastTest: null }, updated_at: T0 })
      .execute();
    const login = await logins.add({ ...testLogin(), connectionId: 'conn-gone', protocol: 'oidc' });
    await database.db.deleteFrom('connections').where('id', '=', 'conn-gone').execute();
    assert.deepEqual(await logins.take(login.key, { ...OWNER, connectionId: 'conn-gone', protocol: 'oidc' }), { unknown: true });
  });
});

describe('ReplayCache (replay_cache)', () => {
  test('the same assertion twice is refused; the same ID under another connection is accepted; accepted again after expiry', async () => {
    const time = clock();
    const cache = new ReplayCache(database, { now: time.read });
    const until = new Date(T0.getTime() + 5 * MINUTE);
    assert.equal(await cache.remember('conn-1', 'https://idp.example\n_a1', until), true);
    assert.equal(await cache.remember('conn-1', 'https://idp.example\n_a1', until), false, 'a replay');
    assert.equal(await new ReplayCache(database, { now: time.read }).remember('conn-1', 'https://idp.example\n_a1', until), false, 'also for another instance');
    assert.equal(await cache.remember('conn-2', 'https://idp.example\n_a1', until), true, 'another connection');
    time.advance(5 * MINUTE);
    assert.equal(await cache.remember('conn-1', 'https://idp.example\n_a1', new Date(time.now.getTime() + MINUTE)), true, 'expired: accepted again');
  });

  test('of concurrent answers with one assertion, exactly one is accepted', async () => {
    const caches = Array.from({ length: 4 }, () => new ReplayCache(database));
    const until = new Date(Date.now() + 5 * MINUTE);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => caches[i % 4]!.remember('conn-1', 'issuer\n_concurrent', until)));
    assert.equal(results.filter(Boolean).length, 1);
  });

  test('stores digests only, keeps an assertion without a usable expiry for an hour, and deletes expired entries as new ones arrive', async () => {
    const time = clock();
    const cache = new ReplayCache(database, { now: time.read, sweepLimit: 100 });
    await database.db.deleteFrom('replay_cache').execute();
    assert.equal(await cache.remember('conn-1', 'issuer\n_no_expiry', new Date(Number.NaN)), true);
    const [row] = await database.db.selectFrom('replay_cache').selectAll().execute();
    assert.doesNotMatch(JSON.stringify(row), /_no_expiry|issuer/, 'no identifier stored');
    assert.deepEqual(row!.expires_at, new Date(T0.getTime() + 60 * MINUTE));
    time.advance(60 * MINUTE);
    assert.equal(await cache.remember('conn-1', 'issuer\n_next', new Date(time.now.getTime() + MINUTE)), true);
    assert.equal((await database.db.selectFrom('replay_cache').select('assertion_id_hash').execute()).length, 1, 'the expired entry was deleted');
  });

  test('forConnection gives validateSamlResponse the cache of one connection', async () => {
    const cache = new ReplayCache(database);
    const one = cache.forConnection('conn-1');
    const until = new Date(Date.now() + MINUTE);
    assert.equal(await one.remember('_for_connection', until), true);
    assert.equal(await one.remember('_for_connection', until), false);
    assert.equal(await cache.forConnection('conn-2').remember('_for_connection', until), true);
  });
});

describe('SignInSessions (sign_in_sessions)', () => {
  const user: SignedInUser = {
    organization: { id: 'org-a', name: 'A' },
    connection: { id: 'conn-1', protocol: 'saml', providerId: 'okta', name: 'Okta' },
    profile: { email: 'ada@a.example', subject: 'ada' },
    signedInAt: T0.toISOString(),
  };

  test('a session is found by its cookie value on any instance, only its hash is stored, and signing out deletes it', async () => {
    const sessions = new SignInSessions(database, { now: () => T0 });
    const sid = await sessions.create(user);
    assert.match(sid, /^[A-Za-z0-9_-]{32}$/);
    assert.deepEqual(await new SignInSessions(database, { now: () => T0 }).get(sid), user);
    assert.equal(await sessions.get(`${sid}x`), undefined);
    const rows = await database.db.selectFrom('sign_in_sessions').selectAll().execute();
    assert.doesNotMatch(JSON.stringify(rows), new RegExp(sid), 'the cookie value is not stored');
    await sessions.delete(sid);
    assert.equal(await sessions.get(sid), undefined);
  });

  test('a session ends at its expiry (8 hours by default), and expired rows are deleted as new sessions start', async () => {
    const time = clock();
    const sessions = new SignInSessions(database, { now: time.read });
    await database.db.deleteFrom('sign_in_sessions').execute();
    const sid = await sessions.create(user);
    time.advance(8 * 60 * MINUTE - 1);
    assert.ok(await sessions.get(sid));
    time.advance(1);
    assert.equal(await sessions.get(sid), undefined);
    await sessions.create(user);
    assert.equal((await database.db.selectFrom('sign_in_sessions').select('id_hash').execute()).length, 1);
  });
});
