/**
 * The domains panel, the rollout section, directory sync and the error texts in other languages
 * (issue 16): German and Arabic show their translations, error titles and actions included, and
 * the pseudo-locale leaves no English word outside values. The runtime is one per page: each test
 * ends in English.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { LOCALE_STATUS_EVENT } from '@lit/localize/internal/locale-status-event.js';
import { MemoryAdapter, demoConnections } from '../../../src/adapters/index.js';
import { normalizeDomain } from '../../../src/core/domains.js';
import { PortalError, describeError } from '../../../src/core/errors.js';
import type { Connection, Domain } from '../../../src/core/model.js';
import { providerName } from '../../../src/core/providers/names.js';
import { activeLocale } from '../../../src/portal/localize/active-locale.js';
import { switchLocale } from '../../../src/portal/localize/switch-locale.js';
import { defineContextHost, type SsoContextHost } from '../../support/sso-context-host.js';
import '../../../src/portal/domains/sso-domains-panel.js';
import '../../../src/portal/directory/sso-directory-section.js';

defineContextHost();

const NOW = new Date('2026-11-29T12:00:00Z');
const [okta] = demoConnections(NOW);
const CONNECTIONS: Connection[] = [{ ...okta!, status: 'active' }];
const DOMAINS: Domain[] = [
  {
    name: 'megacorp.example',
    status: 'verified',
    txtRecord: { name: '_sso-verification.megacorp.example', value: 'sso-verification=dv_mega' },
    method: 'dns_txt',
    verifiedAt: new Date(NOW.getTime() - 86_400_000).toISOString(),
    lastCheckedAt: new Date(NOW.getTime() - 86_400_000).toISOString(),
  },
  {
    name: 'failed.example',
    status: 'failed',
    txtRecord: { name: '_sso-verification.failed.example', value: 'sso-verification=dv_failed' },
    method: 'dns_txt',
    verifiedAt: null,
    lastCheckedAt: new Date(NOW.getTime() - 120_000).toISOString(),
    lastCheck: { result: 'missing', message: 'We found no TXT record at _sso-verification.failed.example.' },
  },
];

/** Switches the page's language and resolves once the runtime says it is ready. */
async function show(locale: string, text = locale): Promise<void> {
  const ready = new Promise<void>((resolve) => {
    const listener = (event: Event) => {
      const detail = (event as CustomEvent<{ status: string; readyLocale?: string }>).detail;
      if (detail.status === 'ready' && detail.readyLocale === text) {
        window.removeEventListener(LOCALE_STATUS_EVENT, listener);
        resolve();
      }
    };
    window.addEventListener(LOCALE_STATUS_EVENT, listener);
  });
  await switchLocale(locale);
  await ready;
}

/** A domains panel (with its rollout section) and a directory section; with `failing`, the domains do not load. */
async function area({ failing = false } = {}) {
  const adapter = new MemoryAdapter({ now: () => NOW, providerName, seed: { connections: CONNECTIONS, domains: DOMAINS } });
  const session = await adapter.getSession();
  if (failing) adapter.failNext('listDomains', 'network');
  const host = await fixture<SsoContextHost>(html`<sso-context-host .adapter=${adapter} .session=${session}>
    <sso-domains-panel .connections=${CONNECTIONS} .now=${NOW}></sso-domains-panel>
    <sso-directory-section .now=${NOW}></sso-directory-section>
  </sso-context-host>`);
  const panel = host.querySelector('sso-domains-panel')!;
  const directory = host.querySelector('sso-directory-section')!;
  await waitUntil(() => panel.shadowRoot!.querySelector(failing ? '[part="list-error"]' : '[part="domain"]'), 'the domains did not settle');
  await waitUntil(() => panel.shadowRoot!.querySelector('sso-rollout-section')?.shadowRoot?.querySelector('[part="preview"]'), 'the rollout section did not load', { timeout: 5000 });
  await waitUntil(() => directory.shadowRoot!.querySelector('[part="empty-state"]'), 'directory sync did not load');
  const rollout = panel.shadowRoot!.querySelector('sso-rollout-section')!;
  return { host, session, panel: panel.shadowRoot!, rollout: rollout.shadowRoot!, directory: directory.shadowRoot! };
}

