/**
 * What a test login result means for the admin: a headline, what the failure means, what to
 * change in *their* identity provider's console, the expected and received values side by side,
 * and where the attribute mapping does not fit what the IdP sent.
 *
 * Pure: no DOM, no Lit. The `<sso-test-result>` element renders what {@link diagnoseTest}
 * returns; a backend or a CLI can use it as well.
 *
 * ## `TestError.details`: the keys a backend should send
 *
 * `TestResult.error.details` is an open record. {@link diagnoseTest} turns the keys below into
 * labelled rows of expected and received values, in this order; any other key with a plain
 * value (text, number, boolean, or a list of those) becomes an extra row named after the key,
 * unless it looks like a secret (`secret`, `password`, `token`, `key`, `assertion`,
 * `signatureValue`, `samlResponse`, ...), which is never shown. Values are plain text; times are
 * ISO 8601 date-times; fingerprints are SHA-256, hex pairs separated by colons.
 *
 * | keys | for | meaning |
 * | --- | --- | --- |
 * | `expectedAudience` / `receivedAudience` | `audience_mismatch` | our entity ID (OIDC: client ID) / the Audience(s) in the assertion (OIDC: `aud`) |
 * | `expectedDestination` / `receivedDestination` | `destination_mismatch` | our ACS URL (OIDC: redirect URI) / the response's Destination |
 * | `expectedRecipient` / `receivedRecipient` | `destination_mismatch` | our ACS URL / the SubjectConfirmationData Recipient |
 * | `expectedIssuer` / `receivedIssuer` | `issuer_mismatch`, `oidc_issuer_mismatch` | the configured IdP entity ID or issuer / the Issuer (OIDC: `iss`) received |
 * | `issueInstant`, `notBefore`, `notOnOrAfter` | `assertion_expired`, `assertion_not_yet_valid` | the assertion's times (OIDC: `iat`, `nbf`, `exp`) |
 * | `serverTime` | same | our clock when the response arrived |
 * | `skewSeconds` | same | the IdP's clock minus ours, in seconds (positive: the IdP is ahead) |
 * | `allowedSkewSeconds` | same | the clock difference we tolerate |
 * | `expectedFingerprints` / `receivedFingerprint` | `certificate_mismatch`, `signature_invalid` | the configured signing certificates / the one that signed |
 * | `expectedKeyIds` / `receivedKeyId` | `certificate_mismatch` (OIDC) | the `kid`s of the IdP's published keys / the token's `kid` |
 * | `signatureAlgorithm` | `signature_invalid`, `response_unsigned` | the algorithm URI of the signature |
 * | `reason` | any | what the check found, in plain words |
 * | `expectedAttribute` / `receivedAttributeNames` | `missing_email` | the mapped email attribute / the names that did arrive |
 * | `receivedNameIdFormat` | `missing_email` (SAML) | the Format of the NameID received (absent: it had none) |
 * | `idpStatus`, `idpSubStatus`, `idpStatusMessage` | `idp_error`, `user_denied` | the SAML StatusCode URIs and StatusMessage |
 * | `idpErrorCode` | any | the IdP's own error code, e.g. `AADSTS50105` |
 * | `oidcError`, `oidcErrorDescription` | `oidc_*`, `user_denied`, `idp_error` | the OAuth `error` and `error_description` |
 * | `clientId`, `tokenEndpoint` | `oidc_invalid_client` | the client ID used and where it was sent (never the secret) |
 * | `waitedSeconds` | `timeout` | how long we waited |
 *
 * `simulated: true` (set by simulated backends) is not shown.
 */
import type { AttributeMapping, Protocol, ServiceProvider, TestResult, TestStatus, TestWarning } from './model.js';
import { builtInTestRemedies } from './providers/test-remedies.js';
import type { ProviderDefinition, SpValueKey } from './providers/types.js';
import { TEST_FAILURES, TEST_WARNINGS, isTestFailureCode, type TestWarningCode } from './test-failures.js';
import { inEnglish, msg } from './text.js';
import { plural, str } from './text-forms.js';
import { testFailureTitle, testFailureTitles, testWarningTitle, testWarningTitles } from './test-titles.js';

