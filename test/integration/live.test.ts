import { randomUUID } from 'node:crypto';
import {
  CreateDisputeIdDocument,
  DisputeChangedLiveDocument,
  NotificationAddedLiveDocument,
  PendingCountDocument,
  PendingDisputesCountLiveDocument,
  ResolveDisputeDocument,
  type DisputeChangedLiveSubscription,
  type NotificationAddedLiveSubscription,
  type PendingDisputesCountLiveSubscription,
} from '../generated/graphql';
import type { Client } from '../support/client';
import { eventually, expectSilence, LiveClient, type Feed } from '../support/live';
import {
  closeDb,
  count,
  createWorld,
  db,
  insertCall,
  insertDispute,
  insertUser,
  type World,
} from '../support/seed';
import {
  readTestEnv,
  startApiProcess,
  TEST_JWT_SECRET,
  type ApiProcess,
  storeEnv,
} from '../support/services';
import { signToken } from '../../src/auth/tokens';

/*
 * Live updates against real server processes: the suite's API (instance A) and a second API
 * process on the same database (instance B), started here.
 *
 * Events are produced by createDispute / resolveDispute (src/disputes). The tests marked
 * [mutations] wait for those; the tests marked [bus] write through PostgreSQL directly and do
 * not need them.
 */

type Count = PendingDisputesCountLiveSubscription;
type Added = NotificationAddedLiveSubscription;
type Changed = DisputeChangedLiveSubscription;

let w: World;
let b: ApiProcess;
let wsB: string;
const open: LiveClient[] = [];

beforeAll(async () => {
  w = await createWorld();
  const env = readTestEnv();
  b = await startApiProcess({
    DATABASE_URL: env.databaseUrl,
    ...storeEnv(),
  });
  wsB = b.url.replace(/^http/, 'ws');
}, 90_000);

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await b?.stop();
  await closeDb();
});

async function live(userId: string, url?: string): Promise<LiveClient> {
  const client = await LiveClient.forUser(userId, url);
  open.push(client);
  return client;
}

/**
 * Returns once the server has registered the feeds opened before on `client`: a counter
 * subscribed last on the same socket answers only after its own registration and two more
 * queries on the server's event queue, while each earlier feed needed one query, sent earlier.
 */
async function ready(client: LiveClient): Promise<void> {
  const probe = client.subscribe(PendingDisputesCountLiveDocument);
  await probe.nth(1);
  probe.stop();
}

const randomCaller = () => `+1555${Math.floor(1_000_000 + Math.random() * 8_999_999)}`;

async function dispute(
  world: World,
  opts: { callerId?: string; via?: Client; account?: 'A' | 'B' } = {},
) {
  const callId = await insertCall({
    buyerId: opts.account === 'B' ? world.ids.accountB : world.ids.accountA,
    campaignId: world.ids.campaign,
    callerId: opts.callerId ?? randomCaller(),
  });
  const client = opts.via ?? (opts.account === 'B' ? world.as.buyerB : world.as.buyerA);
  const { createDispute } = await client.run(CreateDisputeIdDocument, {
    input: { callId, reason: 'INVALID_CALLER' },
  });
  return { callId, disputeId: createDispute.id };
}

const counts = (f: Feed<Count>) => f.values.map((v) => v.pendingDisputesCount);
const disputeIds = (f: Feed<Changed>) => f.values.map((v) => v.disputeChanged.id);
const notificationsAbout = (f: Feed<Added>, disputeId: string) =>
  f.values.map((v) => v.notificationAdded).filter((n) => n.dispute.id === disputeId);

