/**
 * `test_results.stale`: the test was pending when its connection's configuration changed, so
 * when it finishes the connection's `lastTest` is `stale` (core rules: `OrganizationState.staleTests`).
 * Kept only while the test is pending; false once it has finished.
 */
import type { Kysely, Migration } from 'kysely';

export const staleTests: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('test_results')
      .addColumn('stale', 'boolean', (c) => c.notNull().defaultTo(false))
      .execute();
  },
};
