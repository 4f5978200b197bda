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

/** A value now, or the promise of it. */
export type Now<T> = T | Promise<T>;

/** `fn` of a value that may still be a promise: at once when it is not. */
export function whenReady<T, R>(value: Now<T>, fn: (v: T) => R): Now<R> {
  return value instanceof Promise ? value.then(fn) : fn(value);
}

/** `fn` of several values that may still be promises (awaited together): at once when none is. */
export function whenAllReady<T extends readonly unknown[], R>(
  values: { [K in keyof T]: Now<T[K]> },
  fn: (...v: T) => R,
): Now<R> {
  return values.some((v) => v instanceof Promise)
    ? Promise.all(values).then((v) => fn(...(v as unknown as T)))
    : fn(...(values as unknown as T));
}

/**
 * A DataLoader of rows by id that also answers at once (`row`) for the rows this request
 * already holds: those a page query primed and those loaded before. A page's calls, campaigns
 * and buyers come with the page, so their fields resolve without a promise each.
 */
export class RowLoader<T extends { id: string }> extends DataLoader<string, T | null> {
  /** Rows this request holds: primed by a page, or loaded before. */
  private readonly held: Map<string, T>;

  constructor(batch: (ids: readonly string[]) => Promise<(T | null)[]>) {
    const held = new Map<string, T>();
    super(async (ids) => {
      const rows = await batch(ids);
      for (const row of rows) if (row) held.set(row.id, row);
      return rows;
    });
    this.held = held;
  }

  /** The row at once if this request holds it, else the loader's promise. */
  row(id: string): Now<T | null> {
    return this.held.get(id) ?? super.load(id);
  }

  override load(id: string): Promise<T | null> {
    const row = this.held.get(id);
    return row ? Promise.resolve(row) : super.load(id);
  }

  override prime(id: string, value: T | null | PromiseLike<T | null> | Error): this {
    if (value && !(value instanceof Error) && !('then' in value)) {
      this.held.set(id, value);
      return this;
    }
    return super.prime(id, value);
  }

  override clear(id: string): this {
    this.held.delete(id);
    return super.clear(id);
  }

  override clearAll(): this {
    this.held.clear();
    return super.clearAll();
  }
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
): RowLoader<T> {
  const sql = `SELECT ${columns.join(', ')} FROM ${table} WHERE id = ANY ($1::uuid[])`;
  return new RowLoader(async (ids) => {
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
