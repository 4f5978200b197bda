import type { ValueTransformer } from 'typeorm';

/** PostgreSQL bigint arrives as a string; minor units stay far below 2^53, so a number is exact. */
export const bigintNumber: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};

/**
 * A select list naming each column `${alias}_${column}`, as TypeORM names a selected alias's
 * columns in raw rows, so one row mapper reads both.
 */
export function selectedColumns(alias: string, columns: readonly string[]): string[] {
  return columns.map((c) => `${alias}.${c} AS ${alias}_${c}`);
}

/**
 * Each column's name in a raw row where `alias` was selected (see selectedColumns); with an
 * empty alias, the column's own name (a plain `SELECT id, name FROM ...`).
 */
export function rawNames<C extends string>(
  alias: string,
  columns: readonly C[],
): Record<C, string> {
  return Object.fromEntries(columns.map((c) => [c, alias ? `${alias}_${c}` : c])) as Record<
    C,
    string
  >;
}
