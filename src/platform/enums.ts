import { registerEnumType } from 'type-graphql';

/** `{ A: 'A', B: 'B' }` for the list `['A', 'B']`: the object type-graphql registers. */
export type EnumObject<V extends string> = { readonly [K in V]: K };

/**
 * The GraphQL enum of one `as const` list (the list is the only place its values are written;
 * the TypeScript type, the entity column and the fixture parser read the same list). Every
 * value needs a description, so a value added to the list without one fails `tsc`.
 */
export function graphqlEnum<const L extends readonly string[]>(
  values: L,
  config: { name: string; description: string; values: Record<L[number], string> },
): EnumObject<L[number]> {
  const object = Object.fromEntries(values.map((v) => [v, v])) as EnumObject<L[number]>;
  registerEnumType(object, {
    name: config.name,
    description: config.description,
    valuesConfig: Object.fromEntries(
      values.map((v) => [v, { description: config.values[v as L[number]] }]),
    ) as Partial<Record<L[number], { description: string }>>,
  });
  return object;
}
