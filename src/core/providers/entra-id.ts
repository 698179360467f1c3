/**
 * Microsoft Entra ID (formerly Azure AD): a non-gallery enterprise application for SAML, an app
 * registration for OIDC, in the Microsoft Entra admin center.
 */
import { OIDC_STANDARD_CLAIMS, WS_CLAIMS } from './common.js';
import { providerSummary } from './summaries.js';
import { msg } from '../../portal/localize/msg.js';
import type { ProviderDefinition } from './types.js';

export const entraId: ProviderDefinition = {
  ...providerSummary('entra-id'),
  get guides(): ProviderDefinition['guides'] {
    return {
      saml: [
        {
          text: msg('In the Microsoft Entra admin center, go to **Entra ID** > **Enterprise apps** and click **New application**.'),
          note: msg('Older menus show **Identity** > **Applications** > **Enterprise applications**. You need at least the **Cloud Application Administrator** role.'),
        },
        {
          text: msg("Click **Create your own application**, enter a name, select **Integrate any other application you don't find in the gallery (Non-gallery)**, and click **Create**."),
        },
        {
          text: msg('In the app’s menu, under **Manage**, select **Single sign-on**, then choose **SAML**.'),
        },
        {
          text: msg('In **Basic SAML Configuration**, click **Edit**, paste these values, and click **Save**.'),
          fields: [
            { value: 'entityId', label: 'Identifier (Entity ID)' },
            { value: 'acsUrl', label: 'Reply URL (Assertion Consumer Service URL)' },
          ],
          offerSpMetadata: true,
          note: msg('Or click **Upload metadata file** at the top of the page and choose our metadata file: it fills both fields. Leave **Sign on URL** and **Relay State** empty.'),
        },
        {
          text: msg('In **Attributes & Claims**, Entra already sends the email, given name and surname claims below. To send groups, click **Edit** > **Add a group claim**, choose **Groups assigned to the application**, and click **Save** (optional).'),
          fields: [
            { value: 'attribute:email', label: 'Claim name (user.mail)' },
            { value: 'attribute:firstName', label: 'Claim name (user.givenname)' },
            { value: 'attribute:lastName', label: 'Claim name (user.surname)' },
            { value: 'attribute:groups', label: 'Group claim name' },
          ],
          note: msg('**user.mail** is empty for users without a mailbox: if your user principal names are email addresses, set the email claim’s **Source attribute** to **user.userprincipalname**. Entra sends group object IDs, not names, except for groups synced from on-premises AD.'),
        },
        {
          text: msg('To have Entra encrypt the assertions (optional), under **Security** select **Token encryption**, click **Import Certificate**, choose our encryption certificate, then right-click it and choose **Activate token encryption certificate**.'),
          offerSpCertificate: 'encryption',
          note: msg('Entra encrypts with AES-256 and RSA-OAEP, which we decrypt. Token encryption needs Microsoft Entra ID P1 or P2.'),
        },
        {
          text: msg('Under **Manage** > **Users and groups**, click **Add user/group** and assign yourself and the users or groups who will sign in.'),
          note: msg('Unassigned users get error AADSTS50105 when **Assignment required?** is **Yes** (under **Properties**). Assigning groups needs Microsoft Entra ID P1 or P2; on the free tier, assign users one by one.'),
        },
        {
          text: msg('Back in **Single sign-on**, under **SAML Certificates**, copy the **App Federation Metadata Url** and paste it in the next step.'),
          note: msg('Use this app-specific URL (it ends with ?appid=…): the tenant-wide federation metadata without appid lists other signing certificates, and signatures would not verify.'),
        },
      ],
      oidc: [
        {
          text: msg('In the Microsoft Entra admin center, go to **Entra ID** > **App registrations** and click **New registration**.'),
          note: msg('Older menus show **Identity** > **Applications** > **App registrations**. You need at least the **Application Developer** role.'),
        },
        {
          text: msg('Enter a **Name**, keep the single-tenant option under **Supported account types**, select the **Web** platform under **Redirect URI**, paste this value, and click **Register**.'),
          fields: [{ value: 'oidcRedirectUri', label: 'Redirect URI' }],
          note: msg('Choose **Web**, not **Single-page application**: a single-page app registration cannot use a client secret.'),
        },
        {
          text: msg('Under **Manage** > **Certificates & secrets**, click **New client secret**, choose an expiry, click **Add**, and copy the secret’s **Value** right away.'),
          note: msg('Copy **Value**, not **Secret ID**: Entra shows the value only once. Sign-ins stop when the secret expires, so note the date.'),
        },
        {
          text: msg('Under **Manage** > **Token configuration**, click **Add optional claim**, choose **ID**, check **email**, **family_name** and **given_name**, and click **Add**, accepting **Turn on the Microsoft Graph email, profile permission**. To send groups, click **Add groups claim** and choose **Groups assigned to the application** (optional).'),
          note: msg('The **email** claim is only sent for users whose **Email** attribute is set.'),
        },
        {
          text: msg('To choose who may sign in, open **Entra ID** > **Enterprise apps**, select the same app, set **Assignment required?** to **Yes** under **Properties**, and add users or groups under **Users and groups**.'),
          note: msg('Without this, every user of your tenant can sign in. Once it is on, unassigned users (you included) get error AADSTS50105.'),
        },
        {
          text: msg('On the app registration’s **Overview**, copy the **Application (client) ID** and the **Directory (tenant) ID**. The issuer is https://login.microsoftonline.com/ followed by the tenant ID and /v2.0.'),
          note: msg('Do not use common or organizations in place of the tenant ID: tokens carry your tenant’s issuer.'),
        },
      ],
    };
  },
  attributeDefaults: {
    saml: { email: WS_CLAIMS.email, firstName: WS_CLAIMS.givenName, lastName: WS_CLAIMS.surname, groups: WS_CLAIMS.entraGroups },
    oidc: { ...OIDC_STANDARD_CLAIMS },
  },
  get configureHints(): ProviderDefinition['configureHints'] {
    return {
      saml: {
        metadataUrlExample:
          'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/federationmetadata/2007-06/federationmetadata.xml?appid=00000000-0000-0000-0000-000000000000',
        metadataLocation: msg('In Entra, on the app’s **Single sign-on** page, under **SAML Certificates**: **App Federation Metadata Url**.'),
      },
      oidc: {
        issuerExample: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0',
        clientLocation: msg('In Entra, on the app registration’s **Overview** (**Application (client) ID**); the secret under **Certificates & secrets**.'),
      },
    };
  },
  get helpLinks(): ProviderDefinition['helpLinks'] {
    return [
      {
        label: msg('Microsoft: Enable SAML single sign-on for an enterprise application'),
        url: 'https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/add-application-portal-setup-sso',
        protocol: 'saml',
      },
      {
        label: msg('Microsoft: Customize SAML token claims'),
        url: 'https://learn.microsoft.com/en-us/entra/identity-platform/saml-claims-customization',
        protocol: 'saml',
      },
      {
        label: msg('Microsoft: Register an application'),
        url: 'https://learn.microsoft.com/en-us/entra/identity-platform/quickstart-register-app',
        protocol: 'oidc',
      },
      {
        label: msg('Microsoft: Optional claims'),
        url: 'https://learn.microsoft.com/en-us/entra/identity-platform/optional-claims',
        protocol: 'oidc',
      },
      {
        label: msg('Microsoft: Assign users and groups to an application'),
        url: 'https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/assign-user-or-group-access-portal',
      },
    ];
  },

  get idpInitiatedTest(): ProviderDefinition['idpInitiatedTest'] {
    return {
      saml: msg('In Entra, on the app’s **Single sign-on** page, go to **Test single sign-on** and click **Test**, then sign in as the current user; or open My Apps (https://myapps.microsoft.com) as an assigned user and select the app. Entra sends an IdP-initiated response only while **Sign on URL** in **Basic SAML Configuration** is empty.'),
      oidc: msg('Entra has no IdP-initiated OpenID Connect login: an app in My Apps only opens its home page, which starts a normal login. Use the test from this page.'),
    };
  },
  get attributeHints(): ProviderDefinition['attributeHints'] {
    return {
      saml: {
        email: msg('Entra sends it as http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress (source **user.mail**); add or fix it under **Attributes & Claims**.'),
        firstName: msg('Entra sends it as http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname (source **user.givenname**), under **Attributes & Claims**.'),
        lastName: msg('Entra sends it as http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname (source **user.surname**), under **Attributes & Claims**.'),
        groups: msg('Entra sends groups as http://schemas.microsoft.com/ws/2008/06/identity/claims/groups (object IDs) only after **Add a group claim** under **Attributes & Claims**.'),
      },
      oidc: {
        email: msg('Entra sends **email** only as an optional claim: add it under **Token configuration** > **Add optional claim** (**ID** token); it is empty for users without an **Email**.'),
        firstName: msg('Add the **given_name** optional claim under **Token configuration** (**ID** token).'),
        lastName: msg('Add the **family_name** optional claim under **Token configuration** (**ID** token).'),
        groups: msg('Click **Add groups claim** under **Token configuration**; Entra sends group object IDs.'),
      },
    };
  },
};