describe('across server instances [mutations]', () => {
  it('a subscriber on instance B receives what a mutation on instance A committed', async () => {
    const buyer = await live(w.ids.buyerA, wsB);
    const changed = buyer.subscribe(DisputeChangedLiveDocument);
    const buyerNotes = buyer.subscribe(NotificationAddedLiveDocument);
    await ready(buyer);
    const manager = await live(w.ids.viewManager, wsB);
    const managerNotes = manager.subscribe(NotificationAddedLiveDocument);
    await ready(manager);

    const callerId = randomCaller();
    const { callId, disputeId } = await dispute(w, { callerId }); // through instance A
    await changed.until(
      (v) => v.some((x) => x.disputeChanged.id === disputeId),
      2_000,
      'the new dispute on B',
    );
    expect(
      changed.values.find((x) => x.disputeChanged.id === disputeId)?.disputeChanged,
    ).toMatchObject({
      status: 'PENDING',
      buyer: { id: w.ids.accountA },
      call: { id: callId, callerId, payout: { amount: '25.00' } },
      decision: null,
    });
    await managerNotes.until(
      (v) => v.some((x) => x.notificationAdded.dispute.id === disputeId),
      2_000,
      "the manager's notification",
    );
    expect(notificationsAbout(managerNotes, disputeId)).toEqual([
      expect.objectContaining({
        kind: 'DISPUTE_CREATED',
        readAt: null,
        message: `Acme Test disputed the call from ${callerId} (Invalid caller).`,
        dispute: expect.objectContaining({ id: disputeId, status: 'PENDING' }),
      }),
    ]);

    await w.as.editManager.run(ResolveDisputeDocument, {
      input: {
        disputeId,
        outcome: 'ACCEPTED_PARTIAL',
        adjustmentAmount: '12.50',
        comment: 'Partly',
      },
    });
    await changed.until(
      (v) => v.filter((x) => x.disputeChanged.id === disputeId).length === 2,
      2_000,
      'the decision on B',
    );
    // Each event is resolved with fresh rows: the call's payout is the one after the decision.
    expect(
      changed.values.filter((x) => x.disputeChanged.id === disputeId)[1]?.disputeChanged,
    ).toMatchObject({
      status: 'ACCEPTED_PARTIAL',
      call: { payout: { amount: '12.50' } },
      decision: { outcome: 'ACCEPTED_PARTIAL', adjustment: { amount: '12.50' } },
    });
    await buyerNotes.until((v) => v.length === 1, 2_000, "the buyer's notification");
    expect(buyerNotes.values[0]?.notificationAdded).toMatchObject({
      kind: 'DISPUTE_RESOLVED',
      message: `Your dispute of the call from ${callerId} was partially accepted: payout reduced by 12.50 USD.`,
      dispute: { id: disputeId, status: 'ACCEPTED_PARTIAL' },
    });
  });
});

describe('pendingDisputesCount [mutations]', () => {
  it('a buyer gets the current value at once, then each change of its account only', async () => {
    const world = await createWorld();
    const seen = await live(world.ids.buyerA2, wsB);
    const mine = seen.subscribe(PendingDisputesCountLiveDocument);
    const other = (await live(world.ids.buyerB)).subscribe(PendingDisputesCountLiveDocument);
    const otherOnB = (await live(world.ids.buyerB, wsB)).subscribe(
      PendingDisputesCountLiveDocument,
    );
    const noPerm = (await live(world.ids.buyerANoPerm)).subscribe(PendingDisputesCountLiveDocument);
    expect(await mine.nth(1)).toEqual({ pendingDisputesCount: 0 });
    expect(await other.nth(1)).toEqual({ pendingDisputesCount: 0 });
    expect(await otherOnB.nth(1)).toEqual({ pendingDisputesCount: 0 });
    expect(await noPerm.nth(1)).toEqual({ pendingDisputesCount: 0 });

    const first = await dispute(world);
    expect(await mine.nth(2)).toEqual({ pendingDisputesCount: 1 });
    await dispute(world);
    expect(await mine.nth(3)).toEqual({ pendingDisputesCount: 2 });
    await world.as.editManager.run(ResolveDisputeDocument, {
      input: { disputeId: first.disputeId, outcome: 'REJECTED' },
    });
    expect(await mine.nth(4)).toEqual({ pendingDisputesCount: 1 });
    const http = await world.as.buyerA2.run(PendingCountDocument);
    expect(http.viewer.pendingDisputesCount).toBe(1);

    // Sync point: account B's first dispute, after account A's events, reaches B on both instances.
    await expectSilence(
      [mine, noPerm],
      dispute(world, { account: 'B' }).then(() => Promise.all([other.nth(2), otherOnB.nth(2)])),
    );
    expect(counts(mine)).toEqual([0, 1, 2, 1]);
    expect(counts(other)).toEqual([0, 1]);
    expect(counts(otherOnB)).toEqual([0, 1]);
    expect(counts(noPerm)).toEqual([0]);
  });

  it('a manager with VIEW_DISPUTES follows every pending dispute; one without sees 0 and nothing more', async () => {
    const viewing = (await live(w.ids.viewManager, wsB)).subscribe(
      PendingDisputesCountLiveDocument,
    );
    const plain = (await live(w.ids.plainManager)).subscribe(PendingDisputesCountLiveDocument);
    await viewing.nth(1);
    expect(await plain.nth(1)).toEqual({ pendingDisputesCount: 0 });
    const seenBefore = viewing.values.length;

    await dispute(w);
    await viewing.until((v) => v.length > seenBefore, 2_000, 'a new manager count');
    // Other test files change the global count too: the last value sent converges on the truth.
    await eventually(async () => {
      const truth = (await w.as.viewManager.run(PendingCountDocument)).viewer.pendingDisputesCount;
      expect(counts(viewing).at(-1)).toBe(truth);
    });
    expect(counts(plain)).toEqual([0]);
  });
});

