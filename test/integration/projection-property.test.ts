import 'reflect-metadata';
import fc from 'fast-check';
import type { Client } from '../support/client';
import { LIMITS } from '../../src/platform/limits';
import {
  closeDb,
  createWorld,
  db,
  HOUR,
  insertCall,
  insertCampaign,
  type World,
} from '../support/seed';

/*
 * Whatever a frontend selects, a narrowed page answers what whole rows answer. The Disputes page
 * and the Call Log read only the columns an operation's fields declare
 * (src/platform/column-projection.ts, src/platform/field-reads.ts); here the selections are
 * drawn at random: any of the fields of a page's rows and of what they lead to (calls,
 * accounts, campaigns, decisions, duplicates, comments, history), nested, with aliases (up to
 * the operation limit of 15), `__typename`, inline and named fragments (a fragment may be spread
 * in `nodes` and in `edges { node }` alike), `@skip`/`@include` with variables and literals, a
 * second aliased page in the same operation, and a second page through the first's endCursor.
 * Each page is sent twice (graphql-js runs a document's first time, compiled code from its
 * second: src/app/compiled-execution.ts) and both must answer the same data; then each node
 * is asked again by `dispute(id)` or `call(id)`, which read whole rows, with the same selection
 * and variables, and must be equal. Fields whose value is signed at each request (`url`) are
 * left out. The seed is printed; PROJECTION_SEED=<seed> replays a run.
 */

const RUNS = Number(process.env.PROJECTION_RUNS || 25);
const SEED = Number(process.env.PROJECTION_SEED || Date.now() % 2_147_483_647);

let w: World;
let accountC: string;
let buyerC: Client;

// ------------------------------------------------------------------ the data

async function mutate(client: Client, query: string, variables: Record<string, unknown>) {
  const res = await client.raw(query, variables);
  expect(res.errors).toBeUndefined();
  return res.data as Record<string, { id: string } & Record<string, unknown>>;
}

const CREATE = `mutation($input: CreateDisputeInput!) { createDispute(input: $input) { id } }`;
const RESOLVE = `mutation($input: ResolveDisputeInput!) { resolveDispute(input: $input) { id } }`;
const WITHDRAW = `mutation($id: ID!) { withdrawDispute(disputeId: $id) { id } }`;
const COMMENT = `mutation($input: AddDisputeCommentInput!) { addDisputeComment(input: $input) { id } }`;

/**
 * Two buyer accounts of a fresh world and a third that accepts duplicates at once: calls of
 * every status, with and without recordings, hangup causes and duplicates, two campaigns
 * (one with its own window); disputes PENDING (with comments of both kinds), ACCEPTED_PARTIAL
 * with a comment, REJECTED, WITHDRAWN, overdue, and ACCEPTED by the automatic review. Every call
 * starts half an hour off the hour, so no Dispute Window ends while the test runs.
 */
