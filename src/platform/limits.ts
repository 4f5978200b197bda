import {
  GraphQLError,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isIntrospectionType,
  isListType,
  isObjectType,
  parse,
  specifiedRules,
  validate,
  valueFromASTUntyped,
  type ASTVisitor,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { DomainError, ErrorCode, UNPARSABLE } from './errors';
import { listSizeOf } from './list-size';
import { nestsDeeperThan } from './nesting';
import { MAX_PAGE_SIZE } from './pagination';
import { checkVariables } from './variable-checks';

export const LIMITS = {
  maxDepth: 12,
  maxAliases: 15,
  /**
   * Each field costs 1; a list multiplies its selection by its size: `first` (default 50) for
   * a page, the declared maximum (list-size.ts) for other lists.
   */
  maxCost: 25_000,
  maxSubscriptionsPerSocket: 20,
  /** Lexical tokens in one document; bounds the work of parsing and of every validation rule. */
  maxTokens: 5_000,
  /**
   * Introspection lists nested in one another (`types { fields { args } }` is 3). Introspection
   * fields are left out of depth and cost, as the schema bounds each list; nesting is what
   * multiplies them.
   */
  maxIntrospectionListNesting: 3,
  /**
   * Selections of one response name in one selection set (its inline fragments included):
   * graphql-js compares them pairwise, so a document of repeats costs its square.
   */
  maxRepeatedField: 25,
  /** Execution budget per operation (execution-budget.ts); a mutation is never cut short. */
  maxExecutionMs: 10_000,
  /** Fields resolved per operation (each list item's fields count): bounds the response size. */
  maxResolvedFields: 200_000,
  /**
   * Brackets (`{`, `[`, `(`) nested in one document, counted in one pass before it is parsed:
   * graphql-js's parser and validation recurse once per level. The depth limit bounds fields
   * anyway; this bounds what it does not see, such as a list literal nested a thousand deep.
   */
  maxNesting: 40,
} as const;

/** For every parse of a client document: Apollo's `parseOptions` and graphql-ws alike. */
export const parseOptions: ParseOptions = { maxTokens: LIMITS.maxTokens };

/** A list without a declared size (a schema test forbids it) counts as a full page. */
const UNDECLARED_LIST_SIZE = MAX_PAGE_SIZE;

/** Far above every limit: sums and products stop here instead of growing without end. */
const SATURATED = 1e15;
const add = (a: number, b: number) => Math.min(a + b, SATURATED);
const times = (a: number, b: number) => Math.min(a * b, SATURATED);

/**
 * A refusal by one of the limits: `extensions` carries the `limit` and, under the name of what
 * was measured (`depth`, `aliases`, `cost`, …), the operation's value, so a client need not
 * read the message.
 */
const tooComplex = (message: string, measured: Record<string, number>) =>
  new DomainError(ErrorCode.QUERY_TOO_COMPLEX, message, measured);

interface Shape {
  /** Levels of fields, introspection left out. */
  depth: number;
  /** Aliases as the executed operation holds them: a fragment spread twice counts twice. */
  aliases: number;
  /** Introspection lists nested in one another. */
  introspectionLists: number;
  /** The most times one response name is selected in one selection set, inline fragments included. */
  repeats: number;
}

interface MergedNames {
  counts: Map<string, number>;
  spreads: Set<string>;
}

/** Adds `n` selections of `key`; returns the new count. */
function count(counts: Map<string, number>, key: string, n: number): number {
  const total = add(counts.get(key) ?? 0, n);
  counts.set(key, total);
  return total;
}

const NO_SHAPE: Shape = { depth: 0, aliases: 0, introspectionLists: 0, repeats: 0 };

/** The field a selection names on its parent type, meta fields included; undefined when unknown. */
function fieldOn(
  schema: GraphQLSchema,
  parent: GraphQLNamedType | undefined,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
  if (parent && parent === schema.getQueryType()) {
    if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
    if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
  }
  if (isObjectType(parent) || isInterfaceType(parent)) return parent.getFields()[name];
  return undefined;
}

const isList = (field: GraphQLField<unknown, unknown>) => isListType(getNullableType(field.type));

/**
 * Walks one document once: every fragment's result is computed the first time it is spread and
 * reused at every other spread, so the work is linear in the document's size however the
 * fragments spread each other. Fragment cycles are graphql-js's own validation error; here a
 * spread of a fragment still being walked counts as empty, so a cycle cannot hang the walk.
 * Abstract types are costed as the sum of their fragments (an upper bound, no per-type pass).
 */
class DocumentWalker {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private readonly shapes = new Map<string, Shape>();
  /** Response names a fragment adds to the selection set it is spread into, with their counts. */
  private readonly fragmentNames = new Map<string, Map<string, number>>();
  private readonly costs = new Map<string, number>();
  private readonly active = new Set<string>();
  private variables: Record<string, unknown> = {};
  private operation: OperationDefinitionNode | undefined;

  constructor(
    private readonly schema: GraphQLSchema,
    document: DocumentNode,
  ) {
    for (const def of document.definitions) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(def.name.value, def);
    }
  }

  private fragmentType(fragment: FragmentDefinitionNode): GraphQLNamedType | undefined {
    return this.schema.getType(fragment.typeCondition.name.value) ?? undefined;
  }

  /** Runs `compute` for a fragment once; a spread of a fragment in progress (a cycle) is `empty`. */
  private memo<T>(
    cache: Map<string, T>,
    name: string,
    empty: T,
    compute: (f: FragmentDefinitionNode) => T,
  ): T {
    const known = cache.get(name);
    if (known !== undefined) return known;
    const fragment = this.fragments.get(name);
    if (!fragment || this.active.has(name)) return empty;
    this.active.add(name);
    try {
      const result = compute(fragment);
      cache.set(name, result);
      return result;
    } finally {
      this.active.delete(name);
    }
  }

  /**
   * `names` counts the response names that graphql-js merges into one selection set: its own
   * fields, its inline fragments' and, once per distinct fragment, its spreads'.
   */
  shape(
    set: SelectionSetNode | undefined,
    parent: GraphQLNamedType | undefined,
    names: MergedNames = { counts: new Map(), spreads: new Set() },
  ): Shape {
    if (!set) return NO_SHAPE;
    let depth = 0;
    let aliases = 0;
    let introspectionLists = 0;
    let repeats = 0;
    for (const sel of set.selections) {
      let inner: Shape;
      if (sel.kind === Kind.FIELD) {
        repeats = Math.max(repeats, count(names.counts, (sel.alias ?? sel.name).value, 1));
        const def = fieldOn(this.schema, parent, sel.name.value);
        const sub = this.shape(sel.selectionSet, def && getNamedType(def.type));
        const meta = sel.name.value.startsWith('__');
        const introspectionList = def && isList(def) && isIntrospectionType(getNamedType(def.type));
        inner = {
          depth: meta ? 0 : 1 + sub.depth,
          aliases: add(sub.aliases, sel.alias ? 1 : 0),
          introspectionLists: sub.introspectionLists + (introspectionList ? 1 : 0),
          repeats: sub.repeats,
        };
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const type = sel.typeCondition
          ? (this.schema.getType(sel.typeCondition.name.value) ?? undefined)
          : parent;
        inner = this.shape(sel.selectionSet, type, names);
      } else {
        const name = sel.name.value;
        inner = this.memo(this.shapes, name, NO_SHAPE, (f) => this.fragmentShape(f));
        const added = this.fragmentNames.get(name);
        if (added && !names.spreads.has(name)) {
          names.spreads.add(name);
          for (const [key, n] of added) repeats = Math.max(repeats, count(names.counts, key, n));
        }
      }
      depth = Math.max(depth, inner.depth);
      aliases = add(aliases, inner.aliases);
      introspectionLists = Math.max(introspectionLists, inner.introspectionLists);
      repeats = Math.max(repeats, inner.repeats);
    }
    return { depth, aliases, introspectionLists, repeats };
  }

  /** A fragment's shape, computed once; unused fragments too, as graphql-js validates them. */
  fragmentShape(fragment: FragmentDefinitionNode): Shape {
    const names: MergedNames = { counts: new Map(), spreads: new Set() };
    const shape = this.shape(fragment.selectionSet, this.fragmentType(fragment), names);
    this.fragmentNames.set(fragment.name.value, names.counts);
    return shape;
  }

  fragmentShapeByName(name: string): Shape {
    return this.memo(this.shapes, name, NO_SHAPE, (f) => this.fragmentShape(f));
  }

  /** Prepares `cost` for one operation: variables decide `first` and `@skip`/`@include`. */
  forOperation(operation: OperationDefinitionNode, variables: Record<string, unknown>): this {
    this.operation = operation;
    this.variables = variables;
    this.costs.clear();
    return this;
  }

  cost(set: SelectionSetNode | undefined, parent: GraphQLNamedType | undefined): number {
    if (!set) return 0;
    let total = 0;
    for (const sel of set.selections) {
      if (this.excluded(sel.directives)) continue;
      if (sel.kind === Kind.FIELD) {
        total = add(total, this.fieldCost(sel, parent));
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const type = sel.typeCondition
          ? (this.schema.getType(sel.typeCondition.name.value) ?? undefined)
          : parent;
        total = add(total, this.cost(sel.selectionSet, type));
      } else {
        total = add(
          total,
          this.memo(this.costs, sel.name.value, 0, (f) =>
            this.cost(f.selectionSet, this.fragmentType(f)),
          ),
        );
      }
    }
    return total;
  }

  private fieldCost(node: FieldNode, parent: GraphQLNamedType | undefined): number {
    const def = fieldOn(this.schema, parent, node.name.value);
    if (!def) return 0; // an unknown field is a validation error
    const children = this.cost(node.selectionSet, getNamedType(def.type));
    const size = this.sizeOf(def, node);
    return size === undefined ? add(1, children) : add(1, times(size, Math.max(children, 1)));
  }

  /** How many times a field's selection runs; undefined for a single object or a leaf. */
  private sizeOf(def: GraphQLField<unknown, unknown>, node: FieldNode): number | undefined {
    if (def.args.some((a) => a.name === 'first')) return this.pageSize(def, node);
    if (!isList(def)) return undefined;
    const declared = listSizeOf(def);
    if (declared && 'perPage' in declared) return undefined;
    if (declared) return declared.max;
    // The schema bounds introspection lists; maxIntrospectionListNesting bounds their product.
    if (isIntrospectionType(getNamedType(def.type))) return undefined;
    return UNDECLARED_LIST_SIZE;
  }

  /** `first` as execution will see it: literal, variable, the variable's default, the argument's. */
  private pageSize(def: GraphQLField<unknown, unknown>, node: FieldNode): number {
    const arg = node.arguments?.find((a) => a.name.value === 'first');
    let value: unknown = def.args.find((a) => a.name === 'first')?.defaultValue;
    if (arg?.value.kind === Kind.VARIABLE) {
      const name = arg.value.name.value;
      if (name in this.variables) value = this.variables[name];
      else {
        const declared = this.operation?.variableDefinitions?.find(
          (v) => v.variable.name.value === name,
        )?.defaultValue;
        if (declared) value = valueFromASTUntyped(declared);
      }
    } else if (arg) {
      value = valueFromASTUntyped(arg.value);
    }
    if (typeof value === 'number' && Number.isFinite(value)) return Math.max(1, Math.ceil(value));
    // Anything else is refused by the resolver; count it as the largest page meanwhile.
    return MAX_PAGE_SIZE;
  }

  /** True only when `@skip`/`@include` certainly leave the selection out. */
  private excluded(directives: readonly DirectiveNode[] | undefined): boolean {
    for (const d of directives ?? []) {
      const name = d.name.value;
      if (name !== 'skip' && name !== 'include') continue;
      const arg = d.arguments?.find((a) => a.name.value === 'if');
      if (!arg) continue;
      const value =
        arg.value.kind === Kind.VARIABLE
          ? this.variables[arg.value.name.value]
          : valueFromASTUntyped(arg.value);
      if (typeof value !== 'boolean') continue;
      if ((name === 'skip' && value) || (name === 'include' && !value)) return true;
    }
    return false;
  }
}

