import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { demoSeed, DEMO_METADATA_URL } from '../../../src/adapters/index.js';
import type { SsoAdminPortal } from '../../../src/portal/sso-admin-portal.js';
import { buttonNamed, deepActiveElement, nextEvent, tabTo } from '../helpers.js';
import { switchTo } from '../localize-helpers.js';
import { chooseProvider, chooseSource, currentStep, fixtureText, nextButton, paste, portal, pressNext, settle, startWizard, toConfigure, typeInto, wizardOf } from './wizard-helpers.js';

// The first parse loads xmldom and the X.509 code through the test server's CommonJS
// transform, which takes seconds on a cold server: load it once, up front.
before(async function () {
  this.timeout(60_000);
  const { parseSamlMetadata } = await import('../../../src/core/saml-metadata.js');
  await parseSamlMetadata('<x/>');
  await import('../../../src/portal/wizard/sso-wizard.js');
});

describe('<sso-wizard>: choosing the provider', () => {
  it('lists the providers, searchable, accessible, with the simulator only in dev mode', async () => {
    const { el } = await portal();
    const step = await startWizard(el);
    await expect(el).to.be.accessible();
    const names = () => [...step.shadowRoot!.querySelectorAll('.option .name > span:first-child')].map((n) => n.textContent);
    expect(names()).to.include('IdP Simulator');
    await typeInto(step, '#provider-search', 'azure');
    expect(names()).to.deep.equal(['Microsoft Entra ID']);

    const prod = await portal({ seed: { session: { devMode: false } } });
    const prodStep = await startWizard(prod.el);
    expect([...prodStep.shadowRoot!.querySelectorAll('.option')].map((n) => n.textContent)).not.to.satisfy((list: string[]) => list.some((t) => t.includes('Simulator')));
  });

  it('offers only the providers the host allows', async () => {
    const { el } = await portal({}, { providers: 'okta, entra-id' });
    const step = await startWizard(el);
    expect(step.shadowRoot!.querySelectorAll('input[name="provider"]')).to.have.length(2);
  });

  it('refuses to go on without a choice: the error is tied to the field, announced, and focus goes to it', async () => {
    const { el } = await portal();
    const step = await startWizard(el);
    await pressNext(el);
    await waitUntil(() => step.shadowRoot!.querySelector('#provider-error'), 'no error shown');
    const first = step.shadowRoot!.querySelector('input[name="provider"]')!;
    expect(first.getAttribute('aria-invalid')).to.equal('true');
    await waitUntil(() => deepActiveElement() === first, 'focus did not move to the field');
    await waitUntil(() => el.shadowRoot!.querySelector('[role="status"]')!.textContent.includes('Choose your identity provider'));
    await expect(el).to.be.accessible();
  });

  it('preselects the protocol the guide recommends when the provider has both, and creates a draft connection on Next', async () => {
    const simulator = {
      samlMetadataUrl: 'http://127.0.0.1:4400/simulator/saml/metadata',
      oidcIssuer: 'http://127.0.0.1:4400/simulator/oidc',
      oidcClientId: 'sso-portal-simulator',
      oidcClientSecret: 'simulator-public-dev-value',
    };
    const { el, adapter } = await portal({ seed: { session: { simulator } } });
    const step = await chooseProvider(el, 'simulator');
    const saml = step.shadowRoot!.querySelector<HTMLInputElement>('#protocol-saml')!;
    expect(saml.checked, 'SAML is preselected').to.equal(true);
    expect(saml.closest('label')!.textContent).to.contain('recommended');
    await expect(el).to.be.accessible();
    const saved = nextEvent(el, 'sso-connection-saved');
    await pressNext(el);
    const event = await saved;
    expect(event.created).to.equal(true);
    expect(event.connection).to.include({ providerId: 'simulator', protocol: 'saml', status: 'draft' });
    expect(step.shadowRoot!.querySelector('#protocol-error')).to.equal(null);
    await currentStep(el, 'sso-step-guide');
    expect((await adapter.listConnections()).length).to.equal(1);
  });

  it('keeps the protocol the admin chose, and offers only the protocols the session allows', async () => {
    const { el } = await portal();
    const step = await chooseProvider(el, 'okta', 'oidc');
    step.shadowRoot!.querySelector<HTMLInputElement>('#provider-entra-id')!.click();
    await settle(el, step);
    expect(step.draft.protocol).to.equal('oidc');

    const samlOnly = await portal({ seed: { session: { features: { saml: true, oidc: false, domains: true, idpInitiatedTest: true } } } });
    const only = await chooseProvider(samlOnly.el, 'okta');
    expect(only.draft.protocol).to.equal('saml');
    expect(only.shadowRoot!.querySelector('#protocol-oidc')).to.equal(null);
  });
});

