import { expect } from '@open-wc/testing';
import { pemFingerprint, simulatedResult, type SimulatedOutcome } from '../../../src/adapters/simulated-tests.js';
import { defaultSession } from '../../../src/adapters/memory-adapter.js';
import { connectionServiceProvider } from '../../../src/core/sp-metadata.js';
import { demoConnections } from '../../../src/adapters/demo-data.js';
import { TestResultSchema, validate, type Connection, type Protocol, type TestResult } from '../../../src/core/model.js';
import { PROVIDERS, defaultAttributeMapping, findProvider } from '../../../src/core/providers/catalog.js';
import { entraId } from '../../../src/core/providers/entra-id.js';
import { googleWorkspace } from '../../../src/core/providers/google-workspace.js';
import { okta } from '../../../src/core/providers/okta.js';
import { TEST_FAILURES, TEST_FAILURE_CODES, TEST_WARNINGS, type TestFailureCode } from '../../../src/core/test-failures.js';
import { testFailureTitle, testWarningTitle, detailRows, diagnoseTest, mappingGaps, summarizeProfile } from '../../../src/core/test-diagnosis.js';
import { builtInTestRemedies, loadTestRemedies } from '../../../src/core/providers/test-remedies.js';
import { PROVIDERS as ALL_PROVIDERS } from '../../../src/core/providers/catalog.js';
import type { ProviderDefinition } from '../../../src/core/providers/types.js';

/** A provider's own remedies: a built-in one's are loaded apart from its definition (core/providers/test-remedies.ts). */
const remediesOf = (provider: ProviderDefinition | undefined) => (provider ? (builtInTestRemedies(provider.id) ?? provider.testRemedies) : undefined);
before(() => Promise.all(ALL_PROVIDERS.map((p) => loadTestRemedies(p.id))));


const NOW = new Date('2026-03-02T10:00:00.000Z');
const SESSION = defaultSession(NOW);
const SP = SESSION.serviceProvider;
const PROTOCOLS: Protocol[] = ['saml', 'oidc'];
const FIELDS = ['email', 'firstName', 'lastName', 'groups'];
const SAML_ONLY: TestFailureCode[] = [
  'signature_invalid',
  'certificate_mismatch',
  'response_unsigned',
  'audience_mismatch',
  'destination_mismatch',
  'assertion_expired',
  'assertion_not_yet_valid',
  'issuer_mismatch',
  'decryption_failed',
  'encryption_required',
];
const OIDC_ONLY: TestFailureCode[] = ['oidc_invalid_client', 'oidc_issuer_mismatch'];
const WS_EMAIL = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';

const [OKTA_SAML, ENTRA_OIDC] = demoConnections(NOW) as [Connection, Connection];

function connection(providerId: string, protocol: Protocol, patch: Partial<Connection> = {}): Connection {
  const base = protocol === 'saml' ? OKTA_SAML : ENTRA_OIDC;
  const issuer = providerId === 'okta' ? 'https://megacorp.okta.com' : providerId === 'keycloak' ? 'https://sso.megacorp.example/realms/megacorp' : ENTRA_OIDC.oidc!.issuer;
  return {
    ...structuredClone(base),
    id: `conn_${providerId}_${protocol}`,
    providerId,
    protocol,
    oidc: protocol === 'oidc' ? { ...ENTRA_OIDC.oidc!, issuer } : null,
    saml: protocol === 'saml' ? structuredClone(OKTA_SAML.saml) : null,
    attributeMapping: defaultAttributeMapping(providerId, protocol),
    ...patch,
  };
}

/** A complete TestResult around a simulated outcome. */
function fullResult(part: ReturnType<typeof simulatedResult>, conn: Connection, mode: 'sp' | 'idp' = 'sp'): TestResult {
  return {
    id: 'test_1',
    connectionId: conn.id,
    mode,
    startedAt: new Date(NOW.getTime() - 30_000).toISOString(),
    completedAt: NOW.toISOString(),
    ...part,
  };
}

function simulate(outcome: SimulatedOutcome, conn: Connection) {
  return fullResult(simulatedResult(outcome, { connection: conn, session: SESSION, now: NOW }), conn);
}

function failure(code: TestFailureCode, details?: Record<string, unknown>, extra: Partial<TestResult> = {}): TestResult {
  return {
    id: 'test_1',
    connectionId: 'conn_1',
    mode: 'sp',
    status: 'failure',
    profile: null,
    rawAttributes: {},
    error: { code, ...TEST_FAILURES[code], ...(details ? { details } : {}) },
    startedAt: NOW.toISOString(),
    completedAt: NOW.toISOString(),
    ...extra,
  };
}

