/// <reference types="node" />
/**
 * The SAML identity provider simulator: a development IdP that signs a login response for any
 * user and any failure scenario (`saml-scenarios.ts`), so the whole SAML test-login path can be
 * walked without Okta.
 *
 * samlify does the IdP work: its IdP entity writes the metadata, its login-response template
 * is the response, and its `constructSAMLSignature` (xml-crypto: rsa-sha256, exclusive c14n,
 * enveloped) signs the assertion and then the response, in the order of its HTTP-POST binding.
 * We do not call `createLoginResponse` itself because it cannot make the failing responses
 * (it fills the times, Destination, Audience and Issuer from the entities, always signs with
 * the IdP's key and has no status other than Success) and because it is asynchronous while
 * {@link SamlIdpSimulator.buildResponse} is not. The values are filled in one pass by
 * {@link fillTemplate} (samlify's `replaceTagsByValue` substitutes tag after tag, so a user
 * value containing `{Issuer}` would be substituted again). The two status-only responses
 * (idp_error, user_denies) use a small template of ours: samlify's has one StatusCode level and
 * no StatusMessage.
 */
import { createHash, randomUUID } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { DOMParser, XMLSerializer, type Element } from '@xmldom/xmldom';
import samlify from 'samlify';
import { SAML_REQUEST_XML_LIMITS, SAML_RESPONSE_XML_LIMITS, checkXmlLimits, type XmlLimits } from '../../core/xml-limits.js';
import { loadOrCreateKeyPair, type KeyPair, type KeyPairStorage } from './keys.js';
import { certificateBody } from '../saml/sp-metadata-keys.js';
import type { SamlScenario } from './saml-scenarios.js';
import type { SimulatedUser } from './simulated-user.js';

export type { SimulatedUser } from './simulated-user.js';
export { SAML_SCENARIOS, isSamlScenario, samlScenario, type SamlScenario, type SamlScenarioInfo } from './saml-scenarios.js';

/** The attribute names the response uses; default the simple names. */
export interface SimulatedAttributeNames {
  email?: string;
  firstName?: string;
  lastName?: string;
  groups?: string;
}

export interface BuildResponseOptions {
  scenario: SamlScenario;
  user: SimulatedUser;
  /** The service provider's entity ID: the Audience. */
  spEntityId: string;
  /** The ACS URL: Destination and Recipient (except for wrong_destination). */
  acsUrl: string;
  /** The AuthnRequest's ID; absent for an IdP-initiated (unsolicited) response. */
  inResponseTo?: string;
  now?: Date;
  attributeNames?: SimulatedAttributeNames;
}

/** What {@link SamlIdpSimulator.readAuthnRequest} found in a request. */
export interface SimulatedAuthnRequest {
  id: string;
  /** The service provider's entity ID (the request's Issuer). */
  issuer: string;
  /** AssertionConsumerServiceURL. */
  acsUrl: string;
  relayState?: string;
}

/** An AuthnRequest the simulator cannot answer; `message` says why, in plain words. */
export class SamlRequestError extends Error {
  override readonly name = 'SamlRequestError';
}

export const SAML_URNS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  success: 'urn:oasis:names:tc:SAML:2.0:status:Success',
  responder: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
  requestDenied: 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied',
  emailAddress: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  basic: 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
  uri: 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri',
  passwordProtectedTransport: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  httpPost: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
  httpRedirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
} as const;

/** The simulated error of the idp_error scenario. */
export const SIMULATED_IDP_ERROR = 'The IdP Simulator could not complete the login (simulated error: the application is misconfigured at the identity provider).';
export const SIMULATED_DENIAL = 'The user denied access at the IdP Simulator.';

const VALIDITY_MS = 5 * 60 * 1000;
const SKEW_MS = 10 * 60 * 1000;
const MAX_REQUEST_BASE64 = 64 * 1024;
const MAX_REQUEST_XML = 256 * 1024;
const MAX_RELAY_STATE = 2048;

/** For wrong_audience. */
export const OTHER_AUDIENCE = 'https://another-app.example/saml/metadata';

const SIGNATURE_AFTER = (parent: string) => `/*[local-name(.)='Response']${parent}/*[local-name(.)='Issuer']`;

