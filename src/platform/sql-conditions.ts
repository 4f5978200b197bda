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
  private alternatives: readonly string[] = [];

  /** Adds a condition (`TRUE` adds nothing); its values go through `bind`. */
  and(sql: string): this {
    if (sql !== TRUE) this.parts.push(sql);
    return this;
  }

  /**
   * Adds "at least one of `alternatives`" (once per Conditions). Lists and counts read it as the
   * union of one read per alternative (`branches`), each served by an index of its own: as one
   * `a OR b` over different tables, PostgreSQL tests every row against both.
   */
  anyOf(alternatives: readonly string[]): this {
    if (this.alternatives.length) throw new Error('anyOf is given once per set of conditions.');
    this.alternatives = alternatives;
    return this;
  }

  /** `WHERE a AND b …` (the alternatives as one OR), or nothing. */
  get where(): string {
    const parts = this.alternatives.length
      ? [...this.parts, this.alternatives.map((a) => `(${a})`).join(' OR ')]
      : this.parts;
    return parts.length ? `WHERE (${parts.join(') AND (')})` : '';
  }

  /** One WHERE clause per alternative, each with every other condition; one without any. */
  get branches(): string[] {
    if (this.alternatives.length < 2) return [this.where];
    return this.alternatives.map((a) => `WHERE (${[...this.parts, a].join(') AND (')})`);
  }

  /** Binds each value: `(a IN ${conditions.list(values)})` becomes `IN ($1, $2, …)`. */
  list(values: readonly unknown[]): string {
    return `(${values.map((v) => this.bind(v)).join(', ')})`;
  }
}

/**
 * How many rows of `from` (a table and its alias, `disputes d`) meet `where`; with alternatives
 * (Conditions.anyOf), the distinct `key`s (`d.id`) of one read per alternative.
 */
export async function countRows(
  ds: DataSource,
  from: string,
  where: Conditions,
  key?: string,
): Promise<number> {
  const branches = where.branches;
  if (branches.length > 1 && !key) throw new Error('Counting alternatives needs the row key.');
  const sql =
    branches.length > 1
      ? `SELECT count(*) AS n FROM (${branches.map((b) => `SELECT ${key} FROM ${from} ${b}`).join(' UNION ')}) matched`
      : `SELECT count(*) AS n FROM ${from} ${where.where}`;
  const [row] = (await ds.query(sql, where.params)) as { n: string }[];
  return Number(row?.n ?? 0);
}
