/**
 * Reading an identity provider's SAML 2.0 metadata, and single certificates, for the wizard.
 *
 * - {@link parseSamlMetadata}: the IdP's entity ID, single sign-on URLs, signing and encryption
 *   certificates, NameID formats, validity, plus warnings an IT admin should see.
 * - {@link parseCertificate}: one certificate (PEM, bare base64, or DER bytes) for the manual path.
 *
 * Both never throw and never reject: every outcome is a result with a stable code from
 * {@link METADATA_ERRORS}, {@link CERTIFICATE_ERRORS} or {@link METADATA_WARNINGS}, each with a
 * plain-language message and remedy. No eval, no polyfills; the same results in browsers and
 * Node 20. This module holds the contract (types, codes, messages); the reader
 * (`./saml-metadata-reader.ts`, with its DER reader `./x509.ts`) is loaded on first use (dynamic
 * import), so importing this module costs little. The reader parses XML with the platform's
 * parser: the browser's native `DOMParser`, or `@xmldom/xmldom` where there is none (Node),
 * imported only then, so a browser never downloads it (`./xml-dom.ts`).
 *
 * Safety: input over {@link SAML_METADATA_MAX_BYTES} is refused before anything else, and any
 * DOCTYPE or ENTITY declaration is refused before parsing (no XXE, no entity expansion). Elements
 * are matched on namespace URI and local name, never on prefix.
 */

import { inEnglish, msg } from './text.js';
import { str } from './text-forms.js';

// ---------------------------------------------------------------------------------------
// Public types and constants

/** Metadata larger than this (UTF-8 bytes) is refused unread: 2 MiB. */
export const SAML_METADATA_MAX_BYTES = 2 * 1024 * 1024;
/** A certificate file larger than this is refused unread: 64 KiB. */
export const CERTIFICATE_MAX_BYTES = 64 * 1024;
/** Certificates expiring within this many days get a `certificate_expiring_soon` warning. */
export const CERTIFICATE_EXPIRY_WARNING_DAYS = 30;

/** XML namespaces this module matches on. */
export const SAML_NAMESPACES = {
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  xmldsig: 'http://www.w3.org/2000/09/xmldsig#',
  mdui: 'urn:oasis:names:tc:SAML:metadata:ui',
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
} as const;

/** The SAML 2.0 binding URNs, as they appear in `SingleSignOnService/@Binding`. */
export const SAML_BINDING_URNS = {
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
  postSimpleSign: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST-SimpleSign',
  artifact: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact',
  soap: 'urn:oasis:names:tc:SAML:2.0:bindings:SOAP',
} as const;

/** What an admin reads about one certificate. Dates are ISO 8601 (UTC). */
export interface SamlCertificate {
  /** Normalised PEM (64-column base64 between BEGIN/END CERTIFICATE lines). */
  pem: string;
  /** RFC 4514 distinguished name, most specific first: "CN=Okta, O=Okta, C=US". */
  subject: string;
  issuer: string;
  /** Hex, as encoded (two's complement). */
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** SHA-256 of the DER bytes, upper-case hex pairs joined by colons. */
  fingerprintSha256: string;
  /** 'RSA', 'RSA-PSS', 'EC', 'DSA', 'Ed25519', 'Ed448', or the OID when unknown. */
  keyAlgorithm: string;
  /** Key size in bits (RSA modulus, EC curve size); null when unknown. */
  keySize: number | null;
  /** EC only: the named curve ('P-256', ...). */
  curve?: string;
  /** OpenSSL-style name ('sha256WithRSAEncryption', 'ecdsa-with-SHA256'), or the OID. */
  signatureAlgorithm: string;
  /** Subject and issuer are the same name (usual for SAML signing certificates). */
  selfSigned: boolean;
}

export interface SamlSsoService {
  /** Full binding URN, e.g. `urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect`. */
  binding: string;
  location: string;
}

/** The identity provider read from metadata. */
export interface SamlIdpMetadata {
  entityId: string;
  /** mdui:DisplayName or the organisation's display name, when the metadata has one. */
  displayName?: string;
  /** In document order; duplicates removed; only absolute http(s) locations. */
  ssoServices: SamlSsoService[];
  /** Certificates whose KeyDescriptor has use="signing" or no `use`. Several during a rollover. */
  signingCertificates: SamlCertificate[];
  /** Certificates whose KeyDescriptor has use="encryption" or no `use`. */
  encryptionCertificates: SamlCertificate[];
  nameIdFormats: string[];
  /** The earliest validUntil of the entity, its IdP role and enclosing EntitiesDescriptors; ISO or null. */
  validUntil: string | null;
  /** IDPSSODescriptor/@WantAuthnRequestsSigned; null when absent. */
  wantAuthnRequestsSigned: boolean | null;
}

