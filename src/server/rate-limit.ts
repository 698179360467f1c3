/// <reference types="node" />
/**
 * In-memory token buckets for the mock server's rate limits. A bucket holds up to `capacity`
 * tokens and refills `capacity` tokens per `windowMs`, continuously; each request takes one.
 * An empty bucket answers 429 `rate_limited` with `Retry-After` (whole seconds, at least 1).
 *
 * Buckets are keyed by whatever the caller chooses (portal link, admin key, client address).
 * The clock is injectable; a clock that goes backwards refills nothing.
 *
 * Failed authentications ({@link AuthFailureLimiter}) are counted per client and per presented
 * credential, after the credential was checked: a valid token or key is never refused for
 * failures, so one client (or everyone behind one proxy) cannot lock out the others. The client
 * is the TCP peer, or, when the peer is a configured trusted proxy ({@link parseTrustedProxies},
 * `SSO_PORTAL_TRUSTED_PROXIES`), the address that proxy put in `X-Forwarded-For`.
 */
import { createHash } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
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
    if (name !== undefined) takeToken(limiter, name, what);
    await next();
  };
}

/** Takes one token from the bucket `name`, or throws {@link rateLimitedError} (for a handler that limits only some of its requests). */
export function takeToken(limiter: TokenBucketLimiter, name: string, what = 'requests'): void {
  const decision = limiter.take(name);
  if (!decision.allowed) throw rateLimitedError(decision.retryAfterMs, what);
}

/** The reverse proxies whose `X-Forwarded-For` is believed: addresses and CIDR ranges. */
export interface TrustedProxies {
  /** Whether `address` is one of them. */
  has(address: string): boolean;
  /** The list as given (normalised), for logs. */
  readonly entries: readonly string[];
}

/** An IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) as IPv4; brackets and zones dropped. */
function plainAddress(value: string): string {
  let text = value.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const zone = text.indexOf('%');
  if (zone !== -1) text = text.slice(0, zone);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(text);
  return mapped ? mapped[1]! : text;
}

/**
 * The trusted proxies from a list of addresses and CIDR ranges (`127.0.0.1`, `10.0.0.0/8`,
 * `::1`, `fd00::/8`), e.g. `SSO_PORTAL_TRUSTED_PROXIES` split at commas. Throws an Error that
 * names the bad entry. An empty list trusts nobody.
 */
export function parseTrustedProxies(list: readonly string[] | string | undefined): TrustedProxies {
  const items = (typeof list === 'string' ? list.split(',') : (list ?? [])).map((item) => item.trim()).filter(Boolean);
  const blocks = new BlockList();
  const entries: string[] = [];
  for (const item of items) {
    const [rawAddress = '', prefix, ...rest] = item.split('/');
    const address = plainAddress(rawAddress);
    const family = isIP(address);
    const bits = prefix === undefined ? undefined : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    const max = family === 6 ? 128 : 32;
    if (family === 0 || rest.length > 0 || (bits !== undefined && !(bits >= 0 && bits <= max))) {
      throw new Error(
        `Trusted proxy ${JSON.stringify(item)} is not an IP address or CIDR range (e.g. 127.0.0.1, 10.0.0.0/8, ::1, fd00::/8).`,
      );
    }
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) blocks.addAddress(address, type);
    else blocks.addSubnet(address, bits, type);
    entries.push(bits === undefined ? address : `${address}/${bits}`);
  }
  return {
    entries,
    has(value: string) {
      const address = plainAddress(value);
      const family = isIP(address);
      return family !== 0 && entries.length > 0 && blocks.check(address, family === 6 ? 'ipv6' : 'ipv4');
    },
  };
}

const NO_PROXIES = parseTrustedProxies([]);

/**
 * The client of a request served by `@hono/node-server`: the TCP peer, unless the peer is a
 * trusted proxy; then the right-most `X-Forwarded-For` entry that is not a trusted proxy (the
 * entries left of it were written by the client and prove nothing). Without trusted proxies,
 * `X-Forwarded-For` is ignored: anyone can send it.
 */
export function clientAddress(c: { env: unknown; req?: { header(name: string): string | undefined } }, trusted: TrustedProxies = NO_PROXIES): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  const peer = env?.incoming?.socket?.remoteAddress;
  if (!peer) return 'unknown';
  let client = plainAddress(peer);
  if (!trusted.has(client)) return client;
  const hops = (c.req?.header('x-forwarded-for') ?? '').split(',').map((hop) => plainAddress(hop)).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    // A trusted proxy writes addresses; anything else there is not its doing: stop at the proxy.
    if (isIP(hop) === 0) break;
    client = hop;
    if (!trusted.has(hop)) break;
  }
  return client;
}