beforeAll(async () => {
  w = await createWorld();
  const { ids, as } = w;
  const shortWindow = await insertCampaign({ windowHours: 24, name: 'Short, "quoted" window' });
  accountC = ids.accountB;
  await db().query('UPDATE accounts SET auto_accept_duplicates = true WHERE id = $1', [accountC]);
  buyerC = as.buyerB;
  const at = (hours: number) => new Date(Date.now() - (hours + 0.5) * HOUR);
  const calls: Record<string, string> = {};
  const call = async (
    name: string,
    buyerId: string,
    hours: number,
    extra: Partial<Parameters<typeof insertCall>[0]> = {},
  ) => {
    calls[name] = await insertCall({
      buyerId,
      campaignId: ids.campaign,
      startedAt: at(hours),
      payoutMinor: 1000 + Object.keys(calls).length * 137,
      ...extra,
    });
  };
  await call('a1', ids.accountA, 1, { callerId: '+15550000001' });
  await call('a2', ids.accountA, 3, { callerId: '+15550000001', campaignId: shortWindow });
  await call('a3', ids.accountA, 6, { recordingKey: 'recordings/projection-a3.mp3' });
  await call('a4', ids.accountA, 9, { status: 'COMPLETED_NO_CONVERSION' });
  await call('a5', ids.accountA, 12, { status: 'CALL_NOT_CONNECTED_WITH_CONVERSION' });
  await call('a6', ids.accountA, 20, { campaignId: shortWindow });
  await call('a7', ids.accountA, 30);
  await call('a8', ids.accountA, 100, { status: 'IN_PROGRESS' });
  await call('c1', accountC, 2, { callerId: '+15550000009' });
  await call('c2', accountC, 4, { callerId: '+15550000009' });
  await call('c3', accountC, 7);
  await db().query(
    `UPDATE calls SET hangup_by = 'SYSTEM', hangup_cause = 'timeout' WHERE id = ANY ($1::uuid[])`,
    [[calls.a2, calls.c3]],
  );

  const create = async (client: Client, callId: string, reason = 'INVALID_CALLER') =>
    (
      await mutate(client, CREATE, {
        input: { callId, reason, additionalInfo: `About ${callId.slice(0, 8)}` },
      })
    ).createDispute!.id;
  const pending = await create(as.buyerA, calls.a1!);
  await mutate(as.buyerA, COMMENT, { input: { disputeId: pending, body: 'Please look.' } });
  await mutate(as.editManager, COMMENT, {
    input: { disputeId: pending, body: 'Internal note.', visibility: 'INTERNAL' },
  });
  const partial = await create(as.buyerA, calls.a3!, 'TECHNICAL_ISSUES');
  await mutate(as.editManager, RESOLVE, {
    input: {
      disputeId: partial,
      outcome: 'ACCEPTED_PARTIAL',
      adjustmentAmount: 3.5,
      comment: 'Half of it.',
    },
  });
  const rejected = await create(as.buyerA2, calls.a5!);
  await mutate(as.editManager, RESOLVE, { input: { disputeId: rejected, outcome: 'REJECTED' } });
  const withdrawn = await create(as.buyerA, calls.a6!);
  await mutate(as.buyerA, WITHDRAW, { id: withdrawn });
  const overdue = await create(as.buyerA, calls.a7!, 'OTHER');
  await db().query(
    `UPDATE disputes SET created_at = now() - interval '3 hours', review_due_at = now() - interval '1 hour'
      WHERE id = $1`,
    [overdue],
  );
  await create(buyerC, calls.c1!, 'DUPLICATE_CALL'); // accepted at once: c1 duplicates c2
  await create(buyerC, calls.c3!);
}, 60_000);

afterAll(() => closeDb());

// ------------------------------------------------------------------ the schema drawn from

interface FieldSpec {
  /** The object type it leads to; absent for a leaf. */
  type?: string;
  /** A list: its most items, as the operation cost counts them. */
  list?: number;
}

const leaves = (...names: string[]): Record<string, FieldSpec> =>
  Object.fromEntries(['__typename', ...names].map((n) => [n, {}]));

/** The fields reachable from a page's rows, `url`s aside (signed afresh at every request). */
const TYPES: Record<string, Record<string, FieldSpec>> = {
  Dispute: {
    ...leaves('id', 'status', 'reason', 'additionalInfo', 'createdAt', 'reviewDueAt', 'overdue'),
    buyer: { type: 'Account' },
    call: { type: 'Call' },
    createdBy: { type: 'User' },
    decision: { type: 'DisputeDecision' },
    evidence: { type: 'Evidence', list: 10 },
    history: { type: 'DisputeEvent', list: 20 },
    comments: { type: 'DisputeComment', list: 200 },
  },
  Call: {
    ...leaves('id', 'startedAt', 'callerId', 'destination', 'durationSeconds', 'status'),
    buyer: { type: 'Account' },
    campaign: { type: 'Campaign' },
    payout: { type: 'Money' },
    originalPayout: { type: 'Money' },
    hangup: { type: 'Hangup' },
    recording: { type: 'Recording' },
    disputability: { type: 'Disputability' },
    duplicateOf: { type: 'Call' },
    disputes: { type: 'Dispute', list: 50 },
  },
  Account: leaves('id', 'name', 'autoAcceptDuplicates'),
  Campaign: leaves('id', 'name'),
  User: leaves('id', 'name'),
  Money: leaves('amount', 'currency'),
  Hangup: leaves('by', 'cause'),
  Recording: leaves('contentType', 'durationSeconds'),
  Disputability: leaves('allowed', 'blockedBy', 'windowEndsAt'),
  Evidence: leaves('id', 'fileName', 'contentType', 'sizeBytes'),
  DisputeDecision: {
    ...leaves('outcome', 'comment', 'decidedAt', 'automatic'),
    adjustment: { type: 'Money' },
    decidedBy: { type: 'User' },
  },
  DisputeEvent: {
    ...leaves('id', 'type', 'at', 'statusBefore', 'statusAfter'),
    actor: { type: 'User' },
    payoutBefore: { type: 'Money' },
    payoutAfter: { type: 'Money' },
  },
  DisputeComment: {
    ...leaves('id', 'body', 'visibility', 'authorRole', 'createdAt'),
    author: { type: 'User' },
  },
};

