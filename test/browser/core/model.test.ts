import { expect } from '@open-wc/testing';
import { PortalError } from '../../../src/core/errors.js';
import {
  AttributeMappingSchema,
  ConnectionInputSchema,
  ConnectionPatchSchema,
  ConnectionSchema,
  DomainSchema,
  HttpUrlSchema,
  IdSchema,
  LastTestSchema,
  OidcConfigInputSchema,
  OidcConfigSchema,
  PortalSessionSchema,
  SamlConfigSchema,
  TestFailureCodeSchema,
  TestResultSchema,
  TestStartSchema,
  TimestampSchema,
  formatIssues,
  parseOrThrow,
  validate,
  type Connection,
  type Domain,
  type FieldIssue,
  type PortalSession,
  type TestResult,
} from '../../../src/core/model.js';
import { TEST_FAILURES, TEST_FAILURE_CODES } from '../../../src/core/test-failures.js';

// ---------------------------------------------------------------------------------------
// Fixtures: one valid value per schema; each test breaks exactly one field.

const NOW = '2030-01-02T03:04:05.000Z';
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUJ\n-----END CERTIFICATE-----';

function session(): PortalSession {
  return {
    organization: { id: 'org_demo', name: 'Megacorp' },
    serviceProvider: {
      entityId: 'https://sso.acme.test/saml/org_demo',
      acsUrl: 'https://sso.acme.test/saml/org_demo/acs',
      metadataUrl: 'https://sso.acme.test/saml/org_demo/metadata',
      oidcRedirectUri: 'https://sso.acme.test/oidc/org_demo/callback',
    },
    branding: { name: 'Acme', logoUrl: 'https://cdn.acme.test/logo.svg', accentColor: '#4f46e5' },
    features: { saml: true, oidc: true, domains: true, idpInitiatedTest: false },
    devMode: false,
    expiresAt: NOW,
  };
}

function samlConfig(): NonNullable<Connection['saml']> {
  return {
    idpEntityId: 'http://www.okta.com/exk1',
    ssoUrl: 'https://megacorp.okta.test/app/sso/saml',
    ssoBinding: 'redirect',
    signingCertificates: [PEM],
  };
}

function samlConnection(): Connection {
  return {
    id: 'conn_1',
    protocol: 'saml',
    providerId: 'okta',
    name: 'Okta (staff)',
    status: 'configured',
    saml: samlConfig(),
    oidc: null,
    attributeMapping: { email: 'email', firstName: 'givenName', lastName: 'sn', groups: 'groups' },
    lastTest: { id: 'test_1', mode: 'sp', status: 'success', at: NOW, stale: false },
    version: 3,
    createdAt: NOW,
    updatedAt: NOW,
  };
}

function oidcConnection(): Connection {
  return {
    id: 'conn_2',
    protocol: 'oidc',
    providerId: 'entra-id',
    status: 'active',
    saml: null,
    oidc: {
      issuer: 'https://login.microsoftonline.test/tenant/v2.0',
      clientId: 'client-123',
      clientSecretSet: true,
      scopes: ['openid', 'email', 'profile'],
    },
    attributeMapping: { email: 'email' },
    lastTest: null,
    version: 1,
    createdAt: NOW,
    updatedAt: NOW,
  };
}

function domain(): Domain {
  return {
    name: 'megacorp.example',
    status: 'pending',
    txtRecord: { name: '_sso-verification.megacorp.example', value: 'sso-verification=abc' },
    method: 'dns_txt',
    verifiedAt: null,
    lastCheckedAt: null,
  };
}

function testResult(): TestResult {
  return {
    id: 'test_1',
    connectionId: 'conn_1',
    mode: 'sp',
    status: 'failure',
    profile: { firstName: 'Ada', subject: 'ada' },
    rawAttributes: { firstName: ['Ada'] },
    error: { code: 'missing_email', message: 'No email.', remedy: 'Map the email.', details: { expected: 'email' } },
    startedAt: NOW,
    completedAt: NOW,
  };
}

/** Deep-copies `value`, lets `edit` break it, and returns the copy. */
function broken<T>(value: T, edit: (copy: any) => void): T {
  const copy = structuredClone(value);
  edit(copy);
  return copy;
}

/** Asserts validation fails with an issue on exactly `path` and returns that issue. */
function expectIssue(schema: Parameters<typeof validate>[0], value: unknown, path: string): FieldIssue {
  const result = validate(schema, value);
  expect(result.ok, `expected ${JSON.stringify(value)} to be invalid`).to.equal(false);
  if (result.ok) throw new Error('unreachable');
  const issue = result.issues.find((i) => i.path === path);
  expect(issue, `issues were ${formatIssues(result.issues)}`).to.not.equal(undefined);
  return issue!;
}

