/**
 * Sign-in and directory together (issue 14, point 5): what the organization's enabled
 * directories say about a user signing in through SSO, matched by email: its `userName` or its
 * primary email, case-insensitively (a directory in `setup` or `disabled` says nothing).
 *
 * - deactivated: one of them has the user with `active: false`: the sign-in is refused;
 * - groups: the display names of its groups in those directories (the signed-in page shows them).
 */
import { userSummary } from '../scim/scim-resources.js';
import type { DirectoryStore } from '../store/store.js';

export interface DirectoryStanding {
  /** The enabled directory that deactivated the user (the first one found). */
  deactivatedBy?: { id: string; name: string };
  /** Its groups in the enabled directories where it is active, by display name, without repeats. */
  groups: string[];
}

/** Users read per page while looking for an email (the search matches substrings; exact matches are kept). */
const PAGE = 100;

/** What the organization's enabled directories say about `email`; undefined when none of them has it. */
export async function directoryStanding(directories: DirectoryStore, organizationId: string, email: string | null | undefined): Promise<DirectoryStanding | undefined> {
  const wanted = (email ?? '').trim().toLowerCase();
  if (!wanted) return undefined;
  const enabled = (await directories.listDirectories(organizationId)).filter((d) => d.status === 'enabled');
  let found = false;
  let deactivatedBy: DirectoryStanding['deactivatedBy'];
  const groups = new Set<string>();
  for (const directory of enabled) {
    // Every user whose userName, email or display name contains the email (all pages), the exact matches kept.
    for (let after: string | undefined, more = true; more; ) {
      const page = await directories.listUsersPage(directory.id, { search: wanted, limit: PAGE, ...(after ? { after } : {}) });
      if (!page) break;
      for (const user of page.users) {
        const summary = userSummary(user.doc);
        if (summary.userName.toLowerCase() !== wanted && summary.email?.toLowerCase() !== wanted) continue;
        found = true;
        if (!summary.active) deactivatedBy ??= { id: directory.id, name: directory.name };
        else for (const group of user.groups) if (group.display) groups.add(group.display);
      }
      more = page.more;
      after = page.users.at(-1)?.id;
    }
  }
  return found ? { ...(deactivatedBy ? { deactivatedBy } : {}), groups: [...groups] } : undefined;
}
