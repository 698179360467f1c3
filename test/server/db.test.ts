/// <reference types="node" />
/**
 * The SQL layer (`src/server/db`) on each backend it supports: PGlite in memory, PGlite in a
 * data folder, and a real PostgreSQL (a throw-away cluster, see test/support/postgres-cluster.ts;
 * without Debian's `postgresql` package those tests fail and say to install it).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql, type Migration } from 'kysely';
import { PortalError } from '../../src/core/errors.js';
import { openDatabase, migrate, type Database, type DatabaseOptions } from '../../src/server/db/database.js';
import { MigrationError, UniqueViolationError } from '../../src/server/db/errors.js';
import { MIGRATIONS } from '../../src/server/db/migrations/index.js';
import { markDomainVerified, rememberAssertion, updateConnectionIfVersion } from '../../src/server/db/queries.js';
import { CONSTRAINTS, type DatabaseSchema } from '../../src/server/db/schema.js';
import { freeLoopbackPort } from '../support/postgres-cluster.js';
import { createPostgresDatabase, testDatabaseKind, type TestDatabaseKind } from '../support/test-database.js';
import { createSigningKey } from '../support/saml-test-idp.js';
import { temporaryFolders } from './helpers.js';

const TABLES: (keyof DatabaseSchema)[] = [
  'client_secrets',
  'connections',
  'directories',
  'directory_group_members',
  'directory_groups',
  'directory_requests',
  'directory_users',
  'domains',
  'embed_links',
  'events',
  'keys',
  'login_attempts',
  'login_transactions',
  'organizations',
  'portal_links',
  'rate_limit_buckets',
  'replay_cache',
  'settings',
  'sign_in_sessions',
  'test_links',
  'test_results',
  'webhook_deliveries',
  'webhook_endpoints',
];

const T0 = new Date('2026-03-01T10:00:00.000Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

/** A migration that creates a table, then fails on a column that does not exist. */
const BROKEN: Record<string, Migration> = {
  ...MIGRATIONS,
  '0099_broken': {
    async up(db) {
      await db.schema.createTable('half_done').addColumn('id', 'text').execute();
      await sql`select no_such_column from organizations`.execute(db);
    },
  },
};

const APPLIED = Object.keys(MIGRATIONS);

const appliedMigrations = async (database: Database) =>
  (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(database.db)).rows.map((r) => r.name);

const tableNames = async (database: Database) =>
  (await database.db.introspection.getTables()).map((t) => t.name).filter((n) => !n.startsWith('kysely_')).sort();

async function seedOrganizations(database: Database, ...ids: string[]) {
  await database.db
    .insertInto('organizations')
    .values(ids.map((id) => ({ id, name: `Org ${id}`, branding: { name: 'Acme', accentColor: '#4f46e5' } })))
    .execute();
}

interface Backend {
  name: string;
  kind: TestDatabaseKind;
  /** True when two transactions can be open at once (several connections). */
  concurrentTransactions: boolean;
  /** Where a new, empty database is; `persistent` when opening it again finds the same data. */
  fresh(): Promise<{ options: DatabaseOptions; persistent: boolean }>;
}

const folder = temporaryFolders('db');

const BACKENDS: Backend[] = [
  { name: 'PGlite in memory', kind: 'pglite', concurrentTransactions: false, fresh: () => Promise.resolve({ options: { kind: 'pglite', dataDir: null }, persistent: false }) },
  { name: 'PGlite on disk', kind: 'pglite', concurrentTransactions: false, fresh: async () => ({ options: { kind: 'pglite', dataDir: `${await folder()}/pglite` }, persistent: true }) },
  {
    name: 'PostgreSQL',
    kind: 'postgres',
    concurrentTransactions: true,
    // The run's cluster (`npm run test:server:postgres`), else one of this file's own.
    fresh: async () => ({ options: { kind: 'postgres', url: await createPostgresDatabase() }, persistent: true }),
  },
];

