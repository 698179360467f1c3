// A metadata change waiting for the admin's review (saml.metadataRefreshMode 'review'): said on
// the overview, shown field by field in the SAML step, applied or dismissed there.
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { MemoryAdapter, demoDocuments, demoSeed, DEMO_METADATA_URL } from '../../../src/adapters/index.js';
import type { Connection } from '../../../src/core/model.js';
import type { SsoStepElement } from '../../../src/portal/wizard/step-element.js';
import { buttonNamed, deepActiveElement, nextEvent, tabTo } from '../helpers.js';
import { currentStep, portalWith, pressNext } from './wizard-helpers.js';
import { switchTo } from '../localize-helpers.js';

const NEW_SSO_URL = 'https://megacorp.okta.example/app/megacorp_acme/exk1demo/sso/saml2';
const NEW_FINGERPRINT = 'AB:'.repeat(31) + 'CD';

/** The demo data with Okta's connection read from a metadata URL, in review mode, with a change found. */
function seedWithPendingChange(dismissed = false) {
  const seed = demoSeed();
  const okta = seed.connections!.find((c) => c.id === 'conn_okta')!;
  const saml = { ...okta.saml!, metadataUrl: DEMO_METADATA_URL, metadataRefreshMode: 'review' as const };
  const foundAt = new Date(Date.now() - 3 * 3_600_000).toISOString();
  const changed: Connection = {
    ...okta,
    saml,
    metadataRefresh: {
      checkedAt: foundAt,
      status: dismissed ? 'dismissed' : 'pending',
      pending: {
        foundAt,
        ...(dismissed ? { dismissedAt: foundAt } : {}),
        changes: [
          { field: 'signingCertificates', added: [NEW_FINGERPRINT] },
          { field: 'ssoUrl', from: saml.ssoUrl, to: NEW_SSO_URL },
          { field: 'wantAuthnRequestsSigned', from: false, to: true },
        ],
        saml: { ...saml, ssoUrl: NEW_SSO_URL, wantAuthnRequestsSigned: true },
      },
    },
  };
  return { ...seed, connections: seed.connections!.map((c) => (c.id === okta.id ? changed : c)) };
}

async function open(dismissed = false) {
  const adapter = new MemoryAdapter({ documents: demoDocuments(), seed: seedWithPendingChange(dismissed) });
  const { el } = await portalWith(adapter);
  return { el, adapter, overview: el.shadowRoot!.querySelector('sso-connections-overview')! };
}

describe('a metadata re-read that failed', () => {
  it('says why on the overview, that the saved settings still apply, and where to change the URL', async () => {
    const seed = demoSeed();
    const connections = seed.connections!.map((c) => (c.id === 'conn_okta' ? { ...c, metadataRefresh: { checkedAt: new Date(Date.now() - 3_600_000).toISOString(), status: 'failed' as const, errorCode: 'metadata_fetch_failed', error: 'The metadata URL answered 503.' } } : c));
    const { el } = await portalWith(new MemoryAdapter({ documents: demoDocuments(), seed: { ...seed, connections } }));
    const overview = el.shadowRoot!.querySelector('sso-connections-overview')!;
    const okta = [...overview.shadowRoot!.querySelectorAll('li[part="connection"]')].find((li) => li.textContent.includes('Okta'))!;
    expect(okta.textContent.replace(/\s+/g, ' ')).to.contain('Could not be read again 1 hour ago: The metadata URL answered 503. The saved settings still apply; if the URL moved, enter the new one under Edit.');
    await expect(el).to.be.accessible();
  });
});

