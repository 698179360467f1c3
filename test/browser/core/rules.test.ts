import { expect } from '@open-wc/testing';
import { PortalError, type PortalErrorCode } from '../../../src/core/errors.js';
import { ConnectionSchema, DomainSchema, TestResultSchema, validate, type ConnectionInput, type SamlConfig, type TestResult } from '../../../src/core/model.js';
import {
  DEFAULT_LINK_HOURS,
  MAX_LINK_HOURS,
  LINK_RETENTION_DAYS,
  addDomain,
  applyDomainCheck,
  connectionTests,
  createConnection,
  deleteConnection,
  emptyState,
  findConnection,
  findDomain,
  hasChanges,
  stateChanges,
  finishTest,
  linkEndedAt,
  linkError,
  linkForgotten,
  linkStatus,
  newLinkTimes,
  removeDomain,
  revokedLink,
  setConnectionEnabled,
  settleExpiredTests,
  startTest,
  testDeadline,
  unwrap,
  updateConnection,
  verifyDomainManually,
  type OrganizationSettings,
  type OrganizationState,
  type Outcome,
  type RuleContext,
  type RuleResult,
  type TestOutcomeFields,
} from '../../../src/core/rules/index.js';

// ---------------------------------------------------------------------------------------
// Helpers

const START = '2030-01-01T00:00:00.000Z';
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUJ\n-----END CERTIFICATE-----';
const SECRET = 'oidc-client-secret-7f3a9c';
const MINUTE = 60_000;

/** A clock moved by hand and a counter for ids, as a rule context. */
function context(start = START) {
  let time = Date.parse(start);
  let next = 1;
  const ids: string[] = [];
  return {
    ctx(): RuleContext {
      return {
        now: new Date(time),
        newId: (prefix) => {
          const id = ids.shift() ?? `${prefix}_${next++}`;
          return id;
        },
      };
    },
    advance(ms: number) {
      time += ms;
    },
    /** Ids the next newId() calls give first (to test collisions). */
    giveIds(...given: string[]) {
      ids.push(...given);
    },
    iso: () => new Date(time).toISOString(),
  };
}

const SETTINGS: OrganizationSettings = {
  features: { saml: true, oidc: true, domains: true, idpInitiatedTest: true },
  serviceProvider: {
    entityId: 'https://sso.acme.test/saml/org_1',
    acsUrl: 'https://sso.acme.test/saml/org_1/acs',
    metadataUrl: 'https://sso.acme.test/saml/org_1/metadata',
    oidcRedirectUri: 'https://sso.acme.test/oidc/org_1/callback',
  },
};

function samlConfig(overrides: Partial<SamlConfig> = {}): SamlConfig {
  return { idpEntityId: 'http://www.okta.com/exk1', ssoUrl: 'https://megacorp.okta.test/app/sso/saml', ssoBinding: 'redirect', signingCertificates: [PEM], ...overrides };
}

function samlInput(overrides: Partial<ConnectionInput> = {}): ConnectionInput {
  return { protocol: 'saml', providerId: 'okta', saml: samlConfig(), ...overrides };
}

function oidcInput(clientSecret: string | null = SECRET): ConnectionInput {
  return {
    protocol: 'oidc',
    providerId: 'generic-oidc',
    oidc: { issuer: 'https://idp.megacorp.test', clientId: 'portal-client', ...(clientSecret ? { clientSecret } : {}) },
  };
}

const SUCCESS: TestOutcomeFields = { status: 'success', profile: { email: 'ada@megacorp.example' }, rawAttributes: { email: ['ada@megacorp.example'] }, error: null };

/** Freezes a value and everything in it: a rule that changes its input throws in these tests. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** Applies a rule to a frozen state and checks the state it was given is as it was. */
function untouched<T>(state: OrganizationState, rule: (state: OrganizationState) => RuleResult<T>): RuleResult<T> {
  const before = structuredClone(state);
  const result = rule(deepFreeze(state));
  expect(state).to.deep.equal(before);
  return result;
}

function ok<T>(result: RuleResult<T>): { state: OrganizationState; value: T } {
  if (!result.ok) throw new Error(`the rule failed: ${result.error.code}: ${result.error.message}`);
  return result;
}

function failed(result: RuleResult<unknown> | Outcome<unknown>, code: PortalErrorCode): PortalError {
  if (result.ok) throw new Error(`the rule succeeded, expected ${code}`);
  expect(result.error).to.be.instanceOf(PortalError);
  expect(result.error.code).to.equal(code);
  return result.error;
}

