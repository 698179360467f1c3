/**
 * The contract the element talks to. The host picks the implementation: the in-browser
 * {@link MemoryAdapter} for stories, tests and demos, the HttpAdapter for a REST backend,
 * or its own.
 *
 * Rules every implementation follows:
 * - every method takes `{ signal }` and rejects promptly with a PortalError `aborted` when
 *   the signal aborts;
 * - every rejection is a `PortalError` with a stable code (see `core/errors.ts`);
 * - writes to a connection carry the `version` they read; a stale version rejects with
 *   `conflict` and changes nothing;
 * - nothing secret is ever returned (an OIDC client secret is reported as `clientSecretSet`).
 */
import type {
  Connection,
  ConnectionInput,
  ConnectionPatch,
  Domain,
  PortalSession,
  TestMode,
  TestResult,
  TestStart,
} from '../core/model.js';
import type { MetadataResult } from '../core/saml-metadata.js';
import type { Directory, DirectoryInput, DirectoryRequest, DirectoryWithToken } from '../core/directory-model.js';
import type { RoutingDecision } from '../core/routing.js';
import type { TestLink, TestLinkInput, TestLinkWithUrl } from '../core/test-link-model.js';
import type { LoginAttempt } from '../core/login-trace.js';

export interface RequestOptions {
  signal?: AbortSignal;
}

/** The version the caller read; a write with a stale version is a `conflict`. */
export interface VersionGuard {
  version: number;
}

/** What to read as SAML metadata: pasted XML, or a URL to download; `entityId` picks an IdP from an aggregate. */
export type SamlMetadataSource = ({ xml: string; url?: never } | { url: string; xml?: never }) & { entityId?: string };

export interface StartTestOptions {
  mode: TestMode;
}

export interface PortalAdapter {
  /**
   * Origin of the backend's pages (the test login popup runs there, and its result is
   * accepted by `postMessage` from this origin only). Unset for in-browser adapters, which
   * have no login page: the portal then waits for the result by polling alone.
   */
  readonly origin?: string;

  /** The organization, our SP values, branding, features and expiry of this session. */
  getSession(options?: RequestOptions): Promise<PortalSession>;

  listConnections(options?: RequestOptions): Promise<Connection[]>;
  getConnection(id: string, options?: RequestOptions): Promise<Connection>;
  createConnection(input: ConnectionInput, options?: RequestOptions): Promise<Connection>;
  updateConnection(id: string, patch: ConnectionPatch, guard: VersionGuard, options?: RequestOptions): Promise<Connection>;
  deleteConnection(id: string, options?: RequestOptions): Promise<void>;
  /** Activates (after a successful test of the current configuration) or deactivates. */
  setConnectionEnabled(id: string, enabled: boolean, guard: VersionGuard, options?: RequestOptions): Promise<Connection>;

  /**
   * Optional (backends that re-read IdP metadata): applies the change waiting for review
   * (`connection.metadataRefresh.pending`) to the connection read at `guard.version` (`conflict`
   * otherwise); `conflict` with `details.reason` `metadata_change_not_pending` when there is none. Resolves the updated connection.
   */
  approveMetadataChange?(id: string, guard: VersionGuard, options?: RequestOptions): Promise<Connection>;
  /**
   * Optional: dismisses the change (`metadataRefresh.status` becomes `dismissed`, `pending.dismissedAt`
   * is set; it can still be approved); `conflict` with `details.reason` `metadata_change_not_pending` when there is none.
   */
  dismissMetadataChange?(id: string, options?: RequestOptions): Promise<Connection>;

  /** Fetches IdP metadata server-side (no CORS, SSRF-guarded); returns the XML text. */
  fetchMetadata(url: string, options?: RequestOptions): Promise<string>;
  /**
   * Optional: reads SAML metadata where the adapter's backend is (the same reader as
   * `parseSamlMetadata`), so the browser need not load the reader; a URL is downloaded and read
   * in one call. Without it, or when it rejects with `not_found` (a backend without the route),
   * the element reads the metadata itself (`fetchMetadata` for a URL). Metadata that cannot be
   * used resolves `{ ok: false, error }`; it rejects only for the request (network, session,
   * URL refused or unreachable, too large).
   */
  readSamlMetadata?(source: SamlMetadataSource, options?: RequestOptions): Promise<MetadataResult>;
  /** Fetches `<issuer>/.well-known/openid-configuration` server-side; returns the JSON document. */
  fetchOidcDiscovery(issuer: string, options?: RequestOptions): Promise<Record<string, unknown>>;

