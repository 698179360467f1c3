/**
 * Tells XML signature failures apart with xml-crypto, so an admin learns which one happened:
 * no signature, a certificate that is not configured, content changed after signing (digest),
 * a signature value that does not verify, an algorithm we refuse, or a signature that does not
 * cover the element it sits in (wrapping).
 *
 * Only the configured certificates can make a signature valid. A certificate or key in the
 * message's KeyInfo is used for diagnosis only (is this a certificate mismatch or a broken
 * signature?), never to accept anything (key confusion).
 */
import { X509Certificate, createPublicKey, type KeyObject } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';

export const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

/** Signature algorithms we verify (xml-crypto's RSA ones). SHA-1 is allowed but reported. */
const SIGNATURE_ALGORITHMS: Readonly<Record<string, string>> = {
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': 'rsa-sha1',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': 'rsa-sha256',
  'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1': 'rsa-sha256-mgf1',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': 'rsa-sha512',
};

const DIGEST_ALGORITHMS = new Set(['http://www.w3.org/2000/09/xmldsig#sha1', 'http://www.w3.org/2001/04/xmlenc#sha256', 'http://www.w3.org/2001/04/xmlenc#sha512']);

const CANONICALIZATIONS = new Set([
  'http://www.w3.org/2001/10/xml-exc-c14n#',
  'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments',
]);

const TRANSFORMS = new Set([...CANONICALIZATIONS, 'http://www.w3.org/2000/09/xmldsig#enveloped-signature']);

/** A configured signing certificate, normalised. */
export interface TrustedCertificate {
  pem: string;
  /** SHA-256, uppercase hex with colons. */
  fingerprint: string;
}

export type SignatureVerdict =
  /** `signedXml` is the canonical XML of the element the signature covers: the only XML to read. */
  | { status: 'verified'; signedXml: string; fingerprint: string; algorithm: string }
  | { status: 'digest_mismatch' | 'bad_signature_value' | 'untrusted_certificate' | 'unsupported_algorithm' | 'wrapping' | 'invalid'; algorithm?: string; receivedFingerprint?: string; reason: string };

/** The short name of a SignatureMethod URI ("rsa-sha256"), or the URI itself when unknown. */
export function signatureAlgorithmName(uri: string): string {
  return SIGNATURE_ALGORITHMS[uri] ?? (uri.length > 200 ? `${uri.slice(0, 200)}…` : uri);
}

function colonHex(fingerprint256: string): string {
  return fingerprint256.toUpperCase();
}

/** One certificate from PEM or bare base64 DER, or null when it is not a readable certificate. */
export function readCertificate(text: string): X509Certificate | null {
  const body = text.replace(/-----(BEGIN|END)[^-]*-----/g, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return null;
  try {
    return new X509Certificate(Buffer.from(body, 'base64'));
  } catch {
    return null;
  }
}

/** The configured certificates that can be read, without duplicates. */
export function readTrustedCertificates(list: readonly string[]): TrustedCertificate[] {
  const out = new Map<string, TrustedCertificate>();
  for (const entry of list) {
    const cert = readCertificate(entry);
    if (!cert) continue;
    const fingerprint = colonHex(cert.fingerprint256);
    if (!out.has(fingerprint)) out.set(fingerprint, { pem: cert.toString(), fingerprint });
  }
  return [...out.values()];
}

function childElements(parent: Element, namespace: string, localName: string): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1) {
      const el = node as Element;
      if (el.namespaceURI === namespace && el.localName === localName) out.push(el);
    }
  }
  return out;
}

function only(parent: Element | undefined, localName: string): Element | undefined {
  if (!parent) return undefined;
  const found = childElements(parent, DSIG_NS, localName);
  return found.length === 1 ? found[0] : undefined;
}

function textOf(el: Element | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, '');
}

interface NamedKey {
  key: KeyObject;
  fingerprint?: string;
}

