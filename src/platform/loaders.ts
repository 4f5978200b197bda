import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';

/** Rows by id, in key order, null for a missing one. */
export function byIdLoader<T extends { id: string }>(
  ds: DataSource,
  entity: new () => T,
): DataLoader<string, T | null> {
  return new DataLoader(async (ids) => {
    const rows = await ds.getRepository(entity).findBy({ id: In([...ids]) } as never);
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

/**
 * Rows by id, in key order, null for a missing one: one plain statement, each row built by
 * `map` (no query builder, no hydration). `columns` are selected by name.
 */
export function sqlByIdLoader<T extends { id: string }>(
  ds: DataSource,
  table: string,
  columns: readonly string[],
  map: (row: Record<string, unknown>) => T,
): DataLoader<string, T | null> {
  const sql = `SELECT ${columns.join(', ')} FROM ${table} WHERE id = ANY ($1::uuid[])`;
  return new DataLoader(async (ids) => {
    const rows = (await ds.query(sql, [ids])) as Record<string, unknown>[];
    const byId = new Map<string, T>();
    for (const row of rows) {
      const item = map(row);
      byId.set(item.id, item);
    }
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** Lists of rows grouped by a foreign key, in key order. */
export function groupLoader<T>(
  load: (keys: string[]) => Promise<T[]>,
  keyOf: (row: T) => string,
): DataLoader<string, T[]> {
  return new DataLoader(async (keys) => {
    const rows = await load([...keys]);
    const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
    for (const row of rows) groups.get(keyOf(row))?.push(row);
    return keys.map((k) => groups.get(k) ?? []);
  });
}