/** An entity an admin can choose from an aggregate (EntitiesDescriptor). */
export interface MetadataEntityChoice {
  entityId: string;
  displayName?: string;
}

export interface ParseMetadataOptions {
  /** Which entity to take from an aggregate (EntitiesDescriptor); checked for a single entity too. */
  entityId?: string;
  /** Our own (service provider) entity ID: SP metadata carrying it is reported as ours, pasted back. */
  spEntityId?: string;
  /** The clock for expiry checks; defaults to now. */
  now?: Date;
}

export interface ParseCertificateOptions {
  now?: Date;
}

interface CodeInfo {
  /** What happened, in plain words (the default message; results may carry a more precise one). */
  readonly message: string;
  /** What the admin can do about it. */
  readonly remedy: string;
}

// One remedy for three codes: one message to translate.
const getMetadata = () =>
  msg('Download the IdP metadata XML for this application from your identity provider’s console (often called “IdP metadata”, “SAML metadata” or “Federation metadata”) and try again.');

/** Why metadata was refused. Stable codes: hosts may switch on them. */
export const METADATA_ERRORS = {
  metadata_too_large: {
    get message() {
      return msg('The metadata is larger than 2 MB, so it was not read.');
    },
    get remedy() {
      return msg('Make sure this is the metadata of your identity provider for this one application, not a whole federation’s list. Ask for the metadata URL of this application.');
    },
  },
  metadata_doctype_forbidden: {
    get message() {
      return msg('The XML contains a DOCTYPE or ENTITY declaration. SAML metadata never needs one, and such declarations are used in attacks (XXE, “billion laughs”), so it was not read.');
    },
    get remedy() {
      return msg('Download the metadata again directly from your identity provider. If it still starts with <!DOCTYPE, ask the identity provider’s administrator about it.');
    },
  },
  metadata_not_xml: {
    get message() {
      return msg('This is not XML, so it cannot be SAML metadata.');
    },
    get remedy() {
      return getMetadata();
    },
  },
  metadata_malformed: {
    get message() {
      return msg('The XML is damaged (it is not well-formed), so it could not be read.');
    },
    get remedy() {
      return msg('Download the metadata again rather than copying it by hand; a copy-paste may have cut it off or changed it.');
    },
  },
  metadata_not_saml: {
    get message() {
      return msg('This XML is not SAML metadata.');
    },
    get remedy() {
      return getMetadata();
    },
  },
  metadata_sp_metadata: {
    get message() {
      return msg('This is service provider metadata, not your identity provider’s.');
    },
    get remedy() {
      return msg('Use the metadata of your identity provider (the IdP metadata), not the one of an application. Our own metadata goes into your identity provider, not here.');
    },
  },
  metadata_no_idp: {
    get message() {
      return msg('This metadata describes no identity provider (it has no IDPSSODescriptor).');
    },
    get remedy() {
      return getMetadata();
    },
  },
  metadata_saml2_unsupported: {
    get message() {
      return msg('This identity provider’s metadata supports only older SAML versions (1.x), not SAML 2.0.');
    },
    get remedy() {
      return msg('Enable SAML 2.0 for this application in your identity provider, then download its metadata again.');
    },
  },
  metadata_entity_id_missing: {
    get message() {
      return msg('The identity provider in this metadata has no entity ID (the entityID attribute is missing or empty).');
    },
    get remedy() {
      return msg('Download the metadata again from your identity provider. If it still has no entityID, enter the values manually.');
    },
  },
  metadata_no_sso_service: {
    get message() {
      return msg('The identity provider in this metadata has no single sign-on URL (no usable SingleSignOnService).');
    },
    get remedy() {
      return msg('Check that SAML single sign-on is enabled for this application in your identity provider, then download its metadata again, or enter the SSO URL manually.');
    },
  },
  metadata_no_signing_certificate: {
    get message() {
      return msg('The identity provider in this metadata has no signing certificate, so its logins could not be verified.');
    },
    get remedy() {
      return msg('Download the signing certificate from your identity provider’s console and enter the values manually, or check that the application in the IdP has an active signing certificate.');
    },
  },
  metadata_certificate_invalid: {
    get message() {
      return msg('A signing certificate in this metadata could not be read.');
    },
    get remedy() {
      return msg('Download the metadata again from your identity provider, or download its signing certificate (.cer / .pem) and enter the values manually.');
    },
  },
  metadata_entity_not_found: {
    get message() {
      return msg('The entity ID you chose is not in this metadata.');
    },
    get remedy() {
      return msg('Choose one of the identity providers listed, or check the metadata URL.');
    },
  },
  metadata_entity_choice_required: {
    get message() {
      return msg('This metadata lists several identity providers. Choose yours.');
    },
    get remedy() {
      return msg('Pick your organisation’s identity provider from the list.');
    },
  },
  metadata_unreadable: {
    get message() {
      return msg('The metadata could not be read because of an unexpected problem.');
    },
    get remedy() {
      return msg('Try again. If it keeps happening, enter the values manually and contact the application’s support.');
    },
  },
} as const satisfies Record<string, CodeInfo>;