function success(rawAttributes: Record<string, string[]>, profile: TestResult['profile'] = { email: 'ada@megacorp.example', subject: 'ada@megacorp.example' }): TestResult {
  return { ...failure('timeout'), status: 'success', error: null, profile, rawAttributes };
}

/** `**label**` markup only: no HTML, no stray `**`. */
function expectMarkup(text: string, where: string) {
  expect(text.trim(), where).to.not.equal('');
  expect(text, `${where}: no HTML`).to.not.match(/</);
  expect(text.replace(/\*\*[^*]+\*\*/g, ''), `${where}: unbalanced **`).to.not.include('**');
}

/** Every key and string value of `value`, recursively. */
function walk(value: unknown, visit: (key: string | undefined, leaf: unknown) => void, key?: string): void {
  if (Array.isArray(value)) value.forEach((v) => walk(v, visit, key));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) { visit(k, undefined); walk(v, visit, k); }
  else visit(key, value);
}

async function sha256Fingerprint(pem: string): Promise<string> {
  const der = Uint8Array.from(atob(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '')), (c) => c.charCodeAt(0));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', der));
  return [...digest].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

// ---------------------------------------------------------------------------------------

describe('providers: test remedies, IdP-initiated tests, attribute hints', () => {
  it('gives remedies only for the protocols a provider lists and known codes, in **label** markup', () => {
    for (const provider of PROVIDERS) {
      for (const protocol of PROTOCOLS) {
        const remedies = remediesOf(provider)?.[protocol];
        if (!provider.protocols.includes(protocol)) {
          expect(remedies, `${provider.id} ${protocol}`).to.equal(undefined);
          continue;
        }
        for (const [code, text] of Object.entries(remedies ?? {})) {
          expect(TEST_FAILURE_CODES, `${provider.id} ${protocol} ${code}`).to.include(code);
          if (protocol === 'oidc') expect(SAML_ONLY, `${provider.id}: a SAML-only code under oidc`).to.not.include(code);
          if (protocol === 'saml') expect(OIDC_ONLY, `${provider.id}: an OIDC-only code under saml`).to.not.include(code);
          expectMarkup(text, `${provider.id} ${protocol} ${code}`);
          expect(text, `${provider.id} ${protocol} ${code}: differs from the generic remedy`).to.not.equal(TEST_FAILURES[code as TestFailureCode].remedy);
        }
      }
    }
  });

  it('tells every real provider where to fix the classic failures in its own console', () => {
    for (const provider of PROVIDERS.filter((p) => !p.devOnly && !p.id.startsWith('generic-'))) {
      for (const protocol of provider.protocols) {
        const remedies = remediesOf(provider)?.[protocol] ?? {};
        const expected: TestFailureCode[] =
          protocol === 'saml'
            ? ['audience_mismatch', 'destination_mismatch', 'certificate_mismatch', 'missing_email', 'user_denied', 'idp_error']
            : ['oidc_invalid_client', 'oidc_issuer_mismatch', 'user_denied'];
        for (const code of expected) expect(remedies[code], `${provider.id} ${protocol} ${code}`).to.be.a('string');
      }
    }
  });

  it('uses the console’s own labels for the remedies it is known for', () => {
    expect(remediesOf(entraId)?.saml?.audience_mismatch).to.include('**Basic SAML Configuration**').and.include('**Identifier (Entity ID)**');
    expect(remediesOf(entraId)?.saml?.user_denied).to.include('AADSTS50105');
    expect(remediesOf(entraId)?.oidc?.oidc_invalid_client).to.include('**Certificates & secrets**').and.include('**Value**');
    expect(remediesOf(okta)?.saml?.user_denied).to.include('**Assignments**');
    expect(remediesOf(okta)?.saml?.audience_mismatch).to.include('**Audience URI (SP Entity ID)**');
    expect(remediesOf(googleWorkspace)?.saml?.missing_email).to.include('**Primary email**');
    expect(remediesOf(findProvider('keycloak'))?.oidc?.oidc_invalid_client).to.include('**Credentials**').and.include('**Regenerate**');
  });

  it('says how to launch an IdP-initiated test for each listed protocol, and that OIDC has none', () => {
    for (const provider of PROVIDERS) {
      for (const protocol of PROTOCOLS) {
        const text = provider.idpInitiatedTest?.[protocol];
        const where = `${provider.id} ${protocol}`;
        if (!provider.protocols.includes(protocol)) {
          expect(text, where).to.equal(undefined);
          continue;
        }
        expect(text, where).to.be.a('string');
        expectMarkup(text!, where);
        if (protocol === 'oidc') expect(text, where).to.match(/no IdP-initiated/i);
      }
    }
    expect(okta.idpInitiatedTest?.saml).to.match(/End-User Dashboard/);
    expect(entraId.idpInitiatedTest?.saml).to.match(/My Apps/).and.match(/\*\*Test\*\*/);
    expect(findProvider('adfs')!.idpInitiatedTest?.saml).to.include('IdpInitiatedSignOn.aspx').and.include('EnableIdpInitiatedSignonPage');
    expect(findProvider('keycloak')!.idpInitiatedTest?.saml).to.include('/protocol/saml/clients/').and.include('**IDP-Initiated SSO URL name**');
    expect(googleWorkspace.idpInitiatedTest?.saml).to.match(/apps/i);
  });

  it('hints where each provider sends a field, for listed protocols and known fields only', () => {
    for (const provider of PROVIDERS) {
      for (const protocol of PROTOCOLS) {
        const hints = provider.attributeHints?.[protocol];
        if (!provider.protocols.includes(protocol)) {
          expect(hints, `${provider.id} ${protocol}`).to.equal(undefined);
          continue;
        }
        if (!provider.devOnly) expect(hints?.email, `${provider.id} ${protocol}: an email hint`).to.be.a('string');
        for (const [field, text] of Object.entries(hints ?? {})) {
          expect(FIELDS, `${provider.id} ${protocol} ${field}`).to.include(field);
          expectMarkup(text, `${provider.id} ${protocol} ${field}`);
        }
      }
    }
    expect(entraId.attributeHints?.saml?.email).to.include(WS_EMAIL).and.include('**Attributes & Claims**');
  });
});

