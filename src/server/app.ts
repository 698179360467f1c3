/// <reference types="node" />
/**
 * The mock server's HTTP app (docs/rest-api.md): the admin API (admin key) and the portal API
 * (portal token, scoped to one organization). Errors are `application/problem+json` with the
 * stable codes of `core/errors.ts`.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { PortalError, toPortalError } from '../core/errors.js';
import { normalizeDomain } from '../core/domains.js';
import { discoveryUrlFor } from '../core/oidc-discovery.js';
import { IdSchema, type Branding, type Connection } from '../core/model.js';
import { REST } from '../core/rest-contract.js';
import { spMetadataXml } from '../core/sp-metadata.js';
import type { TestOutcome } from '../adapters/memory-adapter.js';
import { serviceProviderFor, verifiedOwnerOf, type OrganizationService, type OrganizationServiceOptions } from './organization-service.js';
import { hashToken, OrganizationServices, type Env } from './server-types.js';
import { LoginFlows } from './login/login-flows.js';
import { route } from './contract-routes.js';
import { createLogger, errorFields, loggablePath, requestLog, type Logger } from './log.js';
import { buildOpenApi } from './openapi.js';
import { readRefreshRecords } from './metadata-refresh.js';
import { registerOperations } from './operations.js';
import { problemResponse } from './problem.js';
import { clientAddress, createLimiters, parseTrustedProxies, rateLimit, rateLimitedError, retryAfterOf, type Limiters, type RateLimitOptions } from './rate-limit.js';
import { API_SECURITY_HEADERS, resolveAllowedOrigins } from './security-headers.js';
import type { Store } from './store/store.js';
import type { DocumentKind, FetchDocument, LinkRecord, OrganizationRecord } from './types.js';

// Shared with the rest of the server from their own module (no import cycles); still exported here.
export { hashToken, OrganizationServices, type Env } from './server-types.js';

export interface AppOptions {
  store: Store;
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
}

export interface PortalApp {
  app: Hono<Env>;
  /** Real logins (when `logins` was given): the demo login page uses its discovery and sessions. */
  loginFlows?: LoginFlows;
  /** The services the app uses; hand them to `startMetadataRefresh`. */
  services: OrganizationServices;
  /** The resolved host-origin allow-list (for the pages' `frame-ancestors`). */
  allowedOrigins: string[];
}

export const DEFAULT_LINK_HOURS = 168;
/** How long an expired or revoked link stays listed (for the record) before it is forgotten. */
export const LINK_RETENTION_DAYS = 7;
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/** The default when no fetcher is injected (tests): every fetch fails, nothing leaves the machine. */
export const refuseFetch: FetchDocument = (url: string, kind: DocumentKind) =>
  Promise.reject(
    kind === 'oidc-discovery'
      ? new PortalError('oidc_discovery_failed', { message: 'This server does not fetch documents yet.', details: { url } })
      : new PortalError('metadata_fetch_failed', { message: 'This server does not fetch documents yet.', details: { url } }),
  );

const randomId = (prefix: string) => `${prefix}_${randomBytes(9).toString('base64url').replace(/[^A-Za-z0-9]/g, 'x')}`;

function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(Buffer.from(hashToken(given), 'hex'), Buffer.from(hashToken(expected), 'hex'));
}

