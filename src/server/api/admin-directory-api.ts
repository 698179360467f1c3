/**
 * Directory sync, the host's view (admin API, issue 14): an organization's directories, and the
 * users and groups a directory synced, paginated like the event log (`limit` + 1 read, `after`
 * the last id of the page before, `hasMore`). Registered on the admin sub-app (`admin-api.ts`),
 * behind its admin-key check and rate limit.
 */
import type { Hono } from 'hono';
import { PortalError } from '../../core/errors.js';
import type { DirectoryGroup, DirectoryUser } from '../../core/directory-model.js';
import { REST } from '../../core/rest-contract.js';
import { route } from '../contract-routes.js';
import { userSummary } from '../scim/scim-resources.js';
import type { Env } from '../server-types.js';
import type { StoredGroup, StoredUser } from '../store/directory-store.js';
import type { ApiContext } from './api-context.js';
import { directoryViews } from './portal-directory-api.js';

const DEFAULT_LIMIT = 50;

export function directoryUserView(u: StoredUser): DirectoryUser {
  const summary = userSummary(u.doc);
  return {
    id: u.id,
    directoryId: u.directoryId,
    externalId: summary.externalId,
    userName: summary.userName,
    displayName: summary.displayName,
    givenName: summary.givenName,
    familyName: summary.familyName,
    email: summary.email,
    active: summary.active,
    groups: u.groups.map((g) => ({ id: g.value, displayName: g.display ?? '' })),
    raw: u.doc,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
}

export const directoryGroupView = (g: StoredGroup): DirectoryGroup => ({
  id: g.id,
  directoryId: g.directoryId,
  externalId: typeof g.doc.externalId === 'string' ? g.doc.externalId : null,
  displayName: typeof g.doc.displayName === 'string' ? g.doc.displayName : '',
  memberCount: g.memberCount,
  createdAt: g.createdAt,
  updatedAt: g.updatedAt,
});

export function registerAdminDirectoryRoutes(admin: Hono<Env>, api: ApiContext, mountedAt: string): void {
  const directories = api.store.directories;
  const directoryOr404 = async (id: string) => {
    const found = await directories.getDirectory(id);
    if (!found) throw new PortalError('not_found', { message: 'This directory does not exist.', details: { id } });
    return found;
  };

  route(
    admin,
    REST.listOrganizationDirectories,
    async (c, { params }) => {
      const organization = await api.organizationOr404(params.orgId);
      return c.json(await directoryViews(api, await directories.listDirectories(organization.id)));
    },
    mountedAt,
  );

  route(
    admin,
    REST.listDirectoryUsers,
    async (c, { params, query }) => {
      await directoryOr404(params.directoryId);
      const page = await directories.listUsersPage(params.directoryId, {
        limit: query.limit ?? DEFAULT_LIMIT,
        after: query.after,
        search: query.search,
        active: query.active === undefined ? undefined : query.active === 'true',
        groupId: query.groupId,
      });
      if (!page) throw new PortalError('not_found', { message: 'There is no user (after) or group (groupId) with this id in this directory.', details: { after: query.after, groupId: query.groupId } });
      return c.json({ data: page.users.map(directoryUserView), hasMore: page.more });
    },
    mountedAt,
  );

  route(
    admin,
    REST.listDirectoryGroups,
    async (c, { params, query }) => {
      await directoryOr404(params.directoryId);
      const page = await directories.listGroupsPage(params.directoryId, { limit: query.limit ?? DEFAULT_LIMIT, after: query.after, search: query.search });
      if (!page) throw new PortalError('not_found', { message: 'There is no group with this id (after) in this directory.', details: { after: query.after } });
      return c.json({ data: page.groups.map(directoryGroupView), hasMore: page.more });
    },
    mountedAt,
  );
}
