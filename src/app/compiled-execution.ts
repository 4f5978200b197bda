import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import {
  execute,
  Kind,
  printSchema,
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

interface DocumentState {
  runs: number;
  /** Compiled per operation name ('' for the only one); null: not compilable, always graphql-js. */
  compiled: Map<string, CompiledQuery | null>;
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
 * that is not `compilable`) is plain graphql-js. Compiled queries are kept for the
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
    const state = documents.get(document) ?? { runs: 0, compiled: new Map() };
    // Re-inserted: the most recently used document is last, the least recently used first.
    documents.delete(document);
    documents.set(document, state);
    if (documents.size > maxDocuments) {
      documents.delete(documents.keys().next().value as DocumentNode);
    }
    let compiled = state.compiled.get(name);
    if (compiled === undefined && state.runs >= COMPILE_AFTER_RUNS) {
      // No operation: the name does not pick one out, and graphql-js says so.
      compiled =
        request.operation && compilable(request.operation, document)
          ? compile(schema, document, name)
          : null;
      if (compiled) documentsCompiled.inc();
      state.compiled.set(name, compiled);
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