// Each pass of the server suite (`npm test`: PGlite, then PostgreSQL) tests its own database.
for (const backend of BACKENDS.filter((b) => b.kind === testDatabaseKind())) {
  describe(`SQL layer on ${backend.name}`, () => {
    let location: { options: DatabaseOptions; persistent: boolean };
    let database: Database;

    before(async () => {
      location = await backend.fresh();
      database = await openDatabase(location.options);
    });
    after(async () => {
      await database?.close();
    });

    test('migrations create every table in an empty database; applying them again changes nothing', async () => {
      assert.deepEqual(await tableNames(database), TABLES);
      assert.deepEqual(await appliedMigrations(database), APPLIED);
      await seedOrganizations(database, 'kept');

      await migrate(database.db, MIGRATIONS);
      assert.deepEqual(await appliedMigrations(database), APPLIED);
      if (location.persistent) {
        await database.close();
        database = await openDatabase(location.options);
        assert.deepEqual(await appliedMigrations(database), APPLIED);
      }
      const kept = await database.db.selectFrom('organizations').selectAll().where('id', '=', 'kept').executeTakeFirstOrThrow();
      assert.deepEqual(kept.branding, { name: 'Acme', accentColor: '#4f46e5' });
      assert.ok(kept.created_at instanceof Date, 'timestamptz reads as a Date');
    });

    test('a SAML connection stored with more than 5 signing certificates (the old limit was 10) keeps the best 5 and a new version', async () => {
      const { options } = await backend.fresh();
      const before = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < '0003'));
      const older = await openDatabase(options, { migrations: before });
      try {
        assert.deepEqual(await appliedMigrations(older), ['0001_initial', '0002_stale_tests']);
        await seedOrganizations(older, 'org_many');
        // Two expired (made in 2020, valid 3 years), then five valid now, in this order.
        const made = await Promise.all([...[2020, 2020].map((y, i) => createSigningKey(`old ${i}`, new Date(`${y}-0${i + 1}-01T00:00:00Z`))), ...[1, 2, 3, 4, 5].map((m) => createSigningKey(`current ${m}`, new Date(`2026-0${m}-01T00:00:00Z`)))]);
        const pems = [made[2]!, made[0]!, made[3]!, made[4]!, made[1]!, made[5]!, made[6]!].map((k) => k.certPem);
        const saml = { idpEntityId: 'https://idp.example', ssoUrl: 'https://idp.example/sso', ssoBinding: 'post', signingCertificates: pems };
        const config = { saml, oidc: null, attributeMapping: { email: 'email' }, lastTest: null };
        await older.db.insertInto('connections').values({ id: 'conn_many', organization_id: 'org_many', protocol: 'saml', provider_id: 'okta', status: 'active', config: config as never, version: 3, updated_at: T0 }).execute();
        const few = { ...config, saml: { ...saml, signingCertificates: pems.slice(0, 2) } };
        await older.db.insertInto('connections').values({ id: 'conn_few', organization_id: 'org_many', protocol: 'saml', provider_id: 'okta', status: 'active', config: few as never, version: 3, updated_at: T0 }).execute();
        await migrate(older.db, MIGRATIONS);
        const rows = await older.db.selectFrom('connections').select(['id', 'config', 'version']).orderBy('id').execute();
        const certificates = (id: string) => (rows.find((r) => r.id === id)!.config as unknown as { saml: { signingCertificates: string[] } }).saml.signingCertificates;
        // The five valid now, in their stored order; the two expired dropped.
        assert.deepEqual(certificates('conn_many'), [made[2]!, made[3]!, made[4]!, made[5]!, made[6]!].map((k) => k.certPem));
        assert.equal(rows.find((r) => r.id === 'conn_many')!.version, 4);
        assert.deepEqual(certificates('conn_few'), pems.slice(0, 2));
        assert.equal(rows.find((r) => r.id === 'conn_few')!.version, 3, 'a connection within the limit is left as it was');
      } finally {
        await older.close();
      }
    });

    test('a verified domain is unique across organizations: of two transactions verifying it at once, exactly one wins', async () => {
      await seedOrganizations(database, 'org-a', 'org-b');
      const pending = { status: 'pending', method: 'dns_txt', txt_record_name: '_sso.example.com', txt_record_value: 'v' } as const;
      // Both may claim it while pending; the index compares lower-cased names.
      await database.db
        .insertInto('domains')
        .values([
          { ...pending, organization_id: 'org-a', name: 'example.com' },
          { ...pending, organization_id: 'org-b', name: 'EXAMPLE.com' },
        ])
        .execute();

      // With several connections, both transactions are open before either verifies.
      let arrived = 0;
      let bothOpen!: () => void;
      const barrier = new Promise<void>((resolve) => (bothOpen = resolve));
      const verify = (org: string, name: string) =>
        database.db.transaction().execute(async (trx) => {
          await trx.selectFrom('domains').select('status').where('organization_id', '=', org).execute();
          if (backend.concurrentTransactions && ++arrived === 2) bothOpen();
          if (backend.concurrentTransactions) await barrier;
          return markDomainVerified(trx, org, name, T0);
        });
      const outcomes = await Promise.allSettled([verify('org-a', 'example.com'), verify('org-b', 'EXAMPLE.com')]);

      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      assert.equal(won.length, 1, 'one wins');
      assert.equal(lost.length, 1, 'the other fails');
      const error: unknown = lost[0]!.reason;
      assert.ok(error instanceof PortalError && error.code === 'domain_taken', `domain_taken, got ${String(error)}`);
      assert.ok(error.cause instanceof UniqueViolationError);
      assert.equal(error.cause.constraint, CONSTRAINTS.verifiedDomain);

      const verified = await database.db.selectFrom('domains').select(['organization_id', 'verified_at']).where('status', '=', 'verified').execute();
      assert.equal(verified.length, 1);
      assert.deepEqual(verified[0]!.verified_at, T0);
      // The loser's domain is still there, pending, and a constraint-free write of it still works.
      await database.db.updateTable('domains').set({ status: 'failed' }).where('status', '=', 'pending').execute();
    });

    test('a connection write lands only on the version it read: zero rows updated is a conflict', async () => {
      await seedOrganizations(database, 'org-c');
      await database.db
        .insertInto('connections')
        .values({
          id: 'conn-1',
          organization_id: 'org-c',
          protocol: 'saml',
          provider_id: 'okta',
          name: null,
          status: 'draft',
          config: { saml: null, oidc: null, attributeMapping: { email: 'email' }, lastTest: null },
          updated_at: T0,
        })
        .execute();
      const target = { organizationId: 'org-c', id: 'conn-1', expectedVersion: 1 };

      const first = await updateConnectionIfVersion(database.db, target, { name: 'First admin', updated_at: later(1000) });
      assert.ok(typeof first === 'object');
      assert.equal(first.version, 2);
      assert.equal(first.name, 'First admin');
      assert.deepEqual(first.config.attributeMapping, { email: 'email' });

      assert.equal(await updateConnectionIfVersion(database.db, target, { name: 'Second admin', updated_at: later(2000) }), 'conflict');
      assert.equal(await updateConnectionIfVersion(database.db, { ...target, organizationId: 'org-a' }, { name: 'x' }), 'not_found');
      assert.equal(await updateConnectionIfVersion(database.db, { ...target, id: 'conn-2' }, { name: 'x' }), 'not_found');
      const stored = await database.db.selectFrom('connections').select(['name', 'version']).where('id', '=', 'conn-1').executeTakeFirstOrThrow();
      assert.deepEqual(stored, { name: 'First admin', version: 2 });

      // Two writers that both read version 2: exactly one lands.
      const racing = await Promise.all(
        ['A', 'B'].map((who) => updateConnectionIfVersion(database.db, { ...target, expectedVersion: 2 }, { name: who, updated_at: later(3000) })),
      );
      assert.equal(racing.filter((r) => r === 'conflict').length, 1);
      assert.equal(racing.filter((r) => typeof r === 'object' && r.version === 3).length, 1);
    });

    test('the replay cache inserts an assertion only if absent (or expired), per connection', async () => {
      const entry = { connectionId: 'conn-1', assertionIdHash: 'hash-1', expiresAt: later(60_000), now: T0 };
      assert.equal(await rememberAssertion(database.db, entry), true, 'first time');
      assert.equal(await rememberAssertion(database.db, entry), false, 'replay');
      assert.equal(await rememberAssertion(database.db, { ...entry, now: later(59_999) }), false, 'replay just before it expires');
      assert.equal(await rememberAssertion(database.db, { ...entry, connectionId: 'conn-2' }), true, 'another connection has its own');
      assert.equal(await rememberAssertion(database.db, { ...entry, now: later(60_000), expiresAt: later(120_000) }), true, 'expired: accepted again');
      assert.equal(await rememberAssertion(database.db, { ...entry, now: later(60_001) }), false, 'and remembered until the new expiry');

      const racing = await Promise.all(Array.from({ length: 5 }, () => rememberAssertion(database.db, { ...entry, assertionIdHash: 'hash-2' })));
      assert.deepEqual(
        racing.filter((r) => r),
        [true],
        'of five at once, exactly one is accepted',
      );
    });

    test('a failed migration stops the open with an error naming it and its cause, and leaves nothing of it', async () => {
      const expected = (error: unknown) => {
        assert.ok(error instanceof MigrationError, String(error));
        assert.equal(error.migration, '0099_broken');
        assert.match(error.message, /^Database migration 0099_broken failed: .*no_such_column/);
        return true;
      };
      if (location.persistent) {
        await database.close();
        await assert.rejects(openDatabase(location.options, { migrations: BROKEN }), expected);
        database = await openDatabase(location.options);
      } else {
        await assert.rejects(migrate(database.db, BROKEN), expected);
      }
      assert.deepEqual(await appliedMigrations(database), APPLIED);
      assert.deepEqual(await tableNames(database), TABLES, 'no half_done table');
    });

    test('a transaction in which a statement failed is rolled back at commit, even if the error was caught', async () => {
      await database.db.insertInto('settings').values({ name: 'aborted', value: 'before' }).execute();
      await assert.rejects(
        database.db.transaction().execute(async (trx) => {
          await trx.updateTable('settings').set({ value: 'after' }).where('name', '=', 'aborted').execute();
          await assert.rejects(trx.insertInto('settings').values({ name: 'aborted', value: 'again' }).execute(), UniqueViolationError);
        }),
        (error: Error) => error.name === 'AbortedTransactionError',
      );
      const { value } = await database.db.selectFrom('settings').select('value').where('name', '=', 'aborted').executeTakeFirstOrThrow();
      assert.equal(value, 'before');
    });

    test('a savepoint rolls back part of a transaction', async () => {
      const trx = await database.db.startTransaction().execute();
      await trx.insertInto('settings').values({ name: 'savepoint-kept', value: '1' }).execute();
      const inner = await trx.savepoint('second').execute();
      await inner.insertInto('settings').values({ name: 'savepoint-dropped', value: '2' }).execute();
      const back = await inner.rollbackToSavepoint('second').execute();
      await back.releaseSavepoint('second').execute();
      await back.commit().execute();
      const names = await database.db.selectFrom('settings').select('name').where('name', 'like', 'savepoint-%').execute();
      assert.deepEqual(names, [{ name: 'savepoint-kept' }]);
    });

    if (backend.concurrentTransactions) {
      test('a server that cannot be reached stops the open with an error that says so', async () => {
        const closed = new URL(location.options.kind === 'postgres' ? location.options.url : '');
        closed.port = String(await freeLoopbackPort());
        await assert.rejects(openDatabase({ kind: 'postgres', url: closed.href }), (error: unknown) => {
          assert.ok(error instanceof MigrationError, String(error));
          assert.equal(error.migration, '');
          assert.match(error.message, /^Database migrations could not run: .*ECONNREFUSED/);
          return true;
        });
      });

      test('two instances opening one empty database at once migrate it once', async () => {
        const { options } = await backend.fresh();
        const [one, two] = await Promise.all([openDatabase(options), openDatabase(options)]);
        try {
          assert.deepEqual(await appliedMigrations(one), APPLIED);
          assert.deepEqual(await tableNames(two), TABLES);
        } finally {
          await Promise.all([one.close(), two.close()]);
        }
      });
    }

    if (!backend.concurrentTransactions) {
      test('PGlite runs one transaction at a time; a failed one rolls back', async () => {
        await database.db.insertInto('settings').values({ name: 'counter', value: '0' }).execute();
        const increment = () =>
          database.db.transaction().execute(async (trx) => {
            const { value } = await trx.selectFrom('settings').select('value').where('name', '=', 'counter').executeTakeFirstOrThrow();
            await new Promise<void>((resolve) => setImmediate(resolve));
            await trx.updateTable('settings').set({ value: String(Number(value) + 1) }).where('name', '=', 'counter').execute();
          });
        // A read outside the transactions waits for the open one.
        const read = () => database.db.selectFrom('settings').select('value').where('name', '=', 'counter').executeTakeFirstOrThrow();
        const [, , during] = await Promise.all([increment(), increment(), read(), increment()]);
        assert.equal(during.value, '2');
        assert.equal((await read()).value, '3');

        await assert.rejects(
          database.db.transaction().execute(async (trx) => {
            await trx.updateTable('settings').set({ value: 'lost' }).where('name', '=', 'counter').execute();
            await trx.insertInto('settings').values({ name: 'counter', value: 'duplicate' }).execute();
          }),
          UniqueViolationError,
        );
        assert.equal((await read()).value, '3');
      });
    }
  });
}