/** A state with one SAML connection (configured), and the clock. */
function withSaml() {
  const clock = context();
  const { state, value } = ok(createConnection(emptyState(), clock.ctx(), SETTINGS, samlInput()));
  return { clock, state, connection: value };
}

/** A state with one SAML connection whose last test is a success, and the clock. */
function withTestedSaml() {
  const { clock, state, connection } = withSaml();
  const started = ok(startTest(state, clock.ctx(), SETTINGS, connection.id, 'sp'));
  clock.advance(1000);
  const finished = ok(finishTest(started.state, clock.ctx(), started.value.id, SUCCESS));
  return { clock, state: finished.state, connection: unwrap(findConnection(finished.state, connection.id)).value, test: finished.value };
}

// ---------------------------------------------------------------------------------------

describe('rules: results', () => {
  it('unwrap gives the state and value of a success and throws the PortalError of a failure', () => {
    const state = emptyState();
    expect(unwrap({ ok: true, state, value: 1 })).to.deep.equal({ ok: true, state, value: 1 });
    const error = new PortalError('conflict');
    expect(() => unwrap({ ok: false, error })).to.throw(PortalError).that.equals(error);
  });

  it('a failing rule answers with its error, not by throwing', () => {
    const result = updateConnection(emptyState(), context().ctx(), 'conn_missing', 1, { name: 'x' });
    expect(failed(result, 'not_found').details).to.deep.equal({ id: 'conn_missing' });
  });
});

describe('rules: create a connection', () => {
  it('a SAML connection is configured, with its SP values and the certificate expiry the caller read', () => {
    const clock = context();
    const { state, value } = ok(untouched(emptyState(), (s) => createConnection(s, clock.ctx(), SETTINGS, samlInput({ name: 'Okta' }), { certificateExpiresAt: '2031-01-01T00:00:00.000Z' })));
    expect(validate(ConnectionSchema, value).ok).to.equal(true);
    expect(value).to.deep.include({ id: 'conn_1', status: 'configured', version: 1, name: 'Okta', createdAt: START, updatedAt: START, lastTest: null, certificateExpiresAt: '2031-01-01T00:00:00.000Z' });
    expect(value.attributeMapping).to.deep.equal({ email: 'email' });
    expect(value.serviceProvider?.acsUrl).to.contain('conn_1');
    expect(state.connections).to.deep.equal([value]);
  });

  it('the OIDC client secret goes to secrets and never into the connection', () => {
    const { state, value } = ok(untouched(emptyState(), (s) => createConnection(s, context().ctx(), SETTINGS, oidcInput())));
    expect(state.secrets).to.deep.equal({ [value.id]: SECRET });
    expect(value.oidc).to.deep.equal({ issuer: 'https://idp.megacorp.test', clientId: 'portal-client', clientSecretSet: true, scopes: ['openid', 'email', 'profile'] });
    expect(JSON.stringify(state.connections)).not.to.contain(SECRET);
    expect(value.status).to.equal('configured');
  });

  it('an OIDC connection without a secret is a draft', () => {
    const { state, value } = ok(createConnection(emptyState(), context().ctx(), SETTINGS, oidcInput(null)));
    expect(value.status).to.equal('draft');
    expect(value.oidc?.clientSecretSet).to.equal(false);
    expect(state.secrets).to.deep.equal({});
  });

  it('invalid input is validation_failed naming the field', () => {
    const error = failed(createConnection(emptyState(), context().ctx(), SETTINGS, samlInput({ saml: samlConfig({ ssoUrl: 'not a url' }) })), 'validation_failed');
    expect(error.message).to.match(/^Connection is not valid: saml\.ssoUrl/);
  });

  it('a protocol the organization may not use is not_available', () => {
    const settings = { ...SETTINGS, features: { ...SETTINGS.features, oidc: false } };
    failed(createConnection(emptyState(), context().ctx(), settings, oidcInput()), 'not_available');
  });

  it("the other protocol's section is validation_failed with the field", () => {
    const error = failed(createConnection(emptyState(), context().ctx(), SETTINGS, { ...oidcInput(), protocol: 'saml' }), 'validation_failed');
    expect(error.message).to.equal("Connection is not valid: oidc: does not match the connection's protocol");
    expect(error.details).to.deep.equal({ issues: [{ path: 'oidc', message: "does not match the connection's protocol" }] });
  });

  it('a new id is never one a connection or a test has', () => {
    const { clock, state, connection } = withSaml();
    clock.giveIds(connection.id, connection.id);
    const { value } = ok(createConnection(state, clock.ctx(), SETTINGS, samlInput()));
    expect(value.id).not.to.equal(connection.id);
  });
});

