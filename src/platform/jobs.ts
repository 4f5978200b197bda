import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import type { PgListener } from './pg-listener';
import { jobRunsTotal } from './metrics';

/*
 * The one background-job facility: every piece of work that must survive a restart and run once
 * across instances (webhook deliveries, the evidence sweep, exports and their retention sweeps)
 * is a task registered here by its feature, from the feature's folder (`<feature>-tasks.ts`),
 * wired by the composition root.
 *
 * Why this and not graphile-worker or pg-boss (weighed when the second and third kinds of job
 * arrived; versions read: graphile-worker 0.17.3 and 0.18.0, pg-boss 10.4.2 and 12.38.1):
 *
 * - A long task whose process dies must be taken over or failed within a minute (an export never
 *   stays RUNNING). graphile-worker leaves a killed worker's jobs locked for 4 hours (the interval
 *   is written into its SQL; heartbeats and crash recovery are in the paid Worker Pro). pg-boss 10
 *   only expires a job after `expireInSeconds`, so a long export must either be given more than
 *   its longest run (and then stays active that long after a crash) or be cut off; pg-boss 12 has
 *   heartbeats.
 * - One LISTEN connection per process. graphile-worker takes a client from its pool for
 *   `LISTEN "jobs:insert"` and reconnects it on its own policy (50·eⁿ ms up to 60 s); there is no
 *   way to hand it ours. pg-boss 10 does not listen at all (it polls, 0.5 s at best). pg-boss 12
 *   could share this connection through a custom `db.listen` adapter: the one point in its favour.
 * - Webhook deliveries are the record the API serves (status, attempts, last response, next
 *   attempt) and are redelivered with the same event ID and body; either library would keep a
 *   second copy of each as its own job, with its own attempts and its own retry schedule
 *   (graphile-worker: exp(min(attempts, 10)) s; pg-boss: retryDelay with jitter), not
 *   WEBHOOK_RETRY_BASE_SECONDS × 2^(n−1). Per-endpoint fairness (each endpoint's first before
 *   anyone's second, at most half the slots for one endpoint) is not graphile-worker's named
 *   queues (one job at a time per queue); pg-boss 12's group concurrency comes closest.
 * - Schema and migrations: graphile-worker installs its own schema (its migrations table, four
 *   private tables, views and functions) through 20 migrations it applies when a worker starts,
 *   and stops every worker (exit code 57) when another applies a breaking one; pg-boss 12
 *   installs a schema of 11 tables with partitions, at its own schema version 46. Both sit
 *   outside ormconfig's explicit list, which is what the tests and deploys run.
 * - Runtime: the maintained lines need Node 22 (graphile-worker 0.18: ≥ 22.18; pg-boss 11 and 12:
 *   ≥ 22, and 12 is an ES module only); this API supports Node 20.19 and CI tests it.
 *
 * So the webhook worker, which already had the core (a `FOR UPDATE SKIP LOCKED` claim under a
 * lease, woken by NOTIFY, with a poll as the safety net), became this facility:
 *
 * - `queue`: work kept in a feature's own table, claimed by the feature's statement (the webhook
 *   outbox). The facility runs the slots, the per-group caps, the wake-ups and the stop.
 * - `task`: a job row in `jobs`, enqueued with `enqueueJob` in the caller's transaction (so it
 *   exists exactly when the change that asks for it commits), claimed once across instances
 *   under a lease that this process renews while the task runs; a lease that is not renewed
 *   (the process died) expires and the next claim takes the job over, or gives it up when no
 *   attempt is left (`onGiveUp`, in the transaction that marks it failed). Failures are retried
 *   with backoff.
 * - `periodic`: a job row per task that, once done, is due again at the next multiple of its
 *   period, so instances agree on the slots and each slot runs once.
 *
 * Delivery is at least once: a process paused past its lease (or cut off from the database)
 * can find its job taken over, and learns it at the next renewal (the task's signal aborts).
 * Tasks are written to be run again.
 */

/** The channel that says a job row is due; its payload is the task's kind. */
export const JOBS_CHANNEL = 'jobs';

/** The safety net beside NOTIFY: a missed notification waits this long. */
const POLL_MS = 5_000;
const DEFAULT_LEASE_MS = 30_000;
const DEFAULT_MAX_ATTEMPTS = 5;
const DEFAULT_STOP_GRACE_MS = 5_000;
const MAX_RETRY_DELAY_MS = 3_600_000;
const ERROR_TEXT_MAX = 500;
const KIND = /^[a-z][a-z0-9_.-]{0,99}$/;

