import {
  PendingDisputesCountLiveDocument,
  ResetTableSettingsDocument,
  SaveTableSettingsDocument,
  TableSettingsChangedDocument,
  type SaveTableSettingsInput,
  type TableSettingsChangedSubscription,
} from '../generated/graphql';
import { Client } from '../support/client';
import { eventually, LiveClient, type Feed } from '../support/live';
import { closeDb, createWorld, db, insertUser, type World } from '../support/seed';
import { readTestEnv, startApiProcess, storeEnv, type ApiProcess } from '../support/services';

/*
 * tableSettingsChanged across server instances: the suite's API (A) and a second API process
 * on the same database (B). A save or reset reaches every subscription of the same user on
 * both, and no other user's. Absence is proven by sync points, not by waiting: each process
 * routes events one at a time in commit order, and a subscription's values arrive in the order
 * they were routed, so once a later event of a feed's own user has arrived on it, an earlier
 * foreign event routed to it would have arrived before. An event is sent as the subscriber's
 * settings of the table are when it is routed, so each step waits for its values before the
 * next one writes the same table.
 */

type Changed = TableSettingsChangedSubscription['tableSettingsChanged'];

let w: World;
let b: ApiProcess;
let wsB: string;
const open: LiveClient[] = [];

beforeAll(async () => {
  w = await createWorld();
  b = await startApiProcess({ DATABASE_URL: readTestEnv().databaseUrl, ...storeEnv() });
  wsB = b.url.replace(/^http/, 'ws');
}, 90_000);

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await b?.stop();
  await closeDb();
});

/** A user's settings feed on one instance, registered on the server before this returns. */
async function feedOf(
  userId: string,
  url?: string,
): Promise<Feed<TableSettingsChangedSubscription>> {
  const live = await LiveClient.forUser(userId, url);
  open.push(live);
  const feed = live.subscribe(TableSettingsChangedDocument);
  // A counter subscribed after it on the same socket answers only once the server has run
  // both subscribe requests (the hub registers a subscription as it starts).
  const probe = live.subscribe(PendingDisputesCountLiveDocument);
  await probe.nth(1);
  probe.stop();
  return feed;
}

const settingsOf = (f: Feed<TableSettingsChangedSubscription>): Changed[] =>
  f.values.map((v) => v.tableSettingsChanged);

async function save(client: Client, input: SaveTableSettingsInput): Promise<Changed> {
  return (await client.run(SaveTableSettingsDocument, { input })).saveTableSettings;
}

/** Waits until the feed holds `n` values, then answers them. */
async function settle(f: Feed<TableSettingsChangedSubscription>, n: number, what: string) {
  await f.until((v) => v.length >= n, 5_000, what);
  return settingsOf(f);
}

