/**
 * The REST contract (docs/rest-api.md) as data: every route the server serves under `/api`,
 * with its method, path, who may call it, and the valibot schemas of its request and answer.
 *
 * One table, read by three parties: the server's Hono routes validate requests with it
 * (`src/server/contract-routes.ts`), the `HttpAdapter` builds its requests from it and validates
 * the answers with it, and the OpenAPI generator (`src/server/openapi.ts`) describes it.
 *
 * Pure: no DOM, no Node. Only the HttpAdapter's lazy chunk carries it in the browser, so it
 * holds schemas and paths only; the prose of the OpenAPI document lives with the generator.
 */
import * as v from 'valibot';
import {
  BrandingSchema,
  ConnectionInputSchema,
  ConnectionPatchSchema,
  ConnectionSchema,
  DomainSchema,
  HttpUrlSchema,
  IdSchema,
  PortalSessionSchema,
  TestModeSchema,
  TestResultSchema,
  TestStartSchema,
  TimestampSchema,
  type Schema,
} from './model.js';
import { ACTOR_KINDS, EVENT_TYPES, TARGET_KINDS } from './event-types.js';
import { DirectoryGroupSchema, DirectorySchema, DirectoryUserSchema } from './directory-model.js';
import { DIRECTORY_REST } from './directory-rest.js';
import { ROLLOUT_REST, RoutingDecisionSchema, RoutingRequestSchema } from './rollout-rest.js';
import { TEST_LINK_REST } from './test-link-rest.js';
import { LOGIN_TRACE_REST } from './login-trace-rest.js';
import { EnabledUpdateSchema, VersionOnlySchema, VersionSchema, defineRoutes, type RestRoute } from './rest-routes.js';
import type { MetadataErrorCode, MetadataInputKind, MetadataResult, MetadataWarningCode } from './saml-metadata.js';
import { INVALID, finiteNumber, object, record, withLengthChecks } from './schema-helpers.js';

export { DIRECTORY_REST } from './directory-rest.js';
export { ROLLOUT_REST } from './rollout-rest.js';
export { TEST_LINK_REST } from './test-link-rest.js';
export { LOGIN_TRACE_REST } from './login-trace-rest.js';
export { EnabledUpdateSchema, VersionOnlySchema } from './rest-routes.js';
export type { ObjectSchema, RestAuth, RestMethod, RestRoute, RestRouteDefinition } from './rest-routes.js';

// ---------------------------------------------------------------------------------------
// Request and answer envelopes of the routes (the domain shapes are in model.ts)

export const ConnectionUpdateSchema = object({ version: VersionSchema, changes: ConnectionPatchSchema });
export const TestRequestSchema = object({ mode: TestModeSchema });
export const MetadataRequestSchema = object({ url: HttpUrlSchema });
export const MetadataAnswerSchema = object({ xml: v.string(INVALID) });

/**
 * SAML metadata read on the server (the same reader as `core/saml-metadata.ts`): pasted XML or a
 * URL the server downloads (SSRF-guarded), and the entity to take from an aggregate. Exactly one
 * of `xml` and `url`. Its body may be as large as the metadata limit (`SAML_METADATA_MAX_BYTES`,
 * twice that as JSON text), above the API's usual body limit.
 */
export const MetadataReadRequestSchema = object({
  xml: v.optional(v.string('must be text')),
  url: v.optional(HttpUrlSchema),
  entityId: v.optional(withLengthChecks(v.pipe(v.string('must be text'), v.minLength(1, 'must not be empty'), v.maxLength(2048, 'must be at most 2048 characters')))),
});

