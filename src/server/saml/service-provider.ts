/**
 * The server's SAML service-provider engine: builds AuthnRequests and validates SAMLResponses
 * the way a production SP does, telling every failure apart with a stable `TestFailureCode`.
 * A pure library: no HTTP; the ACS route calls {@link validateSamlResponse}.
 *
 * Order of the checks in {@link validateSamlResponse} (the first failure wins):
 * 1. Input, before any XML parser sees it: size (1 MiB decoded), base64, encoding sniffing,
 *    not XML, then one linear scan (`core/xml-limits.ts`): DOCTYPE/ENTITY, nesting depth,
 *    elements, attributes, DOM nodes, name lengths -> `response_malformed`. A hostile document
 *    costs the scan, never a DOM.
 * 2. Strict parse (`@xmldom/xmldom`, stops at the first error; two roots, undeclared prefixes)
 *    -> `response_malformed`.
 * 3. Structure, in this order: the root is a SAML 2.0 Response (`response_malformed`); no other
 *    SAML message nested in it, at most one Assertion in the whole document and directly in the
 *    Response, signatures only directly inside those two (signature wrapping:
 *    `signature_invalid`); no duplicated ID/Id/id value (`response_malformed`); no comment
 *    splitting a text value (comment injection: `signature_invalid`); at most one
 *    EncryptedAssertion, directly in the Response and never beside an Assertion.
 * 4. Status: non-success -> `user_denied` (AuthnFailed, RequestDenied) or `idp_error`. Before
 *    the signature, because IdPs often leave error responses unsigned and a forged error can
 *    only make a login fail.
 *    4b. An EncryptedAssertion is decrypted (`assertion-decryption.ts`, the connection's keys)
 *    -> `decryption_failed`; a response signature is verified first, over the ciphertext as
 *    received. The decrypted Assertion replaces it and step 3 runs again; everything below reads
 *    the decrypted assertion. An unencrypted assertion where the connection requires encryption
 *    -> `encryption_required`.
 * 5. Signature (`signature-check.ts`, xml-crypto): `response_unsigned`, `certificate_mismatch`,
 *    `signature_invalid`. From here on everything is read from the verified (signed) XML only.
 * 6. Issuer of the response and of the assertion -> `issuer_mismatch`.
 * 7. Response Destination (when present), bearer SubjectConfirmationData Recipient
 *    -> `destination_mismatch`.
 * 8. Audience -> `audience_mismatch`.
 * 9. InResponseTo (response and subject confirmation) -> `request_mismatch`.
 * 10. IssueInstant, NotBefore, NotOnOrAfter (Conditions and SubjectConfirmationData) with the
 *     allowed skew -> `assertion_not_yet_valid` / `assertion_expired`.
 * 11. node-saml's `validatePostResponseAsync` with the trusted certificates, as a second line of
 *     defence; its errors are mapped onto the same codes.
 * 12. Replay (only when a `replayCache` is given) -> `response_replayed`.
 * 13. Email (mapped attribute, else an email-shaped NameID whose format is emailAddress,
 *     unspecified (SAML 1.1 or 1.0) or absent) -> `missing_email`, naming the NameID format
 *     received, with the profile.
 */
