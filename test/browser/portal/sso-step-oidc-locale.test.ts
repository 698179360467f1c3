// The OIDC step keeps what its issuer check found, not the words: a language switch words the
// check's error and warnings again, in the language now shown (issue 16).
import { expect, waitUntil } from '@open-wc/testing';
import { switchTo } from '../localize-helpers.js';
import { buttonNamed } from '../helpers.js';
import { portal, toConfigure, typeInto } from './wizard-helpers.js';

const ISSUER = 'https://idp.megacorp.example';
const ENDPOINTS = { authorization_endpoint: `${ISSUER}/a`, token_endpoint: `${ISSUER}/t`, jwks_uri: `${ISSUER}/k` };

async function checked(document: Record<string, unknown>) {
  const { el } = await portal({ documents: { [`${ISSUER}/.well-known/openid-configuration`]: document } });
  const oidc = await toConfigure(el, 'generic-oidc', 'oidc');
  await typeInto(oidc, '#oidc-issuer', ISSUER);
  buttonNamed(oidc.shadowRoot!, /Check issuer/).click();
  return { el, oidc, text: () => oidc.shadowRoot!.textContent ?? '' };
}

describe('<sso-step-oidc>: the issuer check worded again when the language changes', () => {
  it('an error under the issuer: German after a switch, the issuers kept as values; English again after', async () => {
    const { el, oidc } = await checked({ issuer: 'https://someone-else.example', ...ENDPOINTS });
    const error = () => oidc.shadowRoot!.querySelector('#oidc-issuer-error')?.textContent ?? '';
    await waitUntil(() => error().includes('someone-else.example'), 'no error', { timeout: 4000 });
    const english = error();
    try {
      await switchTo(el, 'de');
      await waitUntil(() => error() !== english, 'the error worded again');
      expect(error()).to.contain('someone-else.example');
      expect(error()).to.contain('Laut Anbieter lautet sein Issuer');
      await switchTo(el, 'en');
      await waitUntil(() => error() === english, 'the English error again');
    } finally {
      await switchTo(el, 'en');
    }
  });

  it('the warnings of a configuration that works: German after a switch', async () => {
    // No PKCE, no userinfo endpoint: two warnings, the check passes.
    const { el, oidc, text } = await checked({ issuer: ISSUER, ...ENDPOINTS, id_token_signing_alg_values_supported: ['RS256'] });
    await waitUntil(() => oidc.shadowRoot!.querySelector('.notice--success'), 'the check did not pass', { timeout: 4000 });
    const warnings = () => [...oidc.shadowRoot!.querySelectorAll('.notice--success .notice')].map((p) => p.textContent.trim());
    const english = warnings();
    expect(english).to.have.length(2);
    try {
      await switchTo(el, 'de');
      await waitUntil(() => text().includes('OpenID-Konfiguration'), 'the step in German');
      expect(warnings()).to.have.length(2);
      for (const warning of warnings()) expect(english).not.to.include(warning);
      await switchTo(el, 'en');
      expect(warnings()).to.deep.equal(english);
    } finally {
      await switchTo(el, 'en');
    }
  });
});