const isTestWarningCode = (code: string): code is TestWarningCode => Object.hasOwn(TEST_WARNINGS, code);

// ---------------------------------------------------------------------------------------
// Types

export type ProfileField = keyof AttributeMapping;

export interface DiagnosisContext {
  /** The catalog entry of the connection's IdP; without it, remedies are the generic ones. */
  provider?: ProviderDefinition;
  protocol: Protocol;
  /** The connection's attribute mapping: which attribute carries each profile field. */
  mapping: AttributeMapping;
  /** Our SP values, to show the one to paste (audience, destination). */
  serviceProvider?: ServiceProvider;
}

/** How a detail value is best shown: plain text, code (URIs, fingerprints), or a date-time. */
export type DetailFormat = 'text' | 'code' | 'time';

/** One row of the expected-versus-received table. Lists hold one value per entry. */
export interface DetailRow {
  /** The `details` key(s) the row comes from, e.g. `audience` for expectedAudience/receivedAudience. */
  key: string;
  label: string;
  expected?: string[];
  received?: string[];
  format: DetailFormat;
  /** True when expected and received are both present and differ. */
  mismatch?: boolean;
}

export interface MappingGap {
  field: ProfileField;
  /** What is wrong and what to do; may contain `**UI label**` markup (the provider's hint). */
  message: string;
  /** `required`: the email, without which users cannot sign in; `optional`: other fields. */
  severity: 'required' | 'optional';
  /** The attribute name mapped for the field, when there is one. */
  mapped?: string;
  /** A received attribute that looks like the field: use it as the mapped name. */
  suggestion?: string;
}

/** Our value the admin pastes into the IdP console to fix this failure. */
export interface SpValueHint {
  key: SpValueKey;
  label: string;
  value: string;
}

/** Something a successful test shows that real sign-ins still need (`TestResult.warnings`). */
export interface WarningDiagnosis {
  code: string;
  /** Short name: "Domain not verified". */
  title: string;
  /** What it means for sign-ins. */
  message: string;
  /** What to do. `**UI label**` markup. */
  remedy: string;
  /** Values from the warning's `details` (the email's domain, the verified domains). */
  details: DetailRow[];
}

export interface TestDiagnosis {
  status: TestStatus;
  /** The failure code; absent for successes and pending tests. */
  code?: string;
  /** Short name of the outcome: "Wrong audience (entity ID)", "Login worked". */
  title: string;
  /** One sentence for the heading: "The test login worked", "The test login failed". */
  headline: string;
  /** What happened, in plain words. */
  meaning: string;
  /** What to change: the provider's console-specific advice when it has one, else the generic remedy. `**UI label**` markup. */
  remedy: string;
  remedySource: 'provider' | 'generic' | 'none';
  /** The value to paste for audience and destination problems. */
  spValue?: SpValueHint;
  /** IdP-initiated tests that timed out: how to start the login from this IdP (its `idpInitiatedTest`). */
  idpLaunch?: string;
  /** Expected and received values from `error.details`. */
  details: DetailRow[];
  /** Profile fields the mapping did not find in what arrived (successes and `missing_email`). */
  mappingGaps: MappingGap[];
  /** Successes: what real sign-ins still need (a verified domain). Empty otherwise. */
  warnings: WarningDiagnosis[];
}

export interface ProfileSummary {
  email?: string;
  /** First and last name, when either arrived. */
  name?: string;
  subject?: string;
  groups: string[];
  /** One plain sentence: "Ada Lovelace (ada@megacorp.example), in 2 groups." Empty without a profile. */
  text: string;
}

// ---------------------------------------------------------------------------------------
// Titles

// One name per code everywhere (result, history, overview, announcements): see `test-titles.ts`.
export { testFailureTitle, testWarningTitle } from './test-titles.js';

/** The codes' names in English, as before the portal spoke other languages (`testFailureTitle(code)`: in the language shown). */
export const TEST_FAILURE_TITLES = Object.freeze(inEnglish(testFailureTitles));
/** The warnings' names in English (`testWarningTitle(code)`: in the language shown). */
export const TEST_WARNING_TITLES = Object.freeze(inEnglish(testWarningTitles));

