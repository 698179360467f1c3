/// <reference types="node" />
/**
 * The SCIM 2.0 endpoints of each directory (RFC 7644): `/scim/v2/<directory id>/Users`,
 * `/Groups`, `/ServiceProviderConfig`, `/ResourceTypes`, `/Schemas`. A Hono sub-app that
 * `app.ts` mounts at {@link SCIM_PATH}; the protocol itself (parsing, filters, PATCH, the
 * discovery documents, `ScimError`) is the pure engine beside it, the storage
 * `../store/directory-store.ts`.
 *
 * Every answer on these paths is SCIM: `application/scim+json`, errors in the SCIM error schema
 * (`scimErrorBody`) with their status and `scimType`, never a problem+json or a bare 500.
 *
 * - Auth: `Authorization: Bearer <token>`; the SHA-256 of the token compared with the stored hash
 *   in constant time. Missing or wrong: 401 with `WWW-Authenticate: Bearer`; failures counted per
 *   client and per presented token (past the limit: 429). A disabled directory: 403.
 * - Rate limits: per directory (`scim` rule), per failing client; 429 with `Retry-After`.
 * - Bodies up to {@link SCIM_MAX_BODY_BYTES} (413 beyond, nothing stored).
 * - Every request to a known directory, accepted or refused, is recorded in its log
 *   (`directory_requests`: a summary, and for an error the detail and what to change in the
 *   provider's console); unknown directory ids are not (they count as failed authentications).
 */
import { timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { DirectoryRequestFacts, DirectorySummaryValues } from '../../core/directory-model.js';
import { directoryRemedyText, directorySummaryText, type DirectorySummary, type DirectorySummaryCode } from '../../core/directory-request-text.js';
import { validate, IdSchema } from '../../core/model.js';
import { englishAnswer } from '../page-language.js';
import { bearer, type RequestContext } from '../api/api-context.js';
import type { Logger } from '../log.js';
import { errorFields } from '../log.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import { DATABASE_RETRY_AFTER_SECONDS } from '../operations.js';
import type { Limiters } from '../rate-limit.js';
import { hashToken } from '../server-types.js';
import { DirectoryWriteError, type DirectoryRecord, type ResourceRef, type StoredGroup, type StoredUser } from '../store/directory-store.js';
import type { DirectoryStore } from '../store/store.js';
import { ScimError, scimErrorBody } from './scim-error.js';
import { compileFilter, equalityLookup } from './scim-filter.js';
import { applyPatch } from './scim-patch.js';
import { groupSummary, parseResourceInput, userSummary, type ScimDoc } from './scim-resources.js';
import { readTextCapped } from '../read-capped.js';
import { LIST_RESPONSE_URN, MAX_RESULTS, resourceTypes, schemaDefinitions, serviceProviderConfig, type ResourceKind } from './scim-schemas.js';

/** Where `app.ts` mounts the SCIM endpoints. */
export const SCIM_PATH = '/scim/v2';
/** Largest SCIM request body. A user or group document is much smaller; a group push with thousands of members is not. */
export const SCIM_MAX_BODY_BYTES = 1024 * 1024;
export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

type ScimEnv = {
  Variables: {
    requestId: string;
    directory: DirectoryRecord;
    /** What the request did, for the log (set by the handler): worded in English for the log's text, kept as code and values for the portal's. */
    scimSummary: DirectorySummary;
    /** The refusal, for the log (set by the error handler). */
    scimRefusal: { error: ScimError; tokenProblem?: 'missing' | 'wrong' };
  };
};

export interface ScimRoutesOptions {
  directories: DirectoryStore;
  now: () => Date;
  /** Without a trailing slash. */
  publicBaseUrl: string;
  limiters: Limiters | undefined;
  /** The client of a request (the TCP peer, or what a trusted proxy says). */
  clientOf: (c: RequestContext) => string;
  logger: Logger;
}

class TokenRefused extends ScimError {
  readonly problem: 'missing' | 'wrong';
  constructor(problem: 'missing' | 'wrong') {
    super(401, undefined, problem === 'missing' ? 'The request has no bearer token (Authorization: Bearer <token>).' : 'The bearer token is not this directory’s (wrong, or replaced by a new one).');
    this.problem = problem;
  }
}

const scimJson = (c: Context, body: unknown, status = 200, headers: Record<string, string> = {}) =>
  c.body(JSON.stringify(body), status as 200, { 'content-type': SCIM_CONTENT_TYPE, ...headers });

function scimErrorResponse(c: Context, error: ScimError): Response {
  const headers: Record<string, string> = { 'content-type': SCIM_CONTENT_TYPE, 'cache-control': 'no-store' };
  if (error.status === 401) headers['www-authenticate'] = 'Bearer realm="SCIM"';
  const retryAfter = (error as ScimError & { retryAfterSeconds?: number }).retryAfterSeconds;
  if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
  if (error.status === 413) headers.connection = 'close';
  return c.body(JSON.stringify(scimErrorBody(error)), error.status as 400, headers);
}

function rateLimited(retryAfterMs: number, what: string): ScimError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const error = new ScimError(429, undefined, `Too many ${what}. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`);
  return Object.assign(error, { retryAfterSeconds: seconds });
}

