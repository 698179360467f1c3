/**
 * Where a wizard draft is kept in sessionStorage, and how to forget it: all the overview needs
 * (it clears the draft of a deleted connection) without the wizard's draft rules.
 */
const PREFIX = 'sso-admin-portal:draft:';

export function draftKey(organizationId: string, connectionId: string | null): string {
  return `${PREFIX}${organizationId}:${connectionId ?? 'new'}`;
}

export function clearDraft(key: string): void {
  try {
    sessionStorage.removeItem(key);
  } catch {
    // nothing to clear
  }
}
