/**
 * The building blocks of the REST route table (`core/rest-contract.ts`): a route's shape,
 * `defineRoutes`, and the version envelopes of writes. Apart from the table so the directory
 * routes (`core/directory-rest.ts`) build on them without importing the table: the HttpAdapter's
 * chunk carries the table, and the directory routes load only with the directory section.
 */
import * as v from 'valibot';
import { ConnectionSchema, type Schema } from './model.js';
import { object } from './schema-helpers.js';

/** The version a write read (the connection's own schema, so the messages are the same). */
export const VersionSchema = ConnectionSchema.entries.version;
export const EnabledUpdateSchema = object({ version: VersionSchema, enabled: v.boolean('must be true or false') });
export const VersionOnlySchema = object({ version: VersionSchema });

// ---------------------------------------------------------------------------------------
// The route table

/** An object schema (path parameters, query). */
export type ObjectSchema = v.ObjectSchema<v.ObjectEntries, v.ErrorMessage<v.ObjectIssue> | undefined>;

export type RestMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
/** Who may call a route: a portal token, the admin key, or anyone. */
export type RestAuth = 'portal' | 'admin' | 'public';

export interface RestRouteDefinition {
  method: RestMethod;
  /** Hono path, e.g. `/api/portal/connections/:id`. */
  path: string;
  auth: RestAuth;
  request?: {
    /** Path parameters. One that does not fit cannot name anything: `notFound` (default `not_found`), not a validation error. */
    params?: ObjectSchema;
    query?: ObjectSchema;
    /** The JSON body. */
    body?: Schema;
    /** Names the body in validation messages ("Connection is not valid: ..."). */
    what?: string;
    /** An empty body counts as `{}`. */
    optionalBody?: boolean;
    notFound?: 'not_found' | 'test_not_found';
  };
  /** The JSON answer; none for 204. */
  response?: Schema;
  status: 200 | 201 | 204;
}

export type RestRoute<Id extends string = string> = RestRouteDefinition & { id: Id };

export function defineRoutes<const T extends Record<string, RestRouteDefinition>>(definitions: T): { [K in keyof T]: T[K] & { id: K } } {
  const out: Record<string, RestRoute> = {};
  for (const [id, definition] of Object.entries(definitions)) out[id] = { id, ...definition };
  return out as { [K in keyof T]: T[K] & { id: K } };
}

