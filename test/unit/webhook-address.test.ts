import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, fetch } from 'undici';
import { DomainError } from '../../src/platform/errors';
import {
  addressPolicy,
  checkEndpointUrl,
  isPublicAddress,
  publicOnlyLookup,
} from '../../src/webhooks/webhook-address';

/** The one sentence every address refusal says: it names no address a host resolved to. */
const NOT_PUBLIC = 'url: its host does not resolve to a public address.';

const production = addressPolicy({ NODE_ENV: 'production', WEBHOOK_ALLOW_PRIVATE: false });

/** The first and the last address of a block, and the block's own samples. */
function samplesOf(cidr: string, extra: readonly string[]): string[] {
  const family = ipaddr.parseCIDR(cidr)[0].kind() === 'ipv4' ? ipaddr.IPv4 : ipaddr.IPv6;
  return [
    family.networkAddressFromCIDR(cidr).toString(),
    family.broadcastAddressFromCIDR(cidr).toString(),
    ...extra,
  ];
}

/**
 * Every entry of the IANA IPv4 Special-Purpose Address Registry, and multicast. All are
 * refused, the few the registry marks globally reachable (anycast services, AS112, AMT)
 * included: a webhook receiver has no business on any of them.
 */
const IPV4_SPECIAL: [cidr: string, name: string, extra: string[]][] = [
  ['0.0.0.0/8', '"this network"', ['0.1.2.3']],
  ['0.0.0.0/32', '"this host on this network"', []],
  ['10.0.0.0/8', 'private-use', ['10.0.0.1']],
  ['100.64.0.0/10', 'shared address space (carrier-grade NAT)', ['100.100.100.200']],
  ['127.0.0.0/8', 'loopback', ['127.0.0.1', '127.0.1.1']],
  ['169.254.0.0/16', 'link-local (cloud metadata)', ['169.254.169.254']],
  ['172.16.0.0/12', 'private-use', ['172.17.0.1']],
  ['192.0.0.0/24', 'IETF protocol assignments', ['192.0.0.100']],
  ['192.0.0.0/29', 'IPv4 service continuity prefix (DS-Lite)', ['192.0.0.1']],
  ['192.0.0.8/32', 'IPv4 dummy address', []],
  ['192.0.0.9/32', 'port control protocol anycast (globally reachable)', []],
  ['192.0.0.10/32', 'TURN anycast (globally reachable)', []],
  ['192.0.0.170/32', 'NAT64/DNS64 discovery', []],
  ['192.0.0.171/32', 'NAT64/DNS64 discovery', []],
  ['192.0.2.0/24', 'documentation (TEST-NET-1)', []],
  ['192.31.196.0/24', 'AS112-v4 (globally reachable)', []],
  ['192.52.193.0/24', 'AMT (globally reachable)', []],
  ['192.88.99.0/24', 'deprecated 6to4 relay anycast', []],
  ['192.168.0.0/16', 'private-use', ['192.168.1.10']],
  ['192.175.48.0/24', 'direct delegation AS112 service (globally reachable)', []],
  ['198.18.0.0/15', 'benchmarking', []],
  ['198.51.100.0/24', 'documentation (TEST-NET-2)', []],
  ['203.0.113.0/24', 'documentation (TEST-NET-3)', []],
  ['240.0.0.0/4', 'reserved', []],
  ['255.255.255.255/32', 'limited broadcast', []],
  ['224.0.0.0/4', 'multicast (not in the registry)', ['224.0.0.1']],
];

/**
 * Every entry of the IANA IPv6 Special-Purpose Address Registry except the two spellings of
 * an IPv4 address (below), and everything outside 2000::/3. All refused, the globally
 * reachable ones of 2001::/23 and AS112 included.
 */