describe('rules: update a connection', () => {
  it('bumps the version, keeps the input state as it was', () => {
    const { clock, state, connection } = withSaml();
    clock.advance(MINUTE);
    const { state: next, value } = ok(untouched(state, (s) => updateConnection(s, clock.ctx(), connection.id, 1, { name: 'Renamed' })));
    expect(value).to.deep.include({ name: 'Renamed', version: 2, updatedAt: clock.iso(), createdAt: START });
    expect(unwrap(findConnection(next, connection.id)).value).to.deep.equal(value);
  });

  it('a SAML configuration read again from metadata keeps requireEncryptedAssertions (the metadata never carries it); false turns it off', () => {
    const { clock, state, connection } = withSaml();
    const required = ok(updateConnection(state, clock.ctx(), connection.id, 1, { saml: samlConfig({ requireEncryptedAssertions: true }) }));
    expect(required.value.saml?.requireEncryptedAssertions).to.equal(true);
    const reread = ok(updateConnection(required.state, clock.ctx(), connection.id, 2, { saml: samlConfig({ ssoUrl: 'https://megacorp.okta.test/other' }) }));
    expect(reread.value.saml).to.deep.include({ ssoUrl: 'https://megacorp.okta.test/other', requireEncryptedAssertions: true });
    const off = ok(updateConnection(reread.state, clock.ctx(), connection.id, 3, { saml: samlConfig({ requireEncryptedAssertions: false }) }));
    expect(off.value.saml?.requireEncryptedAssertions).to.equal(false);
    const fresh = ok(updateConnection(state, clock.ctx(), connection.id, 1, { saml: samlConfig() }));
    expect(fresh.value.saml).to.not.have.property('requireEncryptedAssertions');
  });

  it('a SAML configuration read again from metadata keeps metadataRefreshMode; a value given replaces it', () => {
    const { clock, state, connection } = withSaml();
    const review = ok(updateConnection(state, clock.ctx(), connection.id, 1, { saml: samlConfig({ metadataRefreshMode: 'review', requireEncryptedAssertions: true }) }));
    const reread = ok(updateConnection(review.state, clock.ctx(), connection.id, 2, { saml: samlConfig({ ssoUrl: 'https://megacorp.okta.test/other' }) }));
    expect(reread.value.saml).to.deep.include({ ssoUrl: 'https://megacorp.okta.test/other', metadataRefreshMode: 'review', requireEncryptedAssertions: true });
    const apply = ok(updateConnection(reread.state, clock.ctx(), connection.id, 3, { saml: samlConfig({ metadataRefreshMode: 'apply' }) }));
    expect(apply.value.saml).to.deep.include({ metadataRefreshMode: 'apply', requireEncryptedAssertions: true });
    failed(updateConnection(state, clock.ctx(), connection.id, 1, { saml: samlConfig({ metadataRefreshMode: 'sometimes' as 'apply' }) }), 'validation_failed');
  });

  it('a stale version is conflict with the expected and current versions', () => {
    const { clock, state, connection } = withSaml();
    const { state: next } = ok(updateConnection(state, clock.ctx(), connection.id, 1, { name: 'Tab one' }));
    const error = failed(untouched(next, (s) => updateConnection(s, clock.ctx(), connection.id, 1, { name: 'Tab two' })), 'conflict');
    expect(error.details).to.deep.equal({ expectedVersion: 1, currentVersion: 2 });
  });

  it('a section of the other protocol is validation_failed', () => {
    const { clock, state, connection } = withSaml();
    const error = failed(updateConnection(state, clock.ctx(), connection.id, 1, { oidc: { issuer: 'https://idp.megacorp.test', clientId: 'c' } }), 'validation_failed');
    expect(error.message).to.equal("Connection update is not valid: oidc: does not match the connection's protocol");
  });

  describe('the write-only client secret', () => {
    const created = () => {
      const clock = context();
      const { state, value } = ok(createConnection(emptyState(), clock.ctx(), SETTINGS, oidcInput()));
      return { clock, state, id: value.id };
    };

    it('is kept while the issuer and the client ID stay the same', () => {
      const { clock, state, id } = created();
      const { state: next, value } = ok(updateConnection(state, clock.ctx(), id, 1, { oidc: { issuer: 'https://idp.megacorp.test', clientId: 'portal-client', scopes: ['openid'] } }));
      expect(next.secrets).to.deep.equal({ [id]: SECRET });
      expect(value.oidc).to.deep.include({ clientSecretSet: true, scopes: ['openid'] });
    });

    for (const [what, change] of [
      ['issuer', { issuer: 'https://other-idp.megacorp.test', clientId: 'portal-client' }],
      ['client ID', { issuer: 'https://idp.megacorp.test', clientId: 'another-client' }],
    ] as const) {
      it(`is dropped when the ${what} changes without a new secret`, () => {
        const { clock, state, id } = created();
        const { state: next, value } = ok(untouched(state, (s) => updateConnection(s, clock.ctx(), id, 1, { oidc: change })));
        expect(next.secrets).to.deep.equal({});
        expect(value.oidc?.clientSecretSet).to.equal(false);
        expect(value.status).to.equal('draft');
      });
    }

    it('is replaced by a new one', () => {
      const { clock, state, id } = created();
      const { state: next } = ok(updateConnection(state, clock.ctx(), id, 1, { oidc: { issuer: 'https://other-idp.megacorp.test', clientId: 'c', clientSecret: 'new-secret' } }));
      expect(next.secrets).to.deep.equal({ [id]: 'new-secret' });
    });

    it('goes with the OIDC configuration (oidc: null)', () => {
      const { clock, state, id } = created();
      const { state: next, value } = ok(updateConnection(state, clock.ctx(), id, 1, { oidc: null }));
      expect(next.secrets).to.deep.equal({});
      expect(value).to.deep.include({ oidc: null, status: 'draft' });
    });
  });

  it('a configuration change makes the last test stale; a rename does not', () => {
    const { clock, state, connection } = withTestedSaml();
    const renamed = ok(updateConnection(state, clock.ctx(), connection.id, connection.version, { name: 'Renamed' }));
    expect(renamed.value.lastTest?.stale).to.equal(false);
    const changed = ok(untouched(renamed.state, (s) => updateConnection(s, clock.ctx(), connection.id, renamed.value.version, { attributeMapping: { email: 'mail' } })));
    expect(changed.value.lastTest?.stale).to.equal(true);
    expect(renamed.value.lastTest?.stale).to.equal(false);
  });

  it('a test pending while the configuration changed finishes stale', () => {
    const { clock, state, connection } = withSaml();
    const started = ok(startTest(state, clock.ctx(), SETTINGS, connection.id, 'sp'));
    const changed = ok(updateConnection(started.state, clock.ctx(), connection.id, 1, { saml: samlConfig({ ssoUrl: 'https://megacorp.okta.test/other' }) }));
    expect(changed.state.staleTests).to.deep.equal([started.value.id]);
    const finished = ok(untouched(changed.state, (s) => finishTest(s, clock.ctx(), started.value.id, SUCCESS)));
    const after = unwrap(findConnection(finished.state, connection.id)).value;
    expect(after.lastTest).to.deep.include({ id: started.value.id, status: 'success', stale: true });
    expect(finished.state.staleTests).to.deep.equal([]);
  });
});