import { decodeXmlBytes } from '../../core/saml-metadata-reader.js';
import { SAML_RESPONSE_XML_LIMITS, checkXmlLimits } from '../../core/xml-limits.js';
import { randomBytes, sign } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { SAML, ValidateInResponseTo, type CacheProvider, type SamlConfig } from '@node-saml/node-saml';
import { signAuthnRequestPost } from '@node-saml/node-saml/lib/saml-post-signing.js';
import { DOMParser, XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import type { ReceivedProfile, TestError } from '../../core/model.js';
import { TEST_FAILURES, type TestFailureCode } from '../../core/test-failures.js';
import type { TraceRecorder } from '../../core/login-trace.js';
import type { KeyPair } from '../simulator/keys.js';
import { DecryptionFailure, decryptAssertion, undecryptable, type DecryptionKey } from './assertion-decryption.js';
import type { AssertionMemory } from './replay-cache.js';
import { DSIG_NS, checkEnvelopedSignature, precheckSignature, readTrustedCertificates, type SignatureVerdict, type TrustedCertificate } from './signature-check.js';

/** Our SP values for the connection. */
export interface SamlSpConfig {
  entityId: string;
  acsUrl: string;
}

/** The IdP side of the connection. Certificates: PEM or bare base64 DER; any of them may sign (rollover). */
export interface SamlIdpConfig {
  entityId: string;
  ssoUrl: string;
  ssoBinding: 'redirect' | 'post';
  signingCertificates: string[];
}

/** Which SAML attribute carries each profile field (attribute Name, or FriendlyName). */
export interface AttributeMapping {
  email: string;
  firstName?: string;
  lastName?: string;
  groups?: string;
}

export interface ValidateSamlOptions {
  /** The base64 `SAMLResponse` form value. */
  samlResponse: string;
  sp: SamlSpConfig;
  idp: SamlIdpConfig;
  attributeMapping: AttributeMapping;
  /** The ID of the AuthnRequest this login answers; null = IdP-initiated: InResponseTo must be absent. */
  expectedRequestId: string | null;
  now: Date;
  /** Allowed clock difference, default 120000 (2 minutes). */
  skewMs?: number;
  /** When given (`ReplayCache.forConnection`), an assertion ID seen before is refused with `response_replayed`. */
  replayCache?: AssertionMemory;
  /** The connection's assertion decryption; without it an EncryptedAssertion is `decryption_failed`. */
  decryption?: SamlDecryption;
  /** Told each check as it runs and passes, and the one that refused (the connection's login trace). */
  trace?: TraceRecorder;
}

/** How a connection's encrypted assertions are opened (`sp-keys.ts` keeps the keys). */
export interface SamlDecryption {
  /** Our encryption keys, current first (during a rollover the next one too: both decrypt). */
  keys: DecryptionKey[];
  /** Refuse an unencrypted assertion (`encryption_required`). Default false. */
  required?: boolean;
}

export type SamlValidation =
  | {
      ok: true;
      profile: ReceivedProfile;
      rawAttributes: Record<string, string[]>;
      assertionId: string;
      notOnOrAfter?: string;
      issuer: string;
      signatureAlgorithm?: string;
      /** SHA-256 (colon hex) of the trusted certificate that verified the signature (the response's when both are signed). */
      signingFingerprint?: string;
    }
  | { ok: false; error: TestError; profile: ReceivedProfile | null; rawAttributes: Record<string, string[]>; assertionId?: string };

export const SAML_RESPONSE_MAX_BYTES = 1024 * 1024;
const DEFAULT_SKEW_MS = 120_000;
const MAX_DETAIL = 512;

const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
} as const;
const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const DENIED_SUB_STATUSES = new Set(['urn:oasis:names:tc:SAML:2.0:status:AuthnFailed', 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied']);
const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
/**
 * The NameID formats whose email-shaped value is read as the email (when no email attribute
 * is mapped and sent), beside a NameID without Format: emailAddress and the two `unspecified`
 * URNs IdPs send it with (the SAML 1.0 one is not in any SAML 2.0 spec, but some IdPs use it).
 */
const EMAIL_NAMEID_FORMATS: ReadonlySet<string> = new Set([
  'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
  'urn:oasis:names:tc:SAML:1.0:nameid-format:unspecified',
]);
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

// ---------------------------------------------------------------------------------------
// Login requests

/** Our SP's key pair that signs AuthnRequests (`sp-keys.ts` keeps one per connection). */
export type SpSigningKey = KeyPair;

/** The algorithm of every request signature we make (SAML bindings §3.4.4.1 and XML-DSig). */
export const REQUEST_SIGNATURE_ALGORITHM = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';

/**
 * A fresh AuthnRequest (node-saml builds it) for the IdP's binding: a redirect URL (HTTP-Redirect,
 * deflated) or a form to auto-post (HTTP-POST). `requestId` is what the ACS must later see as
 * InResponseTo.
 *
 * With `signingKey` (the IdP's metadata says WantAuthnRequestsSigned="true") the request is
 * signed with rsa-sha256: on HTTP-Redirect by the query-string signature of SAML bindings
 * §3.4.4.1 (`SigAlg` and `Signature` over the bytes `SAMLRequest=…&RelayState=…&SigAlg=…` exactly
 * as they appear in the URL), on HTTP-POST by an enveloped XML signature after the Issuer
 * (node-saml's, xml-crypto; exclusive c14n, sha256 digest, our certificate in KeyInfo).
 */
export async function buildLoginRequest(o: {
  sp: SamlSpConfig;
  idp: SamlIdpConfig;
  relayState: string;
  now?: Date;
  signingKey?: SpSigningKey;
}): Promise<{ requestId: string; redirectUrl?: string; form?: { action: string; fields: Record<string, string> } }> {
  const requestId = `_${randomBytes(20).toString('hex')}`;
  const saml = new SAML({
    entryPoint: o.idp.ssoUrl,
    issuer: o.sp.entityId,
    callbackUrl: o.sp.acsUrl,
    // Required by node-saml's constructor; responses are not read here.
    idpCert: o.idp.signingCertificates.length > 0 ? o.idp.signingCertificates : 'unused',
    generateUniqueId: () => requestId,
    skipRequestCompression: true,
    identifierFormat: null,
    disableRequestedAuthnContext: true,
  });
  // Built unsigned: the IssueInstant may still change below, and the signature must cover it.
  const message = await saml.getAuthorizeMessageAsync(o.relayState);
  let xml = Buffer.from(String(message.SAMLRequest), 'base64').toString('utf8');
  if (o.now) xml = xml.replace(/IssueInstant="[^"]*"/, `IssueInstant="${o.now.toISOString()}"`);
  const key = o.signingKey;
  if (o.idp.ssoBinding === 'post') {
    if (key) {
      xml = signAuthnRequestPost(xml, { privateKey: key.privateKeyPem, publicCert: key.certificatePem, signatureAlgorithm: 'sha256', digestAlgorithm: 'sha256' });
    }
    const fields: Record<string, string> = { SAMLRequest: Buffer.from(xml, 'utf8').toString('base64') };
    if (o.relayState) fields.RelayState = o.relayState;
    return { requestId, form: { action: o.idp.ssoUrl, fields } };
  }
  const ours = new URLSearchParams();
  ours.append('SAMLRequest', deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64'));
  if (o.relayState) ours.append('RelayState', o.relayState);
  if (key) {
    ours.append('SigAlg', REQUEST_SIGNATURE_ALGORITHM);
    // The signed octets are our parameters as the URL carries them (URLSearchParams encodes the
    // same way when they are appended to the IdP's own query below).
    ours.append('Signature', sign('sha256', Buffer.from(ours.toString(), 'utf8'), key.privateKeyPem).toString('base64'));
  }
  const url = new URL(o.idp.ssoUrl);
  for (const [name, value] of ours) url.searchParams.append(name, value);
  return { requestId, redirectUrl: url.toString() };
}

// ---------------------------------------------------------------------------------------
// Results

class Refusal extends Error {
  constructor(
    readonly code: TestFailureCode,
    readonly details: Record<string, unknown>,
  ) {
    super(code);
  }
}

function refuse(code: TestFailureCode, details: Record<string, unknown> = {}): never {
  throw new Refusal(code, details);
}

function testError(code: TestFailureCode, details: Record<string, unknown>): TestError {
  const info = TEST_FAILURES[code];
  const error: TestError = { code, message: info.message, remedy: info.remedy };
  if (Object.keys(details).length > 0) error.details = details;
  return error;
}

function clip(text: string, max = MAX_DETAIL): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** What is known about the response when a check fails (filled once the signature verified). */
interface Context {
  profile: ReceivedProfile | null;
  rawAttributes: Record<string, string[]>;
  assertionId?: string;
}

// ---------------------------------------------------------------------------------------
// Input and parsing

/** The form value to XML text, refusing what must never reach a parser. */
function decodeInput(samlResponse: unknown): string {
  if (typeof samlResponse !== 'string' || samlResponse.trim() === '') refuse('response_malformed', { reason: 'No SAMLResponse value arrived.' });
  // base64 is 4/3 of the bytes, plus line breaks: a cheap bound before any work.
  if (samlResponse.length > Math.ceil((SAML_RESPONSE_MAX_BYTES * 4) / 3) * 1.1) {
    refuse('response_malformed', { reason: `The response is larger than ${SAML_RESPONSE_MAX_BYTES / 1024 / 1024} MiB.` });
  }
  const compact = samlResponse.replace(/[\s]+/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) {
    refuse('response_malformed', { reason: 'The SAMLResponse value is not base64: the response must be posted with the HTTP-POST binding.' });
  }
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.length > SAML_RESPONSE_MAX_BYTES) refuse('response_malformed', { reason: `The response is larger than ${SAML_RESPONSE_MAX_BYTES / 1024 / 1024} MiB.` });
  // XML processors normalise line ends; xml-crypto and node-saml must see the same text.
  const text = decodeXmlBytes(bytes).replace(/\r\n?/g, '\n').trimStart();
  const limits = checkXmlLimits(text, SAML_RESPONSE_XML_LIMITS);
  if (!limits.ok && limits.code === 'xml_dtd') {
    refuse('response_malformed', { reason: 'The response contains a DOCTYPE or ENTITY declaration, which SAML forbids; it was refused before parsing.' });
  }
  if (text.includes('\u0000') || !text.startsWith('<')) refuse('response_malformed', { reason: 'The decoded response is not XML.' });
  if (!limits.ok) refuse('response_malformed', { reason: `${limits.message} No SAML response comes near that; it was refused before parsing.` });
  return text;
}

function plainParseProblem(raw: string): string {
  if (/only one element|only after doctype/i.test(raw)) return 'The XML has more than one top-level element.';
  if (/namespace|prefix/i.test(raw)) return 'The XML uses a namespace prefix it never declares.';
  if (/redefined/i.test(raw)) return 'An XML element repeats an attribute.';
  if (/entity/i.test(raw)) return 'The XML refers to an entity that is not defined.';
  if (/unclosed|mismatch|end tag|closing tag|expected/i.test(raw)) return 'The XML is cut off or has an unclosed or mismatched element.';
  return 'The XML is not well-formed.';
}

/** Strict parse: the first error stops it, so no DOM is ever built from damaged XML. */
function parseStrict(text: string): Document {
  const seen: { problem?: string } = {};
  const parser = new DOMParser({
    onError(level, message: string) {
      if (level === 'warning') return;
      seen.problem ??= message;
      throw new Error(message);
    },
  });
  let doc: Document | undefined;
  try {
    doc = parser.parseFromString(text, 'text/xml');
  } catch (error) {
    refuse('response_malformed', { reason: plainParseProblem(seen.problem ?? (error instanceof Error ? error.message : '')) });
  }
  if (!doc?.documentElement) refuse('response_malformed', { reason: 'The XML has no root element.' });
  return doc;
}

// ---------------------------------------------------------------------------------------
// DOM helpers (namespace URI + local name, never prefixes)

function children(parent: Element, namespace: string, localName: string): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType !== 1) continue;
    const el = node as Element;
    if (el.namespaceURI === namespace && el.localName === localName) out.push(el);
  }
  return out;
}

