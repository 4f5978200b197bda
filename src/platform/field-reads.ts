import { fieldsOf } from './columns';

/**
 * What each GraphQL field reads of the rows a list page joins, declared once, next to the field:
 *
 * - a field of a type bound to an entity (`bindRows`, beside the GraphQL type) whose name is a
 *   property of the entity reads that property's column, derived from the entity's TypeORM
 *   decorators;
 * - a field resolver declares what it reads with `@Reads(type, { self: [...], account: [...] })`
 *   beside its `@FieldResolver`: columns of its own row (`self`) and of the rows related to it
 *   that list pages join, by relation name (a call's `account` and `campaign`, a dispute's
 *   `account`); `@Reads(type)` says it reads nothing of them (it loads what it shows by id).
 *
 * A page (column-projection.ts) maps each type it joins to its aliases and reads only the
 * columns the operation's fields read; a field of a joined type with neither declaration makes
 * it read every column, and test/unit/field-reads.test.ts fails for it.
 */

/** Columns by relation: `self` is the field's own row. */
export type FieldReads = Readonly<Record<string, readonly string[]>>;

const declared = new Map<string, FieldReads>();
const bound = new Map<string, ReadonlyMap<string, string>>();

const key = (type: string, field: string) => `${type}.${field}`;

/** Declares what a field resolver of `type` reads (see above). */
export function Reads(type: string, reads: FieldReads = {}) {
  return (_target: object, property: string | symbol): void => {
    declared.set(key(type, String(property)), reads);
  };
}

/** The GraphQL `type` is built from rows of `entity`: its same-named fields read their column. */
export function bindRows(type: string, entity: abstract new () => unknown): void {
  bound.set(type, new Map(fieldsOf(entity).map((f) => [f.property, f.column])));
}

/** What `type.field` reads, or undefined when nothing declares it. */
export function readsOf(type: string, field: string): FieldReads | undefined {
  const explicit = declared.get(key(type, field));
  if (explicit) return explicit;
  const column = bound.get(type)?.get(field);
  return column === undefined ? undefined : { self: [column] };
}

/** Whether a field resolver of `type` declared what it reads (every one of a bound type must). */
export function hasDeclaredReads(type: string, field: string): boolean {
  return declared.has(key(type, field));
}

/** The GraphQL types bound to entities. */
export function boundTypes(): string[] {
  return [...bound.keys()];
}
