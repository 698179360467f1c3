/**
 * Hono routes from the REST contract (`core/rest-contract.ts`): each route is registered with
 * its contract's method and path, behind a middleware that validates its path parameters,
 * query and JSON body against the contract's schemas.
 *
 * Our own middleware rather than a Hono validator middleware: Hono's `json` validator takes a body
 * without a JSON `Content-Type` as `{}` and answers malformed JSON with its own 400, where this
 * API answers 422 `validation_failed` problems naming each field (and reads the body whatever
 * its declared type, as it always has).
 */
import type { Context, Env, Hono } from 'hono';
import * as v from 'valibot';
import { PortalError } from '../core/errors.js';
import { parseOrThrow } from '../core/model.js';
import type { RestRoute } from '../core/rest-contract.js';

type Out<S> = S extends v.GenericSchema ? v.InferOutput<S> : undefined;
type RequestOf<R extends RestRoute> = NonNullable<R['request']>;

/** What a route's handler receives, validated. */
export interface RouteInput<R extends RestRoute> {
  params: Out<RequestOf<R>['params']>;
  query: Out<RequestOf<R>['query']>;
  body: Out<RequestOf<R>['body']>;
}

const INPUT = 'contractInput';

/** The JSON body as text, parsed; an empty body counts as `{}` when the route says so. */
async function jsonBody(c: Context, route: RestRoute): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '' && route.request?.optionalBody) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new PortalError('validation_failed', {
      message: `${route.request?.what ?? 'The request'} is not valid: the body must be JSON`,
      details: { issues: [{ path: '', message: 'the body must be JSON' }] },
    });
  }
}

/** The middleware that validates a request against its contract entry. */
export function validateRequest<R extends RestRoute>(route: R) {
  return async (c: Context, next: () => Promise<void>): Promise<void> => {
    const request = route.request;
    const input: Record<string, unknown> = {};
    if (request?.params) {
      const params = c.req.param() as Record<string, string>;
      const result = v.safeParse(request.params, params);
      if (!result.success) {
        // An id outside the id alphabet cannot exist: not found, rather than a validation error.
        const key = result.issues[0].path?.[0]?.key;
        const name = typeof key === 'string' ? key : '';
        throw new PortalError(request.notFound ?? 'not_found', { details: { [name]: params[name] } });
      }
      input.params = result.output;
    }
    if (request?.query) input.query = parseOrThrow(request.query, c.req.query(), 'The query');
    if (request?.body) input.body = parseOrThrow(request.body, await jsonBody(c, route), request.what ?? 'The request');
    c.set(INPUT as never, input as never);
    await next();
  };
}

/** The validated input of the current request (after `validateRequest(route)`). */
export function inputOf<R extends RestRoute>(c: Context, _route: R): RouteInput<R> {
  return c.get(INPUT as never) as RouteInput<R>;
}

/**
 * Registers `handler` at the contract's method and path, behind the contract's validation. On a
 * sub-app that is mounted with `app.route(mountedAt, subApp)`, give `mountedAt`: the route is
 * registered at the rest of its path, so that mounted it answers at the contract's full path.
 */
export function route<E extends Env, R extends RestRoute>(
  app: Hono<E>,
  entry: R,
  handler: (c: Context<E>, input: RouteInput<R>) => Response | Promise<Response>,
  mountedAt = '',
): void {
  if (mountedAt && !entry.path.startsWith(`${mountedAt}/`)) throw new Error(`The route ${entry.path} is not under ${mountedAt}.`);
  const path = entry.path.slice(mountedAt.length);
  app.on(entry.method, path, validateRequest(entry), (c) => handler(c as unknown as Context<E>, inputOf(c, entry)));
}