function expectValid(schema: Parameters<typeof validate>[0], value: unknown): void {
  const result = validate(schema, value);
  expect(result.ok, result.ok ? '' : formatIssues(result.issues)).to.equal(true);
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the function to throw');
}

// ---------------------------------------------------------------------------------------

describe('model: building blocks', () => {
  it('IdSchema accepts letters, digits and _ . : - and refuses empty, spaces, slashes and >128 chars', () => {
    expectValid(IdSchema, 'conn_0001');
    expectValid(IdSchema, 'a.b:c-d_E9');
    expectValid(IdSchema, 'x'.repeat(128));
    expect(expectIssue(IdSchema, '', '').message).to.equal('must not be empty');
    expectIssue(IdSchema, 'has space', '');
    expectIssue(IdSchema, '../etc/passwd', '');
    expect(expectIssue(IdSchema, 'x'.repeat(129), '').message).to.equal('must be at most 128 characters');
    expect(expectIssue(IdSchema, 42, '').message).to.equal('must be an id');
  });

  it('HttpUrlSchema accepts http and https URLs', () => {
    expectValid(HttpUrlSchema, 'https://idp.example.com/sso');
    expectValid(HttpUrlSchema, 'http://idp.example.com:8080/path?q=1');
  });

  it('HttpUrlSchema refuses javascript:, data:, file:, ftp: and relative URLs', () => {
    for (const url of [
      'javascript:alert(1)',
      'JavaScript:alert(document.cookie)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'ftp://files.example.com/metadata.xml',
      '/relative/path',
      'not a url',
      '',
    ]) {
      expect(expectIssue(HttpUrlSchema, url, '').message, url).to.equal('must be an http(s) URL');
    }
  });

  it('HttpUrlSchema refuses URLs longer than 2048 characters', () => {
    const long = `https://idp.example.com/${'a'.repeat(2048)}`;
    expect(expectIssue(HttpUrlSchema, long, '').message).to.equal('must be at most 2048 characters');
  });

  it('TimestampSchema accepts ISO date-times with Z or an offset and refuses dates, epochs and free text', () => {
    expectValid(TimestampSchema, NOW);
    expectValid(TimestampSchema, '2030-01-02T03:04:05+02:00');
    for (const bad of ['2030-01-02', '1893553445000', 'yesterday', 1893553445000, '2030-13-40T99:99:99Z']) {
      expect(expectIssue(TimestampSchema, bad, '').message, String(bad)).to.equal('must be an ISO 8601 date-time');
    }
  });

  it('TestFailureCodeSchema accepts exactly the codes in TEST_FAILURE_CODES', () => {
    for (const code of TEST_FAILURE_CODES) expectValid(TestFailureCodeSchema, code);
    expect(expectIssue(TestFailureCodeSchema, 'not_a_code', '').message).to.equal('must be a known test failure code');
    expectIssue(TestFailureCodeSchema, 'toString', '');
  });
});