function rootType(schema: GraphQLSchema, op: OperationDefinitionNode) {
  const type =
    op.operation === 'query'
      ? schema.getQueryType()
      : op.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  return type ?? undefined;
}

/** Depth, alias and introspection limits of one operation; null when within them. */
function shapeError(walker: DocumentWalker, schema: GraphQLSchema, op: OperationDefinitionNode) {
  const shape = walker.shape(op.selectionSet, rootType(schema, op));
  if (shape.depth > LIMITS.maxDepth) {
    return tooComplex(
      `The operation is ${shape.depth} levels deep; at most ${LIMITS.maxDepth} are allowed.`,
      { depth: shape.depth, limit: LIMITS.maxDepth },
    );
  }
  if (shape.aliases > LIMITS.maxAliases) {
    const count = shape.aliases >= SATURATED ? 'more than a billion' : String(shape.aliases);
    return tooComplex(
      `The operation uses ${count} aliases; at most ${LIMITS.maxAliases} are allowed.`,
      { aliases: shape.aliases, limit: LIMITS.maxAliases },
    );
  }
  if (shape.introspectionLists > LIMITS.maxIntrospectionListNesting) {
    return tooComplex(
      `The operation nests ${shape.introspectionLists} introspection lists; at most ${LIMITS.maxIntrospectionListNesting} are allowed.`,
      { introspectionLists: shape.introspectionLists, limit: LIMITS.maxIntrospectionListNesting },
    );
  }
  return repeatsError(shape);
}

