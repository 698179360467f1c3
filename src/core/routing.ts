/**
 * Where an email signs in, and why: the one decision home-realm discovery makes
 * (`LoginFlows.discover` on the server) and the routing preview shows (the portal's domains
 * panel, the host's dashboard, the admin API). Both call {@link explainRouting}, so the preview
 * cannot say anything discovery would not do.
 *
 * The rule: the organization that verified the email's domain decides. Among its connections, a
 * staged one (active for test users only, `Connection.staged`) that lists the email signs it in;
 * otherwise an active one (for everyone); otherwise the user signs in as before (password).
 * A staged connection wins over an active one for its test users: that is how an organization
 * tries a new identity provider with a few people while everyone else keeps the current one.
 *
 * Pure: no I/O. The caller looks up the domain's owner and its connections.
 */
import { normalizeDomain } from './domains.js';
import type { Connection } from './model.js';

/** Why a step of the decision went the way it did (stable codes; the messages are for people). */
export type RoutingReasonCode =
  | 'invalid_email'
  | 'no_verified_domain'
  | 'not_verified_here'
  | 'domain_verified'
  | 'test_user'
  | 'not_a_test_user'
  | 'active_for_everyone'
  | 'no_active_connection';

export interface RoutingReason {
  code: RoutingReasonCode;
  message: string;
}

/** What happens when this email signs in. */
export interface RoutingDecision {
  /** The email as typed (trimmed). */
  email: string;
  /** Its domain, normalized (absent when the email is not one). */
  domain?: string;
  /** `sso`: to `connection`'s identity provider; `password`: as before SSO; `invalid`: not an email address. */
  route: 'sso' | 'password' | 'invalid';
  /** The organization that verified the domain (absent when none, or, in a portal's preview, another one). */
  organization?: { id: string; name: string };
  /** `sso`: the connection that signs the user in, and whether it is active for everyone or for test users. */
  connection?: { id: string; protocol: Connection['protocol']; providerId: string; name: string; stage: 'everyone' | 'test_users' };
  /** Each step, in order; the last one says where the user goes. */
  reasons: RoutingReason[];
}

/** What the caller looked up for the email's domain. */
export interface RoutingFacts {
  /** The organization that verified the domain, with its connections; null: no organization did. */
  owner: { id: string; name: string; connections: readonly Connection[] } | null;
  /**
   * A portal's preview: the organization whose admin asks. A domain it has not verified is
   * `not_verified_here`, whether or not another organization verified it (that is not its business).
   */
  viewer?: { id: string; name: string };
  /**
   * A provider's display name (`providerName` of `providers/names.ts`), for the reasons. Passed
   * in: importing the names here would make the bundler move them out of the element's entry
   * into a file of their own (this module is loaded lazily, by the demo's MemoryAdapter too).
   */
  providerName: (providerId: string) => string;
}

const EMAIL = /^[^\s@]{1,64}@([^\s@]{1,253})$/;

/** The email's normalized domain, or undefined when it is not an email address (at most 320 characters). */
export function emailDomain(email: string): string | undefined {
  const match = email.length <= 320 ? EMAIL.exec(email.trim()) : null;
  const checked = match ? normalizeDomain(match[1]!) : undefined;
  return checked?.ok ? checked.domain : undefined;
}

/** "Okta (employees)": the provider, and the admin's label for the connection (unless it names the provider). */
export function connectionLabel(connection: Pick<Connection, 'providerId' | 'name'>, providerName: (providerId: string) => string): string {
  const provider = providerName(connection.providerId);
  if (!connection.name) return provider;
  // A label that names the provider already ("Okta (employees)") is said as it is.
  return connection.name.toLowerCase().includes(provider.toLowerCase()) ? connection.name : `${provider} (${connection.name})`;
}

/** Whether `email` is one of a staged connection's test users (emails are stored lower case). */
export function isTestUser(connection: Pick<Connection, 'staged'>, email: string | undefined): boolean {
  return !!email && !!connection.staged?.testUsers.includes(email.trim().toLowerCase());
}

/** Where `email` signs in given `facts`, with the reasons. */
export function explainRouting(email: string, facts: RoutingFacts): RoutingDecision {
  const label = (c: Connection) => connectionLabel(c, facts.providerName);
  const typed = email.trim();
  const domain = emailDomain(typed);
  if (!domain) {
    return { email: typed, route: 'invalid', reasons: [{ code: 'invalid_email', message: 'Enter a work email address such as ada@megacorp.example.' }] };
  }
  const owner = facts.owner && (!facts.viewer || facts.owner.id === facts.viewer.id) ? facts.owner : null;
  if (!owner) {
    const message = facts.viewer
      ? `${domain} is not a verified domain of ${facts.viewer.name}, so its users are not sent to ${facts.viewer.name}’s identity provider.`
      : `No organization has verified ${domain}: password sign-in.`;
    return { email: typed, domain, route: 'password', reasons: [{ code: facts.viewer ? 'not_verified_here' : 'no_verified_domain', message }] };
  }
  const organization = { id: owner.id, name: owner.name };
  const reasons: RoutingReason[] = [{ code: 'domain_verified', message: `${domain} is verified by ${owner.name}.` }];
  const local = `${typed.slice(0, typed.lastIndexOf('@'))}@`;
  const decided = (connection: Connection, stage: 'everyone' | 'test_users'): RoutingDecision => ({
    email: typed,
    domain,
    route: 'sso',
    organization,
    connection: { id: connection.id, protocol: connection.protocol, providerId: connection.providerId, name: label(connection), stage },
    reasons,
  });
  const staged = owner.connections.filter((c) => c.staged && c.status !== 'active');
  const mine = staged.find((c) => isTestUser(c, typed));
  if (mine) {
    reasons.push({ code: 'test_user', message: `${label(mine)} is active for test users only; ${local} is one of them: single sign-on with ${label(mine)}.` });
    return decided(mine, 'test_users');
  }
  const active = owner.connections.find((c) => c.status === 'active');
  for (const c of staged) {
    reasons.push({ code: 'not_a_test_user', message: `${label(c)} is active for test users only; ${local} is not one of them${active ? '' : ': password sign-in'}.` });
  }
  if (active) {
    reasons.push({ code: 'active_for_everyone', message: `${label(active)} is active for everyone: single sign-on with ${label(active)}.` });
    return decided(active, 'everyone');
  }
  if (!staged.length) reasons.push({ code: 'no_active_connection', message: `${owner.name} has no active SSO connection yet: password sign-in.` });
  return { email: typed, domain, route: 'password', organization, reasons };
}

/** The decision in one sentence, as the demo login page and discovery's errors say it. */
export function routingSummary(decision: Pick<RoutingDecision, 'reasons'>): string {
  return decision.reasons.map((r) => r.message.replace(/\.$/, '')).join('; ') + '.';
}
