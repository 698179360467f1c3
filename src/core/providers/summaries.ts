/**
 * What the wizard's first step needs of every identity provider: to list, find and pick one
 * (name, aliases, protocols, logo). Each provider's guide, hints and remedies are in its own
 * module, loaded when the admin picks it (`load.ts`); the full definitions spread these, so
 * the two never disagree.
 */
import { monogramLogo } from './logo.js';
import { providerName } from './names.js';
import type { ProviderSummary } from './types.js';

/**
 * The name of each comes from `PROVIDER_NAMES` (names.ts, which the overview loads first), read
 * when asked: the generic providers' names are in the language shown.
 */
const named = (summary: Omit<ProviderSummary, 'name'>): ProviderSummary =>
  Object.defineProperty(summary, 'name', { get: () => providerName(summary.id), enumerable: true }) as ProviderSummary;

export const PROVIDER_SUMMARIES: readonly ProviderSummary[] = Object.freeze(([
  {
    id: 'okta',
    aliases: ['Okta Workforce Identity', 'Okta SSO'],
    protocols: ['saml', 'oidc'],
    logo: monogramLogo('#0073b8', 'O'),
  },
  {
    id: 'entra-id',
    aliases: ['Azure AD', 'Azure Active Directory', 'AAD', 'Entra', 'Microsoft 365', 'Office 365'],
    protocols: ['saml', 'oidc'],
    logo: monogramLogo('#0078d4', 'E'),
  },
  {
    id: 'google-workspace',
    aliases: ['G Suite', 'Google Apps', 'Google Cloud Identity', 'Gmail'],
    protocols: ['saml'],
    logo: monogramLogo('#1a73e8', 'G'),
  },
  {
    id: 'onelogin',
    aliases: ['One Login', 'One Identity OneLogin'],
    protocols: ['saml', 'oidc'],
    logo: monogramLogo('#3b5bdb', '1L'),
  },
  {
    id: 'jumpcloud',
    aliases: ['Jump Cloud'],
    protocols: ['saml', 'oidc'],
    logo: monogramLogo('#0f7a5a', 'JC'),
  },
  {
    id: 'ping',
    aliases: ['PingOne', 'PingFederate', 'Ping Identity', 'PingID', 'Ping'],
    protocols: ['saml', 'oidc'],
    logo: monogramLogo('#c53030', 'P'),
  },
  {
    id: 'adfs',
    aliases: ['ADFS', 'Active Directory Federation Services', 'Windows Server AD FS', 'Active Directory'],
    protocols: ['saml'],
    logo: monogramLogo('#0067b8', 'AD'),
  },
  {
    id: 'keycloak',
    aliases: ['Red Hat build of Keycloak', 'Red Hat SSO', 'RH-SSO'],
    protocols: ['saml', 'oidc'],
    logo: monogramLogo('#00798f', 'KC'),
  },
  {
    id: 'auth0',
    aliases: ['Auth0 by Okta', 'Okta Customer Identity Cloud'],
    protocols: ['saml', 'oidc'],
    logo: monogramLogo('#c2410c', 'A0'),
  },
  {
    id: 'generic-saml',
    aliases: ['SAML', 'SAML 2.0', 'Generic SAML', 'Custom SAML', 'Other', 'Shibboleth', 'SimpleSAMLphp', 'CAS'],
    protocols: ['saml'],
    logo: monogramLogo('#5f6b7a', 'S'),
  },
  {
    id: 'generic-oidc',
    aliases: ['OIDC', 'OpenID', 'OpenID Connect', 'OAuth', 'OAuth 2.0', 'Generic OIDC', 'Custom OIDC', 'Other'],
    protocols: ['oidc'],
    logo: monogramLogo('#b35900', 'ID'),
  },
  {
    id: 'simulator',
    aliases: ['Simulator', 'Mock IdP', 'Test IdP', 'Development'],
    protocols: ['saml', 'oidc'],
    // SAML exercises more of the checks (signatures, certificates, audience, clocks).
    recommendedProtocol: 'saml',
    devOnly: true,
    logo: monogramLogo('#7c3aed', 'Sim'),
  },
] satisfies Omit<ProviderSummary, 'name'>[]).map(named));

/**
 * The summary of a provider the catalog lists (for its module to spread). A spread copies a
 * translated `name` once: the modules of those providers define the getter again.
 */
export function providerSummary(id: string): ProviderSummary {
  const summary = PROVIDER_SUMMARIES.find((p) => p.id === id);
  if (!summary) throw new Error(`No provider summary for ${id}`);
  return summary;
}
