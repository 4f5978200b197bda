import { Client } from '../support/client';
import { closeDb, createWorld, insertCall, insertDispute, HOUR, type World } from '../support/seed';

/*
 * The Disputes page and the Call Log read only the columns an operation shows
 * (src/platform/column-projection.ts, from what each field declares it reads:
 * src/platform/field-reads.ts). Whatever a page reads, the answer must be the one every column
 * gives: each node of each narrowed page is asked for again by `dispute(id)` or `call(id)`,
 * which load whole rows, with the same selection, and must be identical. Each page is sent
 * twice: graphql-js runs a document first, compiled code after (src/app/compiled-execution.ts).
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
    recording { contentType durationSeconds } duplicateOf { id }
  }`;

const DISPUTE_ROW = `
  fragment DisputeRow on Dispute {
    id status reason additionalInfo createdAt reviewDueAt overdue
    buyer { id name } createdBy { name }
    decision { outcome adjustment { amount currency } comment decidedAt automatic }
    call { ...CallRow }
  }`;

const DISPUTES = (extra: string) => `
  query Page($first: Int!, $after: String, $order: DisputeOrder, $filter: DisputeFilter) {
    disputes(first: $first, after: $after, orderBy: $order, filter: $filter) {
      totalCount
      edges { cursor node { ...DisputeRow ${extra} } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  } ${DISPUTE_ROW} ${CALL_ROW}`;

const CALLS = (extra: string) => `
  query Log($first: Int!, $after: String) {
    calls(first: $first, after: $after) {
      nodes { ...CallRow ${extra} }
      ... on CallConnection { pageInfo { hasNextPage endCursor } }
    }
  } ${CALL_ROW}`;

async function ask(who: keyof World['ids'], query: string, variables: Record<string, unknown>) {
  const client = await Client.forUser(w.ids[who]);
  const res = await client.raw(query, variables);
  expect(res.errors).toBeUndefined();
  return res.data as Record<string, unknown>;
}

/** The same nodes, each loaded whole by its single-object query, in the page's order. */
async function wholeNodes(who: keyof World['ids'], root: 'dispute' | 'call', ids: string[]) {
  const [fragment, spread] =
    root === 'dispute' ? [`${DISPUTE_ROW} ${CALL_ROW}`, 'DisputeRow'] : [CALL_ROW, 'CallRow'];
  const query = `query Whole(${ids.map((_, i) => `$i${i}: ID!`).join(', ')}) {
    ${ids.map((_, i) => `n${i}: ${root}(id: $i${i}) { ...${spread} }`).join(' ')}
  } ${fragment}`;
  const data = await ask(who, query, Object.fromEntries(ids.map((id, i) => [`i${i}`, id])));
  return ids.map((_, i) => data[`n${i}`]);
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
    'the Disputes page by %s, two pages, each node as its whole row gives it',
    async (_name, order) => {
      const filter = who === 'viewManager' ? { buyerId: w.ids.accountA } : undefined;
      let after: string | null = null;
      for (const page of [1, 2]) {
        const variables = { first: 2, after, order, filter };
        const runs = [];
        for (const run of [1, 2]) runs.push([page, run, await ask(who, DISPUTES(''), variables)]);
        expect(runs[1]![2]).toEqual(runs[0]![2]);
        const data = runs[0]![2] as {
          disputes: {
            edges: { node: { id: string } }[];
            pageInfo: { hasNextPage: boolean; endCursor: string };
          };
        };
        const nodes = data.disputes.edges.map((e) => e.node);
        expect(nodes).toHaveLength(2);
        expect(nodes).toEqual(
          await wholeNodes(
            who,
            'dispute',
            nodes.map((n) => n.id),
          ),
        );
        expect(data.disputes.pageInfo.hasNextPage).toBe(true);
        after = data.disputes.pageInfo.endCursor;
      }
    },
  );

  it('the Call Log showing its disputes’ decisions, not its payouts, as whole rows give it', async () => {
    // Dispute.decision reads the account's currency from the account the page read.
    const row = 'id disputes { status decision { outcome adjustment { amount currency } } }';
    const query = `query Log($first: Int!, $filter: CallFilter) {
      calls(first: $first, filter: $filter) { nodes { ${row} } } }`;
    // Managers see every account: the page keeps to account A's (buyers see only theirs).
    const variables = { first: 3, filter: { buyerId: w.ids.accountA } };
    const data = (await ask(who, query, variables)) as { calls: { nodes: { id: string }[] } };
    expect(await ask(who, query, variables)).toEqual(data);
    const nodes = data.calls.nodes;
    expect(JSON.stringify(nodes)).toContain('"currency":"USD"');
    const client = await Client.forUser(w.ids[who]);
    for (const node of nodes) {
      const res = await client.raw(`query($id: ID!) { call(id: $id) { ${row} } }`, { id: node.id });
      expect(res.data?.call).toEqual(node);
    }
  });

  it('the Call Log, two pages, each node as its whole row gives it', async () => {
    let after: string | null = null;
    for (const page of [1, 2]) {
      const variables = { first: 3, after };
      const first = await ask(who, CALLS(''), variables);
      expect([page, await ask(who, CALLS(''), variables)]).toEqual([page, first]);
      const data = first as {
        calls: { nodes: { id: string }[]; pageInfo: { endCursor: string } };
      };
      expect(data.calls.nodes).toHaveLength(3);
      expect(data.calls.nodes).toEqual(
        await wholeNodes(
          who,
          'call',
          data.calls.nodes.map((n) => n.id),
        ),
      );
      after = data.calls.pageInfo.endCursor;
    }
  });
});
