import { randomUUID } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { Client as PgClient } from 'pg';
import { ErrorCode } from '../../src/platform/errors';
import { Client, type GqlError } from '../support/client';
import { tableHeaded, codeSpans } from '../support/doc-blocks';
import { RawWs } from '../support/raw-ws';
import { closeDb, createWorld, db, HOUR, insertCall, type World } from '../support/seed';
import { readTestEnv, startApiProcess, storeEnv, type ApiProcess } from '../support/services';

/*
 * docs/integrating.md's error table says which HTTP status comes with each code; every status
 * it lists is observed here against real servers (the suite's, and one of its own in production
 * with a one-connection pool, for the server's own failures), and every status observed is
 * listed. The two rules stated under the table (missing is null for queries and NOT_FOUND for
 * mutations; `extensions.field` on rule checks only) and the limits' extensions are checked too.
 */

let w: World;
beforeAll(async () => {
  w = await createWorld();
});
afterAll(closeDb);

/** Every (code, HTTP status) pair seen in this file. */
const observed = new Map<string, Set<number>>();

interface Answer {
  status: number;
  errors?: GqlError[];
  data?: Record<string, unknown> | null;
}

/** Records the answer's first error code with its status, and returns that error. */
function seen(res: Answer, code: ErrorCode): GqlError {
  const error = res.errors?.[0];
  expect({ code: error?.extensions?.code, errors: res.errors?.length }).toEqual({
    code,
    errors: 1,
  });
  observed.set(code, (observed.get(code) ?? new Set()).add(res.status));
  return error!;
}

