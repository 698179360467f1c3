/**
 * The OpenAPI 3.1 document of the REST contract, built from its route table
 * (`core/rest-contract.ts`) and the valibot schemas of `core/model.ts`, so that it cannot drift
 * from the server's routes or the HttpAdapter: both read the same table. `scripts/openapi.mjs`
 * writes it to docs/openapi.json; a test keeps that file up to date. The server serves it at
 * `GET /api/openapi.json`.
 *
 * Pure and synchronous (no Node APIs), but server-side: the prose of the document lives here,
 * out of the element's bundle.
 */
import { toJsonSchema, toJsonSchemaDefs, type ConversionConfig, type JsonSchema } from '@valibot/to-json-schema';
import * as v from 'valibot';
import { ERROR_CODES, PORTAL_ERROR_CODES } from '../core/errors.js';
import {
  AttributeMappingSchema,
  BrandingSchema,
  ConnectionInputSchema,
  ConnectionPatchSchema,
  ConnectionSchema,
  DomainSchema,
  FeaturesSchema,
  LastTestSchema,
  OidcConfigInputSchema,
  OidcConfigSchema,
  PortalSessionSchema,
  ReceivedProfileSchema,
  SamlConfigSchema,
  ServiceProviderSchema,
  TestErrorSchema,
  TestModeSchema,
  TestResultSchema,
  TestStartSchema,
  TimestampSchema,
  type Schema,
} from '../core/model.js';
import {
  ConnectionUpdateSchema,
  DiscoveryAnswerSchema,
  DiscoveryRequestSchema,
  DomainRequestSchema,
  EnabledUpdateSchema,
  MetadataAnswerSchema,
  MetadataReadRequestSchema,
  MetadataRequestSchema,
  MetadataResultSchema,
  REST,
  REST_ROUTES,
  TestRequestSchema,
  VersionOnlySchema,
  type RestAuth,
  type RestRoute,
  type ObjectSchema,
  type RestRouteId,
} from '../core/rest-contract.js';
import { object, record, wholeNumber } from '../core/schema-helpers.js';
import { TestLinkInputSchema, TestLinkSchema, TestLinkWithUrlSchema } from '../core/test-link-model.js';
import { DirectoryGroupSchema, DirectoryInputSchema, DirectoryRequestSchema, DirectorySchema, DirectoryUserSchema, DirectoryWithTokenSchema } from '../core/directory-model.js';

/** A code of `ERROR_CODES` (not a host's own code, which no server answers). */
type ServerErrorCode = (typeof PORTAL_ERROR_CODES)[number];

/** The codes a server answers with: not the client-side ones (`network`, `aborted`, `not_configured`). */
export const SERVER_ERROR_CODES = PORTAL_ERROR_CODES.filter((code) => ERROR_CODES[code].status !== 0);

/** An error answer (`application/problem+json`). */
export const ProblemSchema = object({
  type: v.string(),
  title: v.string(),
  status: wholeNumber(),
  code: v.picklist(SERVER_ERROR_CODES),
  detail: v.string(),
  retryable: v.boolean(),
  details: v.optional(record(v.unknown())),
});

/** The element schema of an array schema. */
const elementOf = (schema: Schema): Schema => (schema as v.ArraySchema<Schema, undefined>).item;

