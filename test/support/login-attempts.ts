/**
 * Login attempts as the server records them (`core/login-trace.ts`), for stories and browser
 * tests on a MemoryAdapter (`seed.loginAttempts`): a SAML connection's success, a tampered
 * response (signature_invalid), a certificate mismatch and a sign-in refused for its domain,
 * with the decoded (redacted) request and answer. Hostile text included, rendered as text.
 */
import type { LoginAttempt } from '../../src/core/login-trace.js';
import type { Connection } from '../../src/core/model.js';
import { demoConnections } from '../../src/adapters/demo-data.js';

export const TRACED_CONNECTION_ID = 'conn_okta';

const minutesBefore = (now: Date, m: number) => new Date(now.getTime() - m * 60_000).toISOString();

const REQUEST = `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_9f1c2a" Version="2.0" IssueInstant="2026-12-05T11:58:00Z" Destination="https://megacorp.okta.com/app/acme/sso/saml" AssertionConsumerServiceURL="https://sso.acme.test/saml/org_megacorp/conn_okta/acs"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">https://sso.acme.test/saml/org_megacorp/conn_okta</saml:Issuer></samlp:AuthnRequest>`;

const response = (email: string) => `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r1" InResponseTo="_9f1c2a" Destination="https://sso.acme.test/saml/org_megacorp/conn_okta/acs">
  <saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">http://www.okta.com/exk1megacorp</saml:Issuer>
  <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>…</ds:SignedInfo><ds:SignatureValue>[redacted]</ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>[redacted: certificate SHA-256 3F:9A:…]</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>
  <saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a1"><saml:Subject><saml:NameID>${email}</saml:NameID></saml:Subject>
    <saml:AttributeStatement><saml:Attribute Name="email"><saml:AttributeValue>${email}</saml:AttributeValue></saml:Attribute><saml:Attribute Name="firstName"><saml:AttributeValue>Ada</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>
  </saml:Assertion>
</samlp:Response>`;

const PASSED_TO_SIGNATURE = [
  { check: 'input', status: 'passed', detail: '2841 characters of well-formed XML, within the size and nesting limits, no DOCTYPE.' },
  { check: 'structure', status: 'passed', detail: 'One SAML 2.0 Response, at most one assertion directly in it, signatures only where they belong, no duplicated IDs.' },
  { check: 'status', status: 'passed', detail: 'Success.' },
] as const;

/** The attempts of {@link TRACED_CONNECTION_ID}, newest first. */
export function loginAttempts(now: Date): LoginAttempt[] {
  const base = { connectionId: TRACED_CONNECTION_ID, protocol: 'saml' as const, request: { format: 'xml' as const, body: REQUEST } };
  return [
    {
      ...base,
      id: 'la_success',
      at: minutesBefore(now, 2),
      purpose: 'test',
      testId: 'test_ok',
      user: 'ada@megacorp.example',
      outcome: 'success',
      error: null,
      steps: [
        ...PASSED_TO_SIGNATURE,
        { check: 'signature', status: 'passed', detail: 'Response signed with rsa-sha256; the signature verifies and covers what is read.' },
        { check: 'certificate', status: 'passed', detail: 'Made with a configured signing certificate (SHA-256 3F:9A:…).' },
        { check: 'issuer', status: 'passed', detail: 'http://www.okta.com/exk1megacorp, the configured IdP entity ID.' },
        { check: 'destination', status: 'passed', detail: 'Destination and Recipient are our ACS URL https://sso.acme.test/saml/org_megacorp/conn_okta/acs.' },
        { check: 'audience', status: 'passed', detail: 'The audience is our entity ID https://sso.acme.test/saml/org_megacorp/conn_okta.' },
        { check: 'request', status: 'passed', detail: 'InResponseTo is our AuthnRequest _9f1c2a.' },
        { check: 'times', status: 'passed', detail: 'Assertion issued 2026-12-05T11:58:02Z, until 2026-12-05T12:03:02Z; our clock 2026-12-05T11:58:03Z, allowed skew 120 s.' },
        { check: 'second_check', status: 'passed', detail: 'node-saml accepts the response too.' },
        { check: 'email', status: 'passed', detail: 'ada@megacorp.example, from the attribute email.' },
        { check: 'replay', status: 'passed', detail: 'Assertion _a1 of http://www.okta.com/exk1megacorp was not accepted before.' },
        { check: 'email_domain', status: 'passed', detail: 'megacorp.example is a verified domain of the organization.' },
      ],
      response: { format: 'xml', body: response('ada@megacorp.example') },
    },
    {
      ...base,
      id: 'la_tampered',
      at: minutesBefore(now, 9),
      purpose: 'test',
      testId: 'test_tampered',
      user: 'mallory@megacorp.example',
      outcome: 'failure',
      error: {
        code: 'signature_invalid',
        message: 'The signature on the SAML response is not valid: the response was changed after it was signed, or signed incorrectly.',
        remedy: 'Make sure nothing between the IdP and us rewrites the response, and that the IdP signs with the certificate you uploaded.',
        details: { reason: 'Response signature: The content was changed after it was signed (the digest does not match).', signatureAlgorithm: 'rsa-sha256' },
      },
      steps: [...PASSED_TO_SIGNATURE, { check: 'signature', status: 'failed', detail: 'Response signature: The content was changed after it was signed (the digest does not match).' }],
      response: { format: 'xml', body: response('mallory@megacorp.example') },
    },
    {
      ...base,
      id: 'la_certificate',
      at: minutesBefore(now, 60 * 26),
      purpose: 'sign-in',
      outcome: 'failure',
      error: {
        code: 'certificate_mismatch',
        message: 'The response was signed with a certificate that is not configured for this connection.',
        remedy: 'Upload the IdP’s current signing certificate (download the metadata again), then test.',
        details: { expectedFingerprints: ['3F:9A:00'], receivedFingerprint: '7C:11:22' },
      },
      steps: [...PASSED_TO_SIGNATURE, { check: 'certificate', status: 'failed', detail: 'Response signature: The response was signed with a key that is not among the configured signing certificates.' }],
      response: { format: 'xml', body: response('<script>alert(1)</script>@megacorp.example') },
    },
    {
      ...base,
      id: 'la_domain',
      at: minutesBefore(now, 60 * 50),
      purpose: 'sign-in',
      user: 'bob@partner.example',
      outcome: 'failure',
      error: { code: 'email_outside_domains', message: 'The email address is not at one of your verified domains.', remedy: 'Verify the domain, or sign in with a work address.', details: { emailDomain: 'partner.example', allowedDomains: ['megacorp.example'] } },
      steps: [...PASSED_TO_SIGNATURE, { check: 'email_domain', status: 'failed', detail: 'partner.example is not among the verified domains (megacorp.example).' }],
    },
  ];
}

/** The SAML connection the attempts belong to (the demo's SAML connection, renamed). */
export function tracedConnection(now: Date): Connection {
  const saml = demoConnections(now).find((c) => c.protocol === 'saml')!;
  return { ...saml, id: TRACED_CONNECTION_ID, providerId: 'okta', name: 'Okta (employees)', status: 'active' };
}
