/**
 * The shareable diagnostic report of a login (issue 15, point 5): from a login attempt's trace
 * or a test result, one self-contained HTML file (no script, no external resource, its own
 * Content-Security-Policy that allows neither) and the same data as JSON, for the IdP team or the
 * host's support: the connection's configuration, our SP values, the trace, the decoded messages
 * and the remedy.
 *
 * Redacted by default, and {@link DiagnosticReport.redactions} says exactly what, for the admin
 * to read before downloading: the client secret (never in the portal's data anyway), signature
 * values, digests, key values and ciphertexts, certificates (their SHA-256 fingerprints
 * instead), OIDC codes, state, nonce and tokens, and personal data beyond the email address
 * (names, groups, subject, other attribute values). A last pass replaces anything shaped like a
 * token or a long base64 run, whatever field it hides in.
 *
 * Pure (no DOM, no Node): the portal builds it in a lazy chunk, the server for the dashboard.
 *
 * In English, whatever language the portal shows: the files go to the IdP's team or the host's
 * support, who may not read the admin's language, and English is what the server's messages,
 * the codes' documentation and the IdPs' consoles use. Every failure, warning and check also
 * carries its stable code. The admin reads what is left out ({@link redactionText} of
 * {@link DiagnosticReport.redactionKinds}) in the portal's language, before downloading.
 */
import type { Connection, ServiceProvider, TestError, TestResult, TestWarning } from './model.js';
import { OIDC_SECRET_PARAMETERS, TRACE_CHECK_LABELS, redactXml, type LoginAttempt, type TraceMessage, type TraceStep } from './login-trace.js';
import { providerName } from './providers/names.js';
import { inEnglish, msg } from './text.js';
import { list, str } from './text-forms.js';
import { testFailureTitle, testWarningTitle } from './test-titles.js';
import { decodeCertificateDer } from './x509.js';

export interface DiagnosticReportInput {
  connection: Connection;
  /** Our SP values for the connection (its own, else the session's). */
  serviceProvider: ServiceProvider;
  organizationName?: string;
  /** The login attempt with its trace (preferred), ... */
  attempt?: LoginAttempt;
  /** ... or a test result, when no trace is at hand. */
  test?: TestResult;
  generatedAt: Date;
}

/** What the report holds, as its JSON file has it. */
export interface DiagnosticReportData {
  report: 'sso-login-diagnostic';
  version: 1;
  generatedAt: string;
  organization?: string;
  connection: Record<string, unknown>;
  serviceProvider: Record<string, string>;
  login: {
    at?: string;
    purpose: 'test' | 'sign-in';
    outcome: 'success' | 'failure' | 'pending';
    user?: string;
    error?: { code: string; title: string; message: string; remedy: string; details?: Record<string, unknown> };
    warnings?: { code: string; title: string; message: string; remedy: string }[];
    steps: { check: string; label: string; status: 'passed' | 'failed'; detail?: string }[];
  };
  decoded: {
    request?: TraceMessage;
    response?: TraceMessage;
    /** Attribute (SAML) or claim (OIDC) names, with their values redacted except the email. */
    attributes: Record<string, string[]>;
  };
  redacted: string[];
}

/**
 * What a report leaves out, for the portal to say in its language: the kinds, and for personal
 * data which attributes' values (names as received) and whether the NameID or SAML attribute values.
 */
export type Redaction =
  | { kind: 'client_secret' | 'saml_signatures' | 'certificates' | 'oidc_values' | 'token_shaped' }
  | { kind: 'personal'; attributes: string[]; nameId: boolean; samlValues: boolean };

export interface DiagnosticReport {
  /** The files' name without extension: `sso-report-<connection>-<time>`. */
  fileName: string;
  /** What was left out, one plain sentence each, in English as in the files. */
  redactions: string[];
  /** The same, as kinds: what the portal shows the admin before the download, in its language. */
  redactionKinds: Redaction[];
  data: DiagnosticReportData;
  json: string;
  html: string;
}

const REDACTED = '[redacted]';


/** Claims that describe the login, not the person: kept. */
const PROTOCOL_CLAIMS = new Set(['iss', 'aud', 'azp', 'exp', 'iat', 'nbf', 'auth_time', 'email_verified', 'acr', 'amr']);

/** Tokens (JWS/JWE compact) and long base64 runs (keys, signatures, certificates) wherever they are. */
const TOKEN_SHAPED = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)?|[A-Za-z0-9+/_-]{80,}={0,2}/g;

/** The last pass over every string: nothing token- or key-shaped survives. */
export function scrubSecrets(text: string): string {
  return text.replace(TOKEN_SHAPED, REDACTED).replace(/-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g, REDACTED);
}

