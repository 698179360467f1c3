/**
 * The OpenAPI 3.1 document of the REST contract (docs/rest-api.md), built from the zod
 * schemas of `model.ts` so that it cannot drift from the types, the adapters and the server.
 * `scripts/openapi.mjs` writes it to docs/openapi.json; a test keeps that file up to date.
 *
 * Pure and synchronous; not part of the element's bundle (nothing in the portal imports it).
 */
import * as z from 'zod/mini';
import { ERROR_CODES, PORTAL_ERROR_CODES, type PortalErrorCode } from './errors.js';
import {
  AttributeMappingSchema,
  BrandingSchema,
  ConnectionInputSchema,
  ConnectionPatchSchema,
  ConnectionSchema,
  DomainSchema,
  FeaturesSchema,
  HttpUrlSchema,
  IdSchema,
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
} from './model.js';

// ---------------------------------------------------------------------------------------
// Request and answer envelopes of the REST routes (the domain shapes are in model.ts)

export const ConnectionUpdateSchema = z.object({ version: ConnectionSchema.shape.version, changes: ConnectionPatchSchema });
export const EnabledUpdateSchema = z.object({ version: ConnectionSchema.shape.version, enabled: z.boolean() });
export const TestRequestSchema = z.object({ mode: TestModeSchema });
export const MetadataRequestSchema = z.object({ url: HttpUrlSchema });
export const MetadataAnswerSchema = z.object({ xml: z.string() });
export const DiscoveryRequestSchema = z.object({ issuer: HttpUrlSchema });
export const DiscoveryAnswerSchema = z.object({ document: z.record(z.string(), z.unknown()) });
export const DomainRequestSchema = z.object({ name: z.string().check(z.minLength(1), z.maxLength(253)) });

/** The codes a server answers with: not the client-side ones (`network`, `aborted`, `not_configured`). */
export const SERVER_ERROR_CODES = PORTAL_ERROR_CODES.filter((code) => ERROR_CODES[code].status !== 0);

/** An error answer (`application/problem+json`). */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  code: z.enum(SERVER_ERROR_CODES as [PortalErrorCode, ...PortalErrorCode[]]),
  detail: z.string(),
  retryable: z.boolean(),
  details: z.optional(z.record(z.string(), z.unknown())),
});

// Admin API shapes. They are not part of the element's contract; the server owns them.
// TODO(server): move to model.ts (or the server's schemas) once the admin routes exist, and
// import them from there.
export const OrganizationInputSchema = z.object({ name: z.string().check(z.minLength(1), z.maxLength(200)), branding: z.optional(BrandingSchema) });
export const OrganizationSchema = z.object({ id: IdSchema, name: z.string(), branding: BrandingSchema, createdAt: TimestampSchema });
export const LinkInputSchema = z.object({ lifetimeHours: z.optional(z.int().check(z.minimum(1))) });
export const LinkCreatedSchema = z.object({ id: IdSchema, url: HttpUrlSchema, token: z.string(), expiresAt: TimestampSchema });
export const LinkSchema = z.object({ id: IdSchema, expiresAt: TimestampSchema, revokedAt: z.nullable(TimestampSchema), createdAt: TimestampSchema });
// Home-realm discovery, for host login pages (public).
export const SsoDiscoverRequestSchema = z.object({ email: z.string().check(z.minLength(3), z.maxLength(320)) });
export const SsoDiscoverySchema = z.object({
  organization: z.object({ id: IdSchema, name: z.string() }),
  connection: z.object({ id: IdSchema, protocol: z.enum(['saml', 'oidc']), providerId: IdSchema }),
  /** Where to send the user's browser to sign in. */
  loginUrl: HttpUrlSchema,
});

