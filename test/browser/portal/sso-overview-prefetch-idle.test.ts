// The overview fetches the wizard ahead of a click, when idle, for an admin with no active
// connection (sso-overview-prefetch.test.ts: with one). One test per file: a page fetches the
// wizard once. This file imports nothing of the
// wizard itself, so `customElements.get('sso-wizard')` says whether it was fetched.
import { waitUntil } from '@open-wc/testing';
import { MemoryAdapter } from '../../../src/adapters/index.js';
import { portalOverview } from '../helpers.js';
import '../../../src/element.js';

describe('sso-connections-overview: fetches the wizard ahead', () => {
  it('fetches it when idle for an admin who has not set up SSO yet', async () => {
    await portalOverview(new MemoryAdapter({ seed: { connections: [], domains: [], clientSecrets: {} } }));
    await waitUntil(() => customElements.get('sso-wizard') && customElements.get('sso-step-provider'), 'the wizard and its first step were not fetched ahead');
  });
});