/** A task's name and the type of its payload: the feature exports it, enqueues and registers it. */
export interface TaskKind<P> {
  readonly name: string;
  /** Carries P only; never set. */
  readonly payloadType?: P;
}

export function taskKind<P>(name: string): TaskKind<P> {
  if (!KIND.test(name)) throw new Error(`Not a task name: ${name}`);
  return { name };
}

export interface TaskContext {
  jobId: string;
  /** 1 on the first attempt; a takeover after a lease expired counts as the next. */
  attempt: number;
  /** When it was due: for a periodic task, the slot this run is for. */
  dueAt: Date;
  /**
   * Aborted when the process stops (after the stop's grace), when the task outlives its
   * `timeoutMs`, or when its lease turns out to be lost. The task should end soon after; a task
   * that ends because the process stops is handed back to be run again, its attempt uncounted.
   */
  signal: AbortSignal;
  log: Logger;
}

export interface GiveUpContext {
  jobId: string;
  /** The transaction that marks the job failed: the feature records the failure in it. */
  em: EntityManager;
  /** Why: the last attempt's error, or the lease that expired with no attempt left. */
  reason: string;
  attempts: number;
}

export interface TaskDefinition<P> {
  run(payload: P, ctx: TaskContext): Promise<void>;
  /** Attempts in all, takeovers included; then the job is given up. Default 5. */
  maxAttempts?: number;
  /** The wait after failed attempt n (1-based). Default 2^(n−1) s, at most an hour. */
  retryDelayMs?(attempt: number): number;
  /**
   * How long a claim holds without renewal. This process renews it every third of it while the
   * task runs, so it bounds how long a job waits after its process dies. Default 30 s.
   */
  leaseMs?: number;
  /** At most this many run at once in this process. Default 1. */
  concurrency?: number;
  /** Aborts the task's signal after this long. */
  timeoutMs?: number;
  /**
   * Called when the job is given up, in the transaction that marks it failed. It may run again
   * for the same job (a process that dies before that transaction commits leaves the job to
   * the next claim), so it only moves what is still in progress.
   */
  onGiveUp?(payload: P, ctx: GiveUpContext): Promise<void>;
}

export interface PeriodicDefinition {
  /** The period; runs are due at multiples of it (from the epoch), one per slot. At most 24 days. */
  everyMs: number;
  run(ctx: TaskContext): Promise<void>;
  /** As for a task. Default 30 s. */
  leaseMs?: number;
  timeoutMs?: number;
  /** Runs of one slot (takeovers included) before the slot is skipped. Default 3. */
  maxAttempts?: number;
}

/**
 * Work kept in a feature's own table, which stays its record (the webhook outbox). The feature
 * claims (once across instances, under a lease of its own) and runs each item; the facility
 * keeps at most `concurrency` running in this process and wakes the claim on a NOTIFY on
 * `channel`, after a reconnect of the LISTEN connection, when a slot frees, when the next item
 * comes due, and every 5 s.
 */
export interface QueueDefinition<T> {
  channel: string;
  concurrency: number;
  /** Free slots are refilled in batches of this many. Default a quarter of `concurrency`. */
  claimBatch?: number;
  /** The fairness group of an item (the webhook endpoint). */
  groupOf(item: T): string;
  /** At most this many items of `group` at once in this process. */
  groupCap(group: string): number;
  /** Claims at most `limit` due items, given how many of each group run here now. */
  claim(limit: number, busy: ReadonlyMap<string, number>): Promise<T[]>;
  /**
   * Runs one item and records its outcome. May return the milliseconds until the item is due
   * again (a retry), to be looked for then rather than at the next poll.
   */
  run(item: T, signal: AbortSignal): Promise<number | void>;
  /** Milliseconds until the next item is due (≤ 0: now), ignoring `full` groups; null if none. */
  nextDueMs(full: readonly string[]): Promise<number | null>;
  /** Called once the queue has stopped and its items ended. */
  close?(): Promise<void>;
}

/**
 * Adds a job of `kind` on `em` (the caller's transaction, or the pool) and wakes the instances
 * when it commits. With `key`, nothing is added while a job with that key is pending or
 * running. Returns the job's ID, or null when the key held it back.
 */