const IPV6_SPECIAL: [cidr: string, name: string, extra: string[]][] = [
  ['::1/128', 'loopback', ['0:0:0:0:0:0:0:1']],
  ['::/128', 'unspecified', []],
  ['64:ff9b:1::/48', 'IPv4-IPv6 translation, local use', ['64:ff9b:1::808:808']],
  ['100::/64', 'discard-only', []],
  ['100:0:0:1::/64', 'dummy IPv6 prefix', []],
  ['2001::/23', 'IETF protocol assignments', []],
  ['2001::/32', 'Teredo', ['2001:0:4136:e378:8000:63bf:3fff:fdd2']],
  ['2001:1::1/128', 'port control protocol anycast (globally reachable)', []],
  ['2001:1::2/128', 'TURN anycast (globally reachable)', []],
  ['2001:1::3/128', 'DNS-SD service registration protocol anycast (globally reachable)', []],
  ['2001:2::/48', 'benchmarking', []],
  ['2001:3::/32', 'AMT (globally reachable)', []],
  ['2001:4:112::/48', 'AS112-v6 (globally reachable)', []],
  ['2001:10::/28', 'deprecated ORCHID', []],
  ['2001:20::/28', 'ORCHIDv2 (globally reachable)', []],
  ['2001:30::/28', 'drone remote ID protocol entity tags (globally reachable)', []],
  ['2001:db8::/32', 'documentation', []],
  ['2002::/16', '6to4', ['2002:a9fe:a9fe::1', '2002:808:808::1']],
  ['2620:4f:8000::/48', 'direct delegation AS112 service (globally reachable)', []],
  ['3fff::/20', 'documentation', []],
  ['5f00::/16', 'segment routing (SRv6) SIDs', []],
  ['fc00::/7', 'unique-local', ['fd00::1']],
  ['fe80::/10', 'link-local unicast', ['fe80::1']],
  // Not in the registry, and outside 2000::/3 global unicast:
  ['ff00::/8', 'multicast', ['ff02::1']],
  ['fec0::/10', 'deprecated site-local', []],
  ['::/96', 'deprecated IPv4-compatible', ['::127.0.0.1', '::7f00:1', '::8.8.8.8']],
  ['::ffff:0:0:0/96', 'IPv4-translated (SIIT)', ['::ffff:0:127.0.0.1']],
  ['::/3', 'unassigned below 2000::/3', ['1::1']],
  ['4000::/2', 'unassigned above 2000::/3', []],
  ['8000::/1', 'unassigned above 2000::/3', ['c000::1']],
];

/** Public addresses, and the addresses just outside the refused blocks. */
const PUBLIC = [
  '8.8.8.8',
  '1.1.1.1',
  '9.9.9.9',
  '2606:4700:4700::1111',
  '2001:4860:4860::8888',
  '2a00:1450:4001:81c::200e',
  '1.0.0.0',
  '9.255.255.255',
  '11.0.0.0',
  '100.63.255.255',
  '100.128.0.0',
  '126.255.255.255',
  '128.0.0.0',
  '169.253.255.255',
  '169.255.0.0',
  '172.15.255.255',
  '172.32.0.0',
  '192.0.1.0',
  '192.167.255.255',
  '192.169.0.0',
  '198.17.255.255',
  '198.20.0.0',
  '223.255.255.255',
  '2000::1',
  '2001:200::1',
  '2003::1',
  '2620:4f:8001::1',
  '3fff:1000::1',
  '3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
];

describe('isPublicAddress: public unicast only, by an explicit list', () => {
  describe.each(IPV4_SPECIAL)('%s, %s', (cidr, _name, extra) => {
    const samples = samplesOf(cidr, extra);
    it.each(samples)('refuses %s', (address) => {
      expect(isPublicAddress(address)).toBe(false);
    });
    it.each(samples)('refuses ::ffff:%s and 64:ff9b::%s (the same IPv4 address)', (address) => {
      expect(isPublicAddress(`::ffff:${address}`)).toBe(false);
      expect(isPublicAddress(`64:ff9b::${address}`)).toBe(false);
    });
  });

  describe.each(IPV6_SPECIAL)('%s, %s', (cidr, _name, extra) => {
    it.each(samplesOf(cidr, extra))('refuses %s', (address) => {
      expect(isPublicAddress(address)).toBe(false);
    });
  });

  it.each(PUBLIC)('passes %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each([
    ['::ffff:0:0/96', 'IPv4-mapped', '::ffff:8.8.8.8', '::ffff:10.0.0.1'],
    ['64:ff9b::/96', 'NAT64 well-known prefix (DNS64)', '64:ff9b::8.8.8.8', '64:ff9b::a00:1'],
  ])(
    'judges %s (%s) as the IPv4 address it carries',
    (_cidr, _name, carriesPublic, carriesPrivate) => {
      expect(isPublicAddress(carriesPublic)).toBe(true);
      expect(isPublicAddress(carriesPrivate)).toBe(false);
    },
  );
});

