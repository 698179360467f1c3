import { expect } from '@open-wc/testing';
import { demoConnections } from '../../../src/adapters/index.js';
import { activationGate, hasCurrentPassingTest } from '../../../src/core/activation.js';
import type { Connection } from '../../../src/core/model.js';

const NOW = new Date('2026-03-02T10:00:00.000Z');
const [OKTA] = demoConnections(NOW) as [Connection];
const withTest = (lastTest: Connection['lastTest'], status: Connection['status'] = 'configured'): Connection => ({ ...OKTA, status, lastTest });
const test = (status: 'pending' | 'success' | 'failure', stale = false): NonNullable<Connection['lastTest']> => ({ id: 'test_1', mode: 'sp', status, at: NOW.toISOString(), stale });

describe('core/activation: when a connection may be turned on', () => {
  it('needs a latest test that passed and is not stale', () => {
    expect(hasCurrentPassingTest(withTest(test('success')))).to.equal(true);
    expect(hasCurrentPassingTest(withTest(test('success', true)))).to.equal(false);
    expect(hasCurrentPassingTest(withTest(test('failure')))).to.equal(false);
    expect(hasCurrentPassingTest(withTest(test('pending')))).to.equal(false);
    expect(hasCurrentPassingTest(withTest(null))).to.equal(false);
  });

  it('says why not: unconfigured, untested, stale, failed', () => {
    expect(activationGate(withTest(test('success')))).to.deep.equal({ ok: true });
    expect(activationGate(withTest(test('success'), 'draft'))).to.deep.equal({ ok: false, reason: 'unconfigured' });
    expect(activationGate(withTest(null))).to.deep.equal({ ok: false, reason: 'untested' });
    expect(activationGate(withTest(test('pending')))).to.deep.equal({ ok: false, reason: 'untested' });
    expect(activationGate(withTest(test('failure', true)))).to.deep.equal({ ok: false, reason: 'stale' });
    expect(activationGate(withTest(test('failure')))).to.deep.equal({ ok: false, reason: 'failed' });
  });
});