function repeatsError(shape: Shape) {
  if (shape.repeats <= LIMITS.maxRepeatedField) return null;
  return tooComplex(
    `The document selects one field ${shape.repeats} times in one selection set; at most ${LIMITS.maxRepeatedField} are allowed.`,
    { repeats: shape.repeats, limit: LIMITS.maxRepeatedField },
  );
}

/** What the other rules walk once this rule has refused the document: nothing. */
const EMPTY_DOCUMENT: DocumentNode = { kind: Kind.DOCUMENT, definitions: [] };

/**
 * Depth, alias and introspection limits, as a graphql-js validation rule (so they run before any
 * resolver). It checks every operation when validation enters the document, before any other
 * rule has looked inside; a refused document is then swapped for an empty one (graphql-js's
 * visitor replaces a node returned from `enter`), so the costlier rules, such as overlapping
 * fields, do no work on a document that is refused anyway.
 */
export const shapeLimitsRule: ValidationRule = (context: ValidationContext): ASTVisitor => ({
  Document: {
    enter(document: DocumentNode) {
      const schema = context.getSchema();
      const walker = new DocumentWalker(schema, document);
      let refused = false;
      for (const def of document.definitions) {
        let error: GraphQLError | null = null;
        if (def.kind === Kind.OPERATION_DEFINITION) error = shapeError(walker, schema, def);
        else if (def.kind === Kind.FRAGMENT_DEFINITION) {
          error = repeatsError(walker.fragmentShapeByName(def.name.value));
        }
        if (error) {
          context.reportError(error);
          refused = true;
        }
      }
      return refused ? EMPTY_DOCUMENT : undefined;
    },
  },
});