/** Every schema that becomes a named component, by name. */
const COMPONENTS: Record<string, Schema> = {
  PortalSession: PortalSessionSchema,
  ServiceProvider: ServiceProviderSchema,
  Branding: BrandingSchema,
  Features: FeaturesSchema,
  Connection: ConnectionSchema,
  ConnectionInput: ConnectionInputSchema,
  ConnectionPatch: ConnectionPatchSchema,
  ConnectionUpdate: ConnectionUpdateSchema,
  EnabledUpdate: EnabledUpdateSchema,
  VersionOnly: VersionOnlySchema,
  SamlConfig: SamlConfigSchema,
  OidcConfig: OidcConfigSchema,
  OidcConfigInput: OidcConfigInputSchema,
  AttributeMapping: AttributeMappingSchema,
  LastTest: LastTestSchema,
  TestMode: TestModeSchema,
  TestRequest: TestRequestSchema,
  TestStart: TestStartSchema,
  TestResult: TestResultSchema,
  TestError: TestErrorSchema,
  ReceivedProfile: ReceivedProfileSchema,
  MetadataRequest: MetadataRequestSchema,
  MetadataAnswer: MetadataAnswerSchema,
  MetadataReadRequest: MetadataReadRequestSchema,
  MetadataResult: MetadataResultSchema,
  DiscoveryRequest: DiscoveryRequestSchema,
  DiscoveryAnswer: DiscoveryAnswerSchema,
  Domain: DomainSchema,
  DomainRequest: DomainRequestSchema,
  Problem: ProblemSchema,
  // The admin and public shapes are the contract's own (no browser code needs them by name).
  Organization: REST.getOrganization.response,
  OrganizationInput: REST.createOrganization.request.body,
  LinkInput: REST.createLink.request.body,
  LinkCreated: REST.createLink.response,
  Link: elementOf(REST.listLinks.response),
  EmbedLinkInput: REST.createEmbedLink.request.body,
  EmbedLinkCreated: REST.createEmbedLink.response,
  SsoDiscoverRequest: REST.discoverSso.request.body,
  SsoDiscovery: REST.discoverSso.response,
  SsoState: REST.getOrganizationSso.response,
  Event: elementOf(REST.listEvents.response.entries.data),
  EventList: REST.listEvents.response,
  WebhookEndpointInput: REST.createWebhookEndpoint.request.body,
  WebhookEndpointPatch: REST.updateWebhookEndpoint.request.body,
  WebhookEndpoint: REST.getWebhookEndpoint.response,
  WebhookEndpointCreated: REST.createWebhookEndpoint.response,
  WebhookDelivery: REST.resendWebhookDelivery.response,
  Directory: DirectorySchema,
  DirectoryInput: DirectoryInputSchema,
  DirectoryWithToken: DirectoryWithTokenSchema,
  DirectoryRequest: DirectoryRequestSchema,
  DirectoryUser: DirectoryUserSchema,
  DirectoryGroup: DirectoryGroupSchema,
  DirectoryUserList: REST.listDirectoryUsers.response,
  DirectoryGroupList: REST.listDirectoryGroups.response,
  TestUsersUpdate: REST.stageConnection.request.body,
  RoutingRequest: REST.previewRouting.request.body,
  RoutingDecision: REST.previewRouting.response,
  TestLink: TestLinkSchema,
  TestLinkInput: TestLinkInputSchema,
  TestLinkCreated: TestLinkWithUrlSchema,
};

// ---------------------------------------------------------------------------------------
// What the document says about each route (its schemas, method and path are the contract's)

interface RouteDoc {
  summary: string;
  /** Error codes beyond the ones every route may answer with. */
  errors?: ServerErrorCode[];
  /** Descriptions of the query parameters. */
  query?: Record<string, string>;
  /** The tag, when not the one of the route's `auth`. */
  tag?: string;
}

