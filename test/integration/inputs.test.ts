import { randomUUID } from 'node:crypto';
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
let call: string;
let pending: string;
beforeAll(async () => {
  w = await createWorld();
  call = await insertCall({ buyerId: w.ids.accountA, campaignId: w.ids.campaign });
  const other = await insertCall({ buyerId: w.ids.accountA, campaignId: w.ids.campaign });
  pending = await insertDispute({ callId: other, createdBy: w.ids.buyerA });
});
afterAll(closeDb);

const EMOJI = '\u{1F600}';
const NUL = 'a\u0000b';
const LONE = 'a\uD800b';

const CREATE = `mutation($input: CreateDisputeInput!) { createDispute(input: $input) { id } }`;
const RESOLVE = `mutation($input: ResolveDisputeInput!) { resolveDispute(input: $input) { id } }`;
const RESOLVE_MANY = `mutation($inputs: [ResolveDisputeInput!]!) {
  resolveDisputes(inputs: $inputs) { disputeId error { code } } }`;
const DISPUTES = `query($search: String, $filter: DisputeFilter, $after: String, $orderBy: DisputeOrder) {
  disputes(search: $search, filter: $filter, after: $after, orderBy: $orderBy, first: 5) {
    totalCount edges { cursor } } }`;
const CALLS = `query($after: String, $filter: CallFilter) {
  calls(first: 5, after: $after, filter: $filter) { edges { cursor } } }`;
const NOTIFICATIONS = `query($after: String) { notifications(first: 5, after: $after) { edges { cursor } } }`;
const CALL = `query($id: ID!) { call(id: $id) { id } }`;
const MARK = `mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }`;
const UPLOAD = `mutation($input: CreateEvidenceUploadInput!) { createEvidenceUpload(input: $input) { evidenceId } }`;

async function refused(client: Client, query: string, variables: Record<string, unknown>) {
  const res = await client.raw(query, variables);
  expect(res.errors).toHaveLength(1);
  return { status: res.status, ...res.errors![0]!.extensions, message: res.errors![0]!.message };
}

