/**
 * Login traces (issue 15, point 4): for each connection the server keeps its last login attempts
 * (tests and real sign-ins), each with the checks the service provider ran, in order, and what
 * the IdP was asked and answered, decoded. The checks report their own steps through a
 * {@link TraceRecorder} passed into them (`server/saml/service-provider.ts`,
 * `server/oidc/relying-party.ts`, `server/login/login-flows.ts`), so a trace is what ran, not a
 * reconstruction.
 *
 * Secrets never reach a trace: {@link redactXml} takes signature values, digests, certificates,
 * key values and ciphertexts out of the decoded SAML messages, and the OIDC request and answer
 * are stored without code, state, nonce, PKCE values or tokens. Pure: no DOM, no Node.
 */
import * as v from 'valibot';
import { IdSchema, ProtocolSchema, TestErrorSchema, TestWarningSchema, TimestampSchema, text } from './model.js';
import { INVALID, object } from './schema-helpers.js';
import { msg } from './text.js';

/** How many attempts the server keeps per connection (older ones are dropped). */
export const LOGIN_ATTEMPTS_KEPT = 50;

/** The most characters of a decoded request or answer a trace keeps. */
export const TRACE_MESSAGE_MAX = 65_536;

/** The checks a trace can name, in plain words in the language shown (the order a login runs them is the trace's). */
export const TRACE_CHECK_LABELS = {
  get input() {
    return msg('Response received and parsed');
  },
  get structure() {
    return msg('Message structure (no signature wrapping)');
  },
  get status() {
    return msg('IdP status');
  },
  get decryption() {
    return msg('Assertion decryption');
  },
  get signature() {
    return msg('Signature');
  },
  get certificate() {
    return msg('Signing certificate');
  },
  get issuer() {
    return msg('Issuer');
  },
  get destination() {
    return msg('Destination and recipient');
  },
  get audience() {
    return msg('Audience');
  },
  get request() {
    return msg('Answers our login request (InResponseTo / state)');
  },
  get times() {
    return msg('Validity times, with the allowed clock skew');
  },
  get second_check() {
    return msg('Second check (node-saml)');
  },
  get replay() {
    return msg('Not replayed');
  },
  get email() {
    return msg('Email address');
  },
  get email_domain() {
    return msg('Email domain is a verified domain');
  },
  get idp_answer() {
    return msg('Authorization answer');
  },
  get token() {
    return msg('Code exchange at the token endpoint');
  },
  get nonce() {
    return msg('Nonce');
  },
  get expiry() {
    return msg('ID token validity times, with the allowed clock skew');
  },
  get userinfo() {
    return msg('Userinfo');
  },
  get email_verified() {
    return msg('Email verified by the IdP');
  },
  get start() {
    return msg('Login request sent');
  },
} as const;

export type TraceCheck = keyof typeof TRACE_CHECK_LABELS;

const TRACE_CHECKS = Object.keys(TRACE_CHECK_LABELS) as [TraceCheck, ...TraceCheck[]];

export const TraceStepSchema = object({
  check: v.picklist(TRACE_CHECKS, INVALID),
  status: v.picklist(['passed', 'failed'], INVALID),
  /** What was compared, in one sentence ("Audience is https://sp.example/saml/..."). */
  detail: v.optional(text(2048)),
});
export type TraceStep = v.InferOutput<typeof TraceStepSchema>;

/** A decoded message: the SAML XML (redacted) or the OIDC parameters and claims as JSON. */
export const TraceMessageSchema = object({
  format: v.picklist(['xml', 'json'], INVALID),
  body: text(TRACE_MESSAGE_MAX + 100),
});
export type TraceMessage = v.InferOutput<typeof TraceMessageSchema>;