/** A status-only response (no assertion): Responder, with an optional second-level code. */
const STATUS_RESPONSE_TEMPLATE =
  `<samlp:Response xmlns:samlp="${SAML_URNS.protocol}" xmlns:saml="${SAML_URNS.assertion}" ID="{ID}" Version="2.0" IssueInstant="{IssueInstant}" Destination="{Destination}" InResponseTo="{InResponseTo}">` +
  '<saml:Issuer>{Issuer}</saml:Issuer><samlp:Status><samlp:StatusCode Value="{StatusCode}">{SubStatus}</samlp:StatusCode>' +
  '<samlp:StatusMessage>{StatusMessage}</samlp:StatusMessage></samlp:Status></samlp:Response>';

const AUTHN_STATEMENT_TEMPLATE =
  '<saml:AuthnStatement AuthnInstant="{IssueInstant}" SessionIndex="{SessionIndex}"><saml:AuthnContext>' +
  `<saml:AuthnContextClassRef>${SAML_URNS.passwordProtectedTransport}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`;

export class SamlIdpSimulator {
  readonly entityId: string;
  readonly metadataUrl: string;
  readonly ssoUrl: string;
  readonly certificatePem: string;
  /** The certificate of the other_key scenario's key (not in the metadata). */
  readonly otherCertificatePem: string;
  readonly #key: KeyPair;
  readonly #otherKey: KeyPair;
  readonly #metadata: string;

  private constructor(publicBaseUrl: string, key: KeyPair, otherKey: KeyPair) {
    const base = publicBaseUrl.replace(/\/+$/, '');
    this.entityId = `${base}/simulator/saml`;
    this.metadataUrl = `${this.entityId}/metadata`;
    this.ssoUrl = `${this.entityId}/sso`;
    this.#key = key;
    this.#otherKey = otherKey;
    this.certificatePem = key.certificatePem;
    this.otherCertificatePem = otherKey.certificatePem;
    this.#metadata = buildMetadata(this.entityId, this.ssoUrl, key);
  }

  /**
   * The simulator of the server at `publicBaseUrl`. Its signing key and certificate are made on
   * the first start and kept in `<dataDir>/simulator/saml-idp.{key,crt}.pem` (the key mode
   * 0600), with a second pair `saml-idp-other` for the other_key scenario; null: in memory.
   * `keys` (the database's `keys` table, see `keys.ts`) replaces `dataDir` when given.
   */
  static async open(o: { publicBaseUrl: string; dataDir: string | null; keys?: KeyPairStorage }): Promise<SamlIdpSimulator> {
    const storage = o.keys === undefined ? o.dataDir : o.keys;
    const [key, otherKey] = await Promise.all([
      loadOrCreateKeyPair(storage, 'saml-idp', 'CN=IdP Simulator (SAML), O=sso-admin-portal development server'),
      loadOrCreateKeyPair(storage, 'saml-idp-other', 'CN=Another key (not in the IdP Simulator metadata), O=sso-admin-portal development server'),
    ]);
    return new SamlIdpSimulator(o.publicBaseUrl, key, otherKey);
  }

  /** EntityDescriptor with an IDPSSODescriptor: signing KeyDescriptor, SSO for Redirect and POST. */
  metadataXml(): string {
    return this.#metadata;
  }

