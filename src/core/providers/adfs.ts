/** Microsoft AD FS (Windows Server): a relying party trust with claim issuance rules (SAML only). */
import { WS_CLAIMS } from './common.js';
import { providerSummary } from './summaries.js';
import { msg } from '../../portal/localize/msg.js';
import type { ProviderDefinition } from './types.js';

export const adfs: ProviderDefinition = {
  ...providerSummary('adfs'),
  get guides(): ProviderDefinition['guides'] {
    return {
      saml: [
        {
          text: msg('On your AD FS server, open **AD FS Management**, right-click **Relying Party Trusts**, and choose **Add Relying Party Trust...**.'),
        },
        {
          text: msg('Choose **Claims aware** and click **Start**. On **Select Data Source**, choose **Import data about the relying party from a file** and select our metadata file (or **Import data about the relying party published online or on a local network** with our metadata URL), then click **Next** and enter a **Display name**.'),
          fields: [{ value: 'metadataUrl', label: 'Federation metadata address (host name or URL)' }],
          offerSpMetadata: true,
          note: msg('Importing fills in the identifier, the endpoints and our encryption certificate (AD FS then encrypts the assertions, which we decrypt). To type them instead, choose **Enter data about the relying party manually** and follow the next step.'),
        },
        {
          text: msg('Only if you entered the data manually: on **Configure Certificate**, click **Browse...** and choose our encryption certificate (optional: AD FS then encrypts the assertions), check **Enable support for the SAML 2.0 WebSSO protocol** with the URL below, and add our entity ID as **Relying party trust identifier**.'),
          offerSpCertificate: 'encryption',
          fields: [
            { value: 'acsUrl', label: 'Relying party SAML 2.0 SSO service URL' },
            { value: 'entityId', label: 'Relying party trust identifier' },
          ],
          note: msg('AD FS accepts only https URLs here.'),
        },
        {
          text: msg('On **Choose Access Control Policy**, pick **Permit specific group** and the groups whose users will sign in (or **Permit everyone**), click **Next** twice, leave **Configure claims issuance policy for this application** checked, and click **Close**.'),
          note: msg('AD FS shows an error page to users outside this policy. On AD FS 2012 R2 this page is **Choose Issuance Authorization Rules**.'),
        },
        {
          text: msg('In **Edit Claim Issuance Policy**, click **Add Rule...**, choose **Send LDAP Attributes as Claims**, select **Active Directory** as **Attribute store**, and map **E-Mail-Addresses**, **Given-Name**, **Surname** and **Token-Groups - Unqualified Names** to the outgoing claim types **E-Mail Address**, **Given Name**, **Surname** and **Group**.'),
          fields: [
            { value: 'attribute:email', label: 'Outgoing Claim Type: E-Mail Address' },
            { value: 'attribute:firstName', label: 'Outgoing Claim Type: Given Name' },
            { value: 'attribute:lastName', label: 'Outgoing Claim Type: Surname' },
            { value: 'attribute:groups', label: 'Outgoing Claim Type: Group' },
          ],
          note: msg('AD FS sends each claim type under the URI shown here. **E-Mail-Addresses** is the AD mail attribute: users without one cannot sign in.'),
        },
        {
          text: msg('Click **Add Rule...** again, choose **Transform an Incoming Claim**, and set **Incoming claim type** to **E-Mail Address**, **Outgoing claim type** to **Name ID** and **Outgoing name ID format** to **Email**; click **Finish**, then **OK**.'),
          note: msg('Without a Name ID rule, AD FS cannot answer a login request that asks for an email Name ID (event 364 in the AD FS log).'),
        },
        {
          text: msg('In the next step, enter your AD FS federation metadata URL: https://your-adfs-host/FederationMetadata/2007-06/FederationMetadata.xml (listed under **Service** > **Endpoints** > **Metadata**).'),
          note: msg('If your AD FS is reachable only inside your network, open that URL in your browser, save the XML, and upload the file instead.'),
        },
      ],
    };
  },
  attributeDefaults: {
    saml: { email: WS_CLAIMS.email, firstName: WS_CLAIMS.givenName, lastName: WS_CLAIMS.surname, groups: WS_CLAIMS.group },
  },
  get configureHints(): ProviderDefinition['configureHints'] {
    return {
      saml: {
        metadataUrlExample: 'https://adfs.acme.com/FederationMetadata/2007-06/FederationMetadata.xml',
        metadataLocation: msg('In **AD FS Management**, under **Service** > **Endpoints** > **Metadata**: the FederationMetadata.xml path on your AD FS host.'),
      },
    };
  },
  get helpLinks(): ProviderDefinition['helpLinks'] {
    return [
      {
        label: msg('Microsoft: Create a relying party trust'),
        url: 'https://learn.microsoft.com/en-us/windows-server/identity/ad-fs/operations/create-a-relying-party-trust',
      },
      {
        label: msg('Microsoft: Send LDAP attributes as claims'),
        url: 'https://learn.microsoft.com/en-us/windows-server/identity/ad-fs/operations/create-a-rule-to-send-ldap-attributes-as-claims',
      },
      {
        label: msg('Microsoft: Transform an incoming claim'),
        url: 'https://learn.microsoft.com/en-us/windows-server/identity/ad-fs/operations/create-a-rule-to-transform-an-incoming-claim',
      },
    ];
  },

  get idpInitiatedTest(): ProviderDefinition['idpInitiatedTest'] {
    return {
      saml: msg('Open https://your-adfs-host/adfs/ls/IdpInitiatedSignOn.aspx?loginToRp= followed by our Entity ID (URL-encoded) and sign in as the test user. AD FS 2016 and later turn this page off: enable it in PowerShell with Set-AdfsProperties -EnableIdpInitiatedSignonPage $true.'),
    };
  },
  get attributeHints(): ProviderDefinition['attributeHints'] {
    return {
      saml: {
        email: msg('AD FS sends it as http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress only through a claim rule: in **Edit Claim Issuance Policy...**, map **E-Mail-Addresses** to **E-Mail Address**.'),
        firstName: msg('AD FS sends it as http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname: in **Edit Claim Issuance Policy...**, map **Given-Name** to **Given Name**.'),
        lastName: msg('AD FS sends it as http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname: in **Edit Claim Issuance Policy...**, map **Surname** to **Surname**.'),
        groups: msg('AD FS sends groups as http://schemas.xmlsoap.org/claims/Group: in **Edit Claim Issuance Policy...**, map **Token-Groups - Unqualified Names** to **Group**.'),
      },
    };
  },
};