describe('diagnoseTest: failures', () => {
  it('gives every failure code its title, meaning and the provider’s remedy where defined, the generic one otherwise', () => {
    for (const provider of [undefined, ...PROVIDERS]) {
      for (const protocol of PROTOCOLS) {
        for (const code of TEST_FAILURE_CODES) {
          const d = diagnoseTest(failure(code), { provider, protocol, mapping: { email: 'email' } });
          const own = remediesOf(provider)?.[protocol]?.[code];
          const where = `${provider?.id ?? 'no provider'} ${protocol} ${code}`;
          expect(d.status, where).to.equal('failure');
          expect(d.code, where).to.equal(code);
          expect(d.title, where).to.equal(testFailureTitle(code));
          expect(d.headline, where).to.equal('The test login failed');
          expect(d.meaning, where).to.equal(TEST_FAILURES[code].message);
          expect(d.remedy, where).to.equal(own ?? TEST_FAILURES[code].remedy);
          expect(d.remedySource, where).to.equal(own ? 'provider' : 'generic');
        }
      }
    }
  });

  it('uses Entra’s Basic SAML Configuration for a wrong audience and offers our Entity ID to paste', () => {
    const d = diagnoseTest(failure('audience_mismatch', { expectedAudience: SP.entityId, receivedAudience: ['https://wrong.example/sp'] }), {
      provider: entraId,
      protocol: 'saml',
      mapping: { email: WS_EMAIL },
      serviceProvider: SP,
    });
    expect(d.remedy).to.include('**Identifier (Entity ID)**');
    expect(d.spValue).to.deep.equal({ key: 'entityId', label: 'Our Entity ID', value: SP.entityId });
    expect(d.details).to.deep.equal([
      { key: 'audience', label: 'Audience', expected: [SP.entityId], received: ['https://wrong.example/sp'], format: 'code', mismatch: true },
    ]);
  });

  it('offers our ACS URL (SAML) or redirect URI (OIDC) for a wrong destination, nothing for other codes', () => {
    const ctx = { protocol: 'saml' as Protocol, mapping: { email: 'email' }, serviceProvider: SP };
    expect(diagnoseTest(failure('destination_mismatch'), ctx).spValue?.value).to.equal(SP.acsUrl);
    expect(diagnoseTest(failure('destination_mismatch'), { ...ctx, protocol: 'oidc' }).spValue?.value).to.equal(SP.oidcRedirectUri);
    expect(diagnoseTest(failure('user_denied'), ctx).spValue).to.equal(undefined);
    expect(diagnoseTest(failure('audience_mismatch'), { protocol: 'saml', mapping: { email: 'email' } }).spValue).to.equal(undefined);
  });

  it('tells how to launch the login from the IdP when an IdP-initiated test timed out', () => {
    const idp = diagnoseTest(failure('timeout', undefined, { mode: 'idp' }), { provider: okta, protocol: 'saml', mapping: { email: 'email' } });
    expect(idp.idpLaunch).to.equal(okta.idpInitiatedTest!.saml);
    expect(idp.remedy, 'no login window in an IdP-initiated test').to.not.match(/window|pop-up/i);
    expect(idp.remedy).to.match(/from your identity provider/);
    const sp = diagnoseTest(failure('timeout'), { provider: okta, protocol: 'saml', mapping: { email: 'email' } });
    expect(sp.idpLaunch).to.equal(undefined);
    expect(sp.remedy).to.equal(TEST_FAILURES.timeout.remedy);
  });

  it('shows the server’s own message when it says more than the generic one', () => {
    const result = failure('idp_error');
    result.error!.message = 'AADSTS75011: Authentication method does not match the requested method.';
    const d = diagnoseTest(result, { protocol: 'saml', mapping: { email: 'email' } });
    expect(d.meaning).to.equal(TEST_FAILURES.idp_error.message);
    expect(d.details.at(-1)).to.deep.equal({ key: 'message', label: 'What the server reported', received: [result.error!.message], format: 'text' });
  });

  it('explains a failure without an error, and a pending test', () => {
    const broken = { ...failure('timeout'), error: null };
    const d = diagnoseTest(broken, { protocol: 'saml', mapping: { email: 'email' } });
    expect(d).to.include({ status: 'failure', title: 'Unknown problem', remedySource: 'generic' });
    expect(d.remedy).to.be.a('string').and.not.equal('');
    const pending = diagnoseTest({ ...broken, status: 'pending', completedAt: null }, { protocol: 'saml', mapping: { email: 'email' } });
    expect(pending).to.include({ status: 'pending', remedy: '', remedySource: 'none' });
  });
});

