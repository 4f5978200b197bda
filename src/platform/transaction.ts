import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pool } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';

interface OpenTransaction {
  open: boolean;
}

const openTransaction = new AsyncLocalStorage<OpenTransaction>();

/** Data sources whose pool refuses checkouts from inside a transaction (guardPoolInTransactions). */
const guarded = new WeakSet<DataSource>();

/**
 * Thrown when work inside a transaction asks the pool for a second connection. With every
 * connection held by a transaction that waits for one more, the pool deadlocks: 20 such
 * requests at once (the pool size) freeze the API until the acquire timeout.
 */
export class PoolInTransactionError extends Error {
  constructor() {
    super(
      'A pooled connection was requested while a transaction is open in the same operation; ' +
        'pass the transaction’s EntityManager down instead of using the DataSource.',
    );
    this.name = 'PoolInTransactionError';
  }
}

/**
 * Runs `work` in one transaction. Everything it calls must use the EntityManager it receives:
 * the pool refuses a checkout made from inside (see guardPoolInTransactions).
 */
export function withTransaction<T>(
  ds: DataSource,
  work: (em: EntityManager) => Promise<T>,
): Promise<T> {
  // Unguarded (production), no AsyncLocalStorage: on Node 20 it turns on promise hooks for the
  // whole process, a cost on every promise of every request.
  if (!guarded.has(ds)) return ds.transaction(work);
  return ds.transaction((em) => {
    // Set after the transaction holds its own connection, cleared before it is released.
    const scope: OpenTransaction = { open: true };
    return openTransaction
      .run(scope, () => work(em))
      .finally(() => {
        scope.open = false;
      });
  });
}

/** True while the calling code runs inside withTransaction. */
export function insideTransaction(): boolean {
  return openTransaction.getStore()?.open === true;
}

/**
 * Makes the pool refuse a checkout requested from inside withTransaction. The check runs when
 * `connect` is called, in the caller's async context (the `acquire` event would fire in the
 * context of whichever request released the connection), so it names the right request.
 */
export function guardPoolInTransactions(ds: DataSource): void {
  guarded.add(ds);
  const pool = (ds.driver as unknown as { master: Pool }).master;
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
  (pool as unknown as { connect: (...args: unknown[]) => unknown }).connect = (
    ...args: unknown[]
  ) => {
    if (insideTransaction()) throw new PoolInTransactionError();
    return connect(...args);
  };
}
