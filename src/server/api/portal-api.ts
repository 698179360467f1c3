/**
 * The portal API (`/api/portal/*`, docs/rest-api.md): what `<sso-admin-portal>` calls with a
 * portal link's token, scoped to that link's organization. A Hono sub-app, mounted by `app.ts`
 * after the middleware every API answer goes through (request log, security headers, CORS, body
 * limit).
 */
import { Hono, type Context } from 'hono';
import { PortalError } from '../../core/errors.js';
import { normalizeDomain } from '../../core/domains.js';
import { discoveryUrlFor } from '../../core/oidc-discovery.js';
import { parseSamlMetadata } from '../../core/saml-metadata.js';
import type { Connection, PortalSession } from '../../core/model.js';
import { REST } from '../../core/rest-contract.js';
import { linkError } from '../../core/rules/index.js';
import { route } from '../contract-routes.js';
import { renewedSessionExpiry } from '../embed.js';
import { linkActor } from '../events.js';
import type { LoginFlows } from '../login/login-flows.js';
import { routeEmail } from '../login/routing.js';
import { readCertificateUsage, withCertificateUsage as withUsage } from '../certificate-usage.js';
import { approveMetadataChange, dismissMetadataChange, readRefreshRecords } from '../metadata-refresh.js';
import { englishAnswer } from '../page-language.js';
import type { OrganizationServiceOptions } from '../organization-service.js';
import { rateLimit, takeToken } from '../rate-limit.js';
import { hashToken, type Env } from '../server-types.js';
import type { FetchDocument, LinkRecord, OrganizationRecord } from '../types.js';
import { bearer, type ApiContext } from './api-context.js';
import { registerPortalDirectoryRoutes } from './portal-directory-api.js';
import { registerPortalTestLinkRoutes } from './test-link-api.js';
import { registerPortalLoginTraceRoutes } from './login-trace-api.js';
import type { SpKeys } from '../saml/sp-keys.js';

/** Where `app.ts` mounts the portal API. */
export const PORTAL_API_PATH = '/api/portal';

export interface PortalApiOptions {
  /** Fetches IdP metadata and OIDC discovery documents (the SSRF-guarded fetcher). */
  fetchDocument: FetchDocument;
  /** Longest long-poll of a test result, in seconds. */
  maxWaitSeconds: number;
  /** Real test logins, when the server has them: a started test gets its `loginUrl`. */
  loginFlows?: LoginFlows;
  /** The IdP simulator (development servers): IdP-initiated tests link to its page. */
  simulator?: OrganizationServiceOptions['simulator'];
  /** Host origins allowed to call the portal API (the popup reports to the opener's origin). */
  allowedOrigins: ReadonlySet<string>;
  /** Our per-connection SP keys: a deleted connection's keys are deleted with it. */
  spKeys?: SpKeys;
  /** Development servers (default true, as the session's features say): the Directory Simulator may be chosen. */
  devMode?: boolean;
}

/** What shows a connection as the portal API answers it. */
interface ShownContext {
  store: ApiContext['store'];
  publicBaseUrl: string;
  /** Our per-connection SP keys, when the server has them: SAML connections then link to our certificates. */
  spKeys?: SpKeys;
}

/**
 * SAML connections on a server with keys: where its guides download our certificates
 * (`app.ts` serves them; created on first download).
 */
function withCertificateUrls(shown: ShownContext, organizationId: string, connection: Connection): Connection {
  if (!shown.spKeys || connection.protocol !== 'saml' || !connection.serviceProvider) return connection;
  const base = `${shown.publicBaseUrl}/saml/${encodeURIComponent(organizationId)}/${encodeURIComponent(connection.id)}`;
  return {
    ...connection,
    serviceProvider: { ...connection.serviceProvider, signingCertificateUrl: `${base}/signing-certificate.cer`, encryptionCertificateUrl: `${base}/encryption-certificate.cer` },
  };
}

/**
 * Connections as answered: with the latest metadata refresh (`metadataRefresh`), when there was
 * one, which signing certificates verified logins (`signingCertificateUsage`,
 * certificate-usage.ts), and our certificates' URLs.
 */
async function connectionsAsShown(shown: ShownContext, organizationId: string, connections: Connection[]): Promise<Connection[]> {
  const records = await readRefreshRecords(shown.store, organizationId);
  const used = await readCertificateUsage(shown.store, organizationId);
  return connections.map((connection) => {
    const record = records[connection.id];
    return withCertificateUrls(shown, organizationId, withUsage(used, record ? { ...connection, metadataRefresh: record } : connection));
  });
}

/**
 * The portal API's answers to `GET /session` and `GET /connections` for an open portal link, made
 * as those routes make them: the hosted page carries them (pages.ts `initial-data`), so the portal
 * paints its overview without asking, and the page costs one lookup of the link instead of one per
 * answer.
 */
export type PortalFirstAnswers = (link: LinkRecord, organization: OrganizationRecord) => Promise<{ session: PortalSession; connections: Connection[] }>;

