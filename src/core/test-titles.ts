/**
 * The one short, human name of each test failure and warning code: the result's heading, the
 * earlier tests, the overview's "Last test" and the announcements all use it, so the same
 * failure never goes by two names. A small module of its own, so the overview can name a
 * failure without loading the whole diagnosis (or the failure texts: only types come from
 * `test-failures.ts`; the `Record` types keep the titles complete).
 */
import type { TestFailureCode, TestWarningCode } from './test-failures.js';

/** A short, human name for each failure code (the heading; the raw code is shown beside it). */
export const TEST_FAILURE_TITLES: Readonly<Record<TestFailureCode, string>> = Object.freeze({
  signature_invalid: 'Signature did not verify',
  certificate_mismatch: 'Unknown signing certificate',
  response_unsigned: 'Response not signed',
  audience_mismatch: 'Wrong audience (entity ID)',
  destination_mismatch: 'Wrong destination (ACS URL)',
  assertion_expired: 'Assertion expired',
  assertion_not_yet_valid: 'Assertion not valid yet',
  issuer_mismatch: 'Wrong issuer (IdP entity ID)',
  missing_email: 'No email address',
  user_denied: 'Access denied',
  idp_error: 'Error from the identity provider',
  oidc_invalid_client: 'Client ID or secret rejected',
  oidc_issuer_mismatch: 'Wrong issuer',
  email_unverified: 'Email not verified',
  request_mismatch: 'Answer to another request',
  response_replayed: 'Response used twice',
  response_malformed: 'Unreadable response',
  decryption_failed: 'Assertion could not be decrypted',
  encryption_required: 'Assertion not encrypted',
  email_outside_domains: 'Email outside the organization’s domains',
  timeout: 'No result in time',
});

/** A short, human name for each warning code of a successful test. */
export const TEST_WARNING_TITLES: Readonly<Record<TestWarningCode, string>> = Object.freeze({
  domain_not_verified: 'Domain not verified',
  weak_signature_algorithm: 'Signed with SHA-1',
});

const readable = (code: string) => {
  const words = code.replace(/[_-]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** The name of a failure code; a code we do not know (a newer backend) in readable words. */
export function testFailureTitle(code: string | undefined): string {
  if (!code) return 'Unknown problem';
  return Object.hasOwn(TEST_FAILURE_TITLES, code) ? TEST_FAILURE_TITLES[code as TestFailureCode] : readable(code);
}

/** The name of a warning code; a code we do not know in readable words. */
export function testWarningTitle(code: string): string {
  return Object.hasOwn(TEST_WARNING_TITLES, code) ? TEST_WARNING_TITLES[code as TestWarningCode] : readable(code);
}