describe('model: PortalSessionSchema', () => {
  it('accepts a complete session, with and without optional branding', () => {
    expectValid(PortalSessionSchema, session());
    expectValid(
      PortalSessionSchema,
      broken(session(), (s) => {
        delete s.branding.logoUrl;
        delete s.branding.accentColor;
      }),
    );
  });

  it('accepts 3- and 6-digit hex accent colours in either case', () => {
    for (const colour of ['#fff', '#FFF', '#4f46e5', '#4F46E5']) {
      expectValid(PortalSessionSchema, broken(session(), (s) => (s.branding.accentColor = colour)));
    }
  });

  it('refuses accent colours that are not #rgb or #rrggbb hex', () => {
    for (const colour of ['red', '4f46e5', '#4f46e', '#4f46e5ff', '#ggg', 'rgb(0,0,0)', '#fff;background:url(x)', '']) {
      const issue = expectIssue(
        PortalSessionSchema,
        broken(session(), (s) => (s.branding.accentColor = colour)),
        'branding.accentColor',
      );
      expect(issue.message, colour).to.equal('must be a hex colour such as #4f46e5');
    }
  });

  it('refuses a javascript: logo URL', () => {
    expectIssue(PortalSessionSchema, broken(session(), (s) => (s.branding.logoUrl = 'javascript:alert(1)')), 'branding.logoUrl');
  });

  it('names each missing or malformed field by its dotted path', () => {
    expectIssue(PortalSessionSchema, broken(session(), (s) => delete s.organization.id), 'organization.id');
    expectIssue(PortalSessionSchema, broken(session(), (s) => (s.organization.name = '')), 'organization.name');
    expectIssue(PortalSessionSchema, broken(session(), (s) => (s.organization.name = 'x'.repeat(201))), 'organization.name');
    expectIssue(PortalSessionSchema, broken(session(), (s) => (s.serviceProvider.acsUrl = 'nope')), 'serviceProvider.acsUrl');
    expectIssue(PortalSessionSchema, broken(session(), (s) => (s.serviceProvider.entityId = '')), 'serviceProvider.entityId');
    expectIssue(
      PortalSessionSchema,
      broken(session(), (s) => (s.serviceProvider.oidcRedirectUri = 'javascript:void(0)')),
      'serviceProvider.oidcRedirectUri',
    );
    expectIssue(PortalSessionSchema, broken(session(), (s) => (s.branding.name = '')), 'branding.name');
    expectIssue(PortalSessionSchema, broken(session(), (s) => (s.features.domains = 'yes')), 'features.domains');
    expectIssue(PortalSessionSchema, broken(session(), (s) => delete s.features.idpInitiatedTest), 'features.idpInitiatedTest');
    expectIssue(PortalSessionSchema, broken(session(), (s) => (s.devMode = 1)), 'devMode');
    expectIssue(PortalSessionSchema, broken(session(), (s) => (s.expiresAt = 'tomorrow')), 'expiresAt');
  });

  it('refuses values that are not objects', () => {
    for (const value of [null, undefined, 'session', 42, []]) expectIssue(PortalSessionSchema, value, '');
  });
});

