import { randomUUID } from 'node:crypto';
import {
  AccountAutoAcceptDocument,
  CallDuplicateOfDocument,
  CreateDisputeIdDocument,
  CreateDuplicateDisputeDocument,
  DisputeChangedAutomaticDocument,
  NotificationAddedLiveDocument,
  PendingDisputesCountLiveDocument,
  ResolveDisputeDocument,
  ViewerDocument,
  type DisputeChangedAutomaticSubscription,
} from '../generated/graphql';
import { Client } from '../support/client';
import { LiveClient, type Feed } from '../support/live';
import {
  closeDb,
  count,
  createWorld,
  db,
  HOUR,
  insertAccount,
  insertCall,
  insertCampaign,
  insertUser,
  type World,
} from '../support/seed';
import { readTestEnv, startApiProcess, storeEnv } from '../support/services';
import { AUTOMATIC_REVIEW_USER_ID } from '../../src/accounts/system-user';
import { DUPLICATES_OF_CALLS } from '../../src/calls/call.queries';

/*
 * Rule 15 over HTTP and WebSocket against the suite's server (DUPLICATE_WINDOW_HOURS at its
 * default, 24): Call.duplicateOf at the window's edges, and the automatic acceptance of a
 * DUPLICATE_CALL dispute in the creating transaction, with the rows it writes and does not.
 */

const WINDOW_MS = 24 * HOUR;

let w: World;
const open: LiveClient[] = [];

