/// <reference types="node" />
/**
 * The mock server's HTTP app (docs/rest-api.md): the middleware every answer goes through
 * (request log, errors, security headers, CORS, body limit), the admin API (`api/admin-api.ts`,
 * admin key) and the portal API (`api/portal-api.ts`, portal token, scoped to one organization)
 * mounted as sub-apps, the SP endpoints and the login flows. Errors are `application/problem+json`
 * with the stable codes of `core/errors.ts`.
 */
import { pageLanguages } from './page-language.js';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { PortalError, toPortalError } from '../core/errors.js';
import { IdSchema, validate, type Branding } from '../core/model.js';
import { REST } from '../core/rest-contract.js';
import { SAML_METADATA_MAX_BYTES } from '../core/saml-metadata.js';
import { spMetadataXml } from '../core/sp-metadata.js';
import type { TestOutcome } from '../adapters/simulated-tests.js';
import { serviceProviderFor, verifiedOwnerOf, type OrganizationService, type OrganizationServiceOptions } from './organization-service.js';
import { OrganizationServices, type Env } from './server-types.js';
import { LoginFlows } from './login/login-flows.js';
import { testLinkRoutes } from './login/test-link-page.js';
import { SpKeys } from './saml/sp-keys.js';
import { encryptionKeyDescriptorsXml, keyDescriptorXml } from './saml/sp-metadata-keys.js';
import { ADMIN_API_PATH, createAdminApi } from './api/admin-api.js';
import type { ApiContext, RequestContext } from './api/api-context.js';
import { createPortalApi, PORTAL_API_PATH, portalFirstAnswers, type PortalFirstAnswers } from './api/portal-api.js';
import { createScimRoutes, SCIM_PATH } from './scim/scim-routes.js';
import { route } from './contract-routes.js';
import { allowListCors } from './cors.js';
import { createLogger, errorFields, loggablePath, requestLog, type Logger } from './log.js';
import { buildOpenApi } from './openapi.js';
import { isDatabaseUnavailable } from './db/errors.js';
import type { Database } from './db/database.js';
import { DATABASE_RETRY_AFTER_SECONDS, registerOperations, unavailableResponse } from './operations.js';
import { problemResponse } from './problem.js';
import { clientAddress, createLimiters, parseTrustedProxies, rateLimit, rateLimitedError, retryAfterOf, type Limiters, type RateLimitOptions } from './rate-limit.js';
import { apiSecurityHeaders, resolveAllowedOrigins } from './security-headers.js';
import type { SecretBox } from './secret-box.js';
import { createSqlStore } from './store/sql-store.js';
import type { Store } from './store/store.js';
import { startDeliveryWorker, type DeliveryWorker, type DeliveryWorkerOptions } from './webhooks/delivery-worker.js';
import { WebhookStore } from './webhooks/webhook-store.js';
import type { DocumentKind, FetchDocument, OrganizationRecord } from './types.js';

// Shared with the rest of the server from their own module (no import cycles); still exported here.
export { hashToken, OrganizationServices, type Env } from './server-types.js';
export { DEFAULT_LINK_HOURS, LINK_RETENTION_DAYS } from '../core/rules/links.js';

