import {
  CallDocument,
  CreateDisputeIdDocument,
  CreateWebhookEndpointDocument,
  DisputeChangedLiveDocument,
  DisputeStatsDocument,
  NotificationAddedLiveDocument,
  PendingDisputesCountLiveDocument,
  ReopenDisputeDocument,
  ReopenedDisputeDocument,
  ResolveDisputeDocument,
  WithdrawDisputeDocument,
  type DisputeStatus,
} from '../generated/graphql';
import { Client, type GqlResponse } from '../support/client';
import { LiveClient, silenceWindow } from '../support/live';
import {
  closeDb,
  createWorld,
  db,
  HOUR,
  insertAccount,
  insertCall,
  insertUser,
  type World,
} from '../support/seed';
import { readTestEnv, startApiProcess, storeEnv, type ApiProcess } from '../support/services';

/*
 * Rule 20 through HTTP and WebSocket against the suite's server (REOPEN_WINDOW_HOURS 168 and
 * REVIEW_SLA_HOURS 48 by default), and one more process with REOPEN_WINDOW_HOURS=1.
 */

let w: World;
let oneHour: ApiProcess;
let endpointId: string;
const live: LiveClient[] = [];
beforeAll(async () => {
  w = await createWorld();
  oneHour = await startApiProcess({
    DATABASE_URL: readTestEnv().databaseUrl,
    ...storeEnv(),
    REOPEN_WINDOW_HOURS: '1',
  });
  // Account A's reopenings land in the outbox (nothing listens at the address).
  const { createWebhookEndpoint } = await w.as.buyerA.run(CreateWebhookEndpointDocument, {
    input: { url: 'http://127.0.0.1:9/reopened', events: ['DISPUTE_REOPENED'] },
  });
  endpointId = createWebhookEndpoint.endpoint.id;
}, 60_000);
afterAll(async () => {
  await Promise.all(live.map((l) => l.close()));
  await oneHour?.stop();
  await closeDb();
});

const REASON = 'The recording shows the caller qualified after all.';
type Outcome = 'ACCEPTED' | 'ACCEPTED_PARTIAL' | 'REJECTED';

async function disputed(opts: { as?: Client; accountId?: string } = {}) {
  const callId = await insertCall({
    buyerId: opts.accountId ?? w.ids.accountA,
    campaignId: w.ids.campaign,
    payoutMinor: 2500,
  });
  const { createDispute } = await (opts.as ?? w.as.buyerA).run(CreateDisputeIdDocument, {
    input: { callId, reason: 'INVALID_CALLER' },
  });
  return { callId, disputeId: createDispute.id };
}

async function decide(disputeId: string, outcome: Outcome, amount = '5.00') {
  return w.as.editManager.run(ResolveDisputeDocument, {
    input: {
      disputeId,
      outcome,
      adjustmentAmount: outcome === 'ACCEPTED_PARTIAL' ? amount : null,
      comment: 'Checked the recording.',
    },
  });
}

/** A dispute of a new call (payout 25.00), decided through the API. */
async function decided(outcome: Outcome, opts: { as?: Client; accountId?: string } = {}) {
  const d = await disputed(opts);
  await decide(d.disputeId, outcome);
  return d;
}

const reopen = (as: Client, disputeId: string, reason = REASON) =>
  as.raw(ReopenDisputeDocument, { input: { disputeId, reason } });

const codeOf = (res: GqlResponse<unknown>) => res.errors?.[0]?.extensions?.code;

/** Everything a reopening (or anything else) writes about a call, to prove a refusal wrote none of it. */
async function callState(callId: string) {
  const disputes = await db().query(
    `SELECT d.id, d.status, d.decided_at, d.decided_by, d.adjustment_minor, d.decision_comment,
       d.review_due_at,
       (SELECT count(*)::int FROM dispute_events e WHERE e.dispute_id = d.id) AS events,
       (SELECT count(*)::int FROM notifications n WHERE n.dispute_id = d.id) AS notifications,
       (SELECT count(*)::int FROM webhook_deliveries wd
         WHERE wd.endpoint_id = $2 AND wd.body LIKE '%' || d.id::text || '%') AS deliveries
       FROM disputes d WHERE d.call_id = $1 ORDER BY d.created_at, d.id`,
    [callId, endpointId],
  );
  const call = await db().query(
    'SELECT payout_minor::int AS payout, latest_dispute_status FROM calls WHERE id = $1',
    [callId],
  );
  return { call: call.rows[0], disputes: disputes.rows };
}

