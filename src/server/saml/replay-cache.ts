/**
 * Remembers the assertion IDs already accepted, so that a captured SAML response cannot be
 * posted a second time. In memory, bounded: expired entries go first, then the oldest.
 */

const DEFAULT_MAX = 10_000;
/** How long an ID is kept when the assertion has no usable expiry. */
const FALLBACK_TTL_MS = 60 * 60 * 1000;

export class ReplayCache {
  private readonly now: () => Date;
  private readonly max: number;
  /** id -> expiry (ms); insertion order = age. */
  private readonly seen = new Map<string, number>();

  constructor(o: { now?: () => Date; max?: number } = {}) {
    this.now = o.now ?? (() => new Date());
    this.max = Math.max(1, Math.floor(o.max ?? DEFAULT_MAX));
  }

  /** True the first time an id is seen (kept until expiresAt, bounded size), false on a replay. */
  remember(id: string, expiresAt: Date): boolean {
    const nowMs = this.now().getTime();
    const known = this.seen.get(id);
    if (known !== undefined && known > nowMs) return false;
    this.seen.delete(id);
    if (this.seen.size >= this.max) this.prune(nowMs);
    const expiry = expiresAt.getTime();
    this.seen.set(id, Number.isFinite(expiry) ? expiry : nowMs + FALLBACK_TTL_MS);
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
