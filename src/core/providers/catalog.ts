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

export type { ConfigureHints, GuideField, GuideStep, HelpLink, ProviderDefinition, SpValueKey } from './types.js';

/** The overview's view of a provider: what it needs to name one. Every definition is one. */
export type ProviderSummary = Pick<ProviderDefinition, 'id' | 'name' | 'protocols' | 'devOnly'>;

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

export interface ProviderFilter {
  /** Development sessions also see dev-only providers (the IdP simulator). */
  devMode: boolean;
  /** The protocols this session may use (`PortalSession.features`). */
  protocols: { saml: boolean; oidc: boolean };
  /**
   * Provider ids the host allows (its `providers` attribute). Unknown ids are ignored; when no
   * known id remains (absent, empty, or all typos) every provider is offered.
   */
  restrictTo?: readonly string[];
}

/**
 * The providers to offer, in catalog order: dev-only ones only in dev mode, none without an
 * enabled protocol, and only the host's choice when it restricts the list.
 */
export function availableProviders(filter: ProviderFilter): ProviderDefinition[] {
  const wanted = new Set((filter.restrictTo ?? []).map((id) => id.trim().toLowerCase()));
  const restricted = PROVIDERS.some((p) => wanted.has(p.id));
  return PROVIDERS.filter(
    (p) =>
      (filter.devMode || !p.devOnly) &&
      enabledProtocols(p, filter.protocols).length > 0 &&
      (!restricted || wanted.has(p.id)),
  );
}

/**
 * The protocol to preselect when the admin picks `provider`: the one it recommends when the
 * session allows it, else the first one the session allows; undefined when none is allowed.
 */
export function preferredProtocol(provider: Pick<ProviderDefinition, 'protocols' | 'recommendedProtocol'>, enabled: { saml: boolean; oidc: boolean }): Protocol | undefined {
  const allowed = enabledProtocols(provider, enabled);
  return provider.recommendedProtocol && allowed.includes(provider.recommendedProtocol) ? provider.recommendedProtocol : allowed[0];
}

/** The protocols of `provider` that the session allows, in the provider's order. */
export function enabledProtocols(provider: Pick<ProviderDefinition, 'protocols'>, enabled: { saml: boolean; oidc: boolean }): Protocol[] {
  return provider.protocols.filter((protocol) => enabled[protocol]);
}

/** Lower case, no diacritics, letters and digits only: "Microsoft AD FS" → "microsoftadfs". */
function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * The providers of `list` whose name, id or an alias matches `query`, in list order. Case,
 * diacritics, spaces and punctuation do not matter ("adfs" finds AD FS, "azure" Entra ID); a
 * query of several words matches when each word does. An empty query returns the whole list.
 */
export function searchProviders<T extends Pick<ProviderDefinition, 'id' | 'name' | 'aliases'>>(list: readonly T[], query: string): T[] {
  const words = query.split(/\s+/).map(fold).filter(Boolean);
  if (!words.length) return [...list];
  const whole = fold(query);
  return list.filter((provider) => {
    const haystack = [provider.name, provider.id, ...(provider.aliases ?? [])].map(fold);
    return haystack.some((h) => h.includes(whole)) || words.every((w) => haystack.some((h) => h.includes(w)));
  });
}

/**
 * The attribute names to prefill for a provider and protocol: the provider's own defaults, or
 * the usual names (standard OIDC claims; email, firstName, lastName, groups for SAML) for an
 * unknown provider id.
 */
export function defaultAttributeMapping(providerId: string, protocol: Protocol): AttributeMapping {
  const own = findProvider(providerId)?.attributeDefaults[protocol];
  return { ...(own ?? (protocol === 'oidc' ? OIDC_STANDARD_CLAIMS : SAML_SIMPLE_NAMES)) };
}