describe('detailRows', () => {
  it('turns the documented keys into labelled expected/received rows, in a fixed order', () => {
    const rows = detailRows(
      {
        skewSeconds: 420,
        serverTime: '2026-03-02T10:00:00.000Z',
        notBefore: '2026-03-02T10:07:00.000Z',
        notOnOrAfter: '2026-03-02T10:12:00.000Z',
        allowedSkewSeconds: 180,
        expectedIssuer: 'https://idp.example/a',
        receivedIssuer: 'https://idp.example/a',
      },
      'saml',
    );
    expect(rows.map((r) => r.key)).to.deep.equal(['issuer', 'notBefore', 'notOnOrAfter', 'serverTime', 'skewSeconds', 'allowedSkewSeconds']);
    expect(rows[0]).to.deep.include({ label: 'Issuer (IdP entity ID)', mismatch: false });
    expect(rows[1]).to.deep.equal({ key: 'notBefore', label: 'Valid from (NotBefore)', received: ['2026-03-02T10:07:00.000Z'], format: 'time' });
    expect(rows[3]).to.deep.equal({ key: 'serverTime', label: 'Our clock when it arrived', expected: ['2026-03-02T10:00:00.000Z'], format: 'time' });
    expect(rows[4]!.received).to.deep.equal(['7 minutes ahead of ours']);
    expect(rows[5]!.expected).to.deep.equal(['up to 3 minutes']);
  });

  it('names rows by protocol', () => {
    const rows = detailRows({ expectedIssuer: 'https://a', receivedIssuer: 'https://b', notOnOrAfter: '2026-03-02T10:00:00Z' }, 'oidc');
    expect(rows.map((r) => r.label)).to.deep.equal(['Issuer (iss)', 'Expires (exp)']);
    expect(rows[0]!.mismatch).to.equal(true);
  });

  it('lists every configured fingerprint and the one that signed, SAML statuses and OIDC errors', () => {
    const rows = detailRows(
      {
        expectedFingerprints: ['AA:BB', 'CC:DD'],
        receivedFingerprint: 'EE:FF',
        idpStatus: 'urn:oasis:names:tc:SAML:2.0:status:Requester',
        idpStatusMessage: 'Nope',
        oidcError: 'invalid_client',
      },
      'saml',
    );
    expect(rows.find((r) => r.key === 'fingerprint')).to.deep.equal({
      key: 'fingerprint',
      label: 'Signing certificate (SHA-256)',
      expected: ['AA:BB', 'CC:DD'],
      received: ['EE:FF'],
      format: 'code',
      mismatch: true,
    });
    expect(rows.find((r) => r.key === 'idpStatus')!.received).to.deep.equal(['urn:oasis:names:tc:SAML:2.0:status:Requester']);
    expect(rows.find((r) => r.key === 'idpStatusMessage')!.format).to.equal('text');
    expect(rows.find((r) => r.key === 'oidcError')!.received).to.deep.equal(['invalid_client']);
  });

  it('shows other plain values under a readable name, and never secrets, objects or the simulated flag', () => {
    const rows = detailRows(
      {
        simulated: true,
        correlationId: 'c0ffee',
        retries: 2,
        clientSecret: 'hunter2',
        client_secret: 'hunter2',
        id_token: 'eyJ...',
        accessToken: 'x',
        samlResponse: 'PHNhbWw...',
        signatureValue: 'abc',
        privateKey: 'k',
        nested: { a: 1 },
        empty: '',
      },
      'oidc',
    );
    expect(rows).to.deep.equal([
      { key: 'correlationId', label: 'Correlation id', received: ['c0ffee'], format: 'text' },
      { key: 'retries', label: 'Retries', received: ['2'], format: 'text' },
    ]);
    expect(detailRows(undefined, 'saml')).to.deep.equal([]);
  });

  it('shows the NameID format a missing_email result received, after the email attribute', () => {
    const persistent = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';
    const rows = detailRows({ expectedAttribute: 'email', receivedAttributeNames: ['uid'], receivedNameIdFormat: persistent, reason: 'r' }, 'saml');
    expect(rows.map((r) => r.key)).to.deep.equal(['attribute', 'nameIdFormat', 'reason']);
    expect(rows[1]).to.deep.equal({ key: 'nameIdFormat', label: 'NameID format', received: [persistent], format: 'code' });
  });

  it('clips very long values', () => {
    const [row] = detailRows({ reason: 'x'.repeat(5000) }, 'saml');
    expect(row!.received![0]!.length).to.be.lessThan(2100);
  });
});

