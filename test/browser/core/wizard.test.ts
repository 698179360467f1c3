import { expect } from '@open-wc/testing';
import { demoConnections } from '../../../src/adapters/demo-data.js';
import { defaultSession } from '../../../src/adapters/memory-adapter.js';
import { spMetadataXml } from '../../../src/core/sp-metadata.js';
import { conflictingFields } from '../../../src/core/wizard-conflict.js';
import {
  checkStep,
  creationInput,
  draftFromConnection,
  emptyDraft,
  nextStep,
  parseScopes,
  patchForStep,
  previousStep,
  restoreDraft,
  storableDraft,
  wizardEntry,
  withAttributeDefaults,
  withSimulatorValues,
  type WizardDraft,
} from '../../../src/core/wizard.js';

const NOW = new Date('2026-11-29T12:00:00Z');
const [okta, entra] = demoConnections(NOW) as [ReturnType<typeof demoConnections>[number], ReturnType<typeof demoConnections>[number]];

function samlDraft(): WizardDraft {
  return { ...emptyDraft(), providerId: 'okta', protocol: 'saml' };
}

describe('wizard: steps', () => {
  it('orders the steps and knows the neighbours', () => {
    expect(nextStep('provider')).to.equal('guide');
    expect(nextStep('attributes')).to.equal('test');
    expect(nextStep('activate')).to.equal(undefined);
    expect(previousStep('provider')).to.equal(undefined);
    expect(previousStep('configure')).to.equal('guide');
  });

  it('opens a new connection at the provider and an existing one at its configuration', () => {
    expect(wizardEntry()).to.deep.equal({ view: 'wizard', step: 'provider' });
    expect(wizardEntry('conn_1')).to.deep.equal({ view: 'wizard', step: 'configure', connectionId: 'conn_1' });
  });
});

describe('wizard: guards', () => {
  it('needs a provider, then a protocol', () => {
    const none = checkStep('provider', emptyDraft());
    expect(none.ok).to.equal(false);
    expect(!none.ok && none.issues.map((i) => i.path)).to.deep.equal(['providerId']);
    const noProtocol = checkStep('provider', { ...emptyDraft(), providerId: 'okta' });
    expect(!noProtocol.ok && noProtocol.issues.map((i) => i.path)).to.deep.equal(['protocol']);
    expect(checkStep('provider', samlDraft()).ok).to.equal(true);
  });

  it('lets the guide pass', () => {
    expect(checkStep('guide', emptyDraft()).ok).to.equal(true);
  });

  it('needs SAML configuration to be read and understood before saving, naming the field of the chosen source', () => {
    for (const [source, path] of [
      ['url', 'saml.metadataUrl'],
      ['file', 'saml.metadataXml'],
      ['xml', 'saml.metadataXml'],
      ['manual', 'saml.manual.ssoUrl'],
    ] as const) {
      const draft = samlDraft();
      draft.saml.source = source;
      const check = checkStep('configure', draft);
      expect(!check.ok && check.issues[0]!.path, source).to.equal(path);
    }
    const ready = samlDraft();
    ready.saml.understood = okta.saml;
    expect(checkStep('configure', ready).ok).to.equal(true);
  });

  it('needs an OIDC issuer that was checked, a client ID and a secret (unless one is saved)', () => {
    const draft: WizardDraft = { ...emptyDraft(), providerId: 'okta', protocol: 'oidc' };
    const check = checkStep('configure', draft);
    expect(!check.ok && check.issues.map((i) => i.path)).to.deep.equal(['oidc.issuer', 'oidc.clientId', 'oidc.clientSecret']);
    draft.oidc = { ...draft.oidc, issuer: 'https://megacorp.okta.example', clientId: 'abc', clientSecret: 's' };
    const unchecked = checkStep('configure', draft);
    expect(!unchecked.ok && unchecked.issues[0]!.message).to.contain('Check the issuer');
    draft.oidc.discoveryChecked = true;
    expect(checkStep('configure', draft).ok).to.equal(true);
    draft.oidc = { ...draft.oidc, clientSecret: '', clientSecretSet: true };
    expect(checkStep('configure', draft).ok).to.equal(true);
  });

  it('needs the email attribute', () => {
    const check = checkStep('attributes', samlDraft());
    expect(!check.ok && check.issues[0]!.path).to.equal('attributeMapping.email');
    const filled = samlDraft();
    filled.attributeMapping.email = 'email';
    expect(checkStep('attributes', filled).ok).to.equal(true);
  });
});

