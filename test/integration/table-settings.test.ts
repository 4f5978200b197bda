import {
  BothTableSettingsDocument,
  ResetTableSettingsDocument,
  SaveTableSettingsDocument,
  TableSettingsDocument,
  type SaveTableSettingsInput,
  type TableColumn,
  type TableName,
  type TableSettingsFieldsFragment,
} from '../generated/graphql';
import { Client } from '../support/client';
import { closeDb, createWorld, db, insertUser, type World } from '../support/seed';

/*
 * Rule 18 over HTTP: the defaults per role and table, saving and resetting, the refusals (each
 * naming its field and writing nothing), the permission of DISPUTES, and concurrent saves with
 * the same expectedVersion, of which the database lets exactly one land.
 */

let w: World;
beforeAll(async () => {
  w = await createWorld();
});
afterAll(async () => {
  await closeDb();
});

const BUYER_DISPUTES: TableColumn[] = [
  'STATUS',
  'CALL_DATE',
  'CALLER_ID',
  'DESTINATION',
  'PAYOUT',
  'REASON',
  'RECORDING',
];
const MANAGER_DISPUTES: TableColumn[] = [
  'STATUS',
  'CALL_DATE',
  'BUYER',
  'CALLER_ID',
  'DESTINATION',
  'PAYOUT',
  'REASON',
  'RECORDING',
];
const BUYER_CALL_LOG: TableColumn[] = [
  'CALL_DATE',
  'CALLER_ID',
  'DESTINATION',
  'PAYOUT',
  'STATUS',
  'DURATION',
  'DISPUTABILITY',
];
const MANAGER_CALL_LOG: TableColumn[] = [
  'CALL_DATE',
  'BUYER',
  'CALLER_ID',
  'DESTINATION',
  'PAYOUT',
  'STATUS',
  'DURATION',
];

const defaults = (table: TableName, columns: TableColumn[]): TableSettingsFieldsFragment => ({
  table,
  columns,
  pageSize: 25,
  disputeOrder: null,
  version: 0,
  updatedAt: null,
});

/** A user of its own, so versions and rows belong to one test alone. */
async function freshUser(
  role: 'BUYER' | 'MANAGER',
  permissions: string[],
): Promise<{ id: string; client: Client }> {
  const id = await insertUser({
    role,
    accountId: role === 'BUYER' ? w.ids.accountA : null,
    permissions,
  });
  return { id, client: await Client.forUser(id) };
}

async function read(client: Client, table: TableName) {
  return (await client.run(TableSettingsDocument, { table })).viewer.tableSettings;
}

async function save(client: Client, input: SaveTableSettingsInput) {
  return (await client.run(SaveTableSettingsDocument, { input })).saveTableSettings;
}

/** Everything stored for a user: "nothing written" means this did not change. */
async function storedRows(userId: string) {
  return (
    await db().query(
      `SELECT table_name, columns, page_size, dispute_order_field, dispute_order_direction,
              version, updated_at
         FROM table_settings WHERE user_id = $1 ORDER BY table_name`,
      [userId],
    )
  ).rows;
}

describe('defaults (version 0) per role and table', () => {
  it.each([
    ['buyer with DISPUTE_CALLS', 'buyerA', BUYER_DISPUTES, BUYER_CALL_LOG],
    ['view-only manager', 'viewManager', MANAGER_DISPUTES, MANAGER_CALL_LOG],
    ['editing manager', 'editManager', MANAGER_DISPUTES, MANAGER_CALL_LOG],
  ] as const)('%s', async (_name, role, disputes, callLog) => {
    const { viewer } = await w.as[role].run(BothTableSettingsDocument, {});
    expect(viewer).toEqual({
      disputes: defaults('DISPUTES', [...disputes]),
      callLog: defaults('CALL_LOG', [...callLog]),
    });
  });

  it.each([
    ['buyer without DISPUTE_CALLS', 'buyerANoPerm', BUYER_CALL_LOG],
    ['manager without VIEW_DISPUTES', 'plainManager', MANAGER_CALL_LOG],
  ] as const)('%s: CALL_LOG only', async (_name, role, callLog) => {
    expect(await read(w.as[role], 'CALL_LOG')).toEqual(defaults('CALL_LOG', [...callLog]));
  });
});