/** The profile fields' names, in the language shown. */
export const fieldLabels = (): Readonly<Record<ProfileField, string>> => ({
  email: msg('Email'),
  firstName: msg('First name'),
  lastName: msg('Last name'),
  groups: msg('Groups'),
});

/** The profile fields' names in English (`fieldLabels()`: in the language shown). */
export const FIELD_LABELS = Object.freeze(inEnglish(() => fieldLabels()));

export const FIELDS: readonly ProfileField[] = ['email', 'firstName', 'lastName', 'groups'];

/** "the first name attribute", "the groups claim": what the sentences about a mapping name. */
function fieldNoun(field: ProfileField, protocol: Protocol): string {
  const oidc = protocol === 'oidc';
  switch (field) {
    case 'email':
      return oidc ? msg('email claim') : msg('email attribute');
    case 'firstName':
      return oidc ? msg('first name claim') : msg('first name attribute');
    case 'lastName':
      return oidc ? msg('last name claim') : msg('last name attribute');
    default:
      return oidc ? msg('groups claim') : msg('groups attribute');
  }
}

// ---------------------------------------------------------------------------------------
// Details

interface DetailSpec {
  key: string;
  label: string | ((protocol: Protocol) => string);
  expected?: string;
  received?: string;
  format: DetailFormat;
  /** Turns a number into text (seconds into "7 minutes"). */
  number?: (value: number) => string;
}

const minutes = (seconds: number): string => {
  const abs = Math.abs(seconds);
  if (abs < 90) {
    const s = Math.round(abs);
    return plural(s, { one: () => msg(str`${s} second`), other: () => msg(str`${s} seconds`) });
  }
  const m = Math.round(abs / 60);
  return plural(m, { one: () => msg(str`${m} minute`), other: () => msg(str`${m} minutes`) });
};

const skewText = (seconds: number): string => {
  const by = minutes(seconds);
  return seconds === 0 ? msg('none') : seconds > 0 ? msg(str`${by} ahead of ours`) : msg(str`${by} behind ours`);
};

const byProtocol = (saml: string, oidc: string) => (protocol: Protocol) => (protocol === 'oidc' ? oidc : saml);

