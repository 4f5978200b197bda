import type { Client as PgClient, QueryConfig } from 'pg';
import type { Context } from '../platform/context';
import type { Viewer } from '../auth/viewer';
import { ownRowsSql } from '../auth/visibility';
import { badInput } from '../platform/errors';
import { isUuid } from '../platform/ids';
import { Conditions, countRows } from '../platform/sql-conditions';
import { checkFirst, type Page } from '../platform/pagination';
import { keysetSqlPage, newestFirst } from '../platform/keyset';
import { withTransaction } from '../platform/transaction';
import { enqueueJob, taskKind } from '../platform/jobs';
import { MAX_SIGNED_URL_SECONDS } from '../platform/minio-object-store';
import { disputeListSql } from '../disputes/dispute-queries';
import { callLogSql } from '../calls/call.service';
import { exportColumns, lineSql, type TableColumn, type TableName } from './export-columns';
import type { CallExportInput, DisputeExportInput, ExportRow } from './export.types';

/** At most this many rows a file (rule 19). */
export const MAX_EXPORT_ROWS = 1_000_000;
/** At most this many RUNNING exports a user. */
export const MAX_RUNNING_EXPORTS = 2;
/** The lines of a large export take a while to write when it starts. */
const START_TIMEOUT_MS = 10 * 60_000;
/** The first key of the advisory lock that serializes one user's starts. */
const START_LOCK = 1_764_370_000;

/** The job that writes an export's file. */
export const EXPORT_TASK = taskKind<{ exportId: string }>('exports.write');

export const EXPORT_CONTENT_TYPE = 'text/csv; charset=utf-8';

export function exportRowOf(raw: Record<string, unknown>): ExportRow {
  return {
    id: raw.id as string,
    userId: raw.user_id as string,
    table: raw.table as ExportRow['table'],
    status: raw.status as ExportRow['status'],
    columns: raw.columns as ExportRow['columns'],
    rowsWritten: Number(raw.rows_written),
    totalRows: Number(raw.total_rows),
    fileName: raw.file_name as string,
    objectKey: (raw.object_key as string | null) ?? null,
    error: (raw.error as string | null) ?? null,
    createdAt: raw.created_at as Date,
    finishedAt: (raw.finished_at as Date | null) ?? null,
  };
}

/** disputes-2026-12-07T10-00-00Z.csv */
function fileNameOf(table: TableName, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-');
  return `${table === 'DISPUTES' ? 'disputes' : 'calls'}-${stamp}.csv`;
}

/** The viewer's exports not yet removed by retention: `e` is `exports`. */
function ownExports(ctx: Context, viewer: Viewer): Conditions {
  const where = new Conditions();
  where.and(ownRowsSql(viewer, 'e.user_id', where.bind));
  where.and(`e.finished_at IS NULL OR e.finished_at > ${where.bind(retentionCutoff(ctx))}`);
  return where;
}

export function retentionCutoff(ctx: { app: Context['app'] }): Date {
  return new Date(ctx.app.now().getTime() - ctx.app.config.EXPORT_RETENTION_HOURS * 3_600_000);
}

/** One of the viewer's own exports; null for anyone else's, an unknown or a removed one. */
export async function findOwnExport(
  ctx: Context,
  viewer: Viewer,
  id: string,
): Promise<ExportRow | null> {
  if (!isUuid(id)) return null;
  const where = ownExports(ctx, viewer);
  where.and(`e.id = ${where.bind(id)}`);
  const [raw] = (await ctx.app.ds.query(
    `SELECT e.* FROM exports e ${where.where}`,
    where.params,
  )) as Record<string, unknown>[];
  return raw ? exportRowOf(raw) : null;
}

const NEWEST_FIRST = newestFirst<ExportRow>('e', 'created_at', (e) => e.createdAt);

/** The viewer's exports, newest first. */
export function listOwnExports(
  ctx: Context,
  viewer: Viewer,
  args: { first: number; after?: string | null },
): Promise<Page<ExportRow>> {
  return keysetSqlPage({
    ds: ctx.app.ds,
    select: 'SELECT e.* FROM exports e',
    conditions: ownExports(ctx, viewer),
    tag: 'exports',
    keys: NEWEST_FIRST,
    first: checkFirst(args.first),
    after: args.after,
    count: () => countRows(ctx.app.ds, 'exports e', ownExports(ctx, viewer)),
    fromRaw: exportRowOf,
  });
}

/** A signed download of a DONE export's file, issued afresh; null otherwise. */
export async function exportUrl(ctx: Context, row: ExportRow): Promise<string | null> {
  if (row.status !== 'DONE' || !row.objectKey) return null;
  return ctx.app.store.signedDownload(row.objectKey, {
    expiresInSeconds: MAX_SIGNED_URL_SECONDS,
    fileName: row.fileName,
    contentType: EXPORT_CONTENT_TYPE,
  });
}

