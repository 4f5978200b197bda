import fs from 'node:fs';
import path from 'node:path';
import {
  AddDisputeCommentDocument,
  CreateDisputeIdDocument,
  WithdrawDisputeDocument,
  DeleteWebhookEndpointDocument,
  RedeliverWebhookDocument,
  ReopenDisputeDocument,
  WebhookEndpointDocument,
  WebhookEndpointsDocument,
  CreateWebhookEndpointDocument,
} from '../generated/graphql';
import { closeDb } from '../support/seed';
import { ROOT } from '../support/services';
import {
  createDisputeEvent,
  createEndpoint,
  deliveriesOf,
  finishedDeliveries,
  isolatedDatabase,
  Receiver,
  receivedAndRecorded,
  resolveDisputeEvent,
  seedWebhookWorld,
  startWebhookApi,
  waitFor,
  type ApiProcess,
  type WebhookWorld,
} from '../support/webhooks';

/**
 * Rule 17 against a real API process of its own (retries 0.3 s × 2^(n−1), 3 attempts, 1 s
 * timeout) and a receiver on loopback that verifies every signature with the example verifier.
 */

let database: Awaited<ReturnType<typeof isolatedDatabase>>;
let api: ApiProcess;
let w: WebhookWorld;
const receiver = new Receiver();

beforeAll(async () => {
  database = await isolatedDatabase('semantics');
  api = await startWebhookApi(database.url);
  w = await seedWebhookWorld(database.pool, api.url);
  await receiver.start();
}, 90_000);

afterAll(async () => {
  await api?.stop();
  await receiver.stop();
  await database?.drop();
  await closeDb();
});

afterEach(() => {
  expect(receiver.problems).toEqual([]);
});

/** The API's version, which its webhook requests name in `User-Agent`. */
const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
};

const iso = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

/**
 * Waits until the worker is done with every delivery about these disputes, expects the receiver
 * to have got exactly the attempts those record (nothing twice, nothing no delivery accounts for),
 * and returns them as [route, type, status, attempts].
 */
async function finishedAsReceived(...disputeIds: string[]) {
  const finished = await finishedDeliveries(database.pool, receiver, disputeIds);
  const { received, recorded } = receivedAndRecorded(receiver, disputeIds, finished);
  expect(received).toEqual(recorded);
  return finished.map((d) => [d.route, d.type, d.status, d.attempts]);
}

