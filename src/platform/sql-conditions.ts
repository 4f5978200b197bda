import type { DataSource } from 'typeorm';

/** The SQL conditions that need no evaluating: TRUE adds nothing to a WHERE clause. */
export const TRUE = 'TRUE';
export const FALSE = 'FALSE';

/** Binds a value into the SQL being built and returns its placeholder. */
export type Bind = (value: unknown) => string;

/** pg's positional parameters: appends to `params` and answers `$n`. */
export function positional(params: unknown[]): Bind {
  return (value) => {
    params.push(value);
    return `$${params.length}`;
  };
}

/**
 * The WHERE clause of a plain SQL read, with pg's positional parameters. Every list (and
 * `dispute(id)`) is read as SQL: building the hot pages with TypeORM's query builder cost more
 * than a tenth of a page's CPU.
 */
export class Conditions {
  readonly params: unknown[] = [];
  readonly bind: Bind = positional(this.params);
  private readonly parts: string[] = [];

  /** Adds a condition (`TRUE` adds nothing); its values go through `bind`. */
  and(sql: string): this {
    if (sql !== TRUE) this.parts.push(sql);
    return this;
  }

  /** `WHERE a AND b …`, or nothing. */
  get where(): string {
    return this.parts.length ? `WHERE (${this.parts.join(') AND (')})` : '';
  }

  /** Binds each value: `(a IN ${conditions.list(values)})` becomes `IN ($1, $2, …)`. */
  list(values: readonly unknown[]): string {
    return `(${values.map((v) => this.bind(v)).join(', ')})`;
  }
}

/** How many rows of `from` (a table and its alias, `disputes d`) meet `where`. */
export async function countRows(ds: DataSource, from: string, where: Conditions): Promise<number> {
  const [row] = (await ds.query(
    `SELECT count(*) AS n FROM ${from} ${where.where}`,
    where.params,
  )) as {
    n: string;
  }[];
  return Number(row?.n ?? 0);
}
