import { Client } from '../support/client';
import { LiveClient } from '../support/live';
import {
  closeDb,
  createWorld,
  db,
  HOUR,
  insertAccount,
  insertCall,
  insertCampaign,
  insertDispute,
  insertUser,
  type World,
} from '../support/seed';
import { readTestEnv, startApiProcess, type ApiProcess } from '../support/services';
import { startStallingStore } from '../support/stalling-store';
import { isolatedDatabase, waitFor } from '../support/webhooks';

/** Rule 19 against the suite's API and store, and a store that stops answering. */

const EXPORT_FIELDS = `id table status columns rowsWritten totalRows fileName createdAt finishedAt url error`;
const EXPORT_CALLS = `mutation ($input: CallExportInput!) { exportCalls(input: $input) { ${EXPORT_FIELDS} } }`;
const EXPORT_DISPUTES = `mutation ($input: DisputeExportInput!) { exportDisputes(input: $input) { ${EXPORT_FIELDS} } }`;
const EXPORT = `query ($id: ID!) { export(id: $id) { ${EXPORT_FIELDS} } }`;
const EXPORTS = `query { exports(first: 100) { totalCount nodes { id status } } }`;
const PROGRESS = `subscription ($id: ID!) { exportProgress(id: $id) { id status rowsWritten totalRows } }`;

interface ExportValue {
  id: string;
  status: string;
  columns: string[];
  rowsWritten: number;
  totalRows: number;
  fileName: string;
  url: string | null;
  error: string | null;
}

async function finished(client: Client, id: string): Promise<ExportValue> {
  return waitFor(
    'the export to finish',
    async () => {
      const res = await client.raw<{ export: ExportValue | null }>(EXPORT, { id });
      const e = res.data?.export;
      return e && e.status !== 'RUNNING' ? e : undefined;
    },
    20_000,
  ) as Promise<ExportValue>;
}