export async function enqueueJob<P>(
  em: EntityManager | DataSource,
  kind: TaskKind<P>,
  payload: P,
  opts: { runAt?: Date; key?: string } = {},
): Promise<string | null> {
  const rows = (await em.query(
    `WITH added AS (
       INSERT INTO jobs (kind, key, payload, run_at)
       VALUES ($1, $2, $3::jsonb, coalesce($4::timestamptz, now()))
       ON CONFLICT (key) WHERE key IS NOT NULL AND state <> 'failed' DO NOTHING
       RETURNING id)
     SELECT id, pg_notify('${JOBS_CHANNEL}', $1) FROM added`,
    [kind.name, opts.key ?? null, JSON.stringify(payload ?? {}), opts.runAt ?? null],
  )) as { id: string }[];
  return rows[0]?.id ?? null;
}

/** TypeORM answers UPDATE and DELETE with [rows, count], everything else with rows. */
function rowsOf<R>(result: unknown): R[] {
  if (Array.isArray(result) && result.length === 2 && typeof result[1] === 'number') {
    return result[0] as R[];
  }
  return result as R[];
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.slice(0, ERROR_TEXT_MAX);
}

// ---------------------------------------------------------------- the runner of one queue

/** Claims and runs the items of one queue: slots, group caps, wake-ups, stop. */
class Lane<T> {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly busy = new Map<string, number>();
  private readonly stopping = new AbortController();
  private readonly claimBatch: number;
  private stopped = true;
  private claiming: Promise<void> | null = null;
  private claimAgain = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private dueTimer: NodeJS.Timeout | undefined;
  private readonly retryTimers = new Set<NodeJS.Timeout>();

  constructor(
    readonly name: string,
    private readonly def: QueueDefinition<T>,
    private readonly log: Logger,
  ) {
    this.claimBatch = Math.max(1, def.claimBatch ?? Math.floor(def.concurrency / 4));
  }

  start(): void {
    this.stopped = false;
    this.pollTimer = setInterval(() => this.wake(), POLL_MS);
    this.pollTimer.unref();
    this.wake();
  }

  /**
   * Stops claiming, waits `graceMs` for the items running, then aborts their signal and waits
   * for them to end.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.dueTimer);
    for (const t of this.retryTimers) clearTimeout(t);
    await this.claiming;
    if (this.inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([Promise.allSettled([...this.inFlight]), graceOver]);
    clearTimeout(timer);
    this.stopping.abort(new Error('the process is stopping'));
    await Promise.allSettled([...this.inFlight]);
  }

  /** Stops, then lets the queue release what it holds. */
  async close(graceMs: number): Promise<void> {
    await this.stop(graceMs);
    await this.def.close?.();
  }

  /** Looks for due items now. */
  wake(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.claimAgain = true;
      return;
    }
    this.claiming = this.claimWhileFree()
      .catch((err: unknown) => this.log.warn({ err, queue: this.name }, 'claim failed'))
      .finally(() => {
        this.claiming = null;
        if (this.claimAgain) {
          this.claimAgain = false;
          this.wake();
        }
      });
  }

  private async claimWhileFree(): Promise<void> {
    while (!this.stopped) {
      const free = this.def.concurrency - this.inFlight.size;
      // Slots are refilled in batches: one claim statement per freed slot would cost more
      // database time than the work itself under a backlog.
      if (free <= 0 || (free < this.claimBatch && this.inFlight.size > 0)) return;
      const claimed = await this.def.claim(free, this.busy);
      for (const item of claimed) this.run(item);
      if (claimed.length < free) {
        await this.wakeWhenDue();
        return;
      }
    }
  }

  /** Sets a timer for the next item coming due that this process could take. */
  private async wakeWhenDue(): Promise<void> {
    const full = [...this.busy].filter(([g, n]) => n >= this.def.groupCap(g)).map(([g]) => g);
    const ms = await this.def.nextDueMs(full);
    clearTimeout(this.dueTimer);
    if (ms === null || this.stopped) return;
    this.dueTimer = setTimeout(() => this.wake(), Math.min(POLL_MS, Math.max(0, ms) + 5));
    this.dueTimer.unref();
  }

  private run(item: T): void {
    const group = this.def.groupOf(item);
    this.busy.set(group, (this.busy.get(group) ?? 0) + 1);
    const done: Promise<void> = this.def
      .run(item, this.stopping.signal)
      .then(
        (againInMs) => {
          if (typeof againInMs === 'number' && againInMs < POLL_MS) this.wakeIn(againInMs + 5);
        },
        (err: unknown) => this.log.error({ err, queue: this.name }, 'queue item not recorded'),
      )
      .finally(() => {
        this.inFlight.delete(done);
        const left = (this.busy.get(group) ?? 1) - 1;
        if (left > 0) this.busy.set(group, left);
        else this.busy.delete(group);
        this.wake();
      });
    this.inFlight.add(done);
  }

  private wakeIn(ms: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.wake();
    }, ms);
    timer.unref();
    this.retryTimers.add(timer);
  }
}

