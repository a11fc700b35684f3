// Issue #15 item 7: per-address limits count an IPv6 client by its /64, which one subscriber is
// usually handed whole, so rotating addresses inside it buys no fresh budget.
import { describe, it, expect } from 'vitest';
import { clientIp, networkOf } from '../../shared/http/client-ip.js';

describe('clientIp', () => {
  it('is the right-most X-Forwarded-For entry, which the front end appended', () => {
    expect(clientIp('203.0.113.9, 198.51.100.7', '10.0.0.1')).toBe('198.51.100.7');
    expect(clientIp(undefined, '10.0.0.1')).toBe('10.0.0.1');
    expect(clientIp(undefined, undefined)).toBe('unknown');
  });
});

describe('networkOf', () => {
  it('an IPv4 address is its own network', () => {
    expect(networkOf('198.51.100.7')).toBe('198.51.100.7');
  });

  it('an IPv6 address stands for its /64, one spelling however the address is written', () => {
    const spellings = [
      '2001:db8:a:b:1:2:3:4',
      '2001:0DB8:000A:000B:ffff:ffff:ffff:ffff',
      '2001:db8:a:b::1',
      '2001:db8:a:b::',
      '2001:DB8:A:B:0:0:0:0',
      '2001:db8:a:b:5:6:7.8.9.10',
      '2001:db8:a:b::9%eth0',
    ];
    for (const ip of spellings) expect(networkOf(ip), ip).toBe('2001:db8:a:b::/64');
    expect(networkOf('2001:db8:a:c::1')).toBe('2001:db8:a:c::/64'); // the next /64 is another network
  });

  it('compresses the longest run of zero groups, the first of equal runs, never a single zero group', () => {
    expect(networkOf('2001:db8::1')).toBe('2001:db8::/64');
    expect(networkOf('2001:0:0:1:ab::')).toBe('2001:0:0:1::/64');
    expect(networkOf('2001:0:1:0::')).toBe('2001:0:1::/64');
    expect(networkOf('1:2:3:4:5:6:7:8')).toBe('1:2:3:4::/64');
    expect(networkOf('::1')).toBe('::/64');
    expect(networkOf('::')).toBe('::/64');
  });

  it('drops a zone id', () => {
    expect(networkOf('fe80::1%eth0')).toBe('fe80::/64');
    expect(networkOf('FE80::abcd%25en1')).toBe('fe80::/64');
  });

  it('an IPv4-mapped address is its IPv4 address, in either spelling', () => {
    expect(networkOf('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(networkOf('::FFFF:c000:0201')).toBe('192.0.2.1');
    expect(networkOf('0:0:0:0:0:ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(networkOf('::ffff:127.0.0.1')).toBe('127.0.0.1');
  });

  it('leaves what is not an address as it came', () => {
    for (const s of ['unknown', '', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '12345::', 'g::1', '1.2.3.4::', '::1.2.3', '1:2:3:4:5:6:7::8', '1:2:3:4:5:6:7:8::']) {
      expect(networkOf(s), s).toBe(s);
    }
  });
});
