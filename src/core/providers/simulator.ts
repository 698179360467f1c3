/**
 * The IdP Simulator of the mock server (development sessions only): a SAML and OIDC provider
 * that already trusts our service provider, so there is nothing to create.
 */
import { OIDC_STANDARD_CLAIMS, SAML_SIMPLE_NAMES } from './common.js';
import { providerSummary } from './summaries.js';
import { msg } from '../../portal/localize/msg.js';
import type { ProviderDefinition } from './types.js';

const ALREADY_TRUSTED = () => ({
  text: msg('These are this connection’s values. The simulator already trusts them: there is nothing to copy.'),
  note: msg('Development sessions only. When you test, the simulator asks which user to sign in and which outcome to simulate instead of a password.'),
});

export const simulator: ProviderDefinition = {
  ...providerSummary('simulator'),
  get name() {
    return providerSummary('simulator').name;
  },
  get guideLead(): ProviderDefinition['guideLead'] {
    return msg('Nothing to create or change: the IdP Simulator runs with the development server and already trusts this connection. Check the values below and continue.');
  },
  get guides(): ProviderDefinition['guides'] {
    return {
      saml: [
        { ...ALREADY_TRUSTED(), fields: [{ value: 'entityId', label: 'Entity ID' }, { value: 'acsUrl', label: 'ACS URL' }] },
        { text: msg('In the next step, the simulator’s metadata URL is prefilled: keep it and continue.') },
      ],
      oidc: [
        { ...ALREADY_TRUSTED(), fields: [{ value: 'oidcRedirectUri', label: 'Redirect URI' }] },
        { text: msg('In the next step, the simulator’s issuer, client ID and client secret are prefilled: keep them and continue.') },
      ],
    };
  },
  attributeDefaults: {
    saml: { ...SAML_SIMPLE_NAMES },
    oidc: { ...OIDC_STANDARD_CLAIMS },
  },
  get configureHints(): ProviderDefinition['configureHints'] {
    return {
      saml: { metadataLocation: msg('Prefilled with the simulator’s metadata URL.') },
      oidc: { clientLocation: msg('Prefilled with the simulator’s client.') },
    };
  },
  get helpLinks(): ProviderDefinition['helpLinks'] {
    return [];
  },
  get idpInitiatedTest(): ProviderDefinition['idpInitiatedTest'] {
    return {
      saml: msg('The IdP Simulator can send a response without a request: start an IdP-initiated test here, then choose the user and the outcome on the simulator’s page.'),
      oidc: msg('OpenID Connect has no IdP-initiated login: use a test started from this page.'),
    };
  },
  get attributeHints(): ProviderDefinition['attributeHints'] {
    return {
      saml: {
        email: msg('The IdP Simulator sends each attribute under the name mapped in the attributes step: keep a name for the email.'),
      },
      oidc: {
        email: msg('The IdP Simulator sends the standard **email** claim.'),
      },
    };
  },
};
