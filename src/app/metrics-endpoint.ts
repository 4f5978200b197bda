import type http from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Pool } from 'pg';
import { json } from '../platform/http';
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

/** Answers GET /metrics in Prometheus's text format, behind METRICS_TOKEN when it is set. */
export async function answerMetrics(
  app: App,
  req: http.IncomingMessage,
  url: URL,
  res: http.ServerResponse,
): Promise<boolean> {
  if (url.pathname !== '/metrics') return false;
  const token = app.config.METRICS_TOKEN;
  // Hashes of equal length, so the comparison takes the same time whatever was sent.
  if (
    token &&
    !timingSafeEqual(digest(req.headers.authorization ?? ''), digest(`Bearer ${token}`))
  ) {
    res.setHeader('www-authenticate', 'Bearer');
    json(res, 401, { error: 'Send Authorization: Bearer <METRICS_TOKEN>.' });
    return true;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    json(res, 405, { error: 'Use GET.' });
    return true;
  }
  const body = await registry.metrics();
  res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}
