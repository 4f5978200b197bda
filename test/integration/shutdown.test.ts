import http from 'node:http';
import net from 'node:net';
import type { PoolClient } from 'pg';
import WebSocket from 'ws';
import { closeDb, createWorld, db, insertCall, type World } from '../support/seed';
import { readTestEnv, startApiProcess, type ApiProcess, storeEnv } from '../support/services';

/**
 * SIGTERM under load, against an API process of its own on the shared database. The mutations
 * are held in flight deterministically: the test locks their calls' rows, and createDispute
 * waits for that lock, so SIGTERM always lands while every one of them is running.
 */

let w: World;
beforeAll(async () => {
  w = await createWorld();
});
afterAll(closeDb);

const CREATE = `mutation ($input: CreateDisputeInput!) { createDispute(input: $input) { id status } }`;

interface Answer {
  status?: number;
  headers?: http.IncomingHttpHeaders;
  body?: {
    data?: { createDispute?: { id: string } | null } | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  /** The socket error, when no complete response arrived. */
  error?: string;
}

/** One POST over `agent`; never rejects: a failure is reported as `error`. */
function post(url: string, token: string, payload: unknown, agent?: http.Agent): Promise<Answer> {
  return new Promise((resolve) => {
    const body = JSON.stringify(payload);
    const req = http.request(
      url,
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
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) =>
          resolve({ error: (err as NodeJS.ErrnoException).code ?? err.message }),
        );
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({
              status: res.statusCode,
              headers: res.headers,
              body: JSON.parse(text) as Answer['body'],
            });
          } catch {
            resolve({
              status: res.statusCode,
              headers: res.headers,
              error: `not JSON: ${text.slice(0, 200)}`,
            });
          }
        });
      },
    );
    req.on('error', (err) =>
      resolve({ error: (err as NodeJS.ErrnoException).code ?? err.message }),
    );
    req.end(body);
  });
}

/** Resolves once a new TCP connection to `port` is refused. */
async function untilRefused(port: number, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
    });
    if (refused) return;
    if (Date.now() > deadline) throw new Error('the listener still accepts connections');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function startApi(extra: Record<string, string> = {}): Promise<ApiProcess> {
  const env = readTestEnv();
  return startApiProcess({
    DATABASE_URL: env.databaseUrl,
    ...storeEnv(),
    LOG_LEVEL: 'info',
    ...extra,
  });
}

/** Locks the calls' rows in a transaction of the test's own; createDispute waits for them. */
async function lockCalls(callIds: string[]): Promise<{ client: PoolClient; pid: number }> {
  const client = await db().connect();
  await client.query('BEGIN');
  await client.query('SELECT id FROM calls WHERE id = ANY($1::uuid[]) FOR UPDATE', [callIds]);
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  return { client, pid: rows[0]!.pid };
}

async function waitingOn(lockHolderPid: number): Promise<number> {
  const { rows } = await db().query<{ n: number }>(
    'SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))',
    [lockHolderPid],
  );
  return rows[0]!.n;
}

async function disputesOn(callIds: string[]): Promise<string[]> {
  const { rows } = await db().query<{ id: string }>(
    'SELECT id FROM disputes WHERE call_id = ANY($1::uuid[]) ORDER BY id',
    [callIds],
  );
  return rows.map((r) => r.id);
}

const input = (callId: string, i: number) => ({
  input: { callId, reason: 'INVALID_CALLER', idempotencyKey: `shutdown-${callId}-${i}` },
});