// The reader's answer: its shape is checked here; codes and texts are the reader's (core/saml-metadata.ts).
const MetadataCodeSchema = <C extends string>() => v.custom<C>((value) => typeof value === 'string' && /^[a-z][a-z0-9_]{0,63}$/.test(value), INVALID);
const SamlCertificateSchema = object({
  pem: v.string(INVALID),
  subject: v.string(INVALID),
  issuer: v.string(INVALID),
  serialNumber: v.string(INVALID),
  notBefore: v.string(INVALID),
  notAfter: v.string(INVALID),
  fingerprintSha256: v.string(INVALID),
  keyAlgorithm: v.string(INVALID),
  keySize: v.nullable(v.number(INVALID)),
  curve: v.optional(v.string(INVALID)),
  signatureAlgorithm: v.string(INVALID),
  selfSigned: v.boolean(INVALID),
});
const MetadataWarningSchema = object({ code: MetadataCodeSchema<MetadataWarningCode>(), message: v.string(INVALID), fingerprintSha256: v.optional(v.string(INVALID)) });
const MetadataEntityChoiceSchema = object({ entityId: v.string(INVALID), displayName: v.optional(v.string(INVALID)) });
export const MetadataResultSchema: Schema<MetadataResult> = v.union([
  object({
    ok: v.literal(true, INVALID),
    metadata: object({
      entityId: v.string(INVALID),
      displayName: v.optional(v.string(INVALID)),
      ssoServices: v.array(object({ binding: v.string(INVALID), location: v.string(INVALID) }), INVALID),
      signingCertificates: v.array(SamlCertificateSchema, INVALID),
      encryptionCertificates: v.array(SamlCertificateSchema, INVALID),
      nameIdFormats: v.array(v.string(INVALID), INVALID),
      validUntil: v.nullable(v.string(INVALID)),
      wantAuthnRequestsSigned: v.nullable(v.boolean(INVALID)),
    }),
    warnings: v.array(MetadataWarningSchema, INVALID),
  }),
  object({
    ok: v.literal(false, INVALID),
    error: object({
      code: MetadataCodeSchema<MetadataErrorCode>(),
      message: v.string(INVALID),
      remedy: v.string(INVALID),
      kind: v.optional(MetadataCodeSchema<MetadataInputKind>()),
      line: v.optional(v.number(INVALID)),
      column: v.optional(v.number(INVALID)),
      sizeBytes: v.optional(v.number(INVALID)),
      limitBytes: v.optional(v.number(INVALID)),
      entities: v.optional(v.array(MetadataEntityChoiceSchema, INVALID)),
      entityId: v.optional(v.string(INVALID)),
      reason: v.optional(v.string(INVALID)),
    }),
  }),
]);
export const DiscoveryRequestSchema = object({ issuer: HttpUrlSchema });
export const DiscoveryAnswerSchema = object({ document: record(v.unknown()) });

/** A domain name as typed (text of at most 253 characters): `core/domains.ts` checks and normalises it. */
const DomainNameSchema = DomainSchema.entries.name;
export const DomainRequestSchema = object({ name: DomainNameSchema });

/** Seconds to hold `GET /tests/:testId` while the test is pending (the contract's maximum). */
export const MAX_TEST_WAIT_SECONDS = 25;

// Path parameters
const IdParam = <N extends string>(name: N) => object({ [name]: IdSchema } as Record<N, typeof IdSchema>);
const ConnectionIdParams = object({ id: IdSchema });
const DomainNameParams = object({ name: DomainNameSchema });

// ---------------------------------------------------------------------------------------
// The route table