function bearer(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

function pathId(c: Context, name: string): string {
  const value = c.req.param(name) ?? '';
  // Ids outside the id alphabet cannot exist: not found, rather than a validation error.
  if (!IdSchema.safeParse(value).success) throw new PortalError('not_found', { details: { [name]: value } });
  return value;
}

function checkedDomain(name: string): string {
  const checked = normalizeDomain(name);
  if (!checked.ok) throw new PortalError('domain_invalid', { message: checked.error.message, details: { name } });
  return checked.domain;
}

// ---------------------------------------------------------------------------------------

const CORS_METHODS = 'GET, POST, PATCH, PUT, DELETE';
const CORS_HEADERS = 'authorization, content-type';

/** The Hono app of `docs/rest-api.md`. */
export function createApp(options: AppOptions): Hono<Env> {
  return createPortalApp(options).app;
}

/** The app plus what other parts of the server share with it (services, allowed origins). */
export function createPortalApp(options: AppOptions): PortalApp {
  const { store, adminKey } = options;
  if (!adminKey) throw new Error('createApp needs an adminKey.');
  const now = options.now ?? (() => new Date());
  const publicBaseUrl = options.publicBaseUrl.replace(/\/+$/, '');
  const fetchDocument = options.fetchDocument ?? refuseFetch;
  const maxWait = options.maxWaitSeconds ?? 25;
  const allowedOrigins = resolveAllowedOrigins(publicBaseUrl, options.allowedOrigins);
  const allowed = new Set(allowedOrigins);
  const limiters: Limiters | undefined = options.rateLimits === false ? undefined : createLimiters(options.rateLimits);
  const trustedProxies = parseTrustedProxies(options.trustedProxies);
  type RequestContext = Parameters<typeof clientAddress>[0];
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
  const loginFlows = options.logins
    ? new LoginFlows({
        services,
        store,
        publicBaseUrl,
        now,
        skewMs: options.logins.skewMs,
        allowHttpIssuers: options.logins.allowHttpIssuers,
        signedInPath: options.logins.signedInPath,
        // Discovery documents through the SSRF-guarded fetcher, when the server has one.
        ...(options.fetchDocument
          ? { fetchJson: async (url: string, signal?: AbortSignal) => JSON.parse(await options.fetchDocument!(url, 'oidc-discovery', signal)) as unknown }
          : {}),
      })
    : undefined;

  /** Connections as answered: with the latest metadata refresh (`metadataRefresh`), when there was one. */
  const shown = (c: Context<Env>, connection: Connection): Connection => {
    const record = readRefreshRecords(store, c.var.organization.id)[connection.id];
    return record ? { ...connection, metadataRefresh: record } : connection;
  };
  const shownAll = (c: Context<Env>, connections: Connection[]): Connection[] => {
    const records = readRefreshRecords(store, c.var.organization.id);
    return connections.map((connection) => {
      const record = records[connection.id];
      return record ? { ...connection, metadataRefresh: record } : connection;
    });
  };

  /**
   * A failed authentication: counted per client and per presented credential; past a limit it
   * answers 429 instead of 401. Checked after the credential, so a valid one is never refused.
   */
  const authFailed = (c: RequestContext, presented: string | undefined, error: PortalError): PortalError => {
    const decision = limiters?.authFailures.fail(clientOf(c), presented);
    return decision && !decision.allowed ? rateLimitedError(decision.retryAfterMs, 'failed sign-in attempts') : error;
  };

  const organizationOr404 = (id: string): OrganizationRecord => {
    const organization = store.getOrganization(id);
    if (!organization) throw new PortalError('not_found', { message: 'This organization does not exist.', details: { id } });
    return organization;
  };

  /** Whether another organization already verified this domain. */
  const takenElsewhere = (organizationId: string, domain: string): boolean => verifiedOwnerOf(store, domain, organizationId) !== undefined;

  /** Claims on domains run one at a time across organizations, so "taken" checks cannot race. */
  let domainQueue: Promise<unknown> = Promise.resolve();
  const claimingDomain = <T>(operation: () => Promise<T>): Promise<T> => {
    const result = domainQueue.then(operation);
    domainQueue = result.catch(() => undefined);
    return result;
  };

  const logger = options.logger ?? createLogger({ level: 'error', format: 'text' });
  const app = new Hono<Env>();

  // First: every request gets its id (X-Request-Id) and, when answered, its log line.
  app.use(requestLog(logger));
  app.onError((error, c) => {
    let response: Response;
    if (error instanceof PortalError) {
      response = problemResponse(error);
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
  const apiHeaders: Parameters<typeof app.use>[1] = async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(API_SECURITY_HEADERS)) if (!c.res.headers.has(name)) c.res.headers.set(name, value);
  };
  app.use('/api/*', apiHeaders);
  app.use('/saml/*', apiHeaders);

  // CORS, first, so that every answer of the portal API, errors included, carries the headers
  // (a host page on an allowed origin must be able to read a 401, a 413 or a 429). Only the
  // allow-list gets `Access-Control-Allow-Origin`; bearer tokens, no cookies: no credentials.
  const cors: Parameters<typeof app.use>[1] = async (c, next) => {
    const origin = c.req.header('origin');
    const listed = origin !== undefined && allowed.has(origin);
    if (c.req.method === 'OPTIONS' && origin !== undefined && c.req.header('access-control-request-method') !== undefined) {
      const vary = 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers';
      if (!listed) {
        const refused = problemResponse(new PortalError('forbidden', { message: 'This origin may not call the portal API.', details: { origin } }));
        refused.headers.set('vary', vary);
        return refused;
      }
      return c.body(null, 204, {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': CORS_METHODS,
        'access-control-allow-headers': CORS_HEADERS,
        'access-control-max-age': '600',
        vary,
      });
    }
    await next();
    c.res.headers.append('vary', 'Origin');
    if (listed) {
      c.res.headers.set('access-control-allow-origin', origin);
      c.res.headers.set('access-control-expose-headers', 'Retry-After');
    }
  };
  app.use('/api/portal/*', cors);
  // Home-realm discovery, for host login pages (CORS for the same allow-list).
  app.use('/api/sso/*', cors);

  app.use(
    '/api/*',
    bodyLimit({
      maxSize: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      onError: () => {
        const response = problemResponse(
          new PortalError('validation_failed', {
            status: 413,
            message: `The request body is larger than ${options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES} bytes.`,
            details: { maxBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES },
          }),
        );
        // The rest of the body is not read: the connection cannot be reused.
        response.headers.set('connection', 'close');
        return response;
      },
    }),
  );

  // -------------------------------------------------------------------------------------
  // Admin API

  app.use('/api/admin/*', async (c, next) => {
    const given = bearer(c.req.header('authorization'));
    if (!given || !sameSecret(given, adminKey)) {
      throw authFailed(c, given, new PortalError('forbidden', { status: 401, message: 'The admin API needs the admin key as a Bearer token.' }));
    }
    await next();
  });
  if (limiters) app.use('/api/admin/*', rateLimit<Env>(limiters.admin, () => 'admin', 'admin API requests'));

  route(app, REST.createOrganization, async (c, { body: input }) => {
    const organization: OrganizationRecord = {
      id: randomId('org'),
      name: input.name,
      branding: input.branding ?? options.defaultBranding ?? { name: 'Acme' },
      createdAt: now().toISOString(),
    };
    await store.putOrganization(organization);
    return c.json(organization, 201);
  });

  route(app, REST.listOrganizations, (c) => c.json(store.listOrganizations()));

  route(app, REST.getOrganization, (c, { params }) => c.json(organizationOr404(params.orgId)));

  route(app, REST.createLink, async (c, { params, body: input }) => {
    const organization = organizationOr404(params.orgId);
    const token = randomBytes(32).toString('base64url');
    const created = now();
    const link: LinkRecord = {
      id: randomId('link'),
      organizationId: organization.id,
      tokenHash: hashToken(token),
      createdAt: created.toISOString(),
      expiresAt: new Date(created.getTime() + (input.lifetimeHours ?? DEFAULT_LINK_HOURS) * 3_600_000).toISOString(),
      revokedAt: null,
    };
    await store.putLink(link);
    // Links that ended more than LINK_RETENTION_DAYS ago are forgotten (settings pages mint many).
    await store.pruneLinks(new Date(created.getTime() - LINK_RETENTION_DAYS * 86_400_000).toISOString());
    return c.json({ id: link.id, url: `${publicBaseUrl}/portal/${token}`, token, expiresAt: link.expiresAt }, 201);
  });

  route(app, REST.listLinks, (c, { params }) => {
    const organization = organizationOr404(params.orgId);
    return c.json(store.listLinks(organization.id).map(({ id, expiresAt, revokedAt, createdAt }) => ({ id, expiresAt, revokedAt, createdAt })));
  });

  route(app, REST.revokeLink, async (c, { params }) => {
    const link = store.getLink(params.linkId);
    if (!link) throw new PortalError('not_found', { message: 'This link does not exist.' });
    if (!link.revokedAt) await store.putLink({ ...link, revokedAt: now().toISOString() });
    return c.body(null, 204);
  });

  route(app, REST.verifyDomainManually, async (c, { params }) => {
    const organization = organizationOr404(params.orgId);
    const domain = checkedDomain(params.name);
    const verified = await claimingDomain(() => {
      if (takenElsewhere(organization.id, domain)) throw new PortalError('domain_taken', { details: { name: domain } });
      return serviceFor(organization).verifyDomainManually(domain);
    });
    return c.json(verified);
  });

  // -------------------------------------------------------------------------------------
  // Portal API

  app.use('/api/portal/*', async (c, next) => {
    const token = bearer(c.req.header('authorization'));
    const link = token ? store.findLinkByTokenHash(hashToken(token)) : undefined;
    // Checked on every request: a revoked or expired link stops an open session at once.
    if (!link || link.revokedAt || Date.parse(link.expiresAt) <= now().getTime()) {
      throw authFailed(c, token, new PortalError('session_expired'));
    }
    const organization = store.getOrganization(link.organizationId);
    if (!organization) throw authFailed(c, token, new PortalError('session_expired'));
    c.set('link', link);
    c.set('organization', organization);
    c.set('service', serviceFor(organization));
    await next();
  });

  if (limiters) {
    // Per portal link (one token, one bucket); the outbound fetches have a much smaller one.
    app.use('/api/portal/*', rateLimit<Env>(limiters.portal, (c) => c.var.link.id, 'requests'));
    const fetchLimit = rateLimit<Env>(limiters.documentFetch, (c) => c.var.link.id, 'document downloads');
    app.use('/api/portal/metadata', fetchLimit);
    app.use('/api/portal/oidc-discovery', fetchLimit);
    // Each verification is a DNS lookup: a few per minute per organization is plenty.
    app.use('/api/portal/domains/:name/verify', rateLimit<Env>(limiters.dnsCheck, (c) => c.var.organization.id, 'domain checks'));
  }

  route(app, REST.getSession, (c) => c.json(c.var.service.session(c.var.link.expiresAt)));

  route(app, REST.listConnections, async (c) => c.json(shownAll(c, await c.var.service.listConnections())));

  route(app, REST.createConnection, async (c, { body: input }) => {
    return c.json(shown(c, await c.var.service.createConnection(input)), 201);
  });

  route(app, REST.getConnection, async (c, { params }) => c.json(shown(c, await c.var.service.getConnection(params.id))));

  route(app, REST.updateConnection, async (c, { params, body: input }) =>
    c.json(shown(c, await c.var.service.updateConnection(params.id, input.version, input.changes))),
  );

  route(app, REST.deleteConnection, async (c, { params }) => {
    await c.var.service.deleteConnection(params.id);
    return c.body(null, 204);
  });

  route(app, REST.setConnectionEnabled, async (c, { params, body: input }) =>
    c.json(shown(c, await c.var.service.setConnectionEnabled(params.id, input.version, input.enabled))),
  );

  route(app, REST.startTest, async (c, { params: { id }, body: input }) => {
    const started = await c.var.service.startTest(id, input.mode);
    if (!loginFlows) return c.json(started, 201);
    if (input.mode === 'idp') {
      // The IdP simulator has a page that sends an unsolicited response: link to it.
      const connection = await c.var.service.getConnection(id);
      const simulated = options.simulator && connection.protocol === 'saml' && connection.saml?.metadataUrl === options.simulator.samlMetadataUrl;
      if (!simulated) return c.json(started, 201);
      const loginUrl = `${publicBaseUrl}/simulator/saml/idp-initiated?connection=${encodeURIComponent(`${c.var.organization.id}/${id}`)}`;
      return c.json({ ...started, loginUrl }, 201);
    }
    // The popup opens this page, which sends the browser on to the IdP.
    const origin = c.req.header('origin');
    const connection = await c.var.service.getConnection(id);
    const loginUrl = loginFlows.startTest(c.var.organization.id, connection, started.testId, origin && allowed.has(origin) ? origin : undefined);
    return c.json({ ...started, loginUrl }, 201);
  });

  route(app, REST.listTestResults, async (c, { params }) => c.json(await c.var.service.listTestResults(params.id)));

  route(app, REST.getTestResult, async (c, { params: { testId }, query }) => {
    const wait = Math.min(query.wait ?? 0, maxWait);
    const deadline = Date.now() + wait * 1000;
    const signal = c.req.raw.signal;
    for (;;) {
      const result = await c.var.service.getTestResult(testId);
      if (result.status !== 'pending' || Date.now() >= deadline || signal.aborted) return c.json(result);
      await new Promise((resolve) => setTimeout(resolve, Math.min(250, Math.max(deadline - Date.now(), 0))));
    }
  });

  route(app, REST.fetchMetadata, async (c, { body: { url } }) => {
    const xml = await fetchDocument(url, 'saml-metadata', c.req.raw.signal);
    return c.json({ xml });
  });

  route(app, REST.fetchOidcDiscovery, async (c, { body: { issuer } }) => {
    // An issuer (no query or fragment) or its full discovery URL: core's one URL builder.
    const target = discoveryUrlFor(issuer);
    if (!target.ok) {
      throw new PortalError('validation_failed', {
        message: `Discovery request is not valid: issuer: ${target.error.message}`,
        details: { issues: [{ path: 'issuer', message: target.error.message }], reason: target.error.code },
      });
    }
    const url = target.discoveryUrl;
    const text = await fetchDocument(url, 'oidc-discovery', c.req.raw.signal);
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      document = undefined;
    }
    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
      throw new PortalError('oidc_discovery_failed', { message: 'The OpenID configuration is not a JSON object.', details: { url } });
    }
    return c.json({ document });
  });

  route(app, REST.listDomains, async (c) => c.json(await c.var.service.listDomains()));

  route(app, REST.addDomain, async (c, { body: { name } }) => {
    const checked = normalizeDomain(name);
    const added = await claimingDomain(() => {
      if (checked.ok && takenElsewhere(c.var.organization.id, checked.domain)) {
        throw new PortalError('domain_taken', { details: { name: checked.domain } });
      }
      return c.var.service.addDomain(name);
    });
    return c.json(added, 201);
  });

  route(app, REST.verifyDomain, async (c, { params: { name } }) => {
    const checked = normalizeDomain(name);
    // Two organizations may add the same domain; only the first to verify it gets it.
    const verified = await claimingDomain(() => {
      if (checked.ok && takenElsewhere(c.var.organization.id, checked.domain)) {
        throw new PortalError('domain_taken', { details: { name: checked.domain } });
      }
      return c.var.service.verifyDomain(name);
    });
    return c.json(verified);
  });

  route(app, REST.removeDomain, async (c, { params: { name } }) => {
    await c.var.service.removeDomain(name);
    return c.body(null, 204);
  });

  // -------------------------------------------------------------------------------------
  // SP endpoints (public: IdP consoles import the metadata by URL)

  if (limiters) app.use('/saml/*', rateLimit<Env>(limiters.public, clientOf, 'requests'));
  if (limiters) app.use('/oidc/*', rateLimit<Env>(limiters.public, clientOf, 'requests'));
  if (limiters) app.use('/sso/*', rateLimit<Env>(limiters.public, clientOf, 'requests'));
  if (limiters) app.use('/api/sso/*', rateLimit<Env>(limiters.public, clientOf, 'requests'));
  // SAML responses are a few kilobytes; 1 MiB is plenty (the API's own limit is smaller).
  app.use('/saml/*', bodyLimit({ maxSize: 1024 * 1024, onError: (c) => c.text('The SAML response is too large.', 413) }));
  loginFlows?.register(app);

  // A connection's own SP metadata (its entity ID and ACS URL).
  app.get('/saml/:orgId/:connectionId/metadata', async (c) => {
    const organization = organizationOr404(pathId(c, 'orgId'));
    const connection = await serviceFor(organization).getConnection(pathId(c, 'connectionId'));
    const xml = spMetadataXml(connection.serviceProvider ?? serviceProviderFor(publicBaseUrl, organization.id));
    return c.body(xml, 200, {
      'content-type': 'application/samlmetadata+xml; charset=utf-8',
      'content-disposition': `inline; filename="sp-metadata-${connection.id}.xml"`,
      'cache-control': 'public, max-age=300',
      'access-control-allow-origin': '*',
    });
  });

  app.get('/saml/:orgId/metadata', (c) => {
    const organization = organizationOr404(pathId(c, 'orgId'));
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

  return { app, services, allowedOrigins, loginFlows };
}