describe('<sso-wizard>: the guide', () => {
  it('shows the provider’s numbered steps with our values in copy fields', async () => {
    const { el, adapter } = await portal();
    await chooseProvider(el, 'okta', 'saml');
    await pressNext(el);
    const guide = await currentStep(el, 'sso-step-guide');
    await expect(el).to.be.accessible();
    const fields = [...guide.shadowRoot!.querySelectorAll('sso-copy-field')];
    // The connection's own SP values (created as a draft on leaving the provider step).
    const [connection] = await adapter.listConnections();
    const sp = connection!.serviceProvider!;
    const values = fields.map((f) => (f as unknown as { value: string }).value);
    expect(values).to.include(sp.acsUrl);
    expect(values).to.include(sp.entityId);
    expect(sp.acsUrl).to.contain(connection!.id);
    expect(guide.shadowRoot!.querySelectorAll('ol.guide > li').length).to.be.greaterThan(3);
    expect(guide.shadowRoot!.textContent).to.contain('Okta');
  });
});

describe('<sso-wizard>: the IdP Simulator’s guide', () => {
  it('says plainly that the simulator already trusts this connection, without sending the admin to a console', async () => {
    for (const protocol of ['saml', 'oidc'] as const) {
      const { el } = await portal();
      await chooseProvider(el, 'simulator', protocol);
      await pressNext(el);
      const guide = await currentStep(el, 'sso-step-guide');
      const lead = guide.shadowRoot!.querySelector('.lead')!.textContent;
      expect(lead, protocol).to.contain('already trusts this connection');
      expect(guide.shadowRoot!.textContent, protocol).to.not.match(/admin console|Nothing to create:/);
      await expect(el).to.be.accessible();
    }
  });
});

