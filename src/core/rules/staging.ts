/**
 * Staged activation: a connection turned on for a list of test users first (issue 15).
 *
 * - `stageConnection` activates a connection for test users only, or changes the list: the same
 *   preconditions as activating it for everyone (configured, a passing test of the current
 *   configuration), and each test user an email at one of the organization's verified domains.
 *   The connection's status does not change (`configured` or `inactive`): nothing that reads the
 *   status routes everyone to it by mistake, and turning it off returns to that status.
 * - Promoting to everyone is `setConnectionEnabled(…, true)`; turning it off is
 *   `setConnectionEnabled(…, false)`. Both drop `staged` (rules/connections.ts).
 * - `recordTestUserSignIn`: a test user signed in through it (server-side state, no new version).
 *
 * Where a test user signs in is decided by `core/routing.ts`, for discovery and its preview alike.
 */
import { hasCurrentPassingTest } from '../activation.js';
import { PortalError } from '../errors.js';
import type { Connection, FieldIssue } from '../model.js';
import { emailDomain, isTestUser } from '../routing.js';
import { inEnglish } from '../text.js';
import { testUsersRefusalText, type RefusalValues, type TestUsersRefusal } from '../test-users-refusal.js';

export type { TestUsersRefusal } from '../test-users-refusal.js';
import { applied, connectionIn, isConfigured, type OrganizationState, type RuleContext, type RuleResult } from './state.js';

/** The most test users one connection has: a staged rollout is for a few people. */
export const MAX_TEST_USERS = 50;

/** `validation_failed` for `reason`: its English text as the message; `details` carry the reason, the field `issues` and the values. */
function refused(reason: TestUsersRefusal, issues: FieldIssue[] = [], values: RefusalValues = {}): PortalError {
  const details = { reason, issues, ...values };
  return new PortalError('validation_failed', { message: inEnglish(() => testUsersRefusalText(details)), details });
}

/**
 * The test users as stored (trimmed, lower case, each once, in the order given), or
 * `validation_failed` naming the emails that are not emails (`invalid_email`, first: fix the
 * typos), else those not at a verified domain (`outside_verified_domains`).
 */
export function checkTestUsers(state: OrganizationState, testUsers: unknown): string[] {
  if (!Array.isArray(testUsers) || testUsers.length === 0) {
    throw refused('no_test_users', [{ path: 'testUsers', message: 'must list at least one email address' }]);
  }
  const verified = state.domains.filter((d) => d.status === 'verified').map((d) => d.name);
  const emails: string[] = [];
  const invalid: string[] = [];
  const outside: string[] = [];
  const issues: FieldIssue[] = [];
  testUsers.forEach((raw: unknown, i) => {
    const email = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
    const domain = emailDomain(email);
    if (!domain) {
      const typed = typeof raw === 'string' ? raw.slice(0, 100) : String(raw);
      invalid.push(typed);
      issues.push({ path: `testUsers.${i}`, message: `${JSON.stringify(typed)} is not an email address` });
    } else if (!verified.includes(domain)) {
      outside.push(email);
      issues.push({ path: `testUsers.${i}`, message: `${email} is not at a verified domain` });
    } else if (!emails.includes(email)) emails.push(email);
  });
  if (invalid.length) throw refused('invalid_email', issues, { emails: invalid, verifiedDomains: verified });
  if (outside.length) throw refused('outside_verified_domains', issues, { emails: outside, verifiedDomains: verified });
  if (emails.length > MAX_TEST_USERS) {
    throw refused('too_many_test_users', [{ path: 'testUsers', message: `must list at most ${MAX_TEST_USERS} email addresses` }], { max: MAX_TEST_USERS });
  }
  return emails;
}

/** Activates a connection for `testUsers` only, or replaces its list, at `version` (`conflict` otherwise). */
export function stageConnection(state: OrganizationState, ctx: RuleContext, id: string, version: number, testUsers: unknown): RuleResult<Connection> {
  return applied(() => {
    const current = connectionIn(state, id);
    if (version !== current.version) throw new PortalError('conflict', { details: { expectedVersion: version, currentVersion: current.version } });
    if (current.status === 'active') {
      throw refused('already_active');
    }
    if (!isConfigured(current)) throw new PortalError('validation_failed', { message: 'Connection is not fully configured yet.' });
    if (!hasCurrentPassingTest(current)) throw new PortalError('test_required');
    const emails = checkTestUsers(state, testUsers);
    const next: Connection = {
      ...current,
      // Who already signed in keeps counting while still on the list.
      staged: { testUsers: emails, signedIn: (current.staged?.signedIn ?? []).filter((e) => emails.includes(e)) },
      version: current.version + 1,
      updatedAt: ctx.now.toISOString(),
    };
    return { state: { ...state, connections: state.connections.map((c) => (c.id === id ? next : c)) }, value: next };
  });
}

/**
 * Records that a test user signed in through a staged connection (what the overview counts).
 * Not an edit of the admin's: the version stays. Anything else (not staged, not a test user,
 * already counted) leaves the state as it is.
 */
export function recordTestUserSignIn(state: OrganizationState, connectionId: string, email: string): RuleResult<boolean> {
  const current = state.connections.find((c) => c.id === connectionId);
  const normalized = email.trim().toLowerCase();
  if (!current?.staged || !isTestUser(current, normalized) || current.staged.signedIn.includes(normalized)) return { ok: true, state, value: false };
  const next: Connection = { ...current, staged: { ...current.staged, signedIn: [...current.staged.signedIn, normalized] } };
  return { ok: true, state: { ...state, connections: state.connections.map((c) => (c.id === connectionId ? next : c)) }, value: true };
}
