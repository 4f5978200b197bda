import net from 'node:net';
import { CreateWebhookEndpointDocument } from '../generated/graphql';
import { Client } from '../support/client';
import { closeDb } from '../support/seed';
import {
  createDisputeEvent,
  createEndpoint,
  deliveriesOf,
  finishedDeliveries,
  isolatedDatabase,
  Receiver,
  receivedAndRecorded,
  seedWebhookWorld,
  startWebhookApi,
  waitFor,
  type ApiProcess,
  type WebhookWorld,
} from '../support/webhooks';

/**
 * Webhooks across processes: a crash between commit and delivery, several instances sharing
 * the outbox, and the production address guard. Each block has a database of its own.
 */

const receiver = new Receiver();
const started: ApiProcess[] = [];
const databases: Awaited<ReturnType<typeof isolatedDatabase>>[] = [];

async function api(databaseUrl: string, env: Record<string, string> = {}) {
  const p = await startWebhookApi(databaseUrl, env);
  started.push(p);
  return p;
}

beforeAll(() => receiver.start());
afterAll(async () => {
  // A process killed by a signal has no exit code, and has already exited.
  const running = started.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
  await Promise.all(running.map((p) => p.stop()));
  await receiver.stop();
  for (const d of databases) await d.drop();
  await closeDb();
});
afterEach(() => {
  expect(receiver.problems).toEqual([]);
});

describe('several API processes on one database', () => {
  let database: Awaited<ReturnType<typeof isolatedDatabase>>;
  let w: WebhookWorld;

  beforeAll(async () => {
    database = await isolatedDatabase('processes');
    databases.push(database);
  });

  it('delivers after a restart what a process killed between commit and delivery left', async () => {
    const first = await api(database.url);
    w = await seedWebhookWorld(database.pool, first.url);
    const endpoint = await createEndpoint(w.as.buyerA, receiver, 'crash', ['DISPUTE_CREATED']);
    // The first attempt never gets its answer: the process dies while it waits.
    receiver.on('crash', (n) => (n === 0 ? 'hang' : 200));
    const disputeId = await createDisputeEvent(w, w.as.buyerA, w.ids.accountA);
    await waitFor('the first attempt', () => receiver.of('crash').length === 1);
    await first.stop('SIGKILL');
    const before = (
      await database.pool.query(
        `SELECT status, attempts FROM webhook_deliveries WHERE endpoint_id = $1`,
        [endpoint],
      )
    ).rows;
    expect(before).toEqual([{ status: 'PENDING', attempts: 1 }]);

    // Its lease (timeout 1 s + 10 s) expires, and the restarted process tries again.
    const second = await api(database.url);
    const buyer = await Client.forUser(w.ids.buyerA, second.url);
    const [delivery] = await waitFor(
      'SUCCEEDED after the restart',
      async () => {
        const log = await deliveriesOf(buyer, endpoint);
        return log[0]?.status === 'SUCCEEDED' ? log : undefined;
      },
      40_000,
    );
    expect(delivery).toMatchObject({ attempts: 2, lastResponseStatus: 200 });
    const got = receiver.of('crash');
    expect(got).toHaveLength(2);
    expect(got[1]!.event.id).toBe(got[0]!.event.id);
    expect(got[1]!.rawBody).toBe(got[0]!.rawBody);
    expect(got[1]!.event.data.dispute.id).toBe(disputeId);
  }, 90_000);

  it('delivers each event exactly once with two processes sharing the work', async () => {
    const [one, two] = [started[started.length - 1]!, await api(database.url)];
    const buyers = [
      await Client.forUser(w.ids.buyerB, one.url),
      await Client.forUser(w.ids.buyerB, two.url),
    ];
    const endpoints = [
      await createEndpoint(buyers[0]!, receiver, 'many-1', ['DISPUTE_CREATED']),
      await createEndpoint(buyers[1]!, receiver, 'many-2', ['DISPUTE_CREATED']),
    ];
    const events = 40;
    const disputes = await Promise.all(
      Array.from({ length: events }, (_, i) =>
        createDisputeEvent(w, buyers[i % 2]!, w.ids.accountB),
      ),
    );
    for (const route of ['many-1', 'many-2']) {
      await waitFor(
        `${events} events at ${route}`,
        () => receiver.of(route).length >= events,
        30_000,
      );
    }
    // Once every delivery is finished, neither process sends any of them again: what arrived is
    // all, one request per attempt recorded.
    const finished = await finishedDeliveries(database.pool, receiver, disputes);
    const { received, recorded } = receivedAndRecorded(receiver, disputes, finished);
    expect(received).toEqual(recorded);
    for (const route of ['many-1', 'many-2']) {
      const got = receiver.of(route);
      expect(got).toHaveLength(events);
      expect(new Set(got.map((r) => r.event.id)).size).toBe(events);
      expect(new Set(got.map((r) => r.event.data.dispute.id))).toEqual(new Set(disputes));
    }
    const rows = await database.pool.query(
      `SELECT status, attempts, count(*)::int AS n FROM webhook_deliveries
        WHERE endpoint_id = ANY ($1) GROUP BY status, attempts`,
      [endpoints],
    );
    expect(rows.rows).toEqual([{ status: 'SUCCEEDED', attempts: 1, n: events * 2 }]);
  }, 90_000);
});

