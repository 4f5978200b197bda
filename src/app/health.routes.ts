import { json } from '../platform/http';
import type { Route } from '../platform/routes';
import type { App } from './context';

/** /healthz (the process runs) and /readyz (it can serve), whatever the method. */
export function healthRoutes(app: App): Route[] {
  return [
    { methods: 'ANY', path: '/healthz', handle: ({ res }) => json(res, 200, { status: 'ok' }) },
    {
      methods: 'ANY',
      path: '/readyz',
      handle: async ({ res }) => json(res, ...(await readiness(app))),
    },
  ];
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
