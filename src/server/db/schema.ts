/**
 * The tables of the SQL store, as Kysely types (the migrations in `migrations/` create them).
 *
 * Shapes follow the records the server keeps today (`../types.ts`, `../../core/model.ts`):
 * what queries filter, join or constrain on is a column; the rest of a record is one `jsonb`
 * value. Columns are snake_case. Times are `timestamptz`: both drivers read them as `Date`
 * and accept a `Date` or an ISO string. No `bigint`/`numeric` columns: `pg` reads those as
 * strings and PGlite does not, so they would differ between the two drivers.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { ActorKind } from '../../core/event-types.js';
import type { DirectoryProviderId, DirectoryRequestFacts, DirectoryStatus, DirectorySummaryValues } from '../../core/directory-model.js';
import type { LoginAttempt } from '../../core/login-trace.js';
import type { Branding, Connection, ConnectionStatus, DomainCheck, DomainStatus, Protocol, TestMode, TestResult, TestStatus } from '../../core/model.js';

/** A `timestamptz` column: read as a `Date`, written as a `Date` or an ISO 8601 string. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A `timestamptz` column that defaults to `now()` on insert. */
export type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** A `jsonb` column holding `T` (both drivers parse it on read; writes take the value itself). */
export type Json<T> = ColumnType<T, T, T>;

export interface OrganizationsTable {
  id: string;
  name: string;
  branding: Json<Branding>;
  created_at: CreatedAt;
}

/** Portal links. Only a SHA-256 hash of the token is stored (unique). */
export interface PortalLinksTable {
  id: string;
  organization_id: string;
  token_hash: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** An embed session (migration 0005): renewed to this many seconds after each request; null: fixed lifetime. */
  session_seconds: ColumnType<number | null, number | null | undefined, number | null>;
}