export const LoginAttemptSchema = object({
  id: IdSchema,
  connectionId: IdSchema,
  protocol: ProtocolSchema,
  at: TimestampSchema,
  /** A test login from the portal, or a user signing in. */
  purpose: v.picklist(['test', 'sign-in'], INVALID),
  /** The test this attempt settled, for a test login. */
  testId: v.optional(IdSchema),
  /** The email the IdP asserted (or the login hint), when known. */
  user: v.optional(text(512)),
  outcome: v.picklist(['success', 'failure'], INVALID),
  error: v.nullable(TestErrorSchema),
  warnings: v.optional(v.array(TestWarningSchema, INVALID)),
  steps: v.array(TraceStepSchema, INVALID),
  /** What we sent the IdP (AuthnRequest, authorization request). */
  request: v.optional(TraceMessageSchema),
  /** What the IdP answered (SAMLResponse, callback parameters and claims). */
  response: v.optional(TraceMessageSchema),
});
export type LoginAttempt = v.InferOutput<typeof LoginAttemptSchema>;

/**
 * Collects the steps of one login as the checks run. A check calls {@link start} before it
 * runs and {@link pass} when it passed; a refusal ends the login with {@link fail}, which marks
 * the step that was running as the one that failed.
 */
export class TraceRecorder {
  readonly steps: TraceStep[] = [];
  #running?: TraceCheck;

  start(check: TraceCheck): void {
    this.#running = check;
  }

  /** The running check (or `check`) passed. */
  pass(detail?: string, check: TraceCheck | undefined = this.#running): void {
    if (!check) return;
    this.steps.push({ check, status: 'passed', ...(detail ? { detail: clip(detail) } : {}) });
    this.#running = undefined;
  }

  /** The running check (or `fallback`, when none runs) failed. */
  fail(detail: string | undefined, fallback: TraceCheck): void {
    this.steps.push({ check: this.#running ?? fallback, status: 'failed', ...(detail ? { detail: clip(detail) } : {}) });
    this.#running = undefined;
  }
}

function clip(value: string, max = 2048): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

/** The XML elements whose content is cryptographic material: never kept, never shown. */
const SECRET_ELEMENTS = 'SignatureValue|DigestValue|X509Certificate|CipherValue|Modulus|Exponent|P|Q|DP|DQ|InverseQ|D';

const SECRET_ELEMENT = new RegExp(`<((?:[\\w.-]+:)?(?:${SECRET_ELEMENTS}))(\\s[^>]*)?>[^<]*</\\1\\s*>`, 'g');

/**
 * The XML with the content of every signature value, digest, certificate, key value and
 * ciphertext replaced by `[redacted]` (certificates: by what `describe` says of them, e.g. the
 * fingerprint), clipped to {@link TRACE_MESSAGE_MAX} characters.
 */
export function redactXml(xml: string, describe?: (element: string, content: string) => string | undefined): string {
  const out = xml.replace(SECRET_ELEMENT, (whole: string, name: string, attributes: string | undefined) => {
    const content = whole.slice(whole.indexOf('>') + 1, whole.lastIndexOf('</'));
    const local = name.slice(name.indexOf(':') + 1);
    return `<${name}${attributes ?? ''}>[redacted${describe?.(local, content) ?? ''}]</${name}>`;
  });
  return out.length > TRACE_MESSAGE_MAX ? `${out.slice(0, TRACE_MESSAGE_MAX)}…` : out;
}

/** OIDC parameters that are credentials or one-time values: their values are never kept. */
export const OIDC_SECRET_PARAMETERS: ReadonlySet<string> = new Set([
  'code',
  'state',
  'nonce',
  'code_challenge',
  'code_verifier',
  'client_secret',
  'access_token',
  'id_token',
  'refresh_token',
  'session_state',
]);

/** URL parameters as JSON, with the values of {@link OIDC_SECRET_PARAMETERS} replaced by `[redacted]`. */
export function redactedParameters(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of params) out[name] = OIDC_SECRET_PARAMETERS.has(name) ? '[redacted]' : clip(value, 2048);
  return out;
}
