import {
  CreateDisputeIdDocument,
  DisputeDeadlineDocument,
  DisputesDueDocument,
  type DisputesDueQuery,
  OverdueCountDocument,
  WithdrawDisputeDocument,
} from '../generated/graphql';
import { Client } from '../support/client';
import { readTestEnv, startApiProcess, storeEnv, type ApiProcess } from '../support/services';
import {
  closeDb,
  createWorld,
  db,
  HOUR,
  insertAccount,
  insertCall,
  insertDispute,
  insertUser,
  type World,
} from '../support/seed';

/*
 * Rule 14 against real server processes sharing the suite's database: the suite's API (default
 * REVIEW_SLA_HOURS of 48), one with REVIEW_SLA_HOURS=1, and one whose clock runs two hours
 * ahead (CLOCK_OFFSET_MS), which sees the first one's disputes overdue.
 */
let w: World;
let oneHour: ApiProcess;
let later: ApiProcess;
beforeAll(async () => {
  w = await createWorld();
  const env = { DATABASE_URL: readTestEnv().databaseUrl, ...storeEnv() };
  [oneHour, later] = await Promise.all([
    startApiProcess({ ...env, REVIEW_SLA_HOURS: '1' }),
    startApiProcess({ ...env, REVIEW_SLA_HOURS: '1', CLOCK_OFFSET_MS: String(2 * HOUR) }),
  ]);
}, 120_000);
afterAll(async () => {
  await Promise.all([oneHour?.stop(), later?.stop()]);
  await closeDb();
});

/** A fresh account and its buyer user, so counts and lists hold only this test's disputes. */
async function freshBuyer() {
  const accountId = await insertAccount();
  const buyerId = await insertUser({
    role: 'BUYER',
    accountId,
    permissions: ['DISPUTE_CALLS'],
  });
  const noPerm = await insertUser({ role: 'BUYER', accountId, permissions: [] });
  return { accountId, buyerId, noPerm };
}

async function dispute(as: Client, accountId: string) {
  const callId = await insertCall({ buyerId: accountId, campaignId: w.ids.campaign });
  const { createDispute } = await as.run(CreateDisputeIdDocument, {
    input: { callId, reason: 'INVALID_CALLER' },
  });
  return createDispute.id;
}

async function due(disputeId: string) {
  const r = await db().query('SELECT created_at, review_due_at FROM disputes WHERE id = $1', [
    disputeId,
  ]);
  const row = r.rows[0] as { created_at: Date; review_due_at: Date };
  return row.review_due_at.getTime() - row.created_at.getTime();
}

describe('reviewDueAt', () => {
  it('is createdAt plus REVIEW_SLA_HOURS, fixed at creation: 48 hours by default, 1 where configured', async () => {
    const { accountId, buyerId } = await freshBuyer();
    const byDefault = await dispute(await Client.forUser(buyerId), accountId);
    const short = await dispute(await Client.forUser(buyerId, oneHour.url), accountId);
    expect(await due(byDefault)).toBe(48 * HOUR);
    expect(await due(short)).toBe(1 * HOUR);
    const { dispute: d } = await w.as.editManager.run(DisputeDeadlineDocument, { id: short });
    expect(new Date(d!.reviewDueAt).getTime() - new Date(d!.createdAt).getTime()).toBe(HOUR);
    // The deadline does not move with the process that reads it.
    const read = await (
      await Client.forUser(w.ids.editManager, later.url)
    ).run(DisputeDeadlineDocument, { id: byDefault });
    expect(new Date(read.dispute!.reviewDueAt).getTime()).toBe(
      new Date(read.dispute!.createdAt).getTime() + 48 * HOUR,
    );
  });
});

