/** OneLogin: the SAML Custom Connector (Advanced) or the OpenId Connect (OIDC) connector. */
import { OIDC_STANDARD_CLAIMS, SAML_SIMPLE_NAMES, monogramLogo } from './common.js';
import type { ProviderDefinition } from './types.js';

export const oneLogin: ProviderDefinition = {
  id: 'onelogin',
  name: 'OneLogin',
  aliases: ['One Login', 'One Identity OneLogin'],
  protocols: ['saml', 'oidc'],
  logo: monogramLogo('#3b5bdb', '1L'),
  guides: {
    saml: [
      {
        text: 'In the OneLogin admin portal, go to **Applications** > **Applications** and click **Add App**.',
      },
      {
        text: 'Search for **SAML Custom Connector (Advanced)**, select it, enter a **Display Name**, and click **Save**.',
      },
      {
        text: 'On the **Configuration** tab, paste these values and click **Save**.',
        fields: [
          { value: 'entityId', label: 'Audience (EntityID)' },
          { value: 'acsUrl', label: 'Recipient' },
          { value: 'acsUrl', label: 'ACS (Consumer) URL Validator' },
          { value: 'acsUrl', label: 'ACS (Consumer) URL' },
        ],
        note: '**ACS (Consumer) URL Validator** is a regular expression: the exact URL works as it is.',
      },
      {
        text: 'On the **Parameters** tab, click **+** for each row: enter the **Field name** below, check **Include in SAML assertion**, click **Save**, choose the **Value** (**Email**, **First Name**, **Last Name**), and click **Save**.',
        fields: [
          { value: 'attribute:email', label: 'Field name (value Email)' },
          { value: 'attribute:firstName', label: 'Field name (value First Name)' },
          { value: 'attribute:lastName', label: 'Field name (value Last Name)' },
          { value: 'attribute:groups', label: 'Field name (value User Roles)' },
        ],
        note: 'For groups (optional), also check **Multi-value parameter** and choose **User Roles** as the value. Click **Save** at the top right when you are done.',
      },
      {
        text: 'On the **Access** tab, check the roles whose users may sign in and click **Save** (or assign the app to a user on that user’s **Applications** tab).',
        note: 'OneLogin refuses users who do not have the app through a role or a direct assignment, including you when you test.',
      },
      {
        text: 'On the **SSO** tab, copy the **Issuer URL**: it is the app’s metadata URL. Paste it in the next step (or use **More Actions** > **SAML Metadata** to download the XML).',
      },
    ],
    oidc: [
      {
        text: 'In the OneLogin admin portal, go to **Applications** > **Applications** and click **Add App**.',
      },
      {
        text: 'Search for **OpenId Connect (OIDC)**, select it, enter a **Display Name**, and click **Save**.',
      },
      {
        text: "On the **Configuration** tab, paste this value into **Redirect URI's** and click **Save**.",
        fields: [{ value: 'oidcRedirectUri', label: "Redirect URI's" }],
      },
      {
        text: 'On the **SSO** tab, set **Application Type** to **Web** and **Token Endpoint** > **Authentication Method** to **Basic**, and click **Save**.',
      },
      {
        text: 'To send groups, on the **Parameters** tab open **Groups**, set its value (for example **User Roles**), and click **Save** (optional).',
        note: 'OneLogin sends **email**, **given_name** and **family_name** for the **email** and **profile** scopes we request, and **groups** for the groups scope.',
      },
      {
        text: 'On the **Access** tab, check the roles whose users may sign in and click **Save** (or assign the app to a user on that user’s **Applications** tab).',
        note: 'OneLogin refuses users who do not have the app, including you when you test.',
      },
      {
        text: 'On the **SSO** tab, copy the **Client ID**, click **Show client secret** to copy the **Client Secret**, and copy the **Issuer URL** (such as https://acme.onelogin.com/oidc/2).',
      },
    ],
  },
  attributeDefaults: {
    saml: { ...SAML_SIMPLE_NAMES },
    oidc: { ...OIDC_STANDARD_CLAIMS },
  },
  configureHints: {
    saml: {
      metadataUrlExample: 'https://acme.onelogin.com/saml/metadata/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
      metadataLocation: 'In OneLogin, on the app’s **SSO** tab: **Issuer URL** (it is the metadata URL).',
    },
    oidc: {
      issuerExample: 'https://acme.onelogin.com/oidc/2',
      clientLocation: 'In OneLogin, on the app’s **SSO** tab (**Show client secret** reveals the secret).',
    },
  },
  helpLinks: [
    { label: 'OneLogin: SAML developer overview', url: 'https://developers.onelogin.com/saml', protocol: 'saml' },
    { label: 'OneLogin: Connect an OIDC app', url: 'https://developers.onelogin.com/openid-connect/connect-to-onelogin', protocol: 'oidc' },
  ],
};