describe('mappingGaps', () => {
  it('finds nothing when every mapped attribute arrived', () => {
    const raw = { email: ['a@b.example'], firstName: ['A'], lastName: ['B'], groups: ['g'] };
    expect(mappingGaps(raw, { email: 'email', firstName: 'firstName', lastName: 'lastName', groups: 'groups' }, 'saml', okta)).to.deep.equal([]);
  });

  it('uses the provider’s hint when the email is missing and nothing looks like it (Entra)', () => {
    const [gap, ...rest] = mappingGaps({ 'http://schemas.microsoft.com/identity/claims/tenantid': ['t'] }, { email: 'email' }, 'saml', entraId);
    expect(rest).to.deep.equal([]);
    expect(gap).to.deep.include({ field: 'email', severity: 'required', mapped: 'email' });
    expect(gap!.suggestion).to.equal(undefined);
    expect(gap!.message).to.include('“email” was not sent').and.include(entraId.attributeHints!.saml!.email!);
    expect(gap!.message).to.include(WS_EMAIL);
  });

  it('suggests the received attribute that looks like the field: a claim URI, mail, an OID', () => {
    const entra = mappingGaps({ [WS_EMAIL]: ['ada@megacorp.example'] }, { email: 'email' }, 'saml', entraId);
    expect(entra).to.have.length(1);
    expect(entra[0]).to.deep.include({ field: 'email', suggestion: WS_EMAIL });
    expect(entra[0]!.message).to.include(`“${WS_EMAIL}”`).and.match(/use it as the email attribute/);
    expect(mappingGaps({ mail: ['a@b.example'] }, { email: 'email' }, 'saml')[0]!.suggestion).to.equal('mail');
    expect(mappingGaps({ 'urn:oid:0.9.2342.19200300.100.1.3': ['a@b.example'] }, { email: 'email' }, 'saml')[0]!.suggestion).to.equal('urn:oid:0.9.2342.19200300.100.1.3');
    expect(mappingGaps({ given_name: ['Ada'], email: ['a@b.example'] }, { email: 'email', firstName: 'firstName' }, 'oidc')[0]).to.deep.include({
      field: 'firstName',
      severity: 'optional',
      suggestion: 'given_name',
    });
  });

  it('points out a name that differs only in case', () => {
    const [gap] = mappingGaps({ Email: ['a@b.example'] }, { email: 'email' }, 'saml', okta);
    expect(gap!.suggestion).to.equal('Email');
    expect(gap!.message).to.match(/case-sensitive/);
  });

  it('falls back to a value that is an email address, but never to an attribute mapped to another field', () => {
    const [gap] = mappingGaps({ upn: ['ada@megacorp.example'], firstName: ['Ada'] }, { email: 'email', firstName: 'firstName' }, 'saml');
    expect(gap!.suggestion).to.equal('upn');
    const none = mappingGaps({ login: ['ada@megacorp.example'] }, { email: 'email', firstName: 'login' }, 'saml');
    expect(none.find((g) => g.field === 'email')!.suggestion).to.equal(undefined);
  });

  it('treats missing optional fields softly, and notes an unmapped field the IdP sends', () => {
    const gaps = mappingGaps({ email: ['a@b.example'], memberOf: ['Admins'] }, { email: 'email', lastName: 'lastName' }, 'saml', okta);
    expect(gaps.map((g) => [g.field, g.severity])).to.deep.equal([
      ['lastName', 'optional'],
      ['groups', 'optional'],
    ]);
    expect(gaps[0]!.message).to.include('(optional)').and.include(okta.attributeHints!.saml!.lastName!);
    expect(gaps[1]).to.deep.include({ suggestion: 'memberOf' });
    expect(gaps[1]!.message).to.match(/Groups is not mapped/);
  });

  it('counts an attribute with only empty values as missing', () => {
    expect(mappingGaps({ email: [''] }, { email: 'email' }, 'saml')).to.have.length(1);
  });

  it('is part of the diagnosis of successes and of missing_email only', () => {
    const ok = diagnoseTest(success({ [WS_EMAIL]: ['ada@megacorp.example'] }), { provider: entraId, protocol: 'saml', mapping: { email: 'email' } });
    expect(ok).to.include({ status: 'success', headline: 'The test login worked', remedySource: 'none' });
    expect(ok.mappingGaps.map((g) => g.suggestion)).to.deep.equal([WS_EMAIL]);
    const missing = diagnoseTest({ ...failure('missing_email'), rawAttributes: { firstName: ['Ada'] } }, { provider: okta, protocol: 'saml', mapping: { email: 'email' } });
    expect(missing.mappingGaps.map((g) => [g.field, g.severity])).to.deep.equal([
      ['email', 'required'],
      ['firstName', 'optional'],
    ]);
    const other = diagnoseTest({ ...failure('user_denied'), rawAttributes: { firstName: ['Ada'] } }, { provider: okta, protocol: 'saml', mapping: { email: 'email' } });
    expect(other.mappingGaps).to.deep.equal([]);
  });
});

