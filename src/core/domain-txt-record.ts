/**
 * The DNS TXT record that proves an email domain, as a DNS console asks for it. Apart from
 * `domains.ts` so the portal's domains panel shows a record without loading
 * the input rules and the public email providers' list (issue 12).
 */
import type { Domain } from './model.js';

/** How to write a domain's TXT record at a DNS provider. */
export interface TxtRecordHelp {
  type: 'TXT';
  /** The full record name, e.g. `_sso-verification.megacorp.example`. */
  name: string;
  /**
   * The name relative to the domain (`_sso-verification`, or `@` for the domain itself): what
   * DNS providers that add the domain themselves expect in their "Host" or "Name" field.
   */
  host: string;
  /** The record's exact value. */
  value: string;
}

/** The TXT record to create for `domain`, with the relative host name many DNS consoles ask for. */
export function txtRecordHelp(domain: Pick<Domain, 'name' | 'txtRecord'>): TxtRecordHelp {
  const name = domain.txtRecord.name.replace(/\.$/, '');
  const zone = domain.name.replace(/\.$/, '');
  let host = name;
  if (name.toLowerCase() === zone.toLowerCase()) host = '@';
  else if (name.toLowerCase().endsWith(`.${zone.toLowerCase()}`)) host = name.slice(0, -(zone.length + 1));
  return { type: 'TXT', name, host, value: domain.txtRecord.value };
}
