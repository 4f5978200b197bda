import {
  GraphQLError,
  getVariableValues,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  typeFromAST,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type VariableDefinitionNode,
} from 'graphql';
import { ErrorCode } from './errors';

/**
 * Bounds on an operation's variables, checked in one pass over the values the operation
 * declares, before graphql-js coerces them. Coercion is recursive, suggests a field name for
 * every unknown key and repeats the whole value in every message, so a body of a few hundred
 * kilobytes could otherwise cost seconds of CPU and tens of megabytes of answer.
 */
export const VARIABLE_LIMITS = {
  /** Values in all declared variables together: each object entry, list item and leaf counts one. */
  maxValues: 10_000,
  /** Objects and lists nested in one another (the deepest input of the schema needs 3). */
  maxDepth: 10,
  /** Characters of one string (the longest free text of the schema is 2,000). */
  maxStringLength: 20_000,
  /** Problems reported at once; the answer says how many more there were. */
  maxErrors: 5,
} as const;

/** Characters of a client's own text quoted back in a message (a key, a value). */
const QUOTED = 40;

/** A client's text as a message quotes it: JSON-escaped and cut short. */
export function quote(text: string): string {
  const cut = text.length > QUOTED ? `${text.slice(0, QUOTED)}…` : text;
  return JSON.stringify(cut);
}

const variableError = (message: string, definition?: VariableDefinitionNode) =>
  new GraphQLError(message, {
    nodes: definition,
    extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } },
  });

class TooMuch extends Error {}

/** Characters of a graphql-js coercion message kept (it quotes the value it refused whole). */
const MAX_MESSAGE_LENGTH = 300;
const cut = (message: string) =>
  message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}…` : message;

/**
 * One walk of a variable's value beside its declared type, depth first; throws TooMuch at the
 * first bound passed or the first key the type does not define. What it leaves to graphql-js
 * (a wrong leaf, a missing field) costs coercion a bounded amount once this has passed.
 */
function walk(
  value: unknown,
  type: GraphQLInputType,
  path: string,
  depth: number,
  counter: { values: number },
): void {
  if (++counter.values > VARIABLE_LIMITS.maxValues) {
    throw new TooMuch(
      `The variables hold more than ${VARIABLE_LIMITS.maxValues} values; at most ${VARIABLE_LIMITS.maxValues} are allowed.`,
    );
  }
  if (value === null || value === undefined) return;
  if (isNonNullType(type)) return walk(value, type.ofType, path, depth, counter);
  if (typeof value === 'string' && value.length > VARIABLE_LIMITS.maxStringLength) {
    throw new TooMuch(
      `${path} is a string of ${value.length} characters; at most ${VARIABLE_LIMITS.maxStringLength} are allowed.`,
    );
  }
  if (typeof value !== 'object') return; // a leaf: graphql-js's coercion judges it
  if (depth >= VARIABLE_LIMITS.maxDepth) {
    throw new TooMuch(
      `${path} nests objects and lists more than ${VARIABLE_LIMITS.maxDepth} deep.`,
    );
  }
  if (isListType(type)) {
    // A single value where a list is declared is a list of one, as graphql-js coerces it.
    const items: unknown[] = Array.isArray(value) ? value : [value];
    for (let i = 0; i < items.length; i++) {
      walk(items[i], type.ofType, `${path}[${i}]`, depth + 1, counter);
    }
  } else if (isLeafType(type)) {
    throw new TooMuch(
      `${path} must be of type ${type.name}, not ${Array.isArray(value) ? 'a list' : 'an object'}.`,
    );
  } else if (isInputObjectType(type)) {
    if (Array.isArray(value)) throw new TooMuch(`${path} must be a ${type.name}, not a list.`);
    const fields = type.getFields();
    for (const key of Object.keys(value)) {
      const field = Object.hasOwn(fields, key) ? fields[key] : undefined;
      if (!field) throw new TooMuch(`${path}.${quote(key)} is not a field of ${type.name}.`);
      walk(
        (value as Record<string, unknown>)[key],
        field.type,
        `${path}.${key}`,
        depth + 1,
        counter,
      );
    }
  }
}

export type CheckedVariables =
  { ok: true; values: Record<string, unknown> } | { ok: false; error: GraphQLError };

/**
 * The operation's variables, bounded then coerced as execution will see them (defaults
 * applied), or the one error to answer with: the first problem, quoting at most a few hundred
 * characters of what was sent whatever its size, and how many more there are (up to
 * VARIABLE_LIMITS.maxErrors are looked for). One error, because Apollo's pipeline answers one
 * from this point, and both transports answer alike. Every transport calls this before the
 * cost check, which then reads coerced values.
 */
export function checkVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  raw: Record<string, unknown> | null | undefined,
): CheckedVariables {
  const definitions = operation.variableDefinitions ?? [];
  const given = raw ?? {};
  const counter = { values: 0 };
  for (const definition of definitions) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    // An unknown or output type is a validation error, already answered.
    if (!type || !Object.hasOwn(given, name)) continue;
    try {
      walk(given[name], type, `$${name}`, 0, counter);
    } catch (err) {
      if (!(err instanceof TooMuch)) throw err;
      return { ok: false, error: variableError(`Variable "$${name}": ${err.message}`, definition) };
    }
  }
  const coerced = getVariableValues(schema, definitions, given, {
    maxErrors: VARIABLE_LIMITS.maxErrors,
  });
  if (!coerced.errors) return { ok: true, values: coerced.coerced };
  const [first, ...more] = coerced.errors as [GraphQLError, ...GraphQLError[]];
  const others = more.length
    ? ` (${more.length}${more.length + 1 >= VARIABLE_LIMITS.maxErrors ? ' or more' : ''} other problem${more.length > 1 ? 's' : ''} in the variables.)`
    : '';
  return {
    ok: false,
    error: variableError(
      cut(first.message) + others,
      first.nodes?.[0] as VariableDefinitionNode | undefined,
    ),
  };
}