describe('who receives what [mutations]', () => {
  it('a view-only manager gets DISPUTE_CREATED; managers and buyers without the permission, and other accounts, get nothing', async () => {
    const viewer = await live(w.ids.viewManager);
    const viewerNotes = viewer.subscribe(NotificationAddedLiveDocument);
    const viewerChanged = viewer.subscribe(DisputeChangedLiveDocument);
    await ready(viewer);
    // The same manager on instance B, where buyer B's feeds are: the sync point there.
    const viewerOnB = await live(w.ids.viewManager, wsB);
    const viewerChangedOnB = viewerOnB.subscribe(DisputeChangedLiveDocument);
    await ready(viewerOnB);
    const silent: Feed<unknown>[] = [];
    for (const id of [w.ids.plainManager, w.ids.buyerANoPerm, w.ids.buyerB]) {
      const c = await live(id, id === w.ids.buyerB ? wsB : undefined);
      silent.push(
        c.subscribe(NotificationAddedLiveDocument),
        c.subscribe(DisputeChangedLiveDocument),
      );
      await ready(c);
    }

    const { disputeId } = await dispute(w);
    await viewerNotes.until(
      (v) => v.some((x) => x.notificationAdded.dispute.id === disputeId),
      2_000,
      'DISPUTE_CREATED',
    );
    expect(notificationsAbout(viewerNotes, disputeId).map((n) => n.kind)).toEqual([
      'DISPUTE_CREATED',
    ]);
    await viewerChanged.until(
      (v) => v.some((x) => x.disputeChanged.id === disputeId),
      2_000,
      'the dispute',
    );
    await w.as.editManager.run(ResolveDisputeDocument, {
      input: { disputeId, outcome: 'REJECTED' },
    });
    const decided = (f: Feed<Changed>) =>
      f.until(
        (v) => v.filter((x) => x.disputeChanged.id === disputeId).length === 2,
        2_000,
        'the decision',
      );
    await expectSilence(silent, Promise.all([decided(viewerChanged), decided(viewerChangedOnB)]));
    // Managers are not told of decisions by notification; buyers of A are.
    expect(notificationsAbout(viewerNotes, disputeId)).toHaveLength(1);
    for (const feed of silent) {
      expect(feed.values).toEqual([]);
      expect(feed.errors).toEqual([]);
    }
  });

  it("isolation: 200 events of buyer A's account reach buyer B's subscriber not once", async () => {
    const world = await createWorld();
    const bClient = await live(world.ids.buyerB, wsB);
    const bFeeds = [
      bClient.subscribe(NotificationAddedLiveDocument),
      bClient.subscribe(DisputeChangedLiveDocument),
    ];
    const bCount = bClient.subscribe(PendingDisputesCountLiveDocument);
    await bCount.nth(1);
    const aChanged = (await live(world.ids.buyerA, wsB)).subscribe(DisputeChangedLiveDocument);
    await ready(bClient);

    const calls = await Promise.all(
      Array.from({ length: 100 }, () =>
        insertCall({ buyerId: world.ids.accountA, campaignId: world.ids.campaign }),
      ),
    );
    // 100 disputes created and 100 decided: 200 events for account A.
    const created: string[] = [];
    for (let i = 0; i < calls.length; i += 10) {
      const batch = await Promise.all(
        calls
          .slice(i, i + 10)
          .map((callId) =>
            world.as.buyerA.run(CreateDisputeIdDocument, { input: { callId, reason: 'OTHER' } }),
          ),
      );
      created.push(...batch.map((r) => r.createDispute.id));
    }
    for (let i = 0; i < created.length; i += 10) {
      await Promise.all(
        created.slice(i, i + 10).map((disputeId) =>
          world.as.editManager.run(ResolveDisputeDocument, {
            input: { disputeId, outcome: 'REJECTED' },
          }),
        ),
      );
    }
    // aChanged is on B's instance too: once it has all 200, B's feeds were passed over 200 times.
    await expectSilence(
      [...bFeeds, bCount],
      aChanged.until((v) => v.length === 200, 20_000, '200 events for account A'),
    );
    expect(new Set(disputeIds(aChanged)).size).toBe(100);
    for (const feed of bFeeds) expect(feed.values).toEqual([]);
    expect(counts(bCount)).toEqual([0]);
  }, 60_000);

  it('a manager who loses VIEW_DISPUTES stops receiving at once, on the same socket', async () => {
    const managerId = await insertUser({ role: 'MANAGER', permissions: ['VIEW_DISPUTES'] });
    const client = await live(managerId, wsB);
    const changed = client.subscribe(DisputeChangedLiveDocument);
    const counter = client.subscribe(PendingDisputesCountLiveDocument);
    await counter.nth(1);
    await ready(client);
    const before = await dispute(w);
    await changed.until(
      (v) => v.some((x) => x.disputeChanged.id === before.disputeId),
      2_000,
      'an event while permitted',
    );

    await db().query(`UPDATE users SET permissions = '{}' WHERE id = $1`, [managerId]);
    const after = await dispute(w);
    // The same event that must not reach `changed` sends the counter its 0.
    await expectSilence(
      [changed],
      eventually(() => expect(counts(counter).at(-1)).toBe(0)),
    );
    expect(disputeIds(changed)).not.toContain(after.disputeId);
  });
});

