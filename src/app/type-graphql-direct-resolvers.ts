import { isObjectType, type GraphQLField, type GraphQLSchema } from 'graphql';
import { buildSchema, getMetadataStorage, type BuildSchemaOptions } from 'type-graphql';

/*
 * type-graphql resolves every field through its own per-call wrapper: for a plain field it
 * allocates the resolver data and runs an empty middleware chain; for a field resolver it also
 * sorts the parameter list, finds the resolver instance and copies a root that is not an
 * instance of its class into a new one. That measured 10–12 % of a page's CPU (BENCHMARKS.md).
 * This module builds the schema with type-graphql and then, on the built graphql-js schema,
 * takes the wrapper out wherever it has nothing to apply:
 *
 * - a plain field (a property, not renamed, under no `@Authorized` or `@UseMiddleware`)
 *   resolves as graphql-js's property read (no `resolve`), as `@Field({ simple: true })` would;
 * - a field resolver that takes only `@Root()` and `@Ctx()`, under no `@Authorized` or
 *   `@UseMiddleware`, is called directly whenever its root already is of its class (the row
 *   mappers build such instances): a resolver class's method with the root as argument, or an
 *   object type's own method with the root as `this`. Any other root takes type-graphql's
 *   resolver.
 *
 * Every other field keeps type-graphql's resolver: it is what applies guards and middleware.
 *
 * Which fields qualify is known only from type-graphql's decorator metadata, which 2.0.0-rc.4
 * exports (`getMetadataStorage`) but whose shape its documentation does not cover. This module
 * is the one place that reads it, and only reads it: `readMetadata` checks it has the shape relied on and throws otherwise,
 * so a type-graphql that records it differently stops the API at start instead of letting a
 * guard be skipped. test/unit/type-graphql-direct-resolvers.test.ts pins that shape and the
 * behaviour above.
 */

/** A decorated class: what type-graphql's metadata calls a `target`. */
type Class = abstract new (...args: never[]) => unknown;

/** What is read of type-graphql's metadata storage: these lists, these properties. */
interface Metadata {
  objectTypes: readonly { name: string; target: Class }[];
  fields: readonly { target: Class; name: string; schemaName: string; simple?: boolean }[];
  fieldResolvers: readonly {
    target: Class;
    methodName: string;
    schemaName: string;
    kind: 'internal' | 'external';
  }[];
  resolverClasses: readonly { target: Class; getObjectType?: () => unknown }[];
  params: readonly {
    target: Class;
    methodName: string;
    index: number;
    kind: string;
    propertyName?: string;
    getType?: () => unknown;
  }[];
  authorizedFields: readonly { target: Class; fieldName: string }[];
  middlewares: readonly { target: Class; fieldName: string }[];
  authorizedResolver: readonly { target: Class }[];
  resolverMiddlewares: readonly { target: Class }[];
}

/** `Metadata` as checked at run time: a `typeof`, `?` when it may be absent, `|` for values. */
const METADATA_SHAPE: { [List in keyof Metadata]: Record<string, string> } = {
  objectTypes: { name: 'string', target: 'function' },
  fields: { target: 'function', name: 'string', schemaName: 'string', simple: 'boolean?' },
  fieldResolvers: {
    target: 'function',
    methodName: 'string',
    schemaName: 'string',
    kind: 'internal|external',
  },
  resolverClasses: { target: 'function', getObjectType: 'function?' },
  params: {
    target: 'function',
    methodName: 'string',
    index: 'number',
    kind: 'string',
    propertyName: 'string?',
    getType: 'function?',
  },
  authorizedFields: { target: 'function', fieldName: 'string' },
  middlewares: { target: 'function', fieldName: 'string' },
  authorizedResolver: { target: 'function' },
  resolverMiddlewares: { target: 'function' },
};

function fits(value: unknown, expected: string): boolean {
  const optional = expected.endsWith('?');
  const wanted = optional ? expected.slice(0, -1) : expected;
  if (value === undefined) return optional;
  return wanted.includes('|')
    ? wanted.split('|').includes(value as string)
    : typeof value === wanted;
}

/** type-graphql's decorator metadata, once checked to have the shape `Metadata` describes. */
function readMetadata(): Metadata {
  const storage = getMetadataStorage() as unknown as Record<string, unknown>;
  for (const [list, shape] of Object.entries(METADATA_SHAPE)) {
    const entries = storage[list];
    const problem = !Array.isArray(entries)
      ? `${list} is ${typeof entries}, not a list`
      : entries
          .flatMap((entry: Record<string, unknown>, i) =>
            Object.entries(shape)
              .filter(([key, expected]) => !fits(entry[key], expected))
              .map(
                ([key, expected]) =>
                  `${list}[${i}].${key} is ${typeof entry[key]}, not ${expected}`,
              ),
          )
          .at(0);
    if (problem) {
      throw new Error(
        `type-graphql's metadata is not of the shape src/app/type-graphql-direct-resolvers.ts reads (${problem}): check that module against the type-graphql installed.`,
      );
    }
  }
  return storage as unknown as Metadata;
}

/**
 * Whether a field (or a resolver class's method) is under `@Authorized` or `@UseMiddleware`, on
 * itself or on its class: type-graphql's wrapper is what applies those, so it must stay.
 */
