/**
 * The identity providers the portal knows. This is the overview's view of the catalog
 * (names and protocols); the wizard's guides, logos and default attribute names extend each
 * entry in its own module.
 */
import type { Protocol } from '../model.js';

export interface ProviderSummary {
  /** Stable id stored on connections (`Connection.providerId`). */
  readonly id: string;
  /** The product name the admin knows. */
  readonly name: string;
  readonly protocols: readonly Protocol[];
  /** Shown only to development sessions. */
  readonly devOnly?: boolean;
}

export const PROVIDERS: readonly ProviderSummary[] = [
  { id: 'okta', name: 'Okta', protocols: ['saml', 'oidc'] },
  { id: 'entra-id', name: 'Microsoft Entra ID', protocols: ['saml', 'oidc'] },
  { id: 'google-workspace', name: 'Google Workspace', protocols: ['saml'] },
  { id: 'onelogin', name: 'OneLogin', protocols: ['saml', 'oidc'] },
  { id: 'jumpcloud', name: 'JumpCloud', protocols: ['saml', 'oidc'] },
  { id: 'ping', name: 'PingOne / PingFederate', protocols: ['saml', 'oidc'] },
  { id: 'adfs', name: 'Microsoft AD FS', protocols: ['saml'] },
  { id: 'keycloak', name: 'Keycloak', protocols: ['saml', 'oidc'] },
  { id: 'auth0', name: 'Auth0', protocols: ['saml', 'oidc'] },
  { id: 'generic-saml', name: 'Other SAML 2.0 provider', protocols: ['saml'] },
  { id: 'generic-oidc', name: 'Other OpenID Connect provider', protocols: ['oidc'] },
  { id: 'simulator', name: 'IdP Simulator', protocols: ['saml', 'oidc'], devOnly: true },
];

/** The catalog entry for an id, or undefined when a backend stored an id we do not know. */
export function findProvider(id: string): ProviderSummary | undefined {
  return PROVIDERS.find((p) => p.id === id);
}

/** A display name for any provider id, known or not. */
export function providerName(id: string): string {
  return findProvider(id)?.name ?? id;
}
