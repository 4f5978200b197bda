import { Client, type GqlResponse } from '../support/client';
import { closeDb, createWorld, insertCall, insertDispute, HOUR, type World } from '../support/seed';
import { readTestEnv, startApiProcess, storeEnv, type ApiProcess } from '../support/services';

/*
 * A document runs through graphql-js the first time and as compiled code from the second
 * (src/app/compiled-execution.ts). Clients must not be able to tell: each document below,
 * answers and errors alike, gets the same status and the same bytes on every run. The process
 * is this file's own, so its compilation counter counts this file's documents only.
 */

let w: World;
let api: ApiProcess;
let metricsUrl: string;

beforeAll(async () => {
  w = await createWorld();
  const { ids } = w;
  // Calls across the account's states: disputable, pending, partially accepted, rejected.
  const disputes: (Omit<Parameters<typeof insertDispute>[0], 'callId' | 'createdBy'> | null)[] = [
    null,
    {},
    { status: 'ACCEPTED_PARTIAL', decidedBy: ids.editManager, adjustmentMinor: 700 },
    { status: 'REJECTED', decidedBy: ids.editManager },
    null,
    null,
  ];
  for (const [i, dispute] of disputes.entries()) {
    const callId = await insertCall({
      buyerId: ids.accountA,
      campaignId: ids.campaign,
      startedAt: new Date(Date.now() - (i + 1) * HOUR),
      recordingKey: i === 2 ? `recordings/compiled-${i}.mp3` : null,
    });
    if (dispute) await insertDispute({ callId, createdBy: ids.buyerA, ...dispute });
  }
  api = await startApiProcess({ DATABASE_URL: readTestEnv().databaseUrl, ...storeEnv() });
  metricsUrl = new URL('/metrics', api.url).href;
}, 90_000);

afterAll(async () => {
  await api?.stop();
  await closeDb();
});

const as = (who: keyof World['ids']) => Client.forUser(w.ids[who], api.url);

async function compiledSoFar(): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('disputes_graphql_documents_compiled_total'));
  return Number(line?.split(' ')[1] ?? NaN);
}

const CALL_FIELDS = `
  fragment CallRow on Call {
    id startedAt callerId destination durationSeconds status
    payout { amount currency } originalPayout { amount currency }
    campaign { id name } buyer { id name }
    disputability { allowed blockedBy windowEndsAt }
    recording { contentType durationSeconds }
    duplicateOf { id }
  }`;

interface Case {
  what: string;
  who: keyof World['ids'];
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  /** Whether it is compiled on its second run: it reaches execution, and names one operation. */
  compiles: boolean;
}

/**
 * Answers with data, partial errors, and refusals before and during execution. Each reads only
 * this file's accounts: a manager's counters would move with other files' disputes.
 */
