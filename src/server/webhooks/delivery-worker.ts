/// <reference types="node" />
/**
 * Sends the webhook deliveries of the event log's outbox (`webhook_deliveries`, written with
 * their event: `../events.ts`). One worker per server instance; any number share one database:
 *
 * - A delivery is claimed in a short transaction (`SELECT ... FOR UPDATE SKIP LOCKED`, then its
 *   `next_attempt_at` moved to the end of a lease and `attempts` counted), so two instances never
 *   take the same one; the HTTP request runs after the commit (no transaction stays open while a
 *   receiver answers). An instance that dies while sending loses its lease: another instance
 *   sends the delivery again after it (at least once, and the `webhook-id` is the event's id so
 *   receivers can drop repeats).
 * - Signed per Standard Webhooks (`../../core/webhook-signature.ts`). The body is the event:
 *   `{ id, type, timestamp, organizationId, actor, target, data }`.
 * - A 2xx answer delivers it. Anything else is retried on {@link RETRY_SCHEDULE_MS} (about 27
 *   hours); when the last retry fails, the delivery is `failed` and the endpoint is disabled
 *   (with the reason) unless it answered another delivery successfully since this one began. A
 *   410 Gone fails the delivery and disables the endpoint at once.
 * - Every request goes through the SSRF check (`vetUrl`: https, public addresses; loopback only
 *   when `allowLoopback`), to the vetted addresses only; no redirects are followed; one deadline
 *   (`timeoutMs`, default 10 s); at most `maxAnswerBytes` of the answer are read.
 *
 * The clock is injectable (`now`); tests drive retries with it and call `runOnce()`. `wake()`
 * (called by the store after a commit that recorded events) runs the worker at once.
 */
import { PortalError } from '../../core/errors.js';
import { webhookHeaders } from '../../core/webhook-signature.js';
import type { Database } from '../db/database.js';
import type { DeliveryAnswer } from '../db/schema.js';
import { defaultResolver, pinnedNodeFetch, vetUrl, type PinnedFetch, type Resolver } from '../safe-fetch.js';
import type { SecretBox } from '../secret-box.js';
import { sql } from 'kysely';

/** Waits between attempts: after the 1st attempt 5 s, then 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (8 attempts, about 27 h). */
export const RETRY_SCHEDULE_MS: readonly number[] = [5_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 5 * 3_600_000, 10 * 3_600_000, 10 * 3_600_000];
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
/** The most of an answer read (the rest is dropped); the excerpt kept is shorter. */
export const MAX_ANSWER_BYTES = 4096;
const EXCERPT_CHARS = 300;

export interface DeliveryWorkerOptions {
  database: Database;
  secrets: SecretBox;
  now?: () => Date;
  /** Loopback receivers allowed, over http too (development, demo, tests). */
  allowLoopback: boolean;
  resolve?: Resolver;
  fetchImpl?: PinnedFetch;
  timeoutMs?: number;
  maxAnswerBytes?: number;
  schedule?: readonly number[];
  /** How often to look for due deliveries (other instances' events, retries), in ms; 0: only `wake()`/`runOnce()`. Default 15 s. */
  pollMs?: number;
  /** Deliveries claimed at once (default 10). */
  batchSize?: number;
  /** Unexpected errors (the database went away...); default: logged to stderr. */
  onError?: (error: unknown) => void;
}

export interface DeliveryWorker {
  /** Looks for due deliveries now (after a commit that recorded events). */
  wake(): void;
  /** Sends every delivery due now; resolves with how many were attempted. A run in progress is joined, then run again. */
  runOnce(): Promise<number>;
  /** Resolves when no run is in progress. */
  idle(): Promise<void>;
  /** Stops the timer and waits for the run in progress. */
  stop(): Promise<void>;
}

interface Claimed {
  id: string;
  attempts: number;
  created_at: Date;
  endpoint_id: string;
  url: string;
  secret_ciphertext: string;
  event_id: string;
  type: string;
  organization_id: string;
  actor_kind: string;
  actor_id: string;
  target_kind: string | null;
  target_id: string | null;
  payload: Record<string, unknown> | string;
  event_created_at: Date;
}

/** The event as its deliveries' body (the same for every attempt). */
function bodyOf(row: Claimed): string {
  const data = typeof row.payload === 'string' ? (JSON.parse(row.payload) as Record<string, unknown>) : row.payload;
  return JSON.stringify({
    id: row.event_id,
    type: row.type,
    timestamp: new Date(row.event_created_at).toISOString(),
    organizationId: row.organization_id,
    actor: { kind: row.actor_kind, id: row.actor_id },
    target: row.target_kind && row.target_id ? { kind: row.target_kind, id: row.target_id } : null,
    data,
  });
}

