/**
 * What the overview asks before it turns off or deletes a connection, and says once it has: a
 * chunk loaded with the confirmation dialog, so the element's first load carries none of it.
 */
import { msg, str } from '../localize/msg.js';
import type { ConfirmOptions } from '../ui/sso-confirm-dialog.js';

/** A name inside a sentence, isolated (FSI…PDI): an Arabic name in English text, or the reverse, keeps its order. */
const bidi = (name: string) => `\u2068${name}\u2069`;

type Question = ConfirmOptions & { /** Announced once done. */ done: string };

export const turnOffQuestion = (name: string): Question => ({
  title: msg(str`Turn off ${bidi(name)}?`),
  body: [msg('Your users will no longer be able to sign in with SSO, and go back to how they signed in before.'), msg('The configuration is kept: you can turn it on again later.')],
  confirmLabel: msg('Turn off'),
  tone: 'danger',
  done: msg(str`${bidi(name)} is turned off.`),
});

export const deleteQuestion = (name: string, active: boolean): Question => ({
  title: msg(str`Delete ${bidi(name)}?`),
  body: [
    ...(active ? [msg('This connection is active. Deleting it stops single sign-on now: your users can no longer sign in through it.')] : []),
    msg('Its configuration and test history are deleted. This cannot be undone.'),
  ],
  confirmLabel: active ? msg('Delete active connection') : msg('Delete'),
  tone: 'danger',
  done: msg(str`${bidi(name)} was deleted.`),
});
