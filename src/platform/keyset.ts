import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { decodeCursor, encodeCursor, type Page } from './pagination';
import type { Bind, Conditions } from './sql-conditions';
import { prepared } from './prepared-statements';

export interface SortKey<T> {
  /** SQL expression of the column, e.g. `d.created_at`. */
  sql: string;
  /**
   * The column it reads, `alias.column` (`(-d.status_rank)` reads `d.status_rank`): a page that
   * selects only what it shows selects it too, since cursors are built from the rows.
   */
  column: string;
  dir: 'ASC' | 'DESC';
  /** The key's value on a loaded row (or its raw SQL row), as it goes into a cursor. */
  value: (row: T, raw: Record<string, unknown>) => string | number;
  /**
   * What a cursor may hold for this key, and the query parameter it becomes. Cursors come
   * back from clients, so each value is checked here before it reaches SQL.
   */
  cursor: z.ZodType<unknown, string | number>;
  /** The SQL type of `sql`, which a cursor value is cast to (afterCursorSql). */
  type: 'timestamptz' | 'uuid' | 'smallint' | 'bigint';
}

/**
 * Exactly what `toISOString()` writes for years 0001 to 9999 (PostgreSQL reads those; JavaScript
 * rolls "2024-02-31" over to March), so a forged date cannot pass or fail inside SQL.
 */