describe('wizard: from draft to adapter input', () => {
  it('creates a connection with the provider, protocol and mapping', () => {
    const draft = withAttributeDefaults(samlDraft(), { email: 'email', firstName: 'firstName' });
    expect(creationInput(draft)).to.deep.equal({ protocol: 'saml', providerId: 'okta', attributeMapping: { email: 'email', firstName: 'firstName' } });
  });

  it('saves the understood SAML configuration, and nothing before it is understood', () => {
    const draft = samlDraft();
    expect(patchForStep('configure', draft)).to.equal(null);
    draft.saml.understood = okta.saml;
    expect(patchForStep('configure', draft)).to.deep.equal({ saml: okta.saml });
  });

  it('sends the OIDC secret only when one was typed, with openid always in the scopes', () => {
    const draft: WizardDraft = { ...emptyDraft(), protocol: 'oidc', providerId: 'okta' };
    draft.oidc = { ...draft.oidc, issuer: ' https://idp.example ', clientId: ' abc ', clientSecret: '', clientSecretSet: true, scopes: 'email, profile' };
    expect(patchForStep('configure', draft)).to.deep.equal({ oidc: { issuer: 'https://idp.example', clientId: 'abc', scopes: ['openid', 'email', 'profile'] } });
    draft.oidc.clientSecret = 'new-secret';
    expect((patchForStep('configure', draft) as { oidc: { clientSecret?: string } }).oidc.clientSecret).to.equal('new-secret');
  });

  it('parses scopes separated by spaces or commas, without duplicates', () => {
    expect(parseScopes('openid  email,profile email')).to.deep.equal(['openid', 'email', 'profile']);
    expect(parseScopes('')).to.deep.equal(['openid']);
  });

  it('trims the mapping and leaves out empty optional attributes', () => {
    const draft = samlDraft();
    draft.attributeMapping = { email: ' mail ', firstName: '', lastName: 'sn', groups: ' ' };
    expect(patchForStep('attributes', draft)).to.deep.equal({ attributeMapping: { email: 'mail', lastName: 'sn' } });
  });

  it('fills provider defaults only where the admin typed nothing', () => {
    const draft = samlDraft();
    draft.attributeMapping.email = 'mine';
    const filled = withAttributeDefaults(draft, { email: 'email', firstName: 'givenName', groups: 'groups' });
    expect(filled.attributeMapping).to.deep.equal({ email: 'mine', firstName: 'givenName', lastName: '', groups: 'groups' });
  });
});

describe('wizard: drafts in browser storage', () => {
  it('never stores the client secret', () => {
    const draft: WizardDraft = { ...emptyDraft(), protocol: 'oidc' };
    draft.oidc.clientSecret = 'top-secret';
    expect(JSON.stringify(storableDraft(draft))).not.to.contain('top-secret');
    expect(draft.oidc.clientSecret).to.equal('top-secret');
  });

  it('restores a stored draft, filling fields added since, and drops a secret smuggled in', () => {
    const stored = JSON.parse(JSON.stringify(storableDraft(draftFromConnection(okta)))) as Record<string, unknown>;
    delete (stored.saml as Record<string, unknown>).aggregateEntityId;
    (stored.oidc as Record<string, unknown>).clientSecret = 'smuggled';
    const restored = restoreDraft(stored)!;
    expect(restored.saml.aggregateEntityId).to.equal('');
    expect(restored.saml.understood).to.deep.equal(okta.saml);
    expect(restored.oidc.clientSecret).to.equal('');
  });

  it('refuses what is not a draft', () => {
    for (const value of [null, 42, 'x', [], { saml: 1 }]) expect(restoreDraft(value)).to.equal(null);
  });
});

