// The overview's first frame does not wait for the domains panel: its code is requested only
// after the overview painted. Its own file: a page loads the panel once, and this file imports
// nothing of the panel, so the browser's resource timing shows when it was requested.
import { expect, waitUntil } from '@open-wc/testing';
import { MemoryAdapter, demoSeed } from '../../../src/adapters/index.js';
import { SsoConnectionsOverview } from '../../../src/portal/overview/sso-connections-overview.js';
import { portalOverview } from '../helpers.js';
import '../../../src/element.js';

describe('sso-connections-overview: the domains panel after the first frame', () => {
  it('requests the panel’s code after the overview has rendered and a frame has passed, then shows it', async () => {
    let renderedAt = Number.POSITIVE_INFINITY;
    const firstUpdated = SsoConnectionsOverview.prototype['firstUpdated'];
    SsoConnectionsOverview.prototype['firstUpdated'] = function (this: SsoConnectionsOverview, ...args: Parameters<typeof firstUpdated>) {
      renderedAt = Math.min(renderedAt, performance.now());
      return firstUpdated.apply(this, args);
    };
    try {
      const view = await portalOverview(new MemoryAdapter({ seed: demoSeed() }));
      await waitUntil(() => view.shadowRoot!.querySelector('sso-domains-panel')?.shadowRoot?.querySelector('h2, h3'), 'the domains panel did not show');
      const requests = performance.getEntriesByType('resource').filter((entry) => /sso-domains-panel\.ts/.test(entry.name));
      expect(requests, 'the panel was requested once').to.have.length(1);
      expect(requests[0]!.startTime, 'requested before the overview had rendered').to.be.greaterThan(renderedAt);
    } finally {
      SsoConnectionsOverview.prototype['firstUpdated'] = firstUpdated;
    }
  });
});
