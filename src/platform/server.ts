import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { ApolloServer, HeaderMap, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { WebSocketServer } from 'ws';
import type { GraphQLSchema } from 'graphql';
import type { App, Context } from './context';
import { createContext } from './context';
import { authenticate } from '../auth/viewer';
import { DomainError, ErrorCode, makeErrorFormatter } from './errors';
import { operationRules, resolvedOperationError } from './operation-checks';
import { parseOptions } from './limits';
import { serveGraphqlWs } from './websocket';
import { requestScope } from './request-context';
import { playgroundAsset, playgroundHtml } from './playground';
import { HttpDrain, Lifecycle } from './lifecycle';

const ASSET_PREFIX = '/graphql/assets/';

const MAX_BODY_BYTES = 1024 * 1024;

export interface RunningServer {
  url: string;
  port: number;
  httpServer: http.Server;
  /** Stops taking work, lets in-flight requests finish, closes every socket. */
  stop(): Promise<void>;
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(JSON.stringify(body));
}

/** Bytes of an oversized body still read (and dropped) so the 413 reaches the client. */
const MAX_DRAIN_BYTES = 16 * MAX_BODY_BYTES;

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    let refused = false;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (refused) {
        if (size > MAX_DRAIN_BYTES) req.destroy();
      } else if (size <= MAX_BODY_BYTES) {
        chunks.push(c);
      } else {
        // Refused, but read on: a client still sending would see a reset instead of the answer.
        refused = true;
        chunks.length = 0;
        reject(Object.assign(new Error('body too large'), { status: 413 }));
      }
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Logs each operation once, adds `extensions.sqlStatements` when SQL_STATS is on, checks cost. */
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
          const error = resolvedOperationError(schema, document, request.variables, operationName);
          if (error) throw error;
        },
        async willSendResponse({ response, operationName, errors, contextValue }) {
          const scope = requestScope.getStore();
          const ctx = contextValue as Partial<Context>;
          if (app.config.SQL_STATS && scope && response.body.kind === 'single') {
            response.body.singleResult.extensions = {
              ...response.body.singleResult.extensions,
              sqlStatements: scope.sqlStatements,
            };
          }
          app.log.info(
            {
              requestId: scope?.requestId,
              userId: ctx.viewer?.id,
              operationName: operationName ?? undefined,
              ms: Number(process.hrtime.bigint() - started) / 1e6,
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

export async function startServer(
  app: App,
  schema: GraphQLSchema,
  opts: { port: number; host: string; lifecycle?: Lifecycle },
): Promise<RunningServer> {
  const { config, log } = app;
  const production = config.NODE_ENV === 'production';
  const formatError = makeErrorFormatter(log, {
    exposeDetails: config.NODE_ENV === 'development',
    hideSchemaDetails: production,
  });
  const httpServer = http.createServer();
  const drain = new HttpDrain(httpServer, opts.lifecycle ?? new Lifecycle());
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: '/graphql',
    maxPayload: MAX_BODY_BYTES,
  });
  const wsCleanup = serveGraphqlWs(app, schema, wsServer, {
    formatError,
    production,
    limits: {
      maxConnectionsPerUser: config.WS_MAX_CONNECTIONS_PER_USER,
      maxConnectionsPerAddress: config.WS_MAX_CONNECTIONS_PER_ADDRESS,
      maxBufferedBytes: config.WS_MAX_BUFFERED_BYTES,
    },
  });

  const apollo = new ApolloServer<Context>({
    schema,
    formatError,
    // Refused in production by operationRules, the same rule list the WebSocket applies.
    introspection: true,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // main.ts owns shutdown order: the server first, then live events, pool and embedded services.
    stopOnTerminationSignals: false,
    validationRules: operationRules({ production }),
    parseOptions,
    plugins: [
      // Browsers get our own offline playground (below), or nothing in production.
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      operationPlugin(app, schema) as ApolloServerPlugin<Context>,
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await wsCleanup.dispose();
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  let playground: string | undefined;
  httpServer.on('request', (req, res) => {
    if (drain.answered(req, res)) return;
    const requestId = String(req.headers['x-request-id'] ?? randomUUID()).slice(0, 100);
    res.setHeader('x-request-id', requestId);
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (applyCors(config.corsOrigins, req, res)) return;
    void requestScope.run({ requestId, sqlStatements: 0 }, async () => {
      try {
        if (url.pathname === '/healthz') return json(res, 200, { status: 'ok' });
        if (url.pathname === '/readyz') return json(res, ...(await readiness(app)));
        if (!production && req.method === 'GET' && url.pathname.startsWith(ASSET_PREFIX)) {
          const asset = playgroundAsset(url.pathname.slice(ASSET_PREFIX.length));
          if (!asset) return json(res, 404, { error: 'Not found.' });
          res.writeHead(200, {
            'content-type': asset.contentType,
            'cache-control': 'public, max-age=3600',
          });
          res.end(asset.body);
          return;
        }
        if (url.pathname !== '/graphql')
          return json(res, 404, { error: 'Not found. The API is at /graphql.' });

        const accept = String(req.headers.accept ?? '');
        if (req.method === 'GET' && accept.includes('text/html') && !url.search && production) {
          return json(res, 404, {
            errors: [
              {
                message: 'There is no playground in production; POST operations as JSON.',
                extensions: { code: ErrorCode.NOT_FOUND },
              },
            ],
          });
        }
        if (req.method === 'GET' && accept.includes('text/html') && !url.search) {
          playground ??= playgroundHtml({
            endpoint: '/graphql',
            subscriptionEndpoint: '/graphql',
            title: 'Disputes API',
            assetBase: ASSET_PREFIX,
          });
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          res.end(playground);
          return;
        }
        const headers = new HeaderMap();
        for (const [k, v] of Object.entries(req.headers)) {
          if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
        }
        const raw = req.method === 'POST' ? await readBody(req) : '';
        let body: unknown = undefined;
        if (raw) {
          try {
            body = JSON.parse(raw);
          } catch {
            return json(res, 400, {
              errors: [
                {
                  message: 'The request body is not valid JSON.',
                  extensions: { code: ErrorCode.BAD_USER_INPUT },
                },
              ],
            });
          }
        }
        const result = await apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
          context: async () => {
            const viewer = await authenticate(app.ds, config.JWT_SECRET, req.headers.authorization);
            return createContext(app, viewer, requestId);
          },
        });
        for (const [k, v] of result.headers) res.setHeader(k, v);
        res.statusCode = result.status ?? 200;
        if (result.body.kind === 'complete') {
          res.end(result.body.string);
        } else {
          for await (const chunk of result.body.asyncIterator) res.write(chunk);
          res.end();
        }
      } catch (err) {
        const status = (err as { status?: number }).status ?? 500;
        if (status >= 500) log.error({ err, requestId }, 'request failed');
        if (!res.headersSent) {
          if (status === 413) res.setHeader('connection', 'close');
          json(res, status, {
            errors: [
              {
                message:
                  status === 413
                    ? 'The request body is too large.'
                    : 'Something went wrong on our side.',
                extensions: {
                  code: status === 413 ? ErrorCode.BAD_USER_INPUT : ErrorCode.INTERNAL_SERVER_ERROR,
                },
              },
            ],
          });
        } else res.end();
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(opts.port, opts.host, () => resolve());
  });
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const shownHost = opts.host === '0.0.0.0' || opts.host === '::' ? 'localhost' : opts.host;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${port}/graphql`,
    port,
    httpServer,
    stop() {
      stopping ??= (async () => {
        // In-flight requests first: subscribers still hear the events of what they commit.
        if (!(await drain.drain(config.SHUTDOWN_GRACE_MS))) log.warn('shutdown grace ran out');
        for (const client of wsServer.clients) client.close(1001, 'Server shutting down');
        await apollo.stop();
        await new Promise<void>((resolve) => wsServer.close(() => resolve()));
      })();
      return stopping;
    },
  };
}

/** CORS for browser clients on other origins; answers preflights itself (returns true then). */
function applyCors(
  allowed: string[],
  req: http.IncomingMessage,
  res: http.ServerResponse,
): boolean {
  const origin = req.headers.origin;
  if (!origin || allowed.length === 0) return false;
  if (!allowed.includes('*') && !allowed.includes(origin)) return false;
  res.setHeader('access-control-allow-origin', allowed.includes('*') ? '*' : origin);
  res.setHeader('vary', 'Origin');
  res.setHeader('access-control-expose-headers', 'x-request-id');
  if (req.method !== 'OPTIONS') return false;
  res.writeHead(204, {
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers':
      'authorization, content-type, x-request-id, apollo-require-preflight, x-apollo-operation-name',
    'access-control-max-age': '600',
  });
  res.end();
  return true;
}

/** 200 when the database answers, else 503. The object store is reported but does not gate
 * readiness: everything but evidence uploads works without it. */
async function readiness(app: App): Promise<[number, unknown]> {
  const timeout = <T>(p: Promise<T>, fallback: T) =>
    Promise.race([p, new Promise<T>((r) => setTimeout(() => r(fallback), 2000).unref())]);
  const database = await timeout(
    app.ds.query('SELECT 1').then(
      () => true,
      () => false,
    ),
    false,
  );
  const store = await timeout(app.store.ping(), false);
  const ok = database;
  return [
    ok ? 200 : 503,
    {
      status: ok ? 'ready' : 'unavailable',
      database: database ? 'up' : 'down',
      objectStore: store ? 'up' : 'down',
      liveEvents: app.live.bus.listening ? 'up' : 'down',
    },
  ];
}
