// Importing the package in Node, as SSR frameworks do (Next.js, Nuxt, SvelteKit, Angular SSR,
// Astro), must not throw: no DOM at module top level, and registration through Lit's Node build
// (its DOM shim's registry). Runs against the built package (npm run build), through its exports map.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

describe('sso-admin-portal in Node without a DOM', () => {
  it('imports the element entry, the core and the adapters', async () => {
    assert.equal(typeof globalThis.document, 'undefined');
    assert.equal(typeof globalThis.window, 'undefined');
    const portal = await import('sso-admin-portal');
    assert.equal(typeof portal.SsoAdminPortal, 'function');
    assert.equal(typeof portal.SsoConnectionSavedEvent, 'function');
    assert.equal((await import('sso-admin-portal/core')).ERROR_CODES.session_expired !== undefined, true);
    assert.equal(typeof (await import('sso-admin-portal/adapters')).MemoryAdapter, 'function');
    // Nothing pretended to be a browser on the way.
    assert.equal(typeof globalThis.document, 'undefined');
    assert.equal(typeof globalThis.window, 'undefined');
  });

  it('registers <sso-admin-portal> in the registry Lit provides under Node', async () => {
    const { SsoAdminPortal } = await import('sso-admin-portal');
    assert.equal(globalThis.customElements.get('sso-admin-portal'), SsoAdminPortal);
  });
});
