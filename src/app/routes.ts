import type { ApolloServer } from '@apollo/server';
import { ErrorCode } from '../platform/errors';
import { jsonError } from '../platform/http';
import { asksForPage, type Route } from '../platform/routes';
import type { App, Context } from './context';
import { graphqlRoute } from './graphql-http';
import { healthRoutes } from './health.routes';
import { metricsRoute } from './metrics.routes';

/**
 * The routes of the API's port, gathered from where each is served as schema.ts gathers the
 * resolvers: a new route is one more entry here, from its feature's `*.routes.ts`. The server
 * (server.ts) dispatches by path; routes of one path are tried in this order.
 */
export async function apiRoutes(app: App, apollo: ApolloServer<Context>): Promise<Route[]> {
  return [
    ...healthRoutes(app),
    // With METRICS_PORT, /metrics has a listener of its own (startMetricsListener) instead.
    ...(app.config.METRICS_PORT === undefined ? [metricsRoute(app)] : []),
    // The playground is development's (src/dev/), never loaded in production.
    ...(app.config.NODE_ENV === 'production'
      ? [noPlayground]
      : (await import('../dev/playground.routes.js')).playgroundRoutes),
    graphqlRoute(app, apollo),
  ];
}

/** In production a browser asking /graphql for a page is told there is none. */
const noPlayground: Route = {
  methods: ['GET'],
  path: '/graphql',
  when: asksForPage,
  handle: ({ res }) =>
    jsonError(
      res,
      404,
      'There is no playground in production; POST operations as JSON.',
      ErrorCode.NOT_FOUND,
    ),
};
