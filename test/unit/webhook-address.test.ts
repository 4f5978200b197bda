import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, fetch } from 'undici';
import { publicOnlyLookup } from '../../src/webhooks/webhook-address';

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
      expect(err?.message).toMatch(/"localhost" resolves to .*not a public address/);
    },
  );

  it.each(['10.0.0.1', '169.254.169.254', '::1', '::ffff:127.0.0.1'])(
    'refuses %s',
    async (address) => {
      const { err } = await resolve(address, { all: true });
      expect(err?.code).toBe('EADDRNOTPUBLIC');
    },
  );

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
