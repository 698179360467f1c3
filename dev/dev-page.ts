// The dev page (`npm run dev`): the portal on a MemoryAdapter, with scenario switches.
import { MemoryAdapter, PORTAL_EVENT_NAMES, TEST_FAILURE_CODES, demoDocuments, demoSeed, type MemoryAdapterOptions, type SsoAdminPortal, type TestOutcome } from '../src/index.js';

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

// Every way a test login can end, so each explanation can be seen here.
const outcomes = document.querySelector<HTMLSelectElement>('#outcome')!;
for (const code of TEST_FAILURE_CODES) outcomes.add(new Option(code, code));

let current: MemoryAdapter | undefined;

function apply(event?: Event): void {
  const data = new FormData(form);
  if ((event?.target as HTMLElement | undefined)?.getAttribute('name') === 'outcome') {
    current?.setTestOutcome(data.get('outcome') as TestOutcome);
    return;
  }
  portal.theme = data.get('theme') as SsoAdminPortal['theme'];
  portal.style.maxWidth = (data.get('width') as string | null) ?? '';
  current = adapterFor(data.get('scenario') as string);
  current?.setTestOutcome(data.get('outcome') as TestOutcome);
  portal.adapter = current;
}

form.addEventListener('change', apply);
apply();

for (const name of PORTAL_EVENT_NAMES) {
  portal.addEventListener(name, (event) => {
    const item = document.createElement('li');
    item.textContent = `${new Date().toLocaleTimeString()} ${name}`;
    log.prepend(item);
    console.info(name, event);
  });
}
