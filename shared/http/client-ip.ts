// The client's address is found by walking X-Forwarded-For from the right: Google's front end
// appends the address that connected to it (locally the dev server does, acting as it). When that
// is a proxy Reckon trusts — Firebase Hosting forwarding to the function, named by the deploy in
// RECKON_TRUSTED_PROXIES — the entry that proxy appended, one to the left, is the next candidate,
// and so on. The first entry not inside a trusted range is the client. Entries further left are
// whatever the client sent and are never believed: a caller who reaches the function directly is
// the right-most entry, whatever header it sends.
import { BlockList, isIP, isIPv4 } from 'node:net';

export interface TrustedRange { address: string; prefix: number }

/** The widest range believed: anyone who can send from inside a trusted range can name any
 *  address, and Google's wide blocks hold machines anyone can rent. Trust the exact egress
 *  prefixes seen, listed one by one (docs/operations.md "Client addresses"). */
export const WIDEST_TRUSTED_PREFIX = { 4: 16, 6: 32 } as const;

/** Parses `a.b.c.d/n` or `x:y::/n` no wider than WIDEST_TRUSTED_PREFIX; undefined otherwise. */
export function parseRange(text: string): TrustedRange | undefined {
  const [address, prefixText, ...rest] = text.trim().split('/');
  const family = isIP(address ?? '') as 0 | 4 | 6;
  if (!family || rest.length || !/^\d{1,3}$/.test(prefixText ?? '')) return undefined;
  const prefix = Number(prefixText);
  if (prefix < WIDEST_TRUSTED_PREFIX[family] || prefix > (family === 4 ? 32 : 128)) return undefined;
  // An IPv6 range in ::/80 holds the IPv4-mapped addresses (::ffff:0:0/96), which stand for IPv4
  // addresses: write those ranges as IPv4, where their width is checked.
  if (family === 6 && ipv6Groups(address!)!.slice(0, 5).every((g) => g === 0)) return undefined;
  return { address: address!, prefix };
}

const lists = new WeakMap<readonly TrustedRange[], BlockList>();
function blockListOf(ranges: readonly TrustedRange[]): BlockList {
  let list = lists.get(ranges);
  if (!list) {
    list = new BlockList();
    for (const r of ranges) list.addSubnet(r.address, r.prefix, isIPv4(r.address) ? 'ipv4' : 'ipv6');
    lists.set(ranges, list);
  }
  return list;
}

/** An IPv4-mapped IPv6 address as its IPv4 address, so one range covers both spellings. */
function unmapped(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m && isIPv4(m[1]!) ? m[1]! : ip;
}

function trusted(ip: string, list: BlockList): boolean {
  const address = unmapped(ip.split('%')[0]!);
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export function clientIp(forwardedFor: string | string[] | undefined, socketAddress: string | undefined, trustedProxies: readonly TrustedRange[] = []): string {
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
  const entries = (header ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (entries.length === 0) return socketAddress ?? 'unknown';
  const list = trustedProxies.length ? blockListOf(trustedProxies) : undefined;
  let i = entries.length - 1;
  while (list && i > 0 && trusted(entries[i]!, list)) i--;
  // What a trusted proxy wrote is not an address (garbage, or `ip:port`): the proxy itself is the
  // last address known, rather than a string that could change with every request.
  if (i < entries.length - 1 && !isIP(unmapped(entries[i]!.split('%')[0]!))) return entries[i + 1]!;
  return entries[i]!;
}

/**
 * The network a client address stands for, the subject of every per-address limit: an IPv6
 * address is one of the 2^64 in its /64, which a single subscriber is usually handed whole, so
 * its /64 prefix in one canonical spelling (`2001:db8:0:1::/64`: lower case, no leading zeros,
 * the longest run of zero groups compressed, zone id dropped); an IPv4-mapped IPv6 address
 * (`::ffff:192.0.2.1`) is its IPv4 address; an IPv4 address is itself. Anything else (`unknown`)
 * is returned as it came.
 */
export function networkOf(ip: string): string {
  if (isIPv4(ip)) return ip;
  const groups = ipv6Groups(ip);
  if (!groups) return ip;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join('.');
  }
  return `${formatIpv6([...groups.slice(0, 4), 0, 0, 0, 0])}/64`;
}

/** The eight 16-bit groups of an IPv6 address (zone id ignored), or undefined if it is not one. */
function ipv6Groups(text: string): number[] | undefined {
  const address = text.split('%')[0]!.toLowerCase();
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  // A dotted IPv4 tail is allowed as the address's very last piece only.
  const parse = (part: string, last: boolean): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (const [i, piece] of pieces.entries()) {
      if (last && i === pieces.length - 1 && piece.includes('.')) {
        if (!isIPv4(piece)) return undefined;
        const [a, b, c, d] = piece.split('.').map(Number) as [number, number, number, number];
        out.push((a << 8) | b, (c << 8) | d);
      } else if (/^[0-9a-f]{1,4}$/.test(piece)) {
        out.push(parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = parse(halves[0]!, halves.length === 1);
  const tail = halves.length === 2 ? parse(halves[1]!, true) : [];
  if (!head || !tail) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const missing = 8 - head.length - tail.length;
  return missing >= 1 ? [...head, ...Array<number>(missing).fill(0), ...tail] : undefined;
}

/** RFC 5952 text of eight groups: the first longest run of two or more zero groups becomes `::`. */
function formatIpv6(groups: number[]): string {
  let best = { at: -1, length: 1 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { at: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.length).join(':')}`;
}
