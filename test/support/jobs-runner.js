// One process running the job facility (dist/src/platform/jobs.js) with the test tasks of
// test/integration/jobs.test.ts, on the database it is given. Each task writes what it did to
// job_runs; the test enqueues through IPC and reads job_runs and jobs.
//
// argv[2]: JSON { databaseUrl, name, periodicMs?, migrateOnly? }
// IPC in:  { enqueue: { kind, payload, key? }, id }   out: { id, jobId }
// IPC out: { ready: true } | { event: 'notification' | 'resync', payload? }
const { setTimeout, clearTimeout } = require('node:timers');
const { DataSource } = require('typeorm');
const { dataSourceOptions } = require('../../dist/ormconfig.js');
const { migrate } = require('../../dist/src/platform/database.js');
const { createLogger } = require('../../dist/src/platform/logger.js');
const { PgListener } = require('../../dist/src/platform/pg-listener.js');
const { Jobs, enqueueJob, taskKind } = require('../../dist/src/platform/jobs.js');

const opts = JSON.parse(process.argv[2]);
/** The channel the test NOTIFYs on to see the LISTEN connection work. */
const TEST_CHANNEL = 'jobs_test';
const LEASE_MS = 1_500;

const kinds = {
  record: taskKind('test.record'),
  long: taskKind('test.long'),
  longOnce: taskKind('test.long-once'),
};

const sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

async function main() {
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const options = dataSourceOptions(opts.databaseUrl);
  const ds = new DataSource({
    ...options,
    extra: { ...options.extra, max: 4, application_name: `jobs-test ${opts.name}` },
  });
  await ds.initialize();
  if (opts.migrateOnly) {
    await migrate(ds);
    await ds.query(`CREATE TABLE job_runs (
      job_id uuid NOT NULL, kind text NOT NULL, event text NOT NULL, runner text NOT NULL,
      attempt int NOT NULL, due_at timestamptz NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())`);
    await ds.destroy();
    process.send({ ready: true });
    return;
  }

  const record = (em, ctx, kind, event) =>
    em.query(
      `INSERT INTO job_runs (job_id, kind, event, runner, attempt, due_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [ctx.jobId, kind, event, opts.name, ctx.attempt, ctx.dueAt],
    );

  const listener = new PgListener({ url: opts.databaseUrl, log });
  await listener.start();
  await listener.listen(TEST_CHANNEL, {
    notification: (payload) => process.send({ event: 'notification', payload }),
    resync: () => process.send({ event: 'resync' }),
  });

  const jobs = new Jobs({ ds, listener, log });
  jobs.task(kinds.record, {
    concurrency: 2,
    async run(payload, ctx) {
      await sleep(payload.sleepMs ?? 0);
      await record(ds, ctx, 'test.record', 'ran');
    },
  });
  // Runs until its signal aborts, unless this runner is the one named to finish it.
  const long = (kind) => async (payload, ctx) => {
    await record(ds, ctx, kind, 'started');
    if (payload.finishOn === opts.name) {
      await sleep(200);
      await record(ds, ctx, kind, 'finished');
      return;
    }
    await sleep(600_000, ctx.signal);
  };
  jobs.task(kinds.long, { leaseMs: LEASE_MS, maxAttempts: 3, run: long('test.long') });
  jobs.task(kinds.longOnce, {
    leaseMs: LEASE_MS,
    maxAttempts: 1,
    run: long('test.long-once'),
    async onGiveUp(_payload, { jobId, em, reason, attempts }) {
      await em.query(
        `INSERT INTO job_runs (job_id, kind, event, runner, attempt, due_at)
         VALUES ($1, 'test.long-once', $2, $3, $4, now())`,
        [jobId, `gave up: ${reason}`, opts.name, attempts],
      );
    },
  });
  if (opts.periodicMs) {
    jobs.periodic('test.tick', {
      everyMs: opts.periodicMs,
      run: (ctx) => record(ds, ctx, 'test.tick', 'ran'),
    });
  }
  await jobs.start();

  process.on('message', (m) => {
    if (!m.enqueue) return;
    const { kind, payload, key } = m.enqueue;
    enqueueJob(ds, taskKind(kind), payload, { key }).then(
      (jobId) => process.send({ id: m.id, jobId }),
      (err) => process.send({ id: m.id, error: String(err) }),
    );
  });
  const stop = async () => {
    await jobs.stop(500);
    await listener.stop();
    await ds.destroy();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('disconnect', () => void stop());
  process.send({ ready: true });
}

main().catch((err) => {
  process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});
