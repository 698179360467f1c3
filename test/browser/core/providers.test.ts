import { expect } from '@open-wc/testing';
import { AttributeMappingSchema, IdSchema, ProtocolSchema, validate, type Protocol } from '../../../src/core/model.js';
import {
  PROVIDERS,
  availableProviders,
  defaultAttributeMapping,
  enabledProtocols,
  findProvider,
  providerName,
  searchProviders,
  type ProviderDefinition,
} from '../../../src/core/providers/catalog.js';
import { LOGO_INK } from '../../../src/core/providers/common.js';
import { adfs } from '../../../src/core/providers/adfs.js';
import { auth0 } from '../../../src/core/providers/auth0.js';
import { entraId } from '../../../src/core/providers/entra-id.js';
import { genericOidc } from '../../../src/core/providers/generic-oidc.js';
import { genericSaml } from '../../../src/core/providers/generic-saml.js';
import { googleWorkspace } from '../../../src/core/providers/google-workspace.js';
import { jumpCloud } from '../../../src/core/providers/jumpcloud.js';
import { keycloak } from '../../../src/core/providers/keycloak.js';
import { okta } from '../../../src/core/providers/okta.js';
import { oneLogin } from '../../../src/core/providers/onelogin.js';
import { ping } from '../../../src/core/providers/ping.js';
import { simulator } from '../../../src/core/providers/simulator.js';

const ORDER = [
  'okta',
  'entra-id',
  'google-workspace',
  'onelogin',
  'jumpcloud',
  'ping',
  'adfs',
  'keycloak',
  'auth0',
  'generic-saml',
  'generic-oidc',
  'simulator',
];
const PROTOCOLS: Protocol[] = ['saml', 'oidc'];
const SP_KEYS = ['entityId', 'acsUrl', 'metadataUrl', 'oidcRedirectUri'];
const ATTRIBUTE_KEYS = ['email', 'firstName', 'lastName', 'groups'] as const;
const BOTH = { saml: true, oidc: true };

const ids = (list: readonly Pick<ProviderDefinition, 'id'>[]) => list.map((p) => p.id);

/** Every (provider, protocol, step) of the catalog. */
function allSteps() {
  return PROVIDERS.flatMap((provider) =>
    PROTOCOLS.flatMap((protocol) => (provider.guides[protocol] ?? []).map((step, index) => ({ provider, protocol, step, where: `${provider.id} ${protocol} step ${index + 1}` }))),
  );
}

/** Markup check for guide text: `**bold**` spans only, never HTML, no stray `**`. */
function expectGuideMarkup(text: string, where: string) {
  expect(text.trim(), where).to.not.equal('');
  expect(text, `${where}: no HTML`).to.not.match(/[<]/);
  expect(text.replace(/\*\*[^*]+\*\*/g, ''), `${where}: unbalanced **`).to.not.include('**');
}

function expectHttpsUrl(value: string, where: string) {
  const url = new URL(value);
  expect(url.protocol, where).to.equal('https:');
}

