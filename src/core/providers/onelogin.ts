/** OneLogin: the SAML Custom Connector (Advanced) or the OpenId Connect (OIDC) connector. */
import { OIDC_STANDARD_CLAIMS, SAML_SIMPLE_NAMES } from './common.js';
import { providerSummary } from './summaries.js';
import type { ProviderDefinition } from './types.js';
import { msg } from '../../portal/localize/msg.js';

export const oneLogin: ProviderDefinition = {
  ...providerSummary('onelogin'),
  get guides(): ProviderDefinition['guides'] {
    return {
      saml: [
        {
          text: msg('In the OneLogin admin portal, go to **Applications** > **Applications** and click **Add App**.'),
        },
        {
          text: msg('Search for **SAML Custom Connector (Advanced)**, select it, enter a **Display Name**, and click **Save**.'),
        },
        {
          text: msg('On the **Configuration** tab, paste these values and click **Save**.'),
          fields: [
            { value: 'entityId', label: 'Audience (EntityID)' },
            { value: 'acsUrl', label: 'Recipient' },
            { value: 'acsUrl', label: 'ACS (Consumer) URL Validator' },
            { value: 'acsUrl', label: 'ACS (Consumer) URL' },
          ],
          note: msg('**ACS (Consumer) URL Validator** is a regular expression: the exact URL works as it is.'),
        },
        {
          text: msg('On the **Parameters** tab, click **+** for each row: enter the **Field name** below, check **Include in SAML assertion**, click **Save**, choose the **Value** (**Email**, **First Name**, **Last Name**), and click **Save**.'),
          fields: [
            { value: 'attribute:email', label: 'Field name (value Email)' },
            { value: 'attribute:firstName', label: 'Field name (value First Name)' },
            { value: 'attribute:lastName', label: 'Field name (value Last Name)' },
            { value: 'attribute:groups', label: 'Field name (value User Roles)' },
          ],
          note: msg('For groups (optional), also check **Multi-value parameter** and choose **User Roles** as the value. Click **Save** at the top right when you are done.'),
        },
        {
          text: msg('On the **Access** tab, check the roles whose users may sign in and click **Save** (or assign the app to a user on that user’s **Applications** tab).'),
          note: msg('OneLogin refuses users who do not have the app through a role or a direct assignment, including you when you test.'),
        },
        {
          text: msg('On the **SSO** tab, copy the **Issuer URL**: it is the app’s metadata URL. Paste it in the next step (or use **More Actions** > **SAML Metadata** to download the XML).'),
        },
      ],
      oidc: [
        {
          text: msg('In the OneLogin admin portal, go to **Applications** > **Applications** and click **Add App**.'),
        },
        {
          text: msg('Search for **OpenId Connect (OIDC)**, select it, enter a **Display Name**, and click **Save**.'),
        },
        {
          text: msg("On the **Configuration** tab, paste this value into **Redirect URI's** and click **Save**."),
          fields: [{ value: 'oidcRedirectUri', label: "Redirect URI's" }],
        },
        {
          text: msg('On the **SSO** tab, set **Application Type** to **Web** and **Token Endpoint** > **Authentication Method** to **Basic**, and click **Save**.'),
        },
        {
          text: msg('To send groups, on the **Parameters** tab open **Groups**, set its value (for example **User Roles**), and click **Save** (optional).'),
          note: msg('OneLogin sends **email**, **given_name** and **family_name** for the **email** and **profile** scopes we request, and **groups** for the groups scope.'),
        },
        {
          text: msg('On the **Access** tab, check the roles whose users may sign in and click **Save** (or assign the app to a user on that user’s **Applications** tab).'),
          note: msg('OneLogin refuses users who do not have the app, including you when you test.'),
        },
        {
          text: msg('On the **SSO** tab, copy the **Client ID**, click **Show client secret** to copy the **Client Secret**, and copy the **Issuer URL** (such as https://acme.onelogin.com/oidc/2).'),
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
        metadataUrlExample: 'https://acme.onelogin.com/saml/metadata/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
        metadataLocation: msg('In OneLogin, on the app’s **SSO** tab: **Issuer URL** (it is the metadata URL).'),
      },
      oidc: {
        issuerExample: 'https://acme.onelogin.com/oidc/2',
        clientLocation: msg('In OneLogin, on the app’s **SSO** tab (**Show client secret** reveals the secret).'),
      },
    };
  },
  get helpLinks(): ProviderDefinition['helpLinks'] {
    return [
      { label: msg('OneLogin: SAML developer overview'), url: 'https://developers.onelogin.com/saml', protocol: 'saml' },
      { label: msg('OneLogin: Connect an OIDC app'), url: 'https://developers.onelogin.com/openid-connect/connect-to-onelogin', protocol: 'oidc' },
    ];
  },

  get idpInitiatedTest(): ProviderDefinition['idpInitiatedTest'] {
    return {
      saml: msg('Sign in to your OneLogin portal as the test user and click the app’s tile: OneLogin posts the response to our ACS URL.'),
      oidc: msg('OneLogin has no IdP-initiated OpenID Connect login: a portal tile opens the app’s **Login Url** (on the **Configuration** tab), which starts a normal login. Use the test from this page.'),
    };
  },
  get attributeHints(): ProviderDefinition['attributeHints'] {
    return {
      saml: {
        email: msg('OneLogin sends only the **Parameters** with **Include in SAML assertion** checked: add this name with the value **Email**.'),
        firstName: msg('On the **Parameters** tab, add this name with the value **First Name** and **Include in SAML assertion** checked.'),
        lastName: msg('On the **Parameters** tab, add this name with the value **Last Name** and **Include in SAML assertion** checked.'),
        groups: msg('On the **Parameters** tab, add this name with the value **User Roles**, **Include in SAML assertion** and **Multi-value parameter** checked.'),
      },
      oidc: {
        email: msg('OneLogin sends **email** for the **email** scope.'),
        firstName: msg('OneLogin sends **given_name** for the **profile** scope.'),
        lastName: msg('OneLogin sends **family_name** for the **profile** scope.'),
        groups: msg('Set a value for **Groups** on the app’s **Parameters** tab (such as **User Roles**) and request the groups scope.'),
      },
    };
  },
};
