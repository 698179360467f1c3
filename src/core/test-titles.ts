/**
 * The one short, human name of each test failure and warning code: the result's heading, the
 * earlier tests, the overview's "Last test" and the announcements all use it, so the same
 * failure never goes by two names. A small module of its own, so the overview can name a
 * failure without loading the whole diagnosis (or the failure texts: only types come from
 * `test-failures.ts`; the `Record` types keep the titles complete).
 */
import { msg } from './text.js';
import type { TestFailureCode, TestWarningCode } from './test-failures.js';

/** A short, human name for each failure code (the heading; the raw code is shown beside it). */
export const testFailureTitles = (): Readonly<Record<TestFailureCode, string>> => ({
  signature_invalid: msg('Signature did not verify'),
  certificate_mismatch: msg('Unknown signing certificate'),
  response_unsigned: msg('Response not signed'),
  audience_mismatch: msg('Wrong audience (entity ID)'),
  destination_mismatch: msg('Wrong destination (ACS URL)'),
  assertion_expired: msg('Assertion expired'),
  assertion_not_yet_valid: msg('Assertion not valid yet'),
  issuer_mismatch: msg('Wrong issuer (IdP entity ID)'),
  missing_email: msg('No email address'),
  user_denied: msg('Access denied'),
  idp_error: msg('Error from the identity provider'),
  oidc_invalid_client: msg('Client ID or secret rejected'),
  oidc_issuer_mismatch: msg('Wrong issuer'),
  email_unverified: msg('Email not verified'),
  request_mismatch: msg('Answer to another request'),
  response_replayed: msg('Response used twice'),
  response_malformed: msg('Unreadable response'),
  decryption_failed: msg('Assertion could not be decrypted'),
  encryption_required: msg('Assertion not encrypted'),
  email_outside_domains: msg('Email outside the organization’s domains'),
  timeout: msg('No result in time'),
});

/** A short, human name for each warning code of a successful test. */
export const testWarningTitles = (): Readonly<Record<TestWarningCode, string>> => ({
  domain_not_verified: msg('Domain not verified'),
  weak_signature_algorithm: msg('Signed with SHA-1'),
});

/** A code we do not know (a newer backend), in readable words. */
export const readable = (code: string) => {
  const words = code.replace(/[_-]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** The name of a failure code; a code we do not know (a newer backend) in readable words. */
export function testFailureTitle(code: string | undefined): string {
  if (!code) return msg('Unknown problem');
  const titles = testFailureTitles();
  return Object.hasOwn(titles, code) ? titles[code as TestFailureCode] : readable(code);
}

/** The name of a warning code; a code we do not know in readable words. */
export function testWarningTitle(code: string): string {
  const titles = testWarningTitles();
  return Object.hasOwn(titles, code) ? titles[code as TestWarningCode] : readable(code);
}