describe('providers: catalog', () => {
  it('lists the providers in display order, each module named after its id', () => {
    expect(ids(PROVIDERS)).to.deep.equal(ORDER);
    const modules = [okta, entraId, googleWorkspace, oneLogin, jumpCloud, ping, adfs, keycloak, auth0, genericSaml, genericOidc, simulator];
    expect(modules).to.deep.equal([...PROVIDERS]);
    for (const module of modules) expect(PROVIDERS).to.include(module);
  });

  it('gives every provider a unique id that is a valid connection providerId', () => {
    const list = ids(PROVIDERS);
    expect(new Set(list).size).to.equal(list.length);
    for (const id of list) expect(validate(IdSchema, id).ok, id).to.equal(true);
  });

  it('gives every provider a name and at least one valid protocol, without duplicates', () => {
    for (const provider of PROVIDERS) {
      expect(provider.name.trim(), provider.id).to.not.equal('');
      expect(provider.protocols.length, provider.id).to.be.greaterThan(0);
      expect(new Set(provider.protocols).size, provider.id).to.equal(provider.protocols.length);
      for (const protocol of provider.protocols) expect(validate(ProtocolSchema, protocol).ok, provider.id).to.equal(true);
    }
  });

  it('offers the protocols each IdP supports', () => {
    const protocols = Object.fromEntries(PROVIDERS.map((p) => [p.id, [...p.protocols]]));
    expect(protocols).to.deep.equal({
      okta: ['saml', 'oidc'],
      'entra-id': ['saml', 'oidc'],
      'google-workspace': ['saml'],
      onelogin: ['saml', 'oidc'],
      jumpcloud: ['saml', 'oidc'],
      ping: ['saml', 'oidc'],
      adfs: ['saml'],
      keycloak: ['saml', 'oidc'],
      auth0: ['saml', 'oidc'],
      'generic-saml': ['saml'],
      'generic-oidc': ['oidc'],
      simulator: ['saml', 'oidc'],
    });
  });

  it('offers a generic fallback for each protocol and the simulator only to development sessions', () => {
    expect(findProvider('generic-saml')?.protocols).to.deep.equal(['saml']);
    expect(findProvider('generic-oidc')?.protocols).to.deep.equal(['oidc']);
    expect(findProvider('simulator')?.devOnly).to.equal(true);
    expect(PROVIDERS.filter((p) => p.devOnly).map((p) => p.id)).to.deep.equal(['simulator']);
    for (const protocol of PROTOCOLS) {
      expect(PROVIDERS.filter((p) => !p.devOnly && p.protocols.includes(protocol)).length, protocol).to.be.greaterThan(1);
    }
  });

  it('findProvider returns the full definition for a known id and undefined for an unknown one', () => {
    const found = findProvider('okta');
    expect(found).to.equal(okta);
    expect({ id: found?.id, name: found?.name, protocols: found?.protocols }).to.deep.equal({ id: 'okta', name: 'Okta', protocols: ['saml', 'oidc'] });
    expect(findProvider('entra-id')?.name).to.equal('Microsoft Entra ID');
    expect(findProvider('not-a-provider')).to.equal(undefined);
    expect(findProvider('')).to.equal(undefined);
    expect(findProvider('OKTA')).to.equal(undefined);
  });

  it('providerName gives the product name of a known id and falls back to the id itself', () => {
    expect(providerName('google-workspace')).to.equal('Google Workspace');
    expect(providerName('adfs')).to.equal('Microsoft AD FS');
    expect(providerName('ping')).to.equal('PingOne / PingFederate');
    expect(providerName('custom-idp-42')).to.equal('custom-idp-42');
  });
});

