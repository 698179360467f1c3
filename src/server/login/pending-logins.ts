/// <reference types="node" />
/**
 * Logins on their way through an identity provider: a test started from the portal, or a user
 * signing in through the demo login page. Each is found again by an unguessable key that travels
 * as the SAML RelayState or the OIDC `state`, and is used once: a second answer for the same key
 * is a replay.
 *
 * In memory: a server restart forgets logins in flight (their tests then end as `timeout`).
 */
import { randomBytes } from 'node:crypto';
import type { Protocol } from '../../core/model.js';
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
  expiresAt: number;
}

export type TakeResult = { found: PendingLogin } | { replayed: true } | { unknown: true } | { elsewhere: true };

/** Where an IdP's answer arrived: the only connection whose logins it may settle. */
export type LoginOwner = Pick<PendingLogin, 'organizationId' | 'connectionId' | 'protocol'>;

export interface PendingLoginsOptions {
  now?: () => Date;
  /** How long a login may stay in flight (default 15 minutes). */
  lifetimeMs?: number;
  /** Most logins kept at once (default 10 000): the oldest go first. */
  max?: number;
}

export class PendingLogins {
  #pending = new Map<string, PendingLogin>();
  /** Keys already answered, until they would have expired: a second answer is a replay. */
  #used = new Map<string, number>();
  #now: () => Date;
  #lifetimeMs: number;
  #max: number;

  constructor(options: PendingLoginsOptions = {}) {
    this.#now = options.now ?? (() => new Date());
    this.#lifetimeMs = options.lifetimeMs ?? 15 * 60 * 1000;
    this.#max = options.max ?? 10_000;
  }

  /** Registers a login; returns it with its new key. */
  add(login: Omit<PendingLogin, 'key' | 'expiresAt'>): PendingLogin {
    this.#sweep();
    const entry: PendingLogin = { ...login, key: randomBytes(24).toString('base64url'), expiresAt: this.#now().getTime() + this.#lifetimeMs };
    this.#pending.set(entry.key, entry);
    while (this.#pending.size > this.#max) this.#pending.delete(this.#pending.keys().next().value!);
    return entry;
  }

  /** A login still in flight (not used up), for the start page. */
  get(key: string): PendingLogin | undefined {
    this.#sweep();
    return this.#pending.get(key);
  }

  /**
   * The login an IdP's answer belongs to, used up by this call, if it is a login of `owner`
   * (the organization, connection and protocol whose ACS or callback the answer reached).
   * Another connection's login is left as it is (`elsewhere`): an answer posted to the wrong
   * address must neither end nor spend it.
   */
  take(key: string, owner: LoginOwner): TakeResult {
    this.#sweep();
    const found = this.#pending.get(key);
    if (found && (found.organizationId !== owner.organizationId || found.connectionId !== owner.connectionId || found.protocol !== owner.protocol)) {
      return { elsewhere: true };
    }
    if (found) {
      this.#pending.delete(key);
      this.#used.set(key, found.expiresAt);
      while (this.#used.size > this.#max) this.#used.delete(this.#used.keys().next().value!);
      return { found };
    }
    return this.#used.has(key) ? { replayed: true } : { unknown: true };
  }

  #sweep(): void {
    const now = this.#now().getTime();
    for (const [key, login] of this.#pending) if (login.expiresAt <= now) this.#pending.delete(key);
    for (const [key, until] of this.#used) if (until <= now) this.#used.delete(key);
  }
}
