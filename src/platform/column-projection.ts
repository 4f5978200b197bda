import {
  getNamedType,
  isObjectType,
  Kind,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { selectedColumns } from './columns';
import type { Context } from './context';
import { readsOf } from './field-reads';
import type { Bind } from './sql-conditions';

/**
 * What a list page reads of its joined tables, field by field. A page of 50 rows read with
 * every column of four tables spends much of its database and parsing time on columns nothing
 * shows (a sixth of the API's CPU on the benchmark's pages, measured): the page's SELECT names
 * only the columns the operation's fields read.
 *
 * What a field reads is declared once, next to the field (field-reads.ts); a page says only
 * which of its aliases holds each type's rows. Safe by construction: a type the page joins has
 * its rows put into the request's loaders with only the selected columns, so the narrowing
 * happens only when every field of the whole operation (every root field, fragments spread,
 * `@include`/`@skip` ignored) has a declaration; any other field, anywhere in the operation,
 * reads every column. Fields of types the page does not join read nothing of their own rows,
 * which come whole from their own loaders (or are values their parent field built from what it
 * read), but what they declare they read of a related row the page joins is read: that row may
 * be the one the page put into the request's loaders.
 */
export interface ColumnNeeds {
  /** Read whatever the operation shows (`alias.column`): ids, foreign keys, sort keys. */
  always: readonly string[];
  /**
   * Per GraphQL type whose rows the page reads: the alias of its own row (`self`) and of each
   * row related to it that the page joins, by the relation names of field-reads.ts.
   */
  joins: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Columns a field reads on this page only (`Type.field` → `alias.column`): page extras. */
  extra?: Readonly<Record<string, readonly string[]>>;
  /** Joins made only for operations that show what they read (see OptionalJoin). */
  optional?: readonly OptionalJoin[];
}

/**
 * A row at most one per row of the page (a dispute's author, a call's duplicate) that a field
 * resolver would otherwise load by id in a statement of its own: when the operation selects
 * one of `fields`, the page joins it and puts it into the request's loaders, so the page costs
 * one statement less. Its columns are read whole (its rows go into a loader as they are), and
 * only then: an operation that does not show it pays nothing for it.
 */
export interface OptionalJoin {
  /** The fields (`Type.field`, of any type, anywhere in the operation) that read the row. */
  fields: readonly string[];
  /** Its columns, `alias.column` and its select entry (tableColumns). */
  columns: readonly PageColumn[];
  /** The join, after the page's own (`LEFT JOIN users cu ON cu.id = d.created_by`). */
  sql(bind: Bind, ctx: Context): string;
  /** Puts what it read of one of the page's raw rows into the request's loaders. */
  prime(raw: Record<string, unknown>, ctx: Context): void;
}

/**
 * The aliases of the rows a page puts into the request's loaders, by the relation names of
 * field-reads.ts (`account` → `acc`): every relation a joined type names.
 */
function relationAliases(needs: ColumnNeeds): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const relations of Object.values(needs.joins)) {
    for (const [relation, alias] of Object.entries(relations)) {
      if (relation === 'self') continue;
      let aliases = out.get(relation);
      if (!aliases) out.set(relation, (aliases = new Set()));
      aliases.add(alias);
    }
  }
  return out;
}

/** The columns `type.field` reads on a page, or null when the field has no declaration. */
function fieldColumns(
  needs: ColumnNeeds,
  related: ReadonlyMap<string, ReadonlySet<string>>,
  type: string,
  field: string,
): readonly string[] | null {
  const joined = needs.joins[type];
  const reads = readsOf(type, field);
  if (!joined) {
    // Rows of a type the page does not read come whole from their own loaders; what such a
    // field reads of a related row, though, may come from a row the page put into the
    // request's loaders (a dispute's decision on the Call Log reads its account's currency
    // from the account the page read with the call): those columns are read.
    const out: string[] = [];
    for (const [relation, columns] of Object.entries(reads ?? {})) {
      for (const alias of related.get(relation) ?? []) {
        for (const c of columns) out.push(`${alias}.${c}`);
      }
    }
    return out;
  }
  if (!reads) return null;
  const out: string[] = [...(needs.extra?.[`${type}.${field}`] ?? [])];
  for (const [relation, columns] of Object.entries(reads)) {
    const alias = joined[relation];
    if (!alias) {
      throw new Error(`${type}.${field} reads "${relation}", which this page does not join`);
    }
    for (const c of columns) out.push(`${alias}.${c}`);
  }
  return out;
}

/** A column a page can read: its name in ColumnNeeds (`alias.column`) and its select entry. */
export type PageColumn = readonly [name: string, select: string];

/** Each column of a table as selectedColumns selects it: `alias.column AS alias_column`. */
export function tableColumns(alias: string, columns: readonly string[]): PageColumn[] {
  const selected = selectedColumns(alias, columns);
  return columns.map((c, i) => [`${alias}.${c}`, selected[i]!]);
}

