/**
 * The contract between the element, its adapters and any backend, as valibot schemas.
 *
 * This file is the one source of truth: TypeScript types are inferred from it, adapters
 * validate what they receive with it, and the REST routes and OpenAPI document derive from
 * it. It is pure: no DOM, no Lit, safe in browsers and in Node.
 */
import * as v from 'valibot';
import { PortalError } from './errors.js';
import { INVALID, httpUrl, lengthFirst, object, record, wholeNumber, withLengthChecks } from './schema-helpers.js';
import { TEST_FAILURE_CODES, TEST_WARNING_CODES } from './test-codes.js';

// ---------------------------------------------------------------------------------------
// Building blocks

const MAX_TEXT = 2048;
const MAX_PEM = 16_384;

/** Text of 1 to `max` characters (directory-model.ts uses it too). */
export const text = (max = MAX_TEXT) =>
  withLengthChecks(v.pipe(v.string('must be text'), v.minLength(1, 'must not be empty'), v.maxLength(max, `must be at most ${max} characters`)));

export const IdSchema = withLengthChecks(
  v.pipe(
    v.string('must be an id'),
    v.minLength(1, 'must not be empty'),
    v.maxLength(128, 'must be at most 128 characters'),
    v.regex(/^[A-Za-z0-9_.:-]+$/, 'may only contain letters, digits, and _ . : -'),
  ),
);

/**
 * An absolute http(s) URL; any host, including localhost and IP addresses (backends in development).
 * Surrounding spaces are trimmed, tabs and newlines removed (see `httpUrl`).
 */
export const HttpUrlSchema = withLengthChecks(
  v.pipe(v.string('must be an http(s) URL'), httpUrl('must be an http(s) URL'), v.maxLength(MAX_TEXT, `must be at most ${MAX_TEXT} characters`)),
);

/**
 * An RFC 3339 date-time with seconds (fractions allowed) and `Z` or a `±hh:mm` offset, on a real
 * calendar day (leap years included), e.g. `2025-01-31T12:00:00Z`.
 */
const DATE_TIME_REGEX =
  /^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|([+-](?:[01]\d|2[0-3]):[0-5]\d)))$/;

export const TimestampSchema = v.pipe(v.string('must be an ISO 8601 date-time'), v.regex(DATE_TIME_REGEX, 'must be an ISO 8601 date-time'));

const HexColorSchema = v.pipe(v.string('must be a colour'), v.regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'must be a hex colour such as #4f46e5'));

const StringListSchema = lengthFirst(v.pipe(v.array(text(512), INVALID), v.maxLength(100, 'must have at most 100 entries')));

// ---------------------------------------------------------------------------------------
// Session

export const ProtocolSchema = v.picklist(['saml', 'oidc'], 'must be "saml" or "oidc"');
export type Protocol = v.InferOutput<typeof ProtocolSchema>;

/** Our service-provider values that the admin copies into the IdP console. */
export const ServiceProviderSchema = object({
  entityId: text(),
  acsUrl: HttpUrlSchema,
  metadataUrl: HttpUrlSchema,
  oidcRedirectUri: HttpUrlSchema,
  /**
   * SAML, backends that sign requests: our signing certificate as a PEM file to download (IdPs
   * that verify signed AuthnRequests ask for it). Absent: the backend has none to offer.
   */
  signingCertificateUrl: v.optional(HttpUrlSchema),
  /**
   * SAML, backends that decrypt assertions: the certificate IdPs encrypt them with, as a PEM file
   * to download (the next one during a key rollover). Absent: the backend has none to offer.
   */
  encryptionCertificateUrl: v.optional(HttpUrlSchema),
});
export type ServiceProvider = v.InferOutput<typeof ServiceProviderSchema>;

/**
 * Where the host's logo is: https (http only on this machine), and nothing that could leave an
 * attribute or a Content-Security-Policy source (quotes, spaces, backslashes, `<`, `>`, `;`, `,`).
 * Pages of the mock server allow images from this URL's origin (`img-src`).
 */
