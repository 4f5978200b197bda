import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { ObjectStore } from './object-store';

/*
 * The shapes every service and resolver receives. platform/ declares the parts that belong to
 * no feature; each feature adds what it contributes by declaration merging, next to its own
 * code: `Context.viewer` (auth/viewer.ts), `App.live` (notifications/live-hub.ts) and the
 * members of `Loaders` (each feature's *.loaders.ts). src/app/context.ts builds the values, and
 * tsc checks there that every contributed member is supplied. So platform/ names no feature and
 * no feature imports the composition root, not even for a type.
 */

/** Long-lived parts shared by every request. */
export interface App {
  config: Config;
  ds: DataSource;
  store: ObjectStore;
  log: Logger;
  /** The server's clock; tests and benches may pin it. */
  now: () => Date;
}

/** Per-request DataLoaders (not viewer-scoped); filled in by the features' *.loaders.ts. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- members come by declaration merging
export interface Loaders {}

/** What every resolver receives: one per HTTP request or subscription operation. */
export interface Context {
  app: App;
  requestId: string;
  log: Logger;
  loaders: Loaders;
}
