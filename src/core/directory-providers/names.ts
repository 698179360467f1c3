/**
 * The directory providers' names and order in the list, without their guides (those load when
 * picked, `load.ts`). The Directory Simulator is listed in development sessions only.
 */
import { msg } from '../../portal/localize/msg.js';
import { DIRECTORY_PROVIDERS, type DirectoryProviderId } from '../directory-model.js';

export const DIRECTORY_PROVIDER_NAMES: Record<DirectoryProviderId, string> = {
  okta: 'Okta',
  'entra-id': 'Microsoft Entra ID',
  onelogin: 'OneLogin',
  jumpcloud: 'JumpCloud',
  ping: 'PingFederate / PingOne',
  'google-workspace': 'Google Workspace',
  // Not brand names: in the language shown.
  get 'generic-scim'() {
    return msg('Another SCIM 2.0 provider');
  },
  get 'directory-simulator'() {
    return msg('Directory Simulator');
  },
};

/** The providers an admin may pick: the simulator only in development sessions (`session.devMode`). */
export function availableDirectoryProviders(devMode: boolean): DirectoryProviderId[] {
  return DIRECTORY_PROVIDERS.filter((id) => devMode || id !== 'directory-simulator');
}
