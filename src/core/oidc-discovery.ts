/**
 * Checking an OpenID Connect provider's discovery document
 * (`/.well-known/openid-configuration`) before a connection is saved, and finding where it is.
 *
 * - {@link discoveryUrlFor}: an issuer, or the full discovery URL, to `{ issuer, discoveryUrl }`.
 * - {@link checkOidcDiscovery}: the document against the issuer the admin entered: the issuer
 *   matches exactly, the endpoints we need are there and use https (plain http only on this
 *   machine: localhost, 127.0.0.0/8, [::1]), the code flow and PKCE S256 are offered.
 *
 * Never throws: results carry a stable code from {@link OIDC_DISCOVERY_ERRORS} or
 * {@link OIDC_DISCOVERY_WARNINGS} with a plain-language message, in the language shown (core's
 * `msg`: English on the server). Pure and synchronous.
 */
import { isSecureOrLoopback, parseHttpUrl } from './loopback.js';
import { msg } from './text.js';
import { list, str } from './text-forms.js';

interface CodeInfo {
  readonly message: string;
  readonly remedy: string;
}

const WELL_KNOWN = '/.well-known/openid-configuration';

/** Why a discovery document or issuer was refused. */
export const OIDC_DISCOVERY_ERRORS = {
  oidc_discovery_url_invalid: {
    get message() {
      return msg('This is not a valid issuer URL.');
    },
    get remedy() {
      return msg('Enter the issuer URL from your identity provider’s console, starting with https://, for example https://your-company.okta.com.');
    },
  },
  oidc_discovery_url_not_http: {
    get message() {
      return msg('The issuer URL must start with https:// (or http:// for a provider on this machine).');
    },
    get remedy() {
      return msg('Copy the issuer URL from your identity provider’s console, starting with https://.');
    },
  },
  oidc_discovery_not_json: {
    get message() {
      return msg('The OpenID configuration is not valid JSON.');
    },
    get remedy() {
      return msg('Check the issuer URL: its /.well-known/openid-configuration address must return the provider’s JSON configuration, not a web page.');
    },
  },
  oidc_discovery_not_object: {
    get message() {
      return msg('The OpenID configuration is not a JSON object.');
    },
    get remedy() {
      return msg('Check the issuer URL: its /.well-known/openid-configuration address must return the provider’s JSON configuration.');
    },
  },
  oidc_discovery_issuer_missing: {
    get message() {
      return msg('The OpenID configuration has no issuer.');
    },
    get remedy() {
      return msg('Check that the URL points at an OpenID Connect provider (not a plain OAuth server or another API).');
    },
  },
  oidc_discovery_issuer_mismatch: {
    get message() {
      return msg('The issuer in the OpenID configuration is not exactly the one entered.');
    },
    get remedy() {
      return msg('Use the issuer exactly as your identity provider publishes it: logins are checked against it character for character.');
    },
  },
  oidc_discovery_issuer_template: {
    get message() {
      return msg('This is a multi-tenant address whose issuer is a template ({tenantid}), so logins from it cannot be checked.');
    },
    get remedy() {
      return msg('Use your own tenant’s issuer: for Microsoft Entra ID, https://login.microsoftonline.com/<your tenant ID>/v2.0 (the tenant ID is on the Entra admin center’s Overview page).');
    },
  },
  oidc_discovery_endpoint_missing: {
    get message() {
      return msg('The OpenID configuration lacks an endpoint that sign-in needs.');
    },
    get remedy() {
      return msg('Check that the issuer is an OpenID Connect provider with the authorization code flow enabled; some consoles show several issuers, use the one for OpenID Connect.');
    },
  },
  oidc_discovery_endpoint_invalid: {
    get message() {
      return msg('An endpoint in the OpenID configuration is not a valid http(s) URL.');
    },
    get remedy() {
      return msg('Contact your identity provider’s administrator: its OpenID configuration is broken.');
    },
  },
  oidc_discovery_endpoint_insecure: {
    get message() {
      return msg('An endpoint uses plain http://, which is allowed only for a provider on this machine.');
    },
    get remedy() {
      return msg('Use the https:// issuer of your identity provider.');
    },
  },
  oidc_discovery_code_flow_unsupported: {
    get message() {
      return msg('The provider does not offer the authorization code flow (response type “code”), which sign-in uses.');
    },
    get remedy() {
      return msg('Enable the authorization code flow for this application in your identity provider.');
    },
  },
  oidc_discovery_pkce_unsupported: {
    get message() {
      return msg('The provider lists PKCE methods but not S256, which sign-in uses.');
    },
    get remedy() {
      return msg('Enable PKCE with S256 for this application in your identity provider.');
    },
  },
} as const satisfies Record<string, CodeInfo>;

