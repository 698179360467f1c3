/**
 * Logins on their way through an identity provider: a test started from the portal, or a user
 * signing in through the demo login page. Each is found again by an unguessable key that travels
 * as the SAML RelayState or the OIDC `state`, and is used once: a second answer for the same key
 * is a replay.
 *
 * In the database (`login_transactions`), so a login started on one server instance completes on
 * another, and a restart in the middle of a login loses nothing. Using a login up is one
 * conditional `UPDATE ... SET used_at WHERE used_at IS NULL ... RETURNING`: of any number of
 * concurrent answers for one key, on any number of instances, exactly one gets it. A used row
 * stays until the login would have expired (a second answer is told `replayed`); expired rows are
 * deleted a few at a time when logins are added (no timer).
 *
 * The key is stored as it is, not hashed: the saved start (`start`, the IdP redirect URL or form)
 * carries it anyway as RelayState / `state`, and the payload holds the PKCE verifier, a stronger
 * secret than the key; the database is trusted with both, like with the SP's private keys.
 */
import { randomBytes } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { Protocol } from '../../core/model.js';
import type { Database } from '../db/database.js';
import type { LoginTransactionsTable } from '../db/schema.js';
import type { OidcPending } from '../oidc/relying-party.js';

export interface PendingLogin {
  /** RelayState (SAML) or `state` (OIDC). */
  key: string;
  purpose: 'test' | 'sign-in';
  organizationId: string;
  connectionId: string;
  protocol: Protocol;
  /** The portal test this login answers (purpose `test`). */
  testId?: string;
  /** The page origin that started the test: the only one the result page tells (`postMessage`). */
  openerOrigin?: string;
  /** Where a signed-in user goes next (purpose `sign-in`): a path on this server. */
  returnTo?: string;
  /** The email the user typed on the login page (purpose `sign-in`): sent to the IdP as `login_hint`. */
  loginHint?: string;
  /** The AuthnRequest ID (SAML), set when the request is built. */
  samlRequestId?: string;
  /** PKCE verifier, nonce and state (OIDC), set when the authorization URL is built. */
  oidc?: OidcPending;
  /** Where the login start page sends the browser, once built (a reload sends it there again). */
  start?: { redirectUrl?: string; form?: { action: string; fields: Record<string, string> } };
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export type TakeResult = { found: PendingLogin } | { replayed: true } | { unknown: true } | { elsewhere: true };

/** Where an IdP's answer arrived: the only connection whose logins it may settle. */
export type LoginOwner = Pick<PendingLogin, 'organizationId' | 'connectionId' | 'protocol'>;

/** What building the start page adds to a login (saved once: the first build wins). */
export type LoginStart = Required<Pick<PendingLogin, 'start'>> & Pick<PendingLogin, 'samlRequestId' | 'oidc'>;

export interface PendingLoginsOptions {
  now?: () => Date;
  /** How long a login may stay in flight (default 15 minutes). */
  lifetimeMs?: number;
  /** Most expired rows deleted per `add` (default 100): the sweep stays a small, bounded statement. */
  sweepLimit?: number;
}

type Row = Selectable<LoginTransactionsTable>;
type Payload = Omit<PendingLogin, 'key' | 'purpose' | 'organizationId' | 'connectionId' | 'protocol' | 'expiresAt'>;

const toLogin = (row: Pick<Row, 'key' | 'purpose' | 'organization_id' | 'connection_id' | 'protocol' | 'payload' | 'expires_at'>): PendingLogin => ({
  ...(row.payload as Payload),
  key: row.key,
  purpose: row.purpose,
  organizationId: row.organization_id,
  connectionId: row.connection_id,
  protocol: row.protocol,
  expiresAt: new Date(row.expires_at).getTime(),
});

const COLUMNS = ['key', 'purpose', 'organization_id', 'connection_id', 'protocol', 'payload', 'expires_at', 'used_at'] as const;

export class PendingLogins {
  #database: Database;
  #now: () => Date;
  #lifetimeMs: number;
  #sweepLimit: number;

