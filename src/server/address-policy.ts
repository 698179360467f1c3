/// <reference types="node" />
/**
 * Which IP addresses the server may contact when it fetches a URL an admin typed (SAML
 * metadata, OpenID discovery). Anything that is not a public unicast address is refused: this
 * machine, private and link-local networks, carrier-grade NAT, cloud metadata services,
 * multicast, broadcast, documentation and benchmark ranges, and IPv6 forms that carry an IPv4
 * address (mapped, compatible, NAT64, 6to4), which get the verdict of the address they carry.
 *
 * Pure and synchronous: callers resolve names themselves and check every address.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** Why an address is not a public unicast address. */
export type AddressKind =
  | 'invalid'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'cgnat'
  | 'metadata'
  | 'multicast'
  | 'broadcast'
  | 'documentation'
  | 'benchmark'
  | 'reserved';

export interface AddressVerdict {
  /** True when the server must not connect to this address. */
  forbidden: boolean;
  /** What kind of special address this is; null for a public unicast address. */
  reason: AddressKind | null;
}

export interface AddressPolicyOptions {
  /** Allow 127.0.0.0/8 and ::1 (development only: a local IdP, the mock server). */
  allowLoopback: boolean;
}

/** Plain-language names for each kind, for messages to the admin. */
export const ADDRESS_KIND_LABELS: Readonly<Record<AddressKind, string>> = {
  invalid: 'an invalid address',
  unspecified: 'an unspecified address',
  loopback: 'this server itself (loopback)',
  private: 'a private network address',
  'link-local': 'a link-local network address',
  cgnat: 'a carrier-grade NAT (shared) address',
  metadata: 'a cloud metadata service',
  multicast: 'a multicast address',
  broadcast: 'a broadcast address',
  documentation: 'an address reserved for documentation',
  benchmark: 'an address reserved for benchmarking',
  reserved: 'a reserved address',
};

/**
 * Classifies an IPv4 or IPv6 address (brackets and an IPv6 zone such as `%eth0` are ignored)
 * and says whether the server may connect to it. Anything that does not parse is forbidden.
 */
export function isForbiddenAddress(ip: string, { allowLoopback }: AddressPolicyOptions): AddressVerdict {
  const reason = classifyAddress(ip);
  if (reason === null) return { forbidden: false, reason: null };
  return { forbidden: !(reason === 'loopback' && allowLoopback), reason };
}

/** The kind of special address, or null for a public unicast address. */
export function classifyAddress(ip: string): AddressKind | null {
  let text = ip.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const zone = text.indexOf('%');
  if (zone !== -1) text = text.slice(0, zone);
  if (isIPv4(text)) return classifyV4(parseV4(text));
  if (isIPv6(text)) {
    const bytes = parseV6(text);
    return bytes ? classifyV6(bytes) : 'invalid';
  }
  return 'invalid';
}

// ---------------------------------------------------------------------------------------
// IPv4

interface V4Range {
  base: number;
  bits: number;
  kind: AddressKind;
}

function v4(cidr: string, kind: AddressKind): V4Range {
  const [base = '', bits = '32'] = cidr.split('/');
  return { base: parseV4(base), bits: Number(bits), kind };
}

/** Most specific first: the first match wins. */
const V4_RANGES: readonly V4Range[] = [
  v4('169.254.169.254/32', 'metadata'), // AWS, GCP, Azure, OpenStack, Oracle...
  v4('169.254.170.2/32', 'metadata'), // AWS ECS task metadata
  v4('100.100.100.200/32', 'metadata'), // Alibaba Cloud
  v4('255.255.255.255/32', 'broadcast'),
  v4('0.0.0.0/8', 'unspecified'), // "this network"
  v4('10.0.0.0/8', 'private'),
  v4('100.64.0.0/10', 'cgnat'),
  v4('127.0.0.0/8', 'loopback'),
  v4('169.254.0.0/16', 'link-local'),
  v4('172.16.0.0/12', 'private'),
  v4('192.0.0.0/24', 'reserved'), // IETF protocol assignments
  v4('192.0.2.0/24', 'documentation'), // TEST-NET-1
  v4('192.31.196.0/24', 'reserved'), // AS112
  v4('192.52.193.0/24', 'reserved'), // AMT
  v4('192.88.99.0/24', 'reserved'), // 6to4 relay anycast (deprecated)
  v4('192.168.0.0/16', 'private'),
  v4('192.175.48.0/24', 'reserved'), // AS112 direct delegation
  v4('198.18.0.0/15', 'benchmark'),
  v4('198.51.100.0/24', 'documentation'), // TEST-NET-2
  v4('203.0.113.0/24', 'documentation'), // TEST-NET-3
  v4('224.0.0.0/4', 'multicast'),
  v4('240.0.0.0/4', 'reserved'), // class E
];

function parseV4(text: string): number {
  const parts = text.split('.').map(Number);
  return (((parts[0] ?? 0) << 24) | ((parts[1] ?? 0) << 16) | ((parts[2] ?? 0) << 8) | (parts[3] ?? 0)) >>> 0;
}

