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

/**
 * What a backend adds to our SP metadata (`src/server/saml/sp-metadata-keys.ts`): its
 * certificates as `<md:KeyDescriptor>` elements (XML it built and escaped), and whether it signs
 * the AuthnRequests. The portal's own download has neither.
 */
export interface SpMetadataKeys {
  keyDescriptorsXml?: string;
  /** `AuthnRequestsSigned` (default false). */
  authnRequestsSigned?: boolean;
}

/** SP metadata XML: entity ID, ACS (HTTP-POST), email NameID, signed assertions wanted, and a backend's certificates when given. */
export function spMetadataXml(sp: ServiceProvider, keys: SpMetadataKeys = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${escapeXml(sp.entityId)}">
  <md:SPSSODescriptor AuthnRequestsSigned="${keys.authnRequestsSigned === true}" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${keys.keyDescriptorsXml ?? ''}
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${escapeXml(sp.acsUrl)}" index="0" isDefault="true"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>
`;
}