// ------------------------------------------------------------------ selections

type Directive = { name: 'skip' | 'include'; arg: string } | null;
type Item =
  | { kind: 'field'; name: string; alias: string | null; directive: Directive; sub: Item[] | null }
  | { kind: 'inline'; typed: boolean; directive: Directive; body: Item[] }
  | { kind: 'spread'; directive: Directive; body: Item[] };

const VARIABLES = ['b0', 'b1', 'b2'] as const;
/** `arb` one time in `1 + odds`, null otherwise. */
const sometimes = <T>(arb: fc.Arbitrary<T>, odds: number) =>
  fc.oneof({ arbitrary: fc.constant(null), weight: odds }, { arbitrary: arb, weight: 1 });

const directiveArb: fc.Arbitrary<Directive> = sometimes(
  fc.record({
    name: fc.constantFrom('skip' as const, 'include' as const),
    arg: fc.constantFrom(...VARIABLES.map((v) => `$${v}`), 'true', 'false'),
  }),
  5,
);

const cache = new Map<string, fc.Arbitrary<Item[]>>();

/**
 * Selections on `type` nesting at most `depth` more object fields; a list inside a list is left
 * out (the operation cost limit multiplies list sizes).
 */
function selection(type: string, depth: number, inList: boolean): fc.Arbitrary<Item[]> {
  const key = `${type}:${depth}:${inList}`;
  const known = cache.get(key);
  if (known) return known;
  const fields = Object.entries(TYPES[type]!).filter(
    ([, f]) => !f.type || (depth > 0 && !(f.list && inList)),
  );
  const field = fc.oneof(
    ...fields.map(([name, f]) =>
      fc.record({
        kind: fc.constant('field' as const),
        name: fc.constant(name),
        // The alias names its field, so equal response names never name different fields.
        alias: sometimes(
          fc.constantFrom(`${name.replace(/^__/, '')}A`, `${name.replace(/^__/, '')}B`),
          5,
        ),
        directive: directiveArb,
        sub: f.type ? selection(f.type, depth - 1, inList || Boolean(f.list)) : fc.constant(null),
      }),
    ),
  );
  const items: fc.Arbitrary<Item>[] = [field];
  if (depth > 0) {
    const body = selection(type, depth - 1, inList);
    items.push(
      fc.record({
        kind: fc.constant('inline' as const),
        typed: fc.boolean(),
        directive: directiveArb,
        body,
      }),
      fc.record({ kind: fc.constant('spread' as const), directive: directiveArb, body }),
    );
  }
  const arb = fc.array(
    fc.oneof(
      { arbitrary: items[0]!, weight: 8 },
      ...items.slice(1).map((a) => ({ arbitrary: a, weight: 1 })),
    ),
    // Wider near the row than deep inside it.
    { minLength: 1, maxLength: depth >= 3 ? 10 : 5, size: depth >= 3 ? 'large' : 'medium' },
  );
  cache.set(key, arb);
  return arb;
}

/** Aliases as the operation limit counts them: a fragment's once per spread. */
const aliasesIn = (items: Item[]): number =>
  items.reduce(
    (n, i) =>
      n +
      (i.kind === 'field' ? (i.alias ? 1 : 0) + (i.sub ? aliasesIn(i.sub) : 0) : aliasesIn(i.body)),
    0,
  );

/** The operation cost of `items` on `type` as the limit counts it, directives aside. */
const costOf = (type: string, items: Item[]): number =>
  items.reduce((n, i) => {
    if (i.kind !== 'field') return n + costOf(type, i.body);
    const spec = TYPES[type]![i.name]!;
    const inner = i.sub ? costOf(spec.type!, i.sub) : 0;
    return n + 1 + (spec.list ? spec.list * Math.max(inner, 1) : inner);
  }, 0);

/** Renders selections; named fragments are collected by their text, so equal ones are shared. */
class Renderer {
  readonly fragments = new Map<string, { name: string; text: string }>();