describe('providers: guides', () => {
  it('has a guide for each protocol a provider lists, and none for the others', () => {
    for (const provider of PROVIDERS) {
      for (const protocol of PROTOCOLS) {
        const guide = provider.guides[protocol];
        if (provider.protocols.includes(protocol)) {
          expect(guide, `${provider.id} ${protocol}`).to.be.an('array');
          expect(guide!.length, `${provider.id} ${protocol}`).to.be.at.least(provider.devOnly ? 2 : 5);
        } else {
          expect(guide, `${provider.id} ${protocol}`).to.equal(undefined);
        }
      }
    }
  });

  it('writes each step as short plain text with **labels** only', () => {
    for (const { step, where } of allSteps()) {
      expectGuideMarkup(step.text, where);
      expect(step.text.length, `${where}: keep a step to a sentence or two`).to.be.at.most(420);
      if (step.note !== undefined) expectGuideMarkup(step.note, `${where} note`);
    }
  });

  it('points every field at one of our SP values or at a profile attribute the provider has a name for', () => {
    for (const { provider, protocol, step, where } of allSteps()) {
      for (const field of step.fields ?? []) {
        expect(field.label.trim(), where).to.not.equal('');
        expect(field.label, where).to.not.include('*');
        if (field.value.startsWith('attribute:')) {
          const key = field.value.slice('attribute:'.length);
          expect(ATTRIBUTE_KEYS, `${where}: ${field.value}`).to.include(key);
          const name = provider.attributeDefaults[protocol]?.[key as (typeof ATTRIBUTE_KEYS)[number]];
          expect(name, `${where}: ${field.value} has no default name`).to.be.a('string').and.not.equal('');
        } else {
          expect(SP_KEYS, `${where}: ${field.value}`).to.include(field.value);
        }
      }
    }
  });

  it('asks for the values each protocol needs: ACS URL and entity ID for SAML, redirect URI for OIDC', () => {
    for (const provider of PROVIDERS) {
      for (const protocol of provider.protocols) {
        const values = (provider.guides[protocol] ?? []).flatMap((s) => (s.fields ?? []).map((f) => f.value));
        const needed = protocol === 'saml' ? ['acsUrl', 'entityId'] : ['oidcRedirectUri'];
        for (const value of needed) expect(values, `${provider.id} ${protocol}`).to.include(value);
        if (protocol === 'oidc') expect(values, `${provider.id} oidc`).to.not.include.members(['acsUrl', 'entityId', 'metadataUrl']);
      }
    }
  });

  it('tells every real SAML IdP which attributes to send, and offers our metadata where the console imports it', () => {
    for (const provider of PROVIDERS.filter((p) => !p.devOnly && p.protocols.includes('saml'))) {
      const values = provider.guides.saml!.flatMap((s) => (s.fields ?? []).map((f) => f.value));
      expect(values, provider.id).to.include('attribute:email');
    }
    const offering = PROVIDERS.filter((p) => p.guides.saml?.some((s) => s.offerSpMetadata)).map((p) => p.id);
    expect(offering).to.include.members(['entra-id', 'adfs', 'keycloak', 'ping', 'jumpcloud', 'generic-saml']);
    expect(offering).to.not.include('google-workspace');
    for (const provider of PROVIDERS) {
      expect(provider.guides.oidc?.some((s) => s.offerSpMetadata) ?? false, `${provider.id} oidc`).to.equal(false);
    }
  });

  it('offers our encryption certificate where the console takes one (AD FS, Okta, Entra, Ping), only on SAML', () => {
    const offering = PROVIDERS.filter((p) => p.guides.saml?.some((s) => s.offerSpCertificate === 'encryption')).map((p) => p.id);
    expect(offering).to.have.members(['adfs', 'okta', 'entra-id', 'ping']);
    for (const provider of PROVIDERS) {
      expect(provider.guides.oidc?.some((s) => s.offerSpCertificate) ?? false, `${provider.id} oidc`).to.equal(false);
      // Said as optional: our SP accepts plain and encrypted assertions unless the admin requires encryption.
      for (const step of provider.guides.saml?.filter((s) => s.offerSpCertificate) ?? []) expect(step.text, provider.id).to.match(/optional/i);
    }
  });

  it('uses the console’s own field names for the values we paste', () => {
    const labels = (provider: ProviderDefinition, protocol: Protocol) =>
      Object.fromEntries(
        (provider.guides[protocol] ?? [])
          .flatMap((s) => s.fields ?? [])
          .filter((f) => !f.value.startsWith('attribute:'))
          .map((f) => [f.label, f.value]),
      );
    expect(labels(okta, 'saml')).to.deep.equal({ 'Single sign-on URL': 'acsUrl', 'Audience URI (SP Entity ID)': 'entityId' });
    expect(labels(entraId, 'saml')).to.deep.equal({ 'Identifier (Entity ID)': 'entityId', 'Reply URL (Assertion Consumer Service URL)': 'acsUrl' });
    expect(labels(googleWorkspace, 'saml')).to.deep.equal({ 'ACS URL': 'acsUrl', 'Entity ID': 'entityId' });
    expect(labels(okta, 'oidc')).to.deep.equal({ 'Sign-in redirect URIs': 'oidcRedirectUri' });
    expect(labels(entraId, 'oidc')).to.deep.equal({ 'Redirect URI': 'oidcRedirectUri' });
    expect(labels(auth0, 'oidc')).to.deep.equal({ 'Allowed Callback URLs': 'oidcRedirectUri' });
    expect(labels(keycloak, 'oidc')).to.deep.equal({ 'Valid redirect URIs': 'oidcRedirectUri' });
  });

  it('includes the step that gives users access to the app, a classic cause of failed tests', () => {
    const access = /assign|access|user groups|connections|every user of the realm|service status/i;
    for (const provider of PROVIDERS.filter((p) => !p.devOnly)) {
      for (const protocol of provider.protocols) {
        const found = provider.guides[protocol]!.some((s) => access.test(s.text));
        expect(found, `${provider.id} ${protocol}`).to.equal(true);
      }
    }
  });

  it('warns about the classic pitfalls', () => {
    const notes = (provider: ProviderDefinition, protocol: Protocol) => (provider.guides[protocol] ?? []).map((s) => `${s.text} ${s.note ?? ''}`).join(' ');
    expect(notes(entraId, 'saml')).to.match(/appid/i);
    expect(notes(googleWorkspace, 'saml')).to.match(/super administrator/i).and.match(/24 hours/);
    expect(notes(adfs, 'saml')).to.match(/Relying Party Trust/).and.match(/Claim Issuance Policy/);
    expect(notes(keycloak, 'saml')).to.match(/realm/i);
    expect(notes(auth0, 'saml')).to.include('SAML2 Web App');
  });

  it('ends with where to find what the configure step asks for', () => {
    for (const provider of PROVIDERS) {
      for (const protocol of provider.protocols) {
        const last = provider.guides[protocol]!.at(-1)!;
        const text = `${last.text} ${last.note ?? ''}`;
        const expected = protocol === 'saml' ? /metadata/i : /issuer|client/i;
        expect(text, `${provider.id} ${protocol}`).to.match(expected);
      }
    }
  });

  it('tells development sessions that the simulator needs nothing created and is prefilled', () => {
    expect(simulator.guideLead).to.match(/nothing to create/i).and.match(/already trusts this connection/);
    for (const protocol of PROTOCOLS) {
      const text = simulator.guides[protocol]!.map((s) => s.text).join(' ');
      expect(text, protocol).to.match(/already trusts/i).and.match(/prefilled/i);
    }
    expect(simulator.guides.saml!.map((s) => s.text).join(' ')).to.match(/metadata URL is prefilled/);
  });
});

