/**
 * Email domains: what the admin may verify (the DNS record that proves it: `domain-txt-record.ts`).
 *
 * Pure: no DOM, no Lit. `normalizeDomain` relies only on the WHATWG `URL` parser for IDNA
 * (Unicode -> punycode), which browsers and Node 20 both implement. Its messages go through
 * `msg`: the portal's language in the browser, English on the server (no catalogue there).
 */
// The runtime's own modules, as in portal/localize/msg.ts (core imports nothing of the portal).
import { msg } from '@lit/localize/init/install.js';
import { str } from '@lit/localize/internal/str-tag.js';

/**
 * Addresses at these domains are open to anyone, so verifying one would send strangers'
 * sign-ins to the organization's identity provider. The list is deliberately conservative:
 * large consumer providers and their common country variants.
 */
export const PUBLIC_EMAIL_DOMAINS: readonly string[] = Object.freeze([
  // Google
  'gmail.com',
  'googlemail.com',
  // Microsoft
  'outlook.com',
  'outlook.de',
  'outlook.fr',
  'outlook.es',
  'outlook.it',
  'outlook.jp',
  'hotmail.com',
  'hotmail.co.uk',
  'hotmail.de',
  'hotmail.fr',
  'hotmail.es',
  'hotmail.it',
  'live.com',
  'live.co.uk',
  'live.de',
  'live.fr',
  'live.nl',
  'msn.com',
  'passport.com',
  // Yahoo and AOL
  'yahoo.com',
  'yahoo.co.uk',
  'yahoo.co.jp',
  'yahoo.de',
  'yahoo.fr',
  'yahoo.es',
  'yahoo.it',
  'yahoo.ca',
  'yahoo.com.au',
  'yahoo.com.br',
  'yahoo.co.in',
  'ymail.com',
  'rocketmail.com',
  'aol.com',
  'aim.com',
  // Apple
  'icloud.com',
  'me.com',
  'mac.com',
  // Privacy-focused and independent providers
  'proton.me',
  'protonmail.com',
  'protonmail.ch',
  'pm.me',
  'tutanota.com',
  'tutanota.de',
  'tuta.io',
  'tuta.com',
  'fastmail.com',
  'fastmail.fm',
  'hey.com',
  'zoho.com',
  'zohomail.com',
  'mail.com',
  'email.com',
  'hushmail.com',
  'posteo.de',
  'mailbox.org',
  // Europe
  'gmx.com',
  'gmx.de',
  'gmx.net',
  'gmx.at',
  'gmx.ch',
  'web.de',
  't-online.de',
  'freenet.de',
  'orange.fr',
  'wanadoo.fr',
  'free.fr',
  'laposte.net',
  'libero.it',
  'virgilio.it',
  'seznam.cz',
  'wp.pl',
  'o2.pl',
  'onet.pl',
  'interia.pl',
  // Russia and Asia
  'yandex.ru',
  'yandex.com',
  'ya.ru',
  'mail.ru',
  'bk.ru',
  'inbox.ru',
  'list.ru',
  'rambler.ru',
  'qq.com',
  'foxmail.com',
  '163.com',
  '126.com',
  'yeah.net',
  'sina.com',
  'sohu.com',
  'aliyun.com',
  'naver.com',
  'daum.net',
  'hanmail.net',
  'rediffmail.com',
  // Americas
  'comcast.net',
  'verizon.net',
  'att.net',
  'sbcglobal.net',
  'bellsouth.net',
  'cox.net',
  'charter.net',
  'earthlink.net',
  'juno.com',
  'bol.com.br',
  'uol.com.br',
]);

const PUBLIC = new Set(PUBLIC_EMAIL_DOMAINS);

/** Whether `domain` (normalised: lower case, punycode, no trailing dot) is a public email provider. */
export function isPublicEmailDomain(domain: string): boolean {
  return PUBLIC.has(domain);
}

/** Why an input is not a domain the admin can verify; finer than the error code, for tests and hosts. */
export type DomainInputProblem =
  | 'empty'
  | 'scheme'
  | 'email'
  | 'path'
  | 'port'
  | 'wildcard'
  | 'characters'
  | 'ip_address'
  | 'single_label'
  | 'empty_label'
  | 'label_too_long'
  | 'too_long'
  | 'public_email';

export interface DomainInputError {
  /** `domain_public_email` for a public email provider, `domain_invalid` for anything else. */
  code: 'domain_invalid' | 'domain_public_email';
  /** What is wrong and what to enter instead, in plain words, for the admin. */
  message: string;
  problem: DomainInputProblem;
}

export type NormalizedDomain = { ok: true; domain: string } | { ok: false; error: DomainInputError };

