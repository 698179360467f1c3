/**
 * The event log's types (issue 13): what the admin API lists (`GET /api/admin/events`) and what
 * webhook endpoints subscribe to. Pure data, shared by the server (`src/server/events.ts`) and
 * the REST contract. Adding a type is a minor change; a type never changes meaning.
 */

/** Every event type, in the order the docs list them. All of them can be sent to webhooks. */
export const EVENT_TYPES = [
  'organization.created',
  'connection.created',
  'connection.updated',
  'connection.activated',
  'connection.deactivated',
  'connection.staged',
  'connection.deleted',
  'connection.test_succeeded',
  'connection.test_failed',
  'connection.certificate_expiring',
  'connection.certificate_rotated',
  'domain.added',
  'domain.verified',
  'domain.verification_failed',
  'domain.removed',
  'portal_link.created',
  'portal_link.revoked',
  'test_link.created',
  'test_link.used',
  'test_link.revoked',
  'directory.created',
  'directory.enabled',
  'directory.disabled',
  'directory.token_regenerated',
  'directory.deleted',
  'directory.user.created',
  'directory.user.updated',
  'directory.user.deactivated',
  'directory.user.deleted',
  'directory.group.created',
  'directory.group.updated',
  'directory.group.deleted',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Who made a change: a portal link (the IT admin), the host's admin key, a job of the server, or a directory (its SCIM requests). */
export const ACTOR_KINDS = ['portal_link', 'admin_key', 'system', 'directory'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/** What an event is about. */
export const TARGET_KINDS = ['connection', 'domain', 'portal_link', 'organization', 'directory', 'directory_user', 'directory_group', 'test_link'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];
