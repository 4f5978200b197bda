import { randomUUID } from 'node:crypto';
import {
  CreateDisputeIdDocument,
  MarkNotificationsReadDocument,
  NotificationsDocument,
  ResolveDisputeDocument,
  UnreadNotificationsCountDocument,
} from '../generated/graphql';
import type { Client } from '../support/client';
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

/** A notification written straight to the database (for arranging lists). */
async function insertNotification(opts: {
  userId: string;
  disputeId: string;
  createdAt: Date;
  read?: boolean;
  kind?: string;
}) {
  const id = randomUUID();
  await db().query(
    `INSERT INTO notifications (id, user_id, kind, dispute_id, message, created_at, read_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      id,
      opts.userId,
      opts.kind ?? 'DISPUTE_RESOLVED',
      opts.disputeId,
      `Test notification ${id.slice(0, 8)}`,
      opts.createdAt,
      opts.read ? new Date() : null,
    ],
  );
  return id;
}

async function decidedDispute(world: World, account: 'accountA' | 'accountB' = 'accountA') {
  const callId = await insertCall({ buyerId: world.ids[account], campaignId: world.ids.campaign });
  return insertDispute({
    callId,
    createdBy: account === 'accountA' ? world.ids.buyerA : world.ids.buyerB,
    status: 'REJECTED',
    decidedBy: world.ids.editManager,
  });
}

async function unread(client: Client): Promise<number> {
  return (await client.run(UnreadNotificationsCountDocument)).viewer.unreadNotificationsCount;
}

// These tests wait for createDispute/resolveDispute (src/disputes): they check what the
// mutations write through recordDisputeCreated / recordDisputeResolved.
describe('what the mutations write', () => {
  it('a new dispute notifies every manager holding VIEW_DISPUTES, and no one else', async () => {
    const callId = await insertCall({
      buyerId: w.ids.accountA,
      campaignId: w.ids.campaign,
      callerId: '+15551230001',
    });
    const { createDispute } = await w.as.buyerA.run(CreateDisputeIdDocument, {
      input: { callId, reason: 'INVALID_CALLER' },
    });
    const rows = await db().query<{
      user_id: string;
      kind: string;
      message: string;
      read_at: Date | null;
    }>('SELECT user_id, kind, message, read_at FROM notifications WHERE dispute_id = $1', [
      createDispute.id,
    ]);
    const to = rows.rows.map((r) => r.user_id);
    expect(to).toEqual(expect.arrayContaining([w.ids.viewManager, w.ids.editManager]));
    for (const id of [
      w.ids.plainManager,
      w.ids.buyerA,
      w.ids.buyerA2,
      w.ids.buyerANoPerm,
      w.ids.buyerB,
    ]) {
      expect(to).not.toContain(id);
    }
    // Every manager with VIEW_DISPUTES (files running alongside may add managers meanwhile).
    const managers = await db().query<{ id: string; older: boolean }>(
      `SELECT id, created_at < now() - interval '2 seconds' AS older FROM users
        WHERE role = 'MANAGER' AND 'VIEW_DISPUTES' = ANY (permissions)`,
    );
    const viewing = new Set(managers.rows.map((m) => m.id));
    expect(to.every((id) => viewing.has(id))).toBe(true);
    expect(to).toEqual(
      expect.arrayContaining(managers.rows.filter((m) => m.older).map((m) => m.id)),
    );
    for (const r of rows.rows) {
      expect(r).toMatchObject({
        kind: 'DISPUTE_CREATED',
        message: 'Acme Test disputed the call from +15551230001 (Invalid caller).',
        read_at: null,
      });
    }

    const { notifications } = await w.as.viewManager.run(NotificationsDocument, { first: 100 });
    const mine = notifications.edges
      .map((e) => e.node)
      .find((n) => n.dispute.id === createDispute.id);
    expect(mine).toMatchObject({
      kind: 'DISPUTE_CREATED',
      readAt: null,
      dispute: {
        id: createDispute.id,
        status: 'PENDING',
        buyer: { id: w.ids.accountA },
        call: { id: callId },
      },
    });
  });

  it.each([
    ['ACCEPTED_PARTIAL', '12.50', 'was partially accepted: payout reduced by 12.50 USD.'],
    ['ACCEPTED', undefined, 'was accepted: payout reduced by 25.00 USD.'],
    ['REJECTED', undefined, 'was rejected: payout unchanged.'],
  ] as const)(
    "a %s decision notifies the buyer account's users with DISPUTE_CALLS",
    async (outcome, amount, tail) => {
      const callerId = `+1555${Math.floor(1_000_000 + Math.random() * 8_999_999)}`;
      const callId = await insertCall({
        buyerId: w.ids.accountA,
        campaignId: w.ids.campaign,
        callerId,
        payoutMinor: 2500,
      });
      const { createDispute } = await w.as.buyerA.run(CreateDisputeIdDocument, {
        input: { callId, reason: 'DUPLICATE_CALL' },
      });
      await w.as.editManager.run(ResolveDisputeDocument, {
        input: { disputeId: createDispute.id, outcome, adjustmentAmount: amount },
      });
      const rows = await db().query<{ user_id: string; message: string }>(
        `SELECT user_id, message FROM notifications WHERE dispute_id = $1 AND kind = 'DISPUTE_RESOLVED'`,
        [createDispute.id],
      );
      expect(rows.rows.map((r) => r.user_id).sort()).toEqual([w.ids.buyerA, w.ids.buyerA2].sort());
      for (const r of rows.rows)
        expect(r.message).toBe(`Your dispute of the call from ${callerId} ${tail}`);

      const { notifications } = await w.as.buyerA2.run(NotificationsDocument, { first: 1 });
      expect(notifications.edges[0]?.node).toMatchObject({
        kind: 'DISPUTE_RESOLVED',
        dispute: { id: createDispute.id, status: outcome },
      });
      const other = await w.as.buyerB.run(NotificationsDocument, { first: 100 });
      expect(other.notifications.nodes.map((n) => n.id)).not.toContain(
        notifications.edges[0]?.node.id,
      );
    },
  );
});

describe('the notifications list', () => {
  let world: World;
  const ids: string[] = []; // newest first
  beforeAll(async () => {
    world = await createWorld();
    const base = Date.now() - 60_000;
    for (let i = 0; i < 7; i++) {
      const disputeId = await decidedDispute(world);
      // Pairs share a timestamp so the id tie-break is exercised.
      ids.push(
        await insertNotification({
          userId: world.ids.buyerA,
          disputeId,
          createdAt: new Date(base + Math.floor(i / 2) * 1000),
          read: i === 0,
        }),
      );
    }
    ids.reverse();
    await insertNotification({
      userId: world.ids.buyerB,
      disputeId: await decidedDispute(world, 'accountB'),
      createdAt: new Date(),
    });
  });

  it("walks the viewer's notifications newest first across pages, each once", async () => {
    const seen: { id: string; createdAt: string }[] = [];
    let after: string | null | undefined;
    let pages = 0;
    do {
      const { notifications } = await world.as.buyerA.run(NotificationsDocument, {
        first: 3,
        after,
      });
      expect(notifications.totalCount).toBe(7);
      seen.push(
        ...notifications.edges.map((e) => ({ id: e.node.id, createdAt: e.node.createdAt })),
      );
      after = notifications.pageInfo.hasNextPage ? notifications.pageInfo.endCursor : null;
      pages += 1;
    } while (after);
    expect(pages).toBe(3);
    expect(seen.map((s) => s.id).sort()).toEqual([...ids].sort());
    const times = seen.map((s) => new Date(s.createdAt).getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    for (let i = 1; i < seen.length; i++) {
      if (times[i] === times[i - 1]) expect(seen[i]!.id < seen[i - 1]!.id).toBe(true);
    }
  });

  it('unreadOnly leaves out read ones; the unread count agrees', async () => {
    const { notifications } = await world.as.buyerA.run(NotificationsDocument, {
      unreadOnly: true,
      first: 100,
    });
    expect(notifications.totalCount).toBe(6);
    expect(notifications.nodes.every((n) => n.id !== ids[ids.length - 1])).toBe(true);
    expect(await unread(world.as.buyerA)).toBe(6);
  });

  it('stays correct while notifications arrive between pages', async () => {
    const first = await world.as.buyerA.run(NotificationsDocument, { first: 2 });
    const fresh = await insertNotification({
      userId: world.ids.buyerA,
      disputeId: await decidedDispute(world),
      createdAt: new Date(),
    });
    const rest = await world.as.buyerA.run(NotificationsDocument, {
      first: 100,
      after: first.notifications.pageInfo.endCursor,
    });
    const walked = [...first.notifications.nodes, ...rest.notifications.nodes].map((n) => n.id);
    expect(walked.sort()).toEqual([...ids].sort());
    expect(walked).not.toContain(fresh);
  });

  it('refuses a page size out of range and a foreign cursor', async () => {
    for (const first of [0, 101]) {
      const res = await world.as.buyerA.raw(NotificationsDocument, { first });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    }
    const res = await world.as.buyerA.raw(NotificationsDocument, {
      first: 2,
      after: 'bm90LWEtY3Vyc29y',
    });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('another user never sees them', async () => {
    const { notifications } = await world.as.buyerB.run(NotificationsDocument, { first: 100 });
    expect(notifications.totalCount).toBe(1);
    expect(notifications.nodes.some((n) => ids.includes(n.id))).toBe(false);
  });

  it('needs a signed-in viewer', async () => {
    const res = await world.as.anonymous.raw(NotificationsDocument, { first: 5 });
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('markNotificationsRead', () => {
  let world: World;
  beforeAll(async () => {
    world = await createWorld();
  });

  async function arrange(userId: string, n: number, account: 'accountA' | 'accountB' = 'accountA') {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      out.push(
        await insertNotification({
          userId,
          disputeId: await decidedDispute(world, account),
          createdAt: new Date(),
        }),
      );
    }
    return out;
  }

  it("marks the viewer's own ones and ignores foreign, unknown and malformed IDs", async () => {
    const own = await arrange(world.ids.buyerA2, 3);
    const foreign = await arrange(world.ids.buyerB, 2, 'accountB');
    const sameAccount = await arrange(world.ids.buyerA, 1);
    const before = await unread(world.as.buyerA2);
    const { markNotificationsRead } = await world.as.buyerA2.run(MarkNotificationsReadDocument, {
      ids: [own[0]!, own[1]!, ...foreign, ...sameAccount, randomUUID(), 'not-an-id', own[0]!],
    });
    expect(markNotificationsRead).toBe(2);
    expect(await unread(world.as.buyerA2)).toBe(before - 2);
    expect(
      await count('notifications', 'id = ANY($1) AND read_at IS NULL', [
        [...foreign, ...sameAccount],
      ]),
    ).toBe(3);
    expect(
      await count('notifications', 'id = ANY($1) AND read_at IS NOT NULL', [own.slice(0, 2)]),
    ).toBe(2);

    // Already read: nothing changes, nothing is counted.
    const again = await world.as.buyerA2.run(MarkNotificationsReadDocument, { ids: [own[0]!] });
    expect(again.markNotificationsRead).toBe(0);
    const none = await world.as.buyerA2.run(MarkNotificationsReadDocument, { ids: [] });
    expect(none.markNotificationsRead).toBe(0);
  });

  it('all: true marks every unread one of the viewer only', async () => {
    await arrange(world.ids.buyerA, 4);
    const foreign = await arrange(world.ids.buyerB, 1, 'accountB');
    const unreadBefore = await unread(world.as.buyerA);
    expect(unreadBefore).toBeGreaterThanOrEqual(4);
    const { markNotificationsRead } = await world.as.buyerA.run(MarkNotificationsReadDocument, {
      all: true,
    });
    expect(markNotificationsRead).toBe(unreadBefore);
    expect(await unread(world.as.buyerA)).toBe(0);
    expect(await count('notifications', 'id = ANY($1) AND read_at IS NULL', [foreign])).toBe(1);
    const { notifications } = await world.as.buyerA.run(NotificationsDocument, { first: 100 });
    expect(notifications.edges.every((e) => e.node.readAt !== null)).toBe(true);
  });

  it('asks for ids or all, and at most 500 ids', async () => {
    const neither = await world.as.buyerA.raw(MarkNotificationsReadDocument, {});
    expect(neither.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ids' });
    expect(neither.errors?.[0]?.message).toMatch(/ids/);
    const tooMany = await world.as.buyerA.raw(MarkNotificationsReadDocument, {
      ids: Array.from({ length: 501 }, () => randomUUID()),
    });
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ids' });
    const anonymous = await world.as.anonymous.raw(MarkNotificationsReadDocument, { all: true });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a user who lost the permission behind them sees none and marks none', async () => {
    const own = await arrange(world.ids.buyerANoPerm, 2);
    const list = await world.as.buyerANoPerm.run(NotificationsDocument, { first: 10 });
    expect(list.notifications.totalCount).toBe(0);
    expect(await unread(world.as.buyerANoPerm)).toBe(0);
    const { markNotificationsRead } = await world.as.buyerANoPerm.run(
      MarkNotificationsReadDocument,
      { all: true },
    );
    expect(markNotificationsRead).toBe(0);
    expect(await count('notifications', 'id = ANY($1) AND read_at IS NULL', [own])).toBe(2);
  });
});
