import { CallDocument, CallPageDocument, CallsDocument } from '../generated/graphql';
import {
  closeDb,
  createWorld,
  HOUR,
  insertCall,
  insertCampaign,
  insertDispute,
  type World,
} from '../support/seed';

let world: World;
let callA: string;
let callB: string;
beforeAll(async () => {
  world = await createWorld();
  callA = await insertCall({
    buyerId: world.ids.accountA,
    campaignId: world.ids.campaign,
    payoutMinor: 2550,
  });
  callB = await insertCall({ buyerId: world.ids.accountB, campaignId: world.ids.campaign });
});
afterAll(closeDb);

describe('visibility', () => {
  it('a buyer sees its own call with every field', async () => {
    const { call } = await world.as.buyerA.run(CallDocument, { id: callA });
    expect(call).toMatchObject({
      id: callA,
      buyer: { id: world.ids.accountA },
      payout: { amount: '25.50', currency: 'USD' },
      originalPayout: { amount: '25.50', currency: 'USD' },
      status: 'COMPLETED_WITH_CONVERSION',
      hangup: { by: 'CALLER', cause: null },
      disputability: { allowed: true, blockedBy: null },
      disputes: [],
    });
  });

  it('a foreign call is null, never FORBIDDEN, exactly like a missing one', async () => {
    const foreign = await world.as.buyerA.raw(CallDocument, { id: callB });
    const missing = await world.as.buyerA.raw(CallDocument, {
      id: '00000000-0000-4000-8000-000000000000',
    });
    const garbage = await world.as.buyerA.raw(CallDocument, { id: 'not-an-id' });
    for (const res of [foreign, missing, garbage]) {
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ call: null });
    }
  });

  it("the Call Log of a buyer holds only its account's calls, even when asking for another buyerId", async () => {
    const res = await world.as.buyerA.run(CallsDocument, {
      first: 100,
      filter: { buyerId: world.ids.accountB },
    });
    expect(res.calls.nodes.map((n) => n.id)).toEqual([callA]);
    expect(res.calls.totalCount).toBe(1);
    const b = await world.as.buyerB.run(CallsDocument, { first: 100 });
    expect(b.calls.nodes.map((n) => n.id)).toEqual([callB]);
  });

  it("a manager sees every buyer's calls and may narrow by buyerId", async () => {
    const res = await world.as.viewManager.run(CallsDocument, {
      first: 100,
      filter: { buyerId: world.ids.accountB },
    });
    expect(res.calls.nodes.map((n) => n.id)).toEqual([callB]);
    const { call } = await world.as.viewManager.run(CallDocument, { id: callA });
    expect(call?.disputability).toMatchObject({ allowed: false, blockedBy: 'NO_PERMISSION' });
  });

  it('anonymous requests are UNAUTHENTICATED', async () => {
    expect(await world.as.anonymous.errorCode(CallsDocument, {})).toBe('UNAUTHENTICATED');
  });
});