async function pendingOfCall(callId: string): Promise<number> {
  const r = await db().query(
    `SELECT count(*)::int AS n FROM disputes WHERE call_id = $1 AND status = 'PENDING'`,
    [callId],
  );
  return r.rows[0].n;
}

async function reopenedNotifications(disputeId: string) {
  const r = await db().query(
    `SELECT n.user_id, n.message, u.role FROM notifications n JOIN users u ON u.id = n.user_id
      WHERE n.dispute_id = $1 AND n.kind = 'DISPUTE_REOPENED' ORDER BY n.user_id`,
    [disputeId],
  );
  return r.rows as { user_id: string; message: string; role: string }[];
}

describe('reopenDispute', () => {
  it('reopens a partial acceptance: PENDING, no decision, the payout back, a REOPENED event with the reason, a new deadline', async () => {
    const { callId, disputeId } = await decided('ACCEPTED_PARTIAL');
    const before = Date.now();
    const res = await reopen(w.as.editManager, disputeId, `  ${REASON}\n`);
    const after = Date.now();
    expect(res.errors).toBeUndefined();
    const d = res.data!.reopenDispute;
    expect(d).toMatchObject({
      id: disputeId,
      status: 'PENDING',
      decision: null,
      overdue: false,
      call: {
        id: callId,
        payout: { amount: '25.00', currency: 'USD' },
        originalPayout: { amount: '25.00' },
        // A manager may dispute no call; the buyer's view follows below.
        disputability: { allowed: false, blockedBy: 'NO_PERMISSION' },
      },
    });
    expect(d.history).toEqual([
      expect.objectContaining({ type: 'CREATED', statusAfter: 'PENDING', note: null }),
      {
        type: 'RESOLVED',
        actor: { id: w.ids.editManager },
        statusBefore: 'PENDING',
        statusAfter: 'ACCEPTED_PARTIAL',
        payoutBefore: { amount: '25.00' },
        payoutAfter: { amount: '20.00' },
        note: null,
      },
      {
        type: 'REOPENED',
        actor: { id: w.ids.editManager },
        statusBefore: 'ACCEPTED_PARTIAL',
        statusAfter: 'PENDING',
        payoutBefore: { amount: '20.00' },
        payoutAfter: { amount: '25.00' },
        note: REASON,
      },
    ]);
    // Now plus REVIEW_SLA_HOURS (48), not the creation's deadline.
    const due = Date.parse(d.reviewDueAt);
    expect(due).toBeGreaterThanOrEqual(before + 48 * HOUR);
    expect(due).toBeLessThanOrEqual(after + 48 * HOUR);

    const state = await callState(callId);
    expect(state.call).toEqual({ payout: 2500, latest_dispute_status: 'PENDING' });
    expect(state.disputes[0]).toMatchObject({
      status: 'PENDING',
      decided_at: null,
      decided_by: null,
      adjustment_minor: null,
      decision_comment: null,
    });

    // The account's users with DISPUTE_CALLS, and no one else.
    const notified = await reopenedNotifications(disputeId);
    expect(notified.map((n) => n.user_id).sort()).toEqual([w.ids.buyerA, w.ids.buyerA2].sort());
    expect(notified[0]!.message).toMatch(/reopened .* pending again, payout back to 25\.00 USD\.$/);

    // The webhook outbox: dispute.reopened, the dispute as it is now, no decision.
    const rows = await db().query(
      `SELECT body FROM webhook_deliveries
        WHERE endpoint_id = $1 AND event_type = 'dispute.reopened' AND body LIKE $2`,
      [endpointId, `%${disputeId}%`],
    );
    expect(rows.rows).toHaveLength(1);
    expect(JSON.parse(rows.rows[0].body)).toMatchObject({
      type: 'dispute.reopened',
      data: {
        dispute: { id: disputeId, callId, status: 'PENDING', decision: null },
        comment: null,
      },
    });

    // Rule 3 follows: the call has a pending dispute again.
    const { call } = await w.as.buyerA.run(CallDocument, { id: callId });
    expect(call!.disputability).toMatchObject({ allowed: false, blockedBy: 'DISPUTE_PENDING' });
    const again = await w.as.buyerA.raw(CreateDisputeIdDocument, {
      input: { callId, reason: 'OTHER' },
    });
    expect(codeOf(again)).toBe('DISPUTE_ALREADY_ACTIVE');
  });

  it.each([
    ['ACCEPTED', '0.00', /payout back to 25\.00 USD\.$/],
    ['REJECTED', '25.00', /payout unchanged\.$/],
  ] as const)(
    'reopens %s, the payout back from %s to 25.00',
    async (outcome, decidedPayout, message) => {
      const { callId, disputeId } = await decided(outcome);
      const { reopenDispute: d } = await w.as.editManager.run(ReopenDisputeDocument, {
        input: { disputeId, reason: REASON },
      });
      expect(d.status).toBe('PENDING');
      expect(d.call.payout.amount).toBe('25.00');
      expect(d.history.at(-1)).toMatchObject({
        type: 'REOPENED',
        statusBefore: outcome,
        payoutBefore: { amount: decidedPayout },
        payoutAfter: { amount: '25.00' },
      });
      expect((await callState(callId)).call.payout).toBe(2500);
      expect((await reopenedNotifications(disputeId))[0]!.message).toMatch(message);
    },
  );

  it('reopens an automatic acceptance (rule 15)', async () => {
    const account = await insertAccount();
    await db().query('UPDATE accounts SET auto_accept_duplicates = true WHERE id = $1', [account]);
    const buyer = await insertUser({
      role: 'BUYER',
      accountId: account,
      permissions: ['DISPUTE_CALLS'],
    });
    const as = await Client.forUser(buyer);
    const callerId = '+15559870001';
    await insertCall({
      buyerId: account,
      campaignId: w.ids.campaign,
      callerId,
      startedAt: new Date(Date.now() - 2 * HOUR),
    });
    const callId = await insertCall({ buyerId: account, campaignId: w.ids.campaign, callerId });
    const { createDispute } = await as.run(CreateDisputeIdDocument, {
      input: { callId, reason: 'DUPLICATE_CALL' },
    });
    expect(createDispute.status).toBe('ACCEPTED');
    const { reopenDispute: d } = await w.as.editManager.run(ReopenDisputeDocument, {
      input: { disputeId: createDispute.id, reason: REASON },
    });
    expect(d).toMatchObject({
      status: 'PENDING',
      decision: null,
      call: { payout: { amount: '25.00' } },
    });
    expect(d.history.map((e) => [e.type, e.actor.id])).toEqual([
      ['CREATED', buyer],
      ['RESOLVED', '00000000-0000-4000-8000-00000000a001'],
      ['REOPENED', w.ids.editManager],
    ]);
    expect((await reopenedNotifications(createDispute.id)).map((n) => n.user_id)).toEqual([buyer]);
  });

  it('is decided again and reopened again, the payout back to what it was before the latest decision', async () => {
    const { callId, disputeId } = await decided('ACCEPTED_PARTIAL');
    await w.as.editManager.run(ReopenDisputeDocument, { input: { disputeId, reason: 'First.' } });
    // An import raised the call's original payout meanwhile (adjustments kept: none now).
    await db().query(
      'UPDATE calls SET original_payout_minor = 3000, payout_minor = 3000 WHERE id = $1',
      [callId],
    );
    await decide(disputeId, 'ACCEPTED');
    expect((await callState(callId)).call.payout).toBe(0);
    const { reopenDispute: d } = await w.as.editManager.run(ReopenDisputeDocument, {
      input: { disputeId, reason: 'Second.' },
    });
    expect(d.call.payout.amount).toBe('30.00');
    expect(
      d.history.map((e) => [
        e.type,
        e.statusBefore,
        e.statusAfter,
        e.payoutBefore.amount,
        e.payoutAfter.amount,
        e.note,
      ]),
    ).toEqual([
      ['CREATED', null, 'PENDING', '25.00', '25.00', null],
      ['RESOLVED', 'PENDING', 'ACCEPTED_PARTIAL', '25.00', '20.00', null],
      ['REOPENED', 'ACCEPTED_PARTIAL', 'PENDING', '20.00', '25.00', 'First.'],
      ['RESOLVED', 'PENDING', 'ACCEPTED', '30.00', '0.00', null],
      ['REOPENED', 'ACCEPTED', 'PENDING', '0.00', '30.00', 'Second.'],
    ]);
    expect(await pendingOfCall(callId)).toBe(1);
  });

  it('is reopened at most 9 times, so its whole history fits Dispute.history (20 events)', async () => {
    const { callId, disputeId } = await decided('REJECTED');
    for (let i = 1; i <= 9; i++) {
      await w.as.editManager.run(ReopenDisputeDocument, {
        input: { disputeId, reason: `Look again (${i}).` },
      });
      await decide(disputeId, 'REJECTED');
    }
    const before = await callState(callId);
    const res = await reopen(w.as.editManager, disputeId);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.extensions?.field).toBe('disputeId');
    expect(await callState(callId)).toEqual(before);
    const { dispute } = await w.as.editManager.run(ReopenedDisputeDocument, { id: disputeId });
    expect(dispute!.history).toHaveLength(20);
    expect(dispute!.history.at(-1)).toMatchObject({ type: 'RESOLVED', statusAfter: 'REJECTED' });
  });
});

