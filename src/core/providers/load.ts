/**
 * Provider definitions one at a time, for the browser: the provider list shows summaries, and a
 * provider's guide, hints and remedies load when the admin picks it (each module is its own
 * chunk). Node and tests use the whole catalog (`catalog.ts`).
 */
import { lazyLoader } from '../lazy.js';
import type { ProviderDefinition } from './types.js';

const MODULES: Readonly<Record<string, () => Promise<ProviderDefinition>>> = {
  okta: () => import('./okta.js').then((m) => m.okta),
  'entra-id': () => import('./entra-id.js').then((m) => m.entraId),
  'google-workspace': () => import('./google-workspace.js').then((m) => m.googleWorkspace),
  onelogin: () => import('./onelogin.js').then((m) => m.oneLogin),
  jumpcloud: () => import('./jumpcloud.js').then((m) => m.jumpCloud),
  ping: () => import('./ping.js').then((m) => m.ping),
  adfs: () => import('./adfs.js').then((m) => m.adfs),
  keycloak: () => import('./keycloak.js').then((m) => m.keycloak),
  auth0: () => import('./auth0.js').then((m) => m.auth0),
  'generic-saml': () => import('./generic-saml.js').then((m) => m.genericSaml),
  'generic-oidc': () => import('./generic-oidc.js').then((m) => m.genericOidc),
  simulator: () => import('./simulator.js').then((m) => m.simulator),
};

const definitions = lazyLoader((id: string) => (Object.hasOwn(MODULES, id) ? MODULES[id]!() : Promise.resolve(undefined)));

/**
 * The full definition of a provider, loading its module the first time; undefined for an id
 * the catalog does not know (a backend's newer provider). A failed load (network) rejects and
 * is tried again on the next call.
 */
export function loadProvider(id: string): Promise<ProviderDefinition | undefined> {
  return definitions.load(id);
}

/** The definition when it is loaded already (no wait), else undefined. */
export function loadedProvider(id: string): ProviderDefinition | undefined {
  return definitions.loaded(id);
}

/** Whether `id` is a provider the catalog knows (its definition may not be loaded yet). */
export function isKnownProvider(id: string): boolean {
  return Object.hasOwn(MODULES, id);
}
