// The client's address is the right-most X-Forwarded-For entry: the one Google's front end (or,
// locally, the dev server acting as it) appended. Entries to its left are whatever the client sent.
import { isIPv4 } from 'node:net';

export function clientIp(forwardedFor: string | string[] | undefined, socketAddress: string | undefined): string {
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
  const entries = (header ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return entries[entries.length - 1] ?? socketAddress ?? 'unknown';
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
