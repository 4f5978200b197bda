import http from 'node:http';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Pool } from 'pg';
import { json } from '../platform/http';
import { routeTable, type Route } from '../platform/routes';
import { configureScrapeSources, registry } from '../platform/metrics';
import type { App } from './context';

/** Points the scrape-time gauges at this app's database: the pending count and the pool. */
export function configureMetrics(app: App): void {
  const pool = (app.ds.driver as unknown as { master?: Pool }).master;
  configureScrapeSources({
    // All accounts' pending disputes: the partial index disputes_pending_buyer_idx answers it.
    async pendingDisputes() {
      const rows = (await app.ds.query(
        `SELECT count(*)::int AS n FROM disputes WHERE status = 'PENDING'`,
      )) as { n: number }[];
      return rows[0]?.n ?? 0;
    },
    pool: () => pool,
  });
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * GET /metrics, behind METRICS_TOKEN when it is set: on the API's port (app/routes.ts), or with
 * METRICS_PORT on a listener of its own (startMetricsListener) and not on the API's port.
 */
export function metricsRoute(app: App): Route {
  // Any method: a wrong one is told so (405) only after the token check.
  return {
    methods: 'ANY',
    path: '/metrics',
    handle: ({ req, res }) => writeMetrics(app, req, res),
  };
}

/** Prometheus's text format, behind METRICS_TOKEN when it is set. */
async function writeMetrics(
  app: App,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const token = app.config.METRICS_TOKEN;
  // Hashes of equal length, so the comparison takes the same time whatever was sent.
  if (
    token &&
    !timingSafeEqual(digest(req.headers.authorization ?? ''), digest(`Bearer ${token}`))
  ) {
    res.setHeader('www-authenticate', 'Bearer');
    return json(res, 401, { error: 'Send Authorization: Bearer <METRICS_TOKEN>.' });
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return json(res, 405, { error: 'Use GET.' });
  }
  const body = await registry.metrics();
  res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * With METRICS_PORT, /metrics alone on METRICS_HOST:METRICS_PORT (127.0.0.1 unless set), a port
 * the operator keeps off the public network, so production can serve metrics without a token.
 * Resolves once it listens, with the server to close at shutdown; undefined without METRICS_PORT.
 */
export async function startMetricsListener(app: App): Promise<http.Server | undefined> {
  const { METRICS_PORT: port, METRICS_HOST: host } = app.config;
  if (port === undefined) return undefined;
  const routes = routeTable([metricsRoute(app)]);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const request = { req, res, url, requestId: randomUUID() };
    const route = routes.find(request);
    if (!route) return json(res, 404, { error: 'Not found. See /metrics.' });
    Promise.resolve(route.handle(request)).catch((err: unknown) => {
      app.log.error({ err }, 'metrics scrape failed');
      if (!res.headersSent) json(res, 500, { error: 'The scrape failed.' });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  app.log.info({ host, port }, 'metrics listening');
  return server;
}