/** Every schema that becomes a named component, by name. */
const COMPONENTS: Record<string, z.ZodMiniType> = {
  PortalSession: PortalSessionSchema,
  ServiceProvider: ServiceProviderSchema,
  Branding: BrandingSchema,
  Features: FeaturesSchema,
  Connection: ConnectionSchema,
  ConnectionInput: ConnectionInputSchema,
  ConnectionPatch: ConnectionPatchSchema,
  ConnectionUpdate: ConnectionUpdateSchema,
  EnabledUpdate: EnabledUpdateSchema,
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
  DiscoveryRequest: DiscoveryRequestSchema,
  DiscoveryAnswer: DiscoveryAnswerSchema,
  Domain: DomainSchema,
  DomainRequest: DomainRequestSchema,
  Problem: ProblemSchema,
  Organization: OrganizationSchema,
  OrganizationInput: OrganizationInputSchema,
  LinkInput: LinkInputSchema,
  LinkCreated: LinkCreatedSchema,
  Link: LinkSchema,
  SsoDiscoverRequest: SsoDiscoverRequestSchema,
  SsoDiscovery: SsoDiscoverySchema,
};

// ---------------------------------------------------------------------------------------
// Routes

type Security = 'portalToken' | 'adminKey' | 'none';
type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

interface Route {
  method: Method;
  /** OpenAPI path template, e.g. `/api/portal/connections/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  security: Security;
  /** Component name of the JSON body. */
  body?: string;
  /** Success status and the component name of its JSON answer (`Name[]` for a list); none for 204. */
  ok: { status: 200 | 201 | 204; schema?: string };
  /** Error codes beyond the ones every route may answer with. */
  errors?: PortalErrorCode[];
  query?: Record<string, { description: string; schema: Record<string, unknown> }>;
}

/** What every route may answer with. */
const COMMON_ERRORS: PortalErrorCode[] = ['session_expired', 'rate_limited', 'server_error'];

const portal = (r: Omit<Route, 'security'>): Route => ({ ...r, security: 'portalToken' });
const admin = (r: Omit<Route, 'security'>): Route => ({ ...r, security: 'adminKey' });
const open = (r: Omit<Route, 'security'>): Route => ({ ...r, security: 'none' });