describe('rules: the activation gate', () => {
  it('a connection not fully configured is validation_failed', () => {
    const clock = context();
    const { state, value } = ok(createConnection(emptyState(), clock.ctx(), SETTINGS, oidcInput(null)));
    failed(setConnectionEnabled(state, clock.ctx(), value.id, 1, true), 'validation_failed');
  });

  it('without a test, test_required', () => {
    const { clock, state, connection } = withSaml();
    failed(untouched(state, (s) => setConnectionEnabled(s, clock.ctx(), connection.id, 1, true)), 'test_required');
  });

  it('after a failed test, test_required', () => {
    const { clock, state, connection } = withSaml();
    const started = ok(startTest(state, clock.ctx(), SETTINGS, connection.id, 'sp'));
    const failure: TestOutcomeFields = { status: 'failure', profile: null, rawAttributes: {}, error: { code: 'signature_invalid', message: 'Bad signature.', remedy: 'Fix it.' } };
    const finished = ok(finishTest(started.state, clock.ctx(), started.value.id, failure));
    expect(unwrap(findConnection(finished.state, connection.id)).value.lastTest).to.deep.include({ status: 'failure', errorCode: 'signature_invalid' });
    failed(setConnectionEnabled(finished.state, clock.ctx(), connection.id, 1, true), 'test_required');
  });

  it('after a successful test of an older configuration, test_required', () => {
    const { clock, state, connection } = withTestedSaml();
    const changed = ok(updateConnection(state, clock.ctx(), connection.id, 1, { saml: samlConfig({ ssoBinding: 'post' }) }));
    failed(setConnectionEnabled(changed.state, clock.ctx(), connection.id, 2, true), 'test_required');
  });

  it('after a successful test of the current configuration, active; off again is inactive', () => {
    const { clock, state, connection } = withTestedSaml();
    const on = ok(untouched(state, (s) => setConnectionEnabled(s, clock.ctx(), connection.id, 1, true)));
    expect(on.value).to.deep.include({ status: 'active', version: 2 });
    const off = ok(setConnectionEnabled(on.state, clock.ctx(), connection.id, 2, false));
    expect(off.value).to.deep.include({ status: 'inactive', version: 3 });
  });

  it('turning off what is not on changes only the version', () => {
    const { clock, state, connection } = withSaml();
    const { value } = ok(setConnectionEnabled(state, clock.ctx(), connection.id, 1, false));
    expect(value).to.deep.include({ status: 'configured', version: 2 });
  });

  it('a stale version is conflict', () => {
    const { clock, state, connection } = withTestedSaml();
    expect(failed(setConnectionEnabled(state, clock.ctx(), connection.id, 7, true), 'conflict').details).to.deep.equal({ expectedVersion: 7, currentVersion: 1 });
  });
});

