import { DataSource, type Logger as OrmLogger } from 'typeorm';
import type { Logger } from 'pino';
import { dataSourceOptions } from '../../ormconfig';
import { requestScope } from './request-context';
import { describeStatement } from './logger';

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

export async function openDatabase(url: string, log: Logger): Promise<DataSource> {
  const ds = new DataSource(
    dataSourceOptions(url, {
      logging: ['query', 'error', 'warn', 'migration'],
      logger: new OrmPinoLogger(log),
      maxQueryExecutionTime: 1000,
    }),
  );
  await ds.initialize();
  return ds;
}

export async function migrate(ds: DataSource): Promise<string[]> {
  const applied = await ds.runMigrations({ transaction: 'each' });
  return applied.map((m) => m.name);
}

/** The PostgreSQL error code of a failed statement, if it is one. */
export function pgErrorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

export const PG_UNIQUE_VIOLATION = '23505';
