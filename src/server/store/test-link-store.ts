/**
 * Test links for a colleague (core/test-link-model.ts) in the database (`test_links`, migration
 * 0007): made by the IT admin in the portal, used once by the colleague's browser, revoked by the
 * admin. Only a SHA-256 hash of each token is stored; every read and write names the organization
 * (and the connection where it lists), so a link is never seen or changed from another one.
 *
 * Using a link is one conditional `UPDATE ... WHERE used_at IS NULL AND revoked_at IS NULL AND
 * expires_at > now ... RETURNING`: of concurrent uses (a double click, two colleagues), exactly
 * one gets it, on any number of instances. Each change records its event (`test_link.*`) in the
 * same transaction.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import { PortalError } from '../../core/errors.js';
import { testLinkStatus, type TestLink } from '../../core/test-link-model.js';
import { testResultFromRow } from '../db/rows.js';
import type { DatabaseSchema, TestLinksTable, TestResultsTable } from '../db/schema.js';
import { recordEvents, type Actor, type NewEvent } from '../events.js';

/** A test link as stored (the token only as its hash). */
export interface TestLinkRecord {
  id: string;
  organizationId: string;
  connectionId: string;
  tokenHash: string;
  label: string | null;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  revokedAt: string | null;
  testId: string | null;
}

type LinkRow = Selectable<TestLinksTable>;
type TestRow = Pick<Selectable<TestResultsTable>, 'id' | 'connection_id' | 'mode' | 'status' | 'result' | 'started_at' | 'completed_at'>;

const isoOrNull = (value: Date | null): string | null => (value ? value.toISOString() : null);

function recordFromRow(r: LinkRow): TestLinkRecord {
  return {
    id: r.id,
    organizationId: r.organization_id,
    connectionId: r.connection_id,
    tokenHash: r.token_hash,
    label: r.label,
    createdAt: r.created_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    usedAt: isoOrNull(r.used_at),
    revokedAt: isoOrNull(r.revoked_at),
    testId: r.test_id,
  };
}

/** What events and the host say of a link: never its token or hash. */
export const testLinkSummary = (l: TestLinkRecord) => ({
  id: l.id,
  connectionId: l.connectionId,
  ...(l.label ? { label: l.label } : {}),
  createdAt: l.createdAt,
  expiresAt: l.expiresAt,
  usedAt: l.usedAt,
  revokedAt: l.revokedAt,
  testId: l.testId,
});

/** The link as the portal and the host see it, with its test's result when it ran one. */
export function testLinkView(link: TestLinkRecord, test: TestRow | undefined, now: Date): TestLink {
  return {
    id: link.id,
    connectionId: link.connectionId,
    ...(link.label ? { label: link.label } : {}),
    status: testLinkStatus(link, now),
    createdAt: link.createdAt,
    expiresAt: link.expiresAt,
    usedAt: link.usedAt,
    revokedAt: link.revokedAt,
    result: test ? testResultFromRow(test) : null,
  };
}

export class SqlTestLinkStore {
  #db: Kysely<DatabaseSchema>;
  #now: () => Date;
  #committed: (recorded: readonly string[]) => void;

  constructor(db: Kysely<DatabaseSchema>, now: () => Date, committed: (recorded: readonly string[]) => void) {
    this.#db = db;
    this.#now = now;
    this.#committed = committed;
  }

  async #withEvents<T>(organizationId: string, actor: Actor, write: (trx: Transaction<DatabaseSchema>) => Promise<{ value: T; events: NewEvent[] }>): Promise<T> {
    const recorded: string[] = [];
    const value = await this.#db.transaction().execute(async (trx) => {
      const { value, events } = await write(trx);
      if (events.length) recorded.push(...(await recordEvents(trx, organizationId, actor, events, this.#now())));
      return value;
    });
    this.#committed(recorded);
    return value;
  }

