/**
 * The wizard's words that `core` keeps in English (core is pure TypeScript, without `msg`): the
 * steps' names, the guards' issues and the conflict view's fields, shown in the language of the
 * moment they render. Keyed by core's English text, which is stable; a text not listed here
 * (a backend's) shows as it came.
 */
import type { WizardStep } from '../../core/views.js';
import { msg } from '../localize/msg.js';

export function stepLabel(step: WizardStep): string {
  switch (step) {
    case 'provider':
      return msg('Identity provider');
    case 'guide':
      return msg('Create the app');
    case 'configure':
      return msg('Configure');
    case 'attributes':
      return msg('Attributes');
    case 'test':
      return msg('Test login');
    case 'activate':
      return msg('Activate');
  }
}

/** A guard's issue (`core/wizard.ts` `checkStep`), or a conflict's field (`core/wizard-conflict.ts`). */
export function wizardText(english: string): string {
  switch (english) {
    case 'Choose your identity provider.':
      return msg('Choose your identity provider.');
    case 'Choose SAML or OpenID Connect.':
      return msg('Choose SAML or OpenID Connect.');
    case 'Enter the attribute that carries the email address.':
      return msg('Enter the attribute that carries the email address.');
    case 'Enter the metadata URL, so we can read and check it before saving.':
      return msg('Enter the metadata URL, so we can read and check it before saving.');
    case 'Choose the metadata file, so we can check it before saving.':
      return msg('Choose the metadata file, so we can check it before saving.');
    case 'Paste the metadata XML, so we can read and check it before saving.':
      return msg('Paste the metadata XML, so we can read and check it before saving.');
    case 'Fill in the fields, so we can check them before saving.':
      return msg('Fill in the fields, so we can check them before saving.');
    case 'Enter the issuer URL.':
      return msg('Enter the issuer URL.');
    case 'Check the issuer first, so we know it works.':
      return msg('Check the issuer first, so we know it works.');
    case 'Enter the client ID.':
      return msg('Enter the client ID.');
    case 'Enter the client secret.':
      return msg('Enter the client secret.');
    case 'IdP entity ID':
      return msg('IdP entity ID');
    case 'SSO URL':
      return msg('SSO URL');
    case 'Signing certificates':
      return msg('Signing certificates');
    case 'Metadata URL':
      return msg('Metadata URL');
    case 'Issuer':
      return msg('Issuer');
    case 'Client ID':
      return msg('Client ID');
    case 'Scopes':
      return msg('Scopes');
    case 'Email attribute':
      return msg('Email attribute');
    case 'First name attribute':
      return msg('First name attribute');
    case 'Last name attribute':
      return msg('Last name attribute');
    case 'Groups attribute':
      return msg('Groups attribute');
    default:
      return english;
  }
}
