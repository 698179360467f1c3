/** Keycloak (and Red Hat build of Keycloak): a SAML or OpenID Connect client in a realm. */
import { OIDC_STANDARD_CLAIMS, SAML_SIMPLE_NAMES } from './common.js';
import { providerSummary } from './summaries.js';
import type { ProviderDefinition } from './types.js';
import { msg } from '../../portal/localize/msg.js';

const realm = () => ({
  text: msg('In the Keycloak admin console, pick the realm your users are in from the realm list (usually not **master**) and go to **Clients**.'),
  note: msg('Every URL you will copy from Keycloak contains the realm’s name: make sure it is the right realm.'),
});

const users = () => ({
  text: msg('Keycloak lets every user of the realm sign in to the client: under **Users**, check that your test user is in this realm and has an **Email** set.'),
  note: msg('A user without an email cannot be matched to an account. To restrict access, require a client role in the realm’s authentication flow.'),
});

export const keycloak: ProviderDefinition = {
  ...providerSummary('keycloak'),
  get guides(): ProviderDefinition['guides'] {
    return {
      saml: [
        realm(),
        {
          text: msg('Click **Import client**, upload our metadata file under **Resource file**, and click **Save**. Or click **Create client**, choose **SAML** as **Client type**, paste our entity ID as **Client ID**, and click **Next** and **Save**.'),
          fields: [{ value: 'entityId', label: 'Client ID' }],
          offerSpMetadata: true,
        },
        {
          text: msg('On the client’s **Settings** tab, paste our ACS URL into **Valid redirect URIs** and **Master SAML Processing URL**, set **Name ID format** to **email**, turn on **Force name ID format**, and click **Save**.'),
          fields: [
            { value: 'acsUrl', label: 'Valid redirect URIs' },
            { value: 'acsUrl', label: 'Master SAML Processing URL' },
          ],
        },
        {
          text: msg('On the **Keys** tab, turn off **Client signature required** unless you imported our metadata (the import sets it for you).'),
          note: msg('When it is on without our certificate, Keycloak rejects our login requests.'),
        },
        {
          text: msg('On the **Client scopes** tab, open the client’s **-dedicated** scope, click **Configure a new mapper** (or **Add mapper** > **By configuration**), and choose **User Property**: create one mapper per row, with the **Property** **email**, **firstName** or **lastName** and the **SAML Attribute Name** below.'),
          fields: [
            { value: 'attribute:email', label: 'SAML Attribute Name (Property email)' },
            { value: 'attribute:firstName', label: 'SAML Attribute Name (Property firstName)' },
            { value: 'attribute:lastName', label: 'SAML Attribute Name (Property lastName)' },
          ],
        },
        {
          text: msg('To send groups, add a **Group list** mapper in the same scope with the **Group attribute name** below, **Single Group Attribute** on and **Full group path** off (optional).'),
          fields: [{ value: 'attribute:groups', label: 'Group attribute name' }],
        },
        users(),
        {
          text: msg('In the next step, enter the realm’s metadata URL: https://your-keycloak-host/realms/your-realm/protocol/saml/descriptor (under **Realm settings** > **General** > **Endpoints**: **SAML 2.0 Identity Provider Metadata**).'),
          note: msg('Keycloak versions before 17 add /auth after the host.'),
        },
      ],
      oidc: [
        realm(),
        {
          text: msg('Click **Create client**, keep **OpenID Connect** as **Client type**, enter a **Client ID** (such as the app’s name), and click **Next**.'),
        },
        {
          text: msg('Turn on **Client authentication**, keep **Standard flow** checked, and click **Next**.'),
        },
        {
          text: msg('Paste this value into **Valid redirect URIs** and click **Save**.'),
          fields: [{ value: 'oidcRedirectUri', label: 'Valid redirect URIs' }],
        },
        {
          text: msg('To send groups, on the **Client scopes** tab open the client’s **-dedicated** scope, click **Configure a new mapper**, choose **Group Membership**, enter the **Token Claim Name** below, turn off **Full group path**, and click **Save** (optional).'),
          fields: [{ value: 'attribute:groups', label: 'Token Claim Name' }],
          note: msg('Keycloak sends **email**, **given_name** and **family_name** for the **email** and **profile** scopes: nothing to map for those.'),
        },
        users(),
        {
          text: msg('On the client’s **Credentials** tab, copy the **Client Secret**. The issuer is https://your-keycloak-host/realms/your-realm.'),
          note: msg('Keycloak versions before 17 add /auth after the host.'),
        },
      ],
    };
  },
  attributeDefaults: {
    saml: { ...SAML_SIMPLE_NAMES },
    oidc: { ...OIDC_STANDARD_CLAIMS },
  },
  get configureHints(): ProviderDefinition['configureHints'] {
    return {
      saml: {
        metadataUrlExample: 'https://sso.acme.com/realms/acme/protocol/saml/descriptor',
        metadataLocation: msg('In Keycloak, **Realm settings** > **General** > **Endpoints**: **SAML 2.0 Identity Provider Metadata**.'),
      },
      oidc: {
        issuerExample: 'https://sso.acme.com/realms/acme',
        clientLocation: msg('In Keycloak, the client’s **Settings** tab (**Client ID**) and **Credentials** tab (**Client Secret**).'),
      },
    };
  },
  get helpLinks(): ProviderDefinition['helpLinks'] {
    return [
      { label: msg('Keycloak: Creating a SAML client'), url: 'https://www.keycloak.org/docs/latest/server_admin/index.html#_client-saml-configuration', protocol: 'saml' },
      { label: msg('Keycloak: Creating an OpenID Connect client'), url: 'https://www.keycloak.org/docs/latest/server_admin/index.html#_oidc_clients', protocol: 'oidc' },
      { label: msg('Keycloak: Mapping claims and assertions'), url: 'https://www.keycloak.org/docs/latest/server_admin/index.html#_protocol-mappers' },
    ];
  },

  get idpInitiatedTest(): ProviderDefinition['idpInitiatedTest'] {
    return {
      saml: msg('On the client’s **Settings** tab, enter an **IDP-Initiated SSO URL name** (such as acme) and click **Save**, then open https://your-keycloak-host/realms/your-realm/protocol/saml/clients/ followed by that name. Keycloak posts to the **Assertion Consumer Service POST Binding URL** (**Advanced** tab) or the **Master SAML Processing URL**: it must be our ACS URL.'),
      oidc: msg('Keycloak has no IdP-initiated OpenID Connect login: the account console only links to the client’s **Home URL**, which starts a normal login. Use the test from this page.'),
    };
  },
  get attributeHints(): ProviderDefinition['attributeHints'] {
    return {
      saml: {
        email: msg('Keycloak sends only the attributes its mappers add: in the client’s **-dedicated** scope, add a **User Property** mapper with **Property** **email** and this **SAML Attribute Name**.'),
        firstName: msg('Add a **User Property** mapper with **Property** **firstName** and this **SAML Attribute Name**.'),
        lastName: msg('Add a **User Property** mapper with **Property** **lastName** and this **SAML Attribute Name**.'),
        groups: msg('Add a **Group list** mapper with this **Group attribute name**, **Single Group Attribute** on.'),
      },
      oidc: {
        email: msg('Keycloak sends **email** for the **email** client scope, for users with an **Email**.'),
        firstName: msg('Keycloak sends **given_name** for the **profile** client scope.'),
        lastName: msg('Keycloak sends **family_name** for the **profile** client scope.'),
        groups: msg('Add a **Group Membership** mapper in the client’s **-dedicated** scope with this **Token Claim Name**.'),
      },
    };
  },
};
