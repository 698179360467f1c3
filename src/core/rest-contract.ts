/**
 * The REST contract (docs/rest-api.md) as data: every route the server serves under `/api`,
 * with its method, path, who may call it, and the zod/mini schemas of its request and answer.
 *
 * One table, read by three parties: the server's Hono routes validate requests with it
 * (`src/server/contract-routes.ts`), the `HttpAdapter` builds its requests from it and validates
 * the answers with it, and the OpenAPI generator (`src/server/openapi.ts`) describes it.
 *
 * Pure: no DOM, no Node. Only the HttpAdapter's lazy chunk carries it in the browser, so it
 * holds schemas and paths only; the prose of the OpenAPI document lives with the generator.
 */
import * as z from 'zod/mini';
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
} from './model.js';
import type { MetadataErrorCode, MetadataInputKind, MetadataResult, MetadataWarningCode } from './saml-metadata.js';

// ---------------------------------------------------------------------------------------
// Request and answer envelopes of the routes (the domain shapes are in model.ts)

/** The version a write read (the connection's own schema, so the messages are the same). */
const VersionSchema = ConnectionSchema.shape.version;

export const ConnectionUpdateSchema = z.object({ version: VersionSchema, changes: ConnectionPatchSchema });
export const EnabledUpdateSchema = z.object({ version: VersionSchema, enabled: z.boolean({ error: 'must be true or false' }) });
export const TestRequestSchema = z.object({ mode: TestModeSchema });
export const MetadataRequestSchema = z.object({ url: HttpUrlSchema });
export const MetadataAnswerSchema = z.object({ xml: z.string() });

/**
 * SAML metadata read on the server (the same reader as `core/saml-metadata.ts`): pasted XML or a
 * URL the server downloads (SSRF-guarded), and the entity to take from an aggregate. Exactly one
 * of `xml` and `url`. Its body may be as large as the metadata limit (`SAML_METADATA_MAX_BYTES`,
 * twice that as JSON text), above the API's usual body limit.
 */
export const MetadataReadRequestSchema = z.object({
  xml: z.optional(z.string({ error: 'must be text' })),
  url: z.optional(HttpUrlSchema),
  entityId: z.optional(z.string({ error: 'must be text' }).check(z.minLength(1, { error: 'must not be empty' }), z.maxLength(2048, { error: 'must be at most 2048 characters' }))),
});

// The reader's answer: its shape is checked here; codes and texts are the reader's (core/saml-metadata.ts).
const MetadataCodeSchema = <C extends string>() => z.custom<C>((value) => typeof value === 'string' && /^[a-z][a-z0-9_]{0,63}$/.test(value));
const SamlCertificateSchema = z.object({
  pem: z.string(),
  subject: z.string(),
  issuer: z.string(),
  serialNumber: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  fingerprintSha256: z.string(),
  keyAlgorithm: z.string(),
  keySize: z.nullable(z.number()),
  curve: z.optional(z.string()),
  signatureAlgorithm: z.string(),
  selfSigned: z.boolean(),
});
const MetadataWarningSchema = z.object({ code: MetadataCodeSchema<MetadataWarningCode>(), message: z.string(), fingerprintSha256: z.optional(z.string()) });
const MetadataEntityChoiceSchema = z.object({ entityId: z.string(), displayName: z.optional(z.string()) });
export const MetadataResultSchema: z.ZodMiniType<MetadataResult> = z.union([
  z.object({
    ok: z.literal(true),
    metadata: z.object({
      entityId: z.string(),
      displayName: z.optional(z.string()),
      ssoServices: z.array(z.object({ binding: z.string(), location: z.string() })),
      signingCertificates: z.array(SamlCertificateSchema),
      encryptionCertificates: z.array(SamlCertificateSchema),
      nameIdFormats: z.array(z.string()),
      validUntil: z.nullable(z.string()),
      wantAuthnRequestsSigned: z.nullable(z.boolean()),
    }),
    warnings: z.array(MetadataWarningSchema),
  }),
  z.object({
    ok: z.literal(false),
    error: z.object({
      code: MetadataCodeSchema<MetadataErrorCode>(),
      message: z.string(),
      remedy: z.string(),
      kind: z.optional(MetadataCodeSchema<MetadataInputKind>()),
      line: z.optional(z.number()),
      column: z.optional(z.number()),
      sizeBytes: z.optional(z.number()),
      limitBytes: z.optional(z.number()),
      entities: z.optional(z.array(MetadataEntityChoiceSchema)),
      entityId: z.optional(z.string()),
      reason: z.optional(z.string()),
    }),
  }),
]);
export const DiscoveryRequestSchema = z.object({ issuer: HttpUrlSchema });
export const DiscoveryAnswerSchema = z.object({ document: z.record(z.string(), z.unknown()) });