beforeAll(async () => {
  w = await createWorld();
  // Account A auto-accepts duplicates; account B keeps the default (false).
  await db().query('UPDATE accounts SET auto_accept_duplicates = true WHERE id = $1', [
    w.ids.accountA,
  ]);
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

afterAll(closeDb);

const randomCaller = () => `+1555${Math.floor(1_000_000 + Math.random() * 8_999_999)}`;

async function live(userId: string): Promise<LiveClient> {
  const client = await LiveClient.forUser(userId);
  open.push(client);
  return client;
}

/** Returns once the server has registered the feeds opened before on `client` (see live.test.ts). */
async function ready(client: LiveClient): Promise<void> {
  const probe = client.subscribe(PendingDisputesCountLiveDocument);
  await probe.nth(1);
  probe.stop();
}

/** A call of `buyerId` started at `at`, from `callerId`. */
const call = (buyerId: string, at: Date, callerId: string, status?: string) =>
  insertCall({ buyerId, campaignId: w.ids.campaign, startedAt: at, callerId, status });

/** A later call with an earlier one from the same caller one hour before it. */
async function duplicatePair(buyerId: string) {
  const callerId = randomCaller();
  const laterAt = new Date(Date.now() - HOUR);
  const earlier = await call(buyerId, new Date(laterAt.getTime() - HOUR), callerId);
  const later = await call(buyerId, laterAt, callerId);
  return { callerId, earlier, later };
}

const duplicateOf = async (as: Client, id: string) =>
  (await as.run(CallDuplicateOfDocument, { id })).call?.duplicateOf?.id ?? null;

describe('Call.duplicateOf', () => {
  const T = new Date(Math.floor((Date.now() - 2 * HOUR) / 1000) * 1000);
  const before = (ms: number) => new Date(T.getTime() - ms);

  // Each case arranges its own caller's calls around a call at T and names the expected one.
  it.each<[string, (caller: string) => Promise<string | null>]>([
    [
      'a call exactly DUPLICATE_WINDOW_HOURS earlier counts',
      (c) => call(w.ids.accountA, before(WINDOW_MS), c),
    ],
    [
      'one 1 ms further back does not',
      async (c) => {
        await call(w.ids.accountA, before(WINDOW_MS + 1), c);
        return null;
      },
    ],
    [
      'a later call does not',
      async (c) => {
        await call(w.ids.accountA, new Date(T.getTime() + 1), c);
        return null;
      },
    ],
    [
      'a call at the same instant does not (strictly before)',
      async (c) => {
        await call(w.ids.accountA, T, c);
        return null;
      },
    ],
    [
      "another account's call from the same caller does not",
      async (c) => {
        await call(w.ids.accountB, before(HOUR), c);
        return null;
      },
    ],
    [
      'a call of the same account from another caller does not',
      async () => {
        await call(w.ids.accountA, before(HOUR), randomCaller());
        return null;
      },
    ],
    [
      'the latest earlier call wins',
      async (c) => {
        await call(w.ids.accountA, before(5 * HOUR), c);
        return call(w.ids.accountA, before(2 * HOUR), c);
      },
    ],
    [
      'ties go to the greatest ID',
      async (c) => {
        const ids = [
          await call(w.ids.accountA, before(HOUR), c),
          await call(w.ids.accountA, before(HOUR), c),
          await call(w.ids.accountA, before(HOUR), c),
        ];
        return ids.sort().at(-1)!;
      },
    ],
    [
      "the earlier call's status does not matter",
      (c) => call(w.ids.accountA, before(HOUR), c, 'CALL_NOT_CONNECTED_NO_CONVERSION'),
    ],
  ])('%s', async (_name, arrange) => {
    const callerId = randomCaller();
    const expected = await arrange(callerId);
    const subject = await call(w.ids.accountA, T, callerId);
    expect(await duplicateOf(w.as.buyerA, subject)).toBe(expected);
    expect(await duplicateOf(w.as.viewManager, subject)).toBe(expected);
  });

  it('follows DUPLICATE_WINDOW_HOURS, a decimal number of hours', async () => {
    const api = await startApiProcess({
      DATABASE_URL: readTestEnv().databaseUrl,
      ...storeEnv(),
      DUPLICATE_WINDOW_HOURS: '0.5',
    });
    try {
      const buyer = await Client.forUser(w.ids.buyerA, api.url);
      const [inside, outside] = [randomCaller(), randomCaller()];
      const edge = await call(w.ids.accountA, before(HOUR / 2), inside);
      await call(w.ids.accountA, before(HOUR / 2 + 1), outside);
      const [a, b] = [
        await call(w.ids.accountA, T, inside),
        await call(w.ids.accountA, T, outside),
      ];
      expect(await duplicateOf(buyer, a)).toBe(edge);
      expect(await duplicateOf(buyer, b)).toBeNull();
      // The suite's server, at the default 24 hours, finds both.
      expect(await duplicateOf(w.as.buyerA, b)).not.toBeNull();
    } finally {
      await api.stop();
    }
  }, 60_000);

  it('is a full Call of the same account, and another account cannot reach either', async () => {
    const { callerId, earlier, later } = await duplicatePair(w.ids.accountA);
    const { call: seen } = await w.as.buyerA.run(CallDuplicateOfDocument, { id: later });
    expect(seen?.duplicateOf).toMatchObject({
      id: earlier,
      callerId,
      status: 'COMPLETED_WITH_CONVERSION',
      buyer: { id: w.ids.accountA },
    });
    expect((await w.as.buyerB.run(CallDuplicateOfDocument, { id: later })).call).toBeNull();
  });

  it('a page of 50 calls with duplicateOf costs no statement more than without (read with the page)', async () => {
    const accountId = await insertAccount();
    const buyer = await Client.forUser(
      await insertUser({ role: 'BUYER', accountId, permissions: ['DISPUTE_CALLS'] }),
    );
    const campaignId = await insertCampaign();
    const callers = Array.from({ length: 10 }, randomCaller);
    for (let i = 0; i < 50; i++) {
      await insertCall({
        buyerId: accountId,
        campaignId,
        callerId: callers[i % 10],
        startedAt: new Date(Date.now() - (i + 1) * HOUR),
      });
    }
    const page = (extra: string) =>
      `{ calls(first: 50) { nodes { id callerId buyer { id } payout { amount } disputability { allowed } ${extra} } } }`;
    const without = await buyer.raw(page(''));
    const withDuplicates = await buyer.raw(page('duplicateOf { id callerId startedAt }'));
    expect(without.errors).toBeUndefined();
    expect(withDuplicates.errors).toBeUndefined();
    const nodes = withDuplicates.data.calls.nodes as { duplicateOf: { id: string } | null }[];
    expect(nodes).toHaveLength(50);
    // Calls 10 hours apart from the same caller: all but the 10 oldest have one.
    expect(nodes.filter((n) => n.duplicateOf !== null)).toHaveLength(40);
    expect(withDuplicates.extensions?.sqlStatements).toBe(without.extensions?.sqlStatements);
  });

  it('is served by calls_buyer_caller_started_idx', async () => {
    const { later } = await duplicatePair(w.ids.accountA);
    const client = await db().connect();
    try {
      // The plan that matters is the one for a large table, where a buyer has many calls in a
      // day and one caller of theirs few. The planner estimates a buyer's calls as the table's
      // rows over its distinct buyers; the suite's database holds hundreds of small test
      // accounts, so both indexes look equally cheap there and it may take either. Statistics
      // of a real table's shape are made in this transaction and rolled back with it: a few
      // distinct buyers, callers nearly all distinct (other suites share a few caller IDs; an
      // attribute option and ANALYZE are transactional, and the lock both
      // take lets other sessions read and write meanwhile). Sequential and bitmap scans are off,
      // as the small tables would otherwise be read whole.
      const filler = await insertAccount();
      const campaign = await insertCampaign();
      await client.query('BEGIN');
      // Never a tiny table, whichever suites ran before: 5,000 calls of an account of this
      // test's own, distinct callers, in 2019 (before anything a page of another test shows).
      await client.query(
        `INSERT INTO calls (id, buyer_id, campaign_id, started_at, caller_id, destination,
           original_payout_minor, payout_minor, duration_seconds, status, hangup_by)
         SELECT gen_random_uuid(), $1, $2, timestamptz '2019-12-31' - n * interval '1 hour',
                '+1555' || lpad(n::text, 7, '0'), '+18005550100', 100, 100, 60,
                'COMPLETED_WITH_CONVERSION', 'CALLER'
           FROM generate_series(1, 5000) AS n`,
        [filler, campaign],
      );
      await client.query(
        'ALTER TABLE calls ALTER COLUMN buyer_id SET (n_distinct = 5), ALTER COLUMN caller_id SET (n_distinct = -0.5)',
      );
      await client.query('ANALYZE calls');
      await client.query('SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off');
      const plan = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${DUPLICATES_OF_CALLS}`, [
        [later],
        24 * 3600,
      ]);
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(
        /Index (Only )?Scan using calls_buyer_caller_started_idx/,
      );
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});

describe('automatic acceptance of a DUPLICATE_CALL dispute', () => {
  it('accepts in the creating transaction: history, payout, notifications, counters, one live event', async () => {
    const { callerId, earlier, later } = await duplicatePair(w.ids.accountA);

    const buyerLive = await live(w.ids.buyerA);
    const buyerChanged = buyerLive.subscribe(DisputeChangedAutomaticDocument);
    const buyerCount = buyerLive.subscribe(PendingDisputesCountLiveDocument);
    await ready(buyerLive);
    const managerLive = await live(w.ids.editManager);
    const managerChanged = managerLive.subscribe(DisputeChangedAutomaticDocument);
    const managerNotes = managerLive.subscribe(NotificationAddedLiveDocument);
    await ready(managerLive);
    const pendingBefore = (await w.as.buyerA.run(ViewerDocument)).viewer?.pendingDisputesCount;
    await buyerCount.nth(1);

    const input = {
      callId: later,
      reason: 'DUPLICATE_CALL' as const,
      additionalInfo: 'The same caller, an hour apart.',
      idempotencyKey: randomUUID(),
    };
    const { createDispute: d } = await w.as.buyerA.run(CreateDuplicateDisputeDocument, { input });
    expect(d).toMatchObject({
      status: 'ACCEPTED',
      reason: 'DUPLICATE_CALL',
      call: {
        id: later,
        payout: { amount: '0.00' },
        originalPayout: { amount: '25.00' },
        disputability: { allowed: false, blockedBy: 'ALREADY_ADJUSTED' },
      },
      decision: {
        outcome: 'ACCEPTED',
        automatic: true,
        adjustment: { amount: '25.00', currency: 'USD' },
        decidedBy: { id: AUTOMATIC_REVIEW_USER_ID, name: 'Automatic review' },
      },
    });
    expect(d.decision?.comment).toContain(earlier);
    expect(d.history).toEqual([
      {
        type: 'CREATED',
        statusBefore: null,
        statusAfter: 'PENDING',
        actor: { id: w.ids.buyerA, name: 'Ann A' },
        payoutBefore: { amount: '25.00' },
        payoutAfter: { amount: '25.00' },
      },
      {
        type: 'RESOLVED',
        statusBefore: 'PENDING',
        statusAfter: 'ACCEPTED',
        actor: { id: AUTOMATIC_REVIEW_USER_ID, name: 'Automatic review' },
        payoutBefore: { amount: '25.00' },
        payoutAfter: { amount: '0.00' },
      },
    ]);

    // The rows as written.
    const { rows: disputes } = await db().query(
      `SELECT status, decided_by, adjustment_minor, decision_comment, created_by
         FROM disputes WHERE call_id = $1`,
      [later],
    );
    expect(disputes).toEqual([
      {
        status: 'ACCEPTED',
        decided_by: AUTOMATIC_REVIEW_USER_ID,
        adjustment_minor: '2500',
        decision_comment: expect.stringContaining(earlier),
        created_by: w.ids.buyerA,
      },
    ]);
    const { rows: calls } = await db().query(
      'SELECT id, payout_minor FROM calls WHERE id = ANY($1::uuid[]) ORDER BY id = $2',
      [[earlier, later], later],
    );
    expect(calls).toEqual([
      { id: earlier, payout_minor: '2500' },
      { id: later, payout_minor: '0' },
    ]);
    expect(await count('dispute_events', 'dispute_id = $1', [d.id])).toBe(2);
    // DISPUTE_RESOLVED to the account's users with DISPUTE_CALLS; nothing to managers.
    const { rows: notes } = await db().query(
      'SELECT user_id, kind, message FROM notifications WHERE dispute_id = $1 ORDER BY user_id',
      [d.id],
    );
    expect(notes).toEqual(
      [w.ids.buyerA, w.ids.buyerA2].sort().map((user_id) => ({
        user_id,
        kind: 'DISPUTE_RESOLVED',
        message: `Your dispute of the call from ${callerId} was accepted: payout reduced by 25.00 USD.`,
      })),
    );
    expect(await count('notifications', 'user_id = $1', [AUTOMATIC_REVIEW_USER_ID])).toBe(0);
    expect((await w.as.buyerA.run(ViewerDocument)).viewer?.pendingDisputesCount).toBe(
      pendingBefore,
    );

    // A later ordinary dispute is the sync point: events are routed in order, so whatever the
    // automatic one caused has arrived by the time this one has.
    const sync = await call(w.ids.accountA, new Date(Date.now() - HOUR), randomCaller());
    const { createDispute: next } = await w.as.buyerA.run(CreateDisputeIdDocument, {
      input: { callId: sync, reason: 'INVALID_CALLER' },
    });
    const arrived = (f: Feed<DisputeChangedAutomaticSubscription>) =>
      f.until((v) => v.some((x) => x.disputeChanged.id === next.id), 5_000, 'the sync dispute');
    await arrived(buyerChanged);
    await arrived(managerChanged);
    for (const feed of [buyerChanged, managerChanged]) {
      expect(feed.values.filter((v) => v.disputeChanged.id === d.id)).toEqual([
        {
          disputeChanged: {
            id: d.id,
            status: 'ACCEPTED',
            decision: { outcome: 'ACCEPTED', automatic: true },
          },
        },
      ]);
    }
    // The counter moved once, for the ordinary dispute only.
    await buyerCount.until((v) => v.length >= 2, 5_000, 'the count after the sync dispute');
    expect(buyerCount.values.map((v) => v.pendingDisputesCount)).toEqual([
      pendingBefore,
      pendingBefore! + 1,
    ]);
    await managerNotes.until(
      (v) => v.some((x) => x.notificationAdded.dispute.id === next.id),
      5_000,
      "the manager's notification of the sync dispute",
    );
    expect(managerNotes.values.filter((v) => v.notificationAdded.dispute.id === d.id)).toEqual([]);

    // Rule 5 still holds: the retry gets the first dispute back and writes nothing.
    const retry = await w.as.buyerA.run(CreateDuplicateDisputeDocument, { input });
    expect(retry.createDispute).toMatchObject({ id: d.id, status: 'ACCEPTED' });
    expect(await count('disputes', 'call_id = $1', [later])).toBe(1);
    expect(await count('dispute_events', 'dispute_id = $1', [d.id])).toBe(2);
    expect(await count('notifications', 'dispute_id = $1', [d.id])).toBe(2);
    // Without the key it is a new dispute of an adjusted call.
    expect(
      await w.as.buyerA.errorCode(CreateDisputeIdDocument, {
        input: { callId: later, reason: 'DUPLICATE_CALL' },
      }),
    ).toBe('CALL_ALREADY_ADJUSTED');
  });

  it('of concurrent DUPLICATE_CALL disputes on one call, one is accepted and the rest refused', async () => {
    const { later } = await duplicatePair(w.ids.accountA);
    const attempts = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 ? w.as.buyerA2 : w.as.buyerA).raw(CreateDisputeIdDocument, {
          input: { callId: later, reason: 'DUPLICATE_CALL' },
        }),
      ),
    );
    const won = attempts.filter((r) => !r.errors);
    expect(won.map((r) => r.data?.createDispute.status)).toEqual(['ACCEPTED']);
    expect(
      new Set(attempts.filter((r) => r.errors).map((r) => r.errors?.[0]?.extensions?.code)),
    ).toEqual(new Set(['CALL_ALREADY_ADJUSTED']));
    expect(await count('disputes', 'call_id = $1', [later])).toBe(1);
    expect(await count('dispute_events', 'dispute_id = $1', [won[0]!.data!.createDispute.id])).toBe(
      2,
    );
    expect(
      (await db().query('SELECT payout_minor FROM calls WHERE id = $1', [later])).rows,
    ).toEqual([{ payout_minor: '0' }]);
  });

  it('shows the account setting on Account.autoAcceptDuplicates', async () => {
    const a = await call(w.ids.accountA, new Date(Date.now() - HOUR), randomCaller());
    const b = await call(w.ids.accountB, new Date(Date.now() - HOUR), randomCaller());
    expect((await w.as.buyerA.run(AccountAutoAcceptDocument, { id: a })).call?.buyer).toEqual({
      id: w.ids.accountA,
      autoAcceptDuplicates: true,
    });
    expect((await w.as.buyerB.run(AccountAutoAcceptDocument, { id: b })).call?.buyer).toEqual({
      id: w.ids.accountB,
      autoAcceptDuplicates: false,
    });
  });

  it.each<[string, () => Promise<{ client: Client; callId: string; reason: string }>]>([
    [
      'an account without autoAcceptDuplicates',
      async () => ({
        client: w.as.buyerB,
        callId: (await duplicatePair(w.ids.accountB)).later,
        reason: 'DUPLICATE_CALL',
      }),
    ],
    [
      'a call without duplicateOf',
      async () => ({
        client: w.as.buyerA,
        callId: await call(w.ids.accountA, new Date(Date.now() - HOUR), randomCaller()),
        reason: 'DUPLICATE_CALL',
      }),
    ],
    [
      'another reason',
      async () => ({
        client: w.as.buyerA,
        callId: (await duplicatePair(w.ids.accountA)).later,
        reason: 'INVALID_CALLER',
      }),
    ],
  ])('%s keeps the dispute PENDING for a manager', async (_name, arrange) => {
    const { client, callId, reason } = await arrange();
    const { createDispute: d } = await client.run(CreateDuplicateDisputeDocument, {
      input: { callId, reason: reason as 'DUPLICATE_CALL' },
    });
    expect(d).toMatchObject({
      status: 'PENDING',
      decision: null,
      call: { payout: { amount: '25.00' } },
    });
    expect(d.history.map((e) => e.type)).toEqual(['CREATED']);
    const { rows } = await db().query(
      `SELECT u.role, n.kind FROM notifications n JOIN users u ON u.id = n.user_id
        WHERE n.dispute_id = $1 GROUP BY u.role, n.kind`,
      [d.id],
    );
    expect(rows).toEqual([{ role: 'MANAGER', kind: 'DISPUTE_CREATED' }]);

    // A manager's decision is not automatic.
    const { resolveDispute } = await w.as.editManager.run(ResolveDisputeDocument, {
      input: { disputeId: d.id, outcome: 'REJECTED' },
    });
    expect(resolveDispute.status).toBe('REJECTED');
    const decided = await w.as.editManager.raw(
      'query($id: ID!) { dispute(id: $id) { decision { automatic decidedBy { id } } } }',
      { id: d.id },
    );
    expect(decided.data.dispute.decision).toEqual({
      automatic: false,
      decidedBy: { id: w.ids.editManager },
    });
  });
});

describe('the system user "Automatic review"', () => {
  it('is a users row that holds no permission', async () => {
    const { rows } = await db().query(
      'SELECT name, role, account_id, permissions FROM users WHERE id = $1',
      [AUTOMATIC_REVIEW_USER_ID],
    );
    expect(rows).toEqual([
      { name: 'Automatic review', role: 'MANAGER', account_id: null, permissions: [] },
    ]);
  });

  it('cannot sign in: its token is UNAUTHENTICATED over HTTP and refused over WebSocket', async () => {
    const system = await Client.forUser(AUTOMATIC_REVIEW_USER_ID);
    expect(await system.errorCode(ViewerDocument)).toBe('UNAUTHENTICATED');
    const upper = await Client.forUser(AUTOMATIC_REVIEW_USER_ID.toUpperCase());
    expect(await upper.errorCode(ViewerDocument)).toBe('UNAUTHENTICATED');
    await expect(LiveClient.forUser(AUTOMATIC_REVIEW_USER_ID)).rejects.toMatchObject({
      code: 4403,
    });
  });
});