  /**
   * Reads an AuthnRequest from the Redirect binding query (SAMLRequest deflated base64,
   * RelayState) or a POST form (SAMLRequest base64). Throws {@link SamlRequestError} on
   * anything the simulator cannot answer. The request's signature, if any, is not checked
   * (the metadata says WantAuthnRequestsSigned="false").
   */
  readAuthnRequest(params: { SAMLRequest: string; RelayState?: string }, binding: 'redirect' | 'post'): SimulatedAuthnRequest {
    // A '+' left unencoded in a query string arrives as a space; line breaks come from POST forms.
    const encoded = (params.SAMLRequest ?? '').replace(/ /g, '+').replace(/\s+/g, '');
    if (!encoded) throw new SamlRequestError('The request has no SAMLRequest parameter: start the login from the service provider.');
    if (encoded.length > MAX_REQUEST_BASE64) throw new SamlRequestError('The SAMLRequest is too large.');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw new SamlRequestError('The SAMLRequest is not base64.');
    const bytes = Buffer.from(encoded, 'base64');
    let xml: string;
    if (binding === 'redirect') {
      try {
        xml = inflateRawSync(bytes, { maxOutputLength: MAX_REQUEST_XML }).toString('utf8');
      } catch {
        throw new SamlRequestError('The SAMLRequest is not DEFLATE-compressed as the HTTP-Redirect binding requires.');
      }
    } else {
      if (bytes.length > MAX_REQUEST_XML) throw new SamlRequestError('The SAMLRequest is too large.');
      xml = bytes.toString('utf8');
    }
    const request = parseXml(xml);
    if (request.localName !== 'AuthnRequest' || request.namespaceURI !== SAML_URNS.protocol) {
      throw new SamlRequestError(`The SAMLRequest is a ${request.localName ?? 'document'}, not a SAML 2.0 AuthnRequest.`);
    }
    const id = request.getAttribute('ID') ?? '';
    if (!/^[A-Za-z_][\w.-]{0,255}$/.test(id)) throw new SamlRequestError('The AuthnRequest has no valid ID.');
    const issuerElement = childElements(request, SAML_URNS.assertion, 'Issuer')[0];
    const issuer = (issuerElement?.textContent ?? '').trim();
    if (!issuer) throw new SamlRequestError('The AuthnRequest has no Issuer (the service provider’s entity ID).');
    const acsUrl = (request.getAttribute('AssertionConsumerServiceURL') ?? '').trim();
    if (!acsUrl) {
      throw new SamlRequestError('The AuthnRequest has no AssertionConsumerServiceURL: the simulator has no SP metadata to look the ACS URL up in.');
    }
    const protocolBinding = request.getAttribute('ProtocolBinding');
    if (protocolBinding && protocolBinding !== SAML_URNS.httpPost) {
      throw new SamlRequestError(`The AuthnRequest asks for the response over ${protocolBinding}; the simulator answers with HTTP-POST only.`);
    }
    const relayState = params.RelayState;
    if (relayState !== undefined && relayState.length > MAX_RELAY_STATE) throw new SamlRequestError('The RelayState is too long.');
    return { id, issuer, acsUrl, ...(relayState ? { relayState } : {}) };
  }

  /**
   * A base64 SAMLResponse for the scenario. The Response and the Assertion are signed
   * (rsa-sha256, exclusive c14n) unless the scenario says otherwise; attributes email,
   * firstName, lastName, groups (multi-valued) under `attributeNames`; NameID = email
   * (emailAddress format); valid 5 minutes; Destination and Recipient = acsUrl; Audience =
   * spEntityId; InResponseTo only when given.
   */
  buildResponse(o: BuildResponseOptions): string {
    return Buffer.from(this.buildResponseXml(o), 'utf8').toString('base64');
  }