/** The portal API: what the HttpAdapter calls (it imports only these, so the rest stays out of the browser). */
export const PORTAL_REST = defineRoutes({
  getSession: { method: 'GET', path: '/api/portal/session', auth: 'portal', response: PortalSessionSchema, status: 200 },
  listConnections: { method: 'GET', path: '/api/portal/connections', auth: 'portal', response: v.array(ConnectionSchema, INVALID), status: 200 },
  createConnection: {
    method: 'POST',
    path: '/api/portal/connections',
    auth: 'portal',
    request: { body: ConnectionInputSchema, what: 'Connection' },
    response: ConnectionSchema,
    status: 201,
  },
  getConnection: { method: 'GET', path: '/api/portal/connections/:id', auth: 'portal', request: { params: ConnectionIdParams }, response: ConnectionSchema, status: 200 },
  updateConnection: {
    method: 'PATCH',
    path: '/api/portal/connections/:id',
    auth: 'portal',
    request: { params: ConnectionIdParams, body: ConnectionUpdateSchema, what: 'Connection update' },
    response: ConnectionSchema,
    status: 200,
  },
  deleteConnection: { method: 'DELETE', path: '/api/portal/connections/:id', auth: 'portal', request: { params: ConnectionIdParams }, status: 204 },
  setConnectionEnabled: {
    method: 'PUT',
    path: '/api/portal/connections/:id/enabled',
    auth: 'portal',
    request: { params: ConnectionIdParams, body: EnabledUpdateSchema, what: 'Activation' },
    response: ConnectionSchema,
    status: 200,
  },
  approveMetadataChange: {
    method: 'POST',
    path: '/api/portal/connections/:id/metadata-change/approve',
    auth: 'portal',
    request: { params: ConnectionIdParams, body: VersionOnlySchema, what: 'Approval' },
    response: ConnectionSchema,
    status: 200,
  },
  dismissMetadataChange: { method: 'POST', path: '/api/portal/connections/:id/metadata-change/dismiss', auth: 'portal', request: { params: ConnectionIdParams }, response: ConnectionSchema, status: 200 },
  startTest: {
    method: 'POST',
    path: '/api/portal/connections/:id/tests',
    auth: 'portal',
    request: { params: ConnectionIdParams, body: TestRequestSchema, what: 'Test' },
    response: TestStartSchema,
    status: 201,
  },
  listTestResults: { method: 'GET', path: '/api/portal/connections/:id/tests', auth: 'portal', request: { params: ConnectionIdParams }, response: v.array(TestResultSchema, INVALID), status: 200 },
  getTestResult: {
    method: 'GET',
    path: '/api/portal/tests/:testId',
    auth: 'portal',
    request: {
      params: IdParam('testId'),
      // Seconds, fractions allowed; the server holds the request at most its own limit.
      query: object({
        wait: v.optional(
          v.pipe(v.unknown(), v.transform(Number), finiteNumber('must be a number'), v.minValue(0, 'must be at least 0'), v.maxValue(MAX_TEST_WAIT_SECONDS, `must be at most ${MAX_TEST_WAIT_SECONDS}`)),
        ),
      }),
      notFound: 'test_not_found',
    },
    response: TestResultSchema,
    status: 200,
  },
  fetchMetadata: {
    method: 'POST',
    path: '/api/portal/metadata',
    auth: 'portal',
    request: { body: MetadataRequestSchema, what: 'Metadata request' },
    response: MetadataAnswerSchema,
    status: 200,
  },
  readSamlMetadata: {
    method: 'POST',
    path: '/api/portal/metadata/read',
    auth: 'portal',
    request: { body: MetadataReadRequestSchema, what: 'Metadata' },
    response: MetadataResultSchema,
    status: 200,
  },
  fetchOidcDiscovery: {
    method: 'POST',
    path: '/api/portal/oidc-discovery',
    auth: 'portal',
    request: { body: DiscoveryRequestSchema, what: 'Discovery request' },
    response: DiscoveryAnswerSchema,
    status: 200,
  },
  listDomains: { method: 'GET', path: '/api/portal/domains', auth: 'portal', response: v.array(DomainSchema, INVALID), status: 200 },
  addDomain: { method: 'POST', path: '/api/portal/domains', auth: 'portal', request: { body: DomainRequestSchema, what: 'Domain' }, response: DomainSchema, status: 201 },
  verifyDomain: { method: 'POST', path: '/api/portal/domains/:name/verify', auth: 'portal', request: { params: DomainNameParams }, response: DomainSchema, status: 200 },
  removeDomain: { method: 'DELETE', path: '/api/portal/domains/:name', auth: 'portal', request: { params: DomainNameParams }, status: 204 },

});