function fingerprintOf(pem: string): string {
  try {
    const body = pem.replace(/-----(BEGIN|END)[^-]*-----/g, '').replace(/\s+/g, '');
    const binary = atob(body);
    const der = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const certificate = decodeCertificateDer(der);
    return `SHA-256 ${certificate.fingerprintSha256} (${certificate.subject}, valid until ${certificate.notAfter})`;
  } catch {
    return 'an unreadable certificate';
  }
}

function connectionSummary(connection: Connection): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: connection.id,
    ...(connection.name ? { name: connection.name } : {}),
    provider: providerName(connection.providerId),
    protocol: connection.protocol,
    status: connection.status,
    attributeMapping: connection.attributeMapping,
  };
  if (connection.saml) {
    const s = connection.saml;
    out.saml = {
      idpEntityId: s.idpEntityId,
      ssoUrl: s.ssoUrl,
      ssoBinding: s.ssoBinding,
      signingCertificates: s.signingCertificates.map(fingerprintOf),
      ...(s.metadataUrl ? { metadataUrl: s.metadataUrl } : {}),
      ...(s.nameIdFormat ? { nameIdFormat: s.nameIdFormat } : {}),
      signedRequests: s.wantAuthnRequestsSigned === true,
      encryptedAssertionsRequired: s.requireEncryptedAssertions === true,
    };
  }
  if (connection.oidc) {
    const o = connection.oidc;
    out.oidc = { issuer: o.issuer, clientId: o.clientId, scopes: o.scopes, clientSecret: o.clientSecretSet ? REDACTED : '(not set)' };
  }
  return out;
}

/** The email (kept) and every other value redacted; names say what arrived. */
function redactAttributes(raw: Record<string, string[]>, email: string | undefined, redactedNames: Set<string>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(raw)) {
    out[name] = values.map((value) => {
      if ((email && value === email) || PROTOCOL_CLAIMS.has(name)) return value;
      redactedNames.add(`${VALUES_OF}${name}`);
      return REDACTED;
    });
  }
  return out;
}

/** SAML: attribute values and the NameID other than the email, as the attributes are. */
function redactPersonalXml(xml: string, email: string | undefined, redactedNames: Set<string>): string {
  return xml.replace(/<((?:[\w.-]+:)?(?:AttributeValue|NameID))(\s[^>]*)?>([^<]*)<\/\1\s*>/g, (whole, name: string, attributes: string | undefined, content: string) => {
    if (email && content.trim() === email) return whole;
    if (content.trim() === '') return whole;
    redactedNames.add(name.endsWith('NameID') ? 'the NameID' : 'the SAML attribute values');
    return `<${name}${attributes ?? ''}>${REDACTED}</${name}>`;
  });
}

/** OIDC: the claims' values other than the email and the protocol's; one-time parameters stay redacted. */
function redactPersonalJson(body: string, email: string | undefined, redactedNames: Set<string>): string {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return REDACTED;
  }
  const walk = (node: unknown, key?: string): unknown => {
    if (Array.isArray(node)) return node.map((item) => walk(item, key));
    if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, k)]));
    if (key === undefined || typeof node !== 'string') return node;
    if (OIDC_SECRET_PARAMETERS.has(key)) return REDACTED;
    return node;
  };
  const cleaned = walk(value) as Record<string, unknown>;
  if (cleaned && typeof cleaned === 'object' && cleaned.claims && typeof cleaned.claims === 'object') {
    cleaned.claims = redactAttributes(cleaned.claims as Record<string, string[]>, email, redactedNames);
  }
  return JSON.stringify(cleaned, null, 2);
}

const VALUES_OF = 'the values of ';

/** What the report leaves out, one sentence, in the language shown (the files: in English). */
export function redactionText(redaction: Redaction): string {
  switch (redaction.kind) {
    case 'client_secret':
      return msg('The OIDC client secret: never part of the report (the portal never holds it).');
    case 'saml_signatures':
      return msg('Signature values and digests, and any key value or encrypted data, in the SAML messages.');
    case 'certificates':
      return msg('Certificates: each is replaced by its SHA-256 fingerprint, subject and expiry.');
    case 'oidc_values':
      return msg('The authorization code, state, nonce and PKCE values; tokens are never kept.');
    case 'personal': {
      const what = list([
        ...(redaction.nameId ? [msg('the NameID')] : []),
        ...(redaction.samlValues ? [msg('the SAML attribute values')] : []),
        ...redaction.attributes.map((name) => msg(str`the values of ${name}`)),
      ]);
      return msg(str`Personal data beyond the email address: ${what} (each replaced by [redacted]).`);
    }
    default:
      return msg('Anything shaped like a token, key or certificate, wherever it appears.');
  }
}

