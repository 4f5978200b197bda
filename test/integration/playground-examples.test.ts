import { loadExamples, fillPlaceholders, type Example } from '../../src/dev/examples';
import { statsRange } from '../../src/dev/demo-playground';
import type { Client } from '../support/client';
import { LiveClient, type Feed } from '../support/live';
import { closeDb, createWorld, insertCall, type World } from '../support/seed';

/*
 * Every example of examples/operations (the playground's pre-loaded tabs) runs against the
 * suite's server on data arranged like the demo's: the buyer's examples as a buyer with
 * DISPUTE_CALLS, the manager's as an editing manager. Each must answer without errors;
 * subscriptions must deliver an event.
 */

const examples = loadExamples();
let world: World;
let values: Record<string, string | string[]>;
let liveBuyer: LiveClient;
let liveManager: LiveClient;
/** A dispute and a decision made while the subscriptions listen. */
let triggerCallId: string;

async function createDispute(as: Client, callId: string): Promise<string> {
  const res = await as.raw<{ createDispute: { id: string } }>(
    'mutation($input: CreateDisputeInput!) { createDispute(input: $input) { id } }',
    { input: { callId, reason: 'INVALID_CALLER' } },
  );
  expect(res.errors).toBeUndefined();
  return res.data!.createDispute.id;
}

async function decide(as: Client, disputeId: string, outcome: string): Promise<void> {
  const res = await as.raw(
    'mutation($input: ResolveDisputeInput!) { resolveDispute(input: $input) { id } }',
    {
      input: {
        disputeId,
        outcome,
        adjustmentAmount: outcome === 'ACCEPTED_PARTIAL' ? '1.00' : null,
      },
    },
  );
  expect(res.errors).toBeUndefined();
}

