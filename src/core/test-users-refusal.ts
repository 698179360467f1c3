/**
 * Why a list of test users was refused (staged activation, `rules/staging.ts`), in words: the
 * rules' English `message`, and the portal's own text for the server's refusal, are one wording.
 * Apart from the rules, so the portal's rollout section carries only this.
 */
import { msg } from './text.js';
import { list, plural, str } from './text-forms.js';

/** Why a list of test users was refused (`details.reason` of `validation_failed`). */
export type TestUsersRefusal = 'no_test_users' | 'too_many_test_users' | 'invalid_email' | 'outside_verified_domains' | 'already_active';

/** What a refusal's `details` carry besides `reason` and `issues`: the values its text names. */
export interface RefusalValues {
  /** Those refused (the invalid ones, or else those outside the verified domains). */
  emails?: string[];
  verifiedDomains?: string[];
  max?: number;
}

/**
 * Why test users were refused, in the language shown: the portal words the server's refusal
 * with it (`details`), and the rules their English `message`, so both say the same. `undefined`
 * for a reason this version does not know (the portal then shows the server's message).
 */
export function testUsersRefusalText(details: Readonly<Record<string, unknown>> = {}): string | undefined {
  const strings = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
  const emails = strings(details.emails);
  const who = list(emails);
  const n = emails.length;
  switch (details.reason as TestUsersRefusal) {
    case 'no_test_users':
      return msg('Add at least one test user: the email address of a colleague who will try single sign-on first.');
    case 'too_many_test_users':
      return msg(str`At most ${String(details.max)} test users: for more, activate the connection for everyone.`);
    case 'already_active':
      return msg('This connection is already active for everyone. Turn it off first to try it with test users only.');
    case 'invalid_email':
      return n ? plural(n, { one: () => msg(str`${who} is not an email address.`), other: () => msg(str`These are not email addresses: ${who}.`) }) : undefined;
    case 'outside_verified_domains': {
      if (!n) return undefined;
      const domains = strings(details.verifiedDomains);
      const what = plural(n, {
        one: () => msg(str`${who} is not at a verified domain: only your organization’s own users can be test users.`),
        other: () => msg(str`These are not at a verified domain: ${who}. Only your organization’s own users can be test users.`),
      });
      return `${what} ${domains.length ? msg(str`Your verified domains: ${list(domains)}.`) : msg('No domain is verified yet.')}`;
    }
  }
  return undefined;
}