/** The known keys, in display order (a function: the labels are in the language shown). */
const detailSpecs = (): readonly DetailSpec[] => [
  { key: 'audience', label: byProtocol(msg('Audience'), msg('Audience (aud)')), expected: 'expectedAudience', received: 'receivedAudience', format: 'code' },
  { key: 'destination', label: byProtocol(msg('Destination (ACS URL)'), msg('Redirect URI')), expected: 'expectedDestination', received: 'receivedDestination', format: 'code' },
  { key: 'recipient', label: msg('Recipient'), expected: 'expectedRecipient', received: 'receivedRecipient', format: 'code' },
  { key: 'issuer', label: byProtocol(msg('Issuer (IdP entity ID)'), msg('Issuer (iss)')), expected: 'expectedIssuer', received: 'receivedIssuer', format: 'code' },
  { key: 'issueInstant', label: byProtocol(msg('Issued at (IssueInstant)'), msg('Issued at (iat)')), received: 'issueInstant', format: 'time' },
  { key: 'notBefore', label: byProtocol(msg('Valid from (NotBefore)'), msg('Valid from (nbf)')), received: 'notBefore', format: 'time' },
  { key: 'notOnOrAfter', label: byProtocol(msg('Valid until (NotOnOrAfter)'), msg('Expires (exp)')), received: 'notOnOrAfter', format: 'time' },
  { key: 'serverTime', label: msg('Our clock when it arrived'), expected: 'serverTime', format: 'time' },
  { key: 'skewSeconds', label: msg('Identity provider’s clock'), received: 'skewSeconds', format: 'text', number: skewText },
  { key: 'allowedSkewSeconds', label: msg('Clock difference we accept'), expected: 'allowedSkewSeconds', format: 'text', number: (s) => {
      const up = minutes(s);
      return msg(str`up to ${up}`);
    } },
  { key: 'fingerprint', label: msg('Signing certificate (SHA-256)'), expected: 'expectedFingerprints', received: 'receivedFingerprint', format: 'code' },
  { key: 'keyId', label: msg('Signing key ID (kid)'), expected: 'expectedKeyIds', received: 'receivedKeyId', format: 'code' },
  { key: 'inResponseTo', label: msg('Request ID (InResponseTo)'), expected: 'expectedInResponseTo', received: 'receivedInResponseTo', format: 'code' },
  { key: 'emailDomain', label: msg('Email domain'), expected: 'allowedDomains', received: 'emailDomain', format: 'code' },
  { key: 'emailVerified', label: msg('Email verified (email_verified)'), received: 'emailVerified', format: 'text' },
  { key: 'signatureAlgorithm', label: msg('Signature algorithm'), received: 'signatureAlgorithm', format: 'code' },
  { key: 'attribute', label: msg('Email attribute'), expected: 'expectedAttribute', received: 'receivedAttributeNames', format: 'code' },
  { key: 'nameIdFormat', label: msg('NameID format'), received: 'receivedNameIdFormat', format: 'code' },
  { key: 'idpStatus', label: msg('Status'), received: 'idpStatus', format: 'code' },
  { key: 'idpSubStatus', label: msg('Detailed status'), received: 'idpSubStatus', format: 'code' },
  { key: 'idpStatusMessage', label: msg('Status message'), received: 'idpStatusMessage', format: 'text' },
  { key: 'idpErrorCode', label: msg('Identity provider error code'), received: 'idpErrorCode', format: 'code' },
  { key: 'oidcError', label: msg('Error'), received: 'oidcError', format: 'code' },
  { key: 'oidcErrorDescription', label: msg('Error description'), received: 'oidcErrorDescription', format: 'text' },
  { key: 'clientId', label: msg('Client ID'), expected: 'clientId', format: 'code' },
  { key: 'tokenEndpoint', label: msg('Token endpoint'), expected: 'tokenEndpoint', format: 'code' },
  { key: 'waitedSeconds', label: msg('Waited'), received: 'waitedSeconds', format: 'text', number: minutes },
  { key: 'reason', label: msg('What the check found'), received: 'reason', format: 'text' },
];

const KNOWN_KEYS = new Set<string>(['simulated', ...detailSpecs().flatMap((s) => [s.expected, s.received].filter((k): k is string => !!k))]);

/** Keys never shown, whatever a backend sends. */
const SECRET_KEY = /secret|passw|private|credential|cookie|session|assertion|signaturevalue|samlresponse|samlrequest|verifier|apikey|key$|token(?!endpoint)|^code$/;
const isSecretKey = (key: string) => SECRET_KEY.test(key.toLowerCase().replace(/[^a-z0-9]/g, ''));

const MAX_VALUE = 2048;
const MAX_VALUES = 50;

function clip(text: string): string {
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text;
}

