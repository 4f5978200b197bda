import {
  CallDocument,
  CallsDocument,
  CreateDisputeIdDocument,
  DisputeChangedLiveDocument,
  DisputesDocument,
  NotificationAddedLiveDocument,
  PendingDisputesCountLiveDocument,
  ResolveDisputeDocument,
  WithdrawDisputeDocument,
} from '../generated/graphql';
import { Client } from '../support/client';
import { LiveClient } from '../support/live';
import {
  closeDb,
  createWorld,
  db,
  insertAccount,
  insertCall,
  insertDispute,
  insertUser,
  type World,
} from '../support/seed';

let w: World;
const live: LiveClient[] = [];
beforeAll(async () => {
  w = await createWorld();
});
afterAll(async () => {
  await Promise.all(live.map((l) => l.close()));
  await closeDb();
});

async function pendingDispute(as = w.as.buyerA, buyerId = w.ids.accountA) {
  const callId = await insertCall({ buyerId, campaignId: w.ids.campaign, payoutMinor: 2500 });
  const { createDispute } = await as.run(CreateDisputeIdDocument, {
    input: { callId, reason: 'INVALID_CALLER' },
  });
  return { callId, disputeId: createDispute.id };
}

async function viewingManagers(): Promise<string[]> {
  const r = await db().query(
    `SELECT id FROM users WHERE role = 'MANAGER' AND 'VIEW_DISPUTES' = ANY (permissions)`,
  );
  return r.rows.map((u: { id: string }) => u.id);
}

/** Everything a withdrawal writes, to prove a refusal wrote none of it. */
async function written(disputeId: string) {
  const r = await db().query(
    `SELECT d.status, d.withdrawn_at, d.withdrawn_by, d.decided_at, c.payout_minor::int AS payout,
       (SELECT count(*)::int FROM dispute_events e WHERE e.dispute_id = d.id) AS events,
       (SELECT count(*)::int FROM notifications n WHERE n.dispute_id = d.id) AS notifications
       FROM disputes d JOIN calls c ON c.id = d.call_id WHERE d.id = $1`,
    [disputeId],
  );
  return r.rows[0] as {
    status: string;
    withdrawn_at: Date | null;
    withdrawn_by: string | null;
    decided_at: Date | null;
    payout: number;
    events: number;
    notifications: number;
  };
}