/**
 * Failed authentications (a missing, wrong, expired or revoked token or key), counted per client
 * and per presented credential. A credential that failed before and is presented again (a page
 * left open on an expired link) is not a new guess: it costs its own bucket only; a new one also
 * costs the client's. Past either limit the failure answers 429 instead of 401. Only failures
 * are counted, after the credential was checked: a valid credential always passes.
 */
export class AuthFailureLimiter {
  readonly perClient: TokenBucketLimiter;
  readonly perCredential: TokenBucketLimiter;

  constructor(rule: RateLimitRule, now: () => number = Date.now) {
    this.perClient = new TokenBucketLimiter(rule, now);
    this.perCredential = new TokenBucketLimiter(rule, now);
  }

  /** Records a failure of `client` presenting `credential` (undefined: none); refused past a limit. */
  fail(client: string, credential: string | undefined): RateLimitDecision {
    // Never the credential itself as a key: a hash (the buckets live in memory, but still).
    const key = credential === undefined ? `none@${client}` : createHash('sha256').update(credential).digest('base64url');
    const before = this.perCredential.check(key);
    const fresh = before.allowed && before.remaining >= this.perCredential.rule.capacity;
    const byCredential = this.perCredential.take(key);
    const byClient = fresh ? this.perClient.take(client) : this.perClient.check(client);
    const refused = [byCredential, byClient].filter((d): d is Extract<RateLimitDecision, { allowed: false }> => !d.allowed);
    if (refused.length === 0) return byClient;
    return { allowed: false, retryAfterMs: Math.max(...refused.map((d) => d.retryAfterMs)) };
  }
}

/** The limits the app applies, each a token bucket. */
export interface RateLimits {
  /** `POST /api/portal/metadata` and `/oidc-discovery`, per portal link: outbound fetches. */
  documentFetch: RateLimitRule;
  /** Every portal API call, per portal link. */
  portal: RateLimitRule;
  /** Every admin API call, per admin key. */
  admin: RateLimitRule;
  /** Requests with a missing or wrong token or key, per client and per credential ({@link AuthFailureLimiter}). */
  authFailures: RateLimitRule;
  /** Public SP endpoints (`/saml/:orgId/metadata`), per client address. */
  public: RateLimitRule;
  /** DNS checks of domains (`POST /api/portal/domains/:name/verify`), per organization. */
  dnsCheck: RateLimitRule;
  /** SCIM requests (`/scim/v2/<directory>/...`) with a valid token, per directory. */
  scim: RateLimitRule;
  /** Test links made for colleagues (`POST /api/portal/connections/:id/test-links`), per organization. */
  testLinks: RateLimitRule;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  documentFetch: { capacity: 10, windowMs: 60_000 },
  portal: { capacity: 300, windowMs: 60_000 },
  admin: { capacity: 600, windowMs: 60_000 },
  authFailures: { capacity: 30, windowMs: 60_000 },
  public: { capacity: 120, windowMs: 60_000 },
  dnsCheck: { capacity: 10, windowMs: 60_000 },
  // Providers send bursts (an initial import, a group push); both retry after Retry-After.
  scim: { capacity: 600, windowMs: 60_000 },
  // Test links for colleagues, per organization: each is a login someone must run by hand.
  testLinks: { capacity: 20, windowMs: 3_600_000 },
};

export interface RateLimitOptions {
  limits?: Partial<RateLimits>;
  /** The limiters' clock in milliseconds (default `Date.now`). */
  now?: () => number;
}

export type Limiters = { [K in Exclude<keyof RateLimits, 'authFailures'>]: TokenBucketLimiter } & { authFailures: AuthFailureLimiter };

export function createLimiters(options: RateLimitOptions = {}): Limiters {
  const limits = { ...DEFAULT_RATE_LIMITS, ...options.limits };
  const now = options.now ?? Date.now;
  return {
    documentFetch: new TokenBucketLimiter(limits.documentFetch, now),
    portal: new TokenBucketLimiter(limits.portal, now),
    admin: new TokenBucketLimiter(limits.admin, now),
    authFailures: new AuthFailureLimiter(limits.authFailures, now),
    public: new TokenBucketLimiter(limits.public, now),
    dnsCheck: new TokenBucketLimiter(limits.dnsCheck, now),
    scim: new TokenBucketLimiter(limits.scim, now),
    testLinks: new TokenBucketLimiter(limits.testLinks, now),
  };
}