describe('model: SAML and OIDC configurations', () => {
  it('SamlConfigSchema accepts both bindings and the optional fields', () => {
    expectValid(SamlConfigSchema, samlConfig());
    expectValid(
      SamlConfigSchema,
      broken(samlConfig(), (c) => {
        c.ssoBinding = 'post';
        c.metadataUrl = 'https://megacorp.okta.test/metadata';
        c.nameIdFormat = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
        c.wantAuthnRequestsSigned = true;
        c.signingCertificates = [PEM, PEM];
      }),
    );
  });

  it('SamlConfigSchema refuses an unknown binding, no certificate, too many certificates and empty certificates', () => {
    expect(expectIssue(SamlConfigSchema, broken(samlConfig(), (c) => (c.ssoBinding = 'artifact')), 'ssoBinding').message).to.equal(
      'must be "redirect" or "post"',
    );
    expect(
      expectIssue(SamlConfigSchema, broken(samlConfig(), (c) => (c.signingCertificates = [])), 'signingCertificates').message,
    ).to.equal('must have at least one signing certificate');
    expect(
      expectIssue(SamlConfigSchema, broken(samlConfig(), (c) => (c.signingCertificates = Array(6).fill(PEM))), 'signingCertificates')
        .message,
    ).to.equal('must have at most 5 signing certificates');
    expect(parseOrThrow(SamlConfigSchema, { ...samlConfig(), signingCertificates: Array(5).fill(PEM) }, 'SAML').signingCertificates, 'five (a rollover or two) are fine').to.have.length(5);
    expectIssue(SamlConfigSchema, broken(samlConfig(), (c) => (c.signingCertificates = [PEM, ''])), 'signingCertificates.1');
    expectIssue(SamlConfigSchema, broken(samlConfig(), (c) => (c.signingCertificates = ['x'.repeat(16_385)])), 'signingCertificates.0');
    expectIssue(SamlConfigSchema, broken(samlConfig(), (c) => (c.signingCertificates = PEM)), 'signingCertificates');
  });

  it('SamlConfigSchema refuses a javascript: or missing SSO URL and an empty IdP entity id', () => {
    expectIssue(SamlConfigSchema, broken(samlConfig(), (c) => (c.ssoUrl = 'javascript:alert(1)')), 'ssoUrl');
    expectIssue(SamlConfigSchema, broken(samlConfig(), (c) => delete c.ssoUrl), 'ssoUrl');
    expectIssue(SamlConfigSchema, broken(samlConfig(), (c) => (c.idpEntityId = '')), 'idpEntityId');
    expectIssue(SamlConfigSchema, broken(samlConfig(), (c) => (c.metadataUrl = 'file:///metadata.xml')), 'metadataUrl');
    expectIssue(SamlConfigSchema, broken(samlConfig(), (c) => (c.wantAuthnRequestsSigned = 'true')), 'wantAuthnRequestsSigned');
  });

  it('OidcConfigSchema requires clientSecretSet and scopes, and refuses a non-URL issuer', () => {
    const config = oidcConnection().oidc!;
    expectValid(OidcConfigSchema, config);
    expectIssue(OidcConfigSchema, broken(config, (c) => delete c.clientSecretSet), 'clientSecretSet');
    expectIssue(OidcConfigSchema, broken(config, (c) => delete c.scopes), 'scopes');
    expectIssue(OidcConfigSchema, broken(config, (c) => (c.scopes = [''])), 'scopes.0');
    expectIssue(OidcConfigSchema, broken(config, (c) => (c.scopes = Array(101).fill('openid'))), 'scopes');
    expectIssue(OidcConfigSchema, broken(config, (c) => (c.issuer = 'login.example.com')), 'issuer');
    expectIssue(OidcConfigSchema, broken(config, (c) => (c.clientId = '')), 'clientId');
  });

  it('OidcConfigSchema drops a clientSecret it is given: the output never carries the secret', () => {
    const withSecret = { ...oidcConnection().oidc!, clientSecret: 's3cr3t-value' };
    const result = validate(OidcConfigSchema, withSecret);
    expect(result.ok).to.equal(true);
    const value = result.ok ? result.value : undefined;
    expect(value).to.not.have.property('clientSecret');
    expect(JSON.stringify(value)).to.not.contain('s3cr3t-value');
  });

  it('OidcConfigInputSchema takes a write-only clientSecret, and both it and scopes are optional', () => {
    const parsed = parseOrThrow(
      OidcConfigInputSchema,
      { issuer: 'https://idp.example.com', clientId: 'abc', clientSecret: 'shh' },
      'OIDC configuration',
    );
    expect(parsed.clientSecret).to.equal('shh');
    expectValid(OidcConfigInputSchema, { issuer: 'https://idp.example.com', clientId: 'abc' });
    expectIssue(OidcConfigInputSchema, { issuer: 'https://idp.example.com', clientId: 'abc', clientSecret: '' }, 'clientSecret');
    expectIssue(
      OidcConfigInputSchema,
      { issuer: 'https://idp.example.com', clientId: 'abc', clientSecret: 'x'.repeat(4097) },
      'clientSecret',
    );
    // The input form has no clientSecretSet flag: a client cannot claim a secret exists.
    const claimed = parseOrThrow(
      OidcConfigInputSchema,
      { issuer: 'https://idp.example.com', clientId: 'abc', clientSecretSet: true },
      'OIDC configuration',
    );
    expect(claimed).to.not.have.property('clientSecretSet');
  });

  it('AttributeMappingSchema requires the email attribute', () => {
    expectValid(AttributeMappingSchema, { email: 'mail' });
    expectIssue(AttributeMappingSchema, {}, 'email');
    expectIssue(AttributeMappingSchema, { email: '' }, 'email');
    expectIssue(AttributeMappingSchema, { email: 'mail', groups: 7 }, 'groups');
  });
});

