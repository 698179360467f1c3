/** Auth0: a Regular Web Application, with the SAML2 Web App add-on for SAML. */
import { WS_CLAIMS, monogramLogo } from './common.js';
import type { ProviderDefinition } from './types.js';

const CREATE = [
  {
    text: 'In the Auth0 Dashboard, go to **Applications** > **Applications** and click **+ Create Application**.',
  },
  {
    text: 'Enter a **Name**, choose **Regular Web Applications**, and click **Create**.',
  },
] as const;

const CONNECTIONS = {
  text: 'On the application’s **Connections** tab, enable the connections your users sign in with (such as **Username-Password-Authentication** or your company directory).',
  note: 'Auth0 refuses users whose connection is not enabled for the application.',
} as const;

export const auth0: ProviderDefinition = {
  id: 'auth0',
  name: 'Auth0',
  aliases: ['Auth0 by Okta', 'Okta Customer Identity Cloud'],
  protocols: ['saml', 'oidc'],
  logo: monogramLogo('#c2410c', 'A0'),
  guides: {
    saml: [
      ...CREATE,
      {
        text: 'On the **Addons** tab, turn on **SAML2 Web App** and open it.',
      },
      {
        text: 'On its **Settings** tab, paste our ACS URL into **Application Callback URL**, and in the **Settings** JSON set "audience" to our entity ID.',
        fields: [
          { value: 'acsUrl', label: 'Application Callback URL' },
          { value: 'entityId', label: 'audience (Settings JSON)' },
        ],
      },
      {
        text: 'Keep the default **mappings**: Auth0 sends the email, given name, family name and groups under the attribute names below. Click **Enable** (or **Save**) at the bottom.',
        fields: [
          { value: 'attribute:email', label: 'mappings: email' },
          { value: 'attribute:firstName', label: 'mappings: given_name' },
          { value: 'attribute:lastName', label: 'mappings: family_name' },
          { value: 'attribute:groups', label: 'mappings: groups' },
        ],
        note: 'Groups are sent only for users whose profile has a groups attribute, such as users of an enterprise connection.',
      },
      CONNECTIONS,
      {
        text: 'On the add-on’s **Usage** tab, copy the **Identity Provider Metadata** download link and paste it in the next step.',
      },
    ],
    oidc: [
      ...CREATE,
      {
        text: 'On the **Settings** tab, paste this value into **Allowed Callback URLs** and click **Save Changes** at the bottom.',
        fields: [{ value: 'oidcRedirectUri', label: 'Allowed Callback URLs' }],
      },
      {
        ...CONNECTIONS,
        note: 'Auth0 refuses users whose connection is not enabled for the application. It sends **email**, **given_name** and **family_name** for the **email** and **profile** scopes; groups need a custom claim added by an Action.',
      },
      {
        text: 'On the **Settings** tab, copy the **Client ID** and **Client Secret**. The issuer is https:// followed by the **Domain** shown there and a slash, such as https://acme.us.auth0.com/.',
        note: 'Keep the trailing slash. If you use a custom domain, the issuer is that domain.',
      },
    ],
  },
  attributeDefaults: {
    saml: { email: WS_CLAIMS.email, firstName: WS_CLAIMS.givenName, lastName: WS_CLAIMS.surname, groups: WS_CLAIMS.group },
    oidc: { email: 'email', firstName: 'given_name', lastName: 'family_name' },
  },
  configureHints: {
    saml: {
      metadataUrlExample: 'https://acme.us.auth0.com/samlp/metadata/AbCdEfGhIjKlMnOpQrStUvWxYz012345',
      metadataLocation: 'In Auth0, on the application’s **Addons** tab, **SAML2 Web App** > **Usage**: **Identity Provider Metadata**.',
    },
    oidc: {
      issuerExample: 'https://acme.us.auth0.com/',
      clientLocation: 'In Auth0, on the application’s **Settings** tab (**Basic Information**).',
    },
  },
  helpLinks: [
    {
      label: 'Auth0: Enable the SAML2 Web App add-on',
      url: 'https://auth0.com/docs/authenticate/protocols/saml/saml-sso-integrations/enable-saml2-web-app-addon',
      protocol: 'saml',
    },
    {
      label: 'Auth0: Configure Auth0 as a SAML identity provider',
      url: 'https://auth0.com/docs/authenticate/single-sign-on/outbound-single-sign-on/configure-auth0-saml-identity-provider',
      protocol: 'saml',
    },
    { label: 'Auth0: Application settings', url: 'https://auth0.com/docs/get-started/applications/application-settings', protocol: 'oidc' },
  ],
};
