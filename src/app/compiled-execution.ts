import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import {
  execute,
  Kind,
  printSchema,
  valueFromASTUntyped,
  visit,
  type DirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ExecutionResult,
  type GraphQLSchema,
  GraphQLError,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { documentsCompiled } from '../platform/metrics';

/**
 * How many times a document runs through graphql-js before it is compiled. The pages a client
 * sends again and again are compiled on their second run; a document sent once (a playground
 * edit, a probe) never costs a compilation.
 */
export const COMPILE_AFTER_RUNS = 1;

/**
 * Documents whose runs and compiled code are kept, least recently used dropped first: compiled
 * code is not counted in the size of Apollo's document cache, so it is bounded here.
 */
export const MAX_COMPILED_DOCUMENTS = 500;

/**
 * Compiled variants of one operation at most, one per combination of the values its
 * `@skip`/`@include` variables take (see conditionsOf); other combinations run on graphql-js.
 */
export const MAX_CONDITION_VARIANTS = 8;

interface DocumentState {
  runs: number;
  /** The `@skip`/`@include` of each operation (by name, '' for the only one). */
  conditions: Map<string, Conditions>;
  /**
   * Compiled per operation name and values of its conditions' variables; null: not compilable,
   * always graphql-js.
   */
  compiled: Map<string, CompiledQuery | null>;
}

/** Whether an operation (with the fragments it spreads) has `@skip`/`@include`, and on what. */
export interface Conditions {
  any: boolean;
  /** The variables they read, with the operation's default for each (undefined: none). */
  variables: { name: string; default: unknown }[];
}

const isCondition = (d: DirectiveNode) => d.name.value === 'skip' || d.name.value === 'include';

/** The `@skip`/`@include` directives of an operation and of the fragments it spreads. */
export function conditionsOf(
  operation: OperationDefinitionNode,
  document: DocumentNode,
): Conditions {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const names = new Set<string>();
  const seen = new Set<string>();
  let any = false;
  const walk = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      for (const d of selection.directives ?? []) {
        if (!isCondition(d)) continue;
        any = true;
        const value = d.arguments?.find((a) => a.name.value === 'if')?.value;
        if (value?.kind === Kind.VARIABLE) names.add(value.name.value);
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        if (seen.has(selection.name.value)) continue;
        seen.add(selection.name.value);
        walk(fragments.get(selection.name.value)?.selectionSet);
      } else {
        walk(selection.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  const defaults = new Map(
    (operation.variableDefinitions ?? []).map((v) => [
      v.variable.name.value,
      v.defaultValue ? valueFromASTUntyped(v.defaultValue) : undefined,
    ]),
  );
  return {
    any,
    variables: [...names].sort().map((name) => ({ name, default: defaults.get(name) })),
  };
}

/**
 * The values the conditions' variables take for this request (the operation's default for one
 * not given), or null when one is not a boolean (graphql-js then answers, with its own error).
 */
function conditionValues(
  conditions: Conditions,
  variables: Record<string, unknown>,
): Record<string, boolean> | null {
  const values: Record<string, boolean> = {};
  for (const { name, default: fallback } of conditions.variables) {
    const value = Object.hasOwn(variables, name) ? variables[name] : fallback;
    if (typeof value !== 'boolean') return null;
    values[name] = value;
  }
  return values;
}

/**
 * The document with every `@skip`/`@include` decided by `variables`: what they leave out is
 * removed, and the directives themselves. graphql-jit composes nested conditions wrongly (a
 * field selected twice, once under `@include(if: $a)` with a conditional field inside an inline
 * fragment, is answered with that field whatever `$a` is), so it compiles documents without
 * any. Null when a selection set would be empty (not a document graphql-jit compiles).
 */
export function withConditionsDecided(
  document: DocumentNode,
  variables: Readonly<Record<string, boolean>>,
): DocumentNode | null {
  const decide = (d: DirectiveNode): boolean => {
    const value = d.arguments?.find((a) => a.name.value === 'if')?.value;
    const flag =
      value?.kind === Kind.VARIABLE
        ? variables[value.name.value]
        : value && valueFromASTUntyped(value);
    return d.name.value === 'skip' ? flag !== true : flag === true;
  };
  let empty = false;
  const selection = {
    enter(node: { directives?: readonly DirectiveNode[] }) {
      const conditions = node.directives?.filter(isCondition) ?? [];
      if (!conditions.length) return undefined;
      if (!conditions.every(decide)) return null;
      return { ...node, directives: node.directives?.filter((d) => !isCondition(d)) };
    },
  };
  const decided = visit(document, {
    [Kind.FIELD]: selection,
    [Kind.INLINE_FRAGMENT]: selection,
    [Kind.FRAGMENT_SPREAD]: selection,
    [Kind.SELECTION_SET]: {
      leave(node) {
        if (!node.selections.length) empty = true;
      },
    },
  });
  return empty ? null : decided;
}

/**
 * Fields an operation may select, fragments spread in place, to be compiled. Compiling costs
 * about 0.07 ms a field (a rich 450-character page: 5 ms); larger documents, rare and maybe
 * hostile, stay with graphql-js, whose cost the execution budget bounds as it goes.
 */
export const MAX_COMPILED_FIELDS = 200;

/**
 * Whether the operation may be compiled: at most MAX_COMPILED_FIELDS fields once fragments
 * are spread (the walk stops at the limit, so it costs at most that many steps; validation has
 * refused fragment cycles), and no introspection, which keeps graphql-js's own resolvers.
 */
export function compilable(operation: OperationDefinitionNode, document: DocumentNode): boolean {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  let fields = 0;
  const within = (set: SelectionSetNode | undefined): boolean => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (++fields > MAX_COMPILED_FIELDS || name === '__schema' || name === '__type')
          return false;
        if (!within(selection.selectionSet)) return false;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (!within(selection.selectionSet)) return false;
      } else if (!within(fragments.get(selection.name.value)?.selectionSet)) {
        return false;
      }
    }
    return true;
  };
  return within(operation.selectionSet);
}

