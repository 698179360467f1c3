/**
 * Our certificates in a connection's SP metadata, as `<md:KeyDescriptor>` elements for
 * `spMetadataXml` (`../../core/sp-metadata.ts`): kept on the server, which holds the keys
 * (`sp-keys.ts`), so the portal's bundle does not carry this markup.
 */

/**
 * The base64 body of a PEM certificate (or of bare base64): no armour, no line breaks, nothing but
 * base64 characters (so nothing to escape in XML), the same text however the certificate was wrapped.
 */
export function certificateBody(pem: string): string {
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

/** Content encryption of an EncryptedAssertion we accept (`assertion-decryption.ts`), preferred first. */
export const ACCEPTED_CONTENT_ENCRYPTION = [
  'http://www.w3.org/2009/xmlenc11#aes256-gcm',
  'http://www.w3.org/2009/xmlenc11#aes128-gcm',
  'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
  'http://www.w3.org/2001/04/xmlenc#aes128-cbc',
] as const;
/** Key transport we accept: RSA-OAEP (SHA-1 digest and MGF1 by default). */
export const ACCEPTED_KEY_TRANSPORT = ['http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p'] as const;

/**
 * Our certificates for assertion encryption, each a `<md:KeyDescriptor use="encryption">` with
 * the algorithms we accept: the current one, and during a rollover the next one (both decrypt).
 */
export function encryptionKeyDescriptorsXml(certificatesPem: readonly string[]): string {
  const methods = [...ACCEPTED_CONTENT_ENCRYPTION, ...ACCEPTED_KEY_TRANSPORT].map((a) => `\n      <md:EncryptionMethod Algorithm="${a}"/>`).join('');
  return certificatesPem.map((pem) => keyDescriptorXml('encryption', pem, methods)).join('');
}
