import 'reflect-metadata';
import path from 'node:path';
import { loadConfig, ConfigError, type Config } from '../platform/config';
import { createLogger } from '../platform/logger';
import { migrate, terminateCheckedOut } from '../platform/database';
import { openDatabase } from './database';
import { openObjectStore } from './open-object-store';
import { getSchema } from './schema';
import { startServer } from './server';
import { Lifecycle } from '../platform/lifecycle';
import { signToken } from '../auth/tokens';
import { startTracing } from '../platform/tracing';
import { LiveHub } from '../notifications/live-hub';
import { PgLiveBus } from '../notifications/pg-live-bus';
import { PgListener } from '../platform/pg-listener';
import { Jobs } from '../platform/jobs';
import { createContext, createRequestLoaders, type App } from './context';
import { registerWebhookTasks } from '../webhooks/webhook-tasks';
import { registerEvidenceTasks } from '../evidence/evidence-tasks';
import { registerExportTasks } from '../exports/export-tasks';
import { registerFeatures } from './registrations';

/**
 * The API process: configuration, embedded services when none are configured, pool, migrations,
 * the LISTEN connection, live events, the App, background jobs, the server, and shutdown in
 * reverse order on SIGINT/SIGTERM.
 */
export async function runApi(): Promise<void> {
  registerFeatures();
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL);
  /** Shutdown steps, last started first. */
  const cleanups: { name: string; run: () => Promise<void> }[] = [];
  const lifecycle = new Lifecycle();
  let shuttingDown = false;
  let shutdown: (reason: string, exitCode?: number) => Promise<void> = async (_r, exitCode = 1) =>
    process.exit(exitCode);

  const stopTracing = await startTracing(config.OTEL_SERVICE_NAME, log);
  if (stopTracing) cleanups.unshift({ name: 'tracing', run: stopTracing });

  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    const directory = path.join(config.DATA_DIR, 'postgres');
    log.info({ directory }, 'starting embedded PostgreSQL');
    // The development harness (src/dev/) is loaded only where its defaults are in use.
    const { startEmbeddedPostgres } = await import('../dev/embedded-postgres.js');
    const db = await startEmbeddedPostgres({
      directory,
      onNotice: (message) => log.warn(message),
      supervisor: {
        down(reason) {
          lifecycle.databaseDown = true;
          log.error({ reason }, 'embedded PostgreSQL died; restarting it');
        },
        restarted(attempt) {
          lifecycle.databaseDown = false;
          log.warn({ attempt }, 'embedded PostgreSQL restarted');
        },
        gaveUp(err) {
          lifecycle.databaseDown = true;
          if (shuttingDown) return;
          log.fatal({ err }, 'embedded PostgreSQL is gone; exiting');
          void shutdown('embedded PostgreSQL lost', 1);
        },
      },
    });
    databaseUrl = db.url;
    cleanups.unshift({ name: 'embedded PostgreSQL', run: db.stop });
  }

  const objects = await openObjectStore(config);
  const { store } = objects;
  cleanups.unshift({ name: 'object store', run: objects.stop });
  if (objects.embeddedEndpoint) {
    log.info({ endpoint: objects.embeddedEndpoint }, 'started embedded S3-compatible store');
  }
  await store
    .ensureBucket()
    .catch((err: unknown) => log.warn({ err }, 'object store not reachable yet'));

  const ds = await openDatabase(
    databaseUrl,
    log,
    {
      size: config.DB_POOL_SIZE,
      acquireTimeoutMs: config.DB_POOL_ACQUIRE_TIMEOUT_MS,
      statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    },
    // The pool-in-transaction guard is a check for tests and development.
    { guardTransactions: config.NODE_ENV !== 'production' },
  );
  cleanups.unshift({ name: 'database pool', run: () => ds.destroy() });
  lifecycle.onGraceExpired = async () => {
    const ended = await terminateCheckedOut(ds, databaseUrl);
    log.warn({ sessions: ended }, 'shutdown grace ran out; ended the database work still running');
  };
  const applied = await migrate(ds);
  if (applied.length) log.info({ applied }, 'migrations applied');

  // The process's one LISTEN connection: live events and the job queues add their channels.
  const listener = new PgListener({ url: databaseUrl, log });
  await listener.start();
  cleanups.unshift({ name: 'LISTEN connection', run: () => listener.stop() });

  const live = new LiveHub(ds, new PgLiveBus({ listener, log }), log, () =>
    createRequestLoaders(ds, config),
  );
  await live.start();
  cleanups.unshift({ name: 'live events', run: () => live.stop() });

  // CLOCK_OFFSET_MS is 0 outside tests (config refuses it in production).
  const offset = config.CLOCK_OFFSET_MS;
  const now = offset === 0 ? () => new Date() : () => new Date(Date.now() + offset);
  const app: App = { config, ds, store, log, live, now };

  // Every instance runs background jobs: each feature registers its tasks. Stopped before the
  // pool, after the work running ends (or is handed back).
  const jobs = new Jobs({ ds, listener, log });
  registerWebhookTasks(jobs, { ds, log, config, now: app.now });
  registerEvidenceTasks(jobs, app);
  registerExportTasks(jobs, app);
  await jobs.start();
  cleanups.unshift({ name: 'background jobs', run: () => jobs.stop() });

  let demoUsers: { id: string; name: string; role: string; permissions: string[] }[] = [];
  if (config.DEMO_DATA && config.embeddedDatabase) {
    const rows = (await ds.query('SELECT count(*)::int AS n FROM accounts')) as { n: number }[];
    const demo = await import('../dev/demo-data.js');
    if (rows[0]?.n === 0) {
      demoUsers = await demo.applyDemoData(ds, store, new Date());
    } else {
      // Kept from an earlier start: the tokens of the demo users still there, printed again.
      const all = demo.demoUsers();
      const kept = (await ds.query('SELECT id FROM users WHERE id = ANY ($1::uuid[])', [
        all.map((u) => u.id),
      ])) as { id: string }[];
      const ids = new Set(kept.map((u) => u.id));
      demoUsers = all.filter((u) => ids.has(u.id));
    }
    const { demoPlaygroundDefaults } = await import('../dev/demo-playground.js');
    const { setPlaygroundDefaults } = await import('../dev/playground.js');
    setPlaygroundDefaults(
      (await demoPlaygroundDefaults(app, (viewer) => createContext(app, viewer, 'demo'))) ?? {},
    );
  }

  const schema = await getSchema();
  const server = await startServer(app, schema, {
    port: config.PORT,
    host: config.HOST,
    lifecycle,
  });
  cleanups.unshift({ name: 'HTTP and WebSocket server', run: server.stop });
  log.info({ endpoint: server.url }, 'Disputes API ready');

  if (demoUsers.length) {
    const lines = [
      `\nDisputes API: ${server.url} (open it in a browser for the playground)`,
      'Demo users; send "Authorization: Bearer <token>":',
    ];
    for (const u of demoUsers) {
      lines.push(
        `  ${u.name} (${u.role}${u.permissions.length ? `, ${u.permissions.join('+')}` : ''})  id ${u.id}`,
      );
      lines.push(`    ${await signToken(config.JWT_SECRET, u.id)}`);
    }
    process.stdout.write(`${lines.join('\n')}\n\n`);
  }
  if (process.send) process.send({ ready: true, url: server.url, port: server.port });

  /**
   * Stops taking work, lets in-flight requests finish (up to SHUTDOWN_GRACE_MS; later ones get
   * 503), closes WebSockets with 1001, then the background jobs, live events, the LISTEN
   * connection, the pool, the object store and the embedded PostgreSQL last, so every answered
   * mutation is in the database.
   */
  shutdown = async (reason, exitCode = 0) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ reason }, 'shutting down');
    // The remaining steps get their own allowance after the grace; a stuck one must not hang us.
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS + 15_000).unref();
    for (const step of cleanups) {
      const started = Date.now();
      await step.run().then(
        () => log.info({ step: step.name, ms: Date.now() - started }, 'stopped'),
        (err: unknown) => {
          exitCode = 1;
          log.error({ err, step: step.name }, 'shutdown step failed');
        },
      );
    }
    clearTimeout(force);
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
