/**
 * The codes of a test login's failures and warnings (`TestResult.error.code`, `TestResult.warnings`).
 * Apart from their texts (`test-failures.ts`) so that the contract's schemas (`model.ts`), which
 * the HttpAdapter carries to the first paint, hold the codes alone.
 */
export const TEST_FAILURE_CODES = [
  'signature_invalid',
  'certificate_mismatch',
  'response_unsigned',
  'audience_mismatch',
  'destination_mismatch',
  'assertion_expired',
  'assertion_not_yet_valid',
  'issuer_mismatch',
  'missing_email',
  'user_denied',
  'idp_error',
  'oidc_invalid_client',
  'oidc_issuer_mismatch',
  'email_unverified',
  'request_mismatch',
  'response_replayed',
  'response_malformed',
  'decryption_failed',
  'encryption_required',
  'email_outside_domains',
  'timeout',
] as const;
export type TestFailureCode = (typeof TEST_FAILURE_CODES)[number];

export const TEST_WARNING_CODES = [
  'domain_not_verified',
  'weak_signature_algorithm',
] as const;
export type TestWarningCode = (typeof TEST_WARNING_CODES)[number];