describe('saving and resetting', () => {
  it('stores the choice, counts versions, and a reset returns to the defaults', async () => {
    const u = await freshUser('BUYER', ['DISPUTE_CALLS']);
    const before = Date.now();
    const saved = await save(u.client, {
      table: 'DISPUTES',
      columns: ['CALL_ID', 'STATUS', 'PAYOUT', 'ORIGINAL_PAYOUT', 'CURRENCY'],
      pageSize: 50,
      disputeOrder: { field: 'CREATED_AT', direction: 'DESC' },
    });
    expect(saved).toMatchObject({
      table: 'DISPUTES',
      columns: ['CALL_ID', 'STATUS', 'PAYOUT', 'ORIGINAL_PAYOUT', 'CURRENCY'],
      pageSize: 50,
      disputeOrder: { field: 'CREATED_AT', direction: 'DESC' },
      version: 1,
    });
    expect(Date.parse(saved.updatedAt!)).toBeGreaterThanOrEqual(before - 1_000);
    // What the next device reads.
    expect(await read(u.client, 'DISPUTES')).toEqual(saved);
    // The other table is untouched.
    expect(await read(u.client, 'CALL_LOG')).toEqual(defaults('CALL_LOG', BUYER_CALL_LOG));

    // The direction defaults to ASC; a save without disputeOrder stores null.
    expect(
      await save(u.client, {
        table: 'DISPUTES',
        columns: ['STATUS'],
        pageSize: 10,
        disputeOrder: { field: 'PAYOUT' },
        expectedVersion: 1,
      }),
    ).toMatchObject({ disputeOrder: { field: 'PAYOUT', direction: 'ASC' }, version: 2 });
    const unordered = await save(u.client, {
      table: 'DISPUTES',
      columns: ['STATUS'],
      pageSize: 100,
    });
    expect(unordered).toMatchObject({ disputeOrder: null, pageSize: 100, version: 3 });
    expect((await storedRows(u.id))[0]).toMatchObject({
      dispute_order_field: null,
      dispute_order_direction: null,
    });

    const reset = (await u.client.run(ResetTableSettingsDocument, { table: 'DISPUTES' }))
      .resetTableSettings;
    expect(reset).toEqual({
      ...defaults('DISPUTES', BUYER_DISPUTES),
      version: 4,
      updatedAt: expect.any(String),
    });
    expect(await read(u.client, 'DISPUTES')).toEqual(reset);
    // Versions go on counting after a reset, and expectedVersion holds to them.
    expect(
      await save(u.client, {
        table: 'DISPUTES',
        columns: ['REASON'],
        pageSize: 20,
        expectedVersion: 4,
      }),
    ).toMatchObject({ columns: ['REASON'], version: 5 });
  });

  it('resets a table never saved to its defaults at version 1', async () => {
    const u = await freshUser('MANAGER', []);
    const reset = (await u.client.run(ResetTableSettingsDocument, { table: 'CALL_LOG' }))
      .resetTableSettings;
    expect(reset).toEqual({
      ...defaults('CALL_LOG', MANAGER_CALL_LOG),
      version: 1,
      updatedAt: expect.any(String),
    });
  });

  it('lets managers show BUYER and keeps one user’s settings from every other user', async () => {
    const m = await freshUser('MANAGER', ['VIEW_DISPUTES']);
    const other = await freshUser('MANAGER', ['VIEW_DISPUTES']);
    const saved = await save(m.client, {
      table: 'CALL_LOG',
      columns: ['BUYER', 'CAMPAIGN', 'HANGUP', 'CALL_ID'],
      pageSize: 40,
    });
    expect(saved.columns).toEqual(['BUYER', 'CAMPAIGN', 'HANGUP', 'CALL_ID']);
    expect(await read(other.client, 'CALL_LOG')).toEqual(defaults('CALL_LOG', MANAGER_CALL_LOG));
    // The other user's save writes its own row; the first one's stays as it was.
    await save(other.client, { table: 'CALL_LOG', columns: ['CALL_ID'], pageSize: 10 });
    expect(await read(m.client, 'CALL_LOG')).toEqual(saved);
  });

  it("shows a manager's saved BUYER column no more once the user is a buyer", async () => {
    const u = await freshUser('MANAGER', ['VIEW_DISPUTES']);
    await save(u.client, { table: 'DISPUTES', columns: ['BUYER', 'PAYOUT'], pageSize: 30 });
    await db().query(
      `UPDATE users SET role = 'BUYER', account_id = $2, permissions = '{DISPUTE_CALLS}' WHERE id = $1`,
      [u.id, w.ids.accountA],
    );
    expect(await read(u.client, 'DISPUTES')).toMatchObject({ columns: ['PAYOUT'], pageSize: 30 });
  });
});

