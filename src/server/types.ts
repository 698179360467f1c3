/**
 * Records the mock server stores beside the contract's own shapes (`core/model.ts`), and the
 * type of the injected document fetcher.
 */
import type { Branding } from '../core/model.js';
import type { OrganizationState } from '../core/rules/state.js';

/** An enterprise customer of the host application. */
export interface OrganizationRecord {
  id: string;
  name: string;
  branding: Branding;
  createdAt: string;
}

/** A portal link. Only a SHA-256 hash of its token is stored; the token is shown once. */
export interface LinkRecord {
  id: string;
  organizationId: string;
  tokenHash: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  /**
   * The session an embed link opened (`embed.ts`): each of the admin's portal API requests
   * renews it to this many seconds from then. Absent: the link keeps its `expiresAt`.
   */
  sessionSeconds?: number;
}

/** A single-use link a host frames in its page (`embed.ts`). Only a SHA-256 hash of its token is stored. */
export interface EmbedLinkRecord {
  id: string;
  organizationId: string;
  tokenHash: string;
  /** The origin of the page that frames it: the page's `frame-ancestors` and its messages' target. */
  parentOrigin: string;
  /** How long the session it opens lasts, renewed by the admin's requests. */
  sessionSeconds: number;
  createdAt: string;
  /** It must be opened before this (about a minute after it was made). */
  expiresAt: string;
  /** When it was opened (once); null while unused. */
  consumedAt: string | null;
}

/** Everything the portal of one organization reads and writes: the state core's rules work on. */
export type OrganizationData = OrganizationState;

/** Fetches IdP metadata / OIDC discovery documents: the SSRF-guarded `createSafeFetcher()` in production. */
export type { DocumentKind, FetchDocument } from './safe-fetch.js';
