// Which webhook targets are inside the network: addresses in every spelling, names, URLs, and
// what their names resolve to.
import { describe, expect, it } from 'vitest';
import {
  allowedHostEntry,
  checkTarget,
  checkTargetUrl,
  classifyAddress,
  formatAddress,
  parseAddress,
  type Lookup,
  type TargetPolicy,
} from '../../domain/network-address.js';

const classOf = (text: string) => {
  const ip = parseAddress(text);
  if (!ip) throw new Error(`${text} did not parse`);
  return classifyAddress(ip);
};
const NONE: TargetPolicy = { allowedPrivateHosts: [] };
const verdictOf = (url: string, policy = NONE) => {
  const check = checkTargetUrl(url, policy);
  return check.verdict === 'refused' ? check.reason : check.verdict;
};

describe('parseAddress', () => {
  it('reads every IPv4 spelling the URL parser reads, to the same address', () => {
    for (const spelling of [
      '127.0.0.1',
      '127.1',
      '127.0.1',
      '2130706433',
      '0x7f000001',
      '0x7f.1',
      '0177.0.0.1',
      '0177.1',
      '0x7F.0.0.0x1',
      '127.0.0.1.',
    ]) {
      expect(formatAddress(parseAddress(spelling)!), spelling).toBe('127.0.0.1');
      expect(new URL(`http://${spelling}/`).hostname, spelling).toBe('127.0.0.1');
    }
    expect(formatAddress(parseAddress('0')!)).toBe('0.0.0.0');
    expect(formatAddress(parseAddress('0x')!)).toBe('0.0.0.0');
    expect(formatAddress(parseAddress('169.254.43518')!)).toBe('169.254.169.254');
    expect(formatAddress(parseAddress('0xa9fea9fe')!)).toBe('169.254.169.254');
  });

  it('reads IPv6 with or without brackets, compressed or not, with an IPv4 tail or a zone', () => {
    const cases: [string, string][] = [
      ['::1', '::1'],
      ['[::1]', '::1'],
      ['0:0:0:0:0:0:0:1', '::1'],
      ['::', '::'],
      ['::ffff:127.0.0.1', '::ffff:7f00:1'],
      ['[::FFFF:7F00:1]', '::ffff:7f00:1'],
      ['fe80::1%eth0', 'fe80::1'],
      ['2001:DB8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
      ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
      ['64:ff9b::10.0.0.1', '64:ff9b::a00:1'],
    ];
    for (const [text, formatted] of cases) expect(formatAddress(parseAddress(text)!), text).toBe(formatted);
  });

  it('takes names and malformed text for what they are: not addresses', () => {
    for (const text of [
      'example.com',
      'localhost',
      '1.2.3.4.5',
      '256.256.256.256.',
      '4294967296',
      '08.0.0.1',
      '0xg.1',
      '1..2',
      '',
      ':::',
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      '::1.2.3',
      '::01.2.3.4',
      'fe80::1:',
      ':1::',
    ]) {
      expect(parseAddress(text), text).toBeNull();
    }
  });
});

describe('classifyAddress', () => {
  it('tells public addresses from every range inside a network', () => {
    const cases: [string, string][] = [
      ['8.8.8.8', 'public'],
      ['93.184.216.34', 'public'],
      ['172.15.255.255', 'public'],
      ['172.32.0.0', 'public'],
      ['100.63.255.255', 'public'],
      ['100.128.0.0', 'public'],
      ['0.0.0.0', 'unspecified'],
      ['0.1.2.3', 'unspecified'],
      ['127.0.0.1', 'loopback'],
      ['127.255.255.254', 'loopback'],
      ['10.0.0.1', 'private'],
      ['172.16.0.1', 'private'],
      ['172.31.255.255', 'private'],
      ['192.168.1.1', 'private'],
      ['169.254.169.254', 'link-local'],
      ['100.64.0.1', 'carrier-grade-nat'],
      ['100.100.100.200', 'carrier-grade-nat'],
      ['224.0.0.1', 'multicast'],
      ['239.255.255.250', 'multicast'],
      ['255.255.255.255', 'broadcast'],
      ['240.0.0.1', 'reserved'],
      ['192.0.2.1', 'reserved'],
      ['198.18.0.1', 'reserved'],
      ['203.0.113.9', 'reserved'],
      ['192.0.0.192', 'reserved'],
      ['2606:4700:4700::1111', 'public'],
      ['2a00:1450:4001:80b::200e', 'public'],
      ['::', 'unspecified'],
      ['::1', 'loopback'],
      ['fc00::1', 'private'],
      ['fd00:ec2::254', 'private'],
      ['fe80::1', 'link-local'],
      ['febf::1', 'link-local'],
      ['fec0::1', 'private'],
      ['ff02::1', 'multicast'],
      ['2001:db8::1', 'reserved'],
      ['2001::1', 'reserved'],
      ['100::1', 'reserved'],
      ['4000::1', 'reserved'],
      ['64:ff9b:1::1', 'private'],
    ];
    for (const [text, kind] of cases) expect(classOf(text), text).toBe(kind);
  });

  it('sees the IPv4 address inside mapped, translated, compatible, NAT64 and 6to4 forms', () => {
    const cases: [string, string][] = [
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:7f00:1', 'loopback'],
      ['::ffff:169.254.169.254', 'link-local'],
      ['::ffff:10.1.2.3', 'private'],
      ['::ffff:8.8.8.8', 'public'],
      ['::ffff:0:127.0.0.1', 'loopback'],
      ['::127.0.0.1', 'loopback'],
      ['::0.0.0.2', 'unspecified'],
      ['::8.8.8.8', 'reserved'],
      ['64:ff9b::127.0.0.1', 'loopback'],
      ['64:ff9b::a9fe:a9fe', 'link-local'],
      ['64:ff9b::8.8.8.8', 'public'],
      ['2002:7f00:1::', 'loopback'],
      ['2002:c0a8:101::1', 'private'],
      ['2002:808:808::1', 'public'],
    ];
    for (const [text, kind] of cases) expect(classOf(text), text).toBe(kind);
  });
});

describe('checkTargetUrl', () => {
  it('refuses every spelling of a loopback, private, link-local or metadata host', () => {
    const cases: [string, string][] = [
      ['http://127.0.0.1/hook', 'loopback'],
      ['http://2130706433/', 'loopback'],
      ['http://0x7f.1/', 'loopback'],
      ['http://127.1/', 'loopback'],
      ['http://0177.0.0.1:8080/', 'loopback'],
      ['http://%31%32%37.0.0.1/', 'loopback'],
      ['http://[::1]/', 'loopback'],
      ['http://[0:0:0:0:0:0:0:1]/', 'loopback'],
      ['http://[::ffff:127.0.0.1]/', 'loopback'],
      ['http://[::ffff:a9fe:a9fe]/', 'link-local'],
      ['http://0/', 'unspecified'],
      ['http://0.0.0.0:3000/', 'unspecified'],
      ['http://[::]/', 'unspecified'],
      ['https://10.0.0.5/', 'private'],
      ['https://192.168.0.1/', 'private'],
      ['http://[fd12:3456::1]/', 'private'],
      ['http://169.254.169.254/latest/meta-data/', 'link-local'],
      ['http://[fe80::1]/', 'link-local'],
      ['http://100.100.100.200/', 'carrier-grade-nat'],
      ['http://224.0.0.1/', 'multicast'],
      ['http://255.255.255.255/', 'broadcast'],
      ['http://metadata.google.internal/computeMetadata/v1/', 'metadata'],
      ['http://METADATA.google.internal./', 'metadata'],
      ['http://metadata/', 'metadata'],
      ['http://metadata.goog/', 'metadata'],
      ['http://instance-data/', 'metadata'],
      ['http://localhost:3000/', 'loopback'],
      ['http://LocalHost./', 'loopback'],
      ['http://api.localhost/', 'loopback'],
      ['http://redis:6379/', 'internal-name'],
      ['http://db.internal/', 'internal-name'],
      ['http://printer.local/', 'internal-name'],
      ['http://nas.home.arpa/', 'internal-name'],
      ['http://user:secret@hooks.example.com/', 'credentials'],
      ['http://user@hooks.example.com/', 'credentials'],
      ['ftp://hooks.example.com/', 'scheme'],
      ['file:///etc/passwd', 'scheme'],
      ['gopher://127.0.0.1:6379/', 'scheme'],
      ['not a url', 'scheme'],
    ];
    for (const [url, reason] of cases) expect(verdictOf(url), url).toBe(reason);
  });

  it('leaves public addresses and ordinary names to be sent to (names after a lookup)', () => {
    expect(verdictOf('https://93.184.216.34/hook')).toBe('address');
    expect(verdictOf('https://[2606:4700:4700::1111]/hook')).toBe('address');
    expect(verdictOf('https://hooks.example.com/x?y=1')).toBe('name');
    expect(verdictOf('https://Hooks.Example.COM./x')).toBe('name');
    expect(verdictOf('https://127.0.0.1.nip.io/')).toBe('name');
  });

  it('says why, naming the address the URL parser made of the host', () => {
    expect(checkTargetUrl('http://0x7f.1/', NONE)).toMatchObject({ why: '127.0.0.1 is a loopback address' });
    expect(checkTargetUrl('http://[::ffff:169.254.169.254]/', NONE)).toMatchObject({ why: '::ffff:a9fe:a9fe is a link-local address' });
    expect(checkTargetUrl('http://10.1.1.1/', NONE)).toMatchObject({ why: '10.1.1.1 is a private address' });
    expect(checkTargetUrl('http://metadata.google.internal/', NONE)).toMatchObject({
      why: 'metadata.google.internal is a cloud metadata service',
    });
  });

  it('lets the operator allow named hosts and addresses, in whatever spelling, and only those', () => {
    const policy: TargetPolicy = {
      allowedPrivateHosts: ['127.0.0.1', '::1', 'localhost', 'hooks.internal'].map((h) => allowedHostEntry(h)!),
    };
    for (const url of [
      'http://127.0.0.1:8080/',
      'http://2130706433/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::1]/',
      'http://hooks.internal/',
    ]) {
      expect(verdictOf(url, policy), url).toMatch(/^(address|name)$/);
    }
    expect(checkTargetUrl('http://LOCALHOST./', policy)).toMatchObject({ verdict: 'name', allowed: true });
    expect(verdictOf('http://127.0.0.2/', policy)).toBe('loopback');
    expect(verdictOf('http://10.0.0.1/', policy)).toBe('private');
    expect(verdictOf('http://other.internal/', policy)).toBe('internal-name');
    expect(verdictOf('http://u:p@localhost/', policy)).toBe('credentials');
  });
});

describe('allowedHostEntry', () => {
  it('gives names in lower case without a final dot, and addresses in their usual text', () => {
    expect(allowedHostEntry(' Hooks.Example.com. ')).toBe('hooks.example.com');
    expect(allowedHostEntry('127.1')).toBe('127.0.0.1');
    expect(allowedHostEntry('[::1]')).toBe('::1');
    expect(allowedHostEntry('0:0:0:0:0:0:0:1')).toBe('::1');
    expect(allowedHostEntry('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(allowedHostEntry('receiver')).toBe('receiver');
  });

  it('is null for what is no host: schemes, ports, paths, wildcards, spaces', () => {
    for (const entry of [
      'http://x.com',
      'x.com:8080',
      'x.com/path',
      '*.example.com',
      'a b',
      '',
      '1.2.3.4.5',
      '-x.com',
      'user@x.com',
      '10.0.0.0/8',
    ]) {
      expect(allowedHostEntry(entry), entry).toBeNull();
    }
  });
});

describe('checkTarget', () => {
  const dns =
    (table: Record<string, string[]>): Lookup =>
    async (host) => {
      const found = table[host];
      if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    };
  const table = dns({
    'hooks.example.com': ['93.184.216.34', '2606:2800:220:1::1'],
    'rebound.example.com': ['93.184.216.34', '10.0.0.7'],
    'meta.example.com': ['169.254.169.254'],
    'mapped.example.com': ['::ffff:127.0.0.1'],
    'hooks.partner.test': ['192.168.4.4'],
    'nothing.example.com': [],
  });

  it('sends to every address a public name resolves to, and to those only', async () => {
    expect(await checkTarget('https://hooks.example.com/x', NONE, table)).toMatchObject({
      verdict: 'allowed',
      host: 'hooks.example.com',
      addresses: [
        { address: '93.184.216.34', family: 4 },
        { address: '2606:2800:220:1::1', family: 6 },
      ],
    });
    expect(await checkTarget('http://[2606:4700:4700::1111]:8443/', NONE, table)).toMatchObject({
      verdict: 'allowed',
      addresses: [{ address: '2606:4700:4700::1111', family: 6 }],
    });
  });

  it('refuses a name when any of its addresses is inside the network, without telling the address', async () => {
    expect(await checkTarget('https://rebound.example.com/', NONE, table)).toEqual({
      verdict: 'refused',
      reason: 'private',
      why: 'rebound.example.com resolves to a private address',
    });
    expect(await checkTarget('https://meta.example.com/', NONE, table)).toMatchObject({ reason: 'link-local' });
    expect(await checkTarget('https://mapped.example.com/', NONE, table)).toMatchObject({ reason: 'loopback' });
  });

  it('lets an allowed name resolve inside the network, and an allowed address be reached by any name', async () => {
    expect(await checkTarget('https://hooks.partner.test/', { allowedPrivateHosts: ['hooks.partner.test'] }, table)).toMatchObject({
      verdict: 'allowed',
      addresses: [{ address: '192.168.4.4', family: 4 }],
    });
    expect(await checkTarget('https://hooks.partner.test/', { allowedPrivateHosts: ['192.168.4.4'] }, table)).toMatchObject({
      verdict: 'allowed',
    });
    expect(await checkTarget('https://rebound.example.com/', { allowedPrivateHosts: ['192.168.4.4'] }, table)).toMatchObject({
      verdict: 'refused',
    });
  });

  it('tells a name that does not resolve, or not in time, from a refused one', async () => {
    expect(await checkTarget('https://missing.example.com/', NONE, table)).toEqual({
      verdict: 'unresolved',
      host: 'missing.example.com',
      error: 'getaddrinfo ENOTFOUND missing.example.com',
    });
    expect(await checkTarget('https://nothing.example.com/', NONE, table)).toMatchObject({ verdict: 'unresolved' });
    const never: Lookup = () => new Promise(() => {});
    expect(await checkTarget('https://slow.example.com/', NONE, never, 50)).toMatchObject({
      verdict: 'unresolved',
      error: 'no answer from DNS within 50 ms',
    });
  });

  it('refuses by the URL before any lookup', async () => {
    let looked = 0;
    const counting: Lookup = async () => {
      looked++;
      return [{ address: '93.184.216.34', family: 4 }];
    };
    for (const url of ['http://169.254.169.254/', 'http://metadata.google.internal/', 'http://u:p@hooks.example.com/']) {
      expect((await checkTarget(url, NONE, counting)).verdict, url).toBe('refused');
    }
    expect(looked).toBe(0);
  });
});
