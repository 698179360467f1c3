/**
 * Connection rules: create, update with a version check, delete, enable and disable.
 *
 * - Every write bumps `version`; a write that carries another version than the stored one is a
 *   `conflict` (`details: { expectedVersion, currentVersion }`) and changes nothing.
 * - The OIDC client secret is write-only: it goes to `state.secrets`, the connection only says
 *   `clientSecretSet`. A new issuer or client ID without a new secret drops it (core `clientSecretChange`).
 * - A change of the configuration (SAML, OIDC, attribute mapping) makes the last test `stale`,
 *   and so do tests pending at that moment when they finish.
 * - Activation gate: only a fully configured connection whose last test is a success of the
 *   current configuration can be enabled (`validation_failed`, `test_required`).
 *
 * The SAML certificates' expiry is read by the caller (the parser is async and loads lazily) and
 * passed in as `certificateExpiresAt`.
 */
import { PortalError } from '../errors.js';
import {
  ConnectionInputSchema,
  ConnectionPatchSchema,
  clientSecretChange,
  parseOrThrow,
  type Connection,
  type ConnectionInput,
  type ConnectionPatch,
  type OidcConfig,
  type OidcConfigInput,
  type SamlConfig,
} from '../model.js';
import { connectionServiceProvider } from '../sp-metadata.js';
import { hasCurrentPassingTest } from '../activation.js';
import { applied, connectionIn, freshId, isConfigured, type OrganizationSettings, type OrganizationState, type RuleContext, type RuleResult } from './state.js';

/** What the caller read outside the rule (async work) for a create or an update. */
export interface ConnectionFacts {
  /** SAML: when the first of the signing certificates expires (null: none could be read). */
  certificateExpiresAt?: string | null;
}

const DEFAULT_SCOPES = ['openid', 'email', 'profile'];

function protocolMismatch(section: string, what = 'Connection update'): PortalError {
  return new PortalError('validation_failed', {
    message: `${what} is not valid: ${section}: does not match the connection's protocol`,
    details: { issues: [{ path: section, message: "does not match the connection's protocol" }] },
  });
}

function checkProtocolEnabled(settings: OrganizationSettings, protocol: 'saml' | 'oidc'): void {
  if (!settings.features[protocol]) {
    throw new PortalError('not_available', { message: `${protocol.toUpperCase()} connections are not enabled for this organization.` });
  }
}

function checkVersion(current: Connection, version: number): void {
  if (version !== current.version) {
    throw new PortalError('conflict', { details: { expectedVersion: version, currentVersion: current.version } });
  }
}

/** The stored OIDC configuration and the secrets after `input`: a new secret replaces, a new issuer or client drops. */
function storeOidc(
  secrets: Record<string, string>,
  id: string,
  input: OidcConfigInput,
  previous: OidcConfig | null,
): { oidc: OidcConfig; secrets: Record<string, string> } {
  let next = secrets;
  const change = clientSecretChange(previous, input);
  if (change === 'drop') next = withoutKey(secrets, id);
  else if (change === 'replace') next = { ...secrets, [id]: input.clientSecret! };
  return {
    oidc: {
      issuer: input.issuer,
      clientId: input.clientId,
      clientSecretSet: Object.hasOwn(next, id),
      scopes: input.scopes ?? previous?.scopes ?? DEFAULT_SCOPES,
    },
    secrets: next,
  };
}

function withoutKey(record: Record<string, string>, key: string): Record<string, string> {
  if (!Object.hasOwn(record, key)) return record;
  const rest = { ...record };
  delete rest[key];
  return rest;
}

/** `next`, with the stored SAML settings that no metadata carries where it omits them: `requireEncryptedAssertions` (`false` turns it off), `metadataRefreshMode`. */
function withKeptSettings(next: SamlConfig, stored: SamlConfig): SamlConfig {
  const out = { ...next };
  if (out.requireEncryptedAssertions === undefined && stored.requireEncryptedAssertions !== undefined) out.requireEncryptedAssertions = stored.requireEncryptedAssertions;
  if (out.metadataRefreshMode === undefined && stored.metadataRefreshMode !== undefined) out.metadataRefreshMode = stored.metadataRefreshMode;
  return out;
}

function replaceConnection(connections: Connection[], next: Connection): Connection[] {
  return connections.map((c) => (c.id === next.id ? next : c));
}

/**
 * A new connection, `draft` or `configured` (never active): validated (`validation_failed`), its
 * protocol enabled for the organization (`not_available`), only its own protocol's section.
 */
