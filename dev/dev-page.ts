// The dev page (`npm run dev`): the portal on a MemoryAdapter, with scenario switches.
import { MemoryAdapter, demoDocuments, demoSeed, type MemoryAdapterOptions, type SsoAdminPortal } from '../src/index.js';

const common: MemoryAdapterOptions = { documents: demoDocuments(), testDuration: 2000 };

const portal = document.querySelector<SsoAdminPortal>('#portal')!;
const form = document.querySelector<HTMLFormElement>('#controls')!;
const log = document.querySelector<HTMLOListElement>('#events')!;

function adapterFor(scenario: string): MemoryAdapter | undefined {
  switch (scenario) {
    case 'empty':
      return new MemoryAdapter({ ...common, latency: 300 });
    case 'slow':
      return new MemoryAdapter({ ...common, seed: demoSeed(), latency: 2000 });
    case 'error': {
      const adapter = new MemoryAdapter({ ...common, seed: demoSeed(), latency: 300 });
      adapter.failNext('getSession', 'server_error');
      return adapter;
    }
    case 'expired': {
      const adapter = new MemoryAdapter({ ...common, latency: 300 });
      adapter.expireSession();
      return adapter;
    }
    case 'unconfigured':
      return undefined;
    default:
      return new MemoryAdapter({ ...common, seed: demoSeed(), latency: 300 });
  }
}

function apply(): void {
  const data = new FormData(form);
  portal.theme = data.get('theme') as SsoAdminPortal['theme'];
  portal.style.maxWidth = (data.get('width') as string | null) ?? '';
  portal.adapter = adapterFor(data.get('scenario') as string);
}

form.addEventListener('change', apply);
apply();

for (const name of [
  'sso-step-change',
  'sso-connection-saved',
  'sso-test-completed',
  'sso-connection-activated',
  'sso-connection-deactivated',
  'sso-domain-verified',
  'sso-session-expired',
  'sso-error',
] as const) {
  portal.addEventListener(name, (event) => {
    const item = document.createElement('li');
    item.textContent = `${new Date().toLocaleTimeString()} ${name}`;
    log.prepend(item);
    console.info(name, event);
  });
}
