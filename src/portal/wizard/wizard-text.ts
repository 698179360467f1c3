/**
 * The guards' issues, which `core` keeps in English (core is pure TypeScript, without `msg`),
 * shown in the language of the moment they render. Keyed by core's English text, which is stable; a text not listed here
 * (a backend's) shows as it came.
 */
import { msg } from '../localize/msg.js';

/** A guard's issue (`core/wizard.ts` `checkStep`). */
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
    default:
      return english;
  }
}
