/**
 * Probes for load balancers and orchestrators: `GET /healthz` (the process answers; touches
 * nothing) and `GET /readyz` (the store can serve: `Store.ready()`; not while shutting down).
 * Public, cheap, no rate limit, never cached; logged only when they fail (`log.ts`).
 */
import type { Hono } from 'hono';
import { PortalError } from '../core/errors.js';
import { errorFields, type Logger } from './log.js';
import { problemResponse } from './problem.js';
import type { Store } from './store/store.js';

/** When a load balancer should ask again after a 503 (seconds). */
export const READY_RETRY_AFTER_SECONDS = 5;
/** When a client should try again after a 503 because the database was unreachable (seconds). */
export const DATABASE_RETRY_AFTER_SECONDS = 5;
const NO_STORE = { 'cache-control': 'no-store' };

/** 503 `unavailable` with `Retry-After`. */
export function unavailableResponse(message: string, retryAfterSeconds: number, details?: Record<string, unknown>): Response {
  const response = problemResponse(new PortalError('unavailable', { message, details }));
  response.headers.set('retry-after', String(retryAfterSeconds));
  response.headers.set('cache-control', 'no-store');
  return response;
}

export interface OperationsOptions {
  store: Store;
  logger: Logger;
  /** True once the server is shutting down: `/readyz` answers 503 so that no new requests are sent here. */
  stopping?: () => boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any app's environment
export function registerOperations(app: Hono<any>, { store, logger, stopping }: OperationsOptions): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }, 200, NO_STORE));

  app.get('/readyz', async (c) => {
    let storeCheck: 'ok' | 'failed' = 'ok';
    try {
      await store.ready();
    } catch (error) {
      storeCheck = 'failed';
      // The reason (paths, the database's message) goes to the log, not to an anonymous caller.
      logger.error('not ready', { requestId: c.get('requestId') as string | undefined, check: 'store', ...errorFields(error), stack: undefined });
    }
    if (stopping?.()) {
      return unavailableResponse('The server is shutting down.', READY_RETRY_AFTER_SECONDS, { checks: { store: storeCheck, server: 'stopping' } });
    }
    if (storeCheck !== 'ok') {
      return unavailableResponse('The server cannot reach its store.', READY_RETRY_AFTER_SECONDS, { checks: { store: storeCheck } });
    }
    return c.json({ status: 'ready', checks: { store: 'ok' } }, 200, NO_STORE);
  });
}

/**
 * What a server answers while its app is still being built: `/healthz` (the process is up),
 * and 503 `unavailable` for everything else.
 */
export function startingResponse(request: Request): Response {
  if (new URL(request.url).pathname === '/healthz') {
    return new Response(JSON.stringify({ status: 'ok' }), { status: 200, headers: { 'content-type': 'application/json', ...NO_STORE } });
  }
  return unavailableResponse('The server is starting.', 1);
}
