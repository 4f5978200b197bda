import {
  defaultFieldResolver,
  isIntrospectionType,
  isObjectType,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
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
  const budget = { deadline: performance.now() + limits.maxExecutionMs, fields: 0, exceeded: null };
  budgets.set(context, budget);
  return budget;
}

function spend(context: unknown, info: GraphQLResolveInfo, limits: BudgetLimits): void {
  // A mutation has written by the time its fields resolve: cutting it short would hide a
  // committed change. The cost check bounds its selection instead.
  if (typeof context !== 'object' || context === null || info.operation.operation === 'mutation') {
    return;
  }
  const budget = budgets.get(context) ?? startBudget(context, limits);
  if (budget.exceeded) throw budget.exceeded;
  budget.fields += 1;
  if (budget.fields > limits.maxResolvedFields) {
    budget.exceeded = new DomainError(
      ErrorCode.QUERY_TOO_COMPLEX,
      `The response would hold more than ${limits.maxResolvedFields} fields; ask for smaller pages or fewer fields.`,
    );
  } else if (budget.fields % CLOCK_EVERY === 0 && performance.now() > budget.deadline) {
    budget.exceeded = new DomainError(
      ErrorCode.QUERY_TOO_COMPLEX,
      `The operation ran longer than ${limits.maxExecutionMs} ms; ask for smaller pages or fewer fields.`,
    );
  }
  if (budget.exceeded) throw budget.exceeded;
}

/**
 * Wraps every field resolver of the schema (in place) with the execution budget: once an
 * operation is over its time or its field count, every further field fails with
 * QUERY_TOO_COMPLEX, so the work stops growing. A plain synchronous wrapper rather than a
 * type-graphql middleware, whose chain makes every field a promise.
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
      const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
      field.resolve = restarts
        ? (source, args, context, info) => {
            // Each event of a subscription executes its selection anew: a fresh budget.
            if (typeof context === 'object' && context !== null) startBudget(context, limits);
            spend(context, info, limits);
            return resolve(source, args, context, info);
          }
        : (source, args, context, info) => {
            spend(context, info, limits);
            return resolve(source, args, context, info);
          };
    }
  }
  return schema;
}