export type MetadataErrorCode = keyof typeof METADATA_ERRORS;
export const METADATA_ERROR_CODES = Object.keys(METADATA_ERRORS) as MetadataErrorCode[];

/** Why a certificate (manual path) was refused. */
export const CERTIFICATE_ERRORS = {
  certificate_empty: {
    get message() {
      return msg('No certificate was given: the file or text is empty.');
    },
    get remedy() {
      return msg('Download the signing certificate (.cer, .crt or .pem) from your identity provider’s console and upload it, or paste its text.');
    },
  },
  certificate_too_large: {
    get message() {
      return msg('This file is too large to be a certificate.');
    },
    get remedy() {
      return msg('Upload only the signing certificate (.cer, .crt or .pem), not an archive or a whole certificate store.');
    },
  },
  certificate_private_key: {
    get message() {
      return msg('This contains a PRIVATE KEY. Never share a private key: it was not read or kept.');
    },
    get remedy() {
      return msg('Upload only the certificate (the public part), which starts with “-----BEGIN CERTIFICATE-----”. If the private key was shared by mistake, ask your identity provider’s administrator whether it must be replaced.');
    },
  },
  certificate_not_certificate: {
    get message() {
      return msg('This is not a certificate.');
    },
    get remedy() {
      return msg('Download the signing certificate (.cer, .crt or .pem) from your identity provider’s console and upload it.');
    },
  },
  certificate_invalid: {
    get message() {
      return msg('This certificate could not be read.');
    },
    get remedy() {
      return msg('Download the signing certificate again from your identity provider (as .cer, .crt or .pem, Base64 or DER) and upload the file rather than copying its text.');
    },
  },
  certificate_unreadable: {
    get message() {
      return msg('The certificate could not be read because of an unexpected problem.');
    },
    get remedy() {
      return msg('Try again. If it keeps happening, contact the application’s support.');
    },
  },
} as const satisfies Record<string, CodeInfo>;

export type CertificateErrorCode = keyof typeof CERTIFICATE_ERRORS;
export const CERTIFICATE_ERROR_CODES = Object.keys(CERTIFICATE_ERRORS) as CertificateErrorCode[];