/** What the request did, for its log entry. */
const said = (c: Context<ScimEnv>, code: DirectorySummaryCode, values: DirectorySummaryValues = {}) => c.set('scimSummary', { code, values });

const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));

/** The store's failures as SCIM errors. */
function fromWriteError(error: DirectoryWriteError): ScimError {
  switch (error.reason) {
    case 'directory_not_found':
      return new ScimError(404, undefined, 'This directory does not exist (any more).');
    case 'disabled':
      return new ScimError(403, undefined, 'This directory is disabled in the SSO admin portal: SCIM requests are refused until it is enabled again.');
    case 'not_found':
      return new ScimError(404, undefined, error.message);
    case 'precondition_failed':
      return new ScimError(412, undefined, `${error.message} (If-Match named another version; the current one is W/"${String(error.details.version)}").`);
    case 'uniqueness':
      return new ScimError(409, 'uniqueness', error.message);
    case 'unknown_member':
      return new ScimError(400, 'invalidValue', `${error.message} Members must be users of this directory, created before the group refers to them.`);
  }
}

/** The version an `If-Match` names (undefined: none or `*`); 412 when it names no version of ours. */
function ifMatchVersion(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '' || header.trim() === '*') return undefined;
  const first = header.split(',')[0]!.trim();
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(first);
  if (!match) throw new ScimError(412, undefined, `If-Match ${JSON.stringify(first.slice(0, 40))} is not an ETag of this server (they look like W/"3").`);
  return Number(match[1]);
}

/** Reads the body as JSON, at most `max` bytes (413 beyond, before reading the rest). */
async function readJson(c: Context, max: number): Promise<unknown> {
  const declared = Number(c.req.header('content-length'));
  if (Number.isFinite(declared) && declared > max) throw new ScimError(413, undefined, `The request body is larger than ${max} bytes.`);
  const body = c.req.raw.body;
  if (!body) throw new ScimError(400, 'invalidSyntax', 'The request has no body: send the SCIM resource as JSON.');
  const text = await readTextCapped(body, max);
  if (text === undefined) throw new ScimError(413, undefined, `The request body is larger than ${max} bytes.`);
  if (text.trim() === '') throw new ScimError(400, 'invalidSyntax', 'The request has no body: send the SCIM resource as JSON.');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ScimError(400, 'invalidSyntax', 'The request body is not JSON.');
  }
}

/** `attributes` / `excludedAttributes` (RFC 7644 §3.9), on top-level attributes (a sub-attribute keeps its parent whole). */
interface Projection {
  only?: Set<string>;
  without: Set<string>;
}