const text = (root: ShadowRoot) => root.textContent.replace(/\s+/g, ' ');

describe('domains, rollout, directory sync and errors in other languages', () => {
  afterEach(async () => {
    if (activeLocale.text !== 'en') await show('en'); // a test that failed midway
  });

  it('German and Arabic: the panel, a DNS check, an error state, the input rules and the error texts', async () => {
    const { panel, rollout, directory } = await area();
    const failed = await area({ failing: true });
    expect(text(failed.panel)).to.contain('Your domains could not be loaded. Could not reach the server.');

    await show('de-AT', 'de');
    await waitUntil(() => text(panel).includes('Erneut verifizieren'), 'German text');
    expect(text(panel)).to.contain('Wir haben unter _sso-verification.failed.example keinen TXT-Eintrag gefunden.');
    expect(text(panel)).to.contain('Benutzer unter megacorp.example melden sich mit');
    expect(text(failed.panel)).to.contain('Ihre Domains konnten nicht geladen werden. Der Server ist nicht erreichbar.');
    expect(text(failed.panel)).to.contain('Prüfen Sie Ihre Verbindung');
    expect(text(rollout)).to.contain('Routing-Vorschau');
    expect(text(directory)).to.contain('Verzeichnissynchronisierung einrichten');
    expect(describeError(new PortalError('domain_taken'))).to.deep.equal({
      title: 'Diese Domain wird bereits verwendet',
      action: 'Eine andere Organisation hat diese Domain verifiziert. Wenden Sie sich an den Support, wenn sie Ihnen gehört.',
    });
    const refused = normalizeDomain('https://gmail.com/mail');
    expect(!refused.ok && refused.error.message).to.equal('Entfernen Sie „https://“ und den Pfad: Geben Sie nur den Domainnamen ein, hier „gmail.com“.');

    await show('ar');
    await waitUntil(() => text(panel).includes('التحقق مرة أخرى'), 'Arabic text');
    expect(text(failed.panel)).to.contain('تعذّر تحميل نطاقاتك. تعذّر الوصول إلى الخادم.');
    expect(text(rollout)).to.contain('معاينة التوجيه');
    expect(text(directory)).to.contain('مزامنة الدليل');
    expect(describeError(new PortalError('session_expired')).title).to.equal('انتهت صلاحية رابط الإعداد هذا');

    await show('en');
    await waitUntil(() => text(panel).includes('Verify again'), 'back to English');
    expect(describeError(new PortalError('domain_taken')).title).to.equal('This domain is already in use');
  });

  it('the pseudo-locale leaves no English word outside values', async () => {
    const { session, panel, rollout, directory } = await area();
    const failed = await area({ failing: true });
    await show('en-XA');
    await waitUntil(() => text(panel).includes('[Đöɱåîñš'), 'pseudo text');
    // Values: the application's name, domains (their labels too: a long name may wrap at its dots), record names and
    // values, connection and provider names, and dates (`<time>`, formatted by Intl).
    const values = [
      session.branding.name,
      ...DOMAINS.flatMap((d) => [d.txtRecord.name, d.txtRecord.value, d.name, ...d.name.split('.')]),
      ...CONNECTIONS.map((c) => c.name ?? ''),
      providerName(okta!.providerId),
    ]
      .filter(Boolean)
      .sort((a, b) => b.length - a.length); // the longest first: a record name holds its domain
    const english: string[] = [];
    for (const root of [panel, rollout, directory, failed.panel]) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.parentElement?.closest('code, time, style')) continue;
        let rest = node.textContent ?? '';
        for (const value of values) rest = rest.replaceAll(value, '');
        const words = rest.match(/[A-Za-z]{3,}/g);
        if (words) english.push(`${words.join(' ')} (in “${node.textContent!.trim()}”)`);
      }
    }
    expect(english).to.deep.equal([]);
  });
});
