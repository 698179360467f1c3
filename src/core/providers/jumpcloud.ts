/** JumpCloud: a Custom Application with SAML or OIDC single sign-on, in the JumpCloud Admin Portal. */
import { OIDC_STANDARD_CLAIMS, SAML_SIMPLE_NAMES, monogramLogo } from './common.js';
import type { ProviderDefinition } from './types.js';

const start = [
  {
    text: 'In the JumpCloud Admin Portal, go to **SSO Applications** and click **+ Add New Application**.',
    note: '**SSO Applications** is under **Access** (under **User Authentication** in older menus).',
  },
] as const;

export const jumpCloud: ProviderDefinition = {
  id: 'jumpcloud',
  name: 'JumpCloud',
  aliases: ['Jump Cloud'],
  protocols: ['saml', 'oidc'],
  logo: monogramLogo('#0f7a5a', 'JC'),
  guides: {
    saml: [
      ...start,
      {
        text: 'Select **Custom Application** and click **Next**; choose **Manage Single Sign-On (SSO)** > **Configure SSO with SAML** and click **Next**; enter a **Display Label**, continue, and click **Configure Application**.',
      },
      {
        text: 'On the **SSO** tab, enter an **IdP Entity ID** of your choice (such as the app’s name), paste these values, leave **SAMLSubject NameID** on **email**, and check **Declare Redirect Endpoint**.',
        fields: [
          { value: 'entityId', label: 'SP Entity ID' },
          { value: 'acsUrl', label: 'ACS URLs' },
        ],
        offerSpMetadata: true,
        note: 'Or click **Upload Metadata** and choose our metadata file to fill these values.',
      },
      {
        text: 'Under **Attributes**, click **add attribute** for each row: type the **Service Provider Attribute Name** below and choose the **JumpCloud Attribute Name** (**email**, **firstname**, **lastname**). To send groups, check **include group attribute** and use the name below (optional).',
        fields: [
          { value: 'attribute:email', label: 'Service Provider Attribute Name (email)' },
          { value: 'attribute:firstName', label: 'Service Provider Attribute Name (firstname)' },
          { value: 'attribute:lastName', label: 'Service Provider Attribute Name (lastname)' },
          { value: 'attribute:groups', label: 'Group attribute name' },
        ],
      },
      {
        text: 'Click **activate** (or **save** on an existing app) and confirm.',
      },
      {
        text: 'On the app’s **User Groups** tab, check the groups whose users may sign in (such as **All Users**) and click **save**.',
        note: 'A new app has no groups: JumpCloud refuses every user, you included, until a group that contains them is bound to it.',
      },
      {
        text: 'On the **SSO** tab, click **Copy Metadata URL** and paste it in the next step (or click **Export Metadata** to download the XML).',
      },
    ],
    oidc: [
      ...start,
      {
        text: 'Select **Custom Application** and click **Next**; choose **Manage Single Sign-On (SSO)** > **Configure SSO with OIDC** and click **Next**; enter a **Display Label**, continue, and click **Configure Application**.',
      },
      {
        text: 'On the **SSO** tab, paste this value into **Redirect URIs**, set **Client Authentication Type** to **Client Secret Basic**, and enter the address of the app’s sign-in page in **Login URL**.',
        fields: [{ value: 'oidcRedirectUri', label: 'Redirect URIs' }],
        note: 'Keep **Authorization Code** checked under **Grant Types**; do not choose **Public (None PKCE)**, which has no client secret.',
      },
      {
        text: 'Under **Attribute Mapping**, check the **Standard Scopes** **Email** and **Profile**. To send groups, check **Include group attribute** and use the name below (optional).',
        fields: [{ value: 'attribute:groups', label: 'Group attribute name' }],
      },
      {
        text: 'Click **activate**, confirm, and copy the **Client ID** and **Client Secret** from the window that opens.',
        note: 'JumpCloud shows the secret only once; if you lose it, generate a new one on the **SSO** tab.',
      },
      {
        text: 'On the app’s **User Groups** tab, check the groups whose users may sign in (such as **All Users**) and click **save**.',
        note: 'A new app has no groups: JumpCloud refuses every user, you included, until a group that contains them is bound to it.',
      },
      {
        text: 'In the next step, use the issuer https://oauth.id.jumpcloud.com/ (with the trailing slash) and the client ID and secret you copied.',
      },
    ],
  },
  attributeDefaults: {
    saml: { ...SAML_SIMPLE_NAMES, groups: 'memberOf' },
    oidc: { ...OIDC_STANDARD_CLAIMS },
  },
  configureHints: {
    saml: {
      metadataLocation: 'In JumpCloud, on the app’s **SSO** tab: **Copy Metadata URL** (or **Export Metadata** for the XML file).',
    },
    oidc: {
      issuerExample: 'https://oauth.id.jumpcloud.com/',
      clientLocation: 'In JumpCloud, in the window shown when you activated the app (the secret is shown once).',
    },
  },
  helpLinks: [
    { label: 'JumpCloud: SSO application connector fields', url: 'https://jumpcloud.com/support/sso-application-connector-fields', protocol: 'saml' },
    { label: 'JumpCloud: SSO with OIDC', url: 'https://jumpcloud.com/support/sso-with-oidc', protocol: 'oidc' },
    { label: 'JumpCloud: OIDC attributes (claims)', url: 'https://jumpcloud.com/support/oidc-attributes-claims', protocol: 'oidc' },
  ],
};
