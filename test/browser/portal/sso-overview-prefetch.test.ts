// The overview fetches the wizard ahead of a click, on a pointer or focus move, for an admin
// with an active connection (sso-overview-prefetch-idle.test.ts: without one). One test per file: a
// page fetches the wizard once. This file imports nothing of the
// wizard itself, so `customElements.get('sso-wizard')` says whether it was fetched.
import { expect, waitUntil } from '@open-wc/testing';
import { MemoryAdapter, demoSeed } from '../../../src/adapters/index.js';
import { portalOverview } from '../helpers.js';
import '../../../src/element.js';

/** Resolves after the browser had an idle period (the prefetch waits for one). */
const idle = () => new Promise<void>((resolve) => requestIdleCallback(() => resolve()));

describe('sso-connections-overview: fetches the wizard ahead', () => {
  it('waits for a pointer or focus move when a connection is active', async () => {
    const view = await portalOverview(new MemoryAdapter({ seed: demoSeed() }));
    await idle();
    await idle();
    expect(customElements.get('sso-wizard'), 'fetched without a reason').to.equal(undefined);
    view.dispatchEvent(new Event('focusin'));
    await waitUntil(() => customElements.get('sso-wizard'), 'the wizard was not fetched on focus');
  });
});