describe('providers: attribute defaults', () => {
  it('has valid defaults with an email for each protocol a provider lists, and none for the others', () => {
    for (const provider of PROVIDERS) {
      for (const protocol of PROTOCOLS) {
        const mapping = provider.attributeDefaults[protocol];
        if (!provider.protocols.includes(protocol)) {
          expect(mapping, `${provider.id} ${protocol}`).to.equal(undefined);
          continue;
        }
        expect(mapping?.email, `${provider.id} ${protocol}`).to.be.a('string').and.not.equal('');
        expect(validate(AttributeMappingSchema, mapping).ok, `${provider.id} ${protocol}`).to.equal(true);
      }
    }
  });

  it('uses the claim URIs Microsoft IdPs send and the standard OIDC claims', () => {
    expect(entraId.attributeDefaults.saml).to.deep.equal({
      email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
      firstName: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname',
      lastName: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname',
      groups: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups',
    });
    expect(adfs.attributeDefaults.saml?.email).to.equal('http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress');
    expect(adfs.attributeDefaults.saml?.groups).to.equal('http://schemas.xmlsoap.org/claims/Group');
    for (const provider of PROVIDERS.filter((p) => p.protocols.includes('oidc'))) {
      const mapping = provider.attributeDefaults.oidc!;
      expect({ email: mapping.email, firstName: mapping.firstName, lastName: mapping.lastName }, provider.id).to.deep.equal({
        email: 'email',
        firstName: 'given_name',
        lastName: 'family_name',
      });
    }
  });

  it('gives each provider its own copy, so editing one cannot change another', () => {
    const mappings = PROVIDERS.flatMap((p) => PROTOCOLS.map((protocol) => p.attributeDefaults[protocol]).filter(Boolean));
    expect(new Set(mappings).size).to.equal(mappings.length);
  });

  it('defaultAttributeMapping returns a fresh copy of the provider defaults, or the usual names for an unknown id', () => {
    const mapping = defaultAttributeMapping('entra-id', 'saml');
    expect(mapping).to.deep.equal(entraId.attributeDefaults.saml);
    expect(mapping).to.not.equal(entraId.attributeDefaults.saml);
    expect(defaultAttributeMapping('custom-idp', 'oidc')).to.deep.equal({ email: 'email', firstName: 'given_name', lastName: 'family_name', groups: 'groups' });
    expect(defaultAttributeMapping('custom-idp', 'saml').email).to.equal('email');
    expect(defaultAttributeMapping('google-workspace', 'oidc').email).to.equal('email');
  });
});

