import { randomUUID } from 'node:crypto';
import {
  CreateDisputeDocument,
  CreateDisputeIdDocument,
  DisputeDocument,
  DisputesDocument,
  DisputesPageDocument,
  PendingCountDocument,
  type DisputesQuery,
  type DisputeOrderField,
  type OrderDirection,
} from '../generated/graphql';
import type { Client } from '../support/client';
import {
  closeDb,
  count,
  createWorld,
  db,
  HOUR,
  insertCall,
  insertDispute,
  type World,
} from '../support/seed';

let w: World;
beforeAll(async () => {
  w = await createWorld();
});
afterAll(closeDb);

const newCall = (opts: Partial<Parameters<typeof insertCall>[0]> = {}) =>
  insertCall({ buyerId: w.ids.accountA, campaignId: w.ids.campaign, ...opts });

/** What a failed createDispute must not leave behind. */
async function writtenFor(callId: string, userId: string) {
  if (!/^[0-9a-f-]{36}$/.test(callId)) callId = '00000000-0000-4000-8000-000000000000';
  return {
    disputes: await count('disputes', 'call_id = $1', [callId]),
    events: await count(
      'dispute_events e JOIN disputes d ON d.id = e.dispute_id',
      'd.call_id = $1',
      [callId],
    ),
    keys: await count('idempotency_keys', 'user_id = $1', [userId]),
    notifications: await count(
      'notifications n JOIN disputes d ON d.id = n.dispute_id',
      'd.call_id = $1',
      [callId],
    ),
  };
}

