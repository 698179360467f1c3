/**
 * The admin API (`/api/admin/*`, docs/rest-api.md): the host's backend, with the admin key as a
 * Bearer token, creates organizations and portal links. A Hono sub-app, mounted by `app.ts`
 * after the middleware every API answer goes through (request log, security headers, body limit).
 */
import { routeEmail } from '../login/routing.js';
import { X509Certificate, randomBytes, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { PortalError } from '../../core/errors.js';
import { normalizeDomain } from '../../core/domains.js';
import type { Branding } from '../../core/model.js';
import { REST } from '../../core/rest-contract.js';
import { linkForgetBefore, newLinkTimes, unwrap } from '../../core/rules/index.js';
import { route } from '../contract-routes.js';
import { createEmbedLink } from '../embed.js';
import { adminKeyActor } from '../events.js';
import { rateLimit } from '../rate-limit.js';
import { hashToken, type Env } from '../server-types.js';
import type { LinkRecord, OrganizationRecord } from '../types.js';
import { registerAdminDirectoryRoutes } from './admin-directory-api.js';
import { registerAdminTestLinkRoutes } from './test-link-api.js';
import { registerAdminLoginTraceRoutes } from './login-trace-api.js';
import { registerAdminEventRoutes, type AdminEventsOptions } from './admin-events-api.js';
import { bearer, type ApiContext } from './api-context.js';
import type { SpEncryptionKeys, SpKeys } from '../saml/sp-keys.js';
import type { KeyPair } from '../simulator/keys.js';

/** Where `app.ts` mounts the admin API. */
export const ADMIN_API_PATH = '/api/admin';

export interface AdminApiOptions {
  /** The secret of the admin API (`Authorization: Bearer <adminKey>`). */
  adminKey: string;
  /** Branding of organizations created without one. */
  defaultBranding?: Branding;
  /** Our per-connection SP keys: the encryption key rollover routes need them. */
  spKeys?: SpKeys;
  /** The origins whose pages may frame an embed link (the app's allowed origins). */
  allowedOrigins: ReadonlySet<string>;
  /** The event log, the SSO state and the webhook endpoints (`admin-events-api.ts`). */
  events: Omit<AdminEventsOptions, 'actor'>;
}

/** A certificate as the admin API shows it: public parts only, never the private key. */
function certificateOf(pair: KeyPair) {
  const certificate = new X509Certificate(pair.certificatePem);
  return { certificatePem: pair.certificatePem, fingerprint: certificate.fingerprint256, notAfter: new Date(certificate.validTo).toISOString() };
}

const encryptionKeysOf = (keys: SpEncryptionKeys) => ({ current: certificateOf(keys.current), next: keys.next ? certificateOf(keys.next) : null });

const randomId = (prefix: string) => `${prefix}_${randomBytes(9).toString('base64url').replace(/[^A-Za-z0-9]/g, 'x')}`;

function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(Buffer.from(hashToken(given), 'hex'), Buffer.from(hashToken(expected), 'hex'));
}

function checkedDomain(name: string): string {
  const checked = normalizeDomain(name);
  if (!checked.ok) throw new PortalError('domain_invalid', { message: checked.error.message, details: { name } });
  return checked.domain;
}

