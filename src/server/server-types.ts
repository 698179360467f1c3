/**
 * What the server's modules share (the app, its sub-apps, the login flows, the pages, the
 * metadata refresh): the Hono environment, the organizations' services and the token hash.
 * Its own module so that none of them imports `app.ts` (no import cycles).
 */
import { createHash } from 'node:crypto';
import { OrganizationService, type OrganizationServiceOptions } from './organization-service.js';
import type { Actor } from './events.js';
import type { Store } from './store/store.js';
import type { LinkRecord, OrganizationRecord } from './types.js';

/** The variables the server's middleware sets (request id; on the portal API, the link's organization). */
export type Env = { Variables: { organization: OrganizationRecord; link: LinkRecord; service: OrganizationService; requestId: string } };

/**
 * The organizations' domain services, shared by the app and whatever else writes connections
 * (the metadata refresh). A service keeps no state between calls (the store has it all), so
 * each call gets a new one for the organization record it was given.
 */
export class OrganizationServices {
  readonly store: Store;
  #options: OrganizationServiceOptions;

  constructor(store: Store, options: OrganizationServiceOptions) {
    this.store = store;
    this.#options = options;
  }

  /** `actor`: who the writes are for (the event log); default the system. */
  serviceFor(organization: OrganizationRecord, actor?: Actor): OrganizationService {
    return new OrganizationService(this.store, organization, this.#options, actor);
  }
}

/** Portal link tokens are stored and looked up by this hash only. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