function child(parent: Element | undefined, namespace: string, localName: string): Element | undefined {
  return parent ? children(parent, namespace, localName)[0] : undefined;
}

/** Concatenated text of an element (all text and CDATA descendants), trimmed. */
function textOf(el: Element | undefined): string {
  return (el?.textContent ?? '').trim();
}

function attr(el: Element | undefined, name: string): string | undefined {
  return el?.hasAttribute(name) ? (el.getAttribute(name) ?? undefined) : undefined;
}

interface Survey {
  /** The root and any nested SAML protocol message (Response, LogoutResponse, ...). */
  messages: Element[];
  assertions: Element[];
  encrypted: Element[];
  signatures: Element[];
  duplicateId?: string;
  commentInside?: string;
}

/** One iterative walk over every element (no recursion: depth cannot blow the stack). */
function survey(root: Element): Survey {
  const result: Survey = { messages: [], assertions: [], encrypted: [], signatures: [] };
  const ids = new Set<string>();
  const stack: Element[] = [root];
  let count = 0;
  while (stack.length > 0) {
    const el = stack.pop()!;
    // Already bounded by the scan before parsing; kept so the walk stays bounded on its own.
    if (++count > SAML_RESPONSE_XML_LIMITS.maxElements) refuse('response_malformed', { reason: `The response has more than ${SAML_RESPONSE_XML_LIMITS.maxElements} XML elements.` });
    const ns = el.namespaceURI;
    const name = el.localName;
    if (ns === NS.protocol && /(?:Response|Request)$/.test(name ?? '')) result.messages.push(el);
    else if (ns === NS.assertion && name === 'Assertion') result.assertions.push(el);
    else if (ns === NS.assertion && name === 'EncryptedAssertion') result.encrypted.push(el);
    else if (ns === DSIG_NS && name === 'Signature') result.signatures.push(el);
    for (let i = 0; i < el.attributes.length; i++) {
      const a = el.attributes.item(i);
      if (!a || !['ID', 'Id', 'id'].includes(a.localName ?? a.name)) continue;
      if (ids.has(a.value)) result.duplicateId ??= a.value;
      ids.add(a.value);
    }
    let hasComment = false;
    let hasText = false;
    for (let node = el.firstChild; node; node = node.nextSibling) {
      if (node.nodeType === 1) stack.push(node as Element);
      else if (node.nodeType === 8) hasComment = true;
      else if ((node.nodeType === 3 || node.nodeType === 4) && (node.nodeValue ?? '').trim() !== '') hasText = true;
    }
    if (hasComment && hasText) result.commentInside ??= name ?? 'element';
  }
  return result;
}

// ---------------------------------------------------------------------------------------
// Checks

interface Status {
  code?: string;
  subCode?: string;
  message?: string;
}

