import { execFileSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { PendingCountDocument, PendingDisputesCountLiveDocument } from '../generated/graphql';
import { Client } from '../support/client';
import { LiveClient } from '../support/live';
import { closeDb, createWorld, insertCall, type World } from '../support/seed';
import { readTestEnv, ROOT, startApiProcess, storeEnv, type ApiProcess } from '../support/services';

/*
 * An API process with OTEL_EXPORTER_OTLP_ENDPOINT pointed at a collector stub on loopback
 * (OTLP/HTTP with JSON bodies at /v1/traces): one span per operation over HTTP and WebSocket,
 * named by type and name, with its outcome, and the operation's SQL as child spans.
 */

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
}
interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Record<string, string | number | undefined>;
  status?: { code?: number; message?: string };
  service?: string;
}

const spans: ExportedSpan[] = [];
let collector: http.Server;
let w: World;
let api: ApiProcess;

function attributes(list: { key: string; value: OtlpValue }[] = []) {
  return Object.fromEntries(
    list.map((a) => [a.key, a.value.stringValue ?? (a.value.intValue as number | undefined)]),
  );
}

beforeAll(async () => {
  collector = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      expect(req.headers['content-type']).toMatch(/^application\/json/);
      const payload = JSON.parse(body) as {
        resourceSpans: {
          resource: { attributes: { key: string; value: OtlpValue }[] };
          scopeSpans: {
            spans: (Omit<ExportedSpan, 'attributes'> & {
              attributes: { key: string; value: OtlpValue }[];
            })[];
          }[];
        }[];
      };
      for (const rs of payload.resourceSpans) {
        const service = attributes(rs.resource.attributes)['service.name'] as string;
        for (const ss of rs.scopeSpans) {
          for (const s of ss.spans) {
            spans.push({ ...s, attributes: attributes(s.attributes), service });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const { port } = collector.address() as AddressInfo;

  w = await createWorld();
  api = await startApiProcess({
    DATABASE_URL: readTestEnv().databaseUrl,
    ...storeEnv(),
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    OTEL_SERVICE_NAME: 'disputes-api-under-test',
    // Export every 100 ms instead of every 5 s.
    OTEL_BSP_SCHEDULE_DELAY: '100',
  });
}, 90_000);

afterAll(async () => {
  await api?.stop();
  await new Promise((resolve) => collector?.close(resolve));
  await closeDb();
});

/** Operation spans (the ones carrying a transport), by name and transport. */
const operationSpans = (name: string, transport: string) =>
  spans.filter((s) => s.name === name && s.attributes['disputes.transport'] === transport);
const childrenOf = (span: ExportedSpan) =>
  spans.filter((s) => s.traceId === span.traceId && s.parentSpanId === span.spanId);

async function waitFor(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(
        `no ${what} within ${ms} ms; spans: ${JSON.stringify(spans.map((s) => s.name))}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('an operation over HTTP is one span named by type and name, with its outcome and its SQL as children', async () => {
  const client = await Client.forUser(w.ids.buyerA, api.url);
  await client.run(PendingCountDocument);
  const callId = await insertCall({ buyerId: w.ids.accountA, campaignId: w.ids.campaign });
  const sent = await client.raw(
    'mutation SendForTrace($input: CreateDisputeInput!) { createDispute(input: $input) { id } }',
    { input: { callId, reason: 'INVALID_CALLER' } },
  );
  expect(sent.errors).toBeUndefined();
  const bad = await client.raw('query Broken { viewer { nope } }');
  expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

  await waitFor(
    () =>
      operationSpans('query PendingCount', 'http').length > 0 &&
      operationSpans('mutation SendForTrace', 'http').length > 0 &&
      operationSpans('graphql unresolved', 'http').length > 0,
    'HTTP operation spans',
  );
  // Exactly one span per operation.
  const [query] = operationSpans('query PendingCount', 'http');
  expect(operationSpans('query PendingCount', 'http')).toHaveLength(1);
  expect(operationSpans('mutation SendForTrace', 'http')).toHaveLength(1);
  expect(query!.service).toBe('disputes-api-under-test');
  expect(query!.parentSpanId ?? '').toBe('');
  expect(query!.attributes).toMatchObject({
    'graphql.operation.type': 'query',
    'graphql.operation.name': 'PendingCount',
    'disputes.outcome.code': 'OK',
  });

  // Its SQL (the viewer's lookup, the count) as child spans, with text and no parameters.
  const sql = childrenOf(query!);
  expect(sql.length).toBeGreaterThanOrEqual(1);
  for (const s of sql) {
    expect(s.attributes['db.system.name']).toBe('postgresql');
    expect(typeof s.attributes['db.query.text']).toBe('string');
  }
  expect(sql.map((s) => s.name)).toContain('SELECT');

  const [mutation] = operationSpans('mutation SendForTrace', 'http');
  expect(mutation!.attributes['disputes.outcome.code']).toBe('OK');
  const statements = childrenOf(mutation!).map((s) => s.name);
  expect(statements).toEqual(expect.arrayContaining(['INSERT', 'COMMIT']));

  const [refused] = operationSpans('graphql unresolved', 'http');
  expect(refused!.attributes['disputes.outcome.code']).toBe('BAD_USER_INPUT');
  // STATUS_CODE_ERROR
  expect(refused!.status?.code).toBe(2);
});

test('operations over WebSocket are spans too, with their SQL as children', async () => {
  const live = await LiveClient.forUser(w.ids.buyerA, api.url.replace(/^http/, 'ws'));
  try {
    const query = live.subscribe(PendingCountDocument);
    await query.nth(1);
    const feed = live.subscribe(PendingDisputesCountLiveDocument);
    await feed.nth(1);
    await waitFor(
      () =>
        operationSpans('query PendingCount', 'ws').length > 0 &&
        operationSpans('subscription PendingDisputesCountLive', 'ws').length > 0,
      'WebSocket operation spans',
    );
    for (const name of ['query PendingCount', 'subscription PendingDisputesCountLive']) {
      const found = operationSpans(name, 'ws');
      expect(found).toHaveLength(1);
      expect(found[0]!.attributes['disputes.outcome.code']).toBe('OK');
      // At least the per-operation read of the user's permissions.
      expect(childrenOf(found[0]!).length).toBeGreaterThanOrEqual(1);
    }
    feed.stop();
  } finally {
    await live.close();
  }
});

// prom-client loads @opentelemetry/api (for exemplars) anyway; the SDK and exporter are the cost.
test('without the variable, loading the whole server loads none of the OpenTelemetry SDK', () => {
  const loaded = execFileSync(
    process.execPath,
    [
      '-e',
      `require(${JSON.stringify(path.join(ROOT, 'dist', 'src', 'app', 'api-process.js'))});
       process.stdout.write(String(Object.keys(require.cache).filter((k) => k.includes('@opentelemetry/') && !k.includes('@opentelemetry/api/')).length));`,
    ],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? '' } },
  ).toString();
  expect(loaded).toBe('0');
});
