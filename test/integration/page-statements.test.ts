import { Client } from '../support/client';
import { closeDb, createWorld, HOUR, insertCall, insertDispute, type World } from '../support/seed';

/*
 * SQL statements per page, by what the page shows (SQL_STATS: `extensions.sqlStatements`): the
 * viewer's row, the page's own statement, and one more for each kind of related row the page
 * does not read with it. Rows one-to-one with the page's rows (a dispute's call, campaign and
 * buyer; its author and its decider; a call's duplicate) come with the page's statement when
 * shown; lists (a call's disputes, a dispute's history) take one statement each per page.
 * The counts are the same for 3 rows and for 30.
 */

let w: World;

beforeAll(async () => {
  w = await createWorld();
  const { ids } = w;
  for (let i = 0; i < 30; i++) {
    const callId = await insertCall({
      buyerId: ids.accountA,
      campaignId: ids.campaign,
      startedAt: new Date(Date.now() - (i + 1) * HOUR),
      // Pairs of calls from one caller: each later one is a duplicate of the earlier.
      callerId: `+1555000${String(Math.floor(i / 2)).padStart(4, '0')}`,
    });
    await insertDispute({
      callId,
      createdBy: i % 2 ? ids.buyerA : ids.buyerA2,
      ...(i % 3 ? {} : { status: 'REJECTED' as const, decidedBy: ids.editManager }),
    });
  }
}, 60_000);

afterAll(() => closeDb());

async function statements(client: Client, query: string, first: number) {
  const res = await client.raw(query, { first, filter: { buyerId: w.ids.accountA } });
  expect(res.errors).toBeUndefined();
  return res.extensions?.sqlStatements;
}

const disputes = (row: string) => `query($first: Int!, $filter: DisputeFilter) {
  disputes(first: $first, filter: $filter, orderBy: { field: CREATED_AT, direction: DESC }) { nodes { id status ${row} } pageInfo { endCursor } } }`;
const calls = (row: string) => `query($first: Int!, $filter: CallFilter) {
  calls(first: $first, filter: $filter) { nodes { id status ${row} } pageInfo { endCursor } } }`;

const DECISION = 'decision { outcome adjustment { amount currency } decidedAt }';

describe.each(['buyerA', 'viewManager'] as const)('%s', (who) => {
  it.each([
    ['the Disputes page, its own columns', disputes('reason createdAt reviewDueAt overdue'), 2],
    ['with the decision', disputes(DECISION), 2],
    ['with the decision and who decided', disputes(`decision { decidedBy { name } }`), 2],
    ['with createdBy', disputes('createdBy { name }'), 2],
    ['with the call and its campaign', disputes('call { callerId campaign { name } }'), 2],
    ['with the buyer', disputes('buyer { name }'), 2],
    [
      'with all of them',
      disputes(
        `${DECISION} createdBy { name } buyer { name } call { originalPayout { amount } campaign { name } recording { contentType } }`,
      ),
      2,
    ],
    [
      'with totalCount',
      disputes('createdBy { name }').replace('pageInfo', 'totalCount pageInfo'),
      3,
    ],
    ['with the history (a list)', disputes('history { type }'), 3],
    ['the Call Log, its own columns', calls('startedAt callerId durationSeconds'), 2],
    ['with disputability', calls('disputability { allowed blockedBy }'), 2],
    ['with duplicateOf', calls('duplicateOf { id startedAt }'), 2],
    ['with the payouts and the campaign', calls('payout { amount } campaign { name }'), 2],
    ['with the disputes (a list)', calls('disputes { id }'), 3],
  ])('%s', async (_name, query, expected) => {
    const client = await Client.forUser(w.ids[who]);
    const small = await statements(client, query, 3);
    const large = await statements(client, query, 30);
    expect({ small, large }).toEqual({ small: expected, large: expected });
  });
});