describe('production address guard', () => {
  let database: Awaited<ReturnType<typeof isolatedDatabase>>;
  let prod: ApiProcess;
  let w: WebhookWorld;

  beforeAll(async () => {
    database = await isolatedDatabase('production');
    databases.push(database);
  });

  it('refuses every host that is not public unicast, in any spelling, with one sentence', async () => {
    // At debug level, to see what a refused attempt logs.
    prod = await api(database.url, { NODE_ENV: 'production', LOG_LEVEL: 'debug' });
    w = await seedWebhookWorld(database.pool, prod.url);
    for (const url of [
      'https://127.0.0.1/hook',
      'https://10.0.0.1/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://192.168.1.10/hook',
      'https://0.0.0.0/hook',
      'https://100.64.0.1/hook',
      'https://192.0.0.9/hook',
      'https://[::1]/hook',
      'https://[::ffff:127.0.0.1]/hook',
      'https://[::127.0.0.1]/hook',
      'https://[64:ff9b::a9fe:a9fe]/hook',
      'https://[2002:7f00:1::1]/hook',
      'https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hook',
      'https://[fd00::1]/hook',
      'https://[fe80::1]/hook',
      'https://2130706433/hook',
      'https://0x7f.1/hook',
      'https://017700000001/hook',
      'https://127.1/hook',
      'https://localhost/hook',
    ]) {
      const res = await w.as.buyerA.raw(CreateWebhookEndpointDocument, {
        input: { url, events: ['DISPUTE_CREATED'] },
      });
      // One fixed sentence: what a name resolves to is never said.
      expect([url, res.errors?.[0]?.message, res.errors?.[0]?.extensions]).toEqual([
        url,
        'url: its host does not resolve to a public address.',
        { code: 'BAD_USER_INPUT', field: 'url' },
      ]);
    }
    const plainHttp = await w.as.buyerA.raw(CreateWebhookEndpointDocument, {
      input: { url: 'http://example.com/hook', events: ['DISPUTE_CREATED'] },
    });
    expect([plainHttp.errors?.[0]?.message, plainHttp.errors?.[0]?.extensions]).toEqual([
      'url: must use https.',
      { code: 'BAD_USER_INPUT', field: 'url' },
    ]);
    expect(
      (await database.pool.query('SELECT count(*)::int AS n FROM webhook_endpoints')).rows[0].n,
    ).toBe(0);

    // WEBHOOK_ALLOW_PRIVATE lifts the address check, not https.
    const allowing = await api(database.url, {
      NODE_ENV: 'production',
      WEBHOOK_ALLOW_PRIVATE: 'true',
    });
    const buyer = await Client.forUser(w.ids.buyerA, allowing.url);
    const allowed = await buyer.raw(CreateWebhookEndpointDocument, {
      input: { url: 'https://127.0.0.1:9/hook', events: ['DISPUTE_CREATED'] },
    });
    expect(allowed.errors).toBeUndefined();
    const plain = await buyer.raw(CreateWebhookEndpointDocument, {
      input: { url: 'http://127.0.0.1:9/hook', events: ['DISPUTE_CREATED'] },
    });
    expect(plain.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'url' });
    await allowing.stop();
  }, 90_000);

  it('checks the address again before each attempt and sends nothing to a private one', async () => {
    // A connection counter where the endpoint points: a check that let it through would connect.
    let connections = 0;
    const trap = net.createServer((s) => {
      connections += 1;
      s.destroy();
    });
    await new Promise<void>((r) => trap.listen(0, '127.0.0.1', r));
    const port = (trap.address() as net.AddressInfo).port;
    // As if its name resolved to a public address when created and to loopback now.
    const endpoint = '11111111-1111-4111-8111-111111111111';
    await database.pool.query(
      `INSERT INTO webhook_endpoints (id, account_id, url, events, secret, created_by)
       VALUES ($1, $2, $3, '{dispute.created}', 'whsec_test', $4)`,
      [endpoint, w.ids.accountA, `https://127.0.0.1:${port}/hook`, w.ids.buyerA],
    );
    await createDisputeEvent(w, w.as.buyerA, w.ids.accountA);
    const recorded = await waitFor('an attempt recorded', async () => {
      const { rows } = await database.pool.query(
        `SELECT status, attempts, last_response_status FROM webhook_deliveries
          WHERE endpoint_id = $1 AND attempts >= 1 AND lease_id IS NULL`,
        [endpoint],
      );
      return rows[0] as { status: string; attempts: number; last_response_status: number | null };
    });
    expect(recorded).toMatchObject({ status: 'PENDING', last_response_status: null });
    // The log says which block refused it, at debug level, and never the address.
    const logs = prod.logs.join('');
    expect(logs).toContain('"rule":"127.0.0.0/8"');
    expect(logs).not.toContain('127.0.0.1:' + port);
    expect(connections).toBe(0);
    await new Promise<void>((r) => trap.close(() => r()));
  }, 60_000);
});
