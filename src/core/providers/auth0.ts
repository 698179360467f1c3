/** Auth0: a Regular Web Application, with the SAML2 Web App add-on for SAML. */
import { WS_CLAIMS } from './common.js';
import { providerSummary } from './summaries.js';
import { msg } from '../../portal/localize/msg.js';
import type { ProviderDefinition } from './types.js';

const CREATE = () => [
  {
    text: msg('In the Auth0 Dashboard, go to **Applications** > **Applications** and click **+ Create Application**.'),
  },
  {
    text: msg('Enter a **Name**, choose **Regular Web Applications**, and click **Create**.'),
  },
] as const;

const CONNECTIONS = () => ({
  text: msg('On the application’s **Connections** tab, enable the connections your users sign in with (such as **Username-Password-Authentication** or your company directory).'),
  note: msg('Auth0 refuses users whose connection is not enabled for the application.'),
});

export const auth0: ProviderDefinition = {
  ...providerSummary('auth0'),
  get guides(): ProviderDefinition['guides'] {
    return {
      saml: [
        ...CREATE(),
        {
          text: msg('On the **Addons** tab, turn on **SAML2 Web App** and open it.'),
        },
        {
          text: msg('On its **Settings** tab, paste our ACS URL into **Application Callback URL**, and in the **Settings** JSON set "audience" to our entity ID.'),
          fields: [
            { value: 'acsUrl', label: 'Application Callback URL' },
            { value: 'entityId', label: 'audience (Settings JSON)' },
          ],
        },
        {
          text: msg('Keep the default **mappings**: Auth0 sends the email, given name, family name and groups under the attribute names below. Click **Enable** (or **Save**) at the bottom.'),
          fields: [
            { value: 'attribute:email', label: 'mappings: email' },
            { value: 'attribute:firstName', label: 'mappings: given_name' },
            { value: 'attribute:lastName', label: 'mappings: family_name' },
            { value: 'attribute:groups', label: 'mappings: groups' },
          ],
          note: msg('Groups are sent only for users whose profile has a groups attribute, such as users of an enterprise connection.'),
        },
        CONNECTIONS(),
        {
          text: msg('On the add-on’s **Usage** tab, copy the **Identity Provider Metadata** download link and paste it in the next step.'),
        },
      ],
      oidc: [
        ...CREATE(),
        {
          text: msg('On the **Settings** tab, paste this value into **Allowed Callback URLs** and click **Save Changes** at the bottom.'),
          fields: [{ value: 'oidcRedirectUri', label: 'Allowed Callback URLs' }],
        },
        {
          ...CONNECTIONS(),
          note: msg('Auth0 refuses users whose connection is not enabled for the application. It sends **email**, **given_name** and **family_name** for the **email** and **profile** scopes; groups need a custom claim added by an Action.'),
        },
        {
          text: msg('On the **Settings** tab, copy the **Client ID** and **Client Secret**. The issuer is https:// followed by the **Domain** shown there and a slash, such as https://acme.us.auth0.com/.'),
          note: msg('Keep the trailing slash. If you use a custom domain, the issuer is that domain.'),
        },
      ],
    };
  },
  attributeDefaults: {
    saml: { email: WS_CLAIMS.email, firstName: WS_CLAIMS.givenName, lastName: WS_CLAIMS.surname, groups: WS_CLAIMS.group },
    oidc: { email: 'email', firstName: 'given_name', lastName: 'family_name' },
  },
  get configureHints(): ProviderDefinition['configureHints'] {
    return {
      saml: {
        metadataUrlExample: 'https://acme.us.auth0.com/samlp/metadata/AbCdEfGhIjKlMnOpQrStUvWxYz012345',
        metadataLocation: msg('In Auth0, on the application’s **Addons** tab, **SAML2 Web App** > **Usage**: **Identity Provider Metadata**.'),
      },
      oidc: {
        issuerExample: 'https://acme.us.auth0.com/',
        clientLocation: msg('In Auth0, on the application’s **Settings** tab (**Basic Information**).'),
      },
    };
  },
  get helpLinks(): ProviderDefinition['helpLinks'] {
    return [
      {
        label: msg('Auth0: Enable the SAML2 Web App add-on'),
        url: 'https://auth0.com/docs/authenticate/protocols/saml/saml-sso-integrations/enable-saml2-web-app-addon',
        protocol: 'saml',
      },
      {
        label: msg('Auth0: Configure Auth0 as a SAML identity provider'),
        url: 'https://auth0.com/docs/authenticate/single-sign-on/outbound-single-sign-on/configure-auth0-saml-identity-provider',
        protocol: 'saml',
      },
      { label: msg('Auth0: Application settings'), url: 'https://auth0.com/docs/get-started/applications/application-settings', protocol: 'oidc' },
    ];
  },

  get idpInitiatedTest(): ProviderDefinition['idpInitiatedTest'] {
    return {
      saml: msg('On the **SAML2 Web App** add-on’s **Usage** tab, open the **Identity Provider Login URL** (https://your-tenant.auth0.com/samlp/ followed by the client ID) and sign in as the test user: Auth0 posts the response to the **Application Callback URL**.'),
      oidc: msg('Auth0 has no IdP-initiated OpenID Connect login. Use the test from this page.'),
    };
  },
  get attributeHints(): ProviderDefinition['attributeHints'] {
    return {
      saml: {
        email: msg('Auth0 sends it as http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress by default ("mappings" in the add-on’s **Settings** JSON), for users with an email.'),
        firstName: msg('Auth0 sends it as http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname for users whose profile has a given name.'),
        lastName: msg('Auth0 sends it as http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname for users whose profile has a family name.'),
        groups: msg('Auth0 sends groups as http://schemas.xmlsoap.org/claims/Group only for users whose profile has groups (such as enterprise connections).'),
      },
      oidc: {
        email: msg('Auth0 sends **email** for the **email** scope, for users with an email.'),
        firstName: msg('Auth0 sends **given_name** for the **profile** scope when the profile has one.'),
        lastName: msg('Auth0 sends **family_name** for the **profile** scope when the profile has one.'),
        groups: msg('Auth0 sends groups only as a custom claim added by a post-login Action (with a namespaced name, such as https://acme.example/groups).'),
      },
    };
  },
};