function projection(c: Context): Projection {
  const names = (value: string | undefined) =>
    (value ?? '')
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean)
      .map((n) => {
        // `urn:...:User:department` -> the extension; `name.givenName` -> name.
        const urn = /^(urn:[^ ]+):([^:.]+)(?:\.[^:]+)?$/i.exec(n);
        if (urn && /^urn:ietf:params:scim:schemas:extension:/i.test(n)) return urn[1]!.toLowerCase();
        if (/^urn:ietf:params:scim:schemas:core:2\.0:(User|Group):/i.test(n)) return n.split(':').pop()!.split('.')[0]!.toLowerCase();
        return n.split('.')[0]!.toLowerCase();
      });
  const only = names(c.req.query('attributes'));
  return { ...(only.length ? { only: new Set(only) } : {}), without: new Set(names(c.req.query('excludedAttributes'))) };
}

const ALWAYS = new Set(['schemas', 'id', 'meta']);

function project(resource: Record<string, unknown>, p: Projection): Record<string, unknown> {
  if (!p.only && !p.without.size) return resource;
  return Object.fromEntries(
    Object.entries(resource).filter(([key]) => {
      const k = key.toLowerCase();
      if (ALWAYS.has(k)) return true;
      if (p.only) return p.only.has(k);
      return !p.without.has(k);
    }),
  );
}

const refs = (list: readonly ResourceRef[], base: string, type: 'User' | 'Group') =>
  list.map((r) => ({ value: r.value, $ref: `${base}/${type === 'User' ? 'Users' : 'Groups'}/${r.value}`, ...(r.display !== null ? { display: r.display } : {}), type }));

