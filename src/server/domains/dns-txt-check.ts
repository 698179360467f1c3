/// <reference types="node" />
/**
 * Domain ownership by DNS TXT record: looks up the TXT records at a name (the server uses
 * `_sso-verification.<domain>`, the name `MemoryAdapter.addDomain` gives `Domain.txtRecord`) and
 * judges them against the expected value (`sso-verification=<random>`), with a plain-language
 * sentence for the admin.
 *
 * Uses node:dns's c-ares `Resolver` (never the OS `getaddrinfo`), one per check so that an
 * answer cached by c-ares never hides a record the admin has just added.
 */
import { isIP } from 'node:net';
import { Resolver } from 'node:dns/promises';
import type { DomainCheck } from '../../core/model.js';

export type TxtCheckResult = 'verified' | 'missing' | 'wrong_value' | 'nxdomain' | 'timeout' | 'error';

export interface TxtCheck {
  result: TxtCheckResult;
  /** The name looked up, trimmed and without a trailing dot. */
  recordName: string;
  /** The value looked for, trimmed. */
  expected: string;
  /** TXT values found at the name, each record's strings joined; at most 20, each clipped to 512 characters. */
  found: string[];
  /** When the answer (or the failure) came, ISO 8601. */
  checkedAt: string;
  /** What happened and what to do, in plain language, for the admin. */
  message: string;
  /** When to check again, in plain language; absent once verified. */
  waitHint?: string;
  /** The resolver's error code (`ENODATA`, `ENOTFOUND`, `ETIMEOUT`, `ESERVFAIL`, ...), for logs. */
  errorCode?: string;
}

export interface TxtCheckerOptions {
  /** Resolvers as `IP[:port]`, e.g. `['127.0.0.1:5353']`; default: the system's resolvers. */
  servers?: string[];
  /** Milliseconds each server is given per try; default 5000. */
  timeoutMs?: number;
  /** Tries per server; default 2. */
  tries?: number;
  now?: () => Date;
}

/** At most this many TXT values are reported in `found`... */
export const MAX_FOUND = 20;
/** ...each clipped to this many characters. */
export const MAX_FOUND_LENGTH = 512;

const PROPAGATION_HINT = 'DNS changes usually appear within a few minutes, but some providers take up to an hour.';
const RETRY_HINT = 'This is usually temporary: try again in a minute.';
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/i;

/**
 * Returns a function that looks up the TXT records at `recordName` with node:dns's `Resolver`
 * (`setServers` when `servers` are given, `timeout`/`tries` options) and judges them against
 * `expected`. The returned function never throws; `createTxtChecker` throws a `TypeError` for
 * invalid options (a configuration mistake, better found at start-up).
 */