describe('graceful shutdown', () => {
  it('SIGTERM with mutations in flight: each one commits and is answered, later requests get 503 or a refused connection, exit 0', async () => {
    const N = 12;
    const api = await startApi({ SHUTDOWN_GRACE_MS: '10000' });
    const token = w.as.buyerA.token!;
    const held = await Promise.all(
      Array.from({ length: N }, () =>
        insertCall({ buyerId: w.ids.accountA, campaignId: w.ids.campaign }),
      ),
    );
    const late = await insertCall({ buyerId: w.ids.accountA, campaignId: w.ids.campaign });

    // A kept-alive connection, opened before SIGTERM and idle when it comes.
    const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const warm = await post(api.url, token, { query: '{ viewer { id } }' }, keepAlive);
    expect(warm.status).toBe(200);

    // A subscriber, to be closed with 1001 ("going away").
    const ws = new WebSocket(api.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const wsClosed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      ws.on('open', () =>
        ws.send(
          JSON.stringify({
            type: 'connection_init',
            payload: { authorization: `Bearer ${token}` },
          }),
        ),
      );
      ws.on('message', (m: Buffer) => {
        if ((JSON.parse(m.toString()) as { type: string }).type === 'connection_ack') resolve();
      });
    });
    ws.send(
      JSON.stringify({
        id: '1',
        type: 'subscribe',
        payload: { query: 'subscription { disputeChanged { id status } }' },
      }),
    );

    const lock = await lockCalls(held);
    let lockReleased = false;
    try {
      const inFlight = held.map((callId, i) =>
        post(api.url, token, { query: CREATE, variables: input(callId, i) }),
      );
      await waitFor(
        `${N} createDispute wait for the lock`,
        async () => (await waitingOn(lock.pid)) === N,
      );

      const exited = new Promise<number | null>((resolve) => api.child.once('exit', resolve));
      const signalledAt = Date.now();
      api.child.kill('SIGTERM');
      await untilRefused(api.port);

      // The idle kept-alive connection is still open: a request on it is refused with a 503,
      // and its mutation never runs.
      const lateAnswer = await post(
        api.url,
        token,
        { query: CREATE, variables: input(late, 0) },
        keepAlive,
      );
      expect(lateAnswer.error).toBeUndefined();
      expect(lateAnswer.status).toBe(503);
      expect(lateAnswer.headers?.connection).toBe('close');
      expect(lateAnswer.body).toEqual({
        errors: [
          {
            message: 'The server is shutting down; retry on another instance.',
            extensions: { code: 'INTERNAL_SERVER_ERROR' },
          },
        ],
      });
      // A new connection is refused outright.
      const refused = await post(api.url, token, { query: '{ viewer { id } }' });
      expect(refused.error).toBe('ECONNREFUSED');

      // The process waits for the mutations it had taken.
      await new Promise((r) => setTimeout(r, 300));
      expect(api.child.exitCode).toBeNull();
      await lock.client.query('COMMIT');
      lockReleased = true;

      const answers = await Promise.all(inFlight);
      for (const a of answers) {
        expect(a.error).toBeUndefined();
        expect(a.status).toBe(200);
        expect(a.body?.errors).toBeUndefined();
      }
      expect(await exited).toBe(0);
      const drainMs = Date.now() - signalledAt;
      expect(await wsClosed).toBe(1001);

      // Every dispute the database holds was answered to its client, and every answer is there.
      const acknowledged = answers.map((a) => a.body!.data!.createDispute!.id).sort();
      expect(await disputesOn([...held, late])).toEqual(acknowledged);
      expect(drainMs).toBeLessThan(10_000);
      expect(api.logs.join('')).not.toMatch(/"level":50/);
    } finally {
      if (!lockReleased) await lock.client.query('ROLLBACK').catch(() => undefined);
      lock.client.release();
      keepAlive.destroy();
      ws.terminate();
      await api.stop();
    }
  });

  it('when the grace runs out, the work still running is rolled back and its clients get an error, never silence', async () => {
    const N = 4;
    const api = await startApi({ SHUTDOWN_GRACE_MS: '500' });
    const token = w.as.buyerA.token!;
    const held = await Promise.all(
      Array.from({ length: N }, () =>
        insertCall({ buyerId: w.ids.accountA, campaignId: w.ids.campaign }),
      ),
    );
    const lock = await lockCalls(held);
    try {
      const inFlight = held.map((callId, i) =>
        post(api.url, token, { query: CREATE, variables: input(callId, i) }),
      );
      await waitFor(
        `${N} createDispute wait for the lock`,
        async () => (await waitingOn(lock.pid)) === N,
      );
      const exited = new Promise<number | null>((resolve) => api.child.once('exit', resolve));
      const signalledAt = Date.now();
      api.child.kill('SIGTERM');
      const answers = await Promise.all(inFlight);
      // The grace (0.5 s) decides, not the statement timeout (10 s).
      expect(Date.now() - signalledAt).toBeLessThan(5_000);
      expect(await exited).toBe(0);
      for (const a of answers) {
        expect(a.error).toBeUndefined();
        expect(a.body?.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      }
      // The lock is still held: the mutations were ended, not merely abandoned.
      expect(await waitingOn(lock.pid)).toBe(0);
    } finally {
      await lock.client.query('COMMIT');
      lock.client.release();
      await api.stop();
    }
    expect(await disputesOn(held)).toEqual([]);
  });
});