/** Text of the first bytes, without control characters, at most {@link EXCERPT_CHARS}. */
function excerptOf(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').slice(0, EXCERPT_CHARS);
}

export function startDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const db = options.database.db;
  const now = options.now ?? (() => new Date());
  const schedule = options.schedule ?? RETRY_SCHEDULE_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  const maxAnswerBytes = options.maxAnswerBytes ?? MAX_ANSWER_BYTES;
  const resolve = options.resolve ?? defaultResolver;
  const fetchImpl = options.fetchImpl ?? pinnedNodeFetch;
  const batchSize = options.batchSize ?? 10;
  const pollMs = options.pollMs ?? 15_000;
  const onError = options.onError ?? ((error: unknown) => console.error('[sso-portal] webhooks:', error));
  /** How long a claim holds a delivery: the request's deadline plus a margin. */
  const leaseMs = timeoutMs + 30_000;

  let running: Promise<number> | undefined;
  let again = false;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function claim(at: Date): Promise<Claimed[]> {
    return db.transaction().execute(async (trx) => {
      const due = await sql<{ id: string }>`
        select d.id from webhook_deliveries d
        join webhook_endpoints w on w.id = d.endpoint_id
        where d.status = 'pending' and d.next_attempt_at <= ${at}::timestamptz and w.enabled
        order by d.next_attempt_at, d.id
        limit ${batchSize}
        for update of d skip locked
      `.execute(trx);
      if (!due.rows.length) return [];
      const ids = due.rows.map((r) => r.id);
      const lease = new Date(at.getTime() + leaseMs);
      const claimed = await sql<Claimed>`
        update webhook_deliveries d
        set attempts = d.attempts + 1, next_attempt_at = ${lease}::timestamptz, last_attempt_at = ${at}::timestamptz
        from webhook_endpoints w, events e
        where d.id = any(${ids}::text[]) and w.id = d.endpoint_id and e.id = d.event_id
        returning d.id, d.attempts, d.created_at, d.endpoint_id, w.url, w.secret_ciphertext, e.id as event_id, e.type, e.organization_id,
          e.actor_kind, e.actor_id, e.target_kind, e.target_id, e.payload, e.created_at as event_created_at
      `.execute(trx);
      return claimed.rows;
    });
  }

  /** One attempt: the answer, and whether it counts as delivered. */
  async function send(row: Claimed): Promise<DeliveryAnswer & { ok: boolean }> {
    const started = Date.now();
    const controller = new AbortController();
    let timedOut = false;
    const timeout = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error('timeout'));
    }, timeoutMs);
    const took = () => Date.now() - started;
    const failed = (errorCode: string, error: string, status: number | null = null, excerpt = ''): DeliveryAnswer & { ok: boolean } => ({ ok: false, status, excerpt, durationMs: took(), errorCode, error });
    try {
      const url = new URL(row.url);
      const { hostname, addresses } = await vetUrl(url, {
        allowLoopback: options.allowLoopback,
        resolve,
        noun: 'webhook URL',
        remedy: 'Use a public https:// URL.',
        refuse: (message, reason) => new PortalError('validation_failed', { message, details: { reason } }),
        fail: (message, init) => new PortalError('network', { message, cause: init?.cause }),
      });
      const body = bodyOf(row);
      const secret = options.secrets.open(row.secret_ciphertext);
      const signed = await webhookHeaders(secret, row.event_id, Math.floor(now().getTime() / 1000), body);
      const response = await Promise.race([
        fetchImpl({
          url,
          hostname,
          addresses,
          method: 'POST',
          body,
          signal: controller.signal,
          headers: {
            host: url.host,
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
            'user-agent': 'sso-admin-portal-webhooks',
            ...signed,
          },
        }),
        new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason as Error), { once: true })),
      ]);
      // At most `maxAnswerBytes` of the answer; the rest is dropped with the connection.
      const chunks: Uint8Array[] = [];
      let total = 0;
      let cut = false;
      try {
        for await (const chunk of response.body) {
          chunks.push(chunk);
          total += chunk.byteLength;
          if (total >= maxAnswerBytes) {
            cut = true;
            break;
          }
        }
      } finally {
        response.discard();
      }
      const bytes = new Uint8Array(Math.min(total, maxAnswerBytes));
      let offset = 0;
      for (const chunk of chunks) {
        const part = chunk.subarray(0, bytes.length - offset);
        bytes.set(part, offset);
        offset += part.length;
        if (offset >= bytes.length) break;
      }
      const excerpt = excerptOf(bytes);
      const ok = response.status >= 200 && response.status <= 299;
      return {
        ok,
        status: response.status,
        excerpt,
        durationMs: took(),
        ...(ok ? {} : { errorCode: 'http_status', error: `The endpoint answered HTTP ${response.status}.` }),
        ...(cut && ok ? { errorCode: 'answer_cut', error: `The answer was longer than ${maxAnswerBytes} bytes; the rest was not read.` } : {}),
      };
    } catch (error) {
      if (timedOut) return failed('timeout', `The endpoint did not answer within ${timeoutMs} ms.`);
      if (error instanceof PortalError && error.code === 'validation_failed') return failed('refused', error.message);
      if (error instanceof PortalError && error.code === 'network') return failed('dns_failed', error.message);
      const code = typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : '';
      return failed('connection_failed', `The endpoint could not be reached${code ? ` (${code})` : ''}.`);
    } finally {
      clearTimeout(timeout);
    }
  }

  /**
   * Writes `changes` to the delivery if this instance still holds it (still pending, `attempts`
   * unchanged since it was claimed); true when it did.
   */
  const settle = async (q: Pick<Database['db'], 'updateTable'>, row: Claimed, changes: { status?: 'delivered' | 'failed'; next_attempt_at: Date | null; last_answer: DeliveryAnswer }): Promise<boolean> =>
    (await q.updateTable('webhook_deliveries').set(changes).where('id', '=', row.id).where('attempts', '=', row.attempts).where('status', '=', 'pending').returning('id').executeTakeFirst()) !== undefined;

  /** Records an attempt's answer, if this instance still holds the delivery (`attempts` unchanged). */
  async function record(row: Claimed, answer: DeliveryAnswer & { ok: boolean }): Promise<void> {
    const { ok, ...lastAnswer } = answer;
    const at = now();
    if (ok) {
      await db.transaction().execute(async (trx) => {
        const done = await settle(trx, row, { status: 'delivered', next_attempt_at: null, last_answer: lastAnswer });
        if (done) await trx.updateTable('webhook_endpoints').set({ last_success_at: at }).where('id', '=', row.endpoint_id).execute();
      });
      return;
    }
    const gone = answer.status === 410;
    const exhausted = row.attempts > schedule.length;
    if (!gone && !exhausted) {
      const wait = schedule[row.attempts - 1] ?? schedule[schedule.length - 1] ?? 60_000;
      await settle(db, row, { next_attempt_at: new Date(at.getTime() + wait), last_answer: lastAnswer });
      return;
    }
    await db.transaction().execute(async (trx) => {
      if (!(await settle(trx, row, { status: 'failed', next_attempt_at: null, last_answer: lastAnswer }))) return;
      const last = answer.status === null ? `${answer.errorCode}: ${answer.error}` : `HTTP ${answer.status}`;
      const reason = gone
        ? 'The endpoint answered 410 Gone: it asked for no more deliveries.'
        : `Deliveries kept failing: ${row.attempts} attempts over about ${Math.round(schedule.reduce((a, b) => a + b, 0) / 3_600_000)} hours; the last answer: ${last}.`;
      let q = trx.updateTable('webhook_endpoints').set({ enabled: false, disabled_reason: reason.slice(0, 500), disabled_at: at }).where('id', '=', row.endpoint_id).where('enabled', '=', true);
      // A failing delivery disables the endpoint only if nothing was delivered to it since this one began.
      if (!gone) q = q.where((eb) => eb.or([eb('last_success_at', 'is', null), eb('last_success_at', '<', row.created_at)]));
      await q.execute();
    });
  }

  async function pass(): Promise<number> {
    let count = 0;
    for (;;) {
      const batch = await claim(now());
      if (!batch.length) break;
      count += batch.length;
      await Promise.all(batch.map(async (row) => record(row, await send(row))));
      if (stopped) break;
    }
    return count;
  }

  /** The next run: when the next delivery is due, at the latest after `pollMs`. */
  async function scheduleNext(): Promise<void> {
    if (stopped || pollMs <= 0) return;
    let wait = pollMs;
    try {
      const next = await db.selectFrom('webhook_deliveries').select((eb) => eb.fn.min('next_attempt_at').as('at')).where('status', '=', 'pending').executeTakeFirst();
      const at = next?.at ? new Date(next.at).getTime() : undefined;
      if (at !== undefined) wait = Math.max(0, Math.min(pollMs, at - now().getTime()));
    } catch {
      // the database is away: poll again later
    }
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void runOnce().catch(onError), wait);
    timer.unref();
  }

  function runOnce(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      try {
        do {
          again = false;
          total += await pass();
        } while (again && !stopped);
      } finally {
        running = undefined;
        void scheduleNext();
      }
      return total;
    })();
    return running;
  }

  void scheduleNext();

  return {
    wake() {
      if (!stopped) runOnce().catch(onError);
    },
    runOnce,
    async idle() {
      while (running) await running.catch(() => undefined);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      while (running) await running.catch(() => undefined);
    },
  };
}
