/// <reference types="node" />
/**
 * A small test-only SAML IdP: an RSA key with a self-signed certificate (@peculiar/x509), a
 * Response/Assertion built from a template, signed with xml-crypto (exclusive c14n, rsa-sha256),
 * with options to sign the assertion, the response, both or neither, and to tamper afterwards.
 */
import 'reflect-metadata';
import { webcrypto, X509Certificate as NodeX509 } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { SignedXml } from 'xml-crypto';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export interface TestIdpKey {
  /** PEM certificate. */
  certPem: string;
  /** The certificate as bare base64 DER (how metadata carries it). */
  certBase64: string;
  privateKeyPem: string;
  /** SHA-256, uppercase hex with colons. */
  fingerprint: string;
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

/** A fresh RSA-2048 key and self-signed certificate, valid around `now`. */
export async function createSigningKey(name = 'Test IdP', now = new Date('2026-01-01T00:00:00Z')): Promise<TestIdpKey> {
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex').replace(/^[89a-f]/, '1'),
    name: `CN=${name}`,
    notBefore: new Date(now.getTime() - 365 * 86_400_000),
    notAfter: new Date(now.getTime() + 3 * 365 * 86_400_000),
    signingAlgorithm: algorithm,
    keys,
  });
  const der = cert.rawData;
  const privateKeyPem = pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const certPem = pem('CERTIFICATE', der);
  return { certPem, certBase64: Buffer.from(der).toString('base64'), privateKeyPem, fingerprint: new NodeX509(Buffer.from(der)).fingerprint256 };
}

export interface ResponseTemplate {
  now: Date;
  issuer: string;
  /** Our ACS URL: Destination and Recipient unless overridden. */
  acsUrl: string;
  audience: string;
  /** null: no InResponseTo anywhere (IdP-initiated). */
  inResponseTo: string | null;
  nameId?: string;
  nameIdFormat?: string;
  attributes?: Record<string, string[]>;
  /** null omits the attribute. */
  destination?: string | null;
  recipient?: string;
  responseIssuer?: string | null;
  assertionIssuer?: string;
  audiences?: string[] | null;
  issueInstant?: Date;
  notBefore?: Date;
  notOnOrAfter?: Date;
  status?: { code: string; subCode?: string; message?: string };
  responseId?: string;
  assertionId?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const iso = (d: Date) => d.toISOString();
let counter = 0;
const uniqueId = (prefix: string) => `${prefix}${Date.now().toString(36)}${(++counter).toString(36)}${Math.random().toString(36).slice(2, 8)}`;

/** The unsigned Response XML. */
export function buildResponseXml(t: ResponseTemplate): string {
  const responseId = t.responseId ?? uniqueId('_r');
  const assertionId = t.assertionId ?? uniqueId('_a');
  const issueInstant = iso(t.issueInstant ?? t.now);
  const notBefore = iso(t.notBefore ?? new Date(t.now.getTime() - 60_000));
  const notOnOrAfter = iso(t.notOnOrAfter ?? new Date(t.now.getTime() + 5 * 60_000));
  const irt = t.inResponseTo === null ? '' : ` InResponseTo="${esc(t.inResponseTo)}"`;
  const destination = t.destination === null ? '' : ` Destination="${esc(t.destination ?? t.acsUrl)}"`;
  const responseIssuer = t.responseIssuer === null ? '' : `<saml:Issuer>${esc(t.responseIssuer ?? t.issuer)}</saml:Issuer>`;
  const status = t.status ?? { code: 'urn:oasis:names:tc:SAML:2.0:status:Success' };
  const statusXml =
    `<samlp:Status><samlp:StatusCode Value="${esc(status.code)}">` +
    (status.subCode ? `<samlp:StatusCode Value="${esc(status.subCode)}"/>` : '') +
    `</samlp:StatusCode>${status.message ? `<samlp:StatusMessage>${esc(status.message)}</samlp:StatusMessage>` : ''}</samlp:Status>`;
  const audiences = t.audiences === null ? '' : `<saml:AudienceRestriction>${(t.audiences ?? [t.audience]).map((a) => `<saml:Audience>${esc(a)}</saml:Audience>`).join('')}</saml:AudienceRestriction>`;
  const attributes = Object.entries(t.attributes ?? {})
    .map(([name, values]) => `<saml:Attribute Name="${esc(name)}">${values.map((v) => `<saml:AttributeValue>${esc(v)}</saml:AttributeValue>`).join('')}</saml:Attribute>`)
    .join('');
  const assertion =
    `<saml:Assertion ID="${assertionId}" Version="2.0" IssueInstant="${issueInstant}">` +
    `<saml:Issuer>${esc(t.assertionIssuer ?? t.issuer)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="${esc(t.nameIdFormat ?? 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent')}">${esc(t.nameId ?? 'user-1234')}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${notOnOrAfter}" Recipient="${esc(t.recipient ?? t.acsUrl)}"${irt}/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${notBefore}" NotOnOrAfter="${notOnOrAfter}">${audiences}</saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${issueInstant}" SessionIndex="${assertionId}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    (attributes ? `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` : '') +
    `</saml:Assertion>`;
  return (
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${responseId}" Version="2.0" IssueInstant="${issueInstant}"${destination}${irt}>` +
    `${responseIssuer}${statusXml}${t.status && t.status.code !== 'urn:oasis:names:tc:SAML:2.0:status:Success' ? '' : assertion}</samlp:Response>`
  );
}

