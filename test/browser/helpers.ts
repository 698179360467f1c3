/** Shared test harness: typed events, keyboard navigation across shadow roots. */
import { fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { PortalAdapter } from '../../src/adapters/portal-adapter.js';
import type { SsoAdminPortal } from '../../src/portal/sso-admin-portal.js';

/** Resolves with the next `name` event on `target`, typed from GlobalEventHandlersEventMap. */
export function nextEvent<K extends keyof GlobalEventHandlersEventMap>(target: EventTarget, name: K): Promise<GlobalEventHandlersEventMap[K]> {
  return new Promise((resolve) => {
    target.addEventListener(name, (event) => resolve(event as GlobalEventHandlersEventMap[K]), { once: true });
  });
}

/** The focused element, looking through open shadow roots. */
export function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** Presses Tab until `target` has focus, as a keyboard user would; fails instead of looping forever. */
export async function tabTo(target: Element, maxPresses = 30): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    if (deepActiveElement() === target) return;
    await sendKeys({ press: 'Tab' });
  }
  throw new Error(`could not reach ${target.outerHTML} with Tab`);
}

/** The button in `root` whose text matches `name`. */
export function buttonNamed(root: ParentNode, name: RegExp): HTMLButtonElement {
  const button = [...root.querySelectorAll('button')].find((b) => name.test(b.textContent ?? ''));
  if (!button) throw new Error(`no button ${String(name)}`);
  return button;
}

/** A portal on `adapter` (the caller imports the element), once its overview has rendered; answers the overview. */
export async function portalOverview(adapter: PortalAdapter) {
  const el = await fixture<SsoAdminPortal>(html`<sso-admin-portal .adapter=${adapter}></sso-admin-portal>`);
  await waitUntil(() => el.shadowRoot!.querySelector('sso-connections-overview'), 'overview did not render');
  const view = el.shadowRoot!.querySelector('sso-connections-overview')!;
  await view.updateComplete;
  return view;
}
