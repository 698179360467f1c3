/**
 * An organization's SSO state as the host shows it in its own admin UI
 * (`GET /api/admin/organizations/:orgId/sso`, the demo dashboard): its connections (provider,
 * protocol, status, last test, certificate expiry), its domains and how they were verified,
 * the latest sign-in through SSO and its latest events.
 *
 * The latest sign-in is kept in the store (setting `last-sign-in:<orgId>`), written by the
 * login flows when a user signs in (not by test logins).
 */
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from './db/schema.js';
import { listEvents, type PortalEvent } from './events.js';
import type { OrganizationService } from './organization-service.js';
import type { Store } from './store/store.js';

const lastSignInSetting = (organizationId: string) => `last-sign-in:${organizationId}`;

/** Records a user's sign-in (time and connection) as the organization's latest. */
export async function recordSignIn(store: Store, organizationId: string, connectionId: string, at: string): Promise<void> {
  await store.putSetting(lastSignInSetting(organizationId), JSON.stringify({ at, connectionId }));
}

async function lastSignInAt(store: Store, organizationId: string): Promise<string | null> {
  const raw = await store.getSetting(lastSignInSetting(organizationId));
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as { at?: unknown };
    return typeof parsed.at === 'string' ? parsed.at : null;
  } catch {
    return null;
  }
}

export interface SsoState {
  organization: { id: string; name: string };
  status: 'active' | 'staged' | 'configured' | 'none';
  connections: {
    id: string;
    protocol: 'saml' | 'oidc';
    providerId: string;
    name: string | null;
    status: 'draft' | 'configured' | 'active' | 'inactive';
    lastTest: { status: string; at: string; errorCode?: string; stale: boolean } | null;
    certificateExpiresAt: string | null;
    staged: { testUsers: string[]; signedIn: string[] } | null;
    updatedAt: string;
  }[];
  domains: { name: string; status: string; method: string; verifiedAt: string | null }[];
  lastSignInAt: string | null;
  recentEvents: PortalEvent[];
}

/** How many of the latest events the state carries. */
export const RECENT_EVENTS = 10;

export async function ssoState(store: Store, db: Kysely<DatabaseSchema>, service: OrganizationService): Promise<SsoState> {
  const { id, name } = service.organization;
  const [connections, domains, signIn, events] = await Promise.all([
    service.listConnections(),
    service.listDomains(),
    lastSignInAt(store, id),
    listEvents(db, { organizationId: id, limit: RECENT_EVENTS }),
  ]);
  const status = connections.some((c) => c.status === 'active')
    ? 'active'
    : connections.some((c) => c.staged)
      ? 'staged'
      : connections.some((c) => c.status === 'configured' || c.status === 'inactive')
        ? 'configured'
        : 'none';
  return {
    organization: { id, name },
    status,
    connections: connections.map((c) => ({
      id: c.id,
      protocol: c.protocol,
      providerId: c.providerId,
      name: c.name ?? null,
      status: c.status,
      lastTest: c.lastTest ? { status: c.lastTest.status, at: c.lastTest.at, ...(c.lastTest.errorCode ? { errorCode: c.lastTest.errorCode } : {}), stale: c.lastTest.stale } : null,
      certificateExpiresAt: c.certificateExpiresAt ?? null,
      staged: c.staged ? { testUsers: c.staged.testUsers, signedIn: c.staged.signedIn } : null,
      updatedAt: c.updatedAt,
    })),
    domains: domains.map((d) => ({ name: d.name, status: d.status, method: d.method, verifiedAt: d.verifiedAt })),
    lastSignInAt: signIn,
    recentEvents: events?.events ?? [],
  };
}
