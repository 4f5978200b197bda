import WebSocket from 'ws';
import { closeDb, createWorld, type World } from '../support/seed';
import { readTestEnv, startApiProcess, type ApiProcess, storeEnv } from '../support/services';

/*
 * The per-address WebSocket cap behind a proxy: with TRUST_PROXY the client address is the one
 * the proxy forwards in X-Forwarded-For; without it the header is ignored, so spoofing it gets
 * around nothing. Each half against an API process of its own, with a cap of 2.
 */

let w: World;
let trusting: ApiProcess;
let direct: ApiProcess;
beforeAll(async () => {
  w = await createWorld();
  const env = readTestEnv();
  const base = {
    DATABASE_URL: env.databaseUrl,
    ...storeEnv(),
    WS_MAX_CONNECTIONS_PER_ADDRESS: '2',
  };
  [trusting, direct] = await Promise.all([
    startApiProcess({ ...base, TRUST_PROXY: '127.0.0.1' }),
    startApiProcess(base),
  ]);
}, 90_000);
afterAll(async () => {
  await Promise.all([trusting?.stop(), direct?.stop()]);
  await closeDb();
});

const open: WebSocket[] = [];
afterEach(async () => {
  await Promise.all(
    open.splice(0).map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          ws.once('close', () => resolve());
          ws.terminate();
        }),
    ),
  );
});

/**
 * A graphql-ws connection whose upgrade says `X-Forwarded-For: forwardedFor`, as a proxy sends
 * it: 'accepted' once acknowledged (it stays open), or the code it was closed with.
 */
async function connect(api: ApiProcess, forwardedFor: string): Promise<'accepted' | number> {
  const ws = new WebSocket(api.url.replace(/^http/, 'ws'), 'graphql-transport-ws', {
    headers: { 'x-forwarded-for': forwardedFor },
  });
  open.push(ws);
  ws.on('error', () => undefined);
  return new Promise((resolve) => {
    ws.once('open', () =>
      ws.send(
        JSON.stringify({
          type: 'connection_init',
          payload: { authorization: `Bearer ${w.as.buyerA.token}` },
        }),
      ),
    );
    ws.on('message', (data) => {
      if ((JSON.parse(String(data)) as { type: string }).type === 'connection_ack') {
        resolve('accepted');
      }
    });
    ws.once('close', (code) => resolve(code));
  });
}

describe('with TRUST_PROXY=127.0.0.1', () => {
  it('caps connections by the forwarded address: the third from one client is closed with 4429', async () => {
    expect(await connect(trusting, '203.0.113.7')).toBe('accepted');
    expect(await connect(trusting, '203.0.113.7')).toBe('accepted');
    expect(await connect(trusting, '203.0.113.7')).toBe(4429);
    // What a client wrote before the proxy's own entry changes nothing.
    expect(await connect(trusting, '198.51.100.99, 203.0.113.7')).toBe(4429);
  });

  it('accepts connections of different clients behind the same proxy', async () => {
    const results = [];
    for (let i = 1; i <= 6; i++) results.push(await connect(trusting, `203.0.113.${10 + i}`));
    expect(results).toEqual(Array(6).fill('accepted'));
  });
});

describe('without TRUST_PROXY', () => {
  it('ignores X-Forwarded-For: spoofed addresses share the peer address and its cap', async () => {
    expect(await connect(direct, '203.0.113.21')).toBe('accepted');
    expect(await connect(direct, '203.0.113.22')).toBe('accepted');
    expect(await connect(direct, '203.0.113.23')).toBe(4429);
  });
});