/** A domain name as typed (text of at most 253 characters): `core/domains.ts` checks and normalises it. */
const DomainNameSchema = DomainSchema.shape.name;
export const DomainRequestSchema = z.object({ name: DomainNameSchema });

/** Seconds to hold `GET /tests/:testId` while the test is pending (the contract's maximum). */
export const MAX_TEST_WAIT_SECONDS = 25;

// Path parameters
const IdParam = <N extends string>(name: N) => z.object({ [name]: IdSchema } as Record<N, typeof IdSchema>);
const ConnectionIdParams = z.object({ id: IdSchema });
const DomainNameParams = z.object({ name: DomainNameSchema });

// ---------------------------------------------------------------------------------------
// The route table

export type RestMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
/** Who may call a route: a portal token, the admin key, or anyone. */
export type RestAuth = 'portal' | 'admin' | 'public';

export interface RestRouteDefinition {
  method: RestMethod;
  /** Hono path, e.g. `/api/portal/connections/:id`. */
  path: string;
  auth: RestAuth;
  request?: {
    /** Path parameters. One that does not fit cannot name anything: `notFound` (default `not_found`), not a validation error. */
    params?: z.ZodMiniObject;
    query?: z.ZodMiniObject;
    /** The JSON body. */
    body?: z.ZodMiniType;
    /** Names the body in validation messages ("Connection is not valid: ..."). */
    what?: string;
    /** An empty body counts as `{}`. */
    optionalBody?: boolean;
    notFound?: 'not_found' | 'test_not_found';
  };
  /** The JSON answer; none for 204. */
  response?: z.ZodMiniType;
  status: 200 | 201 | 204;
}

export type RestRoute<Id extends string = string> = RestRouteDefinition & { id: Id };

function defineRoutes<const T extends Record<string, RestRouteDefinition>>(definitions: T): { [K in keyof T]: T[K] & { id: K } } {
  const out: Record<string, RestRoute> = {};
  for (const [id, definition] of Object.entries(definitions)) out[id] = { id, ...definition };
  return out as { [K in keyof T]: T[K] & { id: K } };
}

