/** Any other OpenID Connect provider: a confidential web client with the authorization code flow. */
import { OIDC_STANDARD_CLAIMS } from './common.js';
import { providerSummary } from './summaries.js';
import type { ProviderDefinition } from './types.js';
import { msg } from '../../portal/localize/msg.js';

export const genericOidc: ProviderDefinition = {
  ...providerSummary('generic-oidc'),
  get name() {
    return providerSummary('generic-oidc').name;
  },
  get guides(): ProviderDefinition['guides'] {
    return {
      oidc: [
        {
          text: msg('In your identity provider’s admin console, create a new OpenID Connect application of the web type: a confidential client, with a client secret.'),
        },
        {
          text: msg('Paste our redirect URI in its redirect URI field (also called callback URL, reply URL or sign-in redirect URI).'),
          fields: [{ value: 'oidcRedirectUri', label: 'Redirect URI' }],
          note: msg('It must match exactly, including the path and any trailing slash.'),
        },
        {
          text: msg('Enable the **Authorization Code** grant and allow the **openid**, **email** and **profile** scopes.'),
        },
        {
          text: msg('Make sure the ID token or the userinfo response carries the claims below; add a groups claim if you want to map groups.'),
          fields: [
            { value: 'attribute:email', label: msg('Email claim') },
            { value: 'attribute:firstName', label: msg('Given name claim') },
            { value: 'attribute:lastName', label: msg('Family name claim') },
            { value: 'attribute:groups', label: msg('Groups claim') },
          ],
        },
        {
          text: msg('Assign the users or groups who will sign in to the new application, yourself included.'),
          note: msg('Most identity providers refuse users who are not assigned to the application.'),
        },
        {
          text: msg('Copy the **client ID**, the **client secret** and the **issuer** URL: the issuer is the address before /.well-known/openid-configuration.'),
        },
      ],
    };
  },
  attributeDefaults: {
    oidc: { ...OIDC_STANDARD_CLAIMS },
  },
  get configureHints(): ProviderDefinition['configureHints'] {
    return {
      oidc: {
        issuerExample: 'https://idp.acme.com',
        clientLocation: msg('On the application’s credentials or settings page in your identity provider.'),
      },
    };
  },
  get helpLinks(): ProviderDefinition['helpLinks'] {
    return [
      { label: msg('OpenID Connect Core: standard claims'), url: 'https://openid.net/specs/openid-connect-core-1_0.html#StandardClaims' },
      { label: msg('OpenID Connect Discovery'), url: 'https://openid.net/specs/openid-connect-discovery-1_0.html' },
    ];
  },
  get idpInitiatedTest(): ProviderDefinition['idpInitiatedTest'] {
    return {
      oidc: msg('OpenID Connect has no IdP-initiated login in most identity providers: a dashboard tile only opens the app, which starts a normal login. Use the test from this page.'),
    };
  },
  get attributeHints(): ProviderDefinition['attributeHints'] {
    return {
      oidc: {
        email: msg('OpenID Connect providers send **email** for the **email** scope, in the ID token or from the userinfo endpoint.'),
        firstName: msg('OpenID Connect providers send **given_name** for the **profile** scope.'),
        lastName: msg('OpenID Connect providers send **family_name** for the **profile** scope.'),
        groups: msg('Groups are not a standard claim: add a groups claim in your provider’s token settings, with this name.'),
      },
    };
  },
};