export function createTxtChecker(o: TxtCheckerOptions = {}): (recordName: string, expected: string) => Promise<TxtCheck> {
  const servers = o.servers === undefined ? undefined : o.servers.map((server) => parseServer(server, 'servers'));
  const timeoutMs = o.timeoutMs ?? 5000;
  const tries = o.tries ?? 2;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new TypeError(`timeoutMs must be a positive whole number of milliseconds, not ${String(o.timeoutMs)}.`);
  if (!Number.isInteger(tries) || tries < 1) throw new TypeError(`tries must be a positive whole number, not ${String(o.tries)}.`);
  if (servers?.length === 0) throw new TypeError('servers must name at least one resolver, or be left out for the system resolvers.');
  const now = o.now ?? (() => new Date());
  // c-ares backs off between tries; this outer deadline only guards against a lookup that hangs.
  const deadlineMs = timeoutMs * (2 ** tries - 1) * Math.max(1, servers?.length ?? 3) + 1000;

  return async (recordName: string, expected: string): Promise<TxtCheck> => {
    const name = typeof recordName === 'string' ? recordName.trim().replace(/\.$/, '') : '';
    const want = typeof expected === 'string' ? expected.trim() : '';
    const finish = (result: TxtCheckResult, found: string[], message: string, extra: Pick<TxtCheck, 'waitHint' | 'errorCode'> = {}): TxtCheck => {
      let checkedAt: string;
      try {
        checkedAt = now().toISOString();
      } catch {
        checkedAt = new Date().toISOString();
      }
      return { result, recordName: name, expected: want, found: clip(found), checkedAt, message, ...extra };
    };

    const problem = nameProblem(name);
    if (problem) return finish('error', [], problem, { errorCode: 'EBADNAME' });
    if (!want) return finish('error', [], 'There is no expected value to look for: add the domain again to get a new TXT record value.');

    let records: string[][];
    try {
      records = await lookup(name, servers, timeoutMs, tries, deadlineMs);
    } catch (error) {
      return judgeFailure(name, error, finish);
    }
    const values = records.map((chunks) => chunks.join(''));
    if (values.some((value) => value.trim() === want)) {
      return finish('verified', values, `We found the TXT record at ${name} with the expected value. Your domain is verified.`);
    }
    if (values.length === 0) return judgeFailure(name, Object.assign(new Error('no TXT'), { code: 'ENODATA' }), finish);
    return finish('wrong_value', values, wrongValueMessage(name, want, values), { waitHint: PROPAGATION_HINT });
  };
}

type Finish = (result: TxtCheckResult, found: string[], message: string, extra?: Pick<TxtCheck, 'waitHint' | 'errorCode'>) => TxtCheck;