export interface AppOptions {
  /** The database (`openDatabase`): the app keeps everything there (`SqlStore`). */
  database: Database;
  /** Seals client secrets at rest (`secret-box.ts`). */
  secrets: SecretBox;
  /** The secret of the admin API (`Authorization: Bearer <adminKey>`). */
  adminKey: string;
  /** Where the server is reached from browsers, e.g. `http://127.0.0.1:4400`; no trailing slash needed. */
  publicBaseUrl: string;
  /** The clock (link expiry, timestamps, simulated tests). */
  now?: () => Date;
  /** Fetches IdP metadata and OIDC discovery documents; inject the SSRF-guarded fetcher. */
  fetchDocument?: FetchDocument;
  /** Largest request body in bytes (default 256 KiB); larger ones get 413 `validation_failed`. */
  maxBodyBytes?: number;
  /** Branding of organizations created without one. */
  defaultBranding?: Branding;
  /**
   * Real test logins and sign-ins (SAML SP, OIDC RP: `login/login-flows.ts`). Without it, test
   * logins are simulated (`testOutcome`, `testDurationMs`) and no ACS or callback answers.
   */
  logins?: {
    /** How long a test login may take before it ends as `timeout` (default 5 minutes). */
    testTimeoutMs?: number;
    /** Clock difference accepted on SAML assertions (default 2 minutes). */
    skewMs?: number;
    /** OIDC issuers over plain http (loopback development IdPs). */
    allowHttpIssuers?: boolean;
    /** Where a signed-in user lands when the sign-in named no page. */
    signedInPath?: string;
  };
  testOutcome?: TestOutcome;
  testDurationMs?: number;
  /** Looks up a domain's TXT record (real DNS, `domains/dns-txt-check.ts`). */
  checkDns?: OrganizationServiceOptions['checkDns'];
  /** Without `checkDns`: whether a domain "is found" (no DNS). */
  verifyDns?: (domain: string) => boolean;
  /** The IdP simulator's values for the wizard to prefill (development servers). */
  simulator?: OrganizationServiceOptions['simulator'];
  /** Longest long-poll of a test result, in seconds (default 25). */
  maxWaitSeconds?: number;
  devMode?: boolean;
  /**
   * Host origins that may call the portal API from a browser (CORS) and frame the server's pages
   * (`frame-ancestors`). Default: the origin of `publicBaseUrl` (`createMockServer` adds the
   * demo origin `DEMO_ORIGIN` in demo mode). Other origins get no `Access-Control-Allow-Origin`.
   */
  allowedOrigins?: readonly string[];
  /** Rate limits (token buckets; `DEFAULT_RATE_LIMITS`), or `false` for none. */
  rateLimits?: RateLimitOptions | false;
  /**
   * Reverse proxies (addresses, CIDR ranges) whose `X-Forwarded-For` names the client for the
   * per-client limits (`SSO_PORTAL_TRUSTED_PROXIES`). Default none: the TCP peer is the client.
   */
  trustedProxies?: readonly string[];
  /** Request lines and unexpected errors (`log.ts`); default: unexpected errors only, to stderr. */
  logger?: Logger;
  /** True once the server is shutting down (`GET /readyz` answers 503). */
  stopping?: () => boolean;
  /**
   * Webhooks (issue 13). `allowLoopback`: endpoints on this machine (http too) are accepted and
   * delivered to (development, demo, tests; default false). `worker`: start this instance's
   * delivery worker with these options (`webhooks/delivery-worker.ts`); without it, events and
   * their deliveries are recorded but this instance sends nothing.
   */
  webhooks?: {
    allowLoopback?: boolean;
    worker?: Omit<DeliveryWorkerOptions, 'database' | 'secrets' | 'now' | 'allowLoopback'>;
  };
}

export interface PortalApp {
  app: Hono<Env>;
  /** The store over `database` (the pages and the metadata refresh read it too). */
  store: Store;
  /** Real logins (when `logins` was given): the demo login page uses its discovery and sessions. */
  loginFlows?: LoginFlows;
  /** The services the app uses; hand them to `startMetadataRefresh`. */
  services: OrganizationServices;
  /** The resolved host-origin allow-list (for the pages' `frame-ancestors`). */
  allowedOrigins: string[];
  /** The webhook endpoints and deliveries (the demo pages read them). */
  webhookStore: WebhookStore;
  /** The portal API's first answers for an open link: the hosted page carries them (pages.ts). */
  firstAnswers: PortalFirstAnswers;
  /** The app's logger (`logger`, or the default): the pages log through it too. */
  logger: Logger;
  /** This instance's webhook delivery worker (when `webhooks.worker` was given); stop it before closing the database. */
  webhookWorker?: DeliveryWorker;
}

export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;
/** The body limit of `POST /api/portal/metadata/read`: the largest metadata the reader takes, as JSON text. */
export const METADATA_READ_MAX_BODY_BYTES = 2 * SAML_METADATA_MAX_BYTES + 64 * 1024;

/** The default when no fetcher is injected (tests): every fetch fails, nothing leaves the machine. */
export const refuseFetch: FetchDocument = (url: string, kind: DocumentKind) =>
  Promise.reject(
    kind === 'oidc-discovery'
      ? new PortalError('oidc_discovery_failed', { message: 'This server does not fetch documents yet.', details: { url } })
      : new PortalError('metadata_fetch_failed', { message: 'This server does not fetch documents yet.', details: { url } }),
  );

function pathId(c: Context, name: string): string {
  const value = c.req.param(name) ?? '';
  // Ids outside the id alphabet cannot exist: not found, rather than a validation error.
  if (!validate(IdSchema, value).ok) throw new PortalError('not_found', { details: { [name]: value } });
  return value;
}

// ---------------------------------------------------------------------------------------

/** The Hono app of `docs/rest-api.md`. */
export function createApp(options: AppOptions): Hono<Env> {
  return createPortalApp(options).app;
}

