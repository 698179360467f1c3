/// <reference types="node" />
/**
 * Opens a SAML `EncryptedAssertion` (XML Encryption) with the connection's SP encryption keys
 * (`sp-keys.ts`: the current key and, during a rollover, the next one). The cryptography is
 * xml-encryption's (the library node-saml uses); this module decides first, from the XML alone,
 * whether the algorithms are ones we accept and which of our keys the IdP encrypted for, so each
 * refusal says why in plain words.
 *
 * Accepted: content AES-128/256-CBC and AES-128/256-GCM; key transport RSA-OAEP
 * (`rsa-oaep-mgf1p`, SHA-1 digest and MGF1 as AD FS, Okta and Entra send it, or SHA-256 for both).
 * RSA-1.5 (`rsa-1_5`) is refused: besides being open to padding-oracle attacks, Node.js no longer
 * decrypts PKCS#1 v1.5 (CVE-2023-46809). The xmlenc 1.1 `rsa-oaep` identifier is refused too
 * (xml-encryption does not read its MGF parameter).
 *
 * Whatever goes wrong once our private key is used gets one and the same reason
 * ({@link undecryptable}), so the answers cannot serve as a decryption oracle.
 */
import { X509Certificate, createHash } from 'node:crypto';
import { XMLSerializer, type Element } from '@xmldom/xmldom';
import xmlenc from 'xml-encryption';
import type { KeyPair } from '../simulator/keys.js';
import { ACCEPTED_CONTENT_ENCRYPTION, ACCEPTED_KEY_TRANSPORT } from './sp-metadata-keys.js';

/** One of our decryption key pairs (`sp-keys.ts` keeps them). */
export type DecryptionKey = KeyPair;

export const XMLENC_NS = 'http://www.w3.org/2001/04/xmlenc#';
const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

/** What we accept, as our SP metadata publishes it. */
const CONTENT_ENCRYPTION_ALGORITHMS: readonly string[] = ACCEPTED_CONTENT_ENCRYPTION;
const KEY_TRANSPORT = ACCEPTED_KEY_TRANSPORT[0];
/**
 * OAEP digests: SHA-1 (the default, with MGF1-SHA-1), or SHA-256 as xml-encryption (Auth0) names
 * it, with MGF1-SHA-256 too. The standard `xmlenc#sha256` pairs a SHA-256 digest with MGF1-SHA-1,
 * which Node.js cannot decrypt (one hash for both): refused with its own reason.
 */
const OAEP_DIGESTS = new Set(['http://www.w3.org/2000/09/xmldsig#sha1', 'http://www.w3.org/2000/09/xmldsig#sha256']);
const RSA_15 = 'http://www.w3.org/2001/04/xmlenc#rsa-1_5';
const RSA_OAEP_11 = 'http://www.w3.org/2009/xmlenc11#rsa-oaep';

/** Why an encrypted assertion could not be opened (`decryption_failed` with this reason). */
export class DecryptionFailure extends Error {
  constructor(
    readonly reason: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(reason);
  }
}

function elementChildren(parent: Element | undefined, namespace: string, localName: string): Element[] {
  const out: Element[] = [];
  for (let node = parent?.firstChild; node; node = node.nextSibling) {
    if (node.nodeType !== 1) continue;
    const el = node as Element;
    if (el.namespaceURI === namespace && el.localName === localName) out.push(el);
  }
  return out;
}

function algorithmOf(parent: Element | undefined): string | undefined {
  const method = elementChildren(parent, XMLENC_NS, 'EncryptionMethod')[0];
  return method?.getAttribute('Algorithm') ?? undefined;
}

function fingerprint(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex').toUpperCase().replace(/(..)(?=.)/g, '$1:');
}

/** The certificate DER bytes of a PEM. */
function derOf(pem: string): Buffer {
  return Buffer.from(new X509Certificate(pem).raw);
}

