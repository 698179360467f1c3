// Helpers of the wizard's browser tests: a portal on an adapter, and the steps driven as an admin would.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { MemoryAdapter, demoDocuments, type MemoryAdapterOptions } from '../../../src/adapters/index.js';
import type { PortalAdapter } from '../../../src/adapters/portal-adapter.js';
import type { SsoAdminPortal } from '../../../src/portal/sso-admin-portal.js';
import type { SsoWizard } from '../../../src/portal/wizard/sso-wizard.js';
import type { SsoStepElement } from '../../../src/portal/wizard/step-element.js';
import { buttonNamed, deepActiveElement } from '../helpers.js';
import '../../../src/index.js';

export const FIXTURES = '/test/fixtures/idp-corpus';

export async function fixtureText(path: string): Promise<string> {
  const response = await fetch(`${FIXTURES}/${path}`);
  if (!response.ok) throw new Error(`missing fixture ${path}`);
  return response.text();
}

/** A portal on a fresh MemoryAdapter with the demo documents. */
export async function portal(options: MemoryAdapterOptions = {}, attrs: { providers?: string } = {}) {
  return portalWith(new MemoryAdapter({ documents: demoDocuments(), ...options }), attrs);
}

/** A portal on `adapter`, once its overview rendered. */
export async function portalWith<A extends PortalAdapter>(adapter: A, attrs: { providers?: string } = {}) {
  sessionStorage.clear();
  const el = await fixture<SsoAdminPortal>(html`<sso-admin-portal .adapter=${adapter} providers=${attrs.providers ?? ''}></sso-admin-portal>`);
  await waitUntil(() => el.shadowRoot!.querySelector('sso-connections-overview'), 'overview did not render');
  return { el, adapter };
}

export function wizardOf(el: SsoAdminPortal): SsoWizard | null {
  return el.shadowRoot!.querySelector('sso-wizard');
}

/** The current step element, once rendered and settled. */
export async function currentStep<T extends SsoStepElement>(el: SsoAdminPortal, tag: string): Promise<T> {
  await waitUntil(() => wizardOf(el)?.shadowRoot?.querySelector(tag), `${tag} did not render`, { timeout: 4000 });
  const step = wizardOf(el)!.shadowRoot!.querySelector(tag) as T;
  await step.updateComplete;
  // Focus moves to the new step's heading; wait for it, so keys go where a person's would.
  await waitUntil(() => deepActiveElement() === step.shadowRoot!.querySelector('#step-heading'), `focus did not move to the ${tag} heading`);
  return step;
}

export async function startWizard(el: SsoAdminPortal) {
  const overview = el.shadowRoot!.querySelector('sso-connections-overview')!;
  await overview.updateComplete;
  buttonNamed(overview.shadowRoot!, /Set up SSO|Add connection/).click();
  return currentStep(el, 'sso-step-provider');
}

export function nextButton(el: SsoAdminPortal) {
  return buttonNamed(wizardOf(el)!.shadowRoot!, /Save and continue|Continue|Try again/);
}

export async function pressNext(el: SsoAdminPortal) {
  const button = nextButton(el);
  button.focus();
  await sendKeys({ press: 'Enter' });
}

/** Types into a field of a step with the keyboard. */
export async function typeInto(step: SsoStepElement, selector: string, text: string) {
  const input = step.shadowRoot!.querySelector<HTMLInputElement | HTMLTextAreaElement>(selector);
  if (!input) throw new Error(`no field ${selector}`);
  input.focus();
  input.select();
  await sendKeys({ type: text });
  const wizard = (step.getRootNode() as ShadowRoot).host as SsoWizard;
  await wizard.updateComplete;
  await step.updateComplete;
}

/** Switches the SAML step to another source and waits for it to render. */
export async function chooseSource(el: SsoAdminPortal, saml: SsoStepElement, source: 'url' | 'file' | 'xml' | 'manual') {
  saml.shadowRoot!.querySelector<HTMLInputElement>(`#source-${source}`)!.click();
  await settle(el, saml);
  // The manual fields are their own chunk, loaded when chosen.
  if (source === 'manual') await waitUntil(() => saml.shadowRoot!.querySelector('#saml-sso-url'), 'the manual fields never loaded');
}

/** Puts `text` in a textarea as a paste would. */
export async function paste(el: SsoAdminPortal, step: SsoStepElement, selector: string, text: string) {
  const area = step.shadowRoot!.querySelector<HTMLTextAreaElement>(selector)!;
  area.value = text;
  area.dispatchEvent(new Event('input', { bubbles: true }));
  await settle(el, step);
  return area;
}

/** Waits until the wizard and its step have rendered the latest draft. */
export async function settle(el: SsoAdminPortal, step: SsoStepElement) {
  await wizardOf(el)!.updateComplete;
  await step.updateComplete;
}

export async function chooseProvider(el: SsoAdminPortal, providerId: string, protocol?: 'saml' | 'oidc') {
  const step = await startWizard(el);
  step.shadowRoot!.querySelector<HTMLInputElement>(`#provider-${providerId}`)!.click();
  await settle(el, step);
  if (protocol) {
    const radio = step.shadowRoot!.querySelector<HTMLInputElement>(`#protocol-${protocol}`);
    if (radio) radio.click();
    else expect(step.draft.protocol, `${providerId} offers one protocol`).to.equal(protocol);
    await settle(el, step);
  }
  return step;
}

/** Provider -> guide -> configure, for a new connection. */
export async function toConfigure(el: SsoAdminPortal, providerId: string, protocol: 'saml' | 'oidc') {
  await chooseProvider(el, providerId, protocol);
  await pressNext(el);
  await currentStep(el, 'sso-step-guide');
  await pressNext(el);
  return currentStep(el, protocol === 'saml' ? 'sso-step-saml' : 'sso-step-oidc');
}

