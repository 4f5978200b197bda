import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { DEFAULT_POOL_LIMITS, dataSourceOptions, type PoolLimits } from '../../ormconfig';
import { openDataSource } from '../platform/database';

/** The API's pool over this app's entities and migrations (ormconfig.ts lists them). */
export function openDatabase(
  url: string,
  log: Logger,
  limits: PoolLimits = DEFAULT_POOL_LIMITS,
  opts: { guardTransactions?: boolean } = {},
): Promise<DataSource> {
  return openDataSource(dataSourceOptions(url, {}, limits), log, opts);
}
