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
/** Exports removed per statement of the sweep. */
const SWEEP_BATCH = 200;

const BOM = '\ufeff';
const CRLF = '\r\n';

/** What a FAILED export says: no internals. */
export const STORE_FAILED =
  'The file could not be written to storage. Start the export again later.';

export type ExportDeps = Pick<App, 'ds' | 'store' | 'log' | 'now' | 'config'>;

/**
 * The file of an export as a stream: the byte-order mark, the header, then each line the start
 * wrote (export_lines, in position order), each ending in CRLF, read a batch at a time so the
 * file is never held in memory. Saves rowsWritten as it goes.
 */
function fileStream(deps: ExportDeps, row: ExportRow, signal: AbortSignal): Readable {
  async function* lines(): AsyncGenerator<string> {
    yield BOM + headerLine(row.columns) + CRLF;
    let after = 0;
    let written = 0;
    let reported = 0;
    let reportedAt = Date.now();
    for (;;) {
      signal.throwIfAborted();
      const batch = (await deps.ds.query(
        `SELECT position, line FROM export_lines
         WHERE export_id = $1 AND position > $2 ORDER BY position LIMIT ${BATCH_ROWS}`,
        [row.id, after],
      )) as { position: number; line: string }[];
      if (!batch.length) return;
      after = batch[batch.length - 1]!.position;
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
  }
  return Readable.from(lines());
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
      await em.query(
        `UPDATE exports SET status = 'FAILED', finished_at = now(), error = $2
         WHERE id = $1 AND status = 'RUNNING'`,
        [exportId, STORE_FAILED],
      );
      await em.query(`DELETE FROM export_lines WHERE export_id = $1`, [exportId]);
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
