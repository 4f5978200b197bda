import {
  GraphQLError,
  getOperationAST,
  getVariableValues,
  Kind,
  NoSchemaIntrospectionCustomRule,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { ErrorCode } from './errors';
import { checkDocument, shapeLimitsRule } from './limits';

/**
 * The checks every operation passes before any resolver runs, whichever transport carried it.
 * HTTP (Apollo) and WebSocket (graphql-ws) both take them from here, so a document is refused
 * the same way, with the same code and message, on either.
 */

/** Validation rules on top of graphql-js's specified ones. */
export function operationRules(opts: { production: boolean }): ValidationRule[] {
  return [
    shapeLimitsRule,
    // The schema is public knowledge only outside production.
    ...(opts.production ? [NoSchemaIntrospectionCustomRule] : []),
  ];
}

export interface OperationRequest {
  query: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export type CheckedOperation =
  | {
      ok: true;
      document: DocumentNode;
      operation: OperationDefinitionNode;
      variables: Record<string, unknown> | undefined;
      operationName: string | undefined;
    }
  | { ok: false; errors: GraphQLError[] };

const userError = (message: string, nodes?: GraphQLError['nodes']) =>
  new GraphQLError(message, { nodes, extensions: { code: ErrorCode.BAD_USER_INPUT } });

/**
 * Everything before execution (parse, validate and cost as one linear pass, pick the
 * operation, coerce variables), for transports that do not run Apollo's pipeline. Errors come back as
 * GraphQLErrors for the one error formatter.
 */
export function checkOperation(
  schema: GraphQLSchema,
  request: OperationRequest,
  opts: { production: boolean },
): CheckedOperation {
  const { query, variables, operationName } = request;
  if (typeof query !== 'string' || query.trim() === '') {
    return { ok: false, errors: [userError('The operation must have a non-empty `query`.')] };
  }
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) {
    return { ok: false, errors: [userError('`variables` must be an object.')] };
  }
  if (operationName != null && typeof operationName !== 'string') {
    return { ok: false, errors: [userError('`operationName` must be a string.')] };
  }
  const vars = (variables ?? undefined) as Record<string, unknown> | undefined;
  // Parse (bounded by maxTokens), validate and cost, linear in the document (limits.ts).
  const checked = checkDocument(
    schema,
    query,
    vars,
    operationName,
    opts.production ? [NoSchemaIntrospectionCustomRule] : [],
  );
  if (checked.errors) return { ok: false, errors: checked.errors };
  const { document } = checked;

  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation) {
    const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    return {
      ok: false,
      errors: [
        userError(
          operationName
            ? `Unknown operation named "${operationName}".`
            : operations.length > 1
              ? 'Must provide operation name if query contains multiple operations.'
              : 'The document contains no operation.',
        ),
      ],
    };
  }
  // Coercing here, not in execute(), makes a bad variable a client error with the same words
  // as over HTTP (Apollo marks these BAD_USER_INPUT itself).
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], vars ?? {}, {
    maxErrors: 50,
  });
  if (coerced.errors) {
    return {
      ok: false,
      errors: coerced.errors.map((e) => userError(e.message, e.nodes)),
    };
  }
  return {
    ok: true,
    document,
    operation,
    variables: vars,
    operationName: operationName ?? undefined,
  };
}