  items(type: string, items: Item[]): string {
    return items.map((i) => this.item(type, i)).join(' ');
  }

  private item(type: string, item: Item): string {
    const dir = item.directive ? ` @${item.directive.name}(if: ${item.directive.arg})` : '';
    if (item.kind === 'field') {
      const head = `${item.alias ? `${item.alias}: ` : ''}${item.name}${dir}`;
      const spec = TYPES[type]![item.name]!;
      return item.sub ? `${head} { ${this.items(spec.type!, item.sub)} }` : head;
    }
    if (item.kind === 'inline') {
      return `...${item.typed ? ` on ${type}` : ''}${dir} { ${this.items(type, item.body)} }`;
    }
    return `...${this.fragment(type, this.items(type, item.body))}${dir}`;
  }

  /** A named fragment on `type` with `body`, defined once per body. */
  fragment(type: string, body: string): string {
    const key = `${type} ${body}`;
    let f = this.fragments.get(key);
    if (!f) {
      const name = `${type}F${this.fragments.size}`;
      f = { name, text: `fragment ${name} on ${type} { ${body} }` };
      this.fragments.set(key, f);
    }
    return f.name;
  }

  /**
   * The operation around `body`: the fragments it spreads (and theirs), and the variables it
   * uses declared; anything unused would be a validation error.
   */
  document(head: string, params: string[], body: string): string {
    const byName = new Map([...this.fragments.values()].map((f) => [f.name, f.text]));
    const used = new Set<string>();
    const visit = (text: string) => {
      for (const [, name] of text.matchAll(/\.\.\.([A-Za-z]+F\d+)/g)) {
        if (used.has(name!)) continue;
        used.add(name!);
        visit(byName.get(name!)!);
      }
    };
    visit(body);
    const fragments = [...used].map((n) => byName.get(n)!);
    const all = [body, ...fragments].join(' ');
    const vars = VARIABLES.filter((v) => all.includes(`$${v}`)).map((v) => `$${v}: Boolean!`);
    const declared = [...params, ...vars];
    return `${head}${declared.length ? `(${declared.join(', ')})` : ''} { ${body} } ${fragments.join(' ')}`;
  }
}

// ------------------------------------------------------------------ pages

const DISPUTE_ORDERS = [
  null,
  '{ field: STATUS, direction: DESC }',
  '{ field: CALL_DATE }',
  '{ field: CREATED_AT, direction: DESC }',
  '{ field: REVIEW_DUE_AT }',
  '{ field: PAYOUT, direction: DESC }',
];

interface PageKind {
  root: 'disputes' | 'calls';
  type: 'Dispute' | 'Call';
  whole: 'dispute' | 'call';
}
const DISPUTES: PageKind = { root: 'disputes', type: 'Dispute', whole: 'dispute' };
const CALLS: PageKind = { root: 'calls', type: 'Call', whole: 'call' };

const rootArb = (kind: PageKind) =>
  fc.record({
    alias: sometimes(fc.constantFrom('pageA', 'pageB'), 2),
    first: fc.integer({ min: 2, max: 4 }),
    order: kind === DISPUTES ? fc.constantFrom(...DISPUTE_ORDERS) : fc.constant(null),
    nodes: selection(kind.type, 3, false),
    /** The node selection as a named fragment (then spread in nodes and edges alike). */
    named: fc.boolean(),
    shape: fc.constantFrom('nodes', 'edges', 'both'),
    totalCount: fc.boolean(),
  });

const scenarioArb = (kind: PageKind) =>
  fc
    .record({
      viewer: fc.constantFrom('buyerA', 'viewManager', 'buyerC'),
      pages: fc.array(rootArb(kind), { minLength: 1, maxLength: 2 }),
      variables: fc.record({ b0: fc.boolean(), b1: fc.boolean(), b2: fc.boolean() }),
      nextPage: fc.boolean(),
    })
    .filter(
      (s) =>
        // Two pages need two response names; the limit counts aliases as spread.
        !(s.pages.length === 2 && s.pages[0]!.alias === s.pages[1]!.alias) &&
        s.pages.reduce(
          (n, p) => n + (p.alias ? 1 : 0) + aliasesIn(p.nodes) * (p.shape === 'both' ? 2 : 1),
          0,
        ) <= 15 &&
        s.pages.reduce((n, p) => n + p.first * 2 * (costOf(kind.type, p.nodes) + 8), 0) <
          LIMITS.maxCost,
    );

