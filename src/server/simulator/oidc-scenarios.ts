/**
 * The scenarios of the OIDC simulator (`oidc-idp.ts`): what each does, the failure code the
 * relying party should report for it, and the claims a simulated user gets. Pure: no I/O.
 */
import { msg } from '../../portal/localize/msg.js';
import { groupsFromText, type SimulatedUser } from './simulated-user.js';

export { DEFAULT_SIMULATED_USER, type SimulatedUser } from './simulated-user.js';

export type OidcScenario = 'success' | 'access_denied' | 'wrong_client_secret' | 'issuer_mismatch' | 'missing_email' | 'email_unverified';

export interface OidcScenarioInfo {
  id: OidcScenario;
  label: string;
  /** One sentence for the interaction page: what the simulator does, and what it stands for. */
  hint: string;
  /** The `TestError` code the relying party reports; null for a successful login. */
  expectedCode: string | null;
}

/** Labels and hints are getters: each read answers in the language of the page being built (page-language.ts). */
export const OIDC_SCENARIOS: readonly OidcScenarioInfo[] = Object.freeze([
  {
    id: 'success',
    get label() { return msg('Successful login'); },
    get hint() { return msg('Signs in with the values above: a verified email address, the names and the groups.'); },
    expectedCode: null,
  },
  {
    id: 'access_denied',
    get label() { return msg('Access denied'); },
    get hint() { return msg('Answers error=access_denied, as when the user is not assigned to the application.'); },
    expectedCode: 'user_denied',
  },
  {
    id: 'wrong_client_secret',
    get label() { return msg('Wrong client secret'); },
    get hint() { return msg('The token endpoint rejects the client (401 invalid_client), as when the saved secret is wrong or expired.'); },
    expectedCode: 'oidc_invalid_client',
  },
  {
    id: 'issuer_mismatch',
    get label() { return msg('Different issuer'); },
    get hint() { return msg('The answer names another issuer (its iss parameter), as when the configured issuer URL is not the exact one.'); },
    expectedCode: 'oidc_issuer_mismatch',
  },
  {
    id: 'missing_email',
    get label() { return msg('No email claim'); },
    get hint() { return msg('Sends neither email nor email_verified, as when the email scope or claim is not released to the application.'); },
    expectedCode: 'missing_email',
  },
  {
    id: 'email_unverified',
    get label() { return msg('Email not verified'); },
    get hint() { return msg('Sends the email address without the email_verified claim.'); },
    expectedCode: 'email_unverified',
  },
] satisfies OidcScenarioInfo[]);

export function isOidcScenario(value: unknown): value is OidcScenario {
  return typeof value === 'string' && OIDC_SCENARIOS.some((s) => s.id === value);
}

const MAX_FIELD = 256;

const field = (value: unknown): string => (typeof value === 'string' ? value.trim().slice(0, MAX_FIELD) : '');

/** Reads the sign-in form (names `email`, `given_name`, `family_name`, `groups`: comma or newline separated). */
export function simulatedUserFromForm(form: Record<string, unknown>): SimulatedUser {
  return {
    email: field(form.email),
    firstName: field(form.given_name),
    lastName: field(form.family_name),
    groups: groupsFromText(typeof form.groups === 'string' ? form.groups : '').map((g) => g.slice(0, MAX_FIELD)),
  };
}

/** The user claims (besides `sub`) a simulated login releases in a scenario. */
export function simulatedClaims(scenario: OidcScenario, user: SimulatedUser): Record<string, string | boolean | string[]> {
  const claims: Record<string, string | boolean | string[]> = {};
  if (scenario !== 'missing_email' && user.email) {
    claims.email = user.email;
    if (scenario !== 'email_unverified') claims.email_verified = true;
  }
  if (user.firstName) claims.given_name = user.firstName;
  if (user.lastName) claims.family_name = user.lastName;
  if (user.groups?.length) claims.groups = [...user.groups];
  return claims;
}