describe('model: ConnectionSchema', () => {
  it('accepts a SAML connection and an OIDC connection', () => {
    expectValid(ConnectionSchema, samlConnection());
    expectValid(ConnectionSchema, oidcConnection());
  });

  it('never carries an OIDC clientSecret: a stray secret is stripped by parsing', () => {
    const leaky = broken(oidcConnection(), (c) => {
      c.oidc.clientSecret = 'super-secret-42';
      c.clientSecret = 'super-secret-42';
    });
    const parsed = parseOrThrow(ConnectionSchema, leaky, 'Connection');
    expect(parsed.oidc).to.not.have.property('clientSecret');
    expect(parsed).to.not.have.property('clientSecret');
    expect(parsed.oidc?.clientSecretSet).to.equal(true);
    expect(JSON.stringify(parsed)).to.not.contain('super-secret-42');
  });

  it('requires saml and oidc to be present (null when unused)', () => {
    expectIssue(ConnectionSchema, broken(samlConnection(), (c) => delete c.oidc), 'oidc');
    expectIssue(ConnectionSchema, broken(oidcConnection(), (c) => delete c.saml), 'saml');
    expectIssue(ConnectionSchema, broken(samlConnection(), (c) => delete c.lastTest), 'lastTest');
  });

  it('names nested SAML and OIDC fields in its issues', () => {
    expectIssue(ConnectionSchema, broken(samlConnection(), (c) => (c.saml.ssoUrl = 'javascript:alert(1)')), 'saml.ssoUrl');
    expectIssue(ConnectionSchema, broken(samlConnection(), (c) => (c.saml.signingCertificates = [])), 'saml.signingCertificates');
    expectIssue(ConnectionSchema, broken(oidcConnection(), (c) => (c.oidc.issuer = 'nope')), 'oidc.issuer');
    expectIssue(ConnectionSchema, broken(oidcConnection(), (c) => delete c.oidc.clientSecretSet), 'oidc.clientSecretSet');
    expectIssue(ConnectionSchema, broken(samlConnection(), (c) => delete c.attributeMapping.email), 'attributeMapping.email');
  });

  it('refuses unknown protocol, status and bad ids', () => {
    expect(expectIssue(ConnectionSchema, broken(samlConnection(), (c) => (c.protocol = 'ldap')), 'protocol').message).to.equal(
      'must be "saml" or "oidc"',
    );
    expect(expectIssue(ConnectionSchema, broken(samlConnection(), (c) => (c.status = 'enabled')), 'status').message).to.equal(
      'must be draft, configured, active or inactive',
    );
    expectIssue(ConnectionSchema, broken(samlConnection(), (c) => (c.id = 'has space')), 'id');
    expectIssue(ConnectionSchema, broken(samlConnection(), (c) => (c.providerId = '')), 'providerId');
    expectIssue(ConnectionSchema, broken(samlConnection(), (c) => (c.name = '')), 'name');
  });

  it('requires version to be a whole number of at least 1', () => {
    expect(expectIssue(ConnectionSchema, broken(samlConnection(), (c) => (c.version = 0)), 'version').message).to.equal(
      'must be at least 1',
    );
    expect(expectIssue(ConnectionSchema, broken(samlConnection(), (c) => (c.version = 1.5)), 'version').message).to.equal(
      'must be a whole number',
    );
    expectIssue(ConnectionSchema, broken(samlConnection(), (c) => (c.version = '2')), 'version');
  });

  it('refuses malformed timestamps and lastTest fields', () => {
    expectIssue(ConnectionSchema, broken(samlConnection(), (c) => (c.createdAt = 'now')), 'createdAt');
    expectIssue(ConnectionSchema, broken(samlConnection(), (c) => (c.updatedAt = Date.now())), 'updatedAt');
    expectIssue(ConnectionSchema, broken(samlConnection(), (c) => delete c.lastTest.stale), 'lastTest.stale');
    expectIssue(ConnectionSchema, broken(samlConnection(), (c) => (c.lastTest.mode = 'both')), 'lastTest.mode');
    expectIssue(ConnectionSchema, broken(samlConnection(), (c) => (c.lastTest.status = 'ok')), 'lastTest.status');
  });

  it('LastTestSchema accepts an optional errorCode and requires stale', () => {
    const last = { id: 'test_2', mode: 'idp', status: 'failure', errorCode: 'audience_mismatch', at: NOW, stale: true };
    expectValid(LastTestSchema, last);
    expectIssue(LastTestSchema, { ...last, errorCode: 'x'.repeat(65) }, 'errorCode');
  });
});

