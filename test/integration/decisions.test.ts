import { randomUUID } from 'node:crypto';
import {
  CallDocument,
  CreateDisputeIdDocument,
  DisputeDocument,
  ResolveDisputeDocument,
  ResolveDisputesDocument,
} from '../generated/graphql';
import {
  closeDb,
  count,
  createWorld,
  db,
  insertCall,
  insertDispute,
  type World,
} from '../support/seed';

let w: World;
beforeAll(async () => {
  w = await createWorld();
});
afterAll(closeDb);

async function pendingDispute(payoutMinor = 2500) {
  const callId = await insertCall({
    buyerId: w.ids.accountA,
    campaignId: w.ids.campaign,
    payoutMinor,
  });
  const { createDispute } = await w.as.buyerA.run(CreateDisputeIdDocument, {
    input: { callId, reason: 'INVALID_CALLER' },
  });
  return { callId, disputeId: createDispute.id };
}

async function state(disputeId: string) {
  const r = await db().query(
    `SELECT d.status, c.payout_minor::int AS payout, (SELECT count(*)::int FROM dispute_events e WHERE e.dispute_id = d.id) AS events
       FROM disputes d JOIN calls c ON c.id = d.call_id WHERE d.id = $1`,
    [disputeId],
  );
  return r.rows[0] as { status: string; payout: number; events: number } | undefined;
}