function guardedByDecorators(metadata: Metadata): (target: unknown, field: string) => boolean {
  const classes = new Set<unknown>(
    [...metadata.authorizedResolver, ...metadata.resolverMiddlewares].map((d) => d.target),
  );
  const fields = new Map<unknown, Set<string>>();
  for (const d of [...metadata.authorizedFields, ...metadata.middlewares]) {
    fields.set(d.target, (fields.get(d.target) ?? new Set()).add(d.fieldName));
  }
  return (target, field) => classes.has(target) || fields.get(target)?.has(field) === true;
}

type FieldResolverMetadata = Metadata['fieldResolvers'][number];

/** The object type class a field resolver resolves a field of. */
function typeClassOf(metadata: Metadata, def: FieldResolverMetadata): unknown {
  return def.kind === 'internal'
    ? def.target
    : metadata.resolverClasses.find((r) => r.target === def.target)?.getObjectType?.();
}

/** The built field of an object type class, when exactly one object type has that class's name. */
function builtField(
  schema: GraphQLSchema,
  metadata: Metadata,
  typeClass: unknown,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  const typeName = metadata.objectTypes.find((o) => o.target === typeClass)?.name;
  if (!typeName || metadata.objectTypes.filter((o) => o.name === typeName).length !== 1) return;
  const type = schema.getType(typeName);
  return isObjectType(type) ? type.getFields()[name] : undefined;
}

/** A method the class (or a class it extends) defines: never a getter, never its value. */
function methodOf(target: Class, name: string): ((...args: unknown[]) => unknown) | undefined {
  for (let p: object | null = target.prototype as object; p; p = Object.getPrototypeOf(p)) {
    const descriptor = Object.getOwnPropertyDescriptor(p, name);
    if (descriptor) return typeof descriptor.value === 'function' ? descriptor.value : undefined;
  }
  return undefined;
}

function readPlainFieldsAsProperties(
  schema: GraphQLSchema,
  metadata: Metadata,
  guarded: (target: unknown, field: string) => boolean,
): void {
  for (const field of metadata.fields) {
    // A renamed field (`@Field({ name })`) reads another property than graphql-js would, and
    // `simple: false` asks for type-graphql's resolver.
    if (field.schemaName !== field.name || field.simple === false) continue;
    if (guarded(field.target, field.name)) continue;
    const resolved = metadata.fieldResolvers.some(
      (r) => r.methodName === field.name && typeClassOf(metadata, r) === field.target,
    );
    const built = resolved ? undefined : builtField(schema, metadata, field.target, field.name);
    if (built?.resolve && built.args.length === 0) built.resolve = undefined;
  }
}

function callFieldResolversDirectly(
  schema: GraphQLSchema,
  metadata: Metadata,
  guarded: (target: unknown, field: string) => boolean,
  resolverClasses: readonly unknown[],
): void {
  for (const def of metadata.fieldResolvers) {
    const external = def.kind === 'external';
    const typeClass = typeClassOf(metadata, def);
    // A resolver class left out of the schema resolves nothing.
    if (external && !resolverClasses.includes(def.target)) continue;
    // type-graphql gives a field resolver the roles of the object type's field it resolves.
    if (
      guarded(def.target, def.methodName) ||
      guarded(typeClass, def.methodName) ||
      guarded(typeClass, def.schemaName)
    ) {
      continue;
    }
    const params = metadata.params
      .filter((p) => p.target === def.target && p.methodName === def.methodName)
      .sort((a, b) => a.index - b.index);
    const simple = params.every(
      (p, i) => p.index === i && (p.kind === 'root' || p.kind === 'context') && !p.propertyName,
    );
    const field = simple ? builtField(schema, metadata, typeClass, def.schemaName) : undefined;
    const method = methodOf(def.target, def.methodName);
    if (!field?.resolve || field.args.length > 0 || !method) continue;
    const wrapped = field.resolve;
    // The method's `this`: the resolver class's one instance, or the root itself.
    const resolver = external ? new (def.target as new () => object)() : undefined;
    const rootClass = external ? params.find((p) => p.kind === 'root')?.getType?.() : typeClass;
    const isRoot = (root: unknown) => typeof rootClass !== 'function' || root instanceof rootClass;
    const kinds = params.map((p) => p.kind).join(',');
    const call: (root: unknown, context: unknown) => unknown =
      kinds === ''
        ? (root) => method.call(resolver ?? root)
        : kinds === 'root'
          ? (root) => method.call(resolver ?? root, root)
          : kinds === 'root,context'
            ? (root, context) => method.call(resolver ?? root, root, context)
            : (root, context) =>
                method.apply(
                  resolver ?? root,
                  params.map((p) => (p.kind === 'root' ? root : context)),
                );
    field.resolve = (root, args, context, info) =>
      isRoot(root) ? call(root, context) : wrapped(root, args, context, info);
  }
}

/**
 * type-graphql's `buildSchema`, with its per-call wrapper taken out where it has nothing to
 * apply (see above). Global middlewares would be skipped by the direct paths, and a container
 * would not make the instances they call: neither option is taken.
 */
export async function buildSchemaWithDirectResolvers(
  options: Omit<BuildSchemaOptions, 'globalMiddlewares' | 'container'>,
): Promise<GraphQLSchema> {
  const metadata = readMetadata();
  const schema = await buildSchema(options);
  const guarded = guardedByDecorators(metadata);
  readPlainFieldsAsProperties(schema, metadata, guarded);
  callFieldResolversDirectly(schema, metadata, guarded, options.resolvers);
  return schema;
}
