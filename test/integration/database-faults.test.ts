import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { signToken } from '../../src/auth/tokens';
import { startApiProcess, TEST_JWT_SECRET, type ApiProcess, storeEnv } from '../support/services';

/**
 * Faults of the database under a running API. The API runs in embedded mode on a DATA_DIR of
 * its own, so its PostgreSQL can be stalled, killed and orphaned without touching the shared
 * one. Timeouts are short here so the outage is quick to sit through.
 */

const STATEMENT_TIMEOUT_MS = 1_500;
const ACQUIRE_TIMEOUT_MS = 1_000;
/** ormconfig's CLIENT_TIMEOUT_MARGIN_MS: the client-side bound is the statement timeout plus this. */
const CLIENT_MARGIN_MS = 1_000;
/** The longest a request may take while PostgreSQL stalls: waiting for a connection, then one statement, plus slack for a busy machine. */
const OUTAGE_BOUND_MS = ACQUIRE_TIMEOUT_MS + STATEMENT_TIMEOUT_MS + CLIENT_MARGIN_MS + 1_500;

let dataDir: string;
let api: ApiProcess;
let token: string;
const userId = randomUUID();

function startApi(): Promise<ApiProcess> {
  return startApiProcess({
    DATA_DIR: dataDir,
    ...storeEnv(),
    DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
    DB_POOL_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_TIMEOUT_MS),
    DB_POOL_SIZE: '4',
  });
}

const pidFile = () => path.join(dataDir, 'postgres', 'postmaster.pid');

/** The postmaster's pid and port, from the file PostgreSQL keeps in its data folder. */
function postmaster(): { pid: number; port: number } {
  const lines = fs.readFileSync(pidFile(), 'utf8').split('\n');
  return { pid: Number(lines[0]), port: Number(lines[3]) };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** The postmaster and every backend it forked. */
function postgresProcesses(pid: number): number[] {
  const children = fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [pid, ...children];
}

async function sql(text: string, params: unknown[] = []): Promise<void> {
  const client = new PgClient({
    host: '127.0.0.1',
    port: postmaster().port,
    user: 'postgres',
    password: 'postgres',
    database: 'disputes',
  });
  await client.connect();
  try {
    await client.query(text, params);
  } finally {
    await client.end();
  }
}

interface Outcome {
  startedAt: number;
  ms: number;
  ok: boolean;
  code?: string;
  /** A network failure: no complete response. */
  failure?: string;
}

const base = () => api.url.replace(/\/graphql$/, '');

async function request(): Promise<Outcome> {
  const startedAt = Date.now();
  try {
    const res = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ viewer { id } calls(first: 3) { nodes { id } } }' }),
    });
    const body = (await res.json()) as {
      data?: { viewer?: { id: string } };
      errors?: { extensions?: { code?: string } }[];
    };
    return {
      startedAt,
      ms: Date.now() - startedAt,
      ok: res.status === 200 && !body.errors && body.data?.viewer?.id === userId,
      code: body.errors?.[0]?.extensions?.code,
    };
  } catch (err) {
    return { startedAt, ms: Date.now() - startedAt, ok: false, failure: String(err) };
  }
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const healthz = async () => (await fetch(`${base()}/healthz`)).status;

beforeAll(async () => {
  // Under the OS temp folder, open to all, so that PostgreSQL's own user can reach it as root.
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'disputes-faults-'));
  fs.chmodSync(dataDir, 0o755);
  api = await startApi();
  const accountId = randomUUID();
  await sql(
    `INSERT INTO accounts (id, name, dispute_window_hours, currency) VALUES ($1, 'Faults', 72, 'USD')`,
    [accountId],
  );
  await sql(
    `INSERT INTO users (id, name, email, role, account_id, permissions)
     VALUES ($1, 'Fay Faults', $2, 'BUYER', $3, '{DISPUTE_CALLS}')`,
    [userId, `${userId}@test.example`, accountId],
  );
  token = await signToken(TEST_JWT_SECRET, userId);
});

