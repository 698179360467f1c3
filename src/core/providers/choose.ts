/**
 * Choosing a provider: which ones a session offers, finding one by name, and its protocol. They
 * work on summaries (`summaries.ts`), so the provider list needs no guide.
 */
import type { Protocol } from '../model.js';
import { PROVIDER_SUMMARIES } from './summaries.js';
import type { ProviderDefinition, ProviderSummary } from './types.js';

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
 * The providers to offer (of `list`, the summaries by default), in catalog order: dev-only ones only in dev mode, none without an
 * enabled protocol, and only the host's choice when it restricts the list.
 */
export function availableProviders<T extends ProviderSummary>(filter: ProviderFilter, list: readonly T[] = PROVIDER_SUMMARIES as readonly T[]): T[] {
  const wanted = new Set((filter.restrictTo ?? []).map((id) => id.trim().toLowerCase()));
  const restricted = list.some((p) => wanted.has(p.id));
  return list.filter(
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