const MAX_INPUT = 1024;
const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** What the admin typed, shortened so that a pasted page does not flood the message (the messages quote it). */
function short(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const ipAddress = () => invalid('ip_address', msg('This is an IP address. Enter the domain name of your email addresses instead, such as example.com.'));

function invalid(problem: DomainInputProblem, message: string): NormalizedDomain {
  return { ok: false, error: { code: 'domain_invalid', message, problem } };
}

/**
 * Turns what an admin typed into the domain name a backend stores, or says in plain words what
 * is wrong: trims, lower-cases, drops a trailing dot, converts an internationalised name to
 * punycode (`bücher.example` -> `xn--bcher-kva.example`), and refuses URLs, email addresses,
 * ports, wildcards, IP addresses, single labels (`localhost`), over-long names and public email
 * providers. Never throws.
 */
export function normalizeDomain(input: string): NormalizedDomain {
  const raw = typeof input === 'string' ? input.trim() : '';
  if (!raw) return invalid('empty', msg('Enter a domain name, such as example.com.'));
  if (raw.length > MAX_INPUT) return invalid('too_long', msg('This is too long for a domain name: a domain name has at most 253 characters.'));

  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw);
  if (scheme) {
    const prefix = short(scheme[0]);
    const host = short(raw.slice(scheme[0].length).split(/[/\\?#:@]/)[0] ?? '');
    const path = /[/\\?#]/.test(raw.slice(scheme[0].length));
    return invalid(
      'scheme',
      host
        ? path
          ? msg(str`Remove “${prefix}” and the path: enter only the domain name, here “${host}”.`)
          : msg(str`Remove “${prefix}”: enter only the domain name, here “${host}”.`)
        : msg(str`Remove “${prefix}”: enter only the domain name, such as example.com.`),
    );
  }
  const at = raw.lastIndexOf('@');
  if (at >= 0) {
    const after = short(raw.slice(at + 1));
    return invalid(
      'email',
      after ? msg(str`This looks like an email address: enter only the part after @, here “${after}”.`) : msg('This looks like an email address: enter only the part after @.'),
    );
  }
  const pathAt = raw.search(/[/\\?#]/);
  if (pathAt >= 0) {
    const host = short(raw.slice(0, pathAt));
    const path = short(raw.slice(pathAt));
    return invalid(
      'path',
      host ? msg(str`Remove the path “${path}”: enter only the domain name, here “${host}”.`) : msg(str`Remove the path “${path}”: enter only the domain name, such as example.com.`),
    );
  }
  if (raw.startsWith('[') || (raw.match(/:/g)?.length ?? 0) > 1) return ipAddress();
  const colon = raw.indexOf(':');
  if (colon >= 0) {
    const port = short(raw.slice(colon));
    const host = short(raw.slice(0, colon));
    return invalid('port', msg(str`Remove the port “${port}”: enter only the domain name, here “${host}”.`));
  }
  if (raw.includes('*')) {
    const base = short(raw.replace(/^(\*\.)+/, ''));
    return invalid(
      'wildcard',
      base && !base.includes('*')
        ? msg(str`Wildcards are not supported: enter the domain itself, here “${base}”. Add each subdomain your users have email addresses at separately.`)
        : msg('Wildcards are not supported: enter the domain itself. Add each subdomain your users have email addresses at separately.'),
    );
  }
  if (/\s/.test(raw)) return invalid('characters', msg('A domain name has no spaces. Enter only the domain name, such as example.com.'));
  if (raw.includes('%')) return invalid('characters', msg('A domain name may only contain letters, digits, hyphens and dots.'));

  let host = raw.toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1);
  let ascii: string;
  try {
    ascii = new URL(`http://${host}`).hostname;
  } catch {
    return invalid('characters', msg('This is not a valid domain name. A domain name may only contain letters, digits, hyphens and dots, such as example.com.'));
  }
  if (IPV4.test(ascii) || ascii.startsWith('[')) return ipAddress();
  const labels = ascii.split('.');
  if (labels.length < 2) {
    const typed = short(host);
    return invalid('single_label', msg(str`“${typed}” is not a full domain name. Enter a domain with a dot, such as example.com.`));
  }
  if (labels.some((label) => label === '')) {
    return invalid('empty_label', msg('This domain name has two dots in a row, or starts with a dot. Enter it as in your email addresses, such as example.com.'));
  }
  if (labels.some((label) => label.length > 63)) {
    return invalid('label_too_long', msg('Each part of a domain name between two dots can be at most 63 characters long.'));
  }
  if (ascii.length > 253) return invalid('too_long', msg('This is too long for a domain name: a domain name has at most 253 characters.'));
  if (!labels.every((label) => LABEL.test(label)) || /^\d+$/.test(labels[labels.length - 1]!)) {
    return invalid(
      'characters',
      msg('A domain name may only contain letters, digits, hyphens and dots, and no part may start or end with a hyphen.'),
    );
  }
  if (isPublicEmailDomain(ascii)) {
    return {
      ok: false,
      error: {
        code: 'domain_public_email',
        problem: 'public_email',
        message: msg(
          str`${ascii} is a public email provider: anyone can get an address there, so verifying it would send people outside your organization to your identity provider. Enter a domain your organization owns.`,
        ),
      },
    };
  }
  return { ok: true, domain: ascii };
}
