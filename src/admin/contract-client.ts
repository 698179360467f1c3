/**
 * A typed client of routes of the REST contract (`core/rest-contract.ts`), over the standard
 * `fetch`: one method per route, named by its id, typed from the route's own schemas (the path
 * parameters in the order of the path, then the body when the route takes one, then the query
 * when it has one, then `{ signal }`), its answer validated with the route's answer schema, every
 * failure a PortalError (`core/rest-client.ts`, shared with the portal's HttpAdapter).
 *
 * The admin SDK is this over the admin routes (`admin-client.ts`); not exported by the package.
 */
import type * as v from 'valibot';
import { PortalError } from '../core/errors.js';
import { answerOf, fetchFailure, problemError } from '../core/rest-client.js';
import { REST, restPath, type RestRoute, type RestRouteId } from '../core/rest-contract.js';

type Route<Id extends RestRouteId> = (typeof REST)[Id];
type RequestOf<Id extends RestRouteId> = Route<Id> extends { request: infer Q } ? Q : object;

/** The names of a path's parameters, in order: `/a/:orgId/b/:name` gives `['orgId', 'name']`. */
type PathParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}` ? [Name, ...PathParamNames<Rest>] : P extends `${string}:${infer Name}` ? [Name] : [];
/** A string per name. */
type Strings<N extends string[]> = N extends [string, ...infer Rest extends string[]] ? [string, ...Strings<Rest>] : [];
type ParamArgs<Id extends RestRouteId> = Strings<PathParamNames<Route<Id>['path']>>;
type BodyArgs<Id extends RestRouteId> =
  RequestOf<Id> extends { body: infer B extends v.GenericSchema }
    ? RequestOf<Id> extends { optionalBody: true }
      ? [body?: v.InferInput<B>]
      : [body: v.InferInput<B>]
    : [];
type QueryArgs<Id extends RestRouteId> = RequestOf<Id> extends { query: infer Q extends v.GenericSchema } ? [query?: v.InferInput<Q>] : [];

/** The body a route takes, as the caller gives it. */
export type RouteBody<Id extends RestRouteId> = RequestOf<Id> extends { body: infer B extends v.GenericSchema } ? v.InferInput<B> : never;
/** What a route's method resolves with: its answer as the contract's schema gives it; nothing for 204. */
export type RouteAnswer<Id extends RestRouteId> = Route<Id> extends { response: infer S extends v.GenericSchema } ? v.InferOutput<S> : void;

export interface CallOptions {
  /** Aborts the call: it rejects with `aborted`. */
  signal?: AbortSignal;
}

/** A method's arguments: the path parameters in path order, the body, the query, the options. */
export type RouteArgs<Id extends RestRouteId> = [...ParamArgs<Id>, ...BodyArgs<Id>, ...QueryArgs<Id>, options?: CallOptions];

/** One method per route of `Ids`. */
export type ContractClient<Id extends RestRouteId> = { readonly [K in Id]: (...args: RouteArgs<K>) => Promise<RouteAnswer<K>> };

export interface ContractClientOptions {
  /** The server's base URL, checked: every route's path is added to it. */
  base: string;
  /** Sent as `Authorization: Bearer <credential>`. */
  credential: string;
  fetch?: typeof fetch;
  /** Timeout of one call in milliseconds (default 30 000). */
  timeoutMs?: number;
}

/** A client with one method per route of `ids`. */
export function createContractClient<const Ids extends readonly RestRouteId[]>(ids: Ids, options: ContractClientOptions): ContractClient<Ids[number]> {
  const { base } = options;
  const authorization = `Bearer ${options.credential}`;
  const fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function call(route: RestRoute, args: unknown[]): Promise<unknown> {
    const names = [...route.path.matchAll(/:(\w+)/g)].map((match) => match[1]!);
    const params: Record<string, string> = {};
    names.forEach((name, i) => {
      const value = args[i];
      // An empty one would name another route (`/organizations/` is the list).
      if (typeof value !== 'string' || value === '') {
        throw new PortalError('validation_failed', { message: `${route.id}: \`${name}\` must be a non-empty string.`, details: { issues: [{ path: name, message: 'must be a non-empty string' }] } });
      }
      params[name] = value;
    });
    let next = names.length;
    const body = route.request?.body ? args[next++] : undefined;
    const query = route.request?.query ? (args[next++] as Record<string, unknown> | undefined) : undefined;
    const { signal } = (args[next] ?? {}) as CallOptions;

    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined && value !== null) search.set(name, typeof value === 'string' ? value : JSON.stringify(value));
    const queryText = search.toString();
    const target = `${base}${restPath(route, params)}${queryText ? `?${queryText}` : ''}`;
    const headers: Record<string, string> = { accept: 'application/json', authorization };
    // Only fields every runtime implements (Workers refuse `credentials` and `cache`).
    const init: RequestInit = { method: route.method, headers };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }

    if (signal?.aborted) throw new PortalError('aborted', { cause: signal.reason });
    const timeout = AbortSignal.timeout(timeoutMs);
    init.signal = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let response: Response;
    let text: string;
    try {
      response = await fetchFn(target, init);
      text = await response.text();
    } catch (error) {
      throw fetchFailure(error, signal, timeout);
    }
    if (!response.ok) throw problemError(response.status, text);
    return route.response ? answerOf(route.response, text, response.status, `${route.method} ${route.path}`) : undefined;
  }

  const client: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const id of ids) {
    const route: RestRoute = REST[id];
    client[id] = (...args) => call(route, args);
  }
  return Object.freeze(client) as unknown as ContractClient<Ids[number]>;
}
