/**
 * A directory provider's guide (directory sync, SCIM 2.0): where in its console to connect this
 * portal's SCIM base URL and bearer token, which provisioning options to turn on, and how its
 * attributes map. One module per provider (`<id>.ts`), loaded when the admin picks it
 * (`load.ts`); texts mark the console's own labels as `**UI labels**`.
 */
import type { DirectoryProviderId } from '../directory-model.js';

export interface DirectoryGuide {
  id: DirectoryProviderId;
  name: string;
  /**
   * Whether the provider can send SCIM requests to this portal. Google Workspace cannot (it
   * provisions only the apps of its own catalog): its guide says what to do instead, and the
   * portal issues no token for it.
   */
  canPush: boolean;
  /** Where to go in the provider's console and what to enter, in order. */
  steps: string[];
  /** Provisioning options to turn on. */
  options: string[];
  /** Attribute mapping notes. */
  mapping: string[];
  /** What the provider's console calls the SCIM base URL and the token. */
  urlLabel: string;
  tokenLabel: string;
  /** Added to the SCIM base URL the admin copies (Entra ID's SCIM-compliance flag). */
  urlSuffix?: string;
  /** The provider's own documentation. */
  help?: { label: string; url: string };
}
