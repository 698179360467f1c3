/**
 * The user an IdP simulator signs in: what the developer typed on its login page. Shared by the
 * SAML and the OIDC simulator, so both offer the same default user and read groups the same way.
 */
export interface SimulatedUser {
  email: string;
  firstName?: string;
  lastName?: string;
  groups?: string[];
}

export const DEFAULT_SIMULATED_USER: Readonly<Required<SimulatedUser>> = Object.freeze({
  email: 'ada@megacorp.example',
  firstName: 'Ada',
  lastName: 'Lovelace',
  groups: ['Engineering', 'Admins'],
});

const MAX_GROUPS = 50;

/** Groups typed as text (comma or newline separated): trimmed, without blanks or repeats, at most 50. */
export function groupsFromText(value: string): string[] {
  return [...new Set(value.split(/[,\n]/).map((g) => g.trim()).filter(Boolean))].slice(0, MAX_GROUPS);
}

const HINT_SHAPE = /^[^\s@]{1,64}@[^\s@]{1,253}$/;

/**
 * The email the simulator's login page offers: the one the service provider hinted (the email
 * the user typed on its login page, sent as `login_hint`), else the default user's name at the
 * organization's verified domain (the simulator stands in for that organization's IdP), else
 * the default user.
 */
export function simulatedEmail(o: { loginHint?: unknown; domain?: string | undefined }): string {
  const hint = typeof o.loginHint === 'string' ? o.loginHint.trim() : '';
  if (HINT_SHAPE.test(hint)) return hint;
  if (o.domain) return `${DEFAULT_SIMULATED_USER.email.slice(0, DEFAULT_SIMULATED_USER.email.indexOf('@'))}@${o.domain}`;
  return DEFAULT_SIMULATED_USER.email;
}
