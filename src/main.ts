import 'reflect-metadata';
import path from 'node:path';
import { loadConfig, ConfigError, type Config } from './platform/config';
import { createLogger } from './platform/logger';
import { migrate, openDatabase } from './platform/database';
import { startEmbeddedPostgres } from './platform/embedded-postgres';
import { openObjectStore } from './platform/object-storage';
import { getSchema } from './platform/schema';
import { startServer } from './platform/server';
import { signToken } from './auth/tokens';
import { applyDemoData } from './import/demo-data';
import { startEvidenceSweep } from './evidence/evidence-sweep';
import { LiveHub } from './notifications/live-hub';
import { PgLiveBus } from './notifications/pg-live-bus';
import type { App } from './platform/context';

async function main(): Promise<void> {
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

  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    log.info({ directory: path.join(config.DATA_DIR, 'postgres') }, 'starting embedded PostgreSQL');
    const db = await startEmbeddedPostgres({ directory: path.join(config.DATA_DIR, 'postgres') });
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

  const ds = await openDatabase(databaseUrl, log);
  cleanups.unshift({ name: 'database pool', run: () => ds.destroy() });
  const applied = await migrate(ds);
  if (applied.length) log.info({ applied }, 'migrations applied');

  const live = new LiveHub(ds, new PgLiveBus({ url: databaseUrl, log }), log);
  await live.start();
  cleanups.unshift({ name: 'live events', run: () => live.stop() });

  const app: App = { config, ds, store, log, live, now: () => new Date() };

  let demoUsers: { id: string; name: string; role: string; permissions: string[] }[] = [];
  if (config.DEMO_DATA && config.embeddedDatabase) {
    const rows = (await ds.query('SELECT count(*)::int AS n FROM accounts')) as { n: number }[];
    if (rows[0]?.n === 0) demoUsers = await applyDemoData(ds, store, new Date());
  }

  const schema = await getSchema();
  const server = await startServer(app, schema, { port: config.PORT, host: config.HOST });
  const sweep = startEvidenceSweep(app);
  cleanups.unshift({ name: 'evidence sweep', run: async () => sweep.stop() });
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

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000).unref();
    for (const step of cleanups) {
      const started = Date.now();
      await step.run().then(
        () => log.info({ step: step.name, ms: Date.now() - started }, 'stopped'),
        (err: unknown) => log.error({ err, step: step.name }, 'shutdown step failed'),
      );
    }
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  // The message is for people; the stack only helps when it is not one of ours.
  const detail =
    err instanceof Error
      ? process.env.LOG_LEVEL === 'debug'
        ? err.stack
        : err.message
      : String(err);
  process.stderr.write(`Failed to start: ${detail}\n`);
  process.exit(1);
});
