import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Pool } from 'pg';
import { closeDb, db } from '../support/seed';
import { readTestEnv } from '../support/services';
import { waitFor } from '../support/webhooks';

/** Leases and periods are what these tests are about: some waits are the time itself. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The background-job facility (src/platform/jobs.ts) and the LISTEN connection
 * (src/platform/pg-listener.ts) through real PostgreSQL, in processes of their own
 * (test/support/jobs-runner.js) that the tests kill and stop. The processes share a database of
 * this file's own; their tasks write what they did to job_runs.
 */

const LEASE_MS = 1_500; // the long test tasks' lease (jobs-runner.js)

interface RunRow {
  job_id: string;
  kind: string;
  event: string;
  runner: string;
  attempt: number;
  due_at: Date;
}

interface Reply {
  jobId?: string;
  error?: string;
}

class Runner {
  readonly events: { event: string; payload?: string; at: number }[] = [];
  private readonly replies = new Map<number, (m: Reply) => void>();
  private nextId = 0;
  private readonly output: string[] = [];

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (d: Buffer) => this.output.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => this.output.push(d.toString()));
    child.on('message', (m: { id?: number; event?: string; payload?: string } & Reply) => {
      if (m.event) this.events.push({ event: m.event, payload: m.payload, at: Date.now() });
      if (m.id !== undefined) this.replies.get(m.id)?.(m);
    });
  }

  static async start(name: string, opts: Record<string, unknown> = {}): Promise<Runner> {
    const child = fork(
      path.join(__dirname, '..', 'support', 'jobs-runner.js'),
      [JSON.stringify({ databaseUrl: database.url, name, ...opts })],
      { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
    );
    const runner = new Runner(name, child);
    await new Promise<void>((resolve, reject) => {
      child.on('message', (m: { ready?: boolean }) => m.ready && resolve());
      child.on('exit', (code) =>
        reject(new Error(`runner ${name} exited with ${code}:\n${runner.output.join('')}`)),
      );
    });
    if (!opts.migrateOnly) running.push(runner);
    return runner;
  }

  get pid(): number {
    return this.child.pid!;
  }

  enqueue(kind: string, payload: unknown = {}, key?: string): Promise<string | null> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.replies.set(id, (m) =>
        m.error ? reject(new Error(m.error)) : resolve(m.jobId ?? null),
      );
      this.child.send({ id, enqueue: { kind, payload, key } });
    });
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.kill(signal);
    });
  }
}

const database = { name: `jobs_${Date.now()}`, url: '' };
let pool: Pool;
const running: Runner[] = [];

beforeAll(async () => {
  await db().query(`CREATE DATABASE ${database.name}`);
  const url = new URL(readTestEnv().databaseUrl);
  url.pathname = `/${database.name}`;
  database.url = url.toString();
  pool = new Pool({ connectionString: database.url, max: 4 });
  pool.on('error', () => undefined);
  await Runner.start('migrate', { migrateOnly: true });
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
  await pool.query(`TRUNCATE jobs, job_runs`);
});

afterAll(async () => {
  await pool?.end();
  await db().query(`DROP DATABASE IF EXISTS ${database.name} WITH (FORCE)`);
  await closeDb();
});

async function runs(kind: string): Promise<RunRow[]> {
  const { rows } = await pool.query<RunRow>(
    `SELECT job_id, kind, event, runner, attempt, due_at FROM job_runs WHERE kind = $1 ORDER BY at`,
    [kind],
  );
  return rows;
}

async function jobRows(kind: string) {
  const { rows } = await pool.query<{ state: string; attempts: number; last_error: string | null }>(
    `SELECT state, attempts, last_error FROM jobs WHERE kind = $1`,
    [kind],
  );
  return rows;
}