function errorData(error: TestError | null | undefined): DiagnosticReportData['login']['error'] {
  if (!error) return undefined;
  return { code: error.code, title: testFailureTitle(error.code), message: error.message, remedy: error.remedy, ...(error.details ? { details: error.details } : {}) };
}

function warningData(warnings: TestWarning[] | undefined): DiagnosticReportData['login']['warnings'] {
  return warnings?.length ? warnings.map((w) => ({ code: w.code, title: testWarningTitle(w.code), message: w.message, remedy: w.remedy })) : undefined;
}

const stepData = (step: TraceStep) => ({ check: step.check, label: TRACE_CHECK_LABELS[step.check], status: step.status, ...(step.detail ? { detail: step.detail } : {}) });

/** Builds the report (both files) from an attempt or a test result; everything in it redacted as the module comment says. */
export function buildDiagnosticReport(input: DiagnosticReportInput): DiagnosticReport {
  return inEnglish(() => build(input));
}

function build(input: DiagnosticReportInput): DiagnosticReport {
  const { connection, attempt, test } = input;
  const redactedNames = new Set<string>();
  const email = attempt?.user ?? test?.profile?.email;
  const xml = (m: TraceMessage | undefined): TraceMessage | undefined => {
    if (!m) return undefined;
    if (m.format === 'xml') return { format: 'xml', body: redactPersonalXml(redactXml(m.body), email, redactedNames) };
    return { format: 'json', body: redactPersonalJson(m.body, email, redactedNames) };
  };
  const raw = test?.rawAttributes ?? {};
  const login: DiagnosticReportData['login'] = attempt
    ? {
        at: attempt.at,
        purpose: attempt.purpose,
        outcome: attempt.outcome,
        ...(attempt.user ? { user: attempt.user } : {}),
        ...(attempt.error ? { error: errorData(attempt.error) } : {}),
        ...(attempt.warnings?.length ? { warnings: warningData(attempt.warnings) } : {}),
        steps: attempt.steps.map(stepData),
      }
    : {
        ...(test?.completedAt ? { at: test.completedAt } : {}),
        purpose: 'test',
        outcome: test?.status ?? 'pending',
        ...(email ? { user: email } : {}),
        ...(test?.error ? { error: errorData(test.error) } : {}),
        ...(test?.warnings?.length ? { warnings: warningData(test.warnings) } : {}),
        steps: [],
      };
  const request = xml(attempt?.request);
  const response = xml(attempt?.response);
  const sp = input.serviceProvider;
  const isSaml = connection.protocol === 'saml';
  const redactionKinds: Redaction[] = [
    ...(connection.oidc ? [{ kind: 'client_secret' } as const] : []),
    ...(isSaml ? [{ kind: 'saml_signatures' } as const, { kind: 'certificates' } as const] : [{ kind: 'oidc_values' } as const]),
  ];
  const redactions: string[] = []; // filled below, once the decoded messages have said what they held
  const data: DiagnosticReportData = {
    report: 'sso-login-diagnostic',
    version: 1,
    generatedAt: input.generatedAt.toISOString(),
    ...(input.organizationName ? { organization: input.organizationName } : {}),
    connection: connectionSummary(connection),
    serviceProvider: { entityId: sp.entityId, acsUrl: sp.acsUrl, metadataUrl: sp.metadataUrl, oidcRedirectUri: sp.oidcRedirectUri },
    login,
    decoded: { ...(request ? { request } : {}), ...(response ? { response } : {}), attributes: redactAttributes(raw, email, redactedNames) },
    redacted: redactions,
  };
  if (redactedNames.size > 0) {
    const names = [...redactedNames].sort();
    const attributes = names.filter((n) => n.startsWith(VALUES_OF)).map((n) => n.slice(VALUES_OF.length));
    redactionKinds.push({ kind: 'personal', attributes, nameId: redactedNames.has('the NameID'), samlValues: redactedNames.has('the SAML attribute values') });
  }
  redactionKinds.push({ kind: 'token_shaped' });
  redactions.push(...redactionKinds.map(redactionText));
  // One last pass over every string of the data: what a field let through, this catches.
  const clean = JSON.parse(scrubSecrets(JSON.stringify(data))) as DiagnosticReportData;
  const stamp = clean.generatedAt.replace(/[:.]/g, '-').slice(0, 19);
  return {
    fileName: `sso-report-${connection.id}-${stamp}`,
    redactions,
    redactionKinds,
    data: clean,
    json: `${JSON.stringify(clean, null, 2)}\n`,
    html: reportHtml(clean),
  };
}

