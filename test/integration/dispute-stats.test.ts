import { randomUUID } from 'node:crypto';
import {
  CreateDisputeIdDocument,
  DisputeStatsDocument,
  ResolveDisputeDocument,
  type DisputeStatsQuery,
} from '../generated/graphql';
import type { Client } from '../support/client';
import { closeDb, createWorld, db, insertCall, insertCampaign, type World } from '../support/seed';

/*
 * Rule 16. A fixture of calls and disputes is written in a range of days no other test uses
 * (managers see every account); the expected rows are computed from the fixture in TypeScript,
 * by the rule's words, and compared field by field with what the API answers, for every
 * grouping, as a buyer (its own account only) and as a manager (every account).
 */

type Row = DisputeStatsQuery['disputeStats'][number];
type Group = 'CAMPAIGN' | 'BUYER' | 'REASON' | 'DAY';
const GROUPS: Group[] = ['CAMPAIGN', 'BUYER', 'REASON', 'DAY'];

const DAY = 86_400_000;
const FROM = new Date('2011-02-01T00:00:00.000Z');
const TO = new Date('2011-02-08T00:00:00.000Z');
const at = (day: number, hour = 12, ms = 0) =>
  new Date(FROM.getTime() + day * DAY + hour * 3_600_000 + ms);

interface FxDispute {
  status: 'PENDING' | 'ACCEPTED' | 'ACCEPTED_PARTIAL' | 'REJECTED' | 'WITHDRAWN';
  reason: string;
  createdAt: Date;
  /** What the decision took off the payout (ACCEPTED: all of it). */
  adjustment?: number;
  id?: string;
}
interface FxCall {
  account: 'A' | 'B';
  campaign: number;
  startedAt: Date;
  status?: string;
  payout: number;
  disputes: FxDispute[];
}

let w: World;
let campaigns: { id: string; name: string }[];
let accountOf: Record<'A' | 'B', { id: string; name: string; currency: string }>;

/** Two dispute IDs in ascending order, for a tie on createdAt broken by ID. */
const [lowId, highId] = [randomUUID(), randomUUID()].sort();