export type OidcDiscoveryErrorCode = keyof typeof OIDC_DISCOVERY_ERRORS;
export const OIDC_DISCOVERY_ERROR_CODES = Object.keys(OIDC_DISCOVERY_ERRORS) as OidcDiscoveryErrorCode[];

/** Things that do not block, but that the admin (or the host's developers) should know. */
export const OIDC_DISCOVERY_WARNINGS = {
  oidc_discovery_pkce_not_advertised: {
    get message() {
      return msg('The provider does not say whether it supports PKCE; sign-in uses PKCE S256, which most providers accept.');
    },
    get remedy() {
      return msg('If the test login fails with an error about code_challenge, enable PKCE for this application.');
    },
  },
  oidc_discovery_no_userinfo: {
    get message() {
      return msg('The provider has no userinfo endpoint; the profile comes from the ID token only.');
    },
    get remedy() {
      return msg('Make sure the ID token carries the email claim (check the test login’s received attributes).');
    },
  },
  oidc_discovery_no_id_token_algorithms: {
    get message() {
      return msg('The configuration does not list ID token signing algorithms: it may be an OAuth server, not an OpenID Connect provider.');
    },
    get remedy() {
      return msg('Check that you entered the OpenID Connect issuer of your identity provider.');
    },
  },
  oidc_discovery_no_asymmetric_signing: {
    get message() {
      return msg('The provider signs ID tokens only with shared-secret (HS*) algorithms or none.');
    },
    get remedy() {
      return msg('Configure the application in your identity provider to sign ID tokens with RS256 or ES256.');
    },
  },
  oidc_discovery_openid_scope_missing: {
    get message() {
      return msg('The provider does not list the “openid” scope.');
    },
    get remedy() {
      return msg('Check that you entered the OpenID Connect issuer of your identity provider.');
    },
  },
} as const satisfies Record<string, CodeInfo>;

export type OidcDiscoveryWarningCode = keyof typeof OIDC_DISCOVERY_WARNINGS;
export const OIDC_DISCOVERY_WARNING_CODES = Object.keys(OIDC_DISCOVERY_WARNINGS) as OidcDiscoveryWarningCode[];

export interface OidcDiscoveryError {
  code: OidcDiscoveryErrorCode;
  message: string;
  remedy: string;
  /** The document member concerned (`issuer`, `token_endpoint`, ...). */
  field?: string;
  /** oidc_discovery_endpoint_missing: every required member that is missing. */
  fields?: string[];
  /** oidc_discovery_issuer_mismatch / _template: the two issuers. */
  expectedIssuer?: string;
  actualIssuer?: string;
  /** oidc_discovery_issuer_mismatch: why they differ, when we can tell. */
  reason?: 'trailing_slash' | 'case' | 'different';
  /** oidc_discovery_url_invalid: what was probably meant (the input with https:// added). */
  suggestion?: string;
}

export interface OidcDiscoveryWarning {
  code: OidcDiscoveryWarningCode;
  message: string;
}

/** What sign-in needs from the discovery document, in camelCase. */
export interface OidcDiscovery {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
  userinfoEndpoint?: string;
  endSessionEndpoint?: string;
  scopesSupported?: string[];
  responseTypesSupported?: string[];
  claimsSupported?: string[];
  idTokenSigningAlgValuesSupported?: string[];
  tokenEndpointAuthMethodsSupported?: string[];
  codeChallengeMethodsSupported?: string[];
  /** The provider advertises PKCE with S256. False when it advertises nothing (see the warning). */
  pkceS256: boolean;
}

