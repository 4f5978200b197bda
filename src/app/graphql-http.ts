import type http from 'node:http';
import { ApolloServer, HeaderMap, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { authenticate } from '../auth/viewer';
import { DomainError, ErrorCode } from '../platform/errors';
import { json, jsonError, readBody } from '../platform/http';
import { checkCost, MAX_VALIDATION_ERRORS, nestingError, parseOptions } from '../platform/limits';
import { jsonShapeError } from '../platform/nesting';
import { checkVariables } from '../platform/variable-checks';
import { countOperation, operationLabel, outcomeCode } from '../platform/metrics';
import { operationRules } from '../platform/operation-checks';
import { requestScope } from '../platform/request-context';
import type { Route } from '../platform/routes';
import { currentOperationTrace, startOperationTrace } from '../platform/tracing';
import { compiledGateway } from './compiled-execution';
import { createContext, type App, type Context } from './context';

/**
 * Logs, counts and (when tracing is on) ends the span of each operation once (metrics: one
 * counter and one histogram), adds `extensions.sqlStatements` when SQL_STATS is on (statements are
 * counted only then, also in the log line), checks cost.
 */
function operationPlugin(app: App, schema: GraphQLSchema): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async didResolveOperation({ document, request, operationName, operation }) {
          if (operation?.operation === 'subscription') {
            throw new DomainError(
              ErrorCode.BAD_USER_INPUT,
              'Subscriptions are served over WebSocket (graphql-transport-ws) at /graphql, not over HTTP.',
              { http: { status: 400 } },
            );
          }
          // Variables bounded and coerced first (variable-checks.ts), so the cost reads the
          // values execution will see, and an oversized value is refused before any work.
          const variables = operation && checkVariables(schema, operation, request.variables);
          if (variables && !variables.ok) throw variables.error;
          const error = checkCost(schema, document, variables?.values, operationName);
          if (error) throw error;
        },
        async willSendResponse({ response, operation: op, operationName, errors, contextValue }) {
          const scope = requestScope.getStore();
          const ctx = contextValue as Partial<Context>;
          if (app.config.SQL_STATS && scope && response.body.kind === 'single') {
            response.body.singleResult.extensions = {
              ...response.body.singleResult.extensions,
              sqlStatements: scope.sqlStatements,
            };
          }
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          // A request that fails before its operation is known (syntax, validation) has no name.
          const operation = op ? operationLabel(operationName) : 'unresolved';
          // The code the client sees, after the formatter put it in the contract's words.
          const code =
            response.body.kind === 'single'
              ? response.body.singleResult.errors?.[0]?.extensions?.code
              : errors?.[0]?.extensions?.code;
          const outcome = outcomeCode(errors, code);
          const type = op?.operation ?? 'unknown';
          countOperation({
            transport: 'http',
            operation,
            type,
            code: outcome,
            seconds: ms / 1e3,
            signedIn: Boolean(ctx.viewer),
          });
          currentOperationTrace()?.end({ type: op?.operation, name: operationName, code: outcome });
          app.log.info(
            {
              requestId: ctx.requestId ?? scope?.requestId,
              userId: ctx.viewer?.id,
              operationName: operationName ?? undefined,
              ms,
              sqlStatements: scope?.sqlStatements,
              errors: errors?.map((e) => e.extensions?.code ?? e.message),
            },
            'graphql operation',
          );
        },
      };
    },
  };
}

