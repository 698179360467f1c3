/**
 * The public events of directory sync, apart from `events.ts` so the element's entry carries
 * none of them: they load with the directory section. Like the others, they carry their payload
 * as properties (`event.directory`: its `id`, `provider`, `name`, `status`, counts), bubble and
 * are composed.
 */
import type { Directory } from '../../core/directory-model.js';

const init = { bubbles: true, composed: true } as const;

/** A directory was enabled: its users and groups now reach the application. */
export class SsoDirectoryEnabledEvent extends Event {
  static readonly eventName = 'sso-directory-enabled';
  constructor(readonly directory: Directory) {
    super(SsoDirectoryEnabledEvent.eventName, init);
  }
}

/** A directory was disabled: its SCIM requests are refused from now on (its data is kept). */
export class SsoDirectoryDisabledEvent extends Event {
  static readonly eventName = 'sso-directory-disabled';
  constructor(readonly directory: Directory) {
    super(SsoDirectoryDisabledEvent.eventName, init);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'sso-directory-enabled': SsoDirectoryEnabledEvent;
    'sso-directory-disabled': SsoDirectoryDisabledEvent;
  }
}
