/**
 * Test results and login traces in other languages (issue 16): a failure shows our title, meaning
 * and remedy for its code in the language shown, the code itself unchanged, and the server's
 * (English) words only for a code the portal does not know; in the pseudo-locale, no English is
 * left in the result, the report's panel or the login attempts outside values and codes. The
 * runtime is one per page: each test ends in English.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { MemoryAdapter } from '../../../src/adapters/memory-adapter.js';
import type { TestResult } from '../../../src/core/model.js';
import { TEST_FAILURES, type TestFailureCode } from '../../../src/core/test-failures.js';
import { switchLocale } from '../../../src/portal/localize/switch-locale.js';
import type { SsoTestResult } from '../../../src/portal/test/sso-test-result.js';
import { showLoginAttempts } from '../../../src/portal/traces/sso-login-attempts.js';
import '../../../src/portal/test/sso-test-result.js';
import { defineContextHost } from '../../support/sso-context-host.js';
import { TRACED_CONNECTION_ID, loginAttempts, tracedConnection } from '../../support/login-attempts.js';

defineContextHost();

const NOW = new Date('2026-12-05T12:00:00Z');

/** A failure as the server sends it: its code with the English message and remedy. */
const failure = (code: string, message: string, remedy: string, details?: Record<string, unknown>): TestResult => ({
  id: `test_${code}`,
  connectionId: TRACED_CONNECTION_ID,
  mode: 'sp',
  status: 'failure',
  profile: null,
  rawAttributes: {},
  // A code of a newer server passes as any other (the element must not rely on knowing it).
  error: { code: code as TestFailureCode, message, remedy, ...(details ? { details } : {}) },
  startedAt: '2026-12-05T11:50:00Z',
  completedAt: '2026-12-05T11:51:00Z',
});

const AUDIENCE = failure('audience_mismatch', TEST_FAILURES.audience_mismatch.message, TEST_FAILURES.audience_mismatch.remedy, {
  expectedAudience: 'https://sso.acme.test/saml/org_megacorp/conn_okta',
  receivedAudience: 'https://elsewhere.example/sp',
});
const UNKNOWN = failure('quantum_flux', 'The flux capacitor refused the assertion.', 'Recalibrate the flux capacitor.');

async function view(result: TestResult) {
  const adapter = new MemoryAdapter({ now: () => NOW, seed: { connections: [tracedConnection(NOW)], loginAttempts: { [TRACED_CONNECTION_ID]: loginAttempts(NOW) } } });
  const host = await fixture(html`<sso-context-host .adapter=${adapter}><sso-test-result .result=${result} protocol="saml"></sso-test-result></sso-context-host>`);
  const el = host.querySelector<SsoTestResult>('sso-test-result')!;
  await el.updateComplete;
  return { el, root: el.shadowRoot! };
}