/**
 * Executes HTTP operations as JavaScript compiled per document (graphql-jit) instead of
 * graphql-js's interpreter, which walked every field of every row on every request (the
 * largest cost of a page in the profile). Apollo still parses, validates (with our rules) and
 * caches each document; this only replaces execution, through Apollo's executor hook.
 *
 * What clients see stays graphql-js's: variables are coerced by graphql-js before execution
 * (graphql-http.ts), so a bad variable gets graphql-js's message and a 400; resolver errors keep
 * their original error, which the formatter reads; a document's first run (and any document
 * that is not `compilable`) is plain graphql-js. An operation with `@skip`/`@include` is compiled
 * once per combination of its conditions' values, with them decided (withConditionsDecided). Compiled queries are kept for the
 * MAX_COMPILED_DOCUMENTS most recently used documents (Apollo hands the same parsed document
 * for the same query text while it keeps it cached).
 */
export function compiledExecutor(
  schema: GraphQLSchema,
  maxDocuments = MAX_COMPILED_DOCUMENTS,
): GatewayExecutor {
  const documents = new Map<DocumentNode, DocumentState>();
  return async (request) => {
    const { document, context } = request;
    const variables = request.request.variables ?? {};
    // As the client sent it: graphql-js gives an unknown or missing name its own error.
    const name = request.request.operationName ?? '';
    const state = documents.get(document) ?? {
      runs: 0,
      conditions: new Map(),
      compiled: new Map(),
    };
    // Re-inserted: the most recently used document is last, the least recently used first.
    documents.delete(document);
    documents.set(document, state);
    if (documents.size > maxDocuments) {
      documents.delete(documents.keys().next().value as DocumentNode);
    }
    let compiled: CompiledQuery | null | undefined = null;
    // No operation: the name does not pick one out, and graphql-js says so.
    if (request.operation && state.runs >= COMPILE_AFTER_RUNS) {
      let conditions = state.conditions.get(name);
      if (!conditions) {
        conditions = conditionsOf(request.operation, document);
        state.conditions.set(name, conditions);
      }
      const values = conditions.any ? conditionValues(conditions, variables) : {};
      if (values) {
        const variant = `${name}\n${Object.values(values).join(',')}`;
        compiled = state.compiled.get(variant);
        if (compiled === undefined) {
          compiled = null;
          if (
            state.compiled.size < MAX_CONDITION_VARIANTS &&
            compilable(request.operation, document)
          ) {
            const decided = conditions.any ? withConditionsDecided(document, values) : document;
            compiled = decided && compile(schema, decided, name);
          }
          if (compiled) documentsCompiled.inc();
          state.compiled.set(variant, compiled);
        }
      }
    }
    state.runs += 1;
    if (!compiled) {
      return execute({
        schema,
        document,
        contextValue: context,
        variableValues: variables,
        operationName: request.request.operationName,
      }) as Promise<ExecutionResult>;
    }
    // Variables were bounded and coerced by graphql-js before this runs (graphql-http.ts):
    // a bad variable never gets here, so its message is graphql-js's on either path.
    const result = (await compiled.query(undefined, context, variables)) as ExecutionResult;
    if (result.errors) result.errors = result.errors.map(asGraphQLError);
    return result;
  };
}

/** The operation compiled, or null: graphql-js then runs it, and reports what is wrong with it. */
function compile(
  schema: GraphQLSchema,
  document: DocumentNode,
  name: string,
): CompiledQuery | null {
  try {
    const result = compileQuery(schema, document, name || undefined, {
      // Stacks of resolver errors stay with their original error; nobody reads the copy's.
      disablingCapturingStackErrors: true,
    });
    return isCompiledQuery(result) ? result : null;
  } catch {
    // A document graphql-jit cannot compile still has graphql-js's answer.
    return null;
  }
}

/**
 * graphql-jit's errors leave `extensions` undefined when the cause has none, where graphql-js
 * always has an object (Apollo's formatting reads its `code`): each becomes graphql-js's own
 * error, with the same message, locations, path and original error.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  const copy = new GraphQLError(error.message, {
    path: error.path,
    originalError: error.originalError ?? undefined,
  });
  (copy as { locations?: GraphQLError['locations'] }).locations = error.locations;
  return copy;
}

/**
 * Apollo's hook for a custom executor is its gateway interface: a fixed schema, loaded once,
 * never updated.
 */
export function compiledGateway(schema: GraphQLSchema): GatewayInterface {
  let onLoad: Parameters<GatewayInterface['onSchemaLoadOrUpdate']>[0] | undefined;
  return {
    onSchemaLoadOrUpdate(callback) {
      onLoad = callback;
      return () => {
        onLoad = undefined;
      };
    },
    async load() {
      onLoad?.({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return { executor: compiledExecutor(schema) };
    },
    async stop() {},
  };
}
