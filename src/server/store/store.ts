/**
 * Where the server keeps its state: the SQL store (`sql-store.ts`, over `../db/`). Every method
 * returns a Promise. Writes to one organization's state are one transaction each
 * (`updateOrganizationData`), so any number of server instances can share one database.
 *
 * The JSON document store below (`QueuedStore`, `JsonFileStore`) is no longer a `Store`: it only
 * reads data folders written by earlier versions (the one-time import).
 */
import type { Actor } from '../events.js';
import type { SqlDirectoryStore } from './directory-store.js';
import type { SqlTestLinkStore } from './test-link-store.js';
import type { SqlLoginAttemptStore } from './login-attempt-store.js';
import type { EmbedLinkRecord, LinkRecord, OrganizationData, OrganizationRecord } from '../types.js';

/** A change to one organization's state: the new state and what the caller gets back. */
export type OrganizationDataChange<T> = (data: OrganizationData) => Promise<{ data: OrganizationData; result: T }>;

/** Directory sync's storage (`directory-store.ts`): its public methods. */
export type DirectoryStore = { [K in keyof SqlDirectoryStore]: SqlDirectoryStore[K] };

/** Test links for a colleague (`test-link-store.ts`): its public methods. */
export type TestLinkStore = { [K in keyof SqlTestLinkStore]: SqlTestLinkStore[K] };
/** Login traces' storage (`login-attempt-store.ts`): its public methods. */
export type LoginAttemptStore = { [K in keyof SqlLoginAttemptStore]: SqlLoginAttemptStore[K] };

export interface Store {
  /** Directories (SCIM 2.0), their users, groups and request logs; each SCIM write one transaction with its events. */
  readonly directories: DirectoryStore;
  /** Test links for a colleague: made, used once, revoked; each change one transaction with its event. */
  readonly testLinks: TestLinkStore;
  /** Login traces: the last 50 login attempts of each connection (`login-attempt-store.ts`). */
  readonly loginAttempts: LoginAttemptStore;

  listOrganizations(): Promise<OrganizationRecord[]>;
  getOrganization(id: string): Promise<OrganizationRecord | undefined>;
  /** Creates or renames an organization; a new one records `organization.created` by `actor` (event log, `../events.ts`). */
  putOrganization(organization: OrganizationRecord, actor?: Actor): Promise<void>;

  listLinks(organizationId: string): Promise<LinkRecord[]>;
  getLink(id: string): Promise<LinkRecord | undefined>;
  findLinkByTokenHash(tokenHash: string): Promise<LinkRecord | undefined>;
  /** Stores a link; a new one records `portal_link.created` by `actor`. */
  putLink(link: LinkRecord, actor?: Actor): Promise<void>;
  /**
   * Revokes a link (one row update, seen at once by every instance); false when there is no such
   * link. The first revocation records `portal_link.revoked` by `actor`.
   */
  revokeLink(id: string, at: string, actor?: Actor): Promise<boolean>;
  /** Forgets links that ended (expired or were revoked) before `endedBefore` (ISO time). */
  pruneLinks(endedBefore: string): Promise<void>;
  /** Moves a live (unrevoked) link's `expiresAt` to `expiresAt` when that is later: an embed session renewed. */
  renewLink(id: string, expiresAt: string): Promise<void>;

  /** Embed links (`embed.ts`): single-use links a host frames. */
  putEmbedLink(link: EmbedLinkRecord): Promise<void>;
  findEmbedLinkByTokenHash(tokenHash: string): Promise<EmbedLinkRecord | undefined>;
  /** Marks an unused, unexpired embed link opened at `at`; false when it was used or had expired (exactly one caller wins). */
  consumeEmbedLink(id: string, at: string): Promise<boolean>;
  /** Forgets embed links made before `createdBefore` (ISO time). */
  pruneEmbedLinks(createdBefore: string): Promise<void>;

  /** Connections, domains, tests and secrets of one organization (empty when none). */
  getOrganizationData(organizationId: string): Promise<OrganizationData>;
  /**
   * Changes one organization's state in one transaction: the organization row is locked, its
   * state read and handed to `change`, and only what changed is written (connections by a
   * conditional update on their version, newly verified domains under the unique index that
   * answers `domain_taken`). Rejects with `not_found` when the organization does not exist.
   * `change` must not do slow outside work (DNS, fetches): do that before. The events of the
   * change (`organizationEvents` of `../events.ts`) are recorded in the same transaction, by
   * `actor` (default: the system job `server`).
   */
  updateOrganizationData<T>(organizationId: string, change: OrganizationDataChange<T>, actor?: Actor): Promise<T>;
  /** The organization that verified `domain` (normalized), if any; `exceptId` is left out. */
  verifiedOwnerOf(domain: string, exceptId?: string): Promise<OrganizationRecord | undefined>;

  /** Small named values, e.g. server settings. */
  getSetting(name: string): Promise<string | undefined>;
  putSetting(name: string, value: string): Promise<void>;

  /**
   * Resolves when the store can serve requests (`GET /readyz`): the database answers and its
   * migrations are applied; rejects with the reason otherwise. Cheap (load balancers ask every
   * few seconds).
   */
  ready(): Promise<void>;
}

/**
 * The JSON document store of earlier versions (synchronous reads from memory, writes queued):
 * what `JsonFileStore` offers to the import of an old data folder.
 */