describe('a metadata change waiting for review', () => {
  it('is said on the overview, whose button for the connection becomes "Review changes"', async () => {
    const { el, overview } = await open();
    const okta = [...overview.shadowRoot!.querySelectorAll('li[part="connection"]')].find((li) => li.textContent.includes('Okta'))!;
    expect(okta.textContent.replace(/\s+/g, ' ')).to.match(/Metadata ?⚠ Changed 3 hours ago: waiting for your review/);
    expect(buttonNamed(okta, /Review changes/)).to.not.equal(undefined);
    await expect(el).to.be.accessible();
  });

  it('is listed in the SAML step and applied with the keyboard: the saved configuration takes the IdP’s values', async () => {
    const { el, adapter, overview } = await open();
    buttonNamed(overview.shadowRoot!, /Review changes/).click();
    const saml = await currentStep<SsoStepElement>(el, 'sso-step-saml');
    await waitUntil(() => saml.shadowRoot!.querySelector('sso-metadata-change')?.shadowRoot?.querySelector('[part="metadata-change"]'), 'the change is not shown');
    const panel = saml.shadowRoot!.querySelector('sso-metadata-change')!.shadowRoot!;
    const items = [...panel.querySelectorAll('li')].map((li) => li.textContent.replace(/\s+/g, ' ').trim());
    expect(items).to.deep.equal([`New signing certificate ${NEW_FINGERPRINT}`, `Single sign-on URL: ${seedWithPendingChange().connections.find((c) => c.id === 'conn_okta')!.saml!.ssoUrl} → ${NEW_SSO_URL}`, 'Signed login requests: now required']);
    await expect(el).to.be.accessible();
    // The review mode is a setting of the connection, shown checked (in the review, once its certificates are read).
    await waitUntil(() => saml.shadowRoot!.querySelector('#review-metadata-changes'), 'no review setting');
    expect(saml.shadowRoot!.querySelector<HTMLInputElement>('#review-metadata-changes')!.checked).to.equal(true);
    await tabTo(buttonNamed(panel, /Apply these changes/));
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => !saml.shadowRoot!.querySelector('sso-metadata-change')?.shadowRoot?.querySelector('[part="metadata-change"]'), 'the change is still shown');
    await waitUntil(() => deepActiveElement() === saml.shadowRoot!.querySelector('#step-heading'), 'focus did not go to the step heading');
    const applied = await adapter.getConnection('conn_okta');
    expect(applied.saml!.ssoUrl).to.equal(NEW_SSO_URL);
    expect(applied.metadataRefresh!.status).to.equal('updated');
    await waitUntil(() => saml.shadowRoot!.querySelector('[part="review"]')?.textContent?.includes(NEW_SSO_URL), 'the review does not show the new URL');
    // Saving the step keeps what was applied (the draft follows the connection).
    const saved = nextEvent(el, 'sso-connection-saved');
    await pressNext(el);
    expect((await saved).connection.saml).to.include({ ssoUrl: NEW_SSO_URL, wantAuthnRequestsSigned: true, metadataRefreshMode: 'review' });
  });

  it('can be dismissed, and a dismissed change can still be applied', async () => {
    const { el, adapter, overview } = await open();
    buttonNamed(overview.shadowRoot!, /Review changes/).click();
    const saml = await currentStep<SsoStepElement>(el, 'sso-step-saml');
    await waitUntil(() => saml.shadowRoot!.querySelector('sso-metadata-change')?.shadowRoot?.querySelector('[part="metadata-change"]'));
    const panel = () => saml.shadowRoot!.querySelector('sso-metadata-change')!.shadowRoot!;
    buttonNamed(panel(), /^Dismiss$/).click();
    await waitUntil(() => panel().textContent.includes('you dismissed them'), 'not shown as dismissed');
    expect(panel().textContent).to.not.match(/\bDismiss\b(?!ed)/);
    expect((await adapter.getConnection('conn_okta')).metadataRefresh!.status).to.equal('dismissed');
    await expect(el).to.be.accessible();
    buttonNamed(panel(), /Apply these changes/).click();
    await waitUntil(async () => (await adapter.getConnection('conn_okta')).saml!.ssoUrl === NEW_SSO_URL, 'not applied');
  });

  it('says so when the change is no longer pending (applied in another tab), keeping the step usable', async () => {
    const { el, adapter, overview } = await open();
    buttonNamed(overview.shadowRoot!, /Review changes/).click();
    const saml = await currentStep<SsoStepElement>(el, 'sso-step-saml');
    await waitUntil(() => saml.shadowRoot!.querySelector('sso-metadata-change')?.shadowRoot?.querySelector('[part="metadata-change"]'));
    const current = await adapter.getConnection('conn_okta');
    await adapter.approveMetadataChange(current.id, { version: current.version });
    const panel = saml.shadowRoot!.querySelector('sso-metadata-change')!.shadowRoot!;
    buttonNamed(panel, /Apply these changes/).click();
    await waitUntil(() => panel.querySelector('[part="metadata-change-error"]'), 'no error shown');
    expect(panel.querySelector('[part="metadata-change-error"]')!.textContent).to.match(/Changed somewhere else\. No metadata change is waiting for review/);
    // Its reason is stable, so a language switch words it again; the text the backend sent is not kept.
    await switchTo(el, 'de');
    await waitUntil(() => /An anderer Stelle geändert/.test(panel.querySelector('[part="metadata-change-error"]')!.textContent ?? ''), 'German title');
    expect(panel.querySelector('[part="metadata-change-error"]')!.textContent).not.to.contain('No metadata change');
    await switchTo(el, 'en');
  });
});
