// `sso-admin-portal/core` and `/adapters` import in plain Node 20: no DOM, no setup.
// Runs against the built package (npm run build), through its exports map.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

describe('sso-admin-portal/core in Node', () => {
  it('imports through the exports map without a DOM', async () => {
    assert.equal(typeof globalThis.document, 'undefined');
    assert.equal(typeof globalThis.HTMLElement, 'undefined');
    const core = await import('sso-admin-portal/core');
    assert.equal(typeof core.parseOrThrow, 'function');
    assert.ok(core.ERROR_CODES.session_expired);
  });

  it('validates the contract and names the bad field', async () => {
    const { ConnectionInputSchema, parseOrThrow, PortalError } = await import('sso-admin-portal/core');
    assert.throws(
      () => parseOrThrow(ConnectionInputSchema, { protocol: 'saml', providerId: 'okta', saml: { idpEntityId: 'x', ssoUrl: 'javascript:alert(1)', ssoBinding: 'post', signingCertificates: ['c'] } }, 'Connection'),
      (error) => error instanceof PortalError && error.code === 'validation_failed' && error.message.includes('saml.ssoUrl'),
    );
  });

  it('runs the MemoryAdapter in Node', async () => {
    const { MemoryAdapter } = await import('sso-admin-portal/adapters');
    const adapter = new MemoryAdapter();
    const session = await adapter.getSession();
    assert.equal(session.organization.name, 'Megacorp');
    const created = await adapter.createConnection({ protocol: 'oidc', providerId: 'okta', oidc: { issuer: 'https://megacorp.okta.example', clientId: 'abc', clientSecret: 's3cret' } });
    assert.equal(created.oidc.clientSecretSet, true);
    assert.ok(!JSON.stringify(created).includes('s3cret'));
  });

  it('ships type declarations for every entry point', async () => {
    const { readFile } = await import('node:fs/promises');
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    const { existsSync } = await import('node:fs');
    for (const [entry, target] of Object.entries(pkg.exports)) {
      if (typeof target !== 'object') continue;
      assert.ok(existsSync(new URL(`../../${target.types}`, import.meta.url)), `${entry}: missing ${target.types}`);
      assert.ok(existsSync(new URL(`../../${target.default}`, import.meta.url)), `${entry}: missing ${target.default}`);
    }
  });

  it('keeps lit and valibot out of the npm library build (peer code is not bundled twice)', async () => {
    const { readFile } = await import('node:fs/promises');
    const { readdir } = await import('node:fs/promises');
    const lib = new URL('../../dist/lib/', import.meta.url);
    const files = (await readdir(lib)).filter((name) => name.endsWith('.js'));
    const code = await Promise.all(files.map((name) => readFile(new URL(name, lib), 'utf8')));
    // The element is in a chunk index.js and react.js share: the chunks import lit, none bundles it.
    assert.ok(code.some((text) => /from "lit"/.test(text)), 'the element imports lit');
    assert.ok(!code.some((text) => /class ReactiveElement/.test(text)), 'lit is not bundled');
    assert.ok(code.some((text) => text.includes('from "valibot"')), 'the schemas import valibot');
    assert.ok(!code.some((text) => /function _addIssue\(/.test(text)), 'valibot is not bundled');
  });
});