/** The admin API, to mount at `ADMIN_API_PATH`. */
export function createAdminApi(api: ApiContext, options: AdminApiOptions): Hono<Env> {
  const { store, now, publicBaseUrl, limiters, authFailed, organizationOr404, takenElsewhere } = api;
  const { adminKey } = options;
  /** The event log's actor of every change made here: the admin key's fingerprint. */
  const actor = adminKeyActor(adminKey);
  const admin = new Hono<Env>();

  admin.use(async (c, next) => {
    const given = bearer(c.req.header('authorization'));
    if (!given || !sameSecret(given, adminKey)) {
      throw authFailed(c, given, new PortalError('forbidden', { status: 401, message: 'The admin API needs the admin key as a Bearer token.' }));
    }
    await next();
  });
  if (limiters) admin.use(rateLimit<Env>(limiters.admin, () => 'admin', 'admin API requests'));

  route(
    admin,
    REST.createOrganization,
    async (c, { body: input }) => {
      const organization: OrganizationRecord = {
        id: randomId('org'),
        name: input.name,
        branding: input.branding ?? options.defaultBranding ?? { name: 'Acme' },
        createdAt: now().toISOString(),
      };
      await store.putOrganization(organization, actor);
      return c.json(organization, 201);
    },
    ADMIN_API_PATH,
  );

  route(admin, REST.listOrganizations, async (c) => c.json(await store.listOrganizations()), ADMIN_API_PATH);

  route(admin, REST.getOrganization, async (c, { params }) => c.json(await organizationOr404(params.orgId)), ADMIN_API_PATH);

  route(
    admin,
    REST.createLink,
    async (c, { params, body: input }) => {
      const organization = await organizationOr404(params.orgId);
      const token = randomBytes(32).toString('base64url');
      const created = now();
      const link: LinkRecord = {
        id: randomId('link'),
        organizationId: organization.id,
        tokenHash: hashToken(token),
        ...unwrap(newLinkTimes(created, input.lifetimeHours)).value,
      };
      await store.putLink(link, actor);
      // Links that ended more than LINK_RETENTION_DAYS ago are forgotten (settings pages mint many).
      await store.pruneLinks(linkForgetBefore(created));
      return c.json({ id: link.id, url: `${publicBaseUrl}/portal/${token}`, token, expiresAt: link.expiresAt }, 201);
    },
    ADMIN_API_PATH,
  );

  route(
    admin,
    REST.createEmbedLink,
    async (c, { params, body: input }) => {
      const organization = await organizationOr404(params.orgId);
      const created = await createEmbedLink(
        store,
        { organizationId: organization.id, parentOrigin: input.parentOrigin, sessionMinutes: input.sessionMinutes },
        { now: now(), publicBaseUrl, allowedOrigins: options.allowedOrigins },
      );
      return c.json(created, 201);
    },
    ADMIN_API_PATH,
  );

  route(
    admin,
    REST.listLinks,
    async (c, { params }) => {
      const organization = await organizationOr404(params.orgId);
      return c.json((await store.listLinks(organization.id)).map(({ id, expiresAt, revokedAt, createdAt }) => ({ id, expiresAt, revokedAt, createdAt })));
    },
    ADMIN_API_PATH,
  );

  route(
    admin,
    REST.revokeLink,
    async (c, { params }) => {
      // One row update: every instance refuses the link from the next request on.
      if (!(await store.revokeLink(params.linkId, now().toISOString(), actor))) throw new PortalError('not_found', { message: 'This link does not exist.' });
      return c.body(null, 204);
    },
    ADMIN_API_PATH,
  );

  // Our encryption key of a SAML connection: start a rollover (the next key decrypts at once and
  // is published beside the current one in the connection's SP metadata), then, once the IdP
  // encrypts for it, finish it (the next key becomes the current one; the old one is deleted).
  const samlConnection = async (orgId: string, connectionId: string) => {
    const organization = await organizationOr404(orgId);
    const connection = await api.services.serviceFor(organization).getConnection(connectionId);
    if (connection.protocol !== 'saml') throw new PortalError('validation_failed', { message: 'Encryption keys belong to SAML connections; this one is OIDC.' });
    if (!options.spKeys) throw new PortalError('not_found', { message: 'This server keeps no SAML keys.' });
    return { keys: options.spKeys, organizationId: organization.id, connectionId: connection.id };
  };
  route(
    admin,
    REST.getEncryptionKeys,
    async (c, { params }) => {
      const { keys, organizationId, connectionId } = await samlConnection(params.orgId, params.connectionId);
      return c.json(encryptionKeysOf(await keys.encryptionKeys(organizationId, connectionId)));
    },
    ADMIN_API_PATH,
  );
  route(
    admin,
    REST.startEncryptionRollover,
    async (c, { params }) => {
      const { keys, organizationId, connectionId } = await samlConnection(params.orgId, params.connectionId);
      await keys.startEncryptionRollover(organizationId, connectionId);
      return c.json(encryptionKeysOf(await keys.encryptionKeys(organizationId, connectionId)));
    },
    ADMIN_API_PATH,
  );
  route(
    admin,
    REST.finishEncryptionRollover,
    async (c, { params }) => {
      const { keys, organizationId, connectionId } = await samlConnection(params.orgId, params.connectionId);
      if (!(await keys.finishEncryptionRollover(organizationId, connectionId))) {
        throw new PortalError('conflict', { message: 'No encryption key rollover is in progress: start one first.' });
      }
      return c.json(encryptionKeysOf(await keys.encryptionKeys(organizationId, connectionId)));
    },
    ADMIN_API_PATH,
  );

  route(
    admin,
    REST.verifyDomainManually,
    async (c, { params }) => {
      const organization = await organizationOr404(params.orgId);
      const domain = checkedDomain(params.name);
      if (await takenElsewhere(organization.id, domain)) throw new PortalError('domain_taken', { details: { name: domain } });
      const verified = await api.services.serviceFor(organization, actor).verifyDomainManually(domain);
      return c.json(verified);
    },
    ADMIN_API_PATH,
  );

  // Where an email signs in, and why: discovery's own decision (login/routing.ts), for the host.
  route(admin, REST.previewHostRouting, async (c, { body }) => c.json(await routeEmail(api.store, body.email)), ADMIN_API_PATH);

  registerAdminEventRoutes(admin, api, { ...options.events, actor }, ADMIN_API_PATH);
  registerAdminDirectoryRoutes(admin, api, ADMIN_API_PATH);
  registerAdminTestLinkRoutes(admin, api, ADMIN_API_PATH);
  registerAdminLoginTraceRoutes(admin, api, ADMIN_API_PATH);

  return admin;
}