describe('rules: delete a connection', () => {
  it('removes it with its tests and its secret', () => {
    const clock = context();
    const created = ok(createConnection(emptyState(), clock.ctx(), SETTINGS, oidcInput()));
    const started = ok(startTest(created.state, clock.ctx(), SETTINGS, created.value.id, 'sp'));
    const changed = ok(updateConnection(started.state, clock.ctx(), created.value.id, 1, { attributeMapping: { email: 'upn' } }));
    const { state } = ok(untouched(changed.state, (s) => deleteConnection(s, created.value.id)));
    expect(state).to.deep.equal({ connections: [], domains: [], tests: [], secrets: {}, staleTests: [] });
    failed(deleteConnection(state, created.value.id), 'not_found');
  });
});

describe('rules: tests', () => {
  it('a test of a connection not configured is validation_failed; idp mode needs the feature', () => {
    const clock = context();
    const draft = ok(createConnection(emptyState(), clock.ctx(), SETTINGS, oidcInput(null)));
    failed(startTest(draft.state, clock.ctx(), SETTINGS, draft.value.id, 'sp'), 'validation_failed');
    const { state, connection } = withSaml();
    const settings = { ...SETTINGS, features: { ...SETTINGS.features, idpInitiatedTest: false } };
    failed(startTest(state, clock.ctx(), settings, connection.id, 'idp'), 'not_available');
    failed(startTest(state, clock.ctx(), SETTINGS, 'conn_missing', 'sp'), 'not_found');
  });

  it('starts pending, with its deadline from the timeout', () => {
    const { clock, state, connection } = withSaml();
    const { state: next, value } = ok(untouched(state, (s) => startTest(s, clock.ctx(), SETTINGS, connection.id, 'idp')));
    expect(validate(TestResultSchema, value).ok).to.equal(true);
    expect(value).to.deep.include({ connectionId: connection.id, mode: 'idp', status: 'pending', startedAt: START, completedAt: null });
    expect(next.tests).to.deep.equal([value]);
    expect(testDeadline(value, 5 * MINUTE)).to.equal('2030-01-01T00:05:00.000Z');
  });

  it('finishing records the outcome and the last test; a finished test stays as it is', () => {
    const { clock, state, connection } = withSaml();
    const started = ok(startTest(state, clock.ctx(), SETTINGS, connection.id, 'sp'));
    clock.advance(2000);
    const finished = ok(untouched(started.state, (s) => finishTest(s, clock.ctx(), started.value.id, SUCCESS)));
    expect(finished.value).to.deep.include({ status: 'success', completedAt: clock.iso(), profile: SUCCESS.profile });
    expect(unwrap(findConnection(finished.state, connection.id)).value.lastTest).to.deep.equal({ id: started.value.id, mode: 'sp', status: 'success', at: clock.iso(), stale: false });
    clock.advance(2000);
    const again = ok(finishTest(finished.state, clock.ctx(), started.value.id, { status: 'failure', profile: null, rawAttributes: {}, error: null }));
    expect(again.state).to.equal(finished.state);
    expect(again.value).to.deep.equal(finished.value);
  });

  it('an unknown test is test_not_found', () => {
    expect(failed(finishTest(emptyState(), context().ctx(), 'test_x', SUCCESS), 'test_not_found').details).to.deep.equal({ testId: 'test_x' });
  });

  it('a test started earlier and finished later does not replace a newer last test', () => {
    const { clock, state, connection } = withSaml();
    const first = ok(startTest(state, clock.ctx(), SETTINGS, connection.id, 'sp'));
    clock.advance(1000);
    const second = ok(startTest(first.state, clock.ctx(), SETTINGS, connection.id, 'sp'));
    const secondDone = ok(finishTest(second.state, clock.ctx(), second.value.id, SUCCESS));
    const firstDone = ok(finishTest(secondDone.state, clock.ctx(), first.value.id, SUCCESS));
    expect(unwrap(findConnection(firstDone.state, connection.id)).value.lastTest?.id).to.equal(second.value.id);
    expect(connectionTests(firstDone.state, connection.id).map((t) => t.id)).to.deep.equal([second.value.id, first.value.id]);
  });

  describe('settling tests past their deadline', () => {
    const pending = () => {
      const { clock, state, connection } = withSaml();
      const started = ok(startTest(state, clock.ctx(), SETTINGS, connection.id, 'sp'));
      return { clock, state: started.state, test: started.value, connection };
    };

    it('a test before its deadline stays pending', () => {
      const { clock, state } = pending();
      clock.advance(MINUTE - 1);
      const { state: next, value } = ok(settleExpiredTests(state, clock.ctx(), MINUTE));
      expect(value).to.deep.equal([]);
      expect(next).to.equal(state);
    });

    it('at its deadline it ends as timeout, with how long we waited, and becomes the last test', () => {
      const { clock, state, test, connection } = pending();
      clock.advance(MINUTE);
      const { state: next, value } = ok(untouched(state, (s) => settleExpiredTests(s, clock.ctx(), MINUTE)));
      expect(value.map((t) => t.id)).to.deep.equal([test.id]);
      const ended = next.tests[0] as TestResult;
      expect(validate(TestResultSchema, ended).ok).to.equal(true);
      expect(ended).to.deep.include({ status: 'failure', completedAt: clock.iso(), profile: null });
      expect(ended.error).to.deep.include({ code: 'timeout', details: { waitedSeconds: 60 } });
      expect(unwrap(findConnection(next, connection.id)).value.lastTest).to.deep.include({ status: 'failure', errorCode: 'timeout' });
    });

    it('only the tests asked for, when given', () => {
      const { clock, state } = pending();
      clock.advance(MINUTE);
      const { value } = ok(settleExpiredTests(state, clock.ctx(), MINUTE, ['test_other']));
      expect(value).to.deep.equal([]);
    });

    it('a finished test is not settled again', () => {
      const { clock, state, test } = pending();
      const finished = ok(finishTest(state, clock.ctx(), test.id, SUCCESS));
      clock.advance(10 * MINUTE);
      expect(ok(settleExpiredTests(finished.state, clock.ctx(), MINUTE)).value).to.deep.equal([]);
    });
  });
});

