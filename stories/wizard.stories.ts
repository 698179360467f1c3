/// <reference types="vite/client" />
/**
 * The setup wizard, step by step and state by state. Each story is a portal on a fresh
 * MemoryAdapter, opened at a step (the `show()` method) and, where a state needs input, driven
 * by its `play` function as an admin would.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ref } from 'lit/directives/ref.js';
import { MemoryAdapter, demoDocuments, demoSeed, DEMO_METADATA_URL, type MemoryAdapterOptions } from '../src/adapters/index.js';
import type { Connection } from '../src/core/model.js';
import type { WizardStep } from '../src/core/wizard.js';
import type { SsoAdminPortal } from '../src/portal/sso-admin-portal.js';
import '../src/index.js';
import { buttonLabelled, find, themeControls } from './story-helpers.js';
import { msg } from '../src/portal/localize/msg.js';

import okta from '../test/fixtures/idp-corpus/saml-metadata/ssoready-ssoready__okta__metadata.xml?raw';
import expired from '../test/fixtures/idp-corpus/saml-metadata/goauthentik-authentik__idp_metadata.xml?raw';
import weak from '../test/fixtures/idp-corpus/saml-metadata/IdentityPython-pysaml2__metadata_example.xml?raw';
import rollover from '../test/fixtures/idp-corpus/saml-metadata/crewjam-saml__TestGetArtifactBindingLocation_IDPMetadata?raw';
import aggregate from '../test/fixtures/idp-corpus/saml-aggregate/SAML-Toolkits-ruby-saml__idp_multiple_descriptors.xml?raw';
import xxe from '../test/fixtures/idp-corpus/saml-malicious/SAML-Toolkits-php-saml__UtilsTest.php__attackXXE.xml?raw';
import spMetadata from '../test/fixtures/idp-corpus/saml-metadata/boxyhq-jackson__invalidssodescriptor.xml?raw';
import noCertificate from '../test/fixtures/idp-corpus/saml-aggregate/simplesamlphp-saml2__md_EntitiesDescriptor.xml?raw';
import badCertificate from '../test/fixtures/idp-corpus/saml-metadata/keycloak-keycloak__KEYCLOAK-4809-IdPMetadata_test.xml?raw';
import malformed from '../test/fixtures/idp-corpus/saml-metadata/simplesamlphp-saml2__corrupted-metadata-selfsigned.xml?raw';

interface Args {
  theme: 'light' | 'dark' | 'auto';
  width: string;
}

const NOW = new Date();

function draftConnection(providerId: string, protocol: 'saml' | 'oidc'): Connection {
  const at = NOW.toISOString();
  return {
    id: `conn_${providerId}_${protocol}`,
    protocol,
    providerId,
    status: 'draft',
    saml: null,
    oidc: null,
    attributeMapping: { email: 'email' },
    lastTest: null,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}

/** A portal opened at `step`, on a connection being set up (or a new one for `provider`). */
function wizard(args: Args, step: WizardStep, options: { connection?: Connection; adapter?: MemoryAdapterOptions } = {}) {
  sessionStorage.clear();
  const connections = options.connection ? [options.connection] : [];
  const adapter = new MemoryAdapter({ documents: demoDocuments(), ...options.adapter, seed: { connections, ...options.adapter?.seed } });
  const ready = (el?: Element) => (el as SsoAdminPortal | undefined)?.show({ view: 'wizard', step, connectionId: options.connection?.id });
  return html`<div style="max-width:${args.width}">
    <sso-admin-portal theme=${args.theme} .adapter=${adapter} ${ref(ready)}></sso-admin-portal>
  </div>`;
}


const PORTAL = 'sso-admin-portal';
const SAML = [PORTAL, 'sso-wizard', 'sso-step-saml'];
const OIDC = [PORTAL, 'sso-wizard', 'sso-step-oidc'];