describe('refusals write nothing', () => {
  /** Moves a decision into the past, as if made `hours` ago by the server's clock. */
  const decidedAgo = (disputeId: string, hours: number) =>
    db().query('UPDATE disputes SET decided_at = $2 WHERE id = $1', [
      disputeId,
      new Date(Date.now() - hours * HOUR),
    ]);

  it('answers DISPUTE_NOT_REOPENABLE where rule 20 does not allow it', async () => {
    const pending = await disputed();
    const withdrawn = await disputed();
    await w.as.buyerA.run(WithdrawDisputeDocument, { disputeId: withdrawn.disputeId });
    const old = await decided('ACCEPTED');
    await decidedAgo(old.disputeId, 168 + 1 / 60);
    // Superseded: a later dispute of the same call, PENDING, WITHDRAWN or decided.
    const superseded = async (later: 'PENDING' | 'WITHDRAWN' | 'REJECTED') => {
      const first = await decided('REJECTED');
      const { createDispute } = await w.as.buyerA.run(CreateDisputeIdDocument, {
        input: { callId: first.callId, reason: 'OTHER' },
      });
      if (later === 'WITHDRAWN')
        await w.as.buyerA.run(WithdrawDisputeDocument, { disputeId: createDispute.id });
      if (later === 'REJECTED') await decide(createDispute.id, 'REJECTED');
      return { ...first, later: createDispute.id };
    };
    const cases: { name: string; callId: string; disputeId: string; message: RegExp }[] = [
      { name: 'a PENDING dispute', ...pending, message: /still pending/ },
      { name: 'a WITHDRAWN dispute', ...withdrawn, message: /withdrawn/ },
      { name: 'a decision older than 168 hours', ...old, message: /more than 168 hours old/ },
      {
        name: 'one followed by a PENDING dispute',
        ...(await superseded('PENDING')),
        message: /latest dispute/,
      },
      {
        name: 'one followed by a WITHDRAWN dispute',
        ...(await superseded('WITHDRAWN')),
        message: /latest dispute/,
      },
      {
        name: 'one followed by a decided dispute',
        ...(await superseded('REJECTED')),
        message: /latest dispute/,
      },
    ];
    for (const c of cases) {
      const before = await callState(c.callId);
      const res = await reopen(w.as.editManager, c.disputeId);
      expect({ name: c.name, code: codeOf(res) }).toEqual({
        name: c.name,
        code: 'DISPUTE_NOT_REOPENABLE',
      });
      expect(res.errors?.[0]?.message).toMatch(c.message);
      expect(res.data?.reopenDispute ?? null).toBeNull();
      expect({ name: c.name, state: await callState(c.callId) }).toEqual({
        name: c.name,
        state: before,
      });
    }
    // The latest one of a call whose earlier dispute was refused is reopened.
    const last = cases.at(-1) as (typeof cases)[number] & { later: string };
    const ok = await reopen(w.as.editManager, last.later);
    expect(ok.errors).toBeUndefined();
  });

  it('reopens a decision of up to 168 hours, by the server clock', async () => {
    const { disputeId } = await decided('ACCEPTED_PARTIAL');
    await decidedAgo(disputeId, 168 - 1 / 60);
    const res = await reopen(w.as.editManager, disputeId);
    expect(res.errors).toBeUndefined();
    expect(res.data!.reopenDispute.status).toBe('PENDING');
  });

  it('reads REOPEN_WINDOW_HOURS: with 1, a decision of 90 minutes ago is refused; with 168 it is reopened', async () => {
    const { callId, disputeId } = await decided('REJECTED');
    await decidedAgo(disputeId, 1.5);
    const manager = await Client.forUser(w.ids.editManager, oneHour.url);
    const before = await callState(callId);
    const refused = await reopen(manager, disputeId);
    expect(codeOf(refused)).toBe('DISPUTE_NOT_REOPENABLE');
    expect(refused.errors?.[0]?.message).toMatch(/more than 1 hour old/);
    expect(await callState(callId)).toEqual(before);
    expect((await reopen(w.as.editManager, disputeId)).errors).toBeUndefined();
  });

  it('checks the reason after the rule: trimmed, then 1 to 2,000 characters (BAD_USER_INPUT naming reason)', async () => {
    const { callId, disputeId } = await decided('ACCEPTED_PARTIAL');
    const emoji = '\u{1F600}';
    const before = await callState(callId);
    for (const reason of [
      '',
      '   \n\t',
      'x'.repeat(2001),
      emoji.repeat(2001),
      ` ${'y'.repeat(2001)} `,
    ]) {
      const res = await reopen(w.as.editManager, disputeId, reason);
      expect({ length: reason.length, code: codeOf(res) }).toEqual({
        length: reason.length,
        code: 'BAD_USER_INPUT',
      });
      expect(res.errors?.[0]?.extensions?.field).toBe('reason');
      expect(res.errors?.[0]?.message).toMatch(/^reason: /);
    }
    expect(await callState(callId)).toEqual(before);
    // A dispute that is not reopenable says so whatever the reason.
    const pending = await disputed();
    expect(codeOf(await reopen(w.as.editManager, pending.disputeId, ''))).toBe(
      'DISPUTE_NOT_REOPENABLE',
    );
    // 2,000 characters (code points) once trimmed are fine.
    const { reopenDispute: d } = await w.as.editManager.run(ReopenDisputeDocument, {
      input: { disputeId, reason: ` ${emoji.repeat(2000)} ` },
    });
    expect(d.history.at(-1)!.note).toBe(emoji.repeat(2000));
  });

  it('answers UNAUTHENTICATED, FORBIDDEN, then NOT_FOUND, in the contract order', async () => {
    const { callId, disputeId } = await decided('ACCEPTED_PARTIAL');
    const foreign = await decided('REJECTED', { as: w.as.buyerB, accountId: w.ids.accountB });
    const missing = '00000000-0000-4000-8000-000000000000';
    const cases: { name: string; as: Client; id: string; reason?: string; code: string }[] = [
      { name: 'anonymous', as: w.as.anonymous, id: disputeId, code: 'UNAUTHENTICATED' },
      { name: 'the buyer user', as: w.as.buyerA, id: disputeId, code: 'FORBIDDEN' },
      { name: "another account's buyer", as: w.as.buyerB, id: disputeId, code: 'FORBIDDEN' },
      {
        name: 'a buyer without permission',
        as: w.as.buyerANoPerm,
        id: disputeId,
        code: 'FORBIDDEN',
      },
      { name: 'a view-only manager', as: w.as.viewManager, id: disputeId, code: 'FORBIDDEN' },
      {
        name: 'a manager without permission',
        as: w.as.plainManager,
        id: disputeId,
        code: 'FORBIDDEN',
      },
      {
        name: 'a view-only manager, unknown ID',
        as: w.as.viewManager,
        id: missing,
        code: 'FORBIDDEN',
      },
      { name: 'an unknown ID', as: w.as.editManager, id: missing, code: 'NOT_FOUND' },
      { name: 'a malformed ID', as: w.as.editManager, id: 'nope', code: 'NOT_FOUND' },
      {
        name: 'an unknown ID, empty reason',
        as: w.as.editManager,
        id: missing,
        reason: '',
        code: 'NOT_FOUND',
      },
    ];
    const before = [await callState(callId), await callState(foreign.callId)];
    for (const c of cases) {
      const res = await reopen(c.as, c.id, c.reason);
      expect({ name: c.name, code: codeOf(res) }).toEqual({ name: c.name, code: c.code });
      expect(res.data?.reopenDispute ?? null).toBeNull();
    }
    expect([await callState(callId), await callState(foreign.callId)]).toEqual(before);
    // Managers reach every account: the other account's decision is reopened too.
    expect((await reopen(w.as.editManager, foreign.disputeId)).errors).toBeUndefined();
  });
});

