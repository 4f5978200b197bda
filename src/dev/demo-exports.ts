import type { App, Context } from '../platform/context';
import { loadViewer, type Viewer } from '../auth/viewer';
import { retentionCutoff, startDisputeExport } from '../exports/export.service';
import type { DisputeExportInput } from '../exports/export.types';
import { DEMO_IDS } from './demo-data';

/**
 * What the demo's own export lists: Max's review queue (the pending disputes, nearest review
 * deadline first) in the columns of his Manage Disputes table, as the playground's Disputes
 * export tab (examples/operations/28-…) does with columns of its own.
 */
export const DEMO_EXPORT_INPUT: DisputeExportInput = {
  filter: { status: ['PENDING'] },
  orderBy: { field: 'REVIEW_DUE_AT', direction: 'ASC' },
};

/**
 * The export the playground's exportProgress tab follows (rule 19): the demo manager's newest
 * export still kept and not FAILED, or, where there is none (a first start, or retention removed
 * them EXPORT_RETENTION_HOURS after they finished), one started now through the exports
 * feature, whose background job then writes its file like any other. null when Max is gone.
 * `contextFor` is the composition root's request context for a viewer.
 */
export async function demoExportId(
  app: App,
  contextFor: (viewer: Viewer) => Context,
): Promise<string | null> {
  const max = await loadViewer(app.ds, DEMO_IDS.users.max);
  if (!max) return null;
  const [kept] = (await app.ds.query(
    `SELECT id FROM exports
      WHERE user_id = $1 AND status <> 'FAILED' AND (finished_at IS NULL OR finished_at > $2)
      ORDER BY created_at DESC, id DESC LIMIT 1`,
    [max.id, retentionCutoff({ app })],
  )) as { id: string }[];
  if (kept) return kept.id;
  return (await startDisputeExport(contextFor(max), max, DEMO_EXPORT_INPUT)).id;
}
