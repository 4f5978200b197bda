import type { DataSource } from 'typeorm';
import type { App, Context, Loaders } from '../platform/context';
import type { Config } from '../platform/config';
import type { Viewer } from '../auth/viewer';
import { createLoaders } from '../calls/call.loaders';
import { createDisputeLoaders } from '../disputes/dispute.loaders';
import { createNotificationLoaders } from '../notifications/notification.loaders';

export type { App, Context, Loaders };

/** Fresh per-request loaders (a subscription takes new ones for each event it sends). */
export function createRequestLoaders(ds: DataSource, config: Config): Loaders {
  return {
    ...createLoaders(ds, { duplicateWindowHours: config.DUPLICATE_WINDOW_HOURS }),
    ...createDisputeLoaders(ds),
    ...createNotificationLoaders(ds),
  };
}

export function createContext(app: App, viewer: Viewer | null, requestId: string): Context {
  return {
    app,
    requestId,
    log: app.log.child({ requestId, userId: viewer?.id }),
    viewer,
    loaders: createRequestLoaders(app.ds, app.config),
  };
}