describe('wizard: editing and conflicts', () => {
  it('reads a saved connection back into a draft', () => {
    const draft = draftFromConnection(entra);
    expect(draft.connectionId).to.equal('conn_entra');
    expect(draft.version).to.equal(entra.version);
    expect(draft.oidc.clientSecretSet).to.equal(true);
    expect(draft.oidc.clientSecret).to.equal('');
    expect(draft.oidc.scopes).to.equal('openid email profile');
    expect(draft.attributeMapping.firstName).to.equal('given_name');
  });

  it('lists the fields where my draft and the saved version differ', () => {
    const mine = draftFromConnection(entra);
    mine.oidc.clientId = 'changed-by-me';
    const rows = conflictingFields(mine, { ...entra, attributeMapping: { ...entra.attributeMapping, email: 'upn' } });
    expect(rows).to.deep.equal([
      { field: 'Client ID', mine: 'changed-by-me', theirs: entra.oidc!.clientId },
      { field: 'Email attribute', mine: 'email', theirs: 'upn' },
    ]);
    expect(conflictingFields(draftFromConnection(okta), okta)).to.deep.equal([]);
  });
});

describe('wizard: the IdP simulator prefills its values', () => {
  const session = {
    ...defaultSession(NOW),
    simulator: {
      samlMetadataUrl: 'http://127.0.0.1:4400/simulator/saml/metadata',
      oidcIssuer: 'http://127.0.0.1:4400/simulator/oidc',
      oidcClientId: 'sso-portal-simulator',
      oidcClientSecret: 'public-simulator-value',
    },
  };

  it('fills the metadata URL, issuer and client of the simulator when it is chosen', () => {
    const draft = withSimulatorValues({ ...emptyDraft(), providerId: 'simulator', protocol: 'saml' }, session);
    expect(draft.saml.source).to.equal('url');
    expect(draft.saml.metadataUrl).to.equal(session.simulator.samlMetadataUrl);
    expect(draft.oidc).to.include({ issuer: session.simulator.oidcIssuer, clientId: 'sso-portal-simulator', clientSecret: 'public-simulator-value' });
  });

  it('keeps what the admin typed, and changes nothing for other providers or without a simulator', () => {
    const typed = { ...emptyDraft(), providerId: 'simulator', protocol: 'oidc' as const };
    typed.oidc = { ...typed.oidc, issuer: 'http://127.0.0.1:9999/other', clientId: 'mine' };
    const kept = withSimulatorValues(typed, session);
    expect(kept.oidc.issuer).to.equal('http://127.0.0.1:9999/other');
    expect(kept.oidc.clientId).to.equal('mine');
    const okta = { ...emptyDraft(), providerId: 'okta', protocol: 'saml' as const };
    expect(withSimulatorValues(okta, session)).to.equal(okta);
    const simulator = { ...emptyDraft(), providerId: 'simulator', protocol: 'saml' as const };
    expect(withSimulatorValues(simulator, defaultSession(NOW))).to.equal(simulator);
  });
});

describe('sp-metadata', () => {
  it('builds SP metadata with our entity ID and ACS, escaping XML', () => {
    const xml = spMetadataXml({ entityId: 'https://sp.example/a?x=1&y="2"', acsUrl: 'https://sp.example/acs', metadataUrl: 'https://sp.example/m', oidcRedirectUri: 'https://sp.example/cb' });
    const doc = new DOMParser().parseFromString(xml, 'application/xml');
    expect(doc.querySelector('parsererror')).to.equal(null);
    expect(doc.documentElement.getAttribute('entityID')).to.equal('https://sp.example/a?x=1&y="2"');
    expect(doc.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:metadata', 'AssertionConsumerService')[0]!.getAttribute('Location')).to.equal('https://sp.example/acs');
  });
});

describe('sp-metadata: SP values per connection', () => {
  it('puts the connection id before the last path segment, and after the entity ID', async () => {
    const { connectionServiceProvider } = await import('../../../src/core/sp-metadata.js');
    expect(
      connectionServiceProvider(
        { entityId: 'https://sp.example/saml/org_1', acsUrl: 'https://sp.example/saml/org_1/acs', metadataUrl: 'https://sp.example/saml/org_1/metadata', oidcRedirectUri: 'https://sp.example/oidc/org_1/callback' },
        'conn_2',
      ),
    ).to.deep.equal({
      entityId: 'https://sp.example/saml/org_1/conn_2',
      acsUrl: 'https://sp.example/saml/org_1/conn_2/acs',
      metadataUrl: 'https://sp.example/saml/org_1/conn_2/metadata',
      oidcRedirectUri: 'https://sp.example/oidc/org_1/conn_2/callback',
    });
  });
});