export function createScimRoutes(options: ScimRoutesOptions): Hono<ScimEnv> {
  const { directories, now, publicBaseUrl, limiters, clientOf, logger } = options;
  const scim = new Hono<ScimEnv>();
  const baseOf = (directoryId: string) => `${publicBaseUrl}${SCIM_PATH}/${encodeURIComponent(directoryId)}`;

  const etag = (version: number) => `W/"${version}"`;
  const meta = (kind: ResourceKind, base: string, r: { id: string; createdAt: string; updatedAt: string; version: number }) => ({
    resourceType: kind,
    created: r.createdAt,
    lastModified: r.updatedAt,
    location: `${base}/${kind === 'User' ? 'Users' : 'Groups'}/${r.id}`,
    version: etag(r.version),
  });
  /** A stored user as SCIM answers it: id, the document, its groups (readOnly), meta. */
  const userResource = (base: string, u: StoredUser): Record<string, unknown> => {
    const { schemas, ...rest } = u.doc;
    return { schemas, id: u.id, ...rest, ...(u.groups.length ? { groups: refs(u.groups, base, 'Group') } : {}), meta: meta('User', base, u) };
  };
  const groupResource = (base: string, g: StoredGroup, withMembers = true): Record<string, unknown> => {
    const { schemas, ...rest } = g.doc;
    return { schemas, id: g.id, ...rest, ...(withMembers && g.members.length ? { members: refs(g.members, base, 'User') } : {}), meta: meta('Group', base, g) };
  };

  // -------------------------------------------------------------------------------------
  // Every request: the directory, the log, the errors

  scim.onError((error, c) => {
    let scimError: ScimError;
    if (error instanceof ScimError) scimError = error;
    else if (error instanceof DirectoryWriteError) scimError = fromWriteError(error);
    else if (isDatabaseUnavailable(error)) {
      // Down or unreachable: when to ask again (the pool reconnects by itself); providers retry on 503.
      logger.error('database unavailable', { requestId: c.var.requestId, method: c.req.method, path: `${SCIM_PATH}/…`, ...errorFields(error), stack: undefined });
      scimError = Object.assign(new ScimError(503, undefined, 'The service is temporarily unavailable. Try again in a few seconds.'), { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS });
    } else {
      logger.error('unexpected error', { requestId: c.var.requestId, method: c.req.method, path: `${SCIM_PATH}/…`, ...errorFields(error) });
      scimError = new ScimError(500, undefined, `The server could not handle this request (request id ${c.var.requestId ?? 'unknown'}). Nothing was changed.`);
    }
    c.set('scimRefusal', { error: scimError, ...(error instanceof TokenRefused ? { tokenProblem: error.problem } : {}) });
    return scimErrorResponse(c, scimError);
  });

  /** Anything outside a known directory: 404, not logged (counted as a failed authentication). */
  const unknownDirectory = (c: RequestContext, authorization: string | undefined): never => {
    const decision = limiters?.authFailures.fail(clientOf(c), bearer(authorization));
    if (decision && !decision.allowed) throw rateLimited(decision.retryAfterMs, 'failed requests');
    throw new ScimError(404, undefined, 'There is no directory at this address. Copy the SCIM base URL again from the portal.');
  };

  scim.use('/:directoryId/*', async (c, next) => {
    const id = c.req.param('directoryId');
    const directory = validate(IdSchema, id).ok ? await directories.getDirectory(id) : undefined;
    if (!directory) return unknownDirectory(c, c.req.header('authorization'));
    c.set('directory', directory);
    const started = now().toISOString();
    const url = new URL(c.req.url);
    const below = url.pathname.slice(`${SCIM_PATH}/${id}`.length) || '/';
    const [, resource, resourceId] = below.split('/');
    try {
      await next();
    } finally {
      const refusal = c.var.scimRefusal;
      const status = refusal?.error.status ?? c.res.status;
      const facts: DirectoryRequestFacts = { status, method: c.req.method, ...(resource ? { resource } : {}), ...(refusal?.error.scimType ? { scimType: refusal.error.scimType } : {}), ...(refusal?.tokenProblem ? { tokenProblem: refusal.tokenProblem } : {}) };
      const method = (['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const).find((m) => m === c.req.method);
      if (method) {
        const summary = c.var.scimSummary ?? { code: refusal ? 'request_refused' : 'request', values: { method, ...(resource ? { resource } : {}), ...(resourceId ? { id: resourceId } : {}) } };
        await directories
          .recordRequest(directory.id, {
            at: started,
            method,
            path: readablePath(below, url.search),
            // The REST contract's English text, and the code and facts the portal words in the admin's language.
            summary: englishAnswer(() => directorySummaryText(summary.code, summary.values)) ?? `${method} request`,
            summaryCode: summary.code,
            summaryValues: summary.values,
            status,
            ...(refusal
              ? { error: { ...(refusal.error.scimType ? { scimType: refusal.error.scimType } : {}), detail: refusal.error.detail, remedy: englishAnswer(() => directoryRemedyText(directory.provider, facts)), facts } }
              : {}),
          })
          .catch((error: unknown) => logger.error('directory request log failed', { requestId: c.var.requestId, ...errorFields(error) }));
      }
    }
  });

  scim.use('/:directoryId/*', async (c, next) => {
    const directory = c.var.directory;
    const token = bearer(c.req.header('authorization'));
    if (!token || !sameHash(hashToken(token), directory.tokenHash)) {
      const decision = limiters?.authFailures.fail(clientOf(c as RequestContext), token);
      if (decision && !decision.allowed) throw rateLimited(decision.retryAfterMs, 'failed sign-in attempts');
      throw new TokenRefused(token ? 'wrong' : 'missing');
    }
    if (directory.status === 'disabled') throw new ScimError(403, undefined, 'This directory is disabled in the SSO admin portal: SCIM requests are refused until it is enabled again.');
    if (limiters) {
      const decision = limiters.scim.take(directory.id);
      if (!decision.allowed) throw rateLimited(decision.retryAfterMs, 'SCIM requests for this directory');
    }
    await next();
  });

  // -------------------------------------------------------------------------------------
  // Discovery (RFC 7644 §4)

  scim.get('/:directoryId/ServiceProviderConfig', (c) => {
    said(c, 'config_read');
    return scimJson(c, serviceProviderConfig(baseOf(c.var.directory.id)));
  });
  const listOf = (resources: unknown[]) => ({ schemas: [LIST_RESPONSE_URN], totalResults: resources.length, itemsPerPage: resources.length, startIndex: 1, Resources: resources });
  scim.get('/:directoryId/ResourceTypes', (c) => {
    said(c, 'resource_types_read');
    return scimJson(c, listOf(resourceTypes(baseOf(c.var.directory.id))));
  });
  scim.get('/:directoryId/ResourceTypes/:name', (c) => {
    const found = resourceTypes(baseOf(c.var.directory.id)).find((r) => String(r.id).toLowerCase() === c.req.param('name').toLowerCase());
    if (!found) throw new ScimError(404, undefined, `There is no resource type ${JSON.stringify(c.req.param('name').slice(0, 40))}; there are User and Group.`);
    said(c, 'resource_type_read', { name: String(found.id) });
    return scimJson(c, found);
  });
  scim.get('/:directoryId/Schemas', (c) => {
    said(c, 'schemas_read');
    return scimJson(c, listOf(schemaDefinitions(baseOf(c.var.directory.id))));
  });
  scim.get('/:directoryId/Schemas/:urn', (c) => {
    const found = schemaDefinitions(baseOf(c.var.directory.id)).find((s) => String(s.id).toLowerCase() === c.req.param('urn').toLowerCase());
    if (!found) throw new ScimError(404, undefined, `There is no schema ${JSON.stringify(c.req.param('urn').slice(0, 100))}.`);
    said(c, 'schema_read', { name: String(found.name) });
    return scimJson(c, found);
  });

  // -------------------------------------------------------------------------------------
  // Lists (filter, startIndex, count)

  /** `startIndex` (1-based; less than 1 is 1) and `count` (0 to MAX_RESULTS; default MAX_RESULTS). */
  const paging = (c: Context) => {
    const number = (name: string, fallback: number) => {
      const raw = c.req.query(name);
      if (raw === undefined || raw.trim() === '') return fallback;
      const value = Number(raw);
      if (!Number.isInteger(value)) throw new ScimError(400, 'invalidValue', `${name} must be a whole number, not ${JSON.stringify(raw.slice(0, 20))}.`);
      return value;
    };
    const startIndex = Math.max(1, number('startIndex', 1));
    const count = Math.min(MAX_RESULTS, Math.max(0, number('count', MAX_RESULTS)));
    return { startIndex, count };
  };
  const listResponse = (total: number, startIndex: number, resources: unknown[]) => ({
    schemas: [LIST_RESPONSE_URN],
    totalResults: total,
    itemsPerPage: resources.length,
    startIndex,
    Resources: resources,
  });
  /** The attributes a filter names, for "Looked up users by userName" (at most 3). */
  const filtered = (filter: string) =>
    [...new Set([...filter.replace(/"(?:[^"\\]|\\.)*"/g, '').matchAll(/([A-Za-z][\w.:$-]*)\s+(?:eq|ne|co|sw|ew|gt|ge|lt|le|pr)\b/gi)].map((m) => m[1]!.split(':').pop()!))].slice(0, 3);

  scim.get('/:directoryId/Users', async (c) => {
    const directory = c.var.directory;
    const base = baseOf(directory.id);
    const { startIndex, count } = paging(c);
    const p = projection(c);
    const filter = c.req.query('filter');
    if (filter === undefined || filter.trim() === '') {
      const page = await directories.pageUsers(directory.id, startIndex - 1, count);
      said(c, 'users_listed', { count: page.users.length, total: page.total });
      return scimJson(c, listResponse(page.total, startIndex, page.users.map((u) => project(userResource(base, u), p))));
    }
    const test = compileFilter(filter, 'User');
    const lookup = equalityLookup(filter, 'User');
    const candidates =
      lookup && lookup.attribute !== 'displayName'
        ? await directories.findUsers(directory.id, lookup.attribute === 'userName' ? 'user_name' : lookup.attribute === 'externalId' ? 'external_id' : 'id', lookup.value)
        : await directories.allUsers(directory.id);
    const matched = candidates.map((u) => userResource(base, u)).filter((r) => test(r as ScimDoc & { id: string }));
    said(c, 'users_looked_up', { attributes: filtered(filter), found: matched.length });
    return scimJson(c, listResponse(matched.length, startIndex, matched.slice(startIndex - 1, startIndex - 1 + count).map((r) => project(r, p))));
  });

  scim.get('/:directoryId/Groups', async (c) => {
    const directory = c.var.directory;
    const base = baseOf(directory.id);
    const { startIndex, count } = paging(c);
    const p = projection(c);
    const withMembers = !p.without.has('members') && (!p.only || p.only.has('members'));
    const filter = c.req.query('filter');
    if (filter === undefined || filter.trim() === '') {
      const page = await directories.pageGroups(directory.id, startIndex - 1, count, withMembers);
      said(c, 'groups_listed', { count: page.groups.length, total: page.total });
      return scimJson(c, listResponse(page.total, startIndex, page.groups.map((g) => project(groupResource(base, g, withMembers), p))));
    }
    const test = compileFilter(filter, 'Group');
    const lookup = equalityLookup(filter, 'Group');
    const needsMembers = /members/i.test(filter);
    const candidates =
      lookup && lookup.attribute !== 'userName'
        ? await directories.findGroups(directory.id, lookup.attribute === 'displayName' ? 'display_name' : lookup.attribute === 'externalId' ? 'external_id' : 'id', lookup.value, withMembers || needsMembers)
        : await directories.allGroups(directory.id, withMembers || needsMembers);
    const matched = candidates.filter((g) => test(groupResource(base, g) as ScimDoc & { id: string }));
    said(c, 'groups_looked_up', { attributes: filtered(filter), found: matched.length });
    return scimJson(c, listResponse(matched.length, startIndex, matched.slice(startIndex - 1, startIndex - 1 + count).map((g) => project(groupResource(base, g, withMembers), p))));
  });

  // -------------------------------------------------------------------------------------
  // One resource

  const userOr404 = async (directoryId: string, id: string) => {
    const user = await directories.getUser(directoryId, id);
    if (!user) throw new ScimError(404, undefined, `There is no user with the id ${JSON.stringify(id.slice(0, 80))} in this directory.`);
    return user;
  };
  const groupOr404 = async (directoryId: string, id: string, withMembers = true) => {
    const group = await directories.getGroup(directoryId, id);
    if (!group) throw new ScimError(404, undefined, `There is no group with the id ${JSON.stringify(id.slice(0, 80))} in this directory.`);
    return withMembers ? group : { ...group, members: [] };
  };
  const named = (doc: ScimDoc) => userSummary(doc).email ?? userSummary(doc).userName;

  scim.get('/:directoryId/Users/:id', async (c) => {
    const user = await userOr404(c.var.directory.id, c.req.param('id'));
    said(c, 'user_read', { user: named(user.doc) });
    return scimJson(c, project(userResource(baseOf(c.var.directory.id), user), projection(c)), 200, { etag: etag(user.version) });
  });

  scim.get('/:directoryId/Groups/:id', async (c) => {
    const p = projection(c);
    const group = await groupOr404(c.var.directory.id, c.req.param('id'));
    said(c, 'group_read', { group: groupSummary(group.doc).displayName });
    const withMembers = !p.without.has('members') && (!p.only || p.only.has('members'));
    return scimJson(c, project(groupResource(baseOf(c.var.directory.id), group, withMembers), p), 200, { etag: etag(group.version) });
  });

  scim.post('/:directoryId/Users', async (c) => {
    const directory = c.var.directory;
    const { doc } = parseResourceInput(await readJson(c, SCIM_MAX_BODY_BYTES), 'User');
    said(c, 'user_create_refused', { user: named(doc) });
    const user = await directories.createUser(directory.id, doc);
    said(c, 'user_created', { user: named(doc) });
    const resource = userResource(baseOf(directory.id), user);
    return scimJson(c, resource, 201, { etag: etag(user.version), location: String((resource.meta as { location: string }).location) });
  });

  scim.put('/:directoryId/Users/:id', async (c) => {
    const directory = c.var.directory;
    const ifVersion = ifMatchVersion(c.req.header('if-match'));
    const { doc } = parseResourceInput(await readJson(c, SCIM_MAX_BODY_BYTES), 'User');
    said(c, 'user_replace_refused', { user: named(doc) });
    const { resource: user, changed } = await directories.updateUser(directory.id, c.req.param('id'), () => doc, ifVersion);
    said(c, changed ? (userSummary(doc).active ? 'user_replaced' : 'user_replaced_deactivated') : 'user_replaced_unchanged', { user: named(doc) });
    return scimJson(c, userResource(baseOf(directory.id), user), 200, { etag: etag(user.version) });
  });

  scim.patch('/:directoryId/Users/:id', async (c) => {
    const directory = c.var.directory;
    const ifVersion = ifMatchVersion(c.req.header('if-match'));
    const body = await readJson(c, SCIM_MAX_BODY_BYTES);
    let changes: string[] = [];
    const { resource: user, changed } = await directories.updateUser(
      directory.id,
      c.req.param('id'),
      (current) => {
        const patched = applyPatch(current.doc, body, 'User');
        changes = patched.changed;
        return patched.doc;
      },
      ifVersion,
    );
    const wasDeactivated = changes.includes('active') && !userSummary(user.doc).active;
    if (!changed) said(c, 'user_updated_unchanged', { user: named(user.doc) });
    else if (wasDeactivated) said(c, 'user_deactivated', { user: named(user.doc) });
    else said(c, 'user_updated', { user: named(user.doc), ...(changes.length ? { attributes: changes.slice(0, 4) } : {}) });
    return scimJson(c, userResource(baseOf(directory.id), user), 200, { etag: etag(user.version) });
  });

  scim.delete('/:directoryId/Users/:id', async (c) => {
    const directory = c.var.directory;
    const ifVersion = ifMatchVersion(c.req.header('if-match'));
    const user = await userOr404(directory.id, c.req.param('id'));
    await directories.deleteUser(directory.id, user.id, ifVersion);
    said(c, 'user_deleted', { user: named(user.doc) });
    return c.body(null, 204);
  });

  /** A group document as stored (without members) and its member ids. */
  const splitGroup = (doc: ScimDoc): { doc: ScimDoc; members: string[] } => {
    const { members: _members, ...rest } = doc;
    void _members;
    return { doc: rest, members: groupSummary(doc).memberIds };
  };

  scim.post('/:directoryId/Groups', async (c) => {
    const directory = c.var.directory;
    const { doc, members } = splitGroup(parseResourceInput(await readJson(c, SCIM_MAX_BODY_BYTES), 'Group').doc);
    const name = groupSummary(doc).displayName;
    said(c, 'group_create_refused', { group: name });
    const group = await directories.createGroup(directory.id, doc, members);
    said(c, 'group_created', { group: name, ...(members.length ? { members: members.length } : {}) });
    const resource = groupResource(baseOf(directory.id), group);
    return scimJson(c, resource, 201, { etag: etag(group.version), location: String((resource.meta as { location: string }).location) });
  });

  scim.put('/:directoryId/Groups/:id', async (c) => {
    const directory = c.var.directory;
    const ifVersion = ifMatchVersion(c.req.header('if-match'));
    const next = splitGroup(parseResourceInput(await readJson(c, SCIM_MAX_BODY_BYTES), 'Group').doc);
    const name = groupSummary(next.doc).displayName;
    said(c, 'group_replace_refused', { group: name });
    const { resource: group, changed } = await directories.updateGroup(directory.id, c.req.param('id'), () => next, ifVersion);
    said(c, changed ? 'group_replaced' : 'group_replaced_unchanged', { group: name });
    return scimJson(c, groupResource(baseOf(directory.id), group), 200, { etag: etag(group.version) });
  });

  scim.patch('/:directoryId/Groups/:id', async (c) => {
    const directory = c.var.directory;
    const ifVersion = ifMatchVersion(c.req.header('if-match'));
    const body = await readJson(c, SCIM_MAX_BODY_BYTES);
    let before = 0;
    const { resource: group, changed } = await directories.updateGroup(
      directory.id,
      c.req.param('id'),
      (current) => {
        before = current.members.length;
        const full = current.members.length ? { ...current.doc, members: current.members.map((m) => ({ value: m.value, ...(m.display !== null ? { display: m.display } : {}) })) } : current.doc;
        return splitGroup(applyPatch(full, body, 'Group').doc);
      },
      ifVersion,
    );
    const name = groupSummary(group.doc).displayName;
    const delta = group.members.length - before;
    said(c, changed ? 'group_updated' : 'group_updated_unchanged', { group: name, ...(changed && delta > 0 ? { added: delta } : changed && delta < 0 ? { removed: -delta } : {}) });
    // RFC 7644 §3.5.2: 200 with the resource, or 204; providers accept both. The resource, without a huge member list when the request excluded it.
    const p = projection(c);
    const withMembers = !p.without.has('members');
    return scimJson(c, project(groupResource(baseOf(directory.id), group, withMembers), p), 200, { etag: etag(group.version) });
  });

  scim.delete('/:directoryId/Groups/:id', async (c) => {
    const directory = c.var.directory;
    const ifVersion = ifMatchVersion(c.req.header('if-match'));
    const group = await groupOr404(directory.id, c.req.param('id'), false);
    await directories.deleteGroup(directory.id, group.id, ifVersion);
    said(c, 'group_deleted', { group: groupSummary(group.doc).displayName });
    return c.body(null, 204);
  });

  // Anything else below a directory: SCIM 404 / 501 (logged); outside one: 404 (not logged).
  scim.all('/:directoryId/*', (c) => {
    const below = new URL(c.req.url).pathname.split('/').slice(4);
    if (below[0] === 'Bulk' || below[0] === '.search' || below[1] === '.search') throw new ScimError(501, undefined, `${below.join('/')} is not supported by this server (see /ServiceProviderConfig).`);
    if (['Users', 'Groups', 'ServiceProviderConfig', 'ResourceTypes', 'Schemas'].includes(below[0] ?? '')) {
      throw new ScimError(405, undefined, `${c.req.method} is not allowed on /${below.join('/')}.`);
    }
    throw new ScimError(404, undefined, `There is no SCIM endpoint at /${below.join('/').slice(0, 100)}; the endpoints are /Users, /Groups, /ServiceProviderConfig, /ResourceTypes and /Schemas.`);
  });
  scim.all('*', (c) => unknownDirectory(c, c.req.header('authorization')));

  return scim;
}

/**
 * The request's path and query as the portal shows it: the query decoded (`filter=userName eq
 * "ada@acme.example"`, not `%20eq%20%22`), as typed when it does not decode. Shown as text.
 */
export function readablePath(path: string, search: string): string {
  try {
    return `${path}${decodeURIComponent(search.replace(/\+/g, ' '))}`;
  } catch {
    return `${path}${search}`;
  }
}
