/**
 * The shell, the overview and the shared UI parts in other languages (issue 16): German and
 * Arabic text, Arabic right to left (the root's `dir`, the stepper mirrored, values to copy kept
 * left to right and isolated), and the pseudo-locale finding no English that escaped `msg`.
 * The runtime is one per page: each test sets the language it needs and ends in English.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { LOCALE_STATUS_EVENT } from '@lit/localize/internal/locale-status-event.js';
import { MemoryAdapter, demoSeed } from '../../../src/adapters/index.js';
import { testFailureTitle } from '../../../src/core/test-titles.js';
import { WIZARD_STEPS, WIZARD_STEP_LABELS } from '../../../src/core/wizard.js';
import type { SsoAdminPortal } from '../../../src/portal/sso-admin-portal.js';
import type { SsoCopyField } from '../../../src/portal/ui/sso-copy-field.js';
import type { SsoStepper } from '../../../src/portal/ui/sso-stepper.js';
import '../../../src/index.js';
import '../../../src/portal/ui/sso-copy-field.js';
import '../../../src/portal/ui/sso-stepper.js';

const NOW = new Date('2026-11-29T12:00:00Z');

/** Resolves when the runtime says `locale` is ready. */
const ready = (locale: string) =>
  new Promise<void>((resolve) => {
    const listener = (event: Event) => {
      const detail = (event as CustomEvent<{ status: string; readyLocale?: string }>).detail;
      if (detail.status === 'ready' && detail.readyLocale === locale) {
        window.removeEventListener(LOCALE_STATUS_EVENT, listener);
        resolve();
      }
    };
    window.addEventListener(LOCALE_STATUS_EVENT, listener);
  });

async function switchTo(el: SsoAdminPortal, locale: string, text = locale) {
  const switched = ready(text);
  el.locale = locale;
  await switched;
  await el.updateComplete;
}

const shadow = (el: Element) => el.shadowRoot!;
const base = (el: SsoAdminPortal) => shadow(el).querySelector<HTMLElement>('[part="base"]')!;

async function overviewOf(el: SsoAdminPortal) {
  await waitUntil(() => shadow(el).querySelector('sso-connections-overview'), 'no overview');
  const overview = shadow(el).querySelector('sso-connections-overview')!;
  await overview.updateComplete;
  return overview;
}

/** A portal; `locale` set, since a portal without one takes the page back to English. */
async function portal(adapter?: MemoryAdapter, locale?: string) {
  return fixture<SsoAdminPortal>(html`<sso-admin-portal .adapter=${adapter} .locale=${locale}></sso-admin-portal>`);
}

/** Other areas' sections inside the overview (their own tests walk them). */
const OTHER_AREAS = new Set(['sso-domains-panel', 'sso-directory-section']);

/** Every text of `root` and the shadow trees below it (but other areas'), with the element that holds it. */
function texts(root: ShadowRoot | Element, out: { text: string; parent: Element | null }[] = []) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (OTHER_AREAS.has((node as Element).localName) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeType === Node.TEXT_NODE) out.push({ text: node.textContent ?? '', parent: node.parentElement });
    else if ((node as Element).shadowRoot) texts((node as Element).shadowRoot!, out);
  }
  return out;
}