export interface SignOptions {
  key: TestIdpKey;
  sign: 'assertion' | 'response' | 'both' | 'none';
  /** The certificate put into KeyInfo (default: the signing key's); null: no KeyInfo. */
  keyInfo?: TestIdpKey | null;
  signatureAlgorithm?: string;
  digestAlgorithm?: string;
}

function signElement(xml: string, localName: 'Response' | 'Assertion', o: SignOptions): string {
  const id = new RegExp(`<[a-z]+:${localName} [^>]*?ID="([^"]+)"`).exec(xml)?.[1];
  if (!id) throw new Error(`no ${localName} ID`);
  const keyInfo = o.keyInfo === undefined ? o.key : o.keyInfo;
  const sig = new SignedXml({
    privateKey: o.key.privateKeyPem,
    publicCert: keyInfo?.certPem,
    signatureAlgorithm: o.signatureAlgorithm ?? 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    getKeyInfoContent: keyInfo ? undefined : () => null,
  });
  sig.addReference({
    xpath: `//*[local-name(.)='${localName}' and @ID='${id}']`,
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: o.digestAlgorithm ?? 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  sig.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: `//*[local-name(.)='${localName}' and @ID='${id}']/*[local-name(.)='Issuer']`, action: 'after' },
  });
  return sig.getSignedXml();
}

/** Signs the template's XML as asked (assertion first, then the response around it). */
export function signResponse(xml: string, o: SignOptions): string {
  let out = xml;
  if (o.sign === 'assertion' || o.sign === 'both') out = signElement(out, 'Assertion', o);
  if (o.sign === 'response' || o.sign === 'both') out = signElement(out, 'Response', o);
  return out;
}

/** The base64 form value an IdP posts. */
export function toFormValue(xml: string | Uint8Array): string {
  return Buffer.from(xml).toString('base64');
}

/** IdP metadata for `entityId` with these signing certificates (in this order) and SSO endpoints (default one, HTTP-Redirect). */
export function idpMetadataXml(
  entityId: string,
  keys: readonly TestIdpKey[],
  o: { sso?: { binding: 'redirect' | 'post'; url: string }[]; wantSigned?: boolean } = {},
): string {
  const descriptors = keys
    .map((k) => `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${k.certBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`)
    .join('');
  const services = (o.sso ?? [{ binding: 'redirect', url: 'https://idp.example.com/sso' }])
    .map((s) => `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-${s.binding === 'post' ? 'POST' : 'Redirect'}" Location="${esc(s.url)}"/>`)
    .join('');
  const wants = o.wantSigned === undefined ? '' : ` WantAuthnRequestsSigned="${o.wantSigned}"`;
  return (
    `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${esc(entityId)}">` +
    `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"${wants}>${descriptors}${services}</md:IDPSSODescriptor></md:EntityDescriptor>`
  );
}
