/**
 * What a rule changed, for a store that writes only that (a connection by its version, a newly
 * verified domain under the database's uniqueness, ...).
 *
 * The rules never change an object in place: what they did not touch is the same object in the
 * new state, what they changed is a new one. So the comparison here is by identity, and cheap;
 * it is only meaningful between a state and one a rule derived from it.
 */
import type { Connection, Domain, TestResult } from '../model.js';
import type { OrganizationState } from './state.js';

/** Records added, replaced by a changed version, and removed (by key). */
export interface Changes<T> {
  added: T[];
  updated: T[];
  removed: string[];
}

export interface StateChanges {
  connections: Changes<Connection>;
  /** Keyed by name. */
  domains: Changes<Domain>;
  tests: Changes<TestResult>;
  /** Client secrets set (new or replaced) and removed, by connection id. */
  secrets: { set: Record<string, string>; removed: string[] };
  /** Whether `staleTests` changed. */
  staleTests: boolean;
}

function changesOf<T>(before: readonly T[], after: readonly T[], key: (item: T) => string): Changes<T> {
  const old = new Map(before.map((item) => [key(item), item]));
  const kept = new Set<string>();
  const changes: Changes<T> = { added: [], updated: [], removed: [] };
  for (const item of after) {
    const k = key(item);
    kept.add(k);
    const previous = old.get(k);
    if (previous === undefined) changes.added.push(item);
    else if (previous !== item) changes.updated.push(item);
  }
  for (const k of old.keys()) if (!kept.has(k)) changes.removed.push(k);
  return changes;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/** What differs from `before` in `after` (a state a rule returned for `before`). */
export function stateChanges(before: OrganizationState, after: OrganizationState): StateChanges {
  const set: Record<string, string> = {};
  for (const [id, secret] of Object.entries(after.secrets)) if (before.secrets[id] !== secret || !Object.hasOwn(before.secrets, id)) set[id] = secret;
  return {
    connections: changesOf(before.connections, after.connections, (c) => c.id),
    domains: changesOf(before.domains, after.domains, (d) => d.name),
    tests: changesOf(before.tests, after.tests, (t) => t.id),
    secrets: { set, removed: Object.keys(before.secrets).filter((id) => !Object.hasOwn(after.secrets, id)) },
    staleTests: !sameList(before.staleTests ?? [], after.staleTests ?? []),
  };
}

/** Whether a rule changed anything at all. */
export function hasChanges(changes: StateChanges): boolean {
  const some = (c: Changes<unknown>) => c.added.length > 0 || c.updated.length > 0 || c.removed.length > 0;
  return some(changes.connections) || some(changes.domains) || some(changes.tests) || Object.keys(changes.secrets.set).length > 0 || changes.secrets.removed.length > 0 || changes.staleTests;
}