describe('text that PostgreSQL cannot store is BAD_USER_INPUT naming the field', () => {
  const create = (extra: Record<string, unknown>) => ({
    input: { callId: call, reason: 'INVALID_CALLER', ...extra },
  });
  const resolve = (comment: string) => ({
    input: { disputeId: pending, outcome: 'REJECTED', comment },
  });
  const cases: [string, () => Client, string, () => Record<string, unknown>, string][] = [
    [
      'additionalInfo with NUL',
      () => w.as.buyerA,
      CREATE,
      () => create({ additionalInfo: NUL }),
      'input.additionalInfo',
    ],
    [
      'additionalInfo with a lone surrogate',
      () => w.as.buyerA,
      CREATE,
      () => create({ additionalInfo: LONE }),
      'input.additionalInfo',
    ],
    [
      'idempotencyKey with NUL',
      () => w.as.buyerA,
      CREATE,
      () => create({ idempotencyKey: NUL }),
      'input.idempotencyKey',
    ],
    [
      'callId with NUL',
      () => w.as.buyerA,
      CREATE,
      () => ({ input: { callId: `${call}\u0000`, reason: 'INVALID_CALLER' } }),
      'input.callId',
    ],
    [
      'an evidence id with NUL',
      () => w.as.buyerA,
      CREATE,
      () => create({ evidenceIds: [randomUUID(), NUL] }),
      'input.evidenceIds[1]',
    ],
    ['comment with NUL', () => w.as.editManager, RESOLVE, () => resolve(NUL), 'input.comment'],
    [
      'comment with a lone low surrogate',
      () => w.as.editManager,
      RESOLVE,
      () => resolve('\uDC00'),
      'input.comment',
    ],
    [
      'a bulk item comment with NUL',
      () => w.as.editManager,
      RESOLVE_MANY,
      () => ({
        inputs: [0, 1, 2, 3].map((i) => ({
          disputeId: i === 3 ? pending : randomUUID(),
          outcome: 'REJECTED',
          comment: i === 3 ? NUL : 'fine',
        })),
      }),
      'inputs[3].comment',
    ],
    ['search with NUL', () => w.as.editManager, DISPUTES, () => ({ search: NUL }), 'search'],
    [
      'search with a lone surrogate',
      () => w.as.editManager,
      DISPUTES,
      () => ({ search: '\uD83D' }),
      'search',
    ],
    [
      'a filter id with NUL',
      () => w.as.editManager,
      DISPUTES,
      () => ({ filter: { campaignId: NUL } }),
      'filter.campaignId',
    ],
    [
      'a call filter id with NUL',
      () => w.as.buyerA,
      CALLS,
      () => ({ filter: { buyerId: NUL } }),
      'filter.buyerId',
    ],
    ['a cursor with NUL', () => w.as.buyerA, CALLS, () => ({ after: NUL }), 'after'],
    ['an id with NUL', () => w.as.buyerA, CALL, () => ({ id: NUL }), 'id'],
    ['a notification id with NUL', () => w.as.buyerA, MARK, () => ({ ids: ['x', NUL] }), 'ids[1]'],
    [
      'a file name with NUL',
      () => w.as.buyerA,
      UPLOAD,
      () => ({ input: { fileName: `x${NUL}.png`, contentType: 'image/png', sizeBytes: 10 } }),
      'input.fileName',
    ],
  ];

  it.each(cases)('%s', async (_name, client, query, variables, field) => {
    const disputesBefore = await count('disputes', 'buyer_id = $1', [w.ids.accountA]);
    const evidenceBefore = await count('evidence', 'owner_id = $1', [w.ids.buyerA]);
    const e = await refused(client(), query, variables());
    expect(e).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(e.message.startsWith(`${field}: `)).toBe(true);
    expect(await count('disputes', 'buyer_id = $1', [w.ids.accountA])).toBe(disputesBefore);
    expect(await count('evidence', 'owner_id = $1', [w.ids.buyerA])).toBe(evidenceBefore);
    const d = await db().query<{ status: string }>('SELECT status FROM disputes WHERE id = $1', [
      pending,
    ]);
    expect(d.rows[0]!.status).toBe('PENDING');
  });

  it('a NUL written as a literal in the document is refused the same way', async () => {
    const e = await refused(
      w.as.editManager,
      '{ disputes(search: "a\\u0000b", first: 1) { totalCount } }',
      {},
    );
    expect(e).toMatchObject({ code: 'BAD_USER_INPUT', field: 'search' });
  });

  it('text with paired surrogates, other control characters and plain NUL-free text passes', async () => {
    const res = await w.as.editManager.raw(DISPUTES, { search: `${EMOJI}\u0001\u00e9` });
    expect(res.errors).toBeUndefined();
  });
});

describe('lengths are counted in characters (code points), as the contract says', () => {
  it('additionalInfo of 2,000 emoji is accepted and stored whole; 2,001 is refused', async () => {
    const over = await refused(w.as.buyerA, CREATE, {
      input: { callId: call, reason: 'INVALID_CALLER', additionalInfo: EMOJI.repeat(2001) },
    });
    expect(over).toMatchObject({ code: 'BAD_USER_INPUT', field: 'additionalInfo' });
    expect(over.message).toContain('2001 characters');
    expect(await count('disputes', 'call_id = $1', [call])).toBe(0);

    const res = await w.as.buyerA.raw(CREATE, {
      input: { callId: call, reason: 'INVALID_CALLER', additionalInfo: EMOJI.repeat(2000) },
    });
    expect(res.errors).toBeUndefined();
    const row = await db().query<{ n: number; info: string }>(
      'SELECT length(additional_info) AS n, additional_info AS info FROM disputes WHERE call_id = $1',
      [call],
    );
    expect(row.rows[0]).toEqual({ n: 2000, info: EMOJI.repeat(2000) });
  });

  it('a comment of 2,000 emoji is accepted; 2,001 is refused', async () => {
    const c = await insertCall({ buyerId: w.ids.accountA, campaignId: w.ids.campaign });
    const d = await insertDispute({ callId: c, createdBy: w.ids.buyerA });
    const over = await refused(w.as.editManager, RESOLVE, {
      input: { disputeId: d, outcome: 'REJECTED', comment: EMOJI.repeat(2001) },
    });
    expect(over).toMatchObject({ code: 'BAD_USER_INPUT', field: 'comment' });
    const res = await w.as.editManager.raw(RESOLVE, {
      input: { disputeId: d, outcome: 'REJECTED', comment: EMOJI.repeat(2000) },
    });
    expect(res.errors).toBeUndefined();
    const row = await db().query<{ n: number }>(
      'SELECT length(decision_comment) AS n FROM disputes WHERE id = $1',
      [d],
    );
    expect(row.rows[0]!.n).toBe(2000);
  });

  it('search of 100 emoji is accepted; 101 is refused', async () => {
    expect(
      (await w.as.editManager.raw(DISPUTES, { search: EMOJI.repeat(100) })).errors,
    ).toBeUndefined();
    expect(await refused(w.as.editManager, DISPUTES, { search: EMOJI.repeat(101) })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'search',
    });
  });

  it('an idempotencyKey of 255 emoji is accepted; 256 is refused', async () => {
    const c = await insertCall({ buyerId: w.ids.accountA, campaignId: w.ids.campaign });
    const over = await refused(w.as.buyerA, CREATE, {
      input: { callId: c, reason: 'INVALID_CALLER', idempotencyKey: EMOJI.repeat(256) },
    });
    expect(over).toMatchObject({ code: 'BAD_USER_INPUT', field: 'idempotencyKey' });
    const res = await w.as.buyerA.raw(CREATE, {
      input: { callId: c, reason: 'INVALID_CALLER', idempotencyKey: EMOJI.repeat(255) },
    });
    expect(res.errors).toBeUndefined();
  });
});