// ---------------------------------------------------------------- job rows

interface StoredTask {
  kind: string;
  periodic: boolean;
  everyMs: number | null;
  maxAttempts: number;
  leaseMs: number;
  concurrency: number;
  timeoutMs: number | undefined;
  retryDelayMs(attempt: number): number;
  run(payload: unknown, ctx: TaskContext): Promise<void>;
  onGiveUp?(payload: unknown, ctx: GiveUpContext): Promise<void>;
}

interface ClaimedJob {
  id: string;
  kind: string;
  payload: unknown;
  attempts: number;
  lease_id: string;
  due_at: Date;
  /** The claim took over a lease that had expired. */
  taken_over: boolean;
}

interface RunningJob {
  id: string;
  leaseMs: number;
  lost: AbortController;
}

/** The `jobs` table as a queue: one group per kind, capped at the kind's concurrency. */
class JobRows implements QueueDefinition<ClaimedJob> {
  readonly channel = JOBS_CHANNEL;
  readonly concurrency: number;
  /** By lease ID: the jobs this process runs, whose leases it renews. */
  private readonly running = new Map<string, RunningJob>();
  private renewTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly tasks: ReadonlyMap<string, StoredTask>,
    private readonly ds: DataSource,
    private readonly log: Logger,
  ) {
    this.concurrency = [...tasks.values()].reduce((n, t) => n + t.concurrency, 0);
  }

  groupOf(job: ClaimedJob): string {
    return job.kind;
  }

  groupCap(kind: string): number {
    return this.tasks.get(kind)?.concurrency ?? 0;
  }

  /** Adds each periodic task's row, due at its next slot, or updates its period. */
  async schedule(): Promise<void> {
    for (const t of this.tasks.values()) {
      if (!t.periodic) continue;
      await this.ds.query(
        `INSERT INTO jobs (kind, key, every_ms, run_at)
         VALUES ($1, 'every:' || $1, $2::int, ${nextSlot('$2::int')})
         ON CONFLICT (key) WHERE key IS NOT NULL AND state <> 'failed'
         DO UPDATE SET every_ms = excluded.every_ms, run_at = least(jobs.run_at, excluded.run_at)
          WHERE jobs.state = 'pending' AND jobs.every_ms IS DISTINCT FROM excluded.every_ms`,
        [t.kind, t.everyMs],
      );
    }
  }

  startRenewing(): void {
    const shortest = Math.min(...[...this.tasks.values()].map((t) => t.leaseMs));
    this.renewTimer = setInterval(() => void this.renew(), Math.max(200, shortest / 3));
    this.renewTimer.unref();
  }

  stopRenewing(): void {
    clearInterval(this.renewTimer);
  }

  /**
   * Per kind its due jobs (pending and due, or running under an expired lease), at most the
   * kind's free slots, each kind's first before any kind's second; locked with SKIP LOCKED and
   * leased, so instances never run one job twice at once. The re-checked state and times keep
   * a job another instance has just claimed out of this claim.
   */
  async claim(limit: number, busy: ReadonlyMap<string, number>): Promise<ClaimedJob[]> {
    const kinds: string[] = [];
    const free: number[] = [];
    const leases: number[] = [];
    for (const t of this.tasks.values()) {
      const n = t.concurrency - (busy.get(t.kind) ?? 0);
      if (n <= 0) continue;
      kinds.push(t.kind);
      free.push(n);
      leases.push(t.leaseMs);
    }
    if (!kinds.length) return [];
    const rows = rowsOf<ClaimedJob>(
      await this.ds.query(
        `WITH wanted AS (
           SELECT * FROM unnest($1::text[], $2::int[], $3::int[]) AS w(kind, n, lease_ms)),
         candidates AS (
           SELECT c.id, c.at, w.lease_ms,
                  row_number() OVER (PARTITION BY w.kind ORDER BY c.at, c.id) AS rn
             FROM wanted w
            CROSS JOIN LATERAL (
                  (SELECT j.id, j.locked_until AS at FROM jobs j
                    WHERE j.kind = w.kind AND j.state = 'running' AND j.locked_until <= now()
                    ORDER BY j.locked_until, j.id LIMIT w.n)
                  UNION ALL
                  (SELECT j.id, j.run_at AS at FROM jobs j
                    WHERE j.kind = w.kind AND j.state = 'pending' AND j.run_at <= now()
                    ORDER BY j.run_at, j.id LIMIT w.n)
                  ORDER BY at, id LIMIT w.n) c),
         picked AS (
           SELECT j.id, c.lease_ms, j.state = 'running' AS taken_over
             FROM jobs j
             JOIN candidates c ON c.id = j.id
            WHERE (j.state = 'pending' AND j.run_at <= now())
               OR (j.state = 'running' AND j.locked_until <= now())
            ORDER BY c.rn, c.at
            LIMIT $4
              FOR UPDATE OF j SKIP LOCKED)
         UPDATE jobs j
            SET state = 'running', attempts = j.attempts + 1, lease_id = gen_random_uuid(),
                locked_until = now() + picked.lease_ms * interval '1 millisecond',
                updated_at = now()
           FROM picked
          WHERE j.id = picked.id
        RETURNING j.id, j.kind, j.payload, j.attempts, j.lease_id, j.run_at AS due_at,
                  picked.taken_over`,
        [kinds, free, leases, limit],
      ),
    );
    return rows;
  }

  async nextDueMs(full: readonly string[]): Promise<number | null> {
    const kinds = [...this.tasks.keys()].filter((k) => !full.includes(k));
    if (!kinds.length) return null;
    const [row] = (await this.ds.query(
      `SELECT EXTRACT(EPOCH FROM least(
                (SELECT min(run_at) FROM jobs WHERE state = 'pending' AND kind = ANY ($1)),
                (SELECT min(locked_until) FROM jobs WHERE state = 'running' AND kind = ANY ($1))
              ) - now()) * 1000 AS ms`,
      [kinds],
    )) as { ms: string | number | null }[];
    return row?.ms === null || row?.ms === undefined ? null : Number(row.ms);
  }

  async run(job: ClaimedJob, stopping: AbortSignal): Promise<number | void> {
    const task = this.tasks.get(job.kind)!;
    const log = this.log.child({ task: job.kind, jobId: job.id });
    if (job.attempts > task.maxAttempts) {
      // Taken over after its lease expired, with no attempt left.
      const reason = 'its lease expired with no attempt left (the process running it stopped)';
      return task.periodic ? this.skipSlot(task, job, reason, log) : this.giveUp(task, job, reason);
    }
    if (job.taken_over) log.warn({ attempt: job.attempts }, 'took over a job whose lease expired');

    const lost = new AbortController();
    const signals = [stopping, lost.signal];
    if (task.timeoutMs !== undefined) signals.push(AbortSignal.timeout(task.timeoutMs));
    const signal = AbortSignal.any(signals);
    this.running.set(job.lease_id, { id: job.id, leaseMs: task.leaseMs, lost });
    let failure: unknown = null;
    try {
      await task.run(job.payload, {
        jobId: job.id,
        attempt: job.attempts,
        dueAt: new Date(job.due_at),
        signal,
        log,
      });
    } catch (err) {
      failure = err ?? new Error('the task failed without a reason');
    } finally {
      this.running.delete(job.lease_id);
    }

    if (lost.signal.aborted) {
      // Another instance holds it now; what this run did is not recorded.
      jobRunsTotal.inc({ kind: job.kind, outcome: 'lost' });
      return;
    }
    if (failure === null) return this.succeeded(task, job);
    if (stopping.aborted) return this.release(job);
    log.warn({ err: failure, attempt: job.attempts }, 'task failed');
    if (task.periodic) return this.skipSlot(task, job, errorText(failure), log);
    if (job.attempts >= task.maxAttempts) return this.giveUp(task, job, errorText(failure));
    const delayMs = Math.min(MAX_RETRY_DELAY_MS, Math.max(0, task.retryDelayMs(job.attempts)));
    await this.ds.query(
      `UPDATE jobs
          SET state = 'pending', lease_id = NULL, locked_until = NULL, last_error = $3,
              run_at = now() + $4 * interval '1 millisecond', updated_at = now()
        WHERE id = $1 AND lease_id = $2`,
      [job.id, job.lease_id, errorText(failure), delayMs],
    );
    jobRunsTotal.inc({ kind: job.kind, outcome: 'retried' });
    return delayMs;
  }

  /** A one-off job is deleted; a periodic one is due again at its next slot. */
  private async succeeded(task: StoredTask, job: ClaimedJob): Promise<number | void> {
    if (task.periodic) {
      await this.ds.query(
        `UPDATE jobs
            SET state = 'pending', attempts = 0, lease_id = NULL, locked_until = NULL,
                last_error = NULL, run_at = ${nextSlot('every_ms')}, updated_at = now()
          WHERE id = $1 AND lease_id = $2`,
        [job.id, job.lease_id],
      );
    } else {
      await this.ds.query(`DELETE FROM jobs WHERE id = $1 AND lease_id = $2`, [
        job.id,
        job.lease_id,
      ]);
    }
    jobRunsTotal.inc({ kind: job.kind, outcome: 'succeeded' });
  }

  /** A periodic task's failed slot: recorded, and the task is due again at its next slot. */
  private async skipSlot(
    task: StoredTask,
    job: ClaimedJob,
    reason: string,
    log: Logger,
  ): Promise<void> {
    await this.ds.query(
      `UPDATE jobs
          SET state = 'pending', attempts = 0, lease_id = NULL, locked_until = NULL,
              last_error = $3, run_at = ${nextSlot('every_ms')}, updated_at = now()
        WHERE id = $1 AND lease_id = $2`,
      [job.id, job.lease_id, reason],
    );
    log.error({ attempts: job.attempts }, 'periodic task skipped a slot');
    jobRunsTotal.inc({ kind: task.kind, outcome: 'failed' });
  }

  /** Marks the job failed and lets its feature record the failure, in one transaction. */
  private async giveUp(task: StoredTask, job: ClaimedJob, reason: string): Promise<void> {
    await this.ds.transaction(async (em) => {
      const [rows] = (await em.query(
        `UPDATE jobs
            SET state = 'failed', lease_id = NULL, locked_until = NULL, last_error = $3,
                updated_at = now()
          WHERE id = $1 AND lease_id = $2
        RETURNING id`,
        [job.id, job.lease_id, reason],
      )) as [unknown[], number];
      if (!rows.length) return;
      await task.onGiveUp?.(job.payload, { jobId: job.id, em, reason, attempts: job.attempts });
    });
    this.log.error({ task: job.kind, jobId: job.id, attempts: job.attempts }, 'job given up');
    jobRunsTotal.inc({ kind: job.kind, outcome: 'failed' });
  }

  /** Ended by this process stopping: handed back, due at once, the attempt uncounted. */
  private async release(job: ClaimedJob): Promise<void> {
    await this.ds.query(
      `UPDATE jobs
          SET state = 'pending', attempts = attempts - 1, lease_id = NULL, locked_until = NULL,
              updated_at = now()
        WHERE id = $1 AND lease_id = $2`,
      [job.id, job.lease_id],
    );
    await this.ds.query(`SELECT pg_notify('${JOBS_CHANNEL}', $1)`, [job.kind]);
    jobRunsTotal.inc({ kind: job.kind, outcome: 'released' });
  }

  /** Renews the leases of the jobs running here; a job whose lease is gone is told so. */
  private async renew(): Promise<void> {
    const held = [...this.running.entries()];
    if (!held.length) return;
    try {
      const rows = rowsOf<{ lease_id: string }>(
        await this.ds.query(
          `UPDATE jobs j
              SET locked_until = now() + h.lease_ms * interval '1 millisecond'
             FROM unnest($1::uuid[], $2::uuid[], $3::int[]) AS h(id, lease_id, lease_ms)
            WHERE j.id = h.id AND j.lease_id = h.lease_id AND j.state = 'running'
           RETURNING j.lease_id`,
          [held.map(([, r]) => r.id), held.map(([l]) => l), held.map(([, r]) => r.leaseMs)],
        ),
      );
      const kept = new Set(rows.map((r) => r.lease_id));
      for (const [leaseId, r] of held) {
        if (kept.has(leaseId) || !this.running.has(leaseId)) continue;
        this.log.warn({ jobId: r.id }, 'a running job lost its lease; stopping it');
        r.lost.abort(new Error('the job lease was lost'));
      }
    } catch (err) {
      // The leases run out unless a later renewal gets through; the claims then decide.
      this.log.warn({ err }, 'could not renew job leases');
    }
  }
}