const instant = z
  .string()
  .regex(/^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
  .refine((s) => {
    const d = new Date(s);
    return !Number.isNaN(d.getTime()) && d.toISOString() === s;
  })
  .transform((s) => new Date(s));

/** The one column a key's SQL expression reads. */
const columnIn = (sql: string): string => /[a-z_]+\.[a-z_]+/.exec(sql)?.[0] ?? sql;

// The other keys' cursor schemas, built once: pages build their keys on every request.
const UUID = z.guid();
const SMALLINT = z.number().int().min(-32768).max(32767);
const BIGINT = z
  .number()
  .int()
  .refine(Number.isSafeInteger)
  .transform((n) => String(n));

/** A `timestamptz` column; the cursor holds its ISO-8601 instant. */
export const dateKey = <T>(sql: string, dir: 'ASC' | 'DESC', get: (r: T) => Date): SortKey<T> => ({
  sql,
  column: columnIn(sql),
  dir,
  value: (r) => get(r).toISOString(),
  cursor: instant,
  type: 'timestamptz',
});

/** A `uuid` column (the unique tie-breaker of most orderings). */
export const uuidKey = <T>(
  sql: string,
  dir: 'ASC' | 'DESC',
  get: (r: T) => string,
): SortKey<T> => ({
  sql,
  column: columnIn(sql),
  dir,
  value: (r) => get(r),
  cursor: UUID,
  type: 'uuid',
});

/** A `smallint` column: a value out of its range would fail inside SQL, so it fails here. */
export const smallintKey = <T>(
  sql: string,
  dir: 'ASC' | 'DESC',
  get: (r: T) => number,
): SortKey<T> => ({
  sql,
  column: columnIn(sql),
  dir,
  value: (r) => get(r),
  cursor: SMALLINT,
  type: 'smallint',
});

/** A `bigint` column read from the raw row (node-postgres gives bigint as text). */
export const bigintKey = <T>(
  sql: string,
  dir: 'ASC' | 'DESC',
  get: (r: T, raw: Record<string, unknown>) => number,
): SortKey<T> => ({
  sql,
  column: columnIn(sql),
  dir,
  value: get,
  cursor: BIGINT,
  type: 'bigint',
});

/**
 * Newest first, ties broken by id: the order of the Call Log, notifications and the disputes
 * within a status. `alias` names the row's table in the query (`c`, `n`, `d`).
 */
export const newestFirst = <T extends { id: string }>(
  alias: string,
  timeColumn: string,
  get: (r: T) => Date,
): SortKey<T>[] => [
  dateKey(`${alias}.${timeColumn}`, 'DESC', get),
  uuidKey(`${alias}.id`, 'DESC', (r) => r.id),
];

/**
 * Rows strictly after the cursor's `values` in the order of `keys`, as one condition. Consecutive
 * keys of one direction compare as one row, `(k1, k2) < ($1, $2)`: PostgreSQL starts the index
 * scan at the cursor (spelled out as ORs it scans every row before the cursor and filters it out,
 * so a page 1,000 deep cost 1,000 times page 1). Mixed directions expand to
 * (k1 > v1) OR (k1 = v1 AND (k2, k3) < (v2, v3)) OR ..., one term per run of one direction.
 *
 * With `opaque` (a named statement's), each value is a one-row subquery, `(SELECT $2::uuid)`,
 * which the index scan still starts at. PostgreSQL then estimates the cursor alike in the plan
 * made for each run's values and in the generic one, so the generic plan costs no more and a deep
 * page is planned once, as page 1 is. Given the values, it estimates most of the rows to lie past
 * the cursor, so a `LIMIT 51` looks cheaper than in the generic plan; it then planned every page
 * past the first anew, and a page 1,000 deep took 1.6 times page 1 in PostgreSQL.
 */
function afterCursorSql<T>(
  keys: SortKey<T>[],
  values: unknown[],
  bind: Bind,
  opaque: boolean,
): string {
  const runs: { dir: 'ASC' | 'DESC'; cols: string[]; vals: string[] }[] = [];
  keys.forEach((k, i) => {
    const last = runs[runs.length - 1];
    const run = last?.dir === k.dir ? last : { dir: k.dir, cols: [], vals: [] };
    if (run !== last) runs.push(run);
    run.cols.push(k.sql);
    const param = bind(values[i]);
    run.vals.push(opaque ? `(SELECT ${param}::${k.type})` : param);
  });
  const tuple = (xs: string[]) => (xs.length === 1 ? xs.join('') : `(${xs.join(', ')})`);
  const cmp = (run: (typeof runs)[number], op: string) =>
    `${tuple(run.cols)} ${op} ${tuple(run.vals)}`;
  const ors = runs.map((run, r) => {
    const ands = runs.slice(0, r).map((prev) => cmp(prev, '='));
    ands.push(cmp(run, run.dir === 'ASC' ? '>' : '<'));
    return `(${ands.join(' AND ')})`;
  });
  // Mixed directions stay an OR; the bound on the first run (implied by it) still lets the
  // index scan start at the cursor's first run instead of at the top.
  const [head] = runs;
  const bound =
    head && runs.length > 1 ? `${cmp(head, head.dir === 'ASC' ? '>=' : '<=')} AND ` : '';
  return `(${bound}(${ors.join(' OR ')}))`;
}

/** The page's items, whether there is more, and cursors built on demand from the raw rows. */
function pageOf<T>(
  rows: Record<string, unknown>[],
  entities: T[],
  opts: {
    tag: string;
    keys: SortKey<T>[];
    first: number;
    after?: string | null;
    count: () => Promise<number>;
  },
): Page<T> {
  const { tag, keys, first, after } = opts;
  // Built on the first cursor asked for: most pages show one (endCursor).
  let rawOf: Map<T, Record<string, unknown>> | undefined;
  return {
    items: entities.slice(0, first),
    hasNextPage: entities.length > first,
    hasPreviousPage: Boolean(after),
    cursorOf: (row) => {
      rawOf ??= new Map(entities.map((e, i) => [e, rows[i] ?? {}]));
      const values = keys.map((k) => k.value(row, rawOf?.get(row) ?? {}));
      return encodeCursor(tag, values);
    },
    totalCount: opts.count,
  };
}

const cursorValues = <T>(tag: string, after: string, keys: SortKey<T>[]) =>
  decodeCursor(
    tag,
    after,
    keys.map((k) => k.cursor),
  );

/**
 * Keyset pagination over a total order (the last key must be unique): rows strictly after
 * the cursor, so pages stay correct while rows are inserted. Every list is read as plain SQL:
 * `select` is everything before WHERE (`SELECT … FROM … JOIN …`), `conditions` the list's
 * filters; the cursor, the order and the limit are added here. One statement, through the
 * data source (so it is counted and logged like every other).
 */
export async function keysetSqlPage<T>(opts: {
  ds: DataSource;
  select: string;
  conditions: Conditions;
  tag: string;
  keys: SortKey<T>[];
  first: number;
  after?: string | null;
  count: () => Promise<number>;
  fromRaw: (raw: Record<string, unknown>) => T;
  /** Sent as a named statement (prepared-statements.ts): the hot pages. */
  prepared?: boolean;
}): Promise<Page<T>> {
  const { conditions: where, tag, keys, first, after } = opts;
  // One read per alternative is left unnamed: a plan made once for any search text would be made
  // without knowing how many rows it matches.
  const named = opts.prepared === true && where.branches.length === 1;
  if (after) where.and(afterCursorSql(keys, cursorValues(tag, after, keys), where.bind, named));
  const order = keys.map((k) => `${k.sql} ${k.dir}`).join(', ');
  // The limit is written into the text: with it a parameter, PostgreSQL plans a named statement
  // (prepared-statements.ts) for each run's values instead of once.
  if (!Number.isSafeInteger(first) || first < 1) throw new Error(`first is ${first}`);
  const limit = String(first + 1);
  const branches = where.branches;
  // Alternatives (Conditions.anyOf): the first rows of each, in order, then the first of them
  // all; the same row read by two alternatives is one row of the union. The outer order names
  // the selected columns (`d.created_at AS d_created_at`), which include every key's.
  const sql =
    branches.length > 1
      ? `SELECT * FROM (${branches
          .map((b) => `(${opts.select} ${b} ORDER BY ${order} LIMIT ${limit})`)
          .join(' UNION ')}) page ORDER BY ${keys
          .map((k) => `${k.sql.replace(/\b([a-z]+)\.([a-z_]+)\b/g, '$1_$2')} ${k.dir}`)
          .join(', ')} LIMIT ${limit}`
      : `${opts.select} ${where.where} ORDER BY ${order} LIMIT ${limit}`;
  const text = named ? prepared(sql) : sql;
  const raw = (await opts.ds.query(text, where.params)) as Record<string, unknown>[];
  return pageOf(raw, raw.map(opts.fromRaw), opts);
}
