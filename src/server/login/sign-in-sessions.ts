/**
 * Sessions of users signed in through SSO (the demo host app's `sso_demo_session` cookie), in the
 * database (`sign_in_sessions`): any server instance knows them, and a restart keeps them. Only a
 * SHA-256 hash of the cookie's value is stored, so a copy of the database signs nobody in.
 * Signing out deletes the row; expired rows are deleted a few at a time as new sessions start.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Connection, TestResult } from '../../core/model.js';
import type { Database } from '../db/database.js';

/** A user signed in through SSO (the demo host app's session). */
export interface SignedInUser {
  organization: { id: string; name: string };
  /** `name`: the connection's name, else its provider's. */
  connection: { id: string; protocol: Connection['protocol']; providerId: string; name: string };
  profile: NonNullable<TestResult['profile']>;
  signedInAt: string;
}

const hashOf = (sessionId: string): string => createHash('sha256').update(sessionId, 'utf8').digest('base64url');

export class SignInSessions {
  readonly #database: Database;
  readonly #now: () => Date;
  readonly #lifetimeMs: number;
  readonly #sweepLimit: number;

  /** `lifetimeMs`: how long a session lasts (default 8 hours); `sweepLimit`: most expired rows deleted per new session (100). */
  constructor(database: Database, o: { now?: () => Date; lifetimeMs?: number; sweepLimit?: number } = {}) {
    this.#database = database;
    this.#now = o.now ?? (() => new Date());
    this.#lifetimeMs = o.lifetimeMs ?? 8 * 3_600_000;
    this.#sweepLimit = o.sweepLimit ?? 100;
  }

  /** How long a session lasts, in milliseconds (the cookie's Max-Age). */
  get lifetimeMs(): number {
    return this.#lifetimeMs;
  }

  /** Starts a session; returns the value for the cookie (192 random bits, never stored). */
  async create(user: SignedInUser): Promise<string> {
    const now = this.#now();
    const db = this.#database.db;
    await db
      .deleteFrom('sign_in_sessions')
      .where('id_hash', 'in', db.selectFrom('sign_in_sessions').select('id_hash').where('expires_at', '<=', now).limit(this.#sweepLimit))
      .execute();
    const sessionId = randomBytes(24).toString('base64url');
    await db
      .insertInto('sign_in_sessions')
      .values({
        id_hash: hashOf(sessionId),
        organization_id: user.organization.id,
        connection_id: user.connection.id,
        user: { ...user },
        created_at: now,
        expires_at: new Date(now.getTime() + this.#lifetimeMs),
      })
      .execute();
    return sessionId;
  }

  /** The user of a session that has not expired nor ended. */
  async get(sessionId: string): Promise<SignedInUser | undefined> {
    const row = await this.#database.db
      .selectFrom('sign_in_sessions')
      .select('user')
      .where('id_hash', '=', hashOf(sessionId))
      .where('expires_at', '>', this.#now())
      .executeTakeFirst();
    if (!row) return undefined;
    const { organization, connection, profile, signedInAt } = row.user as unknown as SignedInUser;
    return { organization, connection, profile, signedInAt };
  }

  /** Ends a session (signing out). */
  async delete(sessionId: string): Promise<void> {
    await this.#database.db.deleteFrom('sign_in_sessions').where('id_hash', '=', hashOf(sessionId)).execute();
  }
}