export function createConnection(
  state: OrganizationState,
  ctx: RuleContext,
  settings: OrganizationSettings,
  input: ConnectionInput,
  facts: ConnectionFacts = {},
): RuleResult<Connection> {
  return applied(() => {
    const valid = parseOrThrow(ConnectionInputSchema, input, 'Connection');
    checkProtocolEnabled(settings, valid.protocol);
    if (valid.protocol !== 'saml' && valid.saml) throw protocolMismatch('saml', 'Connection');
    if (valid.protocol !== 'oidc' && valid.oidc) throw protocolMismatch('oidc', 'Connection');
    const now = ctx.now.toISOString();
    const id = freshId(state, ctx, 'conn');
    const connection: Connection = {
      id,
      protocol: valid.protocol,
      providerId: valid.providerId,
      status: 'draft',
      saml: valid.saml ?? null,
      oidc: null,
      attributeMapping: valid.attributeMapping ?? { email: 'email' },
      lastTest: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    if (valid.name !== undefined) connection.name = valid.name;
    connection.serviceProvider = connectionServiceProvider(settings.serviceProvider, id);
    if (valid.saml) connection.certificateExpiresAt = facts.certificateExpiresAt ?? null;
    let secrets = state.secrets;
    if (valid.oidc) ({ oidc: connection.oidc, secrets } = storeOidc(secrets, id, valid.oidc, null));
    connection.status = isConfigured(connection) ? 'configured' : 'draft';
    return { state: { ...state, connections: [...state.connections, connection], secrets }, value: connection };
  });
}

/**
 * A partial update of the connection stored at `version` (`conflict` otherwise). A section of the
 * other protocol is `validation_failed`; `oidc: null` removes the OIDC configuration and its secret.
 */
export function updateConnection(
  state: OrganizationState,
  ctx: RuleContext,
  id: string,
  version: number,
  patch: ConnectionPatch,
  facts: ConnectionFacts = {},
): RuleResult<Connection> {
  return applied(() => {
    connectionIn(state, id);
    const valid = parseOrThrow(ConnectionPatchSchema, patch, 'Connection update');
    const current = connectionIn(state, id);
    checkVersion(current, version);
    const next: Connection = { ...current };
    let secrets = state.secrets;
    let configChanged = false;
    if (valid.name !== undefined) next.name = valid.name;
    if (valid.providerId !== undefined) next.providerId = valid.providerId;
    if (valid.attributeMapping !== undefined) {
      next.attributeMapping = valid.attributeMapping;
      configChanged = true;
    }
    if (valid.saml !== undefined) {
      if (next.protocol !== 'saml' && valid.saml !== null) throw protocolMismatch('saml');
      // Settings the IdP's metadata does not carry (set by the admin or the host) survive a
      // configuration read again from metadata, which omits them; a value given replaces them.
      next.saml = valid.saml && current.saml ? withKeptSettings(valid.saml, current.saml) : valid.saml;
      next.certificateExpiresAt = valid.saml ? (facts.certificateExpiresAt ?? null) : null;
      configChanged = true;
    }
    if (valid.oidc !== undefined) {
      if (next.protocol !== 'oidc' && valid.oidc !== null) throw protocolMismatch('oidc');
      if (valid.oidc) ({ oidc: next.oidc, secrets } = storeOidc(secrets, id, valid.oidc, current.oidc));
      else {
        next.oidc = null;
        secrets = withoutKey(secrets, id);
      }
      configChanged = true;
    }
    let staleTests = state.staleTests;
    if (configChanged) {
      if (next.lastTest) next.lastTest = { ...next.lastTest, stale: true };
      const pending = state.tests.filter((t) => t.connectionId === id && t.status === 'pending' && !staleTests?.includes(t.id)).map((t) => t.id);
      if (pending.length) staleTests = [...(staleTests ?? []), ...pending];
    }
    if (next.status === 'draft' || next.status === 'configured') {
      next.status = isConfigured(next) ? 'configured' : 'draft';
    }
    next.version = current.version + 1;
    next.updatedAt = ctx.now.toISOString();
    const nextState: OrganizationState = { ...state, connections: replaceConnection(state.connections, next), secrets };
    if (staleTests !== state.staleTests) nextState.staleTests = staleTests;
    return { state: nextState, value: next };
  });
}

/** Deletes a connection with its secret and its tests. */
export function deleteConnection(state: OrganizationState, id: string): RuleResult<void> {
  return applied(() => {
    connectionIn(state, id);
    const tests = state.tests.filter((t) => t.connectionId !== id);
    const nextState: OrganizationState = {
      ...state,
      connections: state.connections.filter((c) => c.id !== id),
      tests,
      secrets: withoutKey(state.secrets, id),
    };
    if (state.staleTests) nextState.staleTests = state.staleTests.filter((testId) => tests.some((t) => t.id === testId));
    return { state: nextState, value: undefined };
  });
}

/**
 * Turns a connection on (`active`) or off (`inactive`), at `version` (`conflict` otherwise);
 * either ends a staged rollout (`staged`, rules/staging.ts): on promotes it to everyone.
 * Turning on needs a full configuration (`validation_failed`) and a successful test of the
 * current configuration (`test_required`); turning off what is not on changes only the version.
 */
export function setConnectionEnabled(state: OrganizationState, ctx: RuleContext, id: string, version: number, enabled: boolean): RuleResult<Connection> {
  return applied(() => {
    const current = connectionIn(state, id);
    checkVersion(current, version);
    const next: Connection = { ...current };
    if (enabled) {
      if (!isConfigured(current)) {
        throw new PortalError('validation_failed', { message: 'Connection is not fully configured yet.' });
      }
      if (!hasCurrentPassingTest(current)) {
        throw new PortalError('test_required');
      }
      next.status = 'active';
    } else if (current.status === 'active') {
      next.status = 'inactive';
    }
    // Promoted to everyone, or turned off: a staged rollout ends either way (turned off, the
    // status it kept during the rollout is the one it returns to).
    delete next.staged;
    next.version = current.version + 1;
    next.updatedAt = ctx.now.toISOString();
    return { state: { ...state, connections: replaceConnection(state.connections, next) }, value: next };
  });
}