describe('only committed changes are sent', () => {
  it('[mutations] a createDispute that fails at commit, after its notifications were written, sends nothing and leaves nothing', async () => {
    const viewer = await live(w.ids.viewManager, wsB);
    const notes = viewer.subscribe(NotificationAddedLiveDocument);
    const changed = viewer.subscribe(DisputeChangedLiveDocument);
    await ready(viewer);

    // A deferred constraint trigger fails the transaction at COMMIT, i.e. after the
    // notification rows were inserted and pg_notify was queued, for this caller only.
    const callerId = randomCaller();
    const fn = `test_fail_late_${randomUUID().replace(/-/g, '')}`;
    await db().query(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.message LIKE '%${callerId}%' THEN RAISE EXCEPTION 'failing late, as the test asked'; END IF;
        RETURN NULL;
      END $$`);
    await db().query(`CREATE CONSTRAINT TRIGGER ${fn} AFTER INSERT ON notifications
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
    const callId = await insertCall({
      buyerId: w.ids.accountA,
      campaignId: w.ids.campaign,
      callerId,
    });
    try {
      const res = await w.as.buyerA.raw(CreateDisputeIdDocument, {
        input: { callId, reason: 'INVALID_CALLER' },
      });
      expect(res.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await db().query(`DROP TRIGGER ${fn} ON notifications`);
      await db().query(`DROP FUNCTION ${fn}()`);
    }
    expect(await count('disputes', 'call_id = $1', [callId])).toBe(0);
    expect(await count('notifications', 'message LIKE $1', [`%${callerId}%`])).toBe(0);

    // The same subscriber does receive the next, committed dispute of that call.
    const { createDispute } = await w.as.buyerA.run(CreateDisputeIdDocument, {
      input: { callId, reason: 'INVALID_CALLER' },
    });
    await changed.until(
      (v) => v.some((x) => x.disputeChanged.id === createDispute.id),
      2_000,
      'the committed dispute',
    );
    await notes.until(
      (v) => v.some((x) => x.notificationAdded.dispute.id === createDispute.id),
      2_000,
      'its notification',
    );
    expect(changed.values.filter((x) => x.disputeChanged.call.id === callId)).toHaveLength(1);
    expect(notes.values.filter((x) => x.notificationAdded.dispute.call.id === callId)).toHaveLength(
      1,
    );
  });

  it('[bus] a rolled-back notification and NOTIFY reach no one; the same committed do', async () => {
    const world = await createWorld();
    const client = await live(world.ids.buyerA, wsB);
    const notes = client.subscribe(NotificationAddedLiveDocument);
    const changed = client.subscribe(DisputeChangedLiveDocument);
    await ready(client);
    const callId = await insertCall({
      buyerId: world.ids.accountA,
      campaignId: world.ids.campaign,
    });
    const disputeId = await insertDispute({
      callId,
      createdBy: world.ids.buyerA,
      status: 'REJECTED',
      decidedBy: world.ids.editManager,
    });
    const payload = JSON.stringify({
      v: 1,
      kind: 'dispute',
      change: 'resolved',
      disputeId,
      buyerId: world.ids.accountA,
    });

    const write = async (end: 'ROLLBACK' | 'COMMIT') => {
      const conn = await db().connect();
      try {
        await conn.query('BEGIN');
        await conn.query(
          `INSERT INTO notifications (id, user_id, kind, dispute_id, message) VALUES ($1, $2, 'DISPUTE_RESOLVED', $3, 'written by the test')`,
          [randomUUID(), world.ids.buyerA, disputeId],
        );
        await conn.query(`SELECT pg_notify('disputes_live', $1)`, [payload]);
        await conn.query(end);
      } finally {
        conn.release();
      }
    };

    await write('ROLLBACK');
    expect(await count('notifications', 'dispute_id = $1', [disputeId])).toBe(0);

    // The committed write comes after the rolled-back one: once it is delivered, anything of
    // the rolled-back one would have been too, ahead of it.
    await write('COMMIT');
    await expectSilence(
      [notes, changed],
      Promise.all([
        notes.until((v) => v.length >= 1, 2_000, 'the committed notification'),
        changed.until((v) => v.length >= 1, 2_000, 'the committed dispute'),
      ]),
    );
    expect(notes.values).toHaveLength(1);
    expect(changed.values).toHaveLength(1);
    expect(notes.values[0]?.notificationAdded).toMatchObject({
      kind: 'DISPUTE_RESOLVED',
      dispute: { id: disputeId },
    });
  });

  it('[bus] an event naming another account than its dispute reaches no one', async () => {
    const world = await createWorld();
    const client = await live(world.ids.buyerB, wsB);
    const changed = client.subscribe(DisputeChangedLiveDocument);
    await ready(client);
    const callId = await insertCall({
      buyerId: world.ids.accountA,
      campaignId: world.ids.campaign,
    });
    const disputeId = await insertDispute({ callId, createdBy: world.ids.buyerA });
    const forged = JSON.stringify({
      v: 1,
      kind: 'dispute',
      change: 'created',
      disputeId,
      buyerId: world.ids.accountB,
    });
    await db().query(`SELECT pg_notify('disputes_live', $1)`, [forged]);

    // Sync point: a genuine event of account B, sent after the forged one, does arrive.
    const ownCall = await insertCall({
      buyerId: world.ids.accountB,
      campaignId: world.ids.campaign,
    });
    const ownDispute = await insertDispute({ callId: ownCall, createdBy: world.ids.buyerB });
    const genuine = JSON.stringify({
      v: 1,
      kind: 'dispute',
      change: 'created',
      disputeId: ownDispute,
      buyerId: world.ids.accountB,
    });
    await db().query(`SELECT pg_notify('disputes_live', $1)`, [genuine]);
    await expectSilence(
      [changed],
      changed.until((v) => v.length >= 1, 2_000, 'the genuine event'),
    );
    expect(disputeIds(changed)).toEqual([ownDispute]);
  });
});

describe('the listener connection', () => {
  it('[mutations] reconnects on its own after it is killed, refreshes counters, and delivers again', async () => {
    const world = await createWorld();
    const client = await live(world.ids.buyerA, wsB);
    const counter = client.subscribe(PendingDisputesCountLiveDocument);
    const changed = client.subscribe(DisputeChangedLiveDocument);
    expect(await counter.nth(1)).toEqual({ pendingDisputesCount: 0 });
    await ready(client);

    const name = `disputes-api-listener pid=${b.child.pid}`;
    const before = await db().query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE application_name = $1`,
      [name],
    );
    expect(before.rows).toHaveLength(1);
    const killed = await db().query<{ ok: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1`,
      [name],
    );
    expect(killed.rows.map((r) => r.ok)).toEqual([true]);

    // After the reconnect every counter is sent its value again.
    expect(await counter.nth(2, 10_000)).toEqual({ pendingDisputesCount: 0 });
    const after = await db().query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE application_name = $1`,
      [name],
    );
    expect(after.rows).toHaveLength(1);
    expect(after.rows[0]?.pid).not.toBe(before.rows[0]?.pid);

    const { disputeId } = await dispute(world); // through instance A
    await changed.until(
      (v) => v.some((x) => x.disputeChanged.id === disputeId),
      2_000,
      'the dispute after the reconnect',
    );
    expect(await counter.nth(3)).toEqual({ pendingDisputesCount: 1 });
  });
});

describe('WebSocket limits', () => {
  it.each([
    ['a malformed token', 'Bearer not-a-token'],
    ['no token', null],
    ['a token of no user', 'unknown-user'],
  ])(
    '%s is refused at connection (4403), and the server keeps serving others',
    async (_name, authorization) => {
      const auth =
        authorization === 'unknown-user'
          ? `Bearer ${await signToken(TEST_JWT_SECRET, randomUUID())}`
          : authorization;
      await expect(LiveClient.connect(auth)).rejects.toMatchObject({ code: 4403 });
      const ok = await live(w.ids.buyerB);
      await expect(ok.subscribe(PendingDisputesCountLiveDocument).nth(1)).resolves.toEqual({
        pendingDisputesCount: expect.any(Number),
      });
    },
  );

  it('refuses an over-deep or over-aliased subscription with QUERY_TOO_COMPLEX; the socket keeps working', async () => {
    const client = await live(w.ids.buyerA);
    let deep = 'id';
    for (let i = 0; i < 6; i++) deep = `call { disputes { ${deep} } }`;
    const tooDeep = client.subscribe(`subscription { disputeChanged { ${deep} } }`);
    expect((await tooDeep.firstError()).extensions?.code).toBe('QUERY_TOO_COMPLEX');
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: id`).join(' ');
    const tooWide = client.subscribe(`subscription { disputeChanged { ${aliases} } }`);
    expect((await tooWide.firstError()).extensions?.code).toBe('QUERY_TOO_COMPLEX');
    for (const f of [tooDeep, tooWide])
      expect(f.errors[0]).not.toHaveProperty('extensions.stacktrace');

    await expect(client.subscribe(PendingDisputesCountLiveDocument).nth(1)).resolves.toEqual({
      pendingDisputesCount: expect.any(Number),
    });
  });

  it('holds at most 20 subscriptions per socket; completing one frees a place; other sockets are unaffected', async () => {
    const client = await live(w.ids.buyerA);
    const feeds = Array.from({ length: 20 }, () =>
      client.subscribe(PendingDisputesCountLiveDocument),
    );
    await Promise.all(feeds.map((f) => f.nth(1)));
    const extra = client.subscribe(PendingDisputesCountLiveDocument);
    const error = await extra.firstError();
    expect(error.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(error.message).toMatch(/20/);
    expect(extra.values).toEqual([]);

    feeds[0]!.stop();
    // The place is free once the server has handled the stop; until then a new one is refused.
    await expect(
      eventually(() => client.subscribe(PendingDisputesCountLiveDocument).nth(1), 5_000),
    ).resolves.toBeTruthy();
    const other = await live(w.ids.buyerA);
    await expect(other.subscribe(PendingDisputesCountLiveDocument).nth(1)).resolves.toBeTruthy();
  });
});
