import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { WebSocketServer } from 'ws';
import type { GraphQLSchema } from 'graphql';
import { authenticateSession, viewerBatcher } from '../auth/viewer';
import { configureTrustedProxies } from '../platform/client-address';
import { ErrorCode, makeErrorFormatter } from '../platform/errors';
import {
  MAX_BODY_BYTES,
  answerTooLarge,
  applyCors,
  isClientAbort,
  json,
  jsonError,
} from '../platform/http';
import { HttpDrain, Lifecycle } from '../platform/lifecycle';
import { requestScope } from '../platform/request-context';
import { routeTable } from '../platform/routes';
import { serveGraphqlWs } from '../platform/websocket';
import { createContext, type App } from './context';
import { startApollo } from './graphql-http';
import { configureMetrics, startMetricsListener } from './metrics.routes';
import { apiRoutes } from './routes';

export interface RunningServer {
  url: string;
  port: number;
  httpServer: http.Server;
  /** Stops taking work, lets in-flight requests finish, closes every socket. */
  stop(): Promise<void>;
}

/**
 * One HTTP server for everything: the routes of routes.ts (health, metrics, the playground,
 * GraphQL over HTTP) and GraphQL over WebSocket (platform/websocket.ts) at /graphql.
 */
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
  configureMetrics(app);
  // Per-address limits read the client behind these proxies (platform/client-address.ts).
  configureTrustedProxies(config.trustedProxies);
  const httpServer = http.createServer();
  const drain = new HttpDrain(httpServer, opts.lifecycle ?? new Lifecycle());
  // A burst of subscribes (every client reconnecting after a deploy) reads its users in batches.
  const readViewer = viewerBatcher(app.ds);
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: '/graphql',
    maxPayload: MAX_BODY_BYTES,
  });
  const wsCleanup = serveGraphqlWs(
    {
      async authenticate(authorization) {
        const session = await authenticateSession(app.ds, config.JWT_SECRET, authorization);
        return session && { userId: session.viewer.id, expiresAt: session.expiresAt };
      },
      // Permissions and account are read anew for each operation, as over HTTP: a socket
      // opened before a change of the user must not keep what the user had then.
      async contextFor(userId) {
        const viewer = await readViewer(userId);
        return viewer && createContext(app, viewer, randomUUID());
      },
    },
    schema,
    wsServer,
    {
      log,
      formatError,
      production,
      limits: {
        maxConnectionsPerUser: config.WS_MAX_CONNECTIONS_PER_USER,
        maxConnectionsPerAddress: config.WS_MAX_CONNECTIONS_PER_ADDRESS,
        maxBufferedBytes: config.WS_MAX_BUFFERED_BYTES,
      },
    },
  );
  const apollo = await startApollo(app, schema, {
    httpServer,
    production,
    formatError,
    onDrain: () => wsCleanup.dispose(),
  });
  const routes = routeTable(await apiRoutes(app, apollo));

  httpServer.on('request', (req, res) => {
    if (drain.answered(req, res)) return;
    const requestId = String(req.headers['x-request-id'] ?? randomUUID()).slice(0, 100);
    res.setHeader('x-request-id', requestId);
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (applyCors(config.corsOrigins, req, res)) return;
    const answer = async () => {
      try {
        const request = { req, res, url, requestId };
        const route = routes.find(request);
        if (!route) return json(res, 404, { error: 'Not found. The API is at /graphql.' });
        await route.handle(request);
      } catch (err) {
        if (isClientAbort(err, req)) {
          // Nobody is left to answer; one quiet line, so a burst of them cannot flood the log.
          const { code } = err as { code?: string };
          log.debug({ requestId, code }, 'request aborted by the client');
          return;
        }
        const status = (err as { status?: number }).status ?? 500;
        if (status >= 500) log.error({ err, requestId }, 'request failed');
        if (!res.headersSent) {
          if (status === 413) answerTooLarge(req, res);
          else {
            jsonError(
              res,
              status,
              'Something went wrong on our side.',
              ErrorCode.INTERNAL_SERVER_ERROR,
            );
          }
        } else res.end();
      }
    };
    // Only to count statements: on Node 20 a running AsyncLocalStorage turns on promise hooks
    // for every promise of the process (2-3 % of a page's CPU), so it runs with SQL_STATS only.
    if (config.SQL_STATS) void requestScope.run({ requestId, sqlStatements: 0 }, answer);
    else void answer();
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(opts.port, opts.host, () => resolve());
  });
  const metricsServer = await startMetricsListener(app);
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
        // Metrics last: the shutdown stays observable while requests drain.
        metricsServer?.closeAllConnections();
        await new Promise<void>((resolve) =>
          metricsServer ? metricsServer.close(() => resolve()) : resolve(),
        );
      })();
      return stopping;
    },
  };
}
