/**
 * Test login rules: start, finish, time out, and the connection's `lastTest`.
 *
 * - A test starts `pending` on a configured connection (`validation_failed` otherwise); `idp`
 *   mode needs the organization's `idpInitiatedTest` feature (`not_available`).
 * - It ends once, with an outcome judged elsewhere (a real login's checks, or a simulation):
 *   finishing a finished test leaves it as it is. A pending test past its deadline ends as
 *   `timeout` ({@link settleExpiredTests}); the deadline is `startedAt` + the caller's timeout.
 * - A finished test becomes its connection's `lastTest` unless a test started later is there,
 *   `stale` when the configuration changed while it was pending.
 */
import { PortalError } from '../errors.js';
import type { Connection, TestMode, TestResult } from '../model.js';
import { TEST_FAILURES } from '../test-failures.js';
import { applied, connectionIn, freshId, isConfigured, type OrganizationSettings, type OrganizationState, type RuleContext, type RuleResult } from './state.js';

/** How long a real test login may take before it ends as `timeout` (the portal waits as long). */
export const DEFAULT_TEST_TIMEOUT_MS = 5 * 60 * 1000;

/** What a finished test says: its status, what arrived, and why it failed or what to watch. */
export type TestOutcomeFields = Pick<TestResult, 'status' | 'profile' | 'rawAttributes' | 'error' | 'warnings'>;

/** When a test started at `test.startedAt` ends as `timeout`, for a timeout of `timeoutMs`. */
export function testDeadline(test: Pick<TestResult, 'startedAt'>, timeoutMs: number): string {
  return new Date(Date.parse(test.startedAt) + timeoutMs).toISOString();
}

/** A connection's tests, newest first (of tests started at the same time, the later added first). */
export function connectionTests(state: OrganizationState, connectionId: string): TestResult[] {
  return state.tests
    .filter((t) => t.connectionId === connectionId)
    .reverse() // the stable sort below keeps later-started tests first when startedAt ties
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

/** The stored test with this id, or `test_not_found`. */
function testIn(state: OrganizationState, testId: string): TestResult {
  const test = state.tests.find((t) => t.id === testId);
  if (!test) throw new PortalError('test_not_found', { details: { testId } });
  return test;
}

/** Starts a pending test of a configured connection. */
export function startTest(
  state: OrganizationState,
  ctx: RuleContext,
  settings: OrganizationSettings,
  connectionId: string,
  mode: TestMode,
  /** The test link a colleague runs it through (SP-initiated only). */
  testLinkId?: string,
): RuleResult<TestResult> {
  return applied(() => {
    const connection = connectionIn(state, connectionId);
    if (!isConfigured(connection)) {
      throw new PortalError('validation_failed', { message: 'Finish the configuration before testing.' });
    }
    if (mode === 'idp' && !settings.features.idpInitiatedTest) {
      throw new PortalError('not_available', { message: 'IdP-initiated tests are not enabled for this organization.' });
    }
    const test: TestResult = {
      id: freshId(state, ctx, 'test'),
      connectionId,
      mode,
      status: 'pending',
      profile: null,
      rawAttributes: {},
      error: null,
      startedAt: ctx.now.toISOString(),
      completedAt: null,
      ...(testLinkId ? { testLinkId } : {}),
    };
    return { state: { ...state, tests: [...state.tests, test] }, value: test };
  });
}

/** `state` with `finished` in place of its pending version, and its connection's `lastTest`. */
function withFinished(state: OrganizationState, finished: TestResult): OrganizationState {
  const tests = state.tests.map((t) => (t.id === finished.id ? finished : t));
  const stale = state.staleTests?.includes(finished.id) ?? false;
  const next: OrganizationState = { ...state, tests };
  if (state.staleTests) next.staleTests = state.staleTests.filter((id) => id !== finished.id);
  const connection = state.connections.find((c) => c.id === finished.connectionId);
  if (!connection || !finished.completedAt) return next;
  // A test started earlier but finished later does not replace a newer one.
  const newer = connection.lastTest && tests.find((t) => t.id === connection.lastTest!.id)?.startedAt;
  if (newer && newer > finished.startedAt) return next;
  const lastTest: NonNullable<Connection['lastTest']> = {
    id: finished.id,
    mode: finished.mode,
    status: finished.status,
    ...(finished.error ? { errorCode: finished.error.code } : {}),
    at: finished.completedAt,
    stale,
  };
  next.connections = state.connections.map((c) => (c.id === connection.id ? { ...c, lastTest } : c));
  return next;
}

/**
 * Ends a pending test with a judged outcome, now. A finished test is left as it is; the value is
 * the stored test either way (its status says which happened). `test_not_found` for an unknown id.
 */
export function finishTest(state: OrganizationState, ctx: RuleContext, testId: string, outcome: TestOutcomeFields): RuleResult<TestResult> {
  return applied(() => {
    const test = testIn(state, testId);
    if (test.status !== 'pending') return { state, value: test };
    const finished: TestResult = { ...test, ...structuredClone(outcome), completedAt: ctx.now.toISOString() };
    return { state: withFinished(state, finished), value: finished };
  });
}

/** The outcome of a test nobody finished within `timeoutMs`. */
export function timeoutOutcome(timeoutMs: number): TestOutcomeFields {
  return {
    status: 'failure',
    profile: null,
    rawAttributes: {},
    error: { code: 'timeout', ...TEST_FAILURES.timeout, details: { waitedSeconds: Math.round(timeoutMs / 1000) } },
  };
}

/**
 * Ends every pending test past its deadline (`startedAt` + `timeoutMs` at or before now) as a
 * `timeout` failure; only those of `testIds` when given. The value is the tests it ended.
 */
export function settleExpiredTests(
  state: OrganizationState,
  ctx: RuleContext,
  timeoutMs: number,
  testIds?: readonly string[],
): RuleResult<TestResult[]> {
  return applied(() => {
    const at = ctx.now.getTime();
    const due = state.tests.filter(
      (t) => t.status === 'pending' && (!testIds || testIds.includes(t.id)) && Date.parse(t.startedAt) + timeoutMs <= at,
    );
    let next = state;
    const ended: TestResult[] = [];
    for (const test of due) {
      const finished: TestResult = { ...test, ...timeoutOutcome(timeoutMs), completedAt: ctx.now.toISOString() };
      next = withFinished(next, finished);
      ended.push(finished);
    }
    return { state: next, value: ended };
  });
}