/** SQL for the first multiple of `everyMs` (from the epoch) after now. */
function nextSlot(everyMs: string): string {
  return `to_timestamp((floor(extract(epoch FROM now()) * 1000 / ${everyMs}) + 1) * ${everyMs} / 1000.0)`;
}

// ---------------------------------------------------------------- the facility

/**
 * The process's job runner. Features register tasks, periodic tasks and queues before `start`;
 * `stop` stops claiming, lets running work finish within a grace, then aborts it and hands
 * unfinished jobs back.
 */
export class Jobs {
  private readonly tasks = new Map<string, StoredTask>();
  private readonly queues: { name: string; def: QueueDefinition<unknown> }[] = [];
  private readonly lanes: Lane<unknown>[] = [];
  private readonly unlisten: (() => void)[] = [];
  private rows: JobRows | undefined;
  private started = false;

  constructor(private readonly deps: { ds: DataSource; listener: PgListener; log: Logger }) {}

  /** A job kind run once per `enqueueJob` (with retries), under a renewed lease. */
  task<P>(kind: TaskKind<P>, def: TaskDefinition<P>): void {
    this.add({
      kind: kind.name,
      periodic: false,
      everyMs: null,
      maxAttempts: def.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      leaseMs: def.leaseMs ?? DEFAULT_LEASE_MS,
      concurrency: def.concurrency ?? 1,
      timeoutMs: def.timeoutMs,
      retryDelayMs: def.retryDelayMs ?? ((n) => 1000 * 2 ** (n - 1)),
      run: def.run as StoredTask['run'],
      onGiveUp: def.onGiveUp as StoredTask['onGiveUp'],
    });
  }

