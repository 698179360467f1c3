/**
 * Test links (issue 15, point 2): the IT admin often has no account in the app's assignment at
 * the IdP, so they ask a colleague to run the test login. A test link is a single-use URL, valid
 * for 24 hours, scoped to one organization and connection: the colleague opens it, presses
 * "Sign in with <provider>", and the SP-initiated test it runs is stored like the admin's own
 * (`TestResult.testLinkId` names the link), so the portal shows the same result view.
 *
 * Kept apart from `model.ts` so the element's first load and the test step carry none of it: the
 * "Test link for a colleague" panel, the HttpAdapter's lazily loaded methods and the server
 * import it.
 */
import * as v from 'valibot';
import { HttpUrlSchema, IdSchema, TestResultSchema, TimestampSchema, text } from './model.js';
import { object } from './schema-helpers.js';

/** How long a test link works after it is made. */
export const TEST_LINK_HOURS = 24;

/**
 * - `pending`: made, not opened and signed in with yet;
 * - `used`: the colleague started the login (once: the link works no more); `result` says how it went;
 * - `expired`: 24 hours passed before it was used;
 * - `revoked`: the admin withdrew it before it was used.
 */
export const TestLinkStatusSchema = v.picklist(['pending', 'used', 'expired', 'revoked'], 'must be pending, used, expired or revoked');
export type TestLinkStatus = v.InferOutput<typeof TestLinkStatusSchema>;

/** What the admin gives when making a link: who it is for, to tell links apart (optional; plain text). */
export const TestLinkInputSchema = object({ label: v.optional(text(100)) });
export type TestLinkInput = v.InferOutput<typeof TestLinkInputSchema>;

export const TestLinkSchema = object({
  id: IdSchema,
  connectionId: IdSchema,
  label: v.optional(text(100)),
  status: TestLinkStatusSchema,
  createdAt: TimestampSchema,
  expiresAt: TimestampSchema,
  usedAt: v.nullable(TimestampSchema),
  revokedAt: v.nullable(TimestampSchema),
  /** The test the colleague's login ran, once used (pending until the IdP answers), with their profile and attributes. */
  result: v.nullable(object({ ...TestResultSchema.entries, testLinkId: v.optional(IdSchema) })),
});
export type TestLink = v.InferOutput<typeof TestLinkSchema>;

/** A link as made: its URL is answered this once (only a hash of its token is kept). */
export const TestLinkWithUrlSchema = object({ ...TestLinkSchema.entries, url: HttpUrlSchema });
export type TestLinkWithUrl = v.InferOutput<typeof TestLinkWithUrlSchema>;

/** A link's status at `now` from its times (a used link stays `used`, whatever its expiry). */
export function testLinkStatus(link: { usedAt: string | null; revokedAt: string | null; expiresAt: string }, now: Date): TestLinkStatus {
  if (link.usedAt) return 'used';
  if (link.revokedAt) return 'revoked';
  return Date.parse(link.expiresAt) <= now.getTime() ? 'expired' : 'pending';
}

/**
 * Why a link the colleague opened does not work, as the page tells them: a stable code and plain
 * words. The token is the secret, so telling its holder what became of the link gives nothing away.
 */
export const TEST_LINK_REFUSALS = {
  test_link_not_found: { title: 'This test link does not work', message: 'The address is incomplete, or the link was withdrawn. Ask the person who sent it for a new one.' },
  test_link_used: { title: 'This test link was already used', message: 'A test link works once, and someone already signed in with this one. If you need to test again, ask the person who sent it for a new link.' },
  test_link_expired: { title: 'This test link has expired', message: `A test link works for ${TEST_LINK_HOURS} hours. Ask the person who sent it for a new one.` },
  test_link_revoked: { title: 'This test link was withdrawn', message: 'The person who sent it withdrew it. Ask them for a new one if a test is still needed.' },
} as const;
export type TestLinkRefusal = keyof typeof TEST_LINK_REFUSALS;

/** The refusal for a link that is not `pending`. */
export function testLinkRefusal(status: TestLinkStatus | undefined): TestLinkRefusal | undefined {
  if (status === 'pending') return undefined;
  return status ? (`test_link_${status}` as TestLinkRefusal) : 'test_link_not_found';
}
