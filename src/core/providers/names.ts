/**
 * Provider display names alone, for views that only name a provider (the connections
 * overview). The full catalog, with its guides, is loaded with the wizard; a test keeps the
 * two in step.
 */
import { msg } from '../../portal/localize/msg.js';

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
  // Not brand names: in the language shown.
  get 'generic-saml'() {
    return msg('Other SAML 2.0 provider');
  },
  get 'generic-oidc'() {
    return msg('Other OpenID Connect provider');
  },
  get simulator() {
    return msg('IdP Simulator');
  },
});

/** A display name for any provider id, known or not. */
export function providerName(id: string): string {
  return Object.hasOwn(PROVIDER_NAMES, id) ? PROVIDER_NAMES[id]! : id;
}
