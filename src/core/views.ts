/**
 * Where the admin can be: the overview or a wizard step. A module of its own so the element's
 * first load names places without the wizard's draft rules (`wizard.ts` re-exports it).
 */
export const WIZARD_STEPS = ['provider', 'guide', 'configure', 'attributes', 'test', 'activate'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

/**
 * A place in the portal. `connectionId` is set when editing an existing connection; `section`
 * takes the overview to its domains (focus lands there).
 */
export type PortalView = { view: 'overview'; section?: 'domains' } | { view: 'wizard'; step: WizardStep; connectionId?: string };

export const OVERVIEW: PortalView = { view: 'overview' };

/** Where the wizard opens: a new connection starts with the provider, an existing one at its configuration. */
export function wizardEntry(connectionId?: string): PortalView {
  return connectionId ? { view: 'wizard', step: 'configure', connectionId } : { view: 'wizard', step: 'provider' };
}

export function stepIndex(step: WizardStep): number {
  return WIZARD_STEPS.indexOf(step);
}

export function nextStep(step: WizardStep): WizardStep | undefined {
  return WIZARD_STEPS[stepIndex(step) + 1];
}

export function previousStep(step: WizardStep): WizardStep | undefined {
  return WIZARD_STEPS[stepIndex(step) - 1];
}