export interface DocumentStore {
  listOrganizations(): OrganizationRecord[];
  getOrganization(id: string): OrganizationRecord | undefined;
  putOrganization(organization: OrganizationRecord): Promise<void>;
  listLinks(organizationId: string): LinkRecord[];
  getLink(id: string): LinkRecord | undefined;
  findLinkByTokenHash(tokenHash: string): LinkRecord | undefined;
  putLink(link: LinkRecord): Promise<void>;
  pruneLinks(endedBefore: string): Promise<void>;
  getOrganizationData(organizationId: string): OrganizationData;
  putOrganizationData(organizationId: string, data: OrganizationData): Promise<void>;
  getAcceptedAssertions(): Record<string, number>;
  putAcceptedAssertions(entries: Record<string, number>): Promise<void>;
  getSetting(name: string): string | undefined;
  putSetting(name: string, value: string): Promise<void>;
  ready(): Promise<void>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** The one JSON document a store holds. */
export interface StoreDocument {
  format: 1;
  organizations: Record<string, OrganizationRecord>;
  links: Record<string, LinkRecord>;
  data: Record<string, OrganizationData>;
  settings: Record<string, string>;
  /** See `DocumentStore.getAcceptedAssertions` (absent in documents written before it existed). */
  acceptedAssertions?: Record<string, number>;
}

export function emptyDocument(): StoreDocument {
  return { format: 1, organizations: {}, links: {}, data: {}, settings: {} };
}

export function emptyOrganizationData(): OrganizationData {
  return { connections: [], domains: [], tests: [], secrets: {} };
}

const clone = <T>(value: T): T => structuredClone(value);

/**
 * The in-memory document plus an ordered write queue; subclasses decide what "durable" means.
 * Each put snapshots the whole document as it is at that moment, so the persisted states are
 * exactly the successive states, in order.
 */
export abstract class QueuedStore implements DocumentStore {
  protected document: StoreDocument;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  /** The error of the latest write made durable, when it failed (cleared by the next one that succeeds). */
  #writeError: unknown;

  protected constructor(document: StoreDocument) {
    this.document = document;
  }

  /** Makes this serialised document durable. Called one at a time, in order. */
  protected abstract persist(serialized: string): Promise<void>;

  listOrganizations(): OrganizationRecord[] {
    return Object.values(this.document.organizations)
      .map(clone)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  getOrganization(id: string): OrganizationRecord | undefined {
    const found = Object.hasOwn(this.document.organizations, id) ? this.document.organizations[id] : undefined;
    return found && clone(found);
  }

  putOrganization(organization: OrganizationRecord): Promise<void> {
    return this.#write((d) => {
      d.organizations[organization.id] = clone(organization);
    });
  }

  listLinks(organizationId: string): LinkRecord[] {
    return Object.values(this.document.links)
      .filter((l) => l.organizationId === organizationId)
      .map(clone)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  getLink(id: string): LinkRecord | undefined {
    const found = Object.hasOwn(this.document.links, id) ? this.document.links[id] : undefined;
    return found && clone(found);
  }

  findLinkByTokenHash(tokenHash: string): LinkRecord | undefined {
    const found = Object.values(this.document.links).find((l) => l.tokenHash === tokenHash);
    return found && clone(found);
  }

  putLink(link: LinkRecord): Promise<void> {
    return this.#write((d) => {
      d.links[link.id] = clone(link);
    });
  }

  pruneLinks(endedBefore: string): Promise<void> {
    const ended = (l: LinkRecord) => (l.revokedAt && l.revokedAt < l.expiresAt ? l.revokedAt : l.expiresAt) < endedBefore;
    if (!Object.values(this.document.links).some(ended)) return Promise.resolve();
    return this.#write((d) => {
      for (const [id, link] of Object.entries(d.links)) if (ended(link)) delete d.links[id];
    });
  }

  getOrganizationData(organizationId: string): OrganizationData {
    const found = Object.hasOwn(this.document.data, organizationId) ? this.document.data[organizationId] : undefined;
    return found ? clone(found) : emptyOrganizationData();
  }

  putOrganizationData(organizationId: string, data: OrganizationData): Promise<void> {
    return this.#write((d) => {
      d.data[organizationId] = clone(data);
    });
  }

  getAcceptedAssertions(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [key, until] of Object.entries(this.document.acceptedAssertions ?? {})) if (Number.isFinite(until)) out[key] = until;
    return out;
  }

  putAcceptedAssertions(entries: Record<string, number>): Promise<void> {
    return this.#write((d) => {
      d.acceptedAssertions = { ...entries };
    });
  }

  getSetting(name: string): string | undefined {
    return Object.hasOwn(this.document.settings, name) ? this.document.settings[name] : undefined;
  }

  putSetting(name: string, value: string): Promise<void> {
    return this.#write((d) => {
      d.settings[name] = value;
    });
  }

  async ready(): Promise<void> {
    if (this.#closed) throw new Error('The store is closed.');
    if (this.#writeError !== undefined) {
      const reason = this.#writeError instanceof Error ? this.#writeError.message : 'unknown error';
      throw new Error(`The latest write failed: ${reason}`, { cause: this.#writeError });
    }
    await this.checkStorage();
  }

  /** Rejects when the storage cannot be written (see `ready`). */
  protected checkStorage(): Promise<void> {
    return Promise.resolve();
  }

  flush(): Promise<void> {
    return this.#queue;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#queue;
  }

  /** The document as written (a store may encrypt parts of it). */
  protected serialize(document: StoreDocument): string {
    return JSON.stringify(document);
  }

  #write(change: (document: StoreDocument) => void): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('The store is closed.'));
    change(this.document);
    const serialized = this.serialize(this.document);
    // A failed write does not stop later ones; the caller of the failed one sees the error.
    const done = this.#queue.then(() => this.persist(serialized));
    this.#queue = done.then(
      () => {
        this.#writeError = undefined;
      },
      (error: unknown) => {
        this.#writeError = error;
      },
    );
    return done;
  }
}
