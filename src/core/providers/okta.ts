/** Okta (Workforce Identity): a SAML 2.0 or OIDC app integration in the Okta Admin Console. */
import { OIDC_STANDARD_CLAIMS, SAML_SIMPLE_NAMES, monogramLogo } from './common.js';
import type { ProviderDefinition } from './types.js';

export const okta: ProviderDefinition = {
  id: 'okta',
  name: 'Okta',
  aliases: ['Okta Workforce Identity', 'Okta SSO'],
  protocols: ['saml', 'oidc'],
  logo: monogramLogo('#0073b8', 'O'),
  guides: {
    saml: [
      {
        text: 'In the Okta Admin Console, go to **Applications** > **Applications** and click **Create App Integration**.',
        note: 'You need the **Super Administrator** or **Application Administrator** role.',
      },
      {
        text: 'Select **SAML 2.0** as the **Sign-in method** and click **Next**; enter an **App name** and click **Next**.',
      },
      {
        text: 'Under **SAML Settings**, paste these values, keep **Use this for Recipient URL and Destination URL** checked, and set **Name ID format** to **EmailAddress** and **Application username** to **Email**.',
        fields: [
          { value: 'acsUrl', label: 'Single sign-on URL' },
          { value: 'entityId', label: 'Audience URI (SP Entity ID)' },
        ],
        note: 'Paste the values exactly: one character off in **Audience URI** (a trailing slash, http instead of https) fails every login.',
      },
      {
        text: 'Under **Attribute Statements**, add one row per attribute with **Name format** **Unspecified**: the names below with the values **user.email**, **user.firstName** and **user.lastName**. To send groups, add a **Group Attribute Statements** row named as below with the filter **Matches regex** and the value .* (optional).',
        fields: [
          { value: 'attribute:email', label: 'Name (value user.email)' },
          { value: 'attribute:firstName', label: 'Name (value user.firstName)' },
          { value: 'attribute:lastName', label: 'Name (value user.lastName)' },
          { value: 'attribute:groups', label: 'Name (Group Attribute Statements)' },
        ],
        note: 'If the wizard does not show these sections, add them after saving, on the app’s **Sign On** tab under **Attribute statements**.',
      },
      {
        text: 'Click **Next**; on the feedback page check **This is an internal app that we have created** and click **Finish**.',
      },
      {
        text: 'On the app’s **Assignments** tab, click **Assign** > **Assign to People** or **Assign to Groups**, assign yourself and the users who will sign in, and click **Done**.',
        note: 'Okta refuses users who are not assigned to the app, including you when you test.',
      },
      {
        text: 'On the **Sign On** tab, copy the **Metadata URL** shown under **SAML 2.0** and paste it in the next step.',
      },
    ],
    oidc: [
      {
        text: 'In the Okta Admin Console, go to **Applications** > **Applications** and click **Create App Integration**.',
        note: 'You need the **Super Administrator** or **Application Administrator** role.',
      },
      {
        text: 'Select **OIDC - OpenID Connect** as the **Sign-in method** and **Web Application** as the **Application type**, then click **Next**.',
      },
      {
        text: 'Enter an **App integration name**, keep **Authorization Code** checked under **Grant type**, and replace the example in **Sign-in redirect URIs** with this value.',
        fields: [{ value: 'oidcRedirectUri', label: 'Sign-in redirect URIs' }],
        note: 'Remove the localhost example Okta prefills and leave **Sign-out redirect URIs** empty. The redirect URI must match exactly.',
      },
      {
        text: 'Under **Assignments** > **Controlled access**, choose **Limit access to selected groups** and pick the groups who will sign in (or **Allow everyone in your organization to access**), then click **Save**.',
        note: 'Okta refuses users outside these groups, including you when you test.',
      },
      {
        text: 'To send groups, open the **Sign On** tab, click **Edit** in **OpenID Connect ID Token**, set **Groups claim type** to **Filter** and **Groups claim filter** to the name below with **Matches regex** and the value .*, then click **Save** (optional).',
        fields: [{ value: 'attribute:groups', label: 'Groups claim filter' }],
        note: 'Okta sends **email**, **given_name** and **family_name** for the **email** and **profile** scopes we request: nothing to map for those.',
      },
      {
        text: 'On the **General** tab, copy the **Client ID** and **Client secret** under **Client Credentials**. The issuer is your Okta domain, such as https://acme.okta.com.',
        note: 'Use the Okta domain, not the admin console’s address (acme-admin.okta.com).',
      },
    ],
  },
  attributeDefaults: {
    saml: { ...SAML_SIMPLE_NAMES },
    oidc: { ...OIDC_STANDARD_CLAIMS },
  },
  configureHints: {
    saml: {
      metadataUrlExample: 'https://acme.okta.com/app/exk1a2b3c4d5e6f7g8h9/sso/saml/metadata',
      metadataLocation: 'In Okta, on the app’s **Sign On** tab, under **SAML 2.0**: **Metadata URL**.',
    },
    oidc: {
      issuerExample: 'https://acme.okta.com',
      clientLocation: 'In Okta, on the app’s **General** tab, under **Client Credentials**.',
    },
  },
  helpLinks: [
    { label: 'Okta: Create SAML app integrations', url: 'https://help.okta.com/en-us/content/topics/apps/apps_app_integration_wizard_saml.htm', protocol: 'saml' },
    { label: 'Okta: Create OIDC app integrations', url: 'https://help.okta.com/en-us/content/topics/apps/apps_app_integration_wizard_oidc.htm', protocol: 'oidc' },
    { label: 'Okta: Assign app integrations', url: 'https://help.okta.com/en-us/content/topics/provisioning/lcm/lcm-assign-app-groups.htm' },
  ],
};