describe('summarizeProfile', () => {
  it('summarises who signed in', () => {
    expect(summarizeProfile({ profile: { email: 'ada@x.example', firstName: 'Ada', lastName: 'Lovelace', groups: ['a', 'b'], subject: 's' } })).to.deep.equal({
      email: 'ada@x.example',
      name: 'Ada Lovelace',
      subject: 's',
      groups: ['a', 'b'],
      text: 'Ada Lovelace (ada@x.example), in 2 groups.',
    });
    expect(summarizeProfile({ profile: { email: 'ada@x.example', groups: ['a'] } }).text).to.equal('ada@x.example, in 1 group.');
    expect(summarizeProfile({ profile: { subject: 'ada' } }).text).to.equal('ada.');
    expect(summarizeProfile({ profile: null })).to.deep.equal({ groups: [], text: '' });
  });
});

describe('simulatedResult', () => {
  const CONNECTIONS = [
    connection('okta', 'saml'),
    connection('entra-id', 'saml'),
    connection('google-workspace', 'saml'),
    connection('adfs', 'saml'),
    connection('generic-saml', 'saml', { saml: null }),
    connection('okta', 'oidc'),
    connection('entra-id', 'oidc'),
    connection('keycloak', 'oidc'),
    connection('generic-oidc', 'oidc', { oidc: null, attributeMapping: { email: 'email' } }),
  ];
  const OUTCOMES: SimulatedOutcome[] = ['success', ...TEST_FAILURE_CODES];
  const SECRET_KEYS = /secret|password|private|token(?!Endpoint)|assertion|signatureValue|samlResponse|samlRequest|verifier|cookie/i;

  it('produces a valid TestResult for every outcome and kind of connection, with details for every failure', () => {
    for (const conn of CONNECTIONS) {
      for (const outcome of OUTCOMES) {
        const where = `${conn.providerId} ${conn.protocol} ${outcome}`;
        const result = simulate(outcome, conn);
        const parsed = validate(TestResultSchema, result);
        expect(parsed.ok, `${where}: ${parsed.ok ? '' : JSON.stringify(parsed.issues)}`).to.equal(true);
        if (outcome === 'success') {
          expect(result.status, where).to.equal('success');
          expect(result.error, where).to.equal(null);
          continue;
        }
        expect(result.status, where).to.equal('failure');
        expect(result.error, where).to.deep.include({ code: outcome, message: TEST_FAILURES[outcome].message, remedy: TEST_FAILURES[outcome].remedy });
        const d = diagnoseTest(result, { provider: findProvider(conn.providerId), protocol: conn.protocol, mapping: conn.attributeMapping, serviceProvider: SP });
        expect(d.details.length, `${where}: detail rows`).to.be.greaterThan(0);
      }
    }
  });

  it('addresses every expected SP value to the connection’s own values, not the organization’s', () => {
    for (const protocol of PROTOCOLS) {
      const own = connectionServiceProvider(SP, `conn_own_${protocol}`);
      const conn = connection('okta', protocol, { serviceProvider: own });
      for (const code of ['audience_mismatch', 'destination_mismatch'] as const) {
        const where = `${protocol} ${code}`;
        const details = simulate(code, conn).error!.details!;
        const orgWide = new Set([SP.entityId, SP.acsUrl, SP.oidcRedirectUri]);
        walk(details, (_key, leaf) => {
          expect(orgWide.has(leaf as string), `${where}: ${String(leaf)} is the organization’s value`).to.equal(false);
        });
        if (protocol === 'saml' && code === 'audience_mismatch') expect(details.expectedAudience, where).to.equal(own.entityId);
        if (protocol === 'saml' && code === 'destination_mismatch') expect([details.expectedDestination, details.expectedRecipient], where).to.deep.equal([own.acsUrl, own.acsUrl]);
        if (protocol === 'oidc' && code === 'destination_mismatch') expect(details.expectedDestination, where).to.equal(own.oidcRedirectUri);
      }
    }
  });

  it('warns that sign-ins need a verified domain on a success when the organization has none', () => {
    const conn = connection('okta', 'saml');
    const none = fullResult(simulatedResult('success', { connection: conn, session: SESSION, now: NOW, verifiedDomains: [] }), conn);
    expect(validate(TestResultSchema, none).ok).to.equal(true);
    expect(none.warnings).to.deep.equal([{ code: 'domain_not_verified', ...TEST_WARNINGS.domain_not_verified, details: { emailDomain: 'megacorp.example' } }]);
    const d = diagnoseTest(none, { protocol: 'saml', mapping: conn.attributeMapping });
    expect(d.status).to.equal('success');
    expect(d.warnings).to.deep.equal([
      {
        code: 'domain_not_verified',
        title: testWarningTitle('domain_not_verified'),
        message: TEST_WARNINGS.domain_not_verified.message,
        remedy: TEST_WARNINGS.domain_not_verified.remedy,
        details: [{ key: 'emailDomain', label: 'Email domain', received: ['megacorp.example'], format: 'code' }],
      },
    ]);
    expect(simulatedResult('success', { connection: conn, session: SESSION, now: NOW, verifiedDomains: ['megacorp.example'] }).warnings).to.equal(undefined);
    expect(simulatedResult('success', { connection: conn, session: SESSION, now: NOW }).warnings).to.equal(undefined);
    expect(diagnoseTest(failure('user_denied'), { protocol: 'saml', mapping: { email: 'email' } }).warnings).to.deep.equal([]);
  });

  it('contains no secret-looking field, certificate, token or signature', () => {
    for (const conn of CONNECTIONS) {
      for (const outcome of OUTCOMES) {
        const where = `${conn.providerId} ${conn.protocol} ${outcome}`;
        const result = simulatedResult(outcome, { connection: conn, session: SESSION, now: NOW });
        walk(result, (key, leaf) => {
          if (key !== undefined) expect(key, `${where}: key`).to.not.match(SECRET_KEYS);
          if (typeof leaf === 'string') {
            expect(leaf, `${where}: ${key}`).to.not.match(/BEGIN [A-Z ]*(CERTIFICATE|KEY)|<\w+:?(Assertion|Response|Signature)\b/);
            expect(leaf, `${where}: ${key}: no long base64 blob`).to.not.match(/[A-Za-z0-9+/=]{120,}/);
            expect(leaf, `${where}: ${key}: no JWT`).to.not.match(/^eyJ[\w-]+\.[\w-]+\./);
          }
        });
      }
    }
  });

  it('names raw attributes per the connection’s mapping: claim URIs for Entra SAML, standard claims for OIDC', () => {
    const entra = simulate('success', connection('entra-id', 'saml'));
    for (const name of Object.values(entraId.attributeDefaults.saml!)) expect(entra.rawAttributes, name).to.have.property(name);
    expect(entra.rawAttributes[WS_EMAIL]).to.deep.equal([entra.profile!.email]);
    expect(entra.rawAttributes['http://schemas.microsoft.com/identity/claims/tenantid']).to.have.length(1);
    expect(entra.rawAttributes[entraId.attributeDefaults.saml!.groups!]![0]).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    const oidc = simulate('success', connection('okta', 'oidc'));
    expect(oidc.rawAttributes).to.include.keys('sub', 'iss', 'aud', 'email', 'given_name', 'family_name', 'email_verified');
    expect(oidc.rawAttributes.iss).to.deep.equal(['https://megacorp.okta.com']);
    expect(oidc.profile!.subject).to.match(/^00u/);
    expect(oidc.profile).to.deep.include({ email: 'ada.lovelace@megacorp.example', firstName: 'Ada', lastName: 'Lovelace' });
    const saml = simulate('success', connection('okta', 'saml'));
    expect(saml.rawAttributes).to.deep.equal({
      email: ['ada.lovelace@megacorp.example'],
      firstName: ['Ada'],
      lastName: ['Lovelace'],
      groups: ['Engineering', 'SSO Admins'],
    });
    expect(saml.profile).to.deep.equal({ email: 'ada.lovelace@megacorp.example', firstName: 'Ada', lastName: 'Lovelace', groups: ['Engineering', 'SSO Admins'], subject: 'ada.lovelace@megacorp.example' });
  });

  it('leaves out what the mapping does not name, and takes the user given', () => {
    const conn = connection('generic-oidc', 'oidc', { attributeMapping: { email: 'email' } });
    const result = simulatedResult('success', { connection: conn, session: SESSION, now: NOW, user: { email: 'grace@navy.example', groups: [] } });
    expect(result.profile).to.deep.equal({ email: 'grace@navy.example', subject: result.profile!.subject });
    expect(result.rawAttributes).to.not.have.any.keys('given_name', 'family_name', 'groups');
    expect(result.rawAttributes.email).to.deep.equal(['grace@navy.example']);
  });

  it('missing_email: a profile without email and no email attribute', () => {
    for (const conn of CONNECTIONS) {
      const result = simulate('missing_email', conn);
      expect(result.profile?.email, conn.id).to.equal(undefined);
      expect(result.rawAttributes, conn.id).to.not.have.property(conn.attributeMapping.email);
      expect(result.error!.details).to.deep.include({ expectedAttribute: conn.attributeMapping.email, receivedAttributeNames: Object.keys(result.rawAttributes) });
    }
  });

  it('builds realistic expected/received values from the session and the configuration', async () => {
    const okta = connection('okta', 'saml');
    const at = (code: TestFailureCode, conn = okta) => simulate(code, conn).error!.details!;
    expect(at('audience_mismatch')).to.deep.equal({ expectedAudience: SP.entityId, receivedAudience: [SP.metadataUrl] });
    expect(at('destination_mismatch')).to.deep.include({ expectedDestination: SP.acsUrl, receivedDestination: 'https://sso.acme.test/saml/acs' });
    expect(at('issuer_mismatch')).to.deep.equal({ expectedIssuer: okta.saml!.idpEntityId, receivedIssuer: 'https://www.okta.com/exk1demo' });
    expect(at('assertion_not_yet_valid')).to.deep.include({ skewSeconds: 420, serverTime: NOW.toISOString(), notBefore: '2026-03-02T10:07:00.000Z' });
    expect(at('assertion_expired')).to.deep.include({ notOnOrAfter: '2026-03-02T09:54:00.000Z', serverTime: NOW.toISOString() });
    expect(at('idp_error')).to.deep.include({ idpStatus: 'urn:oasis:names:tc:SAML:2.0:status:Requester' });
    expect(at('user_denied')).to.deep.include({ idpSubStatus: 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied' });
    const cert = at('certificate_mismatch');
    const real = await sha256Fingerprint(okta.saml!.signingCertificates[0]!);
    expect(cert.expectedFingerprints).to.deep.equal([real]);
    expect(pemFingerprint(okta.saml!.signingCertificates[0]!)).to.equal(real);
    expect(cert.receivedFingerprint).to.match(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/).and.not.equal(real);
    const entraOidc = connection('entra-id', 'oidc');
    expect(at('oidc_issuer_mismatch', entraOidc)).to.deep.equal({
      expectedIssuer: entraOidc.oidc!.issuer,
      receivedIssuer: 'https://sts.windows.net/00000000-0000-0000-0000-000000000000/',
    });
    expect(at('oidc_invalid_client', entraOidc)).to.deep.include({ oidcError: 'invalid_client', clientId: entraOidc.oidc!.clientId, idpErrorCode: 'AADSTS7000215' });
    expect(at('oidc_issuer_mismatch', connection('okta', 'oidc'))).to.deep.include({ receivedIssuer: 'https://megacorp.okta.com/oauth2/default' });
    expect(at('user_denied', connection('okta', 'oidc'))).to.deep.include({ oidcError: 'access_denied', oidcErrorDescription: 'User is not assigned to the client application.' });
  });

  it('is deterministic', () => {
    const conn = connection('entra-id', 'oidc');
    for (const outcome of OUTCOMES) {
      expect(simulatedResult(outcome, { connection: conn, session: SESSION, now: NOW }), outcome).to.deep.equal(
        simulatedResult(outcome, { connection: conn, session: SESSION, now: NOW }),
      );
    }
  });
});
