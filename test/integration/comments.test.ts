import {
  AddDisputeCommentDocument,
  CreateDisputeIdDocument,
  DisputeChangedLiveDocument,
  DisputeCommentsDocument,
  DisputeDocument,
  NotificationAddedLiveDocument,
  NotificationsDocument,
  PendingDisputesCountLiveDocument,
  ResolveDisputeDocument,
  WithdrawDisputeDocument,
} from '../generated/graphql';
import { Client } from '../support/client';
import { expectSilence, LiveClient } from '../support/live';
import {
  closeDb,
  count,
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

async function pendingDispute() {
  const callId = await insertCall({ buyerId: w.ids.accountA, campaignId: w.ids.campaign });
  const { createDispute } = await w.as.buyerA.run(CreateDisputeIdDocument, {
    input: { callId, reason: 'INVALID_CALLER' },
  });
  return createDispute.id;
}

async function recipients(disputeId: string, kind = 'DISPUTE_COMMENTED') {
  const r = await db().query(
    'SELECT user_id, comment_id FROM notifications WHERE dispute_id = $1 AND kind = $2',
    [disputeId, kind],
  );
  return r.rows as { user_id: string; comment_id: string }[];
}

async function viewingManagers(): Promise<string[]> {
  const r = await db().query(
    `SELECT id FROM users WHERE role = 'MANAGER' AND 'VIEW_DISPUTES' = ANY (permissions)`,
  );
  return r.rows.map((u: { id: string }) => u.id);
}

/** What a comment writes, to prove a refusal wrote none of it. */
async function written(disputeId: string) {
  return {
    comments: await count('dispute_comments', 'dispute_id = $1', [disputeId]),
    notifications: await count('notifications', 'dispute_id = $1', [disputeId]),
    status: (await db().query('SELECT status FROM disputes WHERE id = $1', [disputeId])).rows[0],
  };
}

describe('addDisputeComment', () => {
  it('writes a buyer’s SHARED comment, trimmed, and notifies the managers but not the author', async () => {
    const disputeId = await pendingDispute();
    const before = await viewingManagers();
    const { addDisputeComment: c } = await w.as.buyerA.run(AddDisputeCommentDocument, {
      input: { disputeId, body: '  The caller asked for another company.  ' },
    });
    expect(c).toMatchObject({
      author: { id: w.ids.buyerA, name: 'Ann A' },
      authorRole: 'BUYER',
      body: 'The caller asked for another company.',
      visibility: 'SHARED',
    });
    const rows = await db().query('SELECT * FROM dispute_comments WHERE dispute_id = $1', [
      disputeId,
    ]);
    expect(rows.rows).toEqual([
      expect.objectContaining({
        id: c.id,
        author_id: w.ids.buyerA,
        author_role: 'BUYER',
        body: 'The caller asked for another company.',
        visibility: 'SHARED',
      }),
    ]);
    const notified = await recipients(disputeId);
    const users = notified.map((n) => n.user_id);
    expect(users).toEqual(expect.arrayContaining([w.ids.viewManager, w.ids.editManager]));
    for (const id of [w.ids.buyerA, w.ids.buyerA2, w.ids.buyerB, w.ids.plainManager])
      expect(users).not.toContain(id);
    expect(notified.every((n) => n.comment_id === c.id)).toBe(true);
    // Every manager with VIEW_DISPUTES (other files add managers meanwhile: at least those
    // there before, at most those there after).
    expect(users).toEqual(expect.arrayContaining(before));
    expect(await viewingManagers()).toEqual(expect.arrayContaining(users));
  });

  it('writes a manager’s SHARED comment to the account’s users with DISPUTE_CALLS, and an INTERNAL one to no one', async () => {
    const disputeId = await pendingDispute();
    const shared = await w.as.editManager.run(AddDisputeCommentDocument, {
      input: { disputeId, body: 'Please send the recording timestamp.', visibility: 'SHARED' },
    });
    expect(shared.addDisputeComment).toMatchObject({
      authorRole: 'MANAGER',
      visibility: 'SHARED',
    });
    expect((await recipients(disputeId)).map((n) => n.user_id).sort()).toEqual(
      [w.ids.buyerA, w.ids.buyerA2].sort(),
    );
    const before = await count('notifications', 'dispute_id = $1', [disputeId]);
    const internal = await w.as.editManager.run(AddDisputeCommentDocument, {
      input: { disputeId, body: 'Publisher 7 again.', visibility: 'INTERNAL' },
    });
    expect(internal.addDisputeComment.visibility).toBe('INTERNAL');
    expect(await count('notifications', 'dispute_id = $1', [disputeId])).toBe(before);
    expect(
      await count('dispute_comments', `dispute_id = $1 AND visibility = 'INTERNAL'`, [disputeId]),
    ).toBe(1);
  });

  it('lists comments oldest first; buyers see SHARED only; another account sees no dispute', async () => {
    const disputeId = await pendingDispute();
    const bodies = ['one (buyer)', 'two (internal)', 'three (manager)'];
    await w.as.buyerA.run(AddDisputeCommentDocument, { input: { disputeId, body: bodies[0]! } });
    await w.as.editManager.run(AddDisputeCommentDocument, {
      input: { disputeId, body: bodies[1]!, visibility: 'INTERNAL' },
    });
    await w.as.editManager.run(AddDisputeCommentDocument, {
      input: { disputeId, body: bodies[2]! },
    });
    const asManager = await w.as.viewManager.run(DisputeCommentsDocument, { id: disputeId });
    expect(asManager.dispute?.comments.map((c) => c.body)).toEqual(bodies);
    const asBuyer = await w.as.buyerA2.run(DisputeCommentsDocument, { id: disputeId });
    expect(asBuyer.dispute?.comments.map((c) => c.body)).toEqual([bodies[0], bodies[2]]);
    const asOther = await w.as.buyerB.run(DisputeCommentsDocument, { id: disputeId });
    expect(asOther.dispute).toBeNull();
  });

  it('loads the comments of a page of disputes, with their authors, in a fixed number of statements', async () => {
    const account = await insertAccount();
    const buyer = await insertUser({
      role: 'BUYER',
      accountId: account,
      permissions: ['DISPUTE_CALLS'],
    });
    const as = await Client.forUser(buyer);
    const query = `{ disputes(first: 12) { nodes { id comments { body author { name } } } } }`;
    const statements: number[] = [];
    for (const size of [1, 12]) {
      while ((await count('disputes', 'buyer_id = $1', [account])) < size) {
        const callId = await insertCall({ buyerId: account, campaignId: w.ids.campaign });
        const { createDispute } = await as.run(CreateDisputeIdDocument, {
          input: { callId, reason: 'OTHER' },
        });
        await as.run(AddDisputeCommentDocument, {
          input: { disputeId: createDispute.id, body: 'from the buyer' },
        });
        await w.as.editManager.run(AddDisputeCommentDocument, {
          input: { disputeId: createDispute.id, body: 'from a manager' },
        });
      }
      const res = await as.raw(query);
      expect(res.errors).toBeUndefined();
      statements.push(res.extensions!.sqlStatements!);
    }
    expect(statements[1]).toBe(statements[0]);
  });

  it('never lands on a dispute decided meanwhile: a comment racing a decision is written before it or refused', async () => {
    for (let round = 0; round < 10; round++) {
      const callId = await insertCall({ buyerId: w.ids.accountA, campaignId: w.ids.campaign });
      const disputeId = await insertDispute({ callId, createdBy: w.ids.buyerA });
      const [comment, decision] = await Promise.all([
        w.as.buyerA.raw(AddDisputeCommentDocument, {
          input: { disputeId, body: `round ${round}` },
        }),
        w.as.editManager.raw(ResolveDisputeDocument, {
          input: { disputeId, outcome: 'REJECTED' },
        }),
      ]);
      expect(decision.errors).toBeUndefined();
      const { rows } = await db().query(
        `SELECT dc.created_at <= d.decided_at AS before_decision
           FROM dispute_comments dc JOIN disputes d ON d.id = dc.dispute_id WHERE d.id = $1`,
        [disputeId],
      );
      if (comment.errors) {
        expect(comment.errors[0]?.extensions?.code).toBe('DISPUTE_ALREADY_RESOLVED');
        expect(rows).toEqual([]);
      } else {
        expect(rows).toEqual([{ before_decision: true }]);
      }
    }
  });

  it('accepts exactly 2,000 characters, counted in code points', async () => {
    const disputeId = await pendingDispute();
    const body = '😀'.repeat(2000);
    const { addDisputeComment } = await w.as.buyerA.run(AddDisputeCommentDocument, {
      input: { disputeId, body },
    });
    expect(addDisputeComment.body).toBe(body);
  });

  it('is refused with the contract codes in the contract’s order, writing nothing', async () => {
    const disputeId = await pendingDispute();
    const foreignCall = await insertCall({ buyerId: w.ids.accountB, campaignId: w.ids.campaign });
    const foreign = await insertDispute({ callId: foreignCall, createdBy: w.ids.buyerB });
    const rejectedCall = await insertCall({ buyerId: w.ids.accountA, campaignId: w.ids.campaign });
    const rejected = await insertDispute({
      callId: rejectedCall,
      createdBy: w.ids.buyerA,
      status: 'REJECTED',
      decidedBy: w.ids.editManager,
    });
    const withdrawnId = await pendingDispute();
    await w.as.buyerA.run(WithdrawDisputeDocument, { disputeId: withdrawnId });
    const ok = 'A fine comment.';
    const cases: {
      name: string;
      as: Client;
      id: string;
      body?: string;
      visibility?: 'SHARED' | 'INTERNAL';
      code: string;
      field?: string;
    }[] = [
      { name: 'anonymous', as: w.as.anonymous, id: disputeId, code: 'UNAUTHENTICATED' },
      {
        name: 'INTERNAL by a buyer',
        as: w.as.buyerA,
        id: disputeId,
        visibility: 'INTERNAL',
        code: 'FORBIDDEN',
      },
      {
        name: 'INTERNAL by a buyer, on another account (permission before visibility)',
        as: w.as.buyerB,
        id: disputeId,
        visibility: 'INTERNAL',
        code: 'FORBIDDEN',
      },
      { name: 'a view-only manager', as: w.as.viewManager, id: disputeId, code: 'FORBIDDEN' },
      {
        name: 'a view-only manager, INTERNAL',
        as: w.as.viewManager,
        id: disputeId,
        visibility: 'INTERNAL',
        code: 'FORBIDDEN',
      },
      {
        name: 'a manager without permissions',
        as: w.as.plainManager,
        id: disputeId,
        code: 'FORBIDDEN',
      },
      {
        name: 'a buyer without DISPUTE_CALLS',
        as: w.as.buyerANoPerm,
        id: disputeId,
        code: 'FORBIDDEN',
      },
      { name: "another account's dispute", as: w.as.buyerA, id: foreign, code: 'NOT_FOUND' },
      {
        name: "another account's dispute, empty body (visibility before rules)",
        as: w.as.buyerA,
        id: foreign,
        body: '',
        code: 'NOT_FOUND',
      },
      {
        name: 'a missing dispute',
        as: w.as.editManager,
        id: '00000000-0000-4000-8000-000000000000',
        code: 'NOT_FOUND',
      },
      { name: 'a malformed ID', as: w.as.editManager, id: 'x', code: 'NOT_FOUND' },
      {
        name: 'a rejected dispute',
        as: w.as.buyerA,
        id: rejected,
        code: 'DISPUTE_ALREADY_RESOLVED',
      },
      {
        name: 'a withdrawn dispute',
        as: w.as.editManager,
        id: withdrawnId,
        code: 'DISPUTE_ALREADY_RESOLVED',
      },
      {
        name: 'a rejected dispute, empty body (status before body)',
        as: w.as.buyerA,
        id: rejected,
        body: '',
        code: 'DISPUTE_ALREADY_RESOLVED',
      },
      {
        name: 'an empty body',
        as: w.as.buyerA,
        id: disputeId,
        body: '',
        code: 'BAD_USER_INPUT',
        field: 'body',
      },
      {
        name: 'a whitespace-only body',
        as: w.as.editManager,
        id: disputeId,
        body: ' \n\t ',
        code: 'BAD_USER_INPUT',
        field: 'body',
      },
      {
        name: 'a 2,001-character body',
        as: w.as.buyerA,
        id: disputeId,
        body: 'x'.repeat(2001),
        code: 'BAD_USER_INPUT',
        field: 'body',
      },
      {
        name: 'a 2,001-code-point body',
        as: w.as.editManager,
        id: disputeId,
        body: '😀'.repeat(2001),
        code: 'BAD_USER_INPUT',
        field: 'body',
      },
    ];
    const ids = [disputeId, foreign, rejected, withdrawnId];
    const before = await Promise.all(ids.map(written));
    for (const c of cases) {
      const res = await c.as.raw(AddDisputeCommentDocument, {
        input: { disputeId: c.id, body: c.body ?? ok, visibility: c.visibility },
      });
      const error = res.errors?.[0];
      expect({ name: c.name, code: error?.extensions?.code }).toEqual({
        name: c.name,
        code: c.code,
      });
      if (c.field) expect(error?.message).toMatch(new RegExp(`^${c.field}:`));
      expect(res.data?.addDisputeComment ?? null).toBeNull();
    }
    expect(await Promise.all(ids.map(written))).toEqual(before);
  });

  it('refuses a comment past the most a dispute holds (the bound of Dispute.comments)', async () => {
    const disputeId = await pendingDispute();
    await db().query(
      `INSERT INTO dispute_comments (id, dispute_id, author_id, author_role, body, visibility)
       SELECT gen_random_uuid(), $1, $2, 'MANAGER', 'n' || i, 'INTERNAL' FROM generate_series(1, 200) i`,
      [disputeId, w.ids.editManager],
    );
    const res = await w.as.buyerA.raw(AddDisputeCommentDocument, {
      input: { disputeId, body: 'one more' },
    });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toMatch(/^disputeId:/);
    expect(await count('dispute_comments', 'dispute_id = $1', [disputeId])).toBe(200);
    const { dispute } = await w.as.viewManager.run(DisputeCommentsDocument, { id: disputeId });
    expect(dispute?.comments).toHaveLength(200);
  });

  it('sends a SHARED comment’s notification live to the other side, not to its author', async () => {
    const disputeId = await pendingDispute();
    const manager = await LiveClient.forUser(w.ids.viewManager);
    const author = await LiveClient.forUser(w.ids.buyerA);
    live.push(manager, author);
    const toManager = manager.subscribe(NotificationAddedLiveDocument);
    const toAuthor = author.subscribe(NotificationAddedLiveDocument);
    const authorCount = author.subscribe(PendingDisputesCountLiveDocument);
    await authorCount.nth(1);
    await w.as.buyerA.run(AddDisputeCommentDocument, { input: { disputeId, body: 'Hello' } });
    const arrived = toManager.until((v) =>
      v.some(
        (x) =>
          x.notificationAdded.kind === 'DISPUTE_COMMENTED' &&
          x.notificationAdded.dispute.id === disputeId,
      ),
    );
    await expectSilence([toAuthor], arrived);
  });
});

describe('INTERNAL comments never reach a buyer', () => {
  it('is absent from comments, notifications, notificationAdded and disputeChanged for every buyer user', async () => {
    const disputeId = await pendingDispute();
    const secrets = ['INTERNAL-SECRET-1 publisher fraud', 'INTERNAL-SECRET-2 check traffic'];
    const buyers = [
      { id: w.ids.buyerA, as: w.as.buyerA },
      { id: w.ids.buyerA2, as: w.as.buyerA2 },
    ];
    const feeds = await Promise.all(
      buyers.map(async (b) => {
        const client = await LiveClient.forUser(b.id);
        live.push(client);
        const counter = client.subscribe(PendingDisputesCountLiveDocument);
        await counter.nth(1);
        return {
          added: client.subscribe(NotificationAddedLiveDocument),
          changed: client.subscribe(DisputeChangedLiveDocument),
        };
      }),
    );
    const notificationsBefore = await Promise.all(
      buyers.map((b) => count('notifications', 'user_id = $1', [b.id])),
    );

    for (const body of secrets) {
      await w.as.editManager.run(AddDisputeCommentDocument, {
        input: { disputeId, body, visibility: 'INTERNAL' },
      });
    }
    // The sync point: a SHARED comment written after them reaches both buyers, so anything the
    // INTERNAL ones sent would already have arrived.
    await w.as.editManager.run(AddDisputeCommentDocument, {
      input: { disputeId, body: 'Shared after the internal ones.' },
    });
    const synced = Promise.all(feeds.map((f) => f.added.nth(1)));
    await expectSilence(
      feeds.map((f) => f.changed),
      synced,
    );
    for (const f of feeds) {
      expect(f.added.values).toHaveLength(1);
      expect(f.added.values[0]!.notificationAdded.kind).toBe('DISPUTE_COMMENTED');
      expect(JSON.stringify(f.added.values)).not.toMatch(/INTERNAL-SECRET/);
    }

    for (const [i, b] of buyers.entries()) {
      // One notification each: the SHARED comment's.
      expect(await count('notifications', 'user_id = $1', [b.id])).toBe(
        notificationsBefore[i]! + 1,
      );
      const responses = [
        await b.as.raw(DisputeCommentsDocument, { id: disputeId }),
        await b.as.raw(DisputeDocument, { id: disputeId }),
        await b.as.raw(NotificationsDocument, { first: 100 }),
      ];
      for (const res of responses) {
        expect(res.errors).toBeUndefined();
        expect(JSON.stringify(res.data)).not.toMatch(/INTERNAL-SECRET|INTERNAL/);
      }
      const comments = (await b.as.run(DisputeCommentsDocument, { id: disputeId })).dispute!
        .comments;
      expect(comments.map((c) => c.body)).toEqual(['Shared after the internal ones.']);
    }
    // The managers do read them.
    const asManager = await w.as.viewManager.run(DisputeCommentsDocument, { id: disputeId });
    expect(asManager.dispute?.comments.map((c) => c.visibility)).toEqual([
      'INTERNAL',
      'INTERNAL',
      'SHARED',
    ]);
  });
});
