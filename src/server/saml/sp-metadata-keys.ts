/**
 * Our certificates in a connection's SP metadata, as `<md:KeyDescriptor>` elements for
 * `spMetadataXml` (`../../core/sp-metadata.ts`): kept on the server, which holds the keys
 * (`sp-keys.ts`), so the portal's bundle does not carry this markup.
 */

/** The base64 body of a PEM certificate (no armour, no line breaks): base64 only, nothing to escape. */
function certificateBody(pem: string): string {
  return pem.replace(/-----(?:BEGIN|END) CERTIFICATE-----/g, '').replace(/[^A-Za-z0-9+/=]/g, '');
}

/** A `<md:KeyDescriptor use="…">` with the certificate, and any children after its KeyInfo (e.g. `<md:EncryptionMethod>`s). */
export function keyDescriptorXml(use: 'signing' | 'encryption', certificatePem: string, after = ''): string {
  return `
    <md:KeyDescriptor use="${use}">
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
        <ds:X509Data>
          <ds:X509Certificate>${certificateBody(certificatePem)}</ds:X509Certificate>
        </ds:X509Data>
      </ds:KeyInfo>${after}
    </md:KeyDescriptor>`;
}