/** Things that do not block, but that the admin should know. */
export const METADATA_WARNINGS = {
  metadata_expired: {
    get message() {
      return msg('The metadata’s validUntil date has passed.');
    },
    get remedy() {
      return msg('Download fresh metadata from your identity provider; some service providers refuse expired metadata.');
    },
  },
  metadata_no_browser_binding: {
    get message() {
      return msg('The identity provider offers no HTTP-Redirect or HTTP-POST single sign-on endpoint, which browser logins use.');
    },
    get remedy() {
      return msg('Enable the HTTP-Redirect or HTTP-POST binding for this application in your identity provider.');
    },
  },
  metadata_sso_not_https: {
    get message() {
      return msg('A single sign-on URL uses plain http://, not https://.');
    },
    get remedy() {
      return msg('Use the https:// URL of your identity provider; logins over plain http can be intercepted.');
    },
  },
  metadata_sso_service_ignored: {
    get message() {
      return msg('A single sign-on endpoint was ignored because its Location is not an absolute http(s) URL or it has no Binding.');
    },
    get remedy() {
      return msg('Nothing to do if another endpoint is listed; otherwise fix the endpoint in your identity provider.');
    },
  },
  metadata_entity_id_unusual: {
    get message() {
      return msg('The entity ID does not look like a URL or URN: it may be a placeholder left in the identity provider’s settings.');
    },
    get remedy() {
      return msg('Check the identity provider’s entity ID (Issuer) in its console; it must match exactly what it sends in its logins.');
    },
  },
  metadata_entity_picked: {
    get message() {
      return msg('This metadata lists several entities; the only identity provider among them was used.');
    },
    get remedy() {
      return msg('Check that the entity ID shown is your identity provider’s.');
    },
  },
  metadata_certificate_namespace: {
    get message() {
      return msg('A certificate was found outside the XML Signature namespace (a malformed KeyInfo); it was read anyway.');
    },
    get remedy() {
      return msg('Nothing to do if the certificate shown is the right one.');
    },
  },
  metadata_encryption_certificate_skipped: {
    get message() {
      return msg('An encryption certificate could not be read and was left out.');
    },
    get remedy() {
      return msg('Nothing to do for sign-in; download fresh metadata if you need encryption to the identity provider.');
    },
  },
  metadata_signing_certificates_limited: {
    get message() {
      return msg('The metadata lists more signing certificates than a connection holds; only the best ones were kept.');
    },
    get remedy() {
      return msg('Nothing to do if the certificate your identity provider signs with is among those kept; otherwise ask its administrator to remove old certificates from the metadata.');
    },
  },
  certificate_double_encoded: {
    get message() {
      return msg('The certificate was wrapped twice (base64 of a PEM file); it was unwrapped.');
    },
    get remedy() {
      return msg('Nothing to do if the certificate shown is the right one.');
    },
  },
  certificate_bundle: {
    get message() {
      return msg('The file holds several certificates; the first one was used.');
    },
    get remedy() {
      return msg('Check that it is the identity provider’s signing certificate; otherwise upload that certificate alone.');
    },
  },
  certificate_expired: {
    get message() {
      return msg('A certificate has expired.');
    },
    get remedy() {
      return msg('Many identity providers keep signing with an expired certificate and logins still work, but download the current one from your identity provider’s console if logins fail.');
    },
  },
  certificate_expiring_soon: {
    get message() {
      return msg(str`A certificate expires within ${CERTIFICATE_EXPIRY_WARNING_DAYS} days.`);
    },
    get remedy() {
      return msg('Plan the rollover: when your identity provider has a new certificate, update the metadata here so logins keep working.');
    },
  },
  certificate_not_yet_valid: {
    get message() {
      return msg('A certificate is not valid yet.');
    },
    get remedy() {
      return msg('Check the date; it may be the next certificate of a planned rollover.');
    },
  },
  certificate_weak_signature: {
    get message() {
      return msg('A certificate is signed with an outdated algorithm (SHA-1 or MD5).');
    },
    get remedy() {
      return msg('SAML trusts the key, not the certificate’s own signature, so logins work; security reviews may flag it. Regenerate the certificate with SHA-256 when convenient.');
    },
  },
  certificate_weak_key: {
    get message() {
      return msg('A certificate has a weak key (RSA under 2048 bits or EC under 256 bits).');
    },
    get remedy() {
      return msg('Ask your identity provider’s administrator to create a new signing certificate with a 2048-bit (or larger) RSA key.');
    },
  },
} as const satisfies Record<string, CodeInfo>;

export type MetadataWarningCode = keyof typeof METADATA_WARNINGS;
export const METADATA_WARNING_CODES = Object.keys(METADATA_WARNINGS) as MetadataWarningCode[];

export interface MetadataWarning {
  code: MetadataWarningCode;
  /** Specific to this metadata (names the certificate, the date, the URL). */
  message: string;
  /** When the warning is about a certificate. */
  fingerprintSha256?: string;
}

/** What kind of non-XML or non-metadata text was given, when we could tell. */
export type MetadataInputKind = 'empty' | 'html' | 'json' | 'certificate' | 'text' | 'saml_message' | 'wrong_namespace' | 'other_xml';

export interface MetadataError {
  code: MetadataErrorCode;
  message: string;
  remedy: string;
  /** metadata_not_xml, metadata_not_saml. */
  kind?: MetadataInputKind;
  /** metadata_malformed: where the parser stopped (1-based), when known. */
  line?: number;
  column?: number;
  /** metadata_too_large. */
  sizeBytes?: number;
  limitBytes?: number;
  /** metadata_entity_choice_required, metadata_entity_not_found: the identity providers to choose from. */
  entities?: MetadataEntityChoice[];
  /** metadata_entity_not_found: what was asked for. */
  entityId?: string;
  /** metadata_certificate_invalid: why, in plain words. */
  reason?: string;
}

export interface CertificateError {
  code: CertificateErrorCode;
  message: string;
  remedy: string;
  /** certificate_not_certificate: what it looks like instead. */
  kind?: 'xml' | 'json' | 'public_key' | 'certificate_request' | 'pkcs7' | 'other_pem';
  reason?: string;
}

export type MetadataResult =
  | { ok: true; metadata: SamlIdpMetadata; warnings: MetadataWarning[] }
  | { ok: false; error: MetadataError };