async function lookup(name: string, servers: string[] | undefined, timeoutMs: number, tries: number, deadlineMs: number): Promise<string[][]> {
  const resolver = new Resolver({ timeout: timeoutMs, tries });
  if (servers) resolver.setServers(servers);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      resolver.cancel();
      reject(Object.assign(new Error(`DNS lookup of ${name} took longer than ${deadlineMs} ms`), { code: 'ETIMEOUT' }));
    }, deadlineMs);
    timer.unref();
  });
  try {
    return await Promise.race([resolver.resolveTxt(name), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function judgeFailure(name: string, error: unknown, finish: Finish): TxtCheck {
  const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : 'EUNKNOWN';
  switch (code) {
    case 'ENODATA':
      return finish('missing', [], `We found no TXT record at ${name}. Add it at your DNS provider; changes can take a few minutes to appear.`, {
        waitHint: PROPAGATION_HINT,
        errorCode: code,
      });
    case 'ENOTFOUND':
      return finish(
        'nxdomain',
        [],
        `We found no TXT record at ${name}: the name does not exist in DNS yet. Add a TXT record with this name at your DNS provider; changes can take a few minutes to appear.`,
        { waitHint: PROPAGATION_HINT, errorCode: code },
      );
    case 'ETIMEOUT':
    case 'ECONNREFUSED':
    case 'ECANCELLED':
      return finish('timeout', [], `The DNS lookup of ${name} did not get an answer in time, so we could not check the record yet.`, {
        waitHint: RETRY_HINT,
        errorCode: code,
      });
    case 'ESERVFAIL':
      return finish(
        'error',
        [],
        `The DNS servers for ${name} answered with a server failure, so we could not check the record. If this persists, check the domain's DNS settings at your DNS provider.`,
        { waitHint: RETRY_HINT, errorCode: code },
      );
    case 'EREFUSED':
      return finish('error', [], `The DNS server refused to look up ${name}, so we could not check the record.`, { waitHint: RETRY_HINT, errorCode: code });
    default:
      return finish('error', [], `The DNS lookup of ${name} failed (${code}), so we could not check the record.`, { waitHint: RETRY_HINT, errorCode: code });
  }
}

function wrongValueMessage(name: string, want: string, values: string[]): string {
  const fix = `Set its value to exactly ${want} at your DNS provider; changes can take a few minutes to appear.`;
  if (values.some((value) => unquote(value.trim()) === want)) {
    return `We found the TXT record at ${name}, but with quotation marks inside its value. Remove the quotation marks: the value must be exactly ${want}.`;
  }
  const prefix = want.includes('=') ? want.slice(0, want.indexOf('=') + 1) : '';
  if (prefix && values.some((value) => value.trim().startsWith(prefix))) {
    return `We found a TXT record at ${name}, but its value is not the current one (perhaps it is from an earlier attempt). ${fix}`;
  }
  const what = values.length === 1 ? 'a TXT record' : `${values.length} TXT records`;
  return `We found ${what} at ${name}, but none has the expected value. ${fix}`;
}

function unquote(value: string): string {
  return value.replace(/^["'“”]+|["'“”]+$/g, '').trim();
}

function clip(found: string[]): string[] {
  return found.slice(0, MAX_FOUND).map((value) => (value.length > MAX_FOUND_LENGTH ? value.slice(0, MAX_FOUND_LENGTH) : value));
}

/** Why `name` cannot be looked up, or undefined when it can. */
function nameProblem(name: string): string | undefined {
  if (!name) return 'There is no record name to look up.';
  const labels = name.split('.');
  if (name.length > 253 || labels.length < 2 || !labels.every((label) => LABEL.test(label))) {
    return `${name.length > 80 ? `${name.slice(0, 79)}…` : name} is not a DNS name we can look up.`;
  }
  return undefined;
}

/**
 * `SSO_PORTAL_DNS_SERVERS="127.0.0.1:5353,[::1]:53"` -> `['127.0.0.1:5353', '[::1]:53']`: a
 * comma-separated list of `IPv4[:port]`, `IPv6` or `[IPv6][:port]` (host names are refused: a
 * resolver must be reachable without DNS; empty entries are skipped). `undefined` when unset or
 * blank; an `Error` naming the bad entry otherwise.
 */
export function dnsServersFromEnv(value: string | undefined): string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) throw new Error(`SSO_PORTAL_DNS_SERVERS: "${value}" names no DNS server. Use IP addresses with optional ports, such as 127.0.0.1:5353,[::1]:53.`);
  return entries.map((entry) => parseServer(entry, 'SSO_PORTAL_DNS_SERVERS'));
}

/** One resolver address in the form `Resolver.setServers` takes, or an Error naming `source`. */
function parseServer(entry: string, source: string): string {
  const refuse = (): never => {
    const shown = entry.length > 60 ? `${entry.slice(0, 59)}…` : entry;
    throw new (source === 'servers' ? TypeError : Error)(
      `${source}: "${shown}" is not a DNS server address. Use an IP address with an optional port, such as 127.0.0.1:5353, ::1 or [::1]:53.`,
    );
  };
  if (typeof entry !== 'string') return refuse();
  const text = entry.trim();
  let host: string;
  let port: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) {
    host = bracketed[1]!;
    port = bracketed[2];
    if (isIP(host) !== 6) return refuse();
  } else if (isIP(text) === 6) {
    return text;
  } else {
    const v4 = /^([\d.]+)(?::(\d+))?$/.exec(text);
    if (!v4 || isIP(v4[1]!) !== 4) return refuse();
    host = v4[1]!;
    port = v4[2];
  }
  if (port !== undefined) {
    const number = Number(port);
    if (!/^\d{1,5}$/.test(port) || number < 1 || number > 65535) return refuse();
  }
  if (port === undefined) return host;
  return `${isIP(host) === 6 ? `[${host}]` : host}:${Number(port)}`;
}

/** A check as the portal shows it (`Domain.lastCheck`): the result, one message, what was found. */
export function domainCheckOf(check: TxtCheck): DomainCheck {
  return {
    result: check.result,
    message: check.waitHint ? `${check.message} ${check.waitHint}` : check.message,
    ...(check.found.length > 0 ? { found: check.found } : {}),
  };
}