/** A POST with a body of the test's choosing. */
async function post(body: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(readTestEnv().apiUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${w.as.buyerA.token}`,
      ...headers,
    },
    body,
  });
  return { status: res.status, ...((await res.json()) as Omit<Answer, 'status'>) };
}

const CREATE = 'mutation($input: CreateDisputeInput!) { createDispute(input: $input) { id } }';
const RESOLVE = 'mutation($input: ResolveDisputeInput!) { resolveDispute(input: $input) { id } }';

async function dispute(callId: string): Promise<string> {
  const res = await w.as.buyerA.raw<{ createDispute: { id: string } }>(CREATE, {
    input: { callId, reason: 'INVALID_CALLER' },
  });
  expect(res.errors).toBeUndefined();
  return res.data!.createDispute.id;
}
const call = (opts: { status?: string; startedAt?: Date } = {}) =>
  insertCall({ buyerId: w.ids.accountA, campaignId: w.ids.campaign, ...opts });

describe('authentication', () => {
  test('no token, or a bad one: UNAUTHENTICATED with 401', async () => {
    seen(await w.as.anonymous.raw('{ viewer { id } }'), ErrorCode.UNAUTHENTICATED);
    seen(await new Client('not-a-token').raw('{ viewer { id } }'), ErrorCode.UNAUTHENTICATED);
    // A bad token is refused whatever the request, introspection included.
    seen(
      await new Client('not-a-token').raw('{ __schema { queryType { name } } }'),
      ErrorCode.UNAUTHENTICATED,
    );
  });

  test('introspection answers without a token outside production', async () => {
    const res = await w.as.anonymous.raw('{ __schema { queryType { name } } }');
    expect(res).toMatchObject({
      status: 200,
      data: { __schema: { queryType: { name: 'Query' } } },
    });
    expect((await w.as.anonymous.raw('{ __typename }')).data).toEqual({ __typename: 'Query' });
  });
});

describe('permission, visibility and the rules', () => {
  test('FORBIDDEN', async () => {
    const res = await w.as.buyerANoPerm.raw(CREATE, {
      input: { callId: await call(), reason: 'INVALID_CALLER' },
    });
    seen(res, ErrorCode.FORBIDDEN);
  });

  test('missing is null for queries, NOT_FOUND for mutations, whatever the id looks like', async () => {
    const foreignCall = await insertCall({ buyerId: w.ids.accountB, campaignId: w.ids.campaign });
    const foreign = (
      await w.as.buyerB.raw<{ createDispute: { id: string } }>(CREATE, {
        input: { callId: foreignCall, reason: 'INVALID_CALLER' },
      })
    ).data!.createDispute.id;
    for (const id of [randomUUID(), foreign, 'not-an-id', '']) {
      const queries = await w.as.buyerA.raw(
        'query($id: ID!) { dispute(id: $id) { id } call(id: $id) { id } webhookEndpoint(id: $id) { id } }',
        { id },
      );
      expect({ id, status: queries.status, data: queries.data, errors: queries.errors }).toEqual({
        id,
        status: 200,
        data: { dispute: null, call: null, webhookEndpoint: null },
        errors: undefined,
      });
      const mutations = [
        [w.as.buyerA, 'mutation($id: ID!) { withdrawDispute(disputeId: $id) { id } }', { id }],
        [
          w.as.buyerA,
          'mutation($id: ID!) { addDisputeComment(input: { disputeId: $id, body: "Hello" }) { id } }',
          { id },
        ],
        [
          w.as.buyerA,
          CREATE,
          { input: { callId: id === foreign ? foreignCall : id, reason: 'OTHER' } },
        ],
        // Managers see every account's disputes: only unknown ids are missing to them.
        ...(id === foreign
          ? []
          : [[w.as.editManager, RESOLVE, { input: { disputeId: id, outcome: 'REJECTED' } }]]),
      ] as [Client, string, Record<string, unknown>][];
      for (const [as, query, variables] of mutations) {
        const error = seen(await as.raw(query, variables), ErrorCode.NOT_FOUND);
        expect(error.extensions?.field).toBeUndefined();
      }
    }
  });

  test('BAD_USER_INPUT of a rule: 200, naming the input in extensions.field', async () => {
    const first = seen(
      await w.as.buyerA.raw('{ calls(first: 0) { nodes { id } } }'),
      ErrorCode.BAD_USER_INPUT,
    );
    expect(first.extensions?.field).toBe('first');
    expect(first.message).toMatch(/^first: /);
    const pending = await dispute(await call());
    const amount = seen(
      await w.as.editManager.raw(RESOLVE, {
        input: { disputeId: pending, outcome: 'REJECTED', adjustmentAmount: '1.00' },
      }),
      ErrorCode.BAD_USER_INPUT,
    );
    expect(amount.extensions?.field).toBe('adjustmentAmount');
    const url = seen(
      await w.as.buyerA.raw(
        'mutation { createWebhookEndpoint(input: { url: "ftp://example.com/", events: [DISPUTE_CREATED] }) { secret } }',
      ),
      ErrorCode.BAD_USER_INPUT,
    );
    expect(url.extensions?.field).toBe('url');
  });

  test('the call’s own rules and the dispute’s', async () => {
    seen(
      await w.as.buyerA.raw(CREATE, {
        input: { callId: await call({ status: 'IN_PROGRESS' }), reason: 'INVALID_CALLER' },
      }),
      ErrorCode.CALL_NOT_DISPUTABLE,
    );
    seen(
      await w.as.buyerA.raw(CREATE, {
        input: {
          callId: await call({ startedAt: new Date(Date.now() - 100 * HOUR) }),
          reason: 'INVALID_CALLER',
        },
      }),
      ErrorCode.DISPUTE_WINDOW_EXPIRED,
    );
    const callId = await call();
    const first = await dispute(callId);
    seen(
      await w.as.buyerA.raw(CREATE, { input: { callId, reason: 'OTHER' } }),
      ErrorCode.DISPUTE_ALREADY_ACTIVE,
    );
    // A pending dispute has no decision to take back.
    seen(
      await w.as.editManager.raw(
        'mutation($input: ReopenDisputeInput!) { reopenDispute(input: $input) { id } }',
        { input: { disputeId: first, reason: 'Checked again.' } },
      ),
      ErrorCode.DISPUTE_NOT_REOPENABLE,
    );
    expect(
      (await w.as.editManager.raw(RESOLVE, { input: { disputeId: first, outcome: 'ACCEPTED' } }))
        .errors,
    ).toBeUndefined();
    seen(
      await w.as.editManager.raw(RESOLVE, { input: { disputeId: first, outcome: 'REJECTED' } }),
      ErrorCode.DISPUTE_ALREADY_RESOLVED,
    );
    seen(
      await w.as.buyerA.raw(CREATE, { input: { callId, reason: 'OTHER' } }),
      ErrorCode.CALL_ALREADY_ADJUSTED,
    );
    const evidence = seen(
      await w.as.buyerA.raw(CREATE, {
        input: { callId: await call(), reason: 'OTHER', evidenceIds: [randomUUID()] },
      }),
      ErrorCode.EVIDENCE_INVALID,
    );
    expect(evidence.extensions?.evidenceId).toEqual(expect.any(String));
  });
});

describe('the request itself', () => {
  test('BAD_USER_INPUT before it runs: 400 (413 for a body too large), no extensions.field', async () => {
    const refused = [
      await post('{"query": '),
      await post(JSON.stringify({ query: '{ viewer { id ' })),
      await post(JSON.stringify({ query: '{ viewer { nope } }' })),
      await post(
        JSON.stringify({
          query: 'query($f: Int!) { calls(first: $f) { nodes { id } } }',
          variables: { f: 'ten' },
        }),
      ),
      await post(
        JSON.stringify({ query: 'query($f: Int!) { calls(first: $f) { nodes { id } } }' }),
      ),
      await post(JSON.stringify([{ query: '{ viewer { id } }' }, { query: '{ viewer { id } }' }])),
      await post(JSON.stringify({ query: 'subscription { pendingDisputesCount }' })),
      await post(JSON.stringify({ query: '{ viewer { id } }' }), { 'content-type': 'text/plain' }),
    ];
    for (const res of refused) {
      const error = seen(res, ErrorCode.BAD_USER_INPUT);
      expect({ status: res.status, field: error.extensions?.field }).toEqual({ status: 400 });
    }
    const big = await post(
      JSON.stringify({ query: '{ viewer { id } }', pad: 'x'.repeat(1 << 20) }),
    );
    seen(big, ErrorCode.BAD_USER_INPUT);
    expect(big.status).toBe(413);
  });

  test('QUERY_TOO_COMPLEX: 400, with the limit and the operation’s measure in extensions', async () => {
    const nested = (n: number): string =>
      n === 0 ? 'id' : `disputes { call { ${nested(n - 1)} } }`;
    const deep = seen(
      await w.as.buyerA.raw(`{ calls(first: 1) { nodes { ${nested(6)} } } }`),
      ErrorCode.QUERY_TOO_COMPLEX,
    );
    expect(deep.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', depth: 15, limit: 12 });
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: viewer { id }`).join(' ');
    expect(
      seen(await w.as.buyerA.raw(`{ ${aliases} }`), ErrorCode.QUERY_TOO_COMPLEX).extensions,
    ).toEqual({ code: 'QUERY_TOO_COMPLEX', aliases: 16, limit: 15 });
    const costly = seen(
      await w.as.buyerA.raw('{ calls(first: 100) { nodes { disputes { history { id } } } } }'),
      ErrorCode.QUERY_TOO_COMPLEX,
    );
    expect(costly.extensions).toEqual({
      code: 'QUERY_TOO_COMPLEX',
      cost: expect.any(Number),
      limit: 25_000,
    });
    expect(costly.extensions!.cost as number).toBeGreaterThan(25_000);
    expect(costly.message).toContain(String(costly.extensions!.cost));
    // Bracket nesting is refused before parsing, with the limit, over either transport.
    const brackets = `{ viewer ${'['.repeat(45)} }`;
    const http = seen(await w.as.buyerA.raw(brackets), ErrorCode.QUERY_TOO_COMPLEX);
    expect(http.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 40 });
    const ws = await RawWs.open(readTestEnv().wsUrl, `Bearer ${w.as.buyerA.token}`);
    try {
      const id = ws.subscribe(brackets);
      await ws.waitFor((m) => m.some((x) => x.id === id && x.type === 'error'));
      const payload = ws.of(id).find((x) => x.type === 'error')!.payload as GqlError[];
      expect(payload[0]!.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 40 });
    } finally {
      ws.close();
    }
  });
});

