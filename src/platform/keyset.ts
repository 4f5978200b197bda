import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { decodeCursor, encodeCursor, type Page } from './pagination';

export interface SortKey<T> {
  /** SQL expression of the column, e.g. `d.created_at`. */
  sql: string;
  dir: 'ASC' | 'DESC';
  /** The key's value on a loaded row (or its raw SQL row), as it goes into a cursor. */
  value: (row: T, raw: Record<string, unknown>) => string | number;
  /** Turns a cursor value back into a query parameter. */
  parse?: (v: string | number) => unknown;
}

const asDate = (v: string | number) => new Date(v);
export const dateKey = <T>(sql: string, dir: 'ASC' | 'DESC', get: (r: T) => Date): SortKey<T> => ({
  sql,
  dir,
  value: (r) => get(r).toISOString(),
  parse: asDate,
});

/**
 * Keyset pagination over a total order (the last key must be unique): rows strictly after
 * the cursor, so pages stay correct while rows are inserted. Mixed directions expand to
 * (k1 > v1) OR (k1 = v1 AND k2 < v2) OR ...
 */
export async function keysetPage<T extends ObjectLiteral>(opts: {
  qb: SelectQueryBuilder<T>;
  tag: string;
  keys: SortKey<T>[];
  first: number;
  after?: string | null;
  count: () => Promise<number>;
}): Promise<Page<T>> {
  const { qb, tag, keys, first, after } = opts;
  if (after) {
    const values = decodeCursor(tag, after, keys.length);
    const params: Record<string, unknown> = {};
    const ors = keys.map((key, i) => {
      const ands = keys.slice(0, i).map((k, j) => `${k.sql} = :ks${j}`);
      ands.push(`${key.sql} ${key.dir === 'ASC' ? '>' : '<'} :ks${i}`);
      return `(${ands.join(' AND ')})`;
    });
    keys.forEach((k, i) => {
      const raw = values[i] as string | number;
      params[`ks${i}`] = k.parse ? k.parse(raw) : raw;
    });
    qb.andWhere(`(${ors.join(' OR ')})`, params);
  }
  keys.forEach((k, i) => (i === 0 ? qb.orderBy(k.sql, k.dir) : qb.addOrderBy(k.sql, k.dir)));
  const { entities, raw } = await qb.limit(first + 1).getRawAndEntities();
  const rawOf = new Map(entities.map((e, i) => [e, (raw[i] ?? {}) as Record<string, unknown>]));
  return {
    items: entities.slice(0, first),
    hasNextPage: entities.length > first,
    hasPreviousPage: Boolean(after),
    cursorOf: (row) =>
      encodeCursor(
        tag,
        keys.map((k) => k.value(row, rawOf.get(row) ?? {})),
      ),
    totalCount: opts.count,
  };
}