afterAll(async () => {
  await api?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('database faults', () => {
  it('while PostgreSQL is stalled, requests fail with a contract code within the timeouts, and recover by themselves', async () => {
    const outcomes: Outcome[] = [];
    let running = true;
    const clients = Array.from({ length: 8 }, async () => {
      while (running) outcomes.push(await request());
    });
    await until('the load is served', () => outcomes.filter((o) => o.ok).length >= 20);

    const stopped = postgresProcesses(postmaster().pid);
    const stalledAt = Date.now();
    for (const pid of stopped) process.kill(pid, 'SIGSTOP');
    let resumedAt = 0;
    try {
      // Longer than the bound, so a request that merely waited for the end would fail the test.
      await new Promise((r) => setTimeout(r, OUTAGE_BOUND_MS + 1_000));
    } finally {
      for (const pid of stopped) process.kill(pid, 'SIGCONT');
      resumedAt = Date.now();
    }
    await until('requests succeed again', () =>
      outcomes.some((o) => o.startedAt > resumedAt + 1_000 && o.ok),
    );
    await new Promise((r) => setTimeout(r, 1_000));
    running = false;
    await Promise.all(clients);

    // Every request that was running at some point of the stall, including those it caught midway.
    const during = outcomes.filter(
      (o) => o.startedAt < resumedAt && o.startedAt + o.ms > stalledAt,
    );
    const failed = during.filter((o) => !o.ok);
    // The outage was felt, and every request of it ended with an answer in the contract's terms.
    expect(failed.length).toBeGreaterThan(0);
    expect(during.filter((o) => o.failure)).toEqual([]);
    for (const o of failed) expect(o.code).toBe('INTERNAL_SERVER_ERROR');
    const slowest = Math.max(...during.map((o) => o.ms));
    expect(slowest).toBeLessThan(OUTAGE_BOUND_MS);
    // Once PostgreSQL answers again, so does the API, without help: the last second is clean.
    const lastSecond = outcomes.filter((o) => o.startedAt > Date.now() - 1_500);
    expect(lastSecond.length).toBeGreaterThan(0);
    expect(lastSecond.filter((o) => !o.ok)).toEqual([]);
    const firstOkAfter = Math.min(
      ...outcomes.filter((o) => o.ok && o.startedAt >= resumedAt).map((o) => o.startedAt),
    );
    process.stdout.write(
      `stalled PostgreSQL: ${during.length} requests, ${failed.length} failed, slowest ${slowest} ms; ` +
        `first success ${firstOkAfter - resumedAt} ms after resume\n`,
    );
  });

  it('a dead embedded PostgreSQL is restarted, and /healthz answers 503 until it is back', async () => {
    const before = postmaster().pid;
    expect(await healthz()).toBe(200);
    process.kill(before, 'SIGKILL');
    await until('/healthz says the database is down', async () => (await healthz()) === 503, 5_000);
    const down = await fetch(`${base()}/healthz`);
    expect(await down.json()).toEqual({ status: 'unavailable', database: 'down' });
    await until('/healthz is 200 again', async () => (await healthz()) === 200);
    await until('queries succeed again', async () => (await request()).ok);
    expect(postmaster().pid).not.toBe(before);
    expect(api.logs.join('')).toMatch(/embedded PostgreSQL restarted/);
  });

  it('after the API is killed, the next start on the same DATA_DIR stops the orphaned PostgreSQL and starts', async () => {
    const orphan = postmaster().pid;
    const killed = new Promise((resolve) => api.child.once('exit', resolve));
    api.child.kill('SIGKILL');
    await killed;
    expect(alive(orphan)).toBe(true);

    api = await startApi();
    expect(alive(orphan)).toBe(false);
    expect(api.logs.join('')).toMatch(
      new RegExp(`A PostgreSQL from an earlier run \\(pid ${orphan}\\) is still running`),
    );
    expect((await request()).ok).toBe(true);
  });

  it('a stale postmaster.pid naming another live process is removed, and the start proceeds', async () => {
    expect(await api.stop()).toBe(0);
    expect(fs.existsSync(pidFile())).toBe(false);
    // What a killed run leaves when its pid is later reused: here, a live process that is not PostgreSQL.
    const sleeper = spawnSync('sh', ['-c', 'sleep 60 >/dev/null 2>&1 & echo $!'], {
      encoding: 'utf8',
    });
    const reused = Number(sleeper.stdout.trim());
    try {
      fs.writeFileSync(pidFile(), `${reused}\n${path.join(dataDir, 'postgres')}\n0\n5432\n`);
      api = await startApi();
      expect(api.logs.join('')).toMatch(/Removed a stale .*postmaster\.pid/);
      expect((await request()).ok).toBe(true);
    } finally {
      process.kill(reused, 'SIGKILL');
    }
  });
});