/** The app plus what other parts of the server share with it (services, allowed origins). */
export function createPortalApp(options: AppOptions): PortalApp {
  const { adminKey } = options;
  if (!adminKey) throw new Error('createApp needs an adminKey.');
  const now = options.now ?? (() => new Date());
  const sqlStore = createSqlStore(options.database, options.secrets, { now });
  const store: Store = sqlStore;
  const webhookStore = new WebhookStore(options.database.db, options.secrets, now);
  const allowLoopbackWebhooks = options.webhooks?.allowLoopback ?? false;
  const webhookWorker = options.webhooks?.worker
    ? startDeliveryWorker({ ...options.webhooks.worker, database: options.database, secrets: options.secrets, now, allowLoopback: allowLoopbackWebhooks })
    : undefined;
  // Events recorded: deliveries may be due now.
  if (webhookWorker) sqlStore.onEventsRecorded(() => webhookWorker.wake());
  const publicBaseUrl = options.publicBaseUrl.replace(/\/+$/, '');
  const fetchDocument = options.fetchDocument ?? refuseFetch;
  const maxWait = options.maxWaitSeconds ?? 25;
  const allowedOrigins = resolveAllowedOrigins(publicBaseUrl, options.allowedOrigins);
  const allowed = new Set(allowedOrigins);
  const limiters: Limiters | undefined = options.rateLimits === false ? undefined : createLimiters(options.rateLimits);
  const trustedProxies = parseTrustedProxies(options.trustedProxies);
  const clientOf = (c: RequestContext): string => clientAddress(c, trustedProxies);
  const services = new OrganizationServices(store, {
    publicBaseUrl,
    now,
    realLogins: options.logins ? { timeoutMs: options.logins.testTimeoutMs } : undefined,
    testOutcome: options.testOutcome,
    testDurationMs: options.testDurationMs,
    checkDns: options.checkDns,
    verifyDns: options.verifyDns,
    devMode: options.devMode,
    simulator: options.simulator,
  });
  const serviceFor = (organization: OrganizationRecord): OrganizationService => services.serviceFor(organization);
  if (options.logins && !options.database) throw new Error('createApp needs a database for real logins (logins).');
  const spKeys = new SpKeys({ database: options.database, secrets: options.secrets, importFrom: null });
  const loginFlows = options.logins
    ? new LoginFlows({
        services,
        store,
        database: options.database,
        publicBaseUrl,
        now,
        skewMs: options.logins.skewMs,
        allowHttpIssuers: options.logins.allowHttpIssuers,
        signedInPath: options.logins.signedInPath,
        spKeys,
        // Discovery documents through the SSRF-guarded fetcher, when the server has one.
        ...(options.fetchDocument
          ? { fetchJson: async (url: string, signal?: AbortSignal) => JSON.parse(await options.fetchDocument!(url, 'oidc-discovery', signal)) as unknown }
          : {}),
      })
    : undefined;

  /**
   * A failed authentication: counted per client and per presented credential; past a limit it
   * answers 429 instead of 401. Checked after the credential, so a valid one is never refused.
   */
  const authFailed = (c: RequestContext, presented: string | undefined, error: PortalError): PortalError => {
    const decision = limiters?.authFailures.fail(clientOf(c), presented);
    return decision && !decision.allowed ? rateLimitedError(decision.retryAfterMs, 'failed sign-in attempts') : error;
  };

  const organizationOr404 = async (id: string): Promise<OrganizationRecord> => {
    const organization = await store.getOrganization(id);
    if (!organization) throw new PortalError('not_found', { message: 'This organization does not exist.', details: { id } });
    return organization;
  };

  /**
   * Whether another organization already verified this domain (the early, friendly answer; the
   * database's unique index decides between instances racing).
   */
  const takenElsewhere = async (organizationId: string, domain: string): Promise<boolean> => (await verifiedOwnerOf(store, domain, organizationId)) !== undefined;

  const logger = options.logger ?? createLogger({ level: 'error', format: 'text' });
  const app = new Hono<Env>();

  // First: every request gets its id (X-Request-Id) and, when answered, its log line.
  app.use(requestLog(logger));
  // The pages' language: the browser's (page-language.ts).
  app.use(pageLanguages());
  app.onError((error, c) => {
    let response: Response;
    if (error instanceof PortalError) {
      response = problemResponse(error);
    } else if (isDatabaseUnavailable(error)) {
      // Down or unreachable: say so, and when to ask again (the pool reconnects by itself).
      logger.error('database unavailable', { requestId: c.var.requestId, method: c.req.method, path: loggablePath(new URL(c.req.url).pathname), ...errorFields(error), stack: undefined });
      response = unavailableResponse('The service is temporarily unavailable. Try again in a few seconds.', DATABASE_RETRY_AFTER_SECONDS, { requestId: c.var.requestId });
    } else {
      // The message and stack go to the log only; the answer names the request id to quote.
      logger.error('unexpected error', { requestId: c.var.requestId, method: c.req.method, path: loggablePath(new URL(c.req.url).pathname), ...errorFields(error) });
      const mapped = toPortalError(error);
      response = problemResponse(mapped.code === 'unknown' ? new PortalError('unknown', { details: { requestId: c.var.requestId } }) : mapped);
    }
    const retryAfter = retryAfterOf(error);
    if (retryAfter !== undefined) response.headers.set('retry-after', String(retryAfter));
    return response;
  });
  app.notFound(() => problemResponse(new PortalError('not_found', { message: 'There is nothing at this address.' })));
  registerOperations(app, { store, logger, stopping: options.stopping });

  // API and SP answers are data: nothing in them may run, be sniffed or be framed.
  const apiHeaders = apiSecurityHeaders();
  app.use('/api/*', apiHeaders);
  app.use('/saml/*', apiHeaders);

  // CORS (`cors.ts`), first, so that every answer of the portal API, errors included, carries the headers.
  const cors = allowListCors(allowed);
  app.use('/api/portal/*', cors);
  // Home-realm discovery, for host login pages (CORS for the same allow-list).
  app.use('/api/sso/*', cors);

  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  /** A body over `maxSize`: its problem answer; the rest of the body is not read, so the connection cannot be reused. */
  const tooLarge = (maxSize: number, error: () => PortalError): MiddlewareHandler<Env> =>
    bodyLimit({
      maxSize,
      onError: () => {
        const response = problemResponse(error());
        response.headers.set('connection', 'close');
        return response;
      },
    });
  const apiBodyLimit = tooLarge(
    maxBody,
    () => new PortalError('validation_failed', { status: 413, message: `The request body is larger than ${maxBody} bytes.`, details: { maxBytes: maxBody } }),
  );
  // Metadata read on the server may be as large as the reader accepts (JSON doubles `"` and `\` at most).
  const metadataBodyLimit = tooLarge(
    METADATA_READ_MAX_BODY_BYTES,
    () => new PortalError('metadata_too_large', { message: `The metadata is larger than ${SAML_METADATA_MAX_BYTES / (1024 * 1024)} MB.`, details: { limitBytes: SAML_METADATA_MAX_BYTES } }),
  );
  const bodyLimits: MiddlewareHandler<Env> = (c, next) => (c.req.path === REST.readSamlMetadata.path ? metadataBodyLimit(c, next) : apiBodyLimit(c, next));
  app.use('/api/*', bodyLimits);

  // -------------------------------------------------------------------------------------
  // The admin API and the portal API (their own auth and rate limits, after the above)

  const api: ApiContext = { store, services, now, publicBaseUrl, limiters, authFailed, organizationOr404, takenElsewhere };
  app.route(
    ADMIN_API_PATH,
    createAdminApi(api, {
      adminKey,
      defaultBranding: options.defaultBranding,
      spKeys,
      allowedOrigins: allowed,
      events: { db: options.database.db, webhooks: webhookStore, allowLoopback: allowLoopbackWebhooks, wake: webhookWorker && (() => webhookWorker.wake()) },
    }),
  );
  app.route(
    PORTAL_API_PATH,
    createPortalApi(api, { fetchDocument, maxWaitSeconds: maxWait, loginFlows, simulator: options.simulator, allowedOrigins: allowed, spKeys, devMode: options.devMode }),
  );

  // -------------------------------------------------------------------------------------
  // Directory sync: the SCIM 2.0 endpoints of each directory (their own auth, limits, body
  // limit and SCIM errors: `scim/scim-routes.ts`)

  app.use(`${SCIM_PATH}/*`, apiHeaders);
  app.route(SCIM_PATH, createScimRoutes({ directories: store.directories, now, publicBaseUrl, limiters, clientOf, logger }));

  // -------------------------------------------------------------------------------------
  // SP endpoints (public: IdP consoles import the metadata by URL)

  if (limiters) app.use('/saml/*', rateLimit<Env>(limiters.public, clientOf, 'requests'));
  if (limiters) app.use('/oidc/*', rateLimit<Env>(limiters.public, clientOf, 'requests'));
  if (limiters) app.use('/sso/*', rateLimit<Env>(limiters.public, clientOf, 'requests'));
  if (limiters) app.use('/api/sso/*', rateLimit<Env>(limiters.public, clientOf, 'requests'));
  // SAML responses are a few kilobytes; 1 MiB is plenty (the API's own limit is smaller).
  app.use('/saml/*', bodyLimit({ maxSize: 1024 * 1024, onError: (c) => c.text('The SAML response is too large.', 413) }));
  if (loginFlows) app.route('/', loginFlows.routes());
  // A colleague's test link (its page and button): test-link-page.ts.
  if (limiters) app.use('/test-link/*', rateLimit<Env>(limiters.public, clientOf, 'requests'));
  if (loginFlows) app.route('/', testLinkRoutes({ store, services, loginFlows, now }));

  // A connection's own SP metadata (its entity ID, ACS URL and request-signing certificate).
  app.get('/saml/:orgId/:connectionId/metadata', async (c) => {
    const organization = await organizationOr404(pathId(c, 'orgId'));
    const connection = await serviceFor(organization).getConnection(pathId(c, 'connectionId'));
    // The certificates are published from the start, so an IdP that imported this metadata before
    // it asked for signed requests already trusts it; AuthnRequestsSigned says what we do now.
    const signing = connection.protocol === 'saml' ? await spKeys.forConnection(organization.id, connection.id) : undefined;
    // Encryption: the current certificate, and the next one during a rollover (both decrypt).
    const encryption = connection.protocol === 'saml' ? await spKeys.encryptionKeys(organization.id, connection.id) : undefined;
    const xml = spMetadataXml(connection.serviceProvider ?? serviceProviderFor(publicBaseUrl, organization.id), {
      keyDescriptorsXml: (signing ? keyDescriptorXml('signing', signing.certificatePem) : '') + (encryption ? encryptionKeyDescriptorsXml([encryption.current, ...(encryption.next ? [encryption.next] : [])].map((k) => k.certificatePem)) : ''),
      authnRequestsSigned: connection.saml?.wantAuthnRequestsSigned === true,
    });
    return c.body(xml, 200, {
      'content-type': 'application/samlmetadata+xml; charset=utf-8',
      'content-disposition': `inline; filename="sp-metadata-${connection.id}.xml"`,
      'cache-control': 'public, max-age=300',
      'access-control-allow-origin': '*',
    });
  });

  // Our certificates as files, for IdP consoles that ask for an upload (Okta, Entra, AD FS, Ping:
  // the guides link to them, `ServiceProvider.signingCertificateUrl` / `encryptionCertificateUrl`).
  // Encryption: the next certificate during a rollover, the one IdPs should move to.
  for (const use of ['signing', 'encryption'] as const) {
    app.get(`/saml/:orgId/:connectionId/${use}-certificate.cer`, async (c) => {
      const organization = await organizationOr404(pathId(c, 'orgId'));
      const connection = await serviceFor(organization).getConnection(pathId(c, 'connectionId'));
      if (connection.protocol !== 'saml') return c.text('Certificates are for SAML connections.', 404);
      const encryption = use === 'encryption' ? await spKeys.encryptionKeys(organization.id, connection.id) : undefined;
      const key = encryption ? (encryption.next ?? encryption.current) : await spKeys.forConnection(organization.id, connection.id);
      return c.body(key.certificatePem, 200, {
        'content-type': 'application/x-pem-file',
        'content-disposition': `attachment; filename="sp-${use}-${connection.id}.cer"`,
        'cache-control': 'no-cache',
        'access-control-allow-origin': '*',
      });
    });
  }

  app.get('/saml/:orgId/metadata', async (c) => {
    const organization = await organizationOr404(pathId(c, 'orgId'));
    const xml = spMetadataXml(serviceProviderFor(publicBaseUrl, organization.id));
    return c.body(xml, 200, {
      'content-type': 'application/samlmetadata+xml; charset=utf-8',
      'content-disposition': `inline; filename="sp-metadata-${organization.id}.xml"`,
      'cache-control': 'public, max-age=300',
      // Public, no credentials: any page may read it.
      'access-control-allow-origin': '*',
    });
  });

  // The contract, for hosts implementing it on their own backend (docs/openapi.json is the same document).
  let openApi: string | undefined;
  route(app, REST.getOpenApi, (c) => {
    openApi ??= JSON.stringify({ ...buildOpenApi({ version: '0.1.0' }), servers: [{ url: publicBaseUrl }] }, null, 2);
    return c.body(openApi, 200, { 'content-type': 'application/json; charset=utf-8', 'access-control-allow-origin': '*' });
  });

  return { app, store, services, allowedOrigins, loginFlows, webhookStore, logger, firstAnswers: portalFirstAnswers(api, spKeys), ...(webhookWorker ? { webhookWorker } : {}) };
}