const FIXTURE: FxCall[] = [
  // Day 0: the range's first instant counts; one call with two disputes, the later one PENDING.
  {
    account: 'A',
    campaign: 0,
    startedAt: FROM,
    payout: 2500,
    disputes: [
      { status: 'REJECTED', reason: 'OTHER', createdAt: at(1) },
      { status: 'PENDING', reason: 'INVALID_CALLER', createdAt: at(2) },
    ],
  },
  { account: 'A', campaign: 0, startedAt: at(0, 3), payout: 1000, disputes: [] },
  {
    account: 'A',
    campaign: 1,
    startedAt: at(0, 23, 59 * 60_000),
    status: 'COMPLETED_NO_CONVERSION',
    payout: 0,
    disputes: [],
  },
  // Day 1: accepted after an earlier rejection; partly accepted; another account's calls.
  {
    account: 'A',
    campaign: 1,
    startedAt: at(1, 8),
    payout: 4000,
    disputes: [
      { status: 'REJECTED', reason: 'CALL_NOT_CONNECTED', createdAt: at(1, 9) },
      { status: 'ACCEPTED', reason: 'DUPLICATE_CALL', createdAt: at(1, 10), adjustment: 4000 },
    ],
  },
  {
    account: 'A',
    campaign: 2,
    startedAt: at(1, 9),
    payout: 3000,
    disputes: [
      {
        status: 'ACCEPTED_PARTIAL',
        reason: 'INVALID_CALLER',
        createdAt: at(1, 11),
        adjustment: 1250,
      },
    ],
  },
  {
    account: 'B',
    campaign: 0,
    startedAt: at(1, 10),
    payout: 5000,
    disputes: [
      { status: 'ACCEPTED', reason: 'INVALID_CALLER', createdAt: at(2), adjustment: 5000 },
    ],
  },
  {
    account: 'B',
    campaign: 2,
    startedAt: at(1, 11),
    status: 'IN_PROGRESS',
    payout: 700,
    disputes: [],
  },
  // Day 3: two disputes created at the same instant: the greater ID is the latest.
  {
    account: 'A',
    campaign: 0,
    startedAt: at(3),
    payout: 1500,
    disputes: [
      { status: 'PENDING', reason: 'TECHNICAL_ISSUES', createdAt: at(4), id: highId },
      { status: 'REJECTED', reason: 'OTHER', createdAt: at(4), id: lowId },
    ],
  },
  {
    account: 'B',
    campaign: 1,
    startedAt: at(3, 1),
    payout: 1800,
    disputes: [{ status: 'REJECTED', reason: 'CALLER_HUNG_UP_IMMEDIATELY', createdAt: at(3, 5) }],
  },
  // Withdrawn: counted as the latest dispute, not decided (outside the acceptance rate).
  {
    account: 'B',
    campaign: 1,
    startedAt: at(4, 2),
    payout: 1500,
    disputes: [{ status: 'WITHDRAWN', reason: 'TECHNICAL_ISSUES', createdAt: at(4, 6) }],
  },
  {
    account: 'A',
    campaign: 2,
    startedAt: at(5, 2),
    payout: 1200,
    // Rejected, then disputed again and withdrawn: the withdrawal is the latest.
    disputes: [
      { status: 'REJECTED', reason: 'OTHER', createdAt: at(5, 3) },
      { status: 'WITHDRAWN', reason: 'INVALID_CALLER', createdAt: at(5, 4) },
    ],
  },
  // Day 6: the last millisecond of the range counts.
  {
    account: 'B',
    campaign: 2,
    startedAt: new Date(TO.getTime() - 1),
    payout: 900,
    disputes: [{ status: 'PENDING', reason: 'OTHER', createdAt: at(7) }],
  },
  // Outside [FROM, TO): never counted, disputes included.
  {
    account: 'A',
    campaign: 0,
    startedAt: new Date(FROM.getTime() - 1),
    payout: 800,
    disputes: [{ status: 'ACCEPTED', reason: 'OTHER', createdAt: at(0), adjustment: 800 }],
  },
  {
    account: 'B',
    campaign: 1,
    startedAt: TO,
    payout: 800,
    disputes: [{ status: 'PENDING', reason: 'OTHER', createdAt: at(8) }],
  },
];

async function writeFixture() {
  for (const c of FIXTURE) {
    const callId = randomUUID();
    const account = accountOf[c.account];
    const credited = c.disputes.reduce((sum, d) => sum + (d.adjustment ?? 0), 0);
    await db().query(
      `INSERT INTO calls (id, buyer_id, campaign_id, started_at, caller_id, destination, original_payout_minor,
         payout_minor, duration_seconds, status, hangup_by)
       VALUES ($1, $2, $3, $4, '+15550001111', '+18005550100', $5, $6, 60, $7, 'CALLER')`,
      [
        callId,
        account.id,
        campaigns[c.campaign]!.id,
        c.startedAt,
        c.payout,
        c.payout - credited,
        c.status ?? 'COMPLETED_WITH_CONVERSION',
      ],
    );
    const buyer = c.account === 'A' ? w.ids.buyerA : w.ids.buyerB;
    for (const d of c.disputes) {
      const decided = d.status !== 'PENDING' && d.status !== 'WITHDRAWN';
      const withdrawn = d.status === 'WITHDRAWN';
      await db().query(
        `INSERT INTO disputes (id, call_id, buyer_id, status, reason, call_started_at, created_by, created_at,
           decided_at, decided_by, adjustment_minor, review_due_at, withdrawn_at, withdrawn_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $8::timestamptz + interval '48 hours', $12, $13)`,
        [
          d.id ?? randomUUID(),
          callId,
          account.id,
          d.status,
          d.reason,
          c.startedAt,
          buyer,
          d.createdAt,
          decided ? d.createdAt : null,
          decided ? w.ids.editManager : null,
          decided ? (d.adjustment ?? 0) : null,
          withdrawn ? d.createdAt : null,
          withdrawn ? buyer : null,
        ],
      );
    }
  }
}