function readStatus(response: Element): Status {
  const status = child(response, NS.protocol, 'Status');
  const code = child(status, NS.protocol, 'StatusCode');
  const sub = child(code, NS.protocol, 'StatusCode');
  const message = textOf(child(status, NS.protocol, 'StatusMessage'));
  const out: Status = {};
  const value = attr(code, 'Value')?.trim();
  if (value) out.code = value;
  const subValue = attr(sub, 'Value')?.trim();
  if (subValue) out.subCode = subValue;
  if (message) out.message = clip(message);
  return out;
}

function checkStatus(response: Element): void {
  const status = readStatus(response);
  if (!status.code) refuse('response_malformed', { reason: 'The response has no Status.' });
  if (status.code === STATUS_SUCCESS) return;
  const details: Record<string, unknown> = { idpStatus: status.code };
  if (status.subCode) details.idpSubStatus = status.subCode;
  if (status.message) details.idpStatusMessage = status.message;
  refuse(status.subCode && DENIED_SUB_STATUSES.has(status.subCode) ? 'user_denied' : 'idp_error', details);
}

function signatureFailure(verdict: Exclude<SignatureVerdict, { status: 'verified' }>, trusted: readonly TrustedCertificate[], where: string, trace?: TraceRecorder): never {
  const details: Record<string, unknown> = { reason: `${where}: ${verdict.reason}` };
  if (verdict.algorithm) details.signatureAlgorithm = verdict.algorithm;
  if (verdict.status === 'untrusted_certificate') {
    // The signature itself may be sound: what failed is the certificate it was made with.
    trace?.start('certificate');
    details.expectedFingerprints = trusted.map((t) => t.fingerprint);
    if (verdict.receivedFingerprint) details.receivedFingerprint = verdict.receivedFingerprint;
    refuse('certificate_mismatch', details);
  }
  refuse('signature_invalid', details);
}

/** Parses canonical XML that a signature covers; it must be the expected element. */
function parseSigned(signedXml: string, localName: 'Response' | 'Assertion', id: string): Element {
  const root = parseStrict(signedXml).documentElement!;
  const namespace = localName === 'Response' ? NS.protocol : NS.assertion;
  if (root.namespaceURI !== namespace || root.localName !== localName || root.getAttribute('ID') !== id) {
    refuse('signature_invalid', { reason: `The signature does not cover the ${localName} that would be used: possible signature wrapping.` });
  }
  return root;
}

function parseTime(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/.test(value.trim()) ? Date.parse(value.trim()) : Number.NaN;
  if (Number.isNaN(ms)) refuse('response_malformed', { reason: `${name} is not a valid date-time.` });
  return ms;
}

interface AssertionFacts {
  id: string;
  issuer: string;
  issueInstant?: string;
  nameId?: string;
  nameIdFormat?: string;
  confirmations: Element[];
  conditions?: Element;
  attributes: Record<string, string[]>;
  friendlyNames: Record<string, string>;
}

function readAssertion(assertion: Element): AssertionFacts {
  const subject = child(assertion, NS.assertion, 'Subject');
  const nameIdEl = child(subject, NS.assertion, 'NameID');
  const confirmations = subject ? children(subject, NS.assertion, 'SubjectConfirmation').filter((c) => attr(c, 'Method') === BEARER) : [];
  const attributes = new Map<string, string[]>();
  const friendlyNames = new Map<string, string>();
  for (const statement of children(assertion, NS.assertion, 'AttributeStatement')) {
    for (const attribute of children(statement, NS.assertion, 'Attribute')) {
      const name = attr(attribute, 'Name');
      if (!name) continue;
      const values = children(attribute, NS.assertion, 'AttributeValue').map((v) => textOf(v));
      attributes.set(name, [...(attributes.get(name) ?? []), ...values]);
      const friendly = attr(attribute, 'FriendlyName');
      if (friendly && !friendlyNames.has(friendly)) friendlyNames.set(friendly, name);
    }
  }
  const facts: AssertionFacts = {
    id: attr(assertion, 'ID') ?? '',
    issuer: textOf(child(assertion, NS.assertion, 'Issuer')),
    confirmations,
    attributes: Object.fromEntries(attributes),
    friendlyNames: Object.fromEntries(friendlyNames),
  };
  const issueInstant = attr(assertion, 'IssueInstant');
  if (issueInstant) facts.issueInstant = issueInstant;
  const nameId = textOf(nameIdEl);
  if (nameId) facts.nameId = nameId;
  const format = attr(nameIdEl, 'Format');
  if (format) facts.nameIdFormat = format;
  const conditions = child(assertion, NS.assertion, 'Conditions');
  if (conditions) facts.conditions = conditions;
  return facts;
}

function attributeValues(facts: AssertionFacts, name: string | undefined): string[] | undefined {
  if (!name) return undefined;
  if (Object.hasOwn(facts.attributes, name)) return facts.attributes[name];
  const byFriendly = Object.hasOwn(facts.friendlyNames, name) ? facts.friendlyNames[name] : undefined;
  return byFriendly ? facts.attributes[byFriendly] : undefined;
}

function firstValue(values: string[] | undefined, max = 512): string | undefined {
  const value = values?.find((v) => v !== '');
  return value ? value.slice(0, max) : undefined;
}

function buildProfile(facts: AssertionFacts, mapping: AttributeMapping): ReceivedProfile {
  const profile: ReceivedProfile = {};
  let email = firstValue(attributeValues(facts, mapping.email));
  const nameId = facts.nameId;
  if (!email && nameId && EMAIL_SHAPE.test(nameId) && (!facts.nameIdFormat || EMAIL_NAMEID_FORMATS.has(facts.nameIdFormat))) {
    email = nameId.slice(0, 512);
  }
  if (email) profile.email = email;
  const firstName = firstValue(attributeValues(facts, mapping.firstName));
  if (firstName) profile.firstName = firstName;
  const lastName = firstValue(attributeValues(facts, mapping.lastName));
  if (lastName) profile.lastName = lastName;
  const groups = attributeValues(facts, mapping.groups)
    ?.filter((g) => g !== '')
    .slice(0, 100)
    .map((g) => g.slice(0, 512));
  if (groups && groups.length > 0) profile.groups = groups;
  if (nameId) profile.subject = nameId.slice(0, 1024);
  return profile;
}

