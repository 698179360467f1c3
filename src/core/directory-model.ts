/**
 * Directory sync (SCIM 2.0, issue 14): the contract between the portal's "Directory sync"
 * section, its adapters and any backend, as valibot schemas (types are inferred from them).
 *
 * Kept apart from `model.ts` so the element's first load carries none of it: the directory
 * section, the HttpAdapter's directory methods and the server import it; the shell does not.
 *
 * A directory belongs to one organization. The admin creates it for a provider and receives the
 * SCIM base URL and a bearer token (shown once). The provider's provisioning then sends SCIM
 * requests to that URL; the directory records the last ones (what arrived, with any error in plain
 * words) so the portal can show "waiting for the first request" and then what came in. The admin
 * enables it once requests arrive; disabled, the SCIM endpoints refuse every request.
 */
import * as v from 'valibot';
import { HttpUrlSchema, IdSchema, TimestampSchema, text } from './model.js';
import { INVALID, object, record, wholeNumber } from './schema-helpers.js';

const count = v.pipe(wholeNumber(INVALID), v.minValue(0, INVALID));

/** The provisioning sources the portal has a guide for. `directory-simulator` exists in development sessions only. */
export const DIRECTORY_PROVIDERS = ['okta', 'entra-id', 'onelogin', 'jumpcloud', 'ping', 'google-workspace', 'generic-scim', 'directory-simulator'] as const;
export type DirectoryProviderId = (typeof DIRECTORY_PROVIDERS)[number];
export const DirectoryProviderSchema = v.picklist(DIRECTORY_PROVIDERS, `must be one of ${DIRECTORY_PROVIDERS.join(', ')}`);

/**
 * - `setup`: created, the token issued; SCIM requests are accepted and stored, so the admin sees
 *   them arrive, but the host is not told about users yet (no `directory.user.*` webhooks);
 * - `enabled`: the admin turned it on: changes reach the host (webhooks), and a user the directory
 *   deactivated cannot finish an SSO sign-in;
 * - `disabled`: turned off; every SCIM request is refused (403), the synced data is kept.
 */
export const DirectoryStatusSchema = v.picklist(['setup', 'enabled', 'disabled'], 'must be setup, enabled or disabled');
export type DirectoryStatus = v.InferOutput<typeof DirectoryStatusSchema>;

/** A summary's values (`summaryValues`): names, counts, lists of attribute names. */
const SummaryValueSchema = v.union([v.pipe(v.string(INVALID), v.maxLength(300, INVALID)), v.number(INVALID), v.pipe(v.array(v.pipe(v.string(INVALID), v.maxLength(200, INVALID)), INVALID), v.maxLength(10, INVALID))], INVALID);
export type DirectorySummaryValues = Record<string, string | number | string[]>;

/** What a refusal's remedy is worded from (with the directory's provider): `core/directory-request-text.ts`. */
export const DirectoryRequestFactsSchema = object({
  status: v.pipe(wholeNumber(INVALID), v.minValue(100, INVALID), v.maxValue(599, INVALID)),
  method: text(16),
  /** The resource path (`Users`, `Groups`...), when known. */
  resource: v.optional(text(200)),
  scimType: v.optional(text(64)),
  /** Why the token was refused, for a 401. */
  tokenProblem: v.optional(v.picklist(['missing', 'wrong'], INVALID)),
});
export type DirectoryRequestFacts = v.InferOutput<typeof DirectoryRequestFactsSchema>;

/**
 * One SCIM request as the portal shows it: never the body, never the token. `summary` and
 * `error.remedy` are English (for developers and hosts' own backends); `summaryCode` with
 * `summaryValues` and `error.facts`, when present, let the portal word them in the admin's
 * language (`core/directory-request-text.ts`). Older entries and other backends may lack them.
 */
