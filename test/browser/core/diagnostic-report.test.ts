/**
 * The diagnostic report's redaction (`core/diagnostic-report.ts`, `core/login-trace.ts`), pure:
 * whatever field a secret hides in (a step's detail, an error's details, a decoded message, the
 * connection), neither file carries it; the list of redactions says what was left out; the email
 * stays.
 */
import { expect } from '@open-wc/testing';
import { buildDiagnosticReport, redactionText } from '../../../src/core/diagnostic-report.js';
import { TRACE_CHECK_LABELS, redactXml, redactedParameters, type LoginAttempt } from '../../../src/core/login-trace.js';
import { testFailureTitle } from '../../../src/core/test-titles.js';
import { switchLocale } from '../../../src/portal/localize/switch-locale.js';
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
  it('is in English with its codes whatever the portal shows, while the portal says what it leaves out in its language', async () => {
    const serviceProvider = defaultSession(NOW).serviceProvider;
    const build = () => buildDiagnosticReport({ connection: tracedConnection(NOW), serviceProvider, attempt: loginAttempts(NOW)[1]!, generatedAt: NOW });
    const english = build();
    try {
      await switchLocale('de');
      expect(testFailureTitle('signature_invalid')).to.equal('Signatur nicht verifiziert');
      expect(TRACE_CHECK_LABELS.signature).to.equal('Signatur');
      const inGerman = build();
      expect(inGerman.html).to.equal(english.html);
      expect(inGerman.json).to.equal(english.json);
      expect(inGerman.redactions).to.deep.equal(english.redactions);
      expect(inGerman.data.login.error).to.include({ code: 'signature_invalid', title: 'Signature did not verify' });
      expect(inGerman.data.login.steps.find((s) => s.check === 'signature')?.label).to.equal('Signature');
      expect(inGerman.redactionKinds.map(redactionText)).to.include('Zertifikate: Jedes wird durch seinen SHA-256-Fingerabdruck, Inhaber und Ablaufdatum ersetzt.');
      // After the report, the portal's text is German again.
      expect(testFailureTitle('signature_invalid')).to.equal('Signatur nicht verifiziert');
    } finally {
      await switchLocale('en');
    }
  });
});
