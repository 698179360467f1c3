/**
 * Domain rules: add, apply a DNS check, verify manually, remove.
 *
 * - A name is normalized by core `normalizeDomain` (case, trailing dot, IDN); what it refuses
 *   is `domain_invalid` (a public email provider says so in `details.reason`). Adding a domain
 *   the organization has is `conflict`; one verified elsewhere (`takenDomains`) is `domain_taken`.
 * - A new domain is `pending` with its TXT record `_sso-verification.<name>`; its value comes
 *   from the caller (random on a server) or, by default, `sso-verification=<new id 'dv'>`.
 * - A check that passes verifies the domain; one that fails leaves a verified domain verified and
 *   makes another `failed`. What a DNS lookup found is kept as `lastCheck`.
 *
 * This file imports the list of public email providers (core/domains.ts): the MemoryAdapter
 * loads it lazily. Looking up DNS, and deciding across organizations who owns a verified domain,
 * happen outside (the database's unique index on a server).
 */
import { normalizeDomain } from '../domains.js';
import { PortalError } from '../errors.js';
import type { Domain, DomainCheck } from '../model.js';
import { applied, checked, freshId, type OrganizationState, type Outcome, type RuleContext, type RuleResult } from './state.js';

/** A domain name as stored: normalized when valid, else only trimmed, lower-cased and without a final dot. */
export function domainKey(name: string): string {
  const result = normalizeDomain(name);
  return result.ok ? result.domain : name.trim().toLowerCase().replace(/\.$/, '');
}

function domainIn(state: OrganizationState, name: string): Domain {
  const key = domainKey(name);
  const domain = state.domains.find((d) => d.name === key);
  if (!domain) throw new PortalError('not_found', { message: `No domain ${name}.` });
  return domain;
}

/** The organization's domain of this name (in any spelling), or `not_found`. */
export function findDomain(state: OrganizationState, name: string): Outcome<Domain> {
  return checked(() => domainIn(state, name));
}

/** The normalized form of a domain the admin typed, or `domain_invalid` with the reason. */
export function checkDomainName(name: string): Outcome<string> {
  return checked(() => {
    const result = normalizeDomain(name);
    if (!result.ok) {
      // A public email provider is a domain no one can own: `domain_invalid`, with the reason.
      throw new PortalError('domain_invalid', {
        message: result.error.message,
        details: result.error.code === 'domain_public_email' ? { name, reason: 'domain_public_email' } : { name },
      });
    }
    return result.domain;
  });
}

export interface AddDomainOptions {
  /** The TXT record's value (default `sso-verification=` and a new `dv` id). */
  txtValue?: string;
  /** Domains other organizations verified (any spelling): adding one is `domain_taken`. */
  takenDomains?: readonly string[];
}

/** Adds a `pending` domain to verify by a DNS TXT record. */
export function addDomain(state: OrganizationState, ctx: RuleContext, name: string, options: AddDomainOptions = {}): RuleResult<Domain> {
  return applied(() => {
    const normalized = checkDomainName(name);
    if (!normalized.ok) throw normalized.error;
    const domainName = normalized.value;
    if (state.domains.some((d) => d.name === domainName)) {
      throw new PortalError('conflict', { message: `${domainName} is already added.`, details: { name: domainName } });
    }
    if ((options.takenDomains ?? []).some((other) => domainKey(other) === domainName)) {
      throw new PortalError('domain_taken', { details: { name: domainName } });
    }
    const domain: Domain = {
      name: domainName,
      status: 'pending',
      txtRecord: { name: `_sso-verification.${domainName}`, value: options.txtValue ?? `sso-verification=${freshId(state, ctx, 'dv')}` },
      method: 'dns_txt',
      verifiedAt: null,
      lastCheckedAt: null,
    };
    return { state: { ...state, domains: [...state.domains, domain] }, value: domain };
  });
}

function replaceDomain(state: OrganizationState, next: Domain): OrganizationState {
  return { ...state, domains: state.domains.map((d) => (d.name === next.name ? next : d)) };
}

/**
 * Records a check of a domain's TXT record: `true`/`false`, or what a DNS lookup found (kept as
 * `lastCheck`; it passes when its result is `verified`).
 */
export function applyDomainCheck(state: OrganizationState, ctx: RuleContext, name: string, answer: boolean | DomainCheck): RuleResult<Domain> {
  return applied(() => {
    const current = domainIn(state, name);
    const passes = typeof answer === 'boolean' ? answer : answer.result === 'verified';
    const now = ctx.now.toISOString();
    const next: Domain = { ...current, lastCheckedAt: now };
    if (typeof answer !== 'boolean') next.lastCheck = structuredClone(answer);
    if (passes) {
      next.status = 'verified';
      next.verifiedAt = now;
    } else if (current.status !== 'verified') {
      next.status = 'failed';
    }
    return { state: replaceDomain(state, next), value: next };
  });
}

/**
 * The host's admin vouches for a domain: added if the organization does not have it yet (with
 * `txtValue`, as {@link addDomain}), then verified with method `manual`.
 */
export function verifyDomainManually(state: OrganizationState, ctx: RuleContext, name: string, options: Pick<AddDomainOptions, 'txtValue'> = {}): RuleResult<Domain> {
  return applied(() => {
    const normalized = checkDomainName(name);
    if (!normalized.ok) throw normalized.error;
    let next = state;
    if (!state.domains.some((d) => d.name === normalized.value)) {
      const added = addDomain(state, ctx, normalized.value, options);
      if (!added.ok) throw added.error;
      next = added.state;
    }
    const verified = applyDomainCheck(next, ctx, normalized.value, true);
    if (!verified.ok) throw verified.error;
    const domain: Domain = { ...verified.value, method: 'manual' };
    return { state: replaceDomain(verified.state, domain), value: domain };
  });
}

/** Removes a domain (`not_found` when the organization does not have it). */
export function removeDomain(state: OrganizationState, name: string): RuleResult<void> {
  return applied(() => {
    const domain = domainIn(state, name);
    return { state: { ...state, domains: state.domains.filter((d) => d !== domain) }, value: undefined };
  });
}