/** Types `value` into a field of a step and presses the button labelled `button`, as an admin would. */
async function fillAndPress(canvas: HTMLElement, stepPath: string[], field: string, value: string, button: string) {
  const input = await find<HTMLInputElement | HTMLTextAreaElement>(canvas, [...stepPath, field]);
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await new Promise((resolve) => requestAnimationFrame(resolve));
  const step = await find<HTMLElement>(canvas, stepPath);
  buttonLabelled(step.shadowRoot!, button).click();
}

/** Pastes `xml` in the SAML step and reads it. */
async function pasteMetadata(canvas: HTMLElement, xml: string) {
  (await find<HTMLInputElement>(canvas, [...SAML, '#source-xml'])).click();
  await fillAndPress(canvas, SAML, '#saml-metadata-xml', xml, msg('Read XML'));
}

const readUrl = (canvas: HTMLElement, url: string) => fillAndPress(canvas, SAML, '#saml-metadata-url', url, msg('Read metadata'));
const checkIssuer = (canvas: HTMLElement, issuer: string) => fillAndPress(canvas, OIDC, '#oidc-issuer', issuer, msg('Check issuer'));

/** On the attributes step: lets `arrange` set up the adapter, then presses Save. */
async function saveAttributesAfter(canvas: HTMLElement, arrange: (adapter: MemoryAdapter) => unknown) {
  const portal = await find<SsoAdminPortal>(canvas, [PORTAL]);
  const wizardEl = await find<HTMLElement>(canvas, [PORTAL, 'sso-wizard']);
  await find(canvas, [PORTAL, 'sso-wizard', 'sso-step-attributes']);
  await arrange(portal.adapter as MemoryAdapter);
  wizardEl.shadowRoot!.querySelector<HTMLButtonElement>('.actions .button--primary')!.click();
}

const meta: Meta<Args> = {
  title: 'Portal/Wizard',
  ...themeControls('860px'),
};
export default meta;
type Story = StoryObj<Args>;

const saml = (providerId: string) => draftConnection(providerId, 'saml');
const oidc = (providerId: string) => draftConnection(providerId, 'oidc');

// --- Choosing the provider --------------------------------------------------------------
export const ChooseProvider: Story = { render: (args) => wizard(args, 'provider') };
export const ChooseProviderNarrowDark: Story = { args: { width: '320px', theme: 'dark' }, render: (args) => wizard(args, 'provider') };

// --- Guides, every provider and protocol ------------------------------------------------
export const GuideOktaSaml: Story = { render: (args) => wizard(args, 'guide', { connection: saml('okta') }) };
export const GuideOktaOidc: Story = { render: (args) => wizard(args, 'guide', { connection: oidc('okta') }) };
export const GuideEntraIdSaml: Story = { render: (args) => wizard(args, 'guide', { connection: saml('entra-id') }) };
export const GuideEntraIdOidc: Story = { render: (args) => wizard(args, 'guide', { connection: oidc('entra-id') }) };
export const GuideGoogleWorkspaceSaml: Story = { render: (args) => wizard(args, 'guide', { connection: saml('google-workspace') }) };
export const GuideOneLoginSaml: Story = { render: (args) => wizard(args, 'guide', { connection: saml('onelogin') }) };
export const GuideOneLoginOidc: Story = { render: (args) => wizard(args, 'guide', { connection: oidc('onelogin') }) };
export const GuideJumpCloudSaml: Story = { render: (args) => wizard(args, 'guide', { connection: saml('jumpcloud') }) };
export const GuideJumpCloudOidc: Story = { render: (args) => wizard(args, 'guide', { connection: oidc('jumpcloud') }) };
export const GuidePingSaml: Story = { render: (args) => wizard(args, 'guide', { connection: saml('ping') }) };
export const GuidePingOidc: Story = { render: (args) => wizard(args, 'guide', { connection: oidc('ping') }) };
export const GuideAdfsSaml: Story = { render: (args) => wizard(args, 'guide', { connection: saml('adfs') }) };
export const GuideKeycloakSaml: Story = { render: (args) => wizard(args, 'guide', { connection: saml('keycloak') }) };
export const GuideKeycloakOidc: Story = { render: (args) => wizard(args, 'guide', { connection: oidc('keycloak') }) };
export const GuideAuth0Saml: Story = { render: (args) => wizard(args, 'guide', { connection: saml('auth0') }) };
export const GuideAuth0Oidc: Story = { render: (args) => wizard(args, 'guide', { connection: oidc('auth0') }) };
export const GuideGenericSaml: Story = { render: (args) => wizard(args, 'guide', { connection: saml('generic-saml') }) };
export const GuideGenericOidc: Story = { render: (args) => wizard(args, 'guide', { connection: oidc('generic-oidc') }) };
export const GuideSimulatorSaml: Story = { render: (args) => wizard(args, 'guide', { connection: saml('simulator') }) };
export const GuideSimulatorOidc: Story = { render: (args) => wizard(args, 'guide', { connection: oidc('simulator') }) };