describe('providers: configure hints and help links', () => {
  it('gives hints for listed protocols only, with https examples and plain **label** markup', () => {
    for (const provider of PROVIDERS) {
      for (const protocol of PROTOCOLS) {
        const hints = provider.configureHints?.[protocol];
        const where = `${provider.id} ${protocol}`;
        if (!provider.protocols.includes(protocol)) {
          expect(hints, where).to.equal(undefined);
          continue;
        }
        expect(hints, where).to.be.an('object');
        if (hints!.metadataUrlExample) expectHttpsUrl(hints!.metadataUrlExample, where);
        if (hints!.issuerExample) expectHttpsUrl(hints!.issuerExample, where);
        if (hints!.metadataLocation) expectGuideMarkup(hints!.metadataLocation, where);
        if (hints!.clientLocation) expectGuideMarkup(hints!.clientLocation, where);
        if (protocol === 'saml') expect(hints!.metadataLocation, where).to.be.a('string');
        if (protocol === 'oidc') expect(hints!.clientLocation, where).to.be.a('string');
        if (protocol === 'oidc' && !provider.devOnly) expect(hints!.issuerExample, where).to.be.a('string');
      }
    }
    expect(entraId.configureHints?.saml?.metadataUrlExample).to.match(/federationmetadata\.xml\?appid=/);
    expect(googleWorkspace.configureHints?.saml?.metadataUrlExample).to.equal(undefined);
  });

  it('links every real provider to its official https documentation', () => {
    for (const provider of PROVIDERS) {
      if (!provider.devOnly) expect(provider.helpLinks.length, provider.id).to.be.greaterThan(0);
      for (const link of provider.helpLinks) {
        expect(link.label.trim(), provider.id).to.not.equal('');
        expectHttpsUrl(link.url, `${provider.id}: ${link.url}`);
        if (link.protocol) expect(provider.protocols, `${provider.id}: ${link.url}`).to.include(link.protocol);
      }
      const urls = provider.helpLinks.map((l) => l.url);
      expect(new Set(urls).size, provider.id).to.equal(urls.length);
    }
  });
});

// ---------------------------------------------------------------------------------------
// Logos

const SVG_NS = 'http://www.w3.org/2000/svg';
const ALLOWED_ELEMENTS = new Set(['svg', 'g', 'rect', 'circle', 'path', 'text', 'title']);

function parseSvg(markup: string): Document {
  return new DOMParser().parseFromString(markup, 'image/svg+xml');
}

