// Known networks (issue #15 item 7): the networks an account signed in from with its password,
// kept small, and written at most once a day per network.
import { describe, it, expect } from 'vitest';
import { afterSignIn, isKnownNetwork, onlyNetwork, pruneNetworks, KNOWN_NETWORK_KEPT_MS, MAX_KNOWN_NETWORKS } from '../../shared/domain/known-networks.js';

const NOW = Date.parse('2026-12-03T10:00:00Z');
const DAY = 86_400_000;

describe('known networks', () => {
  it('a network is known for 90 days after a sign-in from it', () => {
    const known = { '198.51.100.7': NOW - KNOWN_NETWORK_KEPT_MS, '2001:db8:a:b::/64': NOW - KNOWN_NETWORK_KEPT_MS - 1 };
    expect(isKnownNetwork(known, '198.51.100.7', NOW)).toBe(true);
    expect(isKnownNetwork(known, '2001:db8:a:b::/64', NOW)).toBe(false);
    expect(isKnownNetwork(known, '198.51.100.8', NOW)).toBe(false);
    expect(isKnownNetwork(undefined, '198.51.100.7', NOW)).toBe(false);
  });

  it("'unknown' and what is no address are never known, nor recorded; nor are inherited keys", () => {
    expect(isKnownNetwork({ unknown: NOW }, 'unknown', NOW)).toBe(false);
    expect(afterSignIn({}, 'unknown', NOW)).toBeUndefined();
    expect(afterSignIn({}, '__proto__', NOW)).toBeUndefined();
    expect(isKnownNetwork({}, 'constructor', NOW)).toBe(false);
    expect(onlyNetwork('unknown', NOW)).toEqual({});
  });

  it('a sign-in from a network seen within a day writes nothing; a new one, or one seen a day ago, is written', () => {
    const known = { '198.51.100.7': NOW - DAY + 1, '203.0.113.1': NOW - DAY };
    expect(afterSignIn(known, '198.51.100.7', NOW)).toBeUndefined();
    expect(afterSignIn(known, '203.0.113.1', NOW)).toEqual({ '198.51.100.7': NOW - DAY + 1, '203.0.113.1': NOW });
    expect(afterSignIn(known, '2001:db8:a:b::/64', NOW)).toEqual({ ...known, '2001:db8:a:b::/64': NOW });
    expect(afterSignIn(undefined, '198.51.100.7', NOW)).toEqual({ '198.51.100.7': NOW });
  });

  it('a sign-in writes the entries still kept: older than 90 days dropped, then the 10 most recent', () => {
    const many = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`192.0.2.${i}`, NOW - (i + 1) * DAY]));
    const stale = { '203.0.113.9': NOW - KNOWN_NETWORK_KEPT_MS - 1 };
    const next = afterSignIn({ ...many, ...stale }, '198.51.100.7', NOW)!;
    expect(Object.keys(next)).toHaveLength(MAX_KNOWN_NETWORKS);
    expect(next['198.51.100.7']).toBe(NOW);
    expect(Object.keys(next).sort()).toEqual(['198.51.100.7', ...Array.from({ length: 9 }, (_, i) => `192.0.2.${i}`)].sort());
  });

  it('a sign-in from a network seen within a day still writes when an entry has expired, to drop it', () => {
    const known = { '198.51.100.7': NOW - DAY + 1, '203.0.113.9': NOW - KNOWN_NETWORK_KEPT_MS - 1 };
    expect(afterSignIn(known, '198.51.100.7', NOW)).toEqual({ '198.51.100.7': NOW - DAY + 1 });
  });

  it('pruning drops entries that are not a time or not a network', () => {
    expect(pruneNetworks({ '198.51.100.7': NOW, '192.0.2.1': 'yesterday' as unknown as number, 'not a network': NOW }, NOW)).toEqual({ '198.51.100.7': NOW });
  });

  it('after a password change only the network it was made from stays', () => {
    expect(onlyNetwork('2001:db8:a:b::/64', NOW)).toEqual({ '2001:db8:a:b::/64': NOW });
  });
});
