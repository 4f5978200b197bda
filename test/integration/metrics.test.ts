import net from 'node:net';
import { PendingCountDocument, PendingDisputesCountLiveDocument } from '../generated/graphql';
import { Client } from '../support/client';
import { LiveClient } from '../support/live';
import { closeDb, createWorld, insertCall, type World } from '../support/seed';
import { readTestEnv, startApiProcess, type ApiProcess, storeEnv } from '../support/services';

/*
 * GET /metrics on a process of its own (METRICS_TOKEN set), so the counts are this file's alone.
 */

const TOKEN = 'metrics-token-for-the-test-suite';
let w: World;
let api: ApiProcess;
let metricsUrl: string;

beforeAll(async () => {
  w = await createWorld();
  const env = readTestEnv();
  api = await startApiProcess({
    DATABASE_URL: env.databaseUrl,
    ...storeEnv(),
    METRICS_TOKEN: TOKEN,
  });
  metricsUrl = new URL('/metrics', api.url).href;
}, 90_000);

afterAll(async () => {
  await api?.stop();
  await closeDb();
});

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of Prometheus's text format (comments dropped). */
function parse(text: string): Sample[] {
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((line) => {
      const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!m) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries(
        [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]),
      );
      return { name: m[1]!, labels, value: Number(m[3]) };
    });
}

