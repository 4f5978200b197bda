import type { DataSource } from 'typeorm';
import { sqlByIdLoader } from '../platform/loaders';
import { ACCOUNT_COLUMNS, accountRowMapper } from './account.entity';
import { USER_COLUMNS, userRowMapper } from './user.entity';

/**
 * Per-request loaders of accounts and users, by id without scoping: only rows already proven
 * visible (a visible call's buyer, a dispute's author) are looked up through them.
 */
export function createAccountLoaders(ds: DataSource) {
  return {
    account: sqlByIdLoader(ds, 'accounts', ACCOUNT_COLUMNS, accountRowMapper('')),
    user: sqlByIdLoader(ds, 'users', USER_COLUMNS, userRowMapper('')),
  };
}

declare module '../platform/context' {
  interface Loaders extends ReturnType<typeof createAccountLoaders> {}
}
