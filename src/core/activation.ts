/**
 * When a connection may be turned on: the rule the backends enforce (`rules/connections.ts`,
 * `test_required`), the activation step explains, and the wizard follows to fetch that step's code.
 */
import type { Connection } from './model.js';

/** The connection's latest test passed, and nothing changed since (a stale test proves nothing). */
export function hasCurrentPassingTest(connection: Pick<Connection, 'lastTest'>): boolean {
  const test = connection.lastTest;
  return !!test && test.status === 'success' && !test.stale;
}

/** Whether a connection may be turned on now, and if not, why. */
export function activationGate(connection: Connection): { ok: true } | { ok: false; reason: 'untested' | 'failed' | 'stale' | 'unconfigured' } {
  if (connection.status === 'draft') return { ok: false, reason: 'unconfigured' };
  const test = connection.lastTest;
  if (!test || test.status === 'pending') return { ok: false, reason: 'untested' };
  if (test.stale) return { ok: false, reason: 'stale' };
  if (!hasCurrentPassingTest(connection)) return { ok: false, reason: 'failed' };
  return { ok: true };
}