describe('model: ConnectionInputSchema and ConnectionPatchSchema', () => {
  it('accepts a minimal input and complete SAML and OIDC inputs', () => {
    expectValid(ConnectionInputSchema, { protocol: 'saml', providerId: 'okta' });
    expectValid(ConnectionInputSchema, {
      protocol: 'saml',
      providerId: 'okta',
      name: 'Staff',
      saml: samlConfig(),
      oidc: null,
      attributeMapping: { email: 'email' },
    });
    expectValid(ConnectionInputSchema, {
      protocol: 'oidc',
      providerId: 'generic-oidc',
      oidc: { issuer: 'https://idp.example.com', clientId: 'abc', clientSecret: 'shh', scopes: ['openid'] },
    });
  });

  it('requires protocol and providerId', () => {
    expectIssue(ConnectionInputSchema, { providerId: 'okta' }, 'protocol');
    expectIssue(ConnectionInputSchema, { protocol: 'saml' }, 'providerId');
    expectIssue(ConnectionInputSchema, { protocol: 'ws-fed', providerId: 'okta' }, 'protocol');
  });

  it('parseOrThrow throws validation_failed naming saml.ssoUrl when the SSO URL is bad', () => {
    const input = { protocol: 'saml', providerId: 'okta', saml: { ...samlConfig(), ssoUrl: 'javascript:alert(1)' } };
    const error = thrown(() => parseOrThrow(ConnectionInputSchema, input, 'Connection'));
    expect(error).to.be.instanceOf(PortalError);
    const portalError = error as PortalError;
    expect(portalError.code).to.equal('validation_failed');
    expect(portalError.status).to.equal(422);
    expect(portalError.retryable).to.equal(false);
    expect(portalError.message).to.equal('Connection is not valid: saml.ssoUrl: must be an http(s) URL');
    expect(portalError.details).to.deep.equal({ issues: [{ path: 'saml.ssoUrl', message: 'must be an http(s) URL' }] });
  });

  it('parseOrThrow names every bad field at once, including OIDC fields', () => {
    const input = {
      protocol: 'oidc',
      providerId: '',
      oidc: { issuer: 'ftp://idp.example.com', clientId: 'abc', clientSecret: '' },
    };
    const error = thrown(() => parseOrThrow(ConnectionInputSchema, input, 'Connection')) as PortalError;
    expect(error.code).to.equal('validation_failed');
    expect(error.message).to.match(/^Connection is not valid: /);
    expect(error.message).to.contain('providerId: must not be empty');
    expect(error.message).to.contain('oidc.issuer: must be an http(s) URL');
    expect(error.message).to.contain('oidc.clientSecret: must not be empty');
    const paths = (error.details!.issues as FieldIssue[]).map((i) => i.path);
    expect(new Set(paths)).to.deep.equal(new Set(['providerId', 'oidc.issuer', 'oidc.clientSecret']));
  });

  it('parseOrThrow returns the parsed value, without unknown keys, when valid', () => {
    const parsed = parseOrThrow(ConnectionInputSchema, { protocol: 'saml', providerId: 'okta', status: 'active', id: 'x' }, 'Connection');
    expect(parsed).to.deep.equal({ protocol: 'saml', providerId: 'okta' });
  });

  it('ConnectionPatchSchema accepts an empty patch and any subset of the fields', () => {
    expectValid(ConnectionPatchSchema, {});
    expectValid(ConnectionPatchSchema, { name: 'Renamed' });
    expectValid(ConnectionPatchSchema, { saml: null });
    expectValid(ConnectionPatchSchema, { oidc: { issuer: 'https://idp.example.com', clientId: 'abc' } });
    expectValid(ConnectionPatchSchema, { attributeMapping: { email: 'mail' }, providerId: 'keycloak' });
  });

  it('ConnectionPatchSchema cannot change the protocol: the key is dropped', () => {
    const parsed = parseOrThrow(ConnectionPatchSchema, { protocol: 'oidc', name: 'x' }, 'Connection update');
    expect(parsed).to.deep.equal({ name: 'x' });
  });

  it('ConnectionPatchSchema still validates the fields it is given, naming them', () => {
    const error = thrown(() =>
      parseOrThrow(ConnectionPatchSchema, { saml: { ...samlConfig(), ssoUrl: 'nope' } }, 'Connection update'),
    ) as PortalError;
    expect(error.code).to.equal('validation_failed');
    expect(error.message).to.contain('Connection update is not valid');
    expect(error.message).to.contain('saml.ssoUrl');
    expectIssue(ConnectionPatchSchema, { name: '' }, 'name');
    expectIssue(ConnectionPatchSchema, { attributeMapping: {} }, 'attributeMapping.email');
    expectIssue(ConnectionPatchSchema, { oidc: { issuer: 'javascript:alert(1)', clientId: 'a' } }, 'oidc.issuer');
  });
});

describe('model: DomainSchema', () => {
  it('accepts pending, verified and failed domains', () => {
    expectValid(DomainSchema, domain());
    expectValid(DomainSchema, { ...domain(), status: 'verified', verifiedAt: NOW, lastCheckedAt: NOW });
    expectValid(DomainSchema, { ...domain(), status: 'failed', method: 'manual', lastCheckedAt: NOW });
  });

  it('refuses unknown status and method, missing TXT record parts and bad timestamps', () => {
    expect(expectIssue(DomainSchema, { ...domain(), status: 'ok' }, 'status').message).to.equal('must be pending, verified or failed');
    expect(expectIssue(DomainSchema, { ...domain(), method: 'http' }, 'method').message).to.equal('must be "dns_txt" or "manual"');
    expectIssue(DomainSchema, broken(domain(), (d) => delete d.txtRecord.value), 'txtRecord.value');
    expectIssue(DomainSchema, broken(domain(), (d) => (d.txtRecord.name = '')), 'txtRecord.name');
    expectIssue(DomainSchema, { ...domain(), name: '' }, 'name');
    expectIssue(DomainSchema, { ...domain(), name: 'a'.repeat(254) }, 'name');
    expectIssue(DomainSchema, { ...domain(), verifiedAt: 'never' }, 'verifiedAt');
    expectIssue(DomainSchema, broken(domain(), (d) => delete d.lastCheckedAt), 'lastCheckedAt');
  });
});