  /** {@link buildResponse} before base64: the XML. */
  buildResponseXml(o: BuildResponseOptions): string {
    const now = o.now ?? new Date();
    const destination = o.scenario === 'wrong_destination' ? wrongDestination(o.acsUrl) : o.acsUrl;
    const issuer = o.scenario === 'wrong_issuer' ? `${this.entityId}/another-idp` : this.entityId;
    // other_request: an answer to a request this login did not send (or, unsolicited, to any request).
    const inResponseTo = o.scenario === 'other_request' ? newId() : o.inResponseTo || undefined;
    const common = { ID: newId(), Destination: destination, InResponseTo: inResponseTo, Issuer: issuer };

    if (o.scenario === 'idp_error' || o.scenario === 'user_denies') {
      const denied = o.scenario === 'user_denies';
      const xml = fillTemplate(STATUS_RESPONSE_TEMPLATE, {
        ...common,
        IssueInstant: now.toISOString(),
        StatusCode: SAML_URNS.responder,
        SubStatus: denied ? { xml: `<samlp:StatusCode Value="${SAML_URNS.requestDenied}"/>` } : '',
        StatusMessage: denied ? SIMULATED_DENIAL : SIMULATED_IDP_ERROR,
      });
      return signResponse(xml, this.#key);
    }

    // Validity window: 5 minutes from now, shifted for the two clock scenarios.
    let notBefore = now.getTime();
    let issueInstant = now.getTime();
    if (o.scenario === 'expired') notBefore = issueInstant = now.getTime() - SKEW_MS - VALIDITY_MS;
    if (o.scenario === 'not_yet_valid') notBefore = now.getTime() + SKEW_MS;
    const notOnOrAfter = new Date(notBefore + VALIDITY_MS).toISOString();

    const names = {
      email: o.attributeNames?.email || 'email',
      firstName: o.attributeNames?.firstName || 'firstName',
      lastName: o.attributeNames?.lastName || 'lastName',
      groups: o.attributeNames?.groups || 'groups',
    };
    const missingEmail = o.scenario === 'missing_email';
    const attributes: { name: string; values: string[] }[] = [
      { name: names.email, values: missingEmail ? [] : [o.user.email] },
      { name: names.firstName, values: [o.user.firstName ?? ''] },
      { name: names.lastName, values: [o.user.lastName ?? ''] },
      { name: names.groups, values: o.user.groups ?? [] },
    ]
      .map((a) => ({ name: a.name, values: a.values.map((v) => v.trim()).filter(Boolean) }))
      .filter((a) => a.values.length > 0);

    const template = samlify.SamlLib.defaultLoginResponseTemplate.context
      .replace('{AuthnStatement}', AUTHN_STATEMENT_TEMPLATE)
      .replace('{AttributeStatement}', attributeStatementTemplate(attributes));
    const values: Record<string, TemplateValue> = {
      ...common,
      AssertionID: newId(),
      IssueInstant: new Date(issueInstant).toISOString(),
      StatusCode: SAML_URNS.success,
      NameIDFormat: missingEmail ? SAML_URNS.persistent : SAML_URNS.emailAddress,
      NameID: missingEmail ? persistentId(o.user.email) : o.user.email,
      SubjectRecipient: destination,
      SubjectConfirmationDataNotOnOrAfter: notOnOrAfter,
      ConditionsNotBefore: new Date(notBefore).toISOString(),
      ConditionsNotOnOrAfter: notOnOrAfter,
      Audience: o.scenario === 'wrong_audience' ? OTHER_AUDIENCE : o.spEntityId,
      SessionIndex: newId(),
    };
    attributes.forEach((attribute, i) => {
      values[`A${i}Name`] = attribute.name;
      values[`A${i}Format`] = attribute.name.includes(':') ? SAML_URNS.uri : SAML_URNS.basic;
      attribute.values.forEach((value, j) => (values[`A${i}V${j}`] = value));
    });
    const xml = fillTemplate(template, values);

    if (o.scenario === 'unsigned') return xml;
    const key = o.scenario === 'other_key' ? this.#otherKey : this.#key;
    const signed = signResponse(signAssertion(xml, key), key);
    if (o.scenario === 'tampered') return tamperEmail(signed, o.user.email, names.email);
    // malformed: an XXE attempt in front of a valid response; a safe SP refuses it unparsed.
    if (o.scenario === 'malformed') return `<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n${signed.replace(/^<\?xml[^>]*>\s*/, '')}`;
    return signed;
  }
}

// ---------------------------------------------------------------------------------------
// Templates and signatures

/** A value for {@link fillTemplate}: text (XML-escaped), `{ xml }` (inserted as is), or undefined. */
type TemplateValue = string | { xml: string } | undefined;

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const escapeXml = (value: string): string => value.replace(/[&<>"']/g, (ch) => XML_ESCAPES[ch] ?? ch);

/**
 * Fills samlify-style `{Tag}` placeholders in one pass (a value is never substituted again).
 * An undefined value drops the attribute it fills (`InResponseTo="{InResponseTo}"`); a tag
 * without a value is a bug, so it throws.
 */
export function fillTemplate(template: string, values: Record<string, TemplateValue>): string {
  const withoutAbsent = template.replace(/\s+[A-Za-z_:][\w:.-]*="\{(\w+)\}"/g, (match, tag: string) =>
    Object.hasOwn(values, tag) && values[tag] === undefined ? '' : match,
  );
  return withoutAbsent.replace(/\{(\w+)\}/g, (_, tag: string) => {
    const value = values[tag];
    if (!Object.hasOwn(values, tag) || value === undefined) throw new Error(`SAML template: no value for {${tag}}`);
    return typeof value === 'string' ? escapeXml(value) : value.xml;
  });
}

/** samlify's attribute template, one AttributeValue per value (groups is multi-valued). */
function attributeStatementTemplate(attributes: readonly { values: readonly string[] }[]): string {
  if (attributes.length === 0) return ''; // an empty AttributeStatement is not schema-valid
  const items = attributes.map(
    (attribute, i) =>
      `<saml:Attribute Name="{A${i}Name}" NameFormat="{A${i}Format}">` +
      attribute.values.map((_, j) => `<saml:AttributeValue xsi:type="xs:string">{A${i}V${j}}</saml:AttributeValue>`).join('') +
      '</saml:Attribute>',
  );
  return samlify.SamlLib.defaultAttributeStatementTemplate.context.replace('{Attributes}', items.join(''));
}


/** The assertion's enveloped signature, after its Issuer (samlify's HTTP-POST binding layout). */
function signAssertion(xml: string, key: KeyPair): string {
  return samlify.SamlLib.constructSAMLSignature({
    rawSamlMessage: xml,
    referenceTagXPath: "/*[local-name(.)='Response']/*[local-name(.)='Assertion']",
    privateKey: key.privateKeyPem,
    signatureAlgorithm: SAML_URNS.rsaSha256,
    signingCert: certificateBody(key.certificatePem),
    isBase64Output: false,
    signatureConfig: { prefix: 'ds', location: { reference: SIGNATURE_AFTER("/*[local-name(.)='Assertion']"), action: 'after' } },
  });
}

/** The response's enveloped signature over the whole message, after the response's Issuer. */
function signResponse(xml: string, key: KeyPair): string {
  return samlify.SamlLib.constructSAMLSignature({
    rawSamlMessage: xml,
    isMessageSigned: true,
    privateKey: key.privateKeyPem,
    signatureAlgorithm: SAML_URNS.rsaSha256,
    signingCert: certificateBody(key.certificatePem),
    isBase64Output: false,
    signatureConfig: { prefix: 'ds', location: { reference: SIGNATURE_AFTER(''), action: 'after' } },
  });
}

/** The signed response with the email changed in the NameID and the email attribute. */
function tamperEmail(xml: string, email: string, emailAttribute: string): string {
  const forged = email === 'mallory@evil.example' ? 'eve@evil.example' : 'mallory@evil.example';
  const doc = parseXml(xml, SAML_RESPONSE_XML_LIMITS).ownerDocument;
  if (!doc) throw new Error('tamperEmail: no document');
  for (const nameId of Array.from(doc.getElementsByTagNameNS(SAML_URNS.assertion, 'NameID'))) nameId.textContent = forged;
  for (const attribute of Array.from(doc.getElementsByTagNameNS(SAML_URNS.assertion, 'Attribute'))) {
    if (attribute.getAttribute('Name') !== emailAttribute) continue;
    for (const value of childElements(attribute, SAML_URNS.assertion, 'AttributeValue')) value.textContent = forged;
  }
  return new XMLSerializer().serializeToString(doc);
}

function buildMetadata(entityId: string, ssoUrl: string, key: KeyPair): string {
  // samlify warns on the console that the IdP has no SingleLogoutService (the simulator has none).
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    return samlify
      .IdentityProvider({
        entityID: entityId,
        signingCert: key.certificatePem,
        wantAuthnRequestsSigned: false,
        nameIDFormat: [SAML_URNS.emailAddress, SAML_URNS.persistent],
        singleSignOnService: [
          { Binding: SAML_URNS.httpRedirect, Location: ssoUrl },
          { Binding: SAML_URNS.httpPost, Location: ssoUrl },
        ],
      })
      .getMetadata();
  } finally {
    console.warn = warn;
  }
}

// ---------------------------------------------------------------------------------------
// Helpers

const newId = () => `_${randomUUID()}`;

/** An opaque, stable identifier for the user (missing_email's NameID). */
const persistentId = (email: string) => `sim-${createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 24)}`;

/** Another path on the ACS URL's origin (wrong_destination). */
function wrongDestination(acsUrl: string): string {
  try {
    const url = new URL(acsUrl);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/wrong`;
    return url.href;
  } catch {
    return `${acsUrl}/wrong`;
  }
}

/**
 * Parses XML with no DOCTYPE (no entities), stopping at the first error; the root element.
 * Refused before parsing: DOCTYPE/ENTITY and anything past the limits of an AuthnRequest
 * (depth, elements, attributes, nodes, names), so a hostile request never builds a DOM.
 */
function parseXml(xml: string, limits: XmlLimits = SAML_REQUEST_XML_LIMITS): Element {
  const checked = checkXmlLimits(xml, limits);
  if (!checked.ok && checked.code === 'xml_dtd') throw new SamlRequestError('The SAML message contains a DOCTYPE, which SAML does not allow.');
  if (!checked.ok) throw new SamlRequestError(`The SAML message was refused before parsing: ${checked.message}`);
  const parser = new DOMParser({
    onError(level, message) {
      if (level !== 'warning') throw new SamlRequestError(`The SAML message is not well-formed XML: ${message}`);
    },
  });
  let root: Element | null;
  try {
    root = parser.parseFromString(xml, 'text/xml').documentElement;
  } catch (error) {
    if (error instanceof SamlRequestError) throw error;
    throw new SamlRequestError('The SAML message is not well-formed XML.');
  }
  if (!root) throw new SamlRequestError('The SAML message has no root element.');
  return root;
}

function childElements(parent: Element, namespace: string, localName: string): Element[] {
  return Array.from(parent.childNodes).filter(
    (node): node is Element => node.nodeType === 1 && (node as Element).namespaceURI === namespace && (node as Element).localName === localName,
  );
}