/** The operation that will run: the named one, or the only one. */
function selectOperation(document: DocumentNode, operationName?: string | null) {
  const ops = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (operationName) return ops.find((o) => o.name?.value === operationName);
  return ops.length === 1 ? ops[0] : undefined;
}

/** The estimated cost of the operation that will run (see LIMITS.maxCost); undefined when none. */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined | null,
  operationName?: string | null,
): number | undefined {
  const op = selectOperation(document, operationName);
  if (!op) return undefined;
  const walker = new DocumentWalker(schema, document).forOperation(op, variables ?? {});
  return walker.cost(op.selectionSet, rootType(schema, op));
}

/** The cost check needs the operation's variables, so it runs right after validation. */
export function checkCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined | null,
  operationName?: string | null,
): GraphQLError | null {
  // No operation to run is execution's own error, with a better message.
  const cost = operationCost(schema, document, variables, operationName) ?? 0;
  if (cost <= LIMITS.maxCost) return null;
  const shown = cost >= SATURATED ? 'more than 10^15' : String(cost);
  return tooComplex(
    `The operation would cost ${shown}; at most ${LIMITS.maxCost} is allowed. Ask for smaller pages or fewer fields.`,
    { cost, limit: LIMITS.maxCost },
  );
}

/** Client mistakes in the contract's words; limit errors keep their own code. */
const asClientError = (e: GraphQLError) =>
  e instanceof DomainError
    ? e
    : new GraphQLError(e.message, {
        nodes: e.nodes,
        source: e.source,
        positions: e.positions,
        extensions: { code: ErrorCode.BAD_USER_INPUT },
      });

