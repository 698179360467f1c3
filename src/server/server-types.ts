/**
 * What the server's modules share (the app, its sub-apps, the login flows, the pages, the
 * metadata refresh): the Hono environment, the organizations' services and the token hash.
 * Its own module so that none of them imports `app.ts` (no import cycles).
 */
import { createHash } from 'node:crypto';
import { OrganizationService, type OrganizationServiceOptions } from './organization-service.js';
import type { Store } from './store/store.js';
import type { LinkRecord, OrganizationRecord } from './types.js';

/** The variables the server's middleware sets (request id; on the portal API, the link's organization). */
export type Env = { Variables: { organization: OrganizationRecord; link: LinkRecord; service: OrganizationService; requestId: string } };

/**
 * The organizations' domain services, one per organization, shared by the app and whatever else
 * writes connections (the metadata refresh): a second instance would work on stale state.
 */
export class OrganizationServices {
  readonly store: Store;
  #options: OrganizationServiceOptions;
  #services = new Map<string, OrganizationService>();

  constructor(store: Store, options: OrganizationServiceOptions) {
    this.store = store;
    this.#options = options;
  }

  serviceFor(organization: OrganizationRecord): OrganizationService {
    let service = this.#services.get(organization.id);
    if (!service) {
      service = new OrganizationService(this.store, organization, this.#options);
      this.#services.set(organization.id, service);
    }
    return service;
  }
}

/** Portal link tokens are stored and looked up by this hash only. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
