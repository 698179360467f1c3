/**
 * The diagnostic report's redaction (`core/diagnostic-report.ts`, `core/login-trace.ts`), pure:
 * whatever field a secret hides in (a step's detail, an error's details, a decoded message, the
 * connection), neither file carries it; the list of redactions says what was left out; the email
 * stays.
 */
import { expect } from '@open-wc/testing';
import { REPORT_TITLES, buildDiagnosticReport } from '../../../src/core/diagnostic-report.js';
import { TRACE_CHECK_LABELS, redactXml, redactedParameters, type LoginAttempt, type TraceCheck } from '../../../src/core/login-trace.js';
import { TEST_FAILURE_CODES, TEST_WARNING_CODES } from '../../../src/core/test-failures.js';
import { testFailureTitle, testWarningTitle } from '../../../src/core/test-titles.js';
import { switchLocale } from '../../../src/portal/localize/switch-locale.js';
import { traceCheckLabel } from '../../../src/portal/traces/sso-login-attempts.js';
import { loginAttempts, tracedConnection } from '../../support/login-attempts.js';
import { defaultSession } from '../../../src/adapters/memory-adapter.js';

const NOW = new Date('2026-12-05T12:00:00Z');
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJlLXZhbHVlLXRoYXQtaXMtbG9uZw';
const SIGNATURE = 'A'.repeat(40) + 'b'.repeat(60) + '==';

describe('diagnostic report redaction', () => {
  it('redactXml takes out signature values, digests, certificates and ciphertexts, naming what it did', () => {
    const xml = `<ds:Signature><ds:DigestValue>abc=</ds:DigestValue><ds:SignatureValue>${SIGNATURE}</ds:SignatureValue><ds:X509Certificate>MIIC</ds:X509Certificate></ds:Signature><xenc:CipherValue>zzz</xenc:CipherValue><saml:NameID>ada@megacorp.example</saml:NameID>`;
    const out = redactXml(xml, (element) => (element === 'X509Certificate' ? ': certificate' : undefined));
    expect(out).not.to.contain(SIGNATURE);
    expect(out).not.to.contain('abc=');
    expect(out).not.to.contain('zzz');
    expect(out).to.contain('<ds:X509Certificate>[redacted: certificate]</ds:X509Certificate>');
    expect(out).to.contain('ada@megacorp.example');
    expect(redactedParameters(new URLSearchParams({ code: 'c0de', state: 's', scope: 'openid email' }))).to.deep.equal({ code: '[redacted]', state: '[redacted]', scope: 'openid email' });
  });

  it('no secret survives in either file, wherever it hides; personal data beyond the email is left out, and said', () => {
    const connection = { ...tracedConnection(NOW) };
    const attempt: LoginAttempt = {
      ...loginAttempts(NOW)[1]!,
      steps: [{ check: 'token', status: 'failed', detail: `The token ${JWT} was refused.` }],
      error: { code: 'signature_invalid', message: 'Bad.', remedy: 'Fix.', details: { leaked: SIGNATURE } },
    };
    const report = buildDiagnosticReport({ connection, serviceProvider: defaultSession(NOW).serviceProvider, attempt, generatedAt: NOW });
    for (const file of [report.html, report.json]) {
      expect(file).not.to.contain(JWT);
      expect(file).not.to.contain(SIGNATURE);
      expect(file).not.to.contain('BEGIN CERTIFICATE');
      expect(file).not.to.contain('>Ada<');
      expect(file).to.contain('mallory@megacorp.example');
    }
    expect(JSON.parse(report.json).connection.saml.signingCertificates[0]).to.match(/^SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2} /);
    expect(report.redactions.join('\n')).to.match(/Personal data beyond the email address: the SAML attribute values \(each replaced/);
    expect(report.html).to.match(/<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
    expect(report.html).not.to.match(/<script|<link|src=/);
  });
});

describe('diagnostic report language', () => {
  it('is in English with its codes whatever the portal shows, and its English names are the portal’s English ones', async () => {
    const serviceProvider = defaultSession(NOW).serviceProvider;
    const build = () => buildDiagnosticReport({ connection: tracedConnection(NOW), serviceProvider, attempt: loginAttempts(NOW)[1]!, generatedAt: NOW });
    const english = build();
    // The report keeps its own English names; in English they are the portal's, word for word.
    for (const code of [...TEST_FAILURE_CODES, ...TEST_WARNING_CODES]) {
      const title = (TEST_FAILURE_CODES as readonly string[]).includes(code) ? testFailureTitle(code) : testWarningTitle(code);
      expect(REPORT_TITLES[code], code).to.equal(title);
    }
    for (const check of Object.keys(TRACE_CHECK_LABELS) as TraceCheck[]) expect(traceCheckLabel(check), check).to.equal(TRACE_CHECK_LABELS[check]);
    try {
      await switchLocale('de');
      expect(testFailureTitle('signature_invalid')).to.equal('Signatur nicht verifiziert');
      const inGerman = build();
      expect(inGerman.html).to.equal(english.html);
      expect(inGerman.json).to.equal(english.json);
      expect(inGerman.data.login.error).to.include({ code: 'signature_invalid', title: 'Signature did not verify' });
      expect(inGerman.redactionKinds.map((r) => r.kind)).to.deep.equal(['saml_signatures', 'certificates', 'personal', 'token_shaped']);
    } finally {
      await switchLocale('en');
    }
  });
});