// --- SAML configuration -----------------------------------------------------------------
export const SamlConfigure: Story = { render: (args) => wizard(args, 'configure', { connection: saml('okta') }) };
export const SamlReviewFromUrl: Story = {
  render: (args) => wizard(args, 'configure', { connection: saml('okta') }),
  play: async ({ canvasElement }) => readUrl(canvasElement, DEMO_METADATA_URL),
};
export const SamlSlowNetwork: Story = {
  render: (args) => wizard(args, 'configure', { connection: saml('okta'), adapter: { latency: { min: 0, max: 0 } } }),
  play: async ({ canvasElement }) => {
    const portal = await find<SsoAdminPortal>(canvasElement, [PORTAL]);
    await find(canvasElement, SAML);
    (portal.adapter as MemoryAdapter).setLatency(1_000_000_000);
    await readUrl(canvasElement, DEMO_METADATA_URL);
  },
};
export const SamlUnreachableUrl: Story = {
  render: (args) => wizard(args, 'configure', { connection: saml('okta') }),
  play: async ({ canvasElement }) => readUrl(canvasElement, 'https://nothing.megacorp.example/metadata'),
};
export const SamlReviewOkta: Story = { render: (args) => wizard(args, 'configure', { connection: saml('okta') }), play: ({ canvasElement }) => pasteMetadata(canvasElement, okta) };
export const SamlExpiredCertificate: Story = { render: (args) => wizard(args, 'configure', { connection: saml('generic-saml') }), play: ({ canvasElement }) => pasteMetadata(canvasElement, expired) };
export const SamlWeakCertificate: Story = { render: (args) => wizard(args, 'configure', { connection: saml('generic-saml') }), play: ({ canvasElement }) => pasteMetadata(canvasElement, weak) };
export const SamlRolloverCertificates: Story = { render: (args) => wizard(args, 'configure', { connection: saml('generic-saml') }), play: ({ canvasElement }) => pasteMetadata(canvasElement, rollover) };
export const SamlAggregateChooser: Story = { render: (args) => wizard(args, 'configure', { connection: saml('generic-saml') }), play: ({ canvasElement }) => pasteMetadata(canvasElement, aggregate) };
export const SamlErrorDoctype: Story = { render: (args) => wizard(args, 'configure', { connection: saml('okta') }), play: ({ canvasElement }) => pasteMetadata(canvasElement, xxe) };
export const SamlErrorSpMetadata: Story = { render: (args) => wizard(args, 'configure', { connection: saml('okta') }), play: ({ canvasElement }) => pasteMetadata(canvasElement, spMetadata) };
export const SamlErrorNoSigningCertificate: Story = { render: (args) => wizard(args, 'configure', { connection: saml('okta') }), play: ({ canvasElement }) => pasteMetadata(canvasElement, noCertificate) };
export const SamlErrorBadCertificate: Story = { render: (args) => wizard(args, 'configure', { connection: saml('okta') }), play: ({ canvasElement }) => pasteMetadata(canvasElement, badCertificate) };
export const SamlErrorMalformed: Story = { render: (args) => wizard(args, 'configure', { connection: saml('okta') }), play: ({ canvasElement }) => pasteMetadata(canvasElement, malformed) };
export const SamlErrorHtmlPage: Story = {
  render: (args) => wizard(args, 'configure', { connection: saml('okta') }),
  play: ({ canvasElement }) => pasteMetadata(canvasElement, '<!doctype html><html><head><title>Sign in</title></head><body><form>Login</form></body></html>'),
};
export const SamlErrorJson: Story = {
  render: (args) => wizard(args, 'configure', { connection: saml('okta') }),
  play: ({ canvasElement }) => pasteMetadata(canvasElement, '{"issuer":"https://megacorp.okta.example"}'),
};
const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
export const SamlErrorNotSamlMetadata: Story = {
  render: (args) => wizard(args, 'configure', { connection: saml('okta') }),
  play: ({ canvasElement }) => pasteMetadata(canvasElement, '<config xmlns="urn:example:settings"><sso enabled="true"/></config>'),
};
export const SamlErrorMissingEntityId: Story = {
  render: (args) => wizard(args, 'configure', { connection: saml('okta') }),
  play: ({ canvasElement }) => pasteMetadata(canvasElement, `<EntityDescriptor xmlns="${MD}"><IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></EntityDescriptor>`),
};
export const SamlErrorNoSsoService: Story = {
  render: (args) => wizard(args, 'configure', { connection: saml('okta') }),
  play: ({ canvasElement }) => pasteMetadata(canvasElement, okta.replace(/<(\w+:)?SingleSignOnService[^>]*\/>/g, '')),
};
export const SamlErrorTooLarge: Story = {
  render: (args) => wizard(args, 'configure', { connection: saml('okta') }),
  play: ({ canvasElement }) => pasteMetadata(canvasElement, `<EntityDescriptor xmlns="${MD}"><!--${'x'.repeat(2_200_000)}--></EntityDescriptor>`),
};
export const SamlManual: Story = {
  render: (args) => wizard(args, 'configure', { connection: saml('generic-saml') }),
  play: async ({ canvasElement }) => (await find<HTMLInputElement>(canvasElement, [...SAML, '#source-manual'])).click(),
};
export const SamlEditSaved: Story = { render: (args) => wizard(args, 'configure', { connection: demoSeed().connections![0] }) };

