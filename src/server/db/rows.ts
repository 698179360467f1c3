/**
 * The server's records (`../types.ts`, `../../core/model.ts`) as rows of `schema.ts`, and back.
 * One mapping for every reader and writer (the JSON import, the SQL store): what a query
 * filters on is a column, the rest of a connection is its `config`; times are ISO strings in
 * records and `timestamptz` in rows.
 */
import type { Insertable, Selectable } from 'kysely';
import type { Connection, Domain, TestResult } from '../../core/model.js';
import type { LinkRecord, OrganizationRecord } from '../types.js';
import type { ConnectionConfig, ConnectionsTable, DomainsTable, OrganizationsTable, PortalLinksTable, TestResultDetails, TestResultsTable } from './schema.js';

const iso = (value: Date): string => value.toISOString();
const isoOrNull = (value: Date | null): string | null => (value === null ? null : value.toISOString());

export function organizationToRow(o: OrganizationRecord): Insertable<OrganizationsTable> {
  return { id: o.id, name: o.name, branding: o.branding, created_at: o.createdAt };
}

export function organizationFromRow(r: Selectable<OrganizationsTable>): OrganizationRecord {
  return { id: r.id, name: r.name, branding: r.branding, createdAt: iso(r.created_at) };
}

export function linkToRow(l: LinkRecord): Insertable<PortalLinksTable> {
  return { id: l.id, organization_id: l.organizationId, token_hash: l.tokenHash, created_at: l.createdAt, expires_at: l.expiresAt, revoked_at: l.revokedAt, session_seconds: l.sessionSeconds ?? null };
}

export function linkFromRow(r: Selectable<PortalLinksTable>): LinkRecord {
  return { id: r.id, organizationId: r.organization_id, tokenHash: r.token_hash, createdAt: iso(r.created_at), expiresAt: iso(r.expires_at), revokedAt: isoOrNull(r.revoked_at), ...(r.session_seconds === null ? {} : { sessionSeconds: r.session_seconds }) };
}

/**
 * Columns: id, organization_id, protocol, provider_id, name (null when absent), status,
 * version, created_at, updated_at. `config`: everything else of the `Connection` (saml, oidc,
 * attributeMapping, lastTest, and when present certificateExpiresAt, serviceProvider,
 * metadataRefresh). No client secret: it is in `client_secrets`.
 */
/** What of a connection goes into `config` (everything that is not a column). */
export function connectionConfig(c: Connection): ConnectionConfig {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the columns, not the config
  const { id, protocol, providerId, name, status, version, createdAt, updatedAt, ...config } = c;
  return config;
}

export function connectionToRow(organizationId: string, c: Connection): Insertable<ConnectionsTable> {
  const { id, protocol, providerId, name, status, version, createdAt, updatedAt } = c;
  const config = connectionConfig(c);
  return {
    id,
    organization_id: organizationId,
    protocol,
    provider_id: providerId,
    name: name ?? null,
    status,
    config: config satisfies ConnectionConfig,
    version,
    created_at: createdAt,
    updated_at: updatedAt,
  };
}

export function connectionFromRow(r: Selectable<ConnectionsTable>): Connection {
  return {
    id: r.id,
    protocol: r.protocol,
    providerId: r.provider_id,
    ...(r.name === null ? {} : { name: r.name }),
    status: r.status,
    ...r.config,
    version: r.version,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

export function domainToRow(organizationId: string, d: Domain): Insertable<DomainsTable> {
  return {
    organization_id: organizationId,
    name: d.name,
    status: d.status,
    method: d.method,
    txt_record_name: d.txtRecord.name,
    txt_record_value: d.txtRecord.value,
    verified_at: d.verifiedAt,
    last_checked_at: d.lastCheckedAt,
    last_check: d.lastCheck ?? null,
  };
}

export function domainFromRow(r: Selectable<DomainsTable>): Domain {
  return {
    name: r.name,
    status: r.status,
    txtRecord: { name: r.txt_record_name, value: r.txt_record_value },
    method: r.method,
    verifiedAt: isoOrNull(r.verified_at),
    lastCheckedAt: isoOrNull(r.last_checked_at),
    ...(r.last_check ? { lastCheck: r.last_check } : {}),
  };
}

export function testResultToRow(organizationId: string, t: TestResult): Insertable<TestResultsTable> {
  return {
    id: t.id,
    organization_id: organizationId,
    connection_id: t.connectionId,
    mode: t.mode,
    status: t.status,
    result: testResultDetails(t),
    started_at: t.startedAt,
    completed_at: t.completedAt,
  };
}

/** What of a test result goes into `result`. */
export function testResultDetails(t: TestResult): TestResultDetails {
  return {
    profile: t.profile,
    rawAttributes: t.rawAttributes,
    error: t.error,
    ...(t.warnings === undefined ? {} : { warnings: t.warnings }),
    ...(t.testLinkId === undefined ? {} : { testLinkId: t.testLinkId }),
  };
}

export function testResultFromRow(r: Pick<Selectable<TestResultsTable>, 'id' | 'connection_id' | 'mode' | 'status' | 'result' | 'started_at' | 'completed_at'>): TestResult {
  const { profile, rawAttributes, error, warnings, testLinkId } = r.result;
  return {
    id: r.id,
    connectionId: r.connection_id,
    mode: r.mode,
    status: r.status,
    profile: profile ?? null,
    rawAttributes: rawAttributes ?? {},
    error: error ?? null,
    ...(warnings ? { warnings } : {}),
    startedAt: iso(r.started_at),
    completedAt: isoOrNull(r.completed_at),
    ...(testLinkId ? { testLinkId } : {}),
  };
}