  /** A task run once per period across every instance. */
  periodic(name: string, def: PeriodicDefinition): void {
    if (!Number.isInteger(def.everyMs) || def.everyMs < 100 || def.everyMs > 2 ** 31 - 1) {
      throw new Error(`${name}: everyMs must be a whole number from 100 ms to 24 days`);
    }
    this.add({
      kind: taskKind(name).name,
      periodic: true,
      everyMs: def.everyMs,
      maxAttempts: def.maxAttempts ?? 3,
      leaseMs: def.leaseMs ?? DEFAULT_LEASE_MS,
      concurrency: 1,
      timeoutMs: def.timeoutMs,
      retryDelayMs: () => 0,
      run: (_payload, ctx) => def.run(ctx),
    });
  }

  /** Work in a feature's own table (see QueueDefinition). */
  queue<T>(name: string, def: QueueDefinition<T>): void {
    this.assertNotStarted(name);
    this.queues.push({ name, def: def as QueueDefinition<unknown> });
  }

  /** Schedules the periodic tasks, listens on the queues' channels, and starts claiming. */
  async start(): Promise<void> {
    this.started = true;
    const { ds, listener, log } = this.deps;
    const queues = [...this.queues];
    if (this.tasks.size) {
      this.rows = new JobRows(this.tasks, ds, log);
      await this.rows.schedule();
      queues.push({ name: 'jobs', def: this.rows as QueueDefinition<unknown> });
    }
    for (const { name, def } of queues) {
      const lane = new Lane(name, def, log);
      this.lanes.push(lane);
      this.unlisten.push(
        await listener.listen(def.channel, {
          notification: () => lane.wake(),
          // Notifications sent while the connection was down are gone: look once.
          resync: () => lane.wake(),
        }),
      );
    }
    this.rows?.startRenewing();
    for (const lane of this.lanes) lane.start();
  }

  async stop(graceMs = DEFAULT_STOP_GRACE_MS): Promise<void> {
    for (const off of this.unlisten.splice(0)) off();
    // Leases stay renewed while the work winds down.
    await Promise.all(this.lanes.map((lane) => lane.close(graceMs)));
    this.rows?.stopRenewing();
  }

  private add(task: StoredTask): void {
    this.assertNotStarted(task.kind);
    if (!KIND.test(task.kind)) throw new Error(`Not a task name: ${task.kind}`);
    if (this.tasks.has(task.kind)) throw new Error(`Task ${task.kind} is registered twice`);
    this.tasks.set(task.kind, task);
  }

  private assertNotStarted(name: string): void {
    if (this.started) throw new Error(`${name}: register tasks before the jobs start`);
  }
}