  /** Starts a test login. SP mode returns the `loginUrl` to open in a popup. */
  startTest(connectionId: string, test: StartTestOptions, options?: RequestOptions): Promise<TestStart>;
  /** The current state of a test: `pending` until the login completes, fails or times out. */
  getTestResult(testId: string, options?: RequestOptions): Promise<TestResult>;
  /** Recent tests of a connection, newest first. */
  listTestResults(connectionId: string, options?: RequestOptions): Promise<TestResult[]>;

  listDomains(options?: RequestOptions): Promise<Domain[]>;
  addDomain(name: string, options?: RequestOptions): Promise<Domain>;
  verifyDomain(name: string, options?: RequestOptions): Promise<Domain>;
  removeDomain(name: string, options?: RequestOptions): Promise<void>;

  /**
   * Optional (staged activation): activates the connection for these test users only (emails at
   * the organization's verified domains), or replaces their list, at `guard.version`. The
   * connection's `staged` says who they are and who of them signed in. `setConnectionEnabled`
   * true promotes it to everyone, false turns it off. See `core/rules/staging.ts`.
   */
  stageConnection?(id: string, testUsers: string[], guard: VersionGuard, options?: RequestOptions): Promise<Connection>;
  /** Optional: where this email signs in, and why: home-realm discovery's own decision (`core/routing.ts`), for the organization's domains. */
  previewRouting?(email: string, options?: RequestOptions): Promise<RoutingDecision>;

  /*
   * Directory sync (SCIM 2.0). Optional as a whole: an adapter without `listDirectories` has no
   * directory sync, and the portal shows SSO alone. See `core/directory-model.ts`.
   */
  /** The organization's directories, oldest first. */
  listDirectories?(options?: RequestOptions): Promise<Directory[]>;
  getDirectory?(id: string, options?: RequestOptions): Promise<Directory>;
  /** Creates a directory (status `setup`) and issues its bearer token: the only time the token is returned. */
  createDirectory?(input: DirectoryInput, options?: RequestOptions): Promise<DirectoryWithToken>;
  /** Issues a new token; the old one stops working at once. */
  regenerateDirectoryToken?(id: string, guard: VersionGuard, options?: RequestOptions): Promise<DirectoryWithToken>;
  /** Enables (the host starts receiving its changes) or disables (SCIM requests are refused). */
  setDirectoryEnabled?(id: string, enabled: boolean, guard: VersionGuard, options?: RequestOptions): Promise<Directory>;
  /** Deletes the directory, its token, users and groups. */
  deleteDirectory?(id: string, options?: RequestOptions): Promise<void>;
  /** The last SCIM requests the directory received (at most 50), newest first. */
  listDirectoryRequests?(id: string, options?: RequestOptions): Promise<DirectoryRequest[]>;

  /*
   * Test links for a colleague (`core/test-link-model.ts`). Optional as a whole: an adapter
   * without `createTestLink` has none, and the test step does not offer them.
   */
  /** The connection's test links, newest first, each with the result of the test it ran once used. */
  listTestLinks?(connectionId: string, options?: RequestOptions): Promise<TestLink[]>;
  /** Makes a single-use link, valid 24 hours: the only time its URL is returned. */
  createTestLink?(connectionId: string, input: TestLinkInput, options?: RequestOptions): Promise<TestLinkWithUrl>;
  /** Withdraws a link not used yet (`conflict` for one used, expired or revoked). */
  revokeTestLink?(linkId: string, options?: RequestOptions): Promise<TestLink>;
  /**
   * Optional (backends that keep login traces, `core/login-trace.ts`): the connection's last login
   * attempts (tests and sign-ins, at most 50), newest first, each with the checks it went through
   * and its decoded messages, redacted. Without it the portal says there are none to show.
   */
  listLoginAttempts?(connectionId: string, options?: RequestOptions): Promise<LoginAttempt[]>;
}

/** The names of the adapter's methods, e.g. for fault injection. */
export type PortalAdapterMethod = keyof PortalAdapter;
