import { expect, fixture, html } from '@open-wc/testing';
import { LitElement, css, html as litHtml } from 'lit';
import { defaultSession } from '../../../src/adapters/memory-adapter.js';
import { demoConnections } from '../../../src/adapters/demo-data.js';
import { simulatedResult, type SimulatedOutcome } from '../../../src/adapters/simulated-tests.js';
import type { AttributeMapping, Connection, TestResult } from '../../../src/core/model.js';
import { defaultAttributeMapping, findProvider } from '../../../src/core/providers/catalog.js';
import { entraId } from '../../../src/core/providers/entra-id.js';
import { okta } from '../../../src/core/providers/okta.js';
import { TEST_FAILURES, TEST_FAILURE_CODES, TEST_WARNINGS } from '../../../src/core/test-failures.js';
import { testFailureTitle, testWarningTitle } from '../../../src/core/test-diagnosis.js';
import { defineElement } from '../../../src/portal/define.js';
import { shared } from '../../../src/portal/styles/shared.js';
import { tokens } from '../../../src/portal/styles/tokens.js';
import type { SsoTestResult } from '../../../src/portal/test/sso-test-result.js';
import '../../../src/portal/test/sso-test-result.js';
import { builtInTestRemedies, loadTestRemedies } from '../../../src/core/providers/test-remedies.js';
import { PROVIDERS as ALL_PROVIDERS } from '../../../src/core/providers/catalog.js';
import type { ProviderDefinition } from '../../../src/core/providers/types.js';

/** A provider's own remedies: a built-in one's are loaded apart from its definition (core/providers/test-remedies.ts). */
const remediesOf = (provider: ProviderDefinition | undefined) => (provider ? (builtInTestRemedies(provider.id) ?? provider.testRemedies) : undefined);
before(() => Promise.all(ALL_PROVIDERS.map((p) => loadTestRemedies(p.id))));


/** The portal's tokens and theme around the element, as inside <sso-admin-portal>. */
class TestTokenFrame extends LitElement {
  static override styles = [
    tokens,
    shared,
    css`
      :host {
        display: block;
        padding: var(--sso-space-4);
        font-family: var(--sso-font-family);
        line-height: var(--sso-line-height);
        color: var(--sso-color-text);
        background: var(--sso-color-bg);
      }
    `,
  ];
  static override properties = { theme: { reflect: true } };
  theme = 'light';
  override render() {
    return litHtml`<slot></slot>`;
  }
}
defineElement('test-token-frame', TestTokenFrame);

const NOW = new Date('2026-03-02T10:00:00.000Z');
const SESSION = defaultSession(NOW);
const SP = SESSION.serviceProvider;
const WS_EMAIL = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';
const [OKTA_SAML, ENTRA_OIDC] = demoConnections(NOW) as [Connection, Connection];

function connection(providerId: string, protocol: 'saml' | 'oidc'): Connection {
  const base = protocol === 'saml' ? OKTA_SAML : ENTRA_OIDC;
  return { ...structuredClone(base), id: `conn_${providerId}`, providerId, attributeMapping: defaultAttributeMapping(providerId, protocol) };
}

function resultFor(outcome: SimulatedOutcome, conn: Connection, patch: Partial<TestResult> = {}): TestResult {
  return {
    id: 'test_1',
    connectionId: conn.id,
    mode: 'sp',
    startedAt: new Date(NOW.getTime() - 20_000).toISOString(),
    completedAt: NOW.toISOString(),
    ...simulatedResult(outcome, { connection: conn, session: SESSION, now: NOW }),
    ...patch,
  };
}

async function render(result: TestResult, conn: Connection, options: { mapping?: AttributeMapping; theme?: string; width?: string } = {}) {
  const frame = await fixture<TestTokenFrame>(html`<div style="width:${options.width ?? '760px'}">
    <test-token-frame theme=${options.theme ?? 'light'}>
      <sso-test-result
        .result=${result}
        .provider=${findProvider(conn.providerId)}
        .protocol=${conn.protocol}
        .mapping=${options.mapping ?? conn.attributeMapping}
        .serviceProvider=${SP}
        locale="en-GB"
      ></sso-test-result>
    </test-token-frame>
  </div>`);
  const el = frame.querySelector('sso-test-result')!;
  await el.updateComplete;
  return { frame, el, root: el.shadowRoot! };
}