function inV4(address: number, range: V4Range): boolean {
  if (range.bits === 0) return true;
  const mask = (0xffffffff << (32 - range.bits)) >>> 0;
  return ((address & mask) >>> 0) === ((range.base & mask) >>> 0);
}

function classifyV4(address: number): AddressKind | null {
  for (const range of V4_RANGES) if (inV4(address, range)) return range.kind;
  return null;
}

// ---------------------------------------------------------------------------------------
// IPv6

/** Parses an IPv6 address (already validated by `net.isIPv6`, zone removed) into 16 bytes. */
function parseV6(text: string): Uint8Array | null {
  let body = text.toLowerCase();
  const tail: number[] = [];
  // A trailing dotted IPv4 part (::ffff:10.0.0.1) stands for the last two groups.
  const lastColon = body.lastIndexOf(':');
  const last = body.slice(lastColon + 1);
  if (last.includes('.')) {
    if (!isIPv4(last)) return null;
    const value = parseV4(last);
    tail.push(value >>> 16, value & 0xffff);
    body = body.slice(0, lastColon + 1);
    if (body.endsWith(':') && !body.endsWith('::')) body = body.slice(0, -1);
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const toGroups = (part: string): number[] | null => {
    if (part === '') return [];
    const groups = part.split(':').map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN));
    return groups.some(Number.isNaN) ? null : groups;
  };
  const head = toGroups(halves[0] ?? '');
  const rest = halves.length === 2 ? toGroups(halves[1] ?? '') : [];
  if (!head || !rest) return null;
  const given = head.length + rest.length + tail.length;
  if (halves.length === 2 ? given > 7 : given !== 8) return null;
  const groups = [...head, ...new Array<number>(8 - given).fill(0), ...rest, ...tail];
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[i * 2] = g >> 8;
    bytes[i * 2 + 1] = g & 0xff;
  });
  return bytes;
}

interface V6Range {
  base: Uint8Array;
  bits: number;
  kind: AddressKind;
}

function v6(cidr: string, kind: AddressKind): V6Range {
  const [base = '', bits = '128'] = cidr.split('/');
  const bytes = parseV6(base);
  if (!bytes) throw new Error(`bad IPv6 range ${cidr}`);
  return { base: bytes, bits: Number(bits), kind };
}

function inV6(address: Uint8Array, base: Uint8Array, bits: number): boolean {
  for (let i = 0; i < 16 && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((address[i] ?? 0) & mask) !== ((base[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** Checked after the forms that embed IPv4; most specific first. */
const V6_RANGES: readonly V6Range[] = [
  v6('fd00:ec2::254/128', 'metadata'), // AWS IMDS over IPv6
  v6('::/128', 'unspecified'),
  v6('::1/128', 'loopback'),
  v6('100::/64', 'reserved'), // discard-only
  v6('64:ff9b:1::/48', 'private'), // local-use NAT64
  v6('2001:2::/48', 'benchmark'),
  v6('2001:db8::/32', 'documentation'),
  v6('2001::/23', 'reserved'), // IETF protocol assignments, Teredo, ORCHID
  v6('3fff::/20', 'documentation'),
  v6('fc00::/7', 'private'), // unique local
  v6('fe80::/10', 'link-local'),
  v6('fec0::/10', 'private'), // site-local (deprecated)
  v6('ff00::/8', 'multicast'),
];

const MAPPED = v6('::ffff:0:0/96', 'reserved'); // IPv4-mapped
const TRANSLATED = v6('::ffff:0:0:0/96', 'reserved'); // SIIT IPv4-translated
const COMPATIBLE = v6('::/96', 'reserved'); // IPv4-compatible (deprecated)
const NAT64 = v6('64:ff9b::/96', 'reserved'); // well-known NAT64 prefix
const SIX_TO_FOUR = v6('2002::/16', 'reserved'); // 6to4
const GLOBAL_UNICAST = v6('2000::/3', 'reserved');

function v4At(bytes: Uint8Array, offset: number): number {
  return (((bytes[offset] ?? 0) << 24) | ((bytes[offset + 1] ?? 0) << 16) | ((bytes[offset + 2] ?? 0) << 8) | (bytes[offset + 3] ?? 0)) >>> 0;
}

function classifyV6(bytes: Uint8Array): AddressKind | null {
  for (const range of V6_RANGES.slice(0, 3)) if (inV6(bytes, range.base, range.bits)) return range.kind;
  // Forms that carry an IPv4 address get that address's verdict.
  if (inV6(bytes, MAPPED.base, 96) || inV6(bytes, TRANSLATED.base, 96) || inV6(bytes, COMPATIBLE.base, 96) || inV6(bytes, NAT64.base, 96)) {
    return classifyV4(v4At(bytes, 12));
  }
  if (inV6(bytes, SIX_TO_FOUR.base, 16)) return classifyV4(v4At(bytes, 2));
  for (const range of V6_RANGES) if (inV6(bytes, range.base, range.bits)) return range.kind;
  // Only 2000::/3 is allocated for global unicast; everything else is not routed publicly.
  return inV6(bytes, GLOBAL_UNICAST.base, 3) ? null : 'reserved';
}
