import {
  GraphQLError,
  getOperationAST,
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
 * Everything before execution (parse, validate, the variables bounded and coerced, and cost:
 * limits.ts), then pick the operation, for transports that do not run Apollo's pipeline. Errors come back as
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
  // Nesting, parse (bounded by maxTokens), validate, variables and cost, linear in the input.
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
  return {
    ok: true,
    document,
    operation,
    variables: vars,
    operationName: operationName ?? undefined,
  };
}