export type CertificateResult =
  | { ok: true; certificate: SamlCertificate; warnings: MetadataWarning[] }
  | { ok: false; error: CertificateError };

export function isMetadataErrorCode(value: unknown): value is MetadataErrorCode {
  return typeof value === 'string' && Object.hasOwn(METADATA_ERRORS, value);
}

export function isCertificateErrorCode(value: unknown): value is CertificateErrorCode {
  return typeof value === 'string' && Object.hasOwn(CERTIFICATE_ERRORS, value);
}

// ---------------------------------------------------------------------------------------
// Public functions (the reader is loaded on first use)

type Reader = typeof import('./saml-metadata-reader.js');
let readerPromise: Promise<Reader> | undefined;

function loadReader(): Promise<Reader> {
  readerPromise ??= import('./saml-metadata-reader.js').catch((error: unknown) => {
    readerPromise = undefined; // a failed chunk load (network) may succeed later
    throw error;
  });
  return readerPromise;
}

/**
 * Reads an identity provider's SAML 2.0 metadata (text, or the bytes of a file).
 *
 * Never throws or rejects: returns `{ ok: true, metadata, warnings }` or `{ ok: false, error }`
 * with a code from {@link METADATA_ERRORS}.
 */
export async function parseSamlMetadata(xml: string | Uint8Array | ArrayBuffer, options: ParseMetadataOptions = {}): Promise<MetadataResult> {
  try {
    const reader = await loadReader();
    return await reader.readSamlMetadata(xml, options ?? {});
  } catch {
    const info = METADATA_ERRORS.metadata_unreadable;
    return { ok: false, error: { code: 'metadata_unreadable', message: info.message, remedy: info.remedy } };
  }
}

/**
 * Reads one certificate for the manual path: PEM (with or without the BEGIN/END lines), base64
 * with any line breaks or spaces, or the DER bytes of a binary `.cer` file.
 *
 * Never throws or rejects: returns `{ ok: true, certificate, warnings }` or `{ ok: false, error }`
 * with a code from {@link CERTIFICATE_ERRORS}.
 */
export async function parseCertificate(input: string | Uint8Array | ArrayBuffer, options: ParseCertificateOptions = {}): Promise<CertificateResult> {
  try {
    const reader = await loadReader();
    return reader.readCertificate(input, options ?? {});
  } catch {
    const info = CERTIFICATE_ERRORS.certificate_unreadable;
    return { ok: false, error: { code: 'certificate_unreadable', message: info.message, remedy: info.remedy } };
  }
}

/** A reader's item: a metadata or certificate error, or a warning. */
interface ReaderSaid {
  code: string;
  message: string;
  remedy?: string;
}

/**
 * @internal `item` in the words of its code, in the language shown now: the tables' message (and
 * remedy, where the item has one) in place of its own; as it is for a code the tables do not know
 * (another backend's). Also used by the portal after a language switch (`portal/wizard/reader-words.ts`).
 */
export function inWordsOfCode<T extends ReaderSaid>(item: T): T {
  const info = codeInfo(item.code);
  return info ? { ...item, message: info.message, ...(item.remedy === undefined ? {} : { remedy: info.remedy }) } : item;
}

function codeInfo(code: string): CodeInfo | undefined {
  for (const table of [METADATA_ERRORS, CERTIFICATE_ERRORS, METADATA_WARNINGS] as Record<string, CodeInfo>[]) {
    if (Object.hasOwn(table, code)) return table[code];
  }
  return undefined;
}

/**
 * @internal `adapters/read-metadata.ts`: a result read by a backend, which words it in English, in the language shown: for each code we
 * know, our message (and remedy) in place of the backend's. While English is shown, the backend's
 * words stay: they are more precise (the line, the entity, the certificate).
 */
export function inShownLanguage(result: MetadataResult): MetadataResult {
  // Ours for a known code when the language shown is not English (where the two words differ).
  const ours = <T extends ReaderSaid>(item: T): T => {
    const info = codeInfo(item.code);
    return !info || info.message === inEnglish(() => info.message) ? item : inWordsOfCode(item);
  };
  return result.ok ? { ...result, warnings: result.warnings.map(ours) } : { ok: false, error: ours(result.error) };
}

/**
 * When the first of these certificates expires (what the connection rules take as
 * `certificateExpiresAt`); null when none can be read.
 */
export async function firstCertificateExpiry(pems: readonly string[]): Promise<string | null> {
  const ends: string[] = [];
  for (const pem of pems) {
    const result = await parseCertificate(pem);
    if (result.ok) ends.push(result.certificate.notAfter);
  }
  return ends.sort()[0] ?? null;
}
