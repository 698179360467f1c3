/// <reference types="node" />
/**
 * The portal API of directory sync (`DIRECTORY_REST` of `core/rest-contract.ts`,
 * `core/directory-model.ts`): the IT admin's directories, scoped to the portal session's
 * organization (another organization's directory id is `not_found`). Registered on the portal
 * sub-app (`portal-api.ts`), behind its token check and rate limit.
 *
 * The bearer token (`scim_` + 32 random bytes, base64url) is returned by `createDirectory` and
 * `regenerateDirectoryToken` only; the store keeps its SHA-256 hash and first characters.
 */
import { randomBytes } from 'node:crypto';
import type { Hono } from 'hono';
import { PortalError } from '../../core/errors.js';
import type { Directory, DirectoryProviderId, DirectoryRequest } from '../../core/directory-model.js';
import { DIRECTORY_REST } from '../../core/rest-contract.js';
import { route } from '../contract-routes.js';
import { linkActor } from '../events.js';
import { hashToken, type Env } from '../server-types.js';
import { newDirectoryId, type DirectoryRecord, type DirectoryRequestRecord, type DirectoryStats } from '../store/directory-store.js';
import { DIRECTORY_PROVIDER_NAMES as PROVIDER_NAMES } from '../../core/directory-providers/names.js';
import type { ApiContext } from './api-context.js';

/** A new directory's default name: its provider's name ("SCIM 2.0" for any other provider). */
export const DIRECTORY_PROVIDER_NAMES: Record<DirectoryProviderId, string> = { ...PROVIDER_NAMES, 'generic-scim': 'SCIM 2.0' };

/** Refused requests counted in `Directory.recentErrors`: the last 24 hours. */
const RECENT_ERRORS_MS = 24 * 60 * 60 * 1000;

/** A new SCIM bearer token: `scim_` + 32 random bytes, base64url. */
export function newDirectoryToken(): { token: string; hash: string; hint: string } {
  const token = `scim_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token), hint: token.slice(0, 9) };
}

/** Where a directory's provider sends its SCIM requests. */
export const scimBaseUrl = (publicBaseUrl: string, directoryId: string) => `${publicBaseUrl}/scim/v2/${encodeURIComponent(directoryId)}`;

export function directoryView(record: DirectoryRecord, stats: DirectoryStats, publicBaseUrl: string): Directory {
  return {
    id: record.id,
    provider: record.provider,
    name: record.name,
    status: record.status,
    scimBaseUrl: scimBaseUrl(publicBaseUrl, record.id),
    tokenHint: record.tokenHint,
    tokenCreatedAt: record.tokenCreatedAt,
    createdAt: record.createdAt,
    enabledAt: record.enabledAt,
    lastRequestAt: record.lastRequestAt,
    lastSyncAt: record.lastSyncAt,
    counts: { users: stats.users, activeUsers: stats.activeUsers, groups: stats.groups },
    recentErrors: stats.recentErrors,
    version: record.version,
  };
}

export const requestView = (r: DirectoryRequestRecord): DirectoryRequest => ({
  id: r.id,
  at: r.at,
  method: r.method as DirectoryRequest['method'],
  path: r.path,
  summary: r.summary,
  ...(r.summaryCode ? { summaryCode: r.summaryCode, summaryValues: r.summaryValues ?? {} } : {}),
  status: r.status,
  ...(r.error ? { error: r.error } : {}),
});

/** Directories as the portal and admin APIs answer them: with their counts and recent errors. */
export async function directoryViews(api: Pick<ApiContext, 'store' | 'now' | 'publicBaseUrl'>, records: DirectoryRecord[]): Promise<Directory[]> {
  const since = new Date(api.now().getTime() - RECENT_ERRORS_MS).toISOString();
  const stats = await api.store.directories.directoryStats(
    records.map((r) => r.id),
    since,
  );
  return records.map((r) => directoryView(r, stats.get(r.id)!, api.publicBaseUrl));
}

export interface PortalDirectoryOptions {
  /** Development servers: the Directory Simulator may be chosen. */
  devMode: boolean;
}

export function registerPortalDirectoryRoutes(portal: Hono<Env>, api: ApiContext, options: PortalDirectoryOptions, mountedAt: string): void {
  const { store, now } = api;
  const directories = store.directories;

  const views = (records: DirectoryRecord[]) => directoryViews(api, records);
  const view = async (record: DirectoryRecord) => (await views([record]))[0]!;

  /** The organization's directory, or `not_found` (also for another organization's). */
  const ownDirectory = async (organizationId: string, id: string): Promise<DirectoryRecord> => {
    const found = await directories.getDirectory(id);
    if (!found || found.organizationId !== organizationId) throw new PortalError('not_found', { message: 'This directory does not exist.', details: { id } });
    return found;
  };

  route(portal, DIRECTORY_REST.listDirectories, async (c) => c.json(await views(await directories.listDirectories(c.var.organization.id))), mountedAt);

  route(
    portal,
    DIRECTORY_REST.createDirectory,
    async (c, { body }) => {
      if (body.provider === 'directory-simulator' && !options.devMode) {
        throw new PortalError('not_available', { message: 'The Directory Simulator is available on development servers only.', details: { provider: body.provider } });
      }
      const at = now().toISOString();
      const { token, hash, hint } = newDirectoryToken();
      const created = await directories.createDirectory(
        {
          id: newDirectoryId('dir'),
          organizationId: c.var.organization.id,
          provider: body.provider,
          name: body.name ?? DIRECTORY_PROVIDER_NAMES[body.provider],
          status: 'setup',
          tokenHash: hash,
          tokenHint: hint,
          tokenCreatedAt: at,
          createdAt: at,
          enabledAt: null,
          updatedAt: at,
          lastRequestAt: null,
          lastSyncAt: null,
          version: 1,
        },
        linkActor(c.var.link.id),
      );
      return c.json({ directory: await view(created), token }, 201);
    },
    mountedAt,
  );

  route(portal, DIRECTORY_REST.getDirectory, async (c, { params }) => c.json(await view(await ownDirectory(c.var.organization.id, params.id))), mountedAt);

  route(
    portal,
    DIRECTORY_REST.regenerateDirectoryToken,
    async (c, { params, body }) => {
      await ownDirectory(c.var.organization.id, params.id);
      const { token, hash, hint } = newDirectoryToken();
      const updated = await directories.updateDirectory(c.var.organization.id, params.id, body.version, { token: { hash, hint } }, linkActor(c.var.link.id));
      return c.json({ directory: await view(updated), token });
    },
    mountedAt,
  );

  route(
    portal,
    DIRECTORY_REST.setDirectoryEnabled,
    async (c, { params, body }) => {
      await ownDirectory(c.var.organization.id, params.id);
      const updated = await directories.updateDirectory(c.var.organization.id, params.id, body.version, { status: body.enabled ? 'enabled' : 'disabled' }, linkActor(c.var.link.id));
      return c.json(await view(updated));
    },
    mountedAt,
  );

  route(
    portal,
    DIRECTORY_REST.deleteDirectory,
    async (c, { params }) => {
      await directories.deleteDirectory(c.var.organization.id, params.id, linkActor(c.var.link.id));
      return c.body(null, 204);
    },
    mountedAt,
  );

  route(
    portal,
    DIRECTORY_REST.listDirectoryRequests,
    async (c, { params }) => {
      await ownDirectory(c.var.organization.id, params.id);
      return c.json((await directories.listRequests(params.id)).map(requestView));
    },
    mountedAt,
  );
}