describe('rules: domains', () => {
  const added = (name = 'MegaCorp.Example.') => {
    const clock = context();
    const { state, value } = ok(addDomain(emptyState(), clock.ctx(), name, { txtValue: 'sso-verification=random' }));
    return { clock, state, domain: value };
  };

  it('a new domain is normalized and pending, with the TXT record value the caller gives', () => {
    const clock = context();
    const { state, value } = ok(untouched(emptyState(), (s) => addDomain(s, clock.ctx(), '  MegaCorp.Example. ', { txtValue: 'sso-verification=random' })));
    expect(validate(DomainSchema, value).ok).to.equal(true);
    expect(value).to.deep.equal({
      name: 'megacorp.example',
      status: 'pending',
      txtRecord: { name: '_sso-verification.megacorp.example', value: 'sso-verification=random' },
      method: 'dns_txt',
      verifiedAt: null,
      lastCheckedAt: null,
    });
    expect(state.domains).to.deep.equal([value]);
  });

  it('without a TXT value, one from a new id', () => {
    const { value } = ok(addDomain(emptyState(), context().ctx(), 'megacorp.example'));
    expect(value.txtRecord.value).to.equal('sso-verification=dv_1');
  });

  it('a name that is not a domain is domain_invalid; a public email provider says so', () => {
    expect(failed(addDomain(emptyState(), context().ctx(), 'https://megacorp.example/x'), 'domain_invalid').details).to.deep.equal({ name: 'https://megacorp.example/x' });
    expect(failed(addDomain(emptyState(), context().ctx(), 'gmail.com'), 'domain_invalid').details).to.deep.equal({ name: 'gmail.com', reason: 'domain_public_email' });
  });

  it('a domain added before, in any spelling, is conflict', () => {
    const { clock, state } = added();
    const error = failed(untouched(state, (s) => addDomain(s, clock.ctx(), 'MEGACORP.example')), 'conflict');
    expect(error.details).to.deep.equal({ name: 'megacorp.example' });
  });

  it('a domain another organization verified is domain_taken', () => {
    failed(addDomain(emptyState(), context().ctx(), 'megacorp.example', { takenDomains: ['MegaCorp.Example.'] }), 'domain_taken');
  });

  it('a check that passes verifies; one that fails records what was found', () => {
    const { clock, state } = added();
    clock.advance(MINUTE);
    const missing = { result: 'missing', message: 'No TXT record yet.' } as const;
    const failedCheck = ok(untouched(state, (s) => applyDomainCheck(s, clock.ctx(), 'megacorp.example', missing)));
    expect(failedCheck.value).to.deep.include({ status: 'failed', lastCheckedAt: clock.iso(), lastCheck: missing, verifiedAt: null });
    clock.advance(MINUTE);
    const verified = ok(applyDomainCheck(failedCheck.state, clock.ctx(), 'megacorp.example', true));
    expect(verified.value).to.deep.include({ status: 'verified', verifiedAt: clock.iso(), lastCheck: missing });
    clock.advance(MINUTE);
    const laterFailure = ok(applyDomainCheck(verified.state, clock.ctx(), 'MegaCorp.example', false));
    expect(laterFailure.value).to.deep.include({ status: 'verified', lastCheckedAt: clock.iso() });
  });

  it('checking a domain the organization does not have is not_found', () => {
    failed(applyDomainCheck(emptyState(), context().ctx(), 'megacorp.example', true), 'not_found');
  });

  it('a manual verification adds the domain if needed and marks it manual', () => {
    const clock = context();
    const { state, value } = ok(untouched(emptyState(), (s) => verifyDomainManually(s, clock.ctx(), 'MegaCorp.example', { txtValue: 'sso-verification=r' })));
    expect(value).to.deep.include({ name: 'megacorp.example', status: 'verified', method: 'manual', verifiedAt: START });
    expect(state.domains).to.deep.equal([value]);
    const again = ok(verifyDomainManually(added().state, clock.ctx(), 'megacorp.example'));
    expect(again.state.domains).to.have.length(1);
    expect(again.value).to.deep.include({ method: 'manual', status: 'verified' });
  });

  it('remove, in any spelling; then not_found', () => {
    const { state } = added();
    const removed = ok(untouched(state, (s) => removeDomain(s, 'MEGACORP.EXAMPLE')));
    expect(removed.state.domains).to.deep.equal([]);
    failed(removeDomain(removed.state, 'megacorp.example'), 'not_found');
    failed(findDomain(removed.state, 'megacorp.example'), 'not_found');
  });
});

