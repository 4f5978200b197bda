import { getMetadataArgsStorage, type ValueTransformer } from 'typeorm';

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
 * How an entity's columns are read from raw rows, derived from its TypeORM decorators (the
 * column name, or the property's own; the column's transformer, e.g. bigintNumber): the
 * entity class is the one description of its table.
 */
export function fieldsOf(entity: abstract new () => unknown) {
  const fields = getMetadataArgsStorage()
    .columns.filter((c) => c.target === entity)
    .map((c) => {
      const transformer = c.options.transformer as ValueTransformer | undefined;
      return {
        property: c.propertyName,
        column: c.options.name ?? c.propertyName,
        read: transformer ? (v: unknown) => transformer.from(v) as unknown : undefined,
      };
    });
  if (!fields.length) throw new Error(`${entity.name} declares no columns`);
  return fields;
}

/** The columns of an entity's table, in declaration order: for `SELECT` lists. */
export function columnsOf(entity: abstract new () => unknown): string[] {
  return fieldsOf(entity).map((f) => f.column);
}

/**
 * Reads entities from raw rows without the query builder's hydration (the hot lists read many
 * rows each): columns named `${alias}_${column}`, as TypeORM names a selected alias's columns
 * and selectedColumns writes them, or by the column alone with an empty alias (`RETURNING *`).
 * `only` (names `alias.column`, from a page's column projection) limits the mapper to the
 * columns a query selected; the entity's other properties are then absent.
 */
export function rowMapper<E>(
  entity: abstract new () => E,
): (alias: string, only?: ReadonlySet<string>) => (row: Record<string, unknown>) => E {
  const fields = fieldsOf(entity);
  const prototype = entity.prototype as object;
  const build = (alias: string, only: ReadonlySet<string> | undefined) => {
    const named = fields
      .filter((f) => !only || only.has(`${alias}.${f.column}`))
      .map((f) => ({ ...f, name: alias ? `${alias}_${f.column}` : f.column }));
    return (row: Record<string, unknown>): E => {
      // An instance of the entity's class (its constructor does nothing a row needs):
      // type-graphql copies every `@Root()` that is not one into a new instance, on every
      // field resolver call.
      const out = Object.create(prototype) as Record<string, unknown>;
      for (const f of named) out[f.property] = f.read ? f.read(row[f.name]) : row[f.name];
      return out as E;
    };
  };
  // Built once per alias (and per projection): request loaders ask for theirs on every request.
  const byAlias = new Map<string, (row: Record<string, unknown>) => E>();
  const projected = new WeakMap<
    ReadonlySet<string>,
    Map<string, (row: Record<string, unknown>) => E>
  >();
  return (alias, only) => {
    let mappers = byAlias;
    if (only) {
      mappers = projected.get(only) ?? new Map<string, (row: Record<string, unknown>) => E>();
      if (!projected.has(only)) projected.set(only, mappers);
    }
    let mapper = mappers.get(alias);
    if (!mapper) {
      mapper = build(alias, only);
      mappers.set(alias, mapper);
    }
    return mapper;
  };
}
