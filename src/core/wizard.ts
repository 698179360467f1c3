/**
 * Where the admin is in the portal: the connections overview, or a step of the setup
 * wizard. The wizard's full state machine (what each step needs before Next) builds on this.
 */

export const WIZARD_STEPS = ['provider', 'guide', 'configure', 'attributes', 'test', 'activate'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

export const WIZARD_STEP_LABELS: Record<WizardStep, string> = {
  provider: 'Identity provider',
  guide: 'Create the app',
  configure: 'Configure',
  attributes: 'Attributes',
  test: 'Test login',
  activate: 'Activate',
};

/** A place in the portal. `connectionId` is set when editing an existing connection. */
export type PortalView = { view: 'overview' } | { view: 'wizard'; step: WizardStep; connectionId?: string };

export const OVERVIEW: PortalView = { view: 'overview' };

/** Where the wizard opens: a new connection starts with the provider, an existing one at its configuration. */
export function wizardEntry(connectionId?: string): PortalView {
  return connectionId ? { view: 'wizard', step: 'configure', connectionId } : { view: 'wizard', step: 'provider' };
}

export function stepIndex(step: WizardStep): number {
  return WIZARD_STEPS.indexOf(step);
}
