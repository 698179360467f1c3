/** Loads a directory provider's guide on demand, once (a failed load is tried again next time). */
import { lazyLoader } from '../lazy.js';
import type { DirectoryProviderId } from '../directory-model.js';
import type { DirectoryGuide } from './types.js';

const MODULES: Record<DirectoryProviderId, () => Promise<{ guide: DirectoryGuide }>> = {
  okta: () => import('./okta.js'),
  'entra-id': () => import('./entra-id.js'),
  onelogin: () => import('./onelogin.js'),
  jumpcloud: () => import('./jumpcloud.js'),
  ping: () => import('./ping.js'),
  'google-workspace': () => import('./google-workspace.js'),
  'generic-scim': () => import('./generic-scim.js'),
  'directory-simulator': () => import('./directory-simulator.js'),
};

export const directoryGuides = lazyLoader((id: DirectoryProviderId) => MODULES[id]().then((m) => m.guide));
