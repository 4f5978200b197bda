import {
  defaultFieldResolver,
  getNamedType,
  isCompositeType,
  isIntrospectionType,
  isLeafType,
  isObjectType,
  Kind,
  type FieldNode,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { DomainError, ErrorCode } from './errors';
import { LIMITS } from './limits';

export interface BudgetLimits {
  /** Wall-clock time from the operation's first resolved field. */
  maxExecutionMs: number;
  /** Fields resolved, each list item's fields included: bounds the response's size. */
  maxResolvedFields: number;
}

interface Budget {
  deadline: number;
  fields: number;
  /** The count at which the clock is read next. */
  nextClock: number;
  exceeded: DomainError | null;
}

/** The clock is read once per this many fields: a counter per field, a clock read now and then. */
const CLOCK_EVERY = 64;

/**
 * One budget per context object: a context is made per HTTP request (one operation, batching
 * is refused) and per subscription, whose budget restarts with each event it sends.
 */
const budgets = new WeakMap<object, Budget>();

function startBudget(context: object, limits: BudgetLimits): Budget {
  const budget = {
    deadline: performance.now() + limits.maxExecutionMs,
    fields: 0,
    nextClock: CLOCK_EVERY,
    exceeded: null,
  };
  budgets.set(context, budget);
  return budget;
}

function spend(context: unknown, info: GraphQLResolveInfo, limits: BudgetLimits, fields = 1): void {
  // A mutation has written by the time its fields resolve: cutting it short would hide a
  // committed change. The cost check bounds its selection instead.
  if (typeof context !== 'object' || context === null || info.operation.operation === 'mutation') {
    return;
  }
  const budget = budgets.get(context) ?? startBudget(context, limits);
  if (budget.exceeded) throw budget.exceeded;
  budget.fields += fields;
  if (budget.fields > limits.maxResolvedFields) {
    budget.exceeded = new DomainError(
      ErrorCode.QUERY_TOO_COMPLEX,
      `The response would hold more than ${limits.maxResolvedFields} fields; ask for smaller pages or fewer fields.`,
    );
  } else if (budget.fields >= budget.nextClock) {
    budget.nextClock = budget.fields + CLOCK_EVERY;
    if (performance.now() > budget.deadline) {
      budget.exceeded = new DomainError(
        ErrorCode.QUERY_TOO_COMPLEX,
        `The operation ran longer than ${limits.maxExecutionMs} ms; ask for smaller pages or fewer fields.`,
      );
    }
  }
  if (budget.exceeded) throw budget.exceeded;
}

/** A field read as a plain property whose value is a scalar or an enum: not wrapped. */
const isPlainLeaf = (field: GraphQLField<unknown, unknown>): boolean =>
  !field.resolve && isLeafType(getNamedType(field.type));

/** Plain leaves selected under each field node (its first node stands for the merged ones). */
const plainLeavesOf = new WeakMap<FieldNode, number>();

/**
 * How many plain leaves one object returned by the field shows: its selection's fields that are
 * plain leaves of the object type (`__typename` too), fragments spread. For an interface or a
 * union, every field selected counts (an upper bound: the object's own type is not known yet).
 */
function plainLeaves(info: GraphQLResolveInfo): number {
  const known = plainLeavesOf.get(info.fieldNodes[0]!);
  if (known !== undefined) return known;
  const type = getNamedType(info.returnType);
  const fields = isObjectType(type) ? type.getFields() : null;
  let n = 0;
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name === '__typename') n += 1;
        else if (!fields) n += 1;
        else if (fields[name] && isPlainLeaf(fields[name])) n += 1;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet);
      } else if (!seen.has(selection.name.value)) {
        // A named fragment is spread once per field node; validation refused cycles.
        seen.add(selection.name.value);
        walk(info.fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes) walk(node.selectionSet);
  plainLeavesOf.set(info.fieldNodes[0]!, n);
  return n;
}

/** Objects in a resolved value: 1 for an object, the items (at any depth) of a list. */
function objectsIn(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (!Array.isArray(value)) return 1;
  let n = 0;
  for (const item of value) n += Array.isArray(item) ? objectsIn(item) : item == null ? 0 : 1;
  return n;
}

/** Spends the plain leaves of what a composite field resolved to, once it is known. */
function spendLeaves(
  value: unknown,
  context: unknown,
  info: GraphQLResolveInfo,
  limits: BudgetLimits,
): unknown {
  if (value instanceof Promise) {
    return value.then((v: unknown) => spendLeaves(v, context, info, limits));
  }
  const leaves = plainLeaves(info);
  if (leaves) spend(context, info, limits, leaves * objectsIn(value));
  return value;
}

/**
 * Wraps the field resolvers of the schema (in place) with the execution budget: once an
 * operation is over its time or its field count, every further field fails with
 * QUERY_TOO_COMPLEX, so the work stops growing. A plain synchronous wrapper rather than a
 * type-graphql middleware, whose chain makes every field a promise.
 *
 * A field read as a plain property whose value is a scalar or an enum (most of a page's cells)
 * is left unwrapped: the compiled execution (compiled-execution.ts) then reads it inline instead
 * of calling a resolver with its own resolve info for every row. Such fields are counted where
 * their objects come from: a composite field, once resolved, spends one field per plain leaf
 * selected for each object it returned, so the count bounds the response as before.
 */
export function applyExecutionBudget(
  schema: GraphQLSchema,
  limits: BudgetLimits = LIMITS,
): GraphQLSchema {
  const subscriptionType = schema.getSubscriptionType();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || isIntrospectionType(type)) continue;
    const restarts = type === subscriptionType;
    for (const field of Object.values(type.getFields())) {
      if (!restarts && isPlainLeaf(field)) continue;
      const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
      const composite = isCompositeType(getNamedType(field.type));
      field.resolve = restarts
        ? (source, args, context, info) => {
            // Each event of a subscription executes its selection anew: a fresh budget.
            if (typeof context === 'object' && context !== null) startBudget(context, limits);
            spend(context, info, limits);
            const value = resolve(source, args, context, info);
            return composite ? spendLeaves(value, context, info, limits) : value;
          }
        : composite
          ? (source, args, context, info) => {
              spend(context, info, limits);
              return spendLeaves(resolve(source, args, context, info), context, info, limits);
            }
          : (source, args, context, info) => {
              spend(context, info, limits);
              return resolve(source, args, context, info);
            };
    }
  }
  return schema;
}