describe('<sso-wizard>: SAML configuration', () => {
  it('reads metadata from a URL through the adapter, reviews it, and saves it', async () => {
    const { el, adapter } = await portal();
    const saml = await toConfigure(el, 'okta', 'saml');
    await typeInto(saml, '#saml-metadata-url', DEMO_METADATA_URL);
    buttonNamed(saml.shadowRoot!, /Read metadata/).click();
    await waitUntil(() => saml.shadowRoot!.querySelector('[part="review"]'), 'no review', { timeout: 4000 });
    await expect(el).to.be.accessible();
    const review = saml.shadowRoot!.querySelector('[part="review"]')!.textContent;
    expect(review).to.contain('http://www.okta.com/exk1demo');
    expect(review).to.contain('HTTP-Redirect');
    expect(review).to.contain('megacorp.okta.example');
    expect(review).to.match(/([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    const saved = nextEvent(el, 'sso-connection-saved');
    await pressNext(el);
    const { connection } = await saved;
    expect(connection.saml!.idpEntityId).to.equal('http://www.okta.com/exk1demo');
    expect(connection.saml!.metadataUrl).to.equal(DEMO_METADATA_URL);
    expect(connection.status).to.equal('configured');
    expect(adapter.calls.filter((c) => c.method === 'fetchMetadata')).to.have.length(1);
    await currentStep(el, 'sso-step-attributes');
  });

  it('reads a prefilled metadata URL when the admin continues, with progress, and goes on', async () => {
    const simulator = { samlMetadataUrl: DEMO_METADATA_URL, oidcIssuer: 'https://idp.example/oidc', oidcClientId: 'c', oidcClientSecret: 's' };
    const { el, adapter } = await portal({ seed: { session: { simulator } } });
    const saml = await toConfigure(el, 'simulator', 'saml');
    expect(saml.shadowRoot!.querySelector<HTMLInputElement>('#saml-metadata-url')!.value).to.equal(DEMO_METADATA_URL);
    // Hold the download, to see the progress while it runs.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fetchMetadata = adapter.fetchMetadata.bind(adapter);
    adapter.fetchMetadata = async (...args) => {
      await gate;
      return fetchMetadata(...args);
    };
    const saved = nextEvent(el, 'sso-connection-saved');
    await pressNext(el);
    await waitUntil(() => saml.shadowRoot!.querySelector('[aria-busy="true"]')?.textContent?.includes('Downloading the metadata'), 'no progress shown');
    await waitUntil(() => /Reading/.test(buttonNamed(wizardOf(el)!.shadowRoot!, /Reading|Save and continue/).textContent ?? ''), 'the button does not say it is reading');
    expect(saml.shadowRoot!.querySelector('[part="parse-error"]')).to.equal(null);
    expect(saml.shadowRoot!.querySelector('.error')).to.equal(null);
    release();
    const { connection } = await saved;
    expect(connection.saml!.metadataUrl).to.equal(DEMO_METADATA_URL);
    await currentStep(el, 'sso-step-attributes');
  });

  it('stays on the SAML step when reading the metadata URL on continue fails, and says why at the field', async () => {
    const { el, adapter } = await portal();
    const saml = await toConfigure(el, 'okta', 'saml');
    await typeInto(saml, '#saml-metadata-url', 'https://nowhere.megacorp.example/metadata');
    await pressNext(el);
    const field = saml.shadowRoot!.querySelector<HTMLInputElement>('#saml-metadata-url')!;
    await waitUntil(() => field.getAttribute('aria-invalid') === 'true', 'no error at the field', { timeout: 4000 });
    await waitUntil(() => deepActiveElement() === field, 'focus did not go to the field');
    expect(saml.shadowRoot!.querySelector('[part="parse-error"]')).to.not.equal(null);
    expect(saml.shadowRoot!.textContent).to.not.contain('Enter the metadata URL and read it');
    expect(adapter.calls.filter((c) => c.method === 'updateConnection')).to.have.length(0);
    expect(wizardOf(el)!.shadowRoot!.querySelector('sso-step-saml')).to.equal(saml);
  });

  it('reads a metadata file chosen as a real File', async () => {
    const { el } = await portal();
    const saml = await toConfigure(el, 'okta', 'saml');
    await chooseSource(el, saml, 'file');
    // The file picker's code loads when its source is chosen.
    await waitUntil(() => saml.shadowRoot!.querySelector('sso-file-drop')?.shadowRoot, 'the file picker did not load');
    const drop = saml.shadowRoot!.querySelector('sso-file-drop')!;
    await drop.updateComplete;
    const xml = await fixtureText('saml-metadata/ssoready-ssoready__okta__metadata.xml');
    const input = drop.shadowRoot!.querySelector<HTMLInputElement>('input[type="file"]')!;
    const transfer = new DataTransfer();
    transfer.items.add(new File([xml], 'okta-metadata.xml', { type: 'text/xml' }));
    input.files = transfer.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await waitUntil(() => saml.shadowRoot!.querySelector('[part="review"]'), 'no review', { timeout: 4000 });
    expect(saml.shadowRoot!.querySelector('[part="review"]')!.textContent).to.contain('http://www.okta.com/exkdoocxa1VmjpXmX697');
  });

  it('refuses pasted XML with a DOCTYPE (XXE) with a coded, plain-language error', async () => {
    const { el } = await portal();
    const saml = await toConfigure(el, 'okta', 'saml');
    await chooseSource(el, saml, 'xml');
    const xml = await fixtureText('saml-malicious/SAML-Toolkits-php-saml__UtilsTest.php__attackXXE.xml');
    const area = await paste(el, saml, '#saml-metadata-xml', xml);
    buttonNamed(saml.shadowRoot!, /Read XML/).click();
    await waitUntil(() => saml.shadowRoot!.querySelector('[part="parse-error"]'), 'no error', { timeout: 4000 });
    expect(saml.shadowRoot!.querySelector('[part="parse-error"]')!.textContent).to.contain('metadata_doctype_forbidden');
    expect(area.getAttribute('aria-invalid')).to.equal('true');
    expect(area.value).to.equal(xml);
    await expect(el).to.be.accessible();
  });

  it('lets the admin pick their IdP in an aggregate', async () => {
    const { el } = await portal();
    const saml = await toConfigure(el, 'generic-saml', 'saml');
    await chooseSource(el, saml, 'xml');
    await paste(el, saml, '#saml-metadata-xml', await fixtureText('saml-aggregate/SAML-Toolkits-ruby-saml__idp_multiple_descriptors.xml'));
    buttonNamed(saml.shadowRoot!, /Read XML/).click();
    await waitUntil(() => saml.shadowRoot!.querySelector('input[name="entity"]'), 'no chooser', { timeout: 4000 });
    await expect(el).to.be.accessible();
    const choices = [...saml.shadowRoot!.querySelectorAll<HTMLInputElement>('input[name="entity"]')];
    expect(choices.length).to.be.greaterThan(1);
    choices[1]!.click();
    await waitUntil(() => saml.shadowRoot!.querySelector('[part="review"]'), 'no review', { timeout: 4000 });
  });

  it('checks manual fields and a pasted certificate, and explains an undecodable one', async () => {
    const { el } = await portal();
    const saml = await toConfigure(el, 'generic-saml', 'saml');
    await chooseSource(el, saml, 'manual');
    await typeInto(saml, '#saml-sso-url', 'https://idp.megacorp.example/sso');
    await typeInto(saml, '#saml-entity-id', 'https://idp.megacorp.example');
    await typeInto(saml, '#saml-certificate', 'not a certificate');
    buttonNamed(saml.shadowRoot!, /Check these values/).click();
    await waitUntil(() => saml.shadowRoot!.querySelector('[part="parse-error"]'), 'no error', { timeout: 4000 });
    expect(saml.shadowRoot!.querySelector<HTMLTextAreaElement>('#saml-certificate')!.getAttribute('aria-invalid')).to.equal('true');

    const xml = await fixtureText('saml-metadata/ssoready-ssoready__okta__metadata.xml');
    const cert = /<(?:\w+:)?X509Certificate>([^<]+)</.exec(xml)![1]!;
    await paste(el, saml, '#saml-certificate', cert);
    buttonNamed(saml.shadowRoot!, /Check these values/).click();
    await waitUntil(() => saml.shadowRoot!.querySelector('[part="review"]'), 'no review', { timeout: 4000 });
    expect(saml.shadowRoot!.querySelectorAll('[part="certificate"]')).to.have.length(1);
  });
});

describe('<sso-wizard>: OpenID Connect configuration', () => {
  it('checks the issuer, keeps the secret write-only, and saves', async () => {
    const { el } = await portal();
    const oidc = await toConfigure(el, 'okta', 'oidc');
    await expect(el).to.be.accessible();
    await typeInto(oidc, '#oidc-issuer', 'https://megacorp.okta.example');
    const check = buttonNamed(oidc.shadowRoot!, /Check issuer/);
    await tabTo(check);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => oidc.shadowRoot!.textContent.includes('Found'), 'discovery not shown', { timeout: 4000 });
    await typeInto(oidc, '#oidc-client-id', '0oa1demo');
    await typeInto(oidc, '#oidc-client-secret', 'super-secret-value');
    expect(JSON.stringify(sessionStorage)).not.to.contain('super-secret-value');
    const saved = nextEvent(el, 'sso-connection-saved');
    await pressNext(el);
    const { connection } = await saved;
    expect(connection.oidc).to.include({ issuer: 'https://megacorp.okta.example', clientId: '0oa1demo', clientSecretSet: true });
    expect(JSON.stringify(connection)).not.to.contain('super-secret-value');
  });

  it('prefills the IdP Simulator’s issuer, client and secret from the session, through the creation of the draft', async () => {
    const simulator = {
      samlMetadataUrl: 'http://127.0.0.1:4400/simulator/saml/metadata',
      oidcIssuer: 'http://127.0.0.1:4400/simulator/oidc',
      oidcClientId: 'sso-portal-simulator',
      oidcClientSecret: 'simulator-public-dev-value',
    };
    const { el } = await portal({ seed: { session: { simulator } } });
    // Next on the provider step creates the connection (no secret yet): the prefilled secret stays.
    const oidc = await toConfigure(el, 'simulator', 'oidc');
    const value = (selector: string) => oidc.shadowRoot!.querySelector<HTMLInputElement>(selector)!.value;
    expect(value('#oidc-issuer')).to.equal(simulator.oidcIssuer);
    expect(value('#oidc-client-id')).to.equal('sso-portal-simulator');
    expect(value('#oidc-client-secret')).to.equal('simulator-public-dev-value');
  });

  it('checks a prefilled issuer when the admin continues, instead of refusing', async () => {
    const simulator = { samlMetadataUrl: DEMO_METADATA_URL, oidcIssuer: 'https://idp.megacorp.example/oidc', oidcClientId: 'sso-portal-simulator', oidcClientSecret: 'simulator-public-dev-value' };
    const { el } = await portal({ seed: { session: { simulator } } });
    const oidc = await toConfigure(el, 'simulator', 'oidc');
    const saved = nextEvent(el, 'sso-connection-saved');
    await pressNext(el);
    const { connection } = await saved;
    expect(connection.oidc).to.include({ issuer: simulator.oidcIssuer, clientId: 'sso-portal-simulator', clientSecretSet: true });
    expect(oidc.shadowRoot!.textContent).to.not.contain('Check the issuer first');
    await currentStep(el, 'sso-step-attributes');
  });

  it('explains a discovery document that fails its checks', async () => {
    const issuer = 'https://idp.broken.example';
    const { el } = await portal({ documents: { [`${issuer}/.well-known/openid-configuration`]: { issuer: 'https://someone-else.example', authorization_endpoint: `${issuer}/a`, token_endpoint: `${issuer}/t`, jwks_uri: `${issuer}/k` } } });
    const oidc = await toConfigure(el, 'generic-oidc', 'oidc');
    await typeInto(oidc, '#oidc-issuer', issuer);
    buttonNamed(oidc.shadowRoot!, /Check issuer/).click();
    await waitUntil(() => oidc.shadowRoot!.querySelector('#oidc-issuer')!.getAttribute('aria-invalid') === 'true', 'no error', { timeout: 4000 });
    expect(oidc.shadowRoot!.querySelector('#oidc-issuer-error')!.textContent).to.contain('someone-else.example');
  });

  it('shows a saved secret as set, with a replace action, never the value', async () => {
    const { el } = await portal({ seed: demoSeed() });
    const overview = el.shadowRoot!.querySelector('sso-connections-overview')!;
    buttonNamed(overview.shadowRoot!, /Edit\s+Microsoft Entra ID/).click();
    const oidc = await currentStep(el, 'sso-step-oidc');
    expect(oidc.shadowRoot!.textContent).to.contain('A client secret is saved');
    expect(oidc.shadowRoot!.querySelector('#oidc-client-secret')).to.equal(null);
    buttonNamed(oidc.shadowRoot!, /Replace client secret/).click();
    await waitUntil(() => deepActiveElement() === oidc.shadowRoot!.querySelector('#oidc-client-secret'), 'focus did not go to the secret field');
  });

  it('a new client ID drops the saved secret: the step stays, asks for the secret again, and saves it', async () => {
    const { el } = await portal({ seed: demoSeed() });
    const overview = el.shadowRoot!.querySelector('sso-connections-overview')!;
    buttonNamed(overview.shadowRoot!, /Edit\s+Microsoft Entra ID/).click();
    const oidc = await currentStep(el, 'sso-step-oidc');
    await typeInto(oidc, '#oidc-client-id', 'another-client');
    const saved = nextEvent(el, 'sso-connection-saved');
    await pressNext(el);
    expect((await saved).connection.oidc).to.include({ clientId: 'another-client', clientSecretSet: false });
    await waitUntil(() => oidc.shadowRoot!.querySelector('#oidc-client-secret'), 'the secret field did not come back');
    await waitUntil(() => deepActiveElement() === oidc.shadowRoot!.querySelector('#oidc-client-secret'), 'focus did not go to the secret field');
    expect(wizardOf(el)!.shadowRoot!.querySelector('sso-step-oidc')).to.equal(oidc, 'still on the OIDC step');
    expect(oidc.shadowRoot!.querySelector('#oidc-client-secret-error')!.textContent).to.contain('saved client secret was removed');
    // A language switch words it again, still saying why the secret is asked for.
    const secretError = () => oidc.shadowRoot!.querySelector('#oidc-client-secret-error')!.textContent;
    try {
      await switchTo(el, 'de');
      await waitUntil(() => secretError().includes('daher wurde der gespeicherte geheime Clientschlüssel entfernt'), 'the reason, in German');
    } finally {
      await switchTo(el, 'en');
    }
    await waitUntil(() => secretError().includes('saved client secret was removed'), 'the reason, in English again');
    expect(oidc.shadowRoot!.textContent).not.to.contain('A client secret is saved');
    await typeInto(oidc, '#oidc-client-secret', 'secret-of-another-client');
    const again = nextEvent(el, 'sso-connection-saved');
    await pressNext(el);
    expect((await again).connection.oidc).to.include({ clientId: 'another-client', clientSecretSet: true });
    await currentStep(el, 'sso-step-attributes');
  });
});

describe('<sso-wizard>: attributes, saving and faults', () => {
  it('prefills the Entra claim URIs for SAML', async () => {
    const { el } = await portal();
    const saml = await toConfigure(el, 'entra-id', 'saml');
    await typeInto(saml, '#saml-metadata-url', DEMO_METADATA_URL);
    buttonNamed(saml.shadowRoot!, /Read metadata/).click();
    await waitUntil(() => saml.shadowRoot!.querySelector('[part="review"]'), 'no review', { timeout: 4000 });
    await pressNext(el);
    const attributes = await currentStep(el, 'sso-step-attributes');
    await expect(el).to.be.accessible();
    expect(attributes.shadowRoot!.querySelector<HTMLInputElement>('#attr-email')!.value).to.equal('http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress');
  });

  it('keeps the input and offers Retry when a save fails', async () => {
    const { el, adapter } = await portal();
    const saml = await toConfigure(el, 'okta', 'saml');
    await typeInto(saml, '#saml-metadata-url', DEMO_METADATA_URL);
    buttonNamed(saml.shadowRoot!, /Read metadata/).click();
    await waitUntil(() => saml.shadowRoot!.querySelector('[part="review"]'), 'no review', { timeout: 4000 });
    adapter.failNext('updateConnection', 'server_error');
    const failed = nextEvent(el, 'sso-error');
    await pressNext(el);
    expect((await failed).error.code).to.equal('server_error');
    const wizard = wizardOf(el)!;
    await waitUntil(() => wizard.shadowRoot!.querySelector('[part="save-error"]'), 'no save error');
    await expect(el).to.be.accessible();
    expect(saml.shadowRoot!.querySelector<HTMLInputElement>('#saml-metadata-url')!.value).to.equal(DEMO_METADATA_URL);
    buttonNamed(wizard.shadowRoot!, /Try again/).click();
    await currentStep(el, 'sso-step-attributes');
  });

  it('a refused save: the backend’s own message in English; in another language, the portal’s words for its code', async () => {
    const { el, adapter } = await portal();
    const saml = await toConfigure(el, 'okta', 'saml');
    await typeInto(saml, '#saml-metadata-url', DEMO_METADATA_URL);
    buttonNamed(saml.shadowRoot!, /Read metadata/).click();
    await waitUntil(() => saml.shadowRoot!.querySelector('[part="review"]'), 'no review', { timeout: 4000 });
    const refuse = () => adapter.setFault('updateConnection', { code: 'validation_failed', times: 1, message: 'Connection is not valid: saml.ssoUrl: must use https.' });
    const saveError = () => wizardOf(el)!.shadowRoot!.querySelector('[part="save-error"]')?.textContent ?? '';
    refuse();
    await pressNext(el);
    await waitUntil(() => saveError().includes('must use https'), 'the backend’s message');
    await switchTo(el, 'de');
    try {
      refuse();
      // Next, in German.
      wizardOf(el)!.shadowRoot!.querySelector<HTMLButtonElement>('[part="actions"] .button--primary')!.click();
      await waitUntil(() => saveError().includes('Einige Werte sind ungültig'), 'German title');
      expect(saveError()).not.to.contain('must use https');
    } finally {
      await switchTo(el, 'en');
    }
  });

  it('shows both sides of a conflict and lets the admin choose', async () => {
    const { el, adapter } = await portal();
    const saml = await toConfigure(el, 'okta', 'saml');
    await typeInto(saml, '#saml-metadata-url', DEMO_METADATA_URL);
    buttonNamed(saml.shadowRoot!, /Read metadata/).click();
    await waitUntil(() => saml.shadowRoot!.querySelector('[part="review"]'), 'no review', { timeout: 4000 });
    const [created] = await adapter.listConnections();
    await adapter.updateConnection(created!.id, { attributeMapping: { email: 'changed-in-another-tab' } }, { version: created!.version });
    await pressNext(el);
    const wizard = wizardOf(el)!;
    await waitUntil(() => wizard.shadowRoot!.querySelector('sso-save-conflict')?.shadowRoot?.querySelector('table'), 'no conflict shown');
    await expect(el).to.be.accessible();
    const conflict = wizard.shadowRoot!.querySelector('sso-save-conflict')!.shadowRoot!;
    expect(conflict.querySelector('table')!.textContent).to.contain('changed-in-another-tab');
    const saved = nextEvent(el, 'sso-connection-saved');
    buttonNamed(conflict, /Keep my version/).click();
    expect((await saved).connection.saml!.idpEntityId).to.equal('http://www.okta.com/exk1demo');
  });

  it('restores what was typed after the portal is reloaded, but never a secret', async () => {
    const { el, adapter } = await portal();
    const saml = await toConfigure(el, 'okta', 'saml');
    await typeInto(saml, '#saml-metadata-url', 'https://typed.example/metadata');
    el.remove();
    const again = await fixture<SsoAdminPortal>(html`<sso-admin-portal .adapter=${adapter}></sso-admin-portal>`);
    await waitUntil(() => again.shadowRoot!.querySelector('sso-connections-overview'));
    const overview = again.shadowRoot!.querySelector('sso-connections-overview')!;
    await overview.updateComplete;
    buttonNamed(overview.shadowRoot!, /Continue setup/).click();
    const restored = await currentStep(again, 'sso-step-saml');
    expect(restored.shadowRoot!.querySelector<HTMLInputElement>('#saml-metadata-url')!.value).to.equal('https://typed.example/metadata');
  });

  it('lets the host veto a step change inside the wizard', async () => {
    const { el } = await portal();
    await chooseProvider(el, 'okta', 'saml');
    el.addEventListener('sso-step-change', (e) => e.preventDefault(), { once: true });
    await pressNext(el);
    await waitUntil(() => !wizardOf(el)!.shadowRoot!.querySelector('.actions button[aria-disabled="true"]'));
    expect(wizardOf(el)!.step).to.equal('provider');
  });
});

describe('<sso-wizard>: the whole configure path, for every provider and protocol', () => {
  // Each listed provider, with each protocol it offers: choose it, read its guide, configure
  // it (SAML by metadata URL, OIDC by a checked issuer), keep the attribute defaults, save.
  const combos: [string, 'saml' | 'oidc'][] = [
    ['okta', 'saml'], ['okta', 'oidc'], ['entra-id', 'saml'], ['entra-id', 'oidc'], ['google-workspace', 'saml'],
    ['onelogin', 'saml'], ['onelogin', 'oidc'], ['jumpcloud', 'saml'], ['jumpcloud', 'oidc'], ['ping', 'saml'],
    ['ping', 'oidc'], ['adfs', 'saml'], ['keycloak', 'saml'], ['keycloak', 'oidc'], ['auth0', 'saml'],
    ['auth0', 'oidc'], ['generic-saml', 'saml'], ['generic-oidc', 'oidc'], ['simulator', 'saml'], ['simulator', 'oidc'],
  ];
  for (const [providerId, protocol] of combos) {
    it(`${providerId} with ${protocol.toUpperCase()}`, async () => {
      const { el, adapter } = await portal();
      const step = await toConfigure(el, providerId, protocol);
      if (protocol === 'saml') {
        await typeInto(step, '#saml-metadata-url', DEMO_METADATA_URL);
        buttonNamed(step.shadowRoot!, /Read metadata/).click();
        await waitUntil(() => step.shadowRoot!.querySelector('[part="review"]'), 'no review', { timeout: 4000 });
      } else {
        await typeInto(step, '#oidc-issuer', `https://${providerId}.idp.example`);
        buttonNamed(step.shadowRoot!, /Check issuer/).click();
        await waitUntil(() => step.shadowRoot!.querySelector('.notice--success'), 'discovery not shown', { timeout: 4000 });
        await typeInto(step, '#oidc-client-id', 'client-1');
        await typeInto(step, '#oidc-client-secret', 'secret-1');
      }
      await pressNext(el);
      const attributes = await currentStep(el, 'sso-step-attributes');
      expect(attributes.shadowRoot!.querySelector<HTMLInputElement>('#attr-email')!.value).not.to.equal('');
      const saved = nextEvent(el, 'sso-connection-saved');
      await pressNext(el);
      const { connection } = await saved;
      expect(connection).to.include({ providerId, protocol, status: 'configured' });
      expect((await adapter.getConnection(connection.id))[protocol]).not.to.equal(null);
      await waitUntil(() => wizardOf(el)!.step === 'test', 'did not reach the test step');
    });
  }
});

describe('<sso-wizard>: keyboard only', () => {
  it('chooses a provider and protocol with Tab, arrows and Space, and goes on with Enter', async () => {
    const { el } = await portal();
    const step = await startWizard(el);
    await waitUntil(() => deepActiveElement() === step.shadowRoot!.querySelector('#step-heading'));
    await sendKeys({ press: 'Tab' }); // the search field
    await sendKeys({ type: 'entra' });
    await settle(el, step);
    await sendKeys({ press: 'Tab' }); // the only provider left
    expect(deepActiveElement()).to.equal(step.shadowRoot!.querySelector('#provider-entra-id'));
    await sendKeys({ press: 'Space' });
    await settle(el, step);
    expect(step.draft.providerId).to.equal('entra-id');
    await sendKeys({ press: 'Tab' }); // the protocol group
    await sendKeys({ press: 'ArrowDown' }); // moves to, and selects, OpenID Connect
    await settle(el, step);
    expect(step.draft.protocol).to.equal('oidc');
    await tabTo(nextButton(el));
    await sendKeys({ press: 'Enter' });
    await currentStep(el, 'sso-step-guide');
  });
});