describe('model: TestResultSchema and TestStartSchema', () => {
  it('accepts pending, success and failure results', () => {
    expectValid(TestResultSchema, testResult());
    expectValid(TestResultSchema, {
      ...testResult(),
      status: 'pending',
      profile: null,
      rawAttributes: {},
      error: null,
      completedAt: null,
    });
    expectValid(TestResultSchema, {
      ...testResult(),
      status: 'success',
      profile: { email: 'ada@example.com', groups: ['Eng'] },
      rawAttributes: { email: ['ada@example.com'], groups: ['Eng', 'Ops'] },
      error: null,
    });
  });

  it('accepts an error of every known test failure code with its catalogue text', () => {
    for (const code of TEST_FAILURE_CODES) {
      expectValid(TestResultSchema, { ...testResult(), error: { code, ...TEST_FAILURES[code] } });
    }
  });

  it('refuses an unknown failure code, empty message or remedy, and non-string raw attributes', () => {
    expectIssue(TestResultSchema, broken(testResult(), (t) => (t.error.code = 'boom')), 'error.code');
    expectIssue(TestResultSchema, broken(testResult(), (t) => (t.error.message = '')), 'error.message');
    expectIssue(TestResultSchema, broken(testResult(), (t) => delete t.error.remedy), 'error.remedy');
    expectIssue(TestResultSchema, broken(testResult(), (t) => (t.rawAttributes = { email: 'a@b.c' })), 'rawAttributes.email');
    expectIssue(TestResultSchema, broken(testResult(), (t) => (t.rawAttributes = { n: [1] })), 'rawAttributes.n.0');
    expectIssue(TestResultSchema, broken(testResult(), (t) => (t.profile.groups = 'Eng')), 'profile.groups');
  });

  it('refuses bad ids, mode, status and timestamps', () => {
    expectIssue(TestResultSchema, { ...testResult(), connectionId: '' }, 'connectionId');
    expectIssue(TestResultSchema, { ...testResult(), mode: 'both' }, 'mode');
    expect(expectIssue(TestResultSchema, { ...testResult(), status: 'running' }, 'status').message).to.equal(
      'must be pending, success or failure',
    );
    expectIssue(TestResultSchema, { ...testResult(), startedAt: null }, 'startedAt');
    expectIssue(TestResultSchema, { ...testResult(), completedAt: 'later' }, 'completedAt');
  });

  it('TestStartSchema accepts a test id with an optional http(s) login URL, refusing javascript:', () => {
    expectValid(TestStartSchema, { testId: 'test_1' });
    expectValid(TestStartSchema, { testId: 'test_1', loginUrl: 'https://idp.example.com/login?SAMLRequest=abc' });
    expectIssue(TestStartSchema, {}, 'testId');
    expectIssue(TestStartSchema, { testId: 'test 1' }, 'testId');
    expectIssue(TestStartSchema, { testId: 'test_1', loginUrl: 'javascript:alert(1)' }, 'loginUrl');
  });
});

describe('model: validation helpers', () => {
  it('validate returns ok with the parsed value, or the issues without throwing', () => {
    expect(validate(IdSchema, 'abc')).to.deep.equal({ ok: true, value: 'abc' });
    const result = validate(TestStartSchema, { testId: 'test_1', loginUrl: 'ftp://x.example.com' });
    expect(result).to.deep.equal({ ok: false, issues: [{ path: 'loginUrl', message: 'must be an http(s) URL' }] });
  });

  it('formatIssues joins path: message pairs and leaves whole-value issues unprefixed', () => {
    expect(
      formatIssues([
        { path: 'saml.ssoUrl', message: 'must be an http(s) URL' },
        { path: '', message: 'must be an object' },
        { path: 'version', message: 'must be at least 1' },
      ]),
    ).to.equal('saml.ssoUrl: must be an http(s) URL; must be an object; version: must be at least 1');
    expect(formatIssues([])).to.equal('');
  });
});