export const ROUTES: readonly Route[] = [
  portal({ method: 'get', path: '/api/portal/session', operationId: 'getSession', summary: 'The organization, SP values, branding, features and expiry of this portal session', ok: { status: 200, schema: 'PortalSession' } }),
  portal({ method: 'get', path: '/api/portal/connections', operationId: 'listConnections', summary: 'The organization’s connections', ok: { status: 200, schema: 'Connection[]' } }),
  portal({ method: 'post', path: '/api/portal/connections', operationId: 'createConnection', summary: 'Creates a connection', body: 'ConnectionInput', ok: { status: 201, schema: 'Connection' }, errors: ['validation_failed', 'not_available'] }),
  portal({ method: 'get', path: '/api/portal/connections/{id}', operationId: 'getConnection', summary: 'One connection', ok: { status: 200, schema: 'Connection' }, errors: ['not_found'] }),
  portal({ method: 'patch', path: '/api/portal/connections/{id}', operationId: 'updateConnection', summary: 'Changes a connection; `version` must be the one read (409 `conflict` otherwise)', body: 'ConnectionUpdate', ok: { status: 200, schema: 'Connection' }, errors: ['not_found', 'conflict', 'validation_failed'] }),
  portal({ method: 'delete', path: '/api/portal/connections/{id}', operationId: 'deleteConnection', summary: 'Deletes a connection and its tests', ok: { status: 204 }, errors: ['not_found'] }),
  portal({ method: 'put', path: '/api/portal/connections/{id}/enabled', operationId: 'setConnectionEnabled', summary: 'Activates (after a successful, current test) or deactivates a connection', body: 'EnabledUpdate', ok: { status: 200, schema: 'Connection' }, errors: ['not_found', 'conflict', 'test_required', 'validation_failed'] }),
  portal({ method: 'post', path: '/api/portal/connections/{id}/tests', operationId: 'startTest', summary: 'Starts a test login', body: 'TestRequest', ok: { status: 201, schema: 'TestStart' }, errors: ['not_found', 'not_available', 'validation_failed'] }),
  portal({ method: 'get', path: '/api/portal/connections/{id}/tests', operationId: 'listTestResults', summary: 'Recent tests of a connection, newest first', ok: { status: 200, schema: 'TestResult[]' }, errors: ['not_found'] }),
  portal({
    method: 'get',
    path: '/api/portal/tests/{testId}',
    operationId: 'getTestResult',
    summary: 'A test’s state; with `wait`, answers when it is no longer pending or after `wait` seconds (long-poll)',
    ok: { status: 200, schema: 'TestResult' },
    errors: ['test_not_found'],
    query: { wait: { description: 'Seconds to hold the request while the test is pending (long-poll)', schema: { type: 'integer', minimum: 0, maximum: 25 } } },
  }),
  portal({ method: 'post', path: '/api/portal/metadata', operationId: 'fetchMetadata', summary: 'Fetches SAML metadata server-side (SSRF-guarded)', body: 'MetadataRequest', ok: { status: 200, schema: 'MetadataAnswer' }, errors: ['metadata_fetch_failed', 'metadata_url_refused', 'metadata_too_large', 'validation_failed'] }),
  portal({ method: 'post', path: '/api/portal/oidc-discovery', operationId: 'fetchOidcDiscovery', summary: 'Fetches `<issuer>/.well-known/openid-configuration` server-side', body: 'DiscoveryRequest', ok: { status: 200, schema: 'DiscoveryAnswer' }, errors: ['oidc_discovery_failed', 'validation_failed'] }),
  portal({ method: 'get', path: '/api/portal/domains', operationId: 'listDomains', summary: 'The organization’s domains', ok: { status: 200, schema: 'Domain[]' } }),
  portal({ method: 'post', path: '/api/portal/domains', operationId: 'addDomain', summary: 'Adds a domain to verify', body: 'DomainRequest', ok: { status: 201, schema: 'Domain' }, errors: ['domain_invalid', 'domain_taken', 'conflict'] }),
  portal({ method: 'post', path: '/api/portal/domains/{name}/verify', operationId: 'verifyDomain', summary: 'Checks the domain’s DNS TXT record', ok: { status: 200, schema: 'Domain' }, errors: ['not_found', 'domain_verification_failed'] }),
  portal({ method: 'delete', path: '/api/portal/domains/{name}', operationId: 'removeDomain', summary: 'Removes a domain', ok: { status: 204 }, errors: ['not_found'] }),

  admin({ method: 'post', path: '/api/admin/organizations', operationId: 'createOrganization', summary: 'Creates an organization', body: 'OrganizationInput', ok: { status: 201, schema: 'Organization' }, errors: ['validation_failed'] }),
  admin({ method: 'get', path: '/api/admin/organizations', operationId: 'listOrganizations', summary: 'Every organization', ok: { status: 200, schema: 'Organization[]' } }),
  admin({ method: 'get', path: '/api/admin/organizations/{orgId}', operationId: 'getOrganization', summary: 'One organization', ok: { status: 200, schema: 'Organization' }, errors: ['not_found'] }),
  admin({ method: 'post', path: '/api/admin/organizations/{orgId}/links', operationId: 'createLink', summary: 'Creates a portal link (default lifetime 168 hours); the only time its token is shown', body: 'LinkInput', ok: { status: 201, schema: 'LinkCreated' }, errors: ['not_found', 'validation_failed'] }),
  admin({ method: 'get', path: '/api/admin/organizations/{orgId}/links', operationId: 'listLinks', summary: 'The organization’s portal links (never their tokens)', ok: { status: 200, schema: 'Link[]' }, errors: ['not_found'] }),
  admin({ method: 'delete', path: '/api/admin/links/{linkId}', operationId: 'revokeLink', summary: 'Revokes a portal link: it stops working at once', ok: { status: 204 }, errors: ['not_found'] }),
  open({
    method: 'post',
    path: '/api/sso/discover',
    operationId: 'discoverSso',
    summary: 'Home-realm discovery: the organization that verified the email’s domain, its active connection and where to start the sign-in (404 `not_found` with `details.reason` `no_verified_domain` or `no_active_connection`)',
    body: 'SsoDiscoverRequest',
    ok: { status: 200, schema: 'SsoDiscovery' },
    errors: ['not_found', 'validation_failed'],
  }),
  admin({ method: 'post', path: '/api/admin/organizations/{orgId}/domains/{name}/verify', operationId: 'verifyDomainManually', summary: 'Marks a domain verified (method `manual`)', ok: { status: 200, schema: 'Domain' }, errors: ['not_found', 'domain_taken'] }),
];