describe('tableSettingsChanged', () => {
  it("reaches the user's subscriptions on both instances, and no other user's", async () => {
    const [u, v] = [w.ids.buyerA, w.ids.editManager];
    const onB = { u: await Client.forUser(u, b.url), v: await Client.forUser(v, b.url) };
    const feeds = {
      uA: await feedOf(u),
      uB: await feedOf(u, wsB),
      vA: await feedOf(v),
      vB: await feedOf(v, wsB),
    };

    // 1. U saves through A: both of U's feeds get it.
    const first = await save(w.as.buyerA, {
      table: 'DISPUTES',
      columns: ['STATUS', 'PAYOUT', 'REASON'],
      pageSize: 50,
      disputeOrder: { field: 'REVIEW_DUE_AT', direction: 'DESC' },
    });
    expect(first.version).toBe(1);
    expect(await settle(feeds.uA, 1, "U's save on A")).toEqual([first]);
    expect(await settle(feeds.uB, 1, "U's save on B")).toEqual([first]);

    // 2. V saves through B: the sync point of V's feeds, which must hold V's save alone.
    const second = await save(onB.v, {
      table: 'CALL_LOG',
      columns: ['BUYER', 'CALL_ID'],
      pageSize: 10,
    });
    expect(await settle(feeds.vA, 1, "V's save on A")).toEqual([second]);
    expect(await settle(feeds.vB, 1, "V's save on B")).toEqual([second]);

    // 3. U resets through B: the sync point of U's feeds, which must not hold V's save.
    const third = (await onB.u.run(ResetTableSettingsDocument, { table: 'DISPUTES' }))
      .resetTableSettings;
    expect(third).toMatchObject({ version: 2, disputeOrder: null, pageSize: 25 });
    expect(await settle(feeds.uA, 2, "U's reset on A")).toEqual([first, third]);
    expect(await settle(feeds.uB, 2, "U's reset on B")).toEqual([first, third]);
    expect(settingsOf(feeds.vA)).toEqual([second]);
    expect(settingsOf(feeds.vB)).toEqual([second]);
    for (const f of Object.values(feeds)) expect(f.errors).toEqual([]);
  });

  it('sends nothing of a stale save, and each of several sessions of one user gets every change', async () => {
    const u = await insertUser({
      role: 'BUYER',
      accountId: w.ids.accountB,
      permissions: ['DISPUTE_CALLS'],
    });
    const client = await Client.forUser(u);
    const feeds = [await feedOf(u), await feedOf(u), await feedOf(u, wsB)];
    const saved = await save(client, {
      table: 'CALL_LOG',
      columns: ['CALL_DATE'],
      pageSize: 10,
      expectedVersion: 0,
    });
    const stale = await client.raw(SaveTableSettingsDocument, {
      input: { table: 'CALL_LOG', columns: ['CALL_ID'], pageSize: 11, expectedVersion: 0 },
    });
    expect(stale.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'expectedVersion',
    });
    // The sync point, on the other table: each event is sent as the table's settings are when
    // it is routed, and CALL_LOG stays at the first save, so an event of the stale save would
    // have arrived, before this one, as that save once more.
    const next = await save(client, {
      table: 'DISPUTES',
      columns: ['CALL_ID', 'STATUS'],
      pageSize: 12,
      expectedVersion: 0,
    });
    for (const [i, f] of feeds.entries()) {
      expect(await settle(f, 2, `session ${i}`)).toEqual([saved, next]);
    }
  });

  it("sends a user's DISPUTES settings no more once it lost the permission", async () => {
    const u = await insertUser({
      role: 'BUYER',
      accountId: w.ids.accountA,
      permissions: ['DISPUTE_CALLS'],
    });
    const client = await Client.forUser(u);
    await save(client, { table: 'DISPUTES', columns: ['STATUS'], pageSize: 10 });
    const feed = await feedOf(u, wsB);
    // A save admitted while the user holds DISPUTE_CALLS is held on its row until the
    // permission is gone, so it commits, and is routed, after: the hub re-checks the user.
    const locker = await db().connect();
    try {
      await locker.query('BEGIN');
      await locker.query(
        `SELECT 1 FROM table_settings WHERE user_id = $1 AND table_name = 'DISPUTES' FOR UPDATE`,
        [u],
      );
      const { pid } = (await locker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))
        .rows[0]!;
      const saving = save(client, { table: 'DISPUTES', columns: ['PAYOUT'], pageSize: 10 });
      await eventually(async () => {
        const { rows } = await db().query<{ n: number }>(
          'SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))',
          [pid],
        );
        expect(rows[0]!.n).toBe(1);
      });
      await db().query(`UPDATE users SET permissions = '{}' WHERE id = $1`, [u]);
      await locker.query('COMMIT');
      expect(await saving).toMatchObject({ columns: ['PAYOUT'], version: 2 });
    } finally {
      locker.release();
    }
    // CALL_LOG stays open to it: that save is the sync point, and the only value sent.
    const callLog = await save(client, { table: 'CALL_LOG', columns: ['CALL_ID'], pageSize: 10 });
    expect(await settle(feed, 1, 'the CALL_LOG save')).toEqual([callLog]);
  });
});
