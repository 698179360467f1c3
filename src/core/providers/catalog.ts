/**
 * The identity providers the portal knows, in display order: one module per provider (guide,
 * logo, attribute defaults, configure hints), listed here, with the look-ups the element needs.
 * Pure: no DOM, safe in Node.
 */
import type { AttributeMapping, Protocol } from '../model.js';
import { OIDC_STANDARD_CLAIMS, SAML_SIMPLE_NAMES } from './common.js';
import { adfs } from './adfs.js';
import { auth0 } from './auth0.js';
import { entraId } from './entra-id.js';
import { genericOidc } from './generic-oidc.js';
import { genericSaml } from './generic-saml.js';
import { googleWorkspace } from './google-workspace.js';
import { jumpCloud } from './jumpcloud.js';
import { keycloak } from './keycloak.js';
import { okta } from './okta.js';
import { oneLogin } from './onelogin.js';
import { ping } from './ping.js';
import { simulator } from './simulator.js';
import type { ProviderDefinition } from './types.js';

export type { ConfigureHints, GuideField, GuideStep, HelpLink, ProviderDefinition, ProviderSummary, SpValueKey } from './types.js';
export { PROVIDER_SUMMARIES } from './summaries.js';
export { availableProviders, enabledProtocols, preferredProtocol, searchProviders, type ProviderFilter } from './choose.js';

/** Every definition, loaded at once: for Node and tests. The element loads one at a time (`load.ts`). */
export const PROVIDERS: readonly ProviderDefinition[] = Object.freeze([
  okta,
  entraId,
  googleWorkspace,
  oneLogin,
  jumpCloud,
  ping,
  adfs,
  keycloak,
  auth0,
  genericSaml,
  genericOidc,
  simulator,
]);

/** The catalog entry for an id, or undefined when a backend stored an id we do not know. */
export function findProvider(id: string): ProviderDefinition | undefined {
  return PROVIDERS.find((p) => p.id === id);
}

export { PROVIDER_NAMES, providerName } from './names.js';

/**
 * The attribute names to prefill for a provider and protocol: the provider's own defaults, or
 * the usual names (standard OIDC claims; email, firstName, lastName, groups for SAML) for an
 * unknown provider id.
 */
export function defaultAttributeMapping(providerId: string, protocol: Protocol): AttributeMapping {
  const own = findProvider(providerId)?.attributeDefaults[protocol];
  return { ...(own ?? (protocol === 'oidc' ? OIDC_STANDARD_CLAIMS : SAML_SIMPLE_NAMES)) };
}
