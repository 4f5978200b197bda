import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, ConfigError } from './platform/config';
import { createLogger } from './platform/logger';
import { migrate } from './platform/database';
import { openDatabase } from './app/database';
import type { EmbeddedDatabase } from './dev/embedded-postgres.js';
import { openObjectStore } from './app/open-object-store';
import { signToken } from './auth/tokens';
import { isUuid } from './platform/ids';
import { printedSchema } from './app/schema';
import { runImport } from './import/import-cli';
import { ImportError } from './import/fixture';
import { sweepUnboundEvidence } from './evidence/evidence-sweep';
import { registerFeatures } from './app/registrations';

const USAGE = `Usage:
  npm run migrate                 apply pending migrations to DATABASE_URL
  npm run import -- FILE.json     upsert a fixture file into DATABASE_URL
  npm run token -- USER_ID        print a JWT for that user (JWT_SECRET)
  npm run schema                  write schema/schema.graphql from the code
  npm run sweep-evidence          delete evidence never bound to a dispute, older than EVIDENCE_TTL_HOURS
Without DATABASE_URL (or S3_ENDPOINT), the embedded services under DATA_DIR are used.`;

async function withDatabase<T>(
  fn: (ds: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  let embedded: EmbeddedDatabase | null = null;
  if (!config.DATABASE_URL) {
    // The embedded PostgreSQL is development's (src/dev/): loaded only when it is the one in use.
    const { startEmbeddedPostgres } = await import('./dev/embedded-postgres.js');
    embedded = await startEmbeddedPostgres({ directory: path.join(config.DATA_DIR, 'postgres') });
  }
  const ds = await openDatabase(config.DATABASE_URL ?? embedded!.url, log);
  try {
    return await fn(ds);
  } finally {
    await ds.destroy();
    await embedded?.stop();
  }
}

async function main(argv: string[]): Promise<number> {
  registerFeatures();
  const [command, arg] = argv;
  switch (command) {
    case 'migrate': {
      const applied = await withDatabase(migrate);
      process.stdout.write(
        applied.length ? `Applied: ${applied.join(', ')}\n` : 'No pending migrations.\n',
      );
      return 0;
    }
    case 'token': {
      if (!arg) throw new UsageError('token needs a user ID: npm run token -- USER_ID');
      if (!isUuid(arg)) throw new UsageError(`"${arg}" is not a user ID (a UUID).`);
      process.stdout.write(`${await signToken(loadConfig().JWT_SECRET, arg)}\n`);
      return 0;
    }
    case 'emit-schema': {
      if (arg === '--stdout') {
        process.stdout.write(await printedSchema());
        return 0;
      }
      const file = path.resolve(__dirname, '..', '..', 'schema', 'schema.graphql');
      fs.writeFileSync(file, await printedSchema());
      process.stdout.write(`Wrote ${path.relative(process.cwd(), file)}\n`);
      return 0;
    }
    case 'import': {
      if (!arg) throw new UsageError('import needs a file: npm run import -- FILE.json');
      const objects = await openObjectStore(loadConfig());
      try {
        const { store } = objects;
        await store.ensureBucket();
        const summary = await withDatabase(async (ds) => {
          await migrate(ds);
          return runImport(ds, store, path.resolve(arg));
        });
        process.stdout.write(`Imported ${arg}: ${JSON.stringify(summary)}\n`);
      } finally {
        await objects.stop();
      }
      return 0;
    }
    case 'sweep-evidence': {
      // The server runs this hourly; the command is for cron jobs, operators and tests.
      const config = loadConfig();
      const objects = await openObjectStore(config);
      try {
        const { store } = objects;
        const removed = await withDatabase((ds) =>
          sweepUnboundEvidence({ ds, store, config, now: () => new Date() }),
        );
        process.stdout.write(
          `Removed ${removed} unbound evidence file(s) older than ${config.EVIDENCE_TTL_HOURS} hours.\n`,
        );
      } finally {
        await objects.stop();
      }
      return 0;
    }
    default:
      throw new UsageError(USAGE);
  }
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError || err instanceof ConfigError || err instanceof ImportError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
