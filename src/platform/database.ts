import { DataSource, type DataSourceOptions, type Logger as OrmLogger } from 'typeorm';
import type { Logger } from 'pino';
import { Client, type Pool, type PoolClient } from 'pg';
import { requestScope } from './request-context';
import { describeStatement } from './logger';
import { guardPoolInTransactions } from './transaction';
import { namePreparedStatements } from './prepared-statements';

/** Counts statements per request (for SQL_STATS and tests) and logs slow or failed ones. */
class OrmPinoLogger implements OrmLogger {
  constructor(private readonly out: Logger) {}
  logQuery(): void {
    const scope = requestScope.getStore();
    if (scope) scope.sqlStatements += 1;
  }
  // Parameters hold client text and phone numbers: only their count and types are logged.
  logQueryError(error: string | Error, query: string, parameters?: unknown[]): void {
    this.out.debug(
      {
        err: error,
        sql: describeStatement(query, parameters),
      },
      'sql error',
    );
  }
  logQuerySlow(time: number, query: string, parameters?: unknown[]): void {
    this.out.warn(
      {
        ms: time,
        sql: describeStatement(query, parameters),
      },
      'slow sql',
    );
  }
  logSchemaBuild(): void {}
  logMigration(message: string): void {
    this.out.info({ migration: message }, 'migration');
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.out.warn({ orm: message }, 'typeorm');
  }
}

/**
 * Opens a pool with the given options (entities, migrations and pool limits come from the
 * caller: src/app/database.ts), logging through pino and counting statements per request.
 */
export async function openDataSource(
  options: DataSourceOptions,
  log: Logger,
  opts: { guardTransactions?: boolean } = {},
): Promise<DataSource> {
  const ds = new DataSource({
    ...options,
    logging: ['query', 'error', 'warn', 'migration'],
    logger: new OrmPinoLogger(log),
    maxQueryExecutionTime: 1000,
  } as DataSourceOptions);
  await ds.initialize();
  trackCheckedOut(ds);
  namePreparedStatements((ds.driver as unknown as { master: Pool }).master);
  // Tests and development run with the guard; production leaves it off (see withTransaction).
  if (opts.guardTransactions ?? true) guardPoolInTransactions(ds);
  return ds;
}

/** Connections each data source's pool has handed out and not yet taken back. */
const checkedOut = new WeakMap<DataSource, Set<PoolClient>>();

function trackCheckedOut(ds: DataSource): void {
  const pool = (ds.driver as unknown as { master: Pool }).master;
  const busy = new Set<PoolClient>();
  pool.on('acquire', (client) => busy.add(client));
  pool.on('release', (_err, client) => busy.delete(client));
  pool.on('remove', (client) => busy.delete(client as PoolClient));
  checkedOut.set(ds, busy);
}

/**
 * Ends the database sessions of work still running when shutdown's grace runs out: their
 * transactions roll back and their requests fail with an answer, where cutting the clients off
 * instead would let that work commit unheard. Returns how many were ended.
 */
export async function terminateCheckedOut(ds: DataSource, url: string): Promise<number> {
  const pids = [...(checkedOut.get(ds) ?? [])]
    .map((c) => (c as unknown as { processID: number | null }).processID)
    .filter((pid): pid is number => typeof pid === 'number');
  if (!pids.length) return 0;
  const admin = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await admin.connect();
    await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
  } finally {
    await admin.end().catch(() => undefined);
  }
  return pids.length;
}

/**
 * Applies pending migrations over a connection of their own without the pool's statement
 * timeout: building an index on a large table may rightly take minutes.
 */
export async function migrate(ds: DataSource): Promise<string[]> {
  const extra: Record<string, unknown> = { ...(ds.options.extra as object), max: 1 };
  delete extra.statement_timeout;
  delete extra.idle_in_transaction_session_timeout;
  delete extra.query_timeout;
  const runner = new DataSource({ ...ds.options, extra } as DataSourceOptions);
  await runner.initialize();
  try {
    const applied = await runner.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.destroy();
  }
}

/** The PostgreSQL error code of a failed statement, if it is one. */
export function pgErrorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

export const PG_UNIQUE_VIOLATION = '23505';