describe('the shell and the overview in other languages', function () {
  // A catalogue's first load is compiled by the test server on request: slower than 5 s on a busy machine.
  this.timeout(20_000);

  it('German: the overview, its badges and menu, and back to English', async () => {
    const el = await portal(new MemoryAdapter({ seed: demoSeed(NOW), now: () => NOW }));
    const overview = await overviewOf(el);
    await switchTo(el, 'de');
    await waitUntil(() => shadow(overview).querySelector('h2')!.textContent.startsWith('Single Sign-on für'), 'German heading');
    const text = shadow(overview).textContent;
    expect(text).to.contain('Verbindung hinzufügen');
    expect(text).to.contain('Protokoll');
    expect(text).to.contain('Letzter Test');
    const badge = shadow(overview).querySelector('sso-status-badge')!;
    await badge.updateComplete;
    expect(shadow(badge).textContent).to.match(/Aktiv|Entwurf|Nicht aktiv/);
    const menu = shadow(overview).querySelector('sso-action-menu')!;
    await menu.updateComplete;
    expect(shadow(menu).querySelector('[part="button"]')!.textContent.replace(/\s+/g, ' ')).to.match(/^ ?Mehr Aktionen für /);
    expect(base(el).getAttribute('dir')).to.equal('ltr');
    await expect(el).to.be.accessible();

    await switchTo(el, 'en');
    await waitUntil(() => shadow(overview).querySelector('h2')!.textContent.startsWith('Single sign-on for'), 'back to English');
  });

  it('German and Arabic: the loading and error states', async () => {
    const switched = ready('de');
    const loading = await portal(new MemoryAdapter({ latency: 60_000 }), 'de');
    await switched;
    await waitUntil(() => shadow(loading).querySelector('[part="loading"]')?.textContent?.includes('Ihre SSO-Einstellungen werden geladen…'), 'German loading state');

    const adapter = new MemoryAdapter({ seed: demoSeed(NOW), now: () => NOW });
    adapter.failNext('listConnections', 'server_error');
    const failed = await portal(adapter, 'de');
    await waitUntil(() => shadow(failed).querySelector('[part="error"]'), 'no error state');
    const error = () => shadow(failed).querySelector('[part="error"]')!;
    await waitUntil(() => error().textContent.includes('Fehlercode:') && error().querySelector('button')!.textContent.trim() === 'Erneut versuchen', 'German error state');

    await switchTo(failed, 'ar');
    await waitUntil(() => error().textContent.includes('رمز الخطأ:') && error().querySelector('button')!.textContent.trim() === 'إعادة المحاولة', 'Arabic error state');
    expect(base(failed).getAttribute('dir')).to.equal('rtl');
    // The code stays as it is, left to right, isolated from the Arabic around it.
    const code = error().querySelector('code')!;
    expect(code.textContent).to.equal('server_error');
    expect(getComputedStyle(code).direction).to.equal('ltr');
    expect(getComputedStyle(code).unicodeBidi).to.equal('isolate');

    await switchTo(failed, 'en');
  });

  it('Arabic: right to left, names isolated, values to copy left to right, the stepper mirrored', async () => {
    const el = await portal(new MemoryAdapter({ seed: demoSeed(NOW), now: () => NOW }));
    const overview = await overviewOf(el);
    await switchTo(el, 'ar');
    await waitUntil(() => shadow(overview).querySelector('h2')!.textContent.startsWith('تسجيل الدخول الموحّد'), 'Arabic heading');
    expect(base(el).getAttribute('dir')).to.equal('rtl');
    expect(base(el).getAttribute('lang')).to.equal('ar');
    expect(getComputedStyle(shadow(overview).querySelector('h2')!).direction).to.equal('rtl');
    // The organization's and the connections' names sit in <bdi>: their own direction, isolated.
    expect(shadow(overview).querySelector('h2 bdi')!.textContent).to.match(/\w/);
    expect(shadow(overview).querySelector('[part="connection"] h3 bdi')!.textContent).to.contain('Okta');
    expect(shadow(overview).textContent).to.contain('إضافة اتصال');
    await expect(el).to.be.accessible();

    // A copy field in the Arabic portal: the label and button translate, the URL stays left to right.
    const host = await fixture<HTMLElement>(html`<div dir="rtl" lang="ar" style="width: 40rem">
      <sso-copy-field label="ACS URL" value="https://sso.example.com/saml/acs/org_1"></sso-copy-field>
      <sso-stepper .steps=${WIZARD_STEPS.map((id) => ({ id, label: WIZARD_STEP_LABELS[id] }))} current="configure" style="width: 60rem"></sso-stepper>
    </div>`);
    const field = host.querySelector<SsoCopyField>('sso-copy-field')!;
    await field.updateComplete;
    const value = shadow(field).querySelector<HTMLElement>('[part="value"]')!;
    expect(value.getAttribute('dir')).to.equal('ltr');
    expect(getComputedStyle(value).direction).to.equal('ltr');
    expect(getComputedStyle(value).unicodeBidi).to.equal('isolate');
    const button = shadow(field).querySelector<HTMLElement>('[part="copy-button"]')!;
    const name = button.getAttribute('aria-labelledby')!.split(' ').map((id) => shadow(field).getElementById(id)!.textContent.trim());
    expect(name.join(' ')).to.equal('نسخ ACS URL');
    // Right to left: the button sits to the left of the value.
    expect(button.getBoundingClientRect().right).to.be.at.most(value.getBoundingClientRect().left + 1);

    const stepper = host.querySelector<SsoStepper>('sso-stepper')!;
    await stepper.updateComplete;
    const steps = [...shadow(stepper).querySelectorAll<HTMLElement>('[part="step"]')];
    expect(steps[0]!.textContent).to.contain('موفر الهوية');
    expect(shadow(stepper).querySelector('ol')!.getAttribute('aria-label')).to.equal('خطوات الإعداد');
    // The first step is the rightmost: the order is mirrored on screen, not in the DOM.
    expect(steps[0]!.getBoundingClientRect().left).to.be.greaterThan(steps[1]!.getBoundingClientRect().right - 1);
    expect(steps[2]!.getAttribute('aria-current')).to.equal('step');

    await switchTo(el, 'en');
  });

  it('the pseudo-locale: no English outside values in the shell, the overview, its badges and menus', async () => {
    const seed = demoSeed(NOW);
    const el = await portal(new MemoryAdapter({ seed, now: () => NOW }));
    const overview = await overviewOf(el);
    await switchTo(el, 'en-XA');
    await waitUntil(() => shadow(overview).querySelector('h2')!.textContent.startsWith('[Šîñĝļé'), 'pseudo heading');
    for (const child of shadow(overview).querySelectorAll<HTMLElement & { updateComplete: Promise<unknown> }>('sso-status-badge, sso-action-menu')) await child.updateComplete;
    // Values: the names of the organization, the connections and the providers, protocol names, and
    // dates (Intl's, not messages); and the test failures' names, which the test results' area translates.
    const values = [
      shadow(overview).querySelector('h2 bdi')!.textContent,
      ...seed.connections!.flatMap((c) => [c.name ?? '', c.lastTest?.errorCode ? testFailureTitle(c.lastTest.errorCode) : '']),
      ...['Okta', 'Microsoft Entra ID', 'Google Workspace', 'SAML 2.0', 'OpenID Connect'],
    ].filter(Boolean);
    const english = texts(shadow(el))
      .filter(({ parent }) => !parent?.closest('time, code, bdi, style'))
      .map(({ text }) => values.reduce((t, v) => t.replaceAll(v, ''), text))
      .filter((text) => /\b[A-Za-z]{3,}\b/.test(text));
    expect(english).to.deep.equal([]);

    await switchTo(el, 'en');
  });
});
