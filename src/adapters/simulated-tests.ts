/**
 * Realistic test login results for simulated backends (the MemoryAdapter, stories, demos): what
 * a real backend would store after a successful login or after each kind of failure, with the
 * `details` keys documented in `core/test-diagnosis.ts`, built from the connection's SP values
 * (the session's when it has none) and its configuration.
 *
 * Nothing secret appears: no client secret, no SAML response or assertion XML, no signature
 * value, no token; certificates appear only as SHA-256 fingerprints.
 */
import type { AttributeMapping, Connection, PortalSession, ReceivedProfile, TestResult, TestWarning } from '../core/model.js';
import { TEST_FAILURES, TEST_WARNINGS, type TestFailureCode } from '../core/test-failures.js';

/** How a simulated test login ends. */
export type SimulatedOutcome = 'success' | TestFailureCode;
/** How a simulated test login ends (the MemoryAdapter's and the server's option). */
export type TestOutcome = SimulatedOutcome;

/** The user who signs in; every field has a realistic default. */
export interface SimulatedUser {
  email?: string;
  firstName?: string;
  lastName?: string;
  groups?: string[];
  /** SAML NameID or OIDC `sub`; defaults to the email (SAML) or an IdP-style opaque ID (OIDC). */
  subject?: string;
}

export interface SimulatedTestContext {
  connection: Connection;
  session: PortalSession;
  /** When the response "arrives": times in the details are relative to it. */
  now: Date;
  user?: SimulatedUser;
  /**
   * The organization's verified domains, when the backend knows them: a success with none gets
   * the `domain_not_verified` warning (the test worked, real sign-ins need a verified domain).
   */
  verifiedDomains?: readonly string[];
}

export type SimulatedResult = Pick<TestResult, 'status' | 'profile' | 'rawAttributes' | 'error' | 'warnings'>;

// ---------------------------------------------------------------------------------------
// SHA-256 (synchronous, for certificate fingerprints; results settle synchronously)

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

function sha256(data: Uint8Array): Uint8Array {
  const bitLength = data.length * 8;
  const padded = new Uint8Array(Math.ceil((data.length + 9) / 64) * 64);
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bitLength / 2 ** 32));
  view.setUint32(padded.length - 4, bitLength >>> 0);
  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Uint32Array(64);
  const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(offset + i * 4);
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15]!;
      const b = w[i - 2]!;
      const s0 = rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3);
      const s1 = rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10);
      w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = [h[0]!, h[1]!, h[2]!, h[3]!, h[4]!, h[5]!, h[6]!, h[7]!];
    for (let i = 0; i < 64; i++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) >>> 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
      [hh, g, f, e, d, c, b, a] = [g, f, e, (d + t1) >>> 0, c, b, a, (t1 + t2) >>> 0];
    }
    h[0] = (h[0]! + a) >>> 0;
    h[1] = (h[1]! + b) >>> 0;
    h[2] = (h[2]! + c) >>> 0;
    h[3] = (h[3]! + d) >>> 0;
    h[4] = (h[4]! + e) >>> 0;
    h[5] = (h[5]! + f) >>> 0;
    h[6] = (h[6]! + g) >>> 0;
    h[7] = (h[7]! + hh) >>> 0;
  }
  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  h.forEach((word, i) => outView.setUint32(i * 4, word));
  return out;
}

const colonHex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');

/** The SHA-256 fingerprint of a PEM certificate (of its DER bytes), as the SAML review shows it. */
export function pemFingerprint(pem: string): string {
  const body = pem.replace(/-----(BEGIN|END) [^-]+-----/g, '').replace(/[^A-Za-z0-9+/=]/g, '');
  try {
    const binary = atob(body);
    return colonHex(sha256(Uint8Array.from(binary, (ch) => ch.charCodeAt(0))));
  } catch {
    return colonHex(sha256(new TextEncoder().encode(pem)));
  }
}

/** A stable, realistic-looking fingerprint for a certificate we do not have (the "other" one). */
const fingerprintOf = (seed: string) => colonHex(sha256(new TextEncoder().encode(seed)));

