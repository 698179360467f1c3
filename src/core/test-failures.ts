/**
 * Why a test login failed. These codes appear in `TestResult.error.code`; each comes with
 * what it means and a generic remedy. Provider-specific remedies (which screen of which
 * console to change) are layered on by the provider catalog.
 *
 * The texts are getters through `msg`: the server (no localization runtime) sends them in
 * English, and the portal reads them in the language it shows, for the codes it knows.
 */

import { msg } from './text.js';
import type { TestFailureCode, TestWarningCode } from './test-codes.js';

export { TEST_FAILURE_CODES, TEST_WARNING_CODES, type TestFailureCode, type TestWarningCode } from './test-codes.js';

export interface TestFailureInfo {
  /** What happened, in plain words. */
  readonly message: string;
  /** What to change, in plain words. */
  readonly remedy: string;
}

export const TEST_FAILURES = {
  signature_invalid: {
    get message() {
      return msg('The identity provider’s signature on the response did not verify: the response was changed on the way or signed incorrectly.');
    },
    get remedy() {
      return msg('Download fresh metadata from your identity provider and update the configuration, then test again.');
    },
  },
  certificate_mismatch: {
    get message() {
      return msg('The response was signed with a certificate that is not in this connection’s configuration.');
    },
    get remedy() {
      return msg('Your identity provider may have rotated its signing certificate. Update the metadata or upload the current signing certificate.');
    },
  },
  response_unsigned: {
    get message() {
      return msg('Neither the SAML response nor its assertion was signed.');
    },
    get remedy() {
      return msg('In your identity provider’s application settings, enable signing of the assertion (or the response).');
    },
  },
  audience_mismatch: {
    get message() {
      return msg('The assertion is addressed to a different service provider (its Audience does not match our Entity ID).');
    },
    get remedy() {
      return msg('Copy our Entity ID (Audience URI) from the guide into your identity provider’s application settings.');
    },
  },
  destination_mismatch: {
    get message() {
      return msg('The response was sent to a different address than our ACS URL.');
    },
    get remedy() {
      return msg('Copy our ACS URL (Reply URL / Single sign-on URL) from the guide into your identity provider’s application settings.');
    },
  },
  assertion_expired: {
    get message() {
      return msg('The assertion had already expired when it arrived.');
    },
    get remedy() {
      return msg('Check that the identity provider’s clock is correct, and finish the login promptly after it starts.');
    },
  },
  assertion_not_yet_valid: {
    get message() {
      return msg('The assertion is not valid yet: the identity provider’s clock is ahead of ours.');
    },
    get remedy() {
      return msg('Correct the identity provider server’s clock (NTP), then test again.');
    },
  },
  issuer_mismatch: {
    get message() {
      return msg('The response came from a different identity provider Entity ID than the one configured.');
    },
    get remedy() {
      return msg('Update the configured IdP Entity ID (Issuer) to match your identity provider, or re-import its metadata.');
    },
  },
  missing_email: {
    get message() {
      return msg('The login succeeded but the user’s email address was not sent.');
    },
    get remedy() {
      return msg('Add an attribute (claim) carrying the user’s email address in your identity provider’s application settings.');
    },
  },
  user_denied: {
    get message() {
      return msg('The login was cancelled or access was denied at the identity provider.');
    },
    get remedy() {
      return msg('Make sure the test user is assigned to the application in your identity provider, then try again.');
    },
  },
  idp_error: {
    get message() {
      return msg('The identity provider answered with an error instead of a login.');
    },
    get remedy() {
      return msg('Check the status shown below and your identity provider’s logs for the application.');
    },
  },
  oidc_invalid_client: {
    get message() {
      return msg('The identity provider rejected the client ID or client secret.');
    },
    get remedy() {
      return msg('Copy the client ID and a current client secret from your identity provider and save them again.');
    },
  },
  oidc_issuer_mismatch: {
    get message() {
      return msg('The ID token came from a different issuer than the one configured.');
    },
    get remedy() {
      return msg('Use the exact issuer URL shown in your identity provider’s OpenID configuration.');
    },
  },
  email_unverified: {
    get message() {
      return msg('The identity provider did not confirm that the user’s email address is verified (email_verified was missing or false).');
    },
    get remedy() {
      return msg('Verify the user’s email address in your identity provider and make sure it sends the email_verified claim, then test again.');
    },
  },
  request_mismatch: {
    get message() {
      return msg('The response answers a different login request than the one this test started (InResponseTo does not match).');
    },
    get remedy() {
      return msg('Start a new test and finish it in the window that opens; a response from an older or another login attempt is not accepted.');
    },
  },
  response_replayed: {
    get message() {
      return msg('This response had already been used once: a response is accepted only the first time it arrives.');
    },
    get remedy() {
      return msg('Start a new test. If this keeps happening, check that nothing between your identity provider and us sends the response twice.');
    },
  },
  response_malformed: {
    get message() {
      return msg('What arrived is not a well-formed SAML response we can safely read (it may contain a DOCTYPE, entities, duplicated IDs or an unexpected structure).');
    },
    get remedy() {
      return msg('Make sure your identity provider posts a standard SAML 2.0 Response to our ACS URL with the HTTP-POST binding, then test again.');
    },
  },
  decryption_failed: {
    get message() {
      return msg('The assertion arrived encrypted, and we could not decrypt it: it was encrypted for another certificate, with an algorithm we do not accept, or damaged on the way.');
    },
    get remedy() {
      return msg('Give your identity provider the encryption certificate from this connection’s SP metadata (download it again after a key rotation), with RSA-OAEP key transport and AES-GCM or AES-CBC content encryption; or turn assertion encryption off at the identity provider.');
    },
  },
  encryption_required: {
    get message() {
      return msg('This connection requires encrypted assertions, and the assertion arrived unencrypted.');
    },
    get remedy() {
      return msg('Turn on assertion encryption at your identity provider with the encryption certificate from this connection’s SP metadata, or turn off “require encrypted assertions” for this connection.');
    },
  },
  email_outside_domains: {
    get message() {
      return msg('The identity provider signed in a user whose email address is not at one of this organization’s verified domains, so we refused the sign-in.');
    },
    get remedy() {
      return msg('Sign in with a user whose email address is at one of the organization’s verified domains, or verify the email’s domain for this organization first.');
    },
  },
  timeout: {
    get message() {
      return msg('No login result arrived in time.');
    },
    get remedy() {
      return msg('Start the test again and complete the login in the window that opens. If no window opened, allow pop-ups for this site.');
    },
  },
} as const satisfies Record<TestFailureCode, TestFailureInfo>;