describe('refusals name the field and write nothing', () => {
  const ALL_COLUMNS: TableColumn[] = [
    'STATUS',
    'CALL_DATE',
    'CALLER_ID',
    'DESTINATION',
    'PAYOUT',
    'ORIGINAL_PAYOUT',
    'CURRENCY',
    'REASON',
    'RECORDING',
    'BUYER',
    'CAMPAIGN',
    'DURATION',
    'HANGUP',
    'CREATED_AT',
    'REVIEW_DUE_AT',
    'DECISION',
    'ADJUSTMENT',
    'DECIDED_AT',
    'DISPUTABILITY',
    'DISPUTE_ID',
    'CALL_ID',
  ];
  const ok: SaveTableSettingsInput = { table: 'DISPUTES', columns: ['STATUS'], pageSize: 25 };
  const cases: [string, 'buyer' | 'manager', Partial<SaveTableSettingsInput>, string][] = [
    ['a column DISPUTES does not have', 'buyer', { columns: ['STATUS', 'DURATION'] }, 'columns'],
    [
      'a column CALL_LOG does not have',
      'manager',
      { table: 'CALL_LOG', columns: ['CALL_DATE', 'REASON'] },
      'columns',
    ],
    ['BUYER for a buyer (DISPUTES)', 'buyer', { columns: ['STATUS', 'BUYER'] }, 'columns'],
    ['BUYER for a buyer (CALL_LOG)', 'buyer', { table: 'CALL_LOG', columns: ['BUYER'] }, 'columns'],
    ['no column', 'buyer', { columns: [] }, 'columns'],
    ['21 columns', 'manager', { columns: ALL_COLUMNS }, 'columns'],
    [
      '21 columns, each allowed (some twice)',
      'manager',
      { columns: [...ALL_COLUMNS.slice(0, 18), 'STATUS', 'PAYOUT', 'REASON'] },
      'columns',
    ],
    ['a duplicate column', 'buyer', { columns: ['STATUS', 'PAYOUT', 'STATUS'] }, 'columns'],
    ['page size 9', 'buyer', { pageSize: 9 }, 'pageSize'],
    ['page size 101', 'buyer', { pageSize: 101 }, 'pageSize'],
    [
      'page size 0',
      'manager',
      { table: 'CALL_LOG', columns: ['CALL_ID'], pageSize: 0 },
      'pageSize',
    ],
    [
      'disputeOrder for CALL_LOG',
      'buyer',
      { table: 'CALL_LOG', columns: ['CALL_ID'], disputeOrder: { field: 'STATUS' } },
      'disputeOrder',
    ],
    ['a stale version (0 after a save)', 'buyer', { expectedVersion: 0 }, 'expectedVersion'],
    ['a version never reached', 'buyer', { expectedVersion: 7 }, 'expectedVersion'],
    ['a negative version', 'manager', { expectedVersion: -1 }, 'expectedVersion'],
  ];

  let buyer: Awaited<ReturnType<typeof freshUser>>;
  let manager: Awaited<ReturnType<typeof freshUser>>;
  beforeAll(async () => {
    buyer = await freshUser('BUYER', ['DISPUTE_CALLS']);
    manager = await freshUser('MANAGER', ['VIEW_DISPUTES']);
    // Both tables saved once each (version 1), so a stale version has a row to miss.
    for (const u of [buyer, manager]) {
      await save(u.client, { table: 'DISPUTES', columns: ['STATUS', 'PAYOUT'], pageSize: 20 });
      await save(u.client, { table: 'CALL_LOG', columns: ['CALL_ID'], pageSize: 20 });
    }
  });

  it.each(cases)('%s', async (_name, who, change, field) => {
    const u = who === 'buyer' ? buyer : manager;
    const before = await storedRows(u.id);
    const res = await u.client.raw(SaveTableSettingsDocument, { input: { ...ok, ...change } });
    expect(res.data).toBeNull();
    expect(res.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([
      ['BAD_USER_INPUT', field],
    ]);
    expect(res.errors![0]!.message).toMatch(new RegExp(`^${field}: `));
    expect(await storedRows(u.id)).toEqual(before);
  });
});

describe('DISPUTES needs the permission of the disputes query', () => {
  it.each(['buyerANoPerm', 'plainManager'] as const)(
    '%s: FORBIDDEN to read, save and reset DISPUTES; CALL_LOG works',
    async (role) => {
      const u = await freshUser(role === 'plainManager' ? 'MANAGER' : 'BUYER', []);
      const attempts = [
        await u.client.raw(TableSettingsDocument, { table: 'DISPUTES' }),
        await u.client.raw(SaveTableSettingsDocument, {
          input: { table: 'DISPUTES', columns: ['STATUS'], pageSize: 25 },
        }),
        // Refused before the input is read: a bad input is FORBIDDEN all the same.
        await u.client.raw(SaveTableSettingsDocument, {
          input: { table: 'DISPUTES', columns: [], pageSize: 1 },
        }),
        await u.client.raw(ResetTableSettingsDocument, { table: 'DISPUTES' }),
      ];
      expect(attempts.map((r) => r.errors?.map((e) => e.extensions?.code))).toEqual([
        ['FORBIDDEN'],
        ['FORBIDDEN'],
        ['FORBIDDEN'],
        ['FORBIDDEN'],
      ]);
      expect(await storedRows(u.id)).toEqual([]);
      expect(
        await save(u.client, { table: 'CALL_LOG', columns: ['CALL_ID'], pageSize: 10 }),
      ).toMatchObject({ version: 1 });
    },
  );

  it('refuses anonymous requests', async () => {
    expect(await w.as.anonymous.errorCode(TableSettingsDocument, { table: 'CALL_LOG' })).toBe(
      'UNAUTHENTICATED',
    );
    expect(
      await w.as.anonymous.errorCode(SaveTableSettingsDocument, {
        input: { table: 'CALL_LOG', columns: ['CALL_ID'], pageSize: 10 },
      }),
    ).toBe('UNAUTHENTICATED');
  });
});

describe('concurrent saves with the same expectedVersion', () => {
  /** `n` saves at once, each with its own page size, all expecting `version`. */
  async function race(client: Client, version: number, n = 10) {
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        client.raw(SaveTableSettingsDocument, {
          input: {
            table: 'CALL_LOG',
            columns: ['CALL_DATE', 'PAYOUT'],
            pageSize: 10 + i,
            expectedVersion: version,
          },
        }),
      ),
    );
    const won = results.filter((r) => !r.errors);
    const lost = results.filter((r) => r.errors);
    return { won, lost };
  }

  it('let exactly one land, the first save and a later one alike', async () => {
    const u = await freshUser('BUYER', ['DISPUTE_CALLS']);
    for (const version of [0, 1, 2]) {
      const { won, lost } = await race(u.client, version);
      expect(won).toHaveLength(1);
      expect(
        lost.map((r) => r.errors!.map((e) => [e.extensions?.code, e.extensions?.field])),
      ).toEqual(Array(9).fill([['BAD_USER_INPUT', 'expectedVersion']]));
      const winner = won[0]!.data!.saveTableSettings;
      expect(winner.version).toBe(version + 1);
      // The stored row is the winner's.
      const [row] = await storedRows(u.id);
      expect(row).toMatchObject({ version: version + 1, page_size: winner.pageSize });
    }
  });
});