  constructor(database: Database, options: PendingLoginsOptions = {}) {
    this.#database = database;
    this.#now = options.now ?? (() => new Date());
    this.#lifetimeMs = options.lifetimeMs ?? 15 * 60 * 1000;
    this.#sweepLimit = options.sweepLimit ?? 100;
  }

  /** Registers a login; returns it with its new key. Deletes a few expired ones first. */
  async add(login: Omit<PendingLogin, 'key' | 'expiresAt'>): Promise<PendingLogin> {
    const now = this.#now();
    await this.#sweep(now);
    const { purpose, organizationId, connectionId, protocol, ...payload } = login;
    const entry: PendingLogin = { ...login, key: randomBytes(24).toString('base64url'), expiresAt: now.getTime() + this.#lifetimeMs };
    await this.#database.db
      .insertInto('login_transactions')
      .values({
        key: entry.key,
        purpose,
        organization_id: organizationId,
        connection_id: connectionId,
        protocol,
        payload,
        created_at: now,
        expires_at: new Date(entry.expiresAt),
      })
      .execute();
    return entry;
  }

  /** A login still in flight (not used up, not expired), for the start page. */
  async get(key: string): Promise<PendingLogin | undefined> {
    const row = await this.#database.db
      .selectFrom('login_transactions')
      .select(COLUMNS)
      .where('key', '=', key)
      .where('used_at', 'is', null)
      .where('expires_at', '>', this.#now())
      .executeTakeFirst();
    return row && toLogin(row);
  }

  /**
   * Saves what the start page built (the IdP redirect or form, the AuthnRequest ID or the OIDC
   * PKCE values), unless the login already has a start: then that one is kept, so two reloads
   * racing on two instances send the browser to the same request. Returns the login as saved,
   * or undefined when it is no longer in flight.
   */
  async saveStart(key: string, start: LoginStart): Promise<PendingLogin | undefined> {
    const now = this.#now();
    const saved = await this.#database.db
      .updateTable('login_transactions')
      .set({ payload: sql<Record<string, unknown>>`payload || ${JSON.stringify(start)}::jsonb` })
      .where('key', '=', key)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .where(sql<boolean>`payload -> 'start' is null`)
      .returning(COLUMNS)
      .executeTakeFirst();
    return saved ? toLogin(saved) : this.get(key);
  }

  /**
   * The login an IdP's answer belongs to, used up by this call, if it is a login of `owner`
   * (the organization, connection and protocol whose ACS or callback the answer reached).
   * Another connection's login is left as it is (`elsewhere`): an answer posted to the wrong
   * address must neither end nor spend it. One statement decides between concurrent callers.
   */
  async take(key: string, owner: LoginOwner): Promise<TakeResult> {
    const now = this.#now();
    const used = await this.#database.db
      .updateTable('login_transactions')
      .set({ used_at: now })
      .where('key', '=', key)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .where('organization_id', '=', owner.organizationId)
      .where('connection_id', '=', owner.connectionId)
      .where('protocol', '=', owner.protocol)
      .returning(COLUMNS)
      .executeTakeFirst();
    if (used) return { found: toLogin(used) };
    const row = await this.#database.db
      .selectFrom('login_transactions')
      .select(['used_at', 'expires_at'])
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row || new Date(row.expires_at).getTime() <= now.getTime()) return { unknown: true };
    // Used (by this answer's twin), or not used and in flight: then it is another connection's.
    return row.used_at ? { replayed: true } : { elsewhere: true };
  }

  /** Deletes at most `sweepLimit` expired logins (used or not). */
  async #sweep(now: Date): Promise<void> {
    const db = this.#database.db;
    await db
      .deleteFrom('login_transactions')
      .where('key', 'in', db.selectFrom('login_transactions').select('key').where('expires_at', '<=', now).limit(this.#sweepLimit))
      .execute();
  }
}