/** A stable hex or GUID-shaped identifier derived from `seed`. */
function idFrom(seed: string, length = 32): string {
  return [...sha256(new TextEncoder().encode(seed))].map((b) => b.toString(16).padStart(2, '0')).join('').slice(0, length);
}
const guidFrom = (seed: string) => idFrom(seed).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

// ---------------------------------------------------------------------------------------
// Helpers

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

function slug(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '')
      .slice(0, 40) || 'example'
  );
}

interface User {
  email: string;
  firstName: string;
  lastName: string;
  groups: string[];
}

function userOf(ctx: SimulatedTestContext): User {
  const domain = `${slug(ctx.session.organization.name)}.example`;
  const entra = ctx.connection.providerId === 'entra-id';
  const groups = ctx.user?.groups ?? (entra ? [guidFrom(`${domain}:engineering`), guidFrom(`${domain}:sso-admins`)] : ['Engineering', 'SSO Admins']);
  return {
    email: ctx.user?.email ?? `ada.lovelace@${domain}`,
    firstName: ctx.user?.firstName ?? 'Ada',
    lastName: ctx.user?.lastName ?? 'Lovelace',
    groups,
  };
}

/** The subject the IdP would use: the email as NameID (SAML), an opaque ID in the IdP's style (OIDC). */
function subjectOf(ctx: SimulatedTestContext, user: User): string {
  if (ctx.user?.subject) return ctx.user.subject;
  if (ctx.connection.protocol === 'saml') return user.email;
  const seed = `${ctx.connection.id}:${user.email}`;
  switch (ctx.connection.providerId) {
    case 'okta':
      return `00u${idFrom(seed, 17)}`;
    case 'entra-id':
      return btoa(idFrom(seed, 32)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_').slice(0, 43);
    case 'google-workspace':
      return String(BigInt(`0x${idFrom(seed, 16)}`)).slice(0, 21);
    case 'auth0':
      return `auth0|${idFrom(seed, 24)}`;
    default:
      return guidFrom(seed);
  }
}

function issuerOf(connection: Connection): string {
  if (connection.protocol === 'oidc') return connection.oidc?.issuer ?? 'https://idp.example/';
  return connection.saml?.idpEntityId ?? 'https://idp.example/saml';
}

/** The tenant GUID inside an Entra issuer or entity ID, when there is one. */
const tenantOf = (url: string) => /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.exec(url)?.[0];

/** The attributes or claims the IdP sends for `user`, named per the connection's mapping. */
function attributesFor(ctx: SimulatedTestContext, user: User, subject: string, omit?: keyof AttributeMapping): Record<string, string[]> {
  const { connection, now } = ctx;
  const mapping = connection.attributeMapping;
  const raw: Record<string, string[]> = {};
  const entra = connection.providerId === 'entra-id';
  const issuer = issuerOf(connection);
  if (connection.protocol === 'oidc') {
    raw.sub = [subject];
    raw.iss = [issuer];
    raw.aud = [connection.oidc?.clientId ?? 'client'];
    raw.iat = [String(Math.floor(now.getTime() / 1000) - 2)];
    raw.exp = [String(Math.floor(now.getTime() / 1000) + 3598)];
    if (entra) {
      const tenant = tenantOf(issuer) ?? guidFrom(`${ctx.session.organization.id}:tenant`);
      raw.tid = [tenant];
      raw.oid = [guidFrom(`${user.email}:oid`)];
      raw.preferred_username = [user.email];
    }
    raw.name = [`${user.firstName} ${user.lastName}`];
  }
  const fields: [keyof AttributeMapping, string[]][] = [
    ['email', [user.email]],
    ['firstName', [user.firstName]],
    ['lastName', [user.lastName]],
    ['groups', user.groups],
  ];
  for (const [field, value] of fields) {
    const name = mapping[field];
    if (!name || field === omit || (field === 'groups' && value.length === 0)) continue;
    raw[name] = [...value];
  }
  if (connection.protocol === 'oidc' && mapping.email && omit !== 'email' && raw[mapping.email]) raw.email_verified = ['true'];
  if (connection.protocol === 'saml' && entra) {
    const tenant = tenantOf(issuer) ?? guidFrom(`${ctx.session.organization.id}:tenant`);
    raw['http://schemas.microsoft.com/identity/claims/tenantid'] = [tenant];
    raw['http://schemas.microsoft.com/identity/claims/objectidentifier'] = [guidFrom(`${user.email}:oid`)];
    raw['http://schemas.microsoft.com/identity/claims/displayname'] = [`${user.firstName} ${user.lastName}`];
    raw['http://schemas.microsoft.com/identity/claims/identityprovider'] = [`https://sts.windows.net/${tenant}/`];
    raw['http://schemas.microsoft.com/claims/authnmethodsreferences'] = ['http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password'];
    raw['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name'] = [user.email];
  }
  return raw;
}

function profileFor(ctx: SimulatedTestContext, user: User, subject: string, withEmail: boolean): ReceivedProfile {
  const mapping = ctx.connection.attributeMapping;
  return {
    ...(withEmail ? { email: user.email } : {}),
    ...(mapping.firstName ? { firstName: user.firstName } : {}),
    ...(mapping.lastName ? { lastName: user.lastName } : {}),
    ...(mapping.groups && user.groups.length ? { groups: [...user.groups] } : {}),
    // Without an email, the NameID cannot be the email either: IdPs fall back to an opaque ID.
    subject: withEmail || ctx.connection.protocol === 'oidc' ? subject : `${user.firstName.toLowerCase()}.${user.lastName.toLowerCase()}`,
  };
}

// ---------------------------------------------------------------------------------------
// Failure details

/** The configured value with one realistic difference (http/https, or a trailing slash). */
function nearMiss(value: string): string {
  if (value.startsWith('https://')) return `http://${value.slice('https://'.length)}`;
  if (value.startsWith('http://')) return `https://${value.slice('http://'.length)}`;
  return value.endsWith('/') ? value.slice(0, -1) : `${value}/`;
}

function otherAcsUrl(acsUrl: string): string {
  try {
    const other = new URL('/saml/acs', acsUrl).toString();
    return other === acsUrl ? `${acsUrl}/` : other;
  } catch {
    return `${acsUrl}/`;
  }
}

function tokenEndpoint(connection: Connection, issuer: string): string {
  const base = issuer.replace(/\/+$/, '');
  switch (connection.providerId) {
    case 'okta':
      return base.includes('/oauth2/') ? `${base}/v1/token` : `${base}/oauth2/v1/token`;
    case 'entra-id':
      return `${base.replace(/\/v2\.0$/, '')}/oauth2/v2.0/token`;
    case 'keycloak':
      return `${base}/protocol/openid-connect/token`;
    case 'auth0':
    case 'jumpcloud':
      return `${base}/oauth/token`;
    default:
      return `${base}/token`;
  }
}

/** The issuer an IdP would really send when the configured one is subtly wrong. */
function otherOidcIssuer(connection: Connection, issuer: string): string {
  const base = issuer.replace(/\/+$/, '');
  switch (connection.providerId) {
    case 'okta':
      return base.includes('/oauth2/') ? base.replace(/\/oauth2\/.*$/, '') : `${base}/oauth2/default`;
    case 'entra-id': {
      const tenant = tenantOf(issuer);
      return tenant ? `https://sts.windows.net/${tenant}/` : `${base}/v2.0`;
    }
    case 'keycloak':
      return base.includes('/auth/realms/') ? base.replace('/auth/realms/', '/realms/') : base.replace('/realms/', '/auth/realms/');
    default:
      return issuer.endsWith('/') ? base : `${issuer}/`;
  }
}

function denial(connection: Connection, email: string): Record<string, unknown> {
  const entra = connection.providerId === 'entra-id';
  const okta = connection.providerId === 'okta';
  if (connection.protocol === 'oidc') {
    return {
      oidcError: 'access_denied',
      oidcErrorDescription: entra
        ? `AADSTS50105: Your administrator has configured the application to block users unless they are specifically granted ('assigned') access to the application. The signed in user '${email}' is blocked because they are not a direct member of a group with access, nor had access directly assigned by an administrator.`
        : okta
          ? 'User is not assigned to the client application.'
          : 'The user is not allowed to use this application.',
      ...(entra ? { idpErrorCode: 'AADSTS50105' } : {}),
    };
  }
  return {
    idpStatus: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
    idpSubStatus: 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied',
    idpStatusMessage: entra ? 'AADSTS50105: The signed in user is not assigned to a role for the application.' : 'The user is not assigned to this application.',
    ...(entra ? { idpErrorCode: 'AADSTS50105' } : {}),
  };
}

function failureDetails(code: TestFailureCode, ctx: SimulatedTestContext, user: User, subject: string): Record<string, unknown> {
  const { connection, session, now } = ctx;
  // The connection's own SP values (what the backend checks), the organization's only without them.
  const sp = connection.serviceProvider ?? session.serviceProvider;
  const oidc = connection.protocol === 'oidc';
  const issuer = issuerOf(connection);
  const t = now.getTime();
  const clientId = connection.oidc?.clientId ?? 'client';
  switch (code) {
    case 'signature_invalid':
      return {
        signatureAlgorithm: oidc ? 'RS256' : 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
        reason: oidc
          ? 'The ID token’s signature does not match its content.'
          : 'The digest of the signed assertion does not match its content: it was changed after signing.',
        ...(!oidc && connection.saml?.signingCertificates[0] ? { receivedFingerprint: pemFingerprint(connection.saml.signingCertificates[0]) } : {}),
      };
    case 'certificate_mismatch':
      if (oidc) {
        return {
          expectedKeyIds: [idFrom(`${issuer}:kid:1`, 20), idFrom(`${issuer}:kid:2`, 20)],
          receivedKeyId: idFrom(`${issuer}:kid:rotated`, 20),
        };
      }
      return {
        expectedFingerprints: (connection.saml?.signingCertificates ?? []).map(pemFingerprint),
        receivedFingerprint: fingerprintOf(`${issuer}:rotated-signing-certificate`),
      };
    case 'response_unsigned':
      return { reason: 'Neither the Response nor the Assertion carries a signature (ds:Signature).' };
    case 'audience_mismatch':
      return oidc
        ? { expectedAudience: clientId, receivedAudience: [guidFrom(`${clientId}:other-app`)] }
        : { expectedAudience: sp.entityId, receivedAudience: [sp.metadataUrl !== sp.entityId ? sp.metadataUrl : nearMiss(sp.entityId)] };
    case 'destination_mismatch':
      return oidc
        ? { expectedDestination: sp.oidcRedirectUri, receivedDestination: nearMiss(sp.oidcRedirectUri) }
        : {
            expectedDestination: sp.acsUrl,
            receivedDestination: otherAcsUrl(sp.acsUrl),
            expectedRecipient: sp.acsUrl,
            receivedRecipient: otherAcsUrl(sp.acsUrl),
          };
    case 'assertion_expired':
      return {
        issueInstant: iso(t - 11 * MINUTE),
        notBefore: iso(t - 11 * MINUTE),
        notOnOrAfter: iso(t - 6 * MINUTE),
        serverTime: iso(t),
        allowedSkewSeconds: 180,
      };
    case 'assertion_not_yet_valid':
      return {
        issueInstant: iso(t + 7 * MINUTE),
        notBefore: iso(t + 7 * MINUTE),
        notOnOrAfter: iso(t + 12 * MINUTE),
        serverTime: iso(t),
        skewSeconds: 420,
        allowedSkewSeconds: 180,
      };
    case 'issuer_mismatch':
      return { expectedIssuer: issuer, receivedIssuer: connection.providerId === 'entra-id' && tenantOf(issuer) ? `https://sts.windows.net/${guidFrom(`${issuer}:other-tenant`)}/` : nearMiss(issuer) };
    case 'missing_email': {
      const names = Object.keys(attributesFor(ctx, user, subject, 'email'));
      return { expectedAttribute: connection.attributeMapping.email, receivedAttributeNames: names };
    }
    case 'user_denied':
      return denial(connection, user.email);
    case 'idp_error':
      return oidc
        ? { oidcError: 'invalid_request', oidcErrorDescription: 'The redirect_uri is not registered for this client.' }
        : {
            idpStatus: 'urn:oasis:names:tc:SAML:2.0:status:Requester',
            idpSubStatus: 'urn:oasis:names:tc:SAML:2.0:status:InvalidNameIDPolicy',
            idpStatusMessage: 'The requested Name ID format (emailAddress) is not configured for this application.',
          };
    case 'oidc_invalid_client':
      return {
        clientId,
        tokenEndpoint: tokenEndpoint(connection, issuer),
        oidcError: 'invalid_client',
        oidcErrorDescription:
          connection.providerId === 'entra-id'
            ? `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`
            : connection.providerId === 'okta'
              ? 'The client secret supplied for a confidential client is invalid.'
              : 'Client authentication failed.',
        ...(connection.providerId === 'entra-id' ? { idpErrorCode: 'AADSTS7000215' } : {}),
      };
    case 'oidc_issuer_mismatch':
      return { expectedIssuer: issuer, receivedIssuer: oidc ? otherOidcIssuer(connection, issuer) : nearMiss(issuer) };
    case 'email_unverified':
      return { emailVerified: 'absent', reason: 'The ID token and the userinfo answer carry no email_verified claim.' };
    case 'request_mismatch':
      return { expectedInResponseTo: `_${idFrom(`${issuer}:request`, 32)}`, receivedInResponseTo: `_${idFrom(`${issuer}:older-request`, 32)}` };
    case 'response_replayed':
      return { reason: 'A response with this assertion ID was accepted before.' };
    case 'response_malformed':
      return { reason: 'The XML contains a DOCTYPE declaration, which we refuse before parsing.' };
    case 'decryption_failed':
      return { reason: 'The assertion was encrypted for another certificate, not this connection’s encryption certificate.' };
    case 'encryption_required':
      return { reason: 'This connection requires encrypted assertions; the assertion arrived unencrypted.' };
    case 'email_outside_domains':
      return { emailDomain: 'contractor-mail.example', allowedDomains: [user.email.slice(user.email.lastIndexOf('@') + 1)] };
    case 'timeout':
      return { waitedSeconds: 300 };
  }
}

/** What a real backend warns about on a success: no verified domain yet, so sign-ins would be refused. */
function successWarnings(ctx: SimulatedTestContext, user: User): TestWarning[] {
  if (!ctx.verifiedDomains || ctx.verifiedDomains.length > 0) return [];
  const emailDomain = user.email.slice(user.email.lastIndexOf('@') + 1);
  return [{ code: 'domain_not_verified', ...TEST_WARNINGS.domain_not_verified, details: { emailDomain } }];
}

// ---------------------------------------------------------------------------------------
// Entry point

/**
 * The outcome part of a `TestResult` (status, profile, raw attributes, error, warnings) for a simulated
 * test login of `ctx.connection` that ends with `outcome`. Deterministic for the same inputs.
 */
export function simulatedResult(outcome: SimulatedOutcome, ctx: SimulatedTestContext): SimulatedResult {
  const user = userOf(ctx);
  const subject = subjectOf(ctx, user);
  if (outcome === 'success') {
    const warnings = successWarnings(ctx, user);
    return {
      status: 'success',
      profile: profileFor(ctx, user, subject, true),
      rawAttributes: attributesFor(ctx, user, subject),
      error: null,
      ...(warnings.length ? { warnings } : {}),
    };
  }
  const error = { code: outcome, ...TEST_FAILURES[outcome], details: failureDetails(outcome, ctx, user, subject) };
  if (outcome === 'missing_email') {
    return {
      status: 'failure',
      profile: profileFor(ctx, user, subject, false),
      rawAttributes: attributesFor(ctx, user, subject, 'email'),
      error,
    };
  }
  return { status: 'failure', profile: null, rawAttributes: {}, error };
}