const ROUTE_DOCS: Record<RestRouteId, RouteDoc> = {
  getSession: { summary: 'The organization, SP values, branding, features and expiry of this portal session' },
  listConnections: { summary: 'The organization’s connections' },
  createConnection: { summary: 'Creates a connection', errors: ['validation_failed', 'not_available'] },
  getConnection: { summary: 'One connection', errors: ['not_found'] },
  updateConnection: { summary: 'Changes a connection; `version` must be the one read (409 `conflict` otherwise)', errors: ['not_found', 'conflict', 'validation_failed'] },
  deleteConnection: { summary: 'Deletes a connection and its tests', errors: ['not_found'] },
  setConnectionEnabled: { summary: 'Activates (after a successful, current test) or deactivates a connection', errors: ['not_found', 'conflict', 'test_required', 'validation_failed'] },
  stageConnection: {
    summary:
      'Activates a connection for test users only, or replaces their list (staged activation): only these emails, each at a verified domain, are routed to its IdP; promote it with `enabled: true`, end it with `enabled: false` (back to its status before). `validation_failed` with `details.reason` `no_test_users`, `too_many_test_users`, `invalid_email`, `outside_verified_domains` or `already_active`',
    errors: ['not_found', 'conflict', 'test_required', 'validation_failed'],
  },
  previewRouting: {
    summary:
      'Routing preview: what happens when this email signs in, and why, decided by home-realm discovery’s own code; a domain the organization has not verified is `not_verified_here`, whoever verified it',
    errors: ['validation_failed'],
  },
  approveMetadataChange: {
    summary:
      'Applies the metadata change waiting for review (`metadataRefresh.pending`) to the connection read at `version`; `conflict` for a stale version, or with `details.reason` `metadata_change_not_pending` when there is none',
    errors: ['not_found', 'conflict', 'validation_failed'],
  },
  dismissMetadataChange: {
    summary:
      'Dismisses the metadata change waiting for review (`pending.dismissedAt`); the connection stays as it is; `conflict` with `details.reason` `metadata_change_not_pending` when there is none',
    errors: ['not_found', 'conflict'],
  },
  startTest: { summary: 'Starts a test login', errors: ['not_found', 'not_available', 'validation_failed'] },
  listTestResults: { summary: 'Recent tests of a connection, newest first', errors: ['not_found'] },
  getTestResult: {
    summary: 'A test’s state; with `wait`, answers when it is no longer pending or after `wait` seconds (long-poll)',
    errors: ['test_not_found', 'validation_failed'],
    query: { wait: 'Seconds to hold the request while the test is pending (long-poll)' },
  },
  fetchMetadata: { summary: 'Fetches SAML metadata server-side (SSRF-guarded)', errors: ['metadata_fetch_failed', 'metadata_url_refused', 'metadata_too_large', 'validation_failed'] },
  readSamlMetadata: {
    summary: 'Reads SAML metadata server-side: pasted XML (`xml`), or a URL it downloads (`url`, SSRF-guarded); `entityId` picks an IdP from an aggregate. Metadata that cannot be used is an answer (`ok: false` with the reader’s code, message and remedy), not an error',
    errors: ['metadata_fetch_failed', 'metadata_url_refused', 'metadata_too_large', 'validation_failed'],
  },
  fetchOidcDiscovery: { summary: 'Fetches `<issuer>/.well-known/openid-configuration` server-side', errors: ['oidc_discovery_failed', 'validation_failed'] },
  listDomains: { summary: 'The organization’s domains' },
  addDomain: { summary: 'Adds a domain to verify', errors: ['domain_invalid', 'domain_taken', 'conflict', 'validation_failed'] },
  verifyDomain: { summary: 'Checks the domain’s DNS TXT record', errors: ['not_found', 'domain_verification_failed'] },
  removeDomain: { summary: 'Removes a domain', errors: ['not_found'] },
  listDirectories: { summary: 'The organization’s directories (directory sync, SCIM 2.0)' },
  createDirectory: { summary: 'Creates a directory (status `setup`) and issues its SCIM bearer token (returned this once); the Directory Simulator on development servers only (`not_available`)', errors: ['validation_failed', 'not_available'] },
  getDirectory: { summary: 'A directory: status, counts, last sync and recent errors', errors: ['not_found'] },
  regenerateDirectoryToken: { summary: 'Issues a new SCIM bearer token; the old one stops working at once', errors: ['not_found', 'conflict'] },
  setDirectoryEnabled: { summary: 'Enables or disables a directory', errors: ['not_found', 'conflict'] },
  deleteDirectory: { summary: 'Deletes a directory with its users and groups', errors: ['not_found'] },
  listDirectoryRequests: { summary: 'The last SCIM requests the directory received, newest first', errors: ['not_found'] },
  listTestLinks: { summary: 'The connection’s test links for a colleague, newest first: status (pending, used, expired, revoked) and, once used, the result of the test it ran', errors: ['not_found'] },
  createTestLink: {
    summary: 'Makes a test link for a colleague: a single-use URL, valid 24 hours, that runs an SP-initiated test login of this connection; the only time its URL is shown (at most 20 an hour per organization)',
    errors: ['not_found', 'validation_failed', 'rate_limited'],
  },
  revokeTestLink: { summary: 'Withdraws a test link not used yet: it stops working at once', errors: ['not_found', 'conflict'] },
  listLoginAttempts: { summary: 'The connection’s last 50 login attempts (tests and sign-ins), newest first, each with its step-by-step trace and decoded messages (redacted)', errors: ['not_found'] },

  createOrganization: { summary: 'Creates an organization', errors: ['validation_failed'] },
  listOrganizations: { summary: 'Every organization' },
  getOrganization: { summary: 'One organization', errors: ['not_found'] },
  createLink: { summary: 'Creates a portal link (default lifetime 168 hours); the only time its token is shown', errors: ['not_found', 'validation_failed'] },
  listLinks: { summary: 'The organization’s portal links (never their tokens)', errors: ['not_found'] },
  revokeLink: { summary: 'Revokes a portal link: it stops working at once', errors: ['not_found'] },
  createEmbedLink: {
    summary:
      'Creates an embed link: single-use, to open within a minute in an iframe of `parentOrigin` (one of the server’s allowed origins) as `url` (`/portal/<token>?embed=1`); the session it opens lasts `sessionMinutes` (default 360) after the admin’s last request. The only time its token is shown',
    errors: ['not_found', 'validation_failed'],
  },
  verifyDomainManually: { summary: 'Marks a domain verified (method `manual`)', errors: ['not_found', 'domain_invalid', 'domain_taken'] },
  getEncryptionKeys: {
    summary: "A SAML connection's encryption certificates: the current one and, during a rollover, the next one (public parts only)",
    errors: ['not_found', 'validation_failed'],
  },
  startEncryptionRollover: {
    summary: 'Starts an encryption key rollover: a next key that decrypts at once and is published beside the current one in the SP metadata (idempotent)',
    errors: ['not_found', 'validation_failed'],
  },
  finishEncryptionRollover: {
    summary: 'Finishes an encryption key rollover: the next key becomes the current one and the old key is deleted (`conflict` when none is in progress)',
    errors: ['not_found', 'validation_failed', 'conflict'],
  },
  getOrganizationSso: {
    summary:
      'The organization’s SSO state for the host’s own admin UI: its connections (provider, protocol, status, last test, certificate expiry), domains and how they were verified, the last sign-in and the 10 latest events',
    errors: ['not_found'],
  },
  previewHostRouting: {
    summary: 'Routing preview for the host: what happens when this email signs in at any organization, and why (home-realm discovery’s own decision, with each step’s reason)',
    errors: ['validation_failed'],
  },
  listEvents: {
    summary:
      'The event log (audit log): every change by the IT admin (`portal_link`), the host (`admin_key`) or the server (`system`), newest first; with `after`, the events recorded after that one, oldest first (a feed). `hasMore`: another page follows',
    errors: ['not_found', 'validation_failed'],
    query: {
      organizationId: 'Only this organization’s events',
      type: 'Only these types, comma-separated (e.g. `connection.activated,domain.verified`)',
      after: 'Events recorded after this event id, oldest first',
      before: 'Events recorded before this event id, newest first (the next page)',
      limit: 'At most this many (1 to 200, default 50)',
    },
  },
  createWebhookEndpoint: {
    summary:
      'Registers a webhook endpoint (https; loopback only where the server allows it) for some event types or all; the answer is the only one that shows its signing secret (`whsec_...`, Standard Webhooks)',
    errors: ['validation_failed'],
  },
  listWebhookEndpoints: { summary: 'The webhook endpoints (never their secrets)' },
  getWebhookEndpoint: { summary: 'One webhook endpoint (never its secret)', errors: ['not_found'] },
  updateWebhookEndpoint: { summary: 'Changes a webhook endpoint’s URL, event types or description, or disables / re-enables it', errors: ['not_found', 'validation_failed'] },
  deleteWebhookEndpoint: { summary: 'Deletes a webhook endpoint and its deliveries', errors: ['not_found'] },
  listWebhookDeliveries: {
    summary: 'The endpoint’s deliveries, newest first, with their latest answer',
    errors: ['not_found', 'validation_failed'],
    query: { limit: 'At most this many (1 to 200, default 50)' },
  },
  resendWebhookDelivery: { summary: 'Sends a delivery again now (its retries start over; the endpoint must be enabled)', errors: ['not_found', 'conflict'] },
  listOrganizationTestLinks: { summary: 'The organization’s test links for colleagues (every connection), newest first, with the result of the test each ran (never a URL or token)', errors: ['not_found'] },
  listConnectionLoginAttempts: { summary: 'A connection’s last 50 login attempts with their traces, newest first (the host’s view)', errors: ['not_found'] },
  getLoginAttemptReport: { summary: 'The shareable diagnostic report of a login attempt: the HTML and JSON files, redacted, and the list of what is redacted', errors: ['not_found'] },
  listOrganizationDirectories: { summary: 'The organization’s directories (directory sync, SCIM 2.0): status, counts, last sync, recent errors (never tokens)', errors: ['not_found'] },
  listDirectoryUsers: {
    summary: 'The users a directory synced, in the order they were created; `hasMore`: another page follows (ask with `after` = the last id)',
    errors: ['not_found', 'validation_failed'],
    query: {
      limit: 'At most this many (1 to 200, default 50)',
      after: 'The users created after this user id (the next page)',
      search: 'userName, email or display name contains this text (case-insensitive)',
      active: '`true`: active users only; `false`: deactivated ones only',
      groupId: 'Members of this group only',
    },
  },
  listDirectoryGroups: {
    summary: 'The groups a directory synced, with their member counts, in the order they were created; `hasMore`: another page follows',
    errors: ['not_found', 'validation_failed'],
    query: { limit: 'At most this many (1 to 200, default 50)', after: 'The groups created after this group id (the next page)', search: 'The display name contains this text (case-insensitive)' },
  },

  discoverSso: {
    summary:
      'Home-realm discovery: the organization that verified the email’s domain, its active connection and where to start the sign-in (404 `not_found` with `details.reason` `no_verified_domain`, `no_active_connection` or `not_a_test_user`: the connection is active for test users only)',
    errors: ['not_found', 'validation_failed'],
  },
  getOpenApi: { summary: 'This document, with `servers` naming the server that answers', tag: 'contract' },
};