async function download(e: ExportValue): Promise<Buffer> {
  expect(e.status).toBe('DONE');
  const res = await fetch(e.url!);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

/** The file's rows as cells (enough for files without quoted line breaks). */
function rowsOf(file: Buffer): string[][] {
  const text = file.toString('utf8');
  expect(text.startsWith('\ufeff')).toBe(true);
  expect(text.endsWith('\r\n')).toBe(true);
  return text
    .slice(1, -2)
    .split('\r\n')
    .map((line) => line.split(','));
}

let w: World;
beforeAll(async () => {
  w = await createWorld();
});
afterAll(closeDb);

describe('the file', () => {
  it('is UTF-8 with a BOM, CRLF, the titles, enum names, DateTime and Decimal as the API writes them, and quoted and guarded cells', async () => {
    const account = await insertAccount({ name: 'Quote, "Co"', currency: 'EUR' });
    const buyer = await insertUser({ role: 'BUYER', accountId: account, permissions: [] });
    const campaign = await insertCampaign({ name: '=Solar, leads' });
    const older = await insertCall({
      buyerId: account,
      campaignId: campaign,
      startedAt: new Date('2026-11-20T10:00:00.123Z'),
      callerId: '+15551230001',
      payoutMinor: 3775,
      recordingKey: 'recordings/x.mp3',
    });
    const newer = await insertCall({
      buyerId: account,
      campaignId: campaign,
      startedAt: new Date('2026-11-21T08:30:00Z'),
      callerId: '5551230002',
      destination: 'line\nbreak',
      payoutMinor: 5,
      status: 'CALL_NOT_CONNECTED_NO_CONVERSION',
    });
    await db().query(`UPDATE calls SET hangup_cause = 'busy, "user"' WHERE id = $1`, [older]);
    const client = await Client.forUser(buyer);
    const res = await client.raw<{ exportCalls: ExportValue }>(EXPORT_CALLS, {
      input: {
        columns: [
          'CALL_DATE',
          'CALLER_ID',
          'DESTINATION',
          'PAYOUT',
          'CURRENCY',
          'STATUS',
          'HANGUP',
          'CAMPAIGN',
          'RECORDING',
          'CALL_ID',
        ],
      },
    });
    expect(res.errors).toBeUndefined();
    const started = res.data!.exportCalls;
    expect(started).toMatchObject({ table: 'CALL_LOG', totalRows: 2, url: null });
    expect(started.fileName).toMatch(/^calls-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z\.csv$/);
    const done = await finished(client, started.id);
    expect(done).toMatchObject({ status: 'DONE', rowsWritten: 2, totalRows: 2, error: null });
    expect(done.url).toMatch(/X-Amz-Expires=(\d+)/);
    expect(Number(/X-Amz-Expires=(\d+)/.exec(done.url!)![1])).toBeLessThanOrEqual(900);
    const file = await download(done);
    expect(file.toString('utf8')).toBe(
      '\ufeff' +
        'Call Date,Caller ID,Destination,Payout,Currency,Status,Hangup,Campaign,Recording,Call ID\r\n' +
        `2026-11-21T08:30:00.000Z,5551230002,"line\nbreak",0.05,EUR,CALL_NOT_CONNECTED_NO_CONVERSION,CALLER,"'=Solar, leads",no,${newer}\r\n` +
        `2026-11-20T10:00:00.123Z,'+15551230001,'+18005550100,37.75,EUR,COMPLETED_WITH_CONVERSION,"CALLER: busy, ""user""","'=Solar, leads",yes,${older}\r\n`,
    );
  });

  it('lists exactly the rows, in the order, the Disputes page lists for the same filter, search and order, as of the start', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const call = await insertCall({
        buyerId: w.ids.accountA,
        campaignId: w.ids.campaign,
        startedAt: new Date(Date.now() - (i + 2) * HOUR),
        payoutMinor: [1000, 2000, 1000, 3000][i % 4],
        callerId: i % 3 === 0 ? `+1777000${i}` : `+1555000${i}`,
      });
      ids.push(
        await insertDispute({
          callId: call,
          createdBy: w.ids.buyerA,
          status: i % 2 ? 'PENDING' : 'REJECTED',
          decidedBy: w.ids.editManager,
          reason: i % 4 ? 'INVALID_CALLER' : 'DUPLICATE_CALL',
        }),
      );
    }
    const args = {
      filter: { status: ['PENDING', 'REJECTED'] },
      search: '555000',
      orderBy: { field: 'PAYOUT', direction: 'DESC' },
    };
    const page = await w.as.buyerA.raw<{ disputes: { nodes: { id: string }[] } }>(
      `query ($filter: DisputeFilter, $search: String, $orderBy: DisputeOrder) {
         disputes(filter: $filter, search: $search, orderBy: $orderBy, first: 100) { nodes { id } } }`,
      args,
    );
    expect(page.errors).toBeUndefined();
    const listed = page.data!.disputes.nodes.map((n) => n.id);
    expect(listed.length).toBeGreaterThan(3);
    const res = await w.as.buyerA.raw<{ exportDisputes: ExportValue }>(EXPORT_DISPUTES, {
      input: { ...args, columns: ['DISPUTE_ID', 'STATUS', 'DECISION', 'ADJUSTMENT', 'REASON'] },
    });
    expect(res.errors).toBeUndefined();
    // Changed and created after the start: neither in the file.
    await db().query(`UPDATE disputes SET reason = 'OTHER' WHERE id = ANY($1)`, [ids]);
    const late = await insertCall({
      buyerId: w.ids.accountA,
      campaignId: w.ids.campaign,
      callerId: '+15550009',
    });
    await insertDispute({ callId: late, createdBy: w.ids.buyerA });
    const done = await finished(w.as.buyerA, res.data!.exportDisputes.id);
    const rows = rowsOf(await download(done));
    expect(rows[0]).toEqual(['Dispute ID', 'Status', 'Decision', 'Adjustment', 'Reason']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(listed);
    expect(rows.slice(1).every((r) => r[1] === 'PENDING' || r[1] === 'REJECTED')).toBe(true);
    for (const r of rows.slice(1)) {
      expect(r.slice(2, 4)).toEqual(r[1] === 'PENDING' ? ['', ''] : ['REJECTED', '0.00']);
      expect(r[4]).not.toBe('OTHER');
    }
  });

  it("defaults to the role's columns and refuses columns rule 18 refuses, naming `columns`", async () => {
    const res = await w.as.buyerA.raw<{ exportCalls: ExportValue }>(EXPORT_CALLS, { input: {} });
    expect(res.data?.exportCalls.columns).toEqual([
      'CALL_DATE',
      'CALLER_ID',
      'DESTINATION',
      'PAYOUT',
      'STATUS',
      'DURATION',
      'DISPUTABILITY',
    ]);
    await finished(w.as.buyerA, res.data!.exportCalls.id);
    for (const columns of [[], ['BUYER'], ['CALL_ID', 'CALL_ID'], ['REASON']]) {
      const bad = await w.as.buyerA.raw(EXPORT_CALLS, { input: { columns } });
      expect(bad.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'columns',
      });
    }
    const forbidden = await w.as.buyerANoPerm.raw(EXPORT_DISPUTES, { input: {} });
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('ownership', () => {
  it("another user's export is null, unlisted, and NOT_FOUND to exportProgress, exactly like a missing one", async () => {
    const res = await w.as.buyerA.raw<{ exportCalls: ExportValue }>(EXPORT_CALLS, { input: {} });
    const id = res.data!.exportCalls.id;
    for (const other of [w.as.buyerA2, w.as.editManager]) {
      const one = await other.raw(EXPORT, { id });
      expect(one).toMatchObject({ data: { export: null } });
      expect(one.errors).toBeUndefined();
      const list = await other.raw<{ exports: { nodes: { id: string }[] } }>(EXPORTS);
      expect(list.data!.exports.nodes.map((n) => n.id)).not.toContain(id);
    }
    const own = await w.as.buyerA.raw<{ exports: { nodes: { id: string }[] } }>(EXPORTS);
    expect(own.data!.exports.nodes[0]!.id).toBe(id);

    const live = await LiveClient.forUser(w.ids.buyerA2);
    try {
      for (const probe of [id, '00000000-0000-4000-8000-000000000000']) {
        const feed = live.subscribe(PROGRESS, { id: probe });
        const error = await feed.firstError();
        expect(error.extensions?.code).toBe('NOT_FOUND');
        expect(feed.values).toEqual([]);
      }
    } finally {
      await live.close();
    }
  });

  it('exportProgress sends the current state at once, then DONE, then completes', async () => {
    const live = await LiveClient.forUser(w.ids.buyerA);
    try {
      const res = await w.as.buyerA.raw<{ exportCalls: ExportValue }>(EXPORT_CALLS, { input: {} });
      const id = res.data!.exportCalls.id;
      const feed = live.subscribe<
        { exportProgress: { status: string; rowsWritten: number } },
        { id: string }
      >(PROGRESS, { id });
      await feed.until((v) => v.some((x) => x.exportProgress.status === 'DONE'), 15_000);
      await waitFor('the subscription to complete', () => feed.completed, 5_000);
      const last = feed.values[feed.values.length - 1]!.exportProgress;
      expect(last.status).toBe('DONE');
      expect(feed.errors).toEqual([]);
    } finally {
      await live.close();
    }
  });
});

describe('limits', () => {
  it('refuses an export of more than 1,000,000 rows, naming `input`, and starts nothing', async () => {
    const account = await insertAccount();
    const buyer = await insertUser({ role: 'BUYER', accountId: account, permissions: [] });
    const campaign = await insertCampaign();
    await db().query(
      `INSERT INTO calls (id, buyer_id, campaign_id, started_at, caller_id, destination,
         original_payout_minor, payout_minor, duration_seconds, status)
       SELECT gen_random_uuid(), $1, $2, now() - n * interval '1 second', '+15550000000',
         '+18005550100', 100, 100, 10, 'COMPLETED_NO_CONVERSION'
       FROM generate_series(1, 1000001) n`,
      [account, campaign],
    );
    try {
      const client = await Client.forUser(buyer);
      const res = await client.raw(EXPORT_CALLS, { input: {} });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input' });
      const { rows } = await db().query(
        `SELECT count(*)::int AS n FROM exports WHERE user_id = $1`,
        [buyer],
      );
      expect(rows[0].n).toBe(0);
    } finally {
      await db().query(`DELETE FROM calls WHERE buyer_id = $1`, [account]);
    }
  }, 300_000);
});

describe('retention', () => {
  it('an export finished EXPORT_RETENTION_HOURS ago is null at once, and the sweep removes it and its file', async () => {
    const res = await w.as.buyerA2.raw<{ exportCalls: ExportValue }>(EXPORT_CALLS, { input: {} });
    const done = await finished(w.as.buyerA2, res.data!.exportCalls.id);
    expect((await fetch(done.url!)).status).toBe(200);
    await db().query(
      `UPDATE exports SET finished_at = now() - interval '24 hours 1 minute' WHERE id = $1`,
      [done.id],
    );
    expect((await w.as.buyerA2.raw(EXPORT, { id: done.id })).data).toEqual({ export: null });
    // The sweep runs every minute.
    await waitFor(
      'the sweep',
      async () =>
        (await db().query(`SELECT 1 FROM exports WHERE id = $1`, [done.id])).rowCount === 0,
      75_000,
    );
    expect((await fetch(done.url!)).status).toBe(404);
  }, 90_000);
});

/**
 * A proxy in front of the store that passes everything through except the uploads of export
 * files: those it accepts and never answers, as a hung store does.
 */
const startHangingStore = (target: string) =>
  startStallingStore(target, (req) => (req.url ?? '').includes('/exports/'));

describe('on a store that hangs (a database and API process of their own)', () => {
  let database: Awaited<ReturnType<typeof isolatedDatabase>>;
  let api: ApiProcess;
  let store: Awaited<ReturnType<typeof startHangingStore>>;
  beforeAll(async () => {
    const env = readTestEnv();
    database = await isolatedDatabase('exports');
    store = await startHangingStore(env.s3.endpoint);
    api = await startApiProcess({
      DATABASE_URL: database.url,
      S3_ENDPOINT: store.url,
      S3_ACCESS_KEY: env.s3.accessKey,
      S3_SECRET_KEY: env.s3.secretKey,
      S3_BUCKET: env.s3.bucket,
      S3_REGION: env.s3.region,
    });
  }, 90_000);
  afterAll(async () => {
    await api?.stop();
    await store?.close();
    await database?.drop();
  });

  it('of 3 concurrent starts exactly 2 run (the third is BAD_USER_INPUT naming `input`), and both end FAILED without internals', async () => {
    const { pool } = database;
    const account = (
      await pool.query(
        `INSERT INTO accounts (id, name, dispute_window_hours, currency) VALUES (gen_random_uuid(), 'Hung', 72, 'USD') RETURNING id`,
      )
    ).rows[0].id as string;
    const user = (
      await pool.query(
        `INSERT INTO users (id, name, email, role, account_id, permissions)
         VALUES (gen_random_uuid(), 'Hugh', 'hugh@test.example', 'BUYER', $1, '{}') RETURNING id`,
        [account],
      )
    ).rows[0].id as string;
    const campaign = (
      await pool.query(
        `INSERT INTO campaigns (id, name) VALUES (gen_random_uuid(), 'Hung campaign') RETURNING id`,
      )
    ).rows[0].id as string;
    await pool.query(
      `INSERT INTO calls (id, buyer_id, campaign_id, started_at, caller_id, destination,
         original_payout_minor, payout_minor, duration_seconds, status)
       SELECT gen_random_uuid(), $1, $2, now() - n * interval '1 minute', '+15550000000',
         '+18005550100', 100, 100, 10, 'COMPLETED_NO_CONVERSION'
       FROM generate_series(1, 20000) n`,
      [account, campaign],
    );
    const client = await Client.forUser(user, api.url);
    const starts = await Promise.all(
      [1, 2, 3].map(() => client.raw<{ exportCalls: ExportValue }>(EXPORT_CALLS, { input: {} })),
    );
    const started = starts.filter((r) => !r.errors).map((r) => r.data!.exportCalls);
    const refused = starts.filter((r) => r.errors);
    expect(started).toHaveLength(2);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input',
    });
    expect(started.every((e) => e.status === 'RUNNING' && e.totalRows === 20000)).toBe(true);
    for (const e of started) {
      const failed = await waitFor(
        'the export to fail',
        async () => {
          const res = await client.raw<{ export: ExportValue }>(EXPORT, { id: e.id });
          return res.data?.export.status === 'FAILED' ? res.data.export : undefined;
        },
        60_000,
      );
      expect(failed).toMatchObject({ status: 'FAILED', url: null });
      expect(failed!.error).toMatch(/could not be written/);
      expect(failed!.error).not.toMatch(/127\.0\.0\.1|timeout|Error/i);
    }
    expect(store.stalled).toBeGreaterThanOrEqual(2);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM export_lines`);
    expect(rows[0].n).toBe(0);
  }, 120_000);
  it('an export whose process dies is finished by the next process within a minute', async () => {
    const { pool } = database;
    const { rows } = await pool.query<{ id: string }>(
      `SELECT id FROM users WHERE email = 'hugh@test.example'`,
    );
    const client = await Client.forUser(rows[0]!.id, api.url);
    const res = await client.raw<{ exportCalls: ExportValue }>(EXPORT_CALLS, { input: {} });
    expect(res.errors).toBeUndefined();
    const id = res.data!.exportCalls.id;
    // Killed while its upload hangs: its lease is not renewed any more.
    await api.stop('SIGKILL');
    const env = readTestEnv();
    api = await startApiProcess({
      DATABASE_URL: database.url,
      S3_ENDPOINT: env.s3.endpoint,
      S3_ACCESS_KEY: env.s3.accessKey,
      S3_SECRET_KEY: env.s3.secretKey,
      S3_BUCKET: env.s3.bucket,
      S3_REGION: env.s3.region,
    });
    const started = Date.now();
    const again = await Client.forUser(rows[0]!.id, api.url);
    const done = await waitFor(
      'the export to finish',
      async () => {
        const r = await again.raw<{ export: ExportValue }>(EXPORT, { id });
        return r.data?.export.status !== 'RUNNING' ? r.data?.export : undefined;
      },
      60_000,
    );
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(done).toMatchObject({ status: 'DONE', rowsWritten: 20000, totalRows: 20000 });
    expect(rowsOf(await download(done!))).toHaveLength(20001);
  }, 120_000);
});
