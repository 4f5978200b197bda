import 'reflect-metadata';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { keysetSqlPage, newestFirst, smallintKey } from '../../src/platform/keyset';
import { encodeCursor } from '../../src/platform/pagination';
import { namePreparedStatements } from '../../src/platform/prepared-statements';
import { Conditions } from '../../src/platform/sql-conditions';
import { readTestEnv } from '../support/services';

/*
 * How PostgreSQL plans a named page (src/platform/keyset.ts, prepared-statements.ts): after five
 * runs it keeps one plan for any values when that plan costs no more than those made for each
 * run's. A page past the first must get there too: with the cursor's values known, PostgreSQL
 * estimates most rows to lie past it, finds `LIMIT 51` cheaper than in the generic plan, and
 * planned a page 1,000 deep anew on every run (1.6 times page 1 in PostgreSQL at 1,000,000
 * calls). The table has the shape of the manager's PENDING page: a status filter, a rank and the
 * newest first, one index over the three keys, the cursor a tenth of the way down.
 */

interface Item {
  id: string;
  statusRank: number;
  createdAt: Date;
}

const ROWS = 40_000;
const DEPTH = 4_000;
const KEYS = [
  smallintKey<Item>('(-i.status_rank)', 'DESC', (r) => -r.statusRank),
  ...newestFirst<Item>('i', 'created_at', (r) => r.createdAt),
];
const SELECT = `SELECT i.id AS i_id, i.status_rank AS i_status_rank, i.created_at AS i_created_at
  FROM items i`;

// One connection: its temporary table and its named statements are the test's alone.
let pool: Pool;
const sent: string[] = [];
const ds = {
  query: async (text: string, params: unknown[]) => {
    sent.push(text);
    return (await pool.query(text, params)).rows;
  },
} as unknown as DataSource;

beforeAll(async () => {
  pool = new Pool({ connectionString: readTestEnv().databaseUrl, max: 1 });
  namePreparedStatements(pool);
  await pool.query(`CREATE TEMPORARY TABLE items (
    id uuid PRIMARY KEY, status text NOT NULL, status_rank smallint NOT NULL,
    created_at timestamptz NOT NULL)`);
  await pool.query(
    `INSERT INTO items
     SELECT gen_random_uuid(), (ARRAY['PENDING', 'ACCEPTED', 'REJECTED'])[1 + n % 3], n % 3,
            now() - n * interval '1 minute'
     FROM generate_series(1, $1) n`,
    [ROWS],
  );
  await pool.query(`CREATE INDEX ON items ((-status_rank), created_at, id)`);
  await pool.query(`ANALYZE items`);
}, 60_000);

afterAll(() => pool.end());

const page = (conditions: Conditions, after: string | null, prepared = true) =>
  keysetSqlPage<Item>({
    ds,
    select: SELECT,
    conditions,
    tag: 'plans',
    keys: KEYS,
    first: 50,
    after,
    prepared,
    count: () => Promise.resolve(0),
    fromRaw: (raw) => ({
      id: raw.i_id as string,
      statusRank: Number(raw.i_status_rank),
      createdAt: raw.i_created_at as Date,
    }),
  });

const pending = () => {
  const where = new Conditions();
  return where.and(`i.status IN ${where.list(['PENDING'])}`);
};

/** The ids of rows `offset` onwards of the PENDING list, read with OFFSET. */
async function expectedIds(offset: number) {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT id FROM items WHERE status = 'PENDING'
     ORDER BY (-status_rank) DESC, created_at DESC, id DESC OFFSET $1 LIMIT 50`,
    [offset],
  );
  return rows.map((r) => r.id);
}

async function cursorAt(offset: number) {
  const { rows } = await pool.query<{ r: number; at: Date; id: string }>(
    `SELECT -status_rank AS r, created_at AS at, id FROM items WHERE status = 'PENDING'
     ORDER BY (-status_rank) DESC, created_at DESC, id DESC OFFSET $1 LIMIT 1`,
    [offset - 1],
  );
  const [row] = rows;
  return encodeCursor('plans', [row!.r, row!.at.toISOString(), row!.id]);
}

it('plans page 1 and a page deep down once each, and reads the right rows', async () => {
  const deep = await cursorAt(DEPTH);
  sent.length = 0;
  for (let run = 0; run < 8; run++) {
    const first = await page(pending(), null);
    const later = await page(pending(), deep);
    expect(first.items.map((i) => i.id)).toEqual(await expectedIds(0));
    expect(later.items.map((i) => i.id)).toEqual(await expectedIds(DEPTH));
  }
  const [firstText, deepText] = sent.filter((t) => t.startsWith('SELECT i.id'));
  const { rows } = await pool.query<{ statement: string; generic: string; custom: string }>(
    `SELECT statement, generic_plans AS generic, custom_plans AS custom
     FROM pg_prepared_statements`,
  );
  const plans = (text: string | undefined) => {
    const row = rows.find((r) => r.statement === text);
    return row && { generic: Number(row.generic), custom: Number(row.custom) };
  };
  // Five plans for the first runs' values, then the generic one for the three runs after.
  expect(plans(firstText)).toEqual({ generic: 3, custom: 5 });
  expect(plans(deepText)).toEqual({ generic: 3, custom: 5 });
  // The cursor's values as one-row subqueries (keyset.ts, afterCursorSql).
  expect(deepText).toContain('(SELECT $2::smallint), (SELECT $3::timestamptz), (SELECT $4::uuid)');
});

it('leaves the cursor of an unnamed read as plain parameters, planned for its values', async () => {
  const deep = await cursorAt(DEPTH);
  sent.length = 0;
  const later = await page(pending(), deep, false);
  expect(later.items.map((i) => i.id)).toEqual(await expectedIds(DEPTH));
  expect(sent[0]).toContain('< ($2, $3, $4)');
  expect(sent[0]).not.toContain('(SELECT $');
});
