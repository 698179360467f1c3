/**
 * The built-in providers' own remedies for failed test logins (`providers/remedies/*.ts`), apart
 * from their definitions: the wizard loads a definition to show its guide, and only a test
 * result reads these. {@link loadTestRemedies} loads a provider's once; {@link diagnoseTest}
 * (test-diagnosis.ts) then reads them, in the language shown.
 */
import type { ProviderTestRemedies } from './types.js';

type RemediesModule = Promise<{ testRemedies: () => ProviderTestRemedies }>;

const MODULES: Readonly<Record<string, () => RemediesModule>> = {
  adfs: () => import('./remedies/adfs.js'),
  auth0: () => import('./remedies/auth0.js'),
  'entra-id': () => import('./remedies/entra-id.js'),
  'google-workspace': () => import('./remedies/google-workspace.js'),
  jumpcloud: () => import('./remedies/jumpcloud.js'),
  keycloak: () => import('./remedies/keycloak.js'),
  okta: () => import('./remedies/okta.js'),
  onelogin: () => import('./remedies/onelogin.js'),
  ping: () => import('./remedies/ping.js'),
};

const loaded = new Map<string, () => ProviderTestRemedies>();

/**
 * Loads the remedies of the built-in provider `providerId` (nothing for another id, or when
 * loaded already). Call it before {@link diagnoseTest}; a failure to load is the caller's to
 * report: the diagnosis then gives the generic remedy.
 */
export async function loadTestRemedies(providerId: string | undefined): Promise<void> {
  const load = providerId === undefined || loaded.has(providerId) ? undefined : MODULES[providerId];
  if (load) loaded.set(providerId!, (await load()).testRemedies);
}

/** The remedies of the built-in provider `providerId`, in the language shown, once loaded. */
export const builtInTestRemedies = (providerId: string): ProviderTestRemedies | undefined => loaded.get(providerId)?.();