describe('races: the call never holds two PENDING disputes, and each loser gets its code and wrote nothing', () => {
  const ROUNDS = 12;

  it('a reopening against another: exactly one wins', async () => {
    const tally: Record<string, number> = {};
    for (let round = 0; round < ROUNDS; round++) {
      const { callId, disputeId } = await decided('ACCEPTED_PARTIAL');
      const results = await Promise.all([
        reopen(w.as.editManager, disputeId, 'One.'),
        reopen(w.as.editManager, disputeId, 'Two.'),
      ]);
      const codes = results.map((r) => codeOf(r) ?? 'won');
      for (const c of codes) tally[c] = (tally[c] ?? 0) + 1;
      expect({ round, codes: [...codes].sort() }).toEqual({
        round,
        codes: ['DISPUTE_NOT_REOPENABLE', 'won'],
      });
      const state = await callState(callId);
      expect(state.call.payout).toBe(2500);
      // CREATED, RESOLVED and one REOPENED, announced once to the account's two buyer users.
      expect(state.disputes).toEqual([
        expect.objectContaining({ status: 'PENDING', events: 3, deliveries: 1 }),
      ]);
      expect(await reopenedNotifications(disputeId)).toHaveLength(2);
      const notes = await db().query(
        `SELECT note FROM dispute_events WHERE dispute_id = $1 AND type = 'REOPENED'`,
        [disputeId],
      );
      const winner = results.findIndex((r) => !r.errors);
      expect(notes.rows).toEqual([{ note: winner === 0 ? 'One.' : 'Two.' }]);
    }
    console.log(`reopen vs reopen, ${ROUNDS} rounds: ${JSON.stringify(tally)}`);
  });

  it('a reopening against a decision: they run one after the other, whichever order', async () => {
    // From a decided dispute the reopening always wins and the decision wins when it comes
    // second; from a reopened (PENDING) one the decision always wins and the reopening when
    // it comes second.
    const tally: Record<string, number> = {};
    for (let round = 0; round < ROUNDS; round++) {
      const start: DisputeStatus = round % 2 === 0 ? 'REJECTED' : 'PENDING';
      const { callId, disputeId } = await decided('REJECTED');
      if (start === 'PENDING') await reopen(w.as.editManager, disputeId, 'Before the race.');
      const eventsBefore = (await callState(callId)).disputes[0].events as number;
      const [reopening, decision] = await Promise.all([
        reopen(w.as.editManager, disputeId),
        w.as.editManager.raw(ResolveDisputeDocument, {
          input: { disputeId, outcome: 'ACCEPTED' },
        }),
      ]);
      const r = codeOf(reopening) ?? 'won';
      const d = codeOf(decision) ?? 'won';
      tally[`from ${start}: reopen ${r}, decision ${d}`] =
        (tally[`from ${start}: reopen ${r}, decision ${d}`] ?? 0) + 1;
      const state = await callState(callId);
      expect(await pendingOfCall(callId)).toBeLessThanOrEqual(1);
      if (start === 'REJECTED') {
        expect({ round, r }).toEqual({ round, r: 'won' });
        expect(['won', 'DISPUTE_ALREADY_RESOLVED']).toContain(d);
      } else {
        expect({ round, d }).toEqual({ round, d: 'won' });
        expect(['won', 'DISPUTE_NOT_REOPENABLE']).toContain(r);
      }
      const wins = Number(r === 'won') + Number(d === 'won');
      expect(state.disputes[0].events).toBe(eventsBefore + wins);
      // What is stored is what the winners, in some order, leave.
      const lastWasDecision = d === 'won' && (r !== 'won' || start === 'REJECTED');
      expect(state.disputes[0].status).toBe(lastWasDecision ? 'ACCEPTED' : 'PENDING');
      expect(state.call.payout).toBe(lastWasDecision ? 0 : 2500);
    }
    console.log(`reopen vs decision, ${ROUNDS} rounds: ${JSON.stringify(tally)}`);
  });

  it("a reopening against the buyer's new dispute of the same call: exactly one wins", async () => {
    const tally: Record<string, number> = {};
    for (let round = 0; round < ROUNDS; round++) {
      const { callId, disputeId } = await decided('REJECTED');
      const [reopening, creation] = await Promise.all([
        reopen(w.as.editManager, disputeId),
        w.as.buyerA.raw(CreateDisputeIdDocument, { input: { callId, reason: 'OTHER' } }),
      ]);
      const r = codeOf(reopening) ?? 'won';
      const c = codeOf(creation) ?? 'won';
      tally[`reopen ${r}`] = (tally[`reopen ${r}`] ?? 0) + 1;
      tally[`create ${c}`] = (tally[`create ${c}`] ?? 0) + 1;
      expect({ round, codes: [r, c].sort() }).toEqual({
        round,
        codes: r === 'won' ? ['DISPUTE_ALREADY_ACTIVE', 'won'] : ['DISPUTE_NOT_REOPENABLE', 'won'],
      });
      const state = await callState(callId);
      expect(await pendingOfCall(callId)).toBe(1);
      if (r === 'won') {
        expect(state.disputes).toEqual([expect.objectContaining({ status: 'PENDING', events: 3 })]);
      } else {
        expect(state.disputes).toEqual([
          expect.objectContaining({ id: disputeId, status: 'REJECTED', events: 2, deliveries: 0 }),
          expect.objectContaining({ status: 'PENDING', events: 1 }),
        ]);
      }
    }
    console.log(`reopen vs new dispute, ${ROUNDS} rounds: ${JSON.stringify(tally)}`);
  });
});

