import { Readable } from 'node:stream';
import type { Jobs, TaskContext } from '../platform/jobs';
import type { App } from '../platform/context';
import { headerLine } from './export-columns';
import { EXPORT_CONTENT_TYPE, EXPORT_TASK, exportRowOf, retentionCutoff } from './export.service';
import type { ExportRow } from './export.types';

/** The retention sweep's name as the job facility knows it. */
export const EXPORT_RETENTION_TASK = 'exports.retention';

/** Lines read from the database at a time. */
const BATCH_ROWS = 1_000;
/** rowsWritten is saved at least every this many rows… */
const PROGRESS_ROWS = 5_000;
/** …or this often. */
const PROGRESS_MS = 2_000;
/** How long the reading transaction may wait on the store between fetches. */
const IDLE_MS = 10 * 60_000;
/** Exports removed per statement of the sweep. */
const SWEEP_BATCH = 200;

const BOM = '\ufeff';
const CRLF = '\r\n';

/** What a FAILED export says: no internals. */
export const LINES_LOST =
  'The export was interrupted and its rows are no longer available. Start it again.';

export const STORE_FAILED = 'The file could not be written. Start the export again.';

/** Fewer lines than the start wrote: the file would be short, so the export fails. */
class LinesLostError extends Error {
  constructor(found: number, expected: number) {
    super(`found ${found} of the export's ${expected} lines`);
    this.name = 'LinesLostError';
  }
}

export type ExportDeps = Pick<App, 'ds' | 'store' | 'log' | 'now' | 'config'>;

/**
 * The file of an export as a stream: the byte-order mark, the header, then each line the start
 * wrote (export_lines, in position order), each ending in CRLF, read a batch at a time so the
 * file is never held in memory. Saves rowsWritten as it goes.
 */
function fileStream(deps: ExportDeps, row: ExportRow, signal: AbortSignal): Readable {
  async function* lines(): AsyncGenerator<string> {
    yield BOM + headerLine(row.columns) + CRLF;
    // One cursor over the lines in position order (a cursor's plan starts fast: the primary
    // key's index), on a connection of its own for the export's duration.
    const runner = deps.ds.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('BEGIN READ ONLY');
      // Waiting on the store between fetches is not a stuck session.
      await runner.query(`SET LOCAL idle_in_transaction_session_timeout = ${IDLE_MS}`);
      await runner.query(
        `DECLARE export_file NO SCROLL CURSOR FOR
         SELECT line FROM export_lines WHERE export_id = $1 ORDER BY export_id, position`,
        [row.id],
      );
      let written = 0;
      let reported = 0;
      let reportedAt = Date.now();
      for (;;) {
        signal.throwIfAborted();
        const batch = (await runner.query(`FETCH ${BATCH_ROWS} FROM export_file`)) as {
          line: string;
        }[];
        if (!batch.length) {
          if (written !== row.totalRows) throw new LinesLostError(written, row.totalRows);
          return;
        }
        written += batch.length;
        yield batch.map((b) => b.line).join(CRLF) + CRLF;
        if (written - reported >= PROGRESS_ROWS || Date.now() - reportedAt >= PROGRESS_MS) {
          await deps.ds.query(
            `UPDATE exports SET rows_written = $2 WHERE id = $1 AND status = 'RUNNING'`,
            [row.id, written],
          );
          reported = written;
          reportedAt = Date.now();
        }
      }
    } finally {
      await runner.query('ROLLBACK').catch(() => undefined);
      await runner.release();
    }
  }
  return Readable.from(lines());
}

/** FAILED with a message for the user; its lines go. */
async function failExport(
  db: Pick<ExportDeps['ds'], 'query'>,
  exportId: string,
  message: string,
): Promise<void> {
  await db.query(
    `UPDATE exports SET status = 'FAILED', finished_at = now(), error = $2
     WHERE id = $1 AND status = 'RUNNING'`,
    [exportId, message],
  );
  await db.query(`DELETE FROM export_lines WHERE export_id = $1`, [exportId]);
}

/** Writes one export's file to the store and marks it DONE. Run again, it writes it again. */
export async function writeExport(
  deps: ExportDeps,
  exportId: string,
  ctx: Pick<TaskContext, 'signal'>,
): Promise<void> {
  const [raw] = (await deps.ds.query(`SELECT * FROM exports WHERE id = $1`, [exportId])) as Record<
    string,
    unknown
  >[];
  if (!raw) return;
  const row = exportRowOf(raw);
  if (row.status !== 'RUNNING') return;
  await deps.ds.query(`UPDATE exports SET rows_written = 0 WHERE id = $1`, [row.id]);
  const key = `exports/${row.id}/${row.fileName}`;
  const stream = fileStream(deps, row, ctx.signal);
  try {
    await deps.store.putStream(key, stream, EXPORT_CONTENT_TYPE);
  } catch (err) {
    if (!(err instanceof LinesLostError)) throw err;
    // Running it again cannot bring the lines back.
    deps.log.warn({ exportId: row.id, err }, 'export failed');
    await failExport(deps.ds, row.id, LINES_LOST);
    await deps.store.delete(key).catch(() => undefined);
    return;
  } finally {
    stream.destroy();
  }
  await deps.ds.query(
    `UPDATE exports SET status = 'DONE', finished_at = now(), object_key = $2,
       rows_written = total_rows
     WHERE id = $1 AND status = 'RUNNING'`,
    [row.id, key],
  );
  await deps.ds.query(`DELETE FROM export_lines WHERE export_id = $1`, [row.id]);
}

/** Removes exports, and their files, EXPORT_RETENTION_HOURS after they finish. */
export async function sweepExports(deps: ExportDeps, signal?: AbortSignal): Promise<number> {
  let removed = 0;
  for (;;) {
    signal?.throwIfAborted();
    const due = (await deps.ds.query(
      `SELECT id, object_key FROM exports WHERE finished_at <= $1 ORDER BY finished_at LIMIT ${SWEEP_BATCH}`,
      [retentionCutoff({ app: deps as App })],
    )) as { id: string; object_key: string | null }[];
    if (!due.length) return removed;
    for (const e of due) {
      if (e.object_key) await deps.store.delete(e.object_key);
      await deps.ds.query(`DELETE FROM exports WHERE id = $1`, [e.id]);
      removed++;
    }
  }
}

/**
 * The exports feature's background work, registered with the job facility: writing each
 * export's file (a few attempts, then FAILED; the facility's lease hands the export of a process
 * that died to another, or fails it, within a minute), and the retention sweep.
 */
export function registerExportTasks(jobs: Jobs, deps: ExportDeps, sweepEveryMs = 60_000): void {
  jobs.task(EXPORT_TASK, {
    async run({ exportId }, ctx) {
      await writeExport(deps, exportId, ctx);
    },
    maxAttempts: 2,
    retryDelayMs: () => 1_000,
    leaseMs: 30_000,
    concurrency: 2,
    async onGiveUp({ exportId }, { em, reason }) {
      deps.log.warn({ exportId, reason }, 'export failed');
      await failExport(em, exportId, STORE_FAILED);
    },
  });
  jobs.periodic(EXPORT_RETENTION_TASK, {
    everyMs: sweepEveryMs,
    async run({ signal }) {
      const removed = await sweepExports(deps, signal);
      if (removed) deps.log.info({ removed }, 'removed expired exports');
    },
  });
}