describe('overdue, overdueDisputesCount and filter.overdue follow the server clock', () => {
  it('reads a dispute as within its deadline now and overdue two hours later, both ways', async () => {
    const { accountId, buyerId, noPerm } = await freshBuyer();
    const nowBuyer = await Client.forUser(buyerId, oneHour.url);
    const laterBuyer = await Client.forUser(buyerId, later.url);
    const id = await dispute(nowBuyer, accountId);

    // Now: within the deadline.
    expect((await nowBuyer.run(DisputeDeadlineDocument, { id })).dispute?.overdue).toBe(false);
    expect((await nowBuyer.run(OverdueCountDocument)).viewer).toEqual({
      pendingDisputesCount: 1,
      overdueDisputesCount: 0,
    });
    const within = await nowBuyer.run(DisputesDueDocument, { filter: { overdue: false } });
    expect(within.disputes.nodes.map((n) => n.id)).toEqual([id]);
    const past = await nowBuyer.run(DisputesDueDocument, { filter: { overdue: true } });
    expect(past.disputes.nodes).toEqual([]);

    // Two hours later: past it.
    expect((await laterBuyer.run(DisputeDeadlineDocument, { id })).dispute?.overdue).toBe(true);
    expect((await laterBuyer.run(OverdueCountDocument)).viewer).toEqual({
      pendingDisputesCount: 1,
      overdueDisputesCount: 1,
    });
    const pastLater = await laterBuyer.run(DisputesDueDocument, { filter: { overdue: true } });
    expect(pastLater.disputes.nodes.map((n) => n.id)).toEqual([id]);
    expect(pastLater.disputes.totalCount).toBe(1);
    const withinLater = await laterBuyer.run(DisputesDueDocument, { filter: { overdue: false } });
    expect(withinLater.disputes.nodes).toEqual([]);
    // A manager's count includes it; a buyer without the permission sees 0, not an error.
    const manager = await Client.forUser(w.ids.viewManager, later.url);
    expect((await manager.run(OverdueCountDocument)).viewer.overdueDisputesCount).toBeGreaterThan(
      0,
    );
    const blind = await Client.forUser(noPerm, later.url);
    expect((await blind.run(OverdueCountDocument)).viewer.overdueDisputesCount).toBe(0);

    // A dispute created on the later clock is within its own deadline there.
    const fresh = await dispute(laterBuyer, accountId);
    expect((await laterBuyer.run(DisputeDeadlineDocument, { id: fresh })).dispute?.overdue).toBe(
      false,
    );

    // Only PENDING disputes are overdue: once withdrawn, neither filter lists it.
    await laterBuyer.run(WithdrawDisputeDocument, { disputeId: id });
    expect((await laterBuyer.run(DisputeDeadlineDocument, { id })).dispute?.overdue).toBe(false);
    expect((await laterBuyer.run(OverdueCountDocument)).viewer.overdueDisputesCount).toBe(0);
    for (const overdue of [true, false]) {
      const r = await laterBuyer.run(DisputesDueDocument, { filter: { overdue } });
      expect(r.disputes.nodes.map((n) => n.id)).not.toContain(id);
    }
  });
});

describe('the REVIEW_DUE_AT order', () => {
  it('pages by reviewDueAt then ID, both directions, without gaps or repeats', async () => {
    const { accountId, buyerId } = await freshBuyer();
    const as = await Client.forUser(buyerId);
    const base = Date.now() + 10 * HOUR;
    const expected: { id: string; due: number }[] = [];
    // Two share a deadline, so the ID breaks the tie.
    for (const offset of [3, 1, 2, 2, 5, 4]) {
      const callId = await insertCall({ buyerId: accountId, campaignId: w.ids.campaign });
      const id = await insertDispute({
        callId,
        createdBy: buyerId,
        reviewDueAt: new Date(base + offset * HOUR),
      });
      expected.push({ id, due: base + offset * HOUR });
    }
    const asc = [...expected].sort((a, b) => a.due - b.due || (a.id < b.id ? -1 : 1));
    for (const direction of ['ASC', 'DESC'] as const) {
      const seen: string[] = [];
      let after: string | null | undefined = null;
      do {
        const page: DisputesDueQuery = await as.run(DisputesDueDocument, {
          orderBy: { field: 'REVIEW_DUE_AT', direction },
          first: 2,
          after,
        });
        seen.push(...page.disputes.nodes.map((n) => n.id));
        after = page.disputes.pageInfo.hasNextPage ? page.disputes.pageInfo.endCursor : null;
      } while (after);
      const want = asc.map((e) => e.id);
      expect(seen).toEqual(direction === 'ASC' ? want : [...want].reverse());
    }
  });

  it('refuses a forged cursor as BAD_USER_INPUT', async () => {
    // The right tag and shape, with a date that is not one.
    const bad = Buffer.from(
      JSON.stringify([
        'due-ASC',
        '2026-02-31T00:00:00.000Z',
        '00000000-0000-4000-8000-000000000000',
      ]),
    ).toString('base64url');
    const res = await w.as.buyerA.raw(DisputesDueDocument, {
      orderBy: { field: 'REVIEW_DUE_AT' },
      after: bad,
    });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
