import {
  NO_TRUSTED_PROXIES,
  clientAddressOf,
  parseTrustedProxies,
} from '../../src/platform/client-address';
import { ConfigError, loadConfig } from '../../src/platform/config';

/*
 * Who a request comes from, for per-address limits: the TCP peer, or behind a trusted proxy the
 * rightmost address of X-Forwarded-For that is not itself a trusted proxy.
 */

const proxies = parseTrustedProxies('127.0.0.1, 10.0.0.0/8, ::1');

describe('clientAddressOf', () => {
  it('is the peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddressOf('127.0.0.1', '203.0.113.7', NO_TRUSTED_PROXIES)).toBe('127.0.0.1');
  });

  it('is the peer when the peer is not a trusted proxy (a client cannot claim another address)', () => {
    expect(clientAddressOf('198.51.100.4', '203.0.113.7', proxies)).toBe('198.51.100.4');
  });

  it('is the address a trusted proxy forwards', () => {
    expect(clientAddressOf('127.0.0.1', '203.0.113.7', proxies)).toBe('203.0.113.7');
  });

  it('reads from the right: what the client wrote before the proxy added its peer is not read', () => {
    expect(clientAddressOf('127.0.0.1', '1.1.1.1, 203.0.113.7', proxies)).toBe('203.0.113.7');
  });

  it('walks past every trusted hop, to the first that is not one', () => {
    expect(clientAddressOf('127.0.0.1', '1.1.1.1, 198.51.100.1, 10.0.0.5', proxies)).toBe(
      '198.51.100.1',
    );
    // Only trusted hops: the leftmost.
    expect(clientAddressOf('127.0.0.1', '10.0.0.9, 10.0.0.5', proxies)).toBe('10.0.0.9');
  });

  it('stops at the trusted hop that passed on something that is not an address', () => {
    expect(clientAddressOf('127.0.0.1', 'nonsense', proxies)).toBe('127.0.0.1');
    expect(clientAddressOf('127.0.0.1', 'junk, 10.0.0.5', proxies)).toBe('10.0.0.5');
    // IPv4 in another notation than four decimal parts is not read as an address either.
    expect(clientAddressOf('127.0.0.1', '0x7f.1', proxies)).toBe('127.0.0.1');
  });

  it('reads IPv4-mapped IPv6 as IPv4 and writes IPv6 one way, so one client is one key', () => {
    expect(clientAddressOf('::ffff:127.0.0.1', '203.0.113.7', proxies)).toBe('203.0.113.7');
    expect(clientAddressOf('::1', '2001:DB8:0:0:0:0:0:1', proxies)).toBe('2001:db8::1');
    expect(clientAddressOf('::ffff:198.51.100.4', undefined, proxies)).toBe('198.51.100.4');
  });

  it('reads repeated X-Forwarded-For headers as one list', () => {
    expect(clientAddressOf('127.0.0.1', ['1.1.1.1', '203.0.113.7'], proxies)).toBe('203.0.113.7');
  });

  it('is `unknown` without a peer (a socket already gone)', () => {
    expect(clientAddressOf(undefined, '203.0.113.7', proxies)).toBe('unknown');
  });
});

describe('TRUST_PROXY', () => {
  it('takes addresses and CIDR ranges, IPv4-mapped ranges as the IPv4 range', () => {
    const trusted = parseTrustedProxies('::ffff:10.0.0.0/104');
    expect(clientAddressOf('10.1.2.3', '203.0.113.7', trusted)).toBe('203.0.113.7');
    expect(loadConfig({}).trustedProxies.ranges).toHaveLength(0);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1,10.0.0.0/8' }).trustedProxies.ranges).toHaveLength(
      2,
    );
  });

  it.each(['localhost', '127.1', '10.0.0.0/33', '10.0.0.0/', '300.1.1.1'])(
    'refuses %j, naming the variable',
    (value) => {
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(ConfigError);
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY: .* is not an IP/);
    },
  );
});