/** The first certificate of an IdP metadata file, as PEM. */
const pemOf = (xml: string) => `-----BEGIN CERTIFICATE-----\n${/<(?:\w+:)?X509Certificate>([^<]+)</.exec(xml)![1]!.replace(/\s+/g, '')}\n-----END CERTIFICATE-----`;

/** A saved connection in a certificate rollover: the next certificate added, the IdP already signing with it. */
export const SamlEditSavedRollover: Story = {
  loaders: [
    async () => {
      const saved = demoSeed().connections![0]!;
      const { parseCertificate } = await import('../src/core/saml-metadata.js');
      const next = pemOf(okta);
      const fingerprints = await Promise.all([saved.saml!.signingCertificates[0]!, next].map(async (pem) => {
        const read = await parseCertificate(pem);
        if (!read.ok) throw new Error(read.error.message);
        return read.certificate.fingerprintSha256;
      }));
      const day = 86_400_000;
      const connection: Connection = {
        ...saved,
        saml: { ...saved.saml!, signingCertificates: [saved.saml!.signingCertificates[0]!, next] },
        signingCertificateUsage: [
          { fingerprint: fingerprints[1]!, lastUsedAt: new Date(Date.now() - day).toISOString() },
          { fingerprint: fingerprints[0]!, lastUsedAt: new Date(Date.now() - 9 * day).toISOString() },
        ],
      };
      return { connection };
    },
  ],
  render: (args, { loaded }) => wizard(args, 'configure', { connection: (loaded as { connection: Connection }).connection }),
};