// ---------------------------------------------------------------------------------------
// The document

export type JsonObject = Record<string, unknown>;

export interface OpenApiOptions {
  /** `info.version` (the package's version). */
  version?: string;
}

const ref = (name: string): JsonObject =>
  name.endsWith('[]') ? { type: 'array', items: { $ref: `#/components/schemas/${name.slice(0, -2)}` } } : { $ref: `#/components/schemas/${name}` };

/** Drops `$schema` and `$id`: the document's `jsonSchemaDialect` and component names say it. */
function withoutMeta(schema: JsonObject): JsonObject {
  const copy = { ...schema };
  delete copy.$schema;
  delete copy.$id;
  return copy;
}

/** JSON Schemas of every component, with `$ref`s between them. */
function componentSchemas(): Record<string, JsonObject> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(COMPONENTS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: 'any',
  });
  const out: Record<string, JsonObject> = {};
  for (const id of Object.keys(COMPONENTS)) {
    out[id] = withoutMeta(schemas[id] as JsonObject);
  }
  return out;
}

/** Path parameter schemas by name. */
function pathParameter(name: string): JsonObject {
  const schema = name === 'name' ? { type: 'string', minLength: 1, maxLength: 253 } : z.toJSONSchema(IdSchema, { target: 'draft-2020-12' });
  return { name, in: 'path', required: true, schema: withoutMeta(schema) };
}

function errorResponses(codes: readonly PortalErrorCode[]): Record<string, JsonObject> {
  const byStatus = new Map<number, PortalErrorCode[]>();
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

function operation(route: Route): JsonObject {
  const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => pathParameter(m[1]!));
  for (const [name, q] of Object.entries(route.query ?? {})) params.push({ name, in: 'query', required: false, description: q.description, schema: q.schema });
  const ok: JsonObject = { description: route.ok.status === 204 ? 'Done; no content' : 'Success' };
  if (route.ok.schema) ok.content = { 'application/json': { schema: ref(route.ok.schema) } };
  const op: JsonObject = {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.security === 'portalToken' ? 'portal' : route.security === 'adminKey' ? 'admin' : 'sso'],
    security: route.security === 'none' ? [] : [{ [route.security]: [] }],
  };
  if (params.length) op.parameters = params;
  if (route.body) op.requestBody = { required: true, content: { 'application/json': { schema: ref(route.body) } } };
  const common = route.security === 'none' ? COMMON_ERRORS.filter((c) => c !== 'session_expired') : COMMON_ERRORS;
  const codes = [...new Set([...common, ...(route.errors ?? [])])];
  op.responses = { [String(route.ok.status)]: ok, ...errorResponses(codes) };
  return op;
}

/** The OpenAPI 3.1 document of the portal and admin REST APIs. */
export function buildOpenApi(options: OpenApiOptions = {}): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of ROUTES) (paths[route.path] ??= {})[route.method] = operation(route);
  return {
    openapi: '3.1.0',
    info: {
      title: 'sso-admin-portal REST API',
      version: options.version ?? '0.0.0',
      description:
        'The backend contract of <sso-admin-portal> (docs/rest-api.md), generated from the zod schemas in src/core/model.ts by `npm run openapi`. Errors are application/problem+json with a stable `code`.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    tags: [
      { name: 'portal', description: 'Portal API: `Authorization: Bearer <portal token>`, scoped to the token’s organization' },
      { name: 'admin', description: 'Admin API: `Authorization: Bearer <admin key>`' },
      { name: 'sso', description: 'Sign-in routing for host login pages: public, rate-limited per client' },
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
