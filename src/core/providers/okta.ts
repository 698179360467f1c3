/** Okta (Workforce Identity): a SAML 2.0 or OIDC app integration in the Okta Admin Console. */
import { OIDC_STANDARD_CLAIMS, SAML_SIMPLE_NAMES } from './common.js';
import { providerSummary } from './summaries.js';
import { msg } from '../../portal/localize/msg.js';
import type { ProviderDefinition } from './types.js';

export const okta: ProviderDefinition = {
  ...providerSummary('okta'),
  get guides(): ProviderDefinition['guides'] {
    return {
      saml: [
        {
          text: msg('In the Okta Admin Console, go to **Applications** > **Applications** and click **Create App Integration**.'),
          note: msg('You need the **Super Administrator** or **Application Administrator** role.'),
        },
        {
          text: msg('Select **SAML 2.0** as the **Sign-in method** and click **Next**; enter an **App name** and click **Next**.'),
        },
        {
          text: msg('Under **SAML Settings**, paste these values, keep **Use this for Recipient URL and Destination URL** checked, and set **Name ID format** to **EmailAddress** and **Application username** to **Email**.'),
          fields: [
            { value: 'acsUrl', label: 'Single sign-on URL' },
            { value: 'entityId', label: 'Audience URI (SP Entity ID)' },
          ],
          note: msg('Paste the values exactly: one character off in **Audience URI** (a trailing slash, http instead of https) fails every login.'),
        },
        {
          text: msg('Under **Attribute Statements**, add one row per attribute with **Name format** **Unspecified**: the names below with the values **user.email**, **user.firstName** and **user.lastName**. To send groups, add a **Group Attribute Statements** row named as below with the filter **Matches regex** and the value .* (optional).'),
          fields: [
            { value: 'attribute:email', label: 'Name (value user.email)' },
            { value: 'attribute:firstName', label: 'Name (value user.firstName)' },
            { value: 'attribute:lastName', label: 'Name (value user.lastName)' },
            { value: 'attribute:groups', label: 'Name (Group Attribute Statements)' },
          ],
          note: msg('If the wizard does not show these sections, add them after saving, on the app’s **Sign On** tab under **Attribute statements**.'),
        },
        {
          text: msg('To have Okta encrypt the assertions (optional), click **Show Advanced Settings**, set **Assertion Encryption** to **Encrypted**, **Encryption Algorithm** to **AES256-GCM**, **Key Transport Algorithm** to **RSA-OAEP**, and upload our encryption certificate as **Encryption Certificate**.'),
          offerSpCertificate: 'encryption',
        },
        {
          text: msg('Click **Next**; on the feedback page check **This is an internal app that we have created** and click **Finish**.'),
        },
        {
          text: msg('On the app’s **Assignments** tab, click **Assign** > **Assign to People** or **Assign to Groups**, assign yourself and the users who will sign in, and click **Done**.'),
          note: msg('Okta refuses users who are not assigned to the app, including you when you test.'),
        },
        {
          text: msg('On the **Sign On** tab, copy the **Metadata URL** shown under **SAML 2.0** and paste it in the next step.'),
        },
      ],
      oidc: [
        {
          text: msg('In the Okta Admin Console, go to **Applications** > **Applications** and click **Create App Integration**.'),
          note: msg('You need the **Super Administrator** or **Application Administrator** role.'),
        },
        {
          text: msg('Select **OIDC - OpenID Connect** as the **Sign-in method** and **Web Application** as the **Application type**, then click **Next**.'),
        },
        {
          text: msg('Enter an **App integration name**, keep **Authorization Code** checked under **Grant type**, and replace the example in **Sign-in redirect URIs** with this value.'),
          fields: [{ value: 'oidcRedirectUri', label: 'Sign-in redirect URIs' }],
          note: msg('Remove the localhost example Okta prefills and leave **Sign-out redirect URIs** empty. The redirect URI must match exactly.'),
        },
        {
          text: msg('Under **Assignments** > **Controlled access**, choose **Limit access to selected groups** and pick the groups who will sign in (or **Allow everyone in your organization to access**), then click **Save**.'),
          note: msg('Okta refuses users outside these groups, including you when you test.'),
        },
        {
          text: msg('To send groups, open the **Sign On** tab, click **Edit** in **OpenID Connect ID Token**, set **Groups claim type** to **Filter** and **Groups claim filter** to the name below with **Matches regex** and the value .*, then click **Save** (optional).'),
          fields: [{ value: 'attribute:groups', label: 'Groups claim filter' }],
          note: msg('Okta sends **email**, **given_name** and **family_name** for the **email** and **profile** scopes we request: nothing to map for those.'),
        },
        {
          text: msg('On the **General** tab, copy the **Client ID** and **Client secret** under **Client Credentials**. The issuer is your Okta domain, such as https://acme.okta.com.'),
          note: msg('Use the Okta domain, not the admin console’s address (acme-admin.okta.com).'),
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
        metadataUrlExample: 'https://acme.okta.com/app/exk1a2b3c4d5e6f7g8h9/sso/saml/metadata',
        metadataLocation: msg('In Okta, on the app’s **Sign On** tab, under **SAML 2.0**: **Metadata URL**.'),
      },
      oidc: {
        issuerExample: 'https://acme.okta.com',
        clientLocation: msg('In Okta, on the app’s **General** tab, under **Client Credentials**.'),
      },
    };
  },
  get helpLinks(): ProviderDefinition['helpLinks'] {
    return [
      { label: msg('Okta: Create SAML app integrations'), url: 'https://help.okta.com/en-us/content/topics/apps/apps_app_integration_wizard_saml.htm', protocol: 'saml' },
      { label: msg('Okta: Create OIDC app integrations'), url: 'https://help.okta.com/en-us/content/topics/apps/apps_app_integration_wizard_oidc.htm', protocol: 'oidc' },
      { label: msg('Okta: Assign app integrations'), url: 'https://help.okta.com/en-us/content/topics/provisioning/lcm/lcm-assign-app-groups.htm' },
    ];
  },

  get idpInitiatedTest(): ProviderDefinition['idpInitiatedTest'] {
    return {
      saml: msg('Sign in to your Okta End-User Dashboard (https://acme.okta.com/app/UserHome, with your Okta domain) as the test user and click the app’s tile. No tile? On the app’s **General** tab, uncheck **Do not display application icon to users** under **App Settings**.'),
      oidc: msg('Okta has no IdP-initiated OpenID Connect login: a dashboard tile (with **Login initiated by** set to **Either Okta or App**) only opens the app’s **Initiate login URI**, which starts a normal login. Use the test from this page.'),
    };
  },
  get attributeHints(): ProviderDefinition['attributeHints'] {
    return {
      saml: {
        email: msg('Okta sends only the **Attribute Statements** you add: add one with this name and the value **user.email**.'),
        firstName: msg('Add an **Attribute Statements** row with this name and the value **user.firstName**.'),
        lastName: msg('Add an **Attribute Statements** row with this name and the value **user.lastName**.'),
        groups: msg('Add a **Group Attribute Statements** row with this name and the filter **Matches regex** .* (or the groups to send).'),
      },
      oidc: {
        email: msg('Okta sends **email** for the **email** scope, for users with a primary email.'),
        firstName: msg('Okta sends **given_name** for the **profile** scope.'),
        lastName: msg('Okta sends **family_name** for the **profile** scope.'),
        groups: msg('Okta sends groups only with a **Groups claim filter** (on the **Sign On** tab, **OpenID Connect ID Token**) named as mapped.'),
      },
    };
  },
};
