// checkOidcDiscovery and discoveryUrlFor in plain Node 20, through the package's exports map
// (`npm run build:lib` first), on the discovery documents in test/fixtures/idp-corpus/oidc-discovery.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  OIDC_DISCOVERY_ERRORS,
  OIDC_DISCOVERY_ERROR_CODES,
  OIDC_DISCOVERY_WARNINGS,
  OIDC_DISCOVERY_WARNING_CODES,
  checkOidcDiscovery,
  discoveryUrlFor,
} from 'sso-admin-portal/core';

const raw = (name) => readFileSync(new URL(`../fixtures/idp-corpus/oidc-discovery/${name}`, import.meta.url), 'utf8');
/** Several fixtures start with a UTF-8 BOM, as Microsoft's endpoints send them. */
const load = (name) => JSON.parse(raw(name).replace(/^\uFEFF/, ''));

function assertShape(result) {
  if (result.ok === true) {
    const d = result.discovery;
    for (const key of ['issuer', 'authorizationEndpoint', 'tokenEndpoint', 'jwksUri']) assert.equal(typeof d[key], 'string', key);
    assert.equal(typeof d.pkceS256, 'boolean');
    for (const w of result.warnings) {
      assert.ok(OIDC_DISCOVERY_WARNING_CODES.includes(w.code), w.code);
      assert.ok(w.message.length > 0);
    }
  } else {
    assert.equal(result.ok, false);
    assert.ok(OIDC_DISCOVERY_ERROR_CODES.includes(result.error.code), result.error.code);
    assert.ok(result.error.message.length > 0);
    assert.equal(result.error.remedy, OIDC_DISCOVERY_ERRORS[result.error.code].remedy);
  }
}

function check(doc, issuer) {
  const result = checkOidcDiscovery(doc, issuer);
  assertShape(result);
  return result;
}

/**
 * Every fixture, checked against its own issuer: `ok` with the warnings expected, or the error
 * code (and the field concerned). Read from the files.
 */
const EXPECTED = [
  ['AzureAD-microsoft-authentication-library-for-dotnet__OpenidConfiguration-MissingFields.json', { error: 'oidc_discovery_endpoint_missing', field: 'token_endpoint' }],
  ['AzureAD-microsoft-authentication-library-for-dotnet__OpenidConfiguration-QueryParams-B2C.json', { warnings: ['oidc_discovery_pkce_not_advertised'] }],
  ['AzureAD-microsoft-authentication-library-for-dotnet__OpenidConfiguration.json', { warnings: ['oidc_discovery_pkce_not_advertised'] }],
  ['AzureAD-microsoft-authentication-library-for-dotnet__OpenidConfigurationCommon.json', { error: 'oidc_discovery_issuer_template', field: 'issuer' }],
  ['AzureAD-microsoft-authentication-library-for-dotnet__demo_duendesoftware_com_well-known_openid_configuration.json', { warnings: [], pkce: true }],
  ['DockYard-openid_connect__auth0__discovery_document.exs.json', { warnings: [], pkce: true }],
  ['DockYard-openid_connect__azure__discovery_document.exs.json', { error: 'oidc_discovery_issuer_template', field: 'issuer' }],
  ['DockYard-openid_connect__google__discovery_document.exs.json', { warnings: [], pkce: true }],
  ['DockYard-openid_connect__keycloak__discovery_document.exs.json', { warnings: [], pkce: true }],
  ['DockYard-openid_connect__okta__discovery_document.exs.json', { warnings: [], pkce: true }],
  ['DockYard-openid_connect__onelogin__discovery_document.exs.json', { warnings: [], pkce: true }],
  ['DockYard-openid_connect__vault__discovery_document.exs.json', { error: 'oidc_discovery_endpoint_insecure', field: 'issuer' }],
  ['okta-okta-auth-js__well-known-shared-resource.js.json', { warnings: ['oidc_discovery_no_userinfo', 'oidc_discovery_no_id_token_algorithms', 'oidc_discovery_openid_scope_missing'], pkce: true }],
  ['okta-okta-auth-js__well-known.js.json', { error: 'oidc_discovery_endpoint_missing', field: 'token_endpoint' }],
  ['panva-wellknown__apple.mjs.json', { warnings: ['oidc_discovery_pkce_not_advertised', 'oidc_discovery_no_userinfo'] }],
  ['panva-wellknown__entra-common.mjs.json', { error: 'oidc_discovery_issuer_template', field: 'issuer' }],
  ['panva-wellknown__entra-organizations.mjs.json', { error: 'oidc_discovery_issuer_template', field: 'issuer' }],
  ['panva-wellknown__gitlab.mjs.json', { warnings: [], pkce: true }],
  ['panva-wellknown__google.mjs.json', { warnings: [], pkce: true }],
];