export const LogoUrlSchema = v.pipe(
  HttpUrlSchema,
  v.regex(/^[^"'`<>\s\\;,]*$/, 'must not contain quotes, spaces, backslashes, commas, semicolons or < >'),
  v.regex(/^(?:https:\/\/|http:\/\/(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?(?:[/?#]|$))/i, 'must be an https URL (plain http only for localhost)'),
);

export const BrandingSchema = object({
  /** The host application's name, as shown to the admin ("Connect Megacorp to Acme"). */
  name: text(200),
  logoUrl: v.optional(LogoUrlSchema),
  accentColor: v.optional(HexColorSchema),
});
export type Branding = v.InferOutput<typeof BrandingSchema>;

/** What this portal session may do. */
export const FeaturesSchema = object({
  saml: v.boolean(INVALID),
  oidc: v.boolean(INVALID),
  domains: v.boolean(INVALID),
  /** IdP-initiated test logins. */
  idpInitiatedTest: v.boolean(INVALID),
});
export type Features = v.InferOutput<typeof FeaturesSchema>;

export const PortalSessionSchema = object({
  organization: object({ id: IdSchema, name: text(200) }),
  serviceProvider: ServiceProviderSchema,
  branding: BrandingSchema,
  features: FeaturesSchema,
  /** Development backends: shows the IdP simulator and other tools. */
  devMode: v.boolean(INVALID),
  /**
   * Development backends with an IdP simulator: the values the wizard prefills when the admin
   * picks it. The client secret is the simulator's published development value, not a secret.
   */
  simulator: v.optional(
    object({
      samlMetadataUrl: HttpUrlSchema,
      oidcIssuer: HttpUrlSchema,
      oidcClientId: text(200),
      oidcClientSecret: text(200),
    }),
  ),
  expiresAt: TimestampSchema,
});
export type PortalSession = v.InferOutput<typeof PortalSessionSchema>;

// ---------------------------------------------------------------------------------------
// Connections

export const ConnectionStatusSchema = v.picklist(['draft', 'configured', 'active', 'inactive'], 'must be draft, configured, active or inactive');
export type ConnectionStatus = v.InferOutput<typeof ConnectionStatusSchema>;

export const SamlBindingSchema = v.picklist(['redirect', 'post'], 'must be "redirect" or "post"');
export type SamlBinding = v.InferOutput<typeof SamlBindingSchema>;
/** How the bindings are named to people (consoles say HTTP-Redirect and HTTP-POST). */
export const SAML_BINDING_NAMES: Record<SamlBinding, string> = { redirect: 'HTTP-Redirect', post: 'HTTP-POST' };

/**
 * The most IdP signing certificates a SAML connection holds: room for a rollover or two. Metadata
 * that lists more keeps the best ones (`metadata_signing_certificates_limited`).
 */
export const MAX_SIGNING_CERTIFICATES = 5;

/** The IdP side of a SAML connection, as the backend stores it. */
export const SamlConfigSchema = object({
  idpEntityId: text(),
  ssoUrl: HttpUrlSchema,
  ssoBinding: SamlBindingSchema,
  /** PEM certificates; several during a rollover (at most {@link MAX_SIGNING_CERTIFICATES}, 5). */
  signingCertificates: lengthFirst(
    v.pipe(
      v.array(text(MAX_PEM), INVALID),
      v.minLength(1, 'must have at least one signing certificate'),
      v.maxLength(MAX_SIGNING_CERTIFICATES, `must have at most ${MAX_SIGNING_CERTIFICATES} signing certificates`),
    ),
  ),
  /** Where the metadata came from, when it was imported from a URL (re-read for rotation). */
  metadataUrl: v.optional(HttpUrlSchema),
  nameIdFormat: v.optional(text(256)),
  wantAuthnRequestsSigned: v.optional(v.boolean(INVALID)),
  /** Refuse unencrypted assertions (`encryption_required`); default false: encrypted and plain ones are both accepted. */
  requireEncryptedAssertions: v.optional(v.boolean(INVALID)),
  /**
   * What a refresh of `metadataUrl` does with changed certificates or endpoints: `apply`
   * (default) updates the connection; `review` only proposes the change
   * (`Connection.metadataRefresh.pending`) for the admin to approve or dismiss.
   */
  metadataRefreshMode: v.optional(v.picklist(['apply', 'review'], 'must be apply or review')),
});
export type SamlConfig = v.InferOutput<typeof SamlConfigSchema>;

/** The IdP side of an OIDC connection. The client secret is write-only. */
export const OidcConfigSchema = object({
  issuer: HttpUrlSchema,
  clientId: text(512),
  /** Whether a client secret is stored. The secret itself is never sent back. */
  clientSecretSet: v.boolean(INVALID),
  scopes: StringListSchema,
});
export type OidcConfig = v.InferOutput<typeof OidcConfigSchema>;

/**
 * An OpenID issuer: an http(s) URL with no query and no fragment (OpenID Connect Discovery 1.0
 * §2: scheme, host, port and path only). Its discovery document is at the issuer plus
 * `/.well-known/openid-configuration`.
 */
export const IssuerSchema = v.pipe(
  HttpUrlSchema,
  v.regex(/^[^?#]*$/, 'must not have a query (?…) or a fragment (#…): an issuer is scheme, host and path only'),
);

/** What the admin sends: the secret may be set, never read. */
export const OidcConfigInputSchema = object({
  issuer: IssuerSchema,
  clientId: text(512),
  /** Omit to keep the stored secret; a new issuer or client ID drops it ({@link clientSecretChange}). */
  clientSecret: v.optional(text(4096)),
  scopes: v.optional(StringListSchema),
});
export type OidcConfigInput = v.InferOutput<typeof OidcConfigInputSchema>;

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
export const AttributeMappingSchema = object({
  email: text(512),
  firstName: v.optional(text(512)),
  lastName: v.optional(text(512)),
  groups: v.optional(text(512)),
});
export type AttributeMapping = v.InferOutput<typeof AttributeMappingSchema>;

export const TestModeSchema = v.picklist(['sp', 'idp'], 'must be "sp" or "idp"');
export type TestMode = v.InferOutput<typeof TestModeSchema>;

export const TestStatusSchema = v.picklist(['pending', 'success', 'failure'], 'must be pending, success or failure');
export type TestStatus = v.InferOutput<typeof TestStatusSchema>;

/** The latest test of a connection, as shown in the overview. */
export const LastTestSchema = object({
  id: IdSchema,
  mode: TestModeSchema,
  status: TestStatusSchema,
  errorCode: v.optional(text(64)),
  at: TimestampSchema,
  /** True when the configuration changed after this test: it no longer proves anything. */
  stale: v.boolean(INVALID),
});
export type LastTest = v.InferOutput<typeof LastTestSchema>;

/**
 * One field a metadata refresh found changed: `signingCertificates` by SHA-256 fingerprint
 * (`added`, `removed`); `ssoUrl`, `ssoBinding`, `wantAuthnRequestsSigned` from the stored value to the IdP's.
 */
const Fingerprints = v.optional(v.array(text(128), INVALID));
const ChangedValue = v.optional(v.union([text(), v.boolean()], INVALID));
export const MetadataChangeSchema = object({
  field: v.picklist(['signingCertificates', 'ssoUrl', 'ssoBinding', 'wantAuthnRequestsSigned'], INVALID),
  added: Fingerprints,
  removed: Fingerprints,
  from: ChangedValue,
  to: ChangedValue,
});
export type MetadataChange = v.InferOutput<typeof MetadataChangeSchema>;

/** The backend's latest re-read of a connection's IdP metadata URL (certificate rotation). */
export const MetadataRefreshSchema = object({
  checkedAt: TimestampSchema,
  status: v.picklist(['unchanged', 'updated', 'pending', 'dismissed', 'failed'], INVALID),
  changedAt: v.optional(TimestampSchema),
  note: v.optional(text(1000)),
  /** `updated`: what the change at `changedAt` changed. */
  changes: v.optional(v.array(MetadataChangeSchema, INVALID)),
  /**
   * `review` mode: the change found (since `foundAt`) and the SAML configuration approving it
   * would make. `dismissedAt`: the admin dismissed it (status `dismissed`); it is not proposed
   * again while the metadata differs by exactly it, and can still be approved.
   */
  pending: v.optional(object({ foundAt: TimestampSchema, dismissedAt: v.optional(TimestampSchema), changes: v.array(MetadataChangeSchema, INVALID), saml: SamlConfigSchema })),
  errorCode: v.optional(text(64)),
  error: v.optional(text(MAX_TEXT)),
});
export type MetadataRefresh = v.InferOutput<typeof MetadataRefreshSchema>;

export const ConnectionSchema = object({
  id: IdSchema,
  protocol: ProtocolSchema,
  /** Catalog id of the identity provider, e.g. `okta` or `entra-id`. */
  providerId: IdSchema,
  /** The admin's label for this connection. */
  name: v.optional(text(200)),
  status: ConnectionStatusSchema,
  saml: v.nullable(SamlConfigSchema),
  oidc: v.nullable(OidcConfigSchema),
  attributeMapping: AttributeMappingSchema,
  lastTest: v.nullable(LastTestSchema),
  /**
   * SAML: when the first of the signing certificates expires, as the backend read it from the
   * certificates (read-only; the overview warns from 30 days before).
   */
  certificateExpiresAt: v.optional(v.nullable(TimestampSchema)),
  /**
   * Our SP values for this connection (its own entity ID, ACS URL, SP metadata URL and OIDC
   * redirect URI), set by the backend. Absent on backends with one SP per organization: the
   * session's values apply.
   */
  serviceProvider: v.optional(ServiceProviderSchema),
  /**
   * SAML with a metadata URL: the backend's latest periodic re-read of the IdP metadata
   * (read-only). `updated` means it replaced the signing certificates (`changedAt`, `note`).
   */
  metadataRefresh: v.optional(MetadataRefreshSchema),
  /**
   * SAML: which of the signing certificates verified accepted logins (tests and sign-ins), and
   * when last, newest first (read-only; only certificates the connection holds now). The
   * fingerprint is SHA-256, colon hex, as `parseCertificate` gives it (`certificateUsage` in
   * core/certificate-usage.ts pairs it with the certificates).
   */
  signingCertificateUsage: v.optional(v.array(object({ fingerprint: text(128), lastUsedAt: TimestampSchema }), INVALID)),
  /**
   * Staged activation (`core/rules/staging.ts`): the connection signs in only these test users
   * (emails at verified domains, lower case); everyone else signs in as before. The status stays
   * `configured` or `inactive`, what turning it off returns to. `signedIn`: those of them who
   * signed in through it since (read-only, set by the backend).
   */
  staged: v.optional(object({ testUsers: StringListSchema, signedIn: StringListSchema })),
  /** Increases with every write; writes must carry the version they read. */
  version: v.pipe(wholeNumber('must be a whole number'), v.minValue(1, 'must be at least 1')),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Connection = v.InferOutput<typeof ConnectionSchema>;

export const ConnectionInputSchema = object({
  protocol: ProtocolSchema,
  providerId: IdSchema,
  name: v.optional(text(200)),
  saml: v.optional(v.nullable(SamlConfigSchema)),
  oidc: v.optional(v.nullable(OidcConfigInputSchema)),
  attributeMapping: v.optional(AttributeMappingSchema),
});
export type ConnectionInput = v.InferOutput<typeof ConnectionInputSchema>;

/** A partial update. `protocol` cannot change: create a new connection instead. */
export const ConnectionPatchSchema = v.partial(v.omit(ConnectionInputSchema, ['protocol']));
export type ConnectionPatch = v.InferOutput<typeof ConnectionPatchSchema>;

// ---------------------------------------------------------------------------------------
// Domains

export const DomainStatusSchema = v.picklist(['pending', 'verified', 'failed'], 'must be pending, verified or failed');
export type DomainStatus = v.InferOutput<typeof DomainStatusSchema>;

/** The outcome of one DNS lookup of a domain's TXT record. */
export const DomainCheckSchema = object({
  result: v.picklist(['verified', 'missing', 'wrong_value', 'nxdomain', 'timeout', 'error'], 'must be verified, missing, wrong_value, nxdomain, timeout or error'),
  /** One plain sentence for the admin: what was found and what to do. */
  message: text(1000),
  /** The TXT values found at the record name (a wrong value shows what is there instead). */
  found: v.optional(StringListSchema),
});
export type DomainCheck = v.InferOutput<typeof DomainCheckSchema>;

export const DomainSchema = object({
  name: text(253),
  status: DomainStatusSchema,
  /** The DNS TXT record the admin creates to prove ownership. */
  txtRecord: object({ name: text(253), value: text(512) }),
  method: v.picklist(['dns_txt', 'manual'], 'must be "dns_txt" or "manual"'),
  verifiedAt: v.nullable(TimestampSchema),
  lastCheckedAt: v.nullable(TimestampSchema),
  /** What the latest DNS check found, in plain words (absent before the first check). */
  lastCheck: v.optional(DomainCheckSchema),
});
export type Domain = v.InferOutput<typeof DomainSchema>;

// ---------------------------------------------------------------------------------------
// Tests

export const TestFailureCodeSchema = v.picklist(TEST_FAILURE_CODES, 'must be a known test failure code');

/** What the identity provider said about the user, normalised. */
export const ReceivedProfileSchema = object({
  email: v.optional(text(512)),
  firstName: v.optional(text(512)),
  lastName: v.optional(text(512)),
  groups: v.optional(StringListSchema),
  /** SAML NameID or OIDC `sub`. */
  subject: v.optional(text(1024)),
});
export type ReceivedProfile = v.InferOutput<typeof ReceivedProfileSchema>;

export const TestErrorSchema = object({
  code: TestFailureCodeSchema,
  message: text(),
  remedy: text(),
  /** Expected and received values (audience, destination, clock times, fingerprints...). */
  details: v.optional(record(v.unknown())),
});
export type TestError = v.InferOutput<typeof TestErrorSchema>;

/** A test login that worked but with something the admin should know (see `TEST_WARNINGS`). */
export const TestWarningSchema = object({
  code: v.picklist(TEST_WARNING_CODES, INVALID),
  message: text(),
  remedy: text(),
  details: v.optional(record(v.unknown())),
});
export type TestWarning = v.InferOutput<typeof TestWarningSchema>;

export const TestResultSchema = object({
  id: IdSchema,
  connectionId: IdSchema,
  mode: TestModeSchema,
  status: TestStatusSchema,
  profile: v.nullable(ReceivedProfileSchema),
  /** Every attribute (SAML) or claim (OIDC) that arrived, as strings. */
  rawAttributes: record(v.array(v.string(INVALID), INVALID)),
  error: v.nullable(TestErrorSchema),
  /** On a success: what real sign-ins will still need (e.g. a verified domain). */
  warnings: v.optional(v.array(TestWarningSchema, INVALID)),
  startedAt: TimestampSchema,
  completedAt: v.nullable(TimestampSchema),
});
/**
 * `testLinkId`: run by a colleague through this test link (core/test-link-model.ts), not by the
 * admin. Backends send it with the test; its schema is `TestLinkSchema`'s `result` (the panel of
 * test links reads it), so the first load's schemas carry none of it.
 */
export type TestResult = v.InferOutput<typeof TestResultSchema> & { testLinkId?: string };

export const TestStartSchema = object({
  testId: IdSchema,
  /** Where the admin's browser goes to log in (SP-initiated). */
  loginUrl: v.optional(HttpUrlSchema),
});
export type TestStart = v.InferOutput<typeof TestStartSchema>;

// ---------------------------------------------------------------------------------------
// Validation helpers

/** One problem with an input, naming the field it concerns. */
export interface FieldIssue {
  /** Dotted path to the field, e.g. `saml.ssoUrl`; empty for the whole value. */
  path: string;
  message: string;
}

function issuesOf(issues: readonly v.BaseIssue<unknown>[]): FieldIssue[] {
  return issues.map((issue) => ({
    path: (issue.path ?? []).map((item) => String(item.key)).join('.'),
    message: issue.message,
  }));
}

/** "saml.ssoUrl: must be an http(s) URL; version: must be at least 1" */
export function formatIssues(issues: readonly FieldIssue[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

/** A schema of the contract whose valid values are `T`. */
export type Schema<T = unknown> = v.GenericSchema<unknown, T>;

/** Validates without throwing. */
export function validate<T>(schema: Schema<T>, value: unknown): ValidationResult<T> {
  const result = v.safeParse(schema, value, { message: INVALID });
  return result.success ? { ok: true, value: result.output } : { ok: false, issues: issuesOf(result.issues) };
}

/**
 * Validates or throws a `validation_failed` PortalError whose message names each bad field,
 * prefixed with `what` (e.g. "Connection").
 */
export function parseOrThrow<T>(schema: Schema<T>, value: unknown, what: string): T {
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