/** The portal API: what the HttpAdapter calls (it imports only these, so the rest stays out of the browser). */
export const PORTAL_REST = defineRoutes({
  getSession: { method: 'GET', path: '/api/portal/session', auth: 'portal', response: PortalSessionSchema, status: 200 },
  listConnections: { method: 'GET', path: '/api/portal/connections', auth: 'portal', response: z.array(ConnectionSchema), status: 200 },
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
  startTest: {
    method: 'POST',
    path: '/api/portal/connections/:id/tests',
    auth: 'portal',
    request: { params: ConnectionIdParams, body: TestRequestSchema, what: 'Test' },
    response: TestStartSchema,
    status: 201,
  },
  listTestResults: { method: 'GET', path: '/api/portal/connections/:id/tests', auth: 'portal', request: { params: ConnectionIdParams }, response: z.array(TestResultSchema), status: 200 },
  getTestResult: {
    method: 'GET',
    path: '/api/portal/tests/:testId',
    auth: 'portal',
    request: {
      params: IdParam('testId'),
      // Seconds, fractions allowed; the server holds the request at most its own limit.
      query: z.object({ wait: z.optional(z.coerce.number({ error: 'must be a number' }).check(z.minimum(0, { error: 'must be at least 0' }), z.maximum(MAX_TEST_WAIT_SECONDS, { error: `must be at most ${MAX_TEST_WAIT_SECONDS}` }))) }),
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
  listDomains: { method: 'GET', path: '/api/portal/domains', auth: 'portal', response: z.array(DomainSchema), status: 200 },
  addDomain: { method: 'POST', path: '/api/portal/domains', auth: 'portal', request: { body: DomainRequestSchema, what: 'Domain' }, response: DomainSchema, status: 201 },
  verifyDomain: { method: 'POST', path: '/api/portal/domains/:name/verify', auth: 'portal', request: { params: DomainNameParams }, response: DomainSchema, status: 200 },
  removeDomain: { method: 'DELETE', path: '/api/portal/domains/:name', auth: 'portal', request: { params: DomainNameParams }, status: 204 },

});

/** The admin API and the public routes: only the server and its OpenAPI document need them. */
// @__NO_SIDE_EFFECTS__
function serverRoutes() {
  // Admin API
  const OrganizationInputSchema = z.object({
    name: z.string({ error: 'must be text' }).check(
      z.minLength(1, { error: 'must not be empty' }),
      z.maxLength(200, { error: 'must be at most 200 characters' }),
    ),
    branding: z.optional(BrandingSchema),
  });
  const OrganizationSchema = z.object({ id: IdSchema, name: z.string(), branding: BrandingSchema, createdAt: TimestampSchema });
  /** Hours, fractions allowed (a settings page mints links of a few minutes); at most one year. */
  const LinkInputSchema = z.object({
    lifetimeHours: z.optional(
      z.number({ error: 'must be a number' }).check(
        z.positive({ error: 'must be more than 0' }),
        z.maximum(24 * 366, { error: 'must be at most 8784 (one year)' }),
      ),
    ),
  });
  const LinkCreatedSchema = z.object({ id: IdSchema, url: HttpUrlSchema, token: z.string(), expiresAt: TimestampSchema });
  const LinkSchema = z.object({ id: IdSchema, expiresAt: TimestampSchema, revokedAt: z.nullable(TimestampSchema), createdAt: TimestampSchema });

  // Home-realm discovery, for host login pages (public)
  const SsoDiscoverRequestSchema = z.object({
    email: z.string({ error: 'must be text' }).check(
      z.minLength(3, { error: 'must be an email address' }),
      z.maxLength(320, { error: 'must be at most 320 characters' }),
    ),
  });
  const SsoDiscoverySchema = z.object({
    organization: z.object({ id: IdSchema, name: z.string() }),
    connection: z.object({ id: IdSchema, protocol: z.enum(['saml', 'oidc']), providerId: IdSchema }),
    /** Where to send the user's browser to sign in. */
    loginUrl: HttpUrlSchema,
  });

  /** The OpenAPI document itself (`GET /api/openapi.json`). */
  const OpenApiDocumentSchema = z.record(z.string(), z.unknown());

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
    listOrganizations: { method: 'GET', path: '/api/admin/organizations', auth: 'admin', response: z.array(OrganizationSchema), status: 200 },
    getOrganization: { method: 'GET', path: '/api/admin/organizations/:orgId', auth: 'admin', request: { params: IdParam('orgId') }, response: OrganizationSchema, status: 200 },
    createLink: {
      method: 'POST',
      path: '/api/admin/organizations/:orgId/links',
      auth: 'admin',
      request: { params: IdParam('orgId'), body: LinkInputSchema, what: 'Link', optionalBody: true },
      response: LinkCreatedSchema,
      status: 201,
    },
    listLinks: { method: 'GET', path: '/api/admin/organizations/:orgId/links', auth: 'admin', request: { params: IdParam('orgId') }, response: z.array(LinkSchema), status: 200 },
    revokeLink: { method: 'DELETE', path: '/api/admin/links/:linkId', auth: 'admin', request: { params: IdParam('linkId') }, status: 204 },
    verifyDomainManually: {
      method: 'POST',
      path: '/api/admin/organizations/:orgId/domains/:name/verify',
      auth: 'admin',
      request: { params: z.object({ orgId: IdSchema, name: DomainNameSchema }) },
      response: DomainSchema,
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
  return { ...PORTAL_REST, ...serverRoutes() };
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
