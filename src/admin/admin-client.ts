/**
 * The admin API's client (docs/rest-api.md, "Admin API"), for the host's backend: Node, Deno,
 * Workers, anything with the standard `fetch`. Its methods are the contract's admin routes
 * (`core/rest-contract.ts`), each typed from the route's own schemas: the path parameters in the
 * order of the path, then the body (when the route takes one), then `{ signal }`; the answer is
 * validated with the route's answer schema. Every failure is a PortalError with the code the
 * server answered (`core/rest-client.ts`, shared with the portal's HttpAdapter).
 *
 * No retries: the host's backend decides (a `rate_limited` error carries
 * `details.retryAfterSeconds`; `retryable` says whether trying again may help).
 */
import type * as v from 'valibot';
import { PortalError } from '../core/errors.js';
import { answerOf, fetchFailure, problemError } from '../core/rest-client.js';
import { REST, restPath, type RestRoute, type RestRouteId } from '../core/rest-contract.js';

/**
 * The contract's routes the client has a method for, named by their ids (the OpenAPI
 * `operationId`). A new admin route in `core/rest-contract.ts` gets its method by adding its id
 * here: its parameters, body and answer are typed from the contract. (Issue 13: the webhook
 * endpoints, events and embed link routes join here once their branches are merged; the SDK's
 * test fails until every admin route of the contract is listed.)
 */
export const ADMIN_CLIENT_ROUTES = [
  'createOrganization',
  'listOrganizations',
  'getOrganization',
  'createLink',
  'listLinks',
  'revokeLink',
  'verifyDomainManually',
  'getEncryptionKeys',
  'startEncryptionRollover',
  'finishEncryptionRollover',
] as const satisfies readonly RestRouteId[];

export type AdminRouteId = (typeof ADMIN_CLIENT_ROUTES)[number];
type Route<Id extends AdminRouteId> = (typeof REST)[Id];
type RequestOf<Id extends AdminRouteId> = Route<Id> extends { request: infer Q } ? Q : object;

/** The names of a path's parameters, in order: `/a/:orgId/b/:name` gives `['orgId', 'name']`. */
type PathParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}` ? [Name, ...PathParamNames<Rest>] : P extends `${string}:${infer Name}` ? [Name] : [];
/** A string per name. */
type Strings<N extends string[]> = N extends [string, ...infer Rest extends string[]] ? [string, ...Strings<Rest>] : [];
type ParamArgs<Id extends AdminRouteId> = Strings<PathParamNames<Route<Id>['path']>>;
type BodyArgs<Id extends AdminRouteId> =
  RequestOf<Id> extends { body: infer B extends v.GenericSchema }
    ? RequestOf<Id> extends { optionalBody: true }
      ? [body?: v.InferInput<B>]
      : [body: v.InferInput<B>]
    : [];
type QueryArgs<Id extends AdminRouteId> = RequestOf<Id> extends { query: infer Q extends v.GenericSchema } ? [query?: v.InferInput<Q>] : [];

/** The body a route takes, as the caller gives it. */
export type AdminBody<Id extends AdminRouteId> = RequestOf<Id> extends { body: infer B extends v.GenericSchema } ? v.InferInput<B> : never;
/** What a route's method resolves with: its answer as the contract's schema gives it; nothing for 204. */
export type AdminAnswer<Id extends AdminRouteId> = Route<Id> extends { response: infer S extends v.GenericSchema } ? v.InferOutput<S> : void;

export interface AdminCallOptions {
  /** Aborts the call: it rejects with `aborted`. */
  signal?: AbortSignal;
}

/** A method's arguments: the path parameters in path order, the body, the query, the options. */
export type AdminArgs<Id extends AdminRouteId> = [...ParamArgs<Id>, ...BodyArgs<Id>, ...QueryArgs<Id>, options?: AdminCallOptions];

/** One method per admin route (`ADMIN_CLIENT_ROUTES`). */
export type AdminClient = { readonly [Id in AdminRouteId]: (...args: AdminArgs<Id>) => Promise<AdminAnswer<Id>> };

// Shapes of the admin API, for the host's own code.
export type Organization = AdminAnswer<'getOrganization'>;
export type OrganizationInput = AdminBody<'createOrganization'>;
export type PortalLink = AdminAnswer<'listLinks'>[number];
export type CreatedPortalLink = AdminAnswer<'createLink'>;
export type PortalLinkInput = NonNullable<AdminBody<'createLink'>>;
export type VerifiedDomain = AdminAnswer<'verifyDomainManually'>;
export type EncryptionKeys = AdminAnswer<'getEncryptionKeys'>;

export interface AdminClientOptions {
  /**
   * Where the SSO portal's server is, an http(s) URL: its origin (`https://sso.example.com`) or
   * the path it is mounted under (`https://example.com/sso`); the routes' `/api/admin/...` paths
   * are added to it.
   */
  baseUrl: string;
  /** The admin key (the server's `SSO_PORTAL_ADMIN_KEY`). Keep it on the server: never send it to a browser. */
  adminKey: string;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
  /** Timeout of one call in milliseconds (default 30 000): it rejects with `request_timeout`. */
  timeoutMs?: number;
}

const notConfigured = (message: string) => new PortalError('not_configured', { message });

/** The admin API's client: `createAdminClient({ baseUrl, adminKey })`. */
export function createAdminClient(options: AdminClientOptions): AdminClient {
  let url: URL;
  try {
    url = new URL(options.baseUrl);
  } catch {
    throw notConfigured('`baseUrl` must be the absolute http(s) URL of the SSO portal server.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw notConfigured('`baseUrl` must be the absolute http(s) URL of the SSO portal server.');
  if (typeof options.adminKey !== 'string' || !options.adminKey.trim()) throw notConfigured('The admin key (`adminKey`) is missing.');
  // The server's base, without a trailing slash (or a copied `/api/admin`): every route's path starts with `/api/`.
  const base = `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/api\/admin$/, '')}`;
  const authorization = `Bearer ${options.adminKey.trim()}`;
  const fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function call(route: RestRoute, args: unknown[]): Promise<unknown> {
    const names = [...route.path.matchAll(/:(\w+)/g)].map((match) => match[1]!);
    const params: Record<string, string> = {};
    names.forEach((name, i) => {
      const value = args[i];
      if (typeof value !== 'string' || value === '') throw new PortalError('validation_failed', { message: `${route.id}: \`${name}\` must be a non-empty string.`, details: { issues: [{ path: name, message: 'must be a non-empty string' }] } });
      params[name] = value;
    });
    let next = names.length;
    const body = route.request?.body ? args[next++] : undefined;
    const query = route.request?.query ? (args[next++] as Record<string, unknown> | undefined) : undefined;
    const { signal } = (args[next] ?? {}) as AdminCallOptions;

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
  for (const id of ADMIN_CLIENT_ROUTES) {
    const route: RestRoute = REST[id];
    client[id] = (...args) => call(route, args);
  }
  return Object.freeze(client) as unknown as AdminClient;
}
