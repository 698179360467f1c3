/**
 * The MemoryAdapter's directory sync (SCIM 2.0) in the browser: directories with their random
 * bearer tokens (returned once), the status rules of `core/directory-model.ts` (`setup` ->
 * `enabled` <-> `disabled`), versions (a stale write is `conflict`), and the last SCIM requests.
 *
 * No SCIM server runs here: stories, tests and demos make requests "arrive" with
 * `MemoryAdapter.receiveScimRequests()` (or a ready-made sequence of `scimScenario()`), which
 * records them as the real server would: refused with 401 for a token that is not the current
 * one, with 403 while the directory is disabled, counted otherwise.
 */
import { PortalError } from '../core/errors.js';
import {
  DirectoryInputSchema,
  type Directory,
  type DirectoryInput,
  type DirectoryRequest,
  type DirectoryRequestFacts,
  type DirectoryWithToken,
} from '../core/directory-model.js';
import { DIRECTORY_PROVIDER_NAMES } from '../core/directory-providers/names.js';
import { directoryRemedyText, directorySummaryText, type DirectorySummaryCode } from '../core/directory-request-text.js';
import { inEnglish } from '../core/text.js';
import { parseOrThrow } from '../core/model.js';
import type { RuleContext } from '../core/rules/state.js';

/** A SCIM request as a provider sends it, for `MemoryAdapter.receiveScimRequests`. */
export interface SimulatedScimRequest {
  method: DirectoryRequest['method'];
  /** Below the directory's base URL, with the query. */
  path: string;
  /** What it did, as the server records it (`core/directory-request-text.ts`): the portal words it in its language. */
  summaryCode?: DirectorySummaryCode;
  summaryValues?: DirectoryRequest['summaryValues'];
  /** The English summary; default: worded from `summaryCode`. */
  summary?: string;
  /** Default: 201 for POST, 204 for DELETE, 200 otherwise; 4xx/5xx with `error`. */
  status?: number;
  /** The refusal; its `remedy` defaults to the one worded from `facts` for the directory's provider. */
  error?: {
    scimType?: string;
    /** What the provider was answered. */
    detail: string;
    /** What to change, in English; default: worded from `facts`. */
    remedy?: string;
    facts?: DirectoryRequestFacts;
  };
  /** What it changed, added to the directory's counts when it is accepted. */
  change?: Partial<Directory['counts']>;
}

/** The most requests a directory keeps (the contract's `listDirectoryRequests` answers at most 50). */
const KEPT_REQUESTS = 50;
const DAY = 86_400_000;

interface Stored {
  directory: Directory;
  token: string;
  requests: DirectoryRequest[];
}