  /** Stores a new link (`test_link.created`). */
  async create(link: TestLinkRecord, actor: Actor): Promise<TestLinkRecord> {
    return this.#withEvents(link.organizationId, actor, async (trx) => {
      const row = await trx
        .insertInto('test_links')
        .values({
          id: link.id,
          organization_id: link.organizationId,
          connection_id: link.connectionId,
          token_hash: link.tokenHash,
          label: link.label,
          created_at: link.createdAt,
          expires_at: link.expiresAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const created = recordFromRow(row);
      return { value: created, events: [{ type: 'test_link.created', target: { kind: 'test_link', id: created.id }, payload: { testLink: testLinkSummary(created) } }] };
    });
  }

  /** The organization's links (one connection's when given), newest first, as the portal sees them. */
  async list(organizationId: string, connectionId?: string): Promise<TestLink[]> {
    let query = this.#db.selectFrom('test_links').selectAll().where('organization_id', '=', organizationId);
    if (connectionId !== undefined) query = query.where('connection_id', '=', connectionId);
    const links = (await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(100).execute()).map(recordFromRow);
    const testIds = links.flatMap((l) => (l.testId ? [l.testId] : []));
    const tests = testIds.length
      ? await this.#db
          .selectFrom('test_results')
          .select(['id', 'connection_id', 'mode', 'status', 'result', 'started_at', 'completed_at'])
          .where('organization_id', '=', organizationId)
          .where('id', 'in', testIds)
          .execute()
      : [];
    const byId = new Map(tests.map((t) => [t.id, t]));
    const now = this.#now();
    return links.map((l) => testLinkView(l, l.testId ? byId.get(l.testId) : undefined, now));
  }

  /** The link whose token hashes to `tokenHash`, in any state (the colleague's page says which). */
  async findByTokenHash(tokenHash: string): Promise<TestLinkRecord | undefined> {
    const row = await this.#db.selectFrom('test_links').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return row && recordFromRow(row);
  }

  /**
   * Uses a pending link now, once (`test_link.used`): the record as used, or undefined when it was
   * used, revoked or expired first (by another request too).
   */
  async use(organizationId: string, id: string, actor: Actor): Promise<TestLinkRecord | undefined> {
    return this.#withEvents(organizationId, actor, async (trx) => {
      const at = this.#now();
      const row = await trx
        .updateTable('test_links')
        .set({ used_at: at })
        .where('id', '=', id)
        .where('organization_id', '=', organizationId)
        .where('used_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', at)
        .returningAll()
        .executeTakeFirst();
      if (!row) return { value: undefined, events: [] };
      const used = recordFromRow(row);
      return { value: used, events: [{ type: 'test_link.used', target: { kind: 'test_link', id: used.id }, payload: { testLink: testLinkSummary(used) } }] };
    });
  }

  /** Names the test a used link started (the portal then shows its result). */
  async setTest(organizationId: string, id: string, testId: string): Promise<void> {
    await this.#db.updateTable('test_links').set({ test_id: testId }).where('id', '=', id).where('organization_id', '=', organizationId).execute();
  }

  /**
   * Revokes a pending link (`test_link.revoked`). `not_found` when the organization has no such
   * link; a link already used, expired or revoked is `conflict` (nothing to withdraw).
   */
  async revoke(organizationId: string, id: string, actor: Actor): Promise<TestLink> {
    return this.#withEvents(organizationId, actor, async (trx) => {
      const at = this.#now();
      const found = await trx.selectFrom('test_links').selectAll().where('id', '=', id).where('organization_id', '=', organizationId).forUpdate().executeTakeFirst();
      if (!found) throw new PortalError('not_found', { message: 'This test link does not exist.', details: { id } });
      const status = testLinkStatus(recordFromRow(found), at);
      if (status !== 'pending') {
        throw new PortalError('conflict', { message: `This test link is ${status}: there is nothing to withdraw.`, details: { id, status } });
      }
      const row = await trx.updateTable('test_links').set({ revoked_at: at }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
      const revoked = recordFromRow(row);
      return {
        value: testLinkView(revoked, undefined, at),
        events: [{ type: 'test_link.revoked', target: { kind: 'test_link', id }, payload: { testLink: testLinkSummary(revoked) } }],
      };
    });
  }
}