/** The keys the message itself names (KeyInfo: certificates, else an RSA key value), for diagnosis only. */
function keyInfoKeys(signature: Element): NamedKey[] {
  const keyInfo = only(signature, 'KeyInfo');
  if (!keyInfo) return [];
  const out: NamedKey[] = [];
  const certs = keyInfo.getElementsByTagNameNS(DSIG_NS, 'X509Certificate');
  for (let i = 0; i < Math.min(certs.length, 5); i++) {
    const cert = readCertificate(textOf(certs.item(i) ?? undefined));
    if (cert) out.push({ key: cert.publicKey, fingerprint: colonHex(cert.fingerprint256) });
  }
  if (out.length > 0) return out;
  const rsa = keyInfo.getElementsByTagNameNS(DSIG_NS, 'RSAKeyValue').item(0);
  if (rsa) {
    const modulus = textOf(only(rsa, 'Modulus'));
    const exponent = textOf(only(rsa, 'Exponent'));
    const b64url = (b64: string) => Buffer.from(b64, 'base64').toString('base64url');
    try {
      if (modulus && exponent) out.push({ key: createPublicKey({ key: { kty: 'RSA', n: b64url(modulus), e: b64url(exponent) }, format: 'jwk' }) });
    } catch {
      // Not a usable key: nothing to diagnose with.
    }
  }
  return out;
}

type Attempt = { result: 'verified'; signedXml: string } | { result: 'digest'; reason: string } | { result: 'value' } | { result: 'error'; reason: string };