export const DirectoryRequestSchema = object({
  id: IdSchema,
  at: TimestampSchema,
  method: v.picklist(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], INVALID),
  /** The path below the directory's base URL, with the query (e.g. `/Users?filter=userName eq "ada@acme.com"`). */
  path: text(2048),
  /** What it did, in a few words ("Created user ada@acme.com", "Looked up a user by userName"). */
  summary: text(300),
  /** The summary as a code (`user_created`, `users_looked_up`...; see `DIRECTORY_SUMMARY_CODES`) and its values. */
  summaryCode: v.optional(text(64)),
  summaryValues: v.optional(record(SummaryValueSchema)),
  status: v.pipe(wholeNumber(INVALID), v.minValue(100, INVALID), v.maxValue(599, INVALID)),
  /** For a refused request: the SCIM error (`scimType` when SCIM has one) and what to change, in plain words. */
  error: v.optional(
    object({
      scimType: v.optional(text(64)),
      detail: text(1000),
      /** What to change in the provider's console (or in the request), in plain words. */
      remedy: text(1000),
      /** What the remedy is worded from, with the directory's provider. */
      facts: v.optional(DirectoryRequestFactsSchema),
    }),
  ),
});
export type DirectoryRequest = v.InferOutput<typeof DirectoryRequestSchema>;

export const DirectorySchema = object({
  id: IdSchema,
  provider: DirectoryProviderSchema,
  /** A name the admin gave it, e.g. "Okta (employees)". */
  name: text(200),
  status: DirectoryStatusSchema,
  /** Where the provider sends SCIM requests: `<server>/scim/v2/<directory id>`. */
  scimBaseUrl: HttpUrlSchema,
  /** The bearer token's first characters, to tell tokens apart (never the token). */
  tokenHint: text(32),
  tokenCreatedAt: TimestampSchema,
  createdAt: TimestampSchema,
  enabledAt: v.nullable(TimestampSchema),
  /** The last SCIM request that arrived, refused or not. */
  lastRequestAt: v.nullable(TimestampSchema),
  /** The last request that changed a user or a group. */
  lastSyncAt: v.nullable(TimestampSchema),
  counts: object({ users: count, activeUsers: count, groups: count }),
  /** Refused requests in the last 24 hours (bad token, bad body, unsupported filter...). */
  recentErrors: count,
  /** Bumped on every change the admin makes; a write with a stale version is a `conflict`. */
  version: v.pipe(wholeNumber(INVALID), v.minValue(1, INVALID)),
});
export type Directory = v.InferOutput<typeof DirectorySchema>;

export const DirectoryInputSchema = object({
  provider: DirectoryProviderSchema,
  /** Defaults to the provider's name. */
  name: v.optional(text(200)),
});
export type DirectoryInput = v.InferOutput<typeof DirectoryInputSchema>;

/** A directory with its new bearer token: the only answer that ever holds the token. */
export const DirectoryWithTokenSchema = object({ directory: DirectorySchema, token: text(256) });
export type DirectoryWithToken = v.InferOutput<typeof DirectoryWithTokenSchema>;

// ---------------------------------------------------------------------------------------
// The host's view (admin API): the users and groups a directory synced

export const DirectoryUserSchema = object({
  id: IdSchema,
  directoryId: IdSchema,
  externalId: v.nullable(v.string(INVALID)),
  userName: v.string(INVALID),
  displayName: v.nullable(v.string(INVALID)),
  givenName: v.nullable(v.string(INVALID)),
  familyName: v.nullable(v.string(INVALID)),
  /** The primary (or first) email. */
  email: v.nullable(v.string(INVALID)),
  active: v.boolean(INVALID),
  /** Display names of the groups the user is a member of. */
  groups: v.array(object({ id: IdSchema, displayName: v.string(INVALID) }), INVALID),
  /** The SCIM resource as stored (core and enterprise attributes). */
  raw: record(v.unknown()),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type DirectoryUser = v.InferOutput<typeof DirectoryUserSchema>;

export const DirectoryGroupSchema = object({
  id: IdSchema,
  directoryId: IdSchema,
  externalId: v.nullable(v.string(INVALID)),
  displayName: v.string(INVALID),
  memberCount: count,
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type DirectoryGroup = v.InferOutput<typeof DirectoryGroupSchema>;
