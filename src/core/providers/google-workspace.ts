/** Google Workspace: a custom SAML app in the Google Admin console (SAML only). */
import { SAML_SIMPLE_NAMES } from './common.js';
import { providerSummary } from './summaries.js';
import { msg } from '../../portal/localize/msg.js';
import type { ProviderDefinition } from './types.js';

export const googleWorkspace: ProviderDefinition = {
  ...providerSummary('google-workspace'),
  get guides(): ProviderDefinition['guides'] {
    return {
      saml: [
        {
          text: msg('Sign in to the Google Admin console (admin.google.com) and go to **Apps** > **Web and mobile apps**.'),
          note: msg('Only a **super administrator** can create SAML apps.'),
        },
        {
          text: msg('Click **Add app** > **Add custom SAML app**, enter an **App name**, and click **Continue**.'),
        },
        {
          text: msg('On **Google Identity Provider details**, click **Download metadata** to save the IdP metadata file you will upload in the next step, then click **Continue**.'),
          note: msg('Google publishes no metadata URL: keep this file. You can download it again later from the app’s page.'),
        },
        {
          text: msg('On **Service provider details**, paste these values, set **Name ID format** to **EMAIL** and **Name ID** to **Basic Information > Primary email**, and click **Continue**.'),
          fields: [
            { value: 'acsUrl', label: 'ACS URL' },
            { value: 'entityId', label: 'Entity ID' },
          ],
        },
        {
          text: msg('On **Attribute mapping**, click **Add mapping** for each row: choose the Google Directory attribute (**Primary email**, **First name**, **Last name**) and type the app attribute name below. To send groups, pick them under **Group membership (optional)** with the app attribute below. Click **Finish**.'),
          fields: [
            { value: 'attribute:email', label: 'App attributes (Primary email)' },
            { value: 'attribute:firstName', label: 'App attributes (First name)' },
            { value: 'attribute:lastName', label: 'App attributes (Last name)' },
            { value: 'attribute:groups', label: 'App attribute (Group membership)' },
          ],
          note: msg('Google sends only the groups you pick here, and only those the user belongs to.'),
        },
        {
          text: msg('On the app’s page, open **User access**, set **Service status** to **ON for everyone** (or turn it on for an organizational unit or group that includes you), and click **Save**.'),
          note: msg('A new app is **OFF** for everyone, and changes can take up to 24 hours (usually minutes): until then Google answers with error 403 app_not_enabled_for_user.'),
        },
        {
          text: msg('In the next step, upload the metadata file you downloaded (or click **Download metadata** on the app’s page in the Admin console).'),
        },
      ],
    };
  },
  attributeDefaults: {
    saml: { ...SAML_SIMPLE_NAMES },
  },
  get configureHints(): ProviderDefinition['configureHints'] {
    return {
      saml: {
        metadataLocation:
          msg('Google has no metadata URL: in the Admin console, open **Apps** > **Web and mobile apps** > your app and click **Download metadata**, then upload the file.'),
      },
    };
  },
  get helpLinks(): ProviderDefinition['helpLinks'] {
    return [
      { label: msg('Google: Set up your own custom SAML app'), url: 'https://support.google.com/a/answer/6087519' },
      { label: msg('Google: SAML app error messages'), url: 'https://support.google.com/a/answer/6301076' },
    ];
  },

  get idpInitiatedTest(): ProviderDefinition['idpInitiatedTest'] {
    return {
      saml: msg('In the Admin console, open **Apps** > **Web and mobile apps** > your app and click **Test SAML login**; or, signed in to Google as the test user, open the Google apps menu (the grid at the top right of Gmail) and select the app.'),
    };
  },
  get attributeHints(): ProviderDefinition['attributeHints'] {
    return {
      saml: {
        email: msg('Google sends only the attributes under the app’s **SAML attribute mapping**: map **Basic Information** > **Primary email** to this name.'),
        firstName: msg('Under **SAML attribute mapping**, map **Basic Information** > **First name** to this name.'),
        lastName: msg('Under **SAML attribute mapping**, map **Basic Information** > **Last name** to this name.'),
        groups: msg('Google sends groups only under **Group membership (optional)** in **SAML attribute mapping**, and only the chosen groups the user belongs to.'),
      },
    };
  },
};
