import type { DataSource } from 'typeorm';
import type { App, Context } from '../platform/context';
import { signToken } from '../auth/tokens';
import type { Viewer } from '../auth/viewer';
import type { PlaygroundOptions } from './playground';
import { DEMO_IDS } from './demo-data';
import { disputableCallIds } from './demo-disputes';
import { demoExportId } from './demo-exports';
import {
  fillPlaceholders,
  loadExamples,
  type ExampleRole,
  type PlaceholderValues,
} from './examples';

/** Stands in where the demo has nothing left to show (the example then answers null). */
const NONE = '00000000-0000-4000-8000-000000000000';

/** The statistics example's range: the 90 days up to now. */
export const statsRange = (now: Date) => ({
  statsFrom: new Date(now.getTime() - 90 * 86_400_000).toISOString(),
  statsTo: now.toISOString(),
});

/**
 * The ids the examples' placeholders stand for, read from the demo data as it is now: a call
 * Ann may dispute, Acme's pending disputes (the newest three for the decision examples, the
 * oldest two for the comment and withdrawal examples), the latest decided one (shown, and
 * reopened by the reopening example while it is its call's latest dispute), the statistics'
 * range, and the export the progress example follows (`exportId`: see demoExportId).
 */
export async function demoPlaceholderValues(
  ds: DataSource,
  now: Date,
  exportId: string | null = null,
): Promise<PlaceholderValues> {
  const acme = DEMO_IDS.accounts.acme;
  const [callId] = await disputableCallIds(ds, acme, now, 1);
  const pending = (
    (await ds.query(
      `SELECT id FROM disputes WHERE buyer_id = $1 AND status = 'PENDING' ORDER BY created_at DESC, id`,
      [acme],
    )) as { id: string }[]
  ).map((r) => r.id);
  const [decided] = (await ds.query(
    `SELECT id FROM disputes WHERE buyer_id = $1 AND decided_at IS NOT NULL ORDER BY decided_at DESC, id LIMIT 1`,
    [acme],
  )) as { id: string }[];
  const [reopenable] = (await ds.query(
    `SELECT d.id FROM disputes d WHERE d.buyer_id = $1 AND d.decided_at IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM disputes o WHERE o.call_id = d.call_id
                         AND (o.created_at, o.id) > (d.created_at, d.id))
      ORDER BY d.decided_at DESC, d.id LIMIT 1`,
    [acme],
  )) as { id: string }[];
  return {
    disputableCallId: callId ?? NONE,
    pendingDisputeId: pending[0] ?? NONE,
    bulkDisputeIds: [pending[1] ?? NONE, pending[2] ?? NONE],
    decidedDisputeId: decided?.id ?? NONE,
    commentableDisputeId: pending[3] ?? NONE,
    withdrawableDisputeId: pending[4] ?? NONE,
    reopenableDisputeId: reopenable?.id ?? NONE,
    exportId: exportId ?? NONE,
    ...statsRange(now),
  };
}

/**
 * What the playground opens with on demo data: Ann's token in the Headers editor and one tab
 * per example of examples/operations, each carrying the token of its role (Ann the buyer, Max
 * the editing manager), so switching role is switching tab. null when the demo users are gone.
 * Starts Max's demo export where he has none kept, for the export progress tab to follow.
 * `contextFor` is the composition root's request context for a viewer.
 */
export async function demoPlaygroundDefaults(
  app: App,
  contextFor: (viewer: Viewer) => Context,
  now = app.now(),
): Promise<Pick<PlaygroundOptions, 'defaultHeaders' | 'tabs'> | null> {
  const { ds } = app;
  const jwtSecret = app.config.JWT_SECRET;
  const userIds = [DEMO_IDS.users.ann, DEMO_IDS.users.max];
  const found = (await ds.query('SELECT count(*)::int AS n FROM users WHERE id = ANY($1)', [
    userIds,
  ])) as { n: number }[];
  if (found[0]?.n !== userIds.length) return null;
  const headers: Record<ExampleRole, Record<string, string>> = {
    buyer: { Authorization: `Bearer ${await signToken(jwtSecret, DEMO_IDS.users.ann)}` },
    manager: { Authorization: `Bearer ${await signToken(jwtSecret, DEMO_IDS.users.max)}` },
  };
  // The playground opens without it rather than the server not starting.
  const exportId = await demoExportId(app, contextFor).catch((err: unknown) => {
    app.log.warn({ err }, 'the demo export did not start');
    return null;
  });
  const values = await demoPlaceholderValues(ds, now, exportId);
  return {
    defaultHeaders: headers.buyer,
    tabs: loadExamples().map((e) => ({
      query: e.query,
      variables: e.variables && fillPlaceholders(e.variables, values),
      headers: headers[e.role],
    })),
  };
}
