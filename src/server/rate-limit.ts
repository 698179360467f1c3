/// <reference types="node" />
/**
 * In-memory token buckets for the mock server's rate limits. A bucket holds up to `capacity`
 * tokens and refills `capacity` tokens per `windowMs`, continuously; each request takes one.
 * An empty bucket answers 429 `rate_limited` with `Retry-After` (whole seconds, at least 1).
 *
 * Buckets are keyed by whatever the caller chooses (portal link, admin key, client address).
 * The clock is injectable; a clock that goes backwards refills nothing.
 */
import type { Context, Env as HonoEnv, MiddlewareHandler } from 'hono';
import { PortalError } from '../core/errors.js';

export interface RateLimitRule {
  /** Most requests in a burst (and tokens in a full bucket). */
  capacity: number;
  /** Time to refill a whole bucket, in milliseconds (so `capacity` per `windowMs` on average). */
  windowMs: number;
}

export type RateLimitDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterMs: number };

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBucketLimiter {
  readonly rule: RateLimitRule;
  #now: () => number;
  #buckets = new Map<string, Bucket>();
  #maxKeys: number;

  constructor(rule: RateLimitRule, now: () => number = Date.now, maxKeys = 10_000) {
    if (!(rule.capacity >= 1) || !(rule.windowMs > 0)) throw new Error('A rate limit needs capacity >= 1 and windowMs > 0.');
    this.rule = rule;
    this.#now = now;
    this.#maxKeys = maxKeys;
  }

  /** The bucket of `key`, refilled up to now. */
  #bucket(key: string): Bucket {
    const now = this.#now();
    const rate = this.rule.capacity / this.rule.windowMs;
    const bucket = this.#buckets.get(key);
    if (!bucket) return { tokens: this.rule.capacity, at: now };
    const elapsed = Math.max(0, now - bucket.at);
    return { tokens: Math.min(this.rule.capacity, bucket.tokens + elapsed * rate), at: Math.max(now, bucket.at) };
  }

  #retryAfter(bucket: Bucket, cost: number): number {
    return Math.ceil(((cost - bucket.tokens) * this.rule.windowMs) / this.rule.capacity);
  }

  /** Takes `cost` tokens from `key`'s bucket, or says how long until that would succeed. */
  take(key: string, cost = 1): RateLimitDecision {
    const bucket = this.#bucket(key);
    if (bucket.tokens < cost) {
      this.#save(key, bucket);
      return { allowed: false, retryAfterMs: this.#retryAfter(bucket, cost) };
    }
    bucket.tokens -= cost;
    this.#save(key, bucket);
    return { allowed: true, remaining: Math.floor(bucket.tokens) };
  }

  /** Whether `cost` tokens are there, without taking them. */
  check(key: string, cost = 1): RateLimitDecision {
    const bucket = this.#bucket(key);
    return bucket.tokens < cost ? { allowed: false, retryAfterMs: this.#retryAfter(bucket, cost) } : { allowed: true, remaining: Math.floor(bucket.tokens) };
  }

  /** Forgets every bucket. */
  reset(): void {
    this.#buckets.clear();
  }

  get size(): number {
    return this.#buckets.size;
  }

  #save(key: string, bucket: Bucket): void {
    this.#buckets.delete(key); // re-inserted last: the map's order is least recently used first
    this.#buckets.set(key, bucket);
    if (this.#buckets.size > this.#maxKeys) this.#prune();
  }

  /** Drops full buckets (they are the same as no bucket), then the least recently used. */
  #prune(): void {
    for (const key of [...this.#buckets.keys()]) {
      if (this.#bucket(key).tokens >= this.rule.capacity) this.#buckets.delete(key);
    }
    for (const key of this.#buckets.keys()) {
      if (this.#buckets.size <= this.#maxKeys) break;
      this.#buckets.delete(key);
    }
  }
}

/** The 429 for a refused request: `rate_limited`, with `details.retryAfterSeconds`. */
export function rateLimitedError(retryAfterMs: number, what: string): PortalError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new PortalError('rate_limited', {
    message: `Too many ${what}. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
    details: { retryAfterSeconds: seconds },
  });
}

/** Retry-After (seconds) for a problem document from {@link rateLimitedError}. */
export function retryAfterOf(error: unknown): number | undefined {
  if (!(error instanceof PortalError) || error.code !== 'rate_limited') return undefined;
  const seconds = error.details?.retryAfterSeconds;
  return typeof seconds === 'number' ? seconds : undefined;
}

/**
 * Hono middleware: takes one token from the bucket `key(c)` names (no key: not limited) and
 * throws {@link rateLimitedError} when it is empty. The app's error handler adds `Retry-After`.
 */
export function rateLimit<E extends HonoEnv>(limiter: TokenBucketLimiter, key: (c: Context<E>) => string | undefined, what = 'requests'): MiddlewareHandler<E> {
  return async (c, next) => {
    const name = key(c);
    if (name !== undefined) {
      const decision = limiter.take(name);
      if (!decision.allowed) throw rateLimitedError(decision.retryAfterMs, what);
    }
    await next();
  };
}

/** The TCP peer of a request served by `@hono/node-server` (not X-Forwarded-For: nothing vouches for it). */
export function clientAddress(c: { env: unknown }): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

/** The limits the app applies, each a token bucket. */
export interface RateLimits {
  /** `POST /api/portal/metadata` and `/oidc-discovery`, per portal link: outbound fetches. */
  documentFetch: RateLimitRule;
  /** Every portal API call, per portal link. */
  portal: RateLimitRule;
  /** Every admin API call, per admin key. */
  admin: RateLimitRule;
  /** Requests with a missing or wrong token or key, per client address (guessing tokens). */
  authFailures: RateLimitRule;
  /** Public SP endpoints (`/saml/:orgId/metadata`), per client address. */
  public: RateLimitRule;
  /** DNS checks of domains (`POST /api/portal/domains/:name/verify`), per organization. */
  dnsCheck: RateLimitRule;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  documentFetch: { capacity: 10, windowMs: 60_000 },
  portal: { capacity: 300, windowMs: 60_000 },
  admin: { capacity: 600, windowMs: 60_000 },
  authFailures: { capacity: 30, windowMs: 60_000 },
  public: { capacity: 120, windowMs: 60_000 },
  dnsCheck: { capacity: 10, windowMs: 60_000 },
};

export interface RateLimitOptions {
  limits?: Partial<RateLimits>;
  /** The limiters' clock in milliseconds (default `Date.now`). */
  now?: () => number;
}

export type Limiters = { [K in keyof RateLimits]: TokenBucketLimiter };

export function createLimiters(options: RateLimitOptions = {}): Limiters {
  const limits = { ...DEFAULT_RATE_LIMITS, ...options.limits };
  const now = options.now ?? Date.now;
  return {
    documentFetch: new TokenBucketLimiter(limits.documentFetch, now),
    portal: new TokenBucketLimiter(limits.portal, now),
    admin: new TokenBucketLimiter(limits.admin, now),
    authFailures: new TokenBucketLimiter(limits.authFailures, now),
    public: new TokenBucketLimiter(limits.public, now),
    dnsCheck: new TokenBucketLimiter(limits.dnsCheck, now),
  };
}
