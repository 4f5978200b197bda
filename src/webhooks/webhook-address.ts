import { lookup as lookupCallback, type LookupAddress, type LookupOptions } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { badInput } from '../platform/errors';

export const MAX_URL_LENGTH = 2048;

/** Where deliveries may go: https only in production, and (unless allowed) no private address. */
export interface AddressPolicy {
  requireHttps: boolean;
  /** Resolve the host and refuse it unless every address is public unicast (isPublicAddress). */
  checkAddresses: boolean;
}

export function addressPolicy(config: {
  NODE_ENV: string;
  WEBHOOK_ALLOW_PRIVATE: boolean;
}): AddressPolicy {
  const production = config.NODE_ENV === 'production';
  // WEBHOOK_ALLOW_PRIVATE lifts the address check only, never https.
  return { requireHttps: production, checkAddresses: production && !config.WEBHOOK_ALLOW_PRIVATE };
}

/** Rule 17's form of `url`: absolute http(s), at most 2,048 characters, no user or password. */
export function parseEndpointUrl(raw: string, policy: AddressPolicy): URL {
  if (raw.length > MAX_URL_LENGTH) {
    throw badInput('url', `must be at most ${MAX_URL_LENGTH} characters.`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badInput('url', 'must be an absolute http or https URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw badInput('url', 'must be an absolute http or https URL.');
  }
  if (url.username || url.password) {
    throw badInput('url', 'must not contain a user name or password.');
  }
  if (policy.requireHttps && url.protocol !== 'https:') {
    throw badInput('url', 'must use https.');
  }
  return url;
}

/** A block of addresses, written as in the IANA registries. */
interface Block {
  cidr: string;
  range: [ipaddr.IPv4 | ipaddr.IPv6, number];
}

function blocks(...cidrs: string[]): Block[] {
  return cidrs.map((cidr) => ({ cidr, range: ipaddr.parseCIDR(cidr) }));
}

/** The first block holding `address`, if any (a block of the other family holds nothing). */
function blockOf(address: ipaddr.IPv4 | ipaddr.IPv6, list: readonly Block[]): Block | undefined {
  return list.find(({ range }) => range[0].kind() === address.kind() && address.match(range));
}

/** IPv4 unicast: all below 224.0.0.0 (multicast 224/4, reserved 240/4 and broadcast lie above). */
const IPV4_UNICAST = blocks('0.0.0.0/1', '128.0.0.0/2', '192.0.0.0/3');

/**
 * The IANA IPv4 Special-Purpose Address Registry inside IPv4 unicast, every entry refused: the
 * few it marks globally reachable (anycast services in 192.0.0.0/24, AS112, AMT) are no place
 * for a webhook receiver either, and refusing the whole registry needs no judgement per entry.
 */
const IPV4_SPECIAL = blocks(
  '0.0.0.0/8', // "this network"
  '10.0.0.0/8', // private use
  '100.64.0.0/10', // shared address space (carrier-grade NAT)
  '127.0.0.0/8', // loopback
  '169.254.0.0/16', // link-local, where cloud metadata services answer
  '172.16.0.0/12', // private use
  '192.0.0.0/24', // IETF protocol assignments: DS-Lite, PCP and TURN anycast, NAT64 discovery
  '192.0.2.0/24', // documentation
  '192.31.196.0/24', // AS112
  '192.52.193.0/24', // AMT
  '192.88.99.0/24', // 6to4 relay anycast (deprecated)
  '192.168.0.0/16', // private use
  '192.175.48.0/24', // AS112 direct delegation
  '198.18.0.0/15', // benchmarking
  '198.51.100.0/24', // documentation
  '203.0.113.0/24', // documentation
);

/** IPv6 global unicast; all outside it (loopback, link-local, unique-local, ...) is refused. */
const IPV6_GLOBAL_UNICAST = blocks('2000::/3');

/** The IANA IPv6 Special-Purpose Address Registry inside 2000::/3, every entry refused. */
const IPV6_SPECIAL = blocks(
  '2001::/23', // IETF protocol assignments: Teredo, benchmarking, AMT, AS112, ORCHID, anycast
  '2001:db8::/32', // documentation
  '2002::/16', // 6to4 (deprecated), whatever IPv4 address it carries
  '2620:4f:8000::/48', // AS112 direct delegation
  '3fff::/20', // documentation
);

/**
 * IPv6 spellings of an IPv4 address, judged as the IPv4 address in their last 32 bits: a
 * dual-stack socket connects an IPv4-mapped address to that IPv4 address, and the NAT64
 * well-known prefix is what DNS64 answers for an IPv4-only host (a NAT64 gateway then
 * connects to the IPv4 address). Other forms that carry an IPv4 address (IPv4-compatible
 * ::/96, IPv4-translated ::ffff:0:0:0/96, local-use NAT64 64:ff9b:1::/48, 6to4, Teredo) are
 * outside 2000::/3 or special, so refused whatever they carry.
 */
const IPV6_CARRYING_IPV4 = blocks('::ffff:0:0/96', '64:ff9b::/96');

/**
 * The address in its one standard form, or null when `address` is not an IP address written
 * the way a resolver or WHATWG URL writes one. IPv4 must be dotted decimal (net.isIP): the
 * shorthand, octal and hex forms are read differently by different parsers, and a URL's host
 * has been normalised to dotted decimal already. IPv6 is re-serialised by WHATWG URL (hex
 * groups, no dotted tail) before ipaddr.js reads it, which reads the dotted tail of the
 * IPv4-compatible `::127.0.0.1` as the IPv4-mapped `::ffff:127.0.0.1`. A zone ID (`%eth0`)
 * scopes an address to one link: no public address has one.
 */
function parseStandardAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const family = isIP(address);
  if (family === 4) return ipaddr.IPv4.parse(address);
  if (family !== 6 || address.includes('%')) return null;
  try {
    return ipaddr.IPv6.parse(new URL(`http://[${address}]/`).hostname.slice(1, -1));
  } catch {
    return null;
  }
}

/** Why an IPv4 address is not public unicast (the rule it breaks), or null when it is. */
function ipv4Refusal(address: ipaddr.IPv4): string | null {
  if (!blockOf(address, IPV4_UNICAST)) return 'not IPv4 unicast';
  return blockOf(address, IPV4_SPECIAL)?.cidr ?? null;
}

/** Why an IPv6 address is not public unicast (the rule it breaks), or null when it is. */
function ipv6Refusal(address: ipaddr.IPv6): string | null {
  const carrier = blockOf(address, IPV6_CARRYING_IPV4);
  if (carrier) {
    const carried = ipv4Refusal(new ipaddr.IPv4(address.toByteArray().slice(12)));
    return carried && `${carrier.cidr} carrying ${carried}`;
  }
  if (!blockOf(address, IPV6_GLOBAL_UNICAST)) return 'outside 2000::/3';
  return blockOf(address, IPV6_SPECIAL)?.cidr ?? null;
}

/**
 * Why `address` is not a public unicast address, or null when it is: an allow-list (IPv4
 * unicast, IPv6 2000::/3) less every special-purpose block, written out here rather than taken
 * from a library's classification names. The answer names the rule, never the address.
 */
export function addressRefusal(address: string): string | null {
  const parsed = parseStandardAddress(address);
  if (!parsed) return 'not an IP address in standard form';
  return parsed.kind() === 'ipv4'
    ? ipv4Refusal(parsed as ipaddr.IPv4)
    : ipv6Refusal(parsed as ipaddr.IPv6);
}

/** True for a public unicast address only: the one test of creation and connection time. */
export function isPublicAddress(address: string): boolean {
  return addressRefusal(address) === null;
}

/**
 * What a refused host is told: one sentence whatever its addresses were, or that it had none,
 * so refusals cannot be used to learn what internal names resolve to.
 */
export const NOT_PUBLIC = 'its host does not resolve to a public address.';

/**
 * A host refused for its addresses, with the code the HTTP client's error carries when the
 * connection-time lookup refuses. `rule` (the block an address lies in, never the address) is
 * for debug logs; the message is NOT_PUBLIC.
 */
export class AddressRefused extends Error {
  readonly code = 'EADDRNOTPUBLIC';

  constructor(readonly rule: string) {
    super(NOT_PUBLIC);
    this.name = 'AddressRefused';
  }
}

/**
 * The refusal for a host with these addresses, or null when it may be sent to: it must
 * resolve, and to public addresses only (one that is not is enough to refuse it).
 */
function refusalOf(addresses: readonly { address: string }[]): AddressRefused | null {
  if (!addresses.length) return new AddressRefused('no address');
  for (const { address } of addresses) {
    const rule = addressRefusal(address);
    if (rule) return new AddressRefused(rule);
  }
  return null;
}

/**
 * Resolves the URL's host (every address, as the HTTP client would) and refuses it when any
 * address is not public. Called when an endpoint is created and before each attempt.
 */
export async function assertPublicHost(url: URL, signal?: AbortSignal): Promise<void> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: { address: string }[];
  try {
    const lookingUp = lookup(host, { all: true, verbatim: true });
    addresses = signal
      ? await Promise.race([
          lookingUp,
          new Promise<never>((_, reject) => {
            if (signal.aborted) reject(signal.reason as Error);
            signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
          }),
        ])
      : await lookingUp;
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new AddressRefused('does not resolve');
  }
  const refused = refusalOf(addresses);
  if (refused) throw refused;
}

/** Creation: the URL's form, then (in production) its host's addresses; BAD_USER_INPUT naming `url`. */
export async function checkEndpointUrl(raw: string, policy: AddressPolicy): Promise<URL> {
  const url = parseEndpointUrl(raw, policy);
  if (policy.checkAddresses) {
    await assertPublicHost(url).catch((err: unknown) => {
      throw err instanceof AddressRefused ? badInput('url', NOT_PUBLIC) : err;
    });
  }
  return url;
}

/**
 * The socket's own name lookup when addresses are checked: the addresses a connection is made
 * to are the ones judged here, so a name that resolved to a public address for the check and
 * to a private one a moment later (DNS rebinding) still gets no connection.
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  const wantsAll = (options as LookupOptions).all === true;
  lookupCallback(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 0);
    const refused = refusalOf(addresses);
    if (refused) return callback(refused, '', 0);
    if (wantsAll)
      return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    const [first] = addresses;
    callback(null, first!.address, first!.family);
  });
};