describe('isPublicAddress: every spelling of an address is judged as that address', () => {
  it.each([
    // Zeros written out or compressed, upper case, dotted or hex tails.
    '0:0:0:0:0:0:0:1',
    '0000:0000:0000:0000:0000:0000:0000:0001',
    '::0:1',
    '0::1',
    '::ffff:127.0.0.1',
    '::FFFF:7F00:1',
    '0:0:0:0:0:ffff:7f00:0001',
    '0:0:0:0:0:FFFF:127.0.0.1',
    '::ffff:a9fe:a9fe',
    // IPv4-compatible (deprecated): refused whatever it carries.
    '::127.0.0.1',
    '::7f00:1',
    '::0.0.0.1',
    '::8.8.8.8',
    '::808:808',
    // NAT64 and 6to4 carrying a private address.
    '64:ff9b::127.0.0.1',
    '64:FF9B:0:0:0:0:a9fe:a9fe',
    '2002:7f00:1::1',
    '2002:0a00:0001:0000:0000:0000:0000:0001',
    // Teredo.
    '2001:0000:4136:e378:8000:63bf:3fff:fdd2',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([
    // A zone ID scopes an address to one link; no public address has one.
    'fe80::1%eth0',
    'fe80::1%1',
    '2606:4700:4700::1111%eth0',
    // Brackets belong to the URL, not to the address.
    '[::1]',
    '[2606:4700:4700::1111]',
    // IPv4 shorthand, decimal, octal and hex forms: what a URL or a resolver turns into an
    // address is judged in that address's standard form, never these.
    '2130706433',
    '134744072',
    '0x7f.1',
    '017700000001',
    '127.1',
    '0177.0.0.1',
    '127.000.000.001',
    '010.0.0.1',
    '',
    'localhost',
  ])('refuses %j, not an address in a standard form', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });
});

/** What checkEndpointUrl threw, or null. */
async function refusal(raw: string, policy = production): Promise<DomainError | null> {
  return checkEndpointUrl(raw, policy).then(
    () => null,
    (err: unknown) => {
      if (err instanceof DomainError) return err;
      throw err;
    },
  );
}

describe('endpoint URLs: WHATWG URL normalises the host, then its addresses are checked', () => {
  it.each([
    ['https://2130706433/hook', '127.0.0.1'],
    ['https://0x7f.1/hook', '127.0.0.1'],
    ['https://017700000001/hook', '127.0.0.1'],
    ['https://127.1/hook', '127.0.0.1'],
    ['https://0177.0.0.1/hook', '127.0.0.1'],
    ['https://0x7f.0.0.0x1/hook', '127.0.0.1'],
    ['https://127.0.0.1./hook', '127.0.0.1'],
    ['https://%31%32%37.0.0.1/hook', '127.0.0.1'],
    ['https://\uff11\uff12\uff17.0.0.1/hook', '127.0.0.1'],
    ['https://0/hook', '0.0.0.0'],
    ['https://0xa9fea9fe/hook', '169.254.169.254'],
    ['https://012.0.0.1/hook', '10.0.0.1'],
    ['https://[::127.0.0.1]/hook', '[::7f00:1]'],
    ['https://[0:0:0:0:0:ffff:127.0.0.1]/hook', '[::ffff:7f00:1]'],
    ['https://[::FFFF:7F00:1]/hook', '[::ffff:7f00:1]'],
    ['https://[0::1]/hook', '[::1]'],
    ['https://[::]/hook', '[::]'],
    ['https://[64:ff9b::10.0.0.1]/hook', '[64:ff9b::a00:1]'],
    ['https://[2002:a00:1::]/hook', '[2002:a00:1::]'],
    ['https://[fd00::1]/hook', '[fd00::1]'],
  ])('%s: the host is %s, refused with one fixed sentence', async (raw, hostname) => {
    expect(new URL(raw).hostname).toBe(hostname);
    const err = await refusal(raw);
    expect([err?.message, err?.extensions]).toEqual([
      NOT_PUBLIC,
      { code: 'BAD_USER_INPUT', field: 'url' },
    ]);
  });

  it.each(['https://[fe80::1%25eth0]/hook', 'https://4294967296/hook', 'https://256.0.0.1/hook'])(
    '%s is not a URL at all (zone IDs and out-of-range IPv4 forms)',
    async (raw) => {
      expect((await refusal(raw))?.message).toBe('url: must be an absolute http or https URL.');
    },
  );

  it.each([
    ['https://8.8.8.8/hook', 'https://8.8.8.8/hook'],
    ['https://134744072/hook', 'https://8.8.8.8/hook'],
    ['https://[2606:4700:4700::1111]/hook', 'https://[2606:4700:4700::1111]/hook'],
    ['https://[::ffff:1.1.1.1]/hook', 'https://[::ffff:101:101]/hook'],
  ])('accepts %s (stored as %s)', async (raw, stored) => {
    expect((await checkEndpointUrl(raw, production)).href).toBe(stored);
  });

  it('names no address a refused host resolves to', async () => {
    const err = await refusal('https://localhost/hook');
    expect(err?.message).toBe(NOT_PUBLIC);
    expect(err?.message).not.toMatch(/127\.0\.0\.1|::1|localhost/);
  });
});

describe('addressPolicy: where addresses are checked', () => {
  it('outside production, a receiver on 127.0.0.1 over http is accepted for local testing', async () => {
    for (const NODE_ENV of ['development', 'test']) {
      const policy = addressPolicy({ NODE_ENV, WEBHOOK_ALLOW_PRIVATE: false });
      expect(policy).toEqual({ requireHttps: false, checkAddresses: false });
      expect((await checkEndpointUrl('http://127.0.0.1:9/hook', policy)).host).toBe('127.0.0.1:9');
    }
  });

  it('in production, WEBHOOK_ALLOW_PRIVATE lifts the address check and never https', async () => {
    const policy = addressPolicy({ NODE_ENV: 'production', WEBHOOK_ALLOW_PRIVATE: true });
    expect(policy).toEqual({ requireHttps: true, checkAddresses: false });
    expect((await checkEndpointUrl('https://127.0.0.1:9/hook', policy)).host).toBe('127.0.0.1:9');
    expect((await refusal('http://127.0.0.1:9/hook', policy))?.message).toBe(
      'url: must use https.',
    );
    expect(production).toEqual({ requireHttps: true, checkAddresses: true });
  });
});

/** The connection-time lookup of webhook attempts, as `net.connect` calls it. */
function resolve(
  host: string,
  options: { all?: boolean },
): Promise<{ err: NodeJS.ErrnoException | null; result: unknown }> {
  return new Promise((done) =>
    publicOnlyLookup(host, options, (err, address, family) =>
      done({ err, result: options.all ? address : { address, family } }),
    ),
  );
}

describe('publicOnlyLookup, the lookup every production webhook connection makes', () => {
  it.each([{ all: true }, { all: false }])(
    'refuses a name that resolves to loopback (%o), so no socket is opened to it',
    async (options) => {
      const { err } = await resolve('localhost', options);
      expect(err?.code).toBe('EADDRNOTPUBLIC');
      // The error says which rule refused it, never what the name resolved to.
      expect(err?.message).not.toMatch(/127\.0\.0\.1|::1/);
    },
  );

  it.each([
    '10.0.0.1',
    '169.254.169.254',
    '::1',
    '::ffff:127.0.0.1',
    '::127.0.0.1',
    '::7f00:1',
    '64:ff9b::a9fe:a9fe',
    '2002:7f00:1::1',
    '192.0.0.9',
  ])('refuses %s', async (address) => {
    const { err } = await resolve(address, { all: true });
    expect(err?.code).toBe('EADDRNOTPUBLIC');
  });

  it('passes a public address through, in the form the caller asked for', async () => {
    const all = await resolve('93.184.216.34', { all: true });
    expect(all.err).toBeNull();
    expect(all.result as LookupAddress[]).toEqual([{ address: '93.184.216.34', family: 4 }]);
    const one = await resolve('93.184.216.34', { all: false });
    expect(one.result).toEqual({ address: '93.184.216.34', family: 4 });
  });
});

describe('an HTTP client whose connections resolve through it (as the webhook worker builds it)', () => {
  it('never connects to a name resolving to loopback, though a server listens there', async () => {
    let connections = 0;
    const server = http.createServer((_req, res) => res.end('ok'));
    server.on('connection', () => (connections += 1));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    const agent = new Agent({ connect: { lookup: publicOnlyLookup } });
    try {
      // The same server answers a client without the check.
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok');
      const before = connections;
      const refused = await fetch(`http://localhost:${port}/`, { dispatcher: agent }).then(
        () => null,
        (err: Error & { cause?: NodeJS.ErrnoException }) => err.cause,
      );
      expect(refused?.code).toBe('EADDRNOTPUBLIC');
      expect(connections).toBe(before);
    } finally {
      await agent.close();
      await new Promise((done) => server.close(done));
    }
  });
});