describe('the server’s own failures (a production server of its own, one pooled connection)', () => {
  let api: ApiProcess;
  let lock: PgClient;

  beforeAll(async () => {
    const env = readTestEnv();
    api = await startApiProcess({
      NODE_ENV: 'production',
      DATABASE_URL: env.databaseUrl,
      ...storeEnv(),
      DB_POOL_SIZE: '1',
      DB_POOL_ACQUIRE_TIMEOUT_MS: '300',
      DB_STATEMENT_TIMEOUT_MS: '3000',
    });
    lock = new PgClient({ connectionString: env.databaseUrl });
    await lock.connect();
  }, 90_000);
  afterAll(async () => {
    await lock?.end();
    await api?.stop();
  });

  /** Holds the dispute's row until `release`, so a decision on it waits. */
  async function holdRow(disputeId: string) {
    await lock.query('BEGIN');
    await lock.query('SELECT 1 FROM disputes WHERE id = $1 FOR UPDATE', [disputeId]);
    const pid = (await lock.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const deadline = Date.now() + 10_000;
    return {
      /** Resolves once a session waits for the row. */
      async waited() {
        for (;;) {
          const { rows } = await db().query<{ n: number }>(
            'SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))',
            [pid],
          );
          if (rows[0]!.n > 0) return;
          if (Date.now() > deadline) throw new Error('nothing waited for the row');
          await new Promise((r) => setTimeout(r, 20));
        }
      },
      release: () => lock.query('ROLLBACK'),
    };
  }

  /** One POST on `agent` (a kept-alive connection), never rejecting. */
  function postOn(agent: http.Agent | undefined, token: string, query: string, variables = {}) {
    return new Promise<Answer & { error?: string }>((resolve) => {
      const body = JSON.stringify({ query, variables });
      const req = http.request(
        api.url,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            authorization: `Bearer ${token}`,
          },
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              ...(JSON.parse(text) as Omit<Answer, 'status'>),
            }),
          );
        },
      );
      req.on('error', (e: NodeJS.ErrnoException) => resolve({ status: 0, error: e.code }));
      req.end(body);
    });
  }

  test('production refuses introspection, signed in or not', async () => {
    for (const client of [new Client(null, api.url), new Client(w.as.buyerA.token, api.url)]) {
      const res = await client.raw('{ __schema { queryType { name } } }');
      expect(res.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/introspection/i),
        extensions: { code: 'BAD_USER_INPUT' },
      });
      expect(res.status).toBe(400);
    }
  });

  test('INTERNAL_SERVER_ERROR: 200 when a field fails, 500 when the request cannot start', async () => {
    const token = w.as.editManager.token!;
    const disputeId = await dispute(await call());
    const row = await holdRow(disputeId);
    try {
      // The decision takes the only connection and waits for the row, past its statement timeout.
      const decision = postOn(undefined, token, RESOLVE, {
        input: { disputeId, outcome: 'REJECTED' },
      });
      await row.waited();
      // Meanwhile no connection is free to read who is asking.
      const viewer = await postOn(undefined, token, '{ viewer { id } }');
      expect(viewer.status).toBe(500);
      seen(viewer, ErrorCode.INTERNAL_SERVER_ERROR);
      const decided = await decision;
      // resolveDispute is non-null, so the whole `data` is null.
      expect({ status: decided.status, data: decided.data }).toEqual({ status: 200, data: null });
      seen(decided, ErrorCode.INTERNAL_SERVER_ERROR);
    } finally {
      await row.release();
    }
  });

  test('INTERNAL_SERVER_ERROR: 503 from a server shutting down', async () => {
    const token = w.as.editManager.token!;
    const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
    expect((await postOn(keepAlive, token, '{ viewer { id } }')).status).toBe(200);
    const disputeId = await dispute(await call());
    const row = await holdRow(disputeId);
    try {
      // A request in flight keeps the server from exiting while it shuts down.
      const decision = postOn(undefined, token, RESOLVE, {
        input: { disputeId, outcome: 'REJECTED' },
      });
      await row.waited();
      const exited = new Promise((resolve) => api.child.once('exit', resolve));
      api.child.kill('SIGTERM');
      await untilRefused(api.port);
      const late = await postOn(keepAlive, token, '{ viewer { id } }');
      expect(late.status).toBe(503);
      seen(late, ErrorCode.INTERNAL_SERVER_ERROR);
      await row.release();
      await decision;
      await exited;
    } finally {
      keepAlive.destroy();
      await lock.query('ROLLBACK').catch(() => undefined);
    }
  }, 30_000);
});

/** Resolves once a new TCP connection to `port` is refused. */
async function untilRefused(port: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const refused = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(false);
      });
      s.once('error', () => resolve(true));
    });
    if (refused) return;
    if (Date.now() > deadline) throw new Error(`port ${port} still accepts connections`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('the HTTP column of docs/integrating.md’s error table is what the servers answered', () => {
  const table = tableHeaded('docs/integrating.md', 'code', 'HTTP');
  const documented = Object.fromEntries(
    table.rows.map((r) => [
      codeSpans(r[0]!)[0]!,
      [...r[1]!.matchAll(/\b\d{3}\b/g)].map((m) => Number(m[0])).sort(),
    ]),
  );
  const answered = Object.fromEntries(
    Object.values(ErrorCode).map((code) => [code, [...(observed.get(code) ?? [])].sort()]),
  );
  expect(documented).toEqual(answered);
});
