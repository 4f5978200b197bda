import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { ObjectStore } from '../platform/object-store';
import { checkedKeyPrefix } from './evidence-keys';
import { DELETE_UNBOUND_EVIDENCE, STALE_UNBOUND_EVIDENCE } from './evidence.queries';

/** What the sweep needs: a slice of App, so the CLI can run it without a server. */
export interface SweepDeps {
  ds: DataSource;
  store: ObjectStore;
  config: { EVIDENCE_TTL_HOURS: number };
  now: () => Date;
  log?: Pick<Logger, 'warn'>;
}

const BATCH = 200;
/** One run removes at most this many; the next run takes the rest. */
const MAX_PER_RUN = 5000;

/**
 * Removes an unbound file's objects: the upload, and any copy a createDispute made to check it
 * and could not remove (it stopped, or the store failed, before the refusal was answered).
 * Removing a key that was never uploaded succeeds too.
 */
async function deleteObjectsOf(store: ObjectStore, id: string, uploadKey: string): Promise<void> {
  const copies = await store.list(checkedKeyPrefix(id));
  await Promise.all([uploadKey, ...copies].map((key) => store.delete(key)));
}

/**
 * Deletes evidence never bound to a dispute once it is older than EVIDENCE_TTL_HOURS: the row
 * and its objects. Each file goes in its own transaction that deletes the row (only while still
 * unbound) first and the objects second, so:
 * - a createDispute binding the file at the same moment either wins (the row is bound and
 *   stays, object included) or waits on the row lock and then fails with EVIDENCE_INVALID;
 * - when the store refuses the delete, the row comes back and the next run tries again.
 * An aborted `signal` ends the run between files (the process is stopping; the next run goes on).
 * Returns how many files were removed.
 *
 * The server runs it hourly as a periodic task (evidence-tasks.ts); `npm run sweep-evidence`
 * runs it now.
 */
export async function sweepUnboundEvidence(deps: SweepDeps, signal?: AbortSignal): Promise<number> {
  const cutoff = new Date(deps.now().getTime() - deps.config.EVIDENCE_TTL_HOURS * 3_600_000);
  let removed = 0;
  let failed = 0;
  const skip = new Set<string>();
  while (removed + failed < MAX_PER_RUN && !signal?.aborted) {
    const stale = (await deps.ds.query(STALE_UNBOUND_EVIDENCE, [cutoff, [...skip], BATCH])) as {
      id: string;
    }[];
    if (stale.length === 0) break;
    for (const { id } of stale) {
      if (signal?.aborted) break;
      try {
        const gone = await deps.ds.transaction(async (em) => {
          const rows = (await em.query(DELETE_UNBOUND_EVIDENCE, [id])) as [
            { object_key: string }[],
            number,
          ];
          const key = rows[0]?.[0]?.object_key;
          if (!key) return false;
          await deleteObjectsOf(deps.store, id, key);
          return true;
        });
        if (gone) removed += 1;
        else skip.add(id);
      } catch (err) {
        failed += 1;
        skip.add(id);
        deps.log?.warn({ err, evidenceId: id }, 'could not sweep an evidence file; will retry');
      }
    }
  }
  return removed;
}