describe('createDispute', () => {
  it('creates a PENDING dispute with its CREATED event, shown first on the Disputes page and in the badge', async () => {
    const callId = await newCall({ payoutMinor: 4200 });
    const before = (await w.as.buyerA.run(PendingCountDocument)).viewer.pendingDisputesCount;
    const { createDispute: d } = await w.as.buyerA.run(CreateDisputeDocument, {
      input: { callId, reason: 'INVALID_CALLER', additionalInfo: '  Robot voice, hung up.  ' },
    });
    expect(d).toMatchObject({
      status: 'PENDING',
      reason: 'INVALID_CALLER',
      additionalInfo: 'Robot voice, hung up.',
      call: {
        id: callId,
        payout: { amount: '42.00', currency: 'USD' },
        disputability: { allowed: false, blockedBy: 'DISPUTE_PENDING' },
      },
      buyer: { id: w.ids.accountA },
      createdBy: { id: w.ids.buyerA },
      evidence: [],
      decision: null,
    });
    expect(d.history).toEqual([
      expect.objectContaining({
        type: 'CREATED',
        actor: { id: w.ids.buyerA },
        statusBefore: null,
        statusAfter: 'PENDING',
        payoutBefore: { amount: '42.00' },
        payoutAfter: { amount: '42.00' },
      }),
    ]);
    const page = await w.as.buyerA.run(DisputesDocument, { first: 1 });
    expect(page.disputes.edges[0]?.node.id).toBe(d.id);
    expect((await w.as.buyerA.run(PendingCountDocument)).viewer.pendingDisputesCount).toBe(
      before + 1,
    );
    // Another user of the same account sees it too.
    expect((await w.as.buyerA2.run(DisputeDocument, { id: d.id })).dispute?.id).toBe(d.id);
  });

  type Row = {
    name: string;
    code: string;
    client?: keyof World['as'];
    arrange?: () => Promise<{ callId: string; input?: Record<string, unknown> }>;
    input?: Record<string, unknown>;
  };
  const table: Row[] = [
    { name: 'no token', code: 'UNAUTHENTICATED', client: 'anonymous' },
    { name: 'a buyer without DISPUTE_CALLS', code: 'FORBIDDEN', client: 'buyerANoPerm' },
    { name: 'a manager', code: 'FORBIDDEN', client: 'editManager' },
    {
      name: "another account's call",
      code: 'NOT_FOUND',
      arrange: async () => ({
        callId: await insertCall({ buyerId: w.ids.accountB, campaignId: w.ids.campaign }),
      }),
    },
    { name: 'a missing call', code: 'NOT_FOUND', arrange: async () => ({ callId: randomUUID() }) },
    { name: 'a malformed call id', code: 'NOT_FOUND', arrange: async () => ({ callId: 'call-1' }) },
    {
      name: 'additionalInfo over 2,000 characters',
      code: 'BAD_USER_INPUT',
      input: { additionalInfo: 'x'.repeat(2001) },
    },
    {
      name: 'more than 10 evidence files',
      code: 'BAD_USER_INPUT',
      input: { evidenceIds: Array.from({ length: 11 }, () => randomUUID()) },
    },
    { name: 'an unknown reason', code: 'BAD_USER_INPUT', input: { reason: 'BORED' } },
    { name: 'a missing reason', code: 'BAD_USER_INPUT', input: { reason: undefined } },
    {
      name: 'a call without conversion',
      code: 'CALL_NOT_DISPUTABLE',
      arrange: async () => ({ callId: await newCall({ status: 'COMPLETED_NO_CONVERSION' }) }),
    },
    {
      name: 'a call in progress',
      code: 'CALL_NOT_DISPUTABLE',
      arrange: async () => ({ callId: await newCall({ status: 'IN_PROGRESS' }) }),
    },
    {
      name: 'a call past its window',
      code: 'DISPUTE_WINDOW_EXPIRED',
      arrange: async () => ({
        callId: await newCall({ startedAt: new Date(Date.now() - 73 * HOUR) }),
      }),
    },
    {
      name: 'a call with a pending dispute',
      code: 'DISPUTE_ALREADY_ACTIVE',
      arrange: async () => {
        const callId = await newCall();
        await insertDispute({ callId, createdBy: w.ids.buyerA2 });
        return { callId };
      },
    },
    {
      name: 'a call already adjusted',
      code: 'CALL_ALREADY_ADJUSTED',
      arrange: async () => {
        const callId = await newCall();
        await insertDispute({
          callId,
          createdBy: w.ids.buyerA2,
          status: 'ACCEPTED_PARTIAL',
          decidedBy: w.ids.editManager,
          adjustmentMinor: 100,
        });
        return { callId };
      },
    },
    {
      name: 'evidence that does not exist',
      code: 'EVIDENCE_INVALID',
      input: { evidenceIds: [randomUUID()] },
    },
  ];

  it.each(table)('$name → $code, and nothing is written', async (row) => {
    const arranged = row.arrange ? await row.arrange() : { callId: await newCall() };
    const client: Client = w.as[row.client ?? 'buyerA'];
    const before = await writtenFor(arranged.callId, w.ids.buyerA);
    const input = {
      callId: arranged.callId,
      reason: 'DUPLICATE_CALL',
      idempotencyKey: randomUUID(),
      ...row.input,
    };
    const res = await client.raw(CreateDisputeDocument, { input: input as never });
    expect(res.errors?.[0]?.extensions?.code).toBe(row.code);
    expect(res.errors?.[0]?.message).toBeTruthy();
    expect(JSON.stringify(res.errors)).not.toMatch(/stacktrace|SELECT|INSERT/);
    expect(await writtenFor(arranged.callId, w.ids.buyerA)).toEqual(before);
  });

  it('a retry with the same idempotency key returns the first dispute; other input under it is refused', async () => {
    const callId = await newCall();
    const key = randomUUID();
    const input = {
      callId,
      reason: 'CALL_NOT_CONNECTED' as const,
      additionalInfo: 'no audio',
      idempotencyKey: key,
    };
    const first = await w.as.buyerA.run(CreateDisputeIdDocument, { input });
    const again = await w.as.buyerA.run(CreateDisputeIdDocument, { input });
    expect(again.createDispute.id).toBe(first.createDispute.id);
    expect(await count('disputes', 'call_id = $1', [callId])).toBe(1);
    const other = await w.as.buyerA.raw(CreateDisputeIdDocument, {
      input: { ...input, additionalInfo: 'different' },
    });
    expect(other.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(other.errors?.[0]?.message).toMatch(/idempotencyKey/);
    // The key is the user's own: another user with the same key is a new attempt (here: the call is taken).
    const otherUser = await w.as.buyerA2.raw(CreateDisputeIdDocument, { input });
    expect(otherUser.errors?.[0]?.extensions?.code).toBe('DISPUTE_ALREADY_ACTIVE');
  });

  it('concurrent retries with one idempotency key create one dispute and all get it', async () => {
    const callId = await newCall();
    const input = { callId, reason: 'OTHER' as const, idempotencyKey: randomUUID() };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => w.as.buyerA.raw(CreateDisputeIdDocument, { input })),
    );
    const ids = new Set(results.map((r) => r.data?.createDispute.id));
    expect(results.every((r) => !r.errors)).toBe(true);
    expect(ids.size).toBe(1);
    expect(await count('disputes', 'call_id = $1', [callId])).toBe(1);
  });

  it('of 50 concurrent disputes of one call by two users, exactly one succeeds (20 rounds)', async () => {
    for (let round = 0; round < 20; round++) {
      const callId = await newCall();
      const attempts = Array.from({ length: 50 }, (_, i) =>
        (i % 2 ? w.as.buyerA : w.as.buyerA2).raw(CreateDisputeIdDocument, {
          input: { callId, reason: 'DUPLICATE_CALL' },
        }),
      );
      const results = await Promise.all(attempts);
      const ok = results.filter((r) => r.data?.createDispute?.id);
      const codes = results.filter((r) => r.errors).map((r) => r.errors![0]!.extensions?.code);
      expect(ok).toHaveLength(1);
      expect(codes).toEqual(Array(49).fill('DISPUTE_ALREADY_ACTIVE'));
      expect(await count('disputes', `call_id = $1 AND status = 'PENDING'`, [callId])).toBe(1);
      expect(
        await count('dispute_events e JOIN disputes d ON d.id = e.dispute_id', 'd.call_id = $1', [
          callId,
        ]),
      ).toBe(1);
    }
  });
});

