/** Our SAML service-provider metadata, for IdP consoles that import it (AD FS, Entra, Keycloak...). */
import type { ServiceProvider } from './model.js';

/**
 * A connection's SP values derived from the organization's: the connection id goes before the
 * last path segment (`…/saml/org_1/acs` -> `…/saml/org_1/conn_2/acs`) or at the end (entity ID).
 */
export function connectionServiceProvider(organization: ServiceProvider, connectionId: string): ServiceProvider {
  const id = encodeURIComponent(connectionId);
  const beforeLast = (url: string) => {
    const parsed = new URL(url);
    const parts = parsed.pathname.split('/');
    parts.splice(Math.max(parts.length - 1, 1), 0, id);
    parsed.pathname = parts.join('/');
    return parsed.toString();
  };
  return {
    entityId: `${organization.entityId.replace(/\/+$/, '')}/${id}`,
    acsUrl: beforeLast(organization.acsUrl),
    metadataUrl: beforeLast(organization.metadataUrl),
    oidcRedirectUri: beforeLast(organization.oidcRedirectUri),
  };
}

function escapeXml(value: string): string {
  return value.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
}

/** What our SP metadata says about request signing (a connection's, `src/server/saml/sp-keys.ts`). */
export interface SpMetadataSigning {
  /** Our certificate that signs AuthnRequests (PEM), published as `<KeyDescriptor use="signing">`. */
  signingCertificatePem?: string;
  /** `AuthnRequestsSigned`: whether we sign the AuthnRequests of this connection (default false). */
  authnRequestsSigned?: boolean;
  /**
   * Our certificates for assertion encryption (PEM), each published as `<KeyDescriptor use="encryption">`
   * with the algorithms we accept: the current one, and during a rollover the next one (both decrypt).
   */
  encryptionCertificatesPem?: string[];
}

/** Content encryption of an EncryptedAssertion we accept (server: `saml/assertion-decryption.ts`), preferred first. */
export const ACCEPTED_CONTENT_ENCRYPTION = [
  'http://www.w3.org/2009/xmlenc11#aes256-gcm',
  'http://www.w3.org/2009/xmlenc11#aes128-gcm',
  'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
  'http://www.w3.org/2001/04/xmlenc#aes128-cbc',
] as const;
/** Key transport we accept: RSA-OAEP (SHA-1 digest and MGF1 by default). */
export const ACCEPTED_KEY_TRANSPORT = ['http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p'] as const;

/** The base64 body of a PEM certificate (no armour, no line breaks). */
function certificateBody(pem: string): string {
  return pem.replace(/-----(?:BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

function keyDescriptor(use: 'signing' | 'encryption', pem: string): string {
  const methods = use === 'encryption' ? [...ACCEPTED_CONTENT_ENCRYPTION, ...ACCEPTED_KEY_TRANSPORT].map((a) => `\n      <md:EncryptionMethod Algorithm="${a}"/>`).join('') : '';
  return `
    <md:KeyDescriptor use="${use}">
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
        <ds:X509Data>
          <ds:X509Certificate>${escapeXml(certificateBody(pem))}</ds:X509Certificate>
        </ds:X509Data>
      </ds:KeyInfo>${methods}
    </md:KeyDescriptor>`;
}

/** SP metadata XML: entity ID, ACS (HTTP-POST), email NameID, signed assertions wanted, and our signing and encryption certificates when given. */
export function spMetadataXml(sp: ServiceProvider, signing: SpMetadataSigning = {}): string {
  const key =
    (signing.signingCertificatePem ? keyDescriptor('signing', signing.signingCertificatePem) : '') +
    (signing.encryptionCertificatesPem ?? []).map((pem) => keyDescriptor('encryption', pem)).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${escapeXml(sp.entityId)}">
  <md:SPSSODescriptor AuthnRequestsSigned="${signing.authnRequestsSigned === true}" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${key}
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${escapeXml(sp.acsUrl)}" index="0" isDefault="true"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>
`;
}