describe('what follows a reopening', () => {
  async function freshBuyer() {
    const accountId = await insertAccount();
    const buyerId = await insertUser({
      role: 'BUYER',
      accountId,
      permissions: ['DISPUTE_CALLS'],
    });
    return { accountId, buyerId, as: await Client.forUser(buyerId) };
  }

  it('updates counters and disputeChanged, notifies the buyers (not managers), and a second decision sends only its own notification', async () => {
    const b = await freshBuyer();
    const { disputeId } = await decided('ACCEPTED_PARTIAL', { as: b.as, accountId: b.accountId });
    const buyerLive = await LiveClient.forUser(b.buyerId);
    const managerLive = await LiveClient.forUser(w.ids.viewManager);
    live.push(buyerLive, managerLive);
    const changed = buyerLive.subscribe(DisputeChangedLiveDocument);
    const added = buyerLive.subscribe(NotificationAddedLiveDocument);
    const counter = buyerLive.subscribe(PendingDisputesCountLiveDocument);
    const managerAdded = managerLive.subscribe(NotificationAddedLiveDocument);
    const managerCounter = managerLive.subscribe(PendingDisputesCountLiveDocument);
    await counter.until((v) => v.length >= 1 && v[0]!.pendingDisputesCount === 0);
    await managerCounter.nth(1);

    await w.as.editManager.run(ReopenDisputeDocument, { input: { disputeId, reason: REASON } });
    await counter.until((v) => v.some((x) => x.pendingDisputesCount === 1));
    await changed.until((v) =>
      v.some((x) => x.disputeChanged.id === disputeId && x.disputeChanged.status === 'PENDING'),
    );
    await added.until((v) => v.some((x) => x.notificationAdded.kind === 'DISPUTE_REOPENED'));

    const firstResolved = await db().query(
      `SELECT id FROM notifications WHERE dispute_id = $1 AND kind = 'DISPUTE_RESOLVED'`,
      [disputeId],
    );
    const mark = added.values.length;
    await decide(disputeId, 'REJECTED');
    await silenceWindow(
      added.until((v) =>
        v.slice(mark).some((x) => x.notificationAdded.kind === 'DISPUTE_RESOLVED'),
      ),
    );
    const sent = added.values.slice(mark).map((x) => x.notificationAdded);
    expect(sent.map((n) => n.kind)).toEqual(['DISPUTE_RESOLVED']);
    expect(sent[0]!.message).toMatch(/rejected/);
    expect(firstResolved.rows.map((r: { id: string }) => r.id)).not.toContain(sent[0]!.id);
    await counter.until((v) => v.at(-1)!.pendingDisputesCount === 0);
    // Managers are not told of a reopening.
    expect(
      managerAdded.values.filter(
        (x) =>
          x.notificationAdded.dispute.id === disputeId &&
          x.notificationAdded.kind === 'DISPUTE_REOPENED',
      ),
    ).toEqual([]);
    for (const f of [changed, added, counter, managerAdded, managerCounter]) f.stop();
  });

  it('moves disputeStats: the call counts as pending again and its credit goes back', async () => {
    const b = await freshBuyer();
    const { callId, disputeId } = await decided('ACCEPTED', { as: b.as, accountId: b.accountId });
    const range = {
      groupBy: 'BUYER' as const,
      from: new Date(Date.now() - 2 * 86_400_000).toISOString(),
      to: new Date(Date.now() + 86_400_000).toISOString(),
    };
    const row = async () => (await b.as.run(DisputeStatsDocument, range)).disputeStats[0];
    expect(await row()).toMatchObject({
      disputedCalls: 1,
      pending: 0,
      accepted: 1,
      credited: [{ amount: '25.00', currency: 'USD' }],
    });
    await w.as.editManager.run(ReopenDisputeDocument, { input: { disputeId, reason: REASON } });
    expect(await row()).toMatchObject({
      disputedCalls: 1,
      pending: 1,
      accepted: 0,
      acceptanceRate: null,
      credited: [{ amount: '0.00', currency: 'USD' }],
    });
    const { call } = await b.as.run(CallDocument, { id: callId });
    expect(call!.disputability).toMatchObject({ allowed: false, blockedBy: 'DISPUTE_PENDING' });
    await decide(disputeId, 'REJECTED');
    expect(await row()).toMatchObject({ pending: 0, rejected: 1, acceptanceRate: 0 });
  });
});
