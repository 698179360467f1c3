/**
 * The state the domain rules work on, and how they answer.
 *
 * A rule is a pure function: it takes an organization's state (and, for writes, a
 * {@link RuleContext} with the time and an id source) and returns either the new state with a
 * value, or the {@link PortalError} the request gets. It never changes the state it was given:
 * what changed is new arrays and objects, what did not is shared. No clock, no randomness, no
 * I/O inside: the caller (the MemoryAdapter in the browser, the server over its database) reads
 * the state, applies the rule, and keeps or writes what it returns.
 *
 * Also here: the lookups several rule files share (kept out of `connections.ts`, which the
 * MemoryAdapter loads lazily).
 */
import { PortalError } from '../errors.js';
import type { Connection, Domain, PortalSession, TestResult } from '../model.js';

/** Everything the portal of one organization reads and writes (the server stores the same). */
export interface OrganizationState {
  connections: Connection[];
  domains: Domain[];
  tests: TestResult[];
  /** OIDC client secrets by connection id. Write-only: never part of any response. */
  secrets: Record<string, string>;
  /**
   * Ids of pending tests whose connection's configuration changed after they started: when
   * they finish, the connection's `lastTest` is `stale`. Absent means none.
   */
  staleTests?: string[];
}

/** What a write needs from outside: the time, and new ids (a counter in tests, random on a server). */
export interface RuleContext {
  now: Date;
  newId(prefix: string): string;
}

/** What the organization may use, and our SP values for it (from its portal session). */
export type OrganizationSettings = Pick<PortalSession, 'features' | 'serviceProvider'>;

/** A rule's answer: the new state and a value, or the error the request gets. */
export type RuleResult<T> = { ok: true; state: OrganizationState; value: T } | { ok: false; error: PortalError };

/** A check's answer that changes no state. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: PortalError };

/** The new state and value of a successful rule; throws the rule's PortalError otherwise. */
export function unwrap<T>(result: RuleResult<T>): { state: OrganizationState; value: T };
/** The value of a successful check; throws its PortalError otherwise. */
export function unwrap<T>(result: Outcome<T>): { value: T };
export function unwrap<T>(result: RuleResult<T> | Outcome<T>): { state?: OrganizationState; value: T } {
  if (!result.ok) throw result.error;
  return result;
}

/** An organization with nothing set up yet. */
export function emptyState(): OrganizationState {
  return { connections: [], domains: [], tests: [], secrets: {} };
}

/** Runs a rule body that throws PortalErrors, as a RuleResult. Other errors are bugs: they propagate. */
export function applied<T>(body: () => { state: OrganizationState; value: T }): RuleResult<T> {
  try {
    return { ok: true, ...body() };
  } catch (error) {
    if (error instanceof PortalError) return { ok: false, error };
    throw error;
  }
}

/** Runs a check that throws PortalErrors, as an Outcome. */
export function checked<T>(body: () => T): Outcome<T> {
  try {
    return { ok: true, value: body() };
  } catch (error) {
    if (error instanceof PortalError) return { ok: false, error };
    throw error;
  }
}

/** How many ids `freshId` draws before it gives up (an id source that repeats itself is a bug). */
const MAX_ID_DRAWS = 1000;

/** A new id from the context that no connection or test of the state has. */
export function freshId(state: OrganizationState, ctx: RuleContext, prefix: string): string {
  const taken = (id: string) => state.connections.some((c) => c.id === id) || state.tests.some((t) => t.id === id);
  for (let draw = 0; draw < MAX_ID_DRAWS; draw++) {
    const id = ctx.newId(prefix);
    if (!taken(id)) return id;
  }
  throw new PortalError('server_error', { message: 'Could not make a new id.' });
}

// ---------------------------------------------------------------------------------------
// Lookups the rules share

/** The stored connection with this id; throws `not_found` (inside a rule body). */
export function connectionIn(state: OrganizationState, id: string): Connection {
  const connection = state.connections.find((c) => c.id === id);
  if (!connection) throw new PortalError('not_found', { message: 'This connection does not exist (any more).', details: { id } });
  return connection;
}

/** The stored connection with this id, or `not_found`. */
export function findConnection(state: OrganizationState, id: string): Outcome<Connection> {
  return checked(() => connectionIn(state, id));
}

/** Whether a connection has all it needs to be tested and enabled (OIDC: a stored secret too). */
export function isConfigured(connection: Connection): boolean {
  return connection.protocol === 'saml' ? connection.saml !== null : connection.oidc !== null && connection.oidc.clientSecretSet;
}