/** The backend of a process's LISTEN connection, by the name it shows in pg_stat_activity. */
async function listenerBackends(pid: number): Promise<number[]> {
  const { rows } = await pool.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE application_name = $1`,
    [`disputes-api-listener pid=${pid}`],
  );
  return rows.map((r) => r.pid);
}

describe('tasks', () => {
  it('runs each job once with two processes claiming; a key holds back a second job', async () => {
    const [a, b] = await Promise.all([Runner.start('A'), Runner.start('B')]);
    const jobs = 30;
    const ids = await Promise.all(
      Array.from({ length: jobs }, (_, i) =>
        (i % 2 ? a : b).enqueue('test.record', { sleepMs: 80 }),
      ),
    );
    expect(new Set(ids).size).toBe(jobs);

    await waitFor(`${jobs} runs`, async () => (await runs('test.record')).length >= jobs, 30_000);
    await sleep(500); // a second run would be written by now
    const done = await runs('test.record');
    expect(done).toHaveLength(jobs);
    expect(new Set(done.map((r) => r.job_id))).toEqual(new Set(ids));
    expect(done.every((r) => r.attempt === 1)).toBe(true);
    // Both processes took part (each runs two at a time: one alone would take twice as long).
    expect(new Set(done.map((r) => r.runner))).toEqual(new Set(['A', 'B']));
    expect(await jobRows('test.record')).toEqual([]);

    // While a job with a key is pending or running, the same key adds nothing.
    const first = await a.enqueue('test.long', {}, 'only-one');
    expect(first).toEqual(expect.any(String));
    expect(await b.enqueue('test.long', {}, 'only-one')).toBeNull();
  }, 60_000);
});

describe('leases', () => {
  it('keeps a task running past its lease while its process lives; after a kill -9 the job is taken over, or given up with no attempt left', async () => {
    const a = await Runner.start('A');
    const longJob = await a.enqueue('test.long', { finishOn: 'B' });
    const onceJob = await a.enqueue('test.long-once', { finishOn: 'B' });
    await waitFor('both started on A', async () => {
      const started = [...(await runs('test.long')), ...(await runs('test.long-once'))];
      return started.length === 2;
    });
    await Runner.start('B');

    // Two leases long: A renews them, so B takes neither.
    await sleep(2 * LEASE_MS + 500);
    expect((await runs('test.long')).map((r) => [r.runner, r.event])).toEqual([['A', 'started']]);
    expect((await runs('test.long-once')).map((r) => [r.runner, r.event])).toEqual([
      ['A', 'started'],
    ]);

    const killedAt = Date.now();
    await a.stop('SIGKILL');
    await waitFor(
      'the long job finished on B',
      async () => (await runs('test.long')).some((r) => r.event === 'finished'),
      15_000,
    );
    const longRuns = await runs('test.long');
    expect(longRuns.map((r) => [r.job_id, r.runner, r.event, r.attempt])).toEqual([
      [longJob, 'A', 'started', 1],
      [longJob, 'B', 'started', 2],
      [longJob, 'B', 'finished', 2],
    ]);
    await waitFor('the finished job gone', async () => (await jobRows('test.long')).length === 0);

    // One attempt allowed: B gives it up, and its feature records that in the same transaction.
    const gaveUp = await waitFor('the once-only job given up', async () => {
      const rows = await runs('test.long-once');
      return rows.find((r) => r.event.startsWith('gave up'));
    });
    expect(gaveUp).toMatchObject({ job_id: onceJob, runner: 'B', attempt: 2 });
    expect(gaveUp.event).toMatch(/lease expired/);
    expect(await jobRows('test.long-once')).toEqual([
      { state: 'failed', attempts: 2, last_error: expect.stringMatching(/lease expired/) },
    ]);
    // Taken over within the lease and a poll of the process that found it.
    expect(Date.now() - killedAt).toBeLessThan(LEASE_MS + 6_000);
  }, 60_000);

  it('hands a running job back when its process stops, for another to run at once, the attempt uncounted', async () => {
    const a = await Runner.start('A');
    const job = await a.enqueue('test.long', { finishOn: 'B' });
    await waitFor('started on A', async () => (await runs('test.long')).length === 1);
    await Runner.start('B');
    await a.stop('SIGTERM');
    await waitFor(
      'finished on B',
      async () => (await runs('test.long')).some((r) => r.event === 'finished'),
      10_000,
    );
    expect((await runs('test.long')).map((r) => [r.job_id, r.runner, r.event, r.attempt])).toEqual([
      [job, 'A', 'started', 1],
      // Attempt 1 again: released, not taken over after its lease expired.
      [job, 'B', 'started', 1],
      [job, 'B', 'finished', 1],
    ]);
  }, 30_000);
});

describe('periodic tasks', () => {
  it('run once per period across two instances, one run per slot', async () => {
    const periodMs = 1_000;
    await Promise.all([
      Runner.start('A', { periodicMs: periodMs }),
      Runner.start('B', { periodicMs: periodMs }),
    ]);
    await sleep(5_500);
    const ticks = await runs('test.tick');
    const slots = ticks.map((t) => t.due_at.getTime());
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    expect(new Set(slots).size).toBe(ticks.length);
    for (const slot of slots) expect(slot % periodMs).toBe(0);
    // One row for the task, waiting for its next slot or running it.
    const { rows } = await pool.query(`SELECT key, every_ms FROM jobs WHERE kind = 'test.tick'`);
    expect(rows).toEqual([{ key: 'every:test.tick', every_ms: periodMs }]);
  }, 30_000);
});

describe('the LISTEN connection', () => {
  it('is one per API process', async () => {
    const { apiPid } = readTestEnv();
    const { rows } = await db().query<{ application_name: string }>(
      `SELECT application_name FROM pg_stat_activity WHERE application_name LIKE $1`,
      [`% pid=${apiPid}`],
    );
    expect(rows.map((r) => r.application_name)).toEqual([`disputes-api-listener pid=${apiPid}`]);
  });

  it('reconnects after pg_terminate_backend; its listeners resync, and notifications and jobs arrive again', async () => {
    const a = await Runner.start('A');
    await pool.query(`SELECT pg_notify('jobs_test', 'before')`);
    await waitFor('the first notification', () =>
      a.events.some((e) => e.event === 'notification' && e.payload === 'before'),
    );
    const [before] = await listenerBackends(a.pid);
    expect(before).toEqual(expect.any(Number));

    await pool.query(`SELECT pg_terminate_backend($1)`, [before]);
    await waitFor('a resync', () => a.events.some((e) => e.event === 'resync'), 10_000);
    const after = await listenerBackends(a.pid);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before);

    await pool.query(`SELECT pg_notify('jobs_test', 'after')`);
    await waitFor('the notification after the reconnect', () =>
      a.events.some((e) => e.event === 'notification' && e.payload === 'after'),
    );
    // The jobs channel is listened on again: a NOTIFY wakes the claim well before the 5 s poll.
    const started = Date.now();
    await pool.query(
      `INSERT INTO jobs (kind, payload) VALUES ('test.record', '{}'); NOTIFY jobs, 'test.record'`,
    );
    await waitFor('the job run', async () => (await runs('test.record')).length === 1, 5_000);
    expect(Date.now() - started).toBeLessThan(2_500);
  }, 30_000);
});
