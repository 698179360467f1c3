/**
 * A metadata change waiting for review (`Connection.metadataRefresh.pending`): what approving or
 * dismissing one answers when there is none. A `conflict` (the state changed under the admin)
 * with the stable `details.reason` `metadata_change_not_pending`, not a code of its own: the
 * element already tells `conflict` (reload, review, try again), and every code costs bytes in
 * its first load. The message is the admin's language in the portal (core's `msg`); the server's
 * API answers it in English (`englishAnswer`, server/page-language.ts).
 */
import { PortalError } from './errors.js';
import { msg } from './text.js';

export const NO_PENDING_CHANGE = 'metadata_change_not_pending';

export function noPendingChange(): PortalError {
  return new PortalError('conflict', {
    message: msg('No metadata change is waiting for review: it was approved or dismissed meanwhile, or the identity provider went back to the saved values.'),
    details: { reason: NO_PENDING_CHANGE },
  });
}
