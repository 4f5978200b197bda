import pino from 'pino';
import type { DataSource } from 'typeorm';
import { createContext, type App } from '../../src/app/context';
import { openDatabase } from '../../src/app/database';
import { registerFeatures } from '../../src/app/registrations';
import { applyDemoData, DEMO_IDS } from '../../src/dev/demo-data';
import { demoExportId } from '../../src/dev/demo-exports';
import { demoPlaceholderValues } from '../../src/dev/demo-playground';
import { fillPlaceholders, loadExamples } from '../../src/dev/examples';
import type { Config } from '../../src/platform/config';
import { closeDb, db } from '../support/seed';
import { readTestEnv } from '../support/services';

/*
 * The demo data as `npm start` loads it on an empty database, on a database of its own (its
 * fixed IDs would meet other files' rows in the suite's): the disputes the playground's
 * examples stand on, made through the transitions.
 */

const name = `demo_${Date.now()}`;
let ds: DataSource;
const now = new Date();
beforeAll(async () => {
  // The API process registers them at start; this test writes disputes in its own process.
  registerFeatures();
  await db().query(`CREATE DATABASE ${name}`);
  const url = new URL(readTestEnv().databaseUrl);
  url.pathname = `/${name}`;
  ds = await openDatabase(url.toString(), pino({ level: 'silent' }), {
    size: 3,
    acquireTimeoutMs: 5000,
    statementTimeoutMs: 30_000,
  });
  await ds.runMigrations();
  await applyDemoData(ds, null, now);
}, 120_000);
afterAll(async () => {
  await ds?.destroy();
  await db().query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await closeDb();
});

describe('the demo data', () => {
  it('holds a Globex dispute that Max accepted and then reopened: pending again, its payout back', async () => {
    const rows = (await ds.query(
      `SELECT d.id, d.status, d.decided_at, c.payout_minor::int AS payout,
              c.original_payout_minor::int AS original,
              array_agg(e.type ORDER BY e.at, e.id) AS types,
              array_agg(e.note ORDER BY e.at, e.id) AS notes
         FROM disputes d JOIN calls c ON c.id = d.call_id
         JOIN dispute_events e ON e.dispute_id = d.id
        WHERE d.buyer_id = $1
          AND EXISTS (SELECT 1 FROM dispute_events r WHERE r.dispute_id = d.id AND r.type = 'REOPENED')
        GROUP BY d.id, c.id`,
      [DEMO_IDS.accounts.globex],
    )) as {
      id: string;
      status: string;
      decided_at: Date | null;
      payout: number;
      original: number;
      types: string[];
      notes: (string | null)[];
    }[];
    expect(rows).toHaveLength(1);
    const [d] = rows;
    expect(d).toMatchObject({ status: 'PENDING', decided_at: null });
    expect(d!.payout).toBe(d!.original);
    expect(d!.types).toEqual(['CREATED', 'RESOLVED', 'REOPENED']);
    expect(d!.notes[2]).toMatch(/95-second call/);
    const kinds = (await ds.query(
      `SELECT kind FROM notifications WHERE dispute_id = $1 AND user_id = $2 ORDER BY created_at`,
      [d!.id, DEMO_IDS.users.gina],
    )) as { kind: string }[];
    expect(kinds.map((k) => k.kind)).toEqual(['DISPUTE_RESOLVED', 'DISPUTE_REOPENED']);
  });

  it("holds Ann's saved Disputes page (the playground's settings tab), saved once however often the demo is applied", async () => {
    const saved = () =>
      ds.query(
        `SELECT table_name, columns, page_size, dispute_order_field, dispute_order_direction, version
           FROM table_settings WHERE user_id = $1`,
        [DEMO_IDS.users.ann],
      );
    const expected = [
      {
        table_name: 'DISPUTES',
        columns: [
          'STATUS',
          'CALL_DATE',
          'CALLER_ID',
          'PAYOUT',
          'REASON',
          'REVIEW_DUE_AT',
          'RECORDING',
        ],
        page_size: 50,
        dispute_order_field: 'CREATED_AT',
        dispute_order_direction: 'DESC',
        version: 1,
      },
    ];
    expect(await saved()).toEqual(expected);
    await applyDemoData(ds, null, now);
    expect(await saved()).toEqual(expected);
  });

  /** What the API process gives the playground's defaults: the parts an export start reads. */
  const app = () =>
    ({
      ds,
      config: { EXPORT_RETENTION_HOURS: 24, DUPLICATE_WINDOW_HOURS: 24 } as Config,
      log: pino({ level: 'silent' }),
      now: () => now,
    }) as unknown as App;
  const demoExport = () => demoExportId(app(), (viewer) => createContext(app(), viewer, 'demo'));

  it("starts Max's export of the review queue for the export progress example, once while it is kept", async () => {
    const id = await demoExport();
    expect(await demoExport()).toBe(id);
    const rows = (await ds.query(
      `SELECT user_id, "table", status, total_rows,
              (SELECT count(*)::int FROM disputes WHERE status = 'PENDING') AS pending
         FROM exports`,
    )) as { user_id: string; table: string; status: string; total_rows: number; pending: number }[];
    expect(rows).toHaveLength(1);
    // The background job that writes its file runs in the API process, not here.
    expect(rows[0]).toMatchObject({ user_id: DEMO_IDS.users.max, table: 'DISPUTES' });
    expect(rows[0]!.total_rows).toBe(rows[0]!.pending);
    expect(rows[0]!.pending).toBeGreaterThan(0);
  });

  it("gives every example's placeholders a dispute, call or export of the demo, the reopening example a decided latest one", async () => {
    const values = await demoPlaceholderValues(ds, now, await demoExport());
    for (const e of loadExamples()) {
      if (e.variables) expect(() => fillPlaceholders(e.variables, values)).not.toThrow();
    }
    const none = '00000000-0000-4000-8000-000000000000';
    expect(values.reopenableDisputeId).not.toBe(none);
    expect(values.exportId).not.toBe(none);
    const [d] = (await ds.query(
      `SELECT d.buyer_id, d.decided_at IS NOT NULL AS decided,
              NOT EXISTS (SELECT 1 FROM disputes o WHERE o.call_id = d.call_id
                           AND (o.created_at, o.id) > (d.created_at, d.id)) AS latest
         FROM disputes d WHERE d.id = $1`,
      [values.reopenableDisputeId],
    )) as { buyer_id: string; decided: boolean; latest: boolean }[];
    expect(d).toEqual({ buyer_id: DEMO_IDS.accounts.acme, decided: true, latest: true });
  });
});