/** Why no email was found, naming the NameID format received (missing_email). */
function missingEmailReason(facts: AssertionFacts): string {
  const start = 'The mapped email attribute is missing or empty';
  if (!facts.nameId) return `${start}, and the assertion has no NameID.`;
  const format = facts.nameIdFormat ? `format ${clip(facts.nameIdFormat)}` : 'no Format attribute';
  if (EMAIL_SHAPE.test(facts.nameId)) {
    return `${start}. The NameID looks like an email address, but its format is ${clip(facts.nameIdFormat ?? '')}, which does not say it is one: a NameID is read as the email only with the emailAddress or unspecified format, or none.`;
  }
  return `${start}, and the NameID (${format}) is not an email address.`;
}

function checkIssuers(responseIssuer: string | undefined, facts: AssertionFacts, idp: SamlIdpConfig): void {
  for (const [received, where] of [
    [responseIssuer, 'response'],
    [facts.issuer, 'assertion'],
  ] as const) {
    if (received === undefined || received === idp.entityId) continue;
    refuse('issuer_mismatch', {
      expectedIssuer: idp.entityId,
      receivedIssuer: clip(received),
      reason: received ? `The ${where} Issuer is not the configured IdP entity ID.` : `The ${where} has no Issuer.`,
    });
  }
}

/** The bearer confirmation that is addressed to us (or the first one, for the error). */
function pickConfirmation(facts: AssertionFacts, sp: SamlSpConfig): Element {
  const data = facts.confirmations.map((c) => child(c, NS.assertion, 'SubjectConfirmationData'));
  const matching = data.find((d) => attr(d, 'Recipient') === sp.acsUrl);
  if (matching) return matching;
  const first = data[0];
  if (!first) refuse('response_malformed', { reason: 'The assertion has no bearer SubjectConfirmation with SubjectConfirmationData.' });
  const received = attr(first, 'Recipient');
  refuse('destination_mismatch', {
    expectedRecipient: sp.acsUrl,
    ...(received ? { receivedRecipient: clip(received) } : {}),
    reason: received ? 'The assertion’s Recipient is not our ACS URL.' : 'The assertion’s SubjectConfirmationData has no Recipient.',
  });
}

function checkAudience(facts: AssertionFacts, sp: SamlSpConfig): void {
  const restrictions = facts.conditions ? children(facts.conditions, NS.assertion, 'AudienceRestriction') : [];
  const received = restrictions.flatMap((r) => children(r, NS.assertion, 'Audience').map((a) => clip(textOf(a))));
  if (restrictions.length === 0) {
    refuse('audience_mismatch', { expectedAudience: sp.entityId, reason: 'The assertion has no AudienceRestriction: it names no service provider.' });
  }
  // Every restriction must be met; within one restriction, any of its audiences.
  const unmet = restrictions.some((r) => !children(r, NS.assertion, 'Audience').some((a) => textOf(a) === sp.entityId));
  if (unmet) refuse('audience_mismatch', { expectedAudience: sp.entityId, receivedAudience: received.slice(0, 20) });
}

function checkInResponseTo(responseValue: string | undefined, confirmation: Element, expected: string | null): void {
  const subjectValue = attr(confirmation, 'InResponseTo');
  const received = responseValue ?? subjectValue;
  if (expected === null) {
    if (received === undefined) return;
    refuse('request_mismatch', {
      receivedInResponseTo: clip(received),
      reason: 'An IdP-initiated login was expected, but the response answers a login request (it has InResponseTo).',
    });
  }
  if (received === expected && (subjectValue === undefined || subjectValue === expected)) return;
  refuse('request_mismatch', {
    expectedInResponseTo: expected,
    ...(received !== undefined ? { receivedInResponseTo: clip(received) } : {}),
    reason: received === undefined ? 'The response has no InResponseTo: it does not answer the login request this test started.' : 'The response answers another login request.',
  });
}

interface TimeFacts {
  notOnOrAfterMs?: number;
}

function checkTimes(facts: AssertionFacts, confirmation: Element, nowMs: number, skewMs: number): TimeFacts {
  const notBefore = [attr(facts.conditions, 'NotBefore'), attr(confirmation, 'NotBefore')].filter((v): v is string => v !== undefined);
  const notOnOrAfter = [attr(facts.conditions, 'NotOnOrAfter'), attr(confirmation, 'NotOnOrAfter')].filter((v): v is string => v !== undefined);
  const issueMs = parseTime(facts.issueInstant, 'IssueInstant');
  const details = (extra: Record<string, unknown>): Record<string, unknown> => ({
    ...(facts.issueInstant ? { issueInstant: facts.issueInstant } : {}),
    ...extra,
    serverTime: new Date(nowMs).toISOString(),
    ...(issueMs !== undefined ? { skewSeconds: Math.round((issueMs - nowMs) / 1000) } : {}),
    allowedSkewSeconds: Math.round(skewMs / 1000),
  });
  for (const value of notBefore) {
    if (nowMs + skewMs < parseTime(value, 'NotBefore')!) refuse('assertion_not_yet_valid', details({ notBefore: value }));
  }
  if (issueMs !== undefined && nowMs + skewMs < issueMs) {
    refuse('assertion_not_yet_valid', details({ reason: 'The assertion was issued in the future by our clock (IssueInstant).' }));
  }
  let earliest: number | undefined;
  for (const value of notOnOrAfter) {
    const ms = parseTime(value, 'NotOnOrAfter')!;
    if (nowMs - skewMs >= ms) refuse('assertion_expired', details({ notOnOrAfter: value }));
    earliest = earliest === undefined ? ms : Math.min(earliest, ms);
  }
  return earliest === undefined ? {} : { notOnOrAfterMs: earliest };
}