// ---------------------------------------------------------------- cursors

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const unb64 = (cursor: string) =>
  JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];

const DATE = '2001-02-03T04:05:06.789Z';
const UUID = '00000000-0000-4000-8000-000000000000';
const NOT_STRINGS: unknown[] = [1, 0, -1.5, 1e300, true, false, null, [], [DATE], {}, { a: 1 }];
const BAD_STRINGS: unknown[] = ['', 'x', '1', 'a\u0000b', '\uD800', 'x'.repeat(5000)];
const BAD_DATES: unknown[] = [
  UUID,
  '2024-02-31T00:00:00.000Z',
  '2024-13-01T00:00:00.000Z',
  '2024-01-01T24:00:00.000Z',
  '0000-01-01T00:00:00.000Z',
  '+275760-09-13T00:00:00.000Z',
  '2024-01-01',
  '2024-01-01T00:00:00Z',
  '2024-01-01T00:00:00.000+01:00',
  `${DATE}\u0000`,
];
const BAD_UUIDS: unknown[] = [
  DATE,
  'not-a-uuid',
  '00000000-0000-0000-0000-00000000000g',
  '00000000000040008000000000000000',
  `${UUID}\u0000`,
  `${UUID} `,
];
const BAD_NUMBERS: unknown[] = [-1.5, 0.5, 1e300, 2 ** 53, -(2 ** 53), '1', '9223372036854775808'];

/** Wrong values for a key, judged by the type of the value the server wrote there. */
function wrongFor(value: unknown, ordering: string): unknown[] {
  if (typeof value === 'number') {
    const notNumbers = [...NOT_STRINGS.filter((v) => typeof v !== 'number'), ...BAD_STRINGS];
    // The status rank is a smallint: out of its range must fail here, not inside SQL.
    const range =
      ordering.includes('STATUS') || ordering.includes('default') ? [32768, -32769] : [];
    return [...notNumbers, ...BAD_NUMBERS, ...range];
  }
  const looksLikeDate = /^\d{4}-\d{2}-\d{2}T/.test(String(value));
  return [...NOT_STRINGS, ...BAD_STRINGS, ...(looksLikeDate ? BAD_DATES : BAD_UUIDS)];
}

interface Ordering {
  name: string;
  client: () => Client;
  query: string;
  variables: Record<string, unknown>;
  cursorsOf: (data: Record<string, unknown>) => string[];
}

const edges = (field: string) => (data: Record<string, unknown>) =>
  (data[field] as { edges: { cursor: string }[] }).edges.map((e) => e.cursor);

