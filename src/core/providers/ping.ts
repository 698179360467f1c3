/**
 * Ping Identity: an application in PingOne (the steps), or an SP connection / OAuth client in
 * PingFederate (the notes).
 */
import { OIDC_STANDARD_CLAIMS, SAML_SIMPLE_NAMES } from './common.js';
import { providerSummary } from './summaries.js';
import type { ProviderDefinition } from './types.js';
import { msg } from '../../portal/localize/msg.js';

const access = () => ({
  text: msg('On the **Access** tab, click the pencil icon, add the groups whose users may sign in, and click **Save**.'),
  note: msg('With no group selected, every user of the environment can sign in.'),
});

const enable = () => ({
  text: msg('Turn on the toggle at the top right of the application to enable it.'),
  note: msg('A new PingOne application is disabled and refuses every sign-in until you turn it on.'),
});

export const ping: ProviderDefinition = {
  ...providerSummary('ping'),
  get guides(): ProviderDefinition['guides'] {
    return {
      saml: [
        {
          text: msg('In the PingOne admin console, open your environment, go to **Applications** > **Applications**, and click the **+** icon.'),
          note: msg('Using PingFederate? Go to **Applications** > **Integration** > **SP Connections**, click **Create Connection**, choose **Browser SSO Profiles** with **SAML 2.0**, and import our metadata file on the **Import Metadata** page.'),
        },
        {
          text: msg('Enter an **Application Name**, choose **SAML Application**, and click **Configure**.'),
        },
        {
          text: msg('Under **SAML Configuration**, choose **Manually Enter**, paste these values, and click **Save**.'),
          fields: [
            { value: 'acsUrl', label: 'ACS URLs' },
            { value: 'entityId', label: 'Entity ID' },
          ],
          offerSpMetadata: true,
          note: msg('Or choose **Import Metadata** and upload our metadata file.'),
        },
        {
          text: msg('To have PingOne encrypt the assertions (optional), on the **Configuration** tab click the pencil icon, check **Enable Encryption**, choose **AES_256** and **RSA_OAEP**, import our encryption certificate, and click **Save**.'),
          offerSpCertificate: 'encryption',
          note: msg('PingFederate: on the SP connection, under **Protocol Settings** > **Encryption Policy**, choose **The entire assertion**, and under **Credentials** select our certificate as the **XML Encryption Certificate**.'),
        },
        {
          text: msg('On the **Attribute Mappings** tab, click the pencil icon, map **saml_subject** to **Email Address**, and click **+ Add** for each attribute below, mapped to **Email Address**, **Given Name**, **Family Name** and, for groups, **Group Names** (optional). Click **Save**.'),
          fields: [
            { value: 'attribute:email', label: 'Attributes (Email Address)' },
            { value: 'attribute:firstName', label: 'Attributes (Given Name)' },
            { value: 'attribute:lastName', label: 'Attributes (Family Name)' },
            { value: 'attribute:groups', label: 'Attributes (Group Names)' },
          ],
          note: msg('PingFederate: extend the **Attribute Contract** of the SP connection with these names and fulfil them from your data store.'),
        },
        access(),
        enable(),
        {
          text: msg('On the **Configuration** tab, copy the **IDP Metadata URL** (or click **Download Metadata**) and paste it in the next step.'),
          note: msg('PingFederate publishes the metadata at https://your-pingfederate-host:9031/pf/federation_metadata.ping?PartnerSpId= followed by our entity ID.'),
        },
      ],
      oidc: [
        {
          text: msg('In the PingOne admin console, open your environment, go to **Applications** > **Applications**, and click the **+** icon.'),
          note: msg('Using PingFederate? Go to **Applications** > **OAuth** > **Clients**, click **Add Client**, choose **Client Secret** authentication and the **Authorization Code** grant, and add our redirect URI under **Redirection URIs**.'),
        },
        {
          text: msg('Enter an **Application Name**, choose **OIDC Web App**, and click **Save**.'),
        },
        {
          text: msg('On the **Configuration** tab, click the pencil icon, paste this value into **Redirect URIs**, and click **Save**.'),
          fields: [{ value: 'oidcRedirectUri', label: 'Redirect URIs' }],
        },
        {
          text: msg('On the **Resources** tab, click the pencil icon, add the **email** and **profile** scopes, and click **Save**. To send groups, add an attribute named as below mapped to **Group Names** on the **Attribute Mappings** tab (optional).'),
          fields: [{ value: 'attribute:groups', label: 'Attributes (Group Names)' }],
        },
        access(),
        enable(),
        {
          text: msg('On the **Configuration** tab, expand **URLs** and copy the **Issuer**, then copy the **Client ID** and **Client Secret**.'),
          note: msg('PingFederate: the issuer is your PingFederate base URL, such as https://sso.acme.com:9031.'),
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
        metadataUrlExample: 'https://auth.pingone.com/00000000-0000-0000-0000-000000000000/saml20/metadata/00000000-0000-0000-0000-000000000000',
        metadataLocation: msg('In PingOne, on the application’s **Configuration** tab: **IDP Metadata URL**. In PingFederate: /pf/federation_metadata.ping?PartnerSpId= and our entity ID.'),
      },
      oidc: {
        issuerExample: 'https://auth.pingone.com/00000000-0000-0000-0000-000000000000/as',
        clientLocation: msg('In PingOne, on the application’s **Configuration** tab (the issuer under **URLs**).'),
      },
    };
  },
  get helpLinks(): ProviderDefinition['helpLinks'] {
    return [
      { label: msg('PingOne: Add a SAML application'), url: 'https://docs.pingidentity.com/r/en-us/pingone/pingone_p1tutorial_add_a_saml_app', protocol: 'saml' },
      {
        label: msg('PingOne: Edit the scopes of an application'),
        url: 'https://docs.pingidentity.com/pingone/applications/p1_edit_scopes_for_an_application.html',
        protocol: 'oidc',
      },
      {
        label: msg('PingFederate: Set up an OIDC application'),
        url: 'https://docs.pingidentity.com/solution-guides/customer_use_cases/htg_oidc_app_setup_pf.html',
        protocol: 'oidc',
      },
    ];
  },

  get idpInitiatedTest(): ProviderDefinition['idpInitiatedTest'] {
    return {
      saml: msg('PingOne: open the application’s **Initiate Single Sign-On URL** (on its **Configuration** tab: https://auth.pingone.com/ with your environment ID, /saml20/idp/startsso?spEntityId= and our Entity ID) and sign in as the test user. PingFederate: open /idp/startSSO.ping?PartnerSpId= followed by our Entity ID on your PingFederate host.'),
      oidc: msg('PingOne and PingFederate have no IdP-initiated OpenID Connect login: a portal tile only opens the app, which starts a normal login. Use the test from this page.'),
    };
  },
  get attributeHints(): ProviderDefinition['attributeHints'] {
    return {
      saml: {
        email: msg('PingOne sends only the attributes on the application’s **Attribute Mappings** tab: add this name mapped to **Email Address**.'),
        firstName: msg('On the **Attribute Mappings** tab, add this name mapped to **Given Name**.'),
        lastName: msg('On the **Attribute Mappings** tab, add this name mapped to **Family Name**.'),
        groups: msg('On the **Attribute Mappings** tab, add this name mapped to **Group Names**.'),
      },
      oidc: {
        email: msg('PingOne sends **email** for the **email** scope (the application’s **Resources** tab).'),
        firstName: msg('PingOne sends **given_name** for the **profile** scope (the application’s **Resources** tab).'),
        lastName: msg('PingOne sends **family_name** for the **profile** scope (the application’s **Resources** tab).'),
        groups: msg('On the **Attribute Mappings** tab, add this name mapped to **Group Names**.'),
      },
    };
  },
};
