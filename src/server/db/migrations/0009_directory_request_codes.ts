/**
 * `directory_requests` keeps, beside its English `summary` and `remedy`, what they are worded
 * from, so the portal words them in the admin's language (`core/directory-request-text.ts`):
 * `summary_code` and `summary_values` (jsonb object), and for a refused request `remedy_facts`
 * (jsonb: status, method, resource, scimType, tokenProblem). Null in rows written before: the
 * portal shows their English text.
 */
import type { Kysely, Migration } from 'kysely';

export const directoryRequestCodes: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('directory_requests').addColumn('summary_code', 'text').addColumn('summary_values', 'jsonb').addColumn('remedy_facts', 'jsonb').execute();
  },
};