describe('model: URLs of development backends', () => {
  it('accepts loopback hosts and IP addresses (a local Keycloak, the mock server)', () => {
    for (const url of ['http://localhost:8080/realms/dev', 'http://127.0.0.1:4400/saml/acs', 'https://[::1]:8443/']) {
      expect(validate(HttpUrlSchema, url).ok, url).to.equal(true);
    }
  });

  it('still refuses non-http schemes and text that is not a URL', () => {
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'localhost:8080', 'http//x', '']) {
      expect(validate(HttpUrlSchema, url).ok, url).to.equal(false);
    }
  });
});

describe('model: exact issues (kept through the move from zod/mini to valibot)', () => {
  const issues = (schema: Parameters<typeof validate>[0], value: unknown) => {
    const result = validate(schema, value);
    return result.ok ? [] : result.issues;
  };

  it('a missing key reports its field’s own message, in the order of the fields', () => {
    expect(issues(ConnectionInputSchema, {})).to.deep.equal([
      { path: 'protocol', message: 'must be "saml" or "oidc"' },
      { path: 'providerId', message: 'must be an id' },
    ]);
    expect(issues(AttributeMappingSchema, { firstName: 'given_name' })).to.deep.equal([{ path: 'email', message: 'must be text' }]);
  });

  it('an array is not an object, and a record refuses one too', () => {
    expect(issues(AttributeMappingSchema, [])).to.deep.equal([{ path: '', message: 'Invalid input' }]);
    expect(issues(TestResultSchema.entries.rawAttributes, [])).to.deep.equal([{ path: '', message: 'Invalid input' }]);
  });

  it('a list that is too long reports only its length; a shorter one reports each bad entry', () => {
    const config = oidcConnection().oidc!;
    expect(issues(OidcConfigSchema, { ...config, scopes: Array(101).fill('') })).to.deep.equal([
      { path: 'scopes', message: 'must have at most 100 entries' },
    ]);
    expect(issues(OidcConfigSchema, { ...config, scopes: ['', 'openid', ''] })).to.deep.equal([
      { path: 'scopes.0', message: 'must not be empty' },
      { path: 'scopes.2', message: 'must not be empty' },
    ]);
  });

  it('a version that is not a whole number says only that', () => {
    expect(issues(ConnectionSchema.entries.version, 0.5)).to.deep.equal([{ path: '', message: 'must be a whole number' }]);
    expect(issues(ConnectionSchema.entries.version, -Infinity)).to.deep.equal([{ path: '', message: 'must be a whole number' }]);
    expect(issues(ConnectionSchema.entries.version, 0)).to.deep.equal([{ path: '', message: 'must be at least 1' }]);
  });

  it('every check of a text runs: an empty id is empty and outside the alphabet; an array is not an id, and empty', () => {
    expect(issues(IdSchema, '')).to.deep.equal([
      { path: '', message: 'must not be empty' },
      { path: '', message: 'may only contain letters, digits, and _ . : -' },
    ]);
    expect(issues(IdSchema, [])).to.deep.equal([
      { path: '', message: 'must be an id' },
      { path: '', message: 'must not be empty' },
    ]);
  });

  it('a URL is trimmed and loses tabs and newlines, as the URL parser reads it; `http:` without `//` is refused', () => {
    expect(validate(HttpUrlSchema, '  https://idp.example.com/a\tb\n ')).to.deep.equal({ ok: true, value: 'https://idp.example.com/ab' });
    expect(issues(HttpUrlSchema, 'http:idp.example.com')).to.deep.equal([{ path: '', message: 'must be an http(s) URL' }]);
    expect(issues(HttpUrlSchema, `ftp://${'a'.repeat(2048)}`)).to.deep.equal([
      { path: '', message: 'must be an http(s) URL' },
      { path: '', message: 'must be at most 2048 characters' },
    ]);
  });

  it('timestamps need seconds and a real day; the offset has a colon', () => {
    expectValid(TimestampSchema, '2024-02-29T23:59:59.123456789-05:30');
    for (const value of ['2023-02-29T00:00:00Z', '2024-01-01T00:00Z', '2024-01-01T00:00:00+0100', '2024-01-01 00:00:00Z', '2024-01-01T24:00:00Z']) {
      expect(issues(TimestampSchema, value), value).to.deep.equal([{ path: '', message: 'must be an ISO 8601 date-time' }]);
    }
  });
});