describe('withdrawDispute', () => {
  it('withdraws a PENDING dispute of the account: status, event, managers notified, payout unchanged, disputable again', async () => {
    const { callId, disputeId } = await pendingDispute();
    const managersBefore = await viewingManagers();
    // Any buyer user of the account with DISPUTE_CALLS, not only the one who sent it.
    const { withdrawDispute: d } = await w.as.buyerA2.run(WithdrawDisputeDocument, { disputeId });
    expect(d).toMatchObject({
      id: disputeId,
      status: 'WITHDRAWN',
      decision: null,
      call: { id: callId, payout: { amount: '25.00' }, disputability: { allowed: true } },
    });
    expect(d.history).toEqual([
      expect.objectContaining({ type: 'CREATED', statusAfter: 'PENDING' }),
      {
        type: 'WITHDRAWN',
        statusBefore: 'PENDING',
        statusAfter: 'WITHDRAWN',
        actor: { id: w.ids.buyerA2 },
        payoutBefore: { amount: '25.00' },
        payoutAfter: { amount: '25.00' },
      },
    ]);

    const row = await written(disputeId);
    expect(row).toMatchObject({
      status: 'WITHDRAWN',
      withdrawn_by: w.ids.buyerA2,
      decided_at: null,
      payout: 2500,
      events: 2,
    });
    expect(row.withdrawn_at).toBeInstanceOf(Date);

    // Every manager with VIEW_DISPUTES, and no one else.
    const notified = await db().query(
      `SELECT n.user_id, u.role, u.permissions FROM notifications n JOIN users u ON u.id = n.user_id
        WHERE n.dispute_id = $1 AND n.kind = 'DISPUTE_WITHDRAWN'`,
      [disputeId],
    );
    const ids = notified.rows.map((r: { user_id: string }) => r.user_id);
    expect(ids).toEqual(expect.arrayContaining([w.ids.viewManager, w.ids.editManager]));
    expect(ids).not.toContain(w.ids.plainManager);
    for (const r of notified.rows as { role: string; permissions: string[] }[]) {
      expect(r.role).toBe('MANAGER');
      expect(r.permissions).toContain('VIEW_DISPUTES');
    }
    // Other files add managers meanwhile: at least those there before, at most those after.
    expect(ids).toEqual(expect.arrayContaining(managersBefore));
    expect(await viewingManagers()).toEqual(expect.arrayContaining(ids));

    // A new dispute of the call is allowed: the TypeScript rule, the SQL filter and the mutation agree.
    const { call } = await w.as.buyerA.run(CallDocument, { id: callId });
    expect(call?.disputability).toMatchObject({ allowed: true, blockedBy: null });
    const { calls } = await w.as.buyerA.run(CallsDocument, {
      filter: { disputable: true },
      first: 100,
    });
    expect(calls.nodes.map((c) => c.id)).toContain(callId);
    const again = await w.as.buyerA.run(CreateDisputeIdDocument, {
      input: { callId, reason: 'OTHER' },
    });
    expect(again.createDispute.status).toBe('PENDING');
  });

  it('is refused with the contract codes, writing nothing', async () => {
    const { disputeId } = await pendingDispute();
    const rejectedCall = await insertCall({ buyerId: w.ids.accountA, campaignId: w.ids.campaign });
    const rejected = await insertDispute({
      callId: rejectedCall,
      createdBy: w.ids.buyerA,
      status: 'REJECTED',
      decidedBy: w.ids.editManager,
    });
    const withdrawnCall = await insertCall({
      buyerId: w.ids.accountA,
      campaignId: w.ids.campaign,
    });
    const withdrawn = await insertDispute({
      callId: withdrawnCall,
      createdBy: w.ids.buyerA,
      status: 'WITHDRAWN',
    });
    const cases: { name: string; as: Client; id: string; code: string }[] = [
      { name: 'anonymous', as: w.as.anonymous, id: disputeId, code: 'UNAUTHENTICATED' },
      { name: 'an editing manager', as: w.as.editManager, id: disputeId, code: 'FORBIDDEN' },
      { name: 'a view-only manager', as: w.as.viewManager, id: disputeId, code: 'FORBIDDEN' },
      {
        name: 'a buyer without DISPUTE_CALLS',
        as: w.as.buyerANoPerm,
        id: disputeId,
        code: 'FORBIDDEN',
      },
      { name: "another account's buyer", as: w.as.buyerB, id: disputeId, code: 'NOT_FOUND' },
      {
        name: 'a missing dispute',
        as: w.as.buyerA,
        id: '00000000-0000-4000-8000-000000000000',
        code: 'NOT_FOUND',
      },
      { name: 'a malformed ID', as: w.as.buyerA, id: 'nope', code: 'NOT_FOUND' },
      {
        name: 'a rejected dispute',
        as: w.as.buyerA,
        id: rejected,
        code: 'DISPUTE_ALREADY_RESOLVED',
      },
      {
        name: 'a withdrawn dispute',
        as: w.as.buyerA,
        id: withdrawn,
        code: 'DISPUTE_ALREADY_RESOLVED',
      },
    ];
    const before = await Promise.all([disputeId, rejected, withdrawn].map(written));
    for (const c of cases) {
      const res = await c.as.raw(WithdrawDisputeDocument, { disputeId: c.id });
      expect({ name: c.name, code: res.errors?.[0]?.extensions?.code }).toEqual({
        name: c.name,
        code: c.code,
      });
      expect(res.data?.withdrawDispute ?? null).toBeNull();
    }
    expect(await Promise.all([disputeId, rejected, withdrawn].map(written))).toEqual(before);
  });

  it('words DISPUTE_ALREADY_RESOLVED for a withdrawn dispute without calling it decided', async () => {
    const { disputeId } = await pendingDispute();
    await w.as.buyerA.run(WithdrawDisputeDocument, { disputeId });
    for (const res of [
      await w.as.buyerA.raw(WithdrawDisputeDocument, { disputeId }),
      await w.as.editManager.raw(ResolveDisputeDocument, {
        input: { disputeId, outcome: 'REJECTED' },
      }),
    ]) {
      expect(res.errors?.[0]?.extensions?.code).toBe('DISPUTE_ALREADY_RESOLVED');
      expect(res.errors?.[0]?.message).toMatch(/withdrawn/);
      expect(res.errors?.[0]?.message).not.toMatch(/decided/);
    }
    expect(await written(disputeId)).toMatchObject({
      status: 'WITHDRAWN',
      events: 2,
      payout: 2500,
    });
  });

  it('races a decision: of a concurrent withdrawal and decision exactly one wins, every round', async () => {
    const won = { withdrawal: 0, decision: 0 };
    for (let round = 0; round < 12; round++) {
      const callId = await insertCall({
        buyerId: w.ids.accountA,
        campaignId: w.ids.campaign,
        payoutMinor: 2500,
      });
      const disputeId = await insertDispute({ callId, createdBy: w.ids.buyerA });
      const [withdrawal, decision] = await Promise.all([
        w.as.buyerA.raw(WithdrawDisputeDocument, { disputeId }),
        w.as.editManager.raw(ResolveDisputeDocument, {
          input: { disputeId, outcome: 'ACCEPTED' },
        }),
      ]);
      const withdrew = !withdrawal.errors;
      const decided = !decision.errors;
      won[withdrew ? 'withdrawal' : 'decision'] += 1;
      expect({ round, winners: Number(withdrew) + Number(decided) }).toEqual({ round, winners: 1 });
      const loser = withdrew ? decision : withdrawal;
      expect(loser.errors?.[0]?.extensions?.code).toBe('DISPUTE_ALREADY_RESOLVED');
      const row = await written(disputeId);
      const kinds = (
        await db().query('SELECT DISTINCT kind FROM notifications WHERE dispute_id = $1', [
          disputeId,
        ])
      ).rows.map((r: { kind: string }) => r.kind);
      const events = (
        await db().query('SELECT type FROM dispute_events WHERE dispute_id = $1', [disputeId])
      ).rows.map((r: { type: string }) => r.type);
      if (withdrew) {
        expect(row).toMatchObject({ status: 'WITHDRAWN', decided_at: null, payout: 2500 });
        expect(events).toEqual(['WITHDRAWN']);
        expect(kinds).toEqual(['DISPUTE_WITHDRAWN']);
      } else {
        expect(row).toMatchObject({ status: 'ACCEPTED', withdrawn_at: null, payout: 0 });
        expect(events).toEqual(['RESOLVED']);
        expect(kinds).toEqual(['DISPUTE_RESOLVED']);
      }
    }
    console.log(`withdrawal vs decision, 12 rounds: ${JSON.stringify(won)}`);
  });

  it('lists WITHDRAWN last in the default order', async () => {
    const account = await insertAccount();
    const buyer = await insertUser({
      role: 'BUYER',
      accountId: account,
      permissions: ['DISPUTE_CALLS'],
    });
    const as = await Client.forUser(buyer);
    const { disputeId: toWithdraw } = await pendingDispute(as, account);
    await as.run(WithdrawDisputeDocument, { disputeId: toWithdraw });
    for (const status of ['REJECTED', 'ACCEPTED', 'ACCEPTED_PARTIAL'] as const) {
      const callId = await insertCall({ buyerId: account, campaignId: w.ids.campaign });
      await insertDispute({
        callId,
        createdBy: buyer,
        status,
        decidedBy: w.ids.editManager,
        adjustmentMinor: status === 'ACCEPTED_PARTIAL' ? 100 : status === 'ACCEPTED' ? 2500 : 0,
      });
    }
    await pendingDispute(as, account);
    const { disputes } = await as.run(DisputesDocument, { first: 10 });
    expect(disputes.edges.map((e) => e.node.status)).toEqual([
      'PENDING',
      'ACCEPTED',
      'ACCEPTED_PARTIAL',
      'REJECTED',
      'WITHDRAWN',
    ]);
  });

  it('updates counters, disputeChanged and the managers’ notificationAdded like a decision', async () => {
    const account = await insertAccount();
    const buyer = await insertUser({
      role: 'BUYER',
      accountId: account,
      permissions: ['DISPUTE_CALLS'],
    });
    const as = await Client.forUser(buyer);
    const { disputeId } = await pendingDispute(as, account);
    const buyerLive = await LiveClient.forUser(buyer);
    const managerLive = await LiveClient.forUser(w.ids.viewManager);
    live.push(buyerLive, managerLive);
    const counter = buyerLive.subscribe(PendingDisputesCountLiveDocument);
    const changed = buyerLive.subscribe(DisputeChangedLiveDocument);
    const added = managerLive.subscribe(NotificationAddedLiveDocument);
    await counter.until((v) => v.length >= 1 && v[0]!.pendingDisputesCount === 1);

    await as.run(WithdrawDisputeDocument, { disputeId });

    await counter.until((v) => v.some((x) => x.pendingDisputesCount === 0));
    const [change] = await changed.until((v) => v.length >= 1);
    expect(change!.disputeChanged).toMatchObject({ id: disputeId, status: 'WITHDRAWN' });
    await added.until((v) =>
      v.some(
        (x) =>
          x.notificationAdded.kind === 'DISPUTE_WITHDRAWN' &&
          x.notificationAdded.dispute.id === disputeId,
      ),
    );
  });
});