// ------------------------------------------------------------------ the rule, in TypeScript

const inRange = (c: FxCall) => c.startedAt >= FROM && c.startedAt < TO;

function latestDispute(c: FxCall): (FxDispute & { id: string }) | undefined {
  const withIds = c.disputes.map((d) => ({ ...d, id: d.id ?? '' }));
  return withIds.sort((x, y) =>
    x.createdAt.getTime() !== y.createdAt.getTime()
      ? y.createdAt.getTime() - x.createdAt.getTime()
      : y.id < x.id
        ? -1
        : 1,
  )[0];
}

function keyOf(group: Group, c: FxCall): { key: string; label: string } | null {
  switch (group) {
    case 'CAMPAIGN':
      return { key: campaigns[c.campaign]!.id, label: campaigns[c.campaign]!.name };
    case 'BUYER':
      return { key: accountOf[c.account].id, label: accountOf[c.account].name };
    case 'REASON': {
      const reason = latestDispute(c)?.reason;
      return reason ? { key: reason, label: reason } : null;
    }
    case 'DAY': {
      const day = c.startedAt.toISOString().slice(0, 10);
      return { key: day, label: day };
    }
  }
}

const amount = (minor: number) => (minor / 100).toFixed(2);

function expectedRows(group: Group, accounts: ('A' | 'B')[]): Row[] {
  const groups = new Map<string, { label: string; calls: FxCall[] }>();
  for (const c of FIXTURE.filter((x) => inRange(x) && accounts.includes(x.account))) {
    const k = keyOf(group, c);
    if (!k) continue;
    const g = groups.get(k.key) ?? { label: k.label, calls: [] };
    g.calls.push(c);
    groups.set(k.key, g);
  }
  const byPlainString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...groups.keys()].sort(byPlainString).map((key) => {
    const { label, calls } = groups.get(key)!;
    const latest = calls.map(latestDispute).filter((d) => d !== undefined);
    const n = (status: string) => latest.filter((d) => d.status === status).length;
    const [accepted, acceptedPartial, rejected] = [
      n('ACCEPTED'),
      n('ACCEPTED_PARTIAL'),
      n('REJECTED'),
    ];
    const decided = accepted + acceptedPartial + rejected;
    const callCount = group === 'REASON' ? null : calls.length;
    const credited = new Map<string, number>();
    for (const c of calls) {
      const currency = accountOf[c.account].currency;
      const taken = c.disputes.reduce((sum, d) => sum + (d.adjustment ?? 0), 0);
      credited.set(currency, (credited.get(currency) ?? 0) + taken);
    }
    return {
      key,
      label,
      calls: callCount,
      disputedCalls: latest.length,
      disputeRate: callCount ? latest.length / callCount : null,
      pending: n('PENDING'),
      accepted,
      acceptedPartial,
      rejected,
      withdrawn: n('WITHDRAWN'),
      acceptanceRate: decided ? (accepted + acceptedPartial) / decided : null,
      credited: [...credited.keys()]
        .sort(byPlainString)
        .map((currency) => ({ amount: amount(credited.get(currency)!), currency })),
    };
  });
}

// ------------------------------------------------------------------ the tests

beforeAll(async () => {
  w = await createWorld();
  await db().query(`UPDATE accounts SET currency = 'EUR' WHERE id = $1`, [w.ids.accountB]);
  const names = ['Zeta leads', 'alpha calls', 'Émile & co'];
  campaigns = [];
  for (const name of names) campaigns.push({ id: await insertCampaign({ name }), name });
  accountOf = {
    A: { id: w.ids.accountA, name: 'Acme Test', currency: 'USD' },
    B: { id: w.ids.accountB, name: 'Globex Test', currency: 'EUR' },
  };
  await writeFixture();
});
afterAll(closeDb);

