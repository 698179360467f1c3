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