const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const plain = (markup: string) => markup.replace(/\*\*/g, '');

describe('<sso-test-result>: success', () => {
  it('says the login worked and shows the profile, every raw attribute and its mapping', async () => {
    const conn = connection('okta', 'saml');
    const result = resultFor('success', conn);
    const { el, root } = await render(result, conn);
    expect(text(root.querySelector('[part="headline"]'))).to.equal('The test login worked');
    const profile = root.querySelector('[part="profile"]')!;
    expect(profile.localName).to.equal('dl');
    for (const value of [result.profile!.email!, 'Ada', 'Lovelace', 'Engineering', 'SSO Admins']) expect(text(profile)).to.include(value);
    const rows = [...root.querySelectorAll('[part="attributes"] tbody tr')];
    expect(rows.map((row) => text(row.querySelector('th code')))).to.deep.equal(Object.keys(result.rawAttributes));
    expect(text(rows[0])).to.include('mapped to email');
    expect(root.querySelector('[part="mapping-gaps"]')).to.equal(null);
    expect(root.querySelector('[part="remedy"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('shows mapping gaps as notices: Entra sent the email under its claim URI', async () => {
    const conn = connection('entra-id', 'saml');
    const result = resultFor('success', conn);
    const { el, root } = await render(result, conn, { mapping: { ...conn.attributeMapping, email: 'email' } });
    const gaps = [...root.querySelectorAll('[part="mapping-gaps"] li')];
    expect(gaps).to.have.length(1);
    expect(text(gaps[0])).to.include('email').and.include(WS_EMAIL).and.include('Needs a fix');
    expect(gaps[0]!.querySelector('code')!.textContent).to.equal('email');
    // Long claim URIs wrap inside the table instead of widening it.
    expect(text(root.querySelector('[part="attributes"]'))).to.include('http://schemas.microsoft.com/identity/claims/objectidentifier');
    await expect(el).to.be.accessible();
  });

  it('is accessible in dark mode and at 320 px, without horizontal overflow', async () => {
    const conn = connection('entra-id', 'saml');
    const dark = await render(resultFor('success', conn), conn, { theme: 'dark' });
    await expect(dark.el).to.be.accessible();
    const narrow = await render(resultFor('success', conn), conn, { width: '320px' });
    await expect(narrow.el).to.be.accessible();
    const base = narrow.root.querySelector<HTMLElement>('[part="base"]')!;
    expect(base.scrollWidth).to.be.at.most(base.clientWidth + 1);
    expect(narrow.el.getBoundingClientRect().width).to.be.at.most(320);
  });
});

describe('<sso-test-result>: warnings of a success', () => {
  it('shows what real sign-ins still need: a verified domain, with what to do', async () => {
    const conn = connection('okta', 'saml');
    const result = { ...resultFor('success', conn), warnings: [{ code: 'domain_not_verified' as const, ...TEST_WARNINGS.domain_not_verified, details: { emailDomain: 'megacorp.example' } }] };
    const { el, root } = await render(result, conn);
    await expect(el).to.be.accessible();
    expect(root.querySelector('#headline')!.textContent).to.contain('The test login worked');
    const block = root.querySelector('[part="warnings"]')!;
    expect(block, 'a warning block').to.not.equal(null);
    const text = block.textContent.replace(/\s+/g, ' ');
    expect(text).to.contain(testWarningTitle('domain_not_verified'));
    expect(text).to.contain('domain_not_verified');
    expect(text).to.contain(TEST_WARNINGS.domain_not_verified.message);
    expect(text).to.contain(TEST_WARNINGS.domain_not_verified.remedy);
    expect(text).to.contain('megacorp.example');
    expect(root.querySelector('#warnings-heading')!.textContent).to.contain('Before your users sign in');
    const dark = await render(result, conn, { theme: 'dark', width: '320px' });
    await expect(dark.el).to.be.accessible();
  });

  it('shows a SHA-1 signature beside the domain warning: both titles, the algorithm received and where to switch to RSA-SHA256', async () => {
    const conn = connection('adfs', 'saml');
    const result = {
      ...resultFor('success', conn),
      warnings: [
        { code: 'domain_not_verified' as const, ...TEST_WARNINGS.domain_not_verified, details: { emailDomain: 'megacorp.example' } },
        { code: 'weak_signature_algorithm' as const, ...TEST_WARNINGS.weak_signature_algorithm, details: { signatureAlgorithm: 'rsa-sha1' } },
      ],
    };
    const { el, root } = await render(result, conn);
    await expect(el).to.be.accessible();
    const items = [...root.querySelectorAll('[part="warnings"] > li')].map((li) => li.textContent.replace(/\s+/g, ' '));
    expect(items).to.have.length(2);
    expect(items[1]).to.contain(testWarningTitle('weak_signature_algorithm'));
    expect(items[1]).to.contain('weak_signature_algorithm');
    expect(items[1]).to.contain('Signature algorithm');
    expect(items[1]).to.contain('rsa-sha1');
    expect(items[1]).to.contain('RSA-SHA256');
  });

  it('shows no warning block for a success without warnings', async () => {
    const conn = connection('okta', 'saml');
    const { root } = await render(resultFor('success', conn), conn);
    expect(root.querySelector('[part="warnings"]')).to.equal(null);
  });
});

describe('<sso-test-result>: failures', () => {
  for (const code of TEST_FAILURE_CODES) {
    it(`explains ${code}: name and code, meaning, the provider’s remedy, details; axe-clean`, async () => {
      const oidc = code.startsWith('oidc_');
      const conn = connection(oidc ? 'entra-id' : 'okta', oidc ? 'oidc' : 'saml');
      const provider = findProvider(conn.providerId)!;
      const { el, root } = await render(resultFor(code, conn), conn);
      expect(text(root.querySelector('[part="headline"]'))).to.equal('The test login failed');
      const codeLine = root.querySelector('[part="code"]')!;
      expect(text(codeLine)).to.include(testFailureTitle(code));
      expect(codeLine.querySelector('code')!.textContent).to.equal(code);
      expect(text(root.querySelector('[part="meaning"]'))).to.equal(TEST_FAILURES[code].message);
      const own = remediesOf(provider)?.[conn.protocol]?.[code];
      const remedy = root.querySelector('[part="remedy"]')!;
      expect(text(remedy.querySelector('p'))).to.equal(plain(own ?? TEST_FAILURES[code].remedy));
      expect(text(remedy.querySelector('h5'))).to.equal(own ? `What to change in ${provider.name}` : 'What to do');
      expect(root.querySelectorAll('[part="details"] tbody tr').length).to.be.greaterThan(0);
      await expect(el).to.be.accessible();
    });
  }

  it('renders the provider’s **labels** in bold', async () => {
    const conn = connection('entra-id', 'saml');
    const { root } = await render(resultFor('audience_mismatch', conn), conn);
    const bold = [...root.querySelectorAll('[part="remedy"] strong')].map((s) => s.textContent);
    expect(bold).to.include.members(['Basic SAML Configuration', 'Identifier (Entity ID)']);
    expect(text(root.querySelector('[part="remedy"] h5'))).to.equal('What to change in Microsoft Entra ID');
  });

  it('shows expected against received, flags the mismatch in words, and offers our value to copy', async () => {
    const conn = connection('okta', 'saml');
    const { root } = await render(resultFor('audience_mismatch', conn), conn);
    const row = root.querySelector('[part="details"] tbody tr')!;
    const cells = [...row.querySelectorAll('td')];
    expect(text(row.querySelector('th'))).to.equal('Audience');
    expect(text(cells[0]!.querySelector('code'))).to.equal(SP.entityId);
    expect(text(cells[1]!.querySelector('code'))).to.equal(SP.metadataUrl);
    expect(text(cells[1])).to.include('Does not match');
    const copy = root.querySelector('[part="remedy"] sso-copy-field')!;
    expect(copy.getAttribute('label')).to.equal('Our Entity ID');
    expect((copy as HTMLElement & { value: string }).value).to.equal(SP.entityId);
  });

  it('shows clock times as dates and the skew in words', async () => {
    const conn = connection('adfs', 'saml');
    const { el, root } = await render(resultFor('assertion_not_yet_valid', conn), conn);
    const times = [...root.querySelectorAll('[part="details"] time')];
    expect(times.map((t) => t.getAttribute('datetime'))).to.include('2026-03-02T10:07:00.000Z');
    expect(text(root.querySelector('[part="details"]'))).to.include('7 minutes ahead of ours');
    expect(text(root.querySelector('[part="remedy"]'))).to.include('w32tm /resync');
    await expect(el).to.be.accessible();
  });

  it('lists every configured certificate fingerprint against the one that signed', async () => {
    const conn = connection('okta', 'saml');
    const { root } = await render(resultFor('certificate_mismatch', conn), conn);
    const cells = root.querySelectorAll('[part="details"] tbody tr td');
    expect(cells[0]!.querySelectorAll('code').length).to.equal(conn.saml!.signingCertificates.length);
    expect(text(cells[1])).to.match(/([0-9A-F]{2}:){31}[0-9A-F]{2}/);
  });

  it('missing_email: shows the mapping gap, what did arrive and who signed in', async () => {
    const conn = connection('google-workspace', 'saml');
    const result = resultFor('missing_email', conn);
    const { root } = await render(result, conn);
    expect(text(root.querySelector('[part="mapping-gaps"]'))).to.include('Primary email');
    expect(root.querySelector('[part="profile"]')).to.exist;
    expect([...root.querySelectorAll('[part="attributes"] tbody th code')].map((c) => c.textContent)).to.deep.equal(Object.keys(result.rawAttributes));
    expect(text(root.querySelector('[part="remedy"] p'))).to.equal(plain(remediesOf(findProvider('google-workspace'))!.saml!.missing_email!));
  });

  it('an IdP-initiated test that timed out says how to start the login from the IdP', async () => {
    const conn = connection('okta', 'saml');
    const { root } = await render(resultFor('timeout', conn, { mode: 'idp' }), conn);
    expect(text(root.querySelector('[part="remedy"]'))).to.include('End-User Dashboard');
  });

  it('uses the generic remedy without a provider', async () => {
    const conn = connection('okta', 'saml');
    const el = await fixture<SsoTestResult>(html`<sso-test-result .result=${resultFor('user_denied', conn)}></sso-test-result>`);
    expect(text(el.shadowRoot!.querySelector('[part="remedy"] p'))).to.equal(TEST_FAILURES.user_denied.remedy);
    expect(text(el.shadowRoot!.querySelector('[part="remedy"] h5'))).to.equal('What to do');
  });
});

describe('<sso-test-result>: hostile input and structure', () => {
  const HOSTILE = [
    '<img src=x onerror="window.__pwned = true">',
    '<script>window.__pwned = true</script>',
    '</td></tr></table><b>broken</b>',
    '**not bold**',
    'javascript:window.__pwned=true',
    '\u202Egnp.exe',
    '{{constructor.constructor("window.__pwned=true")()}}',
    'x'.repeat(3000),
    'line one\nline two',
  ];

  it('renders every raw attribute name and value as text', async () => {
    const conn = connection('okta', 'saml');
    const result = resultFor('success', conn, {
      rawAttributes: {
        email: ['ada@megacorp.example'],
        '<b onmouseover="window.__pwned=true">name</b>': ['v'],
        hostile: HOSTILE,
        '**bold name**': [''],
      },
      profile: { email: 'ada@megacorp.example', firstName: '<img src=x onerror="window.__pwned = true">', groups: ['<script>x</script>'] },
    });
    const { el, root } = await render(result, conn, { width: '320px' });
    const table = root.querySelector('[part="attributes"]')!;
    expect(table.querySelectorAll('img, script, b, a').length).to.equal(0);
    expect(root.querySelectorAll('img, script, b, a').length).to.equal(0);
    expect([...table.querySelectorAll('strong')].length).to.equal(0);
    const values = [...table.querySelectorAll('tbody tr')[2]!.querySelectorAll('td code')].map((c) => c.textContent);
    expect(values).to.deep.equal(HOSTILE);
    expect(text(table)).to.include('<b onmouseover="window.__pwned=true">name</b>').and.include('**bold name**');
    expect(text(root.querySelector('[part="profile"]'))).to.include('<img src=x onerror="window.__pwned = true">').and.include('<script>x</script>');
    expect((window as { __pwned?: boolean }).__pwned).to.equal(undefined);
    const base = root.querySelector<HTMLElement>('[part="base"]')!;
    expect(base.scrollWidth, 'long values wrap at 320 px').to.be.at.most(base.clientWidth + 1);
    await expect(el).to.be.accessible();
  });

  it('renders hostile detail values and attribute names in mapping gaps as text', async () => {
    const conn = connection('okta', 'saml');
    const result = resultFor('idp_error', conn);
    result.error!.details = { idpStatusMessage: '<img src=x onerror="window.__pwned = true">', reason: '**bold?**' };
    const { root } = await render(result, conn);
    expect(root.querySelectorAll('[part="details"] img, [part="details"] strong').length).to.equal(0);
    expect(text(root.querySelector('[part="details"]'))).to.include('<img src=x').and.include('**bold?**');
    const gapResult = resultFor('success', conn, { rawAttributes: { '<i>Email</i>': ['ada@megacorp.example'] } });
    const gaps = await render(gapResult, conn);
    expect(gaps.root.querySelectorAll('[part="mapping-gaps"] i').length).to.equal(0);
    expect(text(gaps.root.querySelector('[part="mapping-gaps"]'))).to.include('<i>Email</i>');
  });

  it('has no live region of its own, exposes its parts, and can take focus on its heading', async () => {
    const conn = connection('entra-id', 'oidc');
    const { el, root } = await render(resultFor('missing_email', conn), conn);
    expect(root.querySelectorAll('[aria-live], [role="status"], [role="alert"], [role="log"]').length).to.equal(0);
    for (const part of ['base', 'headline', 'code', 'meaning', 'remedy', 'details', 'mapping-gaps', 'profile', 'attributes']) {
      expect(root.querySelector(`[part~="${part}"]`), part).to.exist;
    }
    el.focusHeading();
    expect(root.activeElement).to.equal(root.querySelector('[part="headline"]'));
    await expect(el).to.be.accessible();
  });

  it('follows the heading level it is given, and renders nothing without a result', async () => {
    const conn = connection('okta', 'saml');
    const el = await fixture<SsoTestResult>(html`<sso-test-result heading-level="2" .result=${resultFor('timeout', conn)}></sso-test-result>`);
    expect(el.shadowRoot!.querySelector('[part="headline"]')!.localName).to.equal('h2');
    expect(el.shadowRoot!.querySelector('[part="remedy"] h3')).to.exist;
    const empty = await fixture<SsoTestResult>(html`<sso-test-result></sso-test-result>`);
    expect(empty.shadowRoot!.querySelector('[part="base"]')).to.equal(null);
  });

  it('updates when the result changes', async () => {
    const conn = connection('okta', 'saml');
    const { el, root } = await render(resultFor('user_denied', conn), conn);
    el.result = resultFor('success', conn);
    await el.updateComplete;
    expect(text(root.querySelector('[part="headline"]'))).to.equal('The test login worked');
    expect(remediesOf(okta)?.saml?.user_denied).to.be.a('string');
    expect(entraId.attributeHints?.saml?.email).to.include(WS_EMAIL);
  });
});
