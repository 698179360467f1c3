/**
 * Remembers the assertions already accepted, so that a captured SAML response cannot be posted
 * a second time, until it would have expired anyway (its NotOnOrAfter plus the clock skew).
 * Bounded: expired entries go first, then the oldest.
 *
 * With a `store`, the cache is also kept there and read back on start, so a restart does not
 * open a replay window (`rememberDurably` resolves once the entry is durable). Entries are
 * stored as SHA-256 digests of the assertion's issuer and ID: the store holds no identifiers.
 * (The production backend keeps this in its database.)
 */
import { createHash } from 'node:crypto';

const DEFAULT_MAX = 10_000;
/** How long an ID is kept when the assertion has no usable expiry. */
const FALLBACK_TTL_MS = 60 * 60 * 1000;

/** Where the cache is kept across restarts (the server's `Store`). */
export interface ReplayCacheStore {
  getAcceptedAssertions(): Record<string, number> | Promise<Record<string, number>>;
  putAcceptedAssertions(entries: Record<string, number>): Promise<void>;
}

const digest = (id: string): string => createHash('sha256').update(id, 'utf8').digest('base64url');

export class ReplayCache {
  private readonly now: () => Date;
  private readonly max: number;
  private readonly store: ReplayCacheStore | undefined;
  /** digest -> expiry (ms); insertion order = age. */
  private readonly seen = new Map<string, number>();
  /** The stored entries, read on first use (the store's reads are asynchronous). */
  private loaded: Promise<void> | undefined;

  constructor(o: { now?: () => Date; max?: number; store?: ReplayCacheStore } = {}) {
    this.now = o.now ?? (() => new Date());
    this.max = Math.max(1, Math.floor(o.max ?? DEFAULT_MAX));
    this.store = o.store;
  }

  private load(): Promise<void> {
    this.loaded ??= (async () => {
      const nowMs = this.now().getTime();
      const stored = Object.entries((await this.store?.getAcceptedAssertions()) ?? {}).filter(([, until]) => until > nowMs);
      // Entries remembered meanwhile stay (they are newer).
      for (const [key, until] of stored.slice(-this.max)) if (!this.seen.has(key)) this.seen.set(key, until);
    })().catch((error: unknown) => {
      this.loaded = undefined;
      throw error;
    });
    return this.loaded;
  }

  /** True the first time an id is seen (kept until expiresAt, bounded size), false on a replay. */
  remember(id: string, expiresAt: Date): boolean {
    const key = digest(id);
    const nowMs = this.now().getTime();
    const known = this.seen.get(key);
    if (known !== undefined && known > nowMs) return false;
    this.seen.delete(key);
    if (this.seen.size >= this.max) this.prune(nowMs);
    const expiry = expiresAt.getTime();
    this.seen.set(key, Number.isFinite(expiry) ? expiry : nowMs + FALLBACK_TTL_MS);
    return true;
  }

  /**
   * {@link remember}, then keeps the cache (expired entries dropped) in the store; resolves once
   * that is durable, and rejects if it cannot be written (the response must not count then).
   */
  async rememberDurably(id: string, expiresAt: Date): Promise<boolean> {
    if (this.store) await this.load();
    if (!this.remember(id, expiresAt)) return false;
    if (this.store) {
      const nowMs = this.now().getTime();
      for (const [key, expiry] of this.seen) if (expiry <= nowMs) this.seen.delete(key);
      await this.store.putAcceptedAssertions(Object.fromEntries(this.seen));
    }
    return true;
  }

  /** How many IDs are remembered (expired ones may still count until the next call). */
  get size(): number {
    return this.seen.size;
  }

  private prune(nowMs: number): void {
    for (const [id, expiry] of this.seen) {
      if (expiry <= nowMs) this.seen.delete(id);
    }
    while (this.seen.size >= this.max) {
      const oldest = this.seen.keys().next().value;
      if (oldest === undefined) break;
      this.seen.delete(oldest);
    }
  }
}