export function portalFirstAnswers(api: Pick<ApiContext, 'store' | 'services' | 'publicBaseUrl'>, spKeys: SpKeys | undefined): PortalFirstAnswers {
  const shown: ShownContext = { store: api.store, publicBaseUrl: api.publicBaseUrl, spKeys };
  return async (link, organization) => {
    const service = api.services.serviceFor(organization, linkActor(link.id));
    return { session: service.session(link.expiresAt), connections: await connectionsAsShown(shown, organization.id, await service.listConnections()) };
  };
}

/** The portal API, to mount at `PORTAL_API_PATH`. */
export function createPortalApi(api: ApiContext, options: PortalApiOptions): Hono<Env> {
  const { store, now, publicBaseUrl, limiters, authFailed, takenElsewhere } = api;
  const { fetchDocument, loginFlows, allowedOrigins } = options;
  const maxWait = options.maxWaitSeconds;
  const portal = new Hono<Env>();

  const shownContext: ShownContext = { store, publicBaseUrl, spKeys: options.spKeys };
  const shown = async (c: Context<Env>, connection: Connection): Promise<Connection> => (await shownAll(c, [connection]))[0]!;
  const shownAll = (c: Context<Env>, connections: Connection[]): Promise<Connection[]> => connectionsAsShown(shownContext, c.var.organization.id, connections);

  portal.use(async (c, next) => {
    const token = bearer(c.req.header('authorization'));
    const link = token ? await store.findLinkByTokenHash(hashToken(token)) : undefined;
    // Checked on every request: a revoked or expired link stops an open session at once.
    const refused = linkError(link, now());
    if (refused || !link) throw authFailed(c, token, refused ?? new PortalError('session_expired'));
    const organization = await store.getOrganization(link.organizationId);
    if (!organization) throw authFailed(c, token, new PortalError('session_expired'));
    // An embed session is renewed by each of its admin's requests but the session read (embed.ts).
    const renewed = c.req.method === 'GET' && c.req.path === REST.getSession.path ? undefined : renewedSessionExpiry(link, now());
    if (renewed) await store.renewLink(link.id, renewed);
    c.set('link', renewed ? { ...link, expiresAt: renewed } : link);
    c.set('organization', organization);
    c.set('service', api.services.serviceFor(organization, linkActor(link.id)));
    await next();
  });

  if (limiters) {
    // Per portal link (one token, one bucket); the outbound fetches have a much smaller one.
    portal.use(rateLimit<Env>(limiters.portal, (c) => c.var.link.id, 'requests'));
    const fetchLimit = rateLimit<Env>(limiters.documentFetch, (c) => c.var.link.id, 'document downloads');
    portal.use('/metadata', fetchLimit);
    portal.use('/oidc-discovery', fetchLimit);
    // Each verification is a DNS lookup: a few per minute per organization is plenty.
    portal.use('/domains/:name/verify', rateLimit<Env>(limiters.dnsCheck, (c) => c.var.organization.id, 'domain checks'));
  }

  route(portal, REST.getSession, (c) => c.json(c.var.service.session(c.var.link.expiresAt)), PORTAL_API_PATH);

  route(portal, REST.listConnections, async (c) => c.json(await shownAll(c, await c.var.service.listConnections())), PORTAL_API_PATH);

  route(portal, REST.createConnection, async (c, { body: input }) => c.json(await shown(c, await c.var.service.createConnection(input)), 201), PORTAL_API_PATH);

  route(portal, REST.getConnection, async (c, { params }) => c.json(await shown(c, await c.var.service.getConnection(params.id))), PORTAL_API_PATH);

  route(
    portal,
    REST.updateConnection,
    async (c, { params, body: input }) => c.json(await shown(c, await c.var.service.updateConnection(params.id, input.version, input.changes))),
    PORTAL_API_PATH,
  );

  route(
    portal,
    REST.deleteConnection,
    async (c, { params }) => {
      await c.var.service.deleteConnection(params.id);
      await options.spKeys?.forget(c.var.organization.id, params.id);
      return c.body(null, 204);
    },
    PORTAL_API_PATH,
  );

  route(
    portal,
    REST.setConnectionEnabled,
    async (c, { params, body: input }) => c.json(await shown(c, await c.var.service.setConnectionEnabled(params.id, input.version, input.enabled))),
    PORTAL_API_PATH,
  );

  // Staged activation (core/rules/staging.ts) and the routing preview: the organization's own
  // view of discovery (routing.ts; another organization's domain is not explained).
  route(
    portal,
    REST.stageConnection,
    async (c, { params, body }) => c.json(await shown(c, await c.var.service.stageConnection(params.id, body.version, body.testUsers))),
    PORTAL_API_PATH,
  );
  route(portal, REST.previewRouting, async (c, { body }) => c.json(await routeEmail(store, body.email, c.var.organization)), PORTAL_API_PATH);

  // A metadata change waiting for review (`metadataRefresh.pending`, metadata-refresh.ts).
  route(
    portal,
    REST.approveMetadataChange,
    async (c, { params, body }) => c.json(await shown(c, await englishAnswer(() => approveMetadataChange(store, c.var.service, c.var.organization.id, params.id, body.version, now())))),
    PORTAL_API_PATH,
  );
  route(
    portal,
    REST.dismissMetadataChange,
    async (c, { params }) => c.json(await shown(c, await englishAnswer(() => dismissMetadataChange(store, c.var.service, c.var.organization.id, params.id, now())))),
    PORTAL_API_PATH,
  );

  route(
    portal,
    REST.startTest,
    async (c, { params: { id }, body: input }) => {
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
      const loginUrl = await loginFlows.startTest(c.var.organization.id, connection, started.testId, origin && allowedOrigins.has(origin) ? origin : undefined);
      return c.json({ ...started, loginUrl }, 201);
    },
    PORTAL_API_PATH,
  );

  route(portal, REST.listTestResults, async (c, { params }) => c.json(await c.var.service.listTestResults(params.id)), PORTAL_API_PATH);

  route(
    portal,
    REST.getTestResult,
    async (c, { params: { testId }, query }) => {
      const wait = Math.min(query.wait ?? 0, maxWait);
      const deadline = Date.now() + wait * 1000;
      const signal = c.req.raw.signal;
      for (;;) {
        const result = await c.var.service.getTestResult(testId);
        if (result.status !== 'pending' || Date.now() >= deadline || signal.aborted) return c.json(result);
        await new Promise((resolve) => setTimeout(resolve, Math.min(250, Math.max(deadline - Date.now(), 0))));
      }
    },
    PORTAL_API_PATH,
  );

  route(
    portal,
    REST.fetchMetadata,
    async (c, { body: { url } }) => {
      const xml = await fetchDocument(url, 'saml-metadata', c.req.raw.signal);
      return c.json({ xml });
    },
    PORTAL_API_PATH,
  );

  route(
    portal,
    REST.readSamlMetadata,
    async (c, { body: { xml, url, entityId } }) => {
      if ((xml === undefined) === (url === undefined)) {
        const message = 'give either xml (the metadata itself) or url (where to download it), not both';
        throw new PortalError('validation_failed', { message: `Metadata is not valid: ${message}`, details: { issues: [{ path: '', message }] } });
      }
      // A download: the same bucket as `fetchMetadata`.
      if (url !== undefined && limiters) takeToken(limiters.documentFetch, c.var.link.id, 'document downloads');
      const text = url !== undefined ? await fetchDocument(url, 'saml-metadata', c.req.raw.signal) : xml!;
      // The result's messages in English, whatever the browser's language (the element words known codes itself).
      return c.json(await englishAnswer(() => parseSamlMetadata(text, { entityId, now: now() })));
    },
    PORTAL_API_PATH,
  );

  route(
    portal,
    REST.fetchOidcDiscovery,
    async (c, { body: { issuer } }) => {
      // An issuer (no query or fragment) or its full discovery URL: core's one URL builder.
      const target = englishAnswer(() => discoveryUrlFor(issuer));
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
    },
    PORTAL_API_PATH,
  );

  route(portal, REST.listDomains, async (c) => c.json(await c.var.service.listDomains()), PORTAL_API_PATH);

  route(
    portal,
    REST.addDomain,
    async (c, { body: { name } }) => {
      const checked = normalizeDomain(name);
      if (checked.ok && (await takenElsewhere(c.var.organization.id, checked.domain))) {
        throw new PortalError('domain_taken', { details: { name: checked.domain } });
      }
      const added = await c.var.service.addDomain(name);
      return c.json(added, 201);
    },
    PORTAL_API_PATH,
  );

  route(
    portal,
    REST.verifyDomain,
    async (c, { params: { name } }) => {
      const checked = normalizeDomain(name);
      // Two organizations may add the same domain; only the first to verify it gets it (the
      // database's unique index decides between instances racing).
      if (checked.ok && (await takenElsewhere(c.var.organization.id, checked.domain))) {
        throw new PortalError('domain_taken', { details: { name: checked.domain } });
      }
      const verified = await c.var.service.verifyDomain(name);
      return c.json(verified);
    },
    PORTAL_API_PATH,
  );

  route(
    portal,
    REST.removeDomain,
    async (c, { params: { name } }) => {
      await c.var.service.removeDomain(name);
      return c.body(null, 204);
    },
    PORTAL_API_PATH,
  );

  // Directory sync (SCIM 2.0): `portal-directory-api.ts`.
  registerPortalDirectoryRoutes(portal, api, { devMode: options.devMode ?? true }, PORTAL_API_PATH);
  // Test links for a colleague: `test-link-api.ts`.
  registerPortalTestLinkRoutes(portal, api, { realLogins: !!loginFlows }, PORTAL_API_PATH);
  // Login traces (issue 15): `login-trace-api.ts`.
  registerPortalLoginTraceRoutes(portal, api, PORTAL_API_PATH);

  return portal;
}