const CASES: Case[] = [
  {
    what: 'the Call Log with fragments, aliases, directives and disputes',
    who: 'buyerA',
    query: `query Log($first: Int!, $withDisputes: Boolean!, $skipCampaign: Boolean = false) {
      viewer { id name role permissions pendingDisputesCount overdueDisputesCount }
      calls(first: $first) {
        totalCount
        edges { cursor node { ...CallRow campaignAgain: campaign @skip(if: $skipCampaign) { name }
          disputes @include(if: $withDisputes) { id status reason __typename
            decision { outcome adjustment { amount currency } decidedBy { name } automatic } } } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    } ${CALL_FIELDS}`,
    variables: { first: 4, withDisputes: true },
    compiles: true,
  },
  {
    what: "a manager's disputes with buyers, calls and decisions",
    who: 'editManager',
    query: `query Disputes($filter: DisputeFilter) {
      disputes(first: 10, filter: $filter, orderBy: { field: CREATED_AT, direction: DESC }) {
        nodes { id status reason overdue reviewDueAt additionalInfo createdBy { name }
          buyer { id name } call { ...CallRow } decision { outcome comment decidedAt }
          history { type statusBefore statusAfter payoutBefore { amount } payoutAfter { amount } actor { name } } }
        pageInfo { hasNextPage endCursor }
      }
    } ${CALL_FIELDS}`,
    variables: { filter: { buyerId: '$ACCOUNT_A' } },
    compiles: true,
  },
  {
    what: 'a field refused with FORBIDDEN beside data (a partial answer)',
    who: 'buyerANoPerm',
    query: '{ viewer { id name } disputes(first: 5) { nodes { id } } }',
    compiles: true,
  },
  {
    what: 'a missing dispute: NOT_FOUND',
    who: 'buyerA',
    query: '{ dispute(id: "00000000-0000-4000-8000-000000000000") { id } }',
    compiles: true,
  },
  {
    what: 'a variable of the wrong type: 400 BAD_USER_INPUT, refused before execution',
    who: 'buyerA',
    query: 'query Page($first: Int!) { calls(first: $first) { nodes { id } } }',
    variables: { first: 'ten' },
    compiles: false,
  },
  {
    what: 'a missing required variable, refused before execution',
    who: 'buyerA',
    query:
      'query Page($first: Int!, $after: String) { calls(first: $first, after: $after) { nodes { id } } }',
    variables: {},
    compiles: false,
  },
  {
    what: 'a forged cursor: BAD_USER_INPUT naming the argument',
    who: 'buyerA',
    query: 'query Page($after: String) { calls(first: 5, after: $after) { nodes { id } } }',
    variables: { after: 'bm90LWEtY3Vyc29y' },
    compiles: true,
  },
  {
    what: 'a page size out of range, refused by the resolver',
    who: 'buyerA',
    query: 'query Page($first: Int!) { calls(first: $first) { nodes { id } } }',
    variables: { first: 500 },
    compiles: true,
  },
  {
    what: 'two operations and an empty operationName: BAD_USER_INPUT',
    who: 'buyerA',
    query: 'query A { viewer { id } } query B { viewer { name } }',
    operationName: '',
    compiles: false,
  },
  {
    what: 'two operations, one named',
    who: 'buyerA',
    query: 'query A { viewer { id } } query B { viewer { name } }',
    operationName: 'B',
    compiles: true,
  },
  {
    what: 'a mutation refused by its rules',
    who: 'buyerA',
    query: `mutation Create($callId: ID!) { createDispute(input: { callId: $callId, reason: INVALID_CALLER }) { id } }`,
    variables: { callId: '00000000-0000-4000-8000-000000000000' },
    compiles: true,
  },
];

describe('compiled execution answers exactly as graphql-js', () => {
  test.each(CASES)('$what', async ({ who, query, variables, operationName, compiles }) => {
    const client = await as(who);
    const vars = variables
      ? (JSON.parse(JSON.stringify(variables).replace('$ACCOUNT_A', w.ids.accountA)) as Record<
          string,
          unknown
        >)
      : undefined;
    const before = await compiledSoFar();
    const runs: GqlResponse<unknown>[] = [];
    for (let i = 0; i < 3; i++) runs.push(await client.raw(query, vars, {}, operationName));
    const [first, ...later] = runs.map((r) => JSON.stringify(r));
    for (const other of later) expect(other).toBe(first);
    // Compiled once, on the second run, unless refused before execution.
    expect((await compiledSoFar()) - before).toBe(compiles ? 1 : 0);
  });

  test('the pages seen compiled carry data, and the refusals carry contract codes', async () => {
    const client = await as('buyerA');
    const res = await client.raw(CASES[0]!.query, CASES[0]!.variables);
    const calls = (res.data as { calls: { edges: unknown[]; totalCount: number } }).calls;
    expect(calls.edges).toHaveLength(4);
    expect(calls.totalCount).toBe(6);
    const bad = await client.raw(CASES[4]!.query, CASES[4]!.variables);
    expect(bad.status).toBe(400);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