describe('rules: links', () => {
  const at = (iso: string) => new Date(iso);
  const link = { expiresAt: '2030-01-08T00:00:00.000Z', revokedAt: null };

  it('active until its expiry, expired from that instant on', () => {
    expect(linkStatus(link, at('2030-01-07T23:59:59.999Z'))).to.equal('active');
    expect(linkStatus(link, at('2030-01-08T00:00:00.000Z'))).to.equal('expired');
    expect(linkError(link, at('2030-01-07T23:59:59.999Z'))).to.equal(null);
    expect(linkError(link, at('2030-01-08T00:00:00.000Z'))?.code).to.equal('session_expired');
  });

  it('revoked from its revocation on, before or after its expiry', () => {
    const revoked = revokedLink(link, at('2030-01-02T00:00:00.000Z'));
    expect(revoked).to.deep.equal({ ...link, revokedAt: '2030-01-02T00:00:00.000Z' });
    expect(link.revokedAt).to.equal(null);
    expect(linkStatus(revoked, at('2030-01-02T00:00:00.000Z'))).to.equal('revoked');
    expect(linkStatus(revoked, at('2030-02-01T00:00:00.000Z'))).to.equal('revoked');
    expect(linkError(revoked, at('2030-01-02T00:00:00.000Z'))?.code).to.equal('session_expired');
    expect(revokedLink(revoked, at('2030-01-03T00:00:00.000Z'))).to.equal(revoked);
  });

  it('no link is session_expired', () => {
    expect(linkError(undefined, at(START))?.code).to.equal('session_expired');
  });

  it(`a new link lives ${DEFAULT_LINK_HOURS} hours by default, up to ${MAX_LINK_HOURS}`, () => {
    expect(unwrap(newLinkTimes(at(START))).value).to.deep.equal({ createdAt: START, expiresAt: '2030-01-08T00:00:00.000Z', revokedAt: null });
    expect(unwrap(newLinkTimes(at(START), 0.5)).value.expiresAt).to.equal('2030-01-01T00:30:00.000Z');
    expect(unwrap(newLinkTimes(at(START), MAX_LINK_HOURS)).value.expiresAt).to.equal('2031-01-02T00:00:00.000Z');
    expect(failed(newLinkTimes(at(START), MAX_LINK_HOURS + 1), 'validation_failed').message).to.equal('Link is not valid: lifetimeHours: must be at most 8784 (one year)');
    expect(failed(newLinkTimes(at(START), 0), 'validation_failed').message).to.equal('Link is not valid: lifetimeHours: must be more than 0');
    failed(newLinkTimes(at(START), Number.NaN), 'validation_failed');
  });

  it(`an ended link is forgotten ${LINK_RETENTION_DAYS} days after it ended (its revocation, if earlier)`, () => {
    expect(linkEndedAt(link)).to.equal(link.expiresAt);
    const revoked = { ...link, revokedAt: '2030-01-02T00:00:00.000Z' };
    expect(linkEndedAt(revoked)).to.equal(revoked.revokedAt);
    expect(linkForgotten(revoked, at('2030-01-09T00:00:00.000Z'))).to.equal(false);
    expect(linkForgotten(revoked, at('2030-01-09T00:00:00.001Z'))).to.equal(true);
    expect(linkForgotten(link, at('2030-01-15T00:00:00.000Z'))).to.equal(false);
    expect(linkForgotten(link, at('2030-01-15T00:00:00.001Z'))).to.equal(true);
  });
});