describe('resolveDispute', () => {
  it('partially accepts: the payout drops by the amount, and the buyer sees decision and comment', async () => {
    const { callId, disputeId } = await pendingDispute(2500);
    const { resolveDispute: d } = await w.as.editManager.run(ResolveDisputeDocument, {
      input: {
        disputeId,
        outcome: 'ACCEPTED_PARTIAL',
        adjustmentAmount: '10.50',
        comment: ' Partly a bot. ',
      },
    });
    expect(d.status).toBe('ACCEPTED_PARTIAL');
    expect(d.decision).toMatchObject({
      outcome: 'ACCEPTED_PARTIAL',
      adjustment: { amount: '10.50', currency: 'USD' },
      comment: 'Partly a bot.',
      decidedBy: { id: w.ids.editManager },
    });
    expect(
      d.history.map((e) => [
        e.type,
        e.statusBefore,
        e.statusAfter,
        e.payoutBefore.amount,
        e.payoutAfter.amount,
      ]),
    ).toEqual([
      ['CREATED', null, 'PENDING', '25.00', '25.00'],
      ['RESOLVED', 'PENDING', 'ACCEPTED_PARTIAL', '25.00', '14.50'],
    ]);
    const { call } = await w.as.buyerA.run(CallDocument, { id: callId });
    expect(call?.payout.amount).toBe('14.50');
    expect(call?.originalPayout.amount).toBe('25.00');
    expect(call?.disputability.blockedBy).toBe('ALREADY_ADJUSTED');
    const seen = await w.as.buyerA.run(DisputeDocument, { id: disputeId });
    expect(seen.dispute?.decision?.comment).toBe('Partly a bot.');
  });

  it('accepts: the payout drops to 0.00 and the adjustment is the whole payout', async () => {
    const { callId, disputeId } = await pendingDispute(3000);
    const { resolveDispute: d } = await w.as.editManager.run(ResolveDisputeDocument, {
      input: { disputeId, outcome: 'ACCEPTED' },
    });
    expect(d.decision?.adjustment.amount).toBe('30.00');
    expect(d.call.payout.amount).toBe('0.00');
    const again = await w.as.buyerA.raw(CreateDisputeIdDocument, {
      input: { callId, reason: 'OTHER' },
    });
    expect(again.errors?.[0]?.extensions?.code).toBe('CALL_ALREADY_ADJUSTED');
  });

  it('rejects: nothing changes, and the buyer may dispute again inside the window', async () => {
    const { callId, disputeId } = await pendingDispute(3000);
    const { resolveDispute: d } = await w.as.editManager.run(ResolveDisputeDocument, {
      input: { disputeId, outcome: 'REJECTED', comment: 'Call was fine.' },
    });
    expect(d.decision?.adjustment.amount).toBe('0.00');
    expect(d.call.payout.amount).toBe('30.00');
    expect(d.call.disputability).toEqual({ allowed: false, blockedBy: 'NO_PERMISSION' }); // seen by the manager
    const { call } = await w.as.buyerA.run(CallDocument, { id: callId });
    expect(call?.disputability).toEqual({
      allowed: true,
      blockedBy: null,
      windowEndsAt: expect.any(String),
    });
    const again = await w.as.buyerA.run(CreateDisputeIdDocument, {
      input: { callId, reason: 'OTHER' },
    });
    expect(again.createDispute.status).toBe('PENDING');
  });

  type Row = {
    name: string;
    code: string;
    client?: keyof World['as'];
    input: (id: string) => Record<string, unknown>;
    decided?: boolean;
  };
  const table: Row[] = [
    {
      name: 'a buyer',
      code: 'FORBIDDEN',
      client: 'buyerA',
      input: (id) => ({ disputeId: id, outcome: 'REJECTED' }),
    },
    {
      name: 'a view-only manager',
      code: 'FORBIDDEN',
      client: 'viewManager',
      input: (id) => ({ disputeId: id, outcome: 'ACCEPTED' }),
    },
    {
      name: 'no token',
      code: 'UNAUTHENTICATED',
      client: 'anonymous',
      input: (id) => ({ disputeId: id, outcome: 'ACCEPTED' }),
    },
    {
      name: 'an amount equal to the payout',
      code: 'BAD_USER_INPUT',
      input: (id) => ({ disputeId: id, outcome: 'ACCEPTED_PARTIAL', adjustmentAmount: '25.00' }),
    },
    {
      name: 'an amount above the payout',
      code: 'BAD_USER_INPUT',
      input: (id) => ({ disputeId: id, outcome: 'ACCEPTED_PARTIAL', adjustmentAmount: '99.99' }),
    },
    {
      name: 'a zero amount',
      code: 'BAD_USER_INPUT',
      input: (id) => ({ disputeId: id, outcome: 'ACCEPTED_PARTIAL', adjustmentAmount: '0.00' }),
    },
    {
      name: 'a negative amount',
      code: 'BAD_USER_INPUT',
      input: (id) => ({ disputeId: id, outcome: 'ACCEPTED_PARTIAL', adjustmentAmount: '-1.00' }),
    },
    {
      name: 'three decimals',
      code: 'BAD_USER_INPUT',
      input: (id) => ({ disputeId: id, outcome: 'ACCEPTED_PARTIAL', adjustmentAmount: '1.005' }),
    },
    {
      name: 'an exponent',
      code: 'BAD_USER_INPUT',
      input: (id) => ({ disputeId: id, outcome: 'ACCEPTED_PARTIAL', adjustmentAmount: '1e1' }),
    },
    {
      name: 'a missing amount for partial',
      code: 'BAD_USER_INPUT',
      input: (id) => ({ disputeId: id, outcome: 'ACCEPTED_PARTIAL' }),
    },
    {
      name: 'an amount with ACCEPTED',
      code: 'BAD_USER_INPUT',
      input: (id) => ({ disputeId: id, outcome: 'ACCEPTED', adjustmentAmount: '5.00' }),
    },
    {
      name: 'an amount with REJECTED',
      code: 'BAD_USER_INPUT',
      input: (id) => ({ disputeId: id, outcome: 'REJECTED', adjustmentAmount: '5.00' }),
    },
    {
      name: 'outcome PENDING',
      code: 'BAD_USER_INPUT',
      input: (id) => ({ disputeId: id, outcome: 'PENDING' }),
    },
    {
      name: 'a comment over 2,000 characters',
      code: 'BAD_USER_INPUT',
      input: (id) => ({ disputeId: id, outcome: 'REJECTED', comment: 'y'.repeat(2001) }),
    },
    {
      name: 'an unknown dispute',
      code: 'NOT_FOUND',
      input: () => ({ disputeId: randomUUID(), outcome: 'REJECTED' }),
    },
    {
      name: 'an already decided dispute',
      code: 'DISPUTE_ALREADY_RESOLVED',
      decided: true,
      input: (id) => ({ disputeId: id, outcome: 'ACCEPTED' }),
    },
    {
      name: 'an already decided dispute, even with a bad amount',
      code: 'DISPUTE_ALREADY_RESOLVED',
      decided: true,
      input: (id) => ({ disputeId: id, outcome: 'ACCEPTED_PARTIAL', adjustmentAmount: '999.00' }),
    },
  ];

  it.each(table)('$name → $code; payout, status and history unchanged', async (row) => {
    const { disputeId } = await pendingDispute(2500);
    if (row.decided)
      await w.as.editManager.run(ResolveDisputeDocument, {
        input: { disputeId, outcome: 'REJECTED' },
      });
    const before = await state(disputeId);
    const notes = await count('notifications', 'dispute_id = $1', [disputeId]);
    const res = await w.as[row.client ?? 'editManager'].raw(ResolveDisputeDocument, {
      input: row.input(disputeId) as never,
    });
    expect(res.errors?.[0]?.extensions?.code).toBe(row.code);
    expect(await state(disputeId)).toEqual(before);
    expect(await count('notifications', 'dispute_id = $1', [disputeId])).toBe(notes);
  });

  it('of 10 concurrent decisions with mixed outcomes, exactly one wins (20 rounds)', async () => {
    const outcomes = [
      { outcome: 'ACCEPTED' },
      { outcome: 'REJECTED' },
      { outcome: 'ACCEPTED_PARTIAL', adjustmentAmount: '5.00' },
      { outcome: 'ACCEPTED_PARTIAL', adjustmentAmount: '12.34' },
    ] as const;
    for (let round = 0; round < 20; round++) {
      const { disputeId } = await pendingDispute(2500);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          w.as.editManager.raw(ResolveDisputeDocument, {
            input: { disputeId, ...outcomes[i % outcomes.length]! },
          }),
        ),
      );
      const winners = results.filter((r) => r.data?.resolveDispute);
      expect(winners).toHaveLength(1);
      expect(results.filter((r) => r.errors).map((r) => r.errors![0]!.extensions?.code)).toEqual(
        Array(9).fill('DISPUTE_ALREADY_RESOLVED'),
      );
      const win = winners[0]!.data!.resolveDispute;
      const after = await state(disputeId);
      expect(after?.events).toBe(2);
      expect(
        await count('dispute_events', `dispute_id = $1 AND type = 'RESOLVED'`, [disputeId]),
      ).toBe(1);
      expect(after?.payout).toBe(2500 - Math.round(Number(win.decision!.adjustment.amount) * 100));
    }
  });
});

