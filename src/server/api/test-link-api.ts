/// <reference types="node" />
/**
 * Test links for a colleague (`TEST_LINK_REST` of `core/rest-contract.ts`,
 * core/test-link-model.ts): the portal's routes (make, list, revoke, scoped to the portal
 * session's organization: another organization's link or connection is `not_found`) and the
 * host's (`GET /api/admin/organizations/:orgId/test-links`). The colleague's page is
 * `../login/test-link-page.ts`.
 *
 * The token (`tl_` + 32 random bytes, base64url) is in the URL `createTestLink` answers, once;
 * the store keeps its SHA-256 hash.
 */
import { randomBytes } from 'node:crypto';
import type { Hono } from 'hono';
import { PortalError } from '../../core/errors.js';
import { TEST_LINK_REST } from '../../core/rest-contract.js';
import { isConfigured } from '../../core/rules/index.js';
import { TEST_LINK_HOURS } from '../../core/test-link-model.js';
import { route } from '../contract-routes.js';
import { linkActor } from '../events.js';
import { takeToken } from '../rate-limit.js';
import { hashToken, type Env } from '../server-types.js';
import { testLinkView } from '../store/test-link-store.js';
import type { ApiContext } from './api-context.js';

/** Where the colleague opens a test link. */
export const testLinkUrl = (publicBaseUrl: string, token: string) => `${publicBaseUrl}/test-link/${token}`;

/** The portal's test-link routes, on the portal sub-app (behind its token check and rate limit). `realLogins`: false on servers without real test logins (the links could not run one). */
export function registerPortalTestLinkRoutes(portal: Hono<Env>, api: ApiContext, options: { realLogins: boolean }, mountedAt: string): void {
  const { store, now, publicBaseUrl, limiters } = api;

  route(
    portal,
    TEST_LINK_REST.listTestLinks,
    async (c, { params }) => {
      await c.var.service.getConnection(params.id); // not_found for another organization's
      return c.json(await store.testLinks.list(c.var.organization.id, params.id));
    },
    mountedAt,
  );

  route(
    portal,
    TEST_LINK_REST.createTestLink,
    async (c, { params, body }) => {
      if (!options.realLogins) throw new PortalError('not_available', { message: 'This server runs no real test logins, so a colleague could not test with a link.' });
      const connection = await c.var.service.getConnection(params.id);
      if (!isConfigured(connection)) throw new PortalError('validation_failed', { message: 'Finish the configuration before testing.' });
      if (limiters) takeToken(limiters.testLinks, c.var.organization.id, 'test links');
      const token = `tl_${randomBytes(32).toString('base64url')}`;
      const at = now();
      const record = await store.testLinks.create(
        {
          id: `tl_${randomBytes(9).toString('base64url').replace(/[^A-Za-z0-9]/g, 'x')}`,
          organizationId: c.var.organization.id,
          connectionId: connection.id,
          tokenHash: hashToken(token),
          label: body.label ?? null,
          createdAt: at.toISOString(),
          expiresAt: new Date(at.getTime() + TEST_LINK_HOURS * 3_600_000).toISOString(),
          usedAt: null,
          revokedAt: null,
          testId: null,
        },
        linkActor(c.var.link.id),
      );
      return c.json({ ...testLinkView(record, undefined, at), url: testLinkUrl(publicBaseUrl, token) }, 201);
    },
    mountedAt,
  );

  route(
    portal,
    TEST_LINK_REST.revokeTestLink,
    async (c, { params }) => c.json(await store.testLinks.revoke(c.var.organization.id, params.linkId, linkActor(c.var.link.id))),
    mountedAt,
  );
}

/** The host's view of an organization's test links, on the admin sub-app. */
export function registerAdminTestLinkRoutes(admin: Hono<Env>, api: ApiContext, mountedAt: string): void {
  route(
    admin,
    TEST_LINK_REST.listOrganizationTestLinks,
    async (c, { params }) => {
      const organization = await api.organizationOr404(params.orgId);
      return c.json(await api.store.testLinks.list(organization.id));
    },
    mountedAt,
  );
}
