/**
 * Provider display names alone, for views that only name a provider (the connections
 * overview). The full catalog, with its guides, is loaded with the wizard; a test keeps the
 * two in step.
 */
export const PROVIDER_NAMES: Readonly<Record<string, string>> = Object.freeze({
  okta: 'Okta',
  'entra-id': 'Microsoft Entra ID',
  'google-workspace': 'Google Workspace',
  onelogin: 'OneLogin',
  jumpcloud: 'JumpCloud',
  ping: 'PingOne / PingFederate',
  adfs: 'Microsoft AD FS',
  keycloak: 'Keycloak',
  auth0: 'Auth0',
  'generic-saml': 'Other SAML 2.0 provider',
  'generic-oidc': 'Other OpenID Connect provider',
  simulator: 'IdP Simulator',
});

/** A display name for any provider id, known or not. */
export function providerName(id: string): string {
  return Object.hasOwn(PROVIDER_NAMES, id) ? PROVIDER_NAMES[id]! : id;
}