/** The times a login was judged by, in one sentence for its trace. */
function timesSummary(facts: AssertionFacts, confirmation: Element, nowMs: number, skewMs: number): string {
  const parts = [
    facts.issueInstant && `issued ${facts.issueInstant}`,
    attr(facts.conditions, 'NotBefore') && `valid from ${attr(facts.conditions, 'NotBefore')}`,
    (attr(facts.conditions, 'NotOnOrAfter') ?? attr(confirmation, 'NotOnOrAfter')) && `until ${attr(facts.conditions, 'NotOnOrAfter') ?? attr(confirmation, 'NotOnOrAfter')}`,
  ].filter(Boolean);
  return `${parts.length ? `Assertion ${parts.join(', ')}` : 'No validity times'}; our clock ${new Date(nowMs).toISOString()}, allowed skew ${Math.round(skewMs / 1000)} s.`;
}

// ---------------------------------------------------------------------------------------
// Encrypted assertions

/** The response with its assertion decrypted (step 4b). */
interface Opened {
  /** The response's XML with the decrypted Assertion in place of the EncryptedAssertion. */
  text: string;
  root: Element;
  /** The response signature, verified over the response as received (ciphertext included), if it had one. */
  responseVerdict?: Extract<SignatureVerdict, { status: 'verified' }>;
  /** Our key that opened it. */
  key: DecryptionKey;
}

async function openEncryptedAssertion(text: string, root: Element, o: ValidateSamlOptions): Promise<Opened> {
  const responseSignature = children(root, DSIG_NS, 'Signature')[0];
  let base = root;
  let responseVerdict: Opened['responseVerdict'];
  if (responseSignature) {
    const trusted = readTrustedCertificates(o.idp.signingCertificates);
    const problem = precheckSignature(responseSignature, root);
    o.trace?.start('signature');
    if (problem) signatureFailure(problem, trusted, 'Response signature', o.trace);
    const verdict = checkEnvelopedSignature(text, responseSignature, root, trusted);
    if (verdict.status !== 'verified') signatureFailure(verdict, trusted, 'Response signature', o.trace);
    o.trace?.pass(`The Response signature (${verdict.algorithm}) over the encrypted assertion verifies.`);
    o.trace?.start('decryption');
    responseVerdict = verdict;
    base = parseSigned(verdict.signedXml, 'Response', attr(root, 'ID') ?? '');
  }
  const encrypted = children(base, NS.assertion, 'EncryptedAssertion');
  if (encrypted.length !== 1) refuse('signature_invalid', { reason: 'The signed Response does not hold exactly one encrypted assertion.' });
  const keys = o.decryption?.keys ?? [];
  let decrypted: Awaited<ReturnType<typeof decryptAssertion>> | undefined;
  let plain: Element | undefined;
  try {
    decrypted = await decryptAssertion(encrypted[0]!, keys);
    // What came out must be a well-formed Assertion; any other outcome is told as a failed
    // decryption (`undecryptable`: no padding or parser oracle).
    const limits = checkXmlLimits(decrypted.xml, SAML_RESPONSE_XML_LIMITS);
    if (limits.ok) plain = parseStrict(decrypted.xml).documentElement ?? undefined;
  } catch (error) {
    if (error instanceof DecryptionFailure) refuse('decryption_failed', { ...error.details, reason: error.reason });
    if (!(error instanceof Refusal)) throw error;
  }
  if (!decrypted || plain?.namespaceURI !== NS.assertion || plain.localName !== 'Assertion') {
    const failure = undecryptable(keys);
    refuse('decryption_failed', { ...failure.details, reason: failure.reason });
  }
  base.replaceChild(base.ownerDocument!.importNode(plain, true), encrypted[0]!);
  const opened = new XMLSerializer().serializeToString(base.ownerDocument!);
  return { text: opened, root: parseStrict(opened).documentElement!, key: decrypted.key, ...(responseVerdict ? { responseVerdict } : {}) };
}

// ---------------------------------------------------------------------------------------
// node-saml, the second line of defence

/** node-saml on our clock instead of the wall clock. */
class ClockedSaml extends SAML {
  clockMs = 0;

  protected override checkTimestampsValidityError(_nowMs: number, notBefore: string, notOnOrAfter: string, maxTimeLimitMs?: number): Error | null {
    return super.checkTimestampsValidityError(this.clockMs, notBefore, notOnOrAfter, maxTimeLimitMs);
  }
}

function nodeSamlCode(message: string): TestFailureCode {
  if (/not yet valid/i.test(message)) return 'assertion_not_yet_valid';
  if (/expired/i.test(message)) return 'assertion_expired';
  if (/audience/i.test(message)) return 'audience_mismatch';
  if (/issuer/i.test(message)) return 'issuer_mismatch';
  if (/InResponseTo/i.test(message)) return 'request_mismatch';
  if (/signature/i.test(message)) return 'signature_invalid';
  if (/status|provider returned/i.test(message)) return 'idp_error';
  return 'response_malformed';
}

async function secondOpinion(text: string, o: ValidateSamlOptions, trusted: readonly TrustedCertificate[], nowMs: number, skewMs: number, decryptionPvk?: string): Promise<void> {
  const expected = o.expectedRequestId;
  const cacheProvider: CacheProvider = {
    saveAsync: () => Promise.resolve(null),
    getAsync: (key) => Promise.resolve(expected !== null && key === expected ? new Date().toISOString() : null),
    removeAsync: () => Promise.resolve(null),
  };
  const config: SamlConfig = {
    idpCert: trusted.map((t) => t.pem),
    issuer: o.sp.entityId,
    callbackUrl: o.sp.acsUrl,
    audience: o.sp.entityId,
    idpIssuer: o.idp.entityId,
    acceptedClockSkewMs: skewMs,
    wantAssertionsSigned: false,
    wantAuthnResponseSigned: false,
    validateInResponseTo: expected === null ? ValidateInResponseTo.never : ValidateInResponseTo.always,
    cacheProvider,
    // node-saml decrypts the response as received on its own (xml-encryption), with the key that opened it.
    ...(decryptionPvk ? { decryptionPvk } : {}),
  };
  const saml = new ClockedSaml(config);
  saml.clockMs = nowMs;
  try {
    const result = await saml.validatePostResponseAsync({ SAMLResponse: Buffer.from(text, 'utf8').toString('base64') });
    if (!result.profile) refuse('response_malformed', { reason: 'node-saml found no login in the response.' });
  } catch (error) {
    if (error instanceof Refusal) throw error;
    const message = error instanceof Error ? error.message : String(error);
    // Never echo long base64 runs (signature values) into details.
    const reason = clip(message.replace(/[A-Za-z0-9+/=]{40,}/g, '…'), 300);
    refuse(nodeSamlCode(message), { reason: `The second check (node-saml) refused the response: ${reason}` });
  }
}

