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
}

/** The base64 body of a PEM certificate (no armour, no line breaks). */
function certificateBody(pem: string): string {
  return pem.replace(/-----(?:BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

/** SP metadata XML: entity ID, ACS (HTTP-POST), email NameID, signed assertions wanted, and our signing certificate when given. */
export function spMetadataXml(sp: ServiceProvider, signing: SpMetadataSigning = {}): string {
  const key = signing.signingCertificatePem
    ? `
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
        <ds:X509Data>
          <ds:X509Certificate>${escapeXml(certificateBody(signing.signingCertificatePem))}</ds:X509Certificate>
        </ds:X509Data>
      </ds:KeyInfo>
    </md:KeyDescriptor>`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${escapeXml(sp.entityId)}">
  <md:SPSSODescriptor AuthnRequestsSigned="${signing.authnRequestsSigned === true}" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${key}
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${escapeXml(sp.acsUrl)}" index="0" isDefault="true"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>
`;
}
