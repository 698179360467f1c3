/**
 * What the SAML IdP simulator can answer: one successful login and one scenario per failure a
 * test login must diagnose, each with the failure code (`src/core/test-failures.ts`) the
 * service provider is expected to report.
 */
import type { TestFailureCode } from '../../core/test-failures.js';
import { msg } from '../../portal/localize/msg.js';

export type SamlScenario =
  | 'success'
  | 'wrong_audience'
  | 'wrong_destination'
  | 'wrong_issuer'
  | 'expired'
  | 'not_yet_valid'
  | 'other_key'
  | 'unsigned'
  | 'tampered'
  | 'missing_email'
  | 'idp_error'
  | 'other_request'
  | 'malformed'
  | 'user_denies';

export interface SamlScenarioInfo {
  readonly id: SamlScenario;
  /** Short name, shown next to the radio button (in the page's language). */
  readonly label: string;
  /** What the response looks like, in one sentence. */
  readonly hint: string;
  /** The test failure code the service provider should report; null for success. */
  readonly expectedCode: TestFailureCode | null;
}

/**
 * In the order the login page lists them (success first, the default). Labels and hints are
 * getters: each read answers in the language of the page being built (page-language.ts).
 */
export const SAML_SCENARIOS: readonly SamlScenarioInfo[] = Object.freeze([
  { id: 'success', get label() { return msg('Successful login'); }, get hint() { return msg('A valid, signed response and assertion with all the user’s attributes.'); }, expectedCode: null },
  {
    id: 'wrong_audience',
    get label() { return msg('Wrong audience'); },
    get hint() { return msg('The assertion is addressed to another service provider (Audience is not our Entity ID).'); },
    expectedCode: 'audience_mismatch',
  },
  {
    id: 'wrong_destination',
    get label() { return msg('Wrong destination'); },
    get hint() { return msg('Destination and Recipient name another address than our ACS URL (the form still posts to the ACS URL).'); },
    expectedCode: 'destination_mismatch',
  },
  {
    id: 'wrong_issuer',
    get label() { return msg('Wrong issuer'); },
    get hint() { return msg('The response and the assertion name another IdP Entity ID as their Issuer.'); },
    expectedCode: 'issuer_mismatch',
  },
  { id: 'expired', get label() { return msg('Expired assertion'); }, get hint() { return msg('The assertion stopped being valid 10 minutes ago (NotOnOrAfter in the past).'); }, expectedCode: 'assertion_expired' },
  {
    id: 'not_yet_valid',
    get label() { return msg('Not yet valid'); },
    get hint() { return msg('The assertion becomes valid in 10 minutes (NotBefore in the future, as from an IdP whose clock runs ahead).'); },
    expectedCode: 'assertion_not_yet_valid',
  },
  {
    id: 'other_key',
    get label() { return msg('Signed with another key'); },
    get hint() { return msg('A valid signature, but by a key whose certificate is not in the simulator’s metadata (as after a certificate rotation).'); },
    expectedCode: 'certificate_mismatch',
  },
  { id: 'unsigned', get label() { return msg('Unsigned'); }, get hint() { return msg('Neither the response nor the assertion is signed.'); }, expectedCode: 'response_unsigned' },
  {
    id: 'tampered',
    get label() { return msg('Tampered'); },
    get hint() { return msg('Signed correctly, then the email address was changed: the signature no longer matches.'); },
    expectedCode: 'signature_invalid',
  },
  {
    id: 'missing_email',
    get label() { return msg('Missing email'); },
    get hint() { return msg('No email attribute, and the NameID is an opaque persistent identifier instead of the email address.'); },
    expectedCode: 'missing_email',
  },
  {
    id: 'idp_error',
    get label() { return msg('IdP error'); },
    get hint() { return msg('The IdP answers with status Responder and an error message, without an assertion.'); },
    expectedCode: 'idp_error',
  },
  {
    id: 'other_request',
    get label() { return msg('Answer to another request'); },
    get hint() { return msg('A valid, signed response whose InResponseTo names another AuthnRequest (as a late answer to an older login).'); },
    expectedCode: 'request_mismatch',
  },
  {
    id: 'malformed',
    get label() { return msg('Malformed response'); },
    get hint() { return msg('The response starts with a DOCTYPE declaring an entity (XXE): it must be refused before it is parsed.'); },
    expectedCode: 'response_malformed',
  },
  {
    id: 'user_denies',
    get label() { return msg('User denies access'); },
    get hint() { return msg('The IdP answers with status Responder / RequestDenied, without an assertion (the “Deny access” button).'); },
    expectedCode: 'user_denied',
  },
] satisfies SamlScenarioInfo[]);

export function isSamlScenario(value: unknown): value is SamlScenario {
  return typeof value === 'string' && SAML_SCENARIOS.some((s) => s.id === value);
}

/** The scenario's description; throws on an unknown id (a bug). */
export function samlScenario(id: SamlScenario): SamlScenarioInfo {
  const info = SAML_SCENARIOS.find((s) => s.id === id);
  if (!info) throw new Error(`unknown SAML scenario ${JSON.stringify(id)}`);
  return info;
}
