/**
 * The portal's language (issue 16): `locale` resolved by language then to English, catalogues
 * loaded on demand, text and dates switched live, Arabic right to left, and the pseudo-locale.
 * The runtime is one per page, so the tests run in order and each sets the language it needs.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { MemoryAdapter, demoSeed } from '../../../src/adapters/index.js';
import { LOCALE_STATUS_EVENT } from '@lit/localize/internal/locale-status-event.js';
import { englishOnly } from '../../../src/core/text.js';
import { resolveLocale } from '../../../src/portal/localize/resolve-locale.js';
import type { SsoAdminPortal } from '../../../src/portal/sso-admin-portal.js';
import '../../../src/index.js';

const endingIn = (ms: number) => new Date(Date.now() + ms).toISOString();

/** Resolves when the runtime says `locale` is ready (or the same-catalogue re-render fired). */
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

describe('resolveLocale', () => {
  it('falls back by language, then to English, and never throws', () => {
    const of = (text: string, format: string, dir = 'ltr') => ({ text, format, lang: format, dir });
    expect(resolveLocale('de')).to.deep.equal(of('de', 'de'));
    expect(resolveLocale('de-AT')).to.deep.equal(of('de', 'de-AT'));
    expect(resolveLocale('FR-ca')).to.deep.equal(of('fr', 'fr-CA'));
    expect(resolveLocale(' ar-EG ')).to.deep.equal(of('ar', 'ar-EG', 'rtl'));
    expect(resolveLocale('en-GB')).to.deep.equal(of('en', 'en-GB'));
    expect(resolveLocale('pt-BR')).to.deep.equal(of('en', 'en'));
    expect(resolveLocale('en-XA')).to.deep.equal({ text: 'en-XA', format: 'en', lang: 'en', dir: 'ltr' });
    for (const bad of ['english', 'de_DE', '', '  ', '-', '12', undefined, null]) expect(resolveLocale(bad), String(bad)).to.deep.equal(of('en', 'en'));
  });
});

describe('<sso-admin-portal> locale', () => {
  async function portalWithBanner() {
    const adapter = new MemoryAdapter({ seed: { ...demoSeed(), session: { expiresAt: endingIn(240_000) } } });
    const el = await fixture<SsoAdminPortal>(html`<sso-admin-portal .adapter=${adapter}></sso-admin-portal>`);
    await waitUntil(() => el.shadowRoot!.querySelector('sso-session-banner')?.shadowRoot?.querySelector('[role="alert"]'), 'no banner');
    const banner = () => el.shadowRoot!.querySelector('sso-session-banner')!.shadowRoot!.querySelector('[role="alert"]')!;
    const base = () => el.shadowRoot!.querySelector('[part="base"]')!;
    return { el, banner, base };
  }

  it('switches text and direction live, and back to English', async () => {
    const { el, banner, base } = await portalWithBanner();
    expect(banner().textContent).to.contain('Your session ends soon');
    expect(base().getAttribute('dir')).to.equal('ltr');

    let switched = ready('de');
    el.locale = 'de-AT';
    await switched;
    await el.updateComplete;
    await waitUntil(() => banner().textContent.includes('Ihre Sitzung endet bald'), 'German text');
    expect(banner().querySelector('button')!.textContent).to.equal('Schließen');
    expect(base().getAttribute('lang')).to.equal('de-AT');

    switched = ready('ar');
    el.locale = 'ar';
    await switched;
    await waitUntil(() => base().getAttribute('dir') === 'rtl', 'right to left');
    await waitUntil(() => banner().textContent.includes('تنتهي جلستك قريبًا'), 'Arabic text');
    await expect(el).to.be.accessible();

    switched = ready('en');
    el.locale = 'no-such-language';
    await switched;
    await waitUntil(() => banner().textContent.includes('Your session ends soon') && base().getAttribute('dir') === 'ltr', 'back to English');
    // Core is in English again too (what skips re-wording a server's English result).
    expect(englishOnly()).to.equal(true);
  });

  it('the pseudo-locale accents every letter and lengthens the text', async () => {
    const { el, banner } = await portalWithBanner();
    const switched = ready('en-XA');
    el.locale = 'en-XA';
    await switched;
    await waitUntil(() => banner().textContent.includes('[Ýöûŕ šéššîöñ'), 'pseudo text');
    expect(banner().querySelector('button')!.textContent).to.equal('[Đîšɱîšš ···]');
    const back = ready('en');
    el.locale = 'en';
    await back;
  });

  it('takes the language of the nearest `lang` when `locale` is unset', async () => {
    const adapter = new MemoryAdapter({ seed: { ...demoSeed(), session: { expiresAt: endingIn(240_000) } } });
    const switched = ready('fr');
    const wrapper = await fixture<HTMLElement>(html`<div lang="fr-CA"><sso-admin-portal .adapter=${adapter}></sso-admin-portal></div>`);
    await switched;
    const el = wrapper.querySelector('sso-admin-portal')!;
    await waitUntil(() => el.shadowRoot!.querySelector('sso-session-banner')?.shadowRoot?.textContent?.includes('Votre session se termine bientôt'), 'French text');
    expect(el.shadowRoot!.querySelector('[part="base"]')!.getAttribute('lang')).to.equal('fr-CA');
    const back = ready('en');
    el.locale = 'en';
    await back;
  });
});
