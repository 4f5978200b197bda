import type http from 'node:http';
import { json } from '../platform/http';
import type { App } from './context';

/** Answers /healthz (the process runs) and /readyz (it can serve); returns whether it answered. */
export async function answerHealth(app: App, url: URL, res: http.ServerResponse): Promise<boolean> {
  if (url.pathname === '/healthz') {
    json(res, 200, { status: 'ok' });
    return true;
  }
  if (url.pathname === '/readyz') {
    json(res, ...(await readiness(app)));
    return true;
  }
  return false;
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
