// The React wrapper's test, run once per React version (react-18.test.tsx, react-19.test.tsx):
// `react` and `react-dom` here are that version's copies (scripts/wtr-react-bundles.mjs bundles
// each test file with its own).
import { expect, waitUntil } from '@open-wc/testing';
import { version } from 'react';
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import { MemoryAdapter, demoDocuments } from '../../../src/adapters/index.js';
import { SsoConnectionSavedEvent, SsoStepChangeEvent } from '../../../src/portal/events.js';
import { SsoAdminPortal, type SsoAdminPortalProps } from '../../../src/react/index.js';
import { chooseProvider, pressNext } from '../portal/wizard-helpers.js';

export function describeReactWrapper(major: number): void {
  describe(`<SsoAdminPortal> in React ${major}`, () => {
    let container: HTMLElement;
    let root: Root;

    beforeEach(() => {
      sessionStorage.clear();
      container = document.body.appendChild(document.createElement('div'));
      root = createRoot(container);
    });

    afterEach(() => {
      root.unmount();
      container.remove();
    });

    it(`runs on React ${major}`, () => {
      expect(version.split('.')[0], 'the test loaded another React').to.equal(String(major));
    });

    it('sets the element’s properties from props, again when they change, and calls onSso… props with the element’s events', async () => {
      const adapter = new MemoryAdapter({ documents: demoDocuments() });
      const steps: SsoStepChangeEvent[] = [];
      const saved: SsoConnectionSavedEvent[] = [];
      const props: SsoAdminPortalProps = {
        adapter,
        theme: 'light',
        providers: 'simulator,okta',
        onSsoStepChange: (event) => steps.push(event),
        onSsoConnectionSaved: (event) => saved.push(event),
      };
      root.render(<SsoAdminPortal {...props} />);
      await waitUntil(() => container.querySelector('sso-admin-portal')?.shadowRoot?.querySelector('sso-connections-overview'), 'the overview did not render');
      const el = container.querySelector('sso-admin-portal')!;
      // An object reaches the element as a property (React 18 alone would make it an attribute).
      expect(el.adapter).to.equal(adapter);
      expect(el.hasAttribute('adapter')).to.equal(false);
      expect(el.providers).to.equal('simulator,okta');

      root.render(<SsoAdminPortal {...props} theme="dark" />);
      await waitUntil(() => el.getAttribute('theme') === 'dark', 'the theme prop did not reach the element');
      expect(el.theme).to.equal('dark');
      expect(el.adapter, 'the same adapter: no reload').to.equal(adapter);

      // The admin starts the wizard and chooses a provider: Continue creates the connection.
      await chooseProvider(el, 'simulator');
      expect(steps.map((event) => event instanceof SsoStepChangeEvent && event.to.view)).to.deep.equal(['wizard']);
      await pressNext(el);
      await waitUntil(() => saved.length === 1, 'onSsoConnectionSaved was not called');
      expect(saved[0]).to.be.instanceOf(SsoConnectionSavedEvent);
      expect(saved[0]!.created).to.equal(true);
      expect(saved[0]!.connection).to.include({ providerId: 'simulator', protocol: 'saml', status: 'draft' });
      expect((await adapter.listConnections()).map((c) => c.id)).to.deep.equal([saved[0]!.connection.id]);
    });

    it('stops calling an event prop once it is removed, and gives the element to a ref', async () => {
      const adapter = new MemoryAdapter({ documents: demoDocuments() });
      const steps: SsoStepChangeEvent[] = [];
      let ref: HTMLElementTagNameMap['sso-admin-portal'] | null = null;
      root.render(<SsoAdminPortal ref={(el) => void (ref = el)} adapter={adapter} onSsoStepChange={(event) => steps.push(event)} />);
      await waitUntil(() => ref?.shadowRoot?.querySelector('sso-connections-overview'), 'the overview did not render');
      const el = ref!;
      expect(el.localName).to.equal('sso-admin-portal');
      // Committed at once, so the wrapper has removed its listener before the admin acts.
      flushSync(() => root.render(<SsoAdminPortal ref={(node) => void (ref = node ?? ref)} adapter={adapter} />));
      expect(container.querySelector('sso-admin-portal'), 'the same element').to.equal(el);
      await chooseProvider(el, 'simulator');
      expect(steps).to.deep.equal([]);
    });
  });
}
