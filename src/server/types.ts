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
}

/** Everything the portal of one organization reads and writes: the state core's rules work on. */
export type OrganizationData = OrganizationState;

/** Fetches IdP metadata / OIDC discovery documents: the SSRF-guarded `createSafeFetcher()` in production. */
export type { DocumentKind, FetchDocument } from './safe-fetch.js';