describe('checkOidcDiscovery: every corpus document against its own issuer', () => {
  for (const [file, expected] of EXPECTED) {
    it(`${file}: ${expected.error ?? `ok${expected.warnings.length ? ` (${expected.warnings.join(', ')})` : ''}`}`, () => {
      const doc = load(file);
      const result = check(doc, doc.issuer);
      if (expected.error) {
        assert.equal(result.ok, false);
        assert.equal(result.error.code, expected.error, result.error.message);
        assert.equal(result.error.field, expected.field);
      } else {
        assert.equal(result.ok, true, result.ok ? '' : `${result.error.code}: ${result.error.message}`);
        assert.deepEqual(result.warnings.map((w) => w.code), expected.warnings);
        assert.equal(result.discovery.issuer, doc.issuer);
        assert.equal(result.discovery.authorizationEndpoint, doc.authorization_endpoint);
        assert.equal(result.discovery.tokenEndpoint, doc.token_endpoint);
        assert.equal(result.discovery.jwksUri, doc.jwks_uri);
        assert.equal(result.discovery.userinfoEndpoint, doc.userinfo_endpoint);
        assert.equal(result.discovery.pkceS256, expected.pkce === true);
      }
    });
  }

  it('covers every fixture file', async () => {
    const { readdirSync } = await import('node:fs');
    const files = readdirSync(new URL('../fixtures/idp-corpus/oidc-discovery/', import.meta.url)).sort();
    assert.deepEqual(EXPECTED.map(([f]) => f).sort(), files);
  });

  it('accepts the document as text, with the BOM Microsoft sends', () => {
    const file = 'AzureAD-microsoft-authentication-library-for-dotnet__OpenidConfiguration.json';
    assert.ok(raw(file).startsWith('\uFEFF'));
    const result = check(raw(file), load(file).issuer);
    assert.equal(result.ok, true);
    assert.equal(check('<html>Sign in</html>', 'https://x.example').error.code, 'oidc_discovery_not_json');
  });

  it('keeps query strings on endpoints (Azure AD B2C policies) and copies the lists', () => {
    const doc = load('AzureAD-microsoft-authentication-library-for-dotnet__OpenidConfiguration-QueryParams-B2C.json');
    const { discovery } = check(doc, doc.issuer);
    assert.match(discovery.authorizationEndpoint, /\?p=/);
    assert.deepEqual(discovery.responseTypesSupported, doc.response_types_supported);
    assert.deepEqual(discovery.scopesSupported, doc.scopes_supported);
  });

  it('names every missing endpoint', () => {
    const doc = load('AzureAD-microsoft-authentication-library-for-dotnet__OpenidConfiguration-MissingFields.json');
    const { error } = check(doc, doc.issuer);
    assert.deepEqual(error.fields, ['token_endpoint']);
    assert.match(error.message, /no token endpoint/);
    const bare = check({ issuer: 'https://idp.example.com' }, 'https://idp.example.com').error;
    assert.deepEqual(bare.fields, ['authorization_endpoint', 'token_endpoint', 'jwks_uri']);
  });
});

describe('checkOidcDiscovery: the issuer must match exactly', () => {
  const auth0 = () => load('DockYard-openid_connect__auth0__discovery_document.exs.json');

  it('explains a missing trailing slash (Auth0’s issuer ends with /)', () => {
    const { error } = check(auth0(), 'https://common.auth0.com');
    assert.equal(error.code, 'oidc_discovery_issuer_mismatch');
    assert.equal(error.reason, 'trailing_slash');
    assert.equal(error.actualIssuer, 'https://common.auth0.com/');
    assert.match(error.message, /with a trailing slash/);
  });

  it('explains an extra trailing slash, a case difference, and a different issuer', () => {
    const google = load('panva-wellknown__google.mjs.json');
    const slash = check(google, 'https://accounts.google.com/').error;
    assert.equal(slash.reason, 'trailing_slash');
    assert.match(slash.message, /without a trailing slash/);
    assert.equal(check(google, 'https://Accounts.Google.com').error.reason, 'case');
    const other = check(google, 'https://login.example.com').error;
    assert.equal(other.reason, 'different');
    assert.match(other.message, /https:\/\/accounts\.google\.com/);
  });

  it('explains Entra ID’s {tenantid} template and what to use instead', () => {
    const doc = load('panva-wellknown__entra-common.mjs.json');
    for (const expected of ['https://login.microsoftonline.com/common/v2.0', doc.issuer]) {
      const { error } = check(doc, expected);
      assert.equal(error.code, 'oidc_discovery_issuer_template');
      assert.match(error.message, /\{tenantid\}/);
      assert.match(error.message, /https:\/\/login\.microsoftonline\.com\/<your tenant ID>\/v2\.0/);
    }
  });

  it('compares with the issuer entered, trimmed', () => {
    const doc = load('panva-wellknown__gitlab.mjs.json');
    assert.equal(check(doc, '  https://gitlab.com \n').ok, true);
  });
});

