/**
 * What the admin API and the portal API sub-apps (`admin-api.ts`, `portal-api.ts`) share with the
 * app that mounts them (`app.ts`): the store, the clock, the rate limits and the rules that span
 * organizations (a domain verified by one organization is taken for the others).
 */
import type { PortalError } from '../../core/errors.js';
import type { clientAddress, Limiters } from '../rate-limit.js';
import type { OrganizationServices } from '../server-types.js';
import type { Store } from '../store/store.js';
import type { OrganizationRecord } from '../types.js';

/** What `clientAddress` reads of a request. */
export type RequestContext = Parameters<typeof clientAddress>[0];

export interface ApiContext {
  store: Store;
  services: OrganizationServices;
  now: () => Date;
  /** Without a trailing slash. */
  publicBaseUrl: string;
  /** The rate limits, or none (`rateLimits: false`). */
  limiters: Limiters | undefined;
  /**
   * A failed authentication: counted per client and per presented credential; past a limit it
   * answers 429 instead of 401. Checked after the credential, so a valid one is never refused.
   */
  authFailed: (c: RequestContext, presented: string | undefined, error: PortalError) => PortalError;
  /** The organization, or 404 `not_found`. */
  organizationOr404: (id: string) => Promise<OrganizationRecord>;
  /**
   * Whether another organization already verified this domain: the early answer. Between
   * instances racing, the database's unique index decides (`domain_taken` from the write).
   */
  takenElsewhere: (organizationId: string, domain: string) => Promise<boolean>;
}

/** The token of an `Authorization: Bearer <token>` header. */
export function bearer(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}
