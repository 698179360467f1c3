/**
 * Realistic sample data for stories, tests, the dev page and demos: an organization with an
 * active Okta SAML connection and a draft Entra ID OIDC connection, and one verified domain.
 */
import type { Connection, Domain } from '../core/model.js';
import type { MemorySeed } from './memory-adapter.js';

/** When SAMPLE_CERT expires (its notAfter). */
const SAMPLE_CERT_NOT_AFTER = '2036-11-26T15:54:09.000Z';

/** A real self-signed certificate (CN=megacorp.okta.example, valid to 2036); its key was thrown away. */
const SAMPLE_CERT = [
  '-----BEGIN CERTIFICATE-----',
  'MIIDWTCCAkGgAwIBAgIUd5z3SVOFt72zXuJUB0lvFituqIYwDQYJKoZIhvcNAQEL',
  'BQAwPDEeMBwGA1UEAwwVbWVnYWNvcnAub2t0YS5leGFtcGxlMRowGAYDVQQKDBFN',
  'ZWdhY29ycCBEZW1vIElkUDAeFw0yNjExMjkxNTU0MDlaFw0zNjExMjYxNTU0MDla',
  'MDwxHjAcBgNVBAMMFW1lZ2Fjb3JwLm9rdGEuZXhhbXBsZTEaMBgGA1UECgwRTWVn',
  'YWNvcnAgRGVtbyBJZFAwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQC2',
  'JchXUwSagkk+I3RlW6IcHP1gnoAcXMf+rHY+wOU+tUxaTA66Ops8uMdatUxvPyL+',
  'zCGkQrSkLTMlVe0Q27qoh0RdFuanwTXtgmnoFXMRMDTgLIjwjC2KUA/pWgqsz5/q',
  'uzgIt3gYsNV6/2PgOw6LZ4bu2K8tuoh47JLKdTb/onvAM+1T1pzo3KjZQ8lytQ5D',
  '7Jk2DwjvTSbL9wHLJDzhnhY5UOs+5FS7kDAZ/shfI2AANlyCA12cwrNsNeeC9xTh',
  '408n+HwgNfzB+i5p+YoMf7fqvFirNiB6vpLBaFhrQIHgyvjI4LhLkCgudCPQ59/c',
  'qriEGidhm9fIHIEevMYVAgMBAAGjUzBRMB0GA1UdDgQWBBQuOCiiynXWgSrRHN/D',
  'WrnBvrrs4jAfBgNVHSMEGDAWgBQuOCiiynXWgSrRHN/DWrnBvrrs4jAPBgNVHRMB',
  'Af8EBTADAQH/MA0GCSqGSIb3DQEBCwUAA4IBAQCdH3wcnqQwrI6w3iqccpzK+vOx',
  '5pTSBuDmmqFVipikU6aQZoMkgPNt25dGkqPvAXXm3i8PwOgqE93kZ4lClmuK1jKq',
  '9jQuEkegcJO4gKY+lyaXooZtM/GZVePEgatf0CyJPd0MNBsCZ467KqpziR8vUcPr',
  '61BhMt4DkD37uFFdQOLf11P+iU7NFO0NWmgXQ4pP7joHZxCqZ4kYZsNw9mMwyv64',
  'pqvS7Pr10M6I8zpbEXgsZ+fjd7MiKACAUkyKlgk9pg770yJVMeNtDTNG8QXqcXSr',
  'dYeDXslhMC88PwqGYDofiGprF6mNdXr31h8y/ZxYSteNgkF6N5cjb68bCeO7',
  '-----END CERTIFICATE-----'
].join('\n');

export function demoConnections(now: Date = new Date()): Connection[] {
  const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();
  return [
    {
      id: 'conn_okta',
      protocol: 'saml',
      providerId: 'okta',
      name: 'Okta (employees)',
      status: 'active',
      saml: {
        idpEntityId: 'http://www.okta.com/exk1demo',
        ssoUrl: 'https://megacorp.okta.com/app/megacorp_acme/exk1demo/sso/saml',
        ssoBinding: 'post',
        signingCertificates: [SAMPLE_CERT],
      },
      oidc: null,
      attributeMapping: { email: 'email', firstName: 'firstName', lastName: 'lastName', groups: 'groups' },
      lastTest: { id: 'test_okta1', mode: 'sp', status: 'success', at: hoursAgo(26), stale: false },
      certificateExpiresAt: SAMPLE_CERT_NOT_AFTER,
      version: 4,
      createdAt: hoursAgo(30),
      updatedAt: hoursAgo(26),
    },
    {
      id: 'conn_entra',
      protocol: 'oidc',
      providerId: 'entra-id',
      status: 'configured',
      saml: null,
      oidc: {
        issuer: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0',
        clientId: '11111111-2222-3333-4444-555555555555',
        clientSecretSet: true,
        scopes: ['openid', 'email', 'profile'],
      },
      attributeMapping: { email: 'email', firstName: 'given_name', lastName: 'family_name' },
      lastTest: { id: 'test_entra1', mode: 'sp', status: 'failure', errorCode: 'oidc_invalid_client', at: hoursAgo(2), stale: false },
      version: 2,
      createdAt: hoursAgo(3),
      updatedAt: hoursAgo(2),
    },
  ];
}

export function demoDomains(now: Date = new Date()): Domain[] {
  return [
    {
      name: 'megacorp.example',
      status: 'verified',
      txtRecord: { name: '_sso-verification.megacorp.example', value: 'sso-verification=dv_demo' },
      method: 'dns_txt',
      verifiedAt: new Date(now.getTime() - 86_400_000).toISOString(),
      lastCheckedAt: new Date(now.getTime() - 86_400_000).toISOString(),
    },
  ];
}

const certBody = () => SAMPLE_CERT.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');

/** IdP metadata as an IdP console exports it, signed with the demo certificate. */
export function demoIdpMetadata(entityId: string, ssoUrl: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${entityId}">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
        <ds:X509Data><ds:X509Certificate>${certBody()}</ds:X509Certificate></ds:X509Data>
      </ds:KeyInfo>
    </md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${ssoUrl}"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${ssoUrl}"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
`;
}

/** The metadata URL the demo's Okta tenant serves (MemoryAdapter `documents`). */
export const DEMO_METADATA_URL = 'https://megacorp.okta.example/app/exk1demo/sso/saml/metadata';

/** Documents the demo "network" serves: IdP metadata at DEMO_METADATA_URL. */
export function demoDocuments(): Record<string, string> {
  return {
    [DEMO_METADATA_URL]: demoIdpMetadata('http://www.okta.com/exk1demo', 'https://megacorp.okta.example/app/megacorp_acme/exk1demo/sso/saml'),
  };
}

/** The full demo seed for a MemoryAdapter. */
export function demoSeed(now: Date = new Date()): MemorySeed {
  return { connections: demoConnections(now), domains: demoDomains(now), clientSecrets: { conn_entra: 'demo-secret' } };
}