export type OidcDiscoveryResult =
  | { ok: true; discovery: OidcDiscovery; warnings: OidcDiscoveryWarning[] }
  | { ok: false; error: OidcDiscoveryError };

export type DiscoveryUrlResult = { ok: true; issuer: string; discoveryUrl: string } | { ok: false; error: OidcDiscoveryError };

export function isOidcDiscoveryErrorCode(value: unknown): value is OidcDiscoveryErrorCode {
  return typeof value === 'string' && Object.hasOwn(OIDC_DISCOVERY_ERRORS, value);
}

function fail(code: OidcDiscoveryErrorCode, extra: Partial<Omit<OidcDiscoveryError, 'code' | 'remedy'>> = {}): { ok: false; error: OidcDiscoveryError } {
  const info: CodeInfo = OIDC_DISCOVERY_ERRORS[code];
  const { message, ...rest } = extra;
  return { ok: false, error: { code, message: message ?? info.message, remedy: info.remedy, ...rest } };
}

function warn(code: OidcDiscoveryWarningCode, message?: string): OidcDiscoveryWarning {
  return { code, message: message ?? OIDC_DISCOVERY_WARNINGS[code].message };
}

// ---------------------------------------------------------------------------------------
// Where the document is

/**
 * Accepts an issuer (`https://login.example.com/tenant`) or its full discovery URL
 * (`https://login.example.com/tenant/.well-known/openid-configuration`, query kept, as Azure AD
 * B2C's `?p=policy` needs), and returns the issuer it implies and the URL to fetch. The issuer
 * is returned exactly as entered (trailing slash included): issuers compare character for character.
 */