describe('resolveDisputes (bulk)', () => {
  it('decides each item on its own and answers in input order', async () => {
    const a = await pendingDispute(2000);
    const b = await pendingDispute(2000);
    const decided = await pendingDispute(2000);
    await w.as.editManager.run(ResolveDisputeDocument, {
      input: { disputeId: decided.disputeId, outcome: 'REJECTED' },
    });
    const unknown = randomUUID();
    const { resolveDisputes } = await w.as.editManager.run(ResolveDisputesDocument, {
      inputs: [
        { disputeId: a.disputeId, outcome: 'ACCEPTED' },
        { disputeId: decided.disputeId, outcome: 'ACCEPTED' },
        { disputeId: unknown, outcome: 'REJECTED' },
        { disputeId: b.disputeId, outcome: 'ACCEPTED_PARTIAL', adjustmentAmount: '20.00' },
        { disputeId: b.disputeId, outcome: 'REJECTED' },
      ],
    });
    expect(
      resolveDisputes.map((r) => [r.disputeId, r.dispute?.status ?? null, r.error?.code ?? null]),
    ).toEqual([
      [a.disputeId, 'ACCEPTED', null],
      [decided.disputeId, null, 'DISPUTE_ALREADY_RESOLVED'],
      [unknown, null, 'NOT_FOUND'],
      [b.disputeId, null, 'BAD_USER_INPUT'],
      [b.disputeId, 'REJECTED', null],
    ]);
    expect((await state(b.disputeId))?.payout).toBe(2000);
  });

  it('refuses more than 100 items, and a view-only manager entirely', async () => {
    const inputs = Array.from({ length: 101 }, () => ({
      disputeId: randomUUID(),
      outcome: 'REJECTED' as const,
    }));
    expect(await w.as.editManager.errorCode(ResolveDisputesDocument, { inputs })).toBe(
      'BAD_USER_INPUT',
    );
    expect(
      await w.as.viewManager.errorCode(ResolveDisputesDocument, { inputs: inputs.slice(0, 1) }),
    ).toBe('FORBIDDEN');
  });
});

describe('the audit trail', () => {
  it('is append-only: the database refuses to change or remove an event', async () => {
    const { disputeId } = await pendingDispute();
    await expect(
      db().query(`UPDATE dispute_events SET status_after = 'REJECTED' WHERE dispute_id = $1`, [
        disputeId,
      ]),
    ).rejects.toThrow(/append-only/);
    await expect(
      db().query('DELETE FROM dispute_events WHERE dispute_id = $1', [disputeId]),
    ).rejects.toThrow(/append-only/);
    expect(await count('dispute_events', 'dispute_id = $1', [disputeId])).toBe(1);
  });

  it('a view-only manager can open a dispute with its call and history but not decide it', async () => {
    const { disputeId } = await pendingDispute();
    const { dispute } = await w.as.viewManager.run(DisputeDocument, { id: disputeId });
    expect(dispute?.history).toHaveLength(1);
    expect(dispute?.call.id).toBeTruthy();
    const other = await insertDispute({
      callId: await insertCall({ buyerId: w.ids.accountB, campaignId: w.ids.campaign }),
      createdBy: w.ids.buyerB,
    });
    expect((await w.as.viewManager.run(DisputeDocument, { id: other })).dispute?.id).toBe(other);
  });
});

describe('statements per write', () => {
  it('createDispute and a decision each cost a bounded handful of SQL statements', async () => {
    const callId = await insertCall({ buyerId: w.ids.accountA, campaignId: w.ids.campaign });
    const created = await w.as.buyerA.raw(CreateDisputeIdDocument, {
      input: { callId, reason: 'INVALID_CALLER' },
    });
    expect(created.errors).toBeUndefined();
    // viewer, BEGIN, locked call with account and campaign, its disputes, dispute, the event's
    // fan-out (history, notifications, webhook outbox and NOTIFY in one statement), COMMIT
    expect(created.extensions?.sqlStatements).toBe(7);
    const disputeId = (created.data as { createDispute: { id: string } }).createDispute.id;
    const decided = await w.as.editManager.raw(ResolveDisputesDocument, {
      inputs: [{ disputeId, outcome: 'ACCEPTED' }],
    });
    expect(decided.errors).toBeUndefined();
    // viewer, BEGIN, locked dispute with call and account, dispute, payout, the event's fan-out,
    // COMMIT; then the account for the adjustment's currency
    expect(decided.extensions?.sqlStatements).toBe(8);
  });
});
