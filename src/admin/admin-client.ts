/**
 * The admin API's client (docs/rest-api.md, "Admin API"), for the host's backend: Node, Deno,
 * Workers, anything with the standard `fetch`. Its methods are the contract's admin routes
 * (`core/rest-contract.ts`), each typed from the route's own schemas (`contract-client.ts`): the
 * path parameters in the order of the path, then the body (when the route takes one), then
 * `{ signal }`; the answer is validated with the route's answer schema. Every failure is a
 * PortalError with the code the server answered (`core/rest-client.ts`, shared with the portal's
 * HttpAdapter).
 *
 * No retries: the host's backend decides (a `rate_limited` error carries
 * `details.retryAfterSeconds`; `retryable` says whether trying again may help).
 */
import { PortalError } from '../core/errors.js';
import type { RestRouteId } from '../core/rest-contract.js';
import { createContractClient, type CallOptions, type ContractClient, type RouteAnswer, type RouteArgs, type RouteBody } from './contract-client.js';

/**
 * The contract's routes the client has a method for, named by their ids (the OpenAPI
 * `operationId`). A new admin route in `core/rest-contract.ts` gets its method by adding its id
 * here: its parameters, body, query and answer are typed from the contract. (The SDK's test
 * fails until every admin route of the contract is listed.)
 */
export const ADMIN_CLIENT_ROUTES = [
  'createOrganization',
  'listOrganizations',
  'getOrganization',
  'createLink',
  'listLinks',
  'revokeLink',
  'createEmbedLink',
  'verifyDomainManually',
  'getEncryptionKeys',
  'startEncryptionRollover',
  'finishEncryptionRollover',
  'getOrganizationSso',
  'previewHostRouting',
  'listEvents',
  'createWebhookEndpoint',
  'listWebhookEndpoints',
  'getWebhookEndpoint',
  'updateWebhookEndpoint',
  'deleteWebhookEndpoint',
  'listWebhookDeliveries',
  'resendWebhookDelivery',
  'listOrganizationDirectories',
  'listDirectoryUsers',
  'listDirectoryGroups',
  'listOrganizationTestLinks',
  'listConnectionLoginAttempts',
  'getLoginAttemptReport',
] as const satisfies readonly RestRouteId[];

export type AdminRouteId = (typeof ADMIN_CLIENT_ROUTES)[number];
/** The body an admin route takes, as the caller gives it. */
export type AdminBody<Id extends AdminRouteId> = RouteBody<Id>;
/** What an admin route's method resolves with; nothing for 204. */
export type AdminAnswer<Id extends AdminRouteId> = RouteAnswer<Id>;
/** An admin route's method's arguments: the path parameters in path order, the body, the options. */
export type AdminArgs<Id extends AdminRouteId> = RouteArgs<Id>;
export type AdminCallOptions = CallOptions;
/** One method per admin route (`ADMIN_CLIENT_ROUTES`). */
export type AdminClient = ContractClient<AdminRouteId>;

// Shapes of the admin API, for the host's own code.
export type Organization = AdminAnswer<'getOrganization'>;
export type OrganizationInput = AdminBody<'createOrganization'>;
export type PortalLink = AdminAnswer<'listLinks'>[number];
export type CreatedPortalLink = AdminAnswer<'createLink'>;
export type PortalLinkInput = NonNullable<AdminBody<'createLink'>>;
export type VerifiedDomain = AdminAnswer<'verifyDomainManually'>;
export type EmbedLink = AdminAnswer<'createEmbedLink'>;
export type EmbedLinkInput = AdminBody<'createEmbedLink'>;
/** "SSO: active (Okta), 2 verified domains": an organization's connections, domains, last sign-in and recent events. */
export type SsoState = AdminAnswer<'getOrganizationSso'>;
/** Where an email signs in, and why (home-realm discovery's own decision): `previewHostRouting({ email })`. */
export type RoutingDecision = AdminAnswer<'previewHostRouting'>;
/** One entry of the event log (the audit log; what webhooks deliver). */
export type PortalEvent = AdminAnswer<'listEvents'>['data'][number];
export type WebhookEndpoint = AdminAnswer<'getWebhookEndpoint'>;
/** The one answer that carries the endpoint's signing secret. */
export type CreatedWebhookEndpoint = AdminAnswer<'createWebhookEndpoint'>;
export type WebhookEndpointInput = AdminBody<'createWebhookEndpoint'>;
export type WebhookDelivery = AdminAnswer<'resendWebhookDelivery'>;
export type EncryptionKeys = AdminAnswer<'getEncryptionKeys'>;
/** A directory (SCIM 2.0 directory sync) of an organization: status, counts, last sync (never its token). */
export type Directory = AdminAnswer<'listOrganizationDirectories'>[number];
/** A user a directory synced (`raw`: the SCIM resource as stored). */
export type DirectoryUser = AdminAnswer<'listDirectoryUsers'>['data'][number];
export type DirectoryGroup = AdminAnswer<'listDirectoryGroups'>['data'][number];
/** A login attempt of a connection (the last 50 are kept) with its step-by-step trace and decoded messages, redacted. */
export type LoginAttempt = AdminAnswer<'listConnectionLoginAttempts'>[number];
/** A login attempt's diagnostic report: the HTML and JSON files and what they leave out. */
export type LoginAttemptReport = AdminAnswer<'getLoginAttemptReport'>;

export interface AdminClientOptions {
  /**
   * Where the SSO portal's server is, an http(s) URL: its origin (`https://sso.example.com`) or
   * the path it is mounted under (`https://example.com/sso`); the routes' `/api/admin/...` paths
   * are added to it.
   */
  baseUrl: string;
  /** The admin key (the server's `SSO_PORTAL_ADMIN_KEY`). Keep it on the server: never send it to a browser. */
  adminKey: string;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
  /** Timeout of one call in milliseconds (default 30 000): it rejects with `request_timeout`. */
  timeoutMs?: number;
}

const notConfigured = (message: string) => new PortalError('not_configured', { message });

/** The admin API's client: `createAdminClient({ baseUrl, adminKey })`. */
export function createAdminClient(options: AdminClientOptions): AdminClient {
  let url: URL;
  try {
    url = new URL(options.baseUrl);
  } catch {
    throw notConfigured('`baseUrl` must be the absolute http(s) URL of the SSO portal server.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw notConfigured('`baseUrl` must be the absolute http(s) URL of the SSO portal server.');
  if (typeof options.adminKey !== 'string' || !options.adminKey.trim()) throw notConfigured('The admin key (`adminKey`) is missing.');
  return createContractClient(ADMIN_CLIENT_ROUTES, {
    // The server's base, without a trailing slash (or a copied `/api/admin`): every route's path starts with `/api/`.
    base: `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/api\/admin$/, '')}`,
    credential: options.adminKey.trim(),
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
  });
}