async function orderings(): Promise<Ordering[]> {
  // The orderings come from the schema, so a new one is tested without touching this file.
  const intro = await w.as.editManager.raw<{
    field: { enumValues: { name: string }[] };
    direction: { enumValues: { name: string }[] };
  }>(`{ field: __type(name: "DisputeOrderField") { enumValues { name } }
        direction: __type(name: "OrderDirection") { enumValues { name } } }`);
  const fields = intro.data!.field.enumValues.map((v) => v.name);
  const directions = intro.data!.direction.enumValues.map((v) => v.name);
  expect(fields.length).toBeGreaterThanOrEqual(4);
  expect(directions).toEqual(expect.arrayContaining(['ASC', 'DESC']));
  const list: Ordering[] = [
    {
      name: 'calls',
      client: () => w.as.buyerA,
      query: CALLS,
      variables: {},
      cursorsOf: edges('calls'),
    },
    {
      name: 'notifications',
      client: () => w.as.editManager,
      query: NOTIFICATIONS,
      variables: {},
      cursorsOf: edges('notifications'),
    },
    {
      name: 'disputes (default order)',
      client: () => w.as.buyerA,
      query: DISPUTES,
      variables: {},
      cursorsOf: edges('disputes'),
    },
  ];
  for (const field of fields) {
    for (const direction of directions) {
      list.push({
        name: `disputes by ${field} ${direction}`,
        client: () => w.as.buyerA,
        query: DISPUTES,
        variables: { orderBy: { field, direction } },
        cursorsOf: edges('disputes'),
      });
    }
  }
  return list;
}

describe('cursors are checked after decoding: forged ones are BAD_USER_INPUT naming `after`', () => {
  beforeAll(async () => {
    // Something in every list: disputes of account A (above), a notification for the manager.
    const c = await insertCall({ buyerId: w.ids.accountA, campaignId: w.ids.campaign });
    const res = await w.as.buyerA.raw(CREATE, { input: { callId: c, reason: 'INVALID_CALLER' } });
    expect(res.errors).toBeUndefined();
  });

  it('every ordering of every connection', async () => {
    const all = await orderings();
    let forged = 0;
    for (const o of all) {
      const first = await o.client().raw(o.query, o.variables);
      expect(first.errors).toBeUndefined();
      const cursor = o.cursorsOf(first.data as Record<string, unknown>)[0];
      if (!cursor) throw new Error(`${o.name}: no rows to take a cursor from`);
      const real = unb64(cursor);
      const [tag, ...key] = real;

      // The real cursor, and a forged one of the right types, are served.
      const ok = await o.client().raw(o.query, { ...o.variables, after: cursor });
      expect([o.name, ok.errors]).toEqual([o.name, undefined]);

      const candidates: string[] = [
        'not base64 !',
        b64('just a string'),
        b64({ tag, key }),
        b64([tag]),
        b64([tag, ...key, key[key.length - 1]]),
        b64(key),
        b64(['another-ordering', ...key]),
        b64([tag, ...key]).repeat(40),
        Buffer.from('[', 'utf8').toString('base64url'),
      ];
      key.forEach((_, i) => {
        for (const wrong of wrongFor(key[i], o.name)) {
          candidates.push(b64([tag, ...key.slice(0, i), wrong, ...key.slice(i + 1)]));
        }
      });
      for (const after of candidates) {
        const res = await o.client().raw(o.query, { ...o.variables, after });
        const got = { ordering: o.name, after: unb64Safe(after), errors: res.errors?.length };
        expect(got).toEqual({ ordering: o.name, after: unb64Safe(after), errors: 1 });
        expect(res.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
        forged++;
      }
    }
    expect(all.length).toBeGreaterThanOrEqual(11);
    expect(forged).toBeGreaterThan(500);
  });

  it('a cursor with other values of the right types is served (the check is not too strict)', async () => {
    for (const o of await orderings()) {
      const first = await o.client().raw(o.query, o.variables);
      const [tag, ...key] = unb64(o.cursorsOf(first.data as Record<string, unknown>)[0]!);
      const other = key.map((v) =>
        typeof v === 'number' ? v + 1 : /^\d{4}-/.test(String(v)) ? DATE : UUID,
      );
      const res = await o.client().raw(o.query, { ...o.variables, after: b64([tag, ...other]) });
      expect([o.name, res.errors]).toEqual([o.name, undefined]);
    }
  });
});

function unb64Safe(cursor: string): unknown {
  try {
    return unb64(cursor);
  } catch {
    return cursor.slice(0, 40);
  }
}
