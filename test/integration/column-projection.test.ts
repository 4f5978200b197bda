import { Client } from '../support/client';
import { closeDb, createWorld, insertCall, insertDispute, HOUR, type World } from '../support/seed';

/*
 * The Disputes page and the Call Log read only the columns an operation shows when every field
 * of the operation is one the page describes (src/platform/column-projection.ts). Whatever a
 * page reads, the answer must be the one every column gives: each narrowed page below is asked
 * again with one field the page does not describe (which reads every column), and the shared
 * fields, cursors included, must be identical. Each is sent twice: graphql-js runs a document
 * first, compiled code after (src/app/compiled-execution.ts).
 */

let w: World;

beforeAll(async () => {
  w = await createWorld();
  const { ids } = w;
  const states: (Omit<Parameters<typeof insertDispute>[0], 'callId' | 'createdBy'> | null)[] = [
    null,
    {},
    { status: 'ACCEPTED_PARTIAL', decidedBy: ids.editManager, adjustmentMinor: 700 },
    { status: 'REJECTED', decidedBy: ids.editManager, reason: 'DUPLICATE_CALL' },
    { status: 'WITHDRAWN' },
    { reviewDueAt: new Date(Date.now() + HOUR) },
    null,
  ];
  for (const [i, state] of states.entries()) {
    for (const buyer of [
      { buyerId: ids.accountA, createdBy: ids.buyerA },
      { buyerId: ids.accountB, createdBy: ids.buyerB },
    ]) {
      const callId = await insertCall({
        buyerId: buyer.buyerId,
        campaignId: ids.campaign,
        startedAt: new Date(Date.now() - (i + 1) * 7 * HOUR),
        payoutMinor: 1000 + i * 111,
        recordingKey: i === 2 ? `recordings/projection-${i}.mp3` : null,
      });
      if (state) await insertDispute({ callId, createdBy: buyer.createdBy, ...state });
    }
  }
}, 60_000);

afterAll(() => closeDb());

const CALL_ROW = `
  fragment CallRow on Call {
    id startedAt callerId destination durationSeconds status __typename
    payout { amount currency } originalPayout { amount currency }
    hangup { by cause }
    campaign { id name } buyer { id name }
    disputability { allowed blockedBy windowEndsAt }
  }`;

const DISPUTES = (extra: string) => `
  query Page($first: Int!, $after: String, $order: DisputeOrder, $filter: DisputeFilter) {
    disputes(first: $first, after: $after, orderBy: $order, filter: $filter) {
      totalCount
      edges { cursor node { id status reason additionalInfo createdAt reviewDueAt
        buyer { id name } call { ...CallRow } ${extra} } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  } ${CALL_ROW}`;

const CALLS = (extra: string) => `
  query Log($first: Int!, $after: String) {
    calls(first: $first, after: $after) {
      nodes { ...CallRow ${extra} }
      ... on CallConnection { pageInfo { hasNextPage endCursor } }
    }
  } ${CALL_ROW}`;

/** The answer without the one extra field, after checking the request succeeded. */
async function answer(
  who: keyof World['ids'],
  query: string,
  variables: Record<string, unknown>,
  extra?: string,
) {
  const client = await Client.forUser(w.ids[who]);
  const res = await client.raw(query, variables);
  expect(res.errors).toBeUndefined();
  return JSON.stringify(res.data, (key, value: unknown) => (key === extra ? undefined : value));
}

const ORDERS = [
  undefined,
  { field: 'STATUS', direction: 'DESC' },
  { field: 'CALL_DATE', direction: 'ASC' },
  { field: 'CREATED_AT', direction: 'DESC' },
  { field: 'REVIEW_DUE_AT', direction: 'ASC' },
  { field: 'PAYOUT', direction: 'DESC' },
];

describe.each(['buyerA', 'viewManager'] as const)('%s', (who) => {
  it.each(ORDERS.map((order) => [order?.field ?? 'default order', order]))(
    'the Disputes page by %s, two pages, narrowed and whole alike',
    async (_name, order) => {
      const filter = who === 'viewManager' ? { buyerId: w.ids.accountA } : undefined;
      let after: string | null = null;
      for (const page of [1, 2]) {
        const variables = { first: 2, after, order, filter };
        const whole = await answer(who, DISPUTES('overdue'), variables, 'overdue');
        for (const run of [1, 2]) {
          expect([page, run, await answer(who, DISPUTES(''), variables)]).toEqual([
            page,
            run,
            whole,
          ]);
        }
        const data = JSON.parse(whole) as {
          disputes: { edges: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
        };
        expect(data.disputes.edges).toHaveLength(2);
        expect(data.disputes.pageInfo.hasNextPage).toBe(true);
        after = data.disputes.pageInfo.endCursor;
      }
    },
  );

  it('the Call Log, two pages, narrowed and whole alike', async () => {
    let after: string | null = null;
    for (const page of [1, 2]) {
      const variables = { first: 3, after };
      const whole = await answer(who, CALLS('duplicateOf { id }'), variables, 'duplicateOf');
      for (const run of [1, 2]) {
        expect([page, run, await answer(who, CALLS(''), variables)]).toEqual([page, run, whole]);
      }
      const data = JSON.parse(whole) as {
        calls: { nodes: unknown[]; pageInfo: { endCursor: string } };
      };
      expect(data.calls.nodes).toHaveLength(3);
      after = data.calls.pageInfo.endCursor;
    }
  });
});
