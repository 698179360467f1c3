/** Any other SAML 2.0 identity provider: the steps every console has, under its own names. */
import { SAML_SIMPLE_NAMES } from './common.js';
import { providerSummary } from './summaries.js';
import type { ProviderDefinition } from './types.js';
import { msg } from '../../portal/localize/msg.js';

export const genericSaml: ProviderDefinition = {
  ...providerSummary('generic-saml'),
  get name() {
    return providerSummary('generic-saml').name;
  },
  get guides(): ProviderDefinition['guides'] {
    return {
      saml: [
        {
          text: msg('In your identity provider’s admin console, create a new SAML 2.0 application; consoles call it a custom app, a service provider, a relying party or a SAML client.'),
        },
        {
          text: msg('If the console can import service-provider metadata, give it our metadata URL or upload our metadata file; it fills in the next step for you.'),
          fields: [{ value: 'metadataUrl', label: msg('Service provider metadata URL') }],
          offerSpMetadata: true,
        },
        {
          text: msg('Otherwise, enter our values: the ACS URL goes in the field called ACS URL, Reply URL, Single sign-on URL or Recipient; the entity ID in Entity ID, Audience, Identifier or Issuer.'),
          fields: [
            { value: 'acsUrl', label: 'Assertion Consumer Service (ACS) URL' },
            { value: 'entityId', label: 'Entity ID (Audience)' },
          ],
          note: msg('Use the HTTP-POST binding for the ACS URL, sign the response or the assertion with SHA-256, and send the user’s email address as the Name ID.'),
        },
        {
          text: msg('Configure the assertion to send the user’s email address, first name, last name and (optionally) groups as attributes with the names below.'),
          fields: [
            { value: 'attribute:email', label: msg('Email attribute') },
            { value: 'attribute:firstName', label: msg('First name attribute') },
            { value: 'attribute:lastName', label: msg('Last name attribute') },
            { value: 'attribute:groups', label: msg('Groups attribute') },
          ],
          note: msg('If your provider uses fixed names (such as claim URIs), note them: you can enter them in the attributes step.'),
        },
        {
          text: msg('Assign the users or groups who will sign in to the new application, yourself included.'),
          note: msg('Most identity providers refuse users who are not assigned to the application.'),
        },
        {
          text: msg('Find the identity provider’s metadata URL (often called IdP metadata or federation metadata) or download its metadata XML; without either, note its SSO URL, entity ID and signing certificate.'),
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
        metadataUrlExample: 'https://idp.acme.com/saml/metadata',
        metadataLocation: msg('Usually on the application’s SSO or SAML page, as **IdP metadata** or **Federation metadata**.'),
      },
    };
  },
  get helpLinks(): ProviderDefinition['helpLinks'] {
    return [
      { label: msg('OASIS: SAML 2.0 technical overview'), url: 'https://docs.oasis-open.org/security/saml/Post2.0/sstc-saml-tech-overview-2.0.html' },
    ];
  },
  get idpInitiatedTest(): ProviderDefinition['idpInitiatedTest'] {
    return {
      saml: msg('Open the app from your identity provider’s user portal or dashboard, or use its IdP-initiated login link (often its SSO address with our Entity ID as a parameter). The response must go to our ACS URL.'),
    };
  },
  get attributeHints(): ProviderDefinition['attributeHints'] {
    return {
      saml: {
        email: msg('Many identity providers send the email only as the Name ID: add an attribute with this name, or use the name your provider sends (such as mail, email or http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress).'),
        firstName: msg('Add an attribute with this name, or use the name your provider sends (such as givenName or http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname).'),
        lastName: msg('Add an attribute with this name, or use the name your provider sends (such as sn, surname or http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname).'),
        groups: msg('Add a multi-valued attribute with this name listing the user’s groups (often called groups, memberOf or Group).'),
      },
    };
  },
};