type Scenario = ReturnType<typeof scenarioArb> extends fc.Arbitrary<infer S> ? S : never;

/** The id a cursor ends with: every order's last key is the row's id. */
const idOfCursor = (cursor: string) =>
  (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as string[]).at(-1)!;

async function client(who: Scenario['viewer']) {
  return who === 'buyerC' ? buyerC : w.as[who];
}

let checkedNodes = 0;

async function check(kind: PageKind, s: Scenario) {
  const r = new Renderer();
  const viewer = await client(s.viewer);
  // Managers see every account: the page keeps to the accounts made here.
  const buyerId = s.viewer === 'viewManager' ? `"${w.ids.accountA}"` : null;
  const roots = s.pages.map((p, i) => {
    const sel = r.items(kind.type, p.nodes);
    const node = p.named ? `...${r.fragment(kind.type, sel)}` : sel;
    const args = [
      `first: ${p.first}`,
      `after: $after${i}`,
      ...(p.order ? [`orderBy: ${p.order}`] : []),
      ...(buyerId ? [`filter: { buyerId: ${buyerId} }`] : []),
    ];
    const parts = [
      ...(p.shape !== 'edges' ? [`nodes { ${node} }`] : []),
      `edges { cursor ${p.shape !== 'nodes' ? `node { ${node} }` : ''} }`,
      'pageInfo { hasNextPage endCursor }',
      ...(p.totalCount ? ['totalCount'] : []),
    ];
    return {
      key: p.alias ?? kind.root,
      shape: p.shape,
      node,
      text: `${p.alias ? `${p.alias}: ` : ''}${kind.root}(${args.join(', ')}) { ${parts.join(' ')} }`,
    };
  });
  const page = r.document(
    'query Page',
    roots.map((_, i) => `$after${i}: String`),
    roots.map((x) => x.text).join(' '),
  );
  const wholeDocs = roots.map((x) =>
    r.document('query Whole', ['$id: ID!'], `${kind.whole}(id: $id) { ${x.node} }`),
  );

  let after: Record<string, string | null> = Object.fromEntries(
    roots.map((_, i) => [`after${i}`, null]),
  );
  for (const pass of s.nextPage ? [1, 2] : [1]) {
    const variables = { ...s.variables, ...after };
    const first = await viewer.raw(page, variables);
    const again = await viewer.raw(page, variables);
    expect({ pass, page, variables, errors: first.errors }).toEqual({
      pass,
      page,
      variables,
      errors: undefined,
    });
    // graphql-js first, compiled code second: the same answer (not always in as many
    // statements: two pages' lists may load in one batch or two).
    expect({ data: again.data, errors: again.errors }).toEqual({
      data: first.data,
      errors: undefined,
    });
    const data = first.data as Record<
      string,
      {
        nodes?: unknown[];
        edges: { cursor: string; node?: unknown }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      }
    >;
    const next: Record<string, string | null> = {};
    for (const [i, root] of roots.entries()) {
      const connection = data[root.key]!;
      const ids = connection.edges.map((e) => idOfCursor(e.cursor));
      const shown = connection.nodes ?? connection.edges.map((e) => e.node);
      if (root.shape === 'both') expect(connection.edges.map((e) => e.node)).toEqual(shown);
      const whole = [];
      for (const id of ids) {
        const res = await viewer.raw(wholeDocs[i]!, { ...s.variables, id });
        expect(res.errors).toBeUndefined();
        whole.push((res.data as Record<string, unknown>)[kind.whole]);
      }
      expect({ page, variables, nodes: shown }).toEqual({ page, variables, nodes: whole });
      checkedNodes += ids.length;
      next[`after${i}`] = connection.pageInfo.endCursor;
    }
    after = next;
  }
}

it.each([
  ['the Disputes page', DISPUTES],
  ['the Call Log', CALLS],
])('%s: any selection, narrowed, answers what whole rows answer', async (name, kind) => {
  console.log(`${name}: ${RUNS} runs, seed ${SEED} (PROJECTION_SEED=${SEED} replays them)`);
  checkedNodes = 0;
  await fc.assert(
    fc.asyncProperty(scenarioArb(kind), (s) => check(kind, s)),
    { numRuns: RUNS, seed: SEED },
  );
  // The runs saw nodes, not only empty pages.
  expect(checkedNodes).toBeGreaterThan(RUNS * 2);
});
