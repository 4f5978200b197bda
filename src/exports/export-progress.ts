import type { Context } from '../platform/context';
import { requireViewer } from '../auth/viewer';
import { findOwnExport } from './export.service';
import type { ExportRow } from './export.types';

/** How often a follower reads the export's row. */
const POLL_MS = 1_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An export as it goes: the row at once, then each change of its progress or status (read
 * every second, so any instance's job is followed), ending after DONE or FAILED, or when the
 * export is gone. The job saves progress every 5,000 rows or 2 s; a follower sees each save
 * within a second.
 */
export async function* followExport(ctx: Context, first: ExportRow): AsyncGenerator<ExportRow> {
  const viewer = requireViewer(ctx.viewer);
  let last = first;
  yield first;
  while (last.status === 'RUNNING') {
    await sleep(POLL_MS);
    const row = await findOwnExport(ctx, viewer, first.id);
    if (!row) return;
    if (row.status !== last.status || row.rowsWritten !== last.rowsWritten) yield row;
    last = row;
  }
}