const SECURITY: Record<RestAuth, string | undefined> = { portal: 'portalToken', admin: 'adminKey', public: undefined };
const TAGS: Record<RestAuth, string> = { portal: 'portal', admin: 'admin', public: 'sso' };

/** What every route may answer with. */
const COMMON_ERRORS: ServerErrorCode[] = ['session_expired', 'rate_limited', 'server_error'];

// ---------------------------------------------------------------------------------------
// The document

export type JsonObject = Record<string, unknown>;

export interface OpenApiOptions {
  /** `info.version` (the package's version). */
  version?: string;
}

const ref = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` });

/** The timestamps' pattern (RFC 3339 with an offset): a `date-time`. */
const DATE_TIME_REGEX = TimestampSchema.pipe[1].requirement;

/** The names of the component schemas, by schema. */
const COMPONENT_NAMES = new Map<Schema, string>(Object.entries(COMPONENTS).map(([name, schema]) => [schema, name]));

/**
 * How schemas become JSON Schema: objects say that they have no other properties (unknown keys
 * are dropped), a second pattern goes with the first under `allOf`, the timestamp pattern is a
 * `date-time`, a literal says its type, a nullable primitive is a type list (`["number", "null"]`),
 * a check by code (`v.custom`) is any value, and a number read from a query string is described as
 * the number it becomes.
 */
const CONVERSION: ConversionConfig = {
  target: 'draft-2020-12',
  typeMode: 'output',
  ignoreActions: ['finite'],
  overrideRef: ({ referenceId }) => `#/components/schemas/${referenceId}`,
  overrideSchema: ({ valibotSchema, jsonSchema }) => {
    if (valibotSchema.type === 'custom') return {};
    if (valibotSchema.type === 'literal') return { type: typeof (valibotSchema as v.LiteralSchema<v.Literal, undefined>).literal, ...jsonSchema } as JsonSchema;
    const inner = jsonSchema.anyOf?.[0];
    if (valibotSchema.type === 'nullable' && typeof inner === 'object' && Object.keys(inner).length === 1 && typeof inner.type === 'string') return { type: [inner.type, 'null'] };
    if (valibotSchema.type === 'object') {
      const { required, ...rest } = jsonSchema;
      return { ...rest, ...(required?.length ? { required } : {}), additionalProperties: false };
    }
    return undefined;
  },
  overrideAction: ({ valibotAction, jsonSchema }) => {
    if (valibotAction.type !== 'regex') return undefined;
    const { requirement } = valibotAction as v.RegexAction<string, undefined>;
    const { pattern, allOf, ...rest } = jsonSchema;
    // Flags are dropped (JSON Schema has none): the logo URL's case-insensitive `https://` reads as lower case.
    if (allOf || pattern !== requirement.source) return { ...rest, allOf: [...(allOf ?? [{ pattern }]), { pattern: requirement.source }] };
    return requirement === DATE_TIME_REGEX ? { ...rest, format: 'date-time', pattern } : { ...rest, pattern };
  },
};