/** Apollo Server for the HTTP transport, under the same rules and formatter as the WebSocket. */
export async function startApollo(
  app: App,
  schema: GraphQLSchema,
  opts: {
    httpServer: http.Server;
    production: boolean;
    formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
    /** Runs when Apollo drains, before the HTTP server closes. */
    onDrain: () => Promise<void>;
  },
): Promise<ApolloServer<Context>> {
  const apollo = new ApolloServer<Context>({
    // Execution compiled per document (compiled-execution.ts), unless turned off.
    ...(app.config.COMPILED_EXECUTION ? { gateway: compiledGateway(schema) } : { schema }),
    formatError: opts.formatError,
    // Refused in production by operationRules, the same rule list the WebSocket applies.
    introspection: true,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // api-process.ts owns shutdown order: the server first, then live events, pool and embedded services.
    stopOnTerminationSignals: false,
    validationRules: operationRules({ production: opts.production }),
    validationOptions: { maxErrors: MAX_VALIDATION_ERRORS },
    parseOptions,
    plugins: [
      // Browsers get our own offline playground (app/routes.ts), or nothing in production.
      ApolloServerPluginLandingPageDisabled(),
      // Apollo installs these by default; cache control's `willResolveField` wraps every field
      // resolver (4-5 % of a page's CPU) to compute hints we never set. Responses are
      // `no-store` anyway (answerGraphql). Nothing is reported to Apollo's cloud either.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer: opts.httpServer }),
      operationPlugin(app, schema) as ApolloServerPlugin<Context>,
      {
        async serverWillStart() {
          return { drainServer: opts.onDrain };
        },
      },
    ],
  });
  await apollo.start();
  return apollo;
}

/** GraphQL over HTTP at /graphql, any method (Apollo answers the ones it does not take). */
export function graphqlRoute(app: App, apollo: ApolloServer<Context>): Route {
  return {
    methods: 'ANY',
    path: '/graphql',
    handle: ({ req, res, url, requestId }) => answerGraphql(app, apollo, req, res, url, requestId),
  };
}

/** The /graphql endpoint over HTTP: reads the JSON body, authenticates, runs the operation. */
async function answerGraphql(
  app: App,
  apollo: ApolloServer<Context>,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  requestId: string,
): Promise<void> {
  const headers = new HeaderMap();
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
  }
  const raw = req.method === 'POST' ? await readBody(req) : '';
  let body: unknown = undefined;
  if (raw) {
    // Bounded before JSON.parse builds it (nesting.ts).
    const shapeError = jsonShapeError(raw);
    if (shapeError) return jsonError(res, 400, shapeError, ErrorCode.BAD_USER_INPUT);
    try {
      body = JSON.parse(raw);
    } catch {
      return jsonError(res, 400, 'The request body is not valid JSON.', ErrorCode.BAD_USER_INPUT);
    }
  }
  // Apollo parses the document itself; its nesting is bounded here first (limits.ts).
  const query =
    req.method === 'POST'
      ? (body as { query?: unknown } | undefined)?.query
      : url.searchParams.get('query');
  const nesting = typeof query === 'string' ? nestingError(query) : null;
  if (nesting) {
    // The same answer as over WebSocket: the code and the limit, without the HTTP status.
    const { http: _http, ...extensions } = nesting.extensions;
    return json(res, 400, { errors: [{ message: nesting.message, extensions }] });
  }
  const execute = () =>
    apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: async () => {
        const viewer = await authenticate(app.ds, app.config.JWT_SECRET, req.headers.authorization);
        return createContext(app, viewer, requestId);
      },
    });
  // The operation plugin names and ends the span once the operation is known.
  const trace = startOperationTrace('http');
  let result;
  try {
    result = trace ? await trace.run(execute) : await execute();
  } catch (err) {
    trace?.end({ code: ErrorCode.INTERNAL_SERVER_ERROR });
    throw err;
  }
  // A request Apollo refuses before any plugin runs (no query, a wrong method) ends here.
  const status = result.status ?? 200;
  trace?.end({
    code:
      status >= 500
        ? ErrorCode.INTERNAL_SERVER_ERROR
        : status >= 400
          ? ErrorCode.BAD_USER_INPUT
          : 'OK',
  });
  // Answers are per viewer: never cached (what Apollo's cache-control plugin sent, now off).
  res.setHeader('cache-control', 'no-store');
  for (const [k, v] of result.headers) res.setHeader(k, v);
  res.statusCode = result.status ?? 200;
  if (result.body.kind === 'complete') {
    res.end(result.body.string);
  } else {
    for await (const chunk of result.body.asyncIterator) res.write(chunk);
    res.end();
  }
}