/** One xml-crypto verification with one key; the KeyInfo of the message is ignored. */
function attempt(xml: string, signature: Element, key: string | KeyObject): Attempt {
  const sig = new SignedXml({ publicCert: key, getCertFromKeyInfo: () => null });
  try {
    sig.loadSignature(signature as unknown as Node);
    if (!sig.checkSignature(xml)) {
      const missing = sig.getReferences().some((ref) => ref.validationError?.message.includes('could not find'));
      return { result: 'digest', reason: missing ? 'The signed element could not be found.' : 'The content was changed after it was signed (the digest does not match).' };
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    if (/signature value .* is incorrect/s.test(message)) return { result: 'value' };
    if (/multiple elements with the same value/.test(message)) return { result: 'error', reason: 'Several elements carry the ID the signature refers to.' };
    return { result: 'error', reason: 'The signature could not be checked: it is not a well-formed XML signature.' };
  }
  const signed = sig.getSignedReferences();
  if (signed.length !== 1 || !signed[0]) return { result: 'error', reason: 'The signature must cover exactly one element.' };
  return { result: 'verified', signedXml: signed[0] };
}

interface SignedXmlInternals {
  signatureAlgorithm?: string;
  signatureValue: string;
  getCanonSignedInfoXml(doc: unknown): string;
  findSignatureAlgorithm(name: string | undefined): { verifySignature(material: string, key: string | KeyObject, value: string): boolean };
}

/**
 * Whether a key made the signature over SignedInfo: xml-crypto's own last step (canonical
 * SignedInfo, then the signature algorithm), without the references. Costs one canonicalization
 * of SignedInfo and one verification per key, whatever the size of the signed element. Undefined
 * when it cannot be computed (then every key goes through the whole check, as before).
 */
function signedInfoVerifier(signature: Element): ((key: string | KeyObject) => boolean) | undefined {
  try {
    const sig = new SignedXml({ getCertFromKeyInfo: () => null });
    sig.loadSignature(signature as unknown as Node);
    // Internal methods of xml-crypto 6 (pinned): the ones checkSignature itself calls.
    const internals = sig as unknown as SignedXmlInternals;
    const canonical = internals.getCanonSignedInfoXml(signature.ownerDocument);
    const signer = internals.findSignatureAlgorithm(internals.signatureAlgorithm);
    const value = internals.signatureValue;
    if (typeof canonical !== 'string' || !canonical || typeof value !== 'string' || typeof signer?.verifySignature !== 'function') return undefined;
    return (key) => {
      try {
        return signer.verifySignature(canonical, key, value) === true;
      } catch {
        return false;
      }
    };
  } catch {
    return undefined;
  }
}

/**
 * The checks that need no key: algorithms we accept, exactly one reference, pointing at the
 * element the signature sits in (`parent`), only the usual transforms. Undefined when they pass.
 */
export function precheckSignature(signature: Element, parent: Element): Exclude<SignatureVerdict, { status: 'verified' }> | undefined {
  const signedInfo = only(signature, 'SignedInfo');
  if (!signedInfo) return { status: 'invalid', reason: 'The signature has no single SignedInfo element.' };
  const methodUri = only(signedInfo, 'SignatureMethod')?.getAttribute('Algorithm') ?? '';
  const algorithm = signatureAlgorithmName(methodUri);
  if (!SIGNATURE_ALGORITHMS[methodUri]) {
    return { status: 'unsupported_algorithm', algorithm, reason: `The signature algorithm ${algorithm || '(none)'} is not accepted: use RSA with SHA-256 (rsa-sha256).` };
  }
  const c14n = only(signedInfo, 'CanonicalizationMethod')?.getAttribute('Algorithm') ?? '';
  if (!CANONICALIZATIONS.has(c14n)) return { status: 'unsupported_algorithm', algorithm, reason: 'The signature uses an unknown canonicalization method.' };
  const references = childElements(signedInfo, DSIG_NS, 'Reference');
  if (references.length !== 1) return { status: 'wrapping', algorithm, reason: `The signature must cover exactly one element, but it has ${references.length} references.` };
  const reference = references[0]!;
  const id = parent.getAttribute('ID') ?? '';
  const uri = reference.getAttribute('URI');
  if (!id || uri !== `#${id}`) {
    return { status: 'wrapping', algorithm, reason: `The signature does not cover the ${parent.localName} it is part of (its reference points elsewhere): possible signature wrapping.` };
  }
  const transforms = only(reference, 'Transforms');
  const transformList = transforms ? childElements(transforms, DSIG_NS, 'Transform') : [];
  if (transformList.length > 2 || transformList.some((t) => !TRANSFORMS.has(t.getAttribute('Algorithm') ?? ''))) {
    return { status: 'unsupported_algorithm', algorithm, reason: 'The signature uses transforms other than enveloped-signature and canonicalization.' };
  }
  const digest = only(reference, 'DigestMethod')?.getAttribute('Algorithm') ?? '';
  if (!DIGEST_ALGORITHMS.has(digest)) return { status: 'unsupported_algorithm', algorithm, reason: 'The signature uses an unsupported digest algorithm.' };
  if (!textOf(only(signature, 'SignatureValue'))) return { status: 'bad_signature_value', algorithm, reason: 'The signature value is empty.' };
  return undefined;
}

/**
 * Checks the enveloped signature `signature` (a direct child of `parent`) in the document `xml`
 * (the exact text that was parsed) against the trusted certificates. Never throws.
 */
export function checkEnvelopedSignature(xml: string, signature: Element, parent: Element, trusted: readonly TrustedCertificate[]): SignatureVerdict {
  const problem = precheckSignature(signature, parent);
  if (problem) return problem;
  const signedInfo = only(signature, 'SignedInfo');
  const algorithm = signatureAlgorithmName(only(signedInfo, 'SignatureMethod')?.getAttribute('Algorithm') ?? '');

  // The signature over SignedInfo first, with every key (cheap); xml-crypto's whole check (the
  // references) then runs once, with the key that verifies. Without this, a response signed by
  // another key cost one full pass per configured certificate and per certificate it names.
  const verifies = signedInfoVerifier(signature);
  const keys = verifies ? trusted.filter((cert) => verifies(cert.pem)).slice(0, 1) : trusted;
  for (const cert of keys) {
    const outcome = attempt(xml, signature, cert.pem);
    if (outcome.result === 'verified') return { status: 'verified', signedXml: outcome.signedXml, fingerprint: cert.fingerprint, algorithm };
    // The digest does not depend on the key: the first certificate decides it.
    if (outcome.result === 'digest') return { status: 'digest_mismatch', algorithm, reason: outcome.reason };
    if (outcome.result === 'error') return { status: 'invalid', algorithm, reason: outcome.reason };
  }

  // No configured certificate verifies the value: was it signed by another key, or broken?
  const named = keyInfoKeys(signature);
  const untrusted = named.filter((n) => !n.fingerprint || !trusted.some((t) => t.fingerprint === n.fingerprint));
  for (const candidate of untrusted) {
    if (verifies ? verifies(candidate.key) : attempt(xml, signature, candidate.key).result === 'verified') {
      return {
        status: 'untrusted_certificate',
        algorithm,
        ...(candidate.fingerprint ? { receivedFingerprint: candidate.fingerprint } : {}),
        reason: 'The response was signed with a key that is not among the configured signing certificates.',
      };
    }
  }
  const received = named[0]?.fingerprint ? { receivedFingerprint: named[0].fingerprint } : {};
  if (trusted.length === 0) return { status: 'untrusted_certificate', algorithm, ...received, reason: 'No configured signing certificate could be read.' };
  if (named.length > 0) {
    return { status: 'bad_signature_value', algorithm, ...received, reason: 'The signature value does not verify, not even with the key the response names: it was altered or computed incorrectly.' };
  }
  return {
    status: 'untrusted_certificate',
    algorithm,
    reason: 'The signature does not verify with any configured certificate, and the response names no certificate: it was probably signed with another key.',
  };
}