export function discoveryUrlFor(input: string): DiscoveryUrlResult {
  const text = typeof input === 'string' ? input.trim() : '';
  if (!text) return fail('oidc_discovery_url_invalid', { message: msg('Enter the issuer URL of your identity provider.') });
  if (/\s/.test(text)) return fail('oidc_discovery_url_invalid', { message: msg('The issuer URL must not contain spaces.') });
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
  let url: URL | null;
  try {
    url = new URL(text);
  } catch {
    url = null;
  }
  if (!url || !scheme) {
    // "login.example.com/tenant" (no scheme): say what was probably meant.
    const suggestion = /^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?(\/\S*)?$/i.test(text) ? `https://${text}` : undefined;
    return fail('oidc_discovery_url_invalid', {
      message: suggestion
        ? msg(str`This is not a full URL. Did you mean ${suggestion}? The issuer starts with https://.`)
        : OIDC_DISCOVERY_ERRORS.oidc_discovery_url_invalid.message,
      ...(suggestion ? { suggestion } : {}),
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return fail('oidc_discovery_url_not_http', { message: msg(str`The issuer URL must start with https://, not ${scheme}:.`) });
  }
  if (!url.hostname) return fail('oidc_discovery_url_invalid');
  if (url.username || url.password) {
    return fail('oidc_discovery_url_invalid', { message: msg('The issuer URL must not contain a user name or password.') });
  }
  if (url.hash) return fail('oidc_discovery_url_invalid', { message: msg('The issuer URL must not contain a # fragment.') });

  const at = url.pathname.indexOf(WELL_KNOWN);
  if (at >= 0) {
    // A discovery URL: the issuer is what comes before (or, RFC 8414 style, after) the well-known part.
    const before = url.pathname.slice(0, at);
    const after = url.pathname.slice(at + WELL_KNOWN.length);
    const path = after && after !== '/' ? after : before;
    const issuer = `${url.origin}${path}`;
    return { ok: true, issuer, discoveryUrl: url.href };
  }
  if (url.search) {
    return fail('oidc_discovery_url_invalid', {
      message: msg('An issuer URL has no query (?…). Enter the issuer alone, or the full …/.well-known/openid-configuration URL.'),
    });
  }
  // OpenID Connect Discovery 1.0 §4: remove a terminating "/" before appending the well-known path.
  // The raw text is kept as the issuer (the URL parser would add a "/" to a bare origin).
  const base = `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  return { ok: true, issuer: text, discoveryUrl: `${base}${WELL_KNOWN}` };
}

// ---------------------------------------------------------------------------------------
// What the document says

function stringList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter((v): v is string => typeof v === 'string');
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value : undefined;
}

function issuerMismatch(expected: string, actual: string): { ok: false; error: OidcDiscoveryError } {
  const trimSlash = (s: string) => s.replace(/\/+$/, '');
  if (trimSlash(expected) === trimSlash(actual)) {
    const hasSlash = actual.endsWith('/');
    return fail('oidc_discovery_issuer_mismatch', {
      reason: 'trailing_slash',
      expectedIssuer: expected,
      actualIssuer: actual,
      message: hasSlash
        ? msg(str`The provider’s issuer is ${actual}, with a trailing slash; you entered it without. Logins are checked against the issuer character for character, so use ${actual}.`)
        : msg(str`The provider’s issuer is ${actual}, without a trailing slash; you entered it with one. Logins are checked against the issuer character for character, so use ${actual}.`),
    });
  }
  if (expected.toLowerCase() === actual.toLowerCase()) {
    return fail('oidc_discovery_issuer_mismatch', {
      reason: 'case',
      expectedIssuer: expected,
      actualIssuer: actual,
      message: msg(str`The provider’s issuer is ${actual}; you entered ${expected}, which differs in upper/lower case. Use ${actual} exactly.`),
    });
  }
  return fail('oidc_discovery_issuer_mismatch', {
    reason: 'different',
    expectedIssuer: expected,
    actualIssuer: actual,
    message: msg(str`The provider says its issuer is ${actual}, not ${expected}. Check that you entered the right issuer (some consoles show several), then use the one the provider publishes.`),
  });
}

const REQUIRED_ENDPOINTS = ['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const;

/** What a missing member is called, in the language shown. */
function endpointName(key: (typeof REQUIRED_ENDPOINTS)[number]): string {
  return key === 'authorization_endpoint' ? msg('authorization endpoint') : key === 'token_endpoint' ? msg('token endpoint') : msg('signing keys URL (jwks_uri)');
}

function check(doc: unknown, expectedIssuer: string): OidcDiscoveryResult {
  let value = doc;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value.replace(/^\uFEFF/, '')) as unknown;
    } catch {
      return fail('oidc_discovery_not_json');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('oidc_discovery_not_object');
  const d = value as Record<string, unknown>;

  const issuer = d['issuer'];
  if (typeof issuer !== 'string' || !issuer.trim()) return fail('oidc_discovery_issuer_missing', { field: 'issuer' });
  const expected = typeof expectedIssuer === 'string' ? expectedIssuer.trim() : '';
  if (/\{tenant(?:id)?\}/i.test(issuer)) {
    return fail('oidc_discovery_issuer_template', {
      field: 'issuer',
      expectedIssuer: expected,
      actualIssuer: issuer,
      message: msg(
        str`This address is Microsoft’s multi-tenant endpoint: its issuer is the template ${issuer}, where {tenantid} stands for each organisation’s tenant, so logins cannot be checked against it. Use your own tenant’s issuer instead: https://login.microsoftonline.com/<your tenant ID>/v2.0.`,
      ),
    });
  }
  if (issuer !== expected) return issuerMismatch(expected, issuer);
  const issuerUrl = parseHttpUrl(issuer);
  if (!issuerUrl) return fail('oidc_discovery_endpoint_invalid', { field: 'issuer', message: msg(str`The issuer ${issuer} is not an http(s) URL.`) });
  if (!isSecureOrLoopback(issuerUrl)) {
    return fail('oidc_discovery_endpoint_insecure', {
      field: 'issuer',
      message: msg(str`The issuer ${issuer} uses plain http://, which is allowed only for a provider on this machine (localhost).`),
    });
  }

  const missing = REQUIRED_ENDPOINTS.filter((key) => optionalString(d[key]) === undefined);
  if (missing.length > 0) {
    return fail('oidc_discovery_endpoint_missing', {
      field: missing[0]!,
      fields: [...missing],
      message: msg(str`The OpenID configuration has no ${list(missing.map(endpointName))}.`),
    });
  }
  for (const key of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'userinfo_endpoint', 'end_session_endpoint'] as const) {
    const raw = optionalString(d[key]);
    if (raw === undefined) continue;
    const url = parseHttpUrl(raw);
    if (!url) return fail('oidc_discovery_endpoint_invalid', { field: key, message: msg(str`The ${key} “${raw}” is not an http(s) URL.`) });
    if (!isSecureOrLoopback(url)) {
      return fail('oidc_discovery_endpoint_insecure', {
        field: key,
        message: msg(str`The ${key} ${raw} uses plain http://, which is allowed only for a provider on this machine (localhost).`),
      });
    }
  }

  const responseTypes = stringList(d['response_types_supported']);
  if (responseTypes && !responseTypes.includes('code')) {
    return fail('oidc_discovery_code_flow_unsupported', {
      field: 'response_types_supported',
      message: msg(str`The provider offers the response types ${responseTypes.join(', ') || msg('(none)')}, but not “code”, which sign-in uses.`),
    });
  }
  const pkceMethods = stringList(d['code_challenge_methods_supported']);
  if (pkceMethods && !pkceMethods.includes('S256')) {
    return fail('oidc_discovery_pkce_unsupported', {
      field: 'code_challenge_methods_supported',
      message: msg(str`The provider lists the PKCE methods ${pkceMethods.join(', ') || msg('(none)')}, but not S256, which sign-in uses.`),
    });
  }

  const warnings: OidcDiscoveryWarning[] = [];
  if (!pkceMethods) warnings.push(warn('oidc_discovery_pkce_not_advertised'));
  if (optionalString(d['userinfo_endpoint']) === undefined) warnings.push(warn('oidc_discovery_no_userinfo'));
  const algorithms = stringList(d['id_token_signing_alg_values_supported']);
  if (!algorithms) warnings.push(warn('oidc_discovery_no_id_token_algorithms'));
  else if (!algorithms.some((a) => a !== 'none' && !/^HS\d+$/.test(a))) warnings.push(warn('oidc_discovery_no_asymmetric_signing'));
  const scopes = stringList(d['scopes_supported']);
  if (scopes && !scopes.includes('openid')) warnings.push(warn('oidc_discovery_openid_scope_missing'));

  const discovery: OidcDiscovery = {
    issuer,
    authorizationEndpoint: d['authorization_endpoint'] as string,
    tokenEndpoint: d['token_endpoint'] as string,
    jwksUri: d['jwks_uri'] as string,
    pkceS256: pkceMethods?.includes('S256') ?? false,
  };
  const optional: [keyof OidcDiscovery, string][] = [
    ['userinfoEndpoint', 'userinfo_endpoint'],
    ['endSessionEndpoint', 'end_session_endpoint'],
  ];
  for (const [to, from] of optional) {
    const v = optionalString(d[from]);
    if (v !== undefined) (discovery as unknown as Record<string, unknown>)[to] = v;
  }
  const lists: [keyof OidcDiscovery, string][] = [
    ['scopesSupported', 'scopes_supported'],
    ['responseTypesSupported', 'response_types_supported'],
    ['claimsSupported', 'claims_supported'],
    ['idTokenSigningAlgValuesSupported', 'id_token_signing_alg_values_supported'],
    ['tokenEndpointAuthMethodsSupported', 'token_endpoint_auth_methods_supported'],
    ['codeChallengeMethodsSupported', 'code_challenge_methods_supported'],
  ];
  for (const [to, from] of lists) {
    const v = stringList(d[from]);
    if (v !== undefined) (discovery as unknown as Record<string, unknown>)[to] = v;
  }
  return { ok: true, discovery, warnings };
}

/**
 * Checks a discovery document (parsed JSON, or its text) against the issuer the admin entered.
 * Never throws.
 */
export function checkOidcDiscovery(doc: unknown, expectedIssuer: string): OidcDiscoveryResult {
  try {
    return check(doc, expectedIssuer);
  } catch {
    // Only exotic inputs get here (a getter that throws, a revoked Proxy): report them as unusable.
    return fail('oidc_discovery_not_object');
  }
}