const stats = (as: Client, groupBy: Group, from = FROM, to = TO) =>
  as.raw(DisputeStatsDocument, { groupBy, from: from.toISOString(), to: to.toISOString() });

describe('disputeStats counts by the rule', () => {
  const viewers = [
    ['a buyer (its own account)', 'buyerA', ['A']],
    ['a view-only manager (every account)', 'viewManager', ['A', 'B']],
    ['an editing manager (every account)', 'editManager', ['A', 'B']],
  ] as const;
  const cases = viewers.flatMap(([who, as, accounts]) =>
    GROUPS.map((group) => [who, group, as, accounts] as const),
  );

  it.each(cases)('%s, by %s: every field of every row', async (_who, group, as, accounts) => {
    const res = await stats(w.as[as], group);
    expect(res.errors).toBeUndefined();
    const expected = expectedRows(group, [...accounts]);
    // The fixture exercises the grouping: several rows, but a buyer's own account is one.
    expect(expected.length).toBeGreaterThan(group === 'BUYER' && accounts.length === 1 ? 0 : 1);
    expect(res.data!.disputeStats).toEqual(expected);
    // The viewer lookup and the one statement of the statistics.
    expect(res.extensions?.sqlStatements).toBe(2);
  });

  it('never counts another account for a buyer', async () => {
    for (const group of GROUPS) {
      const a = (await stats(w.as.buyerA, group)).data!.disputeStats;
      const b = (await stats(w.as.buyerB, group)).data!.disputeStats;
      expect(b).toEqual(expectedRows(group, ['B']));
      const total = (rows: Row[]) => rows.reduce((s, r) => s + r.disputedCalls, 0);
      expect(total(a) + total(b)).toBe(
        total((await stats(w.as.editManager, group)).data!.disputeStats),
      );
    }
    const buyers = (await stats(w.as.buyerA, 'BUYER')).data!.disputeStats;
    expect(buyers.map((r) => r.key)).toEqual([w.ids.accountA]);
  });

  it('answers an empty list for a range without calls, and takes exactly 366 days', async () => {
    // Ends where the call 1 ms before FROM starts: `to` is exclusive.
    const before = new Date(FROM.getTime() - 1);
    const empty = await stats(w.as.buyerA, 'DAY', new Date('2010-06-01T00:00:00Z'), before);
    expect(empty.errors).toBeUndefined();
    expect(empty.data!.disputeStats).toEqual([]);
    const longest = await stats(w.as.buyerA, 'DAY', FROM, new Date(FROM.getTime() + 366 * DAY));
    expect(longest.errors).toBeUndefined();
    expect(longest.data!.disputeStats).toEqual(expectedRows('DAY', ['A']));
  });
});

