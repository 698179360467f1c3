// Certificate rollover of a saved SAML connection: the review shows which certificate signs (from
// the backend's usage records), takes the next one before the cutover, and removes the old one.
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { MemoryAdapter, demoDocuments, demoSeed } from '../../../src/adapters/index.js';
import type { Connection } from '../../../src/core/model.js';
import type { SsoSamlRollover } from '../../../src/portal/wizard/sso-saml-rollover.js';
import type { SsoStepElement } from '../../../src/portal/wizard/step-element.js';
import { buttonNamed, deepActiveElement, nextEvent, tabTo } from '../helpers.js';
import { currentStep, fixtureText, portalWith, pressNext } from './wizard-helpers.js';

/** The first certificate of an IdP metadata file of the corpus, as PEM. */
async function corpusCertificate(path: string): Promise<string> {
  const base64 = /<(?:ds:)?X509Certificate>([^<]+)</.exec(await fixtureText(path))![1]!.replace(/\s+/g, '');
  return `-----BEGIN CERTIFICATE-----\n${base64.replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
}

/** A MemoryAdapter whose connections carry the backend's usage records (`signingCertificateUsage`). */
class UsageAdapter extends MemoryAdapter {
  usage: { fingerprint: string; lastUsedAt: string }[] = [];
  private withUsage = (c: Connection): Connection => (c.protocol === 'saml' ? ({ ...c, signingCertificateUsage: this.usage }) : c);
  override async getConnection(...args: Parameters<MemoryAdapter['getConnection']>) {
    return this.withUsage(await super.getConnection(...args));
  }
  override async listConnections(...args: Parameters<MemoryAdapter['listConnections']>) {
    return (await super.listConnections(...args)).map(this.withUsage);
  }
  override async updateConnection(...args: Parameters<MemoryAdapter['updateConnection']>) {
    return this.withUsage(await super.updateConnection(...args));
  }
}

async function editOkta(adapter: MemoryAdapter) {
  const { el } = await portalWith(adapter);
  const overview = el.shadowRoot!.querySelector('sso-connections-overview')!;
  buttonNamed(overview.shadowRoot!, /Edit\s+Okta/).click();
  const saml = await currentStep<SsoStepElement>(el, 'sso-step-saml');
  await waitUntil(() => saml.shadowRoot!.querySelector('sso-saml-rollover')?.shadowRoot?.querySelector('[part="certificate"]'), 'the rollover editor did not render', { timeout: 4000 });
  const rollover: SsoSamlRollover = saml.shadowRoot!.querySelector('sso-saml-rollover')!;
  return { el, saml, rollover, root: rollover.shadowRoot! };
}

const cards = (root: ShadowRoot) => [...root.querySelectorAll('[part="certificate"]')];

describe('<sso-saml-rollover>: certificate rollover of a saved connection', () => {
  it('adds the next certificate by keyboard, removes the old one, and saves both changes', async () => {
    const adapter = new MemoryAdapter({ documents: demoDocuments(), seed: demoSeed() });
    const { el, rollover, root } = await editOkta(adapter);
    const before = (await adapter.getConnection('conn_okta')).saml!.signingCertificates;
    expect(cards(root)).to.have.length(1);
    // One certificate: nothing to remove.
    expect(root.textContent).to.not.match(/Remove certificate/);
    const open = buttonNamed(root, /Add a certificate/);
    await tabTo(open);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => deepActiveElement() === root.querySelector('#add-certificate'), 'focus did not go to the new certificate field');
    const next = await corpusCertificate('saml-metadata/SAML-Toolkits-php-saml__idp_metadata2.xml');
    const field = root.querySelector<HTMLTextAreaElement>('#add-certificate')!;
    field.value = next;
    field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    await tabTo(buttonNamed(root, /^Add certificate$/));
    const changed = nextEvent(rollover, 'sso-certificates-change');
    await sendKeys({ press: 'Enter' });
    await changed;
    await waitUntil(() => cards(root).length === 2, 'the new certificate was not added');
    await expect(el).to.be.accessible();
    await tabTo(buttonNamed(root, /Remove certificate 1/));
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => cards(root).length === 1, 'the old certificate was not removed');
    const saved = nextEvent(el, 'sso-connection-saved');
    await pressNext(el);
    const { connection } = await saved;
    expect(connection.saml!.signingCertificates).to.have.length(1);
    expect(connection.saml!.signingCertificates[0]!.replace(/\s+/g, '')).to.equal(next.replace(/\s+/g, ''));
    expect(connection.saml!.signingCertificates[0]).to.not.equal(before[0]);
  });

  it('refuses a duplicate or unreadable certificate at the field, keeping what was typed', async () => {
    const adapter = new MemoryAdapter({ documents: demoDocuments(), seed: demoSeed() });
    const { root } = await editOkta(adapter);
    const current = (await adapter.getConnection('conn_okta')).saml!.signingCertificates[0]!;
    buttonNamed(root, /Add a certificate/).click();
    await waitUntil(() => root.querySelector('#add-certificate'));
    for (const [text, message] of [
      [current, /already on the connection/],
      ['not a certificate', /./],
    ] as const) {
      const field = root.querySelector<HTMLTextAreaElement>('#add-certificate')!;
      field.value = text;
      field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      await waitUntil(() => field.getAttribute('aria-invalid') === 'false', 'typing did not clear the error');
      buttonNamed(root, /^Add certificate$/).click();
      await waitUntil(() => root.querySelector('#add-certificate')?.getAttribute('aria-invalid') === 'true', `no error for ${text.slice(0, 20)}`);
      expect(root.querySelector('#add-certificate-error')!.textContent).to.match(message);
      expect(root.querySelector<HTMLTextAreaElement>('#add-certificate')!.value).to.equal(text);
      expect(cards(root)).to.have.length(1);
    }
  });

  it('says which certificate signs now, warns when it is removed, and offers it back', async () => {
    const adapter = new UsageAdapter({ documents: demoDocuments(), seed: demoSeed() });
    const next = await corpusCertificate('saml-metadata/SAML-Toolkits-php-saml__idp_metadata2.xml');
    const connection = await adapter.getConnection('conn_okta');
    await adapter.updateConnection('conn_okta', { saml: { ...connection.saml!, signingCertificates: [...connection.saml!.signingCertificates, next] } }, { version: connection.version });
    const { root } = await editOkta(adapter);
    await waitUntil(() => cards(root).length === 2);
    const fingerprints = cards(root).map((c) => /([0-9A-F]{2}:){31}[0-9A-F]{2}/.exec(c.textContent)![0]);
    // The new certificate signed the latest login; the old one an earlier one.
    adapter.usage = [
      { fingerprint: fingerprints[0]!, lastUsedAt: '2026-11-01T10:00:00.000Z' },
      { fingerprint: fingerprints[1]!, lastUsedAt: '2026-12-01T10:00:00.000Z' },
    ];
    const { el: again, root: root2 } = await editOkta(adapter);
    const usage = cards(root2).map((c) => c.querySelector('[part="usage"]')!.textContent.replace(/\s+/g, ' ').trim());
    expect(usage[0]).to.match(/^Last verified a login on /);
    expect(usage[1]).to.match(/^Signing now\. Last verified a login on /);
    await expect(again).to.be.accessible();
    buttonNamed(root2, /Remove certificate 2/).click();
    await waitUntil(() => root2.querySelector('[part="removed-signing"]'), 'no warning about removing the signing certificate');
    expect(root2.querySelector('[part="removed-signing"]')!.textContent).to.contain(fingerprints[1]);
    buttonNamed(root2, /Keep it/).click();
    await waitUntil(() => cards(root2).length === 2 && !root2.querySelector('[part="removed-signing"]'), 'the certificate did not come back');
  });

  it('holds at most 5 certificates', async function () {
    this.timeout(20_000); // four certificates read one after another
    const adapter = new MemoryAdapter({ documents: demoDocuments(), seed: demoSeed() });
    const { root } = await editOkta(adapter);
    const many = await Promise.all(
      ['SAML-Toolkits-php-saml__idp_metadata2.xml', 'SAML-Toolkits-php-saml__onelogin_metadata.xml', 'Sustainsys-Saml2__ReadEntityDescriptor_ADFS.xml', 'SAML-Toolkits-php-saml__FederationMetadata.xml'].map((f) => corpusCertificate(`saml-metadata/${f}`)),
    );
    for (const [i, pem] of many.entries()) {
      buttonNamed(root, /Add a certificate/).click();
      await waitUntil(() => root.querySelector('#add-certificate'));
      const field = root.querySelector<HTMLTextAreaElement>('#add-certificate')!;
      field.value = pem;
      field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      buttonNamed(root, /^Add certificate$/).click();
      await waitUntil(() => cards(root).length === i + 2 || root.querySelector('#add-certificate-error'), `certificate ${i + 2} was not added`);
      expect(root.querySelector('#add-certificate-error')?.textContent ?? '', many[i]!.slice(28, 60)).to.equal('');
    }
    await waitUntil(() => cards(root).length === 5);
    expect(root.textContent).to.not.match(/Add a certificate/);
    expect(root.textContent).to.contain('at most 5 signing certificates');
  });
});