/** What one page query selects. */
export interface Selected {
  /** The select entries, in the full list's order, then those of the optional joins made. */
  list: string;
  /** The names of the columns selected (for rowMapper); undefined when it is every column. */
  only: ReadonlySet<string> | undefined;
  /** The optional joins the operation needs (none when it reads every column). */
  joins: readonly OptionalJoin[];
}

/** The select list of one page query, narrowed per operation. */
export interface PageColumns {
  /**
   * What the operation of `info` needs, with `extra` (names, e.g. the order's sort keys);
   * every column when `info` is absent or the operation has a field the needs do not list.
   */
  select(info: GraphQLResolveInfo | undefined, extra?: readonly string[]): Selected;
}

/** `all`: every column the page can read. */
export function pageColumns(all: readonly PageColumn[], needs: ColumnNeeds): PageColumns {
  const optional = needs.optional ?? [];
  const names = new Set([...all, ...optional.flatMap((j) => j.columns)].map(([name]) => name));
  const related = relationAliases(needs);
  const check = (columns: Iterable<string>) => {
    const unknown = [...columns].filter((c) => !names.has(c));
    if (unknown.length) throw new Error(`not columns of this page: ${unknown.join(', ')}`);
  };
  check(needs.always);
  check(Object.values(needs.extra ?? {}).flat());
  const everything: Selected = {
    list: all.map(([, select]) => select).join(', '),
    only: undefined,
    joins: [],
  };
  // Per operation (Apollo keeps one parsed document per query text): what its fields read, or
  // null for "everything", and the selections built from it.
  const byOperation = new WeakMap<
    OperationDefinitionNode,
    { shown: Shown | null; selections: Map<string, Selected> }
  >();
  return {
    select(info, extra = []) {
      if (!info) return everything;
      let entry = byOperation.get(info.operation);
      if (!entry) {
        entry = { shown: shownColumns(info, needs, related), selections: new Map() };
        byOperation.set(info.operation, entry);
      }
      const { shown, selections } = entry;
      if (!shown) return everything;
      const key = extra.join(',');
      let selected = selections.get(key);
      if (!selected) {
        check(extra);
        check(shown.columns);
        const joins = optional.filter((j) => j.fields.some((f) => shown.fields.has(f)));
        const only = new Set([...needs.always, ...shown.columns, ...extra]);
        const columns = [
          ...all.filter(([name]) => only.has(name)),
          ...joins.flatMap((j) => j.columns),
        ];
        for (const [name] of columns) only.add(name);
        selected = { list: columns.map(([, select]) => select).join(', '), only, joins };
        selections.set(key, selected);
      }
      return selected;
    },
  };
}

/** What an operation shows: the columns its fields read, and the fields (`Type.field`). */
interface Shown {
  columns: Set<string>;
  fields: Set<string>;
}

/** What the operation's fields read, or null when a field is not in `needs`. */
function shownColumns(
  info: GraphQLResolveInfo,
  needs: ColumnNeeds,
  related: ReadonlyMap<string, ReadonlySet<string>>,
): Shown | null {
  const root = info.schema.getRootType(info.operation.operation);
  if (!root) return null;
  const out = new Set<string>();
  const fields = new Set<string>();
  const walked = new Set<string>();
  const walk = (type: GraphQLObjectType, set: SelectionSetNode): boolean => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name === '__typename') continue;
        // Root fields (`Query.disputes`) read no row; the page reads for what they return.
        const columns = type === root ? [] : fieldColumns(needs, related, type.name, name);
        if (!columns) return false;
        for (const c of columns) out.add(c);
        fields.add(`${type.name}.${name}`);
        if (!selection.selectionSet) continue;
        const field = type.getFields()[name];
        const inner = field && getNamedType(field.type);
        if (!inner || !isObjectType(inner) || !walk(inner, selection.selectionSet)) return false;
      } else {
        const fragment: { typeName?: string; set: SelectionSetNode } | undefined =
          selection.kind === Kind.INLINE_FRAGMENT
            ? { typeName: selection.typeCondition?.name.value, set: selection.selectionSet }
            : spread(info.fragments[selection.name.value]);
        if (!fragment || (fragment.typeName && fragment.typeName !== type.name)) return false;
        if (selection.kind === Kind.FRAGMENT_SPREAD) {
          // The same fragment on the same type reads the same columns.
          const key = `${type.name}:${selection.name.value}`;
          if (walked.has(key)) continue;
          walked.add(key);
        }
        if (!walk(type, fragment.set)) return false;
      }
    }
    return true;
  };
  return walk(root, info.operation.selectionSet) ? { columns: out, fields } : null;
}

const spread = (f: FragmentDefinitionNode | undefined) =>
  f && { typeName: f.typeCondition.name.value, set: f.selectionSet };