describe('delivery', () => {
  let accountEndpoint: string;
  let platformEndpoint: string;
  let buyerBEndpoint: string;

  beforeAll(async () => {
    accountEndpoint = await createEndpoint(w.as.buyerA, receiver, 'a');
    platformEndpoint = await createEndpoint(w.as.editManager, receiver, 'platform');
    buyerBEndpoint = await createEndpoint(w.as.buyerB, receiver, 'b');
  });

  it('sends each event once, with rule 17 headers and body, to the account and the platform', async () => {
    const disputeId = await createDisputeEvent(w, w.as.buyerA, w.ids.accountA);
    await resolveDisputeEvent(w, disputeId);
    const ofDispute = (route: string) =>
      receiver.of(route).filter((r) => r.event.data.dispute.id === disputeId);
    await waitFor('both events at both endpoints', () =>
      ofDispute('a').length >= 2 && ofDispute('platform').length >= 2 ? true : undefined,
    );
    // Once every delivery is finished, the worker sends none of them again: what arrived is all.
    expect(await finishedAsReceived(disputeId)).toEqual([
      ['a', 'dispute.created', 'SUCCEEDED', 1],
      ['a', 'dispute.resolved', 'SUCCEEDED', 1],
      ['platform', 'dispute.created', 'SUCCEEDED', 1],
      ['platform', 'dispute.resolved', 'SUCCEEDED', 1],
    ]);
    for (const route of ['a', 'platform']) {
      const got = ofDispute(route);
      expect(got.map((r) => r.event.type).sort()).toEqual(['dispute.created', 'dispute.resolved']);
      for (const r of got) {
        expect(r.headers['content-type']).toBe('application/json');
        expect(r.headers['user-agent']).toBe(`disputes-api-webhooks/${version}`);
        expect(r.headers['disputes-event-id']).toBe(r.event.id);
        expect(r.headers['disputes-event-type']).toBe(r.event.type);
        expect(r.headers['disputes-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      }
      const created = got.find((r) => r.event.type === 'dispute.created')!.event;
      const resolved = got.find((r) => r.event.type === 'dispute.resolved')!.event;
      const dispute = {
        id: disputeId,
        callId: expect.any(String),
        buyerId: w.ids.accountA,
        reason: 'INVALID_CALLER',
        createdAt: iso,
      };
      expect(created).toEqual({
        id: expect.any(String),
        type: 'dispute.created',
        createdAt: iso,
        data: { dispute: { ...dispute, status: 'PENDING', decision: null }, comment: null },
      });
      expect(resolved).toEqual({
        id: expect.any(String),
        type: 'dispute.resolved',
        createdAt: iso,
        data: {
          dispute: {
            ...dispute,
            status: 'ACCEPTED_PARTIAL',
            decision: {
              outcome: 'ACCEPTED_PARTIAL',
              adjustment: { amount: '5.00', currency: 'USD' },
              comment: 'Checked the recording.',
              decidedAt: iso,
              automatic: false,
            },
          },
          comment: null,
        },
      });
    }
    // One event, one ID, whichever endpoint it went to.
    const createdIds = new Set(
      [...ofDispute('a'), ...ofDispute('platform')]
        .filter((r) => r.event.type === 'dispute.created')
        .map((r) => r.event.id),
    );
    expect(createdIds.size).toBe(1);
    expect(receiver.of('b')).toEqual([]);

    // The delivery log, newest first, keyset-paginated.
    const log = await deliveriesOf(w.as.buyerA, accountEndpoint);
    expect(log.map((d) => [d.eventType, d.status, d.attempts, d.lastResponseStatus])).toEqual([
      ['DISPUTE_RESOLVED', 'SUCCEEDED', 1, 200],
      ['DISPUTE_CREATED', 'SUCCEEDED', 1, 200],
    ]);
    expect(log[0]!.nextAttemptAt).toBeNull();
    const page1 = await w.as.buyerA.run(WebhookEndpointDocument, { id: accountEndpoint, first: 1 });
    const d1 = page1.webhookEndpoint!.deliveries;
    expect(d1.totalCount).toBe(2);
    expect(d1.pageInfo.hasNextPage).toBe(true);
    const page2 = await w.as.buyerA.run(WebhookEndpointDocument, {
      id: accountEndpoint,
      first: 1,
      after: d1.pageInfo.endCursor,
    });
    expect(page2.webhookEndpoint!.deliveries.nodes.map((d) => d.eventType)).toEqual([
      'DISPUTE_CREATED',
    ]);
    expect(page2.webhookEndpoint!.deliveries.pageInfo.hasNextPage).toBe(false);
  });

  it("never sends a buyer endpoint another account's events", async () => {
    const ofA = await createDisputeEvent(w, w.as.buyerA, w.ids.accountA);
    const ofB = await createDisputeEvent(w, w.as.buyerB, w.ids.accountB);
    await waitFor('B’s event at B and both at the platform', () =>
      receiver.of('b').some((r) => r.event.data.dispute.id === ofB) &&
      receiver.of('platform').some((r) => r.event.data.dispute.id === ofA) &&
      receiver.of('platform').some((r) => r.event.data.dispute.id === ofB)
        ? true
        : undefined,
    );
    // No delivery of B's event to A was ever queued, and all that were are finished and arrived.
    expect(await finishedAsReceived(ofA)).toEqual([
      ['a', 'dispute.created', 'SUCCEEDED', 1],
      ['platform', 'dispute.created', 'SUCCEEDED', 1],
    ]);
    expect(await finishedAsReceived(ofB)).toEqual([
      ['b', 'dispute.created', 'SUCCEEDED', 1],
      ['platform', 'dispute.created', 'SUCCEEDED', 1],
    ]);
    expect(receiver.of('b').every((r) => r.event.data.dispute.buyerId === w.ids.accountB)).toBe(
      true,
    );
    expect(receiver.of('a').some((r) => r.event.data.dispute.id === ofB)).toBe(false);
    // Each manages its own endpoints only.
    const listed = async (c: typeof w.as.buyerA) =>
      (await c.run(WebhookEndpointsDocument, {})).webhookEndpoints.map((e) => e.id);
    expect(await listed(w.as.buyerA)).toEqual([accountEndpoint]);
    expect(await listed(w.as.buyerB)).toEqual([buyerBEndpoint]);
    expect(await listed(w.as.editManager)).toEqual([platformEndpoint]);
  });

  it('sends only the event types an endpoint subscribed to', async () => {
    const onlyResolved = await createEndpoint(w.as.buyerC, receiver, 'c-resolved', [
      'DISPUTE_RESOLVED',
    ]);
    const disputeId = await createDisputeEvent(w, w.as.buyerC, w.ids.accountC);
    await resolveDisputeEvent(w, disputeId, 'REJECTED');
    await waitFor('the resolution', () => receiver.of('c-resolved').length > 0);
    // dispute.created was queued first, for the endpoints subscribed to it only; the worker is
    // done with both events everywhere.
    expect(await finishedAsReceived(disputeId)).toEqual([
      ['c-resolved', 'dispute.resolved', 'SUCCEEDED', 1],
      ['platform', 'dispute.created', 'SUCCEEDED', 1],
      ['platform', 'dispute.resolved', 'SUCCEEDED', 1],
    ]);
    expect(receiver.of('c-resolved').map((r) => r.event.type)).toEqual(['dispute.resolved']);
    expect(receiver.of('c-resolved')[0]!.event.data.dispute.decision).toMatchObject({
      outcome: 'REJECTED',
      adjustment: { amount: '0.00', currency: 'USD' },
    });
    await w.as.buyerC.run(DeleteWebhookEndpointDocument, { id: onlyResolved });
  });
});

describe('lifecycle events (rules 12, 13, 15, 20)', () => {
  beforeAll(async () => {
    await createEndpoint(w.as.buyerB, receiver, 'life-b');
    await createEndpoint(w.as.editManager, receiver, 'life-platform');
  });

  const eventsOf = (route: string, disputeId: string) =>
    receiver.of(route).filter((r) => r.event.data.dispute.id === disputeId);

  it('sends dispute.withdrawn with the dispute as withdrawn and no decision', async () => {
    const disputeId = await createDisputeEvent(w, w.as.buyerB, w.ids.accountB);
    await w.as.buyerB.run(WithdrawDisputeDocument, { disputeId });
    await waitFor('created and withdrawn at both', () =>
      eventsOf('life-b', disputeId).length >= 2 && eventsOf('life-platform', disputeId).length >= 2
        ? true
        : undefined,
    );
    const finished = await finishedAsReceived(disputeId);
    for (const route of ['life-b', 'life-platform']) {
      expect(finished.filter(([r]) => r === route)).toEqual([
        [route, 'dispute.created', 'SUCCEEDED', 1],
        [route, 'dispute.withdrawn', 'SUCCEEDED', 1],
      ]);
      const got = eventsOf(route, disputeId);
      expect(got.map((r) => r.event.type)).toEqual(['dispute.created', 'dispute.withdrawn']);
      expect(got[1]!.headers['disputes-event-type']).toBe('dispute.withdrawn');
      expect(got[1]!.event.data).toEqual({
        dispute: expect.objectContaining({ id: disputeId, status: 'WITHDRAWN', decision: null }),
        comment: null,
      });
    }
  });

  it('sends dispute.reopened with the dispute PENDING again and no decision, to endpoints that asked for it', async () => {
    await createEndpoint(w.as.buyerB, receiver, 'reopen-b', [
      'DISPUTE_RESOLVED',
      'DISPUTE_REOPENED',
    ]);
    const disputeId = await createDisputeEvent(w, w.as.buyerB, w.ids.accountB);
    await resolveDisputeEvent(w, disputeId, 'ACCEPTED');
    await w.as.editManager.run(ReopenDisputeDocument, {
      input: { disputeId, reason: 'The recording says otherwise.' },
    });
    await waitFor('resolved and reopened', () =>
      eventsOf('reopen-b', disputeId).length >= 2 && eventsOf('life-b', disputeId).length >= 2
        ? true
        : undefined,
    );
    // Every delivery about the dispute finished, each received exactly as often as it was tried.
    await finishedAsReceived(disputeId);
    const got = eventsOf('reopen-b', disputeId);
    expect(got.map((r) => r.event.type).sort()).toEqual(['dispute.reopened', 'dispute.resolved']);
    const reopened = got.find((r) => r.event.type === 'dispute.reopened')!;
    expect(reopened.headers['disputes-event-type']).toBe('dispute.reopened');
    expect(reopened.event.data).toEqual({
      dispute: expect.objectContaining({ id: disputeId, status: 'PENDING', decision: null }),
      comment: null,
    });
    // The endpoints that did not ask for dispute.reopened do not get it.
    expect(eventsOf('life-b', disputeId).map((r) => r.event.type)).toEqual([
      'dispute.created',
      'dispute.resolved',
    ]);
  });

  it('sends dispute.commented for SHARED comments of either side, never for INTERNAL ones', async () => {
    const disputeId = await createDisputeEvent(w, w.as.buyerB, w.ids.accountB);
    const comment = async (
      client: typeof w.as.buyerB,
      body: string,
      visibility: 'SHARED' | 'INTERNAL',
    ) =>
      (await client.run(AddDisputeCommentDocument, { input: { disputeId, body, visibility } }))
        .addDisputeComment.id;
    const internal = await comment(
      w.as.editManager,
      'Caller looks like a bot; internal only.',
      'INTERNAL',
    );
    const fromBuyer = await comment(w.as.buyerB, 'The caller hung up at once.', 'SHARED');
    const fromManager = await comment(
      w.as.editManager,
      'Listening to the recording now.',
      'SHARED',
    );
    const commented = (route: string) =>
      eventsOf(route, disputeId).filter((r) => r.event.type === 'dispute.commented');
    await waitFor('both shared comments at both endpoints', () =>
      commented('life-b').length >= 2 && commented('life-platform').length >= 2 ? true : undefined,
    );
    // The INTERNAL comment was written before both SHARED ones: an event of it would have been
    // queued before theirs, among the deliveries of the dispute, all finished and arrived here.
    const finished = await finishedAsReceived(disputeId);
    for (const route of ['life-b', 'life-platform']) {
      expect(finished.filter(([r]) => r === route)).toEqual([
        [route, 'dispute.commented', 'SUCCEEDED', 1],
        [route, 'dispute.commented', 'SUCCEEDED', 1],
        [route, 'dispute.created', 'SUCCEEDED', 1],
      ]);
      const got = commented(route).map((r) => r.event.data.comment);
      expect(got).toEqual([
        { id: fromBuyer, body: 'The caller hung up at once.', authorRole: 'BUYER', createdAt: iso },
        {
          id: fromManager,
          body: 'Listening to the recording now.',
          authorRole: 'MANAGER',
          createdAt: iso,
        },
      ]);
      expect(commented(route).every((r) => r.event.data.dispute.status === 'PENDING')).toBe(true);
      expect(JSON.stringify(receiver.of(route))).not.toContain(internal);
      expect(JSON.stringify(receiver.of(route))).not.toContain('internal only');
    }
  });

  it('sends an automatic acceptance as dispute.created, then dispute.resolved with automatic: true', async () => {
    await database.pool.query(`UPDATE accounts SET auto_accept_duplicates = true WHERE id = $1`, [
      w.ids.accountB,
    ]);
    try {
      await w.newCall(w.ids.accountB); // the earlier call of the same caller
      const callId = await w.newCall(w.ids.accountB);
      const { createDispute } = await w.as.buyerB.run(CreateDisputeIdDocument, {
        input: { callId, reason: 'DUPLICATE_CALL' },
      });
      const disputeId = createDispute.id;
      await waitFor('both events', () =>
        eventsOf('life-b', disputeId).length >= 2 ? true : undefined,
      );
      expect((await finishedAsReceived(disputeId)).filter(([r]) => r === 'life-b')).toEqual([
        ['life-b', 'dispute.created', 'SUCCEEDED', 1],
        ['life-b', 'dispute.resolved', 'SUCCEEDED', 1],
      ]);
      const got = eventsOf('life-b', disputeId);
      expect(got.map((r) => r.event.type)).toEqual(['dispute.created', 'dispute.resolved']);
      expect(got[0]!.event.data.dispute).toMatchObject({ status: 'PENDING', decision: null });
      expect(got[1]!.event.data.dispute.decision).toMatchObject({
        outcome: 'ACCEPTED',
        adjustment: { amount: '25.00', currency: 'USD' },
        automatic: true,
      });
    } finally {
      await database.pool.query(
        `UPDATE accounts SET auto_accept_duplicates = false WHERE id = $1`,
        [w.ids.accountB],
      );
    }
  });
});

describe('retries', () => {
  it('retries 500, 500 with growing delays, then 200: three attempts, SUCCEEDED', async () => {
    const endpoint = await createEndpoint(w.as.buyerC, receiver, 'flaky', ['DISPUTE_CREATED']);
    receiver.on('flaky', (n) => (n < 2 ? 500 : 200));
    const disputeId = await createDisputeEvent(w, w.as.buyerC, w.ids.accountC);
    await waitFor('three attempts', () => receiver.of('flaky').length >= 3);
    const [first, second, third] = receiver.of('flaky');
    const gap1 = second!.at - first!.at;
    const gap2 = third!.at - second!.at;
    expect(gap1).toBeGreaterThanOrEqual(280); // 0.3 s × 2^0
    expect(gap2).toBeGreaterThanOrEqual(580); // 0.3 s × 2^1
    expect(gap2).toBeGreaterThan(gap1);
    // The same event and the same bytes every time.
    expect(new Set(receiver.of('flaky').map((r) => r.rawBody)).size).toBe(1);
    const [delivery] = await waitFor('SUCCEEDED', async () => {
      const log = await deliveriesOf(w.as.buyerC, endpoint);
      return log[0]?.status === 'SUCCEEDED' ? log : undefined;
    });
    expect(delivery).toMatchObject({ attempts: 3, lastResponseStatus: 200, nextAttemptAt: null });
    // SUCCEEDED is final: no fourth attempt will come.
    expect((await finishedAsReceived(disputeId)).filter(([r]) => r === 'flaky')).toEqual([
      ['flaky', 'dispute.created', 'SUCCEEDED', 3],
    ]);
    expect(receiver.of('flaky')).toHaveLength(3);
    await w.as.buyerC.run(DeleteWebhookEndpointDocument, { id: endpoint });
  });

  it('ends FAILED after WEBHOOK_MAX_ATTEMPTS; redelivery sends the same event ID and body again', async () => {
    const endpoint = await createEndpoint(w.as.buyerC, receiver, 'down', ['DISPUTE_CREATED']);
    let up = false;
    receiver.on('down', () => (up ? 200 : 503));
    const disputeId = await createDisputeEvent(w, w.as.buyerC, w.ids.accountC);
    const [failed] = await waitFor('FAILED', async () => {
      const log = await deliveriesOf(w.as.buyerC, endpoint);
      return log[0]?.status === 'FAILED' ? log : undefined;
    });
    expect(failed).toMatchObject({ attempts: 3, lastResponseStatus: 503, nextAttemptAt: null });
    // FAILED is final until a redelivery: no fourth attempt comes by itself.
    expect((await finishedAsReceived(disputeId)).filter(([r]) => r === 'down')).toEqual([
      ['down', 'dispute.created', 'FAILED', 3],
    ]);
    expect(receiver.of('down')).toHaveLength(3);

    up = true;
    const { redeliverWebhook } = await w.as.buyerC.run(RedeliverWebhookDocument, {
      deliveryId: failed!.id,
    });
    expect(redeliverWebhook).toMatchObject({
      id: failed!.id,
      eventId: failed!.eventId,
      status: 'PENDING',
    });
    const [succeeded] = await waitFor('SUCCEEDED', async () => {
      const log = await deliveriesOf(w.as.buyerC, endpoint);
      return log[0]?.status === 'SUCCEEDED' ? log : undefined;
    });
    expect(succeeded).toMatchObject({ attempts: 4, lastResponseStatus: 200 });
    const all = receiver.of('down');
    expect(all).toHaveLength(4);
    expect(all[3]!.event.id).toBe(failed!.eventId);
    expect(all[3]!.headers['disputes-event-id']).toBe(failed!.eventId);
    expect(all[3]!.rawBody).toBe(all[0]!.rawBody);
    await w.as.buyerC.run(DeleteWebhookEndpointDocument, { id: endpoint });
  });

  it('records a redirect as a failure with its status and does not follow it', async () => {
    const endpoint = await createEndpoint(w.as.buyerC, receiver, 'moved', ['DISPUTE_CREATED']);
    receiver.secrets.set('elsewhere', receiver.secrets.get('moved')!);
    receiver.on('moved', () => ({ status: 302, location: receiver.url('elsewhere') }));
    await createDisputeEvent(w, w.as.buyerC, w.ids.accountC);
    const [delivery] = await waitFor('the first attempt recorded', async () => {
      const log = await deliveriesOf(w.as.buyerC, endpoint);
      return log[0]?.lastResponseStatus ? log : undefined;
    });
    expect(delivery).toMatchObject({ lastResponseStatus: 302, status: 'PENDING' });
    await w.as.buyerC.run(DeleteWebhookEndpointDocument, { id: endpoint });
    expect(receiver.of('elsewhere')).toEqual([]);
  });

  it('cuts a receiver that never answers at the timeout; a deleted endpoint gets no more attempts', async () => {
    const endpoint = await createEndpoint(w.as.buyerC, receiver, 'silent', ['DISPUTE_CREATED']);
    receiver.on('silent', () => 'hang');
    await createDisputeEvent(w, w.as.buyerC, w.ids.accountC);
    const first = await waitFor('the request abandoned', () =>
      receiver.of('silent')[0]?.abandonedAt ? receiver.of('silent')[0] : undefined,
    );
    const held = first.abandonedAt! - first.at;
    expect(held).toBeGreaterThanOrEqual(900); // WEBHOOK_TIMEOUT_MS=1000
    expect(held).toBeLessThan(3_000);
    const [delivery] = await waitFor('the attempt recorded', async () => {
      const log = await deliveriesOf(w.as.buyerC, endpoint);
      return log[0]?.lastAttemptAt && log[0].status === 'PENDING' && log[0].attempts >= 1
        ? log
        : undefined;
    });
    expect(delivery!.lastResponseStatus).toBeNull();

    // The delete runs while the test holds the delivery's row, which no claim can take then
    // (claims skip locked rows): the attempts read there are every attempt ever claimed of it.
    const holder = await database.pool.connect();
    let atDelete: { status: string; attempts: number };
    try {
      await holder.query('BEGIN');
      [atDelete] = (
        await holder.query(
          'SELECT status, attempts FROM webhook_deliveries WHERE endpoint_id = $1 FOR UPDATE',
          [endpoint],
        )
      ).rows;
      expect(atDelete).toMatchObject({ status: 'PENDING' });
      const deleted = w.as.buyerC.run(DeleteWebhookEndpointDocument, { id: endpoint });
      // A delete that answers without waiting has left the delivery (checked below).
      let answered = false;
      void deleted.finally(() => (answered = true)).catch(() => undefined);
      await waitFor('the delete waiting on the delivery', async () => {
        const { rows } = await database.pool.query(
          `SELECT 1 FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'
              AND query LIKE 'DELETE FROM webhook_deliveries%'`,
        );
        return rows.length > 0 || answered ? true : undefined;
      });
      await holder.query('COMMIT');
      expect((await deleted).deleteWebhookEndpoint).toBe(true);
    } finally {
      holder.release(true);
    }
    // Its PENDING delivery went with it: nothing is left to claim.
    const left = await database.pool.query(
      'SELECT status FROM webhook_deliveries WHERE endpoint_id = $1',
      [endpoint],
    );
    expect(left.rows).toEqual([]);
    // The attempt that may have been in flight arrives and is cut at the timeout too.
    await waitFor('every attempt claimed before the delete cut', () => {
      const got = receiver.of('silent');
      return got.length >= atDelete.attempts && got.every((r) => r.abandonedAt) ? true : undefined;
    });
    // Sync point: a later event, queued after the last of those attempts ended, whose delivery
    // fails twice and is retried 0.3 s and then 0.6 s later. A retry of the deleted delivery
    // would have come due at most 0.6 s after its last attempt, so before this one's third
    // attempt; the worker claims everything due each time it claims.
    const after = await createEndpoint(w.as.buyerC, receiver, 'after-silent', ['DISPUTE_CREATED']);
    receiver.on('after-silent', (n) => (n < 2 ? 500 : 200));
    const later = await createDisputeEvent(w, w.as.buyerC, w.ids.accountC);
    expect((await finishedAsReceived(later)).filter(([r]) => r === 'after-silent')).toEqual([
      ['after-silent', 'dispute.created', 'SUCCEEDED', 3],
    ]);
    expect(receiver.of('silent')).toHaveLength(atDelete.attempts);
    await w.as.buyerC.run(DeleteWebhookEndpointDocument, { id: after });
  });
});

describe('endpoints', () => {
  const bad = async (
    client: typeof w.as.buyerA,
    url: string,
    events: string[] = ['DISPUTE_CREATED'],
  ) => {
    const res = await client.raw(CreateWebhookEndpointDocument, {
      input: { url, events },
    } as never);
    return res.errors?.[0];
  };

  it('refuses malformed URLs and empty events with BAD_USER_INPUT naming the field, writing nothing', async () => {
    const before = await database.pool.query('SELECT count(*)::int AS n FROM webhook_endpoints');
    for (const url of [
      'not a url',
      '/relative/path',
      'ftp://example.com/hook',
      'https://user:secret@example.com/hook',
      `https://example.com/${'x'.repeat(2_048)}`,
    ]) {
      const err = await bad(w.as.buyerA, url);
      expect([url.slice(0, 40), err?.extensions?.code, err?.extensions?.field]).toEqual([
        url.slice(0, 40),
        'BAD_USER_INPUT',
        'url',
      ]);
      expect(err?.message).toMatch(/^url: /);
    }
    const noEvents = await bad(w.as.buyerA, 'https://example.com/hook', []);
    expect(noEvents?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'events' });
    const after = await database.pool.query('SELECT count(*)::int AS n FROM webhook_endpoints');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('answers FORBIDDEN to viewers without the permission', async () => {
    for (const client of [w.as.buyerANoPerm, w.as.viewManager]) {
      expect(await client.errorCode(WebhookEndpointsDocument, {})).toBe('FORBIDDEN');
      expect(
        await client.errorCode(CreateWebhookEndpointDocument, {
          input: { url: 'https://example.com/', events: ['DISPUTE_CREATED'] },
        }),
      ).toBe('FORBIDDEN');
    }
  });

  it("treats another's, unknown and malformed endpoint and delivery IDs as NOT_FOUND", async () => {
    const ofA = await createEndpoint(w.as.buyerA, receiver, 'a-foreign', ['DISPUTE_CREATED']);
    await createDisputeEvent(w, w.as.buyerA, w.ids.accountA);
    // Delivered first, so no attempt of the worker's can change it while the cells look.
    const [deliveryOfA] = await waitFor('a delivery', async () => {
      const log = await deliveriesOf(w.as.buyerA, ofA);
      return log[0]?.status === 'SUCCEEDED' ? log : undefined;
    });
    const platform = (await w.as.editManager.run(WebhookEndpointsDocument, {})).webhookEndpoints[0]!
      .id;
    const [platformDelivery] = await deliveriesOf(w.as.editManager, platform);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const cases: [typeof w.as.buyerA, string, string][] = [
      [w.as.buyerB, ofA, deliveryOfA!.id],
      [w.as.editManager, ofA, deliveryOfA!.id],
      [w.as.buyerA, platform, platformDelivery!.id],
      [w.as.buyerA, unknown, unknown],
      [w.as.buyerA, 'not-an-id', 'not-an-id'],
    ];
    for (const [client, endpointId, deliveryId] of cases) {
      expect(
        (await client.run(WebhookEndpointDocument, { id: endpointId })).webhookEndpoint,
      ).toBeNull();
      expect(await client.errorCode(DeleteWebhookEndpointDocument, { id: endpointId })).toBe(
        'NOT_FOUND',
      );
      expect(await client.errorCode(RedeliverWebhookDocument, { deliveryId })).toBe('NOT_FOUND');
    }
    // Nothing changed: the endpoint is there, its delivery untouched.
    expect((await deliveriesOf(w.as.buyerA, ofA))[0]).toMatchObject({
      id: deliveryOfA!.id,
      attempts: deliveryOfA!.attempts,
    });
    await w.as.buyerA.run(DeleteWebhookEndpointDocument, { id: ofA });
    // A deleted endpoint is NOT_FOUND too, and so are its deliveries.
    expect(await w.as.buyerA.errorCode(DeleteWebhookEndpointDocument, { id: ofA })).toBe(
      'NOT_FOUND',
    );
    expect(
      await w.as.buyerA.errorCode(RedeliverWebhookDocument, { deliveryId: deliveryOfA!.id }),
    ).toBe('NOT_FOUND');
  });

  it('leaves no delivery behind for an endpoint deleted while an event is being written', async () => {
    // The delete waits on a row lock the test holds; the event is written meanwhile; then the
    // delete goes first. The event's transaction must not queue a delivery the delete missed.
    const endpoint = await createEndpoint(w.as.buyerC, receiver, 'raced', ['DISPUTE_CREATED']);
    const waiting = async (n: number) =>
      waitFor(`${n} transaction(s) waiting on the endpoint's row`, async () => {
        const { rows } = await database.pool.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        return rows[0].n >= n ? true : undefined;
      });
    const blocker = await database.pool.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT id FROM webhook_endpoints WHERE id = $1 FOR UPDATE', [endpoint]);
      const deleted = w.as.buyerC.run(DeleteWebhookEndpointDocument, { id: endpoint });
      await waiting(1);
      const created = createDisputeEvent(w, w.as.buyerC, w.ids.accountC);
      await waiting(2);
      await blocker.query('COMMIT');
      expect((await deleted).deleteWebhookEndpoint).toBe(true);
      expect(await created).toEqual(expect.any(String));
    } finally {
      blocker.release();
    }
    const left = await database.pool.query(
      'SELECT status FROM webhook_deliveries WHERE endpoint_id = $1',
      [endpoint],
    );
    expect(left.rows).toEqual([]);
  });

  it('holds 20 endpoints per account under a burst of 40 concurrent creations', async () => {
    const client = w.as.buyerB;
    const create = (name: string) =>
      client.raw(CreateWebhookEndpointDocument, {
        input: { url: `https://example.com/hook/${name}`, events: ['DISPUTE_CREATED'] },
      });
    // Half the cap held first: creations that all counted before any inserted would pass it.
    let held = (await client.run(WebhookEndpointsDocument, {})).webhookEndpoints.length;
    for (; held < 10; held += 1) expect((await create(`held-${held}`)).errors).toBeUndefined();
    // Inserts wait on a table lock the test holds (reads do not), so every creation that reaches
    // the database counts before any inserts, unless creations of one owner take turns.
    const blocker = await database.pool.connect();
    let burst: ReturnType<typeof create>[];
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE webhook_endpoints IN SHARE ROW EXCLUSIVE MODE');
      burst = Array.from({ length: 40 }, (_, i) => create(`burst-${i}`));
      await waitFor('creations waiting on a lock', async () => {
        const { rows } = await database.pool.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        return rows[0].n >= 10 ? true : undefined;
      });
    } finally {
      await blocker.query('COMMIT');
      blocker.release();
    }
    const results = await Promise.all(burst);
    const ok = results.filter((r) => !r.errors).length;
    expect(ok).toBe(20 - held);
    for (const r of results.filter((x) => x.errors)) {
      expect([r.errors?.[0]?.message, r.errors?.[0]?.extensions]).toEqual([
        'input: at most 20 endpoints per account; delete one first.',
        { code: 'BAD_USER_INPUT', field: 'input' },
      ]);
    }
    expect((await client.run(WebhookEndpointsDocument, {})).webhookEndpoints).toHaveLength(20);
    const secrets = results.flatMap((r) => (r.data ? [r.data.createWebhookEndpoint.secret] : []));
    expect(new Set(secrets).size).toBe(secrets.length);
    for (const s of secrets)
      expect(Buffer.from(s.replace(/^whsec_/, ''), 'base64url').length).toBeGreaterThanOrEqual(32);
  });
});

describe('metrics', () => {
  it('counts attempts by outcome and the time from commit to a 2xx answer', async () => {
    const text = await (await fetch(api.url.replace(/\/graphql$/, '/metrics'))).text();
    const value = (series: string) =>
      Number(new RegExp(`^${series.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
    // The tests above: successes everywhere, retries (500, 503, 302, timeouts), FAILED once.
    expect(value('disputes_webhook_attempts_total{outcome="succeeded"}')).toBeGreaterThan(5);
    expect(value('disputes_webhook_attempts_total{outcome="retried"}')).toBeGreaterThan(3);
    expect(value('disputes_webhook_attempts_total{outcome="failed"}')).toBeGreaterThanOrEqual(1);
    expect(value('disputes_webhook_delivery_seconds_count')).toBe(
      value('disputes_webhook_attempts_total{outcome="succeeded"}'),
    );
  });
});
