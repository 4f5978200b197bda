import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { Viewer } from '../auth/viewer';
import type { ObjectStore } from '../platform/object-store';
import { createLoaders } from '../calls/call.loaders';
import { createDisputeLoaders } from '../disputes/dispute.loaders';
import { createNotificationLoaders } from '../notifications/notification.loaders';
import type { LiveHub } from '../notifications/live-hub';

/** Long-lived parts shared by every request. */
export interface App {
  config: Config;
  ds: DataSource;
  store: ObjectStore;
  log: Logger;
  /** Live events: routes committed changes from every instance to this process's subscriptions. */
  live: LiveHub;
  /** The server's clock; tests and benches may pin it. */
  now: () => Date;
}

export type Loaders = ReturnType<typeof createLoaders> &
  ReturnType<typeof createDisputeLoaders> &
  ReturnType<typeof createNotificationLoaders>;

/** Fresh per-request loaders (a subscription takes new ones for each event it sends). */
export function createRequestLoaders(ds: DataSource): Loaders {
  return { ...createLoaders(ds), ...createDisputeLoaders(ds), ...createNotificationLoaders(ds) };
}

/** What every resolver receives: one per HTTP request or subscription operation. */
export interface Context {
  app: App;
  requestId: string;
  log: Logger;
  viewer: Viewer | null;
  loaders: Loaders;
}

export function createContext(app: App, viewer: Viewer | null, requestId: string): Context {
  return {
    app,
    requestId,
    log: app.log.child({ requestId, userId: viewer?.id }),
    viewer,
    loaders: createRequestLoaders(app.ds),
  };
}