/** A bearer token: 32 random bytes, base64url, with a prefix that says what it is. */
function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `scim_${btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

const clone = <T>(value: T): T => structuredClone(value);

export class MemoryDirectories {
  #stored = new Map<string, Stored>();

  constructor(seed: Directory[] = [], requests: Record<string, DirectoryRequest[]> = {}) {
    for (const directory of seed) this.#stored.set(directory.id, { directory: clone(directory), token: newToken(), requests: clone(requests[directory.id] ?? []) });
  }

  list(): Directory[] {
    return [...this.#stored.values()].map((s) => clone(s.directory));
  }

  get(id: string): Directory {
    return clone(this.#find(id).directory);
  }

  requests(id: string): DirectoryRequest[] {
    return clone(this.#find(id).requests);
  }

  create(input: DirectoryInput, ctx: RuleContext, origin: string, devMode: boolean): DirectoryWithToken {
    const valid = parseOrThrow(DirectoryInputSchema, input, 'Directory');
    if (valid.provider === 'directory-simulator' && !devMode) {
      throw new PortalError('validation_failed', { message: 'Directory is not valid: provider: the Directory Simulator exists in development only.', details: { issues: [{ path: 'provider', message: 'the Directory Simulator exists in development only' }] } });
    }
    const id = ctx.newId('dir');
    const at = ctx.now.toISOString();
    const token = newToken();
    const directory: Directory = {
      id,
      provider: valid.provider,
      name: valid.name ?? DIRECTORY_PROVIDER_NAMES[valid.provider],
      status: 'setup',
      scimBaseUrl: `${origin}/scim/v2/${id}`,
      tokenHint: token.slice(0, 9),
      tokenCreatedAt: at,
      createdAt: at,
      enabledAt: null,
      lastRequestAt: null,
      lastSyncAt: null,
      counts: { users: 0, activeUsers: 0, groups: 0 },
      recentErrors: 0,
      version: 1,
    };
    this.#stored.set(id, { directory, token, requests: [] });
    return { directory: clone(directory), token };
  }

  regenerateToken(id: string, version: number, ctx: RuleContext): DirectoryWithToken {
    const stored = this.#at(id, version);
    stored.token = newToken();
    this.#change(stored, { tokenHint: stored.token.slice(0, 9), tokenCreatedAt: ctx.now.toISOString() });
    return { directory: clone(stored.directory), token: stored.token };
  }

  setEnabled(id: string, enabled: boolean, version: number, ctx: RuleContext): Directory {
    const stored = this.#at(id, version);
    const status = enabled ? 'enabled' : 'disabled';
    if (stored.directory.status !== status) this.#change(stored, { status, enabledAt: enabled ? ctx.now.toISOString() : stored.directory.enabledAt });
    return clone(stored.directory);
  }

  delete(id: string): void {
    this.#find(id);
    this.#stored.delete(id);
  }

  /** Records requests as the SCIM server would (see the module comment); returns the directory after them. */
  receive(id: string, requests: SimulatedScimRequest[], ctx: RuleContext, token?: string): Directory {
    const stored = this.#find(id);
    for (const request of requests) {
      const at = ctx.now.toISOString();
      let { status, error, summaryCode, summaryValues, summary } = request;
      const [, resource = '', resourceId] = request.path.split('?')[0]!.split('/');
      const refused = (code: 401 | 403, detail: string) => {
        status = code;
        error = { detail, facts: { status: code, method: request.method, ...(resource ? { resource } : {}), ...(code === 401 ? { tokenProblem: 'wrong' as const } : {}) } };
        // Refused before it did anything: the server's summary for that.
        [summaryCode, summaryValues, summary] = ['request_refused', { method: request.method, ...(resource ? { resource } : {}), ...(resourceId ? { id: resourceId } : {}) }, undefined];
      };
      if (token !== undefined && token !== stored.token) refused(401, 'The bearer token is not this directory\u2019s current token (it was regenerated, or mistyped).');
      else if (stored.directory.status === 'disabled') refused(403, 'Directory sync is turned off for this directory, so every request is refused.');
      status ??= request.method === 'POST' ? 201 : request.method === 'DELETE' ? 204 : 200;
      const failed = status >= 400;
      // English, as the server writes its log whatever the page shows.
      const english = inEnglish(() => ({
        summary: summary ?? (summaryCode && directorySummaryText(summaryCode, summaryValues)) ?? `${request.method} request`,
        remedy: error && (error.remedy ?? (error.facts ? directoryRemedyText(stored.directory.provider, error.facts) : '')),
      }));
      const entry: DirectoryRequest = {
        id: ctx.newId('req'),
        at,
        method: request.method,
        path: request.path,
        summary: english.summary,
        ...(summaryCode ? { summaryCode, summaryValues: summaryValues ?? {} } : {}),
        status,
        ...(failed && error ? { error: { ...error, remedy: english.remedy || '' } } : {}),
      };
      stored.requests = [entry, ...stored.requests].slice(0, KEPT_REQUESTS);
      const d = stored.directory;
      const counts = { ...d.counts };
      if (!failed) for (const key of ['users', 'activeUsers', 'groups'] as const) counts[key] = Math.max(0, counts[key] + (request.change?.[key] ?? 0));
      const recentErrors = stored.requests.filter((r) => r.status >= 400 && ctx.now.getTime() - Date.parse(r.at) < DAY).length;
      // Requests are not the admin's changes: the version stays.
      stored.directory = { ...d, counts, recentErrors, lastRequestAt: at, lastSyncAt: !failed && request.change ? at : d.lastSyncAt };
    }
    return clone(stored.directory);
  }

  #find(id: string): Stored {
    const stored = this.#stored.get(id);
    if (!stored) throw new PortalError('not_found', { message: 'This directory does not exist (any more).', details: { id } });
    return stored;
  }

  /** The directory at `version`; `conflict` otherwise (nothing changes). */
  #at(id: string, version: number): Stored {
    const stored = this.#find(id);
    if (stored.directory.version !== version) throw new PortalError('conflict', { details: { expectedVersion: version, currentVersion: stored.directory.version } });
    return stored;
  }

  #change(stored: Stored, changes: Partial<Directory>): void {
    stored.directory = { ...stored.directory, ...changes, version: stored.directory.version + 1 };
  }
}

/**
 * Ready-made SCIM request sequences, as providers send them: `first-sync` (Okta's initial push:
 * a lookup, three users, a group and its members), `with-errors` (two refused requests, with what
 * to change), `deactivate` (a user leaves), `entra-first-sync` (Entra ID's lookups and creates).
 */
export function scimScenario(name: 'first-sync' | 'with-errors' | 'deactivate' | 'entra-first-sync'): SimulatedScimRequest[] {
  const lookup = (kind: 'users' | 'groups', attribute: string): Pick<SimulatedScimRequest, 'summaryCode' | 'summaryValues'> => ({ summaryCode: `${kind}_looked_up`, summaryValues: { attributes: [attribute], found: 0 } });
  const user = (email: string): SimulatedScimRequest[] => [
    { method: 'GET', path: `/Users?filter=userName eq "${email}"`, ...lookup('users', 'userName') },
    { method: 'POST', path: '/Users', summaryCode: 'user_created', summaryValues: { user: email }, change: { users: 1, activeUsers: 1 } },
  ];
  switch (name) {
    case 'first-sync':
      return [
        ...user('ada@megacorp.example'),
        ...user('grace@megacorp.example'),
        ...user('linus@megacorp.example'),
        { method: 'POST', path: '/Groups', summaryCode: 'group_created', summaryValues: { group: 'Engineering' }, change: { groups: 1 } },
        { method: 'PATCH', path: '/Groups/grp_eng', summaryCode: 'group_updated', summaryValues: { group: 'Engineering', added: 3 } },
      ];
    case 'entra-first-sync':
      return [
        ...user('ada@megacorp.example'),
        { method: 'GET', path: '/Groups?filter=displayName eq "Sales"', ...lookup('groups', 'displayName') },
        { method: 'POST', path: '/Groups', summaryCode: 'group_created', summaryValues: { group: 'Sales' }, change: { groups: 1 } },
      ];
    case 'with-errors':
      return [
        ...user('ada@megacorp.example'),
        {
          method: 'POST',
          path: '/Users',
          summaryCode: 'request_refused',
          summaryValues: { method: 'POST', resource: 'Users' },
          status: 400,
          error: { scimType: 'invalidValue', detail: 'userName is required and was missing from the request.', facts: { status: 400, method: 'POST', resource: 'Users', scimType: 'invalidValue' } },
        },
        {
          method: 'PATCH',
          path: '/Users/usr_ada',
          summaryCode: 'request_refused',
          summaryValues: { method: 'PATCH', resource: 'Users', id: 'usr_ada' },
          status: 400,
          error: { scimType: 'invalidPath', detail: 'The path "urn:example:costCenter" names no attribute of the user schemas.', facts: { status: 400, method: 'PATCH', resource: 'Users', scimType: 'invalidPath' } },
        },
      ];
    case 'deactivate':
      return [{ method: 'PATCH', path: '/Users/usr_grace', summaryCode: 'user_deactivated', summaryValues: { user: 'grace@megacorp.example' }, change: { activeUsers: -1 } }];
  }
}