/** A schema of a route: a `$ref` to its component (or an array of one), else inline. */
function schemaOf(schema: Schema): JsonObject {
  const name = COMPONENT_NAMES.get(schema);
  if (name) return ref(name);
  if (schema.type === 'array') {
    const element = COMPONENT_NAMES.get(elementOf(schema));
    if (element) return { type: 'array', items: ref(element) };
  }
  return withoutMeta(toJsonSchema(schema, CONVERSION) as JsonObject);
}

/** Drops `$schema` and `$id`: the document's `jsonSchemaDialect` and component names say it. */
function withoutMeta(schema: JsonObject): JsonObject {
  const copy = { ...schema };
  delete copy.$schema;
  delete copy.$id;
  return copy;
}

/** JSON Schemas of every component, with `$ref`s between them. */
function componentSchemas(): Record<string, JsonObject> {
  const schemas = toJsonSchemaDefs(COMPONENTS, CONVERSION);
  const out: Record<string, JsonObject> = {};
  for (const id of Object.keys(COMPONENTS)) {
    out[id] = withoutMeta(schemas[id] as JsonObject);
  }
  return out;
}

function errorResponses(codes: readonly ServerErrorCode[]): Record<string, JsonObject> {
  const byStatus = new Map<number, ServerErrorCode[]>();
  for (const code of codes) {
    const status = ERROR_CODES[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Record<string, JsonObject> = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    out[String(status)] = {
      description: list.map((c) => `\`${c}\`: ${ERROR_CODES[c].title}`).join('; '),
      content: { 'application/problem+json': { schema: ref('Problem') } },
    };
  }
  return out;
}

/** The properties of an object schema (path parameters, query). */
const shapeOf = (schema: ObjectSchema | undefined): Record<string, Schema> => schema?.entries ?? {};

/** `/api/portal/connections/:id` as OpenAPI writes it: `/api/portal/connections/{id}`. */
export const openApiPath = (path: string): string => path.replace(/:(\w+)/g, '{$1}');

function operation(route: RestRoute): JsonObject {
  const doc = ROUTE_DOCS[route.id as RestRouteId];
  if (!doc) throw new Error(`The route ${route.id} has no documentation in ROUTE_DOCS.`);
  const request = route.request ?? {};
  const pathShape = shapeOf(request.params);
  const params: JsonObject[] = [...route.path.matchAll(/:(\w+)/g)].map(([, name]) => {
    const schema = pathShape[name!];
    if (!schema) throw new Error(`${route.path}: the path parameter ${name} has no schema.`);
    return { name, in: 'path', required: true, schema: schemaOf(schema) };
  });
  for (const [name, schema] of Object.entries(shapeOf(request.query))) {
    const inner = schema.type === 'optional' ? (schema as v.OptionalSchema<Schema, undefined>).wrapped : schema;
    params.push({ name, in: 'query', required: schema.type !== 'optional', description: doc.query?.[name], schema: schemaOf(inner) });
  }
  const ok: JsonObject = { description: route.status === 204 ? 'Done; no content' : 'Success' };
  if (route.response) ok.content = { 'application/json': { schema: schemaOf(route.response) } };
  const security = SECURITY[route.auth];
  const op: JsonObject = {
    operationId: route.id,
    summary: doc.summary,
    tags: [doc.tag ?? TAGS[route.auth]],
    security: security ? [{ [security]: [] }] : [],
  };
  if (params.length) op.parameters = params;
  if (request.body) op.requestBody = { required: !request.optionalBody, content: { 'application/json': { schema: schemaOf(request.body) } } };
  const common = security ? COMMON_ERRORS : COMMON_ERRORS.filter((c) => c !== 'session_expired');
  const codes = [...new Set([...common, ...(doc.errors ?? [])])];
  op.responses = { [String(route.status)]: ok, ...errorResponses(codes) };
  return op;
}

/** The OpenAPI 3.1 document of the portal, admin and public REST APIs. */
export function buildOpenApi(options: OpenApiOptions = {}): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of REST_ROUTES) (paths[openApiPath(route.path)] ??= {})[route.method.toLowerCase()] = operation(route);
  return {
    openapi: '3.1.0',
    info: {
      title: 'sso-admin-portal REST API',
      version: options.version ?? '0.0.0',
      description:
        'The backend contract of <sso-admin-portal> (docs/rest-api.md), generated from the route table in src/core/rest-contract.ts and the valibot schemas in src/core/model.ts by `npm run openapi`. Errors are application/problem+json with a stable `code`.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    tags: [
      { name: 'portal', description: 'Portal API: `Authorization: Bearer <portal token>`, scoped to the token’s organization' },
      { name: 'admin', description: 'Admin API: `Authorization: Bearer <admin key>`' },
      { name: 'sso', description: 'Sign-in routing for host login pages: public, rate-limited per client' },
      { name: 'contract', description: 'This document: public' },
    ],
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        portalToken: { type: 'http', scheme: 'bearer', description: 'The portal token from a setup link' },
        adminKey: { type: 'http', scheme: 'bearer', description: 'The server’s admin key' },
      },
    },
  };
}