describe('rules: what changed', () => {
  it('a write names only the records it changed', () => {
    const clock = context();
    const saml = ok(createConnection(emptyState(), clock.ctx(), SETTINGS, samlInput()));
    const oidc = ok(createConnection(saml.state, clock.ctx(), SETTINGS, oidcInput()));
    const domain = ok(addDomain(oidc.state, clock.ctx(), 'megacorp.example'));
    const before = domain.state;
    expect(stateChanges(saml.state, oidc.state)).to.deep.equal({
      connections: { added: [oidc.value], updated: [], removed: [] },
      domains: { added: [], updated: [], removed: [] },
      tests: { added: [], updated: [], removed: [] },
      secrets: { set: { [oidc.value.id]: SECRET }, removed: [] },
      staleTests: false,
    });
    const renamed = ok(updateConnection(before, clock.ctx(), saml.value.id, 1, { name: 'Renamed' }));
    const changes = stateChanges(before, renamed.state);
    expect(changes.connections).to.deep.equal({ added: [], updated: [renamed.value], removed: [] });
    expect(changes.domains).to.deep.equal({ added: [], updated: [], removed: [] });
    expect(hasChanges(changes)).to.equal(true);
    const verified = ok(applyDomainCheck(before, clock.ctx(), 'megacorp.example', true));
    expect(stateChanges(before, verified.state).domains.updated).to.deep.equal([verified.value]);
    const deleted = ok(deleteConnection(before, oidc.value.id));
    expect(stateChanges(before, deleted.state)).to.deep.include({ connections: { added: [], updated: [], removed: [oidc.value.id] }, secrets: { set: {}, removed: [oidc.value.id] } });
  });

  it('a write that changes nothing has no changes', () => {
    const { clock, state, test } = withTestedSaml();
    const again = ok(finishTest(state, clock.ctx(), test.id, SUCCESS));
    expect(hasChanges(stateChanges(state, again.state))).to.equal(false);
    expect(hasChanges(stateChanges(state, ok(settleExpiredTests(state, clock.ctx(), MINUTE)).state))).to.equal(false);
  });
});