/** The certificates the IdP names in the EncryptedKey's KeyInfo (X509Data), as DER. */
function namedCertificates(encryptedKey: Element): Buffer[] {
  const keyInfo = elementChildren(encryptedKey, DSIG_NS, 'KeyInfo')[0];
  return elementChildren(keyInfo, DSIG_NS, 'X509Data')
    .flatMap((data) => elementChildren(data, DSIG_NS, 'X509Certificate'))
    .map((cert) => Buffer.from((cert.textContent ?? '').replace(/\s+/g, ''), 'base64'))
    .filter((der) => der.length > 0);
}

/** The EncryptedKey elements that may hold the content key: in EncryptedData's KeyInfo, or beside EncryptedData. */
function encryptedKeys(encryptedAssertion: Element, data: Element): Element[] {
  const keyInfo = elementChildren(data, DSIG_NS, 'KeyInfo')[0];
  return [...elementChildren(keyInfo, XMLENC_NS, 'EncryptedKey'), ...elementChildren(encryptedAssertion, XMLENC_NS, 'EncryptedKey')];
}

function checkKeyTransport(encryptedKey: Element, allowed: string): void {
  const algorithm = algorithmOf(encryptedKey);
  if (algorithm === RSA_15) {
    throw new DecryptionFailure(
      'The identity provider encrypted the assertion’s key with RSA-1.5 (rsa-1_5), which is not allowed: it is open to padding-oracle attacks. Set the identity provider to RSA-OAEP key transport.',
      { keyTransportAlgorithm: algorithm, acceptedKeyTransportAlgorithms: [allowed] },
    );
  }
  if (algorithm !== KEY_TRANSPORT) {
    const why = algorithm === RSA_OAEP_11 ? 'the XML Encryption 1.1 form of RSA-OAEP is not supported' : 'that key transport algorithm is not supported';
    throw new DecryptionFailure(`The assertion’s key was encrypted with ${algorithm ?? 'no named algorithm'}: ${why}. Set the identity provider to RSA-OAEP (rsa-oaep-mgf1p).`, {
      ...(algorithm ? { keyTransportAlgorithm: algorithm.slice(0, 200) } : {}),
      acceptedKeyTransportAlgorithms: [allowed],
    });
  }
  const method = elementChildren(encryptedKey, XMLENC_NS, 'EncryptionMethod')[0];
  const digest = elementChildren(method, DSIG_NS, 'DigestMethod')[0]?.getAttribute('Algorithm');
  if (digest && !OAEP_DIGESTS.has(digest)) {
    throw new DecryptionFailure(`The RSA-OAEP key transport uses the digest ${digest.slice(0, 200)}, which is not supported here: set the identity provider to RSA-OAEP with SHA-1 (the usual default).`, {
      keyTransportDigest: digest.slice(0, 200),
    });
  }
}

function decryptWith(xml: string, key: string): Promise<string> {
  return new Promise((resolve, reject) => {
    xmlenc.decrypt(xml, { key, disallowDecryptionWithInsecureAlgorithm: true, warnInsecureAlgorithm: false }, (error, result) => {
      if (error || typeof result !== 'string') reject(error ?? new Error('no result'));
      else resolve(result);
    });
  });
}

/**
 * The decrypted assertion XML of `encryptedAssertion` (an `EncryptedAssertion` element) and the
 * key that opened it. `keys`: ours, current first. Throws {@link DecryptionFailure}.
 */