export async function startDisputeExport(
  ctx: Context,
  viewer: Viewer,
  input: DisputeExportInput,
): Promise<ExportRow> {
  // Refuses without the permission of `disputes` (FORBIDDEN), then checks the rest.
  const list = disputeListSql(ctx, viewer, input);
  const columns = await exportColumns(ctx, 'DISPUTES', viewer, input.columns);
  return startExport(ctx, viewer, 'DISPUTES', columns, list, {
    filter: input.filter ?? null,
    search: input.search ?? null,
    orderBy: input.orderBy ?? null,
  });
}

export async function startCallExport(
  ctx: Context,
  viewer: Viewer,
  input: CallExportInput,
): Promise<ExportRow> {
  const list = callLogSql(ctx, viewer, input.filter ?? undefined);
  const columns = await exportColumns(ctx, 'CALL_LOG', viewer, input.columns);
  return startExport(ctx, viewer, 'CALL_LOG', columns, list, { filter: input.filter ?? null });
}

const tooMany = () =>
  badInput(
    'input',
    `lists more than ${MAX_EXPORT_ROWS.toLocaleString('en-US')} rows; narrow the filter.`,
  );

/**
 * Starts an export, all in one transaction or nothing: under a lock of the viewer's own, at
 * most 2 RUNNING; the export's row; every line of its file, written by one statement from the
 * page's own filter and order, so the file holds the rows and values as of that statement
 * (rows created or changed later neither appear nor change in it); and the job that uploads it.
 */
async function startExport(
  ctx: Context,
  viewer: Viewer,
  table: TableName,
  columns: readonly TableColumn[],
  list: { from: string; where: Conditions; orderBy: string },
  filter: Record<string, unknown>,
): Promise<ExportRow> {
  const { ds } = ctx.app;
  const now = ctx.app.now();
  // An early refusal, before anything is written; the statement that writes the lines counts
  // again, exactly. Counting up to a million rows may take longer than a request's statement
  // bound, so it has the start's own.
  const [over] = await withTransaction(ds, async (em) => {
    await em.query(`SET LOCAL statement_timeout = ${START_TIMEOUT_MS}`);
    return (await em.query(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${list.from} ${list.where.where} LIMIT ${MAX_EXPORT_ROWS + 1}) s`,
      list.where.params,
    )) as { n: number }[];
  });
  if ((over?.n ?? 0) > MAX_EXPORT_ROWS) throw tooMany();

  const where = list.where;
  const line = lineSql(table, columns, viewer, now, where.bind);
  return withTransaction(ds, async (em) => {
    await em.query(`SET LOCAL statement_timeout = ${START_TIMEOUT_MS}`);
    await em.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [START_LOCK, viewer.id]);
    // READ COMMITTED: this statement sees every start committed before the lock was granted.
    const [running] = (await em.query(
      `SELECT count(*)::int AS n FROM exports WHERE user_id = $1 AND status = 'RUNNING'`,
      [viewer.id],
    )) as { n: number }[];
    if ((running?.n ?? 0) >= MAX_RUNNING_EXPORTS) {
      throw badInput(
        'input',
        `${MAX_RUNNING_EXPORTS} of your exports are still running; start another when one finishes.`,
      );
    }
    const [inserted] = (await em.query(
      `INSERT INTO exports (user_id, "table", columns, filter, file_name)
       VALUES ($1, $2, $3, $4::jsonb, $5) RETURNING id`,
      [viewer.id, table, columns, JSON.stringify(filter), fileNameOf(table, now)],
    )) as { id: string }[];
    const id = inserted!.id;
    const limit = MAX_EXPORT_ROWS + 1;
    // The pool's clients give up on a statement after DB_STATEMENT_TIMEOUT_MS; this one may take
    // longer for a large export, so it runs on the transaction's own client with a longer bound.
    const client = (await em.queryRunner!.connect()) as PgClient;
    const { rows: countedRows } = await client.query<{ n: number }>({
      query_timeout: START_TIMEOUT_MS + 5_000,
      text: `WITH listed AS (
         SELECT row_number() OVER (ORDER BY ${list.orderBy})::int AS position, ${line} AS line
         FROM ${list.from} ${where.where}
         ORDER BY ${list.orderBy}
         LIMIT ${limit}),
       total AS (SELECT count(*)::int AS n FROM listed),
       written AS (
         INSERT INTO export_lines (export_id, position, line)
         SELECT ${where.bind(id)}, position, line FROM listed
         WHERE (SELECT n FROM total) <= ${MAX_EXPORT_ROWS})
       SELECT n FROM total`,
      values: where.params,
    } as QueryConfig);
    const total = countedRows[0]?.n ?? 0;
    if (total > MAX_EXPORT_ROWS) throw tooMany();
    await em.query(`UPDATE exports SET total_rows = $2 WHERE id = $1`, [id, total]);
    const [raw] = (await em.query(`SELECT * FROM exports WHERE id = $1`, [id])) as Record<
      string,
      unknown
    >[];
    await enqueueJob(em, EXPORT_TASK, { exportId: id });
    return exportRowOf(raw!);
  });
}
