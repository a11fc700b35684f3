// Issue #15 item 7: per-address limits count an IPv6 client by its /64, which one subscriber is
// usually handed whole, so rotating addresses inside it buys no fresh budget.
import { describe, it, expect, afterEach } from 'vitest';
import { randomBytes } from 'node:crypto';
import { ApiClient, newAccount, registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { configure } from '../../shared/config/config.js';
import { newFirestore } from '../support/firestore.js';
import { clientIp, networkOf, parseRange, type TrustedRange } from '../../shared/http/client-ip.js';
import { loadConfig, ConfigError } from '../../shared/config/config.js';

describe('clientIp', () => {
  it('is the right-most X-Forwarded-For entry, which the front end appended', () => {
    expect(clientIp('203.0.113.9, 198.51.100.7', '10.0.0.1')).toBe('198.51.100.7');
    expect(clientIp(undefined, '10.0.0.1')).toBe('10.0.0.1');
    expect(clientIp(undefined, undefined)).toBe('unknown');
  });

  // Behind Firebase Hosting the front end appends Hosting's own address; the deploy names
  // Hosting's ranges so the entry Hosting appended (the caller) is used instead.
  const hosting: TrustedRange[] = [parseRange('192.0.2.0/24')!, parseRange('2001:db8::/32')!];
  it('steps over entries inside the trusted proxies to the first that is not', () => {
    expect(clientIp('198.51.100.7, 192.0.2.4', '10.0.0.1', hosting)).toBe('198.51.100.7');
    expect(clientIp('198.51.100.7, 2001:db8:0:1::5', '10.0.0.1', hosting)).toBe('198.51.100.7');
    expect(clientIp('198.51.100.7, ::ffff:192.0.2.4', '10.0.0.1', hosting)).toBe('198.51.100.7');
    expect(clientIp('198.51.100.7, 192.0.2.9, 192.0.2.4', '10.0.0.1', hosting)).toBe('198.51.100.7');
  });

  it('never believes what the caller wrote: a direct caller is the right-most entry, whatever it claims', () => {
    // Spoofing needs the right-most entry inside a trusted range, which only the front end writes.
    expect(clientIp('192.0.2.4, 203.0.113.9', '10.0.0.1', hosting)).toBe('203.0.113.9');
    expect(clientIp('1.2.3.4, 198.51.100.7, 192.0.2.4', '10.0.0.1', hosting)).toBe('198.51.100.7');
    // Every entry trusted: the left-most is as far as the header goes.
    expect(clientIp('192.0.2.1, 192.0.2.4', '10.0.0.1', hosting)).toBe('192.0.2.1');
    // Garbage (or `ip:port`) where a proxy should have written an address: the proxy is the caller
    // as far as anyone knows, not a string that changes with every request.
    expect(clientIp('1.2.3.4, not-an-ip, 192.0.2.4', '10.0.0.1', hosting)).toBe('192.0.2.4');
    expect(clientIp('198.51.100.7:4711, 192.0.2.4', '10.0.0.1', hosting)).toBe('192.0.2.4');
  });

  it('is configured by RECKON_TRUSTED_PROXIES, and a range that is not CIDR or is too wide stops the start', () => {
    expect(loadConfig({ RECKON_TRUSTED_PROXIES: '192.0.2.0/24, 2001:db8::/32' }).trustedProxies).toEqual(hosting);
    expect(loadConfig({}).trustedProxies).toEqual([]);
    // Not CIDR, or wider than an IPv4 /16 or an IPv6 /32 (inside those anyone could rent a sender).
    for (const bad of ['192.0.2.0', '192.0.2.0/33', 'hosting', '2600::/129', '1.2.3.4/8/1', '0.0.0.0/0', '10.0.0.0/8', '::/0', '::ffff:0:0/96', '::ffff:c000:200/120', '::/32', '2001:db8::/31']) {
      expect(() => loadConfig({ RECKON_TRUSTED_PROXIES: bad }), bad).toThrow(ConfigError);
    }
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

describe('behind Firebase Hosting (its egress named in RECKON_TRUSTED_PROXIES)', () => {
  const HOSTING = '192.0.2.4';
  let reckon: Reckon | undefined;
  afterEach(async () => { await reckon?.close(); reckon = undefined; });

  /** One person's request as Hosting forwards it: Hosting appends their address, the front end Hosting's. */
  const viaHosting = (person: string) => ({ client: new ApiClient(reckon!, { address: HOSTING }), headers: { 'x-forwarded-for': person } });
  const wrongLogins = (n: number, from: { client: ApiClient; headers: Record<string, string> }) =>
    Promise.all(Array.from({ length: n }, (_, i) => from.client.post('/api/auth/login', { email: `nobody-${i}@example.com`, password: 'not the password' }, { headers: from.headers })));

  it('counts each caller by their own address: one guessing through Hosting does not lock out another, and a direct caller cannot spend their budget', async () => {
    reckon = await startReckon({ RECKON_TRUSTED_PROXIES: '192.0.2.0/24' });
    const owner = await registeredClient(reckon);
    const burst = await wrongLogins(31, viaHosting('198.51.100.66'));
    // 30 per address per 15 minutes: at most 30 are checked (a burst may refuse a few early).
    expect(burst.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(1);
    expect(burst.filter((r) => r.status === 401).length).toBeLessThanOrEqual(30);
    const mine = viaHosting('198.51.100.7');
    expect((await mine.client.post('/api/auth/login', { email: owner.account.email, password: owner.account.password }, { headers: mine.headers })).status).toBe(200);
    // Straight to the function, claiming to be the owner's address: counted as the direct caller.
    const direct = new ApiClient(reckon, { address: '203.0.113.9' });
    const posed = await wrongLogins(31, { client: direct, headers: { 'x-forwarded-for': '198.51.100.7' } });
    expect(posed.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(1);
    expect((await mine.client.post('/api/auth/login', { email: owner.account.email, password: owner.account.password }, { headers: mine.headers })).status).toBe(200);
  });

  it('without the setting, everyone Hosting forwards is one address: one guesser locks out the rest', async () => {
    reckon = await startReckon();
    const owner = await registeredClient(reckon);
    await wrongLogins(30, viaHosting('198.51.100.66'));
    const mine = viaHosting('198.51.100.7');
    expect((await mine.client.post('/api/auth/login', { email: owner.account.email, password: owner.account.password }, { headers: mine.headers })).status).toBe(429);
  });
});

describe('known networks in production, before and after Hosting\'s ranges are set', () => {
  const PRODUCTION = { RECKON_ENV: 'production', RECKON_SITE_ORIGIN: 'https://reckon.example', METADATA_SERVER_DETECTION: 'none', RECKON_SECRETS: 'env' };
  const key = () => randomBytes(32).toString('base64');
  const secrets = () => ({ RECKON_TOKEN_KEYS: JSON.stringify([{ kid: 'prod-1', secret: key() }]), RECKON_DATA_KEYS: JSON.stringify([{ version: 1, key: key() }]) });
  const origin = { origin: PRODUCTION.RECKON_SITE_ORIGIN };
  let reckon: Reckon | undefined;
  afterEach(async () => { await reckon?.close(); reckon = undefined; configure({ ...process.env }); });

  /** The owner registers from 198.51.100.7 (now a known network); someone else sends 10 wrong passwords; the owner signs in again from there. */
  async function ownerAfterGuessing(env: Record<string, string>): Promise<number> {
    reckon = await startReckon({ ...PRODUCTION, ...secrets(), ...env });
    const account = newAccount();
    expect((await new ApiClient(reckon, { address: '198.51.100.7' }).post('/api/auth/register', account, { headers: origin })).status).toBe(201);
    const guesser = new ApiClient(reckon, { address: '203.0.113.9' });
    await Promise.all(Array.from({ length: 10 }, () => guesser.post('/api/auth/login', { email: account.email, password: 'not the password' }, { headers: origin })));
    return (await new ApiClient(reckon, { address: '198.51.100.7' }).post('/api/auth/login', { email: account.email, password: account.password }, { headers: origin })).status;
  }

  it('are neither used nor remembered while every caller through the site may be Hosting itself (no RECKON_TRUSTED_PROXIES)', async () => {
    expect(await ownerAfterGuessing({})).toBe(429);
    const db = newFirestore({ projectId: reckon!.projectId });
    const users = (await db.collection('users').get()).docs.map((d) => d.get('knownNetworks'));
    await db.terminate();
    expect(users).toEqual([{}]);
  });

  it('let the owner in at once once the deploy names Hosting\'s ranges', async () => {
    expect(await ownerAfterGuessing({ RECKON_TRUSTED_PROXIES: '192.0.2.0/24' })).toBe(200);
  });
});