/** Validation errors reported at once (graphql-js's default is 100). */
export const MAX_VALIDATION_ERRORS = 10;

/** The refusal of a document whose brackets nest past LIMITS.maxNesting; null when within. */
export function nestingError(query: string): GraphQLError | null {
  if (!nestsDeeperThan(query, LIMITS.maxNesting)) return null;
  // The count stops at the first bracket past the limit: how deep the document goes is unknown.
  return tooComplex(
    `The document nests brackets more than ${LIMITS.maxNesting} deep; at most ${LIMITS.maxNesting} are allowed.`,
    { limit: LIMITS.maxNesting },
  );
}

/**
 * Everything between a client's text and execution, in one function for every transport that
 * does not run Apollo's pipeline: nesting (one pass over the text), parse (bounded by
 * maxTokens), validate (graphql-js rules, the shape limits, `extraRules`), the variables of the
 * operation that will run (bounded, then coerced: variable-checks.ts), then the cost, which
 * reads the coerced values. Errors carry contract codes.
 */
export function checkDocument(
  schema: GraphQLSchema,
  query: string,
  variables: Record<string, unknown> | undefined | null,
  operationName?: string | null,
  extraRules: readonly ValidationRule[] = [],
): { document: DocumentNode; errors?: undefined } | { errors: GraphQLError[] } {
  const nesting = nestingError(query);
  if (nesting) return { errors: [nesting] };
  let document: DocumentNode;
  try {
    document = parse(query, parseOptions);
  } catch (err) {
    return {
      errors: [
        err instanceof GraphQLError
          ? asClientError(err)
          : new DomainError(ErrorCode.BAD_USER_INPUT, UNPARSABLE),
      ],
    };
  }
  const errors = validate(schema, document, [...specifiedRules, shapeLimitsRule, ...extraRules], {
    maxErrors: MAX_VALIDATION_ERRORS,
  });
  if (errors.length) return { errors: errors.map(asClientError) };
  const operation = selectOperation(document, operationName);
  // No operation to run is the caller's own error, with a better message.
  if (!operation) return { document };
  const checked = checkVariables(schema, operation, variables);
  if (!checked.ok) return { errors: [checked.error] };
  const costError = checkCost(schema, document, checked.values, operationName);
  return costError ? { errors: [costError] } : { document };
}