export function isTestFailureCode(value: unknown): value is TestFailureCode {
  return typeof value === 'string' && Object.hasOwn(TEST_FAILURES, value);
}

/**
 * Things a test login that worked should still tell the admin: the login is fine, but real
 * sign-ins will not be yet. They appear in `TestResult.warnings`.
 */
export const TEST_WARNINGS = {
  domain_not_verified: {
    get message() {
      return msg('The test login worked, but users cannot sign in yet: sign-ins are accepted only for email addresses at a verified domain of this organization, and the user’s domain is not verified.');
    },
    get remedy() {
      return msg('Add and verify the email domain in the Domains section, then users of that domain can sign in.');
    },
  },
  weak_signature_algorithm: {
    get message() {
      return msg('The test login worked, but the identity provider signed its answer with SHA-1, a hash that is no longer considered safe: a forged answer becomes feasible for a well-funded attacker, and some products stop accepting SHA-1 without notice.');
    },
    get remedy() {
      return msg('In the identity provider’s settings for this app, set the signature algorithm to RSA-SHA256 (often named “Secure hash algorithm”, “Signature algorithm” or “Signing algorithm”; in AD FS, on the relying party trust’s Advanced tab), then run the test again.');
    },
  },
} as const satisfies Record<TestWarningCode, TestFailureInfo>;
