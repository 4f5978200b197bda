import { lookup as lookupCallback, type LookupAddress, type LookupOptions } from 'node:dns';
import { lookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { badInput } from '../platform/errors';

export const MAX_URL_LENGTH = 2048;

/** Where deliveries may go: https only in production, and (unless allowed) no private address. */
export interface AddressPolicy {
  requireHttps: boolean;
  /** Resolve the host and refuse loopback, private, link-local and unspecified addresses. */
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

/**
 * Only globally routable unicast addresses are allowed: ipaddr.js classifies the ranges
 * (loopback, private, link-local, unspecified, unique-local, carrier-grade NAT, multicast,
 * reserved, ...), and an IPv4-mapped IPv6 address is judged as the IPv4 address it carries.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

/**
 * Why a host with these addresses may not be sent to, or null when it may: it must resolve,
 * and to public addresses only (one private address among them is enough to refuse it).
 */
function whyNotPublic(host: string, addresses: readonly { address: string }[]): string | null {
  const refused = addresses.find((a) => !isPublicAddress(a.address));
  if (refused) return `"${host}" resolves to ${refused.address}, which is not a public address.`;
  return addresses.length ? null : `"${host}" does not resolve.`;
}

/** Why a host was refused: said in the BAD_USER_INPUT message and logged for an attempt. */
export class AddressRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AddressRefused';
  }
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
    throw new AddressRefused(`its host "${host}" does not resolve.`);
  }
  const why = whyNotPublic(host, addresses);
  if (why) throw new AddressRefused(`its host ${why}`);
}

/** Creation: the URL's form, then (in production) its host's addresses; BAD_USER_INPUT naming `url`. */
export async function checkEndpointUrl(raw: string, policy: AddressPolicy): Promise<URL> {
  const url = parseEndpointUrl(raw, policy);
  if (policy.checkAddresses) {
    await assertPublicHost(url).catch((err: unknown) => {
      throw err instanceof AddressRefused ? badInput('url', err.message) : err;
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
    const why = whyNotPublic(hostname, addresses);
    if (why) {
      const error: NodeJS.ErrnoException = new AddressRefused(why);
      error.code = 'EADDRNOTPUBLIC';
      return callback(error, '', 0);
    }
    if (wantsAll)
      return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    const [first] = addresses;
    callback(null, first!.address, first!.family);
  });
};