// ---------------------------------------------------------------------------------------
// Validation

/** Step 3 on `root`: the structure checks (see the module comment). */
function checkStructure(root: Element): { found: Survey; assertion: Element | undefined; responseSignatures: Element[]; assertionSignatures: Element[] } {
  const found = survey(root);
  if (found.messages.length > 1) {
    refuse('signature_invalid', { reason: 'Another SAML message is hidden inside the response: signature wrapping.' });
  }
  const directAssertions = children(root, NS.assertion, 'Assertion');
  if (found.assertions.length > 1 || found.assertions.length !== directAssertions.length) {
    refuse('signature_invalid', { reason: `The response carries ${found.assertions.length} assertions or one in an unexpected place: signature wrapping.` });
  }
  const assertion = directAssertions[0];
  const responseSignatures = children(root, DSIG_NS, 'Signature');
  const assertionSignatures = assertion ? children(assertion, DSIG_NS, 'Signature') : [];
  if (responseSignatures.length > 1 || assertionSignatures.length > 1 || found.signatures.length !== responseSignatures.length + assertionSignatures.length) {
    refuse('signature_invalid', { reason: 'The response carries a signature in an unexpected place: signature wrapping or spoofing.' });
  }
  if (found.duplicateId !== undefined) {
    refuse('response_malformed', { reason: 'Several elements carry the same ID, a sign of signature wrapping.' });
  }
  if (found.commentInside !== undefined) {
    refuse('signature_invalid', { reason: `A comment splits the text of ${clip(found.commentInside, 100)}: comment injection changes what is read without breaking the signature.` });
  }
  const encrypted = children(root, NS.assertion, 'EncryptedAssertion');
  if (found.encrypted.length > 1 || found.encrypted.length !== encrypted.length || (encrypted.length > 0 && found.assertions.length > 0)) {
    refuse('signature_invalid', { reason: 'The response carries several assertions (encrypted or not) or one in an unexpected place: signature wrapping.' });
  }
  return { found, assertion, responseSignatures, assertionSignatures };
}