beforeAll(async () => {
  world = await createWorld();
  const { ids, as } = world;
  const call = () => insertCall({ buyerId: ids.accountA, campaignId: ids.campaign });
  const [free, decided, bulk1, bulk2, pending, commentable, withdrawable, reopenable] = [
    await call(),
    await call(),
    await call(),
    await call(),
    await call(),
    await call(),
    await call(),
    await call(),
  ];
  triggerCallId = await call();
  const decidedDispute = await createDispute(as.buyerA, decided!);
  await decide(as.editManager, decidedDispute, 'ACCEPTED_PARTIAL');
  const reopenableDispute = await createDispute(as.buyerA, reopenable!);
  await decide(as.editManager, reopenableDispute, 'ACCEPTED');
  values = {
    disputableCallId: free!,
    decidedDisputeId: decidedDispute,
    bulkDisputeIds: [
      await createDispute(as.buyerA, bulk1!),
      await createDispute(as.buyerA, bulk2!),
    ],
    pendingDisputeId: await createDispute(as.buyerA, pending!),
    commentableDisputeId: await createDispute(as.buyerA, commentable!),
    withdrawableDisputeId: await createDispute(as.buyerA, withdrawable!),
    reopenableDisputeId: reopenableDispute,
    ...statsRange(new Date()),
  };
  // The export the progress example follows: the one the Disputes export example starts.
  const exporting = examples.find(
    (e) => e.kind === 'mutation' && /\bexportDisputes\(/.test(e.query),
  )!;
  const started = await as.editManager.raw<{ exportDisputes: { id: string } }>(
    exporting.query,
    variablesOf(exporting),
  );
  expect(started.errors).toBeUndefined();
  values.exportId = started.data!.exportDisputes.id;
  liveBuyer = await LiveClient.forUser(ids.buyerA);
  liveManager = await LiveClient.forUser(ids.editManager);
});

afterAll(async () => {
  await liveBuyer?.close();
  await liveManager?.close();
  await closeDb();
});

const clientFor = (e: Example) => (e.role === 'buyer' ? world.as.buyerA : world.as.editManager);
const variablesOf = (e: Example) => e.variables && fillPlaceholders(e.variables, values);

test('the examples cover every role and operation kind the playground promises', () => {
  const names = examples.map((e) => `${e.role}:${e.kind}`);
  for (const kind of [
    'buyer:query',
    'buyer:mutation',
    'buyer:subscription',
    'manager:query',
    'manager:mutation',
    'manager:subscription',
  ]) {
    expect(names).toContain(kind);
  }
  const subscriptions = examples
    .filter((e) => e.kind === 'subscription')
    .map((e) => /subscription \w+(?:\([^)]*\))? \{\s*(\w+)/.exec(e.query)?.[1]);
  expect(new Set(subscriptions)).toEqual(
    new Set([
      'pendingDisputesCount',
      'notificationAdded',
      'disputeChanged',
      'tableSettingsChanged',
      'exportProgress',
    ]),
  );
});

test('each subscription example delivers an event without errors', async () => {
  const feeds = examples
    .filter((e) => e.kind === 'subscription')
    .map((e) => ({
      e,
      feed: (e.role === 'buyer' ? liveBuyer : liveManager).subscribe(
        e.query,
        variablesOf(e),
      ) as Feed<Record<string, unknown>>,
    }));
  // pendingDisputesCount answers at once: once every feed has that, all are subscribed.
  for (const { e, feed } of feeds) {
    if (e.query.includes('pendingDisputesCount')) await feed.nth(1);
  }
  const disputeId = await createDispute(world.as.buyerA, triggerCallId);
  await decide(world.as.editManager, disputeId, 'REJECTED');
  const saved = await world.as.buyerA.raw(
    'mutation { saveTableSettings(input: { table: CALL_LOG, columns: [CALL_ID], pageSize: 10 }) { version } }',
  );
  expect(saved.errors).toBeUndefined();
  for (const { e, feed } of feeds) {
    await feed.until((v) => v.length >= 1, 10_000, `an event of ${e.file}`);
    expect({ file: e.file, errors: feed.errors }).toEqual({ file: e.file, errors: [] });
    feed.stop();
  }
});

test('the export progress example follows the export to DONE, whose url downloads its CSV file', async () => {
  const e = examples.find((x) => x.kind === 'subscription' && x.query.includes('exportProgress'))!;
  const feed = liveManager.subscribe(e.query, variablesOf(e)) as Feed<{
    exportProgress: { id: string; status: string; url: string | null; totalRows: number };
  }>;
  const done = await feed.until(
    (v) => v.some((x) => x.exportProgress.status === 'DONE'),
    30_000,
    'the export DONE',
  );
  expect(feed.errors).toEqual([]);
  const last = done.at(-1)!.exportProgress;
  expect(last).toMatchObject({ id: values.exportId, status: 'DONE', url: expect.any(String) });
  const file = await fetch(last.url!);
  expect(file.status).toBe(200);
  const text = Buffer.from(await file.arrayBuffer()).toString('utf8');
  const lines = text.split('\r\n');
  // A byte-order mark, the header of the example's columns, one line a row, a CRLF after each.
  expect(lines[0]).toBe(
    '\ufeffDispute ID,Status,Buyer,Call Date,Caller ID,Payout,Currency,Reason,Review Due At',
  );
  expect(lines).toHaveLength(last.totalRows + 2);
  expect(lines.at(-1)).toBe('');
  feed.stop();
});

test.each(examples.filter((e) => e.kind !== 'subscription').map((e) => [e.file, e] as const))(
  '%s answers without errors',
  async (_file, e) => {
    const res = await clientFor(e).raw<Record<string, unknown>>(e.query, variablesOf(e));
    expect({ status: res.status, errors: res.errors }).toEqual({ status: 200, errors: undefined });
    const data = res.data!;
    // The ids the variables hold were seeded for exactly these examples: they must be found.
    for (const value of Object.values(data)) expect(value).not.toBeNull();
    const results = data.resolveDisputes as { error: unknown }[] | undefined;
    if (results) expect(results.map((r) => r.error)).toEqual([null, null]);
  },
);
