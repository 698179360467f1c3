/**
 * The contract between the element, its adapters and any backend, as zod/mini schemas.
 *
 * This file is the one source of truth: TypeScript types are inferred from it, adapters
 * validate what they receive with it, and the REST routes and OpenAPI document derive from
 * it. It is pure: no DOM, no Lit, safe in browsers and in Node.
 */
import * as z from 'zod/mini';
import { PortalError } from './errors.js';
import { TEST_FAILURE_CODES, TEST_WARNING_CODES } from './test-codes.js';

// ---------------------------------------------------------------------------------------
// Building blocks

const MAX_TEXT = 2048;
const MAX_PEM = 16_384;

const text = (max = MAX_TEXT) =>
  z.string({ error: 'must be text' }).check(
    z.minLength(1, { error: 'must not be empty' }),
    z.maxLength(max, { error: `must be at most ${max} characters` }),
  );

export const IdSchema = z.string({ error: 'must be an id' }).check(
  z.minLength(1, { error: 'must not be empty' }),
  z.maxLength(128, { error: 'must be at most 128 characters' }),
  z.regex(/^[A-Za-z0-9_.:-]+$/, { error: 'may only contain letters, digits, and _ . : -' }),
);

/** An absolute http(s) URL; any host, including localhost and IP addresses (backends in development). */
export const HttpUrlSchema = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).check(
  z.maxLength(MAX_TEXT, { error: `must be at most ${MAX_TEXT} characters` }),
);

export const TimestampSchema = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });

const HexColorSchema = z.string({ error: 'must be a colour' }).check(
  z.regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, { error: 'must be a hex colour such as #4f46e5' }),
);

const StringListSchema = z.array(text(512)).check(z.maxLength(100, { error: 'must have at most 100 entries' }));

// ---------------------------------------------------------------------------------------
// Session

export const ProtocolSchema = z.enum(['saml', 'oidc'], { error: 'must be "saml" or "oidc"' });
export type Protocol = z.infer<typeof ProtocolSchema>;

/** Our service-provider values that the admin copies into the IdP console. */
export const ServiceProviderSchema = z.object({
  entityId: text(),
  acsUrl: HttpUrlSchema,
  metadataUrl: HttpUrlSchema,
  oidcRedirectUri: HttpUrlSchema,
});
export type ServiceProvider = z.infer<typeof ServiceProviderSchema>;

/**
 * Where the host's logo is: https (http only on this machine), and nothing that could leave an
 * attribute or a Content-Security-Policy source (quotes, spaces, backslashes, `<`, `>`, `;`, `,`).
 * Pages of the mock server allow images from this URL's origin (`img-src`).
 */