/** The admin API and the public routes: only the server and its OpenAPI document need them. */
// @__NO_SIDE_EFFECTS__
function serverRoutes() {
  // Admin API
  const OrganizationInputSchema = object({
    name: withLengthChecks(v.pipe(v.string('must be text'), v.minLength(1, 'must not be empty'), v.maxLength(200, 'must be at most 200 characters'))),
    branding: v.optional(BrandingSchema),
  });
  const OrganizationSchema = object({ id: IdSchema, name: v.string(INVALID), branding: BrandingSchema, createdAt: TimestampSchema });
  /** Hours, fractions allowed (a settings page mints links of a few minutes); at most one year. */
  const LinkInputSchema = object({
    lifetimeHours: v.optional(
      v.pipe(finiteNumber('must be a number'), v.gtValue(0, 'must be more than 0'), v.maxValue(24 * 366, 'must be at most 8784 (one year)')),
    ),
  });
  const LinkCreatedSchema = object({ id: IdSchema, url: HttpUrlSchema, token: v.string(INVALID), expiresAt: TimestampSchema });
  const LinkSchema = object({ id: IdSchema, expiresAt: TimestampSchema, revokedAt: v.nullable(TimestampSchema), createdAt: TimestampSchema });
  /**
   * An embed link (server/embed.ts): the origin of the page that frames it (one of the server's
   * allowed origins), and how long the session it opens lasts after the admin's last request, in
   * minutes (fractions allowed; default 360, at most 1440).
   */
  const EmbedLinkInputSchema = object({
    parentOrigin: withLengthChecks(v.pipe(v.string('must be an origin such as https://app.example.com'), v.maxLength(300, 'must be at most 300 characters'))),
    sessionMinutes: v.optional(v.pipe(finiteNumber('must be a number'), v.gtValue(0, 'must be more than 0'), v.maxValue(1440, 'must be at most 1440 (24 hours)'))),
  });
  const EmbedLinkCreatedSchema = object({
    id: IdSchema,
    url: HttpUrlSchema,
    token: v.string(INVALID),
    expiresAt: TimestampSchema,
    parentOrigin: v.string(INVALID),
    sessionMinutes: finiteNumber(INVALID),
  });

  /** One of our SP certificates, public: the PEM, its SHA-256 fingerprint (colon hex) and when it expires. */
  const SpCertificateSchema = object({ certificatePem: v.string(INVALID), fingerprint: v.string(INVALID), notAfter: TimestampSchema });
  /** A SAML connection's encryption keys: the current one and, during a rollover, the next one (both decrypt). */
  const EncryptionKeysSchema = object({ current: SpCertificateSchema, next: v.nullable(SpCertificateSchema) });
  const ConnectionParams = object({ orgId: IdSchema, connectionId: IdSchema });

  // Home-realm discovery, for host login pages (public)
  const SsoDiscoverRequestSchema = object({
    email: withLengthChecks(v.pipe(v.string('must be text'), v.minLength(3, 'must be an email address'), v.maxLength(320, 'must be at most 320 characters'))),
  });
  const SsoDiscoverySchema = object({
    organization: object({ id: IdSchema, name: v.string(INVALID) }),
    connection: object({ id: IdSchema, protocol: v.picklist(['saml', 'oidc'], INVALID), providerId: IdSchema }),
    /** Where to send the user's browser to sign in. */
    loginUrl: HttpUrlSchema,
  });

  /** The OpenAPI document itself (`GET /api/openapi.json`). */
  const OpenApiDocumentSchema = record(v.unknown());

  // The event log (audit log and webhooks)
  const EventTypeSchema = v.picklist(EVENT_TYPES, `must be one of ${EVENT_TYPES.join(', ')}`);
  const EventSchema = object({
    id: IdSchema,
    type: v.string(INVALID),
    organizationId: IdSchema,
    /** Who: a portal link's id, the admin key's fingerprint (`key_...`, never the key) or a job of the server. */
    actor: object({ kind: v.picklist(ACTOR_KINDS, INVALID), id: v.string(INVALID) }),
    /** What it is about: a connection id, a domain name, a link id, the organization. */
    target: v.nullable(object({ kind: v.picklist(TARGET_KINDS, INVALID), id: v.string(INVALID) })),
    /** What happened (no secrets: no client secrets, tokens, keys or certificates' PEM). */
    data: record(v.unknown()),
    createdAt: TimestampSchema,
  });
  const EventListSchema = object({ data: v.array(EventSchema, INVALID), hasMore: v.boolean(INVALID) });
  const numberInQuery = (min: number, max: number) =>
    v.optional(v.pipe(v.unknown(), v.transform(Number), finiteNumber('must be a number'), v.integer('must be a whole number'), v.minValue(min, `must be at least ${min}`), v.maxValue(max, `must be at most ${max}`)));
  const EventQuerySchema = object({
    organizationId: v.optional(IdSchema),
    /** One type or several, comma-separated. */
    type: v.optional(v.pipe(v.string(INVALID), v.maxLength(2000, 'must be at most 2000 characters'))),
    after: v.optional(IdSchema),
    before: v.optional(IdSchema),
    limit: numberInQuery(1, 200),
  });

  // An organization's SSO state, for the host's own admin UI
  const SsoStateSchema = object({
    organization: object({ id: IdSchema, name: v.string(INVALID) }),
    /**
     * `active` when a connection is active (for everyone), `staged` when none is but one is active
     * for test users only, `configured` when one is set up but not active, else `none`.
     */
    status: v.picklist(['active', 'staged', 'configured', 'none'], INVALID),
    connections: v.array(
      object({
        id: IdSchema,
        protocol: v.picklist(['saml', 'oidc'], INVALID),
        providerId: IdSchema,
        name: v.nullable(v.string(INVALID)),
        status: v.picklist(['draft', 'configured', 'active', 'inactive'], INVALID),
        lastTest: v.nullable(object({ status: v.string(INVALID), at: TimestampSchema, errorCode: v.optional(v.string(INVALID)), stale: v.boolean(INVALID) })),
        certificateExpiresAt: v.nullable(TimestampSchema),
        /** Active for test users only: who they are, and which of them signed in through it; null otherwise. */
        staged: v.nullable(object({ testUsers: v.array(v.string(INVALID), INVALID), signedIn: v.array(v.string(INVALID), INVALID) })),
        updatedAt: TimestampSchema,
      }),
      INVALID,
    ),
    domains: v.array(object({ name: v.string(INVALID), status: v.string(INVALID), method: v.string(INVALID), verifiedAt: v.nullable(TimestampSchema) }), INVALID),
    /** The latest sign-in through SSO (not a test), when there was one. */
    lastSignInAt: v.nullable(TimestampSchema),
    recentEvents: v.array(EventSchema, INVALID),
  });

  // Webhook endpoints
  const EventTypesSchema = v.nullable(v.pipe(v.array(EventTypeSchema, INVALID), v.minLength(1, 'must name at least one event type (or be null for all)'), v.maxLength(EVENT_TYPES.length, 'must not repeat event types')));
  const WebhookUrlSchema = withLengthChecks(v.pipe(v.string('must be an https URL'), v.minLength(1, 'must not be empty'), v.maxLength(2000, 'must be at most 2000 characters')));
  const DescriptionSchema = withLengthChecks(v.pipe(v.string('must be text'), v.maxLength(200, 'must be at most 200 characters')));
  const WebhookEndpointInputSchema = object({
    url: WebhookUrlSchema,
    /** The types to send; omitted or null: every type. */
    eventTypes: v.optional(EventTypesSchema),
    description: v.optional(DescriptionSchema),
  });
  const WebhookEndpointPatchSchema = object({
    url: v.optional(WebhookUrlSchema),
    eventTypes: v.optional(EventTypesSchema),
    description: v.optional(v.nullable(DescriptionSchema)),
    /** true re-enables an endpoint that was disabled (its reason is cleared); false disables it. */
    enabled: v.optional(v.boolean('must be true or false')),
  });
  const WebhookEndpointSchema = object({
    id: IdSchema,
    url: v.string(INVALID),
    description: v.nullable(v.string(INVALID)),
    eventTypes: v.nullable(v.array(v.string(INVALID), INVALID)),
    enabled: v.boolean(INVALID),
    /** Why and when it was disabled (by the host, after deliveries kept failing, or a 410 answer). */
    disabledReason: v.nullable(v.string(INVALID)),
    disabledAt: v.nullable(TimestampSchema),
    lastSuccessAt: v.nullable(TimestampSchema),
    createdAt: TimestampSchema,
  });
  /** The one answer that carries the signing secret (`whsec_` + base64 of 32 bytes). */
  const WebhookEndpointCreatedSchema = object({ ...WebhookEndpointSchema.entries, secret: v.string(INVALID) });
  const WebhookDeliverySchema = object({
    id: IdSchema,
    eventId: IdSchema,
    eventType: v.string(INVALID),
    endpointId: IdSchema,
    status: v.picklist(['pending', 'delivered', 'failed'], INVALID),
    attempts: v.number(INVALID),
    nextAttemptAt: v.nullable(TimestampSchema),
    lastAttemptAt: v.nullable(TimestampSchema),
    /** The latest answer: HTTP status (null: none), the first characters of its body, how long it took, why it failed. */
    lastAnswer: v.nullable(
      object({
        status: v.nullable(v.number(INVALID)),
        excerpt: v.string(INVALID),
        durationMs: v.number(INVALID),
        errorCode: v.optional(v.string(INVALID)),
        error: v.optional(v.string(INVALID)),
      }),
    ),
    createdAt: TimestampSchema,
  });
  const DeliveryQuerySchema = object({ limit: numberInQuery(1, 200) });

  // Directory sync, the host's view: the users and groups a directory synced (cursor pages like the event log)
  const SearchSchema = v.optional(withLengthChecks(v.pipe(v.string(INVALID), v.maxLength(200, 'must be at most 200 characters'))));
  const DirectoryUserQuerySchema = object({
    limit: numberInQuery(1, 200),
    /** The users made after this user (its id): the next page. */
    after: v.optional(IdSchema),
    /** userName, email or display name contains this, case-insensitively. */
    search: SearchSchema,
    /** `true`: active users only; `false`: deactivated ones only. */
    active: v.optional(v.picklist(['true', 'false'], 'must be true or false')),
    /** Members of this group only. */
    groupId: v.optional(IdSchema),
  });
  const DirectoryGroupQuerySchema = object({ limit: numberInQuery(1, 200), after: v.optional(IdSchema), search: SearchSchema });
  const DirectoryUserListSchema = object({ data: v.array(DirectoryUserSchema, INVALID), hasMore: v.boolean(INVALID) });
  const DirectoryGroupListSchema = object({ data: v.array(DirectoryGroupSchema, INVALID), hasMore: v.boolean(INVALID) });

  return defineRoutes({
    // Admin API
    createOrganization: {
      method: 'POST',
      path: '/api/admin/organizations',
      auth: 'admin',
      request: { body: OrganizationInputSchema, what: 'Organization' },
      response: OrganizationSchema,
      status: 201,
    },
    listOrganizations: { method: 'GET', path: '/api/admin/organizations', auth: 'admin', response: v.array(OrganizationSchema, INVALID), status: 200 },
    getOrganization: { method: 'GET', path: '/api/admin/organizations/:orgId', auth: 'admin', request: { params: IdParam('orgId') }, response: OrganizationSchema, status: 200 },
    createLink: {
      method: 'POST',
      path: '/api/admin/organizations/:orgId/links',
      auth: 'admin',
      request: { params: IdParam('orgId'), body: LinkInputSchema, what: 'Link', optionalBody: true },
      response: LinkCreatedSchema,
      status: 201,
    },
    listLinks: { method: 'GET', path: '/api/admin/organizations/:orgId/links', auth: 'admin', request: { params: IdParam('orgId') }, response: v.array(LinkSchema, INVALID), status: 200 },
    revokeLink: { method: 'DELETE', path: '/api/admin/links/:linkId', auth: 'admin', request: { params: IdParam('linkId') }, status: 204 },
    createEmbedLink: {
      method: 'POST',
      path: '/api/admin/organizations/:orgId/embed-links',
      auth: 'admin',
      request: { params: IdParam('orgId'), body: EmbedLinkInputSchema, what: 'Embed link' },
      response: EmbedLinkCreatedSchema,
      status: 201,
    },
    verifyDomainManually: {
      method: 'POST',
      path: '/api/admin/organizations/:orgId/domains/:name/verify',
      auth: 'admin',
      request: { params: object({ orgId: IdSchema, name: DomainNameSchema }) },
      response: DomainSchema,
      status: 200,
    },
    getEncryptionKeys: {
      method: 'GET',
      path: '/api/admin/organizations/:orgId/connections/:connectionId/encryption-keys',
      auth: 'admin',
      request: { params: ConnectionParams },
      response: EncryptionKeysSchema,
      status: 200,
    },
    startEncryptionRollover: {
      method: 'POST',
      path: '/api/admin/organizations/:orgId/connections/:connectionId/encryption-keys/rollover',
      auth: 'admin',
      request: { params: ConnectionParams },
      response: EncryptionKeysSchema,
      status: 200,
    },
    finishEncryptionRollover: {
      method: 'POST',
      path: '/api/admin/organizations/:orgId/connections/:connectionId/encryption-keys/rollover/finish',
      auth: 'admin',
      request: { params: ConnectionParams },
      response: EncryptionKeysSchema,
      status: 200,
    },
    getOrganizationSso: {
      method: 'GET',
      path: '/api/admin/organizations/:orgId/sso',
      auth: 'admin',
      request: { params: IdParam('orgId') },
      response: SsoStateSchema,
      status: 200,
    },
    previewHostRouting: {
      method: 'POST',
      path: '/api/admin/routing-preview',
      auth: 'admin',
      request: { body: RoutingRequestSchema, what: 'Routing preview' },
      response: RoutingDecisionSchema,
      status: 200,
    },
    listEvents: { method: 'GET', path: '/api/admin/events', auth: 'admin', request: { query: EventQuerySchema }, response: EventListSchema, status: 200 },
    createWebhookEndpoint: {
      method: 'POST',
      path: '/api/admin/webhook-endpoints',
      auth: 'admin',
      request: { body: WebhookEndpointInputSchema, what: 'Webhook endpoint' },
      response: WebhookEndpointCreatedSchema,
      status: 201,
    },
    listWebhookEndpoints: { method: 'GET', path: '/api/admin/webhook-endpoints', auth: 'admin', response: v.array(WebhookEndpointSchema, INVALID), status: 200 },
    getWebhookEndpoint: {
      method: 'GET',
      path: '/api/admin/webhook-endpoints/:endpointId',
      auth: 'admin',
      request: { params: IdParam('endpointId') },
      response: WebhookEndpointSchema,
      status: 200,
    },
    updateWebhookEndpoint: {
      method: 'PATCH',
      path: '/api/admin/webhook-endpoints/:endpointId',
      auth: 'admin',
      request: { params: IdParam('endpointId'), body: WebhookEndpointPatchSchema, what: 'Webhook endpoint update' },
      response: WebhookEndpointSchema,
      status: 200,
    },
    deleteWebhookEndpoint: { method: 'DELETE', path: '/api/admin/webhook-endpoints/:endpointId', auth: 'admin', request: { params: IdParam('endpointId') }, status: 204 },
    listWebhookDeliveries: {
      method: 'GET',
      path: '/api/admin/webhook-endpoints/:endpointId/deliveries',
      auth: 'admin',
      request: { params: IdParam('endpointId'), query: DeliveryQuerySchema },
      response: v.array(WebhookDeliverySchema, INVALID),
      status: 200,
    },
    resendWebhookDelivery: {
      method: 'POST',
      path: '/api/admin/webhook-deliveries/:deliveryId/resend',
      auth: 'admin',
      request: { params: IdParam('deliveryId') },
      response: WebhookDeliverySchema,
      status: 200,
    },
    listOrganizationDirectories: {
      method: 'GET',
      path: '/api/admin/organizations/:orgId/directories',
      auth: 'admin',
      request: { params: IdParam('orgId') },
      response: v.array(DirectorySchema, INVALID),
      status: 200,
    },
    listDirectoryUsers: {
      method: 'GET',
      path: '/api/admin/directories/:directoryId/users',
      auth: 'admin',
      request: { params: IdParam('directoryId'), query: DirectoryUserQuerySchema },
      response: DirectoryUserListSchema,
      status: 200,
    },
    listDirectoryGroups: {
      method: 'GET',
      path: '/api/admin/directories/:directoryId/groups',
      auth: 'admin',
      request: { params: IdParam('directoryId'), query: DirectoryGroupQuerySchema },
      response: DirectoryGroupListSchema,
      status: 200,
    },

    // Public
    discoverSso: {
      method: 'POST',
      path: '/api/sso/discover',
      auth: 'public',
      request: { body: SsoDiscoverRequestSchema, what: 'Sign-in lookup' },
      response: SsoDiscoverySchema,
      status: 200,
    },
    getOpenApi: { method: 'GET', path: '/api/openapi.json', auth: 'public', response: OpenApiDocumentSchema, status: 200 },
  });
}

// @__NO_SIDE_EFFECTS__
function allRoutes() {
  return { ...PORTAL_REST, ...DIRECTORY_REST, ...ROLLOUT_REST, ...TEST_LINK_REST, ...LOGIN_TRACE_REST, ...serverRoutes() };
}

/** Every route under `/api`, by id (the OpenAPI `operationId`). */
export const REST = /* @__PURE__ */ allRoutes();

export type RestRouteId = keyof typeof REST;
export const REST_ROUTES: readonly RestRoute[] = /* @__PURE__ */ Object.values(REST);

/** The path with its parameters filled in (each one URL-encoded). */
export function restPath(route: Pick<RestRoute, 'path'>, params: Record<string, string> = {}): string {
  return route.path.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${route.path}: the path parameter ${name} is missing.`);
    return encodeURIComponent(value);
  });
}