describe("disputeStats follows the API's own writes", () => {
  it('counts a call by its latest dispute as disputes are created and decided', async () => {
    // Calls of today: only a buyer's view is this file's alone (managers see other files' calls).
    const campaignId = await insertCampaign({ name: 'Live campaign' });
    const now = Date.now();
    const callId = await insertCall({
      buyerId: w.ids.accountA,
      campaignId,
      startedAt: new Date(now - 3_600_000),
      payoutMinor: 2000,
    });
    await insertCall({ buyerId: w.ids.accountA, campaignId, startedAt: new Date(now - 60_000) });
    const row = async () => {
      const res = await stats(w.as.buyerA, 'CAMPAIGN', new Date(now - DAY), new Date(now + DAY));
      expect(res.errors).toBeUndefined();
      const { key, label, calls, disputedCalls, pending, rejected, acceptedPartial, credited } =
        res.data!.disputeStats.find((r) => r.key === campaignId)!;
      return { key, label, calls, disputedCalls, pending, rejected, acceptedPartial, credited };
    };
    const base = { key: campaignId, label: 'Live campaign', calls: 2 };
    const dispute = async (reason: 'INVALID_CALLER' | 'OTHER') =>
      (await w.as.buyerA.run(CreateDisputeIdDocument, { input: { callId, reason } })).createDispute
        .id;
    const decide = (disputeId: string, outcome: 'REJECTED' | 'ACCEPTED_PARTIAL') =>
      w.as.editManager.run(ResolveDisputeDocument, {
        input: {
          disputeId,
          outcome,
          adjustmentAmount: outcome === 'ACCEPTED_PARTIAL' ? '5.00' : null,
        },
      });
    const usd = (amount: string) => [{ amount, currency: 'USD' }];

    expect(await row()).toEqual({
      ...base,
      disputedCalls: 0,
      pending: 0,
      rejected: 0,
      acceptedPartial: 0,
      credited: usd('0.00'),
    });
    const first = await dispute('INVALID_CALLER');
    expect(await row()).toMatchObject({ disputedCalls: 1, pending: 1, rejected: 0 });
    await decide(first, 'REJECTED');
    expect(await row()).toMatchObject({ disputedCalls: 1, pending: 0, rejected: 1 });
    const second = await dispute('OTHER');
    expect(await row()).toMatchObject({ disputedCalls: 1, pending: 1, rejected: 0 });
    await decide(second, 'ACCEPTED_PARTIAL');
    expect(await row()).toEqual({
      ...base,
      disputedCalls: 1,
      pending: 0,
      rejected: 0,
      acceptedPartial: 1,
      credited: usd('5.00'),
    });
    const reasons = (await stats(w.as.buyerA, 'REASON', new Date(now - DAY), new Date(now + DAY)))
      .data!.disputeStats;
    expect(reasons.map((r) => [r.key, r.disputedCalls, r.acceptedPartial])).toEqual([
      ['OTHER', 1, 1],
    ]);
  });
  it('counts the one winner of concurrent createDispute calls on a call', async () => {
    const campaignId = await insertCampaign({ name: 'Race campaign' });
    const now = Date.now();
    const callId = await insertCall({
      buyerId: w.ids.accountA,
      campaignId,
      startedAt: new Date(now - 7_200_000),
    });
    const results = await Promise.all(
      [w.as.buyerA, w.as.buyerA2, w.as.buyerA, w.as.buyerA2, w.as.buyerA].map((as) =>
        as.raw(CreateDisputeIdDocument, { input: { callId, reason: 'INVALID_CALLER' } }),
      ),
    );
    expect(results.filter((r) => !r.errors).length).toBe(1);
    const res = await stats(w.as.buyerA, 'CAMPAIGN', new Date(now - DAY), new Date(now + DAY));
    expect(res.data!.disputeStats.find((r) => r.key === campaignId)).toMatchObject({
      calls: 1,
      disputedCalls: 1,
      pending: 1,
    });
  });
});

describe('disputeStats refusals', () => {
  const ranges = [
    ['a range of 0 days', FROM, FROM],
    ['a range of 367 days', FROM, new Date(FROM.getTime() + 367 * DAY)],
    ['366 days and 1 ms', FROM, new Date(FROM.getTime() + 366 * DAY + 1)],
    ['to before from', TO, FROM],
  ] as const;
  it.each(ranges)('%s is BAD_USER_INPUT naming `to`', async (_what, from, to) => {
    const res = await stats(w.as.editManager, 'CAMPAIGN', from, to);
    expect(res.data).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    expect(res.errors?.[0]?.message).toMatch(/^to: /);
  });

  const refused = [
    ['a buyer without DISPUTE_CALLS', 'FORBIDDEN', 'buyerANoPerm'],
    ['a manager without VIEW_DISPUTES', 'FORBIDDEN', 'plainManager'],
    ['no token', 'UNAUTHENTICATED', 'anonymous'],
  ] as const;
  it.each(refused)('%s gets %s, before the range is read', async (_who, code, as) => {
    for (const to of [TO, FROM]) {
      const res = await stats(w.as[as], 'DAY', FROM, to);
      expect(res.data ?? null).toBeNull();
      expect(res.errors?.[0]?.extensions?.code).toBe(code);
    }
  });
});