export const LogoUrlSchema = HttpUrlSchema.check(
  z.regex(/^[^"'`<>\s\\;,]*$/, { error: 'must not contain quotes, spaces, backslashes, commas, semicolons or < >' }),
  z.regex(/^(?:https:\/\/|http:\/\/(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?(?:[/?#]|$))/i, {
    error: 'must be an https URL (plain http only for localhost)',
  }),
);

export const BrandingSchema = z.object({
  /** The host application's name, as shown to the admin ("Connect Megacorp to Acme"). */
  name: text(200),
  logoUrl: z.optional(LogoUrlSchema),
  accentColor: z.optional(HexColorSchema),
});
export type Branding = z.infer<typeof BrandingSchema>;

/** What this portal session may do. */
export const FeaturesSchema = z.object({
  saml: z.boolean(),
  oidc: z.boolean(),
  domains: z.boolean(),
  /** IdP-initiated test logins. */
  idpInitiatedTest: z.boolean(),
});
export type Features = z.infer<typeof FeaturesSchema>;

export const PortalSessionSchema = z.object({
  organization: z.object({ id: IdSchema, name: text(200) }),
  serviceProvider: ServiceProviderSchema,
  branding: BrandingSchema,
  features: FeaturesSchema,
  /** Development backends: shows the IdP simulator and other tools. */
  devMode: z.boolean(),
  /**
   * Development backends with an IdP simulator: the values the wizard prefills when the admin
   * picks it. The client secret is the simulator's published development value, not a secret.
   */
  simulator: z.optional(
    z.object({
      samlMetadataUrl: HttpUrlSchema,
      oidcIssuer: HttpUrlSchema,
      oidcClientId: text(200),
      oidcClientSecret: text(200),
    }),
  ),
  expiresAt: TimestampSchema,
});
export type PortalSession = z.infer<typeof PortalSessionSchema>;

// ---------------------------------------------------------------------------------------
// Connections

export const ConnectionStatusSchema = z.enum(['draft', 'configured', 'active', 'inactive'], {
  error: 'must be draft, configured, active or inactive',
});
export type ConnectionStatus = z.infer<typeof ConnectionStatusSchema>;

export const SamlBindingSchema = z.enum(['redirect', 'post'], { error: 'must be "redirect" or "post"' });
export type SamlBinding = z.infer<typeof SamlBindingSchema>;

/** The IdP side of a SAML connection, as the backend stores it. */
export const SamlConfigSchema = z.object({
  idpEntityId: text(),
  ssoUrl: HttpUrlSchema,
  ssoBinding: SamlBindingSchema,
  /** PEM certificates; several during a rollover. */
  signingCertificates: z.array(text(MAX_PEM)).check(
    z.minLength(1, { error: 'must have at least one signing certificate' }),
    z.maxLength(10, { error: 'must have at most 10 certificates' }),
  ),
  /** Where the metadata came from, when it was imported from a URL (re-read for rotation). */
  metadataUrl: z.optional(HttpUrlSchema),
  nameIdFormat: z.optional(text(256)),
  wantAuthnRequestsSigned: z.optional(z.boolean()),
});
export type SamlConfig = z.infer<typeof SamlConfigSchema>;

/** The IdP side of an OIDC connection. The client secret is write-only. */
export const OidcConfigSchema = z.object({
  issuer: HttpUrlSchema,
  clientId: text(512),
  /** Whether a client secret is stored. The secret itself is never sent back. */
  clientSecretSet: z.boolean(),
  scopes: StringListSchema,
});
export type OidcConfig = z.infer<typeof OidcConfigSchema>;

/**
 * An OpenID issuer: an http(s) URL with no query and no fragment (OpenID Connect Discovery 1.0
 * §2: scheme, host, port and path only). Its discovery document is at the issuer plus
 * `/.well-known/openid-configuration`.
 */
export const IssuerSchema = HttpUrlSchema.check(
  z.regex(/^[^?#]*$/, { error: 'must not have a query (?…) or a fragment (#…): an issuer is scheme, host and path only' }),
);

/** What the admin sends: the secret may be set, never read. */
export const OidcConfigInputSchema = z.object({
  issuer: IssuerSchema,
  clientId: text(512),
  /** Omit to keep the stored secret; a new issuer or client ID drops it ({@link clientSecretChange}). */
  clientSecret: z.optional(text(4096)),
  scopes: z.optional(StringListSchema),
});
export type OidcConfigInput = z.infer<typeof OidcConfigInputSchema>;

/**
 * What a change of an OIDC configuration does to the stored client secret: a new secret
 * replaces it; without one, it is kept only while the issuer and the client ID stay exactly
 * the same. The secret belongs to that client at that issuer: sent to another issuer's token
 * endpoint, it would be given away. `previous` is the stored configuration (null: none yet).
 */
export function clientSecretChange(
  previous: Pick<OidcConfig, 'issuer' | 'clientId'> | null | undefined,
  next: Pick<OidcConfigInput, 'issuer' | 'clientId' | 'clientSecret'>,
): 'replace' | 'keep' | 'drop' {
  if (next.clientSecret !== undefined) return 'replace';
  return previous && previous.issuer === next.issuer && previous.clientId === next.clientId ? 'keep' : 'drop';
}

/** Which IdP attribute (SAML) or claim (OIDC) carries each profile field. */
export const AttributeMappingSchema = z.object({
  email: text(512),
  firstName: z.optional(text(512)),
  lastName: z.optional(text(512)),
  groups: z.optional(text(512)),
});
export type AttributeMapping = z.infer<typeof AttributeMappingSchema>;

export const TestModeSchema = z.enum(['sp', 'idp'], { error: 'must be "sp" or "idp"' });
export type TestMode = z.infer<typeof TestModeSchema>;

export const TestStatusSchema = z.enum(['pending', 'success', 'failure'], {
  error: 'must be pending, success or failure',
});
export type TestStatus = z.infer<typeof TestStatusSchema>;

/** The latest test of a connection, as shown in the overview. */
export const LastTestSchema = z.object({
  id: IdSchema,
  mode: TestModeSchema,
  status: TestStatusSchema,
  errorCode: z.optional(text(64)),
  at: TimestampSchema,
  /** True when the configuration changed after this test: it no longer proves anything. */
  stale: z.boolean(),
});
export type LastTest = z.infer<typeof LastTestSchema>;

/** The backend's latest re-read of a connection's IdP metadata URL (certificate rotation). */
export const MetadataRefreshSchema = z.object({
  checkedAt: TimestampSchema,
  status: z.enum(['unchanged', 'updated', 'failed'], { error: 'must be unchanged, updated or failed' }),
  changedAt: z.optional(TimestampSchema),
  note: z.optional(text(1000)),
  errorCode: z.optional(text(64)),
  error: z.optional(text(MAX_TEXT)),
});
export type MetadataRefresh = z.infer<typeof MetadataRefreshSchema>;

export const ConnectionSchema = z.object({
  id: IdSchema,
  protocol: ProtocolSchema,
  /** Catalog id of the identity provider, e.g. `okta` or `entra-id`. */
  providerId: IdSchema,
  /** The admin's label for this connection. */
  name: z.optional(text(200)),
  status: ConnectionStatusSchema,
  saml: z.nullable(SamlConfigSchema),
  oidc: z.nullable(OidcConfigSchema),
  attributeMapping: AttributeMappingSchema,
  lastTest: z.nullable(LastTestSchema),
  /**
   * SAML: when the first of the signing certificates expires, as the backend read it from the
   * certificates (read-only; the overview warns from 30 days before).
   */
  certificateExpiresAt: z.optional(z.nullable(TimestampSchema)),
  /**
   * Our SP values for this connection (its own entity ID, ACS URL, SP metadata URL and OIDC
   * redirect URI), set by the backend. Absent on backends with one SP per organization: the
   * session's values apply.
   */
  serviceProvider: z.optional(ServiceProviderSchema),
  /**
   * SAML with a metadata URL: the backend's latest periodic re-read of the IdP metadata
   * (read-only). `updated` means it replaced the signing certificates (`changedAt`, `note`).
   */
  metadataRefresh: z.optional(MetadataRefreshSchema),
  /** Increases with every write; writes must carry the version they read. */
  version: z.int({ error: 'must be a whole number' }).check(z.minimum(1, { error: 'must be at least 1' })),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Connection = z.infer<typeof ConnectionSchema>;

export const ConnectionInputSchema = z.object({
  protocol: ProtocolSchema,
  providerId: IdSchema,
  name: z.optional(text(200)),
  saml: z.optional(z.nullable(SamlConfigSchema)),
  oidc: z.optional(z.nullable(OidcConfigInputSchema)),
  attributeMapping: z.optional(AttributeMappingSchema),
});
export type ConnectionInput = z.infer<typeof ConnectionInputSchema>;

/** A partial update. `protocol` cannot change: create a new connection instead. */
export const ConnectionPatchSchema = z.partial(z.omit(ConnectionInputSchema, { protocol: true }));
export type ConnectionPatch = z.infer<typeof ConnectionPatchSchema>;

// ---------------------------------------------------------------------------------------
// Domains

export const DomainStatusSchema = z.enum(['pending', 'verified', 'failed'], {
  error: 'must be pending, verified or failed',
});
export type DomainStatus = z.infer<typeof DomainStatusSchema>;

/** The outcome of one DNS lookup of a domain's TXT record. */
export const DomainCheckSchema = z.object({
  result: z.enum(['verified', 'missing', 'wrong_value', 'nxdomain', 'timeout', 'error'], {
    error: 'must be verified, missing, wrong_value, nxdomain, timeout or error',
  }),
  /** One plain sentence for the admin: what was found and what to do. */
  message: text(1000),
  /** The TXT values found at the record name (a wrong value shows what is there instead). */
  found: z.optional(StringListSchema),
});
export type DomainCheck = z.infer<typeof DomainCheckSchema>;

export const DomainSchema = z.object({
  name: text(253),
  status: DomainStatusSchema,
  /** The DNS TXT record the admin creates to prove ownership. */
  txtRecord: z.object({ name: text(253), value: text(512) }),
  method: z.enum(['dns_txt', 'manual'], { error: 'must be "dns_txt" or "manual"' }),
  verifiedAt: z.nullable(TimestampSchema),
  lastCheckedAt: z.nullable(TimestampSchema),
  /** What the latest DNS check found, in plain words (absent before the first check). */
  lastCheck: z.optional(DomainCheckSchema),
});
export type Domain = z.infer<typeof DomainSchema>;

// ---------------------------------------------------------------------------------------
// Tests

export const TestFailureCodeSchema = z.enum(TEST_FAILURE_CODES, {
  error: 'must be a known test failure code',
});

/** What the identity provider said about the user, normalised. */
export const ReceivedProfileSchema = z.object({
  email: z.optional(text(512)),
  firstName: z.optional(text(512)),
  lastName: z.optional(text(512)),
  groups: z.optional(StringListSchema),
  /** SAML NameID or OIDC `sub`. */
  subject: z.optional(text(1024)),
});
export type ReceivedProfile = z.infer<typeof ReceivedProfileSchema>;

export const TestErrorSchema = z.object({
  code: TestFailureCodeSchema,
  message: text(),
  remedy: text(),
  /** Expected and received values (audience, destination, clock times, fingerprints...). */
  details: z.optional(z.record(z.string(), z.unknown())),
});
export type TestError = z.infer<typeof TestErrorSchema>;

/** A test login that worked but with something the admin should know (see `TEST_WARNINGS`). */
export const TestWarningSchema = z.object({
  code: z.enum(TEST_WARNING_CODES),
  message: text(),
  remedy: text(),
  details: z.optional(z.record(z.string(), z.unknown())),
});
export type TestWarning = z.infer<typeof TestWarningSchema>;

export const TestResultSchema = z.object({
  id: IdSchema,
  connectionId: IdSchema,
  mode: TestModeSchema,
  status: TestStatusSchema,
  profile: z.nullable(ReceivedProfileSchema),
  /** Every attribute (SAML) or claim (OIDC) that arrived, as strings. */
  rawAttributes: z.record(z.string(), z.array(z.string())),
  error: z.nullable(TestErrorSchema),
  /** On a success: what real sign-ins will still need (e.g. a verified domain). */
  warnings: z.optional(z.array(TestWarningSchema)),
  startedAt: TimestampSchema,
  completedAt: z.nullable(TimestampSchema),
});
export type TestResult = z.infer<typeof TestResultSchema>;

export const TestStartSchema = z.object({
  testId: IdSchema,
  /** Where the admin's browser goes to log in (SP-initiated). */
  loginUrl: z.optional(HttpUrlSchema),
});
export type TestStart = z.infer<typeof TestStartSchema>;

// ---------------------------------------------------------------------------------------
// Validation helpers

/** One problem with an input, naming the field it concerns. */
export interface FieldIssue {
  /** Dotted path to the field, e.g. `saml.ssoUrl`; empty for the whole value. */
  path: string;
  message: string;
}

interface ZodLikeIssue {
  path: readonly PropertyKey[];
  message: string;
}

function issuesOf(error: { issues: readonly ZodLikeIssue[] }): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

/** "saml.ssoUrl: must be an http(s) URL; version: must be at least 1" */
export function formatIssues(issues: readonly FieldIssue[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

/** Validates without throwing. */
export function validate<T>(schema: z.ZodMiniType<T>, value: unknown): ValidationResult<T> {
  const result = schema.safeParse(value);
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: issuesOf(result.error) };
}

/**
 * Validates or throws a `validation_failed` PortalError whose message names each bad field,
 * prefixed with `what` (e.g. "Connection").
 */
export function parseOrThrow<T>(schema: z.ZodMiniType<T>, value: unknown, what: string): T {
  const result = validate(schema, value);
  if (result.ok) return result.value;
  return fail(what, result.issues);
}

function fail(what: string, issues: FieldIssue[]): never {
  throw new PortalError('validation_failed', {
    message: `${what} is not valid: ${formatIssues(issues)}`,
    details: { issues },
  });
}
