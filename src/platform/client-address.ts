import type http from 'node:http';
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
/** An address range: an address and how many of its leading bits must match. */
type Range = [Address, number];

/** The proxies (from TRUST_PROXY) whose `X-Forwarded-For` is believed; empty: none. */
export interface TrustedProxies {
  readonly ranges: readonly Range[];
}

export const NO_TRUSTED_PROXIES: TrustedProxies = { ranges: [] };

/**
 * An address as written by people and proxies: IPv4 in four decimal parts (not `127.1` or hex,
 * which ipaddr.js would also read) or IPv6; null for anything else. IPv4-mapped IPv6
 * (`::ffff:10.0.0.1`, what a dual-stack socket reports) is read as the IPv4 address it maps.
 */
function parseAddress(text: string): Address | null {
  const t = text.trim();
  if (!ipaddr.IPv4.isValidFourPartDecimal(t) && !ipaddr.IPv6.isValid(t)) return null;
  return ipaddr.process(t);
}

/** An IPv4-mapped IPv6 range as the IPv4 range it covers, so both spellings match IPv4 peers. */
function plainRange([address, bits]: Range): Range {
  if (address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress() && bits >= 96) {
    return [address.toIPv4Address(), bits - 96];
  }
  return [address, bits];
}

/**
 * Reads TRUST_PROXY: addresses and CIDR ranges, comma-separated (`127.0.0.1,10.0.0.0/8,::1`).
 * Throws naming the first entry that is neither.
 */
export function parseTrustedProxies(list: string): TrustedProxies {
  const ranges = list
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry): Range => {
      if (entry.includes('/')) {
        if (parseAddress(entry.slice(0, entry.indexOf('/'))) && ipaddr.isValidCIDR(entry)) {
          return plainRange(ipaddr.parseCIDR(entry));
        }
      } else {
        const address = parseAddress(entry);
        if (address) return [address, address.kind() === 'ipv4' ? 32 : 128];
      }
      throw new Error(`"${entry}" is not an IP address or CIDR range`);
    });
  return { ranges };
}

function isTrusted(address: Address, trusted: TrustedProxies): boolean {
  return trusted.ranges.some(
    ([range, bits]) => range.kind() === address.kind() && address.match(range, bits),
  );
}

/**
 * Who sent a request, for per-address limits. Without trusted proxies, or when the TCP peer is
 * not one of them, it is the peer itself: `X-Forwarded-For` is then ignored, so a client cannot
 * claim another address. When the peer is a trusted proxy, the header is walked from its right
 * end (the hop the proxy itself added) past every trusted proxy; the first address that is not
 * one is the client. Entries further left were written by the client and are never read. An
 * entry that is not an address stops the walk at the trusted hop that passed it on.
 */
export function clientAddressOf(
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
  trusted: TrustedProxies,
): string {
  const peerAddress = peer === undefined ? null : parseAddress(peer);
  if (!peerAddress) return peer ?? 'unknown';
  let client = peerAddress;
  if (trusted.ranges.length && forwardedFor !== undefined) {
    const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
    for (let i = hops.length - 1; i >= 0 && isTrusted(client, trusted); i--) {
      const hop = parseAddress(hops[i]!);
      if (!hop) break;
      client = hop;
    }
  }
  return client.toString();
}

let configured: TrustedProxies = NO_TRUSTED_PROXIES;

/** Sets the trusted proxies for clientAddress; the server calls it once at start, from config. */
export function configureTrustedProxies(trusted: TrustedProxies): void {
  configured = trusted;
}

/** The client address of a request (HTTP or a WebSocket upgrade), as clientAddressOf reads it. */
export function clientAddress(req: http.IncomingMessage): string {
  return clientAddressOf(req.socket.remoteAddress, req.headers['x-forwarded-for'], configured);
}
