/**
 * Login traces and diagnostic reports over the API (issue 15, points 4 and 5; routes of
 * `core/login-trace-rest.ts`): the portal lists its connection's attempts (it builds reports
 * itself, in a lazy chunk); the admin API lists any connection's attempts and builds an
 * attempt's report with the same core code (`core/diagnostic-report.ts`) for the dashboard and
 * the admin SDK. A connection of another organization is `not_found`.
 */
import type { Hono } from 'hono';
import { buildDiagnosticReport } from '../../core/diagnostic-report.js';
import { PortalError } from '../../core/errors.js';
import { REST } from '../../core/rest-contract.js';
import { route } from '../contract-routes.js';
import { serviceProviderFor } from '../organization-service.js';
import type { Env } from '../server-types.js';
import type { ApiContext } from './api-context.js';

export function registerPortalLoginTraceRoutes(portal: Hono<Env>, api: ApiContext, mountedAt: string): void {
  route(
    portal,
    REST.listLoginAttempts,
    async (c, { params }) => {
      // Reading the connection first answers `not_found` for another organization's.
      await c.var.service.getConnection(params.id);
      return c.json(await api.store.loginAttempts.list(c.var.organization.id, params.id));
    },
    mountedAt,
  );
}

export function registerAdminLoginTraceRoutes(admin: Hono<Env>, api: ApiContext, mountedAt: string): void {
  const connectionOf = async (orgId: string, connectionId: string) => {
    const organization = await api.organizationOr404(orgId);
    const connection = await api.services.serviceFor(organization).getConnection(connectionId);
    return { organization, connection };
  };

  route(
    admin,
    REST.listConnectionLoginAttempts,
    async (c, { params }) => {
      const { organization, connection } = await connectionOf(params.orgId, params.connectionId);
      return c.json(await api.store.loginAttempts.list(organization.id, connection.id));
    },
    mountedAt,
  );

  route(
    admin,
    REST.getLoginAttemptReport,
    async (c, { params }) => {
      const { organization, connection } = await connectionOf(params.orgId, params.connectionId);
      const attempt = (await api.store.loginAttempts.list(organization.id, connection.id)).find((a) => a.id === params.attemptId);
      if (!attempt) throw new PortalError('not_found', { message: 'This login attempt is not among the connection’s last 50.', details: { attemptId: params.attemptId } });
      const report = buildDiagnosticReport({
        connection,
        serviceProvider: connection.serviceProvider ?? serviceProviderFor(api.publicBaseUrl, organization.id),
        organizationName: organization.name,
        attempt,
        generatedAt: api.now(),
      });
      return c.json({ fileName: report.fileName, redactions: report.redactions, html: report.html, json: report.json });
    },
    mountedAt,
  );
}