/** The value of the one sample of `name` whose labels include `labels`. */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (found.length !== 1)
    throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}`);
  return found[0]!.value;
}

async function scrape(): Promise<Sample[]> {
  const res = await fetch(metricsUrl, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parse(await res.text());
}

test('counts operations by name and outcome, open sockets and subscriptions, and reads pool and pending count', async () => {
  const client = await Client.forUser(w.ids.buyerA, api.url);
  await client.run(PendingCountDocument);
  await client.run(PendingCountDocument);
  const bad = await client.raw('query Broken { viewer { nope } }');
  expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

  const live = await LiveClient.forUser(w.ids.buyerA, api.url.replace(/^http/, 'ws'));
  try {
    const feed = live.subscribe(PendingDisputesCountLiveDocument);
    await feed.nth(1);

    const samples = await scrape();
    expect(
      valueOf(samples, 'disputes_graphql_operations_total', {
        operation: 'PendingCount',
        code: 'OK',
        transport: 'http',
        type: 'query',
      }),
    ).toBe(2);
    expect(
      valueOf(samples, 'disputes_graphql_operations_total', {
        operation: 'unresolved',
        code: 'BAD_USER_INPUT',
        transport: 'http',
      }),
    ).toBe(1);
    expect(
      valueOf(samples, 'disputes_graphql_operation_duration_seconds_count', {
        operation: 'PendingCount',
        transport: 'http',
      }),
    ).toBe(2);
    expect(
      valueOf(samples, 'disputes_graphql_operation_duration_seconds_bucket', {
        operation: 'PendingCount',
        transport: 'http',
        le: '+Inf',
      }),
    ).toBe(2);
    expect(valueOf(samples, 'disputes_websocket_connections')).toBeGreaterThanOrEqual(1);
    expect(valueOf(samples, 'disputes_websocket_subscriptions')).toBeGreaterThanOrEqual(1);
    expect(
      valueOf(samples, 'disputes_live_events_sent_total', { topic: 'pendingDisputesCount' }),
    ).toBeGreaterThanOrEqual(1);
    // Other files' disputes share the database: a number, not a given one.
    expect(Number.isInteger(valueOf(samples, 'disputes_pending_disputes'))).toBe(true);
    const total = valueOf(samples, 'disputes_db_pool_connections');
    expect(total).toBeGreaterThanOrEqual(1);
    expect(valueOf(samples, 'disputes_db_pool_idle_connections')).toBeLessThanOrEqual(total);
    // Nothing else runs in this process now; the scrape reads the pool before its own count.
    expect(valueOf(samples, 'disputes_db_pool_waiting_requests')).toBe(0);
    expect(valueOf(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  } finally {
    await live.close();
  }

  // Closing the socket takes its connection and subscription back.
  const deadline = Date.now() + 5_000;
  for (;;) {
    const samples = await scrape();
    const open = valueOf(samples, 'disputes_websocket_connections');
    const subs = valueOf(samples, 'disputes_websocket_subscriptions');
    if (open === 0 && subs === 0) break;
    if (Date.now() > deadline) throw new Error(`still ${open} sockets, ${subs} subscriptions`);
    await new Promise((r) => setTimeout(r, 50));
  }
});

test('counts WebSocket operations once each, by name, type, outcome and the ws transport', async () => {
  /** The sum of the samples of `name` whose labels include `labels` (0 when none yet). */
  const sum = (samples: Sample[], name: string, labels: Record<string, string>) =>
    samples
      .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
      .reduce((n, s) => n + s.value, 0);
  const series = {
    query: { operation: 'PendingCount', type: 'query', code: 'OK', transport: 'ws' },
    subscription: {
      operation: 'PendingDisputesCountLive',
      type: 'subscription',
      code: 'OK',
      transport: 'ws',
    },
    refused: { operation: 'unresolved', code: 'BAD_USER_INPUT', transport: 'ws' },
    httpQuery: { operation: 'PendingCount', transport: 'http' },
  };
  const counts = (samples: Sample[]) =>
    Object.fromEntries(
      Object.entries(series).map(([k, labels]) => [
        k,
        sum(samples, 'disputes_graphql_operations_total', labels),
      ]),
    );
  const before = counts(await scrape());
  const queryDurationsBefore = sum(
    await scrape(),
    'disputes_graphql_operation_duration_seconds_count',
    {
      operation: 'PendingCount',
      type: 'query',
      transport: 'ws',
    },
  );

  const live = await LiveClient.forUser(w.ids.buyerA, api.url.replace(/^http/, 'ws'));
  try {
    // A query over the socket: one answer, then complete.
    const query = live.subscribe(PendingCountDocument);
    await query.nth(1);
    expect(query.errors).toEqual([]);
    // A subscription: counted when it starts, not per event.
    const feed = live.subscribe(PendingDisputesCountLiveDocument);
    await feed.nth(1);
    const callId = await insertCall({ buyerId: w.ids.accountA, campaignId: w.ids.campaign });
    const created = await w.as.buyerA.raw(
      'mutation($input: CreateDisputeInput!) { createDispute(input: $input) { id } }',
      { input: { callId, reason: 'INVALID_CALLER' } },
    );
    expect(created.errors).toBeUndefined();
    await feed.nth(2, 10_000);
    // Refused by the checks before it is identified.
    const refused = live.subscribe('subscription Broken { nope }');
    expect((await refused.firstError()).extensions?.code).toBe('BAD_USER_INPUT');

    const after = await scrape();
    expect(counts(after)).toEqual({
      query: before.query! + 1,
      subscription: before.subscription! + 1,
      refused: before.refused! + 1,
      // Nothing of this socket is counted as HTTP.
      httpQuery: before.httpQuery,
    });
    expect(
      sum(after, 'disputes_graphql_operation_duration_seconds_count', {
        operation: 'PendingCount',
        type: 'query',
        transport: 'ws',
      }),
    ).toBe(queryDurationsBefore + 1);
    feed.stop();
  } finally {
    await live.close();
  }
});

test('with METRICS_TOKEN set, /metrics answers 401 without it or with another', async () => {
  const none = await fetch(metricsUrl);
  expect(none.status).toBe(401);
  expect(none.headers.get('www-authenticate')).toBe('Bearer');
  const wrong = await fetch(metricsUrl, { headers: { authorization: 'Bearer not-the-token' } });
  expect(wrong.status).toBe(401);
  expect(await wrong.text()).not.toContain('disputes_');
});

test('without METRICS_TOKEN, the suite API serves /metrics to anyone', async () => {
  const res = await fetch(new URL('/metrics', readTestEnv().apiUrl));
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('# TYPE disputes_graphql_operations_total counter');
});

/** The sum of the samples of `name` whose labels include `labels` (0 when none). */
const total = (samples: Sample[], name: string, labels: Record<string, string>) =>
  samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((n, s) => n + s.value, 0);

const operationNames = (samples: Sample[]) =>
  new Set(
    samples
      .filter((s) => s.name === 'disputes_graphql_operations_total')
      .map((s) => s.labels.operation),
  );

test('anonymous requests never name a series, and cannot push signed-in operations into other', async () => {
  const anonymous = new Client(null, api.url);
  const before = await scrape();
  // More names than the 200 kept: each would have taken a slot before.
  for (let i = 0; i < 250; i += 25) {
    await Promise.all(
      Array.from({ length: 25 }, (_, j) => anonymous.raw(`query Probe${i + j} { __typename }`)),
    );
  }
  const signedIn = await Client.forUser(w.ids.buyerA, api.url);
  expect((await signedIn.raw('query AfterTheProbes { viewer { id } }')).errors).toBeUndefined();

  const after = await scrape();
  expect([...operationNames(after)].filter((n) => n?.startsWith('Probe'))).toEqual([]);
  const other = { operation: 'other', transport: 'http' };
  expect(
    total(after, 'disputes_graphql_operations_total', other) -
      total(before, 'disputes_graphql_operations_total', other),
  ).toBe(250);
  expect(
    valueOf(after, 'disputes_graphql_operations_total', {
      operation: 'AfterTheProbes',
      code: 'OK',
      transport: 'http',
    }),
  ).toBe(1);
});

test('a signed-in operation name becomes a label once an operation of that name succeeded', async () => {
  const client = await Client.forUser(w.ids.buyerA, api.url);
  const query = 'query FirstRefused($first: Int!) { calls(first: $first) { nodes { id } } }';
  const refused = await client.raw(query, { first: 1000 });
  expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(operationNames(await scrape())).not.toContain('FirstRefused');

  expect((await client.raw(query, { first: 1 })).errors).toBeUndefined();
  expect((await client.raw(query, { first: 1000 })).errors?.[0]?.extensions?.code).toBe(
    'BAD_USER_INPUT',
  );
  const samples = await scrape();
  const named = (code: string) =>
    total(samples, 'disputes_graphql_operations_total', {
      operation: 'FirstRefused',
      code,
      transport: 'http',
    });
  // The first refusal came before any success: it was counted as `other`.
  expect({ ok: named('OK'), refused: named('BAD_USER_INPUT') }).toEqual({ ok: 1, refused: 1 });
});

/** A port nothing listens on now, on the loopback interface. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('production (NODE_ENV=production)', () => {
  it('refuses to start with neither METRICS_TOKEN nor METRICS_PORT', async () => {
    const env = readTestEnv();
    const started = startApiProcess({
      NODE_ENV: 'production',
      DATABASE_URL: env.databaseUrl,
      ...storeEnv(),
      METRICS_TOKEN: '',
    }).then(async (started) => {
      // Started after all: stopped, so the failure below is the only thing left behind.
      await started.stop();
      return started;
    });
    await expect(started).rejects.toThrow(/exited with 2[\s\S]*METRICS_TOKEN or METRICS_PORT/);
  });

  it('with METRICS_PORT, serves /metrics only there, on 127.0.0.1, and answers 404 on the API port', async () => {
    const env = readTestEnv();
    const port = await freePort();
    const prod = await startApiProcess({
      NODE_ENV: 'production',
      DATABASE_URL: env.databaseUrl,
      ...storeEnv(),
      METRICS_PORT: String(port),
    });
    try {
      const onApiPort = await fetch(new URL('/metrics', prod.url));
      expect(onApiPort.status).toBe(404);
      expect(await onApiPort.text()).not.toContain('disputes_');

      const own = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(own.status).toBe(200);
      expect(await own.text()).toContain('# TYPE disputes_graphql_operations_total counter');
      expect((await fetch(`http://127.0.0.1:${port}/graphql`)).status).toBe(404);
    } finally {
      await prod.stop();
    }
  });
});
