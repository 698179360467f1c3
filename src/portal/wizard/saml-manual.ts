/**
 * The SAML step's fourth source, "Enter manually": its fields and their check. Most admins read
 * metadata (URL, file or pasted XML), so this part loads when the admin chooses it (or opens a
 * configuration saved from such values), keeping the admin flow to what it uses (issue 12).
 */
import { html } from 'lit';
import { SAML_BINDING_NAMES, type SamlBinding } from '../../core/model.js';
import type { SamlDraft } from '../../core/wizard.js';
import { textField } from '../ui/field.js';
import { msg } from '../localize/msg.js';
import '../ui/sso-file-drop.js';
import type { SsoFileSelectedEvent } from '../ui/sso-file-drop.js';
import type { CertificateInfo, Warning } from './saml-certificate-card.js';
import { inLanguageShown } from './reader-words.js';
import type { SamlReview } from './sso-step-saml.js';

type Manual = SamlDraft['manual'];

/**
 * A failure's title, message and what to do (optional), in the language shown: called at each
 * render, so a language switch words it again.
 */
export type Words = () => [title: string, message: string, remedy?: string];

/** What the manual source needs of its step (`<sso-step-saml>`). */
export interface ManualHost {
  readonly manualValues: Manual;
  setManual(patch: Partial<Manual>): void;
  fail(path: string, words: Words, code: string): void;
  busy(message: string): void;
  understood(review: SamlReview): void;
  requestUpdate(): void;
}

const parser = () => import('../../core/saml-metadata.js');

/** The fields: SSO URL, entity ID, binding, signing certificate (pasted or a file). */
export function renderManual(step: ManualHost, errorAt: (path: string) => string | undefined) {
  const m = step.manualValues;
  const certificateError = 'saml.manual.certificates';
  const readFile = async (event: SsoFileSelectedEvent) => {
    const { parseCertificate } = await parser();
    const result = await parseCertificate(event.bytes);
    if (!result.ok) return cannotRead(step, result.error);
    step.setManual({ certificates: [result.certificate.pem, ...step.manualValues.certificates.slice(1)] });
  };
  return html`
    ${textField({ id: 'saml-sso-url', label: msg('Single sign-on URL'), type: 'url', mono: true, required: true, value: m.ssoUrl, hint: msg('Where we send users to log in (also called SAML 2.0 Endpoint or Login URL).'), error: errorAt('saml.manual.ssoUrl'), onInput: (v) => step.setManual({ ssoUrl: v }) })}
    ${textField({ id: 'saml-entity-id', label: msg('IdP entity ID (Issuer)'), mono: true, required: true, value: m.idpEntityId, error: errorAt('saml.manual.idpEntityId'), onInput: (v) => step.setManual({ idpEntityId: v }) })}
    <fieldset>
      <legend>${msg('Binding of the single sign-on URL')}</legend>
      <div class="row">
        ${(['redirect', 'post'] as SamlBinding[]).map(
          (b) => html`<label class="option" for="binding-${b}"><input type="radio" name="binding" id="binding-${b}" .checked=${m.ssoBinding === b} @change=${() => step.setManual({ ssoBinding: b })} /><span>${SAML_BINDING_NAMES[b]}</span></label>`,
        )}
      </div>
    </fieldset>
    ${textField({
      id: 'saml-certificate',
      label: msg('Signing certificate'),
      multiline: true,
      rows: 6,
      required: true,
      value: m.certificates[0] ?? '',
      placeholder: '-----BEGIN CERTIFICATE-----',
      hint: msg('Paste the certificate (PEM or base64), or choose the .cer, .pem or .crt file below.'),
      error: errorAt(certificateError),
      onInput: (v) => step.setManual({ certificates: [v, ...step.manualValues.certificates.slice(1)] }),
    })}
    <sso-file-drop label=${msg('Certificate file')} accept=".cer,.pem,.crt,.der" max-bytes="65536" @sso-file-selected=${readFile}></sso-file-drop>
    <div class="row"><button class="button button--primary" type="button" @click=${() => checkManual(step)}>${msg('Check these values')}</button></div>
  `;
}

/** Checks the values and reads the certificates; true when understood (the review shows them). */
export async function checkManual(step: ManualHost): Promise<boolean> {
  const m = step.manualValues;
  if (!/^https?:\/\/\S+$/i.test(m.ssoUrl.trim())) {
    step.fail('saml.manual.ssoUrl', () => [msg('Check the single sign-on URL'), msg('Enter the full URL, starting with https://.')], 'validation_failed');
    return false;
  }
  if (!m.idpEntityId.trim()) {
    step.fail('saml.manual.idpEntityId', () => [msg('Enter the IdP entity ID'), msg('It is shown next to the SSO URL in your identity provider’s console, often as Issuer.')], 'validation_failed');
    return false;
  }
  step.busy(msg('Reading the certificate…'));
  const { parseCertificate } = await parser();
  const certificates: CertificateInfo[] = [];
  const warnings: Warning[] = [];
  for (const text of m.certificates.filter((c) => c.trim())) {
    const result = await parseCertificate(text);
    if (!result.ok) return cannotRead(step, result.error);
    certificates.push(result.certificate);
    warnings.push(...result.warnings);
  }
  if (!certificates.length) {
    step.fail('saml.manual.certificates', () => [msg('Add the signing certificate'), msg('Without it we cannot check that logins really come from your identity provider.')], 'metadata_no_signing_certificate');
    return false;
  }
  step.understood({
    config: { idpEntityId: m.idpEntityId.trim(), ssoUrl: m.ssoUrl.trim(), ssoBinding: m.ssoBinding, signingCertificates: certificates.map((c) => c.pem) },
    certificates,
    warnings,
  });
  return true;
}

function cannotRead(step: ManualHost, error: { message: string; code: string; remedy?: string }): false {
  step.fail(
    'saml.manual.certificates',
    () => {
      const said = inLanguageShown(error, step);
      return [msg('We could not read this certificate'), said.message, said.remedy];
    },
    error.code,
  );
  return false;
}