// ---------------------------------------------------------------------------------------
// The HTML file

const escapeHtml = (value: unknown): string =>
  String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function definitionList(entries: Record<string, unknown>): string {
  const rows = Object.entries(entries).map(([key, value]) => {
    const shown =
      Array.isArray(value) ? `<ul>${value.map((v) => `<li>${escapeHtml(v)}</li>`).join('')}</ul>` : value && typeof value === 'object' ? definitionList(value as Record<string, unknown>) : escapeHtml(value);
    return `<dt>${escapeHtml(key)}</dt><dd>${shown}</dd>`;
  });
  return `<dl>${rows.join('')}</dl>`;
}

const STYLE = `
:root { color-scheme: light dark; font: 16px/1.5 system-ui, sans-serif; }
body { margin: 0 auto; max-width: 60rem; padding: 1rem; color: CanvasText; background: Canvas; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid GrayText; }
dl { display: grid; grid-template-columns: minmax(8rem, max-content) 1fr; gap: 0.25rem 1rem; margin: 0; }
dt { font-weight: 600; } dd { margin: 0; overflow-wrap: anywhere; } dd dl { grid-template-columns: max-content 1fr; }
ol.steps { padding-inline-start: 1.5rem; } ol.steps li { margin-block: 0.25rem; }
.passed { font-weight: 600; } .failed { font-weight: 700; text-decoration: underline; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; border: 1px solid GrayText; padding: 0.5rem; font-size: 0.875rem; }
.remedy { border-inline-start: 4px solid currentColor; padding-inline-start: 0.75rem; }
`;

function reportHtml(data: DiagnosticReportData): string {
  const { login, connection } = data;
  const title = `SSO login report: ${String(connection.name ?? connection.provider)}, ${login.outcome === 'success' ? 'succeeded' : login.outcome === 'failure' ? `failed (${login.error?.code ?? 'unknown'})` : 'pending'}`;
  const steps = login.steps.length
    ? `<ol class="steps">${login.steps
        .map((s) => `<li><span class="${s.status}">${s.status === 'passed' ? '✓ Passed' : '✗ Failed'}:</span> ${escapeHtml(s.label)}${s.detail ? `. ${escapeHtml(s.detail)}` : ''}</li>`)
        .join('')}</ol>`
    : '<p>No step-by-step trace: this report was made from the test result alone.</p>';
  const message = (heading: string, m: TraceMessage | undefined) =>
    m ? `<h3>${heading} (${m.format === 'xml' ? 'XML' : 'JSON'})</h3><pre>${escapeHtml(m.body)}</pre>` : '';
  const error = login.error;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p>Made ${escapeHtml(data.generatedAt)}${data.organization ? ` for ${escapeHtml(data.organization)}` : ''}. Secrets, signatures, certificates (beyond their fingerprints), tokens and personal data beyond the email address are left out: see “What is redacted” at the end.</p>
<h2>Summary</h2>
${definitionList({ Outcome: login.outcome, When: login.at ?? '(not finished)', Kind: login.purpose === 'test' ? 'Test login' : 'Sign-in', User: login.user ?? '(unknown)' })}
${error ? `<h3>${escapeHtml(error.title)} <code>${escapeHtml(error.code)}</code></h3><p>${escapeHtml(error.message)}</p><p class="remedy"><strong>What to do:</strong> ${escapeHtml(error.remedy)}</p>${error.details ? definitionList(error.details) : ''}` : ''}
${login.warnings?.length ? `<h3>Warnings</h3><ul>${login.warnings.map((w) => `<li><strong>${escapeHtml(w.title)}</strong> (<code>${escapeHtml(w.code)}</code>): ${escapeHtml(w.message)} ${escapeHtml(w.remedy)}</li>`).join('')}</ul>` : ''}
<h2>Checks, in the order they ran</h2>
${steps}
<h2>Connection configuration</h2>
${definitionList(connection)}
<h2>Our service-provider values</h2>
${definitionList(data.serviceProvider)}
<h2>Decoded messages</h2>
${message('What we sent', data.decoded.request)}${message('What the identity provider answered', data.decoded.response)}
${Object.keys(data.decoded.attributes).length ? `<h3>Attributes received</h3>${definitionList(data.decoded.attributes)}` : ''}
${!data.decoded.request && !data.decoded.response && !Object.keys(data.decoded.attributes).length ? '<p>No decoded message is available for this login.</p>' : ''}
<h2>What is redacted</h2>
<ul>${data.redacted.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>
</main>
</body>
</html>
`;
}