export async function decryptAssertion(encryptedAssertion: Element, keys: readonly DecryptionKey[]): Promise<{ xml: string; key: DecryptionKey }> {
  if (keys.length === 0) throw new DecryptionFailure('The assertion is encrypted, and this connection has no decryption key.');
  const data = elementChildren(encryptedAssertion, XMLENC_NS, 'EncryptedData');
  if (data.length !== 1) throw new DecryptionFailure('The EncryptedAssertion does not hold exactly one EncryptedData element.');
  const content = algorithmOf(data[0]);
  if (!content || !CONTENT_ENCRYPTION_ALGORITHMS.includes(content)) {
    throw new DecryptionFailure(
      `The assertion was encrypted with ${content ?? 'no named algorithm'}, which is not supported. Set the identity provider to AES-256-GCM, AES-128-GCM, AES-256-CBC or AES-128-CBC.`,
      { ...(content ? { contentEncryptionAlgorithm: content.slice(0, 200) } : {}), acceptedContentEncryptionAlgorithms: [...ACCEPTED_CONTENT_ENCRYPTION] },
    );
  }
  const candidates = encryptedKeys(encryptedAssertion, data[0]!);
  if (candidates.length === 0) throw new DecryptionFailure('The encrypted assertion carries no EncryptedKey: the key to open it is missing.');
  // The EncryptedKey addressed to one of our certificates, when the IdP names the certificate.
  const ours = keys.map((k) => ({ key: k, der: derOf(k.certificatePem) }));
  let chosen: { encryptedKey: Element; keys: DecryptionKey[] } | undefined;
  const named: Buffer[] = [];
  for (const encryptedKey of candidates) {
    const certs = namedCertificates(encryptedKey);
    named.push(...certs);
    const matching = certs.length === 0 ? keys.slice() : ours.filter((o) => certs.some((c) => c.equals(o.der))).map((o) => o.key);
    if (matching.length > 0) {
      chosen = { encryptedKey, keys: matching };
      break;
    }
  }
  if (!chosen) {
    throw new DecryptionFailure('The assertion was encrypted for another certificate, not this connection’s encryption certificate. Give the identity provider the encryption certificate from this connection’s SP metadata.', {
      receivedCertificateFingerprints: named.slice(0, 5).map(fingerprint),
      expectedCertificateFingerprints: ours.map((o) => fingerprint(o.der)),
    });
  }
  checkKeyTransport(chosen.encryptedKey, KEY_TRANSPORT);
  // xml-encryption reads the first EncryptedKey of what it gets: hand it EncryptedData with the chosen key only.
  const doc = encryptedAssertion.ownerDocument!;
  const single = doc.importNode(data[0]!, true);
  for (const key of encryptedKeys(single, single)) key.parentNode?.removeChild(key);
  let keyInfo = elementChildren(single, DSIG_NS, 'KeyInfo')[0];
  if (!keyInfo) {
    keyInfo = doc.createElementNS(DSIG_NS, 'ds:KeyInfo');
    const cipherData = elementChildren(single, XMLENC_NS, 'CipherData')[0];
    single.insertBefore(keyInfo, cipherData ?? null);
  }
  for (const node of Array.from({ length: keyInfo.childNodes.length }, (_, i) => keyInfo.childNodes[i]!)) keyInfo.removeChild(node);
  keyInfo.appendChild(doc.importNode(chosen.encryptedKey, true));
  const xml = new XMLSerializer().serializeToString(single);
  for (const key of chosen.keys) {
    try {
      return { xml: await decryptWith(xml, key.privateKeyPem), key };
    } catch {
      // The next key (a rollover), else the one answer below.
    }
  }
  throw undecryptable(keys);
}

/**
 * The one answer for everything that goes wrong once our private key was used: the key does not
 * open it, the padding or the GCM tag is wrong, or what came out is not a well-formed Assertion.
 * Telling these apart would let an attacker who alters a captured ciphertext learn its content
 * (the XML Encryption CBC attack of Jager and Somorovsky).
 */
export function undecryptable(keys: readonly DecryptionKey[]): DecryptionFailure {
  return new DecryptionFailure(
    'The assertion could not be decrypted with this connection’s encryption key: it was encrypted for another certificate, or damaged on the way. Give the identity provider the encryption certificate from this connection’s SP metadata.',
    { expectedCertificateFingerprints: keys.map((k) => fingerprint(derOf(k.certificatePem))) },
  );
}