/** A detail value as a list of display strings; undefined for anything that is not plain data. */
function values(raw: unknown, number?: (n: number) => string): string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string') return raw === '' ? undefined : [clip(raw)];
  if (typeof raw === 'number') return Number.isFinite(raw) ? [number ? number(raw) : String(raw)] : undefined;
  if (typeof raw === 'boolean') return [raw ? msg('yes') : msg('no')];
  if (Array.isArray(raw)) {
    const list = raw.flatMap((item) => (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean' ? (values(item, number) ?? []) : []));
    return list.length ? list.slice(0, MAX_VALUES) : undefined;
  }
  return undefined;
}

/** `expectedFooBar` -> "Expected foo bar"; `idp_trace` -> "Idp trace". */
function humanizeKey(key: string): string {
  const words = key
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A check passes when one received value is an expected one (an assertion may name several audiences). */
function anyExpected(expected: string[], received: string[]): boolean {
  return received.some((value) => expected.includes(value));
}

/**
 * The rows of the expected-versus-received table for `details`: the documented keys first, in
 * a fixed order, then any other plain value; secret-looking keys and objects are left out.
 */
export function detailRows(details: Record<string, unknown> | undefined, protocol: Protocol): DetailRow[] {
  if (!details || typeof details !== 'object') return [];
  const rows: DetailRow[] = [];
  for (const spec of detailSpecs()) {
    const expected = spec.expected ? values(details[spec.expected], spec.number) : undefined;
    const received = spec.received ? values(details[spec.received], spec.number) : undefined;
    if (!expected && !received) continue;
    const label = typeof spec.label === 'function' ? spec.label(protocol) : spec.label;
    const row: DetailRow = { key: spec.key, label, format: spec.format };
    if (expected) row.expected = expected;
    if (received) row.received = received;
    if (expected && received && spec.key !== 'attribute') row.mismatch = !anyExpected(expected, received);
    rows.push(row);
  }
  for (const [key, raw] of Object.entries(details)) {
    if (KNOWN_KEYS.has(key) || isSecretKey(key)) continue;
    const received = values(raw);
    if (received) rows.push({ key, label: humanizeKey(key), received, format: 'text' });
  }
  return rows;
}

// ---------------------------------------------------------------------------------------
// Mapping gaps

/** Attribute names (lower case, letters and digits only) that usually carry each field. */
const LOOKALIKES: Readonly<Record<ProfileField, readonly string[]>> = {
  email: ['email', 'mail', 'emailaddress', 'emailaddr', 'primaryemail', 'useremail', 'e_mail', 'emails'],
  firstName: ['firstname', 'givenname', 'given_name', 'fname', 'first', 'forename'],
  lastName: ['lastname', 'surname', 'sn', 'familyname', 'family_name', 'lname', 'last'],
  groups: ['groups', 'group', 'memberof', 'ismemberof', 'groupmembership', 'roles', 'role'],
};

/** Well-known attribute OIDs (LDAP/eduPerson) and what they carry. */
const OIDS: Readonly<Record<string, ProfileField>> = {
  '0.9.2342.19200300.100.1.3': 'email',
  '2.5.4.42': 'firstName',
  '2.5.4.4': 'lastName',
  '1.3.6.1.4.1.5923.1.5.1.1': 'groups',
};

const fold = (name: string) => name.toLowerCase().replace(/[^a-z0-9_]/g, '').replace(/_/g, '');

/** What field a raw attribute name looks like, from its last segment (URIs, `user.email`, OIDs). */
function fieldOf(name: string): ProfileField | undefined {
  const oid = /(?:^|:)((?:\d+\.)+\d+)$/.exec(name)?.[1];
  if (oid && OIDS[oid]) return OIDS[oid];
  const last = name.split(/[/#:.]/).filter(Boolean).at(-1) ?? name;
  const folded = fold(last);
  return FIELDS.find((field) => LOOKALIKES[field].some((alias) => fold(alias) === folded));
}

const looksLikeEmail = (value: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim());

function hasValue(raw: Record<string, string[]>, name: string): boolean {
  return Object.hasOwn(raw, name) && (raw[name] ?? []).some((v) => v.trim() !== '');
}

/** A received attribute to use for `field`: same name in another case, a lookalike name, or (email) a value that is an address. */
function suggestFor(field: ProfileField, raw: Record<string, string[]>, taken: ReadonlySet<string>, mapped?: string): string | undefined {
  const names = Object.keys(raw).filter((name) => !taken.has(name) && hasValue(raw, name));
  if (mapped) {
    const sameName = names.find((name) => name.toLowerCase() === mapped.toLowerCase());
    if (sameName) return sameName;
  }
  const lookalike = names.find((name) => fieldOf(name) === field);
  if (lookalike) return lookalike;
  if (field === 'email') return names.find((name) => (raw[name] ?? []).some(looksLikeEmail));
  return undefined;
}

const code = (name: string) => `“${name}”`;

/**
 * The profile fields that the mapping did not find in `rawAttributes`, with what to do: use a
 * received attribute that looks right, or the provider's hint on where it sends the field.
 * Also notes optional fields left unmapped although the IdP sent a lookalike.
 */
export function mappingGaps(
  rawAttributes: Record<string, string[]>,
  mapping: AttributeMapping,
  protocol: Protocol,
  provider?: ProviderDefinition,
): MappingGap[] {
  const raw = rawAttributes ?? {};
  const hints = provider?.attributeHints?.[protocol] ?? {};
  const who = provider?.name ?? msg('the identity provider');
  const Who = provider?.name ?? msg('The identity provider');
  const labels = fieldLabels();
  const taken = new Set(FIELDS.map((f) => mapping[f]).filter((n): n is string => !!n && hasValue(raw, n)));
  const gaps: MappingGap[] = [];
  for (const field of FIELDS) {
    const mapped = mapping[field]?.trim() || undefined;
    const label = labels[field];
    const noun = fieldNoun(field, protocol);
    const severity = field === 'email' ? 'required' : 'optional';
    if (mapped && hasValue(raw, mapped)) continue;
    const suggestion = suggestFor(field, raw, taken, mapped);
    if (!mapped) {
      if (field === 'email' || !suggestion) continue;
      const sent = code(suggestion);
      gaps.push({
        field,
        severity,
        suggestion,
        message: msg(str`${label} is not mapped, but ${who} sent ${sent}. To use it, enter it as the ${noun} in the attributes step.`),
      });
      continue;
    }
    const name = code(mapped);
    const missing =
      field === 'email'
        ? msg(str`The ${noun} ${name} was not sent, so users cannot be matched by email.`)
        : field === 'groups'
          ? msg(str`${label}: the ${noun} ${name} was not sent (optional: users may have no groups).`)
          : msg(str`${label}: the ${noun} ${name} was not sent (optional).`);
    const sent = suggestion ? code(suggestion) : '';
    let advice: string;
    if (suggestion && suggestion.toLowerCase() === mapped.toLowerCase()) {
      advice = msg(str`${Who} sent ${sent}: names are case-sensitive, so enter it exactly like that in the attributes step.`);
    } else if (suggestion) {
      advice = msg(str`${Who} sent ${sent}: use it as the ${noun} in the attributes step?`);
    } else if (hints[field]) {
      advice = hints[field];
    } else {
      advice = msg(str`Add it in the settings of ${who} for this application, or correct the name in the attributes step.`);
    }
    gaps.push({ field, severity, mapped, ...(suggestion ? { suggestion } : {}), message: `${missing} ${advice}` });
  }
  return gaps;
}

// ---------------------------------------------------------------------------------------
// Diagnosis

function spValueFor(code: string, protocol: Protocol, sp?: ServiceProvider): SpValueHint | undefined {
  if (!sp) return undefined;
  if (code === 'audience_mismatch' && protocol === 'saml') return { key: 'entityId', label: msg('Our Entity ID'), value: sp.entityId };
  if (code === 'destination_mismatch') {
    return protocol === 'oidc'
      ? { key: 'oidcRedirectUri', label: msg('Our redirect URI'), value: sp.oidcRedirectUri }
      : { key: 'acsUrl', label: msg('Our ACS URL'), value: sp.acsUrl };
  }
  return undefined;
}

/** An IdP-initiated test has no login window: the admin starts the login at the IdP. */
const idpTimeoutRemedy = () =>
  msg('Start the test again, then start the login from your identity provider while this page waits: the response must reach our ACS URL within a few minutes.');

/**
 * The provider's console-specific remedy for a code, if it has one: a built-in provider's once
 * loaded (`loadTestRemedies`), or the provider's own `testRemedies`.
 */
export function providerRemedy(provider: ProviderDefinition | undefined, protocol: Protocol, code: string): string | undefined {
  if (!provider || !isTestFailureCode(code)) return undefined;
  return (builtInTestRemedies(provider.id) ?? provider.testRemedies)?.[protocol]?.[code];
}

/**
 * Everything the result view shows about `result`: headline, meaning, the remedy for this
 * provider and protocol (or the generic one), expected-versus-received rows, mapping gaps.
 * A built-in provider's own remedies count once loaded: `await loadTestRemedies(provider.id)` first.
 */
export function diagnoseTest(result: TestResult, ctx: DiagnosisContext): TestDiagnosis {
  const { provider, protocol, mapping, serviceProvider } = ctx;
  const raw = result.rawAttributes ?? {};
  if (result.status === 'pending') {
    return {
      status: 'pending',
      title: msg('Waiting'),
      headline: msg('Waiting for the test login'),
      meaning: msg('No result has arrived yet.'),
      remedy: '',
      remedySource: 'none',
      details: [],
      mappingGaps: [],
      warnings: [],
    };
  }
  if (result.status === 'success') {
    return {
      status: 'success',
      title: msg('Login worked'),
      headline: msg('The test login worked'),
      meaning: provider ? msg(str`${provider.name} signed the user in and we accepted the response.`) : msg('The identity provider signed the user in and we accepted the response.'),
      remedy: '',
      remedySource: 'none',
      details: detailRows(result.error?.details, protocol),
      mappingGaps: mappingGaps(raw, mapping, protocol, provider),
      warnings: (result.warnings ?? []).map((warning) => diagnoseWarning(warning, protocol)),
    };
  }
  const error = result.error;
  const code = error?.code ?? '';
  const known = isTestFailureCode(code);
  const own = providerRemedy(provider, protocol, code);
  const idpTimeout = code === 'timeout' && result.mode === 'idp';
  // Our words for a code we know, in the language shown; the server's (English) only for others.
  const generic = idpTimeout ? idpTimeoutRemedy() : known ? TEST_FAILURES[code].remedy : error?.remedy;
  const details = detailRows(error?.details, protocol);
  const genericMessage = known ? TEST_FAILURES[code].message : undefined;
  // The server's message where it says more than ours (it speaks English: compared with our English).
  if (error?.message && known && error.message.trim() !== inEnglish(() => TEST_FAILURES[code].message)) {
    details.push({ key: 'message', label: msg('What the server reported'), received: [clip(error.message)], format: 'text' });
  }
  const spValue = spValueFor(code, protocol, serviceProvider);
  const idpLaunch = idpTimeout ? provider?.idpInitiatedTest?.[protocol] : undefined;
  return {
    status: 'failure',
    ...(code ? { code } : {}),
    title: testFailureTitle(code),
    headline: msg('The test login failed'),
    meaning: genericMessage ?? error?.message ?? msg('The server reported no reason.'),
    remedy: own ?? generic ?? msg('Check the configuration in your identity provider, then test again.'),
    remedySource: own ? 'provider' : 'generic',
    ...(spValue ? { spValue } : {}),
    ...(idpLaunch ? { idpLaunch } : {}),
    details,
    mappingGaps: code === 'missing_email' ? mappingGaps(raw, mapping, protocol, provider) : [],
    warnings: [],
  };
}

/** A warning of a successful test, explained: our words for a known code (in the language shown), the backend's otherwise. */
function diagnoseWarning(warning: TestWarning, protocol: Protocol): WarningDiagnosis {
  const known = isTestWarningCode(warning.code) ? TEST_WARNINGS[warning.code] : undefined;
  return {
    code: warning.code,
    title: testWarningTitle(warning.code),
    message: known?.message ?? (warning.message?.trim() || msg('Sign-ins may not work yet.')),
    remedy: known?.remedy ?? (warning.remedy?.trim() || ''),
    details: detailRows(warning.details, protocol),
  };
}

/** Who signed in, for the result view and the portal's announcement. */
export function summarizeProfile(result: Pick<TestResult, 'profile'>): ProfileSummary {
  const profile = result.profile;
  if (!profile) return { groups: [], text: '' };
  const name = [profile.firstName, profile.lastName].filter(Boolean).join(' ') || undefined;
  const groups = [...(profile.groups ?? [])];
  const who = name && profile.email ? `${name} (${profile.email})` : (name ?? profile.email ?? profile.subject ?? msg('An unnamed user'));
  const n = groups.length;
  return {
    ...(profile.email ? { email: profile.email } : {}),
    ...(name ? { name } : {}),
    ...(profile.subject ? { subject: profile.subject } : {}),
    groups,
    text: n ? plural(n, { one: () => msg(str`${who}, in ${n} group.`), other: () => msg(str`${who}, in ${n} groups.`) }) : `${who}.`,
  };
}
