/**
 * The browser-side copy of the wizard's draft, so a reload, a failed save or an expired link
 * loses nothing the admin typed. sessionStorage: per tab, gone when the tab closes. The OIDC
 * client secret is never written.
 */
import { restoreDraft, storableDraft, type WizardDraft } from '../../core/wizard.js';

export { clearDraft, draftKey } from './draft-keys.js';

export function loadDraft(key: string): WizardDraft | null {
  try {
    const text = sessionStorage.getItem(key);
    return text ? restoreDraft(JSON.parse(text)) : null;
  } catch {
    return null; // storage disabled, or not our JSON
  }
}

export function saveDraft(key: string, draft: WizardDraft): void {
  try {
    sessionStorage.setItem(key, JSON.stringify(storableDraft(draft)));
  } catch {
    // Storage full or disabled: the draft still lives in memory.
  }
}
