import { Extensions } from 'type-graphql';
import type { GraphQLField } from 'graphql';

/**
 * How many items a list field can hold, declared once beside the field. The cost check
 * (limits.ts) multiplies the field's selection by it, and a schema test fails when a list
 * field has neither a `first` argument nor one of these.
 */
export type ListSize =
  /** At most `max` items: the resolver enforces it (or the list is that small by construction). */
  | { max: number }
  /** The items of one page of a connection: the connection field's `first` already counts them. */
  | { perPage: true };

const KEY = 'listSize';

/** A list field of at most `max` items; say so in its description and cut the list in its resolver. */
export const MaxItems = (max: number) => Extensions({ [KEY]: { max } satisfies ListSize });

/** `edges` and `nodes` of a connection, sized by the connection's `first`. */
export const PageItems = () => Extensions({ [KEY]: { perPage: true } satisfies ListSize });

export function listSizeOf(field: GraphQLField<unknown, unknown>): ListSize | undefined {
  const declared = (field.extensions as Record<string, unknown> | undefined)?.[KEY];
  if (!declared || typeof declared !== 'object') return undefined;
  if ('perPage' in declared) return { perPage: true };
  if ('max' in declared && typeof declared.max === 'number') return { max: declared.max };
  return undefined;
}

/** The first `max` items: what a capped list field answers. */
export const capList = <T>(items: readonly T[], max: number): T[] => items.slice(0, max);
