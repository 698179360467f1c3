/**
 * The host's side of the admin API (issue 13): the event log (`GET /api/admin/events`, the
 * audit log), an organization's SSO state (`GET /api/admin/organizations/:orgId/sso`), and the
 * webhook endpoints with their deliveries. Registered on the admin sub-app (`admin-api.ts`),
 * behind its admin-key check and rate limit.
 */
import type { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { PortalError } from '../../core/errors.js';
import { EVENT_TYPES } from '../../core/event-types.js';
import { REST } from '../../core/rest-contract.js';
import { route } from '../contract-routes.js';
import type { DatabaseSchema } from '../db/schema.js';
import { listEvents, type Actor } from '../events.js';
import type { Env } from '../server-types.js';
import { ssoState } from '../sso-state.js';
import type { WebhookStore } from '../webhooks/webhook-store.js';
import type { ApiContext } from './api-context.js';

export interface AdminEventsOptions {
  db: Kysely<DatabaseSchema>;
  webhooks: WebhookStore;
  /** Webhook URLs on loopback accepted (development, demo, tests). */
  allowLoopback: boolean;
  /** Tells the delivery worker that a delivery is due (after a resend). */
  wake?: () => void;
  actor: Actor;
}

const DEFAULT_LIMIT = 50;

/** The `type` query: one or more known event types, comma-separated. */
function eventTypes(query: string | undefined): string[] | undefined {
  if (query === undefined || query.trim() === '') return undefined;
  const types = query.split(',').map((t) => t.trim()).filter(Boolean);
  const unknown = types.filter((t) => !(EVENT_TYPES as readonly string[]).includes(t));
  if (unknown.length) {
    const message = `must be event types (${EVENT_TYPES.join(', ')}), not ${unknown.join(', ')}`;
    throw new PortalError('validation_failed', { message: `The query is not valid: type: ${message}`, details: { issues: [{ path: 'type', message }] } });
  }
  return types;
}

export function registerAdminEventRoutes(admin: Hono<Env>, api: ApiContext, options: AdminEventsOptions, mountedAt: string): void {
  const { db, webhooks, allowLoopback } = options;

  route(
    admin,
    REST.listEvents,
    async (c, { query }) => {
      if (query.organizationId) await api.organizationOr404(query.organizationId);
      const found = await listEvents(db, {
        organizationId: query.organizationId,
        types: eventTypes(query.type),
        after: query.after,
        before: query.before,
        limit: query.limit ?? DEFAULT_LIMIT,
      });
      if (!found) throw new PortalError('not_found', { message: 'There is no event with this id (after / before).', details: { after: query.after, before: query.before } });
      return c.json({ data: found.events, hasMore: found.more });
    },
    mountedAt,
  );

  route(
    admin,
    REST.getOrganizationSso,
    async (c, { params }) => {
      const organization = await api.organizationOr404(params.orgId);
      return c.json(await ssoState(api.store, db, api.services.serviceFor(organization, options.actor)));
    },
    mountedAt,
  );

  route(
    admin,
    REST.createWebhookEndpoint,
    async (c, { body }) => c.json(await webhooks.create({ url: body.url, eventTypes: body.eventTypes, description: body.description }, allowLoopback), 201),
    mountedAt,
  );
  route(admin, REST.listWebhookEndpoints, async (c) => c.json(await webhooks.list()), mountedAt);
  route(admin, REST.getWebhookEndpoint, async (c, { params }) => c.json(await webhooks.get(params.endpointId)), mountedAt);
  route(admin, REST.updateWebhookEndpoint, async (c, { params, body }) => c.json(await webhooks.update(params.endpointId, body, allowLoopback)), mountedAt);
  route(
    admin,
    REST.deleteWebhookEndpoint,
    async (c, { params }) => {
      await webhooks.delete(params.endpointId);
      return c.body(null, 204);
    },
    mountedAt,
  );
  route(admin, REST.listWebhookDeliveries, async (c, { params, query }) => c.json(await webhooks.deliveries(params.endpointId, query.limit ?? DEFAULT_LIMIT)), mountedAt);
  route(
    admin,
    REST.resendWebhookDelivery,
    async (c, { params }) => {
      const delivery = await webhooks.resend(params.deliveryId);
      options.wake?.();
      return c.json(delivery);
    },
    mountedAt,
  );
}
