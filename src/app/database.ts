import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { DEFAULT_POOL_LIMITS, dataSourceOptions, type PoolLimits } from '../../ormconfig';
import type { Pool } from 'pg';
import { openDataSource } from '../platform/database';
import { traceSqlOf } from '../platform/tracing';

/**
 * The API's pool over this app's entities and migrations (ormconfig.ts lists them); its
 * statements are traced when tracing is on.
 */
export async function openDatabase(
  url: string,
  log: Logger,
  limits: PoolLimits = DEFAULT_POOL_LIMITS,
  opts: { guardTransactions?: boolean } = {},
): Promise<DataSource> {
  const ds = await openDataSource(dataSourceOptions(url, {}, limits), log, opts);
  traceSqlOf((ds.driver as unknown as { master: Pool }).master);
  return ds;
}
