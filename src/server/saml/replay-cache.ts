/**
 * Remembers the assertions already accepted, so that a captured SAML response cannot be posted
 * a second time, until it would have expired anyway (its NotOnOrAfter plus the clock skew).
 *
 * In the database (`replay_cache`, through `rememberAssertion`): an assertion ID is accepted once
 * per connection until its expiry, by one statement, so also between concurrent answers and
 * across server instances and restarts. Only a SHA-256 digest of the assertion's issuer and ID is
 * stored, no identifier. Expired entries are deleted a few at a time as new ones arrive (no timer).
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import { rememberAssertion } from '../db/queries.js';

/** How long an ID is kept when the assertion has no usable expiry. */
const FALLBACK_TTL_MS = 60 * 60 * 1000;

const digest = (id: string): string => createHash('sha256').update(id, 'utf8').digest('base64url');

/** The replay cache of one connection (what `validateSamlResponse` takes). */
export interface AssertionMemory {
  /** True the first time an ID is seen (until `expiresAt`), false on a replay. */
  remember(id: string, expiresAt: Date): Promise<boolean>;
}

export class ReplayCache {
  readonly #database: Database;
  readonly #now: () => Date;
  readonly #sweepLimit: number;

  /** `sweepLimit`: most expired entries deleted per new one (default 100). */
  constructor(database: Database, o: { now?: () => Date; sweepLimit?: number } = {}) {
    this.#database = database;
    this.#now = o.now ?? (() => new Date());
    this.#sweepLimit = o.sweepLimit ?? 100;
  }

  /**
   * True the first time `id` (e.g. `issuer\nassertion ID`) is seen for this connection, false on
   * a replay while the first one has not expired. Resolves once the entry is in the database.
   */
  async remember(connectionId: string, id: string, expiresAt: Date): Promise<boolean> {
    const now = this.#now();
    const until = Number.isFinite(expiresAt.getTime()) ? expiresAt : new Date(now.getTime() + FALLBACK_TTL_MS);
    const db = this.#database.db;
    const accepted = await rememberAssertion(db, { connectionId, assertionIdHash: digest(id), expiresAt: until, now });
    if (accepted) {
      await sql`delete from replay_cache where (connection_id, assertion_id_hash) in
        (select connection_id, assertion_id_hash from replay_cache where expires_at <= ${now} limit ${this.#sweepLimit})`.execute(db);
    }
    return accepted;
  }

  /** The cache of one connection. */
  forConnection(connectionId: string): AssertionMemory {
    return { remember: (id, expiresAt) => this.remember(connectionId, id, expiresAt) };
  }
}
