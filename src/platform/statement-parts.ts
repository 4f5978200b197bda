/**
 * Writes of several features as one statement: each feature writes its part with its own `$1…`,
 * and `oneStatement` runs every `write` as a query of one WITH and selects every `select`.
 * PostgreSQL runs them all or none, on one snapshot, in one round trip; a write therefore cannot
 * read another part's rows (none of them does: each writes rows of its own). The fan-out of a
 * dispute event (disputes/dispute-fan-out.ts) sends its steps this way; sent as a statement
 * each, their round trips held createDispute back most (BENCHMARKS.md).
 */
export interface StatementPart {
  /**
   * A data-modifying statement (`INSERT …`), with `RETURNING` when `select` reads its rows.
   * PostgreSQL runs a data-modifying WITH query whether or not the statement reads it.
   */
  readonly write?: string;
  /**
   * An expression the statement selects (`pg_notify(…)`), given the name by which it reads the
   * rows `write` returns.
   */
  readonly select?: (written: string) => string;
  /** The values of `$1…` in `write` and `select`, numbered within the part. */
  readonly params: readonly unknown[];
}

/**
 * A quoted literal or identifier (left as it is), or a parameter `$n` (its number captured).
 * Parts write standard strings only: no `E'…'` escapes, no dollar quoting.
 */
const QUOTED_OR_PARAMETER = /'(?:[^']|'')*'|"(?:[^"]|"")*"|\$(\d+)\b/g;

/** `sql` with each parameter outside quotes numbered `by` higher. */
function shifted(sql: string, by: number): string {
  if (by === 0) return sql;
  return sql.replace(QUOTED_OR_PARAMETER, (match, n: string | undefined) =>
    n === undefined ? match : `$${Number(n) + by}`,
  );
}

/** The parts as one statement and its parameters; null when there is no part. */
export function oneStatement(
  parts: readonly (StatementPart | null)[],
): { sql: string; params: unknown[] } | null {
  const withs: string[] = [];
  const selects: string[] = [];
  const params: unknown[] = [];
  for (const [i, part] of parts.entries()) {
    if (!part) continue;
    const name = `part_${i + 1}`;
    if (part.write) withs.push(`${name} AS (${shifted(part.write, params.length)})`);
    if (part.select) selects.push(shifted(part.select(name), params.length));
    params.push(...part.params);
  }
  if (!withs.length && !selects.length) return null;
  const head = withs.length ? `WITH ${withs.join(',\n     ')}\n` : '';
  return { sql: `${head}SELECT ${selects.length ? selects.join(', ') : 'NULL'}`, params };
}