describe('checkOidcDiscovery: endpoints, code flow, PKCE', () => {
  const base = () => ({ ...load('panva-wellknown__gitlab.mjs.json') });

  it('https everywhere, plain http only on loopback hosts', () => {
    for (const host of ['localhost:8080', '127.0.0.1', '127.8.9.10:9000', '[::1]:8443', 'idp.localhost']) {
      const issuer = `http://${host}/realms/test`;
      const doc = { ...base(), issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/certs`, userinfo_endpoint: `${issuer}/userinfo` };
      assert.equal(check(doc, issuer).ok, true, host);
    }
    for (const host of ['0.0.0.0:8200', '10.0.0.1', 'idp.example.com', '128.0.0.1', 'localhost.example.com']) {
      const issuer = `http://${host}/realms/test`;
      const result = check({ ...base(), issuer }, issuer);
      assert.equal(result.error.code, 'oidc_discovery_endpoint_insecure', host);
    }
    const mixed = check({ ...base(), token_endpoint: 'http://gitlab.com/oauth/token' }, 'https://gitlab.com');
    assert.equal(mixed.error.code, 'oidc_discovery_endpoint_insecure');
    assert.equal(mixed.error.field, 'token_endpoint');
    const notUrl = check({ ...base(), jwks_uri: 'javascript:alert(1)' }, 'https://gitlab.com');
    assert.equal(notUrl.error.code, 'oidc_discovery_endpoint_invalid');
    assert.equal(notUrl.error.field, 'jwks_uri');
  });

  it('needs the code flow when response types are listed', () => {
    const implicit = check({ ...base(), response_types_supported: ['id_token', 'id_token token'] }, 'https://gitlab.com');
    assert.equal(implicit.error.code, 'oidc_discovery_code_flow_unsupported');
    const unlisted = { ...base() };
    delete unlisted.response_types_supported;
    assert.equal(check(unlisted, 'https://gitlab.com').ok, true);
  });

  it('needs S256 when PKCE methods are listed; warns when they are not', () => {
    const plain = check({ ...base(), code_challenge_methods_supported: ['plain'] }, 'https://gitlab.com');
    assert.equal(plain.error.code, 'oidc_discovery_pkce_unsupported');
    const unlisted = { ...base() };
    delete unlisted.code_challenge_methods_supported;
    const result = check(unlisted, 'https://gitlab.com');
    assert.equal(result.discovery.pkceS256, false);
    assert.deepEqual(result.warnings.map((w) => w.code), ['oidc_discovery_pkce_not_advertised']);
  });

  it('warns about HS256-only ID tokens and a missing openid scope', () => {
    const result = check({ ...base(), id_token_signing_alg_values_supported: ['HS256', 'none'], scopes_supported: ['email'] }, 'https://gitlab.com');
    assert.deepEqual(result.warnings.map((w) => w.code), ['oidc_discovery_no_asymmetric_signing', 'oidc_discovery_openid_scope_missing']);
  });

  it('refuses what is not a discovery document', () => {
    for (const value of [null, undefined, 42, 'null', [], ['issuer'], true]) {
      assert.ok(['oidc_discovery_not_object', 'oidc_discovery_not_json'].includes(check(value, 'https://x.example').error.code), String(value));
    }
    assert.equal(check({}, 'https://x.example').error.code, 'oidc_discovery_issuer_missing');
    assert.equal(check({ issuer: 42 }, 'https://x.example').error.code, 'oidc_discovery_issuer_missing');
  });

  it('exports a message and a remedy for every code', () => {
    for (const list of [OIDC_DISCOVERY_ERRORS, OIDC_DISCOVERY_WARNINGS]) {
      for (const [code, info] of Object.entries(list)) assert.ok(info.message.length > 20 && info.remedy.length > 20, code);
    }
  });
});

describe('discoveryUrlFor', () => {
  const cases = [
    ['https://accounts.google.com', 'https://accounts.google.com', 'https://accounts.google.com/.well-known/openid-configuration'],
    ['  https://common.auth0.com/ ', 'https://common.auth0.com/', 'https://common.auth0.com/.well-known/openid-configuration'],
    ['https://login.microsoftonline.com/6babcaad-604b-40ac-a9d7-9fd97c0b779f/v2.0', 'https://login.microsoftonline.com/6babcaad-604b-40ac-a9d7-9fd97c0b779f/v2.0', 'https://login.microsoftonline.com/6babcaad-604b-40ac-a9d7-9fd97c0b779f/v2.0/.well-known/openid-configuration'],
    ['http://localhost:8080/realms/master/', 'http://localhost:8080/realms/master/', 'http://localhost:8080/realms/master/.well-known/openid-configuration'],
    ['https://dev-123.okta.com/oauth2/default/.well-known/openid-configuration', 'https://dev-123.okta.com/oauth2/default', 'https://dev-123.okta.com/oauth2/default/.well-known/openid-configuration'],
    ['https://accounts.google.com/.well-known/openid-configuration', 'https://accounts.google.com', 'https://accounts.google.com/.well-known/openid-configuration'],
    ['https://tenant.b2clogin.com/tenant.onmicrosoft.com/v2.0/.well-known/openid-configuration?p=B2C_1_signin', 'https://tenant.b2clogin.com/tenant.onmicrosoft.com/v2.0', 'https://tenant.b2clogin.com/tenant.onmicrosoft.com/v2.0/.well-known/openid-configuration?p=B2C_1_signin'],
  ];
  for (const [input, issuer, discoveryUrl] of cases) {
    it(`${input.trim()} -> ${discoveryUrl}`, () => {
      assert.deepEqual(discoveryUrlFor(input), { ok: true, issuer, discoveryUrl });
    });
  }

  it('refuses what is not an http(s) URL, with a suggestion when the scheme is missing', () => {
    const noScheme = discoveryUrlFor('dev-123.okta.com');
    assert.equal(noScheme.error.code, 'oidc_discovery_url_invalid');
    assert.equal(noScheme.error.suggestion, 'https://dev-123.okta.com');
    for (const input of ['', '   ', 'not a url', 'https://', 'https://idp.example.com/#frag', 'https://user:pass@idp.example.com', 'https://idp.example.com?x=1']) {
      assert.equal(discoveryUrlFor(input).error.code, 'oidc_discovery_url_invalid', input);
    }
    for (const input of ['ftp://idp.example.com', 'javascript:alert(1)', 'file:///etc/passwd', 'data:text/plain,x']) {
      assert.equal(discoveryUrlFor(input).error.code, 'oidc_discovery_url_not_http', input);
    }
  });

  it('round-trips with checkOidcDiscovery on the corpus issuers', () => {
    for (const file of ['panva-wellknown__google.mjs.json', 'DockYard-openid_connect__auth0__discovery_document.exs.json', 'DockYard-openid_connect__onelogin__discovery_document.exs.json']) {
      const doc = load(file);
      const target = discoveryUrlFor(doc.issuer);
      assert.equal(target.ok, true);
      assert.equal(check(doc, target.issuer).ok, true, file);
    }
  });
});

describe('properties', () => {
  const runs = { numRuns: 300 };
  const KEYS = ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri', 'userinfo_endpoint', 'end_session_endpoint', 'response_types_supported', 'code_challenge_methods_supported', 'id_token_signing_alg_values_supported', 'scopes_supported', 'claims_supported'];
  const urlish = fc.oneof(fc.webUrl(), fc.constantFrom('https://idp.example.com', 'http://localhost/x', 'javascript:x', '', '{tenantid}'));
  const plausible = fc.dictionary(fc.constantFrom(...KEYS), fc.oneof(urlish, fc.array(fc.oneof(fc.string(), fc.constantFrom('code', 'S256', 'plain', 'RS256', 'HS256', 'openid'))), fc.jsonValue()));

  it('checkOidcDiscovery never throws on arbitrary JSON values', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.string(), (doc, issuer) => assertShape(checkOidcDiscovery(doc, issuer))), runs);
    fc.assert(fc.property(fc.anything(), fc.anything(), (doc, issuer) => assertShape(checkOidcDiscovery(doc, issuer))), runs);
  });

  it('checkOidcDiscovery never throws on documents that look almost right', () => {
    fc.assert(
      fc.property(plausible, fc.boolean(), (doc, sameIssuer) => {
        const result = checkOidcDiscovery(doc, sameIssuer && typeof doc.issuer === 'string' ? doc.issuer : 'https://idp.example.com');
        assertShape(result);
        // Whatever passes really has https (or loopback) endpoints.
        if (result.ok) for (const url of [result.discovery.authorizationEndpoint, result.discovery.tokenEndpoint, result.discovery.jwksUri]) assert.match(url, /^(https:|http:\/\/(localhost|127\.|\[::1\]))/i);
      }),
      runs,
    );
  });

  it('discoveryUrlFor never throws, and what it returns is a well-known http(s) URL', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.anything()), (input) => {
        const result = discoveryUrlFor(input);
        if (result.ok) {
          const url = new URL(result.discoveryUrl);
          assert.ok(url.protocol === 'https:' || url.protocol === 'http:');
          assert.ok(url.pathname.includes('/.well-known/openid-configuration'));
        } else {
          assert.ok(OIDC_DISCOVERY_ERROR_CODES.includes(result.error.code));
        }
      }),
      runs,
    );
  });
});