/** Single-use links a host frames (migration 0005). Only a SHA-256 hash of the token is stored (unique). */
export interface EmbedLinksTable {
  id: string;
  organization_id: string;
  token_hash: string;
  parent_origin: string;
  session_seconds: number;
  created_at: CreatedAt;
  expires_at: Timestamp;
  consumed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** Test links for a colleague (migration 0007, `../store/test-link-store.ts`). */
export interface TestLinksTable {
  id: string;
  organization_id: string;
  connection_id: string;
  token_hash: string;
  label: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  test_id: string | null;
}

/** What a connection holds besides its columns. */
export type ConnectionConfig = Omit<Connection, 'id' | 'protocol' | 'providerId' | 'name' | 'status' | 'version' | 'createdAt' | 'updatedAt'>;

export interface ConnectionsTable {
  id: string;
  organization_id: string;
  protocol: Protocol;
  provider_id: string;
  name: string | null;
  status: ConnectionStatus;
  config: Json<ConnectionConfig>;
  /** Starts at 1; every write is `UPDATE ... SET version = version + 1 WHERE version = <read>`. */
  version: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** OIDC client secrets, encrypted by the application (never plain text in the database). */
export interface ClientSecretsTable {
  connection_id: string;
  organization_id: string;
  /** The encrypted secret (`enc:v1:` + IV, tag and data, as the JSON store writes it). */
  ciphertext: string;
  /** Which key encrypted it (a fingerprint), so a key rotation knows what is left to re-encrypt. */
  key_id: string;
  updated_at: Timestamp;
}

/** What a test result holds besides its columns. */
export type TestResultDetails = Pick<TestResult, 'profile' | 'rawAttributes' | 'error' | 'warnings' | 'testLinkId'>;

export interface TestResultsTable {
  id: string;
  organization_id: string;
  connection_id: string;
  mode: TestMode;
  status: TestStatus;
  result: Json<TestResultDetails>;
  started_at: Timestamp;
  completed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Pending while its connection's configuration changed: it ends as a `stale` lastTest (migration 0002). */
  stale: Generated<boolean>;
}

export interface DomainsTable {
  organization_id: string;
  /** Normalised (`normalizeDomain`: lower case, punycode). Verified names are unique across organizations. */
  name: string;
  status: DomainStatus;
  method: 'dns_txt' | 'manual';
  txt_record_name: string;
  txt_record_value: string;
  verified_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  last_checked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  last_check: ColumnType<DomainCheck | null, DomainCheck | null | undefined, DomainCheck | null>;
  created_at: CreatedAt;
}

/** Logins in flight (SAML RelayState / OIDC state), used once. */
export interface LoginTransactionsTable {
  /** RelayState or `state`: unguessable. */
  key: string;
  purpose: 'test' | 'sign-in';
  organization_id: string;
  connection_id: string;
  protocol: Protocol;
  /** The rest of the pending login (test id, nonce, PKCE verifier, AuthnRequest ID, return path...). */
  payload: Json<Record<string, unknown>>;
  created_at: CreatedAt;
  expires_at: Timestamp;
  /** Set when an answer used it: a second answer for the same key is a replay. */
  used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** SAML assertions already accepted, per connection, until they would have expired anyway. */
export interface ReplayCacheTable {
  connection_id: string;
  /** SHA-256 (base64url) of the assertion's issuer and ID: no identifier is stored. */
  assertion_id_hash: string;
  expires_at: Timestamp;
}

/** Users signed in through SSO (the demo host app's sessions). */
export interface SignInSessionsTable {
  /** SHA-256 of the session cookie's value. */
  id_hash: string;
  organization_id: string;
  connection_id: string;
  /** The signed-in user (`SignedInUser`: organization, connection, profile, signedInAt). */
  user: Json<Record<string, unknown>>;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

/** Signing keys of the simulators and the SP (`saml-idp`, `oidc-idp`, ...). */
export interface KeysTable {
  name: string;
  /** PKCS#8 PEM, encrypted by the application like client secrets. */
  private_key_ciphertext: string;
  key_id: string;
  certificate_pem: string;
  created_at: CreatedAt;
}

/** Token buckets of the rate limits, shared by every instance. */
export interface RateLimitBucketsTable {
  key: string;
  tokens: number;
  /** When `tokens` was last computed. */
  refilled_at: Timestamp;
}

/** Small named values (server settings). */
export interface SettingsTable {
  name: string;
  value: string;
}

/** The event log (audit log and webhooks' outbox, migration 0004): append-only. */
export interface EventsTable {
  /** Identity: the order events were recorded in. */
  seq: Generated<number>;
  /** `evt_...`: the `webhook-id` of its deliveries. */
  id: string;
  organization_id: string;
  type: string;
  actor_kind: ActorKind;
  /** A link id, an admin key's fingerprint (never the key) or a job's name. */
  actor_id: string;
  target_kind: string | null;
  target_id: string | null;
  /** What happened, without secrets (see `../events.ts`). */
  payload: Json<Record<string, unknown>>;
  /** Unique when set: an event a job on several instances finds is recorded once. */
  dedupe_key: string | null;
  created_at: CreatedAt;
}

/** Where the host wants events (its signing secret sealed like client secrets). */
export interface WebhookEndpointsTable {
  id: string;
  url: string;
  description: string | null;
  /** The event types it receives; null: all. */
  event_types: Json<string[] | null>;
  secret_ciphertext: string;
  key_id: string;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  disabled_reason: string | null;
  disabled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  last_success_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: CreatedAt;
}

/** The latest answer to a delivery attempt. */
export interface DeliveryAnswer {
  /** HTTP status, or null when there was none (refused, timeout, connection error). */
  status: number | null;
  /** The first bytes of the answer's body, as text (at most a few hundred characters). */
  excerpt: string;
  durationMs: number;
  /** Why it failed, when it did: `timeout`, `refused`, `connection_failed`, `http_status`, `too_large`... */
  errorCode?: string;
  error?: string;
}

/** One event for one endpoint. */
export interface WebhookDeliveriesTable {
  id: string;
  event_id: string;
  endpoint_id: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: ColumnType<number, number | undefined, number>;
  /** When it is due; while an instance sends it, the end of its lease. Null once done. */
  next_attempt_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  last_attempt_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  last_answer: ColumnType<DeliveryAnswer | null, DeliveryAnswer | null | undefined, DeliveryAnswer | null>;
  created_at: CreatedAt;
}

type NullableTime = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** A directory (SCIM 2.0, migration 0006). Only a SHA-256 hash of its bearer token is stored (unique). */
export interface DirectoriesTable {
  id: string;
  organization_id: string;
  provider: DirectoryProviderId;
  name: string;
  status: DirectoryStatus;
  token_hash: string;
  /** The token's first characters, to tell tokens apart. */
  token_hint: string;
  token_created_at: Timestamp;
  created_at: CreatedAt;
  enabled_at: NullableTime;
  updated_at: Timestamp;
  last_request_at: NullableTime;
  last_sync_at: NullableTime;
  /** Starts at 1; the admin's writes are conditional on it (`conflict`). */
  version: ColumnType<number, number | undefined, number>;
}

/** A SCIM user: its document (without `id`, `meta`, `groups`) and the columns queries use, written from it. */
export interface DirectoryUsersTable {
  seq: Generated<number>;
  id: string;
  directory_id: string;
  external_id: string | null;
  /** Unique per directory, case-insensitively (`directory_users_user_name_key`). */
  user_name: string;
  display_name: string | null;
  /** The primary (or first) email. */
  email: string | null;
  active: boolean;
  doc: Json<Record<string, unknown>>;
  /** The ETag: `W/"<version>"`. */
  version: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** A SCIM group: its document (without `id`, `meta`, `members`). */
export interface DirectoryGroupsTable {
  seq: Generated<number>;
  id: string;
  directory_id: string;
  external_id: string | null;
  display_name: string;
  doc: Json<Record<string, unknown>>;
  version: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface DirectoryGroupMembersTable {
  group_id: string;
  user_id: string;
  directory_id: string;
  created_at: CreatedAt;
}

/** The last SCIM requests of a directory (the store keeps 50): never a body or a token. */
export interface DirectoryRequestsTable {
  seq: Generated<number>;
  id: string;
  directory_id: string;
  at: Timestamp;
  method: string;
  /** Below the directory's base URL, with the query. */
  path: string;
  summary: string;
  status: number;
  scim_type: string | null;
  detail: string | null;
  remedy: string | null;
  /** 0009: what `summary` and `remedy` are worded from (null in older rows). */
  summary_code: string | null;
  summary_values: Json<DirectorySummaryValues | null>;
  remedy_facts: Json<DirectoryRequestFacts | null>;
}

/** What `login_attempts.trace` holds: the attempt less its columns. */
export type LoginAttemptTrace = Pick<LoginAttempt, 'error' | 'warnings' | 'steps' | 'request' | 'response' | 'protocol'>;

/** 0008: the last login attempts of each connection, with their traces (`../store/login-attempt-store.ts`). */
export interface LoginAttemptsTable {
  seq: Generated<number>;
  id: string;
  organization_id: string;
  connection_id: string;
  at: Timestamp;
  purpose: 'test' | 'sign-in';
  test_id: string | null;
  user_email: string | null;
  outcome: 'success' | 'failure';
  error_code: string | null;
  /** The rest of the `LoginAttempt` (core/login-trace.ts): error, warnings, steps, request, response. */
  trace: Json<LoginAttemptTrace>;
}

export interface DatabaseSchema {
  organizations: OrganizationsTable;
  portal_links: PortalLinksTable;
  embed_links: EmbedLinksTable;
  test_links: TestLinksTable;
  connections: ConnectionsTable;
  client_secrets: ClientSecretsTable;
  test_results: TestResultsTable;
  domains: DomainsTable;
  login_transactions: LoginTransactionsTable;
  replay_cache: ReplayCacheTable;
  sign_in_sessions: SignInSessionsTable;
  keys: KeysTable;
  rate_limit_buckets: RateLimitBucketsTable;
  settings: SettingsTable;
  events: EventsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  directories: DirectoriesTable;
  directory_users: DirectoryUsersTable;
  directory_groups: DirectoryGroupsTable;
  directory_group_members: DirectoryGroupMembersTable;
  directory_requests: DirectoryRequestsTable;
  login_attempts: LoginAttemptsTable;
}

/** Names of the constraints callers act on (see `errors.ts`). */
export const CONSTRAINTS = {
  /** A verified domain belongs to one organization only. */
  verifiedDomain: 'domains_verified_name_key',
  portalLinkToken: 'portal_links_token_hash_key',
  /** A userName is unique per directory, case-insensitively (SCIM 409 `uniqueness`). */
  directoryUserName: 'directory_users_user_name_key',
} as const;

export type OrganizationRow = Selectable<OrganizationsTable>;
export type ConnectionRow = Selectable<ConnectionsTable>;
export type NewConnection = Insertable<ConnectionsTable>;
export type ConnectionUpdate = Updateable<ConnectionsTable>;
export type DomainRow = Selectable<DomainsTable>;