/** A change found in the IdP's metadata, waiting for the admin (review mode). */
export const SamlMetadataChangePending: Story = {
  render: (args) => {
    const saved = demoSeed().connections![0]!;
    const saml = { ...saved.saml!, metadataUrl: DEMO_METADATA_URL, metadataRefreshMode: 'review' as const };
    const at = new Date(Date.now() - 3 * 3_600_000).toISOString();
    const connection: Connection = {
      ...saved,
      saml,
      metadataRefresh: {
        checkedAt: at,
        status: 'pending',
        pending: {
          foundAt: at,
          changes: [
            { field: 'signingCertificates', added: ['3F:'.repeat(31) + '9A'], removed: [] },
            { field: 'ssoUrl', from: saml.ssoUrl, to: `${saml.ssoUrl}2` },
            { field: 'ssoBinding', from: 'post', to: 'redirect' },
          ],
          saml: { ...saml, ssoUrl: `${saml.ssoUrl}2`, ssoBinding: 'redirect' },
        },
      },
    };
    return wizard(args, 'configure', { connection });
  },
};

// --- OpenID Connect configuration -------------------------------------------------------
export const OidcConfigure: Story = { render: (args) => wizard(args, 'configure', { connection: oidc('okta') }) };
export const OidcDiscoveryOk: Story = {
  render: (args) => wizard(args, 'configure', { connection: oidc('okta') }),
  play: ({ canvasElement }) => checkIssuer(canvasElement, 'https://megacorp.okta.example'),
};
export const OidcDiscoveryFailure: Story = {
  render: (args) =>
    wizard(args, 'configure', {
      connection: oidc('generic-oidc'),
      adapter: { documents: { 'https://idp.broken.example/.well-known/openid-configuration': { issuer: 'https://someone-else.example', authorization_endpoint: 'http://idp.broken.example/authorize' } } },
    }),
  play: ({ canvasElement }) => checkIssuer(canvasElement, 'https://idp.broken.example'),
};
export const OidcSecretSaved: Story = { render: (args) => wizard(args, 'configure', { connection: demoSeed().connections![1] }) };

// --- Attributes, saving -----------------------------------------------------------------
export const AttributesEntraSaml: Story = {
  render: (args) => wizard(args, 'attributes', { connection: { ...saml('entra-id'), attributeMapping: { email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress', firstName: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname' } } }),
};
export const AttributesMissingEmail: Story = {
  render: (args) => wizard(args, 'attributes', { connection: saml('okta') }),
  play: async ({ canvasElement }) => {
    const input = await find<HTMLInputElement>(canvasElement, [PORTAL, 'sso-wizard', 'sso-step-attributes', '#attr-email']);
    input.value = '';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const wizardEl = await find<HTMLElement>(canvasElement, [PORTAL, 'sso-wizard']);
    wizardEl.shadowRoot!.querySelector<HTMLButtonElement>('.actions .button--primary')!.click();
  },
};
export const SaveFails: Story = {
  render: (args) => wizard(args, 'attributes', { connection: saml('okta') }),
  play: ({ canvasElement }) => saveAttributesAfter(canvasElement, (adapter) => adapter.failNext('updateConnection', 'server_error')),
};
export const SaveConflict: Story = {
  render: (args) => wizard(args, 'attributes', { connection: saml('okta') }),
  play: ({ canvasElement }) =>
    saveAttributesAfter(canvasElement, async (adapter) => {
      const [current] = await adapter.listConnections();
      await adapter.updateConnection(current!.id, { attributeMapping: { email: 'mail-from-another-tab' } }, { version: current!.version });
    }),
};
export const Saved: Story = { render: (args) => wizard(args, 'test', { connection: { ...demoSeed().connections![0]!, status: 'configured' } }) };