async function validate(o: ValidateSamlOptions, ctx: Context): Promise<SamlValidation> {
  const nowMs = o.now.getTime();
  if (Number.isNaN(nowMs)) throw new TypeError('now must be a valid Date');
  const skewMs = Math.max(0, o.skewMs ?? DEFAULT_SKEW_MS);
  const t = o.trace;

  // 1-2. Input and parsing.
  t?.start('input');
  let text = decodeInput(o.samlResponse);
  let root = parseStrict(text).documentElement!;
  t?.pass(`${text.length} characters of well-formed XML, within the size and nesting limits, no DOCTYPE.`);

  // 3. Structure.
  t?.start('structure');
  if (root.namespaceURI !== NS.protocol || root.localName !== 'Response') {
    refuse('response_malformed', {
      reason:
        root.namespaceURI === NS.assertion && root.localName === 'Assertion'
          ? 'A bare Assertion arrived, not a SAML Response around it.'
          : `The XML is not a SAML 2.0 Response (its top element is ${clip(root.localName ?? '?', 100)}).`,
    });
  }
  let structure = checkStructure(root);
  const { found } = structure;
  t?.pass('One SAML 2.0 Response, at most one assertion directly in it, signatures only where they belong, no duplicated IDs.');

  // 4. Status.
  t?.start('status');
  checkStatus(root);
  t?.pass('Success.');

  // 4b. Encryption (`assertion-decryption.ts`): the decrypted assertion takes the place of the
  // EncryptedAssertion, and the checks of step 3 run again on the result. A response signature
  // covers the ciphertext, so it is verified here, on the response as received.
  const receivedText = text;
  let opened: Opened | undefined;
  if (found.encrypted.length > 0) {
    t?.start('decryption');
    opened = await openEncryptedAssertion(text, root, o);
    ({ text, root } = opened);
    structure = checkStructure(root);
    t?.pass('The encrypted assertion opened with our encryption key.');
  } else if (o.decryption?.required && found.assertions.length > 0) {
    t?.start('decryption');
    refuse('encryption_required', { reason: 'This connection requires encrypted assertions; the assertion arrived unencrypted.' });
  }
  const { assertion, responseSignatures, assertionSignatures } = structure;
  if (!assertion) refuse('response_malformed', { reason: 'The response reports success but carries no assertion.' });

  // 5. Signature: what is read from here on comes from the verified XML.
  t?.start('signature');
  const trusted = readTrustedCertificates(o.idp.signingCertificates);
  const responseSignature = responseSignatures[0];
  const assertionSignature = assertionSignatures[0];
  if (!responseSignature && !assertionSignature && !opened?.responseVerdict) refuse('response_unsigned', { reason: 'Neither the Response nor the Assertion carries a signature.' });
  // Algorithms and references of both signatures before any cryptography.
  for (const [signature, parent, where] of [
    [responseSignature, root, 'Response signature'],
    [assertionSignature, assertion, 'Assertion signature'],
  ] as const) {
    const problem = signature ? precheckSignature(signature, parent) : undefined;
    if (problem) signatureFailure(problem, trusted, where, t);
  }
  let signedResponse: Element | undefined;
  let signedAssertion: Element | undefined;
  let algorithm: string | undefined;
  let signingFingerprint: string | undefined;
  if (responseSignature) {
    const verdict = checkEnvelopedSignature(text, responseSignature, root, trusted);
    if (verdict.status !== 'verified') signatureFailure(verdict, trusted, 'Response signature', t);
    algorithm = verdict.algorithm;
    signingFingerprint = verdict.fingerprint;
    signedResponse = parseSigned(verdict.signedXml, 'Response', attr(root, 'ID') ?? '');
    const inner = children(signedResponse, NS.assertion, 'Assertion');
    if (inner.length !== 1) refuse('signature_invalid', { reason: 'The signed Response does not hold exactly one assertion.' });
    signedAssertion = inner[0];
  } else if (opened?.responseVerdict) {
    // The response signature was verified over the ciphertext (step 4b); root is built from its signed XML.
    algorithm = opened.responseVerdict.algorithm;
    signingFingerprint = opened.responseVerdict.fingerprint;
    signedResponse = root;
    signedAssertion = assertion;
  }
  if (assertionSignature) {
    const verdict = checkEnvelopedSignature(text, assertionSignature, assertion, trusted);
    if (verdict.status !== 'verified') signatureFailure(verdict, trusted, 'Assertion signature', t);
    algorithm ??= verdict.algorithm;
    signingFingerprint ??= verdict.fingerprint;
    signedAssertion = parseSigned(verdict.signedXml, 'Assertion', attr(assertion, 'ID') ?? '');
  }
  const signedParts = [responseSignature || opened?.responseVerdict ? 'Response' : '', assertionSignature ? 'Assertion' : ''].filter(Boolean).join(' and ');
  t?.pass(`${signedParts} signed with ${algorithm ?? 'an accepted algorithm'}; the signature verifies and covers what is read.`);
  t?.start('certificate');
  t?.pass(`Made with a configured signing certificate (SHA-256 ${signingFingerprint ?? 'unknown'}).`);
  const response = signedResponse ?? root;
  const facts = readAssertion(signedAssertion!);
  ctx.assertionId = facts.id;
  ctx.rawAttributes = facts.attributes;
  ctx.profile = buildProfile(facts, o.attributeMapping);

  // 6-10. Our checks on the verified content.
  const responseIssuerEl = child(response, NS.assertion, 'Issuer');
  t?.start('issuer');
  checkIssuers(responseIssuerEl ? textOf(responseIssuerEl) : undefined, facts, o.idp);
  t?.pass(`${clip(facts.issuer, 300)}, the configured IdP entity ID.`);
  t?.start('destination');
  const destination = attr(response, 'Destination');
  if (destination !== undefined && destination !== o.sp.acsUrl) {
    refuse('destination_mismatch', { expectedDestination: o.sp.acsUrl, receivedDestination: clip(destination), reason: 'The response’s Destination is not our ACS URL.' });
  }
  const confirmation = pickConfirmation(facts, o.sp);
  t?.pass(`${destination === undefined ? 'No Destination; the' : 'Destination and'} Recipient are our ACS URL ${o.sp.acsUrl}.`);
  t?.start('audience');
  checkAudience(facts, o.sp);
  t?.pass(`The audience is our entity ID ${o.sp.entityId}.`);
  t?.start('request');
  checkInResponseTo(attr(response, 'InResponseTo'), confirmation, o.expectedRequestId);
  t?.pass(o.expectedRequestId === null ? 'IdP-initiated: no InResponseTo, as expected.' : `InResponseTo is our AuthnRequest ${clip(o.expectedRequestId, 100)}.`);
  t?.start('times');
  const times = checkTimes(facts, confirmation, nowMs, skewMs);
  t?.pass(timesSummary(facts, confirmation, nowMs, skewMs));

  // 11. node-saml.
  t?.start('second_check');
  await secondOpinion(receivedText, o, trusted, nowMs, skewMs, opened?.key.privateKeyPem);
  t?.pass('node-saml accepts the response too.');

  // 12. Replay.
  const notOnOrAfter = times.notOnOrAfterMs !== undefined ? new Date(times.notOnOrAfterMs).toISOString() : undefined;
  if (o.replayCache) {
    t?.start('replay');
    const keepUntil = new Date((times.notOnOrAfterMs ?? nowMs + 60 * 60 * 1000) + skewMs);
    if (!(await o.replayCache.remember(facts.id, keepUntil))) {
      refuse('response_replayed', { reason: 'This assertion ID was accepted before.' });
    }
    t?.pass(`Assertion ${clip(facts.id, 100)} was not seen before.`);
  }

  // 13. Email.
  const profile = ctx.profile;
  t?.start('email');
  if (!profile.email) {
    refuse('missing_email', {
      expectedAttribute: o.attributeMapping.email,
      receivedAttributeNames: Object.keys(facts.attributes).slice(0, 50),
      ...(facts.nameIdFormat ? { receivedNameIdFormat: clip(facts.nameIdFormat) } : {}),
      reason: missingEmailReason(facts),
    });
  }
  t?.pass(`${profile.email}, from ${attributeValues(facts, o.attributeMapping.email) ? `the attribute ${o.attributeMapping.email}` : 'the NameID'}.`);
  const result: SamlValidation = { ok: true, profile, rawAttributes: facts.attributes, assertionId: facts.id, issuer: facts.issuer };
  if (notOnOrAfter) result.notOnOrAfter = notOnOrAfter;
  if (algorithm) result.signatureAlgorithm = algorithm;
  if (signingFingerprint) result.signingFingerprint = signingFingerprint;
  return result;
}

/** Validates a posted SAMLResponse for one connection. Never throws; see the check order above. */
export async function validateSamlResponse(o: ValidateSamlOptions): Promise<SamlValidation> {
  const ctx: Context = { profile: null, rawAttributes: {} };
  try {
    return await validate(o, ctx);
  } catch (error) {
    const refusal = error instanceof Refusal ? error : new Refusal('response_malformed', { reason: 'The response could not be read.' });
    const reason = refusal.details.reason;
    o.trace?.fail(typeof reason === 'string' ? reason : TEST_FAILURES[refusal.code].message, 'input');
    const result: SamlValidation = { ok: false, error: testError(refusal.code, refusal.details), profile: ctx.profile, rawAttributes: ctx.rawAttributes };
    if (ctx.assertionId) result.assertionId = ctx.assertionId;
    return result;
  }
}