describe('disputability', () => {
  const now = Date.now();
  const cases: {
    name: string;
    client: keyof World['as'];
    status?: string;
    startedAgoHours?: number;
    campaignWindow?: number | null;
    history?: ('PENDING' | 'ACCEPTED' | 'ACCEPTED_PARTIAL' | 'REJECTED')[];
    expected: string | null;
  }[] = [
    { name: 'a fresh converted call', client: 'buyerA', expected: null },
    {
      name: 'a not-connected call with conversion',
      client: 'buyerA',
      status: 'CALL_NOT_CONNECTED_WITH_CONVERSION',
      expected: null,
    },
    { name: 'a buyer without DISPUTE_CALLS', client: 'buyerANoPerm', expected: 'NO_PERMISSION' },
    {
      name: 'NO_PERMISSION comes first',
      client: 'buyerANoPerm',
      status: 'IN_PROGRESS',
      startedAgoHours: 1000,
      expected: 'NO_PERMISSION',
    },
    {
      name: 'a call without conversion',
      client: 'buyerA',
      status: 'COMPLETED_NO_CONVERSION',
      expected: 'STATUS_NOT_DISPUTABLE',
    },
    {
      name: 'a call in progress',
      client: 'buyerA',
      status: 'IN_PROGRESS',
      expected: 'STATUS_NOT_DISPUTABLE',
    },
    {
      name: 'a not-connected call without conversion',
      client: 'buyerA',
      status: 'CALL_NOT_CONNECTED_NO_CONVERSION',
      expected: 'STATUS_NOT_DISPUTABLE',
    },
    {
      name: 'STATUS comes before WINDOW',
      client: 'buyerA',
      status: 'IN_PROGRESS',
      startedAgoHours: 100,
      expected: 'STATUS_NOT_DISPUTABLE',
    },
    {
      name: 'a call past the account window (72h)',
      client: 'buyerA',
      startedAgoHours: 73,
      expected: 'WINDOW_EXPIRED',
    },
    {
      name: 'a call inside the account window',
      client: 'buyerA',
      startedAgoHours: 71,
      expected: null,
    },
    {
      name: "a campaign window shorter than the account's",
      client: 'buyerA',
      startedAgoHours: 25,
      campaignWindow: 24,
      expected: 'WINDOW_EXPIRED',
    },
    {
      name: "a campaign window longer than the account's",
      client: 'buyerA',
      startedAgoHours: 100,
      campaignWindow: 168,
      expected: null,
    },
    {
      name: 'a pending dispute',
      client: 'buyerA',
      history: ['PENDING'],
      expected: 'DISPUTE_PENDING',
    },
    {
      name: 'WINDOW comes before DISPUTE_PENDING',
      client: 'buyerA',
      startedAgoHours: 80,
      history: ['PENDING'],
      expected: 'WINDOW_EXPIRED',
    },
    {
      name: 'an accepted dispute',
      client: 'buyerA',
      history: ['ACCEPTED'],
      expected: 'ALREADY_ADJUSTED',
    },
    {
      name: 'a partially accepted dispute',
      client: 'buyerA',
      history: ['ACCEPTED_PARTIAL'],
      expected: 'ALREADY_ADJUSTED',
    },
    {
      name: 'a rejected dispute allows another',
      client: 'buyerA',
      history: ['REJECTED'],
      expected: null,
    },
    {
      name: 'DISPUTE_PENDING comes before ALREADY_ADJUSTED',
      client: 'buyerA',
      history: ['REJECTED', 'PENDING'],
      expected: 'DISPUTE_PENDING',
    },
  ];

  it.each(cases)('$name → $expected', async (c) => {
    const campaignId =
      c.campaignWindow !== undefined
        ? await insertCampaign({ windowHours: c.campaignWindow })
        : world.ids.campaign;
    const startedAt = new Date(now - (c.startedAgoHours ?? 1) * HOUR);
    const id = await insertCall({
      buyerId: world.ids.accountA,
      campaignId,
      status: c.status,
      startedAt,
    });
    for (const status of c.history ?? [])
      await insertDispute({ callId: id, createdBy: world.ids.buyerA, status });
    const { call } = await world.as[c.client].run(CallDocument, { id });
    expect(call?.disputability.blockedBy).toBe(c.expected);
    expect(call?.disputability.allowed).toBe(c.expected === null);
    const windowHours = c.campaignWindow ?? 72;
    expect(new Date(call!.disputability.windowEndsAt).getTime()).toBe(
      startedAt.getTime() + windowHours * HOUR,
    );
  });
});

describe('pagination', () => {
  let world2: World;
  const ids: string[] = [];
  beforeAll(async () => {
    world2 = await createWorld();
    const base = Date.now() - 10 * HOUR;
    for (let i = 0; i < 23; i++) {
      // Pairs share a start time so the id tie-break is exercised.
      ids.push(
        await insertCall({
          buyerId: world2.ids.accountA,
          campaignId: world2.ids.campaign,
          startedAt: new Date(base + Math.floor(i / 2) * 60_000),
        }),
      );
    }
  });

  it('walks every call once, newest first, across pages', async () => {
    const seen: string[] = [];
    const starts: number[] = [];
    let after: string | null | undefined;
    let pages = 0;
    do {
      const { calls } = await world2.as.buyerA.run(CallPageDocument, { first: 5, after });
      seen.push(...calls.nodes.map((n) => n.id));
      starts.push(...calls.nodes.map((n) => new Date(n.startedAt).getTime()));
      after = calls.pageInfo.hasNextPage ? calls.pageInfo.endCursor : null;
      pages += 1;
    } while (after);
    expect(pages).toBe(5);
    expect(new Set(seen).size).toBe(23);
    expect(seen.sort()).toEqual([...ids].sort());
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
  });

  it('stays correct while calls are inserted between pages', async () => {
    const first = await world2.as.buyerA.run(CallPageDocument, { first: 10 });
    await insertCall({
      buyerId: world2.ids.accountA,
      campaignId: world2.ids.campaign,
      startedAt: new Date(),
    });
    const rest = await world2.as.buyerA.run(CallPageDocument, {
      first: 100,
      after: first.calls.pageInfo.endCursor,
    });
    const walked = [...first.calls.nodes, ...rest.calls.nodes].map((n) => n.id);
    expect(new Set(walked).size).toBe(walked.length);
    expect(walked.filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
  });

  it.each([0, -1, 101, 1000])('first = %i is BAD_USER_INPUT', async (first) => {
    const res = await world2.as.buyerA.raw(CallPageDocument, { first });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toMatch(/first/);
  });

  it('a forged cursor is BAD_USER_INPUT', async () => {
    const res = await world2.as.buyerA.raw(CallPageDocument, { first: 5, after: 'bm9wZQ' });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('a page of 50 calls with buyer, campaign, payout and disputability costs a bounded handful of statements', async () => {
    for (let i = 0; i < 10; i++)
      await insertCall({ buyerId: world.ids.accountB, campaignId: await insertCampaign() });
    const res = await world.as.viewManager.raw(CallsDocument, { first: 50 });
    expect(res.errors).toBeUndefined();
    expect(res.data?.calls.nodes.length).toBe(50);
    // viewer, page (with accounts, campaigns and dispute statuses), count
    expect(res.extensions?.sqlStatements).toBeLessThanOrEqual(3);
  });
});
