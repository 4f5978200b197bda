import type { IncomingMessage, ServerResponse } from 'node:http';

/** One request as a route sees it. */
export interface RouteRequest {
  req: IncomingMessage;
  res: ServerResponse;
  /** The request's URL, parsed once. */
  url: URL;
  /** The id its log lines carry (the x-request-id it came with, or a new one). */
  requestId: string;
}

/**
 * One HTTP route: the methods and the path it answers, and its handler. A path ending in `/*`
 * takes every path under it (`/graphql/assets/*`). `when` narrows it further, for a route that
 * shares its path with another (the playground's page and GraphQL at /graphql).
 */
export interface Route {
  methods: 'ANY' | readonly string[];
  path: string;
  when?: (request: RouteRequest) => boolean;
  handle: (request: RouteRequest) => Promise<void> | void;
}

export interface RouteTable {
  /** The route that answers this request: the first of its path whose methods and `when` fit. */
  find(request: RouteRequest): Route | undefined;
}

/** Routes by path; those of one path are tried in the order given. */
export function routeTable(routes: readonly Route[]): RouteTable {
  const exact = new Map<string, Route[]>();
  const prefixed: { prefix: string; route: Route }[] = [];
  for (const route of routes) {
    if (route.path.endsWith('/*')) prefixed.push({ prefix: route.path.slice(0, -1), route });
    else exact.set(route.path, [...(exact.get(route.path) ?? []), route]);
  }
  const fits = (route: Route, request: RouteRequest) =>
    (route.methods === 'ANY' || route.methods.includes(request.req.method ?? 'GET')) &&
    (!route.when || route.when(request));
  return {
    find(request) {
      const path = request.url.pathname;
      for (const route of exact.get(path) ?? []) if (fits(route, request)) return route;
      for (const { prefix, route } of prefixed) {
        if (path.startsWith(prefix) && fits(route, request)) return route;
      }
      return undefined;
    },
  };
}

/** A browser asking for a page: HTML accepted, no query string (a GET of an operation has one). */
export function asksForPage({ req, url }: RouteRequest): boolean {
  return String(req.headers.accept ?? '').includes('text/html') && !url.search;
}
