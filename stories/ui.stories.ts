import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { defineContextHost } from '../test/support/sso-context-host.js';
import { html } from 'lit';
import { ref } from 'lit/directives/ref.js';
import '../src/portal/ui/sso-copy-field.js';
import '../src/portal/ui/sso-file-drop.js';
import '../src/portal/ui/sso-stepper.js';
import type { SsoActionMenu } from '../src/portal/ui/sso-action-menu.js';
import '../src/portal/ui/sso-action-menu.js';
import { WIZARD_STEPS, WIZARD_STEP_LABELS } from '../src/core/wizard.js';
import { msg } from '../src/portal/localize/msg.js';


interface Args {
  theme: 'light' | 'dark' | 'auto';
  width: string;
  dir: 'ltr' | 'rtl';
}

function frame(args: Args, content: unknown) {
  return html`<div dir=${args.dir} style="max-width:${args.width}">
    <sso-context-host theme=${args.theme}>${content}</sso-context-host>
  </div>`;
}

const ACS_URL = 'https://sso.acme.example/saml/acs/conn_01HZX4Q7R8';
const LONG_URL =
  'https://sso.acme.example/saml/megacorp-international-holdings/acs/conn_01HZX4Q7R8M9N0P1Q2R3S4T5V6?RelayState=%2Fsettings%2Fsecurity%2Fsso&tenant=org_01HZX4Q7R8M9N0P1Q2R3S4T5V6';
const SP_METADATA = `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sso.acme.example/saml/megacorp">
  <md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${ACS_URL}" index="0" isDefault="true"/>
  </md:SPSSODescriptor>
  <md:Organization>
    <md:OrganizationName xml:lang="en">Acme</md:OrganizationName>
    <md:OrganizationDisplayName xml:lang="en">Acme</md:OrganizationDisplayName>
    <md:OrganizationURL xml:lang="en">https://acme.example</md:OrganizationURL>
  </md:Organization>
</md:EntityDescriptor>`;

const XML_ACCEPT = '.xml,text/xml,application/xml';
const CERT_ACCEPT = '.cer,.pem,.crt';

defineContextHost();

const meta: Meta<Args> = {
  title: 'UI/Primitives',
  args: { theme: 'light', width: '640px', dir: 'ltr' },
  argTypes: {
    theme: { control: 'inline-radio', options: ['light', 'dark', 'auto'] },
    width: { control: 'inline-radio', options: ['320px', '480px', '640px', '960px'] },
    dir: { control: 'inline-radio', options: ['ltr', 'rtl'] },
  },
};
export default meta;

type Story = StoryObj<Args>;

export const CopyField: Story = {
  render: (args) =>
    frame(
      args,
      html`<sso-copy-field label=${msg('Single sign-on URL')} value=${ACS_URL}></sso-copy-field>
        <sso-copy-field label="Audience URI (SP Entity ID)" label-lang="en" value="https://sso.acme.example/saml/megacorp"></sso-copy-field>`,
    ),
};

export const CopyFieldLongUrl: Story = {
  args: { width: '320px' },
  render: (args) => frame(args, html`<sso-copy-field label=${msg('Single sign-on URL')} value=${LONG_URL}></sso-copy-field>`),
};

export const CopyFieldMultiline: Story = {
  render: (args) =>
    frame(args, html`<sso-copy-field label=${msg('Metadata')} multiline .value=${SP_METADATA} hint=${msg('Copy the whole XML document.')}></sso-copy-field>`),
};

export const FileDrop: Story = {
  render: (args) =>
    frame(
      args,
      html`<sso-file-drop
        label=${msg('Metadata file')}
        accept=${XML_ACCEPT}
        hint=${msg('The XML file from your identity provider’s console.')}
      ></sso-file-drop>`,
    ),
};

export const FileDropCertificate: Story = {
  render: (args) =>
    frame(
      args,
      html`<sso-file-drop label=${msg('Certificate file')} accept=${CERT_ACCEPT} max-bytes="100000"></sso-file-drop>`,
    ),
};

/** A 5.2 MB file dropped on the metadata field: the error the admin sees, tied to the button. */
export const FileDropError: Story = {
  render: (args) => frame(args, html`<sso-file-drop label=${msg('Metadata file')} accept=${XML_ACCEPT}></sso-file-drop>`),
  play: async ({ canvasElement }) => {
    const drop = canvasElement.querySelector('sso-file-drop')!;
    await drop.updateComplete;
    const dataTransfer = new DataTransfer();
    dataTransfer.items.add(new File([new Uint8Array(5_200_000)], 'okta-system-log-export.xml', { type: 'text/xml' }));
    drop.shadowRoot!.querySelector('[part~="drop-zone"]')!.dispatchEvent(new DragEvent('drop', { dataTransfer, bubbles: true, cancelable: true }));
    await drop.updateComplete;
  },
};

/** Read at render time: the labels are in the language shown now. */
const steps = () => WIZARD_STEPS.map((id) => ({ id, label: WIZARD_STEP_LABELS[id] }));

/** The steps on one line where they fit; "Step 3 of 6 · Configure" and a bar where they would wrap (try 320 px). */
export const Stepper: Story = {
  args: { width: '960px' },
  render: (args) => frame(args, html`<sso-stepper .steps=${steps()} current="configure"></sso-stepper>`),
};

export const StepperNarrow: Story = {
  args: { width: '320px' },
  render: (args) => frame(args, html`<sso-stepper .steps=${steps()} current="configure"></sso-stepper>`),
};

/** The last step completed: Activate is marked done too. */
export const StepperComplete: Story = {
  args: { width: '960px' },
  render: (args) => frame(args, html`<sso-stepper .steps=${steps()} current="activate" complete></sso-stepper>`),
};

/** A connection's secondary actions, opened (as after Enter on the button). */
export const ActionMenuOpen: Story = {
  render: (args) =>
    frame(
      args,
      html`<div style="display:flex;justify-content:flex-end;min-height:9rem">
        <sso-action-menu
          context="Okta (employees)"
          .items=${[
            { id: 'deactivate', label: msg('Turn off'), tone: 'danger' },
            { id: 'delete', label: msg('Delete'), tone: 'danger' },
          ]}
          ${ref((el) => {
            const menu = el as SsoActionMenu | undefined;
            if (menu) void menu.updateComplete.then(() => menu.show());
          })}
        ></sso-action-menu>
      </div>`,
    ),
};
