import type { IncomingMessage, ServerResponse } from 'node:http';
import { asksForPage, routeTable, type Route, type RouteRequest } from '../../src/platform/routes';

/* The route table the API's port dispatches by (src/app/routes.ts lists its routes). */

const request = (method: string, target: string, accept = '*/*'): RouteRequest => ({
  req: { method, headers: { accept } } as IncomingMessage,
  res: {} as ServerResponse,
  url: new URL(target, 'http://localhost'),
  requestId: 'r',
});
const route = (methods: Route['methods'], path: string, when?: Route['when']): Route => ({
  methods,
  path,
  when,
  handle: () => undefined,
});

const health = route('ANY', '/healthz');
const page = route(['GET'], '/graphql', asksForPage);
const graphql = route('ANY', '/graphql');
const assets = route(['GET'], '/graphql/assets/*');
const table = routeTable([health, page, graphql, assets]);

describe('routeTable', () => {
  it.each([
    ['POST', '/healthz', '*/*', health],
    ['GET', '/graphql', 'text/html', page],
    ['GET', '/graphql?query={__typename}', 'text/html', graphql],
    ['POST', '/graphql', 'text/html', graphql],
    ['GET', '/graphql', 'application/json', graphql],
    ['GET', '/graphql/assets/graphiql.js', '*/*', assets],
  ])('sends %s %s (accept %s) to the route of that path that takes it', (m, target, accept, r) => {
    expect(table.find(request(m, target, accept))).toBe(r);
  });

  it.each([
    ['GET', '/'],
    ['GET', '/graphql/'],
    ['GET', '/healthz/x'],
    ['GET', '/graphql/assets'],
    ['POST', '/graphql/assets/graphiql.js'],
  ])('finds no route for %s %s (the server answers 404)', (m, target) => {
    expect(table.find(request(m, target))).toBeUndefined();
  });
});