describe('the Disputes page', () => {
  let v: World;
  const mine: string[] = [];
  let foreignId: string;
  beforeAll(async () => {
    v = await createWorld();
    const base = Date.now() - 50 * HOUR;
    for (let i = 0; i < 12; i++) {
      const callId = await insertCall({
        buyerId: v.ids.accountA,
        campaignId: v.ids.campaign,
        startedAt: new Date(base + i * HOUR),
        payoutMinor: 1000 + (i % 4) * 500,
        callerId: `+1555777${String(1000 + i)}`,
      });
      const status = (['PENDING', 'REJECTED', 'ACCEPTED', 'ACCEPTED_PARTIAL'] as const)[i % 4];
      mine.push(
        await insertDispute({
          callId,
          createdBy: v.ids.buyerA,
          status,
          decidedBy: v.ids.editManager,
          adjustmentMinor: status === 'ACCEPTED_PARTIAL' ? 100 : 0,
        }),
      );
    }
    const foreignCall = await insertCall({
      buyerId: v.ids.accountB,
      campaignId: v.ids.campaign,
      callerId: '+15557771000',
    });
    foreignId = await insertDispute({ callId: foreignCall, createdBy: v.ids.buyerB });
  });

  it('lists PENDING first, then ACCEPTED, ACCEPTED_PARTIAL, REJECTED, newest first within each', async () => {
    const { disputes } = await v.as.buyerA.run(DisputesDocument, { first: 100 });
    const statuses = disputes.edges.map((e) => e.node.status);
    const rank = { PENDING: 0, ACCEPTED: 1, ACCEPTED_PARTIAL: 2, REJECTED: 3, WITHDRAWN: 4 };
    expect(statuses.map((s) => rank[s])).toEqual(
      [...statuses.map((s) => rank[s])].sort((a, b) => a - b),
    );
    for (const s of Object.keys(rank)) {
      const times = disputes.edges
        .filter((e) => e.node.status === s)
        .map((e) => new Date(e.node.createdAt).getTime());
      expect(times).toEqual([...times].sort((a, b) => b - a));
    }
    expect(disputes.totalCount).toBe(12);
  });

  it("buyer B never sees buyer A's disputes: not in the list, not by id, not by search", async () => {
    const b = await v.as.buyerB.run(DisputesDocument, { first: 100 });
    expect(b.disputes.edges.map((e) => e.node.id)).toEqual([foreignId]);
    for (const id of mine.slice(0, 3)) {
      const res = await v.as.buyerB.raw(DisputeDocument, { id });
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ dispute: null });
    }
    const search = await v.as.buyerB.run(DisputesDocument, { search: '5557771', first: 100 });
    expect(search.disputes.edges.map((e) => e.node.id)).toEqual([foreignId]);
    const byId = await v.as.buyerB.run(DisputesDocument, {
      search: mine[0]!.slice(0, 13),
      first: 100,
    });
    expect(byId.disputes.totalCount).toBe(0);
    const narrowed = await v.as.buyerB.run(DisputesDocument, {
      filter: { buyerId: v.ids.accountA },
      first: 100,
    });
    expect(narrowed.disputes.edges.map((e) => e.node.id)).toEqual([foreignId]);
  });

  it('searches caller ID, destination and dispute ID, case-insensitively and in part', async () => {
    const byCaller = await v.as.buyerA.run(DisputesDocument, { search: '7771003', first: 100 });
    expect(byCaller.disputes.edges.map((e) => e.node.id)).toEqual([mine[3]]);
    const byId = await v.as.buyerA.run(DisputesDocument, {
      search: mine[5]!.slice(9, 23).toUpperCase(),
      first: 100,
    });
    expect(byId.disputes.edges.map((e) => e.node.id)).toEqual([mine[5]]);
    const wild = await v.as.buyerA.run(DisputesDocument, { search: '%', first: 100 });
    expect(wild.disputes.totalCount).toBe(0);
  });

  it.each([
    undefined,
    { field: 'STATUS', direction: 'DESC' },
    { field: 'CALL_DATE', direction: 'ASC' },
    { field: 'CREATED_AT', direction: 'DESC' },
    { field: 'REVIEW_DUE_AT', direction: 'ASC' },
    { field: 'PAYOUT', direction: 'DESC' },
  ])(
    'a search, page by page in order %j, lists what the whole list holds that matches',
    async (orderBy) => {
      // The search reads each alternative (dispute ID; caller ID or destination) on its own and
      // unites them: "4" matches every dispute ID (version 4) and some caller IDs too.
      const query = `query($first: Int, $after: String, $search: String, $orderBy: DisputeOrder) {
      disputes(first: $first, after: $after, search: $search, orderBy: $orderBy) {
        totalCount nodes { id call { callerId destination } } pageInfo { hasNextPage endCursor } } }`;
      type Page = {
        disputes: {
          totalCount: number;
          nodes: { id: string; call: { callerId: string; destination: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      };
      const all = (await v.as.buyerA.raw(query, { first: 100, orderBy })).data as Page;
      for (const search of ['4', '77710', '7771003', mine[5]!.slice(9, 23).toUpperCase(), '-4']) {
        const expected = all.disputes.nodes
          .filter((n) =>
            [n.id, n.call.callerId, n.call.destination].some((t) =>
              t.toLowerCase().includes(search.toLowerCase()),
            ),
          )
          .map((n) => n.id);
        const seen: string[] = [];
        let after: string | null = null;
        for (let page = 0; page < 20; page++) {
          const res = await v.as.buyerA.raw(query, { first: 2, after, search, orderBy });
          expect(res.errors).toBeUndefined();
          const data = res.data as Page;
          expect(data.disputes.totalCount).toBe(expected.length);
          seen.push(...data.disputes.nodes.map((n) => n.id));
          if (!data.disputes.pageInfo.hasNextPage) break;
          after = data.disputes.pageInfo.endCursor;
        }
        expect({ search, seen }).toEqual({ search, seen: expected });
      }
    },
  );

  it('filters by status, reason, call date and recording', async () => {
    const pending = await v.as.buyerA.run(DisputesDocument, {
      filter: { status: ['PENDING'] },
      first: 100,
    });
    expect(pending.disputes.totalCount).toBe(3);
    const none = await v.as.buyerA.run(DisputesDocument, {
      filter: { reason: ['OTHER'] },
      first: 100,
    });
    expect(none.disputes.totalCount).toBe(0);
    const recorded = await v.as.buyerA.run(DisputesDocument, {
      filter: { hasRecording: true },
      first: 100,
    });
    expect(recorded.disputes.totalCount).toBe(0);
    const from = new Date(Date.now() - 45.5 * HOUR).toISOString();
    const late = await v.as.buyerA.run(DisputesDocument, {
      filter: { callDateFrom: from },
      first: 100,
    });
    expect(late.disputes.totalCount).toBe(7);
  });

  it('a manager sees every buyer and narrows by buyerId; a buyer without DISPUTE_CALLS is FORBIDDEN', async () => {
    const all = await v.as.viewManager.run(DisputesDocument, {
      filter: { buyerId: v.ids.accountA },
      first: 100,
    });
    expect(all.disputes.totalCount).toBe(12);
    expect(all.disputes.edges[0]?.node.buyer).toEqual({ id: v.ids.accountA, name: 'Acme Test' });
    expect(await v.as.buyerANoPerm.errorCode(DisputesDocument, { first: 5 })).toBe('FORBIDDEN');
    expect(await v.as.plainManager.errorCode(DisputesDocument, { first: 5 })).toBe('FORBIDDEN');
    expect((await v.as.plainManager.run(PendingCountDocument)).viewer.pendingDisputesCount).toBe(0);
  });

  const orders: [DisputeOrderField, OrderDirection][] = [
    ['STATUS', 'ASC'],
    ['STATUS', 'DESC'],
    ['CALL_DATE', 'ASC'],
    ['CALL_DATE', 'DESC'],
    ['CREATED_AT', 'ASC'],
    ['CREATED_AT', 'DESC'],
    ['PAYOUT', 'ASC'],
    ['PAYOUT', 'DESC'],
  ];
  it.each(orders)(
    'walks every page ordered by %s %s with inserts in between: no duplicates, no gaps',
    async (field, direction) => {
      const seen: string[] = [];
      let after: string | null = null;
      let inserted = 0;
      for (;;) {
        const page: DisputesQuery = await v.as.buyerA.run(DisputesDocument, {
          first: 5,
          after,
          orderBy: { field, direction },
        });
        seen.push(...page.disputes.edges.map((e) => e.node.id));
        if (!page.disputes.pageInfo.hasNextPage) break;
        after = page.disputes.pageInfo.endCursor ?? null;
        // A new dispute arrives between pages.
        const callId = await insertCall({
          buyerId: v.ids.accountA,
          campaignId: v.ids.campaign,
          payoutMinor: 1750,
        });
        await insertDispute({
          callId,
          createdBy: v.ids.buyerA2,
          status: 'REJECTED',
          decidedBy: v.ids.editManager,
        });
        inserted += 1;
      }
      expect(new Set(seen).size).toBe(seen.length);
      const before = mine.filter((id) => seen.includes(id));
      expect(before.sort()).toEqual([...mine].sort());
      expect(inserted).toBeGreaterThan(0);
    },
  );

  it('a cursor of one ordering is refused by another', async () => {
    const page = await v.as.buyerA.run(DisputesDocument, {
      first: 2,
      orderBy: { field: 'PAYOUT' },
    });
    const res = await v.as.buyerA.raw(DisputesDocument, {
      first: 2,
      after: page.disputes.pageInfo.endCursor,
    });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('a page of 50 disputes with call, buyer, campaign, createdBy and decision costs a bounded handful of statements', async () => {
    const x = await createWorld();
    for (let i = 0; i < 50; i++) {
      const callId = await insertCall({
        buyerId: i % 2 ? x.ids.accountA : x.ids.accountB,
        campaignId: x.ids.campaign,
      });
      await insertDispute({
        callId,
        createdBy: i % 2 ? x.ids.buyerA : x.ids.buyerB,
        status: i % 3 ? 'PENDING' : 'REJECTED',
        decidedBy: x.ids.editManager,
      });
    }
    const small = await x.as.viewManager.raw(DisputesPageDocument, { first: 5 });
    const large = await x.as.viewManager.raw(DisputesPageDocument, { first: 50 });
    expect(large.errors).toBeUndefined();
    expect((large.data as { disputes: { nodes: unknown[] } }).disputes.nodes).toHaveLength(50);
    // viewer, page (with calls, accounts and campaigns), count, users: independent of the page size.
    expect(large.extensions?.sqlStatements).toBeLessThanOrEqual(4);
    expect(large.extensions?.sqlStatements).toBe(small.extensions?.sqlStatements);
    await db().query('SELECT 1');
  });
});