function luminance(hex: string): number {
  const match = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!match) throw new Error(`not a #rrggbb colour: ${hex}`);
  const channel = (i: number) => {
    const v = parseInt(match[1]!.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe('providers: logos', () => {
  it('is a well-formed SVG with a viewBox, under 2 kB', () => {
    for (const provider of PROVIDERS) {
      const doc = parseSvg(provider.logo);
      expect(doc.getElementsByTagName('parsererror').length, provider.id).to.equal(0);
      const root = doc.documentElement;
      expect(root.localName, provider.id).to.equal('svg');
      expect(root.namespaceURI, provider.id).to.equal(SVG_NS);
      expect(root.getAttribute('viewBox'), provider.id).to.match(/^0 0 \d+ \d+$/);
      expect(new TextEncoder().encode(provider.logo).length, provider.id).to.be.below(2048);
    }
  });

  it('has no script, event handler, link, id, style or external reference', () => {
    for (const provider of PROVIDERS) {
      const doc = parseSvg(provider.logo);
      for (const element of [doc.documentElement, ...doc.documentElement.querySelectorAll('*')]) {
        const where = `${provider.id} <${element.localName}>`;
        expect(ALLOWED_ELEMENTS.has(element.localName), where).to.equal(true);
        expect(element.namespaceURI, where).to.equal(SVG_NS);
        for (const attr of element.attributes) {
          const name = attr.name.toLowerCase();
          expect(name.startsWith('on'), `${where} ${name}`).to.equal(false);
          expect(name, where).to.not.match(/^(id|style|href|xlink:href|src)$/);
          expect(name.endsWith(':href'), `${where} ${name}`).to.equal(false);
          if (name === 'xmlns') continue;
          expect(attr.value, `${where} ${name}`).to.not.match(/url\(|javascript:|data:|https?:|&#/i);
        }
      }
      expect(provider.logo, provider.id).to.not.match(/<script|<!\[CDATA\[|<!ENTITY|<!DOCTYPE/i);
    }
  });

  it('draws a brand-coloured square with a white monogram readable on light and dark pages', () => {
    for (const provider of PROVIDERS) {
      const doc = parseSvg(provider.logo);
      const fill = doc.querySelector('rect')?.getAttribute('fill') ?? '';
      const text = doc.querySelector('text');
      expect(text?.getAttribute('fill'), provider.id).to.equal(LOGO_INK);
      expect(text?.textContent?.trim().length, provider.id).to.be.within(1, 3);
      expect(contrast(LOGO_INK, fill), `${provider.id}: letter on ${fill}`).to.be.at.least(4.5);
      expect(contrast(fill, '#ffffff'), `${provider.id}: ${fill} on a white page`).to.be.at.least(3);
      expect(contrast(fill, '#121212'), `${provider.id}: ${fill} on a dark page`).to.be.at.least(3);
    }
  });

  it('gives each provider its own logo', () => {
    const logos = PROVIDERS.map((p) => p.logo);
    expect(new Set(logos).size).to.equal(logos.length);
  });
});

// ---------------------------------------------------------------------------------------
// Choosing a provider

describe('providers: availableProviders', () => {
  it('offers every provider but the dev-only ones outside dev mode, in catalog order', () => {
    expect(ids(availableProviders({ devMode: false, protocols: BOTH }))).to.deep.equal(ORDER.filter((id) => id !== 'simulator'));
    expect(ids(availableProviders({ devMode: true, protocols: BOTH }))).to.deep.equal(ORDER);
  });

  it('hides providers with none of the enabled protocols', () => {
    const samlOnly = ids(availableProviders({ devMode: false, protocols: { saml: true, oidc: false } }));
    expect(samlOnly).to.include.members(['okta', 'google-workspace', 'adfs', 'generic-saml']);
    expect(samlOnly).to.not.include('generic-oidc');
    const oidcOnly = ids(availableProviders({ devMode: true, protocols: { saml: false, oidc: true } }));
    expect(oidcOnly).to.include.members(['okta', 'entra-id', 'generic-oidc', 'simulator']);
    expect(oidcOnly).to.not.include.members(['google-workspace', 'adfs', 'generic-saml']);
    expect(availableProviders({ devMode: true, protocols: { saml: false, oidc: false } })).to.deep.equal([]);
  });

  it('restricts to the host’s ids in catalog order, ignoring unknown ids and keeping dev-only ones for dev mode', () => {
    expect(ids(availableProviders({ devMode: false, protocols: BOTH, restrictTo: ['generic-saml', 'okta', 'nope', 'entra-id'] }))).to.deep.equal([
      'okta',
      'entra-id',
      'generic-saml',
    ]);
    expect(ids(availableProviders({ devMode: false, protocols: BOTH, restrictTo: [' Okta '] }))).to.deep.equal(['okta']);
    expect(ids(availableProviders({ devMode: false, protocols: BOTH, restrictTo: ['okta', 'simulator'] }))).to.deep.equal(['okta']);
    expect(ids(availableProviders({ devMode: true, protocols: BOTH, restrictTo: ['okta', 'simulator'] }))).to.deep.equal(['okta', 'simulator']);
    expect(ids(availableProviders({ devMode: false, protocols: { saml: false, oidc: true }, restrictTo: ['adfs', 'okta'] }))).to.deep.equal(['okta']);
  });

  it('offers the whole catalog when the restriction names no known provider', () => {
    const all = ids(availableProviders({ devMode: false, protocols: BOTH }));
    expect(ids(availableProviders({ devMode: false, protocols: BOTH, restrictTo: [] }))).to.deep.equal(all);
    expect(ids(availableProviders({ devMode: false, protocols: BOTH, restrictTo: ['okat', 'azure'] }))).to.deep.equal(all);
  });

  it('enabledProtocols keeps the provider’s protocols that the session allows', () => {
    expect(enabledProtocols(okta, BOTH)).to.deep.equal(['saml', 'oidc']);
    expect(enabledProtocols(okta, { saml: false, oidc: true })).to.deep.equal(['oidc']);
    expect(enabledProtocols(googleWorkspace, { saml: false, oidc: true })).to.deep.equal([]);
  });
});

describe('providers: searchProviders', () => {
  const search = (query: string) => ids(searchProviders(PROVIDERS, query));

  it('returns the whole list, in order, for an empty or blank query', () => {
    expect(search('')).to.deep.equal(ORDER);
    expect(search('   ')).to.deep.equal(ORDER);
  });

  it('matches names, ids and aliases regardless of case, spaces and punctuation', () => {
    expect(search('azure')).to.deep.equal(['entra-id']);
    expect(search('Azure AD')).to.deep.equal(['entra-id']);
    expect(search('adfs')).to.deep.equal(['adfs']);
    expect(search('AD FS')).to.include('adfs');
    expect(search('google')).to.deep.equal(['google-workspace']);
    expect(search('GSuite')).to.deep.equal(['google-workspace']);
    expect(search('pingfederate')).to.deep.equal(['ping']);
    expect(search('entra-id')).to.deep.equal(['entra-id']);
    expect(search('one login')).to.deep.equal(['onelogin']);
    expect(search('okta')[0]).to.equal('okta');
    expect(search('OpenID')).to.include('generic-oidc');
    expect(search('saml')).to.include('generic-saml');
  });

  it('ignores diacritics in the query and in the names', () => {
    expect(search('Kéycloak')).to.deep.equal(['keycloak']);
    expect(search('MICROSOFT ÉNTRA')).to.deep.equal(['entra-id']);
    expect(searchProviders([{ id: 'x', name: 'Fédération Île' }], 'federation ile').map((p) => p.id)).to.deep.equal(['x']);
  });

  it('needs every word of a multi-word query to match, and returns nothing for nonsense', () => {
    expect(search('microsoft')).to.deep.equal(['entra-id', 'adfs']);
    expect(search('microsoft federation')).to.deep.equal(['adfs']);
    expect(search('zzz-not-an-idp')).to.deep.equal([]);
  });

  it('searches any list it is given and keeps its order', () => {
    const list = availableProviders({ devMode: false, protocols: { saml: false, oidc: true } });
    expect(ids(searchProviders(list, 'microsoft'))).to.deep.equal(['entra-id']);
    expect(ids(searchProviders([adfs, entraId], 'microsoft'))).to.deep.equal(['adfs', 'entra-id']);
  });
});

describe('providers: summaries and loading one at a time', () => {
  it('has a summary for every definition, in catalog order, that the definition spreads unchanged', async () => {
    const { PROVIDER_SUMMARIES } = await import('../../../src/core/providers/summaries.js');
    expect(ids(PROVIDER_SUMMARIES)).to.deep.equal(ids(PROVIDERS));
    for (const summary of PROVIDER_SUMMARIES) {
      const definition = findProvider(summary.id)!;
      for (const [key, value] of Object.entries(summary)) expect((definition as unknown as Record<string, unknown>)[key], `${summary.id}.${key}`).to.equal(value);
    }
  });

  it('loads each provider’s definition on demand, the same object as the catalog’s, once', async () => {
    const { loadProvider, loadedProvider, isKnownProvider } = await import('../../../src/core/providers/load.js');
    for (const provider of PROVIDERS) {
      expect(isKnownProvider(provider.id)).to.equal(true);
      const first = loadProvider(provider.id);
      expect(loadProvider(provider.id)).to.equal(first);
      expect(await first, provider.id).to.equal(provider);
      expect(loadedProvider(provider.id)).to.equal(provider);
    }
  });

  it('answers undefined for an id the catalog does not know, without loading anything', async () => {
    const { loadProvider, loadedProvider, isKnownProvider } = await import('../../../src/core/providers/load.js');
    expect(await loadProvider('not-a-provider')).to.equal(undefined);
    expect(await loadProvider('toString')).to.equal(undefined);
    expect(isKnownProvider('__proto__')).to.equal(false);
    expect(loadedProvider('not-a-provider')).to.equal(undefined);
  });
});

describe('providers: names for the overview', () => {
  it('names every catalog provider exactly as the catalog does, and nothing else', async () => {
    const { PROVIDER_NAMES } = await import('../../../src/core/providers/names.js');
    const { PROVIDERS } = await import('../../../src/core/providers/catalog.js');
    expect(PROVIDER_NAMES).to.deep.equal(Object.fromEntries(PROVIDERS.map((p) => [p.id, p.name])));
  });
});