const text = (node: Node | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

async function inLocale(locale: string, el: SsoTestResult): Promise<void> {
  await switchLocale(locale);
  await el.updateComplete;
}

describe('<sso-test-result> in other languages', () => {
  // The first switch to a language loads the runtime and its catalogue's chunk (the dev server
  // compiles them on first request): done once here, outside the tests' time limit.
  before(async function () {
    this.timeout(30_000);
    for (const locale of ['de', 'ar', 'en-XA', 'en']) await switchLocale(locale);
  });

  afterEach(async () => {
    await switchLocale('en');
  });

  for (const [locale, title, meaning, remedy, heading] of [
    ['de', 'Falsche Audience (Entity ID)', 'Die Assertion ist an einen anderen Service Provider gerichtet', 'Kopieren Sie unsere Entity ID (Audience URI)', 'Was wir erwartet haben und was eingegangen ist'],
    ['ar', 'Audience غير صحيح (Entity ID)', 'التأكيد موجّه إلى موفر خدمة آخر', 'انسخ Entity ID الخاص بنا (Audience URI)', 'ما توقعناه وما وصل'],
  ] as const) {
    it(`${locale}: a failure's title, meaning and remedy in ${locale}, its code unchanged, and no English from the server`, async () => {
      const { el, root } = await view(AUDIENCE);
      expect(text(root.querySelector('[part="code"] strong'))).to.equal('Wrong audience (entity ID)');
      await inLocale(locale, el);
      expect(text(root.querySelector('[part="code"] strong'))).to.equal(title);
      expect(text(root.querySelector('[part="code"] code'))).to.equal('audience_mismatch');
      expect(text(root.querySelector('[part="meaning"]'))).to.contain(meaning);
      expect(text(root.querySelector('[part="remedy"]'))).to.contain(remedy);
      expect(text(root.querySelector('#details-heading'))).to.equal(heading);
      // The server's English is its message for this code: not shown beside ours.
      expect(text(root)).to.not.contain(AUDIENCE.error!.message).and.not.contain(AUDIENCE.error!.remedy);
      await expect(el).to.be.accessible();
    });
  }

  it('de: a code the portal does not know keeps the server’s words, under the code’s readable name', async () => {
    const { el, root } = await view(UNKNOWN);
    await inLocale('de', el);
    expect(text(root.querySelector('#headline'))).to.equal('Die Testanmeldung ist fehlgeschlagen');
    expect(text(root.querySelector('[part="code"] code'))).to.equal('quantum_flux');
    expect(text(root.querySelector('[part="meaning"]'))).to.equal(UNKNOWN.error!.message);
    expect(text(root.querySelector('[part="remedy"]'))).to.contain('Was zu tun ist').and.contain(UNKNOWN.error!.remedy);
  });

  it('en-XA: no unaccented English outside values and codes in the result, the report panel and the login attempts', async () => {
    const { el, root } = await view(loginFailure());
    await inLocale('en-XA', el);
    root.querySelector<HTMLButtonElement>('[part="report"]')!.click();
    await waitUntil(() => root.querySelector('sso-report-download')?.shadowRoot?.querySelector('[part="redactions"]'), 'no report panel');
    const dialog = showLoginAttempts(root, TRACED_CONNECTION_ID, NOW);
    await waitUntil(() => dialog.shadowRoot?.querySelector('.attempts'), 'no login attempts');
    for (const details of dialog.shadowRoot!.querySelectorAll('details')) details.open = true;
    const english = [el, root.querySelector('sso-report-download')!, dialog].flatMap(unaccentedEnglish);
    expect(english).to.deep.equal([]);
    dialog.close();
  });
});

/** The traced tampered response as a test result: details, a mapping and the report's inputs. */
function loginFailure(): TestResult {
  const attempt = loginAttempts(NOW)[1]!;
  return { ...failure(attempt.error!.code, attempt.error!.message, attempt.error!.remedy, attempt.error!.details), id: attempt.testId ?? 'test_tampered' };
}

/** Values and codes (and other areas' elements), which stay as they are. */
const VALUES = 'code, pre, time, .value, .raw-code, sso-copy-field, sso-status-badge';
/** Values inside sentences: the connection's name, and the decoded messages' formats. */
const VALUE_WORDS = /Okta \(employees\)|\b(?:XML|JSON)\b/g;

/** Text of `element`'s shadow tree with a word of 3+ unaccented ASCII letters, outside values. */
function unaccentedEnglish(element: Element): string[] {
  const found: string[] = [];
  const walk = (node: Node) => {
    if (node instanceof Element && node.matches(VALUES)) return;
    if (node instanceof HTMLStyleElement) return;
    const words = node.nodeType === Node.TEXT_NODE ? (node.textContent ?? '').replace(VALUE_WORDS, '') : '';
    if (/(?<![\p{L}])[A-Za-z]{3,}(?![\p{L}])/u.test(words)) found.push(node.textContent!.trim());
    node.childNodes.forEach(walk);
  };
  element.shadowRoot!.childNodes.forEach(walk);
  return found;
}
