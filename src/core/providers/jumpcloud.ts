/** JumpCloud: a Custom Application with SAML or OIDC single sign-on, in the JumpCloud Admin Portal. */
import { OIDC_STANDARD_CLAIMS, SAML_SIMPLE_NAMES } from './common.js';
import { providerSummary } from './summaries.js';
import type { ProviderDefinition } from './types.js';
import { msg } from '../../portal/localize/msg.js';

const start = () => [
  {
    text: msg('In the JumpCloud Admin Portal, go to **SSO Applications** and click **+ Add New Application**.'),
    note: msg('**SSO Applications** is under **Access** (under **User Authentication** in older menus).'),
  },
];

export const jumpCloud: ProviderDefinition = {
  ...providerSummary('jumpcloud'),
  get guides(): ProviderDefinition['guides'] {
    return {
      saml: [
        ...start(),
        {
          text: msg('Select **Custom Application** and click **Next**; choose **Manage Single Sign-On (SSO)** > **Configure SSO with SAML** and click **Next**; enter a **Display Label**, continue, and click **Configure Application**.'),
        },
        {
          text: msg('On the **SSO** tab, enter an **IdP Entity ID** of your choice (such as the app’s name), paste these values, leave **SAMLSubject NameID** on **email**, and check **Declare Redirect Endpoint**.'),
          fields: [
            { value: 'entityId', label: 'SP Entity ID' },
            { value: 'acsUrl', label: 'ACS URLs' },
          ],
          offerSpMetadata: true,
          note: msg('Or click **Upload Metadata** and choose our metadata file to fill these values.'),
        },
        {
          text: msg('Under **Attributes**, click **add attribute** for each row: type the **Service Provider Attribute Name** below and choose the **JumpCloud Attribute Name** (**email**, **firstname**, **lastname**). To send groups, check **include group attribute** and use the name below (optional).'),
          fields: [
            { value: 'attribute:email', label: 'Service Provider Attribute Name (email)' },
            { value: 'attribute:firstName', label: 'Service Provider Attribute Name (firstname)' },
            { value: 'attribute:lastName', label: 'Service Provider Attribute Name (lastname)' },
            { value: 'attribute:groups', label: 'Group attribute name' },
          ],
        },
        {
          text: msg('Click **activate** (or **save** on an existing app) and confirm.'),
        },
        {
          text: msg('On the app’s **User Groups** tab, check the groups whose users may sign in (such as **All Users**) and click **save**.'),
          note: msg('A new app has no groups: JumpCloud refuses every user, you included, until a group that contains them is bound to it.'),
        },
        {
          text: msg('On the **SSO** tab, click **Copy Metadata URL** and paste it in the next step (or click **Export Metadata** to download the XML).'),
        },
      ],
      oidc: [
        ...start(),
        {
          text: msg('Select **Custom Application** and click **Next**; choose **Manage Single Sign-On (SSO)** > **Configure SSO with OIDC** and click **Next**; enter a **Display Label**, continue, and click **Configure Application**.'),
        },
        {
          text: msg('On the **SSO** tab, paste this value into **Redirect URIs**, set **Client Authentication Type** to **Client Secret Basic**, and enter the address of the app’s sign-in page in **Login URL**.'),
          fields: [{ value: 'oidcRedirectUri', label: 'Redirect URIs' }],
          note: msg('Keep **Authorization Code** checked under **Grant Types**; do not choose **Public (None PKCE)**, which has no client secret.'),
        },
        {
          text: msg('Under **Attribute Mapping**, check the **Standard Scopes** **Email** and **Profile**. To send groups, check **Include group attribute** and use the name below (optional).'),
          fields: [{ value: 'attribute:groups', label: 'Group attribute name' }],
        },
        {
          text: msg('Click **activate**, confirm, and copy the **Client ID** and **Client Secret** from the window that opens.'),
          note: msg('JumpCloud shows the secret only once; if you lose it, generate a new one on the **SSO** tab.'),
        },
        {
          text: msg('On the app’s **User Groups** tab, check the groups whose users may sign in (such as **All Users**) and click **save**.'),
          note: msg('A new app has no groups: JumpCloud refuses every user, you included, until a group that contains them is bound to it.'),
        },
        {
          text: msg('In the next step, use the issuer https://oauth.id.jumpcloud.com/ (with the trailing slash) and the client ID and secret you copied.'),
        },
      ],
    };
  },
  attributeDefaults: {
    saml: { ...SAML_SIMPLE_NAMES, groups: 'memberOf' },
    oidc: { ...OIDC_STANDARD_CLAIMS },
  },
  get configureHints(): ProviderDefinition['configureHints'] {
    return {
      saml: {
        metadataLocation: msg('In JumpCloud, on the app’s **SSO** tab: **Copy Metadata URL** (or **Export Metadata** for the XML file).'),
      },
      oidc: {
        issuerExample: 'https://oauth.id.jumpcloud.com/',
        clientLocation: msg('In JumpCloud, in the window shown when you activated the app (the secret is shown once).'),
      },
    };
  },
  get helpLinks(): ProviderDefinition['helpLinks'] {
    return [
      { label: msg('JumpCloud: SSO application connector fields'), url: 'https://jumpcloud.com/support/sso-application-connector-fields', protocol: 'saml' },
      { label: msg('JumpCloud: SSO with OIDC'), url: 'https://jumpcloud.com/support/sso-with-oidc', protocol: 'oidc' },
      { label: msg('JumpCloud: OIDC attributes (claims)'), url: 'https://jumpcloud.com/support/oidc-attributes-claims', protocol: 'oidc' },
    ];
  },

  get idpInitiatedTest(): ProviderDefinition['idpInitiatedTest'] {
    return {
      saml: msg('Sign in to the JumpCloud User Portal as the test user and click the app’s tile, or open the app’s **IDP URL** (https://sso.jumpcloud.com/saml2/ followed by the app’s name, on the **SSO** tab).'),
      oidc: msg('JumpCloud has no IdP-initiated OpenID Connect login: the User Portal tile opens the app’s **Login URL**, which starts a normal login. Use the test from this page.'),
    };
  },
  get attributeHints(): ProviderDefinition['attributeHints'] {
    return {
      saml: {
        email: msg('JumpCloud sends only the **Attributes** on the app’s **SSO** tab: add this name as **Service Provider Attribute Name** with the **JumpCloud Attribute Name** **email**.'),
        firstName: msg('Under **Attributes**, add this name with the **JumpCloud Attribute Name** **firstname**.'),
        lastName: msg('Under **Attributes**, add this name with the **JumpCloud Attribute Name** **lastname**.'),
        groups: msg('Check **include group attribute** under **Attributes** and use this name.'),
      },
      oidc: {
        email: msg('JumpCloud sends **email** when the **Email** standard scope is checked under **Attribute Mapping**.'),
        firstName: msg('JumpCloud sends **given_name** when the **Profile** standard scope is checked under **Attribute Mapping**.'),
        lastName: msg('JumpCloud sends **family_name** when the **Profile** standard scope is checked under **Attribute Mapping**.'),
        groups: msg('Check **Include group attribute** under **Attribute Mapping** and use this name.'),
      },
    };
  },
};
